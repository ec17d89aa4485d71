/*
 * test_identity.c - unit tests of net.identity's page reader
 * (src/check/device/identity.c, Sl_identity_page): JSON status documents,
 * HTML titles and text, with and without the profile's model, and pages
 * that name no model or no version.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "check/device/identity.h"

static void
page(const char *text, const char *want, struct Sl_ident_page *o)
{
	Sl_identity_page(text, strlen(text), want, o);
}

static void
test_json(void **state)
{
	struct Sl_ident_page o;

	(void)state;
	page("{\"vendor\":\"StarLab\",\"model\":\"SL-CAM100\","
	     "\"firmware_version\":\"1.0.2\",\"uptime\":4242}",
	     NULL, &o);
	assert_string_equal(o.model, "SL-CAM100");
	assert_string_equal(o.version, "1.0.2");
	/* One level down, other key names. */
	page("{\"device\":{\"modelNumber\":\"RT-AC68U\","
	     "\"fwVersion\":\"3.0.0.4\"}}",
	     NULL, &o);
	assert_string_equal(o.model, "RT-AC68U");
	assert_string_equal(o.version, "3.0.0.4");
	/* Numbers and arrays are not strings: nothing. */
	page("{\"model\":42,\"version\":[1,2]}", NULL, &o);
	assert_string_equal(o.model, "");
	assert_string_equal(o.version, "");
}

static void
test_html(void **state)
{
	struct Sl_ident_page o;

	(void)state;
	page("<html><head><title>StarLab SL-CAM100 Web UI</title></head>"
	     "<body><p>Firmware 1.0.2</p></body></html>",
	     NULL, &o);
	assert_string_equal(o.model, "SL-CAM100");
	assert_string_equal(o.version, "1.0.2");
	/* The profile's model is found even when it does not look like one. */
	page("<TITLE lang=en>Garden Cam Pro</TITLE>version: v2.4.1-rc1",
	     "Cam Pro", &o);
	assert_string_equal(o.model, "Cam Pro");
	assert_string_equal(o.version, "2.4.1-rc1");
	/* Architecture words and versions are no model; no keyword, no
	 * version. */
	page("<title>Linux amd64 v1-2 router</title>1.2.3", NULL, &o);
	assert_string_equal(o.model, "");
	assert_string_equal(o.version, "");
	/* An unterminated title and NUL bytes are harmless. */
	Sl_identity_page("<title>SL-X1\0\0 fw 9.8", 22, NULL, &o);
	assert_string_equal(o.model, "");
	assert_string_equal(o.version, "9.8");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_json),
	    cmocka_unit_test(test_html),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
