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

/* Every name above, each holding the whole input. */
static sl_rc
all_open(struct Sl_layer *l)
{
	size_t i;

	for (i = 0; i < SL_ARRAY_LEN(names); i++) {
		struct sl_entry e = {.type = SL_FT_REG, .mode = 0755};
		struct Sl_node *n;

		e.size = l->len;
		n = Sl_add(l, names[i], &e);
		if (n != NULL)
			n->ref = 0;
	}
	l->size = l->len;
	return SL_OK;
}

static int
all_bid(const uint8_t *p, size_t n)
{
	(void)p;
	(void)n;
	return 1;
}

static const struct Sl_magic all_magics[] = {{NULL, 0, 0}};

static const struct Sl_reader all_reader = {
    .name = "fuzz",
    .nest = SL_NEST_WHOLE,
    .magics = all_magics,
    .bid = all_bid,
    .open = all_open,
};

extern const struct Sl_check Sl_check_update, Sl_check_reset;

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
	struct sl_limits lim;
	struct sl_scan *s;
	uint8_t num[8];
	bool has, conf;
	EVP_PKEY *k;

	if (size < 1)
		return 0;
	sl_limits_default(&lim);
	lim.max_total = 16 << 20;
	lim.max_file = 4 << 20;
	lim.max_files = 10000;
	lim.threads = 1;
	s = sl_scan_new(&lim);
	if (s == NULL)
		return 0;
	switch (data[0]) {
	case 0:
		(void)Sl_upd_fit_verify(s, "fuzz.itb:fit", data + 1, size - 1,
		                        key_of(size & 1), &conf);
		break;
	case 1:
		k = Sl_upd_key_parse(data + 1, size - 1, num, &has);
		EVP_PKEY_free(k);
		break;
	default:
		if (Sl_scan_buffer(s, "fuzz.bin", data + 1, size - 1,
		                   &all_reader) == SL_OK) {
			(void)Sl_check_run(s, &Sl_check_update);
			(void)Sl_check_run(s, &Sl_check_reset);
		}
		break;
	}
	sl_scan_free(s);
	return 0;
}
