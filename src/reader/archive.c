/*
 * archive.c - cpio (newc, crc, odc), tar (ustar, GNU, pax) and zip
 * archives, read in place with libarchive.
 *
 * Three readers share this file.  Each enables exactly one libarchive
 * format and no filter: a .tar.gz is a gzip layer whose "data" the tar
 * reader meets in turn.  libarchive is handed the container's bytes as one
 * memory block, so the data blocks it returns for stored content point into
 * the image itself.  The content of a cpio or tar entry is therefore
 * recorded as a slice of the layer, after checking that it is one
 * contiguous run inside it: reading it later copies nothing and needs no
 * lock.  Compressed zip entries are inflated on demand by zip_read(),
 * through a small pool of libarchive handles parked after the entry they
 * last read, so that worker threads reading files in archive order rarely
 * walk far; stored zip entries are slices too.
 *
 * Trust: libarchive parses the headers and bounds its own reads; this file
 * trusts nothing it reports.  Data pointers are checked to lie within the
 * layer, names are cleaned by Sl_add ("/abs" becomes "abs", ".." is
 * refused), hard-link targets resolve only to files of the same archive.
 * Each cpio header is checked before libarchive reads it, as libarchive
 * reserves whatever name size a header claims (up to 4 GB).  A cpio or
 * tar header that does not parse is recorded with its offset and skipped
 * up to the next valid header, which this file finds itself: libarchive's
 * cpio resync steps over valid headers, and its tar resync stops at the
 * first zero block of the damaged entry's data.  The size of an archive
 * is where its end marker ends (cpio's TRAILER!!!, tar's zero blocks,
 * zip's end of central directory), plus the zero padding cpio and tar add
 * to whole blocks, so that carving goes on after it.
 *
 * Not read: the content of sparse tar files (it is no slice of the image;
 * they are listed and reported), device numbers (struct sl_entry has no
 * field for them).
 *
 * Old binary cpio (both byte orders; what `cpio -H bin` and old vendor
 * ramdisks write) is read by libarchive too.  It used to list nothing
 * because the headers were never recognised here: its magic is two bytes.
 * It is now taken only where two headers in a row check out (cpio_bin).
 */
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>

#include <archive.h>
#include <archive_entry.h>

#include "../sl.h"

/* Damaged stretches skipped in one archive before the rest is given up. */
#define ARC_MAX_RESYNC 256
/* libarchive handles one zip layer keeps parked for zip_read(). */
#define ZIP_PARK 4
/* Archivers pad to whole records: GNU tar 20 blocks, cpio 512 bytes. */
#define TAR_RECORD 10240
#define CPIO_BLOCK 512

/* How node->ref of a zip file is to be read. */
enum { ZIP_WALK = 0, ZIP_SLICE = 1 };

/* ---- recognising headers ----------------------------------------- */

static bool
all_digits(const uint8_t *p, size_t n, bool hex)
{
	size_t i;

	for (i = 0; i < n; i++) {
		uint8_t c = p[i];

		if (c >= '0' && c <= '7')
			continue;
		if (hex && ((c >= '8' && c <= '9') || (c >= 'a' && c <= 'f') ||
		            (c >= 'A' && c <= 'F')))
			continue;
		return false;
	}
	return true;
}

/* The kinds of cpio header. */
enum cpio_kind {
	CPIO_NONE,
	CPIO_ODC,    /* "070707", octal ASCII */
	CPIO_NEWC,   /* "070701"/"070702", hex ASCII */
	CPIO_BIN_LE, /* old binary, 0x71c7 in little-endian 16-bit words */
	CPIO_BIN_BE, /* old binary, big-endian (PDP-11 order aside) */
};

#define CPIO_BIN_HDR   26
#define CPIO_BIN_MAGIC 070707

static uint16_t
bin16(const uint8_t *p, size_t at, bool be)
{
	return be ? Sl_get_be16(p + at) : Sl_get_le16(p + at);
}

/*
 * One old binary cpio header at p: 13 16-bit words (magic, dev, ino,
 * mode, uid, gid, nlink, rdev, mtime[2], namesize, filesize[2]), then the
 * name and the data, each padded to an even length.  Its two-byte magic
 * turns up every 32 KiB in compressed data, so a header counts only if its
 * mode is a file type, its name is 2..SL_CPIO_BIN_MAX_NAME bytes of text
 * ending in its only NUL and it is a link of at least one.  *next gets the
 * offset of the header after it.
 */
static bool
cpio_bin_one(const uint8_t *p, size_t n, bool be, uint64_t *next)
{
	struct Sl_rd r;
	uint16_t mode, nlink, namesize;
	uint32_t filesize;
	const uint8_t *name;
	size_t i;

	if (n < CPIO_BIN_HDR)
		return false;
	Sl_rd_init(&r, p, n);
	if ((be ? Sl_rd_be16(&r) : Sl_rd_le16(&r)) != CPIO_BIN_MAGIC)
		return false;
	Sl_rd_skip(&r, 4); /* dev, ino */
	mode = bin16(p, 6, be);
	nlink = bin16(p, 12, be);
	namesize = bin16(p, 20, be);
	filesize = (uint32_t)bin16(p, 22, be) << 16 | bin16(p, 24, be);
	Sl_rd_skip(&r, CPIO_BIN_HDR - 6);
	/* UNTRUSTED: the name size, against the bytes present. */
	if (namesize < 2 || namesize > SL_CPIO_BIN_MAX_NAME)
		return false;
	name = Sl_rd_bytes(&r, namesize);
	if (r.bad || name[namesize - 1] != 0)
		return false;
	for (i = 0; i + 1 < namesize; i++)
		if (name[i] < 0x20 || name[i] == 0x7f)
			return false;
	if (namesize == 11 && memcmp(name, "TRAILER!!!", 11) == 0)
		mode = 0100000, nlink = 1; /* the end marker has mode 0 */
	switch (mode & 0170000) {
	case 0040000:
	case 0100000:
	case 0120000:
	case 0020000:
	case 0060000:
	case 0010000:
	case 0140000: break;
	default: return false;
	}
	if (nlink == 0)
		return false;
	*next = CPIO_BIN_HDR + ((uint64_t)namesize + 1) / 2 * 2 +
	        ((uint64_t)filesize + 1) / 2 * 2;
	return true;
}

/*
 * Is there an old binary cpio header at p?  With two, the header after it
 * must be one too (the end marker, for an archive of one file), which
 * leaves a chance match in compressed data far below once per gigabyte:
 * bids and resyncs ask for two, the walk over an archive for one.
 */
static enum cpio_kind
cpio_bin(const uint8_t *p, size_t n, bool two)
{
	uint64_t next, next2;
	bool be;

	if (n < CPIO_BIN_HDR)
		return CPIO_NONE;
	if (p[0] == 0xc7 && p[1] == 0x71)
		be = false;
	else if (p[0] == 0x71 && p[1] == 0xc7)
		be = true;
	else
		return CPIO_NONE;
	if (!cpio_bin_one(p, n, be, &next))
		return CPIO_NONE;
	if (two && (next >= n ||
	            !cpio_bin_one(p + next, n - (size_t)next, be, &next2)))
		return CPIO_NONE;
	return be ? CPIO_BIN_BE : CPIO_BIN_LE;
}

/* Which cpio header is at p, if any?  two: as for cpio_bin. */
static enum cpio_kind
cpio_kind(const uint8_t *p, size_t n, bool two)
{
	if (n >= 2 && (p[0] == 0xc7 || p[0] == 0x71))
		return cpio_bin(p, n, two);
	if (n < 76 || memcmp(p, "07070", 5) != 0)
		return CPIO_NONE;
	if (p[5] == '7')
		return all_digits(p + 6, 70, false) ? CPIO_ODC : CPIO_NONE;
	if (p[5] == '1' || p[5] == '2')
		return n >= 110 && all_digits(p + 6, 104, true) ? CPIO_NEWC
		                                                : CPIO_NONE;
	return CPIO_NONE;
}

static bool
cpio_header(const uint8_t *p, size_t n)
{
	return cpio_kind(p, n, true) != CPIO_NONE;
}

/* Is there a tar header with the ustar magic and a valid checksum at p? */
static bool
tar_header(const uint8_t *p, size_t n)
{
	uint64_t want = 0, sum = 0;
	int64_t ssum = 0;
	size_t i = 148, digits = 0;

	if (n < 512 || memcmp(p + 257, "ustar", 5) != 0)
		return false;
	while (i < 156 && p[i] == ' ')
		i++;
	for (; i < 156 && p[i] >= '0' && p[i] <= '7'; i++, digits++)
		want = want * 8 + (uint64_t)(p[i] - '0');
	if (digits == 0 || (i < 156 && p[i] != 0 && p[i] != ' '))
		return false;
	/* The sum counts the checksum field itself as eight spaces. */
	for (i = 0; i < 512; i++) {
		uint8_t c = i >= 148 && i < 156 ? ' ' : p[i];

		sum += c;
		ssum += (int8_t)c;
	}
	return sum == want || ssum == (int64_t)want;
}

static uint32_t
digits_value(const uint8_t *p, size_t n, unsigned base)
{
	uint32_t v = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		uint32_t d = p[i] <= '9' ? (uint32_t)(p[i] - '0')
		                         : (uint32_t)((p[i] | 0x20) - 'a' + 10);

		v = v * base + d;
	}
	return v;
}

/* What a header about to be handed to libarchive is. */
enum arc_hdr {
	ARC_HDR_OK,
	ARC_HDR_BAD,   /* damaged: why says how */
	ARC_HDR_OTHER, /* a header of another kind: start a new session */
};

/*
 * Can libarchive, which read the first header of its session at first,
 * be handed the cpio header at p?  It must not see junk, which it would
 * skip on its own, nor a header of another kind (newc and odc may be
 * mixed), and it reserves a buffer as large as the name size a header
 * claims (up to 4 GB) before it finds out that the bytes are not there.
 */
static enum arc_hdr
cpio_check(const uint8_t *p, size_t n, const uint8_t *first, const char **why)
{
	enum cpio_kind k = cpio_kind(p, n, false);
	uint32_t namesize;
	size_t hlen;

	if (k == CPIO_NONE) {
		*why = "no cpio header there";
		return ARC_HDR_BAD;
	}
	/* p lies at or after first in the same blob. */
	if (k != cpio_kind(first, (size_t)(p - first) + n, false))
		return ARC_HDR_OTHER;
	/* UNTRUSTED: the name size, checked against the bytes present. */
	if (k == CPIO_BIN_LE || k == CPIO_BIN_BE) {
		hlen = CPIO_BIN_HDR;
		namesize = bin16(p, 20, k == CPIO_BIN_BE);
	} else if (k == CPIO_ODC) {
		hlen = 76;
		namesize = digits_value(p + 59, 6, 8);
	} else {
		hlen = 110;
		namesize = digits_value(p + 94, 8, 16);
	}
	if (namesize > n - hlen) {
		*why = "its name runs past the end of the data";
		return ARC_HDR_BAD;
	}
	return ARC_HDR_OK;
}

/* The next cpio header at or after from, or SIZE_MAX. */
static size_t
cpio_resync(const uint8_t *p, size_t n, size_t from)
{
	for (; from < n; from++)
		if ((p[from] == '0' || p[from] == 0xc7 || p[from] == 0x71) &&
		    cpio_header(p + from, n - from))
			return from;
	return SIZE_MAX;
}

/* The next tar header on a block boundary at or after from, or SIZE_MAX. */
static size_t
tar_resync(const uint8_t *p, size_t n, size_t from)
{
	size_t at = from + 511 < from ? SIZE_MAX : (from + 511) & ~(size_t)511;

	for (; at < n && n - at >= 512; at += 512)
		if (tar_header(p + at, n - at))
			return at;
	return SIZE_MAX;
}

static int
cpio_bid(const uint8_t *p, size_t n)
{
	switch (cpio_kind(p, n, true)) {
	case CPIO_NONE: return 0;
	case CPIO_BIN_LE:
	case CPIO_BIN_BE: return 60;
	default: return 90;
	}
}

static int
tar_bid(const uint8_t *p, size_t n)
{
	return tar_header(p, n) ? 90 : 0;
}

static int
zip_bid(const uint8_t *p, size_t n)
{
	if (n < 30 || memcmp(p, "PK\003\004", 4) != 0)
		return 0;
	/* Version needed to extract: 6.3 is the newest APPNOTE. */
	if (Sl_get_le16(p + 4) > 63 || Sl_get_le16(p + 26) == 0)
		return 0;
	return 80;
}

static const struct Sl_magic cpio_magics[] = {
    {"070701", 6, 0},   {"070702", 6, 0},   {"070707", 6, 0},
    {"\xc7\x71", 2, 0}, {"\x71\xc7", 2, 0}, {NULL, 0, 0},
};

static const struct Sl_magic tar_magics[] = {
    {"ustar", 5, 257},
    {NULL, 0, 0},
};

static const struct Sl_magic zip_magics[] = {
    {"PK\003\004", 4, 0},
    {NULL, 0, 0},
};

/* ---- what the walk over cpio and tar needs per format ------------- */

struct arc_fmt {
	int (*support)(struct archive *);
	/* Optional: may the header at p be handed to libarchive? */
	enum arc_hdr (*check)(const uint8_t *p, size_t n, const uint8_t *first,
	                      const char **why);
	size_t (*resync)(const uint8_t *p, size_t n, size_t from);
	size_t step; /* a damaged header is skipped by at least this */
	size_t pad;  /* zeros after the end marker up to this multiple */
};

static const struct arc_fmt cpio_fmt = {
    archive_read_support_format_cpio, cpio_check, cpio_resync, 1, CPIO_BLOCK,
};

static const struct arc_fmt tar_fmt = {
    archive_read_support_format_tar, NULL, tar_resync, 512, TAR_RECORD,
};

static const char *
arc_err(struct archive *a)
{
	const char *s = archive_error_string(a);

	return s != NULL ? s : "no detail";
}

/*
 * libarchive converts names to the calling thread's locale, and the C
 * locale cannot hold UTF-8: a zip entry flagged UTF-8 would lose its name.
 * Every call into libarchive runs with this thread switched to C.UTF-8,
 * so names come out as the bytes they are, whatever the program's locale.
 */
static pthread_once_t utf8_once = PTHREAD_ONCE_INIT;
static locale_t utf8_locale;

static void
utf8_init(void)
{
	utf8_locale = newlocale(LC_CTYPE_MASK, "C.UTF-8", (locale_t)0);
}

static locale_t
arc_enter(void)
{
	pthread_once(&utf8_once, utf8_init);
	if (utf8_locale == (locale_t)0)
		return (locale_t)0;
	return uselocale(utf8_locale);
}

static void
arc_leave(locale_t old)
{
	if (old != (locale_t)0)
		uselocale(old);
}

/*
 * Is libarchive's warning about a name it could not convert?  The name is
 * then kept as the bytes it is (tar) or missing (zip, which is reported
 * on its own), so the warning itself tells nothing more.
 */
static bool
arc_charset_warning(struct archive *a)
{
	const char *s = archive_error_string(a);

	return s != NULL && strstr(s, "be converted") != NULL;
}

static struct archive *
arc_new(int (*support)(struct archive *), const uint8_t *p, size_t n)
{
	struct archive *a = archive_read_new();

	if (a == NULL)
		return NULL;
	if (support(a) != ARCHIVE_OK ||
	    archive_read_open_memory(a, p, n) != ARCHIVE_OK) {
		archive_read_free(a);
		return NULL;
	}
	return a;
}

/* ---- the layer's entries by name ----------------------------------- */

struct arc_open {
	struct Sl_layer *l;
	struct Sl_node **tab; /* open addressing, keyed by node->inner */
	size_t tabcap, tabn;
	uint64_t nhdr; /* headers libarchive returned */
	uint64_t end;  /* furthest byte known to be the archive's */
	bool cut;      /* an entry's content was found truncated */
};

/* Strip what Sl_add strips from the ends of a name: "/", "./", "/". */
static const char *
arc_norm(const char *s, size_t *n)
{
	size_t len;

	while (*s == '/' || (s[0] == '.' && s[1] == '/'))
		s += *s == '/' ? 1 : 2;
	len = strlen(s);
	while (len > 0 && s[len - 1] == '/')
		len--;
	*n = len;
	return s;
}

static size_t
arc_hash(const char *s, size_t n)
{
	uint64_t h = 14695981039346656037ULL;
	size_t i;

	for (i = 0; i < n; i++)
		h = (h ^ (uint8_t)s[i]) * 1099511628211ULL;
	return (size_t)h;
}

static struct Sl_node **
arc_slot(struct Sl_node **tab, size_t cap, const char *s, size_t n)
{
	size_t i = arc_hash(s, n) & (cap - 1);

	while (tab[i] != NULL &&
	       (strncmp(tab[i]->inner, s, n) != 0 || tab[i]->inner[n] != 0))
		i = (i + 1) & (cap - 1);
	return &tab[i];
}

static struct Sl_node *
arc_find(const struct arc_open *o, const char *name)
{
	size_t n;
	const char *s = arc_norm(name, &n);

	if (o->tabcap == 0 || n == 0)
		return NULL;
	return *arc_slot(o->tab, o->tabcap, s, n);
}

/* Index a node; on failure to grow it just stays unindexed. */
static void
arc_index(struct arc_open *o, struct Sl_node *node)
{
	struct Sl_node **slot;
	size_t i;

	if ((o->tabn + 1) * 2 > o->tabcap) {
		size_t cap = o->tabcap ? o->tabcap * 2 : 64;
		struct Sl_node **t;

		if (cap > SIZE_MAX / sizeof(*t) ||
		    (t = calloc(cap, sizeof(*t))) == NULL)
			return;
		for (i = 0; i < o->tabcap; i++)
			if (o->tab[i] != NULL)
				*arc_slot(t, cap, o->tab[i]->inner,
				          strlen(o->tab[i]->inner)) = o->tab[i];
		free(o->tab);
		o->tab = t;
		o->tabcap = cap;
	}
	slot = arc_slot(o->tab, o->tabcap, node->inner, strlen(node->inner));
	if (*slot == NULL) {
		*slot = node;
		o->tabn++;
	}
}

/*
 * Add one entry.  A path seen before is replaced, as it would be when the
 * archive is extracted: the later entry wins.
 */
static struct Sl_node *
arc_add(struct arc_open *o, const char *name, const struct sl_entry *e)
{
	struct Sl_node *n = arc_find(o, name);
	const char *path, *link = NULL;

	if (n == NULL) {
		n = Sl_add(o->l, name, e);
		if (n != NULL)
			arc_index(o, n);
		return n;
	}
	if (e->link != NULL) {
		link = Sl_arena_strdup(Sl_scan_arena(o->l->scan), e->link);
		if (link == NULL)
			return NULL;
	}
	path = n->e.path;
	n->e = *e;
	n->e.path = path;
	n->e.link = link;
	n->e.format = NULL;
	n->e.has_sha256 = false;
	n->e.depth = o->l->depth;
	n->e.mode &= 07777;
	n->ref = n->ref2 = 0;
	n->priv = NULL;
	return n;
}

/* ---- one entry -------------------------------------------------- */

static const char *
arc_name(struct archive_entry *ae)
{
	const char *s = archive_entry_pathname(ae);

	return s != NULL ? s : archive_entry_pathname_utf8(ae);
}

static void
arc_entry(struct archive_entry *ae, struct sl_entry *e)
{
	int64_t v;

	memset(e, 0, sizeof(*e));
	switch (archive_entry_filetype(ae)) {
	case AE_IFDIR: e->type = SL_FT_DIR; break;
	case AE_IFLNK: e->type = SL_FT_LNK; break;
	case AE_IFCHR: e->type = SL_FT_CHR; break;
	case AE_IFBLK: e->type = SL_FT_BLK; break;
	case AE_IFIFO: e->type = SL_FT_FIFO; break;
	case AE_IFSOCK: e->type = SL_FT_SOCK; break;
	default: e->type = SL_FT_REG; break;
	}
	e->mode = (uint32_t)archive_entry_perm(ae) & 07777;
	v = archive_entry_uid(ae);
	e->uid = v < 0 || v > UINT32_MAX ? 0 : (uint32_t)v;
	v = archive_entry_gid(ae);
	e->gid = v < 0 || v > UINT32_MAX ? 0 : (uint32_t)v;
	e->mtime = archive_entry_mtime_is_set(ae) ? archive_entry_mtime(ae) : 0;
	v = archive_entry_size_is_set(ae) ? archive_entry_size(ae) : 0;
	e->size = v < 0 ? 0 : (uint64_t)v;
	if (e->type == SL_FT_LNK) {
		e->link = archive_entry_symlink(ae);
		if (e->link == NULL)
			e->link = archive_entry_symlink_utf8(ae);
		if (e->link == NULL)
			e->link = "";
		e->size = strlen(e->link);
	}
}

enum slice { SLICE_OK, SLICE_SCATTERED, SLICE_SHORT };

/*
 * Where the current entry's content lies in the layer.  libarchive hands
 * out pointers into the memory it was given; the content is a slice when
 * those form one run of exactly want bytes inside the layer.  *off and
 * *got receive where the content starts and how much of it was seen.
 */
static enum slice
arc_slice(struct archive *a, const struct Sl_layer *l, uint64_t want,
          uint64_t *off, uint64_t *got)
{
	const void *buf;
	size_t n;
	la_int64_t at;
	uintptr_t lo = (uintptr_t)l->data, hi = lo + l->len, p, next = 0;
	uint64_t seen = 0;
	bool scattered = false;
	int r;

	*off = UINT64_MAX;
	while ((r = archive_read_data_block(a, &buf, &n, &at)) == ARCHIVE_OK) {
		if (n == 0)
			continue;
		p = (uintptr_t)buf;
		/* UNTRUSTED: a run outside the layer or after a hole. */
		if (p < lo || p > hi || n > hi - p || at < 0 ||
		    (uint64_t)at != seen || (seen > 0 && p != next)) {
			scattered = true;
		} else if (seen == 0) {
			*off = p - lo;
		}
		next = p + n;
		seen += n;
	}
	*got = scattered ? 0 : seen;
	if (r != ARCHIVE_EOF)
		return SLICE_SHORT;
	if (scattered || seen != want)
		return SLICE_SCATTERED;
	if (want == 0)
		*off = 0;
	return SLICE_OK;
}

/*
 * A hard link: point it at the regular file it names, which is listed
 * before it.  newc cpio stores the content with the last link, so content
 * found here moves to the target when the target has none.
 */
static void
arc_hardlink(struct arc_open *o, struct sl_entry *e, const char *target,
             const char *name, uint64_t hdr, uint64_t off, bool has_data)
{
	struct Sl_layer *l = o->l;
	struct Sl_node *t = arc_find(o, target), *n;

	if (t != NULL && t->e.type == SL_FT_HARDLINK && t->e.link != NULL)
		t = arc_find(o, t->e.link);
	if (t == NULL || t->e.type != SL_FT_REG) {
		if (has_data) {
			/* The first names were refused: this is the file. */
			n = arc_add(o, name, e);
			if (n != NULL)
				n->ref = off;
			return;
		}
		Sl_incomplete(l->scan,
		              "%s: hard link \"%.200s\" at offset 0x%llx names "
		              "\"%.200s\", which is no file of the archive",
		              l->prefix, name, (unsigned long long)hdr, target);
		e->type = SL_FT_HARDLINK;
		e->link = target;
		e->size = 0;
		(void)arc_add(o, name, e);
		return;
	}
	if (has_data && t->e.size == 0) {
		t->e.size = e->size;
		t->ref = off;
	}
	e->type = SL_FT_HARDLINK;
	e->link = t->inner;
	e->size = t->e.size;
	(void)arc_add(o, name, e);
}

/* List the entry libarchive has just read; its header is at hdr. */
static void
arc_one(struct arc_open *o, struct archive *a, struct archive_entry *ae,
        uint64_t hdr)
{
	struct Sl_layer *l = o->l;
	struct sl_entry e;
	struct Sl_node *n;
	const char *name = arc_name(ae), *hard;
	uint64_t off = UINT64_MAX, got = 0;
	enum slice sr = SLICE_OK;

	if (name == NULL) {
		Sl_incomplete(l->scan,
		              "%s: entry at offset 0x%llx has no readable name",
		              l->prefix, (unsigned long long)hdr);
		return;
	}
	arc_entry(ae, &e);
	hard = archive_entry_hardlink(ae);
	if (hard == NULL)
		hard = archive_entry_hardlink_utf8(ae);
	if (e.type == SL_FT_REG || hard != NULL) {
		sr = arc_slice(a, l, e.size, &off, &got);
		if (got > 0 && off + got > o->end)
			o->end = off + got;
	}
	if (sr == SLICE_SHORT) {
		o->cut = true;
		Sl_incomplete(
		    l->scan,
		    "%s: archive truncated at offset 0x%llx: "
		    "\"%.200s\" (header at 0x%llx) has %llu of its "
		    "%llu bytes (%s)",
		    l->prefix, (unsigned long long)(got > 0 ? off + got : hdr),
		    name, (unsigned long long)hdr, (unsigned long long)got,
		    (unsigned long long)e.size, arc_err(a));
	} else if (sr == SLICE_SCATTERED)
		Sl_incomplete(l->scan,
		              "%s: \"%.200s\" at offset 0x%llx is a sparse "
		              "file; its content is not read",
		              l->prefix, name, (unsigned long long)hdr);
	if (sr != SLICE_OK)
		off = UINT64_MAX; /* reading it fails, naming the file */
	if (hard != NULL) {
		arc_hardlink(o, &e, hard, name, hdr, off,
		             sr == SLICE_OK && e.size > 0);
		return;
	}
	n = arc_add(o, name, &e);
	if (n != NULL && e.type == SL_FT_REG)
		n->ref = off;
}

/* ---- cpio and tar --------------------------------------------------- */

/*
 * List the entries of one libarchive session over data[base..len).  When
 * a header is damaged, returns its offset and why; when it is of another
 * kind, its offset with *other set; SIZE_MAX when the archive ended
 * (*clean set when at its end marker).
 */
static size_t
arc_walk(struct arc_open *o, const struct arc_fmt *f, size_t base, bool *clean,
         bool *other, char *why, size_t whylen)
{
	struct Sl_layer *l = o->l;
	struct archive *a;
	struct archive_entry *ae;
	uint64_t next = base, hdr;
	size_t bad = SIZE_MAX;
	const char *bad_why = "";
	enum arc_hdr kind;
	int r;

	a = arc_new(f->support, l->data + base, l->len - base);
	if (a == NULL)
		return SIZE_MAX; /* out of memory, or libarchive disagrees */
	for (;;) {
		kind = f->check == NULL
		           ? ARC_HDR_OK
		           : f->check(l->data + next, l->len - next,
		                      l->data + base, &bad_why);
		if (kind != ARC_HDR_OK) {
			snprintf(why, whylen, "%s", bad_why);
			*other = kind == ARC_HDR_OTHER;
			bad = (size_t)next;
			break;
		}
		r = archive_read_next_header(a, &ae);
		if (r == ARCHIVE_EOF) {
			next = base + (uint64_t)archive_filter_bytes(a, 0);
			*clean = true;
			break;
		}
		if (r == ARCHIVE_FATAL || r == ARCHIVE_RETRY) {
			snprintf(why, whylen, "%s", arc_err(a));
			bad = (size_t)next;
			break;
		}
		hdr = base + (uint64_t)archive_read_header_position(a);
		o->nhdr++;
		if (r == ARCHIVE_FAILED ||
		    (r == ARCHIVE_WARN && !arc_charset_warning(a)))
			Sl_incomplete(
			    l->scan, "%s: entry at offset 0x%llx%s: %s",
			    l->prefix, (unsigned long long)hdr,
			    r == ARCHIVE_FAILED ? " skipped" : "", arc_err(a));
		if (r != ARCHIVE_FAILED)
			arc_one(o, a, ae, hdr);
		if (archive_read_data_skip(a) != ARCHIVE_OK) {
			/* The content was cut short: nothing can follow. */
			if (!o->cut)
				Sl_incomplete(l->scan,
				              "%s: archive truncated in the "
				              "entry at offset 0x%llx: %s",
				              l->prefix,
				              (unsigned long long)hdr,
				              arc_err(a));
			next = l->len;
			break;
		}
		next = base + (uint64_t)archive_filter_bytes(a, 0);
		if (next > o->end)
			o->end = next;
	}
	if (next > o->end)
		o->end = next;
	archive_read_free(a);
	return bad;
}

/* The end, extended over zero padding up to the next multiple of unit. */
static uint64_t
arc_pad(const struct Sl_layer *l, uint64_t end, size_t unit)
{
	uint64_t b = (end + unit - 1) / unit * unit, i;

	if (b > l->len)
		b = l->len;
	for (i = end; i < b; i++)
		if (l->data[i] != 0)
			return end;
	return b;
}

static sl_rc
arc_open(struct Sl_layer *l, const struct arc_fmt *f)
{
	struct arc_open o = {.l = l};
	char why[256];
	size_t base = 0, bad, resume;
	unsigned nresync = 0;
	bool clean = false, other;

	for (;;) {
		why[0] = 0;
		other = false;
		bad = arc_walk(&o, f, base, &clean, &other, why, sizeof(why));
		if (bad == SIZE_MAX || (o.nhdr == 0 && base == 0))
			break;
		if (other) {
			/* Each session reads at least one header. */
			base = bad;
			continue;
		}
		/* Damage: list what follows from the next valid header. */
		resume = f->resync(l->data, l->len, bad + f->step);
		if (resume != SIZE_MAX && ++nresync > ARC_MAX_RESYNC) {
			Sl_incomplete(l->scan,
			              "%s: more than %u damaged headers; the "
			              "rest of it was not read",
			              l->prefix, ARC_MAX_RESYNC);
			break;
		}
		if (resume == SIZE_MAX) {
			Sl_incomplete(l->scan,
			              "%s: damaged header at offset 0x%llx "
			              "(%s); no valid header follows",
			              l->prefix, (unsigned long long)bad, why);
			break;
		}
		Sl_incomplete(l->scan,
		              "%s: damaged header at offset 0x%llx (%s); "
		              "listing resumed at offset 0x%llx",
		              l->prefix, (unsigned long long)bad, why,
		              (unsigned long long)resume);
		base = resume;
	}
	free(o.tab);
	if (o.nhdr == 0 && !clean)
		return SL_E_MALFORMED;
	l->size = clean ? arc_pad(l, o.end, f->pad) : o.end;
	if (l->size == 0 || l->size > l->len)
		l->size = l->len;
	return SL_OK;
}

static sl_rc
cpio_open(struct Sl_layer *l)
{
	locale_t old = arc_enter();
	sl_rc rc = arc_open(l, &cpio_fmt);

	arc_leave(old);
	return rc;
}

static sl_rc
tar_open(struct Sl_layer *l)
{
	locale_t old = arc_enter();
	sl_rc rc = arc_open(l, &tar_fmt);

	arc_leave(old);
	return rc;
}

/* ---- zip ---------------------------------------------------------- */

/* A libarchive handle that will read header number next. */
struct zip_cursor {
	struct archive *a;
	uint64_t next;
};

struct zip_priv {
	pthread_mutex_t lock;
	size_t len; /* bytes handed to libarchive */
	struct zip_cursor park[ZIP_PARK];
	size_t npark;
};

static uint64_t
get_le64(const uint8_t *p)
{
	return Sl_get_le32(p) | (uint64_t)Sl_get_le32(p + 4) << 32;
}

/*
 * Bytes a zip starting at p occupies: up to the end of the first end of
 * central directory record whose directory ends where the record (or its
 * zip64 twin) starts.  Failing that, the first record that follows a
 * central directory at all (a zip whose offsets count from an earlier
 * start, as self-extractors do).  0 when there is none.
 */
static uint64_t
zip_extent(const uint8_t *p, size_t n)
{
	const uint8_t *q;
	size_t at = 0, e;
	uint64_t loose = 0, cdoff, cdsize, z, end;

	while (at < n && (q = memmem(p + at, n - at, "PK\005\006", 4))) {
		e = (size_t)(q - p);
		at = e + 1;
		/* UNTRUSTED: the record's fields. */
		if (n - e < 22 || n - e - 22 < Sl_get_le16(q + 20))
			continue;
		end = e + 22 + Sl_get_le16(q + 20);
		cdsize = Sl_get_le32(q + 12);
		cdoff = Sl_get_le32(q + 16);
		if (cdoff + cdsize == e)
			return end;
		if (e >= 20 && memcmp(q - 20, "PK\006\007", 4) == 0) {
			z = get_le64(q - 12);
			if (z <= e - 20 && e - 20 - z >= 56 &&
			    memcmp(p + z, "PK\006\006", 4) == 0) {
				cdsize = get_le64(p + z + 40);
				cdoff = get_le64(p + z + 48);
				if (cdoff <= z && cdsize == z - cdoff)
					return end;
			}
		}
		if (loose == 0 && cdsize > 0 && cdsize <= e &&
		    memcmp(p + e - cdsize, "PK\001\002", 4) == 0)
			loose = end;
	}
	return loose;
}

/* Count the bytes of an entry whose size its header left out. */
static uint64_t
zip_measure(struct archive *a, uint64_t max)
{
	const void *buf;
	size_t n;
	la_int64_t at;
	uint64_t total = 0;

	while (archive_read_data_block(a, &buf, &n, &at) == ARCHIVE_OK) {
		total += n;
		if (total > max)
			break;
	}
	return total;
}

static void
zip_one(struct arc_open *o, struct archive *a, struct archive_entry *ae,
        uint64_t idx)
{
	struct Sl_layer *l = o->l;
	struct sl_entry e;
	struct Sl_node *n;
	const char *name = arc_name(ae), *fmt;
	uint64_t off = 0, got = 0;

	if (name == NULL) {
		Sl_incomplete(l->scan, "%s: entry %llu has no readable name",
		              l->prefix, (unsigned long long)idx);
		return;
	}
	arc_entry(ae, &e);
	if (e.type != SL_FT_REG) {
		(void)arc_add(o, name, &e);
		return;
	}
	if (archive_entry_is_data_encrypted(ae))
		Sl_incomplete(l->scan,
		              "%s: \"%.200s\" is encrypted; its content is not "
		              "read",
		              l->prefix, name);
	/*
	 * Stored content is a slice of the image; libarchive names the
	 * method only in the format name ("ZIP 1.0 (uncompressed)").
	 * Anything else is left for zip_read().
	 */
	fmt = archive_format_name(a);
	if (archive_entry_size_is_set(ae) && fmt != NULL &&
	    strstr(fmt, "(uncompressed)") != NULL &&
	    !archive_entry_is_data_encrypted(ae) &&
	    arc_slice(a, l, e.size, &off, &got) == SLICE_OK) {
		n = arc_add(o, name, &e);
		if (n != NULL) {
			n->ref = off;
			n->ref2 = ZIP_SLICE;
		}
		return;
	}
	if (!archive_entry_size_is_set(ae))
		e.size = zip_measure(a, Sl_limits(l->scan)->max_file);
	n = arc_add(o, name, &e);
	if (n != NULL) {
		n->ref = idx;
		n->ref2 = ZIP_WALK;
	}
}

static void
zip_free(struct zip_priv *z)
{
	size_t i;

	for (i = 0; i < z->npark; i++)
		archive_read_free(z->park[i].a);
	pthread_mutex_destroy(&z->lock);
	free(z);
}

static sl_rc
zip_list(struct Sl_layer *l)
{
	struct arc_open o = {.l = l};
	struct zip_priv *z;
	struct archive *a;
	struct archive_entry *ae;
	uint64_t size = zip_extent(l->data, l->len), idx = 0;
	int r;

	z = calloc(1, sizeof(*z));
	if (z == NULL)
		return SL_E_NOMEM;
	if (pthread_mutex_init(&z->lock, NULL) != 0) {
		free(z);
		return SL_E_NOMEM;
	}
	/*
	 * With its end record last, libarchive reads the central directory;
	 * without, it walks the local headers from the start.
	 */
	z->len = size != 0 ? (size_t)size : l->len;
	a = arc_new(archive_read_support_format_zip, l->data, z->len);
	if (a == NULL) {
		zip_free(z);
		return SL_E_NOMEM;
	}
	for (;;) {
		r = archive_read_next_header(a, &ae);
		if (r == ARCHIVE_EOF)
			break;
		if (r == ARCHIVE_FATAL) {
			/* Without a directory, the end shows up as damage. */
			if (o.nhdr > 0 && size != 0)
				Sl_incomplete(l->scan,
				              "%s: entry %llu is damaged: %s; "
				              "the rest of it was not read",
				              l->prefix,
				              (unsigned long long)idx,
				              arc_err(a));
			break;
		}
		/* read() counts headers the same way to find entry idx. */
		idx++;
		o.nhdr++;
		if (r != ARCHIVE_OK && !arc_charset_warning(a))
			Sl_incomplete(l->scan, "%s: entry %llu%s: %s",
			              l->prefix, (unsigned long long)(idx - 1),
			              r == ARCHIVE_WARN ? "" : " skipped",
			              arc_err(a));
		if (r == ARCHIVE_OK || r == ARCHIVE_WARN)
			zip_one(&o, a, ae, idx - 1);
	}
	if (size == 0) {
		size = (uint64_t)archive_filter_bytes(a, 0);
		if (o.nhdr > 0)
			Sl_incomplete(l->scan,
			              "%s: no end of central directory record; "
			              "entries were listed from the local "
			              "headers up to offset 0x%llx",
			              l->prefix, (unsigned long long)size);
	}
	archive_read_free(a);
	free(o.tab);
	if (o.nhdr == 0 || size == 0 || size > l->len) {
		zip_free(z);
		return SL_E_MALFORMED;
	}
	l->size = size;
	l->priv = z;
	return SL_OK;
}

/* A handle parked at or before entry idx, or a new one. */
static struct zip_cursor
zip_take(struct Sl_layer *l, uint64_t idx)
{
	struct zip_priv *z = l->priv;
	struct zip_cursor c = {NULL, 0};
	size_t i, best = SIZE_MAX;

	pthread_mutex_lock(&z->lock);
	for (i = 0; i < z->npark; i++)
		if (z->park[i].next <= idx &&
		    (best == SIZE_MAX || z->park[i].next > z->park[best].next))
			best = i;
	if (best != SIZE_MAX) {
		c = z->park[best];
		z->park[best] = z->park[--z->npark];
	}
	pthread_mutex_unlock(&z->lock);
	if (c.a == NULL)
		c.a = arc_new(archive_read_support_format_zip, l->data, z->len);
	return c;
}

/* Park a handle for a later read, dropping the one furthest behind. */
static void
zip_park(struct zip_priv *z, struct zip_cursor c)
{
	struct archive *drop = c.a;
	size_t i, low = 0;

	pthread_mutex_lock(&z->lock);
	if (z->npark < ZIP_PARK) {
		z->park[z->npark++] = c;
		drop = NULL;
	} else {
		for (i = 1; i < z->npark; i++)
			if (z->park[i].next < z->park[low].next)
				low = i;
		if (z->park[low].next < c.next) {
			drop = z->park[low].a;
			z->park[low] = c;
		}
	}
	pthread_mutex_unlock(&z->lock);
	if (drop != NULL)
		archive_read_free(drop);
}

static sl_rc
zip_extract(struct Sl_layer *l, const struct Sl_node *node,
            const uint8_t **data, size_t *len, struct Sl_buf *tmp)
{
	struct sl_scan *s = l->scan;
	struct archive_entry *ae;
	struct zip_cursor c;
	const void *buf;
	size_t n;
	la_int64_t at, start;
	sl_rc rc = SL_OK;
	int r = ARCHIVE_OK;

	if (node->ref2 == ZIP_SLICE) {
		/* UNTRUSTED: checked against the layer when listed. */
		if (node->ref > l->size || node->e.size > l->size - node->ref)
			return Sl_fail(s, SL_E_MALFORMED,
			               "%s: content lies past the end of its "
			               "container",
			               node->e.path);
		*data = l->data + node->ref;
		*len = (size_t)node->e.size;
		return SL_OK;
	}
	c = zip_take(l, node->ref);
	if (c.a == NULL)
		return SL_E_NOMEM;
	while (c.next <= node->ref) {
		r = archive_read_next_header(c.a, &ae);
		if (r == ARCHIVE_EOF || r == ARCHIVE_FATAL)
			break;
		c.next++;
	}
	if (c.next <= node->ref) {
		rc = Sl_fail(s, SL_E_MALFORMED, "%s: entry not found again",
		             node->e.path);
		goto out;
	}
	start = archive_filter_bytes(c.a, 0);
	while ((r = archive_read_data_block(c.a, &buf, &n, &at)) ==
	       ARCHIVE_OK) {
		if (n == 0)
			continue;
		/* UNTRUSTED: more content than the directory announced. */
		if (at < 0 || (uint64_t)at != tmp->n ||
		    n > node->e.size - tmp->n) {
			rc = Sl_fail(s, SL_E_MALFORMED,
			             "%s: content does not match its size in "
			             "the central directory",
			             node->e.path);
			goto out;
		}
		rc = Sl_buf_add(tmp, buf, n);
		if (rc != SL_OK)
			goto out;
		if (!Sl_ratio_ok(
		        s, (uint64_t)(archive_filter_bytes(c.a, 0) - start),
		        tmp->n, node->e.path)) {
			rc = SL_E_LIMIT;
			goto out;
		}
	}
	if (r != ARCHIVE_EOF)
		rc = Sl_fail(s, SL_E_MALFORMED, "%s: %s", node->e.path,
		             arc_err(c.a));
	else if (tmp->n != node->e.size)
		rc = Sl_fail(s, SL_E_MALFORMED,
		             "%s: content is %zu bytes, its header says %llu",
		             node->e.path, tmp->n,
		             (unsigned long long)node->e.size);
out:
	if (rc != SL_OK) {
		archive_read_free(c.a);
		return rc;
	}
	zip_park(l->priv, c);
	*data = tmp->p;
	*len = tmp->n;
	return SL_OK;
}

static sl_rc
zip_open(struct Sl_layer *l)
{
	locale_t old = arc_enter();
	sl_rc rc = zip_list(l);

	arc_leave(old);
	return rc;
}

static sl_rc
zip_read(struct Sl_layer *l, const struct Sl_node *node, const uint8_t **data,
         size_t *len, struct Sl_buf *tmp)
{
	locale_t old = arc_enter();
	sl_rc rc = zip_extract(l, node, data, len, tmp);

	arc_leave(old);
	return rc;
}

static void
zip_close(struct Sl_layer *l)
{
	if (l->priv != NULL)
		zip_free(l->priv);
	l->priv = NULL;
}

/* ---- the readers ---------------------------------------------------- */

const struct Sl_reader Sl_reader_cpio = {
    .name = "cpio",
    .description = "cpio archive (newc, crc, odc, old binary)",
    .nest = SL_NEST_WHOLE,
    .magics = cpio_magics,
    .bid = cpio_bid,
    .open = cpio_open,
};

const struct Sl_reader Sl_reader_tar = {
    .name = "tar",
    .description = "tar archive (ustar, GNU, pax)",
    .nest = SL_NEST_WHOLE,
    .magics = tar_magics,
    .bid = tar_bid,
    .open = tar_open,
};

const struct Sl_reader Sl_reader_zip = {
    .name = "zip",
    .description = "zip archive",
    .nest = SL_NEST_WHOLE,
    .magics = zip_magics,
    .bid = zip_bid,
    .open = zip_open,
    .read = zip_read,
    .close = zip_close,
};
