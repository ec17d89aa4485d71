/*
 * test_catalogue.c - unit tests of the STAR-1 requirement catalogue: the
 * sixteen entries, their order, their mandatory fields, the assessment
 * methods the IPA text fixes, and the look-up by id.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "starlab.h"

static void
test_count_and_order(void **state)
{
	const struct sl_requirement *r;
	char want[16];
	size_t i, j, n;

	(void)state;
	r = sl_requirements(&n);
	assert_non_null(r);
	assert_int_equal(n, 16);
	for (i = 0; i < n; i++) {
		snprintf(want, sizeof(want), "S1.1-%02u", (unsigned)(i + 1));
		assert_non_null(r[i].id);
		assert_string_equal(r[i].id, want);
		for (j = i + 1; j < n; j++)
			assert_string_not_equal(r[i].id, r[j].id);
	}
}

static void
test_fields(void **state)
{
	const struct sl_requirement *r;
	size_t i, n;

	(void)state;
	r = sl_requirements(&n);
	for (i = 0; i < n; i++) {
		assert_non_null(r[i].title);
		assert_true(r[i].title[0] != '\0');
		assert_non_null(r[i].category);
		assert_true(r[i].category[0] != '\0');
		assert_non_null(r[i].summary);
		assert_true(r[i].summary[0] != '\0');
		assert_in_range(r[i].method, SL_METHOD_DOC, SL_METHOD_BOTH);
	}
}

static void
test_xrefs(void **state)
{
	const struct sl_requirement *r;
	size_t i, k, n;
	int etsi;

	(void)state;
	r = sl_requirements(&n);
	for (i = 0; i < n; i++) {
		assert_non_null(r[i].xrefs);
		assert_true(r[i].nxrefs >= 1);
		etsi = 0;
		for (k = 0; k < r[i].nxrefs; k++) {
			assert_non_null(r[i].xrefs[k].scheme);
			assert_non_null(r[i].xrefs[k].refs);
			if (strcmp(r[i].xrefs[k].scheme, "ETSI EN 303 645") ==
			    0)
				etsi++;
		}
		assert_int_equal(etsi, 1);
	}
}

static void
test_find(void **state)
{
	const struct sl_requirement *r;

	(void)state;
	r = sl_requirement_find("S1.1-04");
	assert_non_null(r);
	assert_string_equal(r->id, "S1.1-04");
	assert_int_equal(r->method, SL_METHOD_DEV);
	assert_null(sl_requirement_find("S1.1-17"));
	assert_null(sl_requirement_find("S1.1-4"));
	assert_null(sl_requirement_find(""));
}

static void
test_both_methods(void **state)
{
	const struct sl_requirement *r;

	(void)state;
	r = sl_requirement_find("S1.1-13");
	assert_non_null(r);
	assert_int_equal(r->method, SL_METHOD_BOTH);
	r = sl_requirement_find("S1.1-15");
	assert_non_null(r);
	assert_int_equal(r->method, SL_METHOD_BOTH);
	assert_string_equal(sl_method_name(SL_METHOD_BOTH), "document+device");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_count_and_order),
	    cmocka_unit_test(test_fields),
	    cmocka_unit_test(test_xrefs),
	    cmocka_unit_test(test_find),
	    cmocka_unit_test(test_both_methods),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
