/* fit_fuzz.c - libFuzzer target for the fit reader. */
#include "../../fuzz/fuzz.h"
extern const struct Sl_reader Sl_reader_fit;
SL_FUZZ_READER(Sl_reader_fit)
