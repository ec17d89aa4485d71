/*
 * bruteforce.c - net.bruteforce: is guessing passwords over the network
 * made impracticable (S1.1-04)?
 *
 * For every login service (auth.c; not SNMP, whose wrong communities
 * are only ever answered by silence), up to o.bf_attempts wrong
 * passwords are tried, o.login_parallel in flight, each attempt timed.
 * The user is a random one that cannot exist, so that no real account
 * is locked; with --intrusive and a known-good credential in the profile,
 * the profile's user is used instead (wrong passwords only), since
 * per-account lockouts show only for a real account.
 *
 * Protection is any of:
 *   - a refusal: SL_LOGIN_BLOCKED (connection refused or dropped, HTTP
 *     429 or 503, MQTT "server unavailable", FTP 421, a telnet "access
 *     denied" before the prompt);
 *   - silence: BF_SILENT attempts in a row without an answer after the
 *     service had answered (a tarpit, a firewall rule dropping us);
 *   - a growing delay: the mean latency of the last BF_WINDOW attempts
 *     at least BF_GROW times that of the first BF_WINDOW and over
 *     BF_GROW_MIN_MS, and still growing at the end (1.5 times the
 *     middle window's), or past BF_STEP_MS.  A fixed delay of a second
 *     or so after the first failure is no protection against parallel
 *     guessing: it is noted in the finding.
 * Then, with --intrusive and the profile's credential, the right
 * password and a wrong one are tried back to back at once: if the right
 * one logs in while the wrong one is still refused (or delayed), the
 * protection spares the right password and so does not stop a guesser
 * (NET-BRUTEFORCE-LOCKOUT-INEFFECTIVE).
 *
 * Findings: NET-NO-BRUTEFORCE-PROTECTION (HIGH; INFO when the profile
 * declares a constrained device, which S1.1-04 exempts) with the count,
 * time and rate; NET-BRUTEFORCE-PROTECTION (INFO) saying what showed
 * after how many attempts.  SSH that offers no password login at all
 * counts as protected.  A service that accepts the random credential
 * checks nothing and is net.unauth's business.
 *
 * Trust: latencies and answers come from the device; each attempt is
 * bounded by login.c's timeouts, the run by o.bf_attempts (at most
 * BF_MAX).
 */
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>

#include "auth.h"

#define BF_MAX 1000
#define BF_MAX_PARALLEL 32
#define BF_SILENT 3
#define BF_WINDOW 3
#define BF_GROW 3
#define BF_GROW_MIN_MS 1000
#define BF_STEP_MS 3000

enum { B_NONE = 0, B_BLOCKED, B_SILENT, B_ACCEPTED, B_UNSUPPORTED };

/* One service's run. */
struct brun {
	struct sl_scan *s;
	struct Sl_service *svc;
	char user[128];
	const struct Sl_cred *good; /* with --intrusive only */
	size_t n;		    /* attempts planned */
	atomic_size_t next;
	atomic_int stop; /* B_* */
	pthread_mutex_t lock;
	uint32_t *lat;		/* per attempt, ms */
	unsigned char *res;	/* per attempt: Sl_login + 1, 0 = not run */
	size_t done, denied, errors, silent_run;
	size_t stop_at;		/* wrong passwords refused before it */
	char det[160];		/* what the stopping attempt said */
	char last_err[160];
	uint64_t t0, t1;
	/* probe_after's results. */
	bool probed;
	enum Sl_login good_res, wrong_res;
	uint64_t good_ms, wrong_ms;
	char good_det[160], wrong_det[160];
};

/*
 * With --intrusive, right when protection showed: the right password,
 * then a wrong one, back to back.  A lockout that holds refuses both; a
 * lockout that lets the right password in while it refuses wrong ones
 * does not protect the account (the guesser gets in when it guesses
 * right); both judged normally means the protection had lapsed already.
 */
static void
probe_after(struct brun *r)
{
	char pass[40];
	uint64_t t;

	if (r->good == NULL || r->probed)
		return;
	r->probed = true;
	t = Sl_now_ms();
	r->good_res = Sl_login_try(r->s, r->svc, r->good->user,
				   r->good->pass, r->good_det,
				   sizeof(r->good_det));
	r->good_ms = Sl_now_ms() - t;
	Sl_auth_random(pass, sizeof(pass), "Sl-wrong-");
	t = Sl_now_ms();
	r->wrong_res = Sl_login_try(r->s, r->svc, r->user, pass, r->wrong_det,
				    sizeof(r->wrong_det));
	r->wrong_ms = Sl_now_ms() - t;
}

static void *
worker(void *p)
{
	struct brun *r = p;
	struct Sl_login_conn *conn = NULL;
	char pass[40], det[160];

	for (;;) {
		enum Sl_login res;
		bool probe = false;
		uint64_t t;
		size_t i;

		if (atomic_load(&r->stop) != B_NONE || Sl_cancelled(r->s))
			break;
		i = atomic_fetch_add(&r->next, 1);
		if (i >= r->n)
			break;
		Sl_auth_random(pass, sizeof(pass), "Sl-wrong-");
		t = Sl_now_ms();
		res = Sl_login_attempt(r->s, r->svc, r->user, pass, &conn, det,
				       sizeof(det));
		t = Sl_now_ms() - t;
		pthread_mutex_lock(&r->lock);
		r->lat[i] = t > UINT32_MAX ? UINT32_MAX : (uint32_t)t;
		r->res[i] = (unsigned char)(res + 1);
		r->done++;
		r->t1 = Sl_now_ms();
		if (res == SL_LOGIN_ERROR) {
			r->errors++;
			r->silent_run++;
			snprintf(r->last_err, sizeof(r->last_err), "%s", det);
		} else {
			r->silent_run = 0;
		}
		if (res == SL_LOGIN_DENIED)
			r->denied++;
		if (atomic_load(&r->stop) == B_NONE) {
			int why = res == SL_LOGIN_BLOCKED	   ? B_BLOCKED
				  : res == SL_LOGIN_OK		   ? B_ACCEPTED
				  : res == SL_LOGIN_UNSUPPORTED ? B_UNSUPPORTED
				  : r->silent_run >= BF_SILENT && r->denied > 0
				      ? B_SILENT
				      : B_NONE;

			if (why != B_NONE) {
				atomic_store(&r->stop, why);
				r->stop_at = r->denied;
				snprintf(r->det, sizeof(r->det), "%s", det);
				probe = why == B_BLOCKED || why == B_SILENT;
			}
		}
		pthread_mutex_unlock(&r->lock);
		/* At once, while the protection is fresh. */
		if (probe)
			probe_after(r);
	}
	Sl_login_conn_free(conn);
	return NULL;
}

/*
 * Mean latencies of the first, middle and last BF_WINDOW refused
 * attempts, in the order they were planned.  False when there are too
 * few to tell (middle is 0 below 3 windows).
 */
static bool
window_means(const struct brun *r, uint64_t *first, uint64_t *middle,
	     uint64_t *last)
{
	uint32_t lat[BF_MAX];
	size_t i, k = 0, m;
	uint64_t a = 0, b = 0, c = 0;

	for (i = 0; i < r->n && k < BF_MAX; i++)
		if (r->res[i] == SL_LOGIN_DENIED + 1)
			lat[k++] = r->lat[i];
	if (k < 2 * BF_WINDOW)
		return false;
	m = (k - BF_WINDOW) / 2;
	for (i = 0; i < BF_WINDOW; i++) {
		a += lat[i];
		b += lat[m + i];
		c += lat[k - BF_WINDOW + i];
	}
	*first = a / BF_WINDOW;
	*middle = k >= 3 * BF_WINDOW ? b / BF_WINDOW : 0;
	*last = c / BF_WINDOW;
	return true;
}

static void
run_service(struct sl_scan *s, struct Sl_service *svc, void *result)
{
	struct brun *r = result;
	size_t nth;
	unsigned par = s->dev->o.login_parallel;

	r->s = s;
	r->svc = svc;
	r->t0 = r->t1 = Sl_now_ms();
	nth = par ? par : 1;
	if (nth > BF_MAX_PARALLEL)
		nth = BF_MAX_PARALLEL;
	if (nth > r->n)
		nth = r->n;
	(void)Sl_pool_run((unsigned)nth, worker, r, 0);
}

static const char rem_none[] =
    "Limit failed logins on every network login: lock the account or the "
    "client out for a while after a few failures, or delay each answer "
    "more after every failure (exponential back-off), or answer 429 to "
    "clients that try too often.";

static const char rem_bypass[] =
    "Make the lockout hold for every login of the account (or client) it "
    "protects until it expires, the right password included; otherwise "
    "a guesser is let in as soon as it guesses right.";

static void
judge_probe(struct sl_scan *s, struct brun *r, const char *where,
	    const char *what, bool delay, struct Sl_buf *ex)
{
	bool bypass;
	const char *e;

	if (r->good == NULL || !r->probed)
		return;
	if (r->good_res == SL_LOGIN_OK && !delay &&
	    (strstr(r->det, "HTTP 429") != NULL ||
	     strstr(r->det, "HTTP 503") != NULL)) {
		/* A rate limit admits any password at its rate: no bypass. */
		(void)Sl_buf_addf(ex, "; right after, the profile's credential "
				      "was let in (%s): a rate limit admits "
				      "any password at its rate",
				  r->good_det);
		return;
	}
	if (r->good_res != SL_LOGIN_OK) {
		(void)Sl_buf_addf(ex, "; right after, the profile's credential "
				      "was refused too (%s): the protection "
				      "holds",
				  r->good_det);
		return;
	}
	bypass = delay ? r->wrong_res == SL_LOGIN_DENIED &&
			     r->wrong_ms > BF_GROW_MIN_MS &&
			     r->good_ms * BF_GROW < r->wrong_ms
		       : r->wrong_res != SL_LOGIN_DENIED;
	if (!bypass) {
		(void)Sl_buf_addf(ex, "; right after, the profile's credential "
				      "and a wrong password were judged "
				      "normally: the protection had lapsed");
		return;
	}
	(void)Sl_buf_addf(ex, "; the right password still logged in");
	e = Sl_arena_printf(&s->arena,
			    "%s: after %s, the profile's credential for \"%s\" "
			    "logged in at once (%s, %llu ms) while a wrong "
			    "password right after got %s (%llu ms)",
			    where, what, r->good->user, r->good_det,
			    (unsigned long long)r->good_ms, r->wrong_det,
			    (unsigned long long)r->wrong_ms);
	if (e != NULL)
		(void)Sl_net_finding(s, "NET-BRUTEFORCE-LOCKOUT-INEFFECTIVE",
				     SL_SEV_HIGH, "S1.1-04", r->svc, e,
				     r->good->pass,
				     "Brute-force protection spares the right "
				     "password",
				     rem_bypass);
}

static void
report(struct sl_scan *s, struct brun *r)
{
	int stop = atomic_load(&r->stop);
	double secs = (double)(r->t1 - r->t0) / 1000.0;
	double rate = secs > 0.001 ? (double)r->done / secs : 0.0;
	uint64_t first = 0, middle = 0, last = 0;
	bool grew, slow;
	char where[64], what[200];
	struct Sl_buf ex;
	bool constrained = s->profile != NULL && s->profile->constrained;

	Sl_auth_where(r->svc, where, sizeof(where));
	if (stop == B_ACCEPTED)
		return; /* checks nothing: net.unauth */
	if (stop == B_UNSUPPORTED) {
		if (strcmp(r->svc->pub.name, "ssh") != 0)
			return;
		(void)Sl_net_finding(
		    s, "NET-BRUTEFORCE-PROTECTION", SL_SEV_INFO, "S1.1-04",
		    r->svc,
		    Sl_arena_printf(&s->arena,
				    "%s: %s: there is no password to guess",
				    where, r->det),
		    NULL, "SSH accepts no passwords (keys only)", NULL);
		return;
	}
	if (Sl_cancelled(s) && stop == B_NONE && r->done < r->n) {
		Sl_incomplete(s, "net.bruteforce: %s: cancelled after %zu "
				 "attempts", where, r->done);
		return;
	}
	if (r->denied == 0 && stop != B_BLOCKED) {
		Sl_incomplete(s,
			      "net.bruteforce: %s: no attempt could be judged "
			      "(%s)",
			      where,
			      r->last_err[0] ? r->last_err : "cancelled");
		return;
	}
	/*
	 * A delay that keeps growing (the last attempts slower than the
	 * middle ones too), or one that reached BF_STEP_MS: protection.  A
	 * fixed delay of about a second after the first failure (lighttpd's
	 * auth.delay-invalid-creds) is only noted: parallel clients get
	 * around it.
	 */
	slow = window_means(r, &first, &middle, &last) &&
	       last >= BF_GROW * first && last > BF_GROW_MIN_MS;
	grew = slow && ((middle > 0 && 2 * last >= 3 * middle) ||
			last >= BF_STEP_MS);
	if (stop == B_BLOCKED)
		snprintf(what, sizeof(what), "refusal (%s) after %zu wrong "
			 "password%s", r->det, r->stop_at,
			 r->stop_at == 1 ? "" : "s");
	else if (stop == B_SILENT)
		snprintf(what, sizeof(what), "no answer any more (%s) after "
			 "%zu wrong password%s", r->det, r->stop_at,
			 r->stop_at == 1 ? "" : "s");
	else if (grew)
		snprintf(what, sizeof(what), "a growing delay (first "
			 "attempts %llu ms, last %llu ms) over %zu wrong "
			 "passwords", (unsigned long long)first,
			 (unsigned long long)last, r->done);
	else
		what[0] = 0;
	Sl_buf_init(&ex, 2048);
	if (what[0] != 0) {
		(void)Sl_buf_addf(&ex, "%s: %s for user \"%s\" (%.2f s, "
				       "%.1f/s, %u in flight)",
				  where, what, r->user, secs, rate,
				  s->dev->o.login_parallel);
		if (grew && stop == B_NONE)
			probe_after(r);
		judge_probe(s, r, where, what, grew && stop == B_NONE, &ex);
		(void)Sl_net_finding(s, "NET-BRUTEFORCE-PROTECTION",
				     SL_SEV_INFO, "S1.1-04", r->svc,
				     ex.p ? (const char *)ex.p : where,
				     r->good ? r->good->pass : NULL,
				     "Brute-force protection seen", NULL);
	} else {
		(void)Sl_buf_addf(&ex, "%s: %zu wrong passwords for user "
				       "\"%s\" in %.2f s (%.1f/s, %u in "
				       "flight), no lockout, delay or refusal",
				  where, r->done, r->user, secs, rate,
				  s->dev->o.login_parallel);
		if (slow)
			(void)Sl_buf_addf(&ex, "; a fixed delay: first "
					       "attempts %llu ms, then %llu ms",
					  (unsigned long long)first,
					  (unsigned long long)last);
		if (constrained)
			(void)Sl_buf_addf(&ex, "; the profile declares a "
					       "constrained device, which "
					       "S1.1-04 exempts");
		(void)Sl_net_finding(
		    s, "NET-NO-BRUTEFORCE-PROTECTION",
		    constrained ? SL_SEV_INFO : SL_SEV_HIGH, "S1.1-04", r->svc,
		    ex.p ? (const char *)ex.p : where,
		    r->good ? r->good->pass : NULL,
		    Sl_arena_printf(&s->arena,
				    "No brute-force protection on %s",
				    r->svc->pub.name),
		    rem_none);
	}
	Sl_buf_free(&ex);
}

static sl_rc
bf_run(struct sl_scan *s)
{
	struct Sl_service svc[SL_AUTH_MAX_SERVICES];
	struct brun *runs;
	size_t n, i, want;
	sl_rc rc = SL_OK;

	if (s->dev == NULL)
		return SL_OK;
	Sl_login_global_init();
	want = s->dev->o.bf_attempts;
	if (want > BF_MAX)
		want = BF_MAX;
	if (want == 0)
		return SL_OK;
	n = Sl_auth_services(s, svc, SL_AUTH_MAX_SERVICES, false);
	runs = calloc(n ? n : 1, sizeof(*runs));
	if (runs == NULL)
		return Sl_fail(s, SL_E_NOMEM, "out of memory");
	for (i = 0; i < n; i++) {
		struct brun *r = &runs[i];
		const struct Sl_cred *c = Sl_auth_profile_cred(s, &svc[i]);

		r->n = want;
		r->lat = calloc(want, sizeof(*r->lat));
		r->res = calloc(want, sizeof(*r->res));
		if (r->lat == NULL || r->res == NULL)
			rc = Sl_fail(s, SL_E_NOMEM, "out of memory");
		pthread_mutex_init(&r->lock, NULL);
		atomic_init(&r->next, 0);
		atomic_init(&r->stop, B_NONE);
		if (s->dev->o.intrusive && c != NULL) {
			/* The real account: may lock it, hence --intrusive. */
			r->good = c;
			snprintf(r->user, sizeof(r->user), "%s", c->user);
		} else {
			Sl_auth_random(r->user, sizeof(r->user), "sl-");
		}
	}
	if (rc == SL_OK) {
		Sl_auth_each(s, svc, n, run_service, runs, sizeof(*runs));
		for (i = 0; i < n; i++)
			report(s, &runs[i]);
	}
	for (i = 0; i < n; i++) {
		free(runs[i].lat);
		free(runs[i].res);
		pthread_mutex_destroy(&runs[i].lock);
	}
	free(runs);
	return rc;
}

const struct Sl_check Sl_check_bruteforce = {
	.id = "net.bruteforce",
	.title = "Brute-force protection of network logins",
	.covers = { "S1.1-04", NULL },
	.source = SL_SRC_NETWORK,
	.run = bf_run,
};
