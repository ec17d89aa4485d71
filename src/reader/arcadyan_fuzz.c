/* arcadyan_fuzz.c - libFuzzer target for the Arcadyan reader. */
#include "../../fuzz/fuzz.h"

extern const struct Sl_reader Sl_reader_arcadyan;
SL_FUZZ_READER(Sl_reader_arcadyan)
