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

struct Sl_check {
	const char *id;                      /* "fw.services"; stable, dotted */
	const char *title;                   /* one line */
	const char *covers[SL_MAX_REQS + 1]; /* requirement ids, NULL-ended */
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
 * Add a finding about a file.  reqs is a space-separated list of
 * requirement ids ("S1.1-01 S1.1-13").  excerpt may be NULL; secret (may
 * be NULL) is masked wherever it appears in the excerpt.
 */
sl_rc Sl_fw_finding(struct sl_scan *s, const char *id, enum sl_severity sev,
                    const char *reqs, const struct sl_entry *e, uint64_t offset,
                    const char *excerpt, const char *secret, const char *title,
                    const char *remediation);

/* The line of text around data[off], trimmed, at most max bytes. */
char *Sl_line_at(struct sl_scan *s, const uint8_t *data, size_t len, size_t off,
                 size_t max);

#endif
