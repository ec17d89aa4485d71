/*
 * kinds.c - the finding-kind catalogue (sl_finding_kinds): every kind of
 * finding the checks' tables define (Sl_checks[].findings and
 * Sl_finding_tables[], findings as data), one entry per id, sorted.  A
 * kind that comes in two strengths (two entries of one table sharing an
 * id) is listed once with the higher severity and the union of the
 * requirements.  Built once, on first use, into static storage: the
 * tables are static data, so the catalogue never changes while the
 * program runs.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"

/* Kinds in all the tables at most (about a hundred today). */
#define SL_MAX_KINDS 1024

static struct sl_finding_kind kinds[SL_MAX_KINDS];
static size_t nkinds;
static pthread_once_t once = PTHREAD_ONCE_INIT;

static void
add_req(struct sl_finding_kind *k, const char *r)
{
	size_t i;

	for (i = 0; i < SL_MAX_REQS && k->requirements[i] != NULL; i++)
		if (strcmp(k->requirements[i], r) == 0)
			return;
	/* The tables leave room for the NULL (test_findings.c). */
	if (i < SL_MAX_REQS)
		k->requirements[i] = r;
}

static void
add_table(const char *owner, const struct Sl_finding_def *d)
{
	size_t i, r;

	for (; d != NULL && d->id != NULL; d++) {
		struct sl_finding_kind *k = NULL;

		for (i = 0; i < nkinds; i++)
			if (strcmp(kinds[i].id, d->id) == 0) {
				k = &kinds[i];
				break;
			}
		if (k == NULL) {
			if (SL_NEVER(nkinds == SL_MAX_KINDS))
				return;
			k = &kinds[nkinds++];
			k->id = d->id;
			k->severity = d->sev;
			k->title = d->title;
			k->remediation = d->fix;
			k->check = owner;
		} else if (d->sev > k->severity) {
			k->severity = d->sev;
		}
		for (r = 0; r < SL_MAX_REQS && d->reqs[r] != NULL; r++)
			add_req(k, d->reqs[r]);
	}
}

static int
kind_cmp(const void *a, const void *b)
{
	return strcmp(((const struct sl_finding_kind *)a)->id,
	              ((const struct sl_finding_kind *)b)->id);
}

static void
build(void)
{
	size_t i;

	for (i = 0; Sl_checks[i] != NULL; i++)
		add_table(Sl_checks[i]->id, Sl_checks[i]->findings);
	for (i = 0; Sl_finding_tables[i] != NULL; i++)
		add_table(Sl_finding_tables[i]->owner,
		          Sl_finding_tables[i]->findings);
	qsort(kinds, nkinds, sizeof(kinds[0]), kind_cmp);
}

const struct sl_finding_kind *
sl_finding_kinds(size_t *n)
{
	pthread_once(&once, build);
	if (n != NULL)
		*n = nkinds;
	return kinds;
}

const struct sl_finding_kind *
sl_finding_kind_find(const char *id)
{
	struct sl_finding_kind key;

	if (id == NULL)
		return NULL;
	pthread_once(&once, build);
	key.id = id;
	return bsearch(&key, kinds, nkinds, sizeof(kinds[0]), kind_cmp);
}

/*
 * The report writers are one layer away from the tables: hand them the
 * lookup when the library is loaded (scan.h, Sl_kind_lookup).
 */
__attribute__((constructor)) static void
register_lookup(void)
{
	Sl_kind_lookup = sl_finding_kind_find;
}
