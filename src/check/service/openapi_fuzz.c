/*
 * openapi_fuzz.c - libFuzzer target for the OpenAPI reader (openapi.c)
 * and the JWT parser (jwt.c).  The input is parsed as an OpenAPI
 * document; it is also taken apart as a token and, when that works,
 * checked against one HMAC key.  Seeds: fuzz/seeds/openapi/.
 */
#include "service.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sl_scan *s = sl_scan_new(NULL);
	struct Sl_oa oa;
	struct Sl_jwt j;
	char tok[SL_JWT_MAX + 1];
	size_t i;

	if (s == NULL)
		return 0;
	if (Sl_openapi_parse(s, "fuzz.json", data, size, &oa) == SL_OK)
		for (i = 0; i < oa.nops; i++)
			if (oa.ops[i].method == NULL ||
			    oa.ops[i].path == NULL ||
			    ((oa.ops[i].login || oa.ops[i].register_) &&
			     oa.ops[i].user_field == NULL) ||
			    (oa.ops[i].login && oa.ops[i].register_))
				__builtin_trap();
	sl_scan_free(s);
	if (size <= SL_JWT_MAX) {
		memcpy(tok, data, size);
		tok[size] = 0;
		if (Sl_jwt_parse(tok, &j)) {
			(void)Sl_jwt_hmac_ok(&j, "secret");
			if (memchr(j.alg, 0, sizeof(j.alg)) == NULL)
				__builtin_trap();
		}
	}
	return 0;
}
