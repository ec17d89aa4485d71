/*
 * squashfs_old.c - SquashFS 2.x and 3.x (little- and big-endian, zlib and
 * the vendor LZMA variants) and big-endian SquashFS 4.0, read in place by
 * hand.  Router firmware of 2005-2015 ships the first (Broadcom, Realtek,
 * Atheros SDKs with "sqlzma"-style LZMA patches), AVM's MIPS boxes the
 * second.  Little-endian 4.0 is squashfs.c's, through libsquashfs.
 *
 * Why by hand: libsquashfs (squashfs-tools-ng) reads only little-endian
 * 4.0; squashfs-tools' unsquashfs reads 1.x-3.x but only with zlib, is a
 * program rather than a library, and nothing in Debian reads big-endian
 * 4.0 or the LZMA variants at all.  The layouts differ from 4.0 in field
 * widths, not in structure, so one walker serves all three versions.
 *
 * Layout, as far as this file needs it (offsets in bits for the packed
 * bit fields of 2.x/3.x; a big-endian image stores each bit field from the
 * most significant bit down, a little-endian one from the least up, which
 * is what bits() reads):
 *
 *	superblock: magic "hsqs" (LE) or "sqsh" (BE), version at byte 28,
 *	    table offsets (32-bit in 2.x, 64-bit in 3.x and 4.0), block
 *	    size, flags, uid/gid counts, root inode reference
 *	metadata block: a 16-bit length (bit 15: stored uncompressed), in
 *	    2.x/3.x with a marker byte after it when the CHECK flag is set,
 *	    then at most 8 KiB of data; the inode and directory tables are
 *	    runs of them, and an inode reference is (offset of its block
 *	    from the table's start) << 16 | offset inside the block
 *	inode: type, mode, uid/gid indexes, then per type: directories
 *	    point into the directory table, files give their first data
 *	    block, fragment, offset in the fragment, size and a list of
 *	    compressed block sizes (bit 24: stored), links their target
 *	directory listing: headers (count - 1, inode block), each followed
 *	    by entries (inode offset, type, name length - 1, name)
 *	fragment table: an index of pointers to metadata blocks holding
 *	    (start, size) pairs; a file's tail lives in one such block
 *
 * The compressor of a 2.x/3.x image is not recorded in it: zlib is
 * standard, and vendors patched in LZMA with a 13-byte header (props,
 * dictionary, size), with a 5-byte one (props, dictionary) or none at
 * all.  Which one an image uses is found by decoding its first compressed
 * block each way (detect_comp).  4.0 names its compressor; all six are
 * read.  1.x (2002-2003) is read too: no fragments, 4-bit owner indexes,
 * 16-bit block sizes.
 *
 * Both metadata tables are decoded whole at open() (a map from each
 * block's position to its decoded offset resolves references), charged
 * to the scan's budget and capped at SL_SQFS_OLD_MAX_TABLE.  Files are
 * decoded on read(), thread-safely: everything read() touches is fixed
 * after open().
 *
 * Trust: every byte is hostile.  Every table offset is checked against
 * the image, every reference against its decoded table, every block
 * against the image and the block size; the walk is bounded in depth
 * (SL_MAX_DIR_DEPTH), in entries (the scan's file limit) and against
 * directory loops; block lists and fragment tables are capped.  What
 * cannot be read is recorded as incomplete, naming where, and the rest is
 * still listed.
 */
#include <stdio.h>
#include <stdlib.h>

#include <lz4.h>
#include <lzma.h>
#include <lzo/lzo1x.h>
#include <zlib.h>
#include <zstd.h>

#include "../sl.h"

#define SQ_META         8192U
#define SQ_META_STORED  0x8000U
#define SQ_BLOCK_STORED (1U << 24)
#define SQ_INVALID_FRAG 0xffffffffU
#define SQ_GUID_SAME    255 /* 2.x/3.x: this gid index means "= uid" */
#define SQ_FLAG_CHECK   0x04
#define SQ_V4_SUPER     96
#define SQ_V3_SUPER     119
#define SQ_V2_SUPER     63
/* Decoded fragment blocks kept for read(), shared by all threads. */
#define SQ_FRAG_SLOTS 4

enum sq_comp {
	SQC_UNKNOWN,
	SQC_ZLIB,
	SQC_LZMA13, /* props, dictionary, 64-bit size: lzma "alone" */
	SQC_LZMA5,  /* props, dictionary, raw stream */
	SQC_LZMA0,  /* raw stream, lc=3 lp=0 pb=2 */
	SQC_XZ,
	SQC_LZO,
	SQC_LZ4,
	SQC_ZSTD,
};

static const char *const comp_names[] = {
    "unknown", "zlib", "lzma", "lzma (5-byte header)", "lzma (no header)", "xz",
    "lzo",     "lz4",  "zstd",
};

/* Entry types, whatever the version numbers them. */
enum { SQ_DIR = 1, SQ_REG, SQ_LNK, SQ_BLK, SQ_CHR, SQ_FIFO, SQ_SOCK };

/*
 * The standard magics and those vendors patched in (Broadcom, Realtek,
 * DD-WRT-era LZMA builds): none tells the byte order reliably, the
 * version field does (parse_super).
 */
static const struct Sl_magic sqold_magics[] = {
    {"hsqs", 4, 0}, {"sqsh", 4, 0}, {"shsq", 4, 0}, {"qshs", 4, 0},
    {"sqlz", 4, 0}, {"hsqt", 4, 0}, {"tqsh", 4, 0}, {NULL, 0, 0},
};

struct fslot {
	uint8_t *buf;
	size_t len;
	uint32_t idx;
	bool valid;
	uint64_t last;
};

struct sq {
	const uint8_t *p;
	uint64_t len; /* bytes of the image present and used */
	bool be;
	unsigned major, minor;
	uint32_t block_size;
	unsigned flags;
	enum sq_comp comp;
	uint64_t root;
	uint64_t inode_start, dir_start, frag_start, uid_start, guid_start;
	uint64_t lookup_start, bytes_used;
	uint32_t nfrags, nuids, nguids;
	uint32_t *uids, *guids; /* 4.0: ids in uids */
	uint64_t *fstart;       /* fragment block starts */
	uint32_t *fsize;        /* and size words */
	uint32_t nfrag_ok;      /* fragment entries actually read */
	/* The decoded tables, with each block's (position, decoded offset). */
	struct table {
		uint8_t *buf;
		size_t len;
		uint64_t *pos, *dec;
		size_t n;
		bool cut; /* a block did not decode; the rest is missing */
	} itab, dtab;
	pthread_mutex_t lock;
	struct fslot slot[SQ_FRAG_SLOTS];
	uint64_t tick;
};

struct sqi {
	unsigned type;
	uint32_t mode, uid, gid;
	int64_t mtime;
	uint64_t start, size; /* REG: first block, bytes */
	uint32_t frag, foff;  /* REG: fragment and offset in it */
	size_t blist;         /* REG: decoded offset of the block list */
	uint64_t dblk;        /* DIR: listing block in the dir table */
	uint32_t doff;        /* DIR: offset in it */
	uint64_t dsize;       /* DIR: bytes of listing */
	size_t lpos, llen;    /* LNK: decoded offset and length of target */
};

/* ---- reading fields --------------------------------------------- */

static uint64_t
get(const struct sq *s, const uint8_t *q, unsigned bytes)
{
	uint64_t v = 0;
	unsigned i;

	for (i = 0; i < bytes; i++)
		v = s->be ? v << 8 | q[i] : v | (uint64_t)q[i] << (8 * i);
	return v;
}

/*
 * The bit field at bit pos, len bits wide (len <= 64), of p[0..n): from
 * the least significant bit of byte 0 up (little-endian images) or from
 * the most significant bit of byte 0 down (big-endian).  *bad is set when
 * it lies past n.
 */
static uint64_t
bits(const struct sq *s, const uint8_t *p, size_t n, unsigned pos, unsigned len,
     bool *bad)
{
	uint64_t v = 0;
	unsigned i;

	if (((size_t)pos + len + 7) / 8 > n) {
		*bad = true;
		return 0;
	}
	for (i = 0; i < len; i++) {
		unsigned k = pos + i;
		unsigned b;

		if (s->be) {
			b = p[k / 8] >> (7 - k % 8) & 1;
			v = v << 1 | b;
		} else {
			b = p[k / 8] >> (k % 8) & 1;
			v |= (uint64_t)b << i;
		}
	}
	return v;
}

/* ---- decompression ---------------------------------------------- */

static bool
dec_zlib(const uint8_t *in, size_t n, uint8_t *out, size_t cap, size_t *got)
{
	z_stream z;
	int r;

	memset(&z, 0, sizeof(z));
	if (inflateInit(&z) != Z_OK)
		return false;
	z.next_in = (Bytef *)in;
	z.avail_in = (uInt)n;
	z.next_out = out;
	z.avail_out = (uInt)cap;
	r = inflate(&z, Z_FINISH);
	*got = cap - z.avail_out;
	inflateEnd(&z);
	return r == Z_STREAM_END;
}

/*
 * Raw LZMA1 with the given properties byte and dictionary.  Vendor
 * streams may or may not end with an end marker: what decodes before the
 * input or the output runs out counts.
 */
static bool
dec_lzma_raw(uint8_t props, uint32_t dict, const uint8_t *in, size_t n,
             uint8_t *out, size_t cap, size_t *got)
{
	lzma_stream st = LZMA_STREAM_INIT;
	lzma_options_lzma opt;
	lzma_filter f[2];
	lzma_ret r;

	if (props >= 9 * 5 * 5)
		return false;
	memset(&opt, 0, sizeof(opt));
	opt.lc = props % 9;
	opt.lp = props / 9 % 5;
	opt.pb = props / 45;
	if (opt.lc + opt.lp > 4)
		return false;
	/*
	 * UNTRUSTED: the dictionary size may come from the image, and
	 * liblzma allocates it up front.  Output never exceeds cap, so a
	 * dictionary of cap bytes decodes the same stream.
	 */
	if (dict > cap)
		dict = (uint32_t)cap;
	opt.dict_size = dict < 4096 ? 4096 : dict;
	f[0].id = LZMA_FILTER_LZMA1;
	f[0].options = &opt;
	f[1].id = LZMA_VLI_UNKNOWN;
	f[1].options = NULL;
	if (lzma_raw_decoder(&st, f) != LZMA_OK)
		return false;
	st.next_in = in;
	st.avail_in = n;
	st.next_out = out;
	st.avail_out = cap;
	r = lzma_code(&st, LZMA_FINISH);
	*got = cap - st.avail_out;
	lzma_end(&st);
	return r == LZMA_STREAM_END ||
	       ((r == LZMA_OK || r == LZMA_BUF_ERROR) && *got > 0 &&
	        (st.avail_out == 0 || st.avail_in == 0));
}

static bool
dec_lzma13(const uint8_t *in, size_t n, uint8_t *out, size_t cap, size_t *got)
{
	uint64_t size;

	if (n < 13)
		return false;
	size = Sl_get_le32(in + 5) | (uint64_t)Sl_get_le32(in + 9) << 32;
	if (size != UINT64_MAX && size > cap)
		return false;
	if (!dec_lzma_raw(in[0], Sl_get_le32(in + 1), in + 13, n - 13, out,
	                  size == UINT64_MAX ? cap : (size_t)size, got))
		return false;
	return size == UINT64_MAX || *got == size;
}

static bool
dec_xz(const uint8_t *in, size_t n, uint8_t *out, size_t cap, size_t *got)
{
	uint64_t memlimit = 64ULL << 20;
	size_t ip = 0, op = 0;

	if (lzma_stream_buffer_decode(&memlimit, 0, NULL, in, &ip, n, out, &op,
	                              cap) != LZMA_OK)
		return false;
	*got = op;
	return true;
}

/* Decode in[0..n) with the image's compressor into out[0..cap). */
static bool
decompress(enum sq_comp c, uint32_t dict, const uint8_t *in, size_t n,
           uint8_t *out, size_t cap, size_t *got)
{
	int r;

	*got = 0;
	switch (c) {
	case SQC_ZLIB: return dec_zlib(in, n, out, cap, got);
	case SQC_LZMA13: return dec_lzma13(in, n, out, cap, got);
	case SQC_LZMA5:
		return n > 5 && dec_lzma_raw(in[0], Sl_get_le32(in + 1), in + 5,
		                             n - 5, out, cap, got);
	case SQC_LZMA0: return dec_lzma_raw(0x5d, dict, in, n, out, cap, got);
	case SQC_XZ: return dec_xz(in, n, out, cap, got);
	case SQC_LZO: {
		lzo_uint o = cap;

		if (lzo1x_decompress_safe(in, n, out, &o, NULL) != LZO_E_OK)
			return false;
		*got = o;
		return true;
	}
	case SQC_LZ4:
		r = LZ4_decompress_safe((const char *)in, (char *)out, (int)n,
		                        (int)cap);
		if (r < 0)
			return false;
		*got = (size_t)r;
		return true;
	case SQC_ZSTD: {
		size_t z = ZSTD_decompress(out, cap, in, n);

		if (ZSTD_isError(z))
			return false;
		*got = z;
		return true;
	}
	default: return false;
	}
}

/*
 * Which compressor decodes in[0..n) to at most cap bytes?  Tried in order
 * of how often vendors used them; zlib first (the standard), the LZMA
 * variants by their headers' plausibility.
 */
static enum sq_comp
detect_comp(uint32_t dict, const uint8_t *in, size_t n, size_t cap)
{
	static const enum sq_comp order[] = {SQC_ZLIB, SQC_LZMA13, SQC_LZMA5,
	                                     SQC_LZMA0};
	uint8_t *out = malloc(cap);
	enum sq_comp found = SQC_UNKNOWN;
	size_t i, got;

	if (out == NULL)
		return SQC_UNKNOWN;
	for (i = 0; i < SL_ARRAY_LEN(order) && found == SQC_UNKNOWN; i++)
		if (decompress(order[i], dict, in, n, out, cap, &got) &&
		    got > 0)
			found = order[i];
	free(out);
	return found;
}

/* ---- the superblock ---------------------------------------------- */

/* Parse the superblock at p; false when it is not one this file reads. */
static bool
parse_super(const uint8_t *p, size_t n, struct sq *s)
{
	unsigned blog;

	const struct Sl_magic *m;
	bool std;

	memset(s, 0, sizeof(*s));
	if (n < SQ_V4_SUPER)
		return false;
	for (m = sqold_magics; m->len; m++)
		if (memcmp(p, m->bytes, 4) == 0)
			break;
	if (m->len == 0)
		return false;
	std = memcmp(p, "hsqs", 4) == 0 || memcmp(p, "sqsh", 4) == 0;
	/* The byte order: the one in which the version reads 1.0 .. 4.0. */
	s->be = !(Sl_get_le16(p + 28) >= 1 && Sl_get_le16(p + 28) <= 4 &&
	          Sl_get_le16(p + 30) <= 1);
	if (std && s->be != (p[0] == 's'))
		return false; /* a standard magic in the other order */
	s->major = (unsigned)get(s, p + 28, 2);
	s->minor = (unsigned)get(s, p + 30, 2);
	if (s->major == 4) {
		/* Little-endian 4.0 with the standard magic is squashfs.c's. */
		if ((!s->be && std) || s->minor != 0)
			return false;
		s->block_size = (uint32_t)get(s, p + 12, 4);
		s->nfrags = (uint32_t)get(s, p + 16, 4);
		switch (get(s, p + 20, 2)) {
		case 1: s->comp = SQC_ZLIB; break;
		case 2:
			/* "lzma": the standard 13-byte header, or a vendor's
			 * variant; found by trial as for 3.x. */
			s->comp = SQC_UNKNOWN;
			break;
		case 3: s->comp = SQC_LZO; break;
		case 4: s->comp = SQC_XZ; break;
		case 5: s->comp = SQC_LZ4; break;
		case 6: s->comp = SQC_ZSTD; break;
		default: return false;
		}
		blog = (unsigned)get(s, p + 22, 2);
		s->flags = (unsigned)get(s, p + 24, 2);
		s->nuids = (uint32_t)get(s, p + 26, 2);
		s->root = get(s, p + 32, 8);
		s->bytes_used = get(s, p + 40, 8);
		s->uid_start = get(s, p + 48, 8);
		s->inode_start = get(s, p + 64, 8);
		s->dir_start = get(s, p + 72, 8);
		s->frag_start = get(s, p + 80, 8);
		s->lookup_start = get(s, p + 88, 8);
		if (blog < 12 || blog > 20 || s->block_size != 1U << blog)
			return false;
	} else if (s->major == 3 || s->major == 2) {
		if (s->major == 3 && n < SQ_V3_SUPER)
			return false;
		if (s->minor > 1)
			return false;
		blog = (unsigned)get(s, p + 34, 2);
		s->flags = p[36];
		s->nuids = p[37];
		s->nguids = p[38];
		s->root = get(s, p + 43, 8);
		s->block_size = (uint32_t)get(s, p + 51, 4);
		s->nfrags = (uint32_t)get(s, p + 55, 4);
		if (s->major == 3) {
			s->bytes_used = get(s, p + 63, 8);
			s->uid_start = get(s, p + 71, 8);
			s->guid_start = get(s, p + 79, 8);
			s->inode_start = get(s, p + 87, 8);
			s->dir_start = get(s, p + 95, 8);
			s->frag_start = get(s, p + 103, 8);
			s->lookup_start = get(s, p + 111, 8);
		} else {
			s->bytes_used = get(s, p + 8, 4);
			s->uid_start = get(s, p + 12, 4);
			s->guid_start = get(s, p + 16, 4);
			s->inode_start = get(s, p + 20, 4);
			s->dir_start = get(s, p + 24, 4);
			s->frag_start = get(s, p + 59, 4);
			s->lookup_start = UINT64_MAX;
		}
		if (blog < 12 || blog > 20 || s->block_size != 1U << blog)
			return false;
	} else if (s->major == 1) {
		if (s->minor != 0)
			return false;
		s->block_size = (uint32_t)get(s, p + 32, 2);
		blog = (unsigned)get(s, p + 34, 2);
		s->flags = p[36];
		s->nuids = p[37];
		s->nguids = p[38];
		s->root = get(s, p + 43, 8);
		s->bytes_used = get(s, p + 8, 4);
		s->uid_start = get(s, p + 12, 4);
		s->guid_start = get(s, p + 16, 4);
		s->inode_start = get(s, p + 20, 4);
		s->dir_start = get(s, p + 24, 4);
		s->lookup_start = UINT64_MAX;
		if (blog < 12 || blog > 15 || s->block_size != 1U << blog)
			return false;
	} else {
		return false;
	}
	/* UNTRUSTED: the tables must lie in order inside bytes_used. */
	if (s->bytes_used < SQ_V2_SUPER || s->inode_start < SQ_V2_SUPER ||
	    s->inode_start >= s->dir_start || s->dir_start >= s->bytes_used)
		return false;
	if ((s->root >> 16) >= s->dir_start - s->inode_start)
		return false;
	return true;
}

static int
sqold_bid(const uint8_t *p, size_t n)
{
	struct sq s;

	return parse_super(p, n, &s) ? 90 : 0;
}

/* ---- metadata --------------------------------------------------- */

/*
 * The metadata block at pos: its data, stored length, whether stored
 * uncompressed, and where the next block starts.  false when it does not
 * lie inside the image.
 */
static bool
meta_block(const struct sq *s, uint64_t pos, const uint8_t **data, size_t *n,
           bool *stored, uint64_t *next)
{
	uint32_t h;
	uint64_t at = pos + 2;

	if (pos > s->len || s->len - pos < 2)
		return false;
	h = (uint32_t)get(s, s->p + pos, 2);
	if (s->major < 4 && (s->flags & SQ_FLAG_CHECK))
		at++;
	*stored = h & SQ_META_STORED;
	*n = h & ~SQ_META_STORED;
	if (*n == 0)
		*n = SQ_META_STORED;
	if (*n > SQ_META + 1024 || at > s->len || *n > s->len - at)
		return false;
	*data = s->p + at;
	*next = at + *n;
	return true;
}

/* Decode one metadata block into out[0..SQ_META); its length in *got. */
static bool
meta_decode(struct sq *s, const uint8_t *in, size_t n, bool stored,
            uint8_t *out, size_t *got)
{
	if (stored) {
		if (n > SQ_META)
			return false;
		memcpy(out, in, n);
		*got = n;
		return true;
	}
	if (s->comp == SQC_UNKNOWN)
		s->comp = detect_comp(s->block_size, in, n, SQ_META);
	return decompress(s->comp, s->block_size, in, n, out, SQ_META, got);
}

/*
 * Decode the metadata blocks from start up to end into t.  Stops at the
 * first block that does not decode (t->cut) or when the table reaches
 * SL_SQFS_OLD_MAX_TABLE.
 */
static sl_rc
table_decode(struct Sl_layer *l, struct sq *s, uint64_t start, uint64_t end,
             struct table *t, const char *what)
{
	uint64_t pos = start, next;
	size_t cap = 0, ncap = 0;
	uint8_t blk[SQ_META];

	while (pos < end) {
		const uint8_t *data;
		size_t n, got;
		bool stored;

		if (!meta_block(s, pos, &data, &n, &stored, &next) ||
		    !meta_decode(s, data, n, stored, blk, &got)) {
			Sl_incomplete(l->scan,
			              "%s: %s: metadata block at 0x%llx does "
			              "not %s; what it and the blocks after "
			              "it describe is not listed",
			              l->prefix, what, (unsigned long long)pos,
			              s->comp == SQC_UNKNOWN
			                  ? "decode with any known "
			                    "compressor"
			                  : "decode");
			t->cut = true;
			return SL_OK;
		}
		if (t->len + got > SL_SQFS_OLD_MAX_TABLE) {
			Sl_incomplete(l->scan,
			              "%s: %s is larger than %u bytes; the "
			              "rest of it is not read",
			              l->prefix, what, SL_SQFS_OLD_MAX_TABLE);
			t->cut = true;
			return SL_OK;
		}
		if (Sl_budget(l->scan, got, l->prefix) != SL_OK) {
			t->cut = true;
			return SL_OK;
		}
		if (t->len + got > cap) {
			size_t nc = cap ? cap * 2 : 65536;
			uint8_t *nb;

			while (nc < t->len + got)
				nc *= 2;
			nb = realloc(t->buf, nc);
			if (nb == NULL)
				return SL_E_NOMEM;
			t->buf = nb;
			cap = nc;
		}
		if (t->n == ncap) {
			size_t nc = ncap ? ncap * 2 : 64;
			uint64_t *np = realloc(t->pos, nc * sizeof(*np));
			uint64_t *nd;

			if (np == NULL)
				return SL_E_NOMEM;
			t->pos = np;
			nd = realloc(t->dec, nc * sizeof(*nd));
			if (nd == NULL)
				return SL_E_NOMEM;
			t->dec = nd;
			ncap = nc;
		}
		t->pos[t->n] = pos - start;
		t->dec[t->n] = t->len;
		t->n++;
		if (got > 0)
			memcpy(t->buf + t->len, blk, got);
		t->len += got;
		pos = next;
	}
	return SL_OK;
}

/* The decoded offset of reference (blk, off) in t, or SIZE_MAX. */
static size_t
table_at(const struct table *t, uint64_t blk, uint32_t off)
{
	size_t lo = 0, hi = t->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (t->pos[mid] == blk) {
			uint64_t d = t->dec[mid] + off;

			return d < t->len ? (size_t)d : SIZE_MAX;
		}
		if (t->pos[mid] < blk)
			lo = mid + 1;
		else
			hi = mid;
	}
	return SIZE_MAX;
}

/* ---- the small tables --------------------------------------------- */

/*
 * Read a table of count entries of esize bytes that lives in metadata
 * blocks listed by an index of psize-byte pointers at index.
 */
static uint8_t *
indexed_table(struct Sl_layer *l, struct sq *s, uint64_t index, uint32_t count,
              unsigned esize, unsigned psize, const char *what, uint32_t *nread)
{
	uint64_t bytes = (uint64_t)count * esize;
	uint64_t nblk = (bytes + SQ_META - 1) / SQ_META, i;
	uint8_t *out;
	size_t have = 0;

	*nread = 0;
	/* UNTRUSTED: the index must lie inside the image. */
	if (index > s->len || nblk > (s->len - index) / psize) {
		Sl_incomplete(l->scan,
		              "%s: %s at 0x%llx (%u entries) lies outside "
		              "the image",
		              l->prefix, what, (unsigned long long)index,
		              count);
		return NULL;
	}
	out = malloc((size_t)nblk * SQ_META + 1);
	if (out == NULL)
		return NULL;
	for (i = 0; i < nblk; i++) {
		uint64_t pos = get(s, s->p + index + i * psize, psize), next;
		const uint8_t *data;
		size_t n, got;
		bool stored;

		if (!meta_block(s, pos, &data, &n, &stored, &next) ||
		    !meta_decode(s, data, n, stored, out + have, &got)) {
			Sl_incomplete(l->scan,
			              "%s: %s: metadata block at 0x%llx does "
			              "not decode; entries from %llu on are "
			              "not read",
			              l->prefix, what, (unsigned long long)pos,
			              (unsigned long long)(have / esize));
			break;
		}
		have += got;
	}
	*nread = (uint32_t)(have / esize < count ? have / esize : count);
	return out;
}

static sl_rc
read_ids(struct Sl_layer *l, struct sq *s)
{
	uint32_t i, n;
	uint8_t *t;

	if (s->major == 4) {
		s->nguids = 0;
		if (s->nuids == 0)
			return SL_OK;
		t = indexed_table(l, s, s->uid_start, s->nuids, 4, 8,
		                  "id table", &n);
		if (t == NULL)
			return SL_OK;
		s->uids = calloc(s->nuids, sizeof(*s->uids));
		if (s->uids == NULL) {
			free(t);
			return SL_E_NOMEM;
		}
		for (i = 0; i < n; i++)
			s->uids[i] = (uint32_t)get(s, t + 4 * i, 4);
		free(t);
		return SL_OK;
	}
	/* 2.x/3.x: plain arrays of 32-bit ids. */
	if (s->uid_start > s->len || s->nuids > (s->len - s->uid_start) / 4 ||
	    s->guid_start > s->len ||
	    s->nguids > (s->len - s->guid_start) / 4) {
		Sl_incomplete(l->scan,
		              "%s: uid/gid tables lie outside the image; "
		              "owners are listed as 0",
		              l->prefix);
		s->nuids = s->nguids = 0;
		return SL_OK;
	}
	s->uids = calloc(s->nuids + 1, sizeof(*s->uids));
	s->guids = calloc(s->nguids + 1, sizeof(*s->guids));
	if (s->uids == NULL || s->guids == NULL)
		return SL_E_NOMEM;
	for (i = 0; i < s->nuids; i++)
		s->uids[i] = (uint32_t)get(s, s->p + s->uid_start + 4 * i, 4);
	for (i = 0; i < s->nguids; i++)
		s->guids[i] = (uint32_t)get(s, s->p + s->guid_start + 4 * i, 4);
	return SL_OK;
}

static sl_rc
read_frags(struct Sl_layer *l, struct sq *s)
{
	unsigned esize = s->major == 2 ? 8 : 16, psize = s->major == 2 ? 4 : 8;
	uint32_t i, n;
	uint8_t *t;

	if (s->nfrags == 0)
		return SL_OK;
	if (s->nfrags > SL_SQFS_OLD_MAX_FRAGS) {
		Sl_incomplete(l->scan,
		              "%s: %u fragments, more than %u; file tails "
		              "are not read",
		              l->prefix, s->nfrags, SL_SQFS_OLD_MAX_FRAGS);
		return SL_OK;
	}
	t = indexed_table(l, s, s->frag_start, s->nfrags, esize, psize,
	                  "fragment table", &n);
	if (t == NULL)
		return SL_OK;
	s->fstart = calloc(s->nfrags, sizeof(*s->fstart));
	s->fsize = calloc(s->nfrags, sizeof(*s->fsize));
	if (s->fstart == NULL || s->fsize == NULL) {
		free(t);
		return SL_E_NOMEM;
	}
	for (i = 0; i < n; i++) {
		const uint8_t *e = t + (size_t)i * esize;

		s->fstart[i] = get(s, e, esize == 8 ? 4 : 8);
		s->fsize[i] = (uint32_t)get(s, e + (esize == 8 ? 4 : 8), 4);
	}
	s->nfrag_ok = n;
	free(t);
	return SL_OK;
}

/* ---- inodes ------------------------------------------------------ */

/*
 * 1.x: type:4 mode:12 uid:4 guid:4, then per type; files have no
 * fragments and a list of 16-bit block sizes (bit 15: stored).
 */
static bool
inode_v1(const struct sq *s, size_t at, struct sqi *in, const char **why)
{
	const uint8_t *p = s->itab.buf + at;
	size_t n = s->itab.len - at;
	unsigned t, uidx, gidx;
	bool bad = false;

	t = (unsigned)bits(s, p, n, 0, 4, &bad);
	in->mode = (uint32_t)bits(s, p, n, 4, 12, &bad);
	uidx = (unsigned)bits(s, p, n, 16, 4, &bad);
	gidx = (unsigned)bits(s, p, n, 20, 4, &bad);
	switch (t) {
	case 1:
		in->type = SQ_DIR;
		in->dsize = bits(s, p, n, 24, 19, &bad);
		in->doff = (uint32_t)bits(s, p, n, 43, 13, &bad);
		in->mtime = (int64_t)bits(s, p, n, 56, 32, &bad);
		in->dblk = bits(s, p, n, 88, 24, &bad);
		break;
	case 2:
		in->type = SQ_REG;
		in->mtime = (int64_t)bits(s, p, n, 24, 32, &bad);
		in->start = bits(s, p, n, 56, 32, &bad);
		in->size = bits(s, p, n, 88, 32, &bad);
		in->frag = SQ_INVALID_FRAG;
		in->blist = at + 15;
		break;
	case 3:
		in->type = SQ_LNK;
		in->llen = (size_t)bits(s, p, n, 24, 16, &bad);
		in->lpos = at + 5;
		break;
	case 4: in->type = SQ_BLK; break;
	case 5: in->type = SQ_CHR; break;
	case 6: /* fifo or socket, told apart by a second type field */
		in->type = bits(s, p, n, 24, 4, &bad) == 7 ? SQ_SOCK : SQ_FIFO;
		break;
	default: *why = "unknown inode type"; return false;
	}
	if (bad) {
		*why = "inode runs past the end of the inode table";
		return false;
	}
	in->uid = uidx < s->nuids ? s->uids[uidx] : 0;
	if (gidx == 15) /* 1.x: this gid index means "= uid" */
		in->gid = in->uid;
	else
		in->gid = gidx < s->nguids ? s->guids[gidx] : 0;
	return true;
}

/* Decode the inode at decoded offset at of the inode table; why on error. */
static bool
inode_at(const struct sq *s, size_t at, struct sqi *in, const char **why)
{
	const uint8_t *p = s->itab.buf + at;
	size_t n = s->itab.len - at;
	unsigned t, uidx, gidx;
	bool bad = false;
	unsigned fix; /* bytes of the fixed part */

	memset(in, 0, sizeof(*in));
	*why = "inode runs past the end of the inode table";
	if (s->major == 4) {
		t = (unsigned)bits(s, p, n, 0, 16, &bad);
		in->mode = (uint32_t)bits(s, p, n, 16, 16, &bad) & 07777;
		uidx = (unsigned)bits(s, p, n, 32, 16, &bad);
		gidx = (unsigned)bits(s, p, n, 48, 16, &bad);
		in->mtime = (int64_t)bits(s, p, n, 64, 32, &bad);
		switch (t) {
		case 1:
			in->type = SQ_DIR;
			in->dblk = bits(s, p, n, 128, 32, &bad);
			in->dsize = bits(s, p, n, 192, 16, &bad);
			in->doff = (uint32_t)bits(s, p, n, 208, 16, &bad);
			break;
		case 8:
			in->type = SQ_DIR;
			in->dsize = bits(s, p, n, 160, 32, &bad);
			in->dblk = bits(s, p, n, 192, 32, &bad);
			in->doff = (uint32_t)bits(s, p, n, 272, 16, &bad);
			break;
		case 2:
			in->type = SQ_REG;
			in->start = bits(s, p, n, 128, 32, &bad);
			in->frag = (uint32_t)bits(s, p, n, 160, 32, &bad);
			in->foff = (uint32_t)bits(s, p, n, 192, 32, &bad);
			in->size = bits(s, p, n, 224, 32, &bad);
			in->blist = at + 32;
			break;
		case 9:
			in->type = SQ_REG;
			in->start = bits(s, p, n, 128, 64, &bad);
			in->size = bits(s, p, n, 192, 64, &bad);
			in->frag = (uint32_t)bits(s, p, n, 352, 32, &bad);
			in->foff = (uint32_t)bits(s, p, n, 384, 32, &bad);
			(void)bits(s, p, n, 416, 32, &bad); /* xattr: present */
			in->blist = at + 56;
			break;
		case 3:
		case 10:
			in->type = SQ_LNK;
			in->llen = (size_t)bits(s, p, n, 160, 32, &bad);
			in->lpos = at + 24;
			break;
		case 4:
		case 11: in->type = SQ_BLK; break;
		case 5:
		case 12: in->type = SQ_CHR; break;
		case 6:
		case 13: in->type = SQ_FIFO; break;
		case 7:
		case 14: in->type = SQ_SOCK; break;
		default: *why = "unknown inode type"; return false;
		}
		if (bad)
			return false;
		in->uid = uidx < s->nuids && s->uids ? s->uids[uidx] : 0;
		in->gid = gidx < s->nuids && s->uids ? s->uids[gidx] : 0;
		return true;
	}
	if (s->major == 1)
		return inode_v1(s, at, in, why);
	/* 2.x and 3.x: type:4 mode:12 uid:8 guid:8 [mtime:32 inode:32] */
	t = (unsigned)bits(s, p, n, 0, 4, &bad);
	in->mode = (uint32_t)bits(s, p, n, 4, 12, &bad);
	uidx = (unsigned)bits(s, p, n, 16, 8, &bad);
	gidx = (unsigned)bits(s, p, n, 24, 8, &bad);
	fix = s->major == 3 ? 96 : 32;
	if (s->major == 3)
		in->mtime = (int64_t)bits(s, p, n, 32, 32, &bad);
	switch (t) {
	case 1: /* directory */
		in->type = SQ_DIR;
		if (s->major == 3) {
			in->dsize = bits(s, p, n, fix + 32, 19, &bad);
			in->doff = (uint32_t)bits(s, p, n, fix + 51, 13, &bad);
			in->dblk = bits(s, p, n, fix + 64, 32, &bad);
		} else {
			in->dsize = bits(s, p, n, 32, 19, &bad);
			in->doff = (uint32_t)bits(s, p, n, 51, 13, &bad);
			in->mtime = (int64_t)bits(s, p, n, 64, 32, &bad);
			in->dblk = bits(s, p, n, 96, 24, &bad);
		}
		break;
	case 8: /* directory with an index */
		in->type = SQ_DIR;
		if (s->major == 3) {
			in->dsize = bits(s, p, n, fix + 32, 27, &bad);
			in->doff = (uint32_t)bits(s, p, n, fix + 59, 13, &bad);
			in->dblk = bits(s, p, n, fix + 72, 32, &bad);
		} else {
			in->dsize = bits(s, p, n, 32, 27, &bad);
			in->doff = (uint32_t)bits(s, p, n, 59, 13, &bad);
			in->mtime = (int64_t)bits(s, p, n, 72, 32, &bad);
			in->dblk = bits(s, p, n, 104, 24, &bad);
		}
		break;
	case 2: /* file */
		in->type = SQ_REG;
		if (s->major == 3) {
			in->start = bits(s, p, n, fix, 64, &bad);
			in->frag = (uint32_t)bits(s, p, n, fix + 64, 32, &bad);
			in->foff = (uint32_t)bits(s, p, n, fix + 96, 32, &bad);
			in->size = bits(s, p, n, fix + 128, 32, &bad);
			in->blist = at + 32;
		} else {
			in->mtime = (int64_t)bits(s, p, n, 32, 32, &bad);
			in->start = bits(s, p, n, 64, 32, &bad);
			in->frag = (uint32_t)bits(s, p, n, 96, 32, &bad);
			in->foff = (uint32_t)bits(s, p, n, 128, 32, &bad);
			in->size = bits(s, p, n, 160, 32, &bad);
			in->blist = at + 24;
		}
		break;
	case 9: /* 3.x: large file */
		if (s->major != 3)
			goto unknown;
		in->type = SQ_REG;
		in->start = bits(s, p, n, fix + 32, 64, &bad);
		in->frag = (uint32_t)bits(s, p, n, fix + 96, 32, &bad);
		in->foff = (uint32_t)bits(s, p, n, fix + 128, 32, &bad);
		in->size = bits(s, p, n, fix + 160, 64, &bad);
		in->blist = at + 40;
		break;
	case 3:
		in->type = SQ_LNK;
		if (s->major == 3) {
			in->llen = (size_t)bits(s, p, n, fix + 32, 16, &bad);
			in->lpos = at + 18;
		} else {
			in->llen = (size_t)bits(s, p, n, 32, 16, &bad);
			in->lpos = at + 6;
		}
		break;
	case 4: in->type = SQ_BLK; break;
	case 5: in->type = SQ_CHR; break;
	case 6: in->type = SQ_FIFO; break;
	case 7: in->type = SQ_SOCK; break;
	default:
	unknown:
		*why = "unknown inode type";
		return false;
	}
	if (bad)
		return false;
	in->uid = uidx < s->nuids ? s->uids[uidx] : 0;
	if (gidx == SQ_GUID_SAME)
		in->gid = in->uid;
	else
		in->gid = gidx < s->nguids ? s->guids[gidx] : 0;
	return true;
}

/* ---- file content ------------------------------------------------ */

/* Bytes of one block-list word, and its "stored" bit. */
static unsigned
bword(const struct sq *s)
{
	return s->major == 1 ? 2 : 4;
}

static uint32_t
bstored(const struct sq *s)
{
	return s->major == 1 ? 0x8000U : SQ_BLOCK_STORED;
}

/* Decode the fragment block idx into out[0..block_size); its length. */
static bool
frag_decode(const struct sq *s, uint32_t idx, uint8_t *out, size_t *got,
            const char **why)
{
	uint64_t start;
	uint32_t w, n;

	if (idx >= s->nfrag_ok) {
		*why = "its fragment is not in the fragment table";
		return false;
	}
	start = s->fstart[idx];
	w = s->fsize[idx];
	n = w & ~SQ_BLOCK_STORED;
	/* UNTRUSTED: the fragment block must lie inside the image. */
	if (n == 0 || n > s->block_size + 1024 || start > s->len ||
	    n > s->len - start) {
		*why = "its fragment block lies outside the image";
		return false;
	}
	if (w & SQ_BLOCK_STORED) {
		if (n > s->block_size) {
			*why = "its fragment block is larger than a block";
			return false;
		}
		memcpy(out, s->p + start, n);
		*got = n;
		return true;
	}
	if (!decompress(s->comp, s->block_size, s->p + start, n, out,
	                s->block_size, got)) {
		*why = "its fragment block does not decompress";
		return false;
	}
	return true;
}

/* Copy len bytes at off of fragment block idx to out, through the cache. */
static bool
frag_copy(struct sq *s, uint32_t idx, uint32_t off, uint8_t *out, size_t len,
          const char **why)
{
	struct fslot *sl, *victim;
	size_t i, got;
	uint8_t *buf;
	bool ok;

	pthread_mutex_lock(&s->lock);
	for (i = 0; i < SQ_FRAG_SLOTS; i++) {
		sl = &s->slot[i];
		if (sl->valid && sl->idx == idx) {
			ok = off <= sl->len && len <= sl->len - off;
			if (ok)
				memcpy(out, sl->buf + off, len);
			sl->last = ++s->tick;
			pthread_mutex_unlock(&s->lock);
			if (!ok)
				*why = "its tail lies past the end of its "
				       "fragment block";
			return ok;
		}
	}
	pthread_mutex_unlock(&s->lock);
	buf = malloc(s->block_size);
	if (buf == NULL) {
		*why = "out of memory";
		return false;
	}
	if (!frag_decode(s, idx, buf, &got, why)) {
		free(buf);
		return false;
	}
	ok = off <= got && len <= got - off;
	if (ok)
		memcpy(out, buf + off, len);
	else
		*why = "its tail lies past the end of its fragment block";
	pthread_mutex_lock(&s->lock);
	victim = &s->slot[0];
	for (i = 1; i < SQ_FRAG_SLOTS; i++)
		if (s->slot[i].last < victim->last)
			victim = &s->slot[i];
	free(victim->buf);
	victim->buf = buf;
	victim->len = got;
	victim->idx = idx;
	victim->valid = true;
	victim->last = ++s->tick;
	pthread_mutex_unlock(&s->lock);
	return ok;
}

static sl_rc
sqold_read(struct Sl_layer *l, const struct Sl_node *node, const uint8_t **data,
           size_t *len, struct Sl_buf *tmp)
{
	struct sq *s = l->priv;
	struct sqi in;
	const char *why = NULL;
	uint64_t nblk, i, pos, done = 0, zin = 0;
	size_t tail;
	sl_rc rc;

	if (!inode_at(s, (size_t)node->ref, &in, &why) || in.type != SQ_REG)
		return Sl_fail(l->scan, SL_E_MALFORMED, "inode: %s",
		               why ? why : "not a file");
	nblk = in.frag == SQ_INVALID_FRAG
	           ? (in.size + s->block_size - 1) / s->block_size
	           : in.size / s->block_size;
	tail = in.frag == SQ_INVALID_FRAG ? 0 : in.size % s->block_size;
	/* UNTRUSTED: the block list must lie inside the inode table. */
	if (nblk > (s->itab.len - in.blist) / bword(s))
		return Sl_fail(l->scan, SL_E_MALFORMED,
		               "block list of %llu blocks runs past the end "
		               "of the inode table",
		               (unsigned long long)nblk);
	rc = Sl_buf_reserve(tmp, (size_t)in.size + 1);
	if (rc != SL_OK)
		return rc;
	pos = in.start;
	for (i = 0; i < nblk; i++) {
		uint32_t w = (uint32_t)get(
		    s, s->itab.buf + in.blist + bword(s) * i, bword(s));
		uint32_t n = w & ~bstored(s);
		uint64_t want = in.size - done;
		size_t got = 0;

		/* 1.x: a 15-bit size of 0 is 32 KiB (a stored full block). */
		if (s->major == 1 && n == 0)
			n = 0x8000U;

		if (want > s->block_size)
			want = s->block_size;
		if (n == 0) { /* a hole */
			memset(tmp->p + done, 0, (size_t)want);
			done += want;
			continue;
		}
		/* UNTRUSTED: each block must lie inside the image. */
		if (pos > s->len || n > s->len - pos ||
		    n > s->block_size + 1024)
			return Sl_fail(l->scan, SL_E_MALFORMED,
			               "data block %llu at 0x%llx (%u bytes) "
			               "lies outside the image",
			               (unsigned long long)i,
			               (unsigned long long)pos, n);
		if (w & bstored(s)) {
			if (n != want)
				return Sl_fail(l->scan, SL_E_MALFORMED,
				               "stored data block %llu at "
				               "0x%llx has %u bytes, not %llu",
				               (unsigned long long)i,
				               (unsigned long long)pos, n,
				               (unsigned long long)want);
			memcpy(tmp->p + done, s->p + pos, n);
			got = n;
		} else if (!decompress(s->comp, s->block_size, s->p + pos, n,
		                       tmp->p + done, (size_t)want, &got) ||
		           got != want) {
			return Sl_fail(
			    l->scan, SL_E_MALFORMED,
			    "data block %llu at 0x%llx does not "
			    "decompress to %llu bytes (%s)",
			    (unsigned long long)i, (unsigned long long)pos,
			    (unsigned long long)want, comp_names[s->comp]);
		}
		done += got;
		zin += n;
		pos += n;
	}
	if (tail > 0) {
		if (!frag_copy(s, in.frag, in.foff, tmp->p + done, tail, &why))
			return Sl_fail(l->scan, SL_E_MALFORMED,
			               "tail of %zu bytes in fragment %u: %s",
			               tail, in.frag, why);
		done += tail;
	}
	if (!Sl_ratio_ok(l->scan, zin + (tail ? 1 : 0), done, node->e.path))
		return SL_E_LIMIT;
	tmp->n = (size_t)done;
	*data = tmp->p;
	*len = (size_t)done;
	return SL_OK;
}

/* ---- walking the tree -------------------------------------------- */

struct sdir {
	uint64_t blk;
	uint32_t off;
	uint64_t size;
	const char *path;
	unsigned depth;
};

struct swalk {
	struct Sl_layer *l;
	struct sq *s;
	struct sdir *q;
	size_t qhead, qn, qcap;
	struct Sl_u64set seen; /* listing offsets walked */
	uint64_t entries, max_entries;
	struct Sl_buf path;
	sl_rc rc;
};

static void
queue_dir(struct swalk *w, const struct sqi *in, const char *path,
          unsigned depth)
{
	struct Sl_layer *l = w->l;
	int added;
	void *q;

	/* An empty directory has no listing (empty ones share a place). */
	if (in->dsize <= (w->s->major >= 3 ? 3U : 0U))
		return;
	if (depth > SL_MAX_DIR_DEPTH) {
		Sl_incomplete(l->scan,
		              "%s: \"%.200s\" nests deeper than %u "
		              "directories; not walked",
		              l->prefix, path, SL_MAX_DIR_DEPTH);
		return;
	}
	added = Sl_u64set_add(&w->seen, in->dblk << 16 | in->doff);
	if (added <= 0) {
		if (added < 0)
			w->rc = SL_E_NOMEM;
		else
			Sl_incomplete(l->scan,
			              "%s: directory \"%.200s\" lists the "
			              "same entries as one walked already "
			              "(a loop); not walked twice",
			              l->prefix, *path ? path : "/");
		return;
	}
	q = w->q;
	if (!Sl_vec_grow(&q, &w->qcap, w->qn, sizeof(*w->q), 64)) {
		w->rc = SL_E_NOMEM;
		return;
	}
	w->q = q;
	w->q[w->qn++] =
	    (struct sdir){in->dblk, in->doff, in->dsize, path, depth};
}

/*
 * An image whose metadata is all stored uncompressed names its compressor
 * nowhere: find it from the first compressed data block of a file.
 */
static void
comp_from_file(struct sq *s, const struct sqi *in)
{
	uint64_t nblk = in->size / s->block_size, i, pos = in->start;

	if (nblk > (s->itab.len - in->blist) / bword(s))
		return;
	for (i = 0; i < nblk && i < 16; i++) {
		uint32_t w = (uint32_t)get(
		    s, s->itab.buf + in->blist + bword(s) * i, bword(s));
		uint32_t n = w & ~bstored(s);

		if (s->major == 1 && n == 0)
			n = 0x8000U;
		if (pos > s->len || n > s->len - pos)
			return;
		if (n != 0 && !(w & bstored(s))) {
			s->comp = detect_comp(s->block_size, s->p + pos, n,
			                      s->block_size);
			return;
		}
		pos += n;
	}
}

/* Add the entry named path whose inode is at (blk, off). */
static void
add_entry(struct swalk *w, const struct sdir *d, const char *path, uint64_t blk,
          uint32_t off)
{
	struct Sl_layer *l = w->l;
	struct sq *s = w->s;
	struct sl_entry e = {0};
	struct sqi in;
	struct Sl_node *n;
	const char *why;
	size_t at = table_at(&s->itab, blk, off);

	if (at == SIZE_MAX) {
		Sl_incomplete(l->scan,
		              "%s: \"%.200s\": inode at block 0x%llx offset "
		              "%u lies outside the inode table%s",
		              l->prefix, path, (unsigned long long)blk, off,
		              s->itab.cut ? " (which could not be read "
		                            "whole)"
		                          : "");
		return;
	}
	if (!inode_at(s, at, &in, &why)) {
		Sl_incomplete(l->scan, "%s: \"%.200s\": %s", l->prefix, path,
		              why);
		return;
	}
	e.mode = in.mode & 07777;
	e.uid = in.uid;
	e.gid = in.gid;
	e.mtime = in.mtime;
	switch (in.type) {
	case SQ_REG:
		e.type = SL_FT_REG;
		e.size = in.size;
		if (s->comp == SQC_UNKNOWN)
			comp_from_file(s, &in);
		break;
	case SQ_DIR: e.type = SL_FT_DIR; break;
	case SQ_LNK:
		e.type = SL_FT_LNK;
		if (in.llen == 0 || in.llen > SL_DEF_MAX_PATH ||
		    in.lpos > s->itab.len || in.llen > s->itab.len - in.lpos) {
			Sl_incomplete(l->scan,
			              "%s: symlink \"%.200s\": target of %zu "
			              "bytes out of range",
			              l->prefix, path, in.llen);
			break;
		}
		e.link = Sl_arena_strndup(Sl_scan_arena(l->scan),
		                          (const char *)s->itab.buf + in.lpos,
		                          in.llen);
		if (e.link == NULL) {
			w->rc = SL_E_NOMEM;
			return;
		}
		e.size = strlen(e.link);
		break;
	case SQ_BLK: e.type = SL_FT_BLK; break;
	case SQ_CHR: e.type = SL_FT_CHR; break;
	case SQ_FIFO: e.type = SL_FT_FIFO; break;
	default: e.type = SL_FT_SOCK; break;
	}
	n = Sl_add(l, path, &e);
	if (n == NULL)
		return;
	n->ref = at;
	if (in.type == SQ_DIR)
		queue_dir(w, &in, n->inner, d->depth + 1);
}

/* Walk the listing of one directory. */
static void
walk_dir(struct swalk *w, const struct sdir *d)
{
	struct Sl_layer *l = w->l;
	struct sq *s = w->s;
	const char *dname = *d->path ? d->path : "/";
	unsigned hsize = s->major == 4 ? 12 : s->major == 3 ? 9 : 4;
	unsigned esize = s->major == 4 ? 8 : s->major == 3 ? 5 : 3;
	uint64_t size = d->size;
	size_t at, end;

	/* 3.x and 4.0 count three bytes for "." and ".." in the size. */
	if (s->major >= 3)
		size = size >= 3 ? size - 3 : 0;
	if (size == 0)
		return;
	at = table_at(&s->dtab, d->blk, d->off);
	if (at == SIZE_MAX || size > s->dtab.len - at) {
		Sl_incomplete(l->scan,
		              "%s: directory \"%.200s\": listing at block "
		              "0x%llx offset %u (%llu bytes) lies outside the "
		              "directory table%s",
		              l->prefix, dname, (unsigned long long)d->blk,
		              d->off, (unsigned long long)size,
		              s->dtab.cut ? " (which could not be read whole)"
		                          : "");
		return;
	}
	end = at + (size_t)size;
	while (end - at >= hsize && w->rc == SL_OK) {
		const uint8_t *h = s->dtab.buf + at;
		bool bad = false;
		uint64_t count, blk;
		uint64_t i;

		if (s->major == 4) {
			count = bits(s, h, hsize, 0, 32, &bad) + 1;
			blk = bits(s, h, hsize, 32, 32, &bad);
		} else {
			count = bits(s, h, hsize, 0, 8, &bad) + 1;
			blk =
			    bits(s, h, hsize, 8, s->major == 3 ? 32 : 24, &bad);
		}
		at += hsize;
		if (count > 256) {
			Sl_incomplete(l->scan,
			              "%s: directory \"%.200s\": header at "
			              "listing offset %zu claims %llu "
			              "entries; the rest is not listed",
			              l->prefix, dname, at - hsize,
			              (unsigned long long)count);
			return;
		}
		for (i = 0; i < count && w->rc == SL_OK; i++) {
			const uint8_t *e = s->dtab.buf + at;
			uint32_t off;
			size_t nlen;
			const char *name;

			if (++w->entries > w->max_entries) {
				Sl_incomplete(
				    l->scan,
				    "%s: more than %llu directory "
				    "entries; the rest of the tree "
				    "is not listed",
				    l->prefix,
				    (unsigned long long)w->max_entries);
				w->rc = SL_E_LIMIT;
				return;
			}
			if (end - at < esize)
				goto cut;
			if (s->major == 4) {
				off = (uint32_t)bits(s, e, esize, 0, 16, &bad);
				nlen =
				    (size_t)bits(s, e, esize, 48, 16, &bad) + 1;
			} else {
				off = (uint32_t)bits(s, e, esize, 0, 13, &bad);
				nlen =
				    (size_t)bits(s, e, esize, 16, 8, &bad) + 1;
			}
			if (nlen > end - at - esize)
				goto cut;
			name = (const char *)e + esize;
			at += esize + nlen;
			if (memchr(name, '/', nlen) != NULL ||
			    memchr(name, 0, nlen) != NULL ||
			    (nlen == 1 && name[0] == '.') ||
			    (nlen == 2 && name[0] == '.' && name[1] == '.')) {
				Sl_incomplete(l->scan,
				              "%s: directory \"%.200s\": "
				              "entry \"%.*s\" has a name "
				              "holding '/' or NUL, or is "
				              "'.' or '..'; refused",
				              l->prefix, dname,
				              (int)strnlen(name, nlen), name);
				continue;
			}
			w->path.n = 0;
			if ((*d->path &&
			     (Sl_buf_add(&w->path, d->path, strlen(d->path)) !=
			          SL_OK ||
			      Sl_buf_add(&w->path, "/", 1) != SL_OK)) ||
			    Sl_buf_add(&w->path, name, nlen) != SL_OK ||
			    Sl_buf_add(&w->path, "", 1) != SL_OK) {
				w->rc = SL_E_NOMEM;
				return;
			}
			add_entry(w, d, (const char *)w->path.p, blk, off);
		}
	}
	return;
cut:
	Sl_incomplete(l->scan,
	              "%s: directory \"%.200s\": an entry runs past the end "
	              "of its listing; the rest is not listed",
	              l->prefix, dname);
}

/* ---- open and close ---------------------------------------------- */

static void
sq_free(struct sq *s)
{
	size_t i;

	if (s == NULL)
		return;
	free(s->itab.buf);
	free(s->itab.pos);
	free(s->itab.dec);
	free(s->dtab.buf);
	free(s->dtab.pos);
	free(s->dtab.dec);
	free(s->uids);
	free(s->guids);
	free(s->fstart);
	free(s->fsize);
	for (i = 0; i < SQ_FRAG_SLOTS; i++)
		free(s->slot[i].buf);
	pthread_mutex_destroy(&s->lock);
	free(s);
}

/* Where the directory table ends: the next table after it. */
static uint64_t
dir_end(const struct sq *s)
{
	uint64_t cand[5], end = s->bytes_used;
	size_t i;

	cand[0] = s->frag_start;
	cand[1] = s->uid_start;
	cand[2] = s->guid_start;
	cand[3] = s->lookup_start;
	cand[4] = UINT64_MAX;
	/* The fragment entries' blocks precede their index. */
	if (s->nfrags > 0 && s->frag_start < s->len &&
	    s->len - s->frag_start >= (s->major == 2 ? 4U : 8U))
		cand[4] = get(s, s->p + s->frag_start, s->major == 2 ? 4 : 8);
	for (i = 0; i < SL_ARRAY_LEN(cand); i++)
		if (cand[i] > s->dir_start && cand[i] < end)
			end = cand[i];
	return end;
}

/* Find the compressor of a 2.x/3.x image from its first compressed block. */
static void
find_comp(struct sq *s)
{
	uint64_t pos = s->inode_start, next;
	const uint8_t *data;
	size_t n;
	bool stored;
	int i;

	if (s->comp != SQC_UNKNOWN)
		return;
	/* The first compressed metadata block of either table. */
	for (i = 0; i < 64 && pos < s->bytes_used; i++) {
		if (!meta_block(s, pos, &data, &n, &stored, &next))
			break;
		if (!stored) {
			s->comp = detect_comp(s->block_size, data, n, SQ_META);
			return;
		}
		pos = next;
	}
}

static sl_rc
sqold_open(struct Sl_layer *l)
{
	struct sl_scan *sc = l->scan;
	struct sq *s;
	struct swalk w;
	struct sqi root;
	const char *why;
	size_t at;
	sl_rc rc;
	uint64_t size;

	s = calloc(1, sizeof(*s));
	if (s == NULL)
		return SL_E_NOMEM;
	if (!parse_super(l->data, l->len, s)) {
		free(s);
		return SL_E_MALFORMED;
	}
	pthread_mutex_init(&s->lock, NULL);
	l->priv = s;
	s->p = l->data;
	s->len = s->bytes_used < l->len ? s->bytes_used : l->len;
	/* The image ends where it says, plus zero padding to 4 KiB. */
	size = s->bytes_used;
	if (size > l->len) {
		Sl_incomplete(sc,
		              "%s: image of %llu bytes is cut short: only "
		              "%llu bytes are present",
		              l->prefix, (unsigned long long)s->bytes_used,
		              (unsigned long long)l->len);
		size = l->len;
	} else {
		uint64_t pad = (size + 4095) / 4096 * 4096, i;

		if (pad > l->len)
			pad = l->len;
		for (i = size; i < pad && l->data[i] == 0; i++)
			;
		if (i == pad)
			size = pad;
	}
	l->size = size;
	find_comp(s);
	rc = read_ids(l, s);
	if (rc == SL_OK)
		rc = read_frags(l, s);
	if (rc == SL_OK)
		rc = table_decode(l, s, s->inode_start, s->dir_start, &s->itab,
		                  "inode table");
	if (rc == SL_OK)
		rc = table_decode(l, s, s->dir_start, dir_end(s), &s->dtab,
		                  "directory table");
	if (rc != SL_OK)
		return rc;
	at = table_at(&s->itab, s->root >> 16, (uint32_t)(s->root & 0xffff));
	if (at == SIZE_MAX || !inode_at(s, at, &root, &why) ||
	    root.type != SQ_DIR) {
		Sl_incomplete(sc,
		              "%s: root inode (block 0x%llx offset %u) cannot "
		              "be read; no files are listed",
		              l->prefix, (unsigned long long)(s->root >> 16),
		              (unsigned)(s->root & 0xffff));
		return SL_OK;
	}
	memset(&w, 0, sizeof(w));
	w.l = l;
	w.s = s;
	w.max_entries = Sl_limits(sc)->max_files * 4ULL + 1024;
	Sl_buf_init(&w.path, SL_BUF_MAX_PATH);
	queue_dir(&w, &root, "", 0);
	while (w.qhead < w.qn && w.rc == SL_OK) {
		struct sdir d = w.q[w.qhead++];

		walk_dir(&w, &d);
	}
	rc = w.rc == SL_E_LIMIT ? SL_OK : w.rc;
	free(w.q);
	Sl_u64set_free(&w.seen);
	Sl_buf_free(&w.path);
	return rc;
}

static void
sqold_close(struct Sl_layer *l)
{
	sq_free(l->priv);
	l->priv = NULL;
}

const struct Sl_reader Sl_reader_squashfs_old = {
    .name = "squashfs",
    .description = "SquashFS 2.x/3.x (either byte order, zlib or vendor "
                   "LZMA) and big-endian 4.0",
    .nest = SL_NEST_WHOLE,
    .magics = sqold_magics,
    .bid = sqold_bid,
    .open = sqold_open,
    .read = sqold_read,
    .close = sqold_close,
};
