/*
 * login_proto.h - the protocol descriptors of login.c and what the
 * protocol files share (internal to src/net/login*.c; login.h is the
 * interface).
 *
 * One login protocol is one file and one const struct Sl_login_proto:
 * the service names it serves, its usual ports, whether its client also
 * speaks TLS, and its functions.  login.c's table lists them, and
 * Sl_login_attempt looks the service's name up there (masscan's
 * protocol parser descriptors are the model).
 *
 *   login_ssh.c     libssh: password, else keyboard-interactive
 *   login_telnet.c  own client: refuse every option, answer the prompts
 *   login_ftp.c     own client: USER/PASS on the control connection
 *   login_http.c    libcurl: basic or digest, or a simple login form
 *   login_form.c    the HTML login-form finder login_http.c uses
 *   login_mqtt.c    libmosquitto: CONNECT with user name and password
 *   login_rtsp.c    libcurl: DESCRIBE with credentials
 *   login_snmp.c    snmp.c: a GET of sysDescr with the password as community
 */
#ifndef SL_LOGIN_PROTO_H
#define SL_LOGIN_PROTO_H

#include <libssh/libssh.h>

#include "login.h"

/* Longest FTP reply (all its lines) accepted. */
#define FTP_MAX_REPLY 8192

/* A connection kept between the attempts of one worker. */
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

/* One login protocol. */
struct Sl_login_proto {
	const char *names[3]; /* service names it serves, NULL-ended */
	uint16_t ports[5];    /* the ports it is usually found on, 0-ended */
	bool tls; /* its client also speaks TLS ("https", "mqtts") */
	/*
	 * One attempt of user/pass on svc, with c kept for the next one
	 * (see Sl_login_attempt); the detail (dn bytes) says what was seen.
	 */
	enum Sl_login (*login)(struct sl_scan *s, const struct Sl_service *svc,
	                       struct Sl_login_conn *c, const char *user,
	                       const char *pass, char *d, size_t dn);
	/* Release the protocol's part of c (may be NULL: nothing kept). */
	void (*release)(struct Sl_login_conn *c);
};

extern const struct Sl_login_proto Sl_login_ssh, Sl_login_telnet, Sl_login_ftp,
    Sl_login_http, Sl_login_mqtt, Sl_login_rtsp, Sl_login_snmp;

/* The table of login.c, NULL-ended. */
extern const struct Sl_login_proto *const Sl_login_protos[];

/*
 * The protocol that logs in to a service named name (over TLS when tls),
 * or NULL when there is none.
 */
const struct Sl_login_proto *Sl_login_proto_find(const char *name, bool tls);

/* ------------------------------------------------------------------ */
/* Shared by the protocol files (login.c)                              */
/* ------------------------------------------------------------------ */

/*
 * This thread's last SL_LOGIN_BLOCKED came before the service could have
 * judged the password (Sl_login_blind).
 */
void Sl_login_set_blind(void);
#define BLIND() Sl_login_set_blind()

/* Write the detail of an attempt (d may be NULL). */
void SL_PRINTF(3, 4) Sl_login_say(char *d, size_t n, const char *fmt, ...);
/* The scan's network timeout for one step, in ms. */
unsigned Sl_login_timeout(const struct sl_scan *s);
/* Credentials that would end a line early inject commands: refused. */
bool Sl_login_one_line(const char *a, const char *b);
/* Case-insensitive memmem. */
const char *Sl_login_find_ci(const char *h, size_t n, const char *needle);

/* Words a service uses to say a login failed (login_telnet.c). */
extern const char *const Sl_login_denial_words[];

/* ------------------------------------------------------------------ */
/* Shared libcurl steps (login_http.c)                                 */
/* ------------------------------------------------------------------ */

/* "scheme://address:port" for svc, into out (n bytes). */
void Sl_login_url_base(const struct Sl_service *svc, const char *scheme,
                       char *out, size_t n);
/* Options every request to the device gets. */
void Sl_login_curl_common(struct sl_scan *s, CURL *h, const char *protocols,
                          char *err);
/* An HTTP or RTSP status as a verdict (SL_LOGIN_ERROR: not decisive). */
enum Sl_login Sl_login_http_code(long code, char *d, size_t dn);

/* A body kept up to max bytes (b NULL: thrown away). */
struct Sl_login_sink {
	struct Sl_buf *b;
	size_t max;
};
/* The CURLOPT_WRITEFUNCTION for a struct Sl_login_sink. */
size_t Sl_login_sink_cb(char *p, size_t sz, size_t nm, void *user);

#endif
