/* gzip_fuzz.c - libFuzzer target for the gzip reader. */
#include "../../fuzz/fuzz.h"

extern const struct Sl_reader Sl_reader_gzip;
SL_FUZZ_READER(Sl_reader_gzip)
