/*
 * group.c - findings grouped for people: one group per (finding id,
 * component) with all its locations and a count, so that an image whose
 * 31 ELF files lack a non-executable stack reads as one issue with 31
 * locations.  A post-pass over the sorted finding list: the checks keep
 * adding one finding per location, and report.json keeps every one.
 */
#include <stdio.h>
#include <stdlib.h>

#include "../check/assess.h"

void
Sl_groups_free(struct Sl_group *g, size_t n)
{
	size_t i;

	for (i = 0; g != NULL && i < n; i++)
		free(g[i].loc);
	free(g);
}

struct Sl_group *
Sl_groups(struct sl_scan *s, size_t *n)
{
	struct Sl_group *g;
	size_t *gi, i, j, ng = 0, first = 0;

	*n = 0;
	if (s->nfindings == 0)
		return NULL;
	if (!s->decided && sl_scan_decide(s) != SL_OK)
		return NULL;
	g = calloc(s->nfindings, sizeof(*g));
	gi = calloc(s->nfindings, sizeof(*gi));
	if (g == NULL || gi == NULL)
		goto fail;
	/* Pass 1: the group of each finding, and the counts. */
	for (i = 0; i < s->nfindings; i++) {
		const struct sl_finding *f = s->findings[i];
		const char *comp = Sl_finding_component(s, f);

		if (comp == NULL)
			goto fail;
		/* Findings are sorted by id: only this id's groups match. */
		if (ng > 0 && strcmp(g[ng - 1].f->id, f->id) != 0)
			first = ng;
		for (j = first; j < ng; j++)
			if (strcmp(g[j].component, comp) == 0)
				break;
		if (j == ng) {
			g[ng].f = f;
			g[ng].component = comp;
			g[ng].sev = f->severity;
			ng++;
		}
		gi[i] = j;
		g[j].count++;
		if (f->severity > g[j].sev)
			g[j].sev = f->severity;
	}
	/* Pass 2: the locations, in the findings' order. */
	for (j = 0; j < ng; j++) {
		g[j].loc = calloc(g[j].count, sizeof(*g[j].loc));
		if (g[j].loc == NULL)
			goto fail;
		g[j].count = 0;
	}
	for (i = 0; i < s->nfindings; i++)
		g[gi[i]].loc[g[gi[i]].count++] = s->findings[i];
	free(gi);
	*n = ng;
	return g;
fail:
	free(gi);
	Sl_groups_free(g, ng);
	return NULL;
}

const char *
Sl_group_evidence_name(struct sl_scan *s, const struct Sl_group *g,
                       size_t index)
{
	return Sl_arena_printf(&s->arena, "%04zu-%s.txt", index + 1, g->f->id);
}
