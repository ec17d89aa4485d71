/*
 * securitytxt.h - the RFC 9116 parser of the check net.security-txt
 * (securitytxt.c), for the unit test and the fuzz target.
 */
#ifndef SL_SECURITYTXT_H
#define SL_SECURITYTXT_H

#include "../../sl.h"

/* What the parser found in one security.txt. */
struct Sl_sectxt {
	unsigned ncontact, nexpires, nlang;
	int64_t expires; /* the (last) Expires, 0 when none parsed */
	bool signed_pgp;
	char contact[128];  /* the first Contact, printable */
	char problems[640]; /* "; "-separated, "" when valid */
	char notes[256];    /* remarks that do not make it invalid */
	unsigned nproblems;
};

/*
 * Validate the n bytes at p (the file as served) as of time now.  Fills
 * *t and returns true when nothing breaks RFC 9116.  Looks at most at the
 * first 64 KiB; every string in *t is NUL-terminated within its buffer.
 */
bool Sl_sectxt_parse(const char *p, size_t n, int64_t now, struct Sl_sectxt *t);

#endif
