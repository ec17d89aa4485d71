/*
 * service.c - sl_scan_service: the product's cloud API, checked as the
 * device is (`starlab service URL --openapi FILE`).
 *
 * The steps, in this order (the rate check is last: it may lock the test
 * account out, and everything before needs its login):
 *
 *   transport   https: net.tls's grading of the API's TLS endpoint
 *               (NET-TLS-*, S1.1-12); http: SVC-CLEARTEXT (S1.1-12)
 *   unauth      every protected GET answered 2xx without a token:
 *               SVC-UNAUTH-DATA (S1.1-01), one finding, every endpoint
 *   login       each test account logs in; the bearer token is read from
 *               the answer (token, access_token, accessToken, jwt,
 *               id_token, at the top or under "data")
 *   token       on a protected GET that answers 2xx with the token and
 *               not without it (the probe): SVC-JWT-ALG-NONE,
 *               SVC-JWT-SIG-UNCHECKED, SVC-JWT-WEAK-SECRET (the HMAC
 *               secret is in the default-password list; offline),
 *               SVC-JWT-EXPIRED-ACCEPTED (a token forged with exp in the
 *               past, when one of the three above allows forging),
 *               SVC-JWT-NO-EXP, SVC-JWT-LONG-LIFETIME (all S1.1-01)
 *   binding     with two accounts: ids read from account B's answers
 *               fill the path parameter of a protected GET; B's token
 *               must get 2xx, then A's token getting 2xx too is
 *               SVC-CROSS-ACCOUNT (S1.1-01)
 *   enumeration an unknown user and a known user with a wrong password:
 *               different status or body is SVC-USER-ENUM (S1.1-04); with
 *               the same answers, timing is compared over three pairs and
 *               reported only when every known-user answer is slower
 *               than every unknown-user one by SVC_ENUM_GAP_MS
 *               (SVC-USER-ENUM-TIMING)
 *   rate        up to bf_attempts wrong passwords for account A, stopping
 *               at the first 429/423/503, Retry-After, "locked" or "too
 *               many": none seen is SVC-NO-RATE-LIMIT (S1.1-04); seen is
 *               SVC-LOGIN-THROTTLED (info)
 *
 *   bind        --intrusive, two accounts, a binding operation: A binds
 *               a serial of B's answers with nothing else; taken is
 *               SVC-BIND-NO-PROOF (S1.1-01); B binds it back
 *   policy      --intrusive, a registration operation: accounts
 *               sl-pw-TAG-K registered with a 7-character, a common and
 *               a name-equal password, then the first one's password
 *               changed to each; any taken is SVC-WEAK-PASSWORD-ACCEPTED
 *               (S1.1-02), all refused with a strong control taken is
 *               SVC-PASSWORD-POLICY (info); accounts made are removed
 *               by the caller's DELETE, else listed in the evidence
 *               (runs before the enumeration and rate steps: their wrong
 *               passwords may lock the client out)
 *   replay      --replay FILE (capture.c): the captured request sent
 *               twice, SVC_REPLAY_MS apart; taken twice is
 *               SVC-REPLAY-ACCEPTED when it carries a nonce, timestamp or
 *               signature, SVC-NO-REPLAY-PROTECTION when it changes state
 *               and carries none (S1.1-01 S1.1-12); refused the second
 *               time is SVC-REPLAY-REFUSED (info)
 *
 * Without --intrusive and --replay only GET requests and the login's
 * POST are sent, to the URL's origin only (http_api.c), max_requests and
 * rate bounding the run.  A step
 * that cannot judge (no login operation, no token, no probe endpoint)
 * says so as an incomplete note and leaves its requirement uncovered.
 *
 * Trust: the document and every answer are the vendor's; the document is
 * read by openapi.c, answers are bounded by http_api.c and parsed with
 * jansson, excerpts are made printable and cut.
 */
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <openssl/rand.h>
#include <stdio.h>
#include <stdlib.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "../../net/http_api.h"
#include "../check.h"
#include "../../catalogue/default_passwords.h"
#include "../../profile/profile.h"
#include "service.h"

extern const struct Sl_check Sl_check_tls;

#define SVC_MAX_REQUESTS 300
#define SVC_RATE         50
#define SVC_BF_ATTEMPTS  20
#define SVC_TOKEN_LIFE   86400
#define SVC_EXCERPT      160 /* bytes of a body quoted */
#define SVC_MAX_IDS      32  /* ids harvested per account */
#define SVC_ENUM_PAIRS   3
#define SVC_ENUM_GAP_MS  100
#define SVC_MAX_ACCOUNTS 4
#define SVC_REPLAY_MS    1000 /* between the two sends of a capture */

/* What the service checks report (check.h: findings as data). */
enum {
	F_CLEARTEXT,
	F_UNAUTH_DATA,
	F_JWT_NO_EXP,
	F_JWT_LONG_LIFETIME,
	F_JWT_WEAK_SECRET,
	F_JWT_ALG_NONE,
	F_JWT_SIG_UNCHECKED,
	F_JWT_EXPIRED_ACCEPTED,
	F_CROSS_ACCOUNT,
	F_USER_ENUM,
	F_USER_ENUM_TIMING,
	F_LOGIN_THROTTLED,
	F_NO_RATE_LIMIT,
	F_WEAK_PASSWORD,
	F_PASSWORD_POLICY,
	F_BIND_NO_PROOF,
	F_REPLAY_ACCEPTED,
	F_NO_REPLAY_PROTECTION,
	F_REPLAY_REFUSED,
};
static const struct Sl_finding_def findings[] = {
    [F_CLEARTEXT] = {"SVC-CLEARTEXT",
                     SL_SEV_HIGH,
                     {"S1.1-12"},
                     "The cloud API is served over plain HTTP",
                     "Serve the API over HTTPS only (TLS 1.2 or later) and "
                     "refuse plain HTTP."},
    [F_UNAUTH_DATA] =
        {"SVC-UNAUTH-DATA",
         SL_SEV_HIGH,
         {"S1.1-01"},
         "Protected API operations answer without a token",
         "Require a valid token on every operation the API document marks as "
         "secured, and answer 401 without one."},
    [F_JWT_NO_EXP] = {"SVC-JWT-NO-EXP",
                      SL_SEV_MEDIUM,
                      {"S1.1-01"},
                      "The API's tokens never expire",
                      "Give every token an exp claim and a short lifetime; "
                      "refresh it instead."},
    [F_JWT_LONG_LIFETIME] = {"SVC-JWT-LONG-LIFETIME",
                             SL_SEV_LOW,
                             {"S1.1-01"},
                             "The API's tokens live longer than allowed",
                             "Shorten the token lifetime to what the profile "
                             "allows and refresh tokens instead."},
    [F_JWT_WEAK_SECRET] =
        {"SVC-JWT-WEAK-SECRET",
         SL_SEV_CRITICAL,
         {"S1.1-01"},
         "The API signs its tokens with a guessable secret",
         "Sign tokens with a random key of at least 256 bits kept out of the "
         "code, or with an asymmetric key (RS256, ES256)."},
    [F_JWT_ALG_NONE] =
        {"SVC-JWT-ALG-NONE",
         SL_SEV_CRITICAL,
         {"S1.1-01"},
         "The API accepts unsigned tokens (alg none)",
         "Verify tokens with a fixed list of algorithms that excludes none."},
    [F_JWT_SIG_UNCHECKED] =
        {"SVC-JWT-SIG-UNCHECKED",
         SL_SEV_CRITICAL,
         {"S1.1-01"},
         "The API does not check token signatures",
         "Verify every token's signature before using its claims."},
    [F_JWT_EXPIRED_ACCEPTED] = {"SVC-JWT-EXPIRED-ACCEPTED",
                                SL_SEV_HIGH,
                                {"S1.1-01"},
                                "The API accepts expired tokens",
                                "Check exp (and nbf) on every request."},
    [F_CROSS_ACCOUNT] =
        {"SVC-CROSS-ACCOUNT",
         SL_SEV_CRITICAL,
         {"S1.1-01"},
         "One account's token opens another account's resources",
         "Check on every request that the resource belongs to (or is bound to) "
         "the token's account."},
    [F_USER_ENUM] = {"SVC-USER-ENUM",
                     SL_SEV_MEDIUM,
                     {"S1.1-04"},
                     "The API login tells unknown users from wrong passwords",
                     "Answer every failed login with the same status and "
                     "message, in the same time."},
    [F_USER_ENUM_TIMING] =
        {"SVC-USER-ENUM-TIMING",
         SL_SEV_LOW,
         {"S1.1-04"},
         "The API login's answer time tells unknown users from wrong passwords",
         "Spend the same work on unknown users (compare against a dummy "
         "hash)."},
    [F_LOGIN_THROTTLED] =
        {"SVC-LOGIN-THROTTLED",
         SL_SEV_INFO,
         {"S1.1-04"},
         "The API login stops repeated wrong passwords",
         "Evidence for the assessor: keep the limit and document it."},
    [F_NO_RATE_LIMIT] =
        {"SVC-NO-RATE-LIMIT",
         SL_SEV_HIGH,
         {"S1.1-04"},
         "The API login has no rate limit or lockout",
         "Limit failed logins per account and per client (429 with "
         "Retry-After, growing delays, or a temporary lockout)."},
    /* S1.1-02 wants user-set passwords of 8 characters or more that
     * cannot be easily guessed; a cloud account's is one. */
    [F_WEAK_PASSWORD] =
        {"SVC-WEAK-PASSWORD-ACCEPTED",
         SL_SEV_MEDIUM,
         {"S1.1-02"},
         "The API takes weak passwords at registration or password change",
         "Refuse passwords shorter than 8 characters, those on a "
         "common-password list and those equal to the user name, at "
         "registration, change and reset alike."},
    [F_PASSWORD_POLICY] =
        {"SVC-PASSWORD-POLICY",
         SL_SEV_INFO,
         {"S1.1-02"},
         "The API refuses weak passwords at registration",
         "Evidence for the assessor: keep the policy and document it."},
    [F_BIND_NO_PROOF] =
        {"SVC-BIND-NO-PROOF",
         SL_SEV_CRITICAL,
         {"S1.1-01"},
         "A device is bound to an account by its serial number alone",
         "Bind a device only with proof of possession (a secret on the "
         "device or its label that the API checks, a button press, a "
         "token the device itself sends), and never re-bind a device "
         "bound to another account without its owner releasing it."},
    /* A request that can be sent again by whoever saw it once acts
     * without the sender's authentication, and its protection in
     * transit does not hold (the lab articles: nonce and timestamp). */
    [F_REPLAY_ACCEPTED] =
        {"SVC-REPLAY-ACCEPTED",
         SL_SEV_HIGH,
         {"S1.1-01", "S1.1-12"},
         "The API takes a signed request again (nonce and timestamp not "
         "checked)",
         "Refuse a request whose timestamp is outside a short window or "
         "whose nonce was seen before, and sign both."},
    [F_NO_REPLAY_PROTECTION] =
        {"SVC-NO-REPLAY-PROTECTION",
         SL_SEV_MEDIUM,
         {"S1.1-01", "S1.1-12"},
         "State-changing API requests carry no nonce or timestamp and are "
         "taken again",
         "Give state-changing requests a nonce and a timestamp under a "
         "signature, and refuse repeats and stale ones."},
    [F_REPLAY_REFUSED] =
        {"SVC-REPLAY-REFUSED",
         SL_SEV_INFO,
         {"S1.1-12"},
         "The API refuses a replayed request",
         "Evidence for the assessor: keep the nonce and timestamp checks."},
    {NULL},
};

static const char *const covers[] = {
    "S1.1-01", "S1.1-02", "S1.1-04", "S1.1-12", NULL,
};
const struct Sl_finding_table Sl_service_findings = {"service", covers,
                                                     findings};

/* Secrets tried on an HMAC-signed token besides the password list. */
static const char *const jwt_secrets[] = {
    "secret",
    "jwt_secret",
    "jwtsecret",
    "secretkey",
    "secret-key",
    "your-256-bit-secret",
    "your_jwt_secret",
    "changeit",
    "key",
    "mysecret",
    "supersecret",
    "s3cr3t",
    "test",
    "dev",
    "shhhhh",
    NULL,
};

struct account {
	char user[128], pass[128];
	char token[SL_API_MAX_TOKEN + 1];
	bool has_token;
	char *ids[SVC_MAX_IDS];   /* values of id-like keys in its answers */
	bool serial[SVC_MAX_IDS]; /* ids[i] came from a serial-number key */
	size_t nids;
};

struct svc {
	struct sl_scan *s;
	const struct sl_service_opts *o;
	struct Sl_api api;
	struct Sl_oa oa;
	struct account acc[SVC_MAX_ACCOUNTS];
	size_t nacc;
	const struct Sl_oa_op *probe; /* token needed, token accepted */
	unsigned wrong; /* wrong-password logins sent for account 0 */
	struct sl_service_opts opt; /* the options, with the profile's */
	struct Sl_at at;            /* the last finding's place (at()) */
	struct sl_evidence ev;      /* and its evidence (at.ev) */
	char url[sizeof(((struct Sl_api *)0)->base) + SL_API_MAX_PATH];
};

void
sl_service_opts_default(struct sl_service_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->max_requests = SVC_MAX_REQUESTS;
	o->rate = SVC_RATE;
	o->timeout_ms = 5000;
	o->bf_attempts = SVC_BF_ATTEMPTS;
	o->max_token_life = SVC_TOKEN_LIFE;
}

/* n bytes of an answer, printable, cut at SVC_EXCERPT. */
static void
excerpt(const struct Sl_api_resp *r, char *out, size_t cap)
{
	const char *b = Sl_api_body(r);
	size_t i, n = r->body.n, o = 0;

	if (n > SVC_EXCERPT)
		n = SVC_EXCERPT;
	for (i = 0; i < n && o + 1 < cap; i++) {
		unsigned char c = (unsigned char)b[i];

		out[o++] = c >= 0x20 && c < 0x7f ? (char)c : ' ';
	}
	out[o] = 0;
	if (r->body.n > n && o + 4 < cap)
		memcpy(out + o, "...", 4);
}

/* Where a finding of the API was seen: path (a path of the API, or a
 * whole URL) with the API's host and port. */
static const struct Sl_at *
at(struct svc *v, const char *where, const char *ex, const char *secret)
{
	if (where != NULL && where[0] == '/') {
		snprintf(v->url, sizeof(v->url), "%s%s", v->api.base, where);
		where = v->url;
	}
	memset(&v->at, 0, sizeof(v->at));
	v->ev = (struct sl_evidence){
	    .host = v->api.host, .port = v->api.port, .path = where};
	v->at.ev = &v->ev;
	v->at.excerpt = ex;
	v->at.secret = secret;
	return &v->at;
}

/* A request; false (noted as incomplete) when no answer came. */
static bool
call(struct svc *v, const char *method, const char *path, const char *bearer,
     const char *json, struct Sl_api_resp *r)
{
	if (Sl_api_call(&v->api, method, path, bearer, json, r) == SL_OK)
		return true;
	if (!v->api.limit_hit)
		Sl_incomplete(v->s, "service: %s %s: %s", method, path,
		              sl_scan_error(v->s));
	return false;
}

static bool
ok2xx(const struct Sl_api_resp *r)
{
	return r->code >= 200 && r->code < 300;
}

/*
 * 32 random bits for the unknown user's name and the wrong passwords, so
 * that no server can learn to expect them (and the library leaves the
 * caller's random() sequence alone).
 */
static uint32_t
nonce(void)
{
	uint32_t v = 0;

	if (RAND_bytes((unsigned char *)&v, sizeof(v)) != 1)
		v = (uint32_t)Sl_now_ms();
	return v;
}

/* ------------------------------------------------------------------ */
/* Accounts, login, tokens                                             */
/* ------------------------------------------------------------------ */

static void
add_account(struct svc *v, const char *user, const char *pass)
{
	struct account *a;
	size_t i;

	if (v->nacc >= SVC_MAX_ACCOUNTS)
		return;
	for (i = 0; i < v->nacc; i++)
		if (strcmp(v->acc[i].user, user) == 0)
			return;
	a = &v->acc[v->nacc++];
	snprintf(a->user, sizeof(a->user), "%s", user);
	snprintf(a->pass, sizeof(a->pass), "%s", pass);
}

/* The login body for user and pass, JSON-escaped by jansson. */
static char *
login_body(const struct Sl_oa_op *op, const char *user, const char *pass)
{
	json_t *o = json_object();
	char *t;

	json_object_set_new(o, op->user_field, json_string(user));
	json_object_set_new(o, op->pass_field, json_string(pass));
	t = json_dumps(o, JSON_COMPACT);
	json_decref(o);
	return t;
}

/* The bearer token in a login answer, copied into out. */
static bool
token_of(const struct Sl_api_resp *r, char *out, size_t cap)
{
	static const char *const keys[] = {
	    "token", "access_token", "accessToken", "jwt", "id_token", NULL,
	};
	json_t *j = json_loadb(Sl_api_body(r), r->body.n, 0, NULL);
	json_t *at[2];
	size_t i, k;
	bool ok = false;

	at[0] = j;
	at[1] = json_object_get(j, "data");
	for (k = 0; k < 2 && !ok; k++)
		for (i = 0; keys[i] != NULL && !ok; i++) {
			const char *t =
			    json_string_value(json_object_get(at[k], keys[i]));

			if (t != NULL && strlen(t) < cap && strlen(t) > 0 &&
			    strpbrk(t, "\r\n ") == NULL) {
				snprintf(out, cap, "%s", t);
				ok = true;
			}
		}
	json_decref(j);
	return ok;
}

/* POST the login for user/pass; r holds the answer. */
static bool
login(struct svc *v, const char *user, const char *pass, struct Sl_api_resp *r)
{
	char *body = login_body(v->oa.login, user, pass);
	bool ok;

	if (body == NULL) {
		memset(r, 0, sizeof(*r));
		return false;
	}
	ok = call(v, "POST", v->oa.login->path, NULL, body, r);
	free(body);
	return ok;
}

/* Keep the values of id-like keys of a JSON answer (bounded walk). */
static void
harvest(struct account *a, json_t *j, int depth)
{
	const char *k;
	json_t *x;
	size_t i;

	if (depth > 6 || a->nids >= SVC_MAX_IDS)
		return;
	if (json_is_array(j)) {
		json_array_foreach(j, i, x)
		{
			if (i >= 64)
				break;
			harvest(a, x, depth + 1);
		}
		return;
	}
	if (!json_is_object(j))
		return;
	json_object_foreach(j, k, x)
	{
		size_t kl = strlen(k);
		char val[64];

		if (json_is_object(x) || json_is_array(x)) {
			harvest(a, x, depth + 1);
			continue;
		}
		if (!(strcasecmp(k, "id") == 0 ||
		      strcasestr(k, "serial") != NULL ||
		      strcasecmp(k, "sn") == 0 ||
		      (kl > 2 && strcasecmp(k + kl - 2, "id") == 0)))
			continue;
		if (json_is_string(x) && json_string_length(x) > 0 &&
		    json_string_length(x) < sizeof(val))
			snprintf(val, sizeof(val), "%s", json_string_value(x));
		else if (json_is_integer(x))
			snprintf(val, sizeof(val), "%lld",
			         (long long)json_integer_value(x));
		else
			continue;
		/* Only values that can stand in a path as they are. */
		if (strspn(val,
		           "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstu"
		           "vwxyz0123456789-_.:") != strlen(val))
			continue;
		for (i = 0; i < a->nids; i++)
			if (strcmp(a->ids[i], val) == 0)
				break;
		if (i == a->nids && a->nids < SVC_MAX_IDS) {
			a->serial[a->nids] = strcasestr(k, "serial") != NULL ||
			                     strcasecmp(k, "sn") == 0;
			a->ids[a->nids++] = strdup(val);
		}
	}
}

static bool
has_id(const struct account *a, const char *val)
{
	size_t i;

	for (i = 0; i < a->nids; i++)
		if (a->ids[i] != NULL && strcmp(a->ids[i], val) == 0)
			return true;
	return false;
}

/* path with its single {param} replaced by val. */
static bool
fill(const char *path, const char *val, char *out, size_t cap)
{
	const char *o = strchr(path, '{'), *c = o ? strchr(o, '}') : NULL;

	if (c == NULL)
		return false;
	return (size_t)snprintf(out, cap, "%.*s%s%s", (int)(o - path), path,
	                        val, c + 1) < cap;
}

/* ------------------------------------------------------------------ */
/* The steps                                                           */
/* ------------------------------------------------------------------ */

static sl_rc
step_transport(struct svc *v)
{
	struct sl_device_opts dopts;
	struct Sl_dev *saved = v->s->dev;
	struct Sl_service *svc;
	char ex[512];
	sl_rc rc;

	if (!v->api.tls) {
		snprintf(ex, sizeof(ex), "%s: the API is plain http%s%s%s",
		         v->api.base, v->oa.login ? "; the login (POST " : "",
		         v->oa.login ? v->oa.login->path : "",
		         v->oa.login ? ") takes passwords in cleartext and "
		                       "returns bearer tokens in cleartext"
		                     : "");
		Sl_cover(v->s, "S1.1-12", SL_SRC_NETWORK);
		return Sl_report(v->s, &findings[F_CLEARTEXT],
		                 at(v, v->api.base, ex, NULL));
	}
	/*
	 * The device TLS check grades a device's services; give it a device
	 * of one service, the API's endpoint, for the time of its run.
	 */
	sl_device_opts_default(&dopts);
	dopts.timeout_ms = v->o->timeout_ms;
	dopts.ca_file = v->o->ca_file;
	v->s->dev = NULL;
	rc = Sl_dev_open(v->s, v->api.host, &dopts);
	if (rc == SL_OK &&
	    (svc = Sl_service_add(v->s, IPPROTO_TCP, 0, v->api.port)) != NULL) {
		svc->pub.name = "https";
		svc->pub.tls = true;
		rc = Sl_check_tls.run(v->s);
		if (rc == SL_OK)
			Sl_cover(v->s, "S1.1-12", SL_SRC_NETWORK);
	} else if (rc != SL_OK) {
		Sl_incomplete(v->s, "service: TLS of %s not graded: %s",
		              v->api.base, sl_scan_error(v->s));
		rc = SL_OK;
	}
	Sl_dev_release(v->s);
	v->s->dev = saved;
	return rc;
}

/*
 * GET path without a token; true when it answered 2xx (line appended to
 * ex).  With bearer set, the path must first answer 2xx with it: an id
 * that is not a real resource proves nothing.
 */
static bool
open_without(struct svc *v, const char *path, const char *bearer, bool *asked,
             char *ex, size_t cap, size_t *n)
{
	char line[400], body[SVC_EXCERPT + 8];
	struct Sl_api_resp r;
	bool open;

	if (bearer != NULL) {
		if (!call(v, "GET", path, bearer, NULL, &r) || !ok2xx(&r)) {
			Sl_api_resp_free(&r);
			return false;
		}
		Sl_api_resp_free(&r);
	}
	if (!call(v, "GET", path, NULL, NULL, &r)) {
		Sl_api_resp_free(&r);
		return false;
	}
	*asked = true;
	open = ok2xx(&r);
	if (open) {
		excerpt(&r, body, sizeof(body));
		snprintf(line, sizeof(line), "%sGET %s -> %ld %s",
		         *n ? "; " : "", path, r.code, body);
		if (strlen(ex) + strlen(line) + 1 < cap)
			snprintf(ex + strlen(ex), cap - strlen(ex), "%s", line);
		(*n)++;
	}
	Sl_api_resp_free(&r);
	return open;
}

static sl_rc
step_unauth(struct svc *v)
{
	const struct account *b = v->nacc > 1 ? &v->acc[1] : &v->acc[0];
	char ex[2048] = "", path[SL_API_MAX_PATH];
	size_t i, k, n = 0, tried = 0;

	for (i = 0; i < v->oa.nops; i++) {
		const struct Sl_oa_op *op = &v->oa.ops[i];
		bool asked = false;

		if (!op->protected_ || strcmp(op->method, "GET") != 0 ||
		    op->nparams > 1)
			continue;
		if (op->nparams == 0) {
			(void)open_without(v, op->path, NULL, &asked, ex,
			                   sizeof(ex), &n);
		} else if (v->nacc > 0 && b->has_token) {
			/* Ids the account's own answers named. */
			for (k = 0; k < b->nids && k < 4 && !asked; k++)
				if (fill(op->path, b->ids[k], path,
				         sizeof(path)))
					(void)open_without(v, path, b->token,
					                   &asked, ex,
					                   sizeof(ex), &n);
		}
		tried += asked;
	}
	if (tried == 0) {
		Sl_incomplete(v->s, "service: no protected GET operation "
		                    "could be asked without a token");
		return SL_OK;
	}
	Sl_cover(v->s, "S1.1-01", SL_SRC_NETWORK);
	if (n == 0)
		return SL_OK;
	return Sl_report(v->s, &findings[F_UNAUTH_DATA],
	                 at(v, v->api.base, ex, NULL));
}

/* Log every account in and read what its token may see. */
static void
step_login(struct svc *v)
{
	size_t i, k;

	for (i = 0; i < v->nacc; i++) {
		struct account *a = &v->acc[i];
		struct Sl_api_resp r;

		if (!login(v, a->user, a->pass, &r)) {
			Sl_api_resp_free(&r);
			continue;
		}
		if (!ok2xx(&r) || !token_of(&r, a->token, sizeof(a->token)))
			Sl_incomplete(v->s,
			              "service: account %s: POST %s answered "
			              "%ld without a bearer token",
			              a->user, v->oa.login->path, r.code);
		else
			a->has_token = true;
		Sl_api_resp_free(&r);
		if (!a->has_token)
			continue;
		for (k = 0; k < v->oa.nops; k++) {
			const struct Sl_oa_op *op = &v->oa.ops[k];
			struct Sl_api_resp q;
			json_t *j;

			if (!op->protected_ || op->nparams > 0 ||
			    strcmp(op->method, "GET") != 0)
				continue;
			if (!call(v, "GET", op->path, a->token, NULL, &q)) {
				Sl_api_resp_free(&q);
				continue;
			}
			if (ok2xx(&q)) {
				j = json_loadb(Sl_api_body(&q), q.body.n, 0,
				               NULL);
				harvest(a, j, 0);
				json_decref(j);
				if (v->probe == NULL && i == 0)
					v->probe = op;
			}
			Sl_api_resp_free(&q);
		}
	}
}

/* Does the probe endpoint accept this token?  -1: no answer. */
static int
accepted(struct svc *v, const char *token, long *code)
{
	struct Sl_api_resp r;
	int ok;

	if (!call(v, "GET", v->probe->path, token, NULL, &r)) {
		Sl_api_resp_free(&r);
		return -1;
	}
	*code = r.code;
	ok = ok2xx(&r);
	Sl_api_resp_free(&r);
	return ok;
}

/* The payload with exp and iat set to the past, as JSON text. */
static char *
expired_payload(const char *payload)
{
	json_t *p = json_loads(payload, 0, NULL);
	int64_t now = (int64_t)time(NULL);
	char *t;

	if (!json_is_object(p)) {
		json_decref(p);
		return NULL;
	}
	json_object_set_new(p, "iat", json_integer(now - 7200));
	json_object_set_new(p, "exp", json_integer(now - 3600));
	t = json_dumps(p, JSON_COMPACT);
	json_decref(p);
	return t;
}

/*
 * How long the token lives: exp - iat, or exp - now without iat.  Both
 * claims are the server's and may be anywhere in int64_t: the difference
 * saturates instead of overflowing.
 */
static int64_t
token_life(const struct Sl_jwt *j)
{
	int64_t from = j->has_iat ? j->iat : (int64_t)time(NULL), life;

	if (__builtin_sub_overflow(j->exp, from, &life))
		return j->exp > from ? INT64_MAX : INT64_MIN;
	return life;
}

static sl_rc
step_token(struct svc *v)
{
	struct account *a = &v->acc[0];
	struct Sl_jwt j;
	char tok[SL_API_MAX_TOKEN + 1], ex[1024], where[700], swhere[80];
	const char *secret = NULL, *secret_from = "";
	bool none_ok = false, sig_ok = false;
	int64_t life;
	long code = 0;
	size_t i, n;
	sl_rc rc = SL_OK;

	if (!a->has_token)
		return SL_OK;
	if (v->probe == NULL) {
		Sl_incomplete(v->s, "service: no protected GET answered with "
		                    "the token: its checks were not run");
		return SL_OK;
	}
	if (!Sl_jwt_parse(a->token, &j)) {
		Sl_incomplete(v->s, "service: the bearer token is not a JWT: "
		                    "its checks were not run");
		return SL_OK;
	}
	snprintf(where, sizeof(where), "%s%s", v->api.base, v->probe->path);
	/* Does the probe refuse a request without a token at all? */
	{
		struct Sl_api_resp r;
		bool open;

		if (!call(v, "GET", v->probe->path, NULL, NULL, &r)) {
			Sl_api_resp_free(&r);
			return SL_OK;
		}
		open = ok2xx(&r);
		Sl_api_resp_free(&r);
		if (open) {
			Sl_incomplete(v->s,
			              "service: GET %s answers without a "
			              "token: the token checks were not run",
			              v->probe->path);
			return SL_OK;
		}
	}
	Sl_cover(v->s, "S1.1-01", SL_SRC_NETWORK);

	/* The claims: exp and lifetime. */
	if (!j.has_exp) {
		snprintf(ex, sizeof(ex),
		         "token from POST %s for %s: header %s, payload %s "
		         "(no exp claim)",
		         v->oa.login->path, a->user, j.header, j.payload);
		rc = Sl_report(v->s, &findings[F_JWT_NO_EXP],
		               at(v, where, ex, NULL));
	} else if ((life = token_life(&j)) > (int64_t)v->o->max_token_life) {
		snprintf(ex, sizeof(ex),
		         "token from POST %s for %s lives %lld s (exp - iat), "
		         "more than %u s allowed: payload %s",
		         v->oa.login->path, a->user, (long long)life,
		         v->o->max_token_life, j.payload);
		rc = Sl_report(v->s, &findings[F_JWT_LONG_LIFETIME],
		               at(v, where, ex, NULL));
	}
	if (rc != SL_OK)
		return rc;

	/* The HMAC secret, offline. */
	for (i = 0; secret == NULL && i < SL_ARRAY_LEN(Sl_default_passwords);
	     i++)
		if (Sl_jwt_hmac_ok(&j, Sl_default_passwords[i])) {
			secret = Sl_default_passwords[i];
			snprintf(swhere, sizeof(swhere),
			         "entry %zu of data/passwords/"
			         "default-passwords.txt",
			         i + 1);
			secret_from = swhere;
		}
	for (i = 0; secret == NULL && jwt_secrets[i] != NULL; i++)
		if (Sl_jwt_hmac_ok(&j, jwt_secrets[i])) {
			secret = jwt_secrets[i];
			secret_from = "a usual JWT example key";
		}
	if (secret != NULL) {
		snprintf(ex, sizeof(ex),
		         "the %s signature of the token from POST %s verifies "
		         "with the key \"%s\" (%s): anyone can mint tokens "
		         "for any user",
		         j.alg, v->oa.login->path, secret, secret_from);
		rc = Sl_report(v->s, &findings[F_JWT_WEAK_SECRET],
		               at(v, where, ex, secret));
		if (rc != SL_OK)
			return rc;
	}

	/* alg none. */
	if (Sl_jwt_make("{\"alg\":\"none\",\"typ\":\"JWT\"}", j.payload, NULL,
	                NULL, tok, sizeof(tok)) > 0 &&
	    accepted(v, tok, &code) == 1) {
		none_ok = true;
		snprintf(ex, sizeof(ex),
		         "GET %s with Authorization: Bearer <header "
		         "{\"alg\":\"none\",\"typ\":\"JWT\"}, payload %s, no "
		         "signature> -> %ld",
		         v->probe->path, j.payload, code);
		rc = Sl_report(v->s, &findings[F_JWT_ALG_NONE],
		               at(v, where, ex, NULL));
		if (rc != SL_OK)
			return rc;
	}

	/* The signature changed: a byte of it flipped. */
	n = strlen(a->token);
	if (j.sig_len > 0 && n > 2) {
		char last = a->token[n - 2];

		snprintf(tok, sizeof(tok), "%s", a->token);
		/* The second-to-last character carries whole bits. */
		tok[n - 2] = last == 'A' ? 'B' : 'A';
		if (accepted(v, tok, &code) == 1) {
			sig_ok = true;
			snprintf(ex, sizeof(ex),
			         "GET %s with the token of %s, one character "
			         "of its signature changed (%c -> %c) -> %ld",
			         v->probe->path, a->user, last, tok[n - 2],
			         code);
			rc = Sl_report(v->s, &findings[F_JWT_SIG_UNCHECKED],
			               at(v, where, ex, NULL));
			if (rc != SL_OK)
				return rc;
		}
	}

	/* An expired token, when one can be made. */
	if (secret != NULL || none_ok || sig_ok) {
		char *pl = expired_payload(j.payload);
		const char *how;
		size_t made = 0;

		if (pl == NULL)
			return SL_OK;
		if (secret != NULL) {
			char hdr[64];

			snprintf(hdr, sizeof(hdr),
			         "{\"alg\":\"%s\",\"typ\":\"JWT\"}", j.alg);
			made = Sl_jwt_make(hdr, pl, j.alg, secret, tok,
			                   sizeof(tok));
			how = "signed with the guessed key";
		} else if (none_ok) {
			made = Sl_jwt_make("{\"alg\":\"none\",\"typ\":\"JWT\"}",
			                   pl, NULL, NULL, tok, sizeof(tok));
			how = "unsigned (alg none)";
		} else {
			char sig[700];

			made = Sl_b64url_enc(j.sig, j.sig_len, sig,
			                     sizeof(sig)) > 0
			           ? Sl_jwt_make(j.header, pl, NULL, NULL, tok,
			                         sizeof(tok) - sizeof(sig))
			           : 0;
			if (made > 0)
				snprintf(tok + strlen(tok),
				         sizeof(tok) - strlen(tok), "%s", sig);
			how = "with the original signature";
		}
		if (made > 0 && accepted(v, tok, &code) == 1) {
			snprintf(ex, sizeof(ex),
			         "GET %s with a token whose exp lies an hour "
			         "in the past (payload %s, %s) -> %ld",
			         v->probe->path, pl, how, code);
			rc = Sl_report(v->s, &findings[F_JWT_EXPIRED_ACCEPTED],
			               at(v, where, ex, secret));
		}
		free(pl);
	} else {
		Sl_incomplete(v->s,
		              "service: expired tokens not tried: no token "
		              "with a past exp can be made without the "
		              "server's key (it is not guessable, alg none "
		              "and bad signatures are refused)");
	}
	return rc;
}

static sl_rc
step_binding(struct svc *v)
{
	struct account *a = &v->acc[0], *b = &v->acc[1];
	char ex[1024], body[SVC_EXCERPT + 8], path[SL_API_MAX_PATH];
	size_t i, k, tried = 0;
	sl_rc rc = SL_OK;

	if (v->nacc < 2 || !a->has_token || !b->has_token) {
		Sl_incomplete(v->s, "service: cross-account access not tried: "
		                    "it needs two test accounts that log in");
		return SL_OK;
	}
	for (i = 0; i < v->oa.nops && rc == SL_OK; i++) {
		const struct Sl_oa_op *op = &v->oa.ops[i];

		if (!op->protected_ || op->nparams != 1 ||
		    strcmp(op->method, "GET") != 0)
			continue;
		for (k = 0; k < b->nids && k < 3; k++) {
			struct Sl_api_resp r;
			bool mine, theirs;

			if (has_id(a, b->ids[k]) ||
			    !fill(op->path, b->ids[k], path, sizeof(path)))
				continue;
			if (!call(v, "GET", path, b->token, NULL, &r)) {
				Sl_api_resp_free(&r);
				continue;
			}
			mine = ok2xx(&r);
			Sl_api_resp_free(&r);
			if (!mine)
				continue; /* not B's resource after all */
			if (!call(v, "GET", path, a->token, NULL, &r)) {
				Sl_api_resp_free(&r);
				continue;
			}
			tried++;
			theirs = ok2xx(&r);
			if (theirs) {
				excerpt(&r, body, sizeof(body));
				snprintf(ex, sizeof(ex),
				         "GET %s (%s of account %s) with the "
				         "token of account %s -> %ld %s",
				         path, op->param ? op->param : "id",
				         b->user, a->user, r.code, body);
				rc = Sl_report(v->s, &findings[F_CROSS_ACCOUNT],
				               at(v, path, ex, NULL));
				Sl_api_resp_free(&r);
				break;
			}
			Sl_api_resp_free(&r);
			break; /* one refused id per operation is enough */
		}
	}
	if (tried == 0)
		Sl_incomplete(v->s,
		              "service: cross-account access not tried: no "
		              "protected GET with one path parameter took an "
		              "id seen in the second account's answers");
	return rc;
}

static sl_rc
step_enum(struct svc *v)
{
	struct account *a = &v->acc[0];
	struct Sl_api_resp ru, rk;
	char unknown[64], wrong[64], eu[SVC_EXCERPT + 8], ek[SVC_EXCERPT + 8];
	char ex[1024];
	unsigned tu[SVC_ENUM_PAIRS], tk[SVC_ENUM_PAIRS], maxu = 0, mink = ~0U;
	bool differ;
	size_t i;
	sl_rc rc = SL_OK;

	snprintf(unknown, sizeof(unknown), "sl-nouser-%08lx",
	         (unsigned long)nonce());
	snprintf(wrong, sizeof(wrong), "Sl-wrong-%08lx",
	         (unsigned long)nonce());
	if (!login(v, unknown, wrong, &ru)) {
		Sl_api_resp_free(&ru);
		return SL_OK;
	}
	if (!login(v, a->user, wrong, &rk)) {
		Sl_api_resp_free(&ru);
		Sl_api_resp_free(&rk);
		return SL_OK;
	}
	v->wrong++;
	if (ok2xx(&ru) || ok2xx(&rk) || rk.code == 429 || ru.code == 429) {
		Sl_incomplete(v->s,
		              "service: user enumeration not judged: "
		              "the wrong logins answered %ld and %ld",
		              ru.code, rk.code);
		goto out;
	}
	Sl_cover(v->s, "S1.1-04", SL_SRC_NETWORK);
	differ = ru.code != rk.code || ru.body.n != rk.body.n ||
	         memcmp(Sl_api_body(&ru), Sl_api_body(&rk), ru.body.n) != 0;
	if (differ) {
		excerpt(&ru, eu, sizeof(eu));
		excerpt(&rk, ek, sizeof(ek));
		snprintf(ex, sizeof(ex),
		         "POST %s: unknown user %s -> %ld %s; known user %s "
		         "with a wrong password -> %ld %s",
		         v->oa.login->path, unknown, ru.code, eu, a->user,
		         rk.code, ek);
		rc = Sl_report(v->s, &findings[F_USER_ENUM],
		               at(v, v->oa.login->path, ex, NULL));
		goto out;
	}
	/* Same answers: compare the times over a few pairs. */
	for (i = 0; i < SVC_ENUM_PAIRS; i++) {
		struct Sl_api_resp x, y;
		bool okx, oky;

		memset(&y, 0, sizeof(y));
		okx = login(v, unknown, wrong, &x);
		oky = okx && login(v, a->user, wrong, &y);

		if (okx && oky)
			v->wrong++;
		tu[i] = x.ms;
		tk[i] = oky ? y.ms : 0;
		Sl_api_resp_free(&x);
		if (okx)
			Sl_api_resp_free(&y);
		if (!oky || x.code == 429 || y.code == 429)
			goto out;
		if (tu[i] > maxu)
			maxu = tu[i];
		if (tk[i] < mink)
			mink = tk[i];
	}
	if (mink > maxu + SVC_ENUM_GAP_MS) {
		snprintf(ex, sizeof(ex),
		         "POST %s, %d pairs: unknown user answered in %u, %u, "
		         "%u ms; known user with a wrong password in %u, %u, "
		         "%u ms (same status and body)",
		         v->oa.login->path, SVC_ENUM_PAIRS, tu[0], tu[1], tu[2],
		         tk[0], tk[1], tk[2]);
		rc = Sl_report(v->s, &findings[F_USER_ENUM_TIMING],
		               at(v, v->oa.login->path, ex, NULL));
	}
out:
	Sl_api_resp_free(&ru);
	Sl_api_resp_free(&rk);
	return rc;
}

static bool
blocked(const struct Sl_api_resp *r)
{
	const char *b = Sl_api_body(r);

	return r->code == 429 || r->code == 423 || r->code == 503 ||
	       strcasestr(b, "too many") != NULL ||
	       strcasestr(b, "locked") != NULL;
}

static sl_rc
step_rate(struct svc *v)
{
	struct account *a = &v->acc[0];
	char ex[1024], pass[64], body[SVC_EXCERPT + 8];
	unsigned i, first_ms = 0, last_ms = 0;
	uint64_t t0 = Sl_now_ms();
	long last = 0;

	for (i = 1; i <= v->o->bf_attempts; i++) {
		struct Sl_api_resp r;

		snprintf(pass, sizeof(pass), "Sl-wrong-%u-%08lx", i,
		         (unsigned long)nonce());
		if (!login(v, a->user, pass, &r)) {
			Sl_api_resp_free(&r);
			Sl_incomplete(v->s,
			              "service: login rate not judged: no "
			              "answer after %u wrong passwords",
			              v->wrong);
			return SL_OK;
		}
		v->wrong++;
		if (i == 1)
			first_ms = r.ms;
		last_ms = r.ms;
		last = r.code;
		if (blocked(&r)) {
			excerpt(&r, body, sizeof(body));
			snprintf(ex, sizeof(ex),
			         "POST %s for %s: wrong password %u of this "
			         "run (%u in all) -> %ld %s",
			         v->oa.login->path, a->user, i, v->wrong,
			         r.code, body);
			Sl_api_resp_free(&r);
			Sl_cover(v->s, "S1.1-04", SL_SRC_NETWORK);
			return Sl_report(v->s, &findings[F_LOGIN_THROTTLED],
			                 at(v, v->oa.login->path, ex, NULL));
		}
		if (ok2xx(&r)) {
			Sl_api_resp_free(&r);
			Sl_incomplete(v->s, "service: login rate not judged: a "
			                    "wrong password was accepted");
			return SL_OK;
		}
		Sl_api_resp_free(&r);
	}
	Sl_cover(v->s, "S1.1-04", SL_SRC_NETWORK);
	/* A delay that grows tenfold past a second is throttling too. */
	if (last_ms > 1000 && last_ms > 10 * (first_ms + 1))
		return SL_OK;
	snprintf(ex, sizeof(ex),
	         "POST %s for %s: %u wrong passwords in %llu ms, every one "
	         "answered (last %ld, first in %u ms, last in %u ms); no "
	         "429, lockout or growing delay",
	         v->oa.login->path, a->user, v->o->bf_attempts,
	         (unsigned long long)(Sl_now_ms() - t0), last, first_ms,
	         last_ms);
	return Sl_report(v->s, &findings[F_NO_RATE_LIMIT],
	                 at(v, v->oa.login->path, ex, NULL));
}

/* ------------------------------------------------------------------ */
/* Intrusive steps (--intrusive) and the replay (--replay FILE)        */
/* ------------------------------------------------------------------ */

/* Append "METHOD path body -> code excerpt" to a transcript. */
static void
tline(char *t, size_t cap, const char *method, const char *path,
      const char *body, const struct Sl_api_resp *r)
{
	char ex[SVC_EXCERPT + 8];
	size_t used = strlen(t);

	if (r != NULL)
		excerpt(r, ex, sizeof(ex));
	snprintf(t + used, cap - used, "%s%s %s%s%s -> %ld %s",
	         used ? "; " : "", method, path, body ? " " : "",
	         body ? body : "", r ? r->code : 0L, r ? ex : "no answer");
}

/* A JSON object of up to two string members, compact. */
static char *
body2(const char *k1, const char *v1, const char *k2, const char *v2)
{
	json_t *o = json_object();
	char *t;

	json_object_set_new(o, k1, json_string(v1));
	if (k2 != NULL)
		json_object_set_new(o, k2, json_string(v2));
	t = json_dumps(o, JSON_COMPACT);
	json_decref(o);
	return t;
}

/* POST/PUT body to op's path (no parameters); transcript appended. */
static bool
send_body(struct svc *v, const struct Sl_oa_op *op, const char *bearer,
          char *body, char *t, size_t cap, long *code)
{
	struct Sl_api_resp r;
	bool got;

	*code = 0;
	if (body == NULL)
		return false;
	got = call(v, op->method, op->path, bearer, body, &r);
	tline(t, cap, op->method, op->path, body, got ? &r : NULL);
	if (got)
		*code = r.code;
	Sl_api_resp_free(&r);
	free(body);
	return got;
}

/* The weak passwords tried: too short, on the common list, the name. */
enum { W_SHORT, W_COMMON, W_NAME, W_N };
static const char *const weak_what[W_N] = {
    "7 characters (STAR-1 wants 8 at least)",
    "on every common-password list",
    "the same as the user name",
};

static void
weak_password(int k, const char *user, uint32_t tag, char *out, size_t cap)
{
	if (k == W_SHORT)
		snprintf(out, cap, "Q%06lx", (unsigned long)(tag & 0xffffff));
	else if (k == W_COMMON)
		snprintf(out, cap, "password");
	else
		snprintf(out, cap, "%s", user);
}

/* Log user in; the token into tok. */
static bool
login_token(struct svc *v, const char *user, const char *pass, char *tok,
            size_t cap)
{
	struct Sl_api_resp r;
	bool ok =
	    login(v, user, pass, &r) && ok2xx(&r) && token_of(&r, tok, cap);

	Sl_api_resp_free(&r);
	return ok;
}

struct made {
	char user[64], pass[64];
	bool removed;
};

/*
 * Password policy: register accounts with weak passwords, change a
 * made account's password to weak ones; every account made is named
 * sl-pw-TAG-K (TAG random) and removed when the document has a DELETE
 * of the caller's account, else listed in the evidence.
 */
static sl_rc
step_policy(struct svc *v)
{
	const struct Sl_oa_op *reg = v->oa.reg, *chg = v->oa.change;
	struct made made[W_N + 1];
	char t[3000] = "", acc[400] = "", pw[64], tok[SL_API_MAX_TOKEN + 1];
	char ex[3600], cur[64];
	size_t nmade = 0, i;
	uint32_t tag = nonce();
	bool weak[W_N] = {false}, any = false;
	int k, accepted = 0, tried = 0;
	long code;

	if (reg == NULL && chg == NULL)
		return SL_OK;
	if (!v->o->intrusive) {
		Sl_incomplete(v->s,
		              "service: password policy not tried: it makes "
		              "test accounts (--intrusive)");
		return SL_OK;
	}
	if (reg == NULL) {
		Sl_incomplete(v->s,
		              "service: password policy not tried: the "
		              "document names no registration, and the test "
		              "accounts' passwords are not changed");
		return SL_OK;
	}
	for (k = 0; k < W_N; k++) {
		struct made *m = &made[nmade];

		snprintf(m->user, sizeof(m->user), "sl-pw-%08lx-%d",
		         (unsigned long)tag, k + 1);
		weak_password(k, m->user, tag, pw, sizeof(pw));
		snprintf(m->pass, sizeof(m->pass), "%s", pw);
		if (!send_body(v, reg, NULL,
		               body2(reg->user_field, m->user, reg->pass_field,
		                     m->pass),
		               t, sizeof(t), &code))
			break;
		tried++;
		if (code >= 200 && code < 300) {
			weak[k] = true;
			accepted++;
			m->removed = false;
			nmade++;
		}
	}
	if (tried == 0)
		return SL_OK;
	/* The control: a strong password must be taken, else nothing. */
	if (accepted == 0) {
		struct made *m = &made[nmade];

		snprintf(m->user, sizeof(m->user), "sl-pw-%08lx-ok",
		         (unsigned long)tag);
		snprintf(m->pass, sizeof(m->pass), "Sl-%08lx-%08lx-Kq7!",
		         (unsigned long)nonce(), (unsigned long)nonce());
		if (!send_body(v, reg, NULL,
		               body2(reg->user_field, m->user, reg->pass_field,
		                     m->pass),
		               t, sizeof(t), &code))
			return SL_OK;
		if (code < 200 || code >= 300) {
			Sl_incomplete(
			    v->s,
			    "service: password policy not judged: the "
			    "registration refused a strong password "
			    "too (%s)",
			    t);
			return SL_OK;
		}
		nmade++;
	}
	/* The password change, on the first account made. */
	if (chg != NULL &&
	    login_token(v, made[0].user, made[0].pass, tok, sizeof(tok))) {
		snprintf(cur, sizeof(cur), "%s", made[0].pass);
		for (k = 0; k < W_N; k++) {
			weak_password(k, made[0].user, tag ^ 0x5a5a5a, pw,
			              sizeof(pw));
			if (strcmp(pw, cur) == 0)
				continue;
			if (!send_body(
			        v, chg, tok,
			        body2(chg->cur_field, cur, chg->new_field, pw),
			        t, sizeof(t), &code))
				break;
			if (code >= 200 && code < 300) {
				weak[k] = true;
				snprintf(cur, sizeof(cur), "%s", pw);
				snprintf(made[0].pass, sizeof(made[0].pass),
				         "%s", pw);
			}
		}
	} else if (chg != NULL) {
		Sl_incomplete(v->s, "service: password change not tried: the "
		                    "account made could not log in");
	}
	/* Remove what was made. */
	for (i = 0; i < nmade; i++) {
		struct Sl_api_resp r;

		if (v->oa.unreg == NULL ||
		    !login_token(v, made[i].user, made[i].pass, tok,
		                 sizeof(tok)))
			continue;
		if (call(v, "DELETE", v->oa.unreg->path, tok, NULL, &r))
			made[i].removed = ok2xx(&r);
		Sl_api_resp_free(&r);
	}
	for (i = 0; i < nmade; i++) {
		size_t used = strlen(acc);

		snprintf(acc + used, sizeof(acc) - used, "%s%s (%s)",
		         i ? ", " : "", made[i].user,
		         made[i].removed ? "removed"
		                         : "left on the service: remove it");
	}
	for (k = 0; k < W_N; k++)
		any |= weak[k];
	if (!any) {
		snprintf(ex, sizeof(ex),
		         "refused: a password of %s, %s, %s; a strong one was "
		         "taken. Transcript: %s. Accounts made: %s",
		         weak_what[0], weak_what[1], weak_what[2], t, acc);
		return Sl_report(v->s, &findings[F_PASSWORD_POLICY],
		                 at(v, reg->path, ex, NULL));
	}
	snprintf(ex, sizeof(ex),
	         "accepted: %s%s%s%s%s. Transcript: %s. "
	         "Accounts made: %s",
	         weak[W_SHORT] ? weak_what[W_SHORT] : "",
	         weak[W_SHORT] && (weak[W_COMMON] || weak[W_NAME]) ? "; " : "",
	         weak[W_COMMON] ? weak_what[W_COMMON] : "",
	         weak[W_COMMON] && weak[W_NAME] ? "; " : "",
	         weak[W_NAME] ? weak_what[W_NAME] : "", t, acc);
	return Sl_report(v->s, &findings[F_WEAK_PASSWORD],
	                 at(v, reg->path, ex, NULL));
}

/*
 * Binding takeover: account A binds, by serial alone, a device that
 * account B's answers name and A's do not; B binds it back.
 */
static sl_rc
step_bind(struct svc *v)
{
	const struct Sl_oa_op *op = v->oa.bind;
	struct account *a = &v->acc[0], *b = &v->acc[1];
	char t[2000] = "", ex[2400];
	const char *serial = NULL;
	bool confirmed = false;
	long code;
	size_t i;

	if (op == NULL)
		return SL_OK;
	if (!v->o->intrusive) {
		Sl_incomplete(v->s,
		              "service: device binding by serial not tried: "
		              "it binds the second account's device to the "
		              "first (--intrusive)");
		return SL_OK;
	}
	if (v->nacc < 2 || !a->has_token || !b->has_token) {
		Sl_incomplete(v->s, "service: device binding by serial not "
		                    "tried: it needs two test accounts that "
		                    "log in");
		return SL_OK;
	}
	for (i = 0; i < b->nids && serial == NULL; i++)
		if (b->serial[i] && !has_id(a, b->ids[i]))
			serial = b->ids[i];
	if (serial == NULL) {
		Sl_incomplete(v->s,
		              "service: device binding by serial not tried: "
		              "the second account's answers name no serial "
		              "the first account's do not");
		return SL_OK;
	}
	if (!send_body(v, op, a->token,
	               body2(op->bind_field, serial, NULL, NULL), t, sizeof(t),
	               &code))
		return SL_OK;
	if (code < 200 || code >= 300) {
		if (code == 401 || code == 403 || code == 409)
			Sl_cover(v->s, "S1.1-01", SL_SRC_NETWORK);
		else
			Sl_incomplete(v->s,
			              "service: device binding by serial not "
			              "judged: %s",
			              t);
		return SL_OK;
	}
	/* Does A now see it? */
	for (i = 0; i < v->oa.nops && !confirmed; i++) {
		const struct Sl_oa_op *g = &v->oa.ops[i];
		struct Sl_api_resp r;

		if (!g->protected_ || g->nparams > 0 ||
		    strcmp(g->method, "GET") != 0)
			continue;
		if (call(v, "GET", g->path, a->token, NULL, &r) && ok2xx(&r) &&
		    strstr(Sl_api_body(&r), serial) != NULL) {
			confirmed = true;
			tline(t, sizeof(t), "GET", g->path, NULL, &r);
		}
		Sl_api_resp_free(&r);
	}
	/* Give it back: B binds it again. */
	(void)send_body(v, op, b->token,
	                body2(op->bind_field, serial, NULL, NULL), t, sizeof(t),
	                &code);
	Sl_cover(v->s, "S1.1-01", SL_SRC_NETWORK);
	snprintf(ex, sizeof(ex),
	         "account %s bound %s %s, which account %s's answers name, "
	         "with nothing but the %s%s; then account %s bound it back%s. "
	         "Transcript: %s",
	         a->user, op->bind_field, serial, b->user, op->bind_field,
	         confirmed ? " (its device list shows it)" : "", b->user,
	         code >= 200 && code < 300 ? ""
	                                   : " (refused: re-bind it by hand)",
	         t);
	return Sl_report(v->s, &findings[F_BIND_NO_PROOF],
	                 at(v, op->path, ex, NULL));
}

static sl_rc
read_capture(struct sl_scan *s, const char *path, struct Sl_capture *c)
{
	char *buf;
	size_t n;
	sl_rc rc;

	rc = Sl_read_file(path, SL_CAP_MAX, &buf, &n);
	if (rc == SL_E_LIMIT)
		return Sl_fail(s, rc,
		               "%s: more than %u bytes (a captured request)",
		               path, SL_CAP_MAX);
	if (rc != SL_OK)
		return Sl_fail(s, rc, "%s: %s", path, strerror(errno));
	rc = Sl_capture_parse(s, path, (const uint8_t *)buf, n, c);
	free(buf);
	return rc;
}

/* The capture's path without the URL's own base path, if it has it. */
static const char *
capture_path(const struct svc *v, const char *path)
{
	const char *p = strstr(v->api.base, "://");
	size_t n;

	p = p ? strchr(p + 3, '/') : NULL;
	if (p == NULL)
		return path;
	n = strlen(p);
	return strncmp(path, p, n) == 0 && (path[n] == '/' || path[n] == '?')
	           ? path + n
	           : path;
}

/*
 * Replay: the captured request sent twice, SVC_REPLAY_MS apart.  Taken
 * both times is a finding: SVC-REPLAY-ACCEPTED when it carries a nonce,
 * timestamp or signature (they are not checked), SVC-NO-REPLAY-
 * PROTECTION when it carries none and changes state (not a GET).
 */
static sl_rc
step_replay(struct svc *v)
{
	struct Sl_capture c;
	struct Sl_api_resp r1, r2;
	const char *path;
	char t[2000] = "", ex[2600], shown[600];
	bool ok1, ok2;
	struct timespec ts = {SVC_REPLAY_MS / 1000,
	                      (SVC_REPLAY_MS % 1000) * 1000000L};
	sl_rc rc;

	if (v->o->replay == NULL)
		return SL_OK;
	rc = read_capture(v->s, v->o->replay, &c);
	if (rc != SL_OK)
		return rc;
	path = capture_path(v, c.path);
	snprintf(shown, sizeof(shown), "%s%s%s", c.path, c.body ? " " : "",
	         c.body ? "<body>" : "");
	if (!(ok1 = Sl_api_send(&v->api, c.method, path, c.headers, c.body,
	                        c.body_n, &r1) == SL_OK)) {
		Sl_incomplete(v->s, "service: replay of %s not tried: %s",
		              v->o->replay, sl_scan_error(v->s));
		Sl_api_resp_free(&r1);
		return SL_OK;
	}
	tline(t, sizeof(t), c.method, shown, NULL, &r1);
	if (!ok2xx(&r1)) {
		Sl_incomplete(
		    v->s,
		    "service: replay not judged: the captured "
		    "request was refused the first time (%s); capture "
		    "one the app has not sent (hold it in the proxy)",
		    t);
		Sl_api_resp_free(&r1);
		return SL_OK;
	}
	Sl_api_resp_free(&r1);
	nanosleep(&ts, NULL);
	ok2 = Sl_api_send(&v->api, c.method, path, c.headers, c.body, c.body_n,
	                  &r2) == SL_OK;
	if (!ok2) {
		Sl_incomplete(v->s, "service: replay of %s: no answer: %s",
		              v->o->replay, sl_scan_error(v->s));
		Sl_api_resp_free(&r2);
		return SL_OK;
	}
	tline(t, sizeof(t), c.method, shown, NULL, &r2);
	ok2 = ok2xx(&r2);
	Sl_api_resp_free(&r2);
	Sl_cover(v->s, "S1.1-12", SL_SRC_NETWORK);
	if (!ok2) {
		snprintf(ex, sizeof(ex),
		         "the captured request (%s) was taken once and "
		         "refused when sent again %d ms later. Transcript: %s",
		         c.fresh[0] ? c.fresh : "no nonce or timestamp",
		         SVC_REPLAY_MS, t);
		return Sl_report(v->s, &findings[F_REPLAY_REFUSED],
		                 at(v, path, ex, NULL));
	}
	if (c.fresh[0] != 0) {
		snprintf(ex, sizeof(ex),
		         "the captured request carries %s, and was taken "
		         "again %d ms later, unchanged. Transcript: %s",
		         c.fresh, SVC_REPLAY_MS, t);
		return Sl_report(v->s, &findings[F_REPLAY_ACCEPTED],
		                 at(v, path, ex, NULL));
	}
	if (strcmp(c.method, "GET") == 0 || strcmp(c.method, "HEAD") == 0) {
		Sl_incomplete(v->s,
		              "service: replay of a %s without a nonce or "
		              "timestamp was taken twice: a read is not judged "
		              "(capture a request that changes state)",
		              c.method);
		return SL_OK;
	}
	snprintf(ex, sizeof(ex),
	         "the captured %s carries no nonce, timestamp or signature "
	         "and was taken again %d ms later, unchanged. Transcript: %s",
	         c.method, SVC_REPLAY_MS, t);
	return Sl_report(v->s, &findings[F_NO_REPLAY_PROTECTION],
	                 at(v, path, ex, NULL));
}

/* ------------------------------------------------------------------ */
/* The entry point                                                     */
/* ------------------------------------------------------------------ */

static sl_rc
read_doc(struct sl_scan *s, const char *path, struct Sl_oa *oa)
{
	struct stat st;
	uint8_t *buf;
	ssize_t got;
	size_t n = 0;
	int fd;
	sl_rc rc;

	fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return Sl_fail(s, SL_E_IO, "%s: %s", path, strerror(errno));
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return Sl_fail(s, SL_E_IO, "%s: not a regular file", path);
	}
	if ((uint64_t)st.st_size > SL_OA_MAX_DOC) {
		close(fd);
		return Sl_fail(s, SL_E_LIMIT,
		               "%s: %lld bytes (an OpenAPI document may have "
		               "%u at most)",
		               path, (long long)st.st_size, SL_OA_MAX_DOC);
	}
	buf = malloc((size_t)st.st_size + 1);
	if (buf == NULL) {
		close(fd);
		return Sl_fail(s, SL_E_NOMEM, "out of memory");
	}
	while (n < (size_t)st.st_size &&
	       (got = read(fd, buf + n, (size_t)st.st_size - n)) > 0)
		n += (size_t)got;
	close(fd);
	rc = Sl_openapi_parse(s, path, buf, n, oa);
	free(buf);
	return rc;
}

sl_rc
sl_scan_service(struct sl_scan *s, const char *url,
                const struct sl_service_opts *o)
{
	struct svc *v;
	sl_rc rc;
	size_t i, k;

	if (s == NULL || url == NULL || o == NULL || o->openapi == NULL)
		return s ? Sl_fail(s, SL_E_USAGE,
		                   "sl_scan_service: a URL and an OpenAPI "
		                   "document are required")
		         : SL_E_USAGE;
	if (o->max_requests == 0 || o->naccounts > SL_SERVICE_MAX_ACCOUNTS)
		return Sl_fail(s, SL_E_USAGE, "bad service options");
	v = calloc(1, sizeof(*v));
	if (v == NULL)
		return Sl_fail(s, SL_E_NOMEM, "out of memory");
	v->s = s;
	/*
	 * The profile's service: section allows what the command line may
	 * also allow (the intrusive steps), names the capture to replay when
	 * the command line does not, and gives the token lifetime the
	 * product allows unless --max-token-life changed the default.
	 */
	v->opt = *o;
	if (s->profile != NULL) {
		v->opt.intrusive |= s->profile->service.intrusive;
		if (v->opt.replay == NULL)
			v->opt.replay = s->profile->service.replay;
		if (s->profile->service.max_token_life != 0 &&
		    v->opt.max_token_life == SVC_TOKEN_LIFE)
			v->opt.max_token_life =
			    s->profile->service.max_token_life;
	}
	v->o = o = &v->opt;
	if ((rc = read_doc(s, o->openapi, &v->oa)) != SL_OK)
		goto out;
	if ((rc = Sl_api_open(s, &v->api, url, o->max_requests, o->rate,
	                      o->timeout_ms)) != SL_OK)
		goto out;
	/* The report's subject, when no firmware or device is. */
	if (s->device == NULL && !s->has_fw)
		s->device = Sl_arena_strdup(&s->arena, v->api.base);
	for (i = 0; i < o->naccounts; i++) {
		const char *c = strchr(o->accounts[i], ':');
		char user[128];

		if (c == NULL || c == o->accounts[i] ||
		    (size_t)(c - o->accounts[i]) >= sizeof(user)) {
			rc = Sl_fail(s, SL_E_USAGE,
			             "account '%.40s' is not USER:PASSWORD",
			             o->accounts[i]);
			goto out;
		}
		snprintf(user, sizeof(user), "%.*s", (int)(c - o->accounts[i]),
		         o->accounts[i]);
		add_account(v, user, c + 1);
	}
	for (i = 0; s->profile != NULL && i < s->profile->ncreds; i++) {
		const struct Sl_cred *c = &s->profile->creds[i];

		if (c->service != NULL &&
		    (strcmp(c->service, "api") == 0 ||
		     strcmp(c->service, "cloud") == 0) &&
		    c->user != NULL && c->pass != NULL)
			add_account(v, c->user, c->pass);
	}
	if (v->oa.ops_capped)
		Sl_incomplete(s,
		              "service: %s: only the first %u operations "
		              "were read",
		              o->openapi, SL_OA_MAX_OPS);
	if ((rc = step_transport(v)) != SL_OK)
		goto out;
	if (v->oa.login == NULL)
		Sl_incomplete(s,
		              "service: %s names no login operation (a POST "
		              "whose JSON body has a password property)",
		              o->openapi);
	if (v->nacc == 0)
		Sl_incomplete(s, "service: no test account (--account or the "
		                 "profile's credentials with service: api): "
		                 "the login checks were not run");
	if (v->oa.login != NULL && v->nacc > 0)
		step_login(v);
	if ((rc = step_unauth(v)) != SL_OK)
		goto out;
	if (v->oa.login != NULL && v->nacc > 0) {
		if ((rc = step_token(v)) != SL_OK ||
		    (rc = step_binding(v)) != SL_OK ||
		    (rc = step_bind(v)) != SL_OK ||
		    /* Before the wrong passwords: its logins must not
		     * meet a lockout the rate check caused. */
		    (rc = step_policy(v)) != SL_OK ||
		    (rc = step_enum(v)) != SL_OK ||
		    (rc = step_rate(v)) != SL_OK)
			goto out;
	}
	/* A capture needs neither the document's login nor an account. */
	if ((rc = step_replay(v)) != SL_OK)
		goto out;
	if (v->api.limit_hit)
		Sl_incomplete(s,
		              "service: --max-requests %u reached; later "
		              "steps were cut short",
		              o->max_requests);
out:
	Sl_api_close(&v->api);
	for (i = 0; i < v->nacc; i++)
		for (k = 0; k < v->acc[i].nids; k++)
			free(v->acc[i].ids[k]);
	free(v);
	return rc;
}
