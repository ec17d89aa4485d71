/*
 * test_keys.c - unit tests of fw.keys: keys and certificates made here
 * with OpenSSL (so every date, size and hash is chosen), laid out in a
 * small in-memory tree with file modes, give exactly the findings they
 * should: plaintext keys in every format, none for encrypted ones, mode
 * bits, expiry on both sides of the two-year line, weak keys and hashes,
 * self-signed device certificates but not trust anchors, a key matching a
 * certificate.  Also: the OpenSSH parser on every truncation, hostile PEM
 * (no END, long labels, garbage, too many blocks), keys in files over
 * 1 MiB found through fw.secrets, and allocation failure at every step.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "check/check.h"
#include "check/firmware/scan.h"

/* Declared in src/check/firmware/keys.c; no header for one check. */
int Sl_keys_openssh_cipher(const uint8_t *blob, size_t n, char *cipher,
                           size_t cn, char *type, size_t tn);
extern const struct Sl_check Sl_check_keys;
extern const struct Sl_check Sl_check_secrets;

#include "memimg.h"

/* Findings of any id about this file. */
static size_t
about(struct sl_scan *s, const char *file)
{
	size_t i, n = 0;

	for (i = 0; i < sl_finding_count(s); i++) {
		const char *p =
		    strstr(sl_finding_get(s, i)->evidence.path, "!/");

		n += p != NULL && strcmp(p + 2, file) == 0;
	}
	return n;
}

static bool
incomplete_has(struct sl_scan *s, const char *needle)
{
	size_t i;

	for (i = 0; i < sl_scan_incomplete_count(s); i++)
		if (strstr(sl_scan_incomplete(s, i), needle))
			return true;
	return false;
}

/* ------------------------------------------------------------------ */
/* Making keys and certificates                                        */
/* ------------------------------------------------------------------ */

static EVP_PKEY *
rsa(size_t bits)
{
	EVP_PKEY *k = EVP_PKEY_Q_keygen(NULL, NULL, "RSA", bits);

	assert_non_null(k);
	return k;
}

static EVP_PKEY *
ec(void)
{
	EVP_PKEY *k = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");

	assert_non_null(k);
	return k;
}

/* The BIO's bytes as a malloc'd string; frees the BIO. */
static char *
bio_text(BIO *b, size_t *n)
{
	char *p, *o;
	long len = BIO_get_mem_data(b, &p);

	o = malloc((size_t)len + 1);
	assert_non_null(o);
	memcpy(o, p, (size_t)len);
	o[len] = 0;
	if (n != NULL)
		*n = (size_t)len;
	BIO_free(b);
	return o;
}

/* PEM of a private key: PKCS#8 or traditional, plain or encrypted. */
static char *
key_pem(EVP_PKEY *k, bool traditional, bool encrypted)
{
	BIO *b = BIO_new(BIO_s_mem());
	const EVP_CIPHER *c = encrypted ? EVP_aes_128_cbc() : NULL;
	unsigned char pw[] = "secret";

	assert_non_null(b);
	if (traditional)
		assert_int_equal(PEM_write_bio_PrivateKey_traditional(
		                     b, k, c, encrypted ? pw : NULL,
		                     encrypted ? 6 : 0, NULL, NULL),
		                 1);
	else
		assert_int_equal(
		    PEM_write_bio_PrivateKey(b, k, c, encrypted ? pw : NULL,
		                             encrypted ? 6 : 0, NULL, NULL),
		    1);
	return bio_text(b, NULL);
}

/*
 * A certificate for key, signed by signer (self-signed when issuer is
 * NULL), valid from days_from to days_to around now.
 */
static X509 *
cert(EVP_PKEY *key, EVP_PKEY *signer, X509 *issuer, const char *cn,
     long days_from, long days_to, const EVP_MD *md, bool ca, bool kcs)
{
	X509 *x = X509_new();
	X509_NAME *n;
	X509V3_CTX ctx;
	X509_EXTENSION *ext;

	assert_non_null(x);
	X509_set_version(x, 2);
	ASN1_INTEGER_set(X509_get_serialNumber(x), 7);
	X509_gmtime_adj(X509_getm_notBefore(x), days_from * 86400L);
	X509_gmtime_adj(X509_getm_notAfter(x), days_to * 86400L);
	X509_set_pubkey(x, key);
	n = X509_get_subject_name(x);
	X509_NAME_add_entry_by_txt(n, "CN", MBSTRING_ASC,
	                           (const unsigned char *)cn, -1, -1, 0);
	X509_set_issuer_name(x, issuer ? X509_get_subject_name(issuer) : n);
	X509V3_set_ctx(&ctx, issuer ? issuer : x, x, NULL, NULL, 0);
	if (ca) {
		ext = X509V3_EXT_conf_nid(NULL, &ctx, NID_basic_constraints,
		                          "critical,CA:TRUE");
		X509_add_ext(x, ext, -1);
		X509_EXTENSION_free(ext);
	}
	if (kcs) {
		ext = X509V3_EXT_conf_nid(NULL, &ctx, NID_key_usage,
		                          "critical,keyCertSign,cRLSign");
		X509_add_ext(x, ext, -1);
		X509_EXTENSION_free(ext);
	}
	assert_true(X509_sign(x, signer, md) > 0);
	return x;
}

static char *
cert_pem(X509 *x)
{
	BIO *b = BIO_new(BIO_s_mem());

	assert_non_null(b);
	assert_int_equal(PEM_write_bio_X509(b, x), 1);
	return bio_text(b, NULL);
}

/* An OpenSSH private key blob with this cipher, as PEM. */
static char *
openssh_pem(const char *cipher, uint8_t *blob, size_t *bn)
{
	uint8_t *p = blob;
	unsigned char b64[1024];
	char *out;
	int n;

#define STR(s, l)                                                              \
	do {                                                                   \
		uint32_t l_ = (uint32_t)(l);                                   \
		p[0] = (uint8_t)(l_ >> 24);                                    \
		p[1] = (uint8_t)(l_ >> 16);                                    \
		p[2] = (uint8_t)(l_ >> 8);                                     \
		p[3] = (uint8_t)l_;                                            \
		memcpy(p + 4, (s), l_);                                        \
		p += 4 + l_;                                                   \
	} while (0)
	memcpy(p, "openssh-key-v1", 15);
	p += 15;
	STR(cipher, strlen(cipher));
	STR(strcmp(cipher, "none") ? "bcrypt" : "none",
	    4 + 2 * !!strcmp(cipher, "none"));
	STR("", 0);
	p[0] = p[1] = p[2] = 0;
	p[3] = 1;
	p += 4;
	STR("\0\0\0\x0bssh-ed25519\0\0\0\x20"
	    "0123456789abcdef0123456789abcdef",
	    4 + 11 + 4 + 32);
	STR("private part", 12);
#undef STR
	*bn = (size_t)(p - blob);
	n = EVP_EncodeBlock(b64, blob, (int)*bn);
	out = malloc((size_t)n + 80);
	assert_non_null(out);
	sprintf(out,
	        "-----BEGIN OPENSSH PRIVATE KEY-----\n%s\n"
	        "-----END OPENSSH PRIVATE KEY-----\n",
	        b64);
	return out;
}

/* ------------------------------------------------------------------ */

static void
openssh_parser(void **state)
{
	uint8_t blob[512];
	char cipher[32], type[32], *pem;
	size_t n, i;

	(void)state;
	pem = openssh_pem("none", blob, &n);
	assert_int_equal(Sl_keys_openssh_cipher(blob, n, cipher, sizeof(cipher),
	                                        type, sizeof(type)),
	                 1);
	assert_string_equal(cipher, "none");
	assert_string_equal(type, "ssh-ed25519");
	/* Every truncation up to the public key is refused, none crashes. */
	for (i = 0; i < n; i++)
		if (Sl_keys_openssh_cipher(blob, i, cipher, sizeof(cipher),
		                           type, sizeof(type)) == 1)
			assert_true(i >=
			            n - 16); /* only the private part cut */
	/* A huge length field. */
	blob[15] = 0xff;
	assert_int_equal(Sl_keys_openssh_cipher(blob, n, cipher, sizeof(cipher),
	                                        type, sizeof(type)),
	                 0);
	free(pem);
}

static void
private_keys(void **state)
{
	struct img m = {0};
	struct sl_scan *s;
	EVP_PKEY *r1 = rsa(1024), *e1 = ec(), *e2 = ec();
	uint8_t blob[512], der[512], *dp = der;
	char *t[8];
	size_t bn;
	int dn;
	const struct sl_finding *f;
	static const char dropbear[] =
	    "\0\0\0\x07ssh-rsa\0\0\0\x03\x01\0\x01\0\0\0\x01\x7f";
	static const char ppk_plain[] =
	    "PuTTY-User-Key-File-3: ssh-ed25519\nEncryption: none\n"
	    "Comment: x\nPublic-Lines: 1\nAAAA\n";
	static const char ppk_enc[] =
	    "PuTTY-User-Key-File-2: ssh-rsa\nEncryption: aes256-cbc\n"
	    "Comment: x\n";

	(void)state;
	img_addsm(&m, "etc/k1.pem", 0644, t[0] = key_pem(r1, false, false));
	img_addsm(&m, "etc/k2.key", 0600, t[1] = key_pem(e1, true, false));
	img_addsm(&m, "etc/k3.pem", 0644, t[2] = key_pem(e2, false, true));
	img_addsm(&m, "etc/k4.pem", 0644, t[3] = key_pem(e2, true, true));
	img_addsm(&m, "root/.ssh/id", 0600,
	          t[4] = openssh_pem("none", blob, &bn));
	img_addsm(&m, "root/.ssh/id_enc", 0644,
	          t[5] = openssh_pem("aes256-ctr", blob, &bn));
	dn = i2d_PrivateKey(e1, &dp);
	assert_true(dn > 0);
	img_addm(&m, "etc/k5.der", 0600, der, (size_t)dn);
	img_addm(&m, "etc/not-a-key.der", 0644, "\x30\x03\x02\x01\x00", 5);
	img_addsm(&m, "usr/bin/tool", 0755,
	          "-----BEGIN RSA PRIVATE KEY-----\n%s\n"
	          "-----END RSA PRIVATE KEY-----\n");
	img_addsm(&m, "etc/user.ppk", 0644, ppk_plain);
	img_addsm(&m, "etc/enc.ppk", 0644, ppk_enc);
	img_addm(&m, "etc/dropbear/dropbear_rsa_host_key", 0600, dropbear,
	         sizeof(dropbear) - 1);
	s = scan_of(&m);
	assert_int_equal(Sl_check_run(s, &Sl_check_keys), SL_OK);

	assert_int_equal(count(s, "FW-PRIVATE-KEY-PLAINTEXT", "etc/k1.pem"), 1);
	/* World-readable: said in the one finding, not a second one. */
	assert_int_equal(
	    count(s, "FW-PRIVATE-KEY-WORLD-READABLE", "etc/k1.pem"), 0);
	f = find(s, "FW-PRIVATE-KEY-PLAINTEXT", "etc/k1.pem");
	assert_non_null(strstr(f->title, "RSA-1024"));
	assert_string_equal(f->evidence.excerpt, "-----BEGIN PRIVATE KEY-----");
	assert_non_null(strstr(f->title, "readable by every user (mode 0644)"));
	assert_int_equal(about(s, "etc/k2.key"), 1);
	assert_non_null(
	    strstr(find(s, "FW-PRIVATE-KEY-PLAINTEXT", "etc/k2.key")->title,
	           "EC-256"));
	assert_int_equal(about(s, "etc/k3.pem"), 0);
	assert_int_equal(about(s, "etc/k4.pem"), 0);
	assert_int_equal(count(s, "FW-PRIVATE-KEY-PLAINTEXT", "root/.ssh/id"),
	                 1);
	assert_non_null(
	    strstr(find(s, "FW-PRIVATE-KEY-PLAINTEXT", "root/.ssh/id")->title,
	           "ssh-ed25519"));
	assert_int_equal(about(s, "root/.ssh/id_enc"), 0);
	assert_int_equal(count(s, "FW-PRIVATE-KEY-PLAINTEXT", "etc/k5.der"), 1);
	assert_int_equal(about(s, "etc/not-a-key.der"), 0);
	assert_int_equal(about(s, "usr/bin/tool"), 0);
	assert_int_equal(count(s, "FW-PRIVATE-KEY-PLAINTEXT", "etc/user.ppk"),
	                 1);
	assert_non_null(
	    strstr(find(s, "FW-PRIVATE-KEY-PLAINTEXT", "etc/user.ppk")->title,
	           "readable by every user"));
	assert_int_equal(about(s, "etc/enc.ppk"), 0);
	assert_int_equal(count(s, "FW-PRIVATE-KEY-PLAINTEXT",
	                       "etc/dropbear/dropbear_rsa_host_key"),
	                 1);
	assert_int_equal(sl_finding_count(s), 6);
	sl_scan_free(s);
	for (bn = 0; bn < 6; bn++)
		free(t[bn]);
	free(m.p);
	EVP_PKEY_free(r1);
	EVP_PKEY_free(e1);
	EVP_PKEY_free(e2);
}

static void
certificates(void **state)
{
	struct img m = {0};
	struct sl_scan *s;
	EVP_PKEY *k = ec(), *w = rsa(1024), *srv = ec(), *cak = ec();
	X509 *ca = cert(cak, cak, NULL, "Vendor Device CA", -10, 3650,
	                EVP_sha256(), true, true);
	X509 *x[12];
	char *t[16], *bundle;
	unsigned char *der = NULL;
	int dn, i, nt = 0;
	const struct sl_finding *f;

	(void)state;
	x[0] =
	    cert(k, k, NULL, "expired", -400, -1, EVP_sha256(), false, false);
	x[1] = cert(k, cak, ca, "soon", -1, 729, EVP_sha256(), false, false);
	x[2] = cert(k, cak, ca, "later", -1, 731, EVP_sha256(), false, false);
	x[3] = cert(w, cak, ca, "weak", -1, 1000, EVP_sha256(), false, false);
	x[4] = cert(k, cak, ca, "sha1", -1, 1000, EVP_sha1(), false, false);
	x[5] = cert(k, k, NULL, "self", -1, 1000, EVP_sha256(), false, false);
	/* A device certificate as `openssl req -x509` makes it: CA:TRUE. */
	x[6] =
	    cert(srv, srv, NULL, "device", -1, 1000, EVP_sha256(), true, false);
	/* A bundle of trust anchors, one with a short key. */
	x[7] =
	    cert(w, w, NULL, "Old Root", -5000, -10, EVP_sha1(), true, false);
	x[8] =
	    cert(k, k, NULL, "Other Root", -10, 100, EVP_sha1(), true, false);
	img_addsm(&m, "c/ca.crt", 0644, t[nt++] = cert_pem(ca));
	img_addsm(&m, "c/expired.crt", 0644, t[nt++] = cert_pem(x[0]));
	img_addsm(&m, "c/soon.crt", 0644, t[nt++] = cert_pem(x[1]));
	img_addsm(&m, "c/later.crt", 0644, t[nt++] = cert_pem(x[2]));
	img_addsm(&m, "c/weak.crt", 0644, t[nt++] = cert_pem(x[3]));
	img_addsm(&m, "c/sha1.crt", 0644, t[nt++] = cert_pem(x[4]));
	img_addsm(&m, "c/self.crt", 0644, t[nt++] = cert_pem(x[5]));
	img_addsm(&m, "etc/ssl/certs/device.crt", 0644,
	          t[nt++] = cert_pem(x[6]));
	img_addsm(&m, "etc/ssl/private/device.key", 0600,
	          t[nt++] = key_pem(srv, false, false));
	t[nt++] = cert_pem(x[7]);
	t[nt++] = cert_pem(x[8]);
	bundle = malloc(strlen(t[nt - 1]) + strlen(t[nt - 2]) + 1);
	assert_non_null(bundle);
	sprintf(bundle, "%s%s", t[nt - 2], t[nt - 1]);
	img_addsm(&m, "etc/ssl/bundle.pem", 0644, bundle);
	dn = i2d_X509(x[0], &der);
	assert_true(dn > 0);
	img_addm(&m, "c/expired.der", 0644, der, (size_t)dn);
	OPENSSL_free(der);
	s = scan_of(&m);
	assert_int_equal(Sl_check_run(s, &Sl_check_keys), SL_OK);

	assert_int_equal(about(s, "c/ca.crt"), 0);
	assert_int_equal(count(s, "FW-CERT-EXPIRED", "c/expired.crt"), 1);
	assert_int_equal(count(s, "FW-CERT-SELF-SIGNED", "c/expired.crt"), 1);
	assert_int_equal(about(s, "c/expired.crt"), 2);
	assert_int_equal(count(s, "FW-CERT-EXPIRED", "c/expired.der"), 1);
	assert_int_equal(count(s, "FW-CERT-EXPIRING", "c/soon.crt"), 1);
	assert_int_equal(about(s, "c/soon.crt"), 1);
	f = find(s, "FW-CERT-EXPIRING", "c/soon.crt");
	assert_int_equal(f->severity, SL_SEV_LOW);
	assert_non_null(strstr(f->title, "support period is unknown"));
	assert_non_null(strstr(f->evidence.excerpt, "/CN=soon"));
	assert_int_equal(about(s, "c/later.crt"), 0);
	assert_int_equal(count(s, "FW-CERT-WEAK-KEY", "c/weak.crt"), 1);
	assert_non_null(strstr(find(s, "FW-CERT-WEAK-KEY", "c/weak.crt")->title,
	                       "RSA-1024"));
	assert_int_equal(about(s, "c/weak.crt"), 1);
	assert_int_equal(count(s, "FW-CERT-WEAK-SIGNATURE", "c/sha1.crt"), 1);
	assert_int_equal(about(s, "c/sha1.crt"), 1);
	assert_int_equal(count(s, "FW-CERT-SELF-SIGNED", "c/self.crt"), 1);
	assert_int_equal(about(s, "c/self.crt"), 1);
	/* The device certificate and its key. */
	assert_int_equal(
	    count(s, "FW-CERT-SELF-SIGNED", "etc/ssl/certs/device.crt"), 1);
	f = find(s, "FW-CERT-KEY-EMBEDDED", "etc/ssl/private/device.key");
	assert_non_null(f);
	assert_string_equal(f->requirements[0], "S1.1-11");
	assert_string_equal(f->requirements[1], "S1.1-12");
	assert_non_null(strstr(f->evidence.excerpt, "certs/device.crt"));
	assert_int_equal(count(s, "FW-CERT-KEY-EMBEDDED", NULL), 1);
	/* Anchors: only the short key, and only as low. */
	assert_int_equal(about(s, "etc/ssl/bundle.pem"), 1);
	f = find(s, "FW-CERT-WEAK-KEY", "etc/ssl/bundle.pem");
	assert_non_null(f);
	assert_int_equal(f->severity, SL_SEV_LOW);
	sl_scan_free(s);
	for (i = 0; i < nt; i++)
		free(t[i]);
	free(bundle);
	for (i = 0; i < 9; i++)
		X509_free(x[i]);
	X509_free(ca);
	EVP_PKEY_free(k);
	EVP_PKEY_free(w);
	EVP_PKEY_free(srv);
	EVP_PKEY_free(cak);
	free(m.p);
}

static void
hostile_pem(void **state)
{
	struct img m = {0};
	struct sl_scan *s;
	char *many, *p;
	int i;

	(void)state;
	many = malloc(70 * 64 + 1);
	assert_non_null(many);
	for (p = many, i = 0; i < 70; i++)
		p += sprintf(p, "-----BEGIN CERTIFICATE-----\nAAAA\n"
		                "-----END CERTIFICATE-----\n");
	img_addsm(&m, "a/many.pem", 0644, many);
	img_addsm(&m, "a/noend.pem", 0644,
	          "-----BEGIN PRIVATE KEY-----\nMIIB\n");
	img_addsm(
	    &m, "a/label.pem", 0644,
	    "-----BEGIN AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
	    "AAAAAAAA PRIVATE KEY-----\nx\n-----END AAAA-----\n");
	img_addsm(&m, "a/garbage.pem", 0644,
	          "-----BEGIN RSA PRIVATE KEY-----\n!!!not base64!!!\n"
	          "-----END RSA PRIVATE KEY-----\n-----BEGIN ");
	img_addsm(&m, "a/ppk", 0644, "PuTTY-User-Key-File-");
	img_addsm(&m, "a/empty.key", 0644, "");
	s = scan_of(&m);
	assert_int_equal(Sl_check_run(s, &Sl_check_keys), SL_OK);
	assert_int_equal(sl_finding_count(s), 0);
	assert_true(incomplete_has(s, "more than 64 PEM blocks"));
	assert_true(incomplete_has(s, "a/many.pem"));
	sl_scan_free(s);
	free(many);
	free(m.p);
}

static void
large_files(void **state)
{
	struct img m = {0};
	struct sl_scan *s;
	EVP_PKEY *k = ec();
	char *pem = key_pem(k, false, false);
	size_t n = (3U << 19) + strlen(pem), at = 1U << 20;
	uint8_t *big = calloc(1, n);
	const struct sl_finding *f;

	(void)state;
	assert_non_null(big);
	memcpy(big,
	       "\x7f"
	       "ELF",
	       4);
	memcpy(big + at, pem, strlen(pem));
	img_addm(&m, "usr/bin/big", 0750, big, n);
	s = scan_of(&m);
	/* fw.keys leaves files over 1 MiB to fw.secrets' content pass. */
	assert_int_equal(Sl_check_run(s, &Sl_check_keys), SL_OK);
	assert_int_equal(sl_finding_count(s), 0);
	assert_int_equal(Sl_check_run(s, &Sl_check_secrets), SL_OK);
	f = find(s, "FW-PRIVATE-KEY-PLAINTEXT", "usr/bin/big");
	assert_non_null(f);
	assert_int_equal(f->evidence.offset, at);
	assert_int_equal(sl_finding_count(s), 1); /* mode 0750 */
	sl_scan_free(s);
	free(big);
	free(pem);
	free(m.p);
	EVP_PKEY_free(k);
}

static void
check_torture(void **state)
{
	struct img m = {0};
	EVP_PKEY *k = ec();
	X509 *x = cert(k, k, NULL, "t", -10, -1, EVP_sha1(), false, false);
	char *kp = key_pem(k, false, false), *cp = cert_pem(x);

	(void)state;
	img_addsm(&m, "etc/k.pem", 0644, kp);
	img_addsm(&m, "etc/c.pem", 0644, cp);
	img_torture(&m, &Sl_check_keys);
	free(kp);
	free(cp);
	X509_free(x);
	EVP_PKEY_free(k);
	free(m.p);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(openssh_parser), cmocka_unit_test(private_keys),
	    cmocka_unit_test(certificates),   cmocka_unit_test(hostile_pem),
	    cmocka_unit_test(large_files),    cmocka_unit_test(check_torture),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
