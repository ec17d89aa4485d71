/*
 * trx.c - Broadcom TRX firmware images (Linksys, Asus, Netgear and other
 * Broadcom-based routers; OpenWrt's "trx" and "otrx" tools), read in
 * place.
 *
 * The header is little-endian:
 *
 *	offset  field         meaning
 *	     0  magic         "HDR0"
 *	     4  len           bytes of the image, header included
 *	     8  crc32         CRC-32 of bytes 12 .. len, see below
 *	    12  flag_version  flags in bits 0-15, version (1 or 2) in 16-31
 *	    16  offsets[3]    partition offsets from the header's start;
 *	                      version 2 has a fourth at 28 (header 32 bytes)
 *
 * The stored CRC is the CRC-32 polynomial of zlib with the initial value
 * 0xffffffff but without the final inversion (Broadcom's CFE and
 * OpenWrt's trx.c compute it that way), so it equals ~crc32() of zlib.
 * For version 2 the CRC is taken with the 8 bytes at offsets[3] + 22 (the
 * "stable" and "try" bytes of the bin header the boot loader rewrites) set
 * to 0xff.  Each non-zero offset starts a partition that runs to the next
 * non-zero one, the last to len: "partition-0" (usually a loader or the
 * kernel), "partition-1", ..., named after their slot in the header, so
 * that an empty slot leaves a gap in the numbers.  They are slices of the
 *image, carved further (SL_NEST_CARVE) for the kernel and the root filesystem.
 *
 * Trust: the magic, a known version, a length that holds the header and a
 * first offset inside it are required to take the bytes for a TRX.
 * Offsets must then rise inside len; the first one that does not ends the
 * partition list and is recorded as incomplete.  A CRC that does not match
 * and an image cut short by the end of the blob are recorded as incomplete
 * and what is there is still listed.
 *
 * Why hand-written: TRX is a 28- or 32-byte header; no Debian package has
 * a library (or even a tool) that reads it.  zlib's crc32() does the
 * checksum.
 */
#include <stdio.h>

#include <zlib.h>

#include "../sl.h"

#define TRX_HDR_V1   28
#define TRX_HDR_V2   32
#define TRX_CRC_FROM 12
/* TRX v2: bytes of the bin header taken as 0xff for the CRC. */
#define TRX_V2_BIN_SKIP 22
#define TRX_V2_BIN_LEN  8

static const struct Sl_magic trx_magics[] = {
    {"HDR0", 4, 0},
    {NULL, 0, 0},
};

struct trx_hdr {
	uint32_t len, crc, flags, version;
	uint32_t off[4];
	unsigned noff;   /* offsets the version has: 3 or 4 */
	unsigned hdrlen; /* 28 or 32 */
};

static bool
parse_header(const uint8_t *p, size_t n, struct trx_hdr *h)
{
	struct Sl_rd r;
	uint32_t fv;
	unsigned i;

	Sl_rd_init(&r, p, n);
	if (Sl_rd_le32(&r) != 0x30524448u) /* "HDR0" */
		return false;
	h->len = Sl_rd_le32(&r);
	h->crc = Sl_rd_le32(&r);
	fv = Sl_rd_le32(&r);
	h->flags = fv & 0xffff;
	h->version = fv >> 16;
	if (h->version != 1 && h->version != 2)
		return false;
	h->noff = h->version == 1 ? 3 : 4;
	h->hdrlen = h->version == 1 ? TRX_HDR_V1 : TRX_HDR_V2;
	for (i = 0; i < h->noff; i++)
		h->off[i] = Sl_rd_le32(&r);
	if (r.bad)
		return false;
	/* UNTRUSTED: len and the first offset must fit the header. */
	if (h->len < h->hdrlen)
		return false;
	if (h->off[0] < h->hdrlen || h->off[0] >= h->len)
		return false;
	return true;
}

static int
trx_bid(const uint8_t *p, size_t n)
{
	struct trx_hdr h;

	return parse_header(p, n, &h) ? 80 : 0;
}

/* The CRC as TRX stores it, over p[12 .. len); len <= bytes present. */
static uint32_t
trx_crc(const uint8_t *p, const struct trx_hdr *h)
{
	static const uint8_t ff[TRX_V2_BIN_LEN] = {
	    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
	};
	uLong crc = crc32(0L, Z_NULL, 0);
	uint64_t skip;

	skip = (uint64_t)h->off[3] + TRX_V2_BIN_SKIP;
	if (h->version == 2 && h->off[3] >= TRX_CRC_FROM &&
	    skip + TRX_V2_BIN_LEN <= h->len) {
		crc = crc32(crc, p + TRX_CRC_FROM, (uInt)(skip - TRX_CRC_FROM));
		crc = crc32(crc, ff, TRX_V2_BIN_LEN);
		crc = crc32(crc, p + skip + TRX_V2_BIN_LEN,
		            (uInt)(h->len - skip - TRX_V2_BIN_LEN));
	} else {
		crc = crc32(crc, p + TRX_CRC_FROM, h->len - TRX_CRC_FROM);
	}
	return ~(uint32_t)crc;
}

static sl_rc
trx_open(struct Sl_layer *l)
{
	struct Sl_arena *a = Sl_scan_arena(l->scan);
	struct trx_hdr h;
	uint64_t have;
	const char *desc;
	unsigned i, k, n, slot[4];

	if (!parse_header(l->data, l->len, &h))
		return SL_E_MALFORMED;
	have = h.len < l->len ? h.len : l->len;
	l->size = have;
	desc = Sl_arena_printf(a, "TRX v%u, flags 0x%04x", h.version, h.flags);
	if (have < h.len) {
		Sl_incomplete(l->scan,
		              "%s: image at offset 0x0: length 0x%x declared, "
		              "only 0x%llx bytes present (image truncated); "
		              "CRC not checked",
		              l->prefix, h.len, (unsigned long long)have);
	} else if (trx_crc(l->data, &h) != h.crc) {
		Sl_incomplete(l->scan,
		              "%s: data at offset 0x%x (0x%x bytes): CRC "
		              "mismatch (header says 0x%08x)",
		              l->prefix, TRX_CRC_FROM, h.len - TRX_CRC_FROM,
		              h.crc);
		desc = Sl_arena_printf(a, "%s; CRC mismatch", desc ? desc : "");
	}

	/*
	 * UNTRUSTED: offsets must rise inside len; the first is checked.  A
	 * zero offset is an absent partition (Broadcom images without a
	 * loader or a separate root filesystem leave a slot empty); those
	 * after it are still read, and keep their slot's number.
	 */
	slot[0] = 0;
	for (n = 1, i = 1; i < h.noff; i++) {
		if (h.off[i] == 0)
			continue;
		if (h.off[i] <= h.off[slot[n - 1]] || h.off[i] >= h.len) {
			Sl_incomplete(l->scan,
			              "%s: partition offset %u in the header "
			              "(0x%x) is not between the previous "
			              "one (0x%x) and the length (0x%x); the "
			              "partitions from there on are not "
			              "listed",
			              l->prefix, i, h.off[i],
			              h.off[slot[n - 1]], h.len);
			break;
		}
		slot[n++] = i;
	}
	for (k = 0; k < n; k++) {
		struct sl_entry e = {0};
		struct Sl_node *node;
		uint64_t start = h.off[slot[k]];
		uint64_t end = k + 1 < n ? h.off[slot[k + 1]] : h.len;
		char name[32];

		i = slot[k];
		snprintf(name, sizeof(name), "partition-%u", i);
		if (start >= have) {
			Sl_incomplete(l->scan,
			              "%s: %s at offset 0x%llx: lies past the "
			              "end of the image (truncated)",
			              l->prefix, name,
			              (unsigned long long)start);
			break;
		}
		e.type = SL_FT_REG;
		e.mode = 0644;
		e.note = Sl_arena_printf(a, "partition %u of %u, %s", i + 1,
		                         slot[n - 1] + 1, desc ? desc : "");
		if (end > have) {
			Sl_incomplete(l->scan,
			              "%s: %s at offset 0x%llx: 0x%llx bytes "
			              "declared, only 0x%llx present (image "
			              "truncated)",
			              l->prefix, name,
			              (unsigned long long)start,
			              (unsigned long long)(end - start),
			              (unsigned long long)(have - start));
			e.note = Sl_arena_printf(a, "%s; truncated",
			                         e.note ? e.note : "");
			end = have;
		}
		e.size = end - start;
		node = Sl_add(l, name, &e);
		if (node != NULL)
			node->ref = start;
	}
	return SL_OK;
}

const struct Sl_reader Sl_reader_trx = {
    .name = "trx",
    .description = "Broadcom TRX firmware image",
    .nest = SL_NEST_CARVE,
    .magics = trx_magics,
    .bid = trx_bid,
    .open = trx_open,
    .read = NULL,
    .close = NULL,
};
