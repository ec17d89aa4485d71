/*
 * md.c - the report as Markdown (CommonMark with GitHub's tables): the
 * subject, a summary line, the sixteen-row checklist, the issue list
 * grouped by requirement, the components, what the scan could not finish,
 * and the cross-references of each requirement to other schemes.
 *
 * A writer never decides: everything here is read from the scan as the
 * verdict stage left it, in the same order as the JSON report, so the
 * same input gives the same bytes apart from the "Generated" line.
 *
 * Trust: file names, excerpts, finding titles, banners and profile text
 * come from the image, the device or the vendor, and are hostile.  Text
 * is escaped (md_text): Markdown punctuation gets a backslash, '<', '>'
 * and '&' become entities, line breaks are flattened, control bytes (C0,
 * DEL, encoded C1) and bytes that are not UTF-8 are shown as \xNN,
 * so nothing can open a link, an image, raw HTML, a table cell or a new
 * block.  Excerpts and paths go into code spans (md_code) whose backtick
 * fence is longer than any run of backticks inside, which CommonMark
 * shows literally (HTML included).  Everything is hand-written because
 * no Debian C library writes Markdown; the escaping rules are those of
 * the CommonMark specification, sections 2.4 and 6.1.
 */
#include <stdio.h>
#include <stdlib.h>

#include "report.h"

struct md {
	struct Sl_buf b;
	sl_rc rc; /* the first failure; later writes are skipped */
};

static void
md_add(struct md *m, const char *s, size_t n)
{
	if (m->rc == SL_OK)
		m->rc = Sl_buf_add(&m->b, s, n);
}

static void
md_puts(struct md *m, const char *s)
{
	md_add(m, s, strlen(s));
}

static void md_printf(struct md *m, const char *fmt, ...) SL_PRINTF(2, 3);

static void
md_printf(struct md *m, const char *fmt, ...)
{
	char tmp[512];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	/* Only the writer's own short texts come through here. */
	if (n < 0 || (size_t)n >= sizeof(tmp)) {
		if (m->rc == SL_OK)
			m->rc = SL_E_USAGE;
		return;
	}
	md_add(m, tmp, (size_t)n);
}

/*
 * Untrusted text on one line, with every character that could mean
 * something to Markdown or HTML neutralised; at the start of a line also
 * what would open a list or a code block.
 */
static void
md_esc(struct md *m, const char *s, bool line_start)
{
	const unsigned char *p = (const unsigned char *)(s ? s : "");
	size_t start = 0, i, digits = 0;

	if (line_start) {
		/* Leading blanks could open a code block in a list item. */
		while (*p == ' ' || *p == '\t')
			p++;
		/* "1. " or "1) " would open an ordered list. */
		while (p[digits] >= '0' && p[digits] <= '9')
			digits++;
	}
	for (i = 0;; i++) {
		const char *rep = NULL;
		char esc[3] = {'\\', 0, 0}, hex[8];
		unsigned char c = p[i];

		if (c == 0)
			break;
		switch (c) {
		case '<': rep = "&lt;"; break;
		case '>': rep = "&gt;"; break;
		case '&': rep = "&amp;"; break;
		case '\n':
		case '\r':
		case '\t': rep = " "; break;
		case '\\':
		case '`':
		case '*':
		case '_':
		case '[':
		case ']':
		case '|':
		case '#':
		case '~':
		case '!':
		case '$':
			esc[1] = (char)c;
			rep = esc;
			break;
		case '-':
		case '+':
		case '.':
		case ')':
			/* List markers, only where a line starts. */
			if ((line_start && i == 0 && (c == '-' || c == '+')) ||
			    (i == digits && digits > 0 &&
			     (c == '.' || c == ')'))) {
				esc[1] = (char)c;
				rep = esc;
			}
			break;
		default:
			/*
			 * A control byte, an encoded C1 control or a byte
			 * that is not UTF-8: shown as \xNN (the backslash
			 * itself escaped for Markdown).
			 */
			if (c < 0x20 || c == 0x7f) {
				snprintf(hex, sizeof(hex), "\\\\x%02x", c);
				rep = hex;
			} else if (c >= 0x80) {
				size_t n = Sl_utf8_len(p + i);

				if (n > 0 && !(c == 0xc2 && p[i + 1] <= 0x9f)) {
					i += n - 1;
					continue;
				}
				snprintf(hex, sizeof(hex), "\\\\x%02x", c);
				rep = hex;
			}
			break;
		}
		if (rep == NULL)
			continue;
		md_add(m, (const char *)p + start, i - start);
		md_puts(m, rep);
		start = i + 1;
	}
	md_add(m, (const char *)p + start, i - start);
}

/* Untrusted text in the middle of a line or in a table cell. */
static void
md_text(struct md *m, const char *s)
{
	md_esc(m, s, false);
}

/* Untrusted text that starts the content of a list item. */
static void
md_line(struct md *m, const char *s)
{
	md_esc(m, s, true);
}

/*
 * Untrusted text as a code span: fenced by one backtick more than the
 * longest run inside, padded with a space on each side (CommonMark strips
 * exactly one), line breaks and control bytes flattened.
 */
static void
md_code(struct md *m, const char *s)
{
	size_t run = 0, longest = 0, i, k;
	const unsigned char *p = (const unsigned char *)(s ? s : "");

	for (i = 0; p[i] != 0; i++) {
		run = p[i] == '`' ? run + 1 : 0;
		if (run > longest)
			longest = run;
	}
	for (k = 0; k <= longest; k++)
		md_puts(m, "`");
	md_puts(m, " ");
	for (i = 0; p[i] != 0; i++) {
		char c = (char)p[i];
		size_t n;

		if (p[i] >= 0x80 && (n = Sl_utf8_len(p + i)) > 0 &&
		    !(p[i] == 0xc2 && p[i + 1] <= 0x9f)) {
			md_add(m, (const char *)p + i, n);
			i += n - 1;
			continue;
		}
		if (p[i] == '\n' || p[i] == '\r' || p[i] == '\t') {
			c = ' ';
		} else if (p[i] < 0x20 || p[i] >= 0x7f) {
			/* Shown literally inside the code span. */
			md_printf(m, "\\x%02x", p[i]);
			continue;
		}
		md_add(m, &c, 1);
	}
	md_puts(m, " ");
	for (k = 0; k <= longest; k++)
		md_puts(m, "`");
}

/* ------------------------------------------------------------------ */

static void
subject(struct md *m, const struct sl_scan *s, int64_t generated_at)
{
	char hx[65], ts[32];

	md_puts(m, "# JC-STAR STAR-1 assessment: ");
	if (s->has_fw)
		md_text(m, s->fw_name);
	if (s->has_fw && s->device)
		md_puts(m, " and ");
	if (s->device)
		md_text(m, s->device);
	if (!s->has_fw && !s->device)
		md_puts(m, "nothing assessed");
	md_puts(m, "\n\n");
	if (s->has_fw) {
		Sl_hex(s->fw_sha, 32, hx);
		md_puts(m, "- **Firmware:** ");
		md_code(m, s->fw_name);
		md_printf(m, ", %zu bytes, SHA-256 `%s`\n", s->fw_size, hx);
	}
	if (s->device) {
		md_puts(m, "- **Device:** ");
		md_code(m, s->device);
		md_puts(m, "\n");
	}
	Sl_iso_time(generated_at, ts);
	md_printf(m,
	          "- **Scheme:** JC-STAR STAR-1\n"
	          "- **Generated:** %s by starlab %s\n\n",
	          ts, SL_VERSION);
}

static void
summary(struct md *m, const struct sl_scan *s)
{
	size_t v[4] = {0}, sev[5] = {0}, i;

	for (i = 0; i < SL_NREQ; i++)
		v[s->checklist[i].verdict & 3]++;
	for (i = 0; i < s->nfindings; i++)
		sev[s->findings[i]->severity <= SL_SEV_CRITICAL
		        ? s->findings[i]->severity
		        : SL_SEV_CRITICAL]++;
	md_printf(m,
	          "**Summary:** %zu non-conformant, %zu conformant, "
	          "%zu not applicable, %zu need evidence; ",
	          v[SL_V_NON_CONFORMANT], v[SL_V_CONFORMANT],
	          v[SL_V_NOT_APPLICABLE], v[SL_V_NEEDS_EVIDENCE]);
	md_printf(m,
	          "%zu finding%s (%zu critical, %zu high, %zu medium, "
	          "%zu low, %zu info); ",
	          s->nfindings, s->nfindings == 1 ? "" : "s",
	          sev[SL_SEV_CRITICAL], sev[SL_SEV_HIGH], sev[SL_SEV_MEDIUM],
	          sev[SL_SEV_LOW], sev[SL_SEV_INFO]);
	if (s->nincomplete == 0)
		md_puts(m, "every step of the scan finished.\n\n");
	else
		md_printf(m,
		          "**incomplete**: %zu thing%s could not be "
		          "finished (see below).\n\n",
		          s->nincomplete, s->nincomplete == 1 ? "" : "s");
}

static void
checklist(struct md *m, const struct sl_scan *s,
          const struct sl_requirement *reqs)
{
	size_t i;

	md_puts(m, "## Checklist\n\n"
	           "| ID | Requirement | Verdict | Why / missing evidence |\n"
	           "|---|---|---|---|\n");
	for (i = 0; i < SL_NREQ; i++) {
		const struct sl_check_result *c = &s->checklist[i];
		const char *const *p;
		const char *sep;

		md_puts(m, "| ");
		md_text(m, c->id);
		md_puts(m, " | ");
		md_text(m, reqs[i].title);
		md_puts(m, c->verdict == SL_V_NON_CONFORMANT ? " | **" : " | ");
		md_puts(m, sl_verdict_name(c->verdict));
		md_puts(m, c->verdict == SL_V_NON_CONFORMANT ? "** | " : " | ");
		md_text(m, c->reason);
		for (p = c->findings, sep = ": "; p && *p; p++, sep = ", ") {
			md_puts(m, sep);
			md_text(m, *p);
		}
		for (p = c->missing_evidence, sep = ". Missing: "; p && *p;
		     p++, sep = "; ") {
			md_puts(m, sep);
			md_text(m, *p);
		}
		md_puts(m, " |\n");
	}
	md_puts(m, "\n");
}

static void
evidence(struct md *m, const struct sl_evidence *ev)
{
	if (ev->path) {
		md_puts(m, "  - Evidence: ");
		md_code(m, ev->path);
		if (ev->has_offset)
			md_printf(m, " at offset %llu (0x%llx)",
			          (unsigned long long)ev->offset,
			          (unsigned long long)ev->offset);
		md_puts(m, "\n");
	}
	if (ev->host) {
		char *hp = NULL;

		/*
		 * host:port as one code span; an IPv6 address in brackets.
		 * Port 0 means the whole host: the host alone.
		 */
		if (ev->port == 0
		        ? asprintf(&hp, "%s", ev->host) < 0
		        : asprintf(&hp,
		                   strchr(ev->host, ':') ? "[%s]:%u" : "%s:%u",
		                   ev->host, ev->port) < 0) {
			m->rc = SL_E_NOMEM;
			return;
		}
		md_puts(m, "  - Evidence: ");
		md_code(m, hp);
		md_puts(m, "\n");
		free(hp);
	}
	if (ev->excerpt && ev->excerpt[0]) {
		md_puts(m, "  - Excerpt: ");
		md_code(m, ev->excerpt);
		md_puts(m, "\n");
	}
}

static void
finding_md(struct md *m, const struct sl_finding *f)
{
	size_t i;

	md_printf(m, "- **[%s] ", sl_severity_name(f->severity));
	md_text(m, f->id);
	md_puts(m, "**: ");
	md_text(m, f->title);
	if (f->severity == SL_SEV_INFO)
		md_puts(m, " (advice)");
	md_puts(m, "\n");
	evidence(m, &f->evidence);
	if (f->requirements[0] && f->requirements[1]) {
		md_puts(m, "  - Requirements: ");
		for (i = 0; i < SL_MAX_REQS && f->requirements[i]; i++) {
			md_puts(m, i ? ", " : "");
			md_text(m, f->requirements[i]);
		}
		md_puts(m, "\n");
	}
	if (f->remediation) {
		md_puts(m, "  - Remediation: ");
		md_text(m, f->remediation);
		md_puts(m, "\n");
	}
}

/* A finding's place in the issue list: severity first, then report order. */
struct ord {
	size_t i;
	enum sl_severity sev;
};

static int
ord_cmp(const void *x, const void *y)
{
	const struct ord *a = x, *b = y;

	if (a->sev != b->sev)
		return a->sev > b->sev ? -1 : 1;
	return a->i < b->i ? -1 : a->i > b->i;
}

static bool
has_req(const struct sl_finding *f, const char *id, size_t *pos)
{
	size_t i;

	for (i = 0; i < SL_MAX_REQS && f->requirements[i]; i++)
		if (strcmp(f->requirements[i], id) == 0) {
			*pos = i;
			return true;
		}
	return false;
}

/*
 * The issue list: per requirement, its findings in full when it is their
 * first requirement, otherwise one line pointing at where they are.
 * Findings whose first requirement is not in the catalogue come last.
 */
static void
issues(struct md *m, const struct sl_scan *s, const struct sl_requirement *reqs,
       size_t nreq)
{
	struct ord *ord;
	size_t i, j, k, pos;
	bool any_other = false;

	md_printf(m, "## Issues (%zu)\n\n", s->nfindings);
	if (s->nfindings == 0) {
		md_puts(m, "No finding.\n\n");
		return;
	}
	ord = malloc(s->nfindings * sizeof(*ord));
	if (ord == NULL) {
		m->rc = SL_E_NOMEM;
		return;
	}
	for (i = 0; i < s->nfindings; i++) {
		ord[i].i = i;
		ord[i].sev = s->findings[i]->severity;
	}
	qsort(ord, s->nfindings, sizeof(*ord), ord_cmp);
	for (j = 0; j < nreq; j++) {
		bool head = false;

		for (k = 0; k < s->nfindings; k++) {
			const struct sl_finding *f = s->findings[ord[k].i];

			if (!has_req(f, reqs[j].id, &pos))
				continue;
			if (!head) {
				md_puts(m, "### ");
				md_text(m, reqs[j].id);
				md_puts(m, " ");
				md_text(m, reqs[j].title);
				md_puts(m, "\n\n");
				head = true;
			}
			if (pos == 0) {
				finding_md(m, f);
				continue;
			}
			md_printf(m, "- [%s] ", sl_severity_name(f->severity));
			md_text(m, f->id);
			md_puts(m, ": ");
			md_text(m, f->title);
			md_puts(m, " (listed under ");
			md_text(m, f->requirements[0]);
			md_puts(m, ")\n");
		}
		if (head)
			md_puts(m, "\n");
	}
	for (k = 0; k < s->nfindings; k++) {
		const struct sl_finding *f = s->findings[ord[k].i];

		if (f->requirements[0] != NULL &&
		    sl_requirement_find(f->requirements[0]) != NULL)
			continue;
		if (!any_other)
			md_puts(m, "### Other\n\n");
		any_other = true;
		finding_md(m, f);
	}
	if (any_other)
		md_puts(m, "\n");
	free(ord);
}

static void
components(struct md *m, const struct sl_scan *s)
{
	size_t i, n = sl_component_count(s);

	if (n == 0)
		return;
	md_printf(m,
	          "## Components (%zu)\n\n"
	          "| Component | Version | Where | Known vulnerabilities |\n"
	          "|---|---|---|---|\n",
	          n);
	for (i = 0; i < n; i++) {
		const struct sl_component *c = sl_component_get(s, i);
		const char **cve;

		if (c == NULL)
			continue;
		md_puts(m, "| ");
		md_text(m, c->name);
		md_puts(m, " | ");
		md_text(m, c->version ? c->version : "?");
		md_puts(m, " | ");
		if (c->where.path) {
			md_text(m, c->where.path);
		} else if (c->where.host) {
			md_text(m, c->where.host);
			if (c->where.port != 0)
				md_printf(m, " port %u", c->where.port);
		}
		md_puts(m, " | ");
		for (cve = c->cves; cve && *cve; cve++) {
			md_puts(m, cve == c->cves ? "" : ", ");
			md_text(m, *cve);
		}
		md_puts(m, " |\n");
	}
	md_puts(m, "\n");
}

static void
incomplete(struct md *m, const struct sl_scan *s)
{
	size_t i;

	md_printf(m, "## Incomplete (%zu)\n\n", s->nincomplete);
	if (s->nincomplete == 0)
		md_puts(m, "Nothing: every step of the scan finished.\n");
	for (i = 0; i < s->nincomplete; i++) {
		md_puts(m, "- ");
		md_line(m, s->incomplete[i]);
		md_puts(m, "\n");
	}
	if (s->incomplete_capped)
		md_puts(m, "- more reasons were dropped after the first 256\n");
	md_puts(m, "\n");
}

static void
xrefs(struct md *m, const struct sl_requirement *reqs, size_t nreq)
{
	size_t i, k;

	md_puts(m, "## Cross-references\n\n");
	for (i = 0; i < nreq; i++) {
		md_puts(m, "- **");
		md_text(m, reqs[i].id);
		md_puts(m, "** ");
		md_text(m, reqs[i].title);
		md_puts(m, ": ");
		for (k = 0; k < reqs[i].nxrefs; k++) {
			md_puts(m, k ? "; " : "");
			md_text(m, reqs[i].xrefs[k].scheme);
			md_puts(m, " ");
			md_text(m, reqs[i].xrefs[k].refs);
		}
		md_puts(m, "\n");
	}
}

char *
Sl_report_md(struct sl_scan *s, int64_t generated_at)
{
	const struct sl_requirement *reqs;
	struct md m;
	size_t nreq;

	if (!s->decided && sl_scan_decide(s) != SL_OK)
		return NULL;
	reqs = sl_requirements(&nreq);
	if (nreq < SL_NREQ) {
		Sl_fail(s, SL_E_USAGE, "catalogue has %zu entries", nreq);
		return NULL;
	}
	Sl_buf_init(&m.b, SL_BUF_MAX_REPORT);
	m.rc = SL_OK;
	subject(&m, s, generated_at);
	summary(&m, s);
	checklist(&m, s, reqs);
	issues(&m, s, reqs, nreq);
	components(&m, s);
	incomplete(&m, s);
	xrefs(&m, reqs, nreq);
	if (m.rc != SL_OK) {
		Sl_buf_free(&m.b);
		Sl_fail(s, m.rc, "Markdown report: %s", sl_strerror(m.rc));
		return NULL;
	}
	return (char *)Sl_buf_take(&m.b, NULL);
}
