/*
 * snapshot_doc.c - the snapshot document (docs/snapshot.md) read back:
 * Sl_snap_parse, and the names of a login's result.  The document is
 * written by sl_snapshot_take (snapshot.c) and judged by
 * sl_snapshot_compare (src/check/device/snapshot_judge.c).
 *
 * Trust: a snapshot document is hostile (it quotes the device and may
 * have been edited): jansson parses it (bounded to SL_SNAP_MAX_JSON
 * bytes, no duplicate keys), and Sl_snap_parse checks every type, bounds
 * every list and string, and copies into fixed-size fields.
 */
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>

#include "../sl.h"
#include "../limits.h"
#include "snapshot.h"

const char *
Sl_snap_res_name(enum Sl_snap_res r)
{
	switch (r) {
	case SL_SNAP_ACCEPTED: return "accepted";
	case SL_SNAP_DENIED: return "denied";
	case SL_SNAP_BLOCKED: return "blocked";
	case SL_SNAP_ERROR: return "error";
	case SL_SNAP_NONE: break;
	}
	return "none";
}

enum Sl_snap_res
Sl_snap_res_parse(const char *s)
{
	static const enum Sl_snap_res all[] = {
	    SL_SNAP_ACCEPTED,
	    SL_SNAP_DENIED,
	    SL_SNAP_BLOCKED,
	    SL_SNAP_ERROR,
	};
	size_t i;

	for (i = 0; i < SL_ARRAY_LEN(all); i++)
		if (strcmp(s, Sl_snap_res_name(all[i])) == 0)
			return all[i];
	return SL_SNAP_NONE;
}

/* ------------------------------------------------------------------ */
/* Reading a snapshot back                                             */
/* ------------------------------------------------------------------ */

/*
 * Copy the string member key of o into out (n bytes).  Absent or null
 * leaves out empty and succeeds unless required; a non-string or a string
 * that does not fit fails.
 */
static int
get_str(json_t *o, const char *key, char *out, size_t n, bool required,
        char *err, size_t errlen)
{
	json_t *v = json_object_get(o, key);
	size_t len;

	out[0] = 0;
	if (v == NULL || json_is_null(v)) {
		if (!required)
			return 0;
		snprintf(err, errlen, "\"%s\" is missing", key);
		return -1;
	}
	if (!json_is_string(v)) {
		snprintf(err, errlen, "\"%s\" is not a string", key);
		return -1;
	}
	/* UNTRUSTED: the length comes from the document. */
	len = json_string_length(v);
	if (len >= n) {
		snprintf(err, errlen, "\"%s\" is longer than %zu bytes", key,
		         n - 1);
		return -1;
	}
	memcpy(out, json_string_value(v), len);
	out[len] = 0;
	return 0;
}

static int
get_port(json_t *o, const char *key, unsigned *port, char *err, size_t errlen)
{
	json_t *v = json_object_get(o, key);

	if (!json_is_integer(v) || json_integer_value(v) < 0 ||
	    json_integer_value(v) > 65535) {
		snprintf(err, errlen, "\"%s\" is not a port number", key);
		return -1;
	}
	*port = (unsigned)json_integer_value(v);
	return 0;
}

/* A list member: absent is empty; anything but an array fails. */
static int
get_list(json_t *o, const char *key, json_t **arr, char *err, size_t errlen)
{
	*arr = json_object_get(o, key);
	if (*arr == NULL || json_is_null(*arr)) {
		*arr = NULL;
		return 0;
	}
	if (!json_is_array(*arr)) {
		snprintf(err, errlen, "\"%s\" is not a list", key);
		return -1;
	}
	if (json_array_size(*arr) > SL_SNAP_MAX_LIST) {
		snprintf(err, errlen, "\"%s\" has more than %d entries", key,
		         SL_SNAP_MAX_LIST);
		return -1;
	}
	return 0;
}

static int
parse_logins(json_t *root, const char *key, bool users,
             struct Sl_snap_login *out, size_t *n, char *err, size_t errlen)
{
	char res[16], sub[128];
	json_t *arr, *e;
	size_t i;

	*n = 0;
	if (get_list(root, key, &arr, err, errlen) != 0)
		return -1;
	json_array_foreach(arr, i, e)
	{
		struct Sl_snap_login *l = &out[*n];
		json_t *tr;

		memset(l, 0, sizeof(*l));
		snprintf(sub, sizeof(sub), "%s[%zu]", key, i);
		if (!json_is_object(e)) {
			snprintf(err, errlen, "%s is not an object", sub);
			return -1;
		}
		if (get_str(e, "service", l->service, sizeof(l->service), true,
		            err, errlen) != 0 ||
		    get_port(e, "port", &l->port, err, errlen) != 0 ||
		    get_str(e, "user", l->user, sizeof(l->user), users, err,
		            errlen) != 0 ||
		    get_str(e, "accepted", l->accepted, sizeof(l->accepted),
		            false, err, errlen) != 0 ||
		    get_str(e, "result", res, sizeof(res), true, err, errlen) !=
		        0)
			goto bad;
		if ((l->res = Sl_snap_res_parse(res)) == SL_SNAP_NONE) {
			snprintf(err, errlen,
			         "\"result\" is not one of "
			         "accepted, denied, blocked, error");
			goto bad;
		}
		tr = json_object_get(e, "tried");
		if (json_is_integer(tr) && json_integer_value(tr) >= 0 &&
		    json_integer_value(tr) <= 1000000)
			l->tried = (unsigned)json_integer_value(tr);
		(*n)++;
	}
	return 0;
bad:
	/* Prefix the entry to the reason. */
	{
		char why[256];

		snprintf(why, sizeof(why), "%s", err);
		snprintf(err, errlen, "%s: %s", sub, why);
	}
	return -1;
}

int
Sl_snap_parse(const char *json, size_t n, struct Sl_snap *out, char *err,
              size_t errlen)
{
	json_error_t je;
	json_t *root, *v, *ports, *arr, *e;
	char fmt[32];
	size_t i;
	int rc = -1;

	memset(out, 0, sizeof(*out));
	if (n > SL_SNAP_MAX_JSON) {
		snprintf(err, errlen, "larger than %u bytes", SL_SNAP_MAX_JSON);
		return -1;
	}
	/* UNTRUSTED: the whole document. */
	root = json_loadb(json, n, JSON_REJECT_DUPLICATES, &je);
	if (root == NULL) {
		snprintf(err, errlen, "not JSON: line %d column %d: %s",
		         je.line, je.column, je.text);
		return -1;
	}
	if (!json_is_object(root)) {
		snprintf(err, errlen, "not a JSON object");
		goto out;
	}
	if (get_str(root, "format", fmt, sizeof(fmt), true, err, errlen) != 0)
		goto out;
	v = json_object_get(root, "format_version");
	if (strcmp(fmt, SL_SNAP_FORMAT) != 0 || !json_is_integer(v) ||
	    json_integer_value(v) != SL_SNAP_FORMAT_VERSION) {
		snprintf(err, errlen,
		         "not a starlab snapshot (format %s "
		         "version %d)",
		         SL_SNAP_FORMAT, SL_SNAP_FORMAT_VERSION);
		goto out;
	}
	if (get_str(root, "taken_at", out->taken_at, sizeof(out->taken_at),
	            true, err, errlen) != 0 ||
	    get_str(root, "host", out->host, sizeof(out->host), true, err,
	            errlen) != 0 ||
	    get_str(root, "event", out->event, sizeof(out->event), false, err,
	            errlen) != 0)
		goto out;
	if (out->host[0] == 0) {
		snprintf(err, errlen, "\"host\" is empty");
		goto out;
	}
	if (out->event[0] != 0 && strcmp(out->event, "power-cycle") != 0 &&
	    strcmp(out->event, "factory-reset") != 0) {
		snprintf(err, errlen,
		         "\"event\" is neither power-cycle nor "
		         "factory-reset");
		goto out;
	}

	v = json_object_get(root, "version");
	if (v != NULL && !json_is_object(v)) {
		snprintf(err, errlen, "\"version\" is not an object");
		goto out;
	}
	if (v != NULL) {
		json_t *p = json_object_get(v, "probe");

		if (get_str(v, "value", out->version, sizeof(out->version),
		            false, err, errlen) != 0 ||
		    get_str(v, "error", out->version_error,
		            sizeof(out->version_error), false, err,
		            errlen) != 0)
			goto out;
		out->has_version = out->version[0] != 0;
		if (json_is_object(p)) {
			char kind[16], path[96];
			unsigned port = 0;

			if (get_str(p, "kind", kind, sizeof(kind), true, err,
			            errlen) != 0 ||
			    get_str(p, "path", path, sizeof(path), false, err,
			            errlen) != 0 ||
			    (json_object_get(p, "port") != NULL &&
			     get_port(p, "port", &port, err, errlen) != 0))
				goto out;
			if (port != 0)
				snprintf(out->version_probe,
				         sizeof(out->version_probe),
				         "%s port %u%s%s", kind, port,
				         path[0] ? " " : "", path);
			else
				snprintf(out->version_probe,
				         sizeof(out->version_probe), "%s%s%s",
				         kind, path[0] ? " " : "", path);
		}
	}

	ports = json_object_get(root, "ports");
	if (ports != NULL && !json_is_object(ports)) {
		snprintf(err, errlen, "\"ports\" is not an object");
		goto out;
	}
	if (ports != NULL) {
		if (get_list(ports, "checked", &arr, err, errlen) != 0)
			goto out;
		out->nchecked = arr ? json_array_size(arr) : 0;
		if (get_list(ports, "open", &arr, err, errlen) != 0)
			goto out;
		json_array_foreach(arr, i, e)
		{
			if (!json_is_object(e) ||
			    get_port(e, "port", &out->open[out->nopen], err,
			             errlen) != 0) {
				snprintf(err, errlen,
				         "ports.open[%zu] has no "
				         "port number",
				         i);
				goto out;
			}
			out->nopen++;
		}
	}
	if (parse_logins(root, "user_credentials", true, out->user, &out->nuser,
	                 err, errlen) != 0 ||
	    parse_logins(root, "default_credentials", false, out->def,
	                 &out->ndef, err, errlen) != 0)
		goto out;
	rc = 0;
out:
	json_decref(root);
	return rc;
}
