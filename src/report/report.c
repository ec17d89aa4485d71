/*
 * report.c - the writer table: every report format and the function that
 * renders it, and the two entry points that pick from it
 * (sl_report_string, sl_report_write).  The only file that names every
 * writer; the writers themselves never call one another, and share
 * helpers through common.c (docs/internals.md).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "report.h"

/* The terminal checklist takes no time stamp. */
static char *
text_writer(struct sl_scan *s, int64_t generated_at)
{
	(void)generated_at;
	return Sl_report_text(s);
}

/* The checklist CSV takes no time stamp either. */
static char *
csv_writer(struct sl_scan *s, int64_t generated_at)
{
	(void)generated_at;
	return Sl_report_csv(s);
}

static const struct writer {
	enum sl_format fmt;
	char *(*write)(struct sl_scan *s, int64_t generated_at);
} writers[] = {
    {SL_FMT_JSON, Sl_report_json},
    {SL_FMT_TEXT, text_writer},
    {SL_FMT_MD, Sl_report_md},
    {SL_FMT_SARIF, Sl_report_sarif},
    {SL_FMT_CYCLONEDX, Sl_report_cyclonedx},
    {SL_FMT_CSV, csv_writer},
    {SL_FMT_HTML, Sl_report_html},
};

char *
sl_report_string(struct sl_scan *s, enum sl_format fmt, int64_t generated_at)
{
	const struct writer *w;

	if (generated_at == 0)
		generated_at = (int64_t)time(NULL);
	for (w = writers; w < writers + SL_ARRAY_LEN(writers); w++)
		if (w->fmt == fmt)
			return w->write(s, generated_at);
	Sl_fail(s, SL_E_UNSUPPORTED, "report format %d is not available",
	        (int)fmt);
	return NULL;
}

sl_rc
sl_report_write(struct sl_scan *s, enum sl_format fmt, const char *path,
                int64_t generated_at)
{
	char *text = sl_report_string(s, fmt, generated_at);
	sl_rc rc;

	if (text == NULL)
		return Sl_fail(s, SL_E_NOMEM, "could not render the report");
	rc = sl_write_atomic(path, text, strlen(text));
	free(text);
	if (rc != SL_OK)
		return Sl_fail(s, rc, "%s: cannot write the report: %s", path,
		               strerror(errno));
	return SL_OK;
}
