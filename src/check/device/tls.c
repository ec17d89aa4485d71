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
 * certificate subject and dates or the protocol list.
 *
 * Trust: the facts come from device output that tls.c already bounded
 * and made printable; this file only compares them and formats them into
 * fixed-size buffers.
 */
#include <stdio.h>
#include <time.h>

#include "../../net/tls.h"
#include "../check.h"

#define SL_TLS_EXPIRY_DAYS 30
#define REQ                "S1.1-12"

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

static const struct {
	enum sl_severity sev;
	const char *what;
	const char *fix;
} class_grade[SL_TLS_NCLASS] = {
    [SL_TLS_C_NULL] = {SL_SEV_HIGH, "NULL (unencrypted) suites",
                       "Disable every NULL suite (eNULL)."},
    [SL_TLS_C_EXPORT] = {SL_SEV_HIGH, "EXPORT (40/56-bit) suites",
                         "Disable every export suite (EXPORT)."},
    [SL_TLS_C_ANON] = {SL_SEV_HIGH, "anonymous (unauthenticated) suites",
                       "Disable anonymous key exchange (aNULL)."},
    [SL_TLS_C_RC4] = {SL_SEV_HIGH, "RC4 suites", "Disable RC4 (RFC 7465)."},
    [SL_TLS_C_DES] = {SL_SEV_MEDIUM, "DES/3DES/IDEA (64-bit block) suites",
                      "Disable DES, 3DES and IDEA (Sweet32)."},
    [SL_TLS_C_CBC_SHA1] = {SL_SEV_LOW,
                           "CBC suites with a SHA-1 MAC under TLS 1.2",
                           "Prefer and keep only AEAD suites (AES-GCM, "
                           "ChaCha20-Poly1305) under TLS 1.2."},
    [SL_TLS_C_RSA_KX] = {SL_SEV_LOW,
                         "static RSA key exchange (no forward secrecy)",
                         "Keep only ECDHE (or DHE) key exchange so that "
                         "a leaked server key does not reveal past "
                         "sessions."},
};

static sl_rc
grade(struct sl_scan *s, const struct Sl_service *svc,
      const struct Sl_tls_result *r, int64_t now)
{
	char ex[1024], protos[96], title[160];
	const char *name = svc->pub.name ? svc->pub.name : "tls";
	unsigned port = svc->pub.port;
	size_t i;
	int c;
	sl_rc rc = SL_OK;

	protocols(r, protos, sizeof(protos));
	if (r->ver[SL_TLS_V10] == SL_TLS_YES ||
	    r->ver[SL_TLS_V11] == SL_TLS_YES) {
		snprintf(ex, sizeof(ex), "protocols accepted: %s", protos);
		snprintf(title, sizeof(title),
		         "%s on port %u accepts TLS 1.0/1.1", name, port);
		rc = Sl_net_finding(
		    s, "NET-TLS-OLD-PROTOCOL", SL_SEV_HIGH, REQ, svc, ex, NULL,
		    title,
		    "Accept TLS 1.2 and 1.3 only (ssl_protocols / "
		    "MinProtocol TLSv1.2); TLS 1.0 and 1.1 are deprecated "
		    "(RFC 8996).");
		if (rc != SL_OK)
			return rc;
	}

	for (i = 0; i < r->ncert; i++) {
		const struct Sl_tls_cert *ct = &r->cert[i];
		/*
		 * A self-signed certificate past the leaf is a root: clients
		 * use their own copy of it (RFC 8446 4.4.2 lets the server
		 * omit it), so its key, hash and dates prove nothing here.
		 */
		bool root = i > 0 && ct->self_signed;

		if (root)
			continue;
		cert_line(ct, i, ex, sizeof(ex));
		if (ct->not_after != 0 && ct->not_after < now) {
			snprintf(title, sizeof(title),
			         "%s on port %u sends an expired certificate",
			         name, port);
			rc = Sl_net_finding(
			    s, "NET-TLS-CERT-EXPIRED", SL_SEV_HIGH, REQ, svc,
			    ex, NULL, title,
			    "Install a valid certificate and renew it before "
			    "it expires; clients that accept an expired "
			    "certificate cannot detect an impostor.");
		} else if (ct->not_after != 0 &&
		           ct->not_after < now + SL_TLS_EXPIRY_DAYS * 86400) {
			snprintf(title, sizeof(title),
			         "%s on port %u sends a certificate expiring "
			         "within %d days",
			         name, port, SL_TLS_EXPIRY_DAYS);
			rc = Sl_net_finding(
			    s, "NET-TLS-CERT-EXPIRING", SL_SEV_MEDIUM, REQ, svc,
			    ex, NULL, title,
			    "Renew the certificate, and make sure units in "
			    "the field receive the renewed one (or a "
			    "certificate valid to the end of support).");
		}
		if (rc != SL_OK)
			return rc;
		if (weak_key(ct)) {
			char kx[1200];

			snprintf(kx, sizeof(kx), "%s; key %s %u bits", ex,
			         ct->key_type, ct->key_bits);
			snprintf(title, sizeof(title),
			         "%s on port %u: certificate key %s %u bits",
			         name, port, ct->key_type, ct->key_bits);
			rc = Sl_net_finding(
			    s, "NET-TLS-WEAK-KEY", SL_SEV_HIGH, REQ, svc, kx,
			    NULL, title,
			    "Use an RSA key of at least 2048 bits or an EC "
			    "key of at least 256 bits (P-256, X25519).");
			if (rc != SL_OK)
				return rc;
		}
		if (weak_hash(ct->sig_hash)) {
			char kx[1200];

			snprintf(kx, sizeof(kx), "%s; signature %s", ex,
			         ct->sig_alg);
			snprintf(title, sizeof(title),
			         "%s on port %u: certificate signed with %s",
			         name, port, ct->sig_hash);
			rc = Sl_net_finding(
			    s, "NET-TLS-WEAK-SIGNATURE", SL_SEV_HIGH, REQ, svc,
			    kx, NULL, title,
			    "Reissue the certificate signed with SHA-256 or "
			    "stronger; SHA-1 and MD5 signatures can be "
			    "forged.");
			if (rc != SL_OK)
				return rc;
		}
	}
	if (r->ncert > 0 && !r->name_ok) {
		const char *used =
		    s->dev->t.host ? s->dev->t.host : svc->pub.address;

		snprintf(ex, sizeof(ex),
		         "the certificate names %s (subject %s), not %s, the "
		         "%s the device was reached by",
		         r->cert[0].sans[0] ? r->cert[0].sans : "no SAN",
		         r->cert[0].subject, used,
		         strcmp(used, svc->pub.address) == 0 ? "address"
		                                             : "name");
		snprintf(title, sizeof(title),
		         "%s on port %u: certificate does not name %.64s", name,
		         port, used);
		rc = Sl_net_finding(
		    s, "NET-TLS-NAME-MISMATCH", SL_SEV_MEDIUM, REQ, svc, ex,
		    NULL, title,
		    "Issue the certificate for the names and addresses "
		    "clients use to reach the device (subjectAltName); a "
		    "client that checks the name refuses it, and one that "
		    "does not cannot tell the device from an impostor.");
		if (rc != SL_OK)
			return rc;
	}
	if (r->ncert > 0 && r->cert[0].self_signed) {
		cert_line(&r->cert[0], 0, ex, sizeof(ex));
		snprintf(title, sizeof(title),
		         "%s on port %u uses a self-signed certificate", name,
		         port);
		rc = Sl_net_finding(
		    s, "NET-TLS-CERT-SELF-SIGNED", SL_SEV_MEDIUM, REQ, svc, ex,
		    NULL, title,
		    "Clients cannot tell this certificate from an "
		    "impostor's.  Use a certificate from a CA the clients "
		    "trust, or a device-unique certificate: that is "
		    "acceptable when the product profile documents it (the "
		    "key generated on each unit, never shared between "
		    "units, and how the user verifies its fingerprint or "
		    "pins it in the companion app).");
		if (rc != SL_OK)
			return rc;
	}

	for (c = 0; c < SL_TLS_NCLASS; c++) {
		if (r->cls[c] != SL_TLS_YES)
			continue;
		snprintf(ex, sizeof(ex),
		         "%s accepted: server picked %.63s under %.7s",
		         Sl_tls_class_name(c), r->cls_suite[c], r->cls_ver[c]);
		snprintf(title, sizeof(title), "%s on port %u accepts %s", name,
		         port, class_grade[c].what);
		rc = Sl_net_finding(s, "NET-TLS-WEAK-CIPHER",
		                    class_grade[c].sev, REQ, svc, ex, NULL,
		                    title, class_grade[c].fix);
		if (rc != SL_OK)
			return rc;
	}

	/* The summary: facts for the lab, advice only. */
	{
		size_t l;
		char weak[128] = "";
		const struct Sl_tls_cert *lf = r->ncert ? &r->cert[0] : NULL;

		for (c = 0; c < SL_TLS_NCLASS; c++)
			if (r->cls[c] == SL_TLS_YES) {
				l = strlen(weak);
				snprintf(weak + l, sizeof(weak) - l, "%s%s",
				         l ? " " : "", Sl_tls_class_name(c));
			}
		l = (size_t)snprintf(ex, sizeof(ex),
		                     "protocols: %s; suite: %s %s (%s)", protos,
		                     r->handshake ? r->version : "-",
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
			    lf->subject, lf->issuer, nb, na, lf->key_type,
			    lf->key_bits, lf->sig_alg,
			    lf->sans[0] ? lf->sans : "none",
			    lf->self_signed ? "; self-signed" : "",
			    r->chain_ok ? "verifies" : "does not verify",
			    r->chain_ok ? "" : ": ",
			    r->chain_ok ? "" : r->verify_error, r->ncert);
		}
		if (l < sizeof(ex))
			snprintf(ex + l, sizeof(ex) - l, "; weak classes: %s",
			         weak[0] ? weak : "none");
		snprintf(title, sizeof(title), "TLS on port %u (%s)", port,
		         name);
		rc = Sl_net_finding(
		    s, "NET-TLS-SUMMARY", SL_SEV_INFO, REQ, svc, ex, NULL,
		    title,
		    "Facts for the assessor: keep TLS 1.2+ only, a valid "
		    "certificate with a strong key, and AEAD suites with "
		    "forward secrecy.");
	}
	return rc;
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
    .source = SL_SRC_NETWORK,
    .run = tls_run,
};
