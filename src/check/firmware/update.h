/*
 * update.h - what fw.update (update.c, update_sig.c) and fw.reset
 * (reset.c) share, and the internal entry points their unit test and
 * fuzz target call.
 *
 * Both checks judge the image as a whole ("no update mechanism", "no way
 * to erase user data"), which is only meaningful for an image that holds
 * an operating system.  Sl_upd_os_root() finds one: a container holding
 * a shell or an init program.  Without it (a configuration partition, a
 * kernel alone, a test image of a few files) the whole-image findings are
 * not raised: absence is no evidence there.
 *
 * Everything read here is untrusted image content: lines are cut at
 * UPD_MAX_LINE bytes, scripts are read only up to UPD_MAX_SCRIPT bytes,
 * and each kind of evidence is listed at most UPD_MAX_LIST times.
 */
#ifndef SL_FW_UPDATE_H
#define SL_FW_UPDATE_H

#include "../check.h"

/* Bytes of one script or configuration file read (larger ones skipped). */
#define UPD_MAX_SCRIPT (256U << 10)
/* Bytes of one line kept for matching and for an excerpt. */
#define UPD_MAX_LINE 400
/* Evidence findings of one kind listed; the last one counts the rest. */
#define UPD_MAX_LIST 8
/* Bytes of a key or signature file read (--update-key, IMAGE.sig). */
#define UPD_MAX_KEYFILE (64U << 10)

/*
 * The container entry of the first operating-system root in the tree: a
 * container holding bin/sh, bin/busybox, sbin/init, init, sbin/procd or
 * systemd.  NULL when the image holds none.
 */
const struct sl_entry *Sl_upd_os_root(struct sl_scan *s);

/*
 * Is the image a single software package (an OpenWrt .ipk, a Debian
 * .deb, an Alpine .apk) rather than a firmware image?  Then what the
 * image as a whole lacks (an update mechanism, a reset, a version, a
 * model) says nothing about a product: the whole-image checks skip it.
 * Read from the tree: debian-binary with control.tar.* or data.tar.* at
 * the top of the image, or an Alpine .PKGINFO.
 */
bool Sl_upd_is_package(struct sl_scan *s);

/* The container entry holding e (e itself for a container). */
const struct sl_entry *Sl_upd_container(const struct sl_entry *e);

/*
 * Could e be a script, from its metadata alone: a small regular file under
 * bin, sbin, usr, etc, lib or www that is executable, has a script
 * extension or sits where scripts live (init.d, rc.button, hotplug.d,
 * preinit, lib/upgrade, cgi-bin, crontabs).  Documentation is not.
 */
bool Sl_upd_script_candidate(const struct sl_entry *e);

/*
 * Is e, whose content is d[0..n), a script: text and, unless its place or
 * name says script, starting with "#!"?  Sl_upd_want_script is the
 * content pass's want hook: Sl_upd_script_candidate.
 */
bool Sl_upd_is_script(const struct sl_entry *e, const uint8_t *d, size_t n);
bool Sl_upd_want_script(const struct sl_entry *e, void *user);

/* One piece of evidence: a file, an offset in it, a short quote. */
struct Sl_upd_ev {
	const struct sl_entry *e;
	uint64_t off;
	const char *excerpt; /* NULL: the file's inner path */
	bool flag;           /* the owner's (a vendor script verifies) */
};

/*
 * A bounded list of evidence.  The UPD_MAX_LIST first by path and offset
 * are kept whatever order they arrive in (content hooks run on several
 * threads), so reports do not depend on thread timing; total counts all.
 * Not locked: the caller serialises additions.
 */
struct Sl_upd_list {
	struct Sl_upd_ev v[UPD_MAX_LIST];
	size_t n, total;
};
void Sl_upd_list_add(struct Sl_upd_list *l, const struct Sl_upd_ev *ev);

/*
 * One finding of kind d per kept item of l, the last one's excerpt
 * counting the items not kept.
 */
sl_rc Sl_upd_report_list(struct sl_scan *s, const struct Sl_upd_list *l,
                         const struct Sl_finding_def *d, const char *title);

/* One line of a text file, as the line reader hands it out. */
/*
 * One finding for one cause found in several places: the first evidence of
 * l (by path and offset) is the finding's location, and the excerpt names
 * the others ("also: lib/upgrade/common.sh, ... [and N more]").  Nothing
 * when l is empty.
 */
sl_rc Sl_upd_report_one(struct sl_scan *s, const struct Sl_upd_list *l,
                        const struct Sl_finding_def *d, const char *title);

struct Sl_upd_line {
	char buf[UPD_MAX_LINE + 1]; /* NUL-terminated, control bytes ' ' */
	size_t off;                 /* offset of its first byte in the file */
};

/*
 * The next line of d[0..len) from *pos that is neither empty nor a shell
 * comment, leading blanks dropped and cut at UPD_MAX_LINE bytes.  false at
 * the end.  Bounded: *pos only grows.
 */
bool Sl_upd_next_line(const uint8_t *d, size_t len, size_t *pos,
                      struct Sl_upd_line *l);

/*
 * Does word w stand in line as a command or argument of its own, not as
 * part of a longer word ("sysupgrade" in "/sbin/sysupgrade -n", not in
 * "sysupgrade.sh")?  Returns where, or NULL.
 */
const char *Sl_upd_word(const char *line, const char *w);

/* The base name of a path (after its last '/'). */
const char *Sl_upd_base(const char *path);

/*
 * Verify the image's signature with the key at s->update_key (update_sig.c)
 * and add FW-UPDATE-SIGNATURE-VALID, -INVALID or FW-UPDATE-UNSIGNED.
 * Returns an error (Sl_fail, naming the path) when the key cannot be read
 * or is not a public key, certificate or signify key.
 */
sl_rc Sl_upd_verify(struct sl_scan *s);

/*
 * The parts of Sl_upd_verify the fuzz target and unit test reach alone.
 * Sl_upd_key_parse returns an EVP_PKEY (the caller frees it with
 * EVP_PKEY_free) or NULL; a signify key's 8-byte number goes to keynum.
 * Sl_upd_fit_verify walks one FIT of n bytes at p and adds a finding per
 * image signature verified with key (which may be NULL: each then fails);
 * where names the FIT container in findings.  Returns the number of image
 * signatures seen, -1 when p is not a whole, sound FIT, -2 when memory ran
 * out; *conf_signed tells whether a configuration is signed.
 */
struct evp_pkey_st;
struct evp_pkey_st *Sl_upd_key_parse(const uint8_t *p, size_t n,
                                     uint8_t keynum[8], bool *has_keynum);
int Sl_upd_fit_verify(struct sl_scan *s, const char *where, const uint8_t *p,
                      size_t n, struct evp_pkey_st *key, bool *conf_signed);

#endif /* SL_FW_UPDATE_H */
