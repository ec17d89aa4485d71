/* tar_fuzz.c - libFuzzer target for the tar reader. */
#include "../../fuzz/fuzz.h"

extern const struct Sl_reader Sl_reader_tar;
SL_FUZZ_READER(Sl_reader_tar)
