/*
 * model_fuzz.c - libFuzzer target for fw.model's device-tree reader: the
 * input is one flattened device tree blob (build with -DSL_FUZZ=ON).
 */
#include "../check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
bool Sl_model_dt(const uint8_t *d, size_t n, char *out, size_t cap);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char out[96];

	(void)Sl_model_dt(data, size, out, sizeof(out));
	return 0;
}
