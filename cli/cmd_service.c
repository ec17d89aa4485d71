/*
 * cmd_service.c - `starlab service URL --openapi FILE [--account
 * USER:PASSWORD]... [--profile FILE] ...`: examine the product's cloud
 * API and write the checklist.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

enum {
	OPT_OPENAPI = OPT_CMD_FIRST + 40,
	OPT_ACCOUNT,
	OPT_MAX_REQUESTS,
	OPT_SVC_RATE,
	OPT_SVC_TIMEOUT,
	OPT_ATTEMPTS,
	OPT_TOKEN_LIFE,
	OPT_SVC_CA,
	OPT_INTRUSIVE,
	OPT_REPLAY,
};

void
help_service(FILE *f)
{
	fprintf(f,
	        "usage: starlab service URL --openapi FILE [--account "
	        "USER:PASSWORD]...\n"
	        "                       [--profile FILE] [--max-requests N] "
	        "[--rate N]\n"
	        "                       [--timeout MS] [--attempts N] "
	        "[--max-token-life S]\n"
	        "                       [--ca-file FILE] [--intrusive] "
	        "[--replay FILE]\n"
	        "                       [--format FMT] [-o DIR]\n\n"
	        "Examine the product's cloud API at URL (http or https), "
	        "described by an\nOpenAPI 3 document (JSON or YAML): protected "
	        "operations answered without a token,\nthe login's bearer "
	        "token (alg none, a guessable HMAC secret, signatures not\n"
	        "checked, expired tokens accepted, no or a long expiry), "
	        "one account's token\nopening another account's resources, "
	        "user enumeration at the login, login\nrate limiting, and "
	        "TLS.  Only GET requests and the login's POST are sent\n"
	        "(--intrusive and --replay add theirs), and only to URL's "
	        "host and\nport.  The rate check runs last and "
	        "stops at the first sign of lockout:\nuse test accounts.\n\n"
	        "  --openapi FILE       the API's OpenAPI 3 document, JSON "
	        "or YAML (required)\n"
	        "  --account U:P        a test account; give two for the "
	        "cross-account check\n"
	        "                       (the profile's credentials with "
	        "service: api count too)\n"
	        "  --profile FILE       the product profile "
	        "(docs/profile.md)\n"
	        "  --max-requests N     requests in all at most (default "
	        "300)\n"
	        "  --rate N             requests per second at most (default "
	        "50)\n"
	        "  --timeout MS         one request (default 5000)\n"
	        "  --attempts N         wrong passwords for the rate check "
	        "(default 20)\n"
	        "  --max-token-life S   seconds a token may live (default "
	        "86400)\n"
	        "  --ca-file FILE       PEM certificates the API's TLS chain "
	        "may lead to\n"
	        "  --intrusive          also the steps that change the "
	        "service: register\n"
	        "                       accounts with weak passwords "
	        "(sl-pw-*, removed when the\n"
	        "                       API allows), bind the second "
	        "account's device to the\n"
	        "                       first by serial (then bind it "
	        "back)\n"
	        "  --replay FILE        a captured request (raw HTTP, from a "
	        "proxy) to send twice\n"
	        "  --quiet, --progress=MODE   as for `starlab device`\n\n"
	        "Without -o the report goes to standard output (text, json, "
	        "md, sarif or\ncyclonedx); with -o DIR every format is "
	        "written there.\n\n"
	        "Exit status: 0 no non-conformant verdict, 1 at least one, 2 "
	        "usage error,\n3 the API could not be examined at all.\n");
}

int
cmd_service(int argc, char **argv)
{
	static const struct option opts[] = {
	    {"output", required_argument, NULL, 'o'},
	    {"format", required_argument, NULL, OPT_FORMAT},
	    {"profile", required_argument, NULL, OPT_PROFILE},
	    {"openapi", required_argument, NULL, OPT_OPENAPI},
	    {"account", required_argument, NULL, OPT_ACCOUNT},
	    {"max-requests", required_argument, NULL, OPT_MAX_REQUESTS},
	    {"rate", required_argument, NULL, OPT_SVC_RATE},
	    {"timeout", required_argument, NULL, OPT_SVC_TIMEOUT},
	    {"attempts", required_argument, NULL, OPT_ATTEMPTS},
	    {"max-token-life", required_argument, NULL, OPT_TOKEN_LIFE},
	    {"ca-file", required_argument, NULL, OPT_SVC_CA},
	    {"intrusive", no_argument, NULL, OPT_INTRUSIVE},
	    {"replay", required_argument, NULL, OPT_REPLAY},
	    {"help", no_argument, NULL, OPT_HELP},
	    CLI_PROGRESS_OPTIONS,
	    {NULL, 0, NULL, 0},
	};
	struct sl_service_opts o;
	struct sl_scan *s;
	enum sl_format fmt = SL_FMT_TEXT;
	const char *out = NULL, *profile = NULL;
	long v;
	int c, status = 0;
	sl_rc rc;

	sl_service_opts_default(&o);
	optind = 1;
	while ((c = cli_getopt("service", argc, argv, "o:", opts)) != -1) {
		if ((v = cli_progress_opt("service", c, optarg)) != 0) {
			if (v < 0)
				return EX_USAGE;
			continue;
		}
		switch (c) {
		case 'o': out = optarg; break;
		case OPT_FORMAT:
			if (cli_report_format("service", optarg, &fmt) != 0)
				return EX_USAGE;
			break;
		case OPT_PROFILE: profile = optarg; break;
		case OPT_OPENAPI: o.openapi = optarg; break;
		case OPT_ACCOUNT:
			if (o.naccounts >= SL_SERVICE_MAX_ACCOUNTS)
				return cli_usage("service",
				                 "at most %d --account",
				                 SL_SERVICE_MAX_ACCOUNTS);
			if (strchr(optarg, ':') == NULL || optarg[0] == ':')
				return cli_usage(
				    "service", "--account wants USER:PASSWORD");
			o.accounts[o.naccounts++] = optarg;
			break;
		case OPT_MAX_REQUESTS:
			if ((v = cli_number("service", "max-requests", optarg,
			                    1, 100000)) < 0)
				return EX_USAGE;
			o.max_requests = (unsigned)v;
			break;
		case OPT_SVC_RATE:
			if ((v = cli_number("service", "rate", optarg, 1,
			                    10000)) < 0)
				return EX_USAGE;
			o.rate = (unsigned)v;
			break;
		case OPT_SVC_TIMEOUT:
			if ((v = cli_number("service", "timeout", optarg, 10,
			                    600000)) < 0)
				return EX_USAGE;
			o.timeout_ms = (unsigned)v;
			break;
		case OPT_ATTEMPTS:
			if ((v = cli_number("service", "attempts", optarg, 1,
			                    1000)) < 0)
				return EX_USAGE;
			o.bf_attempts = (unsigned)v;
			break;
		case OPT_TOKEN_LIFE:
			if ((v = cli_number("service", "max-token-life", optarg,
			                    1, 100L * 365 * 86400)) < 0)
				return EX_USAGE;
			o.max_token_life = (unsigned)v;
			break;
		case OPT_SVC_CA: o.ca_file = optarg; break;
		case OPT_INTRUSIVE: o.intrusive = true; break;
		case OPT_REPLAY: o.replay = optarg; break;
		case OPT_HELP: help_service(stdout); return 0;
		default: return EX_USAGE; /* cli_getopt said why */
		}
	}
	if (argc - optind != 1)
		return cli_usage("service", "expected one URL");
	if (o.openapi == NULL)
		return cli_usage("service", "--openapi FILE is required");
	if (access(o.openapi, R_OK) != 0)
		return cli_usage("service", "%s: %s", o.openapi,
		                 strerror(errno));
	if (o.replay != NULL && access(o.replay, R_OK) != 0)
		return cli_usage("service", "%s: %s", o.replay,
		                 strerror(errno));
	if (o.ca_file != NULL && access(o.ca_file, R_OK) != 0)
		return cli_usage("service", "%s: %s", o.ca_file,
		                 strerror(errno));
	if ((s = sl_scan_new(NULL)) == NULL)
		return cli_err(EX_INPUT, "out of memory");
	if (profile != NULL && sl_scan_load_profile(s, profile) != SL_OK) {
		status = cli_err(EX_INPUT, "%s", sl_scan_error(s));
		sl_scan_free(s);
		return status;
	}
	/* Nothing here can stop cleanly mid-request: exit 4, no report. */
	cli_exit_on_signal();
	cli_progress("examining %s", argv[optind]);
	rc = sl_scan_service(s, argv[optind], &o);
	if (rc != SL_OK) {
		status = cli_err(rc == SL_E_USAGE ? EX_USAGE : EX_INPUT, "%s",
		                 sl_scan_error(s));
		sl_scan_free(s);
		return status;
	}
	status = cli_report(s, out, fmt);
	sl_scan_free(s);
	return status;
}
