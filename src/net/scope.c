/*
 * scope.c - the scope of a device run for the report (scope.h).
 *
 * Everything here comes from the caller's options and this program's own
 * constants; nothing from the device.
 */
#include <stdio.h>
#include <stdlib.h>

#include "../limits.h"
#include "../profile/profile.h"
#include "login.h"
#include "scope.h"

bool
Sl_ports_has(const char *list, unsigned p)
{
	const char *q = list;

	while (q != NULL && *q != 0) {
		char *end;
		unsigned long a = strtoul(q, &end, 10), b = a;

		if (end == q)
			return false;
		if (*end == '-') {
			q = end + 1;
			b = strtoul(q, &end, 10);
			if (end == q)
				return false;
		}
		if (p >= a && p <= b)
			return true;
		if (*end != ',')
			return false;
		q = end + 1;
	}
	return false;
}

bool
Sl_scope_covers_logins(const struct sl_scan *s, char *why, size_t n)
{
	const char *ports = s->dev->o.ports;
	const struct Sl_profile *pr = s->profile;
	size_t i;

	if (ports == NULL || strcmp(ports, "1-65535") == 0)
		return true;
	if (pr == NULL || pr->nifaces == 0) {
		snprintf(why, n,
		         "only TCP ports %.100s were scanned and no profile "
		         "declares the interfaces, so a login on another port "
		         "was not tested",
		         ports);
		return false;
	}
	for (i = 0; i < pr->nifaces; i++) {
		const struct Sl_iface *f = &pr->ifaces[i];

		if (f->proto != NULL && strcmp(f->proto, "tcp") == 0 &&
		    !Sl_ports_has(ports, f->port)) {
			snprintf(why, n,
			         "the profile declares tcp/%u, which --ports "
			         "%.100s left out",
			         f->port, ports);
			return false;
		}
	}
	return true;
}

/* Add "what" to the skipped list. */
static void
skip(json_t *a, const char *what)
{
	json_array_append_new(a, json_string(what));
}

json_t *
Sl_dev_scope_json(const struct sl_scan *s)
{
	const struct sl_device_opts *o;
	json_t *udp, *skipped, *root;
	unsigned ports[16];
	size_t n, i;
	char line[160];

	if (s == NULL || s->dev == NULL)
		return NULL;
	o = &s->dev->o;
	udp = json_array();
	skipped = json_array();
	if (o->udp) {
		n = Sl_udp_ports(ports, SL_ARRAY_LEN(ports));
		for (i = 0; i < n; i++)
			json_array_append_new(udp, json_integer(ports[i]));
	} else {
		skip(skipped, "UDP: no UDP service was probed (--no-udp)");
	}
	if (o->ports != NULL && strcmp(o->ports, "1-65535") != 0) {
		snprintf(line, sizeof(line),
		         "TCP: only ports %.100s were scanned (--ports)",
		         o->ports);
		skip(skipped, line);
	}
	if (o->max_logins == 0)
		skip(skipped, "default credentials: none tried "
		              "(--max-logins 0)");
	if (o->bf_attempts == 0)
		skip(skipped, "brute-force protection: no wrong password "
		              "tried");
	if (!o->intrusive)
		skip(skipped, "lockout of a real account: not tested "
		              "(without --intrusive only a random user is "
		              "tried)");
	root = json_pack(
	    "{s:s, s:o, s:{s:I, s:I}, s:{s:I, s:I, s:I, s:b}, "
	    "s:o}",
	    "tcp_ports", o->ports ? o->ports : "1-65535", "udp_ports", udp,
	    "time", "step_timeout_ms",
	    (json_int_t)(o->timeout_ms ? o->timeout_ms : SL_NET_TIMEOUT_MS),
	    "login_wait_ms", (json_int_t)SL_LOGIN_WAIT_MS, "logins",
	    "default_credentials_per_service", (json_int_t)o->max_logins,
	    "bruteforce_attempts_per_service", (json_int_t)o->bf_attempts,
	    "in_flight_per_service", (json_int_t)o->login_parallel, "intrusive",
	    o->intrusive, "skipped", skipped);
	return root;
}
