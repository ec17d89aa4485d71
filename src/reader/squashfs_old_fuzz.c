/* squashfs_old_fuzz.c - libFuzzer target for the SquashFS 2.x/3.x and
 * big-endian 4.0 reader. */
#include "../../fuzz/fuzz.h"

extern const struct Sl_reader Sl_reader_squashfs_old;
SL_FUZZ_READER(Sl_reader_squashfs_old)
