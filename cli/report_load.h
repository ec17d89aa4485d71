/*
 * report_load.h - a report.json read back by diff and label.
 */
#ifndef SL_CLI_REPORT_LOAD_H
#define SL_CLI_REPORT_LOAD_H

#include <jansson.h>
#include <stddef.h>

/* Bytes of one report.json at most (as SL_REPORT_MAX_JSON). */
#define REPORT_MAX_JSON (64U << 20)

/*
 * Load arg (report.json, or a directory holding it); path receives the
 * file read.  NULL after printing why.
 */
json_t *cli_report_load(const char *cmd, const char *arg, char *path,
                        size_t size);
/* The string member key of o, or "". */
const char *cli_json_str(json_t *o, const char *key);

#endif
