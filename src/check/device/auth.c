/*
 * auth.c - helpers of the authentication checks (unauth.c, creds.c,
 * bruteforce.c): the list of login services, the web services' login
 * paths, random credentials, the profile's known-good credential, and
 * one thread per service.
 *
 * Trust: the services come from the port scan and the probes; a web
 * service's login path comes from what the device answered (login.c
 * bounds those reads).  The profile is the tester's.
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/random.h>

#include "auth.h"

static bool
named(const struct Sl_service *v, const char *const *names)
{
	for (; *names != NULL; names++)
		if (strcmp(v->pub.name, *names) == 0)
			return true;
	return false;
}

static bool
is_web(const struct Sl_service *v)
{
	return v->ipproto == IPPROTO_TCP && (strcmp(v->pub.name, "http") == 0 ||
	                                     strcmp(v->pub.name, "https") == 0);
}

size_t
Sl_auth_services(struct sl_scan *s, struct Sl_service *out, size_t max,
                 bool with_snmp)
{
	static const char *const tcp_login[] = {"ssh",  "telnet", "ftp",
	                                        "mqtt", "mqtts",  "rtsp",
	                                        "http", "https",  NULL};
	struct Sl_dev *d = s->dev;
	size_t i, j, n = 0;
	CURL *h = NULL;

	if (d == NULL)
		return 0;
	for (i = 0; i < d->nsvc && n < max; i++) {
		struct Sl_service *v = d->svc[i];
		bool want = v->ipproto == IPPROTO_TCP
		                ? named(v, tcp_login)
		                : with_snmp && strcmp(v->pub.name, "snmp") == 0;

		if (!want)
			continue;
		/* One per protocol and port: the lowest address. */
		for (j = 0; j < n; j++)
			if (out[j].ipproto == v->ipproto &&
			    out[j].pub.port == v->pub.port)
				break;
		if (j < n) {
			if (v->addr < out[j].addr)
				out[j] = *v;
			continue;
		}
		out[n++] = *v;
	}
	/* Web services count only where they ask for credentials. */
	for (i = 0; i < n;) {
		struct Sl_service *v = &out[i];
		struct Sl_service *real;
		const char *auth = NULL;
		char path[512];

		if (!is_web(v) || (v->auth != NULL && v->realm_path != NULL)) {
			i++;
			continue;
		}
		if (Sl_http_find_login(s, v, &h, &auth, path, sizeof(path))) {
			v->auth = Sl_dev_str(s, auth);
			v->realm_path = Sl_dev_str(s, path);
			/* Remember it on the service for the next check. */
			real = Sl_service_find(s, IPPROTO_TCP, v->pub.port);
			pthread_mutex_lock(&s->lock);
			if (real != NULL && real->auth == NULL &&
			    real->realm_path == NULL) {
				real->auth = v->auth;
				real->realm_path = v->realm_path;
			}
			pthread_mutex_unlock(&s->lock);
			i++;
			continue;
		}
		memmove(v, v + 1, (n - i - 1) * sizeof(*v));
		n--;
	}
	if (h != NULL)
		curl_easy_cleanup(h);
	return n;
}

void
Sl_auth_where(const struct Sl_service *svc, char *out, size_t n)
{
	snprintf(out, n, "%s/%u %s", svc->pub.proto, svc->pub.port,
	         svc->pub.name);
}

void
Sl_auth_random(char *out, size_t n, const char *prefix)
{
	static const char hex[] = "0123456789abcdef";
	uint8_t r[8];
	size_t i, k;

	if (getrandom(r, sizeof(r), 0) != (ssize_t)sizeof(r)) {
		uint64_t t = Sl_now_ms() ^ (uint64_t)(uintptr_t)out;

		memcpy(r, &t, sizeof(r));
	}
	k = (size_t)snprintf(out, n, "%s", prefix);
	for (i = 0; i < sizeof(r) && k + 2 < n; i++) {
		out[k++] = hex[r[i] >> 4];
		out[k++] = hex[r[i] & 15];
	}
	if (k < n)
		out[k] = 0;
}

/* http and https are one family, and so are mqtt and mqtts. */
static bool
same_family(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);

	if (la > 0 && a[la - 1] == 's' && la - 1 == lb &&
	    strncmp(a, b, lb) == 0)
		return true;
	if (lb > 0 && b[lb - 1] == 's' && lb - 1 == la &&
	    strncmp(a, b, la) == 0)
		return true;
	return strcmp(a, b) == 0;
}

const struct Sl_cred *
Sl_auth_profile_cred(const struct sl_scan *s, const struct Sl_service *svc)
{
	const struct Sl_profile *p = s->profile;
	size_t i;

	if (p == NULL)
		return NULL;
	/* A credential for this very service first, then one for any. */
	for (i = 0; i < p->ncreds; i++)
		if (p->creds[i].service != NULL && p->creds[i].user != NULL &&
		    p->creds[i].pass != NULL &&
		    same_family(p->creds[i].service, svc->pub.name))
			return &p->creds[i];
	for (i = 0; i < p->ncreds; i++)
		if (p->creds[i].service == NULL && p->creds[i].user != NULL &&
		    p->creds[i].pass != NULL)
			return &p->creds[i];
	return NULL;
}

struct each_arg {
	struct sl_scan *s;
	struct Sl_service *svc;
	Sl_auth_fn fn;
	void *result;
};

static void *
each_main(void *p)
{
	struct each_arg *a = p;

	a->fn(a->s, a->svc, a->result);
	return NULL;
}

void
Sl_auth_each(struct sl_scan *s, struct Sl_service *svc, size_t n, Sl_auth_fn fn,
             void *results, size_t size)
{
	struct each_arg arg[SL_AUTH_MAX_SERVICES];
	pthread_t th[SL_AUTH_MAX_SERVICES];
	bool started[SL_AUTH_MAX_SERVICES];
	size_t i;

	if (n > SL_AUTH_MAX_SERVICES)
		n = SL_AUTH_MAX_SERVICES;
	for (i = 0; i < n; i++) {
		arg[i].s = s;
		arg[i].svc = &svc[i];
		arg[i].fn = fn;
		arg[i].result = (char *)results + i * size;
		started[i] = n > 1 && pthread_create(&th[i], NULL, each_main,
		                                     &arg[i]) == 0;
		if (!started[i])
			each_main(&arg[i]);
	}
	for (i = 0; i < n; i++)
		if (started[i])
			pthread_join(th[i], NULL);
}
