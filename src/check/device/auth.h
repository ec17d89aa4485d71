/*
 * auth.h - what the three authentication checks share (auth.c): which
 * services take logins, where a web service asks for credentials, random
 * credentials that cannot be valid, the profile's known-good credential,
 * and the entry points of net.unauth's parsers for the unit tests and the
 * fuzz target (src/net/login_fuzz.c).
 *
 *   unauth.c      net.unauth      S1.1-01  access without credentials
 *   creds.c       net.creds       S1.1-02  default credentials
 *   bruteforce.c  net.bruteforce  S1.1-04  brute-force protection
 */
#ifndef SL_CHECK_DEVICE_AUTH_H
#define SL_CHECK_DEVICE_AUTH_H

#include "../../net/login.h"
#include "../../profile/profile.h"
#include "../check.h"

/* Services examined concurrently by one check, at most. */
#define SL_AUTH_MAX_SERVICES 16

/*
 * The login services of the device, one per protocol and port (the first
 * address that answered), as copies in the scan's arena: ssh, telnet,
 * ftp, mqtt, rtsp, snmp (when with_snmp), and web services that ask for
 * credentials somewhere (their copy has auth and realm_path set).  Fills
 * out[] (at most max) and returns the count.
 */
size_t Sl_auth_services(struct sl_scan *s, struct Sl_service *out, size_t max,
                        bool with_snmp);

/* "tcp/23 telnet" for titles and incomplete notes. */
void Sl_auth_where(const struct Sl_service *svc, char *out, size_t n);

/* prefix + 16 random hex digits: a user or password nobody set. */
void Sl_auth_random(char *out, size_t n, const char *prefix);

/* The profile's known-good credential for svc, or NULL. */
const struct Sl_cred *Sl_auth_profile_cred(const struct sl_scan *s,
                                           const struct Sl_service *svc);

/* The services a login check runs, with their results, one thread each. */
typedef void (*Sl_auth_fn)(struct sl_scan *s, struct Sl_service *svc,
                           void *result);
/*
 * Run fn for each of the n services, all at once (one thread per
 * service); result i is (char *)results + i * size.  Falls back to one
 * after another when a thread cannot be started.
 */
void Sl_auth_each(struct sl_scan *s, struct Sl_service *svc, size_t n,
                  Sl_auth_fn fn, void *results, size_t size);

/* ---- net.unauth's parsers (unauth.c) ---- */

/*
 * Does the page (n bytes) look like configuration: a key holding a
 * secret (password, psk, token ...) with a value, or two network or
 * account settings (ssid, mac, ip, user ...)?  Version and model alone
 * do not count (S1.1-06 wants them readable).  A login page does not
 * count.  On true, excerpt gets the matching settings with secret values
 * masked.
 */
bool Sl_unauth_config_like(const char *page, size_t n, char *excerpt,
                           size_t en);

/*
 * The control URL of a WANIPConnection or WANPPPConnection service in a
 * UPnP device description (n bytes), and its service type.  True when
 * found.
 */
bool Sl_upnp_control(const char *xml, size_t n, char *url, size_t un,
                     char *type, size_t tn);

/* ADB: the 24-byte message header's command, when valid ("CNXN"...). */
bool Sl_adb_header(const uint8_t *p, size_t n, char cmd[5], uint32_t *datalen);

/* Mask what looks like a secret in an MQTT payload (n bytes) into out. */
void Sl_unauth_mask(const char *topic, const uint8_t *payload, size_t n,
                    char *out, size_t on);

#endif
