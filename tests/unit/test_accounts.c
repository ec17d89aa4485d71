/*
 * test_accounts.c - unit tests of fw.accounts: the compiled-in password
 * list agrees with data/passwords/default-passwords.txt, every hash scheme
 * verifies against vectors made by other implementations (openssl passwd,
 * mosquitto_passwd, Python's hashlib and crypt), cost estimates refuse
 * absurd parameters, and the whole check, run over a small in-memory tree,
 * joins passwd and shadow, ignores hostile lines, masks secrets, caps the
 * number of accounts and survives every allocation failing in turn.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "check/check.h"
#include "catalogue/default_passwords.h"

/* Declared in src/check/firmware/accounts.c; no header for one check. */
int Sl_acc_verify(const char *stored, int mosquitto, const char *pw);
double Sl_acc_guess_cost(const char *stored, int mosquitto);
const char *Sl_acc_scheme(const char *stored, int mosquitto);
bool Sl_acc_password_key(const char *key);
bool Sl_acc_can_log_in(const char *shell);
bool Sl_acc_real_shell(const char *shell);
extern const struct Sl_check Sl_check_accounts;

/* ------------------------------------------------------------------ */

/* The source tree, from this file's path (CMake passes it absolute). */
static void
src_path(char *out, size_t n, const char *rel)
{
	/* The build passes the source tree: __FILE__ may be relative
	 * (-ffile-prefix-map in reproducible package builds). */
	snprintf(out, n, "%s/%s", SL_SOURCE_DIR, rel);
}

static void
list_matches_txt(void **state)
{
	char path[4096], line[512];
	size_t i = 0, j;
	FILE *f;

	(void)state;
	src_path(path, sizeof(path), "data/passwords/default-passwords.txt");
	f = fopen(path, "r");
	assert_non_null(f);
	while (fgets(line, sizeof(line), f) != NULL) {
		size_t n = strlen(line);

		while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
			line[--n] = 0;
		if (n == 0 || line[0] == '#')
			continue;
		if (i >= SL_ARRAY_LEN(Sl_default_passwords))
			fail_msg("list has more entries than the header: "
			         "run scripts/gen-passwords.sh");
		if (strcmp(line, Sl_default_passwords[i]) != 0)
			fail_msg("entry %zu: list '%s', header '%s': run "
			         "scripts/gen-passwords.sh",
			         i, line, Sl_default_passwords[i]);
		i++;
	}
	fclose(f);
	assert_int_equal(i, SL_ARRAY_LEN(Sl_default_passwords));
	assert_true(i >= 500);
	/* The slow-hash cap tries the head of the list: keep these there. */
	for (j = 0; j < 20; j++)
		if (strcmp(Sl_default_passwords[j], "admin") == 0)
			break;
	assert_true(j < 20);
}

/* ------------------------------------------------------------------ */

struct vector {
	const char *stored;
	int mosquitto;
	const char *pw;
	const char *scheme; /* a word in the scheme's name */
};

static const struct vector vectors[] = {
    /* Python crypt.crypt("password", "ab") */
    {"abJnggxhB/yWI", 0, "password", "DES"},
    /* Python crypt.crypt("root", "_J9..salt") */
    {"_J9..saltN0fOwdAUVRA", 0, "root", "BSDi"},
    /* openssl passwd -1 -salt saltsalt admin */
    {"$1$saltsalt$Y3BMhxQHmg7scgLILa56u1", 0, "admin", "MD5"},
    /* openssl passwd -apr1 -salt 12345678 password */
    {"$apr1$12345678$9pHAGSBYtlmFtid2xxNog0", 0, "password", "apr1"},
    /* openssl passwd -5 -salt abc ftp */
    {"$5$abc$Db7TrLvSl70tQOsiny6pXmJpleNYc6pmPE8a7oarIS7", 0, "ftp", "SHA-256"},
    /* openssl passwd -6 -salt saltsaltsalt root */
    {"$6$saltsaltsalt$B0bCGEymqx6CThUBZbLz6DTZzynXTGBDg08kLMMUyKYonqX17jA0"
     "5N0tU3/Qyffi8A3W0HjXno9kByaMBhdNY/",
     0, "root", "SHA-512"},
    /* libxcrypt crypt_gensalt("$2b$", 4) */
    {"$2b$04$7SMeoH2hlfOQoAZRlQu3QetGzz6CD9LOLeF397fJmrNYAQ/fdratG", 0, "admin",
     "bcrypt"},
    /* libxcrypt crypt_gensalt("$y$", 0) */
    {"$y$j9T$jFFCqbpkVIrtM/stMY/Xu1$n75ZHugk5N6ECNL4iVlaF0z/bwUY8qsuvC5aW"
     "OKZMoD",
     0, "12345678", "yescrypt"},
    /* base64(sha1("password")) */
    {"{SHA}W6ph5Mm5Pz8GgiULbPgzG37mj9g=", 0, "password", "SHA-1"},
    /* mosquitto_passwd -b (mosquitto 2.0) */
    {"$7$101$l2Q6kFp38oJe65ZV$0l8N7MMbWtqB19Dc8te/F0XH92nCXzLod4UxuMWyJDc2"
     "im9XOF0n+AGC/0ck3D81G6G7JZdPzZSm42VV5LZumQ==",
     1, "secretpw", "PBKDF2"},
    /* hashlib.pbkdf2_hmac("sha512", b"secretpw", b"0123456789ab", 101) */
    {"$7$101$MDEyMzQ1Njc4OWFi$rPTUoxKhnMNJo1C9thmeHyyhTYY7uuW4yynolxdvIFE"
     "OP+U6HefkziABCCp3UiWMjS717svmdbtAoXGCQJfoPQ==",
     1, "secretpw", "PBKDF2"},
    /* mosquitto 1.x: base64(sha512("guest" + b"0123456789ab")) */
    {"$6$MDEyMzQ1Njc4OWFi$7j+sZ5CM3V+Eq5hOb6ZA8HuRbQqgpgULlpujxA+i3j2mvAa"
     "TyaRS7tT0geFNMOk+Dhld2BbSXpegAbTwGXEq/A==",
     1, "guest", "mosquitto salted SHA-512"},
};

static void
verify_vectors(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < SL_ARRAY_LEN(vectors); i++) {
		const struct vector *v = &vectors[i];

		if (Sl_acc_verify(v->stored, v->mosquitto, v->pw) != 1)
			fail_msg("%s does not verify", v->stored);
		assert_int_equal(Sl_acc_verify(v->stored, v->mosquitto, "x"),
		                 0);
		assert_non_null(
		    strstr(Sl_acc_scheme(v->stored, v->mosquitto), v->scheme));
	}
	/* Malformed or unknown: -1, never a crash. */
	assert_int_equal(Sl_acc_verify("", 0, ""), -1);
	assert_int_equal(Sl_acc_verify("*", 0, ""), -1);
	assert_int_equal(Sl_acc_verify("$apr1$toolongsalt$x", 0, "a"), -1);
	assert_int_equal(Sl_acc_verify("{SHA}not base64!", 0, "a"), -1);
	assert_int_equal(Sl_acc_verify("$7$0$AAAA$AAAA", 1, "a"), -1);
	assert_int_equal(Sl_acc_verify("$7$99999999999$AAAA$AAAA", 1, "a"), -1);
	assert_int_equal(Sl_acc_verify("$6$AAAA$AAAA", 1, "a"), -1);
	assert_int_equal(Sl_acc_verify("$7$", 1, "a"), -1);
	assert_int_equal(Sl_acc_verify("$9$abc$def", 0, "a"), -1);
	/* $6$ means different things in shadow and in mosquitto files. */
	assert_non_null(strstr(Sl_acc_scheme("$6$a$b", 0), "crypt"));
	assert_non_null(strstr(Sl_acc_scheme("$6$a$b", 1), "mosquitto"));
}

static void
cost_bounds(void **state)
{
	(void)state;
	/* Defaults are affordable. */
	assert_true(Sl_acc_guess_cost(vectors[5].stored, 0) < 10000);
	assert_true(Sl_acc_guess_cost(vectors[7].stored, 0) < 100000);
	/* Hostile parameters are priced out before anything runs. */
	assert_true(Sl_acc_guess_cost("$2b$31$7SMeoH2hlfOQoAZRlQu3QetGzz6CD9LOL"
	                              "eF397fJmrNYAQ/fdratG",
	                              0) > 500000);
	assert_true(Sl_acc_guess_cost("$6$rounds=999999999$salt$x", 0) >
	            500000);
	assert_true(Sl_acc_guess_cost("$y$jzT$salt$x", 0) > 500000);
	assert_true(isinf(Sl_acc_guess_cost("$y$j9T9$salt$x", 0)));
	assert_true(isinf(Sl_acc_guess_cost("$2b$xx$salt", 0)));
	assert_true(Sl_acc_guess_cost("$7$4000000000$MDEy$MDEy", 1) > 500000);
	assert_int_equal(Sl_acc_verify("$2b$31$7SMeoH2hlfOQoAZRlQu3QetGzz6CD9LO"
	                               "LeF397fJmrNYAQ/fdratG",
	                               0, "admin"),
	                 -1);
}

static void
keys_and_shells(void **state)
{
	static const char *const yes[] = {
	    "password",   "passwd", "admin_password", "http_passwd", "Password",
	    "admin_pass", "pass",   "root_pwd",       "pass_admin",  NULL,
	};
	static const char *const no[] = {
	    "passthrough",
	    "bypass",
	    "password_min_len",
	    "passwd_file",
	    "key",
	    "wpa_passphrase",
	    "compass",
	    "username",
	    "passive_mode",
	    "",
	    NULL,
	};
	const char *const *k;

	(void)state;
	for (k = yes; *k; k++)
		if (!Sl_acc_password_key(*k))
			fail_msg("'%s' should be a password key", *k);
	for (k = no; *k; k++)
		if (Sl_acc_password_key(*k))
			fail_msg("'%s' should not be a password key", *k);
	assert_true(Sl_acc_can_log_in("/bin/sh"));
	assert_true(Sl_acc_can_log_in(""));
	assert_true(Sl_acc_can_log_in("/usr/bin/clish"));
	assert_false(Sl_acc_can_log_in("/sbin/nologin"));
	assert_false(Sl_acc_can_log_in("/bin/false"));
	assert_false(Sl_acc_can_log_in("/bin/sync"));
	assert_true(Sl_acc_real_shell("/bin/ash"));
	assert_true(Sl_acc_real_shell(""));
	assert_false(Sl_acc_real_shell("/usr/bin/clish"));
	assert_false(Sl_acc_real_shell("/usr/sbin/nologin"));
}

/* ------------------------------------------------------------------ */
/* The whole check over an in-memory tree                              */
/* ------------------------------------------------------------------ */

#include "memimg.h"

static size_t
count_title(struct sl_scan *s, const char *id, const char *in_title)
{
	size_t i, n = 0;

	for (i = 0; i < sl_finding_count(s); i++) {
		const struct sl_finding *f = sl_finding_get(s, i);

		if (strcmp(f->id, id) == 0 &&
		    (in_title == NULL || strstr(f->title, in_title)))
			n++;
	}
	return n;
}

static const struct sl_finding *
find_title(struct sl_scan *s, const char *id, const char *in_title)
{
	size_t i;

	for (i = 0; i < sl_finding_count(s); i++) {
		const struct sl_finding *f = sl_finding_get(s, i);

		if (strcmp(f->id, id) == 0 && strstr(f->title, in_title))
			return f;
	}
	return NULL;
}

static bool
incomplete_has(struct sl_scan *s, const char *needle)
{
	size_t i;

	for (i = 0; i < sl_scan_incomplete_count(s); i++)
		if (strstr(sl_scan_incomplete(s, i), needle))
			return true;
	return false;
}

#define MD5_ADMIN    "$1$saltsalt$Y3BMhxQHmg7scgLILa56u1"
#define DES_PASSWORD "abJnggxhB/yWI"

static void
check_joins_and_guards(void **state)
{
	struct img m = {0};
	struct sl_scan *s;
	const struct sl_finding *f;
	char *big;
	size_t i;

	(void)state;
	static const char nvram_tool[] = "\177ELF\0http_passwd=admin";
	static const char nvram_bin[] = "lan=1\0http_passwd=admin\0x=%s";
	static const char passwd[] =
	    "root:x:0:0:root:/root:/bin/sh\n"
	    "+nis::0:0:::\n"                            /* NIS: skipped */
	    "broken:x:0:0\n"                            /* too few fields */
	    "old:" DES_PASSWORD ":500:500::/:/bin/sh\n" /* hash in passwd */
	    "toor:*:0:0::/root:/bin/sh\n"               /* uid 0, no shadow */
	    "cli:x:1002:1002::/:/usr/bin/clish\n"
	    "root:x:0:0:second root line:/:/bin/sh\n";

	big = malloc(8000);
	assert_non_null(big);
	/* A line over 4 KiB that would be an empty password: ignored. */
	memcpy(big, "huge::1001:1::/:/bin/sh", 23);
	memset(big + 23, 'x', 5000);
	big[5023] = '\n';
	memcpy(big + 5024, passwd, sizeof(passwd));
	img_adds(&m, "etc/passwd", big);
	img_adds(&m, "etc/shadow",
	         "root:" MD5_ADMIN ":0:0:99999:7:::\n"
	         "cli::19000::::::\n"
	         "ghost:" MD5_ADMIN ":19000::::::\n"); /* no passwd line */
	img_adds(&m, "etc/passwd-", "huge::1001:1::/:/bin/sh\n");
	/* A long user name puts the hash across the excerpt's cut. */
	memset(big, 'c', 300);
	memcpy(big, "longuser", 8);
	big[225] = ':';
	memcpy(big + 226, MD5_ADMIN "\n", sizeof(MD5_ADMIN "\n"));
	img_adds(&m, "srv/www/.htpasswd", big);
	img_adds(&m, "etc/config/rpcd",
	         "config login\n\toption username 'root'\n"
	         "\toption password '$p$root'\n"
	         "config login\n\toption password \"unterminated\n");
	img_add(&m, "usr/sbin/nvram", nvram_tool, sizeof(nvram_tool));
	img_add(&m, "etc/nvram.bin", nvram_bin, sizeof(nvram_bin));
	s = scan_of(&m);
	assert_int_equal(Sl_check_run(s, &Sl_check_accounts), SL_OK);

	/* root's hash (MD5 of "admin") in shadow: cracked once, weak once. */
	assert_int_equal(count_title(s, "FW-SHADOW-DEFAULT-PASSWORD", "'root'"),
	                 1);
	f = find_title(s, "FW-SHADOW-DEFAULT-PASSWORD", "'root'");
	assert_non_null(f);
	assert_string_equal(f->evidence.path, "t.bin:sect!/etc/shadow");
	assert_int_equal(f->evidence.offset, 0);
	assert_null(strstr(f->evidence.excerpt, MD5_ADMIN));
	assert_null(strstr(f->title, "admin"));
	assert_non_null(strstr(f->title, "expired")); /* lastchg 0 */
	/* Cracked: the weak scheme is its detail, not a second finding. */
	assert_int_equal(count_title(s, "FW-WEAK-HASH", "'root'"), 0);
	/* The old-style hash in passwd is cracked (and weak: one finding). */
	assert_int_equal(count_title(s, "FW-SHADOW-DEFAULT-PASSWORD", "'old'"),
	                 1);
	assert_int_equal(count_title(s, "FW-WEAK-HASH", "DES"), 0);
	f = find_title(s, "FW-SHADOW-DEFAULT-PASSWORD", "'old'");
	assert_string_equal(f->evidence.path, "t.bin:sect!/etc/passwd");
	assert_null(strstr(f->evidence.excerpt, DES_PASSWORD));
	/* The orphan shadow line is still a default hash. */
	assert_int_equal(
	    count_title(s, "FW-SHADOW-DEFAULT-PASSWORD", "'ghost'"), 1);
	/* toor: uid 0 besides root, password locked. */
	assert_int_equal(count_title(s, "FW-ACCOUNT-EXTRA-UID0", NULL), 1);
	assert_non_null(find_title(s, "FW-ACCOUNT-EXTRA-UID0", "'toor'"));
	/* cli: empty password with a vendor CLI as shell can log in. */
	assert_int_equal(count_title(s, "FW-ACCOUNT-EMPTY-PASSWORD", NULL), 2);
	assert_non_null(find_title(s, "FW-ACCOUNT-EMPTY-PASSWORD", "'cli'"));
	/* huge: its >4 KiB line is ignored; the backup's line is not. */
	f = find_title(s, "FW-ACCOUNT-EMPTY-PASSWORD", "'huge'");
	assert_non_null(f);
	assert_string_equal(f->evidence.path, "t.bin:sect!/etc/passwd-");
	/* old: uid 500, a shell and a password: a service account. */
	assert_int_equal(count_title(s, "FW-ACCOUNT-SERVICE-SHELL", NULL), 1);
	assert_non_null(find_title(s, "FW-ACCOUNT-SERVICE-SHELL", "'old'"));
	/* The long htpasswd line: cut before the hash, nothing leaks. */
	f = find_title(s, "FW-SHADOW-DEFAULT-PASSWORD", "'longuser");
	assert_non_null(f);
	assert_null(strstr(f->evidence.excerpt, "$1$"));
	assert_null(strstr(f->evidence.excerpt, "Y3BM"));
	/* rpcd's "$p$root" refers to the system password: no finding. */
	assert_int_equal(count_title(s, "FW-PLAINTEXT-PASSWORD", "UCI"), 0);
	/* NVRAM: NUL-separated records count; the ELF tool does not. */
	assert_int_equal(count_title(s, "FW-PLAINTEXT-PASSWORD", "NVRAM"), 1);
	f = find_title(s, "FW-PLAINTEXT-PASSWORD", "NVRAM");
	assert_string_equal(f->evidence.path, "t.bin:sect!/etc/nvram.bin");
	assert_string_equal(f->evidence.excerpt, "http_passwd=*****");
	assert_int_equal(f->severity, SL_SEV_HIGH);
	assert_non_null(strstr(f->title, "default"));
	for (i = 0; i < sl_finding_count(s); i++) {
		f = sl_finding_get(s, i);
		assert_null(strstr(f->evidence.excerpt, MD5_ADMIN));
	}
	assert_false(incomplete_has(s, "fw.accounts"));
	sl_scan_free(s);
	free(m.p);
	free(big);
}

static void
check_caps_accounts(void **state)
{
	struct img m = {0};
	struct sl_scan *s;
	char *p;
	size_t i, n = 0, cap = 10050 * 40;

	(void)state;
	p = malloc(cap);
	assert_non_null(p);
	for (i = 0; i < 10050; i++)
		n += (size_t)snprintf(p + n, cap - n,
		                      "u%zu:*:%zu:1::/:/bin/false\n", i,
		                      2000 + i);
	img_add(&m, "etc/passwd", p, n);
	s = scan_of(&m);
	assert_int_equal(Sl_check_run(s, &Sl_check_accounts), SL_OK);
	assert_true(incomplete_has(s, "more than 10000 accounts"));
	assert_int_equal(sl_finding_count(s), 0);
	sl_scan_free(s);
	free(m.p);
	free(p);
}

/* Every allocation of the check fails in turn: an error, never a crash. */
static void
check_torture(void **state)
{
	struct img m = {0};
	long i, ok = 0;

	(void)state;
	img_adds(&m, "etc/passwd",
	         "root:x:0:0::/root:/bin/sh\nsupport:x:0:0::/:/bin/sh\n"
	         "ftp:x:21:21::/:/bin/sh\n");
	img_adds(&m, "etc/shadow", "root:::::::\nsupport:!::\nftp:::\n");
	img_adds(&m, "etc/config/x", "config a\n\toption password 'pw1'\n");
	img_adds(&m, "etc/httpd.conf", "/:u:p\n");
	for (i = 1; i < 400; i++) {
		struct sl_scan *s = scan_of(&m);
		sl_rc rc;

		s->arena.fail_at = s->arena.nallocs + i;
		rc = Sl_check_run(s, &Sl_check_accounts);
		assert_true(rc == SL_OK || rc == SL_E_NOMEM);
		ok += rc == SL_OK;
		sl_scan_free(s);
	}
	assert_true(ok > 0); /* past the last allocation it completes */
	free(m.p);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(list_matches_txt),
	    cmocka_unit_test(verify_vectors),
	    cmocka_unit_test(cost_bounds),
	    cmocka_unit_test(keys_and_shells),
	    cmocka_unit_test(check_joins_and_guards),
	    cmocka_unit_test(check_caps_accounts),
	    cmocka_unit_test(check_torture),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
