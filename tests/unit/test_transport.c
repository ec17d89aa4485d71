/*
 * test_transport.c - unit tests of fw.transport: which hosts count as
 * endpoints, and the whole check over a small in-memory tree: URLs in
 * text and binaries, one finding per distinct URL, references and
 * comments ignored, TLS switches in text only, the firmware-download
 * line also naming S1.1-08, credentials on a line masked, the per-file
 * cap, and allocation failure at every step.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>

#include "check/check.h"
#include "check/firmware/scan.h"

/* Declared in src/check/firmware/transport.c. */
bool Sl_tr_endpoint_host(const char *host, size_t n);
extern const struct Sl_check Sl_check_transport;

#include "memimg.h"

/* ------------------------------------------------------------------ */

static void
hosts(void **state)
{
	static const char *const yes[] = {
	    "fw.vendor.io",  "iot.example.com",       "10.0.0.5", "192.168.1.1",
	    "[2001:db8::1]", "broker-1.eu.vendor.io", NULL,
	};
	static const char *const no[] = {
	    "",
	    "localhost",
	    "127.0.0.1",
	    "0.0.0.0",
	    "[::1]",
	    "www.w3.org",
	    "schemas.xmlsoap.org",
	    "example.com",
	    "www.example.org",
	    "crl3.digicert.com",
	    "ocsp.vendor.io",
	    "%s",
	    "${HOST}",
	    "HOST",
	    "<server>",
	    "router",
	    "a.localhost",
	    "x.invalid",
	    ".io",
	    "io.",
	    "www.gnu.org",
	    NULL,
	};
	const char *const *h;

	(void)state;
	for (h = yes; *h; h++)
		if (!Sl_tr_endpoint_host(*h, strlen(*h)))
			fail_msg("'%s' should be an endpoint", *h);
	for (h = no; *h; h++)
		if (Sl_tr_endpoint_host(*h, strlen(*h)))
			fail_msg("'%s' should not be an endpoint", *h);
}

static void
check_files(void **state)
{
	static const uint8_t bin[] =
	    "\x7f"
	    "ELF\0http://up.vendor.io/api\0http://%s/x\0"
	    "curl -k http://a.vendor.io/\0SSL_VERIFY_NONE\0"
	    "http://up.vendor.io/api\0See http://see.vendor.io/ for more\0"
	    "reasons (http://paren.vendor.io/)\0<!DOCTYPE x PUBLIC \"-//A//DTD "
	    "X 1.0//EN\" \"http://dtd.vendor.io/x.dtd\"\0";
	struct img m = {0};
	struct sl_scan *s;
	const struct sl_finding *f;
	char *many, *p;
	int i;

	(void)state;
	img_add(&m, "usr/bin/app", bin, sizeof(bin));
	img_adds(&m, "etc/init.d/up",
	         "#!/bin/sh\n"
	         "  # curl -k http://old.vendor.io/fw.bin\n"
	         "curl -k -o /tmp/fw.bin https://dl.vendor.io/fw.bin\n"
	         "curl --insecure https://api.vendor.io/quota\n"
	         "curl -s -u admin:Pa55w0rdX http://cam.vendor.io/?token="
	         "Zq8vR2nW5tY7uI9oP1aS3dF6&x=1\n");
	img_adds(&m, "etc/paho.json",
	         "{\"a\": \"tcp://b.vendor.io:1883\", "
	         "\"b\": \"tcp://b.vendor.io:18830\", "
	         "\"c\": \"tcp://b.vendor.io:8883\"}");
	img_adds(&m, "www/x.svg",
	         "<svg xmlns=\"http://www.w3.org/2000/svg\">"
	         "<a href=\"http://vendor.io/\"/></svg>");
	img_adds(&m, "usr/share/doc/x/README", "http://docs.vendor.io/\n");
	img_adds(&m, "www/logo.png", "http://png.vendor.io/");
	many = malloc(40 * 64);
	assert_non_null(many);
	for (p = many, i = 0; i < 25; i++)
		p += sprintf(p, "u%d=http://h%d.vendor.io/\n", i, i);
	img_adds(&m, "etc/many", many);
	s = scan_of(&m);
	assert_int_equal(Sl_check_run(s, &Sl_check_transport), SL_OK);

	/* The binary: two URLs (one twice), no TLS switch (not text), no
	 * references in prose or DTDs. */
	/* One finding per file, every URL in it. */
	assert_int_equal(count(s, "FW-PLAINTEXT-ENDPOINT", "usr/bin/app"), 1);
	f = find(s, "FW-PLAINTEXT-ENDPOINT", "usr/bin/app");
	assert_non_null(strstr(f->title, "2 plaintext endpoints"));
	assert_non_null(strstr(f->evidence.excerpt, "http://a.vendor.io/"));
	assert_int_equal(count(s, "FW-TLS-VERIFY-DISABLED", "usr/bin/app"), 0);
	/* The script. */
	assert_int_equal(count(s, "FW-TLS-VERIFY-DISABLED", "etc/init.d/up"),
	                 2);
	f = find(s, "FW-TLS-VERIFY-DISABLED", "etc/init.d/up");
	assert_non_null(f);
	assert_int_equal(f->evidence.offset, 50 + 6); /* the k of -k */
	assert_string_equal(f->requirements[0], "S1.1-08");
	assert_string_equal(f->requirements[1], "S1.1-12");
	assert_int_equal(count(s, "FW-PLAINTEXT-ENDPOINT", "etc/init.d/up"), 1);
	f = find(s, "FW-PLAINTEXT-ENDPOINT", "etc/init.d/up");
	assert_null(strstr(f->evidence.excerpt, "Pa55w0rdX"));
	assert_null(strstr(f->evidence.excerpt, "8vR2nW5tY7uI9oP1"));
	assert_non_null(strstr(f->evidence.excerpt, "http://cam.vendor.io/"));
	/* tcp:// only on 1883. */
	assert_int_equal(count(s, "FW-PLAINTEXT-ENDPOINT", "etc/paho.json"), 1);
	/* References, documentation and media: nothing. */
	assert_int_equal(count(s, "FW-PLAINTEXT-ENDPOINT", "www/x.svg"), 0);
	assert_int_equal(
	    count(s, "FW-PLAINTEXT-ENDPOINT", "usr/share/doc/x/README"), 0);
	assert_int_equal(count(s, "FW-PLAINTEXT-ENDPOINT", "www/logo.png"), 0);
	/* One finding for 25 URLs: the count in the title, a bounded list. */
	assert_int_equal(count(s, "FW-PLAINTEXT-ENDPOINT", "etc/many"), 1);
	f = find(s, "FW-PLAINTEXT-ENDPOINT", "etc/many");
	assert_non_null(strstr(f->title, "25 plaintext endpoints (HTTP)"));
	assert_non_null(strstr(f->evidence.excerpt, "; and more]"));
	for (i = 0, p = NULL; (size_t)i < sl_finding_count(s); i++)
		p = many;
	assert_non_null(p);
	sl_scan_free(s);
	free(many);
	free(m.p);
}

static void
check_torture(void **state)
{
	struct img m = {0};

	(void)state;
	img_adds(&m, "etc/a",
	         "wget --no-check-certificate http://fw.vendor.io/fw.bin\n"
	         "x=mqtt://u:Pa55w0rdX@b.vendor.io:1883\n");
	img_torture(&m, &Sl_check_transport);
	free(m.p);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(hosts),
	    cmocka_unit_test(check_files),
	    cmocka_unit_test(check_torture),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
