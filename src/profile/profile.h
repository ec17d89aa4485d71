/*
 * profile.h - the vendor's product profile (docs/profile.md), parsed from
 * YAML with libyaml.  Everything is copied into the scan's arena.
 */
#ifndef SL_PROFILE_H
#define SL_PROFILE_H

#include "../core/scan.h"
#include "../limits.h"

/* An interface the product declares, with its purpose. */
struct Sl_iface {
	const char *proto; /* "tcp" or "udp" */
	unsigned port;
	const char *service; /* "https", "mqtts", ... or NULL */
	const char *purpose;
	const char *auth; /* how access is controlled, or NULL */
};

/* A credential the user set on the unit under test (known good). */
struct Sl_cred {
	const char *service; /* "ssh", "http", "mqtt", ... or NULL: any */
	const char *user;
	const char *pass;
};

/* How to read the installed version from the device (S1.1-06). */
struct Sl_version_probe {
	const char *kind;    /* "http", "ssh", "snmp", "banner", "upnp" */
	unsigned port;       /* 0: the service's usual port */
	const char *path;    /* http: the path to fetch */
	const char *command; /* ssh: the command to run */
	const char
	    *pattern; /* POSIX ERE; group 1 (or the match) is the version */
};

struct Sl_doc {
	const char *req;  /* "S1.1-05" */
	const char *item; /* for S1.1-16, "(1)".."(5)"; else NULL */
	const char *ref;  /* URL or document name */
};

struct Sl_na {
	const char *req;
	const char *reason;
};

struct Sl_profile {
	const char *path;
	const char *vendor, *model, *version;
	/* S1.1-02: "unique" (per-device random) or "forced-change", or NULL. */
	const char *password_scheme;
	bool constrained; /* S1.1-04: a constrained device (exempt) */
	struct Sl_iface *ifaces;
	size_t nifaces;
	struct Sl_cred *creds;
	size_t ncreds;
	struct Sl_version_probe version_probe; /* kind NULL when not given */
	struct Sl_doc *docs;
	size_t ndocs;
	struct Sl_na *na;
	size_t nna;
	/* Label data: the product name, the end of security support. */
	const char *name, *support_until; /* support_until: YYYY-MM-DD */
	/* The DNS name clients reach a unit by ("sl-cam200.local"): the
	 * TLS certificate must name it (net.tls). */
	const char *host_name;
	/*
	 * assess: what `starlab assess --profile P` examines when the
	 * command line names nothing: images (paths resolved against the
	 * profile's directory), device hosts, a snapshot directory.
	 */
	const char *assess_fw[SL_ASSESS_MAX_UNITS];
	size_t nassess_fw;
	const char *assess_dev[SL_ASSESS_MAX_UNITS];
	size_t nassess_dev;
	const char *assess_snapshots;
	/* The cloud API (a URL) with its OpenAPI document, the companion
	 * app (an APK): paths resolved as above. */
	const char *assess_service, *assess_openapi, *assess_app;
	/*
	 * service: how the cloud API is assessed (starlab service, assess
	 * --service): the intrusive steps allowed (registrations with weak
	 * passwords, binding by serial), a captured request to replay (the
	 * product's requests carry a nonce or timestamp; path resolved
	 * against the profile's directory), the longest token lifetime the
	 * product allows (seconds; 0: not given).
	 */
	struct {
		bool intrusive;
		const char *replay;
		unsigned max_token_life;
	} service;
};

/*
 * Parse a profile held in memory (tests, the fuzz target; the public
 * sl_scan_load_profile reads a file and calls this).  name is used in
 * error messages ("name:line:col: what").  On SL_OK s->profile is set;
 * on failure it is left unchanged and sl_scan_error() says why.
 */
sl_rc Sl_profile_parse(struct sl_scan *s, const char *name, const uint8_t *data,
                       size_t len);

/* Does the profile declare proto/port as an interface? */
bool Sl_profile_declares(const struct Sl_profile *p, const char *proto,
                         unsigned port);

#endif
