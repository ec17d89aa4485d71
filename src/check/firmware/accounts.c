/*
 * accounts.c - login accounts and stored passwords (S1.1-02, with
 * S1.1-01 and S1.1-11 where a finding also breaks those).
 *
 * Reads the places embedded Linux keeps credentials:
 *   - etc/passwd and etc/shadow, and their passwd-/shadow- backups, joined
 *     by account name within one directory of the tree;
 *   - htpasswd files (basic auth of Apache, lighttpd, BusyBox httpd);
 *   - mosquitto password files: the file a *mosquitto*.conf names with
 *     password_file, and anything matching *mosquitto/ *passwd*;
 *   - BusyBox httpd.conf "/path:user:pass" lines;
 *   - UCI files (etc/config/ *) and NVRAM default files (*nvram*) with
 *     password-looking keys.
 * It flags empty passwords on accounts that can log in, uid-0 accounts
 * besides root, service accounts that can log in with a password,
 * plaintext passwords and weak hash schemes, and it cracks every hash
 * against the empty password, the account's own name and the built-in
 * default-password list (catalogue/default_passwords.c, generated from
 * data/passwords/default-passwords.txt by scripts/gen-passwords.sh).
 *
 * Everything read is untrusted text from the image.  Lines longer than
 * ACC_MAX_LINE are ignored, at most ACC_MAX_CREDS credentials are kept,
 * and cracking is bounded by an estimate of each hash's cost that depends
 * only on the hash's own parameters, so that two runs give the same
 * report: a hash whose single guess would cost more than ACC_MAX_GUESS_US
 * is not tried, a slow hash gets at most ACC_HASH_BUDGET_US of guesses and
 * the whole scan ACC_TOTAL_BUDGET_US.  Every such cut is listed as
 * incomplete.  Cracking runs on a pool of threads, one crypt_data each.
 *
 * No password or full hash reaches a report: each excerpt is passed with
 * the value as the secret to mask, titles name the account and the hash
 * scheme only, and incomplete notes name neither.
 *
 * This file is the check itself: its findings, the credentials found and
 * the run.  The hash schemes, the cracker and the credential-file readers
 * are files of their own (accounts.h lists them).
 */
#include <stdio.h>
#include <stdlib.h>

#include "accounts.h"

#define REM_S102                                                               \
	" Evidence that makes S1.1-02 conformant is one of: (1) every unit "   \
	"gets its own random default password of at least 6 characters "       \
	"(show the provisioning step, and that the image holds no fixed "      \
	"password or hash), or (2) the device forces a change to a password "  \
	"of at least 8 characters at first start, before any other function "  \
	"is usable (show the first-start flow on every login path: web, "      \
	"SSH, telnet, MQTT, serial console)."

#define REM_DEFAULT                                                            \
	"Do not ship a password that is the same on every unit: remove the "   \
	"fixed password or hash from the image."
#define REM_EMPTY                                                              \
	"Lock the account ('!' or '*' in the password field) or give it "      \
	"/sbin/nologin; an empty password lets anyone log in."
#define REM_UID0                                                               \
	"Give uid 0 to root only: remove the extra account or give it an "     \
	"unprivileged uid.  Vendor support accounts with a fixed password "    \
	"are universal default passwords."
#define REM_SERVICE                                                            \
	"Give service accounts /sbin/nologin (or /bin/false) and a locked "    \
	"password ('*' or '!'); a service account that can log in with a "     \
	"fixed password is a universal default password."
#define REM_PLAIN                                                              \
	"Never store passwords in clear: keep only a salted slow hash "        \
	"(yescrypt, bcrypt, SHA-512 crypt, or PBKDF2 with many "               \
	"iterations), readable by the service that needs it, and ship no "     \
	"default value at all."
#define REM_WEAK                                                               \
	"Re-hash with yescrypt, bcrypt or SHA-512 crypt ($6$).  DES crypt "    \
	"keeps only 8 characters, and DES, MD5 and single-round SHA "          \
	"hashes are cracked at billions of guesses per second.  S1.1-11 "      \
	"needs stored passwords protected; S1.1-02 still needs no "            \
	"universal default whatever the scheme."

/*
 * What this check reports (check.h: findings as data).  Every title is
 * the finding's own (it names the account and the scheme, never the
 * password); the remediation adds what makes S1.1-02 conformant.
 */
static const struct Sl_finding_def findings[] = {
    [ACC_F_EMPTY] = {"FW-ACCOUNT-EMPTY-PASSWORD",
                     SL_SEV_CRITICAL,
                     {"S1.1-02", "S1.1-01"},
                     "An account has an empty password and can log in",
                     REM_EMPTY REM_S102},
    [ACC_F_SERVICE] = {"FW-ACCOUNT-SERVICE-SHELL",
                       SL_SEV_MEDIUM,
                       {"S1.1-02"},
                       "A service account has a login shell and a password",
                       REM_SERVICE REM_S102},
    [ACC_F_PLAIN] = {"FW-PLAINTEXT-PASSWORD",
                     SL_SEV_HIGH,
                     {"S1.1-02", "S1.1-11"},
                     "A password is stored in plaintext",
                     REM_PLAIN REM_S102},
    [ACC_F_WEAK] = {"FW-WEAK-HASH",
                    SL_SEV_MEDIUM,
                    {"S1.1-11"},
                    "A password is hashed with a weak scheme",
                    REM_WEAK REM_S102},
    [ACC_F_UID0] = {"FW-ACCOUNT-EXTRA-UID0",
                    SL_SEV_HIGH,
                    {"S1.1-02"},
                    "An account besides root has uid 0",
                    REM_UID0 REM_S102},
    /* Locked, it holds no credential: advice, not a breach. */
    [ACC_F_UID0_LOCKED] = {"FW-ACCOUNT-EXTRA-UID0",
                           SL_SEV_LOW,
                           {"S1.1-02"},
                           "An account besides root has uid 0 (password "
                           "locked)",
                           REM_UID0 REM_S102},
    [ACC_F_DEFAULT] = {"FW-SHADOW-DEFAULT-PASSWORD",
                       SL_SEV_CRITICAL,
                       {"S1.1-02"},
                       "A password is a well-known default or guessable",
                       REM_DEFAULT REM_S102},
    {NULL},
};

/* ------------------------------------------------------------------ */
/* Credentials found                                                   */
/* ------------------------------------------------------------------ */

/*
 * A printable copy of p[0..n) for titles and excerpts: bytes outside
 * printable ASCII become '.', and at most max bytes are kept.
 */
char *
Sl_acc_clean(struct acc *a, const char *p, size_t n, size_t max)
{
	char *o;
	size_t i;

	if (n > max)
		n = max;
	o = Sl_arena_alloc(&a->s->arena, n + 1);
	if (o == NULL)
		return NULL;
	for (i = 0; i < n; i++)
		o[i] =
		    p[i] == '\t' ? ' '
		    : (unsigned char)p[i] >= 0x20 && (unsigned char)p[i] < 0x7f
		        ? p[i]
		        : '.';
	return o;
}

/*
 * The excerpt for a line and the secret it holds.  A long line is cut at
 * ACC_EXCERPT bytes, or earlier so that no copy of the secret is cut in
 * two: the masking in sl_finding_add matches whole copies only, and a
 * half-hash left in a report would be a leak.
 */
bool
Sl_acc_make_loc(struct acc *a, struct loc *l, const struct sl_entry *e,
                uint64_t off, const char *line, size_t n, const char *secret)
{
	size_t cut;
	char *ex, *sec = NULL;

	l->e = e;
	l->off = off;
	while (n > 0 && (*line == ' ' || *line == '\t')) {
		line++;
		n--;
	}
	cut = n < ACC_EXCERPT ? n : ACC_EXCERPT;
	if (secret != NULL && *secret != 0) {
		const char *p, *hit;
		size_t sl = strlen(secret);

		sec = Sl_acc_clean(a, secret, sl, ACC_MAX_LINE);
		if (sec == NULL)
			return false;
		ex = Sl_acc_clean(a, line, n, ACC_MAX_LINE);
		if (ex == NULL)
			return false;
		for (p = ex; (hit = strstr(p, sec)) != NULL; p = hit + 1) {
			size_t at = (size_t)(hit - ex);

			if (at >= cut)
				break;
			if (at + sl > cut) {
				cut = at;
				break;
			}
		}
		ex[cut] = 0;
	} else {
		ex = Sl_acc_clean(a, line, n, cut);
		if (ex == NULL)
			return false;
	}
	l->excerpt = ex;
	l->secret = sec;
	return true;
}

/* Count one more credential; false (noted once) past the cap. */
bool
Sl_acc_room(struct acc *a)
{
	if (a->ncreds < ACC_MAX_CREDS) {
		a->ncreds++;
		return true;
	}
	if (!a->capped)
		Sl_incomplete(
		    a->s,
		    "fw.accounts: more than %u accounts and "
		    "passwords in the image; the rest were not checked",
		    ACC_MAX_CREDS);
	a->capped = true;
	return false;
}

sl_rc
Sl_acc_finding(struct acc *a, enum acc_finding k, const struct loc *l,
               const char *title)
{
	if (a->collect != NULL)
		return SL_OK;
	if (title == NULL)
		return SL_E_NOMEM;
	return Sl_report(a->s, &findings[k],
	                 &(struct Sl_at){.e = l->e,
	                                 .off = l->off,
	                                 .excerpt = l->excerpt,
	                                 .secret = l->secret,
	                                 .title = title});
}

static bool
on_list(const char *pw)
{
	size_t i;

	for (i = 0; i < ACC_NLIST; i++)
		if (strcmp(pw, Sl_default_passwords[i]) == 0)
			return true;
	return false;
}

/* Sl_acc_each_cred: one credential to the caller's function. */
static sl_rc
collect(struct acc *a, const struct loc *l, const char *who, enum hk kind,
        const char *stored)
{
	struct Sl_fw_cred c;

	c.e = l->e;
	c.off = l->off;
	c.who = who;
	c.stored = stored;
	c.scheme = Sl_acc_schemes[kind].name;
	c.plaintext = kind == HK_PLAIN;
	c.excerpt = l->excerpt;
	c.secret = l->secret;
	return a->collect(a->s, &c, a->collect_user);
}

sl_rc
Sl_acc_plaintext(struct acc *a, const struct loc *l, const char *who,
                 const char *user, const char *pw)
{
	bool dflt = *pw == 0 || on_list(pw) || (user && strcmp(pw, user) == 0);

	if (a->collect != NULL)
		return *pw != 0 ? collect(a, l, who, HK_PLAIN, pw) : SL_OK;

	/* High as specified, also for a default; the title tells which. */
	return Sl_acc_finding(
	    a, ACC_F_PLAIN, l,
	    Sl_arena_printf(&a->s->arena, "%s: password stored in plaintext%s",
	                    who,
	                    dflt ? ", and it is a well-known default or "
	                           "guessable password"
	                         : ""));
}

/*
 * A stored hash: report a weak scheme now, and queue the hash for
 * cracking (the finding comes after the pool has run).
 */
static sl_rc
weak_finding(struct acc *a, const struct loc *l, const char *who, enum hk kind)
{
	return Sl_acc_finding(a, ACC_F_WEAK, l,
	                      Sl_arena_printf(&a->s->arena,
	                                      "%s: password hashed with %s",
	                                      who, Sl_acc_schemes[kind].name));
}

static sl_rc
uid0_finding(struct acc *a, const struct loc *l, const char *who, enum hk k)
{
	bool locked = k == HK_LOCKED || k == HK_INVALID;

	/*
	 * Locked, it holds no credential: advice (a daemon dropping to it
	 * keeps root), not a breach of S1.1-02.
	 */
	return Sl_acc_finding(
	    a, locked ? ACC_F_UID0_LOCKED : ACC_F_UID0, l,
	    Sl_arena_printf(&a->s->arena,
	                    "%s has uid 0 (root privileges) besides root%s",
	                    who, locked ? " (its password is locked)" : ""));
}

/*
 * A stored hash: queue it for cracking; the findings that depend on
 * whether it cracks (a weak scheme, a second uid-0 account: uid0, or
 * NULL) wait for the pool.  A hash that cannot be cracked gets them now.
 */
sl_rc
Sl_acc_hashed(struct acc *a, const struct loc *l, const char *who,
              const char *user, enum hk kind, const char *hash,
              const char *note, const struct loc *uid0)
{
	struct cred *c;
	struct job *j;
	sl_rc rc = SL_OK;

	/* Collecting: only values a password can match are credentials. */
	if (a->collect != NULL)
		return Sl_acc_schemes[kind].crack
		           ? collect(a, l, who, kind, hash)
		           : SL_OK;
	if (!Sl_acc_schemes[kind].crack) {
		if (Sl_acc_schemes[kind].weak)
			rc = weak_finding(a, l, who, kind);
		if (rc == SL_OK && uid0 != NULL)
			rc = uid0_finding(a, uid0, who, kind);
		return rc;
	}
	c = Sl_arena_alloc(&a->s->arena, sizeof(*c));
	j = Sl_arena_alloc(&a->s->arena, sizeof(*j));
	if (c == NULL || j == NULL)
		return SL_E_NOMEM;
	c->at = *l;
	c->who = who;
	c->note = note ? note : "";
	c->kind = kind;
	c->weak = Sl_acc_schemes[kind].weak;
	c->uid0 = uid0;
	j->kind = kind;
	j->hash = Sl_arena_strdup(&a->s->arena, hash);
	j->user = Sl_arena_strdup(&a->s->arena, user ? user : "");
	if (j->hash == NULL || j->user == NULL)
		return SL_E_NOMEM;
	j->c = c;
	j->seq = a->njobs++;
	atomic_init(&j->hit, -1);
	atomic_init(&j->bad, false);
	if (!Sl_acc_job_decode(j)) {
		/* Malformed: nothing can log in with it; nothing to crack. */
		a->njobs--;
		if (c->weak)
			rc = weak_finding(a, l, who, kind);
		if (rc == SL_OK && uid0 != NULL)
			rc = uid0_finding(a, uid0, who, HK_INVALID);
		return rc;
	}
	*a->jtail = j;
	a->jtail = &j->next;
	return SL_OK;
}

/* ------------------------------------------------------------------ */
/* Lines                                                               */
/* ------------------------------------------------------------------ */

/*
 * The next line no longer than ACC_MAX_LINE, copied NUL-terminated into
 * buf (ACC_MAX_LINE + 1 bytes) without its CR/LF; *off receives its
 * offset and *n its length.  Longer lines, and lines holding a NUL when
 * NUL is not a separator, are skipped.  false at the end.
 */
bool
Sl_acc_next_line(struct lines *it, char *buf, uint64_t *off, size_t *n)
{
	while (it->off < it->len) {
		size_t a = it->off, b = a, m;

		while (b < it->len && it->d[b] != '\n' &&
		       !(it->nul_sep && it->d[b] == 0))
			b++;
		it->off = b + 1;
		m = b - a;
		if (m > 0 && it->d[b - 1] == '\r')
			m--;
		if (m > ACC_MAX_LINE || memchr(it->d + a, 0, m) != NULL)
			continue;
		memcpy(buf, it->d + a, m);
		buf[m] = 0;
		*off = a;
		*n = m;
		return true;
	}
	return false;
}

/* Split s at sep into at most max fields; returns the count (> max: bad). */
size_t
Sl_acc_split(char *s, char sep, char **f, size_t max)
{
	size_t n = 0;

	for (;;) {
		char *q = strchr(s, sep);

		if (n == max)
			return max + 1;
		f[n++] = s;
		if (q == NULL)
			return n;
		*q = 0;
		s = q + 1;
	}
}

bool
Sl_acc_is_text(const uint8_t *d, size_t len)
{
	return memchr(d, 0, len < 4096 ? len : 4096) == NULL;
}

bool
Sl_acc_too_big(struct acc *a, const struct sl_entry *e, size_t len)
{
	if (len <= ACC_MAX_FILE)
		return false;
	Sl_incomplete(a->s, "fw.accounts: %s: not checked: larger than %u MiB",
	              e->path, ACC_MAX_FILE >> 20);
	return true;
}

/* ------------------------------------------------------------------ */
/* Cracked or not: the findings that waited for the pool               */
/* ------------------------------------------------------------------ */

static sl_rc
report_cracked(struct acc *a)
{
	static const char *const why[4] = {
	    "hash schemes not supported by libcrypt",
	    "hashes not tried: one guess too slow",
	    "hashes not tried: the cracking budget was spent",
	    "slow hashes tried against part of the list only",
	};
	struct job *j;
	size_t n[4] = {0}, i;
	sl_rc rc = SL_OK;

	for (j = a->jobs; j != NULL && rc == SL_OK; j = j->next) {
		const struct job *r = j->same ? j->same : j;

		if (atomic_load(&r->hit) >= 0) {
			/* Cracked: the weak scheme and uid 0 are its detail. */
			rc = Sl_acc_finding(
			    a, ACC_F_DEFAULT, &j->c->at,
			    Sl_arena_printf(
			        &a->s->arena,
			        "%s%s: password is a well-known "
			        "default or guessable (%s hash "
			        "cracked)%s",
			        j->c->who,
			        j->c->uid0 ? " (uid 0 besides root)" : "",
			        Sl_acc_schemes[j->kind].name, j->c->note));
			continue;
		}
		if (r == j)
			Sl_acc_note_cut(a, j, n);
		if (j->c->weak)
			rc = weak_finding(a, &j->c->at, j->c->who, j->kind);
		if (rc == SL_OK && j->c->uid0 != NULL)
			rc = uid0_finding(a, j->c->uid0, j->c->who, j->kind);
	}
	for (i = 0; i < 4; i++)
		if (n[i] > ACC_MAX_NOTES)
			Sl_incomplete(a->s, "fw.accounts: %zu more %s",
			              n[i] - ACC_MAX_NOTES, why[i]);
	return rc;
}

/* ------------------------------------------------------------------ */
/* The check                                                           */
/* ------------------------------------------------------------------ */

/*
 * The live files and their backup copies: passwd- and shadow- of the
 * shadow tools, and the .bak, .old, .orig and ~ copies editors and vendor
 * scripts leave (TP-Link's rcS copies etc/passwd.bak to /var/passwd at
 * boot, so the backup is what logs in).
 */
static const char *const passwd_files[] = {
    "etc/passwd",
    "*/etc/passwd",
    "etc/passwd-",
    "*/etc/passwd-",
    "etc/passwd.bak",
    "*/etc/passwd.bak",
    "etc/passwd.old",
    "*/etc/passwd.old",
    "etc/passwd.orig",
    "*/etc/passwd.orig",
    "etc/passwd~",
    "*/etc/passwd~",
    NULL,
};
static const char *const shadow_files[] = {
    "etc/shadow",
    "*/etc/shadow",
    "etc/shadow-",
    "*/etc/shadow-",
    "etc/shadow.bak",
    "*/etc/shadow.bak",
    "etc/shadow.old",
    "*/etc/shadow.old",
    "etc/shadow.orig",
    "*/etc/shadow.orig",
    "etc/shadow~",
    "*/etc/shadow~",
    NULL,
};

static const char *const prog_files[] = {
    "bin/*",        "sbin/*",     "usr/bin/*",     "usr/sbin/*",
    "*/bin/*",      "*/sbin/*",   "www/cgi-bin/*", "usr/lib/cgi-bin/*",
    "etc/init.d/*", "etc/rc.d/*", "etc/rc.local",  NULL,
};

static const char *const htpasswd_files[] = {"*htpasswd*", NULL};
static const char *const httpd_files[] = {"*httpd*.conf", NULL};
static const char *const mosq_conf_files[] = {"*mosquitto*.conf", NULL};
static const char *const mosq_pw_files[] = {"*mosquitto/*passwd*", NULL};
static const char *const uci_files[] = {"etc/config/*", "*/etc/config/*", NULL};
static const char *const nvram_files[] = {"*nvram*", NULL};

/* Read every place credentials are kept, in a fixed order. */
static sl_rc
read_all(struct sl_scan *s, struct acc *a)
{
	sl_rc rc;

	rc = Sl_each_file_any(s, passwd_files, Sl_acc_read_passwd, a);
	if (rc == SL_OK)
		rc = Sl_each_file_any(s, shadow_files, Sl_acc_read_shadow, a);
	if (rc == SL_OK)
		rc = Sl_acc_check_accounts(a);
	if (rc == SL_OK)
		rc = Sl_each_file_any(s, htpasswd_files, Sl_acc_read_htpasswd,
		                      a);
	if (rc == SL_OK)
		rc =
		    Sl_each_file_any(s, httpd_files, Sl_acc_read_httpd_conf, a);
	if (rc == SL_OK)
		rc = Sl_each_file_any(s, mosq_conf_files, Sl_acc_read_mosq_conf,
		                      a);
	if (rc == SL_OK)
		rc = Sl_each_file_any(s, mosq_pw_files, Sl_acc_read_mosq_passwd,
		                      a);
	if (rc == SL_OK)
		rc = Sl_each_file_any(s, uci_files, Sl_acc_read_uci, a);
	if (rc == SL_OK)
		rc = Sl_each_file_any(s, nvram_files, Sl_acc_read_nvram, a);
	if (rc == SL_OK)
		rc = Sl_each_file_any(s, prog_files, Sl_acc_read_program, a);
	return rc;
}

/*
 * Every stored password the check reads (a hash a password can match, or
 * a plaintext password), handed to fn with where it was seen; no finding
 * is added.  The same bounds apply as in the check.  For comparing two
 * units' images (compare.c).
 */
sl_rc
Sl_acc_each_cred(struct sl_scan *s, Sl_fw_cred_fn fn, void *user)
{
	struct acc a;
	sl_rc rc;

	memset(&a, 0, sizeof(a));
	a.s = s;
	a.jtail = &a.jobs;
	a.collect = fn;
	a.collect_user = user;
	rc = read_all(s, &a);
	if (rc == SL_E_NOMEM)
		return Sl_fail(s, rc, "fw.accounts: out of memory");
	return rc;
}

static sl_rc
accounts_run(struct sl_scan *s)
{
	struct acc a;
	sl_rc rc;

	memset(&a, 0, sizeof(a));
	a.s = s;
	a.jtail = &a.jobs;
	rc = read_all(s, &a);
	if (rc == SL_OK)
		rc = Sl_acc_crack(&a);
	if (rc == SL_OK)
		rc = report_cracked(&a);
	if (rc == SL_E_NOMEM)
		return Sl_fail(s, rc, "fw.accounts: out of memory");
	return rc;
}

const struct Sl_check Sl_check_accounts = {
    .id = "fw.accounts",
    .title = "Accounts and stored passwords: defaults, empty, plaintext",
    /*
     * S1.1-02 is its own; a plaintext or weakly hashed password also
     * breaks S1.1-11, and an empty password S1.1-01, where fw.keys,
     * fw.secrets and fw.services are the main evidence.
     */
    .covers = {"S1.1-02", "S1.1-01", "S1.1-11", NULL},
    .findings = findings,
    .source = SL_SRC_FIRMWARE,
    .run = accounts_run,
};
