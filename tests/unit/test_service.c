/*
 * test_service.c - the pieces of `starlab service` and `starlab app` that
 * need no network: base64url, JWTs (against a token jsonwebtoken 9 made),
 * the OpenAPI reader, and the binary manifest reader's refusals.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "check/service/service.h"
#include "reader/axml.h"

/* jwt.sign({sub:'alice',uid:'u-1001',iat:1796593599}, 'secret') */
static const char node_token[] =
    "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9."
    "eyJzdWIiOiJhbGljZSIsInVpZCI6InUtMTAwMSIsImlhdCI6MTc5NjU5MzU5OX0."
    "5uYR31hHC1zucxBXQAQ2f-QKfzLiD3Ox-vXYePHQ3dI";

static void
b64url(void **state)
{
	uint8_t in[7] = {0xfb, 0xff, 0x00, 'a', 'b', 'c', 'd'}, out[16];
	char enc[16];
	size_t n, k;

	(void)state;
	for (k = 0; k <= sizeof(in); k++) {
		n = Sl_b64url_enc(in, k, enc, sizeof(enc));
		assert_true(k == 0 || n > 0);
		assert_null(strpbrk(enc, "+/="));
		assert_int_equal(Sl_b64url_dec(enc, n, out, sizeof(out)), k);
		assert_memory_equal(in, out, k);
	}
	assert_int_equal(Sl_b64url_dec("a+b", 3, out, sizeof(out)), (size_t)-1);
	assert_int_equal(Sl_b64url_dec("abcde", 5, out, sizeof(out)),
	                 (size_t)-1); /* 5 mod 4 = 1: no such length */
	assert_int_equal(Sl_b64url_dec("abcdefgh", 8, out, 5), (size_t)-1);
	/* Too small an output buffer: nothing written past it. */
	assert_int_equal(Sl_b64url_enc(in, 7, enc, 10), 0);
}

static void
jwt_node(void **state)
{
	struct Sl_jwt j;
	char tok[512];

	(void)state;
	assert_true(Sl_jwt_parse(node_token, &j));
	assert_string_equal(j.alg, "HS256");
	assert_false(j.has_exp);
	assert_true(j.has_iat);
	assert_int_equal(j.iat, 1796593599);
	assert_true(Sl_jwt_hmac_ok(&j, "secret"));
	assert_false(Sl_jwt_hmac_ok(&j, "Secret"));
	/* Making the same token again gives the same bytes. */
	assert_true(Sl_jwt_make(j.header, j.payload, "HS256", "secret", tok,
	                        sizeof(tok)) > 0);
	assert_string_equal(tok, node_token);
	/* alg none: an empty signature, still a JWT. */
	assert_true(Sl_jwt_make("{\"alg\":\"none\"}", j.payload, NULL, NULL,
	                        tok, sizeof(tok)) > 0);
	assert_true(Sl_jwt_parse(tok, &j));
	assert_int_equal(j.sig_len, 0);
	assert_false(Sl_jwt_hmac_ok(&j, "secret"));
	/* Not JWTs. */
	assert_false(Sl_jwt_parse("abc", &j));
	assert_false(Sl_jwt_parse("a.b.c.d", &j));
	assert_false(Sl_jwt_parse("e30.e30.!!", &j));
	assert_false(Sl_jwt_parse("WzFd.e30.", &j)); /* header [1] */
	/* Does not fit: out too small. */
	assert_int_equal(Sl_jwt_make("{}", "{}", "HS256", "k", tok, 20), 0);
	/* Claims far outside int64_t (found by the openapi fuzz target):
	 * clamped, never an undefined conversion. */
	assert_true(Sl_jwt_make("{\"alg\":\"HS256\"}",
	                        "{\"iat\":1791E99,\"exp\":-1e300}", "HS256",
	                        "k", tok, sizeof(tok)) > 0);
	assert_true(Sl_jwt_parse(tok, &j));
	assert_true(j.has_iat && j.has_exp);
	assert_true(j.iat == INT64_MAX);
	assert_true(j.exp == INT64_MIN);
}

static const char doc[] =
    "{\"openapi\":\"3.0.3\",\"security\":[{\"b\":[]}],"
    "\"components\":{\"schemas\":{\"L\":{\"$ref\":\"#/components/schemas/M\"},"
    "\"M\":{\"properties\":{\"email\":{},\"password\":{}}}}},"
    "\"paths\":{"
    "\"/open\":{\"get\":{\"security\":[]}},"
    "\"/optional\":{\"get\":{\"security\":[{},{\"b\":[]}]}},"
    "\"/d/{id}/x/{y}\":{\"get\":{}},"
    "\"relative\":{\"get\":{}},"
    "\"/login\":{\"post\":{\"security\":[],\"requestBody\":{\"content\":"
    "{\"application/json\":{\"schema\":{\"$ref\":\"#/components/schemas/"
    "L\"}}}}}}"
    "}}";

static const struct Sl_oa_op *
op(const struct Sl_oa *oa, const char *path)
{
	size_t i;

	for (i = 0; i < oa->nops; i++)
		if (strcmp(oa->ops[i].path, path) == 0)
			return &oa->ops[i];
	return NULL;
}

static void
openapi(void **state)
{
	struct sl_scan *s = sl_scan_new(NULL);
	struct Sl_oa oa;
	const struct Sl_oa_op *o;

	(void)state;
	assert_int_equal(Sl_openapi_parse(s, "t.json", (const uint8_t *)doc,
	                                  strlen(doc), &oa),
	                 SL_OK);
	assert_int_equal(oa.nops, 4); /* "relative" is not a path */
	assert_false(op(&oa, "/open")->protected_);
	assert_false(op(&oa, "/optional")->protected_);
	o = op(&oa, "/d/{id}/x/{y}");
	assert_true(o->protected_);
	assert_int_equal(o->nparams, 2);
	assert_string_equal(o->param, "id");
	assert_non_null(oa.login);
	assert_string_equal(oa.login->path, "/login");
	assert_string_equal(oa.login->user_field, "email");
	/* Errors name the file and the place. */
	assert_int_equal(
	    Sl_openapi_parse(s, "t.json", (const uint8_t *)"{\n[", 3, &oa),
	    SL_E_MALFORMED);
	assert_non_null(strstr(sl_scan_error(s), "t.json:2:"));
	assert_int_equal(
	    Sl_openapi_parse(s, "t.json",
	                     (const uint8_t *)"{\"swagger\":\"2.0\"}", 17, &oa),
	    SL_E_MALFORMED);
	/* A $ref loop stops at the hop limit. */
	{
		static const char loop[] =
		    "{\"openapi\":\"3.1.0\",\"components\":{\"schemas\":{"
		    "\"A\":{\"$ref\":\"#/components/schemas/A\"}}},\"paths\":"
		    "{\"/l\":{\"post\":{\"requestBody\":{\"content\":{"
		    "\"application/json\":{\"schema\":{\"$ref\":"
		    "\"#/components/schemas/A\"}}}}}}}}";

		assert_int_equal(Sl_openapi_parse(s, "loop.json",
		                                  (const uint8_t *)loop,
		                                  strlen(loop), &oa),
		                 SL_OK);
		assert_null(oa.login);
	}
	sl_scan_free(s);
}

static void
openapi_yaml(void **state)
{
	static const char y[] =
	    "# comment\nopenapi: 3.1\nsecurity:\n  - bearer: []\n"
	    "paths:\n  /open:\n    get: {security: []}\n"
	    "  /d/{id}:\n    get:\n      responses: {'200': {description: x}}\n"
	    "  /login:\n    post:\n      requestBody:\n        content:\n"
	    "          application/json:\n            schema:\n"
	    "              properties: {user: {}, password: {}}\n";
	static const char alias[] =
	    "openapi: 3.0.0\na: &x [1, 2]\nb: *x\npaths: {}\n";
	static const char dup[] = "openapi: 3.0.0\npaths: {}\npaths: {}\n";
	static const char notmap[] = "- openapi\n";
	char deep[400];
	struct sl_scan *s = sl_scan_new(NULL);
	struct Sl_oa oa;
	size_t i;

	(void)state;
	assert_int_equal(
	    Sl_openapi_parse(s, "t.yaml", (const uint8_t *)y, strlen(y), &oa),
	    SL_OK);
	assert_int_equal(oa.nops, 3);
	assert_false(op(&oa, "/open")->protected_);
	assert_true(op(&oa, "/d/{id}")->protected_);
	assert_non_null(oa.login);
	assert_string_equal(oa.login->user_field, "user");
	/* Aliases, duplicate keys, a top that is no mapping: refused. */
	assert_int_equal(Sl_openapi_parse(s, "a.yaml", (const uint8_t *)alias,
	                                  strlen(alias), &oa),
	                 SL_E_MALFORMED);
	assert_non_null(strstr(sl_scan_error(s), "a.yaml:3:"));
	assert_non_null(strstr(sl_scan_error(s), "aliases"));
	assert_int_equal(Sl_openapi_parse(s, "d.yaml", (const uint8_t *)dup,
	                                  strlen(dup), &oa),
	                 SL_E_MALFORMED);
	assert_non_null(strstr(sl_scan_error(s), "duplicate key 'paths'"));
	assert_int_equal(Sl_openapi_parse(s, "n.yaml", (const uint8_t *)notmap,
	                                  strlen(notmap), &oa),
	                 SL_E_MALFORMED);
	/* Nothing, or only a scalar: refused, not a loop past the end. */
	assert_int_equal(
	    Sl_openapi_parse(s, "e.yaml", (const uint8_t *)"", 0, &oa),
	    SL_E_MALFORMED);
	assert_int_equal(Sl_openapi_parse(s, "e.yaml",
	                                  (const uint8_t *)"x\n---\ny\n", 8,
	                                  &oa),
	                 SL_E_MALFORMED);
	/* Nesting deeper than the bound. */
	for (i = 0; i < 100; i++)
		deep[i] = '[';
	deep[i] = 0;
	assert_int_equal(Sl_openapi_parse(s, "deep.yaml", (const uint8_t *)deep,
	                                  strlen(deep), &oa),
	                 SL_E_MALFORMED);
	assert_non_null(strstr(sl_scan_error(s), "nested more than"));
	sl_scan_free(s);
}

static void
axml_refusals(void **state)
{
	static const uint8_t notxml[8] = {0x02, 0, 8, 0, 8, 0, 0, 0};
	/* An XML header, then a chunk claiming more than the file has. */
	static const uint8_t big[16] = {0x03, 0, 8,  0, 16,   0, 0, 0,
	                                0x01, 0, 28, 0, 0xff, 0, 0, 0};
	/* An element before any string pool. */
	static const uint8_t early[24] = {0x03, 0, 8,  0, 24, 0, 0, 0,
	                                  0x02, 1, 16, 0, 16, 0, 0, 0};
	struct Sl_axml m;

	(void)state;
	assert_int_equal(Sl_axml_manifest(notxml, 8, &m), SL_E_MALFORMED);
	assert_non_null(strstr(m.error, "offset 0"));
	assert_int_equal(Sl_axml_manifest(big, 16, &m), SL_E_MALFORMED);
	assert_non_null(strstr(m.error, "offset 8: chunk size"));
	assert_int_equal(Sl_axml_manifest(early, 24, &m), SL_E_MALFORMED);
	assert_non_null(strstr(m.error, "offset 8"));
	assert_int_equal(Sl_axml_manifest(big, 3, &m), SL_E_MALFORMED);
}

/* Registration, password change, binding and the caller's DELETE. */
static void
openapi_intrusive(void **state)
{
	static const char d[] =
	    "{\"openapi\":\"3.0.3\",\"security\":[{\"b\":[]}],\"paths\":{"
	    "\"/api/signup\":{\"post\":{\"security\":[],\"requestBody\":{"
	    "\"content\":{\"application/json\":{\"schema\":{\"properties\":{"
	    "\"email\":{},\"password\":{}}}}}}}},"
	    "\"/api/login\":{\"post\":{\"security\":[],\"requestBody\":{"
	    "\"content\":{\"application/json\":{\"schema\":{\"properties\":{"
	    "\"email\":{},\"password\":{}}}}}}}},"
	    "\"/api/me/pw\":{\"put\":{\"requestBody\":{\"content\":{"
	    "\"application/json\":{\"schema\":{\"properties\":{"
	    "\"old_password\":{},\"new_password\":{}}}}}}}},"
	    "\"/api/claim\":{\"post\":{\"requestBody\":{\"content\":{"
	    "\"application/json\":{\"schema\":{\"properties\":{"
	    "\"qrCode\":{}}}}}}}},"
	    "\"/api/account\":{\"delete\":{}},"
	    "\"/api/devices/{id}\":{\"delete\":{}}}}";
	struct sl_scan *s = sl_scan_new(NULL);
	struct Sl_oa oa;

	(void)state;
	assert_int_equal(
	    Sl_openapi_parse(s, "i.json", (const uint8_t *)d, strlen(d), &oa),
	    SL_OK);
	assert_non_null(oa.login);
	assert_string_equal(oa.login->path, "/api/login");
	assert_non_null(oa.reg);
	assert_string_equal(oa.reg->path, "/api/signup");
	assert_false(oa.reg->login);
	assert_string_equal(oa.reg->user_field, "email");
	assert_non_null(oa.change);
	assert_string_equal(oa.change->method, "PUT");
	assert_string_equal(oa.change->new_field, "new_password");
	assert_string_equal(oa.change->cur_field, "old_password");
	assert_non_null(oa.bind);
	assert_string_equal(oa.bind->bind_field, "qrCode");
	assert_non_null(oa.unreg);
	assert_string_equal(oa.unreg->path, "/api/account");
	sl_scan_free(s);
}

/* The captured-request reader: what is kept, dropped and refused. */
static void
capture(void **state)
{
	static const char ok[] =
	    "POST https://api.example.test/v1/api/cmd?ts=5 HTTP/1.1\r\n"
	    "Host: api.example.test\r\n"
	    "Authorization: Bearer abc\r\n"
	    "X-Nonce: 1f\r\n"
	    "Content-Length: 17\r\n"
	    "Connection: keep-alive\r\n\r\n"
	    "{\"sign\":\"x\",\"a\":1}trailing";
	static const char plain[] = "DELETE /d/1 HTTP/1.1\nAccept: */*\n\n";
	struct sl_scan *s = sl_scan_new(NULL);
	struct Sl_capture c;

	(void)state;
	assert_int_equal(
	    Sl_capture_parse(s, "c.http", (const uint8_t *)ok, strlen(ok), &c),
	    SL_OK);
	assert_string_equal(c.method, "POST");
	assert_string_equal(c.path, "/v1/api/cmd?ts=5");
	assert_int_equal(c.nheaders, 2); /* Host, length, connection gone */
	assert_string_equal(c.headers[0], "Authorization: Bearer abc");
	assert_int_equal(c.body_n, 17);
	assert_string_equal(c.fresh, "query ts, header X-Nonce");
	assert_int_equal(Sl_capture_parse(s, "p.http", (const uint8_t *)plain,
	                                  strlen(plain), &c),
	                 SL_OK);
	assert_null(c.body);
	assert_string_equal(c.fresh, "");
	/* Refusals name the file and line. */
	assert_int_equal(
	    Sl_capture_parse(s, "b.http", (const uint8_t *)"GET /\n\n", 7, &c),
	    SL_E_MALFORMED);
	assert_non_null(strstr(sl_scan_error(s), "b.http:1:"));
	assert_int_equal(
	    Sl_capture_parse(s, "b.http",
	                     (const uint8_t *)"GET / HTTP/1.1\nBad Name: x\n\n",
	                     27, &c),
	    SL_E_MALFORMED);
	assert_non_null(strstr(sl_scan_error(s), "b.http:2:"));
	assert_int_equal(
	    Sl_capture_parse(
	        s, "b.http",
	        (const uint8_t *)"POST / HTTP/1.1\nContent-Length: 9\n\nab", 37,
	        &c),
	    SL_E_MALFORMED);
	assert_int_equal(
	    Sl_capture_parse(
	        s, "b.http",
	        (const uint8_t
	             *)"POST / HTTP/1.1\nTransfer-Encoding: chunked\n\n",
	        44, &c),
	    SL_E_MALFORMED);
	assert_non_null(strstr(sl_scan_error(s), "chunked"));
	sl_scan_free(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(b64url),
	    cmocka_unit_test(jwt_node),
	    cmocka_unit_test(openapi),
	    cmocka_unit_test(openapi_yaml),
	    cmocka_unit_test(axml_refusals),
	    cmocka_unit_test(openapi_intrusive),
	    cmocka_unit_test(capture),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
