/*
 * text.c - the checklist as a person reads it in a terminal.
 *
 * Trust: names, titles, hosts and reasons may come from the image or the
 * device; each is written through Sl_buf_add_printable, so that no
 * control sequence reaches the terminal (escape.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"
#include "../check/assess.h"

/* Places printed per grouped finding; report.json has every one. */
#define TEXT_MAX_LOCATIONS 10

/*
 * One place of a grouped finding; its own title too when it says more
 * than the group's (the service, the account).
 */
static void
text_location(struct Sl_buf *b, const struct sl_finding *f,
              const struct sl_finding *first)
{
	const char *t = strcmp(f->title, first->title) ? f->title : NULL;

	Sl_buf_addf(b, "      at ");
	if (f->evidence.path)
		Sl_buf_add_printable(b, f->evidence.path);
	/*
	 * Port 0: a finding about the whole host, not one port.  An IPv6
	 * address goes in brackets before its port.
	 */
	else if (f->evidence.host && f->evidence.port == 0)
		Sl_buf_add_printable(b, f->evidence.host);
	else if (f->evidence.host) {
		bool v6 = strchr(f->evidence.host, ':') != NULL;

		Sl_buf_addf(b, "%s", v6 ? "[" : "");
		Sl_buf_add_printable(b, f->evidence.host);
		Sl_buf_addf(b, "%s:%u", v6 ? "]" : "", f->evidence.port);
	} else
		Sl_buf_addf(b, "the product");
	if (t != NULL) {
		Sl_buf_addf(b, ": ");
		Sl_buf_add_printable(b, t);
	}
	Sl_buf_addf(b, "\n");
}

/* Groups for people: the most severe first, then by id (the groups'
 * own order), so that a critical issue is never below a page of info. */
static int
by_severity(const void *x, const void *y)
{
	const struct Sl_group *a = *(const struct Sl_group *const *)x;
	const struct Sl_group *b = *(const struct Sl_group *const *)y;

	if (a->sev != b->sev)
		return a->sev > b->sev ? -1 : 1;
	return a < b ? -1 : a > b;
}

char *
Sl_report_text(struct sl_scan *s)
{
	const struct sl_requirement *reqs;
	struct Sl_group *g;
	const struct Sl_group **ord;
	struct Sl_buf b;
	size_t i, nreq, ng;
	char hx[65];

	if (!s->decided && sl_scan_decide(s) != SL_OK)
		return NULL;
	reqs = sl_requirements(&nreq);
	Sl_buf_init(&b, SL_BUF_MAX_REPORT);
	Sl_buf_addf(&b, "starlab %s - JC-STAR STAR-1 checklist\n", SL_VERSION);
	if (s->has_fw) {
		Sl_hex(s->fw_sha, 32, hx);
		Sl_buf_addf(&b, "firmware: ");
		Sl_buf_add_printable(&b, s->fw_name);
		Sl_buf_addf(&b, " (%zu bytes, sha256 %.16s...)\n", s->fw_size,
		            hx);
	}
	if (s->device) {
		Sl_buf_addf(&b, "device:   ");
		Sl_buf_add_printable(&b, s->device);
		Sl_buf_addf(&b, "\n");
	}
	Sl_buf_addf(&b, "\n");
	for (i = 0; i < SL_NREQ && i < nreq; i++) {
		const struct sl_check_result *c = &s->checklist[i];
		const char *const *p;

		Sl_buf_addf(&b, "%-8s %-15s %s\n", c->id,
		            sl_verdict_name(c->verdict), reqs[i].title);
		for (p = c->findings; p && *p; p++)
			Sl_buf_addf(&b, "%25s finding: %s\n", "", *p);
	}
	/* Grouped for people: one entry per (id, component), its places. */
	g = Sl_groups(s, &ng);
	ord = ng > 0 ? calloc(ng, sizeof(*ord)) : NULL;
	if (ng > 0 && ord == NULL) {
		Sl_groups_free(g, ng);
		Sl_buf_free(&b);
		return NULL;
	}
	for (i = 0; i < ng; i++)
		ord[i] = &g[i];
	if (ng > 1)
		qsort(ord, ng, sizeof(*ord), by_severity);
	if (ng > 0)
		Sl_buf_addf(&b, "\nfindings:\n");
	for (i = 0; i < ng; i++) {
		const struct Sl_group *gi = ord[i];
		const struct sl_finding *f = gi->f;
		size_t k;

		Sl_buf_addf(&b, "  [%s] %s: ", sl_severity_name(gi->sev),
		            f->id);
		Sl_buf_add_printable(&b, f->title);
		Sl_buf_addf(&b, "\n");
		if (gi->count > 1) {
			Sl_buf_addf(&b, "      %zu locations in ", gi->count);
			Sl_buf_add_printable(&b, gi->component);
			Sl_buf_addf(&b, "\n");
		}
		for (k = 0; k < gi->count && k < TEXT_MAX_LOCATIONS; k++)
			text_location(&b, gi->loc[k], f);
		if (gi->count > TEXT_MAX_LOCATIONS)
			Sl_buf_addf(&b,
			            "      ... and %zu more (report.json, "
			            "evidence/)\n",
			            gi->count - TEXT_MAX_LOCATIONS);
	}
	free(ord);
	Sl_groups_free(g, ng);
	if (s->nincomplete > 0) {
		Sl_buf_addf(&b, "\nincomplete (%zu):\n", s->nincomplete);
		for (i = 0; i < s->nincomplete; i++) {
			Sl_buf_addf(&b, "  - ");
			Sl_buf_add_printable(&b, s->incomplete[i]);
			Sl_buf_addf(&b, "\n");
		}
	}
	if (b.p == NULL)
		return NULL;
	return (char *)Sl_buf_take(&b, NULL);
}
