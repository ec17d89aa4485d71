/*
 * model_fuzz.c - libFuzzer target for fw.model's readers: the input is one
 * flattened device tree blob, and its first bytes are also read as a
 * uImage name (build with -DSL_FUZZ=ON).
 */
#include "../check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
bool Sl_model_dt(const uint8_t *d, size_t n, char *out, size_t cap);
bool Sl_model_uimage_name(const char *name);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char out[96], name[64];
	size_t n = size < sizeof(name) - 1 ? size : sizeof(name) - 1;

	(void)Sl_model_dt(data, size, out, sizeof(out));
	/* The same bytes as a uImage name (the reader cuts it to 32). */
	memcpy(name, data, n);
	name[n] = 0;
	(void)Sl_model_uimage_name(name);
	return 0;
}
