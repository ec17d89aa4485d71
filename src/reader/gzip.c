/*
 * gzip.c - raw gzip streams (RFC 1952), read with zlib.
 *
 * A gzip member found anywhere in a blob (a compressed kernel, an
 * initramfs appended to one, a .gz file) becomes a layer holding one file,
 * "data" (or the member's FNAME), whose content is the decompressed bytes.
 * The stream is inflated once, at open, into a buffer bounded by the
 * per-file limit, the scan's budget and the ratio limit; open reports how
 * many compressed bytes the member occupied so that carving can go on
 * after it.
 */
#include <stdlib.h>

#include <zlib.h>

#include "../sl.h"

static const struct Sl_magic gzip_magics[] = {
	{ "\x1f\x8b\x08", 3, 0 },
	{ NULL, 0, 0 },
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

/* Inflate one member; *used receives the compressed bytes consumed. */
static sl_rc
inflate_member(struct Sl_layer *l, struct Sl_buf *out, size_t *used)
{
	struct sl_scan *s = l->scan;
	z_stream z;
	uint8_t chunk[65536];
	int zr;
	sl_rc rc = SL_OK;

	memset(&z, 0, sizeof(z));
	if (inflateInit2(&z, 16 + MAX_WBITS) != Z_OK)
		return SL_E_NOMEM;
	z.next_in = (Bytef *)l->data;
	z.avail_in = l->len > UINT32_MAX ? UINT32_MAX : (uInt)l->len;
	do {
		z.next_out = chunk;
		z.avail_out = sizeof(chunk);
		zr = inflate(&z, Z_NO_FLUSH);
		if (zr != Z_OK && zr != Z_STREAM_END) {
			rc = SL_E_MALFORMED;
			break;
		}
		rc = Sl_buf_add(out, chunk, sizeof(chunk) - z.avail_out);
		if (rc != SL_OK)
			break;
		if (!Sl_ratio_ok(s, z.total_in, z.total_out, l->prefix)) {
			rc = SL_E_LIMIT;
			break;
		}
	} while (zr != Z_STREAM_END && (z.avail_in > 0 || z.avail_out == 0));
	if (rc == SL_OK && zr != Z_STREAM_END)
		rc = SL_E_MALFORMED;
	*used = z.total_in;
	inflateEnd(&z);
	return rc;
}

static sl_rc
gzip_open(struct Sl_layer *l)
{
	struct sl_scan *s = l->scan;
	struct Sl_buf out;
	struct sl_entry e = { 0 };
	struct Sl_node *n;
	size_t used = 0;
	sl_rc rc;

	Sl_buf_init(&out, Sl_limits(s)->max_file);
	rc = inflate_member(l, &out, &used);
	if (rc == SL_E_LIMIT && out.n >= Sl_limits(s)->max_file)
		Sl_incomplete(s,
			      "%s: decompressed stream exceeds the per-file "
			      "limit; not unpacked",
			      l->prefix);
	if (rc != SL_OK || out.n == 0) {
		Sl_buf_free(&out);
		return rc == SL_OK ? SL_E_MALFORMED : rc;
	}
	if (Sl_budget(s, out.n, l->prefix) != SL_OK) {
		Sl_buf_free(&out);
		return SL_E_LIMIT;
	}
	l->size = used;
	e.type = SL_FT_REG;
	e.mode = 0644;
	e.size = out.n;
	n = Sl_add(l, "data", &e);
	if (n == NULL) {
		Sl_buf_free(&out);
		return SL_E_NOMEM;
	}
	l->priv = Sl_buf_take(&out, NULL);
	return SL_OK;
}

static sl_rc
gzip_read(struct Sl_layer *l, const struct Sl_node *node,
	  const uint8_t **data, size_t *len, struct Sl_buf *tmp)
{
	(void)tmp;
	*data = l->priv;
	*len = (size_t)node->e.size;
	return SL_OK;
}

static void
gzip_close(struct Sl_layer *l)
{
	free(l->priv);
	l->priv = NULL;
}

const struct Sl_reader Sl_reader_gzip = {
	.name = "gzip",
	.description = "gzip stream (RFC 1952)",
	.nest = SL_NEST_CARVE,
	.magics = gzip_magics,
	.bid = gzip_bid,
	.open = gzip_open,
	.read = gzip_read,
	.close = gzip_close,
};
