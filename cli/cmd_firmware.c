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
		"usage: starlab firmware IMAGE [-o DIR] [--format text|json] "
		"[limits]\n\n"
		"Unpack IMAGE, run every firmware check, and decide the STAR-1 "
		"checklist.\nWithout -o the report goes to standard output in "
		"the chosen format (text by\ndefault).  With -o DIR, "
		"DIR/report.json and DIR/report.txt are written\natomically "
		"and their paths printed.\n\n"
		"Exit status: 0 no non-conformant verdict, 1 at least one, 2 "
		"usage error,\n3 the image could not be processed at all.\n\n");
	cli_limit_help(f);
}

static int
verdict_status(struct sl_scan *s)
{
	size_t i, n = sl_checklist_count(s);

	for (i = 0; i < n; i++)
		if (sl_checklist_get(s, i)->verdict == SL_V_NON_CONFORMANT)
			return EX_NONCONF;
	return EX_CONFORMANT;
}

/*
 * Print the text checklist, colouring verdicts when standard output is a
 * terminal and NO_COLOR (https://no-color.org) is unset.
 */
static void
print_text(const char *text)
{
	static const struct {
		const char *word, *colour;
	} v[] = {
		{ " non-conformant ", "\033[1;31m" },
		{ " needs-evidence ", "\033[33m" },
		{ " conformant ", "\033[32m" },
		{ " not-applicable ", "\033[2m" },
	};
	const char *nc = getenv("NO_COLOR");
	bool colour = isatty(STDOUT_FILENO) && (nc == NULL || *nc == 0);
	const char *p = text;
	size_t i;

	while (colour && *p) {
		const char *eol = strchr(p, '\n');
		size_t len = eol ? (size_t)(eol - p) + 1 : strlen(p);

		for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
			const char *hit = strstr(p, v[i].word);

			if (hit != NULL && hit < p + len && p[0] == 'S') {
				size_t wl = strlen(v[i].word) - 2;

				fwrite(p, 1, (size_t)(hit - p) + 1, stdout);
				printf("%s%.*s\033[0m", v[i].colour, (int)wl,
				       hit + 1);
				fwrite(hit + 1 + wl, 1,
				       len - (size_t)(hit + 1 + wl - p), stdout);
				break;
			}
		}
		if (i == sizeof(v) / sizeof(v[0]))
			fwrite(p, 1, len, stdout);
		p += len;
	}
	if (!colour)
		fputs(text, stdout);
}

static int
write_reports(struct sl_scan *s, const char *dir)
{
	static const struct {
		const char *name;
		enum sl_format fmt;
	} outs[] = { { "report.json", SL_FMT_JSON },
		     { "report.txt", SL_FMT_TEXT } };
	size_t i;

	if (mkdir(dir, 0755) != 0 && errno != EEXIST)
		return cli_err(EX_INPUT, "%s: cannot create: %s", dir,
			       strerror(errno));
	for (i = 0; i < sizeof(outs) / sizeof(outs[0]); i++) {
		char path[4096];

		snprintf(path, sizeof(path), "%s/%s", dir, outs[i].name);
		if (sl_report_write(s, outs[i].fmt, path, 0) != SL_OK)
			return cli_err(EX_INPUT, "%s", sl_scan_error(s));
		printf("%s\n", path);
	}
	return 0;
}

int
cmd_firmware(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "format", required_argument, NULL, OPT_FORMAT },
		{ "help", no_argument, NULL, OPT_HELP },
		CLI_LIMIT_OPTIONS,
		{ NULL, 0, NULL, 0 },
	};
	struct sl_limits lim;
	struct sl_scan *s;
	enum sl_format fmt = SL_FMT_TEXT;
	const char *out = NULL;
	bool json = false;
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
			if (cli_format("firmware", optarg, &json) != 0)
				return EX_USAGE;
			fmt = json ? SL_FMT_JSON : SL_FMT_TEXT;
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
	cli_progress("running firmware checks");
	if (sl_scan_check_firmware(s) != SL_OK || sl_scan_decide(s) != SL_OK) {
		status = cli_err(EX_INPUT, "%s", sl_scan_error(s));
		sl_scan_free(s);
		return status;
	}
	if (out != NULL) {
		status = write_reports(s, out);
	} else {
		char *text = sl_report_string(s, fmt, 0);

		if (text == NULL) {
			status = cli_err(EX_INPUT, "out of memory");
		} else {
			if (fmt == SL_FMT_JSON)
				printf("%s\n", text);
			else
				print_text(text);
			free(text);
		}
	}
	if (status == 0)
		status = verdict_status(s);
	sl_scan_free(s);
	return status;
}
