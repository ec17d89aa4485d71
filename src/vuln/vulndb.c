/*
 * vulndb.c - the --vuln-db directory: NVD JSON 2.0 and OSV files read
 * into affected version ranges (struct Sl_vuln) for src/vuln/vuln.c.
 *
 * NVD JSON 2.0 (a CVE API response, or a feed of the same shape):
 *
 *	{"vulnerabilities": [{"cve": {"id": "CVE-...",
 *	    "descriptions": [{"lang": "en", "value": "..."}],
 *	    "metrics": {"cvssMetricV31": [{"type": "Primary",
 *	                                   "cvssData": {"baseScore": 9.8}}]},
 *	    "configurations": [{"nodes": [{"cpeMatch": [{"vulnerable": true,
 *	        "criteria": "cpe:2.3:a:busybox:busybox:*:*:*:*:*:*:*:*",
 *	        "versionEndExcluding": "1.36.0"}]}]}]}}]}
 *
 * OSV (one object, an array of them, or {"vulns": [...]}):
 *
 *	{"id": "...", "aliases": ["CVE-..."], "summary": "...",
 *	 "severity": [{"type": "CVSS_V3", "score": "CVSS:3.1/AV:N/..."}],
 *	 "affected": [{"package": {"ecosystem": "...", "name": "..."},
 *	     "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"},
 *	                                                {"fixed": "1.2"}]}],
 *	     "versions": ["1.0", "1.1"]}]}
 *
 * Trust: the directory is the user's, but its files are downloads from
 * elsewhere, so they are parsed as hostile (UNTRUSTED): jansson does the
 * JSON (bounded nesting); this file bounds the file count and size, the
 * ranges kept, and every string it keeps; a type it does not expect is a
 * skipped entry, never a crash.  OSV's CVSS v3 vectors are turned into
 * base scores with the CVSS v3.1 formulas (no Debian library does that).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>

#include "vulndb.h"

/* A parse in progress: where ranges go and what was skipped. */
struct ctx {
	struct sl_scan *s;
	struct Sl_vulndb *db;
	size_t skipped, entries;
	char first[160]; /* why the first skipped entry was skipped */
	bool nomem;
};

static void
skip(struct ctx *x, const char *fmt, const char *arg)
{
	if (x->skipped++ == 0)
		snprintf(x->first, sizeof(x->first), fmt, arg);
}

/* A string member, if it is a string of sane length; else NULL. */
static const char *
str(const json_t *o, const char *key)
{
	const json_t *v = json_object_get(o, key);
	const char *p;

	if (!json_is_string(v))
		return NULL;
	p = json_string_value(v);
	/* UNTRUSTED: a length; an embedded NUL just shortens it. */
	if (json_string_length(v) == 0 ||
	    json_string_length(v) >= SL_VDB_MAX_STR)
		return NULL;
	return p;
}

/* A CVE or advisory id: printable, no spaces. */
static bool
good_id(const char *p)
{
	if (p == NULL || *p == 0)
		return false;
	for (; *p != 0; p++)
		if (*p <= ' ' || *p > '~')
			return false;
	return true;
}

static char *
keep(struct ctx *x, const char *p, size_t max)
{
	char *d;

	if (p == NULL)
		return NULL;
	d = Sl_arena_strndup(&x->s->arena, p, max);
	if (d == NULL)
		x->nomem = true;
	return d;
}

/*
 * A one-line summary: control characters become spaces and non-ASCII
 * bytes '?', so that the cut never splits a UTF-8 sequence.
 */
static char *
keep_summary(struct ctx *x, const char *p)
{
	char *d = keep(x, p, SL_VDB_MAX_SUMMARY), *q;

	for (q = d; q != NULL && *q != 0; q++)
		if ((unsigned char)*q < ' ' || *q == 0x7f)
			*q = ' ';
		else if ((unsigned char)*q > 0x7f)
			*q = '?';
	return d;
}

/* Append a range; false when full or out of memory. */
static bool
push(struct ctx *x, const struct Sl_vuln *r)
{
	struct Sl_vulndb *db = x->db;

	if (db->n >= SL_VDB_MAX_RANGES) {
		db->full = true;
		return false;
	}
	if (db->n == db->cap) {
		size_t nc = db->cap ? db->cap * 2 : 256;
		struct Sl_vuln *nv;

		if (nc > SL_VDB_MAX_RANGES)
			nc = SL_VDB_MAX_RANGES;
		nv = Sl_arena_alloc(&x->s->arena, nc * sizeof(*nv));
		if (nv == NULL) {
			x->nomem = true;
			return false;
		}
		if (db->n > 0)
			memcpy(nv, db->v, db->n * sizeof(*nv));
		db->v = nv;
		db->cap = nc;
	}
	db->v[db->n++] = *r;
	return true;
}

/* ---- CVSS v3 vectors ------------------------------------------------ */

/* CVSS v3.1 Roundup: the smallest one-decimal number >= x. */
static double
roundup(double x)
{
	long i = lround(x * 100000.0);

	if (i % 10000 == 0)
		return (double)i / 100000.0;
	return (floor((double)i / 10000.0) + 1.0) / 10.0;
}

/* The value letter of metric m in a v3 vector, or 0. */
static char
metric(const char *vec, const char *m)
{
	size_t ml = strlen(m);
	const char *p = vec;

	while ((p = strstr(p, m)) != NULL) {
		if ((p == vec || p[-1] == '/') && p[ml] == ':' &&
		    p[ml + 1] != 0)
			return p[ml + 1];
		p += ml;
	}
	return 0;
}

/*
 * The base score of a "CVSS:3.x/AV:N/AC:L/..." vector, per the CVSS v3.1
 * specification section 7.1; 0 when a base metric is missing or odd.
 */
static double
cvss3_score(const char *vec)
{
	char av = metric(vec, "AV"), ac = metric(vec, "AC");
	char pr = metric(vec, "PR"), ui = metric(vec, "UI");
	char sc = metric(vec, "S"), cc = metric(vec, "C");
	char ic = metric(vec, "I"), ac2 = metric(vec, "A");
	double vav, vac, vpr, vui, iss, imp, expl, cia[3];
	const char l[3] = {cc, ic, ac2};
	bool changed = sc == 'C';
	int i;

	if (strncmp(vec, "CVSS:3.", 7) != 0 || (sc != 'U' && sc != 'C'))
		return 0;
	switch (av) {
	case 'N': vav = 0.85; break;
	case 'A': vav = 0.62; break;
	case 'L': vav = 0.55; break;
	case 'P': vav = 0.2; break;
	default: return 0;
	}
	switch (ac) {
	case 'L': vac = 0.77; break;
	case 'H': vac = 0.44; break;
	default: return 0;
	}
	switch (pr) {
	case 'N': vpr = 0.85; break;
	case 'L': vpr = changed ? 0.68 : 0.62; break;
	case 'H': vpr = changed ? 0.5 : 0.27; break;
	default: return 0;
	}
	switch (ui) {
	case 'N': vui = 0.85; break;
	case 'R': vui = 0.62; break;
	default: return 0;
	}
	for (i = 0; i < 3; i++) {
		switch (l[i]) {
		case 'H': cia[i] = 0.56; break;
		case 'L': cia[i] = 0.22; break;
		case 'N': cia[i] = 0; break;
		default: return 0;
		}
	}
	iss = 1 - (1 - cia[0]) * (1 - cia[1]) * (1 - cia[2]);
	if (changed)
		imp = 7.52 * (iss - 0.029) - 3.25 * pow(iss - 0.02, 15);
	else
		imp = 6.42 * iss;
	expl = 8.22 * vav * vac * vpr * vui;
	if (imp <= 0)
		return 0;
	if (changed)
		return roundup(fmin(1.08 * (imp + expl), 10));
	return roundup(fmin(imp + expl, 10));
}

/* ---- NVD JSON 2.0 --------------------------------------------------- */

/* The base score of the first usable metric of this kind (Primary first). */
static double
nvd_score(const json_t *metrics, const char *kind)
{
	const json_t *arr = json_object_get(metrics, kind), *m;
	double best = 0;
	size_t i;

	if (!json_is_array(arr))
		return 0;
	json_array_foreach(arr, i, m)
	{
		const json_t *d = json_object_get(m, "cvssData");
		const json_t *b = json_object_get(d, "baseScore");
		const char *type = str(m, "type");
		double v;

		if (!json_is_number(b))
			continue;
		v = json_number_value(b);
		/* UNTRUSTED: a score; only 0..10 is one. */
		if (!(v >= 0 && v <= 10))
			continue;
		if (type != NULL && strcmp(type, "Primary") == 0)
			return v;
		if (best == 0)
			best = v;
	}
	return best;
}

/*
 * Split a CPE 2.3 formatted string at its unquoted colons into f[0..13),
 * unquoting each field into buf.  false when it is not one.
 */
static bool
cpe_split(const char *cpe, char *buf, size_t buflen, const char *f[13])
{
	size_t n = 0, o = 0;
	const char *p;

	if (strncmp(cpe, "cpe:2.3:", 8) != 0)
		return false;
	f[n++] = buf;
	for (p = cpe; *p != 0; p++) {
		if (o + 2 > buflen)
			return false;
		if (*p == '\\' && p[1] != 0) {
			buf[o++] = *++p;
		} else if (*p == ':') {
			buf[o++] = 0;
			if (n == 13)
				return false;
			f[n++] = buf + o;
		} else {
			buf[o++] = *p;
		}
	}
	buf[o] = 0;
	return n == 13;
}

static bool
cpe_any(const char *v)
{
	return *v == 0 || strcmp(v, "*") == 0;
}

/* One cpeMatch: a range of one component, pushed with base as template. */
static void
nvd_match(struct ctx *x, const json_t *m, const struct Sl_vuln *base)
{
	char buf[SL_VDB_MAX_STR], ver[2 * SL_VDB_MAX_STR];
	const char *crit = str(m, "criteria"), *f[13], *v;
	const json_t *vul = json_object_get(m, "vulnerable");
	struct Sl_vuln r = *base;

	if (!json_is_true(vul))
		return;
	if (crit == NULL || !cpe_split(crit, buf, sizeof(buf), f) ||
	    *f[3] == 0 || *f[4] == 0) {
		skip(x, "%s: a cpeMatch without a usable CPE 2.3 criteria",
		     base->id);
		return;
	}
	r.component = Sl_vuln_cpe_name(x->s, f[3], f[4]);
	if (r.component == NULL) {
		x->nomem = true;
		return;
	}
	if (strcmp(f[5], "-") == 0)
		return; /* "not applicable": no version is named */
	if (!cpe_any(f[5])) {
		/* One version, with NVD's update field ("8.4" "p1"). */
		snprintf(ver, sizeof(ver), "%s%s", f[5],
		         cpe_any(f[6]) || strcmp(f[6], "-") == 0 ? "" : f[6]);
		r.lo = r.hi = keep(x, ver, SL_VDB_MAX_STR);
		r.lo_excl = false;
		r.hi_incl = true;
		if (r.lo == NULL)
			return;
		(void)push(x, &r);
		return;
	}
	if ((v = str(m, "versionStartIncluding")) != NULL) {
		r.lo = keep(x, v, SL_VDB_MAX_STR);
	} else if ((v = str(m, "versionStartExcluding")) != NULL) {
		r.lo = keep(x, v, SL_VDB_MAX_STR);
		r.lo_excl = true;
	}
	if ((v = str(m, "versionEndExcluding")) != NULL) {
		r.hi = keep(x, v, SL_VDB_MAX_STR);
	} else if ((v = str(m, "versionEndIncluding")) != NULL) {
		r.hi = keep(x, v, SL_VDB_MAX_STR);
		r.hi_incl = true;
	}
	if (x->nomem)
		return;
	(void)push(x, &r);
}

static void
nvd_entry(struct ctx *x, const json_t *item)
{
	const json_t *cve = json_object_get(item, "cve");
	const json_t *metrics, *descs, *d, *confs, *conf, *nodes, *node;
	const json_t *ms, *m;
	const char *id = str(cve, "id");
	struct Sl_vuln base = {0};
	size_t i, j, k;
	char url[SL_VDB_MAX_STR + 64];

	x->entries++;
	if (!json_is_object(cve) || !good_id(id)) {
		skip(x, "%s", "an entry without cve.id");
		return;
	}
	base.id = keep(x, id, 64);
	base.source = "NVD";
	snprintf(url, sizeof(url), "https://nvd.nist.gov/vuln/detail/%s",
	         base.id ? base.id : "");
	base.url = keep(x, url, sizeof(url));
	metrics = json_object_get(cve, "metrics");
	base.cvss = nvd_score(metrics, "cvssMetricV31");
	if (base.cvss == 0)
		base.cvss = nvd_score(metrics, "cvssMetricV30");
	if (base.cvss == 0)
		base.cvss = nvd_score(metrics, "cvssMetricV40");
	descs = json_object_get(cve, "descriptions");
	if (json_is_array(descs))
		json_array_foreach(descs, i, d)
		{
			const char *lang = str(d, "lang");

			if (lang != NULL && strcmp(lang, "en") == 0 &&
			    json_is_string(json_object_get(d, "value"))) {
				base.summary = keep_summary(
				    x, json_string_value(
				           json_object_get(d, "value")));
				break;
			}
		}
	if (x->nomem)
		return;
	confs = json_object_get(cve, "configurations");
	if (confs != NULL && !json_is_array(confs)) {
		skip(x, "%s: configurations is not an array", base.id);
		return;
	}
	json_array_foreach(confs, i, conf)
	{
		nodes = json_object_get(conf, "nodes");
		if (!json_is_array(nodes))
			continue;
		json_array_foreach(nodes, j, node)
		{
			ms = json_object_get(node, "cpeMatch");
			if (!json_is_array(ms))
				continue;
			json_array_foreach(ms, k, m)
			{
				nvd_match(x, m, &base);
				if (x->nomem || x->db->full)
					return;
			}
		}
	}
}

/* ---- OSV ------------------------------------------------------------ */

static void
osv_range(struct ctx *x, const json_t *range, const struct Sl_vuln *base)
{
	const char *type = str(range, "type");
	const json_t *events = json_object_get(range, "events"), *ev;
	struct Sl_vuln r = *base;
	bool open = false;
	const char *v;
	size_t i;

	if (type == NULL ||
	    (strcmp(type, "ECOSYSTEM") != 0 && strcmp(type, "SEMVER") != 0))
		return; /* GIT ranges name commits, not versions */
	if (!json_is_array(events)) {
		skip(x, "%s: a range without events", base->id);
		return;
	}
	json_array_foreach(events, i, ev)
	{
		if ((v = str(ev, "introduced")) != NULL) {
			if (open && !push(x, &r))
				return;
			r = *base;
			r.lo = strcmp(v, "0") == 0 ? NULL
			                           : keep(x, v, SL_VDB_MAX_STR);
			open = true;
		} else if ((v = str(ev, "fixed")) != NULL ||
		           (v = str(ev, "last_affected")) != NULL) {
			if (!open)
				continue;
			r.hi = keep(x, v, SL_VDB_MAX_STR);
			r.hi_incl = json_object_get(ev, "fixed") == NULL;
			open = false;
			if (x->nomem || !push(x, &r))
				return;
		}
		/* "limit" events bound GIT walks; nothing to do here. */
	}
	if (open && !x->nomem)
		(void)push(x, &r);
}

static void
osv_entry(struct ctx *x, const json_t *o)
{
	const char *id = str(o, "id"), *name, *v;
	const json_t *aliases, *sev, *aff, *a, *ranges, *rg, *vers, *e;
	struct Sl_vuln base = {0};
	char url[SL_VDB_MAX_STR + 64];
	size_t i, j;

	x->entries++;
	if (!json_is_object(o) || !good_id(id)) {
		skip(x, "%s", "an OSV entry without an id");
		return;
	}
	snprintf(url, sizeof(url), "https://osv.dev/vulnerability/%s", id);
	base.url = keep(x, url, sizeof(url));
	base.source = "OSV";
	/* A CVE alias makes the id agree with NVD's and the bundled set's. */
	aliases = json_object_get(o, "aliases");
	if (strncmp(id, "CVE-", 4) != 0 && json_is_array(aliases))
		json_array_foreach(
		    aliases, i,
		    a) if (json_is_string(a) &&
		           strncmp(json_string_value(a), "CVE-", 4) == 0 &&
		           good_id(json_string_value(a)) &&
		           json_string_length(a) < 64)
		{
			id = json_string_value(a);
			break;
		}
	base.id = keep(x, id, 64);
	if ((v = str(o, "summary")) == NULL)
		v = json_string_value(json_object_get(o, "details"));
	if (v != NULL)
		base.summary = keep_summary(x, v);
	sev = json_object_get(o, "severity");
	if (json_is_array(sev))
		json_array_foreach(sev, i, a)
		{
			const char *t = str(a, "type"), *sc = str(a, "score");

			if (t != NULL && sc != NULL &&
			    strcmp(t, "CVSS_V3") == 0) {
				base.cvss = cvss3_score(sc);
				break;
			}
		}
	if (x->nomem)
		return;
	aff = json_object_get(o, "affected");
	if (!json_is_array(aff)) {
		skip(x, "%s: no affected array", base.id);
		return;
	}
	json_array_foreach(aff, i, a)
	{
		const json_t *pkg = json_object_get(a, "package");

		name = str(pkg, "name");
		if (name == NULL) {
			skip(x, "%s: an affected package without a name",
			     base.id);
			continue;
		}
		base.component = Sl_vuln_pkg_name(x->s, name);
		if (base.component == NULL) {
			x->nomem = true;
			return;
		}
		ranges = json_object_get(a, "ranges");
		if (json_is_array(ranges))
			json_array_foreach(ranges, j, rg)
			{
				osv_range(x, rg, &base);
				if (x->nomem || x->db->full)
					return;
			}
		vers = json_object_get(a, "versions");
		if (json_is_array(vers))
			json_array_foreach(vers, j, e)
			{
				struct Sl_vuln r = base;

				if (!json_is_string(e) ||
				    json_string_length(e) == 0 ||
				    json_string_length(e) >= SL_VDB_MAX_STR)
					continue;
				r.lo = r.hi = keep(x, json_string_value(e),
				                   SL_VDB_MAX_STR);
				r.hi_incl = true;
				if (x->nomem || !push(x, &r))
					return;
			}
	}
}

/* ---- Documents and directories -------------------------------------- */

sl_rc
Sl_vulndb_parse(struct sl_scan *s, struct Sl_vulndb *db, const char *text,
                size_t len, char *why, size_t whylen)
{
	struct ctx x = {.s = s, .db = db};
	const json_t *arr, *e;
	json_error_t jerr;
	json_t *root;
	size_t i;
	sl_rc rc = SL_OK;

	*why = 0;
	/* UNTRUSTED: the document; jansson bounds its nesting depth. */
	root = json_loadb(text, len, 0, &jerr);
	if (root == NULL) {
		snprintf(why, whylen, "not JSON: %s (line %d, column %d)",
		         jerr.text, jerr.line, jerr.column);
		return SL_E_MALFORMED;
	}
	if (json_is_array(json_object_get(root, "vulnerabilities"))) {
		arr = json_object_get(root, "vulnerabilities");
		json_array_foreach(arr, i, e)
		{
			nvd_entry(&x, e);
			if (x.nomem || db->full)
				break;
		}
	} else if (json_is_array(json_object_get(root, "vulns")) ||
	           json_is_array(root)) {
		arr =
		    json_is_array(root) ? root : json_object_get(root, "vulns");
		json_array_foreach(arr, i, e)
		{
			osv_entry(&x, e);
			if (x.nomem || db->full)
				break;
		}
	} else if (json_is_object(root) && json_object_get(root, "id") &&
	           json_object_get(root, "affected")) {
		osv_entry(&x, root);
	} else {
		snprintf(why, whylen,
		         "neither NVD JSON 2.0 (no "
		         "\"vulnerabilities\" array) nor OSV (no \"id\" and "
		         "\"affected\")");
		rc = SL_E_MALFORMED;
	}
	json_decref(root);
	if (x.nomem) {
		snprintf(why, whylen, "out of memory");
		return SL_E_NOMEM;
	}
	if (db->full) {
		snprintf(why, whylen,
		         "more than %u affected ranges over all "
		         "files; the rest skipped",
		         SL_VDB_MAX_RANGES);
		return SL_E_LIMIT;
	}
	if (rc == SL_OK && x.skipped > 0) {
		snprintf(why, whylen,
		         "%zu of %zu entries skipped, the first: "
		         "%s",
		         x.skipped, x.entries, x.first);
		rc = SL_E_MALFORMED;
	}
	return rc;
}

static void
note(char ***errs, size_t *nerrs, const char *path, const char *why)
{
	char *m, **na;

	if (asprintf(&m, "%s: %s", path, why) < 0)
		return;
	na = realloc(*errs, (*nerrs + 1) * sizeof(*na));
	if (na == NULL) {
		free(m);
		return;
	}
	*errs = na;
	na[(*nerrs)++] = m;
}

static int
name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int
scmp(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return (a != NULL) - (b != NULL);
	return strcmp(a, b);
}

/* Sort by component (for bsearch), then by everything, for stability. */
static int
vuln_cmp(const void *pa, const void *pb)
{
	const struct Sl_vuln *a = pa, *b = pb;
	int c;

	if ((c = strcmp(a->component, b->component)) != 0 ||
	    (c = strcmp(a->id, b->id)) != 0 || (c = scmp(a->lo, b->lo)) != 0 ||
	    (c = scmp(a->hi, b->hi)) != 0 ||
	    (c = (int)a->lo_excl - (int)b->lo_excl) != 0 ||
	    (c = (int)a->hi_incl - (int)b->hi_incl) != 0)
		return c;
	if (a->cvss != b->cvss)
		return a->cvss < b->cvss ? -1 : 1;
	if ((c = scmp(a->source, b->source)) != 0 ||
	    (c = scmp(a->url, b->url)) != 0)
		return c;
	return scmp(a->summary, b->summary);
}

/*
 * Read one file (regular, bounded, never through a symbolic link) into a
 * malloc'd buffer; NULL with *why set when it cannot.
 */
static char *
slurp(const char *path, size_t *len, const char **why)
{
	char *buf;
	sl_rc rc = Sl_read_file(path, SL_VDB_MAX_FILE, &buf, len);

	*why = NULL;
	switch (rc) {
	case SL_OK: return buf;
	case SL_E_LIMIT:
		*why = "larger than the 128 MiB a vuln-db file may have";
		break;
	case SL_E_NOMEM: *why = "out of memory"; break;
	default:
		*why = errno == EINVAL  ? "not a regular file"
		       : errno == ELOOP ? "a symbolic link"
		                        : strerror(errno);
		break;
	}
	return NULL;
}

void
Sl_vulndb_load(struct sl_scan *s, const char *dir, struct Sl_vulndb *db,
               char ***errs, size_t *nerrs)
{
	char **names = NULL, why[512], *path, *text;
	size_t n = 0, i, len, more = 0;
	const char *ewhy;
	struct dirent *de;
	DIR *d;

	d = opendir(dir);
	if (d == NULL) {
		note(errs, nerrs, dir, strerror(errno));
		return;
	}
	while ((de = readdir(d)) != NULL) {
		size_t nl = strlen(de->d_name);
		char **nn;

		if (nl < 6 || strcmp(de->d_name + nl - 5, ".json") != 0 ||
		    de->d_name[0] == '.')
			continue;
		if (n == SL_VDB_MAX_FILES) {
			more++;
			continue;
		}
		nn = realloc(names, (n + 1) * sizeof(*nn));
		if (nn == NULL)
			break;
		names = nn;
		if ((names[n] = strdup(de->d_name)) == NULL)
			break;
		n++;
	}
	closedir(d);
	if (n > 0)
		qsort(names, n, sizeof(*names), name_cmp);
	for (i = 0; i < n; i++) {
		if (asprintf(&path, "%s/%s", dir, names[i]) < 0)
			continue;
		text = slurp(path, &len, &ewhy);
		if (text == NULL) {
			note(errs, nerrs, path, ewhy);
		} else {
			if (Sl_vulndb_parse(s, db, text, len, why,
			                    sizeof(why)) != SL_OK)
				note(errs, nerrs, path, why);
			free(text);
		}
		free(path);
		if (db->full)
			break;
	}
	if (more > 0) {
		snprintf(why, sizeof(why),
		         "more than %u *.json files; %zu "
		         "not read",
		         SL_VDB_MAX_FILES, more);
		note(errs, nerrs, dir, why);
	}
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	if (db->n > 1)
		qsort(db->v, db->n, sizeof(*db->v), vuln_cmp);
}
