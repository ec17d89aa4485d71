/*
 * cramfs.c - cramfs, the compressed ROM filesystem of older Linux
 * firmware, read in place by hand.
 *
 * Layout (all offsets from the start of the image; fields little- or
 * big-endian as the magic says; a 512-byte pad for boot code may precede
 * the superblock, in which case the offsets still count from the pad):
 *
 *	superblock (76 bytes): magic 0x28cd3d45, size, flags, future,
 *	    "Compressed ROMFS", crc, edition, blocks, files, name[16],
 *	    root inode
 *	inode (12 bytes): mode:16 uid:16 | size:24 gid:8 |
 *	    namelen:6 offset:26, then namelen*4 bytes of NUL-padded name
 *	directory: the inodes of its entries, back to back, at offset*4,
 *	    size bytes in all
 *	file or symlink: at offset*4 a table of one 32-bit pointer per
 *	    4 KiB page, each the end of that page's zlib stream (the first
 *	    starts after the table); a page whose stream is empty is a hole.
 *	    With the EXT_BLOCK_POINTERS flag a pointer may carry two flag
 *	    bits: "direct" (the pointer is the start, shifted by 2) and
 *	    "uncompressed".
 *
 * Trust: every byte is hostile.  Every offset and length is checked
 * against the image before use, each directory is walked once, directory
 * nesting and the number of entries visited are capped, names holding
 * '/' or NUL are refused, each page must inflate to exactly its size, and
 * the superblock's CRC-32 is checked so that damage the structure does not
 * show is still reported.  Pages are 4 KiB (what mkfs.cramfs builds on
 * x86 and ARM hosts); images built for larger pages are not read.
 *
 * Why by hand: no maintained library reads cramfs.  util-linux ships only
 * the fsck.cramfs and mkfs.cramfs programs, libarchive does not know the
 * format, and the format is a few hundred lines: a superblock, a flat
 * inode layout and zlib pages.
 */
#include <stdlib.h>

#include <zlib.h>

#include "../sl.h"

#define CRAMFS_MAGIC     0x28cd3d45U
#define CRAMFS_SB_LEN    76
#define CRAMFS_INODE_LEN 12
#define CRAMFS_PAD       512
#define CRAMFS_PAGE      4096U

#define CRAMFS_FLAG_FSID_VERSION_2      0x00000001U
#define CRAMFS_FLAG_HOLES               0x00000100U
#define CRAMFS_FLAG_WRONG_SIGNATURE     0x00000200U
#define CRAMFS_FLAG_SHIFTED_ROOT_OFFSET 0x00000400U
#define CRAMFS_FLAG_EXT_BLOCK_POINTERS  0x00000800U
#define CRAMFS_SUPPORTED_FLAGS                                                 \
	(0xffU | CRAMFS_FLAG_HOLES | CRAMFS_FLAG_WRONG_SIGNATURE |             \
	 CRAMFS_FLAG_SHIFTED_ROOT_OFFSET | CRAMFS_FLAG_EXT_BLOCK_POINTERS)

#define CRAMFS_BLK_UNCOMPRESSED 0x80000000U
#define CRAMFS_BLK_DIRECT       0x40000000U
#define CRAMFS_BLK_FLAGS        (CRAMFS_BLK_UNCOMPRESSED | CRAMFS_BLK_DIRECT)

/* Directory nesting walked below the root. */
#define CRAMFS_MAX_DEPTH SL_NEST_CRAMFS_DIRS /* src/limits.h */

/* POSIX file type bits as cramfs stores them. */
#define CR_IFMT   0170000
#define CR_IFSOCK 0140000
#define CR_IFLNK  0120000
#define CR_IFREG  0100000
#define CR_IFBLK  0060000
#define CR_IFDIR  0040000
#define CR_IFCHR  0020000
#define CR_IFIFO  0010000

static const struct Sl_magic cramfs_magics[] = {
    {"\x45\x3d\xcd\x28", 4, 0},
    {"\x28\xcd\x3d\x45", 4, 0},
    {"\x45\x3d\xcd\x28", 4, CRAMFS_PAD},
    {"\x28\xcd\x3d\x45", 4, CRAMFS_PAD},
    {NULL, 0, 0},
};

/* The image as open() found it; read() only reads this. */
struct cram {
	const uint8_t *p; /* start of the image (of the pad, if any) */
	uint64_t len;     /* bytes that may be read */
	bool be;
	uint32_t flags;
};

struct cinode {
	uint32_t mode, uid, gid, size;
	uint32_t namelen; /* bytes */
	uint64_t offset;  /* bytes */
};

static uint32_t
get32(const struct cram *c, const uint8_t *q)
{
	return c->be ? Sl_get_be32(q) : Sl_get_le32(q);
}

static void
parse_inode(const struct cram *c, const uint8_t *q, struct cinode *in)
{
	uint32_t w0 = get32(c, q), w1 = get32(c, q + 4), w2 = get32(c, q + 8);

	if (c->be) {
		in->mode = w0 >> 16;
		in->uid = w0 & 0xffff;
		in->size = w1 >> 8;
		in->gid = w1 & 0xff;
		in->namelen = (w2 >> 26) * 4;
		in->offset = (uint64_t)(w2 & 0x3ffffff) * 4;
	} else {
		in->mode = w0 & 0xffff;
		in->uid = w0 >> 16;
		in->size = w1 & 0xffffff;
		in->gid = w1 >> 24;
		in->namelen = (w2 & 0x3f) * 4;
		in->offset = (uint64_t)(w2 >> 6) * 4;
	}
}

/*
 * Where the superblock is (0 or 512), with its byte order, or -1.  A
 * superblock at 0 whose root sits where a padded image puts it belongs to
 * an image that starts 512 bytes earlier, and is refused here so that the
 * padded candidate is the one opened.
 */
static int
find_super(const uint8_t *p, size_t n, bool *be)
{
	static const size_t at[] = {0, CRAMFS_PAD};
	struct cram c = {0};
	struct cinode root;
	size_t i;

	for (i = 0; i < SL_ARRAY_LEN(at); i++) {
		const uint8_t *sb = p + at[i];
		uint32_t flags;

		if (n < at[i] + CRAMFS_SB_LEN)
			break;
		if (Sl_get_le32(sb) == CRAMFS_MAGIC)
			c.be = false;
		else if (Sl_get_be32(sb) == CRAMFS_MAGIC)
			c.be = true;
		else
			continue;
		flags = get32(&c, sb + 8);
		if (flags & ~CRAMFS_SUPPORTED_FLAGS)
			continue;
		if (memcmp(sb + 16, "Compressed ROMFS", 16) != 0 &&
		    !(flags & CRAMFS_FLAG_WRONG_SIGNATURE))
			continue;
		parse_inode(&c, sb + 64, &root);
		if ((root.mode & CR_IFMT) != CR_IFDIR)
			continue;
		if (!(flags & CRAMFS_FLAG_SHIFTED_ROOT_OFFSET) &&
		    root.offset != 0 && root.offset != at[i] + CRAMFS_SB_LEN)
			continue;
		*be = c.be;
		return (int)at[i];
	}
	return -1;
}

static int
cramfs_bid(const uint8_t *p, size_t n)
{
	bool be;

	return find_super(p, n, &be) >= 0 ? 90 : 0;
}

/*
 * Read a file's content, size bytes whose page table is at off, into out.
 * *end receives the end of the last byte of the image used.  Returns
 * SL_OK, or SL_E_MALFORMED with *why and *page set.
 */
static sl_rc
read_data(const struct cram *c, uint64_t off, uint64_t size, uint8_t *out,
          uint64_t *end, uint64_t *zin, const char **why, uint64_t *page)
{
	uint64_t nblk = (size + CRAMFS_PAGE - 1) / CRAMFS_PAGE, i;
	uint64_t prev_end, start, blen;
	bool ext = c->flags & CRAMFS_FLAG_EXT_BLOCK_POINTERS;
	z_stream z;
	sl_rc rc = SL_OK;

	*why = NULL;
	*page = 0;
	*end = off;
	/* UNTRUSTED: off and size come from the inode. */
	if (off == 0 || off > c->len || nblk > (c->len - off) / 4) {
		*why = "page table lies outside the image";
		return SL_E_MALFORMED;
	}
	memset(&z, 0, sizeof(z));
	if (inflateInit(&z) != Z_OK)
		return SL_E_NOMEM;
	prev_end = off + nblk * 4;
	*end = prev_end;
	for (i = 0; i < nblk && rc == SL_OK; i++) {
		uint32_t ptr = get32(c, c->p + off + i * 4);
		uint64_t want = size - i * CRAMFS_PAGE;
		bool raw = false;

		if (want > CRAMFS_PAGE)
			want = CRAMFS_PAGE;
		*page = i;
		if (ext && (ptr & CRAMFS_BLK_DIRECT)) {
			/* UNTRUSTED: a direct pointer is an offset / 4. */
			raw = ptr & CRAMFS_BLK_UNCOMPRESSED;
			start = (uint64_t)(ptr & ~CRAMFS_BLK_FLAGS) << 2;
			if (raw) {
				blen = want;
			} else {
				if (start > c->len || c->len - start < 2) {
					*why = "page lies outside the image";
					rc = SL_E_MALFORMED;
					break;
				}
				blen = c->be ? Sl_get_be16(c->p + start)
				             : Sl_get_le16(c->p + start);
				start += 2;
			}
		} else {
			if (ext) {
				raw = ptr & CRAMFS_BLK_UNCOMPRESSED;
				ptr &= ~CRAMFS_BLK_FLAGS;
			}
			start = prev_end;
			if (ptr < start) {
				*why = "page pointer runs backwards";
				rc = SL_E_MALFORMED;
				break;
			}
			blen = ptr - start;
		}
		/* UNTRUSTED: start and blen, from the page table. */
		if (start > c->len || blen > c->len - start ||
		    blen > 2 * CRAMFS_PAGE || (raw && blen != want)) {
			*why = "page lies outside the image or is too long";
			rc = SL_E_MALFORMED;
			break;
		}
		prev_end = start + blen;
		if (prev_end > *end)
			*end = prev_end;
		*zin += blen;
		if (blen == 0) { /* a hole */
			memset(out + i * CRAMFS_PAGE, 0, (size_t)want);
		} else if (raw) {
			memcpy(out + i * CRAMFS_PAGE, c->p + start,
			       (size_t)blen);
		} else {
			int zr;

			inflateReset(&z);
			z.next_in = (Bytef *)(c->p + start);
			z.avail_in = (uInt)blen;
			z.next_out = out + i * CRAMFS_PAGE;
			z.avail_out = (uInt)want;
			zr = inflate(&z, Z_FINISH);
			if (zr != Z_STREAM_END || z.avail_out != 0) {
				*why = zr == Z_STREAM_END
				           ? "page inflates to fewer bytes "
				             "than the file size says"
				           : "page does not inflate";
				rc = SL_E_MALFORMED;
			}
		}
	}
	inflateEnd(&z);
	return rc;
}

/*
 * The end of a file's data, for version 1 images, which do not record
 * their size: the furthest page pointer, bounded by the image.
 */
static uint64_t
data_end(const struct cram *c, uint64_t off, uint64_t size)
{
	uint64_t nblk = (size + CRAMFS_PAGE - 1) / CRAMFS_PAGE, i, end;

	/* UNTRUSTED: off and size come from the inode. */
	if (off == 0 || off > c->len || nblk > (c->len - off) / 4)
		return 0;
	end = off + nblk * 4;
	for (i = 0; i < nblk; i++) {
		uint32_t ptr = get32(c, c->p + off + i * 4);
		uint64_t e = ptr;

		if ((c->flags & CRAMFS_FLAG_EXT_BLOCK_POINTERS) &&
		    (ptr & CRAMFS_BLK_DIRECT))
			e = ((uint64_t)(ptr & ~CRAMFS_BLK_FLAGS) << 2) +
			    2 * CRAMFS_PAGE;
		else if (c->flags & CRAMFS_FLAG_EXT_BLOCK_POINTERS)
			e = ptr & ~CRAMFS_BLK_FLAGS;
		if (e > end)
			end = e;
	}
	return end < c->len ? end : c->len;
}

/* ---- walking the tree -------------------------------------------- */

struct cdir {
	uint64_t off, size;
	const char *path;
	unsigned depth;
};

struct walk {
	struct Sl_layer *l;
	struct cram *c;
	struct cdir *q;
	size_t qhead, qn, qcap;
	struct Sl_u64set seen; /* directory offsets queued */
	uint64_t entries, max_entries;
	uint64_t end; /* the furthest byte referenced */
	struct Sl_buf path;
	uint8_t link[CRAMFS_PAGE];
	sl_rc rc;
};

/* Queue a directory (off is never 0); false when out of memory. */
static bool
queue_dir(struct walk *w, uint64_t off, uint64_t size, const char *path,
          unsigned depth)
{
	int added = Sl_u64set_add(&w->seen, off);
	void *q;

	if (added <= 0) {
		if (added == 0)
			Sl_incomplete(w->l->scan,
			              "%s: directory \"%.200s\" reuses the "
			              "entries at offset 0x%llx; not walked "
			              "twice",
			              w->l->prefix, path,
			              (unsigned long long)off);
		return added == 0;
	}
	q = w->q;
	if (!Sl_vec_grow(&q, &w->qcap, w->qn, sizeof(*w->q), 64))
		return false;
	w->q = q;
	w->q[w->qn++] = (struct cdir){off, size, path, depth};
	return true;
}

/* parent/name into b, NUL-terminated; false when out of memory. */
static bool
join_path(struct Sl_buf *b, const char *parent, const char *name, size_t nlen)
{
	Sl_buf_reset(b);
	if (*parent != 0 && (Sl_buf_add(b, parent, strlen(parent)) != SL_OK ||
	                     Sl_buf_add(b, "/", 1) != SL_OK))
		return false;
	return Sl_buf_add(b, name, nlen) == SL_OK;
}

/* Add the entry described by in, named path, found at entry offset at. */
static void
add_entry(struct walk *w, const struct cdir *d, const struct cinode *in,
          const char *path, uint64_t at)
{
	struct Sl_layer *l = w->l;
	struct sl_entry e = {0};
	struct Sl_node *n;
	const char *why;
	uint64_t end = 0, zin = 0, page = 0;

	e.mode = in->mode & 07777;
	e.uid = in->uid;
	e.gid = in->gid;
	switch (in->mode & CR_IFMT) {
	case CR_IFREG:
		e.type = SL_FT_REG;
		e.size = in->size;
		if (!(w->c->flags & CRAMFS_FLAG_FSID_VERSION_2))
			end = data_end(w->c, in->offset, in->size);
		break;
	case CR_IFDIR: e.type = SL_FT_DIR; break;
	case CR_IFLNK:
		e.type = SL_FT_LNK;
		/* UNTRUSTED: a target is at most one page. */
		if (in->size == 0 || in->size >= CRAMFS_PAGE) {
			Sl_incomplete(l->scan,
			              "%s: symlink \"%.200s\" (entry at "
			              "0x%llx): target length %u out of range",
			              l->prefix, path, (unsigned long long)at,
			              (unsigned)in->size);
			break;
		}
		if (read_data(w->c, in->offset, in->size, w->link, &end, &zin,
		              &why, &page) != SL_OK) {
			Sl_incomplete(l->scan,
			              "%s: symlink \"%.200s\" (data at "
			              "0x%llx): %s; target not read",
			              l->prefix, path,
			              (unsigned long long)in->offset,
			              why ? why : "out of memory");
			break;
		}
		w->link[in->size] = 0;
		e.link = (const char *)w->link;
		e.size = strlen(e.link);
		break;
	case CR_IFCHR: e.type = SL_FT_CHR; break;
	case CR_IFBLK: e.type = SL_FT_BLK; break;
	case CR_IFIFO: e.type = SL_FT_FIFO; break;
	case CR_IFSOCK: e.type = SL_FT_SOCK; break;
	default:
		Sl_incomplete(l->scan,
		              "%s: \"%.200s\" (entry at 0x%llx) has unknown "
		              "type %o",
		              l->prefix, path, (unsigned long long)at,
		              in->mode & CR_IFMT);
		return;
	}
	if (end > w->end)
		w->end = end;
	n = Sl_add(l, path, &e);
	if (n == NULL)
		return;
	n->ref = in->offset;
	if (e.type != SL_FT_DIR || in->size == 0 || in->offset == 0)
		return;
	if (d->depth + 1 > CRAMFS_MAX_DEPTH) {
		Sl_incomplete(l->scan,
		              "%s: \"%.200s\" nests deeper than %u "
		              "directories; not walked",
		              l->prefix, path, CRAMFS_MAX_DEPTH);
		return;
	}
	if (!queue_dir(w, in->offset, in->size, n->inner, d->depth + 1))
		w->rc = SL_E_NOMEM;
}

/* Walk the entries of one directory. */
static void
walk_dir(struct walk *w, const struct cdir *d)
{
	struct Sl_layer *l = w->l;
	const struct cram *c = w->c;
	uint64_t pos = d->off, dend;

	/* UNTRUSTED: the directory's extent comes from its inode. */
	if (d->off > c->len || d->size > c->len - d->off) {
		Sl_incomplete(l->scan,
		              "%s: directory \"%.200s\": entries at 0x%llx "
		              "(%llu bytes) lie outside the image",
		              l->prefix, *d->path ? d->path : "/",
		              (unsigned long long)d->off,
		              (unsigned long long)d->size);
		return;
	}
	dend = d->off + d->size;
	if (dend > w->end)
		w->end = dend;
	while (pos < dend && w->rc == SL_OK) {
		struct cinode in;
		const char *name;
		size_t nlen;

		if (++w->entries > w->max_entries) {
			Sl_incomplete(l->scan,
			              "%s: more than %llu directory entries; "
			              "the rest of the tree is not listed",
			              l->prefix,
			              (unsigned long long)w->max_entries);
			w->rc = SL_E_LIMIT;
			return;
		}
		if (dend - pos < CRAMFS_INODE_LEN)
			goto bad;
		parse_inode(c, c->p + pos, &in);
		/* UNTRUSTED: the name must lie inside the directory. */
		if (in.namelen == 0 ||
		    in.namelen > dend - pos - CRAMFS_INODE_LEN)
			goto bad;
		name = (const char *)c->p + pos + CRAMFS_INODE_LEN;
		nlen = in.namelen;
		while (nlen > 0 && name[nlen - 1] == 0)
			nlen--;
		if (nlen == 0 || memchr(name, '/', nlen) != NULL ||
		    memchr(name, 0, nlen) != NULL) {
			Sl_incomplete(l->scan,
			              "%s: directory \"%.200s\": entry at "
			              "0x%llx has an empty name or one "
			              "holding '/' or NUL; refused",
			              l->prefix, *d->path ? d->path : "/",
			              (unsigned long long)pos);
		} else {
			if (!join_path(&w->path, d->path, name, nlen)) {
				w->rc = SL_E_NOMEM;
				return;
			}
			add_entry(w, d, &in, (const char *)w->path.p, pos);
		}
		pos += CRAMFS_INODE_LEN + in.namelen;
	}
	return;
bad:
	Sl_incomplete(l->scan,
	              "%s: directory \"%.200s\": entry at 0x%llx runs past "
	              "the end of the directory; the rest of it is not listed",
	              l->prefix, *d->path ? d->path : "/",
	              (unsigned long long)pos);
}

/* CRC-32 of the image from the superblock on, its crc field as zero. */
static uint32_t
image_crc(const uint8_t *p, uint64_t sboff, uint64_t size)
{
	static const uint8_t zero[4];
	uLong crc = crc32(0L, Z_NULL, 0);
	uint64_t at = sboff + 36; /* after the crc field */

	crc = crc32(crc, p + sboff, 32);
	crc = crc32(crc, zero, 4);
	while (at < size) {
		uInt n = 1U << 30;

		if (size - at < n)
			n = (uInt)(size - at);
		crc = crc32(crc, p + at, n);
		at += n;
	}
	return (uint32_t)crc;
}

static sl_rc
cramfs_open(struct Sl_layer *l)
{
	struct sl_scan *s = l->scan;
	struct cram *c;
	struct walk *w;
	struct cinode root;
	const uint8_t *sb;
	uint64_t size;
	int sboff;
	bool be;
	sl_rc rc;

	sboff = find_super(l->data, l->len, &be);
	if (sboff < 0)
		return SL_E_MALFORMED;
	c = calloc(1, sizeof(*c));
	w = calloc(1, sizeof(*w));
	if (c == NULL || w == NULL) {
		free(c);
		free(w);
		return SL_E_NOMEM;
	}
	l->priv = c;
	sb = l->data + sboff;
	c->p = l->data;
	c->be = be;
	c->flags = get32(c, sb + 8);
	c->len = l->len;
	size = get32(c, sb + 4);
	if (c->flags & CRAMFS_FLAG_FSID_VERSION_2) {
		/* UNTRUSTED: size comes from the superblock. */
		if (size < (uint64_t)sboff + CRAMFS_SB_LEN) {
			free(w);
			return SL_E_MALFORMED;
		}
		if (size > l->len) {
			Sl_incomplete(s,
			              "%s: image of %llu bytes is cut short: "
			              "only %llu bytes are present",
			              l->prefix, (unsigned long long)size,
			              (unsigned long long)l->len);
			size = l->len;
		} else if (image_crc(l->data, (uint64_t)sboff, size) !=
		           get32(c, sb + 32)) {
			Sl_incomplete(s,
			              "%s: CRC-32 of the image does not match "
			              "its superblock: the image is damaged "
			              "or was modified",
			              l->prefix);
		}
		c->len = size;
	}

	w->l = l;
	w->c = c;
	w->rc = SL_OK;
	w->max_entries = Sl_limits(s)->max_files * 4 + 1024;
	w->end = (uint64_t)sboff + CRAMFS_SB_LEN;
	Sl_buf_init(&w->path, SL_BUF_MAX_PATH);
	parse_inode(c, sb + 64, &root);
	if (root.offset != 0 && root.size != 0 &&
	    !queue_dir(w, root.offset, root.size, "", 0))
		w->rc = SL_E_NOMEM;
	while (w->qhead < w->qn && w->rc == SL_OK) {
		struct cdir d = w->q[w->qhead++];

		walk_dir(w, &d);
	}
	rc = w->rc == SL_E_LIMIT ? SL_OK : w->rc;
	if (c->flags & CRAMFS_FLAG_FSID_VERSION_2) {
		l->size = size;
	} else {
		/* Version 1 keeps no size: up to the last byte used. */
		size = (w->end + CRAMFS_PAGE - 1) / CRAMFS_PAGE * CRAMFS_PAGE;
		l->size = size < l->len ? size : l->len;
		c->len = l->size;
	}
	free(w->q);
	Sl_u64set_free(&w->seen);
	Sl_buf_free(&w->path);
	free(w);
	return rc;
}

static sl_rc
cramfs_read(struct Sl_layer *l, const struct Sl_node *node,
            const uint8_t **data, size_t *len, struct Sl_buf *tmp)
{
	const struct cram *c = l->priv;
	uint64_t size = node->e.size, end = 0, zin = 0, page = 0;
	const char *why = NULL;
	sl_rc rc;

	if (size == 0) {
		*data = (const uint8_t *)"";
		*len = 0;
		return SL_OK;
	}
	rc = Sl_buf_reserve(tmp, (size_t)size);
	if (rc != SL_OK)
		return rc;
	rc = read_data(c, node->ref, size, tmp->p, &end, &zin, &why, &page);
	if (rc != SL_OK)
		return Sl_fail(l->scan, rc, "data at 0x%llx, page %llu: %s",
		               (unsigned long long)node->ref,
		               (unsigned long long)page,
		               why ? why : "out of memory");
	if (!Sl_ratio_ok(l->scan, zin, size, node->e.path))
		return SL_E_LIMIT;
	tmp->n = (size_t)size;
	*data = tmp->p;
	*len = (size_t)size;
	return SL_OK;
}

static void
cramfs_close(struct Sl_layer *l)
{
	free(l->priv);
	l->priv = NULL;
}

const struct Sl_reader Sl_reader_cramfs = {
    .name = "cramfs",
    .description = "cramfs compressed ROM filesystem",
    .nest = SL_NEST_WHOLE,
    .magics = cramfs_magics,
    .bid = cramfs_bid,
    .open = cramfs_open,
    .read = cramfs_read,
    .close = cramfs_close,
};
