/* cramfs_fuzz.c - libFuzzer target for the cramfs reader. */
#include "../../fuzz/fuzz.h"

extern const struct Sl_reader Sl_reader_cramfs;
SL_FUZZ_READER(Sl_reader_cramfs)
