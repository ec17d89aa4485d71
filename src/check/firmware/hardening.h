/*
 * hardening.h - what fw.hardening learns about one ELF file, shared by the
 * check (hardening.c), its unit test and its fuzz target.
 *
 * Sl_elf_analyse reads an executable or shared library from memory with
 * libelf and says which exploit mitigations it was built with.  Every byte
 * it reads is untrusted image content.
 */
#ifndef SL_FW_HARDENING_H
#define SL_FW_HARDENING_H

#include "../check.h"

/* Bytes of RPATH/RUNPATH kept (printable copy), and of a damage note. */
#define SL_ELF_MAX_RPATH  160
#define SL_ELF_MAX_DAMAGE 160

enum Sl_elf_kind {
	SL_ELF_EXEC = 1, /* ET_EXEC: a position-dependent executable */
	SL_ELF_PIE,      /* ET_DYN with PT_INTERP or DF_1_PIE */
	SL_ELF_LIB,      /* ET_DYN otherwise: a shared library */
};

enum Sl_elf_relro {
	SL_RELRO_NONE = 0,
	SL_RELRO_PARTIAL, /* PT_GNU_RELRO, lazy binding */
	SL_RELRO_FULL,    /* PT_GNU_RELRO and BIND_NOW */
};

/* Yes, no, or cannot tell (no symbol table left to look at). */
enum Sl_tri {
	SL_TRI_NO = 0,
	SL_TRI_YES,
	SL_TRI_UNKNOWN,
};

struct Sl_elf_info {
	uint16_t machine; /* e_machine */
	uint8_t bits;     /* 32 or 64 */
	bool big_endian;
	enum Sl_elf_kind kind;
	bool is_static;     /* no PT_DYNAMIC */
	bool gnu_stack;     /* PT_GNU_STACK present */
	bool nx;            /* the stack is not executable */
	uint64_t stack_off; /* file offset of the PT_GNU_STACK header */
	enum Sl_elf_relro relro;
	enum Sl_tri canary;  /* __stack_chk_fail / _guard / _fail_local */
	enum Sl_tri fortify; /* any __*_chk function */
	unsigned nfortified; /* how many __*_chk symbols */
	bool stripped;       /* no .symtab */
	bool has_rpath;
	bool runpath;                 /* DT_RUNPATH (else DT_RPATH) */
	char rpath[SL_ELF_MAX_RPATH]; /* printable, may be cut */
	uint64_t rpath_off;           /* file offset of the string */
	/* Why the search path is unsafe ("/tmp/lib: ..."), or "". */
	char rpath_bad[SL_ELF_MAX_RPATH];
	/* What was wrong with the file, or "" (see Sl_elf_analyse). */
	char damage[SL_ELF_MAX_DAMAGE];
};

enum Sl_elf_rc {
	SL_ELF_SKIP = 0, /* not an executable or shared object: ignore */
	SL_ELF_BAD,      /* ELF magic, but unreadable: damage says why */
	SL_ELF_OK,       /* analysed; damage may still name a part not read */
};

/*
 * Analyse data[0..len), the content of the file called name (its base
 * name decides only whether an ET_DYN with an interpreter is a library,
 * as libc.so.6 is), into *out.  Only files starting with the ELF magic
 * are handed to libelf; ET_REL, ET_CORE and the like are skipped.  The
 * bytes are never written.  Work is bounded by len: at most
 * SL_ELF_MAX_PHDRS program headers, SL_ELF_MAX_DYN dynamic entries and
 * SL_ELF_MAX_SYMS symbols per table are looked at.  Thread-safe.
 */
enum Sl_elf_rc Sl_elf_analyse(const uint8_t *data, size_t len, const char *name,
                              struct Sl_elf_info *out);

#define SL_ELF_MAX_PHDRS 1024
#define SL_ELF_MAX_DYN   4096
#define SL_ELF_MAX_SYMS  (1U << 20)

/* "MIPS", "ARM", "x86-64" ... or "machine 94" (static or in buf). */
const char *Sl_elf_machine(uint16_t m, char buf[24]);

#endif /* SL_FW_HARDENING_H */
