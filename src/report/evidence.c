/*
 * evidence.c - DIR/evidence/: what a lab keeps for as long as the label
 * is valid, so that in two years it can show what it saw.  One text file
 * per grouped finding (NNNN-ID.txt) with every location and the extract
 * behind it (the offending configuration line, the banner, the TLS
 * summary, the login transcript, each with its secrets masked when the
 * finding was added), and manifest.json with the SHA-256 of every
 * evidence file and of every input of the assessment.
 *
 * Trust: the extracts come from the product under test; they are written
 * as data into files whose names starlab chooses (a number and the
 * finding id, which is starlab's own), never into a name from the input.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

#include <jansson.h>

#include "report.h"
#include "assess_json.h"
#include "../check/assess.h"

static void
group_text(struct Sl_buf *b, const struct Sl_group *g)
{
	const struct sl_finding *f = g->f;
	size_t i, r;

	Sl_buf_addf(b,
	            "finding:      %s\ntitle:        %s\nseverity:     %s\n"
	            "requirements:",
	            f->id, f->title, sl_severity_name(g->sev));
	for (r = 0; r < SL_MAX_REQS && f->requirements[r]; r++)
		Sl_buf_addf(b, " %s", f->requirements[r]);
	Sl_buf_addf(b,
	            "\ncomponent:    %s\nlocations:    %zu\n"
	            "remediation:  %s\n",
	            g->component, g->count,
	            f->remediation ? f->remediation : "(none given)");
	for (i = 0; i < g->count && i < SL_ASSESS_MAX_LOCATIONS; i++) {
		const struct sl_finding *l = g->loc[i];

		Sl_buf_addf(b, "\n--- location %zu\n", i + 1);
		if (l->evidence.path != NULL)
			Sl_buf_addf(b, "path:    %s\n", l->evidence.path);
		if (l->evidence.has_offset)
			Sl_buf_addf(b, "offset:  %llu\n",
			            (unsigned long long)l->evidence.offset);
		if (l->evidence.host != NULL)
			Sl_buf_addf(b, "host:    %s\nport:    %u\n",
			            l->evidence.host, l->evidence.port);
		if (strcmp(l->title, f->title) != 0)
			Sl_buf_addf(b, "title:   %s\n", l->title);
		if (l->evidence.excerpt != NULL)
			Sl_buf_addf(b, "extract:\n%s\n", l->evidence.excerpt);
	}
	if (g->count > SL_ASSESS_MAX_LOCATIONS)
		Sl_buf_addf(b, "\n(%zu more locations in report.json)\n",
		            g->count - SL_ASSESS_MAX_LOCATIONS);
}

static sl_rc
write_one(struct sl_scan *s, const char *dir, const char *name, const void *p,
          size_t n, json_t *files)
{
	char path[4096], hx[65];
	uint8_t sha[32];
	int len;

	len = snprintf(path, sizeof(path), "%s/evidence/%s", dir, name);
	if (len < 0 || (size_t)len >= sizeof(path))
		return Sl_fail(s, SL_E_USAGE, "%s: path too long", dir);
	if (sl_write_atomic(path, p, n) != SL_OK)
		return Sl_fail(s, SL_E_IO, "%s: cannot write: %s", path,
		               strerror(errno));
	if (files != NULL) {
		Sl_sha256(p, n, sha);
		Sl_hex(sha, 32, hx);
		json_array_append_new(
		    files,
		    json_pack("{s:s, s:s, s:I}", "path",
		              Sl_arena_printf(&s->arena, "evidence/%s", name),
		              "sha256", hx, "size", (json_int_t)n));
	}
	return SL_OK;
}

sl_rc
sl_evidence_write(struct sl_scan *s, const char *dir)
{
	struct Sl_group *g;
	json_t *files, *root, *inputs;
	char path[4096];
	size_t ng, i;
	char *text;
	sl_rc rc = SL_OK;

	if (!s->decided && sl_scan_decide(s) != SL_OK)
		return SL_E_NOMEM;
	snprintf(path, sizeof(path), "%s/evidence", dir);
	if (mkdir(path, 0755) != 0 && errno != EEXIST)
		return Sl_fail(s, SL_E_IO, "%s: cannot create: %s", path,
		               strerror(errno));
	g = Sl_groups(s, &ng);
	files = json_array();
	for (i = 0; i < ng && rc == SL_OK; i++) {
		struct Sl_buf b;

		Sl_buf_init(&b, SL_BUF_MAX_REPORT);
		group_text(&b, &g[i]);
		if (b.p == NULL)
			rc = Sl_fail(s, SL_E_NOMEM, "evidence: out of memory");
		else
			rc = write_one(s, dir,
			               Sl_group_evidence_name(s, &g[i], i), b.p,
			               b.n, files);
		Sl_buf_free(&b);
	}
	Sl_groups_free(g, ng);
	if (rc != SL_OK) {
		json_decref(files);
		return rc;
	}
	inputs = Sl_inputs_json(s);
	root =
	    json_pack("{s:{s:s,s:s}, s:s, s:o, s:o}", "tool", "name", "starlab",
	              "version", SL_VERSION, "algorithm", "sha256", "inputs",
	              inputs ? inputs : json_array(), "files", files);
	if (root == NULL)
		return Sl_fail(s, SL_E_NOMEM, "evidence: out of memory");
	text = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(root);
	if (text == NULL)
		return Sl_fail(s, SL_E_NOMEM, "evidence: out of memory");
	rc = write_one(s, dir, "manifest.json", text, strlen(text), NULL);
	free(text);
	return rc;
}
