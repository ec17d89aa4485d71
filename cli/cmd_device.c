/*
 * cmd_device.c - `starlab device HOST [--profile FILE] [--format FMT]
 * [-o DIR] ...`: examine one live device and write the checklist.
 *
 * Ctrl-C (SIGINT) or SIGTERM asks the scan to stop: what was found so far
 * is still reported, marked incomplete.  A second signal exits at once.
 */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "cli.h"

static struct sl_scan *volatile dev_scan;
static volatile sig_atomic_t dev_signals;

static void
on_signal(int sig)
{
	static const char msg[] = "\nstarlab: stopping; the report will be "
	                          "marked incomplete (again to quit now)\n";

	if (dev_signals++ > 0)
		_exit(128 + sig);
	if (write(STDERR_FILENO, msg, sizeof(msg) - 1) < 0) {
		/* Nothing to be done about it in a signal handler. */
	}
	if (dev_scan != NULL)
		sl_scan_cancel(dev_scan);
}

void
help_device(FILE *f)
{
	fprintf(
	    f, "usage: starlab device HOST [--profile FILE] [--format FMT] "
	       "[-o DIR]\n"
	       "                       [--ports LIST] [--no-udp] [--rate N] "
	       "[--timeout MS]\n"
	       "                       [--concurrency N] [--intrusive] "
	       "[--creds FILE]\n"
	       "                       [--max-logins N] [--bf-attempts N] "
	       "[--ca-file FILE]\n"
	       "                       [--quiet | --progress=MODE]\n\n"
	       "Examine the device at HOST (a name, an IPv4 or an IPv6 "
	       "address): scan its TCP\nports and the common IoT UDP "
	       "services, identify each service, run every\ndevice check, "
	       "and decide the STAR-1 checklist.  Only the addresses HOST\n"
	       "resolves to are contacted.  Without -o the report goes to "
	       "standard output in\nthe chosen format: text (the default), "
	       "json, md, sarif or cyclonedx.  With\n-o DIR, every format is "
	       "written (report.json, report.txt, report.md,\nreport.sarif, "
	       "sbom.cdx.json) and the paths printed.\n\n"
	       "  --profile FILE     the product profile (docs/profile.md): "
	       "declared interfaces,\n"
	       "                     model and version, a known-good "
	       "credential\n"
	       "  --ports LIST       TCP ports to scan, \"1-65535\" "
	       "(default), \"22,80,8000-8100\"\n"
	       "  --no-udp           skip the UDP probes\n"
	       "  --rate N           new connections per second at most "
	       "(default 20000)\n"
	       "  --timeout MS       one network step: connect, read "
	       "(default 1500)\n"
	       "  --concurrency N    connections in flight at most "
	       "(default: adaptive, 16..4096)\n"
	       "  --intrusive        allow steps that may change the "
	       "device's state (lockout\n"
	       "                     tests against real accounts)\n"
	       "  --creds FILE       extra user:password lines for the "
	       "default-credential check\n"
	       "  --max-logins N     default-credential attempts per "
	       "service (default 64)\n"
	       "  --bf-attempts N    wrong passwords per login service for the "
	       "brute-force\n"
	       "                     check (default 20, 0 skips it: S1.1-04 "
	       "not judged)\n"
	       "  --ca-file FILE     PEM certificates the device's TLS "
	       "chain may lead to (a\n"
	       "                     private CA), besides the system's\n"
	       "  --quiet            no progress line\n"
	       "  --progress=MODE    auto (a live line when stderr is a "
	       "terminal, the default),\n"
	       "                     tty, none, or json: one JSON object per "
	       "line on stderr\n"
	       "                     (stage, done, total) for a dashboard\n\n"
	       "Ctrl-C stops the scan; the report of what was found is "
	       "still written, marked\nincomplete.  A second Ctrl-C quits "
	       "at once.\n\n"
	       "Exit status: 0 no non-conformant verdict, 1 at least one, 2 "
	       "usage error,\n3 the device could not be examined at all "
	       "(the host does not resolve), 4 interrupted\n(SIGINT, "
	       "SIGTERM): the report written is marked incomplete.\n");
}

/* Room for the port scan's descriptors: the soft limit up to the hard. */
static void
raise_nofile(void)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max > 8192 ? 8192 : rl.rlim_max;
		(void)setrlimit(RLIMIT_NOFILE, &rl);
	}
}

static void
catch_signals(bool on)
{
	static struct sigaction old_int, old_term;
	struct sigaction sa;

	if (!on) {
		sigaction(SIGINT, &old_int, NULL);
		sigaction(SIGTERM, &old_term, NULL);
		return;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, &old_int);
	sigaction(SIGTERM, &sa, &old_term);
}

int
cmd_device(int argc, char **argv)
{
	static const struct option opts[] = {
	    {"output", required_argument, NULL, 'o'},
	    {"format", required_argument, NULL, OPT_FORMAT},
	    {"profile", required_argument, NULL, OPT_PROFILE},
	    CLI_DEVICE_OPTIONS,
	    CLI_PROGRESS_OPTIONS,
	    {"help", no_argument, NULL, OPT_HELP},
	    {NULL, 0, NULL, 0},
	};
	struct sl_device_opts o;
	struct sl_scan *s;
	enum sl_format fmt = SL_FMT_TEXT;
	const char *out = NULL, *profile = NULL, *host;
	int c, r, status = 0;
	sl_rc rc;

	sl_device_opts_default(&o);
	optind = 1;
	while ((c = cli_getopt("device", argc, argv, "o:", opts)) != -1) {
		if ((r = cli_device_opt("device", c, optarg, &o)) != 0 ||
		    (r = cli_progress_opt("device", c, optarg)) != 0) {
			if (r < 0)
				return EX_USAGE;
			continue;
		}
		switch (c) {
		case 'o': out = optarg; break;
		case OPT_FORMAT:
			if (cli_report_format("device", optarg, &fmt) != 0)
				return EX_USAGE;
			break;
		case OPT_PROFILE: profile = optarg; break;
		case OPT_HELP: help_device(stdout); return 0;
		default: return EX_USAGE; /* cli_getopt said why */
		}
	}
	if (argc - optind != 1)
		return cli_usage("device", "expected one HOST");
	host = argv[optind];
	/* A bad -o is found now, not after a run of minutes. */
	if (out != NULL && (status = cli_prepare_output(out)) != 0)
		return status;
	if ((s = sl_scan_new(NULL)) == NULL)
		return cli_err(EX_INPUT, "out of memory");
	if (profile != NULL && sl_scan_load_profile(s, profile) != SL_OK) {
		status = cli_err(EX_INPUT, "%s", sl_scan_error(s));
		sl_scan_free(s);
		return status;
	}
	raise_nofile();
	dev_scan = s;
	catch_signals(true);
	cli_progress("examining %s", host);
	cli_progress_attach(s, host);
	rc = sl_scan_device(s, host, &o);
	cli_progress_clear();
	if (rc != SL_OK) {
		catch_signals(false);
		dev_scan = NULL;
		status = cli_err(rc == SL_E_USAGE ? EX_USAGE : EX_INPUT, "%s",
		                 sl_scan_error(s));
		sl_scan_free(s);
		return status;
	}
	/* cli_report holds signals while the set is written: a second one
	 * quits only once it is in place. */
	status = cli_report(s, out, fmt);
	catch_signals(false);
	dev_scan = NULL;
	/* A cancelled run never reads as a verdict, however clean. */
	if (dev_signals > 0 && status != EX_USAGE)
		status = cli_err(EX_INTERRUPTED,
		                 "cancelled: the report is incomplete");
	sl_scan_free(s);
	return status;
}
