/*
 * accounts_crack.c - the cracker of fw.accounts (accounts.h): every
 * queued hash is tried against the empty password, the account's own
 * name and the built-in default-password list, on a pool of threads
 * (one crypt_data and one digest context each), within budgets fixed by
 * each hash's estimated cost (accounts_hash.c), never by a timer.  Also
 * the entry points of tests/unit/test_accounts.c.
 */
#include <crypt.h>
#include <math.h>
#include <openssl/evp.h>
#include <stdlib.h>
#include <unistd.h>

#include "accounts.h"

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
			*o++ = Sl_acc_itoa64[v & 0x3f];
	}
	v = fin[11];
	for (i = 0; i < 2; i++, v >>= 6)
		*o++ = Sl_acc_itoa64[v & 0x3f];
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
		j->cost = Sl_acc_job_cost(j);
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

sl_rc
Sl_acc_crack(struct acc *a)
{
	struct pool p;
	struct worker_arg w[ACC_MAX_THREADS];
	struct job *j;
	size_t k = 0;
	unsigned i, nt;
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
	nt = Sl_pool_size(Sl_limits(a->s)->threads, ACC_MAX_THREADS, p.n);
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
	(void)Sl_pool_run_each(nt, worker, w, sizeof(w[0]));
	for (i = 0; i < nt; i++)
		EVP_MD_CTX_free(w[i].t.md);
	return SL_OK;
}

/* Note, up to ACC_MAX_NOTES times per kind, why a hash was not cracked. */
void
Sl_acc_note_cut(struct acc *a, const struct job *j, size_t n[4])
{
	const char *path = j->c->at.e->path,
	           *sch = Sl_acc_schemes[j->kind].name;

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

/* ------------------------------------------------------------------ */
/* Entry points for the unit test                                      */
/* ------------------------------------------------------------------ */

static enum hk
any_kind(const char *stored, int mosquitto)
{
	enum hk k;

	if (mosquitto)
		return Sl_acc_mosq_kind(stored);
	k = Sl_acc_htpasswd_kind(stored);
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
	if (!Sl_acc_schemes[j.kind].crack || !Sl_acc_job_decode(&j) ||
	    !(Sl_acc_job_cost(&j) <= ACC_MAX_GUESS_US))
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
	if (!Sl_acc_schemes[j.kind].crack || !Sl_acc_job_decode(&j))
		return INFINITY;
	return Sl_acc_job_cost(&j);
}

/* The scheme's name as reports spell it. */
const char *
Sl_acc_scheme(const char *stored, int mosquitto)
{
	return Sl_acc_schemes[any_kind(stored, mosquitto)].name;
}
