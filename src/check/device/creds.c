/*
 * creds.c - net.creds: default credentials over the network (S1.1-02).
 *
 * For every login service of the device (auth.c: ssh, telnet, ftp, web
 * services that ask for credentials, mqtt, rtsp, snmp) try, in order:
 *   1. the tester's --creds FILE, one "user:password" per line;
 *   2. the usual factory users with an empty password and their own name
 *      (root:root, admin:admin, user:user, guest:guest, support:support);
 *   3. the two most likely users of the protocol (root and admin, admin
 *      first on the web) with every password of the default list
 *      (data/passwords/default-passwords.txt, the same list fw.accounts
 *      cracks hashes with, most common first).
 * SNMP has no users: communities come from the list and the file's
 * passwords; "public" and "private" are left to net.unauth, which reports
 * them as NET-SNMP-DEFAULT-COMMUNITY.
 *
 * Bounds: at most o.max_logins attempts per service (SNMP at most
 * CR_SNMP_MAX, since a wrong community is only ever answered by silence,
 * which costs a whole timeout), o.login_parallel in flight per service,
 * all services at once.  A service stops at its first success, when it
 * refuses further logins (SL_LOGIN_BLOCKED: recorded as incomplete), or
 * when it has no password login.  A refusal (a rate limit such as HTTP
 * 429, a temporary lockout) is waited out first: the worker pauses
 * CR_BACKOFF_MS and tries the same pair again on a fresh connection, up
 * to CR_WAIT_BUDGET_MS of pauses per service in all.  Refusals while
 * other workers still get answers mean a cap on concurrent connections:
 * those pause CR_BUSY_MS only and spend no budget.  A refusal before
 * any password is seen (a refused connect: a per-address connection
 * limit; Sl_login_blind) gets CR_BLIND_BUDGET_MS only: such a limit
 * admits a few connections a minute, and waiting out a list of 64 at
 * that rate would take minutes.  Whatever part of a list was not tried
 * or not judged (refusals, timeouts) is said in the report, and the
 * device then gives no evidence for S1.1-02 (Sl_not_judged): a default
 * credential may be among the untried ones.  Before the list, one
 * random credential that cannot be valid is tried: a service that
 * accepts it checks nothing (net.unauth's business) and is skipped.
 *
 * Speed: each worker keeps its connection between attempts (login.c:
 * the telnet login prompt, the FTP control connection, the SSH session,
 * HTTP keep-alive), as hydra does; bench/device_creds.sh compares the
 * two.
 *
 * Trust: the credentials file is the tester's, still read with bounds
 * (CR_MAX_LINES lines of at most CR_MAX_LINE bytes).
 */
#include <errno.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "../../catalogue/default_passwords.h"
#include "../../net/scope.h"
#include "auth.h"

#define CR_MAX_LINES       4096
#define CR_MAX_LINE        512
#define CR_SNMP_MAX        16
#define CR_MAX_PARALLEL    32
#define CR_BACKOFF_MS      1000
#define CR_BUSY_MS         100
#define CR_WAIT_BUDGET_MS  60000
#define CR_BLIND_BUDGET_MS 8000

struct pair {
	const char *user, *pass;
};

/* One service's run. */
struct crun {
	struct sl_scan *s;
	struct Sl_service *svc;
	struct pair *pairs;
	size_t npairs;
	atomic_size_t next;
	atomic_int stop; /* STOP_* */
	pthread_mutex_t lock;
	size_t tried, denied, errors;
	unsigned waited_ms;   /* pauses after refusals, all workers */
	bool blind;           /* the last refusal came before any password */
	uint64_t answered_ms; /* when an attempt was last judged, or 0 */
	size_t found;         /* index of the accepted pair, or SIZE_MAX */
	char found_detail[160];
	char last_detail[160];
	bool skipped; /* accepts anything, or no password login */
	bool unsupported;
};

enum { STOP_NO = 0, STOP_FOUND, STOP_BLOCKED, STOP_UNSUPPORTED };

/* A growing, deduplicated list of pairs. */
struct plist {
	struct pair *p;
	size_t n, cap, max;
	struct Sl_arena *a;
};

static bool
plist_add(struct plist *l, const char *user, const char *pass)
{
	size_t i;
	void *np;

	if (l->n >= l->max)
		return false;
	/* Lists are short (o.max_logins); a linear look is enough. */
	for (i = 0; i < l->n; i++)
		if (strcmp(l->p[i].user, user) == 0 &&
		    strcmp(l->p[i].pass, pass) == 0)
			return true;
	np = l->p;
	if (!Sl_vec_grow(&np, &l->cap, l->n, sizeof(*l->p), 64))
		return false;
	l->p = np;
	l->p[l->n].user = user;
	l->p[l->n].pass = pass;
	l->n++;
	return true;
}

/*
 * Read the --creds file: "user:password" per line, blank lines and '#'
 * comments skipped, the password may hold ':'.  Strings go to the arena.
 */
static sl_rc
read_file(struct sl_scan *s, const char *path, struct plist *out)
{
	char line[CR_MAX_LINE + 2];
	size_t lines = 0;
	FILE *f;

	f = fopen(path, "re");
	if (f == NULL)
		return Sl_fail(s, SL_E_IO, "%s: %s", path, strerror(errno));
	while (fgets(line, sizeof(line), f) != NULL && lines < CR_MAX_LINES) {
		size_t len = strlen(line);
		char *colon, *u, *p;

		lines++;
		if (len > 0 && line[len - 1] != '\n' && !feof(f)) {
			int ch;

			/* Too long: skip the rest of it. */
			while ((ch = fgetc(f)) != EOF && ch != '\n')
				;
			continue;
		}
		while (len > 0 &&
		       (line[len - 1] == '\n' || line[len - 1] == '\r'))
			line[--len] = 0;
		if (len == 0 || line[0] == '#')
			continue;
		colon = strchr(line, ':');
		if (colon == NULL)
			continue;
		*colon = 0;
		u = Sl_arena_strdup(&s->arena, line);
		p = Sl_arena_strdup(&s->arena, colon + 1);
		if (u == NULL || p == NULL) {
			fclose(f);
			return Sl_fail(s, SL_E_NOMEM, "out of memory");
		}
		if (!plist_add(out, u, p))
			break;
	}
	fclose(f);
	return SL_OK;
}

/* The two users most likely on this protocol, most likely first. */
static void
top_users(const struct Sl_service *svc, const char **u0, const char **u1)
{
	const char *n = svc->pub.name;

	if (strncmp(n, "http", 4) == 0 || strcmp(n, "rtsp") == 0 ||
	    strncmp(n, "mqtt", 4) == 0) {
		*u0 = "admin";
		*u1 = "root";
	} else {
		*u0 = "root";
		*u1 = "admin";
	}
}

/* The pairs for one service, at most max. */
static void
make_pairs(const struct Sl_service *svc, const struct plist *file,
           struct plist *l)
{
	static const char *const own[] = {"user", "guest", "support", NULL};
	static const char *const communities[] = {
	    "community", "snmp",    "admin", "manager", "monitor", "secret",
	    "cisco",     "default", "read",  "write",   NULL,
	};
	const char *u0, *u1;
	size_t i;

	if (strcmp(svc->pub.name, "snmp") == 0) {
		for (i = 0; i < file->n; i++)
			(void)plist_add(l, "", file->p[i].pass);
		for (i = 0; communities[i] != NULL; i++)
			(void)plist_add(l, "", communities[i]);
		for (i = 0; i < SL_ARRAY_LEN(Sl_default_passwords); i++)
			if (strcmp(Sl_default_passwords[i], "public") != 0 &&
			    strcmp(Sl_default_passwords[i], "private") != 0)
				(void)plist_add(l, "", Sl_default_passwords[i]);
		return;
	}
	for (i = 0; i < file->n; i++)
		(void)plist_add(l, file->p[i].user, file->p[i].pass);
	top_users(svc, &u0, &u1);
	(void)plist_add(l, u0, "");
	(void)plist_add(l, u0, u0);
	(void)plist_add(l, u1, "");
	(void)plist_add(l, u1, u1);
	for (i = 0; own[i] != NULL; i++)
		(void)plist_add(l, own[i], own[i]);
	for (i = 0; i < SL_ARRAY_LEN(Sl_default_passwords); i++) {
		(void)plist_add(l, u0, Sl_default_passwords[i]);
		(void)plist_add(l, u1, Sl_default_passwords[i]);
	}
}

/* Sleep ms in short slices; false when the scan was cancelled. */
static bool
pause_ms(struct sl_scan *s, unsigned ms)
{
	while (ms > 0 && !Sl_cancelled(s)) {
		unsigned step = ms < 100 ? ms : 100;

		usleep(step * 1000u);
		ms -= step;
	}
	return !Sl_cancelled(s);
}

/* One attempt; a refusal is waited out within the run's budget. */
static enum Sl_login
attempt(struct crun *r, const char *user, const char *pass,
        struct Sl_login_conn **conn, char *det, size_t dn)
{
	enum Sl_login res;
	bool again, busy;

	for (;;) {
		res = Sl_login_attempt(r->s, r->svc, user, pass, conn, det, dn);
		if (res != SL_LOGIN_BLOCKED)
			return res;
		pthread_mutex_lock(&r->lock);
		r->blind = Sl_login_blind();
		/*
		 * Refused while other workers still get answers: a limit on
		 * concurrent connections (dropbear allows 5 unauthenticated
		 * ones per address), not a lockout; pause without spending
		 * the budget.
		 */
		busy = r->answered_ms != 0 &&
		       Sl_now_ms() - r->answered_ms < 2 * CR_BACKOFF_MS;
		again = (busy || r->waited_ms + CR_BACKOFF_MS <=
		                     (r->blind ? CR_BLIND_BUDGET_MS
		                               : CR_WAIT_BUDGET_MS)) &&
		        atomic_load(&r->stop) == STOP_NO;
		if (again && !busy)
			r->waited_ms += CR_BACKOFF_MS;
		pthread_mutex_unlock(&r->lock);
		if (!again ||
		    !pause_ms(r->s, busy ? CR_BUSY_MS : CR_BACKOFF_MS))
			return res;
		if (conn != NULL) {
			Sl_login_conn_free(*conn);
			*conn = NULL;
		}
	}
}

static void *
worker(void *p)
{
	struct crun *r = p;
	struct Sl_login_conn *conn = NULL;
	char det[160];

	for (;;) {
		enum Sl_login res;
		size_t i;

		if (atomic_load(&r->stop) != STOP_NO || Sl_cancelled(r->s))
			break;
		i = atomic_fetch_add(&r->next, 1);
		if (i >= r->npairs)
			break;
		res = attempt(r, r->pairs[i].user, r->pairs[i].pass, &conn, det,
		              sizeof(det));
		pthread_mutex_lock(&r->lock);
		r->tried++;
		if (res != SL_LOGIN_BLOCKED)
			r->answered_ms = Sl_now_ms();
		switch (res) {
		case SL_LOGIN_OK:
			if (r->found == SIZE_MAX || i < r->found) {
				r->found = i;
				snprintf(r->found_detail,
				         sizeof(r->found_detail), "%s", det);
			}
			atomic_store(&r->stop, STOP_FOUND);
			break;
		case SL_LOGIN_BLOCKED: {
			int want = STOP_NO;

			snprintf(r->last_detail, sizeof(r->last_detail), "%s",
			         det);
			atomic_compare_exchange_strong(&r->stop, &want,
			                               STOP_BLOCKED);
			break;
		}
		case SL_LOGIN_UNSUPPORTED:
			atomic_store(&r->stop, STOP_UNSUPPORTED);
			break;
		case SL_LOGIN_DENIED: r->denied++; break;
		case SL_LOGIN_ERROR:
			r->errors++;
			snprintf(r->last_detail, sizeof(r->last_detail), "%s",
			         det);
			break;
		}
		pthread_mutex_unlock(&r->lock);
	}
	Sl_login_conn_free(conn);
	return NULL;
}

/* What this check reports (check.h: findings as data). */
static const struct Sl_finding_def findings[] = {
    {"NET-DEFAULT-CREDENTIALS",
     SL_SEV_CRITICAL,
     {"S1.1-02"},
     "Default credential accepted",
     "Ship every unit with a unique random password of at least 6 "
     "characters (printed on its label), or force a change to one of at "
     "least 8 characters before the service can be used; remove factory "
     "accounts with fixed passwords."},
    {NULL},
};

/* The finding for an accepted credential; the password masked. */
static void
report_found(struct sl_scan *s, struct crun *r)
{
	const struct pair *p = &r->pairs[r->found];
	char where[64], *mask;
	const char *ex, *title;
	bool snmp = strcmp(r->svc->pub.name, "snmp") == 0;

	Sl_auth_where(r->svc, where, sizeof(where));
	mask = Sl_mask(&s->arena, p->pass);
	if (mask == NULL)
		return;
	if (snmp)
		ex = Sl_arena_printf(&s->arena,
		                     "%s: community \"%s\" answered after %zu "
		                     "attempts (%s)",
		                     where, mask, r->tried, r->found_detail);
	else
		ex = Sl_arena_printf(&s->arena,
		                     "%s: login accepted for user \"%s\" "
		                     "with password \"%s\"%s after %zu "
		                     "attempts (%s)",
		                     where, p->user, mask,
		                     p->pass[0] ? "" : " (empty)", r->tried,
		                     r->found_detail);
	title = Sl_arena_printf(&s->arena,
	                        "Default credential accepted over %s (%s)",
	                        r->svc->pub.name, p->user[0] ? p->user : mask);
	if (ex == NULL || title == NULL)
		return;
	/* The password is masked above; no secret left to pass on. */
	(void)Sl_report(
	    s, &findings[0],
	    &(struct Sl_at){.svc = r->svc, .excerpt = ex, .title = title});
}

/* One service: the random probe, then the pairs with the workers. */
static void
run_service(struct sl_scan *s, struct Sl_service *svc, void *result)
{
	struct crun *r = result;
	unsigned max = s->dev->o.max_logins, par = s->dev->o.login_parallel;
	char u[40], p[40], det[160];
	size_t nth;
	enum Sl_login res;

	r->s = s;
	r->svc = svc;
	if (max == 0)
		return;
	/* A credential nobody set: accepted means nothing is checked. */
	Sl_auth_random(u, sizeof(u), "sl-");
	Sl_auth_random(p, sizeof(p), "Sl-");
	res = attempt(r, strcmp(svc->pub.name, "snmp") ? u : "", p, NULL, det,
	              sizeof(det));
	r->tried = 1;
	if (res == SL_LOGIN_OK || res == SL_LOGIN_UNSUPPORTED) {
		r->skipped = true;
		r->unsupported = res == SL_LOGIN_UNSUPPORTED;
		return;
	}
	if (res == SL_LOGIN_BLOCKED) {
		snprintf(r->last_detail, sizeof(r->last_detail), "%s", det);
		atomic_store(&r->stop, STOP_BLOCKED);
		return;
	}
	if (res == SL_LOGIN_ERROR) {
		r->errors++;
		snprintf(r->last_detail, sizeof(r->last_detail), "%s", det);
	} else {
		r->denied++;
	}
	if (r->npairs > max - 1)
		r->npairs = max - 1;
	nth = par ? par : 1;
	if (nth > CR_MAX_PARALLEL)
		nth = CR_MAX_PARALLEL;
	if (nth > r->npairs)
		nth = r->npairs;
	(void)Sl_pool_run((unsigned)nth, worker, r, 0);
}

static sl_rc
creds_run(struct sl_scan *s)
{
	struct Sl_service svc[SL_AUTH_MAX_SERVICES];
	struct crun *runs;
	struct plist file = {0};
	size_t n, i;
	sl_rc rc = SL_OK;

	if (s->dev == NULL)
		return SL_OK;
	if (s->dev->o.max_logins == 0) {
		/* Nothing will be tried: no evidence either way. */
		Sl_not_judged(s, "S1.1-02", SL_SRC_NETWORK,
		              "default credentials were not tried "
		              "(--max-logins 0); run `starlab device HOST` "
		              "with attempts allowed");
		return SL_OK;
	}
	Sl_login_global_init();
	file.max = CR_MAX_LINES;
	if (s->dev->o.creds_file != NULL &&
	    (rc = read_file(s, s->dev->o.creds_file, &file)) != SL_OK) {
		free(file.p);
		return rc;
	}
	n = Sl_auth_services(s, svc, SL_AUTH_MAX_SERVICES, true);
	if (n == 0) {
		/* No login seen is not "no default credential". */
		const struct sl_device_opts *o = &s->dev->o;

		Sl_not_judged(
		    s, "S1.1-02", SL_SRC_NETWORK,
		    Sl_arena_printf(&s->arena,
		                    "net.creds: no login service was found on "
		                    "the ports scanned (TCP %s%s), so no "
		                    "default credential could be tried",
		                    o->ports ? o->ports : "1-65535",
		                    o->udp ? ", and the common UDP services"
		                           : "; UDP not probed"));
		free(file.p);
		return SL_OK;
	}
	{
		/* Logins found, but maybe not all: the scope must hold them. */
		char why[200];

		if (!Sl_scope_covers_logins(s, why, sizeof(why)))
			Sl_not_judged(
			    s, "S1.1-02", SL_SRC_NETWORK,
			    Sl_arena_printf(&s->arena, "net.creds: %s", why));
	}
	runs = calloc(n, sizeof(*runs));
	if (runs == NULL) {
		free(file.p);
		return Sl_fail(s, SL_E_NOMEM, "out of memory");
	}
	for (i = 0; i < n; i++) {
		struct plist l = {0};
		bool snmp = strcmp(svc[i].pub.name, "snmp") == 0;

		l.max = s->dev->o.max_logins;
		if (snmp && l.max > CR_SNMP_MAX)
			l.max = CR_SNMP_MAX;
		make_pairs(&svc[i], &file, &l);
		runs[i].pairs = l.p;
		runs[i].npairs = l.n;
		runs[i].found = SIZE_MAX;
		pthread_mutex_init(&runs[i].lock, NULL);
		atomic_init(&runs[i].next, 0);
		atomic_init(&runs[i].stop, STOP_NO);
	}
	Sl_auth_each(s, svc, n, run_service, runs, sizeof(*runs));
	for (i = 0; i < n; i++) {
		struct crun *r = &runs[i];
		char where[64];
		const char *why = NULL;
		size_t total = r->npairs + 1; /* and the random probe */

		Sl_auth_where(&svc[i], where, sizeof(where));
		if (r->found != SIZE_MAX)
			report_found(s, r);
		else if (atomic_load(&r->stop) == STOP_BLOCKED)
			why = Sl_arena_printf(
			    &s->arena,
			    "net.creds: %s kept refusing logins%s after %zu "
			    "of %zu attempts and %u s of pauses (%s): %zu "
			    "credentials of the default list were not tried",
			    where,
			    r->blind ? " before any password was seen "
			               "(a limit on new connections)"
			             : "",
			    r->tried, total, r->waited_ms / 1000,
			    r->last_detail,
			    total > r->tried ? total - r->tried : 0);
		else if (!r->skipped && r->errors > 0 && r->denied == 0)
			why = Sl_arena_printf(&s->arena,
			                      "net.creds: %s: no attempt could "
			                      "be judged (%s)",
			                      where, r->last_detail);
		else if (!r->skipped && r->errors > 0)
			/* Timeouts must not drop part of a list unsaid. */
			why = Sl_arena_printf(
			    &s->arena,
			    "net.creds: %s: %zu of %zu attempts could not be "
			    "judged (last: %s): those credentials are "
			    "untested",
			    where, r->errors, r->tried, r->last_detail);
		if (why != NULL) {
			Sl_incomplete(s, "%s", why);
			Sl_not_judged(s, "S1.1-02", SL_SRC_NETWORK, why);
		}
		if (Sl_cancelled(s) && r->found == SIZE_MAX && !r->skipped)
			Sl_incomplete(s,
			              "net.creds: %s: cancelled after %zu "
			              "attempts",
			              where, r->tried);
		pthread_mutex_destroy(&r->lock);
		free(r->pairs);
	}
	free(runs);
	free(file.p);
	return SL_OK;
}

const struct Sl_check Sl_check_creds = {
    .id = "net.creds",
    .title = "Default credentials over the network",
    .covers = {"S1.1-02", NULL},
    .findings = findings,
    .source = SL_SRC_NETWORK,
    .run = creds_run,
};
