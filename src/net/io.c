/*
 * io.c - blocking socket helpers with a timeout on every wait.
 *
 * Probes and protocol clients talk to one service at a time; poll(2) on
 * one descriptor keeps them simple.  The port scan, which has thousands
 * of connects in flight, has its own epoll loop (portscan.c).
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <time.h>
#include <unistd.h>

#include "net.h"

uint64_t
Sl_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

static struct sockaddr *
with_port(const struct Sl_target *t, size_t i, unsigned port,
          struct sockaddr_storage *ss)
{
	memcpy(ss, &t->addr[i], t->alen[i]);
	if (ss->ss_family == AF_INET)
		((struct sockaddr_in *)ss)->sin_port = htons((uint16_t)port);
	else
		((struct sockaddr_in6 *)ss)->sin6_port = htons((uint16_t)port);
	return (struct sockaddr *)ss;
}

/* Wait for fd to become ready for ev; 1 ready, 0 timeout, -1 error. */
static int
wait_fd(int fd, short ev, unsigned timeout_ms)
{
	struct pollfd p = {.fd = fd, .events = ev};
	uint64_t end = Sl_now_ms() + timeout_ms;
	int rc;

	for (;;) {
		uint64_t now = Sl_now_ms();

		if (now >= end)
			return 0;
		rc = poll(&p, 1, (int)(end - now));
		if (rc >= 0 || errno != EINTR)
			return rc > 0 ? 1 : rc;
	}
}

int
Sl_tcp_connect(const struct Sl_target *t, size_t i, unsigned port,
               unsigned timeout_ms)
{
	struct sockaddr_storage ss;
	int fd, err = 0;
	socklen_t el = sizeof(err);

	if (i >= t->naddr || port == 0 || port > 65535) {
		errno = EINVAL;
		return -1;
	}
	fd = socket(t->addr[i].ss_family,
	            SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	if (connect(fd, with_port(t, i, port, &ss), t->alen[i]) == 0)
		return fd;
	if (errno != EINPROGRESS)
		goto fail;
	switch (wait_fd(fd, POLLOUT, timeout_ms)) {
	case 0: errno = ETIMEDOUT; goto fail;
	case -1: goto fail;
	}
	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &el) != 0)
		goto fail;
	if (err != 0) {
		errno = err;
		goto fail;
	}
	return fd;
fail:
	err = errno;
	close(fd);
	errno = err;
	return -1;
}

int
Sl_udp_socket(const struct Sl_target *t, size_t i, unsigned port)
{
	struct sockaddr_storage ss;
	int fd, err;

	if (i >= t->naddr || port == 0 || port > 65535) {
		errno = EINVAL;
		return -1;
	}
	fd = socket(t->addr[i].ss_family,
	            SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	if (connect(fd, with_port(t, i, port, &ss), t->alen[i]) != 0) {
		err = errno;
		close(fd);
		errno = err;
		return -1;
	}
	return fd;
}

ssize_t
Sl_io_read(int fd, void *buf, size_t n, unsigned timeout_ms)
{
	ssize_t r;

	for (;;) {
		r = read(fd, buf, n);
		if (r >= 0)
			return r;
		if (errno == EINTR)
			continue;
		if (errno != EAGAIN && errno != EWOULDBLOCK)
			return -1;
		switch (wait_fd(fd, POLLIN, timeout_ms)) {
		case 0: errno = ETIMEDOUT; return -1;
		case -1: return -1;
		}
	}
}

int
Sl_io_write(int fd, const void *buf, size_t n, unsigned timeout_ms)
{
	const uint8_t *p = buf;
	uint64_t end = Sl_now_ms() + timeout_ms;

	while (n > 0) {
		ssize_t w = send(fd, p, n, MSG_NOSIGNAL);
		uint64_t now;

		if (w > 0) {
			p += w;
			n -= (size_t)w;
			continue;
		}
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0 && errno != EAGAIN && errno != EWOULDBLOCK)
			return -1;
		now = Sl_now_ms();
		if (now >= end ||
		    wait_fd(fd, POLLOUT, (unsigned)(end - now)) <= 0) {
			errno = ETIMEDOUT;
			return -1;
		}
	}
	return 0;
}

/* Does the content of b contain needle (or one of its alternatives)? */
static bool
has_needle(const struct Sl_buf *b, const char *needle, bool alt)
{
	const char *p = needle;

	if (b->n == 0)
		return false;
	while (*p) {
		const char *e = alt ? strchr(p, '|') : NULL;
		size_t nl = e ? (size_t)(e - p) : strlen(p);

		if (nl > 0 && memmem(b->p, b->n, p, nl) != NULL)
			return true;
		if (e == NULL)
			break;
		p = e + 1;
	}
	return false;
}

bool
Sl_io_read_until(int fd, struct Sl_buf *b, const char *needle, bool alt,
                 unsigned timeout_ms)
{
	uint64_t end = Sl_now_ms() + timeout_ms;
	uint8_t tmp[2048];

	for (;;) {
		uint64_t now = Sl_now_ms();
		size_t room;
		ssize_t r;

		if (needle != NULL && has_needle(b, needle, alt))
			return true;
		room = b->max > b->n ? b->max - b->n : 0;
		if (room == 0 || now >= end)
			return false;
		r = Sl_io_read(fd, tmp, room < sizeof(tmp) ? room : sizeof(tmp),
		               (unsigned)(end - now));
		if (r <= 0)
			return false;
		if (Sl_buf_add(b, tmp, (size_t)r) != SL_OK)
			return false;
	}
}
