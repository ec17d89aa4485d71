/*
 * firmware.h - what the firmware checks export to each other: the
 * credentials fw.accounts reads and the private keys fw.keys finds, for
 * comparing the images of two units (compare.c).  Both walk the tree the
 * way their check does, with the same bounds, and add no finding.
 */
#ifndef SL_FW_FIRMWARE_H
#define SL_FW_FIRMWARE_H

#include "../check.h"

/* One stored password (fw.accounts). */
struct Sl_fw_cred {
	const struct sl_entry *e; /* the file */
	uint64_t off;             /* of the line */
	const char *who;    /* "account 'root'", "htpasswd user 'admin'" */
	const char *stored; /* the hash, or the password in clear */
	const char *scheme; /* "SHA-512 crypt ($6$)", "plaintext" */
	bool plaintext;
	const char *excerpt; /* the line; holds the secret */
	const char *secret;  /* the value to mask in excerpt, or NULL */
};

/*
 * Called for every hash a password can match and every plaintext password
 * (empty, locked and malformed values are not credentials).  The strings
 * are valid during the call only; a non-SL_OK return stops the walk.
 */
typedef sl_rc (*Sl_fw_cred_fn)(struct sl_scan *s, const struct Sl_fw_cred *c,
                               void *user);
sl_rc Sl_acc_each_cred(struct sl_scan *s, Sl_fw_cred_fn fn, void *user);

/* One unencrypted private key (fw.keys). */
struct Sl_fw_key {
	const struct sl_entry *e;
	uint64_t off;
	const char *what;    /* "RSA-2048 private key (PEM)" */
	const char *excerpt; /* a header line or a file name, no key bytes */
	/*
	 * SHA-256 of the public key: of the SubjectPublicKeyInfo DER for
	 * keys OpenSSL decodes (PEM, PKCS#8, DER), of the SSH public key blob
	 * for OpenSSH and Dropbear keys (so the same host key matches across
	 * those two formats).
	 */
	uint8_t fp[32];
};

/*
 * Called for every unencrypted private key fw.keys finds in the files it
 * reads itself (up to SL_KEYS_MAX_FILE bytes) whose public key it can
 * tell (not PuTTY keys).  Pointers live as long as the scan.
 */
typedef sl_rc (*Sl_fw_key_fn)(struct sl_scan *s, const struct Sl_fw_key *k,
                              void *user);
sl_rc Sl_keys_each(struct sl_scan *s, Sl_fw_key_fn fn, void *user);

#endif /* SL_FW_FIRMWARE_H */
