/*
 * hsdb.h - Hyperscan databases compiled when starlab is built.
 *
 * Compiling the firmware checks' patterns took a fifth of the CPU of
 * assessing a router image, in every process (`starlab batch` runs one
 * per image).  The patterns are constant, so tools/hsdb_gen.c compiles
 * them once at build time, for any x86-64 CPU Hyperscan runs on
 * (HS_TUNE_FAMILY_GENERIC, no optional CPU features), and writes the
 * serialized databases into a generated C file linked into the library.
 * Sl_patterns_compile looks a request up by its key and deserializes the
 * database; a request that is not there (patterns changed since, another
 * Hyperscan version, a build without the generator) is compiled as
 * before.
 */
#ifndef SL_FW_HSDB_H
#define SL_FW_HSDB_H

#include <stddef.h>
#include <stdint.h>

struct Sl_hsdb {
	uint8_t key[32];         /* SHA-256 of the request (scan.c) */
	const unsigned char *db; /* hs_serialize_database's bytes */
	size_t len;              /* 0 ends the table */
	const char *who;         /* the check that asked, for the reader */
};

/* The build's table (the generated file), ended by len == 0. */
extern const struct Sl_hsdb Sl_hsdbs[];

/*
 * Set only by the generator: every compile request is then compiled for
 * the generic platform and handed here, serialized, before it is used.
 */
extern void (*Sl_hsdb_record)(const uint8_t key[32], const char *who,
                              const char *bytes, size_t len);

#endif /* SL_FW_HSDB_H */
