/*
 * login_ftp.c - FTP logins (login_proto.h): the reply parser
 * (Sl_ftp_reply: hostile bytes, fuzzed by login_fuzz.c), USER and PASS
 * on one control connection kept between attempts (as hydra does), and
 * the directory listing over libcurl (Sl_ftp_list).
 *
 * Trust: a reply is at most FTP_MAX_REPLY bytes, a connection reads at
 * most SL_LOGIN_MAX_STREAM bytes, and the listing's data connection goes
 * to the service's own address whatever PASV names.
 */
#include <ctype.h>
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "login_proto.h"

/* FTP                                                                 */
/* ------------------------------------------------------------------ */

static void
ftp_drop(struct Sl_login_conn *c)
{
	if (c->ftp_fd >= 0)
		close(c->ftp_fd);
	c->ftp_fd = -1;
	Sl_buf_reset(&c->ftp_in);
	c->ftp_total = 0;
}

static bool
digit3(const uint8_t *p)
{
	return p[0] >= '1' && p[0] <= '5' && isdigit(p[1]) && isdigit(p[2]);
}

int
Sl_ftp_reply(const uint8_t *p, size_t n, size_t *used)
{
	const uint8_t *nl;
	size_t lim = n < FTP_MAX_REPLY ? n : FTP_MAX_REPLY, off;
	int code;

	*used = 0;
	if (n == 0)
		return 0;
	/* UNTRUSTED: the first line, at most FTP_MAX_REPLY bytes. */
	nl = memchr(p, '\n', lim);
	if (nl == NULL)
		return n >= FTP_MAX_REPLY ? -1 : 0;
	if (nl - p < 3 || !digit3(p))
		return -1;
	code = (p[0] - '0') * 100 + (p[1] - '0') * 10 + (p[2] - '0');
	off = (size_t)(nl - p) + 1;
	if (off > 4 && p[3] != ' ' && p[3] != '-' && p[3] != '\r')
		return -1;
	if (off <= 4 || p[3] != '-') {
		*used = off;
		return code;
	}
	/* Multi-line: up to a line "NNN " with the same code. */
	for (;;) {
		const uint8_t *l = p + off;

		nl = memchr(l, '\n', lim - off);
		if (nl == NULL)
			return n >= FTP_MAX_REPLY ? -1 : 0;
		off = (size_t)(nl - p) + 1;
		if (nl - l >= 4 && memcmp(l, p, 3) == 0 && l[3] == ' ') {
			*used = off;
			return code;
		}
	}
}

enum { FTP_BAD = -1, FTP_CLOSED = -2, FTP_TIMEOUT = -3 };

/* Read one reply; its first line into text.  Code, or FTP_*. */
static int
ftp_read(struct Sl_login_conn *c, unsigned wait_ms, char *text, size_t tn)
{
	uint64_t end = Sl_now_ms() + wait_ms;

	for (;;) {
		uint8_t buf[2048];
		size_t used, k;
		uint64_t now;
		ssize_t r;
		int code = Sl_ftp_reply(c->ftp_in.p, c->ftp_in.n, &used);

		if (code < 0)
			return FTP_BAD;
		if (code > 0) {
			for (k = 0;
			     k + 1 < tn && k < used && c->ftp_in.p[k] != '\r' &&
			     c->ftp_in.p[k] != '\n';
			     k++)
				text[k] = c->ftp_in.p[k] >= 0x20 &&
				                  c->ftp_in.p[k] < 0x7f
				              ? (char)c->ftp_in.p[k]
				              : '.';
			if (tn > 0)
				text[k] = 0;
			memmove(c->ftp_in.p, c->ftp_in.p + used,
			        c->ftp_in.n - used);
			c->ftp_in.n -= used;
			return code;
		}
		now = Sl_now_ms();
		if (now >= end)
			return FTP_TIMEOUT;
		if (c->ftp_total >= SL_LOGIN_MAX_STREAM)
			return FTP_BAD;
		k = c->ftp_in.max - c->ftp_in.n;
		if (k > sizeof(buf))
			k = sizeof(buf);
		r = Sl_io_read(c->ftp_fd, buf, k, (unsigned)(end - now));
		if (r == 0 || (r < 0 && errno != ETIMEDOUT))
			return FTP_CLOSED;
		if (r < 0)
			return FTP_TIMEOUT;
		/* UNTRUSTED: bounded per reply and per connection. */
		c->ftp_total += (size_t)r;
		if (Sl_buf_add(&c->ftp_in, buf, (size_t)r) != SL_OK)
			return FTP_BAD;
	}
}

static int
ftp_cmd(struct Sl_login_conn *c, const char *verb, const char *arg,
        unsigned wait_ms, char *text, size_t tn)
{
	char line[600];
	int n = snprintf(line, sizeof(line), "%s %s\r\n", verb, arg);

	if (n < 0 || (size_t)n >= sizeof(line))
		return FTP_BAD;
	if (Sl_io_write(c->ftp_fd, line, (size_t)n, wait_ms) != 0)
		return FTP_CLOSED;
	return ftp_read(c, wait_ms, text, tn);
}

static enum Sl_login
ftp_login(struct sl_scan *s, const struct Sl_service *svc,
          struct Sl_login_conn *c, const char *user, const char *pass, char *d,
          size_t dn)
{
	unsigned to = Sl_login_timeout(s);
	char text[160];
	int code, tries;
	bool fresh;

	if (!Sl_login_one_line(user, pass)) {
		Sl_login_say(d, dn, "credential holds a line break");
		return SL_LOGIN_ERROR;
	}
	for (tries = 0; tries < 2; tries++) {
		fresh = c->ftp_fd < 0;
		if (fresh) {
			c->ftp_fd = Sl_tcp_connect(&s->dev->t, svc->addr,
			                           svc->pub.port, to);
			if (c->ftp_fd < 0) {
				int e = errno;

				Sl_login_say(d, dn, "connect: %s", strerror(e));
				if (e != ECONNREFUSED)
					return SL_LOGIN_ERROR;
				BLIND();
				return SL_LOGIN_BLOCKED;
			}
			do
				code = ftp_read(c, 2 * to, text, sizeof(text));
			while (code >= 100 && code < 200);
			if (code != 220) {
				if (code == FTP_TIMEOUT || code == FTP_BAD)
					Sl_login_say(d, dn, "no FTP greeting");
				else if (code == FTP_CLOSED)
					Sl_login_say(d, dn,
					             "closed before greeting");
				else
					Sl_login_say(d, dn, "greeting: %s",
					             text);
				ftp_drop(c);
				if (code == FTP_TIMEOUT || code == FTP_BAD)
					return SL_LOGIN_ERROR;
				BLIND();
				return SL_LOGIN_BLOCKED;
			}
		}
		code = ftp_cmd(c, "USER", user, SL_LOGIN_WAIT_MS, text,
		               sizeof(text));
		if (code == FTP_CLOSED && !fresh) {
			ftp_drop(c);
			continue;
		}
		if (code == 331 || code == 332)
			code = ftp_cmd(c, "PASS", pass, SL_LOGIN_WAIT_MS, text,
			               sizeof(text));
		else if (code == 230)
			Sl_login_say(d, dn, "no password asked: %s", text);
		switch (code) {
		case 230:
		case 202:
		case 332:
			if (d != NULL && d[0] == 0)
				Sl_login_say(d, dn, "%s", text);
			(void)ftp_cmd(c, "QUIT", "", to, text, sizeof(text));
			ftp_drop(c);
			return SL_LOGIN_OK;
		case 421:
			Sl_login_say(d, dn, "%s", text);
			ftp_drop(c);
			return SL_LOGIN_BLOCKED;
		case FTP_CLOSED:
			Sl_login_say(d, dn, "closed after the credential");
			ftp_drop(c);
			return SL_LOGIN_DENIED;
		case FTP_TIMEOUT:
		case FTP_BAD:
			Sl_login_say(d, dn, "%s",
			             code == FTP_TIMEOUT
			                 ? "no answer to the credential"
			                 : "malformed reply");
			ftp_drop(c);
			return SL_LOGIN_ERROR;
		}
		if (code == 430 || (code >= 530 && code < 560)) {
			Sl_login_say(d, dn, "%s", text);
			return SL_LOGIN_DENIED;
		}
		Sl_login_say(d, dn, "unexpected reply: %s", text);
		ftp_drop(c);
		return SL_LOGIN_ERROR;
	}
	Sl_login_say(d, dn, "connection lost");
	return SL_LOGIN_ERROR;
}

/* ------------------------------------------------------------------ */

/* Names only, over libcurl, for the checks that look at the files. */
sl_rc
Sl_ftp_list(struct sl_scan *s, const struct Sl_service *svc, const char *user,
            const char *pass, struct Sl_buf *out)
{
	char url[300], err[CURL_ERROR_SIZE] = "";
	struct Sl_login_sink k = {out, out->max ? out->max : SL_LOGIN_MAX_BODY};
	CURLcode cc;
	CURL *h;

	Sl_login_global_init();
	if ((h = curl_easy_init()) == NULL)
		return Sl_fail(s, SL_E_NOMEM, "curl_easy_init failed");
	Sl_login_url_base(svc, "ftp", url, sizeof(url));
	strncat(url, "/", sizeof(url) - strlen(url) - 1);
	Sl_login_curl_common(s, h, "ftp", err);
	curl_easy_setopt(h, CURLOPT_URL, url);
	curl_easy_setopt(h, CURLOPT_USERNAME, user);
	curl_easy_setopt(h, CURLOPT_PASSWORD, pass);
	curl_easy_setopt(h, CURLOPT_DIRLISTONLY, 1L);
	/* The data connection goes to the service's address, not PASV's. */
	curl_easy_setopt(h, CURLOPT_FTP_SKIP_PASV_IP, 1L);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, Sl_login_sink_cb);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, &k);
	cc = curl_easy_perform(h);
	curl_easy_cleanup(h);
	if (cc != CURLE_OK && !(cc == CURLE_WRITE_ERROR && out->n >= k.max))
		return Sl_fail(s, SL_E_NET, "%s: %s", url,
		               err[0] ? err : curl_easy_strerror(cc));
	return SL_OK;
}

/* What the kept connection holds for FTP. */
static void
ftp_release(struct Sl_login_conn *c)
{
	ftp_drop(c);
	Sl_buf_free(&c->ftp_in);
}

const struct Sl_login_proto Sl_login_ftp = {
    .names = {"ftp", NULL},
    .ports = {21, 0},
    .login = ftp_login,
    .release = ftp_release,
};
