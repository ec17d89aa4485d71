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
	/* The device options (cli_device_opt). */
	OPT_DEV_PORTS = 1050,
	OPT_DEV_NO_UDP,
	OPT_DEV_RATE,
	OPT_DEV_TIMEOUT,
	OPT_DEV_CONCURRENCY,
	OPT_DEV_INTRUSIVE,
	OPT_DEV_CREDS,
	OPT_DEV_MAX_LOGINS,
	OPT_DEV_BF_ATTEMPTS,
	OPT_DEV_CA_FILE,
	/* The progress options (cli_progress_opt). */
	OPT_QUIET = 1070,
	OPT_PROGRESS,
};

/*
 * getopt_long for cmd, with the house's rules: -h and --help give
 * OPT_HELP whatever the command, and a bad option (unknown, ambiguous,
 * missing or unwanted value) is said once, on one line naming it, plus
 * the "Try" line; it then returns CLI_OPT_BAD and the command exits
 * EX_USAGE.  shortopts as getopt's, without the leading ':'.
 */
#define CLI_OPT_BAD (-2)
int cli_getopt(const char *cmd, int argc, char **argv, const char *shortopts,
               const struct option *longopts);
/* Print cmd's --help to f; false when cmd is no command. */
bool cli_help(const char *cmd, FILE *f);

/* A decimal number in lo..hi, or -1 after a usage line naming what. */
long cli_number(const char *cmd, const char *what, const char *arg, long lo,
                long hi);

/*
 * The options `device` and `assess` share, parsed in one place into
 * struct sl_device_opts.  A command's table lists CLI_DEVICE_OPTIONS;
 * cli_device_opt returns 1 handled, 0 not a device option, -1 bad value
 * (said).  Files named are checked readable here, before any network.
 */
#define CLI_DEVICE_OPTIONS                                                     \
	{"ports", required_argument, NULL, OPT_DEV_PORTS},                     \
	    {"no-udp", no_argument, NULL, OPT_DEV_NO_UDP},                     \
	    {"rate", required_argument, NULL, OPT_DEV_RATE},                   \
	    {"timeout", required_argument, NULL, OPT_DEV_TIMEOUT},             \
	    {"concurrency", required_argument, NULL, OPT_DEV_CONCURRENCY},     \
	    {"intrusive", no_argument, NULL, OPT_DEV_INTRUSIVE},               \
	    {"creds", required_argument, NULL, OPT_DEV_CREDS},                 \
	    {"max-logins", required_argument, NULL, OPT_DEV_MAX_LOGINS},       \
	    {"bf-attempts", required_argument, NULL, OPT_DEV_BF_ATTEMPTS},     \
	{                                                                      \
		"ca-file", required_argument, NULL, OPT_DEV_CA_FILE            \
	}
int cli_device_opt(const char *cmd, int code, const char *arg,
                   struct sl_device_opts *o);

/*
 * Progress (cli/progress.c).  On a terminal, a live line on stderr per
 * stage, overwritten in place; nothing when stderr is not a terminal or
 * with --quiet; with --progress=json one JSON object per line on stderr
 * for dashboards, terminal or not.  Commands that run long list
 * CLI_PROGRESS_OPTIONS and pass codes to cli_progress_opt (1 handled, 0
 * not one, -1 bad value, said); cli_progress_attach(s, label) hands s's
 * progress (sl_scan_set_progress) to the line, label naming the input.
 */
#define CLI_PROGRESS_OPTIONS                                                   \
	{"quiet", no_argument, NULL, OPT_QUIET},                               \
	{                                                                      \
		"progress", required_argument, NULL, OPT_PROGRESS              \
	}
int cli_progress_opt(const char *cmd, int code, const char *arg);
void cli_progress_attach(struct sl_scan *s, const char *label);
/* Clear the live line (before other output, and at the end). */
void cli_progress_clear(void);
/* No progress at all (--quiet, or auto and not a terminal). */
bool cli_progress_quiet(void);
/* --progress=json: messages go out as JSON lines too. */
bool cli_progress_json(void);

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
/*
 * The end of an assessing command: decide the verdicts, write the set
 * into out (or print fmt on stdout when out is NULL), and return the
 * verdict status, or EX_INPUT after printing why.
 */
int cli_report(struct sl_scan *s, const char *out, enum sl_format fmt);

/* Unpack the image into s; 0, or EX_INPUT after printing why. */
int cli_load_image(struct sl_scan *s, const char *path);
/* Open the image into a new scan; on failure print and return NULL. */
struct sl_scan *cli_open_image(const char *path, const struct sl_limits *lim,
                               int *status);

#endif
