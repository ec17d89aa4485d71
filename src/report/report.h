/*
 * report.h - what the report writers share.
 */
#ifndef SL_REPORT_H
#define SL_REPORT_H

#include "../core/scan.h"

/*
 * The JSON report (docs/report-format.md; malloc'd text, the caller
 * frees; NULL on failure).
 */
char *Sl_report_json(struct sl_scan *s, int64_t generated_at);
/* The terminal checklist (malloc'd text; the caller frees). */
char *Sl_report_text(struct sl_scan *s);
/*
 * The Markdown report and the SARIF 2.1.0 log (malloc'd text; the caller
 * frees; NULL with the scan's error set on failure).  generated_at (UTC
 * seconds) is the only input that varies between two runs.
 */
char *Sl_report_md(struct sl_scan *s, int64_t generated_at);
char *Sl_report_sarif(struct sl_scan *s, int64_t generated_at);
/*
 * The length of the valid UTF-8 sequence of two to four bytes at p (no
 * overlong form, no surrogate, nothing past U+10FFFF), or 0.  p must be
 * NUL-terminated.
 */
size_t Sl_utf8_len(const unsigned char *p);
/* The CycloneDX 1.5 SBOM of the components (src/report/cyclonedx.c). */
char *Sl_report_cyclonedx(struct sl_scan *s, int64_t generated_at);
/* checklist.csv and report.html of an assessment (csv.c, html.c). */
char *Sl_report_csv(struct sl_scan *s);
char *Sl_report_html(struct sl_scan *s, int64_t generated_at);
/* "file", "dir", ... */
const char *Sl_type_name(enum sl_ftype t);
/* 2026-11-21T23:50:00Z (common.c) */
void Sl_iso_time(int64_t t, char out[32]);

/*
 * Escaping for each channel (escape.c).  Sl_buf_add_printable appends s
 * for a terminal: controls and bytes that are not UTF-8 as \xNN.
 * Sl_is_utf8: s is valid UTF-8.  Sl_jstr: a JSON string of s (NULL gives
 * null) with each byte that is not UTF-8 as \xNN.  Sl_json_set_name sets
 * key to Sl_jstr(s) and, when s is not UTF-8, key_hex to its original
 * bytes in hexadecimal.
 */
void Sl_buf_add_printable(struct Sl_buf *b, const char *s);
bool Sl_is_utf8(const char *s);
#include <jansson.h>
json_t *Sl_jstr(const char *s);
void Sl_json_set_name(json_t *o, const char *key, const char *s);

#endif
