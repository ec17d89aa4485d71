/*
 * accounts.h - what the files of the check fw.accounts share (internal
 * to it; no other check includes this).
 *
 *   accounts.c         the check: findings, the run, the credentials found
 *   accounts_hash.c    hash schemes: recognising, decoding, pricing a hash
 *   accounts_crack.c   the cracker: a pool of threads trying candidates
 *   accounts_passwd.c  passwd and shadow, joined by account name
 *   accounts_files.c   the other credential files: htpasswd, mosquitto,
 *                      BusyBox httpd.conf, UCI, NVRAM, hash lines in
 *                      programs and scripts
 *
 * The bounds below hold for all of them: see accounts.c.
 */
#ifndef SL_ACCOUNTS_H
#define SL_ACCOUNTS_H

#include <stdatomic.h>

#include "../check.h"
#include "../../catalogue/default_passwords.h"
#include "firmware.h"

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
 * Internal entry points, also declared in tests/unit/test_accounts.c.
 */
int Sl_acc_verify(const char *stored, int mosquitto, const char *pw);
double Sl_acc_guess_cost(const char *stored, int mosquitto);
const char *Sl_acc_scheme(const char *stored, int mosquitto);
bool Sl_acc_password_key(const char *key);
bool Sl_acc_can_log_in(const char *shell);
bool Sl_acc_real_shell(const char *shell);

/* ------------------------------------------------------------------ */
/* Hash schemes (accounts_hash.c)                                      */
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

/* Indexed by enum hk. */
extern const struct scheme Sl_acc_schemes[];
/* crypt(3)'s alphabet of 64 characters. */
extern const char Sl_acc_itoa64[];

/* The scheme of a crypt(3) string, or HK_INVALID. */
enum hk Sl_acc_crypt_kind(const char *h);
/* The scheme of a password field of passwd or shadow. */
enum hk Sl_acc_shadow_kind(const char *h);
/* The scheme of a mosquitto password file's hash field. */
enum hk Sl_acc_mosq_kind(const char *h);
/* The scheme of an htpasswd hash field. */
enum hk Sl_acc_htpasswd_kind(const char *h);
/* Parse a decimal number of at most 10 digits into *v; false if bad. */
bool Sl_acc_parse_u32(const char *p, size_t n, uint32_t *v);

struct cred;

/* One hash to crack. */
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

/* Decode what j->kind needs from j->hash; false when malformed. */
bool Sl_acc_job_decode(struct job *j);
/* Estimated microseconds per guess (INFINITY: never tried). */
double Sl_acc_job_cost(const struct job *j);

/* ------------------------------------------------------------------ */
/* Credentials found (accounts.c)                                      */
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

/* The kinds of finding of fw.accounts (accounts.c's table). */
enum acc_finding {
	ACC_F_EMPTY,       /* FW-ACCOUNT-EMPTY-PASSWORD */
	ACC_F_SERVICE,     /* FW-ACCOUNT-SERVICE-SHELL */
	ACC_F_PLAIN,       /* FW-PLAINTEXT-PASSWORD */
	ACC_F_WEAK,        /* FW-WEAK-HASH */
	ACC_F_UID0,        /* FW-ACCOUNT-EXTRA-UID0 */
	ACC_F_UID0_LOCKED, /* the same, its password locked */
	ACC_F_DEFAULT,     /* FW-SHADOW-DEFAULT-PASSWORD */
};

/*
 * Report a finding of kind k at l with its title (NULL: out of memory);
 * nothing when collecting for Sl_acc_each_cred.
 */
sl_rc Sl_acc_finding(struct acc *a, enum acc_finding k, const struct loc *l,
                     const char *title);
/* A printable copy of p[0..n), at most max bytes, from the arena. */
char *Sl_acc_clean(struct acc *a, const char *p, size_t n, size_t max);
/* The excerpt for a line and the secret it holds; false: no memory. */
bool Sl_acc_make_loc(struct acc *a, struct loc *l, const struct sl_entry *e,
                     uint64_t off, const char *line, size_t n,
                     const char *secret);
/* Count one more credential; false (noted once) past the cap. */
bool Sl_acc_room(struct acc *a);
/* A password stored in clear. */
sl_rc Sl_acc_plaintext(struct acc *a, const struct loc *l, const char *who,
                       const char *user, const char *pw);
/* A stored hash: queued for cracking, or its findings now. */
sl_rc Sl_acc_hashed(struct acc *a, const struct loc *l, const char *who,
                    const char *user, enum hk kind, const char *hash,
                    const char *note, const struct loc *uid0);

/* Lines of a text file. */
struct lines {
	const uint8_t *d;
	size_t len, off;
	bool nul_sep; /* NUL ends a record too (NVRAM dumps) */
};

bool Sl_acc_next_line(struct lines *it, char *buf, uint64_t *off, size_t *n);
size_t Sl_acc_split(char *s, char sep, char **f, size_t max);
bool Sl_acc_is_text(const uint8_t *d, size_t len);
bool Sl_acc_too_big(struct acc *a, const struct sl_entry *e, size_t len);

/* ------------------------------------------------------------------ */
/* Credential files (accounts_passwd.c, accounts_files.c)              */
/* ------------------------------------------------------------------ */

/* Sl_file_fn readers; user is the struct acc. */
sl_rc Sl_acc_read_passwd(struct sl_scan *s, const struct sl_entry *e,
                         const uint8_t *d, size_t len, void *user);
sl_rc Sl_acc_read_shadow(struct sl_scan *s, const struct sl_entry *e,
                         const uint8_t *d, size_t len, void *user);
/* Join what the two read and judge every account. */
sl_rc Sl_acc_check_accounts(struct acc *a);

sl_rc Sl_acc_read_htpasswd(struct sl_scan *s, const struct sl_entry *e,
                           const uint8_t *d, size_t len, void *user);
sl_rc Sl_acc_read_httpd_conf(struct sl_scan *s, const struct sl_entry *e,
                             const uint8_t *d, size_t len, void *user);
sl_rc Sl_acc_read_mosq_conf(struct sl_scan *s, const struct sl_entry *e,
                            const uint8_t *d, size_t len, void *user);
sl_rc Sl_acc_read_mosq_passwd(struct sl_scan *s, const struct sl_entry *e,
                              const uint8_t *d, size_t len, void *user);
sl_rc Sl_acc_read_uci(struct sl_scan *s, const struct sl_entry *e,
                      const uint8_t *d, size_t len, void *user);
sl_rc Sl_acc_read_nvram(struct sl_scan *s, const struct sl_entry *e,
                        const uint8_t *d, size_t len, void *user);
sl_rc Sl_acc_read_program(struct sl_scan *s, const struct sl_entry *e,
                          const uint8_t *d, size_t len, void *user);

/* ------------------------------------------------------------------ */
/* Cracking (accounts_crack.c)                                         */
/* ------------------------------------------------------------------ */

/* Try the candidates against every queued hash, within the budgets. */
sl_rc Sl_acc_crack(struct acc *a);
/* Note, up to ACC_MAX_NOTES times per kind, why a hash was not cracked. */
void Sl_acc_note_cut(struct acc *a, const struct job *j, size_t n[4]);

#endif
