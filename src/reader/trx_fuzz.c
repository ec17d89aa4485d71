/* trx_fuzz.c - libFuzzer target for the trx reader. */
#include "../../fuzz/fuzz.h"
extern const struct Sl_reader Sl_reader_trx;
SL_FUZZ_READER(Sl_reader_trx)
