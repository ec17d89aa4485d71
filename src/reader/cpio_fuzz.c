/* cpio_fuzz.c - libFuzzer target for the cpio reader. */
#include "../../fuzz/fuzz.h"

extern const struct Sl_reader Sl_reader_cpio;
SL_FUZZ_READER(Sl_reader_cpio)
