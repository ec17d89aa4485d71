/*
 * fuzz.h - the libFuzzer harnesses the fuzz targets share: one for a
 * reader (SL_FUZZ_READER), one for a firmware check (SL_FUZZ_CHECK).
 *
 * A target is three lines beside its reader (src/reader/cpio_fuzz.c):
 *
 *	#include "../../fuzz/fuzz.h"
 *	extern const struct Sl_reader Sl_reader_cpio;
 *	SL_FUZZ_READER(Sl_reader_cpio)
 *
 * The input is offered to that reader at offset 0 with small limits; what
 * it yields is unpacked further by every reader, content is read and
 * hashed, and everything is freed.  Build with -DSL_FUZZ=ON (clang).
 */
#ifndef SL_FUZZ_H
#define SL_FUZZ_H

#include "../src/check/check.h"

static inline void
Sl_fuzz_run(const struct Sl_reader *rd, const uint8_t *data, size_t size)
{
	struct sl_limits lim;
	struct sl_scan *s;
	size_t i;

	sl_limits_default(&lim);
	lim.max_total = 64 << 20;
	lim.max_file = 16 << 20;
	lim.max_files = 10000;
	lim.threads = 1;
	s = sl_scan_new(&lim);
	if (s == NULL)
		return;
	Sl_scan_buffer(s, "fuzz.bin", data, size, rd);
	for (i = 0; i < sl_tree_count(s); i++) {
		const struct sl_entry *e = sl_tree_entry(s, i);
		const uint8_t *p;
		size_t n;

		if (e->type == SL_FT_REG)
			(void)sl_tree_read(s, e, &p, &n);
	}
	sl_scan_free(s);
}

#define SL_FUZZ_READER(sym)                                                    \
	int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);          \
	int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)           \
	{                                                                      \
		Sl_fuzz_run(&(sym), data, size);                               \
		return 0;                                                      \
	}

/*
 * A firmware check's target (src/check/firmware/keys_fuzz.c):
 *
 *	#include "../../../fuzz/fuzz.h"
 *	static const char *const names[] = {"etc/ssl/private/server.key", ...};
 *	SL_FUZZ_CHECK(Sl_check_keys, names)
 *
 * The input becomes the content of a file at each of the names (the
 * paths the check reads, as inner paths), all in one tree, and the
 * check runs over it as sl_scan_check_firmware would run it
 * (Sl_check_run), with small limits.
 */
static const char *const *Sl_fuzz_names;
static size_t Sl_fuzz_nnames;

/* The fuzz reader: every name of Sl_fuzz_names, each the whole input. */
static inline sl_rc
Sl_fuzz_names_open(struct Sl_layer *l)
{
	size_t i;

	for (i = 0; i < Sl_fuzz_nnames; i++) {
		struct sl_entry e = {.type = SL_FT_REG, .mode = 0755};
		struct Sl_node *n;

		e.size = l->len;
		n = Sl_add(l, Sl_fuzz_names[i], &e);
		if (n != NULL)
			n->ref = 0;
	}
	l->size = l->len;
	return SL_OK;
}

static inline int
Sl_fuzz_names_bid(const uint8_t *p, size_t n)
{
	(void)p;
	(void)n;
	return 1;
}

/* A scan with the limits every check target uses. */
static inline struct sl_scan *
Sl_fuzz_scan(void)
{
	struct sl_limits lim;

	sl_limits_default(&lim);
	lim.max_total = 16 << 20;
	lim.max_file = 4 << 20;
	lim.max_files = 10000;
	lim.threads = 1;
	return sl_scan_new(&lim);
}

/*
 * Run the NULL-terminated checks, in order, over a tree holding data at
 * each of the n names.
 */
static inline void
Sl_fuzz_check(const struct Sl_check *const *checks, const char *const *names,
              size_t n, const uint8_t *data, size_t size)
{
	static const struct Sl_magic magics[] = {{NULL, 0, 0}};
	static const struct Sl_reader rd = {
	    .name = "fuzz",
	    .nest = SL_NEST_WHOLE,
	    .magics = magics,
	    .bid = Sl_fuzz_names_bid,
	    .open = Sl_fuzz_names_open,
	};
	struct sl_scan *s = Sl_fuzz_scan();

	if (s == NULL)
		return;
	Sl_fuzz_names = names;
	Sl_fuzz_nnames = n;
	if (Sl_scan_buffer(s, "fuzz.bin", data, size, &rd) == SL_OK)
		for (; *checks != NULL; checks++)
			(void)Sl_check_run(s, *checks);
	sl_scan_free(s);
}

#define SL_FUZZ_CHECK(check, names)                                            \
	extern const struct Sl_check check;                                    \
	int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);          \
	int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)           \
	{                                                                      \
		const struct Sl_check *const c[] = {&(check), NULL};           \
                                                                               \
		Sl_fuzz_check(c, (names), SL_ARRAY_LEN(names), data, size);    \
		return 0;                                                      \
	}

#endif
