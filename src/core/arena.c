/*
 * arena.c - the per-scan arena.
 *
 * Everything derived from a target during a scan is allocated here and
 * released at once by Sl_arena_free().  A hard ceiling turns a hostile
 * input's attempt to exhaust memory into SL_E_LIMIT instead of the OOM
 * killer.  A torture mode fails the Nth allocation so that tests can walk
 * every failure path (curl's torture runs).
 */
#include <stdio.h>
#include <stdlib.h>

#include "../sl.h"

#define CHUNK_MIN (64U << 10)

struct Sl_arena_chunk {
	struct Sl_arena_chunk *next;
	size_t size, used;
	max_align_t data[];
};

void
Sl_arena_init(struct Sl_arena *a, size_t ceiling)
{
	memset(a, 0, sizeof(*a));
	a->ceiling = ceiling ? ceiling : SL_ARENA_MAX;
	pthread_mutex_init(&a->lock, NULL);
}

/*
 * Return n zeroed bytes aligned for any type, or NULL when the ceiling or
 * the torture counter says so.  Thread-safe: the scan's workers allocate
 * nodes concurrently.
 */
void *
Sl_arena_alloc(struct Sl_arena *a, size_t n)
{
	struct Sl_arena_chunk *c;
	void *p = NULL;
	size_t need, sz;

	need = (n + sizeof(max_align_t) - 1) & ~(sizeof(max_align_t) - 1);
	if (need < n)
		return NULL;
	pthread_mutex_lock(&a->lock);
	a->nallocs++;
	if (a->fail_at > 0 && a->nallocs == a->fail_at)
		goto out;
	if (a->used + need > a->ceiling || a->used + need < a->used)
		goto out;
	c = a->head;
	if (c == NULL || c->size - c->used < need) {
		sz = need > CHUNK_MIN ? need : CHUNK_MIN;
		c = malloc(sizeof(*c) + sz);
		if (c == NULL)
			goto out;
		c->size = sz;
		c->used = 0;
		c->next = a->head;
		a->head = c;
	}
	p = (char *)c->data + c->used;
	c->used += need;
	a->used += need;
	memset(p, 0, n);
out:
	pthread_mutex_unlock(&a->lock);
	return p;
}

char *
Sl_arena_strndup(struct Sl_arena *a, const char *s, size_t max)
{
	size_t n = strnlen(s, max);
	char *d = Sl_arena_alloc(a, n + 1);

	if (d != NULL)
		memcpy(d, s, n);
	return d;
}

char *
Sl_arena_strdup(struct Sl_arena *a, const char *s)
{
	return s == NULL ? NULL : Sl_arena_strndup(a, s, SIZE_MAX);
}

char *
Sl_arena_printf(struct Sl_arena *a, const char *fmt, ...)
{
	va_list ap;
	int n;
	char *d;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return NULL;
	d = Sl_arena_alloc(a, (size_t)n + 1);
	if (d == NULL)
		return NULL;
	va_start(ap, fmt);
	vsnprintf(d, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return d;
}

void
Sl_arena_free(struct Sl_arena *a)
{
	struct Sl_arena_chunk *c, *next;

	if (a == NULL)
		return;
	for (c = a->head; c != NULL; c = next) {
		next = c->next;
		free(c);
	}
	a->head = NULL;
	a->used = 0;
	pthread_mutex_destroy(&a->lock);
}
