/*
 * accounts_files.c - the credential files of fw.accounts besides passwd
 * and shadow (accounts.h): htpasswd, mosquitto password files (and the
 * password_file a mosquitto configuration names), BusyBox httpd.conf,
 * UCI options and NVRAM variables with password-looking keys, and
 * "name:$id$..." hash records inside programs and scripts.
 *
 * UNTRUSTED: every byte comes from the image; lines longer than
 * ACC_MAX_LINE are ignored and at most ACC_MAX_CREDS credentials kept.
 */
#include <stdio.h>

#include "accounts.h"
#include "uci.h"

/* ------------------------------------------------------------------ */
/* htpasswd, mosquitto, BusyBox httpd.conf                             */
/* ------------------------------------------------------------------ */

enum userfile { UF_HTPASSWD, UF_MOSQ, UF_HTTPD };

/*
 * One "user:secret" credential of a web or MQTT password file.  line is
 * the whole line (for the excerpt); pw may be plaintext or a hash.
 */
static sl_rc
user_cred(struct acc *a, const struct sl_entry *e, uint64_t off,
          const char *line, size_t n, const char *name, const char *pw,
          enum userfile uf)
{
	static const char *const what[] = {
	    [UF_HTPASSWD] = "htpasswd user",
	    [UF_MOSQ] = "MQTT user",
	    [UF_HTTPD] = "BusyBox httpd user",
	};
	enum hk k;
	struct loc l;
	const char *who, *cn;

	if (*name == 0 || strlen(name) > ACC_MAX_NAME ||
	    strlen(pw) > ACC_MAX_HASH)
		return SL_OK;
	switch (uf) {
	case UF_HTPASSWD: k = Sl_acc_htpasswd_kind(pw); break;
	case UF_MOSQ: k = Sl_acc_mosq_kind(pw); break;
	default:
		/* "*" means the system password of that user. */
		if (strcmp(pw, "*") == 0)
			return SL_OK;
		k = strncmp(pw, "$1$", 3) == 0 ? HK_MD5 : HK_PLAIN;
		break;
	}
	if (k == HK_EMPTY || k == HK_INVALID || !Sl_acc_room(a))
		return SL_OK;
	cn = Sl_acc_clean(a, name, strlen(name), 64);
	if (cn == NULL || !Sl_acc_make_loc(a, &l, e, off, line, n, pw))
		return SL_E_NOMEM;
	who = Sl_arena_printf(&a->s->arena, "%s '%s'", what[uf], cn);
	if (who == NULL)
		return SL_E_NOMEM;
	if (k == HK_PLAIN)
		return Sl_acc_plaintext(a, &l, who, name, pw);
	return Sl_acc_hashed(a, &l, who, name, k, pw, NULL, NULL);
}

static sl_rc
read_userfile(struct acc *a, const struct sl_entry *e, const uint8_t *d,
              size_t len, enum userfile uf)
{
	struct lines it = {d, len, 0, false};
	char buf[ACC_MAX_LINE + 1], *p, *colon;
	uint64_t off;
	size_t n;
	sl_rc rc = SL_OK;

	if (Sl_acc_too_big(a, e, len) || !Sl_acc_is_text(d, len))
		return SL_OK;
	while (rc == SL_OK && Sl_acc_next_line(&it, buf, &off, &n)) {
		char line[ACC_MAX_LINE + 1];

		memcpy(line, buf, n + 1);
		p = buf;
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p == '#' || *p == 0)
			continue;
		if (uf == UF_HTTPD) {
			/* /path:user:pass; A:, D:, H:, E404: ... skipped. */
			if (*p != '/' || (p = strchr(p, ':')) == NULL)
				continue;
			p++;
		}
		colon = strchr(p, ':');
		if (colon == NULL)
			continue;
		*colon = 0;
		rc = user_cred(a, e, off, line, n, p, colon + 1, uf);
	}
	return rc;
}

sl_rc
Sl_acc_read_htpasswd(struct sl_scan *s, const struct sl_entry *e,
                     const uint8_t *d, size_t len, void *user)
{
	(void)s;
	return read_userfile(user, e, d, len, UF_HTPASSWD);
}

sl_rc
Sl_acc_read_httpd_conf(struct sl_scan *s, const struct sl_entry *e,
                       const uint8_t *d, size_t len, void *user)
{
	(void)s;
	return read_userfile(user, e, d, len, UF_HTTPD);
}

/* Read a mosquitto password file once, however it was found. */
sl_rc
Sl_acc_read_mosq_passwd(struct sl_scan *s, const struct sl_entry *e,
                        const uint8_t *d, size_t len, void *user)
{
	struct acc *a = user;
	size_t i;

	(void)s;
	for (i = 0; i < a->nmosq_seen; i++)
		if (a->mosq_seen[i] == e)
			return SL_OK;
	if (a->nmosq_seen == a->capmosq_seen) {
		size_t cap = a->capmosq_seen ? 2 * a->capmosq_seen : 8;
		const struct sl_entry **v =
		    Sl_arena_alloc(&a->s->arena, cap * sizeof(*v));

		if (v == NULL)
			return SL_E_NOMEM;
		if (a->nmosq_seen)
			memcpy(v, a->mosq_seen, a->nmosq_seen * sizeof(*v));
		a->mosq_seen = v;
		a->capmosq_seen = cap;
	}
	a->mosq_seen[a->nmosq_seen++] = e;
	return read_userfile(a, e, d, len, UF_MOSQ);
}

/*
 * The tree path of the directory an absolute path inside the image is
 * relative to: the container prefix, or the directory above "etc/" when
 * the root file system sits in a subdirectory of its container.
 */
static char *
image_root(struct acc *a, const struct sl_entry *e)
{
	const char *inner = Sl_inner(e), *hit = NULL;

	if (strncmp(inner, "etc/", 4) == 0)
		hit = inner;
	else if ((hit = strstr(inner, "/etc/")) != NULL)
		hit++;
	else
		hit = inner;
	return Sl_arena_strndup(&a->s->arena, e->path, (size_t)(hit - e->path));
}

/* password_file lines of a mosquitto configuration. */
sl_rc
Sl_acc_read_mosq_conf(struct sl_scan *s, const struct sl_entry *e,
                      const uint8_t *d, size_t len, void *user)
{
	struct acc *a = user;
	struct lines it = {d, len, 0, false};
	char buf[ACC_MAX_LINE + 1];
	const char *paths[16];
	size_t npaths = 0, i, n;
	uint64_t off;
	sl_rc rc = SL_OK;

	if (Sl_acc_too_big(a, e, len) || !Sl_acc_is_text(d, len))
		return SL_OK;
	/* Collect first: reading another file invalidates d. */
	while (npaths < SL_ARRAY_LEN(paths) &&
	       Sl_acc_next_line(&it, buf, &off, &n)) {
		char *p = buf, *q;
		const char *root;

		while (*p == ' ' || *p == '\t')
			p++;
		if (strncmp(p, "password_file", 13) != 0 ||
		    (p[13] != ' ' && p[13] != '\t'))
			continue;
		p += 13;
		while (*p == ' ' || *p == '\t')
			p++;
		for (q = p + strlen(p);
		     q > p && (q[-1] == ' ' || q[-1] == '\t');)
			*--q = 0;
		if (*p == 0 || strstr(p, ".."))
			continue;
		if (*p == '/') {
			root = image_root(a, e);
			while (*p == '/')
				p++;
		} else {
			root = Sl_arena_strndup(
			    &a->s->arena, e->path,
			    (size_t)(Sl_basename(e->path) - e->path));
		}
		if (root == NULL)
			return SL_E_NOMEM;
		while (strncmp(p, "./", 2) == 0)
			p += 2;
		paths[npaths] = Sl_arena_printf(&a->s->arena, "%s%s", root, p);
		if (paths[npaths] == NULL)
			return SL_E_NOMEM;
		npaths++;
	}
	for (i = 0; i < npaths && rc == SL_OK; i++) {
		const struct sl_entry *pe = sl_tree_find(s, paths[i]);
		const uint8_t *pd;
		size_t pl;

		/* Missing: made at run time, which is how (1)/(2) work. */
		if (pe == NULL ||
		    (pe->type != SL_FT_REG && pe->type != SL_FT_HARDLINK))
			continue;
		if (Sl_check_read(s, pe, &pd, &pl) != SL_OK)
			continue;
		rc = Sl_acc_read_mosq_passwd(s, pe, pd, pl, a);
	}
	return rc;
}

/* ------------------------------------------------------------------ */
/* UCI and NVRAM                                                       */
/* ------------------------------------------------------------------ */

/*
 * Does a configuration key name a password?  "password", "passwd",
 * "admin_pass", "http_pwd" do; "passthrough", "bypass",
 * "password_min_len", "passwd_file" do not.  Wi-Fi keys and PSKs are
 * left to the check for key material.
 */
bool
Sl_acc_password_key(const char *key)
{
	static const char *const not_pw[] = {
	    "enable",  "require", "len",    "type",    "policy",  "file",
	    "path",    "mode",    "hint",   "change",  "expire",  "format",
	    "encrypt", "passthr", "bypass", "passive", "compass", "phrase",
	    "psk",     "hash",    "salt",   "auth",    NULL,
	};
	char k[65];
	size_t i, n = strlen(key);
	const char *const *np;

	if (n == 0 || n >= sizeof(k))
		return false;
	for (i = 0; i <= n; i++)
		k[i] = (char)(key[i] >= 'A' && key[i] <= 'Z' ? key[i] + 32
		                                             : key[i]);
	for (np = not_pw; *np != NULL; np++)
		if (strstr(k, *np))
			return false;
	if (strstr(k, "password") || strstr(k, "passwd") || strstr(k, "pwd"))
		return true;
	/* "pass" as a word: "pass", "admin_pass", "pass_admin". */
	for (i = 0; i + 4 <= n; i++)
		if (memcmp(k + i, "pass", 4) == 0 &&
		    (i == 0 || k[i - 1] == '_' || k[i - 1] == '.') &&
		    (k[i + 4] == 0 || k[i + 4] == '_' || k[i + 4] == '.'))
			return true;
	return false;
}

/*
 * A value of a password-looking key in UCI or NVRAM: a hash when it looks
 * like crypt(3), a reference to the system password ("$p$root", rpcd)
 * skipped, otherwise plaintext.
 */
static sl_rc
config_value(struct acc *a, const struct sl_entry *e, uint64_t off,
             const char *line, size_t n, const char *what, const char *key,
             const char *user, const char *val)
{
	enum hk k = Sl_acc_crypt_kind(val);
	struct loc l;
	const char *who, *ck;

	if (*val == 0 || strlen(val) > ACC_MAX_HASH ||
	    strncmp(val, "$p$", 3) == 0 || strchr(val, '%') || !Sl_acc_room(a))
		return SL_OK;
	if (k == HK_CRYPT || k == HK_DES || k == HK_BSDI)
		k = HK_PLAIN; /* too easily a password that looks like one */
	if (k == HK_INVALID)
		k = HK_PLAIN;
	ck = Sl_acc_clean(a, key, strlen(key), 64);
	if (ck == NULL || !Sl_acc_make_loc(a, &l, e, off, line, n, val))
		return SL_E_NOMEM;
	if (user != NULL) {
		const char *cu = Sl_acc_clean(a, user, strlen(user), 64);

		who = cu ? Sl_arena_printf(&a->s->arena, "%s '%s' (user '%s')",
		                           what, ck, cu)
		         : NULL;
	} else {
		who = Sl_arena_printf(&a->s->arena, "%s '%s'", what, ck);
	}
	if (who == NULL)
		return SL_E_NOMEM;
	if (k == HK_PLAIN)
		return Sl_acc_plaintext(a, &l, who, user, val);
	return Sl_acc_hashed(a, &l, who, user, k, val, NULL, NULL);
}

/* The next UCI token: a quoted string or a bare word; NULL at the end. */
static char *
uci_token(char **pp)
{
	char *p = *pp, *t, q;

	while (*p == ' ' || *p == '\t')
		p++;
	if (*p == 0 || *p == '#')
		return NULL;
	if (*p == '\'' || *p == '"') {
		q = *p++;
		t = p;
		while (*p && *p != q)
			p++;
		if (*p == 0)
			return NULL; /* unterminated */
	} else {
		t = p;
		while (*p && *p != ' ' && *p != '\t')
			p++;
	}
	if (*p)
		*p++ = 0;
	*pp = p;
	return t;
}

static bool
user_key(const char *key)
{
	return strcmp(key, "username") == 0 || strcmp(key, "user") == 0 ||
	       strcmp(key, "login") == 0 || strcmp(key, "admin_user") == 0;
}

/* etc/config/ *: "config type 'name'" and "option key 'value'" lines. */
sl_rc
Sl_acc_read_uci(struct sl_scan *s, const struct sl_entry *e, const uint8_t *d,
                size_t len, void *user)
{
	struct acc *a = user;
	struct lines it = {d, len, 0, false};
	char buf[ACC_MAX_LINE + 1], line[ACC_MAX_LINE + 1];
	char uname[ACC_MAX_NAME + 1] = "", stype[65] = "";
	const char *pkg = Sl_uci_pkg(Sl_inner(e));
	uint64_t off;
	size_t n;
	sl_rc rc = SL_OK;

	(void)s;
	if (pkg == NULL || Sl_acc_too_big(a, e, len) || !Sl_acc_is_text(d, len))
		return SL_OK;
	while (rc == SL_OK && Sl_acc_next_line(&it, buf, &off, &n)) {
		char *p = buf, *kw, *key, *val;

		memcpy(line, buf, n + 1);
		kw = uci_token(&p);
		if (kw == NULL)
			continue;
		if (strcmp(kw, "config") == 0) {
			uname[0] = 0; /* a new section */
			kw = uci_token(&p);
			snprintf(stype, sizeof(stype), "%s", kw ? kw : "");
			continue;
		}
		if (strcmp(kw, "option") != 0 ||
		    (key = uci_token(&p)) == NULL ||
		    (val = uci_token(&p)) == NULL)
			continue;
		if (user_key(key) && strlen(val) <= ACC_MAX_NAME) {
			memcpy(uname, val, strlen(val) + 1);
			continue;
		}
		/* Which options are passwords: uci.c's table (fw11b). */
		if (Sl_uci_cred(pkg, stype, key, val) == SL_UCI_PASSWORD)
			rc = config_value(a, e, off, line, n, "UCI option", key,
			                  uname[0] ? uname : NULL, val);
	}
	return rc;
}

/* NVRAM defaults: "key=value" records ended by newline or NUL. */
sl_rc
Sl_acc_read_nvram(struct sl_scan *s, const struct sl_entry *e, const uint8_t *d,
                  size_t len, void *user)
{
	struct acc *a = user;
	struct lines it = {d, len, 0, true};
	char buf[ACC_MAX_LINE + 1], line[ACC_MAX_LINE + 1];
	uint64_t off;
	size_t n, i;
	sl_rc rc = SL_OK;

	(void)s;
	if (Sl_acc_too_big(a, e, len) ||
	    (len >= 4 && memcmp(d, "\177ELF", 4) == 0))
		return SL_OK; /* the nvram tool itself */
	while (rc == SL_OK && Sl_acc_next_line(&it, buf, &off, &n)) {
		char *eq = strchr(buf, '='), *val;
		bool ok = eq != NULL && eq > buf && eq - buf <= 64;

		for (i = 0; ok && buf + i < eq; i++)
			ok = (buf[i] >= 'a' && buf[i] <= 'z') ||
			     (buf[i] >= 'A' && buf[i] <= 'Z') ||
			     (buf[i] >= '0' && buf[i] <= '9') ||
			     strchr("_.:-", buf[i]) != NULL;
		if (!ok)
			continue;
		val = eq + 1;
		for (i = 0; ok && val[i]; i++)
			ok = (unsigned char)val[i] >= 0x20 &&
			     (unsigned char)val[i] < 0x7f;
		if (!ok)
			continue;
		memcpy(line, buf, n + 1);
		*eq = 0;
		if (Sl_acc_password_key(buf))
			rc = config_value(a, e, off, line, n, "NVRAM variable",
			                  buf, NULL, val);
	}
	return rc;
}

/* ------------------------------------------------------------------ */
/* Hash lines inside programs and scripts                              */
/* ------------------------------------------------------------------ */

/* Account lines ("name:$6$...") found in one file, at most. */
#define ACC_MAX_EMBEDDED 8

static bool
name_byte(uint8_t c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '.';
}

/* Was this account and hash read from a passwd or shadow file already? */
static bool
known_pair(const struct acc *a, const char *name, const char *hash)
{
	const struct pwent *const *lists[2] = {
	    (const struct pwent *const *)a->pws,
	    (const struct pwent *const *)a->shs};
	size_t n[2] = {a->npw, a->nsh}, i, k;

	for (k = 0; k < 2; k++)
		for (i = 0; lists[k] != NULL && i < n[k]; i++)
			if (strcmp(lists[k][i]->name, name) == 0 &&
			    strcmp(lists[k][i]->pw, hash) == 0)
				return true;
	return false;
}

/*
 * "name:$id$salt$hash" records inside a program or script (a web server
 * with its own account table, an init script writing passwd): each is a
 * stored password, cracked like shadow's.  The record must start at a
 * boundary (the file's start, a NUL, a newline, a quote or a blank), the
 * name be 1-32 name bytes, the hash a crypt(3) string of a scheme starlab
 * can test, and the pair not one a passwd or shadow file already holds.
 */
sl_rc
Sl_acc_read_program(struct sl_scan *s, const struct sl_entry *e,
                    const uint8_t *d, size_t len, void *user)
{
	struct acc *a = user;
	size_t i, found = 0;
	sl_rc rc = SL_OK;

	(void)s;
	if (len > ACC_MAX_FILE || len < 8)
		return SL_OK;
	for (i = 1; i + 4 < len && rc == SL_OK && found < ACC_MAX_EMBEDDED;
	     i++) {
		char name[33], hash[ACC_MAX_HASH + 1], line[ACC_EXCERPT + 1];
		size_t b, h, n;
		struct loc l;
		enum hk k;
		const char *who;

		/* UNTRUSTED: every bound below is on the image's bytes. */
		if (d[i] != '$' || d[i - 1] != ':')
			continue;
		for (b = i - 1; b > 0 && i - 1 - b < 32 && name_byte(d[b - 1]);
		     b--)
			;
		n = i - 1 - b;
		if (n == 0 || n > 32 ||
		    (b > 0 && d[b - 1] != 0 && d[b - 1] != '\n' &&
		     d[b - 1] != '"' && d[b - 1] != '\'' && d[b - 1] != ' '))
			continue;
		for (h = i; h < len && h - i < ACC_MAX_HASH &&
		            (name_byte(d[h]) || d[h] == '$' || d[h] == '/');
		     h++)
			;
		if (h - i < 20 || (h < len && d[h] != ':' && d[h] != 0 &&
		                   d[h] != '\n' && d[h] != '"' && d[h] != '\''))
			continue;
		memcpy(name, d + b, n);
		name[n] = 0;
		memcpy(hash, d + i, h - i);
		hash[h - i] = 0;
		k = Sl_acc_crypt_kind(hash);
		if (!Sl_acc_schemes[k].crack || k == HK_DES || k == HK_BSDI ||
		    known_pair(a, name, hash)) {
			i = h;
			continue;
		}
		/* The record up to its end, for the excerpt. */
		for (h = b; h < len && h - b < ACC_EXCERPT && d[h] != 0 &&
		            d[h] != '\n';
		     h++)
			line[h - b] = (char)d[h];
		line[h - b] = 0;
		if (!Sl_acc_room(a))
			return SL_OK;
		who = Sl_arena_printf(&a->s->arena, "account '%s'", name);
		if (who == NULL ||
		    !Sl_acc_make_loc(a, &l, e, b, line, h - b, hash))
			return SL_E_NOMEM;
		rc = Sl_acc_hashed(a, &l, who, name, k, hash,
		                   Sl_acc_is_text(d, len)
		                       ? " (in a script)"
		                       : " (in a program's data)",
		                   NULL);
		found++;
		i = h;
	}
	return rc;
}
