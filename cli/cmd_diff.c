/*
 * cmd_diff.c - `starlab diff OLD NEW`: the retest.  OLD and NEW are
 * report.json files or report directories.  Per requirement, the verdict
 * before and after; per issue (a finding id and the kind of component it
 * is about: firmware, device, a service port, the profile), fixed, still
 * open, or new.  This is the lab's issue list after a fix round, in text,
 * JSON or Markdown.  Exit 1 while anything is still open (or new).
 *
 * Issues are matched by id and component kind, not by place: the fixed
 * release has another file name and the retested unit may have another
 * address, yet FW-TELNETD-ENABLED in the firmware is the same issue.
 * Informational findings are advice and take no part.
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "report_load.h"

void
help_diff(FILE *f)
{
	fprintf(f,
	        "usage: starlab diff OLD NEW [--format text|json|md]\n\n"
	        "Compare two reports of the same product (report.json files "
	        "or report\ndirectories), the first test and the retest after "
	        "fixes: per requirement the\nverdict before and after, per "
	        "issue fixed, still open or new.\n\n"
	        "Exit status: 0 nothing still open and nothing new, 1 "
	        "something is still open\nor new, 2 usage error, 3 a report "
	        "could not be read.\n");
}

struct issue {
	char key[256];
	const char *id, *title, *severity;
	json_t *reqs;
	long count;
};

struct side {
	struct issue *v;
	size_t n;
};

/* The kind of a component: "firmware", "device", or the component. */
static const char *
kind_of(const char *comp, json_t *ev, char *buf, size_t size)
{
	if (comp == NULL || *comp == 0) {
		if (json_object_get(ev, "path"))
			return "firmware";
		if (json_object_get(ev, "host"))
			return "device";
		return "product";
	}
	if (strncmp(comp, "firmware ", 9) == 0)
		return "firmware";
	if (strncmp(comp, "device ", 7) == 0)
		return "device";
	snprintf(buf, size, "%s", comp);
	return buf;
}

static int
add(struct side *sd, const char *id, const char *title, const char *sev,
    json_t *reqs, const char *kind, long count)
{
	char key[256];
	size_t i;
	struct issue *nv;

	if (strcmp(sev, "info") == 0 || *id == 0)
		return 0;
	snprintf(key, sizeof(key), "%s|%s", id, kind);
	for (i = 0; i < sd->n; i++)
		if (strcmp(sd->v[i].key, key) == 0) {
			sd->v[i].count += count;
			return 0;
		}
	nv = realloc(sd->v, (sd->n + 1) * sizeof(*nv));
	if (nv == NULL)
		return -1;
	sd->v = nv;
	nv = &sd->v[sd->n++];
	memset(nv, 0, sizeof(*nv));
	snprintf(nv->key, sizeof(nv->key), "%s", key);
	nv->id = id;
	nv->title = title;
	nv->severity = sev;
	nv->reqs = reqs;
	nv->count = count;
	return 0;
}

/* The issues of a report ("issues", or its findings for older ones). */
static int
collect(json_t *root, struct side *sd)
{
	json_t *a = json_object_get(root, "issues"), *o;
	bool grouped = json_is_array(a);
	char buf[200];
	size_t i;

	if (!grouped)
		a = json_object_get(root, "findings");
	json_array_foreach(a, i, o)
	{
		json_t *ev =
		    json_object_get(o, grouped ? "locations" : "evidence");
		long count =
		    grouped
		        ? (long)json_integer_value(json_object_get(o, "count"))
		        : 1;

		if (grouped)
			ev = json_array_get(ev, 0);
		if (add(sd, cli_json_str(o, "id"), cli_json_str(o, "title"),
		        cli_json_str(o, "severity"),
		        json_object_get(o, "requirements"),
		        kind_of(
		            json_string_value(json_object_get(o, "component")),
		            ev, buf, sizeof(buf)),
		        count) != 0)
			return -1;
	}
	return 0;
}

static struct issue *
find(struct side *sd, const char *key)
{
	size_t i;

	for (i = 0; i < sd->n; i++)
		if (strcmp(sd->v[i].key, key) == 0)
			return &sd->v[i];
	return NULL;
}

static const char *
reqs_text(json_t *reqs, char *buf, size_t size)
{
	size_t i, o = 0;
	json_t *r;

	buf[0] = 0;
	json_array_foreach(reqs, i, r)
	{
		int n =
		    snprintf(buf + o, size - o, "%s%s", i ? " " : "",
		             json_string_value(r) ? json_string_value(r) : "");

		if (n < 0 || (size_t)n >= size - o)
			break;
		o += (size_t)n;
	}
	return buf;
}

enum state { FIXED, OPEN, NEW };
static const char *const state_name[] = {"fixed", "still open", "new"};

int
cmd_diff(int argc, char **argv)
{
	static const struct option opts[] = {
	    {"format", required_argument, NULL, OPT_FORMAT},
	    {"help", no_argument, NULL, OPT_HELP},
	    {NULL, 0, NULL, 0},
	};
	const char *format = "text";
	char po[4096], pn[4096], rb[128];
	json_t *old = NULL, *new = NULL, *out, *reqs, *iss;
	struct side so = {0}, sn = {0};
	size_t i, n[3] = {0};
	int c, status = EX_INPUT, k;

	optind = 1;
	while ((c = cli_getopt("diff", argc, argv, "", opts)) != -1) {
		switch (c) {
		case OPT_FORMAT:
			if (strcmp(optarg, "text") && strcmp(optarg, "json") &&
			    strcmp(optarg, "md"))
				return cli_usage("diff",
				                 "unknown format '%s' "
				                 "(text, json, md)",
				                 optarg);
			format = optarg;
			break;
		case OPT_HELP: help_diff(stdout); return 0;
		default: return EX_USAGE; /* cli_getopt said why */
		}
	}
	if (argc - optind != 2)
		return cli_usage("diff", "expected OLD and NEW reports");
	if ((old = cli_report_load("diff", argv[optind], po, sizeof(po))) ==
	        NULL ||
	    (new = cli_report_load("diff", argv[optind + 1], pn, sizeof(pn))) ==
	        NULL)
		goto done;
	if (collect(old, &so) != 0 || collect(new, &sn) != 0) {
		cli_err(0, "out of memory");
		goto done;
	}
	reqs = json_array();
	for (i = 0; i < 16; i++) {
		json_t *a =
		    json_array_get(json_object_get(old, "checklist"), i);
		json_t *b =
		    json_array_get(json_object_get(new, "checklist"), i);

		json_array_append_new(
		    reqs, json_pack("{s:s, s:s, s:s, s:s}", "id",
		                    cli_json_str(b, "id"), "title",
		                    cli_json_str(b, "title"), "before",
		                    cli_json_str(a, "verdict"), "after",
		                    cli_json_str(b, "verdict")));
	}
	iss = json_array();
	for (k = FIXED; k <= NEW; k++) {
		struct side *sd = k == NEW ? &sn : &so;

		for (i = 0; i < sd->n; i++) {
			struct issue *x = &sd->v[i], *o2;

			o2 = find(k == NEW ? &so : &sn, x->key);
			if ((k == FIXED && o2 != NULL) ||
			    (k == OPEN && o2 == NULL) ||
			    (k == NEW && o2 != NULL))
				continue;
			n[k]++;
			json_array_append_new(
			    iss,
			    json_pack(
			        "{s:s, s:s, s:s, s:s, s:O, s:I, s:I}", "state",
			        state_name[k], "id", x->id, "component",
			        strchr(x->key, '|') + 1, "title", x->title,
			        "requirements", x->reqs, "before",
			        (json_int_t)(k == NEW ? 0 : x->count), "after",
			        (json_int_t)(k == FIXED ? 0
			                     : k == NEW ? x->count
			                                : o2->count)));
		}
	}
	status = n[OPEN] + n[NEW] > 0 ? EX_NONCONF : EX_CONFORMANT;
	out =
	    json_pack("{s:s, s:s, s:{s:I, s:I, s:I}, s:o, s:o}", "old", po,
	              "new", pn, "summary", "fixed", (json_int_t)n[FIXED],
	              "still_open", (json_int_t)n[OPEN], "new",
	              (json_int_t)n[NEW], "requirements", reqs, "issues", iss);
	if (strcmp(format, "json") == 0) {
		char *t = json_dumps(out, JSON_INDENT(2) | JSON_PRESERVE_ORDER);

		if (t != NULL)
			printf("%s\n", t);
		free(t);
	} else {
		bool md = strcmp(format, "md") == 0;
		json_t *o;

		printf(md ? "# Retest: %s against %s\n\n"
		          : "starlab retest: %s against %s\n\n",
		       pn, po);
		printf(md ? "%zu fixed, %zu still open, %zu new.\n\n"
		          : "%zu fixed, %zu still open, %zu new\n\n",
		       n[FIXED], n[OPEN], n[NEW]);
		if (md)
			printf("| requirement | before | after |\n"
			       "|---|---|---|\n");
		json_array_foreach(reqs, i, o)
		{
			const char *b = cli_json_str(o, "before");
			const char *a = cli_json_str(o, "after");

			printf(md ? "| %s | %s | %s%s |\n"
			          : "%-8s %-15s -> %-15s%s\n",
			       cli_json_str(o, "id"), b, a,
			       strcmp(a, b) ? (md ? " (changed)" : " *") : "");
		}
		printf(md ? "\n| state | issue | component | requirements | "
		            "locations before -> after | title |\n"
		            "|---|---|---|---|---|---|\n"
		          : "\nissues:\n");
		json_array_foreach(iss, i, o)
		{
			/* Titles come from the product: keep tables whole. */
			char title[512];
			size_t j;

			snprintf(title, sizeof(title), "%s",
			         cli_json_str(o, "title"));
			for (j = 0; md && title[j]; j++)
				if (title[j] == '|' || title[j] == '\n')
					title[j] = ' ';
			printf(md ? "| %s | `%s` | %s | %s | %lld -> %lld | "
			            "%s |\n"
			          : "  %-10s %s (%s; %s) %lld -> %lld: %s\n",
			       cli_json_str(o, "state"), cli_json_str(o, "id"),
			       cli_json_str(o, "component"),
			       reqs_text(json_object_get(o, "requirements"), rb,
			                 sizeof(rb)),
			       (long long)json_integer_value(
			           json_object_get(o, "before")),
			       (long long)json_integer_value(
			           json_object_get(o, "after")),
			       title);
		}
	}
	json_decref(out);
done:
	json_decref(old);
	json_decref(new);
	free(so.v);
	free(sn.v);
	return status;
}
