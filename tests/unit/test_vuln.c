/*
 * test_vuln.c - unit tests of src/vuln: version comparison on the cases
 * upstream numbering makes tricky, the bundled data set (it agrees with
 * data/vulns/cves.tsv, has at least 150 CVEs, every row parses), matching
 * and the one finding per vulnerable component, package URLs and CPEs,
 * and the --vuln-db parser on NVD JSON 2.0, OSV and broken files.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

#include <jansson.h>
#include <unistd.h>

#include "vuln/vulndb.h"
#include "check/check.h"
#include "memimg.h"

extern const struct Sl_check Sl_check_components;

/* The source tree, from this file's path (CMake passes it absolute). */
extern const struct Sl_check Sl_check_net_ports;

static void
src_path(char *out, size_t n, const char *rel)
{
	/* The build passes the source tree: __FILE__ may be relative
	 * (-ffile-prefix-map in reproducible package builds). */
	snprintf(out, n, "%s/%s", SL_SOURCE_DIR, rel);
}

static int
sgn(int v)
{
	return (v > 0) - (v < 0);
}

/* ---- Versions ------------------------------------------------------ */

static void
version_cmp(void **state)
{
	static const struct {
		const char *a, *b;
		int want;
	} t[] = {
	    {"1.1.1k", "1.1.1w", -1},
	    {"1.1.1w", "1.1.1k", 1},
	    {"1.1.1", "1.1.1k", -1},
	    {"1.1.1w", "1.1.1za", -1},
	    {"1.0.2z", "1.0.2za", -1},
	    {"1.0.2u", "1.1.0", -1},
	    {"1.1.0", "1.0.2u", 1},
	    {"2019.78", "2020.81", -1},
	    {"2022.83", "2020.81", 1},
	    {"4.14.90", "4.14.200", -1},
	    {"4.14.200", "4.14.90", 1},
	    {"2.80", "2.86", -1},
	    {"0.9.33.2", "1.0.31", -1},
	    {"0.9.33.2", "0.9.33", 1},
	    {"0.9.33.2", "0.9.33.2", 0},
	    {"8.4p1", "8.4", 1},
	    {"8.4p1", "8.5", -1},
	    {"9.3p1", "9.3p2", -1},
	    {"1.9.5p1", "1.9.5p2", -1},
	    {"7.4", "7.4", 0},
	    {"1.0.0-rc1", "1.0.0", -1},
	    {"1.0.0", "1.0.0-rc1", 1},
	    {"3.0.0-alpha17", "3.0.0-beta1", -1},
	    {"1.0~rc1", "1.0", -1},
	    {"007", "7", 0},
	    {"1.2", "1.10", -1},
	    {"5.10", "5.10.0", -1},
	    {"99999999999999999999999", "1", 1},
	    {"", "1", -1},
	    {"1.36.1", "1.36.0", 1},
	};
	size_t i;

	(void)state;
	for (i = 0; i < SL_ARRAY_LEN(t); i++) {
		int got = sgn(Sl_version_cmp(t[i].a, t[i].b));

		if (got != t[i].want)
			fail_msg("cmp(%s, %s) = %d, want %d", t[i].a, t[i].b,
			         got, t[i].want);
		/* Antisymmetric. */
		assert_int_equal(sgn(Sl_version_cmp(t[i].b, t[i].a)), -got);
	}
}

static void
version_upstream(void **state)
{
	char out[64];

	(void)state;
	Sl_version_upstream("2.80-1.4", out, sizeof(out));
	assert_string_equal(out, "2.80");
	Sl_version_upstream("1:8.4p1-5+deb11u1", out, sizeof(out));
	assert_string_equal(out, "8.4p1");
	Sl_version_upstream("2.31-13+deb11u5", out, sizeof(out));
	assert_string_equal(out, "2.31");
	Sl_version_upstream("1.1.1k", out, sizeof(out));
	assert_string_equal(out, "1.1.1k");
	Sl_version_upstream("1.2.3~bpo1", out, sizeof(out));
	assert_string_equal(out, "1.2.3");
	Sl_version_upstream("1.2.3.4.5", out, 4);
	assert_string_equal(out, "1.2");
}

/* ---- The bundled data set ----------------------------------------- */

static void
data_matches_tsv(void **state)
{
	char path[4096], line[2048], *f[13], *p, *save;
	char ids[512][24];
	size_t row = 0, nids = 0, i, nf;
	FILE *fp;

	(void)state;
	src_path(path, sizeof(path), "data/vulns/cves.tsv");
	fp = fopen(path, "r");
	assert_non_null(fp);
	while (fgets(line, sizeof(line), fp) != NULL) {
		const struct Sl_vuln *v;
		size_t n = strlen(line);
		double cvss;

		while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
			line[--n] = 0;
		if (n == 0 || line[0] == '#')
			continue;
		/* Every row: twelve tab-separated fields. */
		nf = 0;
		for (p = strtok_r(line, "\t", &save); p != NULL && nf < 13;
		     p = strtok_r(NULL, "\t", &save))
			f[nf++] = p;
		if (nf != 12)
			fail_msg("row %zu has %zu fields", row, nf);
		assert_true(strncmp(f[0], "CVE-", 4) == 0);
		cvss = strtod(f[5], NULL);
		assert_true(cvss >= 7.0 && cvss <= 10.0);
		assert_true(strcmp(f[3], "-") != 0 || strcmp(f[4], "-") != 0);
		snprintf(path, sizeof(path),
		         "https://nvd.nist.gov/vuln/detail/%s", f[0]);
		assert_string_equal(f[11], path);
		/* The compiled table holds the same row, in order. */
		assert_true(row < Sl_bundled_nvulns);
		v = &Sl_bundled_vulns[row];
		assert_string_equal(v->id, f[0]);
		assert_string_equal(v->component, f[1]);
		if (strcmp(f[2], "0") == 0)
			assert_null(v->lo);
		else
			assert_string_equal(v->lo, f[2]);
		assert_string_equal(v->hi, strcmp(f[3], "-") ? f[3] : f[4]);
		assert_int_equal(v->hi_incl, strcmp(f[3], "-") == 0);
		assert_true(v->cvss == cvss);
		assert_string_equal(v->last_modified, f[7]);
		if (strcmp(f[8], "-") == 0)
			assert_null(v->arch);
		else
			assert_string_equal(v->arch, f[8]);
		if (strcmp(f[9], "nvd") == 0)
			assert_null(v->vendor);
		else
			assert_string_equal(v->vendor, f[9] + 8);
		assert_string_equal(v->summary, f[10]);
		assert_string_equal(v->url, f[11]);
		/* The severity goes with the score. */
		assert_string_equal(f[6], cvss >= 9.0 ? "CRITICAL" : "HIGH");
		for (i = 0; i < nids; i++)
			if (strcmp(ids[i], f[0]) == 0)
				break;
		if (i == nids && nids < SL_ARRAY_LEN(ids))
			snprintf(ids[nids++], sizeof(ids[0]), "%s", f[0]);
		row++;
	}
	fclose(fp);
	assert_int_equal(row, Sl_bundled_nvulns);
	assert_true(nids >= 150);
}

/* Is p "YYYY-MM-DDTHH:MM:SS.mmm", a real date from 1999 on? */
static bool
nvd_date(const char *p)
{
	static const int mdays[] = {31, 29, 31, 30, 31, 30,
	                            31, 31, 30, 31, 30, 31};
	int y, mo, d, h, mi, sec, ms, n = 0;

	if (p == NULL || strlen(p) != 23 ||
	    sscanf(p, "%4d-%2d-%2dT%2d:%2d:%2d.%3d%n", &y, &mo, &d, &h, &mi,
	           &sec, &ms, &n) != 7 ||
	    n != 23 || p[4] != '-' || p[7] != '-' || p[10] != 'T')
		return false;
	if (y < 1999 || mo < 1 || mo > 12 || d < 1 || d > mdays[mo - 1] ||
	    (mo == 2 && d == 29 && !(y % 4 == 0 && (y % 100 || y % 400 == 0))))
		return false;
	return h < 24 && mi < 60 && sec < 60 && ms >= 0;
}

/* A version as the data writes one: a digit, then [0-9A-Za-z._-]. */
static bool
version_ok(const char *v)
{
	if (v == NULL || *v < '0' || *v > '9')
		return false;
	for (; *v != 0; v++)
		if (!((*v >= '0' && *v <= '9') || (*v >= 'a' && *v <= 'z') ||
		      (*v >= 'A' && *v <= 'Z') || *v == '.' || *v == '-' ||
		      *v == '_'))
			return false;
	return true;
}

/*
 * Every bundled row on its own: a CVE id; a component the matcher knows
 * (it has a CPE for it, and the package name maps to it); a well-formed
 * range whose start is below its end, branches of one CVE and component
 * not overlapping; a score of 7.0 to 10.0; lastModified a real date; the
 * NVD page; arch tokens the matcher knows; a reason for every departure
 * from the NVD.
 */
/*
 * Add a firmware component and report the finding it carries, as
 * fw.components does (src/check/firmware/components.c).
 */
static const struct sl_component *
fw_add(struct sl_scan *s, const char *name, const char *ver, const char *path)
{
	const struct sl_component *c =
	    Sl_component_add(s, name, ver, SL_SRC_FIRMWARE, path, NULL, 0);
	struct Sl_comp_finding cf;
	struct sl_finding f = {0};

	if (c == NULL || !Sl_component_finding(s, c, &cf))
		return c;
	f.id = cf.kind == SL_COMP_VULNERABLE ? "FW-VULNERABLE-COMPONENT"
	                                     : "FW-COMPONENT-NOT-JUDGED";
	f.title = cf.title;
	f.severity = cf.sev;
	f.requirements[0] = "S1.1-13";
	f.evidence.excerpt = cf.excerpt;
	f.evidence.path = c->where.path;
	f.remediation = cf.fix;
	assert_int_equal(sl_finding_add(s, &f, NULL), SL_OK);
	return c;
}

static void
data_rows_valid(void **state)
{
	struct sl_scan *s = sl_scan_new(NULL);
	char url[128];
	size_t i, j;

	(void)state;
	assert_true(Sl_bundled_nvulns > 0);
	for (i = 0; i < Sl_bundled_nvulns; i++) {
		const struct Sl_vuln *v = &Sl_bundled_vulns[i];
		const struct sl_component *c;
		const char *p;
		char year[5];
		int n = 0;

		/* CVE-YYYY-NNNN..., a year the CVE program has. */
		if (sscanf(v->id, "CVE-%4[0-9]-%*[0-9]%n", year, &n) != 1 ||
		    (size_t)n != strlen(v->id) || strlen(v->id) < 13 ||
		    atoi(year) < 1999 || atoi(year) > 2030)
			fail_msg("row %zu: bad id %s", i, v->id);
		/* The matcher knows the component. */
		c = fw_add(s, v->component, "0.0.1", "x");
		assert_non_null(c);
		if (c->cpe == NULL)
			fail_msg("%s: component %s has no CPE", v->id,
			         v->component);
		p = Sl_vuln_pkg_name(s, v->component);
		if (p == NULL || strcmp(p, v->component) != 0)
			fail_msg("%s: package %s is not matched as itself",
			         v->id, v->component);
		/* A range: an end, a start below it (or none). */
		if (!version_ok(v->hi) || (v->lo != NULL && !version_ok(v->lo)))
			fail_msg("%s: bad versions", v->id);
		assert_false(v->lo_excl);
		if (v->lo != NULL &&
		    Sl_version_cmp(v->lo, v->hi) > (v->hi_incl ? 0 : -1))
			fail_msg("%s: %s is not below %s", v->id, v->lo, v->hi);
		/* Branches of one CVE do not overlap. */
		for (j = 0; j < i; j++) {
			const struct Sl_vuln *w = &Sl_bundled_vulns[j];

			if (strcmp(w->id, v->id) != 0 ||
			    strcmp(w->component, v->component) != 0)
				continue;
			if (v->lo == NULL
			        ? w->lo == NULL || Sl_vuln_affects(v, w->lo)
			    : w->lo == NULL ? Sl_vuln_affects(w, v->lo)
			                    : Sl_vuln_affects(w, v->lo) ||
			                          Sl_vuln_affects(v, w->lo))
				fail_msg("%s: branches overlap", v->id);
		}
		if (!(v->cvss >= 7.0 && v->cvss <= 10.0))
			fail_msg("%s: score %.1f", v->id, v->cvss);
		if (!nvd_date(v->last_modified))
			fail_msg("%s: lastModified %s", v->id,
			         v->last_modified ? v->last_modified : "-");
		snprintf(url, sizeof(url),
		         "https://nvd.nist.gov/vuln/detail/%s", v->id);
		assert_string_equal(v->url, url);
		assert_string_equal(v->source, "NVD");
		assert_non_null(v->summary);
		assert_true(strlen(v->summary) > 20);
		if (v->vendor != NULL)
			assert_true(strlen(v->vendor) > 20);
		if (v->arch != NULL) {
			/* Each token rules out something, none is unknown. */
			struct Sl_arch none = {"", 0}, x86 = {"x86", 32},
			               x64 = {"x86_64", 64},
			               ppc64 = {"ppc64", 64};

			assert_true(Sl_vuln_arch_ok(v->arch, &none));
			assert_true(!Sl_vuln_arch_ok(v->arch, &x86) ||
			            !Sl_vuln_arch_ok(v->arch, &x64) ||
			            !Sl_vuln_arch_ok(v->arch, &ppc64));
		}
	}
	sl_scan_free(s);
}

static bool has_cve(const struct sl_component *c, const char *id);

/*
 * Architecture-limited rows: musl CVE-2019-14697 is in the i386 code
 * only, glibc CVE-2018-11236 on 32-bit machines, CVE-2020-1751 on
 * PowerPC.  Not reported for an image of another architecture; reported
 * when the architecture is that one or not known.
 */
static void
match_arch(void **state)
{
	struct sl_scan *s = sl_scan_new(NULL);
	const struct sl_component *c;
	struct Sl_arch mips = Sl_arch_pkg("mipsel_24kc"),
	               i386 = Sl_arch_pkg("i386_pentium4"),
	               x64 = Sl_arch_pkg("x86_64"),
	               ppc = Sl_arch_pkg("powerpc");
	static const uint8_t elf_mips[20] = {0x7f, 'E', 'L',      'F',     1,
	                                     2,    1,   [17] = 2, [19] = 8};
	static const uint8_t elf_x64[20] = {0x7f, 'E', 'L',      'F',      2,
	                                    1,    1,   [16] = 3, [18] = 62};
	static const uint8_t elf_386[20] = {0x7f, 'E', 'L',      'F',     1,
	                                    1,    1,   [16] = 3, [18] = 3};
	struct Sl_arch a;

	(void)state;
	assert_string_equal(mips.machine, "mips");
	assert_int_equal(mips.bits, 32);
	assert_string_equal(i386.machine, "x86");
	assert_string_equal(x64.machine, "x86_64");
	assert_string_equal(Sl_arch_pkg("amd64").machine, "x86_64");
	assert_string_equal(Sl_arch_pkg("arm_cortex-a7_neon-vfpv4").machine,
	                    "arm");
	assert_string_equal(Sl_arch_pkg("aarch64_generic").machine, "aarch64");
	assert_string_equal(Sl_arch_pkg("mips64el").machine, "mips64");
	assert_string_equal(Sl_arch_pkg("all").machine, "");
	assert_string_equal(Sl_arch_pkg(NULL).machine, "");
	a = Sl_arch_elf(elf_mips, sizeof(elf_mips));
	assert_string_equal(a.machine, "mips");
	assert_int_equal(a.bits, 32);
	a = Sl_arch_elf(elf_x64, sizeof(elf_x64));
	assert_string_equal(a.machine, "x86_64");
	assert_int_equal(a.bits, 64);
	a = Sl_arch_elf(elf_386, sizeof(elf_386));
	assert_string_equal(a.machine, "x86");
	a = Sl_arch_elf((const uint8_t *)"#!/bin/sh\n echo hello there\n", 28);
	assert_int_equal(a.bits, 0);

	/* musl 1.1.20: x86 yes; mips and x86_64 no; unknown yes. */
	c = Sl_component_add_arch(s, "musl", "1.1.20", NULL, &i386, "a");
	assert_true(has_cve(c, "CVE-2019-14697"));
	c = Sl_component_add_arch(s, "musl", "1.1.20", NULL, &mips, "b");
	assert_false(has_cve(c, "CVE-2019-14697"));
	c = Sl_component_add_arch(s, "musl", "1.1.20", NULL, &x64, "c");
	assert_false(has_cve(c, "CVE-2019-14697"));
	c = fw_add(s, "musl", "1.1.20", "d");
	assert_true(has_cve(c, "CVE-2019-14697"));
	/* The look-alike: a fixed musl on x86 stays quiet. */
	c = Sl_component_add_arch(s, "musl", "1.1.24", NULL, &i386, "e");
	assert_false(has_cve(c, "CVE-2019-14697"));
	/* glibc 2.26: 32-bit only, x86_64 only, PowerPC only. */
	c = Sl_component_add_arch(s, "glibc", "2.26", NULL, &mips, "f");
	assert_true(has_cve(c, "CVE-2018-11236"));
	assert_false(has_cve(c, "CVE-2018-11237"));
	assert_false(has_cve(c, "CVE-2020-1751"));
	c = Sl_component_add_arch(s, "glibc", "2.26", NULL, &x64, "g");
	assert_false(has_cve(c, "CVE-2018-11236"));
	assert_true(has_cve(c, "CVE-2018-11237"));
	c = Sl_component_add_arch(s, "glibc", "2.26", NULL, &ppc, "h");
	assert_true(has_cve(c, "CVE-2020-1751"));
	assert_true(has_cve(c, "CVE-2018-11236"));
	sl_scan_free(s);
}

/* ---- Matching -------------------------------------------------------- */

static bool
has_cve(const struct sl_component *c, const char *id)
{
	size_t i;

	for (i = 0; c->cves[i] != NULL; i++)
		if (strcmp(c->cves[i], id) == 0)
			return true;
	return false;
}

static size_t
count_findings(struct sl_scan *s, const char *id)
{
	size_t i, n = 0;

	for (i = 0; i < sl_finding_count(s); i++)
		if (strcmp(sl_finding_get(s, i)->id, id) == 0)
			n++;
	return n;
}

static void
match_busybox(void **state)
{
	struct sl_scan *s = sl_scan_new(NULL);
	const struct sl_component *c, *d;
	const struct sl_finding *f;

	(void)state;
	c = fw_add(s, "BusyBox", "1.31.1", "fw.img:squashfs!/bin/busybox");
	assert_non_null(c);
	assert_string_equal(c->name, "busybox");
	assert_string_equal(c->purl, "pkg:generic/busybox@1.31.1");
	assert_string_equal(c->cpe,
	                    "cpe:2.3:a:busybox:busybox:1.31.1:*:*:*:*:*:*:*");
	assert_true(has_cve(c, "CVE-2022-28391"));
	assert_true(has_cve(c, "CVE-2022-48174"));
	assert_true(has_cve(c, "CVE-2021-42386"));
	assert_false(has_cve(c, "CVE-2016-2148")); /* fixed in 1.25.0 */
	/* Highest score first, then by id (NVD: 48174 9.8, 28391 8.8). */
	assert_string_equal(c->cves[0], "CVE-2022-48174");
	assert_string_equal(c->cves[1], "CVE-2022-28391");
	assert_int_equal(sl_finding_count(s), 1);
	f = sl_finding_get(s, 0);
	assert_string_equal(f->id, "FW-VULNERABLE-COMPONENT");
	assert_string_equal(f->requirements[0], "S1.1-13");
	assert_null(f->requirements[1]);
	assert_int_equal(f->severity, SL_SEV_CRITICAL);
	assert_string_equal(f->evidence.path, "fw.img:squashfs!/bin/busybox");
	assert_ptr_equal(strstr(f->evidence.excerpt,
	                        "busybox 1.31.1: CVE-2022-48174 (9.8), "
	                        "CVE-2022-28391 (8.8), "),
	                 f->evidence.excerpt);
	assert_non_null(strstr(f->evidence.excerpt, "more)"));
	/* Past the last affected release of the matches. */
	assert_non_null(strstr(f->remediation, "a release later than 1.36.1"));
	/* The same again: the same component, no second finding. */
	d = fw_add(s, "busybox", "1.31.1", "fw.img:squashfs!/bin/busybox");
	assert_ptr_equal(c, d);
	assert_int_equal(sl_component_count(s), 1);
	/* Another file with the same release: listed, not reported twice. */
	d = fw_add(s, "busybox", "1.31.1", "fw.img:squashfs!/rescue/busybox");
	assert_ptr_not_equal(c, d);
	assert_int_equal(sl_component_count(s), 2);
	assert_int_equal(count_findings(s, "FW-VULNERABLE-COMPONENT"), 1);
	/* A current release: listed, nothing matches (NVD gives 1.36.1 as
	 * the last affected by CVE-2022-48174). */
	c = fw_add(s, "busybox", "1.37.0", "fw.img:squashfs!/bin/busybox");
	assert_non_null(c);
	assert_null(c->cves[0]);
	assert_int_equal(sl_finding_count(s), 1);
	assert_ptr_equal(sl_component_get(s, 2), c);
	assert_null(sl_component_get(s, 3));
	sl_scan_free(s);
}

/* The version of a component has the CVE? */
static bool
ver_has(struct sl_scan *s, const char *name, const char *ver, const char *id)
{
	return has_cve(Sl_component_add_built(s, name, ver, NULL, NULL,
	                                      "sae,eap-pwd,p2p", "v"),
	               id);
}

/* The bundled row of a CVE (its first line). */
static const struct Sl_vuln *
row_of(const char *id)
{
	size_t i;

	for (i = 0; i < Sl_bundled_nvulns; i++)
		if (strcmp(Sl_bundled_vulns[i].id, id) == 0)
			return &Sl_bundled_vulns[i];
	return NULL;
}

/*
 * The errors issue 11 found in a sample of the data, and some found in
 * checking every row against the NVD: each planted version is reported,
 * its look-alike (the first release outside the NVD's range) is not.
 */
static void
data_nvd_ranges(void **state)
{
	struct sl_scan *s = sl_scan_new(NULL);
	const struct Sl_vuln *v;

	(void)state;
	/* Ranges that started at 0 where the NVD starts later. */
	assert_true(ver_has(s, "openssl", "1.0.2k", "CVE-2022-0778"));
	assert_false(ver_has(s, "openssl", "1.0.1u", "CVE-2022-0778"));
	assert_false(ver_has(s, "openssl", "0.9.8zh", "CVE-2016-2105"));
	assert_true(ver_has(s, "openssl", "1.0.1f", "CVE-2016-2105"));
	assert_true(ver_has(s, "zlib", "1.2.8", "CVE-2016-9842"));
	assert_false(ver_has(s, "zlib", "1.2.3", "CVE-2016-9842"));
	assert_true(ver_has(s, "busybox", "1.21.0", "CVE-2021-42381"));
	assert_false(ver_has(s, "busybox", "1.20.2", "CVE-2021-42381"));
	/* Missed ranges: kernels before 2.6.29, uClibc-ng before 1.0.16. */
	assert_true(ver_has(s, "linux", "2.6.22", "CVE-2019-11478"));
	assert_false(ver_has(s, "linux", "2.6.22", "CVE-2019-11477"));
	assert_true(ver_has(s, "uclibc", "1.0.15", "CVE-2016-6264"));
	assert_false(ver_has(s, "uclibc", "1.0.16", "CVE-2016-6264"));
	/* A branch fix: 3.16.69 carries the SACK fix. */
	assert_true(ver_has(s, "linux", "3.16.68", "CVE-2019-11477"));
	assert_false(ver_has(s, "linux", "3.16.69", "CVE-2019-11477"));
	/* A fix the row put a release late (curl 7.83.1 fixed 27782). */
	assert_true(ver_has(s, "curl", "7.83.0", "CVE-2022-27782"));
	assert_false(ver_has(s, "curl", "7.83.1", "CVE-2022-27782"));
	/* sudo 1.8.26 fixed the pwfeedback overflow (NVD; 1.8.31 before). */
	assert_true(ver_has(s, "sudo", "1.8.25p1", "CVE-2019-18634"));
	assert_false(ver_has(s, "sudo", "1.8.26", "CVE-2019-18634"));
	/* Mosquitto numbers the release 1.5; the NVD writes 1.5.0. */
	assert_true(ver_has(s, "mosquitto", "1.5", "CVE-2018-12543"));
	assert_false(ver_has(s, "mosquitto", "1.4.15", "CVE-2018-12543"));
	/* hostapd rows the data had only for wpa_supplicant, and back. */
	assert_true(ver_has(s, "wpa_supplicant", "2.7", "CVE-2019-9496"));
	assert_true(ver_has(s, "hostapd", "2.7", "CVE-2019-9499"));
	assert_false(ver_has(s, "hostapd", "2.8", "CVE-2019-9499"));
	/* xz: the backdoored releases only. */
	assert_true(ver_has(s, "xz", "5.6.0", "CVE-2024-3094"));
	assert_true(ver_has(s, "xz", "5.6.1", "CVE-2024-3094"));
	assert_false(ver_has(s, "xz", "5.4.6", "CVE-2024-3094"));
	assert_false(ver_has(s, "xz", "5.6.2", "CVE-2024-3094"));
	/* Scores the NVD gives now; the description of the right CVE. */
	v = row_of("CVE-2022-1292");
	assert_non_null(v);
	assert_float_equal(v->cvss, 7.3, 0.001);
	v = row_of("CVE-2022-2068");
	assert_non_null(v);
	assert_float_equal(v->cvss, 7.3, 0.001);
	v = row_of("CVE-2023-23914");
	assert_non_null(v);
	assert_non_null(strstr(v->summary, "HSTS"));
	/* Rows the NVD has not scored are not kept. */
	assert_null(row_of("CVE-2024-5535"));
	assert_null(row_of("CVE-2024-45491"));
	sl_scan_free(s);
}

static void
match_branches(void **state)
{
	struct sl_scan *s = sl_scan_new(NULL);
	const struct sl_component *c;

	(void)state;
	/* OpenSSL: per-branch fixes. */
	c = fw_add(s, "openssl", "1.1.1k", "a");
	assert_true(has_cve(c, "CVE-2021-3711"));
	assert_true(has_cve(c, "CVE-2022-0778"));
	assert_false(has_cve(c, "CVE-2021-3450")); /* fixed in 1.1.1k */
	assert_false(has_cve(c, "CVE-2022-3602")); /* 3.0 only */
	assert_false(has_cve(c, "CVE-2014-0160"));
	c = fw_add(s, "openssl", "1.0.1f", "a");
	assert_true(has_cve(c, "CVE-2014-0160"));
	c = fw_add(s, "openssl", "1.0.2zd", "a");
	assert_false(has_cve(c, "CVE-2022-0778"));
	assert_true(has_cve(c, "CVE-2022-1292"));
	c = fw_add(s, "openssl", "3.0.15", "a");
	assert_null(c->cves[0]);
	/* The kernel: stable branches. */
	c = fw_add(s, "linux", "4.14.90", "k");
	assert_string_equal(c->cpe, "cpe:2.3:o:linux:linux_kernel:4.14.90:*:"
	                            "*:*:*:*:*:*");
	assert_true(has_cve(c, "CVE-2019-11477"));
	assert_false(has_cve(c, "CVE-2016-5195"));
	assert_false(has_cve(c, "CVE-2022-0847"));
	c = fw_add(s, "linux", "4.14.200", "k");
	assert_false(has_cve(c, "CVE-2019-11477"));
	c = fw_add(s, "linux", "4.4.25", "k");
	assert_true(has_cve(c, "CVE-2016-5195"));
	/* OpenSSH: "p" releases; the CPE splits off the update. */
	c = fw_add(s, "openssh", "9.3p1", "o");
	assert_string_equal(c->cpe,
	                    "cpe:2.3:a:openbsd:openssh:9.3:p1:*:*:*:*:*:*");
	assert_true(has_cve(c, "CVE-2023-38408"));
	assert_true(has_cve(c, "CVE-2024-6387"));
	c = fw_add(s, "openssh", "9.8p1", "o");
	assert_null(c->cves[0]);
	/* uClibc and uClibc-ng: one lineage, two CPEs. */
	c = fw_add(s, "uclibc", "0.9.33.2", "u");
	assert_true(has_cve(c, "CVE-2017-9728"));
	assert_true(has_cve(c, "CVE-2021-43523"));
	assert_non_null(strstr(c->cpe, ":uclibc:uclibc:0.9.33.2:"));
	c = fw_add(s, "uclibc", "1.0.31", "u");
	assert_false(has_cve(c, "CVE-2017-9728"));
	assert_true(has_cve(c, "CVE-2021-43523"));
	assert_non_null(strstr(c->cpe, ":uclibc-ng_project:uclibc-ng:"));
	/* Dropbear's year.release numbers. */
	c = fw_add(s, "dropbear", "2019.78", "d");
	assert_true(has_cve(c, "CVE-2020-36254"));
	assert_true(has_cve(c, "CVE-2021-36369"));
	assert_false(has_cve(c, "CVE-2016-7406"));
	/* Unknown components: listed with a generic purl, no CPE. */
	c = fw_add(s, "frobnicator", "1.0", "f");
	assert_null(c->cpe);
	assert_string_equal(c->purl, "pkg:generic/frobnicator@1.0");
	/* Garbage in: no crash, nothing matched. */
	assert_null(fw_add(s, "", "1", "x"));
	assert_null(Sl_component_add(s, "busybox", "1", 7, "x", NULL, 0));
	c = fw_add(s, "busybox", "v", "x");
	assert_null(c->cves[0]);
	sl_scan_free(s);
}

static void
match_network(void **state)
{
	struct sl_scan *s = sl_scan_new(NULL);
	const struct sl_component *c;
	const struct sl_finding *f;

	(void)state;
	c = Sl_component_add(s, "dnsmasq", "2.80", SL_SRC_NETWORK, "ignored",
	                     "192.0.2.1", 53);
	assert_non_null(c);
	assert_null(c->where.path);
	assert_string_equal(c->where.host, "192.0.2.1");
	assert_int_equal(c->where.port, 53);
	assert_true(has_cve(c, "CVE-2020-25681"));
	/* Matched here, reported by the check net.ports (findings as data). */
	assert_int_equal(sl_finding_count(s), 0);
	assert_int_equal(Sl_check_net_ports.run(s), SL_OK);
	assert_int_equal(sl_finding_count(s), 1);
	f = sl_finding_get(s, 0);
	assert_string_equal(f->id, "NET-VULNERABLE-SERVICE");
	assert_string_equal(f->evidence.host, "192.0.2.1");
	assert_int_equal(f->evidence.port, 53);
	assert_int_equal(f->severity, SL_SEV_HIGH);
	assert_non_null(strstr(f->remediation, "2.90 or later"));
	/* Another port of the same host: a second service, a second finding. */
	(void)Sl_component_add(s, "dnsmasq", "2.80", SL_SRC_NETWORK, NULL,
	                       "192.0.2.1", 5353);
	assert_int_equal(Sl_check_net_ports.run(s), SL_OK);
	assert_int_equal(count_findings(s, "NET-VULNERABLE-SERVICE"), 2);
	sl_scan_free(s);
}

static void
match_packages(void **state)
{
	struct sl_scan *s = sl_scan_new(NULL);
	const struct sl_component *c;
	char *purl;

	(void)state;
	assert_string_equal(Sl_vuln_pkg_name(s, "dnsmasq-full"), "dnsmasq");
	assert_string_equal(Sl_vuln_pkg_name(s, "libopenssl1.1"), "openssl");
	assert_string_equal(Sl_vuln_pkg_name(s, "libc6"), "glibc");
	assert_string_equal(Sl_vuln_pkg_name(s, "kernel"), "linux");
	assert_string_equal(Sl_vuln_pkg_name(s, "Zzz-Thing"), "zzz-thing");
	assert_string_equal(Sl_vuln_cpe_name(s, "thekelleys", "dnsmasq"),
	                    "dnsmasq");
	assert_string_equal(Sl_vuln_cpe_name(s, "haxx", "libcurl"), "curl");
	assert_string_equal(Sl_vuln_cpe_name(s, "acme", "Widget"), "widget");
	purl = Sl_purl(s, "deb", "debian", "libc6", "2.31-13+deb11u5", "armhf");
	assert_string_equal(
	    purl, "pkg:deb/debian/libc6@2.31-13%2Bdeb11u5?arch=armhf");
	purl = Sl_purl(s, "opkg", NULL, "dnsmasq-full", "2.80-1.4", NULL);
	assert_string_equal(purl, "pkg:opkg/dnsmasq-full@2.80-1.4");
	c = Sl_component_add_purl(s, "dnsmasq", "2.80-1.4", purl,
	                          SL_SRC_FIRMWARE, "fw!/usr/lib/opkg/status");
	assert_string_equal(c->version, "2.80-1.4");
	assert_string_equal(c->purl, purl);
	assert_string_equal(c->cpe,
	                    "cpe:2.3:a:thekelleys:dnsmasq:2.80:*:*:*:*:*:*:*");
	assert_true(has_cve(c, "CVE-2020-25681"));
	/* An epoch and a Debian revision are not part of the match. */
	c = Sl_component_add_purl(s, "openssh", "1:7.9p1-10+deb10u2",
	                          "pkg:deb/debian/openssh-server",
	                          SL_SRC_FIRMWARE, "fw!/var/lib/dpkg/status");
	assert_true(has_cve(c, "CVE-2021-41617"));
	sl_scan_free(s);
}

/* ---- --vuln-db --------------------------------------------------------- */

static const char nvd_doc[] =
    "{\"resultsPerPage\":1,\"format\":\"NVD_CVE\",\"version\":\"2.0\","
    "\"vulnerabilities\":[{\"cve\":{\"id\":\"CVE-2099-0001\","
    "\"descriptions\":[{\"lang\":\"en\",\"value\":\"Widget\\nbug\"}],"
    "\"metrics\":{\"cvssMetricV31\":[{\"source\":\"x\",\"type\":"
    "\"Secondary\",\"cvssData\":{\"baseScore\":5.0}},{\"source\":\"nvd\","
    "\"type\":\"Primary\",\"cvssData\":{\"baseScore\":9.1}}]},"
    "\"configurations\":[{\"nodes\":[{\"operator\":\"OR\",\"cpeMatch\":["
    "{\"vulnerable\":true,\"criteria\":"
    "\"cpe:2.3:a:acme:widget:*:*:*:*:*:*:*:*\","
    "\"versionStartIncluding\":\"2.0\",\"versionEndExcluding\":\"2.4.1\"},"
    "{\"vulnerable\":true,\"criteria\":"
    "\"cpe:2.3:a:acme:widget:1.9:beta:*:*:*:*:*:*\"},"
    "{\"vulnerable\":false,\"criteria\":"
    "\"cpe:2.3:h:acme:board:-:*:*:*:*:*:*:*\"}]}]}]}},"
    "{\"cve\":{\"id\":\"CVE-2099-0002\",\"configurations\":[{\"nodes\":[{"
    "\"cpeMatch\":[{\"vulnerable\":true,\"criteria\":"
    "\"cpe:2.3:a:thekelleys:dnsmasq:*:*:*:*:*:*:*:*\","
    "\"versionEndIncluding\":\"2.91\"}]}]}]}}]}";

static const char osv_doc[] =
    "{\"id\":\"OSV-2099-7\",\"aliases\":[\"GHSA-x\",\"CVE-2099-0003\"],"
    "\"summary\":\"gadget overflow\",\"severity\":[{\"type\":\"CVSS_V3\","
    "\"score\":\"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H\"}],"
    "\"affected\":[{\"package\":{\"ecosystem\":\"Generic\",\"name\":"
    "\"Gadget\"},\"ranges\":[{\"type\":\"ECOSYSTEM\",\"events\":["
    "{\"introduced\":\"0\"},{\"fixed\":\"1.5\"},{\"introduced\":\"2.0\"},"
    "{\"last_affected\":\"2.2\"}]},{\"type\":\"GIT\",\"events\":["
    "{\"introduced\":\"abc\"}]}],\"versions\":[\"3.0\"]}]}";

static void
db_parse(void **state)
{
	struct sl_scan *s = sl_scan_new(NULL);
	struct Sl_vulndb db = {0};
	char why[256];
	size_t i;

	(void)state;
	assert_int_equal(
	    Sl_vulndb_parse(s, &db, nvd_doc, strlen(nvd_doc), why, sizeof(why)),
	    SL_OK);
	assert_int_equal(db.n, 3);
	assert_string_equal(db.v[0].id, "CVE-2099-0001");
	assert_string_equal(db.v[0].component, "widget");
	assert_string_equal(db.v[0].lo, "2.0");
	assert_string_equal(db.v[0].hi, "2.4.1");
	assert_false(db.v[0].hi_incl);
	assert_true(db.v[0].cvss == 9.1); /* the Primary metric */
	assert_string_equal(db.v[0].summary, "Widget bug");
	assert_string_equal(db.v[0].source, "NVD");
	assert_string_equal(db.v[1].lo, "1.9beta");
	assert_string_equal(db.v[1].hi, "1.9beta");
	assert_string_equal(db.v[2].component, "dnsmasq");
	assert_true(db.v[2].hi_incl);
	assert_true(db.v[2].cvss == 0);

	assert_int_equal(
	    Sl_vulndb_parse(s, &db, osv_doc, strlen(osv_doc), why, sizeof(why)),
	    SL_OK);
	assert_int_equal(db.n, 6);
	for (i = 3; i < 6; i++) {
		assert_string_equal(db.v[i].id, "CVE-2099-0003");
		assert_string_equal(db.v[i].component, "gadget");
		assert_true(db.v[i].cvss == 9.8);
		assert_string_equal(db.v[i].source, "OSV");
		assert_string_equal(db.v[i].url,
		                    "https://osv.dev/vulnerability/OSV-2099-7");
	}
	assert_null(db.v[3].lo);
	assert_string_equal(db.v[3].hi, "1.5");
	assert_string_equal(db.v[4].lo, "2.0");
	assert_string_equal(db.v[4].hi, "2.2");
	assert_true(db.v[4].hi_incl);
	assert_string_equal(db.v[5].lo, "3.0");

	/* Broken input: a reason, never a crash. */
	assert_int_equal(
	    Sl_vulndb_parse(s, &db, "{\"vulner", 8, why, sizeof(why)),
	    SL_E_MALFORMED);
	assert_non_null(strstr(why, "not JSON"));
	assert_int_equal(
	    Sl_vulndb_parse(s, &db, "{\"a\":1}", 7, why, sizeof(why)),
	    SL_E_MALFORMED);
	assert_non_null(strstr(why, "neither"));
	assert_int_equal(
	    Sl_vulndb_parse(s, &db, "{\"vulnerabilities\":[1,{\"cve\":{}}]}",
	                    34, why, sizeof(why)),
	    SL_E_MALFORMED);
	assert_non_null(strstr(why, "2 of 2 entries skipped"));
	assert_int_equal(db.n, 6);
	sl_scan_free(s);
}

/* OSV CVSS v3 vectors become base scores (CVSS v3.1 section 7). */
static void
db_cvss_vectors(void **state)
{
	static const struct {
		const char *vec;
		double want;
	} t[] = {
	    {"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", 9.8},
	    {"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H", 10.0},
	    {"CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H", 7.8},
	    {"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H", 7.5},
	    {"CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:H/A:H", 8.1},
	    {"CVSS:3.0/AV:N/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H", 8.8},
	    {"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:N", 0},
	    {"CVSS:3.1/AV:N/AC:L", 0},
	    {"CVSS:2.0/AV:N/AC:L/Au:N/C:P/I:P/A:P", 0},
	};
	struct sl_scan *s = sl_scan_new(NULL);
	char doc[512], why[256];
	size_t i;

	(void)state;
	for (i = 0; i < SL_ARRAY_LEN(t); i++) {
		struct Sl_vulndb db = {0};

		snprintf(doc, sizeof(doc),
		         "{\"id\":\"X-%zu\",\"severity\":[{\"type\":"
		         "\"CVSS_V3\",\"score\":\"%s\"}],\"affected\":[{"
		         "\"package\":{\"name\":\"p\"},\"versions\":[\"1\"]}]}",
		         i, t[i].vec);
		assert_int_equal(
		    Sl_vulndb_parse(s, &db, doc, strlen(doc), why, sizeof(why)),
		    SL_OK);
		assert_int_equal(db.n, 1);
		if (db.v[0].cvss < t[i].want - 0.001 ||
		    db.v[0].cvss > t[i].want + 0.001)
			fail_msg("%s: %.2f, want %.1f", t[i].vec, db.v[0].cvss,
			         t[i].want);
	}
	sl_scan_free(s);
}

static void
put(const char *dir, const char *name, const char *text)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void
db_dir(void **state)
{
	char dir[] = "/tmp/test_vuln.XXXXXX", path[4096];
	const struct Sl_vuln *const *hits;
	const struct sl_component *c;
	struct sl_scan *s;
	size_t i, n;
	bool bad = false;

	(void)state;
	assert_non_null(mkdtemp(dir));
	put(dir, "a-nvd.json", nvd_doc);
	put(dir, "b-osv.json", osv_doc);
	put(dir, "c-broken.json", "{\"vulnerabilities\": [");
	put(dir, "d-ignored.txt", "not json at all");
	s = sl_scan_new(NULL);
	assert_int_equal(sl_scan_set_vuln_db(s, dir), SL_OK);
	c = fw_add(s, "widget", "2.3", "w");
	assert_true(has_cve(c, "CVE-2099-0001"));
	hits = Sl_component_vulns(c, &n);
	assert_int_equal(n, 1);
	assert_string_equal(hits[0]->url,
	                    "https://nvd.nist.gov/vuln/detail/CVE-2099-0001");
	assert_int_equal(sl_finding_count(s), 1);
	assert_int_equal(sl_finding_get(s, 0)->severity, SL_SEV_CRITICAL);
	c = fw_add(s, "widget", "2.4.1", "w");
	assert_null(c->cves[0]);
	c = fw_add(s, "gadget", "2.2", "g");
	assert_true(has_cve(c, "CVE-2099-0003"));
	c = fw_add(s, "gadget", "1.7", "g");
	assert_null(c->cves[0]);
	/* The bundled data and the db together. */
	c = fw_add(s, "dnsmasq", "2.90", "d");
	assert_true(has_cve(c, "CVE-2099-0002"));
	assert_false(has_cve(c, "CVE-2020-25681"));
	/* Unscored: the finding is medium, not low. */
	assert_int_equal(sl_finding_get(s, sl_finding_count(s) - 1)->severity,
	                 SL_SEV_MEDIUM);
	snprintf(path, sizeof(path), "vuln-db %s/c-broken.json: not JSON", dir);
	for (i = 0; i < sl_scan_incomplete_count(s); i++) {
		if (strncmp(sl_scan_incomplete(s, i), path, strlen(path)) == 0)
			bad = true;
		assert_null(strstr(sl_scan_incomplete(s, i), "d-ignored"));
	}
	assert_true(bad);
	assert_int_equal(sl_scan_incomplete_count(s), 1);
	sl_scan_free(s);

	/* A directory that is not there: one reason, matching goes on. */
	s = sl_scan_new(NULL);
	assert_int_equal(sl_scan_set_vuln_db(s, "/nonexistent/vulndb"), SL_OK);
	Sl_vuln_db_touch(s);
	assert_int_equal(sl_scan_incomplete_count(s), 1);
	assert_non_null(strstr(sl_scan_incomplete(s, 0), "/nonexistent"));
	c = fw_add(s, "busybox", "1.31.1", "b");
	assert_true(has_cve(c, "CVE-2022-28391"));
	sl_scan_free(s);

	for (i = 0; i < 4; i++) {
		static const char *const names[] = {"a-nvd.json", "b-osv.json",
		                                    "c-broken.json",
		                                    "d-ignored.txt"};

		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		unlink(path);
	}
	rmdir(dir);
}

/* ---- Reports: the JSON components and the SBOM of a device scan ---- */

static void
reports(void **state)
{
	struct sl_scan *s = sl_scan_new(NULL);
	json_t *j, *c, *v;
	char *text;

	(void)state;
	assert_int_equal(sl_scan_set_device(s, "192.0.2.7"), SL_OK);
	(void)Sl_component_add(s, "openssh", "7.4p1", SL_SRC_NETWORK, NULL,
	                       "192.0.2.7", 22);
	(void)Sl_component_add(s, "dnsmasq", "2.90", SL_SRC_NETWORK, NULL,
	                       "192.0.2.7", 53);
	text = sl_report_string(s, SL_FMT_CYCLONEDX, 1700000000);
	assert_non_null(text);
	j = json_loads(text, 0, NULL);
	assert_non_null(j);
	free(text);
	assert_string_equal(
	    json_string_value(json_object_get(j, "specVersion")), "1.5");
	c = json_object_get(json_object_get(j, "metadata"), "component");
	assert_string_equal(json_string_value(json_object_get(c, "type")),
	                    "device");
	assert_string_equal(json_string_value(json_object_get(
	                        json_object_get(j, "metadata"), "timestamp")),
	                    "2023-11-14T22:13:20Z");
	/* Sorted by name: dnsmasq, then openssh. */
	c = json_array_get(json_object_get(j, "components"), 1);
	assert_string_equal(json_string_value(json_object_get(c, "name")),
	                    "openssh");
	assert_string_equal(json_string_value(json_object_get(c, "cpe")),
	                    "cpe:2.3:a:openbsd:openssh:7.4:p1:*:*:*:*:*:*");
	/* Where it was seen, as a CycloneDX 1.5 evidence occurrence. */
	assert_string_equal(
	    json_string_value(json_object_get(
	        json_array_get(json_object_get(json_object_get(c, "evidence"),
	                                       "occurrences"),
	                       0),
	        "location")),
	    "starlab://192.0.2.7:22/");
	v = json_array_get(json_object_get(c, "properties"), 2);
	assert_string_equal(json_string_value(json_object_get(v, "value")),
	                    "22");
	v = json_array_get(json_object_get(j, "vulnerabilities"), 0);
	assert_non_null(v);
	assert_string_equal(
	    json_string_value(json_object_get(
	        json_array_get(json_object_get(v, "affects"), 0), "ref")),
	    json_string_value(json_object_get(c, "bom-ref")));
	json_decref(j);

	text = sl_report_string(s, SL_FMT_JSON, 1700000000);
	assert_non_null(text);
	j = json_loads(text, 0, NULL);
	assert_non_null(j);
	free(text);
	c = json_array_get(json_object_get(j, "components"), 1);
	assert_string_equal(json_string_value(json_object_get(c, "source")),
	                    "network");
	v = json_object_get(c, "where");
	assert_string_equal(json_string_value(json_object_get(v, "host")),
	                    "192.0.2.7");
	assert_int_equal(json_integer_value(json_object_get(v, "port")), 22);
	assert_null(json_object_get(v, "path"));
	assert_true(json_array_size(json_object_get(c, "cves")) > 0);
	json_decref(j);
	sl_scan_free(s);
}

/* ---- fw.components over an in-memory tree ------------------------- */

/* Binary bytes with the strings inside, NUL-separated. */
static void
bin_add(struct img *m, const char *name, const char *const *strs)
{
	uint8_t buf[4096];
	size_t n = 0, l;

	memset(buf, 0xa5, 64);
	buf[10] = 0;
	n = 64;
	for (; *strs != NULL; strs++) {
		l = strlen(*strs);
		assert_true(n + l + 40 < sizeof(buf));
		buf[n++] = 0;
		memcpy(buf + n, *strs, l);
		n += l;
		buf[n++] = 0;
		memset(buf + n, 0x5a, 32);
		n += 32;
	}
	img_add(m, name, buf, n);
}

static const struct sl_component *
comp_named(struct sl_scan *s, const char *name, const char *version)
{
	size_t i;

	for (i = 0; i < sl_component_count(s); i++) {
		const struct sl_component *c = sl_component_get(s, i);

		if (strcmp(c->name, name) == 0 &&
		    strcmp(c->version, version) == 0)
			return c;
	}
	return NULL;
}

static void
mk_image(struct img *m)
{
	static const char *const bb[] = {"BusyBox v1.24.1 (2016-01-01 "
	                                 "00:00:00 UTC) multi-call binary.",
	                                 NULL};
	static const char *const musl[] = {"musl libc (mipsel)", "1.1.24",
	                                   NULL};
	static const char *const mosq[] = {"mosquitto version %s starting",
	                                   "1.6.9", "3.1", NULL};
	static const char *const sshd[] = {"OpenSSH_7.4p1 Debian-10", NULL};
	static const char *const other[] = {"OpenSSH_9.9p1", "dnsmasq-2.70",
	                                    "1.2.3", NULL};
	static const char *const kern[] = {"Linux version 5.10.100 (b@h) "
	                                   "(gcc 10) #1 SMP",
	                                   "Linux version 9.9.9 no paren",
	                                   NULL};
	static const char *const libs[] = {" deflate 1.2.11 Copyright 1995",
	                                   "expat_2.2.9", "libcurl/7.64.0",
	                                   "GNU C Library (GNU libc) stable "
	                                   "release version 2.28.",
	                                   NULL};

	bin_add(m, "bin/busybox", bb);
	bin_add(m, "lib/ld-musl-mipsel-sf.so.1", musl);
	bin_add(m, "usr/sbin/mosquitto", mosq);
	bin_add(m, "usr/sbin/sshd", sshd);
	bin_add(m, "usr/bin/other", other); /* OpenSSH only in ssh files */
	bin_add(m, "boot/vmlinux", kern);
	bin_add(m, "usr/lib/libmix.so", libs);
	img_adds(m, "usr/share/doc/NOTES",
	         "Needs OpenSSL 1.0.1f  6 Jan 2014 and BusyBox v1.2.0 (x).\n");
	img_adds(m, "sbin/dropbear-version", "dropbear_2017.75\n");
	img_adds(m, "var/lib/dpkg/status",
	         "Package: libc6\nStatus: install ok installed\n"
	         "Architecture: armhf\nVersion: 2.28-10\n\n"
	         "Package: old\nStatus: deinstall ok config-files\n"
	         "Version: 1.0\n\nPackage: bad name\nVersion: 1\n\n"
	         "Package: openssh-server\nVersion: 1:7.9p1-10+deb10u2\n");
	img_adds(m, "lib/apk/db/installed",
	         "C:Q1abc\nP:musl\nV:1.2.2-r7\nA:x86_64\n\n");
	img_add(m, "lib/libuClibc-0.9.33.2.so", "", 0);
	img_add(m, "lib/libc-2.19.so", "", 0);
}

static void
check_components(void **state)
{
	struct img m = {0};
	struct sl_scan *s;
	const struct sl_component *c;
	size_t i;

	(void)state;
	mk_image(&m);
	s = scan_of(&m);
	assert_int_equal(Sl_check_run(s, &Sl_check_components), SL_OK);
	assert_non_null(comp_named(s, "busybox", "1.24.1"));
	assert_non_null(comp_named(s, "musl", "1.1.24"));
	assert_non_null(comp_named(s, "mosquitto", "1.6.9"));
	assert_non_null(comp_named(s, "openssh", "7.4p1"));
	assert_null(comp_named(s, "openssh", "9.9p1"));
	assert_non_null(comp_named(s, "dnsmasq", "2.70"));
	assert_non_null(comp_named(s, "linux", "5.10.100"));
	assert_null(comp_named(s, "linux", "9.9.9"));
	assert_non_null(comp_named(s, "zlib", "1.2.11"));
	assert_non_null(comp_named(s, "expat", "2.2.9"));
	assert_non_null(comp_named(s, "curl", "7.64.0"));
	assert_non_null(comp_named(s, "glibc", "2.28"));
	assert_non_null(comp_named(s, "dropbear", "2017.75"));
	assert_null(comp_named(s, "openssl", "1.0.1f"));
	assert_null(comp_named(s, "busybox", "1.2.0"));
	c = comp_named(s, "glibc", "2.28-10");
	assert_non_null(c);
	assert_string_equal(c->purl, "pkg:deb/debian/libc6@2.28-10?arch=armhf");
	assert_null(comp_named(s, "old", "1.0"));
	c = comp_named(s, "openssh", "1:7.9p1-10+deb10u2");
	assert_non_null(c);
	assert_true(has_cve(c, "CVE-2021-41617"));
	c = comp_named(s, "musl", "1.2.2-r7");
	assert_non_null(c);
	assert_string_equal(c->purl,
	                    "pkg:apk/alpine/musl@1.2.2-r7?arch=x86_64");
	assert_non_null(comp_named(s, "uclibc", "0.9.33.2"));
	assert_non_null(comp_named(s, "glibc", "2.19"));
	/* One finding per vulnerable release, S1.1-13. */
	for (i = 0; i < sl_finding_count(s); i++) {
		const struct sl_finding *f = sl_finding_get(s, i);

		assert_string_equal(f->id, "FW-VULNERABLE-COMPONENT");
		assert_string_equal(f->requirements[0], "S1.1-13");
	}
	assert_int_equal(count(s, "FW-VULNERABLE-COMPONENT", "bin/busybox"), 1);
	/* glibc 2.28 is reported where it was first seen, in libmix.so. */
	assert_int_equal(
	    count(s, "FW-VULNERABLE-COMPONENT", "var/lib/dpkg/status"), 1);
	assert_non_null(
	    strstr(find(s, "FW-VULNERABLE-COMPONENT", "var/lib/dpkg/status")
	               ->evidence.excerpt,
	           "openssh 1:7.9p1-10+deb10u2: "));
	assert_int_equal(
	    count(s, "FW-VULNERABLE-COMPONENT", "usr/lib/libmix.so"),
	    4); /* glibc, zlib, expat, curl */
	sl_scan_free(s);
	free(m.p);
}

/*
 * Every arena allocation failing in turn, on a small tree (each run
 * compiles the patterns again, so the tree is kept to a few components).
 */
static void
check_torture(void **state)
{
	static const char *const bb[] = {"BusyBox v1.24.1 (2016-01-01 "
	                                 "00:00:00 UTC) multi-call binary.",
	                                 NULL};
	struct img m = {0};

	(void)state;
	bin_add(&m, "bin/busybox", bb);
	img_adds(&m, "usr/lib/opkg/status",
	         "Package: dnsmasq-full\nVersion: 2.80-1\n\n");
	img_add(&m, "lib/libuClibc-0.9.33.2.so", "", 0);
	img_torture(&m, &Sl_check_components);
	free(m.p);
}

/*
 * Optional features (src/vuln/features.c): a CVE of SAE, EAP-pwd or P2P
 * affects a build only when its binary carries the feature; a binary that
 * lacks it is not affected; a component whose features nobody could see
 * (a package database) is "not judged", an info finding, not affected.
 */
static void
features_gate(void **state)
{
	struct sl_scan *s = sl_scan_new(NULL);
	const struct sl_component *c;
	struct Sl_comp_finding cf;
	const struct Sl_feature *f;
	size_t i, k, nf;

	(void)state;
	/* Every gated row is in the data, and every feature has a mark. */
	f = Sl_features(&nf);
	for (i = 0; i < nf; i++)
		assert_true(f[i].mark != NULL && strlen(f[i].mark) >= 8);
	for (i = 0; i < Sl_bundled_nvulns; i++) {
		const struct Sl_vuln *v = &Sl_bundled_vulns[i];

		if (strcmp(v->component, "hostapd") != 0 &&
		    strcmp(v->component, "wpa_supplicant") != 0)
			continue;
		/* Each hostapd/wpa_supplicant row today is a feature's. */
		if (Sl_vuln_feature(v->id, v->component) == NULL)
			fail_msg("%s (%s): no feature", v->id, v->component);
	}
	for (k = 0; k < 2; k++)
		assert_non_null(Sl_vuln_feature(
		    "CVE-2022-23303", k ? "hostapd" : "wpa_supplicant"));
	assert_null(Sl_vuln_feature("CVE-2022-28391", "busybox"));
	assert_true(Sl_feature_has("sae,eap-pwd", "eap-pwd"));
	assert_false(Sl_feature_has("sae,eap-pwd", "eap"));
	assert_false(Sl_feature_has("", "sae"));

	/* A full build: SAE and P2P in the binary. */
	c = Sl_component_add_built(s, "wpa_supplicant", "2.9", NULL, NULL,
	                           "sae,p2p", "full/wpa_supplicant");
	assert_true(has_cve(c, "CVE-2022-23303"));
	assert_true(has_cve(c, "CVE-2021-27803"));
	assert_false(has_cve(c, "CVE-2022-23304")); /* no EAP-pwd */
	assert_true(Sl_component_finding(s, c, &cf));
	assert_int_equal(cf.kind, SL_COMP_VULNERABLE);
	assert_int_equal(cf.sev, SL_SEV_CRITICAL);
	assert_non_null(strstr(cf.excerpt, "not affected, feature not built "
	                                   "in: CVE-2022-23304 (eap-pwd)"));
	/* Taken once. */
	assert_false(Sl_component_finding(s, c, &cf));
	/* A mini build: none of them. */
	c = Sl_component_add_built(s, "hostapd", "2.6", NULL, NULL, "",
	                           "mini/hostapd");
	assert_null(c->cves[0]);
	assert_false(Sl_component_finding(s, c, &cf));
	/* Known from a package only: not judged, info. */
	c = Sl_component_add_purl(s, "hostapd", "2.5-1",
	                          "pkg:opkg/hostapd@2.5-1", SL_SRC_FIRMWARE,
	                          "usr/lib/opkg/status");
	assert_null(c->cves[0]);
	assert_true(Sl_component_finding(s, c, &cf));
	assert_int_equal(cf.kind, SL_COMP_NOT_JUDGED);
	assert_int_equal(cf.sev, SL_SEV_INFO);
	assert_non_null(strstr(cf.title, "not judged (feature presence "
	                                 "unknown)"));
	assert_non_null(strstr(cf.excerpt, "CVE-2022-23303 (sae)"));
	/* The same release as a binary that was read: settled there. */
	c = Sl_component_add_purl(s, "hostapd", "2.6-1",
	                          "pkg:opkg/hostapd@2.6-1", SL_SRC_FIRMWARE,
	                          "usr/lib/opkg/status");
	assert_false(Sl_component_finding(s, c, &cf));
	/* Not reported by the matcher itself: fw.components reports it. */
	assert_int_equal(sl_finding_count(s), 0);
	sl_scan_free(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(version_cmp),
	    cmocka_unit_test(version_upstream),
	    cmocka_unit_test(data_matches_tsv),
	    cmocka_unit_test(data_rows_valid),
	    cmocka_unit_test(match_arch),
	    cmocka_unit_test(match_busybox),
	    cmocka_unit_test(match_branches),
	    cmocka_unit_test(match_network),
	    cmocka_unit_test(match_packages),
	    cmocka_unit_test(db_parse),
	    cmocka_unit_test(db_cvss_vectors),
	    cmocka_unit_test(db_dir),
	    cmocka_unit_test(reports),
	    cmocka_unit_test(data_nvd_ranges),
	    cmocka_unit_test(features_gate),
	    cmocka_unit_test(check_components),
	    cmocka_unit_test(check_torture),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
