/*
 * capture_fuzz.c - libFuzzer target for the captured-request reader
 * (capture.c).  Seeds: fuzz/seeds/capture/.
 */
#include "service.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sl_scan *s = sl_scan_new(NULL);
	struct Sl_capture c;
	size_t i;

	if (s == NULL)
		return 0;
	if (Sl_capture_parse(s, "fuzz.http", data, size, &c) == SL_OK) {
		if (c.path[0] != '/' || c.method[0] == 0 ||
		    c.nheaders > SL_CAP_MAX_HEADERS ||
		    (c.body == NULL) != (c.body_n == 0) ||
		    memchr(c.fresh, 0, sizeof(c.fresh)) == NULL)
			__builtin_trap();
		for (i = 0; i < c.nheaders; i++)
			if (strpbrk(c.headers[i], "\r\n") != NULL)
				__builtin_trap();
	}
	sl_scan_free(s);
	return 0;
}
