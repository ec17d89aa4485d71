/*
 * test_findings.c - the finding tables (check.h: findings as data) hold
 * together: every kind has an id of the house form, a title, a
 * remediation, a known severity and at least one requirement, each a
 * STAR-1 requirement the reporting check covers; an id belongs to one
 * table only.  Checks not converted yet are listed below by name; the
 * list may only shrink (a listed check that has a table fails too).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "check/check.h"

/* Checks without a finding table yet (none: every check has one). */
static const char *const not_converted[] = {
    NULL,
};

static bool
listed(const char *id)
{
	size_t i;

	for (i = 0; not_converted[i] != NULL; i++)
		if (strcmp(not_converted[i], id) == 0)
			return true;
	return false;
}

/* "FW-SHADOW-DEFAULT-PASSWORD": upper-case words joined by '-'. */
static bool
house_id(const char *id)
{
	const char *p;

	if (id == NULL || !isupper((unsigned char)id[0]) ||
	    strchr(id, '-') == NULL)
		return false;
	for (p = id; *p != '\0'; p++)
		if (!isupper((unsigned char)*p) &&
		    !isdigit((unsigned char)*p) &&
		    !(*p == '-' && p[1] != '-' && p[1] != '\0'))
			return false;
	return true;
}

static bool
among(const char *req, const char *const *covers)
{
	for (; *covers != NULL; covers++)
		if (strcmp(*covers, req) == 0)
			return true;
	return false;
}

/* The ids seen so far and the table each came from. */
static struct {
	const char *id, *owner;
} seen[1024];
static size_t nseen;

static void
one_table(const char *owner, const char *const *covers,
          const struct Sl_finding_def *d)
{
	size_t i, k;

	for (; d->id != NULL; d++) {
		if (!house_id(d->id))
			fail_msg("%s: id '%s' is not of the form AREA-WORDS",
			         owner, d->id);
		if (d->title == NULL || d->title[0] == '\0' || d->fix == NULL ||
		    d->fix[0] == '\0')
			fail_msg("%s: %s has no title or remediation", owner,
			         d->id);
		if ((unsigned)d->sev > SL_SEV_CRITICAL)
			fail_msg("%s: %s: severity %d", owner, d->id, d->sev);
		if (d->reqs[0] == NULL)
			fail_msg("%s: %s names no requirement", owner, d->id);
		for (k = 0; k < SL_MAX_REQS && d->reqs[k] != NULL; k++) {
			if (sl_requirement_find(d->reqs[k]) == NULL)
				fail_msg(
				    "%s: %s: '%s' is no STAR-1 requirement",
				    owner, d->id, d->reqs[k]);
			if (!among(d->reqs[k], covers))
				fail_msg("%s: %s reports %s, which the check "
				         "does not cover",
				         owner, d->id, d->reqs[k]);
		}
		assert_true(k < SL_MAX_REQS); /* room for the NULL */
		for (i = 0; i < nseen; i++)
			if (strcmp(seen[i].id, d->id) == 0 &&
			    strcmp(seen[i].owner, owner) != 0)
				fail_msg("%s is reported by %s and by %s",
				         d->id, seen[i].owner, owner);
		assert_true(nseen < sizeof(seen) / sizeof(seen[0]));
		seen[nseen].id = d->id;
		seen[nseen++].owner = owner;
	}
}

static void
test_tables(void **state)
{
	size_t i, tables = 0;

	(void)state;
	for (i = 0; Sl_checks[i] != NULL; i++) {
		const struct Sl_check *c = Sl_checks[i];

		if (c->findings == NULL) {
			if (!listed(c->id))
				fail_msg("check %s has no finding table",
				         c->id);
			continue;
		}
		if (listed(c->id))
			fail_msg("check %s has a table now: take it off the "
			         "list in test_findings.c",
			         c->id);
		one_table(c->id, c->covers, c->findings);
		tables++;
	}
	for (i = 0; Sl_finding_tables[i] != NULL; i++) {
		const struct Sl_finding_table *t = Sl_finding_tables[i];

		one_table(t->owner, t->covers, t->findings);
		tables++;
	}
	assert_true(tables > 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_tables),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
