/*
 * cmd_assess.c - `starlab assess --profile P [--firmware IMG]...
 * [--device HOST]... [--snapshots DIR] -o DIR`: one product, one
 * checklist.  The images (one per unit) and the devices are examined in
 * parallel, on scans of their own; two images are compared for universal
 * secrets; the snapshots are judged; everything is merged into one scan
 * whose sixteen verdicts are decided over the union of the evidence
 * (docs/verdicts.md, "Merged evidence"), and DIR receives every output
 * as one atomic set (outset.c).  The profile may name the images and the
 * devices itself (assess: in docs/profile.md), so that `starlab assess
 * --profile P -o DIR` is the whole command.
 */
#include <errno.h>
#include <jansson.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "outset.h"

#define MAX_UNITS     8 /* as SL_ASSESS_MAX_UNITS */
#define SNAP_MAX_FILE (1U << 20)

enum {
	OPT_FIRMWARE = OPT_CMD_FIRST + 40,
	OPT_DEVICE,
	OPT_SNAPSHOTS,
	OPT_SERVICE,
	OPT_OPENAPI,
	OPT_ACCOUNT,
	OPT_APP,
	OPT_REPLAY,
};

void
help_assess(FILE *f)
{
	fprintf(
	    f,
	    "usage: starlab assess --profile FILE [--firmware IMAGE]... "
	    "[--device HOST]...\n"
	    "                      [--snapshots DIR] -o DIR [options]\n\n"
	    "Assess one product: run the firmware checks on each IMAGE "
	    "(two images are two\nunits of the product, compared for "
	    "universal secrets) and the device checks\non each HOST, in "
	    "parallel, judge the snapshots in DIR, and merge all the\n"
	    "evidence with the profile into one checklist of sixteen "
	    "verdicts.  Without\n--firmware and --device, the profile's "
	    "assess: section names them.\n\n"
	    "DIR receives, as one atomic set: report.json, report.txt, "
	    "report.md,\nreport.html (self-contained), checklist.csv, "
	    "report.sarif, sbom.cdx.json and\nevidence/ (one file per "
	    "finding, manifest.json with SHA-256 of every\nevidence file "
	    "and input).  DIR must be new, empty, or an earlier report.\n"
	    "The merged checklist is printed, then where the HTML report "
	    "is.\n\n"
	    "  --profile FILE     the product profile (docs/profile.md), "
	    "required\n"
	    "  --firmware IMAGE   a release image (again for a second "
	    "unit; at most 8)\n"
	    "  --device HOST      a unit on the network (at most 8)\n"
	    "  --snapshots DIR    power-cycle-{before,after}.json and/or\n"
	    "                     factory-reset-{before,after}.json "
	    "(starlab snapshot)\n"
	    "  --vuln-db DIR, --update-key FILE     as for `starlab "
	    "firmware`\n"
	    "  --ports LIST, --no-udp, --timeout MS, --rate N, "
	    "--concurrency N,\n"
	    "  --max-logins N, --bf-attempts N, --intrusive, --creds "
	    "FILE, --ca-file FILE\n"
	    "                     as for `starlab device`\n"
	    "  --quiet, --progress=json   as for `starlab device`\n"
	    "  --service URL      the product's cloud API (with --openapi "
	    "FILE and\n"
	    "                     --account USER:PASSWORD, and --replay FILE, "
	    "as for `starlab\n"
	    "                     service`; --intrusive reaches it too)\n"
	    "  --app FILE         the companion app (an APK, as for "
	    "`starlab app`)\n\n"
	    "Exit status: 0 no non-conformant verdict, 1 at least one, 2 "
	    "usage error,\n3 an input could not be processed at all.\n");
}

struct assess {
	struct sl_limits lim;
	struct sl_device_opts dev_opts;
	const char *profile, *vuln_db, *update_key, *snapshots;
	const char *fw[MAX_UNITS];
	size_t nfw;
	const char *dev[MAX_UNITS];
	size_t ndev;
	struct sl_scan *fws[MAX_UNITS];
	struct sl_scan *devs[MAX_UNITS]; /* devs[0] is the merged scan */
	/* The associated services: the cloud API and the companion app. */
	const char *service, *app;
	struct sl_service_opts svc_opts;
	struct sl_scan *svc, *appscan;
	int dev_status;
};

static struct assess *volatile sig_assess;
static volatile sig_atomic_t sig_count;

static void
on_signal(int sig)
{
	static const char msg[] = "\nstarlab: stopping the device checks; "
	                          "the report will be marked incomplete\n";
	struct assess *a = sig_assess;
	size_t i;

	if (sig_count++ > 0)
		_exit(128 + sig);
	if (write(STDERR_FILENO, msg, sizeof(msg) - 1) < 0) {
		/* Nothing to be done about it in a signal handler. */
	}
	for (i = 0; a != NULL && i < a->ndev; i++)
		sl_scan_cancel(a->devs[i]);
}

/* The device thread: each host in turn, on its own scan. */
static void *
device_thread(void *arg)
{
	struct assess *a = arg;
	size_t i;

	for (i = 0; i < a->ndev; i++) {
		sl_rc rc;

		cli_progress_attach(a->devs[i], a->dev[i]);
		rc = sl_scan_device(a->devs[i], a->dev[i], &a->dev_opts);

		if (rc != SL_OK) {
			a->dev_status =
			    cli_err(rc == SL_E_USAGE ? EX_USAGE : EX_INPUT,
			            "%s", sl_scan_error(a->devs[i]));
			return NULL;
		}
	}
	return NULL;
}

/* One image on its own scan, checked (not yet decided). */
static struct sl_scan *
firmware_scan(struct assess *a, const char *path, int *status)
{
	struct sl_scan *s = sl_scan_new(&a->lim);

	if (s == NULL) {
		*status = cli_err(EX_INPUT, "out of memory");
		return NULL;
	}
	if ((a->vuln_db && sl_scan_set_vuln_db(s, a->vuln_db) != SL_OK) ||
	    (a->update_key &&
	     sl_scan_set_update_key(s, a->update_key) != SL_OK) ||
	    sl_scan_load_profile(s, a->profile) != SL_OK ||
	    sl_scan_will_check(s) != SL_OK) {
		*status = cli_err(EX_INPUT, "%s", sl_scan_error(s));
		sl_scan_free(s);
		return NULL;
	}
	cli_progress_attach(s, path);
	if ((*status = cli_load_image(s, path)) != 0) {
		sl_scan_free(s);
		return NULL;
	}
	cli_progress("running firmware checks on %s", path);
	if (sl_scan_check_firmware(s) != SL_OK) {
		*status = cli_err(EX_INPUT, "%s", sl_scan_error(s));
		sl_scan_free(s);
		return NULL;
	}
	return s;
}

static const char *
base_name(const char *path)
{
	const char *b = strrchr(path, '/');

	return b != NULL && b[1] != 0 ? b + 1 : path;
}

/* Read a snapshot (at most SNAP_MAX_FILE bytes) with its event set. */
static char *
read_snapshot(const char *path, const char *event)
{
	json_error_t je;
	json_t *root;
	char *out, *copy;
	FILE *fp;
	struct stat st;

	if (stat(path, &st) != 0 || !S_ISREG(st.st_mode) ||
	    st.st_size > SNAP_MAX_FILE) {
		cli_err(0, "%s: not a snapshot file of at most 1 MiB", path);
		return NULL;
	}
	if ((fp = fopen(path, "rb")) == NULL) {
		cli_err(0, "%s: %s", path, strerror(errno));
		return NULL;
	}
	root = json_loadf(fp, JSON_REJECT_DUPLICATES, &je);
	fclose(fp);
	if (root == NULL || !json_is_object(root)) {
		cli_err(0, "%s:%d:%d: not a snapshot: %s", path, je.line,
		        je.column, root ? "not an object" : je.text);
		json_decref(root);
		return NULL;
	}
	if (event != NULL)
		json_object_set_new(root, "event", json_string(event));
	out = json_dumps(root, JSON_PRESERVE_ORDER);
	json_decref(root);
	copy = out ? strdup(out) : NULL;
	free(out);
	return copy;
}

/*
 * The snapshot pairs in dir: EVENT-before.json and EVENT-after.json for
 * power-cycle (S1.1-14) and factory-reset (S1.1-15).  A pair with one
 * half missing is an error; a directory with no pair too.
 */
static int
snapshots(struct sl_scan *m, const char *dir)
{
	static const char *const events[] = {"power-cycle", "factory-reset"};
	size_t k, pairs = 0;

	for (k = 0; k < 2; k++) {
		char b[4096], a[4096];
		char *before, *after;
		bool hb, ha;
		sl_rc rc;

		snprintf(b, sizeof(b), "%s/%s-before.json", dir, events[k]);
		snprintf(a, sizeof(a), "%s/%s-after.json", dir, events[k]);
		hb = access(b, F_OK) == 0;
		ha = access(a, F_OK) == 0;
		if (!hb && !ha)
			continue;
		if (hb != ha)
			return cli_err(EX_INPUT,
			               "%s: missing; a snapshot pair "
			               "needs before and after",
			               hb ? a : b);
		if ((before = read_snapshot(b, NULL)) == NULL)
			return EX_INPUT;
		if ((after = read_snapshot(a, events[k])) == NULL) {
			free(before);
			return EX_INPUT;
		}
		rc = sl_snapshot_compare(m, before, after);
		free(before);
		free(after);
		if (rc != SL_OK)
			return cli_err(EX_INPUT, "%s: %s", dir,
			               sl_scan_error(m));
		if (sl_scan_add_input(m, "snapshot", base_name(b), b) !=
		        SL_OK ||
		    sl_scan_add_input(m, "snapshot", base_name(a), a) != SL_OK)
			return cli_err(EX_INPUT, "%s", sl_scan_error(m));
		pairs++;
	}
	if (pairs == 0)
		return cli_err(EX_INPUT,
		               "%s: no snapshot pair (power-cycle-"
		               "before.json and power-cycle-after.json, or "
		               "factory-reset-...)",
		               dir);
	return 0;
}

/* Write every output into tmp. */
static int
write_set(struct sl_scan *m, const char *tmp)
{
	static const struct {
		const char *name;
		enum sl_format fmt;
	} outs[] = {
	    {"report.json", SL_FMT_JSON},
	    {"report.txt", SL_FMT_TEXT},
	    {"report.md", SL_FMT_MD},
	    {"report.html", SL_FMT_HTML},
	    {"checklist.csv", SL_FMT_CSV},
	    {"report.sarif", SL_FMT_SARIF},
	    {"sbom.cdx.json", SL_FMT_CYCLONEDX},
	};
	int64_t now = (int64_t)time(NULL);
	size_t i;

	for (i = 0; i < sizeof(outs) / sizeof(outs[0]); i++) {
		char path[4096];

		snprintf(path, sizeof(path), "%s/%s", tmp, outs[i].name);
		if (sl_report_write(m, outs[i].fmt, path, now) != SL_OK)
			return cli_err(EX_INPUT, "%s", sl_scan_error(m));
	}
	if (sl_evidence_write(m, tmp) != SL_OK)
		return cli_err(EX_INPUT, "%s", sl_scan_error(m));
	return 0;
}

/* The unit label of image k: its name, numbered when two share it. */
static const char *
unit_label(const struct assess *a, size_t k, char *buf, size_t size)
{
	size_t j;

	for (j = 0; j < a->nfw; j++)
		if (j != k &&
		    strcmp(base_name(a->fw[j]), base_name(a->fw[k])) == 0) {
			snprintf(buf, size, "firmware unit %zu %s", k + 1,
			         base_name(a->fw[k]));
			return buf;
		}
	snprintf(buf, size, "firmware %s", base_name(a->fw[k]));
	return buf;
}

static int
parse(struct assess *a, int argc, char **argv, const char **out)
{
	static const struct option opts[] = {
	    {"output", required_argument, NULL, 'o'},
	    {"profile", required_argument, NULL, OPT_PROFILE},
	    {"firmware", required_argument, NULL, OPT_FIRMWARE},
	    {"device", required_argument, NULL, OPT_DEVICE},
	    {"snapshots", required_argument, NULL, OPT_SNAPSHOTS},
	    {"vuln-db", required_argument, NULL, OPT_VULN_DB},
	    {"update-key", required_argument, NULL, OPT_UPDATE_KEY},
	    CLI_DEVICE_OPTIONS,
	    CLI_PROGRESS_OPTIONS,
	    {"service", required_argument, NULL, OPT_SERVICE},
	    {"openapi", required_argument, NULL, OPT_OPENAPI},
	    {"account", required_argument, NULL, OPT_ACCOUNT},
	    {"app", required_argument, NULL, OPT_APP},
	    {"replay", required_argument, NULL, OPT_REPLAY},
	    {"help", no_argument, NULL, OPT_HELP},
	    CLI_LIMIT_OPTIONS,
	    {NULL, 0, NULL, 0},
	};
	int c, r;

	optind = 1;
	while ((c = cli_getopt("assess", argc, argv, "o:", opts)) != -1) {
		if ((r = cli_limit_opt("assess", c, optarg, &a->lim)) != 0 ||
		    (r = cli_device_opt("assess", c, optarg, &a->dev_opts)) !=
		        0 ||
		    (r = cli_progress_opt("assess", c, optarg)) != 0) {
			if (r < 0)
				return EX_USAGE;
			continue;
		}
		switch (c) {
		case 'o': *out = optarg; break;
		case OPT_PROFILE: a->profile = optarg; break;
		case OPT_FIRMWARE:
			if (a->nfw == MAX_UNITS)
				return cli_usage("assess",
				                 "more than %d "
				                 "images",
				                 MAX_UNITS);
			a->fw[a->nfw++] = optarg;
			break;
		case OPT_DEVICE:
			if (a->ndev == MAX_UNITS)
				return cli_usage("assess",
				                 "more than %d "
				                 "devices",
				                 MAX_UNITS);
			a->dev[a->ndev++] = optarg;
			break;
		case OPT_SNAPSHOTS: a->snapshots = optarg; break;
		case OPT_SERVICE: a->service = optarg; break;
		case OPT_OPENAPI: a->svc_opts.openapi = optarg; break;
		case OPT_APP: a->app = optarg; break;
		case OPT_REPLAY: a->svc_opts.replay = optarg; break;
		case OPT_ACCOUNT:
			if (a->svc_opts.naccounts >= SL_SERVICE_MAX_ACCOUNTS)
				return cli_usage("assess",
				                 "at most %d --account",
				                 SL_SERVICE_MAX_ACCOUNTS);
			a->svc_opts.accounts[a->svc_opts.naccounts++] = optarg;
			break;
		case OPT_VULN_DB: a->vuln_db = optarg; break;
		case OPT_UPDATE_KEY: a->update_key = optarg; break;
		case OPT_HELP: help_assess(stdout); exit(0);
		default: return EX_USAGE; /* cli_getopt said why */
		}
	}
	if (optind != argc)
		return cli_usage("assess",
		                 "unexpected argument '%s' (images "
		                 "go after --firmware, hosts after --device)",
		                 argv[optind]);
	if (a->profile == NULL)
		return cli_usage("assess", "--profile FILE is required: it "
		                           "names the product");
	if (*out == NULL)
		return cli_usage("assess", "-o DIR is required");
	/* --intrusive allows the steps that change state everywhere: the
	 * device's lockout tests and the service's registrations and
	 * binding (starlab service --intrusive). */
	a->svc_opts.intrusive = a->dev_opts.intrusive;
	return 0;
}

/* Without --firmware/--device/--snapshots: what the profile names. */
static int
from_profile(struct assess *a, struct sl_scan *m)
{
	const char *t;
	size_t i;

	if (a->nfw == 0)
		for (i = 0; i < MAX_UNITS &&
		            (t = sl_profile_target(m, "firmware", i)) != NULL;
		     i++)
			a->fw[a->nfw++] = t;
	if (a->ndev == 0)
		for (i = 0; i < MAX_UNITS &&
		            (t = sl_profile_target(m, "device", i)) != NULL;
		     i++)
			a->dev[a->ndev++] = t;
	if (a->snapshots == NULL)
		a->snapshots = sl_profile_get(m, "assess.snapshots");
	if (a->service == NULL) {
		a->service = sl_profile_get(m, "assess.service");
		if (a->svc_opts.openapi == NULL)
			a->svc_opts.openapi =
			    sl_profile_get(m, "assess.openapi");
	}
	if (a->app == NULL)
		a->app = sl_profile_get(m, "assess.app");
	if (a->service != NULL && a->svc_opts.openapi == NULL)
		return cli_usage("assess",
		                 "--service URL needs --openapi FILE (or "
		                 "openapi: in the profile's assess: section): "
		                 "the API's operations come from it");
	if (a->service == NULL &&
	    (a->svc_opts.openapi != NULL || a->svc_opts.naccounts > 0 ||
	     a->svc_opts.replay != NULL))
		return cli_usage("assess",
		                 "--openapi, --account and --replay go "
		                 "with --service URL");
	for (i = 0; i < a->nfw; i++)
		if (access(a->fw[i], R_OK) != 0)
			return cli_err(EX_INPUT, "%s: %s", a->fw[i],
			               strerror(errno));
	return 0;
}

static void
raise_nofile(void)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max > 8192 ? 8192 : rl.rlim_max;
		(void)setrlimit(RLIMIT_NOFILE, &rl);
	}
}

/* Examine, compare, merge and decide into a->devs[0]; 0 or a status. */
static int
examine(struct assess *a, struct sl_scan *m)
{
	pthread_t th;
	bool threaded = false;
	size_t i;
	int status = 0;
	char label[512];

	a->devs[0] = m;
	for (i = 1; i < a->ndev; i++)
		if ((a->devs[i] = sl_scan_new(NULL)) == NULL ||
		    sl_scan_load_profile(a->devs[i], a->profile) != SL_OK)
			return cli_err(EX_INPUT, "out of memory");
	if (a->ndev > 0) {
		struct sigaction sa;

		raise_nofile();
		memset(&sa, 0, sizeof(sa));
		sa.sa_handler = on_signal;
		sigemptyset(&sa.sa_mask);
		sig_assess = a;
		sigaction(SIGINT, &sa, NULL);
		sigaction(SIGTERM, &sa, NULL);
		cli_progress("examining %zu device(s)", a->ndev);
		if (pthread_create(&th, NULL, device_thread, a) != 0)
			return cli_err(EX_INPUT, "cannot start a thread");
		threaded = true;
	}
	/* The images meanwhile, on this thread. */
	for (i = 0; i < a->nfw && status == 0; i++)
		if ((a->fws[i] = firmware_scan(a, a->fw[i], &status)) == NULL &&
		    status == 0)
			status = EX_INPUT;
	/* The cloud API and the companion app, each on a scan of its own. */
	if (status == 0 && a->service != NULL) {
		cli_progress("examining the service %s", a->service);
		if ((a->svc = sl_scan_new(NULL)) == NULL ||
		    sl_scan_load_profile(a->svc, a->profile) != SL_OK)
			status = cli_err(EX_INPUT, "out of memory");
		else {
			sl_rc rc =
			    sl_scan_service(a->svc, a->service, &a->svc_opts);

			if (rc == SL_E_USAGE)
				status = cli_usage("assess", "%s",
				                   sl_scan_error(a->svc));
			else if (rc != SL_OK)
				status = cli_err(EX_INPUT, "%s: %s", a->service,
				                 sl_scan_error(a->svc));
		}
	}
	if (status == 0 && a->app != NULL) {
		cli_progress("examining the app %s", a->app);
		if ((a->appscan = sl_scan_new(&a->lim)) == NULL ||
		    sl_scan_load_profile(a->appscan, a->profile) != SL_OK)
			status = cli_err(EX_INPUT, "out of memory");
		else if (sl_scan_app(a->appscan, a->app) != SL_OK)
			status = cli_err(EX_INPUT, "%s: %s", a->app,
			                 sl_scan_error(a->appscan));
	}
	if (threaded) {
		/* An image that cannot be read ends the assessment now. */
		if (status != 0)
			for (i = 0; i < a->ndev; i++)
				sl_scan_cancel(a->devs[i]);
		pthread_join(th, NULL);
		signal(SIGINT, SIG_DFL);
		signal(SIGTERM, SIG_DFL);
		sig_assess = NULL;
	}
	if (status == 0)
		status = a->dev_status;
	if (status != 0)
		return status;
	for (i = 1; i < a->nfw; i++) {
		cli_progress("comparing unit 1 with unit %zu", i + 1);
		if (sl_scan_compare_firmware(a->fws[0], a->fws[i]) != SL_OK)
			return cli_err(EX_INPUT, "%s",
			               sl_scan_error(a->fws[0]));
	}
	for (i = 0; i < a->nfw; i++)
		if (sl_scan_merge(m, a->fws[i],
		                  unit_label(a, i, label, sizeof(label))) !=
		    SL_OK)
			return cli_err(EX_INPUT, "%s", sl_scan_error(m));
	if (a->ndev > 0 &&
	    sl_scan_add_input(m, "device", a->dev[0], NULL) != SL_OK)
		return cli_err(EX_INPUT, "%s", sl_scan_error(m));
	for (i = 1; i < a->ndev; i++) {
		snprintf(label, sizeof(label), "device %s", a->dev[i]);
		if (sl_scan_merge(m, a->devs[i], label) != SL_OK)
			return cli_err(EX_INPUT, "%s", sl_scan_error(m));
	}
	if (a->svc != NULL) {
		snprintf(label, sizeof(label), "service %s", a->service);
		if (sl_scan_add_input(m, "service", a->service, NULL) !=
		        SL_OK ||
		    (a->svc_opts.openapi != NULL &&
		     sl_scan_add_input(m, "service",
		                       base_name(a->svc_opts.openapi),
		                       a->svc_opts.openapi) != SL_OK) ||
		    sl_scan_merge(m, a->svc, label) != SL_OK)
			return cli_err(EX_INPUT, "%s", sl_scan_error(m));
	}
	if (a->appscan != NULL) {
		snprintf(label, sizeof(label), "app %s", base_name(a->app));
		if (sl_scan_merge(m, a->appscan, label) != SL_OK)
			return cli_err(EX_INPUT, "%s", sl_scan_error(m));
	}
	if (a->snapshots != NULL && (status = snapshots(m, a->snapshots)) != 0)
		return status;
	if (sl_scan_cross_check(m) != SL_OK || sl_scan_decide(m) != SL_OK)
		return cli_err(EX_INPUT, "%s", sl_scan_error(m));
	return 0;
}

int
cmd_assess(int argc, char **argv)
{
	struct assess a;
	struct sl_scan *m = NULL;
	const char *out = NULL;
	char tmp[4200] = "";
	char *text;
	size_t i;
	int status;

	memset(&a, 0, sizeof(a));
	sl_limits_default(&a.lim);
	sl_device_opts_default(&a.dev_opts);
	sl_service_opts_default(&a.svc_opts);
	if ((status = parse(&a, argc, argv, &out)) != 0)
		return status;
	/* Everything that can be refused is refused before any work. */
	if ((status = cli_outset_check("assess", out)) != 0)
		return status;
	if ((m = sl_scan_new(&a.lim)) == NULL)
		return cli_err(EX_INPUT, "out of memory");
	if (sl_scan_load_profile(m, a.profile) != SL_OK) {
		status = cli_err(EX_INPUT, "%s", sl_scan_error(m));
		goto done;
	}
	if ((status = from_profile(&a, m)) != 0)
		goto done;
	if (sl_scan_add_input(m, "profile", base_name(a.profile), a.profile) !=
	    SL_OK) {
		status = cli_err(EX_INPUT, "%s", sl_scan_error(m));
		goto done;
	}
	status = examine(&a, m);
	cli_progress_clear();
	if (status != 0)
		goto done;
	if ((status = cli_outset_begin(out, tmp, sizeof(tmp))) != 0)
		goto done;
	if ((status = write_set(m, tmp)) != 0 ||
	    (status = cli_outset_commit(out, tmp)) != 0) {
		cli_outset_abort(tmp);
		goto done;
	}
	if ((text = sl_report_string(m, SL_FMT_TEXT, 0)) != NULL) {
		fputs(text, stdout);
		free(text);
	}
	printf("\nHTML report: %s/report.html\n"
	       "All outputs: %s/ (report.json, report.txt, report.md, "
	       "checklist.csv, report.sarif, sbom.cdx.json, evidence/)\n",
	       out, out);
	/* A cancelled run never reads as a verdict, however clean. */
	if (sig_count > 0)
		status = cli_err(EX_INTERRUPTED,
		                 "cancelled: the report is incomplete");
	else
		status = cli_verdict_status(m);
done:
	/* The merged scan borrows from the others: free it first. */
	sl_scan_free(m);
	sl_scan_free(a.svc);
	sl_scan_free(a.appscan);
	for (i = 0; i < MAX_UNITS; i++) {
		sl_scan_free(a.fws[i]);
		if (i > 0)
			sl_scan_free(a.devs[i]);
	}
	return status;
}
