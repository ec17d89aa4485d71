/*
 * stream.h - what the raw compressed-stream readers share (gzip.c, xz.c,
 * zstd.c, lz4.c).
 *
 * Each of those formats is one compressed stream holding one file, "data".
 * The reader only supplies a decode function that runs its library over
 * the layer's bytes and hands each decoded chunk to Sl_stream_put();
 * Sl_stream_open() does the rest the same way for every format: the
 * per-file limit, the ratio limit, the scan's budget, what a truncated or
 * corrupt stream keeps, and the compressed size that lets carving go on
 * after the stream.  Sl_stream_read and Sl_stream_close are the reader's
 * read and close.
 */
#ifndef SL_READER_STREAM_H
#define SL_READER_STREAM_H

#include "../sl.h"

/* One stream being decoded at open time. */
struct Sl_stream {
	struct Sl_layer *l;
	const uint8_t *in; /* the compressed bytes: l->data */
	size_t inlen;      /* l->len; the stream may end before */
	uint64_t used;     /* compressed bytes consumed so far */
	struct Sl_buf out; /* decoded bytes, at most the per-file limit */
	bool full;         /* the per-file limit stopped the decoding */
};

/*
 * Append n decoded bytes.  Returns SL_OK, or SL_E_LIMIT once the output
 * passes the per-file limit (st->full is set) or the ratio of output to
 * st->used compressed bytes passes the ratio limit (recorded as
 * incomplete), or SL_E_NOMEM.  The decoder must then stop.
 */
sl_rc Sl_stream_put(struct Sl_stream *st, const void *p, size_t n);

/*
 * The open of a stream reader: decode, then keep the output as the
 * content of one regular file "data" and set l->size to the compressed
 * bytes consumed.  A stream cut short keeps what came out before the
 * damage, recorded as incomplete; one that yields nothing, or is stopped
 * by a limit, is refused (an error) so that carving moves on.
 *
 * decode is the format's decoder.  It decodes st->in[0..st->inlen) from
 * the start, keeps st->used up to date, passes every decoded chunk to
 * Sl_stream_put() and stops at the end of the first stream.  It returns
 * SL_OK when that end was reached, SL_E_MALFORMED when the stream is
 * truncated or corrupt (what was decoded before stays in st->out; a
 * decoder that doubts the stream was real empties it), SL_E_LIMIT when a
 * limit stopped it (recorded as incomplete by whoever noticed) or
 * SL_E_NOMEM.
 */
sl_rc Sl_stream_open(struct Sl_layer *l, sl_rc (*decode)(struct Sl_stream *st));

/* The read and close of a stream reader. */
sl_rc Sl_stream_read(struct Sl_layer *l, const struct Sl_node *node,
                     const uint8_t **data, size_t *len, struct Sl_buf *tmp);
void Sl_stream_close(struct Sl_layer *l);
/* Drop the decoded bytes; later reads decode again (Sl_reader.release). */
void Sl_stream_release(struct Sl_layer *l, const struct Sl_node *node);

#endif /* SL_READER_STREAM_H */
