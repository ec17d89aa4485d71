/*
 * schemes.h - the schemes of the cross-scheme table (schemes.c).
 */
#ifndef SL_SCHEMES_H
#define SL_SCHEMES_H

#include "starlab.h"

struct Sl_scheme {
	const char *name; /* as the catalogue's cross-references spell it */
	const char *short_name;
	const char *what;
};

/* The schemes of the table, in order; *n receives the count. */
const struct Sl_scheme *Sl_schemes(size_t *n);
/* The provisions of scheme that requirement r maps to, or NULL. */
const char *Sl_scheme_refs(const struct sl_requirement *r, const char *scheme);

#endif
