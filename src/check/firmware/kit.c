/*
 * kit.c - the helpers the firmware checks share: walking the tree's files
 * by pattern, quoting a line (findings go through Sl_report,
 * kit/finding.c).  Moved out of check.c, which runs the checks, so that
 * the checks call down only (docs/internals.md).  Trusts nothing in the
 * files it hands over.
 */
#include <fnmatch.h>
#include <stdio.h>

#include "../check.h"

const char *
Sl_inner(const struct sl_entry *e)
{
	const char *p = e->path, *q;

	while ((q = strstr(p, "!/")) != NULL)
		p = q + 2;
	return p;
}

static bool
matches(const char *inner, const char *const *patterns)
{
	for (; *patterns != NULL; patterns++)
		if (fnmatch(*patterns, inner, 0) == 0)
			return true;
	return false;
}

sl_rc
Sl_each_file(struct sl_scan *s, const char *pattern, Sl_file_fn fn, void *user)
{
	const char *const one[] = {pattern, NULL};

	return Sl_each_file_any(s, one, fn, user);
}

sl_rc
Sl_each_file_any(struct sl_scan *s, const char *const *patterns, Sl_file_fn fn,
                 void *user)
{
	size_t i, n = sl_tree_count(s);
	sl_rc rc;

	for (i = 0; i < n; i++) {
		const struct sl_entry *e = sl_tree_entry(s, i);
		const uint8_t *data;
		size_t len;

		if (e->type != SL_FT_REG && e->type != SL_FT_HARDLINK)
			continue;
		if (!matches(Sl_inner(e), patterns))
			continue;
		if (Sl_check_read(s, e, &data, &len) != SL_OK)
			continue;
		rc = fn(s, e, data, len, user);
		if (rc != SL_OK)
			return rc;
	}
	return SL_OK;
}

sl_rc
Sl_check_read(struct sl_scan *s, const struct sl_entry *e, const uint8_t **data,
              size_t *len)
{
	sl_rc rc = sl_tree_read(s, e, data, len);

	/* "": a limit refused the read and said so already. */
	if (rc != SL_OK && Sl_last_error()[0] != '\0')
		Sl_incomplete(s, "%s: not checked: %s", e->path,
		              Sl_last_error());
	return rc;
}

char *
Sl_line_at(struct sl_scan *s, const uint8_t *data, size_t len, size_t off,
           size_t max)
{
	size_t a = off, b = off, i;
	char *out;

	while (a > 0 && data[a - 1] != '\n' && off - a < max / 2)
		a--;
	while (b < len && data[b] != '\n' && b - a < max)
		b++;
	while (a < b && (data[a] == ' ' || data[a] == '\t'))
		a++;
	out = Sl_arena_alloc(&s->arena, b - a + 1);
	if (out == NULL)
		return NULL;
	for (i = a; i < b; i++)
		out[i - a] =
		    data[i] >= 0x20 && data[i] < 0x7f ? (char)data[i] : '.';
	return out;
}
