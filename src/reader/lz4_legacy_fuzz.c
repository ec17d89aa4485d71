/* lz4_legacy_fuzz.c - libFuzzer target for the lz4-legacy reader. */
#include "../../fuzz/fuzz.h"

extern const struct Sl_reader Sl_reader_lz4_legacy;
SL_FUZZ_READER(Sl_reader_lz4_legacy)
