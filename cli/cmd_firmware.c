/*
 * cmd_firmware.c - `starlab firmware IMAGE [-o DIR] [--format ...]`, and
 * `starlab firmware A B`: two units' images checked and compared for
 * universal secrets.
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
	fprintf(
	    f,
	    "usage: starlab firmware IMAGE [-o DIR] [--format FMT] "
	    "[--vuln-db DIR]\n"
	    "                         [--update-key FILE] [--profile FILE] "
	    "[limits]\n"
	    "       starlab firmware A B [-o DIR] [options as above]\n\n"
	    "Unpack IMAGE, run every firmware check, and decide the STAR-1 "
	    "checklist.\nWithout -o the report goes to standard output in "
	    "the chosen format: text (the default),\njson, md, sarif or "
	    "cyclonedx (an SBOM of the components found).  With -o\nDIR, "
	    "every format is written atomically (report.json, report.txt,\n"
	    "report.md, report.sarif, sbom.cdx.json) and the paths "
	    "printed.\n\n"
	    "With two images A and B, the firmware of two units of the "
	    "same product, both\nare checked and then compared: the same "
	    "password hash for the same account,\nor the same private key, "
	    "in both is a universal secret (FW-UNIVERSAL-PASSWORD,\n"
	    "FW-SHARED-PRIVATE-KEY), reported in both reports.  Without -o "
	    "the report of A\nis printed, then the report of B; with -o "
	    "DIR they go to DIR/NAME-OF-A/ and\nDIR/NAME-OF-B/ (a-NAME/ "
	    "and b-NAME/ when the two file names are the same).\n\n"
	    "  --vuln-db DIR      also match NVD JSON 2.0 and OSV files in "
	    "DIR\n"
	    "  --update-key FILE  verify the image's update signature with "
	    "this public key\n"
	    "  --profile FILE     the product profile (YAML, "
	    "docs/profile.md): documents,\n"
	    "                     interfaces, not-applicable reasons\n"
	    "  --quiet            no progress line\n"
	    "  --progress=MODE    auto (a live line when stderr is a "
	    "terminal), tty, none,\n"
	    "                     or json: one JSON object per line on "
	    "stderr\n\n"
	    "Exit status: 0 no non-conformant verdict, 1 at least one (in "
	    "either report),\n2 usage error, 3 an image or the profile "
	    "could not be processed at all, or\nnothing in an image was "
	    "recognised or listed, 4 interrupted (SIGINT, SIGTERM): no\nreport "
	    "written.\n\n");
	cli_limit_help(f);
}

/* The options every image of the command gets. */
struct fw_opts {
	const char *vuln_db, *update_key, *profile;
};

/*
 * Open one image with the options and run the firmware checks; the
 * verdicts are decided later (after a comparison, if any).  On failure
 * prints why, sets *status and returns NULL.
 */
static struct sl_scan *
assess(const char *path, const struct sl_limits *lim, const struct fw_opts *o,
       int *status)
{
	struct sl_scan *s;

	if ((s = sl_scan_new(lim)) == NULL) {
		*status = cli_err(EX_INPUT, "out of memory");
		return NULL;
	}
	/* Options first: the content checks start while unpacking. */
	if ((o->vuln_db && sl_scan_set_vuln_db(s, o->vuln_db) != SL_OK) ||
	    (o->update_key &&
	     sl_scan_set_update_key(s, o->update_key) != SL_OK)) {
		*status = cli_err(EX_USAGE, "%s", sl_scan_error(s));
		sl_scan_free(s);
		return NULL;
	}
	if (o->profile != NULL &&
	    sl_scan_load_profile(s, o->profile) != SL_OK) {
		*status = cli_err(EX_INPUT, "%s", sl_scan_error(s));
		sl_scan_free(s);
		return NULL;
	}
	cli_progress_attach(s, path);
	if (sl_scan_will_check(s) != SL_OK ||
	    (*status = cli_load_image(s, path)) != 0) {
		if (*status == 0)
			*status = cli_err(EX_INPUT, "%s", sl_scan_error(s));
		sl_scan_free(s);
		return NULL;
	}
	cli_progress("running firmware checks on %s", path);
	if (sl_scan_check_firmware(s) != SL_OK) {
		*status = cli_err(EX_INPUT, "%s", sl_scan_error(s));
		sl_scan_free(s);
		return NULL;
	}
	cli_progress_clear();
	return s;
}

/* Do two paths name the same file (comparing a unit with itself)? */
static bool
same_file(const char *a, const char *b)
{
	struct stat sa, sb;

	return stat(a, &sa) == 0 && stat(b, &sb) == 0 &&
	       sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

/* The last component of path. */
static const char *
base_name(const char *path)
{
	const char *b = strrchr(path, '/');

	return b != NULL && b[1] != 0 ? b + 1 : path;
}

/*
 * DIR/NAME for image k of two: its file name, or "a-NAME" / "b-NAME" when
 * both images have the same file name.  DIR is created.
 */
static int
sub_dir(const char *dir, const char *path, const char *other, int k, char *out,
        size_t size)
{
	const char *b = base_name(path);
	int n;

	if (mkdir(dir, 0755) != 0 && errno != EEXIST)
		return cli_err(EX_INPUT, "%s: cannot create: %s", dir,
		               strerror(errno));
	if (strcmp(b, base_name(other)) == 0)
		n = snprintf(out, size, "%s/%s-%s", dir, k ? "b" : "a", b);
	else
		n = snprintf(out, size, "%s/%s", dir, b);
	if (n < 0 || (size_t)n >= size)
		return cli_err(EX_USAGE, "%s: path too long", dir);
	return 0;
}

/*
 * The path given with opt must be a readable directory (dir) or a
 * readable regular file.  0, or EX_USAGE after naming the path and what
 * is wrong with it.
 */
static int
check_path(const char *opt, const char *path, bool dir)
{
	struct stat st;

	if (stat(path, &st) != 0 || access(path, R_OK) != 0)
		return cli_usage("firmware", "%s %s: %s", opt, path,
		                 strerror(errno));
	if (dir && !S_ISDIR(st.st_mode))
		return cli_usage("firmware",
		                 "%s %s: not a directory (give "
		                 "the directory of NVD or OSV JSON files)",
		                 opt, path);
	if (!dir && !S_ISREG(st.st_mode))
		return cli_usage("firmware",
		                 "%s %s: not a regular file (give "
		                 "the public key file)",
		                 opt, path);
	return 0;
}

/* Did unpacking list at least one regular file? */
static bool
any_file(struct sl_scan *s)
{
	size_t i, n = sl_tree_count(s);

	for (i = 0; i < n; i++)
		if (sl_tree_entry(s, i)->type == SL_FT_REG)
			return true;
	return false;
}

/* The incomplete reason that says nothing was recognised. */
static const char *
unrecognised_why(const struct sl_scan *s)
{
	size_t i;
	const char *r, *p;

	for (i = 0; (r = sl_scan_incomplete(s, i)) != NULL; i++)
		if ((p = strstr(r, ": no container or file system")) != NULL)
			return p + 2;
	return "no container or file system recognised";
}

int
cmd_firmware(int argc, char **argv)
{
	static const struct option opts[] = {
	    {"output", required_argument, NULL, 'o'},
	    {"format", required_argument, NULL, OPT_FORMAT},
	    {"vuln-db", required_argument, NULL, OPT_VULN_DB},
	    {"update-key", required_argument, NULL, OPT_UPDATE_KEY},
	    {"profile", required_argument, NULL, OPT_PROFILE},
	    {"help", no_argument, NULL, OPT_HELP},
	    CLI_PROGRESS_OPTIONS,
	    CLI_LIMIT_OPTIONS,
	    {NULL, 0, NULL, 0},
	};
	struct sl_limits lim;
	struct sl_scan *s[2] = {NULL, NULL};
	struct fw_opts fo = {NULL, NULL, NULL};
	enum sl_format fmt = SL_FMT_TEXT;
	const char *out = NULL;
	int c, status = 0, r, k, nimg;

	sl_limits_default(&lim);
	optind = 1;
	while ((c = cli_getopt("firmware", argc, argv, "o:", opts)) != -1) {
		if ((r = cli_limit_opt("firmware", c, optarg, &lim)) != 0 ||
		    (r = cli_progress_opt("firmware", c, optarg)) != 0) {
			if (r < 0)
				return EX_USAGE;
			continue;
		}
		switch (c) {
		case 'o': out = optarg; break;
		case OPT_FORMAT:
			if (cli_report_format("firmware", optarg, &fmt) != 0)
				return EX_USAGE;
			break;
		case OPT_VULN_DB: fo.vuln_db = optarg; break;
		case OPT_UPDATE_KEY: fo.update_key = optarg; break;
		case OPT_PROFILE: fo.profile = optarg; break;
		case OPT_HELP: help_firmware(stdout); return 0;
		default: return EX_USAGE; /* cli_getopt said why */
		}
	}
	nimg = argc - optind;
	if (nimg != 1 && nimg != 2)
		return cli_usage("firmware", "expected IMAGE, or two images "
		                             "A B of two units");
	if (nimg == 2 && same_file(argv[optind], argv[optind + 1]))
		return cli_usage("firmware", "A and B are the same file; give "
		                             "the images of two units");
	/* A mistyped path is a usage error, named, before any work. */
	if (fo.vuln_db != NULL &&
	    (status = check_path("--vuln-db", fo.vuln_db, true)) != 0)
		return status;
	if (fo.update_key != NULL &&
	    (status = check_path("--update-key", fo.update_key, false)) != 0)
		return status;
	/* A bad -o is found now, not after the whole run. */
	if (out != NULL && (status = cli_prepare_output(out)) != 0)
		return status;
	cli_exit_on_signal();
	for (k = 0; k < nimg; k++) {
		s[k] = assess(argv[optind + k], &lim, &fo, &status);
		if (s[k] == NULL) {
			sl_scan_free(s[0]);
			return status;
		}
	}
	if (nimg == 2) {
		cli_progress("comparing the two images");
		if (sl_scan_compare_firmware(s[0], s[1]) != SL_OK) {
			status = cli_err(EX_INPUT, "%s", sl_scan_error(s[0]));
			goto done;
		}
	}
	for (k = 0; k < nimg; k++)
		if (sl_scan_decide(s[k]) != SL_OK) {
			status = cli_err(EX_INPUT, "%s", sl_scan_error(s[k]));
			goto done;
		}
	/* A signal now waits until the set is in place (then exits 4). */
	cli_signals_hold(true);
	for (k = 0; k < nimg && status == 0; k++) {
		char sub[4096];

		if (out == NULL)
			status = cli_print_report(s[k], fmt);
		else if (nimg == 1)
			status = cli_write_reports(s[k], out);
		else if ((status = sub_dir(out, argv[optind + k],
		                           argv[optind + 1 - k], k, sub,
		                           sizeof(sub))) == 0)
			status = cli_write_reports(s[k], sub);
	}
	/*
	 * An image of which nothing was recognised was not assessed: its
	 * report says why, and the status says it could not be processed.
	 */
	for (k = 0; k < nimg && status == 0; k++)
		if (sl_scan_unrecognised(s[k]))
			status =
			    cli_err(EX_INPUT, "%s: not assessed: %s",
			            argv[optind + k], unrecognised_why(s[k]));
		else if (!any_file(s[k]))
			status = cli_err(EX_INPUT,
			                 "%s: not assessed: no file could be "
			                 "listed from the image (see the "
			                 "report's incomplete list)",
			                 argv[optind + k]);
	/* The worse of the two verdict statuses. */
	for (k = 0; k < nimg && status == 0; k++)
		if (cli_verdict_status(s[k]) != EX_CONFORMANT)
			status = EX_NONCONF;
done:
	cli_signals_hold(false);
	sl_scan_free(s[0]);
	sl_scan_free(s[1]);
	return status;
}
