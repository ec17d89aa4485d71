/*
 * reader_all.c - the only file that names every container reader.
 *
 * Adding a format is one new file in this directory plus one line in each
 * list below.  The order matters only when two readers bid the same score
 * at the same offset: the earlier one is tried first.
 */
#include "../sl.h"

extern const struct Sl_reader Sl_reader_gzip;
extern const struct Sl_reader Sl_reader_squashfs, Sl_reader_squashfs_old;
extern const struct Sl_reader Sl_reader_ext, Sl_reader_cramfs, Sl_reader_romfs;
extern const struct Sl_reader Sl_reader_ubi, Sl_reader_ubifs;
extern const struct Sl_reader Sl_reader_jffs2, Sl_reader_yaffs2;
extern const struct Sl_reader Sl_reader_uimage, Sl_reader_fit, Sl_reader_trx;
extern const struct Sl_reader Sl_reader_arcadyan;
extern const struct Sl_reader Sl_reader_xz, Sl_reader_lzma, Sl_reader_zstd;
extern const struct Sl_reader Sl_reader_lz4, Sl_reader_lz4_legacy;
extern const struct Sl_reader Sl_reader_cpio, Sl_reader_tar, Sl_reader_zip;

const struct Sl_reader *const Sl_readers[] = {
    &Sl_reader_gzip,
    &Sl_reader_squashfs,
    &Sl_reader_squashfs_old,
    &Sl_reader_ext,
    &Sl_reader_cramfs,
    &Sl_reader_romfs,
    &Sl_reader_ubi,
    &Sl_reader_ubifs,
    &Sl_reader_jffs2,
    &Sl_reader_yaffs2,
    &Sl_reader_uimage,
    &Sl_reader_fit,
    &Sl_reader_trx,
    &Sl_reader_arcadyan,
    &Sl_reader_xz,
    &Sl_reader_lzma,
    &Sl_reader_zstd,
    &Sl_reader_lz4,
    &Sl_reader_lz4_legacy,
    &Sl_reader_cpio,
    &Sl_reader_tar,
    &Sl_reader_zip,
    NULL,
};
