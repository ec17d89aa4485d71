/*
 * scan.h - the inside of struct sl_scan, shared by the core, the tree,
 * the verdicts and the report writers.  Nothing outside src/ sees it.
 */
#ifndef SL_SCAN_H
#define SL_SCAN_H

#include <signal.h>

#include "../sl.h"

#define SL_NREQ 16

struct Sl_tls_buf;
struct Sl_profile;
struct Sl_dev;
struct Sl_early_jobs;
struct Sl_vulndb;
struct Sl_assess;
struct sl_scan;

/*
 * The teardown slots, released by sl_scan_free() in this order (content
 * jobs still reading the tree end first; the device last).  Each names a
 * subsystem's state, not its code: the subsystem registers its release
 * function when it first hangs state on the scan (Sl_scan_on_free), so
 * the core calls no layer above it (docs/internals.md).
 */
enum Sl_free_slot {
	SL_FREE_EARLY_JOBS, /* src/check/check.c */
	SL_FREE_TREE,       /* src/unpack/tree.c */
	SL_FREE_DEVICE,     /* src/net/dev.c */
	SL_FREE_NSLOTS
};

struct sl_scan {
	struct sl_limits lim;
	struct Sl_arena arena;
	pthread_mutex_t lock; /* nodes, incomplete, findings, budget */
	char err[1024];

	char **incomplete; /* malloc'd array of arena strings */
	size_t nincomplete, capincomplete;
	bool incomplete_capped;

	/* The firmware image, mapped read-only. */
	bool has_fw;
	const char *fw_path, *fw_name;
	uint8_t *fw_map;
	size_t fw_size;
	uint8_t fw_sha[32];
	/* No reader recognised anything in the image (tree.c). */
	bool unrecognised;
	/* A container was found but a limit or the lack of memory kept it
	 * from being opened (its reason is in the incomplete list). */
	bool open_refused;

	/* The virtual tree. */
	struct Sl_node **nodes; /* malloc'd array */
	size_t nnodes, capnodes;
	bool sorted;
	struct Sl_layer *layers;
	uint64_t budget_used;
	uint64_t kept; /* bytes of decoded content kept (tree.c) */
	bool budget_hit, files_hit;
	struct Sl_tls_buf *tls;

	/* Options of the firmware checks (sl_scan_set_*), or NULL. */
	const char *vuln_db, *update_key;

	/* The product profile (src/profile/profile.h), or NULL. */
	struct Sl_profile *profile;

	/* The device (src/net/net.h), or NULL before sl_scan_device. */
	const char *device;
	struct Sl_dev *dev;
	/* Set by sl_scan_cancel, maybe from a signal handler. */
	volatile sig_atomic_t cancel;

	/*
	 * Called by the unpacking threads with every regular file's and
	 * region's content, when the content checks run early
	 * (sl_scan_will_check); NULL otherwise.  Not for files that are
	 * wholly one container (their content is in the tree already).
	 */
	void (*content_hook)(struct sl_scan *s, const struct sl_entry *e,
	                     const uint8_t *data, size_t len);
	void *content_ctx;
	/* Content checks prepared early, waiting for their finish. */
	struct Sl_early_jobs *early;

	/* Components and their matched vulnerabilities (src/vuln/vuln.h). */
	struct sl_component **components;
	size_t ncomponents, capcomponents;
	struct Sl_vulndb *vulndb; /* the parsed vuln_db, loaded on first use */

	/* Evidence sources whose checks ran, per requirement (SL_SRC_*). */
	unsigned covered[SL_NREQ];
	/* Sources a check ran for but could not judge (Sl_not_judged). */
	unsigned unjudged[SL_NREQ];
	const char *unjudged_why[SL_NREQ][2]; /* [0] firmware, [1] device */

	/* Findings and the checklist. */
	struct sl_finding **findings;
	size_t nfindings, capfindings;
	struct sl_check_result checklist[SL_NREQ];
	bool decided;

	/* Inputs and merged sources of an assessment (src/check/assess.h). */
	struct Sl_assess *assess;
	/* Release functions registered by the subsystems (Sl_scan_on_free). */
	void (*on_free[SL_FREE_NSLOTS])(struct sl_scan *s);

	/* The client's progress callback (sl_scan_set_progress), or NULL;
	 * progress.c calls it under progress_lock. */
	sl_progress_fn progress_fn;
	void *progress_user;
	pthread_mutex_t progress_lock;
	uint64_t progress_last_us;              /* the last throttled call */
	const char *progress_last_name;         /* and the step it named */
	enum sl_stage progress_stage;           /* begun last */
	uint64_t progress_done, progress_extra; /* Sl_progress_add */
};

/*
 * Tell the client how stage st is going (progress.c): begin and finished
 * always reach it, other calls at most about ten times a second.  Cheap
 * when no callback is set.  Sl_progress_add adds to the stage's counts
 * from any thread (the port scan's shards) and reports the sums.
 */
void Sl_progress(struct sl_scan *s, enum sl_stage st, const char *name,
                 uint64_t done, uint64_t total, uint64_t extra, bool finished);
void Sl_progress_begin(struct sl_scan *s, enum sl_stage st, uint64_t total);
void Sl_progress_add(struct sl_scan *s, enum sl_stage st, uint64_t total,
                     uint64_t done, uint64_t extra);

/*
 * The finding-kind catalogue, for the report writers one layer away from
 * the check tables: set by src/check/kinds.c when the library is loaded,
 * NULL in a static program that never links the catalogue (the writers
 * then describe a rule from its findings).
 */
extern const struct sl_finding_kind *(*Sl_kind_lookup)(const char *id);

/*
 * Have sl_scan_free() call fn for slot (enum Sl_free_slot), in slot
 * order.  Registering again replaces the function; registering is a plain
 * store, so call it before worker threads start or under s->lock.
 */
void Sl_scan_on_free(struct sl_scan *s, enum Sl_free_slot slot,
                     void (*fn)(struct sl_scan *s));

/*
 * A finding's component: f->component, else "firmware NAME" (the image
 * name before the first '@', ':' or '!' of the evidence path), else
 * "device HOST", else "product".  The result lives in s's arena.
 */
const char *Sl_finding_component(struct sl_scan *s, const struct sl_finding *f);

/* Append p to a malloc'd pointer array, growing it; false on ENOMEM. */
bool Sl_ptr_push(void ***arr, size_t *n, size_t *cap, void *p);

/*
 * Record that checks drawing on source (SL_SRC_*) ran for requirement id,
 * so that "no finding" from that source counts as evidence.
 */
void Sl_cover(struct sl_scan *s, const char *id, unsigned source);

/*
 * A check ran but could not judge requirement id from source (SL_SRC_
 * FIRMWARE or SL_SRC_NETWORK): the image holds no operating system, the
 * device offers nothing to test.  The source then does not count as
 * covered for that requirement, whatever other checks say, and why is
 * shown as the missing evidence.
 */
void Sl_not_judged(struct sl_scan *s, const char *id, unsigned source,
                   const char *why);

/* Release content jobs prepared early and never finished (check.c). */
void Sl_early_release(struct sl_scan *s);

/* Release what the tree holds (layers, owned blobs, the mapping). */
void Sl_tree_release(struct sl_scan *s);

/* Compare two tree paths, numbers after "@0x" compared by value. */
int Sl_path_cmp(const char *a, const char *b);

#endif /* SL_SCAN_H */
