/*
 * vulndb_fuzz.c - libFuzzer target for the --vuln-db parser (vulndb.c):
 * the input is one file of the directory, parsed as NVD JSON 2.0 or OSV;
 * every range it yields is then compared the way matching does, so that
 * hostile version strings reach Sl_version_cmp too.
 */
#include "../../fuzz/fuzz.h"
#include "vulndb.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const probes[] = {
	    "0", "1.1.1k", "2.80", "4.14.90", "8.4p1", "1.0.0-rc1", ""};
	struct Sl_vulndb db = {0};
	struct sl_scan *s;
	char why[256];
	size_t i, j;

	s = sl_scan_new(NULL);
	if (s == NULL)
		return 0;
	(void)Sl_vulndb_parse(s, &db, (const char *)data, size, why,
	                      sizeof(why));
	for (i = 0; i < db.n && i < 256; i++) {
		const struct Sl_vuln *r = &db.v[i];

		for (j = 0; j < SL_ARRAY_LEN(probes); j++)
			(void)Sl_vuln_affects(r, probes[j]);
		if (r->lo != NULL && r->hi != NULL)
			(void)Sl_version_cmp(r->lo, r->hi);
		if (r->lo != NULL)
			(void)Sl_vuln_affects(r, r->lo);
	}
	sl_scan_free(s);
	return 0;
}
