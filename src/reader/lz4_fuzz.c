/* lz4_fuzz.c - libFuzzer target for the lz4 reader. */
#include "../../fuzz/fuzz.h"

extern const struct Sl_reader Sl_reader_lz4;
SL_FUZZ_READER(Sl_reader_lz4)
