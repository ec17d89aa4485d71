/*
 * webexec_fuzz.c - libFuzzer target for fw.webexec.
 *
 * The input becomes a LuCI controller, a PHP page and a shell CGI, and
 * the check runs over them: the line matcher with every bound (file
 * size, line length, tainted names), and the report it makes.
 * Build with -DSL_FUZZ=ON (clang).
 */
#include "../../../fuzz/fuzz.h"

static const char *const names[] = {
    "usr/lib/lua/luci/controller/x.lua",
    "www/x.php",
    "www/cgi-bin/x.cgi",
};

SL_FUZZ_CHECK(Sl_check_webexec, names)
