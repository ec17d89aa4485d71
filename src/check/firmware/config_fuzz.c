/*
 * config_fuzz.c - libFuzzer target for fw.config.
 *
 * The input becomes the content of every UCI file the check reads
 * (uhttpd, upnpd, wireless, system, olsrd, olsrd6) and of the files whose
 * presence it asks about, in one tree, and the check runs over it.
 * Build with -DSL_FUZZ=ON (clang).
 */
#include "../../../fuzz/fuzz.h"

static const char *const names[] = {
    "etc/config/uhttpd",  "etc/config/upnpd",  "etc/config/wireless",
    "etc/config/system",  "etc/config/olsrd",  "etc/config/olsrd6",
    "etc/rc.d/S50uhttpd", "etc/rc.d/S65olsrd", "lib/libustream-ssl.so",
    "usr/sbin/px5g",      "www/index.html",    "usr/lib/olsrd_txtinfo.so.0.1",
};

SL_FUZZ_CHECK(Sl_check_config, names)
