/*
 * update_sig.c - verify the image's update signature with a vendor key
 * (`starlab firmware --update-key FILE`, S1.1-08).
 *
 * The key is a PEM or DER public key (SubjectPublicKeyInfo or PKCS#1), an
 * X.509 certificate (PEM or DER), or a usign/signify public key.  The
 * signatures looked for:
 *   - FIT image signatures: a signature-N node under an image node of a
 *     FIT (mkimage -f x.its -k keydir), algo "sha1|sha256|sha384|sha512,
 *     rsaNNNN|ecdsaNNN", padding "pkcs-1.5" (default) or "pss"; its value
 *     signs the image's data (inline, or external with mkimage -E/-p).
 *     RSA values are raw PKCS#1 signatures, ECDSA values U-Boot's raw
 *     r||s, turned into DER for OpenSSL.  Configuration signatures sign a
 *     set of tree regions (U-Boot's fdt_find_regions); they are not
 *     verified here, and the scan notes it as incomplete.
 *   - A detached signature next to the image, IMAGE.sig: a signify/usign
 *     signature file ("untrusted comment:" and the base64 of "Ed", the key
 *     number and 64 signature bytes) over the whole image, or a raw
 *     signature (openssl dgst -sign / pkeyutl -sign -rawin): Ed25519 over
 *     the image, RSA PKCS#1 v1.5 or ECDSA (DER) over its SHA-256 (then
 *     SHA-512, SHA-384, SHA-1).
 * Outcomes (kinds of update.c's table): FW-UPDATE-SIGNATURE-VALID (info)
 * per signature that verifies, FW-UPDATE-SIGNATURE-INVALID (high) per one
 * that does not, and FW-UPDATE-UNSIGNED (high) when the image carries
 * none.  A key that
 * cannot be read or parsed fails the check, so the scan is incomplete.
 *
 * Trust: the FIT's bytes are untrusted.  The header's blocks must lie in
 * its total size, every token is read through the bounded cursor, node
 * depth, property, image and signature counts are capped (SIG_MAX_*), and
 * data offsets and sizes are checked against the bytes present.  The key
 * and the .sig file are read up to UPD_MAX_KEYFILE bytes.
 *
 * Why by hand: the FIT reader (src/reader/fit.c) lists images but keeps
 * no signature values; libfdt is not a project dependency, and U-Boot's
 * fit_check_sign is a program, not a library.  The walk needed here is a
 * few dozen lines over the same bounded cursor; the cryptography is
 * OpenSSL's.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/decoder.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

#include "update_check.h"

#define FDT_MAGIC      0xd00dfeedu
#define SIG_MAX_DEPTH  SL_NEST_FDT /* src/limits.h */
#define SIG_MAX_PROPS  65536
#define SIG_MAX_IMAGES 64
#define SIG_MAX_SIGS   4  /* signature nodes kept per image */
#define SIG_MAX_FITS   16 /* FIT containers verified per scan */
#define SIG_MAX_STR    64 /* bytes of an algo or hint kept */

struct fstr {
	const uint8_t *p;
	size_t n;
};

struct sig_node {
	struct fstr algo, value, padding, hint;
};

struct img_node {
	struct fstr name;
	bool has_data, has_off, has_pos, has_size;
	uint64_t data_off, data_len, ext_off, ext_pos, ext_size;
	struct sig_node sig[SIG_MAX_SIGS];
	unsigned nsig;
};

struct fit {
	const uint8_t *p;
	size_t n;
	uint32_t totalsize, off_struct, size_struct, off_strings, size_strings;
	struct img_node img[SIG_MAX_IMAGES];
	unsigned nimg;
	bool conf_sig, capped;
};

/* ------------------------------------------------------------------ */
/* Keys                                                                 */
/* ------------------------------------------------------------------ */

/*
 * The payload of a signify/usign file: "untrusted comment: ..." then one
 * base64 line.  Returns its decoded length (into out), or -1.
 */
static long
signify_blob(const uint8_t *p, size_t n, uint8_t *out, size_t cap)
{
	const uint8_t *nl;
	size_t a, b;

	if (n < 19 || memcmp(p, "untrusted comment:", 18) != 0)
		return -1;
	nl = memchr(p, '\n', n);
	if (nl == NULL)
		return -1;
	a = (size_t)(nl - p) + 1;
	for (b = a; b < n && p[b] != '\n' && p[b] != '\r' && b - a < 512; b++)
		;
	return Sl_base64_decode((const char *)p + a, b - a, out, cap, 0);
}

struct evp_pkey_st *
Sl_upd_key_parse(const uint8_t *p, size_t n, uint8_t keynum[8],
                 bool *has_keynum)
{
	EVP_PKEY *pk = NULL;
	OSSL_DECODER_CTX *dc;
	X509 *x = NULL;
	BIO *bio;
	uint8_t raw[64];
	const unsigned char *q;
	size_t left;

	*has_keynum = false;
	if (signify_blob(p, n, raw, sizeof(raw)) == 42) {
		if (raw[0] != 'E' || raw[1] != 'd')
			return NULL;
		memcpy(keynum, raw + 2, 8);
		*has_keynum = true;
		return EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, NULL,
		                                   raw + 10, 32);
	}
	if (n == 0 || n > UPD_MAX_KEYFILE)
		return NULL;
	/* A public key, PEM or DER, SubjectPublicKeyInfo or type-specific. */
	dc = OSSL_DECODER_CTX_new_for_pkey(&pk, NULL, NULL, NULL,
	                                   EVP_PKEY_PUBLIC_KEY, NULL, NULL);
	if (dc != NULL) {
		q = p;
		left = n;
		if (OSSL_DECODER_from_data(dc, &q, &left) != 1)
			pk = NULL;
		OSSL_DECODER_CTX_free(dc);
	}
	if (pk == NULL) {
		/* A certificate, PEM then DER. */
		bio = BIO_new_mem_buf(p, (int)n);
		if (bio != NULL) {
			x = PEM_read_bio_X509(bio, NULL, NULL, NULL);
			BIO_free(bio);
		}
		if (x == NULL) {
			q = p;
			x = d2i_X509(NULL, &q, (long)n);
		}
		if (x != NULL) {
			pk = X509_get_pubkey(x);
			X509_free(x);
		}
	}
	ERR_clear_error();
	return pk;
}

/*
 * Read a whole small regular file (at most UPD_MAX_KEYFILE bytes, never
 * through a symbolic link) into malloc'd memory.  Returns 0, or an errno
 * value (ENOENT when absent, ELOOP for a link, EFBIG when too large).
 */
static int
slurp(const char *path, uint8_t **out, size_t *len)
{
	char *buf;

	*out = NULL;
	if (Sl_read_file(path, UPD_MAX_KEYFILE, &buf, len) != SL_OK)
		return errno;
	*out = (uint8_t *)buf;
	return 0;
}

/* ------------------------------------------------------------------ */
/* Signatures                                                           */
/* ------------------------------------------------------------------ */

static const EVP_MD *
md_named(const char *name, size_t n)
{
	static const struct {
		const char *name;
		const EVP_MD *(*md)(void);
	} mds[] = {
	    {"sha1", EVP_sha1},
	    {"sha256", EVP_sha256},
	    {"sha384", EVP_sha384},
	    {"sha512", EVP_sha512},
	};
	size_t i;

	for (i = 0; i < SL_ARRAY_LEN(mds); i++)
		if (strlen(mds[i].name) == n &&
		    memcmp(mds[i].name, name, n) == 0)
			return mds[i].md();
	return NULL;
}

/* One digest-and-verify; pss selects RSA-PSS.  1 good, 0 not. */
static int
dverify(EVP_PKEY *key, const EVP_MD *md, bool pss, const uint8_t *sig,
        size_t siglen, const uint8_t *data, size_t len)
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	EVP_PKEY_CTX *pctx = NULL;
	int ok = 0;

	if (ctx == NULL)
		return 0;
	if (EVP_DigestVerifyInit(ctx, &pctx, md, NULL, key) == 1 &&
	    (!pss ||
	     (EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) == 1 &&
	      EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, RSA_PSS_SALTLEN_AUTO) ==
	          1)))
		ok = EVP_DigestVerify(ctx, sig, siglen, data, len) == 1;
	EVP_MD_CTX_free(ctx);
	ERR_clear_error();
	return ok;
}

/* U-Boot's raw ECDSA r||s as DER (malloc'd into *der), or 0 bytes. */
static size_t
ecdsa_der(const uint8_t *v, size_t n, uint8_t **der)
{
	ECDSA_SIG *es;
	BIGNUM *r, *s;
	int k;

	*der = NULL;
	if (n == 0 || n % 2 != 0 || n > 2 * 66)
		return 0;
	es = ECDSA_SIG_new();
	r = BN_bin2bn(v, (int)(n / 2), NULL);
	s = BN_bin2bn(v + n / 2, (int)(n / 2), NULL);
	if (es == NULL || r == NULL || s == NULL ||
	    ECDSA_SIG_set0(es, r, s) != 1) {
		BN_free(r);
		BN_free(s);
		ECDSA_SIG_free(es);
		return 0;
	}
	k = i2d_ECDSA_SIG(es, der);
	ECDSA_SIG_free(es);
	return k > 0 ? (size_t)k : 0;
}

/*
 * Verify one FIT signature node over data.  1 verified, 0 not (a wrong
 * key, a key of another type, a bad value), -1 an algorithm not handled.
 */
static int
fit_sig_check(EVP_PKEY *key, const struct sig_node *sg, const uint8_t *data,
              size_t len)
{
	const char *a = (const char *)sg->algo.p, *comma;
	size_t an = sg->algo.n;
	const EVP_MD *md;
	uint8_t *der;
	size_t dn;
	int ok;
	bool pss;

	if (a == NULL)
		return -1;
	while (an > 0 && a[an - 1] == 0)
		an--;
	if (an == 0 || memchr(a, 0, an) != NULL)
		return -1;
	comma = memchr(a, ',', an);
	if (comma == NULL)
		return -1;
	md = md_named(a, (size_t)(comma - a));
	if (md == NULL)
		return -1;
	pss = sg->padding.n >= 3 && memcmp(sg->padding.p, "pss", 3) == 0;
	if ((size_t)(a + an - comma) > 4 && memcmp(comma + 1, "rsa", 3) == 0) {
		if (key == NULL || EVP_PKEY_get_base_id(key) != EVP_PKEY_RSA)
			return 0;
		return dverify(key, md, pss, sg->value.p, sg->value.n, data,
		               len);
	}
	if ((size_t)(a + an - comma) > 6 &&
	    memcmp(comma + 1, "ecdsa", 5) == 0) {
		if (key == NULL || EVP_PKEY_get_base_id(key) != EVP_PKEY_EC)
			return 0;
		dn = ecdsa_der(sg->value.p, sg->value.n, &der);
		if (dn == 0)
			return 0;
		ok = dverify(key, md, false, der, dn, data, len);
		OPENSSL_free(der);
		return ok;
	}
	return -1;
}

/* ------------------------------------------------------------------ */
/* The FIT walk                                                         */
/* ------------------------------------------------------------------ */

static bool
fdt_header(struct fit *f)
{
	struct Sl_rd r;
	uint32_t version, last, rsv;

	Sl_rd_init(&r, f->p, f->n);
	if (Sl_rd_be32(&r) != FDT_MAGIC)
		return false;
	f->totalsize = Sl_rd_be32(&r);
	f->off_struct = Sl_rd_be32(&r);
	f->off_strings = Sl_rd_be32(&r);
	rsv = Sl_rd_be32(&r);
	version = Sl_rd_be32(&r);
	last = Sl_rd_be32(&r);
	(void)Sl_rd_be32(&r); /* boot_cpuid_phys */
	f->size_strings = Sl_rd_be32(&r);
	f->size_struct = Sl_rd_be32(&r);
	if (r.bad || version < 17 || last > 17)
		return false;
	/* UNTRUSTED: every block lies in totalsize, which lies in n. */
	return f->totalsize <= f->n && f->totalsize >= 40 &&
	       f->off_struct >= 40 && f->off_strings >= 40 && rsv >= 40 &&
	       f->off_struct <= f->totalsize &&
	       f->size_struct <= f->totalsize - f->off_struct &&
	       f->off_strings <= f->totalsize &&
	       f->size_strings <= f->totalsize - f->off_strings &&
	       (f->off_struct & 3) == 0;
}

/* Property name at nameoff in the strings block, or NULL. */
static const char *
prop_name(const struct fit *f, uint32_t nameoff)
{
	const uint8_t *s = f->p + f->off_strings;

	if (nameoff >= f->size_strings ||
	    memchr(s + nameoff, 0, f->size_strings - nameoff) == NULL)
		return NULL;
	return (const char *)s + nameoff;
}

static bool
num(const uint8_t *v, uint32_t len, uint64_t *out)
{
	if (len == 4)
		*out = Sl_get_be32(v);
	else if (len == 8)
		*out = (uint64_t)Sl_get_be32(v) << 32 | Sl_get_be32(v + 4);
	else
		return false;
	return true;
}

static void
on_prop(struct fit *f, unsigned depth, int sect, struct img_node *im,
        struct sig_node *sg, const char *name, const uint8_t *v, uint32_t len)
{
	struct fstr val = {v, len};

	if (sect != 1 || im == NULL)
		return;
	if (depth == 3) {
		if (strcmp(name, "data") == 0) {
			im->has_data = true;
			im->data_off = (uint64_t)(v - f->p);
			im->data_len = len;
		} else if (strcmp(name, "data-offset") == 0) {
			im->has_off = num(v, len, &im->ext_off);
		} else if (strcmp(name, "data-position") == 0) {
			im->has_pos = num(v, len, &im->ext_pos);
		} else if (strcmp(name, "data-size") == 0) {
			im->has_size = num(v, len, &im->ext_size);
		}
	} else if (depth == 4 && sg != NULL) {
		if (strcmp(name, "algo") == 0)
			sg->algo = val;
		else if (strcmp(name, "value") == 0)
			sg->value = val;
		else if (strcmp(name, "padding") == 0)
			sg->padding = val;
		else if (strcmp(name, "key-name-hint") == 0)
			sg->hint = val;
	}
}

/* Walk the structure block; false when it is damaged. */
static bool
walk(struct fit *f)
{
	struct Sl_rd r;
	unsigned depth = 0;
	unsigned long nprops = 0;
	int sect = 0; /* 1 images, 2 configurations */
	struct img_node *im = NULL;
	struct sig_node *sg = NULL;

	Sl_rd_init(&r, f->p + f->off_struct, f->size_struct);
	for (;;) {
		uint32_t tok = Sl_rd_be32(&r), len, nameoff;
		const uint8_t *nul, *v;
		const char *name;
		size_t nlen;

		if (r.bad)
			return false;
		switch (tok) {
		case 1: /* BEGIN_NODE */
			nul = memchr(r.p, 0, r.left);
			if (nul == NULL || ++depth > SIG_MAX_DEPTH)
				return false;
			name = (const char *)r.p;
			nlen = (size_t)(nul - r.p);
			if (depth == 2)
				sect = strcmp(name, "images") == 0 ? 1
				       : strcmp(name, "configurations") == 0
				           ? 2
				           : 0;
			else if (depth == 3 && sect == 1) {
				im = NULL;
				if (f->nimg < SIG_MAX_IMAGES) {
					im = &f->img[f->nimg++];
					memset(im, 0, sizeof(*im));
					im->name = (struct fstr){r.p, nlen};
				} else {
					f->capped = true;
				}
			} else if (depth == 4 &&
			           strncmp(name, "signature", 9) == 0) {
				if (sect == 2)
					f->conf_sig = true;
				sg = NULL;
				if (sect == 1 && im != NULL &&
				    im->nsig < SIG_MAX_SIGS)
					sg = &im->sig[im->nsig++];
			}
			Sl_rd_skip(&r, (nlen + 1 + 3) & ~(size_t)3);
			break;
		case 2: /* END_NODE */
			if (depth == 0)
				return false;
			if (depth == 2)
				sect = 0;
			else if (depth == 3)
				im = NULL;
			else if (depth == 4)
				sg = NULL;
			depth--;
			break;
		case 3: /* PROP */
			len = Sl_rd_be32(&r);
			nameoff = Sl_rd_be32(&r);
			/* UNTRUSTED: len is bounded by what is left. */
			v = Sl_rd_bytes(&r, len);
			if (v == NULL || depth == 0 || ++nprops > SIG_MAX_PROPS)
				return false;
			Sl_rd_skip(&r, (4 - (len & 3)) & 3);
			name = prop_name(f, nameoff);
			if (name != NULL)
				on_prop(f, depth, sect, im,
				        depth == 4 ? sg : NULL, name, v, len);
			break;
		case 4: /* NOP */ break;
		case 9: /* END */ return depth == 0;
		default: return false;
		}
	}
}

/* The bytes an image node's signature covers, or false. */
static bool
image_data(const struct fit *f, const struct img_node *im, const uint8_t **p,
           size_t *n)
{
	uint64_t off, len, end;

	if (im->has_data) {
		off = im->data_off;
		len = im->data_len;
	} else if ((im->has_pos || im->has_off) && im->has_size) {
		/* UNTRUSTED: external data, checked against the bytes. */
		if (im->has_pos)
			off = im->ext_pos;
		else if (!Sl_add_ok(((uint64_t)f->totalsize + 3) & ~3ULL,
		                    im->ext_off, &off))
			return false;
		len = im->ext_size;
	} else {
		return false;
	}
	if (!Sl_add_ok(off, len, &end) || end > f->n)
		return false;
	*p = f->p + off;
	*n = (size_t)len;
	return true;
}

/* A FIT string as printable text (at most SIG_MAX_STR bytes). */
static void
fstr_text(const struct fstr *s, char *out, size_t cap)
{
	size_t i, n = s->n;

	if (s->p == NULL) {
		snprintf(out, cap, "?");
		return;
	}
	while (n > 0 && s->p[n - 1] == 0)
		n--;
	if (n > cap - 1)
		n = cap - 1;
	for (i = 0; i < n; i++)
		out[i] = s->p[i] > 0x20 && s->p[i] < 0x7f && s->p[i] != '/'
		             ? (char)s->p[i]
		             : '_';
	out[n] = 0;
}

static sl_rc
sig_finding(struct sl_scan *s, bool ok, const char *path, uint64_t off,
            bool has_off, const char *excerpt, const char *title)
{
	return Sl_report(
	    s, &Sl_upd_findings[ok ? UPD_F_SIG_VALID : UPD_F_SIG_INVALID],
	    &(struct Sl_at){.ev = &(struct sl_evidence){.path = path,
	                                                .offset = off,
	                                                .has_offset = has_off},
	                    .excerpt = excerpt,
	                    .title = title});
}

int
Sl_upd_fit_verify(struct sl_scan *s, const char *where, const uint8_t *p,
                  size_t n, struct evp_pkey_st *key, bool *conf_signed)
{
	struct fit *f;
	unsigned i, j;
	int nsig = 0;

	*conf_signed = false;
	f = calloc(1, sizeof(*f));
	if (f == NULL)
		return -1;
	f->p = p;
	f->n = n;
	if (!fdt_header(f) || !walk(f)) {
		free(f);
		return -1;
	}
	*conf_signed = f->conf_sig;
	for (i = 0; i < f->nimg; i++) {
		const struct img_node *im = &f->img[i];
		const uint8_t *data;
		size_t len;
		char name[SIG_MAX_STR + 1], algo[SIG_MAX_STR + 1],
		    hint[SIG_MAX_STR + 1];
		const char *path, *ex, *title;

		fstr_text(&im->name, name, sizeof(name));
		path = Sl_arena_printf(&s->arena, "%s!/%s", where, name);
		for (j = 0; j < im->nsig && path != NULL; j++) {
			const struct sig_node *sg = &im->sig[j];
			int ok = -2;

			nsig++;
			fstr_text(&sg->algo, algo, sizeof(algo));
			fstr_text(&sg->hint, hint, sizeof(hint));
			if (image_data(f, im, &data, &len))
				ok = fit_sig_check(key, sg, data, len);
			if (ok == -1) {
				Sl_incomplete(
				    s,
				    "%s: signature algorithm \"%s\" is "
				    "not verified by starlab",
				    path, algo);
				continue;
			}
			ex = Sl_arena_printf(
			    &s->arena,
			    "signature node %u: algo %s, key-name-hint "
			    "%s%s",
			    j + 1, algo, hint,
			    ok == -2 ? "; the image's data is not all there"
			             : "");
			title =
			    ok == 1
			        ? "FIT image signature verifies with the "
			          "update key"
			        : "FIT image signature does not verify with "
			          "the update key";
			if (ex == NULL || sig_finding(s, ok == 1, path, 0, true,
			                              ex, title) != SL_OK) {
				free(f);
				return -2;
			}
		}
	}
	if (f->capped)
		Sl_incomplete(s,
		              "%s: more than %u images; the signatures of "
		              "the rest were not verified",
		              where, SIG_MAX_IMAGES);
	free(f);
	return nsig;
}

/* ------------------------------------------------------------------ */
/* The detached signature                                               */
/* ------------------------------------------------------------------ */

/*
 * Verify IMAGE.sig over the image.  Returns 1 when there was one (and a
 * finding was added), 0 when there is none, or an error.
 */
static int
detached(struct sl_scan *s, EVP_PKEY *key, const uint8_t keynum[8],
         bool has_keynum, sl_rc *rc)
{
	static const char *const mds[] = {"sha256", "sha512", "sha384", "sha1"};
	uint8_t *sig = NULL, raw[128];
	const char *path, *ex, *title;
	size_t n, i;
	long k;
	int err, ok = 0, type;

	*rc = SL_OK;
	if (s->fw_path == NULL || s->fw_map == NULL)
		return 0;
	path = Sl_arena_printf(&s->arena, "%s.sig", s->fw_path);
	if (path == NULL) {
		*rc = SL_E_NOMEM;
		return 0;
	}
	err = slurp(path, &sig, &n);
	if (err == ENOENT)
		return 0;
	if (err != 0) {
		Sl_incomplete(s, "%s: signature file not read: %s", path,
		              strerror(err));
		return 0;
	}
	type = EVP_PKEY_get_base_id(key);
	k = signify_blob(sig, n, raw, sizeof(raw));
	if (k >= 0) {
		/* "Ed", the key number, 64 signature bytes. */
		ex = "signify/usign signature";
		if (k == 74 && raw[0] == 'E' && raw[1] == 'd' &&
		    type == EVP_PKEY_ED25519 &&
		    (!has_keynum || memcmp(raw + 2, keynum, 8) == 0))
			ok = dverify(key, NULL, false, raw + 10, 64, s->fw_map,
			             s->fw_size);
		else if (k == 74 && has_keynum &&
		         memcmp(raw + 2, keynum, 8) != 0)
			ex = "signify/usign signature made with another key "
			     "(key numbers differ)";
	} else if (type == EVP_PKEY_ED25519 || type == EVP_PKEY_ED448) {
		ex = "raw EdDSA signature over the image";
		ok = dverify(key, NULL, false, sig, n, s->fw_map, s->fw_size);
	} else {
		ex = "raw signature over the image's digest";
		for (i = 0; i < SL_ARRAY_LEN(mds) && !ok; i++)
			ok = dverify(key, md_named(mds[i], strlen(mds[i])),
			             false, sig, n, s->fw_map, s->fw_size);
	}
	free(sig);
	title = ok ? "detached image signature verifies with the update key"
	           : "detached image signature does not verify with the "
	             "update key";
	*rc = sig_finding(s, ok, Sl_basename(path), 0, false, ex, title);
	return 1;
}

sl_rc
Sl_upd_verify(struct sl_scan *s)
{
	struct Sl_layer *l;
	EVP_PKEY *key;
	uint8_t *buf, keynum[8] = {0};
	size_t n, nfit = 0;
	bool has_keynum, conf, any_conf = false;
	int err, got, total = 0;
	sl_rc rc = SL_OK;

	err = slurp(s->update_key, &buf, &n);
	if (err != 0)
		return Sl_fail(s, SL_E_IO, "update key %s: %s", s->update_key,
		               strerror(err));
	key = Sl_upd_key_parse(buf, n, keynum, &has_keynum);
	free(buf);
	if (key == NULL)
		return Sl_fail(
		    s, SL_E_MALFORMED,
		    "update key %s: not a PEM or DER public key, an "
		    "X.509 certificate or a usign/signify public key",
		    s->update_key);
	for (l = s->layers; l != NULL && rc == SL_OK; l = l->next) {
		if (strcmp(l->rd->name, "fit") != 0)
			continue;
		if (++nfit > SIG_MAX_FITS) {
			Sl_incomplete(s,
			              "more than %u FIT images; the rest "
			              "were not verified",
			              SIG_MAX_FITS);
			break;
		}
		got = Sl_upd_fit_verify(s, l->prefix, l->data, (size_t)l->size,
		                        key, &conf);
		if (got == -2)
			rc = SL_E_NOMEM;
		if (got > 0)
			total += got;
		if (conf && got <= 0) {
			any_conf = true;
			Sl_incomplete(s,
			              "%s: signed by configuration "
			              "signatures, which starlab does not "
			              "verify (check with U-Boot's "
			              "fit_check_sign)",
			              l->prefix);
		}
	}
	if (rc == SL_OK)
		total += detached(s, key, keynum, has_keynum, &rc);
	if (rc == SL_OK && total == 0 && !any_conf) {
		rc = Sl_report(
		    s, &Sl_upd_findings[UPD_F_UNSIGNED],
		    &(struct Sl_at){
		        .ev = &(struct sl_evidence){.path = s->fw_name,
		                                    .has_offset =
		                                        s->fw_name != NULL},
		        .excerpt = "no FIT signature node and no "
		                   "IMAGE.sig next to the image"});
	}
	EVP_PKEY_free(key);
	if (rc == SL_E_NOMEM)
		return Sl_fail(s, rc, "fw.update: out of memory");
	return rc;
}
