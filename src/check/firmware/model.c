/*
 * model.c - the check "fw.model": the model string the firmware carries
 * in its board files (S1.1-10, firmware side).
 *
 * Read: etc/model and tmp/sysinfo/model (the first line), etc/board.json
 * ("model" as a string, or OpenWrt's {"id", "name"} object; jansson),
 * etc/device_info (DEVICE_PRODUCT, DEVICE_MODEL, MODEL), and the vendor
 * flash header at the start of the image: TP-Link's (v1: hardware id at
 * 0x40; v2/v3: at 0x34), whose hardware id spells the model number and
 * the hardware version in hex digits (0x08410009: TL-WR841N v9); and,
 * when nothing else names one, a device tree's root "model" (else its
 * first "compatible" string) from *.dtb files and a FIT's fdt images;
 * and the name field of every U-Boot legacy image (uImage) in the tree,
 * on its own or inside another container (a TRX partition), when it holds
 * a product-model token ("DIR-825 B1 Linux-2.6.31", "TL-WR841N v14"):
 * letters and digits, not an operating system, distribution, architecture,
 * version or chip word, so OpenWrt's "MIPS OpenWrt Linux-4.14.90" and
 * "Linux Kernel Image" name no model.  A TRX header (magic, length, CRC,
 * flags, partition offsets) has no name or model field; a TRX image's
 * model is read from what its partitions hold (a uImage, board files).
 * Placeholders are no model: "Generic", "Unknown", "OpenWrt", "default"
 * (OpenWrt's generic builds write DEVICE_PRODUCT='Generic').  Not read:
 * /etc/openwrt_release, whose DISTRIB_DESCRIPTION names the distribution
 * ("OpenWrt 23.05.2"), not the product, and device trees appended to a
 * kernel (not a file of the tree).
 *
 * Findings: FW-MODEL (info) per model string and its file;
 * FW-MODEL-MISMATCH (medium) when model strings are there and none is the
 * profile's product.model.  No model string is no finding: S1.1-10 is
 * about the model shown on the product or its UI, which vendor firmware
 * keeps in binaries and flash; it is then not judged from the firmware,
 * with the places searched as the reason.
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

enum { F_MODEL, F_MISMATCH };

static const struct Sl_finding_def findings[] = {
    /* Title and excerpt name the string and where it is. */
    [F_MODEL] = {"FW-MODEL",
                 SL_SEV_INFO,
                 {"S1.1-10"},
                 "The firmware names its model",
                 "None: for the record."},
    [F_MISMATCH] = {"FW-MODEL-MISMATCH",
                    SL_SEV_MEDIUM,
                    {"S1.1-10"},
                    "The firmware names another model than the profile",
                    "Assess the image built for this model, or correct "
                    "product.model in the profile."},
    {NULL},
};

/* Bytes of a board file looked at, model strings kept, bytes of each. */
#define FM_MAX_READ (64U << 10)
#define FM_MAX      8
#define FM_STR      96

struct found {
	const struct sl_entry *e;
	char val[FM_STR];
};

struct mstate {
	struct found f[FM_MAX];
	size_t n;
};

/* A value that names no model: OpenWrt's generic builds, empty defaults. */
static bool
placeholder(const char *p, size_t n)
{
	static const char *const words[] = {
	    "generic", "unknown", "openwrt", "default", "none", "n/a", NULL,
	};
	size_t i;

	for (i = 0; words[i] != NULL; i++)
		if (strlen(words[i]) == n && strncasecmp(p, words[i], n) == 0)
			return true;
	return false;
}

static void
keep(struct mstate *m, const struct sl_entry *e, const char *p, size_t n)
{
	struct found *f;
	size_t i, k = 0;

	/* UNTRUSTED: n bytes from the image, cut to FM_STR - 1. */
	while (n > 0 &&
	       (isspace((unsigned char)*p) || *p == '"' || *p == '\'')) {
		p++;
		n--;
	}
	while (n > 0 && (isspace((unsigned char)p[n - 1]) || p[n - 1] == '"' ||
	                 p[n - 1] == '\''))
		n--;
	if (n == 0 || m->n >= FM_MAX || placeholder(p, n))
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
shell_key(struct mstate *m, const struct sl_entry *e, const char *d, size_t n,
          const char *key)
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
board_json(struct mstate *m, const struct sl_entry *e, const char *d, size_t n)
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
			keep(m, e, json_string_value(v), json_string_length(v));
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

/* Four hex digits that are all decimal digits, as a number; -1 if not. */
static long
bcd16(uint32_t v)
{
	long out = 0;
	int i;

	for (i = 12; i >= 0; i -= 4) {
		unsigned d = (v >> i) & 0xf;

		if (d > 9)
			return -1;
		out = out * 10 + (long)d;
	}
	return out;
}

/* n bytes at p: printable text, then only NUL or 0xff padding? */
static bool
hdr_text(const uint8_t *p, size_t n)
{
	size_t i = 0;

	while (i < n && p[i] >= 0x20 && p[i] < 0x7f)
		i++;
	if (i == 0)
		return false;
	for (; i < n; i++)
		if (p[i] != 0 && p[i] != 0xff)
			return false;
	return true;
}

/*
 * The TP-Link flash header at the start of the image: the hardware id
 * spells the model number and hardware version in hex digits.  Checked
 * strictly (header version 1-3, text fields, decimal digits only, a
 * nonzero model and version) so that random data is not read as one.
 */
static bool
tplink_model(const struct sl_scan *s, char *out, size_t cap)
{
	const uint8_t *d = s->fw_map;
	uint32_t ver, id;
	long model, hw;
	size_t at;

	if (d == NULL || s->fw_size < 0x200)
		return false;
	ver = (uint32_t)d[0] << 24 | (uint32_t)d[1] << 16 | d[2] << 8 | d[3];
	/* mktplinkfw writes the version as 0x01000000 (big-endian). */
	if (ver == 0x01000000) {
		/* vendor[24] at 4, firmware version[36] at 0x1c, id at 0x40 */
		if (!hdr_text(d + 4, 24) || !hdr_text(d + 0x1c, 36))
			return false;
		at = 0x40;
	} else if (ver == 0x02000000 || ver == 0x03000000) {
		/* firmware version[48] at 4, id at 0x34 */
		if (!hdr_text(d + 4, 48))
			return false;
		at = 0x34;
	} else {
		return false;
	}
	id = (uint32_t)d[at] << 24 | (uint32_t)d[at + 1] << 16 |
	     (uint32_t)d[at + 2] << 8 | d[at + 3];
	model = bcd16(id >> 16);
	hw = bcd16(id & 0xffff);
	if (model <= 0 || hw <= 0)
		return false;
	snprintf(out, cap, "TP-Link hardware id 0x%08x: model %ld v%ld", id,
	         model, hw);
	return true;
}

/*
 * A flattened device tree's root-node "model" (else the first string of
 * "compatible"), into out.  UNTRUSTED: every offset and length is checked
 * against the blob with the bounded cursor; the walk stops at the first
 * child node (the root's own properties come first) or after FM_DT_TOKENS
 * tokens.
 */
#define FM_DT_TOKENS 4096
bool Sl_model_dt(const uint8_t *d, size_t n, char *out, size_t cap);

bool
Sl_model_dt(const uint8_t *d, size_t n, char *out, size_t cap)
{
	struct Sl_rd r;
	uint32_t total, off_struct, off_strings, size_strings, tok;
	const uint8_t *compat = NULL;
	size_t i, depth = 0, ncompat = 0;

	if (n < 40 || Sl_get_be32(d) != 0xd00dfeed)
		return false;
	total = Sl_get_be32(d + 4);
	off_struct = Sl_get_be32(d + 8);
	off_strings = Sl_get_be32(d + 12);
	size_strings = Sl_get_be32(d + 32);
	if (total > n || off_struct >= total || off_strings > total ||
	    size_strings > total - off_strings)
		return false;
	Sl_rd_init(&r, d + off_struct, total - off_struct);
	for (i = 0; i < FM_DT_TOKENS && !r.bad; i++) {
		tok = Sl_rd_be32(&r);
		if (tok == 1) { /* BEGIN_NODE: name, NUL, padding to 4 */
			size_t l = strnlen((const char *)r.p, r.left);

			if (depth++ == 1 || l >= r.left)
				break; /* a child: the root's properties are
				          over */
			Sl_rd_skip(&r, (l + 4) & ~(size_t)3);
		} else if (tok == 3 && depth == 1) { /* PROP */
			uint32_t len = Sl_rd_be32(&r), name = Sl_rd_be32(&r);
			const uint8_t *v = Sl_rd_bytes(&r, len);
			const char *nm;

			Sl_rd_skip(&r, (4 - (len & 3)) & 3);
			if (v == NULL || name >= size_strings)
				break;
			nm = (const char *)d + off_strings + name;
			if (strnlen(nm, size_strings - name) ==
			    size_strings - name)
				break;
			if (len == 0 || v[len - 1] != 0)
				continue;
			if (strcmp(nm, "model") == 0) {
				snprintf(out, cap, "%s", (const char *)v);
				return out[0] != 0;
			}
			if (strcmp(nm, "compatible") == 0) {
				compat = v;
				ncompat = len;
			}
		} else if (tok == 3) {
			uint32_t len = Sl_rd_be32(&r);

			Sl_rd_skip(&r, 4 + ((len + 3) & ~(uint32_t)3));
		} else if (tok == 2 || tok == 9) {
			break;
		} else if (tok != 4) {
			return false;
		}
	}
	if (compat == NULL || ncompat < 2)
		return false;
	snprintf(out, cap, "%s", (const char *)compat);
	return out[0] != 0;
}

/* Device trees in the image (*.dtb, a FIT's fdt images): their model. */
static sl_rc
dt_file(struct sl_scan *s, const struct sl_entry *e, const uint8_t *data,
        size_t len, void *user)
{
	char v[FM_STR];

	(void)s;
	if (len <= (1U << 20) && Sl_model_dt(data, len, v, sizeof(v)))
		keep(user, e, v, strlen(v));
	return SL_OK;
}

/* The image's own first region or container (its header), or NULL. */
static const struct sl_entry *
image_head(struct sl_scan *s)
{
	size_t i, n = sl_tree_count(s);

	for (i = 0; i < n; i++) {
		const struct sl_entry *e = sl_tree_entry(s, i);

		if (e->depth == 0 && e->offset == 0 &&
		    strstr(e->path, "!/") == NULL &&
		    (e->type == SL_FT_REGION || e->type == SL_FT_CONTAINER))
			return e;
	}
	return NULL;
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

/*
 * A TP-Link header gives the model number only ("model 841"): it names
 * want when want holds that number as a run of digits (TL-WR841N).
 */
static bool
header_names(const char *val, const char *want)
{
	const char *p = strstr(val, ": model "), *q;
	size_t n;

	if (strncmp(val, "TP-Link hardware id", 19) != 0 || p == NULL)
		return false;
	p += 8;
	n = strspn(p, "0123456789");
	for (q = want; n > 0 && *q != 0; q++)
		if (strncmp(q, p, n) == 0 &&
		    (q == want || !isdigit((unsigned char)q[-1])) &&
		    !isdigit((unsigned char)q[n]))
			return true;
	return false;
}

/*
 * Is the token p[0..n) of a uImage name a product model?  Letters and
 * digits both, 3 to 24 bytes, not a version ("2.6.31", "v14", "Linux-4.14"),
 * an architecture ("x86_64", "armv7") or a chip ("MT7621", "AR9344",
 * "BCM4708": a vendor prefix and digits only, no hyphen).
 */
static bool
model_token(const char *p, size_t n)
{
	static const char *const words[] = {
	    "linux-", "kernel-", "openwrt",   "lede",    "x86",
	    "arm",    "aarch64", "mips",      "powerpc", "ppc",
	    "riscv",  "u-boot",  "uboot",     "rootfs",  "squashfs",
	    "lzma",   "gzip",    "initramfs", "ramdisk", NULL,
	};
	static const char *const chips[] = {
	    "mt",  "ar",  "qca", "bcm", "ipq", "rt", "rtl", "ath", "hi",  "gm",
	    "sun", "imx", "am",  "ak",  "ox",  "en", "sf",  "mtk", "bcm", NULL,
	};
	size_t i, letters = 0, digits = 0, lead = 0;

	if (n < 3 || n > 24 || isdigit((unsigned char)p[0]) ||
	    ((p[0] == 'v' || p[0] == 'V') && isdigit((unsigned char)p[1])))
		return false;
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)p[i];

		if (isalpha(c))
			letters++;
		else if (isdigit(c))
			digits++;
		else if (c != '-' && c != '_' && c != '+' && c != '.')
			return false;
	}
	if (letters == 0 || digits == 0)
		return false;
	for (i = 0; words[i] != NULL; i++)
		if (strncasecmp(p, words[i], strlen(words[i])) == 0)
			return false;
	/* A chip: a vendor prefix, then only digits and a letter or two. */
	while (lead < n && isalpha((unsigned char)p[lead]))
		lead++;
	for (i = 0; chips[i] != NULL; i++)
		if (strlen(chips[i]) == lead &&
		    strncasecmp(p, chips[i], lead) == 0) {
			size_t k = lead, d = 0;

			while (k < n && isdigit((unsigned char)p[k]))
				k++, d++;
			while (k < n && isalpha((unsigned char)p[k]))
				k++;
			if (d >= 3 && k == n)
				return false;
		}
	return true;
}

/*
 * A uImage's name, from the note its reader gives each payload file:
 * "[part i of n, ]type, comp, arch, os: NAME[; ...]".  Taken only from
 * entries whose container is a uImage (the reader's format name).
 */
static bool
uimage_name(struct sl_scan *s, const struct sl_entry *e, char *out, size_t cap)
{
	const char *bang, *colon, *end;
	char parent[1024];
	const struct sl_entry *pe;
	size_t n;

	if (e->note == NULL || (bang = strstr(e->path, "!/")) == NULL)
		return false;
	while (strstr(bang + 2, "!/") != NULL)
		bang = strstr(bang + 2, "!/");
	n = (size_t)(bang - e->path);
	if (n >= sizeof(parent))
		return false;
	memcpy(parent, e->path, n);
	parent[n] = 0;
	pe = sl_tree_find(s, parent);
	if (pe == NULL || pe->format == NULL ||
	    strcmp(pe->format, "uimage") != 0 ||
	    (colon = strstr(e->note, ": ")) == NULL)
		return false;
	colon += 2;
	/* The reader's own additions after the name. */
	end = strstr(colon, "; truncated: ");
	if (end == NULL)
		end = strstr(colon, "; data CRC mismatch");
	n = end ? (size_t)(end - colon) : strlen(colon);
	if (n == 0 || n >= cap)
		n = n == 0 ? 0 : cap - 1;
	memcpy(out, colon, n);
	out[n] = 0;
	return n > 0;
}

/*
 * Does a uImage name hold a model token (split at blanks and commas)?
 * UNTRUSTED: name (NUL-terminated; the reader keeps 32 printable bytes).
 */
bool Sl_model_uimage_name(const char *name);

bool
Sl_model_uimage_name(const char *name)
{
	const char *p = name;

	while (*p != 0) {
		size_t n;

		while (*p == ' ' || *p == ',' || *p == '(' || *p == ')' ||
		       *p == '/')
			p++;
		n = strcspn(p, " ,()/");
		if (n > 0 && model_token(p, n))
			return true;
		p += n;
	}
	return false;
}

/* Every uImage of the tree whose name holds a model (each name once). */
static void
uimage_models(struct sl_scan *s, struct mstate *m)
{
	size_t i, k, n = sl_tree_count(s);
	char name[40], v[FM_STR];

	for (i = 0; i < n && m->n < FM_MAX; i++) {
		const struct sl_entry *e = sl_tree_entry(s, i);
		bool seen = false;

		if (!uimage_name(s, e, name, sizeof(name)) ||
		    !Sl_model_uimage_name(name))
			continue;
		snprintf(v, sizeof(v), "uImage name: %s", name);
		for (k = 0; k < m->n; k++)
			seen = seen || strcmp(m->f[k].val, v) == 0;
		if (!seen)
			keep(m, e, v, strlen(v));
	}
}

static sl_rc
model_run(struct sl_scan *s)
{
	static const char *const files[] = {
	    "etc/model",
	    "tmp/sysinfo/model",
	    "etc/board.json",
	    "etc/device_info",
	    NULL,
	};
	const char *want = s->profile ? s->profile->model : NULL;
	const struct sl_entry *head;
	struct mstate m;
	char ex[1024], title[FM_STR + 64];
	size_t i;
	bool match = false;
	sl_rc rc;

	memset(&m, 0, sizeof(m));
	if ((rc = Sl_each_file_any(s, files, one_file, &m)) != SL_OK)
		return rc;
	if (m.n < FM_MAX && (head = image_head(s)) != NULL &&
	    tplink_model(s, ex, sizeof(ex)))
		keep(&m, head, ex, strlen(ex));
	uimage_models(s, &m);
	if (m.n == 0 &&
	    (rc = Sl_each_file_any(
	         s, (const char *const[]){"*.dtb", "fdt*", "*/fdt*", NULL},
	         dt_file, &m)) != SL_OK)
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
		/*
		 * Absence in the files is no defect: the model is shown by
		 * the device (label, web UI), which the firmware may keep in
		 * a binary or in flash.
		 */
		Sl_not_judged(s, "S1.1-10", SL_SRC_FIRMWARE,
		              "no model string in the image (searched: "
		              "etc/model, tmp/sysinfo/model, etc/board.json, "
		              "etc/device_info, the vendor flash header, "
		              "uImage names, device trees; "
		              "'Generic' and 'Unknown' are no model): show the "
		              "model on the product or its web UI");
		return SL_OK;
	}
	for (i = 0; i < m.n && rc == SL_OK; i++) {
		snprintf(ex, sizeof(ex), "model %s", m.f[i].val);
		snprintf(title, sizeof(title), "model string %s", m.f[i].val);
		rc = Sl_report(s, &findings[F_MODEL],
		               &(struct Sl_at){.e = m.f[i].e,
		                               .excerpt = ex,
		                               .title = title});
		if (want != NULL &&
		    (names(m.f[i].val, want) || header_names(m.f[i].val, want)))
			match = true;
	}
	if (rc != SL_OK || want == NULL || match)
		return rc;
	snprintf(ex, sizeof(ex), "profile: %s; firmware: %s", want, m.f[0].val);
	snprintf(title, sizeof(title),
	         "the firmware names another model "
	         "than the profile's %s",
	         want);
	return Sl_report(
	    s, &findings[F_MISMATCH],
	    &(struct Sl_at){.e = m.f[0].e, .excerpt = ex, .title = title});
}

const struct Sl_check Sl_check_model = {
    .id = "fw.model",
    .title = "Model string in the firmware's board files",
    .covers = {"S1.1-10", NULL},
    .findings = findings,
    .source = SL_SRC_FIRMWARE,
    .run = model_run,
};
