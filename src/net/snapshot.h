/*
 * snapshot.h - the snapshot document of the power-loss and factory-reset
 * workflow (S1.1-14, S1.1-15; docs/snapshot.md), parsed back for the
 * comparison.  snapshot.c takes and compares; the parser is exported for
 * the unit tests and the fuzz target (snapshot_fuzz.c).
 */
#ifndef SL_SNAPSHOT_H
#define SL_SNAPSHOT_H

#include <stdbool.h>
#include <stddef.h>

/* Bytes of one snapshot document at most. */
#define SL_SNAP_MAX_JSON (1U << 20)
/* Entries of any list in a snapshot at most. */
#define SL_SNAP_MAX_LIST 256
/* Bytes of a string kept from a snapshot, NUL included. */
#define SL_SNAP_STR 160

/* The document's "format" and "format_version". */
#define SL_SNAP_FORMAT         "starlab-snapshot"
#define SL_SNAP_FORMAT_VERSION 1

/* What one login attempt, or a service's run of them, answered. */
enum Sl_snap_res {
	SL_SNAP_NONE = 0, /* not recorded */
	SL_SNAP_ACCEPTED, /* logged in */
	SL_SNAP_DENIED,   /* every credential refused */
	SL_SNAP_BLOCKED,  /* refused as locked out or rate limited */
	SL_SNAP_ERROR,    /* could not tell */
};

/* One entry of user_credentials or default_credentials. */
struct Sl_snap_login {
	char service[16];       /* "ssh", "http", "snmp", ... */
	unsigned port;          /* udp for snmp, else tcp */
	char user[SL_SNAP_STR]; /* user_credentials: the user */
	enum Sl_snap_res res;
	unsigned tried;             /* default_credentials: attempts */
	char accepted[SL_SNAP_STR]; /* default_credentials: "root:root" */
};

/* A parsed snapshot. */
struct Sl_snap {
	char taken_at[32];
	char host[256];
	char event[16]; /* "power-cycle", "factory-reset" or "" */
	/* The version as the profile's version_probe read it. */
	char version_probe[SL_SNAP_STR]; /* "http 80 /status", "" none */
	bool has_version;
	char version[SL_SNAP_STR];
	char version_error[SL_SNAP_STR];
	/* Open TCP ports among those checked. */
	unsigned open[SL_SNAP_MAX_LIST];
	size_t nopen;
	size_t nchecked;
	struct Sl_snap_login user[SL_SNAP_MAX_LIST];
	size_t nuser;
	struct Sl_snap_login def[SL_SNAP_MAX_LIST];
	size_t ndef;
};

/*
 * Parse n bytes of a snapshot document into *out.  The document is
 * untrusted (it holds what a device answered, and it may have been edited
 * since): every list and string is bounded, types are checked, unknown
 * keys are ignored.  Returns 0, or -1 with the reason in err.
 */
int Sl_snap_parse(const char *json, size_t n, struct Sl_snap *out, char *err,
                  size_t errlen);

struct sl_scan;
struct Sl_service;
struct Sl_cred;

/*
 * Read the installed version of s->dev the way s->profile's version_probe
 * says (the reader sl_snapshot_take uses; net.identity uses it too).  svc
 * are the open TCP services to choose from (nsvc of them), snmp the
 * udp/161 service or NULL, c the credential for an http probe (NULL:
 * none).  Returns true with the version (printable, at most n - 1 bytes)
 * in out; else err says why.
 */
bool Sl_version_probe_read(struct sl_scan *s, struct Sl_service *const *svc,
                           size_t nsvc, struct Sl_service *snmp,
                           const struct Sl_cred *c, char *out, size_t n,
                           char *err, size_t errlen);

/* "accepted", "denied", ... and back (SL_SNAP_NONE for anything else). */
const char *Sl_snap_res_name(enum Sl_snap_res r);
enum Sl_snap_res Sl_snap_res_parse(const char *s);

#endif
