/*
 * ubi.c - UBI images (ubinize output, or a raw dump of the UBI area of a
 * NAND or NOR flash), read in place.
 *
 * UBI cuts the flash into physical eraseblocks (PEBs) of one size.  Each
 * PEB starts with two big-endian 64-byte headers, each closed by a CRC-32
 * of its first 60 bytes:
 *
 *	PEB +0               erase counter header "UBI#": version,
 *	                     erase count, vid_hdr_offset, data_offset,
 *	                     image_seq
 *	PEB +vid_hdr_offset  volume identifier header "UBI!": vol_type,
 *	                     copy_flag, vol_id, lnum, data_size, used_ebs,
 *	                     data_pad, data_crc, sqnum (all 0xff: PEB free)
 *	PEB +data_offset     the logical eraseblock's (LEB's) data
 *
 * A volume is the sequence of its LEBs in lnum order.  Where two PEBs
 * hold the same LEB (an interrupted wear-levelling move), the one with the
 * higher sequence number wins, unless it is a copy whose data CRC fails.
 * The layout volume (vol_id 0x7fffefff) holds the volume table twice, in
 * its LEBs 0 and 1: 172-byte records, one per vol_id, each with its own
 * CRC, giving the volume's name, type and reserved size.
 *
 * The PEB size is written nowhere.  It is found as the greatest common
 * divisor of the offsets of the valid erase counter headers of the same
 * image (image_seq), looked for every 16 KiB (PEBs are powers of two from
 * 16 KiB to 2 MiB), so an erased or damaged PEB does not mislead it.  The
 * UBI area ends after the last PEB with an erase counter header; erased
 * PEBs and a few bad blocks (neither header nor 0xff) inside it are
 * skipped, as in a raw flash dump.
 *
 * Each volume becomes one file named after the volume ("rootfs",
 * "rootfs_data"), assembled in read() from its LEBs; it is offered whole
 * to the readers (a UBIFS or squashfs volume is opened by its reader).
 * Dynamic volumes end after their highest mapped LEB, and unmapped LEBs
 * read as 0xff as they do on a device: UBIFS unmaps LEBs it does not use,
 * so a gap there is not damage.  A static volume is used_ebs LEBs of
 * data_size bytes, each checked against its data CRC; a LEB it lacks is
 * filled with 0xff and recorded as incomplete.
 *
 * Trust: a CRC that matches is required on every header before it is
 * believed, and on the first erase counter header before anything is
 * opened, so random bytes are never taken for UBI.  Offsets, LEB numbers
 * and sizes are then bounded by the PEB size and by the bytes present.
 * Damaged headers, an unreadable volume table, missing static LEBs and
 * PEBs cut off by the end of the image are recorded as incomplete; every
 * volume that can be read is still listed.  Raw dumps with the NAND
 * spare (OOB) bytes interleaved are not understood.
 *
 * Why hand-written: UBI is read by the Linux kernel (drivers/mtd/ubi) and
 * by U-Boot, neither a userspace library; mtd-utils only writes images
 * (ubinize) or drives the kernel through /dev/ubi*, and no Debian package
 * ships a library that reads a UBI image from a file.  The format is the
 * two headers above and the volume table; zlib's crc32() does the CRCs.
 */
#include <stdio.h>
#include <stdlib.h>

#include <zlib.h>

#include "../sl.h"

#define UBI_HDR          64
#define UBI_EC_MAGIC     0x55424923u /* "UBI#" */
#define UBI_VID_MAGIC    0x55424921u /* "UBI!" */
#define UBI_LAYOUT_VOL   0x7fffefffu
#define UBI_MAX_VOLUMES  128
#define UBI_VTBL_REC     172
#define UBI_VOL_NAME_MAX 127
/* Volume types, in the volume table and the VID header alike. */
#define UBI_VID_DYNAMIC 1
#define UBI_VID_STATIC  2
#define UBI_MIN_PEB     (16U << 10)
#define UBI_MAX_PEB     (2U << 20)
/* Valid headers looked at to find the PEB size. */
#define UBI_GCD_HEADERS 64
/* Consecutive unreadable PEBs (bad blocks) tolerated inside the area. */
#define UBI_MAX_BAD_RUN 4

static const struct Sl_magic ubi_magics[] = {
    {"UBI#\x01", 5, 0},
    {NULL, 0, 0},
};

/* One PEB that holds a LEB. */
struct ubi_leb {
	uint32_t vol_id;
	uint32_t lnum;
	uint64_t sqnum;
	uint64_t peb;       /* PEB number */
	uint64_t off;       /* offset of the LEB's data in the layer */
	uint32_t avail;     /* data bytes present in the image */
	uint32_t data_size; /* static volumes and copies: bytes used */
	uint32_t data_crc;
	uint32_t used_ebs;
	uint32_t data_pad;
	uint8_t vol_type;
	uint8_t copy_flag;
};

struct ubi_vol {
	uint32_t id;
	uint8_t type; /* UBI_VID_DYNAMIC or UBI_VID_STATIC */
	bool named;
	char name[UBI_VOL_NAME_MAX + 1];
	uint32_t reserved; /* reserved PEBs; 0 when unknown */
	uint32_t data_pad;
	uint32_t leb_size;         /* usable bytes of one LEB */
	const struct ubi_leb *leb; /* its LEBs, one per lnum, by lnum */
	size_t nleb;
	uint64_t nlnum;     /* LEBs the content spans */
	uint64_t size;      /* content bytes */
	uint32_t last_size; /* static: bytes of the last LEB */
};

struct ubi {
	uint32_t peb_size;
	uint32_t vid_off;
	uint32_t data_off;
	struct ubi_leb *leb; /* sorted by vol_id, lnum; duplicates removed */
	size_t nleb;
	struct ubi_vol vol[UBI_MAX_VOLUMES];
	size_t nvol;
};

static uint32_t
ubi_crc(const uint8_t *p, size_t n)
{
	return Sl_crc32_le(0xffffffffU, p, n);
}

/* Does p[0..n) have CRC want (see Sl_crc_match)? */
static bool
crc_ok(const uint8_t *p, size_t n, uint32_t want)
{
	return Sl_crc_match(ubi_crc(p, n), want);
}

static bool
hdr_ok(const uint8_t *p, uint32_t magic)
{
	return Sl_get_be32(p) == magic &&
	       crc_ok(p, UBI_HDR - 4, Sl_get_be32(p + UBI_HDR - 4));
}

static bool
all_ff(const uint8_t *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (p[i] != 0xff)
			return false;
	return true;
}

static int
ubi_bid(const uint8_t *p, size_t n)
{
	if (n < UBI_HDR || !hdr_ok(p, UBI_EC_MAGIC) || p[4] != 1)
		return 0;
	return 95;
}

static uint64_t
gcd64(uint64_t a, uint64_t b)
{
	while (b != 0) {
		uint64_t t = a % b;

		a = b;
		b = t;
	}
	return a;
}

/*
 * The PEB size: the greatest common divisor of the offsets of valid erase
 * counter headers of this image (same image_seq), taken at 16 KiB steps;
 * the largest power of two dividing it.  0 when no second header is found.
 */
static uint32_t
find_peb_size(const uint8_t *d, size_t len)
{
	uint32_t seq = Sl_get_be32(d + 24);
	uint64_t g = 0, off;
	unsigned seen = 0;
	uint32_t sz;

	for (off = UBI_MIN_PEB; off + UBI_HDR <= len && seen < UBI_GCD_HEADERS;
	     off += UBI_MIN_PEB) {
		if (g != 0 && g <= UBI_MIN_PEB)
			break;
		/* A header farther than 2 MiB beyond the first is no PEB. */
		if (g == 0 && off > UBI_MAX_PEB)
			break;
		if (!hdr_ok(d + off, UBI_EC_MAGIC) ||
		    Sl_get_be32(d + off + 24) != seq)
			continue;
		g = gcd64(g, off);
		seen++;
	}
	if (g < UBI_MIN_PEB)
		return 0;
	for (sz = UBI_MAX_PEB; sz >= UBI_MIN_PEB; sz >>= 1)
		if (g % sz == 0)
			return sz;
	return 0;
}

static int
leb_cmp(const void *x, const void *y)
{
	const struct ubi_leb *a = x, *b = y;

	if (a->vol_id != b->vol_id)
		return a->vol_id < b->vol_id ? -1 : 1;
	if (a->lnum != b->lnum)
		return a->lnum < b->lnum ? -1 : 1;
	if (a->sqnum != b->sqnum)
		return a->sqnum > b->sqnum ? -1 : 1; /* newest first */
	return a->peb < b->peb ? -1 : a->peb > b->peb;
}

/* Is this PEB's copy of its LEB whole (its data CRC matches)? */
static bool
copy_ok(const struct Sl_layer *l, const struct ubi_leb *e)
{
	if (e->data_size > e->avail)
		return false;
	return crc_ok(l->data + e->off, e->data_size, e->data_crc);
}

/*
 * Read every PEB's headers into u->leb.  Returns the layer size: the end of
 * the last PEB that carries an erase counter header.
 */
static uint64_t
scan_pebs(struct Sl_layer *l, struct ubi *u)
{
	struct sl_scan *s = l->scan;
	uint64_t npeb = (l->len + u->peb_size - 1) / u->peb_size, i;
	uint64_t end = 0;
	unsigned bad_run = 0;
	uint32_t seq = Sl_get_be32(l->data + 24);

	u->leb = calloc(npeb, sizeof(*u->leb));
	if (u->leb == NULL)
		return 0;
	for (i = 0; i < npeb; i++) {
		const uint8_t *p = l->data + i * u->peb_size;
		size_t have = l->len - (size_t)(i * u->peb_size);
		const uint8_t *v;
		struct ubi_leb *e;

		if (have < UBI_HDR ||
		    (Sl_get_be32(p) != UBI_EC_MAGIC && !all_ff(p, UBI_HDR))) {
			/* A bad block, or the end of the UBI area. */
			if (++bad_run > UBI_MAX_BAD_RUN)
				break;
			continue;
		}
		if (Sl_get_be32(p) != UBI_EC_MAGIC) {
			bad_run = 0; /* an erased PEB */
			continue;
		}
		if (!hdr_ok(p, UBI_EC_MAGIC)) {
			Sl_incomplete(s,
			              "%s: PEB %llu at offset 0x%llx: erase "
			              "counter header CRC mismatch",
			              l->prefix, (unsigned long long)i,
			              (unsigned long long)(i * u->peb_size));
		} else if (Sl_get_be32(p + 24) != seq) {
			/* Another UBI image follows this one. */
			break;
		}
		if (bad_run > 0)
			Sl_incomplete(s,
			              "%s: %u unreadable PEB(s) before offset "
			              "0x%llx skipped",
			              l->prefix, bad_run,
			              (unsigned long long)(i * u->peb_size));
		bad_run = 0;
		end = (i + 1) * u->peb_size;
		if (end > l->len)
			end = l->len;
		/* UNTRUSTED: vid_off and data_off were bounded by open. */
		if (have < (size_t)u->vid_off + UBI_HDR) {
			Sl_incomplete(s,
			              "%s: PEB %llu at offset 0x%llx is cut "
			              "short by the end of the image",
			              l->prefix, (unsigned long long)i,
			              (unsigned long long)(i * u->peb_size));
			continue;
		}
		v = p + u->vid_off;
		if (all_ff(v, UBI_HDR))
			continue; /* free PEB: no LEB mapped to it */
		if (!hdr_ok(v, UBI_VID_MAGIC)) {
			Sl_incomplete(s,
			              "%s: PEB %llu at offset 0x%llx: volume "
			              "identifier header damaged; its LEB is "
			              "lost",
			              l->prefix, (unsigned long long)i,
			              (unsigned long long)(i * u->peb_size));
			continue;
		}
		if (have < u->peb_size)
			Sl_incomplete(s,
			              "%s: PEB %llu at offset 0x%llx is cut "
			              "short by the end of the image (%zu of "
			              "%u bytes); the rest of its LEB reads "
			              "as 0xff",
			              l->prefix, (unsigned long long)i,
			              (unsigned long long)(i * u->peb_size),
			              have, u->peb_size);
		e = &u->leb[u->nleb];
		e->vol_type = v[5];
		e->copy_flag = v[6];
		e->vol_id = Sl_get_be32(v + 8);
		e->lnum = Sl_get_be32(v + 12);
		e->data_size = Sl_get_be32(v + 20);
		e->used_ebs = Sl_get_be32(v + 24);
		e->data_pad = Sl_get_be32(v + 28);
		e->data_crc = Sl_get_be32(v + 32);
		e->sqnum =
		    (uint64_t)Sl_get_be32(v + 40) << 32 | Sl_get_be32(v + 44);
		e->peb = i;
		e->off = i * u->peb_size + u->data_off;
		/* UNTRUSTED: data_pad comes from the image. */
		if (e->data_pad > u->peb_size - u->data_off)
			e->data_pad = u->peb_size - u->data_off;
		e->avail = u->peb_size - u->data_off - e->data_pad;
		if (have < (size_t)u->data_off)
			e->avail = 0;
		else if (have - u->data_off < e->avail)
			e->avail = (uint32_t)(have - u->data_off);
		if (e->vol_id >= UBI_MAX_VOLUMES && e->vol_id != UBI_LAYOUT_VOL)
			continue; /* an internal volume this reader ignores */
		u->nleb++;
	}
	if (u->nleb > 1)
		qsort(u->leb, u->nleb, sizeof(*u->leb), leb_cmp);
	return end;
}

/*
 * Keep one PEB per LEB: the newest, unless it is a copy whose data CRC
 * fails (a move cut short), in which case the next newest.
 */
static void
dedup_lebs(struct Sl_layer *l, struct ubi *u)
{
	size_t i = 0, j, out = 0;

	while (i < u->nleb) {
		const struct ubi_leb *e = &u->leb[i];
		size_t pick = i;

		for (j = i + 1; j < u->nleb; j++)
			if (u->leb[j].vol_id != e->vol_id ||
			    u->leb[j].lnum != e->lnum)
				break;
		while (pick + 1 < j && u->leb[pick].copy_flag &&
		       !copy_ok(l, &u->leb[pick]))
			pick++;
		u->leb[out++] = u->leb[pick];
		i = j;
	}
	u->nleb = out;
}

static const struct ubi_leb *
find_leb(const struct ubi *u, uint32_t vol_id, uint32_t lnum)
{
	size_t lo = 0, hi = u->nleb;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct ubi_leb *e = &u->leb[mid];

		if (e->vol_id == vol_id && e->lnum == lnum)
			return e;
		if (e->vol_id < vol_id ||
		    (e->vol_id == vol_id && e->lnum < lnum))
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/*
 * Read the volume table from one copy (a LEB of the layout volume) into
 * u->vol.  Returns false when any record's CRC fails.
 */
static bool
read_vtbl(const struct Sl_layer *l, struct ubi *u, const struct ubi_leb *e)
{
	size_t nrec, i;

	if (e == NULL)
		return false;
	nrec = e->avail / UBI_VTBL_REC;
	if (nrec > UBI_MAX_VOLUMES)
		nrec = UBI_MAX_VOLUMES;
	if (nrec == 0)
		return false;
	for (i = 0; i < nrec; i++) {
		const uint8_t *r = l->data + e->off + i * UBI_VTBL_REC;

		if (!crc_ok(r, UBI_VTBL_REC - 4,
		            Sl_get_be32(r + UBI_VTBL_REC - 4)))
			return false;
	}
	u->nvol = 0;
	for (i = 0; i < nrec; i++) {
		const uint8_t *r = l->data + e->off + i * UBI_VTBL_REC;
		struct ubi_vol *v;
		uint16_t nlen = Sl_get_be16(r + 14);

		if (Sl_get_be32(r) == 0)
			continue; /* an empty slot */
		v = &u->vol[u->nvol++];
		memset(v, 0, sizeof(*v));
		v->id = (uint32_t)i;
		v->reserved = Sl_get_be32(r);
		v->data_pad = Sl_get_be32(r + 8);
		v->type =
		    r[12] == UBI_VID_STATIC ? UBI_VID_STATIC : UBI_VID_DYNAMIC;
		/* UNTRUSTED: name_len is bounded by the name field. */
		if (nlen > UBI_VOL_NAME_MAX)
			nlen = UBI_VOL_NAME_MAX;
		memcpy(v->name, r + 16, nlen);
		v->name[nlen] = '\0';
		v->named = true;
		if (r[13] != 0)
			Sl_incomplete(l->scan,
			              "%s: volume %zu (\"%.127s\"): an update "
			              "of it was interrupted; its content is "
			              "not whole",
			              l->prefix, i, v->name);
	}
	return true;
}

/* Without a volume table: one volume per vol_id seen, named vol_<id>. */
static void
guess_volumes(struct ubi *u)
{
	size_t i;

	u->nvol = 0;
	for (i = 0; i < u->nleb && u->nvol < UBI_MAX_VOLUMES; i++) {
		struct ubi_vol *v;

		if (u->leb[i].vol_id == UBI_LAYOUT_VOL)
			continue;
		if (u->nvol > 0 && u->vol[u->nvol - 1].id == u->leb[i].vol_id)
			continue;
		v = &u->vol[u->nvol++];
		memset(v, 0, sizeof(*v));
		v->id = u->leb[i].vol_id;
		v->type = u->leb[i].vol_type == UBI_VID_STATIC
		              ? UBI_VID_STATIC
		              : UBI_VID_DYNAMIC;
		v->data_pad = u->leb[i].data_pad;
		snprintf(v->name, sizeof(v->name), "vol_%u", v->id);
	}
}

/* Work out a volume's LEBs and size; record what is missing or damaged. */
static void
size_volume(struct Sl_layer *l, struct ubi *u, struct ubi_vol *v)
{
	struct sl_scan *s = l->scan;
	size_t i, first = u->nleb;
	uint64_t lnum;
	uint32_t used = 0, missing = 0;

	for (i = 0; i < u->nleb; i++)
		if (u->leb[i].vol_id == v->id) {
			first = i;
			break;
		}
	for (i = first; i < u->nleb && u->leb[i].vol_id == v->id; i++)
		;
	v->leb = u->leb + first;
	v->nleb = i - first;
	/* UNTRUSTED: data_pad comes from the volume table. */
	if (v->data_pad >= u->peb_size - u->data_off)
		v->data_pad = 0;
	v->leb_size = u->peb_size - u->data_off - v->data_pad;
	/* LEBs past the reserved count are stale; the kernel drops them. */
	if (v->reserved != 0)
		while (v->nleb > 0 && v->leb[v->nleb - 1].lnum >= v->reserved)
			v->nleb--;
	if (v->nleb == 0) {
		/* An empty dynamic volume is normal; a static one is not. */
		if (v->type == UBI_VID_STATIC)
			Sl_incomplete(s,
			              "%s: volume \"%s\": none of its LEBs "
			              "was found; listed empty",
			              l->prefix, v->name);
		return;
	}
	if (v->type == UBI_VID_DYNAMIC) {
		v->nlnum = (uint64_t)v->leb[v->nleb - 1].lnum + 1;
		v->size = v->nlnum * v->leb_size;
		return;
	}
	/* Static: used_ebs LEBs, the last one holding data_size bytes. */
	used = v->leb[0].used_ebs;
	/* UNTRUSTED: used_ebs from the image; bounded by the LEBs' lnums. */
	if (v->reserved != 0 && used > v->reserved)
		used = v->reserved;
	if (used == 0) {
		Sl_incomplete(s, "%s: volume \"%s\": used_ebs is 0", l->prefix,
		              v->name);
		return;
	}
	v->nlnum = used;
	for (i = 0; i < v->nleb; i++) {
		const struct ubi_leb *e = &v->leb[i];

		if (e->lnum >= used)
			break;
		if (e->data_size > v->leb_size || e->data_size > e->avail) {
			Sl_incomplete(
			    s,
			    "%s: volume \"%s\" LEB %u (PEB at "
			    "offset 0x%llx): data cut short or "
			    "data_size too large",
			    l->prefix, v->name, e->lnum,
			    (unsigned long long)(e->off - u->data_off));
			continue;
		}
		if (!crc_ok(l->data + e->off, e->data_size, e->data_crc))
			Sl_incomplete(
			    s,
			    "%s: volume \"%s\" LEB %u (PEB at "
			    "offset 0x%llx): data CRC mismatch",
			    l->prefix, v->name, e->lnum,
			    (unsigned long long)(e->off - u->data_off));
	}
	v->nleb = i;
	for (lnum = 0, i = 0; lnum < used; lnum++) {
		if (i < v->nleb && v->leb[i].lnum == lnum) {
			i++;
			continue;
		}
		if (missing++ < 4)
			Sl_incomplete(s,
			              "%s: volume \"%s\": LEB %llu of %u is "
			              "missing; filled with 0xff",
			              l->prefix, v->name,
			              (unsigned long long)lnum, used);
	}
	if (missing > 4)
		Sl_incomplete(s, "%s: volume \"%s\": %u LEBs are missing",
		              l->prefix, v->name, missing);
	v->last_size = v->leb_size;
	if (v->nleb > 0 && v->leb[v->nleb - 1].lnum == used - 1 &&
	    v->leb[v->nleb - 1].data_size <= v->leb_size)
		v->last_size = v->leb[v->nleb - 1].data_size;
	v->size = (uint64_t)(used - 1) * v->leb_size + v->last_size;
}

/* A volume name usable as one path component: no '/', not "." or "..". */
static void
volume_node_name(const struct ubi *u, const struct ubi_vol *v, char *out,
                 size_t outlen)
{
	size_t i;

	snprintf(out, outlen, "%s", v->name);
	for (i = 0; out[i]; i++)
		if (out[i] == '/')
			out[i] = '_';
	if (out[0] == '\0' || strcmp(out, ".") == 0 || strcmp(out, "..") == 0)
		snprintf(out, outlen, "vol_%u", v->id);
	/* Volume names are unique in a sane table; make them so. */
	for (i = 0; i < u->nvol && &u->vol[i] != v; i++)
		if (strcmp(u->vol[i].name, v->name) == 0) {
			snprintf(out, outlen, "vol_%u", v->id);
			break;
		}
}

static void
ubi_close(struct Sl_layer *l)
{
	struct ubi *u = l->priv;

	if (u != NULL) {
		free(u->leb);
		free(u);
	}
	l->priv = NULL;
}

static sl_rc
ubi_open(struct Sl_layer *l)
{
	struct sl_scan *s = l->scan;
	struct ubi *u;
	uint64_t end;
	size_t i;

	if (l->len < UBI_HDR || !hdr_ok(l->data, UBI_EC_MAGIC) ||
	    l->data[4] != 1)
		return SL_E_MALFORMED;
	u = calloc(1, sizeof(*u));
	if (u == NULL)
		return SL_E_NOMEM;
	l->priv = u;
	u->peb_size = find_peb_size(l->data, l->len);
	/* UNTRUSTED: the offsets must leave room for both headers. */
	u->vid_off = Sl_get_be32(l->data + 16);
	u->data_off = Sl_get_be32(l->data + 20);
	if (u->peb_size == 0 || u->vid_off < UBI_HDR ||
	    u->vid_off > u->peb_size - UBI_HDR ||
	    u->data_off < u->vid_off + UBI_HDR || u->data_off >= u->peb_size) {
		ubi_close(l);
		return SL_E_MALFORMED;
	}
	end = scan_pebs(l, u);
	if (end == 0 || u->leb == NULL) {
		ubi_close(l);
		return u->leb == NULL ? SL_E_NOMEM : SL_E_MALFORMED;
	}
	dedup_lebs(l, u);
	if (!read_vtbl(l, u, find_leb(u, UBI_LAYOUT_VOL, 0)) &&
	    !read_vtbl(l, u, find_leb(u, UBI_LAYOUT_VOL, 1))) {
		Sl_incomplete(s,
		              "%s: the volume table (layout volume) is "
		              "missing or damaged; volumes are named by id",
		              l->prefix);
		guess_volumes(u);
	}
	l->size = end;
	for (i = 0; i < u->nvol; i++) {
		struct ubi_vol *v = &u->vol[i];
		struct sl_entry e = {0};
		struct Sl_node *n;
		char name[UBI_VOL_NAME_MAX + 16];

		size_volume(l, u, v);
		volume_node_name(u, v, name, sizeof(name));
		e.type = SL_FT_REG;
		e.mode = 0644;
		e.size = v->size;
		e.note = v->type == UBI_VID_STATIC ? "UBI static volume"
		                                   : "UBI dynamic volume";
		n = Sl_add(l, name, &e);
		if (n == NULL)
			continue;
		n->ref = v->id;
		n->priv = v;
	}
	return SL_OK;
}

static sl_rc
ubi_read(struct Sl_layer *l, const struct Sl_node *node, const uint8_t **data,
         size_t *len, struct Sl_buf *tmp)
{
	const struct ubi_vol *v = node->priv;
	uint64_t lnum, left = node->e.size;
	size_t i = 0;
	sl_rc rc;

	if (node->e.size == 0) {
		*data = (const uint8_t *)"";
		*len = 0;
		return SL_OK;
	}
	rc = Sl_buf_reserve(tmp, (size_t)node->e.size);
	if (rc != SL_OK)
		return rc;
	for (lnum = 0; lnum < v->nlnum && left > 0; lnum++) {
		size_t want = left < v->leb_size ? (size_t)left : v->leb_size;
		uint8_t *out = tmp->p + tmp->n;
		size_t got = 0;

		while (i < v->nleb && v->leb[i].lnum < lnum)
			i++;
		if (i < v->nleb && v->leb[i].lnum == lnum) {
			got = v->leb[i].avail < want ? v->leb[i].avail : want;
			memcpy(out, l->data + v->leb[i].off, got);
		}
		memset(out + got, 0xff, want - got);
		tmp->n += want;
		left -= want;
	}
	*data = tmp->p;
	*len = tmp->n;
	return SL_OK;
}

const struct Sl_reader Sl_reader_ubi = {
    .name = "ubi",
    .description = "UBI image (ubinize output or raw flash dump)",
    .nest = SL_NEST_WHOLE,
    .magics = ubi_magics,
    .bid = ubi_bid,
    .open = ubi_open,
    .read = ubi_read,
    .close = ubi_close,
};
