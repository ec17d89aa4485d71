/*
 * cli.h - what the command files of the starlab program share.  The
 * program uses libstarlab through include/starlab.h only, like any other
 * client.
 */
#ifndef SL_CLI_H
#define SL_CLI_H

#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>

#include "starlab.h"

/* Exit statuses, as documented in the README and --help. */
enum {
	EX_CONFORMANT = 0,  /* no non-conformant verdict */
	EX_NONCONF = 1,     /* at least one non-conformant verdict */
	EX_USAGE = 2,       /* the command line was wrong */
	EX_INPUT = 3,       /* input could not be processed at all */
	EX_INTERRUPTED = 4, /* stopped by a signal before it finished */
};

struct cli_cmd {
	const char *name;
	const char *summary;
	int (*run)(int argc, char **argv);
	void (*help)(FILE *f);
};

extern const struct cli_cmd cli_cmds[];

int cmd_requirements(int argc, char **argv);
void help_requirements(FILE *f);
int cmd_ls(int argc, char **argv);
void help_ls(FILE *f);
int cmd_unpack(int argc, char **argv);
void help_unpack(FILE *f);
int cmd_firmware(int argc, char **argv);
void help_firmware(FILE *f);
int cmd_device(int argc, char **argv);
void help_device(FILE *f);
int cmd_snapshot(int argc, char **argv);
void help_snapshot(FILE *f);
int cmd_compare(int argc, char **argv);
void help_compare(FILE *f);
int cmd_assess(int argc, char **argv);
void help_assess(FILE *f);
int cmd_diff(int argc, char **argv);
void help_diff(FILE *f);
int cmd_label(int argc, char **argv);
void help_label(FILE *f);
int cmd_batch(int argc, char **argv);
void help_batch(FILE *f);
int cmd_service(int argc, char **argv);
void help_service(FILE *f);
int cmd_app(int argc, char **argv);
void help_app(FILE *f);

/* Print "starlab: <msg>" on stderr.  Returns status. */
int cli_err(int status, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Usage error for cmd: message, a pointer to --help; returns EX_USAGE. */
int cli_usage(const char *cmd, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Progress on stderr, only when stderr is a terminal. */
void cli_progress(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * Options shared by every command that reads an image: the limits.  Each
 * command's option table ends with CLI_LIMIT_OPTIONS; cli_limit_opt()
 * handles the codes and returns false when the code is not one of them.
 */
enum {
	OPT_MAX_DEPTH = 1000,
	OPT_MAX_TOTAL,
	OPT_MAX_FILE,
	OPT_MAX_RATIO,
	OPT_MAX_FILES,
	OPT_MAX_PATH,
	OPT_THREADS,
	OPT_FORMAT,
	OPT_HELP,
	OPT_VULN_DB,
	OPT_UPDATE_KEY,
	OPT_CMD_FIRST = 1100, /* a command's own option codes start here */
	OPT_PROFILE = 1090,   /* --profile FILE (firmware and device) */
};

#define CLI_LIMIT_OPTIONS                                                      \
	{"max-depth", required_argument, NULL, OPT_MAX_DEPTH},                 \
	    {"max-total", required_argument, NULL, OPT_MAX_TOTAL},             \
	    {"max-file", required_argument, NULL, OPT_MAX_FILE},               \
	    {"max-ratio", required_argument, NULL, OPT_MAX_RATIO},             \
	    {"max-files", required_argument, NULL, OPT_MAX_FILES},             \
	    {"max-path", required_argument, NULL, OPT_MAX_PATH},               \
	{                                                                      \
		"threads", required_argument, NULL, OPT_THREADS                \
	}

/* 1 handled, 0 not a limit option, -1 bad value (message printed). */
int cli_limit_opt(const char *cmd, int code, const char *arg,
                  struct sl_limits *lim);
void cli_limit_help(FILE *f);

/*
 * Parse --format for cmd: "text" or "json" (*json set accordingly).
 * Returns 0, or EX_USAGE after printing why.
 */
int cli_format(const char *cmd, const char *arg, bool *json);

/*
 * Parse --format for the assessing commands: text, json, md, sarif,
 * cyclonedx.  Returns 0, or EX_USAGE after printing why.
 */
int cli_report_format(const char *cmd, const char *arg, enum sl_format *fmt);
/* Print the report in fmt on stdout (text coloured on a tty).  0 or EX_INPUT.
 */
int cli_print_report(struct sl_scan *s, enum sl_format fmt);
/*
 * Write every format into dir (created if missing) as one set and print
 * the paths.  0, or EX_INPUT after printing why (dir then holds its
 * previous set, or none).
 */
int cli_write_reports(struct sl_scan *s, const char *dir);
/*
 * Before any scanning: create dir when missing and make sure it is a
 * directory we can write into.  0, or EX_INPUT after printing why.
 */
int cli_prepare_output(const char *dir);
/*
 * SIGINT and SIGTERM during a firmware run: nothing can be cut short
 * cleanly mid-unpack, so the program says so and exits EX_INTERRUPTED
 * with no report.  cli_signals_hold(true) defers them while a report set
 * is being put in place (it is then complete before the exit).
 */
void cli_exit_on_signal(void);
void cli_signals_hold(bool hold);
/* EX_NONCONF when some verdict is non-conformant, else EX_CONFORMANT. */
int cli_verdict_status(struct sl_scan *s);

/* Unpack the image into s; 0, or EX_INPUT after printing why. */
int cli_load_image(struct sl_scan *s, const char *path);
/* Open the image into a new scan; on failure print and return NULL. */
struct sl_scan *cli_open_image(const char *path, const struct sl_limits *lim,
                               int *status);

#endif
