/*
 * keys_fuzz.c - libFuzzer target for fw.keys.
 *
 * The input becomes the content of files with the names fw.keys reads by
 * name (PEM, DER, PuTTY, Dropbear) and of one with an innocent name (read
 * by content: DER keys, PKCS#12 stores), and the check runs over them.
 * Build with -DSL_FUZZ=ON (clang).
 */
#include "../../../fuzz/fuzz.h"

static const char *const names[] = {
    "etc/ssl/private/server.key",
    "etc/keys/device.der",
    "etc/cfg/blob",
    "etc/user.ppk",
    "etc/dropbear/dropbear_rsa_host_key",
};

SL_FUZZ_CHECK(Sl_check_keys, names)
