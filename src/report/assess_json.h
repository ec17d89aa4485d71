/*
 * assess_json.h - the assessment's parts of report.json (assess_json.c):
 * the grouped issues and the inputs with their hashes.
 */
#ifndef SL_ASSESS_JSON_H
#define SL_ASSESS_JSON_H

#include <jansson.h>

#include "../core/scan.h"

/* "issues": one object per (id, component) with every location. */
json_t *Sl_issues_json(struct sl_scan *s);
/* "inputs": kind, name, sha256, size of each input; NULL if none. */
json_t *Sl_inputs_json(struct sl_scan *s);
/* One finding's evidence object, as in "findings". */
json_t *Sl_evidence_json(const struct sl_finding *f);

#endif
