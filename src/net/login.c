/*
 * login.c - one login attempt against one service of the device, per
 * protocol, with a verdict: accepted, denied, blocked, or cannot tell.
 * Used by the default-credential check (net.creds), the brute-force
 * check (net.bruteforce), the unauthenticated-access check (net.unauth)
 * and the power-loss and reset snapshots.
 *
 *   ssh     libssh: password, else keyboard-interactive
 *   telnet  own client: refuse every option, answer the prompts
 *   ftp     own client: USER/PASS on the control connection
 *   http(s) libcurl: basic or digest, or a simple login form
 *   mqtt    libmosquitto: CONNECT with user name and password
 *   rtsp    libcurl: DESCRIBE with credentials
 *   snmp    snmp.c: a GET of sysDescr with the password as community
 *
 * Each protocol is a file of its own behind a descriptor (login_proto.h);
 * this file holds their table, the dispatch, the kept connection and the
 * helpers they share.
 *
 * Trust: every byte the device sends is hostile.  Reads are bounded in
 * bytes (SL_LOGIN_MAX_STREAM per telnet or FTP connection,
 * SL_LOGIN_MAX_BODY per HTTP body) and in time (the scan's network
 * timeout for connects and prompts, SL_LOGIN_WAIT_MS for the answer to a
 * credential).  Only the service's own address is contacted: URLs are
 * built from it, redirects and form actions naming another host are not
 * followed, FTP data connections ignore the address PASV names, and no
 * proxy from the environment is used.
 *
 * Why own telnet and FTP clients: a login over telnet is a dialogue with
 * prompts (wait for "login:", send, wait for "Password:", send, then read
 * whether a shell or "Login incorrect" follows), which no Debian library
 * offers (libcurl's telnet pipes stdin to the socket and judges nothing;
 * libtelnet only parses options, which here is a few lines that refuse
 * them all).  libcurl's FTP would do a login, but it drops the control
 * connection after each 530 and adds PWD/TYPE round trips; the default
 * credential run retries on one connection as hydra does, which needs
 * only USER, PASS and the reply parser below.
 *
 * Why host keys and certificates are not verified: the device under test
 * is not a party we trust or distrust; its key is unknown beforehand,
 * its certificate is self-signed as often as not, and what is asked here
 * is only whether it accepts a published default credential, which we
 * would not mind an impostor learning.  The TLS check judges the
 * certificate separately.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "login_proto.h"

static pthread_once_t init_once = PTHREAD_ONCE_INIT;

/*
 * Whether this thread's last SL_LOGIN_BLOCKED came before the service
 * could have judged the password (Sl_login_blind).
 */
static _Thread_local bool last_blind;

void
Sl_login_set_blind(void)
{
	last_blind = true;
}

bool
Sl_login_blind(void)
{
	return last_blind;
}

static void
global_init(void)
{
	curl_global_init(CURL_GLOBAL_DEFAULT);
	mosquitto_lib_init();
	ssh_init();
}

void
Sl_login_global_init(void)
{
	pthread_once(&init_once, global_init);
}

void SL_PRINTF(3, 4) Sl_login_say(char *d, size_t n, const char *fmt, ...)
{
	va_list ap;

	if (d == NULL || n == 0)
		return;
	va_start(ap, fmt);
	vsnprintf(d, n, fmt, ap);
	va_end(ap);
}

unsigned
Sl_login_timeout(const struct sl_scan *s)
{
	return s->dev && s->dev->o.timeout_ms ? s->dev->o.timeout_ms
	                                      : SL_NET_TIMEOUT_MS;
}

/* Credentials that would end a line early inject commands: refused. */
bool
Sl_login_one_line(const char *a, const char *b)
{
	return strpbrk(a, "\r\n") == NULL && strpbrk(b, "\r\n") == NULL;
}

/* Case-insensitive memmem. */
const char *
Sl_login_find_ci(const char *h, size_t n, const char *needle)
{
	size_t k = strlen(needle), i, j;

	if (k == 0 || k > n)
		return NULL;
	for (i = 0; i + k <= n; i++) {
		for (j = 0; j < k; j++)
			if (tolower((unsigned char)h[i + j]) !=
			    tolower((unsigned char)needle[j]))
				break;
		if (j == k)
			return h + i;
	}
	return NULL;
}

/* ------------------------------------------------------------------ */
/* The protocols                                                       */
/* ------------------------------------------------------------------ */

/* Every login protocol, one file each (login_proto.h). */
const struct Sl_login_proto *const Sl_login_protos[] = {
    &Sl_login_ssh,  &Sl_login_telnet, &Sl_login_ftp,  &Sl_login_http,
    &Sl_login_mqtt, &Sl_login_rtsp,   &Sl_login_snmp, NULL,
};

const struct Sl_login_proto *
Sl_login_proto_find(const char *name, bool tls)
{
	const struct Sl_login_proto *const *p;
	size_t i;

	for (p = Sl_login_protos; *p != NULL; p++)
		for (i = 0;
		     i < SL_ARRAY_LEN((*p)->names) && (*p)->names[i] != NULL;
		     i++)
			if (strcmp((*p)->names[i], name) == 0)
				return !tls || (*p)->tls ? *p : NULL;
	return NULL;
}

/* The kept connection                                                 */
/* ------------------------------------------------------------------ */

static struct Sl_login_conn *
conn_new(void)
{
	struct Sl_login_conn *c = calloc(1, sizeof(*c));

	if (c == NULL)
		return NULL;
	c->tn.fd = -1;
	c->ftp_fd = -1;
	Sl_buf_init(&c->ftp_in, FTP_MAX_REPLY);
	return c;
}

void
Sl_login_conn_free(struct Sl_login_conn *c)
{
	const struct Sl_login_proto *const *p;

	if (c == NULL)
		return;
	for (p = Sl_login_protos; *p != NULL; p++)
		if ((*p)->release != NULL)
			(*p)->release(c);
	free(c);
}

/* ------------------------------------------------------------------ */

/* Dispatch                                                            */
/* ------------------------------------------------------------------ */

enum Sl_login
Sl_login_attempt(struct sl_scan *s, const struct Sl_service *svc,
                 const char *user, const char *pass,
                 struct Sl_login_conn **keep, char *detail, size_t detail_len)
{
	const char *nm = svc->pub.name;
	const struct Sl_login_proto *p;
	struct Sl_login_conn *c;
	enum Sl_login res;

	if (detail != NULL && detail_len > 0)
		detail[0] = 0;
	last_blind = false;
	if (s->dev == NULL || user == NULL || pass == NULL) {
		Sl_login_say(detail, detail_len, "no device or no credential");
		return SL_LOGIN_ERROR;
	}
	Sl_login_global_init();
	c = keep != NULL ? *keep : NULL;
	if (c == NULL && (c = conn_new()) == NULL) {
		Sl_login_say(detail, detail_len, "out of memory");
		return SL_LOGIN_ERROR;
	}
	p = nm != NULL ? Sl_login_proto_find(nm, svc->pub.tls) : NULL;
	if (p != NULL) {
		res = p->login(s, svc, c, user, pass, detail, detail_len);
	} else {
		Sl_login_say(detail, detail_len, "no login for %s%s",
		             nm ? nm : "an unnamed service",
		             svc->pub.tls ? " over TLS" : "");
		res = SL_LOGIN_UNSUPPORTED;
	}
	if (keep != NULL)
		*keep = c;
	else
		Sl_login_conn_free(c);
	return res;
}

enum Sl_login
Sl_login_try(struct sl_scan *s, const struct Sl_service *svc, const char *user,
             const char *pass, char *detail, size_t detail_len)
{
	return Sl_login_attempt(s, svc, user, pass, NULL, detail, detail_len);
}
