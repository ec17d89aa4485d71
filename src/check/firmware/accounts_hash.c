/*
 * accounts_hash.c - the hash schemes of fw.accounts (accounts.h): which
 * scheme a stored value is, what a guess against it needs decoded, and
 * what one guess is estimated to cost, from the hash's own parameters
 * only (so that two runs give the same report).
 *
 * UNTRUSTED: every hash comes from the image; a malformed one is "not a
 * valid hash", never a crash.
 */
#include <math.h>
#include <stdlib.h>

#include "accounts.h"

/* ------------------------------------------------------------------ */
/* Hash schemes                                                        */
/* ------------------------------------------------------------------ */

const struct scheme Sl_acc_schemes[] = {
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

const char Sl_acc_itoa64[] =
    "./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

static int
a64(char c)
{
	const char *p = c ? strchr(Sl_acc_itoa64, c) : NULL;

	return p ? (int)(p - Sl_acc_itoa64) : -1;
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
enum hk
Sl_acc_crypt_kind(const char *h)
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
enum hk
Sl_acc_shadow_kind(const char *h)
{
	if (*h == 0)
		return HK_EMPTY;
	if (*h == '!' || *h == '*')
		return HK_LOCKED;
	return Sl_acc_crypt_kind(h);
}

/* The scheme of a mosquitto password file's hash field. */
enum hk
Sl_acc_mosq_kind(const char *h)
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
enum hk
Sl_acc_htpasswd_kind(const char *h)
{
	enum hk k;

	if (*h == 0)
		return HK_EMPTY;
	if (strncmp(h, "{SHA}", 5) == 0)
		return HK_SSHA1;
	k = Sl_acc_crypt_kind(h);
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
bool
Sl_acc_parse_u32(const char *p, size_t n, uint32_t *v)
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

/*
 * UNTRUSTED: the hash comes from the image.  Decode what the schemes we
 * compute ourselves need; false when the string is malformed.
 */
bool
Sl_acc_job_decode(struct job *j)
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
			    !Sl_acc_parse_u32(p, (size_t)(q - p), &j->iter) ||
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

/* Decode n Sl_acc_itoa64 chars, least significant first (crypt's encoding). */
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
double
Sl_acc_job_cost(const struct job *j)
{
	const char *h = j->hash, *p;
	double base = Sl_acc_schemes[j->kind].cost;
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
			    !Sl_acc_parse_u32(h + 10, (size_t)(p - h - 10), &r))
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
		/* $y$ flavor N_log2-1 r-1 $: one Sl_acc_itoa64 char each. */
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
