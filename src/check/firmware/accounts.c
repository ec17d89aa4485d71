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
 */
#include <crypt.h>
#include <math.h>
#include <openssl/evp.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "../check.h"
#include "../../catalogue/default_passwords.h"
#include "firmware.h"
#include "uci.h"

/* Bounds on untrusted input and on the work done for it. */
#define ACC_MAX_LINE        4096  /* longer lines are ignored */
#define ACC_MAX_CREDS       10000 /* accounts and passwords kept per scan */
#define ACC_MAX_NAME        256   /* bytes of an account name */
#define ACC_MAX_HASH        512   /* bytes of a stored hash or password */
#define ACC_EXCERPT         240   /* bytes of an evidence excerpt */
#define ACC_MAX_FILE        (16U << 20) /* text files larger are not config */
#define ACC_MAX_GUESS_US    500000.0    /* one guess costs more: not tried */
#define ACC_HASH_BUDGET_US  8.0e6       /* estimated work for one hash */
#define ACC_TOTAL_BUDGET_US 120.0e6     /* estimated work for the scan */
#define ACC_MIN_SLOW        20          /* guesses a slow hash gets at least */
#define ACC_UNIT_US         20000.0     /* estimated work of one queue unit */
#define ACC_MAX_THREADS     32
#define ACC_MAX_NOTES       8 /* incomplete notes per kind of cut */

/* Candidates: 0 is "", 1 is the account name, then the list. */
#define ACC_NLIST SL_ARRAY_LEN(Sl_default_passwords)
#define ACC_NCAND (2 + ACC_NLIST)

/*
 * Internal entry points, also declared in tests/unit/test_accounts.c
 * (there is no header for one check).
 */
int Sl_acc_verify(const char *stored, int mosquitto, const char *pw);
double Sl_acc_guess_cost(const char *stored, int mosquitto);
const char *Sl_acc_scheme(const char *stored, int mosquitto);
bool Sl_acc_password_key(const char *key);
bool Sl_acc_can_log_in(const char *shell);
bool Sl_acc_real_shell(const char *shell);

/* ------------------------------------------------------------------ */
/* Hash schemes                                                        */
/* ------------------------------------------------------------------ */

enum hk {
	HK_INVALID = 0, /* not a hash: no password can match it */
	HK_EMPTY,       /* "": no password at all */
	HK_LOCKED,      /* "!..." or "*...": password login disabled */
	HK_PLAIN,       /* a password in clear */
	HK_DES,         /* traditional crypt: 2 salt + 11 hash chars */
	HK_BSDI,        /* "_" extended DES */
	HK_MD5,         /* $1$ */
	HK_APR1,        /* $apr1$, Apache's MD5 crypt */
	HK_SHA256,      /* $5$ */
	HK_SHA512,      /* $6$ */
	HK_BCRYPT,      /* $2a$ $2b$ $2x$ $2y$ */
	HK_YESCRYPT,    /* $y$ */
	HK_GOST,        /* $gy$ */
	HK_SCRYPT,      /* $7$ in crypt(3) */
	HK_CRYPT,       /* another $id$ libcrypt may know */
	HK_SSHA1,       /* {SHA}: unsalted SHA-1, base64 */
	HK_MOSQ6,       /* mosquitto $6$: SHA-512(password || salt) */
	HK_MOSQ7,       /* mosquitto $7$: PBKDF2-HMAC-SHA512 */
};

struct scheme {
	const char *name;
	bool weak;   /* FW-WEAK-HASH */
	bool crack;  /* a hash we can test guesses against */
	double cost; /* estimated microseconds per guess, default params */
};

static const struct scheme schemes[] = {
    [HK_INVALID] = {"not a valid hash", false, false, 0},
    [HK_EMPTY] = {"empty", false, false, 0},
    [HK_LOCKED] = {"locked", false, false, 0},
    [HK_PLAIN] = {"plaintext", false, false, 0},
    [HK_DES] = {"DES crypt", true, true, 20},
    [HK_BSDI] = {"BSDi extended DES crypt", true, true, 150},
    [HK_MD5] = {"MD5 crypt ($1$)", true, true, 200},
    [HK_APR1] = {"Apache MD5 crypt ($apr1$)", true, true, 300},
    [HK_SHA256] = {"SHA-256 crypt ($5$)", false, true, 4000},
    [HK_SHA512] = {"SHA-512 crypt ($6$)", false, true, 2200},
    [HK_BCRYPT] = {"bcrypt", false, true, 2900},
    [HK_YESCRYPT] = {"yescrypt", false, true, 40000},
    [HK_GOST] = {"gost-yescrypt", false, true, 41000},
    [HK_SCRYPT] = {"scrypt", false, true, 234000},
    [HK_CRYPT] = {"crypt", false, true, 1000},
    [HK_SSHA1] = {"unsalted SHA-1 ({SHA})", true, true, 2},
    [HK_MOSQ6] = {"mosquitto salted SHA-512 ($6$)", true, true, 3},
    [HK_MOSQ7] = {"mosquitto PBKDF2-SHA512 ($7$)", false, true, 5},
};

static const char itoa64[] =
    "./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

static int
a64(char c)
{
	const char *p = c ? strchr(itoa64, c) : NULL;

	return p ? (int)(p - itoa64) : -1;
}

static bool
all_a64(const char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (a64(p[i]) < 0)
			return false;
	return true;
}

/* The scheme of a crypt(3) string, or HK_INVALID. */
static enum hk
crypt_kind(const char *h)
{
	size_t n = strlen(h);

	if (strncmp(h, "$1$", 3) == 0)
		return HK_MD5;
	if (strncmp(h, "$apr1$", 6) == 0)
		return HK_APR1;
	if (strncmp(h, "$5$", 3) == 0)
		return HK_SHA256;
	if (strncmp(h, "$6$", 3) == 0)
		return HK_SHA512;
	if (n > 4 && h[0] == '$' && h[1] == '2' && strchr("abxy", h[2]) &&
	    h[3] == '$')
		return HK_BCRYPT;
	if (strncmp(h, "$y$", 3) == 0)
		return HK_YESCRYPT;
	if (strncmp(h, "$gy$", 4) == 0)
		return HK_GOST;
	if (strncmp(h, "$7$", 3) == 0)
		return HK_SCRYPT;
	if (n == 20 && h[0] == '_' && all_a64(h + 1, 19))
		return HK_BSDI;
	if (n == 13 && all_a64(h, 13))
		return HK_DES;
	if (n > 3 && h[0] == '$' && strchr(h + 1, '$'))
		return HK_CRYPT;
	return HK_INVALID;
}

/* The scheme of a password field of passwd or shadow. */
static enum hk
shadow_kind(const char *h)
{
	if (*h == 0)
		return HK_EMPTY;
	if (*h == '!' || *h == '*')
		return HK_LOCKED;
	return crypt_kind(h);
}

/* The scheme of a mosquitto password file's hash field. */
static enum hk
mosq_kind(const char *h)
{
	if (strncmp(h, "$6$", 3) == 0)
		return HK_MOSQ6;
	if (strncmp(h, "$7$", 3) == 0)
		return HK_MOSQ7;
	if (*h == 0)
		return HK_EMPTY;
	return *h == '$' ? HK_INVALID : HK_PLAIN;
}

/* The scheme of an htpasswd hash field. */
static enum hk
htpasswd_kind(const char *h)
{
	enum hk k;

	if (*h == 0)
		return HK_EMPTY;
	if (strncmp(h, "{SHA}", 5) == 0)
		return HK_SSHA1;
	k = crypt_kind(h);
	if (k != HK_INVALID)
		return k;
	return *h == '$' || *h == '{' ? HK_INVALID : HK_PLAIN;
}

/* ------------------------------------------------------------------ */
/* Decoding                                                            */
/* ------------------------------------------------------------------ */

/*
 * Decode standard base64 of n chars (padding optional, only at the end)
 * into out, at most max bytes.  Returns the byte count, or -1 when
 * malformed or too long.
 */
static long
b64dec(const char *in, size_t n, uint8_t *out, size_t max)
{
	return Sl_base64_decode(in, n, out, max, SL_B64_PAD_END);
}

/* Parse a decimal number of at most 10 digits into *v; false if bad. */
static bool
parse_u32(const char *p, size_t n, uint32_t *v)
{
	uint64_t x = 0;
	size_t i;

	if (n == 0 || n > 10)
		return false;
	for (i = 0; i < n; i++) {
		if (p[i] < '0' || p[i] > '9')
			return false;
		x = x * 10 + (uint64_t)(p[i] - '0');
	}
	if (x > UINT32_MAX)
		return false;
	*v = (uint32_t)x;
	return true;
}

/* ------------------------------------------------------------------ */
/* One hash to crack                                                   */
/* ------------------------------------------------------------------ */

struct cred;

struct job {
	struct job *next;
	size_t seq;
	enum hk kind;
	const char *hash; /* as stored */
	const char *user; /* the account name, candidate 1 ("" if none) */
	/* Decoded for the schemes starlab computes itself. */
	uint8_t salt[64], dig[64];
	size_t nsalt, ndig;
	uint32_t iter;
	double cost;      /* estimated microseconds per guess */
	size_t ntry;      /* candidates to try */
	bool too_slow;    /* one guess costs more than ACC_MAX_GUESS_US */
	struct job *same; /* an earlier job with the same hash and user */
	atomic_long hit;  /* candidate that matched, or -1 */
	atomic_bool bad;  /* libcrypt refused the hash */
	const struct cred *c;
};

/*
 * UNTRUSTED: the hash comes from the image.  Decode what the schemes we
 * compute ourselves need; false when the string is malformed.
 */
static bool
job_decode(struct job *j)
{
	const char *h = j->hash, *p, *q;
	long n;

	switch (j->kind) {
	case HK_APR1:
		p = h + 6;
		q = strchr(p, '$');
		if (q == NULL || q - p > 8)
			return false;
		memcpy(j->salt, p, (size_t)(q - p));
		j->nsalt = (size_t)(q - p);
		return strlen(q + 1) == 22;
	case HK_SSHA1:
		n = b64dec(h + 5, strlen(h + 5), j->dig, sizeof(j->dig));
		j->ndig = n > 0 ? (size_t)n : 0;
		return n == 20;
	case HK_MOSQ6:
	case HK_MOSQ7:
		p = h + 3;
		if (j->kind == HK_MOSQ7) {
			q = strchr(p, '$');
			if (q == NULL ||
			    !parse_u32(p, (size_t)(q - p), &j->iter) ||
			    j->iter == 0)
				return false;
			p = q + 1;
		}
		q = strchr(p, '$');
		if (q == NULL)
			return false;
		n = b64dec(p, (size_t)(q - p), j->salt, sizeof(j->salt));
		if (n <= 0)
			return false;
		j->nsalt = (size_t)n;
		n = b64dec(q + 1, strlen(q + 1), j->dig, sizeof(j->dig));
		if (n <= 0 || (j->kind == HK_MOSQ6 && n != 64))
			return false;
		j->ndig = (size_t)n;
		return true;
	default: return true;
	}
}

/* Decode n itoa64 chars, least significant first (crypt's encoding). */
static long
a64_num(const char *p, size_t n)
{
	long v = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		int d = a64(p[i]);

		if (d < 0)
			return -1;
		v |= (long)d << (6 * i);
	}
	return v;
}

/*
 * Estimated cost in microseconds of one guess against this hash, from its
 * parameters alone (INFINITY when they are unreadable or absurd).  The
 * numbers were measured once on a 2-core build machine; only their ratios
 * matter, and they keep reports reproducible where a timer would not.
 */
static double
job_cost(const struct job *j)
{
	const char *h = j->hash, *p;
	double base = schemes[j->kind].cost;
	long a, b, c;
	uint32_t r;

	switch (j->kind) {
	case HK_BSDI:
		a = a64_num(h + 1, 4);
		return a < 0 ? INFINITY : 1 + 0.2 * (double)a;
	case HK_SHA256:
	case HK_SHA512:
		r = 5000;
		if (strncmp(h + 3, "rounds=", 7) == 0) {
			p = strchr(h + 10, '$');
			if (p == NULL ||
			    !parse_u32(h + 10, (size_t)(p - h - 10), &r))
				return INFINITY;
			if (r < 1000)
				r = 1000;
		}
		return base * r / 5000.0;
	case HK_BCRYPT:
		if (h[4] < '0' || h[4] > '3' || h[5] < '0' || h[5] > '9' ||
		    h[6] != '$')
			return INFINITY;
		a = (h[4] - '0') * 10 + (h[5] - '0');
		if (a < 4 || a > 31)
			return INFINITY;
		return base * ldexp(1.0, (int)a - 5);
	case HK_YESCRYPT:
	case HK_GOST:
		/* $y$ flavor N_log2-1 r-1 $: one itoa64 char each. */
		p = h + (j->kind == HK_GOST ? 4 : 3);
		if (strlen(p) < 4 || p[3] != '$')
			return INFINITY;
		a = a64(p[0]);
		b = a64(p[1]);
		c = a64(p[2]);
		if (a < 0 || a > 47 || b < 0 || b > 29 || c < 0 || c > 47)
			return INFINITY;
		return base * ldexp((double)(c + 1), (int)b + 1) /
		       (32.0 * 4096.0);
	case HK_SCRYPT:
		/* $7$ N_log2 r(5) p(5) */
		if (strlen(h) < 14)
			return INFINITY;
		a = a64(h[3]);
		b = a64_num(h + 4, 5);
		c = a64_num(h + 9, 5);
		if (a < 1 || a > 40 || b < 1 || c < 1)
			return INFINITY;
		return base * ldexp((double)b * (double)c, (int)a) /
		       (16384.0 * 32.0);
	case HK_MOSQ7: return base + 2.0 * j->iter;
	default: return base;
	}
}

/* ------------------------------------------------------------------ */
/* Credentials found                                                   */
/* ------------------------------------------------------------------ */

/* Where a credential was seen, for the finding. */
struct loc {
	const struct sl_entry *e;
	uint64_t off;
	const char *excerpt; /* the line, cut so as not to split secret */
	const char *secret;  /* masked in the excerpt, or NULL */
};

/* One stored password, with who it belongs to. */
struct cred {
	struct loc at;
	const char *who;  /* "account 'root'", for titles */
	const char *note; /* appended to the title, or "" */
	enum hk kind;
	/*
	 * Findings that wait for the cracking: a weak scheme, and a second
	 * uid-0 account (uid0 is its passwd line).  Once the password is
	 * known, the cracked finding says it all (one cause, one finding).
	 */
	bool weak;
	const struct loc *uid0;
};

/* One line of passwd or shadow. */
struct pwent {
	struct pwent *next;
	struct loc at;
	const char *dir; /* the file's directory, "img:squashfs!/etc/" */
	bool backup;     /* passwd- or shadow- */
	const char *name, *pw, *shell;
	uint32_t uid;
	bool has_uid;
	bool expired; /* shadow: last change 0, change forced at login */
	bool used;    /* shadow: joined to a passwd line */
};

struct acc {
	struct sl_scan *s;
	struct pwent *pw, *sh; /* lists, in file order */
	size_t npw, nsh;
	struct pwent **pws, **shs; /* sorted by dir, backup, name */
	struct job *jobs, **jtail;
	size_t njobs;
	size_t ncreds;
	bool capped;
	const struct sl_entry **mosq_seen;
	size_t nmosq_seen, capmosq_seen;
	/* Sl_acc_each_cred: hand credentials here, add no finding. */
	Sl_fw_cred_fn collect;
	void *collect_user;
};

static const char REM_S102[] =
    " Evidence that makes S1.1-02 conformant is one of: (1) every unit "
    "gets its own random default password of at least 6 characters (show "
    "the provisioning step, and that the image holds no fixed password or "
    "hash), or (2) the device forces a change to a password of at least 8 "
    "characters at first start, before any other function is usable (show "
    "the first-start flow on every login path: web, SSH, telnet, MQTT, "
    "serial console).";

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

static const char *
rem(struct acc *a, const char *fix)
{
	const char *r = Sl_arena_printf(&a->s->arena, "%s%s", fix, REM_S102);

	return r ? r : fix;
}

/*
 * A printable copy of p[0..n) for titles and excerpts: bytes outside
 * printable ASCII become '.', and at most max bytes are kept.
 */
static char *
clean(struct acc *a, const char *p, size_t n, size_t max)
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
static bool
make_loc(struct acc *a, struct loc *l, const struct sl_entry *e, uint64_t off,
         const char *line, size_t n, const char *secret)
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

		sec = clean(a, secret, sl, ACC_MAX_LINE);
		if (sec == NULL)
			return false;
		ex = clean(a, line, n, ACC_MAX_LINE);
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
		ex = clean(a, line, n, cut);
		if (ex == NULL)
			return false;
	}
	l->excerpt = ex;
	l->secret = sec;
	return true;
}

/* Count one more credential; false (noted once) past the cap. */
static bool
room(struct acc *a)
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

static sl_rc
finding(struct acc *a, const char *id, enum sl_severity sev, const char *reqs,
        const struct loc *l, const char *title, const char *fix)
{
	if (a->collect != NULL)
		return SL_OK;
	if (title == NULL)
		return SL_E_NOMEM;
	return Sl_fw_finding(a->s, id, sev, reqs, l->e, l->off, l->excerpt,
	                     l->secret, title, rem(a, fix));
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
	c.scheme = schemes[kind].name;
	c.plaintext = kind == HK_PLAIN;
	c.excerpt = l->excerpt;
	c.secret = l->secret;
	return a->collect(a->s, &c, a->collect_user);
}

static sl_rc
plaintext(struct acc *a, const struct loc *l, const char *who, const char *user,
          const char *pw)
{
	bool dflt = *pw == 0 || on_list(pw) || (user && strcmp(pw, user) == 0);

	if (a->collect != NULL)
		return *pw != 0 ? collect(a, l, who, HK_PLAIN, pw) : SL_OK;

	/* High as specified, also for a default; the title tells which. */
	return finding(
	    a, "FW-PLAINTEXT-PASSWORD", SL_SEV_HIGH, "S1.1-02 S1.1-11", l,
	    Sl_arena_printf(&a->s->arena, "%s: password stored in plaintext%s",
	                    who,
	                    dflt ? ", and it is a well-known default or "
	                           "guessable password"
	                         : ""),
	    REM_PLAIN);
}

/*
 * A stored hash: report a weak scheme now, and queue the hash for
 * cracking (the finding comes after the pool has run).
 */
static sl_rc
weak_finding(struct acc *a, const struct loc *l, const char *who, enum hk kind)
{
	return finding(a, "FW-WEAK-HASH", SL_SEV_MEDIUM, "S1.1-11", l,
	               Sl_arena_printf(&a->s->arena,
	                               "%s: password hashed with %s", who,
	                               schemes[kind].name),
	               REM_WEAK);
}

static sl_rc
uid0_finding(struct acc *a, const struct loc *l, const char *who, enum hk k)
{
	bool locked = k == HK_LOCKED || k == HK_INVALID;

	/*
	 * Locked, it holds no credential: advice (a daemon dropping to it
	 * keeps root), not a breach of S1.1-02.
	 */
	return finding(
	    a, "FW-ACCOUNT-EXTRA-UID0", locked ? SL_SEV_LOW : SL_SEV_HIGH,
	    "S1.1-02", l,
	    Sl_arena_printf(&a->s->arena,
	                    "%s has uid 0 (root privileges) besides root%s",
	                    who, locked ? " (its password is locked)" : ""),
	    REM_UID0);
}

/*
 * A stored hash: queue it for cracking; the findings that depend on
 * whether it cracks (a weak scheme, a second uid-0 account: uid0, or
 * NULL) wait for the pool.  A hash that cannot be cracked gets them now.
 */
static sl_rc
hashed(struct acc *a, const struct loc *l, const char *who, const char *user,
       enum hk kind, const char *hash, const char *note, const struct loc *uid0)
{
	struct cred *c;
	struct job *j;
	sl_rc rc = SL_OK;

	/* Collecting: only values a password can match are credentials. */
	if (a->collect != NULL)
		return schemes[kind].crack ? collect(a, l, who, kind, hash)
		                           : SL_OK;
	if (!schemes[kind].crack) {
		if (schemes[kind].weak)
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
	c->weak = schemes[kind].weak;
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
	if (!job_decode(j)) {
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

struct lines {
	const uint8_t *d;
	size_t len, off;
	bool nul_sep; /* NUL ends a record too (NVRAM dumps) */
};

/*
 * The next line no longer than ACC_MAX_LINE, copied NUL-terminated into
 * buf (ACC_MAX_LINE + 1 bytes) without its CR/LF; *off receives its
 * offset and *n its length.  Longer lines, and lines holding a NUL when
 * NUL is not a separator, are skipped.  false at the end.
 */
static bool
next_line(struct lines *it, char *buf, uint64_t *off, size_t *n)
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
static size_t
split(char *s, char sep, char **f, size_t max)
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

static bool
is_text(const uint8_t *d, size_t len)
{
	return memchr(d, 0, len < 4096 ? len : 4096) == NULL;
}

static bool
too_big(struct acc *a, const struct sl_entry *e, size_t len)
{
	if (len <= ACC_MAX_FILE)
		return false;
	Sl_incomplete(a->s, "fw.accounts: %s: not checked: larger than %u MiB",
	              e->path, ACC_MAX_FILE >> 20);
	return true;
}

/* ------------------------------------------------------------------ */
/* passwd and shadow                                                   */
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

static const char *
base_of(const char *path)
{
	const char *b = strrchr(path, '/');

	return b ? b + 1 : path;
}

/*
 * Can an account with this shell get a session?  An empty shell means
 * /bin/sh (passwd(5)); false, nologin and the like do not.  Vendor CLIs
 * (/bin/cli, /usr/bin/clish) do.
 */
bool
Sl_acc_can_log_in(const char *shell)
{
	return !in_list(base_of(shell), no_login_shells);
}

/* Is this a general-purpose shell (not a vendor CLI or a no-login)? */
bool
Sl_acc_real_shell(const char *shell)
{
	return *shell == 0 || in_list(base_of(shell), real_shells);
}

static struct pwent *
new_pwent(struct acc *a, const struct sl_entry *e, uint64_t off,
          const char *line, size_t n, char **f)
{
	struct pwent *p = Sl_arena_alloc(&a->s->arena, sizeof(*p));
	const char *base = base_of(e->path);
	enum hk k = shadow_kind(f[1]);

	if (p == NULL)
		return NULL;
	p->dir =
	    Sl_arena_strndup(&a->s->arena, e->path, (size_t)(base - e->path));
	p->backup = backup_name(base);
	p->name = Sl_arena_strdup(&a->s->arena, f[0]);
	p->pw = Sl_arena_strdup(&a->s->arena, f[1]);
	if (p->dir == NULL || p->name == NULL || p->pw == NULL ||
	    !make_loc(a, &p->at, e, off, line, n,
	              schemes[k].crack ? f[1] : NULL))
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

static sl_rc
read_passwd(struct sl_scan *s, const struct sl_entry *e, const uint8_t *d,
            size_t len, void *user)
{
	struct acc *a = user;
	struct lines it = {d, len, 0, false};
	char buf[ACC_MAX_LINE + 1], line[ACC_MAX_LINE + 1], *f[8];
	uint64_t off;
	size_t n;

	(void)s;
	if (too_big(a, e, len) || !is_text(d, len))
		return SL_OK;
	while (next_line(&it, buf, &off, &n)) {
		struct pwent *p;

		memcpy(line, buf, n + 1);
		/* name:password:uid:gid:gecos:home:shell */
		if (buf[0] == '#' || split(buf, ':', f, 7) != 7 ||
		    !good_name(f[0]) || strlen(f[1]) > ACC_MAX_HASH)
			continue;
		if (!room(a))
			return SL_OK;
		p = new_pwent(a, e, off, line, n, f);
		if (p == NULL)
			return SL_E_NOMEM;
		p->has_uid = parse_u32(f[2], strlen(f[2]), &p->uid);
		p->shell = Sl_arena_strndup(&a->s->arena, f[6], ACC_MAX_NAME);
		if (p->shell == NULL)
			return SL_E_NOMEM;
		p->next = a->pw;
		a->pw = p;
		a->npw++;
	}
	return SL_OK;
}

static sl_rc
read_shadow(struct sl_scan *s, const struct sl_entry *e, const uint8_t *d,
            size_t len, void *user)
{
	struct acc *a = user;
	struct lines it = {d, len, 0, false};
	char buf[ACC_MAX_LINE + 1], line[ACC_MAX_LINE + 1], *f[10];
	uint64_t off;
	size_t n, nf;

	(void)s;
	if (too_big(a, e, len) || !is_text(d, len))
		return SL_OK;
	while (next_line(&it, buf, &off, &n)) {
		struct pwent *p;

		memcpy(line, buf, n + 1);
		/* name:password:lastchg:min:max:warn:inactive:expire:res */
		nf = split(buf, ':', f, 9);
		if (buf[0] == '#' || nf < 2 || nf > 9 || !good_name(f[0]) ||
		    strlen(f[1]) > ACC_MAX_HASH)
			continue;
		if (!room(a))
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
	char *n = clean(a, name, strlen(name), 64);

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
	enum hk k = shadow_kind(pw);
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
	shell = clean(a, p->shell, strlen(p->shell), 64);
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
		rc = finding(a, "FW-ACCOUNT-EMPTY-PASSWORD", SL_SEV_CRITICAL,
		             "S1.1-02 S1.1-01", &w->at,
		             Sl_arena_printf(
		                 &a->s->arena,
		                 "%s has %s password and can log in "
		                 "(shell %s)%s%s%s",
		                 who, unset ? "no" : "an empty",
		                 *shell ? shell : "/bin/sh", unset ? unset : "",
		                 accept ? accept : "", expired),
		             REM_EMPTY);
	if (unset != NULL)
		return rc;
	extra0 = p->has_uid && p->uid == 0 && strcmp(p->name, "root") != 0;
	if (rc == SL_OK && p->has_uid && p->uid >= 1 && p->uid <= 999 &&
	    Sl_acc_real_shell(p->shell) && schemes[k].crack)
		rc = finding(
		    a, "FW-ACCOUNT-SERVICE-SHELL", SL_SEV_MEDIUM, "S1.1-02",
		    &p->at,
		    Sl_arena_printf(&a->s->arena,
		                    "service %s (uid %u) has a login shell "
		                    "(%s) and a password",
		                    who, (unsigned)p->uid,
		                    *shell ? shell : "/bin/sh"),
		    REM_SERVICE);
	if (rc == SL_OK)
		rc = hashed(a, &w->at, who, p->name, k, pw, expired,
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
	return hashed(a, &s->at, who, s->name, shadow_kind(s->pw), s->pw, NULL,
	              NULL);
}

static sl_rc
check_accounts(struct acc *a)
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
	case UF_HTPASSWD: k = htpasswd_kind(pw); break;
	case UF_MOSQ: k = mosq_kind(pw); break;
	default:
		/* "*" means the system password of that user. */
		if (strcmp(pw, "*") == 0)
			return SL_OK;
		k = strncmp(pw, "$1$", 3) == 0 ? HK_MD5 : HK_PLAIN;
		break;
	}
	if (k == HK_EMPTY || k == HK_INVALID || !room(a))
		return SL_OK;
	cn = clean(a, name, strlen(name), 64);
	if (cn == NULL || !make_loc(a, &l, e, off, line, n, pw))
		return SL_E_NOMEM;
	who = Sl_arena_printf(&a->s->arena, "%s '%s'", what[uf], cn);
	if (who == NULL)
		return SL_E_NOMEM;
	if (k == HK_PLAIN)
		return plaintext(a, &l, who, name, pw);
	return hashed(a, &l, who, name, k, pw, NULL, NULL);
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

	if (too_big(a, e, len) || !is_text(d, len))
		return SL_OK;
	while (rc == SL_OK && next_line(&it, buf, &off, &n)) {
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

static sl_rc
read_htpasswd(struct sl_scan *s, const struct sl_entry *e, const uint8_t *d,
              size_t len, void *user)
{
	(void)s;
	return read_userfile(user, e, d, len, UF_HTPASSWD);
}

static sl_rc
read_httpd_conf(struct sl_scan *s, const struct sl_entry *e, const uint8_t *d,
                size_t len, void *user)
{
	(void)s;
	return read_userfile(user, e, d, len, UF_HTTPD);
}

/* Read a mosquitto password file once, however it was found. */
static sl_rc
read_mosq_passwd(struct sl_scan *s, const struct sl_entry *e, const uint8_t *d,
                 size_t len, void *user)
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
static sl_rc
read_mosq_conf(struct sl_scan *s, const struct sl_entry *e, const uint8_t *d,
               size_t len, void *user)
{
	struct acc *a = user;
	struct lines it = {d, len, 0, false};
	char buf[ACC_MAX_LINE + 1];
	const char *paths[16];
	size_t npaths = 0, i, n;
	uint64_t off;
	sl_rc rc = SL_OK;

	if (too_big(a, e, len) || !is_text(d, len))
		return SL_OK;
	/* Collect first: reading another file invalidates d. */
	while (npaths < SL_ARRAY_LEN(paths) && next_line(&it, buf, &off, &n)) {
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
			    (size_t)(base_of(e->path) - e->path));
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
		if (sl_tree_read(s, pe, &pd, &pl) != SL_OK) {
			Sl_incomplete(s, "%s: not checked: %s", pe->path,
			              sl_scan_error(s));
			continue;
		}
		rc = read_mosq_passwd(s, pe, pd, pl, a);
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
	enum hk k = crypt_kind(val);
	struct loc l;
	const char *who, *ck;

	if (*val == 0 || strlen(val) > ACC_MAX_HASH ||
	    strncmp(val, "$p$", 3) == 0 || strchr(val, '%') || !room(a))
		return SL_OK;
	if (k == HK_CRYPT || k == HK_DES || k == HK_BSDI)
		k = HK_PLAIN; /* too easily a password that looks like one */
	if (k == HK_INVALID)
		k = HK_PLAIN;
	ck = clean(a, key, strlen(key), 64);
	if (ck == NULL || !make_loc(a, &l, e, off, line, n, val))
		return SL_E_NOMEM;
	if (user != NULL) {
		const char *cu = clean(a, user, strlen(user), 64);

		who = cu ? Sl_arena_printf(&a->s->arena, "%s '%s' (user '%s')",
		                           what, ck, cu)
		         : NULL;
	} else {
		who = Sl_arena_printf(&a->s->arena, "%s '%s'", what, ck);
	}
	if (who == NULL)
		return SL_E_NOMEM;
	if (k == HK_PLAIN)
		return plaintext(a, &l, who, user, val);
	return hashed(a, &l, who, user, k, val, NULL, NULL);
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
static sl_rc
read_uci(struct sl_scan *s, const struct sl_entry *e, const uint8_t *d,
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
	if (pkg == NULL || too_big(a, e, len) || !is_text(d, len))
		return SL_OK;
	while (rc == SL_OK && next_line(&it, buf, &off, &n)) {
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
static sl_rc
read_nvram(struct sl_scan *s, const struct sl_entry *e, const uint8_t *d,
           size_t len, void *user)
{
	struct acc *a = user;
	struct lines it = {d, len, 0, true};
	char buf[ACC_MAX_LINE + 1], line[ACC_MAX_LINE + 1];
	uint64_t off;
	size_t n, i;
	sl_rc rc = SL_OK;

	(void)s;
	if (too_big(a, e, len) || (len >= 4 && memcmp(d, "\177ELF", 4) == 0))
		return SL_OK; /* the nvram tool itself */
	while (rc == SL_OK && next_line(&it, buf, &off, &n)) {
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
/* Cracking                                                            */
/* ------------------------------------------------------------------ */

static const char *
candidate(const struct job *j, size_t i)
{
	if (i == 0)
		return "";
	if (i == 1)
		return j->user;
	return Sl_default_passwords[i - 2];
}

/*
 * Apache's MD5 crypt (the FreeBSD md5crypt with magic "$apr1$"), which
 * libcrypt does not implement.  out receives "$apr1$salt$hash".
 */
static bool
apr1(EVP_MD_CTX *m, const char *pw, const uint8_t *salt, size_t nsalt,
     char out[64])
{
	static const char magic[] = "$apr1$";
	const EVP_MD *md5 = EVP_md5();
	uint8_t fin[16];
	size_t pl = strlen(pw), i;
	unsigned int fl;
	char *o;
	uint32_t v;
	static const uint8_t perm[5][3] = {
	    {0, 6, 12}, {1, 7, 13}, {2, 8, 14}, {3, 9, 15}, {4, 10, 5},
	};

	/* alt = MD5(pw salt pw) */
	if (!EVP_DigestInit_ex(m, md5, NULL))
		return false;
	EVP_DigestUpdate(m, pw, pl);
	EVP_DigestUpdate(m, salt, nsalt);
	EVP_DigestUpdate(m, pw, pl);
	EVP_DigestFinal_ex(m, fin, &fl);
	/* MD5(pw magic salt, alt repeated to len(pw), one byte per bit) */
	EVP_DigestInit_ex(m, md5, NULL);
	EVP_DigestUpdate(m, pw, pl);
	EVP_DigestUpdate(m, magic, 6);
	EVP_DigestUpdate(m, salt, nsalt);
	for (i = pl; i > 0; i -= i > 16 ? 16 : i)
		EVP_DigestUpdate(m, fin, i > 16 ? 16 : i);
	for (i = pl; i != 0; i >>= 1)
		EVP_DigestUpdate(m, (i & 1) ? "" : pw, 1);
	EVP_DigestFinal_ex(m, fin, &fl);
	for (i = 0; i < 1000; i++) {
		EVP_DigestInit_ex(m, md5, NULL);
		if (i & 1)
			EVP_DigestUpdate(m, pw, pl);
		else
			EVP_DigestUpdate(m, fin, 16);
		if (i % 3)
			EVP_DigestUpdate(m, salt, nsalt);
		if (i % 7)
			EVP_DigestUpdate(m, pw, pl);
		if (i & 1)
			EVP_DigestUpdate(m, fin, 16);
		else
			EVP_DigestUpdate(m, pw, pl);
		if (!EVP_DigestFinal_ex(m, fin, &fl))
			return false;
	}
	memcpy(out, magic, 6);
	memcpy(out + 6, salt, nsalt);
	o = out + 6 + nsalt;
	*o++ = '$';
	for (i = 0; i < 5; i++) {
		size_t k;

		v = (uint32_t)fin[perm[i][0]] << 16 |
		    (uint32_t)fin[perm[i][1]] << 8 | fin[perm[i][2]];
		for (k = 0; k < 4; k++, v >>= 6)
			*o++ = itoa64[v & 0x3f];
	}
	v = fin[11];
	for (i = 0; i < 2; i++, v >>= 6)
		*o++ = itoa64[v & 0x3f];
	*o = 0;
	return true;
}

/* Per-thread scratch. */
struct tctx {
	struct crypt_data *cd;
	EVP_MD_CTX *md;
};

/* Does pw match the job's hash?  Sets j->bad when libcrypt refuses the hash. */
static bool
try_one(struct job *j, const char *pw, struct tctx *t)
{
	uint8_t out[64];
	char buf[64];
	const char *r;
	unsigned int ol;

	switch (j->kind) {
	case HK_APR1:
		return t->md && apr1(t->md, pw, j->salt, j->nsalt, buf) &&
		       strcmp(buf, j->hash) == 0;
	case HK_SSHA1:
		return EVP_Digest(pw, strlen(pw), out, &ol, EVP_sha1(), NULL) &&
		       ol == 20 && memcmp(out, j->dig, 20) == 0;
	case HK_MOSQ6:
		if (t->md == NULL ||
		    !EVP_DigestInit_ex(t->md, EVP_sha512(), NULL) ||
		    !EVP_DigestUpdate(t->md, pw, strlen(pw)) ||
		    !EVP_DigestUpdate(t->md, j->salt, j->nsalt) ||
		    !EVP_DigestFinal_ex(t->md, out, &ol))
			return false;
		return memcmp(out, j->dig, 64) == 0;
	case HK_MOSQ7:
		return PKCS5_PBKDF2_HMAC(pw, (int)strlen(pw), j->salt,
		                         (int)j->nsalt, (int)j->iter,
		                         EVP_sha512(), (int)j->ndig,
		                         out) == 1 &&
		       memcmp(out, j->dig, j->ndig) == 0;
	default:
		r = crypt_rn(pw, j->hash, t->cd, (int)sizeof(*t->cd));
		if (r == NULL || r[0] == '*') {
			/*
			 * Every scheme takes the empty phrase, so refusing it
			 * means refusing the hash.  Refusing another phrase
			 * (some schemes reject 8-bit bytes) is no match.
			 */
			if (*pw == 0)
				atomic_store(&j->bad, true);
			return false;
		}
		return strcmp(r, j->hash) == 0;
	}
}

/* A queue unit: candidates [from, to) of one job. */
struct unit {
	struct job *j;
	uint32_t from, to;
};

struct pool {
	struct unit *u;
	size_t n;
	atomic_size_t next;
};

struct worker_arg {
	struct pool *p;
	struct tctx t;
};

static void *
worker(void *arg)
{
	struct worker_arg *w = arg;
	struct pool *p = w->p;
	size_t k;

	while ((k = atomic_fetch_add(&p->next, 1)) < p->n) {
		struct unit *u = &p->u[k];
		uint32_t i;

		for (i = u->from; i < u->to; i++) {
			if (atomic_load(&u->j->hit) >= 0 ||
			    atomic_load(&u->j->bad))
				break;
			if (try_one(u->j, candidate(u->j, i), &w->t)) {
				atomic_store(&u->j->hit, (long)i);
				break;
			}
		}
	}
	return NULL;
}

static int
job_cmp(const void *x, const void *y)
{
	const struct job *p = *(const struct job *const *)x;
	const struct job *q = *(const struct job *const *)y;
	int c = strcmp(p->hash, q->hash);

	if (c == 0)
		c = strcmp(p->user, q->user);
	if (c == 0)
		c = (int)p->kind - (int)q->kind;
	if (c == 0)
		c = p->seq < q->seq ? -1 : p->seq > q->seq;
	return c;
}

/* Point each job at the first earlier job with the same hash and user. */
static sl_rc
dedupe(struct acc *a)
{
	struct job **v, *j;
	size_t i = 0;

	if (a->njobs == 0)
		return SL_OK;
	v = Sl_arena_alloc(&a->s->arena, a->njobs * sizeof(*v));
	if (v == NULL)
		return SL_E_NOMEM;
	for (j = a->jobs; j != NULL; j = j->next)
		v[i++] = j;
	qsort(v, a->njobs, sizeof(*v), job_cmp);
	for (i = 1; i < a->njobs; i++)
		if (strcmp(v[i]->hash, v[i - 1]->hash) == 0 &&
		    strcmp(v[i]->user, v[i - 1]->user) == 0 &&
		    v[i]->kind == v[i - 1]->kind)
			v[i]->same = v[i - 1]->same ? v[i - 1]->same : v[i - 1];
	return SL_OK;
}

/*
 * Decide how many candidates each hash gets, from the estimated cost
 * alone, so that the same image always gets the same work.  Returns the
 * number of queue units.  The cuts are noted after cracking, and only for
 * hashes that were not cracked anyway.
 */
static size_t
plan(struct acc *a)
{
	double left = ACC_TOTAL_BUDGET_US;
	size_t units = 0;
	struct job *j;

	for (j = a->jobs; j != NULL; j = j->next) {
		size_t n = ACC_NCAND, chunk;

		if (j->same != NULL)
			continue;
		j->cost = job_cost(j);
		if (!(j->cost <= ACC_MAX_GUESS_US)) {
			j->too_slow = true;
			j->ntry = 0;
			continue;
		}
		if (j->cost * (double)n > ACC_HASH_BUDGET_US) {
			n = (size_t)(ACC_HASH_BUDGET_US / j->cost);
			if (n < ACC_MIN_SLOW)
				n = ACC_MIN_SLOW;
		}
		if (j->cost * (double)n > left) {
			n = (size_t)(left / j->cost);
			if (n < 2)
				n = 0;
		}
		left -= j->cost * (double)n;
		j->ntry = n;
		chunk = (size_t)(ACC_UNIT_US / j->cost);
		chunk = chunk < 1 ? 1 : chunk > 256 ? 256 : chunk;
		units += (n + chunk - 1) / chunk;
	}
	return units;
}

static unsigned
nthreads(const struct sl_scan *s, size_t units)
{
	long n = Sl_limits(s)->threads ? (long)Sl_limits(s)->threads
	                               : sysconf(_SC_NPROCESSORS_ONLN);

	if (n < 1)
		n = 1;
	if (n > ACC_MAX_THREADS)
		n = ACC_MAX_THREADS;
	if ((size_t)n > units)
		n = (long)units;
	return (unsigned)n;
}

static sl_rc
crack(struct acc *a)
{
	struct pool p;
	struct worker_arg w[ACC_MAX_THREADS];
	pthread_t th[ACC_MAX_THREADS];
	struct job *j;
	size_t k = 0;
	unsigned i, nt, started;
	sl_rc rc = dedupe(a);

	if (rc != SL_OK)
		return rc;
	p.n = plan(a);
	if (p.n == 0)
		return SL_OK;
	p.u = Sl_arena_alloc(&a->s->arena, p.n * sizeof(*p.u));
	if (p.u == NULL)
		return SL_E_NOMEM;
	atomic_init(&p.next, 0);
	for (j = a->jobs; j != NULL; j = j->next) {
		size_t chunk, from;

		if (j->same != NULL || j->ntry == 0)
			continue;
		chunk = (size_t)(ACC_UNIT_US / j->cost);
		chunk = chunk < 1 ? 1 : chunk > 256 ? 256 : chunk;
		for (from = 0; from < j->ntry && k < p.n; from += chunk) {
			p.u[k].j = j;
			p.u[k].from = (uint32_t)from;
			p.u[k].to =
			    (uint32_t)(from + chunk < j->ntry ? from + chunk
			                                      : j->ntry);
			k++;
		}
	}
	nt = nthreads(a->s, p.n);
	for (i = 0; i < nt; i++) {
		w[i].p = &p;
		w[i].t.cd = Sl_arena_alloc(&a->s->arena, sizeof(*w[i].t.cd));
		w[i].t.md = EVP_MD_CTX_new();
		if (w[i].t.cd == NULL) {
			EVP_MD_CTX_free(w[i].t.md);
			nt = i;
			break;
		}
	}
	if (nt == 0)
		return SL_E_NOMEM;
	for (started = 0; started < nt; started++)
		if (pthread_create(&th[started], NULL, worker, &w[started]) !=
		    0)
			break;
	if (started == 0)
		worker(&w[0]);
	for (i = 0; i < started; i++)
		pthread_join(th[i], NULL);
	for (i = 0; i < nt; i++)
		EVP_MD_CTX_free(w[i].t.md);
	return SL_OK;
}

/* Note, up to ACC_MAX_NOTES times per kind, why a hash was not cracked. */
static void
note_cut(struct acc *a, const struct job *j, size_t n[4])
{
	const char *path = j->c->at.e->path, *sch = schemes[j->kind].name;

	if (atomic_load(&j->bad)) {
		if (n[0]++ < ACC_MAX_NOTES)
			Sl_incomplete(a->s,
			              "fw.accounts: %s: %s: hash scheme not "
			              "supported by libcrypt; not tried",
			              path, j->c->who);
	} else if (j->too_slow) {
		if (n[1]++ < ACC_MAX_NOTES)
			Sl_incomplete(a->s,
			              "fw.accounts: %s: %s: %s hash not "
			              "tried: its parameters make one guess "
			              "too slow",
			              path, j->c->who, sch);
	} else if (j->ntry == 0) {
		if (n[2]++ < ACC_MAX_NOTES)
			Sl_incomplete(a->s,
			              "fw.accounts: %s: %s: %s hash not "
			              "tried: the scan's cracking budget was "
			              "spent",
			              path, j->c->who, sch);
	} else if (j->ntry < ACC_NCAND) {
		if (n[3]++ < ACC_MAX_NOTES)
			Sl_incomplete(a->s,
			              "fw.accounts: %s: %s: slow %s hash "
			              "tried against the first %zu of %zu "
			              "candidate passwords only (bounded work)",
			              path, j->c->who, sch, j->ntry,
			              (size_t)ACC_NCAND);
	}
}

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
			rc = finding(
			    a, "FW-SHADOW-DEFAULT-PASSWORD", SL_SEV_CRITICAL,
			    "S1.1-02", &j->c->at,
			    Sl_arena_printf(&a->s->arena,
			                    "%s%s: password is a well-known "
			                    "default or guessable (%s hash "
			                    "cracked)%s",
			                    j->c->who,
			                    j->c->uid0 ? " (uid 0 besides root)"
			                               : "",
			                    schemes[j->kind].name, j->c->note),
			    REM_DEFAULT);
			continue;
		}
		if (r == j)
			note_cut(a, j, n);
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
/* Hash lines inside programs and scripts                              */
/* ------------------------------------------------------------------ */

/* Account lines ("name:$6$...") found in one file, at most. */
#define ACC_MAX_EMBEDDED 8

static const char *const prog_files[] = {
    "bin/*",        "sbin/*",     "usr/bin/*",     "usr/sbin/*",
    "*/bin/*",      "*/sbin/*",   "www/cgi-bin/*", "usr/lib/cgi-bin/*",
    "etc/init.d/*", "etc/rc.d/*", "etc/rc.local",  NULL,
};

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
static sl_rc
read_program(struct sl_scan *s, const struct sl_entry *e, const uint8_t *d,
             size_t len, void *user)
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
		k = crypt_kind(hash);
		if (!schemes[k].crack || k == HK_DES || k == HK_BSDI ||
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
		if (!room(a))
			return SL_OK;
		who = Sl_arena_printf(&a->s->arena, "account '%s'", name);
		if (who == NULL || !make_loc(a, &l, e, b, line, h - b, hash))
			return SL_E_NOMEM;
		rc = hashed(a, &l, who, name, k, hash,
		            is_text(d, len) ? " (in a script)"
		                            : " (in a program's data)",
		            NULL);
		found++;
		i = h;
	}
	return rc;
}

/* ------------------------------------------------------------------ */
/* Entry points for the unit test                                      */
/* ------------------------------------------------------------------ */

static enum hk
any_kind(const char *stored, int mosquitto)
{
	enum hk k;

	if (mosquitto)
		return mosq_kind(stored);
	k = htpasswd_kind(stored);
	return k == HK_PLAIN ? HK_INVALID : k;
}

/*
 * Check one password against one stored hash, as the pool would: 1 on a
 * match, 0 on none, -1 when the hash is not one starlab can test.
 * mosquitto selects that file's meaning of $6$ and $7$.
 */
int
Sl_acc_verify(const char *stored, int mosquitto, const char *pw)
{
	struct job j;
	struct tctx t;
	int r;

	memset(&j, 0, sizeof(j));
	j.kind = any_kind(stored, mosquitto);
	j.hash = stored;
	j.user = "";
	atomic_init(&j.hit, -1);
	atomic_init(&j.bad, false);
	if (!schemes[j.kind].crack || !job_decode(&j) ||
	    !(job_cost(&j) <= ACC_MAX_GUESS_US))
		return -1;
	t.cd = calloc(1, sizeof(*t.cd));
	t.md = EVP_MD_CTX_new();
	if (t.cd == NULL || t.md == NULL) {
		free(t.cd);
		EVP_MD_CTX_free(t.md);
		return -1;
	}
	r = try_one(&j, pw, &t) ? 1 : 0;
	if (r == 0) {
		/* The empty phrase tells a refused hash from a miss. */
		(void)try_one(&j, "", &t);
		if (atomic_load(&j.bad))
			r = -1;
	}
	free(t.cd);
	EVP_MD_CTX_free(t.md);
	return r;
}

/* Estimated microseconds per guess (INFINITY: never tried). */
double
Sl_acc_guess_cost(const char *stored, int mosquitto)
{
	struct job j;

	memset(&j, 0, sizeof(j));
	j.kind = any_kind(stored, mosquitto);
	j.hash = stored;
	if (!schemes[j.kind].crack || !job_decode(&j))
		return INFINITY;
	return job_cost(&j);
}

/* The scheme's name as reports spell it. */
const char *
Sl_acc_scheme(const char *stored, int mosquitto)
{
	return schemes[any_kind(stored, mosquitto)].name;
}

/* ------------------------------------------------------------------ */
/* The check                                                           */
/* ------------------------------------------------------------------ */

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

	rc = Sl_each_file_any(s, passwd_files, read_passwd, a);
	if (rc == SL_OK)
		rc = Sl_each_file_any(s, shadow_files, read_shadow, a);
	if (rc == SL_OK)
		rc = check_accounts(a);
	if (rc == SL_OK)
		rc = Sl_each_file_any(s, htpasswd_files, read_htpasswd, a);
	if (rc == SL_OK)
		rc = Sl_each_file_any(s, httpd_files, read_httpd_conf, a);
	if (rc == SL_OK)
		rc = Sl_each_file_any(s, mosq_conf_files, read_mosq_conf, a);
	if (rc == SL_OK)
		rc = Sl_each_file_any(s, mosq_pw_files, read_mosq_passwd, a);
	if (rc == SL_OK)
		rc = Sl_each_file_any(s, uci_files, read_uci, a);
	if (rc == SL_OK)
		rc = Sl_each_file_any(s, nvram_files, read_nvram, a);
	if (rc == SL_OK)
		rc = Sl_each_file_any(s, prog_files, read_program, a);
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
		rc = crack(&a);
	if (rc == SL_OK)
		rc = report_cracked(&a);
	if (rc == SL_E_NOMEM)
		return Sl_fail(s, rc, "fw.accounts: out of memory");
	return rc;
}

const struct Sl_check Sl_check_accounts = {
    .id = "fw.accounts",
    .title = "Accounts and stored passwords: defaults, empty, plaintext",
    .covers = {"S1.1-02", NULL},
    .source = SL_SRC_FIRMWARE,
    .run = accounts_run,
};
