/*
 * tls.c - the check "net.tls": how each TLS service of the device
 * protects what travels over it (S1.1-12).
 *
 * For every TCP service the scanner saw speak TLS (https, mqtts, ...),
 * src/net/tls.c collects the facts (versions, certificate chain, weak
 * cipher classes, the suite a modern client gets) and this file grades
 * them:
 *   NET-TLS-OLD-PROTOCOL      TLS 1.0 or 1.1 accepted             high
 *   NET-TLS-CERT-EXPIRED      a certificate sent is past notAfter high
 *   NET-TLS-CERT-EXPIRING     ... within SL_TLS_EXPIRY_DAYS        medium
 *   NET-TLS-CERT-SELF-SIGNED  the leaf is self-signed              medium
 *   NET-TLS-WEAK-KEY          RSA/DSA < 2048 bits, EC < 256        high
 *   NET-TLS-WEAK-SIGNATURE    signed with SHA-1 or MD5             high
 *   NET-TLS-NAME-MISMATCH     the leaf names neither the host name
 *                             nor the address starlab was given    medium
 * The certificate rules apply to the leaf and the intermediates; a root
 * the server sends along is skipped (clients trust their own copy).
 *   NET-TLS-WEAK-CIPHER       one per class accepted: NULL, EXPORT, anon,
 *                             RC4 high; DES/3DES medium; CBC-SHA1 under
 *                             TLS 1.2 and static RSA low
 *   NET-TLS-SUMMARY           the facts of the endpoint            info
 * Evidence is the service's address and port; the excerpt quotes the
 * certificate subject and dates or the protocol list.  The kinds are the
 * table findings[], and grade() walks the table weaknesses[]: grading
 * one more weakness is one entry in each and one predicate.
 *
 * Trust: the facts come from device output that tls.c already bounded
 * and made printable; this file only compares them and formats them into
 * fixed-size buffers.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "../../net/tls.h"
#include "../../profile/profile.h"
#include "../check.h"

#define SL_TLS_EXPIRY_DAYS 30

/* The profile's product.host_name, or NULL. */
static const char *
host_name_of(const struct sl_scan *s)
{
	return s->profile != NULL ? s->profile->host_name : NULL;
}
#define REQ "S1.1-12"

static void
day(int64_t t, char *out, size_t cap)
{
	time_t tt = (time_t)t;
	struct tm tm;

	if (t == 0 || gmtime_r(&tt, &tm) == NULL)
		snprintf(out, cap, "?");
	else
		strftime(out, cap, "%Y-%m-%d", &tm);
}

/* "TLSv1.0 TLSv1.2 TLSv1.3" (the versions accepted), or "none". */
static void
protocols(const struct Sl_tls_result *r, char *out, size_t cap)
{
	size_t l = 0;
	int v;

	out[0] = 0;
	for (v = 0; v < SL_TLS_NVER; v++) {
		const char *st = r->ver[v] == SL_TLS_YES     ? ""
		                 : r->ver[v] == SL_TLS_ERROR ? "?"
		                                             : NULL;

		if (st == NULL)
			continue;
		l += (size_t)snprintf(out + l, cap - l, "%s%s%s", l ? " " : "",
		                      Sl_tls_ver_name(v), st);
		if (l >= cap)
			return;
	}
	if (l == 0)
		snprintf(out, cap, "none");
}

static bool
weak_hash(const char *h)
{
	return strcmp(h, "SHA1") == 0 || strcmp(h, "MD5") == 0 ||
	       strcmp(h, "MD4") == 0 || strcmp(h, "MD2") == 0;
}

static bool
weak_key(const struct Sl_tls_cert *c)
{
	if (strcmp(c->key_type, "RSA") == 0 || strcmp(c->key_type, "DSA") == 0)
		return c->key_bits < 2048;
	if (strcmp(c->key_type, "EC") == 0)
		return c->key_bits < 256;
	return false;
}

/* "certificate CN=x (leaf), valid 2020-01-01 .. 2021-01-01" */
static void
cert_line(const struct Sl_tls_cert *c, size_t i, char *out, size_t cap)
{
	char nb[16], na[16];

	day(c->not_before, nb, sizeof(nb));
	day(c->not_after, na, sizeof(na));
	snprintf(out, cap,
	         "certificate %zu%s subject %s, issuer %s, valid %s .. %s", i,
	         i == 0 ? " (leaf)" : "", c->subject, c->issuer, nb, na);
}

/* What this check reports (check.h: findings as data). */
enum {
	F_OLD_PROTOCOL,
	F_EXPIRED,
	F_EXPIRING,
	F_WEAK_KEY,
	F_WEAK_SIG,
	F_NAME,
	F_SELF_SIGNED,
	F_SUMMARY,
	F_CIPHER, /* F_CIPHER + enum Sl_tls_class: one kind per class */
};
#define CIPHER(c, sev, what, fix)                                              \
	[F_CIPHER + (c)] = {                                                   \
	    "NET-TLS-WEAK-CIPHER", sev, {REQ}, "TLS accepts " what, fix}
static const struct Sl_finding_def findings[] = {
    [F_OLD_PROTOCOL] = {"NET-TLS-OLD-PROTOCOL",
                        SL_SEV_HIGH,
                        {REQ},
                        "TLS 1.0/1.1 accepted",
                        "Accept TLS 1.2 and 1.3 only (ssl_protocols / "
                        "MinProtocol TLSv1.2); TLS 1.0 and 1.1 are "
                        "deprecated (RFC 8996)."},
    [F_EXPIRED] = {"NET-TLS-CERT-EXPIRED",
                   SL_SEV_HIGH,
                   {REQ},
                   "TLS sends an expired certificate",
                   "Install a valid certificate and renew it before it "
                   "expires; clients that accept an expired certificate "
                   "cannot detect an impostor."},
    [F_EXPIRING] = {"NET-TLS-CERT-EXPIRING",
                    SL_SEV_MEDIUM,
                    {REQ},
                    "TLS sends a certificate about to expire",
                    "Renew the certificate, and make sure units in the "
                    "field receive the renewed one (or a certificate valid "
                    "to the end of support)."},
    [F_WEAK_KEY] = {"NET-TLS-WEAK-KEY",
                    SL_SEV_HIGH,
                    {REQ},
                    "TLS certificate with a weak key",
                    "Use an RSA key of at least 2048 bits or an EC key of "
                    "at least 256 bits (P-256, X25519)."},
    [F_WEAK_SIG] = {"NET-TLS-WEAK-SIGNATURE",
                    SL_SEV_HIGH,
                    {REQ},
                    "TLS certificate signed with a weak hash",
                    "Reissue the certificate signed with SHA-256 or "
                    "stronger; SHA-1 and MD5 signatures can be forged."},
    [F_NAME] = {"NET-TLS-NAME-MISMATCH",
                SL_SEV_MEDIUM,
                {REQ},
                "TLS certificate does not name the device",
                "Issue the certificate for the names and addresses clients "
                "use to reach the device (subjectAltName); a client that "
                "checks the name refuses it, and one that does not cannot "
                "tell the device from an impostor."},
    [F_SELF_SIGNED] = {"NET-TLS-CERT-SELF-SIGNED",
                       SL_SEV_MEDIUM,
                       {REQ},
                       "TLS uses a self-signed certificate",
                       "Clients cannot tell this certificate from an "
                       "impostor's.  Use a certificate from a CA the "
                       "clients trust, or a device-unique certificate: "
                       "that is acceptable when the product profile "
                       "documents it (the key generated on each unit, "
                       "never shared between units, and how the user "
                       "verifies its fingerprint or pins it in the "
                       "companion app)."},
    [F_SUMMARY] = {"NET-TLS-SUMMARY",
                   SL_SEV_INFO,
                   {REQ},
                   "TLS endpoint summary",
                   "Facts for the assessor: keep TLS 1.2+ only, a valid "
                   "certificate with a strong key, and AEAD suites with "
                   "forward secrecy."},
    CIPHER(SL_TLS_C_NULL, SL_SEV_HIGH, "NULL (unencrypted) suites",
           "Disable every NULL suite (eNULL)."),
    CIPHER(SL_TLS_C_EXPORT, SL_SEV_HIGH, "EXPORT (40/56-bit) suites",
           "Disable every export suite (EXPORT)."),
    CIPHER(SL_TLS_C_ANON, SL_SEV_HIGH, "anonymous (unauthenticated) suites",
           "Disable anonymous key exchange (aNULL)."),
    CIPHER(SL_TLS_C_RC4, SL_SEV_HIGH, "RC4 suites", "Disable RC4 (RFC 7465)."),
    CIPHER(SL_TLS_C_DES, SL_SEV_MEDIUM, "DES/3DES/IDEA (64-bit block) suites",
           "Disable DES, 3DES and IDEA (Sweet32)."),
    CIPHER(SL_TLS_C_CBC_SHA1, SL_SEV_LOW,
           "CBC suites with a SHA-1 MAC under TLS 1.2",
           "Prefer and keep only AEAD suites (AES-GCM, ChaCha20-Poly1305) "
           "under TLS 1.2."),
    CIPHER(SL_TLS_C_RSA_KX, SL_SEV_LOW,
           "static RSA key exchange (no forward secrecy)",
           "Keep only ECDHE (or DHE) key exchange so that a leaked server "
           "key does not reveal past sessions."),
    {NULL},
};
#undef CIPHER

/* The endpoint being graded. */
struct ep {
	struct sl_scan *s;
	const struct Sl_service *svc;
	const struct Sl_tls_result *r;
	int64_t now;
	char protos[96]; /* protocols() */
};

/*
 * Whether the endpoint has a weakness, about its certificate or cipher
 * class i where the weakness is one of those (i is 0 otherwise).  When it
 * has, ex gets the excerpt and tail what follows "<service> on port <n>"
 * in the title.
 */
typedef bool (*has_fn)(const struct ep *p, size_t i, char *ex, size_t excap,
                       char *tail, size_t tcap);

static bool
old_protocol(const struct ep *p, size_t i, char *ex, size_t excap, char *tail,
             size_t tcap)
{
	(void)i;
	if (p->r->ver[SL_TLS_V10] != SL_TLS_YES &&
	    p->r->ver[SL_TLS_V11] != SL_TLS_YES)
		return false;
	snprintf(ex, excap, "protocols accepted: %s", p->protos);
	snprintf(tail, tcap, " accepts TLS 1.0/1.1");
	return true;
}

static bool
expired(const struct ep *p, size_t i, char *ex, size_t excap, char *tail,
        size_t tcap)
{
	const struct Sl_tls_cert *c = &p->r->cert[i];

	if (c->not_after == 0 || c->not_after >= p->now)
		return false;
	cert_line(c, i, ex, excap);
	snprintf(tail, tcap, " sends an expired certificate");
	return true;
}

static bool
expiring(const struct ep *p, size_t i, char *ex, size_t excap, char *tail,
         size_t tcap)
{
	const struct Sl_tls_cert *c = &p->r->cert[i];

	/* Not yet expired (that is the finding above), but soon. */
	if (c->not_after == 0 || c->not_after < p->now ||
	    c->not_after >= p->now + SL_TLS_EXPIRY_DAYS * 86400)
		return false;
	cert_line(c, i, ex, excap);
	snprintf(tail, tcap, " sends a certificate expiring within %d days",
	         SL_TLS_EXPIRY_DAYS);
	return true;
}

static bool
key_weak(const struct ep *p, size_t i, char *ex, size_t excap, char *tail,
         size_t tcap)
{
	const struct Sl_tls_cert *c = &p->r->cert[i];
	char line[1024];

	if (!weak_key(c))
		return false;
	cert_line(c, i, line, sizeof(line));
	snprintf(ex, excap, "%s; key %s %u bits", line, c->key_type,
	         c->key_bits);
	snprintf(tail, tcap, ": certificate key %s %u bits", c->key_type,
	         c->key_bits);
	return true;
}

static bool
sig_weak(const struct ep *p, size_t i, char *ex, size_t excap, char *tail,
         size_t tcap)
{
	const struct Sl_tls_cert *c = &p->r->cert[i];
	char line[1024];

	if (!weak_hash(c->sig_hash))
		return false;
	cert_line(c, i, line, sizeof(line));
	snprintf(ex, excap, "%s; signature %s", line, c->sig_alg);
	snprintf(tail, tcap, ": certificate signed with %s", c->sig_hash);
	return true;
}

static bool
name_mismatch(const struct ep *p, size_t i, char *ex, size_t excap, char *tail,
              size_t tcap)
{
	const struct Sl_tls_result *r = p->r;
	const char *addr = p->svc->pub.address;
	const char *used = r->name_checked[0] ? r->name_checked : addr;
	const char *host = p->s->dev->t.host;
	bool profile = host_name_of(p->s) != NULL &&
	               strcmp(used, host_name_of(p->s)) == 0 &&
	               (host == NULL || strcmp(host, used) != 0);

	(void)i;
	if (r->ncert == 0 || r->name_ok)
		return false;
	snprintf(ex, excap,
	         "the certificate names %s (subject %s), not %s, the %s",
	         r->cert[0].sans[0] ? r->cert[0].sans : "no SAN",
	         r->cert[0].subject, used,
	         profile                   ? "host name the profile gives "
	                                     "(product.host_name)"
	         : strcmp(used, addr) == 0 ? "address the device was reached by"
	                                   : "name the device was reached by");
	snprintf(tail, tcap, ": certificate does not name %.64s", used);
	return true;
}

static bool
self_signed(const struct ep *p, size_t i, char *ex, size_t excap, char *tail,
            size_t tcap)
{
	(void)i;
	if (p->r->ncert == 0 || !p->r->cert[0].self_signed)
		return false;
	cert_line(&p->r->cert[0], 0, ex, excap);
	snprintf(tail, tcap, " uses a self-signed certificate");
	return true;
}

static bool
cipher(const struct ep *p, size_t c, char *ex, size_t excap, char *tail,
       size_t tcap)
{
	if (p->r->cls[c] != SL_TLS_YES)
		return false;
	snprintf(ex, excap, "%s accepted: server picked %.63s under %.7s",
	         Sl_tls_class_name((int)c), p->r->cls_suite[c],
	         p->r->cls_ver[c]);
	/* The kind's title after "TLS accepts ". */
	snprintf(tail, tcap, " accepts %s",
	         findings[F_CIPHER + c].title + strlen("TLS accepts "));
	return true;
}

/*
 * The weaknesses graded, each once per endpoint, per certificate sent
 * (leaf and intermediates) or per weak cipher class.
 */
enum per { ONCE, PER_CERT, PER_CLASS };
static const struct {
	int kind; /* in findings[]; PER_CLASS: F_CIPHER */
	enum per per;
	has_fn has;
} weaknesses[] = {
    {F_OLD_PROTOCOL, ONCE, old_protocol}, {F_EXPIRED, PER_CERT, expired},
    {F_EXPIRING, PER_CERT, expiring},     {F_WEAK_KEY, PER_CERT, key_weak},
    {F_WEAK_SIG, PER_CERT, sig_weak},     {F_NAME, ONCE, name_mismatch},
    {F_SELF_SIGNED, ONCE, self_signed},   {F_CIPHER, PER_CLASS, cipher},
};

/* The facts of the endpoint for the lab, advice only. */
static sl_rc
summary(const struct ep *p)
{
	const struct Sl_tls_result *r = p->r;
	const struct Sl_tls_cert *lf = r->ncert ? &r->cert[0] : NULL;
	char ex[1024], title[160], weak[128] = "";
	size_t l;
	int c;

	for (c = 0; c < SL_TLS_NCLASS; c++)
		if (r->cls[c] == SL_TLS_YES) {
			l = strlen(weak);
			snprintf(weak + l, sizeof(weak) - l, "%s%s",
			         l ? " " : "", Sl_tls_class_name(c));
		}
	l = (size_t)snprintf(ex, sizeof(ex), "protocols: %s; suite: %s %s (%s)",
	                     p->protos, r->handshake ? r->version : "-",
	                     r->handshake ? r->suite : "-",
	                     r->strong ? "strong" : "not strong");
	if (lf != NULL && l < sizeof(ex)) {
		char nb[16], na[16];

		day(lf->not_before, nb, sizeof(nb));
		day(lf->not_after, na, sizeof(na));
		l += (size_t)snprintf(
		    ex + l, sizeof(ex) - l,
		    "; certificate: %s; issuer %s; %s .. %s; %s %u "
		    "bits; %s; SAN %s%s; chain %s%s%s; %zu sent",
		    lf->subject, lf->issuer, nb, na, lf->key_type, lf->key_bits,
		    lf->sig_alg, lf->sans[0] ? lf->sans : "none",
		    lf->self_signed ? "; self-signed" : "",
		    r->chain_ok ? "verifies" : "does not verify",
		    r->chain_ok ? "" : ": ", r->chain_ok ? "" : r->verify_error,
		    r->ncert);
	}
	if (l < sizeof(ex))
		snprintf(ex + l, sizeof(ex) - l, "; weak classes: %s",
		         weak[0] ? weak : "none");
	snprintf(title, sizeof(title), "TLS on port %u (%s)", p->svc->pub.port,
	         p->svc->pub.name ? p->svc->pub.name : "tls");
	return Sl_report(
	    p->s, &findings[F_SUMMARY],
	    &(struct Sl_at){.svc = p->svc, .excerpt = ex, .title = title});
}

static sl_rc
grade(struct sl_scan *s, const struct Sl_service *svc,
      const struct Sl_tls_result *r, int64_t now)
{
	struct ep p = {.s = s, .svc = svc, .r = r, .now = now};
	const char *name = svc->pub.name ? svc->pub.name : "tls";
	size_t w, i, n;
	sl_rc rc;

	protocols(r, p.protos, sizeof(p.protos));
	for (w = 0; w < SL_ARRAY_LEN(weaknesses); w++) {
		n = weaknesses[w].per == PER_CERT    ? r->ncert
		    : weaknesses[w].per == PER_CLASS ? SL_TLS_NCLASS
		                                     : 1;
		for (i = 0; i < n; i++) {
			char ex[1200], tail[160], title[160];
			size_t kind = (size_t)weaknesses[w].kind;

			/*
			 * A self-signed certificate past the leaf is a root:
			 * clients use their own copy of it (RFC 8446 4.4.2
			 * lets the server omit it), so its key, hash and
			 * dates prove nothing here.
			 */
			if (weaknesses[w].per == PER_CERT && i > 0 &&
			    r->cert[i].self_signed)
				continue;
			if (!weaknesses[w].has(&p, i, ex, sizeof(ex), tail,
			                       sizeof(tail)))
				continue;
			if (weaknesses[w].per == PER_CLASS)
				kind += i;
			snprintf(title, sizeof(title), "%s on port %u%s", name,
			         svc->pub.port, tail);
			rc = Sl_report(s, &findings[kind],
			               &(struct Sl_at){.svc = svc,
			                               .excerpt = ex,
			                               .title = title});
			if (rc != SL_OK)
				return rc;
		}
	}
	return summary(&p);
}

static sl_rc
tls_run(struct sl_scan *s)
{
	struct Sl_dev *d = s->dev;
	struct Sl_tls_opts o = {0};
	int64_t now = (int64_t)time(NULL);
	size_t i, n;
	sl_rc rc;

	if (d == NULL)
		return SL_OK;
	o.timeout_ms = d->o.timeout_ms ? d->o.timeout_ms : SL_NET_TIMEOUT_MS;
	o.threads = SL_TLS_THREADS;
	o.cancel = &s->cancel;
	o.ca_file = d->o.ca_file;
	o.host_name = host_name_of(s);
	n = d->nsvc;
	for (i = 0; i < n; i++) {
		const struct Sl_service *svc = d->svc[i];
		struct Sl_tls_result r;

		if (!svc->pub.tls || svc->ipproto != IPPROTO_TCP)
			continue;
		if (Sl_cancelled(s)) {
			Sl_incomplete(s, "net.tls: %s:%u: cancelled",
			              svc->pub.address, svc->pub.port);
			continue;
		}
		rc = Sl_tls_probe(&d->t, svc->addr, svc->pub.port, &o, &r);
		if (rc != SL_OK || r.error[0] != 0) {
			/*
			 * What was not probed may be what is weak: the TLS of
			 * this service is not judged (a connection limit that
			 * refused the probes, a handshake cut off).
			 */
			const char *why = Sl_arena_printf(
			    &s->arena, "net.tls: %s:%u: %s%s", svc->pub.address,
			    svc->pub.port, rc == SL_OK ? "partly probed: " : "",
			    r.error);

			Sl_incomplete(s, "%s", why ? why : "net.tls");
			Sl_not_judged(s, REQ, SL_SRC_NETWORK, why);
			if (rc != SL_OK)
				continue;
		}
		rc = grade(s, svc, &r, now);
		if (rc != SL_OK)
			return rc;
	}
	return SL_OK;
}

const struct Sl_check Sl_check_tls = {
    .id = "net.tls",
    .title = "TLS versions, certificate and cipher suites of each TLS "
             "service",
    .covers = {"S1.1-12", NULL},
    .findings = findings,
    .source = SL_SRC_NETWORK,
    .run = tls_run,
};
