/*
 * device.c - Sl_device_survey: what sl_scan_device (src/check/
 * device_scan.c) learns before the device checks run.
 *
 *	Sl_dev_open      resolve the host; these addresses are the only
 *	                 ones ever contacted
 *	Sl_portscan      TCP connect scan of the port list (portscan.c)
 *	Sl_udp_scan      the common IoT UDP services (udp.c)
 *	Sl_probe_services  name, product, version of each TCP service
 *	                 (probe.c)
 *
 * The device checks are run one layer up, by src/check/device_scan.c.
 *
 * A stage that fails is recorded as incomplete and the others still run.
 * sl_scan_cancel() (from a signal handler) stops the scan at the next
 * step: what was found is kept, and the report says where it stopped.
 * The only input trusted here is the caller's options; the device's
 * answers are handled by the stages.
 */
#include <stdio.h>

#include "stages.h"

sl_rc
Sl_device_survey(struct sl_scan *s, const char *host,
                 const struct sl_device_opts *o, bool *go_on)
{
	struct Sl_scan_stats st;
	const struct Sl_target *t;
	sl_rc rc;

	*go_on = false;
	if ((rc = Sl_dev_open(s, host, o)) != SL_OK)
		return rc;
	t = &s->dev->t;
	rc = Sl_portscan(s, &st);
	if (rc == SL_E_USAGE || rc == SL_E_NOMEM)
		return rc;
	if (rc != SL_OK)
		Sl_incomplete(s,
		              "%s: TCP port scan failed after %zu of %zu "
		              "ports: %s",
		              t->host, st.done, st.targets, sl_scan_error(s));
	if (st.cancelled) {
		Sl_incomplete(s,
		              "%s: cancelled by the user after %zu of %zu "
		              "ports",
		              t->host, st.done, st.targets);
		return SL_OK;
	}
	if (rc == SL_OK && st.targets > 0 && st.open + st.closed == 0)
		Sl_incomplete(s,
		              "%s: no TCP port answered (%zu filtered, %zu "
		              "unreachable): the device may be off or "
		              "behind a firewall",
		              t->host, st.filtered, st.unreachable);
	if (s->dev->o.udp) {
		Sl_progress_begin(s, SL_STAGE_UDP, 0);
		if (Sl_udp_scan(s) != SL_OK)
			Sl_incomplete(s, "%s: UDP probes failed: %s", t->host,
			              sl_scan_error(s));
		if (Sl_cancelled(s)) {
			Sl_incomplete(s,
			              "%s: cancelled by the user during "
			              "the UDP probes",
			              t->host);
			return SL_OK;
		}
	}
	if (s->dev->o.udp)
		Sl_progress(s, SL_STAGE_UDP, NULL, 0, 0, 0, true);
	/* Sl_probe_services reports its own progress (the services it
	 * identifies, one by one). */
	if (Sl_probe_services(s) != SL_OK)
		Sl_incomplete(s, "%s: service identification failed: %s",
		              t->host, sl_scan_error(s));
	if (Sl_cancelled(s)) {
		Sl_incomplete(s,
		              "%s: cancelled by the user while identifying "
		              "services",
		              t->host);
		return SL_OK;
	}
	*go_on = true;
	return SL_OK;
}
