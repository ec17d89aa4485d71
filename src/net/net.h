/*
 * net.h - the device side: the target, its services, and the blocking
 * socket helpers that probes and protocol clients share.
 *
 * Everything the device sends is hostile input.  Every read here takes a
 * byte bound and a timeout; nothing waits without one.  Only the
 * addresses the given host resolved to are ever contacted (Sl_target).
 *
 * The stages:
 *   portscan.c  TCP connect scan of the port list on an epoll loop
 *   udp.c       UDP probes of the common IoT services
 *   probe.c     banners and probes: which service, product, version
 *   tls.c       TLS versions, certificate, ciphers (OpenSSL)
 *   login.c     one login attempt per protocol (Sl_login), used by the
 *               default-credential, brute-force and snapshot steps
 *   device.c    sl_scan_device: the stages above, then the device checks
 */
#ifndef SL_NET_H
#define SL_NET_H

#include <netinet/in.h>
#include <sys/socket.h>

#include "../core/scan.h"

#define SL_NET_MAX_ADDRS 4

/* The host under test: its name and the addresses it resolved to. */
struct Sl_target {
	const char *host; /* as given */
	size_t naddr;
	struct sockaddr_storage addr[SL_NET_MAX_ADDRS];
	socklen_t alen[SL_NET_MAX_ADDRS];
	char text[SL_NET_MAX_ADDRS]
	         [INET6_ADDRSTRLEN]; /* "10.0.0.2", "fd00::2" */
};

/* One service: the public view plus what the stages need inside. */
struct Sl_service {
	struct sl_service pub;
	size_t addr;            /* index into the target's addresses */
	int ipproto;            /* IPPROTO_TCP or IPPROTO_UDP */
	unsigned rtt_ms;        /* connect time seen by the port scan */
	const char *auth;       /* "basic", "digest", "form", or NULL (http) */
	const char *realm_path; /* http: a path that asked for credentials */
};

/* What sl_scan_device knows about the device, hung on struct sl_scan. */
struct Sl_dev {
	struct sl_device_opts o;
	struct Sl_target t;
	struct Sl_service **svc; /* malloc'd array, entries in the arena */
	size_t nsvc, capsvc;
	bool sorted;
};

/* Create s->dev for host with options o (NULL: defaults); resolve host. */
sl_rc Sl_dev_open(struct sl_scan *s, const char *host,
                  const struct sl_device_opts *o);
/* Release what s->dev holds (called by sl_scan_free). */
void Sl_dev_release(struct sl_scan *s);

/*
 * Add a service (thread-safe); the strings are copied.  Returns the
 * service, or NULL when memory ran out.  A second add of the same
 * proto/address/port returns the existing one.
 */
struct Sl_service *Sl_service_add(struct sl_scan *s, int ipproto, size_t addr,
                                  unsigned port);
/* The service on proto/port at any address, or NULL. */
struct Sl_service *Sl_service_find(struct sl_scan *s, int ipproto,
                                   unsigned port);
/* Copy a string into the scan's arena (thread-safe); NULL stays NULL. */
const char *Sl_dev_str(struct sl_scan *s, const char *str);
/* The same for n bytes of device output, made printable ('.'). */
const char *Sl_dev_printable(struct sl_scan *s, const void *p, size_t n);

/* True once sl_scan_cancel() was called. */
static inline bool
Sl_cancelled(const struct sl_scan *s)
{
	return s->cancel != 0;
}

/* Milliseconds on the monotonic clock. */
uint64_t Sl_now_ms(void);

/*
 * Connect by TCP to address i of the target on port, waiting at most
 * timeout_ms.  Returns a connected, non-blocking socket, or -1 with errno
 * set (ETIMEDOUT, ECONNREFUSED, ...).
 */
int Sl_tcp_connect(const struct Sl_target *t, size_t i, unsigned port,
                   unsigned timeout_ms);
/* A UDP socket connected to address i of the target on port, or -1. */
int Sl_udp_socket(const struct Sl_target *t, size_t i, unsigned port);

/*
 * Read at most n bytes, waiting at most timeout_ms for the first.  Returns
 * the count, 0 at end of stream, -1 on error or timeout (errno ETIMEDOUT).
 */
ssize_t Sl_io_read(int fd, void *buf, size_t n, unsigned timeout_ms);
/* Write all n bytes within timeout_ms in total.  0, or -1 with errno. */
int Sl_io_write(int fd, const void *buf, size_t n, unsigned timeout_ms);
/*
 * Append what arrives to b until its content contains needle (any of the
 * '|'-separated alternatives when alt is true), the peer closes, b is full
 * (b->max), or timeout_ms passes in total.  Returns true when the needle
 * was seen.  needle NULL: read until close, full or timeout.
 */
bool Sl_io_read_until(int fd, struct Sl_buf *b, const char *needle, bool alt,
                      unsigned timeout_ms);

/*
 * One login attempt against a service (login.c).  user may be "" for
 * protocols without users (SNMP community: pass is the community).
 */
enum Sl_login {
	SL_LOGIN_OK = 0,      /* the credential was accepted */
	SL_LOGIN_DENIED,      /* rejected as a wrong credential */
	SL_LOGIN_BLOCKED,     /* refused: locked out, rate limited (429/503),
	                         connection refused or dropped after failures */
	SL_LOGIN_ERROR,       /* could not tell: timeout, protocol error */
	SL_LOGIN_UNSUPPORTED, /* no login method for this service */
};
enum Sl_login Sl_login_try(struct sl_scan *s, const struct Sl_service *svc,
                           const char *user, const char *pass, char *detail,
                           size_t detail_len);

#endif
