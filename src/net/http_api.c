/*
 * http_api.c - the HTTP client of `starlab service`: JSON requests to one
 * vendor API, and nothing else.
 *
 * Every request goes to the origin (scheme, host, port) of the URL the
 * user gave; a path from the OpenAPI document is appended only when it is
 * a plain absolute path (no scheme, no "//", no spaces or controls), and
 * redirects are never followed.  Each request counts against
 * max_requests (SL_E_LIMIT once spent) and waits for its slot under rate
 * (requests per second), so a run is bounded however large the document.
 * Bodies are cut at SL_API_MAX_BODY bytes; the time to the whole answer
 * is recorded for the timing comparison of the user-enumeration check.
 *
 * Certificates are not verified here: the TLS check grades them (net.tls
 * through Sl_tls_probe); these requests only need an answer.
 *
 * Trust: the answers are the vendor's server output, kept as bounded
 * bytes; parsing them is the caller's business.
 */
#include <stdio.h>
#include <stdlib.h>
#include <strings.h>
#include <time.h>

#include "http_api.h"
#include "login.h"

static size_t
on_body(char *p, size_t sz, size_t n, void *user)
{
	struct Sl_api_resp *r = user;
	size_t len = sz * n, room;

	room = r->body.max > r->body.n ? r->body.max - r->body.n : 0;
	if (len > room) {
		r->truncated = true;
		if (room > 0)
			(void)Sl_buf_add(&r->body, p, room);
		return len; /* drop the rest, keep the connection */
	}
	if (Sl_buf_add(&r->body, p, len) != SL_OK)
		r->truncated = true;
	return len;
}

/* Does the path from the document stay on the origin? */
static bool
plain_path(const char *p)
{
	const unsigned char *c;

	if (p == NULL || p[0] != '/' || p[1] == '/')
		return false;
	if (strlen(p) > SL_API_MAX_PATH)
		return false;
	for (c = (const unsigned char *)p; *c; c++)
		if (*c <= 0x20 || *c >= 0x7f || *c == '#' || *c == '\\')
			return false;
	return strstr(p, "://") == NULL;
}

sl_rc
Sl_api_open(struct sl_scan *s, struct Sl_api *a, const char *url,
            unsigned max_requests, unsigned rate, unsigned timeout_ms)
{
	CURLU *u;
	char *scheme = NULL, *host = NULL, *port = NULL, *path = NULL;
	sl_rc rc = SL_OK;
	size_t pl;

	memset(a, 0, sizeof(*a));
	a->s = s;
	a->max_requests = max_requests;
	a->rate = rate;
	a->timeout_ms = timeout_ms ? timeout_ms : 5000;
	Sl_login_global_init();
	if ((u = curl_url()) == NULL)
		return Sl_fail(s, SL_E_NOMEM, "out of memory");
	if (curl_url_set(u, CURLUPART_URL, url, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_HOST, &host, 0) != CURLUE_OK) {
		rc = Sl_fail(s, SL_E_USAGE, "%s: not a URL", url);
		goto out;
	}
	if (strcasecmp(scheme, "http") != 0 &&
	    strcasecmp(scheme, "https") != 0) {
		rc =
		    Sl_fail(s, SL_E_USAGE, "%s: only http and https URLs", url);
		goto out;
	}
	a->tls = strcasecmp(scheme, "https") == 0;
	a->port = a->tls ? 443 : 80;
	if (curl_url_get(u, CURLUPART_PORT, &port, 0) == CURLUE_OK)
		a->port = (unsigned)strtoul(port, NULL, 10);
	if (curl_url_get(u, CURLUPART_PATH, &path, 0) != CURLUE_OK) {
		rc = Sl_fail(s, SL_E_USAGE, "%s: no path", url);
		goto out;
	}
	/* The host without IPv6 brackets, for the resolver and the report. */
	pl = strlen(host);
	if (host[0] == '[' && pl > 2)
		snprintf(a->host, sizeof(a->host), "%.*s", (int)(pl - 2),
		         host + 1);
	else
		snprintf(a->host, sizeof(a->host), "%s", host);
	pl = strlen(path);
	while (pl > 0 && path[pl - 1] == '/')
		pl--;
	if ((size_t)snprintf(a->base, sizeof(a->base), "%s://%s:%u%.*s",
	                     a->tls ? "https" : "http", host, a->port, (int)pl,
	                     path) >= sizeof(a->base))
		rc = Sl_fail(s, SL_E_USAGE, "%s: URL too long", url);
out:
	curl_free(scheme);
	curl_free(host);
	curl_free(port);
	curl_free(path);
	curl_url_cleanup(u);
	return rc;
}

void
Sl_api_close(struct Sl_api *a)
{
	if (a->h != NULL)
		curl_easy_cleanup(a->h);
	a->h = NULL;
}

/* Wait for the next request's slot under the rate. */
static void
pace(struct Sl_api *a)
{
	uint64_t now = Sl_now_ms();

	if (a->rate == 0)
		return;
	if (a->next_ms > now) {
		uint64_t d = a->next_ms - now;
		struct timespec ts = {(time_t)(d / 1000),
		                      (long)(d % 1000) * 1000000L};

		nanosleep(&ts, NULL);
		now = a->next_ms;
	}
	a->next_ms = now + 1000 / a->rate;
}

static sl_rc
api_do(struct Sl_api *a, const char *method, const char *path,
       const char *bearer, const char *const *headers, const char *body,
       size_t n, bool json, struct Sl_api_resp *r)
{
	struct curl_slist *hl = NULL;
	char url[sizeof(a->base) + SL_API_MAX_PATH + 1];
	char auth[SL_API_MAX_TOKEN + 32];
	uint64_t t0;
	CURLcode cc;

	memset(r, 0, sizeof(*r));
	Sl_buf_init(&r->body, SL_API_MAX_BODY);
	if (!plain_path(path))
		return Sl_fail(a->s, SL_E_USAGE,
		               "API path '%.80s' is not a plain absolute path",
		               path ? path : "(null)");
	if (a->sent >= a->max_requests) {
		a->limit_hit = true;
		return Sl_fail(a->s, SL_E_LIMIT, "--max-requests %u reached",
		               a->max_requests);
	}
	if (bearer != NULL && strlen(bearer) > SL_API_MAX_TOKEN)
		return Sl_fail(a->s, SL_E_USAGE, "token too long");
	for (size_t i = 0; headers != NULL && headers[i] != NULL; i++)
		if (strpbrk(headers[i], "\r\n") != NULL)
			return Sl_fail(a->s, SL_E_USAGE,
			               "header line with CR or LF");
	if (a->h == NULL && (a->h = curl_easy_init()) == NULL)
		return Sl_fail(a->s, SL_E_NOMEM, "out of memory");
	snprintf(url, sizeof(url), "%s%s", a->base, path);
	curl_easy_reset(a->h);
	curl_easy_setopt(a->h, CURLOPT_URL, url);
	curl_easy_setopt(a->h, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(a->h, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(a->h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(a->h, CURLOPT_NOPROXY, "*");
	curl_easy_setopt(a->h, CURLOPT_TIMEOUT_MS, (long)a->timeout_ms);
	curl_easy_setopt(a->h, CURLOPT_CONNECTTIMEOUT_MS, (long)a->timeout_ms);
	curl_easy_setopt(a->h, CURLOPT_SSL_VERIFYPEER, 0L);
	curl_easy_setopt(a->h, CURLOPT_SSL_VERIFYHOST, 0L);
	curl_easy_setopt(a->h, CURLOPT_USERAGENT, "starlab-service");
	curl_easy_setopt(a->h, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(a->h, CURLOPT_WRITEDATA, r);
	curl_easy_setopt(a->h, CURLOPT_ERRORBUFFER, r->err);
	if (headers == NULL)
		hl = curl_slist_append(hl, "Accept: application/json");
	if (bearer != NULL) {
		snprintf(auth, sizeof(auth), "Authorization: Bearer %s",
		         bearer);
		hl = curl_slist_append(hl, auth);
	}
	for (size_t i = 0; headers != NULL && headers[i] != NULL; i++)
		hl = curl_slist_append(hl, headers[i]);
	if (body != NULL) {
		if (json)
			hl = curl_slist_append(
			    hl, "Content-Type: application/json");
		curl_easy_setopt(a->h, CURLOPT_POSTFIELDSIZE, (long)n);
		curl_easy_setopt(a->h, CURLOPT_POSTFIELDS, body);
	}
	curl_easy_setopt(a->h, CURLOPT_CUSTOMREQUEST, method);
	if (strcmp(method, "GET") == 0)
		curl_easy_setopt(a->h, CURLOPT_HTTPGET, 1L);
	curl_easy_setopt(a->h, CURLOPT_HTTPHEADER, hl);
	pace(a);
	a->sent++;
	t0 = Sl_now_ms();
	cc = curl_easy_perform(a->h);
	r->ms = (unsigned)(Sl_now_ms() - t0);
	curl_easy_setopt(a->h, CURLOPT_HTTPHEADER, NULL);
	curl_slist_free_all(hl);
	if (cc != CURLE_OK) {
		if (r->err[0] == 0)
			snprintf(r->err, sizeof(r->err), "%s",
			         curl_easy_strerror(cc));
		return Sl_fail(a->s,
		               cc == CURLE_OPERATION_TIMEDOUT ? SL_E_TIMEOUT
		                                              : SL_E_NET,
		               "%s %s: %s", method, url, r->err);
	}
	curl_easy_getinfo(a->h, CURLINFO_RESPONSE_CODE, &r->code);
	/* A NUL keeps the body usable as a string. */
	if (Sl_buf_reserve(&r->body, 0) == SL_OK)
		r->body.p[r->body.n] = 0;
	return SL_OK;
}

sl_rc
Sl_api_call(struct Sl_api *a, const char *method, const char *path,
            const char *bearer, const char *json, struct Sl_api_resp *r)
{
	return api_do(a, method, path, bearer, NULL, json,
	              json != NULL ? strlen(json) : 0, true, r);
}

sl_rc
Sl_api_send(struct Sl_api *a, const char *method, const char *path,
            const char *const *headers, const char *body, size_t n,
            struct Sl_api_resp *r)
{
	return api_do(a, method, path, NULL, headers, body, n, false, r);
}

void
Sl_api_resp_free(struct Sl_api_resp *r)
{
	Sl_buf_free(&r->body);
}

const char *
Sl_api_body(const struct Sl_api_resp *r)
{
	return r->body.p != NULL ? (const char *)r->body.p : "";
}
