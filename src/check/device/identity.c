/*
 * identity.c - the check "net.identity": can the model (S1.1-10) and the
 * installed software version (S1.1-06) be read from the device over the
 * network, and are they the ones the profile names?
 *
 * Where it looks, most trusted first:
 *   - the profile's version_probe, read by Sl_version_probe_read (the
 *     reader `starlab snapshot` uses: http, upnp, snmp, banner, ssh);
 *   - UPnP: the modelName/modelNumber the probe stage put in the
 *     service's banner, and the device description (at the SSDP
 *     LOCATION path, else /rootDesc.xml) for firmwareVersion or
 *     softwareVersion;
 *   - the web UI of every http(s) service: a JSON status document
 *     (/status, /status.json, /api/status) with model and firmware keys,
 *     and the page "/" (its <title> for the model, "firmware 1.2.3" or
 *     "version 1.2.3" in its text for the version).  The profile's http
 *     credential is used when it gives one;
 *   - SNMP sysDescr with the profile's snmp community, else "public";
 *   - the other services' banners (the model only when the profile's
 *     model appears in them, a version after "firmware" or "version").
 *
 * Findings (host-level): NET-MODEL-NOT-VISIBLE (medium, S1.1-10),
 * NET-MODEL-MISMATCH (high, S1.1-10), NET-VERSION-NOT-READABLE (medium,
 * S1.1-06), NET-VERSION-MISMATCH (high, S1.1-06), and NET-IDENTITY (info)
 * with what was read and from where.  Without a profile nothing can be
 * compared: what was read is reported, and the requirement is marked not
 * judged from the network (Sl_not_judged).  A model in free text (a title,
 * sysDescr) is recognised as the profile's model, or without a profile
 * as a token such as "SL-CAM100" (letters and digits); a model that does
 * not look like one is missed, so NET-MODEL-NOT-VISIBLE without a
 * profile is a lead for the assessor, not proof.
 *
 * Trust: every page, description, sysDescr and banner is hostile.
 * login.c bounds HTTP bodies (SL_LOGIN_MAX_BODY), snmp.c the sysDescr;
 * jansson parses the JSON (depth and size bounded by the body); the tag
 * and title scans here work inside those bounded buffers, and every value
 * kept is made printable and cut to ID_STR bytes.  The HTML and XML scans
 * are by hand: they look for one element's text, which needs no parser
 * (and libxml2 would widen the attack surface for nothing).
 */
#include <ctype.h>
#include <jansson.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <strings.h>
#include <unistd.h>

#include "../../net/login.h"
#include "../../net/snapshot.h"
#include "../../net/snmp.h"
#include "../../profile/profile.h"
#include "../check.h"
#include "identity.h"

/* Readings kept per kind, bytes of a value and of its place. */
#define ID_MAX   16
#define ID_STR   SL_IDENT_STR
#define ID_WHERE 160
/* Web services examined at most. */
#define ID_MAX_WEB 4
/* A rate-limited page is asked again once, after this pause. */
#define ID_RETRY_MS 1200

struct reading {
	char val[ID_STR];
	char where[ID_WHERE];
	bool probe; /* read by the profile's version_probe */
};

struct ident {
	struct sl_scan *s;
	const struct Sl_profile *p; /* or NULL */
	struct reading model[ID_MAX], ver[ID_MAX];
	size_t nmodel, nver;
	bool have_probe; /* the version_probe read a version */
	char probe_err[256];
	char denied[ID_WHERE]; /* a web page that wanted credentials */
};

/* Copy n bytes of device text, printable and trimmed, into out. */
static void
clean(char *out, size_t on, const char *p, size_t n)
{
	size_t i, k = 0;

	/* UNTRUSTED: n bytes of device output, cut to on - 1. */
	while (n > 0 && isspace((unsigned char)*p)) {
		p++;
		n--;
	}
	while (n > 0 && isspace((unsigned char)p[n - 1]))
		n--;
	for (i = 0; i < n && k + 1 < on; i++) {
		unsigned char c = (unsigned char)p[i];

		out[k++] = c >= 0x20 && c < 0x7f ? (char)c : '.';
	}
	out[k] = 0;
}

static void
add(struct reading *list, size_t *n, const char *val, size_t len,
    const char *where, bool probe)
{
	struct reading r;
	size_t i;

	if (*n >= ID_MAX)
		return;
	memset(&r, 0, sizeof(r));
	clean(r.val, sizeof(r.val), val, len);
	if (r.val[0] == 0)
		return;
	snprintf(r.where, sizeof(r.where), "%s", where);
	r.probe = probe;
	for (i = 0; i < *n; i++)
		if (strcmp(list[i].val, r.val) == 0 &&
		    strcmp(list[i].where, r.where) == 0)
			return;
	list[(*n)++] = r;
}

static bool
is_word(int c)
{
	return isalnum(c) || c == '-' || c == '_';
}

/* Does text hold needle (case-insensitive) as a whole token? */
static bool
has_token(const char *text, const char *needle)
{
	size_t nl = strlen(needle);
	const char *p;

	if (nl == 0)
		return false;
	for (p = text; (p = strcasestr(p, needle)) != NULL; p++) {
		bool lb = p == text || !is_word((unsigned char)p[-1]);
		bool rb = !is_word((unsigned char)p[nl]);

		if (lb && rb)
			return true;
	}
	return false;
}

/* Words that look like a model but name an architecture or a standard. */
static bool
stop_word(const char *w, size_t n)
{
	static const char *const stop[] = {
	    "amd64", "x86",    "i386", "i686",   "arm64",  "aarch64", "armv7l",
	    "armv7", "armv6l", "mips", "mipsel", "ipv4",   "ipv6",    "utf-8",
	    "utf8",  "md5",    "sha1", "sha256", "base64", "h264",    "h265",
	    "mp4",   "802",    "tls1", "http2",  "mips32", "mips64",  "ppc64",
	};
	size_t i;

	for (i = 0; i < SL_ARRAY_LEN(stop); i++)
		if (strlen(stop[i]) == n && strncasecmp(stop[i], w, n) == 0)
			return true;
	return false;
}

/*
 * The first model-like token of text: a letter first, letters, digits
 * and '-' after, at least two letters and one digit, 3..40 bytes.
 */
static bool
model_token(const char *text, const char **tok, size_t *tn)
{
	const char *p = text;

	while (*p != 0) {
		const char *b;
		size_t n, letters = 0, digits = 0, i;

		while (*p != 0 && !is_word((unsigned char)*p))
			p++;
		b = p;
		while (*p != 0 &&
		       (is_word((unsigned char)*p) || *p == '.' || *p == '/'))
			p++;
		n = (size_t)(p - b);
		if (n < 3 || n > 40 || !isalpha((unsigned char)b[0]))
			continue;
		for (i = 0; i < n; i++) {
			if (isalpha((unsigned char)b[i]))
				letters++;
			else if (isdigit((unsigned char)b[i]))
				digits++;
			else if (b[i] != '-')
				break;
		}
		if (i < n || letters < 2 || digits == 0 || stop_word(b, n))
			continue;
		/* "v1-2" is a version, not a model. */
		if ((b[0] == 'v' || b[0] == 'V') &&
		    isdigit((unsigned char)b[1]))
			continue;
		*tok = b;
		*tn = n;
		return true;
	}
	return false;
}

/* A version after "firmware", "version", "fw" or "ver" in text. */
static bool
version_in(const char *text, const char **v, size_t *vn)
{
	regex_t re;
	regmatch_t m[3];
	int rc;

	if (regcomp(&re,
	            "(firmware|software|version|fw|sw|ver)[^0-9a-z]"
	            "{0,16}v?([0-9]+(\\.[0-9]+)+[-a-z0-9._]*)",
	            REG_EXTENDED | REG_ICASE) != 0)
		return false;
	rc = regexec(&re, text, 3, m, 0);
	regfree(&re);
	if (rc != 0 || m[2].rm_so < 0)
		return false;
	*v = text + m[2].rm_so;
	*vn = (size_t)(m[2].rm_eo - m[2].rm_so);
	return true;
}

/*
 * Free text from the device (a title, sysDescr, a banner): the profile's
 * model when it appears, else (guess) a model-like token; a version after
 * its keyword.
 */
static void
from_text(struct ident *id, const char *text, const char *where, bool guess)
{
	const char *t;
	size_t tn;

	if (id->p != NULL && id->p->model != NULL &&
	    has_token(text, id->p->model))
		add(id->model, &id->nmodel, id->p->model, strlen(id->p->model),
		    where, false);
	else if (guess && model_token(text, &t, &tn))
		add(id->model, &id->nmodel, t, tn, where, false);
	if (version_in(text, &t, &tn))
		add(id->ver, &id->nver, t, tn, where, false);
}

/* A NUL-terminated copy of a bounded body, NUL bytes made spaces. */
static char *
body_text(const struct Sl_http_resp *r)
{
	/* UNTRUSTED: r->body.n is bounded by SL_LOGIN_MAX_BODY. */
	char *t = malloc(r->body.n + 1);
	size_t i;

	if (t == NULL)
		return NULL;
	/* An empty body has no buffer (Content-Length: 0). */
	if (r->body.n > 0)
		memcpy(t, r->body.p, r->body.n);
	for (i = 0; i < r->body.n; i++)
		if (t[i] == 0)
			t[i] = ' ';
	t[r->body.n] = 0;
	return t;
}

/* The text of the first <tag ...>...</tag> in text, bounded; or false. */
static bool
element(const char *text, const char *tag, char *out, size_t on)
{
	char open[48], close[48];
	const char *a, *b;

	snprintf(open, sizeof(open), "<%s", tag);
	snprintf(close, sizeof(close), "</%s>", tag);
	for (a = text; (a = strcasestr(a, open)) != NULL; a++) {
		char c = a[strlen(open)];

		if (c == '>' || c == ' ' || c == '\t' || c == '\n')
			break;
	}
	if (a == NULL || (a = strchr(a, '>')) == NULL)
		return false;
	a++;
	if ((b = strcasestr(a, close)) == NULL)
		return false;
	clean(out, on, a, (size_t)(b - a) > 200 ? 200 : (size_t)(b - a));
	return out[0] != 0;
}

/* JSON keys naming the model, and the installed version. */
static const char *const model_keys[] = {
    "model",       "model_name",   "modelName", "model_number",
    "modelNumber", "device_model", "hw_model",  "product_model",
};
static const char *const ver_keys[] = {
    "firmware_version", "firmwareVersion", "firmware",
    "fw_version",       "fwVersion",       "software_version",
    "softwareVersion",  "sw_version",      "version",
};

/* Model and version keys of one JSON object (and its child objects). */
static void
from_json(struct ident *id, json_t *o, const char *where, int depth)
{
	const char *k;
	json_t *v;
	size_t i, seen = 0;

	for (i = 0; i < SL_ARRAY_LEN(model_keys); i++) {
		v = json_object_get(o, model_keys[i]);
		if (json_is_string(v))
			add(id->model, &id->nmodel, json_string_value(v),
			    json_string_length(v), where, false);
	}
	for (i = 0; i < SL_ARRAY_LEN(ver_keys); i++) {
		v = json_object_get(o, ver_keys[i]);
		if (json_is_string(v)) {
			add(id->ver, &id->nver, json_string_value(v),
			    json_string_length(v), where, false);
			break;
		}
	}
	if (depth > 0)
		return;
	/* UNTRUSTED: at most 32 child objects, one level down. */
	json_object_foreach(o, k, v)
	{
		if (json_is_object(v) && seen++ < 32)
			from_json(id, v, where, depth + 1);
	}
}

/* The profile's credential for a web service, or NULL. */
static const struct Sl_cred *
web_cred(const struct ident *id)
{
	size_t i;

	for (i = 0; id->p != NULL && i < id->p->ncreds; i++) {
		const struct Sl_cred *c = &id->p->creds[i];

		if (c->service == NULL || strcmp(c->service, "http") == 0 ||
		    strcmp(c->service, "https") == 0)
			return c;
	}
	return NULL;
}

/*
 * GET path on svc into r (with the profile's web credential when there
 * is one), following one same-host redirect.  True on a 200.
 */
static bool
get(struct ident *id, const struct Sl_service *svc, CURL **h, const char *path,
    struct Sl_http_resp *r)
{
	const struct Sl_cred *c = web_cred(id);
	char next[512], base[128];
	bool slept = false;
	int hop;

	snprintf(next, sizeof(next), "%s", path);
	for (hop = 0; hop < 2; hop++) {
		memset(r, 0, sizeof(*r));
		if (Sl_http_request(id->s, svc, h, "GET", next, NULL, NULL,
		                    NULL, c ? c->user : NULL,
		                    c ? c->pass : NULL,
		                    c ? SL_HTTP_ANY : SL_HTTP_NONE, r) != SL_OK)
			return false;
		if (r->code == 200)
			return true;
		/* Rate limited: wait for the bucket once, then ask again. */
		if ((r->code == 429 || r->code == 503) && !slept &&
		    !Sl_cancelled(id->s)) {
			slept = true;
			Sl_http_resp_free(r);
			usleep(ID_RETRY_MS * 1000U);
			hop--;
			continue;
		}
		if (r->code == 401 && id->denied[0] == 0) {
			Sl_http_base(svc, base, sizeof(base));
			snprintf(id->denied, sizeof(id->denied), "%.80s%.70s",
			         base, next);
		}
		if (r->code / 100 != 3 || r->location[0] == 0)
			break;
		snprintf(next, sizeof(next), "%s", r->location);
		Sl_http_resp_free(r);
	}
	Sl_http_resp_free(r);
	return false;
}

static bool
is_web(const struct Sl_service *v)
{
	return v->ipproto == IPPROTO_TCP && v->pub.name != NULL &&
	       strncasecmp(v->pub.name, "http", 4) == 0;
}

/* The web UI: a JSON status document, then the page's title and text. */
static void
from_web(struct ident *id, const struct Sl_service *svc)
{
	static const char *const paths[] = {
	    "/status",
	    "/status.json",
	    "/api/status",
	};
	struct Sl_http_resp r;
	char base[128], where[ID_WHERE], title[ID_STR];
	CURL *h = NULL;
	char *t;
	size_t i;

	Sl_http_base(svc, base, sizeof(base));
	for (i = 0; i < SL_ARRAY_LEN(paths) && !Sl_cancelled(id->s); i++) {
		json_error_t je;
		json_t *j;

		if (!get(id, svc, &h, paths[i], &r))
			continue;
		/* UNTRUSTED: jansson parses at most SL_LOGIN_MAX_BODY. */
		j = json_loadb((const char *)r.body.p, r.body.n,
		               JSON_REJECT_DUPLICATES, &je);
		Sl_http_resp_free(&r);
		if (j == NULL)
			continue;
		snprintf(where, sizeof(where), "%s%s", base, paths[i]);
		if (json_is_object(j))
			from_json(id, j, where, 0);
		json_decref(j);
		break;
	}
	if (!Sl_cancelled(id->s) && get(id, svc, &h, "/", &r)) {
		if ((t = body_text(&r)) != NULL) {
			snprintf(where, sizeof(where), "%s/ <title>", base);
			if (element(t, "title", title, sizeof(title)))
				from_text(id, title, where, true);
			snprintf(where, sizeof(where), "%s/", base);
			from_text(id, t, where, false);
			free(t);
		}
		Sl_http_resp_free(&r);
	}
	if (h != NULL)
		curl_easy_cleanup(h);
}

/* "key=value" up to ';' in a UPnP banner ("UPnP modelName=X; ..."). */
static void
banner_key(struct ident *id, const char *banner, const char *key,
           const char *where)
{
	const char *a = strstr(banner, key), *b;

	if (a == NULL)
		return;
	a += strlen(key);
	b = strchr(a, ';');
	add(id->model, &id->nmodel, a, b ? (size_t)(b - a) : strlen(a), where,
	    false);
}

/* The path of the SSDP LOCATION when it names svc's port, or NULL. */
static const char *
ssdp_path(struct sl_scan *s, const struct Sl_service *svc, char *out, size_t on)
{
	const struct Sl_service *u = Sl_service_find(s, IPPROTO_UDP, 1900);
	const char *l, *p, *e;
	char want[16];

	if (u == NULL || u->pub.banner == NULL ||
	    (l = strstr(u->pub.banner, "LOCATION: http://")) == NULL)
		return NULL;
	l += strlen("LOCATION: http://");
	/* UNTRUSTED: the path is kept only when the port is svc's. */
	if ((p = strchr(l, '/')) == NULL)
		return NULL;
	snprintf(want, sizeof(want), ":%u/", svc->pub.port);
	if ((size_t)(p - l) < strlen(want) - 1 ||
	    strncmp(p - (strlen(want) - 1), want, strlen(want) - 1) != 0)
		return NULL;
	for (e = p; *e != 0 && *e != ';' && *e != ' '; e++)
		;
	clean(out, on, p, (size_t)(e - p));
	return out;
}

void
Sl_identity_page(const char *page, size_t n, const char *want,
                 struct Sl_ident_page *out)
{
	struct Sl_profile p;
	struct Sl_http_resp r;
	struct ident *id;
	char title[ID_STR], *t;
	json_error_t je;
	json_t *j;

	memset(out, 0, sizeof(*out));
	if (n > SL_LOGIN_MAX_BODY)
		n = SL_LOGIN_MAX_BODY;
	if ((id = calloc(1, sizeof(*id))) == NULL)
		return;
	memset(&p, 0, sizeof(p));
	p.model = want;
	id->p = want != NULL ? &p : NULL;
	memset(&r, 0, sizeof(r));
	r.body.p = (uint8_t *)(uintptr_t)page;
	r.body.n = n;
	/* UNTRUSTED: jansson parses at most SL_LOGIN_MAX_BODY bytes. */
	j = json_loadb(page, n, JSON_REJECT_DUPLICATES, &je);
	if (json_is_object(j)) {
		from_json(id, j, "page", 0);
	} else if ((t = body_text(&r)) != NULL) {
		if (element(t, "title", title, sizeof(title)))
			from_text(id, title, "title", true);
		from_text(id, t, "page", false);
		free(t);
	}
	json_decref(j);
	if (id->nmodel > 0)
		snprintf(out->model, sizeof(out->model), "%s",
		         id->model[0].val);
	if (id->nver > 0)
		snprintf(out->version, sizeof(out->version), "%s",
		         id->ver[0].val);
	free(id);
}

/* UPnP: the model from the probe stage, the version from the description. */
static void
from_upnp(struct ident *id, const struct Sl_service *svc)
{
	static const char *const tags[] = {
	    "firmwareVersion",
	    "softwareVersion",
	    "modelNumber",
	};
	struct Sl_http_resp r;
	char base[128], where[ID_WHERE], path[128], v[ID_STR];
	const char *dp = ssdp_path(id->s, svc, path, sizeof(path));
	CURL *h = NULL;
	char *t;
	size_t i;

	Sl_http_base(svc, base, sizeof(base));
	if (dp == NULL)
		dp = "/rootDesc.xml";
	snprintf(where, sizeof(where), "UPnP %.80s%.70s", base, dp);
	if (svc->pub.banner != NULL) {
		banner_key(id, svc->pub.banner, "modelName=", where);
		banner_key(id, svc->pub.banner, "modelNumber=", where);
	}
	if (Sl_cancelled(id->s) || !get(id, svc, &h, dp, &r))
		goto out;
	if ((t = body_text(&r)) != NULL) {
		for (i = 0; i < 2; i++)
			if (element(t, tags[i], v, sizeof(v))) {
				add(id->ver, &id->nver, v, strlen(v), where,
				    false);
				break;
			}
		free(t);
	}
	Sl_http_resp_free(&r);
out:
	if (h != NULL)
		curl_easy_cleanup(h);
}

static void
from_snmp(struct ident *id)
{
	struct Sl_service *v = Sl_service_find(id->s, IPPROTO_UDP, 161);
	const char *comm = "public";
	char out[512];
	size_t i;
	unsigned tmo;

	if (v == NULL)
		return;
	for (i = 0; id->p != NULL && i < id->p->ncreds; i++)
		if (id->p->creds[i].service != NULL &&
		    strcmp(id->p->creds[i].service, "snmp") == 0 &&
		    id->p->creds[i].pass != NULL) {
			comm = id->p->creds[i].pass;
			break;
		}
	tmo = id->s->dev->o.timeout_ms ? id->s->dev->o.timeout_ms
	                               : SL_NET_TIMEOUT_MS;
	if (Sl_snmp_get(id->s, v, comm, SL_SNMP_SYSDESCR, out, sizeof(out),
	                tmo) <= 0 ||
	    strcmp(out, "noSuchObject") == 0 ||
	    strncmp(out, "error-status", 12) == 0)
		return;
	from_text(id, out, "snmp sysDescr", true);
}

/* The profile's version_probe, through snapshot.c's reader. */
static void
from_probe(struct ident *id)
{
	struct Sl_dev *d = id->s->dev;
	struct Sl_service **tcp;
	const struct Sl_version_probe *vp = &id->p->version_probe;
	char v[ID_STR], where[ID_WHERE];
	size_t i, n = 0;

	tcp = calloc(d->nsvc + 1, sizeof(*tcp));
	if (tcp == NULL) {
		snprintf(id->probe_err, sizeof(id->probe_err), "out of memory");
		return;
	}
	for (i = 0; i < d->nsvc; i++)
		if (d->svc[i]->ipproto == IPPROTO_TCP)
			tcp[n++] = d->svc[i];
	if (Sl_version_probe_read(id->s, tcp, n,
	                          Sl_service_find(id->s, IPPROTO_UDP, 161),
	                          web_cred(id), v, sizeof(v), id->probe_err,
	                          sizeof(id->probe_err))) {
		snprintf(where, sizeof(where), "version_probe %s%s%s", vp->kind,
		         vp->path ? " " : "", vp->path ? vp->path : "");
		add(id->ver, &id->nver, v, strlen(v), where, true);
		id->have_probe = true;
	}
	free(tcp);
}

/* "a (w), b (w)" of a list of readings, only the probe's when probe. */
static void
list(char *out, size_t on, const struct reading *r, size_t n, bool probe)
{
	size_t i, k;

	out[0] = 0;
	for (i = 0; i < n; i++) {
		if (probe && !r[i].probe)
			continue;
		k = strlen(out);
		snprintf(out + k, on - k, "%s%s (%s)", k ? ", " : "", r[i].val,
		         r[i].where);
	}
}

/* Is v the profile's version, a leading "v" aside? */
static bool
same_version(const char *v, const char *want)
{
	if ((v[0] == 'v' || v[0] == 'V') && isdigit((unsigned char)v[1]))
		v++;
	if ((want[0] == 'v' || want[0] == 'V') &&
	    isdigit((unsigned char)want[1]))
		want++;
	return strcmp(v, want) == 0;
}

/* What this check reports (check.h: findings as data). */
enum {
	F_MODEL_NOT_VISIBLE,
	F_MODEL_MISMATCH,
	F_VERSION_NOT_READABLE,
	F_VERSION_MISMATCH,
	F_IDENTITY,
};
static const struct Sl_finding_def findings[] = {
    [F_MODEL_NOT_VISIBLE] = {"NET-MODEL-NOT-VISIBLE",
                             SL_SEV_MEDIUM,
                             {"S1.1-10"},
                             "The model number cannot be read from the "
                             "device over the network",
                             "Show the model number in the web UI (its "
                             "title or a status page) or the UPnP device "
                             "description, or document in the profile "
                             "where it is printed on the product."},
    [F_MODEL_MISMATCH] = {"NET-MODEL-MISMATCH",
                          SL_SEV_HIGH,
                          {"S1.1-10"},
                          "The device shows another model than the "
                          "profile's",
                          "Make the device show the model it is sold as, "
                          "or correct product.model in the profile to the "
                          "unit under test."},
    [F_VERSION_NOT_READABLE] = {"NET-VERSION-NOT-READABLE",
                                SL_SEV_MEDIUM,
                                {"S1.1-06"},
                                "The installed software version cannot be "
                                "read from the device over the network",
                                "Show the installed firmware version in "
                                "the web UI, a status API, SNMP sysDescr or "
                                "the UPnP description, and give a "
                                "version_probe in the profile that reads "
                                "it."},
    [F_VERSION_MISMATCH] = {"NET-VERSION-MISMATCH",
                            SL_SEV_HIGH,
                            {"S1.1-06"},
                            "The device runs another version than the "
                            "profile's",
                            "Assess the firmware version the unit runs: "
                            "update the unit or correct product.version in "
                            "the profile."},
    [F_IDENTITY] = {"NET-IDENTITY",
                    SL_SEV_INFO,
                    {"S1.1-06", "S1.1-10"},
                    "Model and version as the device shows them",
                    "None: for the record."},
    {NULL},
};

static sl_rc
judge_model(struct ident *id, const char *models)
{
	const char *want = id->p ? id->p->model : NULL;
	char ex[1024], title[ID_STR + 96];
	size_t i;

	if (id->nmodel == 0) {
		snprintf(ex, sizeof(ex),
		         "no model in the web UI, UPnP "
		         "description, SNMP sysDescr or service banners%s%s%s"
		         "%s%s",
		         want ? " (looked for " : "", want ? want : "",
		         want ? ")" : "",
		         id->denied[0] ? "; asked for credentials: " : "",
		         id->denied);
		return Sl_report(id->s, &findings[F_MODEL_NOT_VISIBLE],
		                 &(struct Sl_at){.host = true, .excerpt = ex});
	}
	if (want == NULL) {
		Sl_not_judged(id->s, "S1.1-10", SL_SRC_NETWORK,
		              "the model read cannot be compared "
		              "without a profile (product.model)");
		return SL_OK;
	}
	for (i = 0; i < id->nmodel; i++)
		if (strcasecmp(id->model[i].val, want) == 0 ||
		    has_token(id->model[i].val, want))
			return SL_OK;
	snprintf(ex, sizeof(ex), "profile: %s; device: %s", want, models);
	snprintf(title, sizeof(title),
	         "The device shows another model "
	         "than the profile's %s",
	         want);
	return Sl_report(
	    id->s, &findings[F_MODEL_MISMATCH],
	    &(struct Sl_at){.host = true, .excerpt = ex, .title = title});
}

static sl_rc
judge_version(struct ident *id)
{
	const char *want = id->p ? id->p->version : NULL;
	char ex[1024], seen[800], title[ID_STR + 96];
	size_t i;

	if (id->nver == 0) {
		snprintf(ex, sizeof(ex),
		         "no version in the web UI, UPnP "
		         "description, SNMP sysDescr or service banners%s%s%s"
		         "%s",
		         id->probe_err[0] ? "; version_probe: " : "",
		         id->probe_err,
		         id->denied[0] ? "; asked for credentials: " : "",
		         id->denied);
		return Sl_report(id->s, &findings[F_VERSION_NOT_READABLE],
		                 &(struct Sl_at){.host = true, .excerpt = ex});
	}
	if (want == NULL) {
		Sl_not_judged(id->s, "S1.1-06", SL_SRC_NETWORK,
		              "the version read cannot be compared "
		              "without a profile (product.version)");
		return SL_OK;
	}
	/* The version_probe, when it read one, is what the vendor named. */
	for (i = 0; i < id->nver; i++)
		if ((!id->have_probe || id->ver[i].probe) &&
		    same_version(id->ver[i].val, want))
			return SL_OK;
	list(seen, sizeof(seen), id->ver, id->nver, id->have_probe);
	snprintf(ex, sizeof(ex), "profile: %s; device: %s", want, seen);
	snprintf(title, sizeof(title),
	         "The device runs another version "
	         "than the profile's %s",
	         want);
	return Sl_report(
	    id->s, &findings[F_VERSION_MISMATCH],
	    &(struct Sl_at){.host = true, .excerpt = ex, .title = title});
}

static sl_rc
identity_run(struct sl_scan *s)
{
	struct ident *id;
	struct Sl_dev *d = s->dev;
	char models[800], vers[800], ex[2048];
	size_t i, nweb = 0;
	sl_rc rc;

	if (d == NULL)
		return SL_OK;
	if ((id = calloc(1, sizeof(*id))) == NULL)
		return Sl_fail(s, SL_E_NOMEM, "out of memory");
	id->s = s;
	id->p = s->profile;
	Sl_login_global_init();
	if (id->p != NULL && id->p->version_probe.kind != NULL)
		from_probe(id);
	for (i = 0; i < d->nsvc && !Sl_cancelled(s); i++) {
		const struct Sl_service *v = d->svc[i];

		if (v->ipproto != IPPROTO_TCP)
			continue;
		if (v->pub.name != NULL && strcmp(v->pub.name, "upnp") == 0)
			from_upnp(id, v);
		else if (is_web(v) && nweb < ID_MAX_WEB) {
			nweb++;
			from_web(id, v);
		} else if (v->pub.banner != NULL) {
			char where[ID_WHERE];

			snprintf(where, sizeof(where), "tcp/%u banner",
			         v->pub.port);
			from_text(id, v->pub.banner, where, false);
		}
	}
	if (!Sl_cancelled(s))
		from_snmp(id);
	list(models, sizeof(models), id->model, id->nmodel, false);
	list(vers, sizeof(vers), id->ver, id->nver, false);
	rc = judge_model(id, models);
	if (rc == SL_OK)
		rc = judge_version(id);
	if (rc == SL_OK && (id->nmodel > 0 || id->nver > 0)) {
		snprintf(ex, sizeof(ex), "model %s; version %s%s%s",
		         id->nmodel ? models : "not seen",
		         id->nver ? vers : "not read",
		         id->denied[0] ? "; asked for credentials: " : "",
		         id->denied);
		rc = Sl_report(s, &findings[F_IDENTITY],
		               &(struct Sl_at){.host = true, .excerpt = ex});
	}
	free(id);
	return rc;
}

const struct Sl_check Sl_check_identity = {
    .id = "net.identity",
    .title = "Model and installed version readable over the network",
    .covers = {"S1.1-06", "S1.1-10", NULL},
    .findings = findings,
    .source = SL_SRC_NETWORK,
    .run = identity_run,
};
