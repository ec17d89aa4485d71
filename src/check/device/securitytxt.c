/*
 * securitytxt.c - the check "net.security-txt": the device's web
 * interface publishes where to report vulnerabilities (S1.1-05, from the
 * network side).
 *
 * Every web service of the device (named http*, with or without TLS) is
 * asked for /.well-known/security.txt (login.c's libcurl client: bounded
 * body and time, the service's own address only, certificate checks off
 * because only the file is read; one same-service redirect is followed).
 * The file is validated against RFC 9116:
 *   - every non-comment line is "Field: value";
 *   - Contact at least once, each a mailto:, tel: or https:// URI;
 *   - Expires exactly once, an RFC 3339 date-time in the future (more
 *     than a year ahead is noted: the RFC recommends less);
 *   - Preferred-Languages at most once; web URIs in Encryption, Policy,
 *     Acknowledgments, Canonical, Hiring and CSAF use https;
 *   - an OpenPGP cleartext signature, when present, is well formed (it
 *     is not verified: the vendor's key is not known here);
 *   - served as text/plain, over HTTPS.
 * A 200 answer that is no security.txt (an HTML page, such as a web UI
 * answering every path with its start or login page, or a file of
 * another type with no Contact and no Expires field) counts as absent,
 * as does a redirect to such a page.  A fetch that failed (no answer,
 * a transfer cut off, headers over libcurl's bound) judges nothing: it
 * is recorded as incomplete, and when no service published the file,
 * S1.1-05 is not judged from the device (Sl_not_judged) instead of being
 * called absent or invalid.
 * Findings: NET-SECURITY-TXT (info: present and valid; the requirement's
 * network part is covered), NET-SECURITY-TXT-INVALID (low, naming each
 * problem), NET-SECURITY-TXT-ABSENT (info: S1.1-05 is assessed from
 * documents, so the profile can supply the policy instead).
 *
 * Trust: the file is device output.  The parser below is hand-written
 * because RFC 9116 is a line format no Debian library reads; it looks at
 * most SL_STXT_MAX bytes, copies at most fixed-size pieces of a line, and
 * has a fuzz target (securitytxt_fuzz.c).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <strings.h>
#include <time.h>

#include "../../net/login.h"
#include "../check.h"
#include "securitytxt.h"

#define REQ          "S1.1-05"
#define PATH         "/.well-known/security.txt"
#define SL_STXT_MAX  (64U << 10)
#define MAX_PROBLEMS 8

SL_PRINTF(3, 4) static void add(char *buf, size_t cap, const char *fmt, ...)
{
	size_t l = strlen(buf);
	va_list ap;

	if (l + 3 >= cap)
		return;
	if (l > 0) {
		memcpy(buf + l, "; ", 3);
		l += 2;
	}
	va_start(ap, fmt);
	vsnprintf(buf + l, cap - l, fmt, ap);
	va_end(ap);
}

#define PROBLEM(t, ...)                                                        \
	do {                                                                   \
		if ((t)->nproblems++ < MAX_PROBLEMS)                           \
			add((t)->problems, sizeof((t)->problems),              \
			    __VA_ARGS__);                                      \
		else if ((t)->nproblems == MAX_PROBLEMS + 1)                   \
			add((t)->problems, sizeof((t)->problems), "...");      \
	} while (0)

/* Copy at most cap-1 bytes of s (n bytes), made printable. */
static void
copy_printable(char *out, size_t cap, const char *s, size_t n)
{
	size_t i;

	if (n > cap - 1)
		n = cap - 1;
	for (i = 0; i < n; i++)
		out[i] =
		    (unsigned char)s[i] >= 0x20 && (unsigned char)s[i] < 0x7f
		        ? s[i]
		        : '.';
	out[n] = 0;
}

static bool
starts_ci(const char *s, size_t n, const char *pre)
{
	size_t l = strlen(pre);

	return n >= l && strncasecmp(s, pre, l) == 0;
}

static bool
digits(const char *s, size_t n, int *v)
{
	size_t i;

	*v = 0;
	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		*v = *v * 10 + (s[i] - '0');
	}
	return true;
}

/* Days since 1970-01-01 of a proleptic Gregorian date. */
static int64_t
days_from_civil(int y, int m, int d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

/*
 * RFC 3339 date-time: 2026-12-31T23:59:59[.frac](Z|+hh:mm|-hh:mm).
 * Returns false when v (n bytes) is anything else.
 */
static bool
rfc3339(const char *v, size_t n, int64_t *out)
{
	static const int mdays[] = {31, 29, 31, 30, 31, 30,
	                            31, 31, 30, 31, 30, 31};
	int y, mo, d, h, mi, sec, oh = 0, om = 0;
	size_t i = 19;
	int64_t t;

	if (n < 20 || v[4] != '-' || v[7] != '-' ||
	    (v[10] != 'T' && v[10] != 't') || v[13] != ':' || v[16] != ':')
		return false;
	if (!digits(v, 4, &y) || !digits(v + 5, 2, &mo) ||
	    !digits(v + 8, 2, &d) || !digits(v + 11, 2, &h) ||
	    !digits(v + 14, 2, &mi) || !digits(v + 17, 2, &sec))
		return false;
	if (mo < 1 || mo > 12 || d < 1 || d > mdays[mo - 1] || h > 23 ||
	    mi > 59 || sec > 60)
		return false;
	if (v[i] == '.') {
		size_t f = ++i;

		while (i < n && v[i] >= '0' && v[i] <= '9')
			i++;
		if (i == f)
			return false;
	}
	if (i < n && (v[i] == 'Z' || v[i] == 'z')) {
		i++;
	} else if (i + 6 == n && (v[i] == '+' || v[i] == '-') &&
	           v[i + 3] == ':' && digits(v + i + 1, 2, &oh) &&
	           digits(v + i + 4, 2, &om) && oh <= 23 && om <= 59) {
		if (v[i] == '+') {
			oh = -oh;
			om = -om;
		}
		i += 6;
	} else {
		return false;
	}
	if (i != n)
		return false;
	t = days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + sec;
	*out = t + oh * 3600 + om * 60;
	return true;
}

static void
day(int64_t t, char *out, size_t cap)
{
	time_t tt = (time_t)t;
	struct tm tm;

	if (gmtime_r(&tt, &tm) == NULL)
		snprintf(out, cap, "?");
	else
		strftime(out, cap, "%Y-%m-%d", &tm);
}

/* One "Field: value" line (no line end). */
static void
field(struct Sl_sectxt *t, const char *l, size_t n, unsigned lineno)
{
	static const char *const webfields[] = {
	    "encryption", "policy", "acknowledgments", "canonical", "hiring",
	    "csaf",       NULL,
	};
	const char *colon = memchr(l, ':', n), *v;
	char name[32], val[96];
	size_t nl, vl, i;

	if (colon == NULL || colon == l) {
		PROBLEM(t, "line %u is not \"Field: value\"", lineno);
		return;
	}
	nl = (size_t)(colon - l);
	/* RFC 5322 field names: printable, no space, no colon. */
	for (i = 0; i < nl; i++)
		if ((unsigned char)l[i] <= 0x20 ||
		    (unsigned char)l[i] >= 0x7f) {
			PROBLEM(t, "line %u is not \"Field: value\"", lineno);
			return;
		}
	v = colon + 1;
	vl = n - nl - 1;
	while (vl > 0 && (*v == ' ' || *v == '\t')) {
		v++;
		vl--;
	}
	while (vl > 0 && (v[vl - 1] == ' ' || v[vl - 1] == '\t'))
		vl--;
	copy_printable(name, sizeof(name), l, nl);
	copy_printable(val, sizeof(val), v, vl);
	if (vl == 0) {
		PROBLEM(t, "line %u: %s is empty", lineno, name);
		return;
	}
	if (nl == 7 && strncasecmp(l, "contact", 7) == 0) {
		if (t->ncontact++ == 0)
			copy_printable(t->contact, sizeof(t->contact), v, vl);
		if (starts_ci(v, vl, "http://"))
			PROBLEM(t,
			        "Contact %s uses http:// (RFC 9116: web "
			        "URIs must be https)",
			        val);
		else if (!starts_ci(v, vl, "mailto:") &&
		         !starts_ci(v, vl, "https://") &&
		         !starts_ci(v, vl, "tel:"))
			PROBLEM(t,
			        "Contact %s is not a mailto:, tel: or "
			        "https:// URI",
			        val);
		return;
	}
	if (nl == 7 && strncasecmp(l, "expires", 7) == 0) {
		int64_t e;

		t->nexpires++;
		if (rfc3339(v, vl, &e))
			t->expires = e;
		else
			PROBLEM(t, "Expires %s is not an RFC 3339 date-time",
			        val);
		return;
	}
	if (nl == 19 && strncasecmp(l, "preferred-languages", 19) == 0) {
		if (++t->nlang == 2)
			PROBLEM(t, "Preferred-Languages appears more than "
			           "once");
		return;
	}
	for (i = 0; webfields[i] != NULL; i++)
		if (strlen(webfields[i]) == nl &&
		    strncasecmp(l, webfields[i], nl) == 0 &&
		    starts_ci(v, vl, "http://"))
			PROBLEM(t, "%s %s uses http:// (must be https)", name,
			        val);
	/* Other fields are extensions; RFC 9116 says to ignore them. */
}

/* Where in the file: outside a signature, or in its parts. */
enum pgp { P_NONE, P_HEAD, P_BODY, P_SIG, P_END, P_SKIP };

bool
Sl_sectxt_parse(const char *p, size_t n, int64_t now, struct Sl_sectxt *t)
{
	static const char begin[] = "-----BEGIN PGP SIGNED MESSAGE-----";
	static const char sig[] = "-----BEGIN PGP SIGNATURE-----";
	static const char end[] = "-----END PGP SIGNATURE-----";
	enum pgp st = P_NONE;
	size_t off = 0;
	unsigned lineno = 0;

	memset(t, 0, sizeof(*t));
	/* UNTRUSTED: only the first SL_STXT_MAX bytes are looked at. */
	if (n > SL_STXT_MAX)
		n = SL_STXT_MAX;
	/* An empty body has no buffer: no libc call may see NULL. */
	if (p == NULL)
		n = 0;
	if (n > 0 && memchr(p, 0, n) != NULL)
		PROBLEM(t, "contains NUL bytes (not text)");
	if (n >= 3 && memcmp(p, "\xef\xbb\xbf", 3) == 0)
		off = 3;
	while (off < n) {
		const char *l = p + off, *nlp = memchr(l, '\n', n - off);
		size_t len = nlp ? (size_t)(nlp - l) : n - off;

		off += len + (nlp != NULL);
		lineno++;
		if (len > 0 && l[len - 1] == '\r')
			len--;
		if (lineno == 1 && len == sizeof(begin) - 1 &&
		    memcmp(l, begin, len) == 0) {
			st = P_HEAD;
			t->signed_pgp = true;
			continue;
		}
		switch (st) {
		case P_HEAD: /* armor headers ("Hash: SHA256") to a blank */
			if (len == 0)
				st = P_BODY;
			continue;
		case P_SIG:
			if (len == sizeof(end) - 1 && memcmp(l, end, len) == 0)
				st = P_END;
			continue;
		case P_END:
			if (len > 0) {
				PROBLEM(t,
				        "text after the PGP signature "
				        "(line %u)",
				        lineno);
				st = P_SKIP; /* report once */
			}
			continue;
		case P_BODY:
			if (len == sizeof(sig) - 1 &&
			    memcmp(l, sig, len) == 0) {
				st = P_SIG;
				continue;
			}
			/* Dash-escaped lines (RFC 4880 7.1). */
			if (len >= 2 && l[0] == '-' && l[1] == ' ') {
				l += 2;
				len -= 2;
			}
			break;
		case P_NONE:
			if (len >= 15 &&
			    memcmp(l, "-----BEGIN PGP ", 15) == 0) {
				PROBLEM(t,
				        "PGP block on line %u without a "
				        "signed-message header",
				        lineno);
				st = P_SKIP;
				continue;
			}
			break;
		case P_SKIP: continue;
		}
		while (len > 0 && (l[0] == ' ' || l[0] == '\t')) {
			l++;
			len--;
		}
		if (len == 0 || l[0] == '#')
			continue;
		field(t, l, len, lineno);
	}
	if (st == P_HEAD || st == P_BODY || st == P_SIG)
		PROBLEM(t, "the PGP signature block is incomplete");
	if (t->ncontact == 0)
		PROBLEM(t, "no Contact field");
	if (t->nexpires == 0)
		PROBLEM(t, "no Expires field");
	else if (t->nexpires > 1)
		PROBLEM(t, "Expires appears %u times (exactly once allowed)",
		        t->nexpires);
	if (t->expires != 0) {
		char d[16];

		day(t->expires, d, sizeof(d));
		if (t->expires <= now)
			PROBLEM(t, "expired on %s", d);
		else if (t->expires > now + 366 * 86400)
			add(t->notes, sizeof(t->notes),
			    "Expires %s is more than a year ahead (RFC 9116 "
			    "recommends less)",
			    d);
	}
	return t->nproblems == 0;
}

/* ------------------------------------------------------------------ */
/* The check                                                           */
/* ------------------------------------------------------------------ */

struct got {
	const struct Sl_service *svc;
	bool present, valid_file, tls, text_plain;
	bool failed;  /* no usable answer: judged nothing */
	bool not_txt; /* a page that is no security.txt */
	char url[768];
	struct Sl_sectxt t;
};

/* Does the body (n bytes) look like an HTML page? */
static bool
looks_html(const char *p, size_t n)
{
	static const char *const tags[] = {"<!doctype", "<html",  "<head",
	                                   "<body",     "<title", "<form"};
	size_t i, j, k;

	if (p == NULL || n == 0)
		return false;
	for (i = 0; i < n && (p[i] == ' ' || p[i] == '\t' || p[i] == '\r' ||
	                      p[i] == '\n');
	     i++)
		;
	if (i < n && p[i] == '<')
		return true;
	/* UNTRUSTED: only the first KiB is looked at. */
	if (n > 1024)
		n = 1024;
	for (k = 0; k < SL_ARRAY_LEN(tags); k++) {
		size_t l = strlen(tags[k]);

		for (j = 0; j + l <= n; j++)
			if (strncasecmp(p + j, tags[k], l) == 0)
				return true;
	}
	return false;
}

/* Fetch the file from one web service; false when no answer came. */
static bool
fetch(struct sl_scan *s, const struct Sl_service *svc, struct got *g,
      int64_t now)
{
	struct Sl_http_resp r;
	char base[128], at[600];
	CURL *h = NULL;
	int hop;
	bool answered = false;

	memset(g, 0, sizeof(*g));
	g->svc = svc;
	g->tls = Sl_http_tls(svc);
	Sl_http_base(svc, base, sizeof(base));
	snprintf(at, sizeof(at), "%s", PATH);
	for (hop = 0; hop < 2; hop++) {
		char *ct = NULL;

		if (Sl_http_request(s, svc, &h, "GET", at, NULL, NULL, NULL,
		                    NULL, NULL, SL_HTTP_NONE, &r) != SL_OK ||
		    r.cc != CURLE_OK) {
			/* A status line alone is no answer to judge. */
			Sl_incomplete(s,
			              "net.security-txt: %s%s: could not be "
			              "fetched, not judged: %s",
			              base, at,
			              r.code == 0 ? sl_scan_error(s)
			              : r.err[0]  ? r.err
			                          : curl_easy_strerror(r.cc));
			Sl_http_resp_free(&r);
			g->failed = true;
			answered = true;
			break;
		}
		answered = true;
		if (r.code >= 300 && r.code < 400 && r.location[0] != 0 &&
		    hop == 0) {
			snprintf(at, sizeof(at), "%s", r.location);
			Sl_http_resp_free(&r);
			continue;
		}
		if (r.code == 200) {
			bool html;

			g->present = true;
			snprintf(g->url, sizeof(g->url), "%s%s", base, at);
			if (curl_easy_getinfo(h, CURLINFO_CONTENT_TYPE, &ct) ==
			        CURLE_OK &&
			    ct != NULL)
				g->text_plain =
				    strncasecmp(ct, "text/plain", 10) == 0;
			html = (ct != NULL &&
			        strncasecmp(ct, "text/html", 9) == 0) ||
			       looks_html((const char *)r.body.p, r.body.n);
			g->valid_file = Sl_sectxt_parse((const char *)r.body.p,
			                                r.body.n, now, &g->t);
			/*
			 * A web UI answering every path with a page, or a
			 * file of another type with none of the fields: not
			 * a security.txt at all, so absent, not invalid.
			 */
			if (html || (!g->text_plain && g->t.ncontact == 0 &&
			             g->t.nexpires == 0)) {
				g->present = false;
				g->not_txt = true;
			}
			if (r.truncated)
				add(g->t.notes, sizeof(g->t.notes),
				    "only the first %u KiB were read",
				    SL_LOGIN_MAX_BODY >> 10);
		}
		Sl_http_resp_free(&r);
		break;
	}
	if (h != NULL)
		curl_easy_cleanup(h);
	return answered;
}

/* What this check reports (check.h: findings as data). */
enum { F_PRESENT, F_INVALID, F_ABSENT };
static const struct Sl_finding_def findings[] = {
    [F_PRESENT] = {"NET-SECURITY-TXT",
                   SL_SEV_INFO,
                   {REQ},
                   "security.txt published",
                   "Evidence for the assessor: a contact point is "
                   "published (RFC 9116).  S1.1-05 also needs the policy "
                   "itself (what happens after a report, status updates "
                   "until the fix), given in the product profile."},
    [F_INVALID] = {"NET-SECURITY-TXT-INVALID",
                   SL_SEV_LOW,
                   {REQ},
                   "security.txt does not follow RFC 9116",
                   "Fix /.well-known/security.txt: at least one Contact "
                   "(mailto:, tel: or https://), exactly one Expires in "
                   "the future (RFC 3339, less than a year ahead), served "
                   "as text/plain over HTTPS."},
    [F_ABSENT] = {"NET-SECURITY-TXT-ABSENT",
                  SL_SEV_INFO,
                  {REQ},
                  "No security.txt on the device's web interface",
                  "Advice: S1.1-05 is assessed from documents; give the "
                  "vulnerability disclosure policy in the product "
                  "profile.  Publishing /.well-known/security.txt (RFC "
                  "9116) on the device or the vendor site also helps "
                  "reporters."},
    {NULL},
};

static sl_rc
report(struct sl_scan *s, struct got *g, bool valid_https)
{
	char ex[1200], title[160], d[16];
	struct Sl_sectxt *t = &g->t;

	if (!g->text_plain)
		PROBLEM(t, "not served as text/plain");
	if (!g->tls && !valid_https)
		PROBLEM(t, "served over plain HTTP only (RFC 9116 requires "
		           "https)");
	if (t->nproblems == 0) {
		if (!g->tls)
			return SL_OK; /* a copy of the valid HTTPS one */
		day(t->expires, d, sizeof(d));
		snprintf(ex, sizeof(ex), "%s: Contact: %s; Expires: %s; %s%s%s",
		         g->url, t->contact, d,
		         t->signed_pgp ? "PGP-signed (signature not verified)"
		                       : "not signed",
		         t->notes[0] ? "; " : "", t->notes);
		snprintf(title, sizeof(title),
		         "security.txt published on port %u", g->svc->pub.port);
		Sl_cover(s, REQ, SL_SRC_NETWORK);
		return Sl_report(s, &findings[F_PRESENT],
		                 &(struct Sl_at){.svc = g->svc,
		                                 .excerpt = ex,
		                                 .title = title});
	}
	snprintf(ex, sizeof(ex), "%s: %s%s%s", g->url, t->problems,
	         t->notes[0] ? "; note: " : "", t->notes);
	snprintf(title, sizeof(title),
	         "security.txt on port %u does not follow RFC 9116",
	         g->svc->pub.port);
	return Sl_report(
	    s, &findings[F_INVALID],
	    &(struct Sl_at){.svc = g->svc, .excerpt = ex, .title = title});
}

static bool
is_web(const struct Sl_service *svc)
{
	return svc->ipproto == IPPROTO_TCP && svc->pub.name != NULL &&
	       strncasecmp(svc->pub.name, "http", 4) == 0;
}

static sl_rc
securitytxt_run(struct sl_scan *s)
{
	struct Sl_dev *d = s->dev;
	struct got *g;
	int64_t now = (int64_t)time(NULL);
	size_t i, n = 0, nweb = 0, npresent = 0, nfailed = 0;
	bool valid_https = false;
	char ports[256] = "";
	sl_rc rc = SL_OK;

	if (d == NULL)
		return SL_OK;
	for (i = 0; i < d->nsvc; i++)
		nweb += is_web(d->svc[i]);
	if (nweb == 0)
		return SL_OK;
	g = calloc(nweb, sizeof(*g));
	if (g == NULL)
		return Sl_fail(s, SL_E_NOMEM, "out of memory");
	for (i = 0; i < d->nsvc; i++) {
		const struct Sl_service *svc = d->svc[i];

		if (!is_web(svc))
			continue;
		if (Sl_cancelled(s)) {
			Sl_incomplete(s, "net.security-txt: %s:%u: cancelled",
			              svc->pub.address, svc->pub.port);
			continue;
		}
		if (!fetch(s, svc, &g[n], now))
			continue;
		if (g[n].failed) {
			nfailed++;
			continue;
		}
		add(ports, sizeof(ports), "%u%s", svc->pub.port,
		    g[n].not_txt ? " (a page that is no security.txt)" : "");
		if (g[n].present) {
			npresent++;
			valid_https |=
			    g[n].tls && g[n].valid_file && g[n].text_plain;
		}
		n++;
	}
	for (i = 0; i < n && rc == SL_OK; i++)
		if (g[i].present)
			rc = report(s, &g[i], valid_https);
	if (rc == SL_OK && npresent == 0 && nfailed > 0) {
		/* The one that failed may hold it: absence is not shown. */
		Sl_not_judged(s, REQ, SL_SRC_NETWORK,
		              "net.security-txt: the fetch of " PATH " failed "
		              "on a web service (see the incomplete list), so "
		              "whether the device publishes it was not judged");
	} else if (rc == SL_OK && n > 0 && npresent == 0) {
		char ex[400];

		snprintf(ex, sizeof(ex),
		         "GET " PATH " found nothing on ports %s", ports);
		rc = Sl_report(s, &findings[F_ABSENT],
		               &(struct Sl_at){.host = true, .excerpt = ex});
	}
	free(g);
	return rc;
}

const struct Sl_check Sl_check_security_txt = {
    .id = "net.security-txt",
    .title = "security.txt (RFC 9116) on the device's web interface",
    .covers = {"S1.1-05", NULL},
    .findings = findings,
    .source = SL_SRC_NETWORK,
    .run = securitytxt_run,
};
