/*
 * memimg.h - an in-memory test container for the check unit tests.
 *
 * "SECT", then for each file its name, a NUL, its mode (LE32), its size
 * (LE32) and its content; an empty name ends it.  img_add() builds one,
 * scan_of() unpacks it through the real engine with the test reader, and
 * count()/find() look up findings by id and file.  Static inline: each
 * test includes what it uses.
 */
#ifndef SL_TEST_MEMIMG_H
#define SL_TEST_MEMIMG_H

static inline int
sect_bid(const uint8_t *p, size_t n)
{
	return n >= 4 && memcmp(p, "SECT", 4) == 0 ? 100 : 0;
}

static inline sl_rc
sect_open(struct Sl_layer *l)
{
	size_t off = 4;

	while (off < l->len && l->data[off] != 0) {
		const char *name = (const char *)l->data + off;
		size_t n = strnlen(name, l->len - off);
		struct sl_entry e = {.type = SL_FT_REG};
		struct Sl_node *node;

		if (off + n + 9 > l->len)
			return SL_E_MALFORMED;
		e.mode = Sl_get_le32(l->data + off + n + 1);
		e.size = Sl_get_le32(l->data + off + n + 5);
		if (e.size > l->len - (off + n + 9))
			return SL_E_MALFORMED;
		node = Sl_add(l, name, &e);
		if (node != NULL)
			node->ref = off + n + 9;
		off += n + 9 + (size_t)e.size;
	}
	l->size = off + 1;
	return SL_OK;
}

static const struct Sl_magic sect_magics[] = {{"SECT", 4, 0}, {0}};

static const struct Sl_reader sect_reader = {
    .name = "sect",
    .nest = SL_NEST_WHOLE,
    .magics = sect_magics,
    .bid = sect_bid,
    .open = sect_open,
};

struct img {
	uint8_t *p;
	size_t n;
};

/* Add a file with this mode. */
static inline void
img_addm(struct img *m, const char *name, unsigned mode, const void *data,
         size_t len)
{
	size_t nl = strlen(name) + 1, need = m->n + nl + 8 + len + 1;

	if (m->n == 0)
		need += 4;
	m->p = realloc(m->p, need);
	assert_non_null(m->p);
	if (m->n == 0) {
		memcpy(m->p, "SECT", 4);
		m->n = 4;
	}
	memcpy(m->p + m->n, name, nl);
	m->n += nl;
	Sl_put_le32(m->p + m->n, mode);
	Sl_put_le32(m->p + m->n + 4, (uint32_t)len);
	m->n += 8;
	memcpy(m->p + m->n, data, len);
	m->n += len;
	m->p[m->n] = 0; /* the end, overwritten by the next file */
}

static inline void
img_addsm(struct img *m, const char *name, unsigned mode, const char *text)
{
	img_addm(m, name, mode, text, strlen(text));
}

/* Add a file with mode 0644. */
static inline void
img_add(struct img *m, const char *name, const void *data, size_t len)
{
	img_addm(m, name, 0644, data, len);
}

static inline void
img_adds(struct img *m, const char *name, const char *text)
{
	img_addm(m, name, 0644, text, strlen(text));
}

static inline struct sl_scan *
scan_of(struct img *m)
{
	struct sl_scan *s = sl_scan_new(NULL);

	assert_non_null(s);
	assert_int_equal(
	    Sl_scan_buffer(s, "t.bin", m->p, m->n + 1, &sect_reader), SL_OK);
	return s;
}

/* The path inside the container of a finding's evidence, or NULL. */
static inline const char *
img_file_of(const struct sl_finding *f)
{
	const char *p =
	    f->evidence.path ? strstr(f->evidence.path, "!/") : NULL;

	return p ? p + 2 : NULL;
}

/* Findings with this id about this file (any file when file is NULL). */
static inline size_t
count(struct sl_scan *s, const char *id, const char *file)
{
	size_t i, n = 0;

	for (i = 0; i < sl_finding_count(s); i++) {
		const struct sl_finding *f = sl_finding_get(s, i);
		const char *p = img_file_of(f);

		if (strcmp(f->id, id) == 0 && p != NULL &&
		    (file == NULL || strcmp(p, file) == 0))
			n++;
	}
	return n;
}

static inline const struct sl_finding *
find(struct sl_scan *s, const char *id, const char *file)
{
	size_t i;

	for (i = 0; i < sl_finding_count(s); i++) {
		const struct sl_finding *f = sl_finding_get(s, i);
		const char *p = img_file_of(f);

		if (strcmp(f->id, id) == 0 && p && strcmp(p, file) == 0)
			return f;
	}
	return NULL;
}

/*
 * Run check over m with the 1st, 2nd ... arena allocation failing, until a
 * run reaches no failure: every run must end in SL_OK or SL_E_NOMEM, and
 * the last must succeed.
 */
static inline void
img_torture(struct img *m, const struct Sl_check *check)
{
	long i, ok = 0;

	for (i = 1; i < 2000; i++) {
		struct sl_scan *s = scan_of(m);
		bool reached;
		sl_rc rc;

		s->arena.fail_at = s->arena.nallocs + i;
		rc = Sl_check_run(s, check);
		assert_true(rc == SL_OK || rc == SL_E_NOMEM);
		ok += rc == SL_OK;
		reached = s->arena.nallocs >= s->arena.fail_at;
		sl_scan_free(s);
		if (!reached)
			break;
	}
	assert_true(i < 2000);
	assert_true(ok > 0); /* once every allocation succeeds */
}

#endif /* SL_TEST_MEMIMG_H */
