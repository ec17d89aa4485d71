/*
 * snapshot_judge.c - sl_snapshot_compare: the S1.1-14 (power loss) and
 * S1.1-15 (factory reset) judgement of two snapshots taken before and
 * after the event (docs/snapshot.md).  Moved from src/net/snapshot.c, so
 * that findings are made by checks and net/ only takes the evidence.
 *
 * Trust: both documents are hostile; Sl_snap_parse (src/net/
 * snapshot_doc.c) bounds them before anything here reads them.
 */
#include <stdio.h>
#include <stdlib.h>

#include "../../core/scan.h"
#include "../../net/snapshot.h"
#include "../check.h"

/* What the judgement reports (check.h: findings as data). */
enum {
	F_PERSIST_VERSION,
	F_PERSIST_USER,
	F_PERSIST_DEFAULT,
	F_PERSIST_PORT_OPENED,
	F_PERSIST_PORT_CLOSED,
	F_RESET_VERSION,
	F_RESET_USER,
};
static const struct Sl_finding_def findings[] = {
    [F_PERSIST_VERSION] = {"NET-PERSIST-VERSION",
                           SL_SEV_HIGH,
                           {"S1.1-14"},
                           "The firmware version changed across the power "
                           "cycle",
                           "Keep the installed firmware (and its updates) "
                           "across power loss: boot the updated image, "
                           "never fall back to the factory image when "
                           "power returns."},
    [F_PERSIST_USER] = {"NET-PERSIST-USER-CREDENTIAL",
                        SL_SEV_HIGH,
                        {"S1.1-14"},
                        "The user's credential no longer logs in after the "
                        "power cycle",
                        "Store changed authentication values in persistent "
                        "storage and commit them before acknowledging the "
                        "change, so that power loss does not revert them."},
    [F_PERSIST_DEFAULT] = {"NET-PERSIST-DEFAULT-CREDENTIAL",
                           SL_SEV_CRITICAL,
                           {"S1.1-14", "S1.1-02"},
                           "A default credential logs in again after the "
                           "power cycle",
                           "Keep the changed password across power loss; "
                           "never restore the factory credential when "
                           "power returns."},
    [F_PERSIST_PORT_OPENED] = {"NET-PERSIST-PORT-OPENED",
                               SL_SEV_MEDIUM,
                               {"S1.1-14"},
                               "A port closed before the power cycle is "
                               "open after it",
                               "Keep the service configuration across power "
                               "loss: a service the user turned off must "
                               "stay off."},
    [F_PERSIST_PORT_CLOSED] = {"NET-PERSIST-PORT-CLOSED",
                               SL_SEV_INFO,
                               {"S1.1-14"},
                               "A port open before the power cycle is "
                               "closed after it",
                               "Check that the service comes back after "
                               "power loss (it may only have been slow to "
                               "start)."},
    [F_RESET_VERSION] = {"NET-RESET-VERSION",
                         SL_SEV_HIGH,
                         {"S1.1-15"},
                         "The firmware version changed across the factory "
                         "reset",
                         "A factory reset erases user data and settings, "
                         "not updates: keep the updated firmware "
                         "installed."},
    [F_RESET_USER] = {"NET-RESET-USER-CREDENTIAL",
                      SL_SEV_HIGH,
                      {"S1.1-15"},
                      "The user's credential still logs in after the "
                      "factory reset",
                      "Make the factory reset erase every credential, key "
                      "and setting the user set, on every service."},
    {NULL},
};

/* S1.1-02 too: a default credential that logs in again after the power
 * cycle (NET-PERSIST-DEFAULT-CREDENTIAL). */
static const char *const covers[] = {"S1.1-14", "S1.1-15", "S1.1-02", NULL};

const struct Sl_finding_table Sl_findings_snapshot = {
    .owner = "snapshot",
    .covers = covers,
    .findings = findings,
};

/* ------------------------------------------------------------------ */
/* Comparing two snapshots                                             */
/* ------------------------------------------------------------------ */

/* The state of one comparison. */
struct cmp {
	struct sl_scan *s;
	const struct Sl_snap *a, *b; /* before, after */
	const char *req;             /* "S1.1-14" or "S1.1-15" */
	const char *event;           /* "power cycle", "factory reset" */
	int version, user;           /* the event's kinds in findings[] */
	bool version_ok, user_ok;
};

/* A finding of kind k about port (0: the device) of the snapshots' host. */
static sl_rc
cmp_finding(struct cmp *c, int k, unsigned port, const char *excerpt,
            const char *secret)
{
	struct sl_evidence ev = {.host = c->b->host, .port = port};

	return Sl_report(
	    c->s, &findings[k],
	    &(struct Sl_at){.ev = &ev, .excerpt = excerpt, .secret = secret});
}

static sl_rc
cmp_version(struct cmp *c)
{
	char ex[1024];

	if (!c->a->has_version || !c->b->has_version) {
		const struct Sl_snap *x = c->a->has_version ? c->b : c->a;

		Sl_incomplete(c->s,
		              "compare: the version was not read in the "
		              "%s snapshot (%s): %s cannot be judged on it",
		              x == c->a ? "before" : "after",
		              x->version_error[0] ? x->version_error
		                                  : "no version_probe",
		              c->req);
		return SL_OK;
	}
	c->version_ok = true;
	if (strcmp(c->a->version, c->b->version) == 0)
		return SL_OK;
	snprintf(ex, sizeof(ex),
	         "before (%s): version %s; after the %s "
	         "(%s): version %s; read by %s",
	         c->a->taken_at, c->a->version, c->event, c->b->taken_at,
	         c->b->version,
	         c->b->version_probe[0] ? c->b->version_probe : "the probe");
	return cmp_finding(c, c->version, 0, ex, NULL);
}

static const struct Sl_snap_login *
find_login(const struct Sl_snap_login *arr, size_t n,
           const struct Sl_snap_login *l, bool users)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(arr[i].service, l->service) == 0 &&
		    arr[i].port == l->port &&
		    (!users || strcmp(arr[i].user, l->user) == 0))
			return &arr[i];
	return NULL;
}

static sl_rc
cmp_users(struct cmp *c)
{
	bool reset = strcmp(c->req, "S1.1-15") == 0;
	char ex[1024];
	size_t i;
	sl_rc rc = SL_OK;

	if (c->a->nuser == 0)
		Sl_incomplete(c->s,
		              "compare: the snapshots hold no user "
		              "credential (give one in the profile's "
		              "credentials): %s cannot be judged",
		              c->req);
	for (i = 0; i < c->a->nuser && rc == SL_OK; i++) {
		const struct Sl_snap_login *u = &c->a->user[i], *v;

		v = find_login(c->b->user, c->b->nuser, u, true);
		if (u->res != SL_SNAP_ACCEPTED) {
			Sl_incomplete(c->s,
			              "compare: %s@%s port %u did not "
			              "log in before the %s (%s): set it on "
			              "the unit and take the snapshot again",
			              u->user, u->service, u->port, c->event,
			              Sl_snap_res_name(u->res));
			continue;
		}
		if (v == NULL ||
		    (v->res != SL_SNAP_ACCEPTED && v->res != SL_SNAP_DENIED)) {
			Sl_incomplete(c->s,
			              "compare: %s@%s port %u was not "
			              "judged after the %s (%s)",
			              u->user, u->service, u->port, c->event,
			              v ? Sl_snap_res_name(v->res)
			                : "not in the after snapshot");
			continue;
		}
		c->user_ok = true;
		if ((v->res == SL_SNAP_ACCEPTED) == !reset)
			continue;
		snprintf(ex, sizeof(ex),
		         "before (%s): %s@%s port %u %s; "
		         "after the %s (%s): %s",
		         c->a->taken_at, u->user, u->service, u->port,
		         Sl_snap_res_name(u->res), c->event, c->b->taken_at,
		         Sl_snap_res_name(v->res));
		rc = cmp_finding(c, c->user, u->port, ex, NULL);
	}
	return rc;
}

/* After a power cycle, default credentials must still fail. */
static sl_rc
cmp_defaults(struct cmp *c)
{
	char ex[1024];
	size_t i;
	sl_rc rc = SL_OK;

	for (i = 0; i < c->b->ndef && rc == SL_OK; i++) {
		const struct Sl_snap_login *d = &c->b->def[i], *p;
		const char *pw;

		p = find_login(c->a->def, c->a->ndef, d, false);
		if (d->res == SL_SNAP_BLOCKED || d->res == SL_SNAP_ERROR) {
			Sl_incomplete(c->s,
			              "compare: default credentials on "
			              "%s port %u were not judged after the "
			              "%s (%s)",
			              d->service, d->port, c->event,
			              Sl_snap_res_name(d->res));
			continue;
		}
		if (d->res != SL_SNAP_ACCEPTED || p == NULL ||
		    p->res == SL_SNAP_ACCEPTED)
			continue; /* no change; S1.1-02 is the device check's */
		snprintf(ex, sizeof(ex),
		         "before (%s): default credentials "
		         "on %s port %u %s (%u tried); after the %s (%s): %s "
		         "accepted",
		         c->a->taken_at, d->service, d->port,
		         Sl_snap_res_name(p->res), p->tried, c->event,
		         c->b->taken_at, d->accepted[0] ? d->accepted : "one");
		pw = strchr(d->accepted, ':');
		rc = cmp_finding(c, F_PERSIST_DEFAULT, d->port, ex,
		                 pw && pw[1] ? pw + 1 : NULL);
	}
	return rc;
}

static bool
has_port(const struct Sl_snap *x, unsigned port)
{
	size_t i;

	for (i = 0; i < x->nopen; i++)
		if (x->open[i] == port)
			return true;
	return false;
}

/* After a power cycle the same services listen. */
static sl_rc
cmp_ports(struct cmp *c)
{
	char ex[256];
	size_t i;
	sl_rc rc = SL_OK;

	if (c->a->nchecked == 0 || c->b->nchecked == 0)
		return SL_OK;
	for (i = 0; i < c->b->nopen && rc == SL_OK; i++) {
		if (has_port(c->a, c->b->open[i]))
			continue;
		snprintf(ex, sizeof(ex),
		         "before (%s): tcp/%u closed; after "
		         "the %s (%s): open",
		         c->a->taken_at, c->b->open[i], c->event,
		         c->b->taken_at);
		rc = cmp_finding(c, F_PERSIST_PORT_OPENED, c->b->open[i], ex,
		                 NULL);
	}
	for (i = 0; i < c->a->nopen && rc == SL_OK; i++) {
		if (has_port(c->b, c->a->open[i]))
			continue;
		snprintf(ex, sizeof(ex),
		         "before (%s): tcp/%u open; after "
		         "the %s (%s): closed",
		         c->a->taken_at, c->a->open[i], c->event,
		         c->b->taken_at);
		rc = cmp_finding(c, F_PERSIST_PORT_CLOSED, c->a->open[i], ex,
		                 NULL);
	}
	return rc;
}

sl_rc
sl_snapshot_compare(struct sl_scan *s, const char *before_json,
                    const char *after_json)
{
	struct Sl_snap *a = NULL, *b = NULL;
	struct cmp c;
	char err[384];
	sl_rc rc;

	if (s == NULL)
		return SL_E_USAGE;
	if (before_json == NULL || after_json == NULL)
		return Sl_fail(s, SL_E_USAGE, "compare: a snapshot is missing");
	a = calloc(1, sizeof(*a));
	b = calloc(1, sizeof(*b));
	if (a == NULL || b == NULL) {
		rc = Sl_fail(s, SL_E_NOMEM, "out of memory");
		goto out;
	}
	if (Sl_snap_parse(before_json,
	                  strnlen(before_json, SL_SNAP_MAX_JSON + 1), a, err,
	                  sizeof(err)) != 0) {
		rc = Sl_fail(s, SL_E_MALFORMED, "before snapshot: %s", err);
		goto out;
	}
	if (Sl_snap_parse(after_json, strnlen(after_json, SL_SNAP_MAX_JSON + 1),
	                  b, err, sizeof(err)) != 0) {
		rc = Sl_fail(s, SL_E_MALFORMED, "after snapshot: %s", err);
		goto out;
	}
	if (strcmp(a->host, b->host) != 0) {
		rc = Sl_fail(s, SL_E_USAGE,
		             "compare: the snapshots are of "
		             "two hosts (%s, %s)",
		             a->host, b->host);
		goto out;
	}
	if (b->event[0] == 0) {
		rc = Sl_fail(s, SL_E_USAGE,
		             "compare: the after snapshot does "
		             "not say which event came between "
		             "(\"event\": power-cycle or factory-reset)");
		goto out;
	}
	if (s->device == NULL && (rc = sl_scan_set_device(s, b->host)) != SL_OK)
		goto out;
	memset(&c, 0, sizeof(c));
	c.s = s;
	c.a = a;
	c.b = b;
	if (strcmp(b->event, "power-cycle") == 0) {
		c.req = "S1.1-14";
		c.event = "power cycle";
		c.version = F_PERSIST_VERSION;
		c.user = F_PERSIST_USER;
	} else {
		c.req = "S1.1-15";
		c.event = "factory reset";
		c.version = F_RESET_VERSION;
		c.user = F_RESET_USER;
	}
	if ((rc = cmp_version(&c)) != SL_OK || (rc = cmp_users(&c)) != SL_OK)
		goto out;
	if (strcmp(c.req, "S1.1-14") == 0 &&
	    ((rc = cmp_defaults(&c)) != SL_OK || (rc = cmp_ports(&c)) != SL_OK))
		goto out;
	/*
	 * The network evidence is there once the version and at least one
	 * user credential were judged on both sides.
	 */
	if (c.version_ok && c.user_ok)
		Sl_cover(s, c.req, SL_SRC_NETWORK);
	rc = SL_OK;
out:
	free(a);
	free(b);
	return rc;
}
