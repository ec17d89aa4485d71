/*
 * cmd_label.c - `starlab label --profile P --report report.json
 * [--issued DATE] [--state STATE] [--as-of DATE] [--expires DATE]`: the
 * label application data of the scheme's product page (product name,
 * model, manufacturer, the STAR level, the assessment date, the validity
 * end, the support period), the label's state with the rule that put it
 * there, or a refusal naming the requirements that stand in the way.
 *
 * The rules are the IPA's (STAR-1 requirements, 1.1 "What is a
 * conformance label?", Table 2 and the validity period):
 *   - a label is granted only on a checklist whose sixteen verdicts are
 *     all conformant or not applicable;
 *   - it is valid for two years from issue at most (a shorter period may
 *     be asked for: --expires);
 *   - active: within the validity period, no withdrawal or revocation;
 *   - extension in progress: the period ended, an extension application
 *     is being processed;
 *   - expired: the period ended and was not extended;
 *   - withdrawn: withdrawn at the vendor's request during the period;
 *   - revoked: revoked by IPA during the period (grounds for revocation
 *     not corrected in time).
 * --state says which event happened (the application for extension, a
 * withdrawal, a revocation); the dates decide the rest.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "report_load.h"

enum {
	OPT_REPORT = OPT_CMD_FIRST + 60,
	OPT_ISSUED,
	OPT_STATE,
	OPT_AS_OF,
	OPT_EXPIRES,
};

void
help_label(FILE *f)
{
	fprintf(f,
	        "usage: starlab label --profile FILE --report REPORT "
	        "[--issued DATE]\n"
	        "                     [--expires DATE] [--state STATE] "
	        "[--as-of DATE] [--format text|json]\n\n"
	        "The label application data for the product the profile "
	        "names, from the\nchecklist of REPORT (report.json or its "
	        "directory), or a refusal naming\nthe requirements that are "
	        "not conformant or not applicable.  Dates are\nYYYY-MM-DD "
	        "(UTC); --issued and --as-of default to today.  The validity "
	        "ends\ntwo years after issue at the latest (--expires: "
	        "earlier).  The support\nperiod is the profile's "
	        "product.support_until.\n\n"
	        "  --state STATE   what happened to the label: active "
	        "(nothing), extension\n"
	        "                  (an extension application is in "
	        "process), withdrawn (by\n"
	        "                  the vendor), revoked (by IPA), expired\n\n"
	        "Exit status: 0 granted, 1 refused, 2 usage error (also a "
	        "state the dates\nforbid), 3 the report or the profile could "
	        "not be read.\n");
}

/* Parse YYYY-MM-DD into days since the epoch; false if not a date. */
static bool
parse_date(const char *s, long *days)
{
	struct tm tm;
	char back[11];
	time_t t;

	memset(&tm, 0, sizeof(tm));
	if (strlen(s) != 10 || strptime(s, "%Y-%m-%d", &tm) == NULL)
		return false;
	t = timegm(&tm);
	/* Reject 2026-02-30, which timegm would roll over. */
	strftime(back, sizeof(back), "%Y-%m-%d", gmtime(&t));
	if (strcmp(back, s) != 0)
		return false;
	*days = (long)(t / 86400);
	return true;
}

static void
fmt_date(long days, char out[11])
{
	time_t t = (time_t)days * 86400;
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(out, 11, "%Y-%m-%d", &tm);
}

/* The last day of a two-year validity from issued (the day before). */
static long
two_years(long issued)
{
	time_t t = (time_t)issued * 86400;
	struct tm tm;

	gmtime_r(&t, &tm);
	tm.tm_year += 2;
	/* 29 February + 2 years is 1 March; the day before is 28 Feb. */
	return (long)(timegm(&tm) / 86400) - 1;
}

struct state_out {
	const char *state, *rule;
};

/*
 * The state on day as_of of a label valid from issued to expires (both
 * inclusive) after event.  NULL rule on a state the dates forbid, with
 * the reason in st->state.
 */
static bool
decide_state(const char *event, long as_of, long expires, const char *exp,
             struct state_out *st, char *rule, size_t size)
{
	bool within = as_of <= expires;

	if (event == NULL || strcmp(event, "active") == 0) {
		if (within) {
			st->state = "active";
			snprintf(rule, size,
			         "within the validity period (until %s) and "
			         "no grounds for withdrawal or revocation",
			         exp);
		} else if (event != NULL) {
			snprintf(rule, size,
			         "cannot be active: the validity period "
			         "ended on %s (apply for an extension: "
			         "--state extension)",
			         exp);
			return false;
		} else {
			st->state = "expired";
			snprintf(rule, size,
			         "the validity period ended on %s and no "
			         "extension was applied for",
			         exp);
		}
	} else if (strcmp(event, "extension") == 0) {
		if (within) {
			st->state = "active";
			snprintf(rule, size,
			         "within the validity period (until %s); the "
			         "extension application changes nothing "
			         "before it ends",
			         exp);
		} else {
			st->state = "extension in progress";
			snprintf(rule, size,
			         "the validity period ended on %s and the "
			         "application for its extension is in process",
			         exp);
		}
	} else if (strcmp(event, "expired") == 0) {
		if (within) {
			snprintf(rule, size,
			         "cannot be expired: valid until %s", exp);
			return false;
		}
		st->state = "expired";
		snprintf(rule, size,
		         "the validity period ended on %s and was not "
		         "extended",
		         exp);
	} else {
		bool w = strcmp(event, "withdrawn") == 0;

		if (!within) {
			snprintf(rule, size,
			         "a label is %s only during its validity "
			         "period, which ended on %s: it is expired",
			         w ? "withdrawn" : "revoked", exp);
			return false;
		}
		st->state = w ? "withdrawn" : "revoked";
		snprintf(rule, size, "%s",
		         w ? "withdrawn at the vendor's request during the "
		             "validity period"
		           : "revoked by IPA during the validity period: "
		             "grounds for revocation were not corrected "
		             "within the period set");
	}
	st->rule = rule;
	return true;
}

int
cmd_label(int argc, char **argv)
{
	static const struct option opts[] = {
	    {"profile", required_argument, NULL, OPT_PROFILE},
	    {"report", required_argument, NULL, OPT_REPORT},
	    {"issued", required_argument, NULL, OPT_ISSUED},
	    {"state", required_argument, NULL, OPT_STATE},
	    {"as-of", required_argument, NULL, OPT_AS_OF},
	    {"expires", required_argument, NULL, OPT_EXPIRES},
	    {"format", required_argument, NULL, OPT_FORMAT},
	    {"help", no_argument, NULL, OPT_HELP},
	    {NULL, 0, NULL, 0},
	};
	static const char *const events[] = {"active", "extension", "expired",
	                                     "withdrawn", "revoked"};
	const char *profile = NULL, *report = NULL, *issued_s = NULL,
	           *as_of_s = NULL, *expires_s = NULL, *event = NULL;
	const char *model, *rmodel, *support;
	char rpath[4096], iss[11], exp[11], asof[11], rule[512];
	long today = (long)(time(NULL) / 86400), issued, as_of, expires, max;
	bool json = false;
	struct sl_scan *s = NULL;
	struct state_out st = {NULL, NULL};
	json_t *root = NULL, *refuse, *o, *ver, *subj;
	size_t i;
	int c, status = EX_INPUT;

	optind = 1;
	while ((c = cli_getopt("label", argc, argv, "", opts)) != -1) {
		switch (c) {
		case OPT_PROFILE: profile = optarg; break;
		case OPT_REPORT: report = optarg; break;
		case OPT_ISSUED: issued_s = optarg; break;
		case OPT_AS_OF: as_of_s = optarg; break;
		case OPT_EXPIRES: expires_s = optarg; break;
		case OPT_STATE:
			for (i = 0; i < 5; i++)
				if (strcmp(optarg, events[i]) == 0)
					break;
			if (i == 5)
				return cli_usage("label",
				                 "unknown state '%s' "
				                 "(active, extension, expired, "
				                 "withdrawn, revoked)",
				                 optarg);
			event = optarg;
			break;
		case OPT_FORMAT:
			if (cli_format("label", optarg, &json) != 0)
				return EX_USAGE;
			break;
		case OPT_HELP: help_label(stdout); return 0;
		default: return EX_USAGE; /* cli_getopt said why */
		}
	}
	if (optind != argc || profile == NULL || report == NULL)
		return cli_usage("label", "expected --profile FILE and "
		                          "--report REPORT");
	issued = as_of = today;
	if ((issued_s && !parse_date(issued_s, &issued)) ||
	    (as_of_s && !parse_date(as_of_s, &as_of)) ||
	    (expires_s && !parse_date(expires_s, &expires)))
		return cli_usage(
		    "label", "dates are YYYY-MM-DD: '%s'",
		    issued_s && !parse_date(issued_s, &issued) ? issued_s
		    : as_of_s && !parse_date(as_of_s, &as_of)  ? as_of_s
		                                               : expires_s);
	max = two_years(issued);
	if (expires_s == NULL)
		expires = max;
	fmt_date(issued, iss);
	fmt_date(expires, exp);
	fmt_date(as_of, asof);
	if (expires > max) {
		fmt_date(max, rule);
		return cli_usage("label",
		                 "--expires %s: a STAR-1 label is "
		                 "valid for two years at most (until %s)",
		                 exp, rule);
	}
	if (expires < issued)
		return cli_usage("label", "--expires %s is before --issued %s",
		                 exp, iss);
	if (as_of < issued)
		return cli_usage("label", "--as-of %s is before --issued %s",
		                 asof, iss);
	if ((s = sl_scan_new(NULL)) == NULL)
		return cli_err(EX_INPUT, "out of memory");
	if (sl_scan_load_profile(s, profile) != SL_OK) {
		status = cli_err(EX_INPUT, "%s", sl_scan_error(s));
		goto done;
	}
	if ((root = cli_report_load("label", report, rpath, sizeof(rpath))) ==
	    NULL)
		goto done;
	/* Why the label cannot be granted: every reason, not the first. */
	refuse = json_array();
	json_array_foreach(json_object_get(root, "checklist"), i, o)
	{
		const char *v = cli_json_str(o, "verdict");

		if (strcmp(v, "conformant") && strcmp(v, "not-applicable"))
			json_array_append_new(
			    refuse,
			    json_sprintf("%s %s: %s", cli_json_str(o, "id"), v,
			                 cli_json_str(o, "title")));
	}
	model = sl_profile_get(s, "model");
	subj = json_object_get(json_object_get(root, "subject"), "profile");
	rmodel = json_string_value(json_object_get(subj, "model"));
	if (rmodel == NULL || strcmp(rmodel, model) != 0)
		json_array_append_new(
		    refuse, json_sprintf("the report is about model %s, the "
		                         "profile names %s",
		                         rmodel ? rmodel : "(none)", model));
	if (!json_is_true(
	        json_object_get(json_object_get(root, "summary"), "complete")))
		json_array_append_new(refuse,
		                      json_string("the report is incomplete "
		                                  "(see its incomplete list)"));
	support = sl_profile_get(s, "support_until");
	if (support == NULL)
		json_array_append_new(
		    refuse, json_string("profile: product.support_until (the "
		                        "end of the support period) is "
		                        "missing"));
	if (json_array_size(refuse) == 0 &&
	    !decide_state(event, as_of, expires, exp, &st, rule,
	                  sizeof(rule))) {
		status = cli_usage("label", "--state %s on %s: %s",
		                   event ? event : "active", asof, rule);
		json_decref(refuse);
		goto done;
	}
	ver = json_pack(
	    "{s:s, s:s, s:s, s:s, s:s, s:s, s:s?, s:s, s:s, s:s, s:s?}",
	    "product_name",
	    sl_profile_get(s, "name") ? sl_profile_get(s, "name") : model,
	    "model", model, "manufacturer", sl_profile_get(s, "vendor"),
	    "level", "STAR-1", "conformance_criteria",
	    "JC-STAR STAR-1 conformance requirements, version 1.1",
	    "assessment_date", cli_json_str(root, "generated_at"),
	    "firmware_version", sl_profile_get(s, "version"), "report", rpath,
	    "issued", iss, "valid_until", exp, "support_until", support);
	json_object_set_new(ver, "granted",
	                    json_boolean(json_array_size(refuse) == 0));
	if (json_array_size(refuse) == 0) {
		json_object_set_new(ver, "state", json_string(st.state));
		json_object_set_new(ver, "state_rule", json_string(st.rule));
		json_object_set_new(ver, "as_of", json_string(asof));
		json_decref(refuse);
		status = EX_CONFORMANT;
	} else {
		json_object_set_new(ver, "refused_because", refuse);
		status = EX_NONCONF;
	}
	if (json) {
		char *t = json_dumps(ver, JSON_INDENT(2) | JSON_PRESERVE_ORDER);

		if (t)
			printf("%s\n", t);
		free(t);
	} else {
		const char *k;
		json_t *v;

		printf("STAR-1 label application: %s\n",
		       status == 0 ? "GRANTED" : "REFUSED");
		json_object_foreach(ver, k, v)
		{
			if (json_is_string(v))
				printf("  %-22s %s\n", k, json_string_value(v));
			else if (json_is_array(v)) {
				printf("  %s:\n", k);
				json_array_foreach(v, i, o)
				    printf("    - %s\n", json_string_value(o));
			}
		}
	}
	json_decref(ver);
done:
	json_decref(root);
	sl_scan_free(s);
	return status;
}
