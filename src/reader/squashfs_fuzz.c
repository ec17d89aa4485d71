/* squashfs_fuzz.c - libFuzzer target for the squashfs reader. */
#include "../../fuzz/fuzz.h"

extern const struct Sl_reader Sl_reader_squashfs;
SL_FUZZ_READER(Sl_reader_squashfs)
