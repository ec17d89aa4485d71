/*
 * update_version.c - the installed version for fw.update
 * (update_check.h): etc/openwrt_release, os-release, etc/version, version
 * files in /etc, etc/banner, the name of a uImage or FIT kernel.
 *
 * Input: files are read up to UPD_MAX_SCRIPT bytes and a version is kept
 * up to UPD_MAX_VERSION bytes.
 */
#include <stdio.h>
#include <stdlib.h>

#include "update_check.h"

/* The version                                                          */
/* ------------------------------------------------------------------ */

static bool
has_digit(const char *p)
{
	for (; *p != 0; p++)
		if (*p >= '0' && *p <= '9')
			return true;
	return false;
}

/* Copy a value, quotes and blanks around it dropped, at most the max. */
static void
clean_value(const char *p, char *out, size_t cap)
{
	size_t n;

	while (*p == ' ' || *p == '\t' || *p == '\'' || *p == '"')
		p++;
	n = strlen(p);
	while (n > 0 && (p[n - 1] == ' ' || p[n - 1] == '\'' ||
	                 p[n - 1] == '"' || p[n - 1] == ';'))
		n--;
	if (n >= cap)
		n = cap - 1;
	memcpy(out, p, n);
	out[n] = 0;
}

/* The value of KEY=... on this line, or NULL. */
static const char *
assigned(const char *line, const char *key)
{
	size_t n = strlen(key);

	return strncmp(line, key, n) == 0 && line[n] == '=' ? line + n + 1
	                                                    : NULL;
}

/*
 * A version-like token in a banner line: it starts with a digit after a
 * blank, 'v' or '(' and holds a dot followed by a digit ("21.02.3").
 * Returns where it starts and its length in *n, or NULL.
 */
static const char *
version_token(const char *l, size_t *n)
{
	const char *p, *dot;
	size_t k;

	for (p = l; *p != 0; p++) {
		if (*p < '0' || *p > '9')
			continue;
		if (p > l && p[-1] != ' ' && p[-1] != 'v' && p[-1] != 'V' &&
		    p[-1] != '(')
			continue;
		k = strcspn(p, " ,;)");
		if (k > UPD_MAX_VERSION)
			k = UPD_MAX_VERSION;
		dot = memchr(p, '.', k);
		if (dot != NULL && dot + 1 < p + k && dot[1] >= '0' &&
		    dot[1] <= '9') {
			*n = k;
			return p;
		}
	}
	return NULL;
}

/* Copy at most cap-1 bytes of a, then " ", then b, into out. */
static void
join(char *out, size_t cap, const char *a, const char *b)
{
	size_t na = strlen(a), nb = strlen(b);

	if (na > cap - 1)
		na = cap - 1;
	memcpy(out, a, na);
	if (nb > 0 && na + 1 < cap - 1) {
		out[na++] = ' ';
		if (nb > cap - 1 - na)
			nb = cap - 1 - na;
		memcpy(out + na, b, nb);
		na += nb;
	}
	out[na] = 0;
}

/*
 * Read one version source.  kind: 0 openwrt_release, 1 os-release, 2 a
 * version file, 3 the banner.  true when a version was found.
 */
static bool
read_version(struct sl_scan *s, const struct sl_entry *e, int kind,
             struct version *v)
{
	struct Sl_upd_line l;
	char rel[UPD_MAX_VERSION + 1] = "", rev[UPD_MAX_VERSION + 1] = "";
	const uint8_t *d;
	const char *p;
	size_t len, pos = 0, n;
	uint64_t off = 0;

	if (e->size > 4096 || Sl_check_read(s, e, &d, &len) != SL_OK ||
	    !Sl_is_text(d, len))
		return false;
	while (Sl_upd_next_line(d, len, &pos, &l)) {
		if (kind == 0) {
			if ((p = assigned(l.buf, "DISTRIB_RELEASE")) != NULL) {
				clean_value(p, rel, sizeof(rel));
				off = l.off;
			} else if ((p = assigned(l.buf, "DISTRIB_REVISION")) !=
			           NULL) {
				clean_value(p, rev, sizeof(rev));
			}
		} else if (kind == 1) {
			if ((p = assigned(l.buf, "VERSION_ID")) != NULL ||
			    (rel[0] == 0 &&
			     (p = assigned(l.buf, "VERSION")) != NULL)) {
				clean_value(p, rel, sizeof(rel));
				off = l.off;
			}
		} else if (kind == 2) {
			p = strchr(l.buf, '=');
			clean_value(p != NULL ? p + 1 : l.buf, rel,
			            sizeof(rel));
			off = l.off;
			break;
		} else if ((p = version_token(l.buf, &n)) != NULL) {
			memcpy(rel, p, n);
			rel[n] = 0;
			off = l.off;
			break;
		}
	}
	if (!has_digit(rel) && !has_digit(rev))
		return false;
	if (strcmp(rel, rev) == 0)
		rev[0] = 0;
	join(v->v, sizeof(v->v), rel[0] != 0 ? rel : rev,
	     rel[0] != 0 ? rev : "");
	v->e = e;
	v->off = off;
	return true;
}

/* The description in a uImage or FIT kernel's note ("..: NAME; ..."). */
static bool
kernel_name(struct sl_scan *s, const struct sl_entry *e, struct version *v)
{
	const char *c, *p;
	size_t n;

	if (e->type != SL_FT_REG || e->note == NULL ||
	    strstr(e->path, "!/") == NULL)
		return false;
	c = Sl_upd_container(e)->format;
	if (c == NULL || (strcmp(c, "uimage") != 0 && strcmp(c, "fit") != 0) ||
	    (strncmp(e->note, "kernel", 6) != 0 &&
	     strncmp(e->note, "firmware", 8) != 0))
		return false;
	p = strstr(e->note, ": ");
	if (p == NULL)
		return false;
	p += 2;
	n = strcspn(p, ";");
	if (n > UPD_MAX_VERSION)
		n = UPD_MAX_VERSION;
	memcpy(v->v, p, n);
	v->v[n] = 0;
	if (!has_digit(v->v))
		return false;
	v->e = e;
	v->off = 0;
	v->src = Sl_arena_printf(&s->arena, "the name of the %s image", c);
	return v->src != NULL;
}

bool
Sl_upd_find_version(struct sl_scan *s, struct version *v)
{
	static const struct {
		const char *pat;
		int kind;
	} src[] = {
	    {"etc/openwrt_release", 0}, {"etc/os-release", 1},
	    {"usr/lib/os-release", 1},  {"etc/version", 2},
	    {"etc/*version*", 2},       {"etc/banner", 3},
	};
	size_t i, j, n = sl_tree_count(s);

	for (j = 0; j < SL_ARRAY_LEN(src); j++)
		for (i = 0; i < n; i++) {
			const struct sl_entry *e = sl_tree_entry(s, i);

			if (e->type != SL_FT_REG ||
			    strstr(e->path, "!/") == NULL ||
			    !Sl_path_any(Sl_inner(e), (const char *const[]){
			                                  src[j].pat, NULL}))
				continue;
			if (read_version(s, e, src[j].kind, v)) {
				v->src = Sl_inner(e);
				return true;
			}
		}
	for (i = 0; i < n; i++)
		if (kernel_name(s, sl_tree_entry(s, i), v))
			return true;
	return false;
}

/* ------------------------------------------------------------------ */
