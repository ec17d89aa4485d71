/*
 * yaffs2.c - YAFFS2 NAND flash images (mkyaffs2image output and NAND
 * dumps of Android phones, set-top boxes, cameras and routers with raw
 * NAND), read in place by hand.
 *
 * A YAFFS2 image is a run of chunks, one per NAND page.  A chunk is the
 * page's data, then (in a dump with its OOB) the page's spare bytes, which
 * hold the chunk's tags: sequence number, object id, chunk id and byte
 * count (16 bytes, in the CPU's byte order, at offset 0 of the spare, or
 * 2 where the first bytes are the bad-block marker).  Chunk id 0 (or one
 * flagged 0x80000000, with the parent id in its low bits) is an object
 * header, whose data is:
 *
 *	type (1 file, 2 symlink, 3 directory, 4 hard link, 5 special),
 *	parent object id, 0xffff, name[256], mode, uid, gid, atime, mtime,
 *	ctime, file size (low), hard-link target id, symlink target[160],
 *	rdev, ..., file size (high) at byte 496
 *
 * Chunk ids 1, 2, ... are a file's data in order, n bytes each.  The root
 * directory is object 1 and has no header.  When an object or a chunk is
 * written again, the copy with the highest sequence number is the live
 * one; objects whose parent is 3 (unlinked) or 4 (deleted) are gone.
 *
 * Geometry: the page and spare sizes (512+16, 2048+64, 4096+128,
 * 8192+256), the tags' place in the spare and the byte order are found by
 * scoring how many chunks carry consistent tags (find_geometry).  A dump
 * without its OOB has no tags: it is read as mkyaffs2image writes images
 * (each header followed by its file's data chunks, object ids given out
 * from 257 in order), which holds for images written in one go and is
 * said in the container's note; what does not fit is reported.
 *
 * Trust: every byte is hostile.  Counts of objects and chunks are capped
 * (the scan's file limit, SL_YAFFS_MAX_CHUNKS), parent chains are walked
 * at most SL_MAX_DIR_DEPTH deep and loops end, every chunk read is inside
 * the image and byte counts are checked against the page size.  A file
 * whose chunks are missing, an object whose parent is unknown and damaged
 * headers are recorded as incomplete, and the rest is still listed.
 *
 * Why by hand: no library in Debian reads YAFFS2 (unyaffs is a program
 * that writes files out, for OOB dumps only), and the format is a flat
 * list of chunks.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>

#include "../sl.h"

#define YF_HDR_LEN      512
#define YF_NAME_LEN     256
#define YF_ALIAS_LEN    160
#define YF_TAGS_LEN     16
#define YF_FIRST_ID     257 /* mkyaffs2image's first object id */
#define YF_ROOT         1
#define YF_LOSTNFOUND   2
#define YF_UNLINKED     3
#define YF_DELETED      4
#define YF_EXTRA_HEADER 0x80000000U
#define YF_ID_MASK      0x0fffffffU
/* Chunks looked at to choose the geometry. */
#define YF_PROBE 256

enum { YT_FILE = 1, YT_SYMLINK, YT_DIR, YT_HARDLINK, YT_SPECIAL };

/* A file or directory header in the root, little- or big-endian. */
static const struct Sl_magic yaffs_magics[] = {
    {"\x01\x00\x00\x00\x01\x00\x00\x00\xff\xff", 10, 0},
    {"\x02\x00\x00\x00\x01\x00\x00\x00\xff\xff", 10, 0},
    {"\x03\x00\x00\x00\x01\x00\x00\x00\xff\xff", 10, 0},
    {"\x05\x00\x00\x00\x01\x00\x00\x00\xff\xff", 10, 0},
    {"\x00\x00\x00\x01\x00\x00\x00\x01\xff\xff", 10, 0},
    {"\x00\x00\x00\x02\x00\x00\x00\x01\xff\xff", 10, 0},
    {"\x00\x00\x00\x03\x00\x00\x00\x01\xff\xff", 10, 0},
    {"\x00\x00\x00\x05\x00\x00\x00\x01\xff\xff", 10, 0},
    {NULL, 0, 0},
};

struct geom {
	uint32_t page, spare;
	uint32_t tagoff; /* offset of the tags in the spare */
	bool be;
	bool tags; /* false: no OOB, sequential */
};

/* One live data chunk of a file. */
struct ychunk {
	uint32_t obj, id;
	uint32_t seq;
	uint32_t nbytes;
	uint64_t at; /* offset of its data */
};

struct yobj {
	uint32_t id, seq;
	uint64_t at; /* offset of its header */
	uint32_t type, parent, mode, uid, gid, mtime, equiv, rdev;
	uint64_t size;
	char name[YF_NAME_LEN];
	char alias[YF_ALIAS_LEN];
	const char *path; /* resolved, arena */
	bool listed;
};

struct yaffs {
	const uint8_t *p;
	uint64_t len;
	struct geom g;
	struct ychunk *ch; /* sorted by (obj, id) */
	size_t nch;
};

static uint32_t
g32(bool be, const uint8_t *q)
{
	return be ? Sl_get_be32(q) : Sl_get_le32(q);
}

/* Does p[0..n) look like an object header?  Its type, or 0. */
static uint32_t
header_type(const uint8_t *p, size_t n, bool be)
{
	struct Sl_rd r;
	uint32_t type, parent;
	const uint8_t *name;
	size_t i;

	Sl_rd_init(&r, p, n);
	type = be ? Sl_rd_be32(&r) : Sl_rd_le32(&r);
	parent = be ? Sl_rd_be32(&r) : Sl_rd_le32(&r);
	Sl_rd_skip(&r, 2);
	name = Sl_rd_bytes(&r, YF_NAME_LEN);
	if (r.bad || n < YF_HDR_LEN || type < YT_FILE || type > YT_SPECIAL ||
	    parent == 0 || parent > YF_ID_MASK)
		return 0;
	/* The name: text up to a NUL inside the field, or empty (root). */
	for (i = 0; i < YF_NAME_LEN && name[i] != 0; i++)
		if (name[i] < 0x20 || name[i] == 0x7f)
			return 0;
	if (i == YF_NAME_LEN)
		return 0;
	return type;
}

/*
 * Does the header's mode agree with its type?  mkyaffs2image and the
 * kernel store the whole st_mode: a file is S_IFREG, a directory S_IFDIR,
 * a symlink S_IFLNK, a special object one of the device, FIFO or socket
 * types, and nothing is set above the 16 bits of a mode.  Ten bytes that
 * merely look like a header (a kernel's data tables: type 1, parent 1,
 * 0xffff) fail this.
 */
static bool
mode_fits(const uint8_t *p, bool be, uint32_t type)
{
	uint32_t mode = g32(be, p + 268), fmt = mode & 0170000;

	if (mode > 0xffff)
		return false;
	switch (type) {
	case YT_FILE: return fmt == 0100000;
	case YT_DIR: return fmt == 0040000;
	case YT_SYMLINK: return fmt == 0120000;
	case YT_SPECIAL:
		return fmt == 0020000 || fmt == 0060000 || fmt == 0010000 ||
		       fmt == 0140000;
	default: return false;
	}
}

static int
yaffs_bid(const uint8_t *p, size_t n)
{
	uint32_t le, be;

	if (n < YF_HDR_LEN)
		return 0;
	le = header_type(p, n, false);
	be = header_type(p, n, true);
	if (!(le != 0 && mode_fits(p, false, le)) &&
	    !(be != 0 && mode_fits(p, true, be)))
		return 0;
	if (p[10] == 0)
		return 0; /* the first header names something */
	return 70;
}

/* The tags of chunk i under geometry g: false if erased or off the end. */
static bool
tags_at(const struct yaffs *y, const struct geom *g, uint64_t i, uint32_t t[4])
{
	uint64_t chunk = (uint64_t)g->page + g->spare;
	uint64_t at = i * chunk + g->page + g->tagoff;
	unsigned k;

	if (at > y->len || y->len - at < YF_TAGS_LEN)
		return false;
	for (k = 0; k < 4; k++)
		t[k] = g32(g->be, y->p + at + 4 * k);
	return !(t[0] == 0xffffffffU && t[1] == 0xffffffffU);
}

/* How well do the chunks agree with geometry g?  Higher is better. */
static long
score(const struct yaffs *y, const struct geom *g)
{
	uint64_t chunk = (uint64_t)g->page + g->spare, n = y->len / chunk, i;
	long s = 0;
	uint32_t t[4];

	if (n == 0)
		return -1;
	/* The first chunk is a header (the bid saw one). */
	if (!tags_at(y, g, 0, t))
		return -1;
	for (i = 0; i < n && i < YF_PROBE; i++) {
		bool hdr;
		uint32_t obj, id;

		if (!tags_at(y, g, i, t))
			continue;
		obj = t[1] & YF_ID_MASK;
		id = t[2];
		hdr = id == 0 || (id & YF_EXTRA_HEADER);
		if (t[0] == 0 || t[0] == 0xffffffffU || obj == 0 ||
		    (!hdr && (id > (1U << 24) || t[3] > g->page))) {
			s -= 2;
			continue;
		}
		if (hdr && header_type(y->p + i * chunk, g->page, g->be) == 0) {
			s -= 2;
			continue;
		}
		s += hdr ? 2 : 1;
	}
	return s;
}

/*
 * How well does a dump without OOB read with pages of this size, laid out
 * as mkyaffs2image does (a header, then its file's data pages)?  Headers
 * found, less twice the pages that are neither header nor erased where a
 * header was due.
 */
static long
plain_score(const struct yaffs *y, uint32_t page, bool be)
{
	uint64_t n = y->len / page, i = 0;
	long s = 0;
	unsigned seen = 0;

	while (i < n && seen < YF_PROBE) {
		const uint8_t *q = y->p + i * page;
		uint32_t type = header_type(q, page, be);

		seen++;
		if (type == 0) {
			if (q[0] != 0xff || q[page - 1] != 0xff)
				s -= 2;
			i++;
			continue;
		}
		s++;
		i++;
		if (type == YT_FILE) {
			uint64_t size = g32(be, q + 292);

			i += (size + page - 1) / page;
		}
	}
	return s;
}

static bool
find_geometry(struct yaffs *y, bool be)
{
	static const uint32_t pages[][2] = {
	    {2048, 64},  {4096, 128}, {512, 16},   {8192, 256},
	    {4096, 224}, {4096, 256}, {2048, 128},
	};
	static const uint32_t tagoffs[] = {0, 2};
	struct geom g, best = {0};
	long bs = 0, s;
	size_t i, j;

	for (i = 0; i < SL_ARRAY_LEN(pages); i++)
		for (j = 0; j < SL_ARRAY_LEN(tagoffs); j++) {
			g.page = pages[i][0];
			g.spare = pages[i][1];
			g.tagoff = tagoffs[j];
			g.be = be;
			g.tags = true;
			s = score(y, &g);
			if (s > bs) {
				bs = s;
				best = g;
			}
		}
	if (bs >= 2) {
		y->g = best;
		return true;
	}
	/* No OOB: the page size under which the sequential walk explains
	 * the most pages. */
	{
		static const uint32_t plain[] = {2048, 4096, 512, 8192};
		long ps;

		y->g = (struct geom){2048, 0, 0, be, false};
		bs = LONG_MIN;
		for (i = 0; i < SL_ARRAY_LEN(plain); i++) {
			ps = plain_score(y, plain[i], be);
			if (ps > bs) {
				bs = ps;
				y->g.page = plain[i];
			}
		}
	}
	return true;
}

static int
chunk_cmp(const void *a, const void *b)
{
	const struct ychunk *x = a, *z = b;

	if (x->obj != z->obj)
		return x->obj < z->obj ? -1 : 1;
	if (x->id != z->id)
		return x->id < z->id ? -1 : 1;
	/* Highest sequence first; then the later copy in the image. */
	if (x->seq != z->seq)
		return x->seq > z->seq ? -1 : 1;
	return x->at > z->at ? -1 : x->at < z->at;
}

static void
parse_header(const struct yaffs *y, uint64_t at, struct yobj *o)
{
	const uint8_t *h = y->p + at;
	bool be = y->g.be;
	uint32_t hi;

	o->type = g32(be, h);
	o->parent = g32(be, h + 4);
	memcpy(o->name, h + 10, YF_NAME_LEN - 1);
	o->name[YF_NAME_LEN - 1] = 0;
	o->mode = g32(be, h + 268);
	o->uid = g32(be, h + 272);
	o->gid = g32(be, h + 276);
	o->mtime = g32(be, h + 284);
	o->size = g32(be, h + 292);
	o->equiv = g32(be, h + 296);
	memcpy(o->alias, h + 300, YF_ALIAS_LEN - 1);
	o->alias[YF_ALIAS_LEN - 1] = 0;
	o->rdev = g32(be, h + 460);
	hi = g32(be, h + 496);
	if (hi != 0xffffffffU)
		o->size |= (uint64_t)hi << 32;
	o->at = at;
}

/* ---- collecting objects and chunks -------------------------------- */

struct ycol {
	struct Sl_layer *l;
	struct yaffs *y;
	struct yobj *obj;
	size_t nobj, capobj;
	size_t capch;
	uint64_t end; /* past the last chunk used */
};

static sl_rc
add_chunk(struct ycol *c, uint32_t obj, uint32_t id, uint32_t seq,
          uint32_t nbytes, uint64_t at)
{
	struct yaffs *y = c->y;

	if (y->nch == c->capch) {
		size_t nc = c->capch ? c->capch * 2 : 256;
		struct ychunk *n;

		if (nc > SL_YAFFS_MAX_CHUNKS)
			nc = SL_YAFFS_MAX_CHUNKS;
		if (y->nch == nc)
			return SL_E_LIMIT;
		n = realloc(y->ch, nc * sizeof(*n));
		if (n == NULL)
			return SL_E_NOMEM;
		y->ch = n;
		c->capch = nc;
	}
	y->ch[y->nch++] = (struct ychunk){obj, id, seq, nbytes, at};
	return SL_OK;
}

/*
 * Note a header; which copy of an object is live is decided once all are
 * known (finish_objects), so that collecting stays linear however the
 * object ids are ordered.
 */
static sl_rc
add_header(struct ycol *c, uint32_t id, uint32_t seq, uint64_t at)
{
	void *q;

	if (c->nobj >= Sl_limits(c->l->scan)->max_files) {
		Sl_incomplete(
		    c->l->scan,
		    "%s: more than %llu object headers; the rest "
		    "are not listed",
		    c->l->prefix,
		    (unsigned long long)Sl_limits(c->l->scan)->max_files);
		return SL_E_LIMIT;
	}
	q = c->obj;
	if (!Sl_vec_grow(&q, &c->capobj, c->nobj, sizeof(*c->obj), 64))
		return SL_E_NOMEM;
	c->obj = q;
	memset(&c->obj[c->nobj], 0, sizeof(*c->obj));
	c->obj[c->nobj].id = id;
	c->obj[c->nobj].seq = seq;
	c->obj[c->nobj].at = at;
	c->nobj++;
	return SL_OK;
}

static int
obj_cmp(const void *a, const void *b)
{
	const struct yobj *x = a, *z = b;

	if (x->id != z->id)
		return x->id < z->id ? -1 : 1;
	if (x->seq != z->seq)
		return x->seq > z->seq ? -1 : 1;
	return x->at > z->at ? -1 : x->at < z->at;
}

/* Keep the live header of each object, sorted by id, and parse it. */
static void
finish_objects(struct ycol *c)
{
	size_t i, j;

	qsort(c->obj, c->nobj, sizeof(*c->obj), obj_cmp);
	for (i = j = 0; i < c->nobj; i++)
		if (j == 0 || c->obj[i].id != c->obj[j - 1].id)
			c->obj[j++] = c->obj[i];
	c->nobj = j;
	for (i = 0; i < c->nobj; i++)
		parse_header(c->y, c->obj[i].at, &c->obj[i]);
}

/* Walk the chunks with their tags. */
static sl_rc
collect_tagged(struct ycol *c)
{
	struct yaffs *y = c->y;
	const struct geom *g = &y->g;
	uint64_t chunk = (uint64_t)g->page + g->spare, n = y->len / chunk, i;
	uint32_t t[4];
	sl_rc rc = SL_OK;

	for (i = 0; i < n && rc == SL_OK; i++) {
		uint32_t obj, id;
		uint64_t at = i * chunk;

		if (!tags_at(y, g, i, t))
			continue; /* erased */
		c->end = at + chunk;
		obj = t[1] & YF_ID_MASK;
		id = t[2];
		if (id == 0 || (id & YF_EXTRA_HEADER)) {
			if (header_type(y->p + at, g->page, g->be) == 0) {
				Sl_incomplete(c->l->scan,
				              "%s: chunk %llu at 0x%llx: "
				              "tagged as the header of object "
				              "%u but holds none; skipped",
				              c->l->prefix,
				              (unsigned long long)i,
				              (unsigned long long)at, obj);
				continue;
			}
			rc = add_header(c, obj, t[0], at);
		} else if (t[3] > g->page || obj == 0) {
			Sl_incomplete(c->l->scan,
			              "%s: chunk %llu at 0x%llx: tags hold "
			              "%u bytes for a %u-byte page; skipped",
			              c->l->prefix, (unsigned long long)i,
			              (unsigned long long)at, t[3], g->page);
		} else {
			rc = add_chunk(c, obj, id, t[0], t[3], at);
		}
	}
	return rc;
}

/*
 * Walk a dump without OOB, as mkyaffs2image lays an image out: each
 * header, then for a file its data chunks, full but for the last.
 */
static sl_rc
collect_plain(struct ycol *c)
{
	struct yaffs *y = c->y;
	uint64_t page = y->g.page, n = y->len / page, i = 0;
	uint32_t next_id = YF_FIRST_ID;
	sl_rc rc = SL_OK;

	while (i < n && rc == SL_OK) {
		uint64_t at = i * page, k, nd;
		uint32_t type = header_type(y->p + at, (size_t)page, y->g.be);
		struct yobj tmp;

		if (type == 0) {
			/* Erased pages end an image; anything else is odd. */
			const uint8_t *q = y->p + at;
			uint64_t j;

			for (j = 0; j < page && q[j] == 0xff; j++)
				;
			if (j < page)
				Sl_incomplete(c->l->scan,
				              "%s: page %llu at 0x%llx is "
				              "neither an object header nor "
				              "where data was expected; "
				              "skipped",
				              c->l->prefix,
				              (unsigned long long)i,
				              (unsigned long long)at);
			i++;
			continue;
		}
		c->end = at + page;
		rc = add_header(c, next_id, 0, at);
		if (rc != SL_OK)
			break;
		parse_header(y, at, &tmp);
		i++;
		if (type == YT_FILE) {
			nd = (tmp.size + page - 1) / page;
			if (nd > n - i) {
				Sl_incomplete(c->l->scan,
				              "%s: \"%.200s\" (header at "
				              "0x%llx): %llu bytes declared, "
				              "past the end of the image",
				              c->l->prefix, tmp.name,
				              (unsigned long long)at,
				              (unsigned long long)tmp.size);
				nd = n - i;
			}
			for (k = 0; k < nd && rc == SL_OK; k++) {
				uint64_t left = tmp.size - k * page;

				rc = add_chunk(
				    c, next_id, (uint32_t)k + 1, 0,
				    (uint32_t)(left < page ? left : page),
				    (i + k) * page);
			}
			c->end = (i + nd) * page;
			i += nd;
		}
		next_id++;
	}
	return rc;
}

/* ---- paths ----------------------------------------------------------- */

static struct yobj *
find_obj(struct ycol *c, uint32_t id)
{
	size_t lo = 0, hi = c->nobj;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (c->obj[mid].id == id)
			return &c->obj[mid];
		if (c->obj[mid].id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/*
 * The path of o ("" for the root), built from its parents; NULL when a
 * parent is missing, deleted, not a directory, or the chain loops or is
 * too deep (*why says which).
 */
static const char *
obj_path(struct ycol *c, struct yobj *o, unsigned depth, const char **why)
{
	struct yobj *p;
	const char *pp;

	if (o->path != NULL)
		return o->path;
	if (depth > SL_MAX_DIR_DEPTH) {
		*why = "its parent chain is deeper than the limit or loops";
		return NULL;
	}
	if (o->parent == YF_UNLINKED || o->parent == YF_DELETED) {
		*why = "deleted";
		return NULL;
	}
	if (o->parent == YF_ROOT) {
		pp = "";
	} else if (o->parent == YF_LOSTNFOUND && find_obj(c, 2) == NULL) {
		pp = "lost+found";
	} else {
		p = find_obj(c, o->parent);
		if (p == NULL || p == o || p->type != YT_DIR) {
			*why = "its parent directory is not in the image";
			return NULL;
		}
		pp = obj_path(c, p, depth + 1, why);
		if (pp == NULL)
			return NULL;
	}
	o->path = Sl_arena_printf(Sl_scan_arena(c->l->scan), "%s%s%s", pp,
	                          *pp ? "/" : "", o->name);
	if (o->path == NULL)
		*why = "out of memory";
	return o->path;
}

/* ---- open, read, close ------------------------------------------- */

static const struct ychunk *
chunk_find(const struct yaffs *y, uint32_t obj, uint32_t id)
{
	size_t lo = 0, hi = y->nch;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct ychunk *k = &y->ch[mid];

		if (k->obj == obj && k->id == id)
			return k;
		if (k->obj < obj || (k->obj == obj && k->id < id))
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

static void
list_obj(struct ycol *c, struct yobj *o)
{
	struct Sl_layer *l = c->l;
	struct sl_entry e = {0};
	struct yobj *t = o;
	const char *why = "", *path;
	struct Sl_node *n;

	if (o->id == YF_ROOT)
		return; /* the root's own header, in dumps of live devices */
	if (o->name[0] == 0 || strchr(o->name, '/') != NULL) {
		Sl_incomplete(l->scan,
		              "%s: object %u (header at 0x%llx) has an empty "
		              "name or one holding '/'; refused",
		              l->prefix, o->id, (unsigned long long)o->at);
		return;
	}
	path = obj_path(c, o, 0, &why);
	if (path == NULL) {
		if (strcmp(why, "deleted") != 0)
			Sl_incomplete(l->scan,
			              "%s: \"%.200s\" (object %u, header at "
			              "0x%llx): %s; not listed",
			              l->prefix, o->name, o->id,
			              (unsigned long long)o->at, why);
		return;
	}
	if (o->type == YT_HARDLINK) {
		t = find_obj(c, o->equiv);
		if (t == NULL || t->type != YT_FILE) {
			Sl_incomplete(l->scan,
			              "%s: hard link \"%.200s\" names object "
			              "%u, which is no file of the image",
			              l->prefix, path, o->equiv);
			return;
		}
	}
	e.mode = t->mode & 07777;
	e.uid = t->uid;
	e.gid = t->gid;
	e.mtime = t->mtime;
	switch (t->type) {
	case YT_FILE:
		e.type = SL_FT_REG;
		e.size = t->size;
		break;
	case YT_DIR: e.type = SL_FT_DIR; break;
	case YT_SYMLINK:
		e.type = SL_FT_LNK;
		e.link = t->alias;
		e.size = strlen(t->alias);
		break;
	default:
		switch (t->mode & 0170000) {
		case 0020000: e.type = SL_FT_CHR; break;
		case 0060000: e.type = SL_FT_BLK; break;
		case 0010000: e.type = SL_FT_FIFO; break;
		case 0140000: e.type = SL_FT_SOCK; break;
		default:
			Sl_incomplete(l->scan,
			              "%s: \"%.200s\": special object of "
			              "mode %o; not listed",
			              l->prefix, path, t->mode);
			return;
		}
	}
	n = Sl_add(l, path, &e);
	if (n != NULL)
		n->ref = t->id;
}

static sl_rc
yaffs_open(struct Sl_layer *l)
{
	struct yaffs *y;
	struct ycol c;
	bool be;
	size_t i, j;
	sl_rc rc;

	if (yaffs_bid(l->data, l->len) == 0)
		return SL_E_MALFORMED;
	be = header_type(l->data, l->len, false) == 0;
	y = calloc(1, sizeof(*y));
	if (y == NULL)
		return SL_E_NOMEM;
	l->priv = y;
	y->p = l->data;
	y->len = l->len;
	find_geometry(y, be);
	memset(&c, 0, sizeof(c));
	c.l = l;
	c.y = y;
	rc = y->g.tags ? collect_tagged(&c) : collect_plain(&c);
	if (rc == SL_E_LIMIT) {
		if (y->nch >= SL_YAFFS_MAX_CHUNKS)
			Sl_incomplete(l->scan,
			              "%s: more than %u data chunks; the rest "
			              "are not read",
			              l->prefix, SL_YAFFS_MAX_CHUNKS);
		rc = SL_OK;
	}
	if (rc != SL_OK || c.nobj == 0) {
		free(c.obj);
		return rc != SL_OK ? rc : SL_E_MALFORMED;
	}
	finish_objects(&c);
	/* Keep the live copy of each chunk: the first of each (obj, id). */
	if (y->nch > 0)
		qsort(y->ch, y->nch, sizeof(*y->ch), chunk_cmp);
	for (i = j = 0; i < y->nch; i++)
		if (j == 0 || y->ch[i].obj != y->ch[j - 1].obj ||
		    y->ch[i].id != y->ch[j - 1].id)
			y->ch[j++] = y->ch[i];
	y->nch = j;
	for (i = 0; i < c.nobj; i++)
		list_obj(&c, &c.obj[i]);
	free(c.obj);
	l->size = c.end;
	return SL_OK;
}

static sl_rc
yaffs_read(struct Sl_layer *l, const struct Sl_node *node, const uint8_t **data,
           size_t *len, struct Sl_buf *tmp)
{
	const struct yaffs *y = l->priv;
	uint64_t size = node->e.size, done = 0, k;
	uint32_t page = y->g.page;
	sl_rc rc;

	rc = Sl_buf_reserve(tmp, (size_t)size + 1);
	if (rc != SL_OK)
		return rc;
	for (k = 1; done < size; k++) {
		const struct ychunk *c =
		    chunk_find(y, (uint32_t)node->ref, (uint32_t)k);
		uint64_t want = size - done;

		if (want > page)
			want = page;
		if (k > UINT32_MAX || c == NULL)
			return Sl_fail(l->scan, SL_E_MALFORMED,
			               "data chunk %llu of object %llu is "
			               "not in the image",
			               (unsigned long long)k,
			               (unsigned long long)node->ref);
		/* UNTRUSTED: the chunk's byte count, from its tags. */
		if (c->nbytes < want)
			return Sl_fail(l->scan, SL_E_MALFORMED,
			               "data chunk %llu of object %llu at "
			               "0x%llx holds %u bytes, not %llu",
			               (unsigned long long)k,
			               (unsigned long long)node->ref,
			               (unsigned long long)c->at, c->nbytes,
			               (unsigned long long)want);
		if (c->at > y->len || want > y->len - c->at)
			return Sl_fail(l->scan, SL_E_MALFORMED,
			               "data chunk %llu lies past the end of "
			               "the image",
			               (unsigned long long)k);
		memcpy(tmp->p + done, y->p + c->at, (size_t)want);
		done += want;
	}
	tmp->n = (size_t)size;
	*data = tmp->p;
	*len = (size_t)size;
	return SL_OK;
}

static void
yaffs_close(struct Sl_layer *l)
{
	struct yaffs *y = l->priv;

	if (y != NULL)
		free(y->ch);
	free(y);
	l->priv = NULL;
}

const struct Sl_reader Sl_reader_yaffs2 = {
    .name = "yaffs2",
    .description = "YAFFS2 NAND flash image (with or without OOB)",
    .nest = SL_NEST_WHOLE,
    .magics = yaffs_magics,
    .bid = yaffs_bid,
    .open = yaffs_open,
    .read = yaffs_read,
    .close = yaffs_close,
};
