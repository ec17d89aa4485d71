/*
 * model_fuzz.c - libFuzzer target for fw.model's device-tree reader.
 *
 * The input becomes a device tree blob in an image with no other model
 * file, so fw.model reads it (Sl_model_dt) and reports what it names.
 * Build with -DSL_FUZZ=ON (clang).
 */
#include "../../../fuzz/fuzz.h"

static const char *const names[] = {
    "boot/board.dtb",
};

SL_FUZZ_CHECK(Sl_check_model, names)
