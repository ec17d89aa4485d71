/*
 * app.c - sl_scan_app: the product's companion app (`starlab app
 * FILE.apk`), unpacked like firmware (the zip reader) and then read by:
 *
 *   manifest   AndroidManifest.xml through axml.c:
 *                APP-DEBUGGABLE         android:debuggable="true"
 *                                       (S1.1-13, high: a debug
 *                                       interface left on)
 *                APP-CLEARTEXT-ALLOWED  android:usesCleartextTraffic=
 *                                       "true" (S1.1-12, medium)
 *   code       classes*.dex, searched for the names of trust-all
 *              certificate checks (APP-TLS-TRUST-ALL, S1.1-12, high):
 *              Apache's AllowAllHostnameVerifier and
 *              ALLOW_ALL_HOSTNAME_VERIFIER, NoopHostnameVerifier, and the
 *              usual names of hand-written ones (TrustAllCerts,
 *              TrustAllManager, NaiveTrustManager, ...).  A name is
 *              evidence that the code references or defines one; that
 *              it is called is not proven (no call-site analysis).
 *   prefs      NAME.xml files in a shared_prefs directory (an app data
 *              archive given instead of, or holding, the APK): <string>
 *              entries whose name says token, password, secret, session,
 *              api key or auth, with a non-empty value
 *              (APP-PREFS-PLAINTEXT, S1.1-11, medium; value masked;
 *              JWTs are left to fw.secrets, which reports them)
 *   secrets    fw.secrets (cloud keys, JWTs, password assignments) and
 *   endpoints  fw.transport (cleartext http://, mqtt:// ... endpoints),
 *              run as they are on firmware: FW-SECRET-*, FW-PLAINTEXT-*
 *
 * Trust: the app is the vendor's.  The manifest is read by the bounded
 * axml.c, dex files only with memmem over the bytes the tree hands out
 * (already capped by the scan's limits), preference files line by line
 * with fixed-size copies.
 */
#include <stdio.h>
#include <strings.h>

#include "../../reader/axml.h"
#include "../check.h"

extern const struct Sl_check Sl_check_secrets, Sl_check_transport;

#define APP_MAX_PREF_KEY 64
#define APP_MAX_PREF_VAL 512

struct app {
	unsigned manifests, dex, prefs;
};

/* What the app check reports (check.h: findings as data). */
enum { F_DEBUGGABLE, F_CLEARTEXT, F_TRUST_ALL, F_PREFS };
static const struct Sl_finding_def findings[] = {
    [F_DEBUGGABLE] = {"APP-DEBUGGABLE",
                      SL_SEV_HIGH,
                      {"S1.1-13"},
                      "The companion app is built debuggable",
                      "Release builds must not set android:debuggable: it "
                      "lets anyone with the phone attach a debugger and "
                      "read the app's tokens and keys."},
    [F_CLEARTEXT] = {"APP-CLEARTEXT-ALLOWED",
                     SL_SEV_MEDIUM,
                     {"S1.1-12"},
                     "The companion app allows cleartext HTTP",
                     "Remove android:usesCleartextTraffic=\"true\" (or set "
                     "a network security config that denies cleartext) and "
                     "talk to the cloud over HTTPS only."},
    [F_TRUST_ALL] = {"APP-TLS-TRUST-ALL",
                     SL_SEV_HIGH,
                     {"S1.1-12"},
                     "The companion app's code carries a trust-all "
                     "certificate or host name check",
                     "Remove trust-all TrustManagers and HostnameVerifiers; "
                     "use the platform's checks (and a network security "
                     "config to pin or add a private CA)."},
    [F_PREFS] = {"APP-PREFS-PLAINTEXT",
                 SL_SEV_MEDIUM,
                 {"S1.1-11"},
                 "The companion app keeps tokens or passwords in plaintext "
                 "preferences",
                 "Keep tokens in the Android Keystore or "
                 "EncryptedSharedPreferences, never in plain shared_prefs."},
    {NULL},
};

/* The requirements sl_scan_app covers by itself (fw.secrets and
 * fw.transport, which it also runs, have their own tables). */
static const char *const covers[] = {"S1.1-13", "S1.1-12", "S1.1-11", NULL};

const struct Sl_finding_table Sl_findings_app = {
    .owner = "app",
    .covers = covers,
    .findings = findings,
};

static const char *
flag_name(int v)
{
	return v == 1 ? "true" : v == 0 ? "false" : "absent";
}

static sl_rc
on_manifest(struct sl_scan *s, const struct sl_entry *e, const uint8_t *data,
            size_t len, void *user)
{
	struct app *a = user;
	struct Sl_axml m;
	char ex[320];
	sl_rc rc = SL_OK;

	if (Sl_axml_manifest(data, len, &m) != SL_OK) {
		Sl_incomplete(s, "app: %s: not a readable binary manifest: %s",
		              e->path, m.error);
		return SL_OK;
	}
	a->manifests++;
	snprintf(ex, sizeof(ex),
	         "package %s: <application android:debuggable=%s "
	         "android:usesCleartextTraffic=%s android:allowBackup=%s>",
	         m.package[0] ? m.package : "?", flag_name(m.debuggable),
	         flag_name(m.cleartext), flag_name(m.allow_backup));
	if (m.debuggable == 1)
		rc = Sl_report(s, &findings[F_DEBUGGABLE],
		               &(struct Sl_at){.e = e, .excerpt = ex});
	if (rc == SL_OK && m.cleartext == 1)
		rc = Sl_report(s, &findings[F_CLEARTEXT],
		               &(struct Sl_at){.e = e, .excerpt = ex});
	return rc;
}

/* Names that only trust-all certificate or host checks carry. */
static const char *const trust_all[] = {
    "AllowAllHostnameVerifier",
    "ALLOW_ALL_HOSTNAME_VERIFIER",
    "NoopHostnameVerifier",
    "TrustAllCerts",
    "trustAllCerts",
    "TrustAllManager",
    "TrustAllTrustManager",
    "TrustAllX509TrustManager",
    "NaiveTrustManager",
    "InsecureTrustManager",
    "FakeX509TrustManager",
    "EasyX509TrustManager",
    "NullHostnameVerifier",
    "AcceptAllHostnameVerifier",
    "UnsafeOkHttpClient",
    NULL,
};

static sl_rc
on_dex(struct sl_scan *s, const struct sl_entry *e, const uint8_t *data,
       size_t len, void *user)
{
	struct app *a = user;
	char ex[600] = "";
	uint64_t first = 0;
	size_t i, n = 0;

	if (len < 8 || memcmp(data, "dex\n", 4) != 0)
		return SL_OK;
	a->dex++;
	for (i = 0; trust_all[i] != NULL; i++) {
		const uint8_t *hit =
		    memmem(data, len, trust_all[i], strlen(trust_all[i]));
		char one[96];

		if (hit == NULL)
			continue;
		if (n++ == 0)
			first = (uint64_t)(hit - data);
		snprintf(one, sizeof(one), "%s%s at 0x%llx", n > 1 ? ", " : "",
		         trust_all[i], (unsigned long long)(hit - data));
		if (strlen(ex) + strlen(one) + 1 < sizeof(ex))
			snprintf(ex + strlen(ex), sizeof(ex) - strlen(ex), "%s",
			         one);
	}
	if (n == 0)
		return SL_OK;
	return Sl_report(s, &findings[F_TRUST_ALL],
	                 &(struct Sl_at){.e = e, .off = first, .excerpt = ex});
}

static bool
secret_key(const char *k)
{
	static const char *const words[] = {
	    "token",  "password", "passwd", "secret",     "session",
	    "apikey", "api_key",  "auth",   "credential", NULL,
	};
	size_t i;

	for (i = 0; words[i] != NULL; i++)
		if (strcasestr(k, words[i]) != NULL)
			return true;
	return false;
}

static sl_rc
on_prefs(struct sl_scan *s, const struct sl_entry *e, const uint8_t *data,
         size_t len, void *user)
{
	static const char open[] = "<string name=\"";
	struct app *a = user;
	const uint8_t *p = data, *end = data + len;
	char keys[400] = "", ex[600];
	const char *secret = NULL;
	char first[APP_MAX_PREF_VAL + 1];
	uint64_t off = 0;
	size_t n = 0;

	a->prefs++;
	while (p < end) {
		const uint8_t *k = memmem(p, (size_t)(end - p), open,
		                          sizeof(open) - 1),
		              *q, *v, *ve;
		char key[APP_MAX_PREF_KEY + 1];
		size_t kl, vl;

		if (k == NULL)
			break;
		k += sizeof(open) - 1;
		q = memchr(k, '"', (size_t)(end - k));
		if (q == NULL || q + 2 > end || q[1] != '>')
			break;
		v = q + 2;
		ve = memmem(v, (size_t)(end - v), "</string>", 9);
		if (ve == NULL)
			break;
		p = ve + 9;
		kl = (size_t)(q - k);
		vl = (size_t)(ve - v);
		if (kl == 0 || kl > APP_MAX_PREF_KEY || vl == 0 ||
		    vl > APP_MAX_PREF_VAL)
			continue;
		memcpy(key, k, kl);
		key[kl] = 0;
		if (!secret_key(key))
			continue;
		/* A JWT is fw.secrets' finding already (one cause, one
		 * finding). */
		if (vl > 3 && memcmp(v, "eyJ", 3) == 0)
			continue;
		if (n++ == 0) {
			memcpy(first, v, vl);
			first[vl] = 0;
			secret = first;
			off = (uint64_t)(k - data);
		}
		if (strlen(keys) + kl + 3 < sizeof(keys)) {
			size_t kn = strlen(keys);

			snprintf(keys + kn, sizeof(keys) - kn, "%s%s",
			         keys[0] ? ", " : "", key);
		}
	}
	if (n == 0)
		return SL_OK;
	snprintf(ex, sizeof(ex),
	         "%zu plaintext value%s under %s (the first: %s)", n,
	         n > 1 ? "s" : "", keys, secret);
	return Sl_report(
	    s, &findings[F_PREFS],
	    &(struct Sl_at){
	        .e = e, .off = off, .excerpt = ex, .secret = secret});
}

/* Run a firmware check on the app and count its coverage. */
static void
run_fw_check(struct sl_scan *s, const struct Sl_check *c)
{
	size_t k;

	if (Sl_check_run(s, c) != SL_OK) {
		Sl_incomplete(s, "app: check %s did not finish: %s", c->id,
		              sl_scan_error(s));
		return;
	}
	for (k = 0; c->covers[k] != NULL; k++)
		Sl_cover(s, c->covers[k], SL_SRC_FIRMWARE);
}

sl_rc
sl_scan_app(struct sl_scan *s, const char *path)
{
	static const char *const prefs[] = {
	    "*shared_prefs/*.xml",
	    NULL,
	};
	struct app a = {0};
	sl_rc rc;

	if (s == NULL || path == NULL)
		return SL_E_USAGE;
	if ((rc = sl_scan_firmware(s, path)) != SL_OK)
		return rc;
	if ((rc = Sl_each_file(s, "AndroidManifest.xml", on_manifest, &a)) !=
	        SL_OK ||
	    (rc = Sl_each_file(s, "classes*.dex", on_dex, &a)) != SL_OK ||
	    (rc = Sl_each_file_any(s, prefs, on_prefs, &a)) != SL_OK)
		return rc;
	if (a.manifests > 0) {
		Sl_cover(s, "S1.1-13", SL_SRC_FIRMWARE);
		Sl_cover(s, "S1.1-12", SL_SRC_FIRMWARE);
	} else if (a.prefs == 0) {
		Sl_incomplete(s,
		              "app: %s holds no AndroidManifest.xml at its "
		              "top: the manifest flags were not read",
		              path);
	}
	if (a.dex == 0 && a.manifests > 0)
		Sl_incomplete(s, "app: no classes*.dex: the code was not "
		                 "searched for trust-all certificate checks");
	if (a.prefs > 0)
		Sl_cover(s, "S1.1-11", SL_SRC_FIRMWARE);
	run_fw_check(s, &Sl_check_secrets);
	run_fw_check(s, &Sl_check_transport);
	return SL_OK;
}
