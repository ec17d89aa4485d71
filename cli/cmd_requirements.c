/*
 * cmd_requirements.c - `starlab requirements [--format text|json]`.
 */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "cli.h"

void
help_requirements(FILE *f)
{
	fprintf(f, "usage: starlab requirements [--format text|json]\n\n"
	           "Print the sixteen STAR-1 requirements: id, title, how the "
	           "scheme assesses\neach (document, device or both), when it "
	           "is not applicable, what starlab\nchecks, the kinds of "
	           "finding that can break it (from the checks' finding\n"
	           "tables: id, severity, check, title; in JSON the "
	           "remediation too), and the\ncross-references to other "
	           "schemes.\n");
}

static const char *
src_name(unsigned bit)
{
	return bit == SL_SRC_FIRMWARE  ? "firmware"
	       : bit == SL_SRC_NETWORK ? "device"
	                               : "profile";
}

static bool
kind_breaks(const struct sl_finding_kind *k, const char *req)
{
	size_t i;

	for (i = 0; i < SL_MAX_REQS && k->requirements[i] != NULL; i++)
		if (strcmp(k->requirements[i], req) == 0)
			return true;
	return false;
}

/* The finding kinds that can break requirement req (from the tables). */
static json_t *
kinds_json(const char *req)
{
	const struct sl_finding_kind *k;
	json_t *a = json_array();
	size_t n, i;

	k = sl_finding_kinds(&n);
	for (i = 0; i < n; i++)
		if (kind_breaks(&k[i], req))
			json_array_append_new(
			    a, json_pack(
			           "{s:s, s:s, s:s, s:s, s:s}", "id", k[i].id,
			           "severity", sl_severity_name(k[i].severity),
			           "check", k[i].check, "title", k[i].title,
			           "remediation", k[i].remediation));
	return a;
}

static int
print_json(void)
{
	const struct sl_requirement *r;
	json_t *a = json_array();
	size_t n, i, j;
	char *out;

	r = sl_requirements(&n);
	for (i = 0; i < n; i++) {
		json_t *x = json_array(), *src = json_array(), *o;
		unsigned b;

		for (j = 0; j < r[i].nxrefs; j++)
			json_array_append_new(
			    x, json_pack("{s:s,s:s}", "scheme",
			                 r[i].xrefs[j].scheme, "refs",
			                 r[i].xrefs[j].refs));
		for (b = 1; b <= SL_SRC_PROFILE; b <<= 1)
			if (r[i].sources & b)
				json_array_append_new(src,
				                      json_string(src_name(b)));
		o = json_pack(
		    "{s:s, s:s, s:s, s:s, s:s, s:o, s:o, s:s, s:s, "
		    "s:o, s:o}",
		    "id", r[i].id, "title", r[i].title, "category",
		    r[i].category, "summary", r[i].summary, "assessment_method",
		    sl_method_name(r[i].method), "not_applicable",
		    r[i].not_applicable ? json_string(r[i].not_applicable)
		                        : json_null(),
		    "evidence_sources", src, "starlab_checks",
		    r[i].starlab_checks, "evidence_needed",
		    r[i].evidence_needed, "xrefs", x, "finding_kinds",
		    kinds_json(r[i].id));
		if (o == NULL)
			return cli_err(EX_INPUT,
			               "catalogue entry %s is "
			               "incomplete",
			               r[i].id);
		json_array_append_new(a, o);
	}
	out = json_dumps(a, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(a);
	if (out == NULL)
		return cli_err(EX_INPUT, "out of memory");
	puts(out);
	free(out);
	return 0;
}

static void
print_text(void)
{
	const struct sl_requirement *r;
	const struct sl_finding_kind *k;
	size_t n, i, j, nk;

	r = sl_requirements(&n);
	k = sl_finding_kinds(&nk);
	for (i = 0; i < n; i++) {
		printf("%s  %s\n", r[i].id, r[i].title);
		printf("    assessed by: %s\n", sl_method_name(r[i].method));
		printf("    starlab:     %s\n", r[i].starlab_checks);
		if (r[i].not_applicable)
			printf("    NA when:     %s\n", r[i].not_applicable);
		/* The kinds of finding that can break it (the tables). */
		for (j = 0; j < nk; j++)
			if (kind_breaks(&k[j], r[i].id))
				printf("    finding:     %s (%s, %s) %s\n",
				       k[j].id, sl_severity_name(k[j].severity),
				       k[j].check, k[j].title);
		for (j = 0; j < r[i].nxrefs; j++)
			printf("    %-16s %s\n", r[i].xrefs[j].scheme,
			       r[i].xrefs[j].refs);
		putchar('\n');
	}
}

int
cmd_requirements(int argc, char **argv)
{
	static const struct option opts[] = {
	    {"format", required_argument, NULL, OPT_FORMAT},
	    {"help", no_argument, NULL, OPT_HELP},
	    {NULL, 0, NULL, 0},
	};
	bool json = false;
	int c;

	optind = 1;
	while ((c = cli_getopt("requirements", argc, argv, "", opts)) != -1) {
		switch (c) {
		case OPT_FORMAT:
			if (cli_format("requirements", optarg, &json) != 0)
				return EX_USAGE;
			break;
		case OPT_HELP: help_requirements(stdout); return 0;
		default: return EX_USAGE; /* cli_getopt said why */
		}
	}
	if (optind != argc)
		return cli_usage("requirements", "unexpected argument '%s'",
		                 argv[optind]);
	if (json)
		return print_json();
	print_text();
	return 0;
}
