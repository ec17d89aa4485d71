/*
 * service.h - the parts of `starlab service` that tests and fuzz targets
 * reach: the OpenAPI reader (openapi.c) and the JWT helpers (jwt.c).
 */
#ifndef SL_CHECK_SERVICE_H
#define SL_CHECK_SERVICE_H

#include "../../core/scan.h"

#define SL_OA_MAX_DOC  (4U << 20) /* bytes of an OpenAPI document */
#define SL_OA_MAX_OPS  256        /* operations kept */
#define SL_OA_MAX_REFS 4          /* $ref hops followed for a body schema */
#define SL_JWT_MAX     4096       /* bytes of a token */

/* One operation of the document (strings in the scan's arena). */
struct Sl_oa_op {
	const char *method; /* "GET", "POST", ... */
	const char *path;   /* "/api/devices/{deviceId}" */
	const char *param;  /* the first path parameter's name, or NULL */
	unsigned nparams;   /* path parameters */
	bool protected_;    /* a non-empty security requirement applies */
	bool login;         /* POST with a password property in its body */
	bool register_;     /* the same, unprotected, on a sign-up path */
	const char *user_field, *pass_field; /* login, register: the names */
	const char *new_field, *cur_field;   /* a password change's names */
	const char *bind_field; /* protected POST naming a device by serial */
};

struct Sl_oa {
	struct Sl_oa_op *ops;
	size_t nops;
	bool ops_capped;               /* more than SL_OA_MAX_OPS operations */
	const struct Sl_oa_op *login;  /* the login operation, or NULL */
	const struct Sl_oa_op *reg;    /* the account registration, or NULL */
	const struct Sl_oa_op *change; /* the password change, or NULL */
	const struct Sl_oa_op *bind;   /* device binding by serial, or NULL */
	const struct Sl_oa_op *unreg;  /* DELETE of the caller's account */
	const char *title;             /* info.title, or NULL */
};

/*
 * Parse an OpenAPI 3 document (JSON or YAML) of n bytes.  name is used in error
 * messages.  On SL_OK *oa lists the operations; SL_E_MALFORMED (with the
 * line and column) when the text is not JSON or not OpenAPI 3.
 * UNTRUSTED: the document is the vendor's; n is capped at SL_OA_MAX_DOC,
 * the operations at SL_OA_MAX_OPS, $ref chains at SL_OA_MAX_REFS, and
 * jansson bounds the nesting depth.
 */
sl_rc Sl_openapi_parse(struct sl_scan *s, const char *name, const uint8_t *data,
                       size_t n, struct Sl_oa *oa);

#define SL_CAP_MAX         (64U << 10) /* bytes of a captured request */
#define SL_CAP_MAX_HEADERS 64          /* header lines kept */
#define SL_CAP_MAX_LINE    8192        /* bytes of one line */

/*
 * A captured HTTP request (capture.c), as a tester saves it from an
 * intercepting proxy: "METHOD TARGET HTTP/1.x", header lines, an empty
 * line, the body.  Strings in the scan's arena.
 */
struct Sl_capture {
	char method[16];
	char path[520]; /* origin-form: the target without scheme and host */
	const char *headers[SL_CAP_MAX_HEADERS + 1]; /* "Name: value" */
	size_t nheaders;
	const char *body; /* may hold any bytes; NULL: none */
	size_t body_n;
	/* The nonce, timestamp and signature fields it carries (header
	 * names, body keys, query names), comma-separated; "" for none. */
	char fresh[256];
};

/*
 * Parse a captured request of n bytes (name for messages).  Host,
 * Content-Length and hop-by-hop headers are dropped (the request goes
 * to the URL the user named, and curl frames it).  SL_E_MALFORMED with
 * the line for anything else; SL_E_LIMIT past the SL_CAP_* bounds.
 * UNTRUSTED: the file is a copy of the app's traffic.
 */
sl_rc Sl_capture_parse(struct sl_scan *s, const char *name, const uint8_t *data,
                       size_t n, struct Sl_capture *c);

/* A JSON web token taken apart (jwt.c). */
struct Sl_jwt {
	char header[1024];         /* decoded JSON, NUL-terminated */
	char payload[2048];        /* decoded JSON */
	char alg[16];              /* "HS256", "RS256", "none" */
	const char *signing_input; /* token up to the second '.' */
	size_t signing_len;
	uint8_t sig[512];
	size_t sig_len;
	bool has_exp, has_iat;
	int64_t exp, iat;
};

/* Split and decode token; false when it is not a compact JWS. */
bool Sl_jwt_parse(const char *token, struct Sl_jwt *j);
/*
 * Does HMAC(alg, secret) over the signing input give the signature?
 * Only HS256, HS384 and HS512.
 */
bool Sl_jwt_hmac_ok(const struct Sl_jwt *j, const char *secret);
/*
 * Make a token from header and payload JSON: signed with HMAC alg
 * ("HS256"...) and secret, or with an empty signature when secret is
 * NULL.  Returns the length written to out (cap bytes), 0 when it does
 * not fit.
 */
size_t Sl_jwt_make(const char *header, const char *payload, const char *alg,
                   const char *secret, char *out, size_t cap);
/* Base64url without padding; returns the length, 0 when cap is short. */
size_t Sl_b64url_enc(const uint8_t *p, size_t n, char *out, size_t cap);
/* Decode; returns the length, or (size_t)-1 on a bad character or size. */
size_t Sl_b64url_dec(const char *p, size_t n, uint8_t *out, size_t cap);

#endif
