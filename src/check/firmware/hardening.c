/*
 * hardening.c - fw.hardening: the exploit mitigations every ELF executable
 * and shared library in the image was built with (S1.1-13, "a
 * vulnerability scan finds nothing an attacker could use").
 *
 * For each ET_EXEC or ET_DYN file (32 or 64 bits, either byte order, any
 * machine libelf reads: ARM, AArch64, MIPS, x86, x86-64, PowerPC, RISC-V
 * ...) it reads, from memory:
 *   NX        PT_GNU_STACK without PF_X.  Without PT_GNU_STACK the kernel
 *             decides: MIPS, 32-bit ARM, i386 and 32-bit PowerPC processes
 *             then get an executable stack (READ_IMPLIES_EXEC), the 64-bit
 *             machines do not.
 *   PIE       ET_DYN with PT_INTERP (a library such as libc.so.6 that has
 *             one too is told apart by its name) or DF_1_PIE.
 *   RELRO     PT_GNU_RELRO; full with DT_BIND_NOW, DF_BIND_NOW or DF_1_NOW.
 *   canary    __stack_chk_fail, __stack_chk_guard or uClibc's
 *             __stack_chk_fail_local, imported or defined.
 *   FORTIFY   any __*_chk function (__memcpy_chk, __printf_chk ...).  A
 *             program that calls no function FORTIFY can check shows none
 *             either: like checksec, this cannot tell it apart.
 *   RPATH     DT_RUNPATH (or DT_RPATH when there is none), flagged when an
 *             element is empty or relative (the current directory), climbs
 *             out of $ORIGIN, or lies in /tmp, /var/tmp, /dev/shm, /mnt or
 *             /media (writable by anyone, or removable storage).
 *   stripped  no .symtab section.
 * Symbols come from the .dynsym section, or, for files stripped of their
 * section headers (sstrip, common in OpenWrt), from DT_SYMTAB with the
 * count from DT_MIPS_SYMTABNO, DT_HASH or DT_GNU_HASH.  Static binaries
 * are judged by .symtab when they still have one (a static glibc always
 * brings its own __stack_chk_fail, so such a binary counts as protected);
 * otherwise canary and FORTIFY are unknown.
 *
 * Findings, one per cause (how the image was built), each listing its
 * files: FW-ELF-EXECSTACK (medium) for the files with an executable
 * stack, FW-ELF-INSECURE-RPATH (medium; low when the only unsafe element
 * is the current directory) for unsafe search paths, and one
 * FW-ELF-HARDENING-SUMMARY (info: advice, never a breach) with the
 * percentages and the ten files missing the most protections, network
 * daemons first.  The other missing mitigations are not flaws in
 * themselves, so they are summarised rather than reported one by one.
 * On MIPS with a kernel before 4.8 (from lib/modules/VERSION or a
 * kernel's "Linux version" banner) every stack is executable whatever a
 * file says: no FW-ELF-EXECSTACK then, the summary says why.  RPATHs
 * into the build machine's tree (staging_dir, build_dir, /home) are not
 * device paths and are not reported.
 *
 * Trust: file content is hostile.  libelf (elfutils) parses the headers,
 * program headers, sections, dynamic entries and symbols, and refuses
 * what lies outside the buffer; the hash tables and strings this file
 * reads itself go through bounds checked against the PT_LOAD segment that
 * holds them.  Every count from the file is capped (hardening.h).  A file
 * with the ELF magic that libelf cannot read, or whose dynamic data lies
 * outside it, is listed as incomplete, never a crash.
 *
 * Speed: the check joins the shared content pass (firmware/scan.h), so
 * each file is decompressed once for all content checks; only files that
 * start with \x7fELF are handed to libelf.
 */
#include <gelf.h>
#include <libelf.h>
#include <stdio.h>
#include <stdlib.h>

#include "hardening.h"
#include "scan.h"

#define HARD_MAX_FINDINGS 32     /* per finding id, then a count */
#define HARD_MAX_ELF      100000 /* ELF files kept for the summary */
#define HARD_WORST        10     /* files listed in the summary */
#define HARD_MAX_LOADS    64     /* PT_LOAD segments used for mapping */
#define HARD_MAX_CONT     64     /* containers counted for the summary */
#define HARD_MAX_NOTES    16     /* damaged files named in incomplete notes */

/*
 * What this check reports (check.h: findings as data).  Titles count the
 * files; an unsafe search path that is only the current directory is
 * the low form of FW-ELF-INSECURE-RPATH.
 */
enum { F_EXECSTACK, F_RPATH, F_RPATH_CWD, F_SUMMARY };

#define FIX_RPATH                                                              \
	"Drop the RPATH/RUNPATH (-Wl,-rpath) or point it only at root-owned, " \
	"read-only directories.  Whoever can write to a directory on the "     \
	"search path can plant a library the program loads with its "          \
	"privileges."

static const struct Sl_finding_def findings[] = {
    [F_EXECSTACK] = {"FW-ELF-EXECSTACK",
                     SL_SEV_MEDIUM,
                     {"S1.1-13"},
                     "ELF files run with an executable stack",
                     "Link with -Wl,-z,noexecstack and find the object that "
                     "lacks a .note.GNU-stack section (readelf -lW; "
                     "hand-written assembly needs '.section "
                     ".note.GNU-stack,\"\",%progbits').  On MIPS, use a "
                     "kernel (4.8 or later) and toolchain that no longer "
                     "need an executable stack for FPU emulation and pass "
                     "-z noexecstack explicitly.  An executable stack turns "
                     "a stack overflow into code execution."},
    [F_RPATH] = {"FW-ELF-INSECURE-RPATH",
                 SL_SEV_MEDIUM,
                 {"S1.1-13"},
                 "ELF files search for libraries in a writable or relative "
                 "directory (RPATH/RUNPATH)",
                 FIX_RPATH},
    [F_RPATH_CWD] = {"FW-ELF-INSECURE-RPATH",
                     SL_SEV_LOW,
                     {"S1.1-13"},
                     "ELF files search for libraries in the current "
                     "directory (an empty or relative RPATH/RUNPATH "
                     "element)",
                     FIX_RPATH},
    [F_SUMMARY] = {"FW-ELF-HARDENING-SUMMARY",
                   SL_SEV_INFO,
                   {"S1.1-13"},
                   "binary hardening of the image's ELF files",
                   "Build every program and library with the usual "
                   "hardening flags: -fstack-protector-strong, "
                   "-D_FORTIFY_SOURCE=2 -O2, -fPIE -pie, "
                   "-Wl,-z,relro,-z,now and -Wl,-z,noexecstack (OpenWrt: "
                   "PKG_CC_STACKPROTECTOR_STRONG, PKG_FORTIFY_SOURCE_2, "
                   "PKG_RELRO_FULL, PKG_ASLR_PIE_ALL).  A missing "
                   "mitigation is not a flaw in itself, but it decides "
                   "whether a memory-safety bug in a network daemon "
                   "becomes remote code execution; network daemons "
                   "first."},
    {NULL},
};

/* ------------------------------------------------------------------ */
/* Reading one ELF file                                                */
/* ------------------------------------------------------------------ */

struct load {
	uint64_t vaddr, off, filesz;
};

struct ectx {
	Elf *e;
	const uint8_t *data;
	size_t len;
	struct Sl_elf_info *o;
	struct load loads[HARD_MAX_LOADS];
	size_t nloads;
	bool symbols; /* a symbol table was read */
};

static pthread_once_t elf_once = PTHREAD_ONCE_INIT;
static bool elf_ready;

static void
elf_init(void)
{
	elf_ready = elf_version(EV_CURRENT) != EV_NONE;
}

const char *
Sl_elf_machine(uint16_t m, char buf[24])
{
	switch (m) {
	case EM_ARM: return "ARM";
	case EM_AARCH64: return "AArch64";
	case EM_MIPS: return "MIPS";
	case EM_386: return "x86";
	case EM_X86_64: return "x86-64";
	case EM_PPC: return "PowerPC";
	case EM_PPC64: return "PowerPC64";
	case EM_RISCV: return "RISC-V";
	default: snprintf(buf, 24, "machine %u", m); return buf;
	}
}

/* Record the first thing wrong with the file. */
static void damage(struct Sl_elf_info *o, const char *fmt, ...) SL_PRINTF(2, 3);

static void
damage(struct Sl_elf_info *o, const char *fmt, ...)
{
	va_list ap;

	if (o->damage[0] != 0)
		return;
	va_start(ap, fmt);
	vsnprintf(o->damage, sizeof(o->damage), fmt, ap);
	va_end(ap);
}

/* Does a process of this machine get an executable stack by default? */
static bool
stack_exec_default(uint16_t m, unsigned bits)
{
	switch (m) {
	case EM_MIPS:
	case EM_ARM:
	case EM_386: return true;
	case EM_PPC: return bits == 32;
	default: return false;
	}
}

/* "libc.so.6", "libfoo.so": a shared library by its name. */
static bool
lib_name(const char *name)
{
	const char *b = strrchr(name, '/'), *so;

	b = b ? b + 1 : name;
	so = strstr(b, ".so");
	return so != NULL && (so[3] == 0 || so[3] == '.');
}

static uint32_t
get32(const uint8_t *p, bool be)
{
	return be ? Sl_get_be32(p) : Sl_get_le32(p);
}

/*
 * The file offset of virtual address v, through the PT_LOAD segments,
 * and how many bytes of the file follow it inside that segment.
 */
static bool
v2off(const struct ectx *c, uint64_t v, uint64_t *off, uint64_t *avail)
{
	size_t i;

	for (i = 0; i < c->nloads; i++) {
		const struct load *l = &c->loads[i];
		uint64_t d;

		if (v < l->vaddr || v - l->vaddr >= l->filesz)
			continue;
		d = v - l->vaddr;
		/* UNTRUSTED: p_offset and p_filesz come from the file. */
		if (!Sl_add_ok(l->off, d, off) || *off >= c->len)
			return false;
		*avail = l->filesz - d;
		if (*avail > c->len - *off)
			*avail = c->len - *off;
		return true;
	}
	return false;
}

/* Note one symbol name (n bytes, not NUL-terminated). */
static void
note_sym(struct Sl_elf_info *o, const char *name, size_t n)
{
	static const char *const canary[] = {
	    "__stack_chk_fail",
	    "__stack_chk_guard",
	    "__stack_chk_fail_local",
	};
	size_t i;

	if (n < 6 || name[0] != '_' || name[1] != '_')
		return;
	for (i = 0; i < SL_ARRAY_LEN(canary); i++)
		if (n == strlen(canary[i]) && memcmp(name, canary[i], n) == 0) {
			o->canary = SL_TRI_YES;
			return;
		}
	if (memcmp(name + n - 4, "_chk", 4) == 0 &&
	    !(n > 12 && memcmp(name, "__stack_chk_", 12) == 0)) {
		o->fortify = SL_TRI_YES;
		o->nfortified++;
	}
}

/* Symbols of a SHT_DYNSYM or SHT_SYMTAB section. */
static bool
scan_section_syms(struct ectx *c, Elf_Scn *scn, const GElf_Shdr *sh)
{
	Elf_Data *d = elf_getdata(scn, NULL);
	size_t ent = gelf_fsize(c->e, ELF_T_SYM, 1, EV_CURRENT), n, i;

	if (d == NULL || ent == 0) {
		damage(c->o, "symbol table unreadable: %s", elf_errmsg(-1));
		return false;
	}
	/* UNTRUSTED: the section's size; libelf bounded it by the file. */
	n = d->d_size / ent;
	if (n > SL_ELF_MAX_SYMS)
		n = SL_ELF_MAX_SYMS;
	for (i = 0; i < n; i++) {
		GElf_Sym sym;
		const char *name;

		if (gelf_getsym(d, (int)i, &sym) == NULL)
			break;
		if (sym.st_name == 0)
			continue;
		/* libelf checks the offset and the terminating NUL. */
		name = elf_strptr(c->e, sh->sh_link, sym.st_name);
		if (name != NULL)
			note_sym(c->o, name, strlen(name));
	}
	c->symbols = true;
	return true;
}

/* Where the dynamic entries point, for files without section headers. */
struct dyninfo {
	bool has_symtab, has_strtab, has_hash, has_gnu_hash, has_symtabno;
	uint64_t symtab, strtab, strsz, syment, hash, gnu_hash, symtabno;
	uint64_t flags, flags1;
	bool bind_now;
	bool has_rpath, has_runpath;
	uint64_t rpath, runpath;
};

/* The number of dynamic symbols, from the hash tables; 0 when unknown. */
static uint64_t
dyn_symcount(struct ectx *c, const struct dyninfo *di)
{
	bool be = c->o->big_endian;
	uint64_t off, avail, nb, symoff, bloom, max = 0, i, pos;
	const uint8_t *p;

	if (di->has_symtabno)
		return di->symtabno;
	if (di->has_hash && v2off(c, di->hash, &off, &avail) && avail >= 8)
		return get32(c->data + off + 4, be); /* nchain */
	if (!di->has_gnu_hash || !v2off(c, di->gnu_hash, &off, &avail) ||
	    avail < 16)
		return 0;
	/*
	 * DT_GNU_HASH:  nbuckets symoffset bloom_size bloom_shift
	 *               bloom[bloom_size] (one word of the ELF class each)
	 *               buckets[nbuckets] chains[...] (32 bits each)
	 * The highest bucket starts the last chain; the last symbol is where
	 * that chain's entry has its low bit set.
	 */
	p = c->data + off;
	nb = get32(p, be);
	symoff = get32(p + 4, be);
	bloom = (uint64_t)get32(p + 8, be) * (c->o->bits / 8);
	/* UNTRUSTED: every count is checked against what remains. */
	if (bloom > avail - 16 || nb > (avail - 16 - bloom) / 4)
		return 0;
	pos = 16 + bloom;
	for (i = 0; i < nb; i++) {
		uint32_t b = get32(p + pos + 4 * i, be);

		if (b > max)
			max = b;
	}
	if (max == 0)
		return symoff;
	if (max < symoff)
		return 0;
	pos += 4 * nb;
	for (i = max; i - symoff < SL_ELF_MAX_SYMS; i++) {
		uint64_t at = pos + 4 * (i - symoff);

		if (at + 4 > avail)
			return 0;
		if (get32(p + at, be) & 1)
			return i + 1;
	}
	return 0;
}

/* Dynamic symbols found through DT_SYMTAB and DT_STRTAB. */
static void
scan_dyn_syms(struct ectx *c, const struct dyninfo *di)
{
	size_t ent = gelf_fsize(c->e, ELF_T_SYM, 1, EV_CURRENT);
	uint64_t soff, savail, toff, tavail, n, i;
	Elf_Data *d;

	if (!di->has_symtab || !di->has_strtab)
		return;
	if (ent == 0 || (di->syment != 0 && di->syment != ent)) {
		damage(c->o, "DT_SYMENT %llu is not the symbol size",
		       (unsigned long long)di->syment);
		return;
	}
	if (!v2off(c, di->symtab, &soff, &savail) ||
	    !v2off(c, di->strtab, &toff, &tavail)) {
		damage(c->o, "the dynamic symbol or string table lies outside "
		             "the file");
		return;
	}
	n = dyn_symcount(c, di);
	if (n == 0 && di->strtab > di->symtab)
		n = (di->strtab - di->symtab) / ent; /* .dynstr follows */
	/* UNTRUSTED: the count is capped by the bytes there are. */
	if (n > savail / ent)
		n = savail / ent;
	if (n > SL_ELF_MAX_SYMS)
		n = SL_ELF_MAX_SYMS;
	if (di->strsz < tavail)
		tavail = di->strsz;
	if (n == 0)
		return;
	d = elf_getdata_rawchunk(c->e, (int64_t)soff, n * ent, ELF_T_SYM);
	if (d == NULL) {
		damage(c->o, "dynamic symbols unreadable: %s", elf_errmsg(-1));
		return;
	}
	for (i = 0; i < n; i++) {
		GElf_Sym sym;
		const char *name;

		if (gelf_getsym(d, (int)i, &sym) == NULL)
			break;
		if (sym.st_name == 0 || sym.st_name >= tavail)
			continue;
		name = (const char *)c->data + toff + sym.st_name;
		note_sym(c->o, name, strnlen(name, tavail - sym.st_name));
	}
	c->symbols = true;
}

/* Why one search-path element is unsafe, or NULL. */
static const char *
rpath_elem_bad(const char *p, size_t n)
{
	static const char *const writable[] = {
	    "/tmp", "/var/tmp", "/dev/shm", "/mnt", "/media",
	};
	/*
	 * A directory of the machine the image was built on: it does not
	 * exist on the device and, outside the world-writable directories
	 * (the first three above), only root could create it.  Build
	 * hygiene, not an attack path.
	 */
	static const char *const builder[] = {
	    "/build_dir/",    "/staging_dir/", "/output/host/",
	    "/output/build/", "/tmp/work/",    "/tmp/sysroots",
	};
	size_t i, m;

	if (n == 0)
		return "an empty element searches the current directory";
	if ((n >= 7 && memcmp(p, "$ORIGIN", 7) == 0) ||
	    (n >= 9 && memcmp(p, "${ORIGIN}", 9) == 0)) {
		for (i = 0; i + 3 <= n; i++)
			if (memcmp(p + i, "/..", 3) == 0 &&
			    (i + 3 == n || p[i + 3] == '/'))
				return "climbs out of the program's own "
				       "directory";
		return NULL;
	}
	if (p[0] == '$')
		return NULL; /* $LIB, $PLATFORM: expanded by ld.so */
	if (p[0] != '/')
		return "a relative directory is searched from the current "
		       "directory";
	for (i = 0; i < SL_ARRAY_LEN(writable); i++) {
		size_t k;
		bool build = n >= 6 && memcmp(p, "/home/", 6) == 0;

		for (k = 0; k < SL_ARRAY_LEN(builder) && !build; k++)
			build = memmem(p, n, builder[k], strlen(builder[k])) !=
			        NULL;
		if (build && i >= 3)
			return NULL;
		m = strlen(writable[i]);
		if (n >= m && memcmp(p, writable[i], m) == 0 &&
		    (n == m || p[m] == '/'))
			return "a directory anyone, or inserted storage, can "
			       "write to";
	}
	return NULL;
}

/* A printable copy of p[0..n) into out (size osz), cut with "...". */
static void
printable(char *out, size_t osz, const char *p, size_t n)
{
	size_t i, k = 0;

	for (i = 0; i < n && k + 1 < osz; i++)
		out[k++] = p[i] >= 0x20 && p[i] < 0x7f ? p[i] : '.';
	out[k] = 0;
	if (i < n && osz > 4)
		memcpy(out + osz - 4, "...", 4);
}

/* Read and judge DT_RUNPATH, or DT_RPATH when there is no RUNPATH. */
static void
check_rpath(struct ectx *c, const struct dyninfo *di)
{
	struct Sl_elf_info *o = c->o;
	uint64_t at = di->has_runpath ? di->runpath : di->rpath;
	uint64_t toff, tavail;
	const char *s, *el, *why;
	size_t n, i, start;

	if (!di->has_runpath && !di->has_rpath)
		return;
	o->has_rpath = true;
	o->runpath = di->has_runpath;
	if (!di->has_strtab || !v2off(c, di->strtab, &toff, &tavail) ||
	    at >= tavail) {
		damage(c->o, "%s string lies outside the file",
		       o->runpath ? "DT_RUNPATH" : "DT_RPATH");
		return;
	}
	/* UNTRUSTED: the string is bounded by its segment and 4 KiB. */
	s = (const char *)c->data + toff + at;
	n = strnlen(s, tavail - at < 4096 ? tavail - at : 4096);
	o->rpath_off = toff + at;
	printable(o->rpath, sizeof(o->rpath), s, n);
	for (start = 0, i = 0; i <= n; i++) {
		if (i < n && s[i] != ':')
			continue;
		el = s + start;
		why = rpath_elem_bad(el, i - start);
		if (why != NULL) {
			char shown[64];

			printable(shown, sizeof(shown), el, i - start);
			snprintf(o->rpath_bad, sizeof(o->rpath_bad), "'%s': %s",
			         shown, why);
			return;
		}
		start = i + 1;
	}
}

/* The dynamic segment: flags, RPATH, and where the symbols are. */
static void
read_dynamic(struct ectx *c, const GElf_Phdr *ph, struct dyninfo *di)
{
	size_t ent = gelf_fsize(c->e, ELF_T_DYN, 1, EV_CURRENT);
	uint64_t n, i;
	Elf_Data *d;

	/* UNTRUSTED: p_offset and p_filesz; libelf checks them too. */
	if (ent == 0 || ph->p_offset > c->len ||
	    ph->p_filesz > c->len - ph->p_offset) {
		damage(c->o, "PT_DYNAMIC lies outside the file");
		return;
	}
	n = ph->p_filesz / ent;
	if (n > SL_ELF_MAX_DYN)
		n = SL_ELF_MAX_DYN;
	if (n == 0)
		return;
	d = elf_getdata_rawchunk(c->e, (int64_t)ph->p_offset, n * ent,
	                         ELF_T_DYN);
	if (d == NULL) {
		damage(c->o, "dynamic section unreadable: %s", elf_errmsg(-1));
		return;
	}
	for (i = 0; i < n; i++) {
		GElf_Dyn dy;

		if (gelf_getdyn(d, (int)i, &dy) == NULL || dy.d_tag == DT_NULL)
			break;
		switch (dy.d_tag) {
		case DT_FLAGS: di->flags = dy.d_un.d_val; break;
		case DT_FLAGS_1: di->flags1 = dy.d_un.d_val; break;
		case DT_BIND_NOW: di->bind_now = true; break;
		case DT_SYMTAB:
			di->has_symtab = true;
			di->symtab = dy.d_un.d_ptr;
			break;
		case DT_STRTAB:
			di->has_strtab = true;
			di->strtab = dy.d_un.d_ptr;
			break;
		case DT_STRSZ: di->strsz = dy.d_un.d_val; break;
		case DT_SYMENT: di->syment = dy.d_un.d_val; break;
		case DT_HASH:
			di->has_hash = true;
			di->hash = dy.d_un.d_ptr;
			break;
		case DT_GNU_HASH:
			di->has_gnu_hash = true;
			di->gnu_hash = dy.d_un.d_ptr;
			break;
		case DT_RPATH:
			if (!di->has_rpath)
				di->rpath = dy.d_un.d_val;
			di->has_rpath = true;
			break;
		case DT_RUNPATH:
			if (!di->has_runpath)
				di->runpath = dy.d_un.d_val;
			di->has_runpath = true;
			break;
		default:
			if (dy.d_tag == DT_MIPS_SYMTABNO &&
			    c->o->machine == EM_MIPS) {
				di->has_symtabno = true;
				di->symtabno = dy.d_un.d_val;
			}
			break;
		}
	}
}

/* The program headers; false when they cannot be read at all. */
static bool
read_phdrs(struct ectx *c, const GElf_Ehdr *eh, bool *interp, bool *relro,
           GElf_Phdr *dyn, bool *has_dyn)
{
	struct Sl_elf_info *o = c->o;
	size_t n, i;

	if (elf_getphdrnum(c->e, &n) != 0) {
		damage(o, "program headers unreadable: %s", elf_errmsg(-1));
		return false;
	}
	/* UNTRUSTED: e_phnum. */
	if (n > SL_ELF_MAX_PHDRS) {
		damage(o, "%zu program headers (more than %d)", n,
		       SL_ELF_MAX_PHDRS);
		return false;
	}
	for (i = 0; i < n; i++) {
		GElf_Phdr ph;

		if (gelf_getphdr(c->e, (int)i, &ph) == NULL) {
			damage(o, "program header %zu unreadable: %s", i,
			       elf_errmsg(-1));
			return false;
		}
		switch (ph.p_type) {
		case PT_GNU_STACK:
			o->gnu_stack = true;
			o->nx = !(ph.p_flags & PF_X);
			o->stack_off =
			    eh->e_phoff + (uint64_t)eh->e_phentsize * i;
			break;
		case PT_GNU_RELRO: *relro = true; break;
		case PT_INTERP: *interp = true; break;
		case PT_DYNAMIC:
			if (!*has_dyn)
				*dyn = ph;
			*has_dyn = true;
			break;
		case PT_LOAD:
			if (c->nloads < HARD_MAX_LOADS)
				c->loads[c->nloads++] = (struct load){
				    ph.p_vaddr, ph.p_offset, ph.p_filesz};
			break;
		default: break;
		}
	}
	return true;
}

/* Sections: .symtab (not stripped) and the symbol tables to read. */
static void
read_sections(struct ectx *c, const GElf_Ehdr *eh, bool dynamic_syms)
{
	struct Sl_elf_info *o = c->o;
	Elf_Scn *scn = NULL, *dynsym = NULL, *symtab = NULL;
	GElf_Shdr dsh, ssh;
	size_t n = 0, k = 0;

	o->stripped = true;
	if (elf_getshdrnum(c->e, &n) != 0)
		n = 0;
	if (n == 0 && eh->e_shnum != 0 && eh->e_shoff != 0)
		damage(o, "section headers lie past the end of the file "
		          "(truncated?)");
	while (k++ < 65536 && (scn = elf_nextscn(c->e, scn)) != NULL) {
		GElf_Shdr sh;

		if (gelf_getshdr(scn, &sh) == NULL)
			break;
		if (sh.sh_type == SHT_SYMTAB && symtab == NULL) {
			symtab = scn;
			ssh = sh;
			o->stripped = false;
		} else if (sh.sh_type == SHT_DYNSYM && dynsym == NULL) {
			dynsym = scn;
			dsh = sh;
		}
	}
	if (dynamic_syms && dynsym != NULL)
		(void)scan_section_syms(c, dynsym, &dsh);
	if (!dynamic_syms && symtab != NULL)
		(void)scan_section_syms(c, symtab, &ssh);
}

enum Sl_elf_rc
Sl_elf_analyse(const uint8_t *data, size_t len, const char *name,
               struct Sl_elf_info *o)
{
	struct ectx c;
	GElf_Ehdr eh;
	GElf_Phdr dyn;
	struct dyninfo di;
	bool interp = false, relro = false, has_dyn = false;

	memset(o, 0, sizeof(*o));
	if (len < SELFMAG || memcmp(data, ELFMAG, SELFMAG) != 0)
		return SL_ELF_SKIP;
	pthread_once(&elf_once, elf_init);
	if (!elf_ready) {
		damage(o, "libelf could not be initialised");
		return SL_ELF_BAD;
	}
	memset(&c, 0, sizeof(c));
	memset(&di, 0, sizeof(di));
	memset(&dyn, 0, sizeof(dyn));
	c.data = data;
	c.len = len;
	c.o = o;
	/* libelf only reads the buffer (ELF_C_READ_MMAP): the cast is safe. */
	c.e = elf_memory((char *)(uintptr_t)data, len);
	if (c.e == NULL) {
		damage(o, "not a valid ELF file: %s", elf_errmsg(-1));
		return SL_ELF_BAD;
	}
	if (elf_kind(c.e) != ELF_K_ELF || gelf_getehdr(c.e, &eh) == NULL) {
		damage(o, "ELF header unreadable: %s", elf_errmsg(-1));
		elf_end(c.e);
		return SL_ELF_BAD;
	}
	if (eh.e_type != ET_EXEC && eh.e_type != ET_DYN) {
		elf_end(c.e);
		return SL_ELF_SKIP;
	}
	o->machine = eh.e_machine;
	o->bits = eh.e_ident[EI_CLASS] == ELFCLASS64 ? 64 : 32;
	o->big_endian = eh.e_ident[EI_DATA] == ELFDATA2MSB;
	if (!read_phdrs(&c, &eh, &interp, &relro, &dyn, &has_dyn)) {
		elf_end(c.e);
		return SL_ELF_BAD;
	}
	if (!o->gnu_stack)
		o->nx = !stack_exec_default(o->machine, o->bits);
	o->is_static = !has_dyn;
	if (has_dyn)
		read_dynamic(&c, &dyn, &di);
	read_sections(&c, &eh, has_dyn);
	if (has_dyn && !c.symbols)
		scan_dyn_syms(&c, &di);
	if (!c.symbols) {
		o->canary = SL_TRI_UNKNOWN;
		o->fortify = SL_TRI_UNKNOWN;
	}
	check_rpath(&c, &di);
	if (eh.e_type == ET_EXEC)
		o->kind = SL_ELF_EXEC;
	else if ((di.flags1 & DF_1_PIE) || (interp && !lib_name(name)))
		o->kind = SL_ELF_PIE;
	else
		o->kind = SL_ELF_LIB;
	if (relro &&
	    (di.bind_now || (di.flags & DF_BIND_NOW) || (di.flags1 & DF_1_NOW)))
		o->relro = SL_RELRO_FULL;
	else if (relro)
		o->relro = SL_RELRO_PARTIAL;
	elf_end(c.e);
	return SL_ELF_OK;
}

/* ------------------------------------------------------------------ */
/* The check                                                           */
/* ------------------------------------------------------------------ */

struct hres {
	const struct sl_entry *e;
	struct Sl_elf_info in;
	bool daemon;
	unsigned missing; /* protections missing, for the ranking */
};

struct hstate {
	pthread_mutex_t lock;
	struct hres *v; /* malloc'd */
	size_t n, cap;
	size_t dropped; /* ELF files past HARD_MAX_ELF */
	size_t notes;   /* damaged ELF files, for the incomplete notes */
	/* "Linux version X.Y" in a kernel image, the lowest one seen. */
	bool kernel;
	unsigned kmaj, kmin;
};

/*
 * Note a damaged ELF file as incomplete: the first HARD_MAX_NOTES by
 * name, the rest counted in one note at the end (hard_finish).
 */
static void
note_damage(struct Sl_file *f, struct hstate *st, bool bad, const char *why)
{
	size_t k;

	pthread_mutex_lock(&st->lock);
	k = st->notes++;
	pthread_mutex_unlock(&st->lock);
	if (k < HARD_MAX_NOTES)
		Sl_incomplete(f->s, "%s: ELF file %s by fw.hardening: %s",
		              f->e->path,
		              bad ? "not analysed" : "partly analysed", why);
}

/* Names of network-facing daemons besides "*d" in an sbin directory. */
static const char *const daemons[] = {
    "dropbear", "dnsmasq", "mosquitto",      "busybox", /* telnetd, httpd */
    "boa",      "goahead", "wpa_supplicant", "openvpn", "avahi-daemon", NULL,
};

static const char *
base(const char *path)
{
	return Sl_basename(path);
}

static bool
is_daemon(const struct sl_entry *e, const struct Sl_elf_info *in)
{
	const char *inner = Sl_inner(e), *b = base(inner);
	const char *const *d;
	size_t n = strlen(b);

	if (in->kind == SL_ELF_LIB)
		return false;
	for (d = daemons; *d != NULL; d++)
		if (strcmp(b, *d) == 0)
			return true;
	return n >= 4 && b[n - 1] == 'd' && strstr(inner, "sbin/") != NULL;
}

static unsigned
missing_count(const struct Sl_elf_info *in)
{
	return !in->nx + (in->kind == SL_ELF_EXEC) +
	       (in->relro != SL_RELRO_FULL) + (in->canary == SL_TRI_NO) +
	       (in->fortify == SL_TRI_NO) + (in->rpath_bad[0] != 0);
}

static bool
hard_want(const struct sl_entry *e, void *user)
{
	(void)user;
	/* The smallest ELF header is 52 bytes. */
	return e->type == SL_FT_REG && e->size >= 52;
}

/*
 * A decompressed kernel image says "Linux version 2.6.36 (builder@host)":
 * the kernel the image boots when it keeps no lib/modules/VERSION.  Only
 * files of kernel size that are not text are searched, the first
 * HARD_KERNEL_SCAN bytes of each.
 */
#define HARD_KERNEL_SCAN (32U << 20)
static void
kernel_banner(struct Sl_file *f, struct hstate *st)
{
	static const char ban[] = "Linux version ";
	size_t n = f->len < HARD_KERNEL_SCAN ? f->len : HARD_KERNEL_SCAN;
	const uint8_t *p;
	unsigned maj = 0, min = 0;
	char buf[16];
	size_t k;

	if (n < (256U << 10) || Sl_is_text(f->data, n))
		return;
	p = memmem(f->data, n, ban, sizeof(ban) - 1);
	if (p == NULL)
		return;
	p += sizeof(ban) - 1;
	for (k = 0; k + 1 < sizeof(buf) && p + k < f->data + n &&
	            ((p[k] >= '0' && p[k] <= '9') || p[k] == '.');
	     k++)
		buf[k] = (char)p[k];
	buf[k] = 0;
	if (sscanf(buf, "%u.%u", &maj, &min) != 2 || maj == 0 || maj > 9)
		return;
	pthread_mutex_lock(&st->lock);
	if (!st->kernel || maj < st->kmaj ||
	    (maj == st->kmaj && min < st->kmin)) {
		st->kernel = true;
		st->kmaj = maj;
		st->kmin = min;
	}
	pthread_mutex_unlock(&st->lock);
}

static sl_rc
hard_end(struct Sl_file *f)
{
	struct hstate *st = f->user;
	struct hres r;
	enum Sl_elf_rc rc;

	if (f->len < SELFMAG || memcmp(f->data, ELFMAG, SELFMAG) != 0) {
		kernel_banner(f, st);
		return SL_OK;
	}
	memset(&r, 0, sizeof(r));
	rc = Sl_elf_analyse(f->data, f->len, Sl_inner(f->e), &r.in);
	if (rc == SL_ELF_SKIP)
		return SL_OK;
	if (rc == SL_ELF_BAD) {
		note_damage(f, st, true, r.in.damage);
		return SL_OK;
	}
	if (r.in.damage[0] != 0)
		note_damage(f, st, false, r.in.damage);
	r.e = f->e;
	r.daemon = is_daemon(f->e, &r.in);
	r.missing = missing_count(&r.in);
	pthread_mutex_lock(&st->lock);
	if (st->n == HARD_MAX_ELF) {
		st->dropped++;
	} else {
		void *v = st->v;

		if (!Sl_vec_grow(&v, &st->cap, st->n, sizeof(*st->v), 64)) {
			pthread_mutex_unlock(&st->lock);
			return SL_E_NOMEM;
		}
		st->v = v;
		st->v[st->n++] = r;
	}
	pthread_mutex_unlock(&st->lock);
	return SL_OK;
}

static int
res_cmp(const void *x, const void *y)
{
	return Sl_path_cmp(((const struct hres *)x)->e->path,
	                   ((const struct hres *)y)->e->path);
}

/* Daemons first, then the most protections missing, then by path. */
static int
worst_cmp(const void *x, const void *y)
{
	const struct hres *a = *(const struct hres *const *)x;
	const struct hres *b = *(const struct hres *const *)y;

	if (a->daemon != b->daemon)
		return a->daemon ? -1 : 1;
	if (a->missing != b->missing)
		return a->missing > b->missing ? -1 : 1;
	return Sl_path_cmp(a->e->path, b->e->path);
}

/*
 * The kernel the image boots, from its module directory
 * (lib/modules/4.14.90/): true and *maj, *min when found.
 */
static bool
kernel_version(const struct sl_scan *s, unsigned *maj, unsigned *min)
{
	size_t i, n = sl_tree_count(s);

	for (i = 0; i < n; i++) {
		const struct sl_entry *e = sl_tree_entry(s, i);
		const char *p = e ? strstr(e->path, "lib/modules/") : NULL;

		if (p != NULL && e->type == SL_FT_DIR &&
		    sscanf(p + 12, "%u.%u", maj, min) == 2 &&
		    strchr(p + 12, '/') == NULL)
			return true;
	}
	return false;
}

/*
 * One finding for every file with an executable stack: one cause (how the
 * image was built), all its locations in the excerpt, daemons first.
 */
static sl_rc
report_execstack(struct sl_scan *s, struct hres **v, size_t n)
{
	size_t i, total = 0, ndaemon = 0, listed = 0;
	const struct hres *first = NULL;
	struct Sl_buf b;
	char sane[112];
	const char *title;
	sl_rc rc;

	for (i = 0; i < n; i++)
		if (!v[i]->in.nx) {
			total++;
			ndaemon += v[i]->daemon;
			if (first == NULL)
				first = v[i];
		}
	if (total == 0)
		return SL_OK;
	Sl_buf_init(&b, 16 << 10);
	Sl_buf_addf(&b,
	            "%zu of %zu ELF files run with an executable stack "
	            "(PT_GNU_STACK RWE, or none on a machine where that "
	            "means executable):",
	            total, n);
	for (i = 0; i < n && listed < HARD_MAX_FINDINGS; i++) {
		const struct hres *r = v[i];
		const char *inner = Sl_inner(r->e);

		if (r->in.nx)
			continue;
		printable(sane, sizeof(sane), inner, strlen(inner));
		Sl_buf_addf(&b, "%s %s%s", listed ? "," : "", sane,
		            r->daemon ? " [daemon]" : "");
		listed++;
	}
	if (total > listed)
		Sl_buf_addf(&b, " [and %zu more]", total - listed);
	rc = Sl_buf_add(&b, "", 1);
	title =
	    Sl_arena_printf(&s->arena,
	                    "%zu ELF file%s run%s with an executable stack "
	                    "(%zu network daemon%s)",
	                    total, total == 1 ? "" : "s", total == 1 ? "s" : "",
	                    ndaemon, ndaemon == 1 ? "" : "s");
	if (rc == SL_OK && title == NULL)
		rc = SL_E_NOMEM;
	if (rc == SL_OK)
		rc = Sl_report(s, &findings[F_EXECSTACK],
		               &(struct Sl_at){.e = first->e,
		                               .off = first->in.stack_off,
		                               .excerpt = (const char *)b.p,
		                               .title = title});
	Sl_buf_free(&b);
	return rc;
}

/*
 * One finding for every unsafe search path: one cause (how the image was
 * linked), all files in the excerpt.  Medium when a path lies in a
 * directory others can write to or climbs out of $ORIGIN; low when the
 * only unsafe element is the current directory (empty or relative), a
 * risk only when the program runs from a writable one.
 */
static sl_rc
report_rpath(struct sl_scan *s, struct hres **v, size_t n)
{
	size_t i, total = 0, listed = 0;
	const struct hres *first = NULL;
	bool cwd_only = true;
	struct Sl_buf b;
	const char *title;
	sl_rc rc;

	for (i = 0; i < n; i++) {
		if (v[i]->in.rpath_bad[0] == 0)
			continue;
		total++;
		if (first == NULL)
			first = v[i];
		if (strstr(v[i]->in.rpath_bad, "current directory") == NULL)
			cwd_only = false;
	}
	if (total == 0)
		return SL_OK;
	Sl_buf_init(&b, 16 << 10);
	for (i = 0; i < n && listed < HARD_MAX_FINDINGS; i++) {
		const struct hres *r = v[i];
		const char *inner = Sl_inner(r->e);
		char sane[112];

		if (r->in.rpath_bad[0] == 0)
			continue;
		printable(sane, sizeof(sane), inner, strlen(inner));
		if (listed == 0)
			Sl_buf_addf(&b, "%s: %s %s: %s", sane,
			            r->in.runpath ? "RUNPATH" : "RPATH",
			            r->in.rpath, r->in.rpath_bad);
		else
			Sl_buf_addf(&b, "%s %s: %s",
			            listed == 1 ? " [also:" : ";", sane,
			            r->in.rpath_bad);
		listed++;
	}
	if (listed > 1)
		Sl_buf_addf(&b, "%s]", total > listed ? "; and more" : "");
	rc = Sl_buf_add(&b, "", 1);
	title = Sl_arena_printf(
	    &s->arena, "%zu ELF file%s search%s for libraries in %s", total,
	    total == 1 ? "" : "s", total == 1 ? "es" : "",
	    cwd_only ? "the current directory (an empty or relative "
	               "RPATH/RUNPATH element)"
	             : "a writable or relative directory (RPATH/RUNPATH)");
	if (rc == SL_OK && title == NULL)
		rc = SL_E_NOMEM;
	if (rc == SL_OK)
		rc = Sl_report(s, &findings[cwd_only ? F_RPATH_CWD : F_RPATH],
		               &(struct Sl_at){.e = first->e,
		                               .off = first->in.rpath_off,
		                               .excerpt = (const char *)b.p,
		                               .title = title});
	Sl_buf_free(&b);
	return rc;
}

/* n*100/d rounded, for the summary. */
static unsigned
pct(size_t n, size_t d)
{
	return d ? (unsigned)((n * 200 + d) / (2 * d)) : 0;
}

/* The container (path before the last "!/") holding the most ELF files. */
static const char *
main_container(struct sl_scan *s, const struct hres *v, size_t n)
{
	const char *name[HARD_MAX_CONT];
	size_t len[HARD_MAX_CONT], cnt[HARD_MAX_CONT], nc = 0, i, j, best = 0;

	for (i = 0; i < n; i++) {
		const char *p = v[i].e->path, *q, *last = NULL;

		for (q = strstr(p, "!/"); q != NULL; q = strstr(q + 2, "!/"))
			last = q;
		if (last == NULL)
			continue;
		for (j = 0; j < nc; j++)
			if (len[j] == (size_t)(last - p) &&
			    memcmp(name[j], p, len[j]) == 0)
				break;
		if (j == nc) {
			if (nc == HARD_MAX_CONT)
				continue;
			name[nc] = p;
			len[nc] = (size_t)(last - p);
			cnt[nc++] = 0;
		}
		cnt[j]++;
	}
	for (j = 1; j < nc; j++)
		if (cnt[j] > cnt[best])
			best = j;
	return nc ? Sl_arena_strndup(&s->arena, name[best], len[best]) : NULL;
}

/* " (exec stack, no PIE, ...)": what the file lacks. */
static void
add_missing(struct Sl_buf *b, const struct Sl_elf_info *in)
{
	const struct {
		bool lacks;
		const char *what;
	} m[] = {
	    {!in->nx, "exec stack"},
	    {in->kind == SL_ELF_EXEC, "no PIE"},
	    {in->relro == SL_RELRO_NONE, "no RELRO"},
	    {in->relro == SL_RELRO_PARTIAL, "partial RELRO"},
	    {in->canary == SL_TRI_NO, "no canary"},
	    {in->fortify == SL_TRI_NO, "no FORTIFY"},
	    {in->rpath_bad[0] != 0, "unsafe RPATH"},
	};
	const char *sep = " (";
	size_t i;

	for (i = 0; i < SL_ARRAY_LEN(m); i++)
		if (m[i].lacks) {
			Sl_buf_addf(b, "%s%s", sep, m[i].what);
			sep = ", ";
		}
	Sl_buf_add(b, ")", 1);
}

static sl_rc
report_summary(struct sl_scan *s, struct hstate *st, struct hres **w,
               const char *moot)
{
	size_t n = st->n, i, nexec = 0, nlib = 0, nx = 0, pie = 0, full = 0;
	size_t part = 0, can = 0, canu = 0, fort = 0, fortu = 0, strip = 0;
	size_t exs = 0, rp = 0, shown = 0;
	struct Sl_buf b;
	char sane[112];
	sl_rc rc;

	for (i = 0; i < n; i++) {
		const struct Sl_elf_info *in = &st->v[i].in;

		nlib += in->kind == SL_ELF_LIB;
		nexec += in->kind != SL_ELF_LIB;
		nx += in->nx;
		exs += !in->nx;
		pie += in->kind == SL_ELF_PIE;
		full += in->relro == SL_RELRO_FULL;
		part += in->relro == SL_RELRO_PARTIAL;
		can += in->canary == SL_TRI_YES;
		canu += in->canary == SL_TRI_UNKNOWN;
		fort += in->fortify == SL_TRI_YES;
		fortu += in->fortify == SL_TRI_UNKNOWN;
		strip += in->stripped;
		rp += in->rpath_bad[0] != 0;
	}
	Sl_buf_init(&b, 64 << 10);
	Sl_buf_addf(&b,
	            "%zu ELF file%s (%zu executable%s, %zu shared librar%s): "
	            "NX %u%% (%zu/%zu), PIE %u%% (%zu/%zu executables), "
	            "full RELRO %u%% (%zu/%zu), partial RELRO %u%% (%zu/%zu), "
	            "canary %u%% (%zu/%zu, %zu unknown), "
	            "FORTIFY %u%% (%zu/%zu, %zu unknown), "
	            "stripped %u%% (%zu/%zu); "
	            "executable stack %zu, unsafe RPATH %zu.",
	            n, n == 1 ? "" : "s", nexec, nexec == 1 ? "" : "s", nlib,
	            nlib == 1 ? "y" : "ies", pct(nx, n), nx, n, pct(pie, nexec),
	            pie, nexec, pct(full, n), full, n, pct(part, n), part, n,
	            pct(can, n), can, n, canu, pct(fort, n), fort, n, fortu,
	            pct(strip, n), strip, n, exs, rp);
	if (st->dropped > 0)
		Sl_buf_addf(&b, " %zu more ELF files not counted.",
		            st->dropped);
	if (moot != NULL && exs > 0)
		Sl_buf_addf(&b, "%s", moot);
	for (i = 0; i < n && shown < HARD_WORST; i++) {
		const struct hres *r = w[i];
		const char *inner = Sl_inner(r->e);

		if (r->missing == 0)
			continue;
		printable(sane, sizeof(sane), inner, strlen(inner));
		Sl_buf_addf(&b, "%s %s%s", shown ? ";" : " Missing most:", sane,
		            r->daemon ? " [daemon]" : "");
		add_missing(&b, &r->in);
		shown++;
	}
	rc = Sl_buf_add(&b, "", 1);
	if (rc != SL_OK) {
		Sl_buf_free(&b);
		return rc;
	}
	/* About the image's root file system, not one of its files. */
	rc = Sl_report(
	    s, &findings[F_SUMMARY],
	    &(struct Sl_at){.ev = &(struct sl_evidence){.path = main_container(
	                                                    s, st->v, n)},
	                    .excerpt = (const char *)b.p});
	Sl_buf_free(&b);
	return rc;
}

static sl_rc
hard_prepare(struct sl_scan *s, struct Sl_grep_job *job)
{
	static const struct Sl_grep_ops ops = {
	    .who = "fw.hardening",
	    .want = hard_want,
	    .end = hard_end,
	};
	struct hstate *st = calloc(1, sizeof(*st));

	if (st == NULL)
		return Sl_fail(s, SL_E_NOMEM, "fw.hardening: out of memory");
	pthread_mutex_init(&st->lock, NULL);
	job->p = NULL;
	job->ops = &ops;
	job->user = st;
	return SL_OK;
}

static sl_rc
hard_report(struct sl_scan *s, struct hstate *st)
{
	struct hres **w;
	size_t i;
	unsigned maj = 0, min = 0;
	bool mips = true;
	const char *moot = NULL;
	sl_rc rc;

	if (st->n == 0)
		return SL_OK;
	qsort(st->v, st->n, sizeof(*st->v), res_cmp);
	w = malloc(st->n * sizeof(*w));
	if (w == NULL)
		return SL_E_NOMEM;
	for (i = 0; i < st->n; i++)
		w[i] = &st->v[i];
	qsort(w, st->n, sizeof(*w), worst_cmp);
	/*
	 * MIPS kernels before 4.8 give every process an executable stack
	 * (the FPU emulator runs code there), whatever PT_GNU_STACK says:
	 * the per-file flag is then moot and the summary says so instead.
	 */
	for (i = 0; i < st->n && mips; i++)
		if (!st->v[i].in.nx && st->v[i].in.machine != EM_MIPS)
			mips = false;
	if (mips && !kernel_version(s, &maj, &min) && st->kernel) {
		maj = st->kmaj;
		min = st->kmin;
	}
	if (mips && (maj > 0) && (maj < 4 || (maj == 4 && min < 8)))
		moot = Sl_arena_printf(
		    &s->arena,
		    " On MIPS the kernel (Linux %u.%u, before 4.8) makes every "
		    "stack executable for FPU emulation, whatever the files "
		    "say: the per-file flag is moot; the fix is a kernel of "
		    "4.8 or later.",
		    maj, min);
	rc = moot != NULL ? SL_OK : report_execstack(s, w, st->n);
	if (rc == SL_OK)
		rc = report_rpath(s, w, st->n);
	if (rc == SL_OK)
		rc = report_summary(s, st, w, moot);
	free(w);
	return rc;
}

static sl_rc
hard_finish(struct sl_scan *s, struct Sl_grep_job *job, sl_rc rc)
{
	struct hstate *st = job->user;

	if (st == NULL)
		return rc;
	if (rc == SL_OK)
		rc = hard_report(s, st);
	if (st->notes > HARD_MAX_NOTES)
		Sl_incomplete(s,
		              "fw.hardening: %zu more damaged ELF files, not "
		              "listed",
		              st->notes - HARD_MAX_NOTES);
	pthread_mutex_destroy(&st->lock);
	free(st->v);
	free(st);
	job->user = NULL;
	if (rc == SL_E_NOMEM)
		return Sl_fail(s, rc, "fw.hardening: out of memory");
	if (rc != SL_OK)
		return Sl_fail(s, rc, "fw.hardening: %s", sl_strerror(rc));
	return SL_OK;
}

const struct Sl_check Sl_check_hardening = {
    .id = "fw.hardening",
    .title = "Exploit mitigations of ELF executables and libraries",
    .covers = {"S1.1-13", NULL},
    .findings = findings,
    .source = SL_SRC_FIRMWARE,
    .prepare = hard_prepare,
    .finish = hard_finish,
};
