/*
 * lines.c - the line of each firmware finding's offset, for the reports
 * that place a result on a line (SARIF's region.startLine, which code
 * scanning shows): counted once, after the checks, in the file the
 * evidence names.  Only for text: a NUL before the offset means a binary
 * file, where a line means nothing, and the line stays 0.
 */
#include <string.h>

#include "lines.h"

/* A text file longer than this is not read again for a line number: a
 * policy bound on work, not on input (the tree read has its own). */
#define SL_LINES_MAX_FILE (64U << 20)

void
Sl_finding_lines(struct sl_scan *s)
{
	const char *last = NULL;
	const uint8_t *data = NULL;
	size_t i, len = 0;

	for (i = 0; i < s->nfindings; i++) {
		struct sl_evidence *ev = &s->findings[i]->evidence;
		const struct sl_entry *e;
		const uint8_t *p, *end;
		unsigned line = 1;

		if (ev->path == NULL || !ev->has_offset || ev->line != 0)
			continue;
		/* The last file read stays valid until the next read. */
		if (last == NULL || strcmp(last, ev->path) != 0) {
			last = NULL;
			e = sl_tree_find(s, ev->path);
			if (e == NULL || e->type != SL_FT_REG ||
			    e->size > SL_LINES_MAX_FILE ||
			    sl_tree_read(s, e, &data, &len) != SL_OK)
				continue;
			last = ev->path;
		}
		if (ev->offset > len)
			continue;
		end = data + ev->offset;
		if (memchr(data, 0, (size_t)ev->offset) != NULL)
			continue;
		for (p = data; (p = memchr(p, '\n', (size_t)(end - p))) != NULL;
		     p++)
			line++;
		ev->line = line;
	}
}
