/*
 * device_scan.c - sl_scan_device: examine one live device.
 *
 * A driver (docs/internals.md): Sl_device_survey (src/net/device.c) opens
 * the target, scans its ports and identifies its services; then every
 * Sl_check with source SL_SRC_NETWORK runs, as sl_scan_check_firmware
 * (check.c) runs the firmware ones.  The loop lives here, above net/, so
 * that net/ never calls into the check table.
 *
 * The only input trusted here is the caller's options.
 */
#include <stdio.h>

#include "check.h"
#include "../net/stages.h"

/* Run the device checks; false when cancelled before all ran. */
static bool
run_checks(struct sl_scan *s)
{
	const struct Sl_check *const *c;
	size_t i, done = 0, total = 0;

	for (c = Sl_checks; *c != NULL; c++)
		total += (*c)->source == SL_SRC_NETWORK;
	Sl_progress_begin(s, SL_STAGE_DEVICE_CHECKS, total);
	for (c = Sl_checks; *c != NULL; c++) {
		if ((*c)->source != SL_SRC_NETWORK)
			continue;
		/* The check now running: net.creds tries the logins, net.tls
		 * grades the endpoints. */
		Sl_progress(s, SL_STAGE_DEVICE_CHECKS, (*c)->id, done++, total,
		            0, false);
		if (Sl_cancelled(s)) {
			Sl_incomplete(s,
			              "device check %s not run: cancelled "
			              "by the user",
			              (*c)->id);
			continue;
		}
		if ((*c)->run(s) != SL_OK) {
			Sl_incomplete(s, "check %s did not finish: %s",
			              (*c)->id, sl_scan_error(s));
			continue;
		}
		/* A check cut short by a cancel is no evidence. */
		if (Sl_cancelled(s)) {
			Sl_incomplete(s,
			              "device check %s cancelled by the "
			              "user",
			              (*c)->id);
			continue;
		}
		for (i = 0; (*c)->covers[i] != NULL; i++)
			Sl_cover(s, (*c)->covers[i], SL_SRC_NETWORK);
	}
	Sl_progress(s, SL_STAGE_DEVICE_CHECKS, NULL, total, total, 0, true);
	return !Sl_cancelled(s);
}

sl_rc
sl_scan_device(struct sl_scan *s, const char *host,
               const struct sl_device_opts *o)
{
	bool go_on;
	sl_rc rc;

	if (s == NULL)
		return SL_E_USAGE;
	rc = Sl_device_survey(s, host, o, &go_on);
	if (rc != SL_OK || !go_on)
		return rc;
	(void)run_checks(s);
	return SL_OK;
}
