/*
 * model.c - the check "fw.model": the model string the firmware carries
 * in its board files (S1.1-10, firmware side).
 *
 * Read: etc/model and tmp/sysinfo/model (the first line), etc/board.json
 * ("model" as a string, or OpenWrt's {"id", "name"} object; jansson), and
 * etc/device_info (DEVICE_PRODUCT, DEVICE_MODEL, MODEL).  Not read:
 * /etc/openwrt_release, whose DISTRIB_DESCRIPTION names the distribution
 * ("OpenWrt 23.05.2"), not the product, and device tree "model ="
 * strings inside FIT images and dtbs.
 *
 * Findings: FW-MODEL (info) per model string and its file;
 * FW-MODEL-MISMATCH (medium) when model strings are there and none is the
 * profile's product.model; FW-MODEL-MISSING (low) when the image holds an
 * operating system (Sl_upd_os_root) but no model string.  An image
 * without one is not judged.
 *
 * Trust: the files are hostile.  Only the first FM_MAX_READ bytes of a
 * file are looked at, jansson parses board.json from that bounded copy,
 * and every value kept is made printable and cut to FM_STR bytes.
 */
#include <ctype.h>
#include <jansson.h>
#include <stdio.h>
#include <strings.h>

#include "../../profile/profile.h"
#include "../check.h"
#include "update.h"

/* Bytes of a board file looked at, model strings kept, bytes of each. */
#define FM_MAX_READ (64U << 10)
#define FM_MAX 8
#define FM_STR 96

struct found {
	const struct sl_entry *e;
	char val[FM_STR];
};

struct mstate {
	struct found f[FM_MAX];
	size_t n;
};

static void
keep(struct mstate *m, const struct sl_entry *e, const char *p, size_t n)
{
	struct found *f;
	size_t i, k = 0;

	/* UNTRUSTED: n bytes from the image, cut to FM_STR - 1. */
	while (n > 0 && (isspace((unsigned char)*p) || *p == '"' ||
			 *p == '\'')) {
		p++;
		n--;
	}
	while (n > 0 && (isspace((unsigned char)p[n - 1]) ||
			 p[n - 1] == '"' || p[n - 1] == '\''))
		n--;
	if (n == 0 || m->n >= FM_MAX)
		return;
	f = &m->f[m->n];
	for (i = 0; i < n && k + 1 < sizeof(f->val); i++) {
		unsigned char c = (unsigned char)p[i];

		f->val[k++] = c >= 0x20 && c < 0x7f ? (char)c : '.';
	}
	f->val[k] = 0;
	f->e = e;
	m->n++;
}

/* The value of KEY= on its own line of a shell-style file. */
static void
shell_key(struct mstate *m, const struct sl_entry *e, const char *d,
	  size_t n, const char *key)
{
	size_t kl = strlen(key), i = 0;

	while (i < n) {
		size_t j = i;

		while (j < n && d[j] != '\n')
			j++;
		if (j - i > kl && memcmp(d + i, key, kl) == 0 &&
		    d[i + kl] == '=') {
			keep(m, e, d + i + kl + 1, j - i - kl - 1);
			return;
		}
		i = j + 1;
	}
}

static void
board_json(struct mstate *m, const struct sl_entry *e, const char *d,
	   size_t n)
{
	json_error_t je;
	json_t *j, *mo, *v;

	/* UNTRUSTED: jansson parses at most FM_MAX_READ bytes. */
	j = json_loadb(d, n, JSON_REJECT_DUPLICATES, &je);
	if (j == NULL)
		return;
	mo = json_object_get(j, "model");
	if (json_is_string(mo)) {
		keep(m, e, json_string_value(mo), json_string_length(mo));
	} else if (json_is_object(mo)) {
		v = json_object_get(mo, "name");
		if (!json_is_string(v))
			v = json_object_get(mo, "id");
		if (json_is_string(v))
			keep(m, e, json_string_value(v),
			     json_string_length(v));
	}
	json_decref(j);
}

static sl_rc
one_file(struct sl_scan *s, const struct sl_entry *e, const uint8_t *data,
	 size_t len, void *user)
{
	struct mstate *m = user;
	const char *in = Sl_inner(e), *base = strrchr(in, '/');
	const char *d = (const char *)data;
	size_t n = len > FM_MAX_READ ? FM_MAX_READ : len, l = 0;

	(void)s;
	base = base ? base + 1 : in;
	if (strcmp(base, "board.json") == 0) {
		board_json(m, e, d, n);
	} else if (strcmp(base, "device_info") == 0) {
		shell_key(m, e, d, n, "DEVICE_PRODUCT");
		shell_key(m, e, d, n, "DEVICE_MODEL");
		shell_key(m, e, d, n, "MODEL");
	} else {
		while (l < n && d[l] != '\n' && d[l] != 0)
			l++;
		keep(m, e, d, l);
	}
	return SL_OK;
}

/* Does text name want as a whole token (case-insensitive)? */
static bool
names(const char *text, const char *want)
{
	size_t wl = strlen(want);
	const char *p;

	for (p = text; wl > 0 && (p = strcasestr(p, want)) != NULL; p++)
		if ((p == text || !isalnum((unsigned char)p[-1])) &&
		    !isalnum((unsigned char)p[wl]))
			return true;
	return false;
}

static sl_rc
model_run(struct sl_scan *s)
{
	static const char *const files[] = {
		"etc/model", "tmp/sysinfo/model", "etc/board.json",
		"etc/device_info", NULL,
	};
	const char *want = s->profile ? s->profile->model : NULL;
	struct mstate m;
	char ex[1024], title[FM_STR + 64];
	size_t i;
	bool match = false;
	sl_rc rc;

	memset(&m, 0, sizeof(m));
	if ((rc = Sl_each_file_any(s, files, one_file, &m)) != SL_OK)
		return rc;
	if (m.n == 0) {
		const struct sl_entry *root = Sl_upd_os_root(s);

		if (root == NULL) {
			Sl_not_judged(s, "S1.1-10", SL_SRC_FIRMWARE,
				      "the image holds no operating system, "
				      "so its model string could not be "
				      "looked for");
			return SL_OK;
		}
		return Sl_fw_finding(
		    s, "FW-MODEL-MISSING", SL_SEV_LOW, "S1.1-10", root, 0,
		    "searched: etc/model, tmp/sysinfo/model, etc/board.json, "
		    "etc/device_info", NULL,
		    "no model string in the firmware's board files",
		    "Write the model number into the image (etc/model or "
		    "etc/board.json) so that the web UI and support tools can "
		    "show it.");
	}
	for (i = 0; i < m.n && rc == SL_OK; i++) {
		snprintf(ex, sizeof(ex), "model %s", m.f[i].val);
		snprintf(title, sizeof(title), "model string %s", m.f[i].val);
		rc = Sl_fw_finding(s, "FW-MODEL", SL_SEV_INFO, "S1.1-10",
				   m.f[i].e, 0, ex, NULL, title,
				   "None: for the record.");
		if (want != NULL && names(m.f[i].val, want))
			match = true;
	}
	if (rc != SL_OK || want == NULL || match)
		return rc;
	snprintf(ex, sizeof(ex), "profile: %s; firmware: %s", want,
		 m.f[0].val);
	snprintf(title, sizeof(title), "the firmware names another model "
		 "than the profile's %s", want);
	return Sl_fw_finding(
	    s, "FW-MODEL-MISMATCH", SL_SEV_MEDIUM, "S1.1-10", m.f[0].e, 0, ex,
	    NULL, title,
	    "Assess the image built for this model, or correct product.model "
	    "in the profile.");
}

const struct Sl_check Sl_check_model = {
    .id = "fw.model",
    .title = "Model string in the firmware's board files",
    .covers = {"S1.1-10", NULL},
    .source = SL_SRC_FIRMWARE,
    .run = model_run,
};
