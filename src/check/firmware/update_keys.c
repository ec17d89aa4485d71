/*
 * update_keys.c - the update mechanisms and their verification keys for
 * fw.update (update_check.h): one pass over the tree finds the
 * mechanisms' files, key candidates and signed FITs; then the small
 * candidates are read as usign/signify keys and the RAUC, Mender and
 * SWUpdate configurations give the paths of their keys.
 *
 * Input: key candidates are read only up to 4 KiB, configuration files up
 * to UPD_MAX_SCRIPT bytes, and at most UPD_MAX_REFS key paths are
 * resolved.
 */
#include <stdio.h>
#include <stdlib.h>

#include "update_check.h"

/* Keys                                                                 */
/* ------------------------------------------------------------------ */

static void
add_key(struct ustate *u, enum kkind k, const struct sl_entry *e, uint64_t off,
        const char *excerpt)
{
	const struct Sl_upd_ev ev = {e, off, excerpt, false};

	Sl_upd_list_add(&u->keys[k], &ev);
}

/*
 * A usign/signify public key: "untrusted comment: ..." and, on the next
 * line, the base64 of "Ed", an 8-byte key number and 32 key bytes.
 */
static bool
signify_pub(const uint8_t *d, size_t len)
{
	const uint8_t *nl;
	uint8_t raw[64];
	size_t a, b;
	long n;

	if (len < 19 || memcmp(d, "untrusted comment:", 18) != 0)
		return false;
	nl = memchr(d, '\n', len);
	if (nl == NULL)
		return false;
	a = (size_t)(nl - d) + 1;
	for (b = a; b < len && d[b] != '\n' && d[b] != '\r' && b - a < 200; b++)
		;
	n = Sl_base64_decode((const char *)d + a, b - a, raw, sizeof(raw), 0);
	return n == 42 && raw[0] == 'E' && raw[1] == 'd';
}

/*
 * The entry named path (absolute or relative to dir, "etc/rauc") near e:
 * in e's container first, then in any container.  NULL when absent, when
 * the path climbs out with "..", or when it is too long.
 */
static const struct sl_entry *
find_near(struct sl_scan *s, const struct sl_entry *e, const char *dir,
          const char *path)
{
	const struct sl_entry *c = Sl_upd_container(e), *hit;
	char rel[512];
	size_t i, n;
	int k;

	/* UNTRUSTED: a path from the image's configuration, bounded here. */
	if (path[0] == '/')
		k = snprintf(rel, sizeof(rel), "%s", path + 1);
	else
		k = snprintf(rel, sizeof(rel), "%s/%s", dir, path);
	if (k < 0 || (size_t)k >= sizeof(rel) || strstr(rel, "..") != NULL)
		return NULL;
	while (rel[0] == '.' && rel[1] == '/')
		memmove(rel, rel + 2, strlen(rel + 2) + 1);
	hit = NULL;
	if (c != e) {
		char *full = Sl_arena_printf(&s->arena, "%s!/%s", c->path, rel);

		if (full != NULL)
			hit = sl_tree_find(s, full);
	}
	if (hit != NULL)
		return hit;
	n = sl_tree_count(s);
	for (i = 0; i < n; i++) {
		const struct sl_entry *x = sl_tree_entry(s, i);

		if (x->type != SL_FT_CONTAINER && x->type != SL_FT_REGION &&
		    strstr(x->path, "!/") != NULL &&
		    strcmp(Sl_inner(x), rel) == 0)
			return x;
	}
	return NULL;
}

/* Copy the value that starts at p (quoted or not) into out. */
static void
take_value(const char *p, char *out, size_t cap)
{
	size_t n = 0;
	char q = 0;

	while (*p == ' ' || *p == '\t' || *p == '=' || *p == ':')
		p++;
	if (*p == '"' || *p == '\'')
		q = *p++;
	while (p[n] != 0 && n + 1 < cap &&
	       (q ? p[n] != q
	          : p[n] != ' ' && p[n] != '\t' && p[n] != ';' && p[n] != '"'))
		n++;
	memcpy(out, p, n);
	out[n] = 0;
}

/* Record a key named on a configuration line, or that it is missing. */
static sl_rc
key_ref(struct sl_scan *s, struct ustate *u, enum kkind k,
        const struct sl_entry *conf, const struct Sl_upd_line *l,
        const char *dir, const char *value)
{
	const struct sl_entry *key;
	char *ex;

	/* Each reference may search the whole tree: only so many. */
	if (value[0] == 0 || u->nrefs++ >= UPD_MAX_REFS)
		return SL_OK;
	ex = Sl_arena_strdup(&s->arena, l->buf);
	if (ex == NULL)
		return SL_E_NOMEM;
	/* A variable: the file cannot be resolved; the line is the evidence. */
	if (strchr(value, '$') != NULL) {
		add_key(u, k, conf, l->off, ex);
		return SL_OK;
	}
	key = find_near(s, conf, dir, value);
	if (key != NULL)
		add_key(u, k, key, 0, ex);
	else if (u->missing[k].e == NULL)
		u->missing[k] = (struct Sl_upd_ev){conf, l->off, ex, false};
	return SL_OK;
}

static sl_rc
read_rauc(struct sl_scan *s, struct ustate *u)
{
	const struct sl_entry *e = u->rauc_conf;
	struct Sl_upd_line l;
	const uint8_t *d;
	size_t len, pos = 0;
	bool keyring = false;
	char val[256];
	sl_rc rc = SL_OK;

	if (e == NULL || e->size > UPD_MAX_SCRIPT)
		return SL_OK;
	if (Sl_check_read(s, e, &d, &len) != SL_OK)
		return SL_OK;
	while (rc == SL_OK && Sl_upd_next_line(d, len, &pos, &l)) {
		if (l.buf[0] == '[') {
			keyring = strncmp(l.buf, "[keyring]", 9) == 0;
			continue;
		}
		if (!keyring || (strncmp(l.buf, "path", 4) != 0 &&
		                 strncmp(l.buf, "directory", 9) != 0))
			continue;
		take_value(strchr(l.buf, '=') ? strchr(l.buf, '=') : "", val,
		           sizeof(val));
		rc = key_ref(s, u, K_RAUC, e, &l, "etc/rauc", val);
	}
	return rc;
}

static sl_rc
read_mender(struct sl_scan *s, struct ustate *u)
{
	const struct sl_entry *e = u->mender_conf;
	struct Sl_upd_line l;
	const uint8_t *d;
	size_t len, pos = 0;
	char val[256];
	sl_rc rc = SL_OK;

	if (e == NULL || e->size > UPD_MAX_SCRIPT)
		return SL_OK;
	if (Sl_check_read(s, e, &d, &len) != SL_OK)
		return SL_OK;
	while (rc == SL_OK && Sl_upd_next_line(d, len, &pos, &l)) {
		const char *p = strstr(l.buf, "\"ArtifactVerifyKey");

		if (p == NULL || (p = strchr(p + 1, '"')) == NULL ||
		    (p = strchr(p, ':')) == NULL)
			continue;
		p++;
		while (*p == ' ' || *p == '\t' || *p == '[')
			p++;
		take_value(p, val, sizeof(val));
		rc = key_ref(s, u, K_MENDER, e, &l, "etc/mender", val);
	}
	return rc;
}

/* SWUpdate's key: "-k FILE", "--key FILE" or public-key-file = "FILE". */
static sl_rc
read_swupdate(struct sl_scan *s, struct ustate *u, const struct sl_entry *e)
{
	struct Sl_upd_line l;
	const uint8_t *d;
	size_t len, pos = 0;
	char val[256];
	sl_rc rc = SL_OK;

	if (e->size > UPD_MAX_SCRIPT)
		return SL_OK;
	if (Sl_check_read(s, e, &d, &len) != SL_OK)
		return SL_OK;
	if (!Sl_is_text(d, len))
		return SL_OK;
	while (rc == SL_OK && Sl_upd_next_line(d, len, &pos, &l)) {
		const char *p = NULL;

		if ((p = strstr(l.buf, "public-key-file")) != NULL)
			p += 15;
		else if ((p = Sl_upd_word(l.buf, "-k")) != NULL)
			p += 2;
		else if ((p = strstr(l.buf, "--key")) != NULL &&
		         (p[5] == ' ' || p[5] == '='))
			p += 5;
		else
			continue;
		take_value(p, val, sizeof(val));
		rc = key_ref(s, u, K_SWUPDATE, e, &l, "etc", val);
	}
	return rc;
}

static const char *const key_places[] = {
    "etc/opkg/keys/*",   "etc/keys/*",  "*.pub", "etc/signify/*",
    "usr/share/*keys/*", "etc/*keys/*", NULL,
};
/* OpenPGP keyrings APT checks repository signatures with. */
static const char *const apt_keys[] = {
    "etc/apt/trusted.gpg",
    "etc/apt/trusted.gpg.d/*",
    "usr/share/keyrings/*.gpg",
    "usr/share/keyrings/*.asc",
    NULL,
};
static const char *const swu_places[] = {
    "etc/swupdate.cfg",
    "etc/swupdate/*",
    "etc/default/swupdate",
    "usr/lib/swupdate/*",
    "etc/init.d/*swupdate*",
    "lib/systemd/system/*swupdate*",
    "usr/lib/systemd/system/*swupdate*",
    "etc/systemd/system/*swupdate*",
    NULL,
};

/* One pass over the tree: mechanisms, key candidates, signed FITs. */
void
Sl_upd_tree_pass(struct sl_scan *s, struct ustate *u)
{
	size_t i, n = sl_tree_count(s);
	unsigned m, k;

	for (m = 0; m < M_NMECH; m++)
		u->mech_rank[m] = SL_ARRAY_LEN(Sl_upd_mech_files[m]);
	for (i = 0; i < n; i++) {
		const struct sl_entry *e = sl_tree_entry(s, i);
		const char *in, *cf;

		if (e->type == SL_FT_CONTAINER || e->type == SL_FT_REGION ||
		    e->type == SL_FT_DIR || strstr(e->path, "!/") == NULL)
			continue;
		in = Sl_inner(e);
		/* The first file of a mechanism's list is the best evidence. */
		for (m = 0; m < M_NMECH; m++)
			for (k = 0; k < u->mech_rank[m] &&
			            Sl_upd_mech_files[m][k] != NULL;
			     k++)
				if (Sl_path_any(in, (const char *const[]){
				                        Sl_upd_mech_files[m][k],
				                        NULL})) {
					u->mech[m] = e;
					u->mech_rank[m] = k;
				}
		if (e->type != SL_FT_REG)
			continue;
		if (strcmp(in, "etc/rauc/system.conf") == 0 &&
		    u->rauc_conf == NULL)
			u->rauc_conf = e;
		if (strcmp(in, "etc/mender/mender.conf") == 0 &&
		    u->mender_conf == NULL)
			u->mender_conf = e;
		if (Sl_path_any(in, swu_places) && u->nswu < UPD_MAX_LIST)
			u->swu_files[u->nswu++] = e;
		if (Sl_path_any(in, apt_keys) && e->size > 0)
			add_key(u, K_APT, e, 0, NULL);
		if (e->size <= 4096 && Sl_path_any(in, key_places) &&
		    u->nkeycand < UPD_MAX_KEYCAND)
			u->keycand[u->nkeycand++] = e;
		cf = Sl_upd_container(e)->format;
		if (e->note != NULL && strstr(e->note, "signed (") != NULL &&
		    cf != NULL && strcmp(cf, "fit") == 0)
			add_key(u, K_FIT, e, 0, e->note);
	}
}

sl_rc
Sl_upd_find_keys(struct sl_scan *s, struct ustate *u)
{
	const uint8_t *d;
	size_t i, len;
	sl_rc rc;

	for (i = 0; i < u->nkeycand; i++) {
		const struct sl_entry *e = u->keycand[i];

		if (Sl_check_read(s, e, &d, &len) != SL_OK)
			continue;
		if (signify_pub(d, len))
			add_key(u, K_SIGNIFY, e, 0, NULL);
	}
	rc = read_rauc(s, u);
	if (rc == SL_OK)
		rc = read_mender(s, u);
	for (i = 0; rc == SL_OK && i < u->nswu; i++)
		rc = read_swupdate(s, u, u->swu_files[i]);
	return rc;
}

/* ------------------------------------------------------------------ */
