/*
 * progress.c - progress reports to the client (sl_scan_set_progress).
 * The library never prints; it hands the stage and its counts to the
 * client's function, one call at a time under the scan's progress lock,
 * throttled to about ten a second so that a port scan's million events
 * cost a clock read each, not a terminal write.
 */
#include <time.h>

#include "scan.h"

/* The finding-kind catalogue (scan.h): set by src/check/kinds.c. */
const struct sl_finding_kind *(*Sl_kind_lookup)(const char *id);

#define PROGRESS_EVERY_US 100000 /* ten calls a second at most */

static const char *const stage_names[] = {
    [SL_STAGE_UNPACK] = "unpack",
    [SL_STAGE_CHECKS] = "checks",
    [SL_STAGE_PORTS] = "ports",
    [SL_STAGE_UDP] = "udp",
    [SL_STAGE_SERVICES] = "services",
    [SL_STAGE_DEVICE_CHECKS] = "device-checks",
};

static uint64_t
mono_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

void
sl_scan_set_progress(struct sl_scan *s, sl_progress_fn fn, void *user)
{
	if (s == NULL)
		return;
	pthread_mutex_lock(&s->progress_lock);
	s->progress_user = user;
	__atomic_store_n(&s->progress_fn, fn, __ATOMIC_RELEASE);
	pthread_mutex_unlock(&s->progress_lock);
}

/* Call the client with s->progress_lock held; throttled unless forced. */
static void
call_locked(struct sl_scan *s, enum sl_stage st, const char *name,
            uint64_t done, uint64_t total, uint64_t extra, bool finished,
            bool force)
{
	struct sl_progress p;
	uint64_t now = mono_us();

	if (s->progress_fn == NULL)
		return;
	/*
	 * Only the stage begun last: the checks read files after the
	 * unpacking, and their decoding must not bring it back.
	 */
	if (st != s->progress_stage)
		return;
	/* A new step (another check) is shown at once. */
	if (!force && !finished && name == s->progress_last_name &&
	    now - s->progress_last_us < PROGRESS_EVERY_US)
		return;
	s->progress_last_us = now;
	s->progress_last_name = name;
	p.stage = st;
	p.stage_name =
	    (unsigned)st < SL_ARRAY_LEN(stage_names) && stage_names[st] != NULL
	        ? stage_names[st]
	        : "other";
	p.name = name;
	p.done = done;
	p.total = total;
	p.extra = extra;
	p.finished = finished;
	s->progress_fn(&p, s->progress_user);
}

void
Sl_progress(struct sl_scan *s, enum sl_stage st, const char *name,
            uint64_t done, uint64_t total, uint64_t extra, bool finished)
{
	/* No lock and no clock without a client. */
	if (__atomic_load_n(&s->progress_fn, __ATOMIC_ACQUIRE) == NULL)
		return;
	pthread_mutex_lock(&s->progress_lock);
	call_locked(s, st, name, done, total, extra, finished, false);
	pthread_mutex_unlock(&s->progress_lock);
}

void
Sl_progress_begin(struct sl_scan *s, enum sl_stage st, uint64_t total)
{
	pthread_mutex_lock(&s->progress_lock);
	s->progress_stage = st;
	s->progress_done = 0;
	s->progress_extra = 0;
	call_locked(s, st, NULL, 0, total, 0, false, true);
	pthread_mutex_unlock(&s->progress_lock);
}

void
Sl_progress_add(struct sl_scan *s, enum sl_stage st, uint64_t total,
                uint64_t done, uint64_t extra)
{
	if (__atomic_load_n(&s->progress_fn, __ATOMIC_ACQUIRE) == NULL)
		return;
	pthread_mutex_lock(&s->progress_lock);
	s->progress_done += done;
	s->progress_extra += extra;
	call_locked(s, st, NULL, s->progress_done, total, s->progress_extra,
	            false, false);
	pthread_mutex_unlock(&s->progress_lock);
}
