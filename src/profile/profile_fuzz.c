/*
 * profile_fuzz.c - libFuzzer target for the product profile parser: the
 * input is parsed as a profile, and on success the verdicts are decided
 * over it (which walks every field the parser filled).
 */
#include "../sl.h"
#include "profile.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sl_scan *s = sl_scan_new(NULL);

	if (s == NULL)
		return 0;
	/* A name with a directory: assess: paths are resolved against it. */
	if (Sl_profile_parse(s, "dir/fuzz.yaml", data, size) == SL_OK) {
		size_t i;

		(void)Sl_profile_declares(s->profile, "tcp", 443);
		(void)sl_scan_decide(s);
		for (i = 0; sl_profile_target(s, "firmware", i) != NULL; i++)
			;
		for (i = 0; sl_profile_target(s, "device", i) != NULL; i++)
			;
		(void)sl_profile_get(s, "assess.snapshots");
	}
	sl_scan_free(s);
	return 0;
}
