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
extern const struct Sl_check Sl_check_keys, Sl_check_secrets,
    Sl_check_transport;
extern const struct Sl_check Sl_check_hardening;
extern const struct Sl_check Sl_check_config, Sl_check_backdoor;
extern const struct Sl_check Sl_check_net_ports;
extern const struct Sl_check Sl_check_tls, Sl_check_plaintext,
    Sl_check_security_txt;
extern const struct Sl_check Sl_check_update, Sl_check_reset;
extern const struct Sl_check Sl_check_unauth, Sl_check_creds,
    Sl_check_bruteforce;
extern const struct Sl_check Sl_check_components;
extern const struct Sl_check Sl_check_identity, Sl_check_model;
extern const struct Sl_check Sl_check_webexec;

const struct Sl_check *const Sl_checks[] = {
    &Sl_check_services, &Sl_check_accounts,   &Sl_check_keys,
    &Sl_check_secrets,  &Sl_check_transport,  &Sl_check_hardening,
    &Sl_check_config,   &Sl_check_backdoor,   &Sl_check_net_ports,
    &Sl_check_tls,      &Sl_check_plaintext,  &Sl_check_security_txt,
    &Sl_check_identity, /* before the auth checks: no rate limit yet */
    &Sl_check_update,   &Sl_check_reset,      &Sl_check_unauth,
    &Sl_check_creds,    &Sl_check_bruteforce, &Sl_check_components,
    &Sl_check_model,    &Sl_check_webexec,    NULL,
};

extern const struct Sl_finding_table Sl_findings_app, Sl_findings_assess,
    Sl_findings_snapshot, Sl_service_findings, Sl_findings_compare;

const struct Sl_finding_table *const Sl_finding_tables[] = {
    &Sl_findings_app,     &Sl_findings_assess,  &Sl_findings_snapshot,
    &Sl_service_findings, &Sl_findings_compare, NULL,
};
