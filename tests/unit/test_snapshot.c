/*
 * test_snapshot.c - unit tests of the snapshot document (src/net/
 * snapshot.c): the parser's checks and bounds, and sl_snapshot_compare's
 * findings, incomplete reasons and covered evidence for a power cycle and
 * a factory reset, over documents built in memory (the live workflow is
 * tests/e2e/t_snapshot.sh).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/scan.h"
#include "net/snapshot.h"

/* One side's facts. */
struct side {
	const char *event;   /* NULL: no "event" member */
	const char *version; /* NULL: not read */
	const char *user;    /* result of operator@http:443 */
	const char *def;     /* result of the defaults on http:443 */
	const char *acc;     /* the default that logged in, or NULL */
	const char *ports;   /* "22, 443" */
};

static char *
doc(const char *host, const struct side *x)
{
	char *b = malloc(4096);
	char ev[64] = "", ver[128], acc[64] = "null";

	assert_non_null(b);
	if (x->event)
		snprintf(ev, sizeof(ev), "\"event\": \"%s\",", x->event);
	if (x->version)
		snprintf(ver, sizeof(ver),
		         "{\"probe\": {\"kind\": \"http\", "
		         "\"port\": 443, \"path\": \"/status\"}, \"value\": "
		         "\"%s\"}",
		         x->version);
	else
		snprintf(ver, sizeof(ver),
		         "{\"probe\": null, \"value\": null, "
		         "\"error\": \"HTTP 401\"}");
	if (x->acc)
		snprintf(acc, sizeof(acc), "\"%s\"", x->acc);
	snprintf(b, 4096,
	         "{\"format\": \"starlab-snapshot\", \"format_version\": 1,"
	         " %s \"taken_at\": \"2026-01-01T00:00:00Z\", \"host\": \"%s\","
	         " \"ports\": {\"checked\": [22, 80, 443], \"open\": [%s]},"
	         " \"version\": %s,"
	         " \"user_credentials\": [{\"service\": \"http\","
	         "   \"port\": 443,"
	         "   \"user\": \"operator\", \"result\": \"%s\"}],"
	         " \"default_credentials\": [{\"service\": \"http\","
	         "   \"port\": 443, \"result\": \"%s\", \"tried\": 8,"
	         "   \"accepted\": %s}], \"incomplete\": []}",
	         ev, host, x->ports, ver, x->user, x->def, acc);
	return b;
}

/* Build "[{"port": 22}, {"port": 443}]"-style open lists from "22 443". */
static const char *
ports(const char *list)
{
	static char out[8][256];
	static int k;
	char *o = out[k++ & 7], tmp[64], *tok, *save = NULL;
	size_t n = 0;

	snprintf(tmp, sizeof(tmp), "%s", list);
	o[0] = 0;
	for (tok = strtok_r(tmp, " ", &save); tok;
	     tok = strtok_r(NULL, " ", &save))
		n += (size_t)snprintf(o + n, 256 - n, "%s{\"port\": %s}",
		                      n ? ", " : "", tok);
	return o;
}

struct run {
	struct sl_scan *s;
	sl_rc rc;
};

static void
run(struct run *r, const struct side *a, const struct side *b, const char *hb)
{
	char *ja = doc("10.0.0.2", a), *jb = doc(hb ? hb : "10.0.0.2", b);

	r->s = sl_scan_new(NULL);
	assert_non_null(r->s);
	r->rc = sl_snapshot_compare(r->s, ja, jb);
	free(ja);
	free(jb);
}

/* The finding ids, space-separated, in the order added. */
static void
ids(struct sl_scan *s, char *out, size_t n)
{
	size_t i, k = 0;

	out[0] = 0;
	for (i = 0; i < sl_finding_count(s); i++)
		k += (size_t)snprintf(out + k, n - k, "%s%s", k ? " " : "",
		                      sl_finding_get(s, i)->id);
}

static bool
covered(struct sl_scan *s, const char *req)
{
	size_t i, n;
	const struct sl_requirement *r = sl_requirements(&n);

	for (i = 0; i < n; i++)
		if (strcmp(r[i].id, req) == 0)
			return (s->covered[i] & SL_SRC_NETWORK) != 0;
	return false;
}

static bool
incomplete_has(struct sl_scan *s, const char *needle)
{
	size_t i;

	for (i = 0; i < sl_scan_incomplete_count(s); i++)
		if (strstr(sl_scan_incomplete(s, i), needle))
			return true;
	return false;
}

/* ------------------------------------------------------------------ */

static void
same_power_cycle(void **state)
{
	struct side a = {NULL,     "2.4.1", "accepted",
	                 "denied", NULL,    ports("22 443")};
	struct side b = a;
	struct run r;
	char got[256];

	(void)state;
	b.event = "power-cycle";
	run(&r, &a, &b, NULL);
	assert_int_equal(r.rc, SL_OK);
	ids(r.s, got, sizeof(got));
	assert_string_equal(got, "");
	assert_true(covered(r.s, "S1.1-14"));
	assert_false(covered(r.s, "S1.1-15"));
	assert_int_equal(sl_scan_incomplete_count(r.s), 0);
	assert_string_equal(r.s->device, "10.0.0.2");
	sl_scan_free(r.s);
}

static void
power_cycle_lost_everything(void **state)
{
	struct side a = {NULL,     "2.4.1", "accepted",
	                 "denied", NULL,    ports("22 443")};
	struct side b = {"power-cycle", "2.3.0",       "denied",
	                 "accepted",    "admin:admin", ports("22 23 443")};
	const struct sl_finding *f;
	struct run r;
	char got[256];
	size_t i;

	(void)state;
	run(&r, &a, &b, NULL);
	assert_int_equal(r.rc, SL_OK);
	ids(r.s, got, sizeof(got));
	assert_string_equal(got, "NET-PERSIST-VERSION "
	                         "NET-PERSIST-USER-CREDENTIAL "
	                         "NET-PERSIST-DEFAULT-CREDENTIAL "
	                         "NET-PERSIST-PORT-OPENED");
	for (i = 0; i < sl_finding_count(r.s); i++) {
		f = sl_finding_get(r.s, i);
		assert_string_equal(f->requirements[0], "S1.1-14");
		assert_non_null(strstr(f->evidence.excerpt, "before ("));
		assert_non_null(
		    strstr(f->evidence.excerpt, "after the power cycle"));
		assert_string_equal(f->evidence.host, "10.0.0.2");
	}
	f = sl_finding_get(r.s, 0);
	assert_non_null(strstr(f->evidence.excerpt, "version 2.4.1"));
	assert_non_null(strstr(f->evidence.excerpt, "version 2.3.0"));
	f = sl_finding_get(r.s, 2);
	assert_string_equal(f->requirements[1], "S1.1-02");
	assert_int_equal(f->evidence.port, 443);
	/* The default password is masked. */
	assert_null(strstr(f->evidence.excerpt, "admin:admin"));
	f = sl_finding_get(r.s, 3);
	assert_int_equal(f->evidence.port, 23);
	assert_true(covered(r.s, "S1.1-14"));
	sl_scan_free(r.s);
}

static void
power_cycle_port_closed_is_info(void **state)
{
	struct side a = {NULL,     "2.4.1", "accepted",
	                 "denied", NULL,    ports("22 443")};
	struct side b = {"power-cycle", "2.4.1", "accepted",
	                 "denied",      NULL,    ports("443")};
	struct run r;
	char got[256];

	(void)state;
	run(&r, &a, &b, NULL);
	ids(r.s, got, sizeof(got));
	assert_string_equal(got, "NET-PERSIST-PORT-CLOSED");
	assert_int_equal(sl_finding_get(r.s, 0)->severity, SL_SEV_INFO);
	sl_scan_free(r.s);
}

static void
factory_reset(void **state)
{
	struct side a = {NULL,     "2.4.1", "accepted",
	                 "denied", NULL,    ports("22 443")};
	struct side gone = {"factory-reset", "2.4.1",       "denied",
	                    "accepted",      "admin:admin", ports("22 443")};
	struct side kept = {"factory-reset", "2.4.0", "accepted",
	                    "denied",        NULL,    ports("22 443")};
	struct run r;
	char got[256];

	(void)state;
	run(&r, &a, &gone, NULL);
	assert_int_equal(r.rc, SL_OK);
	ids(r.s, got, sizeof(got));
	assert_string_equal(got, ""); /* defaults back is expected */
	assert_true(covered(r.s, "S1.1-15"));
	assert_false(covered(r.s, "S1.1-14"));
	sl_scan_free(r.s);

	run(&r, &a, &kept, NULL);
	ids(r.s, got, sizeof(got));
	assert_string_equal(got, "NET-RESET-VERSION NET-RESET-USER-CREDENTIAL");
	assert_string_equal(sl_finding_get(r.s, 1)->requirements[0], "S1.1-15");
	assert_null(sl_finding_get(r.s, 1)->requirements[1]);
	sl_scan_free(r.s);
}

static void
not_judged(void **state)
{
	struct side a = {NULL, NULL, "denied", "blocked", NULL, ports("443")};
	struct side b = {"power-cycle", "2.4.1", "blocked",
	                 "blocked",     NULL,    ports("443")};
	struct run r;
	char got[256];

	(void)state;
	run(&r, &a, &b, NULL);
	assert_int_equal(r.rc, SL_OK);
	ids(r.s, got, sizeof(got));
	assert_string_equal(got, "");
	assert_false(covered(r.s, "S1.1-14"));
	assert_true(incomplete_has(r.s, "version was not read in the before "
	                                "snapshot (HTTP 401)"));
	assert_true(incomplete_has(r.s, "operator@http port 443 did not log "
	                                "in before the power cycle"));
	assert_true(incomplete_has(r.s, "default credentials on http port "
	                                "443 were not judged"));
	sl_scan_free(r.s);
}

static void
usage_errors(void **state)
{
	struct side a = {NULL, "1", "accepted", "denied", NULL, ""};
	struct side b = a;
	struct run r;

	(void)state;
	run(&r, &a, &b, NULL); /* no event */
	assert_int_equal(r.rc, SL_E_USAGE);
	assert_non_null(strstr(sl_scan_error(r.s), "which event"));
	sl_scan_free(r.s);
	b.event = "power-cycle";
	run(&r, &a, &b, "10.0.0.3");
	assert_int_equal(r.rc, SL_E_USAGE);
	assert_non_null(strstr(sl_scan_error(r.s), "two hosts"));
	sl_scan_free(r.s);
	r.s = sl_scan_new(NULL);
	assert_int_equal(sl_snapshot_compare(r.s, NULL, "{}"), SL_E_USAGE);
	assert_int_equal(sl_snapshot_compare(r.s, "{", "{}"), SL_E_MALFORMED);
	assert_non_null(
	    strstr(sl_scan_error(r.s), "before snapshot: not JSON"));
	sl_scan_free(r.s);
}

/* parse TEXT: 0, or -1 with the reason containing why. */
static void
bad(const char *text, const char *why)
{
	struct Sl_snap *x = malloc(sizeof(*x));
	char err[384];

	assert_non_null(x);
	assert_int_equal(Sl_snap_parse(text, strlen(text), x, err, sizeof(err)),
	                 -1);
	if (strstr(err, why) == NULL)
		fail_msg("'%s': error '%s', expected '%s'", text, err, why);
	free(x);
}

#define HEAD                                                                   \
	"{\"format\": \"starlab-snapshot\", \"format_version\": 1, "           \
	"\"taken_at\": \"t\", \"host\": \"h\""

static void
parser(void **state)
{
	struct side a = {"factory-reset", "2.4.1", "accepted",
	                 "error",         NULL,    ports("22 443 8883")};
	struct Sl_snap *x = malloc(sizeof(*x));
	char err[384], *j = doc("fd00::2", &a), *big;
	size_t i, n;

	(void)state;
	assert_non_null(x);
	assert_int_equal(Sl_snap_parse(j, strlen(j), x, err, sizeof(err)), 0);
	assert_string_equal(x->host, "fd00::2");
	assert_string_equal(x->event, "factory-reset");
	assert_true(x->has_version);
	assert_string_equal(x->version, "2.4.1");
	assert_string_equal(x->version_probe, "http port 443 /status");
	assert_int_equal(x->nopen, 3);
	assert_int_equal(x->open[2], 8883);
	assert_int_equal(x->nchecked, 3);
	assert_int_equal(x->nuser, 1);
	assert_string_equal(x->user[0].user, "operator");
	assert_int_equal(x->user[0].res, SL_SNAP_ACCEPTED);
	assert_int_equal(x->ndef, 1);
	assert_int_equal(x->def[0].res, SL_SNAP_ERROR);
	assert_int_equal(x->def[0].tried, 8);
	free(j);

	bad("", "not JSON");
	bad("[]", "not a JSON object");
	bad("{\"format\": \"x\", \"format_version\": 1}", "not a starlab");
	bad(HEAD ", \"host\": \"again\"}", "not JSON"); /* duplicate key */
	bad(HEAD ", \"event\": \"reboot\"}", "\"event\" is neither");
	bad(HEAD ", \"version\": []}", "\"version\" is not an object");
	bad(HEAD ", \"ports\": {\"open\": [{\"port\": 70000}]}}",
	    "ports.open[0] has no port number");
	bad(HEAD ", \"ports\": {\"open\": 5}}", "\"open\" is not a list");
	bad(HEAD ", \"user_credentials\": [{\"service\": \"ssh\", \"port\": "
	         "22, \"result\": \"accepted\"}]}",
	    "user_credentials[0]: \"user\" is missing");
	bad(HEAD ", \"default_credentials\": [{\"service\": \"ssh\", "
	         "\"port\": 22, \"result\": \"maybe\"}]}",
	    "default_credentials[0]: \"result\" is not one of");
	bad(HEAD ", \"default_credentials\": [7]}",
	    "default_credentials[0] is not an object");
	bad("{\"format\": \"starlab-snapshot\", \"format_version\": 1, "
	    "\"taken_at\": \"t\", \"host\": \"\"}",
	    "\"host\" is empty");

	/* A string longer than its field, a list longer than the bound. */
	big = malloc(SL_SNAP_MAX_JSON + 16);
	assert_non_null(big);
	n = (size_t)snprintf(big, 256, "%s", HEAD ", \"event\": \"");
	memset(big + n, 'a', 40);
	strcpy(big + n + 40, "\"}");
	bad(big, "\"event\" is longer than 15 bytes");
	n = (size_t)snprintf(big, 256, "%s", HEAD ", \"ports\": {\"open\": [");
	for (i = 0; i <= SL_SNAP_MAX_LIST; i++)
		n += (size_t)sprintf(big + n, "%s{\"port\": 1}", i ? "," : "");
	strcpy(big + n, "]}}");
	bad(big, "\"open\" has more than 256 entries");
	memset(big, ' ', SL_SNAP_MAX_JSON + 1);
	big[SL_SNAP_MAX_JSON + 1] = 0;
	assert_int_equal(
	    Sl_snap_parse(big, SL_SNAP_MAX_JSON + 1, x, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "larger than"));
	free(big);
	free(x);
}

static void
result_names(void **state)
{
	(void)state;
	assert_string_equal(Sl_snap_res_name(SL_SNAP_BLOCKED), "blocked");
	assert_int_equal(Sl_snap_res_parse("denied"), SL_SNAP_DENIED);
	assert_int_equal(Sl_snap_res_parse("none"), SL_SNAP_NONE);
	assert_int_equal(Sl_snap_res_parse(""), SL_SNAP_NONE);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(same_power_cycle),
	    cmocka_unit_test(power_cycle_lost_everything),
	    cmocka_unit_test(power_cycle_port_closed_is_info),
	    cmocka_unit_test(factory_reset),
	    cmocka_unit_test(not_judged),
	    cmocka_unit_test(usage_errors),
	    cmocka_unit_test(parser),
	    cmocka_unit_test(result_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
