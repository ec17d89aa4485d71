/*
 * config.c - what OpenWrt service configurations mean for S1.1-12 and
 * S1.1-13, read from the UCI files the services themselves read.
 *
 * A table per service of the options that matter, each judged with what
 * else the image holds (a TLS module, a key generator, the service's boot
 * link), and reported with the option line as evidence:
 *   - FW-CONFIG-HTTP-ADMIN (medium, S1.1-12): uhttpd, started at boot,
 *     listens for plain HTTP on a non-loopback address and HTTPS does not
 *     take its place: no listen_https, no TLS module in the image
 *     (libustream-ssl, uhttpd_tls.so), or no redirect_https.  The login
 *     of the web interface then crosses the network in clear.
 *   - FW-CONFIG-WEAK-KEYGEN (medium, S1.1-12): a "config cert" section
 *     generates the TLS key with fewer than 2048 RSA bits, and the image
 *     holds the generator (px5g) and a TLS module that would use it.
 *   - FW-CONFIG-UPNP-INSECURE (medium, S1.1-13): miniupnpd enabled with
 *     secure_mode 0 (any host may map ports to any other) and an allow
 *     rule for every internal address.
 *   - FW-CONFIG-WIFI-OPEN (medium, S1.1-12): a Wi-Fi interface, not
 *     disabled, with encryption 'none'.
 *   - FW-CONFIG-CONSOLE-NOLOGIN (medium, S1.1-13): system ttylogin '0',
 *     a serial console shell without a password.
 *   - FW-CONFIG-OLSRD-INFO-OPEN (medium, S1.1-13): an olsrd information
 *     plugin (txtinfo, jsoninfo, httpinfo) that is in the image and
 *     loaded by an olsrd started at boot answers every host ("accept
 *     0.0.0.0" or "::", httpinfo "Net 0.0.0.0 0.0.0.0"): the routing
 *     topology and node data to anyone.  One finding for all of olsrd's
 *     files (IPv4 and IPv6 instances).
 * Files are untrusted text: lines longer than CFG_MAX_LINE are skipped,
 * at most CFG_MAX_VALUES listen addresses per section are kept.
 */
#include <stdio.h>
#include <stdlib.h>

#include "../check.h"

#define CFG_MAX_LINE   1024
#define CFG_MAX_VALUES 8
#define CFG_EXCERPT    200

/* What this check reports (check.h: findings as data). */
enum { F_HTTP, F_BITS, F_UPNP, F_WIFI, F_TTY, F_OLSR };
static const struct Sl_finding_def findings[] = {
    /* The title names the listener and why HTTPS does not replace it. */
    [F_HTTP] = {"FW-CONFIG-HTTP-ADMIN",
                SL_SEV_MEDIUM,
                {"S1.1-12"},
                "web server serves the admin interface over plain HTTP",
                "Serve the web interface over HTTPS only: install a TLS "
                "module (libustream-ssl / luci-ssl), keep listen_https "
                "and set redirect_https 1, or bind listen_http to "
                "127.0.0.1.  Over plain HTTP the administrator's password "
                "crosses the network in clear."},
    /* The title names the number of bits. */
    [F_BITS] = {"FW-CONFIG-WEAK-KEYGEN",
                SL_SEV_MEDIUM,
                {"S1.1-12"},
                "uhttpd's TLS key is generated with too few RSA bits",
                "Generate the device's TLS key with at least 2048 RSA bits "
                "(option bits 2048 or more in the cert section) or an EC "
                "P-256 key."},
    [F_UPNP] = {"FW-CONFIG-UPNP-INSECURE",
                SL_SEV_MEDIUM,
                {"S1.1-13"},
                "UPnP IGD enabled with secure_mode 0 and an allow rule "
                "for every internal address: any LAN host can open "
                "ports to any other",
                "Enable secure_mode 1 (a client may only map ports to "
                "itself) and allow only the high ports a LAN client needs, "
                "or disable UPnP IGD."},
    [F_WIFI] = {"FW-CONFIG-WIFI-OPEN",
                SL_SEV_MEDIUM,
                {"S1.1-12"},
                "Wi-Fi interface without encryption (encryption 'none')",
                "Ship Wi-Fi with WPA2/WPA3 (psk2, sae) and a per-unit "
                "passphrase, or with Wi-Fi disabled until the user "
                "configures it."},
    [F_TTY] = {"FW-CONFIG-CONSOLE-NOLOGIN",
               SL_SEV_MEDIUM,
               {"S1.1-13"},
               "serial console gives a shell without login "
               "(system ttylogin '0')",
               "Set ttylogin 1 so that the serial console asks for the "
               "root password, or disable the console in production "
               "images."},
    [F_OLSR] = {"FW-CONFIG-OLSRD-INFO-OPEN",
                SL_SEV_MEDIUM,
                {"S1.1-13"},
                "olsrd information plugin answers every host: routing "
                "topology and node data to anyone who asks",
                "Let the olsrd information plugins answer 127.0.0.1 (and "
                "::1) only, or the management network, not every host "
                "(accept/Net options)."},
    {NULL},
};

/* One UCI line: keyword, name, value (unquoted), and its place. */
struct uline {
	char kw[16], key[64], val[256];
	uint64_t off;
	const char *text; /* the line, for the excerpt */
};

/* Split "option key 'value'" (or "config type 'name'"); false if not. */
static bool
uci_split(const char *line, struct uline *u)
{
	const char *p = line;
	char *outs[3] = {u->kw, u->key, u->val};
	size_t sz[3] = {sizeof(u->kw), sizeof(u->key), sizeof(u->val)}, i, n;

	u->kw[0] = u->key[0] = u->val[0] = 0;
	for (i = 0; i < 3; i++) {
		char q = 0;

		while (*p == ' ' || *p == '\t')
			p++;
		if (*p == 0 || *p == '#')
			return i >= 2;
		if (*p == '\'' || *p == '"')
			q = *p++;
		for (n = 0; *p && (q ? *p != q
		                     : (*p != ' ' && *p != '\t' && *p != '#'));
		     p++)
			if (n + 1 < sz[i])
				outs[i][n++] = *p;
		outs[i][n] = 0;
		if (q && *p == q)
			p++;
	}
	return true;
}

/* The path of the filesystem root holding e: "img@0x..:squashfs!/". */
static char *
root_of(struct sl_scan *s, const struct sl_entry *e)
{
	size_t n = strlen(e->path) - strlen(Sl_inner(e));

	return Sl_arena_strndup(&s->arena, e->path, n);
}

static bool
has_file(struct sl_scan *s, const char *root, const char *rel)
{
	char *p = Sl_arena_printf(&s->arena, "%s%s", root, rel);

	return p != NULL && sl_tree_find(s, p) != NULL;
}

/* Does the directory rel (no leading '/') under root hold any file? */
static bool
has_content(struct sl_scan *s, const char *root, const char *rel)
{
	size_t i, n = sl_tree_count(s), rl = strlen(root), dl = strlen(rel);

	while (dl > 0 && rel[dl - 1] == '/')
		dl--;
	for (i = 0; i < n; i++) {
		const struct sl_entry *e = sl_tree_entry(s, i);

		if (e != NULL && e->type != SL_FT_DIR &&
		    strncmp(e->path, root, rl) == 0 &&
		    strncmp(e->path + rl, rel, dl) == 0 &&
		    e->path[rl + dl] == '/')
			return true;
	}
	return false;
}

/* Is the init script started at boot (etc/rc.d/S??name)? */
static bool
started(struct sl_scan *s, const char *root, const char *name)
{
	size_t i, n = sl_tree_count(s), rl = strlen(root), nl = strlen(name);

	for (i = 0; i < n; i++) {
		const struct sl_entry *e = sl_tree_entry(s, i);
		const char *p;
		size_t pl;

		if (e == NULL || strncmp(e->path, root, rl) != 0)
			continue;
		p = e->path + rl;
		pl = strlen(p);
		if (strncmp(p, "etc/rc.d/S", 10) == 0 && pl == 12 + nl &&
		    strcmp(p + 12, name) == 0)
			return true;
	}
	return false;
}

static bool
loopback(const char *addr)
{
	return strncmp(addr, "127.", 4) == 0 ||
	       strncmp(addr, "[::1]", 5) == 0 ||
	       strncmp(addr, "localhost", 9) == 0;
}

static char *
excerpt(struct sl_scan *s, const char *line)
{
	return Sl_arena_strndup(&s->arena, line, strnlen(line, CFG_EXCERPT));
}

/* Iterate the lines of a text file into u; false at the end. */
struct lines {
	const uint8_t *d;
	size_t len, pos;
	char buf[CFG_MAX_LINE + 1];
};

static bool
next_uline(struct lines *it, struct uline *u)
{
	while (it->pos < it->len) {
		size_t st = it->pos, n;
		const uint8_t *nl = memchr(it->d + st, '\n', it->len - st);
		size_t end = nl ? (size_t)(nl - it->d) : it->len;

		it->pos = end + 1;
		n = end - st;
		if (n > CFG_MAX_LINE || memchr(it->d + st, 0, n) != NULL)
			continue;
		memcpy(it->buf, it->d + st, n);
		it->buf[n] = 0;
		if (n > 0 && it->buf[n - 1] == '\r')
			it->buf[n - 1] = 0;
		if (!uci_split(it->buf, u))
			continue;
		u->off = st;
		u->text = it->buf;
		while (*u->text == ' ' || *u->text == '\t')
			u->text++;
		return true;
	}
	return false;
}

/* ------------------------------------------------------------------ */
/* uhttpd                                                              */
/* ------------------------------------------------------------------ */

struct httpsec {
	bool in;
	char http[96]; /* first non-loopback plain listener */
	uint64_t http_off;
	char http_line[CFG_EXCERPT + 1];
	bool https, redirect;
	char home[128]; /* the document root, without its leading '/' */
};

static sl_rc
http_judge(struct sl_scan *s, const struct sl_entry *e, const char *root,
           const struct httpsec *h, bool tls)
{
	const char *why, *title;

	if (!h->in || h->http[0] == 0)
		return SL_OK;
	/* Nothing served (an empty document root): no admin interface. */
	if (!has_content(s, root, h->home[0] ? h->home : "www"))
		return SL_OK;
	if (h->https && tls && h->redirect)
		return SL_OK;
	why = !tls        ? "the image has no TLS module for uhttpd (no "
	                    "libustream-ssl), so HTTPS never starts"
	      : !h->https ? "no HTTPS listener is configured"
	                  : "plain HTTP is not redirected to HTTPS "
	                    "(redirect_https is off)";
	title = Sl_arena_printf(
	    &s->arena,
	    "web server (uhttpd%s) serves plain HTTP on %s: "
	    "%s",
	    has_file(s, root, "www/cgi-bin/luci") ? ", LuCI admin" : "",
	    h->http, why);
	if (title == NULL)
		return SL_E_NOMEM;
	return Sl_report(s, &findings[F_HTTP],
	                 &(struct Sl_at){.e = e,
	                                 .off = h->http_off,
	                                 .excerpt = excerpt(s, h->http_line),
	                                 .title = title});
}

static sl_rc
read_uhttpd(struct sl_scan *s, const struct sl_entry *e, const uint8_t *d,
            size_t len, void *user)
{
	struct lines *it = malloc(sizeof(*it));
	struct uline u;
	struct httpsec h = {0};
	char *root = root_of(s, e);
	bool tls, keygen, on, weak_done = false;
	sl_rc rc = SL_OK;

	(void)user;
	if (it == NULL || root == NULL) {
		free(it);
		return SL_E_NOMEM;
	}
	it->d = d;
	it->len = len;
	it->pos = 0;
	on = started(s, root, "uhttpd");
	tls = has_file(s, root, "lib/libustream-ssl.so") ||
	      has_file(s, root, "usr/lib/uhttpd_tls.so");
	keygen = has_file(s, root, "usr/sbin/px5g") ||
	         has_file(s, root, "usr/bin/px5g");
	/* First pass: the server sections. */
	while (rc == SL_OK && next_uline(it, &u)) {
		if (strcmp(u.kw, "config") == 0) {
			if (on)
				rc = http_judge(s, e, root, &h, tls);
			memset(&h, 0, sizeof(h));
			h.in = strcmp(u.key, "uhttpd") == 0;
			continue;
		}
		if (!h.in)
			continue;
		if (strcmp(u.key, "listen_http") == 0 && h.http[0] == 0 &&
		    !loopback(u.val) && u.val[0] != 0) {
			snprintf(h.http, sizeof(h.http), "%.80s", u.val);
			snprintf(h.http_line, sizeof(h.http_line), "%s",
			         u.text);
			h.http_off = u.off;
		} else if (strcmp(u.key, "home") == 0) {
			const char *v = u.val;

			while (*v == '/')
				v++;
			snprintf(h.home, sizeof(h.home), "%.120s", v);
		} else if (strcmp(u.key, "listen_https") == 0 && u.val[0]) {
			h.https = true;
		} else if (strcmp(u.key, "redirect_https") == 0) {
			h.redirect = strcmp(u.val, "1") == 0 ||
			             strcmp(u.val, "on") == 0 ||
			             strcmp(u.val, "true") == 0;
		}
	}
	if (rc == SL_OK && on)
		rc = http_judge(s, e, root, &h, tls);
	/* Second pass: key generation, when it can happen at all. */
	it->pos = 0;
	h.in = false;
	while (rc == SL_OK && on && tls && keygen && !weak_done &&
	       next_uline(it, &u)) {
		if (strcmp(u.kw, "config") == 0) {
			h.in = strcmp(u.key, "cert") == 0;
			continue;
		}
		if (h.in && strcmp(u.key, "bits") == 0) {
			long bits = strtol(u.val, NULL, 10);

			if (bits > 0 && bits < 2048) {
				weak_done = true;
				rc =
				    Sl_report(s, &findings[F_BITS],
				              &(struct Sl_at){
				                  .e = e,
				                  .off = u.off,
				                  .excerpt = excerpt(s, u.text),
				                  .title = Sl_arena_printf(
				                      &s->arena,
				                      "uhttpd's TLS key is "
				                      "generated with "
				                      "RSA %ld bits (px5g, at "
				                      "first boot)",
				                      bits)});
			}
		}
	}
	free(it);
	return rc;
}

/* ------------------------------------------------------------------ */
/* miniupnpd, Wi-Fi, console                                           */
/* ------------------------------------------------------------------ */

static sl_rc
read_upnpd(struct sl_scan *s, const struct sl_entry *e, const uint8_t *d,
           size_t len, void *user)
{
	struct lines *it = malloc(sizeof(*it));
	struct uline u;
	bool enabled = false, insecure = false, allow = false, rule = false;
	bool act_allow = false, all_addr = false;
	uint64_t off = 0;
	char line[CFG_EXCERPT + 1] = "";
	sl_rc rc = SL_OK;

	(void)user;
	if (it == NULL)
		return SL_E_NOMEM;
	it->d = d;
	it->len = len;
	it->pos = 0;
	while (next_uline(it, &u)) {
		if (strcmp(u.kw, "config") == 0) {
			allow |= rule && act_allow && all_addr;
			rule = strcmp(u.key, "perm_rule") == 0;
			act_allow = all_addr = false;
			continue;
		}
		if (strcmp(u.key, "enable_upnp") == 0 ||
		    strcmp(u.key, "enabled") == 0)
			enabled |= strcmp(u.val, "1") == 0;
		else if (strcmp(u.key, "secure_mode") == 0 &&
		         strcmp(u.val, "0") == 0) {
			insecure = true;
			off = u.off;
			snprintf(line, sizeof(line), "%s", u.text);
		} else if (rule && strcmp(u.key, "action") == 0)
			act_allow = strcmp(u.val, "allow") == 0;
		else if (rule && strcmp(u.key, "int_addr") == 0)
			all_addr = strcmp(u.val, "0.0.0.0/0") == 0;
	}
	allow |= rule && act_allow && all_addr;
	free(it);
	if (enabled && insecure && allow)
		rc = Sl_report(s, &findings[F_UPNP],
		               &(struct Sl_at){.e = e,
		                               .off = off,
		                               .excerpt = excerpt(s, line)});
	return rc;
}

static sl_rc
read_wireless(struct sl_scan *s, const struct sl_entry *e, const uint8_t *d,
              size_t len, void *user)
{
	struct lines *it = malloc(sizeof(*it));
	struct uline u;
	bool iface = false, open = false, disabled = false;
	uint64_t off = 0;
	char line[CFG_EXCERPT + 1] = "";
	sl_rc rc = SL_OK;

	(void)user;
	if (it == NULL)
		return SL_E_NOMEM;
	it->d = d;
	it->len = len;
	it->pos = 0;
	for (;;) {
		bool more = next_uline(it, &u);

		if (!more || strcmp(u.kw, "config") == 0) {
			if (iface && open && !disabled) {
				rc =
				    Sl_report(s, &findings[F_WIFI],
				              &(struct Sl_at){
				                  .e = e,
				                  .off = off,
				                  .excerpt = excerpt(s, line)});
				break; /* one cause per file */
			}
			if (!more)
				break;
			iface = strcmp(u.key, "wifi-iface") == 0;
			open = disabled = false;
			continue;
		}
		if (strcmp(u.key, "encryption") == 0 &&
		    strcmp(u.val, "none") == 0) {
			open = true;
			off = u.off;
			snprintf(line, sizeof(line), "%s", u.text);
		} else if (strcmp(u.key, "disabled") == 0)
			disabled = strcmp(u.val, "1") == 0;
	}
	free(it);
	return rc;
}

static sl_rc
read_system(struct sl_scan *s, const struct sl_entry *e, const uint8_t *d,
            size_t len, void *user)
{
	struct lines *it = malloc(sizeof(*it));
	struct uline u;
	bool sys = false;
	sl_rc rc = SL_OK;

	(void)user;
	if (it == NULL)
		return SL_E_NOMEM;
	it->d = d;
	it->len = len;
	it->pos = 0;
	while (rc == SL_OK && next_uline(it, &u)) {
		if (strcmp(u.kw, "config") == 0) {
			sys = strcmp(u.key, "system") == 0;
			continue;
		}
		if (sys && strcmp(u.key, "ttylogin") == 0 &&
		    strcmp(u.val, "0") == 0) {
			rc = Sl_report(
			    s, &findings[F_TTY],
			    &(struct Sl_at){.e = e,
			                    .off = u.off,
			                    .excerpt = excerpt(s, u.text)});
			break;
		}
	}
	free(it);
	return rc;
}

/* olsrd's information plugins open to every host, over its files. */
struct olsr {
	const struct sl_entry *e; /* the first one */
	uint64_t off;
	char line[CFG_EXCERPT + 1];
	char also[CFG_EXCERPT + 1];
	size_t n;
};

static bool
any_host(const char *key, const char *val)
{
	if (strcmp(key, "accept") == 0)
		return strcmp(val, "0.0.0.0") == 0 || strcmp(val, "::") == 0;
	if (strcmp(key, "Net") == 0) /* httpinfo: "0.0.0.0 0.0.0.0" */
		return strncmp(val, "0.0.0.0 0.0.0.0", 15) == 0 ||
		       strcmp(val, "0.0.0.0/0") == 0 ||
		       strcmp(val, ":: 0") == 0;
	return false;
}

static sl_rc
read_olsrd(struct sl_scan *s, const struct sl_entry *e, const uint8_t *d,
           size_t len, void *user)
{
	struct olsr *o = user;
	struct lines *it = malloc(sizeof(*it));
	struct uline u;
	char *root = root_of(s, e), lib[80] = "", at[CFG_EXCERPT + 1] = "";
	const char *inner = Sl_inner(e), *base = strrchr(inner, '/');
	bool plugin = false, open = false, ignore = false;
	uint64_t off = 0;

	if (it == NULL || root == NULL) {
		free(it);
		return SL_E_NOMEM;
	}
	base = base ? base + 1 : inner;
	if (!started(s, root, base)) {
		free(it);
		return SL_OK; /* olsrd6 not started at boot, say */
	}
	it->d = d;
	it->len = len;
	it->pos = 0;
	for (;;) {
		bool more = next_uline(it, &u);

		if (!more || strcmp(u.kw, "config") == 0) {
			char *lp =
			    Sl_arena_printf(&s->arena, "usr/lib/%s", lib);

			if (plugin && open && !ignore && lp != NULL &&
			    (strstr(lib, "txtinfo") ||
			     strstr(lib, "jsoninfo") ||
			     strstr(lib, "httpinfo")) &&
			    has_file(s, root, lp)) {
				if (o->n++ == 0) {
					o->e = e;
					o->off = off;
					snprintf(o->line, sizeof(o->line),
					         "%.80s: %.100s", lib, at);
				} else if (o->n == 2)
					snprintf(o->also, sizeof(o->also),
					         "%.60s (%.60s): %.60s", inner,
					         lib, at);
			}
			if (!more)
				break;
			plugin = strcmp(u.key, "LoadPlugin") == 0;
			open = ignore = false;
			lib[0] = 0;
			continue;
		}
		if (!plugin)
			continue;
		if (strcmp(u.key, "library") == 0)
			snprintf(lib, sizeof(lib), "%.70s", u.val);
		else if (strcmp(u.key, "ignore") == 0)
			ignore = strcmp(u.val, "1") == 0;
		else if (any_host(u.key, u.val) && !open) {
			open = true;
			off = u.off;
			snprintf(at, sizeof(at), "%s", u.text);
		}
	}
	free(it);
	return SL_OK;
}

static sl_rc
config_run(struct sl_scan *s)
{
	static const char *const uhttpd[] = {"etc/config/uhttpd",
	                                     "*/etc/config/uhttpd", NULL};
	static const char *const upnpd[] = {"etc/config/upnpd",
	                                    "*/etc/config/upnpd", NULL};
	static const char *const wireless[] = {"etc/config/wireless",
	                                       "*/etc/config/wireless", NULL};
	static const char *const sys[] = {"etc/config/system",
	                                  "*/etc/config/system", NULL};
	static const char *const olsrd[] = {
	    "etc/config/olsrd", "*/etc/config/olsrd", "etc/config/olsrd6",
	    "*/etc/config/olsrd6", NULL};
	struct olsr o;
	sl_rc rc;

	memset(&o, 0, sizeof(o));
	rc = Sl_each_file_any(s, uhttpd, read_uhttpd, NULL);
	if (rc == SL_OK)
		rc = Sl_each_file_any(s, upnpd, read_upnpd, NULL);
	if (rc == SL_OK)
		rc = Sl_each_file_any(s, wireless, read_wireless, NULL);
	if (rc == SL_OK)
		rc = Sl_each_file_any(s, sys, read_system, NULL);
	if (rc == SL_OK)
		rc = Sl_each_file_any(s, olsrd, read_olsrd, &o);
	if (rc == SL_OK && o.n > 0) {
		const char *ex =
		    o.n > 1 ? Sl_arena_printf(&s->arena, "%s [also: %s]",
		                              o.line, o.also)
		            : excerpt(s, o.line);

		rc = ex == NULL ? SL_E_NOMEM
		                : Sl_report(s, &findings[F_OLSR],
		                            &(struct Sl_at){.e = o.e,
		                                            .off = o.off,
		                                            .excerpt = ex});
	}
	if (rc == SL_E_NOMEM)
		return Sl_fail(s, rc, "fw.config: out of memory");
	return rc;
}

const struct Sl_check Sl_check_config = {
    .id = "fw.config",
    .title = "Security-relevant options of OpenWrt service configurations",
    .covers = {"S1.1-12", "S1.1-13", NULL},
    .findings = findings,
    .source = SL_SRC_FIRMWARE,
    .run = config_run,
};
