/*
 * tls.c - the TLS facts of one endpoint of the device (tls.h).
 *
 * One probe is a dozen short connections, run a few at a time:
 *   - one OpenSSL handshake per version, TLS 1.0 .. 1.3, with min = max;
 *     the client runs at security level 0 with every suite it has, so that
 *     it never refuses a server for being weak (that is what we measure);
 *   - one handshake of a modern client (TLS 1.0 .. 1.3, every suite but
 *     the unauthenticated and unencrypted ones, strongest first) that
 *     yields the certificate chain and the suite such a client gets;
 *   - one hand-written ClientHello per weak cipher class offering only
 *     that class's suites; a ServerHello naming one of them means the
 *     server accepts the class.  OpenSSL 3 as Debian builds it has no
 *     RC4, DES, 3DES or export suites any more and so cannot even offer
 *     them; sending the hello by hand and reading only the ServerHello is
 *     what testssl.sh and sslscan do for the same reason, and it needs no
 *     key exchange at all.  Classes the server refuses under TLS 1.2 are
 *     asked again under the oldest version it accepts.
 *
 * Trust: everything the device sends is hostile.  OpenSSL parses the
 * handshake and the certificates (with a cap on the chain's size); the
 * ServerHello parser here is bounded by SL_TLS_MAX_HELLO and has a fuzz
 * target (tls_fuzz.c).  Every connect, read and handshake waits at most
 * the step timeout, a whole probe of one version or class at most three
 * times that.  Nothing but handshake messages (and a close_notify) is
 * ever sent.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <poll.h>
#include <stdatomic.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/rand.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include "tls.h"

#define HS_FACTOR     3 /* a probe takes at most this many step timeouts */
#define MAX_CERT_LIST (64U << 10) /* bytes of the certificate chain */
#define MAX_SANS      64          /* SAN entries looked at */

/* ------------------------------------------------------------------ */
/* The suites of the weak classes                                      */
/* ------------------------------------------------------------------ */

#define N (1U << SL_TLS_C_NULL)
#define X (1U << SL_TLS_C_EXPORT)
#define A (1U << SL_TLS_C_ANON)
#define R (1U << SL_TLS_C_RC4)
#define D (1U << SL_TLS_C_DES)
#define C (1U << SL_TLS_C_CBC_SHA1)
#define K (1U << SL_TLS_C_RSA_KX)

/*
 * Every suite a class probe offers, with the classes it belongs to.  A
 * suite in several classes is offered by each of their probes.  Static
 * RSA (K) lists only suites not already weak for another reason, so that
 * "no forward secrecy" is not reported for, say, RSA with RC4 as well.
 */
static const struct suite {
	uint16_t id;
	unsigned cls;
	const char *name;
} suites[] = {
    {0x0001, N, "TLS_RSA_WITH_NULL_MD5"},
    {0x0002, N, "TLS_RSA_WITH_NULL_SHA"},
    {0x003B, N, "TLS_RSA_WITH_NULL_SHA256"},
    {0xC001, N, "TLS_ECDH_ECDSA_WITH_NULL_SHA"},
    {0xC006, N, "TLS_ECDHE_ECDSA_WITH_NULL_SHA"},
    {0xC00B, N, "TLS_ECDH_RSA_WITH_NULL_SHA"},
    {0xC010, N, "TLS_ECDHE_RSA_WITH_NULL_SHA"},
    {0xC015, N | A, "TLS_ECDH_anon_WITH_NULL_SHA"},
    {0x002C, N, "TLS_PSK_WITH_NULL_SHA"},
    {0x002D, N, "TLS_DHE_PSK_WITH_NULL_SHA"},
    {0x002E, N, "TLS_RSA_PSK_WITH_NULL_SHA"},
    {0x00B0, N, "TLS_PSK_WITH_NULL_SHA256"},
    {0x00B1, N, "TLS_PSK_WITH_NULL_SHA384"},
    {0x00B4, N, "TLS_DHE_PSK_WITH_NULL_SHA256"},
    {0x00B5, N, "TLS_DHE_PSK_WITH_NULL_SHA384"},
    {0x00B8, N, "TLS_RSA_PSK_WITH_NULL_SHA256"},
    {0x00B9, N, "TLS_RSA_PSK_WITH_NULL_SHA384"},
    {0xC039, N, "TLS_ECDHE_PSK_WITH_NULL_SHA"},
    {0xC03A, N, "TLS_ECDHE_PSK_WITH_NULL_SHA256"},
    {0xC03B, N, "TLS_ECDHE_PSK_WITH_NULL_SHA384"},

    {0x0003, X, "TLS_RSA_EXPORT_WITH_RC4_40_MD5"},
    {0x0006, X, "TLS_RSA_EXPORT_WITH_RC2_CBC_40_MD5"},
    {0x0008, X, "TLS_RSA_EXPORT_WITH_DES40_CBC_SHA"},
    {0x000B, X, "TLS_DH_DSS_EXPORT_WITH_DES40_CBC_SHA"},
    {0x000E, X, "TLS_DH_RSA_EXPORT_WITH_DES40_CBC_SHA"},
    {0x0011, X, "TLS_DHE_DSS_EXPORT_WITH_DES40_CBC_SHA"},
    {0x0014, X, "TLS_DHE_RSA_EXPORT_WITH_DES40_CBC_SHA"},
    {0x0017, X | A, "TLS_DH_anon_EXPORT_WITH_RC4_40_MD5"},
    {0x0019, X | A, "TLS_DH_anon_EXPORT_WITH_DES40_CBC_SHA"},
    {0x0060, X, "TLS_RSA_EXPORT1024_WITH_RC4_56_MD5"},
    {0x0061, X, "TLS_RSA_EXPORT1024_WITH_RC2_CBC_56_MD5"},
    {0x0062, X, "TLS_RSA_EXPORT1024_WITH_DES_CBC_SHA"},
    {0x0063, X, "TLS_DHE_DSS_EXPORT1024_WITH_DES_CBC_SHA"},
    {0x0064, X, "TLS_RSA_EXPORT1024_WITH_RC4_56_SHA"},
    {0x0065, X, "TLS_DHE_DSS_EXPORT1024_WITH_RC4_56_SHA"},

    {0x0018, A | R, "TLS_DH_anon_WITH_RC4_128_MD5"},
    {0x001A, A | D, "TLS_DH_anon_WITH_DES_CBC_SHA"},
    {0x001B, A | D, "TLS_DH_anon_WITH_3DES_EDE_CBC_SHA"},
    {0x0034, A, "TLS_DH_anon_WITH_AES_128_CBC_SHA"},
    {0x003A, A, "TLS_DH_anon_WITH_AES_256_CBC_SHA"},
    {0x0046, A, "TLS_DH_anon_WITH_CAMELLIA_128_CBC_SHA"},
    {0x0089, A, "TLS_DH_anon_WITH_CAMELLIA_256_CBC_SHA"},
    {0x006C, A, "TLS_DH_anon_WITH_AES_128_CBC_SHA256"},
    {0x006D, A, "TLS_DH_anon_WITH_AES_256_CBC_SHA256"},
    {0x009B, A, "TLS_DH_anon_WITH_SEED_CBC_SHA"},
    {0x00A6, A, "TLS_DH_anon_WITH_AES_128_GCM_SHA256"},
    {0x00A7, A, "TLS_DH_anon_WITH_AES_256_GCM_SHA384"},
    {0x00BF, A, "TLS_DH_anon_WITH_CAMELLIA_128_CBC_SHA256"},
    {0x00C5, A, "TLS_DH_anon_WITH_CAMELLIA_256_CBC_SHA256"},
    {0xC016, A | R, "TLS_ECDH_anon_WITH_RC4_128_SHA"},
    {0xC017, A | D, "TLS_ECDH_anon_WITH_3DES_EDE_CBC_SHA"},
    {0xC018, A, "TLS_ECDH_anon_WITH_AES_128_CBC_SHA"},
    {0xC019, A, "TLS_ECDH_anon_WITH_AES_256_CBC_SHA"},

    {0x0004, R, "TLS_RSA_WITH_RC4_128_MD5"},
    {0x0005, R, "TLS_RSA_WITH_RC4_128_SHA"},
    {0xC002, R, "TLS_ECDH_ECDSA_WITH_RC4_128_SHA"},
    {0xC007, R, "TLS_ECDHE_ECDSA_WITH_RC4_128_SHA"},
    {0xC00C, R, "TLS_ECDH_RSA_WITH_RC4_128_SHA"},
    {0xC011, R, "TLS_ECDHE_RSA_WITH_RC4_128_SHA"},
    {0x008A, R, "TLS_PSK_WITH_RC4_128_SHA"},
    {0x008E, R, "TLS_DHE_PSK_WITH_RC4_128_SHA"},
    {0x0092, R, "TLS_RSA_PSK_WITH_RC4_128_SHA"},
    {0xC033, R, "TLS_ECDHE_PSK_WITH_RC4_128_SHA"},

    {0x0007, D, "TLS_RSA_WITH_IDEA_CBC_SHA"},
    {0x0009, D, "TLS_RSA_WITH_DES_CBC_SHA"},
    {0x000A, D, "TLS_RSA_WITH_3DES_EDE_CBC_SHA"},
    {0x000C, D, "TLS_DH_DSS_WITH_DES_CBC_SHA"},
    {0x000D, D, "TLS_DH_DSS_WITH_3DES_EDE_CBC_SHA"},
    {0x000F, D, "TLS_DH_RSA_WITH_DES_CBC_SHA"},
    {0x0010, D, "TLS_DH_RSA_WITH_3DES_EDE_CBC_SHA"},
    {0x0012, D, "TLS_DHE_DSS_WITH_DES_CBC_SHA"},
    {0x0013, D, "TLS_DHE_DSS_WITH_3DES_EDE_CBC_SHA"},
    {0x0015, D, "TLS_DHE_RSA_WITH_DES_CBC_SHA"},
    {0x0016, D, "TLS_DHE_RSA_WITH_3DES_EDE_CBC_SHA"},
    {0xC003, D, "TLS_ECDH_ECDSA_WITH_3DES_EDE_CBC_SHA"},
    {0xC008, D, "TLS_ECDHE_ECDSA_WITH_3DES_EDE_CBC_SHA"},
    {0xC00D, D, "TLS_ECDH_RSA_WITH_3DES_EDE_CBC_SHA"},
    {0xC012, D, "TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA"},
    {0x008B, D, "TLS_PSK_WITH_3DES_EDE_CBC_SHA"},
    {0x008F, D, "TLS_DHE_PSK_WITH_3DES_EDE_CBC_SHA"},
    {0x0093, D, "TLS_RSA_PSK_WITH_3DES_EDE_CBC_SHA"},
    {0xC01A, D, "TLS_SRP_SHA_WITH_3DES_EDE_CBC_SHA"},
    {0xC01B, D, "TLS_SRP_SHA_RSA_WITH_3DES_EDE_CBC_SHA"},
    {0xC01C, D, "TLS_SRP_SHA_DSS_WITH_3DES_EDE_CBC_SHA"},
    {0xC034, D, "TLS_ECDHE_PSK_WITH_3DES_EDE_CBC_SHA"},

    {0x002F, C | K, "TLS_RSA_WITH_AES_128_CBC_SHA"},
    {0x0035, C | K, "TLS_RSA_WITH_AES_256_CBC_SHA"},
    {0x0041, C | K, "TLS_RSA_WITH_CAMELLIA_128_CBC_SHA"},
    {0x0084, C | K, "TLS_RSA_WITH_CAMELLIA_256_CBC_SHA"},
    {0x0096, C | K, "TLS_RSA_WITH_SEED_CBC_SHA"},
    {0x0030, C, "TLS_DH_DSS_WITH_AES_128_CBC_SHA"},
    {0x0031, C, "TLS_DH_RSA_WITH_AES_128_CBC_SHA"},
    {0x0032, C, "TLS_DHE_DSS_WITH_AES_128_CBC_SHA"},
    {0x0033, C, "TLS_DHE_RSA_WITH_AES_128_CBC_SHA"},
    {0x0036, C, "TLS_DH_DSS_WITH_AES_256_CBC_SHA"},
    {0x0037, C, "TLS_DH_RSA_WITH_AES_256_CBC_SHA"},
    {0x0038, C, "TLS_DHE_DSS_WITH_AES_256_CBC_SHA"},
    {0x0039, C, "TLS_DHE_RSA_WITH_AES_256_CBC_SHA"},
    {0x0044, C, "TLS_DHE_DSS_WITH_CAMELLIA_128_CBC_SHA"},
    {0x0045, C, "TLS_DHE_RSA_WITH_CAMELLIA_128_CBC_SHA"},
    {0x0087, C, "TLS_DHE_DSS_WITH_CAMELLIA_256_CBC_SHA"},
    {0x0088, C, "TLS_DHE_RSA_WITH_CAMELLIA_256_CBC_SHA"},
    {0x009A, C, "TLS_DHE_RSA_WITH_SEED_CBC_SHA"},
    {0xC004, C, "TLS_ECDH_ECDSA_WITH_AES_128_CBC_SHA"},
    {0xC005, C, "TLS_ECDH_ECDSA_WITH_AES_256_CBC_SHA"},
    {0xC009, C, "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA"},
    {0xC00A, C, "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA"},
    {0xC00E, C, "TLS_ECDH_RSA_WITH_AES_128_CBC_SHA"},
    {0xC00F, C, "TLS_ECDH_RSA_WITH_AES_256_CBC_SHA"},
    {0xC013, C, "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA"},
    {0xC014, C, "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA"},
    {0x008C, C, "TLS_PSK_WITH_AES_128_CBC_SHA"},
    {0x008D, C, "TLS_PSK_WITH_AES_256_CBC_SHA"},
    {0x0090, C, "TLS_DHE_PSK_WITH_AES_128_CBC_SHA"},
    {0x0091, C, "TLS_DHE_PSK_WITH_AES_256_CBC_SHA"},
    {0x0094, C, "TLS_RSA_PSK_WITH_AES_128_CBC_SHA"},
    {0x0095, C, "TLS_RSA_PSK_WITH_AES_256_CBC_SHA"},
    {0xC035, C, "TLS_ECDHE_PSK_WITH_AES_128_CBC_SHA"},
    {0xC036, C, "TLS_ECDHE_PSK_WITH_AES_256_CBC_SHA"},
    {0xC01D, C, "TLS_SRP_SHA_WITH_AES_128_CBC_SHA"},
    {0xC01E, C, "TLS_SRP_SHA_RSA_WITH_AES_128_CBC_SHA"},
    {0xC01F, C, "TLS_SRP_SHA_DSS_WITH_AES_128_CBC_SHA"},
    {0xC020, C, "TLS_SRP_SHA_WITH_AES_256_CBC_SHA"},
    {0xC021, C, "TLS_SRP_SHA_RSA_WITH_AES_256_CBC_SHA"},
    {0xC022, C, "TLS_SRP_SHA_DSS_WITH_AES_256_CBC_SHA"},

    {0x003C, K, "TLS_RSA_WITH_AES_128_CBC_SHA256"},
    {0x003D, K, "TLS_RSA_WITH_AES_256_CBC_SHA256"},
    {0x009C, K, "TLS_RSA_WITH_AES_128_GCM_SHA256"},
    {0x009D, K, "TLS_RSA_WITH_AES_256_GCM_SHA384"},
    {0x00BA, K, "TLS_RSA_WITH_CAMELLIA_128_CBC_SHA256"},
    {0x00C0, K, "TLS_RSA_WITH_CAMELLIA_256_CBC_SHA256"},
    {0xC03C, K, "TLS_RSA_WITH_ARIA_128_CBC_SHA256"},
    {0xC03D, K, "TLS_RSA_WITH_ARIA_256_CBC_SHA384"},
    {0xC050, K, "TLS_RSA_WITH_ARIA_128_GCM_SHA256"},
    {0xC051, K, "TLS_RSA_WITH_ARIA_256_GCM_SHA384"},
    {0xC07A, K, "TLS_RSA_WITH_CAMELLIA_128_GCM_SHA256"},
    {0xC07B, K, "TLS_RSA_WITH_CAMELLIA_256_GCM_SHA384"},
    {0xC09C, K, "TLS_RSA_WITH_AES_128_CCM"},
    {0xC09D, K, "TLS_RSA_WITH_AES_256_CCM"},
    {0xC0A0, K, "TLS_RSA_WITH_AES_128_CCM_8"},
    {0xC0A1, K, "TLS_RSA_WITH_AES_256_CCM_8"},
};

#undef N
#undef X
#undef A
#undef R
#undef D
#undef C
#undef K

#define MAX_CLASS_SUITES SL_ARRAY_LEN(suites)

const char *
Sl_tls_suite_name(uint16_t id)
{
	size_t i;

	for (i = 0; i < SL_ARRAY_LEN(suites); i++)
		if (suites[i].id == id)
			return suites[i].name;
	return NULL;
}

const char *
Sl_tls_ver_name(enum Sl_tls_ver v)
{
	static const char *const names[] = {"TLSv1.0", "TLSv1.1", "TLSv1.2",
	                                    "TLSv1.3"};

	return (unsigned)v < SL_TLS_NVER ? names[v] : "?";
}

const char *
Sl_tls_class_name(enum Sl_tls_class c)
{
	static const char *const names[] = {
	    "NULL",     "EXPORT",   "anon",       "RC4",
	    "DES/3DES", "CBC-SHA1", "static-RSA",
	};

	return (unsigned)c < SL_TLS_NCLASS ? names[c] : "?";
}

static const int ver_proto[SL_TLS_NVER] = {
    TLS1_VERSION,
    TLS1_1_VERSION,
    TLS1_2_VERSION,
    TLS1_3_VERSION,
};

static const char *
wire_ver_name(uint16_t v)
{
	switch (v) {
	case 0x0300: return "SSLv3";
	case 0x0301: return "TLSv1.0";
	case 0x0302: return "TLSv1.1";
	case 0x0303: return "TLSv1.2";
	case 0x0304: return "TLSv1.3";
	default: return "?";
	}
}

/* ------------------------------------------------------------------ */
/* The hand-written ClientHello and ServerHello                        */
/* ------------------------------------------------------------------ */

/* A writer over a fixed buffer; ok drops to false when it overflows. */
struct wr {
	uint8_t *p;
	size_t n, cap;
	bool ok;
};

static void
w8(struct wr *w, unsigned v)
{
	if (w->n >= w->cap) {
		w->ok = false;
		return;
	}
	w->p[w->n++] = (uint8_t)v;
}

static void
w16(struct wr *w, unsigned v)
{
	w8(w, v >> 8 & 0xff);
	w8(w, v & 0xff);
}

static void
wbytes(struct wr *w, const void *p, size_t n)
{
	if (n > w->cap - w->n) {
		w->ok = false;
		return;
	}
	memcpy(w->p + w->n, p, n);
	w->n += n;
}

/* Fill in a 16-bit (or 24-bit) length for what follows at mark. */
static void
wlen(struct wr *w, size_t mark, unsigned bytes)
{
	size_t len = w->n - mark - bytes;

	if (!w->ok)
		return;
	if (bytes == 3)
		w->p[mark++] = (uint8_t)(len >> 16);
	w->p[mark] = (uint8_t)(len >> 8);
	w->p[mark + 1] = (uint8_t)len;
}

/* Is s an IPv4 or IPv6 literal (no SNI for those, RFC 6066)? */
static bool
is_ip_literal(const char *s)
{
	uint8_t buf[16];

	return inet_pton(AF_INET, s, buf) == 1 ||
	       inet_pton(AF_INET6, s, buf) == 1;
}

size_t
Sl_tls_client_hello(uint8_t *out, size_t cap, uint16_t version,
                    const uint16_t *ids, size_t n, const char *sni)
{
	static const uint8_t groups[] = {0x00, 0x1d, 0x00, 0x17, 0x00,
	                                 0x18, 0x00, 0x19, 0x01, 0x00};
	static const uint8_t sigalgs[] = {
	    0x08, 0x04, 0x08, 0x05, 0x08, 0x06, 0x04, 0x01, 0x05, 0x01,
	    0x06, 0x01, 0x04, 0x03, 0x05, 0x03, 0x06, 0x03, 0x08, 0x07,
	    0x02, 0x01, 0x02, 0x03, 0x02, 0x02, 0x04, 0x02,
	};
	struct wr w = {out, 0, cap, true};
	uint8_t rnd[32];
	size_t rec, hs, cs, ext, i;

	if (n == 0 || n > 0x7fff)
		return 0;
	if (RAND_bytes(rnd, sizeof(rnd)) != 1)
		memset(rnd, 0x5a, sizeof(rnd));
	w8(&w, 22); /* handshake record, version 1.0 for compatibility */
	w16(&w, 0x0301);
	rec = w.n;
	w16(&w, 0);
	w8(&w, 1); /* ClientHello */
	hs = w.n;
	w8(&w, 0);
	w16(&w, 0);
	w16(&w, version);
	wbytes(&w, rnd, sizeof(rnd));
	w8(&w, 0); /* no session id */
	cs = w.n;
	w16(&w, 0);
	for (i = 0; i < n; i++)
		w16(&w, ids[i]);
	wlen(&w, cs, 2);
	w8(&w, 1); /* compression: null only */
	w8(&w, 0);
	ext = w.n;
	w16(&w, 0);
	if (sni != NULL && *sni != 0 && strlen(sni) <= 253 &&
	    !is_ip_literal(sni)) {
		size_t l = strlen(sni);

		w16(&w, 0x0000);
		w16(&w, (unsigned)l + 5);
		w16(&w, (unsigned)l + 3);
		w8(&w, 0);
		w16(&w, (unsigned)l);
		wbytes(&w, sni, l);
	}
	w16(&w, 0x000a); /* supported_groups */
	w16(&w, sizeof(groups) + 2);
	w16(&w, sizeof(groups));
	wbytes(&w, groups, sizeof(groups));
	w16(&w, 0x000b); /* ec_point_formats: uncompressed */
	w16(&w, 2);
	w8(&w, 1);
	w8(&w, 0);
	if (version >= 0x0303) {
		w16(&w, 0x000d); /* signature_algorithms */
		w16(&w, sizeof(sigalgs) + 2);
		w16(&w, sizeof(sigalgs));
		wbytes(&w, sigalgs, sizeof(sigalgs));
	}
	w16(&w, 0x0017); /* extended_master_secret */
	w16(&w, 0);
	w16(&w, 0xff01); /* renegotiation_info, initial */
	w16(&w, 1);
	w8(&w, 0);
	wlen(&w, ext, 2);
	wlen(&w, hs, 3);
	wlen(&w, rec, 2);
	return w.ok ? w.n : 0;
}

/*
 * The ServerHello body (RFC 5246 7.4.1.3, RFC 8446 4.1.3):
 *
 *	version(2) random(32) session_id<0..32> cipher_suite(2)
 *	compression(1) [extensions<0..2^16-1>]
 */
static enum Sl_hello_rc
parse_server_hello(const uint8_t *p, size_t n, struct Sl_hello *h)
{
	struct Sl_rd r;
	size_t sid;

	Sl_rd_init(&r, p, n);
	h->version = Sl_rd_be16(&r);
	Sl_rd_skip(&r, 32);
	sid = Sl_rd_u8(&r);
	if (sid > 32) /* UNTRUSTED: bounded by the protocol */
		return SL_HELLO_BAD;
	Sl_rd_skip(&r, sid);
	h->suite = Sl_rd_be16(&r);
	(void)Sl_rd_u8(&r);
	if (r.bad)
		return SL_HELLO_BAD;
	if (r.left == 0)
		return SL_HELLO_OK;
	{
		size_t elen = Sl_rd_be16(&r);
		struct Sl_rd e;

		/* UNTRUSTED: the extension block must fit the message. */
		if (r.bad || elen > r.left)
			return SL_HELLO_BAD;
		Sl_rd_init(&e, Sl_rd_bytes(&r, elen), elen);
		while (e.left > 0) {
			unsigned type = Sl_rd_be16(&e);
			size_t len = Sl_rd_be16(&e);
			const uint8_t *body = Sl_rd_bytes(&e, len);

			if (e.bad)
				return SL_HELLO_BAD;
			if (type == 0x002b) { /* supported_versions */
				if (len != 2)
					return SL_HELLO_BAD;
				h->version = Sl_get_be16(body);
			}
		}
	}
	return SL_HELLO_OK;
}

enum Sl_hello_rc
Sl_tls_parse_hello(const uint8_t *p, size_t n, struct Sl_hello *h)
{
	uint8_t hs[SL_TLS_MAX_HELLO + 4];
	size_t off = 0, nhs = 0;

	memset(h, 0, sizeof(*h));
	while (off < n) {
		size_t len;
		uint8_t type;

		if (n - off < 5)
			return SL_HELLO_MORE;
		type = p[off];
		/* UNTRUSTED: the record length from the device. */
		len = Sl_get_be16(p + off + 1 + 2);
		if (p[off + 1] != 3 || len == 0 ||
		    len > SL_TLS_MAX_HELLO + 2048)
			return SL_HELLO_BAD;
		if (type != 21 && type != 22)
			return SL_HELLO_BAD;
		if (n - off - 5 < len) {
			/* An alert is two bytes; anything shorter waits. */
			return SL_HELLO_MORE;
		}
		if (type == 21) {
			if (len < 2)
				return SL_HELLO_BAD;
			h->alert_level = p[off + 5];
			h->alert_desc = p[off + 6];
			return SL_HELLO_ALERT;
		}
		/*
		 * Only the ServerHello matters: keep what fits, and decide
		 * below whether it is complete (it is at most
		 * SL_TLS_MAX_HELLO + 4 bytes, the size of hs).
		 */
		{
			size_t take =
			    len < sizeof(hs) - nhs ? len : sizeof(hs) - nhs;

			memcpy(hs + nhs, p + off + 5, take);
			nhs += take;
		}
		off += 5 + len;
		if (nhs >= 4) {
			size_t mlen =
			    (size_t)hs[1] << 16 | (size_t)hs[2] << 8 | hs[3];

			/* UNTRUSTED: the message length from the device. */
			if (hs[0] != 2 || mlen > SL_TLS_MAX_HELLO || mlen < 38)
				return SL_HELLO_BAD;
			if (nhs - 4 >= mlen)
				return parse_server_hello(hs + 4, mlen, h);
		}
	}
	return SL_HELLO_MORE;
}

/* ------------------------------------------------------------------ */
/* One connection                                                      */
/* ------------------------------------------------------------------ */

struct probe {
	const struct Sl_target *t;
	size_t addr;
	unsigned port;
	const struct Sl_tls_opts *o;
	const char *sni; /* the host name when it is one, else NULL */
	/* Milliseconds left to wait out refusals, shared by the probe's
	 * connections (probe_connect). */
	_Atomic unsigned *refused_ms;
};

/*
 * Connect for one probe.  The probe runs only on ports the scan found
 * open, so a refusal now is the device limiting new connections per
 * client (nftables' "limit rate ... reject with tcp reset", a connection
 * cap): well-built devices do that, and a lab's client waits and asks
 * again.  A refused connect is retried after 1, 2, 4 ... seconds; all the
 * connections of one probe share REFUSED_WAIT_MS of waiting, so a port
 * that keeps refusing costs the probe that much once, not per
 * connection.  Other errors are final.
 */
#define REFUSED_WAIT_MS 15000U
static bool cancelled(const struct probe *pr);
static int
probe_connect(const struct probe *pr)
{
	unsigned wait = 1000;
	int fd;

	for (;;) {
		unsigned left;
		int e;

		fd = Sl_tcp_connect(pr->t, pr->addr, pr->port,
		                    pr->o->timeout_ms);
		if (fd >= 0 || (errno != ECONNREFUSED && errno != ECONNRESET))
			return fd;
		e = errno;
		left = atomic_load(pr->refused_ms);
		do {
			if (left < wait || cancelled(pr)) {
				errno = e;
				return -1;
			}
		} while (!atomic_compare_exchange_weak(pr->refused_ms, &left,
		                                       left - wait));
		nanosleep(&(struct timespec){.tv_sec = wait / 1000}, NULL);
		wait *= 2;
	}
}

/* Wait for fd until the deadline; 1 ready, 0 timeout, -1 error. */
static int
wait_until(int fd, short ev, uint64_t deadline, unsigned step_ms)
{
	struct pollfd pf = {.fd = fd, .events = ev};

	for (;;) {
		uint64_t now = Sl_now_ms();
		uint64_t left = deadline > now ? deadline - now : 0;
		int rc;

		if (left == 0)
			return 0;
		if (left > step_ms)
			left = step_ms;
		rc = poll(&pf, 1, (int)left);
		if (rc > 0)
			return 1;
		if (rc == 0)
			return 0;
		if (errno != EINTR)
			return -1;
	}
}

static bool
cancelled(const struct probe *pr)
{
	return pr->o->cancel != NULL && *pr->o->cancel != 0;
}

/*
 * Send one class's ClientHello with version ver and read up to the
 * ServerHello.  On YES, *picked and *got_ver name what the server chose.
 */
static enum Sl_tls_state
class_hello(const struct probe *pr, enum Sl_tls_class c, uint16_t ver,
            uint16_t *picked, uint16_t *got_ver, char *detail, size_t dlen)
{
	uint16_t ids[MAX_CLASS_SUITES];
	uint8_t out[2048], in[SL_TLS_MAX_HELLO + 2048 + 5];
	size_t n = 0, i, hl, got = 0;
	uint64_t deadline;
	struct Sl_hello h;
	int fd;
	enum Sl_tls_state st = SL_TLS_ERROR;

	for (i = 0; i < SL_ARRAY_LEN(suites); i++)
		if (suites[i].cls & 1U << c)
			ids[n++] = suites[i].id;
	hl = Sl_tls_client_hello(out, sizeof(out), ver, ids, n, pr->sni);
	if (hl == 0) {
		snprintf(detail, dlen, "ClientHello does not fit");
		return SL_TLS_ERROR;
	}
	fd = probe_connect(pr);
	if (fd < 0) {
		snprintf(detail, dlen, "connect: %s", strerror(errno));
		return SL_TLS_ERROR;
	}
	deadline = Sl_now_ms() + (uint64_t)HS_FACTOR * pr->o->timeout_ms;
	if (Sl_io_write(fd, out, hl, pr->o->timeout_ms) != 0) {
		snprintf(detail, dlen, "send: %s", strerror(errno));
		goto out;
	}
	for (;;) {
		uint64_t now = Sl_now_ms();
		ssize_t r;

		switch (Sl_tls_parse_hello(in, got, &h)) {
		case SL_HELLO_OK: {
			/* The server must pick one of the suites offered. */
			bool offered = false;

			for (i = 0; i < n; i++)
				offered |= ids[i] == h.suite;
			if (!offered) {
				snprintf(detail, dlen,
				         "server picked 0x%04x, not offered",
				         h.suite);
				st = SL_TLS_NO;
				goto out;
			}
			*picked = h.suite;
			*got_ver = h.version;
			st = SL_TLS_YES;
			goto out;
		}
		case SL_HELLO_ALERT:
			snprintf(detail, dlen, "alert %u", h.alert_desc);
			st = SL_TLS_NO;
			goto out;
		case SL_HELLO_BAD:
			snprintf(detail, dlen, "not a TLS ServerHello");
			st = SL_TLS_NO;
			goto out;
		case SL_HELLO_MORE: break;
		}
		if (got >= sizeof(in) || now >= deadline || cancelled(pr)) {
			snprintf(detail, dlen, "no ServerHello in time");
			goto out;
		}
		r = Sl_io_read(fd, in + got, sizeof(in) - got,
		               (unsigned)(deadline - now < pr->o->timeout_ms
		                              ? deadline - now
		                              : pr->o->timeout_ms));
		if (r == 0 || (r < 0 && errno == ECONNRESET)) {
			/* Many servers just close on a hello they refuse. */
			snprintf(detail, dlen, "closed");
			st = SL_TLS_NO;
			goto out;
		}
		if (r < 0) {
			snprintf(detail, dlen, "read: %s", strerror(errno));
			goto out;
		}
		got += (size_t)r;
	}
out:
	close(fd);
	return st;
}

/* What the message callback saw of the server's flight. */
struct seen {
	bool cert_request;
};

static void
msg_cb(int write_p, int version, int content_type, const void *buf, size_t len,
       SSL *ssl, void *arg)
{
	struct seen *sn = arg;

	(void)version;
	(void)ssl;
	if (sn == NULL || write_p || content_type != SSL3_RT_HANDSHAKE ||
	    len < 1)
		return;
	if (((const uint8_t *)buf)[0] == SSL3_MT_CERTIFICATE_REQUEST)
		sn->cert_request = true;
}

/*
 * A client context: min..max versions, security level 0 and the given
 * cipher list, no verification during the handshake (the chain is
 * verified afterwards, so that a bad certificate is reported, not fatal).
 */
static SSL_CTX *
client_ctx(int min, int max, const char *ciphers)
{
	SSL_CTX *ctx = SSL_CTX_new(TLS_client_method());

	if (ctx == NULL)
		return NULL;
	SSL_CTX_set_security_level(ctx, 0);
	SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, NULL);
	SSL_CTX_set_options(ctx,
	                    SSL_OP_LEGACY_SERVER_CONNECT | SSL_OP_NO_TICKET);
	SSL_CTX_set_max_cert_list(ctx, MAX_CERT_LIST);
	SSL_CTX_set_msg_callback(ctx, msg_cb);
	if (!SSL_CTX_set_min_proto_version(ctx, min) ||
	    !SSL_CTX_set_max_proto_version(ctx, max) ||
	    !SSL_CTX_set_cipher_list(ctx, ciphers) ||
	    !SSL_CTX_set_ciphersuites(ctx, "TLS_AES_256_GCM_SHA384:"
	                                   "TLS_CHACHA20_POLY1305_SHA256:"
	                                   "TLS_AES_128_GCM_SHA256:"
	                                   "TLS_AES_128_CCM_SHA256:"
	                                   "TLS_AES_128_CCM_8_SHA256")) {
		SSL_CTX_free(ctx);
		return NULL;
	}
	return ctx;
}

/* The reason of the last OpenSSL error on this thread, or what. */
static void
ssl_detail(char *detail, size_t dlen, const char *what)
{
	unsigned long e = ERR_peek_last_error();
	const char *rs = e ? ERR_reason_error_string(e) : NULL;

	snprintf(detail, dlen, "%s", rs ? rs : what);
}

/*
 * One OpenSSL handshake on a non-blocking socket, each wait bounded.
 * YES when it completed, or when the server got as far as asking for a
 * client certificate (the version was accepted; we have none to give).
 */
static enum Sl_tls_state
handshake(const struct probe *pr, SSL_CTX *ctx, SSL **out, int *fdp,
          char *detail, size_t dlen)
{
	struct seen sn = {false};
	uint64_t deadline;
	SSL *ssl;
	int fd;

	*out = NULL;
	*fdp = -1;
	ERR_clear_error();
	fd = probe_connect(pr);
	if (fd < 0) {
		snprintf(detail, dlen, "connect: %s", strerror(errno));
		return SL_TLS_ERROR;
	}
	ssl = SSL_new(ctx);
	if (ssl == NULL || !SSL_set_fd(ssl, fd)) {
		snprintf(detail, dlen, "out of memory");
		SSL_free(ssl);
		close(fd);
		return SL_TLS_ERROR;
	}
	SSL_set_msg_callback_arg(ssl, &sn);
	if (pr->sni != NULL)
		SSL_set_tlsext_host_name(ssl, pr->sni);
	deadline = Sl_now_ms() + (uint64_t)HS_FACTOR * pr->o->timeout_ms;
	for (;;) {
		int rc = SSL_connect(ssl), e, w;
		short ev;

		if (rc == 1)
			break;
		e = SSL_get_error(ssl, rc);
		if (e == SSL_ERROR_WANT_READ)
			ev = POLLIN;
		else if (e == SSL_ERROR_WANT_WRITE)
			ev = POLLOUT;
		else {
			enum Sl_tls_state st =
			    sn.cert_request ? SL_TLS_YES : SL_TLS_NO;

			ssl_detail(detail, dlen,
			           e == SSL_ERROR_SYSCALL ? "connection closed"
			                                  : "handshake failed");
			SSL_set_msg_callback_arg(ssl, NULL);
			if (st == SL_TLS_YES) {
				*out = ssl;
				*fdp = fd;
				return st;
			}
			SSL_free(ssl);
			close(fd);
			return st;
		}
		w = cancelled(pr)
		        ? 0
		        : wait_until(fd, ev, deadline, pr->o->timeout_ms);
		if (w <= 0) {
			snprintf(detail, dlen, "%s",
			         w == 0 ? "handshake timed out"
			                : strerror(errno));
			SSL_free(ssl);
			close(fd);
			return SL_TLS_ERROR;
		}
	}
	SSL_set_msg_callback_arg(ssl, NULL);
	*out = ssl;
	*fdp = fd;
	return SL_TLS_YES;
}

/* Send close_notify if the socket takes it now; never wait for it. */
static void
finish(SSL *ssl, int fd)
{
	if (ssl != NULL) {
		(void)SSL_shutdown(ssl);
		SSL_free(ssl);
	}
	if (fd >= 0)
		close(fd);
	ERR_clear_error();
}

/* ------------------------------------------------------------------ */
/* Certificate facts                                                   */
/* ------------------------------------------------------------------ */

/* Replace anything but printable ASCII by '.'. */
static void
printable(char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || (unsigned char)*s >= 0x7f)
			*s = '.';
}

static void
name_str(const X509_NAME *nm, char *out, size_t cap)
{
	BIO *b = BIO_new(BIO_s_mem());
	int n = 0;

	out[0] = 0;
	if (b == NULL)
		return;
	/* RFC 2253 escapes controls and non-ASCII bytes. */
	if (X509_NAME_print_ex(b, nm, 0, XN_FLAG_RFC2253) >= 0)
		n = BIO_read(b, out, (int)cap - 1);
	out[n > 0 ? n : 0] = 0;
	BIO_free(b);
	printable(out);
}

static int64_t
asn1_time(const ASN1_TIME *t)
{
	struct tm tm;

	memset(&tm, 0, sizeof(tm));
	if (t == NULL || ASN1_TIME_to_tm(t, &tm) != 1)
		return 0;
	return (int64_t)timegm(&tm);
}

/* Append "sep" and the n bytes of s (made printable) while room is left. */
static void
append(char *out, size_t cap, const char *sep, const char *pre,
       const unsigned char *s, size_t n)
{
	size_t l = strlen(out), i;

	if (l + strlen(sep) + strlen(pre) + 1 >= cap)
		return;
	if (l > 0)
		l += (size_t)snprintf(out + l, cap - l, "%s", sep);
	l += (size_t)snprintf(out + l, cap - l, "%s", pre);
	for (i = 0; i < n && l + 1 < cap; i++)
		out[l++] = s[i] >= 0x20 && s[i] < 0x7f ? (char)s[i] : '.';
	out[l] = 0;
}

static void
sans_str(X509 *x, char *out, size_t cap)
{
	GENERAL_NAMES *g =
	    X509_get_ext_d2i(x, NID_subject_alt_name, NULL, NULL);
	int i, n;

	out[0] = 0;
	if (g == NULL)
		return;
	n = sk_GENERAL_NAME_num(g);
	/* UNTRUSTED: the number of names is the device's choice. */
	for (i = 0; i < n && i < MAX_SANS; i++) {
		const GENERAL_NAME *gn = sk_GENERAL_NAME_value(g, i);
		char ip[INET6_ADDRSTRLEN];
		int len;

		if (gn->type == GEN_DNS) {
			len = ASN1_STRING_length(gn->d.dNSName);
			append(out, cap, ", ",
			       "DNS:", ASN1_STRING_get0_data(gn->d.dNSName),
			       len > 0 ? (size_t)len : 0);
		} else if (gn->type == GEN_IPADD) {
			len = ASN1_STRING_length(gn->d.iPAddress);
			if ((len != 4 && len != 16) ||
			    inet_ntop(len == 4 ? AF_INET : AF_INET6,
			              ASN1_STRING_get0_data(gn->d.iPAddress),
			              ip, sizeof(ip)) == NULL)
				continue;
			append(out, cap, ", ", "IP:", (const unsigned char *)ip,
			       strlen(ip));
		}
	}
	GENERAL_NAMES_free(g);
}

static void
cert_facts(X509 *x, struct Sl_tls_cert *c)
{
	EVP_PKEY *pk = X509_get0_pubkey(x);
	int mdnid = NID_undef, pknid = NID_undef, secbits = 0;
	uint32_t flags = 0;

	memset(c, 0, sizeof(*c));
	name_str(X509_get_subject_name(x), c->subject, sizeof(c->subject));
	name_str(X509_get_issuer_name(x), c->issuer, sizeof(c->issuer));
	c->not_before = asn1_time(X509_get0_notBefore(x));
	c->not_after = asn1_time(X509_get0_notAfter(x));
	if (pk != NULL) {
		const char *tn;

		switch (EVP_PKEY_get_base_id(pk)) {
		case EVP_PKEY_RSA:
		case EVP_PKEY_RSA_PSS: tn = "RSA"; break;
		case EVP_PKEY_EC: tn = "EC"; break;
		case EVP_PKEY_DSA: tn = "DSA"; break;
		case EVP_PKEY_ED25519: tn = "Ed25519"; break;
		case EVP_PKEY_ED448: tn = "Ed448"; break;
		default: tn = "other"; break;
		}
		snprintf(c->key_type, sizeof(c->key_type), "%s", tn);
		c->key_bits =
		    (unsigned)(EVP_PKEY_get_bits(pk) > 0 ? EVP_PKEY_get_bits(pk)
		                                         : 0);
	}
	snprintf(c->sig_alg, sizeof(c->sig_alg), "%s",
	         OBJ_nid2ln(X509_get_signature_nid(x))
	             ? OBJ_nid2ln(X509_get_signature_nid(x))
	             : "unknown");
	if (X509_get_signature_info(x, &mdnid, &pknid, &secbits, &flags) &&
	    mdnid != NID_undef && OBJ_nid2sn(mdnid) != NULL)
		snprintf(c->sig_hash, sizeof(c->sig_hash), "%s",
		         OBJ_nid2sn(mdnid));
	sans_str(x, c->sans, sizeof(c->sans));
	c->self_signed = X509_self_signed(x, 1) == 1;
}

/* Verify the chain sent against the system store (and a CA file). */
static void
verify_chain(X509 *leaf, STACK_OF(X509) * chain, const struct probe *pr,
             struct Sl_tls_result *r)
{
	X509_STORE *st = X509_STORE_new();
	X509_STORE_CTX *ctx = X509_STORE_CTX_new();

	r->chain_ok = false;
	if (st == NULL || ctx == NULL) {
		snprintf(r->verify_error, sizeof(r->verify_error),
		         "out of memory");
		goto out;
	}
	X509_STORE_set_default_paths(st);
	if (pr->o->ca_file != NULL &&
	    X509_STORE_load_file(st, pr->o->ca_file) != 1) {
		snprintf(r->verify_error, sizeof(r->verify_error),
		         "cannot load CA file %s", pr->o->ca_file);
		goto out;
	}
	if (X509_STORE_CTX_init(ctx, st, leaf, chain) != 1) {
		snprintf(r->verify_error, sizeof(r->verify_error),
		         "cannot set up verification");
		goto out;
	}
	r->chain_ok = X509_verify_cert(ctx) == 1;
	if (!r->chain_ok)
		snprintf(r->verify_error, sizeof(r->verify_error), "%s",
		         X509_verify_cert_error_string(
		             X509_STORE_CTX_get_error(ctx)));
out:
	X509_STORE_CTX_free(ctx);
	X509_STORE_free(st);
	ERR_clear_error();
}

/* ------------------------------------------------------------------ */
/* The jobs                                                            */
/* ------------------------------------------------------------------ */

enum jkind { J_VER, J_MAIN, J_CLASS };

struct job {
	enum jkind kind;
	int which;     /* version or class */
	uint16_t wire; /* class probes: the ClientHello version */
	enum Sl_tls_state st;
	uint16_t suite, got_ver;
	char detail[96];
};

struct pool {
	const struct probe *pr;
	struct Sl_tls_result *r;
	struct job *jobs;
	size_t njobs;
	atomic_size_t next;
};

static void
run_version(const struct probe *pr, struct job *j)
{
	int v = ver_proto[j->which];
	SSL_CTX *ctx = client_ctx(v, v, "ALL:COMPLEMENTOFALL:@SECLEVEL=0");
	SSL *ssl;
	int fd;

	if (ctx == NULL) {
		j->st = SL_TLS_ERROR;
		snprintf(j->detail, sizeof(j->detail), "%s",
		         "OpenSSL cannot offer this version");
		return;
	}
	j->st = handshake(pr, ctx, &ssl, &fd, j->detail, sizeof(j->detail));
	finish(ssl, fd);
	SSL_CTX_free(ctx);
}

/* The modern client's handshake: suite, certificate chain, verification. */
static void
run_main(const struct probe *pr, struct job *j, struct Sl_tls_result *r)
{
	SSL_CTX *ctx = client_ctx(TLS1_VERSION, TLS1_3_VERSION,
	                          "ALL:!aNULL:!eNULL:@SECLEVEL=0");
	STACK_OF(X509) * chain;
	const SSL_CIPHER *c;
	X509 *leaf;
	SSL *ssl;
	int fd, i, n;

	if (ctx == NULL) {
		j->st = SL_TLS_ERROR;
		snprintf(j->detail, sizeof(j->detail), "out of memory");
		return;
	}
	j->st = handshake(pr, ctx, &ssl, &fd, j->detail, sizeof(j->detail));
	if (ssl == NULL)
		goto out;
	r->handshake = true;
	snprintf(r->version, sizeof(r->version), "%s", SSL_get_version(ssl));
	c = SSL_get_current_cipher(ssl);
	if (c != NULL) {
		int kx = SSL_CIPHER_get_kx_nid(c);

		snprintf(r->suite, sizeof(r->suite), "%s",
		         SSL_CIPHER_standard_name(c)
		             ? SSL_CIPHER_standard_name(c)
		             : SSL_CIPHER_get_name(c));
		r->strong = SSL_version(ssl) == TLS1_3_VERSION ||
		            (SSL_CIPHER_is_aead(c) &&
		             (kx == NID_kx_ecdhe || kx == NID_kx_dhe));
	}
	/* On the client side the chain includes the leaf. */
	chain = SSL_get_peer_cert_chain(ssl);
	n = chain ? sk_X509_num(chain) : 0;
	for (i = 0; i < n && r->ncert < SL_TLS_MAX_CHAIN; i++)
		cert_facts(sk_X509_value(chain, i), &r->cert[r->ncert++]);
	leaf = n > 0 ? sk_X509_value(chain, 0) : NULL;
	if (leaf != NULL) {
		verify_chain(leaf, chain, pr, r);
		/*
		 * As a client does: a host name given is matched as a name
		 * (RFC 6125, no partial wildcards), an address as an
		 * address (a CN never counts for an address).
		 */
		r->name_ok =
		    pr->sni != NULL
		        ? X509_check_host(leaf, pr->sni, 0,
		                          X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS,
		                          NULL) == 1
		        : X509_check_ip_asc(leaf, pr->t->text[pr->addr], 0) ==
		              1;
	}
out:
	finish(ssl, fd);
	SSL_CTX_free(ctx);
}

static void *
worker(void *arg)
{
	struct pool *p = arg;
	size_t i;

	while ((i = atomic_fetch_add(&p->next, 1)) < p->njobs) {
		struct job *j = &p->jobs[i];

		if (cancelled(p->pr)) {
			j->st = SL_TLS_UNTESTED;
			continue;
		}
		switch (j->kind) {
		case J_VER: run_version(p->pr, j); break;
		case J_MAIN: run_main(p->pr, j, p->r); break;
		case J_CLASS:
			j->st = class_hello(p->pr, (enum Sl_tls_class)j->which,
			                    j->wire, &j->suite, &j->got_ver,
			                    j->detail, sizeof(j->detail));
			break;
		}
	}
	return NULL;
}

/* Run the jobs on up to threads threads (this one included). */
static void
run_pool(const struct probe *pr, struct Sl_tls_result *r, struct job *jobs,
         size_t n, unsigned threads)
{
	struct pool p = {pr, r, jobs, n, 0};

	/* At most 16 threads besides the caller, and none without a job. */
	if (threads > 17)
		threads = 17;
	if (threads > n)
		threads = n > 0 ? (unsigned)n : 1;
	atomic_init(&p.next, 0);
	(void)Sl_pool_run(threads, worker, &p, SL_POOL_CALLER);
}

static void
note_error(struct Sl_tls_result *r, const char *what, const char *detail)
{
	if (r->error[0] == 0)
		snprintf(r->error, sizeof(r->error), "%s: %s", what, detail);
}

static void
take_class(struct Sl_tls_result *r, const struct job *j)
{
	const char *nm = Sl_tls_suite_name(j->suite);

	r->cls[j->which] = j->st;
	/* CBC with SHA-1 counts only where TLS 1.2 was negotiated. */
	if (j->which == SL_TLS_C_CBC_SHA1 && j->st == SL_TLS_YES &&
	    j->got_ver != 0x0303)
		r->cls[j->which] = SL_TLS_NO;
	if (r->cls[j->which] != SL_TLS_YES)
		return;
	if (nm != NULL)
		snprintf(r->cls_suite[j->which], sizeof(r->cls_suite[0]), "%s",
		         nm);
	else
		snprintf(r->cls_suite[j->which], sizeof(r->cls_suite[0]),
		         "0x%04X", j->suite);
	snprintf(r->cls_ver[j->which], sizeof(r->cls_ver[0]), "%s",
	         wire_ver_name(j->got_ver));
}

sl_rc
Sl_tls_probe(const struct Sl_target *t, size_t addr, unsigned port,
             const struct Sl_tls_opts *o, struct Sl_tls_result *r)
{
	struct job jobs[SL_TLS_NVER + 1 + SL_TLS_NCLASS];
	_Atomic unsigned refused_ms = REFUSED_WAIT_MS;
	struct probe pr = {t, addr, port, o, NULL, &refused_ms};
	uint64_t t0 = Sl_now_ms();
	size_t n = 0, i;
	int oldest = -1, v;
	bool any = false, timeout = false;

	memset(r, 0, sizeof(*r));
	if (addr >= t->naddr || port == 0 || port > 65535 ||
	    o->timeout_ms == 0) {
		snprintf(r->error, sizeof(r->error), "bad probe arguments");
		return SL_E_USAGE;
	}
	if (t->host != NULL && !is_ip_literal(t->host))
		pr.sni = t->host;
	else if (o->host_name != NULL && *o->host_name != '\0' &&
	         !is_ip_literal(o->host_name))
		pr.sni = o->host_name;
	snprintf(r->name_checked, sizeof(r->name_checked), "%s",
	         pr.sni != NULL ? pr.sni : t->text[addr]);
	memset(jobs, 0, sizeof(jobs));
	jobs[n++] = (struct job){.kind = J_MAIN};
	for (v = 0; v < SL_TLS_NVER; v++)
		jobs[n++] = (struct job){.kind = J_VER, .which = v};
	for (v = 0; v < SL_TLS_NCLASS; v++)
		jobs[n++] =
		    (struct job){.kind = J_CLASS, .which = v, .wire = 0x0303};
	run_pool(&pr, r, jobs, n, o->threads ? o->threads : SL_TLS_THREADS);

	for (i = 0; i < n; i++) {
		struct job *j = &jobs[i];

		any |= j->st == SL_TLS_YES;
		timeout |= strstr(j->detail, "timed out") != NULL ||
		           strstr(j->detail, "in time") != NULL;
		if (j->st == SL_TLS_ERROR)
			note_error(r,
			           j->kind == J_MAIN ? "handshake"
			           : j->kind == J_VER
			               ? Sl_tls_ver_name(j->which)
			               : Sl_tls_class_name(j->which),
			           j->detail);
		if (j->kind == J_VER)
			r->ver[j->which] = j->st;
		else if (j->kind == J_CLASS)
			take_class(r, j);
	}
	if (!any) {
		r->elapsed_ms = (unsigned)(Sl_now_ms() - t0);
		if (r->error[0] == 0)
			snprintf(r->error, sizeof(r->error),
			         "no TLS handshake succeeded (%s)",
			         jobs[0].detail);
		return timeout ? SL_E_TIMEOUT : SL_E_NET;
	}

	/*
	 * A server that speaks only TLS 1.0 or 1.1 refused the TLS 1.2
	 * hellos: ask it again, for every class but CBC-SHA1 (which is only
	 * weak under TLS 1.2; older versions are reported for themselves),
	 * under the oldest version it accepts.
	 */
	if (r->ver[SL_TLS_V10] == SL_TLS_YES)
		oldest = 0x0301;
	else if (r->ver[SL_TLS_V11] == SL_TLS_YES)
		oldest = 0x0302;
	if (oldest > 0) {
		n = 0;
		for (v = 0; v < SL_TLS_NCLASS; v++)
			if (v != SL_TLS_C_CBC_SHA1 && r->cls[v] == SL_TLS_NO)
				jobs[n++] =
				    (struct job){.kind = J_CLASS,
				                 .which = v,
				                 .wire = (uint16_t)oldest};
		run_pool(&pr, r, jobs, n,
		         o->threads ? o->threads : SL_TLS_THREADS);
		for (i = 0; i < n; i++) {
			if (jobs[i].st == SL_TLS_ERROR)
				note_error(r, Sl_tls_class_name(jobs[i].which),
				           jobs[i].detail);
			if (jobs[i].st != SL_TLS_NO)
				take_class(r, &jobs[i]);
		}
	}
	r->elapsed_ms = (unsigned)(Sl_now_ms() - t0);
	return SL_OK;
}
