/* zip_fuzz.c - libFuzzer target for the zip reader. */
#include "../../fuzz/fuzz.h"

extern const struct Sl_reader Sl_reader_zip;
SL_FUZZ_READER(Sl_reader_zip)
