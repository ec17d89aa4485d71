/*
 * verdict.c - from findings and covered evidence sources to the sixteen
 * STAR-1 verdicts.
 *
 * The rule is deliberately plain, so that a lab can audit it:
 *   - a requirement broken by at least one finding is non-conformant, and
 *     lists those findings;
 *   - otherwise, if every evidence source the requirement needs (firmware,
 *     device, profile) was covered by this scan, it is conformant;
 *   - otherwise it needs evidence, and the report names each missing piece.
 * A source counts as covered only when checks drawing on it actually ran
 * for that requirement (Sl_cover).  A checked source that found nothing is
 * never enough on its own for a requirement the scheme assesses from
 * documents: starlab cannot read intent, so the document stays missing.
 */
#include <stdlib.h>

#include "../core/scan.h"

static const char *
source_missing(unsigned src)
{
	switch (src) {
	case SL_SRC_FIRMWARE:
		return "firmware: run `starlab firmware IMAGE` on the "
		       "release image";
	case SL_SRC_NETWORK:
		return "device: run `starlab device HOST` against a unit "
		       "in its shipped configuration";
	default:
		return NULL;
	}
}

static int
finding_cmp(const void *x, const void *y)
{
	const struct sl_finding *a = *(struct sl_finding *const *)x;
	const struct sl_finding *b = *(struct sl_finding *const *)y;
	int c = strcmp(a->id, b->id);

	if (c == 0)
		c = strcmp(a->evidence.path ? a->evidence.path : "",
			   b->evidence.path ? b->evidence.path : "");
	if (c == 0)
		c = strcmp(a->evidence.host ? a->evidence.host : "",
			   b->evidence.host ? b->evidence.host : "");
	if (c == 0 && a->evidence.port != b->evidence.port)
		c = a->evidence.port < b->evidence.port ? -1 : 1;
	if (c == 0 && a->evidence.offset != b->evidence.offset)
		c = a->evidence.offset < b->evidence.offset ? -1 : 1;
	if (c == 0)
		c = strcmp(a->evidence.excerpt ? a->evidence.excerpt : "",
			   b->evidence.excerpt ? b->evidence.excerpt : "");
	return c;
}

static bool
breaks(const struct sl_finding *f, const char *req)
{
	size_t i;

	for (i = 0; i < SL_MAX_REQS && f->requirements[i]; i++)
		if (strcmp(f->requirements[i], req) == 0)
			return true;
	return false;
}

sl_rc
sl_scan_decide(struct sl_scan *s)
{
	const struct sl_requirement *reqs;
	struct Sl_arena *a = &s->arena;
	size_t nreq, i, j;

	reqs = sl_requirements(&nreq);
	if (nreq != SL_NREQ)
		return Sl_fail(s, SL_E_USAGE, "catalogue has %zu entries",
			       nreq);
	/* A stable order: reports must be byte-identical across runs. */
	if (s->nfindings > 1)
		qsort(s->findings, s->nfindings, sizeof(*s->findings),
		      finding_cmp);
	for (i = 0; i < nreq; i++) {
		const struct sl_requirement *r = &reqs[i];
		struct sl_check_result *c = &s->checklist[i];
		const char **fl, **miss;
		size_t nf = 0, nm = 0;
		unsigned src;

		fl = Sl_arena_alloc(a, (s->nfindings + 1) * sizeof(*fl));
		miss = Sl_arena_alloc(a, 4 * sizeof(*miss));
		if (fl == NULL || miss == NULL)
			return SL_E_NOMEM;
		for (j = 0; j < s->nfindings; j++) {
			const struct sl_finding *f = s->findings[j];

			/* Informational findings are advice, not breaches. */
			if (!breaks(f, r->id) || f->severity == SL_SEV_INFO)
				continue;
			if (nf > 0 && strcmp(fl[nf - 1], f->id) == 0)
				continue;
			fl[nf++] = f->id;
		}
		c->id = r->id;
		c->findings = fl;
		c->missing_evidence = miss;
		if (nf > 0) {
			c->verdict = SL_V_NON_CONFORMANT;
			c->reason = Sl_arena_printf(
			    a, "%zu finding%s break%s this requirement", nf,
			    nf == 1 ? "" : "s", nf == 1 ? "s" : "");
			continue;
		}
		for (src = SL_SRC_FIRMWARE; src <= SL_SRC_NETWORK; src <<= 1)
			if ((r->sources & src) && !(s->covered[i] & src))
				miss[nm++] = source_missing(src);
		/* A document-assessed requirement always needs the document. */
		if (((r->sources & SL_SRC_PROFILE) || (r->method & SL_METHOD_DOC)) &&
		    !(s->covered[i] & SL_SRC_PROFILE))
			miss[nm++] = Sl_arena_printf(
			    a, "profile: %s", r->evidence_needed);
		if (nm == 0) {
			c->verdict = SL_V_CONFORMANT;
			c->reason = "every evidence source this requirement "
				    "needs was checked and nothing broke it";
		} else {
			c->verdict = SL_V_NEEDS_EVIDENCE;
			c->reason = "no finding breaks it, but the evidence "
				    "below is still missing";
		}
	}
	s->decided = true;
	return SL_OK;
}

size_t
sl_checklist_count(const struct sl_scan *s)
{
	return s->decided ? SL_NREQ : 0;
}

const struct sl_check_result *
sl_checklist_get(const struct sl_scan *s, size_t i)
{
	return s->decided && i < SL_NREQ ? &s->checklist[i] : NULL;
}
