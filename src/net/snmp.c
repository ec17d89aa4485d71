/*
 * snmp.c - one SNMP v1/v2c GET, with the BER encoder and decoder it needs.
 *
 * The request is built here byte by byte; the answer is decoded with the
 * bounded read cursor (Sl_rd).  The answer comes from the device and is
 * hostile: every tag and length is checked against what is left of its
 * enclosing value, long-form lengths are limited to four bytes, tags must
 * be single-byte, OIDs to SL_SNMP_MAX_ARCS arcs of 32 bits, and the value
 * is copied out truncated to the caller's buffer.  Nothing recurses.
 *
 * Why not net-snmp's library: it reads configuration and MIB files at
 * init_snmp(), keeps process-wide state, and its session API is not safe
 * to use from the several threads that try communities in parallel.  One
 * GET of one OID is about 300 lines, and this decoder is fuzzed
 * (snmp_fuzz.c).
 *
 * The message, as BER (RFC 3416, RFC 1157):
 *
 *	SEQUENCE {
 *	  INTEGER version            -- 0 v1, 1 v2c
 *	  OCTET STRING community
 *	  [0] GetRequest / [2] Response {
 *	    INTEGER request-id
 *	    INTEGER error-status
 *	    INTEGER error-index
 *	    SEQUENCE { SEQUENCE { OID name, ANY value } }
 *	  }
 *	}
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include "snmp.h"

#define T_INT            0x02
#define T_OCTETS         0x04
#define T_NULL           0x05
#define T_OID            0x06
#define T_SEQ            0x30
#define T_GET            0xa0
#define T_RESPONSE       0xa2
#define T_IPADDR         0x40
#define T_COUNTER32      0x41
#define T_GAUGE32        0x42
#define T_TIMETICKS      0x43
#define T_OPAQUE         0x44
#define T_COUNTER64      0x46
#define T_NOSUCHOBJECT   0x80
#define T_NOSUCHINSTANCE 0x81
#define T_ENDOFMIBVIEW   0x82

/* Bytes of the largest request: a long community and a long OID. */
#define SNMP_MAX_REQUEST 1024
/* Bytes read of one answer (the largest UDP payload). */
#define SNMP_MAX_ANSWER 65536

/* ---- Encoder ---- */

/* An output buffer that remembers that it overflowed. */
struct wb {
	uint8_t *p;
	size_t n, cap;
	bool bad;
};

static void
wb_put(struct wb *w, const void *p, size_t n)
{
	if (w->bad || n > w->cap - w->n) {
		w->bad = true;
		return;
	}
	memcpy(w->p + w->n, p, n);
	w->n += n;
}

static void
wb_len(struct wb *w, size_t len)
{
	uint8_t b[3];

	if (len < 0x80) {
		b[0] = (uint8_t)len;
		wb_put(w, b, 1);
	} else if (len < 0x100) {
		b[0] = 0x81;
		b[1] = (uint8_t)len;
		wb_put(w, b, 2);
	} else if (len < 0x10000) {
		b[0] = 0x82;
		b[1] = (uint8_t)(len >> 8);
		b[2] = (uint8_t)len;
		wb_put(w, b, 3);
	} else {
		w->bad = true;
	}
}

/* Append tag, length and the content of inner. */
static void
wb_tlv(struct wb *w, uint8_t tag, const void *p, size_t n)
{
	wb_put(w, &tag, 1);
	wb_len(w, n);
	wb_put(w, p, n);
}

/* Append an INTEGER in its shortest two's-complement form. */
static void
wb_int(struct wb *w, int32_t v)
{
	uint8_t b[4];
	size_t i = 0;
	uint32_t u = (uint32_t)v;

	b[0] = (uint8_t)(u >> 24);
	b[1] = (uint8_t)(u >> 16);
	b[2] = (uint8_t)(u >> 8);
	b[3] = (uint8_t)u;
	while (i < 3 && ((b[i] == 0 && !(b[i + 1] & 0x80)) ||
	                 (b[i] == 0xff && (b[i + 1] & 0x80))))
		i++;
	wb_tlv(w, T_INT, b + i, 4 - i);
}

/*
 * Encode a dotted OID's content octets.  The first two arcs share one
 * sub-identifier (40 * a + b); every arc is base 128, high bit set on all
 * but the last byte.  Returns the length, 0 when the OID is malformed.
 */
static size_t
oid_encode(const char *dotted, uint8_t *out, size_t cap)
{
	uint32_t arcs[SL_SNMP_MAX_ARCS];
	size_t narc = 0, n = 0, i;
	const char *p = dotted;

	if (dotted == NULL)
		return 0;
	while (*p) {
		uint64_t v = 0;
		size_t digits = 0;

		while (*p >= '0' && *p <= '9' && digits < 11) {
			v = v * 10 + (uint64_t)(*p++ - '0');
			digits++;
		}
		if (digits == 0 || v > UINT32_MAX || narc == SL_SNMP_MAX_ARCS)
			return 0;
		arcs[narc++] = (uint32_t)v;
		if (*p == '.' && p[1] != 0)
			p++;
		else if (*p != 0)
			return 0;
	}
	if (narc < 2 || arcs[0] > 2 || (arcs[0] < 2 && arcs[1] > 39) ||
	    arcs[1] > UINT32_MAX - 80)
		return 0;
	arcs[1] += arcs[0] * 40;
	for (i = 1; i < narc; i++) {
		uint8_t tmp[5];
		size_t k = 0;
		uint32_t v = arcs[i];

		do {
			tmp[k++] = (uint8_t)(v & 0x7f);
			v >>= 7;
		} while (v != 0);
		if (k > cap - n)
			return 0;
		while (k > 0) {
			k--;
			out[n++] = (uint8_t)(tmp[k] | (k > 0 ? 0x80 : 0));
		}
	}
	return n;
}

size_t
Sl_snmp_encode_get(uint8_t *buf, size_t cap, int version, const char *community,
                   int32_t reqid, const char *oid_dotted)
{
	uint8_t oid[SL_SNMP_MAX_ARCS * 5], vb[512], vbl[520], pdu[560];
	uint8_t msg[SNMP_MAX_REQUEST];
	struct wb w;
	size_t olen, clen;
	static const uint8_t null_value[2] = {T_NULL, 0};

	if (buf == NULL || community == NULL ||
	    (version != SL_SNMP_V1 && version != SL_SNMP_V2C))
		return 0;
	clen = strlen(community);
	if (clen > SL_SNMP_MAX_COMMUNITY)
		return 0;
	olen = oid_encode(oid_dotted, oid, sizeof(oid));
	if (olen == 0)
		return 0;

	/* VarBind ::= SEQUENCE { name OID, value NULL } */
	w = (struct wb){.p = vb, .cap = sizeof(vb)};
	wb_tlv(&w, T_OID, oid, olen);
	wb_put(&w, null_value, sizeof(null_value));
	if (w.bad)
		return 0;
	olen = w.n;

	w = (struct wb){.p = vbl, .cap = sizeof(vbl)};
	wb_tlv(&w, T_SEQ, vb, olen);
	if (w.bad)
		return 0;
	olen = w.n;

	/* The PDU's content: request-id, error-status, error-index, list. */
	w = (struct wb){.p = pdu, .cap = sizeof(pdu)};
	wb_int(&w, reqid);
	wb_int(&w, 0);
	wb_int(&w, 0);
	wb_tlv(&w, T_SEQ, vbl, olen);
	if (w.bad)
		return 0;
	olen = w.n;

	/* The message's content: version, community, the PDU. */
	w = (struct wb){.p = msg, .cap = sizeof(msg)};
	wb_int(&w, version);
	wb_tlv(&w, T_OCTETS, community, clen);
	wb_tlv(&w, T_GET, pdu, olen);
	if (w.bad)
		return 0;
	olen = w.n;

	w = (struct wb){.p = buf, .cap = cap};
	wb_tlv(&w, T_SEQ, msg, olen);
	return w.bad ? 0 : w.n;
}

/* ---- Decoder ---- */

/*
 * Read one TLV: a single-byte tag, a definite length of at most four
 * bytes, and that many bytes of value, all within r.  Leaves r after the
 * value.  False (r marked bad) on anything else.
 */
static bool
ber_tlv(struct Sl_rd *r, uint8_t *tag, struct Sl_rd *val)
{
	uint8_t b;
	size_t len;
	const uint8_t *p;

	*tag = Sl_rd_u8(r);
	if ((*tag & 0x1f) == 0x1f)
		r->bad = true; /* high-tag-number form: never in SNMP */
	b = Sl_rd_u8(r);
	if (r->bad)
		return false;
	if (b < 0x80) {
		len = b;
	} else {
		size_t nb = b & 0x7f, i;

		/* 0x80 is the indefinite form, which BER for SNMP forbids. */
		if (nb == 0 || nb > 4) {
			r->bad = true;
			return false;
		}
		len = 0;
		for (i = 0; i < nb; i++)
			len = len << 8 | Sl_rd_u8(r);
	}
	/* UNTRUSTED: len comes from the device; Sl_rd_bytes bounds it. */
	p = Sl_rd_bytes(r, len);
	if (p == NULL)
		return false;
	Sl_rd_init(val, p, len);
	return true;
}

/* Read a TLV that must have tag want. */
static bool
ber_expect(struct Sl_rd *r, uint8_t want, struct Sl_rd *val)
{
	uint8_t tag;

	if (!ber_tlv(r, &tag, val))
		return false;
	if (tag != want) {
		r->bad = true;
		return false;
	}
	return true;
}

/* An INTEGER of at most 8 content bytes, sign-extended. */
static bool
ber_int(struct Sl_rd *r, int64_t *v)
{
	struct Sl_rd val;
	uint64_t u;
	size_t i;

	if (!ber_expect(r, T_INT, &val))
		return false;
	if (val.left == 0 || val.left > 8) {
		r->bad = true;
		return false;
	}
	u = (val.p[0] & 0x80) ? UINT64_MAX : 0;
	for (i = 0; i < val.left; i++)
		u = u << 8 | val.p[i];
	*v = (int64_t)u;
	return true;
}

/* Bounded string output: appends, always NUL-terminated, never overflows. */
struct sout {
	char *p;
	size_t n, cap;
};

static void
so_putc(struct sout *o, char c)
{
	if (o->cap > 0 && o->n + 1 < o->cap) {
		o->p[o->n++] = c;
		o->p[o->n] = 0;
	}
}

static void
so_puts(struct sout *o, const char *str)
{
	while (*str)
		so_putc(o, *str++);
}

static void
so_u64(struct sout *o, uint64_t v)
{
	char b[24];

	snprintf(b, sizeof(b), "%llu", (unsigned long long)v);
	so_puts(o, b);
}

/* Render OID content octets as dotted text; false when malformed. */
static bool
oid_text(const uint8_t *p, size_t n, struct sout *o)
{
	size_t i, arcs = 0;
	uint64_t v = 0;
	unsigned nbytes = 0;

	if (n == 0)
		return false;
	for (i = 0; i < n; i++) {
		/* A leading 0x80 is a non-minimal encoding; tolerate it. */
		v = v << 7 | (p[i] & 0x7f);
		if (++nbytes > 5 || v > UINT32_MAX + 80ULL)
			return false;
		if (p[i] & 0x80)
			continue;
		if (arcs == SL_SNMP_MAX_ARCS)
			return false;
		if (arcs == 0) {
			uint64_t a = v < 80 ? v / 40 : 2;

			so_u64(o, a);
			so_putc(o, '.');
			so_u64(o, v - a * 40);
			arcs = 2;
		} else {
			so_putc(o, '.');
			so_u64(o, v);
			arcs++;
		}
		v = 0;
		nbytes = 0;
	}
	return nbytes == 0; /* the last byte must end an arc */
}

/* Render one varbind value as printable text. */
static void
value_text(uint8_t tag, const struct Sl_rd *val, struct sout *o)
{
	size_t i;
	uint64_t u = 0;

	switch (tag) {
	case T_OCTETS:
	case T_OPAQUE:
		/* UNTRUSTED: bounded by val->left and by o->cap. */
		for (i = 0; i < val->left; i++) {
			uint8_t c = val->p[i];

			so_putc(o, c >= 0x20 && c < 0x7f ? (char)c : '.');
		}
		return;
	case T_INT:
		if (val->left >= 1 && val->left <= 8) {
			u = (val->p[0] & 0x80) ? UINT64_MAX : 0;
			for (i = 0; i < val->left; i++)
				u = u << 8 | val->p[i];
			if ((int64_t)u < 0) {
				so_putc(o, '-');
				u = 0 - u;
			}
			so_u64(o, u);
			return;
		}
		break;
	case T_COUNTER32:
	case T_GAUGE32:
	case T_TIMETICKS:
	case T_COUNTER64:
		/* Unsigned, maybe with a leading zero byte. */
		if (val->left >= 1 && val->left <= 9 &&
		    (val->left < 9 || val->p[0] == 0)) {
			for (i = 0; i < val->left; i++)
				u = u << 8 | val->p[i];
			so_u64(o, u);
			return;
		}
		break;
	case T_IPADDR:
		if (val->left == 4) {
			for (i = 0; i < 4; i++) {
				if (i > 0)
					so_putc(o, '.');
				so_u64(o, val->p[i]);
			}
			return;
		}
		break;
	case T_OID: {
		struct sout tmp = *o;

		if (oid_text(val->p, val->left, &tmp)) {
			*o = tmp;
			return;
		}
		if (o->cap > 0)
			o->p[o->n] = 0;
		break;
	}
	case T_NULL: return;
	case T_NOSUCHOBJECT: so_puts(o, "noSuchObject"); return;
	case T_NOSUCHINSTANCE: so_puts(o, "noSuchInstance"); return;
	case T_ENDOFMIBVIEW: so_puts(o, "endOfMibView"); return;
	}
	{
		char b[32];

		snprintf(b, sizeof(b), "(type 0x%02x, %zu bytes)", tag,
		         val->left);
		so_puts(o, b);
	}
}

int
Sl_snmp_parse(const uint8_t *p, size_t n, const int32_t *want_reqid, char *out,
              size_t outlen)
{
	struct Sl_rd r, msg, community, pdu, list, vb, name, val;
	struct sout o = {.p = out, .n = 0, .cap = outlen};
	int64_t version, reqid, errstat, errindex;
	uint8_t tag;

	if (outlen > 0)
		out[0] = 0;
	if (p == NULL)
		return 0;
	/* UNTRUSTED: the whole datagram; every step below is bounded. */
	Sl_rd_init(&r, p, n);
	if (!ber_expect(&r, T_SEQ, &msg) || !ber_int(&msg, &version) ||
	    !ber_expect(&msg, T_OCTETS, &community) ||
	    !ber_expect(&msg, T_RESPONSE, &pdu))
		return 0;
	if (version != SL_SNMP_V1 && version != SL_SNMP_V2C)
		return 0;
	if (!ber_int(&pdu, &reqid) || !ber_int(&pdu, &errstat) ||
	    !ber_int(&pdu, &errindex))
		return 0;
	if (want_reqid != NULL && reqid != *want_reqid)
		return 0;
	if (errstat != 0) {
		char b[48];

		snprintf(b, sizeof(b), "error-status %lld", (long long)errstat);
		so_puts(&o, b);
		return 1;
	}
	if (!ber_expect(&pdu, T_SEQ, &list))
		return 0;
	if (list.left == 0) {
		so_puts(&o, "(no value)");
		return 1;
	}
	if (!ber_expect(&list, T_SEQ, &vb) || !ber_expect(&vb, T_OID, &name) ||
	    !ber_tlv(&vb, &tag, &val))
		return 0;
	value_text(tag, &val, &o);
	return 1;
}

/* ---- The GET ---- */

/* A request id nobody on the path can guess, in 1 .. 2^31 - 1. */
static int32_t
new_reqid(void)
{
	uint32_t v = 0;

	if (getrandom(&v, sizeof(v), GRND_NONBLOCK) != sizeof(v)) {
		struct timespec ts;

		clock_gettime(CLOCK_MONOTONIC, &ts);
		v = (uint32_t)ts.tv_nsec ^ (uint32_t)getpid() << 16;
	}
	v &= 0x7fffffff;
	return (int32_t)(v == 0 ? 1 : v);
}

int
Sl_snmp_get(struct sl_scan *s, const struct Sl_service *svc,
            const char *community, const char *oid_dotted, char *out,
            size_t outlen, unsigned timeout_ms)
{
	uint8_t req[SNMP_MAX_REQUEST];
	uint8_t *ans;
	size_t qlen;
	int32_t reqid = new_reqid();
	uint64_t start, resend, end;
	int fd, rc = 0, err = 0;
	bool resent = false;

	if (outlen > 0 && out != NULL)
		out[0] = 0;
	if (s == NULL || s->dev == NULL || svc == NULL || out == NULL) {
		errno = EINVAL;
		return -1;
	}
	qlen = Sl_snmp_encode_get(req, sizeof(req), SL_SNMP_V2C, community,
	                          reqid, oid_dotted);
	if (qlen == 0) {
		errno = EINVAL;
		return -1;
	}
	ans = malloc(SNMP_MAX_ANSWER);
	if (ans == NULL)
		return -1;
	fd = Sl_udp_socket(&s->dev->t, svc->addr, svc->pub.port);
	if (fd < 0) {
		err = errno;
		free(ans);
		errno = err;
		return -1;
	}
	if (timeout_ms == 0)
		timeout_ms = SL_NET_TIMEOUT_MS;
	start = Sl_now_ms();
	resend = start + timeout_ms / 2;
	end = start + timeout_ms;
	if (send(fd, req, qlen, MSG_NOSIGNAL) < 0) {
		err = errno;
		rc = -1;
		goto out;
	}
	for (;;) {
		uint64_t now = Sl_now_ms();
		struct pollfd pf = {.fd = fd, .events = POLLIN};
		uint64_t until = resent ? end : resend;
		ssize_t got;

		if (now >= end || Sl_cancelled(s))
			break;
		if (!resent && now >= resend) {
			resent = true;
			(void)send(fd, req, qlen, MSG_NOSIGNAL);
			continue;
		}
		if (poll(&pf, 1, (int)(until - now)) < 0 && errno != EINTR) {
			err = errno;
			rc = -1;
			break;
		}
		got = recv(fd, ans, SNMP_MAX_ANSWER, 0);
		if (got < 0) {
			if (errno == EAGAIN || errno == EWOULDBLOCK ||
			    errno == EINTR)
				continue;
			/* ECONNREFUSED: ICMP port unreachable. */
			err = errno;
			rc = -1;
			break;
		}
		/* UNTRUSTED: got bytes from the device. */
		if (Sl_snmp_parse(ans, (size_t)got, &reqid, out, outlen) == 1) {
			rc = 1;
			break;
		}
	}
out:
	close(fd);
	free(ans);
	if (rc < 0)
		errno = err;
	return rc;
}
