/*
 * ubifs.c - UBIFS file systems (mkfs.ubifs output, or a volume the UBI
 * reader assembled), read in place.
 *
 * A UBIFS image is a sequence of logical eraseblocks (LEBs) of leb_size
 * bytes.  Everything in it is a node: a little-endian common header
 * (magic 0x06101831, CRC-32 of the node from byte 8, sequence number,
 * length, type) and a body, at 8-byte aligned offsets:
 *
 *	LEB 0             superblock node: leb_size, leb_cnt, log_lebs ...
 *	LEB 1, 2          master nodes (the newest wins): the root of the
 *	                  index, the commit number, the log's first LEB
 *	LEB 3 ..          the log: a commit start node, then reference
 *	                  nodes naming the journal's buds (LEBs written since
 *	                  the last commit)
 *	LPT, orphan LEBs  free-space accounting, not needed to read files
 *	main area         inode, directory entry and data nodes, and the
 *	                  index: a B-tree of index nodes whose level-0
 *	                  branches point at the leaf nodes
 *
 * The reader does what the kernel does when it mounts: it walks the
 * index from the newest master node's root, then replays the journal (the
 * buds the log names) over it in sequence-number order, so files written
 * after the last commit are seen and deleted ones are not.  Scanning
 * every LEB for nodes instead would be simpler, but it would bring back
 * deleted and overwritten files; it is done only when no master node or
 * index root can be read, and is then recorded as incomplete.
 *
 * Inode nodes give mode, owner, size, mtime and, inline, a symbolic
 * link's target; directory entry nodes give (parent inode, name, inode);
 * paths are built from them with bounded depth and cycle checks.  A
 * file's content is its data nodes, one per 4 KiB block, each stored
 * plainly or compressed with LZO (liblzo2), zlib (raw deflate) or zstd;
 * read() decompresses them into the caller's buffer, and blocks without
 * a node are holes (zeros).  Extended attributes are skipped.
 *
 * Trust: every node's CRC is checked before it is believed.  LEB numbers,
 * offsets and lengths from the index and the log are bounded by the
 * superblock's geometry and by the bytes present; index levels must
 * strictly decrease and the number of nodes visited is bounded by what
 * the image can hold, so a looping index ends.  A node that is damaged or
 * cut off by the end of the image is recorded as incomplete with its LEB
 * and offset, and what remains is still listed.  Encrypted files
 * (fscrypt) and authentication are not supported.
 *
 * Why hand-written: UBIFS is read by the Linux kernel (fs/ubifs) and by
 * U-Boot, neither a userspace library; mtd-utils only writes images
 * (mkfs.ubifs), and no Debian package ships a library that reads UBIFS
 * from a file.  The decompressors are the libraries: liblzo2, zlib and
 * libzstd.
 */
#include <stdio.h>
#include <stdlib.h>

#include <lzo/lzo1x.h>
#include <zlib.h>
#include <zstd.h>

#include "../sl.h"

#define UFS_MAGIC      0x06101831u
#define UFS_CH         24  /* common header */
#define UFS_INO_SZ     160 /* inode node without its data */
#define UFS_DENT_SZ    56  /* directory entry node without its name */
#define UFS_DATA_SZ    48  /* data node without its data */
#define UFS_TRUN_SZ    56
#define UFS_IDX_SZ     28 /* index node without its branches */
#define UFS_BRANCH_MIN 20 /* lnum, offs, len and an 8-byte key */
#define UFS_SB_SZ      4096
#define UFS_MST_SZ     512
#define UFS_CS_SZ      32
#define UFS_REF_SZ     64
#define UFS_PAD_SZ     28
#define UFS_BLOCK      4096
#define UFS_MAX_NLEN   255
#define UFS_MIN_LEB    (15U << 10)
#define UFS_MAX_LEB    (16U << 20)
#define UFS_ROOT_INO   1
#define UFS_LOG_LNUM   3
#define UFS_KEY_MASK   0x1fffffffu
#define UFS_PAD_BYTE   0xce
/* Index levels believed; real trees have fewer than 10. */
#define UFS_MAX_LEVELS 64
/* Directory levels followed from an entry up to the root. */
#define UFS_MAX_DEPTH SL_NEST_UBIFS_DIRS /* src/limits.h */

enum {
	UFS_INO_NODE,
	UFS_DATA_NODE,
	UFS_DENT_NODE,
	UFS_XENT_NODE,
	UFS_TRUN_NODE,
	UFS_PAD_NODE,
	UFS_SB_NODE,
	UFS_MST_NODE,
	UFS_REF_NODE,
	UFS_IDX_NODE,
	UFS_CS_NODE,
	UFS_ORPH_NODE,
};

enum {
	UFS_COMPR_NONE,
	UFS_COMPR_LZO,
	UFS_COMPR_ZLIB,
	UFS_COMPR_ZSTD,
};

#define UFS_FLG_ENCRYPTION 0x10
#define UFS_XATTR_FL       0x20

static const struct Sl_magic ubifs_magics[] = {
    {"\x31\x18\x10\x06", 4, 0},
    {NULL, 0, 0},
};

struct ufs_ino {
	uint64_t inum;
	uint64_t sqnum;
	uint64_t size;
	int64_t mtime;
	uint64_t doff; /* inline data: offset in the layer */
	uint32_t dlen;
	uint32_t mode, uid, gid, nlink, flags;
};

struct ufs_dent {
	uint64_t parent;
	uint64_t inum; /* 0: a deletion (journal only) */
	uint64_t sqnum;
	const uint8_t *name; /* in the image; not NUL-terminated */
	uint16_t nlen;
	uint8_t type;
};

struct ufs_data {
	uint64_t inum;
	uint64_t sqnum;
	uint64_t off; /* the node's offset in the layer */
	uint32_t len;
	uint32_t block;
};

struct ufs_trun {
	uint64_t inum;
	uint64_t sqnum;
	uint64_t new_size;
	uint64_t min_size; /* smallest new_size of this and newer ones */
};

/* A data node the index names but that could not be read. */
struct ufs_lost {
	uint64_t inum;
	uint32_t block;
	uint32_t lnum, offs;
	const char *why;
};

/* Inode numbers whose inode was deleted, with the newest deletion. */
struct ufs_del {
	uint64_t inum;
	uint64_t sqnum;
};

struct ufs {
	uint32_t leb_size;
	uint32_t leb_cnt;
	uint32_t log_lebs;
	uint32_t main_first; /* first LEB of the main area */
	uint64_t size;       /* bytes of the image that are present */
	uint32_t present;    /* LEBs at least partly present */
	uint64_t visits;     /* index branches followed */
	uint64_t max_visits;
	uint64_t walked;  /* bytes of index nodes checked */
	uint64_t checked; /* bytes of nodes CRC-checked */
	uint64_t max_checked;
	bool visits_hit;
	bool checked_hit;
	bool walk_failed; /* the index root could not be read */

	struct ufs_ino *ino;
	size_t nino, capino;
	struct ufs_dent *dent;
	size_t ndent, capdent;
	struct ufs_data *data;
	size_t ndata, capdata;
	struct ufs_trun *trun;
	size_t ntrun, captrun;
	struct ufs_del *del;
	size_t ndel, capdel;
	struct ufs_lost *lost; /* sorted by inum, block after resolve */
	size_t nlost, caplost;
	bool nomem;
};

static uint32_t
ufs_crc(const uint8_t *p, size_t n)
{
	return Sl_crc32_le(0xffffffffU, p, n);
}

/* Does p[0..n) have CRC want (see Sl_crc_match)? */
static bool
crc_ok(const uint8_t *p, size_t n, uint32_t want)
{
	return Sl_crc_match(ufs_crc(p, n), want);
}

static uint64_t
get_le64(const uint8_t *p)
{
	return (uint64_t)Sl_get_le32(p) | (uint64_t)Sl_get_le32(p + 4) << 32;
}

/* Grow *arr (of *cap elements of sz bytes) to hold one more. */
static void *
grow(void *arr, size_t *cap, size_t n, size_t sz, bool *nomem)
{
	if (Sl_vec_grow(&arr, cap, n, sz, 256))
		return arr;
	*nomem = true;
	return NULL;
}

#define PUSH(u, arr, n, cap)                                                   \
	(((u)->arr = grow((u)->arr, &(u)->cap, (u)->n, sizeof(*(u)->arr),      \
	                  &(u)->nomem)) != NULL                                \
	     ? &(u)->arr[(u)->n++]                                             \
	     : NULL)

static int
ubifs_bid(const uint8_t *p, size_t n)
{
	if (n < UFS_SB_SZ || Sl_get_le32(p) != UFS_MAGIC ||
	    p[20] != UFS_SB_NODE || Sl_get_le32(p + 16) != UFS_SB_SZ)
		return 0;
	if (!crc_ok(p + 8, UFS_SB_SZ - 8, Sl_get_le32(p + 4)))
		return 0;
	return 90;
}

/*
 * Check the node at the layer offset off, which has at most max bytes
 * before the end of its LEB: magic, length and CRC.  Returns its length,
 * or 0.
 */
static uint32_t
node_ok(const struct Sl_layer *l, struct ufs *u, uint64_t off, uint64_t max)
{
	const uint8_t *p;
	uint32_t len;

	if (off >= u->size || u->size - off < UFS_CH || max < UFS_CH)
		return 0;
	p = l->data + off;
	if (Sl_get_le32(p) != UFS_MAGIC)
		return 0;
	/* UNTRUSTED: the node's length, bounded by its LEB and the image. */
	len = Sl_get_le32(p + 16);
	if (len < UFS_CH || len > max || len > u->size - off)
		return 0;
	/*
	 * Every node is checked about once; nodes claimed over and over
	 * (overlapping lengths in a damaged LEB) stop being checked.
	 */
	u->checked += len;
	if (u->checked > u->max_checked) {
		u->checked_hit = true;
		return 0;
	}
	if (!crc_ok(p + 8, len - 8, Sl_get_le32(p + 4)))
		return 0;
	return len;
}

/*
 * The node a branch points at, checked: lnum, offs and len bounded by the
 * geometry, the node whole and of the expected length.  Returns NULL with
 * *why saying what was wrong.
 */
static const uint8_t *
node_at(const struct Sl_layer *l, struct ufs *u, uint32_t lnum, uint32_t offs,
        uint32_t len, const char **why)
{
	uint64_t off;

	/* UNTRUSTED: lnum, offs and len come from the index. */
	if (lnum >= u->leb_cnt || offs >= u->leb_size || (offs & 7) ||
	    len < UFS_CH || len > u->leb_size - offs) {
		*why = "lies outside the file system";
		return NULL;
	}
	off = (uint64_t)lnum * u->leb_size + offs;
	if (off + len > u->size) {
		*why = "lies past the end of the image";
		return NULL;
	}
	if (node_ok(l, u, off, len) != len) {
		*why = "is damaged (bad magic, length or CRC)";
		return NULL;
	}
	return l->data + off;
}

/*
 * Take in one leaf node (from the index or the journal).  The node has
 * passed node_ok.  Returns false when it is not a node this reader
 * understands the shape of.
 */
static bool
add_leaf(struct ufs *u, const uint8_t *p, uint32_t len, uint64_t off)
{
	uint64_t sqnum = get_le64(p + 8);
	/* The second word of the key, in every keyed node (checked below). */
	uint32_t k1 = len >= UFS_CH + 8 ? Sl_get_le32(p + 28) : 0xffffffffu;

	switch (p[20]) {
	case UFS_INO_NODE: {
		struct ufs_ino *i;
		uint32_t dlen;

		if (len < UFS_INO_SZ || k1 >> 29 != UFS_INO_NODE)
			return false;
		/* UNTRUSTED: data_len, bounded by the node and 4 KiB. */
		dlen = Sl_get_le32(p + 112);
		if (dlen > len - UFS_INO_SZ || dlen > UFS_BLOCK)
			return false;
		if ((i = PUSH(u, ino, nino, capino)) == NULL)
			return true;
		i->inum = Sl_get_le32(p + 24);
		i->sqnum = sqnum;
		i->size = get_le64(p + 48);
		i->mtime = (int64_t)get_le64(p + 72);
		i->nlink = Sl_get_le32(p + 92);
		i->uid = Sl_get_le32(p + 96);
		i->gid = Sl_get_le32(p + 100);
		i->mode = Sl_get_le32(p + 104);
		i->flags = Sl_get_le32(p + 108);
		i->doff = off + UFS_INO_SZ;
		i->dlen = dlen;
		if (i->nlink == 0) {
			struct ufs_del *d = PUSH(u, del, ndel, capdel);

			if (d != NULL) {
				d->inum = i->inum;
				d->sqnum = sqnum;
			}
		}
		return true;
	}
	case UFS_DATA_NODE: {
		struct ufs_data *d;

		if (len < UFS_DATA_SZ || k1 >> 29 != UFS_DATA_NODE)
			return false;
		if ((d = PUSH(u, data, ndata, capdata)) == NULL)
			return true;
		d->inum = Sl_get_le32(p + 24);
		d->block = k1 & UFS_KEY_MASK;
		d->sqnum = sqnum;
		d->off = off;
		d->len = len;
		return true;
	}
	case UFS_DENT_NODE: {
		struct ufs_dent *d;
		uint16_t nlen = len >= UFS_DENT_SZ ? Sl_get_le16(p + 50) : 0;

		/* UNTRUSTED: the name must fit the node, NUL included. */
		if (len < UFS_DENT_SZ || k1 >> 29 != UFS_DENT_NODE ||
		    nlen == 0 || nlen > UFS_MAX_NLEN ||
		    (uint32_t)nlen + 1 > len - UFS_DENT_SZ)
			return false;
		if ((d = PUSH(u, dent, ndent, capdent)) == NULL)
			return true;
		d->parent = Sl_get_le32(p + 24);
		d->inum = get_le64(p + 40);
		d->type = p[49];
		d->sqnum = sqnum;
		d->name = p + UFS_DENT_SZ;
		d->nlen = nlen;
		return true;
	}
	case UFS_XENT_NODE:
		return true; /* extended attributes are not listed */
	case UFS_TRUN_NODE: {
		struct ufs_trun *t;

		if (len < UFS_TRUN_SZ)
			return false;
		if ((t = PUSH(u, trun, ntrun, captrun)) == NULL)
			return true;
		t->inum = Sl_get_le32(p + 24);
		t->sqnum = sqnum;
		t->new_size = get_le64(p + 48);
		return true;
	}
	default: return false;
	}
}

/* ---- the index --------------------------------------------------- */

static const char *const key_kind[] = {
    "inode node",
    "data node",
    "directory entry",
    "xattr entry",
};

static void
walk_index(struct Sl_layer *l, struct ufs *u, uint32_t lnum, uint32_t offs,
           uint32_t len, int level)
{
	struct sl_scan *s = l->scan;
	const uint8_t *p;
	const char *why = NULL;
	uint16_t cnt, lvl, i;
	uint32_t bsz;

	p = node_at(l, u, lnum, offs, len, &why);
	if (p == NULL) {
		Sl_incomplete(s,
		              "%s: %s at LEB %u offset 0x%x %s; the files "
		              "below it are lost",
		              l->prefix,
		              level < 0 ? "the index root node" : "index node",
		              lnum, offs, why);
		if (level < 0)
			u->walk_failed = true;
		return;
	}
	cnt = len >= UFS_IDX_SZ ? Sl_get_le16(p + 24) : 0;
	lvl = len >= UFS_IDX_SZ ? Sl_get_le16(p + 26) : 0;
	/* UNTRUSTED: levels must fall by one per step, so no loop is made. */
	if (p[20] != UFS_IDX_NODE || cnt == 0 || lvl >= UFS_MAX_LEVELS ||
	    (level >= 0 && lvl != level) || (len - UFS_IDX_SZ) % cnt != 0 ||
	    (len - UFS_IDX_SZ) / cnt < UFS_BRANCH_MIN) {
		Sl_incomplete(s,
		              "%s: index node at LEB %u offset 0x%x is not a "
		              "valid index node; the files below it are lost",
		              l->prefix, lnum, offs);
		if (level < 0)
			u->walk_failed = true;
		return;
	}
	bsz = (len - UFS_IDX_SZ) / cnt;
	for (i = 0; i < cnt && !u->nomem; i++) {
		const uint8_t *b = p + UFS_IDX_SZ + (size_t)i * bsz;
		uint32_t cl = Sl_get_le32(b), co = Sl_get_le32(b + 4);
		uint32_t cn = Sl_get_le32(b + 8);
		uint32_t kinum = Sl_get_le32(b + 12), k1 = Sl_get_le32(b + 16);
		const uint8_t *c;

		/*
		 * A sane index names each node once, so neither the branches
		 * followed nor the bytes checked exceed what the image holds;
		 * a hostile one that names a node over and over is cut off.
		 */
		u->walked += cn;
		if (++u->visits > u->max_visits || u->walked > u->size * 2) {
			if (!u->visits_hit)
				Sl_incomplete(s,
				              "%s: the index references more "
				              "nodes than the image can hold; "
				              "the rest is not read",
				              l->prefix);
			u->visits_hit = true;
			return;
		}
		if (lvl > 0) {
			walk_index(l, u, cl, co, cn, lvl - 1);
			continue;
		}
		c = node_at(l, u, cl, co, cn, &why);
		if (c == NULL && k1 >> 29 == UFS_DATA_NODE) {
			/* Reported per file, once the paths are known. */
			struct ufs_lost *x = PUSH(u, lost, nlost, caplost);

			if (x != NULL)
				*x = (struct ufs_lost){kinum, k1 & UFS_KEY_MASK,
				                       cl, co, why};
			continue;
		}
		if (c == NULL) {
			Sl_incomplete(s,
			              "%s: %s of inode %u at LEB %u offset "
			              "0x%x %s; it is lost",
			              l->prefix,
			              k1 >> 29 < SL_ARRAY_LEN(key_kind)
			                  ? key_kind[k1 >> 29]
			                  : "leaf node",
			              kinum, cl, co, why);
			continue;
		}
		if (!add_leaf(u, c, cn, (uint64_t)cl * u->leb_size + co))
			Sl_incomplete(s,
			              "%s: node at LEB %u offset 0x%x is not "
			              "a valid inode, entry or data node",
			              l->prefix, cl, co);
	}
}

/* ---- scanning LEBs (master area, journal, fallback) -------------- */

/* Called per valid node; returns false to stop the scan. */
typedef bool (*scan_cb)(struct Sl_layer *l, struct ufs *u, void *ctx,
                        const uint8_t *p, uint32_t len, uint32_t lnum,
                        uint32_t offs);

enum scan_end {
	SCAN_EMPTY,   /* reached erased space or the end of the LEB */
	SCAN_GARBAGE, /* reached bytes that are no node */
	SCAN_STOPPED, /* the callback stopped it */
};

/*
 * Walk the nodes of LEB lnum from offs, as the kernel's ubifs_scan does:
 * padding nodes and padding bytes are skipped; erased space ends it.
 * With resync, damaged bytes are skipped up to the next valid node.
 * *where receives the offset of the first damaged byte.
 */
static enum scan_end
scan_leb(struct Sl_layer *l, struct ufs *u, uint32_t lnum, uint32_t offs,
         bool resync, scan_cb cb, void *ctx, uint32_t *where)
{
	uint64_t base = (uint64_t)lnum * u->leb_size;
	uint32_t end = u->leb_size;
	enum scan_end ret = SCAN_EMPTY;
	bool bad = false;

	if (base >= u->size)
		return SCAN_EMPTY;
	if (u->size - base < end)
		end = (uint32_t)(u->size - base);
	while (offs < end && end - offs >= 8) {
		const uint8_t *p = l->data + base + offs;
		uint32_t len, n;

		if (end - offs >= UFS_CH && Sl_get_le32(p) == UFS_MAGIC &&
		    (len = node_ok(l, u, base + offs, end - offs)) != 0) {
			bad = false;
			if (p[20] == UFS_PAD_NODE) {
				uint32_t pad =
				    len >= UFS_PAD_SZ ? Sl_get_le32(p + 24) : 0;

				/* UNTRUSTED: pad_len, bounded by the LEB. */
				if (pad > end - offs - len ||
				    ((len + pad) & 7) != 0)
					goto garbage;
				offs += len + pad;
				continue;
			}
			if (!cb(l, u, ctx, p, len, lnum, offs))
				return SCAN_STOPPED;
			offs += (len + 7) & ~7U;
			continue;
		}
		if (Sl_get_le32(p) == 0xffffffffu && !bad)
			return ret;
		for (n = 0;
		     n < UFS_PAD_SZ && n < end - offs && p[n] == UFS_PAD_BYTE;
		     n++)
			;
		if (n > 0 && (n & 7) == 0) {
			offs += n;
			continue;
		}
	garbage:
		if (!bad && ret != SCAN_GARBAGE)
			*where = offs;
		ret = SCAN_GARBAGE;
		if (!resync)
			return ret;
		bad = true;
		offs += 8;
	}
	return ret;
}

struct master {
	const uint8_t *p;
	uint64_t sqnum;
};

static bool
master_cb(struct Sl_layer *l, struct ufs *u, void *ctx, const uint8_t *p,
          uint32_t len, uint32_t lnum, uint32_t offs)
{
	struct master *m = ctx;

	(void)l;
	(void)u;
	(void)lnum;
	(void)offs;
	if (p[20] == UFS_MST_NODE && len >= UFS_MST_SZ &&
	    (m->p == NULL || get_le64(p + 8) > m->sqnum)) {
		m->p = p;
		m->sqnum = get_le64(p + 8);
	}
	return true;
}

static bool
leaf_cb(struct Sl_layer *l, struct ufs *u, void *ctx, const uint8_t *p,
        uint32_t len, uint32_t lnum, uint32_t offs)
{
	(void)l;
	(void)ctx;
	switch (p[20]) {
	case UFS_INO_NODE:
	case UFS_DATA_NODE:
	case UFS_DENT_NODE:
	case UFS_XENT_NODE:
	case UFS_TRUN_NODE:
		(void)add_leaf(u, p, len, (uint64_t)lnum * u->leb_size + offs);
		break;
	default: break;
	}
	return !u->nomem;
}

/* Scan one bud of the journal from offs; damage at its tail is noted. */
static void
replay_bud(struct Sl_layer *l, struct ufs *u, uint32_t lnum, uint32_t offs)
{
	uint32_t where = 0;

	if (scan_leb(l, u, lnum, offs, false, leaf_cb, NULL, &where) ==
	    SCAN_GARBAGE)
		Sl_incomplete(l->scan,
		              "%s: journal LEB %u is damaged at offset 0x%x "
		              "(an unclean shutdown or corruption); later "
		              "nodes in it are not read",
		              l->prefix, lnum, where);
}

struct log_ctx {
	uint64_t cmt_no;
	uint64_t cs_sqnum; /* 0 until the commit start node is seen */
	bool first;        /* next node is the first of its LEB */
	bool end;          /* the log ended */
	uint8_t *seen;     /* buds already replayed, by LEB number */
};

static bool
log_cb(struct Sl_layer *l, struct ufs *u, void *ctx, const uint8_t *p,
       uint32_t len, uint32_t lnum, uint32_t offs)
{
	struct log_ctx *c = ctx;
	uint64_t sqnum = get_le64(p + 8);

	if (c->first) {
		c->first = false;
		if (c->cs_sqnum == 0) {
			if (p[20] != UFS_CS_NODE || len < UFS_CS_SZ ||
			    get_le64(p + 24) != c->cmt_no) {
				Sl_incomplete(l->scan,
				              "%s: the log at LEB %u does not "
				              "start with the commit start "
				              "node of the master node; the "
				              "journal is not replayed",
				              l->prefix, lnum);
				c->end = true;
				return false;
			}
			c->cs_sqnum = sqnum;
		}
	}
	if (sqnum < c->cs_sqnum) {
		c->end = true; /* older, committed log data */
		return false;
	}
	if (p[20] == UFS_CS_NODE && offs == 0)
		return true;
	if (p[20] != UFS_REF_NODE || len < UFS_REF_SZ) {
		Sl_incomplete(l->scan,
		              "%s: unexpected node in the log at LEB %u "
		              "offset 0x%x; the rest of the journal is not "
		              "replayed",
		              l->prefix, lnum, offs);
		c->end = true;
		return false;
	}
	{
		uint32_t bl = Sl_get_le32(p + 24), bo = Sl_get_le32(p + 28);

		/* UNTRUSTED: a bud must be a main-area LEB of the image. */
		if (bl < u->main_first || bl >= u->leb_cnt ||
		    bo >= u->leb_size || (bo & 7)) {
			Sl_incomplete(l->scan,
			              "%s: log reference at LEB %u offset "
			              "0x%x names an invalid bud (LEB %u "
			              "offset 0x%x)",
			              l->prefix, lnum, offs, bl, bo);
			return true;
		}
		if (bl >= u->present) {
			Sl_incomplete(l->scan,
			              "%s: journal bud LEB %u lies past the "
			              "end of the image",
			              l->prefix, bl);
			return true;
		}
		/* Each bud is read once, however often the log names it. */
		if (c->seen[bl])
			return true;
		c->seen[bl] = 1;
		replay_bud(l, u, bl, bo);
	}
	return !u->nomem;
}

/* Replay the journal: the buds the log names since the last commit. */
static void
replay_journal(struct Sl_layer *l, struct ufs *u, const uint8_t *mst)
{
	struct log_ctx c = {0};
	uint32_t lnum = Sl_get_le32(mst + 44), n, where = 0;

	/* UNTRUSTED: log_lnum must lie in the log area. */
	if (lnum < UFS_LOG_LNUM || lnum - UFS_LOG_LNUM >= u->log_lebs) {
		Sl_incomplete(l->scan,
		              "%s: the master node's log LEB %u lies outside "
		              "the log; the journal is not replayed",
		              l->prefix, lnum);
		return;
	}
	c.cmt_no = get_le64(mst + 32);
	c.seen = calloc(u->present + 1, 1);
	if (c.seen == NULL) {
		u->nomem = true;
		return;
	}
	for (n = 0; n < u->log_lebs && !c.end && !u->nomem; n++) {
		c.first = true;
		if (scan_leb(l, u, lnum, 0, false, log_cb, &c, &where) ==
		    SCAN_GARBAGE) {
			Sl_incomplete(l->scan,
			              "%s: log LEB %u is damaged at offset "
			              "0x%x",
			              l->prefix, lnum, where);
			break;
		}
		if (c.first)
			break; /* an empty LEB: the end of the log */
		lnum = lnum + 1 - UFS_LOG_LNUM == u->log_lebs ? UFS_LOG_LNUM
		                                              : lnum + 1;
	}
	free(c.seen);
}

/* No index: take every valid node of the main area, newest first. */
static void
scan_all(struct Sl_layer *l, struct ufs *u)
{
	uint32_t lnum, where = 0, bad = 0;

	Sl_incomplete(l->scan,
	              "%s: no usable index; every LEB was scanned for nodes "
	              "instead, so deleted files may be listed",
	              l->prefix);
	for (lnum = u->main_first; lnum < u->present && !u->nomem; lnum++)
		if (scan_leb(l, u, lnum, 0, true, leaf_cb, NULL, &where) ==
		        SCAN_GARBAGE &&
		    bad++ < 8)
			Sl_incomplete(l->scan,
			              "%s: LEB %u is damaged at offset 0x%x",
			              l->prefix, lnum, where);
	if (bad > 8)
		Sl_incomplete(l->scan, "%s: %u LEBs are damaged in all",
		              l->prefix, bad);
}

/* ---- from nodes to the newest state ------------------------------ */

#define CMP(a, b) ((a) < (b) ? -1 : (a) > (b))

static int
ino_cmp(const void *x, const void *y)
{
	const struct ufs_ino *a = x, *b = y;

	if (a->inum != b->inum)
		return CMP(a->inum, b->inum);
	return CMP(b->sqnum, a->sqnum); /* newest first */
}

static int
data_cmp(const void *x, const void *y)
{
	const struct ufs_data *a = x, *b = y;

	if (a->inum != b->inum)
		return CMP(a->inum, b->inum);
	if (a->block != b->block)
		return CMP(a->block, b->block);
	return CMP(b->sqnum, a->sqnum);
}

static int
lost_cmp(const void *x, const void *y)
{
	const struct ufs_lost *a = x, *b = y;

	if (a->inum != b->inum)
		return CMP(a->inum, b->inum);
	return CMP(a->block, b->block);
}

static int
del_cmp(const void *x, const void *y)
{
	const struct ufs_del *a = x, *b = y;

	if (a->inum != b->inum)
		return CMP(a->inum, b->inum);
	return CMP(b->sqnum, a->sqnum);
}

static int
dent_cmp_names(const struct ufs_dent *a, const struct ufs_dent *b)
{
	size_t n = a->nlen < b->nlen ? a->nlen : b->nlen;
	int c = memcmp(a->name, b->name, n);

	return c != 0 ? c : CMP(a->nlen, b->nlen);
}

static int
dent_cmp(const void *x, const void *y)
{
	const struct ufs_dent *a = x, *b = y;
	int c;

	if (a->parent != b->parent)
		return CMP(a->parent, b->parent);
	if ((c = dent_cmp_names(a, b)) != 0)
		return c;
	return CMP(b->sqnum, a->sqnum);
}

/* The newest deletion of inum, or 0. */
static uint64_t
deleted_at(const struct ufs *u, uint64_t inum)
{
	size_t lo = 0, hi = u->ndel;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (u->del[mid].inum < inum)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < u->ndel && u->del[lo].inum == inum ? u->del[lo].sqnum : 0;
}

static int
trun_cmp(const void *x, const void *y)
{
	const struct ufs_trun *a = x, *b = y;

	if (a->inum != b->inum)
		return CMP(a->inum, b->inum);
	return CMP(b->sqnum, a->sqnum); /* newest first */
}

/*
 * Did a truncation newer than data node d cut its block away?  The
 * truncations are sorted by inode, newest first, and each carries the
 * smallest size any truncation at least as new left, so this is two
 * binary searches.
 */
static bool
truncated_away(const struct ufs *u, const struct ufs_data *d)
{
	size_t lo = 0, hi = u->ntrun, first;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (u->trun[mid].inum < d->inum)
			lo = mid + 1;
		else
			hi = mid;
	}
	first = lo;
	hi = u->ntrun;
	while (lo < hi) { /* the first one not newer than d */
		size_t mid = lo + (hi - lo) / 2;

		if (u->trun[mid].inum == d->inum &&
		    u->trun[mid].sqnum > d->sqnum)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo > first &&
	       (uint64_t)d->block * UFS_BLOCK >= u->trun[lo - 1].min_size;
}

/*
 * Keep the newest node per key and drop what later deletions and
 * truncations removed.
 */
static void
resolve(struct ufs *u)
{
	size_t i, out;

	if (u->nlost > 1)
		qsort(u->lost, u->nlost, sizeof(*u->lost), lost_cmp);
	if (u->ndel > 1)
		qsort(u->del, u->ndel, sizeof(*u->del), del_cmp);
	for (i = out = 0; i < u->ndel; i++)
		if (out == 0 || u->del[out - 1].inum != u->del[i].inum)
			u->del[out++] = u->del[i];
	u->ndel = out;

	if (u->nino > 1)
		qsort(u->ino, u->nino, sizeof(*u->ino), ino_cmp);
	for (i = out = 0; i < u->nino; i++) {
		if (i > 0 && u->ino[i - 1].inum == u->ino[i].inum)
			continue;
		if (u->ino[i].nlink == 0)
			continue;
		u->ino[out++] = u->ino[i];
	}
	u->nino = out;

	if (u->ntrun > 1)
		qsort(u->trun, u->ntrun, sizeof(*u->trun), trun_cmp);
	for (i = 0; i < u->ntrun; i++) {
		u->trun[i].min_size = u->trun[i].new_size;
		if (i > 0 && u->trun[i - 1].inum == u->trun[i].inum &&
		    u->trun[i - 1].min_size < u->trun[i].min_size)
			u->trun[i].min_size = u->trun[i - 1].min_size;
	}

	if (u->ndata > 1)
		qsort(u->data, u->ndata, sizeof(*u->data), data_cmp);
	for (i = out = 0; i < u->ndata; i++) {
		const struct ufs_data *d = &u->data[i];

		if (i > 0 && u->data[i - 1].inum == d->inum &&
		    u->data[i - 1].block == d->block)
			continue;
		if (d->sqnum < deleted_at(u, d->inum) || truncated_away(u, d))
			continue;
		u->data[out++] = *d;
	}
	u->ndata = out;

	if (u->ndent > 1)
		qsort(u->dent, u->ndent, sizeof(*u->dent), dent_cmp);
	for (i = out = 0; i < u->ndent; i++) {
		const struct ufs_dent *d = &u->dent[i];

		if (i > 0 && u->dent[i - 1].parent == d->parent &&
		    dent_cmp_names(&u->dent[i - 1], d) == 0)
			continue;
		if (d->inum == 0 || d->sqnum < deleted_at(u, d->parent))
			continue;
		u->dent[out++] = *d;
	}
	u->ndent = out;
}

static const struct ufs_ino *
find_ino(const struct ufs *u, uint64_t inum)
{
	size_t lo = 0, hi = u->nino;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (u->ino[mid].inum < inum)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < u->nino && u->ino[lo].inum == inum ? &u->ino[lo] : NULL;
}

/* ---- paths ------------------------------------------------------- */

enum { P_UNKNOWN, P_VISITING, P_DONE, P_FAILED };

/* A directory's entry, for looking directories up by inode number. */
struct dir_ref {
	uint64_t inum;
	size_t dent;
};

struct build {
	struct Sl_layer *l;
	struct ufs *u;
	struct dir_ref *dirs; /* entries of directories, by inum */
	size_t ndirs;
	const char **path;  /* per dent: the directory's path, once known */
	uint8_t *state;     /* per dent: P_* */
	const char **first; /* per inode: the path of its first name */
};

static int
dirs_cmp(const void *x, const void *y)
{
	const struct dir_ref *a = x, *b = y;

	return a->inum != b->inum ? CMP(a->inum, b->inum)
	                          : CMP(a->dent, b->dent);
}

/* The entry naming directory inum, or SIZE_MAX. */
static size_t
dir_dent(const struct build *b, uint64_t inum)
{
	size_t lo = 0, hi = b->ndirs;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (b->dirs[mid].inum < inum)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < b->ndirs && b->dirs[lo].inum == inum ? b->dirs[lo].dent
	                                                 : SIZE_MAX;
}

/*
 * The path of directory inum inside the file system ("" for the root),
 * or NULL when it cannot be reached from the root: a missing entry, a
 * cycle, more than UFS_MAX_DEPTH levels or a path over the limit.
 */
static const char *
dir_path(struct build *b, uint64_t inum)
{
	struct sl_scan *s = b->l->scan;
	size_t chain[UFS_MAX_DEPTH], n = 0, d;
	const char *base = "";

	while (inum != UFS_ROOT_INO) {
		d = dir_dent(b, inum);
		if (d == SIZE_MAX)
			goto fail;
		if (b->state[d] == P_DONE) {
			base = b->path[d];
			break;
		}
		if (b->state[d] != P_UNKNOWN || n == UFS_MAX_DEPTH)
			goto fail;
		b->state[d] = P_VISITING;
		chain[n++] = d;
		inum = b->u->dent[d].parent;
	}
	while (n > 0) {
		const struct ufs_dent *e;
		char *p;

		d = chain[--n];
		e = &b->u->dent[d];
		if (strlen(base) + 1 + e->nlen > Sl_limits(s)->max_path) {
			n++;
			goto fail;
		}
		p = Sl_arena_printf(Sl_scan_arena(s), "%s%s%.*s", base,
		                    *base ? "/" : "", (int)e->nlen,
		                    (const char *)e->name);
		if (p == NULL) {
			n++;
			goto fail;
		}
		b->path[d] = p;
		b->state[d] = P_DONE;
		base = p;
	}
	return base;
fail:
	while (n > 0)
		b->state[chain[--n]] = P_FAILED;
	return NULL;
}

static enum sl_ftype
ftype(uint32_t mode, uint8_t dtype)
{
	switch (mode & 0170000) {
	case 0100000: return SL_FT_REG;
	case 0040000: return SL_FT_DIR;
	case 0120000: return SL_FT_LNK;
	case 0020000: return SL_FT_CHR;
	case 0060000: return SL_FT_BLK;
	case 0010000: return SL_FT_FIFO;
	case 0140000: return SL_FT_SOCK;
	default: break;
	}
	switch (dtype) { /* UBIFS_ITYPE_*, from the entry */
	case 1: return SL_FT_DIR;
	case 2: return SL_FT_LNK;
	case 3: return SL_FT_BLK;
	case 4: return SL_FT_CHR;
	case 5: return SL_FT_FIFO;
	case 6: return SL_FT_SOCK;
	default: return SL_FT_REG;
	}
}

/*
 * Record the data blocks of inode inum that were lost to damaged nodes,
 * naming the file they belong to.  Returns how many there were.
 */
static size_t
report_lost(const struct Sl_layer *l, const struct ufs *u, uint64_t inum,
            const char *path)
{
	size_t lo = 0, hi = u->nlost, n;
	const struct ufs_lost *x;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (u->lost[mid].inum < inum)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == u->nlost || u->lost[lo].inum != inum)
		return 0;
	x = &u->lost[lo];
	for (n = 0; lo + n < u->nlost && u->lost[lo + n].inum == inum; n++)
		;
	Sl_incomplete(l->scan,
	              "%s: %zu data block(s) lost; block %u: the data node at "
	              "LEB %u offset 0x%x %s; read as zeros",
	              path, n, x->block, x->lnum, x->offs, x->why);
	return n;
}

/* Add one entry for directory entry d. */
static void
add_entry(struct build *b, size_t di, const char *dir, size_t *lost_ino,
          size_t *lost_data)
{
	struct Sl_layer *l = b->l;
	const struct ufs *u = b->u;
	const struct ufs_dent *d = &u->dent[di];
	const struct ufs_ino *ino = find_ino(u, d->inum);
	struct sl_entry e = {0};
	struct Sl_node *n;
	char name[SL_DEF_MAX_PATH + UFS_MAX_NLEN + 2];
	char link[UFS_BLOCK + 1];
	size_t ii = 0, dl;

	dl = strlen(dir);
	if (dl + 1 + d->nlen >= sizeof(name)) {
		Sl_incomplete(l->scan,
		              "%s: entry \"%.200s/...\" refused: path too long",
		              l->prefix, dir);
		return;
	}
	memcpy(name, dir, dl);
	if (dl > 0)
		name[dl++] = '/';
	memcpy(name + dl, d->name, d->nlen);
	name[dl + d->nlen] = '\0';
	if (ino == NULL) {
		if ((*lost_ino)++ < 8)
			Sl_incomplete(l->scan,
			              "%s: the inode (%llu) of \"%.200s\" is "
			              "missing; listed without its attributes",
			              l->prefix, (unsigned long long)d->inum,
			              name);
		e.type = ftype(0, d->type);
		(void)Sl_add(l, name, &e);
		return;
	}
	if (ino->flags & UFS_XATTR_FL)
		return;
	ii = (size_t)(ino - u->ino);
	e.type = ftype(ino->mode, d->type);
	e.mode = ino->mode & 07777;
	e.uid = ino->uid;
	e.gid = ino->gid;
	e.mtime = ino->mtime;
	if (e.type == SL_FT_REG) {
		if (b->first[ii] != NULL) {
			e.type = SL_FT_HARDLINK;
			e.link = b->first[ii];
		}
		e.size = ino->size;
	} else if (e.type == SL_FT_LNK) {
		memcpy(link, l->data + ino->doff, ino->dlen);
		link[ino->dlen] = '\0';
		e.link = link;
		e.size = strlen(link);
	}
	n = Sl_add(l, name, &e);
	if (n == NULL)
		return;
	if (e.type == SL_FT_REG) {
		n->ref = ii;
		b->first[ii] = n->inner;
		*lost_data += report_lost(l, u, ino->inum, n->e.path);
	}
}

/* Is a name usable as one path component? */
static bool
name_ok(const uint8_t *p, size_t n)
{
	return memchr(p, '/', n) == NULL && memchr(p, '\0', n) == NULL;
}

static void
build_tree(struct Sl_layer *l, struct ufs *u)
{
	struct build b = {0};
	size_t i, unreachable = 0, lost_ino = 0, badname = 0, lost_data = 0;

	b.l = l;
	b.u = u;
	b.dirs = calloc(u->ndent + 1, sizeof(*b.dirs));
	b.path = calloc(u->ndent + 1, sizeof(*b.path));
	b.state = calloc(u->ndent + 1, 1);
	b.first = calloc(u->nino + 1, sizeof(*b.first));
	if (b.dirs == NULL || b.path == NULL || b.state == NULL ||
	    b.first == NULL) {
		u->nomem = true;
		goto out;
	}
	for (i = 0; i < u->ndent; i++) {
		const struct ufs_dent *d = &u->dent[i];
		const struct ufs_ino *ino = find_ino(u, d->inum);

		if (ftype(ino != NULL ? ino->mode : 0, d->type) == SL_FT_DIR)
			b.dirs[b.ndirs++] = (struct dir_ref){d->inum, i};
	}
	if (b.ndirs > 1)
		qsort(b.dirs, b.ndirs, sizeof(*b.dirs), dirs_cmp);

	for (i = 0; i < u->ndent; i++) {
		const struct ufs_dent *d = &u->dent[i];
		const char *dir;

		if (!name_ok(d->name, d->nlen)) {
			if (badname++ < 8)
				Sl_incomplete(l->scan,
				              "%s: an entry of directory inode "
				              "%llu has a name with '/' or "
				              "NUL; not listed",
				              l->prefix,
				              (unsigned long long)d->parent);
			continue;
		}
		dir = dir_path(&b, d->parent);
		if (dir == NULL) {
			unreachable++;
			continue;
		}
		add_entry(&b, i, dir, &lost_ino, &lost_data);
	}
	if (unreachable > 0)
		Sl_incomplete(l->scan,
		              "%s: %zu entries cannot be reached from the "
		              "root directory (a lost or looping directory); "
		              "not listed",
		              l->prefix, unreachable);
	if (lost_ino > 8)
		Sl_incomplete(l->scan, "%s: %zu inodes are missing in all",
		              l->prefix, lost_ino);
	if (lost_data < u->nlost)
		Sl_incomplete(l->scan,
		              "%s: %zu damaged data nodes belong to files "
		              "that are not listed",
		              l->prefix, u->nlost - lost_data);
out:
	free(b.dirs);
	free(b.path);
	free(b.state);
	free(b.first);
}

/* ---- open, read, close ------------------------------------------- */

static void
ubifs_close(struct Sl_layer *l)
{
	struct ufs *u = l->priv;

	if (u != NULL) {
		free(u->ino);
		free(u->dent);
		free(u->data);
		free(u->trun);
		free(u->del);
		free(u->lost);
		free(u);
	}
	l->priv = NULL;
}

static sl_rc
ubifs_open(struct Sl_layer *l)
{
	struct sl_scan *s = l->scan;
	const uint8_t *sb = l->data;
	struct master m = {0};
	struct ufs *u;
	uint32_t lpt_lebs, orph_lebs, where = 0;
	uint64_t total;

	if (l->len < UFS_SB_SZ || ubifs_bid(l->data, l->len) == 0)
		return SL_E_MALFORMED;
	u = calloc(1, sizeof(*u));
	if (u == NULL)
		return SL_E_NOMEM;
	l->priv = u;
	/* UNTRUSTED: the geometry, checked against itself and the image. */
	u->leb_size = Sl_get_le32(sb + 36);
	u->leb_cnt = Sl_get_le32(sb + 40);
	u->log_lebs = Sl_get_le32(sb + 56);
	lpt_lebs = Sl_get_le32(sb + 60);
	orph_lebs = Sl_get_le32(sb + 64);
	if (u->leb_size < UFS_MIN_LEB || u->leb_size > UFS_MAX_LEB ||
	    (u->leb_size & 7) || u->leb_cnt < UFS_LOG_LNUM ||
	    sb[27] != 0 /* key format: only the simple one exists */ ||
	    u->log_lebs == 0 || u->log_lebs > u->leb_cnt ||
	    lpt_lebs > u->leb_cnt || orph_lebs > u->leb_cnt) {
		ubifs_close(l);
		return SL_E_MALFORMED;
	}
	u->main_first = UFS_LOG_LNUM + u->log_lebs + lpt_lebs + orph_lebs;
	total = (uint64_t)u->leb_cnt * u->leb_size;
	u->size = total < l->len ? total : l->len;
	u->present = (uint32_t)((u->size + u->leb_size - 1) / u->leb_size);
	if (total > l->len && l->len % u->leb_size != 0)
		Sl_incomplete(
		    s, "%s: the image ends inside LEB %llu of %u", l->prefix,
		    (unsigned long long)(l->len / u->leb_size), u->leb_cnt);
	/* Every node is at least 24 bytes and referenced once. */
	u->max_visits = u->size / UFS_CH + 1024;
	u->max_checked = u->size * 4 + (64U << 20);
	if (Sl_get_le32(sb + 28) & UFS_FLG_ENCRYPTION)
		Sl_incomplete(s,
		              "%s: the file system has encrypted files; their "
		              "names and contents are not readable",
		              l->prefix);
	if (lzo_init() != LZO_E_OK) {
		ubifs_close(l);
		return SL_E_NOMEM;
	}

	if (scan_leb(l, u, 1, 0, true, master_cb, &m, &where) == SCAN_GARBAGE)
		Sl_incomplete(s, "%s: master LEB 1 is damaged at offset 0x%x",
		              l->prefix, where);
	if (scan_leb(l, u, 2, 0, true, master_cb, &m, &where) == SCAN_GARBAGE)
		Sl_incomplete(s, "%s: master LEB 2 is damaged at offset 0x%x",
		              l->prefix, where);
	if (m.p != NULL) {
		walk_index(l, u, Sl_get_le32(m.p + 48), Sl_get_le32(m.p + 52),
		           Sl_get_le32(m.p + 56), -1);
		if (!u->walk_failed && !u->nomem)
			replay_journal(l, u, m.p);
	} else {
		Sl_incomplete(s, "%s: no valid master node in LEBs 1 and 2",
		              l->prefix);
	}
	if ((m.p == NULL || u->walk_failed) && !u->nomem)
		scan_all(l, u);
	if (u->nomem) {
		ubifs_close(l);
		return SL_E_NOMEM;
	}
	if (u->checked_hit)
		Sl_incomplete(s,
		              "%s: nodes overlap too often (damage or a "
		              "hostile image); some were not read",
		              l->prefix);
	resolve(u);
	build_tree(l, u);
	if (u->nomem) {
		ubifs_close(l);
		return SL_E_NOMEM;
	}
	l->size = u->size;
	return SL_OK;
}

/* Per-read decompression state. */
struct dec {
	z_stream z;
	bool z_ok;
	ZSTD_DCtx *zs;
};

/*
 * Decode data node d into out[0..UFS_BLOCK).  Returns the bytes it holds,
 * or -1 with *why set.
 */
static long
decode_block(const struct Sl_layer *l, const struct ufs_data *d, struct dec *st,
             uint8_t *out, const char **why)
{
	const uint8_t *p = l->data + d->off;
	const uint8_t *src = p + UFS_DATA_SZ;
	size_t slen = d->len - UFS_DATA_SZ;
	uint32_t usize = Sl_get_le32(p + 40);
	lzo_uint olen;
	size_t r;

	/* UNTRUSTED: a block holds at most 4 KiB. */
	if (usize > UFS_BLOCK) {
		*why = "block size over 4 KiB";
		return -1;
	}
	switch (Sl_get_le16(p + 44)) {
	case UFS_COMPR_NONE:
		if (slen < usize) {
			*why = "stored block shorter than its size";
			return -1;
		}
		memcpy(out, src, usize);
		return usize;
	case UFS_COMPR_LZO:
		olen = UFS_BLOCK;
		if (lzo1x_decompress_safe(src, slen, out, &olen, NULL) !=
		        LZO_E_OK ||
		    olen != usize) {
			*why = "LZO data is corrupt";
			return -1;
		}
		return usize;
	case UFS_COMPR_ZLIB:
		if (!st->z_ok) {
			memset(&st->z, 0, sizeof(st->z));
			if (inflateInit2(&st->z, -MAX_WBITS) != Z_OK) {
				*why = "out of memory";
				return -1;
			}
			st->z_ok = true;
		} else if (inflateReset(&st->z) != Z_OK) {
			*why = "zlib error";
			return -1;
		}
		st->z.next_in = (Bytef *)src;
		st->z.avail_in = (uInt)slen;
		st->z.next_out = out;
		st->z.avail_out = UFS_BLOCK;
		(void)inflate(&st->z, Z_FINISH);
		if (st->z.total_out != usize) {
			*why = "deflate data is corrupt";
			return -1;
		}
		return usize;
	case UFS_COMPR_ZSTD:
		if (st->zs == NULL && (st->zs = ZSTD_createDCtx()) == NULL) {
			*why = "out of memory";
			return -1;
		}
		r = ZSTD_decompressDCtx(st->zs, out, UFS_BLOCK, src, slen);
		if (ZSTD_isError(r) || r != usize) {
			*why = "zstd data is corrupt";
			return -1;
		}
		return usize;
	default: *why = "unknown compression type"; return -1;
	}
}

static sl_rc
ubifs_read(struct Sl_layer *l, const struct Sl_node *node, const uint8_t **data,
           size_t *len, struct Sl_buf *tmp)
{
	const struct ufs *u = l->priv;
	const struct ufs_ino *ino;
	uint64_t size = node->e.size;
	struct dec st = {0};
	uint8_t blk[UFS_BLOCK];
	size_t lo = 0, hi, bad = 0;
	sl_rc rc;

	if (node->ref >= u->nino)
		return SL_E_MALFORMED;
	ino = &u->ino[node->ref];
	if (size == 0) {
		*data = (const uint8_t *)"";
		*len = 0;
		return SL_OK;
	}
	rc = Sl_buf_reserve(tmp, (size_t)size);
	if (rc != SL_OK)
		return rc;
	memset(tmp->p, 0, (size_t)size); /* holes read as zeros */
	tmp->n = (size_t)size;
	hi = u->ndata;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (u->data[mid].inum < ino->inum)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; lo < u->ndata && u->data[lo].inum == ino->inum; lo++) {
		const struct ufs_data *d = &u->data[lo];
		uint64_t at = (uint64_t)d->block * UFS_BLOCK;
		const char *why = NULL;
		long got;

		if (at >= size)
			break;
		got = decode_block(l, d, &st, blk, &why);
		if (got < 0) {
			if (bad++ < 4)
				Sl_incomplete(
				    l->scan,
				    "%s: block %u (LEB %llu offset "
				    "0x%llx): %s; read as zeros",
				    node->e.path, d->block,
				    (unsigned long long)(d->off / u->leb_size),
				    (unsigned long long)(d->off % u->leb_size),
				    why);
			continue;
		}
		if ((uint64_t)got > size - at)
			got = (long)(size - at);
		memcpy(tmp->p + at, blk, (size_t)got);
	}
	if (st.z_ok)
		inflateEnd(&st.z);
	ZSTD_freeDCtx(st.zs);
	*data = tmp->p;
	*len = tmp->n;
	return SL_OK;
}

const struct Sl_reader Sl_reader_ubifs = {
    .name = "ubifs",
    .description = "UBIFS file system image",
    .nest = SL_NEST_WHOLE,
    .magics = ubifs_magics,
    .bid = ubifs_bid,
    .open = ubifs_open,
    .read = ubifs_read,
    .close = ubifs_close,
};
