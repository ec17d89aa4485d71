/*
 * login_http.c - HTTP(S) logins over libcurl (login_proto.h): one
 * request to the device's web service (Sl_http_request), finding where it
 * asks for credentials (Sl_http_find_login), and a login with basic or
 * digest authentication or through a simple login form (login_form.c
 * finds the form).  The libcurl steps RTSP and FTP listings share are
 * here too.
 *
 * Trust: a body is kept up to SL_LOGIN_MAX_BODY bytes; only the
 * service's own address is contacted: redirects and form actions naming
 * another host are not followed, and no proxy from the environment is
 * used.  The certificate is the TLS check's business (login.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <strings.h>

#include "login_proto.h"

/* HTTP                                                                */
/* ------------------------------------------------------------------ */

bool
Sl_http_tls(const struct Sl_service *svc)
{
	return svc->pub.tls || strcmp(svc->pub.name, "https") == 0;
}

void
Sl_login_url_base(const struct Sl_service *svc, const char *scheme, char *out,
                  size_t n)
{
	bool v6 = strchr(svc->pub.address, ':') != NULL;

	snprintf(out, n, "%s://%s%s%s:%u", scheme, v6 ? "[" : "",
	         svc->pub.address, v6 ? "]" : "", svc->pub.port);
}

void
Sl_http_base(const struct Sl_service *svc, char *out, size_t n)
{
	Sl_login_url_base(svc, Sl_http_tls(svc) ? "https" : "http", out, n);
}

/*
 * Is url (absolute) on svc's own address and port?  Then its path and
 * query go to pq.  Host names are never accepted: only the address.
 */
static bool
same_service(const struct Sl_service *svc, const char *url, char *pq, size_t n)
{
	CURLU *u = curl_url();
	char *host = NULL, *port = NULL, *path = NULL, *query = NULL;
	char *scheme = NULL;
	bool ok = false;
	size_t hl;

	if (u == NULL)
		return false;
	if (curl_url_set(u, CURLUPART_URL, url, CURLU_NON_SUPPORT_SCHEME) !=
	        CURLUE_OK ||
	    curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_HOST, &host, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_PORT, &port, CURLU_DEFAULT_PORT) !=
	        CURLUE_OK ||
	    curl_url_get(u, CURLUPART_PATH, &path, 0) != CURLUE_OK)
		goto out;
	(void)curl_url_get(u, CURLUPART_QUERY, &query, 0);
	if (strcasecmp(scheme, "http") != 0 &&
	    strcasecmp(scheme, "https") != 0 && strcasecmp(scheme, "rtsp") != 0)
		goto out;
	/* "[fd00::2]" from curl against "fd00::2" from the target. */
	hl = strlen(host);
	if (hl >= 2 && host[0] == '[' && host[hl - 1] == ']') {
		if (hl - 2 != strlen(svc->pub.address) ||
		    strncasecmp(host + 1, svc->pub.address, hl - 2) != 0)
			goto out;
	} else if (strcasecmp(host, svc->pub.address) != 0) {
		goto out;
	}
	if (strtoul(port, NULL, 10) != svc->pub.port)
		goto out;
	ok = (size_t)snprintf(pq, n, "%s%s%s", path, query ? "?" : "",
	                      query ? query : "") < n;
out:
	curl_free(scheme);
	curl_free(host);
	curl_free(port);
	curl_free(path);
	curl_free(query);
	curl_url_cleanup(u);
	return ok;
}

/* Resolve ref against the page base+page; the path of the result. */
static bool
resolve_ref(const struct Sl_service *svc, const char *page, const char *ref,
            char *pq, size_t n)
{
	char base[128], url[1024];
	CURLU *u = curl_url();
	char *full = NULL;
	bool ok = false;

	if (u == NULL)
		return false;
	Sl_http_base(svc, base, sizeof(base));
	snprintf(url, sizeof(url), "%s%s", base, page);
	if (curl_url_set(u, CURLUPART_URL, url, 0) == CURLUE_OK &&
	    curl_url_set(u, CURLUPART_URL, ref, 0) == CURLUE_OK &&
	    curl_url_get(u, CURLUPART_URL, &full, 0) == CURLUE_OK)
		ok = same_service(svc, full, pq, n);
	curl_free(full);
	curl_url_cleanup(u);
	return ok;
}

static size_t
body_cb(char *p, size_t sz, size_t nm, void *user)
{
	struct Sl_http_resp *r = user;
	size_t n = sz * nm, room = SL_LOGIN_MAX_BODY - r->body.n;

	/* UNTRUSTED: the body is cut at SL_LOGIN_MAX_BODY. */
	if (n > room) {
		(void)Sl_buf_add(&r->body, p, room);
		r->truncated = true;
		return 0;
	}
	if (Sl_buf_add(&r->body, p, n) != SL_OK)
		return 0;
	return n;
}

static size_t
header_cb(char *p, size_t sz, size_t nm, void *user)
{
	struct Sl_http_resp *r = user;
	size_t n = sz * nm;
	static const char wa[] = "www-authenticate:";
	static const char sc[] = "set-cookie:";

	if (n > sizeof(wa) && strncasecmp(p, wa, sizeof(wa) - 1) == 0) {
		if (Sl_login_find_ci(p, n, "basic") != NULL)
			r->basic = true;
		if (Sl_login_find_ci(p, n, "digest") != NULL)
			r->digest = true;
	} else if (n > sizeof(sc) && strncasecmp(p, sc, sizeof(sc) - 1) == 0) {
		r->cookie = true;
	}
	return n;
}

/* Options every request to the device gets. */
void
Sl_login_curl_common(struct sl_scan *s, CURL *h, const char *protocols,
                     char *err)
{
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, protocols);
	curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
	/* No proxy from the environment: only the device is contacted. */
	curl_easy_setopt(h, CURLOPT_PROXY, "");
	curl_easy_setopt(h, CURLOPT_NOPROXY, "*");
	curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS,
	                 (long)Sl_login_timeout(s));
	curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, (long)SL_LOGIN_WAIT_MS);
	curl_easy_setopt(h, CURLOPT_MAXFILESIZE_LARGE,
	                 (curl_off_t)SL_NET_MAX_RESPONSE);
	/* The certificate is the TLS check's business (top of file). */
	curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 0L);
	curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 0L);
	/*
	 * Whatever TLS the device speaks: Debian's OpenSSL refuses TLS 1.0
	 * and 1.1 (and SHA-1 handshakes) below security level 0, and the
	 * device's weak TLS is the TLS check's finding, not a reason to
	 * see nothing of its web interface.
	 */
	curl_easy_setopt(h, CURLOPT_SSLVERSION, (long)CURL_SSLVERSION_TLSv1_0);
	curl_easy_setopt(h, CURLOPT_SSL_CIPHER_LIST, "DEFAULT:@SECLEVEL=0");
	curl_easy_setopt(h, CURLOPT_USERAGENT, "starlab/" SL_VERSION);
	curl_easy_setopt(h, CURLOPT_PATH_AS_IS, 1L);
	curl_easy_setopt(h, CURLOPT_ERRORBUFFER, err);
}

static bool
slist_add(struct curl_slist **l, const char *line)
{
	struct curl_slist *t = curl_slist_append(*l, line);

	if (t == NULL)
		return false;
	*l = t;
	return true;
}

void
Sl_http_resp_free(struct Sl_http_resp *r)
{
	Sl_buf_free(&r->body);
}

sl_rc
Sl_http_request(struct sl_scan *s, const struct Sl_service *svc, CURL **h,
                const char *method, const char *target, const char *const *hdrs,
                const char *ctype, const char *body, const char *user,
                const char *pass, enum Sl_http_auth auth,
                struct Sl_http_resp *r)
{
	struct curl_slist *hl = NULL;
	char base[128], url[2048], pq[1536], ct[160];
	char *redir = NULL;
	bool ok = true;

	memset(r, 0, sizeof(*r));
	Sl_buf_init(&r->body, SL_LOGIN_MAX_BODY);
	Sl_login_global_init();
	if (target[0] != '/') {
		if (!same_service(svc, target, pq, sizeof(pq)))
			return Sl_fail(s, SL_E_USAGE,
			               "%s: not on the device's service",
			               target);
		target = pq;
	}
	Sl_http_base(svc, base, sizeof(base));
	if ((size_t)snprintf(url, sizeof(url), "%s%s", base, target) >=
	    sizeof(url))
		return Sl_fail(s, SL_E_USAGE, "URL too long");
	if (*h == NULL && (*h = curl_easy_init()) == NULL)
		return Sl_fail(s, SL_E_NOMEM, "curl_easy_init failed");
	/* Reset keeps the live connection, forgets the options. */
	curl_easy_reset(*h);
	Sl_login_curl_common(s, *h, "http,https", r->err);
	curl_easy_setopt(*h, CURLOPT_URL, url);
	curl_easy_setopt(*h, CURLOPT_WRITEFUNCTION, body_cb);
	curl_easy_setopt(*h, CURLOPT_WRITEDATA, r);
	curl_easy_setopt(*h, CURLOPT_HEADERFUNCTION, header_cb);
	curl_easy_setopt(*h, CURLOPT_HEADERDATA, r);
	for (; hdrs != NULL && *hdrs != NULL && ok; hdrs++)
		ok = slist_add(&hl, *hdrs);
	if (ok && strcmp(method, "POST") == 0) {
		snprintf(ct, sizeof(ct), "Content-Type: %s",
		         ctype ? ctype : "application/x-www-form-urlencoded");
		ok = slist_add(&hl, ct) && slist_add(&hl, "Expect:");
		curl_easy_setopt(*h, CURLOPT_POSTFIELDS, body ? body : "");
	} else if (strcmp(method, "GET") != 0) {
		curl_easy_setopt(*h, CURLOPT_CUSTOMREQUEST, method);
	}
	if (!ok) {
		curl_slist_free_all(hl);
		return Sl_fail(s, SL_E_NOMEM, "out of memory");
	}
	curl_easy_setopt(*h, CURLOPT_HTTPHEADER, hl);
	if (user != NULL && auth != SL_HTTP_NONE) {
		curl_easy_setopt(*h, CURLOPT_USERNAME, user);
		curl_easy_setopt(*h, CURLOPT_PASSWORD, pass ? pass : "");
		curl_easy_setopt(*h, CURLOPT_HTTPAUTH,
		                 auth == SL_HTTP_BASIC    ? CURLAUTH_BASIC
		                 : auth == SL_HTTP_DIGEST ? CURLAUTH_DIGEST
		                                          : CURLAUTH_ANY);
	}
	r->cc = curl_easy_perform(*h);
	curl_easy_getinfo(*h, CURLINFO_RESPONSE_CODE, &r->code);
	if (r->cc == CURLE_WRITE_ERROR && r->truncated)
		r->cc = CURLE_OK;
	if (r->cc == CURLE_FILESIZE_EXCEEDED) {
		r->truncated = true;
		r->cc = CURLE_OK;
	}
	if (r->code >= 300 && r->code < 400 &&
	    curl_easy_getinfo(*h, CURLINFO_REDIRECT_URL, &redir) == CURLE_OK &&
	    redir != NULL) {
		if (!same_service(svc, redir, r->location,
		                  sizeof(r->location))) {
			r->location[0] = 0;
			r->offhost = true;
		}
	}
	curl_easy_setopt(*h, CURLOPT_HTTPHEADER, NULL);
	curl_slist_free_all(hl);
	if (r->code == 0)
		return Sl_fail(s,
		               r->cc == CURLE_OPERATION_TIMEDOUT ? SL_E_TIMEOUT
		                                                 : SL_E_NET,
		               "%s: %s", url,
		               r->err[0] ? r->err : curl_easy_strerror(r->cc));
	return SL_OK;
}

/* Paths where web UIs usually ask for credentials. */
static const char *const login_paths[] = {
    "/",           "/admin/",       "/admin",      "/login",
    "/login.html", "/cgi-bin/luci", "/index.html", NULL,
};

bool
Sl_http_find_login(struct sl_scan *s, const struct Sl_service *svc, CURL **h,
                   const char **auth, char *path, size_t n)
{
	size_t i;
	int hop;

	for (i = 0; i <= SL_ARRAY_LEN(login_paths) - 1; i++) {
		char at[512];
		const char *p = i == 0 ? svc->realm_path : login_paths[i - 1];

		if (p == NULL)
			continue;
		snprintf(at, sizeof(at), "%s", p);
		/* Follow up to three same-host redirects ("/" -> login). */
		for (hop = 0; hop < 4; hop++) {
			struct Sl_http_resp r;
			struct Sl_form f;
			bool found = false;

			if (Sl_cancelled(s) ||
			    Sl_http_request(s, svc, h, "GET", at, NULL, NULL,
			                    NULL, NULL, NULL, SL_HTTP_NONE,
			                    &r) != SL_OK) {
				Sl_http_resp_free(&r);
				if (Sl_cancelled(s))
					return false;
				break;
			}
			if (r.code == 401 && (r.basic || r.digest)) {
				*auth = r.basic ? "basic" : "digest";
				found = true;
			} else if (r.code >= 200 && r.code < 300 &&
			           Sl_html_login_form((const char *)r.body.p,
			                              r.body.n, &f)) {
				*auth = "form";
				found = true;
			}
			if (found) {
				snprintf(path, n, "%s", at);
				Sl_http_resp_free(&r);
				return true;
			}
			if (r.code < 300 || r.code >= 400 ||
			    r.location[0] == 0) {
				Sl_http_resp_free(&r);
				break;
			}
			snprintf(at, sizeof(at), "%s", r.location);
			Sl_http_resp_free(&r);
		}
	}
	return false;
}

size_t
Sl_login_sink_cb(char *p, size_t sz, size_t nm, void *user)
{
	struct Sl_login_sink *k = user;
	size_t n = sz * nm;

	if (k->b == NULL)
		return n;
	/* UNTRUSTED: stop the transfer at the cap. */
	if (k->b->n + n > k->max) {
		(void)Sl_buf_add(k->b, p, k->max - k->b->n);
		return 0;
	}
	return Sl_buf_add(k->b, p, n) == SL_OK ? n : 0;
}

/* Append name=value, URL-encoded, to b. */
static bool
form_add(CURL *h, struct Sl_buf *b, const char *name, const char *value)
{
	char *en = curl_easy_escape(h, name, 0);
	char *ev = curl_easy_escape(h, value, 0);
	bool ok = en != NULL && ev != NULL &&
	          Sl_buf_addf(b, "%s%s=%s", b->n ? "&" : "", en, ev) == SL_OK;

	curl_free(en);
	curl_free(ev);
	return ok;
}

/* Does the page say the login failed? */
static bool
says_failed(const struct Sl_buf *b)
{
	size_t i;

	for (i = 0; Sl_login_denial_words[i] != NULL; i++)
		if (Sl_login_find_ci((const char *)b->p, b->n,
		                     Sl_login_denial_words[i]) != NULL)
			return true;
	return false;
}

enum Sl_login
Sl_login_http_code(long code, char *d, size_t dn)
{
	if (code == 429 || code == 503) {
		/* A rate limit, which counts requests, not passwords. */
		Sl_login_say(d, dn, "HTTP %ld", code);
		BLIND();
		return SL_LOGIN_BLOCKED;
	}
	if (code == 401 || code == 403 || code == 407) {
		Sl_login_say(d, dn, "HTTP %ld", code);
		return SL_LOGIN_DENIED;
	}
	return SL_LOGIN_ERROR;
}

/* No answer at all: refused or dropped means blocked. */
static enum Sl_login
http_noanswer(const struct Sl_http_resp *r, char *d, size_t dn)
{
	Sl_login_say(d, dn, "%s",
	             r->err[0] ? r->err : curl_easy_strerror(r->cc));
	switch (r->cc) {
	case CURLE_COULDNT_CONNECT:
	case CURLE_GOT_NOTHING:
	case CURLE_RECV_ERROR:
	case CURLE_SEND_ERROR: BLIND(); return SL_LOGIN_BLOCKED;
	case CURLE_SSL_CONNECT_ERROR:
		/*
		 * A handshake the server cut off (reset, end of file) is a
		 * refusal; an alert or garbage says nothing of a limit.
		 */
		if (strstr(r->err, "reset by peer") != NULL ||
		    strstr(r->err, "unexpected eof") != NULL ||
		    strstr(r->err, "SSL_ERROR_SYSCALL") != NULL) {
			BLIND();
			return SL_LOGIN_BLOCKED;
		}
		return SL_LOGIN_ERROR;
	default: return SL_LOGIN_ERROR;
	}
}

/*
 * A simple login form: GET the page, POST the user and password fields
 * with the hidden ones, and judge the answer: a redirect away from the
 * login page, or a page without the password field, is a success; the
 * form again, 401/403 or a failure message is a refusal.
 */
static enum Sl_login
form_login(struct sl_scan *s, const struct Sl_service *svc, CURL **h,
           const char *page, const char *user, const char *pass, char *d,
           size_t dn)
{
	struct Sl_http_resp r;
	struct Sl_form f;
	struct Sl_buf body;
	char to[1536], url[1800];
	enum Sl_login res;
	size_t i;
	bool ok;

	if (Sl_http_request(s, svc, h, "GET", page, NULL, NULL, NULL, NULL,
	                    NULL, SL_HTTP_NONE, &r) != SL_OK) {
		res = http_noanswer(&r, d, dn);
		Sl_http_resp_free(&r);
		return res;
	}
	if (r.code < 200 || r.code >= 300) {
		res = Sl_login_http_code(r.code, d, dn);
		if (res == SL_LOGIN_ERROR || res == SL_LOGIN_DENIED)
			Sl_login_say(d, dn, "login page answers HTTP %ld",
			             r.code);
		Sl_http_resp_free(&r);
		return res == SL_LOGIN_DENIED ? SL_LOGIN_ERROR : res;
	}
	ok = Sl_html_login_form((const char *)r.body.p, r.body.n, &f);
	Sl_http_resp_free(&r);
	if (!ok) {
		Sl_login_say(d, dn, "no login form at %s", page);
		return SL_LOGIN_ERROR;
	}
	if (!resolve_ref(svc, page, f.action[0] ? f.action : page, to,
	                 sizeof(to))) {
		Sl_login_say(d, dn, "form action off the device: %s", f.action);
		return SL_LOGIN_ERROR;
	}
	Sl_buf_init(&body, 8192);
	ok = (f.user[0] == 0 || form_add(*h, &body, f.user, user)) &&
	     form_add(*h, &body, f.pass, pass);
	for (i = 0; ok && i < f.nfields; i++)
		ok = form_add(*h, &body, f.field[i].name, f.field[i].value);
	if (ok && f.get) {
		ok = (size_t)snprintf(url, sizeof(url), "%s%s%.*s", to,
		                      strchr(to, '?') ? "&" : "?", (int)body.n,
		                      (const char *)body.p) < sizeof(url);
	}
	if (!ok) {
		Sl_buf_free(&body);
		Sl_login_say(d, dn, "form too large");
		return SL_LOGIN_ERROR;
	}
	if (f.get)
		ok = Sl_http_request(s, svc, h, "GET", url, NULL, NULL, NULL,
		                     NULL, NULL, SL_HTTP_NONE, &r) == SL_OK;
	else
		ok = Sl_http_request(s, svc, h, "POST", to, NULL, NULL,
		                     (const char *)body.p, NULL, NULL,
		                     SL_HTTP_NONE, &r) == SL_OK;
	Sl_buf_free(&body);
	if (!ok) {
		res = http_noanswer(&r, d, dn);
		Sl_http_resp_free(&r);
		return res;
	}
	if (r.code >= 300 && r.code < 400) {
		const char *l = r.location;

		if (r.offhost || l[0] == 0) {
			Sl_login_say(d, dn, "redirect off the device");
			res = SL_LOGIN_ERROR;
		} else if (strcmp(l, page) == 0 || strcasestr(l, "login") ||
		           strcasestr(l, "error") || strcasestr(l, "fail") ||
		           strcasestr(l, "denied")) {
			Sl_login_say(d, dn, "redirected back to %s", l);
			res = SL_LOGIN_DENIED;
		} else {
			Sl_login_say(d, dn, "redirected to %s%s", l,
			             r.cookie ? " with a cookie" : "");
			res = SL_LOGIN_OK;
		}
	} else if (r.code >= 200 && r.code < 300) {
		if (Sl_html_login_form((const char *)r.body.p, r.body.n, &f) ||
		    says_failed(&r.body)) {
			Sl_login_say(d, dn, "login form shown again");
			res = SL_LOGIN_DENIED;
		} else {
			Sl_login_say(d, dn, "HTTP %ld without the login form%s",
			             r.code, r.cookie ? ", cookie set" : "");
			res = SL_LOGIN_OK;
		}
	} else {
		res = Sl_login_http_code(r.code, d, dn);
		if (res == SL_LOGIN_ERROR)
			Sl_login_say(d, dn, "form answered HTTP %ld", r.code);
	}
	Sl_http_resp_free(&r);
	return res;
}

static enum Sl_login
http_login(struct sl_scan *s, const struct Sl_service *svc,
           struct Sl_login_conn *c, const char *user, const char *pass, char *d,
           size_t dn)
{
	const char *path = svc->realm_path ? svc->realm_path : "/";
	const char *auth = svc->auth ? svc->auth : "";
	struct Sl_http_resp r;
	enum Sl_login res;

	if (strcmp(auth, "form") == 0)
		return form_login(s, svc, &c->curl, path, user, pass, d, dn);
	if (Sl_http_request(s, svc, &c->curl, "GET", path, NULL, NULL, NULL,
	                    user, pass,
	                    strcmp(auth, "basic") == 0    ? SL_HTTP_BASIC
	                    : strcmp(auth, "digest") == 0 ? SL_HTTP_DIGEST
	                                                  : SL_HTTP_ANY,
	                    &r) != SL_OK) {
		res = http_noanswer(&r, d, dn);
		Sl_http_resp_free(&r);
		return res;
	}
	if (r.code >= 200 && r.code < 400) {
		Sl_login_say(d, dn, "HTTP %ld with the credential", r.code);
		res = SL_LOGIN_OK;
	} else {
		res = Sl_login_http_code(r.code, d, dn);
		if (res == SL_LOGIN_ERROR)
			Sl_login_say(d, dn, "HTTP %ld", r.code);
	}
	Sl_http_resp_free(&r);
	return res;
}

/* ------------------------------------------------------------------ */

/* What the kept connection holds for HTTP: the keep-alive handle. */
static void
http_release(struct Sl_login_conn *c)
{
	if (c->curl != NULL)
		curl_easy_cleanup(c->curl);
	c->curl = NULL;
}

const struct Sl_login_proto Sl_login_http = {
    .names = {"http", "https", NULL},
    .ports = {80, 443, 8080, 8443, 0},
    .tls = true,
    .login = http_login,
    .release = http_release,
};
