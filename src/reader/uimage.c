/*
 * uimage.c - U-Boot legacy images ("uImage", made by mkimage -T kernel,
 * ramdisk, multi ...), read in place.
 *
 * The image is a 64-byte big-endian header followed by ih_size bytes of
 * payload:
 *
 *	offset  field      meaning
 *	     0  ih_magic   27 05 19 56
 *	     4  ih_hcrc    CRC-32 of the header, this field taken as zero
 *	     8  ih_time    creation time, seconds since the epoch
 *	    12  ih_size    payload bytes
 *	    16  ih_load    load address
 *	    20  ih_ep      entry point
 *	    24  ih_dcrc    CRC-32 of the payload
 *	    28  ih_os, ih_arch, ih_type, ih_comp (one byte each)
 *	    32  ih_name    32 bytes, NUL-padded
 *
 * Both CRCs are zlib's crc32().  A single image becomes one file,
 * "image-0", a slice of the payload.  A multi-file image (ih_type 4)
 * starts its payload with a zero-terminated list of big-endian sizes; the
 * images follow, each padded to 4 bytes, and become "image-0", "image-1"
 * ...  The payloads are carved further (SL_NEST_CARVE): an LZMA kernel, a
 * gzip'd ramdisk or a squashfs behind a kernel are found there.
 *
 * Trust: the magic and a header CRC that matches are required before
 * anything else is believed, so random bytes are not taken for a uImage.
 * Sizes and the multi-file size list are then checked against the payload
 * and against the bytes present.  A payload CRC that does not match, a
 * size list that runs past the payload and a payload cut short by the end
 * of the image are recorded as incomplete; what is there is still listed.
 *
 * Why hand-written: U-Boot's image.c is firmware code, not a library, and
 * no Debian package ships a library that parses these headers for reading
 * (u-boot-tools only has the mkimage/dumpimage programs).  The format is a
 * fixed header and a size list; zlib's crc32() does the checksums.
 */
#include <stdio.h>

#include <zlib.h>

#include "../sl.h"

#define UIMAGE_HDR    64
#define UIMAGE_MAGIC  0x27051956u
#define IH_TYPE_MULTI 4
/* Images in one multi-file uImage before the rest are not listed. */
#define UIMAGE_MAX_PARTS 4096

static const struct Sl_magic uimage_magics[] = {
    {"\x27\x05\x19\x56", 4, 0},
    {NULL, 0, 0},
};

/* Names of the header's enumerations, as U-Boot's image.c spells them. */
static const char *const os_names[] = {
    "invalid",  "openbsd",
    "netbsd",   "freebsd",
    "4_4bsd",   "linux",
    "svr4",     "esix",
    "solaris",  "irix",
    "sco",      "dell",
    "ncr",      "lynxos",
    "vxworks",  "psos",
    "qnx",      "u-boot",
    "rtems",    "artos",
    "unity",    "integrity",
    "ose",      "plan9",
    "openrtos", "arm-trusted-firmware",
    "tee",      "opensbi",
    "efi",
};
static const char *const arch_names[] = {
    "invalid",    "alpha", "arm",      "x86",    "ia64",    "mips",    "mips64",
    "powerpc",    "s390",  "sh",       "sparc",  "sparc64", "m68k",    "nios",
    "microblaze", "nios2", "blackfin", "avr32",  "st200",   "sandbox", "nds32",
    "or1k",       "arm64", "arc",      "x86_64", "xtensa",  "riscv",
};
static const char *const type_names[] = {
    "invalid",      "standalone",   "kernel",        "ramdisk",
    "multi",        "firmware",     "script",        "filesystem",
    "flat_dt",      "kwbimage",     "imximage",      "ublimage",
    "omapimage",    "aisimage",     "kernel_noload", "pblimage",
    "mxsimage",     "gpimage",      "atmelimage",    "socfpgaimage",
    "x86_setup",    "lpc32xximage", "loadables",     "rkimage",
    "rksd",         "rkspi",        "zynqimage",     "zynqmpimage",
    "zynqmpbif",    "fpga",         "vybridimage",   "tee",
    "firmware_ivt", "pmmc",         "stm32image",    "socfpgaimage_v1",
    "mtk_image",
};
static const char *const comp_names[] = {
    "none", "gzip", "bzip2", "lzma", "lzo", "lz4", "zstd",
};

/* The header, decoded. */
struct uimage_hdr {
	uint32_t hcrc, time, size, load, ep, dcrc;
	uint8_t os, arch, type, comp;
	char name[33]; /* printable ASCII only */
};

/* A name from one of the tables above, or its number in the arena. */
static const char *
enum_name(struct Sl_arena *a, const char *const *tab, size_t n, uint8_t v)
{
	if (v < n)
		return tab[v];
	return Sl_arena_printf(a, "%u", v);
}

/* The CRC-32 of the header with ih_hcrc taken as zero. */
static uint32_t
header_crc(const uint8_t *p)
{
	static const uint8_t zero[4];
	uLong crc = crc32(0L, Z_NULL, 0);

	crc = crc32(crc, p, 4);
	crc = crc32(crc, zero, 4);
	crc = crc32(crc, p + 8, UIMAGE_HDR - 8);
	return (uint32_t)crc;
}

static bool
header_ok(const uint8_t *p, size_t n)
{
	return n >= UIMAGE_HDR && Sl_get_be32(p) == UIMAGE_MAGIC &&
	       Sl_get_be32(p + 4) == header_crc(p);
}

static int
uimage_bid(const uint8_t *p, size_t n)
{
	/* 32 bits of magic and 32 of header CRC: as sure as it gets. */
	return header_ok(p, n) ? 95 : 0;
}

static void
parse_header(const uint8_t *p, struct uimage_hdr *h)
{
	struct Sl_rd r;
	size_t i;

	Sl_rd_init(&r, p + 4, UIMAGE_HDR - 4);
	h->hcrc = Sl_rd_be32(&r);
	h->time = Sl_rd_be32(&r);
	h->size = Sl_rd_be32(&r);
	h->load = Sl_rd_be32(&r);
	h->ep = Sl_rd_be32(&r);
	h->dcrc = Sl_rd_be32(&r);
	h->os = Sl_rd_u8(&r);
	h->arch = Sl_rd_u8(&r);
	h->type = Sl_rd_u8(&r);
	h->comp = Sl_rd_u8(&r);
	/* The name is NUL-padded, not always NUL-terminated. */
	for (i = 0; i < 32 && p[32 + i] != 0; i++)
		h->name[i] = p[32 + i] >= 0x20 && p[32 + i] < 0x7f
		                 ? (char)p[32 + i]
		                 : '?';
	h->name[i] = 0;
}

/*
 * Add one payload file of size bytes at offset off from the header, of
 * which avail are present.  note is an arena string or NULL.
 */
static sl_rc
add_image(struct Sl_layer *l, const struct uimage_hdr *h, unsigned idx,
          uint64_t off, uint64_t size, uint64_t avail, const char *note)
{
	struct Sl_arena *a = Sl_scan_arena(l->scan);
	struct sl_entry e = {0};
	struct Sl_node *n;
	char name[32];

	snprintf(name, sizeof(name), "image-%u", idx);
	e.type = SL_FT_REG;
	e.mode = 0644;
	e.mtime = h->time;
	e.size = avail < size ? avail : size;
	if (avail == 0 && size > 0) {
		Sl_incomplete(l->scan,
		              "%s: %s at offset 0x%llx: lies past the end of "
		              "the image (truncated)",
		              l->prefix, name, (unsigned long long)off);
		return SL_OK;
	}
	if (avail < size) {
		Sl_incomplete(l->scan,
		              "%s: %s at offset 0x%llx: 0x%llx bytes declared, "
		              "only 0x%llx present (image truncated)",
		              l->prefix, name, (unsigned long long)off,
		              (unsigned long long)size,
		              (unsigned long long)avail);
		note =
		    Sl_arena_printf(a,
		                    "%s; truncated: 0x%llx of 0x%llx "
		                    "bytes",
		                    note ? note : "", (unsigned long long)avail,
		                    (unsigned long long)size);
	}
	e.note = note;
	n = Sl_add(l, name, &e);
	if (n == NULL)
		return SL_OK; /* refused or out of memory: skip it */
	n->ref = off;
	return SL_OK;
}

/*
 * The multi-file layout: the size list, then the images, each padded to 4
 * bytes.  end is the end of the declared payload, have the end of the
 * bytes present (both from the header's start).
 */
static void
open_multi(struct Sl_layer *l, const struct uimage_hdr *h, const char *desc,
           uint64_t end, uint64_t have)
{
	struct Sl_arena *a = Sl_scan_arena(l->scan);
	uint64_t list = UIMAGE_HDR, off, limit = end < have ? end : have;
	unsigned i, count = 0;

	/* UNTRUSTED: the list is bounded by the payload and the image. */
	for (;;) {
		if (list + 4 > limit) {
			Sl_incomplete(l->scan,
			              "%s: multi-file size list at offset "
			              "0x%x: no terminating zero before "
			              "offset 0x%llx",
			              l->prefix, UIMAGE_HDR,
			              (unsigned long long)limit);
			return;
		}
		if (Sl_get_be32(l->data + list) == 0)
			break;
		list += 4;
		count++;
	}
	off = list + 4;
	for (i = 0; i < count; i++) {
		uint64_t size = Sl_get_be32(l->data + UIMAGE_HDR + 4 * i);
		const char *note;

		if (i >= UIMAGE_MAX_PARTS) {
			Sl_incomplete(l->scan,
			              "%s: more than %u images in a multi-file "
			              "image; the rest are not listed",
			              l->prefix, UIMAGE_MAX_PARTS);
			return;
		}
		/* UNTRUSTED: size is 32 bits; off stays below 2^34. */
		if (off > end || size > end - off) {
			Sl_incomplete(l->scan,
			              "%s: image-%u at offset 0x%llx: size "
			              "0x%llx runs past the payload's end at "
			              "0x%llx",
			              l->prefix, i, (unsigned long long)off,
			              (unsigned long long)size,
			              (unsigned long long)end);
			return;
		}
		note =
		    Sl_arena_printf(a, "part %u of %u, %s", i + 1, count, desc);
		(void)add_image(l, h, i, off, size, off < have ? have - off : 0,
		                note);
		off += (size + 3) & ~(uint64_t)3;
	}
}

static sl_rc
uimage_open(struct Sl_layer *l)
{
	struct Sl_arena *a = Sl_scan_arena(l->scan);
	struct uimage_hdr h = {0};
	uint64_t end, have;
	const char *desc;

	if (!header_ok(l->data, l->len))
		return SL_E_MALFORMED;
	parse_header(l->data, &h);
	/* UNTRUSTED: ih_size; 64 + 2^32 cannot overflow 64 bits. */
	end = UIMAGE_HDR + (uint64_t)h.size;
	have = end < l->len ? end : l->len;
	l->size = have;

	desc = Sl_arena_printf(
	    a, "%s, %s, %s, %s: %s",
	    enum_name(a, type_names, SL_ARRAY_LEN(type_names), h.type),
	    enum_name(a, comp_names, SL_ARRAY_LEN(comp_names), h.comp),
	    enum_name(a, arch_names, SL_ARRAY_LEN(arch_names), h.arch),
	    enum_name(a, os_names, SL_ARRAY_LEN(os_names), h.os), h.name);
	if (have < end) {
		/* add_image names the place; the CRC cannot be checked. */
	} else if ((uint32_t)crc32(crc32(0L, Z_NULL, 0), l->data + UIMAGE_HDR,
	                           (uInt)h.size) != h.dcrc) {
		Sl_incomplete(l->scan,
		              "%s: payload at offset 0x%x (0x%x bytes): data "
		              "CRC mismatch (header says 0x%08x)",
		              l->prefix, UIMAGE_HDR, h.size, h.dcrc);
		desc = Sl_arena_printf(a, "%s; data CRC mismatch",
		                       desc ? desc : "");
	}
	if (h.type == IH_TYPE_MULTI)
		open_multi(l, &h, desc, end, have);
	else
		(void)add_image(l, &h, 0, UIMAGE_HDR, h.size, have - UIMAGE_HDR,
		                desc);
	return SL_OK;
}

const struct Sl_reader Sl_reader_uimage = {
    .name = "uimage",
    .description = "U-Boot legacy image (uImage)",
    .nest = SL_NEST_CARVE,
    .magics = uimage_magics,
    .bid = uimage_bid,
    .open = uimage_open,
    .read = NULL,
    .close = NULL,
};
