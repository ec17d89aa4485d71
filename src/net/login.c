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
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include <netinet/tcp.h>

#include <libssh/libssh.h>

#include "login.h"
#include "snmp.h"

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
/* Longest FTP reply (all its lines) accepted. */
#define FTP_MAX_REPLY 8192

static pthread_once_t init_once = PTHREAD_ONCE_INIT;

/*
 * Whether this thread's last SL_LOGIN_BLOCKED came before the service
 * could have judged the password (Sl_login_blind).
 */
static _Thread_local bool last_blind;
#define BLIND() (last_blind = true)

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

static void SL_PRINTF(3, 4) say(char *d, size_t n, const char *fmt, ...)
{
	va_list ap;

	if (d == NULL || n == 0)
		return;
	va_start(ap, fmt);
	vsnprintf(d, n, fmt, ap);
	va_end(ap);
}

static unsigned
net_timeout(const struct sl_scan *s)
{
	return s->dev && s->dev->o.timeout_ms ? s->dev->o.timeout_ms
	                                      : SL_NET_TIMEOUT_MS;
}

/* Credentials that would end a line early inject commands: refused. */
static bool
one_line(const char *a, const char *b)
{
	return strpbrk(a, "\r\n") == NULL && strpbrk(b, "\r\n") == NULL;
}

/* Case-insensitive memmem. */
static const char *
find_ci(const char *h, size_t n, const char *needle)
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

/* Does s (n bytes) end with suffix, ignoring case? */
static bool
ends_ci(const char *s, size_t n, const char *suffix)
{
	size_t k = strlen(suffix);

	return k <= n && strncasecmp(s + n - k, suffix, k) == 0;
}

/* ------------------------------------------------------------------ */
/* Telnet                                                              */
/* ------------------------------------------------------------------ */

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
static const char *const denial_words[] = {
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
	for (i = 0; denial_words[i] != NULL; i++)
		if (find_ci(text, n, denial_words[i]) != NULL)
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
	                       net_timeout(s));
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
/* The kept connection                                                 */
/* ------------------------------------------------------------------ */

struct Sl_login_conn {
	CURL *curl;      /* http: keep-alive */
	struct Sl_tn tn; /* telnet: at a login prompt when tn_ready */
	bool tn_ready;
	int ftp_fd; /* ftp: logged out, ready for USER */
	struct Sl_buf ftp_in;
	size_t ftp_total;
	ssh_session ssh; /* ssh: connected, not authenticated */
	char ssh_user[128];
	unsigned ssh_methods;
};

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

static void
tn_drop(struct Sl_login_conn *c)
{
	if (c->tn.fd >= 0)
		Sl_tn_close(&c->tn);
	c->tn_ready = false;
}

static void
ftp_drop(struct Sl_login_conn *c)
{
	if (c->ftp_fd >= 0)
		close(c->ftp_fd);
	c->ftp_fd = -1;
	Sl_buf_reset(&c->ftp_in);
	c->ftp_total = 0;
}

static void
ssh_drop(struct Sl_login_conn *c)
{
	if (c->ssh != NULL) {
		ssh_disconnect(c->ssh);
		ssh_free(c->ssh);
	}
	c->ssh = NULL;
	c->ssh_user[0] = 0;
}

void
Sl_login_conn_free(struct Sl_login_conn *c)
{
	if (c == NULL)
		return;
	if (c->curl != NULL)
		curl_easy_cleanup(c->curl);
	tn_drop(c);
	ftp_drop(c);
	Sl_buf_free(&c->ftp_in);
	ssh_drop(c);
	free(c);
}

/* ------------------------------------------------------------------ */
/* Telnet login                                                        */
/* ------------------------------------------------------------------ */

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
	say(d, n, "%s: \"%s\"", what, ex);
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
	*j = Sl_tn_open(s, svc, &c->tn, 2 * net_timeout(s));
	if (*j < 0) {
		int e = errno;

		tn_drop(c);
		if (e == ECONNREFUSED || e == ECONNRESET) {
			say(d, dn, "%s",
			    e == ECONNREFUSED ? "connection refused"
			                      : "closed before a prompt");
			*res = SL_LOGIN_BLOCKED;
			BLIND();
		} else if (e == EMSGSIZE) {
			/* tn_read's cap: an option flood, or endless text. */
			say(d, dn,
			    "no login prompt in the first %u KiB the "
			    "service sent (telnet options or text without "
			    "end)",
			    SL_LOGIN_MAX_STREAM >> 10);
			*res = SL_LOGIN_ERROR;
		} else {
			say(d, dn, "%s: %s",
			    e == ETIMEDOUT || e == ECONNREFUSED ||
			            e == EHOSTUNREACH || e == ENETUNREACH
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
	unsigned to = net_timeout(s);
	enum Sl_login res;
	bool fresh;
	int j, tries;

	if (!one_line(user, pass)) {
		say(d, dn, "credential holds a line break");
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
				say(d, dn, "shell without a password");
				tn_drop(c);
				return SL_LOGIN_OK;
			}
			if (j == SL_TN_LOGIN || j == SL_TN_DENIED) {
				say(d, dn, "user name refused");
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
			say(d, dn, "login incorrect");
			if (!c->tn_ready)
				tn_drop(c);
			return SL_LOGIN_DENIED;
		case SL_TN_PASS:
			say(d, dn, "password asked again");
			tn_drop(c);
			return SL_LOGIN_DENIED;
		case SL_TN_MORE:
			tn_excerpt(&c->tn, d, dn, "no answer to the password");
			tn_drop(c);
			return SL_LOGIN_ERROR;
		default:
			say(d, dn, "closed after the password");
			tn_drop(c);
			return SL_LOGIN_DENIED;
		}
	lost:
		/* A kept connection may have timed out: once afresh. */
		tn_drop(c);
		if (fresh) {
			say(d, dn, "closed during login");
			return SL_LOGIN_BLOCKED;
		}
	}
	say(d, dn, "closed during login");
	return SL_LOGIN_ERROR;
}

/* ------------------------------------------------------------------ */
/* FTP                                                                 */
/* ------------------------------------------------------------------ */

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
	unsigned to = net_timeout(s);
	char text[160];
	int code, tries;
	bool fresh;

	if (!one_line(user, pass)) {
		say(d, dn, "credential holds a line break");
		return SL_LOGIN_ERROR;
	}
	for (tries = 0; tries < 2; tries++) {
		fresh = c->ftp_fd < 0;
		if (fresh) {
			c->ftp_fd = Sl_tcp_connect(&s->dev->t, svc->addr,
			                           svc->pub.port, to);
			if (c->ftp_fd < 0) {
				int e = errno;

				say(d, dn, "connect: %s", strerror(e));
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
					say(d, dn, "no FTP greeting");
				else if (code == FTP_CLOSED)
					say(d, dn, "closed before greeting");
				else
					say(d, dn, "greeting: %s", text);
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
			say(d, dn, "no password asked: %s", text);
		switch (code) {
		case 230:
		case 202:
		case 332:
			if (d != NULL && d[0] == 0)
				say(d, dn, "%s", text);
			(void)ftp_cmd(c, "QUIT", "", to, text, sizeof(text));
			ftp_drop(c);
			return SL_LOGIN_OK;
		case 421:
			say(d, dn, "%s", text);
			ftp_drop(c);
			return SL_LOGIN_BLOCKED;
		case FTP_CLOSED:
			say(d, dn, "closed after the credential");
			ftp_drop(c);
			return SL_LOGIN_DENIED;
		case FTP_TIMEOUT:
		case FTP_BAD:
			say(d, dn, "%s",
			    code == FTP_TIMEOUT ? "no answer to the credential"
			                        : "malformed reply");
			ftp_drop(c);
			return SL_LOGIN_ERROR;
		}
		if (code == 430 || (code >= 530 && code < 560)) {
			say(d, dn, "%s", text);
			return SL_LOGIN_DENIED;
		}
		say(d, dn, "unexpected reply: %s", text);
		ftp_drop(c);
		return SL_LOGIN_ERROR;
	}
	say(d, dn, "connection lost");
	return SL_LOGIN_ERROR;
}

/* ------------------------------------------------------------------ */
/* SSH                                                                 */
/* ------------------------------------------------------------------ */

/* Does a libssh error say that the server dropped or refused us? */
static bool
ssh_dropped(const char *e)
{
	return e != NULL && (strstr(e, "isconnect") != NULL ||
	                     strstr(e, "closed") || strstr(e, "reset") ||
	                     strstr(e, "refused") || strstr(e, "Socket error"));
}

/* Connect a fresh session into c; an Sl_login value on failure, or -1. */
static int
ssh_open(struct sl_scan *s, const struct Sl_service *svc,
         struct Sl_login_conn *c, const char *user, char *d, size_t dn)
{
	long secs = SL_LOGIN_WAIT_MS / 1000;
	int fd, port = (int)svc->pub.port, no = 0, rc;
	int verb = SSH_LOG_NOLOG;

	ssh_drop(c);
	fd = Sl_tcp_connect(&s->dev->t, svc->addr, svc->pub.port,
	                    net_timeout(s));
	if (fd < 0) {
		int e = errno;

		say(d, dn, "connect: %s", strerror(e));
		if (e != ECONNREFUSED)
			return SL_LOGIN_ERROR;
		BLIND();
		return SL_LOGIN_BLOCKED;
	}
	c->ssh = ssh_new();
	if (c->ssh == NULL) {
		close(fd);
		say(d, dn, "out of memory");
		return SL_LOGIN_ERROR;
	}
	/*
	 * The socket is ours, connected to the target's own address;
	 * libssh owns it from here and closes it in ssh_disconnect.  No
	 * configuration file is read, and the host key is not checked
	 * (see the top of this file).
	 */
	ssh_options_set(c->ssh, SSH_OPTIONS_FD, &fd);
	ssh_options_set(c->ssh, SSH_OPTIONS_HOST, svc->pub.address);
	ssh_options_set(c->ssh, SSH_OPTIONS_PORT, &port);
	ssh_options_set(c->ssh, SSH_OPTIONS_USER, user);
	ssh_options_set(c->ssh, SSH_OPTIONS_TIMEOUT, &secs);
	ssh_options_set(c->ssh, SSH_OPTIONS_PROCESS_CONFIG, &no);
	ssh_options_set(c->ssh, SSH_OPTIONS_LOG_VERBOSITY, &verb);
	if (ssh_connect(c->ssh) != SSH_OK) {
		const char *e = ssh_get_error(c->ssh);

		say(d, dn, "ssh: %s", e);
		rc = ssh_dropped(e) ? SL_LOGIN_BLOCKED : SL_LOGIN_ERROR;
		if (rc == SL_LOGIN_BLOCKED)
			BLIND();
		ssh_drop(c);
		return rc;
	}
	snprintf(c->ssh_user, sizeof(c->ssh_user), "%s", user);
	rc = ssh_userauth_none(c->ssh, NULL);
	if (rc == SSH_AUTH_SUCCESS) {
		say(d, dn, "no authentication asked");
		ssh_drop(c);
		return SL_LOGIN_OK;
	}
	if (rc == SSH_AUTH_ERROR) {
		say(d, dn, "ssh: %s", ssh_get_error(c->ssh));
		ssh_drop(c);
		return SL_LOGIN_ERROR;
	}
	c->ssh_methods = (unsigned)ssh_userauth_list(c->ssh, NULL);
	return -1;
}

/* Keyboard-interactive: the password to every hidden prompt. */
static int
ssh_kbdint(ssh_session ss, const char *user, const char *pass)
{
	int rc, round, i, n;

	rc = ssh_userauth_kbdint(ss, NULL, NULL);
	for (round = 0; rc == SSH_AUTH_INFO && round < 4; round++) {
		n = ssh_userauth_kbdint_getnprompts(ss);
		/* UNTRUSTED: the server's prompt count. */
		for (i = 0; i < n && i < 8; i++) {
			char echo = 0;

			if (ssh_userauth_kbdint_getprompt(ss, (unsigned)i,
			                                  &echo) == NULL)
				break;
			ssh_userauth_kbdint_setanswer(ss, (unsigned)i,
			                              echo ? user : pass);
		}
		rc = ssh_userauth_kbdint(ss, NULL, NULL);
	}
	return rc == SSH_AUTH_INFO ? SSH_AUTH_DENIED : rc;
}

static enum Sl_login
ssh_login(struct sl_scan *s, const struct Sl_service *svc,
          struct Sl_login_conn *c, const char *user, const char *pass, char *d,
          size_t dn)
{
	int tries, rc;
	bool fresh;

	for (tries = 0; tries < 2; tries++) {
		/* A session keeps its user: servers refuse a change. */
		fresh = c->ssh == NULL || strcmp(c->ssh_user, user) != 0;
		if (fresh && (rc = ssh_open(s, svc, c, user, d, dn)) >= 0)
			return (enum Sl_login)rc;
		if (c->ssh_methods & SSH_AUTH_METHOD_PASSWORD)
			rc = ssh_userauth_password(c->ssh, NULL, pass);
		else if (c->ssh_methods & SSH_AUTH_METHOD_INTERACTIVE)
			rc = ssh_kbdint(c->ssh, user, pass);
		else {
			say(d, dn, "no password login offered (%s%s%s)",
			    c->ssh_methods & SSH_AUTH_METHOD_PUBLICKEY
			        ? "publickey"
			        : "methods",
			    c->ssh_methods & SSH_AUTH_METHOD_HOSTBASED
			        ? ", hostbased"
			        : "",
			    c->ssh_methods & SSH_AUTH_METHOD_GSSAPI_MIC
			        ? ", gssapi"
			        : "");
			ssh_drop(c);
			return SL_LOGIN_UNSUPPORTED;
		}
		switch (rc) {
		case SSH_AUTH_SUCCESS:
		case SSH_AUTH_PARTIAL:
			say(d, dn, "%s",
			    rc == SSH_AUTH_SUCCESS ? "password accepted"
			                           : "password accepted, "
			                             "another factor asked");
			ssh_drop(c);
			return SL_LOGIN_OK;
		case SSH_AUTH_DENIED:
			say(d, dn, "password refused");
			/* The server may have had enough of this session. */
			if (!ssh_is_connected(c->ssh))
				ssh_drop(c);
			return SL_LOGIN_DENIED;
		}
		say(d, dn, "ssh: %s", ssh_get_error(c->ssh));
		rc = ssh_dropped(ssh_get_error(c->ssh));
		ssh_drop(c);
		if (fresh)
			return rc ? SL_LOGIN_BLOCKED : SL_LOGIN_ERROR;
	}
	return SL_LOGIN_ERROR;
}

/* ------------------------------------------------------------------ */
/* HTTP                                                                */
/* ------------------------------------------------------------------ */

bool
Sl_http_tls(const struct Sl_service *svc)
{
	return svc->pub.tls || strcmp(svc->pub.name, "https") == 0;
}

static void
url_base(const struct Sl_service *svc, const char *scheme, char *out, size_t n)
{
	bool v6 = strchr(svc->pub.address, ':') != NULL;

	snprintf(out, n, "%s://%s%s%s:%u", scheme, v6 ? "[" : "",
	         svc->pub.address, v6 ? "]" : "", svc->pub.port);
}

void
Sl_http_base(const struct Sl_service *svc, char *out, size_t n)
{
	url_base(svc, Sl_http_tls(svc) ? "https" : "http", out, n);
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
		if (find_ci(p, n, "basic") != NULL)
			r->basic = true;
		if (find_ci(p, n, "digest") != NULL)
			r->digest = true;
	} else if (n > sizeof(sc) && strncasecmp(p, sc, sizeof(sc) - 1) == 0) {
		r->cookie = true;
	}
	return n;
}

/* Options every request to the device gets. */
static void
curl_common(struct sl_scan *s, CURL *h, const char *protocols, char *err)
{
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, protocols);
	curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
	/* No proxy from the environment: only the device is contacted. */
	curl_easy_setopt(h, CURLOPT_PROXY, "");
	curl_easy_setopt(h, CURLOPT_NOPROXY, "*");
	curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, (long)net_timeout(s));
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
	curl_common(s, *h, "http,https", r->err);
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

/* ---- HTML login forms ---------------------------------------------- */

/* Copy at most n-1 bytes of [p, p+len) into out. */
static void
cut(char *out, size_t n, const char *p, size_t len)
{
	if (len >= n)
		len = n - 1;
	memcpy(out, p, len);
	out[len] = 0;
}

/*
 * Read the attributes of a tag from p (after its name) up to '>' or end.
 * Calls back for type, name, value, action, method.  Returns where the
 * tag ends.
 */
struct attrs {
	char type[16], name[64], value[128], action[256], method[8];
};

static const char *
tag_attrs(const char *p, const char *end, struct attrs *a)
{
	memset(a, 0, sizeof(*a));
	while (p < end) {
		const char *n0, *v0;
		size_t nl, vl;

		while (p < end && (isspace((unsigned char)*p) || *p == '/'))
			p++;
		if (p >= end || *p == '>')
			break;
		n0 = p;
		while (p < end && !isspace((unsigned char)*p) && *p != '=' &&
		       *p != '>' && *p != '/')
			p++;
		nl = (size_t)(p - n0);
		if (nl == 0) {
			p++;
			continue;
		}
		while (p < end && isspace((unsigned char)*p))
			p++;
		v0 = p;
		vl = 0;
		if (p < end && *p == '=') {
			p++;
			while (p < end && isspace((unsigned char)*p))
				p++;
			if (p < end && (*p == '"' || *p == '\'')) {
				char q = *p++;

				v0 = p;
				while (p < end && *p != q)
					p++;
				vl = (size_t)(p - v0);
				if (p < end)
					p++;
			} else {
				v0 = p;
				while (p < end && !isspace((unsigned char)*p) &&
				       *p != '>')
					p++;
				vl = (size_t)(p - v0);
			}
		}
#define ATTR(nm, field)                                                        \
	if (nl == sizeof(nm) - 1 && strncasecmp(n0, nm, nl) == 0)              \
		cut(a->field, sizeof(a->field), v0, vl);
		ATTR("type", type)
		ATTR("name", name)
		ATTR("value", value)
		ATTR("action", action)
		ATTR("method", method)
#undef ATTR
	}
	return p;
}

static bool
user_like(const char *name)
{
	static const char *const w[] = {"user", "login", "name", "account",
	                                "mail", "uid",   NULL};
	size_t i;

	for (i = 0; w[i] != NULL; i++)
		if (strcasestr(name, w[i]) != NULL)
			return true;
	return false;
}

bool
Sl_html_login_form(const char *html, size_t n, struct Sl_form *f)
{
	const char *p, *end;

	memset(f, 0, sizeof(*f));
	/* An empty body has no buffer: NULL + 0 is undefined in C. */
	if (html == NULL || n == 0)
		return false;
	p = html;
	end = html + n;
	/* UNTRUSTED: every scan below stops at end. */
	while (p < end) {
		const char *fs = find_ci(p, (size_t)(end - p), "<form");
		const char *fe, *q;
		struct attrs a;
		char user[64] = "", ufirst[64] = "";

		if (fs == NULL)
			return false;
		q = tag_attrs(fs + 5, end, &a);
		memset(f, 0, sizeof(*f));
		snprintf(f->action, sizeof(f->action), "%s", a.action);
		f->get = strcasecmp(a.method, "get") == 0;
		fe = find_ci(q, (size_t)(end - q), "</form");
		if (fe == NULL)
			fe = end;
		while (q < fe) {
			const char *in = find_ci(q, (size_t)(fe - q), "<input");

			if (in == NULL)
				break;
			q = tag_attrs(in + 6, fe, &a);
			if (strcasecmp(a.type, "password") == 0) {
				if (f->pass[0] == 0 && a.name[0] != 0)
					snprintf(f->pass, sizeof(f->pass), "%s",
					         a.name);
			} else if (a.name[0] == 0) {
				continue;
			} else if (strcasecmp(a.type, "hidden") == 0 ||
			           strcasecmp(a.type, "submit") == 0) {
				if (f->nfields < SL_FORM_MAX_FIELDS) {
					snprintf(f->field[f->nfields].name,
					         sizeof(f->field[0].name), "%s",
					         a.name);
					snprintf(f->field[f->nfields].value,
					         sizeof(f->field[0].value),
					         "%s", a.value);
					f->nfields++;
				}
			} else if (a.type[0] == 0 ||
			           strcasecmp(a.type, "text") == 0 ||
			           strcasecmp(a.type, "email") == 0 ||
			           strcasecmp(a.type, "tel") == 0) {
				if (f->pass[0] == 0 && ufirst[0] == 0)
					snprintf(ufirst, sizeof(ufirst), "%s",
					         a.name);
				if (f->pass[0] == 0 && user[0] == 0 &&
				    user_like(a.name))
					snprintf(user, sizeof(user), "%s",
					         a.name);
			}
		}
		if (f->pass[0] != 0) {
			snprintf(f->user, sizeof(f->user), "%s",
			         user[0] ? user : ufirst);
			return true;
		}
		p = fe < end ? fe + 1 : end;
	}
	return false;
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

	for (i = 0; denial_words[i] != NULL; i++)
		if (find_ci((const char *)b->p, b->n, denial_words[i]) != NULL)
			return true;
	return false;
}

static enum Sl_login
http_code(long code, char *d, size_t dn)
{
	if (code == 429 || code == 503) {
		/* A rate limit, which counts requests, not passwords. */
		say(d, dn, "HTTP %ld", code);
		BLIND();
		return SL_LOGIN_BLOCKED;
	}
	if (code == 401 || code == 403 || code == 407) {
		say(d, dn, "HTTP %ld", code);
		return SL_LOGIN_DENIED;
	}
	return SL_LOGIN_ERROR;
}

/* No answer at all: refused or dropped means blocked. */
static enum Sl_login
http_noanswer(const struct Sl_http_resp *r, char *d, size_t dn)
{
	say(d, dn, "%s", r->err[0] ? r->err : curl_easy_strerror(r->cc));
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
		res = http_code(r.code, d, dn);
		if (res == SL_LOGIN_ERROR || res == SL_LOGIN_DENIED)
			say(d, dn, "login page answers HTTP %ld", r.code);
		Sl_http_resp_free(&r);
		return res == SL_LOGIN_DENIED ? SL_LOGIN_ERROR : res;
	}
	ok = Sl_html_login_form((const char *)r.body.p, r.body.n, &f);
	Sl_http_resp_free(&r);
	if (!ok) {
		say(d, dn, "no login form at %s", page);
		return SL_LOGIN_ERROR;
	}
	if (!resolve_ref(svc, page, f.action[0] ? f.action : page, to,
	                 sizeof(to))) {
		say(d, dn, "form action off the device: %s", f.action);
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
		say(d, dn, "form too large");
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
			say(d, dn, "redirect off the device");
			res = SL_LOGIN_ERROR;
		} else if (strcmp(l, page) == 0 || strcasestr(l, "login") ||
		           strcasestr(l, "error") || strcasestr(l, "fail") ||
		           strcasestr(l, "denied")) {
			say(d, dn, "redirected back to %s", l);
			res = SL_LOGIN_DENIED;
		} else {
			say(d, dn, "redirected to %s%s", l,
			    r.cookie ? " with a cookie" : "");
			res = SL_LOGIN_OK;
		}
	} else if (r.code >= 200 && r.code < 300) {
		if (Sl_html_login_form((const char *)r.body.p, r.body.n, &f) ||
		    says_failed(&r.body)) {
			say(d, dn, "login form shown again");
			res = SL_LOGIN_DENIED;
		} else {
			say(d, dn, "HTTP %ld without the login form%s", r.code,
			    r.cookie ? ", cookie set" : "");
			res = SL_LOGIN_OK;
		}
	} else {
		res = http_code(r.code, d, dn);
		if (res == SL_LOGIN_ERROR)
			say(d, dn, "form answered HTTP %ld", r.code);
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
		say(d, dn, "HTTP %ld with the credential", r.code);
		res = SL_LOGIN_OK;
	} else {
		res = http_code(r.code, d, dn);
		if (res == SL_LOGIN_ERROR)
			say(d, dn, "HTTP %ld", r.code);
	}
	Sl_http_resp_free(&r);
	return res;
}

/* ------------------------------------------------------------------ */
/* RTSP and FTP listings over libcurl                                  */
/* ------------------------------------------------------------------ */

struct sink {
	struct Sl_buf *b;
	size_t max;
};

static size_t
sink_cb(char *p, size_t sz, size_t nm, void *user)
{
	struct sink *k = user;
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

long
Sl_rtsp_describe(struct sl_scan *s, const struct Sl_service *svc,
                 const char *path, const char *user, const char *pass,
                 struct Sl_buf *body)
{
	char url[300], err[CURL_ERROR_SIZE];
	struct sink k = {body, SL_LOGIN_MAX_BODY};
	long code = 0;
	CURL *h;

	Sl_login_global_init();
	if ((h = curl_easy_init()) == NULL)
		return 0;
	url_base(svc, "rtsp", url, sizeof(url));
	snprintf(url + strlen(url), sizeof(url) - strlen(url), "%s",
	         path ? path : "/");
	curl_common(s, h, "rtsp", err);
	curl_easy_setopt(h, CURLOPT_URL, url);
	curl_easy_setopt(h, CURLOPT_RTSP_STREAM_URI, url);
	curl_easy_setopt(h, CURLOPT_RTSP_REQUEST, (long)CURL_RTSPREQ_DESCRIBE);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, sink_cb);
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

sl_rc
Sl_ftp_list(struct sl_scan *s, const struct Sl_service *svc, const char *user,
            const char *pass, struct Sl_buf *out)
{
	char url[300], err[CURL_ERROR_SIZE] = "";
	struct sink k = {out, out->max ? out->max : SL_LOGIN_MAX_BODY};
	CURLcode cc;
	CURL *h;

	Sl_login_global_init();
	if ((h = curl_easy_init()) == NULL)
		return Sl_fail(s, SL_E_NOMEM, "curl_easy_init failed");
	url_base(svc, "ftp", url, sizeof(url));
	strncat(url, "/", sizeof(url) - strlen(url) - 1);
	curl_common(s, h, "ftp", err);
	curl_easy_setopt(h, CURLOPT_URL, url);
	curl_easy_setopt(h, CURLOPT_USERNAME, user);
	curl_easy_setopt(h, CURLOPT_PASSWORD, pass);
	curl_easy_setopt(h, CURLOPT_DIRLISTONLY, 1L);
	/* The data connection goes to the service's address, not PASV's. */
	curl_easy_setopt(h, CURLOPT_FTP_SKIP_PASV_IP, 1L);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, sink_cb);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, &k);
	cc = curl_easy_perform(h);
	curl_easy_cleanup(h);
	if (cc != CURLE_OK && !(cc == CURLE_WRITE_ERROR && out->n >= k.max))
		return Sl_fail(s, SL_E_NET, "%s: %s", url,
		               err[0] ? err : curl_easy_strerror(cc));
	return SL_OK;
}

/* ------------------------------------------------------------------ */
/* MQTT                                                                */
/* ------------------------------------------------------------------ */

/*
 * Has the peer refused, reset or closed the connection on fd?  The errno
 * that says so (ECONNREFUSED, ECONNRESET, EPIPE for an orderly close),
 * or 0 while it may still answer.  Peeks only: nothing is consumed.
 */
static int
sock_gone(int fd)
{
	int err = 0;
	socklen_t el = sizeof(err);
	char c;
	ssize_t k;

	if (fd < 0)
		return ENOTCONN; /* libmosquitto closed it */
	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &el) == 0 && err != 0)
		return err;
	k = recv(fd, &c, 1, MSG_PEEK | MSG_DONTWAIT);
	if (k == 0) {
		struct tcp_info ti;
		socklen_t tl = sizeof(ti);

		/*
		 * A refused connect whose error the TLS layer consumed
		 * reads as an end of file too: no round trip was ever
		 * measured, as no SYN-ACK came.
		 */
		if (getsockopt(fd, IPPROTO_TCP, TCP_INFO, &ti, &tl) == 0 &&
		    ti.tcpi_rtt == 0)
			return ECONNREFUSED;
		return EPIPE;
	}
	if (k < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
		/* ENOTCONN: a refused connect whose error was consumed. */
		return errno == ENOTCONN ? ECONNREFUSED : errno;
	return 0;
}

static void
on_connect(struct mosquitto *m, void *obj, int rc)
{
	(void)m;
	((struct Sl_mqtt *)obj)->connack = rc;
}

sl_rc
Sl_mqtt_connect(struct sl_scan *s, const struct Sl_service *svc,
                const char *user, const char *pass, struct Sl_mqtt *q)
{
	uint64_t end;
	int rc, peek, gone = 0, err;

	Sl_login_global_init();
	q->connack = -1;
	q->m = mosquitto_new(NULL, true, q);
	if (q->m == NULL)
		return Sl_fail(s, SL_E_NOMEM, "mosquitto_new failed");
	mosquitto_int_option(q->m, MOSQ_OPT_PROTOCOL_VERSION,
	                     MQTT_PROTOCOL_V311);
	mosquitto_connect_callback_set(q->m, on_connect);
	if (user != NULL && *user != 0 &&
	    mosquitto_username_pw_set(q->m, user, pass) != MOSQ_ERR_SUCCESS)
		return Sl_fail(s, SL_E_NOMEM, "mosquitto_username_pw_set");
	if (svc->pub.tls) {
		/*
		 * TLS without verification (top of file): libmosquitto
		 * wants a CA path before it turns TLS on at all.
		 */
		if (mosquitto_tls_set(q->m, NULL, "/etc/ssl/certs", NULL, NULL,
		                      NULL) != MOSQ_ERR_SUCCESS ||
		    mosquitto_tls_opts_set(q->m, 0, NULL, NULL) !=
		        MOSQ_ERR_SUCCESS ||
		    mosquitto_tls_insecure_set(q->m, true) != MOSQ_ERR_SUCCESS)
			return Sl_fail(s, SL_E_IO, "mqtt: cannot set up TLS");
	}
	end = Sl_now_ms() + SL_LOGIN_WAIT_MS;
	errno = 0;
	/* Numeric address: no name lookup; non-blocking connect. */
	rc = mosquitto_connect_async(q->m, svc->pub.address, (int)svc->pub.port,
	                             30);
	err = errno;
	/*
	 * Our own handle on the socket, which outlives libmosquitto's
	 * closing of it: whether the peer closed or reset it can be read
	 * after a TLS error too (OpenSSL 3 calls an EOF in the handshake
	 * SSL_ERROR_SSL, "unexpected eof").
	 */
	peek = rc == MOSQ_ERR_SUCCESS && mosquitto_socket(q->m) >= 0
	           ? fcntl(mosquitto_socket(q->m), F_DUPFD_CLOEXEC, 0)
	           : -1;
	while (rc == MOSQ_ERR_SUCCESS && q->connack < 0) {
		if (Sl_now_ms() >= end) {
			if (peek >= 0)
				close(peek);
			return Sl_fail(s, SL_E_TIMEOUT, "mqtt: no CONNACK");
		}
		errno = 0;
		rc = mosquitto_loop(q->m, 100, 1);
		err = errno;
		if (rc != MOSQ_ERR_SUCCESS || q->connack >= 0)
			break;
		/*
		 * libmosquitto 2.0 retries a TLS handshake that failed with
		 * SSL_ERROR_SYSCALL (a reset, an EOF, a refused connect)
		 * and reports success each time: a busy loop until our
		 * deadline, and a refusal read as silence.  Look at the
		 * socket ourselves.  The CONNACK, when it came with the
		 * close, was read by the loop above already.
		 */
		gone = sock_gone(peek >= 0 ? peek : mosquitto_socket(q->m));
		if (gone != 0) {
			(void)mosquitto_loop(q->m, 0, 1);
			break;
		}
	}
	/*
	 * A TLS error on a connection the peer closed or reset (the
	 * handshake may run inside mosquitto_connect_async already, on a
	 * connect that completed at once): the errno of the failed socket
	 * call says so, or our handle on the socket.
	 */
	if (q->connack < 0 && gone == 0 && rc == MOSQ_ERR_TLS) {
		if (err == EPIPE || err == ECONNRESET || err == ECONNREFUSED)
			gone = err;
		else if (peek >= 0)
			gone = sock_gone(peek);
	}
	if (peek >= 0)
		close(peek);
	if (q->connack >= 0)
		return SL_OK;
	if (gone != 0)
		return Sl_fail(s, SL_E_NET, "mqtt: %s",
		               gone == ECONNREFUSED ? "connection refused"
		               : gone == ECONNRESET ? "connection reset"
		               : gone == EPIPE    ? "connection closed before "
		                                    "the CONNACK"
		               : gone == ENOTCONN ? "connection lost"
		                                  : strerror(gone));
	/*
	 * Refused, reset or closed before the CONNACK: SL_E_NET (the
	 * service turned us away); anything else (TLS, protocol): SL_E_IO.
	 */
	if (rc == MOSQ_ERR_CONN_LOST || rc == MOSQ_ERR_CONN_REFUSED ||
	    (rc == MOSQ_ERR_ERRNO &&
	     (errno == ECONNREFUSED || errno == ECONNRESET || errno == EPIPE)))
		return Sl_fail(s, SL_E_NET, "mqtt: %s",
		               rc == MOSQ_ERR_ERRNO ? strerror(errno)
		                                    : mosquitto_strerror(rc));
	return Sl_fail(s, SL_E_IO, "mqtt: %s",
	               rc == MOSQ_ERR_ERRNO && errno ? strerror(errno)
	                                             : mosquitto_strerror(rc));
}

void
Sl_mqtt_close(struct Sl_mqtt *q)
{
	if (q->m != NULL)
		mosquitto_destroy(q->m);
	q->m = NULL;
}

static enum Sl_login
mqtt_login(struct sl_scan *s, const struct Sl_service *svc, const char *user,
           const char *pass, char *d, size_t dn)
{
	struct Sl_mqtt q = {0};
	enum Sl_login res;
	sl_rc rc;

	rc = Sl_mqtt_connect(s, svc, user, pass, &q);
	if (rc != SL_OK) {
		say(d, dn, "%s", Sl_last_error());
		res = rc == SL_E_NET ? SL_LOGIN_BLOCKED : SL_LOGIN_ERROR;
		if (res == SL_LOGIN_BLOCKED)
			BLIND();
	} else if (q.connack == 0) {
		say(d, dn, "CONNACK 0 (accepted)");
		res = SL_LOGIN_OK;
	} else {
		say(d, dn, "CONNACK %d", q.connack);
		/* 3 and 137 (server unavailable / busy): refusal. */
		res = q.connack == 3 || q.connack == 136 || q.connack == 137 ||
		              q.connack == 159
		          ? SL_LOGIN_BLOCKED
		          : SL_LOGIN_DENIED;
	}
	Sl_mqtt_close(&q);
	return res;
}

/* ------------------------------------------------------------------ */
/* RTSP and SNMP logins                                                */
/* ------------------------------------------------------------------ */

static enum Sl_login
rtsp_login(struct sl_scan *s, const struct Sl_service *svc, const char *user,
           const char *pass, char *d, size_t dn)
{
	long code = Sl_rtsp_describe(s, svc, svc->realm_path, user, pass, NULL);

	if (code == 0) {
		say(d, dn, "no RTSP answer");
		return SL_LOGIN_ERROR;
	}
	if (code >= 200 && code < 300) {
		say(d, dn, "RTSP %ld to DESCRIBE", code);
		return SL_LOGIN_OK;
	}
	if (http_code(code, d, dn) != SL_LOGIN_ERROR)
		return http_code(code, d, dn);
	say(d, dn, "RTSP %ld", code);
	return SL_LOGIN_ERROR;
}

static enum Sl_login
snmp_login(struct sl_scan *s, const struct Sl_service *svc, const char *pass,
           char *d, size_t dn)
{
	char out[128];
	int r = Sl_snmp_get(s, svc, pass, SL_SNMP_SYSDESCR, out, sizeof(out),
	                    net_timeout(s));

	if (r == 1) {
		say(d, dn, "sysDescr: %s", out);
		return SL_LOGIN_OK;
	}
	if (r == 0) {
		/* Agents drop a wrong community without a word. */
		say(d, dn, "no answer to the community");
		return SL_LOGIN_DENIED;
	}
	say(d, dn, "snmp: %s", strerror(errno));
	if (errno != ECONNREFUSED)
		return SL_LOGIN_ERROR;
	BLIND();
	return SL_LOGIN_BLOCKED;
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
	struct Sl_login_conn *c;
	enum Sl_login res;

	if (detail != NULL && detail_len > 0)
		detail[0] = 0;
	last_blind = false;
	if (s->dev == NULL || user == NULL || pass == NULL) {
		say(detail, detail_len, "no device or no credential");
		return SL_LOGIN_ERROR;
	}
	Sl_login_global_init();
	c = keep != NULL ? *keep : NULL;
	if (c == NULL && (c = conn_new()) == NULL) {
		say(detail, detail_len, "out of memory");
		return SL_LOGIN_ERROR;
	}
	if (strcmp(nm, "ssh") == 0 && !svc->pub.tls)
		res = ssh_login(s, svc, c, user, pass, detail, detail_len);
	else if (strcmp(nm, "telnet") == 0 && !svc->pub.tls)
		res = telnet_login(s, svc, c, user, pass, detail, detail_len);
	else if (strcmp(nm, "ftp") == 0 && !svc->pub.tls)
		res = ftp_login(s, svc, c, user, pass, detail, detail_len);
	else if (strcmp(nm, "http") == 0 || strcmp(nm, "https") == 0)
		res = http_login(s, svc, c, user, pass, detail, detail_len);
	else if (strcmp(nm, "mqtt") == 0 || strcmp(nm, "mqtts") == 0)
		res = mqtt_login(s, svc, user, pass, detail, detail_len);
	else if (strcmp(nm, "rtsp") == 0 && !svc->pub.tls)
		res = rtsp_login(s, svc, user, pass, detail, detail_len);
	else if (strcmp(nm, "snmp") == 0)
		res = snmp_login(s, svc, pass, detail, detail_len);
	else {
		say(detail, detail_len, "no login for %s%s", nm,
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
