/*
 * assess_json.c - the parts of report.json an assessment adds
 * (docs/report-format.md, "Issues" and "Inputs"): findings grouped for
 * people, each group with every location, and the inputs with their
 * SHA-256.  The flat "findings" array stays as it is: it keeps every
 * location too, one finding each, for tools that want them one by one.
 */
#include <stdio.h>
#include <stdlib.h>

#include "assess_json.h"
#include "report.h"
#include "../check/assess.h"

/* Strings from an image or a device may not be UTF-8: see json.c. */
#define json_string(s) Sl_jstr(s)

json_t *
Sl_evidence_json(const struct sl_finding *f)
{
	json_t *ev = json_object();

	if (f->evidence.path)
		json_object_set_new(ev, "path", json_string(f->evidence.path));
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
	return ev;
}

json_t *
Sl_issues_json(struct sl_scan *s)
{
	json_t *a = json_array();
	struct Sl_group *g;
	size_t n, i, k, r;

	g = Sl_groups(s, &n);
	for (i = 0; i < n; i++) {
		json_t *o = json_object(), *locs = json_array(),
		       *reqs = json_array();
		const struct sl_finding *f = g[i].f;

		for (r = 0; r < SL_MAX_REQS && f->requirements[r]; r++)
			json_array_append_new(reqs,
			                      json_string(f->requirements[r]));
		for (k = 0; k < g[i].count; k++) {
			json_t *ev = Sl_evidence_json(g[i].loc[k]);

			/* A location whose own title says more keeps it. */
			if (strcmp(g[i].loc[k]->title, f->title) != 0)
				json_object_set_new(
				    ev, "title",
				    json_string(g[i].loc[k]->title));
			json_array_append_new(locs, ev);
		}
		json_object_set_new(o, "id", json_string(f->id));
		json_object_set_new(o, "title", json_string(f->title));
		json_object_set_new(o, "severity",
		                    json_string(sl_severity_name(g[i].sev)));
		json_object_set_new(o, "requirements", reqs);
		json_object_set_new(o, "component",
		                    json_string(g[i].component));
		json_object_set_new(o, "count",
		                    json_integer((json_int_t)g[i].count));
		json_object_set_new(o, "locations", locs);
		json_object_set_new(o, "remediation",
		                    f->remediation ? json_string(f->remediation)
		                                   : json_null());
		json_array_append_new(a, o);
	}
	Sl_groups_free(g, n);
	return a;
}

json_t *
Sl_inputs_json(struct sl_scan *s)
{
	const struct Sl_assess *as = s->assess;
	json_t *a;
	size_t i;
	char hx[65];

	if (as == NULL || as->nin == 0)
		return NULL;
	a = json_array();
	for (i = 0; i < as->nin; i++) {
		const struct Sl_input *in = &as->in[i];
		json_t *o = json_object();

		json_object_set_new(o, "kind", json_string(in->kind));
		json_object_set_new(o, "name", json_string(in->name));
		if (in->has_sha) {
			Sl_hex(in->sha, 32, hx);
			json_object_set_new(o, "sha256", json_string(hx));
			json_object_set_new(o, "size",
			                    json_integer((json_int_t)in->size));
		}
		json_array_append_new(a, o);
	}
	return a;
}
