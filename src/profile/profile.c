/*
 * profile.c - the vendor's product profile: a small YAML file
 * (docs/profile.md) declaring the product, its interfaces, a known-good
 * credential, how to read the installed version, and the documents behind
 * the document-assessed STAR-1 requirements.
 *
 * Trust: the profile is written by the vendor of the product under
 * assessment and handed over with it, so it is treated as hostile input,
 * like the firmware: the file is at most PROF_MAX_BYTES, and a first pass
 * over libyaml's events bounds the nesting depth, the number of events
 * and the length of every scalar, and refuses aliases (so no "billion
 * laughs") and more than one document, before the document is loaded.
 * The walk over the loaded document is driven by the schema below, never
 * by the input's shape, so it needs no recursion of its own.  Every value
 * is checked (type, range, characters) and copied into the scan's arena;
 * nothing of libyaml's outlives the parse.
 *
 * Errors name the file, the line and the column (1-based) and what was
 * wrong: "profile.yaml:12:5: interfaces[2].port: expected a number from 1
 * to 65535, got \"https\"".  libyaml does the YAML itself: a hand-written
 * parser would be one more thing to get wrong.
 */
#include <errno.h>
#include <fcntl.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>
#include <yaml.h>

#include "profile.h"

/* Bounds on a profile (the file is hand-written: these are generous). */
#define PROF_MAX_BYTES   (1U << 20)      /* the whole file */
#define PROF_MAX_DEPTH   SL_NEST_PROFILE /* src/limits.h */
#define PROF_MAX_EVENTS  200000          /* libyaml events in the file */
#define PROF_MAX_STR     4096            /* bytes of one scalar */
#define PROF_MAX_IFACES  256             /* declared interfaces */
#define PROF_MAX_CREDS   64              /* known-good credentials */
#define PROF_MAX_PATTERN 256             /* bytes of the version pattern */
#define PROF_MAX_REPEAT  64 /* a {m,n} bound in the version pattern */
/* Positions the version pattern expands to (nested bounds multiply). */
#define PROF_MAX_EXPAND 8192

/* The parse: where we are and what we fill. */
struct pc {
	struct sl_scan *s;
	const char *name;
	const uint8_t *data;
	size_t len;
	yaml_document_t *doc;
	struct Sl_profile *p;
	size_t capdocs;
	/* Per requirement: a document or a not-applicable entry seen. */
	bool has_doc[SL_NREQ], has_na[SL_NREQ];
	yaml_mark_t na_mark[SL_NREQ];
};

/* What a string field may hold. */
enum fkind {
	F_NAME,   /* one line, no control characters */
	F_TEXT,   /* prose: tabs and newlines allowed */
	F_SECRET, /* a password: anything but NUL, CR and LF */
	F_PORT,   /* a number from 1 to 65535 */
	F_PORT0,  /* the same, or 0 */
	F_BOOL,   /* true/false/yes/no */
};

SL_PRINTF(4, 5)
static sl_rc
perr(struct pc *c, sl_rc rc, yaml_mark_t m, const char *fmt, ...)
{
	char msg[768];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return Sl_fail(c->s, rc, "%s:%zu:%zu: %s", c->name, m.line + 1,
	               m.column + 1, msg);
}

/* A short, printable quote of a scalar for an error message. */
static const char *
quote(const yaml_node_t *n, char *buf, size_t size)
{
	size_t i, o = 0;

	if (n->type != YAML_SCALAR_NODE)
		return n->type == YAML_MAPPING_NODE ? "a mapping" : "a list";
	buf[o++] = '"';
	for (i = 0; i < n->data.scalar.length && o + 5 < size; i++) {
		unsigned char ch = n->data.scalar.value[i];

		buf[o++] = ch >= 0x20 && ch != 0x7f ? (char)ch : '?';
	}
	if (i < n->data.scalar.length && o + 4 < size) {
		memcpy(buf + o, "...", 3);
		o += 3;
	}
	buf[o++] = '"';
	buf[o] = 0;
	return buf;
}

static const char *
node_what(yaml_node_t *n)
{
	switch (n->type) {
	case YAML_MAPPING_NODE: return "a mapping";
	case YAML_SEQUENCE_NODE: return "a list";
	default: return "a scalar";
	}
}

static bool
scalar_is(const yaml_node_t *n, const char *word)
{
	size_t wl = strlen(word);

	return n->type == YAML_SCALAR_NODE && n->data.scalar.length == wl &&
	       memcmp(n->data.scalar.value, word, wl) == 0;
}

/*
 * Check a scalar for field what and copy it into the arena.  Empty values
 * (including YAML's null, "key:" with nothing after it) are refused: a
 * field that is not known is left out, not left blank.
 */
static sl_rc
get_str(struct pc *c, yaml_node_t *n, const char *what, enum fkind k,
        const char **out)
{
	char q[64];
	size_t i, len;
	char *d;

	if (n->type != YAML_SCALAR_NODE)
		return perr(c, SL_E_MALFORMED, n->start_mark,
		            "%s: expected a string, got %s", what,
		            node_what(n));
	/* UNTRUSTED: length from the file, bounded by the first pass. */
	len = n->data.scalar.length;
	if (len == 0)
		return perr(c, SL_E_MALFORMED, n->start_mark, "%s: empty value",
		            what);
	if (len > PROF_MAX_STR)
		return perr(c, SL_E_LIMIT, n->start_mark,
		            "%s: value longer than %u bytes", what,
		            PROF_MAX_STR);
	for (i = 0; i < len; i++) {
		unsigned char ch = n->data.scalar.value[i];
		bool ok;

		if (k == F_SECRET)
			ok = ch != 0 && ch != '\r' && ch != '\n';
		else if (k == F_TEXT)
			ok = (ch >= 0x20 && ch != 0x7f) || ch == '\t' ||
			     ch == '\n';
		else
			ok = ch >= 0x20 && ch != 0x7f;
		if (!ok)
			return perr(c, SL_E_MALFORMED, n->start_mark,
			            "%s: control character 0x%02x in %s", what,
			            ch, quote(n, q, sizeof(q)));
	}
	d = Sl_arena_alloc(&c->s->arena, len + 1);
	if (d == NULL)
		return Sl_fail(c->s, SL_E_NOMEM, "%s: out of memory", c->name);
	memcpy(d, n->data.scalar.value, len);
	*out = d;
	return SL_OK;
}

static sl_rc
get_port(struct pc *c, yaml_node_t *n, const char *what, bool zero,
         unsigned *out)
{
	unsigned long v = 0;
	size_t i;
	char q[64];

	if (n->type != YAML_SCALAR_NODE || n->data.scalar.length == 0 ||
	    n->data.scalar.length > 5)
		goto bad;
	for (i = 0; i < n->data.scalar.length; i++) {
		unsigned char ch = n->data.scalar.value[i];

		if (ch < '0' || ch > '9')
			goto bad;
		v = v * 10 + (ch - '0');
	}
	if (v > 65535 || (v == 0 && !zero))
		goto bad;
	*out = (unsigned)v;
	return SL_OK;
bad:
	return perr(c, SL_E_MALFORMED, n->start_mark,
	            "%s: expected a number from %d to 65535, got %s", what,
	            zero ? 0 : 1, quote(n, q, sizeof(q)));
}

static sl_rc
get_bool(struct pc *c, yaml_node_t *n, const char *what, bool *out)
{
	static const char *const yes[] = {"true", "True", "TRUE",
	                                  "yes",  "Yes",  "YES"};
	static const char *const no[] = {"false", "False", "FALSE",
	                                 "no",    "No",    "NO"};
	size_t i;
	char q[64];

	for (i = 0; i < SL_ARRAY_LEN(yes); i++) {
		if (scalar_is(n, yes[i])) {
			*out = true;
			return SL_OK;
		}
		if (scalar_is(n, no[i])) {
			*out = false;
			return SL_OK;
		}
	}
	return perr(c, SL_E_MALFORMED, n->start_mark,
	            "%s: expected true or false, got %s", what,
	            quote(n, q, sizeof(q)));
}

/* One field of a mapping of scalars. */
struct field {
	const char *key;
	enum fkind kind;
	void *dst; /* const char **, unsigned * or bool * */
	bool required;
};

/*
 * Fill fields from the mapping n (at path what).  Unknown keys, repeated
 * keys and missing required keys are errors: a typo in a hand-written
 * profile should not silently drop evidence.
 */
static sl_rc
get_fields(struct pc *c, yaml_node_t *n, const char *what, struct field *f,
           size_t nf)
{
	yaml_node_pair_t *pr;
	bool seen[8] = {false};
	char path[160], q[64];
	size_t i;
	sl_rc rc;

	if (SL_NEVER(nf > SL_ARRAY_LEN(seen)))
		return Sl_fail(c->s, SL_E_USAGE, "too many fields");
	if (n->type != YAML_MAPPING_NODE)
		return perr(c, SL_E_MALFORMED, n->start_mark,
		            "%s: expected a mapping, got %s", what,
		            node_what(n));
	for (pr = n->data.mapping.pairs.start; pr < n->data.mapping.pairs.top;
	     pr++) {
		yaml_node_t *k = yaml_document_get_node(c->doc, pr->key);
		yaml_node_t *v = yaml_document_get_node(c->doc, pr->value);

		if (k == NULL || v == NULL)
			return perr(c, SL_E_MALFORMED, n->start_mark,
			            "%s: broken mapping", what);
		for (i = 0; i < nf; i++)
			if (scalar_is(k, f[i].key))
				break;
		if (i == nf) {
			char keys[160];
			size_t j, o = 0;

			keys[0] = 0;
			for (j = 0; j < nf && o < sizeof(keys); j++)
				o += (size_t)snprintf(keys + o,
				                      sizeof(keys) - o, "%s%s",
				                      j ? ", " : "", f[j].key);
			return perr(c, SL_E_MALFORMED, k->start_mark,
			            "%s: unknown key %s (expected one of: "
			            "%s)",
			            what, quote(k, q, sizeof(q)), keys);
		}
		if (seen[i])
			return perr(c, SL_E_MALFORMED, k->start_mark,
			            "%s: key '%s' given twice", what, f[i].key);
		seen[i] = true;
		snprintf(path, sizeof(path), "%s.%s", what, f[i].key);
		switch (f[i].kind) {
		case F_PORT:
		case F_PORT0:
			rc = get_port(c, v, path, f[i].kind == F_PORT0,
			              f[i].dst);
			break;
		case F_BOOL: rc = get_bool(c, v, path, f[i].dst); break;
		default: rc = get_str(c, v, path, f[i].kind, f[i].dst); break;
		}
		if (rc != SL_OK)
			return rc;
	}
	for (i = 0; i < nf; i++)
		if (f[i].required && !seen[i])
			return perr(c, SL_E_MALFORMED, n->start_mark,
			            "%s: '%s' is missing", what, f[i].key);
	return SL_OK;
}

static bool date_ok(const char *d);

/* A DNS host name, not an IPv4 address: "sl-cam200.local". */
static bool
dns_name_ok(const char *h)
{
	size_t len = strlen(h), label = 0, i;
	bool alpha = false;

	if (len == 0 || len > 253 || h[0] == '.' || h[len - 1] == '.')
		return false;
	for (i = 0; i < len; i++) {
		char ch = h[i];

		if (ch == '.') {
			if (label == 0 || h[i - 1] == '-')
				return false;
			label = 0;
			continue;
		}
		if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
		      (ch >= '0' && ch <= '9') || ch == '-'))
			return false;
		if (ch == '-' && label == 0)
			return false;
		alpha |= ch != '-' && (ch < '0' || ch > '9');
		if (++label > 63)
			return false;
	}
	return alpha; /* all digits and dots: an address */
}

static sl_rc
do_product(struct pc *c, yaml_node_t *n)
{
	struct field f[] = {
	    {"vendor", F_NAME, &c->p->vendor, true},
	    {"model", F_NAME, &c->p->model, true},
	    {"version", F_NAME, &c->p->version, false},
	    {"name", F_NAME, &c->p->name, false},
	    {"support_until", F_NAME, &c->p->support_until, false},
	    {"host_name", F_NAME, &c->p->host_name, false},
	};
	sl_rc rc = get_fields(c, n, "product", f, SL_ARRAY_LEN(f));

	if (rc == SL_OK && c->p->host_name != NULL &&
	    !dns_name_ok(c->p->host_name))
		return perr(c, SL_E_MALFORMED, n->start_mark,
		            "product.host_name: expected a DNS name "
		            "(letters, digits, '-' and '.'; labels of at most "
		            "63, at most 253 in all, not an address), got "
		            "\"%.64s\"",
		            c->p->host_name);
	if (rc == SL_OK && c->p->support_until != NULL &&
	    !date_ok(c->p->support_until))
		return perr(c, SL_E_MALFORMED, n->start_mark,
		            "product.support_until: expected a date "
		            "YYYY-MM-DD, got \"%.40s\"",
		            c->p->support_until);
	return rc;
}

/* A calendar date YYYY-MM-DD between 2000 and 2199. */
static bool
date_ok(const char *d)
{
	static const int mdays[] = {31, 29, 31, 30, 31, 30,
	                            31, 31, 30, 31, 30, 31};
	int y, m, day, i;

	if (strlen(d) != 10 || d[4] != '-' || d[7] != '-')
		return false;
	for (i = 0; i < 10; i++)
		if (i != 4 && i != 7 && (d[i] < '0' || d[i] > '9'))
			return false;
	/* The digits are checked above: read them by hand, no atoi. */
	y = (d[0] - '0') * 1000 + (d[1] - '0') * 100 + (d[2] - '0') * 10 +
	    (d[3] - '0');
	m = (d[5] - '0') * 10 + (d[6] - '0');
	day = (d[8] - '0') * 10 + (d[9] - '0');
	if (y < 2000 || y > 2199 || m < 1 || m > 12 || day < 1 ||
	    day > mdays[m - 1])
		return false;
	return m != 2 || day < 29 || (y % 4 == 0 && (y % 100 || y % 400 == 0));
}

/*
 * A path the profile names, resolved against the profile's directory
 * when relative, so that a profile and its images and captures travel
 * together.
 */
static sl_rc
relative_path(struct pc *c, const char *v, const char **out)
{
	const char *slash = strrchr(c->name, '/');

	if (v[0] == '/' || slash == NULL) {
		*out = v;
		return SL_OK;
	}
	*out = Sl_arena_printf(&c->s->arena, "%.*s/%s", (int)(slash - c->name),
	                       c->name, v);
	return *out ? SL_OK : SL_E_NOMEM;
}

/* One entry of assess: (a scalar); a path (is_path) resolved as above. */
static sl_rc
assess_path(struct pc *c, yaml_node_t *n, const char *what, bool is_path,
            const char **out)
{
	const char *v = NULL;
	sl_rc rc = get_str(c, n, what, F_NAME, &v);

	if (rc != SL_OK)
		return rc;
	if (!is_path) {
		*out = v;
		return SL_OK;
	}
	return relative_path(c, v, out);
}

/* firmware: or device: of assess, one scalar or a list of them. */
static sl_rc
assess_list(struct pc *c, yaml_node_t *n, const char *what, bool is_path,
            const char **out, size_t *nout)
{
	yaml_node_item_t *it;
	char path[64];
	sl_rc rc;

	if (n->type == YAML_SCALAR_NODE) {
		*nout = 1;
		return assess_path(c, n, what, is_path, &out[0]);
	}
	if (n->type != YAML_SEQUENCE_NODE)
		return perr(c, SL_E_MALFORMED, n->start_mark,
		            "%s: expected a string or a list, got %s", what,
		            node_what(n));
	for (it = n->data.sequence.items.start; it < n->data.sequence.items.top;
	     it++) {
		yaml_node_t *v = yaml_document_get_node(c->doc, *it);

		if (*nout >= SL_ASSESS_MAX_UNITS)
			return perr(c, SL_E_LIMIT, n->start_mark,
			            "%s: more than %d entries", what,
			            SL_ASSESS_MAX_UNITS);
		if (v == NULL)
			return perr(c, SL_E_MALFORMED, n->start_mark,
			            "%s: broken list", what);
		snprintf(path, sizeof(path), "%s[%zu]", what, *nout);
		if ((rc = assess_path(c, v, path, is_path, &out[*nout])) !=
		    SL_OK)
			return rc;
		(*nout)++;
	}
	return SL_OK;
}

/* assess: {firmware, device, snapshots}. */
static sl_rc
do_assess(struct pc *c, yaml_node_t *n)
{
	yaml_node_pair_t *pr;
	char q[64];
	sl_rc rc;

	if (n->type != YAML_MAPPING_NODE)
		return perr(c, SL_E_MALFORMED, n->start_mark,
		            "assess: expected a mapping, got %s", node_what(n));
	for (pr = n->data.mapping.pairs.start; pr < n->data.mapping.pairs.top;
	     pr++) {
		yaml_node_t *k = yaml_document_get_node(c->doc, pr->key);
		yaml_node_t *v = yaml_document_get_node(c->doc, pr->value);

		if (k == NULL || v == NULL)
			return perr(c, SL_E_MALFORMED, n->start_mark,
			            "assess: broken mapping");
		if (scalar_is(k, "firmware") && c->p->nassess_fw == 0)
			rc = assess_list(c, v, "assess.firmware", true,
			                 c->p->assess_fw, &c->p->nassess_fw);
		else if (scalar_is(k, "device") && c->p->nassess_dev == 0)
			rc = assess_list(c, v, "assess.device", false,
			                 c->p->assess_dev, &c->p->nassess_dev);
		else if (scalar_is(k, "snapshots") &&
		         c->p->assess_snapshots == NULL)
			rc = assess_path(c, v, "assess.snapshots", true,
			                 &c->p->assess_snapshots);
		else if (scalar_is(k, "service") &&
		         c->p->assess_service == NULL)
			rc = assess_path(c, v, "assess.service", false,
			                 &c->p->assess_service);
		else if (scalar_is(k, "openapi") &&
		         c->p->assess_openapi == NULL)
			rc = assess_path(c, v, "assess.openapi", true,
			                 &c->p->assess_openapi);
		else if (scalar_is(k, "app") && c->p->assess_app == NULL)
			rc = assess_path(c, v, "assess.app", true,
			                 &c->p->assess_app);
		else
			return perr(c, SL_E_MALFORMED, k->start_mark,
			            "assess: unexpected or repeated key %s "
			            "(expected firmware, device, snapshots, "
			            "service, openapi, app)",
			            quote(k, q, sizeof(q)));
		if (rc != SL_OK)
			return rc;
	}
	return SL_OK;
}

/* service: {intrusive, replay, max_token_life}. */
static sl_rc
do_service(struct pc *c, yaml_node_t *n)
{
	const char *replay = NULL, *life = NULL;
	struct field f[] = {
	    {"intrusive", F_BOOL, &c->p->service.intrusive, false},
	    {"replay", F_NAME, &replay, false},
	    {"max_token_life", F_NAME, &life, false},
	};
	sl_rc rc = get_fields(c, n, "service", f, SL_ARRAY_LEN(f));
	unsigned long v = 0;
	size_t i;

	if (rc != SL_OK)
		return rc;
	if (life != NULL) {
		for (i = 0; life[i] >= '0' && life[i] <= '9' && v <= 31536000;
		     i++)
			v = v * 10 + (unsigned long)(life[i] - '0');
		if (i == 0 || life[i] != '\0' || v == 0 || v > 31536000)
			return perr(
			    c, SL_E_MALFORMED, n->start_mark,
			    "service.max_token_life: expected seconds "
			    "from 1 to 31536000 (a year), got \"%.40s\"",
			    life);
		c->p->service.max_token_life = (unsigned)v;
	}
	if (replay != NULL)
		return relative_path(c, replay, &c->p->service.replay);
	return SL_OK;
}

/* Interfaces that are not IP: they have no port. */
static bool
non_ip(const char *proto)
{
	static const char *const names[] = {
	    "bluetooth", "ble",    "usb",  "zigbee", "thread", "zwave",
	    "nfc",       "serial", "lora", "matter", "ir"};
	size_t i;

	for (i = 0; i < SL_ARRAY_LEN(names); i++)
		if (strcmp(proto, names[i]) == 0)
			return true;
	return false;
}

/*
 * A list section (interfaces:, credentials:): n must be a sequence of at
 * most max items.  Room for them (at least one) in the arena, and *cnt
 * their number; NULL with *rc set if not.
 */
static void *
list_alloc(struct pc *c, yaml_node_t *n, const char *name, unsigned max,
           size_t size, size_t *cnt, sl_rc *rc)
{
	void *arr;

	if (n->type != YAML_SEQUENCE_NODE) {
		*rc = perr(c, SL_E_MALFORMED, n->start_mark,
		           "%s: expected a list, got %s", name, node_what(n));
		return NULL;
	}
	/* UNTRUSTED: item count from the file. */
	*cnt =
	    (size_t)(n->data.sequence.items.top - n->data.sequence.items.start);
	if (*cnt > max) {
		*rc = perr(c, SL_E_LIMIT, n->start_mark,
		           "%s: %zu entries, over the limit of %u", name, *cnt,
		           max);
		return NULL;
	}
	arr = Sl_arena_alloc(&c->s->arena, (*cnt ? *cnt : 1) * size);
	if (arr == NULL)
		*rc = Sl_fail(c->s, SL_E_NOMEM, "%s: out of memory", c->name);
	return arr;
}

static sl_rc
do_interfaces(struct pc *c, yaml_node_t *n)
{
	struct Sl_profile *p = c->p;
	yaml_node_item_t *it;
	size_t cnt, i, j;
	char what[48];
	sl_rc rc;

	p->ifaces = list_alloc(c, n, "interfaces", PROF_MAX_IFACES,
	                       sizeof(*p->ifaces), &cnt, &rc);
	if (p->ifaces == NULL)
		return rc;
	for (i = 0, it = n->data.sequence.items.start; i < cnt; i++, it++) {
		yaml_node_t *v = yaml_document_get_node(c->doc, *it);
		struct Sl_iface *f = &p->ifaces[i];
		bool has_port;
		struct field fl[] = {
		    {"proto", F_NAME, &f->proto, true},
		    {"port", F_PORT, &f->port, false},
		    {"service", F_NAME, &f->service, false},
		    {"purpose", F_TEXT, &f->purpose, false},
		    {"auth", F_TEXT, &f->auth, false},
		};

		if (v == NULL)
			return perr(c, SL_E_MALFORMED, n->start_mark,
			            "interfaces: broken list");
		snprintf(what, sizeof(what), "interfaces[%zu]", i + 1);
		if ((rc = get_fields(c, v, what, fl, SL_ARRAY_LEN(fl))) !=
		    SL_OK)
			return rc;
		has_port = f->port != 0;
		if (strcmp(f->proto, "tcp") == 0 ||
		    strcmp(f->proto, "udp") == 0) {
			if (!has_port)
				return perr(c, SL_E_MALFORMED, v->start_mark,
				            "%s: a %s interface needs a port",
				            what, f->proto);
		} else if (non_ip(f->proto)) {
			if (has_port)
				return perr(c, SL_E_MALFORMED, v->start_mark,
				            "%s: a %s interface has no port",
				            what, f->proto);
		} else {
			return perr(c, SL_E_MALFORMED, v->start_mark,
			            "%s.proto: unknown protocol '%s' (tcp, "
			            "udp, bluetooth, ble, usb, zigbee, "
			            "thread, zwave, nfc, serial, lora, "
			            "matter, ir)",
			            what, f->proto);
		}
		for (j = 0; j < i; j++)
			if (strcmp(p->ifaces[j].proto, f->proto) == 0 &&
			    p->ifaces[j].port == f->port && has_port)
				return perr(c, SL_E_MALFORMED, v->start_mark,
				            "%s: %s/%u is declared twice", what,
				            f->proto, f->port);
		p->nifaces++;
	}
	return SL_OK;
}

static sl_rc
do_credentials(struct pc *c, yaml_node_t *n)
{
	struct Sl_profile *p = c->p;
	yaml_node_item_t *it;
	size_t cnt, i;
	char what[48];
	sl_rc rc;

	p->creds = list_alloc(c, n, "credentials", PROF_MAX_CREDS,
	                      sizeof(*p->creds), &cnt, &rc);
	if (p->creds == NULL)
		return rc;
	for (i = 0, it = n->data.sequence.items.start; i < cnt; i++, it++) {
		yaml_node_t *v = yaml_document_get_node(c->doc, *it);
		struct Sl_cred *cr = &p->creds[i];
		struct field fl[] = {
		    {"service", F_NAME, &cr->service, false},
		    {"user", F_NAME, &cr->user, true},
		    {"password", F_SECRET, &cr->pass, true},
		};

		if (v == NULL)
			return perr(c, SL_E_MALFORMED, n->start_mark,
			            "credentials: broken list");
		snprintf(what, sizeof(what), "credentials[%zu]", i + 1);
		if ((rc = get_fields(c, v, what, fl, SL_ARRAY_LEN(fl))) !=
		    SL_OK)
			return rc;
		p->ncreds++;
	}
	return SL_OK;
}

/*
 * How many positions an extended regular expression expands to once
 * glibc's regcomp has copied each bounded repetition out: an atom (an
 * anchor and an empty group too) is 1, a sequence or an alternation the
 * sum of its parts, x{m,n} max(m, n, 1) times x, and x*, x+ or x? twice
 * x (regcomp copies x once for x+, and "x++" doubles it again).  Counted
 * up to cap: returns cap + 1 as soon as the sum passes it.  The syntax
 * is only skimmed (regcomp judges it next): a backslash escapes one
 * byte, a bracket expression is one atom.
 */
static unsigned long
pattern_expansion(const char *p, unsigned long cap)
{
	/* Per open group: its size so far and that of its last element. */
	unsigned long sum[PROF_MAX_PATTERN + 2], last[PROF_MAX_PATTERN + 2];
	size_t d = 0;

	sum[0] = last[0] = 0;
	for (; *p != 0; p++) {
		unsigned long mult = 0, v = 0, add = 0;

		switch (*p) {
		case '(':
			if (d + 1 >= SL_ARRAY_LEN(sum))
				return cap + 1;
			d++;
			sum[d] = last[d] = 0;
			continue;
		case ')':
			if (d == 0) {
				add = 1; /* a literal ')' */
				break;
			}
			d--;
			/* An empty group is still a node regcomp copies. */
			last[d] = sum[d + 1] > 0 ? sum[d + 1] : 1;
			sum[d] += last[d];
			if (sum[d] > cap)
				return cap + 1;
			continue;
		case '|': last[d] = 0; continue;
		case '*':
		case '+':
		case '?': mult = 2; break;
		case '{':
			for (p++; *p != 0 && *p != '}'; p++) {
				if (*p >= '0' && *p <= '9') {
					v = v * 10 + (unsigned long)(*p - '0');
					if (v > cap)
						return cap + 1;
				} else if (*p == ',') {
					mult = v > mult ? v : mult;
					v = 0;
				} else {
					break;
				}
			}
			mult = v > mult ? v : mult;
			if (mult == 0)
				mult = 1;
			/* Not a bound after all: regcomp will say so. */
			if (*p != '}')
				p--;
			break;
		case '[':
			/* "[]...]" and "[^]...]": a leading ']' is a member. */
			p += p[1] == '^' ? 1 : 0;
			p += p[1] == ']' ? 1 : 0;
			while (p[1] != 0 && p[1] != ']') {
				if (p[1] == '[' &&
				    (p[2] == ':' || p[2] == '.' ||
				     p[2] == '=')) {
					const char *e = strchr(p + 3, ']');

					p = e != NULL ? e - 1 : p + 1;
				}
				p++;
			}
			if (p[1] == ']')
				p++;
			add = 1;
			break;
		case '\\':
			if (p[1] != 0)
				p++;
			add = 1;
			break;
		default: add = 1; break;
		}
		if (mult > 0) {
			unsigned long more = last[d] * (mult - 1);

			if (last[d] != 0 && more / last[d] != mult - 1)
				return cap + 1;
			sum[d] += more;
			last[d] *= mult;
		} else {
			sum[d] += add;
			last[d] = add;
		}
		if (sum[d] > cap || last[d] > cap)
			return cap + 1;
	}
	while (d > 0) { /* an unclosed group: regcomp refuses it */
		d--;
		sum[d] += sum[d + 1];
	}
	return sum[0] > cap ? cap + 1 : sum[0];
}

/*
 * The version pattern is compiled here once, so that a bad one is
 * reported with its position rather than when the device is probed.
 * glibc's regcomp copies bounded repetitions out, so "(((a{64}){64}){64}){64}"
 * would cost gigabytes: the pattern's length, every {m,n} bound and the
 * size it expands to are capped first.
 */
static sl_rc
check_pattern(struct pc *c, yaml_node_t *n, const char *pat)
{
	const char *q;
	regex_t re;
	char msg[160];
	int e;

	if (strlen(pat) > PROF_MAX_PATTERN)
		return perr(c, SL_E_LIMIT, n->start_mark,
		            "version_probe.pattern: longer than %u bytes",
		            PROF_MAX_PATTERN);
	for (q = pat; (q = strchr(q, '{')) != NULL; q++) {
		unsigned long v = 0;

		for (q++; *q != 0 && *q != '}'; q++) {
			if (*q >= '0' && *q <= '9') {
				v = v * 10 + (unsigned long)(*q - '0');
				if (v > PROF_MAX_REPEAT)
					break;
			} else if (*q == ',') {
				v = 0;
			} else {
				break;
			}
		}
		if (v > PROF_MAX_REPEAT)
			return perr(c, SL_E_LIMIT, n->start_mark,
			            "version_probe.pattern: a repetition "
			            "bound above %u",
			            PROF_MAX_REPEAT);
		if (*q == 0)
			break;
	}
	if (pattern_expansion(pat, PROF_MAX_EXPAND) > PROF_MAX_EXPAND)
		return perr(c, SL_E_LIMIT, n->start_mark,
		            "version_probe.pattern: expands to more than %u "
		            "positions (nested repetitions multiply: "
		            "(x{8}){8} is 64 copies of x)",
		            PROF_MAX_EXPAND);
	e = regcomp(&re, pat, REG_EXTENDED);
	if (e != 0) {
		regerror(e, &re, msg, sizeof(msg));
		return perr(c, SL_E_MALFORMED, n->start_mark,
		            "version_probe.pattern: not a POSIX extended "
		            "regular expression: %s",
		            msg);
	}
	regfree(&re);
	return SL_OK;
}

static sl_rc
do_version_probe(struct pc *c, yaml_node_t *n)
{
	static const char *const kinds[] = {"http", "ssh", "snmp", "banner",
	                                    "upnp"};
	struct Sl_version_probe *v = &c->p->version_probe;
	struct field f[] = {
	    {"kind", F_NAME, &v->kind, true},
	    {"port", F_PORT0, &v->port, false},
	    {"path", F_NAME, &v->path, false},
	    {"command", F_NAME, &v->command, false},
	    {"pattern", F_NAME, &v->pattern, true},
	};
	yaml_node_pair_t *pr;
	yaml_node_t *patnode = n;
	size_t i;
	sl_rc rc;

	if ((rc = get_fields(c, n, "version_probe", f, SL_ARRAY_LEN(f))) !=
	    SL_OK)
		return rc;
	for (i = 0; i < SL_ARRAY_LEN(kinds); i++)
		if (strcmp(v->kind, kinds[i]) == 0)
			break;
	if (i == SL_ARRAY_LEN(kinds))
		return perr(c, SL_E_MALFORMED, n->start_mark,
		            "version_probe.kind: '%s' is not one of http, "
		            "ssh, snmp, banner, upnp",
		            v->kind);
	if (strcmp(v->kind, "http") == 0 &&
	    (v->path == NULL || v->path[0] != '/'))
		return perr(c, SL_E_MALFORMED, n->start_mark,
		            "version_probe: kind http needs a path "
		            "starting with '/'");
	if (strcmp(v->kind, "ssh") == 0 && v->command == NULL)
		return perr(c, SL_E_MALFORMED, n->start_mark,
		            "version_probe: kind ssh needs a command");
	for (pr = n->data.mapping.pairs.start; pr < n->data.mapping.pairs.top;
	     pr++)
		if (scalar_is(yaml_document_get_node(c->doc, pr->key),
		              "pattern"))
			patnode = yaml_document_get_node(c->doc, pr->value);
	return check_pattern(c, patnode, v->pattern);
}

/* The index of a requirement id in the catalogue, or -1. */
static int
req_index(yaml_node_t *k)
{
	const struct sl_requirement *r;
	size_t i, n;

	r = sl_requirements(&n);
	for (i = 0; i < n && i < SL_NREQ; i++)
		if (scalar_is(k, r[i].id))
			return (int)i;
	return -1;
}

static sl_rc
add_doc(struct pc *c, const char *req, const char *item, const char *ref)
{
	struct Sl_profile *p = c->p;

	if (p->ndocs == c->capdocs)
		return Sl_fail(c->s, SL_E_LIMIT, "%s: too many documents",
		               c->name);
	p->docs[p->ndocs].req = req;
	p->docs[p->ndocs].item = item;
	p->docs[p->ndocs].ref = ref;
	p->ndocs++;
	return SL_OK;
}

/* The parts a requirement's document may be given in, or NULL. */
static const char *const *
doc_items(const char *req)
{
	static const char *const s05[] = {"url", "contact", "process",
	                                  "status_updates", NULL};
	static const char *const s16[] = {"(1)", "(2)", "(3)",
	                                  "(4)", "(5)", NULL};

	if (strcmp(req, "S1.1-05") == 0)
		return s05;
	if (strcmp(req, "S1.1-16") == 0)
		return s16;
	return NULL;
}

/*
 * One entry of documents: a scalar (the reference), or for S1.1-05 and
 * S1.1-16 a mapping of their parts.  S1.1-16's items may be written
 * "(1)" or 1.
 */
static sl_rc
do_doc(struct pc *c, const struct sl_requirement *r, yaml_node_t *v)
{
	const char *const *items = doc_items(r->id);
	yaml_node_pair_t *pr;
	char what[64], q[64];
	unsigned seen = 0;
	const char *ref;
	sl_rc rc;

	snprintf(what, sizeof(what), "documents.%s", r->id);
	if (v->type == YAML_SCALAR_NODE) {
		if ((rc = get_str(c, v, what, F_TEXT, &ref)) != SL_OK)
			return rc;
		return add_doc(c, r->id, items ? items[0] : NULL, ref);
	}
	if (v->type != YAML_MAPPING_NODE || items == NULL)
		return perr(c, SL_E_MALFORMED, v->start_mark,
		            "%s: expected a document reference (a URL or a "
		            "document name), got %s",
		            what, node_what(v));
	for (pr = v->data.mapping.pairs.start; pr < v->data.mapping.pairs.top;
	     pr++) {
		yaml_node_t *k = yaml_document_get_node(c->doc, pr->key);
		yaml_node_t *val = yaml_document_get_node(c->doc, pr->value);
		char alt[8];
		size_t i;

		if (k == NULL || val == NULL)
			return perr(c, SL_E_MALFORMED, v->start_mark,
			            "%s: broken mapping", what);
		for (i = 0; items[i] != NULL; i++) {
			if (scalar_is(k, items[i]))
				break;
			/* "(4)" may be written 4. */
			if (items[i][0] == '(') {
				snprintf(alt, sizeof(alt), "%c", items[i][1]);
				if (scalar_is(k, alt))
					break;
			}
		}
		if (items[i] == NULL)
			return perr(c, SL_E_MALFORMED, k->start_mark,
			            "%s: unknown part %s (expected %s)", what,
			            quote(k, q, sizeof(q)),
			            items[0][0] == '(' ? "(1) to (5)"
			                               : "url, contact, "
			                                 "process, "
			                                 "status_updates");
		if (seen & (1U << i))
			return perr(c, SL_E_MALFORMED, k->start_mark,
			            "%s: part %s given twice", what, items[i]);
		seen |= 1U << i;
		snprintf(what, sizeof(what), "documents.%s.%s", r->id,
		         items[i]);
		if ((rc = get_str(c, val, what, F_TEXT, &ref)) != SL_OK)
			return rc;
		if ((rc = add_doc(c, r->id, items[i], ref)) != SL_OK)
			return rc;
		snprintf(what, sizeof(what), "documents.%s", r->id);
	}
	return SL_OK;
}

/*
 * A mapping keyed by requirement id (documents:, not_applicable:): call fn
 * for each pair, with the requirement's index, once each requirement is
 * known to be a STAR-1 id given only once (given[] marks them).
 */
typedef sl_rc (*req_pair_fn)(struct pc *c, int i, yaml_node_t *k,
                             yaml_node_t *v);

static sl_rc
each_req(struct pc *c, yaml_node_t *n, const char *what, bool *given,
         req_pair_fn fn)
{
	yaml_node_pair_t *pr;
	char q[64];
	sl_rc rc;

	if (n->type != YAML_MAPPING_NODE)
		return perr(c, SL_E_MALFORMED, n->start_mark,
		            "%s: expected a mapping, got %s", what,
		            node_what(n));
	for (pr = n->data.mapping.pairs.start; pr < n->data.mapping.pairs.top;
	     pr++) {
		yaml_node_t *k = yaml_document_get_node(c->doc, pr->key);
		yaml_node_t *v = yaml_document_get_node(c->doc, pr->value);
		int i;

		if (k == NULL || v == NULL)
			return perr(c, SL_E_MALFORMED, n->start_mark,
			            "%s: broken mapping", what);
		if ((i = req_index(k)) < 0)
			return perr(c, SL_E_MALFORMED, k->start_mark,
			            "%s: %s is not a STAR-1 requirement id "
			            "(S1.1-01 .. S1.1-16)",
			            what, quote(k, q, sizeof(q)));
		if (given[i])
			return perr(c, SL_E_MALFORMED, k->start_mark,
			            "%s: %s given twice", what,
			            sl_requirements(NULL)[i].id);
		given[i] = true;
		if ((rc = fn(c, i, k, v)) != SL_OK)
			return rc;
	}
	return SL_OK;
}

/*
 * documents: requirement id -> reference.  Only requirements a document
 * can count for are accepted: those the scheme assesses from documents
 * and those whose evidence includes the profile.
 */
static sl_rc
one_document(struct pc *c, int i, yaml_node_t *k, yaml_node_t *v)
{
	const struct sl_requirement *r = &sl_requirements(NULL)[i];

	if (!(r->sources & SL_SRC_PROFILE) && !(r->method & SL_METHOD_DOC))
		return perr(c, SL_E_MALFORMED, k->start_mark,
		            "documents: %s is assessed by a device check "
		            "only; a document does not count for it",
		            r->id);
	return do_doc(c, r, v);
}

static sl_rc
do_documents(struct pc *c, yaml_node_t *n)
{
	return each_req(c, n, "documents", c->has_doc, one_document);
}

/* not_applicable: requirement id -> the vendor's reason. */
static sl_rc
one_na(struct pc *c, int i, yaml_node_t *k, yaml_node_t *v)
{
	const struct sl_requirement *r = &sl_requirements(NULL)[i];
	struct Sl_profile *p = c->p;
	char what[48];
	sl_rc rc;

	if (r->not_applicable == NULL)
		return perr(c, SL_E_MALFORMED, k->start_mark,
		            "not_applicable: STAR-1 allows no not-applicable "
		            "case for %s",
		            r->id);
	c->na_mark[i] = k->start_mark;
	snprintf(what, sizeof(what), "not_applicable.%s", r->id);
	/* A claim without its reason is no claim (docs/verdicts.md). */
	if (v->type == YAML_SCALAR_NODE && v->data.scalar.length == 0)
		return perr(c, SL_E_MALFORMED, v->start_mark,
		            "%s: the vendor's reason is missing; a "
		            "not-applicable claim must say why the "
		            "requirement does not apply",
		            what);
	p->na[p->nna].req = r->id;
	if ((rc = get_str(c, v, what, F_TEXT, &p->na[p->nna].reason)) != SL_OK)
		return rc;
	p->nna++;
	return SL_OK;
}

static sl_rc
do_na(struct pc *c, yaml_node_t *n)
{
	if (n->type == YAML_MAPPING_NODE) {
		c->p->na =
		    Sl_arena_alloc(&c->s->arena, SL_NREQ * sizeof(*c->p->na));
		if (c->p->na == NULL)
			return Sl_fail(c->s, SL_E_NOMEM, "%s: out of memory",
			               c->name);
	}
	return each_req(c, n, "not_applicable", c->has_na, one_na);
}

static sl_rc
do_scheme(struct pc *c, yaml_node_t *n)
{
	char q[64];

	if (!scalar_is(n, "unique") && !scalar_is(n, "forced-change"))
		return perr(c, SL_E_MALFORMED, n->start_mark,
		            "password_scheme: expected unique (option 1: a "
		            "different password per unit) or forced-change "
		            "(option 2: set at first start), got %s",
		            quote(n, q, sizeof(q)));
	return get_str(c, n, "password_scheme", F_NAME, &c->p->password_scheme);
}

/* The top-level mapping. */
static sl_rc
do_root(struct pc *c, yaml_node_t *root)
{
	static const char *const keys[] = {
	    "product",       "interfaces",      "credentials",
	    "version_probe", "password_scheme", "constrained_device",
	    "documents",     "not_applicable",  "assess",
	    "service",
	};
	yaml_node_pair_t *pr;
	bool seen[SL_ARRAY_LEN(keys)] = {false};
	const struct sl_requirement *reqs = sl_requirements(NULL);
	char q[64];
	size_t i;
	sl_rc rc = SL_OK;

	if (root->type != YAML_MAPPING_NODE)
		return perr(c, SL_E_MALFORMED, root->start_mark,
		            "expected a mapping at the top (product:, "
		            "interfaces:, ...), got %s",
		            node_what(root));
	for (pr = root->data.mapping.pairs.start;
	     pr < root->data.mapping.pairs.top; pr++) {
		yaml_node_t *k = yaml_document_get_node(c->doc, pr->key);
		yaml_node_t *v = yaml_document_get_node(c->doc, pr->value);

		if (k == NULL || v == NULL)
			return perr(c, SL_E_MALFORMED, root->start_mark,
			            "broken mapping");
		/* Vendor extensions, as in OpenAPI: ignored. */
		if (k->type == YAML_SCALAR_NODE && k->data.scalar.length > 2 &&
		    memcmp(k->data.scalar.value, "x-", 2) == 0)
			continue;
		for (i = 0; i < SL_ARRAY_LEN(keys); i++)
			if (scalar_is(k, keys[i]))
				break;
		if (i == SL_ARRAY_LEN(keys))
			return perr(c, SL_E_MALFORMED, k->start_mark,
			            "unknown key %s (expected product, "
			            "interfaces, credentials, version_probe, "
			            "password_scheme, constrained_device, "
			            "documents, not_applicable, assess, "
			            "service, or x-...)",
			            quote(k, q, sizeof(q)));
		if (seen[i])
			return perr(c, SL_E_MALFORMED, k->start_mark,
			            "key '%s' given twice", keys[i]);
		seen[i] = true;
		switch (i) {
		case 0: rc = do_product(c, v); break;
		case 1: rc = do_interfaces(c, v); break;
		case 2: rc = do_credentials(c, v); break;
		case 3: rc = do_version_probe(c, v); break;
		case 4: rc = do_scheme(c, v); break;
		case 5:
			rc = get_bool(c, v, "constrained_device",
			              &c->p->constrained);
			break;
		case 6: rc = do_documents(c, v); break;
		case 7: rc = do_na(c, v); break;
		case 8: rc = do_assess(c, v); break;
		default: rc = do_service(c, v); break;
		}
		if (rc != SL_OK)
			return rc;
	}
	if (!seen[0])
		return perr(c, SL_E_MALFORMED, root->start_mark,
		            "'product' (vendor, model, version) is missing");
	for (i = 0; i < SL_NREQ; i++)
		if (c->has_doc[i] && c->has_na[i])
			return perr(c, SL_E_MALFORMED, c->na_mark[i],
			            "not_applicable: %s also has documents; "
			            "give one or the other",
			            reqs[i].id);
	return SL_OK;
}

/* Line and column of a byte offset, for libyaml's reader errors. */
static yaml_mark_t
mark_at(const uint8_t *data, size_t len, size_t off)
{
	yaml_mark_t m = {0};
	size_t i;

	for (i = 0; i < off && i < len; i++) {
		if (data[i] == '\n') {
			m.line++;
			m.column = 0;
		} else {
			m.column++;
		}
	}
	m.index = off;
	return m;
}

static sl_rc
yaml_error(struct pc *c, yaml_parser_t *ps)
{
	yaml_mark_t m = ps->problem_mark;
	const char *problem = ps->problem ? ps->problem : "unknown error";

	switch (ps->error) {
	case YAML_MEMORY_ERROR:
		return Sl_fail(c->s, SL_E_NOMEM, "%s: out of memory", c->name);
	case YAML_READER_ERROR:
		m = mark_at(c->data, c->len, ps->problem_offset);
		return perr(c, SL_E_MALFORMED, m, "%s (byte 0x%02x)", problem,
		            (unsigned)ps->problem_value & 0xff);
	default:
		if (ps->context != NULL)
			return perr(c, SL_E_MALFORMED, m,
			            "YAML syntax: %s %s (from line %zu)",
			            problem, ps->context,
			            ps->context_mark.line + 1);
		return perr(c, SL_E_MALFORMED, m, "YAML syntax: %s", problem);
	}
}

/*
 * The first pass: every event, counted, with the nesting depth and scalar
 * lengths bounded and aliases refused.  Only then is the document built.
 */
static sl_rc
prescan(struct pc *c)
{
	yaml_parser_t ps;
	yaml_event_t ev;
	size_t nev = 0, ndoc = 0;
	unsigned depth = 0;
	sl_rc rc = SL_OK;
	bool done = false;

	if (!yaml_parser_initialize(&ps))
		return Sl_fail(c->s, SL_E_NOMEM, "%s: out of memory", c->name);
	yaml_parser_set_input_string(&ps, c->data, c->len);
	while (!done && rc == SL_OK) {
		if (!yaml_parser_parse(&ps, &ev)) {
			rc = yaml_error(c, &ps);
			break;
		}
		if (++nev > PROF_MAX_EVENTS)
			rc = perr(c, SL_E_LIMIT, ev.start_mark,
			          "more than %u YAML nodes", PROF_MAX_EVENTS);
		switch (ev.type) {
		case YAML_STREAM_END_EVENT: done = true; break;
		case YAML_DOCUMENT_START_EVENT:
			if (++ndoc > 1 && rc == SL_OK)
				rc = perr(c, SL_E_MALFORMED, ev.start_mark,
				          "more than one YAML document "
				          "('---'); a profile is one");
			break;
		case YAML_ALIAS_EVENT:
			if (rc == SL_OK)
				rc = perr(c, SL_E_MALFORMED, ev.start_mark,
				          "aliases (*name) are not "
				          "supported; write the value out");
			break;
		case YAML_SEQUENCE_START_EVENT:
		case YAML_MAPPING_START_EVENT:
			if (++depth > PROF_MAX_DEPTH && rc == SL_OK)
				rc = perr(c, SL_E_LIMIT, ev.start_mark,
				          "nested deeper than %u levels",
				          PROF_MAX_DEPTH);
			break;
		case YAML_SEQUENCE_END_EVENT:
		case YAML_MAPPING_END_EVENT: depth--; break;
		case YAML_SCALAR_EVENT:
			/* UNTRUSTED: scalar length from the file. */
			if (ev.data.scalar.length > PROF_MAX_STR && rc == SL_OK)
				rc = perr(c, SL_E_LIMIT, ev.start_mark,
				          "a value longer than %u bytes",
				          PROF_MAX_STR);
			break;
		default: break;
		}
		yaml_event_delete(&ev);
	}
	yaml_parser_delete(&ps);
	if (rc == SL_OK && ndoc == 0)
		rc = perr(c, SL_E_MALFORMED, mark_at(c->data, c->len, 0),
		          "empty profile (expected product:, interfaces:, "
		          "...)");
	return rc;
}

sl_rc
Sl_profile_parse(struct sl_scan *s, const char *name, const uint8_t *data,
                 size_t len)
{
	struct pc c = {.s = s, .name = name, .data = data, .len = len};
	yaml_parser_t ps;
	yaml_document_t doc;
	yaml_node_t *root;
	struct Sl_profile *p;
	sl_rc rc;

	if (name == NULL || (data == NULL && len > 0))
		return Sl_fail(s, SL_E_USAGE, "profile: no input");
	if (s->profile != NULL)
		return Sl_fail(s, SL_E_USAGE,
		               "%s: a profile is already loaded (%s)", name,
		               s->profile->path);
	if (len > PROF_MAX_BYTES)
		return Sl_fail(s, SL_E_LIMIT,
		               "%s:1:1: %zu bytes, over the limit of %u", name,
		               len, PROF_MAX_BYTES);
	if ((rc = prescan(&c)) != SL_OK)
		return rc;
	p = Sl_arena_alloc(&s->arena, sizeof(*p));
	c.capdocs = SL_NREQ * 5;
	if (p != NULL)
		p->docs =
		    Sl_arena_alloc(&s->arena, c.capdocs * sizeof(*p->docs));
	if (p == NULL || p->docs == NULL ||
	    (p->path = Sl_arena_strdup(&s->arena, name)) == NULL)
		return Sl_fail(s, SL_E_NOMEM, "%s: out of memory", name);
	c.p = p;
	if (!yaml_parser_initialize(&ps))
		return Sl_fail(s, SL_E_NOMEM, "%s: out of memory", name);
	yaml_parser_set_input_string(&ps, data, len);
	if (!yaml_parser_load(&ps, &doc)) {
		rc = yaml_error(&c, &ps);
		yaml_parser_delete(&ps);
		return rc;
	}
	c.doc = &doc;
	root = yaml_document_get_root_node(&doc);
	if (root == NULL)
		rc = perr(&c, SL_E_MALFORMED, mark_at(data, len, 0),
		          "empty profile");
	else
		rc = do_root(&c, root);
	yaml_document_delete(&doc);
	yaml_parser_delete(&ps);
	if (rc == SL_OK)
		s->profile = p;
	return rc;
}

sl_rc
sl_scan_load_profile(struct sl_scan *s, const char *path)
{
	struct stat st;
	uint8_t *buf;
	size_t got = 0;
	int fd;
	sl_rc rc;

	if (s == NULL || path == NULL)
		return s ? Sl_fail(s, SL_E_USAGE, "profile: no path")
		         : SL_E_USAGE;
	fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0)
		return Sl_fail(s, SL_E_IO, "%s: cannot open profile: %s", path,
		               strerror(errno));
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return Sl_fail(s, SL_E_IO, "%s: not a regular file", path);
	}
	if (st.st_size > (off_t)PROF_MAX_BYTES) {
		close(fd);
		return Sl_fail(s, SL_E_LIMIT,
		               "%s:1:1: %lld bytes, over the limit of %u", path,
		               (long long)st.st_size, PROF_MAX_BYTES);
	}
	/* One byte more than allowed, to notice a file that grew. */
	buf = malloc(PROF_MAX_BYTES + 1);
	if (buf == NULL) {
		close(fd);
		return Sl_fail(s, SL_E_NOMEM, "%s: out of memory", path);
	}
	for (;;) {
		ssize_t r = read(fd, buf + got, PROF_MAX_BYTES + 1 - got);

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			rc = Sl_fail(s, SL_E_IO, "%s: read: %s", path,
			             strerror(errno));
			goto out;
		}
		if (r == 0 || (got += (size_t)r) > PROF_MAX_BYTES)
			break;
	}
	rc = Sl_profile_parse(s, path, buf, got);
out:
	close(fd);
	free(buf);
	return rc;
}

bool
Sl_profile_declares(const struct Sl_profile *p, const char *proto,
                    unsigned port)
{
	size_t i;

	if (p == NULL || proto == NULL)
		return false;
	for (i = 0; i < p->nifaces; i++)
		if (p->ifaces[i].port == port &&
		    strcmp(p->ifaces[i].proto, proto) == 0)
			return true;
	return false;
}

const char *
sl_profile_get(const struct sl_scan *s, const char *key)
{
	const struct Sl_profile *p = s ? s->profile : NULL;

	if (p == NULL || key == NULL)
		return NULL;
	if (strcmp(key, "path") == 0)
		return p->path;
	if (strcmp(key, "vendor") == 0)
		return p->vendor;
	if (strcmp(key, "model") == 0)
		return p->model;
	if (strcmp(key, "version") == 0)
		return p->version;
	if (strcmp(key, "name") == 0)
		return p->name;
	if (strcmp(key, "support_until") == 0)
		return p->support_until;
	if (strcmp(key, "host_name") == 0)
		return p->host_name;
	if (strcmp(key, "assess.snapshots") == 0)
		return p->assess_snapshots;
	if (strcmp(key, "assess.service") == 0)
		return p->assess_service;
	if (strcmp(key, "assess.openapi") == 0)
		return p->assess_openapi;
	if (strcmp(key, "assess.app") == 0)
		return p->assess_app;
	return NULL;
}

const char *
sl_profile_target(const struct sl_scan *s, const char *kind, size_t i)
{
	const struct Sl_profile *p = s ? s->profile : NULL;

	if (p == NULL || kind == NULL)
		return NULL;
	if (strcmp(kind, "firmware") == 0)
		return i < p->nassess_fw ? p->assess_fw[i] : NULL;
	if (strcmp(kind, "device") == 0)
		return i < p->nassess_dev ? p->assess_dev[i] : NULL;
	return NULL;
}
