/*
 * snapshot_fuzz.c - libFuzzer target for the snapshot document parser
 * and the comparison behind it (snapshot.c).  The input is parsed whole;
 * then, split at its first 0x01 byte, the two halves are compared as the
 * before and after snapshots, and the verdicts decided.
 */
#include <stdlib.h>

#include "net/snapshot.h"
#include "sl.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct Sl_snap *x;
	struct sl_scan *s;
	const uint8_t *cut;
	char err[384], *a, *b;
	size_t k;

	if (size > SL_SNAP_MAX_JSON)
		return 0;
	x = malloc(sizeof(*x));
	if (x == NULL)
		return 0;
	(void)Sl_snap_parse((const char *)data, size, x, err, sizeof(err));
	free(x);

	cut = memchr(data, 1, size);
	k = cut ? (size_t)(cut - data) : size;
	a = malloc(k + 1);
	b = malloc(size - k + 1);
	s = sl_scan_new(NULL);
	if (a != NULL && b != NULL && s != NULL) {
		memcpy(a, data, k);
		a[k] = 0;
		if (cut != NULL)
			memcpy(b, cut + 1, size - k - 1);
		b[cut ? size - k - 1 : 0] = 0;
		if (sl_snapshot_compare(s, a, b) == SL_OK)
			(void)sl_scan_decide(s);
	}
	sl_scan_free(s);
	free(a);
	free(b);
	return 0;
}
