/*
 * tls_fuzz.c - libFuzzer target for the hand-written ServerHello parser
 * (tls.c).  The input is what a server sent; it is parsed whole and at
 * every prefix a read could end on, as the probe does after each read.
 */
#include "net/tls.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct Sl_hello h;
	size_t cut;

	if (size > SL_TLS_MAX_HELLO * 2)
		return 0;
	(void)Sl_tls_parse_hello(data, size, &h);
	/* A few prefixes, as reads of odd sizes deliver them. */
	for (cut = 1; cut < size; cut = cut * 2 + 3)
		(void)Sl_tls_parse_hello(data, cut, &h);
	if (size >= 2) {
		uint8_t out[2048];
		uint16_t id = (uint16_t)(data[0] << 8 | data[1]);

		(void)Sl_tls_client_hello(out, sizeof(out), 0x0303, &id, 1,
		                          size > 2 ? "fuzz.example" : NULL);
		(void)Sl_tls_suite_name(id);
	}
	return 0;
}
