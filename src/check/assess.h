/*
 * assess.h - the assessment: the inputs of one product (images of its
 * units, devices, the profile, snapshots) and the scans merged into one
 * checklist (assess.c, a driver: it uses the device pipeline), and
 * findings grouped for people (report/group.c).
 */
#ifndef SL_ASSESS_H
#define SL_ASSESS_H

#include "../core/scan.h"
#include "../limits.h"

/* One input, as the report and evidence/manifest.json list it. */
struct Sl_input {
	const char *kind; /* "firmware", "device", "profile", "snapshot" */
	const char *name; /* file name or host */
	bool has_sha;
	uint8_t sha[32];
	uint64_t size;
};

/* Hung on struct sl_scan as s->assess; everything in the scan's arena. */
struct Sl_assess {
	struct Sl_input in[SL_ASSESS_MAX_INPUTS];
	size_t nin;
	/* The scans merged in (borrowed; see sl_scan_merge) and their labels.
	 */
	struct sl_scan *src[SL_ASSESS_MAX_UNITS * 2];
	const char *label[SL_ASSESS_MAX_UNITS * 2];
	size_t nsrc;
};

/* s->assess, created on first use; NULL when memory ran out. */
struct Sl_assess *Sl_assess_of(struct sl_scan *s);

/*
 * Findings grouped for people: one group per (id, component), in the
 * order of the sorted findings, with every location.  sev is the highest
 * severity of the group.
 */
struct Sl_group {
	const struct sl_finding *f; /* the first: title, remediation */
	const char *component;
	enum sl_severity sev;
	size_t count;
	const struct sl_finding **loc; /* count locations */
};

/*
 * The groups of s's findings (decide first, so they are sorted).  Returns
 * a malloc'd array of *n groups to release with Sl_groups_free, or NULL
 * (with *n = 0) when there are no findings or memory ran out.
 */
struct Sl_group *Sl_groups(struct sl_scan *s, size_t *n);
void Sl_groups_free(struct Sl_group *g, size_t n);

/* The group's file name under evidence/ ("0003-FW-TELNETD-ENABLED.txt"). */
const char *Sl_group_evidence_name(struct sl_scan *s, const struct Sl_group *g,
                                   size_t index);

#endif
