/*
 * test_update.c - unit tests of fw.update and fw.reset: the word and line
 * helpers, insecure install paths in scripts (a URL through a variable,
 * curl -k clusters, loopback downloads, a signature check anywhere in the
 * script), vendor scripts by name, the gate on an operating-system root,
 * key parsing (signify, PEM, garbage), FIT walks over damaged input, and
 * allocation failure at every step of both checks.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>

#include <openssl/evp.h>

#include "check/check.h"
#include "check/firmware/scan.h"
#include "check/firmware/update.h"

extern const struct Sl_check Sl_check_update, Sl_check_reset;

#include "memimg.h"

static void
words_and_lines(void **state)
{
	static const char text[] = "#!/bin/sh\n\n   # comment\n\t wget x \r\n"
	                           "a\001b\n";
	struct Sl_upd_line l;
	size_t pos = 0;

	(void)state;
	assert_non_null(Sl_upd_word("/sbin/sysupgrade -n f", "sysupgrade"));
	assert_null(Sl_upd_word("sysupgrade.sh", "sysupgrade"));
	assert_null(Sl_upd_word("mysysupgrade x", "sysupgrade"));
	assert_non_null(Sl_upd_word("a;mtd write", "mtd"));
	assert_null(Sl_upd_word("", ""));
	assert_true(Sl_upd_next_line((const uint8_t *)text, sizeof(text) - 1,
	                             &pos, &l));
	assert_string_equal(l.buf, "wget x");
	assert_int_equal(l.off, 26);
	assert_true(Sl_upd_next_line((const uint8_t *)text, sizeof(text) - 1,
	                             &pos, &l));
	assert_string_equal(l.buf, "a b");
	assert_false(Sl_upd_next_line((const uint8_t *)text, sizeof(text) - 1,
	                              &pos, &l));
	assert_string_equal(Sl_upd_base("usr/sbin/fw-update"), "fw-update");
}

/* An image with an operating-system root and these scripts. */
static void
root(struct img *m)
{
	img_addsm(m, "bin/busybox", 0755, "\177ELF\002\001");
	img_addsm(m, "etc/passwd", 0644, "root:x:0:0::/root:/bin/sh\n");
}

static void
scripts(void **state)
{
	struct img m = {0};
	struct sl_scan *s;
	const struct sl_finding *f;

	(void)state;
	root(&m);
	img_addsm(&m, "usr/sbin/a", 0755,
	          "#!/bin/sh\nexport SRV=http://fw.vendor.io/x\n"
	          "wget -O /tmp/f \"${SRV}/fw.bin\"\nmtd write /tmp/f fw\n");
	/* The variable is a longer name: not the URL. */
	img_addsm(&m, "usr/sbin/b", 0755,
	          "#!/bin/sh\nSRV=http://fw.vendor.io/x\n"
	          "wget -O /tmp/f \"$SRVX\"\nmtd write /tmp/f fw\n");
	img_addsm(&m, "usr/sbin/c", 0755,
	          "#!/bin/sh\ncurl -sSkL -o /tmp/f https://h.io/f\n"
	          "dd if=/tmp/f of=/dev/mtdblock3\n");
	/* -K is a config file, not -k. */
	img_addsm(&m, "usr/sbin/d", 0755,
	          "#!/bin/sh\ncurl -sK /etc/c -o /tmp/f https://h.io/f\n"
	          "flashcp /tmp/f /dev/mtd3\n");
	img_addsm(&m, "usr/sbin/e", 0755,
	          "#!/bin/sh\nwget -O /tmp/f http://127.0.0.1/f\n"
	          "sysupgrade /tmp/f\n");
	img_addsm(&m, "usr/sbin/f", 0755,
	          "#!/bin/sh\nwget -O /tmp/f http://h.io/f\n"
	          "sysupgrade /tmp/f\n"
	          "openssl dgst -sha256 -verify /etc/k.pem -signature s f\n");
	/* Not executable, no #!, not in a script place: not read. */
	img_addsm(&m, "usr/share/g", 0644,
	          "wget http://h.io/f\nsysupgrade /tmp/f\n");
	/* Password in a URL: masked. */
	img_addsm(&m, "usr/sbin/h", 0755,
	          "#!/bin/sh\nwget http://u:Secr3tPassw0rd@h.io/f\n"
	          "opkg install /tmp/f\n");
	s = scan_of(&m);
	assert_int_equal(Sl_check_run(s, &Sl_check_update), SL_OK);
	assert_int_equal(count(s, "FW-UPDATE-INSECURE-INSTALL", "usr/sbin/a"),
	                 1);
	assert_int_equal(count(s, "FW-UPDATE-INSECURE-INSTALL", "usr/sbin/b"),
	                 0);
	assert_int_equal(count(s, "FW-UPDATE-INSECURE-INSTALL", "usr/sbin/c"),
	                 1);
	assert_int_equal(count(s, "FW-UPDATE-INSECURE-INSTALL", "usr/sbin/d"),
	                 0);
	assert_int_equal(count(s, "FW-UPDATE-INSECURE-INSTALL", "usr/sbin/e"),
	                 0);
	assert_int_equal(count(s, "FW-UPDATE-INSECURE-INSTALL", "usr/sbin/f"),
	                 0);
	assert_int_equal(count(s, "FW-UPDATE-INSECURE-INSTALL", "usr/share/g"),
	                 0);
	f = find(s, "FW-UPDATE-INSECURE-INSTALL", "usr/sbin/h");
	assert_non_null(f);
	assert_null(strstr(f->evidence.excerpt, "Secr3tPassw0rd"));
	assert_non_null(strstr(f->title, "opkg install"));
	f = find(s, "FW-UPDATE-INSECURE-INSTALL", "usr/sbin/c");
	assert_non_null(strstr(f->title, "TLS certificate verification off"));
	assert_non_null(strstr(f->title, "dd to a flash device"));
	/* f verifies: a vendor script, but no missing-key finding. */
	assert_int_equal(count(s, "FW-UPDATE-MECHANISM", "usr/sbin/f"), 1);
	assert_int_equal(count(s, "FW-UPDATE-NO-VERIFY-KEY", "usr/sbin/f"), 0);
	/* One S1.1-08 finding per update path: a's insecure install. */
	assert_int_equal(count(s, "FW-UPDATE-NO-VERIFY-KEY", "usr/sbin/a"), 0);
	assert_int_equal(count(s, "FW-UPDATE-NO-VERIFY-KEY", "usr/sbin/b"), 1);
	sl_scan_free(s);
	free(m.p);
}

static void
names_and_gate(void **state)
{
	struct img m = {0};
	struct sl_scan *s;

	(void)state;
	/* No operating system: scripts still count, the rest is not said. */
	img_addsm(&m, "usr/bin/ota.sh", 0755,
	          "#!/bin/sh\ntftp -g -r f 10.0.0.1\nsysupgrade f\n");
	img_addsm(&m, "usr/bin/quota.sh", 0755, "#!/bin/sh\necho\n");
	img_addsm(&m, "usr/sbin/update-rc.d", 0755, "#!/bin/sh\necho\n");
	img_addsm(&m, "usr/sbin/pam-auth-update", 0755, "#!/bin/sh\necho\n");
	img_addsm(&m, "sbin/fw3", 0755, "#!/bin/sh\necho\n");
	img_addsm(&m, "usr/sbin/firmware_upgrade.sh", 0755, "#!/bin/sh\n:\n");
	img_addsm(&m, "usr/bin/otad", 0755, "#!/bin/sh\necho\n");
	s = scan_of(&m);
	assert_int_equal(Sl_check_run(s, &Sl_check_update), SL_OK);
	assert_int_equal(Sl_check_run(s, &Sl_check_reset), SL_OK);
	assert_int_equal(sl_finding_count(s), 1);
	assert_int_equal(
	    count(s, "FW-UPDATE-INSECURE-INSTALL", "usr/bin/ota.sh"), 1);
	sl_scan_free(s);

	root(&m);
	s = scan_of(&m);
	assert_int_equal(Sl_check_run(s, &Sl_check_update), SL_OK);
	assert_int_equal(count(s, "FW-UPDATE-MECHANISM", "usr/bin/ota.sh"), 1);
	assert_int_equal(count(s, "FW-UPDATE-MECHANISM", "usr/bin/quota.sh"),
	                 0);
	assert_int_equal(
	    count(s, "FW-UPDATE-MECHANISM", "usr/sbin/update-rc.d"), 0);
	assert_int_equal(
	    count(s, "FW-UPDATE-MECHANISM", "usr/sbin/pam-auth-update"), 0);
	assert_int_equal(count(s, "FW-UPDATE-MECHANISM", "sbin/fw3"), 0);
	assert_int_equal(
	    count(s, "FW-UPDATE-MECHANISM", "usr/sbin/firmware_upgrade.sh"), 1);
	assert_int_equal(count(s, "FW-UPDATE-MECHANISM", "usr/bin/otad"), 1);
	assert_int_equal(count(s, "FW-VERSION-MISSING", NULL), 0); /* no '!/' */
	assert_int_equal(Sl_check_run(s, &Sl_check_reset), SL_OK);
	/*
	 * The reset gate opens; nothing writable: not a finding, but S1.1-14
	 * not judged from the firmware (absence is needs-evidence).
	 */
	assert_int_equal(count(s, "FW-PERSIST-READONLY", NULL), 0);
	assert_true((s->unjudged[13] & SL_SRC_FIRMWARE) != 0);
	sl_scan_free(s);
	free(m.p);
}

static void
versions(void **state)
{
	struct img m = {0};
	struct sl_scan *s;
	const struct sl_finding *f;

	(void)state;
	root(&m);
	img_adds(&m, "etc/os-release", "NAME=X\nVERSION=\"1.0 (a)\"\n");
	img_adds(&m, "etc/version", "  # nothing\n\n");
	s = scan_of(&m);
	assert_int_equal(Sl_check_run(s, &Sl_check_update), SL_OK);
	f = find(s, "FW-VERSION", "etc/os-release");
	assert_non_null(f);
	assert_string_equal(f->evidence.excerpt, "1.0 (a)");
	assert_int_equal(f->evidence.offset, 7);
	sl_scan_free(s);
	free(m.p);
}

/* "untrusted comment: x\n" and the base64 of "Ed" + 8 + 32 bytes. */
static void
keys(void **state)
{
	static const char pem[] =
	    "-----BEGIN PUBLIC KEY-----\n"
	    "MCowBQYDK2VwAyEAGb9ECWmEzf6FQbrBZ9w7lshQhqowtrbLDFw4rXAxZuE=\n"
	    "-----END PUBLIC KEY-----\n";
	uint8_t raw[42], num[8];
	char b64[80], txt[160];
	EVP_PKEY *k;
	bool has;
	int n;

	(void)state;
	memcpy(raw, "Ed", 2);
	memset(raw + 2, 0x11, 8);
	memset(raw + 10, 0x22, 32);
	n = EVP_EncodeBlock((unsigned char *)b64, raw, sizeof(raw));
	assert_int_equal(n, 56);
	snprintf(txt, sizeof(txt), "untrusted comment: k\n%s\n", b64);
	k = Sl_upd_key_parse((const uint8_t *)txt, strlen(txt), num, &has);
	assert_non_null(k);
	assert_true(has);
	assert_int_equal(num[0], 0x11);
	assert_int_equal(EVP_PKEY_get_base_id(k), EVP_PKEY_ED25519);
	EVP_PKEY_free(k);
	k = Sl_upd_key_parse((const uint8_t *)pem, strlen(pem), num, &has);
	assert_non_null(k);
	assert_false(has);
	EVP_PKEY_free(k);
	assert_null(Sl_upd_key_parse((const uint8_t *)"junk", 4, num, &has));
	assert_null(Sl_upd_key_parse((const uint8_t *)"untrusted comment: \n!",
	                             21, num, &has));
}

/* A FIT header with its fields; the rest of the blob as given. */
static void
fdt(uint8_t *p, uint32_t total, uint32_t ost, uint32_t ostr, uint32_t sstr,
    uint32_t sst)
{
	const uint32_t v[] = {0xd00dfeed, total, ost, ostr, 40,
	                      17,         16,    0,   sstr, sst};
	size_t i;

	for (i = 0; i < 10; i++) {
		p[4 * i] = (uint8_t)(v[i] >> 24);
		p[4 * i + 1] = (uint8_t)(v[i] >> 16);
		p[4 * i + 2] = (uint8_t)(v[i] >> 8);
		p[4 * i + 3] = (uint8_t)v[i];
	}
}

static void
fit_damage(void **state)
{
	uint8_t b[128];
	struct sl_scan *s = sl_scan_new(NULL);
	bool conf;

	(void)state;
	assert_non_null(s);
	memset(b, 0, sizeof(b));
	assert_int_equal(Sl_upd_fit_verify(s, "x", b, sizeof(b), NULL, &conf),
	                 -1);
	/* Blocks past the total size. */
	fdt(b, 128, 48, 120, 100, 60);
	assert_int_equal(Sl_upd_fit_verify(s, "x", b, sizeof(b), NULL, &conf),
	                 -1);
	/* Total size past the bytes. */
	fdt(b, 4096, 48, 120, 8, 60);
	assert_int_equal(Sl_upd_fit_verify(s, "x", b, sizeof(b), NULL, &conf),
	                 -1);
	/* A sound header, then a node that never ends. */
	fdt(b, 128, 48, 120, 8, 72);
	b[51] = 1; /* BEGIN_NODE "" */
	assert_int_equal(Sl_upd_fit_verify(s, "x", b, sizeof(b), NULL, &conf),
	                 -1);
	/* An empty root: a FIT with no signature. */
	b[59] = 2; /* END_NODE */
	b[63] = 9; /* END */
	assert_int_equal(Sl_upd_fit_verify(s, "x", b, sizeof(b), NULL, &conf),
	                 0);
	assert_false(conf);
	sl_scan_free(s);
}

static void
torture(void **state)
{
	struct img m = {0};

	(void)state;
	root(&m);
	img_addsm(&m, "usr/sbin/fw-update", 0755,
	          "#!/bin/sh\nURL=http://u:pw12345678@h.io/f\n"
	          "wget -O /tmp/f $URL\nmtd write /tmp/f firmware\n");
	img_addsm(&m, "etc/rc.button/reset", 0755,
	          "#!/bin/sh\njffs2reset -y\n");
	img_adds(&m, "etc/fstab", "/dev/mtdblock4 /overlay jffs2 rw 0 0\n");
	img_adds(&m, "etc/openwrt_release",
	         "DISTRIB_RELEASE='1'\nDISTRIB_REVISION='r2'\n");
	img_adds(&m, "etc/rauc/system.conf", "[keyring]\npath=ca.pem\n");
	img_adds(&m, "etc/rauc/ca.pem", "x");
	img_adds(&m, "etc/mender/mender.conf",
	         "{\"ArtifactVerifyKey\": \"/etc/nokey.pem\"}\n");
	img_torture(&m, &Sl_check_update);
	img_torture(&m, &Sl_check_reset);
	free(m.p);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(words_and_lines),
	    cmocka_unit_test(scripts),
	    cmocka_unit_test(names_and_gate),
	    cmocka_unit_test(versions),
	    cmocka_unit_test(keys),
	    cmocka_unit_test(fit_damage),
	    cmocka_unit_test(torture),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
