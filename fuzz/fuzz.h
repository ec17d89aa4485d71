/*
 * fuzz.h - the libFuzzer harness every reader's fuzz target shares.
 *
 * A target is three lines beside its reader (src/reader/cpio_fuzz.c):
 *
 *	#include "../../fuzz/fuzz.h"
 *	extern const struct Sl_reader Sl_reader_cpio;
 *	SL_FUZZ_READER(Sl_reader_cpio)
 *
 * The input is offered to that reader at offset 0 with small limits; what
 * it yields is unpacked further by every reader, content is read and
 * hashed, and everything is freed.  Build with -DSL_FUZZ=ON (clang).
 */
#ifndef SL_FUZZ_H
#define SL_FUZZ_H

#include "../src/sl.h"

static inline void
Sl_fuzz_run(const struct Sl_reader *rd, const uint8_t *data, size_t size)
{
	struct sl_limits lim;
	struct sl_scan *s;
	size_t i;

	sl_limits_default(&lim);
	lim.max_total = 64 << 20;
	lim.max_file = 16 << 20;
	lim.max_files = 10000;
	lim.threads = 1;
	s = sl_scan_new(&lim);
	if (s == NULL)
		return;
	Sl_scan_buffer(s, "fuzz.bin", data, size, rd);
	for (i = 0; i < sl_tree_count(s); i++) {
		const struct sl_entry *e = sl_tree_entry(s, i);
		const uint8_t *p;
		size_t n;

		if (e->type == SL_FT_REG)
			(void)sl_tree_read(s, e, &p, &n);
	}
	sl_scan_free(s);
}

#define SL_FUZZ_READER(sym)                                                    \
	int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);          \
	int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)           \
	{                                                                      \
		Sl_fuzz_run(&(sym), data, size);                               \
		return 0;                                                      \
	}

#endif
