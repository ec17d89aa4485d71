/*
 * report_load.c - read a report.json back (diff, label): a file, or a
 * report directory holding report.json.  The file is bounded
 * (REPORT_MAX_JSON) and must look like a starlab report: an object with
 * the sixteen checklist entries; anything else is refused with the file
 * named.
 */
#include <errno.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "report_load.h"

json_t *
cli_report_load(const char *cmd, const char *arg, char *path, size_t size)
{
	json_error_t je;
	struct stat st;
	json_t *root, *cl;
	FILE *fp;

	if (stat(arg, &st) == 0 && S_ISDIR(st.st_mode))
		snprintf(path, size, "%s/report.json", arg);
	else
		snprintf(path, size, "%s", arg);
	if (stat(path, &st) != 0) {
		cli_err(0, "%s: %s", path, strerror(errno));
		return NULL;
	}
	if (!S_ISREG(st.st_mode) || st.st_size > REPORT_MAX_JSON) {
		cli_err(0, "%s: not a report file of at most %u MiB", path,
		        REPORT_MAX_JSON >> 20);
		return NULL;
	}
	if ((fp = fopen(path, "rb")) == NULL) {
		cli_err(0, "%s: %s", path, strerror(errno));
		return NULL;
	}
	root = json_loadf(fp, JSON_REJECT_DUPLICATES, &je);
	fclose(fp);
	if (root == NULL) {
		cli_err(0, "%s:%d:%d: %s", path, je.line, je.column, je.text);
		return NULL;
	}
	cl = json_object_get(root, "checklist");
	if (!json_is_object(root) || !json_is_array(cl) ||
	    json_array_size(cl) != 16 ||
	    !json_is_array(json_object_get(root, "findings"))) {
		cli_err(0,
		        "%s: not a starlab report (%s: no checklist of 16 "
		        "entries or no findings)",
		        path, cmd);
		json_decref(root);
		return NULL;
	}
	(void)cmd;
	return root;
}

const char *
cli_json_str(json_t *o, const char *key)
{
	const char *v = json_string_value(json_object_get(o, key));

	return v ? v : "";
}
