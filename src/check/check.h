/*
 * check.h - the check interface and the helpers firmware checks share.
 *
 * A check is one file under src/check/firmware/ (or device/) defining a
 * const struct Sl_check, plus one line in check_all.c.  A check reads the
 * virtual tree, adds findings, and never prints.  When its run returns
 * SL_OK the requirements it covers count as checked from its source, so
 * "no finding" becomes evidence (see docs/verdicts.md).
 */
#ifndef SL_CHECK_H
#define SL_CHECK_H

#include "../core/scan.h"

/* Checks in one table at most. */
#define SL_MAX_CHECKS 64

struct Sl_patterns;
struct Sl_grep_ops;

/*
 * A content job: a compiled pattern set (may be NULL) and the hooks that
 * see every file the job wants (firmware/scan.h).  All the jobs of a run
 * share one content pass, so each file is read and decompressed once.
 */
struct Sl_grep_job {
	const struct Sl_patterns *p;
	const struct Sl_grep_ops *ops;
	void *user;
};

/*
 * One kind of finding, as data: what a check can report.  Each check
 * keeps its kinds in one static const table ending with {NULL}
 * (Sl_check.findings); tests/unit/test_findings.c holds every kind to
 * its check's covers, and `starlab requirements`, the README's table
 * and the SARIF rules come from the tables.  Two entries may share an
 * id when the same finding comes in two strengths (a guess is INFO, the
 * fact HIGH): the severity and the requirements are data either way.
 */
struct Sl_finding_def {
	const char *id;                /* "FW-SHADOW-DEFAULT-PASSWORD" */
	enum sl_severity sev;          /* as reported, unless Sl_at.sev */
	const char *reqs[SL_MAX_REQS]; /* among the check's covers */
	const char *title;             /* unless Sl_at.title */
	const char *fix;               /* the remediation */
};

struct Sl_service;

/*
 * Where one finding was seen and what shows it: the variable part of a
 * report.  Zero is the default for every field.
 */
struct Sl_at {
	/* The place, one of: */
	const struct sl_entry *e; /* a file of the image, at offset off */
	uint64_t off;
	const struct Sl_service *svc; /* a service of the device */
	bool host;                    /* the device as a whole (no service) */
	/*
	 * Any other place, as evidence fields (its excerpt aside): the image
	 * file itself or IMAGE.sig beside it (path, offset), the cloud API
	 * (host, port, the URL as path), another scan's evidence (the
	 * assessment), the host the snapshots name.
	 */
	const struct sl_evidence *ev;
	/* None of them: a finding about the product, with no place. */

	const char *component; /* NULL: derived from the evidence */
	const char *excerpt;   /* what shows it (may be NULL) */
	const char *secret;    /* masked wherever it is in the excerpt */
	const char *title;     /* the specific title, NULL: the kind's */
	const char *fix;       /* the specific remediation, NULL: the kind's */
	/* A severity computed from the evidence (a CVE's score, a key's
	 * size) instead of the kind's: set sev_set. */
	bool sev_set;
	enum sl_severity sev;
	/* A subset of the kind's requirements, NULL-ended; NULL: all. */
	const char *const *reqs;
};

/*
 * Report one finding of kind d at *at: the one call every check makes.
 * Requirements outside d->reqs are a bug (SL_NEVER) and are dropped.
 */
sl_rc Sl_report(struct sl_scan *s, const struct Sl_finding_def *d,
                const struct Sl_at *at);

struct Sl_check {
	const char *id;                      /* "fw.services"; stable, dotted */
	const char *title;                   /* one line */
	const char *covers[SL_MAX_REQS + 1]; /* requirement ids, NULL-ended */
	/* The kinds of finding it reports, ended by {NULL}; NULL: none
	 * converted yet (to go once every check has its table). */
	const struct Sl_finding_def *findings;
	unsigned source; /* SL_SRC_FIRMWARE or SL_SRC_NETWORK */
	/* Reads the named files it needs; may be NULL for content checks. */
	sl_rc (*run)(struct sl_scan *s);
	/*
	 * Content checks: prepare fills *job for the shared pass; finish
	 * gets the job's result once the pass is over (and after every
	 * run), adds what it collected, and releases what prepare made.
	 * prepare must not look at the tree: with sl_scan_will_check it
	 * runs before unpacking, and the pass runs on the unpacking
	 * threads.  A job's hooks see one file at a time and must not read
	 * other files; cross-file work belongs in finish.  Both NULL for a
	 * check that needs no content pass.
	 */
	sl_rc (*prepare)(struct sl_scan *s, struct Sl_grep_job *job);
	sl_rc (*finish)(struct sl_scan *s, struct Sl_grep_job *job, sl_rc rc);
};

/* The table in check_all.c, NULL-terminated. */
extern const struct Sl_check *const Sl_checks[];

/*
 * The finding tables of code that reports outside a struct Sl_check (the
 * service, app and assessment checks, the snapshot judgement), listed in
 * check_all.c, NULL-terminated, for the tests and the catalogue.
 */
struct Sl_finding_table {
	const char *owner;                     /* "service", "app" ... */
	const char *const *covers;             /* NULL-ended */
	const struct Sl_finding_def *findings; /* ended by {NULL} */
};
extern const struct Sl_finding_table *const Sl_finding_tables[];

/*
 * Run one check on its own: run, then its content job in a pass of its
 * own, then finish.  For tests and tools; sl_scan_check_firmware runs all
 * checks together so that the content pass is shared.
 */
sl_rc Sl_check_run(struct sl_scan *s, const struct Sl_check *c);

/* The path inside the innermost container: "etc/shadow". */
const char *Sl_inner(const struct sl_entry *e);

/*
 * Call fn for every regular file whose inner path matches the fnmatch(3)
 * pattern (a '*' matches '/' too), with its content.  Files that cannot be
 * read are recorded as incomplete and skipped.  Stops early, returning
 * that code, when fn returns anything but SL_OK.
 */
typedef sl_rc (*Sl_file_fn)(struct sl_scan *s, const struct sl_entry *e,
                            const uint8_t *data, size_t len, void *user);
sl_rc Sl_each_file(struct sl_scan *s, const char *pattern, Sl_file_fn fn,
                   void *user);
/* The same for files matching any of a NULL-terminated list, each once. */
sl_rc Sl_each_file_any(struct sl_scan *s, const char *const *patterns,
                       Sl_file_fn fn, void *user);
/*
 * sl_tree_read() for a check: a file that cannot be read is recorded as
 * incomplete ("PATH: not checked: WHY"), once, and the check goes on
 * without it.
 */
sl_rc Sl_check_read(struct sl_scan *s, const struct sl_entry *e,
                    const uint8_t **data, size_t *len);

/* The line of text around data[off], trimmed, at most max bytes. */
char *Sl_line_at(struct sl_scan *s, const uint8_t *data, size_t len, size_t off,
                 size_t max);

#endif
