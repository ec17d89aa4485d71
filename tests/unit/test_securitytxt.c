/*
 * test_securitytxt.c - unit tests of the check net.security-txt
 * (src/check/device/securitytxt.c): the RFC 9116 parser on crafted
 * files, then the whole check against real servers on 127.0.0.1 (openssl
 * s_server -WWW for HTTPS, python3 -m http.server for HTTP): a valid file
 * over HTTPS, an invalid one, a valid one over plain HTTP only, none.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "check/check.h"
#include "check/device/securitytxt.h"
#include "net/net.h"

#include "tlsfix.h"

extern const struct Sl_check Sl_check_security_txt;

/* 2026-01-01T00:00:00Z: "now" for the parser tests. */
#define NOW 1767225600

static bool
parse(const char *text, struct Sl_sectxt *t)
{
	return Sl_sectxt_parse(text, strlen(text), NOW, t);
}

static void
parser_valid(void **state)
{
	struct Sl_sectxt t;

	(void)state;
	assert_true(parse("# Our policy\n"
	                  "Contact: mailto:security@vendor.example\n"
	                  "Contact: https://vendor.example/report\r\n"
	                  "Expires: 2026-06-30T23:59:59.000Z\n"
	                  "Preferred-Languages: en, ja\n"
	                  "Policy: https://vendor.example/psirt\n"
	                  "X-Custom: whatever\n",
	                  &t));
	assert_int_equal(t.ncontact, 2);
	assert_string_equal(t.contact, "mailto:security@vendor.example");
	assert_int_equal(t.expires, 1782863999);
	assert_string_equal(t.problems, "");
	assert_string_equal(t.notes, "");
	assert_false(t.signed_pgp);

	/* A cleartext-signed file with a dash-escaped line, an offset. */
	assert_true(parse("-----BEGIN PGP SIGNED MESSAGE-----\n"
	                  "Hash: SHA256\n"
	                  "\n"
	                  "Contact: tel:+81-3-0000-0000\n"
	                  "- Expires: 2026-03-01T09:00:00+09:00\n"
	                  "-----BEGIN PGP SIGNATURE-----\n"
	                  "\n"
	                  "iQEzBAEBCAAdFiEE\n"
	                  "-----END PGP SIGNATURE-----\n",
	                  &t));
	assert_true(t.signed_pgp);
	assert_int_equal(t.expires, 1772323200);

	/* More than a year ahead: valid, with a note. */
	assert_true(parse("Contact: mailto:a@b.example\n"
	                  "Expires: 2030-01-01T00:00:00Z\n",
	                  &t));
	assert_non_null(strstr(t.notes, "more than a year ahead"));
}

static void
parser_invalid(void **state)
{
	struct Sl_sectxt t;

	(void)state;
	assert_false(parse("", &t));
	assert_string_equal(t.problems, "no Contact field; no Expires field");
	assert_false(parse("Contact: security@vendor.example\n"
	                   "Expires: 2025-12-31T00:00:00Z\n",
	                   &t));
	assert_string_equal(t.problems,
	                    "Contact security@vendor.example is not a mailto:, "
	                    "tel: or https:// URI; expired on 2025-12-31");
	assert_false(parse("Contact: http://vendor.example/sec\n"
	                   "Expires: 2026-05-01\n"
	                   "Expires: 2026-05-01T00:00:00Z\n"
	                   "Policy: http://vendor.example/policy\n"
	                   "Preferred-Languages: en\n"
	                   "Preferred-Languages: ja\n"
	                   "this line has no colon\n"
	                   "Encryption:\n",
	                   &t));
	assert_string_equal(
	    t.problems,
	    "Contact http://vendor.example/sec uses http:// (RFC 9116: web "
	    "URIs must be https); Expires 2026-05-01 is not an RFC 3339 "
	    "date-time; Policy http://vendor.example/policy uses http:// "
	    "(must be https); Preferred-Languages appears more than once; "
	    "line 7 is not \"Field: value\"; line 8: Encryption is empty; "
	    "Expires appears 2 times (exactly once allowed)");
	assert_false(parse("-----BEGIN PGP SIGNED MESSAGE-----\n"
	                   "Hash: SHA256\n\n"
	                   "Contact: mailto:a@b.example\n"
	                   "Expires: 2026-06-01T00:00:00Z\n",
	                   &t));
	assert_string_equal(t.problems,
	                    "the PGP signature block is incomplete");
	assert_false(parse("Contact: mailto:a@b.example\n"
	                   "Expires: 2026-02-30T00:00:00Z\n",
	                   &t));
	assert_non_null(strstr(t.problems, "not an RFC 3339"));
	assert_false(Sl_sectxt_parse("Contact: mailto:a@b\0x\n", 22, NOW, &t));
	assert_non_null(strstr(t.problems, "NUL bytes"));
	/* An empty body (Content-Length: 0) has no buffer at all. */
	assert_false(Sl_sectxt_parse(NULL, 0, NOW, &t));
	assert_int_equal(t.ncontact, 0);
}

/* ------------------------------------------------------------------ */

static unsigned p_good, p_bad, p_http, p_empty;
static pid_t pid_good = -1, pid_bad = -1, pid_http = -1, pid_empty = -1;

static int
setup(void **state)
{
	char a[32], b[32], c[16], d[16];

	(void)state;
	if (!fx_init())
		return -1;
	if (fx_sh("openssl req -x509 -newkey ec -pkeyopt "
	          "ec_paramgen_curve:P-256 -nodes -keyout k.pem -subj /CN=t "
	          "-days 30 -out c.pem && "
	          "mkdir -p good/.well-known bad/.well-known empty && "
	          "cp c.pem k.pem good/ && cp c.pem k.pem bad/ && "
	          "printf 'Contact: mailto:psirt@vendor.example\\n"
	          "Expires: %%s\\n' \"$(date -u -d '+90 days' "
	          "+%%Y-%%m-%%dT%%H:%%M:%%SZ)\" >good/.well-known/security.txt "
	          "&& "
	          "printf 'Contact: psirt@vendor.example\\n"
	          "Expires: 2020-01-01T00:00:00Z\\n' "
	          ">bad/.well-known/security.txt") != 0)
		return -1;
	p_good = fx_free_port();
	snprintf(a, sizeof(a), "127.0.0.1:%u", p_good);
	{
		char *const argv[] = {"openssl", "s_server", "-accept", a,
		                      "-cert",   "c.pem",    "-key",    "k.pem",
		                      "-WWW",    "-quiet",   NULL};
		pid_good = fx_start_in(argv, p_good, "good");
	}
	p_bad = fx_free_port();
	snprintf(b, sizeof(b), "127.0.0.1:%u", p_bad);
	{
		char *const argv[] = {"openssl", "s_server", "-accept", b,
		                      "-cert",   "c.pem",    "-key",    "k.pem",
		                      "-WWW",    "-quiet",   NULL};
		pid_bad = fx_start_in(argv, p_bad, "bad");
	}
	p_http = fx_free_port();
	snprintf(c, sizeof(c), "%u", p_http);
	{
		char *const argv[] = {"python3", "-m",        "http.server",
		                      "--bind",  "127.0.0.1", "--directory",
		                      "good",    c,           NULL};
		pid_http = fx_start(argv, p_http);
	}
	p_empty = fx_free_port();
	snprintf(d, sizeof(d), "%u", p_empty);
	{
		char *const argv[] = {"python3", "-m",        "http.server",
		                      "--bind",  "127.0.0.1", "--directory",
		                      "empty",   d,           NULL};
		pid_empty = fx_start(argv, p_empty);
	}
	return pid_good > 0 && pid_bad > 0 && pid_http > 0 && pid_empty > 0
	           ? 0
	           : -1;
}

static int
teardown(void **state)
{
	(void)state;
	fx_stop(pid_good);
	fx_stop(pid_bad);
	fx_stop(pid_http);
	fx_stop(pid_empty);
	fx_cleanup();
	return 0;
}

/* A scan of 127.0.0.1 with web services on the given ports. */
static struct sl_scan *
device(const unsigned *ports, const bool *tls, size_t n)
{
	struct sl_device_opts o;
	struct sl_scan *s = sl_scan_new(NULL);
	size_t i;

	assert_non_null(s);
	sl_device_opts_default(&o);
	o.timeout_ms = 3000;
	assert_int_equal(Sl_dev_open(s, "127.0.0.1", &o), SL_OK);
	for (i = 0; i < n; i++) {
		struct Sl_service *v =
		    Sl_service_add(s, IPPROTO_TCP, 0, ports[i]);

		assert_non_null(v);
		v->pub.name = tls[i] ? "https" : "http";
		v->pub.tls = tls[i];
	}
	assert_int_equal(Sl_check_security_txt.run(s), SL_OK);
	assert_int_equal(sl_scan_incomplete_count(s), 0);
	return s;
}

static const struct sl_finding *
only(struct sl_scan *s, const char *id, unsigned port, enum sl_severity sev)
{
	const struct sl_finding *f;

	assert_int_equal(sl_finding_count(s), 1);
	f = sl_finding_get(s, 0);
	assert_string_equal(f->id, id);
	assert_int_equal(f->evidence.port, port);
	assert_int_equal(f->severity, sev);
	assert_string_equal(f->requirements[0], "S1.1-05");
	assert_null(f->requirements[1]);
	return f;
}

static void
check_valid(void **state)
{
	const unsigned ports[] = {p_good, p_http};
	const bool tls[] = {true, false};
	struct sl_scan *s = device(ports, tls, 2);
	const struct sl_finding *f;

	(void)state;
	/* The plain-HTTP copy of a valid HTTPS file is not a problem. */
	f = only(s, "NET-SECURITY-TXT", p_good, SL_SEV_INFO);
	assert_non_null(strstr(f->evidence.excerpt,
	                       "/.well-known/security.txt: Contact: "
	                       "mailto:psirt@vendor.example; Expires: "));
	assert_non_null(strstr(f->evidence.excerpt, "not signed"));
	assert_true(s->covered[4] & SL_SRC_NETWORK);
	sl_scan_free(s);
}

static void
check_invalid(void **state)
{
	const unsigned ports[] = {p_bad};
	const bool tls[] = {true};
	struct sl_scan *s = device(ports, tls, 1);
	const struct sl_finding *f;
	char want[256];

	(void)state;
	f = only(s, "NET-SECURITY-TXT-INVALID", p_bad, SL_SEV_LOW);
	snprintf(want, sizeof(want),
	         "https://127.0.0.1:%u/.well-known/security.txt: Contact "
	         "psirt@vendor.example is not a mailto:, tel: or https:// "
	         "URI; expired on 2020-01-01",
	         p_bad);
	assert_string_equal(f->evidence.excerpt, want);
	assert_int_equal(sl_scan_decide(s), SL_OK);
	/* A low finding is advice: it never moves a verdict (issue 11). */
	assert_int_not_equal(sl_checklist_get(s, 4)->verdict,
	                     SL_V_NON_CONFORMANT);
	sl_scan_free(s);
}

static void
check_http_only(void **state)
{
	const unsigned ports[] = {p_http};
	const bool tls[] = {false};
	struct sl_scan *s = device(ports, tls, 1);
	const struct sl_finding *f;

	(void)state;
	f = only(s, "NET-SECURITY-TXT-INVALID", p_http, SL_SEV_LOW);
	assert_non_null(
	    strstr(f->evidence.excerpt, "served over plain HTTP only"));
	sl_scan_free(s);
}

static void
check_absent(void **state)
{
	const unsigned ports[] = {p_empty};
	const bool tls[] = {false};
	struct sl_scan *s = device(ports, tls, 1);
	const struct sl_finding *f;
	char want[128];

	(void)state;
	f = only(s, "NET-SECURITY-TXT-ABSENT", 0, SL_SEV_INFO);
	snprintf(want, sizeof(want),
	         "GET /.well-known/security.txt found nothing on ports %u",
	         p_empty);
	assert_string_equal(f->evidence.excerpt, want);
	assert_int_equal(sl_scan_decide(s), SL_OK);
	assert_int_not_equal(sl_checklist_get(s, 4)->verdict,
	                     SL_V_NON_CONFORMANT);
	sl_scan_free(s);
}

int
main(void)
{
	const struct CMUnitTest pure[] = {
	    cmocka_unit_test(parser_valid),
	    cmocka_unit_test(parser_invalid),
	};
	const struct CMUnitTest net[] = {
	    cmocka_unit_test(check_valid),
	    cmocka_unit_test(check_invalid),
	    cmocka_unit_test(check_http_only),
	    cmocka_unit_test(check_absent),
	};
	int rc = cmocka_run_group_tests(pure, NULL, NULL);

	return rc | cmocka_run_group_tests(net, setup, teardown);
}
