/*
 * scope.h - what a device run looked at and what it left out, for the
 * report (scope.c): the TCP ports asked for, the UDP services probed,
 * the time bounds, the login attempts allowed, and the parts skipped by
 * the options.  A verdict without the scope it was judged in cannot be
 * audited: "no login service" means little when --ports left out 22.
 */
#ifndef SL_NET_SCOPE_H
#define SL_NET_SCOPE_H

#include <jansson.h>

#include "net.h"

/* The UDP ports udp.c probes, at most max into out; the count. */
size_t Sl_udp_ports(unsigned *out, size_t max);

/*
 * Is TCP port p in the port list (the --ports syntax, "22,80,8000-8100",
 * already validated by the port scan)?  False for what does not parse.
 */
bool Sl_ports_has(const char *list, unsigned p);

/*
 * Whether the TCP ports scanned cover every login the device may offer,
 * for the checks that judge logins (S1.1-02, S1.1-04): all ports, or a
 * profile whose declared TCP interfaces are all in the list.  When not,
 * why (into why, n bytes) and false.
 */
bool Sl_scope_covers_logins(const struct sl_scan *s, char *why, size_t n);

/*
 * The scope of s's device run as a JSON object (see
 * docs/report-format.md, subject.device.scope), or NULL when s examined
 * no device.  A new reference the caller owns.
 */
json_t *Sl_dev_scope_json(const struct sl_scan *s);

#endif /* SL_NET_SCOPE_H */
