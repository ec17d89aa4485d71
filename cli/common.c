/*
 * common.c - option handling the image commands share.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

int
cli_format(const char *cmd, const char *arg, bool *json)
{
	if (strcmp(arg, "json") == 0)
		*json = true;
	else if (strcmp(arg, "text") == 0)
		*json = false;
	else
		return cli_usage(cmd, "unknown format '%s' (text or json)",
		                 arg);
	return 0;
}

static bool
parse_u64(const char *s, unsigned long long *v)
{
	char *end;

	errno = 0;
	*v = strtoull(s, &end, 0);
	if (errno || end == s || *s == '-')
		return false;
	switch (*end) {
	case 'k':
	case 'K':
		*v <<= 10;
		end++;
		break;
	case 'm':
	case 'M':
		*v <<= 20;
		end++;
		break;
	case 'g':
	case 'G':
		*v <<= 30;
		end++;
		break;
	default: break;
	}
	return *end == 0;
}

int
cli_limit_opt(const char *cmd, int code, const char *arg, struct sl_limits *lim)
{
	unsigned long long v;

	if (code < OPT_MAX_DEPTH || code > OPT_THREADS)
		return 0;
	if (!parse_u64(arg, &v) || v == 0 || v > (1ULL << 48)) {
		cli_usage(cmd, "bad number '%s'", arg);
		return -1;
	}
	switch (code) {
	case OPT_MAX_DEPTH: lim->max_depth = (unsigned)v; break;
	case OPT_MAX_TOTAL: lim->max_total = v; break;
	case OPT_MAX_FILE: lim->max_file = v; break;
	case OPT_MAX_RATIO: lim->max_ratio = (unsigned)v; break;
	case OPT_MAX_FILES: lim->max_files = v; break;
	case OPT_MAX_PATH: lim->max_path = (unsigned)v; break;
	case OPT_THREADS: lim->threads = (unsigned)v; break;
	}
	return 1;
}

void
cli_limit_help(FILE *f)
{
	struct sl_limits d;

	sl_limits_default(&d);
	fprintf(
	    f,
	    "limits on untrusted input (a hit is reported as incomplete):\n"
	    "  --max-depth N    container nesting depth (default %u)\n"
	    "  --max-total N    bytes decompressed in all (default %llu)\n"
	    "  --max-file N     bytes of one file or stream (default %llu)\n"
	    "  --max-ratio N    expansion ratio of a stream (default %u)\n"
	    "  --max-files N    entries in the tree (default %llu)\n"
	    "  --max-path N     bytes of one path (default %u)\n"
	    "  --threads N      worker threads (default: one per core)\n"
	    "  sizes take a K, M or G suffix\n",
	    d.max_depth, (unsigned long long)d.max_total,
	    (unsigned long long)d.max_file, d.max_ratio,
	    (unsigned long long)d.max_files, d.max_path);
}

int
cli_load_image(struct sl_scan *s, const char *path)
{
	cli_progress("unpacking %s", path);
	if (sl_scan_firmware(s, path) != SL_OK)
		return cli_err(EX_INPUT, "%s", sl_scan_error(s));
	cli_progress("%zu entries", sl_tree_count(s));
	return 0;
}

struct sl_scan *
cli_open_image(const char *path, const struct sl_limits *lim, int *status)
{
	struct sl_scan *s = sl_scan_new(lim);

	if (s == NULL) {
		*status = cli_err(EX_INPUT, "out of memory");
		return NULL;
	}
	if ((*status = cli_load_image(s, path)) != 0) {
		sl_scan_free(s);
		return NULL;
	}
	return s;
}

/* Set once the run is over; a deferred signal then says so. */
static volatile sig_atomic_t reports_done;

static void
exit_on_signal(int sig)
{
	static const char none[] = "\nstarlab: interrupted: no report "
	                           "written\n";
	static const char done[] = "\nstarlab: interrupted as the run "
	                           "ended: any report written is complete\n";

	(void)sig;
	if ((reports_done ? write(STDERR_FILENO, done, sizeof(done) - 1)
	                  : write(STDERR_FILENO, none, sizeof(none) - 1)) < 0) {
		/* Nothing to be done about it in a signal handler. */
	}
	_exit(EX_INTERRUPTED);
}

void
cli_exit_on_signal(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = exit_on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
}

void
cli_signals_hold(bool hold)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	if (!hold)
		reports_done = 1;
	pthread_sigmask(hold ? SIG_BLOCK : SIG_UNBLOCK, &set, NULL);
}

int
cli_getopt(const char *cmd, int argc, char **argv, const char *shortopts,
           const struct option *longopts)
{
	char spec[64];
	const char *arg;
	int c, len;

	/* ':' first: a missing value is told from an unknown option. */
	snprintf(spec, sizeof(spec), ":%sh", shortopts);
	opterr = 0;
	c = getopt_long(argc, argv, spec, longopts, NULL);
	if (c == 'h')
		return OPT_HELP;
	if (c != '?' && c != ':')
		return c;
	arg = optind > 1 && optind - 1 < argc ? argv[optind - 1] : "";
	/* A short option inside a cluster ("-xo"): name the letter. */
	if (optopt > 0 && optopt < 128 && arg[0] == '-' && arg[1] != '-') {
		if (c == ':')
			cli_usage(cmd, "option '-%c' needs a value", optopt);
		else
			cli_usage(cmd, "unknown option '-%c'", optopt);
		return CLI_OPT_BAD;
	}
	len = (int)strcspn(arg, "=");
	if (c == ':')
		cli_usage(cmd, "option '%.*s' needs a value", len, arg);
	else if (arg[len] == '=' && optopt != 0)
		cli_usage(cmd, "option '%.*s' takes no value", len, arg);
	else
		cli_usage(cmd, "unknown or ambiguous option '%.*s'", len, arg);
	return CLI_OPT_BAD;
}

bool
cli_help(const char *cmd, FILE *f)
{
	const struct cli_cmd *c;

	for (c = cli_cmds; c->name; c++)
		if (strcmp(c->name, cmd) == 0) {
			c->help(f);
			return true;
		}
	return false;
}

long
cli_number(const char *cmd, const char *what, const char *arg, long lo, long hi)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(arg, &end, 10);
	if (errno != 0 || end == arg || *end != 0 || v < lo || v > hi) {
		cli_usage(cmd, "bad %s '%s' (%ld..%ld)", what, arg, lo, hi);
		return -1;
	}
	return v;
}

/* A file the run will read, refused now rather than after the scan. */
static int
readable(const char *cmd, const char *path)
{
	if (access(path, R_OK) != 0) {
		cli_usage(cmd, "%s: %s", path, strerror(errno));
		return -1;
	}
	return 1;
}

int
cli_device_opt(const char *cmd, int code, const char *arg,
               struct sl_device_opts *o)
{
	long v = 0;

	switch (code) {
	case OPT_DEV_PORTS: o->ports = arg; return 1;
	case OPT_DEV_NO_UDP: o->udp = false; return 1;
	case OPT_DEV_INTRUSIVE: o->intrusive = true; return 1;
	case OPT_DEV_CREDS: o->creds_file = arg; return readable(cmd, arg);
	case OPT_DEV_CA_FILE: o->ca_file = arg; return readable(cmd, arg);
	case OPT_DEV_RATE:
		if ((v = cli_number(cmd, "rate", arg, 1, 10000000)) >= 0)
			o->rate = (unsigned)v;
		break;
	case OPT_DEV_TIMEOUT:
		if ((v = cli_number(cmd, "timeout", arg, 10, 600000)) >= 0)
			o->timeout_ms = (unsigned)v;
		break;
	case OPT_DEV_CONCURRENCY:
		if ((v = cli_number(cmd, "concurrency", arg, 1, 65536)) >= 0)
			o->concurrency = (unsigned)v;
		break;
	case OPT_DEV_MAX_LOGINS:
		if ((v = cli_number(cmd, "max-logins", arg, 0, 100000)) >= 0)
			o->max_logins = (unsigned)v;
		break;
	case OPT_DEV_BF_ATTEMPTS:
		if ((v = cli_number(cmd, "bf-attempts", arg, 0, 1000)) >= 0)
			o->bf_attempts = (unsigned)v;
		break;
	default: return 0;
	}
	return v < 0 ? -1 : 1;
}
