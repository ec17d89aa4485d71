/*
 * portscan.c - the TCP connect scan: every port of the list on every
 * address of the target, on one epoll loop per core (shard_count()):
 * each loop takes every n-th port with its share of the concurrency and
 * of the rate, and the open ports are joined in port order at the end.
 *
 * Each address-port pair is a job.  A job's connect is non-blocking; the
 * loop waits for EPOLLOUT and reads the outcome (by connecting again,
 * see complete()):
 *
 *	connected     open      -> Sl_service_add(IPPROTO_TCP), closed by RST
 *	ECONNREFUSED  closed    (the device answered with RST)
 *	EHOSTUNREACH  unreachable (ICMP from a router or the device)
 *	no answer     filtered, once the job ran out of attempts
 *
 * A job that times out is tried again, at most twice, with twice the
 * timeout, so that a port whose SYN was lost in a burst is not taken for
 * filtered.  Nothing the device sends is read here: the only inputs are
 * connect outcomes, so nothing hostile is parsed.
 *
 * Pace.  Three knobs, all measured rather than guessed:
 *   - Concurrency (connects in flight) starts at SL_NET_CONC_START and
 *     moves by rounds of as many completions as it allows.  A round
 *     whose connects complete fast grows it by half; a round whose
 *     average connect time exceeds twice the fastest seen plus
 *     SL_PS_QUEUE_US shrinks it by a quarter (the connects are queueing:
 *     at the device, on the path, or in our own loop); a round with loss
 *     halves it.  Loss is what congestion looks like from here: a local
 *     error (EAGAIN, EADDRNOTAVAIL, ENOBUFS, EMFILE, ENFILE) or a
 *     timed-out connect whose retry was answered (its first SYN was
 *     dropped).  A timeout that never gets an answer is a filtered port,
 *     not congestion, so it only stops the round from growing, and not
 *     even that in a round where nothing answered: a host that drops
 *     everything is not slowed to a crawl.  Bounds:
 *     SL_NET_CONC_MIN .. SL_NET_CONC_MAX, o.concurrency when given, and
 *     RLIMIT_NOFILE less a margin.
 *   - Rate: a token bucket of o.rate new connects per second (20 ms of
 *     burst), so a small device is never flooded however fast we are.
 *   - Timeout: from the connect times measured (srtt + 4 rttvar, as TCP
 *     does), at least SL_PS_MIN_TIMEOUT_MS, at most o.timeout_ms; until
 *     the first answer, o.timeout_ms.  A retry waits twice as long.
 *
 * Cost per port: two system calls, connect() to start and connect() again
 * to read the outcome (complete()), with sockets kept from job to job
 * (slot_release()); nmap -sT spends five or more.
 *
 * Why not a raw SYN scan (masscan, nmap -sS): it needs CAP_NET_RAW and a
 * user-space TCP model, and on the LAN a device sits on the connect scan
 * is fast enough (bench/device_ports.sh).  Open ports are closed with RST
 * (connect(AF_UNSPEC) on an established socket), so the device keeps no
 * TIME_WAIT state for us.
 */
#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "stages.h"

/* Floor of the per-connect timeout once connect times are known. */
#define SL_PS_MIN_TIMEOUT_MS 100
/* Attempts per job: the first connect and at most two retries. */
#define SL_PS_ATTEMPTS 3
/* Descriptors kept free for the rest of the process. */
#define SL_PS_FD_MARGIN 64
/*
 * A round whose average connect time is over twice the fastest connect
 * plus this shrinks the concurrency: connects are queueing (at the
 * device, on the path, or in our own loop) rather than going faster.
 */
#define SL_PS_QUEUE_US 2000
/* Connects started between two looks at the completions. */
#define SL_PS_BATCH 64
/* Event loops (threads) of one scan at most, and ports each at least. */
#define SL_PS_MAX_SHARDS  4
#define SL_PS_SHARD_PORTS 4096
/* Source ports tried per new socket before it is left unbound. */
#define SL_PS_BIND_TRIES 8
/* Longest single wait, so that a cancel is seen soon. */
#define SL_PS_MAX_WAIT_MS 50

struct slot {
	int fd;          /* kept between jobs; -1 when none */
	int family;      /* of fd: 0 IPv4, 1 IPv6 */
	bool busy;       /* a connect is in flight */
	uint32_t job;    /* port index * naddr + address index */
	uint8_t attempt; /* 0 .. SL_PS_ATTEMPTS - 1 */
	uint64_t start_us;
	uint64_t deadline_us;
};

/* An open port, as a shard found it. */
struct ps_open {
	uint16_t port;
	uint16_t addr; /* index into the target's addresses */
	uint32_t rtt_us;
};

struct ps {
	struct sl_scan *s;
	struct Sl_scan_stats stats;         /* this shard's; st points here */
	size_t told_done, told_open, total; /* for Sl_progress_add */
	const struct Sl_target *t;
	struct Sl_scan_stats *st;
	uint16_t *ports;
	size_t nports, njobs, next; /* next fresh job */
	uint32_t *retry;            /* job << 2 | attempt, a stack */
	size_t nretry;
	struct slot *slot;
	size_t nslot;
	size_t *freel[2]; /* free slot indices per family, stacks */
	size_t nfree[2];
	int ep;
	unsigned inflight;
	double cwnd;
	unsigned cmax;
	/* The current round: completions, loss, timeouts, connect times. */
	unsigned round_done, round_nrtt;
	bool round_loss, round_timeouts;
	double round_rtt; /* sum of the round's connect times, us */
	double min_rtt;   /* the fastest connect so far, us */
	/* Rate. */
	double tokens, burst, rate;
	uint64_t refill_us;
	/* Connect time, microseconds, as TCP's srtt and rttvar. */
	double srtt, rttvar;
	bool have_rtt;
	uint64_t timeout_max_us;
	uint64_t next_deadline;
	/* Open ports found, kept until the shards are joined. */
	struct ps_open *open;
	size_t nopen, capopen, lost_open;
	/* A failure of this shard, given to Sl_fail once joined. */
	sl_rc fail_rc;
	char fail_msg[160];
	/* Source ports for new sockets: the ephemeral range, and where next. */
	unsigned port_lo, port_hi, port_next;
	/* Local errors with nothing in flight: since when, and which. */
	uint64_t stuck_us;
	int last_err;
};

static uint64_t
now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

int
Sl_ports_parse(const char *spec, uint8_t map[SL_PORTMAP_BYTES], size_t *count,
               size_t *bad)
{
	const char *p = spec;
	size_t n = 0;

	*count = 0;
	*bad = 0;
	if (spec == NULL)
		return -1;
	for (;;) {
		unsigned long lo = 0, hi;
		const char *item;
		unsigned long q;
		int digits = 0;

		while (*p == ' ' || *p == '\t')
			p++;
		item = p;
		while (*p >= '0' && *p <= '9' && digits < 6) {
			lo = lo * 10 + (unsigned long)(*p++ - '0');
			digits++;
		}
		if (digits == 0 || lo == 0 || lo > 65535)
			goto bad;
		hi = lo;
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p == '-') {
			p++;
			while (*p == ' ' || *p == '\t')
				p++;
			item = p;
			hi = 0;
			digits = 0;
			while (*p >= '0' && *p <= '9' && digits < 6) {
				hi = hi * 10 + (unsigned long)(*p++ - '0');
				digits++;
			}
			if (digits == 0 || hi > 65535 || hi < lo)
				goto bad;
			while (*p == ' ' || *p == '\t')
				p++;
		}
		for (q = lo; q <= hi; q++)
			if (!Sl_port_in(map, (unsigned)q)) {
				map[q >> 3] |= (uint8_t)(1u << (q & 7));
				n++;
			}
		if (*p == 0)
			break;
		if (*p != ',') {
			item = p;
			goto bad;
		}
		p++;
		continue;
	bad:
		*bad = (size_t)(item - spec);
		return -1;
	}
	*count = n;
	return 0;
}

/* The per-connect timeout for a job's attempt, microseconds. */
static uint64_t
conn_timeout(const struct ps *ps, unsigned attempt)
{
	uint64_t t;

	if (!ps->have_rtt) {
		t = ps->timeout_max_us;
	} else {
		t = (uint64_t)(ps->srtt + 4 * ps->rttvar);
		if (t < SL_PS_MIN_TIMEOUT_MS * 1000u)
			t = SL_PS_MIN_TIMEOUT_MS * 1000u;
		t <<= attempt;
	}
	return t > ps->timeout_max_us ? ps->timeout_max_us : t;
}

/* Fold one connect time into srtt and rttvar (RFC 6298 gains). */
static void
rtt_sample(struct ps *ps, uint64_t us)
{
	double r = (double)us;

	ps->round_rtt += r;
	ps->round_nrtt++;
	if (ps->min_rtt == 0 || r < ps->min_rtt)
		ps->min_rtt = r < 1 ? 1 : r;
	if (!ps->have_rtt) {
		ps->srtt = r;
		ps->rttvar = r / 2;
		ps->have_rtt = true;
		return;
	}
	ps->rttvar = 0.75 * ps->rttvar +
	             0.25 * (r > ps->srtt ? r - ps->srtt : ps->srtt - r);
	ps->srtt = 0.875 * ps->srtt + 0.125 * r;
}

/*
 * One completion: close the round when it is full and adjust.  A round's
 * average connect time over the fastest one seen measures the queue our
 * connects wait in: more concurrency past that point adds waiting, not
 * speed, so the round shrinks instead of growing.
 */
static void
round_tick(struct ps *ps)
{
	bool queued = false;

	if (++ps->round_done < (unsigned)ps->cwnd)
		return;
	if (ps->round_nrtt >= 8) {
		double avg = ps->round_rtt / ps->round_nrtt;

		queued = avg > 2 * ps->min_rtt + SL_PS_QUEUE_US;
	}
	if (ps->round_loss)
		ps->cwnd /= 2;
	else if (queued)
		ps->cwnd *= 0.75;
	else if (!ps->round_timeouts || ps->round_nrtt == 0)
		ps->cwnd *= 1.5; /* fast, or nothing answers at all */
	if (ps->cwnd < SL_NET_CONC_MIN)
		ps->cwnd = SL_NET_CONC_MIN;
	if (ps->cwnd > ps->cmax)
		ps->cwnd = ps->cmax;
	if ((unsigned)ps->cwnd > ps->st->conc_max)
		ps->st->conc_max = (unsigned)ps->cwnd;
	ps->round_done = 0;
	ps->round_nrtt = 0;
	ps->round_rtt = 0;
	ps->round_loss = false;
	ps->round_timeouts = false;
}

/* A local error: back off now, without waiting for the round's end. */
static void
local_loss(struct ps *ps, int err)
{
	ps->last_err = err;
	ps->st->local_errors++;
	if (!ps->round_loss) {
		ps->cwnd /= 2;
		if (ps->cwnd < SL_NET_CONC_MIN)
			ps->cwnd = SL_NET_CONC_MIN;
	}
	ps->round_loss = true;
}

static void
push_retry(struct ps *ps, uint32_t job, unsigned attempt)
{
	/* The stack holds at most one entry per job: njobs entries. */
	if (SL_ALWAYS(ps->nretry < ps->njobs))
		ps->retry[ps->nretry++] = job << 2 | attempt;
}

static void
add_open(struct ps *ps, uint32_t job, uint64_t rtt_us)
{
	size_t a = job % ps->t->naddr;
	unsigned port = ps->ports[job / ps->t->naddr];

	ps->st->open++;
	if (ps->nopen == ps->capopen) {
		size_t cap = ps->capopen ? 2 * ps->capopen : 16;
		struct ps_open *o;

		if (cap > SL_NET_MAX_SERVICES + 1)
			cap = SL_NET_MAX_SERVICES + 1;
		if (ps->nopen >= cap ||
		    (o = realloc(ps->open, cap * sizeof(*o))) == NULL) {
			ps->st->local_errors++;
			ps->lost_open++;
			return;
		}
		ps->open = o;
		ps->capopen = cap;
	}
	ps->open[ps->nopen++] = (struct ps_open){
	    .port = (uint16_t)port,
	    .addr = (uint16_t)a,
	    .rtt_us = rtt_us > UINT32_MAX ? UINT32_MAX : (uint32_t)rtt_us};
}

/*
 * A connection to ourselves: when the target is a local address, the
 * kernel may pick the destination port as the source port, and the
 * socket connects to itself (TCP simultaneous open).  Not a service.
 */
static bool
self_connect(int fd)
{
	struct sockaddr_storage a, b;
	socklen_t al = sizeof(a), bl = sizeof(b);

	if (getsockname(fd, (struct sockaddr *)&a, &al) != 0 ||
	    getpeername(fd, (struct sockaddr *)&b, &bl) != 0)
		return false;
	return al == bl && memcmp(&a, &b, al) == 0;
}

/*
 * The final outcome of one attempt.  err is 0 (connected), or the errno
 * of the connect.  Returns after closing nothing: the caller owns fd.
 */
static void
outcome(struct ps *ps, uint32_t job, unsigned attempt, int err, int fd,
        uint64_t elapsed_us)
{
	switch (err) {
	case 0:
		if (self_connect(fd)) {
			ps->st->closed++;
			break;
		}
		rtt_sample(ps, elapsed_us);
		add_open(ps, job, elapsed_us);
		break;
	case ECONNRESET:
		/*
		 * Reset after the handshake completed (a connect refused by
		 * RST is ECONNREFUSED): something listens and hung up at
		 * once, as TCP wrappers do.  Open.
		 */
		add_open(ps, job, elapsed_us);
		break;
	case ECONNREFUSED:
		rtt_sample(ps, elapsed_us);
		ps->st->closed++;
		break;
	case EHOSTUNREACH:
	case ENETUNREACH:
	case EHOSTDOWN: ps->st->unreachable++; break;
	default:
		/* ETIMEDOUT from the kernel ...: no service seen. */
		ps->st->filtered++;
		break;
	}
	/* An answer to a retry: the earlier SYN was lost on the way. */
	if (attempt > 0 &&
	    (err == 0 || err == ECONNREFUSED || err == ECONNRESET))
		ps->round_loss = true;
	ps->st->done++;
	round_tick(ps);
}

static bool
is_local_error(int err)
{
	return err == EAGAIN || err == EADDRNOTAVAIL || err == ENOBUFS ||
	       err == ENOMEM || err == EMFILE || err == ENFILE;
}

/*
 * Slots keep their socket between jobs.  A finished connect is undone
 * with connect(AF_UNSPEC) (which sends RST on an established one) and
 * the socket connects again: three system calls per port instead of
 * five, and no descriptor churn.  The socket stays in the epoll set,
 * edge-triggered, so an idle disconnected socket (always writable) does
 * not wake the loop; an event harvested for a free slot is ignored, and
 * one for a busy slot is real, since epoll re-polls at harvest and a
 * connect in progress is neither writable nor in error.  A timed-out
 * connect's socket is closed instead: undoing a SYN_SENT connect leaves
 * an error pending that the next connect would report.
 */
static int
fam_index(const struct Sl_target *t, size_t a)
{
	return t->addr[a].ss_family == AF_INET6;
}

/* What becomes of a slot's socket when its job is done. */
enum keep {
	K_DROP,  /* close it */
	K_RESET, /* connected: undo with connect(AF_UNSPEC), which sends RST */
	K_READY, /* already unconnected: the failed connect reset it */
};

static void
slot_release(struct ps *ps, size_t i, enum keep keep)
{
	struct slot *sl = &ps->slot[i];
	int f = sl->family;

	sl->busy = false;
	if (keep == K_RESET && sl->fd >= 0) {
		struct sockaddr un = {.sa_family = AF_UNSPEC};

		if (connect(sl->fd, &un, sizeof(un)) != 0)
			keep = K_DROP;
	}
	if (keep == K_DROP && sl->fd >= 0) {
		close(sl->fd);
		sl->fd = -1;
	}
	if (sl->fd < 0)
		f = 0;
	ps->freel[f][ps->nfree[f]++] = i;
	ps->inflight--;
}

/* The address of job: address a of the target, with the job's port. */
static socklen_t
job_addr(const struct ps *ps, uint32_t job, struct sockaddr_storage *ss)
{
	const struct Sl_target *t = ps->t;
	size_t a = job % t->naddr;
	unsigned port = ps->ports[job / t->naddr];

	memcpy(ss, &t->addr[a], t->alen[a]);
	if (ss->ss_family == AF_INET)
		((struct sockaddr_in *)ss)->sin_port = htons((uint16_t)port);
	else
		((struct sockaddr_in6 *)ss)->sin6_port = htons((uint16_t)port);
	return t->alen[a];
}

/*
 * Give a new slot socket a source port of its own, for its whole life.
 * An unbound socket makes every connect() search the ephemeral range for
 * a free port (__inet_hash_connect, the kernel's hottest path in this
 * scan); a socket bound to an explicit port keeps it across the
 * disconnects of slot_release() (SOCK_BINDPORT_LOCK) and connects on the
 * kernel's fast path.  The ports are taken from the kernel's ephemeral
 * range, upwards from a random point; one in use is skipped.  A socket
 * that gets none stays unbound, as before: slower, never wrong.
 */
static void
bind_source_port(struct ps *ps, int fd, int family)
{
	struct sockaddr_storage ss;
	socklen_t al;
	unsigned tries;

	memset(&ss, 0, sizeof(ss));
	ss.ss_family = (sa_family_t)family;
	al = family == AF_INET6 ? sizeof(struct sockaddr_in6)
	                        : sizeof(struct sockaddr_in);
	for (tries = 0; tries < SL_PS_BIND_TRIES; tries++) {
		unsigned port =
		    ps->port_lo +
		    ps->port_next++ % (ps->port_hi - ps->port_lo + 1);

		if (family == AF_INET6)
			((struct sockaddr_in6 *)&ss)->sin6_port =
			    htons((uint16_t)port);
		else
			((struct sockaddr_in *)&ss)->sin_port =
			    htons((uint16_t)port);
		if (bind(fd, (struct sockaddr *)&ss, al) == 0)
			return;
		if (errno != EADDRINUSE && errno != EACCES)
			return;
	}
}

/* A free slot with a socket of family index f, or -1 (errno set). */
static ssize_t
slot_get(struct ps *ps, int f, int family)
{
	struct epoll_event ev;
	size_t i;
	int o = !f;

	if (ps->nfree[f] > 0)
		i = ps->freel[f][--ps->nfree[f]];
	else if (ps->nfree[o] > 0)
		i = ps->freel[o][--ps->nfree[o]];
	else {
		errno = EMFILE;
		return -1;
	}
	if (ps->slot[i].fd >= 0 && ps->slot[i].family != f) {
		close(ps->slot[i].fd);
		ps->slot[i].fd = -1;
	}
	if (ps->slot[i].fd < 0) {
		int fd = socket(family,
		                SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);

		if (fd < 0)
			goto fail;
		bind_source_port(ps, fd, family);
		ev.events = EPOLLOUT | EPOLLET;
		ev.data.u64 = i;
		if (epoll_ctl(ps->ep, EPOLL_CTL_ADD, fd, &ev) != 0) {
			int err = errno;

			close(fd);
			errno = err;
			goto fail;
		}
		ps->slot[i].fd = fd;
		ps->slot[i].family = f;
	}
	return (ssize_t)i;
fail:
	ps->freel[0][ps->nfree[0]++] = i;
	return -1;
}

/* Take a token of the rate bucket; false when none is left yet. */
static bool
take_token(struct ps *ps, uint64_t now)
{
	if (now > ps->refill_us) {
		ps->tokens += (double)(now - ps->refill_us) * ps->rate / 1e6;
		if (ps->tokens > ps->burst)
			ps->tokens = ps->burst;
		ps->refill_us = now;
	}
	if (ps->tokens < 1)
		return false;
	ps->tokens -= 1;
	return true;
}

/*
 * Start one attempt of job.  Returns false when a local error means no
 * more should be started now (the job is queued again).
 */
static bool
launch(struct ps *ps, uint32_t job, unsigned attempt)
{
	const struct Sl_target *t = ps->t;
	size_t a = job % t->naddr;
	struct sockaddr_storage ss;
	struct slot *sl;
	socklen_t al;
	ssize_t i;
	uint64_t now;
	int err;

	i = slot_get(ps, fam_index(t, a), t->addr[a].ss_family);
	if (i < 0) {
		err = errno;
		if (is_local_error(err)) {
			push_retry(ps, job, attempt);
			local_loss(ps, err);
			return false;
		}
		/* An address family this host cannot use at all. */
		ps->st->unreachable++;
		ps->st->done++;
		return true;
	}
	sl = &ps->slot[i];
	sl->busy = true;
	ps->inflight++;
	al = job_addr(ps, job, &ss);
	now = now_us();
	if (connect(sl->fd, (struct sockaddr *)&ss, al) == 0) {
		/* Loopback and veth may connect at once. */
		outcome(ps, job, attempt, 0, sl->fd, now_us() - now);
		slot_release(ps, (size_t)i, K_RESET);
		return true;
	}
	err = errno;
	if (err != EINPROGRESS) {
		slot_release(ps, (size_t)i, K_DROP);
		if (is_local_error(err)) {
			push_retry(ps, job, attempt);
			local_loss(ps, err);
			return false;
		}
		outcome(ps, job, attempt, err, -1, now_us() - now);
		return true;
	}
	sl->job = job;
	sl->attempt = (uint8_t)attempt;
	sl->start_us = now;
	sl->deadline_us = now + conn_timeout(ps, attempt);
	if (sl->deadline_us < ps->next_deadline)
		ps->next_deadline = sl->deadline_us;
	return true;
}

/*
 * Slot i's socket has an event: a connect finished, or a stale edge.
 * The outcome is read by calling connect() again with the same address,
 * which for a connect in progress returns EALREADY, for an established
 * one 0, and for a failed one its error (ECONNREFUSED, EHOSTUNREACH ...)
 * while leaving the socket unconnected and ready for the next job: one
 * system call where SO_ERROR and a reset would take two.
 */
static void
complete(struct ps *ps, size_t i, uint32_t events, uint64_t now)
{
	struct slot *sl = &ps->slot[i];
	struct sockaddr_storage ss;
	socklen_t al;
	int err = 0;

	if (!sl->busy || sl->fd < 0 ||
	    !(events & (EPOLLOUT | EPOLLERR | EPOLLHUP)))
		return;
	al = job_addr(ps, sl->job, &ss);
	if (connect(sl->fd, (struct sockaddr *)&ss, al) != 0) {
		err = errno;
		if (err == EALREADY || err == EINPROGRESS || err == EINTR)
			return; /* a stale edge: still in progress */
		if (err == EISCONN)
			err = 0;
	}
	outcome(ps, sl->job, sl->attempt, err, sl->fd, now - sl->start_us);
	switch (err) {
	case 0: slot_release(ps, i, K_RESET); break;
	case ECONNREFUSED:
	case EHOSTUNREACH:
	case ENETUNREACH:
	case EHOSTDOWN:
	case ETIMEDOUT:
	case ECONNRESET:
	case ECONNABORTED:
		/* The error path of connect() left it unconnected. */
		slot_release(ps, i, K_READY);
		break;
	default: slot_release(ps, i, K_DROP); break;
	}
}

/* Expire the attempts past their deadline; recompute the next one. */
static void
expire(struct ps *ps, uint64_t now)
{
	size_t i;

	ps->next_deadline = UINT64_MAX;
	for (i = 0; i < ps->nslot; i++) {
		struct slot *sl = &ps->slot[i];

		if (!sl->busy)
			continue;
		if (sl->deadline_us > now) {
			if (sl->deadline_us < ps->next_deadline)
				ps->next_deadline = sl->deadline_us;
			continue;
		}
		ps->round_timeouts = true;
		if (sl->attempt + 1 < SL_PS_ATTEMPTS) {
			ps->st->retries++;
			push_retry(ps, sl->job, sl->attempt + 1u);
		} else {
			ps->st->filtered++;
			ps->st->done++;
		}
		round_tick(ps);
		slot_release(ps, i, K_DROP);
	}
}

/* The kernel's ephemeral port range, and a random start in it. */
static void
ephemeral_range(struct ps *ps, unsigned shard)
{
	FILE *f = fopen("/proc/sys/net/ipv4/ip_local_port_range", "re");
	unsigned lo = 32768, hi = 60999;
	struct timespec ts;

	if (f != NULL) {
		if (fscanf(f, "%u %u", &lo, &hi) != 2 || lo < 1024 ||
		    hi > 65535 || lo >= hi) {
			lo = 32768;
			hi = 60999;
		}
		fclose(f);
	}
	clock_gettime(CLOCK_MONOTONIC, &ts);
	ps->port_lo = lo;
	ps->port_hi = hi;
	/* Shards start far apart, so they seldom try the same ports. */
	ps->port_next = ((unsigned)(ts.tv_nsec ^ getpid()) +
	                 shard * ((hi - lo + 1) / SL_PS_MAX_SHARDS)) %
	                (hi - lo + 1);
}

/* The ceiling of the concurrency: options and descriptors. */
static unsigned
conc_ceiling(const struct sl_device_opts *o)
{
	struct rlimit rl;
	unsigned c = SL_NET_CONC_MAX;

	if (o->concurrency != 0 && o->concurrency < c)
		c = o->concurrency;
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 &&
	    rl.rlim_cur != RLIM_INFINITY) {
		rlim_t room = rl.rlim_cur > SL_PS_FD_MARGIN + SL_NET_CONC_MIN
		                  ? rl.rlim_cur - SL_PS_FD_MARGIN
		                  : SL_NET_CONC_MIN;

		if (room < c)
			c = (unsigned)room;
	}
	return c < 1 ? 1 : c;
}

/*
 * Shard k of nshard: every nshard-th port of the list, from the k-th, a
 * share of the concurrency ceiling and of the rate.  Errors are recorded
 * in the shard (ps_fail), never on the scan: shards run in threads.
 */
static bool
ps_fail(struct ps *ps, sl_rc rc, const char *fmt, ...)
{
	va_list ap;

	if (ps->fail_rc == SL_OK) {
		ps->fail_rc = rc;
		va_start(ap, fmt);
		vsnprintf(ps->fail_msg, sizeof(ps->fail_msg), fmt, ap);
		va_end(ap);
	}
	return false;
}

static bool
ps_setup(struct ps *ps, struct sl_scan *s, const uint16_t *ports, size_t nports,
         unsigned k, unsigned nshard)
{
	const struct sl_device_opts *o = &s->dev->o;
	size_t n, i;
	unsigned cmax;

	ps->s = s;
	ps->t = &s->dev->t;
	ps->st = &ps->stats;
	ps->ep = -1;
	n = nports / nshard + (k < nports % nshard);
	ps->nports = n;
	ps->njobs = n * ps->t->naddr;
	ps->ports = malloc((n ? n : 1) * sizeof(*ps->ports));
	ps->retry = malloc((ps->njobs ? ps->njobs : 1) * sizeof(*ps->retry));
	cmax = conc_ceiling(o) / nshard;
	ps->cmax = cmax < SL_NET_CONC_MIN ? SL_NET_CONC_MIN : cmax;
	ps->nslot = ps->cmax;
	ps->slot = malloc(ps->nslot * sizeof(*ps->slot));
	ps->freel[0] = malloc(ps->nslot * sizeof(*ps->freel[0]));
	ps->freel[1] = malloc(ps->nslot * sizeof(*ps->freel[1]));
	if (ps->ports == NULL || ps->retry == NULL || ps->slot == NULL ||
	    ps->freel[0] == NULL || ps->freel[1] == NULL)
		return ps_fail(ps, SL_E_NOMEM, "out of memory");
	for (i = 0; i < n; i++)
		ps->ports[i] = ports[k + i * nshard];
	for (i = 0; i < ps->nslot; i++) {
		ps->slot[i] = (struct slot){.fd = -1};
		ps->freel[0][i] = ps->nslot - 1 - i;
	}
	ps->nfree[0] = ps->nslot;
	ps->cwnd = (double)SL_NET_CONC_START / nshard;
	if (ps->cwnd > ps->cmax)
		ps->cwnd = ps->cmax;
	if (ps->cwnd < 1)
		ps->cwnd = 1;
	ps->st->conc_max = (unsigned)ps->cwnd;
	ps->rate = (double)(o->rate ? o->rate : SL_NET_RATE) / nshard;
	ps->burst = ps->rate / 50 < 1 ? 1 : ps->rate / 50;
	ps->tokens = ps->burst;
	ps->refill_us = now_us();
	ps->timeout_max_us =
	    (uint64_t)(o->timeout_ms ? o->timeout_ms : SL_NET_TIMEOUT_MS) *
	    1000u;
	ps->next_deadline = UINT64_MAX;
	ephemeral_range(ps, k);
	ps->st->targets = ps->njobs;
	ps->ep = epoll_create1(EPOLL_CLOEXEC);
	if (ps->ep < 0)
		return ps_fail(ps, SL_E_NET, "epoll: %s", strerror(errno));
	return true;
}

static void
ps_release(struct ps *ps)
{
	size_t i;

	if (ps->slot != NULL)
		for (i = 0; i < ps->nslot; i++)
			if (ps->slot[i].fd >= 0)
				close(ps->slot[i].fd);
	if (ps->ep >= 0)
		close(ps->ep);
	free(ps->ports);
	free(ps->retry);
	free(ps->slot);
	free(ps->freel[0]);
	free(ps->freel[1]);
	free(ps->open);
}

/* One shard's event loop, to the end of its ports or a cancel. */
static void *
ps_run(void *arg)
{
	struct ps *ps = arg;
	struct epoll_event ev[1024];

	for (;;) {
		uint64_t now = now_us(), wake;
		int n, k, wait_ms;
		bool starved = false;

		/* The client's progress line: this shard's share since the
		 * last turn, summed over the shards by the scan. */
		if (ps->st->done != ps->told_done) {
			Sl_progress_add(ps->s, SL_STAGE_PORTS, ps->total,
			                ps->st->done - ps->told_done,
			                ps->st->open - ps->told_open);
			ps->told_done = ps->st->done;
			ps->told_open = ps->st->open;
		}
		if (Sl_cancelled(ps->s)) {
			ps->st->cancelled = true;
			break;
		}
		/*
		 * Start attempts: retries first, then fresh jobs, a batch
		 * at a time so that completions are seen soon.
		 */
		for (k = 0;
		     k < SL_PS_BATCH && ps->inflight < (unsigned)ps->cwnd &&
		     (ps->nretry > 0 || ps->next < ps->njobs);
		     k++) {
			uint32_t job;
			unsigned attempt;

			if (!take_token(ps, now)) {
				starved = true;
				break;
			}
			if (ps->nretry > 0) {
				uint32_t r = ps->retry[--ps->nretry];

				job = r >> 2;
				attempt = r & 3;
			} else {
				job = (uint32_t)ps->next++;
				attempt = 0;
			}
			if (!launch(ps, job, attempt))
				break;
			ps->stuck_us = 0;
		}
		if (ps->inflight == 0 && ps->nretry == 0 &&
		    ps->next >= ps->njobs)
			break;
		/* Sleep until an event, a deadline or the next token. */
		wake = ps->next_deadline;
		if (starved) {
			uint64_t tok = now + (uint64_t)(1e6 / ps->rate) + 1;

			if (tok < wake)
				wake = tok;
		}
		if (ps->inflight < (unsigned)ps->cwnd && !starved &&
		    (ps->nretry > 0 || ps->next < ps->njobs))
			wake = now; /* more to start: a full batch, or a
			               local error to try again */
		wait_ms = wake <= now ? 0 : (int)((wake - now + 999) / 1000);
		if (wait_ms > SL_PS_MAX_WAIT_MS)
			wait_ms = SL_PS_MAX_WAIT_MS;
		if (wait_ms == 0 && ps->inflight == 0) {
			/* Local errors with nothing in flight: not forever. */
			if (ps->stuck_us == 0)
				ps->stuck_us = now;
			else if (now - ps->stuck_us > 2 * ps->timeout_max_us) {
				ps_fail(ps, SL_E_NET,
				        "cannot open connections: %s",
				        strerror(ps->last_err));
				break;
			}
			wait_ms = 1;
		}
		n = ps->inflight > 0 ? epoll_wait(ps->ep, ev, 1024, wait_ms)
		                     : 0;
		if (n < 0 && errno != EINTR) {
			ps_fail(ps, SL_E_NET, "epoll_wait: %s",
			        strerror(errno));
			break;
		}
		if (ps->inflight == 0 && wait_ms > 0)
			usleep((useconds_t)wait_ms * 1000u);
		now = now_us();
		for (k = 0; k < n; k++)
			complete(ps, (size_t)ev[k].data.u64, ev[k].events, now);
		if (now >= ps->next_deadline)
			expire(ps, now);
	}
	ps->st->conc_end = (unsigned)ps->cwnd;
	return NULL;
}

static int
open_cmp(const void *a, const void *b)
{
	const struct ps_open *x = a, *y = b;

	if (x->port != y->port)
		return x->port < y->port ? -1 : 1;
	return (x->addr > y->addr) - (x->addr < y->addr);
}

/*
 * How many event loops: one per core, at most SL_PS_MAX_SHARDS, and
 * none with fewer than SL_PS_SHARD_PORTS ports.  The kernel's TCP work
 * for a connect (the SYN, the device's RST, the socket's teardown) runs
 * in the thread that made it, so a scan on one loop keeps one core busy
 * and leaves the rest idle.
 */
static unsigned
shard_count(size_t nports)
{
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	unsigned n = cpus < 1 ? 1 : (unsigned)cpus;

	if (n > SL_PS_MAX_SHARDS)
		n = SL_PS_MAX_SHARDS;
	while (n > 1 && nports / n < SL_PS_SHARD_PORTS)
		n--;
	return n;
}

sl_rc
Sl_portscan(struct sl_scan *s, struct Sl_scan_stats *st)
{
	struct ps ps[SL_PS_MAX_SHARDS];
	pthread_t tid[SL_PS_MAX_SHARDS];
	bool started[SL_PS_MAX_SHARDS] = {false};
	const struct sl_device_opts *o;
	struct ps_open *all = NULL;
	uint16_t *ports = NULL;
	uint8_t *map = NULL;
	size_t n, bad, p, i, nall = 0, lost = 0;
	unsigned k, nshard = 1;
	uint64_t t0 = now_us(), srtt = 0;
	unsigned nsrtt = 0;
	sl_rc rc = SL_OK;

	memset(st, 0, sizeof(*st));
	memset(ps, 0, sizeof(ps));
	for (k = 0; k < SL_PS_MAX_SHARDS; k++)
		ps[k].ep = -1;
	if (s->dev == NULL)
		return Sl_fail(s, SL_E_USAGE, "no device opened");
	o = &s->dev->o;
	map = calloc(1, SL_PORTMAP_BYTES);
	if (map == NULL)
		return Sl_fail(s, SL_E_NOMEM, "out of memory");
	if (Sl_ports_parse(o->ports, map, &n, &bad) != 0) {
		free(map);
		return Sl_fail(s, SL_E_USAGE,
		               "bad port list '%s' at byte %zu: use ports "
		               "1-65535 and ranges, \"22,80,8000-8100\"",
		               o->ports, bad + 1);
	}
	ports = malloc((n ? n : 1) * sizeof(*ports));
	if (ports == NULL) {
		free(map);
		return Sl_fail(s, SL_E_NOMEM, "out of memory");
	}
	for (p = 1, i = 0; p < 65536; p++)
		if (Sl_port_in(map, (unsigned)p))
			ports[i++] = (uint16_t)p;
	free(map);

	nshard = shard_count(n);
	for (k = 0; k < nshard; k++) {
		if (!ps_setup(&ps[k], s, ports, n, k, nshard))
			break;
		ps[k].total = n;
	}
	Sl_progress_begin(s, SL_STAGE_PORTS, n);
	if (k == nshard) {
		/* Shard 0 runs here; the others on threads of their own. */
		for (k = 1; k < nshard; k++)
			started[k] =
			    pthread_create(&tid[k], NULL, ps_run, &ps[k]) == 0;
		ps_run(&ps[0]);
		for (k = 1; k < nshard; k++)
			if (started[k])
				pthread_join(tid[k], NULL);
			else
				ps_run(&ps[k]);
	}

	/* Join the shards: stats, failures, then the open ports in order. */
	for (k = 0; k < nshard; k++) {
		struct Sl_scan_stats *x = &ps[k].stats;

		st->targets += x->targets;
		st->done += x->done;
		st->open += x->open;
		st->closed += x->closed;
		st->filtered += x->filtered;
		st->unreachable += x->unreachable;
		st->retries += x->retries;
		st->local_errors += x->local_errors;
		st->conc_max += x->conc_max;
		st->conc_end += x->conc_end;
		st->cancelled |= x->cancelled;
		if (ps[k].have_rtt) {
			srtt += (uint64_t)ps[k].srtt;
			nsrtt++;
		}
		if (ps[k].fail_rc != SL_OK && rc == SL_OK)
			rc = Sl_fail(s, ps[k].fail_rc, "%s", ps[k].fail_msg);
		nall += ps[k].nopen;
		lost += ps[k].lost_open;
	}
	all = malloc((nall ? nall : 1) * sizeof(*all));
	if (all != NULL) {
		for (k = 0, nall = 0; k < nshard; k++) {
			if (ps[k].nopen > 0)
				memcpy(all + nall, ps[k].open,
				       ps[k].nopen * sizeof(*all));
			nall += ps[k].nopen;
		}
		qsort(all, nall, sizeof(*all), open_cmp);
		for (i = 0; i < nall; i++) {
			struct Sl_service *v = Sl_service_add(
			    s, IPPROTO_TCP, all[i].addr, all[i].port);

			if (v != NULL)
				v->rtt_ms = all[i].rtt_us / 1000u;
			else
				lost++;
		}
	} else
		lost += nall;
	if (lost > 0)
		Sl_incomplete(s,
		              "%s: %zu open TCP ports not kept: out of memory "
		              "or over %u services",
		              s->dev->t.text[0], lost, SL_NET_MAX_SERVICES);
	st->srtt_ms = nsrtt ? (unsigned)(srtt / nsrtt / 1000) : 0;
	st->elapsed_ms = (now_us() - t0) / 1000;
	Sl_progress(s, SL_STAGE_PORTS, NULL, st->done, st->targets, st->open,
	            true);
	for (k = 0; k < SL_PS_MAX_SHARDS; k++)
		ps_release(&ps[k]);
	free(all);
	free(ports);
	return rc;
}
