/*
 * data_info.c - what data the library carries, for `starlab --version`:
 * the bundled CVE set (its newest NVD last-modified date, CVE ids, version
 * ranges), the default-password list and the requirement catalogue.  The
 * figures are counted from the compiled tables, so they cannot drift from
 * the data.
 */
#include <string.h>

#include "vulndb.h"
#include "../catalogue/default_passwords.h"

void
sl_data_versions(struct sl_data_info *d)
{
	size_t i, j;

	memset(d, 0, sizeof(*d));
	for (i = 0; i < Sl_bundled_nvulns; i++) {
		const struct Sl_vuln *v = &Sl_bundled_vulns[i];

		/* ISO 8601 dates compare as strings. */
		if (v->last_modified != NULL &&
		    strlen(v->last_modified) >= 10 &&
		    strncmp(v->last_modified, d->vulns_date, 10) > 0) {
			memcpy(d->vulns_date, v->last_modified, 10);
			d->vulns_date[10] = '\0';
		}
		/* A CVE may have several ranges (rows): count it once. */
		for (j = 0; j < i; j++)
			if (strcmp(Sl_bundled_vulns[j].id, v->id) == 0)
				break;
		if (j == i)
			d->vulns_cves++;
	}
	d->vulns_ranges = Sl_bundled_nvulns;
	d->passwords = SL_NDEFAULT_PASSWORDS;
	(void)sl_requirements(&d->requirements);
}
