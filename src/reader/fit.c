/*
 * fit.c - U-Boot FIT images (Flattened Image Tree: a device tree blob
 * holding kernels, device trees and ramdisks, made by mkimage -f), read in
 * place.
 *
 * A FIT is a flattened device tree (FDT).  Its big-endian header gives the
 * total size and where two blocks lie: the structure block, a stream of
 * 32-bit tokens, and the strings block, which holds property names:
 *
 *	BEGIN_NODE (1)  name, NUL-terminated, padded to 4 bytes
 *	END_NODE   (2)
 *	PROP       (3)  be32 len, be32 name offset in strings, len bytes of
 *	                value padded to 4 bytes
 *	NOP        (4)
 *	END        (9)
 *
 * Each child of /images (kernel-1, fdt-1, ramdisk-1 ...) becomes one file
 * named after the node.  Its content is the node's "data" property, a
 * slice of the structure block, or with external data (mkimage -E) the
 * "data-size" bytes at "data-offset" past the blob's end rounded up to 4,
 * or at "data-position" from the FIT's start (mkimage -p).  The node's
 * description, type, compression, architecture and OS, its hash algorithms
 * and whether a signature node signs it (its own signature-* node, or one
 * under /configurations/<conf>) go into the file's note: "signed" there
 * tells a later update-integrity check that the image is verified by the
 * boot loader.  The payloads are carved further (SL_NEST_CARVE).
 *
 * A device tree without /images is not a FIT: open fails, so the carver
 * goes on and the bytes are listed as a region.  A plain DTB holds no
 * files, and calling it a "fit" container would name it wrongly; a
 * dedicated DTB reader could list its nodes later.
 *
 * Trust: the header's offsets and sizes are checked against the total size
 * and the bytes present before any block is read; every token is read
 * through a bounded cursor; node depth, property count and image count are
 * capped (FIT_MAX_*).  A FIT whose blocks are cut off by the end of the
 * image is recorded as incomplete; when /images is seen in what remains,
 * the container is listed with its header only so that the carver still
 * searches the payloads (their property names are lost with the strings
 * block, so they cannot be told apart).  A bad token after /images stops
 * the walk with what was found so far.
 *
 * Why hand-written: libfdt (libfdt-dev) reads FDTs, but it is not among
 * the project's dependencies, its FIT helpers (fit_image_get_data and
 * friends) live in U-Boot's image-fit.c rather than in any Debian library,
 * and the single bounded walk needed here is shorter than the glue libfdt
 * would need to report damage as incomplete reasons with offsets.
 */
#include <stdio.h>
#include <stdlib.h>

#include <openssl/evp.h>
#include <zlib.h>

#include "../sl.h"

#define FDT_MAGIC      0xd00dfeedu
#define FDT_BEGIN_NODE 1
#define FDT_END_NODE   2
#define FDT_PROP       3
#define FDT_NOP        4
#define FDT_END        9
#define FDT_HDR_V16    36 /* up to size_dt_strings */
#define FDT_HDR_V17    40 /* plus size_dt_struct */

/* Bounds on one FIT's tree; libfdt allows 64 levels, FITs use 4. */
#define FIT_MAX_DEPTH  SL_NEST_FDT /* src/limits.h */
#define FIT_MAX_PROPS  65536
#define FIT_MAX_IMAGES 1024
/* Bytes of one description or other string kept in a note. */
#define FIT_MAX_STR 200

static const struct Sl_magic fit_magics[] = {
    {"\xd0\x0d\xfe\xed", 4, 0},
    {NULL, 0, 0},
};

struct fdt_hdr {
	uint32_t totalsize, off_struct, off_strings, off_rsvmap;
	uint32_t version, last_comp, size_strings, size_struct;
	unsigned hdrlen;
};

/* A string property: bytes of the blob, not NUL-terminated. */
struct fit_str {
	const uint8_t *p;
	size_t n;
};

/* One child of /images. */
struct fit_image {
	const char *name;  /* NUL-terminated inside the blob */
	uint64_t off, len; /* inline data: offset from the FIT's start */
	bool has_data;
	bool has_ext_off, has_ext_pos, has_ext_size;
	uint64_t ext_off, ext_pos, ext_size;
	struct fit_str desc, type, comp, arch, os;
	struct {
		struct fit_str algo, value;
	} hash[4]; /* its hash-* nodes */
	unsigned nhash;
	bool signed_img;
};

enum fit_sect { SECT_OTHER, SECT_IMAGES, SECT_CONFIGS };
enum fit_sub { SUB_OTHER, SUB_HASH, SUB_SIG };

/* The state of one walk over the structure block. */
struct fit_walk {
	struct Sl_layer *l;
	const struct fdt_hdr *h;
	const uint8_t *strings; /* NULL when the block is not present */
	struct fit_image *img;  /* malloc'd; NULL when not collecting */
	size_t nimg, capimg;
	bool collect, saw_images, conf_signed, capped;
	unsigned depth;
	enum fit_sect sect;
	enum fit_sub sub;
	long cur; /* index into img of the open image node, or -1 */
	unsigned long nprops;
};

static bool
parse_header(const uint8_t *p, size_t n, struct fdt_hdr *h)
{
	struct Sl_rd r;
	uint64_t end;

	Sl_rd_init(&r, p, n);
	if (Sl_rd_be32(&r) != FDT_MAGIC)
		return false;
	h->totalsize = Sl_rd_be32(&r);
	h->off_struct = Sl_rd_be32(&r);
	h->off_strings = Sl_rd_be32(&r);
	h->off_rsvmap = Sl_rd_be32(&r);
	h->version = Sl_rd_be32(&r);
	h->last_comp = Sl_rd_be32(&r);
	(void)Sl_rd_be32(&r); /* boot_cpuid_phys */
	h->size_strings = Sl_rd_be32(&r);
	h->size_struct = 0;
	if (r.bad || h->version < 16 || h->last_comp > 17)
		return false;
	h->hdrlen = h->version >= 17 ? FDT_HDR_V17 : FDT_HDR_V16;
	if (h->version >= 17) {
		h->size_struct = Sl_rd_be32(&r);
		if (r.bad)
			return false;
	} else if (h->off_struct <= h->totalsize) {
		h->size_struct = h->totalsize - h->off_struct;
	}
	/* UNTRUSTED: every block must lie in totalsize, after the header. */
	if (h->totalsize < h->hdrlen || h->off_struct < h->hdrlen ||
	    h->off_strings < h->hdrlen || h->off_rsvmap < h->hdrlen ||
	    h->off_rsvmap >= h->totalsize || (h->off_rsvmap & 7) != 0 ||
	    (h->off_struct & 3) != 0 || h->size_struct < 4)
		return false;
	end = (uint64_t)h->off_struct + h->size_struct;
	if (end > h->totalsize)
		return false;
	end = (uint64_t)h->off_strings + h->size_strings;
	if (end > h->totalsize)
		return false;
	return true;
}

static int
fit_bid(const uint8_t *p, size_t n)
{
	struct fdt_hdr h;

	/* Any sane FDT bids; open tells a FIT from a plain DTB. */
	return parse_header(p, n, &h) ? 60 : 0;
}

static bool
has_prefix(const char *s, const char *pre)
{
	return strncmp(s, pre, strlen(pre)) == 0;
}

/* A 32- or 64-bit big-endian cell; false for other lengths. */
static bool
prop_num(const uint8_t *v, uint32_t len, uint64_t *out)
{
	if (len == 4) {
		*out = Sl_get_be32(v);
		return true;
	}
	if (len == 8) {
		*out = (uint64_t)Sl_get_be32(v) << 32 | Sl_get_be32(v + 4);
		return true;
	}
	return false;
}

/* A property of the open image node. */
static void
image_prop(struct fit_walk *w, const char *name, const uint8_t *v, uint32_t len)
{
	struct fit_image *im = &w->img[w->cur];
	struct fit_str s = {v, len};

	if (strcmp(name, "data") == 0) {
		im->has_data = true;
		im->off = (uint64_t)(v - w->l->data);
		im->len = len;
	} else if (strcmp(name, "data-offset") == 0) {
		im->has_ext_off = prop_num(v, len, &im->ext_off);
	} else if (strcmp(name, "data-position") == 0) {
		im->has_ext_pos = prop_num(v, len, &im->ext_pos);
	} else if (strcmp(name, "data-size") == 0) {
		im->has_ext_size = prop_num(v, len, &im->ext_size);
	} else if (strcmp(name, "description") == 0) {
		im->desc = s;
	} else if (strcmp(name, "type") == 0) {
		im->type = s;
	} else if (strcmp(name, "compression") == 0) {
		im->comp = s;
	} else if (strcmp(name, "arch") == 0) {
		im->arch = s;
	} else if (strcmp(name, "os") == 0) {
		im->os = s;
	}
}

/* Room for one more image; false (and capped set) when there is none. */
static bool
grow(struct fit_walk *w)
{
	size_t cap = w->capimg ? 2 * w->capimg : 8;
	struct fit_image *p;

	if (cap > FIT_MAX_IMAGES)
		cap = FIT_MAX_IMAGES;
	if (w->nimg >= cap) {
		w->capped = true;
		return false;
	}
	p = realloc(w->img, cap * sizeof(*p));
	if (p == NULL) {
		w->capped = true;
		return false;
	}
	w->img = p;
	w->capimg = cap;
	return true;
}

static void
begin_node(struct fit_walk *w, const char *name)
{
	struct fit_image *im;

	switch (w->depth) {
	case 2:
		w->sect = strcmp(name, "images") == 0           ? SECT_IMAGES
		          : strcmp(name, "configurations") == 0 ? SECT_CONFIGS
		                                                : SECT_OTHER;
		if (w->sect == SECT_IMAGES)
			w->saw_images = true;
		break;
	case 3:
		w->cur = -1;
		if (w->sect != SECT_IMAGES || !w->collect)
			break;
		if (w->nimg == w->capimg && !grow(w))
			break;
		w->cur = (long)w->nimg++;
		memset(&w->img[w->cur], 0, sizeof(w->img[0]));
		w->img[w->cur].name = name;
		break;
	case 4:
		w->sub = SUB_OTHER;
		if (has_prefix(name, "signature"))
			w->sub = SUB_SIG;
		else if (has_prefix(name, "hash"))
			w->sub = SUB_HASH;
		if (w->sect == SECT_CONFIGS && w->sub == SUB_SIG)
			w->conf_signed = true;
		if (w->sect != SECT_IMAGES || w->cur < 0)
			break;
		im = &w->img[w->cur];
		if (w->sub == SUB_SIG)
			im->signed_img = true;
		else if (w->sub != SUB_HASH)
			break;
		else if (im->nhash < SL_ARRAY_LEN(im->hash))
			im->nhash++;
		else
			w->sub = SUB_OTHER; /* past the ones kept */
		break;
	default: break;
	}
}

static void
end_node(struct fit_walk *w)
{
	if (w->depth == 2)
		w->sect = SECT_OTHER;
	else if (w->depth == 3)
		w->cur = -1;
	else if (w->depth == 4)
		w->sub = SUB_OTHER;
	w->depth--;
}

static void
prop(struct fit_walk *w, uint32_t nameoff, const uint8_t *v, uint32_t len)
{
	struct fit_image *im;
	struct fit_str hs;
	const char *name;
	const uint8_t *nul;

	if (w->strings == NULL || nameoff >= w->h->size_strings)
		return;
	/* UNTRUSTED: the name must end inside the strings block. */
	nul = memchr(w->strings + nameoff, 0, w->h->size_strings - nameoff);
	if (nul == NULL)
		return;
	name = (const char *)w->strings + nameoff;
	if (w->sect != SECT_IMAGES || w->cur < 0)
		return;
	if (w->depth == 3) {
		image_prop(w, name, v, len);
	} else if (w->depth == 4 && w->sub == SUB_HASH) {
		im = &w->img[w->cur];
		hs = (struct fit_str){v, len};
		if (strcmp(name, "algo") == 0)
			im->hash[im->nhash - 1].algo = hs;
		else if (strcmp(name, "value") == 0)
			im->hash[im->nhash - 1].value = hs;
	}
}

/*
 * Walk the structure block p[0..n), which starts off bytes into the FIT.
 * Returns NULL when the walk reached a clean FDT_END, or why it stopped;
 * *where receives the offset (from the FIT's start) of the bad token.
 */
static const char *
walk(struct fit_walk *w, const uint8_t *p, size_t n, uint64_t off,
     uint64_t *where)
{
	struct Sl_rd r;

	Sl_rd_init(&r, p, n);
	for (;;) {
		const uint8_t *at = r.p, *nul, *v;
		uint32_t tok, len, nameoff;
		size_t nlen;

		*where = off + (uint64_t)(at - p);
		tok = Sl_rd_be32(&r);
		if (r.bad)
			return "structure block ends without an END token";
		switch (tok) {
		case FDT_BEGIN_NODE:
			/* UNTRUSTED: the name must end inside the block. */
			nul = memchr(r.p, 0, r.left);
			if (nul == NULL)
				return "node name runs past the structure "
				       "block";
			nlen = (size_t)(nul - r.p) + 1;
			if (++w->depth > FIT_MAX_DEPTH)
				return "nodes nested too deep";
			if (w->depth == 1 && nlen != 1)
				return "root node has a name";
			begin_node(w, (const char *)r.p);
			Sl_rd_skip(&r, (nlen + 3) & ~(size_t)3);
			if (r.bad)
				return "node name padding runs past the "
				       "structure block";
			break;
		case FDT_END_NODE:
			if (w->depth == 0)
				return "END_NODE without a node";
			end_node(w);
			break;
		case FDT_PROP:
			len = Sl_rd_be32(&r);
			nameoff = Sl_rd_be32(&r);
			/* UNTRUSTED: len is bounded by what is left. */
			v = Sl_rd_bytes(&r, len);
			if (v == NULL)
				return "property runs past the structure "
				       "block";
			Sl_rd_skip(&r, (4 - (len & 3)) & 3);
			if (w->depth == 0)
				return "property outside any node";
			if (++w->nprops > FIT_MAX_PROPS)
				return "too many properties";
			prop(w, nameoff, v, len);
			break;
		case FDT_NOP: break;
		case FDT_END:
			if (w->depth != 0)
				return "END token inside a node";
			return NULL;
		default: return "unknown token";
		}
	}
}

/* A string property as printable ASCII in the arena, or "?". */
static const char *
str(struct Sl_arena *a, const struct fit_str *s)
{
	char buf[FIT_MAX_STR + 1];
	const char *r;
	size_t i, n = s->n;

	if (s->p == NULL)
		return "?";
	while (n > 0 && s->p[n - 1] == 0)
		n--;
	if (n > FIT_MAX_STR)
		n = FIT_MAX_STR;
	for (i = 0; i < n; i++)
		buf[i] =
		    s->p[i] >= 0x20 && s->p[i] < 0x7f ? (char)s->p[i] : '?';
	buf[n] = 0;
	r = Sl_arena_strdup(a, buf);
	return r != NULL ? r : "?";
}

/* A node name made safe for a path: printable ASCII but '/'. */
static const char *
safe_name(struct Sl_arena *a, const char *name)
{
	char *s = Sl_arena_strndup(a, name, SL_MAX_NAME);
	char *c;

	for (c = s; c != NULL && *c != 0; c++)
		if (*c <= 0x20 || *c >= 0x7f || *c == '/')
			*c = '_';
	return s;
}

/*
 * Check one hash node of an image against its data p[0..n).  Returns 1
 * when the value matches, 0 when it does not, -1 when the algorithm is not
 * one checked here or the node has no usable value.
 */
static int
check_hash(const struct fit_str *algo, const struct fit_str *value,
           const uint8_t *p, size_t n)
{
	static const struct {
		const char *name;
		const EVP_MD *(*md)(void);
	} mds[] = {
	    {"md5", EVP_md5},       {"sha1", EVP_sha1},
	    {"sha256", EVP_sha256}, {"sha384", EVP_sha384},
	    {"sha512", EVP_sha512},
	};
	uint8_t out[EVP_MAX_MD_SIZE];
	unsigned int outlen = 0;
	char name[16];
	size_t i, k = algo->n;

	if (algo->p == NULL || value->p == NULL)
		return -1;
	while (k > 0 && algo->p[k - 1] == 0)
		k--;
	if (k == 0 || k >= sizeof(name) || memchr(algo->p, 0, k) != NULL)
		return -1;
	memcpy(name, algo->p, k);
	name[k] = 0;
	if (strcmp(name, "crc32") == 0) {
		uLong crc = crc32(0L, Z_NULL, 0);

		if (value->n != 4)
			return -1;
		/* Chunks: zlib's crc32() takes 32-bit lengths. */
		for (i = 0; i < n; i += 1U << 30)
			crc =
			    crc32(crc, p + i,
			          (uInt)(n - i < 1U << 30 ? n - i : 1U << 30));
		return Sl_get_be32(value->p) == (uint32_t)crc;
	}
	for (i = 0; i < SL_ARRAY_LEN(mds); i++) {
		if (strcmp(name, mds[i].name) != 0)
			continue;
		if (EVP_Digest(p, n, out, &outlen, mds[i].md(), NULL) != 1)
			return -1;
		return value->n == outlen && memcmp(out, value->p, outlen) == 0;
	}
	return -1;
}

/*
 * The note of one image.  data is its content, or NULL when it is not all
 * there; its hashes are checked against it and each mismatch is recorded
 * as incomplete.
 */
static const char *
image_note(struct Sl_layer *l, const struct fit_image *im, const char *name,
           bool conf_signed, bool external, const uint8_t *data, uint64_t off,
           uint64_t len)
{
	struct Sl_arena *a = Sl_scan_arena(l->scan);
	char hashes[160] = "";
	const char *alg, *state;
	unsigned i;

	for (i = 0; i < im->nhash; i++) {
		size_t k = strlen(hashes);
		int ok = data == NULL
		             ? -1
		             : check_hash(&im->hash[i].algo, &im->hash[i].value,
		                          data, (size_t)len);

		alg = str(a, &im->hash[i].algo);
		state = ok == 1 ? "ok" : ok == 0 ? "MISMATCH" : "not checked";
		if (ok == 0)
			Sl_incomplete(l->scan,
			              "%s: image node \"%s\": data at offset "
			              "0x%llx (0x%llx bytes): %s hash mismatch",
			              l->prefix, name, (unsigned long long)off,
			              (unsigned long long)len, alg);
		snprintf(hashes + k, sizeof(hashes) - k, "%s%s %s",
		         k ? ", " : "; hash ", alg, state);
	}
	return Sl_arena_printf(
	    a, "%s, %s, %s%s%s: %s%s%s%s%s", str(a, &im->type),
	    str(a, &im->comp), str(a, &im->arch), im->os.p ? ", " : "",
	    im->os.p ? str(a, &im->os) : "", str(a, &im->desc),
	    external ? "; external data" : "", hashes,
	    im->signed_img ? "; signed (image signature)" : "",
	    conf_signed ? "; signed (configuration "
	                  "signature)"
	                : "");
}

/*
 * Add the file for one image.  ext is the FIT's external-data base (the
 * blob's size rounded up to 4); *end grows to the last byte used.
 */
static void
add_image(struct Sl_layer *l, const struct fit_image *im, bool conf_signed,
          uint64_t ext, uint64_t *end)
{
	struct Sl_arena *a = Sl_scan_arena(l->scan);
	struct sl_entry e = {0};
	struct Sl_node *n;
	const char *name = safe_name(a, im->name);
	uint64_t off, len, stop;
	bool external = false, whole = true;

	if (name == NULL)
		return;
	if (im->has_data) {
		off = im->off;
		len = im->len;
	} else if ((im->has_ext_pos || im->has_ext_off) && im->has_ext_size) {
		external = true;
		/* UNTRUSTED: offsets and sizes from the tree, checked below. */
		if (im->has_ext_pos)
			off = im->ext_pos;
		else if (!Sl_add_ok(ext, im->ext_off, &off))
			off = UINT64_MAX;
		len = im->ext_size;
	} else {
		Sl_incomplete(l->scan,
		              "%s: image node \"%s\": no data, nor "
		              "data-offset/data-position with data-size",
		              l->prefix, name);
		return;
	}
	if (!Sl_add_ok(off, len, &stop) || stop > l->len) {
		if (off >= l->len) {
			Sl_incomplete(l->scan,
			              "%s: image node \"%s\": external data "
			              "at offset 0x%llx lies past the end of "
			              "the image (truncated)",
			              l->prefix, name, (unsigned long long)off);
			return;
		}
		Sl_incomplete(l->scan,
		              "%s: image node \"%s\": data at offset 0x%llx: "
		              "0x%llx bytes declared, only 0x%llx present "
		              "(image truncated)",
		              l->prefix, name, (unsigned long long)off,
		              (unsigned long long)len,
		              (unsigned long long)(l->len - off));
		len = l->len - off;
		stop = l->len;
		whole = false;
	}
	/* mkimage pads each external image to 4 bytes. */
	if (external && (stop & 3) != 0 && stop + (4 - (stop & 3)) <= l->len)
		stop += 4 - (stop & 3);
	if (stop > *end)
		*end = stop;
	e.type = SL_FT_REG;
	e.mode = 0644;
	e.size = len;
	e.note = image_note(l, im, name, conf_signed, external,
	                    whole ? l->data + off : NULL, off, len);
	n = Sl_add(l, name, &e);
	if (n != NULL)
		n->ref = off;
}

static sl_rc
fit_open(struct Sl_layer *l)
{
	struct fdt_hdr h;
	struct fit_walk w;
	const char *why;
	uint64_t where = 0, end, ext;
	size_t i;

	if (!parse_header(l->data, l->len, &h))
		return SL_E_MALFORMED;
	memset(&w, 0, sizeof(w));
	w.l = l;
	w.h = &h;
	w.cur = -1;

	if (h.totalsize > l->len) {
		/*
		 * Truncated: walk what is left of the structure block for
		 * /images without property names, to tell a FIT from a DTB.
		 */
		if (h.off_struct >= l->len)
			return SL_E_MALFORMED;
		(void)walk(&w, l->data + h.off_struct,
		           l->len - h.off_struct < h.size_struct
		               ? l->len - h.off_struct
		               : h.size_struct,
		           h.off_struct, &where);
		if (!w.saw_images)
			return SL_E_MALFORMED;
		Sl_incomplete(l->scan,
		              "%s: device tree blob at offset 0x0: 0x%x bytes "
		              "declared, only 0x%llx present (image "
		              "truncated); its images are not listed and "
		              "their bytes are carved instead",
		              l->prefix, h.totalsize,
		              (unsigned long long)l->len);
		l->size = h.hdrlen;
		return SL_OK;
	}

	w.strings = l->data + h.off_strings;
	w.collect = true;
	why = walk(&w, l->data + h.off_struct, h.size_struct, h.off_struct,
	           &where);
	if (!w.saw_images) {
		free(w.img);
		return SL_E_MALFORMED; /* a plain device tree, or not one */
	}
	if (why != NULL)
		Sl_incomplete(l->scan,
		              "%s: structure block at offset 0x%llx: %s; the "
		              "rest of the tree is not read",
		              l->prefix, (unsigned long long)where, why);
	if (w.capped)
		Sl_incomplete(l->scan,
		              "%s: more than %zu images (or out of memory); "
		              "the rest are not listed",
		              l->prefix, w.nimg);

	end = h.totalsize;
	ext = ((uint64_t)h.totalsize + 3) & ~(uint64_t)3;
	for (i = 0; i < w.nimg; i++)
		add_image(l, &w.img[i], w.conf_signed, ext, &end);
	free(w.img);
	l->size = end;
	return SL_OK;
}

const struct Sl_reader Sl_reader_fit = {
    .name = "fit",
    .description = "U-Boot Flattened Image Tree (FIT)",
    .nest = SL_NEST_CARVE,
    .magics = fit_magics,
    .bid = fit_bid,
    .open = fit_open,
    .read = NULL,
    .close = NULL,
};
