/*
 * stream.c - the open, read and close that every raw compressed-stream
 * reader shares (see stream.h).
 *
 * A stream is decoded whole, once, at open time, into a buffer bounded by
 * the per-file limit; the ratio limit is checked as the output grows and
 * the total is charged to the scan's budget.  Trust: the decoders' own
 * counts of consumed and produced bytes, which never exceed the buffers
 * they were given.
 */
#include <stdlib.h>

#include "stream.h"

sl_rc
Sl_stream_put(struct Sl_stream *st, const void *p, size_t n)
{
	struct Sl_layer *l = st->l;
	sl_rc rc;

	if (n == 0)
		return SL_OK;
	rc = Sl_buf_add(&st->out, p, n);
	if (rc == SL_E_LIMIT)
		st->full = true;
	if (rc != SL_OK)
		return rc;
	if (!Sl_ratio_ok(l->scan, st->used, st->out.n, l->prefix))
		return SL_E_LIMIT;
	return SL_OK;
}

/*
 * What a stream layer keeps: the decoded bytes while the engine still
 * needs them (nested containers point into them), and the decoder, to
 * decode again on demand once they were released.
 */
struct stream_priv {
	uint8_t *buf; /* NULL once released */
	sl_rc (*decode)(struct Sl_stream *st);
};

sl_rc
Sl_stream_open(struct Sl_layer *l, sl_rc (*decode)(struct Sl_stream *st))
{
	struct stream_priv *sp;
	struct sl_scan *s = l->scan;
	uint64_t max = Sl_limits(s)->max_file;
	struct Sl_stream st;
	struct sl_entry e = {0};
	sl_rc rc;

	memset(&st, 0, sizeof(st));
	st.l = l;
	st.in = l->data;
	st.inlen = l->len;
	Sl_buf_init(&st.out, max > SIZE_MAX - 1 ? SIZE_MAX - 1 : (size_t)max);
	rc = decode(&st);
	if (rc == SL_E_LIMIT && st.full)
		Sl_incomplete(s,
		              "%s: decompressed stream exceeds the per-file "
		              "limit; not unpacked",
		              l->prefix);
	if ((rc != SL_OK && rc != SL_E_MALFORMED) || st.out.n == 0 ||
	    st.used == 0 || st.used > l->len) {
		Sl_buf_free(&st.out);
		return rc == SL_OK ? SL_E_MALFORMED : rc;
	}
	if (Sl_budget(s, st.out.n, l->prefix) != SL_OK) {
		Sl_buf_free(&st.out);
		return SL_E_LIMIT;
	}
	if (rc == SL_E_MALFORMED)
		Sl_incomplete(s,
		              "%s: stream truncated or corrupt after %zu bytes "
		              "(compressed offset 0x%llx)",
		              l->prefix, st.out.n, (unsigned long long)st.used);
	l->size = st.used;
	e.type = SL_FT_REG;
	e.mode = 0644;
	e.size = st.out.n;
	if (Sl_add(l, "data", &e) == NULL) {
		Sl_buf_free(&st.out);
		return SL_E_NOMEM;
	}
	sp = malloc(sizeof(*sp));
	if (sp == NULL) {
		Sl_buf_free(&st.out);
		return SL_E_NOMEM;
	}
	sp->decode = decode;
	sp->buf = Sl_buf_take(&st.out, NULL);
	l->priv = sp;
	return SL_OK;
}

sl_rc
Sl_stream_read(struct Sl_layer *l, const struct Sl_node *node,
               const uint8_t **data, size_t *len, struct Sl_buf *tmp)
{
	struct stream_priv *sp = l->priv;
	struct Sl_stream st;
	sl_rc rc;

	if (sp->buf != NULL) {
		*data = sp->buf;
		*len = (size_t)node->e.size;
		return SL_OK;
	}
	/* Released: decode again into the caller's buffer, keeping nothing. */
	memset(&st, 0, sizeof(st));
	st.l = l;
	st.in = l->data;
	st.inlen = (size_t)l->size;
	st.out = *tmp;
	Sl_buf_reset(&st.out);
	rc = sp->decode(&st);
	*tmp = st.out;
	if (tmp->n < node->e.size)
		return Sl_fail(l->scan, rc == SL_OK ? SL_E_MALFORMED : rc,
		               "%s: stream decoded to %zu bytes, %llu before",
		               l->prefix, tmp->n,
		               (unsigned long long)node->e.size);
	*data = tmp->p;
	*len = (size_t)node->e.size;
	return SL_OK;
}

void
Sl_stream_release(struct Sl_layer *l, const struct Sl_node *node)
{
	struct stream_priv *sp = l->priv;

	(void)node;
	free(sp->buf);
	sp->buf = NULL;
}

void
Sl_stream_close(struct Sl_layer *l)
{
	struct stream_priv *sp = l->priv;

	if (sp != NULL)
		free(sp->buf);
	free(sp);
	l->priv = NULL;
}
