/*
 * report.h - what the report writers share.
 */
#ifndef SL_REPORT_H
#define SL_REPORT_H

#include "../core/scan.h"

/* The terminal checklist (malloc'd text; the caller frees). */
char *Sl_report_text(struct sl_scan *s);
/* "file", "dir", ... */
const char *Sl_type_name(enum sl_ftype t);
/* 2026-11-21T23:50:00Z */
void Sl_iso_time(int64_t t, char out[32]);

#endif
