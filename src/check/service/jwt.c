/*
 * jwt.c - JSON web tokens (RFC 7519) in compact JWS form (RFC 7515):
 * take one apart, check an HMAC secret against it, make one.
 *
 *   base64url(header) "." base64url(payload) "." base64url(signature)
 *
 * Trust: the token is the vendor's server output.  It is at most
 * SL_JWT_MAX bytes; the decoded header, payload and signature go into
 * fixed buffers of struct Sl_jwt and a part that does not fit makes the
 * token "not a JWT"; the claims are read with jansson.  Written by hand
 * because no Debian C library offers JWS without pulling in a JOSE stack,
 * and the checks need exactly the malformed tokens a library refuses to
 * build (alg none, a wrong signature, an expired exp).
 */
#include <jansson.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <stdio.h>

#include "service.h"

static const char b64[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

size_t
Sl_b64url_enc(const uint8_t *p, size_t n, char *out, size_t cap)
{
	size_t i, o = 0;

	if (cap == 0 || n > (cap - 1) / 4 * 3)
		return 0;
	for (i = 0; i + 2 < n; i += 3) {
		uint32_t v =
		    (uint32_t)p[i] << 16 | (uint32_t)p[i + 1] << 8 | p[i + 2];

		out[o++] = b64[v >> 18 & 63];
		out[o++] = b64[v >> 12 & 63];
		out[o++] = b64[v >> 6 & 63];
		out[o++] = b64[v & 63];
	}
	if (n - i == 1) {
		uint32_t v = (uint32_t)p[i] << 16;

		out[o++] = b64[v >> 18 & 63];
		out[o++] = b64[v >> 12 & 63];
	} else if (n - i == 2) {
		uint32_t v = (uint32_t)p[i] << 16 | (uint32_t)p[i + 1] << 8;

		out[o++] = b64[v >> 18 & 63];
		out[o++] = b64[v >> 12 & 63];
		out[o++] = b64[v >> 6 & 63];
	}
	out[o] = 0;
	return o;
}

static int
b64val(char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '-')
		return 62;
	if (c == '_')
		return 63;
	return -1;
}

size_t
Sl_b64url_dec(const char *p, size_t n, uint8_t *out, size_t cap)
{
	uint32_t acc = 0;
	size_t i, o = 0;
	int bits = 0;

	if (n % 4 == 1)
		return (size_t)-1;
	for (i = 0; i < n; i++) {
		int v = b64val(p[i]);

		if (v < 0)
			return (size_t)-1;
		acc = acc << 6 | (uint32_t)v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			if (o >= cap)
				return (size_t)-1;
			out[o++] = (uint8_t)(acc >> bits);
		}
	}
	return o;
}

/* Decode a part into a NUL-terminated JSON text buffer. */
static bool
part(const char *p, size_t n, char *out, size_t cap)
{
	size_t l = Sl_b64url_dec(p, n, (uint8_t *)out, cap - 1);

	if (l == (size_t)-1 || l == 0 || memchr(out, 0, l) != NULL)
		return false;
	out[l] = 0;
	return true;
}

static bool
claim(json_t *o, const char *k, int64_t *v)
{
	json_t *x = json_object_get(o, k);

	if (json_is_integer(x)) {
		*v = (int64_t)json_integer_value(x);
		return true;
	}
	if (json_is_real(x)) {
		/* UNTRUSTED: 1e102 or -1e300 is valid JSON; converting a
		 * double outside int64_t's range is undefined.  Clamp. */
		double d = json_real_value(x);

		if (d != d)
			return false;
		if (d >= 9223372036854775807.0)
			*v = INT64_MAX;
		else if (d <= -9223372036854775808.0)
			*v = INT64_MIN;
		else
			*v = (int64_t)d;
		return true;
	}
	return false;
}

bool
Sl_jwt_parse(const char *token, struct Sl_jwt *j)
{
	const char *d1, *d2;
	size_t n = strnlen(token, SL_JWT_MAX + 1);
	json_t *h, *p;
	const char *alg;
	bool ok = false;

	memset(j, 0, sizeof(*j));
	if (n > SL_JWT_MAX || (d1 = strchr(token, '.')) == NULL ||
	    (d2 = strchr(d1 + 1, '.')) == NULL || strchr(d2 + 1, '.') != NULL)
		return false;
	if (!part(token, (size_t)(d1 - token), j->header, sizeof(j->header)) ||
	    !part(d1 + 1, (size_t)(d2 - d1 - 1), j->payload,
	          sizeof(j->payload)))
		return false;
	j->sig_len =
	    Sl_b64url_dec(d2 + 1, strlen(d2 + 1), j->sig, sizeof(j->sig));
	if (j->sig_len == (size_t)-1)
		return false;
	j->signing_input = token;
	j->signing_len = (size_t)(d2 - token);
	h = json_loads(j->header, 0, NULL);
	p = json_loads(j->payload, 0, NULL);
	alg = json_string_value(json_object_get(h, "alg"));
	if (json_is_object(h) && json_is_object(p) && alg != NULL &&
	    strlen(alg) < sizeof(j->alg)) {
		snprintf(j->alg, sizeof(j->alg), "%s", alg);
		j->has_exp = claim(p, "exp", &j->exp);
		j->has_iat = claim(p, "iat", &j->iat);
		ok = true;
	}
	json_decref(h);
	json_decref(p);
	return ok;
}

static const EVP_MD *
hmac_md(const char *alg)
{
	if (strcmp(alg, "HS256") == 0)
		return EVP_sha256();
	if (strcmp(alg, "HS384") == 0)
		return EVP_sha384();
	if (strcmp(alg, "HS512") == 0)
		return EVP_sha512();
	return NULL;
}

bool
Sl_jwt_hmac_ok(const struct Sl_jwt *j, const char *secret)
{
	const EVP_MD *md = hmac_md(j->alg);
	uint8_t mac[EVP_MAX_MD_SIZE];
	unsigned ml = 0;

	if (md == NULL || j->signing_input == NULL)
		return false;
	if (HMAC(md, secret, (int)strlen(secret),
	         (const uint8_t *)j->signing_input, j->signing_len, mac,
	         &ml) == NULL)
		return false;
	return ml == j->sig_len && CRYPTO_memcmp(mac, j->sig, ml) == 0;
}

size_t
Sl_jwt_make(const char *header, const char *payload, const char *alg,
            const char *secret, char *out, size_t cap)
{
	size_t o, l;

	o = Sl_b64url_enc((const uint8_t *)header, strlen(header), out, cap);
	if (o == 0 || o + 2 >= cap)
		return 0;
	out[o++] = '.';
	l = Sl_b64url_enc((const uint8_t *)payload, strlen(payload), out + o,
	                  cap - o);
	if (l == 0 || o + l + 2 >= cap)
		return 0;
	o += l;
	out[o++] = '.';
	out[o] = 0;
	if (secret != NULL) {
		const EVP_MD *md = hmac_md(alg);
		uint8_t mac[EVP_MAX_MD_SIZE];
		unsigned ml = 0;

		if (md == NULL ||
		    HMAC(md, secret, (int)strlen(secret), (const uint8_t *)out,
		         o - 1, mac, &ml) == NULL)
			return 0;
		l = Sl_b64url_enc(mac, ml, out + o, cap - o);
		if (l == 0)
			return 0;
		o += l;
	}
	return o;
}
