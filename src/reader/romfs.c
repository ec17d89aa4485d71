/*
 * romfs.c - the Linux ROM filesystem (genromfs; uClinux boards, boot
 * loaders and small NOR-flash routers), read in place by hand.
 *
 * Layout (every field big-endian, every header 16-byte aligned):
 *
 *	superblock: "-rom1fs-", full_size, checksum (the 32-bit words of
 *	    the first min(512, full_size) bytes add up to 0), then the
 *	    volume name, NUL-terminated and padded to 16 bytes
 *	file header: next (offset of the next entry in the same directory,
 *	    low 4 bits: bit 3 executable, bits 0-2 the type), spec.info,
 *	    size, checksum (the header and its padded name add up to 0),
 *	    name (NUL-terminated, padded to 16); the data follows
 *	types: 0 hard link (spec.info = the linked header), 1 directory
 *	    (spec.info = its first entry), 2 file, 3 symbolic link (the data
 *	    is the target), 4 block and 5 char device (spec.info =
 *	    major << 16 | minor), 6 socket, 7 fifo
 *
 * The root directory's first entry is the header after the superblock.
 * romfs keeps no owners and no permission bits but "executable": entries
 * are listed as root's, files 0644 or 0755, directories 0755, which is
 * what the kernel shows.  Directories hold "." and ".." entries, skipped
 * here; a hard link to a file is listed as a file with its content.
 *
 * Trust: every byte is hostile.  Headers must lie inside the image on a
 * 16-byte boundary and are visited once each (a bitmap over the image),
 * so a loop in the "next" chain or a directory that names its own parent
 * ends; directory nesting and the entries visited are capped
 * (SL_MAX_DIR_DEPTH, the scan's file limit).  A checksum that does not
 * add up, an entry whose data runs past the image and an image cut short
 * are recorded as incomplete, and what is there is still listed.
 *
 * Why by hand: no Debian library reads romfs (libarchive does not know
 * it; genromfs only writes it), and the format is a header per file in a
 * linked list.
 */
#include <stdlib.h>

#include "../sl.h"

#define ROMFS_SB_FIXED  16
#define ROMFS_HDR       16
#define ROMFS_ALIGN     16U
#define ROMFS_CHECK_LEN 512U

enum {
	ROMFS_HARD,
	ROMFS_DIR,
	ROMFS_REG,
	ROMFS_LNK,
	ROMFS_BLK,
	ROMFS_CHR,
	ROMFS_SOCK,
	ROMFS_FIFO,
};
#define ROMFS_EXEC 8U

static const struct Sl_magic romfs_magics[] = {
    {"-rom1fs-", 8, 0},
    {NULL, 0, 0},
};

struct rhdr {
	uint32_t next, spec, size;
	unsigned type;
	bool exec;
	const char *name;
	size_t nlen;
	uint64_t data; /* offset of the data */
	bool sum_ok;
};

struct rdir {
	uint64_t first;
	const char *path;
	unsigned depth;
};

struct rwalk {
	struct Sl_layer *l;
	const uint8_t *p;
	uint64_t size; /* bytes of the image present */
	uint8_t *seen; /* one bit per 16-byte slot */
	struct rdir *q;
	size_t qhead, qn, qcap;
	uint64_t entries, max_entries;
	struct Sl_buf path;
	sl_rc rc;
};

static uint64_t
align16(uint64_t v)
{
	return (v + ROMFS_ALIGN - 1) & ~(uint64_t)(ROMFS_ALIGN - 1);
}

/* Sum of the big-endian 32-bit words of p[0..n), n a multiple of 4. */
static uint32_t
sum32(const uint8_t *p, size_t n)
{
	uint32_t s = 0;
	size_t i;

	for (i = 0; i + 4 <= n; i += 4)
		s += Sl_get_be32(p + i);
	return s;
}

/* The name at p[0..n): its length before the NUL, or -1 if none. */
static long
name_len(const uint8_t *p, uint64_t n)
{
	const uint8_t *z;

	if (n > SL_MAX_NAME + 1)
		n = SL_MAX_NAME + 1;
	z = memchr(p, 0, (size_t)n);
	return z == NULL ? -1 : (long)(z - p);
}

static int
romfs_bid(const uint8_t *p, size_t n)
{
	struct Sl_rd r;
	uint32_t full;

	if (n < 32 || memcmp(p, "-rom1fs-", 8) != 0)
		return 0;
	Sl_rd_init(&r, p + 8, n - 8);
	full = Sl_rd_be32(&r);
	if (r.bad || full < ROMFS_SB_FIXED + ROMFS_ALIGN ||
	    name_len(p + ROMFS_SB_FIXED, n - ROMFS_SB_FIXED) < 0)
		return 0;
	return 90;
}

/* Parse the header at off; false (with *why) when it cannot be read. */
static bool
read_hdr(const struct rwalk *w, uint64_t off, struct rhdr *h, const char **why)
{
	struct Sl_rd r;
	long nl;

	/* UNTRUSTED: off comes from a "next" or spec.info field. */
	if (off % ROMFS_ALIGN != 0 || off < ROMFS_SB_FIXED || off > w->size ||
	    w->size - off < ROMFS_HDR + ROMFS_ALIGN) {
		*why = "header offset lies outside the image or is unaligned";
		return false;
	}
	Sl_rd_init(&r, w->p + off, (size_t)(w->size - off));
	h->next = Sl_rd_be32(&r);
	h->spec = Sl_rd_be32(&r);
	h->size = Sl_rd_be32(&r);
	Sl_rd_skip(&r, 4); /* checksum: checked over the whole header */
	nl = name_len(r.p, r.left);
	if (r.bad || nl < 0) {
		*why = "name is not terminated inside the image";
		return false;
	}
	h->type = h->next & 7;
	h->exec = h->next & ROMFS_EXEC;
	h->next &= ~(uint32_t)(ROMFS_ALIGN - 1);
	h->name = (const char *)r.p;
	h->nlen = (size_t)nl;
	h->data = off + ROMFS_HDR + align16((uint64_t)nl + 1);
	if (h->data > w->size) {
		*why = "name runs past the end of the image";
		return false;
	}
	h->sum_ok = sum32(w->p + off, (size_t)(h->data - off)) == 0;
	return true;
}

static bool
seen_test_set(struct rwalk *w, uint64_t off)
{
	uint64_t slot = off / ROMFS_ALIGN;
	uint8_t bit = (uint8_t)(1U << (slot & 7));
	bool was = w->seen[slot >> 3] & bit;

	w->seen[slot >> 3] |= bit;
	return was;
}

static bool
queue_dir(struct rwalk *w, uint64_t first, const char *path, unsigned depth)
{
	void *q = w->q;

	if (!Sl_vec_grow(&q, &w->qcap, w->qn, sizeof(*w->q), 64))
		return false;
	w->q = q;
	w->q[w->qn++] = (struct rdir){first, path, depth};
	return true;
}

/* Add one entry (not "." or ".."), named path, whose header is at off. */
static void
add_entry(struct rwalk *w, const struct rdir *d, const struct rhdr *h,
          uint64_t off, const char *path)
{
	struct Sl_layer *l = w->l;
	struct sl_entry e = {0};
	struct rhdr t = *h;
	struct Sl_node *n;
	const char *why = NULL;
	char *target = NULL;

	if (h->type == ROMFS_HARD) {
		/* A hard link: listed as what it links to, if a file. */
		if (!read_hdr(w, h->spec, &t, &why) || t.type != ROMFS_REG) {
			Sl_incomplete(l->scan,
			              "%s: hard link \"%.200s\" (header at "
			              "0x%llx) to 0x%x: %s; not listed",
			              l->prefix, path, (unsigned long long)off,
			              h->spec,
			              why ? why : "not a regular file");
			return;
		}
	}
	e.mode = t.exec ? 0755 : 0644;
	switch (t.type) {
	case ROMFS_REG:
		e.type = SL_FT_REG;
		e.size = t.size;
		/* UNTRUSTED: size comes from the header. */
		if (t.size > w->size - t.data) {
			Sl_incomplete(l->scan,
			              "%s: \"%.200s\" (header at 0x%llx): "
			              "%u bytes of data declared, only %llu "
			              "present (image truncated)",
			              l->prefix, path, (unsigned long long)off,
			              t.size,
			              (unsigned long long)(w->size - t.data));
			e.size = w->size - t.data;
			e.note = "truncated";
		}
		break;
	case ROMFS_DIR:
		e.type = SL_FT_DIR;
		e.mode = 0755;
		break;
	case ROMFS_LNK:
		e.type = SL_FT_LNK;
		e.mode = 0777;
		if (t.size == 0 || t.size >= SL_DEF_MAX_PATH ||
		    t.size > w->size - t.data) {
			Sl_incomplete(l->scan,
			              "%s: symlink \"%.200s\" (header at "
			              "0x%llx): target length %u out of range",
			              l->prefix, path, (unsigned long long)off,
			              t.size);
			break;
		}
		target = Sl_arena_strndup(Sl_scan_arena(l->scan),
		                          (const char *)w->p + t.data, t.size);
		if (target == NULL) {
			w->rc = SL_E_NOMEM;
			return;
		}
		e.link = target;
		e.size = strlen(target);
		break;
	case ROMFS_BLK: e.type = SL_FT_BLK; break;
	case ROMFS_CHR: e.type = SL_FT_CHR; break;
	case ROMFS_SOCK: e.type = SL_FT_SOCK; break;
	default: e.type = SL_FT_FIFO; break;
	}
	n = Sl_add(l, path, &e);
	if (n == NULL)
		return;
	n->ref = t.data;
	if (t.type != ROMFS_DIR || h->type != ROMFS_DIR || h->spec == 0)
		return;
	if (d->depth + 1 > SL_MAX_DIR_DEPTH) {
		Sl_incomplete(l->scan,
		              "%s: \"%.200s\" nests deeper than %u "
		              "directories; not walked",
		              l->prefix, path, SL_MAX_DIR_DEPTH);
		return;
	}
	if (!queue_dir(w, h->spec, n->inner, d->depth + 1))
		w->rc = SL_E_NOMEM;
}

/* Walk the "next" chain of one directory. */
static void
walk_dir(struct rwalk *w, const struct rdir *d)
{
	struct Sl_layer *l = w->l;
	uint64_t off = d->first;

	while (off != 0 && w->rc == SL_OK) {
		struct rhdr h;
		const char *why = NULL;

		if (++w->entries > w->max_entries) {
			Sl_incomplete(l->scan,
			              "%s: more than %llu entries; the rest "
			              "of the tree is not listed",
			              l->prefix,
			              (unsigned long long)w->max_entries);
			w->rc = SL_E_LIMIT;
			return;
		}
		if (!read_hdr(w, off, &h, &why)) {
			Sl_incomplete(l->scan,
			              "%s: directory \"%.200s\": entry at "
			              "0x%llx: %s; the rest of the directory "
			              "is not listed",
			              l->prefix, *d->path ? d->path : "/",
			              (unsigned long long)off, why);
			return;
		}
		if (seen_test_set(w, off)) {
			Sl_incomplete(l->scan,
			              "%s: directory \"%.200s\": entry at "
			              "0x%llx was already visited (a loop); "
			              "the rest of the directory is not "
			              "listed",
			              l->prefix, *d->path ? d->path : "/",
			              (unsigned long long)off);
			return;
		}
		if (!h.sum_ok)
			Sl_incomplete(l->scan,
			              "%s: entry at 0x%llx: header checksum "
			              "does not add up (damaged)",
			              l->prefix, (unsigned long long)off);
		if (h.nlen == 0 || memchr(h.name, '/', h.nlen) != NULL) {
			Sl_incomplete(l->scan,
			              "%s: directory \"%.200s\": entry at "
			              "0x%llx has an empty name or one "
			              "holding '/'; refused",
			              l->prefix, *d->path ? d->path : "/",
			              (unsigned long long)off);
		} else if (!(h.nlen == 1 && h.name[0] == '.') &&
		           !(h.nlen == 2 && memcmp(h.name, "..", 2) == 0)) {
			w->path.n = 0;
			if ((*d->path &&
			     (Sl_buf_add(&w->path, d->path, strlen(d->path)) !=
			          SL_OK ||
			      Sl_buf_add(&w->path, "/", 1) != SL_OK)) ||
			    Sl_buf_add(&w->path, h.name, h.nlen) != SL_OK ||
			    Sl_buf_add(&w->path, "", 1) != SL_OK) {
				w->rc = SL_E_NOMEM;
				return;
			}
			add_entry(w, d, &h, off, (const char *)w->path.p);
		}
		off = h.next;
	}
}

static sl_rc
romfs_open(struct Sl_layer *l)
{
	struct sl_scan *s = l->scan;
	struct rwalk w;
	struct Sl_rd r;
	uint64_t full, root;
	long vl;
	sl_rc rc;

	if (romfs_bid(l->data, l->len) == 0)
		return SL_E_MALFORMED;
	Sl_rd_init(&r, l->data, l->len);
	Sl_rd_skip(&r, 8);
	full = Sl_rd_be32(&r);
	memset(&w, 0, sizeof(w));
	w.l = l;
	w.p = l->data;
	w.size = full;
	if (full > l->len) {
		Sl_incomplete(s,
		              "%s: image of %llu bytes is cut short: only "
		              "%llu bytes are present",
		              l->prefix, (unsigned long long)full,
		              (unsigned long long)l->len);
		w.size = l->len;
	}
	/* The superblock checksum covers at most the first 512 bytes. */
	if (sum32(l->data,
	          (size_t)(w.size < ROMFS_CHECK_LEN ? w.size & ~(uint64_t)3
	                                            : ROMFS_CHECK_LEN)) != 0)
		Sl_incomplete(s,
		              "%s: checksum of the first %u bytes does not "
		              "add up: the image is damaged or was modified",
		              l->prefix, ROMFS_CHECK_LEN);
	vl = name_len(l->data + ROMFS_SB_FIXED, w.size - ROMFS_SB_FIXED);
	if (vl < 0)
		return SL_E_MALFORMED;
	root = ROMFS_SB_FIXED + align16((uint64_t)vl + 1);
	l->size = w.size;
	w.seen = calloc((size_t)(w.size / ROMFS_ALIGN / 8 + 1), 1);
	if (w.seen == NULL)
		return SL_E_NOMEM;
	w.rc = SL_OK;
	w.max_entries = Sl_limits(s)->max_files * 4ULL + 1024;
	Sl_buf_init(&w.path, SL_BUF_MAX_PATH);
	if (!queue_dir(&w, root, "", 0))
		w.rc = SL_E_NOMEM;
	while (w.qhead < w.qn && w.rc == SL_OK) {
		struct rdir d = w.q[w.qhead++];

		walk_dir(&w, &d);
	}
	rc = w.rc == SL_E_LIMIT ? SL_OK : w.rc;
	free(w.q);
	free(w.seen);
	Sl_buf_free(&w.path);
	return rc;
}

const struct Sl_reader Sl_reader_romfs = {
    .name = "romfs",
    .description = "Linux ROM filesystem (romfs)",
    .nest = SL_NEST_WHOLE,
    .magics = romfs_magics,
    .bid = romfs_bid,
    .open = romfs_open,
    .read = NULL,
    .close = NULL,
};
