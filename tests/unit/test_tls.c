/*
 * test_tls.c - unit tests of the TLS probe (src/net/tls.c) and the check
 * net.tls (src/check/device/tls.c) against real `openssl s_server`
 * processes on 127.0.0.1:
 *   bad:  an expired self-signed RSA-1024 SHA-1 certificate, TLS 1.0 up,
 *         every suite OpenSSL still has at security level 0;
 *   rsa:  an RSA-2048 SHA-256 certificate from a test CA, TLS 1.2+ with
 *         ECDHE AEAD suites only;
 *   ec:   the same with an ECDSA P-256 certificate.
 * Plus the hand-written ClientHello and ServerHello parser on crafted
 * bytes, and a closed port (no findings, the scan marked incomplete).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>

#include "check/check.h"
#include "net/tls.h"

#include "profile/profile.h"

#include "tlsfix.h"

extern const struct Sl_check Sl_check_tls;

static unsigned port_bad, port_rsa, port_ec;
static pid_t pid_bad = -1, pid_rsa = -1, pid_ec = -1;

/* 2021-01-01T00:00:00Z, the bad certificate's notAfter. */
#define BAD_NOT_AFTER 1609459200

static const char ca_cnf[] =
    "[ca]\ndefault_ca = d\n[d]\ndir = ca\ndatabase = ca/index.txt\n"
    "new_certs_dir = ca/newcerts\nserial = ca/serial\npolicy = p\n"
    "default_md = sha1\nunique_subject = no\n[p]\ncommonName = supplied\n";

static int
setup(void **state)
{
	char pb[16], pr[16], pe[16];

	(void)state;
	if (!fx_init())
		return -1;
	/* The bad certificate: self-signed, RSA-1024, SHA-1, 2020 .. 2021. */
	if (fx_sh("mkdir -p ca/newcerts && : >ca/index.txt && "
	          "echo 01 >ca/serial && printf '%%s' '%s' >ca.cnf && "
	          "openssl req -new -newkey rsa:1024 -nodes -keyout bad.key "
	          "-subj /CN=bad.device.test -out bad.csr && "
	          "openssl ca -batch -config ca.cnf -selfsign -keyfile bad.key "
	          "-in bad.csr -startdate 20200101000000Z "
	          "-enddate 20210101000000Z -md sha1 -notext -out bad.pem",
	          ca_cnf) != 0)
		return -1;
	/* A test CA (EC P-256) and two leaves it signs with SHA-256. */
	if (fx_sh(
	        "openssl req -x509 -newkey ec -pkeyopt "
	        "ec_paramgen_curve:P-256 -nodes -keyout root.key "
	        "-subj '/CN=starlab test root' -days 3650 -sha256 "
	        "-addext basicConstraints=critical,CA:TRUE "
	        "-addext keyUsage=critical,keyCertSign,cRLSign -out root.pem "
	        "&& "
	        "printf 'subjectAltName=IP:127.0.0.1,DNS:good.device.test\\n"
	        "basicConstraints=CA:FALSE\\n"
	        "extendedKeyUsage=serverAuth\\n' >leaf.ext && "
	        "openssl req -new -newkey rsa:2048 -nodes -keyout rsa.key "
	        "-subj /CN=good.device.test -out rsa.csr && "
	        "openssl x509 -req -in rsa.csr -CA root.pem -CAkey root.key "
	        "-set_serial 2 -days 365 -sha256 -extfile leaf.ext "
	        "-out rsa.pem && "
	        "openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 "
	        "-nodes -keyout ec.key -subj /CN=good.device.test "
	        "-out ec.csr && "
	        "openssl x509 -req -in ec.csr -CA root.pem -CAkey root.key "
	        "-set_serial 3 -days 365 -sha256 -extfile leaf.ext "
	        "-out ec.pem") != 0)
		return -1;
	port_bad = fx_free_port();
	snprintf(pb, sizeof(pb), "127.0.0.1:%u", port_bad);
	{
		char *const argv[] = {
		    "openssl",
		    "s_server",
		    "-accept",
		    pb,
		    "-cert",
		    "bad.pem",
		    "-key",
		    "bad.key",
		    "-cipher",
		    "ALL:COMPLEMENTOFALL:@SECLEVEL=0",
		    "-min_protocol",
		    "TLSv1",
		    "-www",
		    "-quiet",
		    NULL,
		};
		pid_bad = fx_start(argv, port_bad);
	}
	port_rsa = fx_free_port();
	snprintf(pr, sizeof(pr), "127.0.0.1:%u", port_rsa);
	{
		char *const argv[] = {
		    "openssl",
		    "s_server",
		    "-accept",
		    pr,
		    "-cert",
		    "rsa.pem",
		    "-key",
		    "rsa.key",
		    "-cipher",
		    "ECDHE+AESGCM:ECDHE+CHACHA20",
		    "-min_protocol",
		    "TLSv1.2",
		    "-www",
		    "-quiet",
		    NULL,
		};
		pid_rsa = fx_start(argv, port_rsa);
	}
	port_ec = fx_free_port();
	snprintf(pe, sizeof(pe), "127.0.0.1:%u", port_ec);
	{
		char *const argv[] = {
		    "openssl",
		    "s_server",
		    "-accept",
		    pe,
		    "-cert",
		    "ec.pem",
		    "-key",
		    "ec.key",
		    "-cipher",
		    "ECDHE+AESGCM:ECDHE+CHACHA20",
		    "-min_protocol",
		    "TLSv1.2",
		    "-www",
		    "-quiet",
		    NULL,
		};
		pid_ec = fx_start(argv, port_ec);
	}
	return pid_bad > 0 && pid_rsa > 0 && pid_ec > 0 ? 0 : -1;
}

static int
teardown(void **state)
{
	(void)state;
	fx_stop(pid_bad);
	fx_stop(pid_rsa);
	fx_stop(pid_ec);
	fx_cleanup();
	return 0;
}

/*
 * One network step's timeout: 3 s, or SL_TEST_TIMEOUT_MS where the tests
 * run many times slower (valgrind in scripts/test.sh).  Never a timing
 * assertion: only how long a step may take before it counts as failed.
 */
static unsigned
step_ms(void)
{
	const char *e = getenv("SL_TEST_TIMEOUT_MS");
	long v = e != NULL ? strtol(e, NULL, 10) : 0;

	return v >= 100 && v <= 600000 ? (unsigned)v : 3000;
}

static struct sl_scan *
device(void)
{
	struct sl_device_opts o;
	struct sl_scan *s = sl_scan_new(NULL);

	assert_non_null(s);
	sl_device_opts_default(&o);
	o.timeout_ms = step_ms();
	assert_int_equal(Sl_dev_open(s, "127.0.0.1", &o), SL_OK);
	return s;
}

static void
add_tls(struct sl_scan *s, unsigned port)
{
	struct Sl_service *v = Sl_service_add(s, IPPROTO_TCP, 0, port);

	assert_non_null(v);
	v->pub.name = "https";
	v->pub.tls = true;
}

static struct Sl_tls_result *
probe(unsigned port, const char *ca)
{
	static struct Sl_tls_result r;
	struct sl_scan *s = device();
	struct Sl_tls_opts o = {.timeout_ms = step_ms(), .ca_file = ca};

	assert_int_equal(Sl_tls_probe(&s->dev->t, 0, port, &o, &r), SL_OK);
	sl_scan_free(s);
	assert_string_equal(r.error, "");
	return &r;
}

/* ------------------------------------------------------------------ */

static void
probe_bad(void **state)
{
	struct Sl_tls_result *r = probe(port_bad, NULL);
	const struct Sl_tls_cert *c = &r->cert[0];
	int v;

	(void)state;
	for (v = 0; v < SL_TLS_NVER; v++)
		assert_int_equal(r->ver[v], SL_TLS_YES);
	/* What OpenSSL 3 still has: NULL, anon, CBC-SHA1, static RSA. */
	assert_int_equal(r->cls[SL_TLS_C_NULL], SL_TLS_YES);
	assert_int_equal(r->cls[SL_TLS_C_ANON], SL_TLS_YES);
	assert_int_equal(r->cls[SL_TLS_C_CBC_SHA1], SL_TLS_YES);
	assert_int_equal(r->cls[SL_TLS_C_RSA_KX], SL_TLS_YES);
	assert_int_equal(r->cls[SL_TLS_C_EXPORT], SL_TLS_NO);
	assert_int_equal(r->cls[SL_TLS_C_RC4], SL_TLS_NO);
	assert_int_equal(r->cls[SL_TLS_C_DES], SL_TLS_NO);
	assert_string_equal(r->cls_ver[SL_TLS_C_CBC_SHA1], "TLSv1.2");
	assert_non_null(strstr(r->cls_suite[SL_TLS_C_NULL], "NULL"));
	assert_non_null(strstr(r->cls_suite[SL_TLS_C_ANON], "anon"));
	assert_true(r->handshake);
	assert_string_equal(r->version, "TLSv1.3");
	assert_true(r->strong);
	assert_int_equal(r->ncert, 1);
	assert_string_equal(c->subject, "CN=bad.device.test");
	assert_string_equal(c->issuer, "CN=bad.device.test");
	assert_string_equal(c->key_type, "RSA");
	assert_int_equal(c->key_bits, 1024);
	assert_string_equal(c->sig_hash, "SHA1");
	assert_string_equal(c->sig_alg, "sha1WithRSAEncryption");
	assert_int_equal(c->not_after, BAD_NOT_AFTER);
	assert_int_equal(c->not_before, BAD_NOT_AFTER - 366 * 86400);
	assert_true(c->self_signed);
	assert_false(r->chain_ok);
	assert_false(r->name_ok);
}

static void
probe_good(void **state)
{
	unsigned ports[2] = {port_rsa, port_ec};
	size_t i;

	(void)state;
	for (i = 0; i < 2; i++) {
		char ca[128];
		struct Sl_tls_result *r;
		int c;

		snprintf(ca, sizeof(ca), "%s/root.pem", fx_dir);
		r = probe(ports[i], ca);
		assert_int_equal(r->ver[SL_TLS_V10], SL_TLS_NO);
		assert_int_equal(r->ver[SL_TLS_V11], SL_TLS_NO);
		assert_int_equal(r->ver[SL_TLS_V12], SL_TLS_YES);
		assert_int_equal(r->ver[SL_TLS_V13], SL_TLS_YES);
		for (c = 0; c < SL_TLS_NCLASS; c++)
			assert_int_equal(r->cls[c], SL_TLS_NO);
		assert_true(r->strong);
		assert_int_equal(r->ncert, 1);
		assert_string_equal(r->cert[0].subject, "CN=good.device.test");
		assert_string_equal(r->cert[0].issuer, "CN=starlab test root");
		assert_string_equal(r->cert[0].key_type, i == 0 ? "RSA" : "EC");
		assert_int_equal(r->cert[0].key_bits, i == 0 ? 2048 : 256);
		assert_string_equal(r->cert[0].sig_hash, "SHA256");
		assert_string_equal(r->cert[0].sans,
		                    "IP:127.0.0.1, DNS:good.device.test");
		assert_false(r->cert[0].self_signed);
		assert_true(r->chain_ok);
		assert_true(r->name_ok);
		/* Without the test CA the chain does not verify. */
		r = probe(ports[i], NULL);
		assert_false(r->chain_ok);
		assert_non_null(strstr(r->verify_error, "issuer"));
	}
}

/* The findings of the scan as "ID port severity" lines, sorted. */
static char *
findings(struct sl_scan *s)
{
	static char out[4096];
	char *lines[64];
	size_t n = sl_finding_count(s), i, j, l = 0;

	assert_true(n < 64);
	for (i = 0; i < n; i++) {
		const struct sl_finding *f = sl_finding_get(s, i);
		char buf[128];

		assert_string_equal(f->requirements[0], "S1.1-12");
		assert_null(f->requirements[1]);
		assert_string_equal(f->evidence.host, "127.0.0.1");
		assert_non_null(f->evidence.excerpt);
		snprintf(buf, sizeof(buf), "%s %u %s", f->id, f->evidence.port,
		         sl_severity_name(f->severity));
		lines[i] = strdup(buf);
	}
	for (i = 0; i < n; i++)
		for (j = i + 1; j < n; j++)
			if (strcmp(lines[j], lines[i]) < 0) {
				char *t = lines[i];

				lines[i] = lines[j];
				lines[j] = t;
			}
	out[0] = 0;
	for (i = 0; i < n; i++) {
		l += (size_t)snprintf(out + l, sizeof(out) - l, "%s\n",
		                      lines[i]);
		free(lines[i]);
	}
	return out;
}

static const struct sl_finding *
find(struct sl_scan *s, const char *id, const char *needle)
{
	size_t i;

	for (i = 0; i < sl_finding_count(s); i++) {
		const struct sl_finding *f = sl_finding_get(s, i);

		if (strcmp(f->id, id) == 0 &&
		    (needle == NULL || strstr(f->evidence.excerpt, needle)))
			return f;
	}
	return NULL;
}

static void
check_findings(void **state)
{
	struct sl_scan *s = device();
	char want[2048];
	const struct sl_finding *f;

	(void)state;
	add_tls(s, port_bad);
	add_tls(s, port_rsa);
	add_tls(s, port_ec);
	assert_int_equal(Sl_check_tls.run(s), SL_OK);
	assert_int_equal(sl_scan_incomplete_count(s), 0);
	/* The three summaries sort by port; build that part exactly. */
	{
		unsigned p[3] = {port_bad, port_rsa, port_ec}, t;
		char sum[256];
		int i, j;

		for (i = 0; i < 3; i++)
			for (j = i + 1; j < 3; j++)
				if (p[j] < p[i]) {
					t = p[i];
					p[i] = p[j];
					p[j] = t;
				}
		snprintf(sum, sizeof(sum),
		         "NET-TLS-SUMMARY %u info\nNET-TLS-SUMMARY %u info\n"
		         "NET-TLS-SUMMARY %u info\n",
		         p[0], p[1], p[2]);
		snprintf(want, sizeof(want),
		         "NET-TLS-CERT-EXPIRED %u high\n"
		         "NET-TLS-CERT-SELF-SIGNED %u medium\n"
		         "NET-TLS-NAME-MISMATCH %u medium\n"
		         "NET-TLS-OLD-PROTOCOL %u high\n"
		         "%s"
		         "NET-TLS-WEAK-CIPHER %u high\n"
		         "NET-TLS-WEAK-CIPHER %u high\n"
		         "NET-TLS-WEAK-CIPHER %u low\n"
		         "NET-TLS-WEAK-CIPHER %u low\n"
		         "NET-TLS-WEAK-KEY %u high\n"
		         "NET-TLS-WEAK-SIGNATURE %u high\n",
		         port_bad, port_bad, port_bad, port_bad, sum, port_bad,
		         port_bad, port_bad, port_bad, port_bad, port_bad);
	}
	assert_string_equal(findings(s), want);

	/* The bad certificate names bad.device.test, not 127.0.0.1. */
	f = find(s, "NET-TLS-NAME-MISMATCH", NULL);
	assert_non_null(strstr(f->evidence.excerpt,
	                       "subject CN=bad.device.test), not 127.0.0.1, "
	                       "the address"));
	/* The excerpts quote what was seen. */
	f = find(s, "NET-TLS-OLD-PROTOCOL", NULL);
	assert_string_equal(f->evidence.excerpt,
	                    "protocols accepted: TLSv1.0 TLSv1.1 TLSv1.2 "
	                    "TLSv1.3");
	f = find(s, "NET-TLS-CERT-EXPIRED", NULL);
	assert_string_equal(f->evidence.excerpt,
	                    "certificate 0 (leaf) subject CN=bad.device.test, "
	                    "issuer CN=bad.device.test, valid 2020-01-01 .. "
	                    "2021-01-01");
	assert_non_null(
	    strstr(find(s, "NET-TLS-WEAK-KEY", NULL)->evidence.excerpt,
	           "key RSA 1024 bits"));
	assert_non_null(
	    strstr(find(s, "NET-TLS-WEAK-SIGNATURE", NULL)->evidence.excerpt,
	           "signature sha1WithRSAEncryption"));
	assert_non_null(
	    strstr(find(s, "NET-TLS-CERT-SELF-SIGNED", NULL)->remediation,
	           "device-unique certificate"));
	f = find(s, "NET-TLS-WEAK-CIPHER", "NULL accepted");
	assert_non_null(f);
	assert_int_equal(f->severity, SL_SEV_HIGH);
	f = find(s, "NET-TLS-WEAK-CIPHER", "anon accepted");
	assert_non_null(f);
	assert_int_equal(f->severity, SL_SEV_HIGH);
	f = find(s, "NET-TLS-WEAK-CIPHER", "CBC-SHA1 accepted");
	assert_non_null(f);
	assert_non_null(strstr(f->evidence.excerpt, "under TLSv1.2"));
	f = find(s, "NET-TLS-WEAK-CIPHER", "static-RSA accepted");
	assert_non_null(f);
	assert_non_null(strstr(f->evidence.excerpt, "TLS_RSA_WITH_"));
	f = find(s, "NET-TLS-SUMMARY", "RSA 2048 bits");
	assert_non_null(f);
	assert_non_null(strstr(f->evidence.excerpt,
	                       "protocols: TLSv1.2 TLSv1.3; suite: TLSv1.3 "));
	assert_non_null(strstr(f->evidence.excerpt, "weak classes: none"));
	f = find(s, "NET-TLS-SUMMARY", "self-signed");
	assert_non_null(f);
	assert_non_null(strstr(f->evidence.excerpt,
	                       "weak classes: NULL anon CBC-SHA1 static-RSA"));

	/* Informational findings never break the requirement. */
	assert_int_equal(sl_scan_decide(s), SL_OK);
	assert_int_equal(sl_checklist_get(s, 11)->verdict, SL_V_NON_CONFORMANT);
	sl_scan_free(s);

	/* The good endpoints alone: only the summaries. */
	s = device();
	add_tls(s, port_rsa);
	add_tls(s, port_ec);
	assert_int_equal(Sl_check_tls.run(s), SL_OK);
	assert_int_equal(sl_finding_count(s), 2);
	assert_non_null(find(s, "NET-TLS-SUMMARY", "EC 256 bits"));
	assert_int_equal(sl_scan_decide(s), SL_OK);
	assert_int_not_equal(sl_checklist_get(s, 11)->verdict,
	                     SL_V_NON_CONFORMANT);
	sl_scan_free(s);
}

static void
closed_port(void **state)
{
	struct sl_scan *s = device();
	struct Sl_service *v;

	(void)state;
	add_tls(s, fx_free_port());
	/* A plain service is not probed at all. */
	v = Sl_service_add(s, IPPROTO_TCP, 0, port_rsa);
	v->pub.name = "http";
	assert_int_equal(Sl_check_tls.run(s), SL_OK);
	assert_int_equal(sl_finding_count(s), 0);
	assert_int_equal(sl_scan_incomplete_count(s), 1);
	assert_non_null(
	    strstr(sl_scan_incomplete(s, 0), "net.tls: 127.0.0.1:"));
	sl_scan_free(s);
}

/*
 * The profile's product.host_name: sent as SNI when the device is given
 * by address, and the name the certificate must carry (the address then
 * need not be in it).  The RSA certificate names good.device.test.
 */
static void
profile_host_name(void **state)
{
	static const char good[] = "product: {vendor: V, model: M, "
	                           "host_name: good.device.test}\n";
	static const char other[] = "product: {vendor: V, model: M, "
	                            "host_name: other.device.test}\n";
	struct sl_scan *s;
	const struct sl_finding *f;

	(void)state;
	s = device();
	assert_int_equal(Sl_profile_parse(s, "good.yaml", (const uint8_t *)good,
	                                  sizeof(good) - 1),
	                 SL_OK);
	add_tls(s, port_rsa);
	assert_int_equal(Sl_check_tls.run(s), SL_OK);
	assert_null(find(s, "NET-TLS-NAME-MISMATCH", NULL));
	sl_scan_free(s);

	s = device();
	assert_int_equal(Sl_profile_parse(s, "other.yaml",
	                                  (const uint8_t *)other,
	                                  sizeof(other) - 1),
	                 SL_OK);
	add_tls(s, port_rsa);
	assert_int_equal(Sl_check_tls.run(s), SL_OK);
	f = find(s, "NET-TLS-NAME-MISMATCH", NULL);
	assert_non_null(f);
	assert_non_null(strstr(f->evidence.excerpt,
	                       "not other.device.test, the host name the "
	                       "profile gives (product.host_name)"));
	sl_scan_free(s);
}

/* ------------------------------------------------------------------ */
/* The hand-written part                                               */
/* ------------------------------------------------------------------ */

/* A ServerHello record for version/suite, with extra extension bytes. */
static size_t
server_hello(uint8_t *out, uint16_t ver, uint16_t suite, const uint8_t *ext,
             size_t next)
{
	size_t body = 2 + 32 + 1 + 2 + 1 + (ext ? 2 + next : 0), n = 0;

	out[n++] = 22;
	out[n++] = 3;
	out[n++] = 3;
	out[n++] = (uint8_t)((body + 4) >> 8);
	out[n++] = (uint8_t)(body + 4);
	out[n++] = 2;
	out[n++] = 0;
	out[n++] = (uint8_t)(body >> 8);
	out[n++] = (uint8_t)body;
	out[n++] = (uint8_t)(ver >> 8);
	out[n++] = (uint8_t)ver;
	memset(out + n, 0xab, 32);
	n += 32;
	out[n++] = 0;
	out[n++] = (uint8_t)(suite >> 8);
	out[n++] = (uint8_t)suite;
	out[n++] = 0;
	if (ext) {
		out[n++] = (uint8_t)(next >> 8);
		out[n++] = (uint8_t)next;
		memcpy(out + n, ext, next);
		n += next;
	}
	return n;
}

static void
parse_hello(void **state)
{
	static const uint8_t alert[] = {21, 3, 3, 0, 2, 2, 40};
	static const uint8_t sv[] = {0x00, 0x2b, 0x00, 0x02, 0x03, 0x04};
	static const uint8_t badext[] = {0x00, 0x2b, 0x00, 0x09, 0x03};
	uint8_t b[256], frag[300];
	struct Sl_hello h;
	size_t n, i;

	(void)state;
	memset(b, 0, sizeof(b));
	assert_int_equal(Sl_tls_parse_hello(b, 0, &h), SL_HELLO_MORE);
	assert_int_equal(Sl_tls_parse_hello(alert, 3, &h), SL_HELLO_MORE);
	assert_int_equal(Sl_tls_parse_hello(alert, sizeof(alert), &h),
	                 SL_HELLO_ALERT);
	assert_int_equal(h.alert_desc, 40);
	assert_int_equal(
	    Sl_tls_parse_hello((const uint8_t *)"HTTP/1.1 400 ", 13, &h),
	    SL_HELLO_BAD);

	n = server_hello(b, 0x0303, 0xC02F, NULL, 0);
	for (i = 0; i < n; i++)
		assert_int_equal(Sl_tls_parse_hello(b, i, &h), SL_HELLO_MORE);
	assert_int_equal(Sl_tls_parse_hello(b, n, &h), SL_HELLO_OK);
	assert_int_equal(h.version, 0x0303);
	assert_int_equal(h.suite, 0xC02F);

	/* supported_versions overrides the legacy version. */
	n = server_hello(b, 0x0303, 0x1301, sv, sizeof(sv));
	assert_int_equal(Sl_tls_parse_hello(b, n, &h), SL_HELLO_OK);
	assert_int_equal(h.version, 0x0304);
	n = server_hello(b, 0x0303, 0x1301, badext, sizeof(badext));
	assert_int_equal(Sl_tls_parse_hello(b, n, &h), SL_HELLO_BAD);

	/* The same hello split over two records. */
	n = server_hello(b, 0x0301, 0x0005, NULL, 0);
	memcpy(frag, b, 5 + 10);
	frag[3] = 0;
	frag[4] = 10;
	frag[15] = 22;
	frag[16] = 3;
	frag[17] = 3;
	frag[18] = 0;
	frag[19] = (uint8_t)(n - 5 - 10);
	memcpy(frag + 20, b + 15, n - 15);
	assert_int_equal(Sl_tls_parse_hello(frag, 15, &h), SL_HELLO_MORE);
	assert_int_equal(Sl_tls_parse_hello(frag, n + 5, &h), SL_HELLO_OK);
	assert_int_equal(h.suite, 0x0005);
	assert_int_equal(h.version, 0x0301);

	/* A session id longer than 32 bytes, another handshake type. */
	n = server_hello(b, 0x0303, 0xC02F, NULL, 0);
	b[5 + 4 + 34] = 33;
	assert_int_equal(Sl_tls_parse_hello(b, n, &h), SL_HELLO_BAD);
	n = server_hello(b, 0x0303, 0xC02F, NULL, 0);
	b[5] = 11;
	assert_int_equal(Sl_tls_parse_hello(b, n, &h), SL_HELLO_BAD);
}

static void
client_hello(void **state)
{
	static const uint16_t ids[] = {0x0005, 0xC011};
	uint8_t b[512];
	size_t n;

	(void)state;
	n = Sl_tls_client_hello(b, sizeof(b), 0x0303, ids, 2, "cam.example");
	assert_true(n > 60);
	assert_int_equal(b[0], 22);
	assert_int_equal((size_t)(b[3] << 8 | b[4]), n - 5);
	assert_int_equal(b[5], 1);
	assert_int_equal((size_t)(b[7] << 8 | b[8]), n - 9);
	assert_int_equal(b[9] << 8 | b[10], 0x0303);
	assert_int_equal(b[43], 0);              /* session id */
	assert_int_equal(b[44] << 8 | b[45], 4); /* suites */
	assert_int_equal(b[46] << 8 | b[47], 0x0005);
	assert_int_equal(b[48] << 8 | b[49], 0xC011);
	assert_non_null(memmem(b, n, "cam.example", 11));
	/* No SNI for an address; nothing when it does not fit. */
	n = Sl_tls_client_hello(b, sizeof(b), 0x0301, ids, 2, "10.0.0.2");
	assert_null(memmem(b, n, "10.0.0.2", 8));
	assert_int_equal(Sl_tls_client_hello(b, 40, 0x0303, ids, 2, NULL), 0);
	assert_string_equal(Sl_tls_suite_name(0xC011),
	                    "TLS_ECDHE_RSA_WITH_RC4_128_SHA");
	assert_null(Sl_tls_suite_name(0x1301));
}

int
main(void)
{
	const struct CMUnitTest net[] = {
	    cmocka_unit_test(probe_bad),         cmocka_unit_test(probe_good),
	    cmocka_unit_test(check_findings),    cmocka_unit_test(closed_port),
	    cmocka_unit_test(profile_host_name),
	};
	const struct CMUnitTest pure[] = {
	    cmocka_unit_test(parse_hello),
	    cmocka_unit_test(client_hello),
	};
	int rc = cmocka_run_group_tests(pure, NULL, NULL);

	return rc | cmocka_run_group_tests(net, setup, teardown);
}
