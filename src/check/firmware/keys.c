/*
 * keys.c - private keys and certificates shipped in the image (S1.1-11,
 * and S1.1-12 for what the certificates say about TLS).
 *
 * Every regular file and region up to SL_KEYS_MAX_FILE bytes is searched
 * for PEM blocks (at most KEYS_MAX_BLOCKS per file) and PuTTY key files;
 * files named like keys (*.key, *.der, *.pem, *.crt, *.cer) that hold no
 * PEM are tried as DER, and Dropbear host keys are recognised by name.
 * Larger files reach Sl_keys_examine through fw.secrets' content pass
 * when it sees a PEM header in them.
 *
 * Findings:
 *   - FW-PRIVATE-KEY-PLAINTEXT: a private key stored without encryption
 *     (PKCS#8, RSA, EC, DSA, OpenSSH, PuTTY, DER, Dropbear).  Encrypted
 *     keys are what S1.1-11 asks for and give no finding.
 *     When the file is one every user may read (mode & 004, from the
 *     image's own metadata) the same finding says so: one key, one
 *     finding (FW-PRIVATE-KEY-WORLD-READABLE is no longer reported).
 *   - FW-CERT-EXPIRED, FW-CERT-EXPIRING (within two years: the product's
 *     support period is not known without a profile), FW-CERT-WEAK-KEY
 *     (RSA or DSA under 2048 bits, EC under 256), FW-CERT-WEAK-SIGNATURE
 *     (MD2, MD4, MD5, SHA-1), FW-CERT-SELF-SIGNED.
 *   - FW-CERT-KEY-EMBEDDED: a private key in the image belongs to a
 *     certificate in the image, so every unit shares that TLS identity.
 *     Matching compares SubjectPublicKeyInfo DER (by SHA-256), which is
 *     what X509_check_private_key decides, without keeping every key and
 *     certificate parsed until the end of the pass.
 * Trust material (CA certificates in bundles or CA directories, or with
 * keyCertSign) is not a device identity: only a weak key is reported for
 * it, since self-signature, its hash and its dates are by design.
 *
 * Input is untrusted: a PEM block is at most KEYS_MAX_PEM bytes, labels
 * KEYS_MAX_LABEL, and only OpenSSL's decoders (no password callback ever
 * prompts) and a bounded cursor (OpenSSH, Dropbear) read key bytes.  No
 * key material reaches the report: excerpts quote PEM header lines,
 * certificate subjects and file names only.
 */
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/pem.h>
#include <openssl/pkcs12.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "firmware.h"
#include "scan.h"

#define KEYS_MAX_BLOCKS    64              /* PEM blocks examined per file */
#define KEYS_MAX_LABEL     48              /* bytes of a PEM label */
#define KEYS_MAX_PEM       (64U << 10)     /* bytes of one PEM block */
#define KEYS_MAX_DER       (64U << 10)     /* named files tried as DER */
#define KEYS_MAX_PBE_ITER  100000L         /* key-derivation rounds tried */
#define KEYS_MAX_PBE_TRIES 256             /* encrypted keys tried per scan */
#define KEYS_MAX_RECORDS   100000          /* keys and certificates per scan */
#define KEYS_SOON          (730 * 86400LL) /* "expiring": two years */
#define KEYS_MAX_SUBJECT   200

/* Internal entry point for the unit test. */
int Sl_keys_openssh_cipher(const uint8_t *blob, size_t n, char *cipher,
                           size_t cn, char *type, size_t tn);

struct keyrec {
	struct keyrec *next;
	const struct sl_entry *e;
	uint64_t off;
	const char *what;    /* "RSA-1024 private key (PKCS#8 PEM)" */
	const char *excerpt; /* a header line or a file name, no key bytes */
	bool has_pub;
	uint8_t pub[32]; /* SHA-256 of the SubjectPublicKeyInfo DER */
	bool has_fp;
	uint8_t fp[32]; /* pub, or SHA-256 of the SSH public key blob */
};

struct certrec {
	struct certrec *next;
	const struct sl_entry *e;
	uint64_t off;
	const char *subject;
	const char *summary; /* the excerpt */
	int64_t not_after;
	bool has_not_after;
	const char *weak_md; /* "SHA-1" ..., or NULL */
	const char *keydesc; /* "RSA-1024" */
	bool weak_key, self_signed, ca, key_cert_sign, ca_path;
	const unsigned *ncerts_in_file; /* certificates seen in its file */
	bool has_pub;
	uint8_t pub[32];
};

struct kset {
	struct sl_scan *s;
	pthread_mutex_t lock;
	struct keyrec *keys;
	struct certrec *certs;
	size_t nrec;
	bool capped;
	int64_t now;
	unsigned pbe_tries; /* empty-password tries so far (under lock) */
	bool pbe_noted;
};

/* A file's state while it is examined. */
struct kfile {
	struct kset *k;
	const struct sl_entry *e;
	const uint8_t *data;
	size_t len;
	unsigned *ncerts; /* arena: read by the records at the end */
};

static const char *const der_names[] = {
    "*.key",
    "*.der",
    "*.pem",
    NULL,
};
static const char *const der_cert_names[] = {
    "*.der", "*.crt", "*.cer", "*.cert", "*.pem", NULL,
};
static const char *const dropbear_names[] = {
    "*dropbear*host_key*",
    NULL,
};
static const char *const ca_paths[] = {
    "*ca-certificates*", "*ca-bundle*", "*ca_bundle*",  "*cacert*",
    "*/cacerts/*",       "*trust*",     "*/certs/ca-*", NULL,
};

#define FIX_PLAIN                                                              \
	"Do not ship private keys in the image: every unit then holds the "    \
	"same key and anyone with the firmware can impersonate or decrypt "    \
	"any of them.  Generate the key on the device at first boot (or "      \
	"inject a per-unit key at manufacturing), keep it in a secure "        \
	"element or encrypted storage, readable only by the service using "    \
	"it (S1.1-11)."
#define FIX_MODE                                                               \
	"Make private keys readable only by their owner (mode 0600 or "        \
	"0400, owned by the service account), and better still remove them "   \
	"from the image."
/*
 * What this check reports (check.h: findings as data).  Titles name the
 * key, the expiry or the algorithm found; a weak key of a trusted CA
 * is the low form of FW-CERT-WEAK-KEY.
 */
enum {
	F_KEY_PLAIN,
	F_KEY_EMBEDDED,
	F_EXPIRED,
	F_EXPIRING,
	F_WEAK_KEY,
	F_WEAK_KEY_CA,
	F_WEAK_SIG,
	F_SELF_SIGNED,
};
static const struct Sl_finding_def findings[] = {
    /* Readable by every user: the same, with FIX_MODE added. */
    [F_KEY_PLAIN] = {"FW-PRIVATE-KEY-PLAINTEXT",
                     SL_SEV_HIGH,
                     {"S1.1-11"},
                     "unencrypted private key stored in the image",
                     FIX_PLAIN},
    [F_KEY_EMBEDDED] = {"FW-CERT-KEY-EMBEDDED",
                        SL_SEV_HIGH,
                        {"S1.1-11", "S1.1-12"},
                        "private key of a certificate in the image ships "
                        "with it: every unit shares this TLS identity",
                        "The TLS identity is the same on every unit: "
                        "generate the key and a certificate per unit at "
                        "first boot or at manufacturing, and never ship "
                        "the private key in the firmware (S1.1-11, "
                        "S1.1-12)."},
    [F_EXPIRED] = {"FW-CERT-EXPIRED",
                   SL_SEV_MEDIUM,
                   {"S1.1-12"},
                   "certificate has expired",
                   "Replace the certificate: clients that verify it refuse "
                   "it, and clients that accept it anyway do not verify "
                   "anything.  Issue per-unit certificates with a validity "
                   "covering the support period."},
    [F_EXPIRING] = {"FW-CERT-EXPIRING",
                    SL_SEV_LOW,
                    {"S1.1-12"},
                    "certificate expires within two years; the support "
                    "period is unknown without a product profile",
                    "The certificate must stay valid for the whole support "
                    "period the product declares (S1.1-16); without a "
                    "product profile starlab cannot tell how long that "
                    "is.  Renew it, or show that the device renews it "
                    "automatically before expiry."},
    [F_WEAK_KEY] = {"FW-CERT-WEAK-KEY",
                    SL_SEV_MEDIUM,
                    {"S1.1-12"},
                    "certificate with a weak key",
                    "Use RSA keys of at least 2048 bits or EC keys of at "
                    "least 256 bits (P-256, Ed25519)."},
    [F_WEAK_KEY_CA] = {"FW-CERT-WEAK-KEY",
                       SL_SEV_LOW,
                       {"S1.1-12"},
                       "trusted CA certificate with a weak key",
                       "Update the trust store: CAs with keys this short "
                       "were withdrawn from public trust."},
    [F_WEAK_SIG] = {"FW-CERT-WEAK-SIGNATURE",
                    SL_SEV_MEDIUM,
                    {"S1.1-12"},
                    "certificate signed with a weak hash",
                    "Re-issue the certificate signed with SHA-256 or "
                    "better; MD5 and SHA-1 signatures can be forged."},
    [F_SELF_SIGNED] = {"FW-CERT-SELF-SIGNED",
                       SL_SEV_LOW,
                       {"S1.1-12"},
                       "self-signed certificate",
                       "A self-signed certificate gives clients nothing to "
                       "verify against, so they must accept any "
                       "certificate.  Use per-unit certificates from a "
                       "device CA the clients trust, or pin per-unit keys "
                       "during set-up."},
    {NULL},
};

/* ------------------------------------------------------------------ */
/* Records                                                             */
/* ------------------------------------------------------------------ */

static bool
room(struct kset *k)
{
	if (k->nrec < KEYS_MAX_RECORDS) {
		k->nrec++;
		return true;
	}
	if (!k->capped)
		Sl_incomplete(k->s,
		              "fw.keys: more than %u keys and certificates; "
		              "the rest were not examined",
		              KEYS_MAX_RECORDS);
	k->capped = true;
	return false;
}

static sl_rc
add_key(struct kfile *kf, uint64_t off, const char *what, const char *ex,
        const uint8_t *pub, const uint8_t *fp)
{
	struct kset *k = kf->k;
	struct keyrec *r = Sl_arena_alloc(&k->s->arena, sizeof(*r));

	if (r == NULL || what == NULL || ex == NULL)
		return SL_E_NOMEM;
	r->e = kf->e;
	r->off = off;
	r->what = what;
	r->excerpt = ex;
	if (pub != NULL) {
		memcpy(r->pub, pub, 32);
		r->has_pub = true;
	}
	if (fp != NULL || pub != NULL) {
		memcpy(r->fp, fp != NULL ? fp : pub, 32);
		r->has_fp = true;
	}
	pthread_mutex_lock(&k->lock);
	if (room(k)) {
		r->next = k->keys;
		k->keys = r;
	}
	pthread_mutex_unlock(&k->lock);
	return SL_OK;
}

static void
add_cert(struct kfile *kf, struct certrec *c)
{
	struct kset *k = kf->k;

	pthread_mutex_lock(&k->lock);
	if (room(k)) {
		c->next = k->certs;
		k->certs = c;
	}
	pthread_mutex_unlock(&k->lock);
}

/* ------------------------------------------------------------------ */
/* OpenSSL helpers                                                     */
/* ------------------------------------------------------------------ */

/* Never prompt: an encrypted key simply does not decode. */
static int
no_password(char *buf, int size, int rwflag, void *u)
{
	(void)buf;
	(void)size;
	(void)rwflag;
	(void)u;
	return 0;
}

static bool
pub_hash(EVP_PKEY *pk, uint8_t out[32])
{
	unsigned char *der = NULL;
	int n = i2d_PUBKEY(pk, &der);

	if (n <= 0) {
		OPENSSL_free(der);
		return false;
	}
	Sl_sha256(der, (size_t)n, out);
	OPENSSL_free(der);
	return true;
}

/* "RSA-1024", "EC-256 (prime256v1)", "ED25519". */
static const char *
key_desc(struct sl_scan *s, EVP_PKEY *pk, bool *weak)
{
	int id = EVP_PKEY_get_base_id(pk), bits = EVP_PKEY_get_bits(pk);
	char grp[64] = "";
	size_t gl = 0;

	*weak = false;
	switch (id) {
	case EVP_PKEY_RSA:
	case EVP_PKEY_RSA_PSS:
		*weak = bits < 2048;
		return Sl_arena_printf(&s->arena, "RSA-%d", bits);
	case EVP_PKEY_DSA:
		*weak = bits < 2048;
		return Sl_arena_printf(&s->arena, "DSA-%d", bits);
	case EVP_PKEY_EC:
		*weak = bits < 256;
		if (!EVP_PKEY_get_group_name(pk, grp, sizeof(grp), &gl))
			grp[0] = 0;
		return Sl_arena_printf(&s->arena, "EC-%d%s%s%s", bits,
		                       grp[0] ? " (" : "", grp,
		                       grp[0] ? ")" : "");
	default:
		return Sl_arena_printf(&s->arena, "%s",
		                       OBJ_nid2sn(id) ? OBJ_nid2sn(id) : "key");
	}
}

/* Printable, bounded copy of a NUL-terminated string. */
static char *
printable(struct sl_scan *s, const char *p, size_t max)
{
	size_t n = strnlen(p, max), i;
	char *o = Sl_arena_alloc(&s->arena, n + 1);

	if (o == NULL)
		return NULL;
	for (i = 0; i < n; i++)
		o[i] = (unsigned char)p[i] >= 0x20 && (unsigned char)p[i] < 0x7f
		           ? p[i]
		           : '.';
	return o;
}

static sl_rc
private_key(struct kfile *kf, uint64_t off, EVP_PKEY *pk, const char *form,
            const char *ex)
{
	struct sl_scan *s = kf->k->s;
	uint8_t pub[32];
	bool weak, hp = pub_hash(pk, pub);
	const char *d = key_desc(s, pk, &weak);

	if (d == NULL)
		return SL_E_NOMEM;
	return add_key(
	    kf, off, Sl_arena_printf(&s->arena, "%s private key (%s)", d, form),
	    ex, hp ? pub : NULL, NULL);
}

static int64_t
asn1_time(const ASN1_TIME *t, bool *ok)
{
	struct tm tm;

	memset(&tm, 0, sizeof(tm));
	*ok = t != NULL && ASN1_TIME_to_tm(t, &tm) == 1;
	return *ok ? (int64_t)timegm(&tm) : 0;
}

static sl_rc
certificate(struct kfile *kf, uint64_t off, X509 *x)
{
	struct sl_scan *s = kf->k->s;
	struct certrec *c = Sl_arena_alloc(&s->arena, sizeof(*c));
	char subj[KEYS_MAX_SUBJECT + 1], date[32] = "unknown";
	EVP_PKEY *pk = X509_get0_pubkey(x);
	int md = NID_undef, pkn = NID_undef;
	struct tm tm;
	time_t t;

	if (c == NULL)
		return SL_E_NOMEM;
	c->e = kf->e;
	c->off = off;
	c->ncerts_in_file = kf->ncerts;
	(*kf->ncerts)++;
	if (X509_NAME_oneline(X509_get_subject_name(x), subj, sizeof(subj)) ==
	    NULL)
		snprintf(subj, sizeof(subj), "?");
	c->subject = printable(s, subj, KEYS_MAX_SUBJECT);
	c->not_after = asn1_time(X509_get0_notAfter(x), &c->has_not_after);
	if (OBJ_find_sigid_algs(X509_get_signature_nid(x), &md, &pkn)) {
		if (md == NID_sha1)
			c->weak_md = "SHA-1";
		else if (md == NID_md5)
			c->weak_md = "MD5";
		else if (md == NID_md4)
			c->weak_md = "MD4";
		else if (md == NID_md2)
			c->weak_md = "MD2";
	}
	if (pk != NULL) {
		c->keydesc = key_desc(s, pk, &c->weak_key);
		c->has_pub = pub_hash(pk, c->pub);
	} else {
		c->keydesc = "unknown key";
	}
	c->self_signed = X509_self_signed(x, 0) == 1;
	c->ca = X509_check_ca(x) >= 1;
	c->key_cert_sign = (X509_get_extension_flags(x) & EXFLAG_KUSAGE) &&
	                   (X509_get_key_usage(x) & KU_KEY_CERT_SIGN);
	c->ca_path = Sl_path_any(Sl_inner(kf->e), ca_paths);
	if (c->has_not_after) {
		t = (time_t)c->not_after;
		if (gmtime_r(&t, &tm) != NULL)
			strftime(date, sizeof(date), "%Y-%m-%d", &tm);
	}
	c->summary = Sl_arena_printf(
	    &s->arena, "subject=%s notAfter=%s signature=%s key=%s",
	    c->subject ? c->subject : "?", date,
	    OBJ_nid2ln(X509_get_signature_nid(x))
	        ? OBJ_nid2ln(X509_get_signature_nid(x))
	        : "?",
	    c->keydesc ? c->keydesc : "?");
	if (c->subject == NULL || c->summary == NULL || c->keydesc == NULL)
		return SL_E_NOMEM;
	add_cert(kf, c);
	return SL_OK;
}

/* ------------------------------------------------------------------ */
/* OpenSSH and Dropbear                                                */
/* ------------------------------------------------------------------ */

/* Copy an SSH wire string (uint32 length + bytes) into out. */
static bool
ssh_string(struct Sl_rd *r, char *out, size_t on)
{
	uint32_t n = Sl_rd_be32(r);
	const uint8_t *p;

	/* UNTRUSTED: n comes from the key file. */
	p = Sl_rd_bytes(r, n);
	if (p == NULL)
		return false;
	if (out != NULL && on > 0) {
		size_t k = n < on - 1 ? n : on - 1, i;

		for (i = 0; i < k; i++)
			out[i] = p[i] >= 0x20 && p[i] < 0x7f ? (char)p[i] : '.';
		out[k] = 0;
	}
	return true;
}

/*
 * Parse the decoded body of an "OPENSSH PRIVATE KEY": returns 1 and fills
 * cipher ("none" for a plaintext key) and the first key's type, or 0 when
 * the blob is not one.
 *
 *	"openssh-key-v1\0" string cipher, string kdf, string kdfopts,
 *	uint32 nkeys, string pubkey (string type, ...), string private
 */
static int
openssh_parse(const uint8_t *blob, size_t n, char *cipher, size_t cn,
              char *type, size_t tn, const uint8_t **pubp, size_t *pubn)
{
	static const char magic[] = "openssh-key-v1";
	struct Sl_rd r, pr;
	uint32_t nkeys, pl;
	const uint8_t *pub;

	if (n < sizeof(magic) || memcmp(blob, magic, sizeof(magic)) != 0)
		return 0;
	Sl_rd_init(&r, blob + sizeof(magic), n - sizeof(magic));
	if (!ssh_string(&r, cipher, cn) || !ssh_string(&r, NULL, 0) ||
	    !ssh_string(&r, NULL, 0))
		return 0;
	nkeys = Sl_rd_be32(&r);
	pl = Sl_rd_be32(&r);
	pub = Sl_rd_bytes(&r, pl);
	if (r.bad || nkeys == 0 || pub == NULL)
		return 0;
	Sl_rd_init(&pr, pub, pl);
	if (!ssh_string(&pr, type, tn))
		return 0;
	if (pubp != NULL) {
		*pubp = pub;
		*pubn = pl;
	}
	return 1;
}

int
Sl_keys_openssh_cipher(const uint8_t *blob, size_t n, char *cipher, size_t cn,
                       char *type, size_t tn)
{
	return openssh_parse(blob, n, cipher, cn, type, tn, NULL, NULL);
}

/*
 * The SSH public key blob of a Dropbear key file, hashed: the file is the
 * blob's fields followed by the private ones (RSA: type e n, then d p q;
 * DSS: type p q g y, then x; ECDSA: type curve Q, then d), except for
 * Ed25519, which stores one 64-byte string, private || public.
 */
static bool
dropbear_fp(const uint8_t *d, size_t n, uint8_t out[32])
{
	struct Sl_rd r;
	char type[48];
	unsigned fields, i;

	Sl_rd_init(&r, d, n);
	if (!ssh_string(&r, type, sizeof(type)))
		return false;
	if (strcmp(type, "ssh-ed25519") == 0) {
		uint8_t blob[4 + 11 + 4 + 32];
		const uint8_t *k;

		/* UNTRUSTED: the length must be exactly 64. */
		if (Sl_rd_be32(&r) != 64 || (k = Sl_rd_bytes(&r, 64)) == NULL)
			return false;
		memcpy(blob, "\0\0\0\x0bssh-ed25519\0\0\0\x20", 4 + 11 + 4);
		memcpy(blob + 19, k + 32, 32);
		Sl_sha256(blob, sizeof(blob), out);
		return true;
	}
	if (strcmp(type, "ssh-rsa") == 0)
		fields = 2;
	else if (strcmp(type, "ssh-dss") == 0)
		fields = 4;
	else if (strncmp(type, "ecdsa-sha2-", 11) == 0)
		fields = 2;
	else
		return false;
	for (i = 0; i < fields; i++)
		if (!ssh_string(&r, NULL, 0))
			return false;
	Sl_sha256(d, n - r.left, out);
	return true;
}

/* Decode base64 in p[0..n), skipping whitespace; NULL when malformed. */
static uint8_t *
unbase64(const uint8_t *p, size_t n, size_t *out)
{
	size_t cap = n / 4 * 3 + 3;
	uint8_t *o = malloc(cap);
	long k;

	if (o == NULL)
		return NULL;
	k = Sl_base64_decode((const char *)p, n, o, cap, SL_B64_SPACE);
	if (k < 0) {
		free(o);
		return NULL;
	}
	*out = (size_t)k;
	return o;
}

/* ------------------------------------------------------------------ */
/* PEM                                                                 */
/* ------------------------------------------------------------------ */

static bool
has_bytes(const uint8_t *p, size_t n, const char *needle)
{
	return memmem(p, n, needle, strlen(needle)) != NULL;
}

/*
 * The key-derivation rounds an encryption algorithm asks for (PBES1 and
 * PKCS#12 PBE: PBEPARAM; PBES2: PBKDF2PARAM), or -1 when unknown (scrypt,
 * an unreadable parameter).  A hostile file can ask for billions: only
 * up to KEYS_MAX_PBE_ITER rounds are ever tried.
 */
static long
pbe_iter(const X509_ALGOR *alg)
{
	const ASN1_OBJECT *obj;
	const void *par;
	int ptype;
	long it = -1;

	X509_ALGOR_get0(&obj, &ptype, &par, alg);
	if (ptype != V_ASN1_SEQUENCE || par == NULL)
		return -1;
	if (OBJ_obj2nid(obj) == NID_pbes2) {
		PBE2PARAM *p2 = ASN1_TYPE_unpack_sequence(
		    ASN1_ITEM_rptr(PBE2PARAM),
		    (const ASN1_TYPE *)alg->parameter);
		PBKDF2PARAM *kdf = NULL;

		if (p2 != NULL && p2->keyfunc != NULL &&
		    OBJ_obj2nid(p2->keyfunc->algorithm) == NID_id_pbkdf2)
			kdf = ASN1_TYPE_unpack_sequence(
			    ASN1_ITEM_rptr(PBKDF2PARAM),
			    p2->keyfunc->parameter);
		if (kdf != NULL && kdf->iter != NULL)
			it = ASN1_INTEGER_get(kdf->iter);
		PBKDF2PARAM_free(kdf);
		PBE2PARAM_free(p2);
	} else {
		PBEPARAM *p1 = ASN1_TYPE_unpack_sequence(
		    ASN1_ITEM_rptr(PBEPARAM),
		    (const ASN1_TYPE *)alg->parameter);

		if (p1 != NULL && p1->iter != NULL)
			it = ASN1_INTEGER_get(p1->iter);
		PBEPARAM_free(p1);
	}
	return it;
}

static bool
iter_ok(long it)
{
	return it > 0 && it <= KEYS_MAX_PBE_ITER;
}

/*
 * May one more encrypted key be tried with the empty password?  Each try
 * costs up to a few times KEYS_MAX_PBE_ITER rounds: at most
 * KEYS_MAX_PBE_TRIES per scan, the rest said once as incomplete.  Which
 * ones are tried past the cap depends on the threads' order; only an
 * image already reported incomplete for it can differ between runs.
 */
static bool
pbe_budget(struct kfile *kf)
{
	struct kset *k = kf->k;
	bool ok, note = false;

	pthread_mutex_lock(&k->lock);
	ok = k->pbe_tries < KEYS_MAX_PBE_TRIES;
	if (ok)
		k->pbe_tries++;
	else if (!k->pbe_noted)
		note = k->pbe_noted = true;
	pthread_mutex_unlock(&k->lock);
	if (note)
		Sl_incomplete(k->s,
		              "fw.keys: more than %d encrypted keys; the rest "
		              "were not tried with the empty password",
		              KEYS_MAX_PBE_TRIES);
	return ok;
}

/*
 * An encrypted PKCS#8 key is protected only if its password is not
 * empty: try the empty password (what a vendor gets by pressing Enter at
 * "openssl pkcs8 -topk8").  A key that opens is as good as unencrypted.
 */
static sl_rc
pkcs8_empty(struct kfile *kf, uint64_t off, const uint8_t *blk, size_t blen,
            const char *ex)
{
	BIO *bio = BIO_new_mem_buf(blk, (int)blen);
	X509_SIG *sig;
	PKCS8_PRIV_KEY_INFO *p8 = NULL;
	EVP_PKEY *pk = NULL;
	sl_rc rc = SL_OK;

	if (bio == NULL)
		return SL_E_NOMEM;
	sig = PEM_read_bio_PKCS8(bio, NULL, no_password, NULL);
	BIO_free(bio);
	if (sig != NULL) {
		const X509_ALGOR *alg;

		X509_SIG_get0(sig, &alg, NULL);
		if (iter_ok(pbe_iter(alg)) && pbe_budget(kf))
			p8 = PKCS8_decrypt(sig, "", 0);
	}
	if (p8 != NULL)
		pk = EVP_PKCS82PKEY(p8);
	if (pk != NULL)
		rc = private_key(kf, off, pk,
		                 "PKCS#8 PEM, encrypted with an empty password",
		                 ex);
	EVP_PKEY_free(pk);
	PKCS8_PRIV_KEY_INFO_free(p8);
	X509_SIG_free(sig);
	ERR_clear_error();
	return rc;
}

static sl_rc
pem_block(struct kfile *kf, size_t off, const char *label, const uint8_t *body,
          size_t bn, const uint8_t *blk, size_t blen)
{
	struct sl_scan *s = kf->k->s;
	const char *ex;
	sl_rc rc = SL_OK;
	BIO *bio;

	ex = Sl_arena_printf(&s->arena, "-----BEGIN %s-----", label);
	if (ex == NULL)
		return SL_E_NOMEM;
	if (strcmp(label, "OPENSSH PRIVATE KEY") == 0) {
		char cipher[32], type[48];
		size_t n, pn = 0;
		const uint8_t *pub = NULL;
		uint8_t fp[32];
		uint8_t *b = unbase64(body, bn, &n);
		int ok =
		    b != NULL && openssh_parse(b, n, cipher, sizeof(cipher),
		                               type, sizeof(type), &pub, &pn);

		if (ok)
			Sl_sha256(pub, pn, fp);
		free(b);
		if (ok && strcmp(cipher, "none") == 0)
			rc = add_key(kf, off,
			             Sl_arena_printf(&s->arena,
			                             "OpenSSH %s private key",
			                             type),
			             ex, NULL, fp);
		return rc;
	}
	if (strcmp(label, "ENCRYPTED PRIVATE KEY") == 0)
		return pkcs8_empty(kf, off, blk, blen, ex);
	if (strstr(label, "ENCRYPTED") != NULL)
		return SL_OK; /* ssh.com, encrypted: fine */
	if (strstr(label, "PRIVATE KEY") != NULL) {
		EVP_PKEY *pk;

		if (has_bytes(blk, blen, "Proc-Type: 4,ENCRYPTED"))
			return SL_OK; /* traditional PEM encryption */
		if ((bio = BIO_new_mem_buf(blk, (int)blen)) == NULL)
			return SL_E_NOMEM;
		pk = PEM_read_bio_PrivateKey(bio, NULL, no_password, NULL);
		BIO_free(bio);
		if (pk == NULL) {
			ERR_clear_error();
			return SL_OK; /* not a key: a string in a program */
		}
		rc = private_key(
		    kf, off, pk,
		    strcmp(label, "PRIVATE KEY") == 0 ? "PKCS#8 PEM" : "PEM",
		    ex);
		EVP_PKEY_free(pk);
		return rc;
	}
	if (strcmp(label, "CERTIFICATE") == 0 ||
	    strcmp(label, "X509 CERTIFICATE") == 0 ||
	    strcmp(label, "TRUSTED CERTIFICATE") == 0) {
		X509 *x;

		if ((bio = BIO_new_mem_buf(blk, (int)blen)) == NULL)
			return SL_E_NOMEM;
		x = PEM_read_bio_X509_AUX(bio, NULL, no_password, NULL);
		BIO_free(bio);
		if (x == NULL) {
			ERR_clear_error();
			return SL_OK;
		}
		rc = certificate(kf, off, x);
		X509_free(x);
	}
	return rc;
}

/*
 * Walk the PEM blocks of the file: "-----BEGIN LABEL-----", a body, and
 * "-----END LABEL-----" within KEYS_MAX_PEM bytes.  At most
 * KEYS_MAX_BLOCKS headers are looked at, so a hostile file costs at most
 * that many bounded searches past its single linear one.
 */
static sl_rc
pem_walk(struct kfile *kf, bool *any)
{
	const uint8_t *d = kf->data, *p = d, *end = d + kf->len;
	unsigned nblocks = 0;
	sl_rc rc = SL_OK;

	*any = false;
	while (rc == SL_OK && p < end) {
		const uint8_t *b =
		    memmem(p, (size_t)(end - p), "-----BEGIN ", 11);
		const uint8_t *l, *body, *e;
		char label[KEYS_MAX_LABEL + 1], endm[KEYS_MAX_LABEL + 16];
		size_t ln, win;

		if (b == NULL)
			break;
		if (nblocks++ == KEYS_MAX_BLOCKS) {
			Sl_incomplete(kf->k->s,
			              "fw.keys: %s: more than %u PEM blocks; "
			              "only the first %u were examined",
			              kf->e->path, KEYS_MAX_BLOCKS,
			              KEYS_MAX_BLOCKS);
			break;
		}
		l = b + 11;
		for (ln = 0; l + ln < end && ln <= KEYS_MAX_LABEL &&
		             ((l[ln] >= 'A' && l[ln] <= 'Z') ||
		              (l[ln] >= '0' && l[ln] <= '9') || l[ln] == ' ');
		     ln++)
			;
		if (ln == 0 || ln > KEYS_MAX_LABEL ||
		    (size_t)(end - (l + ln)) < 5 ||
		    memcmp(l + ln, "-----", 5)) {
			p = l;
			continue;
		}
		memcpy(label, l, ln);
		label[ln] = 0;
		body = l + ln + 5;
		snprintf(endm, sizeof(endm), "-----END %s-----", label);
		win = (size_t)(end - body);
		if (win > KEYS_MAX_PEM)
			win = KEYS_MAX_PEM;
		e = memmem(body, win, endm, strlen(endm));
		if (e == NULL) {
			p = body;
			continue;
		}
		*any = true;
		rc = pem_block(kf, (size_t)(b - d), label, body,
		               (size_t)(e - body), b,
		               (size_t)(e + strlen(endm) - b));
		p = e + strlen(endm);
	}
	return rc;
}

/* ------------------------------------------------------------------ */
/* PuTTY, DER, Dropbear                                                */
/* ------------------------------------------------------------------ */

/*
 *	PuTTY-User-Key-File-2: ssh-rsa
 *	Encryption: none
 */
static sl_rc
ppk(struct kfile *kf, bool *any)
{
	const uint8_t *d = kf->data, *p;
	struct sl_scan *s = kf->k->s;
	char type[48], enc[32];
	size_t off, i, k;

	p = memmem(d, kf->len, "PuTTY-User-Key-File-", 20);
	if (p == NULL)
		return SL_OK;
	off = (size_t)(p - d);
	i = off + 20;
	while (i < kf->len && d[i] != ':' && i - off < 24)
		i++;
	i += 2;
	for (k = 0;
	     i < kf->len && k + 1 < sizeof(type) && d[i] > 0x20 && d[i] < 0x7f;
	     i++)
		type[k++] = (char)d[i];
	type[k] = 0;
	p = memmem(d + off, kf->len - off < 4096 ? kf->len - off : 4096,
	           "\nEncryption: ", 13);
	if (p == NULL || k == 0)
		return SL_OK;
	i = (size_t)(p - d) + 13;
	for (k = 0;
	     i < kf->len && k + 1 < sizeof(enc) && d[i] > 0x20 && d[i] < 0x7f;
	     i++)
		enc[k++] = (char)d[i];
	enc[k] = 0;
	*any = true;
	if (strcmp(enc, "none") != 0)
		return SL_OK;
	return add_key(kf, off,
	               Sl_arena_printf(&s->arena, "PuTTY %s private key", type),
	               Sl_arena_printf(&s->arena,
	                               "PuTTY-User-Key-File: %s, Encryption: "
	                               "none",
	                               type),
	               NULL, NULL);
}

/*
 * Is the file exactly one DER SEQUENCE (tag 0x30, a definite length that
 * ends at the file's end) starting with a small INTEGER, as every
 * PKCS#1, SEC 1, PKCS#8 and PKCS#12 structure does?  The cheap test
 * before OpenSSL parses a file whose name says nothing.
 */
static bool
der_whole(const uint8_t *d, size_t n, int *version)
{
	size_t len, hdr, k;

	if (n < 8 || d[0] != 0x30)
		return false;
	if (d[1] < 0x80) {
		len = d[1];
		hdr = 2;
	} else {
		k = d[1] & 0x7f;
		if (k == 0 || k > 3 || n < 2 + k)
			return false;
		for (len = 0, hdr = 0; hdr < k; hdr++)
			len = (len << 8) | d[2 + hdr];
		hdr = 2 + k;
	}
	if (hdr + len != n || hdr + 3 > n)
		return false;
	if (d[hdr] != 0x02 || d[hdr + 1] != 0x01 || d[hdr + 2] > 3)
		return false;
	*version = d[hdr + 2];
	return true;
}

/*
 * May the store be opened at bounded cost?  Its MAC and every encrypted
 * part (encrypted data, shrouded key bags) must ask for at most
 * KEYS_MAX_PBE_ITER rounds of a known scheme; at most 64 parts are
 * looked at.
 */
static bool
pkcs12_cheap(const PKCS12 *p12)
{
	const ASN1_INTEGER *mit = NULL;
	STACK_OF(PKCS7) * safes;
	bool ok = true;
	int i, j, n;

	PKCS12_get0_mac(NULL, NULL, NULL, &mit, p12);
	if (mit != NULL && !iter_ok(ASN1_INTEGER_get(mit)))
		return false;
	safes = PKCS12_unpack_authsafes(p12);
	if (safes == NULL)
		return false;
	n = sk_PKCS7_num(safes);
	for (i = 0; i < n && i < 64 && ok; i++) {
		PKCS7 *p7 = sk_PKCS7_value(safes, i);
		STACK_OF(PKCS12_SAFEBAG) * bags;

		if (PKCS7_type_is_encrypted(p7)) {
			ok = p7->d.encrypted != NULL &&
			     p7->d.encrypted->enc_data != NULL &&
			     iter_ok(pbe_iter(
			         p7->d.encrypted->enc_data->algorithm));
			continue;
		}
		if (!PKCS7_type_is_data(p7))
			continue;
		bags = PKCS12_unpack_p7data(p7);
		if (bags == NULL)
			ok = false;
		for (j = 0; bags != NULL && j < sk_PKCS12_SAFEBAG_num(bags) &&
		            j < 64 && ok;
		     j++) {
			const PKCS12_SAFEBAG *bag =
			    sk_PKCS12_SAFEBAG_value(bags, j);
			const X509_SIG *sig;
			const X509_ALGOR *alg;

			if (PKCS12_SAFEBAG_get_nid(bag) !=
			    NID_pkcs8ShroudedKeyBag)
				continue;
			sig = PKCS12_SAFEBAG_get0_pkcs8(bag);
			X509_SIG_get0(sig, &alg, NULL);
			ok = iter_ok(pbe_iter(alg));
		}
		sk_PKCS12_SAFEBAG_pop_free(bags, PKCS12_SAFEBAG_free);
	}
	if (n > 64)
		ok = false;
	sk_PKCS7_pop_free(safes, PKCS7_free);
	return ok;
}

/*
 * A PKCS#12 store is protected only if its password is not empty: try
 * the empty password and no password (both are "empty" to the tools).
 */
static sl_rc
pkcs12_empty(struct kfile *kf)
{
	struct sl_scan *s = kf->k->s;
	const unsigned char *p = kf->data;
	PKCS12 *p12 = d2i_PKCS12(NULL, &p, (long)kf->len);
	EVP_PKEY *pk = NULL;
	X509 *x = NULL;
	sl_rc rc = SL_OK;

	if (p12 != NULL && !pkcs12_cheap(p12)) {
		Sl_incomplete(
		    s,
		    "%s: PKCS#12 store not tried with the empty "
		    "password by fw.keys: more than %ld key-derivation "
		    "rounds, or an unknown scheme",
		    kf->e->path, KEYS_MAX_PBE_ITER);
		PKCS12_free(p12);
		ERR_clear_error();
		return SL_OK;
	}
	if (p12 != NULL && pbe_budget(kf) &&
	    (PKCS12_parse(p12, "", &pk, &x, NULL) == 1 ||
	     PKCS12_parse(p12, NULL, &pk, &x, NULL) == 1) &&
	    pk != NULL)
		rc = private_key(
		    kf, 0, pk, "PKCS#12, encrypted with an empty password",
		    Sl_arena_printf(&s->arena, "PKCS#12 key store: %s",
		                    Sl_inner(kf->e)));
	EVP_PKEY_free(pk);
	X509_free(x);
	PKCS12_free(p12);
	ERR_clear_error();
	return rc;
}

/* A DER key or key store whatever the file is called. */
static sl_rc
der_by_content(struct kfile *kf, int version)
{
	struct sl_scan *s = kf->k->s;
	const unsigned char *p = kf->data;
	EVP_PKEY *pk;
	sl_rc rc = SL_OK;

	if (version == 3)
		return pkcs12_empty(kf);
	pk = d2i_AutoPrivateKey(NULL, &p, (long)kf->len);
	if (pk != NULL) {
		rc = private_key(kf, 0, pk, "DER, found by its content",
		                 Sl_arena_printf(&s->arena,
		                                 "DER private key: %s",
		                                 Sl_inner(kf->e)));
		EVP_PKEY_free(pk);
	}
	ERR_clear_error();
	return rc;
}

static sl_rc
der(struct kfile *kf)
{
	struct sl_scan *s = kf->k->s;
	const char *inner = Sl_inner(kf->e);
	const unsigned char *p;
	int version = -1;
	sl_rc rc = SL_OK;

	if (kf->len == 0 || kf->len > KEYS_MAX_DER)
		return SL_OK;
	if (der_whole(kf->data, kf->len, &version) &&
	    (version == 3 || !Sl_path_any(inner, der_names)))
		return der_by_content(kf, version);
	if (Sl_path_any(inner, der_names)) {
		EVP_PKEY *pk;

		p = kf->data;
		pk = d2i_AutoPrivateKey(NULL, &p, (long)kf->len);
		if (pk != NULL) {
			rc = private_key(kf, 0, pk, "DER",
			                 Sl_arena_printf(&s->arena,
			                                 "DER private key: %s",
			                                 inner));
			EVP_PKEY_free(pk);
			return rc;
		}
		ERR_clear_error();
	}
	if (Sl_path_any(inner, der_cert_names) && kf->data[0] == 0x30) {
		X509 *x;

		p = kf->data;
		x = d2i_X509(NULL, &p, (long)kf->len);
		if (x != NULL) {
			rc = certificate(kf, 0, x);
			X509_free(x);
			return rc;
		}
		ERR_clear_error();
	}
	return rc;
}

/* Dropbear's own key format: string type, then the key's integers. */
static sl_rc
dropbear(struct kfile *kf)
{
	struct sl_scan *s = kf->k->s;
	struct Sl_rd r;
	char type[48];
	uint8_t fp[32];

	if (!Sl_path_any(Sl_inner(kf->e), dropbear_names))
		return SL_OK;
	Sl_rd_init(&r, kf->data, kf->len);
	if (!ssh_string(&r, type, sizeof(type)) ||
	    (strncmp(type, "ssh-", 4) != 0 && strncmp(type, "ecdsa-", 6) != 0))
		return SL_OK;
	return add_key(
	    kf, 0,
	    Sl_arena_printf(&s->arena, "Dropbear SSH host key (%s)", type),
	    Sl_arena_printf(&s->arena, "Dropbear host key %s: %s", type,
	                    Sl_inner(kf->e)),
	    NULL, dropbear_fp(kf->data, kf->len, fp) ? fp : NULL);
}

static sl_rc
examine(struct kset *k, const struct sl_entry *e, const uint8_t *data,
        size_t len)
{
	struct kfile kf = {.k = k, .e = e, .data = data, .len = len};
	bool pem = false, putty = false;
	sl_rc rc;

	if (len == 0)
		return SL_OK;
	kf.ncerts = Sl_arena_alloc(&k->s->arena, sizeof(*kf.ncerts));
	if (kf.ncerts == NULL)
		return SL_E_NOMEM;
	rc = pem_walk(&kf, &pem);
	if (rc == SL_OK)
		rc = ppk(&kf, &putty);
	if (rc == SL_OK && !pem && !putty)
		rc = der(&kf);
	if (rc == SL_OK && !pem && !putty)
		rc = dropbear(&kf);
	return rc;
}

/* ------------------------------------------------------------------ */
/* Findings                                                            */
/* ------------------------------------------------------------------ */

static int
key_cmp(const void *x, const void *y)
{
	const struct keyrec *a = *(const struct keyrec *const *)x;
	const struct keyrec *b = *(const struct keyrec *const *)y;

	return memcmp(a->pub, b->pub, 32);
}

/* "in 41 days", or "in less than a day". */
static const char *
days_left(struct Sl_arena *a, int64_t secs)
{
	int64_t d = secs / 86400;
	const char *r;

	if (d < 1)
		return "in less than a day";
	r = Sl_arena_printf(a, "in %lld day%s", (long long)d,
	                    d == 1 ? "" : "s");
	return r ? r : "in a while";
}

static bool
anchor(const struct certrec *c)
{
	const char *sub = c->subject ? c->subject : "";

	if (!c->ca)
		return false;
	return c->key_cert_sign || c->ca_path || *c->ncerts_in_file > 1 ||
	       strstr(sub, "Certification Authority") != NULL ||
	       strstr(sub, "Root CA") != NULL;
}

static sl_rc
cert_findings(struct kset *k, struct certrec *c, bool matched)
{
	struct sl_scan *s = k->s;
	struct Sl_arena *a = &s->arena;
	/* Where and what: the same for every finding of the certificate. */
	struct Sl_at at = {.e = c->e, .off = c->off, .excerpt = c->summary};
	sl_rc rc = SL_OK;

	if (!matched && anchor(c)) {
		if (c->weak_key) {
			at.title =
			    Sl_arena_printf(a,
			                    "trusted CA certificate with "
			                    "a weak %s key",
			                    c->keydesc);
			rc = at.title == NULL
			         ? SL_E_NOMEM
			         : Sl_report(s, &findings[F_WEAK_KEY_CA], &at);
		}
		return rc;
	}
	if (c->has_not_after && c->not_after < k->now) {
		rc = Sl_report(s, &findings[F_EXPIRED], &at);
	} else if (c->has_not_after && c->not_after - k->now < KEYS_SOON) {
		at.title = Sl_arena_printf(
		    a,
		    "certificate expires within two years (%s); the "
		    "support period is unknown without a product profile",
		    days_left(a, c->not_after - k->now));
		rc = at.title == NULL
		         ? SL_E_NOMEM
		         : Sl_report(s, &findings[F_EXPIRING], &at);
	}
	if (rc == SL_OK && c->weak_key) {
		at.title = Sl_arena_printf(a, "certificate with a weak %s key",
		                           c->keydesc);
		rc = at.title == NULL
		         ? SL_E_NOMEM
		         : Sl_report(s, &findings[F_WEAK_KEY], &at);
	}
	if (rc == SL_OK && c->weak_md != NULL) {
		at.title = Sl_arena_printf(a, "certificate signed with %s",
		                           c->weak_md);
		rc = at.title == NULL
		         ? SL_E_NOMEM
		         : Sl_report(s, &findings[F_WEAK_SIG], &at);
	}
	if (rc == SL_OK && c->self_signed) {
		at.title = NULL;
		rc = Sl_report(s, &findings[F_SELF_SIGNED], &at);
	}
	return rc;
}

/* Everything the set found becomes findings; single-threaded. */
static sl_rc
report(struct kset *k)
{
	struct sl_scan *s = k->s;
	struct Sl_arena *a = &s->arena;
	struct keyrec *r, **v = NULL, key;
	struct certrec *c;
	size_t n = 0, i;
	sl_rc rc = SL_OK;

	memset(&key, 0, sizeof(key));
	for (r = k->keys; r != NULL && rc == SL_OK; r = r->next) {
		/*
		 * One key, one finding: a world-readable mode is said in
		 * the same finding, not repeated as a second one.
		 */
		bool world = r->e->type == SL_FT_REG && (r->e->mode & 004);

		const char *pre =
		    strstr(r->what, "empty password") ? "" : "unencrypted ";
		const char *title =
		    world ? Sl_arena_printf(a,
		                            "%s%s stored in the "
		                            "image, readable by every user "
		                            "(mode %04o)",
		                            pre, r->what,
		                            (unsigned)(r->e->mode & 07777))
		          : Sl_arena_printf(a, "%s%s stored in the image", pre,
		                            r->what);

		if (title == NULL)
			return SL_E_NOMEM;
		rc = Sl_report(s, &findings[F_KEY_PLAIN],
		               &(struct Sl_at){.e = r->e,
		                               .off = r->off,
		                               .excerpt = r->excerpt,
		                               .title = title,
		                               .fix = world ? FIX_PLAIN
		                                          "  " FIX_MODE
		                                            : NULL});
		if (r->has_pub)
			n++;
	}
	if (rc != SL_OK)
		return rc;
	if (n > 0) {
		v = malloc(n * sizeof(*v));
		if (v == NULL)
			return SL_E_NOMEM;
		n = 0;
		for (r = k->keys; r != NULL; r = r->next)
			if (r->has_pub)
				v[n++] = r;
		qsort(v, n, sizeof(*v), key_cmp);
	}
	for (c = k->certs; c != NULL && rc == SL_OK; c = c->next) {
		bool matched = false;

		if (c->has_pub && n > 0) {
			struct keyrec *kp = &key, **hit;

			memcpy(key.pub, c->pub, 32);
			hit = bsearch(&kp, v, n, sizeof(*v), key_cmp);
			if (hit != NULL) {
				i = (size_t)(hit - v);
				while (i > 0 && key_cmp(&v[i - 1], &kp) == 0)
					i--;
				for (; i < n && rc == SL_OK &&
				       key_cmp(&v[i], &kp) == 0;
				     i++) {
					struct Sl_at at = {
					    .e = v[i]->e,
					    .off = v[i]->off,
					    .excerpt = Sl_arena_printf(
					        a, "certificate %s: %s",
					        c->e->path, c->subject),
					    .title = Sl_arena_printf(
					        a,
					        "private key of a certificate "
					        "in the image (%s) ships with "
					        "it: every unit shares this "
					        "TLS identity",
					        c->keydesc)};

					matched = true;
					rc =
					    at.excerpt == NULL ||
					            at.title == NULL
					        ? SL_E_NOMEM
					        : Sl_report(
					              s,
					              &findings[F_KEY_EMBEDDED],
					              &at);
				}
			}
		}
		if (rc == SL_OK)
			rc = cert_findings(k, c, matched);
	}
	free(v);
	return rc;
}

/* ------------------------------------------------------------------ */
/* The check                                                           */
/* ------------------------------------------------------------------ */

static bool
keys_want(const struct sl_entry *e, void *user)
{
	(void)user;
	return e->size <= SL_KEYS_MAX_FILE;
}

static sl_rc
keys_end(struct Sl_file *f)
{
	return examine(f->user, f->e, f->data, f->len);
}

sl_rc
Sl_keys_examine(struct sl_scan *s, const struct sl_entry *e,
                const uint8_t *data, size_t len)
{
	struct kset k;
	sl_rc rc;

	if (e->size <= SL_KEYS_MAX_FILE)
		return SL_OK; /* fw.keys read it itself */
	memset(&k, 0, sizeof(k));
	k.s = s;
	k.now = (int64_t)time(NULL);
	pthread_mutex_init(&k.lock, NULL);
	rc = examine(&k, e, data, len);
	if (rc == SL_OK)
		rc = report(&k);
	pthread_mutex_destroy(&k.lock);
	return rc;
}

static sl_rc
keys_prepare(struct sl_scan *s, struct Sl_grep_job *job)
{
	static const struct Sl_grep_ops ops = {
	    .who = "fw.keys",
	    .want = keys_want,
	    .end = keys_end,
	};
	struct kset *k = calloc(1, sizeof(*k));

	if (k == NULL)
		return Sl_fail(s, SL_E_NOMEM, "fw.keys: out of memory");
	k->s = s;
	k->now = (int64_t)time(NULL);
	pthread_mutex_init(&k->lock, NULL);
	job->ops = &ops;
	job->user = k;
	return SL_OK;
}

static sl_rc
keys_finish(struct sl_scan *s, struct Sl_grep_job *job, sl_rc rc)
{
	struct kset *k = job->user;

	if (k == NULL)
		return rc;
	if (rc == SL_OK)
		rc = report(k);
	pthread_mutex_destroy(&k->lock);
	free(k);
	job->user = NULL;
	if (rc == SL_E_NOMEM)
		return Sl_fail(s, rc, "fw.keys: out of memory");
	return rc;
}

const struct Sl_check Sl_check_keys = {
    .id = "fw.keys",
    .title = "Private keys and certificates in the image",
    .covers = {"S1.1-11", "S1.1-12", NULL},
    .findings = findings,
    .source = SL_SRC_FIRMWARE,
    .prepare = keys_prepare,
    .finish = keys_finish,
};

/* ------------------------------------------------------------------ */
/* For comparing two units (compare.c)                                 */
/* ------------------------------------------------------------------ */

static sl_rc
keys_each_end(struct Sl_file *f)
{
	return examine(f->user, f->e, f->data, f->len);
}

/*
 * Every unencrypted private key whose public key is known, from one more
 * pass over the files fw.keys reads, in a stable order (by file path,
 * offset and fingerprint): the pass runs on several threads.
 */
static int
keyrec_cmp(const void *x, const void *y)
{
	const struct keyrec *a = *(const struct keyrec *const *)x;
	const struct keyrec *b = *(const struct keyrec *const *)y;
	int c = strcmp(a->e->path, b->e->path);

	if (c == 0 && a->off != b->off)
		c = a->off < b->off ? -1 : 1;
	if (c == 0)
		c = memcmp(a->fp, b->fp, 32);
	return c;
}

sl_rc
Sl_keys_each(struct sl_scan *s, Sl_fw_key_fn fn, void *user)
{
	static const struct Sl_grep_ops ops = {
	    .who = "fw.keys",
	    .want = keys_want,
	    .end = keys_each_end,
	};
	struct kset k;
	struct keyrec *r, **v = NULL;
	size_t n = 0, i;
	sl_rc rc;

	memset(&k, 0, sizeof(k));
	k.s = s;
	k.now = (int64_t)time(NULL);
	pthread_mutex_init(&k.lock, NULL);
	rc = Sl_grep_files(s, NULL, &ops, &k);
	pthread_mutex_destroy(&k.lock);
	if (rc != SL_OK)
		return rc;
	for (r = k.keys; r != NULL; r = r->next)
		n += r->has_fp;
	if (n == 0)
		return SL_OK;
	v = malloc(n * sizeof(*v));
	if (v == NULL)
		return Sl_fail(s, SL_E_NOMEM, "fw.keys: out of memory");
	n = 0;
	for (r = k.keys; r != NULL; r = r->next)
		if (r->has_fp)
			v[n++] = r;
	qsort(v, n, sizeof(*v), keyrec_cmp);
	for (i = 0; i < n && rc == SL_OK; i++) {
		struct Sl_fw_key key;

		key.e = v[i]->e;
		key.off = v[i]->off;
		key.what = v[i]->what;
		key.excerpt = v[i]->excerpt;
		memcpy(key.fp, v[i]->fp, 32);
		rc = fn(s, &key, user);
	}
	free(v);
	return rc;
}
