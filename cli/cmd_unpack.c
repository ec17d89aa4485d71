/*
 * cmd_unpack.c - `starlab unpack IMAGE -o DIR`.
 */
#include <errno.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"

void
help_unpack(FILE *f)
{
	fprintf(
	    f, "usage: starlab unpack IMAGE -o DIR [limits]\n\n"
	       "Write every file of every nested container in IMAGE below "
	       "DIR (created if\nmissing).  Nothing is ever written outside "
	       "DIR: links in the image are\ncreated as links and never "
	       "followed.  Containers become directories named\nafter their "
	       "path, e.g. DIR/firmware.bin@0x200000.squashfs/etc/shadow.\n\n");
	cli_limit_help(f);
}

int
cmd_unpack(int argc, char **argv)
{
	static const struct option opts[] = {
	    {"output", required_argument, NULL, 'o'},
	    {"help", no_argument, NULL, OPT_HELP},
	    CLI_LIMIT_OPTIONS,
	    {NULL, 0, NULL, 0},
	};
	struct sl_limits lim;
	struct sl_scan *s;
	const char *out = NULL;
	int c, status = 0, r;
	size_t i, n;
	sl_rc rc;

	sl_limits_default(&lim);
	optind = 1;
	while ((c = cli_getopt("unpack", argc, argv, "o:", opts)) != -1) {
		if ((r = cli_limit_opt("unpack", c, optarg, &lim)) != 0) {
			if (r < 0)
				return EX_USAGE;
			continue;
		}
		switch (c) {
		case 'o': out = optarg; break;
		case OPT_HELP: help_unpack(stdout); return 0;
		default: return EX_USAGE; /* cli_getopt said why */
		}
	}
	if (argc - optind != 1)
		return cli_usage("unpack", "expected one IMAGE");
	if (out == NULL)
		return cli_usage("unpack", "-o DIR is required");
	if (mkdir(out, 0755) != 0 && errno != EEXIST)
		return cli_err(EX_INPUT, "%s: cannot create: %s", out,
		               strerror(errno));
	s = cli_open_image(argv[optind], &lim, &status);
	if (s == NULL)
		return status;
	rc = sl_tree_extract(s, out);
	if (rc != SL_OK) {
		status = cli_err(EX_INPUT, "%s", sl_scan_error(s));
		sl_scan_free(s);
		return status;
	}
	n = sl_scan_incomplete_count(s);
	for (i = 0; i < n; i++)
		cli_err(0, "incomplete: %s", sl_scan_incomplete(s, i));
	printf("%zu entries written below %s\n", sl_tree_count(s), out);
	sl_scan_free(s);
	return 0;
}
