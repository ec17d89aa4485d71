/*
 * main.c - the starlab program: dispatch to one file per command.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "cli.h"

const struct cli_cmd cli_cmds[] = {
    {"requirements", "print the STAR-1 requirement catalogue", cmd_requirements,
     help_requirements},
    {"ls", "list every file in every nested container of an image", cmd_ls,
     help_ls},
    {"unpack", "write an image's virtual tree to a directory", cmd_unpack,
     help_unpack},
    {"firmware", "assess a firmware image and write the checklist",
     cmd_firmware, help_firmware},
    {"device", "examine a live device and write the checklist", cmd_device,
     help_device},
    {"snapshot", "record a device's state around a power cycle or reset",
     cmd_snapshot, help_snapshot},
    {"compare", "judge two snapshots (power cycle, factory reset)", cmd_compare,
     help_compare},
    {"assess",
     "assess one product: images, devices, profile, one "
     "checklist",
     cmd_assess, help_assess},
    {"diff", "retest: compare two reports, fixed / still open / new", cmd_diff,
     help_diff},
    {"label", "the label application data, or why it is refused", cmd_label,
     help_label},
    {"batch", "assess the products of a manifest, locally or on Slurm",
     cmd_batch, help_batch},
    {"service", "examine the product's cloud API and write the checklist",
     cmd_service, help_service},
    {"app", "examine the product's companion app and write the checklist",
     cmd_app, help_app},
    {NULL, NULL, NULL, NULL},
};

/*
 * Messages name files, hosts and entries from the command line, the image
 * or the device: the whole message is made printable (control characters
 * and bytes that are not UTF-8 as \xNN) before it reaches the terminal.
 */
static void
vprint_safe(const char *fmt, va_list ap)
{
	char msg[2048], *p;

	vsnprintf(msg, sizeof(msg), fmt, ap);
	p = sl_printable(msg);
	fputs(p != NULL ? p : "(message lost: out of memory)", stderr);
	free(p);
}

int
cli_err(int status, const char *fmt, ...)
{
	va_list ap;

	cli_progress_clear();
	fputs("starlab: ", stderr);
	va_start(ap, fmt);
	vprint_safe(fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return status;
}

int
cli_usage(const char *cmd, const char *fmt, ...)
{
	va_list ap;

	cli_progress_clear();
	fprintf(stderr, "starlab %s: ", cmd);
	va_start(ap, fmt);
	vprint_safe(fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nTry 'starlab %s --help'.\n", cmd);
	return EX_USAGE;
}

/*
 * A step of the run, on a terminal (above the live line), or as a JSON
 * line {"message": ...} with --progress=json; nothing with --quiet or
 * when stderr is not a terminal.
 */
void
cli_progress(const char *fmt, ...)
{
	va_list ap;
	char msg[2048];
	json_t *o;
	char *s, *p;

	if (cli_progress_quiet())
		return;
	va_start(ap, fmt);
	if (cli_progress_json()) {
		vsnprintf(msg, sizeof(msg), fmt, ap);
		va_end(ap);
		/* Printable is valid UTF-8, as JSON wants. */
		p = sl_printable(msg);
		o = json_pack("{s:s}", "message", p ? p : "");
		s = o ? json_dumps(o, JSON_COMPACT | JSON_ENSURE_ASCII) : NULL;
		if (s != NULL)
			fprintf(stderr, "%s\n", s);
		free(s);
		free(p);
		json_decref(o);
		return;
	}
	cli_progress_clear();
	fputs("starlab: ", stderr);
	vprint_safe(fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
}

static void
usage(FILE *f)
{
	const struct cli_cmd *c;

	fprintf(f, "usage: starlab <command> [options] [args]\n"
	           "       starlab help <command> | --version | --help\n\n"
	           "Assess an IoT product against JC-STAR STAR-1.\n\n"
	           "commands:\n");
	for (c = cli_cmds; c->name; c++)
		fprintf(f, "  %-14s %s\n", c->name, c->summary);
	fprintf(f, "\nRun 'starlab <command> --help' (or -h, or 'starlab help "
	           "<command>') for\na command's options.\n"
	           "Exit status: 0 no non-conformant verdict, 1 at least one "
	           "non-conformant\nverdict, 2 usage error, 3 input could not "
	           "be processed, 4 interrupted by a\nsignal before the run "
	           "finished.\n");
}

/*
 * The program's version and the data it carries: what a report was
 * judged against (the CVE set by its newest NVD modification date).
 */
static int
version(void)
{
	struct sl_data_info d;
	size_t nkinds;

	sl_data_versions(&d);
	(void)sl_finding_kinds(&nkinds);
	printf("starlab %s\n"
	       "vulnerabilities: bundled CVE set of %s (%zu CVEs, %zu version "
	       "ranges)\n"
	       "default passwords: %zu\n"
	       "requirements: JC-STAR STAR-1, %zu\n"
	       "finding kinds in tables: %zu\n",
	       sl_version(), d.vulns_date[0] ? d.vulns_date : "(no date)",
	       d.vulns_cves, d.vulns_ranges, d.passwords, d.requirements,
	       nkinds);
	return 0;
}

/*
 * With TZ unset (the normal case on servers and in containers), glibc's
 * tzset() stats /etc/localtime again on every strftime(), mktime() and
 * localtime() call, under a lock every thread shares; libarchive calls
 * mktime() per zip entry.  Pin the zone once, to the same file glibc would
 * read, so each later call sees an unchanged TZ and returns at once.
 * starlab prints only UTC, so nothing it shows depends on the zone.
 */
static void
pin_time_zone(void)
{
	if (getenv("TZ") == NULL)
		(void)setenv("TZ", ":/etc/localtime", 0);
	tzset();
}

int
main(int argc, char **argv)
{
	const struct cli_cmd *c;

	pin_time_zone();
	if (argc < 2) {
		usage(stderr);
		return EX_USAGE;
	}
	if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "-V") == 0)
		return version();
	if (strcmp(argv[1], "help") == 0 && argc > 2) {
		if (argc > 3)
			return cli_usage("help", "want one command");
		if (cli_help(argv[2], stdout))
			return 0;
		cli_err(0, "help: unknown command '%s'", argv[2]);
		usage(stderr);
		return EX_USAGE;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "help") == 0) {
		usage(stdout);
		return 0;
	}
	for (c = cli_cmds; c->name; c++)
		if (strcmp(argv[1], c->name) == 0)
			return c->run(argc - 1, argv + 1);
	cli_err(0, "unknown command '%s'", argv[1]);
	usage(stderr);
	return EX_USAGE;
}
