/*
 * squashfs.c - SquashFS 4.0 images (little-endian, "hsqs"), read in place
 * with libsquashfs from squashfs-tools-ng.
 *
 * The image is never copied or opened as a file: a small sqfs_file_t hands
 * libsquashfs slices of the layer's bytes, bounds-checked against the end
 * of the image.  open() reads the superblock, the compressor options, the
 * uid/gid table and the fragment table, then walks the directory tree with
 * libsquashfs's metadata reader and adds one entry per directory, file,
 * symbolic link, device, fifo and socket.  Hard links are separate entries
 * for the same inode and so are listed as regular files.  A regular file's
 * node keeps only its inode reference; read() decodes the inode (and its
 * block list) again, so memory does not grow with the block lists of every
 * file in the image.
 *
 * read() runs on the engine's worker threads.  Each thread borrows a state
 * from a mutex-protected pool (made on first use, freed in close) holding
 * its own decompressor, since libsquashfs's compressors keep per-stream
 * state, and its own inode-table reader.  Full data blocks are
 * decompressed straight from the mapped image into the caller's buffer, so
 * a block is copied neither before nor after decompression.  Tail ends
 * packed into fragment blocks come from a small cache of decoded fragment
 * blocks shared by all threads.
 * sqfs_data_reader is not used: its cache holds one fragment block per
 * reader, and the engine hands consecutive small files (which share a
 * fragment block) to different threads, so one reader per thread decoded
 * every fragment block once per thread (11% more xz work than sqfs2tar on
 * a /usr/lib image with two threads).  The shared cache decodes each once.
 *
 * libsquashfs leaves LZO out (its licence is the GPL), so an LZO image is
 * decompressed through a small sqfs_compressor_t of this file's own, on
 * liblzo2's lzo1x_decompress_safe.
 *
 * Trust: every byte of the image is hostile.  libsquashfs bounds its own
 * metadata parsing, but it sizes a few allocations from image fields before
 * reading what they describe (a file's block list, a symbolic link target,
 * an extended directory's index, the fragment table).  So this reader
 * decodes the fixed part of every inode itself first and only lets
 * libsquashfs read inodes whose variable part has a sane size; directories,
 * devices and links never reach its allocating decoder.  The walk is
 * bounded in depth, in entries and against directory loops, and the
 * metadata it decodes is charged to the scan's decompression budget.
 * Every data block's position and size is checked against the image
 * before it is touched.  What cannot be read is recorded as incomplete,
 * naming where.
 */
#include <stdio.h>
#include <stdlib.h>

#include <lzo/lzo1x.h>

#include <sqfs/block.h>
#include <sqfs/compressor.h>
#include <sqfs/dir.h>
#include <sqfs/error.h>
#include <sqfs/frag_table.h>
#include <sqfs/id_table.h>
#include <sqfs/inode.h>
#include <sqfs/io.h>
#include <sqfs/meta_reader.h>
#include <sqfs/super.h>

#include "../sl.h"

/* Directory levels below the root that are walked. */
#define SQFS_MAX_DEPTH SL_NEST_SQUASHFS_DIRS /* src/limits.h */
/* Blocks in one file's block list (64 MiB of list; 2 TiB at 128 KiB). */
#define SQFS_MAX_BLOCKS (1U << 24)
/* Entries of the fragment table (16 MiB of table). */
#define SQFS_MAX_FRAGS (1U << 20)
/* Bytes of a symbolic link's target (Linux's PATH_MAX). */
#define SQFS_MAX_LINK 4096
/* Decoded fragment blocks kept, shared by all reading threads. */
#define SQFS_FRAG_SLOTS 8
/* Largest image offset believed (256 TiB); keeps offset sums far from wrap. */
#define SQFS_MAX_BYTES (1ULL << 48)
/* The superblock's size on disk. */
#define SQFS_SUPER_SIZE 96

static const struct Sl_magic squashfs_magics[] = {
    {"hsqs", 4, 0},
    {NULL, 0, 0},
};

/* The image's bytes seen through libsquashfs's file interface. */
struct mem_file {
	sqfs_file_t base; /* first: libsquashfs casts to this */
	const uint8_t *p;
	uint64_t n;
	/* Reads while open() runs, before any other thread can see the
	 * layer: each metadata block fetched costs two. */
	bool counting;
	uint64_t reads;
};

/* What one reading thread owns. */
struct tstate {
	struct tstate *next;
	sqfs_compressor_t *cmp;
	sqfs_meta_reader_t *imr; /* the inode table, through cmp */
	uint8_t *fbuf; /* a fragment block, when every shared slot is busy */
};

/* One decoded fragment block in the shared cache. */
struct fslot {
	uint8_t *buf; /* block_size bytes, allocated on first use */
	size_t len;   /* bytes decoded */
	uint32_t idx; /* fragment table index */
	unsigned refs;
	uint64_t last; /* for least-recently-used replacement */
	bool valid, loading;
};

struct sqfs_priv {
	struct mem_file file;
	sqfs_super_t super;
	sqfs_compressor_config_t cfg; /* with the image's options applied */
	sqfs_frag_table_t *ftbl;      /* shared, read-only after open */
	size_t nfrags;                /* entries in ftbl */
	bool frags_ok;                /* the fragment table could be read */
	pthread_mutex_t lock;         /* idle, fslots, ftick */
	pthread_cond_t loaded;        /* a fragment slot stopped loading */
	bool lock_ok, cond_ok;
	struct fslot fslots[SQFS_FRAG_SLOTS];
	uint64_t ftick;
	struct tstate *idle; /* states not in use; all of them after a scan */
};

/* An inode's fixed part, decoded here before libsquashfs sees it. */
struct ino {
	uint16_t type, mode, uid_idx, gid_idx;
	uint32_t mtime;
	uint64_t size; /* files: content; links: target bytes */
	/* Directories: where the listing is. */
	uint32_t dir_block, dir_size;
	uint16_t dir_offset;
};

struct walk {
	struct Sl_layer *l;
	struct sqfs_priv *p;
	sqfs_meta_reader_t *imr, *dmr; /* inode table, directory table */
	sqfs_id_table_t *ids;          /* NULL when unreadable */
	char *path;                    /* "etc/init.d", no leading '/' */
	size_t pathmax;
	uint64_t seen, max;
	uint64_t charged; /* file reads already charged to the budget */
	uint64_t badids;
	bool stop, nomem;
	uint64_t anc[SQFS_MAX_DEPTH + 1]; /* listings of the open dirs */
	unsigned depth;
	char link[SQFS_MAX_LINK + 1]; /* the current entry's link target */
};

/* ---- small helpers ------------------------------------------------ */

static const char *
sqfs_errstr(int err)
{
	switch (err) {
	case SQFS_ERROR_ALLOC: return "out of memory";
	case SQFS_ERROR_IO: return "read error";
	case SQFS_ERROR_COMPRESSOR: return "does not decompress";
	case SQFS_ERROR_CORRUPTED: return "corrupted";
	case SQFS_ERROR_UNSUPPORTED: return "unsupported feature or inode type";
	case SQFS_ERROR_OVERFLOW: return "size overflow";
	case SQFS_ERROR_OUT_OF_BOUNDS:
		return "lies outside its table or past the end of the image";
	case SFQS_ERROR_SUPER_MAGIC: return "bad magic";
	case SFQS_ERROR_SUPER_VERSION: return "not version 4.0";
	case SQFS_ERROR_SUPER_BLOCK_SIZE: return "bad block size";
	case SQFS_ERROR_NOT_DIR: return "not a directory";
	case SQFS_ERROR_NO_ENTRY: return "no such entry";
	case SQFS_ERROR_LINK_LOOP: return "directory loop";
	case SQFS_ERROR_NOT_FILE: return "not a file";
	default: return "error";
	}
}

static const char *
comp_name(unsigned id)
{
	static const char *const names[] = {"?",  "gzip", "lzma", "lzo",
	                                    "xz", "lz4",  "zstd"};

	return id < SL_ARRAY_LEN(names) ? names[id] : "?";
}

static int
mem_read_at(sqfs_file_t *f, sqfs_u64 off, void *buf, size_t size)
{
	struct mem_file *m = (struct mem_file *)f;

	/* UNTRUSTED: off and size come from the image. */
	if (off > m->n || size > m->n - off)
		return SQFS_ERROR_OUT_OF_BOUNDS;
	if (m->counting)
		m->reads++;
	if (size > 0)
		memcpy(buf, m->p + off, size);
	return 0;
}

static int
mem_write_at(sqfs_file_t *f, sqfs_u64 off, const void *buf, size_t size)
{
	(void)f;
	(void)off;
	(void)buf;
	(void)size;
	return SQFS_ERROR_UNSUPPORTED;
}

static sqfs_u64
mem_get_size(const sqfs_file_t *f)
{
	return ((const struct mem_file *)f)->n;
}

static int
mem_truncate(sqfs_file_t *f, sqfs_u64 size)
{
	(void)f;
	(void)size;
	return SQFS_ERROR_UNSUPPORTED;
}

static void
mem_destroy(sqfs_object_t *o)
{
	(void)o; /* part of struct sqfs_priv; nothing of its own */
}

static void
mem_file_init(struct mem_file *m, const uint8_t *p, uint64_t n)
{
	memset(m, 0, sizeof(*m));
	m->base.base.destroy = mem_destroy;
	m->base.read_at = mem_read_at;
	m->base.write_at = mem_write_at;
	m->base.get_size = mem_get_size;
	m->base.truncate = mem_truncate;
	m->p = p;
	m->n = n;
}

/* ---- LZO, which libsquashfs does not carry ------------------------- */

struct lzo_cmp {
	sqfs_compressor_t base; /* first: libsquashfs casts to this */
	sqfs_compressor_config_t cfg;
};

static pthread_once_t lzo_once = PTHREAD_ONCE_INIT;
static bool lzo_ready;

static void
lzo_setup(void)
{
	lzo_ready = lzo_init() == LZO_E_OK;
}

static sqfs_s32
lzo_do_block(sqfs_compressor_t *c, const sqfs_u8 *in, sqfs_u32 size,
             sqfs_u8 *out, sqfs_u32 outsize)
{
	lzo_uint n = outsize;

	(void)c;
	/* The _safe decoder checks both buffers' bounds. */
	if (lzo1x_decompress_safe(in, size, out, &n, NULL) != LZO_E_OK ||
	    n > outsize)
		return SQFS_ERROR_COMPRESSOR;
	return (sqfs_s32)n;
}

static void
lzo_get_configuration(const sqfs_compressor_t *c, sqfs_compressor_config_t *cfg)
{
	*cfg = ((const struct lzo_cmp *)c)->cfg;
}

static int
lzo_write_options(sqfs_compressor_t *c, sqfs_file_t *f)
{
	(void)c;
	(void)f;
	return SQFS_ERROR_UNSUPPORTED;
}

static int
lzo_read_options(sqfs_compressor_t *c, sqfs_file_t *f)
{
	/* Algorithm and level matter only when compressing. */
	(void)c;
	(void)f;
	return 0;
}

static void
lzo_destroy(sqfs_object_t *o)
{
	free(o);
}

/* Like sqfs_compressor_create, with LZO filled in. */
static int
make_compressor(const sqfs_compressor_config_t *cfg, sqfs_compressor_t **out)
{
	struct lzo_cmp *c;

	if (cfg->id != SQFS_COMP_LZO)
		return sqfs_compressor_create(cfg, out);
	pthread_once(&lzo_once, lzo_setup);
	if (!lzo_ready)
		return SQFS_ERROR_UNSUPPORTED;
	c = calloc(1, sizeof(*c));
	if (c == NULL)
		return SQFS_ERROR_ALLOC;
	c->cfg = *cfg;
	c->base.base.destroy = lzo_destroy;
	c->base.get_configuration = lzo_get_configuration;
	c->base.write_options = lzo_write_options;
	c->base.read_options = lzo_read_options;
	c->base.do_block = lzo_do_block;
	*out = &c->base;
	return 0;
}

/* ---- bidding ------------------------------------------------------ */

static int
squashfs_bid(const uint8_t *p, size_t n)
{
	uint32_t bs;
	uint16_t comp, blog;

	if (n < SQFS_SUPER_SIZE || memcmp(p, "hsqs", 4) != 0)
		return 0;
	bs = Sl_get_le32(p + 12);
	comp = Sl_get_le16(p + 20);
	blog = Sl_get_le16(p + 22);
	if (Sl_get_le16(p + 28) != 4 || Sl_get_le16(p + 30) != 0)
		return 0;
	if (blog < 12 || blog > 20 || bs != 1U << blog)
		return 0;
	if (comp < SQFS_COMP_MIN || comp > SQFS_COMP_MAX)
		return 0;
	return 90;
}

/* ---- per-thread states -------------------------------------------- */

static void
tstate_free(struct tstate *t)
{
	if (t == NULL)
		return;
	sqfs_destroy(t->imr);
	sqfs_destroy(t->cmp);
	free(t->fbuf);
	free(t);
}

/* A state around the decompressor cmp, which it then owns (even on NULL). */
static struct tstate *
tstate_wrap(struct sqfs_priv *p, sqfs_compressor_t *cmp)
{
	struct tstate *t = calloc(1, sizeof(*t));

	if (t == NULL) {
		sqfs_destroy(cmp);
		return NULL;
	}
	t->cmp = cmp;
	t->imr = sqfs_meta_reader_create(&p->file.base, cmp,
	                                 p->super.inode_table_start,
	                                 p->super.directory_table_start);
	if (t->imr == NULL) {
		tstate_free(t);
		return NULL;
	}
	return t;
}

static struct tstate *
tstate_new(struct sqfs_priv *p)
{
	sqfs_compressor_t *cmp;

	if (make_compressor(&p->cfg, &cmp) != 0)
		return NULL;
	return tstate_wrap(p, cmp);
}

static struct tstate *
tstate_get(struct sqfs_priv *p)
{
	struct tstate *t;

	pthread_mutex_lock(&p->lock);
	t = p->idle;
	if (t != NULL)
		p->idle = t->next;
	pthread_mutex_unlock(&p->lock);
	return t != NULL ? t : tstate_new(p);
}

static void
tstate_put(struct sqfs_priv *p, struct tstate *t)
{
	pthread_mutex_lock(&p->lock);
	t->next = p->idle;
	p->idle = t;
	pthread_mutex_unlock(&p->lock);
}

/* ---- inodes ------------------------------------------------------- */

static uint64_t
block_count(uint64_t size, uint32_t bs, uint32_t frag_idx, uint32_t frag_off)
{
	uint64_t n = size / bs;

	/* The same rule libsquashfs uses to size the block list. */
	if (size % bs != 0 &&
	    (frag_idx == 0xFFFFFFFFU || frag_off == 0xFFFFFFFFU))
		n++;
	return n;
}

/*
 * Decode the fixed part of the inode at iref (block << 16 | offset,
 * relative to the inode table) into *o, and for a symbolic link its target
 * into link[0..SQFS_MAX_LINK].  Returns 0 or an SQFS_ERROR value; *why
 * receives a reason of this reader's own when the inode is refused.
 */
static int
peek_inode(struct walk *w, uint64_t iref, struct ino *o, char *link,
           const char **why)
{
	const sqfs_super_t *sb = &w->p->super;
	uint8_t b[40];
	uint32_t bs = sb->block_size;
	size_t need;
	int err;

	*why = NULL;
	memset(o, 0, sizeof(*o));
	/* UNTRUSTED: iref comes from a directory entry or the superblock;
	 * the metadata reader refuses blocks outside the inode table. */
	err =
	    sqfs_meta_reader_seek(w->imr, sb->inode_table_start + (iref >> 16),
	                          (size_t)(iref & 0xFFFF));
	if (err == 0)
		err = sqfs_meta_reader_read(w->imr, b, 16);
	if (err != 0)
		return err;
	o->type = Sl_get_le16(b);
	o->mode = Sl_get_le16(b + 2);
	o->uid_idx = Sl_get_le16(b + 4);
	o->gid_idx = Sl_get_le16(b + 6);
	o->mtime = Sl_get_le32(b + 8);
	switch (o->type) {
	case SQFS_INODE_DIR:
	case SQFS_INODE_FILE: need = 16; break;
	case SQFS_INODE_EXT_DIR: need = 24; break;
	case SQFS_INODE_EXT_FILE: need = 40; break;
	case SQFS_INODE_SLINK:
	case SQFS_INODE_EXT_SLINK:
	case SQFS_INODE_BDEV:
	case SQFS_INODE_CDEV:
	case SQFS_INODE_EXT_FIFO:
	case SQFS_INODE_EXT_SOCKET: need = 8; break;
	case SQFS_INODE_EXT_BDEV:
	case SQFS_INODE_EXT_CDEV: need = 12; break;
	case SQFS_INODE_FIFO:
	case SQFS_INODE_SOCKET: need = 4; break;
	default: *why = "unknown inode type"; return SQFS_ERROR_UNSUPPORTED;
	}
	err = sqfs_meta_reader_read(w->imr, b, need);
	if (err != 0)
		return err;
	switch (o->type) {
	case SQFS_INODE_DIR:
		o->dir_block = Sl_get_le32(b);
		o->dir_size = Sl_get_le16(b + 8);
		o->dir_offset = Sl_get_le16(b + 10);
		break;
	case SQFS_INODE_EXT_DIR:
		o->dir_size = Sl_get_le32(b + 4);
		o->dir_block = Sl_get_le32(b + 8);
		o->dir_offset = Sl_get_le16(b + 18);
		break;
	case SQFS_INODE_FILE:
		o->size = Sl_get_le32(b + 12);
		/* UNTRUSTED: at most 2^32 / 4096 blocks; always sane. */
		break;
	case SQFS_INODE_EXT_FILE:
		o->size = (uint64_t)Sl_get_le32(b + 8) |
		          (uint64_t)Sl_get_le32(b + 12) << 32;
		/* UNTRUSTED: libsquashfs allocates the block list from this
		 * size before reading it. */
		if (block_count(o->size, bs, Sl_get_le32(b + 28),
		                Sl_get_le32(b + 32)) > SQFS_MAX_BLOCKS) {
			*why = "file size implies an absurdly long block list";
			return SQFS_ERROR_OVERFLOW;
		}
		break;
	case SQFS_INODE_SLINK:
	case SQFS_INODE_EXT_SLINK:
		o->size = Sl_get_le32(b + 4);
		/* UNTRUSTED: target length. */
		if (o->size > SQFS_MAX_LINK) {
			*why = "symbolic link target longer than 4096 bytes";
			return SQFS_ERROR_OVERFLOW;
		}
		err = sqfs_meta_reader_read(w->imr, link, (size_t)o->size);
		if (err != 0)
			return err;
		link[o->size] = 0;
		break;
	default: break;
	}
	return 0;
}

static enum sl_ftype
ftype(uint16_t t)
{
	switch (t) {
	case SQFS_INODE_DIR:
	case SQFS_INODE_EXT_DIR: return SL_FT_DIR;
	case SQFS_INODE_FILE:
	case SQFS_INODE_EXT_FILE: return SL_FT_REG;
	case SQFS_INODE_SLINK:
	case SQFS_INODE_EXT_SLINK: return SL_FT_LNK;
	case SQFS_INODE_BDEV:
	case SQFS_INODE_EXT_BDEV: return SL_FT_BLK;
	case SQFS_INODE_CDEV:
	case SQFS_INODE_EXT_CDEV: return SL_FT_CHR;
	case SQFS_INODE_FIFO:
	case SQFS_INODE_EXT_FIFO: return SL_FT_FIFO;
	default: return SL_FT_SOCK;
	}
}

static uint32_t
lookup_id(struct walk *w, uint16_t idx)
{
	sqfs_u32 id;

	/* UNTRUSTED: idx; the table refuses indices past its end. */
	if (w->ids == NULL ||
	    sqfs_id_table_index_to_id(w->ids, idx, &id) != 0) {
		w->badids++;
		return 0;
	}
	return id;
}

/* ---- the directory walk ------------------------------------------- */

static void walk_dir(struct walk *w, const struct ino *dir, size_t plen);

/* Where an inode is, for messages: absolute offset of its metadata block. */
static unsigned long long
iref_at(const struct walk *w, uint64_t iref)
{
	return (unsigned long long)(w->p->super.inode_table_start +
	                            (iref >> 16));
}

/*
 * Charge the metadata decoded since the last call to the scan's budget:
 * a hostile image can make every entry fetch a different 8 KiB block.
 * Counted in steps of 256 blocks; false (and the walk stops) when the
 * budget is spent.
 */
static bool
charge(struct walk *w)
{
	const uint64_t step = 2 * 256; /* reads per 256 blocks */

	if (w->p->file.reads - w->charged < step)
		return true;
	w->charged += step;
	if (Sl_budget(w->l->scan, 256 * SQFS_META_BLOCK_SIZE, w->l->prefix) ==
	    SL_OK)
		return true;
	w->stop = true;
	return false;
}

/* Add one entry whose inode is at iref; path holds its name.  */
static void
add_entry(struct walk *w, uint64_t iref, size_t plen)
{
	struct Sl_layer *l = w->l;
	struct sl_entry e = {0};
	struct ino o;
	struct Sl_node *n;
	const char *why;
	uint64_t key;
	unsigned i;
	int err;

	if (!charge(w))
		return;
	err = peek_inode(w, iref, &o, w->link, &why);
	if (err != 0) {
		Sl_incomplete(l->scan,
		              "%s: inode of \"%s\" at 0x%llx+0x%x: %s; entry "
		              "not listed",
		              l->prefix, w->path, iref_at(w, iref),
		              (unsigned)(iref & 0xFFFF),
		              why ? why : sqfs_errstr(err));
		return;
	}
	e.type = ftype(o.type);
	e.mode = o.mode & 07777;
	e.uid = lookup_id(w, o.uid_idx);
	e.gid = lookup_id(w, o.gid_idx);
	e.mtime = o.mtime;
	if (e.type == SL_FT_LNK) {
		e.size = o.size;
		e.link = w->link;
	}
	if (e.type == SL_FT_REG)
		e.size = o.size;
	n = Sl_add(l, w->path, &e);
	if (n != NULL)
		n->ref = iref; /* peek_inode found it sane */
	if (e.type != SL_FT_DIR || n == NULL)
		return;
	/* An empty listing (size 3 for "." and "..") is not worth a visit. */
	if (o.dir_size <= sizeof(sqfs_dir_header_t))
		return;
	if (w->depth >= SQFS_MAX_DEPTH) {
		Sl_incomplete(l->scan,
		              "%s: directory \"%s\" is nested deeper than %u "
		              "levels; its content is not listed",
		              l->prefix, w->path, SQFS_MAX_DEPTH);
		return;
	}
	key = (uint64_t)o.dir_block << 16 | o.dir_offset;
	for (i = 0; i <= w->depth; i++)
		if (w->anc[i] == key) {
			Sl_incomplete(l->scan,
			              "%s: directory \"%s\" (inode at "
			              "0x%llx+0x%x) lists one of its own "
			              "ancestors; loop not followed",
			              l->prefix, w->path, iref_at(w, iref),
			              (unsigned)(iref & 0xFFFF));
			return;
		}
	w->anc[++w->depth] = key;
	walk_dir(w, &o, plen);
	w->depth--;
}

/* One entry of a directory listing, kept until the listing is read. */
struct dent {
	uint64_t iref;
	sqfs_dir_entry_t *ent;
};

/*
 * Read the whole listing of dir, whose path is w->path[0..plen), into
 * *out (*n entries; the caller frees them).  Reading a listing to its end
 * before descending keeps the directory table's metadata reader from
 * decoding the parent's block again after each subdirectory.
 */
static void
read_listing(struct walk *w, const struct ino *dir, size_t plen,
             struct dent **out, size_t *n)
{
	struct Sl_layer *l = w->l;
	sqfs_readdir_state_t st;
	sqfs_inode_generic_t g;
	sqfs_dir_entry_t *ent;
	struct dent *v = NULL;
	void *nv;
	size_t cap = 0;
	sqfs_u64 iref;
	int ret;

	*out = NULL;
	*n = 0;
	memset(&g, 0, sizeof(g));
	g.base.type = SQFS_INODE_EXT_DIR;
	g.data.dir_ext.start_block = dir->dir_block;
	g.data.dir_ext.size = dir->dir_size;
	g.data.dir_ext.offset = dir->dir_offset;
	if (sqfs_readdir_state_init(&st, &w->p->super, &g) != 0)
		return;
	while (!w->stop) {
		size_t nlen;

		/* UNTRUSTED: listing position and size come from the inode;
		 * the metadata reader keeps to the directory table, and the
		 * listing's size bounds the entries read. */
		ret = sqfs_meta_reader_readdir(w->dmr, &st, &ent, NULL, &iref);
		if (ret > 0)
			break;
		if (ret < 0) {
			Sl_incomplete(l->scan,
			              "%s: directory \"%s\" listing at "
			              "0x%llx+0x%x: %s; the rest of it is not "
			              "listed",
			              l->prefix, plen ? w->path : "/",
			              (unsigned long long)st.current.block,
			              (unsigned)st.current.offset,
			              sqfs_errstr(ret));
			break;
		}
		if (++w->seen > w->max) {
			Sl_incomplete(l->scan,
			              "%s: more than %llu directory entries; "
			              "the rest of the image is not listed",
			              l->prefix, (unsigned long long)w->max);
			w->stop = true;
			sqfs_free(ent);
			break;
		}
		/* UNTRUSTED: name length (ent->size + 1 <= 65536 bytes, NUL
		 * terminated by libsquashfs). */
		nlen = strlen((const char *)ent->name);
		if (nlen != (size_t)ent->size + 1 ||
		    strchr((const char *)ent->name, '/') != NULL) {
			Sl_incomplete(l->scan,
			              "%s: directory \"%s\": entry with a NUL "
			              "or '/' in its name refused",
			              l->prefix, plen ? w->path : "/");
			sqfs_free(ent);
			continue;
		}
		nv = v;
		if (!Sl_vec_grow(&nv, &cap, *n, sizeof(*v), 16)) {
			sqfs_free(ent);
			w->nomem = w->stop = true;
			break;
		}
		v = nv;
		v[*n].iref = iref;
		v[(*n)++].ent = ent;
	}
	*out = v;
}

/*
 * List the directory dir, whose path is w->path[0..plen), and recurse.
 */
static void
walk_dir(struct walk *w, const struct ino *dir, size_t plen)
{
	struct Sl_layer *l = w->l;
	struct dent *v;
	size_t n, i, nlen;

	read_listing(w, dir, plen, &v, &n);
	for (i = 0; i < n; i++) {
		const char *name = (const char *)v[i].ent->name;

		nlen = strlen(name);
		if (w->stop) {
			/* Nothing more is added; the entries are freed. */
		} else if (plen + 1 + nlen >= w->pathmax) {
			Sl_incomplete(l->scan,
			              "%s: directory \"%.200s\": entry path "
			              "longer than the limit; not listed",
			              l->prefix, w->path);
		} else {
			if (plen > 0)
				w->path[plen] = '/';
			memcpy(w->path + plen + (plen > 0), name, nlen + 1);
			add_entry(w, v[i].iref, plen + (plen > 0) + nlen);
			w->path[plen] = 0;
		}
		sqfs_free(v[i].ent);
	}
	free(v);
}

/*
 * Read the tables and walk the tree.  Failures are recorded; what could be
 * read is listed.
 */
static void
walk_image(struct Sl_layer *l, struct sqfs_priv *p, sqfs_compressor_t *cmp)
{
	const sqfs_super_t *sb = &p->super;
	struct walk w;
	struct ino root;
	const char *why;
	uint64_t dlimit;
	int err;

	memset(&w, 0, sizeof(w));
	w.l = l;
	w.p = p;
	w.max = Sl_limits(l->scan)->max_files;
	w.pathmax = Sl_limits(l->scan)->max_path + 1;
	w.path = calloc(1, w.pathmax);
	w.ids = sqfs_id_table_create(0);
	if (w.path == NULL || w.ids == NULL) {
		w.nomem = true;
		goto out;
	}
	err = sqfs_id_table_read(w.ids, &p->file.base, sb, cmp);
	if (err != 0) {
		Sl_incomplete(l->scan,
		              "%s: uid/gid table at 0x%llx: %s; owners are "
		              "shown as 0",
		              l->prefix, (unsigned long long)sb->id_table_start,
		              sqfs_errstr(err));
		sqfs_destroy(w.ids);
		w.ids = NULL;
	}
	/* The directory table ends where the next table starts. */
	dlimit = p->file.n;
	if (sb->fragment_table_start > sb->directory_table_start &&
	    sb->fragment_table_start < dlimit)
		dlimit = sb->fragment_table_start;
	if (sb->export_table_start > sb->directory_table_start &&
	    sb->export_table_start < dlimit)
		dlimit = sb->export_table_start;
	if (sb->id_table_start > sb->directory_table_start &&
	    sb->id_table_start < dlimit)
		dlimit = sb->id_table_start;
	w.imr =
	    sqfs_meta_reader_create(&p->file.base, cmp, sb->inode_table_start,
	                            sb->directory_table_start);
	w.dmr = sqfs_meta_reader_create(&p->file.base, cmp,
	                                sb->directory_table_start, dlimit);
	if (w.imr == NULL || w.dmr == NULL) {
		w.nomem = true;
		goto out;
	}
	err = peek_inode(&w, sb->root_inode_ref, &root, w.link, &why);
	if (err == 0 && ftype(root.type) != SL_FT_DIR) {
		why = "not a directory";
		err = SQFS_ERROR_NOT_DIR;
	}
	if (err != 0) {
		Sl_incomplete(l->scan,
		              "%s: root inode at 0x%llx+0x%x: %s; nothing "
		              "listed",
		              l->prefix, iref_at(&w, sb->root_inode_ref),
		              (unsigned)(sb->root_inode_ref & 0xFFFF),
		              why ? why : sqfs_errstr(err));
		goto out;
	}
	w.anc[0] = (uint64_t)root.dir_block << 16 | root.dir_offset;
	walk_dir(&w, &root, 0);
	if (w.badids > 0 && w.ids != NULL)
		Sl_incomplete(l->scan,
		              "%s: %llu owner references past the end of the "
		              "uid/gid table; shown as 0",
		              l->prefix, (unsigned long long)w.badids);
out:
	if (w.nomem)
		Sl_incomplete(l->scan,
		              "%s: out of memory while listing; the listing "
		              "is partial",
		              l->prefix);
	sqfs_destroy(w.dmr);
	sqfs_destroy(w.imr);
	sqfs_destroy(w.ids);
	free(w.path);
}

/* ---- open --------------------------------------------------------- */

/*
 * Check the superblock's table offsets.  Returns NULL when the tables can
 * be looked for, or what is wrong.
 */
static const char *
check_tables(const sqfs_super_t *sb)
{
	/* UNTRUSTED: every offset below comes from the superblock. */
	if (sb->bytes_used < SQFS_SUPER_SIZE || sb->bytes_used > SQFS_MAX_BYTES)
		return "image size out of range";
	if (sb->inode_table_start < SQFS_SUPER_SIZE ||
	    sb->inode_table_start >= sb->directory_table_start)
		return "inode table not before the directory table";
	if (sb->directory_table_start >= sb->bytes_used)
		return "directory table past the end of the image";
	if (sb->id_table_start <= sb->directory_table_start ||
	    sb->id_table_start >= sb->bytes_used)
		return "uid/gid table outside the image";
	return NULL;
}

/* Can the fragment table be trusted with an allocation?  Records why not. */
static bool
frags_sane(struct Sl_layer *l, const sqfs_super_t *sb, uint64_t end)
{
	uint64_t nblk;

	if ((sb->flags & SQFS_FLAG_NO_FRAGMENTS) ||
	    sb->fragment_entry_count == 0 ||
	    sb->fragment_table_start == UINT64_MAX)
		return true;
	/* UNTRUSTED: count and start.  libsquashfs allocates count * 16
	 * bytes before reading the table's block index; the index must at
	 * least fit in the image. */
	nblk = ((uint64_t)sb->fragment_entry_count * 16 + SQFS_META_BLOCK_SIZE -
	        1) /
	       SQFS_META_BLOCK_SIZE;
	if (sb->fragment_entry_count <= SQFS_MAX_FRAGS &&
	    sb->fragment_table_start < end &&
	    nblk * 8 <= end - sb->fragment_table_start)
		return true;
	Sl_incomplete(l->scan,
	              "%s: fragment table at 0x%llx: %s; the tail ends of "
	              "files are not read",
	              l->prefix, (unsigned long long)sb->fragment_table_start,
	              sb->fragment_entry_count > SQFS_MAX_FRAGS
	                  ? "more entries than the limit"
	                  : "lies past the end of the image");
	return false;
}

/* Are data[a..b) all zero bytes? */
static bool
zeros(const uint8_t *data, uint64_t a, uint64_t b)
{
	for (; a < b; a++)
		if (data[a] != 0)
			return false;
	return true;
}

static void squashfs_close(struct Sl_layer *l);

static sl_rc
squashfs_open(struct Sl_layer *l)
{
	struct sqfs_priv *p;
	sqfs_super_t *sb;
	sqfs_compressor_t *cmp = NULL;
	struct tstate *t;
	const char *why;
	uint64_t pad;
	int err;

	p = calloc(1, sizeof(*p));
	if (p == NULL)
		return SL_E_NOMEM;
	l->priv = p;
	if (pthread_mutex_init(&p->lock, NULL) != 0) {
		squashfs_close(l);
		return SL_E_NOMEM;
	}
	p->lock_ok = true;
	if (pthread_cond_init(&p->loaded, NULL) != 0) {
		squashfs_close(l);
		return SL_E_NOMEM;
	}
	p->cond_ok = true;
	sb = &p->super;
	mem_file_init(&p->file, l->data, l->len);
	p->file.counting = true;
	/* Magic, version, block size and compressor id are checked here. */
	if (sqfs_super_read(sb, &p->file.base) != 0) {
		squashfs_close(l);
		return SL_E_MALFORMED;
	}
	why = check_tables(sb);
	if (why != NULL) {
		Sl_incomplete(l->scan,
		              "%s: superblock: %s; not read as squashfs",
		              l->prefix, why);
		squashfs_close(l);
		return SL_E_MALFORMED;
	}

	/* The image is padded with zeros to a 4 KiB multiple by default. */
	if (sb->bytes_used <= l->len) {
		l->size = sb->bytes_used;
		pad = (sb->bytes_used + SQFS_DEVBLK_SIZE - 1) &
		      ~(uint64_t)(SQFS_DEVBLK_SIZE - 1);
		if (pad <= l->len && zeros(l->data, sb->bytes_used, pad))
			l->size = pad;
	} else {
		l->size = l->len;
		Sl_incomplete(l->scan,
		              "%s: image truncated: the superblock says 0x%llx "
		              "bytes, only 0x%llx are present",
		              l->prefix, (unsigned long long)sb->bytes_used,
		              (unsigned long long)l->len);
	}
	p->file.n = sb->bytes_used < l->len ? sb->bytes_used : l->len;

	err = sqfs_compressor_config_init(&p->cfg, sb->compression_id,
	                                  sb->block_size,
	                                  SQFS_COMP_FLAG_UNCOMPRESS);
	if (err == 0)
		err = make_compressor(&p->cfg, &cmp);
	if (err != 0) {
		Sl_incomplete(l->scan, "%s: compressor %s: %s; nothing listed",
		              l->prefix, comp_name(sb->compression_id),
		              sqfs_errstr(err));
		p->file.counting = false;
		return SL_OK;
	}
	if (sb->flags & SQFS_FLAG_COMPRESSOR_OPTIONS) {
		/*
		 * The options only tune the compressor (xz filters and
		 * dictionary, gzip window and strategy, lz4/lzo/zstd levels):
		 * every decoder reads what it needs from the stream itself.
		 * Vendors' mksquashfs forks write options libsquashfs calls
		 * corrupted (OpenWrt's 12-byte xz options with preset and
		 * lc/lp/pb), yet the image reads completely with the
		 * defaults.  So a bad option block is no reason to call the
		 * image incomplete; a block that then fails to decode is
		 * reported where it fails.
		 */
		err = cmp->read_options(cmp, &p->file.base);
		if (err == 0) {
			cmp->get_configuration(cmp, &p->cfg);
			p->cfg.flags |= SQFS_COMP_FLAG_UNCOMPRESS;
		}
	}
	/* The first reading thread's state; it serves the walk first. */
	t = tstate_wrap(p, cmp);
	if (t == NULL) {
		squashfs_close(l);
		return SL_E_NOMEM;
	}
	if (frags_sane(l, sb, p->file.n)) {
		p->ftbl = sqfs_frag_table_create(0);
		err = p->ftbl == NULL ? SQFS_ERROR_ALLOC
		                      : sqfs_frag_table_read(
		                            p->ftbl, &p->file.base, sb, t->cmp);
		p->frags_ok = err == 0;
		if (p->frags_ok)
			p->nfrags = sqfs_frag_table_get_size(p->ftbl);
		if (err != 0)
			Sl_incomplete(
			    l->scan,
			    "%s: fragment table at 0x%llx: %s; the "
			    "tail ends of files are not read",
			    l->prefix,
			    (unsigned long long)sb->fragment_table_start,
			    sqfs_errstr(err));
	}
	walk_image(l, p, t->cmp);
	p->file.counting = false;
	tstate_put(p, t);
	return SL_OK;
}

/* ---- read --------------------------------------------------------- */

/*
 * Decode fragment block idx into dst (block_size bytes) with t's
 * decompressor.  Returns the decoded length, or 0 with *why set.
 */
static size_t
frag_decode(struct Sl_layer *l, struct sqfs_priv *p, struct tstate *t,
            uint32_t idx, uint8_t *dst, const char **why)
{
	const uint64_t end = p->file.n;
	const uint32_t bs = p->super.block_size;
	sqfs_fragment_t fe;
	sqfs_u32 dsz;
	sqfs_s32 r;

	/* UNTRUSTED: idx comes from an inode, the entry from the table. */
	if (sqfs_frag_table_lookup(p->ftbl, idx, &fe) != 0) {
		*why = "no such fragment block";
		return 0;
	}
	dsz = SQFS_ON_DISK_BLOCK_SIZE(fe.size);
	if (dsz == 0 || dsz > bs || fe.start_offset > end ||
	    dsz > end - fe.start_offset) {
		*why = "fragment block lies past the end of the image";
		return 0;
	}
	if (!SQFS_IS_BLOCK_COMPRESSED(fe.size)) {
		memcpy(dst, l->data + fe.start_offset, dsz);
		return dsz;
	}
	r = t->cmp->do_block(t->cmp, l->data + fe.start_offset, dsz, dst, bs);
	if (r <= 0) {
		*why = "fragment block does not decompress";
		return 0;
	}
	return (size_t)r;
}

/* The slot holding or decoding fragment block idx, or NULL.  Locked. */
static struct fslot *
slot_find(struct sqfs_priv *p, uint32_t idx)
{
	size_t i;

	for (i = 0; i < SQFS_FRAG_SLOTS; i++)
		if (p->fslots[i].idx == idx &&
		    (p->fslots[i].valid || p->fslots[i].loading))
			return &p->fslots[i];
	return NULL;
}

/*
 * Take a slot for decoding block idx: an empty one, else the least
 * recently used one nobody holds.  NULL when every slot is busy.  Locked.
 */
static struct fslot *
slot_claim(struct sqfs_priv *p, uint32_t idx)
{
	struct fslot *s, *victim = NULL;
	size_t i;

	for (i = 0; i < SQFS_FRAG_SLOTS; i++) {
		s = &p->fslots[i];
		if (s->refs > 0 || s->loading)
			continue;
		if (!s->valid) {
			victim = s;
			break;
		}
		if (victim == NULL || s->last < victim->last)
			victim = s;
	}
	if (victim != NULL) {
		victim->loading = true;
		victim->valid = false;
		victim->idx = idx;
	}
	return victim;
}

/*
 * Decode into the claimed slot s, unlocked, and publish it, held refs
 * times.  Returns the decoded length, or 0 with *why set.
 */
static size_t
slot_fill(struct Sl_layer *l, struct sqfs_priv *p, struct tstate *t,
          struct fslot *s, unsigned refs, const char **why)
{
	size_t n = 0;

	/* The slot is this thread's alone while it is loading. */
	if (s->buf == NULL)
		s->buf = malloc(p->super.block_size);
	if (s->buf == NULL)
		*why = "out of memory";
	else
		n = frag_decode(l, p, t, s->idx, s->buf, why);
	pthread_mutex_lock(&p->lock);
	s->loading = false;
	if (n > 0) {
		s->valid = true;
		s->len = n;
		s->refs = refs;
		s->last = ++p->ftick;
	}
	pthread_cond_broadcast(&p->loaded);
	pthread_mutex_unlock(&p->lock);
	return n;
}

/*
 * The decoded fragment block idx, from the shared cache or decoded into
 * it (or, when every slot is in use, into t's own buffer).  *held receives
 * the slot to give back with frag_put.  Returns NULL with *why set.
 *
 * A thread wanting a block that another thread is decoding does not decode
 * it again.  Rather than wait idle, it first decodes the block after it:
 * files are read in the order their tail ends were packed, so that block
 * is almost always the next one wanted, and two threads reading small
 * files then decode consecutive fragment blocks side by side.
 */
static const uint8_t *
frag_get(struct Sl_layer *l, struct sqfs_priv *p, struct tstate *t,
         uint32_t idx, size_t *len, struct fslot **held, const char **why)
{
	struct fslot *s;
	const char *ignored;
	bool ahead = false;
	size_t n;

	*held = NULL;
	pthread_mutex_lock(&p->lock);
	for (;;) {
		s = slot_find(p, idx);
		if (s == NULL)
			break;
		if (s->valid) {
			s->refs++;
			s->last = ++p->ftick;
			pthread_mutex_unlock(&p->lock);
			*held = s;
			*len = s->len;
			return s->buf;
		}
		if (!ahead) {
			ahead = true;
			if (idx + 1 < p->nfrags &&
			    slot_find(p, idx + 1) == NULL &&
			    (s = slot_claim(p, idx + 1)) != NULL) {
				pthread_mutex_unlock(&p->lock);
				(void)slot_fill(l, p, t, s, 0, &ignored);
				pthread_mutex_lock(&p->lock);
				continue;
			}
		}
		pthread_cond_wait(&p->loaded, &p->lock);
	}
	s = slot_claim(p, idx);
	pthread_mutex_unlock(&p->lock);
	if (s == NULL) {
		if (t->fbuf == NULL &&
		    (t->fbuf = malloc(p->super.block_size)) == NULL) {
			*why = "out of memory";
			return NULL;
		}
		*len = frag_decode(l, p, t, idx, t->fbuf, why);
		return *len > 0 ? t->fbuf : NULL;
	}
	n = slot_fill(l, p, t, s, 1, why);
	if (n == 0)
		return NULL;
	*held = s;
	*len = n;
	return s->buf;
}

static void
frag_put(struct sqfs_priv *p, struct fslot *held)
{
	if (held == NULL)
		return;
	pthread_mutex_lock(&p->lock);
	held->refs--;
	pthread_mutex_unlock(&p->lock);
}

/*
 * Decompress the regular file whose inode is ino into tmp, bounded by
 * tmp's maximum (the per-file limit).  Data blocks go straight from the
 * image into tmp; the tail end, when a fragment block holds it, is copied
 * from the shared fragment cache.
 */
static sl_rc
read_file(struct Sl_layer *l, struct sqfs_priv *p, struct tstate *t,
          const sqfs_inode_generic_t *ino, struct Sl_buf *tmp)
{
	const uint64_t end = p->file.n;
	const uint32_t bs = p->super.block_size;
	sqfs_u64 size, off;
	sqfs_u32 fidx, foff;
	size_t nblk, i, want, tail;
	uint8_t *out;
	sl_rc rc;

	sqfs_inode_get_file_size(ino, &size);
	sqfs_inode_get_file_block_start(ino, &off);
	sqfs_inode_get_frag_location(ino, &fidx, &foff);
	nblk = sqfs_inode_get_file_block_count(ino);
	/* UNTRUSTED: nblk was derived from size by libsquashfs and bounded
	 * by SQFS_MAX_BLOCKS at open, so nblk * bs does not wrap. */
	if ((uint64_t)nblk * bs >= size + bs ||
	    ((uint64_t)nblk * bs < size &&
	     (fidx == 0xFFFFFFFFU || size - (uint64_t)nblk * bs >= bs)))
		return Sl_fail(l->scan, SL_E_MALFORMED,
		               "squashfs block list does not match the file "
		               "size");
	/* At least a byte, so that an empty file has a buffer too. */
	rc = Sl_buf_reserve(tmp, size > 0 ? (size_t)size : 1);
	if (rc != SL_OK)
		return rc;
	out = tmp->p;
	for (i = 0; i < nblk; i++) {
		sqfs_u32 word = ino->extra[i];
		sqfs_u32 dsz = SQFS_ON_DISK_BLOCK_SIZE(word);
		sqfs_s32 r;

		want =
		    size - (uint64_t)i * bs < bs ? (size_t)(size - i * bs) : bs;
		if (dsz == 0) { /* sparse: a block of zeros */
			memset(out, 0, want);
			out += want;
			continue;
		}
		/* UNTRUSTED: block start and on-disk size. */
		if (off > end || dsz > end - off || dsz > bs)
			return Sl_fail(l->scan, SL_E_MALFORMED,
			               "squashfs data block %zu at 0x%llx (%u "
			               "bytes) lies past the end of the image",
			               i, (unsigned long long)off,
			               (unsigned)dsz);
		if (SQFS_IS_BLOCK_COMPRESSED(word)) {
			r = t->cmp->do_block(t->cmp, l->data + off, dsz, out,
			                     (sqfs_u32)want);
			if (r < 0 || (size_t)r != want)
				return Sl_fail(l->scan, SL_E_MALFORMED,
				               "squashfs data block %zu at "
				               "0x%llx: %s",
				               i, (unsigned long long)off,
				               r < 0 ? sqfs_errstr(r)
				                     : "wrong size");
		} else {
			if (dsz != want)
				return Sl_fail(l->scan, SL_E_MALFORMED,
				               "squashfs data block %zu at "
				               "0x%llx: wrong size",
				               i, (unsigned long long)off);
			memcpy(out, l->data + off, want);
		}
		out += want;
		off += dsz;
	}
	tail = (size_t)(size - (uint64_t)(out - tmp->p));
	if (tail > 0) {
		struct fslot *held;
		const uint8_t *fb;
		const char *why = NULL;
		size_t flen;

		if (!p->frags_ok)
			return Sl_fail(l->scan, SL_E_MALFORMED,
			               "squashfs tail end in fragment %u: the "
			               "fragment table is unreadable",
			               (unsigned)fidx);
		fb = frag_get(l, p, t, fidx, &flen, &held, &why);
		if (fb == NULL)
			return Sl_fail(l->scan, SL_E_MALFORMED,
			               "squashfs tail end in fragment %u: %s",
			               (unsigned)fidx, why);
		/* UNTRUSTED: the tail's offset in the fragment block. */
		if (foff > flen || tail > flen - foff) {
			frag_put(p, held);
			return Sl_fail(l->scan, SL_E_MALFORMED,
			               "squashfs tail end in fragment %u: "
			               "bytes 0x%x..0x%llx past the block's "
			               "0x%zx",
			               (unsigned)fidx, (unsigned)foff,
			               (unsigned long long)foff + tail, flen);
		}
		memcpy(out, fb + foff, tail);
		frag_put(p, held);
	}
	tmp->n = (size_t)size;
	return SL_OK;
}

static sl_rc
squashfs_read(struct Sl_layer *l, const struct Sl_node *node,
              const uint8_t **data, size_t *len, struct Sl_buf *tmp)
{
	struct sqfs_priv *p = l->priv;
	sqfs_inode_generic_t *ino = NULL;
	struct tstate *t;
	sqfs_u64 size = 0;
	int err;
	sl_rc rc;

	if (p == NULL)
		return SL_E_USAGE;
	t = tstate_get(p);
	if (t == NULL)
		return SL_E_NOMEM;
	/* The inode's fixed part passed peek_inode at open, so the block
	 * list libsquashfs allocates here is bounded; the engine calls read
	 * only for sizes within the per-file limit. */
	err = sqfs_meta_reader_read_inode(t->imr, &p->super, node->ref >> 16,
	                                  (size_t)(node->ref & 0xFFFF), &ino);
	if (err == 0)
		sqfs_inode_get_file_size(ino, &size);
	if (err != 0 || size != node->e.size ||
	    (ino->base.type != SQFS_INODE_FILE &&
	     ino->base.type != SQFS_INODE_EXT_FILE)) {
		sqfs_free(ino);
		tstate_put(p, t);
		return Sl_fail(l->scan, SL_E_MALFORMED,
		               "squashfs inode at 0x%llx+0x%x: %s",
		               (unsigned long long)(p->super.inode_table_start +
		                                    (node->ref >> 16)),
		               (unsigned)(node->ref & 0xFFFF),
		               err ? sqfs_errstr(err)
		                   : "no longer the file listed at open");
	}
	rc = read_file(l, p, t, ino, tmp);
	sqfs_free(ino);
	tstate_put(p, t);
	if (rc != SL_OK)
		return rc;
	*data = tmp->p;
	*len = tmp->n;
	return SL_OK;
}

static void
squashfs_close(struct Sl_layer *l)
{
	struct sqfs_priv *p = l->priv;
	struct tstate *t;
	size_t i;

	if (p == NULL)
		return;
	while ((t = p->idle) != NULL) {
		p->idle = t->next;
		tstate_free(t);
	}
	sqfs_destroy(p->ftbl);
	for (i = 0; i < SQFS_FRAG_SLOTS; i++)
		free(p->fslots[i].buf);
	if (p->cond_ok)
		pthread_cond_destroy(&p->loaded);
	if (p->lock_ok)
		pthread_mutex_destroy(&p->lock);
	free(p);
	l->priv = NULL;
}

const struct Sl_reader Sl_reader_squashfs = {
    .name = "squashfs",
    .description = "SquashFS 4.0 filesystem (libsquashfs)",
    .nest = SL_NEST_WHOLE,
    .magics = squashfs_magics,
    .bid = squashfs_bid,
    .open = squashfs_open,
    .read = squashfs_read,
    .close = squashfs_close,
};
