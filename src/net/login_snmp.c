/*
 * login_snmp.c - SNMP "logins" (login_proto.h): a GET of sysDescr with
 * the password as the community (snmp.c), the user name unused.
 */
#include <errno.h>
#include <stdio.h>

#include "login_proto.h"
#include "snmp.h"

/* ------------------------------------------------------------------ */
/* SNMP login                                                          */
/* ------------------------------------------------------------------ */

static enum Sl_login
snmp_login(struct sl_scan *s, const struct Sl_service *svc,
           struct Sl_login_conn *c, const char *user, const char *pass, char *d,
           size_t dn)
{
	char out[128];
	int r = Sl_snmp_get(s, svc, pass, SL_SNMP_SYSDESCR, out, sizeof(out),
	                    Sl_login_timeout(s));

	(void)c;    /* UDP: nothing to keep */
	(void)user; /* a community is a password alone */
	if (r == 1) {
		Sl_login_say(d, dn, "sysDescr: %s", out);
		return SL_LOGIN_OK;
	}
	if (r == 0) {
		/* Agents drop a wrong community without a word. */
		Sl_login_say(d, dn, "no answer to the community");
		return SL_LOGIN_DENIED;
	}
	Sl_login_say(d, dn, "snmp: %s", strerror(errno));
	if (errno != ECONNREFUSED)
		return SL_LOGIN_ERROR;
	BLIND();
	return SL_LOGIN_BLOCKED;
}

/* ------------------------------------------------------------------ */

/* UDP: never marked TLS; .tls keeps the name the only test. */
const struct Sl_login_proto Sl_login_snmp = {
    .names = {"snmp", NULL},
    .ports = {161, 0},
    .tls = true,
    .login = snmp_login,
};
