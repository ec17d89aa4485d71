/* xz_fuzz.c - libFuzzer target for the xz reader. */
#include "../../fuzz/fuzz.h"

extern const struct Sl_reader Sl_reader_xz;
SL_FUZZ_READER(Sl_reader_xz)
