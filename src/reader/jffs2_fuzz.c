/* jffs2_fuzz.c - libFuzzer target for the JFFS2 reader. */
#include "../../fuzz/fuzz.h"

extern const struct Sl_reader Sl_reader_jffs2;
SL_FUZZ_READER(Sl_reader_jffs2)
