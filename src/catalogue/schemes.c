/*
 * schemes.c - the other schemes of the cross-scheme table (the HTML
 * report): their names as the catalogue's cross-references spell them,
 * and what each is.  The provisions themselves are the catalogue's
 * cross-references (requirements.c), taken from the IPA text; this file
 * only says which schemes the table shows and in what order.
 */
#include "../sl.h"
#include "schemes.h"

static const struct Sl_scheme schemes[] = {
    {"ETSI EN 303 645", "ETSI EN 303 645",
     "European standard: cyber security for consumer IoT"},
    {"UK PSTI", "UK PSTI",
     "UK Product Security and Telecommunications Infrastructure "
     "(security requirements) regulations, Schedule 1"},
    {"EU CRA", "EU CRA",
     "EU Cyber Resilience Act, Annex I essential requirements"},
    {"Singapore CLS", "Singapore CLS",
     "Singapore Cybersecurity Labelling Scheme (IoT)"},
    {"NISTIR 8425", "NISTIR 8425",
     "NIST IR 8425: profile of the IoT core baseline for consumer "
     "IoT products"},
};

const struct Sl_scheme *
Sl_schemes(size_t *n)
{
	*n = SL_ARRAY_LEN(schemes);
	return schemes;
}

const char *
Sl_scheme_refs(const struct sl_requirement *r, const char *scheme)
{
	size_t i;

	for (i = 0; i < r->nxrefs; i++)
		if (strcmp(r->xrefs[i].scheme, scheme) == 0)
			return r->xrefs[i].refs;
	return NULL;
}
