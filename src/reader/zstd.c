/*
 * zstd.c - Zstandard frames (RFC 8878), read with libzstd's streaming
 * decoder.
 *
 * A frame found anywhere in a blob becomes a layer holding one file,
 * "data", decoded once at open time (stream.c bounds it and keeps what a
 * damaged frame yielded).  Only the first frame is read; frames and
 * skippable frames after it are left to carving.
 *
 * Trust: libzstd checks the frame and block headers and the optional
 * content checksum.  It is told to refuse windows over 128 MiB
 * (ZSTD_WLOG_MAX), so a hostile header cannot make it reserve more.
 */
#include <zstd.h>
#include <zstd_errors.h>

#include "stream.h"

/*
 * The largest window accepted, as a power of two: libzstd's own default,
 * and what every zstd level up to --ultra -22 (and --long) writes.
 */
#define ZSTD_WLOG_MAX 27

static const struct Sl_magic zstd_magics[] = {
    {"\x28\xb5\x2f\xfd", 4, 0},
    {NULL, 0, 0},
};

static int
zstd_bid(const uint8_t *p, size_t n)
{
	/* Magic, frame header descriptor, at least a block header. */
	if (n < 8 || Sl_get_le32(p) != ZSTD_MAGICNUMBER)
		return 0;
	if (p[4] & 0x08) /* the reserved bit must be zero */
		return 0;
	return 90;
}

static sl_rc
zstd_decode(struct Sl_stream *st)
{
	struct Sl_layer *l = st->l;
	ZSTD_DStream *z;
	ZSTD_inBuffer in = {st->in, st->inlen, 0};
	uint8_t chunk[65536];
	size_t r;
	sl_rc rc = SL_OK;

	z = ZSTD_createDStream();
	if (z == NULL)
		return SL_E_NOMEM;
	if (ZSTD_isError(ZSTD_DCtx_setParameter(z, ZSTD_d_windowLogMax,
	                                        ZSTD_WLOG_MAX))) {
		ZSTD_freeDStream(z);
		return SL_E_NOMEM;
	}
	for (;;) {
		ZSTD_outBuffer out = {chunk, sizeof(chunk), 0};

		r = ZSTD_decompressStream(z, &out, &in);
		st->used = in.pos;
		rc = Sl_stream_put(st, chunk, out.pos);
		if (rc != SL_OK)
			break;
		if (ZSTD_isError(r)) {
			if (ZSTD_getErrorCode(r) ==
			    ZSTD_error_frameParameter_windowTooLarge)
				Sl_incomplete(l->scan,
				              "%s: frame window larger than "
				              "2^%d bytes; not unpacked",
				              l->prefix, ZSTD_WLOG_MAX);
			rc = SL_E_MALFORMED;
			break;
		}
		if (r == 0) /* the frame is decoded and flushed */
			break;
		/* Input spent and output not full: the frame is cut short. */
		if (in.pos == in.size && out.pos < out.size) {
			rc = SL_E_MALFORMED;
			break;
		}
	}
	ZSTD_freeDStream(z);
	return rc;
}

static sl_rc
zstd_open(struct Sl_layer *l)
{
	return Sl_stream_open(l, zstd_decode);
}

const struct Sl_reader Sl_reader_zstd = {
    .name = "zstd",
    .description = "Zstandard frame",
    .nest = SL_NEST_CARVE,
    .magics = zstd_magics,
    .bid = zstd_bid,
    .open = zstd_open,
    .read = Sl_stream_read,
    .close = Sl_stream_close,
    .release = Sl_stream_release,
};
