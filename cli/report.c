/*
 * report.c - what every assessing command does with a finished scan:
 * print the report in one format, or write every format to a directory.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"

int
cli_report_format(const char *cmd, const char *arg, enum sl_format *fmt)
{
	static const struct {
		const char *name;
		enum sl_format fmt;
	} f[] = {
		{ "text", SL_FMT_TEXT },   { "json", SL_FMT_JSON },
		{ "md", SL_FMT_MD },	   { "sarif", SL_FMT_SARIF },
		{ "cyclonedx", SL_FMT_CYCLONEDX },
	};
	size_t i;

	for (i = 0; i < sizeof(f) / sizeof(f[0]); i++)
		if (strcmp(arg, f[i].name) == 0) {
			*fmt = f[i].fmt;
			return 0;
		}
	return cli_usage(cmd,
			 "unknown format '%s' (text, json, md, sarif, cyclonedx)",
			 arg);
}

int
cli_verdict_status(struct sl_scan *s)
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

int
cli_write_reports(struct sl_scan *s, const char *dir)
{
	static const struct {
		const char *name;
		enum sl_format fmt;
	} outs[] = {
		{ "report.json", SL_FMT_JSON },
		{ "report.txt", SL_FMT_TEXT },
		{ "report.md", SL_FMT_MD },
		{ "report.sarif", SL_FMT_SARIF },
		{ "sbom.cdx.json", SL_FMT_CYCLONEDX },
	};
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
cli_print_report(struct sl_scan *s, enum sl_format fmt)
{
	char *text = sl_report_string(s, fmt, 0);

	if (text == NULL)
		return cli_err(EX_INPUT, "%s", sl_scan_error(s));
	if (fmt == SL_FMT_TEXT)
		print_text(text);
	else
		printf("%s\n", text);
	free(text);
	return 0;
}
