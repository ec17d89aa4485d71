/* ext_fuzz.c - libFuzzer target for the ext2/3/4 reader. */
#include "../../fuzz/fuzz.h"

extern const struct Sl_reader Sl_reader_ext;
SL_FUZZ_READER(Sl_reader_ext)
