/*
 * cmd_app.c - `starlab app FILE.apk [--profile FILE] [--format FMT]
 * [-o DIR]`: examine the product's companion app and write the
 * checklist.
 */
#include <string.h>

#include "cli.h"

void
help_app(FILE *f)
{
	fprintf(f,
	        "usage: starlab app FILE.apk [--profile FILE] [--format FMT] "
	        "[-o DIR]\n"
	        "                   [limit options]\n\n"
	        "Examine the product's Android companion app: unpack it as "
	        "firmware is\nunpacked, read the binary AndroidManifest.xml "
	        "(debuggable,\nusesCleartextTraffic), search classes*.dex "
	        "for trust-all certificate and\nhost name checks, and every "
	        "file for hardcoded secrets and cloud keys and\ncleartext "
	        "endpoints.  An app data archive (a tar of the app's "
	        "directory)\nis read the same way, and its shared_prefs for "
	        "plaintext tokens.\nNothing is sent anywhere.\n\n"
	        "  --profile FILE     the product profile (docs/profile.md)\n");
	cli_limit_help(f);
	fprintf(f,
	        "\nWithout -o the report goes to standard output (text, json, "
	        "md, sarif or\ncyclonedx); with -o DIR every format is "
	        "written there.\n\n"
	        "Exit status: 0 no non-conformant verdict, 1 at least one, 2 "
	        "usage error,\n3 the file could not be read at all.\n");
}

int
cmd_app(int argc, char **argv)
{
	static const struct option opts[] = {
	    {"output", required_argument, NULL, 'o'},
	    {"format", required_argument, NULL, OPT_FORMAT},
	    {"profile", required_argument, NULL, OPT_PROFILE},
	    {"help", no_argument, NULL, OPT_HELP},
	    CLI_LIMIT_OPTIONS,
	    {NULL, 0, NULL, 0},
	};
	struct sl_limits lim;
	struct sl_scan *s;
	enum sl_format fmt = SL_FMT_TEXT;
	const char *out = NULL, *profile = NULL;
	int c, r, status = 0;

	sl_limits_default(&lim);
	optind = 1;
	while ((c = cli_getopt("app", argc, argv, "o:", opts)) != -1) {
		if ((r = cli_limit_opt("app", c, optarg, &lim)) != 0) {
			if (r < 0)
				return EX_USAGE;
			continue;
		}
		switch (c) {
		case 'o': out = optarg; break;
		case OPT_FORMAT:
			if (cli_report_format("app", optarg, &fmt) != 0)
				return EX_USAGE;
			break;
		case OPT_PROFILE: profile = optarg; break;
		case OPT_HELP: help_app(stdout); return 0;
		default: return EX_USAGE; /* cli_getopt said why */
		}
	}
	if (argc - optind != 1)
		return cli_usage("app", "expected one FILE.apk");
	if ((s = sl_scan_new(&lim)) == NULL)
		return cli_err(EX_INPUT, "out of memory");
	if (profile != NULL && sl_scan_load_profile(s, profile) != SL_OK) {
		status = cli_err(EX_INPUT, "%s", sl_scan_error(s));
		goto done;
	}
	cli_exit_on_signal(); /* exit 4, no report */
	cli_progress("examining %s", argv[optind]);
	if (sl_scan_app(s, argv[optind]) != SL_OK) {
		status = cli_err(EX_INPUT, "%s", sl_scan_error(s));
		goto done;
	}
	status = cli_report(s, out, fmt);
done:
	sl_scan_free(s);
	return status;
}
