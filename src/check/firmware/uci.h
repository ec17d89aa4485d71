/*
 * uci.h - which UCI options hold credentials, for every check that reads
 * OpenWrt's etc/config files: fw.accounts (passwords), fw.secrets (keys
 * and shared secrets) and fw.config (service settings).
 *
 * An option is a credential only when the package and option say so (a
 * table of the options OpenWrt packages really read as secrets) or the
 * option's name ends like a password (*password, *passwd, *pwd, *_pw,
 * *_pass), and in both cases only when its value is a literal: a path, an
 * empty value, a placeholder, a reference ("$p$root", "$VAR") or a file
 * name is not a credential whatever the option is called.  Packages
 * whose options name files (openvpn's secret, key, askpass) and file
 * lists (luci's flash_keep) give none.
 */
#ifndef SL_FW_UCI_H
#define SL_FW_UCI_H

#include <stdbool.h>
#include <stddef.h>

enum sl_uci_cred {
	SL_UCI_NONE,     /* not a credential */
	SL_UCI_PASSWORD, /* a login or service password */
	SL_UCI_KEY,      /* a Wi-Fi key, a RADIUS or VPN shared secret */
};

/*
 * Classify "option opt 'val'" in section type stype (may be "" when not
 * known) of the UCI file etc/config/pkg.  val is the unquoted value.
 */
enum sl_uci_cred Sl_uci_cred(const char *pkg, const char *stype,
                             const char *opt, const char *val);

/*
 * Is v[0..n) a literal credential value: not empty, not a path, file
 * name, reference, expansion or placeholder?
 */
bool Sl_uci_literal(const char *v, size_t n);

/* The package of a UCI file: "wireless" for ".../etc/config/wireless". */
const char *Sl_uci_pkg(const char *inner);

#endif /* SL_FW_UCI_H */
