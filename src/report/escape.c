/*
 * escape.c - names from an image, a device or the command line, made safe
 * for the channel they are written to.
 *
 * Trust: every string passed here may be hostile: a file name inside an
 * image can hold any byte but NUL and '/', a banner any byte at all.
 *
 *   terminal (starlab ls, the text report, messages on stderr): C0
 *     controls, DEL, C1 controls (as raw bytes or encoded as U+0080 to
 *     U+009F) and every byte that is not part of valid UTF-8 are written
 *     as \xNN, so that no escape sequence (ESC [, OSC, CSI) reaches the
 *     terminal and the text stays one line;
 *   JSON (the JSON report, SARIF, CycloneDX): valid UTF-8 is kept (the
 *     encoder escapes control characters as \u00NN); each byte that is not
 *     UTF-8 is written as the four characters \xNN, and where the name is
 *     an identifier (a path, a link target, the image's name) the original
 *     bytes are kept in hexadecimal in a field beside it (*_hex,
 *     docs/report-format.md).
 * A backslash is kept as it is: "\x41" in a name and an escaped byte then
 * read the same, which is why the JSON report keeps the original bytes.
 */
#include <stdlib.h>
#include <string.h>

#include "report.h"

/* The encoded C1 controls U+0080..U+009F: 0xc2 0x80..0x9f. */
static bool
c1_at(const unsigned char *p)
{
	return p[0] == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f;
}

static void
add_hex(struct Sl_buf *b, unsigned char c)
{
	Sl_buf_addf(b, "\\x%02x", c);
}

void
Sl_buf_add_printable(struct Sl_buf *b, const char *str)
{
	const unsigned char *p = (const unsigned char *)(str ? str : "");
	size_t i, start = 0, n;

	for (i = 0; p[i] != 0; i++) {
		if (p[i] >= 0x20 && p[i] < 0x7f)
			continue;
		if (p[i] >= 0x80 && !c1_at(p + i) &&
		    (n = Sl_utf8_len(p + i)) > 0) {
			i += n - 1;
			continue;
		}
		Sl_buf_add(b, p + start, i - start);
		if (c1_at(p + i)) {
			add_hex(b, p[i]);
			i++;
		}
		add_hex(b, p[i]);
		start = i + 1;
	}
	Sl_buf_add(b, p + start, i - start);
}

char *
sl_printable(const char *s)
{
	struct Sl_buf b;

	Sl_buf_init(&b, SL_BUF_MAX_REPORT);
	Sl_buf_add_printable(&b, s);
	Sl_buf_add(&b, "", 1);
	return (char *)Sl_buf_take(&b, NULL);
}

bool
Sl_is_utf8(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i, n;

	for (i = 0; p[i] != 0; i++) {
		if (p[i] < 0x80)
			continue;
		if ((n = Sl_utf8_len(p + i)) == 0)
			return false;
		i += n - 1;
	}
	return true;
}

json_t *
Sl_jstr(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	struct Sl_buf b;
	size_t i, start = 0, n;
	json_t *j;

	if (s == NULL)
		return json_null();
	if (Sl_is_utf8(s))
		return json_string(s);
	Sl_buf_init(&b, SL_BUF_MAX_REPORT);
	for (i = 0; p[i] != 0; i++) {
		if (p[i] < 0x80)
			continue;
		if ((n = Sl_utf8_len(p + i)) > 0) {
			i += n - 1;
			continue;
		}
		Sl_buf_add(&b, p + start, i - start);
		add_hex(&b, p[i]);
		start = i + 1;
	}
	Sl_buf_add(&b, p + start, i - start);
	Sl_buf_add(&b, "", 1);
	if (b.p == NULL)
		return NULL;
	j = json_string((const char *)b.p);
	Sl_buf_free(&b);
	return j;
}

void
Sl_json_set_name(json_t *o, const char *key, const char *s)
{
	char hkey[64];
	char *hx;
	size_t n;

	json_object_set_new(o, key, Sl_jstr(s));
	if (s == NULL || Sl_is_utf8(s))
		return;
	n = strlen(s);
	if ((hx = malloc(2 * n + 1)) == NULL)
		return;
	Sl_hex((const uint8_t *)s, n, hx);
	snprintf(hkey, sizeof(hkey), "%s_hex", key);
	json_object_set_new(o, hkey, json_string(hx));
	free(hx);
}
