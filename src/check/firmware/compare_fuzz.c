/*
 * compare_fuzz.c - libFuzzer target for the comparison of two units'
 * images (compare.c) and the parsers it reuses in collect mode: the
 * credential readers of fw.accounts and the key parsers of fw.keys
 * (PEM, DER, OpenSSH, Dropbear public key blobs).
 *
 * The first byte picks two file names from a list of the places those
 * parsers read; the rest of the input, cut in two, becomes their content.
 * Both "units" get the same tree, so every credential and key found is
 * matched and reported.
 */
#include <stdlib.h>

#include "../../core/scan.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const paths[16] = {
    "etc/shadow",
    "etc/passwd",
    "www/.htpasswd",
    "etc/mosquitto/passwd",
    "etc/config/system",
    "etc/nvram.default",
    "etc/dropbear/dropbear_rsa_host_key",
    "etc/ssl/private/server.key",
    "etc/httpd.conf",
    "etc/mosquitto/mosquitto.conf",
    "etc/ssh/ssh_host_ed25519_key",
    "etc/ssl/certs/server.der",
    "etc/shadow-",
    "etc/passwd-",
    "etc/lighttpd/htpasswd",
    "etc/ppp/keys.pem",
};

/* The blob: "SLFZ", the two names' indexes, padding, then two halves. */
#define HDR 16

static int
fz_bid(const uint8_t *p, size_t n)
{
	return n >= HDR && memcmp(p, "SLFZ", 4) == 0 ? 100 : 0;
}

static sl_rc
fz_open(struct Sl_layer *l)
{
	size_t body = l->len - HDR, half = body / 2;
	struct sl_entry e = {.type = SL_FT_REG, .mode = 0644};
	struct Sl_node *n;

	e.size = half;
	if ((n = Sl_add(l, paths[l->data[4] & 15], &e)) != NULL)
		n->ref = HDR;
	e.size = body - half;
	if ((l->data[4] & 15) != (l->data[4] >> 4) &&
	    (n = Sl_add(l, paths[l->data[4] >> 4], &e)) != NULL)
		n->ref = HDR + half;
	l->size = l->len;
	return SL_OK;
}

static const struct Sl_magic fz_magics[] = {{"SLFZ", 4, 0}, {0}};

static const struct Sl_reader fz_reader = {
    .name = "fz",
    .nest = SL_NEST_WHOLE,
    .magics = fz_magics,
    .bid = fz_bid,
    .open = fz_open,
};

static struct sl_scan *
unit(const uint8_t *blob, size_t n)
{
	struct sl_limits lim;
	struct sl_scan *s;

	sl_limits_default(&lim);
	lim.threads = 1;
	lim.max_files = 100;
	if ((s = sl_scan_new(&lim)) == NULL)
		return NULL;
	Sl_scan_buffer(s, "fuzz.bin", blob, n, &fz_reader);
	s->has_fw = true;
	s->fw_name = "fuzz.bin";
	return s;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sl_scan *a, *b;
	uint8_t *blob;

	if (size < 1 || size > (1U << 20))
		return 0;
	blob = calloc(1, HDR + size - 1);
	if (blob == NULL)
		return 0;
	memcpy(blob, "SLFZ", 4);
	blob[4] = data[0];
	memcpy(blob + HDR, data + 1, size - 1);
	a = unit(blob, HDR + size - 1);
	b = unit(blob, HDR + size - 1);
	if (a != NULL && b != NULL && sl_scan_compare_firmware(a, b) == SL_OK) {
		(void)sl_scan_decide(a);
		(void)sl_scan_decide(b);
	}
	sl_scan_free(a);
	sl_scan_free(b);
	free(blob);
	return 0;
}
