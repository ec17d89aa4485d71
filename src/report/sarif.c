/*
 * sarif.c - the report as SARIF 2.1.0 (OASIS Static Analysis Results
 * Interchange Format), for code-scanning dashboards and CI (jansson).
 *
 * One run.  tool.driver holds one rule per distinct finding id: its short
 * description is the title of the first such finding, its help the
 * remediation, properties.tags the requirement ids any of them breaks,
 * and properties["security-severity"] the highest severity as the number
 * GitHub code scanning ranks by.  Each finding is one result: ruleId and
 * ruleIndex, level (critical and high: error; medium: warning; low and
 * info: note), the title as message, and a location: for firmware the
 * virtual-tree path as artifactLocation.uri (percent-encoded: the path's
 * ':' would otherwise read as a URI scheme) with region.byteOffset and the
 * excerpt as snippet when the offset is known; for a device a logical
 * location "host:port".  result.properties keep the requirement ids and
 * the severity.  What the scan could not finish goes to the invocation's
 * toolExecutionNotifications; the subject, the checklist and the
 * components to run.properties.
 *
 * A writer never decides: it renders the scan as the verdict stage left
 * it.  The order is the JSON report's (findings sorted, rules by first
 * appearance), so two runs differ only in invocations[0].endTimeUtc.
 *
 * Trust: strings from the image or the device are hostile.  jansson
 * escapes them for JSON; bytes that are not UTF-8 become '?', and URIs
 * are percent-encoded here.
 */
#include <stdio.h>
#include <stdlib.h>

#include <jansson.h>

#include "report.h"

#define SARIF_SCHEMA                                                           \
	"https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/"  \
	"sarif-schema-2.1.0.json"
/*
 * The project's home and its docs/ (CMake: SL_HOME_URL, SL_DOCS_URL):
 * informationUri, and each rule's helpUri, the page of its requirement
 * in docs/requirements.md.
 */
#ifndef SL_HOME_URL
#define SL_HOME_URL "https://starlab.invalid/"
#endif
#ifndef SL_DOCS_URL
#define SL_DOCS_URL SL_HOME_URL "docs/"
#endif
#define SARIF_HOME SL_HOME_URL
#define SARIF_DOCS SL_DOCS_URL
#define DUMP_FLAGS (JSON_INDENT(2) | JSON_PRESERVE_ORDER)

/* A JSON string of s; bytes that are not UTF-8 become \xNN (escape.c). */
static json_t *
jstr(const char *s)
{
	return Sl_jstr(s);
}

/* {"text": s} */
static json_t *
jtext(const char *s)
{
	json_t *o = json_object();

	json_object_set_new(o, "text", jstr(s ? s : ""));
	return o;
}

/*
 * The tree path as a relative URI reference: unreserved characters, '/',
 * '@' and '!' stay, every other byte becomes %XX.
 */
static json_t *
juri(const char *path)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t n = strlen(path), i, k = 0;
	char *u = malloc(3 * n + 1);
	json_t *j;

	if (u == NULL)
		return NULL;
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)path[i];

		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || strchr("-._~/@!", c) != NULL) {
			u[k++] = (char)c;
		} else {
			u[k++] = '%';
			u[k++] = hex[c >> 4];
			u[k++] = hex[c & 15];
		}
	}
	u[k] = 0;
	j = json_string(u);
	free(u);
	return j;
}

static const char *
level(enum sl_severity s)
{
	switch (s) {
	case SL_SEV_CRITICAL:
	case SL_SEV_HIGH: return "error";
	case SL_SEV_MEDIUM: return "warning";
	default: return "note";
	}
}

/* GitHub code scanning's scale: 9.0+ critical, 7.0+ high, 4.0+ medium. */
static const char *
security_severity(enum sl_severity s)
{
	switch (s) {
	case SL_SEV_CRITICAL: return "9.5";
	case SL_SEV_HIGH: return "8.0";
	case SL_SEV_MEDIUM: return "5.5";
	case SL_SEV_LOW: return "3.0";
	default: return "0.0";
	}
}

static json_t *
req_list(const struct sl_finding *f)
{
	json_t *a = json_array();
	size_t i;

	for (i = 0; i < SL_MAX_REQS && f->requirements[i]; i++)
		json_array_append_new(a, jstr(f->requirements[i]));
	return a;
}

/* Add the ids in f->requirements to the sorted array tags. */
static void
merge_tags(json_t *tags, const struct sl_finding *f)
{
	size_t i, k;

	for (i = 0; i < SL_MAX_REQS && f->requirements[i]; i++) {
		const char *r = f->requirements[i];

		for (k = 0; k < json_array_size(tags); k++) {
			int c = strcmp(
			    json_string_value(json_array_get(tags, k)), r);

			if (c == 0)
				break;
			if (c > 0) {
				json_array_insert_new(tags, k, jstr(r));
				break;
			}
		}
		if (k == json_array_size(tags))
			json_array_append_new(tags, jstr(r));
	}
}

/* A requirement's page in docs/requirements.md: "#s11-12". */
static char *
req_uri(const char *req)
{
	char anchor[32], *u = NULL;
	size_t i, k = 0;

	for (i = 0; req[i] != '\0' && k + 1 < sizeof(anchor); i++)
		if (req[i] != '.')
			anchor[k++] = (char)(req[i] >= 'A' && req[i] <= 'Z'
			                         ? req[i] - 'A' + 'a'
			                         : req[i]);
	anchor[k] = '\0';
	if (asprintf(&u, "%srequirements.md#%s", SARIF_DOCS, anchor) < 0)
		return NULL;
	return u;
}

struct rulev {
	json_t *rule;
	enum sl_severity worst;
	const struct sl_finding *first;
	bool titles_differ; /* the findings of this id have several titles */
};

/*
 * The rule's descriptions and help: from the finding-kind catalogue
 * (the checks' tables) when it knows the id, else from the findings
 * themselves (a check not converted yet): their common title, or the id
 * when each finding has its own (an account, a protocol).
 */
static bool
describe(json_t *rule, const struct rulev *r, json_t *tags)
{
	const struct sl_finding_kind *k =
	    Sl_kind_lookup != NULL ? Sl_kind_lookup(r->first->id) : NULL;
	const struct sl_finding *f = r->first;
	const char *title, *fix;
	struct Sl_buf full, md;
	char *uri = NULL;
	size_t i;

	title = k != NULL ? k->title : r->titles_differ ? f->id : f->title;
	fix = k != NULL ? k->remediation
	                : (f->remediation ? f->remediation : f->title);
	Sl_buf_init(&full, SL_BUF_MAX_REPORT);
	Sl_buf_init(&md, SL_BUF_MAX_REPORT);
	Sl_buf_addf(&full, "%s.", title);
	if (k != NULL)
		Sl_buf_addf(&full, " Reported by the check %s.", k->check);
	Sl_buf_addf(&md, "%s\n\n**Requirements**\n\n", fix);
	for (i = 0; i < json_array_size(tags); i++) {
		const char *id = json_string_value(json_array_get(tags, i));
		const struct sl_requirement *q = sl_requirement_find(id);
		char *u;

		if (q == NULL)
			continue;
		Sl_buf_addf(&full, "%s JC-STAR %s: %s.", i ? "" : " Can break",
		            q->id, q->title);
		if ((u = req_uri(q->id)) != NULL) {
			Sl_buf_addf(&md, "- [%s](%s) %s\n", q->id, u, q->title);
			if (uri == NULL)
				uri = u;
			else
				free(u);
		}
	}
	if (full.failed != SL_OK || md.failed != SL_OK || full.p == NULL ||
	    md.p == NULL) {
		Sl_buf_free(&full);
		Sl_buf_free(&md);
		free(uri);
		return false;
	}
	json_object_set_new(rule, "shortDescription", jtext(title));
	json_object_set_new(rule, "fullDescription",
	                    jtext((const char *)full.p));
	json_object_set_new(rule, "help",
	                    json_pack("{s:o, s:o}", "text", jstr(fix),
	                              "markdown", jstr((const char *)md.p)));
	if (uri != NULL)
		json_object_set_new(rule, "helpUri", json_string(uri));
	Sl_buf_free(&full);
	Sl_buf_free(&md);
	free(uri);
	return true;
}

/*
 * The rules, one per distinct finding id, in order of first appearance;
 * index maps an id to its position.  properties.tags: "security" (code
 * scanning files the alerts as security alerts), the severity and the
 * requirement ids.
 */
static json_t *
rules_json(const struct sl_scan *s, json_t *index)
{
	json_t *rules = json_array();
	struct rulev *rv;
	size_t i, n = 0;

	rv = calloc(s->nfindings ? s->nfindings : 1, sizeof(*rv));
	if (rv == NULL || rules == NULL) {
		free(rv);
		json_decref(rules);
		return NULL;
	}
	for (i = 0; i < s->nfindings; i++) {
		const struct sl_finding *f = s->findings[i];
		json_t *at = json_object_get(index, f->id);
		struct rulev *r;

		if (at != NULL) {
			r = &rv[json_integer_value(at)];
			if (strcmp(r->first->title, f->title) != 0)
				r->titles_differ = true;
		} else {
			r = &rv[n];
			r->rule = json_pack("{s:o, s:o, s:{s:[]}}", "id",
			                    jstr(f->id), "name", jstr(f->id),
			                    "properties", "tags");
			if (r->rule == NULL)
				break;
			r->worst = f->severity;
			r->first = f;
			json_object_set_new(index, f->id,
			                    json_integer((json_int_t)n));
			n++;
		}
		if (f->severity > r->worst)
			r->worst = f->severity;
		merge_tags(json_object_get(
		               json_object_get(r->rule, "properties"), "tags"),
		           f);
	}
	for (i = 0; i < n; i++) {
		json_t *props = json_object_get(rv[i].rule, "properties");
		json_t *tags = json_object_get(props, "tags");
		json_t *reqs = json_deep_copy(tags);
		bool ok = describe(rv[i].rule, &rv[i], reqs);

		json_decref(reqs);
		if (!ok) {
			for (; i < n; i++)
				json_decref(rv[i].rule);
			free(rv);
			json_decref(rules);
			return NULL;
		}
		json_array_insert_new(tags, 0, json_string("security"));
		json_array_insert_new(
		    tags, 1, json_string(sl_severity_name(rv[i].worst)));
		json_object_set_new(
		    props, "security-severity",
		    json_string(security_severity(rv[i].worst)));
		json_object_set_new(
		    rv[i].rule, "defaultConfiguration",
		    json_pack("{s:s}", "level", level(rv[i].worst)));
		json_array_append_new(rules, rv[i].rule);
	}
	free(rv);
	return rules;
}

/* The protocol of the device's service on port, "tcp" when not known. */
static const char *
service_proto(const struct sl_scan *s, const char *host, unsigned port)
{
	size_t i, n = sl_service_count(s);

	(void)host;
	for (i = 0; i < n; i++) {
		const struct sl_service *v = sl_service_get(s, i);

		if (v != NULL && v->port == port && v->proto != NULL)
			return v->proto;
	}
	return "tcp";
}

/*
 * Where a result is, for code scanning, which drops a result without a
 * physical location.  Firmware: the virtual-tree path (percent-encoded:
 * its ':' would otherwise read as a URI scheme), with the line when the
 * file is text, the byte offset and the excerpt.  A device: the artifact
 * starlab://HOST:PORT/PROTO (starlab://HOST/ for the host as a whole)
 * and a logical location HOST:PORT.  Anything else (the profile, the
 * product): starlab://product/ and the finding's component.  *key gets
 * the location's part of the result's fingerprint.
 */
static json_t *
location(struct sl_scan *s, const struct sl_finding *f, char **key)
{
	const struct sl_evidence *ev = &f->evidence;
	json_t *loc = json_object(), *pl = json_object();
	char *uri = NULL, *hp = NULL;
	int rc;

	*key = NULL;
	if (ev->path) {
		json_t *rg = json_object();

		json_object_set_new(pl, "artifactLocation",
		                    json_pack("{s:o}", "uri", juri(ev->path)));
		if (ev->line > 0)
			json_object_set_new(rg, "startLine",
			                    json_integer(ev->line));
		if (ev->has_offset)
			json_object_set_new(
			    rg, "byteOffset",
			    json_integer((json_int_t)ev->offset));
		if (json_object_size(rg) > 0 && ev->excerpt && ev->excerpt[0])
			json_object_set_new(rg, "snippet", jtext(ev->excerpt));
		if (json_object_size(rg) > 0)
			json_object_set_new(pl, "region", rg);
		else
			json_decref(rg);
		*key = strdup(ev->path);
	} else if (ev->host) {
		bool v6 = strchr(ev->host, ':') != NULL;
		const char *proto = service_proto(s, ev->host, ev->port);

		if (ev->port > 0) {
			rc = asprintf(&hp, v6 ? "[%s]:%u" : "%s:%u", ev->host,
			              ev->port);
			if (rc >= 0)
				rc = asprintf(&uri, "starlab://%s/%s", hp,
				              proto);
		} else {
			rc = asprintf(&hp, v6 ? "[%s]" : "%s", ev->host);
			if (rc >= 0)
				rc = asprintf(&uri, "starlab://%s/", hp);
		}
		if (rc < 0) {
			free(hp);
			json_decref(pl);
			json_decref(loc);
			return NULL;
		}
		json_object_set_new(pl, "artifactLocation",
		                    json_pack("{s:o}", "uri", jstr(uri)));
		json_object_set_new(loc, "logicalLocations",
		                    json_pack("[{s:o, s:o, s:s}]", "name",
		                              jstr(hp), "fullyQualifiedName",
		                              jstr(uri + 10), "kind",
		                              "resource"));
		*key = uri;
		uri = NULL;
	} else {
		const char *comp = Sl_finding_component(s, f);

		json_object_set_new(
		    pl, "artifactLocation",
		    json_pack("{s:s}", "uri", "starlab://product/"));
		json_object_set_new(loc, "logicalLocations",
		                    json_pack("[{s:o, s:s}]", "name",
		                              jstr(comp ? comp : "product"),
		                              "kind", "module"));
		*key = strdup(comp ? comp : "product");
	}
	json_object_set_new(loc, "physicalLocation", pl);
	free(hp);
	free(uri);
	if (*key == NULL) {
		json_decref(loc);
		return NULL;
	}
	return loc;
}

/*
 * A fingerprint that stays the same from one run to the next, so that a
 * re-upload updates the alerts instead of opening new ones: the rule,
 * the location (tree path, or device and port), the title (it names the
 * account, the protocol) and the excerpt (the line's text, secrets
 * masked), not the offset or line, which move when unrelated bytes do.
 */
static json_t *
fingerprint(const struct sl_finding *f, const char *key)
{
	struct Sl_buf b;
	uint8_t h[32];
	char hx[65];

	Sl_buf_init(&b, SL_BUF_MAX_REPORT);
	/* Fields apart by the unit separator, which no name holds. */
	Sl_buf_addf(&b, "%s\x1f%s\x1f%s\x1f%s", f->id, key, f->title,
	            f->evidence.excerpt ? f->evidence.excerpt : "");
	if (b.failed != SL_OK || b.p == NULL) {
		Sl_buf_free(&b);
		return NULL;
	}
	Sl_sha256(b.p, b.n, h);
	Sl_buf_free(&b);
	Sl_hex(h, 16, hx);
	return json_pack("{s:s}", "starlabFinding/v1", hx);
}

static json_t *
results_json(struct sl_scan *s, json_t *index)
{
	json_t *res = json_array();
	size_t i;

	for (i = 0; i < s->nfindings; i++) {
		const struct sl_finding *f = s->findings[i];
		json_t *r, *props, *loc, *fp;
		char *key;

		props = json_pack("{s:o, s:s}", "requirements", req_list(f),
		                  "severity", sl_severity_name(f->severity));
		if (props != NULL && f->evidence.excerpt)
			json_object_set_new(props, "excerpt",
			                    jstr(f->evidence.excerpt));
		loc = location(s, f, &key);
		fp = loc != NULL ? fingerprint(f, key) : NULL;
		free(key);
		r = json_pack("{s:o, s:O, s:s, s:o}", "ruleId", jstr(f->id),
		              "ruleIndex", json_object_get(index, f->id),
		              "level", level(f->severity), "message",
		              jtext(f->title));
		if (r == NULL || props == NULL || loc == NULL || fp == NULL) {
			json_decref(r);
			json_decref(props);
			json_decref(loc);
			json_decref(fp);
			json_decref(res);
			return NULL;
		}
		json_object_set_new(r, "locations", json_pack("[o]", loc));
		json_object_set_new(r, "partialFingerprints", fp);
		json_object_set_new(r, "properties", props);
		json_array_append_new(res, r);
	}
	return res;
}

static json_t *
notifications(const struct sl_scan *s)
{
	json_t *a = json_array();
	size_t i;

	for (i = 0; i < s->nincomplete; i++)
		json_array_append_new(a, json_pack("{s:s, s:o}", "level",
		                                   "warning", "message",
		                                   jtext(s->incomplete[i])));
	if (s->incomplete_capped)
		json_array_append_new(
		    a, json_pack("{s:s, s:o}", "level", "warning", "message",
		                 jtext("more reasons were dropped after the "
		                       "first 256")));
	return a;
}

static json_t *
string_array(const char *const *v)
{
	json_t *a = json_array();

	for (; v != NULL && *v != NULL; v++)
		json_array_append_new(a, jstr(*v));
	return a;
}

static json_t *
run_properties(const struct sl_scan *s)
{
	json_t *p = json_object(), *cl = json_array(), *subj = json_object();
	size_t i, nc = sl_component_count(s);
	char hx[65];

	if (s->has_fw) {
		Sl_hex(s->fw_sha, 32, hx);
		json_object_set_new(subj, "firmware",
		                    json_pack("{s:o, s:s, s:I}", "name",
		                              jstr(s->fw_name), "sha256", hx,
		                              "size", (json_int_t)s->fw_size));
	}
	if (s->device)
		json_object_set_new(
		    subj, "device",
		    json_pack("{s:o}", "host", jstr(s->device)));
	for (i = 0; i < SL_NREQ; i++) {
		const struct sl_check_result *c = &s->checklist[i];

		json_array_append_new(
		    cl,
		    json_pack("{s:o, s:s, s:o, s:o, s:o}", "id", jstr(c->id),
		              "verdict", sl_verdict_name(c->verdict), "reason",
		              jstr(c->reason ? c->reason : ""), "findings",
		              string_array(c->findings), "missing_evidence",
		              string_array(c->missing_evidence)));
	}
	json_object_set_new(p, "scheme", json_string("JC-STAR STAR-1"));
	json_object_set_new(p, "subject", subj);
	json_object_set_new(p, "checklist", cl);
	if (nc > 0) {
		json_t *ca = json_array();

		for (i = 0; i < nc; i++) {
			const struct sl_component *c = sl_component_get(s, i);

			if (c == NULL)
				continue;
			json_array_append_new(
			    ca, json_pack("{s:o, s:o, s:o, s:o, s:o}", "name",
			                  jstr(c->name), "version",
			                  jstr(c->version), "purl",
			                  jstr(c->purl), "cpe", jstr(c->cpe),
			                  "cves", string_array(c->cves)));
		}
		json_object_set_new(p, "components", ca);
	}
	return p;
}

char *
Sl_report_sarif(struct sl_scan *s, int64_t generated_at)
{
	json_t *root, *index, *rules, *results;
	char ts[32], *out;

	if (!s->decided && sl_scan_decide(s) != SL_OK)
		return NULL;
	index = json_object();
	rules = rules_json(s, index);
	results = rules ? results_json(s, index) : NULL;
	json_decref(index);
	if (rules == NULL || results == NULL) {
		json_decref(rules);
		json_decref(results);
		Sl_fail(s, SL_E_NOMEM, "SARIF report: out of memory");
		return NULL;
	}
	Sl_iso_time(generated_at, ts);
	root = json_pack("{s:s, s:s, s:[{s:{s:{s:s, s:s, s:s, s:s, s:o}}, "
	                 "s:[{s:b, s:s, s:o}], s:o, s:o}]}",
	                 "$schema", SARIF_SCHEMA, "version", "2.1.0", "runs",
	                 "tool", "driver", "name", "starlab", "version",
	                 SL_VERSION, "semanticVersion", SL_VERSION,
	                 "informationUri", SARIF_HOME, "rules", rules,
	                 "invocations", "executionSuccessful",
	                 /* A cancelled run, or one that could read nothing
	                  * of its image, did not do its job. */
	                 !s->cancel && !s->unrecognised, "endTimeUtc", ts,
	                 "toolExecutionNotifications", notifications(s),
	                 "results", results, "properties", run_properties(s));
	if (root == NULL) {
		Sl_fail(s, SL_E_NOMEM, "SARIF report: out of memory");
		return NULL;
	}
	out = json_dumps(root, DUMP_FLAGS);
	json_decref(root);
	if (out == NULL)
		Sl_fail(s, SL_E_NOMEM, "SARIF report: out of memory");
	return out;
}
