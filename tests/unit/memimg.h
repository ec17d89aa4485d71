/*
 * memimg.h - an in-memory test container for the check unit tests.
 *
 * "SECT", then for each file its name, a NUL, its size (LE32) and its
 * content; an empty name ends it.  img_add() builds one, scan_of() unpacks
 * it through the real engine with the test reader, and count()/find()
 * look up findings by id and file.  Static inline: each test includes
 * what it uses.
 */
#ifndef SL_TEST_MEMIMG_H
#define SL_TEST_MEMIMG_H

/* A test container: "SECT", then name NUL, size (LE32), content; an   */
/* empty name ends it.                                                 */
/* ------------------------------------------------------------------ */

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
		struct sl_entry e = {.type = SL_FT_REG, .mode = 0644};
		struct Sl_node *node;

		if (off + n + 5 > l->len)
			return SL_E_MALFORMED;
		e.size = Sl_get_le32(l->data + off + n + 1);
		if (e.size > l->len - (off + n + 5))
			return SL_E_MALFORMED;
		node = Sl_add(l, name, &e);
		if (node != NULL)
			node->ref = off + n + 5;
		off += n + 5 + (size_t)e.size;
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

static inline void
img_add(struct img *m, const char *name, const void *data, size_t len)
{
	size_t nl = strlen(name) + 1, need = m->n + nl + 4 + len + 1;

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
	m->p[m->n++] = (uint8_t)len;
	m->p[m->n++] = (uint8_t)(len >> 8);
	m->p[m->n++] = (uint8_t)(len >> 16);
	m->p[m->n++] = (uint8_t)(len >> 24);
	memcpy(m->p + m->n, data, len);
	m->n += len;
	m->p[m->n] = 0;
}

static inline void
img_adds(struct img *m, const char *name, const char *text)
{
	img_add(m, name, text, strlen(text));
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

/* Findings with this id in the file with this inner path. */
static inline size_t
count(struct sl_scan *s, const char *id, const char *file)
{
	size_t i, n = 0;

	for (i = 0; i < sl_finding_count(s); i++) {
		const struct sl_finding *f = sl_finding_get(s, i);

		const char *p = strstr(f->evidence.path, "!/");

		if (strcmp(f->id, id) == 0 && p != NULL &&
		    strcmp(p + 2, file) == 0)
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
		const char *p = strstr(f->evidence.path, "!/");

		if (strcmp(f->id, id) == 0 && p && strcmp(p + 2, file) == 0)
			return f;
	}
	return NULL;
}

#endif /* SL_TEST_MEMIMG_H */
