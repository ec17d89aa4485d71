/* zstd_fuzz.c - libFuzzer target for the zstd reader. */
#include "../../fuzz/fuzz.h"

extern const struct Sl_reader Sl_reader_zstd;
SL_FUZZ_READER(Sl_reader_zstd)
