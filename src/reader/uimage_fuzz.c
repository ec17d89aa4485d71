/* uimage_fuzz.c - libFuzzer target for the uimage reader. */
#include "../../fuzz/fuzz.h"
extern const struct Sl_reader Sl_reader_uimage;
SL_FUZZ_READER(Sl_reader_uimage)
