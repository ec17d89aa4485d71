/*
 * config_fuzz.c - libFuzzer target for fw.config.
 *
 * The input becomes the content of every UCI file the check reads
 * (uhttpd, upnpd, wireless, system, olsrd, olsrd6) and of the files whose
 * presence it asks about, in one tree, and the check runs over it.
 * Build with -DSL_FUZZ=ON (clang).
 */
#include "../check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const names[] = {
    "etc/config/uhttpd",  "etc/config/upnpd",  "etc/config/wireless",
    "etc/config/system",  "etc/config/olsrd",  "etc/config/olsrd6",
    "etc/rc.d/S50uhttpd", "etc/rc.d/S65olsrd", "lib/libustream-ssl.so",
    "usr/sbin/px5g",      "www/index.html",    "usr/lib/olsrd_txtinfo.so.0.1",
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

extern const struct Sl_check Sl_check_config;

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sl_limits lim;
	struct sl_scan *s;

	sl_limits_default(&lim);
	lim.max_total = 16 << 20;
	lim.max_file = 4 << 20;
	lim.max_files = 10000;
	lim.threads = 1;
	s = sl_scan_new(&lim);
	if (s == NULL)
		return 0;
	if (Sl_scan_buffer(s, "fuzz.bin", data, size, &all_reader) == SL_OK)
		(void)Sl_check_run(s, &Sl_check_config);
	sl_scan_free(s);
	return 0;
}
