/* ubi_fuzz.c - libFuzzer target for the UBI reader. */
#include "../../fuzz/fuzz.h"

extern const struct Sl_reader Sl_reader_ubi;
SL_FUZZ_READER(Sl_reader_ubi)
