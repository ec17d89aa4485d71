/*
 * verdict.c - from findings and covered evidence sources to the sixteen
 * STAR-1 verdicts.
 *
 * The rule is deliberately plain, so that a lab can audit it:
 *   - a requirement broken by at least one finding of medium severity or
 *     more is non-conformant, and lists those findings (info and low
 *     findings are advice and never move a verdict);
 *   - otherwise, if every evidence source the requirement needs (firmware,
 *     device, profile) was covered by this scan, it is conformant;
 *   - otherwise it needs evidence, and the report names each missing piece;
 *   - a requirement the product profile declares not applicable is
 *     not-applicable with the vendor's reason, unless a finding breaks it.
 * A source counts as covered only when checks drawing on it actually ran
 * for that requirement (Sl_cover).  A checked source that found nothing is
 * never enough on its own for a requirement the scheme assesses from
 * documents: starlab cannot read intent, so the document stays missing.
 *
 * The profile counts as evidence for a requirement only when it holds
 * every part that requirement's document needs (the table below, after
 * the catalogue's evidence_needed); each part it lacks is named in
 * missing_evidence.  starlab checks that a reference is there, not what
 * the referenced document says: reading it is the assessor's job.
 */
#include <stdio.h>
#include <stdlib.h>

#include "../core/scan.h"
#include "../profile/profile.h"

/*
 * The parts of the profile each requirement needs.  item is the part of a
 * document (docs/profile.md): NULL for a single reference.  S1.1-01 and
 * S1.1-13 also need the declared interfaces (see iface_missing).
 */
static const struct {
	const char *req, *item, *what;
} doc_parts[] = {
    {"S1.1-01", NULL,
     "document describing the access control on each "
     "interface"},
    {"S1.1-02", NULL,
     "document describing how the password scheme "
     "works"},
    {"S1.1-03", NULL,
     "document describing how users change each "
     "authentication value"},
    {"S1.1-05", "contact",
     "contact point for reporting "
     "vulnerabilities"},
    {"S1.1-05", "process", "process (what happens after a report)"},
    {"S1.1-05", "status_updates",
     "status updates to the reporter "
     "until the fix"},
    {"S1.1-07", NULL, "document describing the update procedure"},
    {"S1.1-08", NULL,
     "document describing the integrity check before "
     "a network update is installed"},
    {"S1.1-09", NULL, "security update prioritisation policy"},
    {"S1.1-11", NULL,
     "document describing how protected information "
     "is stored"},
    {"S1.1-12", NULL,
     "document describing the protection on every "
     "network path"},
    {"S1.1-15", NULL,
     "document describing how users erase their "
     "data"},
    {"S1.1-16", "(1)", "item (1) secure set-up and use"},
    {"S1.1-16", "(2)", "item (2) update notices"},
    {"S1.1-16", "(3)", "item (3) disclaimers"},
    {"S1.1-16", "(4)", "item (4) end of support"},
    {"S1.1-16", "(5)", "item (5) safe disposal and data erasure"},
};

static bool
has_doc(const struct Sl_profile *p, const char *req, const char *item)
{
	size_t i;

	for (i = 0; i < p->ndocs; i++)
		if (strcmp(p->docs[i].req, req) == 0 &&
		    (item == NULL ? p->docs[i].item == NULL
		                  : p->docs[i].item != NULL &&
		                        strcmp(p->docs[i].item, item) == 0))
			return true;
	return false;
}

/* The vendor's not-applicable reason for req, or NULL. */
static const char *
na_reason(const struct Sl_profile *p, const char *req)
{
	size_t i;

	if (p == NULL)
		return NULL;
	for (i = 0; i < p->nna; i++)
		if (strcmp(p->na[i].req, req) == 0)
			return p->na[i].reason;
	if (p->constrained && strcmp(req, "S1.1-04") == 0)
		return "a constrained device (constrained_device: true)";
	return NULL;
}

static const char *
iface_name(struct Sl_arena *a, const struct Sl_iface *f)
{
	if (f->port == 0)
		return f->proto;
	return Sl_arena_printf(a, "%s/%u", f->proto, f->port);
}

/*
 * Append to miss what the profile lacks for requirement r; returns the
 * new count.  miss has room for every line this can add (see the caller).
 */
static size_t
profile_missing(struct sl_scan *s, const struct sl_requirement *r,
                const char **miss, size_t nm)
{
	const struct Sl_profile *p = s->profile;
	struct Sl_arena *a = &s->arena;
	bool ifaces_01 = strcmp(r->id, "S1.1-01") == 0;
	bool ifaces_13 = strcmp(r->id, "S1.1-13") == 0;
	size_t i;

	if (p == NULL) {
		miss[nm++] =
		    Sl_arena_printf(a, "profile: %s", r->evidence_needed);
		return nm;
	}
	if (strcmp(r->id, "S1.1-02") == 0 && p->password_scheme == NULL)
		miss[nm++] = "profile: S1.1-02 password_scheme (unique or "
		             "forced-change) is missing";
	for (i = 0; i < SL_ARRAY_LEN(doc_parts); i++)
		if (strcmp(doc_parts[i].req, r->id) == 0 &&
		    !has_doc(p, r->id, doc_parts[i].item))
			miss[nm++] = Sl_arena_printf(a,
			                             "profile: %s %s is "
			                             "missing",
			                             r->id, doc_parts[i].what);
	if (!ifaces_01 && !ifaces_13)
		return nm;
	if (p->nifaces == 0) {
		miss[nm++] = Sl_arena_printf(
		    a,
		    "profile: %s interfaces are missing (every interface "
		    "with its %s)",
		    r->id, ifaces_01 ? "access control (auth)" : "purpose");
		return nm;
	}
	for (i = 0; i < p->nifaces; i++) {
		const struct Sl_iface *f = &p->ifaces[i];

		if (ifaces_01 && f->auth == NULL)
			miss[nm++] = Sl_arena_printf(
			    a,
			    "profile: S1.1-01 interface %s has no auth "
			    "(how access to it is controlled)",
			    iface_name(a, f));
		if (ifaces_13 && f->purpose == NULL)
			miss[nm++] = Sl_arena_printf(
			    a, "profile: S1.1-13 interface %s has no purpose",
			    iface_name(a, f));
	}
	return nm;
}

static const char *
source_missing(const char *req, unsigned src)
{
	switch (src) {
	case SL_SRC_FIRMWARE:
		return "firmware: run `starlab firmware IMAGE` on the "
		       "release image";
	case SL_SRC_NETWORK:
		/* Only the snapshot workflow shows what survives an event. */
		if (strcmp(req, "S1.1-14") == 0)
			return "device: `starlab snapshot HOST` before and "
			       "after "
			       "a power cycle, then `starlab compare BEFORE "
			       "AFTER --event power-cycle`";
		if (strcmp(req, "S1.1-15") == 0)
			return "device: `starlab snapshot HOST` before and "
			       "after "
			       "a factory reset, then `starlab compare BEFORE "
			       "AFTER --event factory-reset`";
		return "device: run `starlab device HOST` against a unit "
		       "in its shipped configuration";
	default: return NULL;
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
	size_t nreq, i, j, ncap;

	reqs = sl_requirements(&nreq);
	/* Room for the sources, every document part and every interface. */
	ncap = 4 + SL_ARRAY_LEN(doc_parts) +
	       (s->profile != NULL ? s->profile->nifaces : 0);
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
		size_t nf = 0, nm = 0, nrec = 0;
		const char *na;
		unsigned src;

		fl = Sl_arena_alloc(a, (s->nfindings + 1) * sizeof(*fl));
		miss = Sl_arena_alloc(a, (ncap + 1) * sizeof(*miss));
		if (fl == NULL || miss == NULL)
			return SL_E_NOMEM;
		for (j = 0; j < s->nfindings; j++) {
			const struct sl_finding *f = s->findings[j];

			/*
			 * Info and low findings are advice, not breaches: only
			 * medium and above move a verdict (issue 11).
			 */
			if (!breaks(f, r->id) || f->severity <= SL_SEV_LOW)
				continue;
			nrec++;
			if (nf > 0 && strcmp(fl[nf - 1], f->id) == 0)
				continue;
			fl[nf++] = f->id;
		}
		c->id = r->id;
		c->findings = fl;
		c->missing_evidence = miss;
		na = na_reason(s->profile, r->id);
		if (nf > 0) {
			/* "findings" lists kinds; the count is of findings. */
			char kinds[32] = "";

			if (nf < nrec)
				snprintf(kinds, sizeof(kinds), " of %zu kind%s",
				         nf, nf == 1 ? "" : "s");
			c->verdict = SL_V_NON_CONFORMANT;
			c->reason = Sl_arena_printf(
			    a, "%zu finding%s%s break%s this requirement%s%s%s",
			    nrec, nrec == 1 ? "" : "s", kinds,
			    nrec == 1 ? "s" : "",
			    na ? ", although the profile declares it not "
			         "applicable (\""
			       : "",
			    na ? na : "", na ? "\")" : "");
			continue;
		}
		if (na != NULL) {
			c->verdict = SL_V_NOT_APPLICABLE;
			c->reason = Sl_arena_printf(
			    a, "not applicable, per the profile: %s", na);
			continue;
		}
		for (src = SL_SRC_FIRMWARE; src <= SL_SRC_NETWORK; src <<= 1) {
			const char *why =
			    s->unjudged_why[i][src == SL_SRC_NETWORK];

			if (!(r->sources & src) || (s->covered[i] & src))
				continue;
			if ((s->unjudged[i] & src) && why != NULL)
				miss[nm++] = Sl_arena_printf(
				    a, "%s: %s",
				    src == SL_SRC_NETWORK ? "device"
				                          : "firmware",
				    why);
			else
				miss[nm++] = source_missing(r->id, src);
		}
		/* A document-assessed requirement always needs the document. */
		if (((r->sources & SL_SRC_PROFILE) ||
		     (r->method & SL_METHOD_DOC)) &&
		    !(s->covered[i] & SL_SRC_PROFILE))
			nm = profile_missing(s, r, miss, nm);
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
