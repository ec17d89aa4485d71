/*
 * cmd_ls.c - `starlab ls IMAGE [--format text|json]`.
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

void
help_ls(FILE *f)
{
	fprintf(f,
	        "usage: starlab ls IMAGE [--format text|json] [limits]\n\n"
	        "List every entry of every nested container in IMAGE, read in "
	        "place (nothing\nis extracted).  A path shows the nesting:\n"
	        "  firmware.bin@0x200000:squashfs!/etc/shadow\n"
	        "is /etc/shadow in the squashfs found 0x200000 bytes into "
	        "firmware.bin.\nBytes no format explains are listed as "
	        "regions with their entropy.\n\n");
	cli_limit_help(f);
}

static const char *
tchar(enum sl_ftype t)
{
	switch (t) {
	case SL_FT_REG: return "-";
	case SL_FT_DIR: return "d";
	case SL_FT_LNK: return "l";
	case SL_FT_CHR: return "c";
	case SL_FT_BLK: return "b";
	case SL_FT_FIFO: return "p";
	case SL_FT_SOCK: return "s";
	case SL_FT_HARDLINK: return "h";
	case SL_FT_CONTAINER: return "C";
	case SL_FT_REGION: return "R";
	}
	return "?";
}

static void
print_text(struct sl_scan *s)
{
	size_t i, n = sl_tree_count(s);
	static const char hx[] = "0123456789abcdef";

	for (i = 0; i < n; i++) {
		const struct sl_entry *e = sl_tree_entry(s, i);
		char sha[17] = "-", *path, *link;
		int k;

		if (e->has_sha256)
			for (k = 0; k < 8; k++) {
				sha[2 * k] = hx[e->sha256[k] >> 4];
				sha[2 * k + 1] = hx[e->sha256[k] & 15];
			}
		/* Names are the image's: never raw on the terminal. */
		path = sl_printable(e->path);
		link = e->link ? sl_printable(e->link) : NULL;
		if (e->type == SL_FT_CONTAINER || e->type == SL_FT_REGION)
			printf("%s %-13s %10llu %-16s %s", tchar(e->type),
			       e->format ? e->format : "",
			       (unsigned long long)e->size, sha,
			       path ? path : "?");
		else
			printf("%s %04o %5u/%-5u %10llu %-16s %s",
			       tchar(e->type), e->mode, e->uid, e->gid,
			       (unsigned long long)e->size, sha,
			       path ? path : "?");
		if (e->link)
			printf(" -> %s", link ? link : "?");
		free(path);
		free(link);
		if (e->type == SL_FT_REGION)
			printf("  (entropy %.3f)", e->entropy);
		if (e->note) {
			/* A note may quote the image (a uImage's name). */
			char *note = sl_printable(e->note);

			printf("  [%s]", note ? note : "?");
			free(note);
		}
		putchar('\n');
	}
	n = sl_scan_incomplete_count(s);
	for (i = 0; i < n; i++)
		cli_err(0, "incomplete: %s", sl_scan_incomplete(s, i));
}

int
cmd_ls(int argc, char **argv)
{
	static const struct option opts[] = {
	    {"format", required_argument, NULL, OPT_FORMAT},
	    {"help", no_argument, NULL, OPT_HELP},
	    CLI_LIMIT_OPTIONS,
	    {NULL, 0, NULL, 0},
	};
	struct sl_limits lim;
	struct sl_scan *s;
	bool json = false;
	int c, status = 0, r;

	sl_limits_default(&lim);
	optind = 1;
	while ((c = cli_getopt("ls", argc, argv, "", opts)) != -1) {
		if ((r = cli_limit_opt("ls", c, optarg, &lim)) != 0) {
			if (r < 0)
				return EX_USAGE;
			continue;
		}
		switch (c) {
		case OPT_FORMAT:
			if (cli_format("ls", optarg, &json) != 0)
				return EX_USAGE;
			break;
		case OPT_HELP: help_ls(stdout); return 0;
		default: return EX_USAGE; /* cli_getopt said why */
		}
	}
	if (argc - optind != 1)
		return cli_usage("ls", "expected one IMAGE");
	s = cli_open_image(argv[optind], &lim, &status);
	if (s == NULL)
		return status;
	if (json) {
		char *out = sl_tree_json(s);

		if (out == NULL) {
			sl_scan_free(s);
			return cli_err(EX_INPUT, "out of memory");
		}
		puts(out);
		free(out);
	} else {
		print_text(s);
	}
	sl_scan_free(s);
	return 0;
}
