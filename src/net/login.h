/*
 * login.h - what login.c offers beyond Sl_login_try (net.h): attempts
 * that keep their connection for the next one, the HTTP, FTP, telnet and
 * MQTT client steps the authentication checks share, and the entry
 * points of the hand-written parsers for the unit tests and the fuzz
 * target (login_fuzz.c).
 *
 * Everything here talks to one service of s->dev's target and nothing
 * else: URLs are built from the service's address, and redirects or form
 * actions naming another host are not followed.
 */
#ifndef SL_LOGIN_H
#define SL_LOGIN_H

#include <curl/curl.h>
#include <mosquitto.h>

#include "net.h"

/*
 * How long to wait for the answer to a credential.  Longer than one
 * network step: login(1) and PAM delay a failure by 2-3 s, vsftpd by 1 s,
 * dropbear by about 0.3 s, and a growing delay is what brute-force
 * detection wants to see, not a timeout.
 */
#define SL_LOGIN_WAIT_MS 10000
/* Bytes of one HTTP or RTSP body kept (the rest is not downloaded). */
#define SL_LOGIN_MAX_BODY (64U << 10)
/* Bytes a telnet or FTP client reads over one connection at most. */
#define SL_LOGIN_MAX_STREAM (256U << 10)
/* Bytes of decoded telnet text kept for judging the prompt. */
#define SL_TN_WINDOW 4096

/* One-time process-wide set-up of libcurl, libssh and libmosquitto. */
void Sl_login_global_init(void);

/* ------------------------------------------------------------------ */
/* Attempts that keep their connection                                 */
/* ------------------------------------------------------------------ */

/* A connection kept between the attempts of one worker. */
struct Sl_login_conn;

/*
 * One login attempt, as Sl_login_try.  With keep not NULL, a connection
 * left in *keep by the previous attempt on the same service is used when
 * it can be (a telnet login prompt, an FTP control connection, an SSH
 * session of the same user, an HTTP keep-alive connection), and the
 * connection is left there for the next attempt.  A kept connection that
 * fails is replaced by a fresh one once; only a fresh connection that is
 * refused or dropped counts as SL_LOGIN_BLOCKED.  Free with
 * Sl_login_conn_free.
 */
enum Sl_login Sl_login_attempt(struct sl_scan *s, const struct Sl_service *svc,
                               const char *user, const char *pass,
                               struct Sl_login_conn **keep, char *detail,
                               size_t detail_len);
void Sl_login_conn_free(struct Sl_login_conn *c);

/*
 * After an SL_LOGIN_BLOCKED on this thread: did the refusal come before
 * the service could have judged the password (a refused or reset
 * connect, a close before the prompt, a TLS handshake cut off, an HTTP
 * 429 or 503 rate limit)?  Such a limit counts connections or requests,
 * never passwords, so it lets the right password and a wrong one in
 * alike: it protects, and it can never be "bypassed" by the right one.
 */
bool Sl_login_blind(void);

/* ------------------------------------------------------------------ */
/* HTTP (and RTSP, FTP listings) over libcurl                          */
/* ------------------------------------------------------------------ */

/* What one HTTP request answered. */
struct Sl_http_resp {
	long code;          /* status, 0 when no answer */
	CURLcode cc;        /* CURLE_OK, or why the transfer failed */
	struct Sl_buf body; /* at most SL_LOGIN_MAX_BODY bytes */
	bool truncated;     /* the body was longer */
	bool basic, digest; /* WWW-Authenticate offered these */
	bool cookie;        /* a Set-Cookie header came */
	char location[512]; /* a same-host redirect target, or "" */
	bool offhost;       /* a redirect named another host (not followed) */
	char err[CURL_ERROR_SIZE];
};

/* HTTP authentication for Sl_http_request. */
enum Sl_http_auth {
	SL_HTTP_NONE = 0,
	SL_HTTP_BASIC,  /* sent with the first request */
	SL_HTTP_DIGEST, /* after the server's challenge */
	SL_HTTP_ANY,    /* whatever the server's challenge asks */
};

/*
 * One request to the web service svc.  target is a path ("/admin/") or an
 * absolute http(s) URL on the service's own address and port (anything
 * else is refused with SL_E_USAGE).  method "GET" or "POST"; body and
 * ctype for POST; hdrs extra header lines, NULL-terminated, or NULL.
 * *h is a libcurl handle kept by the caller for keep-alive (created when
 * NULL; free with curl_easy_cleanup).  Redirects are not followed: a
 * same-host target is returned in r->location.  r must be released with
 * Sl_http_resp_free.  Returns SL_OK when an answer came (any status),
 * SL_E_NET or SL_E_TIMEOUT when none did (r->cc says why).
 */
sl_rc Sl_http_request(struct sl_scan *s, const struct Sl_service *svc, CURL **h,
                      const char *method, const char *target,
                      const char *const *hdrs, const char *ctype,
                      const char *body, const char *user, const char *pass,
                      enum Sl_http_auth auth, struct Sl_http_resp *r);
void Sl_http_resp_free(struct Sl_http_resp *r);
/* "http://10.0.0.2:80" or "https://[fd00::2]:8443" for svc (no slash). */
void Sl_http_base(const struct Sl_service *svc, char *out, size_t n);
/* Does the web service speak TLS (name "https" or tls set)? */
bool Sl_http_tls(const struct Sl_service *svc);

/*
 * Find where the web service svc asks for credentials: its realm_path,
 * then a few usual admin paths.  On true, *auth is "basic", "digest" or
 * "form" and path (n bytes) the path that asked.
 */
bool Sl_http_find_login(struct sl_scan *s, const struct Sl_service *svc,
                        CURL **h, const char **auth, char *path, size_t n);

/*
 * RTSP DESCRIBE of path ("/" when NULL) with user and pass (both NULL:
 * none).  Returns the status (200, 401, ...), or 0 when no answer came.
 * At most SL_LOGIN_MAX_BODY bytes of SDP are kept in body when not NULL.
 */
long Sl_rtsp_describe(struct sl_scan *s, const struct Sl_service *svc,
                      const char *path, const char *user, const char *pass,
                      struct Sl_buf *body);

/*
 * List the top directory of the FTP service as user/pass (names only,
 * at most max bytes into out).  Passive mode, the data connection to the
 * service's own address whatever PASV names.  Returns SL_OK or SL_E_NET.
 */
sl_rc Sl_ftp_list(struct sl_scan *s, const struct Sl_service *svc,
                  const char *user, const char *pass, struct Sl_buf *out);

/* ------------------------------------------------------------------ */
/* MQTT over libmosquitto                                              */
/* ------------------------------------------------------------------ */

struct Sl_mqtt {
	struct mosquitto *m;
	int connack; /* CONNACK result, -1 before it came */
	void *user;  /* the caller's, for its message callback */
};

/*
 * Connect to the MQTT service svc (TLS when svc->pub.tls) with user and
 * pass (user NULL or "": anonymous) and wait for the CONNACK, at most
 * SL_LOGIN_WAIT_MS.  Returns SL_OK with q->connack set (0 accepted, 4 bad
 * user name or password, 5 not authorised, 134/135 in MQTT 5), or an
 * error when no CONNACK came (q->connack -1).  Release with
 * Sl_mqtt_close in every case.
 */
sl_rc Sl_mqtt_connect(struct sl_scan *s, const struct Sl_service *svc,
                      const char *user, const char *pass, struct Sl_mqtt *q);
void Sl_mqtt_close(struct Sl_mqtt *q);

/* ------------------------------------------------------------------ */
/* Telnet                                                              */
/* ------------------------------------------------------------------ */

/* The telnet option parser's state between reads. */
struct Sl_tn_parse {
	int st;      /* where in an IAC sequence */
	uint8_t cmd; /* the DO/DONT/WILL/WONT being read */
	size_t sb;   /* bytes of the current subnegotiation */
};

/*
 * Decode n bytes from a telnet server: text goes to text (NUL bytes and
 * the NUL after CR dropped), the answers to option requests to reply
 * (DO x -> WONT x, WILL x -> DONT x: we offer and accept nothing, which
 * every server must put up with).  Subnegotiations are skipped.  When a
 * buffer is full, what does not fit is dropped.
 */
void Sl_tn_feed(struct Sl_tn_parse *p, const uint8_t *in, size_t n,
                struct Sl_buf *text, struct Sl_buf *reply);

/* What the text a telnet server sent last asks for. */
enum Sl_tn_prompt {
	SL_TN_MORE = 0, /* nothing decisive yet */
	SL_TN_LOGIN,    /* "login:", "Username:" */
	SL_TN_PASS,     /* "Password:" */
	SL_TN_SHELL,    /* a shell prompt: "# ", "$ ", "> " */
	SL_TN_DENIED,   /* "Login incorrect", "Access denied" */
};
enum Sl_tn_prompt Sl_tn_judge(const char *text, size_t n);

/* A telnet connection. */
struct Sl_tn {
	int fd;
	struct Sl_tn_parse p;
	struct Sl_buf text; /* decoded text since the last send */
	size_t total;       /* bytes read over the connection */
};

/*
 * Connect to the telnet service and read until a prompt is decisive or
 * wait_ms passes.  Returns the prompt (SL_TN_MORE when none showed), or
 * -1 when the connection failed (errno) or closed at once (errno
 * ECONNRESET).  Close with Sl_tn_close.
 */
int Sl_tn_open(struct sl_scan *s, const struct Sl_service *svc, struct Sl_tn *t,
               unsigned wait_ms);
/* Send a line (CR LF appended), forgetting the text read so far. */
int Sl_tn_send(struct Sl_tn *t, const char *line, unsigned timeout_ms);
/*
 * Read until the prompt is decisive, the peer closes (returns -1, errno
 * ECONNRESET), or wait_ms passes (SL_TN_MORE).  A shell prompt counts
 * only once the server stayed quiet for a moment after it.
 */
int Sl_tn_wait(struct Sl_tn *t, unsigned wait_ms);
void Sl_tn_close(struct Sl_tn *t);

/* ------------------------------------------------------------------ */
/* FTP replies and HTML login forms                                    */
/* ------------------------------------------------------------------ */

/*
 * The FTP reply at the start of p (n bytes): its code (100-599) with
 * *used set to its length, 0 when it is not complete yet, -1 when it is
 * malformed or longer than 8 KiB.
 */
int Sl_ftp_reply(const uint8_t *p, size_t n, size_t *used);

#define SL_FORM_MAX_FIELDS 8

/* A login form found in a page. */
struct Sl_form {
	char action[256]; /* as written, "" for the page itself */
	bool get;         /* method=get */
	char user[64];    /* the user name field, "" when none */
	char pass[64];    /* the password field */
	size_t nfields;   /* hidden fields and named submit buttons */
	struct {
		char name[64];
		char value[128];
	} field[SL_FORM_MAX_FIELDS];
};

/*
 * Find the first <form> holding an <input type=password> in n bytes of
 * HTML.  Returns true and fills *f when there is one.  Bounded: names and
 * values longer than their fields are cut, at most SL_FORM_MAX_FIELDS
 * extra fields are kept.
 */
bool Sl_html_login_form(const char *html, size_t n, struct Sl_form *f);

#endif
