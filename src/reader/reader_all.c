/*
 * reader_all.c - the only file that names every container reader.
 *
 * Adding a format is one new file in this directory plus one line in each
 * list below.  The order matters only when two readers bid the same score
 * at the same offset: the earlier one is tried first.
 */
#include "../sl.h"

extern const struct Sl_reader Sl_reader_gzip;

const struct Sl_reader *const Sl_readers[] = {
	&Sl_reader_gzip,
	NULL,
};
