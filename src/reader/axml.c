/*
 * axml.c - the binary XML of an Android package's AndroidManifest.xml
 * (AAPT's "ResXMLTree"), read far enough to tell the flags `starlab app`
 * judges: the package name, and android:debuggable,
 * android:usesCleartextTraffic and android:allowBackup on <application>.
 *
 * The layout (little-endian; frameworks/base/libs/androidfw/
 * include/androidfw/ResourceTypes.h names the structs):
 *
 *   chunk header      u16 type, u16 header size, u32 chunk size
 *   0x0003 XML        the file: header 8, size = the file
 *     0x0001 strings  u32 count, styles, flags (0x100 UTF-8), strings
 *                     start, styles start; u32 offsets[count]; each
 *                     string: UTF-16 (u16 length, 0x8000 = two u16s) or
 *                     UTF-8 (UTF-16 length, then byte length, each one or
 *                     two bytes with 0x80 for the second)
 *     0x0180 res map  u32 resource id per string index (attribute names)
 *     0x0100/0x0101   namespace start/end
 *     0x0102 start    u32 line, comment; u32 ns, name; u16 attribute
 *                     start, attribute size, count, id, class, style
 *                     index; then count attributes of attribute size:
 *                     u32 ns, name, raw value; Res_value: u16 size,
 *                     u8 0, u8 type (0x12 boolean, 0x03 string), u32 data
 *     0x0103 end, 0x0104 CDATA
 *
 * An attribute is known by its resource id (the framework's public ids:
 * debuggable 0x0101000f, allowBackup 0x01010280, usesCleartextTraffic
 * 0x010104ec) when the resource map gives one, else by its name string,
 * so both AAPT's and obfuscated manifests are read.
 *
 * Trust: the manifest comes from the app under test.  Every read goes
 * through the Sl_rd cursor; each chunk's size is checked against what is
 * left before it is entered; at most SL_AXML_MAX_CHUNKS chunks,
 * SL_AXML_MAX_STRINGS strings and SL_AXML_MAX_ATTRS attributes per
 * element are looked at; strings are copied at most into fixed buffers.
 * Why hand-written: no Debian C library reads this format (aapt dumps it
 * but is a program, not a library).  Fuzz target: axml_fuzz.c.
 */
#include <stdio.h>

#include "../sl.h"
#include "axml.h"

#define T_STRINGS 0x0001
#define T_XML     0x0003
#define T_NS      0x0100
#define T_NS_END  0x0101
#define T_START   0x0102
#define T_END     0x0103
#define T_CDATA   0x0104
#define T_RESMAP  0x0180

#define ID_DEBUGGABLE 0x0101000fU
#define ID_BACKUP     0x01010280U
#define ID_CLEARTEXT  0x010104ecU

#define V_STRING  0x03
#define V_BOOLEAN 0x12
#define V_INT_DEC 0x10

struct pool {
	const uint8_t *chunk; /* the string pool chunk */
	size_t size;
	uint32_t count, start;
	bool utf8;
	const uint8_t *offs; /* count u32 offsets */
	const uint8_t *resmap;
	uint32_t nres;
};

static sl_rc
bad(struct Sl_axml *m, size_t off, const char *what)
{
	snprintf(m->error, sizeof(m->error), "offset %zu: %s", off, what);
	return SL_E_MALFORMED;
}

/*
 * String idx of the pool, as ASCII (other characters '?'), into out.
 * False when idx is out of range or the string runs past the chunk.
 */
static bool
pool_str(const struct pool *p, uint32_t idx, char *out, size_t cap)
{
	struct Sl_rd r;
	size_t len, i, o = 0;
	uint32_t off;

	out[0] = 0;
	if (idx >= p->count || p->chunk == NULL)
		return false;
	off = Sl_get_le32(p->offs + 4 * (size_t)idx);
	/* UNTRUSTED: start + off must stay inside the chunk. */
	if (p->start > p->size || off > p->size - p->start)
		return false;
	Sl_rd_init(&r, p->chunk + p->start + off, p->size - p->start - off);
	if (p->utf8) {
		uint8_t b = Sl_rd_u8(&r);

		if (b & 0x80)
			(void)Sl_rd_u8(&r); /* UTF-16 length, second byte */
		b = Sl_rd_u8(&r);
		len = b;
		if (b & 0x80)
			len = (size_t)(b & 0x7f) << 8 | Sl_rd_u8(&r);
		for (i = 0; i < len && !r.bad; i++) {
			uint8_t c = Sl_rd_u8(&r);

			if (o + 1 < cap)
				out[o++] =
				    c >= 0x20 && c < 0x7f ? (char)c : '?';
		}
	} else {
		uint16_t w = Sl_rd_le16(&r);

		len = w;
		if (w & 0x8000)
			len = (size_t)(w & 0x7fff) << 16 | Sl_rd_le16(&r);
		for (i = 0; i < len && !r.bad; i++) {
			uint16_t c = Sl_rd_le16(&r);

			if (o + 1 < cap)
				out[o++] =
				    c >= 0x20 && c < 0x7f ? (char)c : '?';
		}
	}
	out[o] = 0;
	return !r.bad;
}

static sl_rc
read_pool(struct Sl_axml *m, const uint8_t *c, size_t size, size_t at,
          struct pool *p)
{
	struct Sl_rd r;
	uint32_t flags;
	uint16_t hsize;

	Sl_rd_init(&r, c, size);
	(void)Sl_rd_le16(&r);
	hsize = Sl_rd_le16(&r);
	(void)Sl_rd_le32(&r);
	p->count = Sl_rd_le32(&r);
	(void)Sl_rd_le32(&r); /* styles */
	flags = Sl_rd_le32(&r);
	p->start = Sl_rd_le32(&r);
	(void)Sl_rd_le32(&r);
	if (r.bad || hsize < 28 || hsize > size)
		return bad(m, at, "string pool header truncated");
	/* UNTRUSTED: the offsets array must fit after the header. */
	if (p->count > SL_AXML_MAX_STRINGS ||
	    (size_t)p->count * 4 > size - hsize)
		return bad(m, at, "string pool count past its chunk");
	p->chunk = c;
	p->size = size;
	p->utf8 = (flags & 0x100) != 0;
	p->offs = c + hsize;
	return SL_OK;
}

/* Which flag an attribute is, by resource id or by name. */
static int *
flag_of(struct Sl_axml *m, const struct pool *p, uint32_t name)
{
	char n[32];
	uint32_t id = 0;

	if (p->resmap != NULL && name < p->nres)
		id = Sl_get_le32(p->resmap + 4 * (size_t)name);
	if (id == ID_DEBUGGABLE)
		return &m->debuggable;
	if (id == ID_CLEARTEXT)
		return &m->cleartext;
	if (id == ID_BACKUP)
		return &m->allow_backup;
	if (id != 0 || !pool_str(p, name, n, sizeof(n)))
		return NULL;
	if (strcmp(n, "debuggable") == 0)
		return &m->debuggable;
	if (strcmp(n, "usesCleartextTraffic") == 0)
		return &m->cleartext;
	if (strcmp(n, "allowBackup") == 0)
		return &m->allow_backup;
	return NULL;
}

static sl_rc
start_element(struct Sl_axml *m, const struct pool *p, const uint8_t *c,
              size_t size, size_t hsize, size_t at)
{
	struct Sl_rd r;
	char name[32];
	uint32_t ename;
	uint16_t astart, asize, acount, i;

	if (hsize > size)
		return bad(m, at, "element header past its chunk");
	Sl_rd_init(&r, c + hsize, size - hsize);
	(void)Sl_rd_le32(&r); /* namespace */
	ename = Sl_rd_le32(&r);
	astart = Sl_rd_le16(&r);
	asize = Sl_rd_le16(&r);
	acount = Sl_rd_le16(&r);
	if (r.bad)
		return bad(m, at, "element truncated");
	if (asize < 20)
		return bad(m, at, "attribute size below 20");
	/* UNTRUSTED: the attributes must lie inside the chunk. */
	if (astart > size - hsize ||
	    (size_t)acount * asize > size - hsize - astart)
		return bad(m, at, "attributes past the element's chunk");
	if (acount > SL_AXML_MAX_ATTRS)
		acount = SL_AXML_MAX_ATTRS;
	if (!pool_str(p, ename, name, sizeof(name)))
		return bad(m, at, "element name not in the string pool");
	m->elements++;
	if (strcmp(name, "manifest") != 0 && strcmp(name, "application") != 0)
		return SL_OK;
	if (strcmp(name, "application") == 0)
		m->has_application = true;
	for (i = 0; i < acount; i++) {
		const uint8_t *a = c + hsize + astart + (size_t)i * asize;
		uint32_t aname = Sl_get_le32(a + 4), raw = Sl_get_le32(a + 8);
		uint8_t type = a[15];
		uint32_t data = Sl_get_le32(a + 16);
		char an[16];
		int *f;

		if (strcmp(name, "manifest") == 0) {
			if (pool_str(p, aname, an, sizeof(an)) &&
			    strcmp(an, "package") == 0)
				(void)pool_str(p, type == V_STRING ? data : raw,
				               m->package, sizeof(m->package));
			continue;
		}
		if ((f = flag_of(m, p, aname)) == NULL)
			continue;
		if (type == V_BOOLEAN || type == V_INT_DEC)
			*f = data != 0;
		else
			*f = SL_AXML_OTHER; /* a resource reference, say */
	}
	return SL_OK;
}

sl_rc
Sl_axml_manifest(const uint8_t *data, size_t n, struct Sl_axml *m)
{
	struct pool p = {0};
	struct Sl_rd r;
	size_t off, chunks = 0;
	uint16_t type, hsize;
	uint32_t size;

	memset(m, 0, sizeof(*m));
	m->debuggable = m->cleartext = m->allow_backup = SL_AXML_UNSET;
	Sl_rd_init(&r, data, n);
	type = Sl_rd_le16(&r);
	hsize = Sl_rd_le16(&r);
	size = Sl_rd_le32(&r);
	if (r.bad || type != T_XML || hsize < 8)
		return bad(m, 0, "not Android binary XML (no 0x0003 header)");
	if (size > n)
		return bad(m, 0, "file shorter than its header says");
	off = hsize;
	while (off + 8 <= size) {
		const uint8_t *c = data + off;
		uint16_t ct = Sl_get_le16(c), ch = Sl_get_le16(c + 2);
		uint32_t cs = Sl_get_le32(c + 4);
		sl_rc rc = SL_OK;

		/* UNTRUSTED: a chunk must fit in what is left. */
		if (cs < 8 || cs > size - off || ch < 8 || ch > cs)
			return bad(m, off, "chunk size out of bounds");
		if (++chunks > SL_AXML_MAX_CHUNKS)
			return bad(m, off, "too many chunks");
		switch (ct) {
		case T_STRINGS:
			if (p.chunk == NULL)
				rc = read_pool(m, c, cs, off, &p);
			break;
		case T_RESMAP:
			p.resmap = c + ch;
			p.nres = (cs - ch) / 4;
			break;
		case T_START:
			if (p.chunk == NULL)
				return bad(m, off,
				           "element before the string "
				           "pool");
			rc = start_element(m, &p, c, cs, ch, off);
			break;
		default: break; /* namespaces, ends, CDATA: nothing to read */
		}
		if (rc != SL_OK)
			return rc;
		off += cs;
	}
	if (m->elements == 0)
		return bad(m, off, "no elements");
	return SL_OK;
}
