/*
 * securitytxt_fuzz.c - libFuzzer target for the RFC 9116 parser
 * (securitytxt.c).  The input is the file as a device would serve it.
 */
#include "check/device/securitytxt.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct Sl_sectxt t;

	(void)Sl_sectxt_parse((const char *)data, size, 1767225600, &t);
	/* Every string the parser fills must end inside its buffer. */
	if (memchr(t.problems, 0, sizeof(t.problems)) == NULL ||
	    memchr(t.notes, 0, sizeof(t.notes)) == NULL ||
	    memchr(t.contact, 0, sizeof(t.contact)) == NULL)
		__builtin_trap();
	return 0;
}
