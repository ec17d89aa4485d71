/*
 * test_hardening.c - unit tests of fw.hardening over real ELF files the
 * test builds with the real compilers: native gcc with and without each
 * mitigation (canary, FORTIFY, PIE, RELRO partial and full, executable
 * stack, RPATH/RUNPATH, strip, static, shared library), an ARM
 * (little-endian) and a MIPS (big-endian) cross build, copies with their
 * section headers removed (as sstrip leaves them), damaged copies, and the
 * whole check over an in-memory image: finding ids, requirement ids,
 * severities, the summary's numbers, and allocation failure at every step.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <elf.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check/check.h"
#include "check/firmware/hardening.h"

extern const struct Sl_check Sl_check_hardening;

#include "memimg.h"

static const char prog_src[] =
    "#include <stdio.h>\n"
    "#include <string.h>\n"
    "int main(int argc, char **argv)\n"
    "{\n"
    "	char buf[32];\n"
    "	strcpy(buf, argc > 1 ? argv[1] : \"x\");\n"
    "	printf(\"%s %d\\n\", buf, argc);\n"
    "	return 0;\n"
    "}\n";

static const char lib_src[] = "#include <string.h>\n"
                              "int lib_copy(char *d, const char *s)\n"
                              "{\n"
                              "	char buf[64];\n"
                              "	strcpy(buf, s);\n"
                              "	memcpy(d, buf, 8);\n"
                              "	return buf[0];\n"
                              "}\n";

static char dir[64];

struct blob {
	uint8_t *p;
	size_t n;
};

static struct blob
slurp(const char *path)
{
	struct blob b = {0};
	FILE *f = fopen(path, "rb");
	long n;

	assert_non_null(f);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	n = ftell(f);
	assert_true(n > 0);
	rewind(f);
	b.p = malloc((size_t)n);
	assert_non_null(b.p);
	assert_int_equal(fread(b.p, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	b.n = (size_t)n;
	return b;
}

/*
 * Build out from src with cc and flags (in dir), and return its bytes.
 * The command line is the test's own text: no shell input from outside.
 */
static struct blob
build(const char *cc, const char *src, const char *flags, const char *out)
{
	char cmd[1024], spath[128], opath[128];
	FILE *f;

	snprintf(spath, sizeof(spath), "%s/%s.c", dir, out);
	snprintf(opath, sizeof(opath), "%s/%s", dir, out);
	f = fopen(spath, "w");
	assert_non_null(f);
	fputs(src, f);
	fclose(f);
	snprintf(cmd, sizeof(cmd), "%s %s -o '%s' '%s' 2>'%s.err'", cc, flags,
	         opath, spath, opath);
	if (system(cmd) != 0)
		fail_msg("could not build: %s", cmd);
	return slurp(opath);
}

static struct blob
strip_copy(const char *strip, const char *out)
{
	char cmd[512], o[128];

	snprintf(o, sizeof(o), "%s/%s", dir, out);
	snprintf(cmd, sizeof(cmd), "%s -o '%s.s' '%s'", strip, o, o);
	if (system(cmd) != 0)
		fail_msg("could not strip: %s", cmd);
	snprintf(o, sizeof(o), "%s/%s.s", dir, out);
	return slurp(o);
}

static uint64_t
rd(const uint8_t *p, size_t n, bool be)
{
	uint64_t v = 0;
	size_t i;

	for (i = 0; i < n; i++)
		v |= (uint64_t)p[be ? n - 1 - i : i] << (8 * i);
	return v;
}

static void
wr(uint8_t *p, size_t n, bool be, uint64_t v)
{
	size_t i;

	for (i = 0; i < n; i++)
		p[be ? n - 1 - i : i] = (uint8_t)(v >> (8 * i));
}

/*
 * A copy without section headers, as sstrip leaves a file: e_shoff,
 * e_shnum and e_shstrndx zeroed, the table itself cut off when it ends
 * the file.
 */
static struct blob
sstrip(struct blob in)
{
	struct blob b = {malloc(in.n), in.n};
	bool be = in.p[5] == 2, wide = in.p[4] == 2;
	size_t shoff_at = wide ? 0x28 : 0x20, shnum_at = wide ? 0x3c : 0x30;
	uint64_t shoff;

	assert_non_null(b.p);
	memcpy(b.p, in.p, in.n);
	shoff = rd(b.p + shoff_at, wide ? 8 : 4, be);
	if (shoff > 0 && shoff < b.n)
		b.n = (size_t)shoff;
	wr(b.p + shoff_at, wide ? 8 : 4, be, 0);
	wr(b.p + shnum_at, 2, be, 0);
	wr(b.p + shnum_at + 2, 2, be, 0);
	return b;
}

/* ------------------------------------------------------------------ */

struct bins {
	struct blob hard, soft, partial, runpath, origin, okpath, stripped,
	    sstripped, lib, stat, statstrip, obj, arm, mips, mipss;
};

static struct bins B;

static int
setup(void **state)
{
	const char *hard = "-O2 -D_FORTIFY_SOURCE=2 -fstack-protector-strong "
	                   "-fPIE -pie -Wl,-z,relro,-z,now -Wl,-z,noexecstack";

	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/sl-hard.XXXXXX");
	if (mkdtemp(dir) == NULL)
		return -1;
	B.hard = build("gcc", prog_src, hard, "hard");
	B.soft = build("gcc", prog_src,
	               "-O0 -fno-stack-protector -U_FORTIFY_SOURCE -fno-PIE "
	               "-no-pie -Wl,-z,norelro -Wl,-z,execstack",
	               "soft");
	B.partial = build("gcc", prog_src,
	                  "-O2 -fstack-protector-strong -fPIE -pie "
	                  "-Wl,-z,relro,-z,lazy",
	                  "partial");
	B.runpath = build("gcc", prog_src,
	                  "-O2 -Wl,--enable-new-dtags -Wl,-rpath,/usr/lib/x:"
	                  "/tmp/lib",
	                  "runpath");
	B.origin = build("gcc", prog_src,
	                 "-O2 -Wl,--disable-new-dtags "
	                 "-Wl,-rpath,'$ORIGIN/../lib'",
	                 "origin");
	B.okpath =
	    build("gcc", prog_src,
	          "-O2 -Wl,-rpath,/usr/lib/vendor:'$ORIGIN/lib'", "okpath");
	free(build("gcc", prog_src, hard, "tostrip").p);
	B.stripped = strip_copy("strip", "tostrip");
	B.sstripped = sstrip(B.stripped);
	B.lib = build("gcc", lib_src,
	              "-O2 -fPIC -shared -fstack-protector-strong "
	              "-D_FORTIFY_SOURCE=2 -Wl,-z,relro,-z,now",
	              "libt.so");
	B.stat = build("gcc", prog_src, "-O2 -static -fno-stack-protector",
	               "static");
	B.statstrip = strip_copy("strip", "static");
	B.obj = build("gcc", prog_src, "-O2 -c", "obj.o");
	B.arm = build("arm-linux-gnueabihf-gcc", prog_src, hard, "arm");
	B.mips = build("mips-linux-gnu-gcc", prog_src,
	               "-O2 -fno-stack-protector -fno-PIE -no-pie", "mips");
	B.mipss = sstrip(B.mips);
	return 0;
}

static int
teardown(void **state)
{
	struct blob *b = (struct blob *)&B;
	size_t i;
	char cmd[128];

	(void)state;
	for (i = 0; i < sizeof(B) / sizeof(*b); i++)
		free(b[i].p);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

static struct Sl_elf_info
an(struct blob b, const char *name, enum Sl_elf_rc want)
{
	struct Sl_elf_info in;

	assert_int_equal(Sl_elf_analyse(b.p, b.n, name, &in), want);
	return in;
}

static void
native(void **state)
{
	struct Sl_elf_info in;

	(void)state;
	in = an(B.hard, "usr/bin/hard", SL_ELF_OK);
	assert_int_equal(in.machine, EM_X86_64);
	assert_int_equal(in.bits, 64);
	assert_false(in.big_endian);
	assert_int_equal(in.kind, SL_ELF_PIE);
	assert_true(in.gnu_stack && in.nx);
	assert_int_equal(in.relro, SL_RELRO_FULL);
	assert_int_equal(in.canary, SL_TRI_YES);
	assert_int_equal(in.fortify, SL_TRI_YES);
	assert_true(in.nfortified >= 2); /* __strcpy_chk, __printf_chk */
	assert_false(in.stripped);
	assert_false(in.has_rpath);
	assert_string_equal(in.damage, "");

	in = an(B.soft, "usr/bin/soft", SL_ELF_OK);
	assert_int_equal(in.kind, SL_ELF_EXEC);
	assert_true(in.gnu_stack);
	assert_false(in.nx);
	assert_int_equal(in.relro, SL_RELRO_NONE);
	assert_int_equal(in.canary, SL_TRI_NO);
	assert_int_equal(in.fortify, SL_TRI_NO);
	/* The offset names the PT_GNU_STACK program header. */
	assert_true(in.stack_off >= 64 && in.stack_off < 64 + 56 * 16);
	assert_int_equal(rd(B.soft.p + in.stack_off, 4, false), PT_GNU_STACK);

	in = an(B.partial, "usr/bin/partial", SL_ELF_OK);
	assert_int_equal(in.relro, SL_RELRO_PARTIAL);
	assert_int_equal(in.kind, SL_ELF_PIE);
	assert_int_equal(in.canary, SL_TRI_YES);
}

static void
rpaths(void **state)
{
	struct Sl_elf_info in;

	(void)state;
	in = an(B.runpath, "bin/runpath", SL_ELF_OK);
	assert_true(in.has_rpath && in.runpath);
	assert_string_equal(in.rpath, "/usr/lib/x:/tmp/lib");
	assert_non_null(strstr(in.rpath_bad, "'/tmp/lib'"));
	assert_memory_equal(B.runpath.p + in.rpath_off, "/usr/lib/x:/tmp/lib",
	                    20);

	in = an(B.origin, "bin/origin", SL_ELF_OK);
	assert_true(in.has_rpath);
	assert_false(in.runpath);
	assert_string_equal(in.rpath, "$ORIGIN/../lib");
	assert_non_null(strstr(in.rpath_bad, "climbs out"));

	in = an(B.okpath, "bin/okpath", SL_ELF_OK);
	assert_true(in.has_rpath);
	assert_string_equal(in.rpath_bad, "");
}

static void
stripped_and_static(void **state)
{
	struct Sl_elf_info in;

	(void)state;
	in = an(B.stripped, "bin/hard", SL_ELF_OK);
	assert_true(in.stripped);
	assert_int_equal(in.canary, SL_TRI_YES);
	assert_int_equal(in.fortify, SL_TRI_YES);
	assert_int_equal(in.relro, SL_RELRO_FULL);

	/* No section headers at all: symbols through DT_GNU_HASH. */
	in = an(B.sstripped, "bin/hard", SL_ELF_OK);
	assert_string_equal(in.damage, "");
	assert_true(in.stripped);
	assert_int_equal(in.canary, SL_TRI_YES);
	assert_int_equal(in.fortify, SL_TRI_YES);
	assert_int_equal(in.kind, SL_ELF_PIE);

	in = an(B.lib, "usr/lib/libt.so", SL_ELF_OK);
	assert_int_equal(in.kind, SL_ELF_LIB);
	assert_int_equal(in.canary, SL_TRI_YES);
	assert_int_equal(in.fortify, SL_TRI_YES);
	assert_int_equal(in.relro, SL_RELRO_FULL);

	/* A static glibc brings its own __stack_chk_fail (see hardening.c). */
	in = an(B.stat, "bin/static", SL_ELF_OK);
	assert_true(in.is_static);
	assert_false(in.stripped);
	assert_int_equal(in.canary, SL_TRI_YES);
	in = an(B.statstrip, "bin/static", SL_ELF_OK);
	assert_true(in.is_static && in.stripped);
	assert_int_equal(in.canary, SL_TRI_UNKNOWN);
	assert_int_equal(in.fortify, SL_TRI_UNKNOWN);

	(void)an(B.obj, "obj.o", SL_ELF_SKIP);
}

static void
cross(void **state)
{
	struct Sl_elf_info in;

	(void)state;
	in = an(B.arm, "usr/sbin/armd", SL_ELF_OK);
	assert_int_equal(in.machine, EM_ARM);
	assert_int_equal(in.bits, 32);
	assert_false(in.big_endian);
	assert_int_equal(in.kind, SL_ELF_PIE);
	assert_true(in.nx);
	assert_int_equal(in.relro, SL_RELRO_FULL);
	assert_int_equal(in.canary, SL_TRI_YES);
	assert_int_equal(in.fortify, SL_TRI_YES);

	/* Debian's MIPS toolchain marks the stack executable by default. */
	in = an(B.mips, "usr/sbin/httpd", SL_ELF_OK);
	assert_int_equal(in.machine, EM_MIPS);
	assert_true(in.big_endian);
	assert_int_equal(in.kind, SL_ELF_EXEC);
	assert_false(in.nx);
	assert_int_equal(in.canary, SL_TRI_NO);
	assert_int_equal(in.fortify, SL_TRI_NO);

	/* Without sections: the count comes from DT_MIPS_SYMTABNO. */
	in = an(B.mipss, "usr/sbin/httpd", SL_ELF_OK);
	assert_string_equal(in.damage, "");
	assert_int_equal(in.canary, SL_TRI_NO);
	assert_int_equal(in.fortify, SL_TRI_NO);
	assert_false(in.nx);
}

/* Drop PT_GNU_STACK (make it PT_NULL): the machine's default applies. */
static struct blob
no_gnu_stack(struct blob in)
{
	struct blob b = {malloc(in.n), in.n};
	bool be = in.p[5] == 2, wide = in.p[4] == 2;
	uint64_t phoff = rd(in.p + (wide ? 0x20 : 0x1c), wide ? 8 : 4, be);
	unsigned phent = (unsigned)rd(in.p + (wide ? 0x36 : 0x2a), 2, be);
	unsigned phnum = (unsigned)rd(in.p + (wide ? 0x38 : 0x2c), 2, be), i;

	assert_non_null(b.p);
	memcpy(b.p, in.p, in.n);
	for (i = 0; i < phnum; i++)
		if (rd(b.p + phoff + i * phent, 4, be) == PT_GNU_STACK)
			wr(b.p + phoff + i * phent, 4, be, PT_NULL);
	return b;
}

static void
stack_defaults(void **state)
{
	struct blob m = no_gnu_stack(B.arm), x = no_gnu_stack(B.hard);
	struct Sl_elf_info in;

	(void)state;
	in = an(m, "bin/a", SL_ELF_OK);
	assert_false(in.gnu_stack);
	assert_false(in.nx); /* 32-bit ARM: READ_IMPLIES_EXEC */
	in = an(x, "bin/x", SL_ELF_OK);
	assert_false(in.gnu_stack);
	assert_true(in.nx); /* x86-64: a non-executable stack */
	free(m.p);
	free(x.p);
}

/* An ELF32 executable whose program headers lie past its end. */
static struct blob
bad_phdrs(void)
{
	static uint8_t h[80] = "\x7f"
	                       "ELF\x01\x01\x01";

	wr(h + 16, 2, false, ET_EXEC);
	wr(h + 18, 2, false, EM_ARM);
	wr(h + 20, 4, false, EV_CURRENT);
	wr(h + 28, 4, false, 0x1000); /* e_phoff */
	wr(h + 40, 2, false, 52);     /* e_ehsize */
	wr(h + 42, 2, false, 32);     /* e_phentsize */
	wr(h + 44, 2, false, 3);      /* e_phnum */
	return (struct blob){h, sizeof(h)};
}

static void
damaged(void **state)
{
	static const uint8_t junk[64] = "\x7f"
	                                "ELF\x09\x01\x01";
	struct Sl_elf_info in;
	uint8_t *p;
	size_t i;

	(void)state;
	in = an((struct blob){(uint8_t *)junk, sizeof(junk)}, "x", SL_ELF_BAD);
	assert_true(in.damage[0] != 0);
	in = an(bad_phdrs(), "x", SL_ELF_BAD);
	assert_non_null(strstr(in.damage, "program header"));
	/* Cut after the program headers: the dynamic data is missing. */
	in = an((struct blob){B.soft.p, 4096}, "x", SL_ELF_OK);
	assert_true(in.damage[0] != 0);
	/* Cut before the section headers only. */
	in = an((struct blob){B.hard.p, (size_t)rd(B.hard.p + 0x28, 8, false)},
	        "x", SL_ELF_OK);
	assert_non_null(strstr(in.damage, "section headers lie past"));
	assert_int_equal(in.canary, SL_TRI_YES); /* from DT_GNU_HASH */
	/* Every prefix, and every byte flipped in the headers: no crash. */
	for (i = 0; i < 1024; i++)
		(void)Sl_elf_analyse(B.mips.p, i, "x", &in);
	p = malloc(B.sstripped.n);
	assert_non_null(p);
	for (i = 0; i < 1024; i++) {
		memcpy(p, B.sstripped.p, B.sstripped.n);
		p[i] ^= 0xff;
		(void)Sl_elf_analyse(p, B.sstripped.n, "x", &in);
	}
	free(p);
}

/* ------------------------------------------------------------------ */

static sl_rc
run_check(struct sl_scan *s)
{
	return Sl_check_run(s, &Sl_check_hardening);
}

static const struct sl_finding *
summary(struct sl_scan *s)
{
	size_t i;

	for (i = 0; i < sl_finding_count(s); i++)
		if (strcmp(sl_finding_get(s, i)->id,
		           "FW-ELF-HARDENING-SUMMARY") == 0)
			return sl_finding_get(s, i);
	return NULL;
}

static void
image(struct img *m)
{
	struct blob junk = bad_phdrs();

	img_addm(m, "usr/sbin/httpd", 0755, B.mips.p, B.mips.n);
	img_addm(m, "usr/sbin/armd", 0755, B.arm.p, B.arm.n);
	img_addm(m, "usr/bin/hard", 0755, B.hard.p, B.hard.n);
	img_addm(m, "usr/bin/soft", 0755, B.soft.p, B.soft.n);
	img_addm(m, "usr/bin/runpath", 0755, B.runpath.p, B.runpath.n);
	img_addm(m, "usr/bin/stripped", 0755, B.stripped.p, B.stripped.n);
	img_add(m, "usr/lib/libt.so", B.lib.p, B.lib.n);
	img_add(m, "usr/lib/obj.o", B.obj.p, B.obj.n);
	img_add(m, "usr/lib/junk", junk.p, junk.n);
	img_adds(m, "etc/motd",
	         "\x7f"
	         "EL and some text that is not an ELF file at all\n");
}

static void
check(void **state)
{
	struct img m = {0};
	struct sl_scan *s;
	const struct sl_finding *f;
	size_t i;

	(void)state;
	image(&m);
	s = scan_of(&m);
	assert_int_equal(run_check(s), SL_OK);
	/* One cause, one finding: at the daemon, naming both files. */
	assert_int_equal(count(s, "FW-ELF-EXECSTACK", NULL), 1);
	f = find(s, "FW-ELF-EXECSTACK", "usr/sbin/httpd");
	assert_non_null(f);
	assert_int_equal(f->severity, SL_SEV_MEDIUM);
	assert_string_equal(f->requirements[0], "S1.1-13");
	assert_null(f->requirements[1]);
	assert_non_null(strstr(f->title, "2 ELF files run with an executable "
	                                 "stack (1 network daemon)"));
	assert_non_null(strstr(f->evidence.excerpt,
	                       "usr/sbin/httpd [daemon], usr/bin/soft"));
	assert_int_equal(count(s, "FW-ELF-INSECURE-RPATH", NULL), 1);
	f = find(s, "FW-ELF-INSECURE-RPATH", "usr/bin/runpath");
	assert_non_null(f);
	assert_int_equal(f->severity, SL_SEV_MEDIUM);
	assert_non_null(
	    strstr(f->evidence.excerpt, "RUNPATH /usr/lib/x:/tmp/lib"));
	f = summary(s);
	assert_non_null(f);
	assert_int_equal(f->severity, SL_SEV_INFO);
	assert_string_equal(f->requirements[0], "S1.1-13");
	assert_string_equal(f->evidence.path, "t.bin:sect");
	/* 7 ELF files: 6 executables (2 ET_EXEC) and the library. */
	assert_non_null(strstr(f->evidence.excerpt,
	                       "7 ELF files (6 executables, 1 shared "
	                       "library): NX 71% (5/7), PIE 67% (4/6 "
	                       "executables)"));
	assert_non_null(strstr(f->evidence.excerpt, "executable stack 2, "
	                                            "unsafe RPATH 1."));
	/* The daemon comes first among the worst. */
	assert_non_null(strstr(f->evidence.excerpt,
	                       "Missing most: usr/sbin/httpd [daemon] (exec "
	                       "stack, no PIE, no RELRO, no canary, no "
	                       "FORTIFY); usr/bin/soft (exec stack"));
	/* The junk with an ELF magic is incomplete, the object skipped. */
	for (i = 0; i < sl_scan_incomplete_count(s); i++)
		if (strstr(sl_scan_incomplete(s, i), "usr/lib/junk: ELF file "
		                                     "not analysed"))
			break;
	assert_true(i < sl_scan_incomplete_count(s));
	assert_int_equal(sl_scan_incomplete_count(s), 1);
	sl_scan_free(s);
	free(m.p);
}

static void
no_elf(void **state)
{
	struct img m = {0};
	struct sl_scan *s;

	(void)state;
	img_adds(&m, "etc/passwd", "root:x:0:0::/root:/bin/sh\n");
	img_add(&m, "usr/lib/obj.o", B.obj.p, B.obj.n);
	s = scan_of(&m);
	assert_int_equal(run_check(s), SL_OK);
	assert_int_equal(sl_finding_count(s), 0);
	assert_int_equal(sl_scan_incomplete_count(s), 0);
	sl_scan_free(s);
	free(m.p);
}

/* 34 files with an executable stack, 20 damaged ones: the caps. */
static void
caps(void **state)
{
	struct blob junk = bad_phdrs();
	struct img m = {0};
	struct sl_scan *s;
	size_t i, more = 0, named = 0, counted = 0;
	char name[64];

	(void)state;
	for (i = 0; i < 34; i++) {
		snprintf(name, sizeof(name), "usr/bin/soft%02zu", i);
		img_addm(&m, name, 0755, B.soft.p, B.soft.n);
	}
	for (i = 0; i < 20; i++) {
		snprintf(name, sizeof(name), "usr/bin/junk%02zu", i);
		img_add(&m, name, junk.p, junk.n);
	}
	s = scan_of(&m);
	assert_int_equal(run_check(s), SL_OK);
	assert_int_equal(count(s, "FW-ELF-EXECSTACK", NULL), 1);
	for (i = 0; i < sl_finding_count(s); i++)
		more += strstr(sl_finding_get(s, i)->evidence.excerpt,
		               "[and 2 more]") != NULL;
	assert_int_equal(more, 1);
	for (i = 0; i < sl_scan_incomplete_count(s); i++) {
		named += strstr(sl_scan_incomplete(s, i),
		                ": ELF file not analysed") != NULL;
		counted += strcmp(sl_scan_incomplete(s, i),
		                  "fw.hardening: 4 more damaged ELF files, not "
		                  "listed") == 0;
	}
	assert_int_equal(named, 16);
	assert_int_equal(counted, 1);
	sl_scan_free(s);
	free(m.p);
}

static void
torture(void **state)
{
	struct img m = {0};
	long i, ok = 0;

	(void)state;
	image(&m);
	for (i = 1; i < 2000; i++) {
		struct sl_scan *s = scan_of(&m);
		bool reached;
		sl_rc rc;

		s->arena.fail_at = s->arena.nallocs + i;
		rc = run_check(s);
		assert_true(rc == SL_OK || rc == SL_E_NOMEM);
		ok += rc == SL_OK;
		reached = s->arena.nallocs >= s->arena.fail_at;
		sl_scan_free(s);
		if (!reached)
			break;
	}
	assert_true(i < 2000);
	assert_true(ok > 0);
	free(m.p);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(native),
	    cmocka_unit_test(rpaths),
	    cmocka_unit_test(stripped_and_static),
	    cmocka_unit_test(cross),
	    cmocka_unit_test(stack_defaults),
	    cmocka_unit_test(damaged),
	    cmocka_unit_test(check),
	    cmocka_unit_test(no_elf),
	    cmocka_unit_test(caps),
	    cmocka_unit_test(torture),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
