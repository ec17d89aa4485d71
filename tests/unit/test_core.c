/*
 * test_core.c - unit tests of the core: arena, buffers, the read cursor,
 * path ordering, name cleaning in Sl_add, carving and regions, secret
 * masking in findings, verdicts, atomic writes.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/scan.h"

static void
arena_ceiling_and_torture(void **state)
{
	struct Sl_arena a;
	char *p;
	int i;

	(void)state;
	Sl_arena_init(&a, 1024);
	assert_non_null(Sl_arena_alloc(&a, 512));
	assert_null(Sl_arena_alloc(&a, 1024)); /* over the ceiling */
	p = Sl_arena_printf(&a, "%s-%d", "x", 42);
	assert_string_equal(p, "x-42");
	Sl_arena_free(&a);

	/* Torture: every allocation fails in turn and returns NULL. */
	for (i = 1; i <= 3; i++) {
		int j, nulls = 0;

		Sl_arena_init(&a, 0);
		a.fail_at = i;
		for (j = 1; j <= 3; j++)
			nulls += Sl_arena_alloc(&a, 16) == NULL;
		assert_int_equal(nulls, 1);
		Sl_arena_free(&a);
	}
	Sl_arena_free(NULL);
}

static void
buf_max(void **state)
{
	struct Sl_buf b;
	uint8_t *p;
	size_t n;

	(void)state;
	Sl_buf_init(&b, 10);
	assert_int_equal(Sl_buf_add(&b, "0123456789", 10), SL_OK);
	assert_int_equal(Sl_buf_add(&b, "x", 1), SL_E_LIMIT);
	assert_int_equal(b.n, 10);
	p = Sl_buf_take(&b, &n);
	assert_int_equal(n, 10);
	assert_memory_equal(p, "0123456789", 10);
	assert_null(b.p);
	free(p);
	/* Adding nothing to an empty buffer leaves a valid empty string. */
	Sl_buf_init(&b, 64);
	assert_int_equal(Sl_buf_add(&b, "", 0), SL_OK);
	assert_non_null(b.p);
	assert_int_equal(b.p[0], 0);
	Sl_buf_free(&b);
	Sl_buf_init(&b, 64);
	assert_int_equal(Sl_buf_addf(&b, "%d-%s", 7, "seven"), SL_OK);
	assert_string_equal((char *)b.p, "7-seven");
	Sl_buf_free(&b);
	Sl_buf_free(&b);
}

static void
rd_sticky(void **state)
{
	static const uint8_t d[] = {1, 2, 3, 4, 5, 6};
	struct Sl_rd r;

	(void)state;
	Sl_rd_init(&r, d, sizeof(d));
	assert_int_equal(Sl_rd_le32(&r), 0x04030201);
	assert_false(r.bad);
	assert_int_equal(Sl_rd_be32(&r), 0); /* only two bytes left */
	assert_true(r.bad);
	assert_int_equal(Sl_rd_u8(&r), 0); /* stays failed */
	assert_int_equal(r.left, 2);
	Sl_rd_init(&r, d, sizeof(d));
	assert_int_equal(Sl_rd_be16(&r), 0x0102);
	assert_null(Sl_rd_bytes(&r, 5));
	assert_true(r.bad);
}

static void
path_order(void **state)
{
	(void)state;
	assert_true(Sl_path_cmp("fw@0x200", "fw@0x1000") < 0);
	assert_true(Sl_path_cmp("fw@0x1000:gzip", "fw@0x200:gzip") > 0);
	assert_true(Sl_path_cmp("a!/etc", "a!/etc/passwd") < 0);
	assert_int_equal(Sl_path_cmp("same", "same"), 0);
}

/*
 * A test reader: "TSTR" then NUL-separated names, ending at an empty name.
 * Each name becomes a file whose content is the name itself.
 */
static int
tst_bid(const uint8_t *p, size_t n)
{
	return n >= 4 && memcmp(p, "TSTR", 4) == 0 ? 100 : 0;
}

static sl_rc
tst_open(struct Sl_layer *l)
{
	size_t off = 4;

	while (off < l->len && l->data[off] != 0) {
		const char *name = (const char *)l->data + off;
		size_t n = strnlen(name, l->len - off);
		struct sl_entry e = {.type = SL_FT_REG, .mode = 0644};
		struct Sl_node *node;

		if (off + n >= l->len)
			return SL_E_MALFORMED;
		e.size = n;
		node = Sl_add(l, name, &e);
		if (node != NULL)
			node->ref = off;
		off += n + 1;
	}
	l->size = off + 1;
	return SL_OK;
}

static const struct Sl_magic tst_magics[] = {{"TSTR", 4, 0}, {0}};

static const struct Sl_reader tst_reader = {
    .name = "tst",
    .nest = SL_NEST_WHOLE,
    .magics = tst_magics,
    .bid = tst_bid,
    .open = tst_open,
};

static bool
has_incomplete(struct sl_scan *s, const char *needle)
{
	size_t i;

	for (i = 0; i < sl_scan_incomplete_count(s); i++)
		if (strstr(sl_scan_incomplete(s, i), needle))
			return true;
	return false;
}

static void
add_cleans_names(void **state)
{
	static const char img[] = "TSTR"
	                          "/etc/passwd\0"
	                          "./bin/sh\0"
	                          "a/../../evil\0"
	                          "a//b\0"
	                          "ok/\0"
	                          "\0";
	struct sl_scan *s;

	(void)state;
	s = sl_scan_new(NULL);
	assert_int_equal(Sl_scan_buffer(s, "t.bin", (const uint8_t *)img,
	                                sizeof(img), &tst_reader),
	                 SL_OK);
	assert_non_null(sl_tree_find(s, "t.bin:tst!/etc/passwd"));
	assert_non_null(sl_tree_find(s, "t.bin:tst!/bin/sh"));
	assert_non_null(sl_tree_find(s, "t.bin:tst!/ok"));
	assert_null(sl_tree_find(s, "t.bin:tst!/a/../../evil"));
	assert_true(has_incomplete(s, "'.' or '..' path component"));
	assert_true(has_incomplete(s, "empty path component"));
	assert_non_null(sl_tree_find(s, "t.bin:tst"));
	sl_scan_free(s);
}

static void
regions_and_entropy(void **state)
{
	static uint8_t img[200000];
	struct sl_scan *s;
	const struct sl_entry *e;
	size_t i;
	uint32_t x = 12345;

	(void)state;
	/* Noise that no reader explains: possibly encrypted. */
	for (i = 0; i < sizeof(img); i++) {
		x = x * 1103515245 + 12345;
		img[i] = (uint8_t)(x >> 16);
	}
	s = sl_scan_new(NULL);
	Sl_scan_buffer(s, "f", img, sizeof(img), NULL);
	e = sl_tree_find(s, "f@0x0");
	assert_non_null(e);
	assert_int_equal(e->type, SL_FT_REGION);
	assert_int_equal(e->size, sizeof(img));
	assert_true(e->entropy > 7.9);
	assert_non_null(e->note);
	assert_non_null(strstr(e->note, "possibly encrypted"));
	sl_scan_free(s);

	/* Erased flash: padding, not suspicious. */
	memset(img, 0xff, sizeof(img));
	s = sl_scan_new(NULL);
	Sl_scan_buffer(s, "f", img, sizeof(img), NULL);
	e = sl_tree_find(s, "f@0x0");
	assert_non_null(e);
	assert_string_equal(e->note, "padding (0xff)");
	sl_scan_free(s);
}

static void
findings_mask_and_verdicts(void **state)
{
	struct sl_scan *s = sl_scan_new(NULL);
	struct sl_finding f = {
	    .id = "FW-TEST-SECRET",
	    .title = "A secret in a config file",
	    .severity = SL_SEV_HIGH,
	    .requirements = {"S1.1-11", NULL},
	    .evidence = {.path = "fw!/etc/x",
	                 .excerpt = "api_key=supersecretvalue;"},
	    .remediation = "Remove it.",
	};
	const struct sl_check_result *c;

	(void)state;
	assert_int_equal(sl_finding_add(s, &f, "supersecretvalue"), SL_OK);
	assert_string_equal(sl_finding_get(s, 0)->evidence.excerpt,
	                    "api_key=su**************;");
	/* A secret at the very start of the excerpt. */
	f.evidence.excerpt = "supersecretvalue";
	assert_int_equal(sl_finding_add(s, &f, "supersecretvalue"), SL_OK);
	assert_string_equal(sl_finding_get(s, 1)->evidence.excerpt,
	                    "su**************");
	assert_int_equal(sl_scan_decide(s), SL_OK);
	assert_int_equal(sl_checklist_count(s), 16);
	c = sl_checklist_get(s, 10);
	assert_string_equal(c->id, "S1.1-11");
	assert_int_equal(c->verdict, SL_V_NON_CONFORMANT);
	assert_string_equal(c->findings[0], "FW-TEST-SECRET");
	assert_null(c->findings[1]);
	/* findings lists kinds; the reason counts the findings too. */
	assert_string_equal(c->reason,
	                    "2 findings of 1 kind break this requirement");
	/* Nothing was checked for the others: they need evidence. */
	c = sl_checklist_get(s, 0);
	assert_int_equal(c->verdict, SL_V_NEEDS_EVIDENCE);
	assert_non_null(c->missing_evidence[0]);
	/* A document-assessed requirement is never conformant without the
	 * document, even when its firmware checks ran clean. */
	Sl_cover(s, "S1.1-02", SL_SRC_FIRMWARE | SL_SRC_NETWORK);
	sl_scan_decide(s);
	assert_int_equal(sl_checklist_get(s, 1)->verdict, SL_V_NEEDS_EVIDENCE);
	/* A device-assessed one is conformant once its sources ran clean. */
	c = sl_checklist_get(s, 3);
	assert_int_equal(c->verdict, SL_V_NEEDS_EVIDENCE);
	Sl_cover(s, "S1.1-04", SL_SRC_NETWORK);
	sl_scan_decide(s);
	c = sl_checklist_get(s, 3);
	assert_null(c->missing_evidence[0]);
	assert_int_equal(c->verdict, SL_V_CONFORMANT);
	sl_scan_free(s);
}

static void
atomic_write(void **state)
{
	char dir[] = "/tmp/sl-unit-XXXXXX", path[64], buf[16];
	FILE *f;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/r.json", dir);
	assert_int_equal(sl_write_atomic(path, "hello", 5), SL_OK);
	assert_int_equal(sl_write_atomic(path, "world!", 6), SL_OK);
	f = fopen(path, "r");
	assert_non_null(f);
	assert_int_equal(fread(buf, 1, sizeof(buf), f), 6);
	fclose(f);
	assert_memory_equal(buf, "world!", 6);
	unlink(path);
	assert_int_equal(sl_write_atomic("/nonexistent-dir/x", "a", 1),
	                 SL_E_IO);
	rmdir(dir);
}

/* A failed append sticks: later appends fail, even ones that would fit. */
static void
buf_failure_sticks(void **state)
{
	struct Sl_buf b, ok;

	(void)state;
	Sl_buf_init(&b, 8);
	assert_int_equal(Sl_buf_add(&b, "123456", 6), SL_OK);
	assert_int_equal(Sl_buf_add(&b, "789", 3), SL_E_LIMIT);
	assert_int_equal(Sl_buf_add(&b, "7", 1), SL_E_LIMIT);
	assert_int_equal(Sl_buf_addf(&b, "%d", 7), SL_E_LIMIT);
	assert_int_equal(b.n, 6);
	Sl_buf_reset(&b);
	assert_int_equal(Sl_buf_add(&b, "7", 1), SL_OK);
	Sl_buf_free(&b);
	/* The look-alike that never fails keeps appending. */
	Sl_buf_init(&ok, 9);
	assert_int_equal(Sl_buf_add(&ok, "123456", 6), SL_OK);
	assert_int_equal(Sl_buf_add(&ok, "789", 3), SL_OK);
	assert_string_equal((char *)ok.p, "123456789");
	Sl_buf_free(&ok);
}

static void
toolkit_base64_and_basename(void **state)
{
	uint8_t out[16];

	(void)state;
	assert_int_equal(
	    Sl_base64_decode("c3Rhcmxh\nYg==", 13, out, 16, SL_B64_SPACE), 7);
	assert_memory_equal(out, "starlab", 7);
	/* Without SL_B64_SPACE the line break makes it malformed. */
	assert_int_equal(Sl_base64_decode("c3Rhcmxh\nYg==", 13, out, 16, 0),
	                 -1);
	assert_int_equal(
	    Sl_base64_decode("c3Rhcmxh\nYg==", 13, out, 6, SL_B64_SPACE), -1);
	assert_int_equal(Sl_base64_decode("c3Rh*mxh", 8, out, 16, 0), -1);
	/* Padding is optional; what follows '=' is not read. */
	assert_int_equal(Sl_base64_decode("c3RhcmxhYg", 10, out, 16, 0), 7);
	assert_memory_equal(out, "starlab", 7);
	assert_int_equal(Sl_base64_decode("YQ==*", 5, out, 16, 0), 1);
	assert_int_equal(Sl_base64_decode("YQ==*", 5, out, 16, SL_B64_PAD_END),
	                 -1);
	assert_int_equal(Sl_base64_decode("YQ==", 4, out, 16, SL_B64_PAD_END),
	                 1);
	/* A lone digit left over is less than a byte: dropped. */
	assert_int_equal(Sl_base64_decode("YWJjZ", 5, out, 16, 0), 3);
	assert_memory_equal(out, "abc", 3);
	/* Bits past the last whole byte are ignored, as before. */
	assert_int_equal(Sl_base64_decode("YR", 2, out, 16, 0), 1);
	assert_int_equal(out[0], 'a');
	assert_string_equal(Sl_basename("etc/init.d/rcS"), "rcS");
	assert_string_equal(Sl_basename("rcS"), "rcS");
}

static void
toolkit_read_file_refuses_links(void **state)
{
	char dir[] = "/tmp/sl-core-XXXXXX", f[64], l[64], *data;
	size_t n;
	FILE *fp;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(f, sizeof(f), "%s/f", dir);
	snprintf(l, sizeof(l), "%s/l", dir);
	assert_non_null(fp = fopen(f, "w"));
	fputs("hello", fp);
	fclose(fp);
	assert_int_equal(symlink(f, l), 0);
	assert_int_equal(Sl_read_file(f, 5, &data, &n), SL_OK);
	assert_int_equal(n, 5);
	assert_string_equal(data, "hello");
	free(data);
	assert_int_equal(Sl_read_file(f, 4, &data, &n), SL_E_LIMIT);
	assert_null(data);
	assert_int_equal(Sl_read_file(l, 5, &data, &n), SL_E_IO);
	assert_int_equal(Sl_read_file(dir, 5, &data, &n), SL_E_IO);
	unlink(l);
	unlink(f);
	rmdir(dir);
}

/* Workers with state of their own take work from one shared queue. */
struct pool_q {
	atomic_uint next;
	unsigned total;
};
struct pool_w {
	struct pool_q *q;
	unsigned done;
	pthread_t self;
};

static void *
pool_worker(void *arg)
{
	struct pool_w *w = arg;

	w->self = pthread_self();
	while (atomic_fetch_add(&w->q->next, 1) < w->q->total)
		w->done++;
	return NULL;
}

static void
toolkit_pool_each(void **state)
{
	struct pool_q q;
	struct pool_w w[4];
	unsigned i, sum = 0;

	(void)state;
	atomic_init(&q.next, 0);
	q.total = 10000;
	memset(w, 0, sizeof(w));
	for (i = 0; i < 4; i++)
		w[i].q = &q;
	assert_int_equal(Sl_pool_run_each(4, pool_worker, w, sizeof(w[0])), 4);
	for (i = 0; i < 4; i++)
		sum += w[i].done;
	assert_int_equal(sum, 10000); /* every unit once, none lost */
	/* One worker: on the caller's thread, no thread started. */
	atomic_init(&q.next, 0);
	memset(w, 0, sizeof(w));
	w[0].q = &q;
	assert_int_equal(Sl_pool_run_each(1, pool_worker, w, sizeof(w[0])), 0);
	assert_int_equal(w[0].done, 10000);
	assert_true(pthread_equal(w[0].self, pthread_self()));
	/* Sizes: the limit, the cap, the units, never 0. */
	assert_int_equal(Sl_pool_size(8, 4, 100), 4);
	assert_int_equal(Sl_pool_size(3, 32, 100), 3);
	assert_int_equal(Sl_pool_size(8, 32, 2), 2);
	assert_int_equal(Sl_pool_size(8, 32, 0), 1);
	assert_true(Sl_pool_size(0, 32, 100) >= 1);
}

/* Sl_u64set: every key once, 0 and UINT64_MAX included, across growth. */
static void
toolkit_u64set(void **state)
{
	struct Sl_u64set set = {0};
	uint64_t k;

	(void)state;
	assert_int_equal(Sl_u64set_add(&set, 0), 1);
	assert_int_equal(Sl_u64set_add(&set, 0), 0);
	assert_int_equal(Sl_u64set_add(&set, UINT64_MAX), 1);
	assert_int_equal(Sl_u64set_add(&set, UINT64_MAX), 0);
	/* Keys that share low bits, through several doublings. */
	for (k = 1; k <= 5000; k++)
		assert_int_equal(Sl_u64set_add(&set, k << 32), 1);
	for (k = 1; k <= 5000; k++)
		assert_int_equal(Sl_u64set_add(&set, k << 32), 0);
	assert_int_equal(Sl_u64set_add(&set, 0), 0);
	assert_int_equal(Sl_u64set_add(&set, 1), 1);
	assert_true(set.n <= set.cap / 2);
	Sl_u64set_free(&set);
	assert_null(set.slot);
	assert_int_equal(Sl_u64set_add(&set, 0), 1);
	Sl_u64set_free(&set);
}

/*
 * Sl_vec_grow: room for element n, the old elements kept, the first
 * size taken from `first`; a size that would overflow is refused and
 * leaves the array as it was.
 */
static void
toolkit_vec_grow(void **state)
{
	void *v = NULL;
	size_t cap = 0, n;
	uint32_t *a;

	(void)state;
	for (n = 0; n < 1000; n++) {
		assert_true(Sl_vec_grow(&v, &cap, n, sizeof(uint32_t), 16));
		assert_true(cap > n);
		a = v;
		a[n] = (uint32_t)n * 7;
	}
	a = v;
	for (n = 0; n < 1000; n++)
		assert_int_equal(a[n], n * 7);
	assert_int_equal(cap, 1024); /* 16, doubled six times */
	/* n below cap: nothing to do. */
	assert_true(Sl_vec_grow(&v, &cap, 5, sizeof(uint32_t), 16));
	assert_int_equal(cap, 1024);
	/* Overflow: refused, array and cap untouched. */
	assert_false(Sl_vec_grow(&v, &cap, cap, SIZE_MAX / 1024, 16));
	assert_int_equal(cap, 1024);
	assert_ptr_equal(v, a);
	free(v);
	/* An element size of 0 is refused. */
	v = NULL;
	cap = 0;
	assert_false(Sl_vec_grow(&v, &cap, 0, 0, 16));
	assert_null(v);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(arena_ceiling_and_torture),
	    cmocka_unit_test(buf_max),
	    cmocka_unit_test(rd_sticky),
	    cmocka_unit_test(path_order),
	    cmocka_unit_test(add_cleans_names),
	    cmocka_unit_test(regions_and_entropy),
	    cmocka_unit_test(findings_mask_and_verdicts),
	    cmocka_unit_test(atomic_write),
	    cmocka_unit_test(buf_failure_sticks),
	    cmocka_unit_test(toolkit_base64_and_basename),
	    cmocka_unit_test(toolkit_read_file_refuses_links),
	    cmocka_unit_test(toolkit_pool_each),
	    cmocka_unit_test(toolkit_u64set),
	    cmocka_unit_test(toolkit_vec_grow),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
