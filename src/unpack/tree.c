/*
 * tree.c - the virtual tree: from an image's bytes to every file inside
 * every nested container, without writing anything to disk.
 *
 * The image is mapped read-only.  Its bytes are carved: every reader's
 * magic numbers are searched, the best bidder at each hit opens the
 * container there and says how many bytes it occupies, and whatever no
 * reader explains becomes a region entry with its entropy.  Each regular
 * file a container yields is then read on a pool of worker threads: its
 * SHA-256 is taken and its content is offered to the readers again, as a
 * whole for files inside filesystems and carved for the payloads of
 * streams and boot images.  A container found that way becomes a new
 * layer whose files join the same work queue.
 *
 * Trust: every byte of the image is hostile.  Readers bound their own
 * parsing; this file bounds nesting depth, entry count, path length, total
 * decompressed bytes and carving attempts (src/limits.h), and records each
 * bound it hits as an "incomplete" reason naming the place.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../core/scan.h"

struct Sl_tls_buf {
	pthread_t thread;
	struct Sl_buf buf;
	struct Sl_tls_buf *next;
};

struct work {
	struct sl_scan *s;
	pthread_mutex_t m;
	pthread_cond_t cv;
	struct Sl_node **q; /* files of the image's own containers, FIFO */
	size_t head, n, cap;
	/*
	 * Files of nested containers, LIFO and served first: a decompressed
	 * stream is then released soon after it was decoded, rather than
	 * after every file queued before it (depth-first keeps memory flat).
	 */
	struct Sl_node **stack;
	size_t nstack, capstack;
	unsigned active;
};

static bool
work_empty(const struct work *w)
{
	return w->head == w->n && w->nstack == 0;
}

static unsigned analyse(struct sl_scan *s, struct work *w, const char *prefix,
                        const uint8_t *data, size_t len, unsigned depth,
                        enum Sl_nest mode, struct Sl_buf *owner, bool *whole);

/* ---- adding entries ---------------------------------------------- */

/*
 * Check one container-relative name.  Returns the normalised start of the
 * name, or NULL when it must be refused (why in *why).
 */
static const char *
clean_name(const char *name, size_t *outlen, const char **why)
{
	const char *p, *c;
	size_t n;

	while (*name == '/' || (name[0] == '.' && name[1] == '/'))
		name += *name == '/' ? 1 : 2;
	n = strlen(name);
	while (n > 0 && name[n - 1] == '/')
		n--;
	if (n == 0 || (n == 1 && name[0] == '.')) {
		*why = NULL; /* the container's root: skipped silently */
		return NULL;
	}
	for (p = name; p < name + n; p = c + 1) {
		c = memchr(p, '/', (size_t)(name + n - p));
		if (c == NULL)
			c = name + n;
		if (c == p) {
			*why = "empty path component";
			return NULL;
		}
		if ((c - p == 2 && p[0] == '.' && p[1] == '.') ||
		    (c - p == 1 && p[0] == '.')) {
			*why = "'.' or '..' path component";
			return NULL;
		}
		if (c - p > SL_MAX_NAME) {
			*why = "path component longer than 255 bytes";
			return NULL;
		}
		if (memchr(p, 0, (size_t)(c - p)) != NULL) {
			*why = "NUL in name";
			return NULL;
		}
	}
	*outlen = n;
	return name;
}

struct Sl_node *
Sl_add(struct Sl_layer *l, const char *name, const struct sl_entry *tmpl)
{
	struct sl_scan *s = l->scan;
	struct Sl_node *node;
	const char *why = NULL, *clean;
	size_t n = 0, plen = strlen(l->prefix);
	bool full;

	clean = clean_name(name, &n, &why);
	if (clean == NULL) {
		if (why != NULL)
			Sl_incomplete(s, "%s: entry \"%.200s\" refused: %s",
			              l->prefix, name, why);
		return NULL;
	}
	if (plen + 2 + n > s->lim.max_path) {
		Sl_incomplete(s,
		              "%s: entry \"%.200s...\" refused: path longer "
		              "than the limit (%u bytes)",
		              l->prefix, clean, s->lim.max_path);
		return NULL;
	}
	pthread_mutex_lock(&s->lock);
	full = s->nnodes + l->npending >= s->lim.max_files;
	if (full && !s->files_hit) {
		s->files_hit = true;
		pthread_mutex_unlock(&s->lock);
		Sl_incomplete(s,
		              "%s: file count limit (%llu entries) reached; "
		              "later entries are not listed",
		              l->prefix, (unsigned long long)s->lim.max_files);
		return NULL;
	}
	pthread_mutex_unlock(&s->lock);
	if (full)
		return NULL;
	node = Sl_arena_alloc(&s->arena, sizeof(*node));
	if (node == NULL)
		return NULL;
	node->e = *tmpl;
	node->e.path =
	    Sl_arena_printf(&s->arena, "%s!/%.*s", l->prefix, (int)n, clean);
	node->e.link = Sl_arena_strdup(&s->arena, tmpl->link);
	node->e.format = NULL;
	node->e.has_sha256 = false;
	node->e.depth = l->depth;
	node->e.mode &= 07777;
	node->layer = l;
	if (node->e.path == NULL || (tmpl->link && node->e.link == NULL))
		return NULL;
	node->inner = node->e.path + plen + 2;
	if (!Sl_ptr_push((void ***)&l->pending, &l->npending, &l->cappending,
	                 node))
		return NULL;
	return node;
}

/* Push a finished node into the tree.  Caller holds s->lock. */
static bool
push_node(struct sl_scan *s, struct Sl_node *n)
{
	s->sorted = false;
	return Sl_ptr_push((void ***)&s->nodes, &s->nnodes, &s->capnodes, n);
}

/* ---- the work queue ---------------------------------------------- */

static void
enqueue(struct work *w, struct Sl_node *n, bool nested)
{
	bool ok;

	pthread_mutex_lock(&w->m);
	if (w->head > 0 && w->head == w->n)
		w->head = w->n = 0;
	if (nested)
		ok = Sl_ptr_push((void ***)&w->stack, &w->nstack, &w->capstack,
		                 n);
	else
		ok = Sl_ptr_push((void ***)&w->q, &w->n, &w->cap, n);
	if (ok)
		pthread_cond_signal(&w->cv);
	pthread_mutex_unlock(&w->m);
}

/* ---- opening containers ------------------------------------------ */

static void
discard_layer(struct Sl_layer *l)
{
	if (l->rd->close != NULL)
		l->rd->close(l);
	free(l->pending);
	l->pending = NULL;
	l->npending = l->cappending = 0;
}

/*
 * Try to open reader rd on data[0..len), found at off within the blob
 * named prefix.  On success the container's entries join the tree, its
 * regular files join the work queue, and the layer is returned.  NULL
 * otherwise, with *refused set when the reader recognised its container
 * but a limit or the lack of memory kept it from being opened.
 */
static struct Sl_layer *
open_layer(struct sl_scan *s, struct work *w, const struct Sl_reader *rd,
           const char *prefix, const uint8_t *data, size_t len, uint64_t off,
           unsigned depth, bool *refused)
{
	struct Sl_layer *l;
	struct Sl_node *cn;
	sl_rc rc;
	size_t i;

	l = Sl_arena_alloc(&s->arena, sizeof(*l));
	if (l == NULL)
		return NULL;
	l->scan = s;
	l->rd = rd;
	l->data = data;
	l->len = len;
	l->depth = depth;
	if (off != 0)
		l->prefix = Sl_arena_printf(&s->arena, "%s@0x%llx:%s", prefix,
		                            (unsigned long long)off, rd->name);
	else
		l->prefix =
		    Sl_arena_printf(&s->arena, "%s:%s", prefix, rd->name);
	if (l->prefix == NULL)
		return NULL;
	if (depth > s->lim.max_depth) {
		Sl_incomplete(s,
		              "%s: nesting depth limit (%u) reached; this "
		              "container was not opened",
		              l->prefix, s->lim.max_depth);
		*refused = true;
		return NULL;
	}
	rc = rd->open(l);
	/*
	 * Not "no such container": the report must say what was missed.  A
	 * limit that refused it has said so; memory has not.
	 */
	if (rc == SL_E_NOMEM)
		Sl_incomplete(s,
		              "%s: out of memory while opening it; not "
		              "unpacked",
		              l->prefix);
	if (rc == SL_E_NOMEM || rc == SL_E_LIMIT)
		*refused = true;
	if (rc != SL_OK || l->size == 0 || l->size > len) {
		discard_layer(l);
		return NULL;
	}
	cn = Sl_arena_alloc(&s->arena, sizeof(*cn));
	if (cn == NULL) {
		discard_layer(l);
		return NULL;
	}
	cn->e.path = l->prefix;
	cn->e.type = SL_FT_CONTAINER;
	cn->e.format = rd->name;
	cn->e.offset = off;
	cn->e.size = l->size;
	cn->e.depth = depth;
	cn->layer = l;
	l->node = cn;

	pthread_mutex_lock(&s->lock);
	push_node(s, cn);
	for (i = 0; i < l->npending; i++)
		push_node(s, l->pending[i]);
	l->next = s->layers;
	s->layers = l;
	pthread_mutex_unlock(&s->lock);

	for (i = 0; i < l->npending; i++)
		if (l->pending[i]->e.type == SL_FT_REG)
			enqueue(w, l->pending[i], depth > 0);
	free(l->pending);
	l->pending = NULL;
	l->npending = l->cappending = 0;
	return l;
}

/* ---- carving ----------------------------------------------------- */

static bool
uniform(const uint8_t *p, size_t n)
{
	return n > 0 && (p[0] == 0x00 || p[0] == 0xff) &&
	       memcmp(p, p + 1, n - 1) == 0;
}

/* A container was found that no reader could open (open_layer). */
static void
note_refused(struct sl_scan *s)
{
	pthread_mutex_lock(&s->lock);
	s->open_refused = true;
	pthread_mutex_unlock(&s->lock);
}

static void
add_region(struct sl_scan *s, const char *prefix, const uint8_t *blob,
           uint64_t a, uint64_t b, unsigned depth, bool refused)
{
	struct Sl_node *n;
	const uint8_t *p = blob + a;
	size_t len = (size_t)(b - a);

	n = Sl_arena_alloc(&s->arena, sizeof(*n));
	if (n == NULL)
		return;
	n->e.path = Sl_arena_printf(&s->arena, "%s@0x%llx", prefix,
	                            (unsigned long long)a);
	if (n->e.path == NULL)
		return;
	n->e.type = SL_FT_REGION;
	n->e.offset = a;
	n->e.size = len;
	n->e.depth = depth;
	n->e.entropy = Sl_entropy(p, len);
	n->priv = (void *)(uintptr_t)p;
	if (uniform(p, len))
		n->e.note = p[0] ? "padding (0xff)" : "padding (0x00)";
	else if (refused)
		n->e.note = "not judged: a container in it was found but not "
		            "opened (a limit, or memory; see incomplete)";
	else if (len >= SL_ENC_MIN_REGION && n->e.entropy >= SL_ENC_MIN_ENTROPY)
		n->e.note = "possibly encrypted firmware: high entropy and no "
		            "known format";
	Sl_sha256(p, len, n->e.sha256);
	n->e.has_sha256 = true;
	pthread_mutex_lock(&s->lock);
	push_node(s, n);
	pthread_mutex_unlock(&s->lock);
	if (s->content_hook != NULL)
		s->content_hook(s, &n->e, p, len);
}

/*
 * Every reader's magic numbers, indexed by their first byte, so that one
 * pass over a blob finds the next candidate of all of them at once (one
 * memmem per magic would pass over the blob thirty times).  Built once:
 * the reader table is constant.
 */
#define SIG_MAX 128

struct sigtab {
	const struct Sl_reader *rd[SIG_MAX];
	const struct Sl_magic *mg[SIG_MAX];
	size_t n;
	size_t maxoff;          /* the largest magic offset (tar's 257) */
	uint8_t first[256][16]; /* magic indexes by first byte */
	uint8_t nfirst[256];
	uint8_t pair[65536 / 8]; /* bit set: a magic starts with these 2 */
};

static struct sigtab sigs;
static pthread_once_t sigs_once = PTHREAD_ONCE_INIT;

static void
sigs_build(void)
{
	const struct Sl_reader *const *rp;
	const struct Sl_magic *mg;

	for (rp = Sl_readers; *rp != NULL; rp++)
		for (mg = (*rp)->magics; mg && mg->len; mg++) {
			uint8_t f = (uint8_t)mg->bytes[0];

			if (sigs.n == SIG_MAX || sigs.nfirst[f] == 16)
				continue; /* NOTREACHED with today's table */
			sigs.rd[sigs.n] = *rp;
			sigs.mg[sigs.n] = mg;
			sigs.first[f][sigs.nfirst[f]++] = (uint8_t)sigs.n;
			if (mg->len >= 2) {
				unsigned two =
				    (unsigned)f << 8 | (uint8_t)mg->bytes[1];

				sigs.pair[two >> 3] |=
				    (uint8_t)(1U << (two & 7));
			} else {
				unsigned b;

				for (b = 0; b < 256; b++)
					sigs.pair[(f << 8 | b) >> 3] |=
					    (uint8_t)(1U << (b & 7));
			}
			if (mg->off > sigs.maxoff)
				sigs.maxoff = mg->off;
			sigs.n++;
		}
}

/* Does magic i sit at candidate start c? */
static bool
sig_at(size_t i, const uint8_t *data, size_t len, size_t c)
{
	const struct Sl_magic *mg = sigs.mg[i];

	return c <= len && mg->off <= len - c && mg->len <= len - c - mg->off &&
	       memcmp(data + c + mg->off, mg->bytes, mg->len) == 0;
}

bool
Sl_magic_other(const uint8_t *data, size_t len, size_t c,
               const struct Sl_reader *self)
{
	size_t i;

	pthread_once(&sigs_once, sigs_build);
	if (c >= len)
		return false;
	for (i = 0; i < sigs.n; i++)
		if (sigs.rd[i] != self && sig_at(i, data, len, c) &&
		    sigs.rd[i]->bid(data + c, len - c) > 0)
			return true;
	return false;
}

/*
 * The smallest candidate start at or after off, or SIZE_MAX.  A magic at
 * byte p stands for a container starting at p - off(magic), so the scan
 * goes on maxoff bytes past the first hit in case a magic that sits
 * further into its container names an earlier start.
 */
/* Might a magic start at data[p] (p + 1 < len)? */
static inline unsigned
pair_hit(const uint8_t *data, size_t p)
{
	unsigned two = (unsigned)data[p] << 8 | data[p + 1];

	return sigs.pair[two >> 3] & (1U << (two & 7));
}

/*
 * The first p in [off, len) where a magic might start, or len.  Most
 * bytes start none, and the payloads of streams (text, code) run to tens
 * of megabytes: eight positions are tested per branch.
 */
static size_t
pair_scan(const uint8_t *data, size_t len, size_t off)
{
	size_t p = off;

	while (len > 8 && p < len - 8) {
		if (pair_hit(data, p) | pair_hit(data, p + 1) |
		    pair_hit(data, p + 2) | pair_hit(data, p + 3) |
		    pair_hit(data, p + 4) | pair_hit(data, p + 5) |
		    pair_hit(data, p + 6) | pair_hit(data, p + 7))
			break;
		p += 8;
	}
	for (; p + 1 < len; p++)
		if (pair_hit(data, p))
			return p;
	/* The last byte: a one-byte magic, or two with the second past
	 * the end (sig_at then refuses it). */
	if (p < len && (sigs.pair[(unsigned)data[p] << 5] & 1U))
		return p;
	return len;
}

static size_t
next_candidate(const uint8_t *data, size_t len, size_t off)
{
	size_t p, best = SIZE_MAX, k;

	for (p = off; p < len; p++) {
		uint8_t f;

		/* Most bytes start no magic: one bit test rejects them. */
		p = pair_scan(data, len, p);
		if (p >= len || (best != SIZE_MAX && p > best + sigs.maxoff))
			break;
		f = data[p];
		for (k = 0; k < sigs.nfirst[f]; k++) {
			size_t i = sigs.first[f][k];
			size_t mo = sigs.mg[i]->off;

			if (p - off < mo || !sig_at(i, data, len, p - mo))
				continue;
			if (p - mo < best)
				best = p - mo;
		}
	}
	return best;
}

static unsigned
carve(struct sl_scan *s, struct work *w, const char *prefix,
      const uint8_t *data, size_t len, unsigned depth, struct Sl_buf *owner,
      bool top, bool *whole)
{
	size_t i, off = 0, gap = 0, best;
	unsigned found = 0, tries = 0;
	bool refused = false; /* in the gap since the last container */

	pthread_once(&sigs_once, sigs_build);

	while (off < len) {
		const struct Sl_reader *cand[32];
		int score[32];
		size_t nc = 0, j;
		struct Sl_layer *l = NULL;
		bool here = false; /* a reader refused at best */

		best = next_candidate(data, len, off);
		if (best == SIZE_MAX)
			break;
		/* Every reader with a magic at best bids; best bid first. */
		for (i = 0; i < sigs.n && nc < 32; i++) {
			int b;

			if (!sig_at(i, data, len, best))
				continue;
			for (j = 0; j < nc; j++)
				if (cand[j] == sigs.rd[i])
					break;
			if (j < nc)
				continue;
			b = sigs.rd[i]->bid(data + best, len - best);
			if (b <= 0)
				continue;
			for (j = nc; j > 0 && score[j - 1] < b; j--) {
				cand[j] = cand[j - 1];
				score[j] = score[j - 1];
			}
			cand[j] = sigs.rd[i];
			score[j] = b;
			nc++;
		}
		for (j = 0; j < nc && l == NULL; j++) {
			if (++tries > SL_MAX_CARVE_TRIES) {
				Sl_incomplete(s,
				              "%s: more than %u carving "
				              "candidates; the rest of it was "
				              "not searched",
				              prefix, SL_MAX_CARVE_TRIES);
				off = len;
				goto done;
			}
			l = open_layer(s, w, cand[j], prefix, data + best,
			               len - best, best, depth, &here);
		}
		if (l == NULL) {
			if (here) {
				refused = true;
				note_refused(s);
			}
			off = best + 1;
			continue;
		}
		if (owner != NULL && owner->p != NULL)
			l->owned = Sl_buf_take(owner, NULL);
		if (best > gap)
			add_region(s, prefix, data, gap, best, depth, refused);
		refused = false;
		if (found == 0 && best == 0 && l->size >= len && whole)
			*whole = true;
		found++;
		off = best + (size_t)l->size;
		gap = off;
	}
done:
	if (gap < len && (top || found > 0))
		add_region(s, prefix, data, gap, len, depth, refused);
	return found;
}

/*
 * Offer data[0..len), the content of the entry named prefix, to the
 * readers.  If owner holds data and a container is opened, the new layer
 * takes the buffer.  Returns the number of containers opened.
 */
static unsigned
analyse(struct sl_scan *s, struct work *w, const char *prefix,
        const uint8_t *data, size_t len, unsigned depth, enum Sl_nest mode,
        struct Sl_buf *owner, bool *whole)
{
	const struct Sl_reader *const *rp;
	const struct Sl_reader *order[64];
	int score[64];
	size_t n = 0, j;
	bool refused = false;

	if (len < 16)
		return 0;
	if (mode == SL_NEST_CARVE)
		return carve(s, w, prefix, data, len, depth, owner, depth == 0,
		             whole);
	for (rp = Sl_readers; *rp != NULL && n < 64; rp++) {
		int b = (*rp)->bid(data, len);

		if (b <= 0)
			continue;
		for (j = n; j > 0 && score[j - 1] < b; j--) {
			order[j] = order[j - 1];
			score[j] = score[j - 1];
		}
		order[j] = *rp;
		score[j] = b;
		n++;
	}
	for (j = 0; j < n; j++) {
		struct Sl_layer *l;

		l = open_layer(s, w, order[j], prefix, data, len, 0, depth,
		               &refused);
		if (l == NULL)
			continue;
		if (owner != NULL && owner->p != NULL)
			l->owned = Sl_buf_take(owner, NULL);
		if (whole != NULL && l->size >= len)
			*whole = true;
		return 1;
	}
	if (refused)
		note_refused(s);
	return 0;
}

/* ---- reading content --------------------------------------------- */

static sl_rc
node_read(struct sl_scan *s, const struct Sl_node *n, const uint8_t **data,
          size_t *len, struct Sl_buf *tmp)
{
	const struct Sl_layer *l = n->layer;
	sl_rc rc;

	Sl_buf_reset(tmp);
	tmp->max = s->lim.max_file;
	if (n->e.type == SL_FT_REGION) {
		*data = n->priv;
		*len = (size_t)n->e.size;
		return SL_OK;
	}
	if (n->e.type != SL_FT_REG || l == NULL)
		return Sl_fail(s, SL_E_USAGE, "%s: not a regular file",
		               n->e.path);
	if (n->kept != NULL) {
		*data = n->kept;
		*len = (size_t)n->e.size;
		return SL_OK;
	}
	if (n->e.size > s->lim.max_file) {
		Sl_incomplete(s,
		              "%s: file larger than the per-file limit (%llu "
		              "bytes); content not read",
		              n->e.path, (unsigned long long)s->lim.max_file);
		return SL_E_LIMIT;
	}
	if (l->rd->read == NULL) {
		/* UNTRUSTED: ref and size come from the container. */
		if (n->ref > l->size || n->e.size > l->size - n->ref)
			return Sl_fail(s, SL_E_MALFORMED,
			               "%s: content lies past the end of its "
			               "container",
			               n->e.path);
		*data = l->data + n->ref;
		*len = (size_t)n->e.size;
		return SL_OK;
	}
	rc = Sl_budget(s, n->e.size, n->e.path);
	if (rc != SL_OK)
		return rc;
	return l->rd->read((struct Sl_layer *)l, n, data, len, tmp);
}

/*
 * Read a node's content.  A failure leaves its reason in Sl_last_error(),
 * never one of an earlier read, or "" when the read put its reason in the
 * incomplete list already (a limit refused it), so that the caller adds
 * no second line.
 */
sl_rc
Sl_node_read(struct sl_scan *s, const struct Sl_node *n, const uint8_t **data,
             size_t *len, struct Sl_buf *tmp)
{
	uint64_t said = Sl_incomplete_here();
	sl_rc rc;

	Sl_error_clear();
	rc = node_read(s, n, data, len, tmp);
	if (rc == SL_OK) {
		/* An empty file's buffer may never have been allocated:
		 * callers get a pointer they may pass to memchr() all the
		 * same. */
		if (*len == 0)
			*data = (const uint8_t *)"";
	} else if (Sl_last_error()[0] == '\0' && Sl_incomplete_here() == said) {
		Sl_fail(s, rc, "%s", sl_strerror(rc));
	}
	return rc;
}

/*
 * Keep a copy of a file's decoded content for the checks that read it
 * again after unpacking (accounts, services, hardening ...), while the
 * total stays under SL_KEEP_TOTAL: a second decompression of a small
 * file costs a whole squashfs block or fragment block.  Only when the
 * checks follow (the content hook is set), and only for content that was
 * decoded: bytes read in place are free to read again.
 */
static void
keep(struct sl_scan *s, struct Sl_node *n, const uint8_t *data, size_t len)
{
	bool room;

	if (s->content_hook == NULL || n->layer->rd->read == NULL || len == 0 ||
	    len > SL_KEEP_FILE || len != n->e.size)
		return;
	pthread_mutex_lock(&s->lock);
	room = s->kept + len <= SL_KEEP_TOTAL;
	if (room)
		s->kept += len;
	pthread_mutex_unlock(&s->lock);
	if (!room)
		return;
	n->kept = malloc(len);
	if (n->kept != NULL)
		memcpy(n->kept, data, len);
}

static void
process(struct sl_scan *s, struct work *w, struct Sl_node *n,
        struct Sl_buf *tmp)
{
	const uint8_t *data = NULL;
	size_t len = 0;
	bool whole = false;
	unsigned found;
	sl_rc rc;

	rc = Sl_node_read(s, n, &data, &len, tmp);
	if (rc != SL_OK) {
		if (Sl_last_error()[0] != '\0')
			Sl_incomplete(s, "%s: content could not be read: %s",
			              n->e.path, Sl_last_error());
		return;
	}
	Sl_sha256(data, len, n->e.sha256);
	n->e.has_sha256 = true;
	found =
	    analyse(s, w, n->e.path, data, len, n->layer->depth + 1,
	            n->layer->rd->nest, data == tmp->p ? tmp : NULL, &whole);
	/*
	 * The early content checks see the file now, while it is decoded
	 * (data stays valid: a layer that took tmp's memory keeps it).  A
	 * file that is wholly one container is left out: its content is in
	 * the tree already, and will be handed over entry by entry.
	 */
	if (s->content_hook != NULL && !whole)
		s->content_hook(s, &n->e, data, len);
	if (found == 0)
		keep(s, n, data, len);
	if (found == 0 && n->layer->rd->release != NULL && data != tmp->p)
		n->layer->rd->release(n->layer, n);
}

/*
 * The cap of a buffer that holds one node's bytes: a file is at most
 * max_file and nothing decompresses past max_total, so the larger of the
 * two never refuses what the limits allow.
 */
static size_t
read_cap(const struct sl_scan *s)
{
	uint64_t c = s->lim.max_file > s->lim.max_total ? s->lim.max_file
	                                                : s->lim.max_total;

	return c == 0 || c > SIZE_MAX ? SL_BUF_MAX_UNSET : (size_t)c;
}

static void *
worker(void *arg)
{
	struct work *w = arg;
	struct Sl_buf tmp;

	Sl_buf_init(&tmp, read_cap(w->s));
	pthread_mutex_lock(&w->m);
	for (;;) {
		struct Sl_node *n;

		while (work_empty(w) && w->active > 0)
			pthread_cond_wait(&w->cv, &w->m);
		if (work_empty(w))
			break;
		n = w->nstack > 0 ? w->stack[--w->nstack] : w->q[w->head++];
		w->active++;
		pthread_mutex_unlock(&w->m);
		process(w->s, w, n, &tmp);
		/* A layer may have taken tmp's memory; that is fine. */
		pthread_mutex_lock(&w->m);
		w->active--;
		if (work_empty(w) && w->active == 0)
			pthread_cond_broadcast(&w->cv);
	}
	pthread_cond_broadcast(&w->cv);
	pthread_mutex_unlock(&w->m);
	Sl_buf_free(&tmp);
	return NULL;
}

int
Sl_path_cmp(const char *a, const char *b)
{
	while (*a && *a == *b) {
		if (a[0] == '@' && a[1] == '0' && a[2] == 'x') {
			char *ea, *eb;
			unsigned long long x = strtoull(a + 3, &ea, 16);
			unsigned long long y = strtoull(b + 3, &eb, 16);

			if (x != y)
				return x < y ? -1 : 1;
			a = ea;
			b = eb;
			continue;
		}
		a++;
		b++;
	}
	return (unsigned char)*a - (unsigned char)*b;
}

static int
node_cmp(const void *x, const void *y)
{
	const struct Sl_node *a = *(struct Sl_node *const *)x;
	const struct Sl_node *b = *(struct Sl_node *const *)y;

	return Sl_path_cmp(a->e.path, b->e.path);
}

static int
str_cmp(const void *x, const void *y)
{
	return strcmp(*(char *const *)x, *(char *const *)y);
}

static void
sort_tree(struct sl_scan *s)
{
	if (s->nnodes > 1)
		qsort(s->nodes, s->nnodes, sizeof(*s->nodes), node_cmp);
	if (s->nincomplete > 1)
		qsort(s->incomplete, s->nincomplete, sizeof(char *), str_cmp);
	s->sorted = true;
}

static unsigned
nthreads(const struct sl_scan *s)
{
	long n = s->lim.threads ? (long)s->lim.threads
	                        : sysconf(_SC_NPROCESSORS_ONLN);

	if (n < 1)
		n = 1;
	if (n > 32)
		n = 32;
	return (unsigned)n;
}

static const char *
base_name(const char *path)
{
	const char *b = strrchr(path, '/');

	return b && b[1] ? b + 1 : path;
}

/*
 * When carving found nothing at all (every entry is a region of unknown
 * bytes), say so: a run that saw nothing must not read as a clean one.
 * The reason names the size and the entropy, because that is what tells
 * an encrypted image (ask the vendor for the plain one) from a file that
 * is not firmware.  A partly recognised image is left alone: its regions
 * are listed as they are.
 */
static void
note_unrecognised(struct sl_scan *s, const char *name, const uint8_t *data,
                  size_t len)
{
	double h;
	size_t i;

	for (i = 0; i < s->nnodes; i++)
		if (s->nodes[i]->e.type != SL_FT_REGION)
			return;
	h = Sl_entropy(data, len);
	s->unrecognised = true;
	if (s->open_refused) {
		/* Not "encrypted": a header was found (its line says why). */
		Sl_incomplete(s,
		              "%s: no container or file system could be "
		              "opened in %zu bytes: one was found, but a "
		              "limit or the lack of memory kept it from being "
		              "opened (see its line)",
		              name, len);
		return;
	}
	Sl_incomplete(s,
	              "%s: no container or file system recognised in %zu "
	              "bytes (entropy %.2f bits per byte): %s",
	              name, len, h,
	              h >= SL_ENC_MIN_ENTROPY
	                  ? "high entropy throughout, no known header: "
	                    "encrypted or unsupported format; ask the vendor "
	                    "for the unencrypted image"
	                  : "no known header: not a firmware image, or a "
	                    "format starlab does not read");
}

/*
 * Unpack data[0..len), named name, into the scan's tree.  With only set,
 * the top level is offered to that reader alone at offset 0 (the fuzz
 * targets use this to aim at one parser); nested content always meets
 * every reader.  data must outlive the scan.
 */
sl_rc
Sl_scan_buffer(struct sl_scan *s, const char *name, const uint8_t *data,
               size_t len, const struct Sl_reader *only)
{
	struct work w;
	bool refused = false;

	Sl_scan_on_free(s, SL_FREE_TREE, Sl_tree_release);
	memset(&w, 0, sizeof(w));
	w.s = s;
	pthread_mutex_init(&w.m, NULL);
	pthread_cond_init(&w.cv, NULL);
	if (only == NULL)
		carve(s, &w, name, data, len, 0, NULL, true, NULL);
	else if (len >= 16 && only->bid(data, len) > 0 &&
	         open_layer(s, &w, only, name, data, len, 0, 0, &refused) ==
	             NULL &&
	         refused)
		note_refused(s);
	(void)Sl_pool_run(nthreads(s), worker, &w, SL_POOL_STOP_AT_FAILURE);
	free(w.q);
	free(w.stack);
	pthread_mutex_destroy(&w.m);
	pthread_cond_destroy(&w.cv);
	if (only == NULL)
		note_unrecognised(s, name, data, len);
	sort_tree(s);
	return SL_OK;
}

sl_rc
sl_scan_firmware(struct sl_scan *s, const char *path)
{
	struct stat st;
	void *map;
	int fd;
	sl_rc rc;

	if (s->has_fw)
		return Sl_fail(s, SL_E_USAGE, "%s: a scan takes one image",
		               path);
	fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0)
		return Sl_fail(s, SL_E_IO, "%s: cannot open: %s", path,
		               errno == ELOOP ? "it is a symbolic link"
		                              : strerror(errno));
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return Sl_fail(s, SL_E_IO, "%s: not a regular file", path);
	}
	if (st.st_size == 0) {
		close(fd);
		return Sl_fail(s, SL_E_MALFORMED, "%s: the file is empty",
		               path);
	}
	map = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (map == MAP_FAILED)
		return Sl_fail(s, SL_E_IO, "%s: cannot map: %s", path,
		               strerror(errno));
	s->fw_map = map;
	Sl_scan_on_free(s, SL_FREE_TREE, Sl_tree_release);
	s->fw_size = (size_t)st.st_size;
	s->fw_path = Sl_arena_strdup(&s->arena, path);
	s->fw_name = Sl_arena_strdup(&s->arena, base_name(path));
	if (s->fw_path == NULL || s->fw_name == NULL)
		return SL_E_NOMEM;
	s->has_fw = true;
	Sl_progress_begin(s, SL_STAGE_UNPACK, 0);
	Sl_sha256(map, s->fw_size, s->fw_sha);
	rc = Sl_scan_buffer(s, s->fw_name, map, s->fw_size, NULL);
	Sl_progress(s, SL_STAGE_UNPACK, NULL, s->budget_used, 0, s->nnodes,
	            true);
	return rc;
}

void
Sl_tree_release(struct sl_scan *s)
{
	struct Sl_layer *l;
	struct Sl_tls_buf *t, *next;
	size_t i;

	for (i = 0; i < s->nnodes; i++) {
		free(s->nodes[i]->kept);
		s->nodes[i]->kept = NULL;
	}
	s->kept = 0;
	for (l = s->layers; l != NULL; l = l->next) {
		if (l->rd->close != NULL)
			l->rd->close(l);
		free(l->owned);
		l->owned = NULL;
	}
	s->layers = NULL;
	for (t = s->tls; t != NULL; t = next) {
		next = t->next;
		Sl_buf_free(&t->buf);
		free(t);
	}
	s->tls = NULL;
	if (s->fw_map != NULL)
		munmap(s->fw_map, s->fw_size);
	s->fw_map = NULL;
}

/* ---- the public view --------------------------------------------- */

size_t
sl_tree_count(const struct sl_scan *s)
{
	return s->nnodes;
}

const struct sl_entry *
sl_tree_entry(const struct sl_scan *s, size_t i)
{
	return i < s->nnodes ? &s->nodes[i]->e : NULL;
}

const struct sl_entry *
sl_tree_find(const struct sl_scan *s, const char *path)
{
	size_t lo = 0, hi = s->nnodes;

	if (!s->sorted) {
		size_t i;

		for (i = 0; i < s->nnodes; i++)
			if (strcmp(s->nodes[i]->e.path, path) == 0)
				return &s->nodes[i]->e;
		return NULL;
	}
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = Sl_path_cmp(s->nodes[mid]->e.path, path);

		if (c == 0)
			return &s->nodes[mid]->e;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

static struct Sl_buf *
tls_buf(struct sl_scan *s)
{
	pthread_t me = pthread_self();
	struct Sl_tls_buf *t;

	pthread_mutex_lock(&s->lock);
	Sl_scan_on_free(s, SL_FREE_TREE, Sl_tree_release);
	for (t = s->tls; t != NULL; t = t->next)
		if (pthread_equal(t->thread, me))
			break;
	if (t == NULL && (t = calloc(1, sizeof(*t))) != NULL) {
		t->thread = me;
		Sl_buf_init(&t->buf, read_cap(s));
		t->next = s->tls;
		s->tls = t;
	}
	pthread_mutex_unlock(&s->lock);
	return t ? &t->buf : NULL;
}

sl_rc
sl_tree_read(struct sl_scan *s, const struct sl_entry *e, const uint8_t **data,
             size_t *len)
{
	const struct Sl_node *n = Sl_node_of(e);
	struct Sl_buf *b = tls_buf(s);

	if (b == NULL)
		return Sl_fail(s, SL_E_NOMEM, "%s: out of memory", e->path);
	if (e->type == SL_FT_HARDLINK && e->link != NULL && n->layer) {
		char *p = Sl_arena_printf(&s->arena, "%s!/%s", n->layer->prefix,
		                          e->link);
		const struct sl_entry *t = p ? sl_tree_find(s, p) : NULL;

		if (t == NULL || t->type != SL_FT_REG)
			return Sl_fail(s, SL_E_MALFORMED,
			               "%s: hard link to a missing file",
			               e->path);
		n = Sl_node_of(t);
	}
	return Sl_node_read(s, n, data, len, b);
}
