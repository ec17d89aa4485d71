/*
 * components.c - fw.components: which software, in which version, the
 * firmware is built from, and which of it has known vulnerabilities
 * (S1.1-13).
 *
 * Three sources, each bounded:
 *
 *   content   version strings the components compile into their binaries
 *             ("BusyBox v1.31.1 (", "OpenSSL 1.1.1k  25 Mar 2021",
 *             "SSH-2.0-dropbear_2019.78", "dnsmasq-2.80", "lighttpd/1.4.55",
 *             "Linux version 4.14.90 (", "OpenSSH_8.4p1", "libcurl/7.68.0",
 *             "expat_2.2.10", " deflate 1.2.11 Copyright", ...), found in
 *             one Hyperscan pass shared with the other content checks
 *             (firmware/scan.h), so no file is read twice and no pattern
 *             is searched on its own;
 *   names     file names that carry a version: ld-uClibc-1.0.31.so,
 *             libuClibc-1.0.31.so, libc-2.31.so; and the uImage or FIT
 *             kernel image name "Linux-4.14.90" in the tree's notes;
 *   packages  every installed package of an opkg status file
 *             (usr/lib/opkg/status, var/lib/opkg/status), the dpkg
 *             database (var/lib/dpkg/status) and apk's (lib/apk/db/installed).
 *
 * Each component goes to Sl_component_add (src/vuln/vuln.c), which matches
 * it against the bundled data and --vuln-db; the finding it carries (one
 * per release) is reported here from the table below.
 *
 * Optional features: a component's binary is also searched for the marks
 * of the features some CVEs live in (src/vuln/features.c: SAE, EAP-pwd,
 * P2P of hostapd/wpa_supplicant).  A binary read to its end tells which
 * of them it carries, so a CVE of a feature that is not built in is not
 * reported; a component known only from a package database or a text
 * file does not tell, and such CVEs are "not judged" (an info finding).
 *
 * Trust: file content is hostile (UNTRUSTED below): Hyperscan only
 * triggers; the version next to a trigger is cut out by a bounded loop of
 * a few dozen bytes; text files are searched only when their name says
 * they are the component (a stand-in "busybox" script is not), since
 * documentation mentions versions too; each file yields a few components
 * at most, the whole run a few thousand; package databases are read up to
 * a size and a package count.  Matches are collected on the pass's worker
 * threads and added afterwards in sorted order, so the report does not
 * depend on thread timing.
 */
#include <fnmatch.h>
#include <hs/hs.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>

#include "scan.h"
#include "../../vuln/vulndb.h"

enum { F_VULN, F_NOT_JUDGED };

static const struct Sl_finding_def findings[] = {
    /* Title, excerpt and severity come from the match (the CVEs). */
    [F_VULN] = {"FW-VULNERABLE-COMPONENT",
                SL_SEV_HIGH,
                {"S1.1-13"},
                "A component has known vulnerabilities",
                "Update the component to a release that fixes them, "
                "rebuild and ship the firmware, and track the components "
                "against new advisories (S1.1-13)."},
    /* Moves no verdict: nothing was shown to affect the build. */
    [F_NOT_JUDGED] = {"FW-COMPONENT-NOT-JUDGED",
                      SL_SEV_INFO,
                      {"S1.1-13"},
                      "Known vulnerabilities of optional features not "
                      "judged (feature presence unknown)",
                      "Find out whether the build includes the feature "
                      "the CVEs are in (its build configuration, or the "
                      "binary itself)."},
    {NULL},
};

/* Report the finding component c carries, at path (offset off), if any. */
static void
report(struct sl_scan *s, const struct sl_component *c, const char *path,
       uint64_t off)
{
	struct Sl_comp_finding cf;

	if (c == NULL || !Sl_component_finding(s, c, &cf))
		return;
	(void)Sl_report(
	    s, &findings[cf.kind == SL_COMP_VULNERABLE ? F_VULN : F_NOT_JUDGED],
	    &(struct Sl_at){.e = sl_tree_find(s, path),
	                    .off = off,
	                    .excerpt = cf.excerpt,
	                    .title = cf.title,
	                    .fix = cf.fix,
	                    .sev_set = true,
	                    .sev = cf.sev});
}

#define COMP_MAX_VER          32   /* bytes of a version cut from content */
#define COMP_HITS_PER_FILE    8    /* distinct components from one file */
#define COMP_MATCHES_PER_FILE 512  /* triggers looked at in one file */
#define COMP_MAX_HITS         4096 /* components from content, whole run */
#define COMP_CANDS            4    /* bare version strings kept per file */
#define COMP_PKG_MAX_FILE     (32U << 20) /* bytes of a package database */
#define COMP_PKG_MAX          20000       /* packages from one database */
#define COMP_WINDOW           160         /* bytes back from a trigger's end */

/* How a trigger's version is cut out. */
enum cut {
	CUT_NUM,   /* digits and dots: "1.31.1" */
	CUT_ALNUM, /* digits, dots and letters: "1.1.1k", "8.4p1" */
	CUT_BARE,  /* a bare "\0x.y.z\0" string: a candidate, see end */
	CUT_FLAG,  /* no version: marks the file (musl, mosquitto) */
};

/* Which files a trigger counts in. */
enum where {
	W_BINARY, /* binary files, and text files named like a component */
	W_NAMED,  /* only files whose name is listed in names */
};

static const struct trig {
	const char *re;     /* Hyperscan trigger, ends after the version */
	const char *prefix; /* literal just before the version */
	const char *name;   /* component */
	enum cut cut;
	enum where where;
	const char *names; /* W_NAMED: fnmatch(3) patterns, '|'-separated */
	const char *need;  /* a literal just before it (window), or NULL */
} trigs[] = {
    {"BusyBox v[0-9]+\\.[0-9]+[0-9.]*[^ \\n]{0,16} \\(", "BusyBox v", "busybox",
     CUT_NUM, W_BINARY, NULL},
    {"OpenSSL [0-9]+\\.[0-9]+\\.[0-9]+[a-z]{0,2}(-[a-z0-9]+)? {1,2}"
     "[0-9]{1,2} [A-Z][a-z]{2} [0-9]{4}",
     "OpenSSL ", "openssl", CUT_ALNUM, W_BINARY, NULL},
    {"dropbear_[0-9]{4}\\.[0-9]{2,3}", "dropbear_", "dropbear", CUT_NUM,
     W_BINARY, NULL},
    {"dnsmasq-[0-9]+\\.[0-9]+", "dnsmasq-", "dnsmasq", CUT_ALNUM, W_BINARY,
     NULL},
    {"lighttpd/[0-9]+\\.[0-9]+\\.[0-9]+", "lighttpd/", "lighttpd", CUT_NUM,
     W_BINARY, NULL},
    {"Linux version [0-9]+\\.[0-9]+[^ \\n]{0,40} \\(", "Linux version ",
     "linux", CUT_NUM, W_BINARY, NULL},
    {"release version [0-9]+\\.[0-9]+", "release version ", "glibc", CUT_NUM,
     W_BINARY, NULL, "GNU C Library"},
    {"libcurl/[0-9]+\\.[0-9]+\\.[0-9]+", "libcurl/", "curl", CUT_NUM, W_BINARY,
     NULL},
    {"curl [0-9]+\\.[0-9]+\\.[0-9]+ \\(", "curl ", "curl", CUT_NUM, W_BINARY,
     NULL},
    {"expat_[0-9]+\\.[0-9]+\\.[0-9]+", "expat_", "expat", CUT_NUM, W_BINARY,
     NULL},
    {"flate [0-9]+\\.[0-9]+[0-9.]* Copyright", "flate ", "zlib", CUT_NUM,
     W_BINARY, NULL},
    {"hostapd v[0-9]+\\.[0-9]+", "hostapd v", "hostapd", CUT_NUM, W_BINARY,
     NULL},
    {"wpa_supplicant v[0-9]+\\.[0-9]+", "wpa_supplicant v", "wpa_supplicant",
     CUT_NUM, W_BINARY, NULL},
    {"MiniUPnPd/[0-9]+\\.[0-9]+", "MiniUPnPd/", "miniupnpd", CUT_NUM, W_BINARY,
     NULL},
    {"Portable SDK for UPnP devices/[0-9]+\\.[0-9]+\\.[0-9]+", "devices/",
     "libupnp", CUT_NUM, W_BINARY, NULL},
    {"nginx/[0-9]+\\.[0-9]+\\.[0-9]+", "nginx/", "nginx", CUT_NUM, W_BINARY,
     NULL},
    {"\\(XZ Utils\\) [0-9]+\\.[0-9]+\\.[0-9]+", "(XZ Utils) ", "xz", CUT_NUM,
     W_BINARY, NULL},
    {"OpenSSH_[0-9]+\\.[0-9]+(p[0-9]+)?", "OpenSSH_", "openssh", CUT_ALNUM,
     W_NAMED, "ssh|sshd|scp|sftp|sftp-server|ssh-*"},
    /*
     * hostapd 2.7 and later print "hostapd v%s" with VERSION_STR, a bare
     * "2.10" of its own (Debian's hostapd has no "hostapd v2.10"): taken
     * from a binary named hostapd or wpad only, when it is the one bare
     * version string there.
     */
    {"hostapd v%s\\n", NULL, "hostapd", CUT_FLAG, W_NAMED, "hostapd*|wpad*"},
    {"\\x00[0-9]\\.[0-9]{1,2}(\\.[0-9]{1,2})?\\x00", NULL, NULL, CUT_BARE,
     W_NAMED, "hostapd*|wpad*"},
    /*
     * musl and Mosquitto keep their version in a bare string; one is
     * taken only from the right file, with the right mark, and only when
     * it is the one bare version string there.
     */
    {"musl libc \\(", NULL, "musl", CUT_FLAG, W_NAMED,
     "ld-musl-*.so*|libc.musl-*.so*|libc.so"},
    {"mosquitto version %s", NULL, "mosquitto", CUT_FLAG, W_NAMED, "mosquitto"},
    {"\\x00[0-9]\\.[0-9]{1,2}\\.[0-9]{1,2}\\x00", NULL, NULL, CUT_BARE, W_NAMED,
     "ld-musl-*.so*|libc.musl-*.so*|libc.so|mosquitto|"
     "liblzma.so*"},
};

#define NTRIGS SL_ARRAY_LEN(trigs)
_Static_assert(SL_ARRAY_LEN(trigs) <= 32, "one bit per trigger");
#define T_HAPD (NTRIGS - 5)
#define T_MUSL (NTRIGS - 3)
#define T_MOSQ (NTRIGS - 2)

/*
 * Text files are searched only under these names (the component's own
 * binary, replaced by a script or a stub in some builds).
 */
static const char *const text_names[] = {
    "busybox*",   "*dropbear*",  "dnsmasq*", "lighttpd*",    "libcrypto.so*",
    "libssl.so*", "openssl",     "sshd",     "ssh",          "mosquitto",
    "curl",       "libcurl.so*", "vmlinux*", "hostapd",      "wpa_supplicant",
    "wpad",       "miniupnpd",   "nginx",    "libexpat.so*", "libz.so*",
    NULL,
};

/* The most optional features (src/vuln/features.c) marks are kept for. */
#define COMP_FEATURES 8
#define COMP_FEAT_STR 96 /* bytes of "sae,eap-pwd,p2p" */

/* One component seen in content. */
struct hit {
	const char *name;
	char ver[COMP_MAX_VER];
	size_t off;          /* of the version in the file */
	char *path;          /* malloc'd */
	struct Sl_arch arch; /* of the file (its ELF header), or unknown */
	/* The features whose marks the file carries, when it was a binary
	 * read to its end; else not known. */
	bool feat_known;
	char feat[COMP_FEAT_STR];
};

/* How many ELF files of one architecture the pass saw. */
#define COMP_ARCHS 8
struct archcount {
	struct Sl_arch a;
	size_t n;
};

/* Everything the pass collects, shared by its threads. */
struct coll {
	pthread_mutex_t mu;
	struct hit *v;
	size_t n, cap;
	bool full;
	struct Sl_patterns *p;
	const struct Sl_feature *features; /* pattern NTRIGS + i: a mark */
	size_t nfeatures;
	struct archcount arch[COMP_ARCHS];
	size_t nelf; /* ELF files seen, of any architecture */
};

/* Per thread, per file. */
struct fstate {
	bool searched; /* binary, or text named like a component */
	bool text;     /* a text file (searched for its name) */
	const char *base;
	struct Sl_arch arch; /* from the ELF header, or unknown */
	uint32_t allowed;    /* bit i: trigger i counts in this file */
	unsigned nmatch;
	bool stopped;   /* the scan of this file stopped early */
	uint32_t marks; /* bit i: feature i's mark is in the file */
	unsigned nhit;
	struct {
		const char *name;
		char ver[COMP_MAX_VER];
		size_t off;
	} hit[COMP_HITS_PER_FILE];
	bool flag_musl, flag_mosq, flag_hapd, cands_many;
	unsigned ncand;
	char cand[COMP_CANDS][COMP_MAX_VER];
};

static const char *
base_of(const char *path)
{
	const char *b = strrchr(path, '/');

	b = b ? b + 1 : path;
	/* A tree path "x!/a/b"; a region "img@0x40"; keep it whole. */
	return b;
}

/* Does base match one of the '|'-separated fnmatch patterns? */
static bool
named(const char *base, const char *pats)
{
	char one[64];
	const char *p = pats, *bar;
	size_t n;

	while (p != NULL && *p != 0) {
		bar = strchr(p, '|');
		n = bar ? (size_t)(bar - p) : strlen(p);
		if (n < sizeof(one)) {
			memcpy(one, p, n);
			one[n] = 0;
			if (fnmatch(one, base, 0) == 0)
				return true;
		}
		p = bar ? bar + 1 : NULL;
	}
	return false;
}

/* Does a cut version end in an archive's suffix ("2.66.tar.gz")? */
static bool
archive_name(const char *v)
{
	static const char *const suf[] = {".gz",   ".tgz", ".xz",  ".bz2",
	                                  ".zip",  ".ipk", ".deb", ".apk",
	                                  ".lzma", ".zst", ".tar"};
	size_t i, n = strlen(v), k;

	if (strstr(v, ".tar") != NULL)
		return true;
	for (i = 0; i < SL_ARRAY_LEN(suf); i++) {
		k = strlen(suf[i]);
		if (n > k && strcmp(v + n - k, suf[i]) == 0)
			return true;
	}
	return false;
}

static bool
ver_char(uint8_t c, enum cut cut)
{
	if ((c >= '0' && c <= '9') || c == '.')
		return true;
	return cut == CUT_ALNUM &&
	       ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'));
}

/*
 * Cut the version that follows the prefix before data[end] into out.
 * UNTRUSTED: data; at most COMP_WINDOW bytes back and COMP_MAX_VER - 1
 * forward are looked at.  false when there is none.
 */
static bool
cut_version(const uint8_t *data, size_t len, size_t end, const struct trig *t,
            char *out, size_t *at)
{
	size_t pl = strlen(t->prefix), lo, i, n = 0;
	const uint8_t *start = NULL;

	if (end > len || end < pl)
		return false;
	lo = end > COMP_WINDOW ? end - COMP_WINDOW : 0;
	for (i = end - pl + 1; i-- > lo;)
		if (memcmp(data + i, t->prefix, pl) == 0) {
			start = data + i + pl;
			break;
		}
	if (start == NULL)
		return false;
	*at = (size_t)(start - data);
	if (t->need != NULL && memmem(data + lo, (size_t)(start - data) - lo,
	                              t->need, strlen(t->need)) == NULL)
		return false;
	while (start + n < data + len && n < COMP_MAX_VER - 1 &&
	       ver_char(start[n], t->cut)) {
		out[n] = (char)start[n];
		n++;
	}
	/* "2.31." at a sentence's end; "1.2.11" needs a digit first. */
	while (n > 0 && out[n - 1] == '.')
		n--;
	out[n] = 0;
	/* "dnsmasq-2.66.tar.gz" names a source archive, not this build. */
	if (archive_name(out))
		return false;
	return n > 0 && out[0] >= '0' && out[0] <= '9' && strchr(out, '.');
}

/*
 * Is the text line holding data[end] a "Key: value" field other than
 * "Version:" (a package's "SourceFile: dnsmasq-2.66.tar.gz", "Filename:",
 * "Source:")?  Such lines name files and packages, not the installed
 * version.  UNTRUSTED: data; at most COMP_WINDOW bytes back.
 */
static bool
other_field(const uint8_t *data, size_t len, size_t end)
{
	size_t lo = end > COMP_WINDOW ? end - COMP_WINDOW : 0, i = end, k;

	if (end > len)
		return false;
	while (i > lo && data[i - 1] != '\n')
		i--;
	if (i > lo || (i == 0 && lo == 0)) {
		for (k = i; k < end && ((data[k] >= 'A' && data[k] <= 'Z') ||
		                        (data[k] >= 'a' && data[k] <= 'z') ||
		                        (data[k] >= '0' && data[k] <= '9') ||
		                        data[k] == '-' || data[k] == '_');
		     k++)
			;
		if (k > i && k < end && data[k] == ':')
			return !(k - i == 7 &&
			         memcmp(data + i, "Version", 7) == 0);
	}
	return false;
}

/* The bare "\0x.y.z\0" string ending at data[end]. */
static bool
cut_bare(const uint8_t *data, size_t len, size_t end, char *out)
{
	size_t a, n;

	if (end < 2 || end > len)
		return false;
	/* end is after the closing NUL; find the opening one. */
	for (a = end - 2; a > 0 && data[a - 1] != 0 && end - 2 - a < 8; a--)
		;
	if (a == 0 || data[a - 1] != 0)
		return false;
	n = end - 1 - a;
	if (n == 0 || n >= COMP_MAX_VER)
		return false;
	memcpy(out, data + a, n);
	out[n] = 0;
	return true;
}

static void
comp_begin(struct Sl_file *f)
{
	struct fstate *st = f->priv;

	unsigned i;

	st->base = base_of(Sl_inner(f->e));
	st->text = Sl_is_text(f->data, f->len);
	st->searched = !st->text || Sl_path_any(st->base, text_names);
	st->arch = Sl_arch_elf(f->data, f->len);
	for (i = 0; i < NTRIGS; i++)
		if (trigs[i].where != W_NAMED ||
		    named(st->base, trigs[i].names))
			st->allowed |= 1U << i;
}

static void
keep_hit(struct fstate *st, const char *name, const char *ver, size_t off)
{
	unsigned i;

	for (i = 0; i < st->nhit; i++)
		if (strcmp(st->hit[i].name, name) == 0 &&
		    strcmp(st->hit[i].ver, ver) == 0)
			return;
	if (st->nhit == COMP_HITS_PER_FILE)
		return;
	st->hit[st->nhit].name = name;
	st->hit[st->nhit].off = off;
	snprintf(st->hit[st->nhit].ver, COMP_MAX_VER, "%s", ver);
	st->nhit++;
}

static int
comp_match(struct Sl_file *f, unsigned id, size_t end)
{
	struct fstate *st = f->priv;
	const struct trig *t;
	char ver[COMP_MAX_VER];
	size_t at = 0;
	unsigned i;

	/* Not a file to search: stop at the first trigger. */
	if (!st->searched || id >= NTRIGS + COMP_FEATURES) {
		st->stopped = true;
		return 1;
	}
	/* A feature's mark: once per file (single match), uncounted. */
	if (id >= NTRIGS) {
		st->marks |= 1U << (id - NTRIGS);
		return 0;
	}
	/* Not for this file (a bare version outside musl): O(1), uncounted. */
	if (!(st->allowed & (1U << id)))
		return 0;
	if (++st->nmatch > COMP_MATCHES_PER_FILE) {
		st->stopped = true;
		return 1;
	}
	t = &trigs[id];
	switch (t->cut) {
	case CUT_FLAG:
		if (id == T_MUSL)
			st->flag_musl = true;
		else if (id == T_MOSQ)
			st->flag_mosq = true;
		else if (id == T_HAPD)
			st->flag_hapd = true;
		return 0;
	case CUT_BARE:
		if (!cut_bare(f->data, f->len, end, ver))
			return 0;
		for (i = 0; i < st->ncand; i++)
			if (strcmp(st->cand[i], ver) == 0)
				return 0;
		if (st->ncand == COMP_CANDS) {
			st->cands_many = true;
			return 0;
		}
		memcpy(st->cand[st->ncand++], ver, sizeof(ver));
		return 0;
	default:
		if ((!st->text || !other_field(f->data, f->len, end)) &&
		    cut_version(f->data, f->len, end, t, ver, &at))
			keep_hit(st, t->name, ver, at);
		return 0;
	}
}

/*
 * OpenWrt's wpad is hostapd and wpa_supplicant in one binary, and shows
 * both banners: one component "wpad", which the matcher holds against
 * the data of both, not two.
 */
static void
wpad(struct fstate *st)
{
	unsigned i, j, k;

	for (i = 0; i < st->nhit; i++) {
		if (strcmp(st->hit[i].name, "hostapd") != 0)
			continue;
		for (j = 0; j < st->nhit; j++)
			if (strcmp(st->hit[j].name, "wpa_supplicant") == 0 &&
			    strcmp(st->hit[j].ver, st->hit[i].ver) == 0)
				break;
		if (j == st->nhit)
			continue;
		st->hit[i].name = "wpad";
		for (k = j; k + 1 < st->nhit; k++)
			st->hit[k] = st->hit[k + 1];
		st->nhit--;
		if (j < i)
			i--;
	}
}

/* Count one ELF file's architecture (c->mu held). */
static void
count_arch(struct coll *c, const struct Sl_arch *a)
{
	size_t i;

	c->nelf++;
	for (i = 0; i < COMP_ARCHS && c->arch[i].n > 0; i++)
		if (c->arch[i].a.bits == a->bits &&
		    strcmp(c->arch[i].a.machine, a->machine) == 0) {
			c->arch[i].n++;
			return;
		}
	if (i < COMP_ARCHS) {
		c->arch[i].a = *a;
		c->arch[i].n = 1;
	}
}

/*
 * The image's architecture: the one more than half its ELF files share,
 * else unknown (a mixed tree does not say).
 */
static struct Sl_arch
image_arch(const struct coll *c)
{
	struct Sl_arch none = {"", 0};
	size_t i;

	for (i = 0; i < COMP_ARCHS; i++)
		if (c->arch[i].n * 2 > c->nelf && *c->arch[i].a.machine != 0)
			return c->arch[i].a;
	return none;
}

static sl_rc
comp_end(struct Sl_file *f)
{
	struct fstate *st = f->priv;
	struct coll *c = f->user;
	unsigned i;

	/* A bare version counts when it is the only one, with the mark. */
	if (st->ncand == 1 && !st->cands_many) {
		if (st->flag_musl && strncmp(st->cand[0], "1.", 2) == 0)
			keep_hit(st, "musl", st->cand[0], 0);
		else if (st->flag_hapd && !st->text)
			keep_hit(st, "hostapd", st->cand[0], 0);
		else if (st->flag_mosq && strcmp(st->base, "mosquitto") == 0)
			keep_hit(st, "mosquitto", st->cand[0], 0);
		else if (!st->text && named(st->base, "liblzma.so*"))
			keep_hit(st, "xz", st->cand[0], 0);
	}
	wpad(st);
	pthread_mutex_lock(&c->mu);
	if (st->arch.bits != 0)
		count_arch(c, &st->arch);
	if (st->nhit == 0) {
		pthread_mutex_unlock(&c->mu);
		return SL_OK;
	}
	for (i = 0; i < st->nhit; i++) {
		struct hit *h;
		size_t k;
		void *nv;

		if (c->n == COMP_MAX_HITS) {
			c->full = true;
			break;
		}
		nv = c->v;
		if (!Sl_vec_grow(&nv, &c->cap, c->n, sizeof(*c->v), 64))
			break;
		c->v = nv;
		h = &c->v[c->n];
		h->arch = st->arch;
		h->name = st->hit[i].name;
		h->off = st->hit[i].off;
		memcpy(h->ver, st->hit[i].ver, sizeof(h->ver));
		/* A binary read to its end (hs_scan takes UINT_MAX bytes). */
		h->feat_known = !st->text && !st->stopped && f->len <= UINT_MAX;
		h->feat[0] = 0;
		for (k = 0; h->feat_known && k < c->nfeatures; k++)
			if (st->marks & (1U << k))
				snprintf(h->feat + strlen(h->feat),
				         sizeof(h->feat) - strlen(h->feat),
				         "%s%s", *h->feat ? "," : "",
				         c->features[k].name);
		h->path = strdup(f->e->path);
		if (h->path != NULL)
			c->n++;
	}
	pthread_mutex_unlock(&c->mu);
	return SL_OK;
}

/* ---- Names in the tree ---------------------------------------------- */

/*
 * A version between prefix and suffix of a file name: "ld-uClibc-",
 * "1.0.31", ".so".  UNTRUSTED: the name.
 */
static bool
name_version(const char *base, const char *prefix, const char *suffix,
             char *out)
{
	size_t pl = strlen(prefix), sl = strlen(suffix), bl = strlen(base);
	size_t n, i;

	if (bl <= pl + sl || strncmp(base, prefix, pl) != 0 ||
	    strcmp(base + bl - sl, suffix) != 0)
		return false;
	n = bl - pl - sl;
	if (n >= COMP_MAX_VER)
		return false;
	for (i = 0; i < n; i++)
		if (!ver_char((uint8_t)base[pl + i], CUT_NUM))
			return false;
	memcpy(out, base + pl, n);
	out[n] = 0;
	return n > 0 && out[0] >= '0' && out[0] <= '9' && strchr(out, '.');
}

/* The kernel's name in a uImage or FIT note: "...: Linux-4.14.90". */
static bool
note_kernel(const char *note, char *out)
{
	const char *p = note;
	size_t n = 0;

	if (strncmp(note, "kernel", 6) != 0)
		return false;
	while ((p = strstr(p, "Linux-")) != NULL) {
		p += 6;
		for (n = 0;
		     n < COMP_MAX_VER - 1 && ver_char((uint8_t)p[n], CUT_NUM);
		     n++)
			out[n] = p[n];
		while (n > 0 && out[n - 1] == '.')
			n--;
		out[n] = 0;
		if (n > 0 && out[0] >= '0' && out[0] <= '9' && strchr(out, '.'))
			return true;
	}
	return false;
}

static void
from_names(struct sl_scan *s, const struct Sl_arch *arch)
{
	size_t i, n = sl_tree_count(s);
	char ver[COMP_MAX_VER];

	for (i = 0; i < n; i++) {
		const struct sl_entry *e = sl_tree_entry(s, i);
		const char *base = base_of(Sl_inner(e));

		if (e->note != NULL && note_kernel(e->note, ver))
			report(s,
			       Sl_component_add_arch(s, "linux", ver, NULL,
			                             arch, e->path),
			       e->path, 0);
		if (e->type != SL_FT_REG && e->type != SL_FT_LNK &&
		    e->type != SL_FT_HARDLINK)
			continue;
		if (name_version(base, "ld-uClibc-", ".so", ver) ||
		    name_version(base, "libuClibc-", ".so", ver))
			report(s,
			       Sl_component_add_arch(s, "uclibc", ver, NULL,
			                             arch, e->path),
			       e->path, 0);
		else if (name_version(base, "libc-", ".so", ver))
			report(s,
			       Sl_component_add_arch(s, "glibc", ver, NULL,
			                             arch, e->path),
			       e->path, 0);
	}
}

/* ---- Package databases ---------------------------------------------- */

/* What a package database is and how its packages are named. */
struct pkgdb {
	const char *type, *ns; /* purl type and namespace */
	bool apk;              /* "P:"/"V:"/"A:" lines, not "Package:" */
	size_t count;
	struct Sl_arch image; /* when a package's own is not known */
};

/* Copy the value of a "Key: value" line (line has len bytes). */
static void
field(const char *line, size_t len, size_t keylen, char *out, size_t outlen)
{
	size_t n;

	line += keylen;
	len -= keylen;
	while (len > 0 && (*line == ' ' || *line == '\t'))
		line++, len--;
	while (len > 0 && (line[len - 1] == ' ' || line[len - 1] == '\r'))
		len--;
	n = len < outlen - 1 ? len : outlen - 1;
	memcpy(out, line, n);
	out[n] = 0;
}

/* A package name or version: printable, no spaces. */
static bool
clean(const char *p)
{
	if (*p == 0)
		return false;
	for (; *p != 0; p++)
		if (*p <= ' ' || *p > '~')
			return false;
	return true;
}

static void
add_pkg(struct sl_scan *s, const struct sl_entry *e, struct pkgdb *db,
        const char *pkg, const char *ver, const char *arch, bool installed,
        size_t off)
{
	const char *name;
	char *purl;
	struct Sl_arch a = Sl_arch_pkg(arch);

	if (!installed || !clean(pkg) || !clean(ver) ||
	    db->count >= COMP_PKG_MAX)
		return;
	if (++db->count == COMP_PKG_MAX)
		Sl_incomplete(s,
		              "fw.components: %s: more than %u packages; "
		              "the rest not listed",
		              e->path, COMP_PKG_MAX);
	name = Sl_vuln_pkg_name(s, pkg);
	purl =
	    Sl_purl(s, db->type, db->ns, pkg, ver, clean(arch) ? arch : NULL);
	if (*a.machine == 0)
		a = db->image;
	if (name != NULL && purl != NULL)
		report(s,
		       Sl_component_add_arch(s, name, ver, purl, &a, e->path),
		       e->path, off);
}

/*
 * One database: stanzas of "Key: value" lines separated by blank lines
 * (opkg, dpkg), or of "K:value" lines (apk).  UNTRUSTED: data; lines
 * are walked with memchr, values cut to 128 bytes.
 */
static sl_rc
pkg_file(struct sl_scan *s, const struct sl_entry *e, const uint8_t *data,
         size_t len, void *user)
{
	struct pkgdb db = *(const struct pkgdb *)user;
	char pkg[128] = "", ver[128] = "", arch[64] = "";
	const char *p = (const char *)data, *end = p + len, *nl;
	const char *stanza = p; /* where the stanza begins */
	bool installed = true;

	if (len > COMP_PKG_MAX_FILE) {
		Sl_incomplete(s,
		              "fw.components: %s: larger than %u bytes; "
		              "packages not listed",
		              e->path, COMP_PKG_MAX_FILE);
		return SL_OK;
	}
	while (p <= end) {
		size_t n;

		nl = memchr(p, '\n', (size_t)(end - p));
		n = nl ? (size_t)(nl - p) : (size_t)(end - p);
		if (n > 0 && p[n - 1] == '\r')
			n--;
		if (n == 0) {
			/* The end of a stanza. */
			if (*pkg != 0)
				add_pkg(s, e, &db, pkg, ver, arch, installed,
				        (size_t)(stanza - (const char *)data));
			*pkg = *ver = *arch = 0;
			installed = true;
			stanza = nl != NULL ? nl + 1 : end;
		} else if (db.apk && n > 2 && p[1] == ':') {
			if (p[0] == 'P')
				field(p, n, 2, pkg, sizeof(pkg));
			else if (p[0] == 'V')
				field(p, n, 2, ver, sizeof(ver));
			else if (p[0] == 'A')
				field(p, n, 2, arch, sizeof(arch));
		} else if (!db.apk) {
			if (n > 8 && strncmp(p, "Package:", 8) == 0)
				field(p, n, 8, pkg, sizeof(pkg));
			else if (n > 8 && strncmp(p, "Version:", 8) == 0)
				field(p, n, 8, ver, sizeof(ver));
			else if (n > 13 && strncmp(p, "Architecture:", 13) == 0)
				field(p, n, 13, arch, sizeof(arch));
			else if (n > 7 && strncmp(p, "Status:", 7) == 0) {
				char st[128];

				field(p, n, 7, st, sizeof(st));
				/* "install ok installed", not "deinstall
				 * ok config-files" or "not-installed". */
				installed = strstr(st, " installed") != NULL ||
				            strcmp(st, "installed") == 0;
			}
		}
		if (nl == NULL)
			break;
		p = nl + 1;
	}
	if (*pkg != 0)
		add_pkg(s, e, &db, pkg, ver, arch, installed,
		        (size_t)(stanza - (const char *)data));
	return SL_OK;
}

static sl_rc
from_packages(struct sl_scan *s, const struct Sl_arch *arch)
{
	static const char *const opkg[] = {"usr/lib/opkg/status",
	                                   "var/lib/opkg/status", NULL};
	static const char *const dpkg[] = {"var/lib/dpkg/status", NULL};
	static const char *const apk[] = {"lib/apk/db/installed", NULL};
	struct pkgdb o = {"opkg", NULL, false, 0, *arch};
	struct pkgdb d = {"deb", "debian", false, 0, *arch};
	struct pkgdb a = {"apk", "alpine", true, 0, *arch};
	sl_rc rc;

	rc = Sl_each_file_any(s, opkg, pkg_file, &o);
	if (rc == SL_OK)
		rc = Sl_each_file_any(s, dpkg, pkg_file, &d);
	if (rc == SL_OK)
		rc = Sl_each_file_any(s, apk, pkg_file, &a);
	return rc;
}

/* ---- The check ------------------------------------------------------- */

static int
hit_cmp(const void *a, const void *b)
{
	const struct hit *x = a, *y = b;
	int c;

	if ((c = Sl_path_cmp(x->path, y->path)) != 0 ||
	    (c = strcmp(x->name, y->name)) != 0)
		return c;
	return strcmp(x->ver, y->ver);
}

/*
 * Is hit i a region of a file ("x!/data@0x0", the kernel found again at
 * an offset of the decompressed image) whose file gave the same component
 * and version?  Then it is the same place: one component, not two.
 */
static bool
same_place(const struct coll *c, size_t i)
{
	const struct hit *h = &c->v[i];
	const char *at = strrchr(h->path, '@'), *slash = strrchr(h->path, '/');
	size_t j, n;

	if (at == NULL || (slash != NULL && slash > at) ||
	    strncmp(at, "@0x", 3) != 0)
		return false;
	n = (size_t)(at - h->path);
	for (j = 0; j < c->n; j++)
		if (j != i && strlen(c->v[j].path) == n &&
		    strncmp(c->v[j].path, h->path, n) == 0 &&
		    strcmp(c->v[j].name, h->name) == 0 &&
		    strcmp(c->v[j].ver, h->ver) == 0)
			return true;
	return false;
}

/* A literal as a Hyperscan pattern: every byte "\\xHH" (ours, short). */
static void
mark_re(const char *lit, char *out, size_t outlen)
{
	size_t n = 0;

	for (; *lit != 0 && n + 5 < outlen; lit++)
		n += (size_t)snprintf(out + n, outlen - n, "\\x%02x",
		                      (unsigned)(unsigned char)*lit);
	out[n] = 0;
}

static sl_rc
comp_prepare(struct sl_scan *s, struct Sl_grep_job *job)
{
	static const struct Sl_grep_ops ops = {
	    .who = "fw.components",
	    .priv_size = sizeof(struct fstate),
	    .begin = comp_begin,
	    .match = comp_match,
	    .end = comp_end,
	};
	const char *re[NTRIGS + COMP_FEATURES];
	unsigned flags[NTRIGS + COMP_FEATURES];
	char marks[COMP_FEATURES][4 * 64 + 1];
	struct coll *c;
	size_t i;
	sl_rc rc;

	c = calloc(1, sizeof(*c));
	if (c == NULL)
		return Sl_fail(s, SL_E_NOMEM, "fw.components: out of memory");
	pthread_mutex_init(&c->mu, NULL);
	for (i = 0; i < NTRIGS; i++) {
		re[i] = trigs[i].re;
		/* One report per trigger and file, except the bare ones. */
		flags[i] = trigs[i].cut == CUT_BARE ? 0 : HS_FLAG_SINGLEMATCH;
	}
	c->features = Sl_features(&c->nfeatures);
	if (c->nfeatures > COMP_FEATURES)
		c->nfeatures = COMP_FEATURES;
	for (i = 0; i < c->nfeatures; i++) {
		mark_re(c->features[i].mark, marks[i], sizeof(marks[i]));
		re[NTRIGS + i] = marks[i];
		flags[NTRIGS + i] = HS_FLAG_SINGLEMATCH;
	}
	rc = Sl_patterns_compile(s, "fw.components", re, flags,
	                         (unsigned)(NTRIGS + c->nfeatures), &c->p);
	job->p = c->p;
	job->ops = &ops;
	job->user = c;
	return rc;
}

static sl_rc
comp_finish(struct sl_scan *s, struct Sl_grep_job *job, sl_rc rc)
{
	struct coll *c = job->user;
	size_t i;

	if (c == NULL)
		return rc;
	if (rc == SL_OK) {
		struct Sl_arch img = image_arch(c);

		if (c->n > 1)
			qsort(c->v, c->n, sizeof(*c->v), hit_cmp);
		for (i = 0; i < c->n; i++) {
			const struct hit *h = &c->v[i];

			const struct Sl_arch *a =
			    h->arch.bits != 0 ? &h->arch : &img;

			if (same_place(c, i))
				continue;
			report(s,
			       h->feat_known
			           ? Sl_component_add_built(s, h->name, h->ver,
			                                    NULL, a, h->feat,
			                                    h->path)
			           : Sl_component_add_arch(s, h->name, h->ver,
			                                   NULL, a, h->path),
			       h->path, h->off);
		}
		if (c->full)
			Sl_incomplete(s,
			              "fw.components: more than %u "
			              "components in file contents; the rest "
			              "not listed",
			              COMP_MAX_HITS);
		from_names(s, &img);
		rc = from_packages(s, &img);
		/* Report an unreadable --vuln-db even with no component. */
		Sl_vuln_db_touch(s);
	}
	for (i = 0; i < c->n; i++)
		free(c->v[i].path);
	free(c->v);
	Sl_patterns_free(c->p);
	pthread_mutex_destroy(&c->mu);
	free(c);
	job->user = NULL;
	if (rc == SL_E_NOMEM)
		return Sl_fail(s, rc, "fw.components: out of memory");
	return rc;
}

const struct Sl_check Sl_check_components = {
    .id = "fw.components",
    .title = "Software components and their known vulnerabilities",
    .covers = {"S1.1-13", NULL},
    .findings = findings,
    .source = SL_SRC_FIRMWARE,
    .prepare = comp_prepare,
    .finish = comp_finish,
};
