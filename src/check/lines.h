/*
 * lines.h - the line of each firmware finding's offset (lines.c).
 */
#ifndef SL_LINES_H
#define SL_LINES_H

#include "check.h"

/*
 * Set evidence.line of every finding of s that names a file of the tree
 * and an offset in it, when the file is text up to that offset.  Reads
 * the files (at most SL_LINES_MAX_FILE bytes each); a file that cannot be
 * read leaves its findings' lines 0.
 */
void Sl_finding_lines(struct sl_scan *s);

#endif
