/*
 * tls.h - what one TLS endpoint of the device accepts and presents
 * (tls.c): the protocol versions, the certificate chain, the weak cipher
 * classes, and the suite a modern client gets.
 *
 * Sl_tls_probe fills a struct Sl_tls_result with facts only; grading them
 * into findings is the check's job (src/check/device/tls.c).
 */
#ifndef SL_NET_TLS_H
#define SL_NET_TLS_H

#include "net.h"

/* The versions probed, each by one handshake with min = max. */
enum Sl_tls_ver {
	SL_TLS_V10 = 0,
	SL_TLS_V11,
	SL_TLS_V12,
	SL_TLS_V13,
	SL_TLS_NVER
};

/* The weak cipher classes, each probed by one ClientHello. */
enum Sl_tls_class {
	SL_TLS_C_NULL = 0, /* no encryption */
	SL_TLS_C_EXPORT,   /* 40/56-bit export suites */
	SL_TLS_C_ANON,     /* no authentication (aNULL) */
	SL_TLS_C_RC4,
	SL_TLS_C_DES,      /* DES, 3DES, IDEA: 64-bit blocks */
	SL_TLS_C_CBC_SHA1, /* CBC with a SHA-1 MAC under TLS 1.2 */
	SL_TLS_C_RSA_KX,   /* static RSA key exchange: no forward secrecy */
	SL_TLS_NCLASS
};

/* The outcome of one probe. */
enum Sl_tls_state {
	SL_TLS_UNTESTED = 0, /* not run (cancelled, or not applicable) */
	SL_TLS_YES,          /* the server accepted */
	SL_TLS_NO,           /* the server refused (alert, close) */
	SL_TLS_ERROR,        /* could not tell: connect failed, timeout */
};

#define SL_TLS_MAX_CHAIN 8   /* certificates kept of the chain sent */
#define SL_TLS_STR       256 /* bytes of one name or SAN list, NUL included */

/* One certificate as the server sent it.  Strings are printable ASCII. */
struct Sl_tls_cert {
	char subject[SL_TLS_STR]; /* RFC 2253, "CN=cam.local,O=Vendor" */
	char issuer[SL_TLS_STR];
	int64_t not_before, not_after; /* seconds since the epoch */
	char key_type[16];             /* "RSA", "EC", "DSA", "Ed25519", ... */
	unsigned key_bits;             /* RSA modulus, EC field size */
	char sig_alg[48];              /* "sha1WithRSAEncryption" */
	char sig_hash[16];     /* "SHA1", "MD5", "SHA256"; "" when intrinsic */
	char sans[SL_TLS_STR]; /* "DNS:cam.local, IP:10.0.0.2" */
	bool self_signed;      /* issuer = subject, signed by its own key */
};

struct Sl_tls_result {
	enum Sl_tls_state ver[SL_TLS_NVER];
	enum Sl_tls_state cls[SL_TLS_NCLASS];
	char cls_suite[SL_TLS_NCLASS][64]; /* the suite the server picked */
	char cls_ver[SL_TLS_NCLASS][8];    /* under which version, "TLSv1.2" */

	/* The handshake of a modern client offering everything it can. */
	bool handshake;
	char version[16]; /* "TLSv1.3" */
	char suite[64];   /* IANA name, "TLS_AES_256_GCM_SHA384" */
	bool strong;      /* TLS 1.3, or an AEAD suite with (EC)DHE */

	size_t ncert; /* cert[0] is the leaf */
	struct Sl_tls_cert cert[SL_TLS_MAX_CHAIN];
	bool chain_ok;         /* verifies against the trust store */
	char verify_error[96]; /* why not, from X509_verify_cert */
	bool name_ok;          /* the leaf names name_checked */
	/* The host name or address the leaf was checked against: the
	 * target's name, else opts.host_name, else the address. */
	char name_checked[256];

	char error[160];     /* the first problem, when something failed */
	unsigned elapsed_ms; /* wall time of the whole probe */
};

struct Sl_tls_opts {
	unsigned timeout_ms; /* one network step; the probe of one version
	                        or class takes at most 3x this */
	const char *ca_file; /* extra trust anchors (PEM), or NULL */
	unsigned threads;    /* handshakes in flight; 0 = SL_TLS_THREADS */
	const volatile sig_atomic_t *cancel; /* stop soon when set; or NULL */
	/* The name clients reach the device by (the profile's
	 * product.host_name), or NULL.  When the target was given as an
	 * address, it is sent as SNI and the certificate must name it. */
	const char *host_name;
};

#define SL_TLS_THREADS 4

/*
 * Probe the TLS endpoint on address addr of t, TCP port port.  Only that
 * address and port are contacted; every connect, read and handshake is
 * bounded by o->timeout_ms, and nothing but handshake messages is sent.
 * Returns SL_OK when the endpoint completed at least one handshake (r is
 * then filled as far as the probes got); SL_E_NET or SL_E_TIMEOUT, with
 * r->error set, when it never did.
 */
sl_rc Sl_tls_probe(const struct Sl_target *t, size_t addr, unsigned port,
                   const struct Sl_tls_opts *o, struct Sl_tls_result *r);

const char *Sl_tls_ver_name(enum Sl_tls_ver v);     /* "TLSv1.0" */
const char *Sl_tls_class_name(enum Sl_tls_class c); /* "RC4" */

/*
 * The hand-written part: a TLS 1.0-1.2 ClientHello offering exactly the
 * suites of one class (OpenSSL 3 as Debian builds it can no longer offer
 * RC4, DES, 3DES or export suites, so it cannot ask for them), and the
 * parser of the answer up to the ServerHello.
 */

/*
 * Write a ClientHello record for version (0x0301 .. 0x0303) offering the
 * n suites, with SNI for sni (a DNS name; NULL or an address: none).
 * Returns the length, or 0 when it does not fit in cap bytes.
 */
size_t Sl_tls_client_hello(uint8_t *out, size_t cap, uint16_t version,
                           const uint16_t *suites, size_t n, const char *sni);

enum Sl_hello_rc {
	SL_HELLO_MORE = 0, /* the bytes so far are a valid prefix */
	SL_HELLO_OK,       /* a ServerHello: version and suite are set */
	SL_HELLO_ALERT,    /* the server answered with an alert */
	SL_HELLO_BAD,      /* not TLS, or a malformed ServerHello */
};

struct Sl_hello {
	uint16_t version; /* negotiated (supported_versions when present) */
	uint16_t suite;
	uint8_t alert_level, alert_desc;
};

/*
 * Parse what the server sent so far (p, n: every byte from the start of
 * the connection).  Stateless, so the caller re-parses after each read.
 * UNTRUSTED: p is device output; records and the handshake message are
 * bounded by SL_TLS_MAX_HELLO.
 */
enum Sl_hello_rc Sl_tls_parse_hello(const uint8_t *p, size_t n,
                                    struct Sl_hello *h);

#define SL_TLS_MAX_HELLO 16384

/* The IANA name of a suite this file knows, or NULL. */
const char *Sl_tls_suite_name(uint16_t id);

#endif
