/*
 * vulndb.h - the vulnerability data behind src/vuln/vuln.h: one record per
 * affected version range, the bundled set compiled from data/vulns/, the
 * parser of the NVD JSON 2.0 and OSV files of --vuln-db, and what the
 * SBOM writer needs to know about a component's matches.  Internal to
 * src/vuln/, the fw.components check and the report writers.
 */
#ifndef SL_VULNDB_H
#define SL_VULNDB_H

#include "vuln.h"

/* Bounds on a --vuln-db directory (it is the user's, but may be huge). */
#define SL_VDB_MAX_FILES   1024           /* *.json files read */
#define SL_VDB_MAX_FILE    (128ULL << 20) /* bytes of one file */
#define SL_VDB_MAX_RANGES  2000000        /* ranges kept over all files */
#define SL_VDB_MAX_STR     256            /* bytes of one id, name, version */
#define SL_VDB_MAX_SUMMARY 240            /* bytes of a summary kept */

/*
 * One affected version range of one vulnerability: versions v with
 * lo <= v (lo < v when lo_excl) and v < hi (v <= hi when hi_incl) of the
 * component are affected.  lo NULL: from the first version; hi NULL: every
 * later version.
 */
struct Sl_vuln {
	const char *id;        /* "CVE-2022-28391" */
	const char *component; /* normalised name, "busybox" */
	const char *lo;
	bool lo_excl;
	const char *hi;
	bool hi_incl;
	double cvss;         /* CVSS v3 base score, 0 when unknown */
	const char *summary; /* one line, or NULL */
	const char *url;     /* where it is described, or NULL */
	const char *source;  /* "NVD", "OSV", "starlab" (bundled, from NVD) */
	/* Bundled rows only (NULL from --vuln-db): */
	const char *last_modified; /* the NVD record's, "2024-11-21T..." */
	/*
	 * The architectures the vulnerability is limited to ("x86",
	 * "ppc,ppc64", "32bit"; tokens of Sl_vuln_arch_ok), NULL for all.
	 */
	const char *arch;
	/* Why the row departs from the NVD's CPE ranges, or NULL. */
	const char *vendor;
};

/* The bundled set (generated from data/vulns/cves.tsv). */
extern const struct Sl_vuln Sl_bundled_vulns[];
extern const size_t Sl_bundled_nvulns;

/* The ranges loaded from one --vuln-db directory, sorted by component. */
struct Sl_vulndb {
	struct Sl_vuln *v; /* in the scan's arena */
	size_t n, cap;
	bool full; /* SL_VDB_MAX_RANGES reached */
};

/*
 * Parse one NVD JSON 2.0 document (a CVE API response, or a feed with the
 * same "vulnerabilities" array) or one OSV document (one object, or an
 * array of them, or {"vulns": [...]}) held in text[0..len), appending its
 * ranges to db (strings in the scan's arena).  UNTRUSTED: text.  Returns
 * SL_OK, or SL_E_MALFORMED / SL_E_LIMIT / SL_E_NOMEM with why set to a
 * short reason (why has room for whylen bytes).
 */
sl_rc Sl_vulndb_parse(struct sl_scan *s, struct Sl_vulndb *db, const char *text,
                      size_t len, char *why, size_t whylen);

/*
 * Load every *.json file of dir (sorted by name, at most
 * SL_VDB_MAX_FILES, each at most SL_VDB_MAX_FILE bytes) into db and sort
 * it.  Files that cannot be read or parsed are skipped; their reasons are
 * appended to *errs (malloc'd array of malloc'd strings, *nerrs entries)
 * for the caller to record once it holds no lock.
 */
void Sl_vulndb_load(struct sl_scan *s, const char *dir, struct Sl_vulndb *db,
                    char ***errs, size_t *nerrs);

/*
 * The component name NVD's CPE vendor:product, or an OSV or package name,
 * stands for ("thekelleys", "dnsmasq" -> "dnsmasq"), lower-case, in the
 * arena; NULL when the arena is full.
 */
const char *Sl_vuln_cpe_name(struct sl_scan *s, const char *vendor,
                             const char *product);
const char *Sl_vuln_pkg_name(struct sl_scan *s, const char *pkg);

/* A component with a CPE: its name, CPE part, vendor and product. */
struct Sl_vuln_known {
	const char *name, *part, *vendor, *product;
};
/* The CPE of component name (names.c), or NULL when it has none. */
const struct Sl_vuln_known *Sl_vuln_known(const char *name);

/* Is version v of a component inside r's range? */
bool Sl_vuln_affects(const struct Sl_vuln *r, const char *v);

/*
 * A component's architecture, as the matcher compares it with a row's
 * arch list: machine is one of "x86" (32-bit Intel), "x86_64", "arm",
 * "aarch64", "mips", "mips64", "ppc", "ppc64", "riscv", or "" when not
 * known; bits 32 or 64, 0 when not known.
 */
struct Sl_arch {
	char machine[8];
	unsigned bits;
};

/*
 * The architecture an ELF header gives (e_machine, ELFCLASS32 -> 32, ...),
 * or the unknown one.  UNTRUSTED: data[0..len).
 */
struct Sl_arch Sl_arch_elf(const uint8_t *data, size_t len);

/*
 * The architecture a package database names ("mipsel_24kc", "x86_64",
 * "i386_pentium4", "arm_cortex-a7_neon-vfpv4", "aarch64_generic" from
 * opkg; "amd64", "armhf", "arm64", "mipsel", "ppc64el" from dpkg; "x86",
 * "armv7" from apk), or the unknown one ("all", "noarch", NULL).
 */
struct Sl_arch Sl_arch_pkg(const char *name);

/*
 * Does a row limited to arch (NULL: every architecture; else tokens as
 * struct Sl_arch names them, and "32bit", "64bit") apply to a component
 * of architecture a?  Yes when a is unknown: the matcher cannot rule the
 * row out.
 */
bool Sl_vuln_arch_ok(const char *arch, const struct Sl_arch *a);

/*
 * The upstream part of a packaged version: no epoch ("1:"), no Debian or
 * opkg revision ("-1.4", "+deb11u3", "~bpo"), into out (outlen bytes).
 */
void Sl_version_upstream(const char *v, char *out, size_t outlen);

/*
 * Record a component found in a package database: name is the normalised
 * name (Sl_vuln_pkg_name), version as the database has it (matched by its
 * upstream part), purl computed by the caller (Sl_purl) or NULL for the
 * default.  Otherwise as Sl_component_add.
 */
const struct sl_component *
Sl_component_add_purl(struct sl_scan *s, const char *name, const char *version,
                      const char *purl, unsigned source, const char *path);

/*
 * Sl_component_add_purl for firmware with the architecture the component
 * was built for (arch NULL or unknown: every row applies), so that a CVE
 * limited to other architectures is not reported.
 */
const struct sl_component *
Sl_component_add_arch(struct sl_scan *s, const char *name, const char *version,
                      const char *purl, const struct Sl_arch *arch,
                      const char *path);

/*
 * A package URL "pkg:type/ns/name@version?arch=arch" with each part
 * percent-encoded as the purl spec asks; ns and arch may be NULL.  In the
 * arena; NULL when it is full.
 */
char *Sl_purl(struct sl_scan *s, const char *type, const char *ns,
              const char *name, const char *version, const char *arch);

/*
 * An optional feature of a component (features.c): its name ("sae"),
 * what it is, and the string its code carries in every build that has it.
 */
struct Sl_feature {
	const char *name, *what, *mark;
};

/* Every feature with a mark (*n of them). */
const struct Sl_feature *Sl_features(size_t *n);

/*
 * The feature whose code holds vulnerability id of component (the data's
 * name: "hostapd", "wpa_supplicant"), or NULL when it is not in one.
 */
const struct Sl_feature *Sl_vuln_feature(const char *id, const char *component);

/* Is name among the comma-separated feature names of list? */
bool Sl_feature_has(const char *list, const char *name);

/*
 * Sl_component_add_arch for a component whose binary was read to its end:
 * features is the comma-separated names of the features whose marks it
 * carries ("" for none).  A CVE of a feature it does not carry is not
 * reported as affecting it; with the other Sl_component_add calls the
 * features are not known, and such CVEs are "not judged".
 */
const struct sl_component *
Sl_component_add_built(struct sl_scan *s, const char *name, const char *version,
                       const char *purl, const struct Sl_arch *arch,
                       const char *features, const char *path);

/*
 * The finding a firmware component carries (one per release: the first
 * component of a name and version that has one), for fw.components to
 * report.  Strings in the scan's arena.
 */
enum Sl_comp_kind {
	SL_COMP_VULNERABLE, /* known vulnerabilities affect it */
	SL_COMP_NOT_JUDGED, /* only CVEs of features not known to be in it */
};
struct Sl_comp_finding {
	enum Sl_comp_kind kind;
	enum sl_severity sev;
	const char *title, *excerpt, *fix;
};

/*
 * Fill *out and return true once for a component that carries a finding
 * (fw.components reports a firmware component's, net.ports a service's);
 * false otherwise (or when memory is short).
 */
bool Sl_component_finding(struct sl_scan *s, const struct sl_component *c,
                          struct Sl_comp_finding *out);

/* A component's matched vulnerabilities, highest score first. */
const struct Sl_vuln *const *Sl_component_vulns(const struct sl_component *c,
                                                size_t *n);

/*
 * The scan's components in report order: by name, version (as
 * Sl_version_cmp orders them), source, place and purl.  A malloc'd array
 * the caller frees (NULL when there are none or memory is short; *n is
 * then 0).
 */
const struct sl_component **Sl_components_sorted(const struct sl_scan *s,
                                                 size_t *n);

/*
 * Load the --vuln-db directory now if no component has yet (so that its
 * unreadable files are reported even when the firmware holds no
 * component).
 */
void Sl_vuln_db_touch(struct sl_scan *s);

#endif /* SL_VULNDB_H */
