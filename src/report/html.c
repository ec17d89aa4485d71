/*
 * html.c - report.html: the assessment on one self-contained page for
 * the people who sign it: the product and its inputs (with hashes), a
 * chart of the sixteen verdicts, the issue list grouped by requirement
 * with evidence, severity and remediation, the evidence still missing
 * and who must supply it, and the cross-scheme table (which provisions
 * of ETSI EN 303 645, UK PSTI, EU CRA, Singapore CLS and NISTIR 8425 the
 * same findings break).
 *
 * The page loads nothing: no script, no font, no image but inline SVG;
 * its Content-Security-Policy forbids every fetch, so that a report
 * opened in two years shows what it showed today and tells no server it
 * was opened.  Every string from the product (excerpts, banners, paths)
 * is escaped, and bytes that are not valid UTF-8 become U+FFFD.
 */
#include <stdio.h>
#include <stdlib.h>

#include "report.h"
#include "../catalogue/schemes.h"
#include "../profile/profile.h"
#include "../check/assess.h"

/* Locations shown per issue; the evidence file has every one. */
#define HTML_MAX_LOCATIONS 20

static void
esc(struct Sl_buf *b, const char *s)
{
	const unsigned char *p = (const unsigned char *)(s ? s : "");
	size_t n;

	for (; *p; p++) {
		switch (*p) {
		case '&': Sl_buf_add(b, "&amp;", 5); continue;
		case '<': Sl_buf_add(b, "&lt;", 4); continue;
		case '>': Sl_buf_add(b, "&gt;", 4); continue;
		case '"': Sl_buf_add(b, "&quot;", 6); continue;
		case '\'': Sl_buf_add(b, "&#39;", 5); continue;
		default: break;
		}
		if (*p < 0x80) {
			if (*p < 0x20 && *p != '\n' && *p != '\t')
				Sl_buf_add(b, "\xef\xbf\xbd", 3);
			else
				Sl_buf_add(b, p, 1);
		} else if ((n = Sl_utf8_len(p)) > 0) {
			Sl_buf_add(b, p, n);
			p += n - 1;
		} else {
			Sl_buf_add(b, "\xef\xbf\xbd", 3);
		}
	}
}

/* Verdict colours: the chart, the badges and the test's pixel check. */
static const char *const vcolour[] = {
    [SL_V_NEEDS_EVIDENCE] = "#d9a400",
    [SL_V_CONFORMANT] = "#1a8f3c",
    [SL_V_NON_CONFORMANT] = "#c62828",
    [SL_V_NOT_APPLICABLE] = "#7a7a7a",
};

static const char style[] =
    "body{font-family:sans-serif;margin:2em;max-width:70em;color:#222}"
    "h1{font-size:1.5em}h2{font-size:1.2em;border-bottom:1px solid #ccc;"
    "margin-top:2em}table{border-collapse:collapse;width:100%}"
    "td,th{border:1px solid #ccc;padding:.3em .5em;text-align:left;"
    "vertical-align:top;font-size:.9em}code,.mono{font-family:monospace;"
    "word-break:break-all}.v{color:#fff;padding:.1em .4em;border-radius:"
    ".3em;white-space:nowrap}.sev{font-weight:bold}.loc{margin:.1em 0}"
    ".issue{border:1px solid #ddd;border-radius:.4em;padding:.5em 1em;"
    "margin:.6em 0}.muted{color:#666}";

static void
badge(struct Sl_buf *b, enum sl_verdict v)
{
	Sl_buf_addf(b, "<span class=\"v\" style=\"background:%s\">%s</span>",
	            vcolour[v], sl_verdict_name(v));
}

static void
head(struct sl_scan *s, struct Sl_buf *b, int64_t generated_at)
{
	const struct Sl_profile *p = s->profile;
	const struct Sl_assess *as = s->assess;
	char ts[32], hx[65];
	size_t i;

	Sl_iso_time(generated_at, ts);
	Sl_buf_addf(b, "<!DOCTYPE html>\n<html lang=\"en\"><head>"
	               "<meta charset=\"utf-8\">"
	               "<meta http-equiv=\"Content-Security-Policy\" "
	               "content=\"default-src 'none'; style-src "
	               "'unsafe-inline'\">"
	               "<title>STAR-1 assessment");
	if (p != NULL) {
		Sl_buf_add(b, ": ", 2);
		esc(b, p->vendor);
		Sl_buf_add(b, " ", 1);
		esc(b, p->model);
	}
	Sl_buf_addf(b, "</title><style>%s</style></head><body>\n", style);
	Sl_buf_addf(b, "<h1>JC-STAR STAR-1 assessment");
	if (p != NULL) {
		Sl_buf_add(b, ": ", 2);
		esc(b, p->name ? p->name : p->model);
	}
	Sl_buf_addf(b, "</h1>\n<table id=\"product\">");
	if (p != NULL) {
		Sl_buf_addf(b, "<tr><th>manufacturer</th><td>");
		esc(b, p->vendor);
		Sl_buf_addf(b, "</td></tr><tr><th>model</th><td>");
		esc(b, p->model);
		Sl_buf_addf(b, "</td></tr><tr><th>version</th><td>");
		esc(b, p->version ? p->version : "(not given)");
		Sl_buf_addf(b, "</td></tr>");
	}
	Sl_buf_addf(b,
	            "<tr><th>generated</th><td>%s by starlab %s</td></tr>"
	            "</table>\n<h2>Inputs</h2>\n<table id=\"inputs\">"
	            "<tr><th>kind</th><th>name</th><th>SHA-256</th>"
	            "<th>bytes</th></tr>",
	            ts, SL_VERSION);
	for (i = 0; as != NULL && i < as->nin; i++) {
		Sl_buf_addf(b, "<tr><td>%s</td><td>", as->in[i].kind);
		esc(b, as->in[i].name);
		Sl_buf_addf(b, "</td><td class=\"mono\">");
		if (as->in[i].has_sha) {
			Sl_hex(as->in[i].sha, 32, hx);
			Sl_buf_addf(b, "%s</td><td>%llu", hx,
			            (unsigned long long)as->in[i].size);
		} else {
			Sl_buf_addf(b, "(a host)</td><td>");
		}
		Sl_buf_addf(b, "</td></tr>");
	}
	if (as == NULL && s->has_fw) {
		Sl_hex(s->fw_sha, 32, hx);
		Sl_buf_addf(b, "<tr><td>firmware</td><td>");
		esc(b, s->fw_name);
		Sl_buf_addf(b,
		            "</td><td class=\"mono\">%s</td><td>%zu</td>"
		            "</tr>",
		            hx, s->fw_size);
	}
	if (as == NULL && s->device) {
		Sl_buf_addf(b, "<tr><td>device</td><td>");
		esc(b, s->device);
		Sl_buf_addf(b, "</td><td>(a host)</td><td></td></tr>");
	}
	Sl_buf_addf(b, "</table>\n");
}

/*
 * The chart: one bar per verdict, as long as its count, and below it
 * sixteen tiles, one per requirement, in its verdict's colour.  Inline
 * SVG, so it draws without a script.
 */
static void
chart(struct sl_scan *s, struct Sl_buf *b)
{
	static const enum sl_verdict order[] = {
	    SL_V_NON_CONFORMANT,
	    SL_V_NEEDS_EVIDENCE,
	    SL_V_CONFORMANT,
	    SL_V_NOT_APPLICABLE,
	};
	size_t counts[4] = {0}, i, k;

	for (i = 0; i < SL_NREQ; i++)
		counts[s->checklist[i].verdict]++;
	Sl_buf_addf(b, "<h2>Verdicts</h2>\n<svg id=\"chart\" role=\"img\" "
	               "aria-label=\"the sixteen verdicts\" "
	               "width=\"720\" "
	               "height=\"230\" viewBox=\"0 0 720 230\">");
	for (k = 0; k < 4; k++) {
		unsigned y = 10 + (unsigned)k * 32;

		Sl_buf_addf(b,
		            "<text x=\"0\" y=\"%u\" font-size=\"14\">%s</text>"
		            "<rect x=\"150\" y=\"%u\" width=\"%zu\" "
		            "height=\"22\" fill=\"%s\"/>"
		            "<text x=\"%zu\" y=\"%u\" font-size=\"14\">%zu"
		            "</text>",
		            y + 16, sl_verdict_name(order[k]), y,
		            counts[order[k]] * 30, vcolour[order[k]],
		            160 + counts[order[k]] * 30, y + 16,
		            counts[order[k]]);
	}
	for (i = 0; i < SL_NREQ; i++) {
		const struct sl_check_result *c = &s->checklist[i];
		unsigned x = (unsigned)i * 44;

		Sl_buf_addf(b,
		            "<rect x=\"%u\" y=\"150\" width=\"40\" "
		            "height=\"40\" fill=\"%s\"><title>%s %s</title>"
		            "</rect><text x=\"%u\" y=\"210\" font-size=\"10\">"
		            "%.2s</text>",
		            x, vcolour[c->verdict], c->id,
		            sl_verdict_name(c->verdict), x + 12, c->id + 5);
	}
	Sl_buf_addf(b, "</svg>\n");
}

static void
checklist(struct sl_scan *s, struct Sl_buf *b)
{
	const struct sl_requirement *reqs = sl_requirements(NULL);
	size_t i;

	Sl_buf_addf(b, "<h2>Checklist</h2>\n<table id=\"checklist\"><tr>"
	               "<th>id</th><th>requirement</th><th>method</th>"
	               "<th>verdict</th><th>reason</th></tr>");
	for (i = 0; i < SL_NREQ; i++) {
		const struct sl_check_result *c = &s->checklist[i];

		Sl_buf_addf(b, "<tr><td><a href=\"#%s\">%s</a></td><td>", c->id,
		            c->id);
		esc(b, reqs[i].title);
		Sl_buf_addf(b, "</td><td>%s</td><td>",
		            sl_method_name(reqs[i].method));
		badge(b, c->verdict);
		Sl_buf_addf(b, "</td><td>");
		esc(b, c->reason);
		Sl_buf_addf(b, "</td></tr>");
	}
	Sl_buf_addf(b, "</table>\n");
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

static void
location(struct Sl_buf *b, const struct sl_finding *f,
         const struct sl_finding *first)
{
	Sl_buf_addf(b, "<div class=\"loc\"><code>");
	if (f->evidence.path != NULL) {
		esc(b, f->evidence.path);
		if (f->evidence.has_offset)
			Sl_buf_addf(b, " @%llu",
			            (unsigned long long)f->evidence.offset);
	} else if (f->evidence.host != NULL) {
		esc(b, f->evidence.host);
		if (f->evidence.port)
			Sl_buf_addf(b, ":%u", f->evidence.port);
	}
	Sl_buf_addf(b, "</code>");
	if (strcmp(f->title, first->title) != 0) {
		Sl_buf_addf(b, " ");
		esc(b, f->title);
	}
	if (f->evidence.excerpt != NULL) {
		Sl_buf_addf(b, " <code class=\"muted\">");
		esc(b, f->evidence.excerpt);
		Sl_buf_addf(b, "</code>");
	}
	Sl_buf_addf(b, "</div>");
}

/* The issue list, grouped by requirement. */
static void
issues(struct sl_scan *s, struct Sl_buf *b, const struct Sl_group *g, size_t ng)
{
	const struct sl_requirement *reqs = sl_requirements(NULL);
	size_t i, k, l, shown = 0;

	Sl_buf_addf(b, "<h2>Issues by requirement</h2>\n<div id=\"issues\">");
	for (i = 0; i < SL_NREQ; i++) {
		const struct sl_check_result *c = &s->checklist[i];

		if (c->verdict != SL_V_NON_CONFORMANT)
			continue;
		Sl_buf_addf(b, "<h3 id=\"%s\">%s ", c->id, c->id);
		esc(b, reqs[i].title);
		Sl_buf_addf(b, " ");
		badge(b, c->verdict);
		Sl_buf_addf(b, "</h3>");
		for (k = 0; k < ng; k++) {
			if (!names(g[k].f, c->id) || g[k].sev == SL_SEV_INFO)
				continue;
			shown++;
			Sl_buf_addf(b,
			            "<div class=\"issue\"><span class=\"sev\">"
			            "[%s]</span> <code>%s</code> ",
			            sl_severity_name(g[k].sev), g[k].f->id);
			esc(b, g[k].f->title);
			Sl_buf_addf(b, "<br><span class=\"muted\">");
			esc(b, g[k].component);
			Sl_buf_addf(b,
			            ", %zu location%s; evidence: <a href=\""
			            "evidence/%s\">evidence/%s</a></span>",
			            g[k].count, g[k].count == 1 ? "" : "s",
			            Sl_group_evidence_name(s, &g[k], k),
			            Sl_group_evidence_name(s, &g[k], k));
			for (l = 0; l < g[k].count && l < HTML_MAX_LOCATIONS;
			     l++)
				location(b, g[k].loc[l], g[k].f);
			if (g[k].count > HTML_MAX_LOCATIONS)
				Sl_buf_addf(b,
				            "<div class=\"muted\">... and "
				            "%zu more in the evidence file"
				            "</div>",
				            g[k].count - HTML_MAX_LOCATIONS);
			Sl_buf_addf(b, "<p><b>Remediation:</b> ");
			esc(b, g[k].f->remediation ? g[k].f->remediation
			                           : "(none given)");
			Sl_buf_addf(b, "</p></div>");
		}
	}
	if (shown == 0)
		Sl_buf_addf(b, "<p>No finding breaks a requirement.</p>");
	Sl_buf_addf(b, "</div>\n");
}

/* Who supplies a missing piece, from its "source:" prefix. */
static const char *
from_whom(const char *m)
{
	if (strncmp(m, "profile:", 8) == 0)
		return "the vendor: a document reference in the product "
		       "profile";
	if (strncmp(m, "firmware:", 9) == 0)
		return "the vendor: the release image";
	if (strncmp(m, "device:", 7) == 0)
		return "the test lab: a check of a unit in its shipped "
		       "configuration";
	return "the assessor";
}

static void
missing(struct sl_scan *s, struct Sl_buf *b)
{
	size_t i, n = 0;

	Sl_buf_addf(b, "<h2>Evidence still missing</h2>\n<table id=\"missing\">"
	               "<tr><th>requirement</th><th>missing</th>"
	               "<th>from whom</th></tr>");
	for (i = 0; i < SL_NREQ; i++) {
		const struct sl_check_result *c = &s->checklist[i];
		const char *const *m;

		for (m = c->missing_evidence; m && *m; m++, n++) {
			Sl_buf_addf(b, "<tr><td>%s</td><td>", c->id);
			esc(b, *m);
			Sl_buf_addf(b, "</td><td>%s</td></tr>", from_whom(*m));
		}
	}
	if (n == 0)
		Sl_buf_addf(b, "<tr><td colspan=\"3\">nothing: every "
		               "requirement has its evidence</td></tr>");
	Sl_buf_addf(b, "</table>\n");
}

/* Which provisions of the other schemes the same findings break. */
static void
schemes(struct sl_scan *s, struct Sl_buf *b)
{
	const struct sl_requirement *reqs = sl_requirements(NULL);
	const struct Sl_scheme *sc;
	size_t i, k, nsc, n = 0;

	sc = Sl_schemes(&nsc);
	Sl_buf_addf(b, "<h2>Other schemes</h2>\n<p>The provisions of other "
	               "schemes that map to each non-conformant STAR-1 "
	               "requirement (cross-references of the IPA "
	               "requirements text): the same findings break them."
	               "</p>\n<table id=\"schemes\"><tr><th>STAR-1</th>");
	for (k = 0; k < nsc; k++) {
		Sl_buf_addf(b, "<th title=\"");
		esc(b, sc[k].what);
		Sl_buf_addf(b, "\">");
		esc(b, sc[k].short_name);
		Sl_buf_addf(b, "</th>");
	}
	Sl_buf_addf(b, "</tr>");
	for (i = 0; i < SL_NREQ; i++) {
		if (s->checklist[i].verdict != SL_V_NON_CONFORMANT)
			continue;
		n++;
		Sl_buf_addf(b, "<tr><td>%s</td>", reqs[i].id);
		for (k = 0; k < nsc; k++) {
			const char *r = Sl_scheme_refs(&reqs[i], sc[k].name);

			Sl_buf_addf(b, "<td>");
			esc(b, r ? r : "-");
			Sl_buf_addf(b, "</td>");
		}
		Sl_buf_addf(b, "</tr>");
	}
	if (n == 0)
		Sl_buf_addf(b,
		            "<tr><td colspan=\"%zu\">no requirement is "
		            "non-conformant</td></tr>",
		            nsc + 1);
	Sl_buf_addf(b, "</table>\n");
}

char *
Sl_report_html(struct sl_scan *s, int64_t generated_at)
{
	struct Sl_group *g;
	struct Sl_buf b;
	size_t ng, i;

	if (!s->decided && sl_scan_decide(s) != SL_OK)
		return NULL;
	g = Sl_groups(s, &ng);
	Sl_buf_init(&b, SL_BUF_MAX_REPORT);
	head(s, &b, generated_at);
	chart(s, &b);
	checklist(s, &b);
	issues(s, &b, g, ng);
	missing(s, &b);
	schemes(s, &b);
	if (s->nincomplete > 0) {
		Sl_buf_addf(&b, "<h2>Not read</h2>\n<ul id=\"incomplete\">");
		for (i = 0; i < s->nincomplete; i++) {
			Sl_buf_addf(&b, "<li>");
			esc(&b, s->incomplete[i]);
			Sl_buf_addf(&b, "</li>");
		}
		Sl_buf_addf(&b, "</ul>\n");
	}
	Sl_buf_addf(&b, "</body></html>\n");
	Sl_groups_free(g, ng);
	Sl_buf_add(&b, "", 1);
	if (b.p == NULL)
		return NULL;
	return (char *)Sl_buf_take(&b, NULL);
}
