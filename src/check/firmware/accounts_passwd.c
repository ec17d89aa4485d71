/*
 * accounts_passwd.c - etc/passwd and etc/shadow for fw.accounts
 * (accounts.h), with their backup copies, joined by account name within
 * one directory of the tree; each account is judged here (empty
 * password, extra uid 0, service account with a shell) and its hash
 * queued for the cracker.
 *
 * UNTRUSTED: every line comes from the image; lines longer than
 * ACC_MAX_LINE are ignored and at most ACC_MAX_CREDS entries are kept.
 */
#include <stdlib.h>

#include "accounts.h"

/* ------------------------------------------------------------------ */
/* passwd and shadow                                                   */
/* ------------------------------------------------------------------ */

/* A backup copy's name: passwd-, shadow~, passwd.bak, .old, .orig. */
static bool
backup_name(const char *base)
{
	size_t n = strlen(base);

	return n > 0 && (base[n - 1] == '-' || base[n - 1] == '~' ||
	                 (n > 4 && strcmp(base + n - 4, ".bak") == 0) ||
	                 (n > 4 && strcmp(base + n - 4, ".old") == 0) ||
	                 (n > 5 && strcmp(base + n - 5, ".orig") == 0));
}

static const char *const no_login_shells[] = {
    "false", "nologin", "sync", "shutdown", "halt", "true", "null", NULL,
};

static const char *const real_shells[] = {
    "sh",   "ash",  "bash", "dash", "zsh",   "ksh",     "mksh",  "pdksh", "csh",
    "tcsh", "hush", "msh",  "fish", "rbash", "busybox", "login", NULL,
};

static bool
in_list(const char *s, const char *const *list)
{
	for (; *list != NULL; list++)
		if (strcmp(s, *list) == 0)
			return true;
	return false;
}

/*
 * Can an account with this shell get a session?  An empty shell means
 * /bin/sh (passwd(5)); false, nologin and the like do not.  Vendor CLIs
 * (/bin/cli, /usr/bin/clish) do.
 */
bool
Sl_acc_can_log_in(const char *shell)
{
	return !in_list(Sl_basename(shell), no_login_shells);
}

/* Is this a general-purpose shell (not a vendor CLI or a no-login)? */
bool
Sl_acc_real_shell(const char *shell)
{
	return *shell == 0 || in_list(Sl_basename(shell), real_shells);
}

static struct pwent *
new_pwent(struct acc *a, const struct sl_entry *e, uint64_t off,
          const char *line, size_t n, char **f)
{
	struct pwent *p = Sl_arena_alloc(&a->s->arena, sizeof(*p));
	const char *base = Sl_basename(e->path);
	enum hk k = Sl_acc_shadow_kind(f[1]);

	if (p == NULL)
		return NULL;
	p->dir =
	    Sl_arena_strndup(&a->s->arena, e->path, (size_t)(base - e->path));
	p->backup = backup_name(base);
	p->name = Sl_arena_strdup(&a->s->arena, f[0]);
	p->pw = Sl_arena_strdup(&a->s->arena, f[1]);
	if (p->dir == NULL || p->name == NULL || p->pw == NULL ||
	    !Sl_acc_make_loc(a, &p->at, e, off, line, n,
	                     Sl_acc_schemes[k].crack ? f[1] : NULL))
		return NULL;
	return p;
}

static bool
good_name(const char *name)
{
	size_t n = strlen(name);

	/* "+" and "-" lines are NIS compat entries, not accounts. */
	return n > 0 && n <= ACC_MAX_NAME && name[0] != '+' && name[0] != '-';
}

sl_rc
Sl_acc_read_passwd(struct sl_scan *s, const struct sl_entry *e,
                   const uint8_t *d, size_t len, void *user)
{
	struct acc *a = user;
	struct lines it = {d, len, 0, false};
	char buf[ACC_MAX_LINE + 1], line[ACC_MAX_LINE + 1], *f[8];
	uint64_t off;
	size_t n;

	(void)s;
	if (Sl_acc_too_big(a, e, len) || !Sl_acc_is_text(d, len))
		return SL_OK;
	while (Sl_acc_next_line(&it, buf, &off, &n)) {
		struct pwent *p;

		memcpy(line, buf, n + 1);
		/* name:password:uid:gid:gecos:home:shell */
		if (buf[0] == '#' || Sl_acc_split(buf, ':', f, 7) != 7 ||
		    !good_name(f[0]) || strlen(f[1]) > ACC_MAX_HASH)
			continue;
		if (!Sl_acc_room(a))
			return SL_OK;
		p = new_pwent(a, e, off, line, n, f);
		if (p == NULL)
			return SL_E_NOMEM;
		p->has_uid = Sl_acc_parse_u32(f[2], strlen(f[2]), &p->uid);
		p->shell = Sl_arena_strndup(&a->s->arena, f[6], ACC_MAX_NAME);
		if (p->shell == NULL)
			return SL_E_NOMEM;
		p->next = a->pw;
		a->pw = p;
		a->npw++;
	}
	return SL_OK;
}

sl_rc
Sl_acc_read_shadow(struct sl_scan *s, const struct sl_entry *e,
                   const uint8_t *d, size_t len, void *user)
{
	struct acc *a = user;
	struct lines it = {d, len, 0, false};
	char buf[ACC_MAX_LINE + 1], line[ACC_MAX_LINE + 1], *f[10];
	uint64_t off;
	size_t n, nf;

	(void)s;
	if (Sl_acc_too_big(a, e, len) || !Sl_acc_is_text(d, len))
		return SL_OK;
	while (Sl_acc_next_line(&it, buf, &off, &n)) {
		struct pwent *p;

		memcpy(line, buf, n + 1);
		/* name:password:lastchg:min:max:warn:inactive:expire:res */
		nf = Sl_acc_split(buf, ':', f, 9);
		if (buf[0] == '#' || nf < 2 || nf > 9 || !good_name(f[0]) ||
		    strlen(f[1]) > ACC_MAX_HASH)
			continue;
		if (!Sl_acc_room(a))
			return SL_OK;
		p = new_pwent(a, e, off, line, n, f);
		if (p == NULL)
			return SL_E_NOMEM;
		p->expired = nf > 2 && strcmp(f[2], "0") == 0;
		p->shell = "";
		p->next = a->sh;
		a->sh = p;
		a->nsh++;
	}
	return SL_OK;
}

static int
pwent_cmp(const void *x, const void *y)
{
	const struct pwent *p = *(const struct pwent *const *)x;
	const struct pwent *q = *(const struct pwent *const *)y;
	int c = strcmp(p->dir, q->dir);

	if (c != 0)
		return c;
	if (p->backup != q->backup)
		return p->backup ? 1 : -1;
	c = strcmp(p->name, q->name);
	if (c != 0)
		return c;
	/* Same name twice in one file: the first line wins. */
	return p->at.off < q->at.off ? -1 : p->at.off > q->at.off;
}

/* Lists to arrays sorted by (dir, backup, name, offset). */
static struct pwent **
sorted(struct acc *a, struct pwent *head, size_t n)
{
	struct pwent **v = Sl_arena_alloc(&a->s->arena, (n + 1) * sizeof(*v));
	size_t i = 0;

	if (v == NULL)
		return NULL;
	for (; head != NULL; head = head->next)
		v[i++] = head;
	qsort(v, n, sizeof(*v), pwent_cmp);
	return v;
}

/* The first entry for (dir, backup, name) in a sorted array, or NULL. */
static struct pwent *
lookup(struct pwent **v, size_t n, const char *dir, bool backup,
       const char *name)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct pwent *p = v[mid];
		int c = strcmp(p->dir, dir);

		if (c == 0 && p->backup != backup)
			c = p->backup ? 1 : -1;
		if (c == 0)
			c = strcmp(p->name, name);
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < n && strcmp(v[lo]->dir, dir) == 0 && v[lo]->backup == backup &&
	    strcmp(v[lo]->name, name) == 0)
		return v[lo];
	return NULL;
}

/* The shadow line that holds the password of passwd line p, or NULL. */
static struct pwent *
shadow_of(struct acc *a, const struct pwent *p)
{
	struct pwent *s = lookup(a->shs, a->nsh, p->dir, p->backup, p->name);

	if (s == NULL)
		s = lookup(a->shs, a->nsh, p->dir, !p->backup, p->name);
	return s;
}

/*
 * The password that counts for a passwd line: its own field, unless that
 * is "x" or "*" and a shadow line exists (glibc reads shadow for "x",
 * BusyBox for both).  *where receives the line holding it.
 */
static const char *
effective_pw(struct acc *a, struct pwent *p, const struct pwent **where)
{
	struct pwent *s = shadow_of(a, p);

	if (s != NULL)
		s->used = true;
	*where = p;
	if (strcmp(p->pw, "x") != 0 && strcmp(p->pw, "*") != 0)
		return p->pw;
	if (s == NULL)
		return "*"; /* no shadow entry: nothing matches */
	*where = s;
	return s->pw;
}

static const char *
who_account(struct acc *a, const char *name)
{
	char *n = Sl_acc_clean(a, name, strlen(name), 64);

	return n ? Sl_arena_printf(&a->s->arena, "account '%s'", n) : NULL;
}

/* Does the root holding dir ("img:squashfs!/etc/") hold file ("x/y")? */
static bool
beside(struct acc *a, const char *dir, const char *file)
{
	size_t n = strlen(dir);
	const char *p;

	if (n < 4 || strcmp(dir + n - 4, "etc/") != 0)
		return false;
	p = Sl_arena_printf(&a->s->arena, "%.*s%s", (int)(n - 4), dir, file);
	return p != NULL && sl_tree_find(a->s, p) != NULL;
}

/*
 * On OpenWrt a password field of "x" (passwd) or "!" (shadow) for root
 * means no password was set: LuCI's user.getpasswd and the telnet login
 * wrapper treat it as empty and let root in.  Returns the services that
 * accept it, for the title, or NULL when the image is not OpenWrt.
 */
static const char *
openwrt_unset(struct acc *a, const struct pwent *p, const char *pw)
{
	bool luci, wrap;

	if (strcmp(p->name, "root") != 0 ||
	    (strcmp(pw, "x") != 0 && strcmp(pw, "!") != 0 && *pw != 0) ||
	    (!beside(a, p->dir, "etc/openwrt_release") &&
	     !beside(a, p->dir, "etc/openwrt_version")))
		return NULL;
	luci = beside(a, p->dir, "usr/lib/lua/luci/sys.lua");
	wrap = beside(a, p->dir, "bin/login.sh");
	if (*pw == 0)
		return luci || wrap
		           ? Sl_arena_printf(&a->s->arena,
		                             " (accepted by %s%s%s)",
		                             luci ? "the LuCI web UI "
		                                    "(usr/lib/lua/luci/sys.lua)"
		                                  : "",
		                             luci && wrap ? " and " : "",
		                             wrap ? "the telnet login wrapper "
		                                    "(bin/login.sh)"
		                                  : "")
		           : NULL;
	return Sl_arena_printf(
	    &a->s->arena,
	    " (OpenWrt reads its '%s' placeholder as no password%s%s%s%s)",
	    strcmp(pw, "!") == 0 ? "!" : "x",
	    luci || wrap ? "; accepted by " : "",
	    luci ? "the LuCI web UI (usr/lib/lua/luci/sys.lua)" : "",
	    luci && wrap ? " and " : "",
	    wrap ? "the telnet login wrapper (bin/login.sh)" : "");
}

static sl_rc
check_passwd_line(struct acc *a, struct pwent *p)
{
	const struct pwent *w, *w2;
	struct pwent *prim;
	const char *pw = effective_pw(a, p, &w), *who, *shell;
	const char *expired = w->expired ? " (shadow marks it expired, so "
	                                   "login(1) forces a change; other "
	                                   "login paths may not)"
	                                 : "";
	enum hk k = Sl_acc_shadow_kind(pw);
	const char *unset, *accept = NULL;
	bool extra0;
	sl_rc rc = SL_OK;

	/* A backup line that says what the live file says adds nothing. */
	if (p->backup &&
	    (prim = lookup(a->pws, a->npw, p->dir, false, p->name)) != NULL &&
	    prim->uid == p->uid && strcmp(prim->shell, p->shell) == 0 &&
	    strcmp(effective_pw(a, prim, &w2), pw) == 0)
		return SL_OK;
	who = who_account(a, p->name);
	shell = Sl_acc_clean(a, p->shell, strlen(p->shell), 64);
	if (who == NULL || shell == NULL)
		return SL_E_NOMEM;
	/* The field as written: passwd's own "x" when no shadow line. */
	unset = openwrt_unset(a, p, w == p ? p->pw : pw);
	if (unset != NULL && *pw == 0) {
		/* Truly empty: only the services that accept it are news. */
		accept = unset;
		unset = NULL;
	}
	if (unset != NULL)
		k = HK_EMPTY;
	if (k == HK_EMPTY && Sl_acc_can_log_in(p->shell))
		rc = Sl_acc_finding(
		    a, ACC_F_EMPTY, &w->at,
		    Sl_arena_printf(&a->s->arena,
		                    "%s has %s password and can log in "
		                    "(shell %s)%s%s%s",
		                    who, unset ? "no" : "an empty",
		                    *shell ? shell : "/bin/sh",
		                    unset ? unset : "", accept ? accept : "",
		                    expired));
	if (unset != NULL)
		return rc;
	extra0 = p->has_uid && p->uid == 0 && strcmp(p->name, "root") != 0;
	if (rc == SL_OK && p->has_uid && p->uid >= 1 && p->uid <= 999 &&
	    Sl_acc_real_shell(p->shell) && Sl_acc_schemes[k].crack)
		rc = Sl_acc_finding(
		    a, ACC_F_SERVICE, &p->at,
		    Sl_arena_printf(&a->s->arena,
		                    "service %s (uid %u) has a login shell "
		                    "(%s) and a password",
		                    who, (unsigned)p->uid,
		                    *shell ? shell : "/bin/sh"));
	if (rc == SL_OK)
		rc = Sl_acc_hashed(a, &w->at, who, p->name, k, pw, expired,
		                   extra0 ? &p->at : NULL);
	return rc;
}

/* A shadow line no passwd line claimed: its hash is still evidence. */
static sl_rc
check_orphan_shadow(struct acc *a, struct pwent *s)
{
	const struct pwent *prim;
	const char *who;

	if (s->backup &&
	    (prim = lookup(a->shs, a->nsh, s->dir, false, s->name)) != NULL &&
	    strcmp(prim->pw, s->pw) == 0)
		return SL_OK;
	who = who_account(a, s->name);
	if (who == NULL)
		return SL_E_NOMEM;
	return Sl_acc_hashed(a, &s->at, who, s->name, Sl_acc_shadow_kind(s->pw),
	                     s->pw, NULL, NULL);
}

sl_rc
Sl_acc_check_accounts(struct acc *a)
{
	size_t i;
	sl_rc rc = SL_OK;

	a->pws = sorted(a, a->pw, a->npw);
	a->shs = sorted(a, a->sh, a->nsh);
	if (a->pws == NULL || a->shs == NULL)
		return SL_E_NOMEM;
	/* Duplicates of a name in one file: only the first line counts. */
	for (i = 0; i < a->npw && rc == SL_OK; i++)
		if (lookup(a->pws, a->npw, a->pws[i]->dir, a->pws[i]->backup,
		           a->pws[i]->name) == a->pws[i])
			rc = check_passwd_line(a, a->pws[i]);
	for (i = 0; i < a->nsh && rc == SL_OK; i++)
		if (!a->shs[i]->used &&
		    lookup(a->shs, a->nsh, a->shs[i]->dir, a->shs[i]->backup,
		           a->shs[i]->name) == a->shs[i])
			rc = check_orphan_shadow(a, a->shs[i]);
	return rc;
}
