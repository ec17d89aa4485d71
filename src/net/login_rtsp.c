/*
 * login_rtsp.c - RTSP logins over libcurl (login_proto.h): DESCRIBE of
 * the service's realm path with the credential (Sl_rtsp_describe), at
 * most SL_LOGIN_MAX_BODY bytes of SDP kept.
 */
#include <stdio.h>

#include "login_proto.h"

long
Sl_rtsp_describe(struct sl_scan *s, const struct Sl_service *svc,
                 const char *path, const char *user, const char *pass,
                 struct Sl_buf *body)
{
	char url[300], err[CURL_ERROR_SIZE];
	struct Sl_login_sink k = {body, SL_LOGIN_MAX_BODY};
	long code = 0;
	CURL *h;

	Sl_login_global_init();
	if ((h = curl_easy_init()) == NULL)
		return 0;
	Sl_login_url_base(svc, "rtsp", url, sizeof(url));
	snprintf(url + strlen(url), sizeof(url) - strlen(url), "%s",
	         path ? path : "/");
	Sl_login_curl_common(s, h, "rtsp", err);
	curl_easy_setopt(h, CURLOPT_URL, url);
	curl_easy_setopt(h, CURLOPT_RTSP_STREAM_URI, url);
	curl_easy_setopt(h, CURLOPT_RTSP_REQUEST, (long)CURL_RTSPREQ_DESCRIBE);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, Sl_login_sink_cb);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, &k);
	if (user != NULL) {
		curl_easy_setopt(h, CURLOPT_USERNAME, user);
		curl_easy_setopt(h, CURLOPT_PASSWORD, pass ? pass : "");
		curl_easy_setopt(h, CURLOPT_HTTPAUTH, CURLAUTH_ANY);
	}
	(void)curl_easy_perform(h);
	curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &code);
	curl_easy_cleanup(h);
	return code;
}

/* RTSP login                                                         */
/* ------------------------------------------------------------------ */

static enum Sl_login
rtsp_login(struct sl_scan *s, const struct Sl_service *svc,
           struct Sl_login_conn *c, const char *user, const char *pass, char *d,
           size_t dn)
{
	long code = Sl_rtsp_describe(s, svc, svc->realm_path, user, pass, NULL);

	(void)c; /* a new connection every time */
	if (code == 0) {
		Sl_login_say(d, dn, "no RTSP answer");
		return SL_LOGIN_ERROR;
	}
	if (code >= 200 && code < 300) {
		Sl_login_say(d, dn, "RTSP %ld to DESCRIBE", code);
		return SL_LOGIN_OK;
	}
	if (Sl_login_http_code(code, d, dn) != SL_LOGIN_ERROR)
		return Sl_login_http_code(code, d, dn);
	Sl_login_say(d, dn, "RTSP %ld", code);
	return SL_LOGIN_ERROR;
}

const struct Sl_login_proto Sl_login_rtsp = {
    .names = {"rtsp", NULL},
    .ports = {554, 8554, 0},
    .login = rtsp_login,
};
