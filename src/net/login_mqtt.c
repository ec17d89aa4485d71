/*
 * login_mqtt.c - MQTT logins over libmosquitto (login_proto.h): CONNECT
 * with a user name and password (TLS for mqtts) and the CONNACK it gets,
 * within SL_LOGIN_WAIT_MS.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

#include <netinet/tcp.h>

#include "login_proto.h"

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
mqtt_login(struct sl_scan *s, const struct Sl_service *svc,
           struct Sl_login_conn *c, const char *user, const char *pass, char *d,
           size_t dn)
{
	struct Sl_mqtt q = {0};
	enum Sl_login res;
	sl_rc rc;

	(void)c; /* a new connection every time */
	rc = Sl_mqtt_connect(s, svc, user, pass, &q);
	if (rc != SL_OK) {
		Sl_login_say(d, dn, "%s", Sl_last_error());
		res = rc == SL_E_NET ? SL_LOGIN_BLOCKED : SL_LOGIN_ERROR;
		if (res == SL_LOGIN_BLOCKED)
			BLIND();
	} else if (q.connack == 0) {
		Sl_login_say(d, dn, "CONNACK 0 (accepted)");
		res = SL_LOGIN_OK;
	} else {
		Sl_login_say(d, dn, "CONNACK %d", q.connack);
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

const struct Sl_login_proto Sl_login_mqtt = {
    .names = {"mqtt", "mqtts", NULL},
    .ports = {1883, 8883, 0},
    .tls = true,
    .login = mqtt_login,
};
