/*
 * compare.c - universal secrets: the firmware of two units of the same
 * product compared (S1.1-02, S1.1-11).
 *
 * A password hash is salted per hashing, so two units whose firmware
 * holds the same hash for the same account were given the same password
 * at the factory: a universal default password, which S1.1-02 forbids
 * whatever the password is.  The same holds for a password kept in clear.
 * A private key (a TLS key, an SSH or Dropbear host key) found in both
 * images is shared by every unit, so whoever extracts it from one unit can
 * impersonate or decrypt all of them (S1.1-11).
 *
 * Findings, added to both scans, each with that scan's own evidence:
 *   - FW-UNIVERSAL-PASSWORD (high, S1.1-02): the same stored password
 *     (hash or plaintext) for the same account in both images.  The
 *     account is what fw.accounts calls it ("account 'root'", "htpasswd
 *     user 'admin'", "UCI option 'password'"), so the same hash under two
 *     different accounts does not count.  The excerpt masks the value.
 *   - FW-SHARED-PRIVATE-KEY (high, S1.1-11): an unencrypted private key
 *     with the same public key in both images (SubjectPublicKeyInfo for
 *     PEM/DER keys, the SSH public key blob for OpenSSH and Dropbear host
 *     keys; see firmware.h).  The excerpt names the key and its public
 *     fingerprint, never key bytes.
 *
 * Input: the credentials and keys come from fw.accounts and fw.keys,
 * which bound what they read (lines, counts, file sizes); here they are
 * sorted and matched, O(n log n) in their number, and each scan gets at
 * most CMP_MAX_FINDINGS findings of each id (the last one counts the
 * rest).
 */
#include <stdio.h>
#include <stdlib.h>

#include "firmware.h"

#define CMP_MAX_FINDINGS 200 /* per finding id and scan */

/* One credential kept for matching. */
struct ccred {
	const struct sl_entry *e;
	uint64_t off;
	const char *who, *stored, *scheme, *excerpt, *secret;
	bool plaintext;
	bool matched;
};

struct ckey {
	struct Sl_fw_key k;
	bool matched;
};

/* One side of the comparison. */
struct side {
	struct sl_scan *s;
	struct ccred *creds;
	size_t ncreds, capcreds;
	struct ckey *keys;
	size_t nkeys, capkeys;
};

static bool
grow(void **v, size_t *cap, size_t n, size_t size)
{
	return Sl_vec_grow(v, cap, n, size, 64);
}

static sl_rc
keep_cred(struct sl_scan *s, const struct Sl_fw_cred *c, void *user)
{
	struct side *sd = user;
	struct ccred *k;

	if (!grow((void **)&sd->creds, &sd->capcreds, sd->ncreds,
	          sizeof(*sd->creds)))
		return Sl_fail(s, SL_E_NOMEM, "compare: out of memory");
	k = &sd->creds[sd->ncreds];
	memset(k, 0, sizeof(*k));
	k->e = c->e;
	k->off = c->off;
	k->plaintext = c->plaintext;
	/* The callback's strings are transient: keep copies. */
	k->who = Sl_arena_strdup(&s->arena, c->who);
	k->stored = Sl_arena_strdup(&s->arena, c->stored);
	k->scheme = Sl_arena_strdup(&s->arena, c->scheme);
	k->excerpt = Sl_arena_strdup(&s->arena, c->excerpt ? c->excerpt : "");
	k->secret = c->secret ? Sl_arena_strdup(&s->arena, c->secret) : NULL;
	if (k->who == NULL || k->stored == NULL || k->scheme == NULL ||
	    k->excerpt == NULL || (c->secret != NULL && k->secret == NULL))
		return Sl_fail(s, SL_E_NOMEM, "compare: out of memory");
	sd->ncreds++;
	return SL_OK;
}

static sl_rc
keep_key(struct sl_scan *s, const struct Sl_fw_key *key, void *user)
{
	struct side *sd = user;

	if (!grow((void **)&sd->keys, &sd->capkeys, sd->nkeys,
	          sizeof(*sd->keys)))
		return Sl_fail(s, SL_E_NOMEM, "compare: out of memory");
	sd->keys[sd->nkeys].k = *key;
	sd->keys[sd->nkeys].matched = false;
	sd->nkeys++;
	return SL_OK;
}

static int
cred_cmp(const void *x, const void *y)
{
	const struct ccred *a = x, *b = y;
	int c = strcmp(a->who, b->who);

	if (c == 0)
		c = strcmp(a->stored, b->stored);
	if (c == 0)
		c = strcmp(a->e->path, b->e->path);
	if (c == 0 && a->off != b->off)
		c = a->off < b->off ? -1 : 1;
	return c;
}

/* Same account, same stored value. */
static int
cred_key_cmp(const struct ccred *a, const struct ccred *b)
{
	int c = strcmp(a->who, b->who);

	return c != 0 ? c : strcmp(a->stored, b->stored);
}

static int
key_cmp(const void *x, const void *y)
{
	const struct ckey *a = x, *b = y;
	int c = memcmp(a->k.fp, b->k.fp, 32);

	if (c == 0)
		c = strcmp(a->k.e->path, b->k.e->path);
	if (c == 0 && a->k.off != b->k.off)
		c = a->k.off < b->k.off ? -1 : 1;
	return c;
}

/*
 * Mark every element of both sorted arrays whose key the other array
 * holds too: one merge pass.
 */
static void
match_creds(struct side *a, struct side *b)
{
	size_t i = 0, j = 0;

	while (i < a->ncreds && j < b->ncreds) {
		int c = cred_key_cmp(&a->creds[i], &b->creds[j]);
		size_t i2, j2;

		if (c < 0) {
			i++;
			continue;
		}
		if (c > 0) {
			j++;
			continue;
		}
		for (i2 = i; i2 < a->ncreds &&
		             cred_key_cmp(&a->creds[i2], &b->creds[j]) == 0;
		     i2++)
			a->creds[i2].matched = true;
		for (j2 = j; j2 < b->ncreds &&
		             cred_key_cmp(&a->creds[i], &b->creds[j2]) == 0;
		     j2++)
			b->creds[j2].matched = true;
		i = i2;
		j = j2;
	}
}

static void
match_keys(struct side *a, struct side *b)
{
	size_t i = 0, j = 0;

	while (i < a->nkeys && j < b->nkeys) {
		int c = memcmp(a->keys[i].k.fp, b->keys[j].k.fp, 32);
		size_t i2, j2;

		if (c < 0) {
			i++;
			continue;
		}
		if (c > 0) {
			j++;
			continue;
		}
		for (i2 = i; i2 < a->nkeys &&
		             memcmp(a->keys[i2].k.fp, b->keys[j].k.fp, 32) == 0;
		     i2++)
			a->keys[i2].matched = true;
		for (j2 = j; j2 < b->nkeys &&
		             memcmp(a->keys[i].k.fp, b->keys[j2].k.fp, 32) == 0;
		     j2++)
			b->keys[j2].matched = true;
		i = i2;
		j = j2;
	}
}

/* What the comparison of two units' images reports (findings as data). */
enum { F_PASSWORD, F_KEY };
static const char *const compare_covers[] = {"S1.1-02", "S1.1-11", NULL};
static const struct Sl_finding_def findings[] = {
    [F_PASSWORD] = {"FW-UNIVERSAL-PASSWORD",
                    SL_SEV_HIGH,
                    {"S1.1-02"},
                    "The same password in the firmware of two units",
                    "Give every unit its own hard-to-guess password of at "
                    "least 6 characters at manufacture (S1.1-02 option 1), "
                    "or ship without a password and force the user to set "
                    "one of at least 8 characters before any network login "
                    "works (option 2).  Either way no two units' firmware "
                    "may hold the same password or hash."},
    [F_KEY] = {"FW-SHARED-PRIVATE-KEY",
               SL_SEV_HIGH,
               {"S1.1-11"},
               "The same private key in the firmware of two units",
               "Generate private keys on each unit (at first boot, or at "
               "manufacture into per-unit storage) instead of building "
               "them into the firmware image; keep them readable by the "
               "owning service only."},
    {NULL},
};
const struct Sl_finding_table Sl_findings_compare = {"compare", compare_covers,
                                                     findings};

static sl_rc
add(struct sl_scan *s, int kind, const struct sl_entry *e, uint64_t off,
    const char *excerpt, const char *secret, const char *title)
{
	if (title == NULL || excerpt == NULL)
		return Sl_fail(s, SL_E_NOMEM, "compare: out of memory");
	return Sl_report(s, &findings[kind],
	                 &(struct Sl_at){.e = e,
	                                 .off = off,
	                                 .excerpt = excerpt,
	                                 .secret = secret,
	                                 .title = title});
}

/* The findings of one side; other names the other image. */
static sl_rc
report(struct side *sd, const char *other)
{
	struct sl_scan *s = sd->s;
	struct Sl_arena *a = &s->arena;
	const char *me = s->fw_name ? s->fw_name : "this image";
	size_t i, n = 0, over = 0;
	sl_rc rc = SL_OK;

	for (i = 0; i < sd->ncreds && rc == SL_OK; i++) {
		const struct ccred *c = &sd->creds[i];

		if (!c->matched)
			continue;
		/* The same line reached twice (a backup file's twin). */
		if (i > 0 && sd->creds[i - 1].matched &&
		    cred_cmp(&sd->creds[i - 1], c) == 0)
			continue;
		if (n++ >= CMP_MAX_FINDINGS) {
			over++;
			continue;
		}
		rc = add(s, F_PASSWORD, c->e, c->off, c->excerpt, c->secret,
		         Sl_arena_printf(
		             a,
		             "%s: the same %s in the firmware of two units "
		             "(%s and %s): a universal default password",
		             c->who,
		             c->plaintext
		                 ? "password, in plaintext,"
		                 : Sl_arena_printf(a, "%s hash", c->scheme),
		             me, other));
	}
	if (rc == SL_OK && over > 0)
		Sl_incomplete(s,
		              "compare: %zu more universal passwords not "
		              "reported (at most %u)",
		              over, CMP_MAX_FINDINGS);
	n = over = 0;
	for (i = 0; i < sd->nkeys && rc == SL_OK; i++) {
		const struct ckey *k = &sd->keys[i];
		char hex[65];

		if (!k->matched)
			continue;
		if (n++ >= CMP_MAX_FINDINGS) {
			over++;
			continue;
		}
		Sl_hex(k->k.fp, 32, hex);
		rc = add(s, F_KEY, k->k.e, k->k.off,
		         Sl_arena_printf(a, "%s (public key sha256 %.16s...)",
		                         k->k.excerpt, hex),
		         NULL,
		         Sl_arena_printf(a,
		                         "%s: the same key in the firmware of "
		                         "two units (%s and %s): every unit "
		                         "shares it",
		                         k->k.what, me, other));
	}
	if (rc == SL_OK && over > 0)
		Sl_incomplete(s,
		              "compare: %zu more shared private keys not "
		              "reported (at most %u)",
		              over, CMP_MAX_FINDINGS);
	return rc;
}

static sl_rc
collect(struct side *sd)
{
	sl_rc rc;

	rc = Sl_acc_each_cred(sd->s, keep_cred, sd);
	if (rc == SL_OK)
		rc = Sl_keys_each(sd->s, keep_key, sd);
	if (rc != SL_OK)
		return rc;
	if (sd->ncreds > 1)
		qsort(sd->creds, sd->ncreds, sizeof(*sd->creds), cred_cmp);
	if (sd->nkeys > 1)
		qsort(sd->keys, sd->nkeys, sizeof(*sd->keys), key_cmp);
	return SL_OK;
}

/*
 * Compare the firmware of two units.  Both scans must hold an image; the
 * checks need not have run (the credentials and keys are read again).
 * Findings go to both scans; call sl_scan_decide on each afterwards.  An
 * error is set on the scan it concerns.
 */
sl_rc
sl_scan_compare_firmware(struct sl_scan *a, struct sl_scan *b)
{
	struct side sa, sb;
	const char *na, *nb;
	sl_rc rc;

	if (a == NULL || b == NULL)
		return SL_E_USAGE;
	if (a == b)
		return Sl_fail(a, SL_E_USAGE,
		               "compare: the two scans are the same");
	if (!a->has_fw || !b->has_fw)
		return Sl_fail(a->has_fw ? b : a, SL_E_USAGE,
		               "compare: no firmware image in this scan");
	memset(&sa, 0, sizeof(sa));
	memset(&sb, 0, sizeof(sb));
	sa.s = a;
	sb.s = b;
	rc = collect(&sa);
	if (rc == SL_OK && (rc = collect(&sb)) != SL_OK)
		Sl_fail(a, rc, "%s", sl_scan_error(b));
	if (rc == SL_OK) {
		match_creds(&sa, &sb);
		match_keys(&sa, &sb);
		na = a->fw_name ? a->fw_name : "image A";
		nb = b->fw_name ? b->fw_name : "image B";
		rc = report(&sa, nb);
		if (rc == SL_OK && (rc = report(&sb, na)) != SL_OK)
			Sl_fail(a, rc, "%s", sl_scan_error(b));
	}
	free(sa.creds);
	free(sa.keys);
	free(sb.creds);
	free(sb.keys);
	return rc;
}
