/*
 * test_report_formats.c - unit tests of the Markdown and SARIF writers on
 * a scan built by hand: a device finding (host:port, IPv6 in brackets, a
 * logical location in SARIF), a firmware finding with an offset and a
 * hostile path and excerpt, an incomplete reason that would open a list,
 * text that is not valid UTF-8, and findings grouped and ordered by
 * severity under each requirement.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>

#include "report/report.h"

static struct sl_scan *
scan(void)
{
	struct sl_scan *s = sl_scan_new(NULL);
	struct sl_finding f = {0};

	assert_non_null(s);
	assert_int_equal(sl_scan_set_device(s, "fd00::2"), SL_OK);
	f.id = "NET-TELNET-OPEN";
	f.title = "telnet answers";
	f.severity = SL_SEV_HIGH;
	f.requirements[0] = "S1.1-13";
	f.requirements[1] = "S1.1-12";
	f.evidence.host = "fd00::2";
	f.evidence.port = 23;
	f.evidence.excerpt = "login: `x`|<b>";
	f.remediation = "Turn telnet off.";
	assert_int_equal(sl_finding_add(s, &f, NULL), SL_OK);
	memset(&f, 0, sizeof(f));
	f.id = "FW-TEST-LOW";
	f.title = "a low one \xff with *stars* \xc3\xa9";
	f.severity = SL_SEV_LOW;
	f.requirements[0] = "S1.1-13";
	f.evidence.path = "fw.bin@0x40:squashfs!/etc/a b|<i>";
	f.evidence.offset = 255;
	f.evidence.has_offset = true;
	f.evidence.excerpt = "`start and end`";
	assert_int_equal(sl_finding_add(s, &f, NULL), SL_OK);
	Sl_incomplete(s, "1. not a list - really");
	assert_int_equal(sl_scan_decide(s), SL_OK);
	return s;
}

static void
markdown(void **state)
{
	struct sl_scan *s = scan();
	char *md = Sl_report_md(s, 86400);
	const char *hi, *lo;

	(void)state;
	assert_non_null(md);
	assert_non_null(strstr(md, "# JC-STAR STAR-1 assessment: fd00::2\n"));
	assert_non_null(strstr(md, "- **Generated:** 1970-01-02T00:00:00Z"));
	assert_non_null(strstr(md, "  - Evidence: ` [fd00::2]:23 `\n"));
	assert_non_null(strstr(md, "  - Excerpt: `` login: `x`|<b> ``\n"));
	assert_non_null(strstr(md,
	                       "  - Evidence: ` fw.bin@0x40:squashfs!/etc/a "
	                       "b|<i> ` at offset 255 (0xff)\n"));
	/* A backtick at either end: the padding keeps it inside. */
	assert_non_null(strstr(md, "`` `start and end` ``"));
	/* Bytes that are not UTF-8 become \\xNN; valid UTF-8 stays. */
	assert_non_null(
	    strstr(md, "a low one \\\\xff with \\*stars\\* \xc3\xa9"));
	assert_non_null(strstr(md, "- 1\\. not a list - really\n"));
	assert_non_null(strstr(md, "  - Requirements: S1.1-13, S1.1-12\n"));
	/* Under S1.1-13: the high one before the low one. */
	hi = strstr(md, "- **[high] NET-TELNET-OPEN**");
	lo = strstr(md, "- **[low] FW-TEST-LOW**");
	assert_non_null(hi);
	assert_non_null(lo);
	assert_true(hi < lo);
	/* Under S1.1-12, a pointer to where it is listed. */
	assert_non_null(strstr(md, "- [high] NET-TELNET-OPEN: telnet answers "
	                           "(listed under S1.1-13)\n"));
	assert_non_null(strstr(md,
	                       "| S1.1-13 | Unneeded interfaces off, "
	                       "nothing exploitable | **non-conformant** |"));
	free(md);
	sl_scan_free(s);
}

static void
sarif(void **state)
{
	struct sl_scan *s = scan();
	char *out = Sl_report_sarif(s, 86400);
	json_t *j, *run, *res, *loc, *rules, *tags;
	json_error_t err;

	(void)state;
	assert_non_null(out);
	j = json_loads(out, 0, &err);
	assert_non_null(j);
	assert_string_equal(json_string_value(json_object_get(j, "version")),
	                    "2.1.0");
	run = json_array_get(json_object_get(j, "runs"), 0);
	rules = json_object_get(
	    json_object_get(json_object_get(run, "tool"), "driver"), "rules");
	assert_int_equal(json_array_size(rules), 2);
	res = json_object_get(run, "results");
	assert_int_equal(json_array_size(res), 2);
	/* Findings are sorted by id: FW-TEST-LOW, then NET-TELNET-OPEN. */
	loc = json_array_get(
	    json_object_get(json_array_get(res, 0), "locations"), 0);
	assert_string_equal(
	    json_string_value(json_object_get(
	        json_object_get(json_object_get(loc, "physicalLocation"),
	                        "artifactLocation"),
	        "uri")),
	    "fw.bin@0x40%3Asquashfs!/etc/a%20b%7C%3Ci%3E");
	assert_int_equal(
	    json_integer_value(json_object_get(
	        json_object_get(json_object_get(loc, "physicalLocation"),
	                        "region"),
	        "byteOffset")),
	    255);
	assert_string_equal(
	    json_string_value(json_object_get(json_array_get(res, 0), "level")),
	    "note");
	assert_string_equal(
	    json_string_value(json_object_get(
	        json_object_get(json_array_get(res, 0), "message"), "text")),
	    "a low one \\xff with *stars* \xc3\xa9");
	loc = json_array_get(
	    json_object_get(json_array_get(res, 1), "locations"), 0);
	assert_string_equal(
	    json_string_value(json_object_get(
	        json_array_get(json_object_get(loc, "logicalLocations"), 0),
	        "name")),
	    "[fd00::2]:23");
	/* Code scanning drops a result without a physical location: a
	 * device result names the service as a starlab: artifact. */
	assert_string_equal(
	    json_string_value(json_object_get(
	        json_object_get(json_object_get(loc, "physicalLocation"),
	                        "artifactLocation"),
	        "uri")),
	    "starlab://[fd00::2]:23/tcp");
	assert_string_equal(
	    json_string_value(json_object_get(json_array_get(res, 1), "level")),
	    "error");
	/* The rule's tags: "security" (code scanning files it as a
	 * security alert), the highest severity, then every requirement its
	 * findings break, sorted. */
	tags = json_object_get(
	    json_object_get(json_array_get(rules, 1), "properties"), "tags");
	assert_string_equal(json_string_value(json_array_get(tags, 0)),
	                    "security");
	assert_string_equal(json_string_value(json_array_get(tags, 1)), "high");
	assert_string_equal(json_string_value(json_array_get(tags, 2)),
	                    "S1.1-12");
	json_decref(j);
	free(out);
	sl_scan_free(s);
}

static void
empty(void **state)
{
	struct sl_scan *s = sl_scan_new(NULL);
	char *md, *sf;

	(void)state;
	assert_non_null(s);
	md = Sl_report_md(s, 1);
	sf = Sl_report_sarif(s, 1);
	assert_non_null(md);
	assert_non_null(sf);
	assert_non_null(strstr(md, "nothing assessed"));
	assert_non_null(strstr(md, "## Issues (0)\n\nNo finding."));
	assert_non_null(strstr(sf, "\"results\": []"));
	free(md);
	free(sf);
	sl_scan_free(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(markdown),
	    cmocka_unit_test(sarif),
	    cmocka_unit_test(empty),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
