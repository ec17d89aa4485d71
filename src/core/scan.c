/*
 * scan.c - the scan handle: limits, errors, the incomplete list, findings.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scan.h"

void
sl_limits_default(struct sl_limits *l)
{
	l->max_depth = SL_DEF_MAX_DEPTH;
	l->max_total = SL_DEF_MAX_TOTAL;
	l->max_file = SL_DEF_MAX_FILE;
	l->max_ratio = SL_DEF_MAX_RATIO;
	l->max_files = SL_DEF_MAX_FILES;
	l->max_path = SL_DEF_MAX_PATH;
	l->threads = 0;
}

struct sl_scan *
sl_scan_new(const struct sl_limits *lim)
{
	struct sl_scan *s = calloc(1, sizeof(*s));

	if (s == NULL)
		return NULL;
	if (lim != NULL)
		s->lim = *lim;
	else
		sl_limits_default(&s->lim);
	Sl_arena_init(&s->arena, 0);
	pthread_mutex_init(&s->lock, NULL);
	pthread_mutex_init(&s->progress_lock, NULL);
	return s;
}

void
Sl_scan_on_free(struct sl_scan *s, enum Sl_free_slot slot,
                void (*fn)(struct sl_scan *s))
{
	if (SL_ALWAYS((unsigned)slot < SL_FREE_NSLOTS))
		s->on_free[slot] = fn;
}

void
sl_scan_free(struct sl_scan *s)
{
	unsigned i;

	if (s == NULL)
		return;
	for (i = 0; i < SL_FREE_NSLOTS; i++)
		if (s->on_free[i] != NULL)
			s->on_free[i](s);
	free(s->components);
	free(s->incomplete);
	free(s->nodes);
	free(s->findings);
	Sl_arena_free(&s->arena);
	pthread_mutex_destroy(&s->lock);
	pthread_mutex_destroy(&s->progress_lock);
	free(s);
}

const char *
sl_scan_error(const struct sl_scan *s)
{
	return s->err;
}

const struct sl_limits *
Sl_limits(const struct sl_scan *s)
{
	return &s->lim;
}

struct Sl_arena *
Sl_scan_arena(struct sl_scan *s)
{
	return &s->arena;
}

/* The last detail set on this thread: workers fail concurrently. */
static _Thread_local char last_err[1024];
/* Incomplete lines this thread has added. */
static _Thread_local uint64_t incomplete_here;

const char *
Sl_last_error(void)
{
	return last_err;
}

void
Sl_error_clear(void)
{
	last_err[0] = '\0';
}

uint64_t
Sl_incomplete_here(void)
{
	return incomplete_here;
}

sl_rc
Sl_fail(struct sl_scan *s, sl_rc rc, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(last_err, sizeof(last_err), fmt, ap);
	va_end(ap);
	pthread_mutex_lock(&s->lock);
	memcpy(s->err, last_err, sizeof(s->err));
	pthread_mutex_unlock(&s->lock);
	return rc;
}

bool
Sl_ptr_push(void ***arr, size_t *n, size_t *cap, void *p)
{
	void *v = *arr;

	if (!Sl_vec_grow(&v, cap, *n, sizeof(void *), 64))
		return false;
	*arr = v;
	(*arr)[(*n)++] = p;
	return true;
}

void
Sl_incomplete(struct sl_scan *s, const char *fmt, ...)
{
	va_list ap;
	char msg[1024];
	char *d;
	size_t i;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	incomplete_here++;
	pthread_mutex_lock(&s->lock);
	for (i = 0; i < s->nincomplete; i++)
		if (strcmp(s->incomplete[i], msg) == 0)
			goto out;
	if (s->nincomplete >= SL_MAX_INCOMPLETE) {
		s->incomplete_capped = true;
		goto out;
	}
	d = Sl_arena_strdup(&s->arena, msg);
	if (d != NULL)
		Sl_ptr_push((void ***)&s->incomplete, &s->nincomplete,
		            &s->capincomplete, d);
out:
	pthread_mutex_unlock(&s->lock);
}

size_t
sl_scan_incomplete_count(const struct sl_scan *s)
{
	return s->nincomplete;
}

const char *
sl_scan_incomplete(const struct sl_scan *s, size_t i)
{
	return i < s->nincomplete ? s->incomplete[i] : NULL;
}

bool
sl_scan_unrecognised(const struct sl_scan *s)
{
	return s->unrecognised;
}

bool
sl_scan_cancelled(const struct sl_scan *s)
{
	return s->cancel != 0;
}

sl_rc
sl_scan_set_device(struct sl_scan *s, const char *host)
{
	if (host == NULL || *host == 0)
		return Sl_fail(s, SL_E_USAGE, "empty device host");
	s->device = Sl_arena_strdup(&s->arena, host);
	return s->device ? SL_OK : SL_E_NOMEM;
}

static sl_rc
set_path(struct sl_scan *s, const char **dst, const char *path,
         const char *what)
{
	if (path == NULL || *path == 0)
		return Sl_fail(s, SL_E_USAGE, "empty %s path", what);
	*dst = Sl_arena_strdup(&s->arena, path);
	return *dst ? SL_OK : SL_E_NOMEM;
}

sl_rc
sl_scan_set_vuln_db(struct sl_scan *s, const char *dir)
{
	return set_path(s, &s->vuln_db, dir, "vulnerability database");
}

sl_rc
sl_scan_set_update_key(struct sl_scan *s, const char *path)
{
	return set_path(s, &s->update_key, path, "update key");
}

void
sl_scan_cancel(struct sl_scan *s)
{
	if (s != NULL)
		s->cancel = 1;
}

void
Sl_cover(struct sl_scan *s, const char *id, unsigned source)
{
	const struct sl_requirement *reqs;
	size_t n, i;

	reqs = sl_requirements(&n);
	for (i = 0; i < n && i < SL_NREQ; i++)
		if (strcmp(reqs[i].id, id) == 0) {
			pthread_mutex_lock(&s->lock);
			s->covered[i] |= source & ~s->unjudged[i];
			s->decided = false;
			pthread_mutex_unlock(&s->lock);
		}
}

void
Sl_not_judged(struct sl_scan *s, const char *id, unsigned source,
              const char *why)
{
	const struct sl_requirement *reqs;
	size_t n, i;
	int k = source == SL_SRC_NETWORK ? 1 : 0;

	reqs = sl_requirements(&n);
	for (i = 0; i < n && i < SL_NREQ; i++)
		if (strcmp(reqs[i].id, id) == 0) {
			pthread_mutex_lock(&s->lock);
			s->unjudged[i] |= source;
			s->covered[i] &= ~source;
			if (s->unjudged_why[i][k] == NULL && why != NULL)
				s->unjudged_why[i][k] =
				    Sl_arena_strdup(&s->arena, why);
			s->decided = false;
			pthread_mutex_unlock(&s->lock);
		}
}

sl_rc
Sl_budget(struct sl_scan *s, uint64_t n, const char *where)
{
	sl_rc rc = SL_OK;
	uint64_t used, files;

	pthread_mutex_lock(&s->lock);
	if (s->budget_used + n > s->lim.max_total ||
	    s->budget_used + n < s->budget_used)
		rc = SL_E_LIMIT;
	else
		s->budget_used += n;
	used = s->budget_used;
	files = s->nnodes;
	pthread_mutex_unlock(&s->lock);
	Sl_progress(s, SL_STAGE_UNPACK, NULL, used, 0, files, false);
	if (rc != SL_OK)
		Sl_incomplete(s,
		              "%s: total decompressed size limit (%llu bytes) "
		              "reached; not unpacked",
		              where, (unsigned long long)s->lim.max_total);
	return rc;
}

bool
Sl_ratio_ok(struct sl_scan *s, uint64_t in, uint64_t out, const char *where)
{
	if (out <= SL_RATIO_FLOOR)
		return true;
	if (in == 0 || out / in >= s->lim.max_ratio) {
		Sl_incomplete(s,
		              "%s: compression ratio over %u:1 (%llu bytes "
		              "from %llu); stopped as a possible bomb",
		              where, s->lim.max_ratio, (unsigned long long)out,
		              (unsigned long long)in);
		return false;
	}
	return true;
}

/* ---- findings ---------------------------------------------------- */

static char *
mask_excerpt(struct Sl_arena *a, const char *ex, const char *secret)
{
	struct Sl_buf b;
	const char *p, *hit;
	char *mask, *out;
	size_t sl;

	if (ex == NULL)
		return NULL;
	if (secret == NULL || *secret == 0)
		return Sl_arena_strdup(a, ex);
	mask = Sl_mask(a, secret);
	if (mask == NULL)
		return NULL;
	sl = strlen(secret);
	Sl_buf_init(&b, SL_BUF_MAX_REPORT);
	for (p = ex; (hit = strstr(p, secret)) != NULL; p = hit + sl) {
		Sl_buf_add(&b, p, (size_t)(hit - p));
		Sl_buf_add(&b, mask, sl);
	}
	Sl_buf_add(&b, p, strlen(p));
	out = b.p ? Sl_arena_strdup(a, (char *)b.p) : Sl_arena_strdup(a, "");
	Sl_buf_free(&b);
	return out;
}

sl_rc
sl_finding_add(struct sl_scan *s, const struct sl_finding *f,
               const char *secret)
{
	struct Sl_arena *a = &s->arena;
	struct sl_finding *c;
	size_t i;
	bool ok;

	if (f == NULL || f->id == NULL || f->title == NULL)
		return Sl_fail(s, SL_E_USAGE, "finding without id or title");
	c = Sl_arena_alloc(a, sizeof(*c));
	if (c == NULL)
		return SL_E_NOMEM;
	c->id = Sl_arena_strdup(a, f->id);
	c->title = Sl_arena_strdup(a, f->title);
	c->severity = f->severity;
	for (i = 0; i < SL_MAX_REQS && f->requirements[i] != NULL; i++)
		c->requirements[i] = Sl_arena_strdup(a, f->requirements[i]);
	c->evidence = f->evidence;
	c->evidence.path = Sl_arena_strdup(a, f->evidence.path);
	c->evidence.host = Sl_arena_strdup(a, f->evidence.host);
	c->evidence.excerpt = mask_excerpt(a, f->evidence.excerpt, secret);
	c->remediation = Sl_arena_strdup(a, f->remediation);
	c->component = Sl_arena_strdup(a, f->component);
	pthread_mutex_lock(&s->lock);
	ok = Sl_ptr_push((void ***)&s->findings, &s->nfindings, &s->capfindings,
	                 c);
	s->decided = false;
	pthread_mutex_unlock(&s->lock);
	return ok ? SL_OK : SL_E_NOMEM;
}

size_t
sl_finding_count(const struct sl_scan *s)
{
	return s->nfindings;
}

const struct sl_finding *
sl_finding_get(const struct sl_scan *s, size_t i)
{
	return i < s->nfindings ? s->findings[i] : NULL;
}

const char *
sl_severity_name(enum sl_severity v)
{
	static const char *const n[] = {"info", "low", "medium", "high",
	                                "critical"};

	return (unsigned)v < SL_ARRAY_LEN(n) ? n[v] : "unknown";
}

const char *
sl_verdict_name(enum sl_verdict v)
{
	static const char *const n[] = {"needs-evidence", "conformant",
	                                "non-conformant", "not-applicable"};

	return (unsigned)v < SL_ARRAY_LEN(n) ? n[v] : "unknown";
}

/* A finding's component: see scan.h. */
const char *
Sl_finding_component(struct sl_scan *s, const struct sl_finding *f)
{
	const char *p = f->evidence.path;

	if (f->component != NULL)
		return f->component;
	if (p != NULL)
		return Sl_arena_printf(&s->arena, "firmware %.*s",
		                       (int)strcspn(p, "@:!"), p);
	if (f->evidence.host != NULL)
		return Sl_arena_printf(&s->arena, "device %s",
		                       f->evidence.host);
	return "product";
}
