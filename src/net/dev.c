/*
 * dev.c - the device under test: options, the resolved target, the list
 * of services, and the public getters.
 */
#include <arpa/inet.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>

#include "../limits.h"
#include "net.h"

void
sl_device_opts_default(struct sl_device_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->ports = "1-65535";
	o->udp = true;
	o->concurrency = 0;
	o->rate = SL_NET_RATE;
	o->timeout_ms = SL_NET_TIMEOUT_MS;
	o->max_logins = SL_NET_MAX_LOGINS;
	o->bf_attempts = SL_NET_BF_ATTEMPTS;
	o->login_parallel = SL_NET_LOGIN_PARALLEL;
}

/*
 * Resolve host to at most SL_NET_MAX_ADDRS addresses, IPv4 and IPv6 both.
 * These addresses are the only ones the device side ever contacts.
 */
static sl_rc
resolve(struct sl_scan *s, struct Sl_target *t, const char *host)
{
	struct addrinfo hints = {0}, *res = NULL, *ai;
	int rc;

	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	rc = getaddrinfo(host, NULL, &hints, &res);
	if (rc != 0)
		return Sl_fail(s, SL_E_NET, "%s: cannot resolve: %s", host,
		               gai_strerror(rc));
	for (ai = res; ai != NULL && t->naddr < SL_NET_MAX_ADDRS;
	     ai = ai->ai_next) {
		size_t i, n = t->naddr;
		const void *a;

		if (ai->ai_family != AF_INET && ai->ai_family != AF_INET6)
			continue;
		if (ai->ai_addrlen > sizeof(t->addr[n]))
			continue;
		a = ai->ai_family == AF_INET
		        ? (const void *)&((struct sockaddr_in *)ai->ai_addr)
		              ->sin_addr
		        : (const void *)&((struct sockaddr_in6 *)ai->ai_addr)
		              ->sin6_addr;
		if (inet_ntop(ai->ai_family, a, t->text[n],
		              sizeof(t->text[n])) == NULL)
			continue;
		for (i = 0; i < n; i++)
			if (strcmp(t->text[i], t->text[n]) == 0)
				break;
		if (i < n)
			continue;
		memcpy(&t->addr[n], ai->ai_addr, ai->ai_addrlen);
		t->alen[n] = ai->ai_addrlen;
		t->naddr++;
	}
	freeaddrinfo(res);
	if (t->naddr == 0)
		return Sl_fail(s, SL_E_NET, "%s: no IPv4 or IPv6 address",
		               host);
	return SL_OK;
}

sl_rc
Sl_dev_open(struct sl_scan *s, const char *host, const struct sl_device_opts *o)
{
	struct Sl_dev *d;
	sl_rc rc;

	if (host == NULL || *host == 0)
		return Sl_fail(s, SL_E_USAGE, "empty device host");
	if (s->dev != NULL)
		return Sl_fail(s, SL_E_USAGE, "one device per scan");
	d = Sl_arena_alloc(&s->arena, sizeof(*d));
	if (d == NULL)
		return Sl_fail(s, SL_E_NOMEM, "out of memory");
	memset(d, 0, sizeof(*d));
	if (o != NULL)
		d->o = *o;
	else
		sl_device_opts_default(&d->o);
	if (d->o.ports == NULL)
		d->o.ports = "1-65535";
	if (d->o.timeout_ms == 0)
		d->o.timeout_ms = SL_NET_TIMEOUT_MS;
	if (d->o.rate == 0)
		d->o.rate = SL_NET_RATE;
	if (d->o.login_parallel == 0)
		d->o.login_parallel = SL_NET_LOGIN_PARALLEL;
	d->o.ports = Sl_arena_strdup(&s->arena, d->o.ports);
	if (d->o.creds_file)
		d->o.creds_file = Sl_arena_strdup(&s->arena, d->o.creds_file);
	if (d->o.ca_file)
		d->o.ca_file = Sl_arena_strdup(&s->arena, d->o.ca_file);
	d->t.host = Sl_arena_strdup(&s->arena, host);
	if (d->o.ports == NULL || d->t.host == NULL)
		return Sl_fail(s, SL_E_NOMEM, "out of memory");
	if ((rc = resolve(s, &d->t, host)) != SL_OK)
		return rc;
	s->dev = d;
	Sl_scan_on_free(s, SL_FREE_DEVICE, Sl_dev_release);
	if (s->device == NULL)
		s->device = d->t.host;
	return SL_OK;
}

void
Sl_dev_release(struct sl_scan *s)
{
	if (s->dev != NULL) {
		free(s->dev->svc);
		s->dev->svc = NULL;
		s->dev = NULL;
	}
}

struct Sl_service *
Sl_service_add(struct sl_scan *s, int ipproto, size_t addr, unsigned port)
{
	struct Sl_dev *d = s->dev;
	struct Sl_service *v = NULL;
	size_t i;

	if (d == NULL || addr >= d->t.naddr)
		return NULL;
	pthread_mutex_lock(&s->lock);
	for (i = 0; i < d->nsvc; i++)
		if (d->svc[i]->ipproto == ipproto && d->svc[i]->addr == addr &&
		    d->svc[i]->pub.port == port) {
			v = d->svc[i];
			goto out;
		}
	if (d->nsvc >= SL_NET_MAX_SERVICES)
		goto out;
	v = Sl_arena_alloc(&s->arena, sizeof(*v));
	if (v == NULL)
		goto out;
	memset(v, 0, sizeof(*v));
	v->addr = addr;
	v->ipproto = ipproto;
	v->pub.proto = ipproto == IPPROTO_UDP ? "udp" : "tcp";
	v->pub.address = d->t.text[addr];
	v->pub.port = port;
	v->pub.name = "unknown";
	if (!Sl_ptr_push((void ***)&d->svc, &d->nsvc, &d->capsvc, v))
		v = NULL;
	d->sorted = false;
out:
	pthread_mutex_unlock(&s->lock);
	return v;
}

struct Sl_service *
Sl_service_find(struct sl_scan *s, int ipproto, unsigned port)
{
	size_t i;

	if (s->dev == NULL)
		return NULL;
	for (i = 0; i < s->dev->nsvc; i++)
		if (s->dev->svc[i]->ipproto == ipproto &&
		    s->dev->svc[i]->pub.port == port)
			return s->dev->svc[i];
	return NULL;
}

const char *
Sl_dev_str(struct sl_scan *s, const char *str)
{
	char *p;

	if (str == NULL)
		return NULL;
	pthread_mutex_lock(&s->lock);
	p = Sl_arena_strdup(&s->arena, str);
	pthread_mutex_unlock(&s->lock);
	return p;
}

const char *
Sl_dev_printable(struct sl_scan *s, const void *p, size_t n)
{
	const uint8_t *b = p;
	char *out;
	size_t i;

	if (n > SL_NET_MAX_BANNER)
		n = SL_NET_MAX_BANNER;
	pthread_mutex_lock(&s->lock);
	out = Sl_arena_alloc(&s->arena, n + 1);
	pthread_mutex_unlock(&s->lock);
	if (out == NULL)
		return NULL;
	for (i = 0; i < n; i++)
		out[i] = b[i] >= 0x20 && b[i] < 0x7f ? (char)b[i] : '.';
	out[n] = 0;
	return out;
}

/* Services in a stable order: proto, port, address. */
static int
svc_cmp(const void *a, const void *b)
{
	const struct Sl_service *x = *(struct Sl_service *const *)a;
	const struct Sl_service *y = *(struct Sl_service *const *)b;

	if (x->ipproto != y->ipproto)
		return x->ipproto == IPPROTO_TCP ? -1 : 1;
	if (x->pub.port != y->pub.port)
		return x->pub.port < y->pub.port ? -1 : 1;
	return x->addr < y->addr ? -1 : x->addr > y->addr;
}

size_t
sl_service_count(const struct sl_scan *s)
{
	return s->dev ? s->dev->nsvc : 0;
}

const struct sl_service *
sl_service_get(const struct sl_scan *s, size_t i)
{
	struct Sl_dev *d = s->dev;

	if (d == NULL || i >= d->nsvc)
		return NULL;
	if (!d->sorted) {
		qsort(d->svc, d->nsvc, sizeof(d->svc[0]), svc_cmp);
		d->sorted = true;
	}
	return &d->svc[i]->pub;
}
