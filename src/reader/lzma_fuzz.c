/* lzma_fuzz.c - libFuzzer target for the lzma reader. */
#include "../../fuzz/fuzz.h"

extern const struct Sl_reader Sl_reader_lzma;
SL_FUZZ_READER(Sl_reader_lzma)
