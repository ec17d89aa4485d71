/*
 * cmd_compare.c - `starlab compare BEFORE AFTER --event EVENT`: judge two
 * snapshots (`starlab snapshot`) taken around a power cycle (S1.1-14) or
 * a factory reset (S1.1-15) and write the checklist like the other
 * assessing commands.
 *
 * The event travels in the after snapshot's "event" member
 * (docs/snapshot.md); --event sets it, through jansson, before the
 * documents go to sl_snapshot_compare.
 */
#include <errno.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

enum {
	OPT_EVENT = OPT_CMD_FIRST,
};

/* Bytes of one snapshot file at most (as the library's bound). */
#define CMP_MAX_FILE (1U << 20)

void
help_compare(FILE *f)
{
	fprintf(f,
	        "usage: starlab compare BEFORE AFTER [--event EVENT] "
	        "[--profile FILE]\n"
	        "                       [--format FMT] [-o DIR]\n\n"
	        "Judge two snapshots of one device ('starlab snapshot'), "
	        "taken before and\nafter EVENT:\n"
	        "  power-cycle    S1.1-14: the default credentials still fail, "
	        "the user's\n"
	        "                 credentials still work, the version and the "
	        "open ports hold\n"
	        "  factory-reset  S1.1-15: the user's credentials are gone, "
	        "the version holds\n"
	        "Without --event, the after snapshot's \"event\" member says "
	        "which.\n\n"
	        "  --profile FILE  the product profile, for the documents "
	        "behind the checklist\n"
	        "  --format FMT    text (default), json, md, sarif, cyclonedx\n"
	        "  -o DIR          write every format into DIR\n\n"
	        "Exit status: 0 no non-conformant verdict, 1 at least one, 2 "
	        "usage error,\n3 a snapshot could not be read.\n");
}

/* Read at most CMP_MAX_FILE bytes of path as a string (malloc'd). */
static char *
read_text(const char *path)
{
	FILE *fp = fopen(path, "rb");
	char *buf;
	size_t n;

	if (fp == NULL) {
		cli_err(0, "%s: %s", path, strerror(errno));
		return NULL;
	}
	buf = malloc(CMP_MAX_FILE + 2);
	if (buf == NULL) {
		fclose(fp);
		cli_err(0, "out of memory");
		return NULL;
	}
	n = fread(buf, 1, CMP_MAX_FILE + 1, fp);
	if (ferror(fp) || n > CMP_MAX_FILE || memchr(buf, 0, n) != NULL) {
		const char *why = "binary data: not a snapshot";

		if (ferror(fp))
			why = strerror(errno);
		else if (n > CMP_MAX_FILE)
			why = "larger than 1 MiB: not a snapshot";
		cli_err(0, "%s: %s", path, why);
		fclose(fp);
		free(buf);
		return NULL;
	}
	fclose(fp);
	buf[n] = 0;
	return buf;
}

/*
 * Set the "event" member of the snapshot text.  Text that is not a JSON
 * object is left as it is: the library says what is wrong with it.
 */
static char *
set_event(char *text, const char *event)
{
	json_t *root = json_loads(text, 0, NULL);
	char *out, *copy;

	if (root == NULL || !json_is_object(root)) {
		json_decref(root);
		return text;
	}
	json_object_set_new(root, "event", json_string(event));
	out = json_dumps(root, JSON_PRESERVE_ORDER);
	json_decref(root);
	if (out == NULL)
		return text;
	copy = strdup(out);
	free(out);
	if (copy == NULL)
		return text;
	free(text);
	return copy;
}

int
cmd_compare(int argc, char **argv)
{
	static const struct option opts[] = {
	    {"output", required_argument, NULL, 'o'},
	    {"format", required_argument, NULL, OPT_FORMAT},
	    {"event", required_argument, NULL, OPT_EVENT},
	    {"profile", required_argument, NULL, OPT_PROFILE},
	    {"help", no_argument, NULL, OPT_HELP},
	    {NULL, 0, NULL, 0},
	};
	enum sl_format fmt = SL_FMT_TEXT;
	const char *out = NULL, *event = NULL, *profile = NULL;
	char *before = NULL, *after = NULL;
	struct sl_scan *s = NULL;
	int c, status = 0;

	optind = 1;
	while ((c = cli_getopt("compare", argc, argv, "o:", opts)) != -1) {
		switch (c) {
		case 'o': out = optarg; break;
		case OPT_FORMAT:
			if (cli_report_format("compare", optarg, &fmt) != 0)
				return EX_USAGE;
			break;
		case OPT_EVENT:
			if (strcmp(optarg, "power-cycle") != 0 &&
			    strcmp(optarg, "factory-reset") != 0)
				return cli_usage("compare",
				                 "unknown event '%s' (power-"
				                 "cycle or factory-reset)",
				                 optarg);
			event = optarg;
			break;
		case OPT_PROFILE: profile = optarg; break;
		case OPT_HELP: help_compare(stdout); return 0;
		default: return EX_USAGE; /* cli_getopt said why */
		}
	}
	if (argc - optind != 2)
		return cli_usage("compare", "expected BEFORE and AFTER");
	if ((before = read_text(argv[optind])) == NULL ||
	    (after = read_text(argv[optind + 1])) == NULL) {
		status = EX_INPUT;
		goto out;
	}
	if (event != NULL)
		after = set_event(after, event);
	if ((s = sl_scan_new(NULL)) == NULL) {
		status = cli_err(EX_INPUT, "out of memory");
		goto out;
	}
	if (profile != NULL && sl_scan_load_profile(s, profile) != SL_OK) {
		status = cli_err(EX_INPUT, "%s", sl_scan_error(s));
		goto out;
	}
	switch (sl_snapshot_compare(s, before, after)) {
	case SL_OK: break;
	case SL_E_USAGE:
		status = cli_usage("compare", "%s", sl_scan_error(s));
		goto out;
	default: status = cli_err(EX_INPUT, "%s", sl_scan_error(s)); goto out;
	}
	status = cli_report(s, out, fmt);
out:
	sl_scan_free(s);
	free(before);
	free(after);
	return status;
}
