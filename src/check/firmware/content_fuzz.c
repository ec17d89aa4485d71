/*
 * content_fuzz.c - libFuzzer target for the content checks: fw.secrets,
 * fw.transport, fw.components and fw.backdoor.  They share one pass
 * (Hyperscan over every file, scan.c) and each parses what its patterns
 * match: tokens, passwords and URLs, TLS options, version strings and
 * package databases, backdoor strings.
 *
 * The input becomes the content of files under names these checks treat
 * each in their own way (a script, a web page, a UCI file, a binary a
 * version is looked for in, an opkg status and configuration, with an
 * opkg binary beside them), and the four checks run over the tree.
 * Build with -DSL_FUZZ=ON (clang).
 */
#include "../../../fuzz/fuzz.h"

extern const struct Sl_check Sl_check_secrets, Sl_check_transport,
    Sl_check_components, Sl_check_backdoor;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const names[] = {
    "etc/init.d/agent",     "www/js/app.js", "etc/config/cloud",
    "usr/sbin/cloudd",      "bin/busybox",   "usr/lib/libssl.so.1.1",
    "usr/lib/opkg/status",  "etc/opkg.conf", "bin/opkg",
    "usr/share/doc/README",
};

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct Sl_check *const checks[] = {
	    &Sl_check_secrets, &Sl_check_transport, &Sl_check_components,
	    &Sl_check_backdoor, NULL};

	Sl_fuzz_check(checks, names, SL_ARRAY_LEN(names), data, size);
	return 0;
}
