/*
 * buf.c - growable byte buffers with a hard maximum (curl's dynbuf).
 *
 * Decompressors and report writers append here; the maximum is how a
 * decompression bomb or an endless server answer is stopped.  A failure
 * sticks: after one failed append every later one fails the same way.
 */
#include <stdio.h>
#include <stdlib.h>

#include "../sl.h"

void
Sl_buf_init(struct Sl_buf *b, size_t max)
{
	b->p = NULL;
	b->n = b->cap = 0;
	b->failed = SL_OK;
	b->max = SL_NEVER(max == 0) ? SL_BUF_MAX_UNSET : max;
}

/* Mark b failed with rc (the first failure sticks) and return it. */
static sl_rc
buf_fail(struct Sl_buf *b, sl_rc rc)
{
	if (b->failed == SL_OK)
		b->failed = rc;
	return b->failed;
}

/* Make room for extra more bytes; SL_E_LIMIT past max. */
sl_rc
Sl_buf_reserve(struct Sl_buf *b, size_t extra)
{
	size_t want, cap;
	uint8_t *p;

	if (b->failed != SL_OK)
		return b->failed;
	if (extra > b->max || b->n > b->max - extra)
		return buf_fail(b, SL_E_LIMIT);
	want = b->n + extra;
	if (want <= b->cap && b->p != NULL)
		return SL_OK; /* an empty buffer still gets room for its NUL */
	cap = b->cap ? b->cap : 256;
	while (cap < want)
		cap = cap > SIZE_MAX / 2 ? want : cap * 2;
	if (cap > b->max)
		cap = b->max;
	p = realloc(b->p, cap + 1); /* +1: room for a terminating NUL */
	if (p == NULL)
		return buf_fail(b, SL_E_NOMEM);
	b->p = p;
	b->cap = cap;
	return SL_OK;
}

sl_rc
Sl_buf_add(struct Sl_buf *b, const void *p, size_t n)
{
	sl_rc rc = Sl_buf_reserve(b, n);

	if (rc != SL_OK)
		return rc;
	if (n > 0)
		memcpy(b->p + b->n, p, n);
	b->n += n;
	b->p[b->n] = 0;
	return SL_OK;
}

sl_rc
Sl_buf_addf(struct Sl_buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;
	sl_rc rc;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return buf_fail(b, SL_E_USAGE);
	rc = Sl_buf_reserve(b, (size_t)n);
	if (rc != SL_OK)
		return rc;
	va_start(ap, fmt);
	vsnprintf((char *)b->p + b->n, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->n += (size_t)n;
	return SL_OK;
}

uint8_t *
Sl_buf_take(struct Sl_buf *b, size_t *n)
{
	uint8_t *p = b->p;

	if (n != NULL)
		*n = b->n;
	b->p = NULL;
	b->n = b->cap = 0;
	b->failed = SL_OK;
	return p;
}

void
Sl_buf_free(struct Sl_buf *b)
{
	if (b == NULL)
		return;
	free(b->p);
	b->p = NULL;
	b->n = b->cap = 0;
	b->failed = SL_OK;
}
