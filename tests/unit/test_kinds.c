/*
 * test_kinds.c - the public finding-kind catalogue (sl_finding_kinds,
 * include/starlab.h) is the checks' tables, and nothing else: every id
 * of every table is listed once, sorted, with the table's highest
 * severity, the union of its entries' requirements, its check, a title
 * and a remediation; sl_finding_kind_find finds each and nothing else;
 * the report writers' lookup (Sl_kind_lookup) is set; and the data
 * versions count the compiled tables.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "check/check.h"

static bool
has_req(const struct sl_finding_kind *k, const char *r)
{
	size_t i;

	for (i = 0; i < SL_MAX_REQS && k->requirements[i] != NULL; i++)
		if (strcmp(k->requirements[i], r) == 0)
			return true;
	return false;
}

static void
one_table(const char *owner, const struct Sl_finding_def *d, size_t *ids)
{
	const struct Sl_finding_def *e;
	size_t r;

	for (; d != NULL && d->id != NULL; d++) {
		const struct sl_finding_kind *k = sl_finding_kind_find(d->id);
		bool first = true;

		assert_non_null(k);
		assert_string_equal(k->check, owner);
		assert_true(k->severity >= d->sev);
		for (r = 0; r < SL_MAX_REQS && d->reqs[r] != NULL; r++)
			assert_true(has_req(k, d->reqs[r]));
		for (e = d + 1; e->id != NULL; e++)
			if (strcmp(e->id, d->id) == 0)
				first = false;
		*ids += first;
	}
}

static void
test_catalogue(void **state)
{
	const struct sl_finding_kind *k;
	size_t n, i, ids = 0;

	(void)state;
	k = sl_finding_kinds(&n);
	assert_true(n > 0);
	for (i = 0; Sl_checks[i] != NULL; i++)
		one_table(Sl_checks[i]->id, Sl_checks[i]->findings, &ids);
	for (i = 0; Sl_finding_tables[i] != NULL; i++)
		one_table(Sl_finding_tables[i]->owner,
		          Sl_finding_tables[i]->findings, &ids);
	/* Nothing but the tables, each id once, sorted. */
	assert_int_equal(n, ids);
	for (i = 0; i < n; i++) {
		assert_non_null(k[i].title);
		assert_true(k[i].title[0] != '\0');
		assert_non_null(k[i].remediation);
		assert_non_null(k[i].requirements[0]);
		assert_ptr_equal(sl_finding_kind_find(k[i].id), &k[i]);
		if (i > 0)
			assert_true(strcmp(k[i - 1].id, k[i].id) < 0);
	}
	assert_null(sl_finding_kind_find("NO-SUCH-KIND"));
	assert_null(sl_finding_kind_find(NULL));
	/* The writers see the same catalogue. */
	assert_non_null(Sl_kind_lookup);
	assert_ptr_equal(Sl_kind_lookup(k[0].id), &k[0]);
}

/* A kind in two strengths with two titles: one kind, titled by its id. */
static void
test_plaintext_variants(void **state)
{
	const struct sl_finding_kind *k =
	    sl_finding_kind_find("NET-PLAINTEXT-CREDENTIALS");

	(void)state;
	assert_non_null(k);
	assert_string_equal(k->title, "Plaintext credentials");
	assert_non_null(strstr(k->remediation, "\n\n"));
	assert_true(has_req(k, "S1.1-12"));
}

static void
test_data_versions(void **state)
{
	struct sl_data_info d;

	(void)state;
	sl_data_versions(&d);
	assert_int_equal(strlen(d.vulns_date), 10);
	assert_true(d.vulns_date[4] == '-' && d.vulns_date[7] == '-');
	assert_true(d.vulns_cves > 100 && d.vulns_cves <= d.vulns_ranges);
	assert_true(d.passwords > 100);
	assert_int_equal(d.requirements, 16);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_catalogue),
	    cmocka_unit_test(test_plaintext_variants),
	    cmocka_unit_test(test_data_versions),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
