/*
 * main.c - the starlab program: dispatch to one file per command.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

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

	fprintf(stderr, "starlab %s: ", cmd);
	va_start(ap, fmt);
	vprint_safe(fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nTry 'starlab %s --help'.\n", cmd);
	return EX_USAGE;
}

void
cli_progress(const char *fmt, ...)
{
	va_list ap;

	if (!isatty(STDERR_FILENO))
		return;
	va_start(ap, fmt);
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
	           "       starlab --version | --help\n\n"
	           "Assess an IoT product against JC-STAR STAR-1.\n\n"
	           "commands:\n");
	for (c = cli_cmds; c->name; c++)
		fprintf(f, "  %-14s %s\n", c->name, c->summary);
	fprintf(f, "\nRun 'starlab <command> --help' for a command's "
	           "options.\n"
	           "Exit status: 0 no non-conformant verdict, 1 at least one "
	           "non-conformant\nverdict, 2 usage error, 3 input could not "
	           "be processed, 4 interrupted by a\nsignal before the run "
	           "finished.\n");
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
	if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "-V") == 0) {
		printf("starlab %s\n", sl_version());
		return 0;
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
