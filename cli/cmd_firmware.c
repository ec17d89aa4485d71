/*
 * cmd_firmware.c - `starlab firmware IMAGE [-o DIR] [--format ...]`.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"

void
help_firmware(FILE *f)
{
	fprintf(f,
		"usage: starlab firmware IMAGE [-o DIR] [--format FMT] "
		"[--vuln-db DIR]\n"
		"                         [--update-key FILE] [limits]\n\n"
		"Unpack IMAGE, run every firmware check, and decide the STAR-1 "
		"checklist.\nWithout -o the report goes to standard output in "
		"the chosen format: text (the default),\njson, md, sarif or "
		"cyclonedx (an SBOM of the components found).  With -o\nDIR, "
		"every format is written atomically (report.json, report.txt,\n"
		"report.md, report.sarif, sbom.cdx.json) and the paths printed.\n\n"
		"  --vuln-db DIR      also match NVD JSON 2.0 and OSV files in DIR\n"
		"  --update-key FILE  verify the image's update signature with "
		"this public key\n\n"
		"Exit status: 0 no non-conformant verdict, 1 at least one, 2 "
		"usage error,\n3 the image could not be processed at all.\n\n");
	cli_limit_help(f);
}

int
cmd_firmware(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "format", required_argument, NULL, OPT_FORMAT },
		{ "vuln-db", required_argument, NULL, OPT_VULN_DB },
		{ "update-key", required_argument, NULL, OPT_UPDATE_KEY },
		{ "help", no_argument, NULL, OPT_HELP },
		CLI_LIMIT_OPTIONS,
		{ NULL, 0, NULL, 0 },
	};
	struct sl_limits lim;
	struct sl_scan *s;
	enum sl_format fmt = SL_FMT_TEXT;
	const char *out = NULL, *vuln_db = NULL, *update_key = NULL;
	int c, status = 0, r;

	sl_limits_default(&lim);
	optind = 1;
	while ((c = getopt_long(argc, argv, "o:", opts, NULL)) != -1) {
		if ((r = cli_limit_opt("firmware", c, optarg, &lim)) != 0) {
			if (r < 0)
				return EX_USAGE;
			continue;
		}
		switch (c) {
		case 'o':
			out = optarg;
			break;
		case OPT_FORMAT:
			if (cli_report_format("firmware", optarg, &fmt) != 0)
				return EX_USAGE;
			break;
		case OPT_VULN_DB:
			vuln_db = optarg;
			break;
		case OPT_UPDATE_KEY:
			update_key = optarg;
			break;
		case OPT_HELP:
			help_firmware(stdout);
			return 0;
		default:
			return cli_usage("firmware", "bad option");
		}
	}
	if (argc - optind != 1)
		return cli_usage("firmware", "expected one IMAGE");
	s = cli_open_image(argv[optind], &lim, &status);
	if (s == NULL)
		return status;
	if ((vuln_db && sl_scan_set_vuln_db(s, vuln_db) != SL_OK) ||
	    (update_key && sl_scan_set_update_key(s, update_key) != SL_OK)) {
		status = cli_err(EX_USAGE, "%s", sl_scan_error(s));
		sl_scan_free(s);
		return status;
	}
	cli_progress("running firmware checks");
	if (sl_scan_check_firmware(s) != SL_OK || sl_scan_decide(s) != SL_OK) {
		status = cli_err(EX_INPUT, "%s", sl_scan_error(s));
		sl_scan_free(s);
		return status;
	}
	if (out != NULL)
		status = cli_write_reports(s, out);
	else
		status = cli_print_report(s, fmt);
	if (status == 0)
		status = cli_verdict_status(s);
	sl_scan_free(s);
	return status;
}
