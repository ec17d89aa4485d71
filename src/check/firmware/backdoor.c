/*
 * backdoor.c - well-known vendor backdoors, found by their content
 * (S1.1-01, S1.1-02).
 *
 * A small table of byte strings that only a backdoor carries, each with
 * its public advisory: a magic User-Agent that skips the web login, a
 * hidden account's fixed password, a factory-test trigger.  They are
 * matched in every file and region of the image (a binary holds them as
 * constants) except documentation, so a README quoting an advisory says
 * nothing.  One finding per string and file, at its first occurrence.
 *
 * The strings are exact and long enough (14 bytes or more, or a word
 * bounded by NULs) that they do not occur by chance; a partial string is
 * no match.
 */
#include <stdio.h>
#include <stdlib.h>

#include "scan.h"

#define BD_CTX 40

struct bd {
	const char *re;   /* Hyperscan, a literal */
	const char *what; /* for the title */
	const char *ref;  /* the advisory */
	bool nul_bounded; /* must stand alone as a C string */
	unsigned len;     /* bytes the pattern matches */
};

/* clang-format off */
static const struct bd table[] = {
    {"xmlset_roodkcableoj28840ybtide",
     "D-Link web-login bypass User-Agent", "CVE-2013-6026", false, 30},
    {"PrOw!aN_fXp",
     "Zyxel hidden account 'zyfwp' with a fixed password", "CVE-2020-29583",
     true, 11},
    {"w302r_mfg",
     "Tenda factory-test backdoor trigger (UDP 7329)", "Tenda W302R backdoor",
     true, 9},
    {"YWRtaW46MTEK",
     "Hikvision magic authentication string ('admin:11')", "CVE-2017-7921",
     false, 12},
};
/* clang-format on */

#define NBD SL_ARRAY_LEN(table)

static const char *const doc_files[] = {
    "*/share/doc/*", "usr/share/doc/*",
    "*/share/man/*", "usr/share/man/*",
    "*README*",      "*.md",
    "*.txt",         NULL,
};

/* What this check reports (check.h: findings as data). */
static const struct Sl_finding_def findings[] = {
    /* The title names the backdoor and its advisory. */
    {"FW-BACKDOOR",
     SL_SEV_CRITICAL,
     {"S1.1-01", "S1.1-02"},
     "known vendor backdoor",
     "Remove the backdoor: it is public, so anyone on the network can use "
     "it.  Ship firmware with no hidden account, magic string or factory "
     "test service, and update devices in the field."},
    {NULL},
};

struct bstate {
	bool seen[NBD];
	size_t off[NBD];
	bool any;
};

static bool
bd_want(const struct sl_entry *e, void *user)
{
	(void)user;
	return !Sl_path_any(Sl_inner(e), doc_files);
}

static void
bd_begin(struct Sl_file *f)
{
	struct bstate *st = f->priv;

	memset(st, 0, sizeof(*st));
}

static int
bd_match(struct Sl_file *f, unsigned id, size_t end)
{
	struct bstate *st = f->priv;
	const struct bd *b;
	size_t start;

	if (id >= NBD || st->seen[id])
		return 0;
	b = &table[id];
	if (end < b->len)
		return 0;
	start = end - b->len;
	if (b->nul_bounded &&
	    ((start > 0 && f->data[start - 1] != 0 &&
	      f->data[start - 1] != '\n' && f->data[start - 1] != '"' &&
	      f->data[start - 1] != '\'') ||
	     (end < f->len && f->data[end] != 0 && f->data[end] != '\n' &&
	      f->data[end] != '"' && f->data[end] != '\'')))
		return 0;
	st->seen[id] = true;
	st->off[id] = start;
	st->any = true;
	return 0;
}

static sl_rc
bd_end(struct Sl_file *f)
{
	struct bstate *st = f->priv;
	struct sl_scan *s = f->s;
	size_t i;
	sl_rc rc = SL_OK;

	if (!st->any)
		return SL_OK;
	for (i = 0; i < NBD && rc == SL_OK; i++) {
		const char *ex, *title;

		if (!st->seen[i])
			continue;
		ex = Sl_excerpt(s, f->data, f->len, st->off[i],
		                st->off[i] + table[i].len, BD_CTX, NULL);
		title =
		    Sl_arena_printf(&s->arena, "known vendor backdoor: %s (%s)",
		                    table[i].what, table[i].ref);
		if (ex == NULL || title == NULL)
			return SL_E_NOMEM;
		rc = Sl_report(s, &findings[0],
		               &(struct Sl_at){.e = f->e,
		                               .off = st->off[i],
		                               .excerpt = ex,
		                               .title = title});
	}
	return rc;
}

static sl_rc
bd_prepare(struct sl_scan *s, struct Sl_grep_job *job)
{
	static const struct Sl_grep_ops ops = {
	    .who = "fw.backdoor",
	    .priv_size = sizeof(struct bstate),
	    .want = bd_want,
	    .begin = bd_begin,
	    .match = bd_match,
	    .end = bd_end,
	};
	const char *re[NBD];
	char esc[NBD][64];
	struct Sl_patterns *p;
	size_t i, j, k;
	sl_rc rc;

	/* Literals: escape every non-alphanumeric byte for Hyperscan. */
	for (i = 0; i < NBD; i++) {
		for (j = 0, k = 0; table[i].re[j] && k + 3 < sizeof(esc[i]);
		     j++) {
			char c = table[i].re[j];

			if (!((c >= 'a' && c <= 'z') ||
			      (c >= 'A' && c <= 'Z') ||
			      (c >= '0' && c <= '9') || c == '_'))
				esc[i][k++] = '\\';
			esc[i][k++] = c;
		}
		esc[i][k] = 0;
		re[i] = esc[i];
	}
	rc = Sl_patterns_compile(s, "fw.backdoor", re, NULL, NBD, &p);
	job->p = p;
	job->ops = &ops;
	return rc;
}

static sl_rc
bd_finish(struct sl_scan *s, struct Sl_grep_job *job, sl_rc rc)
{
	Sl_patterns_free((struct Sl_patterns *)job->p);
	if (rc == SL_E_NOMEM)
		return Sl_fail(s, rc, "fw.backdoor: out of memory");
	return rc;
}

const struct Sl_check Sl_check_backdoor = {
    .id = "fw.backdoor",
    .title = "Well-known vendor backdoors",
    .covers = {"S1.1-01", "S1.1-02", NULL},
    .findings = findings,
    .source = SL_SRC_FIRMWARE,
    .prepare = bd_prepare,
    .finish = bd_finish,
};
