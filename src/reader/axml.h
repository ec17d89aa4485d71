/*
 * axml.h - the flags of an Android binary manifest (axml.c).
 */
#ifndef SL_READER_AXML_H
#define SL_READER_AXML_H

#include "../sl.h"

#define SL_AXML_MAX_CHUNKS  65536 /* chunks looked at */
#define SL_AXML_MAX_STRINGS 65536 /* strings in the pool */
#define SL_AXML_MAX_ATTRS   256   /* attributes of one element */

/* A flag's value: false 0, true 1, or one of these. */
#define SL_AXML_UNSET (-1) /* the attribute is absent */
#define SL_AXML_OTHER (-2) /* set to something else (a reference) */

struct Sl_axml {
	char package[128];
	int debuggable, cleartext, allow_backup; /* on <application> */
	bool has_application;
	unsigned elements;
	char error[96]; /* why SL_E_MALFORMED: "offset 120: ..." */
};

/*
 * Read the manifest's package and <application> flags from n bytes of
 * binary XML.  SL_OK, or SL_E_MALFORMED with m->error naming the offset.
 * UNTRUSTED input, bounded as the file header of axml.c says.
 */
sl_rc Sl_axml_manifest(const uint8_t *data, size_t n, struct Sl_axml *m);

#endif
