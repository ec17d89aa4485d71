/*
 * scan.c - the content pass shared by fw.secrets, fw.transport and fw.keys
 * (see scan.h): a Hyperscan database per check, made once per process
 * (taken from the build's table, or compiled, and kept), every file of
 * the tree read once on a pool of threads, one scratch per thread.
 *
 * Trust: file content is untrusted and only ever handed to Hyperscan and
 * to the checks' hooks with its length; entry metadata comes from the tree,
 * which bounded it already.  Work is linear in the bytes read: Hyperscan
 * scans in one pass, and each hook bounds what it does per match.
 */
#include <fnmatch.h>
#include <hs/hs.h>
#include <limits.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "hsdb.h"
#include "scan.h"

#define GREP_MAX_THREADS 32
#define GREP_MAX_NOTES   8 /* "not read" notes per pass, then a count */

struct Sl_patterns {
	hs_database_t *db;
	hs_scratch_t *proto; /* cloned once per worker */
	bool prebuilt;       /* from the build's table (hsdb.h) */
	bool shared;         /* db belongs to the process's cache */
};

/*
 * Databases this process has deserialized or compiled, by key, kept to
 * its end: a client that scans image after image (a lab's service, the
 * fuzz targets, which are built without the table) makes each once.  A
 * database is read-only once made, so threads share it; each user has
 * its own scratch.  A handful of pattern sets exist (one per check).
 */
#define HS_CACHE_MAX 16
static struct {
	uint8_t key[32];
	hs_database_t *db;
	bool prebuilt;
} hs_cache[HS_CACHE_MAX];
static unsigned hs_ncache;
static pthread_mutex_t hs_cache_mu = PTHREAD_MUTEX_INITIALIZER;

/* The index of key in the cache, or hs_ncache; hs_cache_mu held. */
static unsigned
cache_find(const uint8_t key[32])
{
	unsigned i;

	for (i = 0; i < hs_ncache; i++)
		if (memcmp(hs_cache[i].key, key, 32) == 0)
			break;
	return i;
}

/* The cached database for key, or NULL. */
static hs_database_t *
cache_get(const uint8_t key[32], bool *prebuilt)
{
	hs_database_t *db = NULL;
	unsigned i;

	pthread_mutex_lock(&hs_cache_mu);
	if ((i = cache_find(key)) < hs_ncache) {
		db = hs_cache[i].db;
		*prebuilt = hs_cache[i].prebuilt;
	}
	pthread_mutex_unlock(&hs_cache_mu);
	return db;
}

/*
 * Keep p's database for key; p then shares it.  Another thread may have
 * kept one for the same key meanwhile: p takes that one instead.
 */
static void
cache_put(const uint8_t key[32], struct Sl_patterns *p)
{
	unsigned i;

	pthread_mutex_lock(&hs_cache_mu);
	if ((i = cache_find(key)) < hs_ncache) {
		hs_free_database(p->db);
		p->db = hs_cache[i].db;
		p->prebuilt = hs_cache[i].prebuilt;
		p->shared = true;
	} else if (hs_ncache < HS_CACHE_MAX) {
		memcpy(hs_cache[hs_ncache].key, key, 32);
		hs_cache[hs_ncache].db = p->db;
		hs_cache[hs_ncache].prebuilt = p->prebuilt;
		hs_ncache++;
		p->shared = true;
	}
	pthread_mutex_unlock(&hs_cache_mu);
}

void (*Sl_hsdb_record)(const uint8_t key[32], const char *who,
                       const char *bytes, size_t len);

/*
 * The key of a compile request: SHA-256 over the Hyperscan version, the
 * asking check and every pattern with its flags, so that any change to
 * one of them misses the prebuilt table.  false when out of memory.
 */
static bool
patterns_key(const char *who, const char *const *re, const unsigned *fl,
             unsigned n, uint8_t key[32])
{
	struct Sl_buf b;
	unsigned i;

	Sl_buf_init(&b, SL_BUF_MAX_UNSET);
	Sl_buf_addf(&b, "%s%c%s%c%u%c", hs_version(), 0, who, 0, n, 0);
	for (i = 0; i < n; i++)
		Sl_buf_addf(&b, "%u:%s%c", fl[i], re[i], 0);
	if (b.failed != SL_OK) {
		Sl_buf_free(&b);
		return false;
	}
	Sl_sha256(b.p, b.n, key);
	Sl_buf_free(&b);
	return true;
}

/* The prebuilt database for key, deserialized; NULL when there is none. */
static hs_database_t *
prebuilt(const uint8_t key[32])
{
	const struct Sl_hsdb *h;
	hs_database_t *db = NULL;

	for (h = Sl_hsdbs; h->len > 0; h++)
		if (memcmp(h->key, key, 32) == 0 &&
		    hs_deserialize_database((const char *)h->db, h->len, &db) ==
		        HS_SUCCESS)
			return db;
	return NULL;
}

/* The generator's run: serialize the database for the table. */
static sl_rc
record(struct sl_scan *s, const char *who, const uint8_t key[32],
       const hs_database_t *db)
{
	char *bytes = NULL;
	size_t len = 0;

	if (hs_serialize_database(db, &bytes, &len) != HS_SUCCESS)
		return Sl_fail(s, SL_E_NOMEM, "%s: cannot serialize", who);
	Sl_hsdb_record(key, who, bytes, len);
	free(bytes);
	return SL_OK;
}

sl_rc
Sl_patterns_compile(struct sl_scan *s, const char *who, const char *const *re,
                    const unsigned *flags, unsigned n, struct Sl_patterns **out)
{
	/* What the table is built for: any CPU Hyperscan runs on. */
	static const hs_platform_info_t generic = {
	    .tune = HS_TUNE_FAMILY_GENERIC,
	};
	struct Sl_patterns *p;
	hs_compile_error_t *cerr = NULL;
	unsigned *ids, *fl, i;
	uint8_t key[32];
	bool keyed;
	hs_error_t err;

	*out = NULL;
	if (hs_valid_platform() != HS_SUCCESS)
		return Sl_fail(s, SL_E_UNSUPPORTED,
		               "%s: this CPU lacks the SSSE3 Hyperscan needs",
		               who);
	p = calloc(1, sizeof(*p));
	ids = calloc(n ? n : 1, sizeof(*ids));
	fl = calloc(n ? n : 1, sizeof(*fl));
	if (p == NULL || ids == NULL || fl == NULL) {
		free(p);
		free(ids);
		free(fl);
		return SL_E_NOMEM;
	}
	for (i = 0; i < n; i++) {
		ids[i] = i;
		fl[i] = flags ? flags[i] & ~(unsigned)HS_FLAG_ALLOWEMPTY : 0;
	}
	keyed = patterns_key(who, re, fl, n, key);
	if (keyed && Sl_hsdb_record == NULL &&
	    (p->db = cache_get(key, &p->prebuilt)) != NULL) {
		err = HS_SUCCESS;
		p->shared = true;
	} else if (keyed && Sl_hsdb_record == NULL &&
	           (p->db = prebuilt(key)) != NULL) {
		err = HS_SUCCESS;
		p->prebuilt = true;
	} else
		err = hs_compile_multi(re, fl, ids, n, HS_MODE_BLOCK,
		                       Sl_hsdb_record ? &generic : NULL, &p->db,
		                       &cerr);
	free(ids);
	free(fl);
	if (err == HS_SUCCESS && Sl_hsdb_record != NULL) {
		sl_rc rc = keyed ? record(s, who, key, p->db) : SL_E_NOMEM;

		if (rc != SL_OK) {
			hs_free_database(p->db);
			free(p);
			return rc;
		}
	}
	if (err != HS_SUCCESS) {
		sl_rc rc = Sl_fail(s, SL_E_USAGE,
		                   "%s: pattern %d does not compile: %s", who,
		                   cerr ? cerr->expression : -1,
		                   cerr && cerr->message ? cerr->message : "?");

		hs_free_compile_error(cerr);
		free(p);
		return rc;
	}
	if (keyed && Sl_hsdb_record == NULL && !p->shared)
		cache_put(key, p);
	if (hs_alloc_scratch(p->db, &p->proto) != HS_SUCCESS) {
		if (!p->shared)
			hs_free_database(p->db);
		free(p);
		return SL_E_NOMEM;
	}
	*out = p;
	return SL_OK;
}

bool
Sl_patterns_prebuilt(const struct Sl_patterns *p)
{
	return p != NULL && p->prebuilt;
}

void
Sl_patterns_free(struct Sl_patterns *p)
{
	if (p == NULL)
		return;
	hs_free_scratch(p->proto);
	if (!p->shared)
		hs_free_database(p->db);
	free(p);
}

/* ------------------------------------------------------------------ */
/* Which entries to read                                               */
/* ------------------------------------------------------------------ */

static int
ptr_cmp(const void *x, const void *y)
{
	const void *a = *(const void *const *)x, *b = *(const void *const *)y;

	return a < b ? -1 : a > b;
}

/*
 * Regular files that are wholly one container at offset 0 ("x.tar.gz"
 * with an entry "x.tar.gz:gzip" as large as the file): their content is
 * in the tree already, decompressed, so reading the raw bytes would only
 * find the same things twice (an uncompressed tar) or nothing (a
 * compressed stream).  Returns a malloc'd array sorted by address.
 */
static const struct sl_entry **
whole_containers(struct sl_scan *s, size_t *np, bool *nomem)
{
	size_t i, n = sl_tree_count(s), k = 0, cap = 0;
	const struct sl_entry **v = NULL;

	*nomem = false;
	for (i = 0; i < n; i++) {
		const struct sl_entry *c = sl_tree_entry(s, i), *par;
		const char *colon, *bang;
		char *ppath;
		void *nv;

		if (c->type != SL_FT_CONTAINER || c->offset != 0)
			continue;
		colon = strrchr(c->path, ':');
		bang = strstr(c->path, "!/");
		if (colon == NULL || bang == NULL || colon < bang)
			continue;
		ppath = strndup(c->path, (size_t)(colon - c->path));
		if (ppath == NULL) {
			*nomem = true;
			break;
		}
		par = sl_tree_find(s, ppath);
		free(ppath);
		if (par == NULL || par->type != SL_FT_REG ||
		    c->size < par->size)
			continue;
		nv = v;
		if (!Sl_vec_grow(&nv, &cap, k, sizeof(*v), 64)) {
			*nomem = true;
			break;
		}
		v = nv;
		v[k++] = par;
	}
	if (k > 1)
		qsort(v, k, sizeof(*v), ptr_cmp);
	*np = k;
	return v;
}

/* ------------------------------------------------------------------ */
/* The pass                                                            */
/* ------------------------------------------------------------------ */

/*
 * One pass serves up to GREP_MAX_JOBS jobs: each file is read (and so
 * decompressed) once, then handed to every job that wants it, each with
 * its own database, scratch and per-thread state.  Reading dominates the
 * cost of the content checks, so sharing the read is what keeps the whole
 * firmware run near the decompression floor.
 */
#define GREP_MAX_JOBS 32

struct pass {
	struct sl_scan *s;
	const struct Sl_grep_job *jobs;
	size_t njobs;
	const struct sl_entry **files;
	uint32_t *want; /* per file: bit j set when job j wants it */
	size_t nfiles;
	atomic_size_t next;
	atomic_int rc[GREP_MAX_JOBS]; /* a job's first error stops that job */
	atomic_size_t unread;         /* files that could not be read */
	atomic_size_t truncated;      /* files longer than one hs_scan takes */
};

struct worker {
	struct pass *p;
	hs_scratch_t *scratch[GREP_MAX_JOBS];
	void *priv[GREP_MAX_JOBS];
};

struct hsctx {
	struct Sl_file *f;
	const struct Sl_grep_ops *ops;
};

static int
on_match(unsigned int id, unsigned long long from, unsigned long long to,
         unsigned int flags, void *ctx)
{
	struct hsctx *c = ctx;

	(void)from;
	(void)flags;
	return c->ops->match(c->f, id, (size_t)to);
}

/* Names of the jobs, for notes: "fw.secrets, fw.transport". */
static void
job_names(const struct pass *p, uint32_t mask, char *out, size_t n)
{
	size_t j, used = 0;

	out[0] = 0;
	for (j = 0; j < p->njobs && used + 1 < n; j++)
		if (mask & (1u << j))
			used += (size_t)snprintf(out + used, n - used, "%s%s",
			                         used ? ", " : "",
			                         p->jobs[j].ops->who);
}

/* Hand one file's content to every job in mask. */
static void
scan_one(struct worker *w, const struct sl_entry *e, uint32_t mask,
         const uint8_t *data, size_t len)
{
	struct pass *p = w->p;
	size_t j;

	if (len > UINT_MAX &&
	    atomic_fetch_add(&p->truncated, 1) < GREP_MAX_NOTES)
		Sl_incomplete(p->s, "%s: only the first 4 GiB searched",
		              e->path);
	for (j = 0; j < p->njobs; j++) {
		const struct Sl_grep_job *job = &p->jobs[j];
		const struct Sl_grep_ops *ops = job->ops;
		struct Sl_file f = {.s = p->s,
		                    .e = e,
		                    .data = data,
		                    .len = len,
		                    .user = job->user,
		                    .priv = w->priv[j]};
		struct hsctx c = {&f, ops};
		sl_rc rc;

		if (!(mask & (1u << j)) || atomic_load(&p->rc[j]) != SL_OK)
			continue;
		if (ops->priv_size > 0)
			memset(w->priv[j], 0, ops->priv_size);
		if (ops->begin != NULL)
			ops->begin(&f);
		if (job->p != NULL && ops->match != NULL && len > 0) {
			unsigned int n =
			    len > UINT_MAX ? UINT_MAX : (unsigned int)len;

			/* HS_SCAN_TERMINATED (a hook said stop) is fine. */
			(void)hs_scan(job->p->db, (const char *)data, n, 0,
			              w->scratch[j], on_match, &c);
		}
		rc = ops->end != NULL ? ops->end(&f) : SL_OK;
		if (rc != SL_OK) {
			int ok = SL_OK;

			atomic_compare_exchange_strong(&p->rc[j], &ok, (int)rc);
		}
	}
}

static void
one_file(struct worker *w, size_t k)
{
	struct pass *p = w->p;
	const struct sl_entry *e = p->files[k];
	const uint8_t *data;
	size_t len;
	char who[128];

	if (sl_tree_read(p->s, e, &data, &len) != SL_OK) {
		/* "": a limit refused it and said so already. */
		if (Sl_last_error()[0] != '\0' &&
		    atomic_fetch_add(&p->unread, 1) < GREP_MAX_NOTES) {
			job_names(p, p->want[k], who, sizeof(who));
			Sl_incomplete(p->s, "%s: %s: not checked: %s", who,
			              e->path, Sl_last_error());
		}
		return;
	}
	scan_one(w, e, p->want[k], data, len);
}

static bool
any_job_running(struct pass *p)
{
	size_t j;

	for (j = 0; j < p->njobs; j++)
		if (atomic_load(&p->rc[j]) == SL_OK)
			return true;
	return false;
}

static void *
worker_main(void *arg)
{
	struct worker *w = arg;
	struct pass *p = w->p;
	size_t k;

	while (any_job_running(p) &&
	       (k = atomic_fetch_add(&p->next, 1)) < p->nfiles)
		one_file(w, k);
	return NULL;
}

static void
worker_free(struct worker *w, size_t njobs)
{
	size_t j;

	for (j = 0; j < njobs; j++) {
		hs_free_scratch(w->scratch[j]);
		free(w->priv[j]);
	}
}

static bool
worker_init(struct worker *w, struct pass *p)
{
	size_t j;

	memset(w, 0, sizeof(*w));
	w->p = p;
	for (j = 0; j < p->njobs; j++) {
		const struct Sl_grep_job *job = &p->jobs[j];

		if (job->ops->priv_size > 0 &&
		    (w->priv[j] = calloc(1, job->ops->priv_size)) == NULL)
			goto fail;
		if (job->p != NULL &&
		    hs_clone_scratch(job->p->proto, &w->scratch[j]) !=
		        HS_SUCCESS)
			goto fail;
	}
	return true;
fail:
	worker_free(w, p->njobs);
	return false;
}

sl_rc
Sl_grep_multi(struct sl_scan *s, const struct Sl_grep_job *jobs, size_t njobs,
              sl_rc *rcs)
{
	struct pass ps;
	struct worker w[GREP_MAX_THREADS];
	const struct sl_entry **skip;
	size_t i, j, n = sl_tree_count(s), nskip, unread;
	unsigned t, nt;
	bool nomem;

	if (njobs == 0)
		return SL_OK;
	if (njobs > GREP_MAX_JOBS)
		return Sl_fail(s, SL_E_LIMIT, "more than %d content checks",
		               GREP_MAX_JOBS);
	memset(&ps, 0, sizeof(ps));
	ps.s = s;
	ps.jobs = jobs;
	ps.njobs = njobs;
	atomic_init(&ps.next, 0);
	for (j = 0; j < njobs; j++)
		atomic_init(&ps.rc[j], SL_OK);
	atomic_init(&ps.unread, 0);
	atomic_init(&ps.truncated, 0);
	skip = whole_containers(s, &nskip, &nomem);
	ps.files = malloc((n ? n : 1) * sizeof(*ps.files));
	ps.want = malloc((n ? n : 1) * sizeof(*ps.want));
	if (nomem || ps.files == NULL || ps.want == NULL) {
		free(skip);
		free(ps.files);
		free(ps.want);
		return SL_E_NOMEM;
	}
	for (i = 0; i < n; i++) {
		const struct sl_entry *e = sl_tree_entry(s, i);
		uint32_t mask = 0;

		if (e->type != SL_FT_REG && e->type != SL_FT_REGION)
			continue;
		if (nskip > 0 &&
		    bsearch(&e, skip, nskip, sizeof(*skip), ptr_cmp) != NULL)
			continue;
		for (j = 0; j < njobs; j++)
			if (jobs[j].ops->want == NULL ||
			    jobs[j].ops->want(e, jobs[j].user))
				mask |= 1u << j;
		if (mask == 0)
			continue;
		ps.want[ps.nfiles] = mask;
		ps.files[ps.nfiles++] = e;
	}
	free(skip);

	nt = Sl_pool_size(Sl_limits(s)->threads, GREP_MAX_THREADS, ps.nfiles);
	for (t = 0; t < nt; t++)
		if (!worker_init(&w[t], &ps))
			break;
	nt = t;
	if (nt == 0) {
		free(ps.files);
		free(ps.want);
		return SL_E_NOMEM;
	}
	(void)Sl_pool_run_each(nt, worker_main, w, sizeof(w[0]));
	for (t = 0; t < nt; t++)
		worker_free(&w[t], njobs);
	free(ps.files);
	free(ps.want);

	unread = atomic_load(&ps.unread);
	if (unread > GREP_MAX_NOTES)
		Sl_incomplete(s, "content pass: %zu more files not checked",
		              unread - GREP_MAX_NOTES);
	for (j = 0; j < njobs; j++)
		rcs[j] = (sl_rc)atomic_load(&ps.rc[j]);
	return SL_OK;
}

sl_rc
Sl_grep_files(struct sl_scan *s, const struct Sl_patterns *p,
              const struct Sl_grep_ops *ops, void *user)
{
	struct Sl_grep_job job = {.p = p, .ops = ops, .user = user};
	sl_rc rc, one = SL_OK;

	rc = Sl_grep_multi(s, &job, 1, &one);
	return rc != SL_OK ? rc : one;
}

/* ------------------------------------------------------------------ */
/* The early pass: the jobs run while the image is unpacked            */
/* ------------------------------------------------------------------ */

/*
 * With sl_scan_will_check(), the jobs are prepared before unpacking and
 * the tree's own workers hand every file to them right after reading and
 * hashing it (struct sl_scan's content_hook), so the content checks cost
 * no second decompression.  The per-thread state (scratch, priv) lives in
 * one block per unpacking thread, found through a thread-local that names
 * the pass by a generation number rather than by pointer, so a stale
 * thread-local from an earlier scan is never followed.
 */
struct early_tls {
	struct worker w;
	struct early_tls *next;
	bool ok;
};

struct Sl_early {
	struct pass ps; /* jobs, per-job rc, counters; no file list */
	struct Sl_grep_job jobs[GREP_MAX_JOBS];
	uint64_t gen;
	pthread_mutex_t lock;
	struct early_tls *all;
};

static atomic_uint_fast64_t early_gen = 1;
static _Thread_local struct {
	uint64_t gen;
	struct early_tls *st;
} early_cur;

static struct early_tls *
early_state(struct Sl_early *ea)
{
	struct early_tls *st;

	if (early_cur.gen == ea->gen)
		return early_cur.st;
	st = calloc(1, sizeof(*st));
	if (st == NULL)
		return NULL;
	st->ok = worker_init(&st->w, &ea->ps);
	pthread_mutex_lock(&ea->lock);
	st->next = ea->all;
	ea->all = st;
	pthread_mutex_unlock(&ea->lock);
	early_cur.gen = ea->gen;
	early_cur.st = st;
	return st;
}

static void
early_file(struct sl_scan *s, const struct sl_entry *e, const uint8_t *data,
           size_t len)
{
	struct Sl_early *ea = s->content_ctx;
	struct pass *p = &ea->ps;
	struct early_tls *st;
	uint32_t mask = 0;
	size_t j;

	if (e->type != SL_FT_REG && e->type != SL_FT_REGION)
		return;
	for (j = 0; j < p->njobs; j++)
		if (p->jobs[j].ops->want == NULL ||
		    p->jobs[j].ops->want(e, p->jobs[j].user))
			mask |= 1u << j;
	if (mask == 0)
		return;
	st = early_state(ea);
	if (st == NULL || !st->ok) {
		for (j = 0; j < p->njobs; j++) {
			int ok = SL_OK;

			atomic_compare_exchange_strong(&p->rc[j], &ok,
			                               SL_E_NOMEM);
		}
		return;
	}
	scan_one(&st->w, e, mask, data, len);
}

sl_rc
Sl_early_start(struct sl_scan *s, const struct Sl_grep_job *jobs, size_t njobs)
{
	struct Sl_early *ea;
	size_t j;

	if (njobs > GREP_MAX_JOBS)
		return Sl_fail(s, SL_E_LIMIT, "more than %d content checks",
		               GREP_MAX_JOBS);
	ea = calloc(1, sizeof(*ea));
	if (ea == NULL)
		return SL_E_NOMEM;
	memcpy(ea->jobs, jobs, njobs * sizeof(*jobs));
	ea->ps.s = s;
	ea->ps.jobs = ea->jobs;
	ea->ps.njobs = njobs;
	for (j = 0; j < njobs; j++)
		atomic_init(&ea->ps.rc[j], SL_OK);
	atomic_init(&ea->ps.unread, 0);
	atomic_init(&ea->ps.truncated, 0);
	ea->gen = atomic_fetch_add(&early_gen, 1);
	pthread_mutex_init(&ea->lock, NULL);
	s->content_ctx = ea;
	s->content_hook = early_file;
	return SL_OK;
}

void
Sl_early_end(struct sl_scan *s, sl_rc *rcs)
{
	struct Sl_early *ea = s->content_ctx;
	struct early_tls *st, *next;
	size_t j;

	if (ea == NULL)
		return;
	s->content_hook = NULL;
	s->content_ctx = NULL;
	for (st = ea->all; st != NULL; st = next) {
		next = st->next;
		if (st->ok)
			worker_free(&st->w, ea->ps.njobs);
		free(st);
	}
	for (j = 0; j < ea->ps.njobs; j++)
		rcs[j] = (sl_rc)atomic_load(&ea->ps.rc[j]);
	pthread_mutex_destroy(&ea->lock);
	free(ea);
}

/* ------------------------------------------------------------------ */
/* Helpers                                                             */
/* ------------------------------------------------------------------ */

char *
Sl_excerpt(struct sl_scan *s, const uint8_t *data, size_t len, size_t from,
           size_t to, size_t ctx, size_t *at)
{
	size_t a, b, i;
	char *out;

	if (from > len)
		from = len;
	if (to > len)
		to = len;
	if (to < from)
		to = from;
	a = from;
	b = to;
	while (a > 0 && from - a < ctx && data[a - 1] != '\n' &&
	       data[a - 1] != '\r' && data[a - 1] != 0)
		a--;
	while (b < len && b - to < ctx && data[b] != '\n' && data[b] != '\r' &&
	       data[b] != 0)
		b++;
	while (a < from && (data[a] == ' ' || data[a] == '\t'))
		a++;
	if (at != NULL)
		*at = a;
	out = Sl_arena_alloc(&s->arena, b - a + 1);
	if (out == NULL)
		return NULL;
	for (i = a; i < b; i++)
		out[i - a] =
		    data[i] >= 0x20 && data[i] < 0x7f ? (char)data[i] : '.';
	return out;
}

bool
Sl_mask_value(struct sl_scan *s, char *ex, const char *value)
{
	size_t n = value ? strlen(value) : 0;
	char *m, *hit;

	if (n == 0 || ex == NULL)
		return true;
	if ((m = Sl_mask(&s->arena, value)) == NULL)
		return false;
	for (hit = strstr(ex, value); hit != NULL; hit = strstr(hit + n, value))
		memcpy(hit, m, n);
	return true;
}

static bool
token_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '_' || c == '+' || c == '/' ||
	       c == '-';
}

void
Sl_mask_tokens(char *ex, size_t keep_from, size_t keep_to)
{
	size_t i = 0, j, k;

	while (ex[i] != 0) {
		bool digit = false, alpha = false;

		if (!token_char(ex[i])) {
			i++;
			continue;
		}
		for (j = i; token_char(ex[j]); j++) {
			digit |= ex[j] >= '0' && ex[j] <= '9';
			alpha |= (ex[j] >= 'a' && ex[j] <= 'z') ||
			         (ex[j] >= 'A' && ex[j] <= 'Z');
		}
		if (j - i >= 20 && digit && alpha &&
		    (j <= keep_from || i >= keep_to) &&
		    Sl_entropy((const uint8_t *)ex + i, j - i) >= 3.5)
			for (k = i + 2; k < j; k++)
				ex[k] = '*';
		i = j;
	}
}

bool
Sl_is_text(const uint8_t *data, size_t len)
{
	return memchr(data, 0, len < 4096 ? len : 4096) == NULL;
}

bool
Sl_path_any(const char *inner, const char *const *patterns)
{
	for (; *patterns != NULL; patterns++)
		if (fnmatch(*patterns, inner, 0) == 0)
			return true;
	return false;
}
