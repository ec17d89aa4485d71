/*
 * capture.c - a captured HTTP request, as a tester saves it from an
 * intercepting proxy, read for the replay check of `starlab service`
 * (--replay FILE): the request line, the header lines and the body.
 *
 * The target may be in origin form ("/api/x?y") or absolute form
 * ("https://host/api/x", what a proxy sees); only its path and query are
 * kept, since the request is sent again to the URL the user named and
 * nowhere else.  Host, Content-Length and the hop-by-hop headers are
 * dropped (curl frames the request); a chunked body is refused (save the
 * request decoded).  Lines end in LF or CRLF.
 *
 * The fields that should make a replay fail are noted: header names,
 * top-level JSON body keys and query names with "nonce", "timestamp" or
 * "signature" in them, or named ts, time, sign or sig.
 *
 * Trust: the file is a copy of the app's traffic.  At most SL_CAP_MAX
 * bytes, SL_CAP_MAX_HEADERS header lines of SL_CAP_MAX_LINE bytes; no
 * NUL or control bytes outside the body; the fuzz target is
 * capture_fuzz.c.
 */
#include <jansson.h>
#include <stdio.h>
#include <strings.h>

#include "service.h"

static const char *const hop[] = {
    "host",
    "content-length",
    "connection",
    "transfer-encoding",
    "keep-alive",
    "proxy-connection",
    "proxy-authorization",
    "te",
    "upgrade",
    "expect",
    "accept-encoding",
    "trailer",
    NULL,
};

/* Is name (n bytes) a freshness field's name? */
static bool
fresh_name(const char *name, size_t n)
{
	static const char *const parts[] = {"nonce", "timestamp", "signature",
	                                    NULL};
	static const char *const whole[] = {"ts",     "time",  "sign",
	                                    "sig",    "x-ts",  "x-time",
	                                    "x-sign", "x-sig", NULL};
	char low[64];
	size_t i;

	if (n == 0 || n >= sizeof(low))
		return false;
	for (i = 0; i < n; i++)
		low[i] = (char)((name[i] >= 'A' && name[i] <= 'Z')
		                    ? name[i] - 'A' + 'a'
		                    : name[i]);
	low[n] = 0;
	for (i = 0; parts[i] != NULL; i++)
		if (strstr(low, parts[i]) != NULL)
			return true;
	for (i = 0; whole[i] != NULL; i++)
		if (strcmp(low, whole[i]) == 0)
			return true;
	return false;
}

static void
note_fresh(struct Sl_capture *c, const char *where, const char *name, size_t n)
{
	size_t used = strlen(c->fresh);

	if (!fresh_name(name, n))
		return;
	snprintf(c->fresh + used, sizeof(c->fresh) - used, "%s%s %.*s",
	         used ? ", " : "", where, (int)n, name);
}

/* The next line of data from *pos (without its end); false at the end. */
static bool
next_line(const uint8_t *d, size_t n, size_t *pos, const char **line,
          size_t *len)
{
	size_t s = *pos, e;

	if (s >= n)
		return false;
	for (e = s; e < n && d[e] != '\n'; e++)
		;
	*line = (const char *)d + s;
	*len = e - s;
	if (*len > 0 && (*line)[*len - 1] == '\r')
		(*len)--;
	*pos = e < n ? e + 1 : n;
	return true;
}

static bool
printable(const char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if ((unsigned char)p[i] < 0x20 && p[i] != '\t')
			return false;
		else if ((unsigned char)p[i] == 0x7f)
			return false;
	return true;
}

sl_rc
Sl_capture_parse(struct sl_scan *s, const char *name, const uint8_t *data,
                 size_t n, struct Sl_capture *c)
{
	const char *line, *sp1, *sp2, *target, *q;
	size_t len, pos = 0, tlen, i, lineno = 1;
	bool ended = false;
	long clen = -1;

	memset(c, 0, sizeof(*c));
	if (n > SL_CAP_MAX)
		return Sl_fail(s, SL_E_LIMIT,
		               "%s: %zu bytes (a captured request may have %u "
		               "at most)",
		               name, n, SL_CAP_MAX);
	if (!next_line(data, n, &pos, &line, &len) || len == 0)
		return Sl_fail(s, SL_E_MALFORMED, "%s:1: no request line",
		               name);
	if (len > SL_CAP_MAX_LINE || !printable(line, len))
		return Sl_fail(s, SL_E_MALFORMED,
		               "%s:1: the request line is too long or not text",
		               name);
	sp1 = memchr(line, ' ', len);
	sp2 = sp1 ? memchr(sp1 + 1, ' ', len - (size_t)(sp1 + 1 - line)) : NULL;
	if (sp1 == NULL || sp2 == NULL || sp1 == line ||
	    (size_t)(sp1 - line) >= sizeof(c->method) ||
	    len - (size_t)(sp2 + 1 - line) < 8 ||
	    strncmp(sp2 + 1, "HTTP/1.", 7) != 0)
		return Sl_fail(s, SL_E_MALFORMED,
		               "%s:1: not \"METHOD TARGET HTTP/1.x\"", name);
	for (i = 0; line + i < sp1; i++)
		if (line[i] < 'A' || line[i] > 'Z')
			return Sl_fail(s, SL_E_MALFORMED, "%s:1: bad method",
			               name);
	memcpy(c->method, line, (size_t)(sp1 - line));
	target = sp1 + 1;
	tlen = (size_t)(sp2 - target);
	/* Absolute form: keep the path and query only. */
	if ((tlen > 7 && strncasecmp(target, "http://", 7) == 0) ||
	    (tlen > 8 && strncasecmp(target, "https://", 8) == 0)) {
		const char *auth = target + (target[4] == ':' ? 7 : 8);
		const char *slash =
		    memchr(auth, '/', tlen - (size_t)(auth - target));

		if (slash == NULL) {
			target = "/";
			tlen = 1;
		} else {
			tlen -= (size_t)(slash - target);
			target = slash;
		}
	}
	if (tlen == 0 || target[0] != '/' || tlen >= sizeof(c->path))
		return Sl_fail(s, SL_E_MALFORMED,
		               "%s:1: the target is not a path of at most %zu "
		               "bytes",
		               name, sizeof(c->path) - 1);
	memcpy(c->path, target, tlen);
	c->path[tlen] = 0;
	/* Query names. */
	if ((q = strchr(c->path, '?')) != NULL)
		while (*q != 0) {
			const char *k = q + 1, *e = k;

			while (*e != 0 && *e != '=' && *e != '&')
				e++;
			note_fresh(c, "query", k, (size_t)(e - k));
			q = strchr(e, '&');
			if (q == NULL)
				break;
		}
	while (next_line(data, n, &pos, &line, &len)) {
		const char *colon, *v;
		size_t nl, k;
		char *h;

		lineno++;
		if (len == 0) {
			ended = true;
			break;
		}
		if (len > SL_CAP_MAX_LINE || !printable(line, len))
			return Sl_fail(s, SL_E_MALFORMED,
			               "%s:%zu: a header line too long or not "
			               "text",
			               name, lineno);
		colon = memchr(line, ':', len);
		if (colon == NULL || colon == line)
			return Sl_fail(s, SL_E_MALFORMED,
			               "%s:%zu: not \"Name: value\"", name,
			               lineno);
		nl = (size_t)(colon - line);
		for (k = 0; k < nl; k++)
			if (line[k] == ' ' || line[k] == '\t')
				return Sl_fail(s, SL_E_MALFORMED,
				               "%s:%zu: space in a header name",
				               name, lineno);
		v = colon + 1;
		while (v < line + len && (*v == ' ' || *v == '\t'))
			v++;
		if (nl == 17 && strncasecmp(line, "transfer-encoding", 17) == 0)
			return Sl_fail(s, SL_E_MALFORMED,
			               "%s:%zu: a chunked body (save the "
			               "request decoded)",
			               name, lineno);
		if (nl == 14 && strncasecmp(line, "content-length", 14) == 0) {
			char num[24];
			size_t vl = (size_t)(line + len - v);

			if (vl == 0 || vl >= sizeof(num))
				return Sl_fail(s, SL_E_MALFORMED,
				               "%s:%zu: bad Content-Length",
				               name, lineno);
			memcpy(num, v, vl);
			num[vl] = 0;
			if (strspn(num, "0123456789") != vl)
				return Sl_fail(s, SL_E_MALFORMED,
				               "%s:%zu: bad Content-Length",
				               name, lineno);
			clen = strtol(num, NULL, 10);
		}
		for (k = 0; hop[k] != NULL; k++)
			if (strlen(hop[k]) == nl &&
			    strncasecmp(line, hop[k], nl) == 0)
				break;
		if (hop[k] != NULL)
			continue;
		if (c->nheaders >= SL_CAP_MAX_HEADERS)
			return Sl_fail(s, SL_E_LIMIT,
			               "%s:%zu: more than %d header lines",
			               name, lineno, SL_CAP_MAX_HEADERS);
		h = Sl_arena_alloc(&s->arena, len + 2);
		if (h == NULL)
			return Sl_fail(s, SL_E_NOMEM, "out of memory");
		snprintf(h, len + 2, "%.*s: %.*s", (int)nl, line,
		         (int)(line + len - v), v);
		c->headers[c->nheaders++] = h;
		note_fresh(c, "header", line, nl);
	}
	if (!ended && pos < n)
		return Sl_fail(s, SL_E_MALFORMED, "%s: no end of the headers",
		               name);
	if (pos < n) {
		size_t rest = n - pos;

		if (clen > (long)rest)
			return Sl_fail(s, SL_E_MALFORMED,
			               "%s: Content-Length %ld, but only %zu "
			               "bytes follow",
			               name, clen, rest);
		c->body_n = clen >= 0 ? (size_t)clen : rest;
		c->body = (const char *)data + pos;
	} else if (clen > 0) {
		return Sl_fail(s, SL_E_MALFORMED,
		               "%s: Content-Length %ld, but no body", name,
		               clen);
	}
	if (c->body_n > 0) {
		char *b = Sl_arena_alloc(&s->arena, c->body_n + 1);
		json_t *j;
		const char *k;
		json_t *x;

		if (b == NULL)
			return Sl_fail(s, SL_E_NOMEM, "out of memory");
		memcpy(b, c->body, c->body_n);
		b[c->body_n] = 0;
		c->body = b;
		j = json_loadb(b, c->body_n, 0, NULL);
		if (json_is_object(j))
			json_object_foreach(j, k, x)
			{
				(void)x;
				note_fresh(c, "body", k, strlen(k));
			}
		json_decref(j);
	} else {
		c->body = NULL;
	}
	return SL_OK;
}
