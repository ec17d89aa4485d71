/*
 * json.c - the JSON report and the JSON tree listing (jansson).
 *
 * The report's contract is docs/report-format.md and
 * docs/report.schema.json.  The same input gives byte-identical output
 * apart from generated_at: findings are sorted by the verdict stage, the
 * tree by path, and keys are emitted in a fixed order.
 */
#include <stdio.h>
#include <stdlib.h>
#include <errno.h>
#include <time.h>

#include <jansson.h>

#include "../core/scan.h"
#include "report.h"
#include "../profile/profile.h"
#include "../vuln/vulndb.h"
#include "assess_json.h"
#include "../check/assess.h"
#include "../net/scope.h"

/*
 * Every string of the report may come from an image, a device or the
 * profile: each goes through Sl_jstr (escape.c), so that a byte that is
 * not UTF-8 never makes a report fail or become invalid JSON.
 */
#define json_string(s) Sl_jstr(s)

#define DUMP_FLAGS                                                             \
	(JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(6))

static json_t *
str_or_null(const char *s)
{
	return s ? json_string(s) : json_null();
}

static json_t *
hex_sha(const uint8_t *sha)
{
	char hx[65];

	Sl_hex(sha, 32, hx);
	return json_string(hx);
}

static json_t *
string_list(const char *const *v)
{
	json_t *a = json_array();

	for (; v != NULL && *v != NULL; v++)
		json_array_append_new(a, json_string(*v));
	return a;
}

/* subject.device: the host, and the scope of the run when there was one. */
static json_t *
device_json(const struct sl_scan *s)
{
	json_t *d = json_pack("{s:o}", "host", json_string(s->device));
	json_t *scope = Sl_dev_scope_json(s);

	if (d != NULL && scope != NULL)
		json_object_set_new(d, "scope", scope);
	else
		json_decref(scope);
	return d;
}

static json_t *
incomplete_json(const struct sl_scan *s)
{
	json_t *a = json_array();
	size_t i;

	for (i = 0; i < s->nincomplete; i++)
		json_array_append_new(a, json_string(s->incomplete[i]));
	if (s->incomplete_capped)
		json_array_append_new(a, json_string("more reasons were "
		                                     "dropped after the "
		                                     "first 256"));
	return a;
}

static const char *
type_name(enum sl_ftype t)
{
	static const char *const n[] = {
	    [SL_FT_REG] = "file",
	    [SL_FT_DIR] = "dir",
	    [SL_FT_LNK] = "symlink",
	    [SL_FT_CHR] = "chardev",
	    [SL_FT_BLK] = "blockdev",
	    [SL_FT_FIFO] = "fifo",
	    [SL_FT_SOCK] = "socket",
	    [SL_FT_HARDLINK] = "hardlink",
	    [SL_FT_CONTAINER] = "container",
	    [SL_FT_REGION] = "region",
	};

	return (unsigned)t < SL_ARRAY_LEN(n) && n[t] ? n[t] : "unknown";
}

const char *
Sl_type_name(enum sl_ftype t)
{
	return type_name(t);
}

static json_t *
firmware_json(const struct sl_scan *s)
{
	json_t *o;

	if (!s->has_fw)
		return json_null();
	o = json_object();
	Sl_json_set_name(o, "name", s->fw_name);
	json_object_set_new(o, "sha256", hex_sha(s->fw_sha));
	json_object_set_new(o, "size", json_integer((json_int_t)s->fw_size));
	return o;
}

static json_t *
entry_json(const struct sl_entry *e)
{
	json_t *o = json_object();

	Sl_json_set_name(o, "path", e->path);
	json_object_set_new(o, "type", json_string(type_name(e->type)));
	if (e->type == SL_FT_CONTAINER || e->type == SL_FT_REGION) {
		json_object_set_new(o, "offset",
		                    json_integer((json_int_t)e->offset));
		if (e->format)
			json_object_set_new(o, "format",
			                    json_string(e->format));
	} else {
		char m[8];

		snprintf(m, sizeof(m), "%04o", e->mode & 07777);
		json_object_set_new(o, "mode", json_string(m));
		json_object_set_new(o, "uid", json_integer(e->uid));
		json_object_set_new(o, "gid", json_integer(e->gid));
	}
	json_object_set_new(o, "size", json_integer((json_int_t)e->size));
	if (e->mtime != 0)
		json_object_set_new(o, "mtime", json_integer(e->mtime));
	if (e->has_sha256)
		json_object_set_new(o, "sha256", hex_sha(e->sha256));
	if (e->link)
		Sl_json_set_name(o, "link", e->link);
	if (e->type == SL_FT_REGION)
		json_object_set_new(
		    o, "entropy",
		    json_real((double)(int64_t)(e->entropy * 1000 + 0.5) /
		              1000));
	if (e->note)
		json_object_set_new(o, "note", json_string(e->note));
	return o;
}

char *
sl_tree_json(struct sl_scan *s)
{
	json_t *root, *ents;
	size_t i;
	char *out;

	ents = json_array();
	for (i = 0; i < s->nnodes; i++)
		json_array_append_new(ents, entry_json(&s->nodes[i]->e));
	root =
	    json_pack("{s:{s:s,s:s}, s:o, s:o, s:o}", "tool", "name", "starlab",
	              "version", SL_VERSION, "image", firmware_json(s),
	              "entries", ents, "incomplete", incomplete_json(s));
	if (root == NULL)
		return NULL;
	out = json_dumps(root, DUMP_FLAGS);
	json_decref(root);
	return out;
}

static json_t *
finding_json(const struct sl_finding *f)
{
	json_t *o = json_object(), *reqs = json_array(), *ev = json_object();
	size_t i;

	for (i = 0; i < SL_MAX_REQS && f->requirements[i]; i++)
		json_array_append_new(reqs, json_string(f->requirements[i]));
	if (f->evidence.path)
		Sl_json_set_name(ev, "path", f->evidence.path);
	if (f->evidence.has_offset)
		json_object_set_new(
		    ev, "offset", json_integer((json_int_t)f->evidence.offset));
	if (f->evidence.host) {
		json_object_set_new(ev, "host", json_string(f->evidence.host));
		json_object_set_new(ev, "port", json_integer(f->evidence.port));
	}
	if (f->evidence.excerpt)
		json_object_set_new(ev, "excerpt",
		                    json_string(f->evidence.excerpt));
	json_object_set_new(o, "id", json_string(f->id));
	json_object_set_new(o, "title", json_string(f->title));
	json_object_set_new(o, "severity",
	                    json_string(sl_severity_name(f->severity)));
	json_object_set_new(o, "requirements", reqs);
	json_object_set_new(o, "evidence", ev);
	json_object_set_new(o, "remediation", str_or_null(f->remediation));
	if (f->component)
		json_object_set_new(o, "component", json_string(f->component));
	return o;
}

/* The components, sorted (src/vuln/vuln.c), with their CVE ids. */
static json_t *
components_json(const struct sl_scan *s)
{
	const struct sl_component **v;
	json_t *a = json_array(), *o, *w;
	size_t i, n;

	v = Sl_components_sorted(s, &n);
	for (i = 0; i < n; i++) {
		w = json_object();
		if (v[i]->where.path != NULL)
			json_object_set_new(w, "path",
			                    json_string(v[i]->where.path));
		if (v[i]->where.host != NULL) {
			json_object_set_new(w, "host",
			                    json_string(v[i]->where.host));
			json_object_set_new(w, "port",
			                    json_integer(v[i]->where.port));
		}
		o = json_object();
		json_object_set_new(o, "name", json_string(v[i]->name));
		json_object_set_new(o, "version", json_string(v[i]->version));
		json_object_set_new(o, "purl", str_or_null(v[i]->purl));
		json_object_set_new(o, "cpe", str_or_null(v[i]->cpe));
		json_object_set_new(o, "source",
		                    json_string(v[i]->source == SL_SRC_NETWORK
		                                    ? "network"
		                                    : "firmware"));
		json_object_set_new(o, "where", w);
		json_object_set_new(o, "cves", string_list(v[i]->cves));
		json_array_append_new(a, o);
	}
	free(v);
	return a;
}

/* The device's services (src/net/), in proto, port, address order. */
static json_t *
services_json(const struct sl_scan *s)
{
	json_t *a = json_array();
	size_t i, n = sl_service_count(s);

	for (i = 0; i < n; i++) {
		const struct sl_service *v = sl_service_get(s, i);

		json_array_append_new(
		    a, json_pack(
		           "{s:o, s:o, s:i, s:o, s:b, s:o, s:o, s:o, s:b}",
		           "proto", json_string(v->proto), "address",
		           json_string(v->address), "port", (int)v->port,
		           "name", json_string(v->name ? v->name : "unknown"),
		           "tls", v->tls, "banner", str_or_null(v->banner),
		           "product", str_or_null(v->product), "version",
		           str_or_null(v->version), "declared", v->declared));
	}
	return a;
}

/* The profile the verdicts used: where it came from and what it names. */
static json_t *
profile_json(struct sl_scan *s)
{
	const struct Sl_profile *p = s->profile;
	json_t *o;

	if (p == NULL)
		return json_null();
	o = json_pack("{s:o}", "path", json_string(p->path));
	if (o == NULL)
		return NULL;
	if (p->vendor)
		json_object_set_new(o, "vendor", json_string(p->vendor));
	if (p->model)
		json_object_set_new(o, "model", json_string(p->model));
	if (p->version)
		json_object_set_new(o, "version", json_string(p->version));
	return o;
}

char *
Sl_report_json(struct sl_scan *s, int64_t generated_at)
{
	const struct sl_requirement *reqs;
	json_t *root, *fa, *ca, *subj, *sum;
	size_t i, nreq, counts[4] = {0};
	char ts[32];
	char *out;

	if (!s->decided && sl_scan_decide(s) != SL_OK)
		return NULL;
	reqs = sl_requirements(&nreq);
	fa = json_array();
	for (i = 0; i < s->nfindings; i++)
		json_array_append_new(fa, finding_json(s->findings[i]));
	ca = json_array();
	for (i = 0; i < SL_NREQ; i++) {
		const struct sl_check_result *c = &s->checklist[i];

		counts[c->verdict]++;
		json_array_append_new(
		    ca, json_pack("{s:s, s:s, s:s, s:o, s:o, s:o}", "id", c->id,
		                  "title", reqs[i].title, "verdict",
		                  sl_verdict_name(c->verdict), "reason",
		                  json_string(c->reason ? c->reason : ""),
		                  "findings", string_list(c->findings),
		                  "missing_evidence",
		                  string_list(c->missing_evidence)));
	}
	subj = json_pack("{s:o, s:o, s:o}", "firmware", firmware_json(s),
	                 "device", s->device ? device_json(s) : json_null(),
	                 "profile", profile_json(s));
	sum =
	    json_pack("{s:I, s:I, s:I, s:I, s:I, s:b}", "findings",
	              (json_int_t)s->nfindings, "non_conformant",
	              (json_int_t)counts[SL_V_NON_CONFORMANT], "conformant",
	              (json_int_t)counts[SL_V_CONFORMANT], "not_applicable",
	              (json_int_t)counts[SL_V_NOT_APPLICABLE], "needs_evidence",
	              (json_int_t)counts[SL_V_NEEDS_EVIDENCE], "complete",
	              s->nincomplete == 0);
	Sl_iso_time(generated_at, ts);
	root = json_pack("{s:{s:s,s:s}, s:s, s:s, s:o, s:o, s:o, s:o, s:o, "
	                 "s:o}",
	                 "tool", "name", "starlab", "version", SL_VERSION,
	                 "scheme", "JC-STAR STAR-1", "generated_at", ts,
	                 "subject", subj, "summary", sum, "findings", fa,
	                 "components", components_json(s), "checklist", ca,
	                 "incomplete", incomplete_json(s));
	if (root == NULL)
		return NULL;
	json_object_set_new(root, "services", services_json(s));
	/* The assessment's additions (assess_json.c). */
	json_object_set_new(root, "issues", Sl_issues_json(s));
	if (s->assess != NULL && s->assess->nin > 0)
		json_object_set_new(root, "inputs", Sl_inputs_json(s));
	out = json_dumps(root, DUMP_FLAGS);
	json_decref(root);
	return out;
}
