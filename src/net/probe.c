/*
 * probe.c - which service listens on each open TCP port: its name, the
 * product and version it gives away, and a printable banner.
 *
 * For each open port, on a small pool of threads (SL_PROBE_THREADS, each
 * service on one thread, every step bounded by the scan's timeout):
 *   1. Connect and wait for a greeting.  Services that speak first say
 *      who they are: SSH ("SSH-2.0-dropbear_2022.83"), FTP and SMTP
 *      ("220 (vsFTPd 3.0.3)"), telnet (IAC negotiation, then a prompt).
 *      Ports where the client speaks first wait only briefly.
 *   2. Otherwise ask, each on a fresh connection, in an order that puts
 *      the port's usual protocol first: TLS (an OpenSSL handshake; inside
 *      it HTTP, then MQTT), HTTP (GET / with Host: Server header, title,
 *      basic/digest/form authentication), RTSP (OPTIONS), MQTT (CONNECT
 *      with a random client id; the CONNACK return code is kept in the
 *      banner as "CONNACK rc=N" for the access checks, and an accepted
 *      session reads $SYS/broker/version), ADB (CNXN).
 *   3. UPnP: on the ports UPnP uses, and on the port of the SSDP
 *      LOCATION the UDP probe saw, fetch the device description
 *      (/rootDesc.xml or the LOCATION path) for model and maker.
 * A product with a version goes to Sl_component_add, which matches it
 * against the same vulnerability data as the firmware's components.
 *
 * Everything read is hostile: reads are bounded by SL_PROBE_MAX_READ,
 * banners by SL_NET_MAX_BANNER and the fixed fields of struct Sl_ident,
 * MQTT lengths by the four-byte varint and the bytes read, ADB by its
 * 24-byte header and the bytes read.  The parsers are exported for the
 * unit tests and run by the fuzz target udp_fuzz.c.  Only the target's
 * own addresses are contacted: an SSDP LOCATION naming another host is
 * ignored.  Why hand-written parsers: each is a banner or a first answer
 * (a status line, one CONNACK), not a protocol session; TLS, the one
 * real protocol, is OpenSSL's.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <strings.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/ssl.h>

#include "../vuln/vuln.h"
#include "stages.h"

/* Threads identifying services at once. */
#define SL_PROBE_THREADS 16
/* Services identified per scan; the rest keep their port's usual name. */
#define SL_PROBE_MAX 512
/* Bytes read from one answer. */
#define SL_PROBE_MAX_READ (16U << 10)
/* Wait for a greeting where the client usually speaks first, ms. */
#define SL_PROBE_SHORT_WAIT 300

/* ---- Small bounded-text helpers ---- */

/* Append n bytes, printable, to NUL-terminated dst of cap bytes. */
static void
tput(char *dst, size_t cap, const void *src, size_t n)
{
	const uint8_t *p = src;
	size_t len = strnlen(dst, cap), i;

	if (cap == 0)
		return;
	for (i = 0; i < n && len + 1 < cap; i++)
		dst[len++] = p[i] >= 0x20 && p[i] < 0x7f ? (char)p[i] : '.';
	dst[len] = 0;
}

static void
tputs(char *dst, size_t cap, const char *str)
{
	tput(dst, cap, str, strlen(str));
}

/* Case-insensitive memmem. */
static const uint8_t *
memcasemem(const uint8_t *h, size_t hn, const char *needle)
{
	size_t nl = strlen(needle), i;

	if (nl == 0 || hn < nl)
		return NULL;
	for (i = 0; i + nl <= hn; i++)
		if (strncasecmp((const char *)h + i, needle, nl) == 0)
			return h + i;
	return NULL;
}

static bool
is_verch(int c)
{
	return isalnum(c) || c == '.' || c == '-' || c == '+' || c == '~' ||
	       c == '_';
}

/* ---- Product names and versions ---- */

/* Normalise a product token to the names the vulnerability data uses. */
static void
norm_product(const char *p, size_t n, char *out, size_t olen)
{
	static const struct {
		const char *from, *to;
	} alias[] = {
	    {"apache", "apache"},        {"goahead-webs", "goahead"},
	    {"minihttpd", "mini_httpd"}, {"miniupnpd", "miniupnpd"},
	    {"net-snmp", "net-snmp"},    {"pure-ftpd", "pure-ftpd"},
	};
	size_t i;

	if (olen == 0)
		return;
	out[0] = 0;
	/* The first word only: "mosquitto version" is mosquitto. */
	for (i = 0; i < n && p[i] != ' '; i++)
		;
	n = i;
	for (i = 0; i < n && i + 1 < olen; i++)
		out[i] = (char)tolower((unsigned char)p[i]);
	out[i < olen ? i : olen - 1] = 0;
	for (i = 0; i < SL_ARRAY_LEN(alias); i++)
		if (strcmp(out, alias[i].from) == 0)
			snprintf(out, olen, "%s", alias[i].to);
}

bool
Sl_ident_product(const char *tok, size_t n, char *prod, size_t plen, char *ver,
                 size_t vlen)
{
	size_t i, e;

	if (plen > 0)
		prod[0] = 0;
	if (vlen > 0)
		ver[0] = 0;
	/* UNTRUSTED: tok is device output; every index is below n. */
	for (i = 1; i + 1 < n; i++) {
		char c = tok[i];

		if ((c == '/' || c == '_' || c == ' ' || c == '-' ||
		     c == 'v') &&
		    isdigit((unsigned char)tok[i + 1]))
			break;
		if (c == ' ' && tok[i + 1] == 'v' && i + 2 < n &&
		    isdigit((unsigned char)tok[i + 2])) {
			i++;
			break;
		}
	}
	if (i + 1 >= n) {
		/* No version: the product is the leading word. */
		for (e = 0; e < n && (isalnum((unsigned char)tok[e]) ||
		                      tok[e] == '-' || tok[e] == '_');
		     e++)
			;
		norm_product(tok, e, prod, plen);
		return false;
	}
	norm_product(tok, i, prod, plen);
	for (e = i + 1; e < n && is_verch((unsigned char)tok[e]); e++)
		;
	while (e > i + 1 &&
	       (tok[e - 1] == '.' || tok[e - 1] == '-' || tok[e - 1] == '_'))
		e--;
	if (vlen > 0)
		snprintf(ver, vlen, "%.*s", (int)(e - i - 1), tok + i + 1);
	return prod[0] != 0 && ver[0] != 0;
}

bool
Sl_ident_server(const char *hdr, size_t n, char *prod, size_t plen, char *ver,
                size_t vlen)
{
	static const char sdk[] = "Portable SDK for UPnP devices/";
	const char *q;
	size_t i = 0;

	if (plen > 0)
		prod[0] = 0;
	if (vlen > 0)
		ver[0] = 0;
	/* UNTRUSTED: hdr is device output; every index is below n. */
	q = (const char *)memcasemem((const uint8_t *)hdr, n, sdk);
	if (q != NULL) {
		/* libupnp (pupnp) names itself this way. */
		size_t off = (size_t)(q - hdr) + sizeof(sdk) - 1, e;

		for (e = off; e < n && is_verch((unsigned char)hdr[e]); e++)
			;
		snprintf(prod, plen, "libupnp");
		snprintf(ver, vlen, "%.*s", (int)(e - off), hdr + off);
		return ver[0] != 0;
	}
	/*
	 * The first "name/version" token that is not an OS or a protocol:
	 * the server comes first ("Apache/2.4.57 (Debian) OpenSSL/3.0.11"),
	 * after the OS and UPnP version in UPnP stacks.
	 */
	while (i < n) {
		size_t s, e;

		while (i < n && (hdr[i] == ' ' || hdr[i] == ','))
			i++;
		if (i < n && hdr[i] == '(') {
			while (i < n && hdr[i] != ')')
				i++;
			continue;
		}
		s = i;
		while (i < n && hdr[i] != ' ' && hdr[i] != ',')
			i++;
		e = i;
		if (e == s || memchr(hdr + s, '/', e - s) == NULL)
			continue;
		if ((e - s >= 4 && strncasecmp(hdr + s, "UPnP", 4) == 0) ||
		    (e - s >= 5 && strncasecmp(hdr + s, "Linux", 5) == 0) ||
		    (e - s >= 4 && strncasecmp(hdr + s, "HTTP", 4) == 0) ||
		    (e - s >= 4 && strncasecmp(hdr + s, "DLNA", 4) == 0) ||
		    (e - s >= 5 && strncasecmp(hdr + s, "POSIX", 5) == 0))
			continue;
		return Sl_ident_product(hdr + s, e - s, prod, plen, ver, vlen);
	}
	/* No "name/version": a bare product name, or nothing. */
	for (i = 0; i < n && hdr[i] == ' '; i++)
		;
	return Sl_ident_product(hdr + i, n - i, prod, plen, ver, vlen);
}

/* Products that name themselves in FTP, SMTP and telnet greetings. */
static const char *const known_products[] = {
    "vsFTPd",  "ProFTPD", "Pure-FTPd",     "FileZilla", "bftpd",
    "BusyBox", "Postfix", "Exim",          "Sendmail",  "dropbear",
    "OpenSSH", "wu-ftpd", "GNU Inetutils", NULL,
};

static void
known_product(const uint8_t *p, size_t n, struct Sl_ident *id)
{
	const char *const *k;

	for (k = known_products; *k != NULL; k++) {
		const uint8_t *h = memcasemem(p, n, *k);
		size_t rest;

		if (h == NULL)
			continue;
		rest = n - (size_t)(h - p);
		if (rest > 64)
			rest = 64;
		if (!Sl_ident_product((const char *)h, rest, id->product,
		                      sizeof(id->product), id->version,
		                      sizeof(id->version)))
			norm_product(*k, strlen(*k), id->product,
			             sizeof(id->product));
		return;
	}
}

/* ---- Greetings ---- */

bool
Sl_ident_greeting(const uint8_t *p, size_t n, struct Sl_ident *id)
{
	memset(id, 0, sizeof(*id));
	if (p == NULL || n == 0)
		return false;
	if (n >= 4 && memcmp(p, "SSH-", 4) == 0) {
		const uint8_t *d;
		size_t e;

		snprintf(id->name, sizeof(id->name), "ssh");
		/* SSH-protoversion-softwareversion SP comments CR LF */
		d = memchr(p + 4, '-', n - 4);
		if (d != NULL) {
			size_t off = (size_t)(d - p) + 1;

			for (e = off; e < n && p[e] != ' ' && p[e] != '\r' &&
			              p[e] != '\n';
			     e++)
				;
			(void)Sl_ident_product((const char *)p + off, e - off,
			                       id->product, sizeof(id->product),
			                       id->version,
			                       sizeof(id->version));
		}
		return true;
	}
	if (p[0] == 0xff && n >= 2 && p[1] >= 0xfb) {
		/* IAC WILL/WONT/DO/DONT: telnet negotiation. */
		snprintf(id->name, sizeof(id->name), "telnet");
		known_product(p, n, id);
		return true;
	}
	if (n >= 4 && memcmp(p, "220", 3) == 0 &&
	    (p[3] == ' ' || p[3] == '-')) {
		bool smtp = memcasemem(p, n, "SMTP") != NULL ||
		            memcasemem(p, n, "Postfix") != NULL ||
		            memcasemem(p, n, "Exim") != NULL;

		snprintf(id->name, sizeof(id->name), smtp ? "smtp" : "ftp");
		known_product(p, n, id);
		return true;
	}
	if (n >= 4 && memcmp(p, "+OK", 3) == 0) {
		snprintf(id->name, sizeof(id->name), "pop3");
		return true;
	}
	if (n >= 4 && memcmp(p, "* OK", 4) == 0) {
		snprintf(id->name, sizeof(id->name), "imap");
		return true;
	}
	if (n >= 8 && memcasemem(p, n < 256 ? n : 256, "login:") != NULL) {
		/* A raw shell login without negotiation. */
		snprintf(id->name, sizeof(id->name), "telnet");
		known_product(p, n, id);
		return true;
	}
	return false;
}

/*
 * Split telnet input into text and answers: every DO is refused with
 * WONT and every WILL with DONT, so the server moves on to its prompt;
 * subnegotiations are skipped.  Returns the text length.
 */
static size_t
telnet_filter(const uint8_t *in, size_t n, char *text, size_t tcap,
              uint8_t *reply, size_t rcap, size_t *rlen)
{
	size_t i = 0, t = 0;

	*rlen = 0;
	while (i < n) {
		uint8_t c = in[i];

		if (c != 0xff) {
			if (t + 1 < tcap && c >= 0x20 && c < 0x7f)
				text[t++] = (char)c;
			else if (t + 1 < tcap)
				text[t++] = c == '\n' ? ' ' : '.';
			i++;
			continue;
		}
		if (i + 1 >= n)
			break;
		c = in[i + 1];
		if (c >= 0xfb && c <= 0xfe) {
			if (i + 2 >= n)
				break;
			if (*rlen + 3 <= rcap) {
				reply[(*rlen)++] = 0xff;
				reply[(*rlen)++] = c == 0xfd || c == 0xfe
				                       ? 0xfc  /* WONT */
				                       : 0xfe; /* DONT */
				reply[(*rlen)++] = in[i + 2];
			}
			i += 3;
		} else if (c == 0xfa) {
			/* SB ... IAC SE */
			i += 2;
			while (i + 1 < n &&
			       !(in[i] == 0xff && in[i + 1] == 0xf0))
				i++;
			i += 2;
		} else {
			i += 2;
		}
	}
	if (tcap > 0)
		text[t < tcap ? t : tcap - 1] = 0;
	return t;
}

/* ---- HTTP and RTSP ---- */

/* The value of a header (name with colon) in the head, printable. */
static bool
hdr_value(const uint8_t *p, size_t n, const char *name, char *v, size_t vlen)
{
	size_t nl = strlen(name), i = 0;

	if (vlen > 0)
		v[0] = 0;
	/* Skip the status line. */
	while (i < n && p[i] != '\n')
		i++;
	i++;
	while (i < n) {
		const uint8_t *eol = memchr(p + i, '\n', n - i);
		size_t e = eol ? (size_t)(eol - p) : n, s;

		if (e == i || (e == i + 1 && p[i] == '\r'))
			return false; /* the end of the head */
		if (e - i > nl &&
		    strncasecmp((const char *)p + i, name, nl) == 0) {
			s = i + nl;
			while (s < e && (p[s] == ' ' || p[s] == '\t'))
				s++;
			while (e > s && (p[e - 1] == '\r' || p[e - 1] == ' '))
				e--;
			tput(v, vlen, p + s, e - s);
			return true;
		}
		i = e + 1;
	}
	return false;
}

bool
Sl_ident_http(const uint8_t *p, size_t n, struct Sl_ident *id)
{
	char server[128], auth[64];
	const uint8_t *body, *t, *te, *sp;
	unsigned st = 0, k;
	size_t off;
	bool rtsp;

	memset(id, 0, sizeof(*id));
	if (p == NULL || n < 12)
		return false;
	rtsp = memcmp(p, "RTSP/1.", 7) == 0;
	if (!rtsp && memcmp(p, "HTTP/1.", 7) != 0 &&
	    memcmp(p, "HTTP/2", 6) != 0)
		return false;
	sp = memchr(p, ' ', n < 16 ? n : 16);
	if (sp == NULL)
		return false;
	off = (size_t)(sp - p);
	for (k = 0, off++; k < 3 && off < n && isdigit(p[off]); k++, off++)
		st = st * 10 + (unsigned)(p[off] - '0');
	if (k != 3)
		return false;
	id->status = st;
	snprintf(id->name, sizeof(id->name), rtsp ? "rtsp" : "http");
	{
		const uint8_t *eol = memchr(p, '\r', n < 128 ? n : 128);
		size_t l = eol ? (size_t)(eol - p) : (n < 64 ? n : 64);

		tput(id->extra, sizeof(id->extra), p + 9 < p + l ? p + 9 : p,
		     l > 9 ? l - 9 : 0);
	}
	if (hdr_value(p, n, "Server:", server, sizeof(server)))
		(void)Sl_ident_server(server, strlen(server), id->product,
		                      sizeof(id->product), id->version,
		                      sizeof(id->version));
	if (hdr_value(p, n, "WWW-Authenticate:", auth, sizeof(auth))) {
		if (strncasecmp(auth, "basic", 5) == 0)
			snprintf(id->auth, sizeof(id->auth), "basic");
		else if (strncasecmp(auth, "digest", 6) == 0)
			snprintf(id->auth, sizeof(id->auth), "digest");
	}
	(void)hdr_value(p, n, "Location:", id->location, sizeof(id->location));
	body = memmem(p, n, "\r\n\r\n", 4);
	if (body == NULL)
		return true;
	body += 4;
	/* UNTRUSTED: the body; searched only within the bytes read. */
	t = memcasemem(body, n - (size_t)(body - p), "<title");
	if (t != NULL) {
		const uint8_t *gt = memchr(t, '>', n - (size_t)(t - p));

		if (gt != NULL) {
			gt++;
			te = memcasemem(gt, n - (size_t)(gt - p), "</title");
			if (te == NULL)
				te = p + n;
			if (te - gt > 80)
				te = gt + 80;
			while (gt < te && isspace(*gt))
				gt++;
			tputs(id->extra, sizeof(id->extra), "; title: ");
			tput(id->extra, sizeof(id->extra), gt,
			     (size_t)(te - gt));
		}
	}
	if (id->auth[0] == 0 &&
	    (memcasemem(body, n - (size_t)(body - p), "type=\"password\"") ||
	     memcasemem(body, n - (size_t)(body - p), "type='password'") ||
	     memcasemem(body, n - (size_t)(body - p), "type=password")))
		snprintf(id->auth, sizeof(id->auth), "form");
	return true;
}

/* The text of the first <tag>...</tag> in an XML document, bounded. */
static bool
xml_text(const uint8_t *p, size_t n, const char *tag, char *out, size_t olen)
{
	char open[48], close[48];
	const uint8_t *a, *b;

	snprintf(open, sizeof(open), "<%s>", tag);
	snprintf(close, sizeof(close), "</%s>", tag);
	a = memcasemem(p, n, open);
	if (a == NULL)
		return false;
	a += strlen(open);
	b = memcasemem(a, n - (size_t)(a - p), close);
	if (b == NULL)
		return false;
	if (olen > 0)
		out[0] = 0;
	tput(out, olen, a, (size_t)(b - a) > 64 ? 64 : (size_t)(b - a));
	return true;
}

bool
Sl_ident_upnp(const uint8_t *p, size_t n, struct Sl_ident *id)
{
	static const char *const tags[] = {"manufacturer", "modelName",
	                                   "modelNumber", "friendlyName"};
	char v[72];
	size_t i;
	bool any = false;

	if (p == NULL)
		return false;
	for (i = 0; i < SL_ARRAY_LEN(tags); i++) {
		if (!xml_text(p, n, tags[i], v, sizeof(v)) || v[0] == 0)
			continue;
		tputs(id->extra, sizeof(id->extra), any ? "; " : "UPnP ");
		tputs(id->extra, sizeof(id->extra), tags[i]);
		tputs(id->extra, sizeof(id->extra), "=");
		tputs(id->extra, sizeof(id->extra), v);
		any = true;
	}
	return any;
}

/* ---- MQTT ---- */

/*
 * One MQTT packet's fixed header: type byte and the remaining length
 * (a varint of at most four bytes).  Returns the header's length, 0 when
 * more bytes are needed or it is malformed.
 */
static size_t
mqtt_fixed(const uint8_t *p, size_t n, uint8_t *type, size_t *rem)
{
	size_t i, v = 0;

	if (n < 2)
		return 0;
	*type = p[0];
	for (i = 1; i < 5 && i < n; i++) {
		v |= (size_t)(p[i] & 0x7f) << (7 * (i - 1));
		if (!(p[i] & 0x80)) {
			*rem = v;
			return i + 1;
		}
	}
	return 0;
}

int
Sl_mqtt_connack(const uint8_t *p, size_t n)
{
	uint8_t type;
	size_t rem, h;

	if (p == NULL)
		return -1;
	h = mqtt_fixed(p, n, &type, &rem);
	if (h == 0 || type != 0x20 || rem < 2 || n < h + 2)
		return -1;
	return p[h + 1];
}

bool
Sl_mqtt_publish(const uint8_t *p, size_t n, char *topic, size_t tlen,
                char *payload, size_t plen)
{
	size_t off = 0;
	unsigned k;

	if (tlen > 0)
		topic[0] = 0;
	if (plen > 0)
		payload[0] = 0;
	if (p == NULL)
		return false;
	/* UNTRUSTED: walk at most 32 packets, each within the bytes read. */
	for (k = 0; k < 32 && off < n; k++) {
		uint8_t type;
		size_t rem, h = mqtt_fixed(p + off, n - off, &type, &rem);

		if (h == 0 || rem > n - off - h)
			return false;
		if ((type & 0xf0) == 0x30 && rem >= 2) {
			const uint8_t *q = p + off + h;
			size_t tl = Sl_get_be16(q), body;

			if (tl + 2 > rem)
				return false;
			body = 2 + tl + ((type & 0x06) ? 2 : 0);
			if (body > rem)
				return false;
			tput(topic, tlen, q + 2, tl);
			tput(payload, plen, q + body, rem - body);
			return true;
		}
		off += h + rem;
	}
	return false;
}

/* CONNECT, MQTT 3.1.1, clean session, client id starlab-XXXXXXXX. */
static size_t
mqtt_connect(uint8_t *b, uint32_t rnd)
{
	char cid[24];
	size_t cl, n = 0;

	snprintf(cid, sizeof(cid), "starlab-%08x", rnd);
	cl = strlen(cid);
	b[n++] = 0x10;
	b[n++] = (uint8_t)(10 + 2 + cl);
	memcpy(b + n, "\0\4MQTT\4\2\0\x3c", 10);
	n += 10;
	b[n++] = 0;
	b[n++] = (uint8_t)cl;
	memcpy(b + n, cid, cl);
	return n + cl;
}

/* ---- ADB ---- */

#define ADB_CNXN 0x4e584e43u
#define ADB_AUTH 0x48545541u
#define ADB_STLS 0x534c5453u

static size_t
adb_cnxn(uint8_t *b)
{
	static const char banner[] = "host::starlab\0";
	uint32_t w[6], sum = 0;
	size_t i, bl = sizeof(banner) - 1;

	for (i = 0; i < bl; i++)
		sum += (uint8_t)banner[i];
	w[0] = ADB_CNXN;
	w[1] = 0x01000000; /* A_VERSION */
	w[2] = 4096;       /* max payload */
	w[3] = (uint32_t)bl;
	w[4] = sum;
	w[5] = ADB_CNXN ^ 0xffffffffu;
	for (i = 0; i < 6; i++) {
		b[4 * i] = (uint8_t)w[i];
		b[4 * i + 1] = (uint8_t)(w[i] >> 8);
		b[4 * i + 2] = (uint8_t)(w[i] >> 16);
		b[4 * i + 3] = (uint8_t)(w[i] >> 24);
	}
	memcpy(b + 24, banner, bl);
	return 24 + bl;
}

bool
Sl_ident_adb(const uint8_t *p, size_t n, struct Sl_ident *id)
{
	uint32_t cmd, len, magic;

	memset(id, 0, sizeof(*id));
	if (p == NULL || n < 24)
		return false;
	cmd = Sl_get_le32(p);
	len = Sl_get_le32(p + 12);
	magic = Sl_get_le32(p + 20);
	if (magic != (cmd ^ 0xffffffffu) ||
	    (cmd != ADB_CNXN && cmd != ADB_AUTH && cmd != ADB_STLS))
		return false;
	snprintf(id->name, sizeof(id->name), "adb");
	if (cmd == ADB_CNXN) {
		/* UNTRUSTED: len is bounded by the bytes read. */
		size_t l = len < n - 24 ? len : n - 24;

		tputs(id->extra, sizeof(id->extra), "CNXN ");
		tput(id->extra, sizeof(id->extra), p + 24, l);
	} else {
		tputs(id->extra, sizeof(id->extra),
		      cmd == ADB_AUTH ? "AUTH: key required" : "STLS");
	}
	return true;
}

/* ---- Connections, plain or TLS ---- */

struct pctx {
	struct sl_scan *s;
	SSL_CTX *ctx;
	unsigned tmo;
	char hosthdr[300];   /* the Host header's host part */
	const char *sni;     /* a DNS name, or NULL */
	unsigned upnp_port;  /* from the SSDP LOCATION, or 0 */
	char upnp_path[128]; /* "/rootDesc.xml" */
	struct Sl_service **list;
	size_t nlist;
	size_t next; /* atomically taken */
};

struct conn {
	int fd;
	SSL *ssl;
	uint64_t end; /* deadline of the whole exchange, ms */
};

static unsigned
left_ms(const struct conn *k)
{
	uint64_t now = Sl_now_ms();

	return now >= k->end ? 0 : (unsigned)(k->end - now);
}

static bool
wait_io(int fd, short ev, unsigned ms)
{
	struct pollfd p = {.fd = fd, .events = ev};
	int r;

	do
		r = poll(&p, 1, (int)ms);
	while (r < 0 && errno == EINTR);
	return r > 0;
}

static void
conn_close(struct conn *k)
{
	if (k->ssl != NULL) {
		SSL_free(k->ssl);
		k->ssl = NULL;
	}
	if (k->fd >= 0)
		close(k->fd);
	k->fd = -1;
}

/* Connect to the service, with a TLS handshake when tls. */
static bool
conn_open(struct pctx *c, const struct Sl_service *v, bool tls, struct conn *k)
{
	k->ssl = NULL;
	k->end = Sl_now_ms() + 2 * (uint64_t)c->tmo;
	k->fd = Sl_tcp_connect(&c->s->dev->t, v->addr, v->pub.port, c->tmo);
	if (k->fd < 0)
		return false;
	if (!tls)
		return true;
	if (c->ctx == NULL || (k->ssl = SSL_new(c->ctx)) == NULL ||
	    SSL_set_fd(k->ssl, k->fd) != 1)
		goto fail;
	if (c->sni != NULL)
		(void)SSL_set_tlsext_host_name(k->ssl, c->sni);
	for (;;) {
		int r = SSL_connect(k->ssl), e;
		unsigned ms = left_ms(k);

		if (r == 1)
			return true;
		e = SSL_get_error(k->ssl, r);
		if (ms == 0 ||
		    (e != SSL_ERROR_WANT_READ && e != SSL_ERROR_WANT_WRITE))
			break;
		if (!wait_io(k->fd, e == SSL_ERROR_WANT_READ ? POLLIN : POLLOUT,
		             ms))
			break;
	}
fail:
	ERR_clear_error();
	conn_close(k);
	return false;
}

static bool
conn_write(struct conn *k, const void *b, size_t n)
{
	if (k->ssl == NULL)
		return Sl_io_write(k->fd, b, n, left_ms(k)) == 0;
	while (n > 0) {
		size_t w = 0;
		int r = SSL_write_ex(k->ssl, b, n, &w), e;
		unsigned ms = left_ms(k);

		if (r == 1) {
			b = (const uint8_t *)b + w;
			n -= w;
			continue;
		}
		e = SSL_get_error(k->ssl, r);
		if (ms == 0 ||
		    (e != SSL_ERROR_WANT_READ && e != SSL_ERROR_WANT_WRITE) ||
		    !wait_io(k->fd, e == SSL_ERROR_WANT_READ ? POLLIN : POLLOUT,
		             ms)) {
			ERR_clear_error();
			return false;
		}
	}
	return true;
}

/* Read once: up to n bytes within ms.  Count, 0 at close, -1 otherwise. */
static ssize_t
conn_read(struct conn *k, uint8_t *b, size_t n, unsigned ms)
{
	uint64_t end = Sl_now_ms() + ms;

	if (k->ssl == NULL)
		return Sl_io_read(k->fd, b, n, ms);
	for (;;) {
		size_t got = 0;
		int r = SSL_read_ex(k->ssl, b, n, &got), e;
		uint64_t now = Sl_now_ms();

		if (r == 1)
			return (ssize_t)got;
		e = SSL_get_error(k->ssl, r);
		if (e == SSL_ERROR_ZERO_RETURN)
			return 0;
		if (now >= end ||
		    (e != SSL_ERROR_WANT_READ && e != SSL_ERROR_WANT_WRITE) ||
		    !wait_io(k->fd, e == SSL_ERROR_WANT_READ ? POLLIN : POLLOUT,
		             (unsigned)(end - now))) {
			ERR_clear_error();
			return -1;
		}
	}
}

/*
 * Read into b (cap bytes) until needle (NULL: until close), cap, or ms.
 * Returns the bytes read.
 */
static size_t
conn_read_until(struct conn *k, uint8_t *b, size_t cap, const char *needle,
                unsigned ms)
{
	uint64_t end = Sl_now_ms() + ms;
	size_t n = 0;

	while (n < cap) {
		uint64_t now = Sl_now_ms();
		ssize_t r;

		if (now >= end)
			break;
		r = conn_read(k, b + n, cap - n, (unsigned)(end - now));
		if (r <= 0)
			break;
		n += (size_t)r;
		if (needle != NULL && memmem(b, n, needle, strlen(needle)))
			break;
	}
	return n;
}

/* ---- Recording ---- */

static void
set_ident(struct pctx *c, struct Sl_service *v, const struct Sl_ident *id,
          const char *banner)
{
	struct sl_scan *s = c->s;

	if (id->name[0])
		v->pub.name = Sl_dev_str(s, id->name);
	if (id->product[0]) {
		v->pub.product = Sl_dev_str(s, id->product);
		v->pub.version =
		    id->version[0] ? Sl_dev_str(s, id->version) : NULL;
	}
	if (banner != NULL && banner[0])
		v->pub.banner = Sl_dev_printable(s, banner, strlen(banner));
	if (v->pub.name == NULL)
		v->pub.name = "unknown";
}

static uint32_t
rnd32(void)
{
	uint32_t v;

	if (getrandom(&v, sizeof(v), GRND_NONBLOCK) != sizeof(v))
		v = (uint32_t)Sl_now_ms() * 2654435761u;
	return v;
}

/* ---- The probes ---- */

/* GET path over k; identify from the answer.  True when HTTP or RTSP. */
static bool
http_get(struct pctx *c, struct conn *k, unsigned port, const char *path,
         uint8_t *buf, size_t *n, struct Sl_ident *id)
{
	char req[640];
	int l;

	l = snprintf(req, sizeof(req),
	             "GET %s HTTP/1.1\r\nHost: %s:%u\r\nUser-Agent: "
	             "starlab/" SL_VERSION "\r\nAccept: */*\r\n"
	             "Connection: close\r\n\r\n",
	             path, c->hosthdr, port);
	if (l < 0 || (size_t)l >= sizeof(req) || !conn_write(k, req, (size_t)l))
		return false;
	*n = conn_read_until(k, buf, SL_PROBE_MAX_READ, NULL, left_ms(k));
	return Sl_ident_http(buf, *n, id);
}

static bool
probe_http(struct pctx *c, struct Sl_service *v, bool tls, uint8_t *buf)
{
	struct conn k;
	struct Sl_ident id;
	size_t n = 0;
	bool ok;
	char banner[320];

	if (!conn_open(c, v, tls, &k))
		return false;
	ok = http_get(c, &k, v->pub.port, "/", buf, &n, &id);
	conn_close(&k);
	if (!ok) {
		/* Keep what came back, for an unknown service's banner. */
		if (n > 0 && v->pub.banner == NULL)
			v->pub.banner =
			    Sl_dev_printable(c->s, buf, n < 128 ? n : 128);
		return false;
	}
	if (tls && strcmp(id.name, "http") == 0)
		snprintf(id.name, sizeof(id.name), "https");
	snprintf(banner, sizeof(banner), "%s", id.extra);
	if (id.product[0]) {
		tputs(banner, sizeof(banner), "; Server: ");
		tputs(banner, sizeof(banner), id.product);
		if (id.version[0]) {
			tputs(banner, sizeof(banner), "/");
			tputs(banner, sizeof(banner), id.version);
		}
	}
	set_ident(c, v, &id, banner);
	v->pub.tls = tls;
	if (id.auth[0] && id.status == 401) {
		v->auth = Sl_dev_str(c->s, id.auth);
		v->realm_path = "/";
	} else if (strcmp(id.auth, "form") == 0) {
		v->auth = "form";
	}
	return true;
}

/* UPnP description: at the SSDP LOCATION path, or /rootDesc.xml. */
static void
probe_upnp(struct pctx *c, struct Sl_service *v, uint8_t *buf)
{
	struct conn k;
	struct Sl_ident id, ux;
	size_t n = 0;
	const char *path = c->upnp_port == v->pub.port && c->upnp_path[0]
	                       ? c->upnp_path
	                       : "/rootDesc.xml";
	const uint8_t *body;
	char banner[320];

	if (!conn_open(c, v, v->pub.tls, &k))
		return;
	if (!http_get(c, &k, v->pub.port, path, buf, &n, &id) ||
	    id.status != 200) {
		conn_close(&k);
		return;
	}
	conn_close(&k);
	body = memmem(buf, n, "\r\n\r\n", 4);
	memset(&ux, 0, sizeof(ux));
	if (body == NULL || !Sl_ident_upnp(body, n - (size_t)(body - buf), &ux))
		return;
	v->pub.name = "upnp";
	snprintf(banner, sizeof(banner), "%s", ux.extra);
	if (id.product[0]) {
		tputs(banner, sizeof(banner), "; Server: ");
		tputs(banner, sizeof(banner), id.product);
		tputs(banner, sizeof(banner), "/");
		tputs(banner, sizeof(banner), id.version);
		v->pub.product = Sl_dev_str(c->s, id.product);
		v->pub.version =
		    id.version[0] ? Sl_dev_str(c->s, id.version) : NULL;
	}
	v->pub.banner = Sl_dev_printable(c->s, banner, strlen(banner));
}

static bool
probe_rtsp(struct pctx *c, struct Sl_service *v, uint8_t *buf)
{
	struct conn k;
	struct Sl_ident id;
	char req[400], banner[320];
	size_t n;
	int l;

	if (!conn_open(c, v, false, &k))
		return false;
	l = snprintf(req, sizeof(req),
	             "OPTIONS rtsp://%s:%u/ RTSP/1.0\r\nCSeq: 1\r\n"
	             "User-Agent: starlab/" SL_VERSION "\r\n\r\n",
	             c->hosthdr, v->pub.port);
	if (l < 0 || (size_t)l >= sizeof(req) ||
	    !conn_write(&k, req, (size_t)l)) {
		conn_close(&k);
		return false;
	}
	n = conn_read_until(&k, buf, SL_PROBE_MAX_READ, "\r\n\r\n",
	                    left_ms(&k));
	conn_close(&k);
	if (!Sl_ident_http(buf, n, &id) || strcmp(id.name, "rtsp") != 0)
		return false;
	snprintf(banner, sizeof(banner), "%s", id.extra);
	if (id.product[0]) {
		tputs(banner, sizeof(banner), "; Server: ");
		tputs(banner, sizeof(banner), id.product);
	}
	set_ident(c, v, &id, banner);
	return true;
}

static bool
probe_mqtt(struct pctx *c, struct Sl_service *v, bool tls, uint8_t *buf)
{
	static const uint8_t sub[] = {
	    0x82, 0x18, 0x00, 0x01, 0x00, 0x13, '$', 'S',  'Y',
	    'S',  '/',  'b',  'r',  'o',  'k',  'e', 'r',  '/',
	    'v',  'e',  'r',  's',  'i',  'o',  'n', 0x00,
	};
	static const uint8_t disc[] = {0xe0, 0x00};
	struct conn k;
	struct Sl_ident id = {0};
	uint8_t req[64];
	char banner[256], topic[64], payload[96];
	size_t n;
	int rc;

	if (!conn_open(c, v, tls, &k))
		return false;
	n = mqtt_connect(req, rnd32());
	if (!conn_write(&k, req, n)) {
		conn_close(&k);
		return false;
	}
	n = conn_read_until(&k, buf, 4, NULL, left_ms(&k));
	rc = Sl_mqtt_connack(buf, n);
	if (rc < 0) {
		conn_close(&k);
		return false;
	}
	snprintf(id.name, sizeof(id.name), "mqtt");
	snprintf(banner, sizeof(banner), "CONNACK rc=%d", rc);
	if (rc == 0 && conn_write(&k, sub, sizeof(sub))) {
		/* SUBACK, then the retained version (mosquitto). */
		n = conn_read_until(&k, buf, 2048, "version", left_ms(&k));
		if (Sl_mqtt_publish(buf, n, topic, sizeof(topic), payload,
		                    sizeof(payload)) &&
		    strcmp(topic, "$SYS/broker/version") == 0) {
			tputs(banner, sizeof(banner), "; ");
			tputs(banner, sizeof(banner), payload);
			(void)Sl_ident_product(payload, strlen(payload),
			                       id.product, sizeof(id.product),
			                       id.version, sizeof(id.version));
		}
		(void)conn_write(&k, disc, sizeof(disc));
	}
	conn_close(&k);
	set_ident(c, v, &id, banner);
	v->pub.tls = tls;
	return true;
}

static bool
probe_adb(struct pctx *c, struct Sl_service *v, uint8_t *buf)
{
	struct conn k;
	struct Sl_ident id;
	uint8_t req[64];
	size_t n;

	if (!conn_open(c, v, false, &k))
		return false;
	n = adb_cnxn(req);
	if (!conn_write(&k, req, n)) {
		conn_close(&k);
		return false;
	}
	n = conn_read_until(&k, buf, 1024, "ro.product", left_ms(&k));
	conn_close(&k);
	if (!Sl_ident_adb(buf, n, &id))
		return false;
	set_ident(c, v, &id, id.extra);
	return true;
}

/* Telnet: refuse every option until a prompt or silence; keep the text. */
static void
telnet_talk(struct conn *k, const uint8_t *first, size_t n, char *text,
            size_t tcap)
{
	uint8_t buf[1024], reply[192];
	size_t rl, t;
	unsigned round;

	text[0] = 0;
	t = telnet_filter(first, n, text, tcap, reply, sizeof(reply), &rl);
	for (round = 0; round < 8; round++) {
		ssize_t r;
		char more[512];

		if (rl > 0 && !conn_write(k, reply, rl))
			break;
		if (strstr(text, "ogin:") || strstr(text, "assword:") ||
		    strstr(text, "# ") || strstr(text, "$ "))
			break;
		if (left_ms(k) == 0)
			break;
		r = conn_read(k, buf, sizeof(buf), left_ms(k));
		if (r <= 0)
			break;
		(void)telnet_filter(buf, (size_t)r, more, sizeof(more), reply,
		                    sizeof(reply), &rl);
		tputs(text, tcap, more);
	}
	(void)t;
}

/* The protocols to ask, in order, for a port that sent no greeting. */
enum ask { A_TLS, A_HTTP, A_RTSP, A_MQTT, A_ADB, A_END };

static void
ask_order(unsigned port, enum ask *o)
{
	static const enum ask def[] = {A_TLS, A_HTTP, A_MQTT, A_RTSP, A_END};
	static const enum ask web[] = {A_HTTP, A_TLS, A_END};
	static const enum ask tls[] = {A_TLS, A_HTTP, A_END};
	static const enum ask rtsp[] = {A_RTSP, A_HTTP, A_END};
	static const enum ask mqtt[] = {A_MQTT, A_HTTP, A_END};
	static const enum ask adb[] = {A_ADB, A_END};
	const enum ask *src = def;

	switch (port) {
	case 80:
	case 8080:
	case 8000:
	case 8008:
	case 8081:
	case 81:
	case 1900:
	case 49152:
	case 5000:
	case 7547: src = web; break;
	case 443:
	case 8443:
	case 4443:
	case 8883:
	case 993:
	case 995: src = tls; break;
	case 554:
	case 8554: src = rtsp; break;
	case 1883: src = mqtt; break;
	case 5555: src = adb; break;
	}
	while ((*o++ = *src++) != A_END)
		;
}

/* Ports where the client speaks first: do not wait long for a greeting. */
static bool
client_first(unsigned port)
{
	switch (port) {
	case 80:
	case 81:
	case 443:
	case 554:
	case 1883:
	case 1900:
	case 5000:
	case 5555:
	case 7547:
	case 8000:
	case 8008:
	case 8080:
	case 8081:
	case 8443:
	case 8554:
	case 8883:
	case 49152: return true;
	}
	return false;
}

static void
identify(struct pctx *c, struct Sl_service *v, uint8_t *buf)
{
	struct sl_scan *s = c->s;
	struct conn k;
	struct Sl_ident id;
	enum ask order[8];
	size_t n = 0, i;
	unsigned wait =
	    client_first(v->pub.port) ? SL_PROBE_SHORT_WAIT : c->tmo;
	bool tls_ok = false;

	if (Sl_cancelled(s))
		return;
	/* 1. The greeting. */
	if (!conn_open(c, v, false, &k))
		return;
	n = conn_read_until(&k, buf, 512, "\n", wait);
	if (n > 0) {
		char banner[512];

		if (Sl_ident_greeting(buf, n, &id)) {
			if (strcmp(id.name, "telnet") == 0) {
				telnet_talk(&k, buf, n, banner, sizeof(banner));
				if (id.product[0] == 0)
					known_product((const uint8_t *)banner,
					              strlen(banner), &id);
			} else {
				size_t l = strcspn((const char *)buf, "\r\n");

				banner[0] = 0;
				tput(banner, sizeof(banner), buf,
				     l < n ? l : n);
			}
			set_ident(c, v, &id, banner);
		} else {
			v->pub.banner =
			    Sl_dev_printable(s, buf, n < 256 ? n : 256);
		}
		conn_close(&k);
		return;
	}
	conn_close(&k);
	/* 2. Ask. */
	ask_order(v->pub.port, order);
	for (i = 0; order[i] != A_END && !Sl_cancelled(s); i++) {
		bool done = false;

		switch (order[i]) {
		case A_TLS:
			if (!conn_open(c, v, true, &k))
				break;
			conn_close(&k);
			tls_ok = true;
			v->pub.tls = true;
			done = probe_http(c, v, true, buf) ||
			       probe_mqtt(c, v, true, buf);
			if (!done) {
				v->pub.name = "tls";
				done = true;
			}
			break;
		case A_HTTP: done = probe_http(c, v, false, buf); break;
		case A_RTSP: done = probe_rtsp(c, v, buf); break;
		case A_MQTT: done = probe_mqtt(c, v, false, buf); break;
		case A_ADB: done = probe_adb(c, v, buf); break;
		case A_END: break;
		}
		if (done)
			break;
	}
	(void)tls_ok;
	/* 3. UPnP. */
	if (v->pub.name != NULL &&
	    (strcmp(v->pub.name, "http") == 0 ||
	     strcmp(v->pub.name, "https") == 0) &&
	    (v->pub.port == 1900 || v->pub.port == 49152 ||
	     v->pub.port == 5000 || v->pub.port == c->upnp_port))
		probe_upnp(c, v, buf);
}

static void *
worker(void *arg)
{
	struct pctx *c = arg;
	uint8_t *buf = malloc(SL_PROBE_MAX_READ + 1);

	if (buf == NULL)
		return NULL;
	for (;;) {
		size_t i = __atomic_fetch_add(&c->next, 1, __ATOMIC_RELAXED);
		struct Sl_service *v;

		if (i >= c->nlist || Sl_cancelled(c->s))
			break;
		v = c->list[i];
		identify(c, v, buf);
		/*
		 * A port whose usual protocols (TLS, HTTP, MQTT ...) all
		 * failed on what it sent (TLS garbage, a broken reply):
		 * nothing judged it.  MQTT's 1883 is net.plaintext's to say.
		 */
		if ((v->pub.name == NULL ||
		     strcmp(v->pub.name, "unknown") == 0) &&
		    v->pub.banner != NULL && client_first(v->pub.port) &&
		    v->pub.port != 1883 && !Sl_cancelled(c->s))
			Sl_incomplete(
			    c->s,
			    "%s: tcp/%u: what it sent was none of the "
			    "protocols usual on this port (TLS, HTTP, "
			    "MQTT, RTSP): not identified, so no check "
			    "could judge it",
			    v->pub.address, v->pub.port);
		if (v->pub.product != NULL && v->pub.version != NULL)
			(void)Sl_component_add(
			    c->s, v->pub.product, v->pub.version,
			    SL_SRC_NETWORK, NULL, v->pub.address, v->pub.port);
		/* The progress line counts services as they are done. */
		Sl_progress_add(c->s, SL_STAGE_SERVICES, c->nlist, 1, 0);
	}
	free(buf);
	return NULL;
}

/*
 * The SSDP LOCATION the UDP probe saw, when it names one of the target's
 * own addresses: its port and path.  Any other host is ignored.
 */
static void
upnp_location(struct pctx *c)
{
	const struct Sl_service *u = Sl_service_find(c->s, IPPROTO_UDP, 1900);
	const struct Sl_target *t = &c->s->dev->t;
	const char *l, *h, *e, *slash;
	size_t i;
	unsigned long port;

	if (u == NULL || u->pub.banner == NULL ||
	    (l = strstr(u->pub.banner, "LOCATION: http://")) == NULL)
		return;
	h = l + strlen("LOCATION: http://");
	if (*h == '[') {
		h++;
		e = strchr(h, ']');
		if (e == NULL || e[1] != ':')
			return;
	} else {
		e = strchr(h, ':');
		if (e == NULL)
			return;
	}
	for (i = 0; i < t->naddr; i++)
		if (strlen(t->text[i]) == (size_t)(e - h) &&
		    strncmp(t->text[i], h, (size_t)(e - h)) == 0)
			break;
	if (i == t->naddr)
		return;
	e += *e == ']' ? 2 : 1;
	port = strtoul(e, (char **)&slash, 10);
	if (port == 0 || port > 65535 || *slash != '/')
		return;
	c->upnp_port = (unsigned)port;
	snprintf(c->upnp_path, sizeof(c->upnp_path), "%.*s",
	         (int)strcspn(slash, " ;"), slash);
}

/* Names for the services left unprobed (over SL_PROBE_MAX). */
static const char *
port_name(unsigned port)
{
	switch (port) {
	case 21: return "ftp";
	case 22: return "ssh";
	case 23: return "telnet";
	case 80: return "http";
	case 443: return "https";
	case 554: return "rtsp";
	case 1883: return "mqtt";
	case 5555: return "adb";
	}
	return "unknown";
}

sl_rc
Sl_probe_services(struct sl_scan *s)
{
	struct pctx c = {0};
	const struct Sl_target *t;
	size_t i, n, nth;

	if (s->dev == NULL)
		return Sl_fail(s, SL_E_USAGE, "no device opened");
	t = &s->dev->t;
	c.s = s;
	c.tmo = s->dev->o.timeout_ms ? s->dev->o.timeout_ms : SL_NET_TIMEOUT_MS;
	n = sl_service_count(s);
	c.list = calloc(n ? n : 1, sizeof(*c.list));
	if (c.list == NULL)
		return Sl_fail(s, SL_E_NOMEM, "out of memory");
	for (i = 0; i < n; i++) {
		struct Sl_service *v = s->dev->svc[i];

		if (v->ipproto != IPPROTO_TCP)
			continue;
		if (c.nlist < SL_PROBE_MAX)
			c.list[c.nlist++] = v;
		else
			v->pub.name = port_name(v->pub.port);
	}
	if (n > 0 && c.nlist == SL_PROBE_MAX)
		Sl_incomplete(s,
		              "%s: only the first %u open TCP ports were "
		              "identified",
		              t->host, SL_PROBE_MAX);
	/* The Host header: a name as given, an IPv6 literal in brackets. */
	if (strchr(t->host, ':') != NULL)
		snprintf(c.hosthdr, sizeof(c.hosthdr), "[%.256s]", t->host);
	else
		snprintf(c.hosthdr, sizeof(c.hosthdr), "%.256s", t->host);
	{
		struct in6_addr a6;

		if (inet_pton(AF_INET, t->host, &a6) != 1 &&
		    inet_pton(AF_INET6, t->host, &a6) != 1)
			c.sni = t->host;
	}
	upnp_location(&c);
	c.ctx = SSL_CTX_new(TLS_client_method());
	if (c.ctx != NULL) {
		/* Identify, not judge: accept every version and suite. */
		SSL_CTX_set_security_level(c.ctx, 0);
		(void)SSL_CTX_set_min_proto_version(c.ctx, TLS1_VERSION);
		(void)SSL_CTX_set_cipher_list(c.ctx, "ALL:@SECLEVEL=0");
		SSL_CTX_set_verify(c.ctx, SSL_VERIFY_NONE, NULL);
	}
	nth = c.nlist < SL_PROBE_THREADS ? c.nlist : SL_PROBE_THREADS;
	Sl_progress_begin(s, SL_STAGE_SERVICES, c.nlist);
	(void)Sl_pool_run((unsigned)nth, worker, &c, 0);
	Sl_progress(s, SL_STAGE_SERVICES, NULL, c.nlist, c.nlist, 0, true);
	if (Sl_cancelled(s))
		Sl_incomplete(s, "service identification cancelled by the "
		                 "user");
	SSL_CTX_free(c.ctx);
	free(c.list);
	return SL_OK;
}
