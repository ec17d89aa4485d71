/*
 * progress.c - the live progress line of the starlab program.
 *
 * The library reports a run's progress through sl_scan_set_progress
 * (stage, counts); this file renders it.  On a terminal: one line on
 * stderr, rewritten in place ("\r" and erase-line), with the stage, its
 * counts and a rate; cleared before any other message and at the end.
 * Not a terminal, or --quiet: nothing.  --progress=json: one JSON
 * object per line on stderr (terminal or not), for a lab's dashboard:
 *
 *   {"t":1.52,"input":"10.0.0.2","stage":"ports","done":12000,
 *    "total":65535,"extra":3,"finished":false}
 *
 * Two scans may report at once (assess: the images on the main thread,
 * the devices on theirs): one lock keeps their lines whole.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "cli.h"

enum mode { MODE_AUTO, MODE_QUIET, MODE_JSON, MODE_TTY };

static enum mode mode = MODE_AUTO;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static bool line_shown;         /* a live line is on the terminal now */
static struct timespec started; /* the first report */
static struct {
	enum sl_stage stage;
	struct timespec t0; /* when the current stage began */
} cur;

int
cli_progress_opt(const char *cmd, int code, const char *arg)
{
	if (code == OPT_QUIET) {
		mode = MODE_QUIET;
		return 1;
	}
	if (code != OPT_PROGRESS)
		return 0;
	if (strcmp(arg, "json") == 0)
		mode = MODE_JSON;
	else if (strcmp(arg, "tty") == 0)
		mode = MODE_TTY;
	else if (strcmp(arg, "none") == 0)
		mode = MODE_QUIET;
	else if (strcmp(arg, "auto") == 0)
		mode = MODE_AUTO;
	else {
		cli_usage(cmd,
		          "--progress: want auto, tty, json or none, got "
		          "'%s'",
		          arg);
		return -1;
	}
	return 1;
}

/* The effective mode: auto is tty on a terminal, else quiet. */
static enum mode
effective(void)
{
	if (mode == MODE_AUTO)
		return isatty(STDERR_FILENO) ? MODE_TTY : MODE_QUIET;
	return mode;
}

bool
cli_progress_quiet(void)
{
	return effective() == MODE_QUIET;
}

bool
cli_progress_json(void)
{
	return effective() == MODE_JSON;
}

static double
since(const struct timespec *a, const struct timespec *b)
{
	return (double)(b->tv_sec - a->tv_sec) +
	       (double)(b->tv_nsec - a->tv_nsec) / 1e9;
}

void
cli_progress_clear(void)
{
	pthread_mutex_lock(&lock);
	if (line_shown) {
		fputs("\r\033[K", stderr);
		fflush(stderr);
		line_shown = false;
	}
	pthread_mutex_unlock(&lock);
}

/* 1234567 -> "1.2 MB" */
static void
human_bytes(uint64_t n, char *out, size_t size)
{
	static const char *const unit[] = {"B", "kB", "MB", "GB", "TB"};
	double v = (double)n;
	size_t u = 0;

	while (v >= 1000 && u + 1 < sizeof(unit) / sizeof(unit[0])) {
		v /= 1000;
		u++;
	}
	snprintf(out, size, u == 0 ? "%.0f %s" : "%.1f %s", v, unit[u]);
}

static void
render_tty(const struct sl_progress *p, const char *label, double secs)
{
	char line[512], b[32], *safe;
	double rate = secs > 0.2 ? (double)p->done / secs : 0;
	int n = 0;

	switch (p->stage) {
	case SL_STAGE_UNPACK:
		human_bytes(p->done, b, sizeof(b));
		n = snprintf(line, sizeof(line),
		             "%s: unpacking: %s decoded, %llu files", label, b,
		             (unsigned long long)p->extra);
		break;
	case SL_STAGE_CHECKS:
		n = snprintf(line, sizeof(line),
		             "%s: firmware checks %llu/%llu%s%s", label,
		             (unsigned long long)p->done,
		             (unsigned long long)p->total, p->name ? ": " : "",
		             p->name ? p->name : "");
		break;
	case SL_STAGE_PORTS:
		n = snprintf(line, sizeof(line),
		             "%s: TCP ports %llu/%llu, %llu open, %.0f/s",
		             label, (unsigned long long)p->done,
		             (unsigned long long)p->total,
		             (unsigned long long)p->extra, rate);
		break;
	case SL_STAGE_UDP:
		n = snprintf(line, sizeof(line), "%s: UDP probes%s", label,
		             p->finished ? " done" : "");
		break;
	case SL_STAGE_SERVICES:
		n = snprintf(line, sizeof(line),
		             "%s: services identified %llu/%llu", label,
		             (unsigned long long)p->done,
		             (unsigned long long)p->total);
		break;
	case SL_STAGE_DEVICE_CHECKS:
		n = snprintf(line, sizeof(line),
		             "%s: device checks %llu/%llu%s%s", label,
		             (unsigned long long)p->done,
		             (unsigned long long)p->total, p->name ? ": " : "",
		             p->name ? p->name : "");
		break;
	default:
		n = snprintf(line, sizeof(line), "%s: %s %llu", label,
		             p->stage_name, (unsigned long long)p->done);
		break;
	}
	if (n < 0)
		return;
	/* The label and the check names may come from the command line. */
	if ((safe = sl_printable(line)) == NULL)
		return;
	/* One terminal line: a longer one would scroll instead of being
	 * rewritten. */
	fprintf(stderr, "\r\033[Kstarlab: %.100s", safe);
	free(safe);
	line_shown = true;
}

static void
render_json(const struct sl_progress *p, const char *label, double t)
{
	json_t *o;
	char *s;

	o = json_pack("{s:f, s:s?, s:s, s:s?, s:I, s:I, s:I, s:b}", "t",
	              (double)(long long)(t * 1000) / 1000, "input", label,
	              "stage", p->stage_name, "name", p->name, "done",
	              (json_int_t)p->done, "total", (json_int_t)p->total,
	              "extra", (json_int_t)p->extra, "finished",
	              (int)p->finished);
	if (o == NULL)
		return;
	/* Compact, one object per line; names not UTF-8 are escaped. */
	s = json_dumps(o, JSON_COMPACT | JSON_ENSURE_ASCII |
	                      JSON_REAL_PRECISION(6));
	json_decref(o);
	if (s == NULL)
		return;
	fprintf(stderr, "%s\n", s);
	free(s);
}

static void
on_progress(const struct sl_progress *p, void *user)
{
	const char *label = user;
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	pthread_mutex_lock(&lock);
	if (started.tv_sec == 0 && started.tv_nsec == 0)
		started = now;
	if (p->stage != cur.stage) {
		cur.stage = p->stage;
		cur.t0 = now;
	}
	if (effective() == MODE_JSON)
		render_json(p, label, since(&started, &now));
	else
		render_tty(p, label, since(&cur.t0, &now));
	fflush(stderr);
	pthread_mutex_unlock(&lock);
}

void
cli_progress_attach(struct sl_scan *s, const char *label)
{
	if (s == NULL || effective() == MODE_QUIET)
		return;
	sl_scan_set_progress(s, on_progress, (void *)label);
}
