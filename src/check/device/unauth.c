/*
 * unauth.c - net.unauth: protected information reachable over the network
 * without credentials (S1.1-01).
 *
 * Per service, without any credential:
 *   http(s)  GET a bounded list of usual configuration and status paths;
 *            a 200 whose content looks like configuration (a secret with
 *            a value, or two network or account settings) is
 *            NET-UNAUTH-HTTP; a UPnP device description found there
 *            gets the SOAP test below
 *   mqtt     anonymous CONNECT, then SUBSCRIBE "#" and read for
 *            UA_MQTT_WAIT_MS (retained messages come at once):
 *            NET-MQTT-ANONYMOUS, CRITICAL when messages were readable
 *   telnet   a shell prompt with no login prompt before it, confirmed by
 *            an echo of arithmetic: NET-TELNET-NO-LOGIN
 *   ftp      USER anonymous, then a listing of the top directory:
 *            NET-FTP-ANONYMOUS
 *   rtsp     DESCRIBE on usual stream paths answered 200: NET-RTSP-UNAUTH
 *   snmp     "public" and "private" answering a GET of sysDescr:
 *            NET-SNMP-DEFAULT-COMMUNITY (S1.1-02 too: a default password)
 *   upnp     GetExternalIPAddress and GetGenericPortMappingEntry on the
 *            WAN connection's control URL: NET-UPNP-SOAP-UNAUTH.  Only
 *            these read-only actions, with --intrusive too: starlab has
 *            no reason to change a port mapping.
 *   adb      CNXN answered by CNXN (not AUTH): NET-ADB-OPEN
 * Excerpts mask what looks like a secret (values of password, psk, token
 * and similar keys; the community).
 *
 * Not judged: HTML pages (their scripts and forms name "password" and
 * "ssid" everywhere, so key=value matching would flag every login page);
 * version and model alone (S1.1-06 and S1.1-10 want them readable).
 *
 * Trust: everything the device sends is hostile; login.c bounds every
 * HTTP body, telnet stream and FTP listing, and the parsers here (key and
 * value scanning, UPnP description, ADB header, MQTT payloads) work on
 * those bounded buffers and never read past them.  ADB is spoken here by
 * hand: its handshake is one 24-byte header each way, and no Debian
 * library offers the client side.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "../../net/snmp.h"
#include "auth.h"

#define UA_MAX_HTTP_HITS 5
#define UA_MQTT_WAIT_MS  1000
#define UA_MQTT_MAX_MSGS 50
#define UA_EXCERPT       600
#define UA_KEY_MAX       64
#define UA_VALUE_MAX     128

/* Usual configuration, status and API paths of device web servers. */
static const char *const http_paths[] = {
    "/",
    "/status",
    "/status.json",
    "/cgi-bin/config",
    "/cgi-bin/status",
    "/api/config",
    "/api/status",
    "/api/v1/config",
    "/api/system",
    "/config.json",
    "/config",
    "/admin/",
    "/system.ini",
    "/goform/getSysInfo",
    "/goform/system/GetDeviceInfo",
    "/get_params.cgi",
    "/get_status.cgi",
    "/device.rsp?opt=user&cmd=list",
    "/rootDesc.xml",
    "/description.xml",
    NULL,
};

/* Where UPnP servers put their description. */
static const char *const upnp_paths[] = {
    "/rootDesc.xml",
    "/description.xml",
    "/upnp/IGD.xml",
    "/gatedesc.xml",
    "/igd.xml",
    "/DeviceDescription.xml",
    NULL,
};

/* Usual stream paths of cameras. */
static const char *const rtsp_paths[] = {
    "/", "/live", "/stream1", "/h264", "/live.sdp", "/ch0", "/11", NULL,
};

/* ------------------------------------------------------------------ */
/* Keys and values                                                     */
/* ------------------------------------------------------------------ */

struct kv {
	size_t k0, kl, v0, vl;
};

static bool
ident(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '.';
}

/*
 * The next key and value from *pos in p (n bytes): key=value, key: value,
 * "key": "value", <key>value</key>.  Keys are at most UA_KEY_MAX bytes,
 * values at most UA_VALUE_MAX (longer ones are cut).
 */
static bool
kv_next(const char *p, size_t n, size_t *pos, struct kv *kv)
{
	size_t i = *pos;

	/* UNTRUSTED: every index below is checked against n. */
	while (i < n) {
		size_t k0, j, v0;
		bool lt, xml;
		char q = 0;

		if (!ident(p[i]) || (i > 0 && ident(p[i - 1]))) {
			i++;
			continue;
		}
		k0 = i;
		while (i < n && ident(p[i]))
			i++;
		if (i - k0 > UA_KEY_MAX)
			continue;
		lt = k0 > 0 && p[k0 - 1] == '<';
		j = i;
		if (j < n && (p[j] == '"' || p[j] == '\''))
			j++;
		while (j < n && (p[j] == ' ' || p[j] == '\t'))
			j++;
		if (j >= n)
			break;
		xml = lt && p[j] == '>';
		if (!xml && (lt || (p[j] != '=' && p[j] != ':')))
			continue;
		j++;
		while (j < n && (p[j] == ' ' || p[j] == '\t'))
			j++;
		if (!xml && j < n && (p[j] == '"' || p[j] == '\''))
			q = p[j++];
		v0 = j;
		while (j < n && j - v0 < UA_VALUE_MAX && p[j] != '\n' &&
		       p[j] != '\r' && p[j] != '<' &&
		       (q ? p[j] != q
		          : xml || (p[j] != ',' && p[j] != '}' && p[j] != ']' &&
		                    p[j] != '&' && p[j] != ';')))
			j++;
		kv->k0 = k0;
		kv->kl = i - k0;
		kv->v0 = v0;
		kv->vl = j - v0;
		while (kv->vl > 0 && (p[v0 + kv->vl - 1] == ' ' ||
		                      p[v0 + kv->vl - 1] == '\t'))
			kv->vl--;
		*pos = j > i ? j : i;
		return true;
	}
	*pos = n;
	return false;
}

enum { K_NONE, K_CONFIG, K_SECRET };

/* Is part (len bytes) one of the words? */
static bool
part_is(const char *part, size_t len, const char *const *words)
{
	for (; *words != NULL; words++)
		if (strlen(*words) == len &&
		    strncasecmp(part, *words, len) == 0)
			return true;
	return false;
}

/* What a key names: a secret, a network or account setting, or else. */
static int
key_kind(const char *k, size_t kl)
{
	static const char *const secret_sub[] = {
	    "password",  "passwd",     "passphrase", "secret",
	    "token",     "psk",        "apikey",     "api_key",
	    "community", "credential", "privatekey", "private_key",
	    NULL,
	};
	static const char *const secret_part[] = {"pass", "pwd", "pw", "pin",
	                                          NULL};
	static const char *const key_owner[] = {"wpa",    "wifi",    "wep",
	                                        "api",    "private", "auth",
	                                        "access", "wlan",    NULL};
	static const char *const config_part[] = {
	    "ssid",    "mac",     "macaddr",  "ip",   "ipaddr",
	    "gateway", "netmask", "dns",      "user", "username",
	    "login",   "email",   "wan",      "lan",  "dhcp",
	    "essid",   "bssid",   "hostname", NULL,
	};
	char low[UA_KEY_MAX + 1];
	size_t i, s0;
	bool haskey = false, owner = false, config = false;

	for (i = 0; i < kl && i < UA_KEY_MAX; i++)
		low[i] = (char)tolower((unsigned char)k[i]);
	low[i] = 0;
	kl = i;
	for (i = 0; secret_sub[i] != NULL; i++)
		if (strstr(low, secret_sub[i]) != NULL)
			return K_SECRET;
	for (s0 = 0, i = 0; i <= kl; i++) {
		if (i < kl && low[i] != '_' && low[i] != '-' && low[i] != '.')
			continue;
		if (i > s0) {
			if (part_is(low + s0, i - s0, secret_part))
				return K_SECRET;
			if (i - s0 == 3 && strncmp(low + s0, "key", 3) == 0)
				haskey = true;
			if (part_is(low + s0, i - s0, key_owner))
				owner = true;
			if (part_is(low + s0, i - s0, config_part))
				config = true;
		}
		s0 = i + 1;
	}
	if (haskey && owner)
		return K_SECRET;
	return config ? K_CONFIG : K_NONE;
}

/* Append the masked form of v (vl bytes) to out. */
static void
add_masked(char *out, size_t on, const char *v, size_t vl)
{
	size_t k = strlen(out), i, keep = vl > 6 ? 2 : 0;

	for (i = 0; i < vl && k + 1 < on; i++)
		out[k++] = i < keep ? v[i] : '*';
	out[k] = 0;
}

static void
add_text(char *out, size_t on, const char *v, size_t vl)
{
	size_t k = strlen(out), i;

	for (i = 0; i < vl && k + 1 < on; i++)
		out[k++] = v[i] >= 0x20 && v[i] < 0x7f ? v[i] : '.';
	out[k] = 0;
}

/* Case-insensitive search in n bytes. */
static const char *
has_ci(const char *h, size_t n, const char *needle)
{
	size_t k = strlen(needle), i;

	for (i = 0; k > 0 && i + k <= n; i++)
		if (strncasecmp(h + i, needle, k) == 0)
			return h + i;
	return NULL;
}

static bool
looks_html(const char *p, size_t n)
{
	size_t m = n < 1024 ? n : 1024;

	return has_ci(p, m, "<html") || has_ci(p, m, "<!doctype") ||
	       has_ci(p, m, "<head") || has_ci(p, m, "<body") ||
	       has_ci(p, m, "<script");
}

bool
Sl_unauth_config_like(const char *page, size_t n, char *excerpt, size_t en)
{
	struct kv kv;
	size_t pos = 0, nsecret = 0, nconfig = 0, i, nseen = 0;
	struct {
		size_t k0, kl;
	} seen[32];

	if (en > 0)
		excerpt[0] = 0;
	if (page == NULL || n == 0 || looks_html(page, n))
		return false;
	while (kv_next(page, n, &pos, &kv)) {
		int kind = key_kind(page + kv.k0, kv.kl);
		bool dup = false;

		if (kind == K_NONE || kv.vl == 0)
			continue;
		/* Each key once. */
		for (i = 0; i < nseen; i++)
			if (seen[i].kl == kv.kl &&
			    strncasecmp(page + seen[i].k0, page + kv.k0,
			                kv.kl) == 0)
				dup = true;
		if (dup)
			continue;
		if (nseen < SL_ARRAY_LEN(seen)) {
			seen[nseen].k0 = kv.k0;
			seen[nseen].kl = kv.kl;
			nseen++;
		}
		if (kind == K_SECRET)
			nsecret++;
		else
			nconfig++;
		if (en == 0)
			continue;
		if (excerpt[0] != 0)
			add_text(excerpt, en, ", ", 2);
		add_text(excerpt, en, page + kv.k0, kv.kl);
		add_text(excerpt, en, "=", 1);
		if (kind == K_SECRET)
			add_masked(excerpt, en, page + kv.v0, kv.vl);
		else
			add_text(excerpt, en, page + kv.v0, kv.vl);
	}
	return nsecret > 0 || nconfig >= 2;
}

void
Sl_unauth_mask(const char *topic, const uint8_t *payload, size_t n, char *out,
               size_t on)
{
	const char *p = payload != NULL ? (const char *)payload : "";
	size_t pos = 0, from = 0;
	struct kv kv;

	if (on == 0)
		return;
	out[0] = 0;
	if (payload == NULL)
		n = 0;
	/* A topic naming a secret: the whole payload is one. */
	if (topic != NULL && key_kind(topic, strlen(topic)) == K_SECRET) {
		add_masked(out, on, p, n);
		return;
	}
	while (kv_next(p, n, &pos, &kv)) {
		if (key_kind(p + kv.k0, kv.kl) != K_SECRET || kv.vl == 0)
			continue;
		add_text(out, on, p + from, kv.v0 - from);
		add_masked(out, on, p + kv.v0, kv.vl);
		from = kv.v0 + kv.vl;
	}
	add_text(out, on, p + from, n - from);
}

/* ------------------------------------------------------------------ */
/* UPnP descriptions and ADB headers                                   */
/* ------------------------------------------------------------------ */

/* The text of <tag>...</tag> inside [p, end), trimmed, into out. */
static bool
xml_text(const char *p, const char *end, const char *tag, char *out, size_t on)
{
	char open[40], close[40];
	const char *a, *b;
	size_t len;

	snprintf(open, sizeof(open), "<%s>", tag);
	snprintf(close, sizeof(close), "</%s>", tag);
	a = has_ci(p, (size_t)(end - p), open);
	if (a == NULL)
		return false;
	a += strlen(open);
	b = has_ci(a, (size_t)(end - a), close);
	if (b == NULL)
		return false;
	while (a < b && isspace((unsigned char)*a))
		a++;
	while (b > a && isspace((unsigned char)b[-1]))
		b--;
	len = (size_t)(b - a);
	if (len == 0 || len >= on)
		return false;
	memcpy(out, a, len);
	out[len] = 0;
	return true;
}

bool
Sl_upnp_control(const char *xml, size_t n, char *url, size_t un, char *type,
                size_t tn)
{
	const char *p = xml, *end = xml + n;

	if (xml == NULL)
		return false;
	/* UNTRUSTED: each <service> block is searched within its bounds. */
	while (p < end) {
		const char *b = has_ci(p, (size_t)(end - p), "<service>");
		const char *e;

		if (b == NULL)
			return false;
		e = has_ci(b, (size_t)(end - b), "</service>");
		if (e == NULL)
			e = end;
		if (xml_text(b, e, "serviceType", type, tn) &&
		    (strstr(type, "WANIPConnection") != NULL ||
		     strstr(type, "WANPPPConnection") != NULL) &&
		    xml_text(b, e, "controlURL", url, un))
			return true;
		p = e < end ? e + 1 : end;
	}
	return false;
}

#define ADB_CNXN     0x4e584e43u
#define ADB_AUTH     0x48545541u
#define ADB_STLS     0x534c5453u
#define ADB_MAX_DATA (1u << 20)

static uint32_t
le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

bool
Sl_adb_header(const uint8_t *p, size_t n, char cmd[5], uint32_t *datalen)
{
	static const char *const known[] = {"CNXN", "AUTH", "STLS",
	                                    "OPEN", "OKAY", "CLSE",
	                                    "WRTE", "SYNC", NULL};
	uint32_t c;
	size_t i;

	/*
	 * UNTRUSTED: the header is six little-endian words: command,
	 * arg0, arg1, data length, data checksum, magic (= ~command).
	 */
	if (n < 24)
		return false;
	c = le32(p);
	if (le32(p + 20) != (c ^ 0xffffffffu) || le32(p + 12) > ADB_MAX_DATA)
		return false;
	memcpy(cmd, p, 4);
	cmd[4] = 0;
	for (i = 0; known[i] != NULL; i++)
		if (strcmp(cmd, known[i]) == 0) {
			*datalen = le32(p + 12);
			return true;
		}
	return false;
}

/* ------------------------------------------------------------------ */
/* The checks per service                                              */
/* ------------------------------------------------------------------ */

/* What this check reports (check.h: findings as data). */
enum {
	F_HTTP,
	F_UPNP,
	F_MQTT_READ,
	F_MQTT,
	F_TELNET,
	F_FTP,
	F_RTSP,
	F_SNMP,
	F_ADB,
};
#define REM_MQTT                                                               \
	"Turn anonymous access off (allow_anonymous false) and require a "     \
	"per-device credential or client certificate, with topic ACLs."
static const struct Sl_finding_def findings[] = {
    [F_HTTP] = {"NET-UNAUTH-HTTP",
                SL_SEV_HIGH,
                {"S1.1-01"},
                "Configuration readable without credentials",
                "Require authentication for every page and API that shows "
                "settings, credentials or personal data; serve only a "
                "login page without it."},
    [F_UPNP] = {"NET-UPNP-SOAP-UNAUTH",
                SL_SEV_HIGH,
                {"S1.1-01"},
                "UPnP IGD control actions answer without credentials",
                "Disable UPnP IGD on interfaces where it is not needed, or "
                "restrict its control actions."},
    /* A message under "#" read: worse than the connection alone. */
    [F_MQTT_READ] = {"NET-MQTT-ANONYMOUS",
                     SL_SEV_CRITICAL,
                     {"S1.1-01"},
                     "MQTT broker lets anyone connect and read messages",
                     REM_MQTT},
    [F_MQTT] = {"NET-MQTT-ANONYMOUS",
                SL_SEV_HIGH,
                {"S1.1-01"},
                "MQTT broker accepts anonymous clients",
                REM_MQTT},
    [F_TELNET] = {"NET-TELNET-NO-LOGIN",
                  SL_SEV_CRITICAL,
                  {"S1.1-01"},
                  "Telnet gives a shell without login",
                  "Remove telnet; if a shell is needed, offer SSH with "
                  "authentication."},
    [F_FTP] = {"NET-FTP-ANONYMOUS",
               SL_SEV_HIGH,
               {"S1.1-01"},
               "FTP server accepts anonymous logins",
               "Turn anonymous FTP off, or remove the FTP server."},
    [F_RTSP] = {"NET-RTSP-UNAUTH",
                SL_SEV_HIGH,
                {"S1.1-01"},
                "RTSP stream described without credentials",
                "Require authentication (digest) for every stream."},
    [F_SNMP] = {"NET-SNMP-DEFAULT-COMMUNITY",
                SL_SEV_HIGH,
                {"S1.1-01", "S1.1-02"},
                "SNMP agent answers a default community",
                "Turn SNMP v1/v2c off or use SNMPv3 with authentication; "
                "never the default communities public and private."},
    [F_ADB] = {"NET-ADB-OPEN",
               SL_SEV_CRITICAL,
               {"S1.1-01"},
               "ADB accepts connections without authentication",
               "Disable ADB over the network in production builds, or "
               "require its key authentication (ro.adb.secure=1)."},
    {NULL},
};
#undef REM_MQTT

/* A UPnP description at path on the web service: the SOAP test. */
static bool
upnp_soap(struct sl_scan *s, const struct Sl_service *svc, CURL **h,
          const char *desc_path, const char *xml, size_t n)
{
	static const char env[] =
	    "<?xml version=\"1.0\"?>"
	    "<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\""
	    " s:encodingStyle=\"http://schemas.xmlsoap.org/soap/encoding/\">"
	    "<s:Body><u:%s xmlns:u=\"%s\">%s</u:%s></s:Body></s:Envelope>";
	static const struct {
		const char *action, *args;
	} acts[] = {
	    {"GetExternalIPAddress", ""},
	    {"GetGenericPortMappingEntry",
	     "<NewPortMappingIndex>0</NewPortMappingIndex>"},
	};
	char ctl[512], type[256], target[600], body[1024], hdr[400];
	char ex[UA_EXCERPT] = "";
	const char *hdrs[2] = {hdr, NULL};
	size_t i;
	bool hit = false;

	if (!Sl_upnp_control(xml, n, ctl, sizeof(ctl), type, sizeof(type)))
		return false;
	if (ctl[0] == '/' || strncasecmp(ctl, "http", 4) == 0)
		snprintf(target, sizeof(target), "%s", ctl);
	else
		snprintf(target, sizeof(target), "/%s", ctl);
	for (i = 0; i < SL_ARRAY_LEN(acts); i++) {
		struct Sl_http_resp r;
		char resp[64];

		snprintf(body, sizeof(body), env, acts[i].action, type,
		         acts[i].args, acts[i].action);
		snprintf(hdr, sizeof(hdr), "SOAPAction: \"%s#%s\"", type,
		         acts[i].action);
		if (Sl_http_request(s, svc, h, "POST", target, hdrs,
		                    "text/xml; charset=\"utf-8\"", body, NULL,
		                    NULL, SL_HTTP_NONE, &r) == SL_OK &&
		    r.code == 200) {
			snprintf(resp, sizeof(resp), "%sResponse",
			         acts[i].action);
			if (r.body.p != NULL &&
			    has_ci((const char *)r.body.p, r.body.n, resp)) {
				char v[200] = "";

				add_text(ex, sizeof(ex), ex[0] ? "; " : "", 2);
				add_text(ex, sizeof(ex), acts[i].action,
				         strlen(acts[i].action));
				if (xml_text((const char *)r.body.p,
				             (const char *)r.body.p + r.body.n,
				             "NewExternalIPAddress", v,
				             sizeof(v)) ||
				    xml_text((const char *)r.body.p,
				             (const char *)r.body.p + r.body.n,
				             "NewInternalClient", v,
				             sizeof(v))) {
					add_text(ex, sizeof(ex), " -> ", 4);
					add_text(ex, sizeof(ex), v, strlen(v));
				}
				hit = true;
			}
		}
		Sl_http_resp_free(&r);
	}
	if (hit)
		(void)Sl_report(
		    s, &findings[F_UPNP],
		    &(struct Sl_at){.svc = svc,
		                    .excerpt = Sl_arena_printf(
		                        &s->arena,
		                        "description %s, control URL %s (%s): "
		                        "answered without credentials: %s",
		                        desc_path, ctl, type, ex)});
	return true;
}

static void
web_service(struct sl_scan *s, const struct Sl_service *svc)
{
	CURL *h = NULL;
	size_t i, hits = 0;
	bool upnp_done = false;

	for (i = 0; http_paths[i] != NULL && hits < UA_MAX_HTTP_HITS; i++) {
		struct Sl_http_resp r;
		char ex[UA_EXCERPT];
		const char *body;

		if (Sl_cancelled(s))
			break;
		if (Sl_http_request(s, svc, &h, "GET", http_paths[i], NULL,
		                    NULL, NULL, NULL, NULL, SL_HTTP_NONE,
		                    &r) != SL_OK) {
			Sl_http_resp_free(&r);
			/* Nothing answers: the rest would not either. */
			if (r.code == 0 && i == 0)
				break;
			continue;
		}
		body = r.body.p ? (const char *)r.body.p : "";
		if (r.code == 200 && !upnp_done &&
		    has_ci(body, r.body.n, "urn:schemas-upnp-org:device")) {
			upnp_done = upnp_soap(s, svc, &h, http_paths[i], body,
			                      r.body.n);
		} else if (r.code == 200 &&
		           Sl_unauth_config_like(body, r.body.n, ex,
		                                 sizeof(ex))) {
			(void)Sl_report(
			    s, &findings[F_HTTP],
			    &(struct Sl_at){.svc = svc,
			                    .excerpt = Sl_arena_printf(
			                        &s->arena,
			                        "GET %s answered 200 without "
			                        "credentials: %s",
			                        http_paths[i], ex),
			                    .title = Sl_arena_printf(
			                        &s->arena,
			                        "Configuration readable "
			                        "without credentials "
			                        "at %s",
			                        http_paths[i])});
			hits++;
		}
		Sl_http_resp_free(&r);
	}
	if (h != NULL)
		curl_easy_cleanup(h);
}

/* A UPnP service: its description on one of the usual paths. */
static void
upnp_service(struct sl_scan *s, const struct Sl_service *svc)
{
	struct Sl_service web = *svc;
	CURL *h = NULL;
	size_t i;

	if (svc->ipproto != IPPROTO_TCP)
		return;
	web.pub.name = "http";
	for (i = 0; upnp_paths[i] != NULL && !Sl_cancelled(s); i++) {
		struct Sl_http_resp r;
		bool done = false;

		if (Sl_http_request(s, &web, &h, "GET", upnp_paths[i], NULL,
		                    NULL, NULL, NULL, NULL, SL_HTTP_NONE,
		                    &r) == SL_OK &&
		    r.code == 200 && r.body.p != NULL)
			done = upnp_soap(s, &web, &h, upnp_paths[i],
			                 (const char *)r.body.p, r.body.n);
		Sl_http_resp_free(&r);
		if (done || r.code == 0)
			break;
	}
	if (h != NULL)
		curl_easy_cleanup(h);
}

struct mqtt_seen {
	size_t n, total;
	char ex[UA_EXCERPT];
};

static void
on_message(struct mosquitto *m, void *obj, const struct mosquitto_message *msg)
{
	struct mqtt_seen *w = ((struct Sl_mqtt *)obj)->user;
	char masked[160];
	size_t len;

	(void)m;
	w->total++;
	if (w->n >= UA_MQTT_MAX_MSGS || msg->topic == NULL)
		return;
	w->n++;
	/* UNTRUSTED: payload length from the broker, bounded here. */
	len = msg->payloadlen > 0 ? (size_t)msg->payloadlen : 0;
	if (len > 512)
		len = 512;
	Sl_unauth_mask(msg->topic, msg->payload, len, masked, sizeof(masked));
	if (w->ex[0] != 0)
		add_text(w->ex, sizeof(w->ex), "; ", 2);
	add_text(w->ex, sizeof(w->ex), msg->topic, strlen(msg->topic));
	add_text(w->ex, sizeof(w->ex), " = ", 3);
	add_text(w->ex, sizeof(w->ex), masked, strlen(masked));
}

static void
mqtt_service(struct sl_scan *s, const struct Sl_service *svc)
{
	struct mqtt_seen w = {0};
	struct Sl_mqtt q = {0};
	uint64_t end;

	if (Sl_mqtt_connect(s, svc, NULL, NULL, &q) != SL_OK ||
	    q.connack != 0) {
		Sl_mqtt_close(&q);
		return;
	}
	q.user = &w;
	mosquitto_message_callback_set(q.m, on_message);
	if (mosquitto_subscribe(q.m, NULL, "#", 0) == MOSQ_ERR_SUCCESS) {
		end = Sl_now_ms() + UA_MQTT_WAIT_MS;
		while (Sl_now_ms() < end && w.n < UA_MQTT_MAX_MSGS &&
		       mosquitto_loop(q.m, 100, 1) == MOSQ_ERR_SUCCESS)
			;
	}
	Sl_mqtt_close(&q);
	(void)Sl_report(
	    s, &findings[w.n > 0 ? F_MQTT_READ : F_MQTT],
	    &(struct Sl_at){
	        .svc = svc,
	        .excerpt =
	            w.n > 0 ? Sl_arena_printf(&s->arena,
	                                      "anonymous CONNECT accepted; "
	                                      "SUBSCRIBE \"#\" delivered %zu "
	                                      "message(s) in %u ms: %s",
	                                      w.total, UA_MQTT_WAIT_MS, w.ex)
	                    : "anonymous CONNECT accepted (no message under "
	                      "\"#\" within a second)"});
}

static void
telnet_service(struct sl_scan *s, const struct Sl_service *svc)
{
	unsigned to =
	    s->dev->o.timeout_ms ? s->dev->o.timeout_ms : SL_NET_TIMEOUT_MS;
	struct Sl_tn t;
	char prompt[80] = "", ex[UA_EXCERPT];
	bool confirmed = false;
	int j;

	j = Sl_tn_open(s, svc, &t, 2 * to);
	if (j == SL_TN_SHELL) {
		size_t k = t.text.n > 60 ? t.text.n - 60 : 0;

		add_text(prompt, sizeof(prompt), (const char *)t.text.p + k,
		         t.text.n - k);
		/* Harmless, and only a shell computes it. */
		if (Sl_tn_send(&t, "echo sl-$((6*7))-ok", to) == 0) {
			uint64_t end = Sl_now_ms() + to;

			while (!confirmed && Sl_now_ms() < end) {
				(void)Sl_tn_wait(&t,
				                 (unsigned)(end - Sl_now_ms()));
				confirmed = t.text.p != NULL &&
				            strstr((char *)t.text.p,
				                   "sl-42-ok") != NULL;
				if (Sl_tn_judge((char *)t.text.p, t.text.n) ==
				    SL_TN_SHELL)
					break;
			}
			(void)Sl_tn_send(&t, "exit", to);
		}
		snprintf(ex, sizeof(ex),
		         "a shell prompt without any login: \"%s\"%s", prompt,
		         confirmed ? "; `echo $((6*7))` answered 42" : "");
		(void)Sl_report(s, &findings[F_TELNET],
		                &(struct Sl_at){.svc = svc, .excerpt = ex});
	}
	Sl_tn_close(&t);
}

static void
ftp_service(struct sl_scan *s, const struct Sl_service *svc)
{
	struct Sl_buf list;
	char det[160], names[300] = "";
	size_t i, k = 0;

	if (Sl_login_try(s, svc, "anonymous", "starlab@example.com", det,
	                 sizeof(det)) != SL_LOGIN_OK)
		return;
	Sl_buf_init(&list, 4096);
	if (Sl_ftp_list(s, svc, "anonymous", "starlab@example.com", &list) ==
	    SL_OK) {
		/* Names, one a line, joined with ", ". */
		for (i = 0; i < list.n && k < 8; i++) {
			size_t e = i;

			while (e < list.n && list.p[e] != '\n' &&
			       list.p[e] != '\r')
				e++;
			if (e > i) {
				if (names[0] != 0)
					add_text(names, sizeof(names), ", ", 2);
				add_text(names, sizeof(names),
				         (const char *)list.p + i, e - i);
				k++;
			}
			i = e;
		}
	}
	Sl_buf_free(&list);
	(void)Sl_report(
	    s, &findings[F_FTP],
	    &(struct Sl_at){
	        .svc = svc,
	        .excerpt = Sl_arena_printf(
	            &s->arena,
	            "USER anonymous accepted (%s); top directory: %s", det,
	            names[0] ? names : "(not listed)")});
}

static void
rtsp_service(struct sl_scan *s, const struct Sl_service *svc)
{
	size_t i;

	for (i = 0; rtsp_paths[i] != NULL && !Sl_cancelled(s); i++) {
		struct Sl_buf sdp;
		char ex[UA_EXCERPT] = "";
		long code;

		Sl_buf_init(&sdp, SL_LOGIN_MAX_BODY);
		code =
		    Sl_rtsp_describe(s, svc, rtsp_paths[i], NULL, NULL, &sdp);
		if (code == 200) {
			const char *p = sdp.p ? (const char *)sdp.p : "";
			const char *sn = strstr(p, "s=");
			size_t l = 0;

			while (sn && sn[l] && sn[l] != '\r' && sn[l] != '\n' &&
			       l < 80)
				l++;
			snprintf(ex, sizeof(ex),
			         "DESCRIBE %s answered 200 without "
			         "credentials (%zu bytes of SDP)%s",
			         rtsp_paths[i], sdp.n, sn ? ": " : "");
			if (sn)
				add_text(ex, sizeof(ex), sn, l);
			(void)Sl_report(
			    s, &findings[F_RTSP],
			    &(struct Sl_at){.svc = svc, .excerpt = ex});
		}
		Sl_buf_free(&sdp);
		/* Found, or the server wants credentials, or no answer. */
		if (code == 200 || code == 401 || code == 403 || code == 0)
			break;
	}
}

static void
snmp_service(struct sl_scan *s, const struct Sl_service *svc)
{
	static const char *const comm[] = {"public", "private"};
	unsigned to =
	    s->dev->o.timeout_ms ? s->dev->o.timeout_ms : SL_NET_TIMEOUT_MS;
	size_t i;

	for (i = 0; i < SL_ARRAY_LEN(comm) && !Sl_cancelled(s); i++) {
		char out[160];

		if (Sl_snmp_get(s, svc, comm[i], SL_SNMP_SYSDESCR, out,
		                sizeof(out), to) != 1)
			continue;
		(void)Sl_report(s, &findings[F_SNMP],
		                &(struct Sl_at){.svc = svc,
		                                .excerpt = Sl_arena_printf(
		                                    &s->arena,
		                                    "SNMP v2c community \"%s\" "
		                                    "answers: sysDescr \"%s\"",
		                                    comm[i], out),
		                                .secret = comm[i]});
	}
}

static void
adb_service(struct sl_scan *s, const struct Sl_service *svc)
{
	static const char banner[] = "host::\0";
	unsigned to =
	    s->dev->o.timeout_ms ? s->dev->o.timeout_ms : SL_NET_TIMEOUT_MS;
	uint8_t msg[24 + sizeof(banner)], in[24 + 256];
	uint32_t w[6], sum = 0, len;
	size_t i, got = 0;
	char cmd[5], ex[UA_EXCERPT];
	int fd;

	for (i = 0; i < sizeof(banner); i++)
		sum += (uint8_t)banner[i];
	w[0] = ADB_CNXN;
	w[1] = 0x01000001u;  /* A_VERSION */
	w[2] = 256u * 1024u; /* MAX_PAYLOAD */
	w[3] = (uint32_t)sizeof(banner);
	w[4] = sum;
	w[5] = ADB_CNXN ^ 0xffffffffu;
	for (i = 0; i < 24; i++)
		msg[i] = (uint8_t)(w[i / 4] >> (8 * (i % 4)));
	memcpy(msg + 24, banner, sizeof(banner));
	fd = Sl_tcp_connect(&s->dev->t, svc->addr, svc->pub.port, to);
	if (fd < 0)
		return;
	if (Sl_io_write(fd, msg, sizeof(msg), to) == 0) {
		uint64_t end = Sl_now_ms() + to;

		while (got < sizeof(in) && Sl_now_ms() < end) {
			ssize_t r = Sl_io_read(fd, in + got, sizeof(in) - got,
			                       (unsigned)(end - Sl_now_ms()));

			if (r <= 0)
				break;
			got += (size_t)r;
			if (got >= 24 && Sl_adb_header(in, got, cmd, &len) &&
			    got >= 24 + (len < 256 ? len : 256))
				break;
		}
	}
	close(fd);
	if (!Sl_adb_header(in, got, cmd, &len) || strcmp(cmd, "CNXN") != 0)
		return;
	ex[0] = 0;
	add_text(ex, sizeof(ex), "CNXN answered with CNXN: ",
	         strlen("CNXN answered with CNXN: "));
	add_text(ex, sizeof(ex), (const char *)in + 24,
	         got - 24 < len ? got - 24 : len);
	(void)Sl_report(s, &findings[F_ADB],
	                &(struct Sl_at){.svc = svc, .excerpt = ex});
}

static sl_rc
unauth_run(struct sl_scan *s)
{
	struct Sl_dev *d = s->dev;
	struct Sl_service *done[256];
	size_t i, j, nd = 0;

	if (d == NULL)
		return SL_OK;
	Sl_login_global_init();
	for (i = 0; i < d->nsvc && !Sl_cancelled(s); i++) {
		struct Sl_service *v = d->svc[i];
		const char *n = v->pub.name;
		bool tcp = v->ipproto == IPPROTO_TCP;

		/* One per protocol and port, whichever address. */
		for (j = 0; j < nd; j++)
			if (done[j]->ipproto == v->ipproto &&
			    done[j]->pub.port == v->pub.port)
				break;
		if (j < nd)
			continue;
		if (nd < SL_ARRAY_LEN(done))
			done[nd++] = v;
		if (tcp && (strcmp(n, "http") == 0 || strcmp(n, "https") == 0))
			web_service(s, v);
		else if (strcmp(n, "mqtt") == 0 || strcmp(n, "mqtts") == 0)
			mqtt_service(s, v);
		else if (tcp && strcmp(n, "telnet") == 0 && !v->pub.tls)
			telnet_service(s, v);
		else if (tcp && strcmp(n, "ftp") == 0 && !v->pub.tls)
			ftp_service(s, v);
		else if (tcp && strcmp(n, "rtsp") == 0 && !v->pub.tls)
			rtsp_service(s, v);
		else if (!tcp && strcmp(n, "snmp") == 0)
			snmp_service(s, v);
		else if (strcmp(n, "upnp") == 0)
			upnp_service(s, v);
		else if (tcp && strcmp(n, "adb") == 0)
			adb_service(s, v);
	}
	if (Sl_cancelled(s))
		Sl_incomplete(s, "net.unauth: cancelled");
	return SL_OK;
}

const struct Sl_check Sl_check_unauth = {
    .id = "net.unauth",
    .title = "Access without credentials over the network",
    /* S1.1-02 too: an SNMP agent that answers the default community
     * public or private (NET-SNMP-DEFAULT-COMMUNITY). */
    .covers = {"S1.1-01", "S1.1-02", NULL},
    .findings = findings,
    .source = SL_SRC_NETWORK,
    .run = unauth_run,
};
