/*
 * login_telnet.c - telnet logins (login_proto.h): the option decoder
 * and prompt judge (Sl_tn_feed, Sl_tn_judge: hostile bytes, fuzzed by
 * login_fuzz.c), the client (Sl_tn_open, Sl_tn_send, Sl_tn_wait) and one
 * login dialogue: wait for "login:", send, wait for "Password:", send,
 * then read whether a shell or "Login incorrect" follows.
 *
 * Trust: at most SL_LOGIN_MAX_STREAM bytes are read per connection and
 * SL_TN_WINDOW bytes of text kept; every wait is bounded in time.
 */
#include <ctype.h>
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <strings.h>
#include <unistd.h>

#include "login_proto.h"

/* Telnet commands (RFC 854). */
#define TN_IAC  255
#define TN_DONT 254
#define TN_DO   253
#define TN_WONT 252
#define TN_WILL 251
#define TN_SB   250
#define TN_SE   240

/* How long a shell prompt must stay the last thing said to count. */
#define TN_QUIET_MS 300

/* Telnet                                                              */
/* ------------------------------------------------------------------ */

/* Does s (n bytes) end with suffix, ignoring case? */
static bool
ends_ci(const char *s, size_t n, const char *suffix)
{
	size_t k = strlen(suffix);

	return k <= n && strncasecmp(s + n - k, suffix, k) == 0;
}

enum { TS_DATA, TS_IAC, TS_OPT, TS_SB, TS_SB_IAC };

/* Append c to the text window, dropping the older half when full. */
static void
tn_put(struct Sl_buf *b, uint8_t c)
{
	if (b == NULL)
		return;
	if (b->max > 1 && b->n >= b->max) {
		size_t half = b->n / 2;

		memmove(b->p, b->p + half, b->n - half);
		b->n -= half;
	}
	(void)Sl_buf_add(b, &c, 1);
}

void
Sl_tn_feed(struct Sl_tn_parse *p, const uint8_t *in, size_t n,
           struct Sl_buf *text, struct Sl_buf *reply)
{
	size_t i;

	for (i = 0; i < n; i++) {
		uint8_t c = in[i];

		switch (p->st) {
		case TS_DATA:
			if (c == TN_IAC)
				p->st = TS_IAC;
			else if (c != 0)
				tn_put(text, c);
			break;
		case TS_IAC:
			if (c == TN_IAC) {
				tn_put(text, c);
				p->st = TS_DATA;
			} else if (c >= TN_WILL && c <= TN_DONT) {
				p->cmd = c;
				p->st = TS_OPT;
			} else if (c == TN_SB) {
				p->sb = 0;
				p->st = TS_SB;
			} else {
				/* NOP, GA, AYT ...: nothing to answer. */
				p->st = TS_DATA;
			}
			break;
		case TS_OPT:
			/*
			 * Refuse: DO -> WONT, WILL -> DONT.  DONT and WONT
			 * confirm what we already do, so no answer (RFC
			 * 854's rule against negotiation loops).
			 */
			if (reply != NULL &&
			    (p->cmd == TN_DO || p->cmd == TN_WILL)) {
				uint8_t a[3] = {
				    TN_IAC, p->cmd == TN_DO ? TN_WONT : TN_DONT,
				    c};

				(void)Sl_buf_add(reply, a, sizeof(a));
			}
			p->st = TS_DATA;
			break;
		case TS_SB:
			if (c == TN_IAC)
				p->st = TS_SB_IAC;
			else
				p->sb++;
			break;
		case TS_SB_IAC:
			/* IAC SE ends it; IAC IAC is a data 255 inside. */
			p->st = c == TN_SE ? TS_DATA : TS_SB;
			p->sb++;
			break;
		default: p->st = TS_DATA; break;
		}
	}
}

/* Words that say a login failed. */
const char *const Sl_login_denial_words[] = {
    "incorrect", "invalid",      "denied",        "failed",       "failure",
    "wrong",     "bad password", "not permitted", "unauthorized", NULL,
};

enum Sl_tn_prompt
Sl_tn_judge(const char *text, size_t n)
{
	static const char *const login_p[] = {
	    "login:",   "username:", "user name:", "user:", "login as:",
	    "account:", "userid:",   "user id:",   NULL,
	};
	static const char *const pass_p[] = {
	    "password:", "passwd:", "passcode:", "pass:", "password :", NULL,
	};
	size_t end = n, start, i;
	const char *tail;
	size_t tl;

	if (text == NULL || n == 0)
		return SL_TN_MORE;
	/* The last line, without trailing blanks. */
	while (end > 0 && (text[end - 1] == ' ' || text[end - 1] == '\t'))
		end--;
	start = end;
	while (start > 0 && text[start - 1] != '\n' && text[start - 1] != '\r')
		start--;
	tail = text + start;
	tl = end - start;
	if (tl > 0) {
		for (i = 0; login_p[i] != NULL; i++)
			if (ends_ci(tail, tl, login_p[i]))
				return SL_TN_LOGIN;
		for (i = 0; pass_p[i] != NULL; i++)
			if (ends_ci(tail, tl, pass_p[i]))
				return SL_TN_PASS;
		if (tl <= 160 && strchr("#$>%", tail[tl - 1]) != NULL)
			return SL_TN_SHELL;
	}
	for (i = 0; Sl_login_denial_words[i] != NULL; i++)
		if (Sl_login_find_ci(text, n, Sl_login_denial_words[i]) != NULL)
			return SL_TN_DENIED;
	return SL_TN_MORE;
}

/* Read once, up to timeout_ms: decode, answer options.  As read(2). */
static ssize_t
tn_read(struct Sl_tn *t, unsigned timeout_ms)
{
	uint8_t buf[2048];
	struct Sl_buf reply;
	ssize_t r;
	int w = 0;

	if (t->total >= SL_LOGIN_MAX_STREAM) {
		errno = EMSGSIZE;
		return -1;
	}
	r = Sl_io_read(t->fd, buf, sizeof(buf), timeout_ms);
	if (r <= 0)
		return r;
	/* UNTRUSTED: what the server sends is bounded per connection. */
	t->total += (size_t)r;
	Sl_buf_init(&reply, 512);
	Sl_tn_feed(&t->p, buf, (size_t)r, &t->text, &reply);
	if (reply.n > 0)
		w = Sl_io_write(t->fd, reply.p, reply.n, timeout_ms);
	Sl_buf_free(&reply);
	return w == 0 ? r : -1;
}

int
Sl_tn_wait(struct Sl_tn *t, unsigned wait_ms)
{
	uint64_t end = Sl_now_ms() + wait_ms;

	for (;;) {
		enum Sl_tn_prompt j =
		    Sl_tn_judge((const char *)t->text.p, t->text.n);
		uint64_t now = Sl_now_ms();
		unsigned left = now < end ? (unsigned)(end - now) : 0;
		ssize_t r;

		if (j == SL_TN_SHELL) {
			/* Only if nothing follows the prompt for a moment. */
			r = tn_read(t, left < TN_QUIET_MS ? left : TN_QUIET_MS);
			if (r < 0 && errno == ETIMEDOUT)
				return SL_TN_SHELL;
			if (r == 0) {
				errno = ECONNRESET;
				return -1;
			}
			if (r < 0)
				return -1;
			continue;
		}
		if (j != SL_TN_MORE)
			return j;
		if (left == 0)
			return SL_TN_MORE;
		r = tn_read(t, left);
		if (r < 0 && errno == ETIMEDOUT)
			return SL_TN_MORE;
		if (r == 0) {
			errno = ECONNRESET;
			return -1;
		}
		if (r < 0)
			return -1;
	}
}

int
Sl_tn_open(struct sl_scan *s, const struct Sl_service *svc, struct Sl_tn *t,
           unsigned wait_ms)
{
	memset(t, 0, sizeof(*t));
	Sl_buf_init(&t->text, SL_TN_WINDOW);
	t->fd = Sl_tcp_connect(&s->dev->t, svc->addr, svc->pub.port,
	                       Sl_login_timeout(s));
	if (t->fd < 0)
		return -1;
	return Sl_tn_wait(t, wait_ms);
}

int
Sl_tn_send(struct Sl_tn *t, const char *line, unsigned timeout_ms)
{
	char buf[600];
	int n = snprintf(buf, sizeof(buf), "%s\r\n", line);

	if (n < 0 || (size_t)n >= sizeof(buf)) {
		errno = EINVAL;
		return -1;
	}
	Sl_buf_reset(&t->text);
	return Sl_io_write(t->fd, buf, (size_t)n, timeout_ms);
}

void
Sl_tn_close(struct Sl_tn *t)
{
	if (t->fd >= 0)
		close(t->fd);
	t->fd = -1;
	Sl_buf_free(&t->text);
}

/* ------------------------------------------------------------------ */

/* Telnet login                                                        */
/* ------------------------------------------------------------------ */

static void
tn_drop(struct Sl_login_conn *c)
{
	if (c->tn.fd >= 0)
		Sl_tn_close(&c->tn);
	c->tn_ready = false;
}

/* A printable excerpt of the telnet text, for the detail. */
static void
tn_excerpt(const struct Sl_tn *t, char *d, size_t n, const char *what)
{
	char ex[80];
	size_t i, k = 0, from = t->text.n > 60 ? t->text.n - 60 : 0;

	for (i = from; i < t->text.n && k + 1 < sizeof(ex); i++) {
		uint8_t ch = t->text.p[i];

		ex[k++] = ch >= 0x20 && ch < 0x7f ? (char)ch : ' ';
	}
	ex[k] = 0;
	Sl_login_say(d, n, "%s: \"%s\"", what, ex);
}

/*
 * Open a fresh connection up to its first prompt.  True with *j the
 * prompt (login or password); false with the verdict in *res.
 */
static bool
tn_fresh(struct sl_scan *s, const struct Sl_service *svc,
         struct Sl_login_conn *c, int *j, enum Sl_login *res, char *d,
         size_t dn)
{
	tn_drop(c);
	/* Banner and prompt: twice the step timeout. */
	*j = Sl_tn_open(s, svc, &c->tn, 2 * Sl_login_timeout(s));
	if (*j < 0) {
		int e = errno;

		tn_drop(c);
		if (e == ECONNREFUSED || e == ECONNRESET) {
			Sl_login_say(d, dn, "%s",
			             e == ECONNREFUSED
			                 ? "connection refused"
			                 : "closed before a prompt");
			*res = SL_LOGIN_BLOCKED;
			BLIND();
		} else if (e == EMSGSIZE) {
			/* tn_read's cap: an option flood, or endless text. */
			Sl_login_say(
			    d, dn,
			    "no login prompt in the first %u KiB the "
			    "service sent (telnet options or text without "
			    "end)",
			    SL_LOGIN_MAX_STREAM >> 10);
			*res = SL_LOGIN_ERROR;
		} else {
			Sl_login_say(d, dn, "%s: %s",
			             e == ETIMEDOUT || e == ECONNREFUSED ||
			                     e == EHOSTUNREACH ||
			                     e == ENETUNREACH
			                 ? "connect"
			                 : "telnet",
			             strerror(e));
			*res = SL_LOGIN_ERROR;
		}
		return false;
	}
	switch (*j) {
	case SL_TN_LOGIN:
	case SL_TN_PASS: return true;
	case SL_TN_SHELL:
		tn_excerpt(&c->tn, d, dn, "a shell without login");
		*res = SL_LOGIN_OK;
		break;
	case SL_TN_DENIED:
		tn_excerpt(&c->tn, d, dn, "refused before login");
		*res = SL_LOGIN_BLOCKED;
		BLIND();
		break;
	default:
		tn_excerpt(&c->tn, d, dn, "no login prompt");
		*res = SL_LOGIN_ERROR;
		break;
	}
	tn_drop(c);
	return false;
}

static enum Sl_login
telnet_login(struct sl_scan *s, const struct Sl_service *svc,
             struct Sl_login_conn *c, const char *user, const char *pass,
             char *d, size_t dn)
{
	unsigned to = Sl_login_timeout(s);
	enum Sl_login res;
	bool fresh;
	int j, tries;

	if (!Sl_login_one_line(user, pass)) {
		Sl_login_say(d, dn, "credential holds a line break");
		return SL_LOGIN_ERROR;
	}
	for (tries = 0; tries < 2; tries++) {
		fresh = !c->tn_ready;
		if (fresh) {
			if (!tn_fresh(s, svc, c, &j, &res, d, dn))
				return res;
		} else {
			j = SL_TN_LOGIN;
		}
		c->tn_ready = false;
		if (j == SL_TN_LOGIN) {
			if (Sl_tn_send(&c->tn, user, to) != 0)
				goto lost;
			j = Sl_tn_wait(&c->tn, SL_LOGIN_WAIT_MS);
			if (j < 0)
				goto lost;
			if (j == SL_TN_SHELL) {
				Sl_login_say(d, dn, "shell without a password");
				tn_drop(c);
				return SL_LOGIN_OK;
			}
			if (j == SL_TN_LOGIN || j == SL_TN_DENIED) {
				Sl_login_say(d, dn, "user name refused");
				c->tn_ready = j == SL_TN_LOGIN;
				if (!c->tn_ready)
					tn_drop(c);
				return SL_LOGIN_DENIED;
			}
			if (j != SL_TN_PASS) {
				tn_excerpt(&c->tn, d, dn, "no password prompt");
				tn_drop(c);
				return SL_LOGIN_ERROR;
			}
		}
		if (Sl_tn_send(&c->tn, pass, to) != 0)
			goto lost;
		j = Sl_tn_wait(&c->tn, SL_LOGIN_WAIT_MS);
		switch (j) {
		case SL_TN_SHELL:
			tn_excerpt(&c->tn, d, dn, "shell prompt");
			tn_drop(c);
			return SL_LOGIN_OK;
		case SL_TN_DENIED:
			/* The next login prompt usually follows. */
			if (Sl_tn_wait(&c->tn, to) == SL_TN_LOGIN)
				c->tn_ready = true;
			/* FALLTHROUGH */
		case SL_TN_LOGIN:
			if (j == SL_TN_LOGIN)
				c->tn_ready = true;
			Sl_login_say(d, dn, "login incorrect");
			if (!c->tn_ready)
				tn_drop(c);
			return SL_LOGIN_DENIED;
		case SL_TN_PASS:
			Sl_login_say(d, dn, "password asked again");
			tn_drop(c);
			return SL_LOGIN_DENIED;
		case SL_TN_MORE:
			tn_excerpt(&c->tn, d, dn, "no answer to the password");
			tn_drop(c);
			return SL_LOGIN_ERROR;
		default:
			Sl_login_say(d, dn, "closed after the password");
			tn_drop(c);
			return SL_LOGIN_DENIED;
		}
	lost:
		/* A kept connection may have timed out: once afresh. */
		tn_drop(c);
		if (fresh) {
			Sl_login_say(d, dn, "closed during login");
			return SL_LOGIN_BLOCKED;
		}
	}
	Sl_login_say(d, dn, "closed during login");
	return SL_LOGIN_ERROR;
}

/* ------------------------------------------------------------------ */

const struct Sl_login_proto Sl_login_telnet = {
    .names = {"telnet", NULL},
    .ports = {23, 2323, 0},
    .login = telnet_login,
    .release = tn_drop,
};
