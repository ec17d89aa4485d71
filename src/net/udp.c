/*
 * udp.c - the UDP probes: one request per common IoT UDP service to every
 * target address, sent again once, and a parser per answer.
 *
 *	port  probe                                 open when
 *	  53  DNS query version.bind CH TXT         any DNS answer to our id
 *	 123  NTP mode 3 (client)                   a mode 4 answer echoing us
 *	 161  SNMP v2c GET sysDescr, "public"       a Response to our id
 *	1900  SSDP M-SEARCH, unicast to the host    an HTTP/1.x 200 answer
 *	5353  mDNS _services._dns-sd._udp.local PTR any DNS answer to our id
 *	5683  CoAP CON GET /.well-known/core        any CoAP answer to our id
 *	  69  TFTP RRQ of a file that cannot exist  any TFTP packet (ERROR)
 *	 137  NetBIOS NBSTAT query for "*"          an NBSTAT answer to our id
 *
 * A UDP port is only reported when something answered in that protocol:
 * silence means filtered or closed, and ICMP port unreachable (which a
 * connected UDP socket returns as ECONNREFUSED) means closed, at once.
 * TFTP servers answer from a new port, so that socket is not connected
 * and only datagrams from the target's own address are read; it asks
 * for ICMP errors (IP_RECVERR), so that port unreachable ends it at
 * once as well instead of two timeouts.
 *
 * Every answer is hostile.  The parsers use the bounded read cursor; DNS
 * names are followed through at most SL_UDP_MAX_JUMPS compression
 * pointers into at most 255 bytes; counts of records and names are capped;
 * banners are printable and bounded by struct Sl_udp_info.  The fuzz
 * target udp_fuzz.c runs every parser.  Why by hand: each protocol needs
 * one request and one answer; the libraries that exist (c-ares, libcoap,
 * net-snmp, libupnp) each bring a full client with its own event loop
 * and state, for a few dozen lines of parsing here.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include "../vuln/vuln.h"
#include "snmp.h"
#include "scope.h"
#include "stages.h"

/* Compression pointers followed in one DNS name. */
#define SL_UDP_MAX_JUMPS 16
/* Records of one DNS answer looked at. */
#define SL_UDP_MAX_RR 32
/* Bytes read of one datagram. */
#define SL_UDP_MAX_DGRAM 65536

static const unsigned udp_port[SL_UDP_NKINDS] = {
    [SL_UDP_DNS] = 53,    [SL_UDP_NTP] = 123,    [SL_UDP_SNMP] = 161,
    [SL_UDP_SSDP] = 1900, [SL_UDP_MDNS] = 5353,  [SL_UDP_COAP] = 5683,
    [SL_UDP_TFTP] = 69,   [SL_UDP_NBSTAT] = 137,
};

static const char *const udp_name[SL_UDP_NKINDS] = {
    [SL_UDP_DNS] = "dns",   [SL_UDP_NTP] = "ntp",
    [SL_UDP_SNMP] = "snmp", [SL_UDP_SSDP] = "ssdp",
    [SL_UDP_MDNS] = "mdns", [SL_UDP_COAP] = "coap",
    [SL_UDP_TFTP] = "tftp", [SL_UDP_NBSTAT] = "netbios-ns",
};

/* ---- Bounded text ---- */

/* Append n bytes to a NUL-terminated buffer of cap bytes, printable. */
static void
tput(char *dst, size_t cap, const void *src, size_t n)
{
	const uint8_t *p = src;
	size_t len = strnlen(dst, cap), i;

	if (cap == 0)
		return;
	for (i = 0; i < n && len + 1 < cap; i++) {
		uint8_t c = p[i];

		dst[len++] = c >= 0x20 && c < 0x7f ? (char)c : '.';
	}
	dst[len] = 0;
}

static void
tputs(char *dst, size_t cap, const char *str)
{
	tput(dst, cap, str, strlen(str));
}

static void
info_init(struct Sl_udp_info *in, enum Sl_udp_kind k)
{
	memset(in, 0, sizeof(*in));
	snprintf(in->name, sizeof(in->name), "%s", udp_name[k]);
}

/* ---- DNS (also mDNS and NetBIOS, which share its layout) ---- */

static void
put_be16(uint8_t *p, unsigned v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

/* Write a DNS header and one question; returns the length. */
static size_t
dns_query(uint8_t *b, size_t cap, unsigned id, unsigned flags,
          const char *const *labels, unsigned qtype, unsigned qclass)
{
	size_t n = 12, l;

	if (cap < 512)
		return 0;
	memset(b, 0, 12);
	put_be16(b, id);
	put_be16(b + 2, flags);
	put_be16(b + 4, 1);
	for (; *labels != NULL; labels++) {
		l = strlen(*labels);
		if (l > 63 || n + l + 1 + 5 > cap)
			return 0;
		b[n++] = (uint8_t)l;
		memcpy(b + n, *labels, l);
		n += l;
	}
	b[n++] = 0;
	put_be16(b + n, qtype);
	put_be16(b + n + 2, qclass);
	return n + 4;
}

/*
 * Read the DNS name at *off in msg (len bytes), following compression
 * pointers (at most SL_UDP_MAX_JUMPS, each to an earlier offset), into
 * out as dotted text (at most outlen - 1 bytes; always NUL-terminated).
 * *off moves past the name as it stands in the record.  False when
 * malformed.
 */
static bool
dns_name(const uint8_t *msg, size_t len, size_t *off, char *out, size_t outlen)
{
	size_t p = *off, total = 0, o = 0;
	unsigned jumps = 0;
	bool jumped = false;

	if (outlen > 0)
		out[0] = 0;
	for (;;) {
		uint8_t l;

		/* UNTRUSTED: every offset below is checked against len. */
		if (p >= len)
			return false;
		l = msg[p];
		if ((l & 0xc0) == 0xc0) {
			size_t to;

			if (p + 1 >= len || ++jumps > SL_UDP_MAX_JUMPS)
				return false;
			to = (size_t)(l & 0x3f) << 8 | msg[p + 1];
			/* Only backwards: no loops even within the cap. */
			if (to >= p)
				return false;
			if (!jumped)
				*off = p + 2;
			jumped = true;
			p = to;
			continue;
		}
		if (l & 0xc0)
			return false; /* the reserved label types */
		if (l == 0) {
			if (!jumped)
				*off = p + 1;
			return true;
		}
		if (p + 1 + l > len || (total += l + 1u) > 255)
			return false;
		if (o > 0 && o + 1 < outlen)
			out[o++] = '.';
		if (outlen > 0) {
			out[o] = 0;
			tput(out, outlen, msg + p + 1, l);
			o = strlen(out);
		}
		p += 1 + l;
	}
}

/* A DNS header: id, flags and the four counts. */
struct dns_hdr {
	unsigned id, flags, qd, an, ns, ar;
};

static bool
dns_header(struct Sl_rd *r, struct dns_hdr *h)
{
	h->id = Sl_rd_be16(r);
	h->flags = Sl_rd_be16(r);
	h->qd = Sl_rd_be16(r);
	h->an = Sl_rd_be16(r);
	h->ns = Sl_rd_be16(r);
	h->ar = Sl_rd_be16(r);
	return !r->bad;
}

static const char *
rcode_name(unsigned rc)
{
	static const char *const n[] = {"NOERROR",  "FORMERR", "SERVFAIL",
	                                "NXDOMAIN", "NOTIMP",  "REFUSED"};

	return rc < SL_ARRAY_LEN(n) ? n[rc] : "rcode";
}

/* Skip the question section; returns the offset after it, 0 if bad. */
static size_t
dns_skip_questions(const uint8_t *p, size_t n, unsigned qd)
{
	size_t off = 12;
	char tmp[8];
	unsigned i;

	for (i = 0; i < qd && i < SL_UDP_MAX_RR; i++) {
		if (!dns_name(p, n, &off, tmp, sizeof(tmp)) || off + 4 > n)
			return 0;
		off += 4;
	}
	return i < qd ? 0 : off;
}

/* One resource record's fixed part, after its name. */
struct dns_rr {
	unsigned type, cls;
	size_t rdoff, rdlen;
};

static bool
dns_rr(const uint8_t *p, size_t n, size_t *off, char *name, size_t nlen,
       struct dns_rr *rr)
{
	if (!dns_name(p, n, off, name, nlen) || *off + 10 > n)
		return false;
	rr->type = Sl_get_be16(p + *off);
	rr->cls = Sl_get_be16(p + *off + 2);
	rr->rdlen = Sl_get_be16(p + *off + 8);
	rr->rdoff = *off + 10;
	/* UNTRUSTED: rdlen must fit in what is left. */
	if (rr->rdlen > n - rr->rdoff)
		return false;
	*off = rr->rdoff + rr->rdlen;
	return true;
}

/* Product and version from a version.bind string. */
static void
dns_version(const char *v, struct Sl_udp_info *in)
{
	const char *d;

	if (strncmp(v, "dnsmasq-", 8) == 0) {
		snprintf(in->product, sizeof(in->product), "dnsmasq");
		snprintf(in->version, sizeof(in->version), "%.*s",
		         (int)strcspn(v + 8, " "), v + 8);
	} else if (strncmp(v, "unbound ", 8) == 0) {
		snprintf(in->product, sizeof(in->product), "unbound");
		snprintf(in->version, sizeof(in->version), "%.*s",
		         (int)strcspn(v + 8, " "), v + 8);
	} else if (v[0] >= '0' && v[0] <= '9' && (d = strchr(v, '.')) &&
	           d[1] >= '0' && d[1] <= '9') {
		/* BIND answers its bare version: "9.18.19-1~deb12u1-Debian". */
		snprintf(in->product, sizeof(in->product), "bind");
		snprintf(in->version, sizeof(in->version), "%.*s",
		         (int)strcspn(v, "-~ "), v);
	}
}

static bool
parse_dns(uint32_t xid, const uint8_t *p, size_t n, struct Sl_udp_info *in)
{
	struct Sl_rd r;
	struct dns_hdr h;
	size_t off;
	unsigned i;
	char name[256], b[64];

	Sl_rd_init(&r, p, n);
	if (!dns_header(&r, &h) || h.id != (xid & 0xffff) ||
	    !(h.flags & 0x8000))
		return false;
	snprintf(b, sizeof(b), "DNS %s", rcode_name(h.flags & 15));
	tputs(in->banner, sizeof(in->banner), b);
	off = dns_skip_questions(p, n, h.qd);
	if (off == 0)
		return true; /* an answer to our id, however odd */
	for (i = 0; i < h.an && i < SL_UDP_MAX_RR; i++) {
		struct dns_rr rr;

		if (!dns_rr(p, n, &off, name, sizeof(name), &rr))
			break;
		if (rr.type == 16 && rr.rdlen >= 1) {
			/* TXT: the first character-string. */
			size_t l = p[rr.rdoff];
			char v[128] = "";

			if (l > rr.rdlen - 1)
				l = rr.rdlen - 1;
			tput(v, sizeof(v), p + rr.rdoff + 1, l);
			tputs(in->banner, sizeof(in->banner),
			      ", version.bind: ");
			tputs(in->banner, sizeof(in->banner), v);
			dns_version(v, in);
			break;
		}
	}
	return true;
}

static bool
parse_mdns(uint32_t xid, const uint8_t *p, size_t n, struct Sl_udp_info *in)
{
	struct Sl_rd r;
	struct dns_hdr h;
	size_t off;
	unsigned i, total, shown = 0;
	char name[256], target[256];

	Sl_rd_init(&r, p, n);
	if (!dns_header(&r, &h) || !(h.flags & 0x8000))
		return false;
	/* Legacy unicast answers echo the id; some responders send 0. */
	if (h.id != (xid & 0xffff) && h.id != 0)
		return false;
	tputs(in->banner, sizeof(in->banner), "mDNS services:");
	off = dns_skip_questions(p, n, h.qd);
	if (off == 0)
		return true;
	total = h.an + h.ar;
	for (i = 0; i < total && i < SL_UDP_MAX_RR; i++) {
		struct dns_rr rr;
		size_t t;

		if (!dns_rr(p, n, &off, name, sizeof(name), &rr))
			break;
		if (rr.type != 12) /* PTR */
			continue;
		t = rr.rdoff;
		if (!dns_name(p, n, &t, target, sizeof(target)))
			continue;
		tputs(in->banner, sizeof(in->banner), shown ? ", " : " ");
		tputs(in->banner, sizeof(in->banner), target);
		shown++;
	}
	if (shown == 0)
		tputs(in->banner, sizeof(in->banner), " (none listed)");
	return true;
}

/* The NetBIOS name "*" in first-level encoding: '*' then 15 NULs. */
static size_t
nbstat_query(uint8_t *b, size_t cap, unsigned id)
{
	size_t n = 12, i;

	if (cap < 512)
		return 0;
	memset(b, 0, 12);
	put_be16(b, id);
	put_be16(b + 4, 1);
	b[n++] = 32;
	for (i = 0; i < 16; i++) {
		uint8_t c = i == 0 ? '*' : 0;

		b[n++] = (uint8_t)('A' + (c >> 4));
		b[n++] = (uint8_t)('A' + (c & 15));
	}
	b[n++] = 0;
	put_be16(b + n, 0x21); /* NBSTAT */
	put_be16(b + n + 2, 1);
	return n + 4;
}

static bool
parse_nbstat(uint32_t xid, const uint8_t *p, size_t n, struct Sl_udp_info *in)
{
	struct Sl_rd r;
	struct dns_hdr h;
	size_t off = 12, k, cnt;
	char name[128];
	struct dns_rr rr;
	const uint8_t *q;

	Sl_rd_init(&r, p, n);
	if (!dns_header(&r, &h) || h.id != (xid & 0xffff) ||
	    !(h.flags & 0x8000))
		return false;
	/* The answer section follows the header; no question is echoed. */
	if (h.qd > 0 && (off = dns_skip_questions(p, n, h.qd)) == 0)
		return false;
	if (h.an == 0 || !dns_rr(p, n, &off, name, sizeof(name), &rr) ||
	    rr.type != 0x21 || rr.rdlen < 1)
		return false;
	q = p + rr.rdoff;
	cnt = q[0];
	/* UNTRUSTED: the name count must fit in the record. */
	if (cnt > (rr.rdlen - 1) / 18)
		cnt = (rr.rdlen - 1) / 18;
	tputs(in->banner, sizeof(in->banner), "NetBIOS names:");
	for (k = 0; k < cnt; k++) {
		const uint8_t *e = q + 1 + 18 * k;
		size_t l = 15;
		char b[40] = "";

		while (l > 0 && (e[l - 1] == ' ' || e[l - 1] == 0))
			l--;
		tput(b, sizeof(b), e, l);
		snprintf(b + strlen(b), sizeof(b) - strlen(b), "<%02x>", e[15]);
		tputs(in->banner, sizeof(in->banner), k ? ", " : " ");
		tputs(in->banner, sizeof(in->banner), b);
	}
	if (rr.rdlen >= 1 + 18 * cnt + 6) {
		const uint8_t *m = q + 1 + 18 * cnt;
		char b[40];

		snprintf(b, sizeof(b), "; MAC %02x:%02x:%02x:%02x:%02x:%02x",
		         m[0], m[1], m[2], m[3], m[4], m[5]);
		tputs(in->banner, sizeof(in->banner), b);
	}
	return true;
}

/* ---- NTP ---- */

static size_t
ntp_query(uint8_t *b, size_t cap, uint32_t xid)
{
	if (cap < 48)
		return 0;
	memset(b, 0, 48);
	b[0] = 0x23; /* LI 0, version 4, mode 3 (client) */
	/* Our transmit timestamp carries the id; the server echoes it. */
	b[40] = (uint8_t)(xid >> 24);
	b[41] = (uint8_t)(xid >> 16);
	b[42] = (uint8_t)(xid >> 8);
	b[43] = (uint8_t)xid;
	b[44] = 0x5a;
	return 48;
}

static bool
parse_ntp(uint32_t xid, const uint8_t *p, size_t n, struct Sl_udp_info *in)
{
	unsigned mode, ver, stratum;
	char b[96], ref[24];

	if (n < 48)
		return false;
	mode = p[0] & 7;
	ver = p[0] >> 3 & 7;
	stratum = p[1];
	if (mode != 4 || Sl_get_be32(p + 24) != xid || p[28] != 0x5a)
		return false;
	if (stratum <= 1) {
		ref[0] = 0;
		tput(ref, 5, p + 12, strnlen((const char *)p + 12, 4));
	} else {
		snprintf(ref, sizeof(ref), "%u.%u.%u.%u", p[12], p[13], p[14],
		         p[15]);
	}
	snprintf(b, sizeof(b), "NTPv%u server, stratum %u, refid %s", ver,
	         stratum, ref);
	tputs(in->banner, sizeof(in->banner), b);
	return true;
}

/* ---- SSDP ---- */

/*
 * The value of header name (with its colon, case-insensitive) in an
 * HTTP-like head of n bytes, at most vlen - 1 bytes, printable.
 */
static bool
head_value(const uint8_t *p, size_t n, const char *name, char *v, size_t vlen)
{
	size_t nl = strlen(name), i = 0;

	v[0] = 0;
	while (i < n) {
		const uint8_t *eol = memchr(p + i, '\n', n - i);
		size_t e = eol ? (size_t)(eol - p) : n, s;

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

static size_t
ssdp_query(uint8_t *b, size_t cap, const char *host)
{
	int n;
	bool v6 = host != NULL && strchr(host, ':') != NULL;

	n = snprintf((char *)b, cap,
	             "M-SEARCH * HTTP/1.1\r\n"
	             "HOST: %s%.64s%s:1900\r\n"
	             "MAN: \"ssdp:discover\"\r\n"
	             "ST: ssdp:all\r\n"
	             "USER-AGENT: starlab/" SL_VERSION "\r\n\r\n",
	             v6 ? "[" : "", host ? host : "", v6 ? "]" : "");
	return n > 0 && (size_t)n < cap ? (size_t)n : 0;
}

static bool
parse_ssdp(const uint8_t *p, size_t n, struct Sl_udp_info *in)
{
	char server[128], loc[160];

	if (n < 12 || (memcmp(p, "HTTP/1.1 200", 12) != 0 &&
	               memcmp(p, "HTTP/1.0 200", 12) != 0))
		return false;
	tputs(in->banner, sizeof(in->banner), "SSDP");
	if (head_value(p, n, "SERVER:", server, sizeof(server))) {
		tputs(in->banner, sizeof(in->banner), "; SERVER: ");
		tputs(in->banner, sizeof(in->banner), server);
		(void)Sl_ident_server(server, strlen(server), in->product,
		                      sizeof(in->product), in->version,
		                      sizeof(in->version));
	}
	if (head_value(p, n, "LOCATION:", loc, sizeof(loc))) {
		tputs(in->banner, sizeof(in->banner), "; LOCATION: ");
		tputs(in->banner, sizeof(in->banner), loc);
	}
	return true;
}

/* ---- CoAP ---- */

static size_t
coap_query(uint8_t *b, size_t cap, uint32_t xid)
{
	static const char wk[] = ".well-known", core[] = "core";
	size_t n = 0;

	if (cap < 32)
		return 0;
	b[n++] = 0x40; /* version 1, CON, no token */
	b[n++] = 0x01; /* GET */
	put_be16(b + n, xid & 0xffff);
	n += 2;
	b[n++] = 0xb0 | (sizeof(wk) - 1); /* Uri-Path (11) */
	memcpy(b + n, wk, sizeof(wk) - 1);
	n += sizeof(wk) - 1;
	b[n++] = 0x00 | (sizeof(core) - 1); /* Uri-Path again */
	memcpy(b + n, core, sizeof(core) - 1);
	n += sizeof(core) - 1;
	return n;
}

/* A CoAP option's delta or length nibble with its extension bytes. */
static bool
coap_ext(struct Sl_rd *r, unsigned nib, unsigned *v)
{
	if (nib < 13)
		*v = nib;
	else if (nib == 13)
		*v = 13u + Sl_rd_u8(r);
	else if (nib == 14)
		*v = 269u + Sl_rd_be16(r);
	else
		return false;
	return !r->bad;
}

static bool
parse_coap(uint32_t xid, const uint8_t *p, size_t n, struct Sl_udp_info *in)
{
	struct Sl_rd r;
	unsigned type, tkl, code, mid, k;
	char b[64];

	if (n < 4 || p[0] >> 6 != 1)
		return false;
	type = p[0] >> 4 & 3;
	tkl = p[0] & 15;
	code = p[1];
	mid = Sl_get_be16(p + 2);
	/* An ACK or RST must carry our message id. */
	if (tkl > 8 || ((type == 2 || type == 3) && mid != (xid & 0xffff)))
		return false;
	snprintf(b, sizeof(b), "CoAP %s %u.%02u", type == 3 ? "RST" : "reply",
	         code >> 5, code & 31);
	tputs(in->banner, sizeof(in->banner), b);
	Sl_rd_init(&r, p + 4, n - 4);
	Sl_rd_skip(&r, tkl);
	/* Options, bounded by their count and by the datagram. */
	for (k = 0; k < 64 && r.left > 0 && !r.bad; k++) {
		uint8_t o = r.p[0];
		unsigned delta, len;

		if (o == 0xff) {
			Sl_rd_skip(&r, 1);
			tputs(in->banner, sizeof(in->banner), ": ");
			tput(in->banner, sizeof(in->banner), r.p, r.left);
			break;
		}
		Sl_rd_skip(&r, 1);
		if (!coap_ext(&r, o >> 4, &delta) ||
		    !coap_ext(&r, o & 15, &len))
			break;
		(void)delta;
		Sl_rd_skip(&r, len);
	}
	return true;
}

/* ---- TFTP ---- */

static size_t
tftp_query(uint8_t *b, size_t cap, uint32_t xid)
{
	int n;

	if (cap < 64)
		return 0;
	b[0] = 0;
	b[1] = 1; /* RRQ */
	n = snprintf((char *)b + 2, cap - 2, "starlab-probe-%08x.none", xid);
	if (n < 0 || (size_t)n + 2 + 1 + 6 > cap)
		return 0;
	n += 3;
	memcpy(b + n, "octet", 6);
	return (size_t)n + 6;
}

static bool
parse_tftp(const uint8_t *p, size_t n, struct Sl_udp_info *in)
{
	unsigned op;
	char b[48];

	if (n < 4)
		return false;
	op = Sl_get_be16(p);
	switch (op) {
	case 5: /* ERROR code message */
		snprintf(b, sizeof(b), "TFTP error %u: ", Sl_get_be16(p + 2));
		tputs(in->banner, sizeof(in->banner), b);
		tput(in->banner, sizeof(in->banner), p + 4,
		     strnlen((const char *)p + 4, n - 4));
		return true;
	case 3: /* DATA: it served a file by a name that cannot exist */
		tputs(in->banner, sizeof(in->banner),
		      "TFTP DATA for a nonexistent file name");
		return true;
	case 6: /* OACK */
		tputs(in->banner, sizeof(in->banner), "TFTP OACK");
		return true;
	}
	return false;
}

/* ---- The table ---- */

size_t
Sl_udp_request(enum Sl_udp_kind kind, uint32_t xid, const char *host,
               uint8_t *buf, size_t cap)
{
	static const char *const vb[] = {"version", "bind", NULL};
	static const char *const sd[] = {"_services", "_dns-sd", "_udp",
	                                 "local", NULL};

	switch (kind) {
	case SL_UDP_DNS: return dns_query(buf, cap, xid & 0xffff, 0, vb, 16, 3);
	case SL_UDP_NTP: return ntp_query(buf, cap, xid);
	case SL_UDP_SNMP:
		return Sl_snmp_encode_get(buf, cap, SL_SNMP_V2C, "public",
		                          (int32_t)(xid & 0x7fffffff),
		                          SL_SNMP_SYSDESCR);
	case SL_UDP_SSDP: return ssdp_query(buf, cap, host);
	case SL_UDP_MDNS:
		return dns_query(buf, cap, xid & 0xffff, 0, sd, 12, 1);
	case SL_UDP_COAP: return coap_query(buf, cap, xid);
	case SL_UDP_TFTP: return tftp_query(buf, cap, xid);
	case SL_UDP_NBSTAT: return nbstat_query(buf, cap, xid & 0xffff);
	case SL_UDP_NKINDS: break;
	}
	return 0;
}

bool
Sl_udp_parse(enum Sl_udp_kind kind, uint32_t xid, const uint8_t *p, size_t n,
             struct Sl_udp_info *in)
{
	int32_t reqid = (int32_t)(xid & 0x7fffffff);
	char v[200];

	if ((unsigned)kind >= SL_UDP_NKINDS)
		return false;
	info_init(in, kind);
	if (p == NULL)
		return false;
	switch (kind) {
	case SL_UDP_DNS: return parse_dns(xid, p, n, in);
	case SL_UDP_NTP: return parse_ntp(xid, p, n, in);
	case SL_UDP_SNMP:
		if (Sl_snmp_parse(p, n, &reqid, v, sizeof(v)) != 1)
			return false;
		tputs(in->banner, sizeof(in->banner), "sysDescr: ");
		tputs(in->banner, sizeof(in->banner), v);
		return true;
	case SL_UDP_SSDP: return parse_ssdp(p, n, in);
	case SL_UDP_MDNS: return parse_mdns(xid, p, n, in);
	case SL_UDP_COAP: return parse_coap(xid, p, n, in);
	case SL_UDP_TFTP: return parse_tftp(p, n, in);
	case SL_UDP_NBSTAT: return parse_nbstat(xid, p, n, in);
	case SL_UDP_NKINDS: break;
	}
	return false;
}

size_t
Sl_udp_ports(unsigned *out, size_t max)
{
	size_t i;

	for (i = 0; i < SL_UDP_NKINDS && i < max; i++)
		out[i] = udp_port[i];
	return i;
}

/* ---- The exchange ---- */

/* Sends of one probe at most, and the longest gap between them. */
#define UDP_SENDS     3
#define UDP_RESEND_MS 1000

struct probe {
	enum Sl_udp_kind kind;
	size_t addr;
	int fd;
	uint32_t xid;
	uint8_t req[512];
	size_t qlen;
	unsigned sent;
	bool done;
};

/* Does the datagram's source equal target address a (any port)? */
static bool
from_target(const struct Sl_target *t, size_t a,
            const struct sockaddr_storage *from)
{
	if (from->ss_family != t->addr[a].ss_family)
		return false;
	if (from->ss_family == AF_INET)
		return memcmp(
		           &((const struct sockaddr_in *)from)->sin_addr,
		           &((const struct sockaddr_in *)&t->addr[a])->sin_addr,
		           sizeof(struct in_addr)) == 0;
	return memcmp(&((const struct sockaddr_in6 *)from)->sin6_addr,
	              &((const struct sockaddr_in6 *)&t->addr[a])->sin6_addr,
	              sizeof(struct in6_addr)) == 0;
}

static int
probe_open(const struct Sl_target *t, struct probe *pr)
{
	unsigned port = udp_port[pr->kind];
	int fd, on = 1;

	if (pr->kind != SL_UDP_TFTP)
		return Sl_udp_socket(t, pr->addr, port);
	/* TFTP answers from a new port: not connected, filtered by address. */
	fd = socket(t->addr[pr->addr].ss_family,
	            SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd >= 0) {
		/*
		 * An unconnected socket hears of ICMP errors only when it
		 * asks; the error is then read (as ECONNREFUSED) by the next
		 * recvfrom.  Only our RRQ to the target was sent from it.
		 */
		if (t->addr[pr->addr].ss_family == AF_INET)
			(void)setsockopt(fd, IPPROTO_IP, IP_RECVERR, &on,
			                 sizeof(on));
		else
			(void)setsockopt(fd, IPPROTO_IPV6, IPV6_RECVERR, &on,
			                 sizeof(on));
	}
	return fd;
}

static void
probe_send(const struct Sl_target *t, struct probe *pr)
{
	struct sockaddr_storage ss;

	if (pr->kind != SL_UDP_TFTP) {
		(void)send(pr->fd, pr->req, pr->qlen, MSG_NOSIGNAL);
		return;
	}
	memcpy(&ss, &t->addr[pr->addr], t->alen[pr->addr]);
	if (ss.ss_family == AF_INET)
		((struct sockaddr_in *)&ss)->sin_port = htons(69);
	else
		((struct sockaddr_in6 *)&ss)->sin6_port = htons(69);
	(void)sendto(pr->fd, pr->req, pr->qlen, MSG_NOSIGNAL,
	             (struct sockaddr *)&ss, t->alen[pr->addr]);
}

static void
record(struct sl_scan *s, const struct probe *pr, const struct Sl_udp_info *in)
{
	struct Sl_service *v;

	v = Sl_service_add(s, IPPROTO_UDP, pr->addr, udp_port[pr->kind]);
	if (v == NULL) {
		Sl_incomplete(s,
		              "%s: udp/%u answered but was not kept: out "
		              "of memory or over %u services",
		              s->dev->t.text[pr->addr], udp_port[pr->kind],
		              SL_NET_MAX_SERVICES);
		return;
	}
	v->pub.name = Sl_dev_str(s, in->name);
	v->pub.banner = Sl_dev_str(s, in->banner);
	if (in->product[0]) {
		v->pub.product = Sl_dev_str(s, in->product);
		if (in->version[0])
			v->pub.version = Sl_dev_str(s, in->version);
	}
	if (v->pub.name == NULL)
		v->pub.name = "unknown";
	if (v->pub.product && v->pub.version)
		(void)Sl_component_add(s, v->pub.product, v->pub.version,
		                       SL_SRC_NETWORK, NULL, v->pub.address,
		                       v->pub.port);
}

static uint32_t
random_xid(void)
{
	uint32_t v;

	if (getrandom(&v, sizeof(v), GRND_NONBLOCK) != sizeof(v)) {
		struct timespec ts;

		clock_gettime(CLOCK_MONOTONIC, &ts);
		v = (uint32_t)ts.tv_nsec * 2654435761u ^ (uint32_t)getpid();
	}
	return v;
}

/* Read what arrived on pr's socket; true when it is finished. */
static bool
probe_read(struct sl_scan *s, struct probe *pr, uint8_t *buf)
{
	const struct Sl_target *t = &s->dev->t;
	struct Sl_udp_info in;
	unsigned k;

	/* A few datagrams per wake-up; stray ones are dropped. */
	for (k = 0; k < 8; k++) {
		struct sockaddr_storage from;
		socklen_t fl = sizeof(from);
		ssize_t got;

		got = recvfrom(pr->fd, buf, SL_UDP_MAX_DGRAM, 0,
		               (struct sockaddr *)&from, &fl);
		if (got < 0) {
			if (errno == EAGAIN || errno == EWOULDBLOCK ||
			    errno == EINTR)
				return false;
			/*
			 * ECONNREFUSED: ICMP port unreachable, closed.  (The
			 * error queue of an IP_RECVERR socket is left: it is
			 * closed next.)
			 */
			return true;
		}
		if (pr->kind == SL_UDP_TFTP && !from_target(t, pr->addr, &from))
			continue;
		/* UNTRUSTED: got bytes from the device. */
		if (Sl_udp_parse(pr->kind, pr->xid, buf, (size_t)got, &in)) {
			record(s, pr, &in);
			return true;
		}
	}
	return false;
}

sl_rc
Sl_udp_scan(struct sl_scan *s)
{
	const struct Sl_target *t;
	struct probe *pr;
	struct pollfd *pf;
	uint8_t *buf;
	size_t np = 0, i, open = 0;
	unsigned tmo, gap;
	uint64_t start, end;
	int k;

	if (s->dev == NULL)
		return Sl_fail(s, SL_E_USAGE, "no device opened");
	t = &s->dev->t;
	tmo = s->dev->o.timeout_ms ? s->dev->o.timeout_ms : SL_NET_TIMEOUT_MS;
	pr = calloc(t->naddr * SL_UDP_NKINDS, sizeof(*pr));
	pf = calloc(t->naddr * SL_UDP_NKINDS, sizeof(*pf));
	buf = malloc(SL_UDP_MAX_DGRAM);
	if (pr == NULL || pf == NULL || buf == NULL) {
		free(pr);
		free(pf);
		free(buf);
		return Sl_fail(s, SL_E_NOMEM, "out of memory");
	}
	for (i = 0; i < t->naddr; i++)
		for (k = 0; k < SL_UDP_NKINDS; k++) {
			struct probe *p = &pr[np];

			p->kind = (enum Sl_udp_kind)k;
			p->addr = i;
			p->xid = random_xid();
			p->qlen = Sl_udp_request(p->kind, p->xid, t->host,
			                         p->req, sizeof(p->req));
			p->fd = p->qlen ? probe_open(t, p) : -1;
			if (p->fd < 0) {
				Sl_incomplete(s,
				              "%s: udp/%u (%s) not probed: "
				              "%s",
				              t->text[i], udp_port[p->kind],
				              udp_name[p->kind],
				              strerror(errno));
				continue;
			}
			probe_send(t, p);
			p->sent = 1;
			open++;
			np++;
		}
	/*
	 * Every probe is in flight at once: send at start, again every
	 * gap without an answer, give up at 2 tmo.  The gap is at most a
	 * second: Linux sends one ICMP error a second to a host after a
	 * burst of 6 (net.ipv4.icmp_ratelimit), so past the burst a closed
	 * port is told only to a probe sent again a second later.
	 */
	gap = tmo < UDP_RESEND_MS ? tmo : UDP_RESEND_MS;
	start = Sl_now_ms();
	end = start + 2 * (uint64_t)tmo;
	while (open > 0 && !Sl_cancelled(s)) {
		uint64_t now = Sl_now_ms(), wake;
		size_t n = 0;

		if (now >= end)
			break;
		wake = end;
		for (i = 0; i < np; i++) {
			uint64_t next;

			if (pr[i].done)
				continue;
			next = start + (uint64_t)pr[i].sent * gap;
			if (pr[i].sent < UDP_SENDS && now >= next) {
				pr[i].sent++;
				probe_send(t, &pr[i]);
				next += gap;
			}
			if (pr[i].sent < UDP_SENDS && next < wake)
				wake = next;
			pf[n].fd = pr[i].fd;
			pf[n].events = POLLIN;
			pf[n].revents = 0;
			n++;
		}
		k = poll(pf, n, (int)(wake - now > 100 ? 100 : wake - now));
		if (k <= 0)
			continue;
		for (i = 0, n = 0; i < np; i++) {
			if (pr[i].done)
				continue;
			if (pf[n++].revents == 0)
				continue;
			if (probe_read(s, &pr[i], buf)) {
				pr[i].done = true;
				open--;
			}
		}
	}
	if (Sl_cancelled(s))
		Sl_incomplete(s, "UDP probes cancelled by the user");
	for (i = 0; i < np; i++)
		close(pr[i].fd);
	free(pr);
	free(pf);
	free(buf);
	return SL_OK;
}
