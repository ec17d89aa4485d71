/*
 * arcadyan.c - Arcadyan's obfuscated LZMA firmware (Arcadyan-built DSL
 * and cable routers sold under many ISP brands), decoded at open.
 *
 * The image is an LZMA "alone" stream (13-byte header, props/dictionary/
 * size) placed 4 bytes into the file and then scrambled: the 32 bytes at
 * 4 (holding the LZMA header) and the 32 at 0x68 change places, and the
 * ones moved to 4 are stored with each byte's nibbles swapped and each
 * pair of bytes swapped.  So the bytes at 0x68 begin 00 d5 08 00, which
 * unscramble to 5d 00 00 80: LZMA properties 0x5d and a dictionary of
 * 8 MiB.  Undo both, and what remains is a plain LZMA stream; its
 * content is "data", carved further (a kernel, a root filesystem).
 *
 * Trust: the unscrambled header must be a sane LZMA header (properties,
 * dictionary, size); decoding goes through stream.c, which bounds the
 * output, the ratio and the budget, and keeps what decoded before damage.
 *
 * Why by hand: the scrambling is a fixed permutation of 64 bytes; the
 * LZMA under it is liblzma's.
 */
#include <lzma.h>

#include "stream.h"

#define ARC_P1       4 /* bytes before the first block */
#define ARC_BLOCK    32
#define ARC_B2       0x68 /* the second block */
#define ARC_HEAD     (ARC_B2 + ARC_BLOCK)
#define ARC_MEMLIMIT (256ULL << 20)

static const struct Sl_magic arcadyan_magics[] = {
    {"\x00\xd5\x08\x00", 4, ARC_B2},
    {NULL, 0, 0},
};

/* The first ARC_HEAD bytes of p, unscrambled into out. */
static void
unscramble(const uint8_t *p, uint8_t out[ARC_HEAD])
{
	size_t i;

	memcpy(out, p, ARC_HEAD);
	memcpy(out + ARC_P1, p + ARC_B2, ARC_BLOCK);
	memcpy(out + ARC_B2, p + ARC_P1, ARC_BLOCK);
	for (i = ARC_P1; i < ARC_P1 + ARC_BLOCK; i++)
		out[i] = (uint8_t)(out[i] << 4 | out[i] >> 4);
	for (i = ARC_P1; i < ARC_P1 + ARC_BLOCK; i += 2) {
		uint8_t t = out[i];

		out[i] = out[i + 1];
		out[i + 1] = t;
	}
}

static int
arcadyan_bid(const uint8_t *p, size_t n)
{
	uint8_t h[ARC_HEAD];
	uint32_t dict;
	uint64_t usize;
	const uint8_t *z;

	if (n < ARC_HEAD + 64 || memcmp(p + ARC_B2, "\x00\xd5\x08\x00", 4) != 0)
		return 0;
	unscramble(p, h);
	z = h + ARC_P1;
	dict = Sl_get_le32(z + 1);
	usize = Sl_get_le32(z + 5) | (uint64_t)Sl_get_le32(z + 9) << 32;
	/* UNTRUSTED: an LZMA header as xz.c's bid wants it. */
	if (z[0] != 0x5d || dict < 4096 || (dict & (dict - 1)) != 0)
		return 0;
	if (usize != UINT64_MAX && (usize == 0 || usize >= (1ULL << 32)))
		return 0;
	if (z[13] != 0)
		return 0;
	return 80;
}

static sl_rc
arcadyan_decode(struct Sl_stream *st)
{
	struct Sl_layer *l = st->l;
	lzma_stream z = LZMA_STREAM_INIT;
	uint8_t head[ARC_HEAD], chunk[65536];
	lzma_ret r = LZMA_OK;
	sl_rc rc = SL_OK;
	int part;

	if (st->inlen < ARC_HEAD)
		return SL_E_MALFORMED;
	unscramble(st->in, head);
	if (lzma_alone_decoder(&z, ARC_MEMLIMIT) != LZMA_OK)
		return SL_E_NOMEM;
	/* The unscrambled head, then the rest of the image as it is. */
	for (part = 0; part < 2 && rc == SL_OK && r == LZMA_OK; part++) {
		z.next_in = part == 0 ? head + ARC_P1 : st->in + ARC_HEAD;
		z.avail_in =
		    part == 0 ? ARC_HEAD - ARC_P1 : st->inlen - ARC_HEAD;
		do {
			z.next_out = chunk;
			z.avail_out = sizeof(chunk);
			r = lzma_code(&z, part == 0 ? LZMA_RUN : LZMA_FINISH);
			st->used = ARC_P1 + z.total_in;
			rc = Sl_stream_put(st, chunk,
			                   sizeof(chunk) - z.avail_out);
		} while (rc == SL_OK && r == LZMA_OK &&
		         (z.avail_in > 0 || z.avail_out == 0));
	}
	lzma_end(&z);
	if (rc != SL_OK)
		return rc;
	if (r == LZMA_STREAM_END)
		return SL_OK;
	if (r == LZMA_MEMLIMIT_ERROR) {
		Sl_incomplete(l->scan,
		              "%s: decoding needs more than %llu MiB of "
		              "memory; not unpacked",
		              l->prefix, ARC_MEMLIMIT >> 20);
		return SL_E_LIMIT;
	}
	return r == LZMA_MEM_ERROR ? SL_E_NOMEM : SL_E_MALFORMED;
}

static sl_rc
arcadyan_open(struct Sl_layer *l)
{
	return Sl_stream_open(l, arcadyan_decode);
}

const struct Sl_reader Sl_reader_arcadyan = {
    .name = "arcadyan",
    .description = "Arcadyan obfuscated LZMA firmware",
    .nest = SL_NEST_CARVE,
    .magics = arcadyan_magics,
    .bid = arcadyan_bid,
    .open = arcadyan_open,
    .read = Sl_stream_read,
    .close = Sl_stream_close,
    .release = Sl_stream_release,
};
