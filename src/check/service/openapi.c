/*
 * openapi.c - what `starlab service` needs from the vendor's OpenAPI 3
 * document: every operation (method and path), which ones are protected,
 * and which one is the login.
 *
 *   protected  the operation's own `security` array, else the document's
 *              top-level one, holds at least one requirement and no empty
 *              object (`{}` makes authentication optional: OpenAPI 3.0.3,
 *              4.8.10 "Security Requirement Object");
 *   login      a POST whose JSON request body schema (following local
 *              "#/components/schemas/..." references, at most
 *              SL_OA_MAX_REFS hops) has a property named "password"; the
 *              user field is the first of username, user, email, login,
 *              name that it also has;
 *   register   the same on a path naming a sign-up
 *              ("regist", "signup", "sign-up", "sign_up"): never the login;
 *   change     a POST, PUT or PATCH whose body has newPassword (or
 *              new_password, newpassword) and, for the current one,
 *              currentPassword, oldPassword (or their snake forms) or
 *              password;
 *   bind       a protected POST whose body names a device by serial or
 *              QR content (serial, serialNumber, serial_number, sn, qr,
 *              qrCode, qr_code, qrContent, deviceSerial);
 *   unreg      a protected DELETE of the caller's own account (a path
 *              without parameters ending in /me, /account or /profile).
 *
 * A document whose first non-blank byte is not '{' is read as YAML
 * (libyaml's event parser) into the same jansson tree, every scalar as a
 * string: only strings, objects and arrays are looked at.
 *
 * Trust: the document comes from the vendor.  jansson parses it (with
 * its nesting-depth bound) from at most SL_OA_MAX_DOC bytes, duplicate
 * keys rejected; YAML nests at most SL_OA_MAX_DEPTH deep, holds at most
 * SL_OA_MAX_NODES nodes, and may not use aliases (no expansion bombs);
 * at most SL_OA_MAX_OPS operations are kept; paths and names are copied
 * only when printable and short.  The fuzz target is openapi_fuzz.c.
 */
#include <jansson.h>
#include <stdio.h>
#include <strings.h>
#include <yaml.h>

#include "service.h"

#define SL_OA_MAX_NAME  128
#define SL_OA_MAX_DEPTH 64     /* YAML nesting */
#define SL_OA_MAX_NODES 200000 /* YAML scalars and collections */

/*
 * Read a YAML document into a jansson tree (NULL with err set on
 * failure).  Every scalar becomes a string; a mapping key must be a
 * scalar; a key seen twice in one mapping is an error, as in the JSON
 * path.
 */
static json_t *
yaml_tree(const uint8_t *data, size_t n, json_error_t *err)
{
	json_t *stack[SL_OA_MAX_DEPTH + 1], *root = NULL;
	char *key[SL_OA_MAX_DEPTH + 1];
	yaml_parser_t ps;
	yaml_event_t ev;
	size_t nodes = 0;
	int depth = 0, i;
	bool done = false, fail = false;

	memset(err, 0, sizeof(*err));
	memset(key, 0, sizeof(key));
	if (!yaml_parser_initialize(&ps)) {
		snprintf(err->text, sizeof(err->text), "out of memory");
		return NULL;
	}
	yaml_parser_set_input_string(&ps, data, n);
	while (!done && !fail) {
		json_t *node = NULL;

		if (!yaml_parser_parse(&ps, &ev)) {
			err->line = (int)ps.problem_mark.line + 1;
			err->column = (int)ps.problem_mark.column + 1;
			snprintf(err->text, sizeof(err->text), "YAML: %s",
			         ps.problem ? ps.problem : "syntax error");
			fail = true;
			break;
		}
		err->line = (int)ev.start_mark.line + 1;
		err->column = (int)ev.start_mark.column + 1;
		switch (ev.type) {
		case YAML_NO_EVENT: /* what libyaml gives after the end */
		case YAML_STREAM_END_EVENT: done = true; break;
		case YAML_DOCUMENT_END_EVENT: done = root != NULL; break;
		case YAML_ALIAS_EVENT:
			snprintf(err->text, sizeof(err->text),
			         "YAML aliases are not accepted");
			fail = true;
			break;
		case YAML_SCALAR_EVENT:
			node = json_stringn((const char *)ev.data.scalar.value,
			                    ev.data.scalar.length);
			break;
		case YAML_SEQUENCE_START_EVENT: node = json_array(); break;
		case YAML_MAPPING_START_EVENT: node = json_object(); break;
		case YAML_SEQUENCE_END_EVENT:
		case YAML_MAPPING_END_EVENT:
			if (depth > 0)
				depth--;
			break;
		default: break;
		}
		if (node == NULL && (ev.type == YAML_SCALAR_EVENT ||
		                     ev.type == YAML_SEQUENCE_START_EVENT ||
		                     ev.type == YAML_MAPPING_START_EVENT)) {
			snprintf(err->text, sizeof(err->text),
			         "not text, or out of memory");
			fail = true;
		}
		if (node != NULL && !fail) {
			bool coll = !json_is_string(node);

			if (++nodes > SL_OA_MAX_NODES) {
				snprintf(err->text, sizeof(err->text),
				         "more than %d YAML nodes",
				         SL_OA_MAX_NODES);
				json_decref(node);
				fail = true;
			} else if (depth == 0) {
				/* The document's top node: one collection. */
				if (root != NULL || !coll) {
					snprintf(err->text, sizeof(err->text),
					         "the document is not one "
					         "mapping");
					json_decref(node);
					fail = true;
				} else {
					root = node;
					stack[depth++] = node;
				}
			} else if (json_is_array(stack[depth - 1])) {
				json_array_append_new(stack[depth - 1], node);
				if (coll)
					goto push;
			} else if (key[depth - 1] == NULL) {
				/* A key: scalars only. */
				if (coll) {
					snprintf(err->text, sizeof(err->text),
					         "a mapping key that is not a "
					         "scalar");
					json_decref(node);
					fail = true;
				} else {
					key[depth - 1] =
					    strdup(json_string_value(node));
					json_decref(node);
					if (key[depth - 1] == NULL)
						fail = true;
				}
			} else {
				json_t *m = stack[depth - 1];

				if (json_object_get(m, key[depth - 1]) !=
				    NULL) {
					snprintf(err->text, sizeof(err->text),
					         "duplicate key '%.40s'",
					         key[depth - 1]);
					json_decref(node);
					fail = true;
				} else {
					json_object_set_new(m, key[depth - 1],
					                    node);
				}
				free(key[depth - 1]);
				key[depth - 1] = NULL;
				if (coll && !fail)
					goto push;
			}
			goto next;
		push:
			if (depth >= SL_OA_MAX_DEPTH) {
				snprintf(err->text, sizeof(err->text),
				         "YAML nested more than %d deep",
				         SL_OA_MAX_DEPTH);
				fail = true;
			} else {
				stack[depth++] = node;
			}
		}
	next:
		yaml_event_delete(&ev);
	}
	/* A failed yaml_parser_parse leaves nothing in ev to delete. */
	yaml_parser_delete(&ps);
	for (i = 0; i <= SL_OA_MAX_DEPTH; i++)
		free(key[i]);
	if (fail || root == NULL) {
		if (!fail)
			snprintf(err->text, sizeof(err->text),
			         "no mapping or sequence");
		json_decref(root);
		return NULL;
	}
	return root;
}

static const char *const methods[] = {
    "get", "put", "post", "delete", "patch", "head", "options", NULL,
};

/* A printable string of at most max bytes, else NULL. */
static const char *
str_ok(json_t *v, size_t max)
{
	const char *p;
	size_t i, n;

	if (!json_is_string(v))
		return NULL;
	p = json_string_value(v);
	n = json_string_length(v);
	if (n == 0 || n > max)
		return NULL;
	for (i = 0; i < n; i++)
		if ((unsigned char)p[i] < 0x20 || (unsigned char)p[i] >= 0x7f)
			return NULL;
	return p;
}

/* Does a security array demand authentication? */
static bool
demands(json_t *sec)
{
	size_t i;
	json_t *req;
	bool any = false;

	if (!json_is_array(sec))
		return false;
	json_array_foreach(sec, i, req)
	{
		if (!json_is_object(req))
			continue;
		if (json_object_size(req) == 0)
			return false; /* anonymous access is one option */
		any = true;
	}
	return any;
}

/* Follow "#/components/schemas/X" references from schema. */
static json_t *
resolve(json_t *doc, json_t *schema)
{
	int hops;

	for (hops = 0; hops < SL_OA_MAX_REFS && json_is_object(schema);
	     hops++) {
		const char *ref =
		    json_string_value(json_object_get(schema, "$ref"));
		static const char pre[] = "#/components/schemas/";

		if (ref == NULL)
			return schema;
		if (strncmp(ref, pre, sizeof(pre) - 1) != 0)
			return NULL;
		schema = json_object_get(
		    json_object_get(json_object_get(doc, "components"),
		                    "schemas"),
		    ref + sizeof(pre) - 1);
	}
	return json_is_object(schema) && json_object_get(schema, "$ref") == NULL
	           ? schema
	           : NULL;
}

/* The first of names that props has, or NULL. */
static const char *
first_of(json_t *props, const char *const *names)
{
	for (; *names != NULL; names++)
		if (json_object_get(props, *names) != NULL)
			return *names;
	return NULL;
}

static bool
signup_path(const char *path)
{
	return strcasestr(path, "regist") != NULL ||
	       strcasestr(path, "signup") != NULL ||
	       strcasestr(path, "sign-up") != NULL ||
	       strcasestr(path, "sign_up") != NULL;
}

/* Password change and device binding fields of a body. */
static void
other_fields(json_t *props, struct Sl_oa_op *o)
{
	static const char *const news[] = {
	    "newPassword",
	    "new_password",
	    "newpassword",
	    NULL,
	};
	static const char *const curs[] = {
	    "currentPassword", "current_password", "oldPassword",
	    "old_password",    "password",         NULL,
	};
	static const char *const serials[] = {
	    "serial", "serialNumber", "serial_number", "sn",           "qr",
	    "qrCode", "qr_code",      "qrContent",     "deviceSerial", NULL,
	};

	if (!json_is_object(props))
		return;
	o->new_field = first_of(props, news);
	if (o->new_field != NULL)
		o->cur_field = first_of(props, curs);
	if (o->protected_ && strcmp(o->method, "POST") == 0)
		o->bind_field = first_of(props, serials);
}

/* The properties of op's JSON request body, or NULL. */
static json_t *
body_props(json_t *doc, json_t *op)
{
	json_t *schema = json_object_get(
	    json_object_get(
	        json_object_get(json_object_get(op, "requestBody"), "content"),
	        "application/json"),
	    "schema");

	return json_object_get(resolve(doc, schema), "properties");
}

/* Fill the login fields of op when the body has a password property. */
static void
login_fields(struct sl_scan *s, json_t *doc, json_t *op, struct Sl_oa_op *o)
{
	static const char *const users[] = {
	    "username", "user", "email", "login", "userName", "name", NULL,
	};
	json_t *schema, *props, *v;
	const char *k;
	size_t i;

	schema = json_object_get(
	    json_object_get(
	        json_object_get(json_object_get(op, "requestBody"), "content"),
	        "application/json"),
	    "schema");
	props = json_object_get(resolve(doc, schema), "properties");
	if (!json_is_object(props) ||
	    json_object_get(props, "password") == NULL)
		return;
	o->pass_field = "password";
	for (i = 0; users[i] != NULL; i++)
		if (json_object_get(props, users[i]) != NULL) {
			o->user_field = users[i];
			break;
		}
	if (o->user_field == NULL)
		json_object_foreach(props, k, v)
		{
			if (strcmp(k, "password") != 0 &&
			    strlen(k) < SL_OA_MAX_NAME) {
				o->user_field = Sl_arena_strdup(&s->arena, k);
				break;
			}
		}
	o->login = o->user_field != NULL && o->new_field == NULL;
	if (o->login && signup_path(o->path)) {
		o->login = false;
		o->register_ = true;
	}
}

static bool
ends_with(const char *s, const char *end)
{
	size_t n = strlen(s), k = strlen(end);

	return n >= k && strcasecmp(s + n - k, end) == 0;
}

/* The first {name} of path and how many there are. */
static void
path_params(struct sl_scan *s, const char *path, struct Sl_oa_op *o)
{
	const char *p = path, *open, *close;

	while ((open = strchr(p, '{')) != NULL &&
	       (close = strchr(open, '}')) != NULL) {
		if (o->nparams++ == 0 && close - open - 1 > 0 &&
		    close - open - 1 < SL_OA_MAX_NAME)
			o->param = Sl_arena_strndup(&s->arena, open + 1,
			                            (size_t)(close - open - 1));
		p = close + 1;
	}
}

sl_rc
Sl_openapi_parse(struct sl_scan *s, const char *name, const uint8_t *data,
                 size_t n, struct Sl_oa *oa)
{
	json_error_t err;
	json_t *doc, *paths, *item, *op, *gsec;
	const char *path, *ver;
	size_t cap = 0, first = 0;
	sl_rc rc = SL_OK;
	bool has_gsec, json;

	memset(oa, 0, sizeof(*oa));
	if (n > SL_OA_MAX_DOC)
		return Sl_fail(s, SL_E_LIMIT,
		               "%s: %zu bytes (an OpenAPI document may have "
		               "%u at most)",
		               name, n, SL_OA_MAX_DOC);
	while (first < n && (data[first] == ' ' || data[first] == '\t' ||
	                     data[first] == '\r' || data[first] == '\n'))
		first++;
	json = first < n && data[first] == '{';
	doc = json ? json_loadb((const char *)data, n, JSON_REJECT_DUPLICATES,
	                        &err)
	           : yaml_tree(data, n, &err);
	if (doc == NULL)
		return Sl_fail(s, SL_E_MALFORMED, "%s:%d:%d: not %s: %s", name,
		               err.line, err.column, json ? "JSON" : "YAML",
		               err.text);
	ver = json_string_value(json_object_get(doc, "openapi"));
	if (ver == NULL || strncmp(ver, "3.", 2) != 0) {
		rc = Sl_fail(s, SL_E_MALFORMED,
		             "%s: not an OpenAPI 3 document (no \"openapi\": "
		             "\"3.x\")",
		             name);
		goto out;
	}
	paths = json_object_get(doc, "paths");
	if (!json_is_object(paths)) {
		rc =
		    Sl_fail(s, SL_E_MALFORMED, "%s: no \"paths\" object", name);
		goto out;
	}
	oa->title =
	    str_ok(json_object_get(json_object_get(doc, "info"), "title"),
	           SL_OA_MAX_NAME);
	if (oa->title != NULL)
		oa->title = Sl_arena_strdup(&s->arena, oa->title);
	gsec = json_object_get(doc, "security");
	has_gsec = demands(gsec);
	cap = json_object_size(paths) * 7;
	if (cap > SL_OA_MAX_OPS)
		cap = SL_OA_MAX_OPS;
	oa->ops = Sl_arena_alloc(&s->arena, (cap ? cap : 1) * sizeof(*oa->ops));
	if (oa->ops == NULL) {
		rc = Sl_fail(s, SL_E_NOMEM, "out of memory");
		goto out;
	}
	json_object_foreach(paths, path, item)
	{
		size_t m;

		if (!json_is_object(item))
			continue;
		/* UNTRUSTED: only plain absolute paths are used. */
		if (path[0] != '/' || strlen(path) > 400)
			continue;
		for (m = 0; methods[m] != NULL; m++) {
			struct Sl_oa_op *o;
			json_t *sec;
			char up[8];
			size_t k;

			op = json_object_get(item, methods[m]);
			if (!json_is_object(op))
				continue;
			if (oa->nops >= cap) {
				oa->ops_capped = true;
				continue;
			}
			o = &oa->ops[oa->nops];
			memset(o, 0, sizeof(*o));
			for (k = 0; methods[m][k] != 0 && k < sizeof(up) - 1;
			     k++)
				up[k] = (char)(methods[m][k] - 'a' + 'A');
			up[k] = 0;
			o->method = Sl_arena_strdup(&s->arena, up);
			o->path = Sl_arena_strdup(&s->arena, path);
			if (o->method == NULL || o->path == NULL) {
				rc = Sl_fail(s, SL_E_NOMEM, "out of memory");
				goto out;
			}
			sec = json_object_get(op, "security");
			o->protected_ = sec != NULL ? demands(sec) : has_gsec;
			path_params(s, path, o);
			if (strcmp(up, "POST") == 0 || strcmp(up, "PUT") == 0 ||
			    strcmp(up, "PATCH") == 0)
				other_fields(body_props(doc, op), o);
			if (strcmp(up, "POST") == 0)
				login_fields(s, doc, op, o);
			oa->nops++;
			if (o->login && oa->login == NULL)
				oa->login = o;
			if (o->register_ && oa->reg == NULL)
				oa->reg = o;
			if (o->new_field != NULL && o->cur_field != NULL &&
			    o->protected_ && oa->change == NULL)
				oa->change = o;
			if (o->bind_field != NULL && oa->bind == NULL)
				oa->bind = o;
			if (strcmp(up, "DELETE") == 0 && o->protected_ &&
			    o->nparams == 0 && oa->unreg == NULL &&
			    (ends_with(path, "/me") ||
			     ends_with(path, "/account") ||
			     ends_with(path, "/profile")))
				oa->unreg = o;
		}
	}
out:
	json_decref(doc);
	return rc;
}
