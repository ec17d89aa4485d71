/*
 * axml_fuzz.c - libFuzzer target for the Android binary manifest reader
 * (axml.c).  Seeds: fuzz/seeds/axml/ (manifests compiled by aapt).
 */
#include "axml.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct Sl_axml m;

	(void)Sl_axml_manifest(data, size, &m);
	if (memchr(m.package, 0, sizeof(m.package)) == NULL ||
	    memchr(m.error, 0, sizeof(m.error)) == NULL)
		__builtin_trap();
	return 0;
}
