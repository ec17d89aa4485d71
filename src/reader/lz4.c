/*
 * lz4.c - the two LZ4 stream formats, read with liblz4: the frame format
 * (lz4 since r118, LZ4F_decompress) and the legacy format (lz4 -l), which
 * Linux uses for LZ4-compressed kernels and initramfs images.
 *
 * Either stream found anywhere in a blob becomes a layer holding one file,
 * "data", decoded once at open time (stream.c bounds it and keeps what a
 * damaged stream yielded).  Only the first frame is read.
 *
 * Trust: liblz4 checks the frame header checksum, block sizes and the
 * optional block and content checksums, and never writes past the output
 * it is given.  The legacy format has no end marker and no checksum: it
 * is a run of blocks, each a little-endian compressed size followed by
 * that many bytes which decode to at most 8 MiB, and only the last block
 * decodes to less.  So the stream ends after a short block, at the end of
 * the blob, or where the next size word is not a possible block size
 * (Linux appends the uncompressed size there; another stream's magic
 * number is never a possible size).  No library walks this framing: the
 * lz4 tool's loop lives in its program, not in liblz4.
 */
#include <stdlib.h>

#include <lz4.h>
#include <lz4frame.h>

#include "stream.h"

/* Bytes each legacy block decodes to, the last one excepted. */
#define LZ4_LEGACY_BLOCK (8U << 20)
#define LZ4_LEGACY_MAGIC 0x184c2102U

static const struct Sl_magic lz4_magics[] = {
    {"\x04\x22\x4d\x18", 4, 0},
    {NULL, 0, 0},
};

static const struct Sl_magic lz4_legacy_magics[] = {
    {"\x02\x21\x4c\x18", 4, 0},
    {NULL, 0, 0},
};

/* ---- the frame format -------------------------------------------- */

static int
lz4_bid(const uint8_t *p, size_t n)
{
	/* Magic, FLG, BD, header checksum, end mark. */
	if (n < 11 || Sl_get_le32(p) != LZ4F_MAGICNUMBER)
		return 0;
	if ((p[4] & 0xc0) != 0x40 || (p[4] & 0x02) != 0) /* version 01 */
		return 0;
	if ((p[5] & 0x8f) != 0 || (p[5] >> 4 & 7) < 4) /* block size 4..7 */
		return 0;
	return 90;
}

static sl_rc
lz4_decode(struct Sl_stream *st)
{
	LZ4F_dctx *z;
	uint8_t chunk[65536];
	size_t r, pos = 0;
	sl_rc rc = SL_OK;

	if (LZ4F_isError(LZ4F_createDecompressionContext(&z, LZ4F_VERSION)))
		return SL_E_NOMEM;
	for (;;) {
		size_t inn = st->inlen - pos, outn = sizeof(chunk);

		/* inn and outn come back as the bytes read and written. */
		r = LZ4F_decompress(z, chunk, &outn, st->in + pos, &inn, NULL);
		pos += inn;
		st->used = pos;
		rc = Sl_stream_put(st, chunk, outn);
		if (rc != SL_OK)
			break;
		if (LZ4F_isError(r)) {
			rc = SL_E_MALFORMED;
			break;
		}
		if (r == 0) /* the frame is decoded and flushed */
			break;
		/* No progress: the input is spent before the frame's end. */
		if (inn == 0 && outn == 0) {
			rc = SL_E_MALFORMED;
			break;
		}
	}
	LZ4F_freeDecompressionContext(z);
	return rc;
}

static sl_rc
lz4_open(struct Sl_layer *l)
{
	return Sl_stream_open(l, lz4_decode);
}

const struct Sl_reader Sl_reader_lz4 = {
    .name = "lz4",
    .description = "LZ4 frame",
    .nest = SL_NEST_CARVE,
    .magics = lz4_magics,
    .bid = lz4_bid,
    .open = lz4_open,
    .read = Sl_stream_read,
    .close = Sl_stream_close,
    .release = Sl_stream_release,
};

/* ---- the legacy format ------------------------------------------- */

/*
 *	+-------+------+----------+------+----------+ ...
 *	| magic | size | block    | size | block    |
 *	+-------+------+----------+------+----------+ ...
 *	 4       le32   size bytes
 */

/* Is v the compressed size of some legacy block? */
static bool
lz4_legacy_size_ok(uint32_t v)
{
	return v > 0 && v <= (uint32_t)LZ4_COMPRESSBOUND(LZ4_LEGACY_BLOCK);
}

static int
lz4_legacy_bid(const uint8_t *p, size_t n)
{
	if (n < 9 || Sl_get_le32(p) != LZ4_LEGACY_MAGIC)
		return 0;
	if (!lz4_legacy_size_ok(Sl_get_le32(p + 4)))
		return 0;
	return 70;
}

static sl_rc
lz4_legacy_decode(struct Sl_stream *st)
{
	uint8_t *blk = NULL, *p;
	size_t pos = 4, cap = 0, need;
	uint32_t csize;
	int got;
	sl_rc rc = SL_OK;

	st->used = pos;
	while (st->inlen - pos >= 4) {
		/* UNTRUSTED: csize is checked against the bound and blob. */
		csize = Sl_get_le32(st->in + pos);
		if (!lz4_legacy_size_ok(csize))
			break; /* not a block: the stream ended before it */
		if (csize > st->inlen - pos - 4) {
			rc = SL_E_MALFORMED; /* truncated */
			break;
		}
		/*
		 * An LZ4 sequence yields at most 255 bytes per byte it
		 * takes, so a small block needs no 8 MiB buffer.
		 */
		need = (size_t)csize * 255;
		if (need > LZ4_LEGACY_BLOCK)
			need = LZ4_LEGACY_BLOCK;
		if (need > cap) {
			p = realloc(blk, need);
			if (p == NULL) {
				rc = SL_E_NOMEM;
				break;
			}
			blk = p;
			cap = need;
		}
		got = LZ4_decompress_safe((const char *)st->in + pos + 4,
		                          (char *)blk, (int)csize, (int)cap);
		if (got < 0) {
			rc = SL_E_MALFORMED;
			break;
		}
		pos += 4 + (size_t)csize;
		st->used = pos;
		rc = Sl_stream_put(st, blk, (size_t)got);
		if (rc != SL_OK || (unsigned)got < LZ4_LEGACY_BLOCK)
			break; /* a short block is the last one */
	}
	free(blk);
	return rc;
}

static sl_rc
lz4_legacy_open(struct Sl_layer *l)
{
	return Sl_stream_open(l, lz4_legacy_decode);
}

const struct Sl_reader Sl_reader_lz4_legacy = {
    .name = "lz4-legacy",
    .description = "LZ4 legacy stream (lz4 -l, Linux kernels)",
    .nest = SL_NEST_CARVE,
    .magics = lz4_legacy_magics,
    .bid = lz4_legacy_bid,
    .open = lz4_legacy_open,
    .read = Sl_stream_read,
    .close = Sl_stream_close,
    .release = Sl_stream_release,
};
