/*
 * cmd_batch.c - starlab batch: a lab's or a build pipeline's many
 * products in one run.
 *
 *	starlab batch MANIFEST -o DIR [--jobs N] [--max-devices N] [--force]
 *	starlab batch --task K MANIFEST -o DIR      (one row: a Slurm array
 *task) starlab batch --slurm MANIFEST -o DIR [--wait] [--sbatch ARGS] starlab
 *batch --merge DIR
 *
 * A manifest is CSV (a header naming id, profile, firmware, device; several
 * images or hosts in one cell separated by ';') or JSON (an array of
 * objects with the same members, firmware and device strings or arrays).
 * Relative paths are relative to the manifest.  The manifest is read once
 * and written to DIR/manifest.json with absolute paths: every later step
 * (the local jobs, a Slurm task, --merge) reads that copy, so they all see
 * the same rows.
 *
 * Each row is one job: this very program run as
 *	starlab assess --profile P [--firmware F]... [--device H]... -o
 *DIR/jobs/ID/report in a process of its own (a hostile image that crashes one
 *job cannot take the batch with it), its reports in DIR/jobs/ID/report/, its
 *output in DIR/jobs/ID/log.txt, and what it was given (the SHA-256 of every
 *input file) and how it ended in DIR/jobs/ID/job.json.  A job whose report.json
 *exists and whose inputs still hash the same is skipped (resume after an
 *interruption; --force runs it again).  Jobs run --jobs at a time (default: one
 *per core), of which at most --max-devices (default 1) scan a live device.
 *
 * Past one machine the same rows run as a Slurm array job: --slurm writes
 * DIR/batch.sbatch, one array task per row, each running --task, and
 * submits it with sbatch; --merge (or --slurm --wait) builds the summary.
 * The scheduling is Slurm's: this file only starts processes on one
 * machine.  docs/scale.md says how the same manifest runs as a Kubernetes
 * Indexed Job.
 *
 * The summary (DIR/summary.json, summary.csv, summary.html) is built from
 * the jobs' report.json files alone, so a local run and a Slurm run of the
 * same manifest give the same summary.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <spawn.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <jansson.h>
#include <openssl/evp.h>

#include "cli.h"

extern char **environ;

/* Bounds on a manifest: it is input like any other. */
#define B_MAX_ROWS     100000
#define B_MAX_CELLS    64 /* images or hosts in one row */
#define B_MAX_LINE     65536
#define B_MAX_ID       64
#define B_MAX_MANIFEST (64u << 20)

enum {
	OPT_B_OUT = OPT_CMD_FIRST,
	OPT_B_JOBS,
	OPT_B_MAXDEV,
	OPT_B_FORCE,
	OPT_B_TASK,
	OPT_B_SLURM,
	OPT_B_MERGE,
	OPT_B_WAIT,
	OPT_B_SBATCH,
	OPT_B_PREPARE,
};

void
help_batch(FILE *f)
{
	fprintf(
	    f,
	    "usage: starlab batch MANIFEST -o DIR [--jobs N] [--max-devices N] "
	    "[--force]\n"
	    "       starlab batch --slurm MANIFEST -o DIR [--wait] [--sbatch "
	    "ARGS]\n"
	    "       starlab batch --prepare MANIFEST -o DIR\n"
	    "       starlab batch --task K MANIFEST -o DIR\n"
	    "       starlab batch --merge DIR\n"
	    "\n"
	    "Assess every product of MANIFEST with 'starlab assess', one "
	    "process per\n"
	    "row, and write one summary: per product the verdict counts and "
	    "the worst\n"
	    "findings; overall which requirement fails most "
	    "(DIR/summary.json,\n"
	    "summary.csv, summary.html).  Each product's reports are in "
	    "DIR/jobs/ID/report/.\n"
	    "\n"
	    "MANIFEST is CSV with a header (id,profile,firmware,device; "
	    "several\n"
	    "images or hosts in a cell separated by ';') or a JSON array of "
	    "objects\n"
	    "with those members.  Relative paths are relative to the "
	    "manifest.\n"
	    "\n"
	    "  -o DIR             where the jobs and the summary go (created)\n"
	    "  --jobs N           jobs at a time (default: two per core)\n"
	    "  --max-devices N    jobs that scan a live device at a time "
	    "(default 1)\n"
	    "  --force            run every job again, even those already "
	    "done\n"
	    "  --slurm            run the rows as a Slurm array job: write\n"
	    "                     DIR/batch.sbatch and submit it with sbatch\n"
	    "  --wait             with --slurm: wait for the array, then "
	    "merge\n"
	    "  --sbatch ARGS      with --slurm: more sbatch options (one "
	    "string)\n"
	    "  --task K           run row K (0-based) of DIR/manifest.json "
	    "only\n"
	    "  --merge DIR        build the summary from DIR/jobs/ only\n"
	    "  --prepare          only write DIR/manifest.json, for a cluster\n"
	    "                     engine that runs the --task rows itself\n"
	    "\n"
	    "A job whose report exists and whose inputs hash the same is "
	    "skipped, so\n"
	    "an interrupted batch resumes where it stopped.\n"
	    "\n"
	    "Exit status: 0 every product conformant, 1 at least one product "
	    "with a\n"
	    "non-conformant verdict, 2 usage error, 3 the manifest could not "
	    "be read\n"
	    "or a job could not be run, 4 stopped by SIGINT or SIGTERM (run it "
	    "again to\nresume).\n");
}

/* ---- the manifest ------------------------------------------------------ */

struct row {
	char id[B_MAX_ID + 1];
	char *profile;
	char *fw[B_MAX_CELLS];
	size_t nfw;
	char *dev[B_MAX_CELLS];
	size_t ndev;
};

struct manifest {
	struct row *row;
	size_t n;
};

static void
manifest_free(struct manifest *m)
{
	size_t i, k;

	for (i = 0; i < m->n; i++) {
		free(m->row[i].profile);
		for (k = 0; k < m->row[i].nfw; k++)
			free(m->row[i].fw[k]);
		for (k = 0; k < m->row[i].ndev; k++)
			free(m->row[i].dev[k]);
	}
	free(m->row);
	m->row = NULL;
	m->n = 0;
}

/* An id is a file name in DIR/jobs: letters, digits, '.', '_', '-'. */
static bool
id_ok(const char *id)
{
	size_t i, n = strlen(id);

	if (n == 0 || n > B_MAX_ID || id[0] == '.')
		return false;
	for (i = 0; i < n; i++) {
		char c = id[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || c == '.' || c == '_' ||
		      c == '-'))
			return false;
	}
	return true;
}

/* PATH made absolute against the manifest's directory BASE. */
static char *
abs_path(const char *base, const char *path)
{
	char *out;
	size_t n;

	if (path[0] == '/')
		return strdup(path);
	n = strlen(base) + strlen(path) + 2;
	out = malloc(n);
	if (out != NULL)
		snprintf(out, n, "%s/%s", base, path);
	return out;
}

static char *
trim(char *s)
{
	char *e;

	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r' ||
	                 e[-1] == '\n'))
		*--e = 0;
	return s;
}

/* Add a ';'-separated cell (or one JSON string) to list; false on error. */
static bool
add_cells(char **list, size_t *n, const char *cell, const char *base,
          bool paths, char *err, size_t errn)
{
	char *copy = strdup(cell), *save = NULL, *tok;
	bool ok = true;

	if (copy == NULL)
		return false;
	for (tok = strtok_r(copy, ";", &save); tok != NULL;
	     tok = strtok_r(NULL, ";", &save)) {
		char *t = trim(tok);

		if (*t == 0)
			continue;
		if (*n >= B_MAX_CELLS) {
			snprintf(err, errn, "more than %d images or hosts",
			         B_MAX_CELLS);
			ok = false;
			break;
		}
		list[*n] = paths ? abs_path(base, t) : strdup(t);
		if (list[*n] == NULL) {
			ok = false;
			break;
		}
		(*n)++;
	}
	free(copy);
	return ok;
}

static bool
row_finish(struct row *r, size_t index, const char *base, char *err,
           size_t errn)
{
	if (r->id[0] == 0)
		snprintf(r->id, sizeof(r->id), "row-%zu", index + 1);
	if (!id_ok(r->id)) {
		snprintf(err, errn,
		         "id '%.64s': use 1-%d letters, digits, '.', '_', '-'",
		         r->id, B_MAX_ID);
		return false;
	}
	if (r->profile == NULL) {
		snprintf(err, errn, "no profile");
		return false;
	}
	if (r->profile[0] != '/') {
		char *p = abs_path(base, r->profile);

		free(r->profile);
		r->profile = p;
	}
	if (r->nfw == 0 && r->ndev == 0) {
		snprintf(err, errn, "neither a firmware image nor a device");
		return false;
	}
	return r->profile != NULL;
}

/* Split one CSV line into at most max fields, with "quoted" fields. */
static size_t
csv_split(char *line, char **field, size_t max)
{
	size_t n = 0;
	char *p = line;

	while (n < max) {
		char *out;

		field[n++] = out = p;
		if (*p == '"') {
			p++;
			for (;;) {
				if (*p == 0)
					break;
				if (*p == '"' && p[1] == '"') {
					*out++ = '"';
					p += 2;
				} else if (*p == '"') {
					p++;
					break;
				} else
					*out++ = *p++;
			}
			while (*p != 0 && *p != ',')
				p++;
		} else {
			while (*p != 0 && *p != ',')
				*out++ = *p++;
		}
		if (*p == ',') {
			*out = 0;
			p++;
			continue;
		}
		*out = 0;
		break;
	}
	return n;
}

static int
parse_csv(const char *path, char *text, const char *base, struct manifest *m)
{
	char *save = NULL, *line, *field[16];
	int col_id = -1, col_prof = -1, col_fw = -1, col_dev = -1;
	size_t lineno = 0, nf, i, cap = 0;
	char err[200];

	for (line = strtok_r(text, "\n", &save); line != NULL;
	     line = strtok_r(NULL, "\n", &save)) {
		struct row *r;

		lineno++;
		if (strlen(line) > B_MAX_LINE)
			return cli_err(EX_INPUT,
			               "%s:%zu: line longer than %d bytes",
			               path, lineno, B_MAX_LINE);
		if (*trim(line) == 0 || line[0] == '#')
			continue;
		nf = csv_split(line, field, 16);
		if (col_prof < 0) {
			for (i = 0; i < nf; i++) {
				const char *h = trim(field[i]);

				if (strcmp(h, "id") == 0)
					col_id = (int)i;
				else if (strcmp(h, "profile") == 0)
					col_prof = (int)i;
				else if (strcmp(h, "firmware") == 0)
					col_fw = (int)i;
				else if (strcmp(h, "device") == 0)
					col_dev = (int)i;
				else
					return cli_err(
					    EX_INPUT,
					    "%s:%zu: unknown column '%.40s' "
					    "(id, profile, firmware, device)",
					    path, lineno, h);
			}
			if (col_prof < 0)
				return cli_err(
				    EX_INPUT,
				    "%s:%zu: the header names no 'profile' "
				    "column",
				    path, lineno);
			continue;
		}
		if (m->n >= B_MAX_ROWS)
			return cli_err(EX_INPUT, "%s: more than %d rows", path,
			               B_MAX_ROWS);
		if (m->n == cap) {
			struct row *nr;

			cap = cap ? 2 * cap : 64;
			nr = realloc(m->row, cap * sizeof(*nr));
			if (nr == NULL)
				return cli_err(EX_INPUT, "out of memory");
			m->row = nr;
		}
		r = &m->row[m->n++];
		memset(r, 0, sizeof(*r));
		err[0] = 0;
		if (col_id >= 0 && col_id < (int)nf)
			snprintf(r->id, sizeof(r->id), "%s",
			         trim(field[col_id]));
		if (col_prof < (int)nf && *trim(field[col_prof]) != 0)
			r->profile = strdup(trim(field[col_prof]));
		if ((col_fw >= 0 && col_fw < (int)nf &&
		     !add_cells(r->fw, &r->nfw, field[col_fw], base, true, err,
		                sizeof(err))) ||
		    (col_dev >= 0 && col_dev < (int)nf &&
		     !add_cells(r->dev, &r->ndev, field[col_dev], base, false,
		                err, sizeof(err))) ||
		    !row_finish(r, m->n - 1, base, err, sizeof(err)))
			return cli_err(EX_INPUT, "%s:%zu: %s", path, lineno,
			               err[0] ? err : "out of memory");
	}
	if (col_prof < 0)
		return cli_err(
		    EX_INPUT, "%s: no header line (id,profile,firmware,device)",
		    path);
	return 0;
}

/* firmware/device member: a string (';'-separated) or an array of them. */
static bool
json_cells(json_t *v, char **list, size_t *n, const char *base, bool paths,
           char *err, size_t errn)
{
	size_t i;
	json_t *x;

	if (v == NULL)
		return true;
	if (json_is_string(v))
		return add_cells(list, n, json_string_value(v), base, paths,
		                 err, errn);
	if (!json_is_array(v)) {
		snprintf(err, errn,
		         "firmware and device are strings or arrays");
		return false;
	}
	json_array_foreach(v, i, x)
	{
		if (!json_is_string(x)) {
			snprintf(err, errn,
			         "firmware and device arrays hold strings");
			return false;
		}
		if (!add_cells(list, n, json_string_value(x), base, paths, err,
		               errn))
			return false;
	}
	return true;
}

static int
parse_json(const char *path, const char *text, size_t len, const char *base,
           struct manifest *m)
{
	json_error_t je;
	json_t *root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je), *o;
	size_t i;
	char err[200];

	if (root == NULL)
		return cli_err(EX_INPUT, "%s:%d:%d: %s", path, je.line,
		               je.column, je.text);
	if (json_is_object(root) &&
	    json_is_array(json_object_get(root, "rows"))) {
		json_t *rows = json_incref(json_object_get(root, "rows"));

		json_decref(root);
		root = rows;
	}
	if (!json_is_array(root)) {
		json_decref(root);
		return cli_err(EX_INPUT, "%s: want a JSON array of jobs", path);
	}
	if (json_array_size(root) > B_MAX_ROWS) {
		json_decref(root);
		return cli_err(EX_INPUT, "%s: more than %d rows", path,
		               B_MAX_ROWS);
	}
	m->row = calloc(json_array_size(root) + 1, sizeof(*m->row));
	if (m->row == NULL) {
		json_decref(root);
		return cli_err(EX_INPUT, "out of memory");
	}
	json_array_foreach(root, i, o)
	{
		struct row *r = &m->row[m->n++];
		json_t *id = json_object_get(o, "id"),
		       *prof = json_object_get(o, "profile");

		err[0] = 0;
		if (!json_is_object(o)) {
			json_decref(root);
			return cli_err(EX_INPUT, "%s: job %zu is not an object",
			               path, i + 1);
		}
		if (json_is_string(id))
			snprintf(r->id, sizeof(r->id), "%s",
			         json_string_value(id));
		if (json_is_string(prof))
			r->profile = strdup(json_string_value(prof));
		if (!json_cells(json_object_get(o, "firmware"), r->fw, &r->nfw,
		                base, true, err, sizeof(err)) ||
		    !json_cells(json_object_get(o, "device"), r->dev, &r->ndev,
		                base, false, err, sizeof(err)) ||
		    !row_finish(r, i, base, err, sizeof(err))) {
			json_decref(root);
			return cli_err(EX_INPUT, "%s: job %zu: %s", path, i + 1,
			               err[0] ? err : "out of memory");
		}
	}
	json_decref(root);
	return 0;
}

static char *
read_file(const char *path, size_t max, size_t *len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	struct stat st;
	char *buf;
	ssize_t r;
	size_t got = 0;

	if (fd < 0)
		return NULL;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) ||
	    (uint64_t)st.st_size > max) {
		close(fd);
		errno = EFBIG;
		return NULL;
	}
	buf = malloc((size_t)st.st_size + 1);
	while (buf != NULL && got < (size_t)st.st_size &&
	       (r = read(fd, buf + got, (size_t)st.st_size - got)) > 0)
		got += (size_t)r;
	close(fd);
	if (buf != NULL)
		buf[got] = 0;
	*len = got;
	return buf;
}

static int
manifest_load(const char *path, struct manifest *m)
{
	char base[PATH_MAX], *text, *slash;
	size_t len, i, k;
	int rc;

	if (realpath(path, base) == NULL)
		return cli_err(EX_INPUT, "%s: %s", path, strerror(errno));
	slash = strrchr(base, '/');
	if (slash == base)
		slash[1] = 0;
	else
		*slash = 0;
	text = read_file(path, B_MAX_MANIFEST, &len);
	if (text == NULL)
		return cli_err(EX_INPUT, "%s: %s", path,
		               errno == EFBIG
		                   ? "not a regular file of at most 64 MiB"
		                   : strerror(errno));
	for (i = 0; i < len && (text[i] == ' ' || text[i] == '\n' ||
	                        text[i] == '\t' || text[i] == '\r');
	     i++)
		;
	rc = i < len && (text[i] == '[' || text[i] == '{')
	         ? parse_json(path, text, len, base, m)
	         : parse_csv(path, text, base, m);
	free(text);
	if (rc != 0)
		return rc;
	if (m->n == 0)
		return cli_err(EX_INPUT, "%s: no jobs", path);
	for (i = 0; i < m->n; i++)
		for (k = 0; k < i; k++)
			if (strcmp(m->row[i].id, m->row[k].id) == 0)
				return cli_err(EX_INPUT, "%s: id '%s' twice",
				               path, m->row[i].id);
	return 0;
}

static json_t *
str_array(char *const *v, size_t n)
{
	json_t *a = json_array();
	size_t i;

	for (i = 0; i < n; i++)
		json_array_append_new(a, json_string(v[i]));
	return a;
}

static json_t *
manifest_json(const struct manifest *m)
{
	json_t *rows = json_array();
	size_t i;

	for (i = 0; i < m->n; i++) {
		const struct row *r = &m->row[i];

		json_array_append_new(
		    rows,
		    json_pack("{s:s, s:s, s:o, s:o}", "id", r->id, "profile",
		              r->profile, "firmware", str_array(r->fw, r->nfw),
		              "device", str_array(r->dev, r->ndev)));
	}
	return json_pack("{s:s, s:o}", "starlab_batch", "1", "rows", rows);
}

/* ---- files ----------------------------------------------------------------
 */

static int
mkdir_p(const char *dir)
{
	char tmp[PATH_MAX], *p;

	if (snprintf(tmp, sizeof(tmp), "%s", dir) >= (int)sizeof(tmp))
		return -1;
	for (p = tmp + 1; *p; p++)
		if (*p == '/') {
			*p = 0;
			if (mkdir(tmp, 0755) != 0 && errno != EEXIST)
				return -1;
			*p = '/';
		}
	if (mkdir(tmp, 0755) != 0 && errno != EEXIST)
		return -1;
	return 0;
}

static int
write_json(const char *path, json_t *j)
{
	char *s = json_dumps(j, JSON_INDENT(2) | JSON_SORT_KEYS);
	int rc;

	if (s == NULL)
		return -1;
	rc = sl_write_atomic(path, s, strlen(s)) == SL_OK ? 0 : -1;
	free(s);
	return rc;
}

/* SHA-256 of a file as hex, or "" when it cannot be read. */
static void
sha256_file(const char *path, char out[65])
{
	unsigned char buf[65536], md[32];
	unsigned int mdn = 0;
	EVP_MD_CTX *c = EVP_MD_CTX_new();
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t r = 0;
	int i;

	out[0] = 0;
	if (c == NULL || fd < 0 ||
	    EVP_DigestInit_ex(c, EVP_sha256(), NULL) != 1)
		goto done;
	while ((r = read(fd, buf, sizeof(buf))) > 0)
		EVP_DigestUpdate(c, buf, (size_t)r);
	if (r < 0 || EVP_DigestFinal_ex(c, md, &mdn) != 1)
		goto done;
	for (i = 0; i < 32; i++)
		snprintf(out + 2 * i, 3, "%02x", md[i]);
done:
	if (fd >= 0)
		close(fd);
	EVP_MD_CTX_free(c);
}

/* What a job is given: every input file's hash, the hosts, the program. */
static json_t *
job_inputs(const struct row *r)
{
	json_t *files = json_object();
	char h[65];
	size_t i;

	sha256_file(r->profile, h);
	json_object_set_new(files, r->profile, json_string(h));
	for (i = 0; i < r->nfw; i++) {
		sha256_file(r->fw[i], h);
		json_object_set_new(files, r->fw[i], json_string(h));
	}
	return json_pack("{s:o, s:o, s:s}", "files", files, "devices",
	                 str_array(r->dev, r->ndev), "starlab", sl_version());
}

/* ---- running jobs -----------------------------------------------------------
 */

struct job {
	const struct row *r;
	char dir[PATH_MAX];
	pid_t pid;
	bool device;
	json_t *inputs;
	int status; /* exit status, or -1 not run */
};

static bool
job_done(struct job *j)
{
	char path[PATH_MAX + 32];
	json_t *old, *inputs;
	bool same;

	snprintf(path, sizeof(path), "%s/report/report.json", j->dir);
	if (access(path, R_OK) != 0)
		return false;
	snprintf(path, sizeof(path), "%s/job.json", j->dir);
	old = json_load_file(path, 0, NULL);
	inputs = json_object_get(old, "inputs");
	same = inputs != NULL && json_equal(inputs, j->inputs) &&
	       json_is_integer(json_object_get(old, "status"));
	if (same)
		j->status =
		    (int)json_integer_value(json_object_get(old, "status"));
	json_decref(old);
	return same;
}

static int
job_start(struct job *j, const char *self)
{
	char *argv[8 + 4 * B_MAX_CELLS], log[PATH_MAX + 16], rep[PATH_MAX + 16];
	posix_spawn_file_actions_t fa;
	size_t n = 0, i;
	int rc;

	if (mkdir_p(j->dir) != 0)
		return cli_err(EX_INPUT, "%s: %s", j->dir, strerror(errno));
	argv[n++] = (char *)self;
	argv[n++] = "assess";
	argv[n++] = "--profile";
	argv[n++] = j->r->profile;
	for (i = 0; i < j->r->nfw; i++) {
		argv[n++] = "--firmware";
		argv[n++] = j->r->fw[i];
	}
	for (i = 0; i < j->r->ndev; i++) {
		argv[n++] = "--device";
		argv[n++] = j->r->dev[i];
	}
	/* assess writes its reports as one set into a directory of its own. */
	snprintf(rep, sizeof(rep), "%s/report", j->dir);
	argv[n++] = "-o";
	argv[n++] = rep;
	argv[n] = NULL;
	snprintf(log, sizeof(log), "%s/log.txt", j->dir);
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, STDIN_FILENO, "/dev/null",
	                                 O_RDONLY, 0);
	posix_spawn_file_actions_addopen(&fa, STDOUT_FILENO, log,
	                                 O_WRONLY | O_CREAT | O_TRUNC, 0644);
	posix_spawn_file_actions_adddup2(&fa, STDOUT_FILENO, STDERR_FILENO);
	rc = posix_spawn(&j->pid, self, &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	if (rc != 0)
		return cli_err(EX_INPUT, "cannot run %s: %s", self,
		               strerror(rc));
	return 0;
}

static void
job_record(struct job *j)
{
	char path[PATH_MAX + 16];
	json_t *o = json_pack("{s:s, s:O, s:i}", "id", j->r->id, "inputs",
	                      j->inputs, "status", j->status);

	snprintf(path, sizeof(path), "%s/job.json", j->dir);
	if (o == NULL || write_json(path, o) != 0)
		cli_err(0, "%s: cannot write", path);
	json_decref(o);
}

static int
exit_code(int wstatus)
{
	if (WIFEXITED(wstatus))
		return WEXITSTATUS(wstatus);
	if (WIFSIGNALED(wstatus))
		return 128 + WTERMSIG(wstatus);
	return 255;
}

static volatile sig_atomic_t b_stop;

static void
on_signal(int sig)
{
	(void)sig;
	b_stop = 1;
}

/* Run the jobs not done yet, jobs at a time; 0, EX_INPUT, or EX_INTERRUPTED
 * when a signal stopped them. */
static int
run_jobs(struct job *job, size_t n, unsigned jobs, unsigned maxdev, bool force)
{
	size_t next = 0, running = 0, i, ran = 0, skipped = 0;
	unsigned devs = 0;
	char self[PATH_MAX];
	ssize_t sl = readlink("/proc/self/exe", self, sizeof(self) - 1);
	struct sigaction sa = {.sa_handler = on_signal};
	int rc = 0;

	if (sl <= 0)
		return cli_err(EX_INPUT, "cannot find this program: %s",
		               strerror(errno));
	self[sl] = 0;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	for (;;) {
		/* Start what may start, in manifest order. */
		while (!b_stop && running < jobs && next < n) {
			struct job *j = &job[next];

			if (!force && job_done(j)) {
				next++;
				skipped++;
				continue;
			}
			if (j->device && devs >= maxdev)
				break;
			if (job_start(j, self) != 0) {
				rc = EX_INPUT;
				b_stop = 1;
				break;
			}
			running++;
			devs += j->device;
			next++;
			ran++;
			cli_progress("job %s started (%zu of %zu)", j->r->id,
			             next, n);
		}
		if (running == 0)
			break;
		{
			int ws;
			pid_t p = waitpid(-1, &ws, 0);

			if (p < 0) {
				if (errno == EINTR)
					continue;
				break;
			}
			for (i = 0; i < n; i++)
				if (job[i].pid == p) {
					job[i].pid = 0;
					job[i].status = exit_code(ws);
					job_record(&job[i]);
					running--;
					devs -= job[i].device;
					cli_progress("job %s: exit %d",
					             job[i].r->id,
					             job[i].status);
					break;
				}
		}
		if (b_stop)
			for (i = 0; i < n; i++)
				if (job[i].pid > 0)
					kill(job[i].pid, SIGTERM);
	}
	if (b_stop && rc == 0)
		rc = cli_err(EX_INTERRUPTED,
		             "interrupted: %zu jobs ran, the rest can be "
		             "resumed by running the batch again",
		             ran);
	printf("%zu jobs run, %zu already done\n", ran, skipped);
	fflush(stdout);
	return rc;
}

/* ---- the summary
 * -------------------------------------------------------------- */

static const char *const verdicts[] = {"conformant", "non-conformant",
                                       "not-applicable", "needs-evidence"};
static const char *const sev_order[] = {"critical", "high", "medium", "low",
                                        "info"};

static int
sev_rank(const char *s)
{
	size_t i;

	for (i = 0; s != NULL && i < sizeof(sev_order) / sizeof(*sev_order);
	     i++)
		if (strcmp(s, sev_order[i]) == 0)
			return (int)i;
	return 99;
}

static int
finding_cmp(const void *a, const void *b)
{
	json_t *x = *(json_t *const *)a, *y = *(json_t *const *)b;
	int d = sev_rank(json_string_value(json_object_get(x, "severity"))) -
	        sev_rank(json_string_value(json_object_get(y, "severity")));

	if (d != 0)
		return d;
	const char *a1 = json_string_value(json_object_get(x, "id")),
	           *b1 = json_string_value(json_object_get(y, "id"));

	return strcmp(a1 ? a1 : "", b1 ? b1 : "");
}

/* The summary of one job from its report.json (NULL members when none). */
static json_t *
job_summary(const char *dir, const char *id, int *nonconf)
{
	char path[PATH_MAX + 16];
	json_t *rep, *out, *counts = json_object(), *worst = json_array(),
	                   *failed = json_array(), *c, *f, **fv = NULL;
	size_t i, nf;

	for (i = 0; i < 4; i++)
		json_object_set_new(counts, verdicts[i], json_integer(0));
	snprintf(path, sizeof(path), "%s/report/report.json", dir);
	rep = json_load_file(path, 0, NULL);
	out = json_pack("{s:s, s:b}", "id", id, "report", rep != NULL);
	if (rep == NULL) {
		json_object_set_new(out, "verdicts", counts);
		json_object_set_new(out, "worst_findings", worst);
		json_object_set_new(out, "non_conformant", failed);
		return out;
	}
	json_array_foreach(json_object_get(rep, "checklist"), i, c)
	{
		const char *v =
		    json_string_value(json_object_get(c, "verdict"));
		json_t *cnt = v ? json_object_get(counts, v) : NULL;

		if (cnt != NULL)
			json_integer_set(cnt, json_integer_value(cnt) + 1);
		if (v != NULL && strcmp(v, "non-conformant") == 0)
			json_array_append(failed, json_object_get(c, "id"));
	}
	if (json_array_size(failed) > 0)
		*nonconf = 1;
	nf = json_array_size(json_object_get(rep, "findings"));
	fv = calloc(nf + 1, sizeof(*fv));
	if (fv != NULL) {
		json_array_foreach(json_object_get(rep, "findings"), i, f)
		    fv[i] = f;
		qsort(fv, nf, sizeof(*fv), finding_cmp);
		for (i = 0; i < nf && i < 3; i++)
			json_array_append_new(
			    worst,
			    json_pack("{s:O?, s:O?, s:O?}", "severity",
			              json_object_get(fv[i], "severity"), "id",
			              json_object_get(fv[i], "id"), "title",
			              json_object_get(fv[i], "title")));
		free(fv);
	}
	json_object_set_new(out, "verdicts", counts);
	json_object_set_new(out, "non_conformant", failed);
	json_object_set_new(out, "findings", json_integer((json_int_t)nf));
	json_object_set_new(out, "worst_findings", worst);
	json_decref(rep);
	return out;
}

static void
html_escape(FILE *f, const char *s)
{
	for (; s != NULL && *s; s++)
		switch (*s) {
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '&': fputs("&amp;", f); break;
		case '"': fputs("&quot;", f); break;
		default:
			if ((unsigned char)*s < 0x20)
				fputc(' ', f);
			else
				fputc(*s, f);
		}
}

static void
csv_field(FILE *f, const char *s)
{
	fputc('"', f);
	for (; s != NULL && *s; s++) {
		if (*s == '"')
			fputc('"', f);
		fputc((unsigned char)*s < 0x20 ? ' ' : *s, f);
	}
	fputc('"', f);
}

/* Write summary.csv and summary.html from the summary JSON. */
static int
write_summary_views(const char *dir, json_t *sum)
{
	char path[PATH_MAX + 32], *buf = NULL;
	size_t len = 0, i, k;
	json_t *p, *w;
	FILE *f;
	int rc = 0;

	f = open_memstream(&buf, &len);
	if (f == NULL)
		return -1;
	fputs("id,report,conformant,non_conformant,not_applicable,"
	      "needs_evidence,failed_requirements,worst_finding\n",
	      f);
	json_array_foreach(json_object_get(sum, "products"), i, p)
	{
		json_t *v = json_object_get(p, "verdicts"),
		       *w0 = json_array_get(
		           json_object_get(p, "worst_findings"), 0);
		char failed[1024] = "";

		json_array_foreach(json_object_get(p, "non_conformant"), k, w)
		{
			size_t fl = strlen(failed);

			snprintf(failed + fl, sizeof(failed) - fl, "%s%s",
			         k ? " " : "", json_string_value(w));
		}
		csv_field(f, json_string_value(json_object_get(p, "id")));
		fprintf(
		    f, ",%s,%lld,%lld,%lld,%lld,",
		    json_is_true(json_object_get(p, "report")) ? "yes" : "no",
		    json_integer_value(json_object_get(v, "conformant")),
		    json_integer_value(json_object_get(v, "non-conformant")),
		    json_integer_value(json_object_get(v, "not-applicable")),
		    json_integer_value(json_object_get(v, "needs-evidence")));
		csv_field(f, failed);
		fputc(',', f);
		if (w0 != NULL) {
			char wf[600];

			snprintf(
			    wf, sizeof(wf), "[%s] %s",
			    json_string_value(json_object_get(w0, "severity")),
			    json_string_value(json_object_get(w0, "id")));
			csv_field(f, wf);
		}
		fputc('\n', f);
	}
	fclose(f);
	snprintf(path, sizeof(path), "%s/summary.csv", dir);
	if (buf == NULL || sl_write_atomic(path, buf, len) != SL_OK)
		rc = -1;
	free(buf);
	buf = NULL;

	f = open_memstream(&buf, &len);
	if (f == NULL)
		return -1;
	fputs(
	    "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
	    "<title>starlab batch summary</title><style>"
	    "body{font-family:sans-serif;margin:2em}"
	    "table{border-collapse:collapse}td,th{border:1px solid #999;"
	    "padding:.2em .5em;text-align:left}"
	    ".nc{color:#a00;font-weight:bold}</style></head><body>\n"
	    "<h1>starlab batch summary</h1>\n",
	    f);
	fprintf(f,
	        "<p>%lld products; %lld with a non-conformant verdict.</p>\n",
	        json_integer_value(json_object_get(sum, "total")),
	        json_integer_value(
	            json_object_get(sum, "non_conformant_products")));
	fputs("<h2>Requirements that fail most</h2>\n<table><tr><th>requirement"
	      "</th><th>products non-conformant</th></tr>\n",
	      f);
	json_array_foreach(json_object_get(sum, "requirements"), i, p)
	{
		fputs("<tr><td>", f);
		html_escape(f, json_string_value(json_object_get(p, "id")));
		fprintf(
		    f, "</td><td>%lld</td></tr>\n",
		    json_integer_value(json_object_get(p, "non_conformant")));
	}
	fputs("</table>\n<h2>Products</h2>\n<table><tr><th>id</th><th>"
	      "conformant</th><th>non-conformant</th><th>not applicable</th>"
	      "<th>needs evidence</th><th>worst findings</th></tr>\n",
	      f);
	json_array_foreach(json_object_get(sum, "products"), i, p)
	{
		json_t *v = json_object_get(p, "verdicts");

		fputs("<tr><td>", f);
		html_escape(f, json_string_value(json_object_get(p, "id")));
		fprintf(
		    f,
		    "</td><td>%lld</td><td class=\"%s\">%lld</td>"
		    "<td>%lld</td><td>%lld</td><td>",
		    json_integer_value(json_object_get(v, "conformant")),
		    json_integer_value(json_object_get(v, "non-conformant"))
		        ? "nc"
		        : "",
		    json_integer_value(json_object_get(v, "non-conformant")),
		    json_integer_value(json_object_get(v, "not-applicable")),
		    json_integer_value(json_object_get(v, "needs-evidence")));
		json_array_foreach(json_object_get(p, "worst_findings"), k, w)
		{
			fputs(k ? "<br>[" : "[", f);
			html_escape(f, json_string_value(
			                   json_object_get(w, "severity")));
			fputs("] ", f);
			html_escape(
			    f, json_string_value(json_object_get(w, "id")));
			fputs(": ", f);
			html_escape(
			    f, json_string_value(json_object_get(w, "title")));
		}
		if (!json_is_true(json_object_get(p, "report")))
			fputs("no report (see the job's log.txt)", f);
		fputs("</td></tr>\n", f);
	}
	fputs("</table>\n</body></html>\n", f);
	fclose(f);
	snprintf(path, sizeof(path), "%s/summary.html", dir);
	if (buf == NULL || sl_write_atomic(path, buf, len) != SL_OK)
		rc = -1;
	free(buf);
	return rc;
}

static int
req_cmp(const void *a, const void *b)
{
	json_t *x = *(json_t *const *)a, *y = *(json_t *const *)b;
	json_int_t d =
	    json_integer_value(json_object_get(y, "non_conformant")) -
	    json_integer_value(json_object_get(x, "non_conformant"));

	if (d != 0)
		return d > 0 ? 1 : -1;
	return strcmp(json_string_value(json_object_get(x, "id")),
	              json_string_value(json_object_get(y, "id")));
}

/* Build the summary of DIR from DIR/manifest.json and DIR/jobs/. */
static int
merge(const char *dir)
{
	char path[PATH_MAX + 32];
	json_t *man, *rows, *r, *products = json_array(), *reqs = json_object(),
	                        *sum, *x, **rv;
	size_t i, n = 0, missing = 0;
	const char *key;
	int any_nc = 0, nc_products = 0, rc;

	snprintf(path, sizeof(path), "%s/manifest.json", dir);
	man = json_load_file(path, 0, NULL);
	rows = json_object_get(man, "rows");
	if (!json_is_array(rows)) {
		json_decref(man);
		return cli_err(EX_INPUT,
		               "%s: missing or not a batch manifest "
		               "(run 'starlab batch MANIFEST -o %s' first)",
		               path, dir);
	}
	json_array_foreach(rows, i, r)
	{
		const char *id = json_string_value(json_object_get(r, "id"));
		char jd[PATH_MAX];
		int nc = 0;
		size_t k;
		json_t *js, *f;

		if (id == NULL || !id_ok(id))
			continue;
		snprintf(jd, sizeof(jd), "%s/jobs/%s", dir, id);
		js = job_summary(jd, id, &nc);
		if (!json_is_true(json_object_get(js, "report")))
			missing++;
		any_nc |= nc;
		nc_products += nc;
		json_array_foreach(json_object_get(js, "non_conformant"), k, f)
		{
			const char *rid = json_string_value(f);
			json_t *cnt = json_object_get(reqs, rid);

			if (rid == NULL)
				continue;
			json_object_set_new(
			    reqs, rid,
			    json_integer(json_integer_value(cnt) + 1));
		}
		json_array_append_new(products, js);
	}
	rv = calloc(json_object_size(reqs) + 1, sizeof(*rv));
	sum = json_pack("{s:s, s:i, s:i, s:i, s:o}", "starlab", sl_version(),
	                "total", (int)json_array_size(products),
	                "non_conformant_products", nc_products,
	                "without_report", (int)missing, "products", products);
	if (rv != NULL) {
		json_t *arr = json_array();

		json_object_foreach(reqs, key, x) rv[n++] =
		    json_pack("{s:s, s:O}", "id", key, "non_conformant", x);
		qsort(rv, n, sizeof(*rv), req_cmp);
		for (i = 0; i < n; i++)
			json_array_append_new(arr, rv[i]);
		json_object_set_new(sum, "requirements", arr);
		json_object_set(sum, "most_failed",
		                n ? json_object_get(rv[0], "id") : json_null());
		free(rv);
	}
	json_decref(reqs);
	snprintf(path, sizeof(path), "%s/summary.json", dir);
	rc = write_json(path, sum);
	if (rc == 0)
		rc = write_summary_views(dir, sum);
	if (rc != 0) {
		json_decref(sum);
		json_decref(man);
		return cli_err(EX_INPUT, "%s: cannot write the summary", dir);
	}
	printf("summary: %s/summary.json, summary.csv, summary.html (%zu "
	       "products, %d with a non-conformant verdict%s)\n",
	       dir, json_array_size(products), nc_products,
	       missing ? ", some without a report" : "");
	json_decref(sum);
	json_decref(man);
	if (missing)
		return EX_INPUT;
	return any_nc ? EX_NONCONF : EX_CONFORMANT;
}

/* ---- Slurm
 * -------------------------------------------------------------------- */

/* ARG single-quoted for sh. */
static void
sh_quote(FILE *f, const char *s)
{
	fputc('\'', f);
	for (; *s; s++)
		if (*s == '\'')
			fputs("'\\''", f);
		else
			fputc(*s, f);
	fputc('\'', f);
}

static int
slurm_submit(const char *dir, size_t n, bool wait, const char *extra)
{
	char path[PATH_MAX + 32], self[PATH_MAX], man[PATH_MAX + 32],
	    *buf = NULL;
	ssize_t sl = readlink("/proc/self/exe", self, sizeof(self) - 1);
	size_t len = 0;
	FILE *f;
	int st;

	if (sl <= 0)
		return cli_err(EX_INPUT, "cannot find this program");
	self[sl] = 0;
	snprintf(man, sizeof(man), "%s/manifest.json", dir);
	snprintf(path, sizeof(path), "%s/slurm", dir);
	if (mkdir_p(path) != 0)
		return cli_err(EX_INPUT, "%s: %s", path, strerror(errno));
	f = open_memstream(&buf, &len);
	if (f == NULL)
		return cli_err(EX_INPUT, "out of memory");
	fprintf(f,
	        "#!/bin/sh\n"
	        "# Written by 'starlab batch --slurm': one array task per "
	        "manifest row.\n"
	        "#SBATCH --job-name=starlab-batch\n"
	        "#SBATCH --array=0-%zu\n"
	        "#SBATCH --cpus-per-task=1\n"
	        "#SBATCH --output=%s/slurm/%%A_%%a.log\n"
	        "exec ",
	        n - 1, dir);
	sh_quote(f, self);
	fputs(" batch --task \"$SLURM_ARRAY_TASK_ID\" ", f);
	sh_quote(f, man);
	fputs(" -o ", f);
	sh_quote(f, dir);
	fputc('\n', f);
	fclose(f);
	snprintf(path, sizeof(path), "%s/batch.sbatch", dir);
	if (buf == NULL || sl_write_atomic(path, buf, len) != SL_OK) {
		free(buf);
		return cli_err(EX_INPUT, "%s: cannot write", path);
	}
	free(buf);
	chmod(path, 0755);
	printf("wrote %s (%zu array tasks)\n", path, n);
	fflush(stdout);
	{
		char *argv[64];
		char *ex = extra ? strdup(extra) : NULL, *save = NULL, *t;
		size_t a = 0;
		pid_t pid;

		argv[a++] = "sbatch";
		argv[a++] = "--parsable";
		if (wait)
			argv[a++] = "--wait";
		for (t = ex ? strtok_r(ex, " ", &save) : NULL; t && a < 60;
		     t = strtok_r(NULL, " ", &save))
			argv[a++] = t;
		argv[a++] = path;
		argv[a] = NULL;
		if (posix_spawnp(&pid, "sbatch", NULL, NULL, argv, environ) !=
		    0) {
			free(ex);
			return cli_err(
			    EX_INPUT,
			    "cannot run sbatch (is Slurm installed here?); "
			    "submit %s yourself, then run 'starlab batch "
			    "--merge %s'",
			    path, dir);
		}
		free(ex);
		while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
			;
	}
	if (exit_code(st) != 0)
		return cli_err(EX_INPUT, "sbatch %s: exit %d (see %s/slurm/)",
		               wait ? "--wait" : "", exit_code(st), dir);
	if (!wait) {
		printf("submitted; when the array is done, run 'starlab batch "
		       "--merge %s'\n",
		       dir);
		return 0;
	}
	return merge(dir);
}

/* ---- the command
 * ------------------------------------------------------------- */

static bool
parse_uint(const char *s, unsigned lo, unsigned hi, unsigned *out)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno != 0 || end == s || *end != 0 || v < lo || v > hi)
		return false;
	*out = (unsigned)v;
	return true;
}

int
cmd_batch(int argc, char **argv)
{
	static const struct option opts[] = {
	    {"help", no_argument, NULL, 'h'},
	    {"jobs", required_argument, NULL, OPT_B_JOBS},
	    {"max-devices", required_argument, NULL, OPT_B_MAXDEV},
	    {"force", no_argument, NULL, OPT_B_FORCE},
	    {"task", required_argument, NULL, OPT_B_TASK},
	    {"slurm", no_argument, NULL, OPT_B_SLURM},
	    {"merge", required_argument, NULL, OPT_B_MERGE},
	    {"wait", no_argument, NULL, OPT_B_WAIT},
	    {"sbatch", required_argument, NULL, OPT_B_SBATCH},
	    {"prepare", no_argument, NULL, OPT_B_PREPARE},
	    {NULL, 0, NULL, 0},
	};
	const char *out = NULL, *merge_dir = NULL, *sbatch_args = NULL;
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	/*
	 * Two jobs per core: a job spends part of its time writing and
	 * syncing its report set, and a job waiting on the disk leaves its
	 * core to another (bench/batch.sh measures both).
	 */
	unsigned jobs = cpus > 0 ? 2 * (unsigned)cpus : 2, maxdev = 1, task = 0;
	bool force = false, slurm = false, wait = false, have_task = false;
	bool prepare = false;
	struct manifest m = {0};
	struct job *job = NULL;
	char dir[PATH_MAX], path[PATH_MAX + 32];
	json_t *mj;
	size_t i;
	int c, rc;

	while ((c = cli_getopt("batch", argc, argv, "o:", opts)) != -1) {
		switch (c) {
		case OPT_HELP: help_batch(stdout); return 0;
		case 'o': out = optarg; break;
		case OPT_B_JOBS:
			if (!parse_uint(optarg, 1, 1024, &jobs))
				return cli_usage(
				    "batch", "--jobs: want 1-1024, got '%s'",
				    optarg);
			break;
		case OPT_B_MAXDEV:
			if (!parse_uint(optarg, 1, 256, &maxdev))
				return cli_usage(
				    "batch",
				    "--max-devices: want 1-256, got '%s'",
				    optarg);
			break;
		case OPT_B_FORCE: force = true; break;
		case OPT_B_TASK:
			if (!parse_uint(optarg, 0, B_MAX_ROWS - 1, &task))
				return cli_usage("batch",
				                 "--task: want a row number, "
				                 "got '%s'",
				                 optarg);
			have_task = true;
			break;
		case OPT_B_SLURM: slurm = true; break;
		case OPT_B_MERGE: merge_dir = optarg; break;
		case OPT_B_WAIT: wait = true; break;
		case OPT_B_SBATCH: sbatch_args = optarg; break;
		case OPT_B_PREPARE: prepare = true; break;
		default: return EX_USAGE; /* cli_getopt said why */
		}
	}
	if (merge_dir != NULL) {
		if (optind != argc || out != NULL || slurm || have_task)
			return cli_usage("batch",
			                 "--merge DIR takes nothing else");
		return merge(merge_dir);
	}
	if (optind + 1 != argc)
		return cli_usage("batch", "want one MANIFEST");
	if (out == NULL)
		return cli_usage("batch", "-o DIR is required");
	if ((wait || sbatch_args) && !slurm)
		return cli_usage("batch",
		                 "--wait and --sbatch go with --slurm");
	if (prepare && (slurm || have_task))
		return cli_usage("batch", "--prepare goes alone");
	if (have_task && slurm)
		return cli_usage("batch",
		                 "--task and --slurm do not go together");
	if (mkdir_p(out) != 0 || realpath(out, dir) == NULL)
		return cli_err(EX_INPUT, "%s: %s", out, strerror(errno));

	if (have_task) {
		/* A Slurm task: the row of the manifest copy the batch wrote.
		 */
		if ((rc = manifest_load(argv[optind], &m)) != 0) {
			manifest_free(&m);
			return rc;
		}
		if (task >= m.n) {
			manifest_free(&m);
			return cli_err(EX_INPUT,
			               "--task %u: the manifest has %zu rows",
			               task, m.n);
		}
	} else {
		if ((rc = manifest_load(argv[optind], &m)) != 0) {
			manifest_free(&m);
			return rc;
		}
		snprintf(path, sizeof(path), "%s/manifest.json", dir);
		mj = manifest_json(&m);
		if (mj == NULL || write_json(path, mj) != 0) {
			json_decref(mj);
			manifest_free(&m);
			return cli_err(EX_INPUT, "%s: cannot write", path);
		}
		json_decref(mj);
		if (prepare) {
			printf(
			    "wrote %s: %zu rows; run 'starlab batch --task K "
			    "%s -o %s' for K = 0 .. %zu, then 'starlab batch "
			    "--merge %s'\n",
			    path, m.n, path, dir, m.n - 1, dir);
			manifest_free(&m);
			return 0;
		}
		if (slurm) {
			size_t n = m.n;

			manifest_free(&m);
			return slurm_submit(dir, n, wait, sbatch_args);
		}
	}

	job = calloc(m.n, sizeof(*job));
	if (job == NULL) {
		manifest_free(&m);
		return cli_err(EX_INPUT, "out of memory");
	}
	for (i = 0; i < m.n; i++) {
		job[i].r = &m.row[i];
		job[i].device = m.row[i].ndev > 0;
		job[i].status = -1;
		job[i].inputs = job_inputs(&m.row[i]);
		snprintf(job[i].dir, sizeof(job[i].dir), "%s/jobs/%s", dir,
		         m.row[i].id);
	}
	if (have_task)
		rc = run_jobs(&job[task], 1, 1, 1, force);
	else
		rc = run_jobs(job, m.n, jobs, maxdev, force);
	for (i = 0; i < m.n; i++)
		json_decref(job[i].inputs);
	free(job);
	manifest_free(&m);
	if (rc != 0)
		return rc;
	if (have_task)
		return 0;
	return merge(dir);
}
