/*
 * identity_fuzz.c - libFuzzer target for net.identity's page reader
 * (identity.c): the input is a page or status document as a device would
 * serve it, read with and without a profile model.
 */
#include <stdint.h>
#include <string.h>

#include "check/device/identity.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct Sl_ident_page a, b;

	Sl_identity_page((const char *)data, size, NULL, &a);
	Sl_identity_page((const char *)data, size, "SL-CAM100", &b);
	/* Every string the reader fills must end inside its buffer. */
	if (memchr(a.model, 0, sizeof(a.model)) == NULL ||
	    memchr(a.version, 0, sizeof(a.version)) == NULL ||
	    memchr(b.model, 0, sizeof(b.model)) == NULL ||
	    memchr(b.version, 0, sizeof(b.version)) == NULL)
		__builtin_trap();
	return 0;
}
