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
 * (stream.c); this file only drives zlib.
 */
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
