/*
 * snapshot.c - the power-loss and factory-reset workflow (S1.1-14,
 * S1.1-15), the taking: sl_snapshot_take records what a device answers
 * now (docs/snapshot.md).  The document's reader is snapshot_doc.c; the
 * judgement of two snapshots (sl_snapshot_compare) is a check, in
 * src/check/device/snapshot_judge.c.
 *
 * A snapshot holds the installed version, read the way the profile's
 * version_probe says (an HTTP page, SNMP sysDescr, a banner, an SSH
 * command, each through a POSIX regular expression); whether each of the
 * profile's credentials logs in on the services it names; whether the
 * first default credentials log in on each login service; and which of
 * the declared and common TCP ports are open.  Passwords the tester set
 * are never written into it.  Logins go through Sl_login_try (login.c),
 * the port scan through Sl_portscan, service names through
 * Sl_probe_services.
 *
 * Trust: the device's answers are hostile; every read is bounded by the
 * helpers it goes through, bodies are cut at SL_LOGIN_MAX_BODY and the
 * version kept is at most SL_SNAP_STR - 1 printable bytes.  A snapshot
 * document read back is hostile too (it quotes the device and may have
 * been edited): jansson parses it (bounded to SL_SNAP_MAX_JSON bytes, no
 * duplicate keys), and Sl_snap_parse checks every type, bounds every list
 * and string, and copies into fixed-size fields.  The JSON is never
 * written or read by hand: jansson does both.
 */
#include <errno.h>
#include <jansson.h>
#include <libssh/libssh.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "../catalogue/default_passwords.h"
#include "../limits.h"
#include "../profile/profile.h"
#include "login.h"
#include "snapshot.h"
#include "snmp.h"
#include "stages.h"

/* Ports checked besides the declared ones: the usual IoT login services. */
static const unsigned snap_common_ports[] = {
    21, 22, 23, 80, 443, 554, 1883, 2323, 8080, 8443, 8883,
};

/* Users tried with the default passwords, most common first. */
static const char *const snap_default_users[] = {"admin", "root"};
/* How many entries of the default password list are tried per user. */
#define SNAP_NDEFAULT 4
/* SNMP communities tried as default credentials. */
static const char *const snap_communities[] = {"public", "private"};

/* Bytes of an SSH version probe's output kept. */
#define SNAP_SSH_MAX (64U << 10)
/* Bytes of a greeting read for a banner version probe. */
#define SNAP_BANNER_MAX 1024

/* The state of one sl_snapshot_take. */
struct take {
	struct sl_scan *s;
	struct Sl_dev *d;
	const struct Sl_profile *p; /* or NULL */
	unsigned tmo;               /* one network step, ms */
	/* One service per open TCP port (the first address), by port. */
	struct Sl_service **svc;
	size_t nsvc;
	struct Sl_service *snmp; /* udp/161, when wanted */
	/* A default credential that logged in on a web service, or NULL. */
	struct Sl_cred web_default;
	unsigned web_default_port;
};

static enum Sl_snap_res
from_login(enum Sl_login l)
{
	switch (l) {
	case SL_LOGIN_OK: return SL_SNAP_ACCEPTED;
	case SL_LOGIN_DENIED: return SL_SNAP_DENIED;
	case SL_LOGIN_BLOCKED: return SL_SNAP_BLOCKED;
	case SL_LOGIN_ERROR:
	case SL_LOGIN_UNSUPPORTED: break;
	}
	return SL_SNAP_ERROR;
}

/* ------------------------------------------------------------------ */
/* Taking a snapshot                                                   */
/* ------------------------------------------------------------------ */

/*
 * The login kind of a service: "http" for http and https, "mqtt" for
 * mqtt and mqtts, ..., or NULL when starlab has no login for it.
 */
static const char *
svc_kind(const struct Sl_service *v)
{
	static const char *const kinds[] = {
	    "ssh", "telnet", "http", "ftp", "mqtt", "rtsp",
	};
	const char *n = v->pub.name;
	size_t i, len;

	if (n == NULL)
		return NULL;
	len = strlen(n);
	for (i = 0; i < SL_ARRAY_LEN(kinds); i++) {
		size_t k = strlen(kinds[i]);

		if (strncmp(n, kinds[i], k) == 0 &&
		    (len == k || (len == k + 1 && n[k] == 's')))
			return kinds[i];
	}
	return NULL;
}

/* Does a profile credential's service name this service? */
static bool
cred_for(const struct Sl_cred *c, const char *kind)
{
	size_t k;

	if (c->service == NULL)
		return true;
	if (strcmp(c->service, kind) == 0)
		return true;
	k = strlen(kind);
	return strncmp(c->service, kind, k) == 0 && c->service[k] == 's' &&
	       c->service[k + 1] == 0;
}

/* The first profile credential for kind, or NULL. */
static const struct Sl_cred *
first_cred(const struct take *t, const char *kind)
{
	size_t i;

	if (t->p == NULL)
		return NULL;
	for (i = 0; i < t->p->ncreds; i++)
		if (cred_for(&t->p->creds[i], kind))
			return &t->p->creds[i];
	return NULL;
}

/*
 * A name for a service the probes left "unknown": what the profile
 * declares for the port, else the port's usual service.
 */
static void
name_fallback(struct take *t, struct Sl_service *v)
{
	static const struct {
		unsigned port;
		const char *name;
		bool tls;
	} wk[] = {
	    {21, "ftp", false},    {22, "ssh", false},
	    {23, "telnet", false}, {80, "http", false},
	    {443, "https", true},  {554, "rtsp", false},
	    {1883, "mqtt", false}, {2323, "telnet", false},
	    {8080, "http", false}, {8443, "https", true},
	    {8883, "mqtt", true},
	};
	size_t i;

	if (v->pub.name != NULL && strcmp(v->pub.name, "unknown") != 0)
		return;
	for (i = 0; t->p != NULL && i < t->p->nifaces; i++) {
		const struct Sl_iface *f = &t->p->ifaces[i];

		if (f->port != v->pub.port || f->service == NULL ||
		    f->proto == NULL || strcmp(f->proto, "tcp") != 0)
			continue;
		v->pub.name = f->service;
		if (strcmp(f->service, "https") == 0 ||
		    strcmp(f->service, "mqtts") == 0) {
			v->pub.name =
			    strcmp(f->service, "https") == 0 ? "https" : "mqtt";
			v->pub.tls = true;
		}
		return;
	}
	for (i = 0; i < SL_ARRAY_LEN(wk); i++)
		if (wk[i].port == v->pub.port) {
			v->pub.name = wk[i].name;
			v->pub.tls = v->pub.tls || wk[i].tls;
			return;
		}
}

/* The port list: the profile's TCP interfaces and the common ports. */
static const char *
port_spec(struct take *t, json_t *checked)
{
	uint8_t map[SL_PORTMAP_BYTES];
	struct Sl_buf b;
	const char *r = NULL;
	unsigned p;
	size_t i;

	memset(map, 0, sizeof(map));
	for (i = 0; i < SL_ARRAY_LEN(snap_common_ports); i++)
		map[snap_common_ports[i] >> 3] |=
		    (uint8_t)(1u << (snap_common_ports[i] & 7));
	for (i = 0; t->p != NULL && i < t->p->nifaces; i++) {
		const struct Sl_iface *f = &t->p->ifaces[i];

		if (f->proto != NULL && strcmp(f->proto, "tcp") == 0 &&
		    f->port > 0 && f->port < 65536)
			map[f->port >> 3] |= (uint8_t)(1u << (f->port & 7));
	}
	Sl_buf_init(&b, 65536 * 6);
	for (p = 1; p < 65536; p++) {
		if (!Sl_port_in(map, p))
			continue;
		if (Sl_buf_addf(&b, "%s%u", b.n ? "," : "", p) != SL_OK)
			goto out;
		json_array_append_new(checked, json_integer((json_int_t)p));
	}
	if (Sl_buf_add(&b, "", 1) != SL_OK)
		goto out;
	r = Sl_dev_str(t->s, (const char *)b.p);
out:
	Sl_buf_free(&b);
	return r;
}

/* One service per open TCP port, the first address's, in port order. */
static sl_rc
pick_services(struct take *t)
{
	struct Sl_dev *d = t->d;
	size_t i;

	if (d->nsvc > 0)
		(void)sl_service_get(t->s, 0); /* sorts d->svc */
	t->svc = calloc(d->nsvc ? d->nsvc : 1, sizeof(*t->svc));
	if (t->svc == NULL)
		return Sl_fail(t->s, SL_E_NOMEM, "out of memory");
	for (i = 0; i < d->nsvc; i++) {
		struct Sl_service *v = d->svc[i];

		if (v->ipproto != IPPROTO_TCP)
			continue;
		if (t->nsvc > 0 && t->svc[t->nsvc - 1]->pub.port == v->pub.port)
			continue;
		name_fallback(t, v);
		t->svc[t->nsvc++] = v;
	}
	return SL_OK;
}

static json_t *
jstr(const char *s)
{
	return s != NULL ? json_string(s) : json_null();
}

static void
add_open_ports(struct take *t, json_t *open)
{
	size_t i;

	for (i = 0; i < t->nsvc; i++) {
		const struct sl_service *p = &t->svc[i]->pub;
		json_t *o = json_object();

		json_object_set_new(o, "port", json_integer(p->port));
		json_object_set_new(o, "name", jstr(p->name));
		json_object_set_new(o, "tls", json_boolean(p->tls));
		json_object_set_new(o, "product", jstr(p->product));
		json_object_set_new(o, "version", jstr(p->version));
		json_array_append_new(open, o);
	}
}

/* Is SNMP wanted: declared, probed for the version, or credentialed? */
static bool
want_snmp(const struct take *t)
{
	size_t i;

	if (t->p == NULL)
		return false;
	if (t->p->version_probe.kind != NULL &&
	    strcmp(t->p->version_probe.kind, "snmp") == 0)
		return true;
	for (i = 0; i < t->p->nifaces; i++)
		if (t->p->ifaces[i].proto != NULL &&
		    strcmp(t->p->ifaces[i].proto, "udp") == 0 &&
		    t->p->ifaces[i].port == 161)
			return true;
	for (i = 0; i < t->p->ncreds; i++)
		if (t->p->creds[i].service != NULL &&
		    strcmp(t->p->creds[i].service, "snmp") == 0)
			return true;
	return false;
}

/* One SNMP community: accepted when the agent answers sysDescr. */
static enum Sl_snap_res
snmp_try(struct take *t, const char *community)
{
	char out[256];
	int r;

	r = Sl_snmp_get(t->s, t->snmp, community, SL_SNMP_SYSDESCR, out,
	                sizeof(out), t->tmo);
	return r > 0    ? SL_SNAP_ACCEPTED
	       : r == 0 ? SL_SNAP_DENIED
	                : SL_SNAP_ERROR;
}

static json_t *
login_obj(const char *service, unsigned port)
{
	json_t *o = json_object();

	json_object_set_new(o, "service", json_string(service));
	json_object_set_new(o, "port", json_integer(port));
	return o;
}

/* Does each profile credential log in where it says? */
static void
user_credentials(struct take *t, json_t *arr)
{
	char detail[256];
	size_t i, j;

	for (i = 0; t->p != NULL && i < t->p->ncreds; i++) {
		const struct Sl_cred *c = &t->p->creds[i];
		bool any = false;

		if (c->user == NULL || c->pass == NULL)
			continue;
		if (t->snmp != NULL && c->service != NULL &&
		    strcmp(c->service, "snmp") == 0) {
			json_t *o = login_obj("snmp", 161);
			enum Sl_snap_res r = snmp_try(t, c->pass);

			json_object_set_new(o, "user", json_string(c->user));
			json_object_set_new(o, "result",
			                    json_string(Sl_snap_res_name(r)));
			json_array_append_new(arr, o);
			continue;
		}
		for (j = 0; j < t->nsvc && !Sl_cancelled(t->s); j++) {
			const struct Sl_service *v = t->svc[j];
			const char *kind = svc_kind(v);
			enum Sl_login l;
			json_t *o;

			if (kind == NULL || !cred_for(c, kind))
				continue;
			detail[0] = 0;
			l = Sl_login_try(t->s, v, c->user, c->pass, detail,
			                 sizeof(detail));
			if (l == SL_LOGIN_UNSUPPORTED)
				continue;
			any = true;
			o = login_obj(kind, v->pub.port);
			json_object_set_new(o, "user", json_string(c->user));
			json_object_set_new(
			    o, "result",
			    json_string(Sl_snap_res_name(from_login(l))));
			json_array_append_new(arr, o);
		}
		if (!any)
			Sl_incomplete(
			    t->s,
			    "snapshot: the profile's credential for %s (user "
			    "%s) matches no open login service",
			    c->service ? c->service : "any service", c->user);
	}
}

/* The default credentials of one login service, tried in order. */
static void
default_service(struct take *t, const struct Sl_service *v, const char *kind,
                json_t *arr)
{
	unsigned max =
	    t->d->o.max_logins ? t->d->o.max_logins : SL_NET_MAX_LOGINS;
	struct Sl_login_conn *keep = NULL;
	enum Sl_snap_res res = SL_SNAP_DENIED;
	char detail[256], acc[SL_SNAP_STR] = "";
	unsigned tried = 0, errors = 0;
	size_t u, k;
	json_t *o;

	for (u = 0; u < SL_ARRAY_LEN(snap_default_users); u++) {
		const char *user = snap_default_users[u];

		for (k = 0; k <= SNAP_NDEFAULT && res == SL_SNAP_DENIED; k++) {
			const char *pw =
			    k == 0 ? user : Sl_default_passwords[k - 1];
			enum Sl_login l;

			if (k > 0 && strcmp(pw, user) == 0)
				continue;
			if (tried >= max || Sl_cancelled(t->s))
				goto done;
			detail[0] = 0;
			l = Sl_login_attempt(t->s, v, user, pw, &keep, detail,
			                     sizeof(detail));
			if (l == SL_LOGIN_UNSUPPORTED)
				goto done;
			tried++;
			if (l == SL_LOGIN_OK) {
				res = SL_SNAP_ACCEPTED;
				snprintf(acc, sizeof(acc), "%s:%s", user, pw);
				if (strcmp(kind, "http") == 0 &&
				    t->web_default.user == NULL) {
					t->web_default.user = user;
					t->web_default.pass = pw;
					t->web_default_port = v->pub.port;
				}
			} else if (l == SL_LOGIN_BLOCKED) {
				res = SL_SNAP_BLOCKED;
			} else if (l == SL_LOGIN_ERROR) {
				errors++;
			}
		}
	}
done:
	Sl_login_conn_free(keep);
	if (tried == 0)
		return;
	if (res == SL_SNAP_DENIED && errors > 0)
		res = SL_SNAP_ERROR;
	o = login_obj(kind, v->pub.port);
	json_object_set_new(o, "result", json_string(Sl_snap_res_name(res)));
	json_object_set_new(o, "tried", json_integer(tried));
	json_object_set_new(o, "accepted",
	                    acc[0] ? json_string(acc) : json_null());
	json_array_append_new(arr, o);
}

static void
default_credentials(struct take *t, json_t *arr)
{
	size_t i;

	for (i = 0; i < t->nsvc && !Sl_cancelled(t->s); i++) {
		const char *kind = svc_kind(t->svc[i]);

		if (kind != NULL)
			default_service(t, t->svc[i], kind, arr);
	}
	if (t->snmp != NULL && !Sl_cancelled(t->s)) {
		enum Sl_snap_res res = SL_SNAP_DENIED;
		const char *acc = NULL;
		json_t *o;

		for (i = 0; i < SL_ARRAY_LEN(snap_communities); i++) {
			enum Sl_snap_res r = snmp_try(t, snap_communities[i]);

			if (r == SL_SNAP_ACCEPTED) {
				res = r;
				acc = snap_communities[i];
				break;
			}
			if (r == SL_SNAP_ERROR)
				res = r;
		}
		o = login_obj("snmp", 161);
		json_object_set_new(o, "result",
		                    json_string(Sl_snap_res_name(res)));
		json_object_set_new(
		    o, "tried",
		    json_integer(i < SL_ARRAY_LEN(snap_communities) ? i + 1
		                                                    : i));
		json_object_set_new(o, "accepted", jstr(acc));
		json_array_append_new(arr, o);
	}
}

/* ---- the version ---- */

/*
 * Match pattern against text; the version is group 1, or the whole match
 * when the pattern has no group.  Returns true with out set.
 */
static bool
match_version(const char *pattern, const char *text, char *out, size_t n,
              char *err, size_t errlen)
{
	regmatch_t m[2];
	regex_t re;
	regoff_t so, eo;
	size_t i, len;
	int rc;

	if ((rc = regcomp(&re, pattern, REG_EXTENDED)) != 0) {
		char msg[128];

		regerror(rc, &re, msg, sizeof(msg));
		snprintf(err, errlen, "bad version pattern: %s", msg);
		return false;
	}
	rc = regexec(&re, text, 2, m, 0);
	regfree(&re);
	if (rc != 0) {
		snprintf(err, errlen, "the version pattern does not match");
		return false;
	}
	so = m[1].rm_so >= 0 ? m[1].rm_so : m[0].rm_so;
	eo = m[1].rm_so >= 0 ? m[1].rm_eo : m[0].rm_eo;
	len = (size_t)(eo - so);
	if (len >= n)
		len = n - 1;
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)text[so + (regoff_t)i];

		out[i] = c >= 0x20 && c < 0x7f ? (char)c : '.';
	}
	out[len] = 0;
	if (len == 0) {
		snprintf(err, errlen, "the version pattern matched nothing");
		return false;
	}
	return true;
}

/*
 * Make n bytes of device output a C string for regexec: NUL bytes would
 * end the text early, so they become spaces.  Returns malloc'd memory.
 */
static char *
text_of(const void *p, size_t n)
{
	/* UNTRUSTED: device bytes; n is bounded by the caller's buffer. */
	char *s = malloc(n + 1);
	size_t i;

	if (s == NULL)
		return NULL;
	memcpy(s, p, n);
	for (i = 0; i < n; i++)
		if (s[i] == 0)
			s[i] = ' ';
	s[n] = 0;
	return s;
}

/* The TCP service on port, or the first of kind when port is 0. */
static const struct Sl_service *
find_svc(const struct take *t, unsigned port, const char *kind)
{
	size_t i;

	for (i = 0; i < t->nsvc; i++) {
		const struct Sl_service *v = t->svc[i];

		if (port != 0 ? v->pub.port == port
		              : kind != NULL && svc_kind(v) != NULL &&
		                    strcmp(svc_kind(v), kind) == 0)
			return v;
	}
	return NULL;
}

static char *
probe_http(struct take *t, const struct Sl_version_probe *vp,
           const struct Sl_cred *c, char *err, size_t errlen)
{
	const struct Sl_service *v = find_svc(t, vp->port, "http");
	struct Sl_http_resp r;
	CURL *h = NULL;
	char *text = NULL;
	sl_rc rc;

	if (v == NULL) {
		snprintf(err, errlen, "no open web service%s",
		         vp->port ? " on the probe's port" : "");
		return NULL;
	}
	if (vp->path == NULL) {
		snprintf(err, errlen, "the version probe gives no path");
		return NULL;
	}
	memset(&r, 0, sizeof(r));
	rc = Sl_http_request(t->s, v, &h, "GET", vp->path, NULL, NULL, NULL,
	                     c ? c->user : NULL, c ? c->pass : NULL,
	                     c ? SL_HTTP_ANY : SL_HTTP_NONE, &r);
	if (rc != SL_OK)
		snprintf(err, errlen, "GET %s on port %u: no answer (%s)",
		         vp->path, v->pub.port, r.err[0] ? r.err : "failed");
	else if (r.code != 200)
		snprintf(err, errlen, "GET %s on port %u: HTTP %ld%s", vp->path,
		         v->pub.port, r.code,
		         r.code == 401 && c == NULL
		             ? " (the profile gives no http credential)"
		             : "");
	else if ((text = text_of(r.body.p, r.body.n)) == NULL)
		snprintf(err, errlen, "out of memory");
	Sl_http_resp_free(&r);
	if (h != NULL)
		curl_easy_cleanup(h);
	return text;
}

static char *
probe_snmp(struct take *t, char *err, size_t errlen)
{
	const struct Sl_cred *c = first_cred(t, "snmp");
	char out[1024];
	int r;

	if (t->snmp == NULL) {
		snprintf(err, errlen, "no SNMP service");
		return NULL;
	}
	r = Sl_snmp_get(t->s, t->snmp, c && c->pass ? c->pass : "public",
	                SL_SNMP_SYSDESCR, out, sizeof(out), t->tmo);
	if (r <= 0) {
		snprintf(err, errlen, "SNMP sysDescr: no answer");
		return NULL;
	}
	return text_of(out, strlen(out));
}

static char *
probe_banner(struct take *t, const struct Sl_version_probe *vp, char *err,
             size_t errlen)
{
	const struct Sl_service *v = find_svc(t, vp->port, NULL);
	uint8_t buf[SNAP_BANNER_MAX];
	ssize_t n;
	int fd;

	if (vp->port == 0 || v == NULL) {
		snprintf(err, errlen, "%s",
		         vp->port == 0 ? "a banner probe needs a port"
		                       : "the probe's port is closed");
		return NULL;
	}
	if (v->pub.banner != NULL && v->pub.banner[0] != 0)
		return text_of(v->pub.banner, strlen(v->pub.banner));
	fd = Sl_tcp_connect(&t->d->t, v->addr, v->pub.port, t->tmo);
	if (fd < 0) {
		snprintf(err, errlen, "port %u: %s", v->pub.port,
		         strerror(errno));
		return NULL;
	}
	/* UNTRUSTED: at most SNAP_BANNER_MAX bytes of greeting. */
	n = Sl_io_read(fd, buf, sizeof(buf), t->tmo);
	close(fd);
	if (n <= 0) {
		snprintf(err, errlen, "port %u sent no banner", v->pub.port);
		return NULL;
	}
	return text_of(buf, (size_t)n);
}

/* Run the probe's command over SSH with the profile's ssh credential. */
static char *
probe_ssh(struct take *t, const struct Sl_version_probe *vp, char *err,
          size_t errlen)
{
	const struct Sl_service *v = find_svc(t, vp->port, "ssh");
	const struct Sl_cred *c = first_cred(t, "ssh");
	ssh_session ss = NULL;
	ssh_channel ch = NULL;
	struct Sl_buf out;
	char *text = NULL;
	long tmo = (SL_LOGIN_WAIT_MS + 999) / 1000;
	uint64_t end = Sl_now_ms() + SL_LOGIN_WAIT_MS;
	int port, no = 0;

	Sl_buf_init(&out, SNAP_SSH_MAX);
	if (v == NULL || c == NULL || vp->command == NULL) {
		snprintf(err, errlen, "%s",
		         v == NULL   ? "no open SSH service"
		         : c == NULL ? "the profile gives no ssh credential"
		                     : "the version probe gives no command");
		return NULL;
	}
	port = (int)v->pub.port;
	if ((ss = ssh_new()) == NULL) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	ssh_options_set(ss, SSH_OPTIONS_HOST, v->pub.address);
	ssh_options_set(ss, SSH_OPTIONS_PORT, &port);
	ssh_options_set(ss, SSH_OPTIONS_USER, c->user);
	ssh_options_set(ss, SSH_OPTIONS_TIMEOUT, &tmo);
	ssh_options_set(ss, SSH_OPTIONS_PROCESS_CONFIG, &no);
	ssh_options_set(ss, SSH_OPTIONS_KNOWNHOSTS, "/dev/null");
	ssh_options_set(ss, SSH_OPTIONS_GLOBAL_KNOWNHOSTS, "/dev/null");
	if (ssh_connect(ss) != SSH_OK) {
		snprintf(err, errlen, "SSH port %u: %s", v->pub.port,
		         ssh_get_error(ss));
		goto out;
	}
	if (ssh_userauth_password(ss, NULL, c->pass) != SSH_AUTH_SUCCESS) {
		snprintf(err, errlen,
		         "SSH port %u: the profile's credential "
		         "did not log in",
		         v->pub.port);
		goto out;
	}
	if ((ch = ssh_channel_new(ss)) == NULL ||
	    ssh_channel_open_session(ch) != SSH_OK ||
	    ssh_channel_request_exec(ch, vp->command) != SSH_OK) {
		snprintf(err, errlen, "SSH port %u: cannot run the command: %s",
		         v->pub.port, ssh_get_error(ss));
		goto out;
	}
	for (;;) {
		char buf[4096];
		uint64_t now = Sl_now_ms();
		int n;

		if (now >= end || Sl_cancelled(t->s))
			break;
		/* UNTRUSTED: output bounded by out.max. */
		n = ssh_channel_read_timeout(ch, buf, sizeof(buf), 0,
		                             (int)(end - now));
		if (n < 0 || (n == 0 && ssh_channel_is_eof(ch)))
			break;
		if (n > 0 && Sl_buf_add(&out, buf, (size_t)n) != SL_OK)
			break;
	}
	if (out.n == 0)
		snprintf(err, errlen,
		         "SSH port %u: the command printed "
		         "nothing",
		         v->pub.port);
	else if ((text = text_of(out.p, out.n)) == NULL)
		snprintf(err, errlen, "out of memory");
out:
	if (ch != NULL) {
		ssh_channel_close(ch);
		ssh_channel_free(ch);
	}
	ssh_disconnect(ss);
	ssh_free(ss);
	Sl_buf_free(&out);
	return text;
}

/* The device's answer to the version probe vp, or NULL with err set. */
static char *
probe_text(struct take *t, const struct Sl_version_probe *vp,
           const struct Sl_cred *c, char *err, size_t errlen)
{
	if (strcmp(vp->kind, "http") == 0 || strcmp(vp->kind, "upnp") == 0)
		return probe_http(t, vp, c, err, errlen);
	if (strcmp(vp->kind, "snmp") == 0)
		return probe_snmp(t, err, errlen);
	if (strcmp(vp->kind, "banner") == 0)
		return probe_banner(t, vp, err, errlen);
	if (strcmp(vp->kind, "ssh") == 0)
		return probe_ssh(t, vp, err, errlen);
	snprintf(err, errlen, "unknown probe kind %s", vp->kind);
	return NULL;
}

bool
Sl_version_probe_read(struct sl_scan *s, struct Sl_service *const *svc,
                      size_t nsvc, struct Sl_service *snmp,
                      const struct Sl_cred *c, char *out, size_t n, char *err,
                      size_t errlen)
{
	struct take t;
	char *text;
	bool ok;

	if (n > 0)
		out[0] = 0;
	if (errlen > 0)
		err[0] = 0;
	if (s == NULL || s->dev == NULL || s->profile == NULL ||
	    s->profile->version_probe.kind == NULL || n == 0) {
		snprintf(err, errlen, "the profile gives no version_probe");
		return false;
	}
	Sl_login_global_init();
	memset(&t, 0, sizeof(t));
	t.s = s;
	t.d = s->dev;
	t.p = s->profile;
	t.tmo = t.d->o.timeout_ms ? t.d->o.timeout_ms : SL_NET_TIMEOUT_MS;
	t.svc = (struct Sl_service **)(uintptr_t)svc;
	t.nsvc = nsvc;
	t.snmp = snmp;
	text = probe_text(&t, &t.p->version_probe, c, err, errlen);
	ok = text != NULL && match_version(t.p->version_probe.pattern, text,
	                                   out, n, err, errlen);
	free(text);
	return ok;
}

/*
 * Read the version as the profile's version_probe says into o; web pages
 * are fetched with the credential c (NULL: none).  Returns true when it
 * was read; else err says why.
 */
static bool
version(struct take *t, const struct Sl_cred *c, json_t *o, char *err,
        size_t errlen)
{
	const struct Sl_version_probe *vp =
	    t->p != NULL && t->p->version_probe.kind != NULL
	        ? &t->p->version_probe
	        : NULL;
	char val[SL_SNAP_STR];
	json_t *probe;
	char *text = NULL;
	bool ok = false;

	err[0] = 0;
	if (vp == NULL) {
		snprintf(err, errlen, "the profile gives no version_probe");
		probe = json_null();
	} else {
		probe = json_object();
		json_object_set_new(probe, "kind", json_string(vp->kind));
		json_object_set_new(probe, "port", json_integer(vp->port));
		if (vp->path)
			json_object_set_new(probe, "path",
			                    json_string(vp->path));
		if (vp->command)
			json_object_set_new(probe, "command",
			                    json_string(vp->command));
		text = probe_text(t, vp, c, err, errlen);
	}
	json_object_set_new(o, "probe", probe);
	if (text != NULL && vp != NULL &&
	    match_version(vp->pattern, text, val, sizeof(val), err, errlen)) {
		json_object_set_new(o, "value", json_string(val));
		ok = true;
	} else {
		json_object_set_new(o, "value", json_null());
		json_object_set_new(o, "error", json_string(err));
	}
	free(text);
	return ok;
}

static void
iso_time(char *out, size_t n)
{
	time_t now = time(NULL);
	struct tm tm;

	gmtime_r(&now, &tm);
	strftime(out, n, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static json_t *
profile_obj(const struct Sl_profile *p)
{
	json_t *o;

	if (p == NULL)
		return json_null();
	o = json_object();
	json_object_set_new(o, "vendor", jstr(p->vendor));
	json_object_set_new(o, "model", jstr(p->model));
	json_object_set_new(o, "version", jstr(p->version));
	return o;
}

static char *
take(struct take *t)
{
	struct Sl_scan_stats st;
	json_t *root = json_object(), *ports = json_object();
	json_t *checked = json_array(), *open = json_array();
	json_t *users = json_array(), *defs = json_array(), *inc, *vj;
	char when[32], err[384];
	bool vok;
	char *out = NULL;
	size_t i;

	iso_time(when, sizeof(when));
	json_object_set_new(root, "format", json_string(SL_SNAP_FORMAT));
	json_object_set_new(root, "format_version",
	                    json_integer(SL_SNAP_FORMAT_VERSION));
	json_object_set_new(root, "starlab_version", json_string(SL_VERSION));
	json_object_set_new(root, "taken_at", json_string(when));
	json_object_set_new(root, "host", json_string(t->d->t.host));
	inc = json_array();
	for (i = 0; i < t->d->t.naddr; i++)
		json_array_append_new(inc, json_string(t->d->t.text[i]));
	json_object_set_new(root, "addresses", inc);
	json_object_set_new(root, "profile", profile_obj(t->p));

	t->d->o.ports = port_spec(t, checked);
	if (t->d->o.ports == NULL) {
		Sl_fail(t->s, SL_E_NOMEM, "out of memory");
		goto out;
	}
	memset(&st, 0, sizeof(st));
	if (Sl_portscan(t->s, &st) != SL_OK)
		goto out;
	if (Sl_probe_services(t->s) != SL_OK)
		Sl_incomplete(t->s,
		              "snapshot: service identification "
		              "failed: %s",
		              sl_scan_error(t->s));
	if (pick_services(t) != SL_OK)
		goto out;
	if (want_snmp(t))
		t->snmp = Sl_service_add(t->s, IPPROTO_UDP, 0, 161);
	if (t->snmp != NULL)
		t->snmp->pub.name = "snmp";
	add_open_ports(t, open);
	json_object_set_new(ports, "checked", checked);
	json_object_set_new(ports, "open", open);
	checked = open = NULL;
	json_object_set_new(root, "ports", ports);
	ports = NULL;

	/*
	 * The user's credentials and the version first: the default
	 * credentials may set off the device's rate limiting.
	 */
	user_credentials(t, users);
	vj = json_object();
	vok = version(t, first_cred(t, "http"), vj, err, sizeof(err));
	default_credentials(t, defs);
	/*
	 * After a factory reset the user's web credential is gone: read
	 * the version with the default credential that logged in instead.
	 */
	if (!vok && t->web_default.user != NULL && t->p != NULL &&
	    t->p->version_probe.kind != NULL &&
	    strcmp(t->p->version_probe.kind, "http") == 0 &&
	    (t->p->version_probe.port == 0 ||
	     t->p->version_probe.port == t->web_default_port)) {
		json_decref(vj);
		vj = json_object();
		vok = version(t, &t->web_default, vj, err, sizeof(err));
		if (vok)
			json_object_set_new(vj, "read_with",
			                    json_string("default credential"));
	}
	if (!vok)
		Sl_incomplete(t->s,
		              "snapshot: the version could not be read: "
		              "%s",
		              err);
	json_object_set_new(root, "version", vj);
	json_object_set_new(root, "user_credentials", users);
	json_object_set_new(root, "default_credentials", defs);
	users = defs = NULL;
	if (Sl_cancelled(t->s))
		Sl_incomplete(t->s, "snapshot: cancelled");

	inc = json_array();
	for (i = 0; i < sl_scan_incomplete_count(t->s); i++)
		json_array_append_new(inc,
		                      json_string(sl_scan_incomplete(t->s, i)));
	json_object_set_new(root, "incomplete", inc);
	out = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	if (out == NULL)
		Sl_fail(t->s, SL_E_NOMEM, "out of memory");
out:
	json_decref(checked);
	json_decref(open);
	json_decref(ports);
	json_decref(users);
	json_decref(defs);
	json_decref(root);
	return out;
}

char *
sl_snapshot_take(struct sl_scan *s, const char *host,
                 const struct sl_device_opts *o)
{
	struct take t;
	char *json, *copy;

	if (s == NULL)
		return NULL;
	if (host == NULL || *host == 0) {
		Sl_fail(s, SL_E_USAGE, "empty device host");
		return NULL;
	}
	if (s->dev != NULL && strcmp(s->dev->t.host, host) != 0) {
		Sl_fail(s, SL_E_USAGE, "this scan is about %s, not %s",
		        s->dev->t.host, host);
		return NULL;
	}
	if (s->dev == NULL && Sl_dev_open(s, host, o) != SL_OK)
		return NULL;
	Sl_login_global_init();
	memset(&t, 0, sizeof(t));
	t.s = s;
	t.d = s->dev;
	t.p = s->profile;
	t.tmo = t.d->o.timeout_ms ? t.d->o.timeout_ms : SL_NET_TIMEOUT_MS;
	json = take(&t);
	free(t.svc);
	if (json == NULL)
		return NULL;
	/* The caller frees with free(); jansson's allocator may differ. */
	copy = strdup(json);
	free(json);
	if (copy == NULL)
		Sl_fail(s, SL_E_NOMEM, "out of memory");
	return copy;
}
