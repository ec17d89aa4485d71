/*
 * gzip.c - raw gzip streams (RFC 1952), read with zlib.
 *
 * A gzip member found anywhere in a blob (a compressed kernel, an
 * initramfs appended to one, a .gz file) becomes a layer holding one file,
 * "data" (or the member's FNAME), whose content is the decompressed bytes.
 * The stream is inflated once, at open, into a buffer bounded by the
 * per-file limit, the scan's budget and the ratio limit; open reports how
 * many compressed bytes the member occupied so that carving can go on
 * after it.  A member cut short keeps what inflated before the damage.
 * The open, read and close are shared with the other stream readers
 * (stream.c); this file only drives the decoders.
 *
 * Two decoders: libdeflate for the common case, a whole .gz file whose
 * trailer states its decoded size, and zlib for everything else.
 * libdeflate decodes a buffer in one call at two to three times zlib's
 * speed, straight into the output, but needs the output's size up front
 * and keeps nothing when the stream is damaged.  So it is tried only when
 * the last four bytes (ISIZE) give a size the limits allow, and any
 * result but a clean, exact success falls back to zlib, which then does
 * what it always did (partial output, the limit and ratio messages).
 */
#include <libdeflate.h>
#include <zlib.h>

#include "stream.h"

static const struct Sl_magic gzip_magics[] = {
    {"\x1f\x8b\x08", 3, 0},
    {NULL, 0, 0},
};

static int
gzip_bid(const uint8_t *p, size_t n)
{
	if (n < 18 || p[0] != 0x1f || p[1] != 0x8b || p[2] != 8)
		return 0;
	if (p[3] & 0xe0) /* reserved flag bits must be zero */
		return 0;
	return 80;
}

/* FHCRC: a header CRC, which zlib checks and libdeflate skips. */
#define GZIP_FHCRC 0x02

/*
 * The fast path: a member that ends at the end of the input, decoded by
 * libdeflate into exactly the ISIZE bytes its trailer promises.  Returns
 * true when st->out holds the whole, verified member (CRC-32 and size
 * checked by libdeflate); false, with st->out empty, when zlib must do it.
 */
static bool
gzip_fast(struct Sl_stream *st)
{
	const struct sl_limits *lim = Sl_limits(st->l->scan);
	struct libdeflate_decompressor *d;
	enum libdeflate_result r;
	size_t isize, in = 0, out = 0;
	const uint8_t *t;

	if (st->inlen < 18 || (st->in[3] & GZIP_FHCRC))
		return false;
	t = st->in + st->inlen - 4;
	/* UNTRUSTED: isize is the input's claim; it only sizes a buffer
	 * the limits allow, and libdeflate fails rather than overrun it. */
	isize = (size_t)t[0] | (size_t)t[1] << 8 | (size_t)t[2] << 16 |
	        (size_t)t[3] << 24;
	if (isize == 0 || isize > st->out.max ||
	    (isize > SL_RATIO_FLOOR && isize / st->inlen >= lim->max_ratio))
		return false;
	if (Sl_buf_reserve(&st->out, isize) != SL_OK)
		goto fail;
	d = libdeflate_alloc_decompressor();
	if (d == NULL)
		goto fail;
	r = libdeflate_gzip_decompress_ex(
	    d, st->in, st->inlen, st->out.p + st->out.n, isize, &in, &out);
	libdeflate_free_decompressor(d);
	if (r != LIBDEFLATE_SUCCESS || in != st->inlen || out != isize)
		goto fail;
	st->out.n += out;
	st->out.p[st->out.n] = 0;
	st->used = in;
	return true;
fail:
	/* A failed reserve sticks in the buffer: start zlib on a clean one. */
	if (st->out.failed != SL_OK) {
		size_t max = st->out.max;

		Sl_buf_free(&st->out);
		Sl_buf_init(&st->out, max);
	}
	return false;
}

/*
 * Inflate one member.  Output that inflate produced before it met damage
 * is kept (Sl_stream_open decides what to do with it).
 */
static sl_rc
gzip_decode(struct Sl_stream *st)
{
	z_stream z;
	uint8_t chunk[65536];
	int zr;
	sl_rc rc = SL_OK;

	if (st->out.n == 0 && gzip_fast(st))
		return SL_OK;
	memset(&z, 0, sizeof(z));
	if (inflateInit2(&z, 16 + MAX_WBITS) != Z_OK)
		return SL_E_NOMEM;
	z.next_in = (Bytef *)st->in;
	z.avail_in = st->inlen > UINT32_MAX ? UINT32_MAX : (uInt)st->inlen;
	do {
		z.next_out = chunk;
		z.avail_out = sizeof(chunk);
		zr = inflate(&z, Z_NO_FLUSH);
		st->used = z.total_in;
		rc = Sl_stream_put(st, chunk, sizeof(chunk) - z.avail_out);
		if (rc != SL_OK)
			break;
		if (zr != Z_OK && zr != Z_STREAM_END) {
			rc = SL_E_MALFORMED;
			break;
		}
	} while (zr != Z_STREAM_END && (z.avail_in > 0 || z.avail_out == 0));
	if (rc == SL_OK && zr != Z_STREAM_END)
		rc = SL_E_MALFORMED;
	inflateEnd(&z);
	return rc;
}

static sl_rc
gzip_open(struct Sl_layer *l)
{
	return Sl_stream_open(l, gzip_decode);
}

const struct Sl_reader Sl_reader_gzip = {
    .name = "gzip",
    .description = "gzip stream (RFC 1952)",
    .nest = SL_NEST_CARVE,
    .magics = gzip_magics,
    .bid = gzip_bid,
    .open = gzip_open,
    .read = Sl_stream_read,
    .close = Sl_stream_close,
    .release = Sl_stream_release,
};
