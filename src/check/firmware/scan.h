/*
 * scan.h - one pass over the content of every file, with a Hyperscan
 * database, for the firmware checks that search content rather than read
 * named files: fw.secrets, fw.transport and fw.keys.
 *
 * A check compiles its patterns once per run (Sl_patterns_compile), then
 * Sl_grep_files reads every regular file and region of the tree on a pool
 * of threads, scans each with a per-thread Hyperscan scratch, and calls
 * the check's hooks:
 *
 *	begin(f)               a new file: reset the per-thread state
 *	match(f, id, end)      pattern id matched, ending at byte end
 *	end(f)                 the file is scanned; add findings
 *
 * All three run on the worker thread that read the file, so f->data stays
 * valid until end returns.  Patterns are written so that each occurrence
 * has one end (a fixed-length trigger, or one ending in a literal): the
 * value around it is then cut out by the check with bounded loops, which
 * keeps Hyperscan free of start-of-match tracking.
 *
 * Everything passed in f->data is untrusted image content.
 */
#ifndef SL_FW_SCAN_H
#define SL_FW_SCAN_H

#include "../check.h"

/* A compiled Hyperscan database (opaque). */
struct Sl_patterns;

/*
 * Compile n patterns (Hyperscan syntax) into one block-mode database;
 * pattern i reports id i.  flags[i] (flags may be NULL) is or'ed into the
 * defaults; HS_FLAG_ALLOWEMPTY is never set.  On failure returns an error
 * (and sets the scan's error naming the pattern), *out stays NULL.  The
 * database is malloc'd by Hyperscan: release it with Sl_patterns_free.
 */
sl_rc Sl_patterns_compile(struct sl_scan *s, const char *who,
                          const char *const *re, const unsigned *flags,
                          unsigned n, struct Sl_patterns **out);
void Sl_patterns_free(struct Sl_patterns *p); /* NULL is fine */
/* Did p come from the databases compiled at build time (hsdb.h)? */
bool Sl_patterns_prebuilt(const struct Sl_patterns *p);

/* One file as the hooks see it. */
struct Sl_file {
	struct sl_scan *s;
	const struct sl_entry *e;
	const uint8_t *data; /* UNTRUSTED: the file's content */
	size_t len;
	void *user; /* as passed to Sl_grep_files: shared by all threads */
	void *priv; /* ops->priv_size zeroed bytes, one block per thread */
};

struct Sl_grep_ops {
	const char *who;  /* check id, in incomplete notes */
	size_t priv_size; /* per-thread state; 0 for none */
	/* Read this entry at all?  NULL: every file and region. */
	bool (*want)(const struct sl_entry *e, void *user);
	void (*begin)(struct Sl_file *f); /* may be NULL */
	/* Nonzero stops scanning this file (end still runs). */
	int (*match)(struct Sl_file *f, unsigned id, size_t end);
	sl_rc (*end)(struct Sl_file *f); /* may be NULL */
};

/*
 * Read every regular file and every region of the tree that ops->want
 * accepts, scan it with p (p may be NULL: then only begin and end run),
 * and call the hooks.  Skipped without being read: hard links (their
 * target is read) and files that are wholly one container whose content
 * is in the tree already (a .tar.gz, a compressed kernel).  Files that
 * cannot be read are noted as incomplete (at most a few notes, then a
 * count).  Runs on Sl_limits(s)->threads threads (0: one per core).
 * Returns the first error an end hook returned, or SL_OK.
 */
sl_rc Sl_grep_files(struct sl_scan *s, const struct Sl_patterns *p,
                    const struct Sl_grep_ops *ops, void *user);

/*
 * Run several jobs in one pass: every file any job wants is read once and
 * handed to each job that wants it, in turn.  rcs[j] receives job j's
 * first error from an end hook (that job then sees no more files; the
 * others go on).  Returns an error only when the pass could not run.
 * Checks do not call this: sl_scan_check_firmware gathers their jobs.
 */
sl_rc Sl_grep_multi(struct sl_scan *s, const struct Sl_grep_job *jobs,
                    size_t njobs, sl_rc *rcs);

/*
 * The early pass (sl_scan_will_check): Sl_early_start installs the jobs as
 * the scan's content hook, so the unpacking threads hand them each file
 * as it is read; Sl_early_end, after unpacking, removes the hook, frees
 * the per-thread state and gives each job's result in rcs[j].
 */
sl_rc Sl_early_start(struct sl_scan *s, const struct Sl_grep_job *jobs,
                     size_t njobs);
void Sl_early_end(struct sl_scan *s, sl_rc *rcs);

/*
 * A printable copy of the line around data[from..to): at most ctx bytes
 * on either side, never past a newline or a NUL, with bytes outside
 * printable ASCII shown as '.'.  [from, to) itself is always whole, so
 * that a secret inside it can be masked by sl_finding_add.  *at (may be
 * NULL) receives the offset in data of the excerpt's first byte.  From
 * the scan's arena; NULL when it is full.
 */
char *Sl_excerpt(struct sl_scan *s, const uint8_t *data, size_t len,
                 size_t from, size_t to, size_t ctx, size_t *at);

/*
 * Star out, in place, every credential-looking token of ex outside
 * ex[keep_from..keep_to): a run of at least 20 characters of
 * [A-Za-z0-9_+/-] holding letters and digits with at least 3.5 bits of
 * entropy per character (API keys, JWT segments, base64 secrets) keeps
 * its first two characters only.  Used on excerpts, so that a secret
 * next to the one a finding is about never reaches the report.
 */
void Sl_mask_tokens(char *ex, size_t keep_from, size_t keep_to);

/*
 * Mask, in place, every copy of value in ex the way sl_finding_add masks
 * a secret (Sl_mask: the first two characters kept when it is longer
 * than six).  The checks do this themselves before passing the same
 * value as the secret, so the masking never depends on where in the
 * excerpt the value stands.  false when the arena is full.
 */
bool Sl_mask_value(struct sl_scan *s, char *ex, const char *value);

/* Does the file look like text (no NUL in its first 4 KiB)? */
bool Sl_is_text(const uint8_t *data, size_t len);

/* Does inner match one of the NULL-terminated fnmatch(3) patterns? */
bool Sl_path_any(const char *inner, const char *const *patterns);

/*
 * fw.keys' PEM examination, for a file larger than fw.keys reads itself:
 * fw.secrets calls it for such a file when its content pass sees a PEM
 * header, so that a key inside a large binary is still found.  Adds the
 * key and certificate findings of that one file (matching keys against
 * certificates within it only).  Thread-safe.
 */
sl_rc Sl_keys_examine(struct sl_scan *s, const struct sl_entry *e,
                      const uint8_t *data, size_t len);

/* fw.keys reads files up to this size itself (bytes). */
#define SL_KEYS_MAX_FILE (1U << 20)

#endif /* SL_FW_SCAN_H */
