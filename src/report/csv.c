/*
 * csv.c - checklist.csv: the scheme's checklist, one row per requirement,
 * with the columns a lab fills in (id, requirement, assessment method,
 * verdict, not-applicable reason, evidence references).  RFC 4180: CRLF
 * line ends, every field quoted, quotes doubled.  A field that a
 * spreadsheet would take for a formula (it starts with =, +, -, @, tab or
 * CR) gets a leading apostrophe: the excerpts behind it come from the
 * product under test.
 */
#include <stdio.h>
#include <stdlib.h>

#include "report.h"
#include "../profile/profile.h"
#include "../check/assess.h"

static void
field(struct Sl_buf *b, const char *v, bool last)
{
	const char *p;

	Sl_buf_add(b, "\"", 1);
	if (v != NULL && strchr("=+-@\t\r", v[0]) != NULL && v[0] != 0)
		Sl_buf_add(b, "'", 1);
	for (p = v ? v : ""; *p; p++) {
		if (*p == '"')
			Sl_buf_add(b, "\"", 1);
		Sl_buf_add(b, p, 1);
	}
	Sl_buf_add(b, last ? "\"\r\n" : "\",", last ? 3 : 2);
}

static bool
names(const struct sl_finding *f, const char *req)
{
	size_t i;

	for (i = 0; i < SL_MAX_REQS && f->requirements[i]; i++)
		if (strcmp(f->requirements[i], req) == 0)
			return true;
	return false;
}

/*
 * The evidence references of requirement i: the evidence files of the
 * grouped findings that name it, the profile's documents for it, and
 * what is still missing.
 */
static void
refs(struct sl_scan *s, size_t i, const struct Sl_group *g, size_t ng,
     struct Sl_buf *r)
{
	const struct sl_check_result *c = &s->checklist[i];
	const struct Sl_profile *p = s->profile;
	const char *const *m;
	size_t k;

	for (k = 0; k < ng; k++)
		if (names(g[k].f, c->id))
			Sl_buf_addf(r, "%sevidence/%s (%s, %zu location%s)",
			            r->n ? "; " : "",
			            Sl_group_evidence_name(s, &g[k], k),
			            g[k].f->id, g[k].count,
			            g[k].count == 1 ? "" : "s");
	for (k = 0; p != NULL && k < p->ndocs; k++)
		if (strcmp(p->docs[k].req, c->id) == 0)
			Sl_buf_addf(r, "%sprofile documents.%s%s%s: %s",
			            r->n ? "; " : "", c->id,
			            p->docs[k].item ? " " : "",
			            p->docs[k].item ? p->docs[k].item : "",
			            p->docs[k].ref);
	for (m = c->missing_evidence; m && *m; m++)
		Sl_buf_addf(r, "%smissing: %s", r->n ? "; " : "", *m);
}

/* The vendor's reason alone, without the verdict stage's lead-in. */
static const char *
na_of(const struct sl_check_result *c)
{
	static const char lead[] = "not applicable, per the profile: ";

	if (c->reason != NULL &&
	    strncmp(c->reason, lead, sizeof(lead) - 1) == 0)
		return c->reason + sizeof(lead) - 1;
	return c->reason;
}

char *
Sl_report_csv(struct sl_scan *s)
{
	const struct sl_requirement *reqs;
	struct Sl_group *g;
	struct Sl_buf b;
	size_t i, nreq, ng;

	if (!s->decided && sl_scan_decide(s) != SL_OK)
		return NULL;
	reqs = sl_requirements(&nreq);
	g = Sl_groups(s, &ng);
	Sl_buf_init(&b, SL_BUF_MAX_REPORT);
	field(&b, "id", false);
	field(&b, "requirement", false);
	field(&b, "assessment method", false);
	field(&b, "verdict", false);
	field(&b, "not-applicable reason", false);
	field(&b, "evidence references", true);
	for (i = 0; i < SL_NREQ && i < nreq; i++) {
		const struct sl_check_result *c = &s->checklist[i];
		struct Sl_buf r;

		Sl_buf_init(&r, SL_BUF_MAX_REPORT);
		refs(s, i, g, ng, &r);
		Sl_buf_add(&r, "", 1);
		field(&b, c->id, false);
		field(&b, reqs[i].title, false);
		field(&b, sl_method_name(reqs[i].method), false);
		field(&b, sl_verdict_name(c->verdict), false);
		field(&b, c->verdict == SL_V_NOT_APPLICABLE ? na_of(c) : "",
		      false);
		field(&b, (const char *)r.p, true);
		Sl_buf_free(&r);
	}
	Sl_groups_free(g, ng);
	Sl_buf_add(&b, "", 1);
	if (b.p == NULL)
		return NULL;
	return (char *)Sl_buf_take(&b, NULL);
}
