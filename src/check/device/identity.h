/*
 * identity.h - the entry point of net.identity's page reader
 * (identity.c), for the unit tests and the fuzz target (identity_fuzz.c).
 */
#ifndef SL_CHECK_DEVICE_IDENTITY_H
#define SL_CHECK_DEVICE_IDENTITY_H

#include <stddef.h>

/* Bytes of a model or version kept, NUL included. */
#define SL_IDENT_STR 96

struct Sl_ident_page {
	char model[SL_IDENT_STR];   /* the first model read, or "" */
	char version[SL_IDENT_STR]; /* the first version read, or "" */
};

/*
 * Read a model and a version from n bytes of a device's page, as
 * net.identity reads a web page: a JSON object's model and firmware keys,
 * else the HTML <title> (the model) and the text ("firmware 1.2.3").
 * want is the profile's model (NULL: none), recognised anywhere in the
 * text; without it a model-like token ("SL-CAM100") is taken.
 */
void Sl_identity_page(const char *page, size_t n, const char *want,
                      struct Sl_ident_page *out);

#endif
