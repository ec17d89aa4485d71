/*
 * outset.h - an output directory written as one atomic set (outset.c).
 */
#ifndef SL_CLI_OUTSET_H
#define SL_CLI_OUTSET_H

#include <stddef.h>

/* Before any work: can dir take the set?  0, or EX_USAGE after saying why. */
int cli_outset_check(const char *cmd, const char *dir);
/* Create the temporary directory beside dir (path into tmp).  0 or EX_INPUT. */
int cli_outset_begin(const char *dir, char *tmp, size_t size);
/* Put tmp in dir's place (the earlier set is removed).  0 or EX_INPUT. */
int cli_outset_commit(const char *dir, const char *tmp);
/* Remove the temporary directory after a failure. */
void cli_outset_abort(const char *tmp);

#endif
