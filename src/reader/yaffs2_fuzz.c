/* yaffs2_fuzz.c - libFuzzer target for the YAFFS2 reader. */
#include "../../fuzz/fuzz.h"

extern const struct Sl_reader Sl_reader_yaffs2;
SL_FUZZ_READER(Sl_reader_yaffs2)
