/*
 * test_secrets.c - unit tests of fw.secrets and of the content pass it
 * shares (scan.c): every rule's pattern compiles, the value gates keep
 * templates and placeholders out, the whole check over a small in-memory
 * tree finds tokens at the edges of files and inside binaries, cuts
 * values at the right bytes, prefers specific rules to generic ones,
 * caps findings per file, never lets a value (or a neighbour's) into an
 * excerpt, and survives every allocation failing in turn.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>

#include "check/check.h"
#include "check/firmware/scan.h"

/* Declared in src/check/firmware/secrets.c; no header for one check. */
bool Sl_sec_templated(const char *v, size_t n);
bool Sl_sec_placeholder(const char *v, size_t n);
const char *Sl_sec_pattern(size_t i, const char **id);
extern const struct Sl_check Sl_check_secrets;

#include "memimg.h"

/* No excerpt may hold more than the first two bytes of a value. */
static void
no_leak(struct sl_scan *s, const char *value)
{
	size_t i, n = strlen(value);
	char probe[9];

	for (i = 0; i < sl_finding_count(s); i++) {
		const char *ex = sl_finding_get(s, i)->evidence.excerpt;
		size_t k;

		for (k = 2; ex != NULL && k + 8 <= n; k++) {
			memcpy(probe, value + k, 8);
			probe[8] = 0;
			if (strstr(ex, probe) != NULL)
				fail_msg("'%s' leaks into '%s'", probe, ex);
		}
	}
}

/* ------------------------------------------------------------------ */

static void
patterns_compile(void **state)
{
	const char *re[64], *id;
	struct Sl_patterns *p = NULL;
	struct sl_scan *s = sl_scan_new(NULL);
	size_t n;

	(void)state;
	for (n = 0; n < 64 && (re[n] = Sl_sec_pattern(n, &id)) != NULL; n++)
		assert_non_null(id);
	assert_true(n >= 15 && n < 64);
	assert_int_equal(Sl_patterns_compile(s, "t", re, NULL, (unsigned)n, &p),
	                 SL_OK);
	Sl_patterns_free(p);
	/* A broken pattern is an error naming it, not a crash. */
	re[0] = "(unclosed";
	assert_int_not_equal(Sl_patterns_compile(s, "t", re, NULL, 1, &p),
	                     SL_OK);
	assert_null(p);
	assert_non_null(strstr(sl_scan_error(s), "pattern 0"));
	Sl_patterns_free(NULL);
	sl_scan_free(s);
}

static void
gates(void **state)
{
	static const char *const templ[] = {
	    "",           "${TOKEN}",     "$(cat /x)", "%s",
	    "<password>", "{{ secret }}", "xxxxxxxx",  "********",
	    "$1",         "@PASSWORD@",   NULL,
	};
	static const char *const place[] = {
	    "changeme",
	    "CHANGEME",
	    "password",
	    "your_api_key_here",
	    "/etc/secret.key",
	    "./key",
	    "getenv(\"X\")",
	    "this.form.password",
	    "e.target.value",
	    "REDACTED",
	    "example-token",
	    "none",
	    NULL,
	};
	static const char *const real[] = {
	    "Xy7kQ9mZ2wP4", "hunter22",   "S3cr3tPassw0rd",
	    "admin123",     "v1.2.3-rc4", "q8Zk2LmN4pR7tV1x",
	    NULL,
	};
	const char *const *p;

	(void)state;
	for (p = templ; *p; p++) {
		if (!Sl_sec_templated(*p, strlen(*p)))
			fail_msg("'%s' should be a template", *p);
		assert_true(Sl_sec_placeholder(*p, strlen(*p)));
	}
	for (p = place; *p; p++)
		if (!Sl_sec_placeholder(*p, strlen(*p)))
			fail_msg("'%s' should be a placeholder", *p);
	for (p = real; *p; p++)
		if (Sl_sec_placeholder(*p, strlen(*p)))
			fail_msg("'%s' should pass", *p);
}

#define AWS1 "AKIAQ3EXAMPLEZ7K2M4P"
#define AWS2 "ASIAZZ9Y8X7W6V5U4T3S"
#define GCP  "AIzaSyB4x7Q2mN9pL3kR8tV6wZ1yC5dF0gH2jK4"
#define GH   "ghp_A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8"
#define TOK  "Q7xmP2vL9wR4kT6n"

static void
values_and_edges(void **state)
{
	static const uint8_t bin[] = "\x7f"
	                             "ELF\0\0\0" AWS2 "\0\0\0";
	struct img m = {0};
	struct sl_scan *s;
	const struct sl_finding *f;

	(void)state;
	img_adds(&m, "a/start", AWS1 " at the start");
	img_adds(&m, "a/end", "at the end: " AWS1);
	img_add(&m, "a/bin", bin, sizeof(bin));
	img_adds(&m, "a/long", "X" AWS1 "\n" AWS1 "Z\n"); /* not tokens */
	img_adds(&m, "a/open", "password=\"Unterminated9x");
	img_adds(&m, "a/eof", "password=Xk8#pQ2!zR");
	img_adds(&m, "a/cmp",
	         "if [ $password == \"Abcdefgh1234\" ]\n"
	         "x = Foo::passwd::bar\n");
	img_adds(&m, "a/specific", "api_key = \"" GCP "\"\n");
	img_adds(&m, "a/entropy", "token=aaaabbbbccccdddd\ntoken=" TOK "\n");
	img_adds(&m, "a/json",
	         "{\"password\": \"" TOK "\", \"gh\": \"" GH "\"}");
	img_adds(&m, "a/jwtio",
	         "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3"
	         "ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ."
	         "SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c");
	img_adds(&m, "a/url",
	         "ftp://%s:%s@%s/\nhttps://bob:Tr0ub4dor3x@h.io/\n");
	img_adds(&m, "etc/nvram.txt", "http_passwd=Xy7kQ9mZ2wP4\n");
	s = scan_of(&m);
	assert_int_equal(Sl_check_run(s, &Sl_check_secrets), SL_OK);

	f = find(s, "FW-SECRET-AWS-KEY", "a/start");
	assert_non_null(f);
	assert_int_equal(f->evidence.offset, 0);
	f = find(s, "FW-SECRET-AWS-KEY", "a/end");
	assert_non_null(f);
	assert_int_equal(f->evidence.offset, 12);
	f = find(s, "FW-SECRET-AWS-KEY", "a/bin");
	assert_non_null(f);
	assert_int_equal(f->evidence.offset, 7);
	assert_int_equal(count(s, "FW-SECRET-AWS-KEY", "a/long"), 0);
	assert_int_equal(count(s, "FW-SECRET-ASSIGNMENT", "a/open"), 0);
	assert_int_equal(count(s, "FW-SECRET-ASSIGNMENT", "a/eof"), 1);
	assert_int_equal(count(s, "FW-SECRET-ASSIGNMENT", "a/cmp"), 0);
	/* The GCP key in api_key: its own rule, not also "assignment". */
	assert_int_equal(count(s, "FW-SECRET-GCP-KEY", "a/specific"), 1);
	assert_int_equal(count(s, "FW-SECRET-ASSIGNMENT", "a/specific"), 0);
	/* Low entropy dropped, the real token kept, at its key's offset. */
	assert_int_equal(count(s, "FW-SECRET-ASSIGNMENT", "a/entropy"), 1);
	f = find(s, "FW-SECRET-ASSIGNMENT", "a/entropy");
	assert_int_equal(f->evidence.offset, 23);
	assert_non_null(strstr(f->title, "'token'"));
	/* Two values on one line: each excerpt hides both. */
	assert_int_equal(count(s, "FW-SECRET-ASSIGNMENT", "a/json"), 1);
	assert_int_equal(count(s, "FW-SECRET-GITHUB-TOKEN", "a/json"), 1);
	f = find(s, "FW-SECRET-ASSIGNMENT", "a/json");
	assert_non_null(strstr(f->evidence.excerpt, "\"Q7**************\""));
	assert_int_equal(count(s, "FW-SECRET-JWT", "a/jwtio"), 0);
	assert_int_equal(count(s, "FW-SECRET-URL-CREDENTIALS", "a/url"), 1);
	f = find(s, "FW-SECRET-URL-CREDENTIALS", "a/url");
	assert_string_equal(f->requirements[0], "S1.1-11");
	assert_null(f->requirements[1]); /* https: not in clear */
	/* NVRAM passwords are fw.accounts' findings. */
	assert_int_equal(count(s, "FW-SECRET-ASSIGNMENT", "etc/nvram.txt"), 0);
	no_leak(s, AWS1);
	no_leak(s, AWS2);
	no_leak(s, GCP);
	no_leak(s, GH);
	no_leak(s, TOK);
	no_leak(s, "Tr0ub4dor3x");
	sl_scan_free(s);
	free(m.p);
}

static void
caps_per_file(void **state)
{
	struct img m = {0};
	struct sl_scan *s;
	char *buf = malloc(64 * 30), tok[41];
	size_t i, n = 0, k;

	(void)state;
	assert_non_null(buf);
	for (i = 0; i < 23; i++) {
		memcpy(tok, GH, 41);
		tok[10] = (char)('A' + i);
		n += (size_t)sprintf(buf + n, "t%zu=%s\n", i, tok);
	}
	img_add(&m, "etc/tokens", buf, n);
	s = scan_of(&m);
	assert_int_equal(Sl_check_run(s, &Sl_check_secrets), SL_OK);
	assert_int_equal(count(s, "FW-SECRET-GITHUB-TOKEN", "etc/tokens"), 20);
	for (i = 0, k = 0; i < sl_finding_count(s); i++)
		k += strstr(sl_finding_get(s, i)->evidence.excerpt,
		            "and 3 more in this file") != NULL;
	assert_int_equal(k, 1);
	sl_scan_free(s);
	free(m.p);
	free(buf);
}

/* The content pass itself: threads, whole containers, no content. */
static int
count_match(struct Sl_file *f, unsigned id, size_t end)
{
	(void)id;
	(void)end;
	++*(size_t *)f->priv;
	return 0;
}

static sl_rc
count_end(struct Sl_file *f)
{
	size_t *n = f->user;

	__atomic_add_fetch(n, *(size_t *)f->priv, __ATOMIC_SEQ_CST);
	*(size_t *)f->priv = 0;
	return SL_OK;
}

static void
grep_pass(void **state)
{
	static const char *const re[] = {"needle"};
	static const struct Sl_grep_ops ops = {
	    .who = "t",
	    .priv_size = sizeof(size_t),
	    .match = count_match,
	    .end = count_end,
	};
	struct Sl_patterns *p;
	struct img m = {0};
	struct sl_scan *s;
	char name[32];
	size_t i, n = 0;

	(void)state;
	for (i = 0; i < 50; i++) {
		snprintf(name, sizeof(name), "d/f%zu", i);
		img_adds(&m, name, "a needle, another needle\nneedle");
	}
	img_adds(&m, "d/empty", "");
	s = scan_of(&m);
	assert_int_equal(Sl_patterns_compile(s, "t", re, NULL, 1, &p), SL_OK);
	assert_int_equal(Sl_grep_files(s, p, &ops, &n), SL_OK);
	assert_int_equal(n, 150);
	Sl_patterns_free(p);
	sl_scan_free(s);
	free(m.p);
}

static void
excerpts(void **state)
{
	static const uint8_t d[] = "first line\n  key=VALUE and more\0next";
	struct sl_scan *s = sl_scan_new(NULL);
	char ex[] =
	    "a=Zq8vR2nW5tY7uI9oP1aS3dF6 b=short c=aaaaaaaaaaaaaaaaaaaaaaaa";
	char *e;
	size_t at = 99;

	(void)state;
	e = Sl_excerpt(s, d, sizeof(d) - 1, 17, 22, 100, &at);
	assert_string_equal(e, "key=VALUE and more");
	assert_int_equal(at, 13);
	e = Sl_excerpt(s, d, sizeof(d) - 1, 17, 22, 2, NULL);
	assert_string_equal(e, "y=VALUE a");
	Sl_mask_tokens(ex, 0, 0);
	assert_string_equal(ex, "a=Zq********************** b=short "
	                        "c=aaaaaaaaaaaaaaaaaaaaaaaa");
	assert_true(Sl_is_text(d, 30));
	assert_false(Sl_is_text(d, sizeof(d)));
	sl_scan_free(s);
}

static void
check_torture(void **state)
{
	struct img m = {0};

	(void)state;
	img_adds(&m, "etc/a", "k=" AWS1 "\npassword=" TOK "\n" GH "\n");
	img_adds(&m, "etc/config/wireless", "\toption key 'w1r3less-Key'\n");
	img_torture(&m, &Sl_check_secrets);
	free(m.p);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(patterns_compile), cmocka_unit_test(gates),
	    cmocka_unit_test(values_and_edges), cmocka_unit_test(caps_per_file),
	    cmocka_unit_test(grep_pass),        cmocka_unit_test(excerpts),
	    cmocka_unit_test(check_torture),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
