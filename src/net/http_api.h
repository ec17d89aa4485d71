/*
 * http_api.h - JSON requests to one vendor API (http_api.c), bounded in
 * count, rate, time and size.  Used by `starlab service`.
 */
#ifndef SL_NET_HTTP_API_H
#define SL_NET_HTTP_API_H

#include <curl/curl.h>

#include "net.h"

#define SL_API_MAX_BODY  (64U << 10) /* bytes of one answer kept */
#define SL_API_MAX_PATH  512         /* bytes of one request path */
#define SL_API_MAX_TOKEN 4096        /* bytes of one bearer token */

struct Sl_api {
	struct sl_scan *s;
	char base[600]; /* "https://api.example:8443/v1", no slash at the end */
	char host[256]; /* as given, without IPv6 brackets */
	unsigned port;
	bool tls;
	CURL *h; /* kept for keep-alive */
	unsigned max_requests, sent, rate, timeout_ms;
	uint64_t next_ms; /* the next request's slot */
	bool limit_hit;   /* a request was refused by max_requests */
};

struct Sl_api_resp {
	long code;          /* HTTP status */
	struct Sl_buf body; /* at most SL_API_MAX_BODY bytes, NUL-terminated */
	bool truncated;
	unsigned ms; /* from sending to the whole answer */
	char err[CURL_ERROR_SIZE];
};

/*
 * Parse url (http or https) into a; nothing is sent.  max_requests bounds
 * every later call, rate (per second, 0: none) paces them, timeout_ms
 * bounds each (0: 5 s).  SL_E_USAGE with the reason for a bad URL.
 */
sl_rc Sl_api_open(struct sl_scan *s, struct Sl_api *a, const char *url,
                  unsigned max_requests, unsigned rate, unsigned timeout_ms);
void Sl_api_close(struct Sl_api *a);

/*
 * One request: method to the base URL + path (a plain absolute path, else
 * SL_E_USAGE), with "Authorization: Bearer <bearer>" when bearer is not
 * NULL and json as an application/json body when not NULL.  SL_OK when an
 * answer came (any status); SL_E_LIMIT when max_requests is spent;
 * SL_E_NET or SL_E_TIMEOUT when none came.  Release r with
 * Sl_api_resp_free in every case.
 */
sl_rc Sl_api_call(struct Sl_api *a, const char *method, const char *path,
                  const char *bearer, const char *json, struct Sl_api_resp *r);
/*
 * The same with a body of n bytes sent as it is (no Content-Type added)
 * and extra header lines ("Name: value", NULL-ended, may be NULL), for a
 * captured request sent again: no bearer is added, the headers carry
 * what the capture had.  Lines with CR or LF are refused (SL_E_USAGE).
 */
sl_rc Sl_api_send(struct Sl_api *a, const char *method, const char *path,
                  const char *const *headers, const char *body, size_t n,
                  struct Sl_api_resp *r);
void Sl_api_resp_free(struct Sl_api_resp *r);
/* The body as a string ("" when none). */
const char *Sl_api_body(const struct Sl_api_resp *r);

#endif
