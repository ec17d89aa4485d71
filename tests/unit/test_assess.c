/*
 * test_assess.c - unit tests of the assessment on scans built by hand:
 * merging (findings keep their input as component, coverage is pooled,
 * "not judged" only explains a source no input covered), grouping by
 * (id, component), and the hostile-text handling of report.html and
 * checklist.csv (markup and invalid UTF-8 from a device, a spreadsheet
 * formula in an excerpt).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>

#include "report/report.h"
#include "check/assess.h"

static void
add(struct sl_scan *s, const char *id, const char *req, const char *path,
    const char *host, unsigned port, const char *excerpt)
{
	struct sl_finding f = {0};

	f.id = id;
	f.title = "a title";
	f.severity = SL_SEV_HIGH;
	f.requirements[0] = req;
	f.evidence.path = path;
	f.evidence.host = host;
	f.evidence.port = port;
	f.evidence.excerpt = excerpt;
	f.remediation = "fix it";
	assert_int_equal(sl_finding_add(s, &f, NULL), SL_OK);
}

static size_t
req_index(const char *id)
{
	size_t i, n;
	const struct sl_requirement *r = sl_requirements(&n);

	for (i = 0; i < n; i++)
		if (strcmp(r[i].id, id) == 0)
			return i;
	fail();
	return 0;
}

static void
test_merge(void **state)
{
	struct sl_scan *m = sl_scan_new(NULL), *a = sl_scan_new(NULL),
	               *b = sl_scan_new(NULL);
	size_t i15 = req_index("S1.1-15"), i04 = req_index("S1.1-04");
	const struct sl_check_result *c;
	struct Sl_group *g;
	size_t ng;

	(void)state;
	/* Unit A: a finding, and S1.1-15 not judged (no OS). */
	add(a, "FW-X", "S1.1-13", "a.bin:squashfs!/etc/x", NULL, 0, "x");
	Sl_not_judged(a, "S1.1-15", SL_SRC_FIRMWARE, "no OS in unit A");
	/* Unit B: the same finding id, and S1.1-15 covered. */
	add(b, "FW-X", "S1.1-13", "a.bin:squashfs!/etc/x", NULL, 0, "x");
	add(b, "FW-X", "S1.1-13", "a.bin:squashfs!/etc/y", NULL, 0, "y");
	Sl_cover(b, "S1.1-15", SL_SRC_FIRMWARE);
	/* The device, on m itself: S1.1-04 covered. */
	Sl_cover(m, "S1.1-04", SL_SRC_NETWORK);
	assert_int_equal(sl_scan_merge(m, a, "firmware unit 1 a.bin"), SL_OK);
	assert_int_equal(sl_scan_merge(m, b, "firmware unit 2 a.bin"), SL_OK);
	assert_int_not_equal(sl_scan_merge(m, m, "x"), SL_OK);
	assert_int_equal(sl_scan_decide(m), SL_OK);
	assert_int_equal(sl_finding_count(m), 3);
	assert_true(m->covered[i15] & SL_SRC_FIRMWARE);
	assert_true(m->covered[i04] & SL_SRC_NETWORK);
	/* S1.1-15 still lacks the device, and no longer the firmware. */
	c = sl_checklist_get(m, i15);
	assert_int_equal(c->verdict, SL_V_NEEDS_EVIDENCE);
	assert_non_null(c->missing_evidence[0]);
	assert_null(strstr(c->missing_evidence[0], "no OS in unit A"));
	/* One group per unit, with its locations. */
	g = Sl_groups(m, &ng);
	assert_int_equal(ng, 2);
	assert_string_equal(g[0].component, "firmware unit 1 a.bin");
	assert_int_equal(g[0].count, 1);
	assert_string_equal(g[1].component, "firmware unit 2 a.bin");
	assert_int_equal(g[1].count, 2);
	Sl_groups_free(g, ng);
	sl_scan_free(m);
	sl_scan_free(a);
	sl_scan_free(b);
}

static void
test_component(void **state)
{
	struct sl_scan *s = sl_scan_new(NULL);
	struct sl_finding f = {0};

	(void)state;
	f.evidence.path = "fw.bin@0x200000:squashfs!/etc/shadow";
	assert_string_equal(Sl_finding_component(s, &f), "firmware fw.bin");
	f.evidence.path = NULL;
	f.evidence.host = "fd00::2";
	assert_string_equal(Sl_finding_component(s, &f), "device fd00::2");
	f.evidence.host = NULL;
	assert_string_equal(Sl_finding_component(s, &f), "product");
	f.component = "service tcp/23";
	assert_string_equal(Sl_finding_component(s, &f), "service tcp/23");
	sl_scan_free(s);
}

static void
test_hostile(void **state)
{
	struct sl_scan *s = sl_scan_new(NULL);
	char *html, *csv;

	(void)state;
	add(s, "NET-BANNER", "S1.1-13", NULL, "10.0.0.2", 80,
	    "<script>alert(1)</script>\"'&\xff\xfe");
	add(s, "FW-FORMULA", "S1.1-11", "=cmd|' /C calc'!A0", NULL, 0,
	    "=HYPERLINK(\"x\")");
	assert_int_equal(sl_scan_decide(s), SL_OK);
	html = sl_report_string(s, SL_FMT_HTML, 1);
	assert_non_null(html);
	assert_null(strstr(html, "<script"));
	assert_non_null(strstr(html,
	                       "&lt;script&gt;alert(1)&lt;/script&gt;"
	                       "&quot;&#39;&amp;\xef\xbf\xbd\xef\xbf\xbd"));
	assert_non_null(strstr(html, "default-src 'none'"));
	assert_null(strstr(html, "http://"));
	assert_null(strstr(html, "https://"));
	free(html);
	csv = sl_report_string(s, SL_FMT_CSV, 1);
	assert_non_null(csv);
	assert_non_null(strstr(csv, "\"id\",\"requirement\",\"assessment "
	                            "method\",\"verdict\",\"not-applicable "
	                            "reason\",\"evidence references\"\r\n"));
	/* Evidence references start with the file name, never "=". */
	assert_null(strstr(csv, ",\"="));
	assert_non_null(strstr(csv, "\"S1.1-11\",\"Protected information "
	                            "stored securely\",\"document\","
	                            "\"non-conformant\",\"\",\"evidence/"));
	free(csv);
	sl_scan_free(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_merge),
	    cmocka_unit_test(test_component),
	    cmocka_unit_test(test_hostile),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
