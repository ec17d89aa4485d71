/* romfs_fuzz.c - libFuzzer target for the romfs reader. */
#include "../../fuzz/fuzz.h"

extern const struct Sl_reader Sl_reader_romfs;
SL_FUZZ_READER(Sl_reader_romfs)
