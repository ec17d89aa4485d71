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
 * A service that answers quickly and shows nothing after o.bf_attempts
 * is tried further, up to BF_EXTEND attempts or BF_EXTEND_MS: a limit
 * with a burst of 40 connections is protection, and 20 attempts would
 * not see it.
 *
 * A refusal that comes before the service could have judged a password
 * (a refused or reset connect, a TLS handshake cut off, an HTTP 429,
 * silence: Sl_login_blind) is protection that acts before
 * authentication: it counts connections or requests, never passwords,
 * and lets any password through at its rate, so no "bypass" can be
 * shown against it and none is tried.  Only a refusal that came after
 * the credential (a lockout), or a growing delay, is probed: with
 * --intrusive and the profile's credential, the right password and a
 * wrong one are tried back to back, twice (BF_ROUNDS).  The protection
 * spares the right password (NET-BRUTEFORCE-LOCKOUT-INEFFECTIVE) only
 * when the right one logged in while the wrong one right after was
 * refused, in every round; rounds that disagree leave S1.1-04 not judged
 * from the device, with the reason, never a coin toss.
 *
 * Not judged (Sl_not_judged, S1.1-04 stays needs-evidence): no login
 * service on the ports scanned, brute-force attempts turned off, or a
 * login service none of whose attempts could be judged (a telnet option
 * flood, a service that never answers).
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

#include "../../net/scope.h"
#include "auth.h"

#define BF_MAX          1000
#define BF_MAX_PARALLEL 32
#define BF_SILENT       3
#define BF_WINDOW       3
#define BF_GROW         3
#define BF_GROW_MIN_MS  1000
#define BF_STEP_MS      3000
#define BF_EXTEND       100
#define BF_EXTEND_MS    3000
#define BF_ROUNDS       2

enum { B_NONE = 0, B_BLOCKED, B_SILENT, B_ACCEPTED, B_UNSUPPORTED };

/* One service's run. */
struct brun {
	struct sl_scan *s;
	struct Sl_service *svc;
	char user[128];
	const struct Sl_cred *good; /* with --intrusive only */
	size_t n;                   /* attempts planned */
	size_t cap;                 /* attempts at most (extension) */
	atomic_size_t next;
	atomic_int stop; /* B_* */
	pthread_mutex_t lock;
	uint32_t *lat;      /* per attempt, ms */
	unsigned char *res; /* per attempt: Sl_login + 1, 0 = not run */
	size_t done, denied, errors, silent_run;
	size_t stop_at; /* wrong passwords refused before it */
	char det[160];  /* what the stopping attempt said */
	bool blind;     /* it came before any password was judged */
	char last_err[160];
	uint64_t t0, t1;
	/* probe_after's results, per round. */
	bool probed;
	struct {
		enum Sl_login good_res, wrong_res;
		bool wrong_blind;
		uint64_t good_ms, wrong_ms;
		char good_det[160], wrong_det[160];
	} pr[BF_ROUNDS];
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
	size_t k;

	if (r->good == NULL || r->probed)
		return;
	r->probed = true;
	for (k = 0; k < BF_ROUNDS; k++) {
		t = Sl_now_ms();
		r->pr[k].good_res =
		    Sl_login_try(r->s, r->svc, r->good->user, r->good->pass,
		                 r->pr[k].good_det, sizeof(r->pr[k].good_det));
		r->pr[k].good_ms = Sl_now_ms() - t;
		Sl_auth_random(pass, sizeof(pass), "Sl-wrong-");
		t = Sl_now_ms();
		r->pr[k].wrong_res = Sl_login_try(r->s, r->svc, r->user, pass,
		                                  r->pr[k].wrong_det,
		                                  sizeof(r->pr[k].wrong_det));
		r->pr[k].wrong_blind =
		    r->pr[k].wrong_res == SL_LOGIN_BLOCKED && Sl_login_blind();
		r->pr[k].wrong_ms = Sl_now_ms() - t;
	}
}

static void *
worker(void *p)
{
	struct brun *r = p;
	struct Sl_login_conn *conn = NULL;
	char pass[40], det[160];

	for (;;) {
		enum Sl_login res;
		bool probe = false, blind;
		uint64_t t;
		size_t i;

		if (atomic_load(&r->stop) != B_NONE || Sl_cancelled(r->s))
			break;
		i = atomic_fetch_add(&r->next, 1);
		/* Past the plan: on only while the service answers fast. */
		if (i >= r->cap ||
		    (i >= r->n && Sl_now_ms() - r->t0 > BF_EXTEND_MS))
			break;
		Sl_auth_random(pass, sizeof(pass), "Sl-wrong-");
		t = Sl_now_ms();
		res = Sl_login_attempt(r->s, r->svc, r->user, pass, &conn, det,
		                       sizeof(det));
		blind = res == SL_LOGIN_BLOCKED && Sl_login_blind();
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
			int why = res == SL_LOGIN_BLOCKED       ? B_BLOCKED
			          : res == SL_LOGIN_OK          ? B_ACCEPTED
			          : res == SL_LOGIN_UNSUPPORTED ? B_UNSUPPORTED
			          : r->silent_run >= BF_SILENT && r->denied > 0
			              ? B_SILENT
			              : B_NONE;

			if (why != B_NONE) {
				atomic_store(&r->stop, why);
				r->stop_at = r->denied;
				r->blind = blind || why == B_SILENT;
				snprintf(r->det, sizeof(r->det), "%s", det);
				/* A password-blind limit: nothing to probe. */
				probe = why == B_BLOCKED && !r->blind;
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

	for (i = 0; i < r->cap && k < BF_MAX; i++)
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
	if (nth > r->cap)
		nth = r->cap;
	(void)Sl_pool_run((unsigned)nth, worker, r, 0);
}

/* What this check reports (check.h: findings as data). */
enum { F_NONE, F_NONE_EXEMPT, F_BYPASS, F_SEEN, F_KEYS_ONLY };
#define REM_NONE                                                               \
	"Limit failed logins on every network login: lock the account or "     \
	"the client out for a while after a few failures, or delay each "      \
	"answer more after every failure (exponential back-off), or answer "   \
	"429 to clients that try too often."
static const struct Sl_finding_def findings[] = {
    [F_NONE] = {"NET-NO-BRUTEFORCE-PROTECTION",
                SL_SEV_HIGH,
                {"S1.1-04"},
                "No brute-force protection",
                REM_NONE},
    /* The profile declares a constrained device, which S1.1-04 exempts. */
    [F_NONE_EXEMPT] = {"NET-NO-BRUTEFORCE-PROTECTION",
                       SL_SEV_INFO,
                       {"S1.1-04"},
                       "No brute-force protection",
                       REM_NONE},
    [F_BYPASS] = {"NET-BRUTEFORCE-LOCKOUT-INEFFECTIVE",
                  SL_SEV_HIGH,
                  {"S1.1-04"},
                  "Brute-force protection spares the right password",
                  "Make the lockout hold for every login of the account "
                  "(or client) it protects until it expires, the right "
                  "password included; otherwise a guesser is let in as "
                  "soon as it guesses right."},
    /* Facts, not faults: their remediation says what to keep. */
    [F_SEEN] = {"NET-BRUTEFORCE-PROTECTION",
                SL_SEV_INFO,
                {"S1.1-04"},
                "Brute-force protection seen",
                "Evidence for S1.1-04: keep this protection in every "
                "release."},
    [F_KEYS_ONLY] = {"NET-BRUTEFORCE-PROTECTION",
                     SL_SEV_INFO,
                     {"S1.1-04"},
                     "SSH accepts no passwords (keys only)",
                     "Evidence for S1.1-04: keep password logins off in "
                     "every release."},
    {NULL},
};
#undef REM_NONE

/* What one probe round showed. */
enum { PR_UNCLEAR, PR_HOLDS, PR_BYPASS, PR_LAPSED };

static int
round_says(const struct brun *r, size_t k, bool delay)
{
	if (r->pr[k].good_res == SL_LOGIN_BLOCKED ||
	    r->pr[k].good_res == SL_LOGIN_DENIED)
		return PR_HOLDS;
	if (r->pr[k].good_res != SL_LOGIN_OK)
		return PR_UNCLEAR;
	if (delay)
		return r->pr[k].wrong_res == SL_LOGIN_DENIED &&
		               r->pr[k].wrong_ms > BF_GROW_MIN_MS &&
		               r->pr[k].good_ms * BF_GROW < r->pr[k].wrong_ms
		           ? PR_BYPASS
		       : r->pr[k].wrong_res == SL_LOGIN_DENIED ? PR_LAPSED
		                                               : PR_UNCLEAR;
	/* Refused before it saw the password: not the same conditions. */
	if (r->pr[k].wrong_res == SL_LOGIN_BLOCKED && !r->pr[k].wrong_blind)
		return PR_BYPASS;
	if (r->pr[k].wrong_res == SL_LOGIN_DENIED)
		return PR_LAPSED;
	return PR_UNCLEAR;
}

/*
 * After a lockout or a growing delay, with the profile's credential: the
 * probe's rounds.  A bypass only when every round showed it.
 */
static void
judge_probe(struct sl_scan *s, struct brun *r, const char *where,
            const char *what, bool delay, struct Sl_buf *ex)
{
	int says[BF_ROUNDS];
	size_t k, bypass = 0, holds = 0, lapsed = 0;
	const char *e;

	if (r->good == NULL)
		return;
	if (r->blind) {
		(void)Sl_buf_addf(ex, "; this limit acts before any password "
		                      "is seen, so it lets the right password "
		                      "and a wrong one through alike at its "
		                      "rate: there is no lockout to bypass");
		return;
	}
	if (!r->probed)
		return;
	for (k = 0; k < BF_ROUNDS; k++) {
		says[k] = round_says(r, k, delay);
		bypass += says[k] == PR_BYPASS;
		holds += says[k] == PR_HOLDS;
		lapsed += says[k] == PR_LAPSED;
	}
	if (holds > 0 && bypass == 0) {
		(void)Sl_buf_addf(ex,
		                  "; right after, the profile's credential "
		                  "was refused too (%s): the protection "
		                  "holds",
		                  r->pr[0].good_det);
		return;
	}
	if (lapsed == BF_ROUNDS) {
		(void)Sl_buf_addf(ex, "; right after, the profile's credential "
		                      "and a wrong password were judged "
		                      "normally: the protection had lapsed");
		return;
	}
	if (bypass < BF_ROUNDS) {
		/* Rounds that disagree prove nothing either way. */
		e = Sl_arena_printf(
		    &s->arena,
		    "net.bruteforce: %s: whether the protection spares the "
		    "right password could not be judged: %zu of %d rounds "
		    "(the right password, then a wrong one) showed it, the "
		    "others did not (right: %s / %s; wrong: %s / %s)",
		    where, bypass, BF_ROUNDS, r->pr[0].good_det,
		    r->pr[1].good_det, r->pr[0].wrong_det, r->pr[1].wrong_det);
		(void)Sl_buf_addf(ex,
		                  "; whether the right password gets past "
		                  "it was not consistent over %d rounds: "
		                  "not judged",
		                  BF_ROUNDS);
		Sl_not_judged(s, "S1.1-04", SL_SRC_NETWORK, e);
		return;
	}
	(void)Sl_buf_addf(ex, "; the right password still logged in");
	e = Sl_arena_printf(&s->arena,
	                    "%s: after %s, the profile's credential for \"%s\" "
	                    "logged in at once (%s, %llu ms) while a wrong "
	                    "password right after got %s (%llu ms), in each of "
	                    "%d rounds",
	                    where, what, r->good->user, r->pr[0].good_det,
	                    (unsigned long long)r->pr[0].good_ms,
	                    r->pr[0].wrong_det,
	                    (unsigned long long)r->pr[0].wrong_ms, BF_ROUNDS);
	if (e != NULL)
		(void)Sl_report(s, &findings[F_BYPASS],
		                &(struct Sl_at){.svc = r->svc,
		                                .excerpt = e,
		                                .secret = r->good->pass});
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
		(void)Sl_report(
		    s, &findings[F_KEYS_ONLY],
		    &(struct Sl_at){.svc = r->svc,
		                    .excerpt = Sl_arena_printf(
		                        &s->arena,
		                        "%s: %s: there is no password to guess",
		                        where, r->det)});
		return;
	}
	if (Sl_cancelled(s) && stop == B_NONE && r->done < r->n) {
		/* A check cut short is no evidence (device.c). */
		Sl_incomplete(s,
		              "net.bruteforce: %s: cancelled after %zu "
		              "attempts",
		              where, r->done);
		return;
	}
	if (r->denied == 0 && stop != B_BLOCKED) {
		const char *why = Sl_arena_printf(
		    &s->arena,
		    "net.bruteforce: %s: no login attempt could be judged "
		    "(%s), so whether it limits password guessing is unknown",
		    where, r->last_err[0] ? r->last_err : "no answer");

		Sl_incomplete(s, "%s", why ? why : where);
		Sl_not_judged(s, "S1.1-04", SL_SRC_NETWORK, why);
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
	grew = slow &&
	       ((middle > 0 && 2 * last >= 3 * middle) || last >= BF_STEP_MS);
	if (stop == B_BLOCKED && r->blind)
		snprintf(what, sizeof(what),
		         "refusal before any password "
		         "was judged (%s) after %zu wrong password%s: a limit "
		         "on new connections or requests from one address",
		         r->det, r->stop_at, r->stop_at == 1 ? "" : "s");
	else if (stop == B_BLOCKED)
		snprintf(what, sizeof(what),
		         "refusal (%s) after %zu wrong "
		         "password%s",
		         r->det, r->stop_at, r->stop_at == 1 ? "" : "s");
	else if (stop == B_SILENT)
		snprintf(what, sizeof(what),
		         "no answer any more (%s) after "
		         "%zu wrong password%s: a tarpit or a rule dropping "
		         "new connections from one address",
		         r->det, r->stop_at, r->stop_at == 1 ? "" : "s");
	else if (grew)
		snprintf(what, sizeof(what),
		         "a growing delay (first "
		         "attempts %llu ms, last %llu ms) over %zu wrong "
		         "passwords",
		         (unsigned long long)first, (unsigned long long)last,
		         r->done);
	else
		what[0] = 0;
	Sl_buf_init(&ex, 2048);
	if (what[0] != 0) {
		(void)Sl_buf_addf(&ex,
		                  "%s: %s for user \"%s\" (%zu attempts "
		                  "in %.2f s, %.1f/s, %u in flight)",
		                  where, what, r->user, r->done, secs, rate,
		                  s->dev->o.login_parallel);
		if (grew && stop == B_NONE)
			probe_after(r);
		judge_probe(s, r, where, what, grew && stop == B_NONE, &ex);
		(void)Sl_report(
		    s, &findings[F_SEEN],
		    &(struct Sl_at){.svc = r->svc,
		                    .excerpt =
		                        ex.p ? (const char *)ex.p : where,
		                    .secret = r->good ? r->good->pass : NULL});
	} else {
		(void)Sl_buf_addf(&ex,
		                  "%s: %zu wrong passwords for user "
		                  "\"%s\" in %.2f s (%.1f/s, %u in "
		                  "flight), no lockout, delay or refusal",
		                  where, r->done, r->user, secs, rate,
		                  s->dev->o.login_parallel);
		if (slow)
			(void)Sl_buf_addf(&ex,
			                  "; a fixed delay: first "
			                  "attempts %llu ms, then %llu ms",
			                  (unsigned long long)first,
			                  (unsigned long long)last);
		if (constrained)
			(void)Sl_buf_addf(&ex, "; the profile declares a "
			                       "constrained device, which "
			                       "S1.1-04 exempts");
		(void)Sl_report(
		    s, &findings[constrained ? F_NONE_EXEMPT : F_NONE],
		    &(struct Sl_at){
		        .svc = r->svc,
		        .excerpt = ex.p ? (const char *)ex.p : where,
		        .secret = r->good ? r->good->pass : NULL,
		        .title = Sl_arena_printf(
		            &s->arena, "No brute-force protection on %s",
		            r->svc->pub.name)});
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
	if (want == 0) {
		Sl_not_judged(s, "S1.1-04", SL_SRC_NETWORK,
		              "net.bruteforce: no wrong password was tried "
		              "(brute-force attempts set to 0)");
		return SL_OK;
	}
	n = Sl_auth_services(s, svc, SL_AUTH_MAX_SERVICES, false);
	if (n == 0) {
		/*
		 * Nothing to guess at is no evidence that guessing is
		 * stopped: the login may be on a port not scanned.
		 */
		const struct sl_device_opts *o = &s->dev->o;

		Sl_not_judged(
		    s, "S1.1-04", SL_SRC_NETWORK,
		    Sl_arena_printf(&s->arena,
		                    "net.bruteforce: no login service was "
		                    "found on the ports scanned (TCP %s%s), "
		                    "so no password guessing could be tried",
		                    o->ports ? o->ports : "1-65535",
		                    o->udp ? ", and the common UDP services"
		                           : "; UDP not probed"));
		return SL_OK;
	}
	{
		/* Logins found, but maybe not all: the scope must hold them. */
		char why[200];

		if (!Sl_scope_covers_logins(s, why, sizeof(why)))
			Sl_not_judged(s, "S1.1-04", SL_SRC_NETWORK,
			              Sl_arena_printf(&s->arena,
			                              "net.bruteforce: %s",
			                              why));
	}
	runs = calloc(n, sizeof(*runs));
	if (runs == NULL)
		return Sl_fail(s, SL_E_NOMEM, "out of memory");
	for (i = 0; i < n; i++) {
		struct brun *r = &runs[i];
		const struct Sl_cred *c = Sl_auth_profile_cred(s, &svc[i]);

		r->n = want;
		r->cap = want > BF_EXTEND ? want : BF_EXTEND;
		r->lat = calloc(r->cap, sizeof(*r->lat));
		r->res = calloc(r->cap, sizeof(*r->res));
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
    .covers = {"S1.1-04", NULL},
    .findings = findings,
    .source = SL_SRC_NETWORK,
    .run = bf_run,
};
