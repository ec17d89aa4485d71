/*
 * cmd_snapshot.c - `starlab snapshot HOST --profile FILE [-o FILE]`: record
 * what the device answers now (version, default and user credentials,
 * open ports) before or after a power cycle or a factory reset; `starlab
 * compare` judges two such snapshots (docs/snapshot.md).
 */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

enum {
	OPT_TIMEOUT = OPT_CMD_FIRST,
};

static struct sl_scan *volatile snap_scan;

static void
on_sigint(int sig)
{
	(void)sig;
	if (snap_scan != NULL)
		sl_scan_cancel(snap_scan);
}

void
help_snapshot(FILE *f)
{
	fprintf(f,
	        "usage: starlab snapshot HOST --profile FILE [-o FILE] "
	        "[--timeout MS]\n\n"
	        "Record what the device at HOST answers now, as JSON: the "
	        "installed version\n(read the way the profile's version_probe "
	        "says), whether the profile's\ncredentials and the first "
	        "default credentials log in, and which declared and\ncommon "
	        "TCP ports are open.  Take one before and one after a power "
	        "cycle or a\nfactory reset, then run 'starlab compare'.  "
	        "Passwords are never written.\n\n"
	        "  --profile FILE  the product profile (docs/profile.md): "
	        "credentials, version\n"
	        "                  probe, interfaces\n"
	        "  -o FILE         write the snapshot there (atomically); "
	        "default: standard output\n"
	        "  --timeout MS    one network step (default 1500)\n\n"
	        "Exit status: 0 written (incomplete parts are named on "
	        "standard error),\n2 usage error, 3 nothing could be "
	        "recorded, 4 interrupted (SIGINT, SIGTERM):\nwhat was "
	        "recorded is written, marked incomplete.\n");
}

int
cmd_snapshot(int argc, char **argv)
{
	static const struct option opts[] = {
	    {"output", required_argument, NULL, 'o'},
	    {"profile", required_argument, NULL, OPT_PROFILE},
	    {"timeout", required_argument, NULL, OPT_TIMEOUT},
	    {"help", no_argument, NULL, OPT_HELP},
	    {NULL, 0, NULL, 0},
	};
	struct sl_device_opts o;
	struct sigaction sa, old, old_term;
	struct sl_scan *s;
	const char *out = NULL, *profile = NULL;
	char *json, *end;
	unsigned long v;
	size_t i;
	int c, status = 0;

	sl_device_opts_default(&o);
	optind = 1;
	while ((c = cli_getopt("snapshot", argc, argv, "o:", opts)) != -1) {
		switch (c) {
		case 'o': out = optarg; break;
		case OPT_PROFILE: profile = optarg; break;
		case OPT_TIMEOUT:
			errno = 0;
			v = strtoul(optarg, &end, 10);
			if (errno || *end || v == 0 || v > 600000)
				return cli_usage("snapshot", "bad timeout '%s'",
				                 optarg);
			o.timeout_ms = (unsigned)v;
			break;
		case OPT_HELP: help_snapshot(stdout); return 0;
		default: return EX_USAGE; /* cli_getopt said why */
		}
	}
	if (argc - optind != 1)
		return cli_usage("snapshot", "expected one HOST");
	/*
	 * The profile says how to read the version and which credentials
	 * to try: without it a snapshot records too little to compare, so
	 * it is refused before anything touches the network.
	 */
	if (profile == NULL)
		return cli_usage("snapshot", "--profile FILE is required (the "
		                             "version probe and credentials)");
	if ((s = sl_scan_new(NULL)) == NULL)
		return cli_err(EX_INPUT, "out of memory");
	if (sl_scan_load_profile(s, profile) != SL_OK) {
		status = cli_err(EX_INPUT, "%s", sl_scan_error(s));
		sl_scan_free(s);
		return status;
	}
	snap_scan = s;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_sigint;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, &old);
	sigaction(SIGTERM, &sa, &old_term);
	cli_progress("taking a snapshot of %s", argv[optind]);
	json = sl_snapshot_take(s, argv[optind], &o);
	sigaction(SIGINT, &old, NULL);
	sigaction(SIGTERM, &old_term, NULL);
	snap_scan = NULL;
	if (json == NULL) {
		status = cli_err(EX_INPUT, "%s", sl_scan_error(s));
		sl_scan_free(s);
		return status;
	}
	for (i = 0; i < sl_scan_incomplete_count(s); i++)
		cli_err(0, "snapshot incomplete: %s", sl_scan_incomplete(s, i));
	if (out != NULL) {
		if (sl_write_atomic(out, json, strlen(json)) != SL_OK)
			status = cli_err(EX_INPUT, "%s: cannot write: %s", out,
			                 strerror(errno));
	} else if (fputs(json, stdout) == EOF || fputc('\n', stdout) == EOF) {
		status = cli_err(EX_INPUT, "cannot write the snapshot");
	}
	free(json);
	/* What was recorded is written, but the run did not finish. */
	if (status == 0 && sl_scan_cancelled(s))
		status = cli_err(EX_INTERRUPTED, "cancelled: the snapshot is "
		                                 "incomplete");
	sl_scan_free(s);
	return status;
}
