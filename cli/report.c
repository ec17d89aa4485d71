/*
 * report.c - what every assessing command does with a finished scan:
 * print the report in one format, or write every format to a directory.
 */
#include <dirent.h>
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
	    {"text", SL_FMT_TEXT},
	    {"json", SL_FMT_JSON},
	    {"md", SL_FMT_MD},
	    {"sarif", SL_FMT_SARIF},
	    {"cyclonedx", SL_FMT_CYCLONEDX},
	};
	size_t i;

	for (i = 0; i < sizeof(f) / sizeof(f[0]); i++)
		if (strcmp(arg, f[i].name) == 0) {
			*fmt = f[i].fmt;
			return 0;
		}
	return cli_usage(
	    cmd, "unknown format '%s' (text, json, md, sarif, cyclonedx)", arg);
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
	    {" non-conformant ", "\033[1;31m"},
	    {" needs-evidence ", "\033[33m"},
	    {" conformant ", "\033[32m"},
	    {" not-applicable ", "\033[2m"},
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
				       len - (size_t)(hit + 1 + wl - p),
				       stdout);
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
cli_prepare_output(const char *dir)
{
	struct stat st;
	char probe[4096];
	int n;

	if (mkdir(dir, 0755) != 0 && errno != EEXIST)
		return cli_err(EX_INPUT,
		               "%s: cannot create the output "
		               "directory: %s",
		               dir, strerror(errno));
	if (stat(dir, &st) != 0)
		return cli_err(EX_INPUT, "%s: %s", dir, strerror(errno));
	if (!S_ISDIR(st.st_mode))
		return cli_err(EX_INPUT,
		               "%s: the output path exists and is "
		               "not a directory",
		               dir);
	/*
	 * access(2) says yes to root on a read-only mount's directory only
	 * by mode bits; making (and removing) a directory is the real test.
	 */
	n = snprintf(probe, sizeof(probe), "%s/.starlab-probe.XXXXXX", dir);
	if (n < 0 || (size_t)n >= sizeof(probe))
		return cli_err(EX_USAGE, "%s: path too long", dir);
	if (mkdtemp(probe) == NULL)
		return cli_err(EX_INPUT,
		               "%s: cannot write into the output "
		               "directory: %s",
		               dir, strerror(errno));
	rmdir(probe);
	return 0;
}

/* Remove what is left of the temporary directory tmp. */
static void
drop_tmp(const char *tmp)
{
	DIR *d = opendir(tmp);
	struct dirent *e;
	char p[4096];

	while (d != NULL && (e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		snprintf(p, sizeof(p), "%s/%s", tmp, e->d_name);
		unlink(p);
	}
	if (d != NULL)
		closedir(d);
	rmdir(tmp);
}

/*
 * Make the temporary directory the set is written into: beside dir
 * ("DIR.starlab-XXXXXX", so that a new or empty dir is replaced by the
 * whole set in one rename), or inside it when its parent is not writable.
 * 0, or EX_INPUT after printing why.
 */
static int
make_tmp(const char *dir, char *tmp, size_t size, bool *beside)
{
	size_t n = strlen(dir);
	int k;

	while (n > 1 && dir[n - 1] == '/')
		n--;
	k = snprintf(tmp, size, "%.*s.starlab-XXXXXX", (int)n, dir);
	*beside = true;
	if (k > 0 && (size_t)k < size && mkdtemp(tmp) != NULL)
		return 0;
	k = snprintf(tmp, size, "%s/.starlab-report.XXXXXX", dir);
	*beside = false;
	if (k < 0 || (size_t)k >= size)
		return cli_err(EX_USAGE, "%s: path too long", dir);
	if (mkdtemp(tmp) == NULL)
		return cli_err(EX_INPUT,
		               "%s: cannot write into the output "
		               "directory: %s",
		               dir, strerror(errno));
	return 0;
}

/*
 * Every format is written, complete and synced, into a temporary
 * directory before any of them is put in place.  A full disk or any other
 * write error therefore leaves the previous set (or none) in dir, never a
 * mix of old and new files: renaming within one file system needs no
 * free space.  A new or empty dir is replaced by the whole set at once;
 * over a previous set the five files are renamed one after another.
 */
int
cli_write_reports(struct sl_scan *s, const char *dir)
{
	static const struct {
		const char *name;
		enum sl_format fmt;
	} outs[] = {
	    {"report.json", SL_FMT_JSON},
	    {"report.txt", SL_FMT_TEXT},
	    {"report.md", SL_FMT_MD},
	    {"report.sarif", SL_FMT_SARIF},
	    {"sbom.cdx.json", SL_FMT_CYCLONEDX},
	};
	char tmp[4096], from[4200], to[4200], *shown;
	size_t i;
	int status;
	bool beside;

	if ((status = cli_prepare_output(dir)) != 0)
		return status;
	if ((status = make_tmp(dir, tmp, sizeof(tmp), &beside)) != 0)
		return status;
	for (i = 0; i < sizeof(outs) / sizeof(outs[0]); i++) {
		snprintf(from, sizeof(from), "%s/%s", tmp, outs[i].name);
		if (sl_report_write(s, outs[i].fmt, from, 0) != SL_OK) {
			cli_err(EX_INPUT, "%s", sl_scan_error(s));
			drop_tmp(tmp);
			return cli_err(EX_INPUT,
			               "%s: no report written; the "
			               "previous reports there, if any, are "
			               "unchanged",
			               dir);
		}
	}
	/* rename(2) replaces an empty directory, never a full one. */
	if (beside && chmod(tmp, 0755) == 0 && rename(tmp, dir) == 0)
		goto done;
	for (i = 0; i < sizeof(outs) / sizeof(outs[0]); i++) {
		snprintf(from, sizeof(from), "%s/%s", tmp, outs[i].name);
		snprintf(to, sizeof(to), "%s/%s", dir, outs[i].name);
		if (rename(from, to) != 0) {
			status = cli_err(EX_INPUT,
			                 "%s: cannot rename into "
			                 "place: %s",
			                 to, strerror(errno));
			drop_tmp(tmp);
			return status;
		}
	}
	drop_tmp(tmp);
done:
	/* The directory is the user's, but may hold any byte: print it safe. */
	shown = sl_printable(dir);
	for (i = 0; i < sizeof(outs) / sizeof(outs[0]); i++)
		printf("%s/%s\n", shown != NULL ? shown : dir, outs[i].name);
	free(shown);
	return 0;
}

int
cli_report(struct sl_scan *s, const char *out, enum sl_format fmt)
{
	int status;

	if (sl_scan_decide(s) != SL_OK)
		return cli_err(EX_INPUT, "%s", sl_scan_error(s));
	/* A signal now waits until the set is in place or printed. */
	cli_signals_hold(true);
	status =
	    out != NULL ? cli_write_reports(s, out) : cli_print_report(s, fmt);
	fflush(stdout);
	cli_signals_hold(false);
	return status != 0 ? status : cli_verdict_status(s);
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
