/*
 * login_ssh.c - SSH logins over libssh (login_proto.h): a password,
 * else keyboard-interactive, on a session kept between the attempts of
 * one user.  The host key is not verified: login.c says why.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include <netinet/tcp.h>

#include "login_proto.h"

/* SSH                                                                 */
/* ------------------------------------------------------------------ */

static void
ssh_drop(struct Sl_login_conn *c)
{
	if (c->ssh != NULL) {
		ssh_disconnect(c->ssh);
		ssh_free(c->ssh);
	}
	c->ssh = NULL;
	c->ssh_user[0] = 0;
}

/* Does a libssh error say that the server dropped or refused us? */
static bool
ssh_dropped(const char *e)
{
	return e != NULL && (strstr(e, "isconnect") != NULL ||
	                     strstr(e, "closed") || strstr(e, "reset") ||
	                     strstr(e, "refused") || strstr(e, "Socket error"));
}

/* Connect a fresh session into c; an Sl_login value on failure, or -1. */
static int
ssh_open(struct sl_scan *s, const struct Sl_service *svc,
         struct Sl_login_conn *c, const char *user, char *d, size_t dn)
{
	long secs = SL_LOGIN_WAIT_MS / 1000;
	int fd, port = (int)svc->pub.port, no = 0, rc;
	int verb = SSH_LOG_NOLOG;

	ssh_drop(c);
	fd = Sl_tcp_connect(&s->dev->t, svc->addr, svc->pub.port,
	                    Sl_login_timeout(s));
	if (fd < 0) {
		int e = errno;

		Sl_login_say(d, dn, "connect: %s", strerror(e));
		if (e != ECONNREFUSED)
			return SL_LOGIN_ERROR;
		BLIND();
		return SL_LOGIN_BLOCKED;
	}
	c->ssh = ssh_new();
	if (c->ssh == NULL) {
		close(fd);
		Sl_login_say(d, dn, "out of memory");
		return SL_LOGIN_ERROR;
	}
	/*
	 * The socket is ours, connected to the target's own address;
	 * libssh owns it from here and closes it in ssh_disconnect.  No
	 * configuration file is read, and the host key is not checked
	 * (see the top of this file).
	 */
	ssh_options_set(c->ssh, SSH_OPTIONS_FD, &fd);
	ssh_options_set(c->ssh, SSH_OPTIONS_HOST, svc->pub.address);
	ssh_options_set(c->ssh, SSH_OPTIONS_PORT, &port);
	ssh_options_set(c->ssh, SSH_OPTIONS_USER, user);
	ssh_options_set(c->ssh, SSH_OPTIONS_TIMEOUT, &secs);
	ssh_options_set(c->ssh, SSH_OPTIONS_PROCESS_CONFIG, &no);
	ssh_options_set(c->ssh, SSH_OPTIONS_LOG_VERBOSITY, &verb);
	if (ssh_connect(c->ssh) != SSH_OK) {
		const char *e = ssh_get_error(c->ssh);

		Sl_login_say(d, dn, "ssh: %s", e);
		rc = ssh_dropped(e) ? SL_LOGIN_BLOCKED : SL_LOGIN_ERROR;
		if (rc == SL_LOGIN_BLOCKED)
			BLIND();
		ssh_drop(c);
		return rc;
	}
	snprintf(c->ssh_user, sizeof(c->ssh_user), "%s", user);
	rc = ssh_userauth_none(c->ssh, NULL);
	if (rc == SSH_AUTH_SUCCESS) {
		Sl_login_say(d, dn, "no authentication asked");
		ssh_drop(c);
		return SL_LOGIN_OK;
	}
	if (rc == SSH_AUTH_ERROR) {
		Sl_login_say(d, dn, "ssh: %s", ssh_get_error(c->ssh));
		ssh_drop(c);
		return SL_LOGIN_ERROR;
	}
	c->ssh_methods = (unsigned)ssh_userauth_list(c->ssh, NULL);
	return -1;
}

/* Keyboard-interactive: the password to every hidden prompt. */
static int
ssh_kbdint(ssh_session ss, const char *user, const char *pass)
{
	int rc, round, i, n;

	rc = ssh_userauth_kbdint(ss, NULL, NULL);
	for (round = 0; rc == SSH_AUTH_INFO && round < 4; round++) {
		n = ssh_userauth_kbdint_getnprompts(ss);
		/* UNTRUSTED: the server's prompt count. */
		for (i = 0; i < n && i < 8; i++) {
			char echo = 0;

			if (ssh_userauth_kbdint_getprompt(ss, (unsigned)i,
			                                  &echo) == NULL)
				break;
			ssh_userauth_kbdint_setanswer(ss, (unsigned)i,
			                              echo ? user : pass);
		}
		rc = ssh_userauth_kbdint(ss, NULL, NULL);
	}
	return rc == SSH_AUTH_INFO ? SSH_AUTH_DENIED : rc;
}

static enum Sl_login
ssh_login(struct sl_scan *s, const struct Sl_service *svc,
          struct Sl_login_conn *c, const char *user, const char *pass, char *d,
          size_t dn)
{
	int tries, rc;
	bool fresh;

	for (tries = 0; tries < 2; tries++) {
		/* A session keeps its user: servers refuse a change. */
		fresh = c->ssh == NULL || strcmp(c->ssh_user, user) != 0;
		if (fresh && (rc = ssh_open(s, svc, c, user, d, dn)) >= 0)
			return (enum Sl_login)rc;
		if (c->ssh_methods & SSH_AUTH_METHOD_PASSWORD)
			rc = ssh_userauth_password(c->ssh, NULL, pass);
		else if (c->ssh_methods & SSH_AUTH_METHOD_INTERACTIVE)
			rc = ssh_kbdint(c->ssh, user, pass);
		else {
			Sl_login_say(d, dn,
			             "no password login offered (%s%s%s)",
			             c->ssh_methods & SSH_AUTH_METHOD_PUBLICKEY
			                 ? "publickey"
			                 : "methods",
			             c->ssh_methods & SSH_AUTH_METHOD_HOSTBASED
			                 ? ", hostbased"
			                 : "",
			             c->ssh_methods & SSH_AUTH_METHOD_GSSAPI_MIC
			                 ? ", gssapi"
			                 : "");
			ssh_drop(c);
			return SL_LOGIN_UNSUPPORTED;
		}
		switch (rc) {
		case SSH_AUTH_SUCCESS:
		case SSH_AUTH_PARTIAL:
			Sl_login_say(d, dn, "%s",
			             rc == SSH_AUTH_SUCCESS
			                 ? "password accepted"
			                 : "password accepted, "
			                   "another factor asked");
			ssh_drop(c);
			return SL_LOGIN_OK;
		case SSH_AUTH_DENIED:
			Sl_login_say(d, dn, "password refused");
			/* The server may have had enough of this session. */
			if (!ssh_is_connected(c->ssh))
				ssh_drop(c);
			return SL_LOGIN_DENIED;
		}
		Sl_login_say(d, dn, "ssh: %s", ssh_get_error(c->ssh));
		rc = ssh_dropped(ssh_get_error(c->ssh));
		ssh_drop(c);
		if (fresh)
			return rc ? SL_LOGIN_BLOCKED : SL_LOGIN_ERROR;
	}
	return SL_LOGIN_ERROR;
}

/* ------------------------------------------------------------------ */

const struct Sl_login_proto Sl_login_ssh = {
    .names = {"ssh", NULL},
    .ports = {22, 0},
    .login = ssh_login,
    .release = ssh_drop,
};
