/*
 * ext.c - ext2, ext3 and ext4 filesystems, read in place with libext2fs.
 *
 * The superblock sits 1024 bytes into the filesystem (magic 0xEF53 at byte
 * 1080).  libext2fs parses it, the group descriptors, inodes, directories,
 * extent trees and block maps; it reads "the device" through an io_manager,
 * and this file supplies one, "starlab-mem", that serves blocks straight
 * from the layer's bytes: nothing is copied to a temporary file or written
 * anywhere, and every write is refused.  At open the directory tree is
 * walked from the root inode and each entry is stat'ed from its inode.
 * Content is read on demand: a file whose extents form one run of blocks
 * inside the image is returned in place, any other is copied into the
 * caller's buffer with ext2fs_file_read().
 *
 * Trust: every byte is hostile.  libext2fs checks the superblock at open,
 * and each group descriptor, inode number, directory block and extent node
 * when it uses it; reads past the end of the image come back from the
 * io_manager as short reads.  What libext2fs leaves to its caller is
 * bounded here: a superblock whose counts imply a group descriptor table
 * larger than the image is refused before libext2fs allocates it, each
 * directory is walked once (a directory entry pointing at an ancestor
 * cannot loop), directories nest at most EXT_MAX_DEPTH deep, the directory
 * entries visited are capped, symlink targets are at most one block, names
 * holding '/' or NUL are refused, and file sizes go through the scan's
 * per-file limit and budget in tree.c.
 *
 * Threads: libext2fs keeps per-filesystem state (the inode cache, the
 * block buffers of open files, the extent handle's path) without locks, so
 * one ext2_filsys must never be used by two threads at once.  Rather than
 * one handle behind a mutex, read() borrows a handle from a small pool and
 * opens another one over the same bytes when every handle is busy.  Reading
 * a file of an ext2/ext3 image maps and copies it block by block through
 * libext2fs, which is the bulk of the work for such a file, so a mutex
 * would serialise the workers for most of their time; a pool lets them run
 * side by side.  An extra handle costs one more parse of the superblock and
 * group descriptors (memory, no I/O) and is opened only when two reads
 * really overlap, so a single-threaded scan pays nothing for it.
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>

#include <ext2fs/ext2fs.h>

#include "../sl.h"

/* Directory nesting walked below the root. */
#define EXT_MAX_DEPTH SL_NEST_EXT_DIRS /* src/limits.h */
/* Handles open at once over one filesystem (one per concurrent read). */
#define EXT_POOL_MAX 4
/* Extents examined when deciding whether a file can be read in place. */
#define EXT_MAX_EXTENTS 4096
/* Bytes asked of ext2fs_file_read() at a time. */
#define EXT_CHUNK (1U << 20)

static const struct Sl_magic ext_magics[] = {
    {"\x53\xef", 2, 1080},
    {NULL, 0, 0},
};

/* ---- the in-memory io_manager ------------------------------------ */

/* The bytes a channel reads: the layer's data. */
struct memdev {
	const uint8_t *p;
	uint64_t len;
};

#define MEM_NAME_PREFIX "starlab-mem:"

static struct struct_io_manager mem_io_manager;

/*
 * libext2fs hands the io_manager only a name.  The name is built by
 * ext_name() below and carries the address of the struct memdev it
 * stands for; it never comes from the image.
 */
static errcode_t
mem_open(const char *name, int flags, io_channel *channel)
{
	struct memdev *dev;
	io_channel io;
	char *end;
	unsigned long long addr;
	size_t plen = sizeof(MEM_NAME_PREFIX) - 1;

	if (name == NULL || strncmp(name, MEM_NAME_PREFIX, plen) != 0)
		return EXT2_ET_BAD_DEVICE_NAME;
	if (flags & IO_FLAG_RW)
		return EXT2_ET_RO_FILSYS;
	addr = strtoull(name + plen, &end, 16);
	if (*end != 0 || addr == 0)
		return EXT2_ET_BAD_DEVICE_NAME;
	dev = (struct memdev *)(uintptr_t)addr;
	io = calloc(1, sizeof(*io));
	if (io == NULL)
		return EXT2_ET_NO_MEMORY;
	io->name = strdup(name);
	if (io->name == NULL) {
		free(io);
		return EXT2_ET_NO_MEMORY;
	}
	io->magic = EXT2_ET_MAGIC_IO_CHANNEL;
	io->manager = &mem_io_manager;
	io->block_size = 1024;
	io->refcount = 1;
	io->private_data = dev;
	*channel = io;
	return 0;
}

static errcode_t
mem_close(io_channel io)
{
	if (--io->refcount > 0)
		return 0;
	free(io->name);
	free(io);
	return 0;
}

static errcode_t
mem_set_blksize(io_channel io, int blksize)
{
	if (blksize <= 0)
		return EXT2_ET_INVALID_ARGUMENT;
	io->block_size = blksize;
	return 0;
}

/*
 * Copy count blocks (or -count bytes when count is negative, the
 * libext2fs convention) from block on.  What lies past the end of the
 * image reads as zeros and the read is reported short.
 */
static errcode_t
mem_read_blk64(io_channel io, unsigned long long block, int count, void *data)
{
	const struct memdev *dev = io->private_data;
	uint64_t size, off, avail = 0;

	if (count < 0)
		size = (uint64_t)(-(int64_t)count);
	else
		size = (uint64_t)count * (uint64_t)io->block_size;
	/* UNTRUSTED: block numbers come from the image. */
	if (!__builtin_mul_overflow(block, (uint64_t)io->block_size, &off) &&
	    off < dev->len)
		avail = dev->len - off < size ? dev->len - off : size;
	if (avail > 0)
		memcpy(data, dev->p + off, (size_t)avail);
	if (avail < size)
		memset((uint8_t *)data + avail, 0, (size_t)(size - avail));
	return avail < size ? EXT2_ET_SHORT_READ : 0;
}

static errcode_t
mem_read_blk(io_channel io, unsigned long block, int count, void *data)
{
	return mem_read_blk64(io, block, count, data);
}

static errcode_t
mem_write_blk(io_channel io, unsigned long block, int count, const void *data)
{
	(void)io;
	(void)block;
	(void)count;
	(void)data;
	return EXT2_ET_RO_FILSYS;
}

static errcode_t
mem_write_blk64(io_channel io, unsigned long long block, int count,
                const void *data)
{
	(void)io;
	(void)block;
	(void)count;
	(void)data;
	return EXT2_ET_RO_FILSYS;
}

static errcode_t
mem_write_byte(io_channel io, unsigned long offset, int count, const void *data)
{
	(void)io;
	(void)offset;
	(void)count;
	(void)data;
	return EXT2_ET_RO_FILSYS;
}

static errcode_t
mem_flush(io_channel io)
{
	(void)io;
	return 0;
}

static errcode_t
mem_set_option(io_channel io, const char *option, const char *arg)
{
	(void)io;
	(void)option;
	(void)arg;
	return EXT2_ET_INVALID_ARGUMENT;
}

static struct struct_io_manager mem_io_manager = {
    .magic = EXT2_ET_MAGIC_IO_MANAGER,
    .name = "starlab in-memory I/O manager",
    .open = mem_open,
    .close = mem_close,
    .set_blksize = mem_set_blksize,
    .read_blk = mem_read_blk,
    .write_blk = mem_write_blk,
    .flush = mem_flush,
    .write_byte = mem_write_byte,
    .set_option = mem_set_option,
    .read_blk64 = mem_read_blk64,
    .write_blk64 = mem_write_blk64,
};

/* ---- one filesystem: the handle pool ------------------------------ */

struct extfs {
	struct memdev dev;
	char name[48];
	int flags; /* for ext2fs_open2(), as the first open succeeded */
	uint64_t size;
	pthread_mutex_t m;
	pthread_cond_t cv;
	ext2_filsys idle[EXT_POOL_MAX];
	unsigned nidle, nopen;
};

/*
 * The message for a libext2fs error code.  Its table is exported by
 * libext2fs; error_message() would need libcom_err, which the build does
 * not link.
 */
static void
ext_strerror(errcode_t err, char *buf, size_t n)
{
	const struct error_table *t = &et_ext2_error_table;

	if (err >= t->base && err < t->base + t->n_msgs)
		snprintf(buf, n, "%s", t->msgs[err - t->base]);
	else if (err > 0 && err < 4096)
		snprintf(buf, n, "%s", strerror((int)err));
	else
		snprintf(buf, n, "libext2fs error %ld", (long)err);
}

static errcode_t
ext_open_handle(struct extfs *x, int flags, ext2_filsys *out)
{
	ext2_filsys fs = NULL;
	errcode_t err;

	err = ext2fs_open2(x->name, NULL, flags, 0, 0, &mem_io_manager, &fs);
	if (err != 0) {
		if (fs != NULL)
			ext2fs_free(fs);
		return err;
	}
	*out = fs;
	return 0;
}

/* Borrow a handle; NULL (with *errp) when none could be opened. */
static ext2_filsys
pool_get(struct extfs *x, errcode_t *errp)
{
	ext2_filsys fs = NULL;

	pthread_mutex_lock(&x->m);
	while (x->nidle == 0 && x->nopen >= EXT_POOL_MAX)
		pthread_cond_wait(&x->cv, &x->m);
	if (x->nidle > 0) {
		fs = x->idle[--x->nidle];
		pthread_mutex_unlock(&x->m);
		return fs;
	}
	x->nopen++;
	pthread_mutex_unlock(&x->m);
	*errp = ext_open_handle(x, x->flags, &fs);
	if (*errp == 0)
		return fs;
	pthread_mutex_lock(&x->m);
	x->nopen--;
	pthread_cond_signal(&x->cv);
	pthread_mutex_unlock(&x->m);
	return NULL;
}

static void
pool_put(struct extfs *x, ext2_filsys fs)
{
	pthread_mutex_lock(&x->m);
	if (SL_ALWAYS(x->nidle < EXT_POOL_MAX))
		x->idle[x->nidle++] = fs;
	else
		ext2fs_free(fs);
	pthread_cond_signal(&x->cv);
	pthread_mutex_unlock(&x->m);
}

/* ---- bidding ----------------------------------------------------- */

/*
 * The superblock of a primary copy: the magic, a block size of 1 to 64
 * KiB, non-zero counts, a known revision, and a group number of zero (the
 * backup copies in later groups carry their own number and are not
 * filesystems of their own).
 */
static int
ext_bid(const uint8_t *p, size_t n)
{
	const uint8_t *sb = p + 1024;
	uint32_t log, rev, bs;

	if (n < 2048 || Sl_get_le16(sb + 0x38) != 0xef53)
		return 0;
	log = Sl_get_le32(sb + 0x18);
	rev = Sl_get_le32(sb + 0x4c);
	if (log > 6 || rev > 1)
		return 0;
	bs = 1024U << log;
	if (Sl_get_le32(sb + 0x00) == 0 || Sl_get_le32(sb + 0x20) == 0 ||
	    Sl_get_le32(sb + 0x28) == 0 || Sl_get_le32(sb + 0x14) > 1)
		return 0;
	if (Sl_get_le32(sb + 0x04) == 0 && Sl_get_le32(sb + 0x150) == 0)
		return 0;
	if (rev == 1) {
		uint32_t isz = Sl_get_le16(sb + 0x58);

		if (isz < 128 || isz > bs || (isz & (isz - 1)) != 0)
			return 0;
		if (Sl_get_le16(sb + 0x5a) != 0)
			return 0;
	}
	return 90;
}

/*
 * libext2fs allocates and reads the whole group descriptor table at open,
 * sized from counts in the superblock: a forged count could make it
 * allocate gigabytes.  The table is stored in the image, so it can be no
 * larger than the image; refuse a superblock that claims otherwise.
 * ext_bid() has checked the fields used here.
 */
static bool
gdt_fits(const uint8_t *p, size_t n)
{
	const uint8_t *sb = p + 1024;
	uint64_t blocks = Sl_get_le32(sb + 0x04), groups, bytes;
	uint32_t first = Sl_get_le32(sb + 0x14);
	uint32_t per = Sl_get_le32(sb + 0x20);
	uint32_t desc = 32;

	if (Sl_get_le32(sb + 0x60) & EXT4_FEATURE_INCOMPAT_64BIT) {
		blocks |= (uint64_t)Sl_get_le32(sb + 0x150) << 32;
		desc = Sl_get_le16(sb + 0xfe);
		if (desc < 32)
			desc = 32;
	}
	/* UNTRUSTED: all of these come from the superblock. */
	if (blocks <= first || per == 0)
		return false;
	groups = (blocks - first + per - 1) / per;
	return !__builtin_mul_overflow(groups, (uint64_t)desc, &bytes) &&
	       bytes <= n;
}

/* ---- inodes ------------------------------------------------------ */

/* Seconds since the epoch, with the ext4 epoch bits when present. */
static int64_t
inode_mtime(ext2_filsys fs, const struct ext2_inode_large *in)
{
	int64_t t = (int32_t)in->i_mtime;
	size_t need = offsetof(struct ext2_inode_large, i_mtime_extra) + 4 -
	              EXT2_GOOD_OLD_INODE_SIZE;
	unsigned isz = EXT2_INODE_SIZE(fs->super);

	/* UNTRUSTED: i_extra_isize must fit inside the on-disk inode. */
	if (isz > EXT2_GOOD_OLD_INODE_SIZE && in->i_extra_isize >= need &&
	    in->i_extra_isize <= isz - EXT2_GOOD_OLD_INODE_SIZE)
		t += (int64_t)(in->i_mtime_extra & EXT4_EPOCH_MASK) << 32;
	return t;
}

static errcode_t
read_inode(ext2_filsys fs, ext2_ino_t ino, struct ext2_inode_large *in)
{
	memset(in, 0, sizeof(*in));
	return ext2fs_read_inode_full(fs, ino, (struct ext2_inode *)in,
	                              sizeof(*in));
}

/*
 * Read a symlink's target into buf (bufsz bytes, NUL-terminated).  The
 * target lives in i_block (a fast symlink), in the inode's inline data, or
 * in a data block.  Returns 0 or a libext2fs error; *why names a problem
 * that is not a libext2fs error.
 */
static errcode_t
read_link(ext2_filsys fs, ext2_ino_t ino, struct ext2_inode_large *in,
          char *buf, size_t bufsz, const char **why)
{
	struct ext2_inode *ip = (struct ext2_inode *)in;
	uint64_t size = EXT2_I_SIZE(ip);
	ext2_file_t f;
	unsigned got = 0;
	size_t isz;
	errcode_t err;

	*why = NULL;
	/* UNTRUSTED: the target length comes from the inode. */
	if (size == 0 || size >= bufsz || size > fs->blocksize) {
		*why = "symlink target length out of range";
		return 0;
	}
	if (in->i_flags & EXT4_INLINE_DATA_FL) {
		err = ext2fs_inline_data_size(fs, ino, &isz);
		if (err != 0)
			return err;
		if (isz >= bufsz || isz < size) {
			*why = "inline symlink data does not match its size";
			return 0;
		}
		err = ext2fs_inline_data_get(fs, ino, ip, buf, &isz);
		if (err != 0)
			return err;
	} else if (ext2fs_is_fast_symlink(ip)) {
		memcpy(buf, in->i_block, (size_t)size);
	} else {
		err = ext2fs_file_open2(fs, ino, ip, 0, &f);
		if (err != 0)
			return err;
		err = ext2fs_file_read(f, buf, (unsigned)size, &got);
		ext2fs_file_close(f);
		if (err != 0)
			return err;
		if (got != size) {
			*why = "symlink target shorter than its size";
			return 0;
		}
	}
	buf[size] = 0;
	if (strlen(buf) == 0)
		*why = "empty symlink target";
	return 0;
}

/* ---- walking the tree -------------------------------------------- */

/* A set of inode numbers, each with a path (open addressing). */
struct inomap {
	uint32_t *keys; /* 0 = empty slot */
	const char **vals;
	size_t cap, n;
};

static const char **
inomap_find(const struct inomap *m, uint32_t ino)
{
	size_t i;

	if (m->cap == 0)
		return NULL;
	for (i = (ino * 2654435761U) & (m->cap - 1); m->keys[i] != 0;
	     i = (i + 1) & (m->cap - 1))
		if (m->keys[i] == ino)
			return &m->vals[i];
	return NULL;
}

static bool
inomap_put(struct inomap *m, uint32_t ino, const char *val)
{
	size_t i;

	if (m->n + 1 > m->cap / 2) {
		struct inomap g = {0};
		size_t j;

		g.cap = m->cap ? m->cap * 2 : 64;
		g.keys = calloc(g.cap, sizeof(*g.keys));
		g.vals = calloc(g.cap, sizeof(*g.vals));
		if (g.keys == NULL || g.vals == NULL) {
			free(g.keys);
			free(g.vals);
			return false;
		}
		for (j = 0; j < m->cap; j++)
			if (m->keys[j] != 0)
				inomap_put(&g, m->keys[j], m->vals[j]);
		free(m->keys);
		free(m->vals);
		*m = g;
	}
	for (i = (ino * 2654435761U) & (m->cap - 1); m->keys[i] != 0;
	     i = (i + 1) & (m->cap - 1))
		if (m->keys[i] == ino) {
			m->vals[i] = val;
			return true;
		}
	m->keys[i] = ino;
	m->vals[i] = val;
	m->n++;
	return true;
}

static void
inomap_free(struct inomap *m)
{
	free(m->keys);
	free(m->vals);
	memset(m, 0, sizeof(*m));
}

struct dirq {
	ext2_ino_t ino;
	const char *path; /* inside the layer; "" for the root */
	unsigned depth;
};

struct walk {
	struct Sl_layer *l;
	ext2_filsys fs;
	struct dirq *q;
	size_t qhead, qn, qcap;
	struct inomap dirs;  /* directories walked or queued */
	struct inomap links; /* files with more than one link: first path */
	struct Sl_buf path;
	char *linkbuf;
	size_t linkbufsz;
	const struct dirq *cur;
	uint64_t dirents, max_dirents;
	bool stop;
	sl_rc rc;
};

static void
queue_dir(struct walk *w, ext2_ino_t ino, const char *path, unsigned depth)
{
	void *q = w->q;

	if (!Sl_vec_grow(&q, &w->qcap, w->qn, sizeof(*w->q), 64)) {
		w->rc = SL_E_NOMEM;
		w->stop = true;
		return;
	}
	w->q = q;
	w->q[w->qn++] = (struct dirq){ino, path, depth};
}

/* Stat inode ino, named path, and add it to the layer. */
static void
add_inode(struct walk *w, ext2_ino_t ino, const char *path)
{
	struct Sl_layer *l = w->l;
	struct sl_scan *s = l->scan;
	struct ext2_inode_large in;
	struct sl_entry e = {0};
	struct Sl_node *n;
	const char **first = NULL;
	const char *why = NULL;
	char msg[128];
	errcode_t err;

	/* UNTRUSTED: ino comes from a directory entry; libext2fs checks it. */
	err = read_inode(w->fs, ino, &in);
	if (err != 0) {
		ext_strerror(err, msg, sizeof(msg));
		Sl_incomplete(s, "%s: inode %u (\"%.200s\"): %s", l->prefix,
		              (unsigned)ino, path, msg);
		return;
	}
	if (in.i_mode == 0 || in.i_links_count == 0) {
		Sl_incomplete(s,
		              "%s: inode %u (\"%.200s\") is unused or zeroed "
		              "(damaged inode table?)",
		              l->prefix, (unsigned)ino, path);
		return;
	}
	e.mode = in.i_mode & 07777;
	e.uid = inode_uid(in);
	e.gid = inode_gid(in);
	e.mtime = inode_mtime(w->fs, &in);
	switch (in.i_mode & LINUX_S_IFMT) {
	case LINUX_S_IFREG:
		e.type = SL_FT_REG;
		e.size = EXT2_I_SIZE(&in);
		if (in.i_links_count > 1)
			first = inomap_find(&w->links, ino);
		if (first != NULL) {
			e.type = SL_FT_HARDLINK;
			e.link = *first;
		}
		break;
	case LINUX_S_IFDIR: e.type = SL_FT_DIR; break;
	case LINUX_S_IFLNK:
		e.type = SL_FT_LNK;
		err =
		    read_link(w->fs, ino, &in, w->linkbuf, w->linkbufsz, &why);
		if (err != 0) {
			ext_strerror(err, msg, sizeof(msg));
			why = msg;
		}
		if (why != NULL)
			Sl_incomplete(s,
			              "%s: symlink inode %u (\"%.200s\"): %s; "
			              "target not read",
			              l->prefix, (unsigned)ino, path, why);
		else {
			e.link = w->linkbuf;
			e.size = strlen(w->linkbuf);
		}
		break;
	case LINUX_S_IFCHR: e.type = SL_FT_CHR; break;
	case LINUX_S_IFBLK: e.type = SL_FT_BLK; break;
	case LINUX_S_IFIFO: e.type = SL_FT_FIFO; break;
	case LINUX_S_IFSOCK: e.type = SL_FT_SOCK; break;
	default:
		Sl_incomplete(s,
		              "%s: inode %u (\"%.200s\") has unknown type %o",
		              l->prefix, (unsigned)ino, path,
		              (unsigned)(in.i_mode & LINUX_S_IFMT));
		return;
	}
	n = Sl_add(l, path, &e);
	if (n == NULL)
		return;
	n->ref = ino;
	if (e.type == SL_FT_REG && in.i_links_count > 1 &&
	    !inomap_put(&w->links, ino, n->inner)) {
		w->rc = SL_E_NOMEM;
		w->stop = true;
	}
	if (e.type != SL_FT_DIR)
		return;
	if (inomap_find(&w->dirs, ino) != NULL) {
		Sl_incomplete(s,
		              "%s: directory inode %u is reached again at "
		              "\"%.200s\"; not walked twice",
		              l->prefix, (unsigned)ino, path);
		return;
	}
	if (w->cur->depth + 1 > EXT_MAX_DEPTH) {
		Sl_incomplete(s,
		              "%s: \"%.200s\" nests deeper than %u "
		              "directories; not walked",
		              l->prefix, path, EXT_MAX_DEPTH);
		return;
	}
	if (!inomap_put(&w->dirs, ino, n->inner)) {
		w->rc = SL_E_NOMEM;
		w->stop = true;
		return;
	}
	queue_dir(w, ino, n->inner, w->cur->depth + 1);
}

static int
walk_entry(ext2_ino_t dir, int entry, struct ext2_dir_entry *de, int offset,
           int blocksize, char *buf, void *arg)
{
	struct walk *w = arg;
	struct Sl_layer *l = w->l;
	const char *parent = w->cur->path;
	int nlen;

	(void)dir;
	(void)entry;
	(void)offset;
	(void)blocksize;
	(void)buf;
	if (++w->dirents > w->max_dirents) {
		Sl_incomplete(l->scan,
		              "%s: more than %llu directory entries; the rest "
		              "of the tree is not listed",
		              l->prefix, (unsigned long long)w->max_dirents);
		w->stop = true;
		return DIRENT_ABORT;
	}
	if (de->inode == 0)
		return 0;
	/* UNTRUSTED: libext2fs checked name_len + 8 <= rec_len <= block. */
	nlen = ext2fs_dirent_name_len(de);
	if ((nlen == 1 && de->name[0] == '.') ||
	    (nlen == 2 && de->name[0] == '.' && de->name[1] == '.'))
		return 0;
	if (nlen == 0 || memchr(de->name, '/', (size_t)nlen) != NULL ||
	    memchr(de->name, 0, (size_t)nlen) != NULL) {
		Sl_incomplete(l->scan,
		              "%s: directory \"%.200s\" (inode %u): entry "
		              "for inode %u has an empty name or one holding "
		              "'/' or NUL; refused",
		              l->prefix, *parent ? parent : "/",
		              (unsigned)w->cur->ino, (unsigned)de->inode);
		return 0;
	}
	Sl_buf_reset(&w->path);
	if ((*parent != 0 &&
	     (Sl_buf_add(&w->path, parent, strlen(parent)) != SL_OK ||
	      Sl_buf_add(&w->path, "/", 1) != SL_OK)) ||
	    Sl_buf_add(&w->path, de->name, (size_t)nlen) != SL_OK) {
		w->rc = SL_E_NOMEM;
		w->stop = true;
		return DIRENT_ABORT;
	}
	add_inode(w, de->inode, (const char *)w->path.p);
	return w->stop ? DIRENT_ABORT : 0;
}

/* List every entry below the root directory. */
static sl_rc
walk_tree(struct Sl_layer *l, ext2_filsys fs)
{
	struct walk w;
	char msg[128];
	errcode_t err;

	memset(&w, 0, sizeof(w));
	w.l = l;
	w.fs = fs;
	w.rc = SL_OK;
	w.max_dirents = Sl_limits(l->scan)->max_files * 4 + 1024;
	Sl_buf_init(&w.path, SL_BUF_MAX_PATH);
	w.linkbufsz = (size_t)fs->blocksize + 1;
	w.linkbuf = malloc(w.linkbufsz);
	if (w.linkbuf == NULL || !inomap_put(&w.dirs, EXT2_ROOT_INO, "")) {
		free(w.linkbuf);
		inomap_free(&w.dirs);
		return SL_E_NOMEM;
	}
	queue_dir(&w, EXT2_ROOT_INO, "", 0);
	while (w.qhead < w.qn && !w.stop) {
		struct dirq d = w.q[w.qhead++];

		w.cur = &d;
		/*
		 * DIRENT_FLAG_INCLUDE_EMPTY: every directory block yields
		 * at least one call, so the entry cap also bounds the blocks
		 * read for a directory whose extents claim a huge size.
		 */
		err = ext2fs_dir_iterate2(fs, d.ino, DIRENT_FLAG_INCLUDE_EMPTY,
		                          NULL, walk_entry, &w);
		if (err != 0 && !w.stop) {
			ext_strerror(err, msg, sizeof(msg));
			Sl_incomplete(l->scan,
			              "%s: directory \"%.200s\" (inode %u): "
			              "%s; its entries may be missing",
			              l->prefix, *d.path ? d.path : "/",
			              (unsigned)d.ino, msg);
		}
	}
	free(w.q);
	inomap_free(&w.dirs);
	inomap_free(&w.links);
	Sl_buf_free(&w.path);
	free(w.linkbuf);
	return w.rc;
}

/* ---- the reader -------------------------------------------------- */

static void
ext_close(struct Sl_layer *l)
{
	struct extfs *x = l->priv;
	unsigned i;

	if (x == NULL)
		return;
	for (i = 0; i < x->nidle; i++)
		ext2fs_free(x->idle[i]);
	pthread_mutex_destroy(&x->m);
	pthread_cond_destroy(&x->cv);
	free(x);
	l->priv = NULL;
}

static sl_rc
ext_open(struct Sl_layer *l)
{
	struct sl_scan *s = l->scan;
	struct extfs *x;
	ext2_filsys fs = NULL;
	errcode_t err;
	uint64_t blocks, bytes;
	char msg[128];
	sl_rc rc;

	if (l->len < 2048 || !gdt_fits(l->data, l->len)) {
		Sl_incomplete(s,
		              "%s: not opened as ext2/3/4: the superblock's "
		              "counts need more group descriptors than the "
		              "image holds",
		              l->prefix);
		return SL_E_MALFORMED;
	}
	x = calloc(1, sizeof(*x));
	if (x == NULL)
		return SL_E_NOMEM;
	x->dev.p = l->data;
	x->dev.len = l->len;
	snprintf(x->name, sizeof(x->name), MEM_NAME_PREFIX "%llx",
	         (unsigned long long)(uintptr_t)&x->dev);
	pthread_mutex_init(&x->m, NULL);
	pthread_cond_init(&x->cv, NULL);
	l->priv = x;

	x->flags = EXT2_FLAG_64BITS | EXT2_FLAG_SKIP_MMP;
	err = ext_open_handle(x, x->flags, &fs);
	if (err == EXT2_ET_SB_CSUM_INVALID || err == EXT2_ET_UNKNOWN_CSUM) {
		ext_strerror(err, msg, sizeof(msg));
		x->flags |= EXT2_FLAG_IGNORE_CSUM_ERRORS;
		err = ext_open_handle(x, x->flags, &fs);
		if (err == 0)
			Sl_incomplete(s,
			              "%s: %s; read anyway, metadata may be "
			              "damaged",
			              l->prefix, msg);
	}
	if (err != 0) {
		ext_strerror(err, msg, sizeof(msg));
		Sl_incomplete(s, "%s: not opened as ext2/3/4: %s", l->prefix,
		              msg);
		return SL_E_MALFORMED;
	}
	x->nopen = 1;

	/* UNTRUSTED: the block count comes from the superblock. */
	blocks = ext2fs_blocks_count(fs->super);
	if (__builtin_mul_overflow(blocks, (uint64_t)fs->blocksize, &bytes) ||
	    bytes > l->len) {
		Sl_incomplete(s,
		              "%s: filesystem of %llu blocks of %u bytes "
		              "is cut short: only %llu bytes are present",
		              l->prefix, (unsigned long long)blocks,
		              fs->blocksize, (unsigned long long)l->len);
		bytes = l->len;
	}
	l->size = bytes;
	x->size = bytes;
	if (fs->super->s_feature_incompat & EXT3_FEATURE_INCOMPAT_RECOVER)
		Sl_incomplete(s,
		              "%s: the journal holds transactions not yet "
		              "replayed; the listing shows the state before "
		              "them",
		              l->prefix);
	rc = walk_tree(l, fs);
	x->idle[x->nidle++] = fs;
	return rc;
}

/*
 * If the file's first nblk blocks are one run of initialised extents, the
 * byte offset of that run in the image; else UINT64_MAX.
 */
static uint64_t
in_place(const struct extfs *x, ext2_filsys fs, ext2_ino_t ino,
         struct ext2_inode_large *in, uint64_t size)
{
	ext2_extent_handle_t h;
	struct ext2fs_extent ex;
	uint64_t nblk, next = 0, start = 0, off;
	unsigned steps = 0;
	errcode_t err;

	if (!(in->i_flags & EXT4_EXTENTS_FL) ||
	    (in->i_flags & (EXT4_INLINE_DATA_FL | EXT4_ENCRYPT_FL)))
		return UINT64_MAX;
	nblk = size / fs->blocksize + (size % fs->blocksize != 0);
	if (nblk == 0 ||
	    ext2fs_extent_open2(fs, ino, (struct ext2_inode *)in, &h) != 0)
		return UINT64_MAX;
	err = ext2fs_extent_get(h, EXT2_EXTENT_ROOT, &ex);
	while (err == 0 && next < nblk && ++steps <= EXT_MAX_EXTENTS) {
		if ((ex.e_flags & EXT2_EXTENT_FLAGS_LEAF) &&
		    !(ex.e_flags & EXT2_EXTENT_FLAGS_SECOND_VISIT)) {
			/* UNTRUSTED: extents come from the image. */
			if ((ex.e_flags & EXT2_EXTENT_FLAGS_UNINIT) ||
			    ex.e_lblk != next || ex.e_len == 0 ||
			    (next > 0 && ex.e_pblk != start + next))
				break;
			if (next == 0)
				start = ex.e_pblk;
			next += ex.e_len;
		}
		err = ext2fs_extent_get(h, EXT2_EXTENT_NEXT, &ex);
	}
	ext2fs_extent_free(h);
	if (next < nblk ||
	    __builtin_mul_overflow(start, (uint64_t)fs->blocksize, &off) ||
	    off > x->size || size > x->size - off)
		return UINT64_MAX;
	return off;
}

static sl_rc
ext_read(struct Sl_layer *l, const struct Sl_node *node, const uint8_t **data,
         size_t *len, struct Sl_buf *tmp)
{
	struct extfs *x = l->priv;
	struct sl_scan *s = l->scan;
	ext2_ino_t ino = (ext2_ino_t)node->ref;
	uint64_t size = node->e.size, done = 0, off;
	struct ext2_inode_large in;
	ext2_filsys fs;
	ext2_file_t f = NULL;
	errcode_t err = 0;
	char msg[128];
	sl_rc rc = SL_OK;

	fs = pool_get(x, &err);
	if (fs == NULL)
		goto fail;
	err = read_inode(fs, ino, &in);
	if (err != 0)
		goto fail;
	if (size == 0) {
		*data = (const uint8_t *)"";
		*len = 0;
		goto out;
	}
	off = in_place(x, fs, ino, &in, size);
	if (off != UINT64_MAX) {
		*data = l->data + off;
		*len = (size_t)size;
		goto out;
	}
	/* tree.c bounded size by the per-file limit, which tmp->max is. */
	rc = Sl_buf_reserve(tmp, (size_t)size);
	if (rc != SL_OK)
		goto out;
	err = ext2fs_file_open2(fs, ino, (struct ext2_inode *)&in, 0, &f);
	if (err != 0)
		goto fail;
	while (done < size) {
		unsigned want = EXT_CHUNK, got = 0;

		if (size - done < EXT_CHUNK)
			want = (unsigned)(size - done);
		err = ext2fs_file_read(f, tmp->p + done, want, &got);
		if (err == 0 && got == 0)
			err = EXT2_ET_SHORT_READ;
		if (err != 0)
			goto fail;
		done += got;
	}
	ext2fs_file_close(f);
	tmp->n = (size_t)size;
	*data = tmp->p;
	*len = (size_t)size;
out:
	if (fs != NULL)
		pool_put(x, fs);
	return rc;
fail:
	if (f != NULL)
		ext2fs_file_close(f);
	if (fs != NULL)
		pool_put(x, fs);
	ext_strerror(err, msg, sizeof(msg));
	return Sl_fail(s, SL_E_MALFORMED, "inode %u at byte %llu: %s",
	               (unsigned)ino, (unsigned long long)done, msg);
}

const struct Sl_reader Sl_reader_ext = {
    .name = "ext",
    .description = "ext2/ext3/ext4 filesystem (libext2fs)",
    .nest = SL_NEST_WHOLE,
    .magics = ext_magics,
    .bid = ext_bid,
    .open = ext_open,
    .read = ext_read,
    .close = ext_close,
};
