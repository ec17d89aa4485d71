/*
 * jffs2.c - JFFS2 flash filesystems (the Linux kernel's fs/jffs2), read
 * in place, little- or big-endian.
 *
 * A JFFS2 image is a log: erase blocks holding nodes, each a 12-byte
 * header (magic 0x1985, node type, total length, header CRC) and a body.
 * Directory entries (pino, version, ino, name) and inode nodes (ino,
 * version, metadata and at most a page of compressed data) are never
 * overwritten: the newest version wins.  open() walks the nodes once,
 * checks their CRCs, keeps a compact index of the valid ones, and builds
 * the tree from the newest directory entries; read() assembles one file
 * from its data nodes, oldest version first, without rescanning.
 *
 * Why hand-written: the kernel driver is the only reader of JFFS2.  No
 * library in Debian parses it from userspace (mtd-utils only writes it;
 * jefferson is Python and extracts to disk), so this file follows the
 * kernel's scan rules (fs/jffs2/scan.c, readinode.c) instead.  The data
 * is decompressed with zlib, liblzo2 (lzo1x_decompress_safe) and liblzma
 * (OpenWrt's LZMA variant: raw LZMA1, lc=0 lp=0 pb=0); rtime is a few
 * lines, written here.
 *
 * Where the filesystem ends.  In a flash dump a JFFS2 partition is
 * followed by other data, so the scan goes erase block by erase block and
 * stops at the first block that does not start with a valid node and
 * either starts with another reader's magic (that reader bidding) or
 * holds no node with a valid header CRC and is not all 0xff.  The
 * erase block size is the largest power of two dividing the offsets of
 * every cleanmarker found at 4 KiB-aligned offsets (mkfs.jffs2 writes one
 * at the start of every block unless -n); without cleanmarkers (NAND
 * dumps keep them out of band) blocks are taken to be 64 KiB for the stop
 * rule.  l->size is the end of the last valid node, extended to the end of
 * its erase block when the bytes up to there are 0xff (or, when the block
 * size is unknown, over all the 0xff that follow it).  Two JFFS2
 * partitions back to back are read as one.
 *
 * Trust: every byte is hostile.  Node lengths are checked against the
 * image and the erase block, every count is bounded (nodes indexed,
 * directory depth, name and symlink lengths, data per node), paths are
 * built by walking parent inodes with a depth bound and cycle detection,
 * and what is damaged (CRC failures of things that look like nodes,
 * truncated nodes, orphans, cycles) is recorded as incomplete with its
 * offset.  Decompressed bytes past the file size (overlapping versions)
 * are charged to the scan's budget.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include <lzma.h>
#include <lzo/lzo1x.h>
#include <zlib.h>

#include "../sl.h"

extern const struct Sl_reader Sl_reader_jffs2;

/* Node types (include/uapi/linux/jffs2.h). */
#define JFFS2_MAGIC      0x1985
#define NODE_ACCURATE    0x2000
#define COMPAT_MASK      0xc000
#define FEATURE_INCOMPAT 0xc000
#define NT_DIRENT        0xe001
#define NT_INODE         0xe002
#define NT_CLEANMARKER   0x2003
#define NT_PADDING       0x2004
#define NT_SUMMARY       0x2006
#define NT_XATTR         0xe008
#define NT_XREF          0xe009

/* Compression types of inode nodes. */
#define COMPR_NONE  0x00
#define COMPR_ZERO  0x01
#define COMPR_RTIME 0x02
#define COMPR_ZLIB  0x06
#define COMPR_LZO   0x07
#define COMPR_LZMA  0x08

/*
 * On-flash sizes.  A directory entry and an inode node, as the kernel
 * lays them out (every field in the image's byte order):
 *
 *	dirent                          inode
 *	 0 magic, nodetype (2+2)        0 magic, nodetype (2+2)
 *	 4 totlen                       4 totlen
 *	 8 hdr_crc                      8 hdr_crc
 *	12 pino                        12 ino
 *	16 version                     16 version
 *	20 ino (0: unlinked)           20 mode
 *	24 mctime                      24 uid, gid (2+2)
 *	28 nsize, type, unused (1+1+2) 28 isize
 *	32 node_crc (of bytes 0..31)   32 atime  36 mtime  40 ctime
 *	36 name_crc                    44 offset 48 csize  52 dsize
 *	40 name[nsize]                 56 compr, usercompr, flags (1+1+2)
 *	                               60 data_crc
 *	                               64 node_crc (of bytes 0..59)
 *	                               68 data[csize]
 */
#define HDR_LEN    12
#define DIRENT_LEN 40
#define INODE_LEN  68

/* Linux file type bits, as stored in the mode of inode nodes. */
#define J_IFMT   0170000
#define J_IFSOCK 0140000
#define J_IFLNK  0120000
#define J_IFREG  0100000
#define J_IFBLK  0060000
#define J_IFDIR  0040000
#define J_IFCHR  0020000
#define J_IFIFO  0010000

/*
 * Bounds on what one image may make this reader do.  (They belong with
 * the others in src/limits.h; kept here until that file is shared.)
 */
#define JFFS2_MAX_NODES   (1U << 21)         /* dirent + inode nodes indexed */
#define JFFS2_MAX_DATA    (1U << 20)         /* dsize of one compressed node */
#define JFFS2_MAX_DEPTH   SL_NEST_JFFS2_DIRS /* src/limits.h */
#define JFFS2_MAX_NOTES   24    /* damage reasons recorded per image */
#define JFFS2_MAX_BADDATA 16    /* data CRC failures kept to name files */
#define JFFS2_MAX_LINK    4095  /* bytes of a symlink target */
#define JFFS2_GUESS_BLOCK 65536 /* stop-rule block when size unknown */
#define JFFS2_MAX_BLOCK   (16U << 20)

#define PAD4(x) (((uint64_t)(x) + 3) & ~(uint64_t)3)

static const struct Sl_magic jffs2_magics[] = {
    {"\x85\x19\x03\x20", 4, 0}, /* little-endian cleanmarker */
    {"\x85\x19\x01\xe0", 4, 0}, /* little-endian dirent */
    {"\x85\x19\x02\xe0", 4, 0}, /* little-endian inode */
    {"\x19\x85\x20\x03", 4, 0}, /* big-endian cleanmarker */
    {"\x19\x85\xe0\x01", 4, 0}, /* big-endian dirent */
    {"\x19\x85\xe0\x02", 4, 0}, /* big-endian inode */
    {NULL, 0, 0},
};

/* One valid inode node: what read() needs to find it again. */
struct jnode {
	uint64_t off;
	uint32_t ino;
	uint32_t version;
};

/* One valid directory entry node (open time only). */
struct jdent {
	const uint8_t *name; /* inside the image */
	uint32_t pino, ino, version;
	uint8_t nsize;
};

/* The bytes [a, b) of a file one data node holds. */
struct jrange {
	uint64_t a, b;
};

/* One inode: its nodes are nodes[first .. first + n), oldest first. */
struct jfile {
	size_t first, n;
	uint32_t ino;
	const char *path; /* its first name in the tree, for hard links */
};

/* The layer's state, read-only once open() returns. */
struct jffs2 {
	bool be;
	struct jnode *nodes; /* sorted by ino, version, offset */
	size_t nnodes;
};

/* Everything open() needs while it builds the tree. */
struct jscan {
	struct Sl_layer *l;
	const uint8_t *d;
	size_t len;
	bool be;
	uint32_t ebs; /* erase block size, 0 when unknown */
	struct jnode *nodes;
	size_t nnodes, capnodes;
	struct jdent *dents;
	size_t ndents, capdents;
	bool full;
	unsigned nnotes, nmore;
	struct {
		uint32_t ino;
		uint64_t off;
	} bad[JFFS2_MAX_BADDATA];
	unsigned nbad;
	/* Tree building. */
	struct jfile *files;
	size_t nfiles;
	struct jdent *live; /* newest entry per (pino, name), ino != 0 */
	size_t nlive;
	uint32_t *byino; /* indices into live, sorted by ino */
	uint8_t *state;
	const char **dpath;
	size_t *stack;
	struct jrange *rng; /* scratch for the coverage check */
	size_t caprng;
};

/* ---- bytes, CRCs ------------------------------------------------- */

static uint16_t
g16(const struct jscan *js, uint64_t off)
{
	return js->be ? Sl_get_be16(js->d + off) : Sl_get_le16(js->d + off);
}

static uint32_t
g32(const struct jscan *js, uint64_t off)
{
	return js->be ? Sl_get_be32(js->d + off) : Sl_get_le32(js->d + off);
}

/*
 * The kernel's crc32(0, p, n), which JFFS2 stores.  Checked against images
 * made by mkfs.jffs2.
 */
static uint32_t
jcrc(const uint8_t *p, size_t n)
{
	return Sl_crc32_le(0, p, n);
}

/* Does the CRC of p[0..n) match the stored one (see Sl_crc_match)? */
static bool
crc_ok(const uint8_t *p, size_t n, uint32_t stored)
{
	return Sl_crc_match(jcrc(p, n), stored);
}

static bool
known_type(uint16_t t)
{
	switch (t | NODE_ACCURATE) {
	case NT_DIRENT:
	case NT_INODE:
	case NT_CLEANMARKER:
	case NT_PADDING:
	case NT_SUMMARY:
	case NT_XATTR:
	case NT_XREF: return true;
	}
	return false;
}

enum hdr { H_NONE, H_BADCRC, H_SHORT, H_OK };

/*
 * Is there a node header at off?  The CRC covers magic, type and length
 * with the "accurate" bit set, as the kernel clears that bit in place to
 * mark a node obsolete.
 */
static enum hdr
node_hdr(const uint8_t *d, size_t len, uint64_t off, bool be, uint16_t *type,
         uint32_t *totlen)
{
	uint8_t h[8];
	uint16_t t;

	if (off > len || len - off < 2)
		return H_NONE;
	if ((be ? Sl_get_be16(d + off) : Sl_get_le16(d + off)) != JFFS2_MAGIC)
		return H_NONE;
	if (len - off < HDR_LEN)
		return H_SHORT;
	t = be ? Sl_get_be16(d + off + 2) : Sl_get_le16(d + off + 2);
	memcpy(h, d + off, 8);
	if (be)
		h[2] |= NODE_ACCURATE >> 8;
	else
		h[3] |= NODE_ACCURATE >> 8;
	*type = t;
	*totlen = be ? Sl_get_be32(d + off + 4) : Sl_get_le32(d + off + 4);
	if (!crc_ok(h, 8,
	            be ? Sl_get_be32(d + off + 8) : Sl_get_le32(d + off + 8)))
		return known_type(t) ? H_BADCRC : H_NONE;
	return H_OK;
}

static int
jffs2_bid(const uint8_t *p, size_t n)
{
	uint16_t type;
	uint32_t totlen;
	bool be;

	if (n < HDR_LEN)
		return 0;
	if (p[0] == 0x85 && p[1] == 0x19)
		be = false;
	else if (p[0] == 0x19 && p[1] == 0x85)
		be = true;
	else
		return 0;
	if (node_hdr(p, n, 0, be, &type, &totlen) != H_OK ||
	    !known_type(type) || totlen < HDR_LEN)
		return 0;
	return 80;
}

/* ---- damage notes ------------------------------------------------ */

static void note(struct jscan *js, const char *fmt, ...) SL_PRINTF(2, 3);

/* Record one damaged part, at most JFFS2_MAX_NOTES per image. */
static void
note(struct jscan *js, const char *fmt, ...)
{
	char msg[768];
	va_list ap;

	if (js->nnotes >= JFFS2_MAX_NOTES) {
		js->nmore++;
		return;
	}
	js->nnotes++;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	Sl_incomplete(js->l->scan, "%s: %s", js->l->prefix, msg);
}

/* ---- decompression (per-call state, thread-safe) ------------------ */

struct jdec {
	z_stream z;
	bool zinit;
	uint8_t *buf;
	size_t cap;
};

static pthread_once_t lzo_once = PTHREAD_ONCE_INIT;

static void
lzo_setup(void)
{
	(void)lzo_init();
}

/* rtime: a literal byte, then a run copied from its previous position. */
static bool
rtime_decode(const uint8_t *in, size_t csize, uint8_t *out, size_t dsize)
{
	uint16_t pos[256];
	size_t ip = 0, op = 0, back;
	unsigned rep;
	uint8_t v;

	memset(pos, 0, sizeof(pos));
	while (op < dsize) {
		if (csize - ip < 2)
			return false;
		v = in[ip++];
		rep = in[ip++];
		out[op++] = v;
		/* The kernel keeps positions in 16 bits; so does the writer. */
		back = pos[v];
		pos[v] = (uint16_t)op;
		if (rep > dsize - op || (rep > 0 && back >= op))
			return false;
		while (rep-- > 0)
			out[op++] = out[back++];
	}
	return true;
}

static bool
zlib_decode(struct jdec *dc, const uint8_t *in, size_t csize, uint8_t *out,
            size_t dsize)
{
	int zr;

	/* Like the kernel: skip a zlib header if there is one, then raw. */
	if (csize >= 2 && (in[0] & 0x0f) == Z_DEFLATED && (in[0] >> 4) <= 7 &&
	    ((unsigned)in[0] << 8 | in[1]) % 31 == 0) {
		in += 2;
		csize -= 2;
	}
	if (!dc->zinit) {
		if (inflateInit2(&dc->z, -MAX_WBITS) != Z_OK)
			return false;
		dc->zinit = true;
	} else if (inflateReset(&dc->z) != Z_OK) {
		return false;
	}
	dc->z.next_in = (Bytef *)(uintptr_t)in;
	dc->z.avail_in = (uInt)csize;
	dc->z.next_out = out;
	dc->z.avail_out = (uInt)dsize;
	zr = inflate(&dc->z, Z_FINISH);
	if (zr != Z_STREAM_END && zr != Z_OK && zr != Z_BUF_ERROR)
		return false;
	return dc->z.total_out == dsize;
}

static bool
lzo_decode(const uint8_t *in, size_t csize, uint8_t *out, size_t dsize)
{
	lzo_uint n = dsize;

	pthread_once(&lzo_once, lzo_setup);
	if (lzo1x_decompress_safe(in, csize, out, &n, NULL) != LZO_E_OK)
		return false;
	return n == dsize;
}

/* OpenWrt's JFFS2 LZMA: raw LZMA1, lc=0 lp=0 pb=0, no end marker. */
static bool
lzma_decode(const uint8_t *in, size_t csize, uint8_t *out, size_t dsize)
{
	lzma_stream s = LZMA_STREAM_INIT;
	lzma_options_lzma opt;
	lzma_filter f[2];
	lzma_ret r;
	bool ok;

	memset(&opt, 0, sizeof(opt));
	opt.dict_size =
	    dsize < LZMA_DICT_SIZE_MIN ? LZMA_DICT_SIZE_MIN : (uint32_t)dsize;
	opt.lc = 0;
	opt.lp = 0;
	opt.pb = 0;
	f[0].id = LZMA_FILTER_LZMA1;
	f[0].options = &opt;
	f[1].id = LZMA_VLI_UNKNOWN;
	f[1].options = NULL;
	if (lzma_raw_decoder(&s, f) != LZMA_OK)
		return false;
	s.next_in = in;
	s.avail_in = csize;
	s.next_out = out;
	s.avail_out = dsize;
	r = lzma_code(&s, LZMA_FINISH);
	ok = (r == LZMA_OK || r == LZMA_STREAM_END) && s.total_out == dsize;
	lzma_end(&s);
	return ok;
}

/*
 * Decompress one node's csize bytes at in into dsize bytes.  Returns the
 * output (dc's buffer), or NULL when the data is damaged, the method is
 * unknown or dsize is over JFFS2_MAX_DATA.
 */
static const uint8_t *
decode(struct jdec *dc, uint8_t compr, const uint8_t *in, size_t csize,
       size_t dsize)
{
	bool ok;

	if (compr == COMPR_NONE)
		return csize == dsize ? in : NULL;
	if (dsize > JFFS2_MAX_DATA)
		return NULL;
	if (dc->cap < dsize) {
		uint8_t *p = realloc(dc->buf, dsize);

		if (p == NULL)
			return NULL;
		dc->buf = p;
		dc->cap = dsize;
	}
	switch (compr) {
	case COMPR_ZERO:
		memset(dc->buf, 0, dsize);
		ok = true;
		break;
	case COMPR_RTIME: ok = rtime_decode(in, csize, dc->buf, dsize); break;
	case COMPR_ZLIB: ok = zlib_decode(dc, in, csize, dc->buf, dsize); break;
	case COMPR_LZO: ok = lzo_decode(in, csize, dc->buf, dsize); break;
	case COMPR_LZMA: ok = lzma_decode(in, csize, dc->buf, dsize); break;
	default: ok = false;
	}
	return ok ? dc->buf : NULL;
}

static void
dec_free(struct jdec *dc)
{
	if (dc->zinit)
		inflateEnd(&dc->z);
	free(dc->buf);
}

static bool
compr_known(uint8_t c)
{
	return c == COMPR_NONE || c == COMPR_ZERO || c == COMPR_RTIME ||
	       c == COMPR_ZLIB || c == COMPR_LZO || c == COMPR_LZMA;
}

/* ---- scanning the nodes ------------------------------------------ */

/*
 * The erase block size: the largest power of two dividing the offsets of
 * all cleanmarkers at 4 KiB-aligned offsets, or 0 when there is none past
 * the first block.
 */
static uint32_t
erase_size(const struct jscan *js)
{
	uint64_t off, g = 0;
	uint16_t type;
	uint32_t totlen;

	for (off = 4096; off < js->len && js->len - off >= HDR_LEN; off += 4096)
		if (node_hdr(js->d, js->len, off, js->be, &type, &totlen) ==
		        H_OK &&
		    type == NT_CLEANMARKER)
			g |= off;
	if (g == 0)
		return 0;
	g &= ~g + 1;
	return g > JFFS2_MAX_BLOCK ? 0 : (uint32_t)g;
}

/* Does another reader's magic start at off (and that reader bid)? */
static bool
foreign_magic(const struct jscan *js, uint64_t off)
{
	return Sl_magic_other(js->d, js->len, (size_t)off, &Sl_reader_jffs2);
}

/*
 * Does the block at b (b + unit, or the end of the image) still belong
 * to the filesystem?  It does when it starts with a valid node, or when
 * it holds one anywhere, or when it is erased (all 0xff); it does not
 * when it starts with another format's magic.
 */
static bool
block_ok(const struct jscan *js, uint64_t b, uint32_t unit)
{
	uint64_t end = b + unit > js->len ? js->len : b + unit, p;
	uint16_t type;
	uint32_t totlen;
	bool ff = true;

	if (node_hdr(js->d, js->len, b, js->be, &type, &totlen) == H_OK)
		return true;
	if (foreign_magic(js, b))
		return false;
	for (p = b; p < end; p++) {
		if (js->d[p] != 0xff)
			ff = false;
		if ((p & 3) == 0 && js->d[p] == (js->be ? 0x19 : 0x85) &&
		    node_hdr(js->d, js->len, p, js->be, &type, &totlen) == H_OK)
			return true;
	}
	return ff;
}

static bool
all_ff(const uint8_t *p, uint64_t a, uint64_t b)
{
	for (; a < b; a++)
		if (p[a] != 0xff)
			return false;
	return true;
}

static bool
push_node(struct jscan *js, const struct jnode *n)
{
	void *p = js->nodes;

	if (!Sl_vec_grow(&p, &js->capnodes, js->nnodes, sizeof(*n), 256))
		return false;
	js->nodes = p;
	js->nodes[js->nnodes++] = *n;
	return true;
}

static bool
push_dent(struct jscan *js, const struct jdent *d)
{
	void *p = js->dents;

	if (!Sl_vec_grow(&p, &js->capdents, js->ndents, sizeof(*d), 256))
		return false;
	js->dents = p;
	js->dents[js->ndents++] = *d;
	return true;
}

/* A directory entry node at off, totlen bytes, header already checked. */
static sl_rc
scan_dirent(struct jscan *js, uint64_t off, uint32_t totlen)
{
	struct jdent d;

	if (totlen < DIRENT_LEN) {
		note(js, "dirent node at offset 0x%llx: too short (%u bytes)",
		     (unsigned long long)off, totlen);
		return SL_OK;
	}
	if (!crc_ok(js->d + off, 32, g32(js, off + 32))) {
		note(js, "dirent node at offset 0x%llx: node CRC mismatch",
		     (unsigned long long)off);
		return SL_OK;
	}
	d.pino = g32(js, off + 12);
	d.version = g32(js, off + 16);
	d.ino = g32(js, off + 20);
	d.nsize = js->d[off + 28];
	d.name = js->d + off + DIRENT_LEN;
	/* UNTRUSTED: nsize must fit in the node. */
	if (d.nsize == 0 || d.nsize > totlen - DIRENT_LEN) {
		note(js, "dirent node at offset 0x%llx: bad name length %u",
		     (unsigned long long)off, d.nsize);
		return SL_OK;
	}
	if (!crc_ok(d.name, d.nsize, g32(js, off + 36))) {
		note(js, "dirent node at offset 0x%llx: name CRC mismatch",
		     (unsigned long long)off);
		return SL_OK;
	}
	return push_dent(js, &d) ? SL_OK : SL_E_NOMEM;
}

/* An inode node at off, totlen bytes, header already checked. */
static sl_rc
scan_inode(struct jscan *js, uint64_t off, uint32_t totlen)
{
	struct jnode n;
	uint32_t csize, dsize, isize, offset;
	uint8_t compr;

	if (totlen < INODE_LEN) {
		note(js, "inode node at offset 0x%llx: too short (%u bytes)",
		     (unsigned long long)off, totlen);
		return SL_OK;
	}
	if (!crc_ok(js->d + off, 60, g32(js, off + 64))) {
		note(js, "inode node at offset 0x%llx: node CRC mismatch",
		     (unsigned long long)off);
		return SL_OK;
	}
	n.off = off;
	n.ino = g32(js, off + 12);
	n.version = g32(js, off + 16);
	isize = g32(js, off + 28);
	offset = g32(js, off + 44);
	csize = g32(js, off + 48);
	dsize = g32(js, off + 52);
	compr = js->d[off + 56];
	/* UNTRUSTED: csize must fit in the node; the rest as the kernel. */
	if (n.ino == 0 || csize > totlen - INODE_LEN ||
	    PAD4((uint64_t)csize + INODE_LEN) != PAD4(totlen) ||
	    offset > isize) {
		note(js,
		     "inode node at offset 0x%llx (inode %u): inconsistent "
		     "sizes (csize %u, totlen %u, offset %u, isize %u)",
		     (unsigned long long)off, n.ino, csize, totlen, offset,
		     isize);
		return SL_OK;
	}
	if (dsize > 0 && !compr_known(compr)) {
		note(js,
		     "inode node at offset 0x%llx (inode %u): compression "
		     "type 0x%02x is not supported; node ignored",
		     (unsigned long long)off, n.ino, compr);
		return SL_OK;
	}
	if (dsize > 0 && ((compr == COMPR_NONE && csize != dsize) ||
	                  (compr != COMPR_NONE && compr != COMPR_ZERO &&
	                   dsize > JFFS2_MAX_DATA))) {
		note(js,
		     "inode node at offset 0x%llx (inode %u): bad data size "
		     "%u (csize %u); node ignored",
		     (unsigned long long)off, n.ino, dsize, csize);
		return SL_OK;
	}
	if (compr != COMPR_ZERO &&
	    !crc_ok(js->d + off + INODE_LEN, csize, g32(js, off + 60))) {
		if (js->nbad < JFFS2_MAX_BADDATA) {
			js->bad[js->nbad].ino = n.ino;
			js->bad[js->nbad].off = off;
			js->nbad++;
		} else {
			note(js,
			     "inode node at offset 0x%llx (inode %u): data "
			     "CRC mismatch; node ignored",
			     (unsigned long long)off, n.ino);
		}
		return SL_OK;
	}
	return push_node(js, &n) ? SL_OK : SL_E_NOMEM;
}

/*
 * Walk the nodes from the start of the image.  Sets *size to the bytes
 * the filesystem occupies (see the rule at the top of this file).
 */
static sl_rc
scan_nodes(struct jscan *js, uint64_t *size)
{
	uint32_t unit = js->ebs ? js->ebs : JFFS2_GUESS_BLOCK, totlen;
	uint64_t pos = 0, next_check = 0, stop = js->len, last_end = 0, b;
	uint16_t type;
	sl_rc rc = SL_OK;

	while (pos < js->len && js->len - pos >= 4) {
		if (pos >= next_check) {
			b = pos - pos % unit;
			if (b >= next_check) {
				if (b > 0 && !block_ok(js, b, unit)) {
					stop = b;
					break;
				}
				next_check = b + unit;
			}
		}
		if (Sl_get_le32(js->d + pos) == 0xffffffffU) {
			pos += 4;
			continue;
		}
		switch (node_hdr(js->d, js->len, pos, js->be, &type, &totlen)) {
		case H_NONE: pos += 4; continue;
		case H_SHORT:
			note(js,
			     "node header at offset 0x%llx is cut off by the "
			     "end of the image",
			     (unsigned long long)pos);
			pos = js->len;
			continue;
		case H_BADCRC:
			note(js, "node header CRC mismatch at offset 0x%llx",
			     (unsigned long long)pos);
			pos += 4;
			continue;
		case H_OK: break;
		}
		/* UNTRUSTED: totlen must fit the image and the block. */
		if (totlen < HDR_LEN) {
			note(js, "node at offset 0x%llx: bad length %u",
			     (unsigned long long)pos, totlen);
			pos += 4;
			continue;
		}
		if (totlen > js->len - pos) {
			note(js,
			     "node at offset 0x%llx (%u bytes) runs past the "
			     "end of the image: truncated",
			     (unsigned long long)pos, totlen);
			pos += 4;
			continue;
		}
		if (js->ebs && pos / js->ebs != (pos + totlen - 1) / js->ebs) {
			note(js,
			     "node at offset 0x%llx (%u bytes) crosses an "
			     "erase block boundary",
			     (unsigned long long)pos, totlen);
			pos += 4;
			continue;
		}
		if (!(type & NODE_ACCURATE)) {
			/* Obsolete: skipped, as the kernel does. */
		} else if (type == NT_DIRENT || type == NT_INODE) {
			if (js->nnodes + js->ndents >= JFFS2_MAX_NODES) {
				if (!js->full)
					note(js,
					     "more than %u nodes; those from "
					     "offset 0x%llx on are not "
					     "indexed",
					     JFFS2_MAX_NODES,
					     (unsigned long long)pos);
				js->full = true;
			} else if (type == NT_DIRENT) {
				rc = scan_dirent(js, pos, totlen);
			} else {
				rc = scan_inode(js, pos, totlen);
			}
			if (rc != SL_OK)
				return rc;
		} else if ((type & COMPAT_MASK) == FEATURE_INCOMPAT &&
		           type != NT_XATTR && type != NT_XREF) {
			note(js,
			     "node at offset 0x%llx: unknown incompatible "
			     "node type 0x%04x",
			     (unsigned long long)pos, type);
		}
		last_end = pos + totlen;
		pos += PAD4(totlen);
		if (pos > next_check)
			next_check = (pos + unit - 1) / unit * unit;
	}
	if (last_end > stop)
		last_end = stop;
	*size = last_end;
	if (PAD4(last_end) <= stop && all_ff(js->d, last_end, PAD4(last_end)))
		*size = PAD4(last_end);
	if (js->ebs) {
		b = (last_end + js->ebs - 1) / js->ebs * js->ebs;
		if (b > stop)
			b = stop;
		if (all_ff(js->d, last_end, b))
			*size = b;
	} else if (all_ff(js->d, last_end, stop)) {
		*size = stop;
	}
	return SL_OK;
}

/* ---- building the tree ------------------------------------------- */

static int
cmp_node(const void *x, const void *y)
{
	const struct jnode *a = x, *b = y;

	if (a->ino != b->ino)
		return a->ino < b->ino ? -1 : 1;
	if (a->version != b->version)
		return a->version < b->version ? -1 : 1;
	return a->off < b->off ? -1 : a->off > b->off;
}

/* By parent and name; the newest version (then the later node) first. */
static int
cmp_dent(const void *x, const void *y)
{
	const struct jdent *a = x, *b = y;
	int c;

	if (a->pino != b->pino)
		return a->pino < b->pino ? -1 : 1;
	c = memcmp(a->name, b->name, a->nsize < b->nsize ? a->nsize : b->nsize);
	if (c != 0)
		return c;
	if (a->nsize != b->nsize)
		return a->nsize < b->nsize ? -1 : 1;
	if (a->version != b->version)
		return a->version > b->version ? -1 : 1;
	return a->name > b->name ? -1 : a->name < b->name;
}

static bool
same_name(const struct jdent *a, const struct jdent *b)
{
	return a->pino == b->pino && a->nsize == b->nsize &&
	       memcmp(a->name, b->name, a->nsize) == 0;
}

/* The inode ino, or NULL. */
static struct jfile *
find_file(const struct jscan *js, uint32_t ino)
{
	size_t lo = 0, hi = js->nfiles;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (js->files[mid].ino == ino)
			return &js->files[mid];
		if (js->files[mid].ino < ino)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/* The live entry that first names ino (index into live), or SIZE_MAX. */
static size_t
first_name(const struct jscan *js, uint32_t ino)
{
	size_t lo = 0, hi = js->nlive;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (js->live[js->byino[mid]].ino < ino)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < js->nlive && js->live[js->byino[lo]].ino == ino)
		return js->byino[lo];
	return SIZE_MAX;
}

/* The newest node of an inode: its metadata. */
static uint64_t
latest(const struct jscan *js, const struct jfile *f)
{
	return js->nodes[f->first + f->n - 1].off;
}

static uint32_t
file_mode(const struct jscan *js, const struct jfile *f)
{
	return g32(js, latest(js, f) + 20);
}

static int
cmp_byino(const void *x, const void *y, void *arg)
{
	const struct jdent *live = arg;
	uint32_t a = *(const uint32_t *)x, b = *(const uint32_t *)y;

	if (live[a].ino != live[b].ino)
		return live[a].ino < live[b].ino ? -1 : 1;
	return a < b ? -1 : a > b;
}

static int
cmp_range(const void *x, const void *y)
{
	const struct jrange *a = x, *b = y;

	return a->a < b->a ? -1 : a->a > b->a;
}

/*
 * The first bytes [start, *gap_end) of [0, isize) that no data node of f
 * covers; start is isize when there is no such gap.  Files written by
 * mkfs.jffs2 or the kernel are covered all the way (holes are ZERO
 * nodes), so a gap means lost nodes.
 */
static uint64_t
first_gap(struct jscan *js, const struct jfile *f, uint64_t isize,
          uint64_t *gap_end)
{
	uint64_t end = 0, off;
	uint32_t dsize;
	size_t k, n = 0;

	*gap_end = isize;
	if (js->caprng < f->n) {
		struct jrange *p = realloc(js->rng, f->n * sizeof(*p));

		if (p == NULL)
			return isize; /* not knowing is not damage */
		js->rng = p;
		js->caprng = f->n;
	}
	for (k = f->first; k < f->first + f->n; k++) {
		off = js->nodes[k].off;
		dsize = g32(js, off + 52);
		if (dsize == 0)
			continue;
		js->rng[n].a = g32(js, off + 44);
		js->rng[n].b = js->rng[n].a + dsize;
		n++;
	}
	if (n > 1)
		qsort(js->rng, n, sizeof(*js->rng), cmp_range);
	for (k = 0; k < n && js->rng[k].a <= end; k++)
		if (js->rng[k].b > end)
			end = js->rng[k].b;
	*gap_end = k < n && js->rng[k].a < isize ? js->rng[k].a : isize;
	return end < isize ? end : isize;
}

enum { ST_NEW, ST_BUSY, ST_DONE, ST_FAILED };

/* Read a symlink's target (the data of its newest node) into buf. */
static bool
link_target(struct jscan *js, const struct jfile *f, char *buf)
{
	uint64_t off = latest(js, f);
	uint32_t csize = g32(js, off + 48), dsize = g32(js, off + 52);
	struct jdec dc;
	const uint8_t *p;
	bool ok = false;

	/* UNTRUSTED: the target length is bounded before it is copied. */
	if (dsize == 0 || dsize > JFFS2_MAX_LINK)
		return false;
	memset(&dc, 0, sizeof(dc));
	p = decode(&dc, js->d[off + 56], js->d + off + INODE_LEN, csize, dsize);
	if (p != NULL) {
		memcpy(buf, p, dsize);
		buf[dsize] = 0;
		ok = strlen(buf) == dsize;
	}
	dec_free(&dc);
	return ok;
}

/* Add live entry i, whose parent (if any) is already in the tree. */
static void
add_dent(struct jscan *js, size_t i)
{
	const struct jdent *d = &js->live[i];
	struct sl_entry e;
	struct jfile *f;
	struct Sl_node *node;
	char path[8192], target[JFFS2_MAX_LINK + 1];
	const char *parent = "";
	uint64_t off, gap, gap_end;
	uint32_t mode;
	int n;

	js->state[i] = ST_FAILED;
	f = find_file(js, d->ino);
	if (f == NULL) {
		note(js,
		     "entry \"%.*s\" in directory inode %u names inode %u, "
		     "which has no valid inode node; not listed",
		     (int)d->nsize, (const char *)d->name, d->pino, d->ino);
		return;
	}
	if (memchr(d->name, '/', d->nsize) != NULL ||
	    memchr(d->name, 0, d->nsize) != NULL) {
		note(js,
		     "entry \"%.*s\" in directory inode %u: '/' or NUL in "
		     "the name; not listed",
		     (int)d->nsize, (const char *)d->name, d->pino);
		return;
	}
	if (d->pino != 1)
		parent = js->dpath[first_name(js, d->pino)];
	n = snprintf(path, sizeof(path), "%s%s%.*s", parent, *parent ? "/" : "",
	             (int)d->nsize, (const char *)d->name);
	if (n < 0 || (size_t)n >= sizeof(path)) {
		note(js,
		     "entry \"%.*s\" in directory inode %u: path too "
		     "long; not listed",
		     (int)d->nsize, (const char *)d->name, d->pino);
		return;
	}
	off = latest(js, f);
	mode = g32(js, off + 20);
	memset(&e, 0, sizeof(e));
	e.mode = mode & 07777;
	e.uid = g16(js, off + 24);
	e.gid = g16(js, off + 26);
	e.mtime = (int64_t)g32(js, off + 36);
	switch (mode & J_IFMT) {
	case J_IFDIR:
		if (first_name(js, d->ino) != i) {
			note(js,
			     "\"%s\": directory inode %u has another "
			     "name; not listed twice",
			     path, d->ino);
			return;
		}
		e.type = SL_FT_DIR;
		break;
	case J_IFREG:
		e.type = SL_FT_REG;
		e.size = g32(js, off + 28);
		if (f->path == NULL &&
		    (gap = first_gap(js, f, e.size, &gap_end)) < e.size)
			note(js,
			     "%s: bytes %llu to %llu of %llu are in no valid "
			     "data node (nodes lost); they read as zeros",
			     path, (unsigned long long)gap,
			     (unsigned long long)gap_end,
			     (unsigned long long)e.size);
		break;
	case J_IFLNK:
		if (!link_target(js, f, target)) {
			note(js,
			     "\"%s\": symlink target at offset 0x%llx is "
			     "unreadable; not listed",
			     path, (unsigned long long)off);
			return;
		}
		e.type = SL_FT_LNK;
		e.link = target;
		e.size = strlen(target);
		break;
	case J_IFCHR: e.type = SL_FT_CHR; break;
	case J_IFBLK: e.type = SL_FT_BLK; break;
	case J_IFIFO: e.type = SL_FT_FIFO; break;
	case J_IFSOCK: e.type = SL_FT_SOCK; break;
	default:
		note(js, "\"%s\": inode %u has unknown file type 0%o", path,
		     d->ino, mode & J_IFMT);
		return;
	}
	if (e.type != SL_FT_DIR && f->path != NULL) {
		e.type = SL_FT_HARDLINK;
		e.link = f->path;
	}
	node = Sl_add(js->l, path, &e);
	if (node == NULL)
		return;
	node->ref = f->first;
	node->ref2 = f->n;
	if (f->path == NULL)
		f->path = node->inner;
	js->dpath[i] = node->inner;
	js->state[i] = ST_DONE;
}

/*
 * Put live entry i into the tree, after the chain of directories above
 * it.  The chain is walked up to the root (inode 1) with a depth bound;
 * an entry whose chain loops, goes too deep or reaches an inode without
 * a name is recorded as incomplete.
 */
static void
resolve(struct jscan *js, size_t i)
{
	size_t depth = 0, p, k;
	const struct jdent *d;
	const struct jfile *f;
	const char *why = NULL;

	if (js->state[i] != ST_NEW)
		return;
	js->state[i] = ST_BUSY;
	js->stack[depth++] = i;
	for (;;) {
		d = &js->live[js->stack[depth - 1]];
		if (d->pino == 1)
			break;
		p = first_name(js, d->pino);
		if (p == SIZE_MAX) {
			why = "is in a directory inode that has no name "
			      "(orphan)";
			break;
		}
		f = find_file(js, d->pino);
		if (f == NULL || (file_mode(js, f) & J_IFMT) != J_IFDIR) {
			why = "is in an inode that is not a directory";
			break;
		}
		if (js->state[p] == ST_DONE || js->state[p] == ST_FAILED)
			break; /* a failed parent was recorded already */
		if (js->state[p] == ST_BUSY) {
			why = "is in a directory cycle";
			break;
		}
		if (depth >= JFFS2_MAX_DEPTH) {
			why = "is nested too deep";
			break;
		}
		js->state[p] = ST_BUSY;
		js->stack[depth++] = p;
	}
	if (why != NULL) {
		d = &js->live[js->stack[depth - 1]];
		note(js,
		     "entry \"%.*s\" (inode %u, directory inode %u) %s; %s "
		     "not listed",
		     (int)d->nsize, (const char *)d->name, d->ino, d->pino, why,
		     depth > 1 ? "it and the entries below it are" : "it is");
		for (k = 0; k < depth; k++)
			js->state[js->stack[k]] = ST_FAILED;
		return;
	}
	/* Top down; below a parent that could not be added, nothing is. */
	for (k = depth; k > 0; k--) {
		d = &js->live[js->stack[k - 1]];
		if (d->pino != 1 &&
		    js->state[first_name(js, d->pino)] != ST_DONE)
			js->state[js->stack[k - 1]] = ST_FAILED;
		else
			add_dent(js, js->stack[k - 1]);
	}
}

static sl_rc
build_tree(struct jscan *js)
{
	size_t i, j;
	struct jfile *f;

	/* Inodes: their nodes oldest first. */
	if (js->nnodes > 1)
		qsort(js->nodes, js->nnodes, sizeof(*js->nodes), cmp_node);
	js->files = calloc(js->nnodes ? js->nnodes : 1, sizeof(*js->files));
	if (js->files == NULL)
		return SL_E_NOMEM;
	for (i = 0; i < js->nnodes; i = j) {
		for (j = i;
		     j < js->nnodes && js->nodes[j].ino == js->nodes[i].ino;
		     j++)
			;
		f = &js->files[js->nfiles++];
		f->ino = js->nodes[i].ino;
		f->first = i;
		f->n = j - i;
	}
	/* Entries: the newest per (parent, name); ino 0 is an unlink. */
	if (js->ndents > 1)
		qsort(js->dents, js->ndents, sizeof(*js->dents), cmp_dent);
	js->live = calloc(js->ndents ? js->ndents : 1, sizeof(*js->live));
	if (js->live == NULL)
		return SL_E_NOMEM;
	for (i = 0; i < js->ndents; i = j) {
		for (j = i + 1;
		     j < js->ndents && same_name(&js->dents[i], &js->dents[j]);
		     j++)
			;
		if (js->dents[i].ino == 0)
			continue;
		if (js->dents[i].ino == 1) {
			note(js, "entry \"%.*s\" names the root directory",
			     (int)js->dents[i].nsize,
			     (const char *)js->dents[i].name);
			continue;
		}
		js->live[js->nlive++] = js->dents[i];
	}
	js->byino = calloc(js->nlive ? js->nlive : 1, sizeof(*js->byino));
	js->state = calloc(js->nlive ? js->nlive : 1, 1);
	js->dpath = calloc(js->nlive ? js->nlive : 1, sizeof(*js->dpath));
	js->stack = calloc(JFFS2_MAX_DEPTH, sizeof(*js->stack));
	if (js->byino == NULL || js->state == NULL || js->dpath == NULL ||
	    js->stack == NULL)
		return SL_E_NOMEM;
	for (i = 0; i < js->nlive; i++)
		js->byino[i] = (uint32_t)i;
	if (js->nlive > 1)
		qsort_r(js->byino, js->nlive, sizeof(*js->byino), cmp_byino,
		        js->live);
	for (i = 0; i < js->nlive; i++)
		resolve(js, i);
	/* Name the files whose data nodes failed their CRC. */
	for (i = 0; i < js->nbad; i++) {
		f = find_file(js, js->bad[i].ino);
		if (f != NULL && f->path != NULL)
			note(js,
			     "%s: data node at offset 0x%llx fails its data "
			     "CRC; that part of the file is missing",
			     f->path, (unsigned long long)js->bad[i].off);
		else
			note(js,
			     "inode node at offset 0x%llx (inode %u): data "
			     "CRC mismatch; node ignored",
			     (unsigned long long)js->bad[i].off,
			     js->bad[i].ino);
	}
	return SL_OK;
}

static void
jscan_free(struct jscan *js)
{
	free(js->nodes);
	free(js->dents);
	free(js->files);
	free(js->live);
	free(js->byino);
	free(js->state);
	free(js->dpath);
	free(js->stack);
	free(js->rng);
}

static sl_rc
jffs2_open(struct Sl_layer *l)
{
	struct jscan js;
	struct jffs2 *st;
	uint64_t size = 0;
	uint16_t type;
	uint32_t totlen;
	sl_rc rc;

	memset(&js, 0, sizeof(js));
	js.l = l;
	js.d = l->data;
	js.len = l->len;
	if (js.len < HDR_LEN)
		return SL_E_MALFORMED;
	js.be = js.d[0] == 0x19;
	/* The first node must be whole, or this is not JFFS2. */
	if (node_hdr(js.d, js.len, 0, js.be, &type, &totlen) != H_OK ||
	    !known_type(type) || totlen < HDR_LEN || totlen > js.len)
		return SL_E_MALFORMED;
	js.ebs = erase_size(&js);
	rc = scan_nodes(&js, &size);
	if (rc == SL_OK)
		rc = build_tree(&js);
	if (rc == SL_OK && js.nmore > 0)
		Sl_incomplete(l->scan,
		              "%s: %u more damaged or unreadable nodes not "
		              "listed",
		              l->prefix, js.nmore);
	if (rc != SL_OK || (st = calloc(1, sizeof(*st))) == NULL) {
		jscan_free(&js);
		return rc != SL_OK ? rc : SL_E_NOMEM;
	}
	st->be = js.be;
	st->nodes = js.nodes;
	st->nnodes = js.nnodes;
	js.nodes = NULL;
	jscan_free(&js);
	l->priv = st;
	l->size = size;
	return SL_OK;
}

/*
 * The content of one regular file: its data nodes applied oldest version
 * first over [offset, offset + dsize), cut at the newest isize; holes
 * read as zeros.  Per-call state only.
 */
static sl_rc
jffs2_read(struct Sl_layer *l, const struct Sl_node *node, const uint8_t **data,
           size_t *len, struct Sl_buf *tmp)
{
	static const uint8_t empty[1];
	const struct jffs2 *st = l->priv;
	struct jscan js;
	struct jdec dc;
	uint64_t isize = node->e.size, work = 0, charged = isize, off;
	uint32_t offset, csize, dsize;
	const uint8_t *p;
	uint8_t compr;
	size_t k, want;
	sl_rc rc = SL_OK;

	*data = empty;
	*len = 0;
	if (isize == 0)
		return SL_OK;
	/* UNTRUSTED: ref/ref2 were set by open; checked anyway. */
	if (node->ref > st->nnodes || node->ref2 > st->nnodes - node->ref)
		return SL_E_MALFORMED;
	Sl_buf_reset(tmp);
	rc = Sl_buf_reserve(tmp, (size_t)isize);
	if (rc != SL_OK)
		return rc;
	memset(tmp->p, 0, (size_t)isize);
	memset(&js, 0, sizeof(js));
	js.d = l->data;
	js.len = l->len;
	js.be = st->be;
	memset(&dc, 0, sizeof(dc));
	for (k = node->ref; k < node->ref + node->ref2; k++) {
		off = st->nodes[k].off;
		if (off > js.len || js.len - off < INODE_LEN)
			continue;
		offset = g32(&js, off + 44);
		csize = g32(&js, off + 48);
		dsize = g32(&js, off + 52);
		if (dsize == 0 || offset >= isize)
			continue;
		if (csize > js.len - off - INODE_LEN) {
			rc = SL_E_MALFORMED;
			break;
		}
		want =
		    (size_t)(isize - offset < dsize ? isize - offset : dsize);
		/*
		 * Versions may overlap: every byte written or decompressed
		 * past the file size is charged to the scan's budget.
		 */
		compr = js.d[off + 56];
		work +=
		    compr == COMPR_ZERO || compr == COMPR_NONE ? want : dsize;
		if (work > charged) {
			rc = Sl_budget(l->scan, work - charged, node->e.path);
			if (rc != SL_OK)
				break;
			charged = work;
		}
		if (compr == COMPR_ZERO) {
			memset(tmp->p + offset, 0, want);
			continue;
		}
		p = decode(&dc, compr, js.d + off + INODE_LEN, csize, dsize);
		if (p == NULL) {
			rc = Sl_fail(l->scan, SL_E_MALFORMED,
			             "%s: data node at offset 0x%llx does "
			             "not decompress (method 0x%02x)",
			             node->e.path, (unsigned long long)off,
			             compr);
			break;
		}
		memcpy(tmp->p + offset, p, want);
	}
	dec_free(&dc);
	if (rc != SL_OK)
		return rc;
	tmp->n = (size_t)isize;
	*data = tmp->p;
	*len = (size_t)isize;
	return SL_OK;
}

static void
jffs2_close(struct Sl_layer *l)
{
	struct jffs2 *st = l->priv;

	if (st != NULL) {
		free(st->nodes);
		free(st);
	}
	l->priv = NULL;
}

const struct Sl_reader Sl_reader_jffs2 = {
    .name = "jffs2",
    .description = "JFFS2 flash filesystem (little- or big-endian)",
    .nest = SL_NEST_WHOLE,
    .magics = jffs2_magics,
    .bid = jffs2_bid,
    .open = jffs2_open,
    .read = jffs2_read,
    .close = jffs2_close,
};
