/*
 * kinds.c - the finding-kind catalogue (sl_finding_kinds): every kind of
 * finding the checks' tables define (Sl_checks[].findings and
 * Sl_finding_tables[], findings as data), one entry per id, sorted.  A
 * kind that comes in two strengths (two entries of one table sharing an
 * id) is listed once with the higher severity and the union of the
 * requirements.  Built once, on first use, into static storage: the
 * tables are static data, so the catalogue never changes while the
 * program runs.  A kind whose entries have titles of their own (the
 * protocol, the account) gets a title made from its id, and every
 * distinct remediation.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"

/* Kinds in all the tables at most (about a hundred today). */
#define SL_MAX_KINDS 1024

static struct sl_finding_kind kinds[SL_MAX_KINDS];
static size_t nkinds;
static bool variant_title[SL_MAX_KINDS], variant_fix[SL_MAX_KINDS];
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
		} else {
			if (d->sev > k->severity)
				k->severity = d->sev;
			/* Variants that say different things: a title from
			 * the id, every remediation (both made in build). */
			if (strcmp(k->title, d->title) != 0)
				variant_title[k - kinds] = true;
			if (strcmp(k->remediation, d->fix) != 0)
				variant_fix[k - kinds] = true;
		}
		for (r = 0; r < SL_MAX_REQS && d->reqs[r] != NULL; r++)
			add_req(k, d->reqs[r]);
	}
}

/* Words kept in capitals when a title is made from an id. */
static bool
acronym(const char *w, size_t n)
{
	static const char *const a[] = {
	    "ADB",   "API", "AWS",  "CVE",   "ELF",  "FTP",  "HTTP",
	    "HTTPS", "JWT", "MQTT", "PSK",   "RTSP", "SNMP", "SSH",
	    "TFTP",  "TLS", "UCI",  "UDP",   "UID0", "UPNP", "URL",
	    "USB",   "TCP", "ID",   "RPATH", "OTA"};
	size_t i;

	for (i = 0; i < sizeof(a) / sizeof(a[0]); i++)
		if (strlen(a[i]) == n && strncmp(a[i], w, n) == 0)
			return true;
	return false;
}

/*
 * "NET-PLAINTEXT-CREDENTIALS" -> "Plaintext credentials": the title of a
 * kind whose variants have titles of their own (the protocol, the
 * account).  The area word goes; acronyms stay in capitals.
 */
static const char *
title_of_id(const char *id)
{
	const char *p = strchr(id, '-'), *w;
	char *out, *o;

	if (p == NULL || (out = malloc(strlen(id) + 1)) == NULL)
		return NULL;
	for (o = out, w = p + 1; *w != '\0';) {
		size_t n = strcspn(w, "-"), i;
		bool keep = acronym(w, n);

		for (i = 0; i < n; i++) {
			char c = w[i];

			if (!keep && !(o == out && i == 0) && c >= 'A' &&
			    c <= 'Z')
				c = (char)(c - 'A' + 'a');
			*o++ = c;
		}
		w += n;
		if (*w == '-') {
			*o++ = ' ';
			w++;
		}
	}
	*o = '\0';
	return out;
}

/* Every distinct remediation of id's entries, one paragraph each. */
static const char *
all_fixes(const char *id)
{
	const struct Sl_finding_def *tabs[SL_MAX_CHECKS * 2], *d, *e;
	size_t nt = 0, i, len = 1, at = 0;
	char *out;

	for (i = 0; Sl_checks[i] != NULL && nt < SL_MAX_CHECKS; i++)
		if (Sl_checks[i]->findings != NULL)
			tabs[nt++] = Sl_checks[i]->findings;
	for (i = 0; Sl_finding_tables[i] != NULL && nt < 2 * SL_MAX_CHECKS; i++)
		tabs[nt++] = Sl_finding_tables[i]->findings;
	for (i = 0; i < nt; i++)
		for (d = tabs[i]; d->id != NULL; d++)
			if (strcmp(d->id, id) == 0)
				len += strlen(d->fix) + 2;
	if ((out = malloc(len)) == NULL)
		return NULL;
	out[0] = '\0';
	for (i = 0; i < nt; i++)
		for (d = tabs[i]; d->id != NULL; d++) {
			if (strcmp(d->id, id) != 0)
				continue;
			/* Said once, however many entries share it. */
			for (e = tabs[i]; e != d; e++)
				if (strcmp(e->id, id) == 0 &&
				    strcmp(e->fix, d->fix) == 0)
					break;
			if (e != d)
				continue;
			at += (size_t)snprintf(out + at, len - at, "%s%s",
			                       at > 0 ? "\n\n" : "", d->fix);
		}
	return out;
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
	/* Made once and kept for the life of the program. */
	for (i = 0; i < nkinds; i++) {
		const char *x;

		if (variant_title[i] && (x = title_of_id(kinds[i].id)) != NULL)
			kinds[i].title = x;
		if (variant_fix[i] && (x = all_fixes(kinds[i].id)) != NULL)
			kinds[i].remediation = x;
	}
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
