/*
 * check_all.c - the only file that names every check.
 *
 * Adding a check is one new file under firmware/ or device/ plus one line
 * in each list below.  Checks run in this order; the report's order does
 * not depend on it.
 */
#include "check.h"

extern const struct Sl_check Sl_check_services;
extern const struct Sl_check Sl_check_accounts;
extern const struct Sl_check Sl_check_keys, Sl_check_secrets, Sl_check_transport;
extern const struct Sl_check Sl_check_hardening;

const struct Sl_check *const Sl_checks[] = {
	&Sl_check_services,
	&Sl_check_accounts,
	&Sl_check_keys, &Sl_check_secrets, &Sl_check_transport,
	&Sl_check_hardening,
	NULL,
};
