/*
 * xz.c - the two stream formats of xz-utils, read with liblzma: .xz
 * streams and legacy .lzma ("LZMA-alone", what U-Boot LZMA kernels and
 * many bootloaders use).
 *
 * Either stream found anywhere in a blob becomes a layer holding one file,
 * "data", decoded once at open time (stream.c bounds it and keeps what a
 * damaged stream yielded).  Only the first xz stream is read; concatenated
 * streams and stream padding are left to carving.
 *
 * Trust: liblzma checks the xz headers, indexes and check fields.  A .lzma
 * stream has no magic number, only a 13-byte header, so lzma_bid() accepts
 * only the headers real encoders write: a properties byte liblzma can
 * decode, a dictionary size of 2^n or 2^n + 2^(n-1) bytes between 4 KiB and
 * 1 GiB, an uncompressed size that is unknown (-1) or below 4 GiB, a
 * first range-coder byte of zero, a first symbol that is a literal and
 * coded bytes that are not zero padding.
 * Carving finds it by the properties bytes of the usual settings, 0x5d
 * (lc=3 lp=0 pb=2, the default) and 0x6d (lc=1 lp=2 pb=2, OpenWrt's
 * kernels), followed by the low byte of the dictionary size, always zero.
 * Such headers still turn up in ordinary binaries (a 0x5d byte before a
 * table of small integers), and LZMA decodes a few bytes of nearly
 * anything before it fails, so a damaged .lzma stream is kept only when
 * at least LZMA_MIN_DAMAGED compressed bytes decoded before the damage.
 */
#include <lzma.h>

#include "stream.h"

/*
 * Memory liblzma may reserve for one decoder: the largest dictionary
 * lzma_bid() accepts plus the decoder's own state.  liblzma reserves the
 * whole dictionary up front; it is only touched as output is written.
 */
#define XZ_MEMLIMIT ((1ULL << 30) + (32ULL << 20))

/*
 * The memory limit for one stream: a dictionary larger than the output
 * is never used, and the output stops at the per-file limit, so that
 * limit (but 64 MiB at the least, the dictionary of xz -9) plus the
 * decoder's state; XZ_MEMLIMIT at most.
 */
static uint64_t
memlimit(const struct Sl_layer *l)
{
	uint64_t m = Sl_limits(l->scan)->max_file;

	if (m < (64ULL << 20))
		m = 64ULL << 20;
	m += 32ULL << 20;
	return m < XZ_MEMLIMIT ? m : XZ_MEMLIMIT;
}

/* .lzma uncompressed sizes at or above this are not believed. */
#define LZMA_MAX_USIZE (1ULL << 32)

/*
 * Compressed bytes a damaged .lzma stream must have decoded to be kept.
 * Headers found by chance fail within some tens of bytes.
 */
#define LZMA_MIN_DAMAGED 4096

static const struct Sl_magic xz_magics[] = {
    {"\xfd"
     "7zXZ\x00",
     6, 0},
    {NULL, 0, 0},
};

static const struct Sl_magic lzma_magics[] = {
    {"\x5d\x00", 2, 0},
    {"\x6d\x00", 2, 0},
    {NULL, 0, 0},
};

/* The code of a liblzma error (not LZMA_OK or LZMA_STREAM_END). */
static sl_rc
lzma_err(struct Sl_layer *l, lzma_ret r)
{
	switch (r) {
	case LZMA_MEMLIMIT_ERROR:
		Sl_incomplete(l->scan,
		              "%s: decoding needs more than %llu MiB of "
		              "memory (a larger --max-file allows more); not "
		              "unpacked",
		              l->prefix,
		              (unsigned long long)(memlimit(l) >> 20));
		return SL_E_LIMIT;
	case LZMA_MEM_ERROR: return SL_E_NOMEM;
	default: /* DATA, BUF, FORMAT, OPTIONS errors */ return SL_E_MALFORMED;
	}
}

/*
 * Run a liblzma decoder that lzma_*_decoder() set up (its result in r)
 * over the stream, to its end.  The first headlen bytes of the stream are
 * read from head instead, when head is not NULL (a header rewritten).
 */
static sl_rc
lzma_run(struct Sl_stream *st, lzma_stream *z, lzma_ret r, const uint8_t *head,
         size_t headlen)
{
	struct Sl_layer *l = st->l;
	uint8_t chunk[65536];
	sl_rc rc = SL_OK;

	if (r != LZMA_OK) {
		lzma_end(z);
		return r == LZMA_MEM_ERROR ? SL_E_NOMEM : SL_E_MALFORMED;
	}
	if (head != NULL && headlen <= st->inlen) {
		/* A header yields no output: the decoder takes all of it. */
		z->next_in = head;
		z->avail_in = headlen;
		z->next_out = chunk;
		z->avail_out = sizeof(chunk);
		r = lzma_code(z, LZMA_RUN);
		if (r != LZMA_OK || z->avail_in != 0 ||
		    z->avail_out != sizeof(chunk)) {
			lzma_end(z);
			return r == LZMA_OK ? SL_E_MALFORMED : lzma_err(l, r);
		}
	} else {
		headlen = 0;
	}
	z->next_in = st->in + headlen;
	z->avail_in = st->inlen - headlen;
	do {
		z->next_out = chunk;
		z->avail_out = sizeof(chunk);
		/* LZMA_FINISH: all the input there is, is given. */
		r = lzma_code(z, LZMA_FINISH);
		st->used = z->total_in;
		rc = Sl_stream_put(st, chunk, sizeof(chunk) - z->avail_out);
	} while (rc == SL_OK && r == LZMA_OK);
	if (rc == SL_OK && r != LZMA_STREAM_END)
		rc = lzma_err(l, r);
	lzma_end(z);
	return rc;
}

/* ---- .xz --------------------------------------------------------- */

static int
xz_bid(const uint8_t *p, size_t n)
{
	/* Magic, two stream flag bytes, CRC32 of the flags. */
	if (n < 32 || memcmp(p,
	                     "\xfd"
	                     "7zXZ\x00",
	                     6) != 0)
		return 0;
	if (p[6] != 0 || (p[7] & 0xf0) != 0)
		return 0;
	if (lzma_crc32(p + 6, 2, 0) != Sl_get_le32(p + 8))
		return 0;
	return 90;
}

static sl_rc
xz_decode(struct Sl_stream *st)
{
	lzma_stream z = LZMA_STREAM_INIT;

	/* No LZMA_CONCATENATED: stop at the end of the first stream. */
	return lzma_run(st, &z, lzma_stream_decoder(&z, memlimit(st->l), 0),
	                NULL, 0);
}

static sl_rc
xz_open(struct Sl_layer *l)
{
	return Sl_stream_open(l, xz_decode);
}

const struct Sl_reader Sl_reader_xz = {
    .name = "xz",
    .description = "xz stream",
    .nest = SL_NEST_CARVE,
    .magics = xz_magics,
    .bid = xz_bid,
    .open = xz_open,
    .read = Sl_stream_read,
    .close = Sl_stream_close,
    .release = Sl_stream_release,
};

/* ---- .lzma ------------------------------------------------------- */

/*
 * The 13-byte header, all little-endian:
 *
 *	+-------+-----------------+---------------------------------+
 *	| props | dictionary size | uncompressed size (-1: unknown) |
 *	+-------+-----------------+---------------------------------+
 *	 0       1                 5                                13
 *
 * props = (pb * 5 + lp) * 9 + lc.  The range coder's first byte follows.
 */
static bool
lzma_dict_ok(uint32_t d)
{
	uint32_t low = d & -d; /* lowest set bit */

	if (d < (4U << 10) || d > (1U << 30))
		return false;
	return d == low || d == 3 * low; /* 2^n or 2^n + 2^(n-1) */
}

/* The header's uncompressed size (UINT64_MAX: unknown). */
static uint64_t
lzma_usize(const uint8_t *p)
{
	return (uint64_t)Sl_get_le32(p + 5) | (uint64_t)Sl_get_le32(p + 9)
	                                          << 32;
}

static int
lzma_bid(const uint8_t *p, size_t n)
{
	unsigned props, lc, lp;
	uint64_t usize;
	size_t i;

	if (n < 22)
		return 0;
	props = p[0];
	if (props >= 9 * 5 * 5)
		return 0;
	lc = props % 9;
	lp = props / 9 % 5;
	if (lc + lp > LZMA_LCLP_MAX) /* liblzma cannot decode these */
		return 0;
	if (!lzma_dict_ok(Sl_get_le32(p + 1)))
		return 0;
	usize = lzma_usize(p);
	if (usize != UINT64_MAX && (usize == 0 || usize >= LZMA_MAX_USIZE))
		return 0;
	/*
	 * The range coder's first byte is always zero, and the first bit it
	 * codes (probability 1/2) is 0, a literal, so the next byte is below
	 * 0x80 (only an empty stream starts with the end marker, a match).
	 * The next bytes are never all zero, not even for a stream of zeros;
	 * zero padding after a lookalike header would decode as zeros.
	 */
	if (p[13] != 0 || p[14] >= 0x80)
		return 0;
	for (i = 14; i < 22 && p[i] == 0; i++)
		continue;
	if (i == 22)
		return 0;
	return 40;
}

static sl_rc
lzma_decode(struct Sl_stream *st)
{
	lzma_stream z = LZMA_STREAM_INIT;
	uint8_t head[13];
	uint64_t usize, cap;
	sl_rc rc;

	if (st->inlen < sizeof(head))
		return SL_E_MALFORMED;
	/*
	 * UNTRUSTED: the dictionary size.  liblzma reserves the whole
	 * dictionary up front, 1 GiB for a 22-byte header, which a machine
	 * without overcommit refuses.  A dictionary at least as large as the
	 * output decodes the same bytes, and the output stops at the
	 * uncompressed size, or soon after the per-file limit (a chunk past
	 * it, when Sl_stream_put says stop): the header is given to liblzma
	 * with the smaller size.
	 */
	memcpy(head, st->in, sizeof(head));
	usize = lzma_usize(head);
	cap = Sl_limits(st->l->scan)->max_file + (256U << 10);
	if (usize < cap)
		cap = usize;
	if (cap < (4U << 10))
		cap = 4U << 10;
	if (Sl_get_le32(head + 1) > cap)
		Sl_put_le32(head + 1, (uint32_t)cap);
	/*
	 * With a known uncompressed size the decoder stops there; with -1 it
	 * needs the end-of-payload marker.
	 */
	rc = lzma_run(st, &z, lzma_alone_decoder(&z, memlimit(st->l)), head,
	              sizeof(head));
	if (rc == SL_E_MALFORMED && st->used < LZMA_MIN_DAMAGED)
		Sl_buf_reset(
		    &st->out); /* most likely not LZMA at all: refuse */
	return rc;
}

static sl_rc
lzma_open(struct Sl_layer *l)
{
	return Sl_stream_open(l, lzma_decode);
}

const struct Sl_reader Sl_reader_lzma = {
    .name = "lzma",
    .description = "LZMA-alone stream (.lzma)",
    .nest = SL_NEST_CARVE,
    .magics = lzma_magics,
    .bid = lzma_bid,
    .open = lzma_open,
    .read = Sl_stream_read,
    .close = Sl_stream_close,
    .release = Sl_stream_release,
};
