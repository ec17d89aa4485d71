/*
 * limits.h - every default bound on untrusted input, in one place.
 *
 * Firmware images and device answers are written by whoever built them;
 * each number here caps one way such input could make starlab run out of
 * memory, time or disk.  All of them can be changed per scan through
 * struct sl_limits; reaching one is reported in the report's "incomplete"
 * list with what and where, never as a crash.
 */
#ifndef SL_LIMITS_H
#define SL_LIMITS_H

/* Containers inside containers (image > uImage > lzma > cpio = 3). */
#define SL_DEF_MAX_DEPTH 8
/* Bytes decompressed over one whole scan. */
#define SL_DEF_MAX_TOTAL (4ULL << 30)
/* Bytes of one file's content or one decompressed stream. */
#define SL_DEF_MAX_FILE (512ULL << 20)
/* Expansion ratio of one compressed stream (zip bombs compress ~1000x). */
#define SL_DEF_MAX_RATIO 250
/* Entries in the virtual tree. */
#define SL_DEF_MAX_FILES 1000000
/* Bytes of one entry's full nested path. */
#define SL_DEF_MAX_PATH 4096

/* Streams smaller than this are never refused for their ratio. */
#define SL_RATIO_FLOOR (1U << 20)
/* Bytes of one path component inside a container. */
#define SL_MAX_NAME 255
/* Regions at least this large with entropy above the next are suspicious. */
#define SL_ENC_MIN_REGION  (64U << 10)
#define SL_ENC_MIN_ENTROPY 7.9
/*
 * Decoded file content kept after unpacking when the checks follow, so
 * that the files they read again are not decompressed twice: in all, and
 * the largest file kept.  Memory only; nothing untrusted sizes it.
 */
#define SL_KEEP_TOTAL (64U << 20)
#define SL_KEEP_FILE  (4U << 20)
/* Carving candidates tried per blob before giving up. */
#define SL_MAX_CARVE_TRIES 4096
/* Incomplete reasons kept per scan. */
#define SL_MAX_INCOMPLETE 256
/* Ceiling of the per-scan arena. */
#define SL_ARENA_MAX (1ULL << 30)

/* ---- The device side (src/net/) ---- */
/* Default time for one network step (connect, one read), ms. */
#define SL_NET_TIMEOUT_MS 1500
/* Connects in flight during the port scan: start, floor, ceiling. */
#define SL_NET_CONC_START 512
#define SL_NET_CONC_MIN   16
#define SL_NET_CONC_MAX   4096
/* Default new connections per second during the port scan. */
#define SL_NET_RATE 20000
/* Bytes kept of one banner or probe answer. */
#define SL_NET_MAX_BANNER 4096
/* Bytes read from one device response of any kind (HTTP body, ...). */
#define SL_NET_MAX_RESPONSE (256U << 10)
/* Services kept for one device. */
#define SL_NET_MAX_SERVICES 4096
/* Default-credential attempts per service, and in flight per service. */
#define SL_NET_MAX_LOGINS     64
#define SL_NET_LOGIN_PARALLEL 4
/* Wrong-password attempts when looking for brute-force protection. */
#define SL_NET_BF_ATTEMPTS 20

/* The assessment (src/check/assess.c, cli/cmd_assess.c). */
/* Inputs of one assessment: images, devices, profile, snapshots. */
#define SL_ASSESS_MAX_INPUTS 64
/* Images (units) and devices one assessment takes. */
#define SL_ASSESS_MAX_UNITS 8
/* Bytes of one input hashed for the manifest (64 GiB). */
#define SL_ASSESS_MAX_INPUT (64ULL << 30)
/* Locations of one grouped finding written to its evidence file. */
#define SL_ASSESS_MAX_LOCATIONS 100000
/* Bytes of a report.json that `diff` and `label` read (64 MiB). */
#define SL_REPORT_MAX_JSON (64U << 20)
/* ---- Nesting caps: how deep a parser follows what the input nests ---- */

/*
 * Directory levels below a filesystem's root that a reader walks.  The
 * values differ by format as they did in each reader (a log-structured
 * JFFS2 or UBIFS tree is rebuilt from entries, not walked by recursion,
 * so it can afford more); a real image is far shallower than any of them.
 */
#define SL_NEST_SQUASHFS_DIRS 256
#define SL_NEST_EXT_DIRS      256
#define SL_NEST_CRAMFS_DIRS   256
#define SL_NEST_UBIFS_DIRS    1024 /* followed from an entry up to the root */
#define SL_NEST_JFFS2_DIRS    2048
/* Node levels of a flattened device tree (FIT images, FIT signatures);
 * libfdt allows 64, FITs use 4. */
#define SL_NEST_FDT 32
/* Nested mappings and sequences of a product profile (hand-written). */
#define SL_NEST_PROFILE 8

/* ---- Buffers (Sl_buf: a cap is mandatory) ---- */

/*
 * Bytes of one rendered report (Markdown, text) or masked excerpt.  The
 * findings behind it are bounded already; this stops a runaway writer.
 */
#define SL_BUF_MAX_REPORT (1ULL << 30)
/*
 * Bytes of a path being built while a reader walks a directory tree.
 * max_path and max_depth stop a real walk long before.
 */
#define SL_BUF_MAX_PATH (1U << 20)
/*
 * What Sl_buf_init(b, 0) means in a release build (0 asserts in a debug
 * build): the old "no cap", kept only so that a missed caller does not
 * fail at run time.
 */
#define SL_BUF_MAX_UNSET SIZE_MAX

/* Threads of one worker pool (Sl_pool_run). */
#define SL_POOL_MAX 64
/* ---- Filesystem readers written by hand (src/reader/) ---- */
/* Directories nested below a filesystem's root that are walked. */
#define SL_MAX_DIR_DEPTH 256
/* Bytes of an old binary cpio name for its header to be taken as one. */
#define SL_CPIO_BIN_MAX_NAME 4096
/* SquashFS 2.x/3.x/BE 4.0: bytes of one decoded metadata table, and
 * entries of the fragment table. */
#define SL_SQFS_OLD_MAX_TABLE (256U << 20)
#define SL_SQFS_OLD_MAX_FRAGS (1U << 22)
/* YAFFS2: data chunks (NAND pages) of one image that are indexed. */
#define SL_YAFFS_MAX_CHUNKS (1U << 24)

#endif /* SL_LIMITS_H */
