/*
 * starlab.h - the one public header of libstarlab.
 *
 * libstarlab assesses an IoT product against the JC-STAR STAR-1
 * requirements.  A client (the `starlab` program is one) creates a scan,
 * feeds it a firmware image and/or a device address, and asks for the
 * findings, the sixteen verdicts and the report in one of several formats.
 *
 * The library never prints and never exits.  Every call that can fail
 * returns an sl_rc; the human-readable detail of the last failure is kept
 * on the scan and read with sl_scan_error().  Every pointer the library
 * hands out is owned by the scan it came from and lives until
 * sl_scan_free(), unless the comment says otherwise.
 */
#ifndef STARLAB_H
#define STARLAB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(SL_BUILDING_LIBRARY)
#define SL_API __attribute__((visibility("default")))
#else
#define SL_API
#endif

#define SL_VERSION "0.1.0"

/*
 * Result codes.  Append-only: a code keeps its number forever, so scripts
 * and reports may rely on it.
 */
typedef enum {
	SL_OK = 0,
	SL_E_NOMEM,       /* 1 out of memory or the arena ceiling was hit */
	SL_E_LIMIT,       /* 2 a configured bound was reached */
	SL_E_MALFORMED,   /* 3 input breaks its own format */
	SL_E_UNSUPPORTED, /* 4 no reader recognised the input */
	SL_E_IO,          /* 5 a file could not be read or written */
	SL_E_NET,         /* 6 a network operation failed */
	SL_E_TIMEOUT,     /* 7 a step ran out of time */
	SL_E_USAGE,       /* 8 the caller passed something invalid */
	SL_E_LAST         /* never returned; add new codes above */
} sl_rc;

SL_API const char *sl_strerror(sl_rc rc);
SL_API const char *sl_version(void);

/* ------------------------------------------------------------------ */
/* The STAR-1 requirement catalogue                                    */
/* ------------------------------------------------------------------ */

/* How the scheme assesses a requirement. */
enum sl_method {
	SL_METHOD_DOC = 1,  /* document assessment */
	SL_METHOD_DEV = 2,  /* device check */
	SL_METHOD_BOTH = 3, /* both */
};

/* Evidence sources starlab can use for a requirement (bit set). */
#define SL_SRC_FIRMWARE 0x1 /* static analysis of the firmware image */
#define SL_SRC_NETWORK  0x2 /* live checks of the device */
#define SL_SRC_PROFILE  0x4 /* the vendor's product profile */

/* One cross-reference to another scheme, e.g. {"ETSI EN 303 645", "5.1-1"}. */
struct sl_xref {
	const char *scheme;
	const char *refs;
};

struct sl_requirement {
	const char *id;              /* "S1.1-01" .. "S1.1-16" */
	const char *title;           /* one line */
	const char *category;        /* security requirement category */
	const char *summary;         /* what a conformant product does */
	enum sl_method method;       /* how the scheme assesses it */
	const char *not_applicable;  /* when it is NA, or NULL */
	unsigned sources;            /* SL_SRC_* starlab draws evidence from */
	const char *starlab_checks;  /* what starlab does for it */
	const char *evidence_needed; /* what makes it conformant */
	const struct sl_xref *xrefs; /* cross-references */
	size_t nxrefs;
};

/* The sixteen requirements in order; *n receives the count. */
SL_API const struct sl_requirement *sl_requirements(size_t *n);
/* The requirement with this id, or NULL. */
SL_API const struct sl_requirement *sl_requirement_find(const char *id);
SL_API const char *sl_method_name(enum sl_method m);

/*
 * The data compiled into the library, for `starlab --version` and for
 * reports that must say what they were judged against.
 */
struct sl_data_info {
	char vulns_date[11]; /* "2026-06-17": the newest NVD last-modified
	                        date in the bundled CVE set */
	size_t vulns_cves;   /* distinct CVE ids in the bundled set */
	size_t vulns_ranges; /* affected version ranges (rows) */
	size_t passwords;    /* default passwords tried and matched */
	size_t requirements; /* STAR-1 requirements (16) */
};
SL_API void sl_data_versions(struct sl_data_info *d);

/* ------------------------------------------------------------------ */
/* Limits on untrusted input                                           */
/* ------------------------------------------------------------------ */

struct sl_limits {
	unsigned max_depth; /* container nesting depth */
	uint64_t max_total; /* bytes decompressed over the whole scan */
	uint64_t max_file;  /* bytes of one file's content */
	unsigned max_ratio; /* decompressed/compressed, per stream */
	uint64_t max_files; /* entries in the virtual tree */
	unsigned max_path;  /* bytes of one entry's full path */
	unsigned threads;   /* worker threads; 0 = one per core */
};

/* Fill *l with the defaults from src/limits.h. */
SL_API void sl_limits_default(struct sl_limits *l);

/* ------------------------------------------------------------------ */
/* The scan                                                            */
/* ------------------------------------------------------------------ */

struct sl_scan;

/*
 * Create a scan with these limits (NULL: the defaults).  Returns NULL only
 * when memory is exhausted.  Release with sl_scan_free(), which accepts
 * NULL.
 */
SL_API struct sl_scan *sl_scan_new(const struct sl_limits *lim);
SL_API void sl_scan_free(struct sl_scan *s);

/* Detail of the last error on this scan ("" when none). */
SL_API const char *sl_scan_error(const struct sl_scan *s);

/*
 * Open the firmware image at path and unpack it into the scan's virtual
 * tree.  Returns SL_OK even when parts of the image could not be read:
 * those are listed by sl_scan_incomplete().  Returns an error only when the
 * image could not be processed at all (missing, unreadable, not a regular
 * file, empty).  At most one image per scan.
 */
SL_API sl_rc sl_scan_firmware(struct sl_scan *s, const char *path);

/*
 * Say, before sl_scan_firmware(), that sl_scan_check_firmware() will
 * follow.  The checks that search file content then do so while the image
 * is unpacked, so that each file is decompressed once rather than twice.
 * Optional: the findings are the same either way.
 */
SL_API sl_rc sl_scan_will_check(struct sl_scan *s);

/*
 * Run every firmware check over the virtual tree, adding findings.  A
 * check that cannot finish is listed as incomplete; the others still run.
 */
SL_API sl_rc sl_scan_check_firmware(struct sl_scan *s);

/* Record the device host this scan is about (for the report subject). */
SL_API sl_rc sl_scan_set_device(struct sl_scan *s, const char *host);

/*
 * Options of the firmware checks.  Each takes a path and keeps a copy;
 * the file is read when the checks run.
 *   vuln_db: a directory of NVD JSON 2.0 (CVE API pages or feeds) and/or
 *            OSV JSON files, matched in addition to the bundled data set.
 *   update_key: a public key (PEM, usign/signify, or a DER certificate)
 *            with which the image's update signature is verified.
 */
SL_API sl_rc sl_scan_set_vuln_db(struct sl_scan *s, const char *dir);
SL_API sl_rc sl_scan_set_update_key(struct sl_scan *s, const char *path);

/*
 * Compare the firmware of two units (both scans unpacked and checked): the
 * same password hash for the same account, or the same private key, in
 * both means a universal secret.  Findings are added to both scans.
 */
SL_API sl_rc sl_scan_compare_firmware(struct sl_scan *a, struct sl_scan *b);

/*
 * Load the vendor's product profile (YAML, docs/profile.md): declared
 * interfaces, model and version, a known-good credential, the documents
 * behind the document-assessed requirements, not-applicable reasons.
 */
SL_API sl_rc sl_scan_load_profile(struct sl_scan *s, const char *path);

/*
 * A field of the loaded profile: "path", "vendor", "model", "version",
 * "name", "support_until", "host_name", "assess.snapshots", "assess.service",
 * "assess.openapi", "assess.app"; NULL when absent.
 * And the i-th target of its assess: section, kind "firmware" (a path resolved
 * against the profile's directory) or "device" (a host); NULL past the
 * end.
 */
SL_API const char *sl_profile_get(const struct sl_scan *s, const char *key);
SL_API const char *sl_profile_target(const struct sl_scan *s, const char *kind,
                                     size_t i);

/* Reasons the scan is incomplete: count, and the i-th reason. */
SL_API size_t sl_scan_incomplete_count(const struct sl_scan *s);
SL_API const char *sl_scan_incomplete(const struct sl_scan *s, size_t i);

/*
 * True when no reader recognised anything in the image: no container, no
 * file system, only unknown bytes.  An incomplete reason then says why
 * (size, entropy); nothing in the image was examined.
 */
SL_API bool sl_scan_unrecognised(const struct sl_scan *s);

/* ------------------------------------------------------------------ */
/* The device                                                          */
/* ------------------------------------------------------------------ */

/*
 * How a device is examined.  Only the host given is ever contacted.
 * Anything that may change the device's state (a lockout of the real
 * account, a setting written) runs only with intrusive set.
 */
struct sl_device_opts {
	const char
	    *ports; /* TCP ports, "1-65535" (default), "22,80,8000-8100" */
	bool udp;   /* probe the common IoT UDP services (default on) */
	unsigned
	    concurrency; /* connects in flight at most; 0 = adaptive default */
	unsigned rate;   /* new connections per second at most; 0 = default */
	unsigned timeout_ms; /* one network step (connect, read); 0 = default */
	unsigned max_logins; /* default-credential attempts per service */
	unsigned
	    bf_attempts; /* wrong passwords tried for brute-force detection */
	unsigned login_parallel; /* login attempts in flight per service */
	bool intrusive;          /* allow steps that may change device state */
	const char *creds_file;  /* extra "user:password" lines, or NULL */
	const char
	    *ca_file; /* PEM trust anchors for the device's TLS, or NULL */
};

SL_API void sl_device_opts_default(struct sl_device_opts *o);

/*
 * Examine the device at host (a name, an IPv4 or an IPv6 address): scan
 * the ports, identify the services, and run every device check.  Returns
 * SL_OK even when some steps failed or were cancelled; those are listed by
 * sl_scan_incomplete().  Errors only when nothing could be done (the host
 * does not resolve, bad options).
 */
SL_API sl_rc sl_scan_device(struct sl_scan *s, const char *host,
                            const struct sl_device_opts *o);

/*
 * Ask a running sl_scan_device() to stop soon; what was found so far is
 * kept and the scan is marked incomplete.  Async-signal-safe: may be called
 * from a SIGINT handler.
 */
SL_API void sl_scan_cancel(struct sl_scan *s);

/* ------------------------------------------------------------------ */
/* Associated services: the product's cloud API and companion app      */
/* ------------------------------------------------------------------ */

#define SL_SERVICE_MAX_ACCOUNTS 4

/*
 * Options of sl_scan_service.  Every request goes to the origin of the
 * URL given, and max_requests and rate bound the whole run.
 */
struct sl_service_opts {
	const char
	    *openapi; /* the OpenAPI 3 document (JSON or YAML), required */
	const char *accounts[SL_SERVICE_MAX_ACCOUNTS]; /* "user:password" */
	size_t naccounts; /* besides those the profile names (service: api) */
	unsigned max_requests; /* requests in all (default 300) */
	unsigned rate;         /* requests per second at most (default 50) */
	unsigned timeout_ms;   /* one request (default 5000) */
	unsigned
	    bf_attempts; /* wrong passwords for the rate check (default 20) */
	unsigned max_token_life; /* seconds a token may live (default 86400) */
	const char *ca_file; /* PEM trust anchors for the API's TLS, or NULL */
	/* Steps that change the service's state: accounts made with weak
	 * passwords (and removed when the API allows), a device of the
	 * second account bound to the first by serial (and bound back). */
	bool intrusive;
	/* A captured request (raw HTTP/1.x, as saved from a proxy) to send
	 * twice: is a replay taken?  NULL: not tried. */
	const char *replay;
};
SL_API void sl_service_opts_default(struct sl_service_opts *o);

/*
 * Examine the vendor API at url (http or https) described by o->openapi:
 * protected operations answered without a token, the login's bearer
 * token (JWT algorithm, secret, signature, expiry, lifetime), user
 * enumeration, login rate limiting (last: it stops at the first sign of
 * lockout), one account's token used on another's resources, and TLS.
 * Only GET requests and the login's POST are sent, unless o->intrusive
 * (registration, password change, device binding, the made accounts'
 * removal) or o->replay (the capture, twice).  Adds findings and
 * coverage to s, so that it can follow sl_scan_device or
 * sl_scan_firmware on the same scan.  SL_E_USAGE for a bad URL or
 * options, SL_E_MALFORMED for a document that cannot be used (with
 * sl_scan_error saying where); network trouble is recorded as
 * incomplete.
 */
SL_API sl_rc sl_scan_service(struct sl_scan *s, const char *url,
                             const struct sl_service_opts *o);

/*
 * Examine the companion app at path (an Android APK): unpack it as
 * firmware, then look for hardcoded secrets and cloud keys, cleartext
 * endpoints, trust-all certificate checks in the code, the
 * usesCleartextTraffic and debuggable flags of the binary manifest, and
 * tokens in plaintext preference files.  Adds findings to s (which must
 * hold no other image).
 */
SL_API sl_rc sl_scan_app(struct sl_scan *s, const char *path);
/*
 * True once sl_scan_cancel() was called: the scan did not finish, and its
 * report says so (SARIF executionSuccessful false, an incomplete reason).
 */
SL_API bool sl_scan_cancelled(const struct sl_scan *s);

/*
 * Progress of a long run, for a client's progress line.  The library
 * never prints: it calls the client's function with the stage and its
 * counts.  Calls come from whichever of the scan's threads made the
 * progress, one at a time (under a lock of the scan), at most about ten
 * times a second per stage plus once when a stage begins and once when
 * it ends; the function must be quick and must not call back into the
 * scan.  *p is valid during the call only.
 */
enum sl_stage {
	SL_STAGE_UNPACK = 1,    /* done: bytes decoded so far, extra: files */
	SL_STAGE_CHECKS,        /* firmware checks: done of total */
	SL_STAGE_PORTS,         /* TCP ports tried of total, extra: open */
	SL_STAGE_UDP,           /* UDP probes (begin and end) */
	SL_STAGE_SERVICES,      /* services identified of total (open ports) */
	SL_STAGE_DEVICE_CHECKS, /* device checks done of total; name: the
	                           check running (net.creds tries logins,
	                           net.tls grades the TLS endpoints) */
};

struct sl_progress {
	enum sl_stage stage;
	const char *stage_name; /* "unpack", "checks", "ports", "udp",
	                           "services", "device-checks" */
	const char *name;       /* what runs now (a check id), or NULL */
	uint64_t done, total;   /* total 0: not known */
	uint64_t extra;         /* as the stage says */
	bool finished;          /* the stage's last call */
};

typedef void (*sl_progress_fn)(const struct sl_progress *p, void *user);

/* Have fn called with the progress of s; NULL stops it. */
SL_API void sl_scan_set_progress(struct sl_scan *s, sl_progress_fn fn,
                                 void *user);

/* One service found on the device. */
struct sl_service {
	const char *proto; /* "tcp" or "udp" */
	const char
	    *address; /* the address it answered on, "10.0.0.2", "fd00::2" */
	unsigned port;
	const char *name; /* "ssh", "http", "telnet", "mqtt", ..., "unknown" */
	bool tls;         /* spoke TLS */
	const char
	    *banner; /* first bytes it sent or answered, printable, or NULL */
	const char *product; /* "dropbear", "lighttpd", ..., or NULL */
	const char *version; /* "2022.83", or NULL */
	bool declared;       /* the profile declares this interface */
};

SL_API size_t sl_service_count(const struct sl_scan *s);
SL_API const struct sl_service *sl_service_get(const struct sl_scan *s,
                                               size_t i);

/*
 * Power-loss and factory-reset workflow (S1.1-14, S1.1-15).  A snapshot
 * records, as JSON, what the device answers now: its version, whether the
 * default credentials and the profile's user credential log in, the open
 * ports.  sl_snapshot_take returns malloc'd JSON the caller frees (NULL on
 * failure; see sl_scan_error).  sl_snapshot_compare adds the findings and
 * verdict evidence for two snapshots taken before and after the event.
 */
SL_API char *sl_snapshot_take(struct sl_scan *s, const char *host,
                              const struct sl_device_opts *o);
SL_API sl_rc sl_snapshot_compare(struct sl_scan *s, const char *before_json,
                                 const char *after_json);

/* ------------------------------------------------------------------ */
/* Components and known vulnerabilities                                */
/* ------------------------------------------------------------------ */

/* A software component seen in the firmware or on the device. */
struct sl_component {
	const char *name;    /* normalised: "busybox", "openssl", "linux" */
	const char *version; /* as found: "1.31.1", "1.1.1k" */
	const char *purl;    /* package URL, or NULL */
	const char *cpe;     /* CPE 2.3 name, or NULL */
	unsigned source;     /* SL_SRC_FIRMWARE or SL_SRC_NETWORK */
	struct sl_evidence_ref {
		const char *path; /* tree path, or NULL */
		const char *host; /* or host and port */
		unsigned port;
	} where;
	const char **cves; /* matched CVE ids, NULL-terminated */
};

SL_API size_t sl_component_count(const struct sl_scan *s);
SL_API const struct sl_component *sl_component_get(const struct sl_scan *s,
                                                   size_t i);

/* ------------------------------------------------------------------ */
/* The virtual tree                                                    */
/* ------------------------------------------------------------------ */

enum sl_ftype {
	SL_FT_REG = 1,
	SL_FT_DIR,
	SL_FT_LNK,
	SL_FT_CHR,
	SL_FT_BLK,
	SL_FT_FIFO,
	SL_FT_SOCK,
	SL_FT_HARDLINK,  /* a hard link; link names the target entry */
	SL_FT_CONTAINER, /* a container found in its parent (a layer) */
	SL_FT_REGION,    /* bytes no reader explains */
};

/*
 * One entry of the virtual tree.  path shows the nesting:
 *
 *	firmware.bin@0x200000:squashfs!/etc/shadow
 *	`----------'`-------'`-------' `---------'
 *	  the image  offset   format    path inside
 *
 * Offsets are omitted when zero.  A container entry is the part before
 * the '!', and a region entry is "parent@0xOFF".
 */
struct sl_entry {
	const char *path;
	enum sl_ftype type;
	uint32_t mode; /* permission bits and set-id bits (07777) */
	uint32_t uid, gid;
	uint64_t size;
	int64_t mtime;      /* seconds since the epoch, 0 when unknown */
	const char *link;   /* symlink or hard-link target, or NULL */
	const char *format; /* for containers: reader name; else NULL */
	uint64_t offset;    /* offset within the parent (containers, regions) */
	double entropy;     /* regions: Shannon entropy in bits per byte */
	const char *note;   /* e.g. "possibly encrypted firmware", or NULL */
	bool has_sha256;
	uint8_t sha256[32];
	unsigned depth; /* 0 for the image's own containers */
};

/* Number of entries, sorted by path; and the i-th. */
SL_API size_t sl_tree_count(const struct sl_scan *s);
SL_API const struct sl_entry *sl_tree_entry(const struct sl_scan *s, size_t i);
/* The entry with exactly this path, or NULL. */
SL_API const struct sl_entry *sl_tree_find(const struct sl_scan *s,
                                           const char *path);

/*
 * Read the content of a regular-file entry.  On SL_OK *data points to
 * *len bytes that stay valid until sl_scan_free() or the next call to
 * sl_tree_read() from this thread (whichever comes first); it is never
 * NULL, not even for an empty file.
 */
SL_API sl_rc sl_tree_read(struct sl_scan *s, const struct sl_entry *e,
                          const uint8_t **data, size_t *len);

/*
 * Write the virtual tree below dir, which must exist.  Nothing is ever
 * written outside dir: every component is opened relative to its parent
 * without following links, and symlinks are created as links, never
 * followed.  Nested containers become directories named after their
 * path ("firmware.bin@0x200000.squashfs").
 */
SL_API sl_rc sl_tree_extract(struct sl_scan *s, const char *dir);

/* ------------------------------------------------------------------ */
/* Findings and the checklist                                          */
/* ------------------------------------------------------------------ */

enum sl_severity {
	SL_SEV_INFO = 0,
	SL_SEV_LOW,
	SL_SEV_MEDIUM,
	SL_SEV_HIGH,
	SL_SEV_CRITICAL,
};

enum sl_verdict {
	SL_V_NEEDS_EVIDENCE = 0,
	SL_V_CONFORMANT,
	SL_V_NON_CONFORMANT,
	SL_V_NOT_APPLICABLE,
};

SL_API const char *sl_severity_name(enum sl_severity);
SL_API const char *sl_verdict_name(enum sl_verdict);

#define SL_MAX_REQS 4

/*
 * Where a finding was seen.  Firmware evidence names a tree path (and an
 * offset inside that file when known); network evidence names host and
 * port.  excerpt is a short quote; secrets inside it are masked before it
 * is stored.
 */
struct sl_evidence {
	const char *path;
	uint64_t offset;
	bool has_offset;
	const char *host;
	unsigned port;
	const char *excerpt;
	/* The 1-based line of offset in a text file, 0 when not known (a
	 * binary file, no offset); filled in after the firmware checks. */
	unsigned line;
};

struct sl_finding {
	const char *id; /* stable, e.g. "FW-SHADOW-DEFAULT-PASSWORD" */
	const char *title;
	enum sl_severity severity;
	const char *requirements[SL_MAX_REQS]; /* NULL-terminated */
	struct sl_evidence evidence;
	const char *remediation;
	/*
	 * Which input of an assessment the finding is about ("firmware
	 * sample-fw.bin", "device 10.0.0.2"); NULL: derived from the
	 * evidence (the image name before the first '@', ':' or '!', or the
	 * host).  Findings are grouped for people by (id, component).
	 */
	const char *component;
};

/*
 * Add a finding.  Strings are copied.  If secret is not NULL, every
 * occurrence of it in the evidence excerpt is masked before the copy is
 * kept; the secret itself is never stored.
 */
SL_API sl_rc sl_finding_add(struct sl_scan *s, const struct sl_finding *f,
                            const char *secret);
SL_API size_t sl_finding_count(const struct sl_scan *s);
SL_API const struct sl_finding *sl_finding_get(const struct sl_scan *s,
                                               size_t i);

/*
 * The kinds of finding starlab can report, from the checks' tables
 * (findings as data): per id its severity (the highest when a kind comes
 * in two strengths), the requirements it can break, a title, the
 * remediation and the check that reports it.  Sorted by id; the array is
 * static and lives as long as the program.  Only the checks converted to
 * finding tables are listed (docs/writing-a-check.md): the list grows as
 * they are.
 */
struct sl_finding_kind {
	const char *id; /* "NET-PLAINTEXT-CREDENTIALS" */
	enum sl_severity severity;
	const char *requirements[SL_MAX_REQS + 1]; /* NULL-terminated */
	const char *title;
	const char *remediation;
	const char *check; /* "net.plaintext", or "service", "app" ... */
};
SL_API const struct sl_finding_kind *sl_finding_kinds(size_t *n);
/* The kind with this id, or NULL. */
SL_API const struct sl_finding_kind *sl_finding_kind_find(const char *id);

struct sl_check_result {
	const char *id; /* requirement id */
	enum sl_verdict verdict;
	const char *reason;            /* why this verdict */
	const char **findings;         /* finding ids, NULL-terminated */
	const char **missing_evidence; /* NULL-terminated */
};

/*
 * Decide the sixteen verdicts from the findings so far and the evidence
 * sources the scan covered.  May be called again after more findings.
 */
SL_API sl_rc sl_scan_decide(struct sl_scan *s);
SL_API const struct sl_check_result *sl_checklist_get(const struct sl_scan *s,
                                                      size_t i);
SL_API size_t sl_checklist_count(const struct sl_scan *s);

/* ------------------------------------------------------------------ */
/* Reports                                                             */
/* ------------------------------------------------------------------ */

enum sl_format {
	SL_FMT_JSON = 1,
	SL_FMT_TEXT,
	SL_FMT_MD,        /* Markdown: checklist, issue list, evidence */
	SL_FMT_SARIF,     /* SARIF 2.1.0, one result per finding */
	SL_FMT_CYCLONEDX, /* CycloneDX 1.5 SBOM of the components found */
	SL_FMT_CSV,       /* the scheme's checklist, one row per requirement */
	SL_FMT_HTML,      /* one self-contained page: chart, issues, schemes */
};

/*
 * Write the report in this format to path, atomically: the bytes go to a
 * temporary file in the same directory, which is renamed over path once
 * complete.  generated_at is the only field that differs between two runs
 * on the same input; pass 0 to use the current time.
 */
SL_API sl_rc sl_report_write(struct sl_scan *s, enum sl_format fmt,
                             const char *path, int64_t generated_at);

/*
 * The report as a NUL-terminated string in malloc'd memory the caller
 * frees, or NULL on failure.
 */
SL_API char *sl_report_string(struct sl_scan *s, enum sl_format fmt,
                              int64_t generated_at);

/*
 * s made safe for a terminal: control characters (C0, DEL, C1) and bytes
 * that are not UTF-8 written as \xNN.  malloc'd; the caller frees; NULL
 * when memory is exhausted.  For names from an image, a device or the
 * command line before they are printed.
 */
SL_API char *sl_printable(const char *s);

/* The tree listing as JSON text (malloc'd; the caller frees). */
SL_API char *sl_tree_json(struct sl_scan *s);

/*
 * Write bytes to path atomically (temporary file + rename in the same
 * directory).  Used for every report the library or the CLI writes.
 */
SL_API sl_rc sl_write_atomic(const char *path, const void *data, size_t n);

/* ------------------------------------------------------------------ */
/* The assessment: several inputs, one checklist (src/verdict/merge.c) */
/* ------------------------------------------------------------------ */

/*
 * Record an input of the assessment for the report and the evidence
 * manifest: kind is "firmware", "device", "profile" or "snapshot"; name
 * the file or host; path the file to hash (NULL for a host).  The SHA-256
 * of the file is computed here (at most SL_ASSESS_MAX_INPUT bytes read).
 */
SL_API sl_rc sl_scan_add_input(struct sl_scan *s, const char *kind,
                               const char *name, const char *path);

/*
 * Merge what scan src saw into dst (the assessment): every finding (with
 * component set to label, "firmware A.bin" or "device 10.0.0.2"), the
 * evidence sources covered and not judged per requirement, the
 * components, the incomplete list, and src's firmware as an input.  The
 * verdicts of dst are then decided over the union (docs/verdicts.md,
 * "Merged evidence").  Components are borrowed: src must stay alive until
 * dst's reports are written.
 */
SL_API sl_rc sl_scan_merge(struct sl_scan *dst, struct sl_scan *src,
                           const char *label);

/*
 * After every merge: the rules that need both sources and the profile
 * (a port open on the device or started by the firmware that the profile
 * does not declare, with both facts; a declared interface nothing shows).
 * Adds findings to s.
 */
SL_API sl_rc sl_scan_cross_check(struct sl_scan *s);

/*
 * Write DIR/evidence/: one text file per grouped finding with every
 * location and excerpt, and evidence/manifest.json with the SHA-256 of
 * every evidence file and every input.  dir must exist.
 */
SL_API sl_rc sl_evidence_write(struct sl_scan *s, const char *dir);

#ifdef __cplusplus
}
#endif

#endif /* STARLAB_H */
