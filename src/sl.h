/*
 * sl.h - what the stages of libstarlab share and the public header does
 * not show: the arena, growable buffers, the bounded read cursor, the
 * scan's internals, the virtual tree's nodes and layers, and the reader
 * interface.  Symbols here are spelled Sl_ (curl's Curl_ convention) and
 * are hidden from the library's users.
 */
#ifndef SL_INTERNAL_H
#define SL_INTERNAL_H

#include <assert.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "../include/starlab.h"
#include "limits.h"

#define SL_ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))
#define SL_PRINTF(f, a) __attribute__((format(printf, f, a)))

/*
 * Should-never-happen conditions (SQLite's ALWAYS/NEVER): in a debug
 * build (no NDEBUG: CMake's Debug, the sanitizer runs) a broken promise
 * stops at the assert; in a release build the test stays, as a branch
 * hint, and the code after it handles the case safely.
 */
#ifndef NDEBUG
#define SL_ALWAYS(x) ((x) ? 1 : (assert(0), 0))
#define SL_NEVER(x)  ((x) ? (assert(0), 1) : 0)
#else
#define SL_ALWAYS(x) (__builtin_expect(!!(x), 1))
#define SL_NEVER(x)  (__builtin_expect(!!(x), 0))
#endif

/* ------------------------------------------------------------------ */
/* Arena: everything derived from a target during one scan.            */
/* ------------------------------------------------------------------ */

struct Sl_arena_chunk;
struct Sl_arena {
	struct Sl_arena_chunk *head;
	size_t used;    /* bytes handed out, for the ceiling */
	size_t ceiling; /* SL_ARENA_MAX unless a test lowers it */
	long fail_at;   /* torture: fail the Nth allocation (0 = never) */
	long nallocs;
	pthread_mutex_t lock;
};

void Sl_arena_init(struct Sl_arena *a, size_t ceiling);
/* Zeroed memory, or NULL when the ceiling is reached.  Thread-safe. */
void *Sl_arena_alloc(struct Sl_arena *a, size_t n);
char *Sl_arena_strdup(struct Sl_arena *a, const char *s);
char *Sl_arena_strndup(struct Sl_arena *a, const char *s, size_t max);
char *Sl_arena_printf(struct Sl_arena *a, const char *fmt, ...) SL_PRINTF(2, 3);
void Sl_arena_free(struct Sl_arena *a);

/* ------------------------------------------------------------------ */
/* Growable buffer with a hard maximum (curl's dynbuf).                */
/* ------------------------------------------------------------------ */

struct Sl_buf {
	uint8_t *p;
	size_t n, cap;
	size_t max;   /* appending past this fails with SL_E_LIMIT */
	sl_rc failed; /* the first failure; sticks until Sl_buf_free */
};

/*
 * max is mandatory (a named cap from limits.h, or a caller's limit): 0 is
 * a programming error (it asserts in a debug build and means
 * SL_BUF_MAX_UNSET in a release build).  Once an append fails (SL_E_LIMIT
 * or SL_E_NOMEM), the buffer is marked failed and every later append
 * fails with the same code, so a writer checks once at the end; the bytes
 * appended before the failure stay until Sl_buf_free or Sl_buf_take.
 */
void Sl_buf_init(struct Sl_buf *b, size_t max);
sl_rc Sl_buf_reserve(struct Sl_buf *b, size_t extra);
sl_rc Sl_buf_add(struct Sl_buf *b, const void *p, size_t n);
sl_rc Sl_buf_addf(struct Sl_buf *b, const char *fmt, ...) SL_PRINTF(2, 3);
/* Start over: empty, not failed; the memory is kept for reuse. */
static inline void
Sl_buf_reset(struct Sl_buf *b)
{
	b->n = 0;
	b->failed = SL_OK;
}
/* Hand the memory to the caller, who frees it; the buffer is emptied. */
uint8_t *Sl_buf_take(struct Sl_buf *b, size_t *n);
void Sl_buf_free(struct Sl_buf *b);

/* ------------------------------------------------------------------ */
/* The toolkit (src/core/toolkit.c): one helper each.                  */
/* ------------------------------------------------------------------ */

/* What follows path's last '/', or path (borrowed, not copied). */
const char *Sl_basename(const char *path);

/*
 * Decode the standard base64 text in[0, n) into out, at most cap bytes,
 * with OpenSSL's EVP decoder.  The text ends at the first '=' (padding is
 * optional; with SL_B64_PAD_END only more '=' may follow it); with
 * SL_B64_SPACE blanks and line breaks are skipped, without it they make
 * the text malformed.  Returns the number of bytes, or -1
 * when the text is not base64 or does not fit in cap.
 */
#define SL_B64_SPACE 1U
/* '=' only as padding at the end: anything after it is malformed. */
#define SL_B64_PAD_END 2U
long Sl_base64_decode(const char *in, size_t n, uint8_t *out, size_t cap,
                      unsigned flags);

/*
 * Read the whole regular file path (opened with O_NOFOLLOW: a symbolic
 * link is refused) of at most max bytes into a malloc'd, NUL-terminated
 * buffer (*len without the NUL; the caller frees).  SL_E_IO when it
 * cannot be opened or is not a regular file, SL_E_LIMIT when it is larger
 * than max, SL_E_NOMEM.  errno is left as the failing call set it.
 */
sl_rc Sl_read_file(const char *path, size_t max, char **out, size_t *len);

/*
 * Make room in the growable array *arr (*cap elements of elem bytes, n in
 * use) for one more: the capacity doubles, starting at first.  Returns
 * false (and leaves *arr as it was) when the size would overflow or the
 * memory is not there.
 */
bool Sl_vec_grow(void **arr, size_t *cap, size_t n, size_t elem, size_t first);

/*
 * A set of 64-bit keys (directory offsets a reader walked already, to end
 * loops): open addressing, grown to stay at most half full.  Zero-filled
 * is empty; Sl_u64set_free releases it.  Sl_u64set_add returns 1 when key
 * was added, 0 when it was there, -1 when the memory is not there.
 */
struct Sl_u64set {
	uint64_t *slot; /* key + 1; 0 = free */
	size_t n, cap;
	bool has_max; /* UINT64_MAX, which has no key + 1 */
};
int Sl_u64set_add(struct Sl_u64set *set, uint64_t key);
void Sl_u64set_free(struct Sl_u64set *set);

/*
 * A worker pool: run fn(arg) on n threads (at most SL_POOL_MAX) that all
 * take their work from arg until none is left, and join them.  When no
 * thread starts, fn(arg) runs once on the caller's thread, so the work is
 * still done.  Flags: SL_POOL_CALLER, the caller is one of the n workers
 * (n - 1 threads, then fn on the caller, even when n is 0);
 * SL_POOL_STOP_AT_FAILURE, stop starting threads at the first that does
 * not start.  Returns the number of threads started.
 */
#define SL_POOL_CALLER          1U
#define SL_POOL_STOP_AT_FAILURE 2U
unsigned Sl_pool_run(unsigned n, void *(*fn)(void *), void *arg,
                     unsigned flags);

/*
 * The same for workers with state of their own: worker i runs
 * fn(args + i * size), i < n (at most SL_POOL_MAX), all taking their work
 * from a queue they share.  Threads stop being started at the first that
 * does not start; with one worker, or when none starts, fn(args) runs on
 * the caller's thread alone.  Returns the number of threads started.
 */
unsigned Sl_pool_run_each(unsigned n, void *(*fn)(void *), void *args,
                          size_t size);

/*
 * How many workers for units of work: the --threads limit of the scan's
 * limits (given as threads, 0 for one per processor), at most cap and
 * units, at least 1.
 */
unsigned Sl_pool_size(unsigned threads, unsigned cap, size_t units);

/* ------------------------------------------------------------------ */
/* Bounded read cursor with a sticky failure flag.                     */
/* ------------------------------------------------------------------ */

struct Sl_rd {
	const uint8_t *p; /* next unread byte */
	size_t left;      /* only ever shrinks */
	bool bad;         /* set on the first short read; stays set */
};

static inline void
Sl_rd_init(struct Sl_rd *r, const void *p, size_t n)
{
	r->p = p;
	r->left = n;
	r->bad = false;
}

static inline bool
Sl_rd_need(struct Sl_rd *r, size_t n)
{
	if (r->bad || r->left < n) {
		r->bad = true;
		return false;
	}
	return true;
}

static inline uint8_t
Sl_rd_u8(struct Sl_rd *r)
{
	uint8_t v;

	if (!Sl_rd_need(r, 1))
		return 0;
	v = r->p[0];
	r->p++;
	r->left--;
	return v;
}

static inline uint16_t
Sl_rd_le16(struct Sl_rd *r)
{
	uint16_t v;

	if (!Sl_rd_need(r, 2))
		return 0;
	v = (uint16_t)(r->p[0] | r->p[1] << 8);
	r->p += 2;
	r->left -= 2;
	return v;
}

static inline uint16_t
Sl_rd_be16(struct Sl_rd *r)
{
	uint16_t v;

	if (!Sl_rd_need(r, 2))
		return 0;
	v = (uint16_t)(r->p[0] << 8 | r->p[1]);
	r->p += 2;
	r->left -= 2;
	return v;
}

static inline uint32_t
Sl_rd_le32(struct Sl_rd *r)
{
	uint32_t v;

	if (!Sl_rd_need(r, 4))
		return 0;
	v = (uint32_t)r->p[0] | (uint32_t)r->p[1] << 8 |
	    (uint32_t)r->p[2] << 16 | (uint32_t)r->p[3] << 24;
	r->p += 4;
	r->left -= 4;
	return v;
}

static inline uint32_t
Sl_rd_be32(struct Sl_rd *r)
{
	uint32_t v;

	if (!Sl_rd_need(r, 4))
		return 0;
	v = (uint32_t)r->p[0] << 24 | (uint32_t)r->p[1] << 16 |
	    (uint32_t)r->p[2] << 8 | (uint32_t)r->p[3];
	r->p += 4;
	r->left -= 4;
	return v;
}

static inline uint64_t
Sl_rd_le64(struct Sl_rd *r)
{
	uint64_t lo = Sl_rd_le32(r);

	return lo | (uint64_t)Sl_rd_le32(r) << 32;
}

static inline uint64_t
Sl_rd_be64(struct Sl_rd *r)
{
	uint64_t hi = Sl_rd_be32(r);

	return hi << 32 | Sl_rd_be32(r);
}

/* Return a pointer to the next n bytes and skip them, or NULL. */
static inline const uint8_t *
Sl_rd_bytes(struct Sl_rd *r, size_t n)
{
	const uint8_t *p;

	if (!Sl_rd_need(r, n))
		return NULL;
	p = r->p;
	r->p += n;
	r->left -= n;
	return p;
}

static inline void
Sl_rd_skip(struct Sl_rd *r, size_t n)
{
	(void)Sl_rd_bytes(r, n);
}

static inline uint32_t
Sl_get_be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | (uint32_t)p[3];
}

static inline uint32_t
Sl_get_le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

static inline void
Sl_put_le32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

static inline uint16_t
Sl_get_le16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static inline uint16_t
Sl_get_be16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

/* a + b into *out; false on overflow. */
static inline bool
Sl_add_ok(uint64_t a, uint64_t b, uint64_t *out)
{
	return !__builtin_add_overflow(a, b, out);
}

/* ------------------------------------------------------------------ */
/* Readers and the virtual tree                                        */
/* ------------------------------------------------------------------ */

struct Sl_layer;
struct Sl_node;

/*
 * How a reader's payloads are searched for further containers.  Files in a
 * filesystem are containers only as a whole (a .tar.gz in /tmp); the
 * payload of a stream or a boot image may hold anything anywhere (a kernel
 * with an initramfs appended), so it is carved.
 */
enum Sl_nest {
	SL_NEST_WHOLE = 0, /* bid at offset 0 only */
	SL_NEST_CARVE,     /* signature carving over the whole payload */
};

/* A magic number a reader can be found by, at off bytes into it. */
struct Sl_magic {
	const char *bytes;
	size_t len;
	size_t off;
};

/*
 * A container format.  One file per format under src/reader/, listed in
 * reader_all.c.  Lifecycle for one container found at some offset:
 *
 *	bid(p, n)        look at the first bytes; 0 = not mine .. 100 = sure
 *	open(layer)      parse; set layer->size; add nodes with Sl_add()
 *	read(layer, node, &data, &len, tmp)   content of a node, any thread
 *	close(layer)     release layer->priv
 *
 * open runs on one thread at a time for a layer; read may run on several
 * threads at once for different nodes and must be thread-safe.  read may
 * be NULL when every node's content is the slice
 * layer->data[node->ref .. node->ref + entry.size).  A reader that
 * decompresses into tmp returns *data = tmp->p.
 */
struct Sl_reader {
	const char *name; /* "squashfs"; appears in paths */
	const char *description;
	enum Sl_nest nest; /* how its payloads are searched */
	const struct Sl_magic
	    *magics; /* for carving; NULL-terminated by len 0 */
	int (*bid)(const uint8_t *p, size_t n);
	sl_rc (*open)(struct Sl_layer *l);
	sl_rc (*read)(struct Sl_layer *l, const struct Sl_node *node,
	              const uint8_t **data, size_t *len, struct Sl_buf *tmp);
	void (*close)(struct Sl_layer *l);
	/*
	 * Optional: the engine has read node and opened nothing inside its
	 * content, so a reader that keeps decoded bytes may drop them; later
	 * reads must then produce them again (into tmp).
	 */
	void (*release)(struct Sl_layer *l, const struct Sl_node *node);
};

/* The table in reader_all.c, NULL-terminated. */
extern const struct Sl_reader *const Sl_readers[];

/*
 * The magic lookup (src/unpack/tree.c): does a reader other than self
 * have a magic that places a container at data + c, and does it bid on
 * what starts there?  Built once from the reader table, so a reader asks
 * instead of walking Sl_readers itself (docs/internals.md).  Reads only
 * inside data[0, len).
 */
bool Sl_magic_other(const uint8_t *data, size_t len, size_t c,
                    const struct Sl_reader *self);

/* One opened container. */
struct Sl_layer {
	struct sl_scan *scan;
	const struct Sl_reader *rd;
	const uint8_t *data; /* first byte of the container */
	size_t len;          /* bytes from data to the end of the parent blob */
	uint64_t size;       /* set by open: bytes the container occupies */
	const char *prefix;  /* "fw.bin@0x200000:squashfs" (no '!') */
	unsigned depth;
	void *priv;           /* reader state */
	uint8_t *owned;       /* a decompressed blob this layer keeps alive */
	struct Sl_node *node; /* the container's own tree entry */
	struct Sl_layer *next;
	struct Sl_node **pending; /* nodes added by open, kept on success */
	size_t npending, cappending;
};

/* One entry of the virtual tree. */
struct Sl_node {
	struct sl_entry e;
	struct Sl_layer *layer; /* the container holding it */
	uint64_t ref;           /* reader-specific: offset, inode number ... */
	uint64_t ref2;
	void *priv;        /* reader-specific */
	const char *inner; /* path inside the layer, without '/' prefix */
	/* The decoded content kept for the checks (tree.c), or NULL. */
	uint8_t *kept;
};

/*
 * Add an entry to the layer.  name is the path inside the container
 * ("etc/shadow", a leading "/" or "./" is dropped).  Names with a ".."
 * component, an empty component or over the length limits are refused
 * and recorded as incomplete.  The template's path is ignored; link is
 * copied.  Returns the node (owned by the scan) or NULL when refused or out
 * of memory; a NULL return never needs more than skipping the entry.
 */
struct Sl_node *Sl_add(struct Sl_layer *l, const char *name,
                       const struct sl_entry *tmpl);

/* Record that the scan is incomplete, with a reason.  Thread-safe. */
void Sl_incomplete(struct sl_scan *s, const char *fmt, ...) SL_PRINTF(2, 3);

/* Set the scan's error detail and return rc. */
sl_rc Sl_fail(struct sl_scan *s, sl_rc rc, const char *fmt, ...)
    SL_PRINTF(3, 4);

/*
 * The detail of the last Sl_fail on the calling thread ("" when none).
 * Worker threads use this rather than sl_scan_error(), which any thread
 * may overwrite.  After a failed Sl_node_read() or sl_tree_read() it is
 * that read's reason, or "" when the read has put its reason in the
 * incomplete list already (a limit that refused it).
 */
const char *Sl_last_error(void);
/* Forget the calling thread's last detail. */
void Sl_error_clear(void);
/* Incomplete lines the calling thread has added (or tried to: a repeat
 * counts too); compared before and after a call, it tells whether the
 * call said anything. */
uint64_t Sl_incomplete_here(void);

/* The scan's limits. */
const struct sl_limits *Sl_limits(const struct sl_scan *s);

/*
 * Account for n bytes about to be decompressed, for the whole-scan budget.
 * Returns SL_E_LIMIT (after recording it as incomplete, naming where) when
 * the budget is spent.
 */
sl_rc Sl_budget(struct sl_scan *s, uint64_t n, const char *where);

/*
 * Is out bytes from in compressed bytes within the ratio limit?  Small
 * outputs always are.  On a refusal, records where as incomplete.
 */
bool Sl_ratio_ok(struct sl_scan *s, uint64_t in, uint64_t out,
                 const char *where);

/*
 * CRC-32 as the Linux kernel's crc32_le(seed, p, n) computes it: the
 * reflected 0xEDB88320 polynomial without zlib's pre- and post-inversion.
 * UBI and UBIFS seed it with 0xffffffff, JFFS2 with 0.
 */
uint32_t Sl_crc32_le(uint32_t seed, const uint8_t *p, size_t n);

/*
 * Does a computed CRC match the stored one?  Fuzzing builds (the usual
 * FUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION) accept every CRC, so that the
 * fuzzer reaches the parsing behind it.
 */
static inline bool
Sl_crc_match(uint32_t got, uint32_t want)
{
#ifdef FUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION
	(void)got;
	(void)want;
	return true;
#else
	return got == want;
#endif
}

/* Shannon entropy of p[0..n) in bits per byte. */
double Sl_entropy(const uint8_t *p, size_t n);

void Sl_sha256(const void *p, size_t n, uint8_t out[32]);
void Sl_hex(const uint8_t *p, size_t n, char *out); /* out: 2n+1 bytes */

/* Mask a secret for a report: keep the first two chars, star the rest. */
char *Sl_mask(struct Sl_arena *a, const char *secret);

/* The scan's arena. */
struct Sl_arena *Sl_scan_arena(struct sl_scan *s);

/* The node behind a public entry. */
static inline struct Sl_node *
Sl_node_of(const struct sl_entry *e)
{
	return (struct Sl_node *)(void *)e;
}

/* Read a node's content through its reader (used by the tree and checks). */
sl_rc Sl_node_read(struct sl_scan *s, const struct Sl_node *n,
                   const uint8_t **data, size_t *len, struct Sl_buf *tmp);

/*
 * Unpack an in-memory blob into the scan's tree (tests and fuzz targets;
 * sl_scan_firmware maps a file and calls this).  With only set, the top
 * level is offered to that reader alone.  data must outlive the scan.
 */
sl_rc Sl_scan_buffer(struct sl_scan *s, const char *name, const uint8_t *data,
                     size_t len, const struct Sl_reader *only);

#endif /* SL_INTERNAL_H */
