/* ubifs_fuzz.c - libFuzzer target for the UBIFS reader. */
#include "../../fuzz/fuzz.h"

extern const struct Sl_reader Sl_reader_ubifs;
SL_FUZZ_READER(Sl_reader_ubifs)
