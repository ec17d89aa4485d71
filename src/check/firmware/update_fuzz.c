/*
 * update_fuzz.c - libFuzzer target for fw.update and fw.reset.
 *
 * The first byte picks what the rest of the input becomes:
 *   0  a FIT walked for image signatures, verified with an EC or an RSA
 *      key made once (Sl_upd_fit_verify);
 *   1  a key file (Sl_upd_key_parse);
 *   2+ the content of every file both checks read by name (scripts, RAUC,
 *      Mender and SWUpdate configuration, version files, fstab, signify
 *      keys, shadow), in a tree with an operating-system root, over which
 *      both checks run.
 * Build with -DSL_FUZZ=ON (clang).
 */
#include <openssl/evp.h>

#include "../../../fuzz/fuzz.h"
#include "update.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const names[] = {
    "bin/sh",
    "usr/sbin/fw-update",
    "etc/init.d/swupdate",
    "etc/rauc/system.conf",
    "etc/mender/mender.conf",
    "etc/swupdate.cfg",
    "etc/openwrt_release",
    "etc/os-release",
    "etc/version",
    "etc/sw-versions",
    "etc/banner",
    "etc/fstab",
    "etc/config/fstab",
    "etc/rc.button/reset",
    "etc/opkg/keys/k",
    "sbin/sysupgrade",
    "etc/shadow",
};

extern const struct Sl_check Sl_check_update, Sl_check_reset;

static const struct Sl_check *const checks[] = {&Sl_check_update,
                                                &Sl_check_reset, NULL};

static EVP_PKEY *
key_of(int rsa)
{
	static EVP_PKEY *k[2];

	if (k[rsa] == NULL)
		k[rsa] =
		    rsa ? EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)1024)
		        : EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
	return k[rsa];
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sl_scan *s;
	uint8_t num[8];
	bool has, conf;
	EVP_PKEY *k;

	if (size < 1)
		return 0;
	switch (data[0]) {
	case 0:
		if ((s = Sl_fuzz_scan()) == NULL)
			return 0;
		(void)Sl_upd_fit_verify(s, "fuzz.itb:fit", data + 1, size - 1,
		                        key_of(size & 1), &conf);
		sl_scan_free(s);
		break;
	case 1:
		k = Sl_upd_key_parse(data + 1, size - 1, num, &has);
		EVP_PKEY_free(k);
		break;
	default:
		Sl_fuzz_check(checks, names, SL_ARRAY_LEN(names), data + 1,
		              size - 1);
		break;
	}
	return 0;
}
