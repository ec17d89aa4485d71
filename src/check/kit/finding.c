/*
 * finding.c - Sl_report, the one call that turns a kind of finding
 * (check.h: struct Sl_finding_def, a check's table) and where it was
 * seen (struct Sl_at) into a finding of the scan.  Used by every check,
 * firmware, device, service and app alike; one layer below the drivers.
 */
#include <string.h>

#include "../../net/net.h"
#include "../check.h"

sl_rc
Sl_report(struct sl_scan *s, const struct Sl_finding_def *d,
          const struct Sl_at *at)
{
	struct sl_finding f = {0};
	size_t n = 0, i, k;

	if (at->reqs == NULL) {
		for (i = 0; i + 1 < SL_MAX_REQS && d->reqs[i] != NULL; i++)
			f.requirements[n++] = d->reqs[i];
	} else {
		for (i = 0; at->reqs[i] != NULL && n + 1 < SL_MAX_REQS; i++) {
			for (k = 0; k < SL_MAX_REQS && d->reqs[k] != NULL; k++)
				if (strcmp(d->reqs[k], at->reqs[i]) == 0)
					break;
			if (SL_NEVER(k == SL_MAX_REQS || d->reqs[k] == NULL))
				continue;
			f.requirements[n++] = d->reqs[k];
		}
	}
	f.id = d->id;
	f.title = at->title != NULL ? at->title : d->title;
	f.remediation = at->fix != NULL ? at->fix : d->fix;
	f.severity = at->sev_set ? at->sev : d->sev;
	if (at->ev != NULL) {
		f.evidence = *at->ev;
	} else if (at->e != NULL) {
		f.evidence.path = at->e->path;
		f.evidence.offset = at->off;
		f.evidence.has_offset = true;
	} else if (at->svc != NULL) {
		f.evidence.host = at->svc->pub.address;
		f.evidence.port = at->svc->pub.port;
	} else if (at->host) {
		f.evidence.host = s->dev ? s->dev->t.host : s->device;
	}
	f.evidence.excerpt = at->excerpt;
	f.component = at->component;
	return sl_finding_add(s, &f, at->secret);
}
