/*
 * vuln.h - software components and the known vulnerabilities that match
 * them.  The firmware checks (fw.components) and the device checks
 * (service banners) both report components here; matching, the findings
 * and the SBOM come from one place.
 *
 * Data: the curated set bundled with starlab (data/vulns/, compiled in),
 * plus the NVD JSON 2.0 / OSV files of sl_scan_set_vuln_db().
 */
#ifndef SL_VULN_H
#define SL_VULN_H

#include "../core/scan.h"

/*
 * Record a component (thread-safe; strings are copied), match it against
 * the vulnerability data, and add one finding per component that has
 * matches (requirement S1.1-13; severity from the highest CVSS score; the
 * CVE ids in the excerpt).  name is normalised by the caller to the names
 * the data uses ("busybox", "openssl", "dropbear", "dnsmasq", "lighttpd",
 * "uclibc", "musl", "glibc", "linux", "openssh", "mosquitto", ...).
 * source is SL_SRC_FIRMWARE (path set) or SL_SRC_NETWORK (host, port).
 * A second add of the same name, version and place returns the first.
 */
const struct sl_component *Sl_component_add(struct sl_scan *s, const char *name,
                                            const char *version,
                                            unsigned source, const char *path,
                                            const char *host, unsigned port);

/*
 * Compare two version strings the way upstream numbers them: numeric
 * runs by value, "1.1.1k" > "1.1.1", "2022.83" > "2020.81", "p1" suffixes.
 * Returns <0, 0, >0.
 */
int Sl_version_cmp(const char *a, const char *b);

#endif
