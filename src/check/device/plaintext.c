/*
 * plaintext.c - the check "net.plaintext": services of the device that
 * carry credentials or other protected data in clear text (S1.1-12).
 *
 * One finding NET-PLAINTEXT-CREDENTIALS (high) per service, naming the
 * protocol:
 *   - HTTP without TLS that asks for credentials: a 401 with Basic or
 *     Digest in WWW-Authenticate, or a page with a password field.  The
 *     scanner's own observation (svc->auth) is used when it made one;
 *     otherwise the service's realm path and the usual admin paths are
 *     fetched (Sl_http_find_login: libcurl, bounded body and time, only
 *     the service's own address and port, same-service redirects only).
 *     A plain-HTTP service whose pages all redirect to HTTPS asks for
 *     nothing in clear and is fine.
 *   - telnet: the login and everything after it travel in clear.
 *   - FTP without TLS: USER and PASS travel in clear.
 *   - MQTT without TLS (the name "mqtt"): CONNECT carries the user
 *     name and password in clear.  An unidentified service on 1883 is
 *     only a port number: INFO, and a "not judged" line, until the
 *     service is identified (it may be anything, even TLS-wrapped).
 *
 * Trust: the device's pages and banners are hostile; login.c bounds what
 * it reads, and the banner quoted here was made printable and bounded by
 * the scanner.  Nothing here parses device bytes by hand.
 */
#include <stdio.h>
#include <strings.h>

#include "../../net/login.h"
#include "../check.h"

#define REQ "S1.1-12"
#define ID  "NET-PLAINTEXT-CREDENTIALS"

/* What this check reports (check.h: findings as data). */
enum { F_HTTP, F_STREAM, F_GUESS };
static const struct Sl_finding_def findings[] = {
    [F_HTTP] = {ID,
                SL_SEV_HIGH,
                {REQ},
                "HTTP asks for credentials in clear text",
                "Serve the login and every authenticated page over HTTPS "
                "only, and redirect plain HTTP to HTTPS (or close it); "
                "Basic and form credentials over HTTP can be read by "
                "anyone on the path, and Digest can be attacked offline."},
    /* Telnet, FTP, MQTT: the remediation is the protocol's own. */
    [F_STREAM] = {ID,
                  SL_SEV_HIGH,
                  {REQ},
                  "A plaintext protocol carries the login",
                  "Remove the plaintext protocol or wrap it in TLS."},
    /* Only the port number says which protocol it may be. */
    [F_GUESS] = {ID,
                 SL_SEV_INFO,
                 {REQ},
                 "Unidentified service on a plaintext protocol's port",
                 "Remove the plaintext protocol or wrap it in TLS."},
    {NULL},
};

static bool
is_name(const struct Sl_service *svc, const char *name)
{
	return svc->pub.name != NULL && strcasecmp(svc->pub.name, name) == 0;
}

/* Is this a web service (named http*, not https)? */
static bool
is_http(const struct Sl_service *svc)
{
	return svc->pub.name != NULL &&
	       strncasecmp(svc->pub.name, "http", 4) == 0;
}

static sl_rc
http_service(struct sl_scan *s, const struct Sl_service *svc)
{
	char path[512], base[128], ex[768], title[160];
	const char *auth = NULL;
	CURL *h = NULL;
	bool found;

	if (svc->auth != NULL) {
		auth = svc->auth;
		snprintf(path, sizeof(path), "%s",
		         svc->realm_path ? svc->realm_path : "/");
		found = true;
	} else {
		found =
		    Sl_http_find_login(s, svc, &h, &auth, path, sizeof(path));
		if (h != NULL)
			curl_easy_cleanup(h);
	}
	if (!found || auth == NULL)
		return SL_OK;
	Sl_http_base(svc, base, sizeof(base));
	if (strcmp(auth, "form") == 0)
		snprintf(ex, sizeof(ex),
		         "%s%s serves a login form (password field) over "
		         "plain HTTP",
		         base, path);
	else
		snprintf(
		    ex, sizeof(ex),
		    "%s%s answers 401 WWW-Authenticate: %s over plain HTTP",
		    base, path,
		    strcmp(auth, "digest") == 0 ? "Digest" : "Basic");
	snprintf(title, sizeof(title),
	         "HTTP on port %u asks for credentials in clear text (%s)",
	         svc->pub.port, auth);
	return Sl_report(
	    s, &findings[F_HTTP],
	    &(struct Sl_at){.svc = svc, .excerpt = ex, .title = title});
}

/* Telnet, FTP, MQTT: the protocol itself sends the login in clear. */
static sl_rc
stream_service(struct sl_scan *s, const struct Sl_service *svc,
               const char *proto, const char *what, const char *fix)
{
	char ex[768], title[160];
	/* Named from the port number alone, not from what it answered. */
	bool guess = svc->pub.name == NULL || is_name(svc, "unknown");

	snprintf(ex, sizeof(ex), "%s%s on %s:%u without TLS%s%s",
	         guess ? "an unidentified service on the port of " : "", proto,
	         svc->pub.address, svc->pub.port,
	         svc->pub.banner ? "; banner: " : "",
	         svc->pub.banner ? svc->pub.banner : "");
	if (guess) {
		Sl_incomplete(s,
		              "net.plaintext: %s:%u: the service was not "
		              "identified as %s; whether it carries "
		              "credentials in clear was not judged",
		              svc->pub.address, svc->pub.port, proto);
		snprintf(title, sizeof(title),
		         "Unidentified service on port %u (the %s port)",
		         svc->pub.port, proto);
		return Sl_report(
		    s, &findings[F_GUESS],
		    &(struct Sl_at){
		        .svc = svc, .excerpt = ex, .title = title, .fix = fix});
	}
	snprintf(title, sizeof(title), "%s on port %u sends %s in clear text",
	         proto, svc->pub.port, what);
	return Sl_report(
	    s, &findings[F_STREAM],
	    &(struct Sl_at){
	        .svc = svc, .excerpt = ex, .title = title, .fix = fix});
}

static sl_rc
plaintext_run(struct sl_scan *s)
{
	struct Sl_dev *d = s->dev;
	size_t i;
	sl_rc rc = SL_OK;

	if (d == NULL)
		return SL_OK;
	for (i = 0; i < d->nsvc && rc == SL_OK; i++) {
		const struct Sl_service *svc = d->svc[i];

		if (svc->ipproto != IPPROTO_TCP || svc->pub.tls)
			continue;
		if (Sl_cancelled(s)) {
			Sl_incomplete(s, "net.plaintext: %s:%u: cancelled",
			              svc->pub.address, svc->pub.port);
			continue;
		}
		if (is_name(svc, "telnet"))
			rc = stream_service(
			    s, svc, "telnet", "the login and the session",
			    "Remove telnet; offer SSH (key or per-device "
			    "password) or a TLS-protected interface instead.");
		else if (is_name(svc, "ftp"))
			rc = stream_service(
			    s, svc, "FTP", "USER and PASS",
			    "Remove FTP, or require FTPS (AUTH TLS before "
			    "USER) or use SFTP.");
		else if (is_name(svc, "mqtt") ||
		         (svc->pub.port == 1883 &&
		          (svc->pub.name == NULL || is_name(svc, "unknown"))))
			rc = stream_service(
			    s, svc, "MQTT", "CONNECT credentials",
			    "Serve MQTT over TLS (8883) and close the "
			    "plaintext listener (mosquitto: listener 8883 "
			    "with certfile/keyfile, no listener 1883).");
		else if (is_http(svc) && !Sl_http_tls(svc))
			rc = http_service(s, svc);
	}
	return rc;
}

const struct Sl_check Sl_check_plaintext = {
    .id = "net.plaintext",
    .title = "Credentials over plaintext protocols (HTTP, telnet, FTP, "
             "MQTT)",
    .covers = {"S1.1-12", NULL},
    .findings = findings,
    .source = SL_SRC_NETWORK,
    .run = plaintext_run,
};
