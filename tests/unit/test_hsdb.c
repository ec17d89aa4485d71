/*
 * test_hsdb.c - the Hyperscan databases compiled at build time
 * (src/check/firmware/hsdb.h): every firmware check that searches content
 * gets its database from the table instead of compiling it, every table
 * entry deserializes and names such a check, and a pattern set that is not
 * in the table (changed patterns, a test's own) is compiled as before
 * (test_secrets scans with such a set).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <hs/hs.h>
#include <stdlib.h>
#include <string.h>

#include "check/check.h"
#include "check/firmware/hsdb.h"
#include "check/firmware/scan.h"

static size_t
table_len(void)
{
	size_t n = 0;

	while (Sl_hsdbs[n].len > 0)
		n++;
	return n;
}

static void
checks_use_table(void **state)
{
	struct sl_scan *s = sl_scan_new(NULL);
	size_t i, n = 0;

	(void)state;
	assert_non_null(s);
	if (table_len() == 0)
		skip(); /* built with SL_HSDB=OFF: nothing to hold */
	for (i = 0; Sl_checks[i] != NULL; i++) {
		const struct Sl_check *c = Sl_checks[i];
		struct Sl_grep_job job = {0};

		if (c->source != SL_SRC_FIRMWARE || c->prepare == NULL)
			continue;
		assert_int_equal(c->prepare(s, &job), SL_OK);
		if (job.p != NULL) {
			/* A check whose database is still compiled per run
			 * means the generator missed it. */
			if (!Sl_patterns_prebuilt(job.p))
				fail_msg("%s compiles its patterns per run",
				         c->id);
			n++;
		}
		if (c->finish != NULL)
			(void)c->finish(s, &job, SL_E_USAGE);
	}
	assert_int_equal(n, table_len());
	sl_scan_free(s);
}

static void
table_entries_load(void **state)
{
	size_t i, j;

	(void)state;
	for (i = 0; Sl_hsdbs[i].len > 0; i++) {
		hs_database_t *db = NULL;
		char *info = NULL;
		bool named = false;

		assert_int_equal(
		    hs_deserialize_database((const char *)Sl_hsdbs[i].db,
		                            Sl_hsdbs[i].len, &db),
		    HS_SUCCESS);
		/* Built for any CPU: no optional feature required. */
		assert_int_equal(hs_database_info(db, &info), HS_SUCCESS);
		assert_null(strstr(info, "AVX"));
		free(info);
		hs_free_database(db);
		for (j = 0; Sl_checks[j] != NULL; j++)
			named |= strcmp(Sl_checks[j]->id, Sl_hsdbs[i].who) == 0;
		assert_true(named);
	}
}

static void
others_compile(void **state)
{
	struct sl_scan *s = sl_scan_new(NULL);
	const char *re[] = {"pass(word|wd)=", "token:"};
	struct Sl_patterns *p = NULL;

	(void)state;
	assert_non_null(s);
	assert_int_equal(Sl_patterns_compile(s, "fw.secrets", re, NULL, 2, &p),
	                 SL_OK);
	assert_false(Sl_patterns_prebuilt(p));
	Sl_patterns_free(p);
	sl_scan_free(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(checks_use_table),
	    cmocka_unit_test(table_entries_load),
	    cmocka_unit_test(others_compile),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
