/*
 * check.c - run the firmware checks (a driver, docs/internals.md).  The
 * helpers the checks share are in firmware/kit.c, one layer down.
 */
#include <stdio.h>
#include <stdlib.h>

#include "check.h"
#include "lines.h"
#include "firmware/scan.h"
#include "firmware/update.h"

sl_rc
Sl_check_run(struct sl_scan *s, const struct Sl_check *c)
{
	struct Sl_grep_job job = {0};
	sl_rc rc = SL_OK, one = SL_OK;

	if (c->run != NULL && (rc = c->run(s)) != SL_OK)
		return rc;
	if (c->prepare == NULL)
		return SL_OK;
	rc = c->prepare(s, &job);
	if (rc == SL_OK)
		rc = Sl_grep_multi(s, &job, 1, &one);
	if (rc == SL_OK)
		rc = one;
	return c->finish != NULL ? c->finish(s, &job, rc) : rc;
}

/* A check did not finish: say so, naming it and the scan's error. */
static void
not_finished(struct sl_scan *s, const struct Sl_check *c)
{
	Sl_incomplete(s, "check %s did not finish: %s", c->id,
	              sl_scan_error(s));
}

/* Content jobs prepared before unpacking (sl_scan_will_check). */
struct Sl_early_jobs {
	const struct Sl_check *c[SL_MAX_CHECKS];
	struct Sl_grep_job jobs[SL_MAX_CHECKS];
	size_t n;
	const struct Sl_check *failed[SL_MAX_CHECKS]; /* prepare failed */
	size_t nfailed;
};

sl_rc
sl_scan_will_check(struct sl_scan *s)
{
	struct Sl_early_jobs *ej;
	size_t i;
	sl_rc rc;

	if (s->has_fw || s->early != NULL)
		return Sl_fail(s, SL_E_USAGE,
		               "sl_scan_will_check: call it once, before "
		               "sl_scan_firmware");
	ej = calloc(1, sizeof(*ej));
	if (ej == NULL)
		return Sl_fail(s, SL_E_NOMEM, "out of memory");
	for (i = 0; Sl_checks[i] != NULL && i < SL_MAX_CHECKS; i++) {
		const struct Sl_check *c = Sl_checks[i];
		struct Sl_grep_job *job = &ej->jobs[ej->n];

		if (c->source != SL_SRC_FIRMWARE || c->prepare == NULL)
			continue;
		memset(job, 0, sizeof(*job));
		if (c->prepare(s, job) != SL_OK) {
			if (c->finish != NULL)
				(void)c->finish(s, job, SL_E_USAGE);
			ej->failed[ej->nfailed++] = c;
			continue;
		}
		ej->c[ej->n++] = c;
	}
	rc = Sl_early_start(s, ej->jobs, ej->n);
	if (rc != SL_OK) {
		for (i = 0; i < ej->n; i++)
			if (ej->c[i]->finish != NULL)
				(void)ej->c[i]->finish(s, &ej->jobs[i], rc);
		free(ej);
		return rc;
	}
	s->early = ej;
	Sl_scan_on_free(s, SL_FREE_EARLY_JOBS, Sl_early_release);
	return SL_OK;
}

void
Sl_early_release(struct sl_scan *s)
{
	struct Sl_early_jobs *ej = s->early;
	sl_rc rcs[SL_MAX_CHECKS];
	size_t i;

	if (ej == NULL)
		return;
	Sl_early_end(s, rcs);
	for (i = 0; i < ej->n; i++)
		if (ej->c[i]->finish != NULL)
			(void)ej->c[i]->finish(s, &ej->jobs[i], SL_E_USAGE);
	free(ej);
	s->early = NULL;
}

/*
 * Why the firmware checks of this scan saw nothing they could judge, or
 * NULL when they did.  A check over an image of which no file was listed
 * (encrypted, unsupported, a root file system truncated before its first
 * entry) found nothing because it saw nothing: absence there is no
 * evidence, so no firmware verdict may rest on it.  Findings still count:
 * what was seen was seen.
 */
static const char *
firmware_blind(const struct sl_scan *s)
{
	size_t i;

	if (!s->has_fw)
		return NULL;
	if (s->unrecognised && s->open_refused)
		return "a container of the image was found, but a limit or "
		       "the lack of memory kept it from being opened (see "
		       "incomplete), so no firmware check saw anything to "
		       "judge";
	if (s->unrecognised)
		return "nothing in the image was recognised (no container or "
		       "file system; see incomplete), so no firmware check "
		       "saw anything to judge; assess the unencrypted image";
	for (i = 0; i < s->nnodes; i++)
		if (s->nodes[i]->e.type == SL_FT_REG)
			return NULL;
	return "no file could be listed from the image (see incomplete), "
	       "so no firmware check saw anything to judge; assess an image "
	       "whose file system can be read";
}

/* Does some container of the image hold etc/NAME? */
static bool
has_inner(struct sl_scan *s, const char *name)
{
	size_t i, n = sl_tree_count(s);

	for (i = 0; i < n; i++) {
		const struct sl_entry *e = sl_tree_entry(s, i);

		if (strstr(e->path, "!/") != NULL &&
		    strcmp(Sl_inner(e), name) == 0)
			return true;
	}
	return false;
}

/*
 * Requirements whose firmware checks need one part of a system to judge
 * anything: with files but without that part, "no finding" only means
 * the part was not there.  S1.1-02's accounts live in the account
 * database; S1.1-01's access control is what the init system starts.
 */
static void
firmware_partial(struct sl_scan *s)
{
	if (!s->has_fw)
		return;
	if (!has_inner(s, "etc/passwd") && !has_inner(s, "etc/shadow"))
		Sl_not_judged(s, "S1.1-02", SL_SRC_FIRMWARE,
		              "the image holds no account database (no "
		              "etc/passwd or etc/shadow), so its accounts "
		              "could not be judged; assess the image with the "
		              "root file system");
	if (Sl_upd_os_root(s) == NULL)
		Sl_not_judged(s, "S1.1-01", SL_SRC_FIRMWARE,
		              "the image holds no operating system (no "
		              "/bin/sh, BusyBox, init, procd or systemd), so "
		              "the services it starts could not be judged; "
		              "assess the image with the root file system");
}

/*
 * After the firmware checks: what they could not see is not judged.  The
 * driver decides this, where the tree is at hand (the verdict stage sees
 * only coverage, and a merged assessment has no tree of its own).
 */
static void
firmware_judgeable(struct sl_scan *s)
{
	const struct sl_requirement *reqs;
	const char *blind;
	size_t nreq, i;

	if ((blind = firmware_blind(s)) == NULL) {
		firmware_partial(s);
		return;
	}
	reqs = sl_requirements(&nreq);
	for (i = 0; i < nreq && i < SL_NREQ; i++)
		if (s->covered[i] & SL_SRC_FIRMWARE)
			Sl_not_judged(s, reqs[i].id, SL_SRC_FIRMWARE, blind);
}

sl_rc
sl_scan_check_firmware(struct sl_scan *s)
{
	const struct Sl_check *c, *cj[SL_MAX_CHECKS];
	struct Sl_grep_job jobs[SL_MAX_CHECKS];
	struct Sl_early_jobs *ej = s->early;
	bool ok[SL_MAX_CHECKS];
	sl_rc rcs[SL_MAX_CHECKS];
	size_t i, k, n, nj = 0, done = 0, total = 0;

	if (!s->has_fw)
		return Sl_fail(s, SL_E_USAGE, "no firmware image in this scan");
	/* Progress: a check is done after its last step (run or finish). */
	for (n = 0; Sl_checks[n] != NULL && n < SL_MAX_CHECKS; n++)
		total += Sl_checks[n]->source == SL_SRC_FIRMWARE;
	Sl_progress_begin(s, SL_STAGE_CHECKS, total);
	/* Checks that read named files first, then one content pass. */
	for (n = 0; Sl_checks[n] != NULL && n < SL_MAX_CHECKS; n++) {
		c = Sl_checks[n];
		ok[n] = c->source == SL_SRC_FIRMWARE;
		if (!ok[n] || c->run == NULL)
			continue;
		Sl_progress(s, SL_STAGE_CHECKS, c->id, done, total, 0, false);
		if (c->run(s) != SL_OK) {
			not_finished(s, c);
			ok[n] = false;
		}
		if (c->finish == NULL)
			done++;
	}
	Sl_progress(s, SL_STAGE_CHECKS, "content", done, total, 0, false);
	if (ej != NULL) {
		/* The content pass ran while unpacking. */
		Sl_early_end(s, rcs);
		memcpy(jobs, ej->jobs, ej->n * sizeof(jobs[0]));
		memcpy(cj, ej->c, ej->n * sizeof(cj[0]));
		nj = ej->n;
		for (k = 0; k < ej->nfailed; k++)
			for (i = 0; i < n; i++)
				if (Sl_checks[i] == ej->failed[k] && ok[i]) {
					Sl_incomplete(s,
					              "check %s did not "
					              "start",
					              ej->failed[k]->id);
					ok[i] = false;
				}
		free(ej);
		s->early = NULL;
	} else {
		for (i = 0; i < n; i++) {
			c = Sl_checks[i];
			if (!ok[i] || c->prepare == NULL)
				continue;
			memset(&jobs[nj], 0, sizeof(jobs[nj]));
			if (c->prepare(s, &jobs[nj]) != SL_OK) {
				not_finished(s, c);
				ok[i] = false;
				if (c->finish != NULL)
					(void)c->finish(s, &jobs[nj],
					                SL_E_USAGE);
				continue;
			}
			cj[nj++] = c;
		}
		for (k = 0; k < nj; k++)
			rcs[k] = SL_OK;
		if (nj > 0 && Sl_grep_multi(s, jobs, nj, rcs) != SL_OK)
			for (k = 0; k < nj; k++)
				rcs[k] = SL_E_NOMEM;
	}
	for (k = 0; k < nj; k++) {
		sl_rc rc;

		Sl_progress(s, SL_STAGE_CHECKS, cj[k]->id, done, total, 0,
		            false);
		rc = cj[k]->finish != NULL ? cj[k]->finish(s, &jobs[k], rcs[k])
		                           : rcs[k];
		done++;

		if (rc != SL_OK) {
			not_finished(s, cj[k]);
			for (i = 0; i < n; i++)
				if (Sl_checks[i] == cj[k])
					ok[i] = false;
		}
	}
	for (i = 0; i < n; i++)
		for (k = 0; ok[i] && Sl_checks[i]->covers[k] != NULL; k++)
			Sl_cover(s, Sl_checks[i]->covers[k], SL_SRC_FIRMWARE);
	firmware_judgeable(s);
	Sl_finding_lines(s);
	/* Checks that failed before their finish count as done too. */
	Sl_progress(s, SL_STAGE_CHECKS, NULL, total, total, 0, true);
	return SL_OK;
}
