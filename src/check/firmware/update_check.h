/*
 * update_check.h - what the files of the check fw.update share (internal
 * to it; update.h is what it shares with fw.reset).
 *
 *   update.c          the check: its findings, the helpers update.h
 *                     declares, the findings about the image as a whole
 *   update_scripts.c  scripts: download, install, verify (content pass)
 *   update_keys.c     mechanisms and verification keys (one tree pass)
 *   update_version.c  the installed version
 *   update_sig.c      the image's signature, with --update-key
 */
#ifndef SL_FW_UPDATE_CHECK_H
#define SL_FW_UPDATE_CHECK_H

#include <pthread.h>

#include "scan.h"
#include "update.h"

#define UPD_MAX_VARS    16 /* URL variables remembered per script */
#define UPD_MAX_VARLEN  32
#define UPD_MAX_KEYCAND 64 /* small files read as possible signify keys */
#define UPD_MAX_VERSION 64 /* bytes of a version kept */
#define UPD_MAX_REFS    32 /* key paths resolved from configuration */

/* The kinds of finding of fw.update (update.c's table). */
enum upd_finding {
	UPD_F_INSECURE,    /* FW-UPDATE-INSECURE-INSTALL */
	UPD_F_MECH,        /* FW-UPDATE-MECHANISM */
	UPD_F_NO_KEY,      /* FW-UPDATE-NO-VERIFY-KEY */
	UPD_F_KEY,         /* FW-UPDATE-VERIFY-KEY */
	UPD_F_VERSION,     /* FW-VERSION */
	UPD_F_SIG_VALID,   /* FW-UPDATE-SIGNATURE-VALID */
	UPD_F_SIG_INVALID, /* FW-UPDATE-SIGNATURE-INVALID */
	UPD_F_UNSIGNED,    /* FW-UPDATE-UNSIGNED */
};
extern const struct Sl_finding_def Sl_upd_findings[];

/* ------------------------------------------------------------------ */
/* The run's state                                                      */
/* ------------------------------------------------------------------ */

enum mech { M_SYSUPGRADE, M_SWUPDATE, M_RAUC, M_MENDER, M_APT, M_NMECH };

extern const char *const Sl_upd_mech_name[M_NMECH];
/* The files that show a mechanism, the best evidence first. */
extern const char *const Sl_upd_mech_files[M_NMECH][5];

enum kkind { K_SIGNIFY, K_RAUC, K_SWUPDATE, K_MENDER, K_APT, K_FIT, K_NKIND };

extern const char *const Sl_upd_kind_name[K_NKIND];

struct ustate {
	pthread_mutex_t lock;          /* vendor, from the content hooks */
	struct Sl_upd_list vendor;     /* vendor update scripts */
	struct Sl_upd_list unverified; /* those checking no signature */
	/*
	 * Scripts that only hand an image to sysupgrade (LuCI's flash page,
	 * a button handler): the sysupgrade path itself when sysupgrade is
	 * in the image, else vendor scripts of their own.
	 */
	struct Sl_upd_list frontends;
	/* sysupgrade's own scripts: a signature check, a plain download. */
	bool sysup_verify;
	struct Sl_upd_ev sysup_dl;
	const char *sysup_dl_how;
	const struct sl_entry *mech[M_NMECH];
	unsigned mech_rank[M_NMECH]; /* index in mech_files of mech[] */
	struct Sl_upd_list keys[K_NKIND];
	/* A mechanism's key declared in its configuration but absent. */
	struct Sl_upd_ev missing[K_NKIND];
	/* Configuration files to read after the tree pass. */
	const struct sl_entry *rauc_conf, *mender_conf;
	const struct sl_entry *swu_files[UPD_MAX_LIST];
	size_t nswu;
	const struct sl_entry *keycand[UPD_MAX_KEYCAND];
	size_t nkeycand;
	size_t nrefs; /* key references resolved (UPD_MAX_REFS) */
};

/* The version the image records (update_version.c). */
struct version {
	const struct sl_entry *e;
	uint64_t off;
	const char *src;
	char v[UPD_MAX_VERSION + 1];
};

/*
 * The content hook (update_scripts.c): one script, on one of the
 * unpacking threads.  Adds its insecure-install finding itself and
 * records a vendor update script under u->lock.
 */
sl_rc Sl_upd_end(struct Sl_file *file);
/*
 * Mask, in place, what looks like a credential on an excerpt; *secret
 * gets the first value masked.  false when the arena is full.
 */
bool Sl_upd_mask_excerpt(struct sl_scan *s, char *ex, const char **secret);

/* One pass over the tree: mechanisms, key candidates, signed FITs. */
void Sl_upd_tree_pass(struct sl_scan *s, struct ustate *u);
/* Read the key candidates and the mechanisms' configuration. */
sl_rc Sl_upd_find_keys(struct sl_scan *s, struct ustate *u);

/* The installed version, or false when the image records none. */
bool Sl_upd_find_version(struct sl_scan *s, struct version *v);

#endif /* SL_FW_UPDATE_CHECK_H */
