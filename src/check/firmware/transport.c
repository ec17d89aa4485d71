/*
 * transport.c - protected information sent in clear, as the firmware
 * shows it (S1.1-12; S1.1-08 too when the line downloads firmware).
 *
 * One Hyperscan pass over every file and region (scan.h) looks for:
 *   - FW-PLAINTEXT-ENDPOINT: http://, mqtt://, ftp://, tftp://, telnet://
 *     and ws:// URLs naming a real host, and tcp://HOST:1883 (plaintext
 *     MQTT as Paho spells it), in configuration, scripts and binaries.
 *     Not endpoints: loopback and unspecified addresses, XML namespaces,
 *     DTDs and schemas (w3.org, xmlsoap.org ...), licence and project
 *     URLs, the RFC 2606 example hosts themselves, CRL, OCSP and CA-issuer
 *     URLs (signed data, plain HTTP by design), links in markup (href=,
 *     src=), URLs in prose ("see http://...", "(http://...)", help texts
 *     and banners), bug trackers, forums and wikis, templated hosts
 *     ("%s", "${HOST}", "HOST"), documentation directories, media files,
 *     and commented-out lines of text files.
 *     A URL also needs a consumer (issue 11): in a configuration file it
 *     must be a value ("key=", "key:", "key URL", or alone on its line,
 *     not a CSV field); in program text, a literal assigned to a name
 *     that is not user-interface text (placeholder, help, title ...) or
 *     a download command on its line; in a binary anything but a bare
 *     site root (a home page) unless its string downloads from it.  Not
 *     consumers: package metadata (control files, SourceURL: fields),
 *     pages of documentation and trackers (by path), pages for the
 *     browser (.htm, .js: the browser fetches them, not the device), the
 *     device's own LAN address.  Package feeds (opkg.conf) are judged
 *     once the tree is known: nothing without opkg, nothing when opkg
 *     checks usign signatures.  One finding per file, every URL in it.
 *   - FW-TLS-VERIFY-DISABLED, in text files only (scripts and
 *     configuration): curl -k/--insecure, --no-check-certificate (wget,
 *     uclient-fetch), verify=False, SSL_VERIFY_NONE,
 *     CURLOPT_SSL_VERIFYPEER/HOST set to 0, mosquitto bridge_insecure and
 *     tls_insecure, wgetrc check_certificate=off, InsecureSkipVerify.
 *     Finding it in binaries would need call-site analysis: not done.
 * The excerpt is the line (bounded); credentials on it (URL user
 * information, secret-looking query parameters, curl -u, long random
 * tokens) are masked.
 *
 * Bounds: URLs are at most TR_MAX_URL bytes, at most TR_MAX_PER_RULE
 * findings per rule and file (the last counts the rest), one TLS finding
 * per line and rule, and identical URLs in one file are reported once.
 */
#include <ctype.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#include "scan.h"

#define TR_MAX_URL      512
#define TR_MAX_PER_RULE 20
#define TR_CTX          100 /* excerpt bytes either side */

/*
 * What this check reports (check.h: findings as data).  Titles count the
 * endpoints and name the option; a verification switch on a firmware
 * download reports S1.1-08 too, otherwise the S1.1-12 subset
 * (Sl_at.reqs).
 */
enum { F_PLAIN, F_TLS };
static const struct Sl_finding_def findings[] = {
    [F_PLAIN] = {"FW-PLAINTEXT-ENDPOINT",
                 SL_SEV_MEDIUM,
                 {"S1.1-12"},
                 "plaintext endpoint (no TLS)",
                 "Use the TLS form of the protocol (https://, mqtts:// on "
                 "8883, ftps/sftp) with certificate verification, or "
                 "document that this traffic only crosses a VPN or leased "
                 "line.  Anything sent to a plaintext endpoint, "
                 "credentials included, can be read and altered on the "
                 "way."},
    [F_TLS] = {"FW-TLS-VERIFY-DISABLED",
               SL_SEV_HIGH,
               {"S1.1-08", "S1.1-12"},
               "TLS certificate verification disabled",
               "Turn certificate verification back on and ship the CA "
               "certificates the device needs (or pin the server's key).  "
               "Without verification TLS stops no one in the middle; for "
               "a firmware download that means anyone on the path can "
               "install their own firmware unless the image is signed and "
               "checked (S1.1-08)."},
    {NULL},
};

/* Not on a firmware download: the channel only. */
static const char *const only_12[] = {"S1.1-12", NULL};

/* Internal entry point for the unit test. */
bool Sl_tr_endpoint_host(const char *host, size_t n);

enum tkind {
	T_URL, /* the match ends after "scheme://" and one host byte */
	T_TLS, /* the match ends at the end of the offending option */
};

struct trule {
	const char *re;
	enum tkind kind;
	const char *what; /* for the title */
};

static const struct trule trules[] = {
    {"(?i)\\b(?:http|mqtt|ftp|tftp|telnet|ws|tcp)://[A-Za-z0-9\\[]", T_URL,
     NULL},
    {"(?i)\\bcurl\\b[^\\n]{0,256}[ \\t](?:--insecure\\b|"
     "-[A-Za-z]*k[A-Za-z]*\\b)",
     T_TLS, "curl run with -k/--insecure"},
    {"--no-check-certificate\\b", T_TLS,
     "download run with --no-check-certificate"},
    {"\\bverify[ \\t]*=[ \\t]*False\\b", T_TLS,
     "HTTP client called with verify=False"},
    {"\\bSSL_VERIFY_NONE\\b", T_TLS, "SSL_VERIFY_NONE configured"},
    {"CURLOPT_SSL_VERIFY(?:PEER|HOST)[ \\t]*,[ \\t]*(?:0|0L|false|"
     "FALSE)\\b",
     T_TLS, "libcurl peer or host verification set to 0"},
    {"(?i)\\b(?:bridge_insecure|tls_insecure)[ \\t]+true\\b", T_TLS,
     "mosquitto TLS verification off (insecure true)"},
    {"(?i)\\bcheck_certificate[ \\t]*=[ \\t]*off\\b", T_TLS,
     "wgetrc check_certificate = off"},
    {"(?i)\\binsecure_?skip_?(?:tls_?)?verify[\"']?[ \\t]*[:=][ \\t]*"
     "true\\b",
     T_TLS, "InsecureSkipVerify set"},
};

#define NTRULES SL_ARRAY_LEN(trules)

/* Where URLs are documentation, not configuration. */
static const char *const doc_files[] = {
    "*/share/doc/*",
    "usr/share/doc/*",
    "*/share/man/*",
    "usr/share/man/*",
    "*/share/info/*",
    "*/share/licenses/*",
    "*/share/common-licenses/*",
    "*LICENSE*",
    "*LICENCE*",
    "*COPYING*",
    "*README*",
    "*CHANGELOG*",
    "*ChangeLog*",
    "*NEWS",
    "*AUTHORS*",
    "*.md",
    "*.rst",
    /* Package metadata: SourceURL, Homepage; nothing connects there. */
    "*/opkg/info/*",
    "*/opkg/status",
    "*/dpkg/status",
    "*/dpkg/info/*",
    "*/apk/db/installed",
    "*.control",
    NULL,
};

/* Program text: a URL there needs an assignment or a download command. */
static const char *const source_files[] = {
    "*.lua", "*.sh",  "*.js",   "*.py", "*.pl", "*.pm",  "*.php", "*.rb",
    "*.tcl", "*.htm", "*.html", "*.uc", "*.ut", "*.awk", "*.cgi", NULL,
};

/*
 * Pages for the browser: a URL there is fetched by the user's browser,
 * not by the device (the web server's own transport is fw.config's).
 */
static const char *const browser_files[] = {
    "*.htm", "*.html", "*.shtml", "*.js", "*.css", "*.svg", NULL,
};

/* Package metadata fields, wherever they stand at the start of a line. */
static const char *const meta_fields[] = {
    "Source:",      "SourceURL:",   "Source-URL:", "Homepage:", "URL:",
    "Url:",         "Website:",     "Bugs:",       "Origin:",   "Maintainer:",
    "Description:", "Vcs-Browser:", "Vcs-Git:",    NULL,
};

/*
 * Package feeds: their consumer is the package manager, which may be
 * absent, or may check a signature over what it fetches (then plain HTTP
 * carries nothing it trusts).  Judged in finish, with the whole tree.
 */
static const char *const feed_files[] = {
    "etc/opkg.conf",
    "*/etc/opkg.conf",
    "etc/opkg/*.conf",
    "*/etc/opkg/*.conf",
    NULL,
};

/* A finding held back until the tree can be asked who reads the file. */
struct deferred {
	const struct sl_entry *e;
	uint64_t off;
	const char *excerpt, *secret, *title;
	struct deferred *next;
};

struct trctx {
	pthread_mutex_t lock;
	struct deferred *head;
	size_t n;
};

/* Names whose value is text for a person, not an address to connect to. */
static const char *const ui_names[] = {
    "placeholder", "description", "title",   "help",   "href",
    "link",        "homepage",    "url_doc", "docurl", "website",
    "hint",        "example",     NULL,
};

/* Paths of pages for people: documentation, trackers, tickets. */
static const char *const doc_paths[] = {
    ".html",     ".htm",   ".shtml",     ".txt",  ".pdf",  "/doc",
    "/faq",      "/wiki",  "/manual",    "/trac", "/bugs", "/issues",
    "newticket", "/howto", "/projects/", NULL,
};

/* Content that holds no endpoints: media, fonts, compressed data. */
static const char *const opaque_files[] = {
    "*.png",  "*.jpg",  "*.jpeg",  "*.gif", "*.ico", "*.bmp",
    "*.webp", "*.woff", "*.woff2", "*.ttf", "*.otf", "*.eot",
    "*.gz",   "*.xz",   "*.bz2",   "*.zst", "*.lz4", "*.lzma",
    "*.7z",   "*.mp3",  "*.wav",   "*.ogg", "*.mp4", NULL,
};

/* Hosts (and their subdomains) of namespaces, schemas and licences. */
static const char *const not_endpoints[] = {
    "w3.org",
    "xmlsoap.org",
    "xmlns.com",
    "purl.org",
    "openxmlformats.org",
    "schemas.microsoft.com",
    "ns.adobe.com",
    "docbook.org",
    "oasis-open.org",
    "relaxng.org",
    "json-schema.org",
    "gnu.org",
    "fsf.org",
    "apache.org",
    "opensource.org",
    "creativecommons.org",
    "xml.org",
    "upnp.org",
    "dlna.org",
    "schemas.android.com",
    "ietf.org",
    "iana.org",
    "mozilla.org",
    NULL,
};

/* Bug trackers, forums, wikis, mailing lists: pages for people. */
static const char *const not_endpoint_prefix[] = {
    "bugs.", "bugzilla.", "forum.", "forums.", "wiki.", "lists.", NULL,
};

/* RFC 2606 hosts as such (help texts); a named subdomain is kept. */
static const char *const example_hosts[] = {
    "example.com",     "example.org",     "example.net", "www.example.com",
    "www.example.org", "www.example.net", NULL,
};

/* How URLs of signed data and schemas end: not endpoints either. */
static const char *const not_endpoint_ext[] = {
    ".crl", ".crt", ".cer", ".p7c", ".dtd", ".xsd", ".rng", ".xsl", NULL,
};

/*
 * Words before a URL on its line (or in its string) that make it a
 * reference in prose: help texts, banners, licences.
 */
static const char *const prose[] = {
    "see ",     "visit",         "source:",     "refer",      "information",
    "details",  "documentation", "manual",      "homepage",   "home page",
    "website",  "web site",      "report bugs", "bug report", "please",
    "for more", " at ",          "from ",       "provided",   "copyright",
    "license",  "licence",       "(c)",         "author",     "written by",
    NULL,
};

/* Context just before a URL that makes it a reference, not an endpoint. */
static const char *const ref_marks[] = {
    "xmlns", "DOCTYPE", "PUBLIC", "SYSTEM", "schemaLocation", "href=", "src=",
    "url(",  "HREF=",   "SRC=",   NULL,
};

/* Words on a line that say it downloads firmware (for S1.1-08). */
static const char *const fw_words[] = {
    "firmware", "sysupgrade", "upgrade", "update", "ota",  "fw.", "fw_",
    "fw-",      ".bin",       ".img",    ".trx",   ".itb", NULL,
};
static const char *const dl_words[] = {
    "wget", "curl", "uclient-fetch", "fetch", "tftp", "ftpget", "opkg", NULL,
};

struct thit {
	size_t start, end;  /* the URL, or the matched option */
	size_t line;        /* start of its line (TLS dedupe) */
	uint64_t hash;      /* URL text (dedupe) */
	const char *scheme; /* upper-cased, static */
	bool fw;            /* the line downloads firmware */
};

struct tstate {
	struct thit hits[NTRULES][TR_MAX_PER_RULE];
	size_t kept[NTRULES];
	size_t count[NTRULES];
	bool text, source, any;
};

/* ------------------------------------------------------------------ */
/* Small helpers                                                       */
/* ------------------------------------------------------------------ */

static uint8_t
lower(uint8_t c)
{
	return c >= 'A' && c <= 'Z' ? (uint8_t)(c + 32) : c;
}

static bool
has_ci(const uint8_t *p, size_t n, const char *needle)
{
	size_t m = strlen(needle), i, j;

	for (i = 0; i + m <= n; i++) {
		for (j = 0; j < m && lower(p[i + j]) == (uint8_t)needle[j]; j++)
			;
		if (j == m)
			return true;
	}
	return false;
}

static bool
url_char(uint8_t c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || (c && strchr("-._~:/?#[]@!$&*+=%", c));
}

static uint64_t
fnv(const uint8_t *p, size_t n)
{
	uint64_t h = 1469598103934665603ULL;
	size_t i;

	for (i = 0; i < n; i++)
		h = (h ^ p[i]) * 1099511628211ULL;
	return h;
}

/* The start of the line holding d[at] (bounded look back). */
static size_t
line_start(const uint8_t *d, size_t at)
{
	size_t i = at;

	while (i > 0 && at - i < 4096 && d[i - 1] != '\n')
		i--;
	return i;
}

/* A commented-out line of a text file: '#', ';' or "//" first. */
static bool
commented(const uint8_t *d, size_t len, size_t ls)
{
	size_t i = ls;

	while (i < len && (d[i] == ' ' || d[i] == '\t'))
		i++;
	return i < len && (d[i] == '#' || d[i] == ';' ||
	                   (d[i] == '/' && i + 1 < len && d[i + 1] == '/'));
}

static bool
suffix_host(const char *h, size_t n, const char *dom)
{
	size_t m = strlen(dom);

	if (n < m || !has_ci((const uint8_t *)h + n - m, m, dom))
		return false;
	return n == m || h[n - m - 1] == '.';
}

/*
 * Is host[0..n) a remote endpoint a device could talk to?  Not: empty or
 * templated, without a dot (a placeholder word such as "HOST"), loopback
 * or unspecified, a namespace or licence host, an RFC 2606 example host
 * itself, or a CRL/OCSP responder.
 */
bool
Sl_tr_endpoint_host(const char *host, size_t n)
{
	const char *const *d;
	size_t i;
	bool dot = false;

	if (n == 0 || n > 253)
		return false;
	if (host[0] == '[')
		return !(has_ci((const uint8_t *)host, n, "[::1]") ||
		         has_ci((const uint8_t *)host, n, "[::]"));
	for (i = 0; i < n; i++) {
		char c = host[i];

		if (c == '.')
			dot = true;
		else if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		           (c >= '0' && c <= '9') || c == '-' || c == '_'))
			return false; /* %s, ${HOST}, <host> ... */
	}
	if (!dot || host[0] == '.' || host[n - 1] == '.')
		return false;
	if ((n >= 4 && memcmp(host, "127.", 4) == 0) ||
	    (n == 7 && memcmp(host, "0.0.0.0", 7) == 0) ||
	    suffix_host(host, n, "localhost") ||
	    suffix_host(host, n, "invalid") || suffix_host(host, n, "test"))
		return false;
	for (d = not_endpoints; *d != NULL; d++)
		if (suffix_host(host, n, *d))
			return false;
	for (d = example_hosts; *d != NULL; d++)
		if (n == strlen(*d) && has_ci((const uint8_t *)host, n, *d))
			return false;
	if (has_ci((const uint8_t *)host, n < 5 ? n : 5, "crl") ||
	    has_ci((const uint8_t *)host, n < 5 ? n : 5, "ocsp"))
		return false;
	for (d = not_endpoint_prefix; *d != NULL; d++)
		if (n > strlen(*d) &&
		    has_ci((const uint8_t *)host, strlen(*d), *d))
			return false;
	return true;
}

/* Mask n bytes at p in ex (and every other copy of them). */
static bool
mask_at(struct sl_scan *s, char *ex, const char *p, size_t n,
        const char **first)
{
	char *v;

	if (n == 0)
		return true;
	v = Sl_arena_strndup(&s->arena, p, n);
	if (v == NULL || !Sl_mask_value(s, ex, v))
		return false;
	if (*first == NULL)
		*first = v;
	return true;
}

/*
 * Mask, in place, every credential-looking value on an excerpt: URL user
 * information "user:PASS@", query parameters named like secrets, curl's
 * "-u user:PASS", then long random-looking tokens outside
 * ex[keep_from..keep_to).  *first receives the first value masked (the
 * secret to pass on), or NULL.  false when the arena is full.
 */
static bool
mask_line(struct sl_scan *s, char *ex, size_t keep_from, size_t keep_to,
          const char **first)
{
	static const char *const qkeys[] = {
	    "password=", "passwd=", "pass=",      "pwd=",  "token=", "key=",
	    "secret=",   "sig=",    "signature=", "auth=", NULL,
	};
	static const char *const uopts[] = {" -u ", " --user ", NULL};
	const char *const *k;
	char *p, *q, *at;
	size_t n;

	*first = NULL;
	for (p = strstr(ex, "://"); p != NULL; p = strstr(p, "://")) {
		p += 3;
		n = strcspn(p, "/ \t'\"");
		at = memchr(p, '@', n);
		q = at ? memchr(p, ':', (size_t)(at - p)) : NULL;
		if (q != NULL &&
		    !mask_at(s, ex, q + 1, (size_t)(at - q - 1), first))
			return false;
	}
	for (k = qkeys; *k != NULL; k++)
		for (p = strstr(ex, *k); p != NULL; p = strstr(p + 1, *k)) {
			if (p == ex || !strchr("?&;", p[-1]))
				continue;
			q = p + strlen(*k);
			if (!mask_at(s, ex, q, strcspn(q, "&# \t'\""), first))
				return false;
		}
	for (k = uopts; *k != NULL; k++)
		for (p = strstr(ex, *k); p != NULL; p = strstr(p + 1, *k)) {
			q = p + strlen(*k);
			while (*q == '\'' || *q == '"')
				q++;
			n = strcspn(q, " \t'\"");
			at = memchr(q, ':', n);
			if (at != NULL &&
			    !mask_at(s, ex, at + 1, n - (size_t)(at - q) - 1,
			             first))
				return false;
		}
	Sl_mask_tokens(ex, keep_from, keep_to);
	return true;
}

/* ------------------------------------------------------------------ */
/* Cutting hits out                                                    */
/* ------------------------------------------------------------------ */

/* A URL whose scheme ends 4 bytes before end ("://" and a host byte). */
static bool
cut_url(const struct Sl_file *f, size_t end, struct thit *h)
{
	static const char *const names[][2] = {
	    {"http", "HTTP"}, {"mqtt", "MQTT"},     {"ftp", "FTP"},
	    {"tftp", "TFTP"}, {"telnet", "telnet"}, {"ws", "WebSocket"},
	    {"tcp", "MQTT"},
	};
	const uint8_t *d = f->data;
	size_t len = f->len, sep = end - 4, ss = sep, hs, he, i, k, ls;

	while (ss > 0 && sep - ss < 8 &&
	       ((d[ss - 1] >= 'a' && d[ss - 1] <= 'z') ||
	        (d[ss - 1] >= 'A' && d[ss - 1] <= 'Z')))
		ss--;
	h->scheme = NULL;
	for (k = 0; k < SL_ARRAY_LEN(names); k++)
		if (sep - ss == strlen(names[k][0]) &&
		    has_ci(d + ss, sep - ss, names[k][0]))
			h->scheme = names[k][1];
	if (h->scheme == NULL)
		return false; /* https, mqtts, ftps, wss: TLS */
	/* The URL, then its host (after any user information). */
	i = sep + 3;
	while (i < len && i - ss < TR_MAX_URL && url_char(d[i]))
		i++;
	h->start = ss;
	h->end = i;
	hs = sep + 3;
	for (k = hs; k < h->end && d[k] != '/' && d[k] != '?' && d[k] != '#';
	     k++)
		if (d[k] == '@')
			hs = k + 1;
	he = hs;
	if (he < h->end && d[he] == '[') {
		while (he < h->end && d[he] != ']')
			he++;
		if (he < h->end)
			he++;
	} else {
		while (he < h->end && d[he] != ':' && d[he] != '/' &&
		       d[he] != '?' && d[he] != '#')
			he++;
	}
	if (!Sl_tr_endpoint_host((const char *)d + hs, he - hs))
		return false;
	/* tcp:// is MQTT's plaintext port only. */
	if (has_ci(d + ss, 3, "tcp") &&
	    !(he + 5 <= h->end && memcmp(d + he, ":1883", 5) == 0 &&
	      (he + 5 == h->end || !(d[he + 5] >= '0' && d[he + 5] <= '9'))))
		return false;
	/* CRL, OCSP, CA-issuer and schema URLs. */
	for (k = 0; not_endpoint_ext[k] != NULL; k++) {
		size_t m = strlen(not_endpoint_ext[k]);

		if (h->end - h->start > m &&
		    has_ci(d + h->end - m, m, not_endpoint_ext[k]))
			return false;
	}
	/* References in markup and XML. */
	ls = ss > 64 ? ss - 64 : 0;
	for (k = 0; ref_marks[k] != NULL; k++)
		if (memmem(d + ls, ss - ls, ref_marks[k], strlen(ref_marks[k])))
			return false;
	/* Prose: help texts, licences, comments in binaries. */
	if (ss > 0 && (d[ss - 1] == '(' || d[ss - 1] == '<'))
		return false;
	for (ls = ss;
	     ls > 0 && ss - ls < 160 && d[ls - 1] != '\n' && d[ls - 1] != 0;
	     ls--)
		;
	for (k = 0; prose[k] != NULL; k++)
		if (has_ci(d + ls, ss - ls, prose[k]))
			return false;
	h->line = line_start(d, ss);
	h->hash = fnv(d + h->start, h->end - h->start);
	return true;
}

/* Short words ("ota") must stand alone: "quota" is no update. */
static bool
has_word_ci(const uint8_t *p, size_t n, const char *w)
{
	size_t m = strlen(w), i;

	if (m > 3)
		return has_ci(p, n, w);
	for (i = 0; i + m <= n; i++)
		if (has_ci(p + i, m, w) &&
		    (i == 0 || !url_char(p[i - 1]) || p[i - 1] == '/' ||
		     p[i - 1] == '-' || p[i - 1] == '_' || p[i - 1] == '.') &&
		    (i + m == n || !isalpha((unsigned char)w[m - 1]) ||
		     !isalpha(p[i + m])))
			return true;
	return false;
}

static bool
line_has_any(const uint8_t *d, size_t len, size_t ls, const char *const *words)
{
	size_t le = ls;

	while (le < len && le - ls < 4096 && d[le] != '\n')
		le++;
	for (; *words != NULL; words++)
		if (has_word_ci(d + ls, le - ls, *words))
			return true;
	return false;
}

/* An RFC 1918 or link-local IPv4 host: the device itself or its LAN. */
static bool
private_host(const uint8_t *d, const struct thit *h)
{
	size_t i = h->start;
	unsigned a = 0, b = 0;
	int n;
	char buf[16];

	while (i + 2 < h->end && memcmp(d + i, "://", 3) != 0)
		i++;
	i += 3;
	n = (int)(h->end - i < sizeof(buf) - 1 ? h->end - i : sizeof(buf) - 1);
	memcpy(buf, d + i, (size_t)n);
	buf[n] = 0;
	if (sscanf(buf, "%u.%u.", &a, &b) != 2)
		return false;
	return a == 10 || (a == 192 && b == 168) ||
	       (a == 172 && b >= 16 && b <= 31) || (a == 169 && b == 254);
}

/*
 * Does the URL at h have a consumer?  A URL is an endpoint when something
 * connects to it: a configuration value a daemon reads, or a download
 * command.  Not: package metadata fields, pages for people (paths of
 * documentation and trackers), a bare site root compiled into a binary
 * (a project's or vendor's home page), and in program text anything but
 * a download command or a string literal assigned to a name that is not
 * user-interface text.
 */
static bool
consumer(const struct Sl_file *f, const struct tstate *st, const struct thit *h)
{
	const uint8_t *d = f->data;
	size_t ls = h->line, i, k, ps, m;

	/* The path: after the host part. */
	for (ps = h->start; ps + 2 < h->end && memcmp(d + ps, "://", 3); ps++)
		;
	for (ps += 3; ps < h->end && d[ps] != '/'; ps++)
		;
	for (k = 0; doc_paths[k] != NULL; k++)
		if (ps < h->end && has_ci(d + ps, h->end - ps, doc_paths[k]))
			return false;
	if (!st->text) {
		/*
		 * A site root in a binary is a home page, unless its string
		 * downloads from it ("curl -k http://host/").
		 */
		if (h->end - ps > 1)
			return true;
		for (i = h->start; i > 0 && h->start - i < 160 && d[i - 1] &&
		                   d[i - 1] != '\n';
		     i--)
			;
		for (k = 0; dl_words[k] != NULL; k++)
			if (has_word_ci(d + i, h->start - i, dl_words[k]))
				return true;
		return false;
	}
	for (i = ls; i < h->start && (d[i] == ' ' || d[i] == '\t'); i++)
		;
	for (k = 0; meta_fields[k] != NULL; k++) {
		m = strlen(meta_fields[k]);
		if (h->start - i >= m && memcmp(d + i, meta_fields[k], m) == 0)
			return false;
	}
	if (!st->source) {
		/*
		 * A value in a configuration file: after "key=", "key:",
		 * "key " (UCI, opkg feeds, conf files) or alone on its line;
		 * not a field of a CSV or table row.
		 */
		k = h->start;
		if (k > ls && (d[k - 1] == '"' || d[k - 1] == '\''))
			k--;
		return k == i || d[k - 1] == '=' || d[k - 1] == ':' ||
		       d[k - 1] == ' ' || d[k - 1] == '\t';
	}
	if (private_host(d, h))
		return false; /* the device's own address */
	if (Sl_path_any(Sl_inner(f->e), browser_files))
		return false;
	if (line_has_any(d, f->len, ls, dl_words))
		return true;
	/* name = "URL": the quote and '=' just before the URL. */
	i = h->start;
	if (i == 0 || (d[i - 1] != '"' && d[i - 1] != '\''))
		return false;
	i--;
	for (k = 0; i > ls && k < 8 && (d[i - 1] == ' ' || d[i - 1] == '\t');
	     k++)
		i--;
	if (i <= ls || d[i - 1] != '=')
		return false;
	i--;
	for (k = 0; i > ls && k < 8 && (d[i - 1] == ' ' || d[i - 1] == '\t');
	     k++)
		i--;
	m = i;
	while (i > ls && m - i < 64 && (isalnum(d[i - 1]) || d[i - 1] == '_'))
		i--;
	if (i == m)
		return false;
	for (k = 0; ui_names[k] != NULL; k++)
		if (m - i == strlen(ui_names[k]) &&
		    has_ci(d + i, m - i, ui_names[k]))
			return false;
	return true;
}

/* ------------------------------------------------------------------ */
/* Hooks                                                               */
/* ------------------------------------------------------------------ */

static bool
tr_want(const struct sl_entry *e, void *user)
{
	const char *inner = Sl_inner(e);

	(void)user;
	return !Sl_path_any(inner, doc_files) &&
	       !Sl_path_any(inner, opaque_files);
}

static void
tr_begin(struct Sl_file *f)
{
	struct tstate *st = f->priv;

	memset(st->kept, 0, sizeof(st->kept));
	memset(st->count, 0, sizeof(st->count));
	st->text = Sl_is_text(f->data, f->len);
	st->source = st->text &&
	             ((f->len >= 2 && f->data[0] == '#' && f->data[1] == '!') ||
	              Sl_path_any(Sl_inner(f->e), source_files));
	st->any = false;
}

static int
tr_match(struct Sl_file *f, unsigned id, size_t end)
{
	struct tstate *st = f->priv;
	const struct trule *r;
	struct thit h;
	size_t i;

	if (id >= NTRULES || end < 4)
		return 0;
	r = &trules[id];
	memset(&h, 0, sizeof(h));
	if (r->kind == T_URL) {
		if (!cut_url(f, end, &h) || !consumer(f, st, &h))
			return 0;
		for (i = 0; i < st->kept[id]; i++)
			if (st->hits[id][i].hash == h.hash)
				return 0; /* the same URL again */
	} else {
		if (!st->text)
			return 0;
		h.line = line_start(f->data, end - 1);
		h.start = end - 1;
		h.end = end;
		if (st->kept[id] > 0 &&
		    st->hits[id][st->kept[id] - 1].line == h.line)
			return 0; /* one per line */
	}
	if (st->text && commented(f->data, f->len, h.line))
		return 0;
	if (st->kept[id] < TR_MAX_PER_RULE) {
		/* Only kept hits pay for reading their line again. */
		if (r->kind == T_TLS)
			h.fw =
			    line_has_any(f->data, f->len, h.line, dl_words) &&
			    line_has_any(f->data, f->len, h.line, fw_words);
		st->hits[id][st->kept[id]++] = h;
	}
	st->count[id]++;
	st->any = true;
	return 0;
}

/*
 * One finding per file for its plaintext endpoints: the first one's line
 * as the excerpt, the others' URLs (and offsets) after it, the count in
 * the title.  One cause (this file talks in clear) is one finding.
 */
static sl_rc
url_finding(struct Sl_file *f, const struct tstate *st, size_t r)
{
	struct sl_scan *s = f->s;
	const struct thit *h0 = &st->hits[r][0];
	const char *schemes[8], *sec, *sec2, *title;
	size_t ns = 0, i, k, at = 0, from, to;
	char *ex, *all;

	ex = Sl_excerpt(s, f->data, f->len, h0->start, h0->end, TR_CTX, &at);
	if (ex == NULL)
		return SL_E_NOMEM;
	from = h0->start - at;
	to = h0->end - at;
	if (!mask_line(s, ex, from, to, &sec))
		return SL_E_NOMEM;
	all = "";
	for (i = 0; i < st->kept[r]; i++) {
		const struct thit *h = &st->hits[r][i];
		size_t n = h->end - h->start;

		for (k = 0; k < ns && strcmp(schemes[k], h->scheme) != 0; k++)
			;
		if (k == ns && ns < SL_ARRAY_LEN(schemes))
			schemes[ns++] = h->scheme;
		if (i == 0 || i > 8)
			continue;
		all = Sl_arena_printf(
		    &s->arena, "%s%s%.*s (@%zu)", all,
		    i == 1 ? " [also: " : "; ", (int)(n > 120 ? 120 : n),
		    (const char *)f->data + h->start, h->start);
		if (all == NULL)
			return SL_E_NOMEM;
	}
	if (st->count[r] > 1)
		all = Sl_arena_printf(&s->arena, "%s%s]", all,
		                      st->count[r] > 9 ? "; and more" : "");
	/*
	 * URL bytes are url_char only: printable, no line breaks.  The other
	 * URLs keep their paths; user information and secret-named query
	 * values are masked.
	 */
	if (all == NULL || !mask_line(s, all, 0, strlen(all), &sec2))
		return SL_E_NOMEM;
	if (sec == NULL)
		sec = sec2;
	all = Sl_arena_printf(&s->arena, "%s%s", ex, all);
	if (all == NULL)
		return SL_E_NOMEM;
	if (st->count[r] == 1)
		title = Sl_arena_printf(
		    &s->arena, "plaintext %s endpoint (no TLS)", h0->scheme);
	else {
		char list[64] = "";

		for (k = 0; k < ns; k++)
			snprintf(list + strlen(list),
			         sizeof(list) - strlen(list), "%s%s",
			         k ? ", " : "", schemes[k]);
		title = Sl_arena_printf(
		    &s->arena,
		    "%zu plaintext endpoints (%s) in this file (no TLS)",
		    st->count[r], list);
	}
	if (title == NULL)
		return SL_E_NOMEM;
	if (Sl_path_any(Sl_inner(f->e), feed_files)) {
		struct trctx *c = f->user;
		struct deferred *df = Sl_arena_alloc(&s->arena, sizeof(*df));

		if (df == NULL)
			return SL_E_NOMEM;
		df->e = f->e;
		df->off = h0->start;
		df->excerpt = all;
		df->secret = sec;
		df->title = title;
		pthread_mutex_lock(&c->lock);
		df->next = c->head;
		c->head = df;
		c->n++;
		pthread_mutex_unlock(&c->lock);
		return SL_OK;
	}
	return Sl_report(s, &findings[F_PLAIN],
	                 &(struct Sl_at){.e = f->e,
	                                 .off = h0->start,
	                                 .excerpt = all,
	                                 .secret = sec,
	                                 .title = title});
}

static sl_rc
tr_end(struct Sl_file *f)
{
	struct tstate *st = f->priv;
	struct sl_scan *s = f->s;
	size_t r, i;
	sl_rc rc = SL_OK;

	if (!st->any)
		return SL_OK;
	for (r = 0; r < NTRULES && rc == SL_OK; r++) {
		const struct trule *tr = &trules[r];

		if (tr->kind == T_URL) {
			if (st->kept[r] > 0)
				rc = url_finding(f, st, r);
			continue;
		}
		for (i = 0; i < st->kept[r] && rc == SL_OK; i++) {
			const struct thit *h = &st->hits[r][i];
			size_t at = 0;
			char *ex = Sl_excerpt(s, f->data, f->len, h->start,
			                      h->end, TR_CTX, &at);
			const char *title, *sec;

			if (ex == NULL)
				return SL_E_NOMEM;
			if (!mask_line(s, ex, h->start - at, h->start - at,
			               &sec))
				return SL_E_NOMEM;
			if (i + 1 == st->kept[r] && st->count[r] > st->kept[r])
				ex = Sl_arena_printf(
				    &s->arena,
				    "%s [and %zu more in this file, not "
				    "listed]",
				    ex, st->count[r] - st->kept[r]);
			title = Sl_arena_printf(
			    &s->arena,
			    "TLS certificate verification disabled: %s%s",
			    tr->what, h->fw ? " (on a firmware download)" : "");
			if (ex == NULL || title == NULL)
				return SL_E_NOMEM;
			rc = Sl_report(
			    s, &findings[F_TLS],
			    &(struct Sl_at){.e = f->e,
			                    .off = h->start,
			                    .excerpt = ex,
			                    .secret = sec,
			                    .title = title,
			                    .reqs = h->fw ? NULL : only_12});
		}
	}
	return rc;
}

/* ------------------------------------------------------------------ */
/* The check                                                           */
/* ------------------------------------------------------------------ */

static bool
tree_has(struct sl_scan *s, const char *root, const char *rel)
{
	char *p = Sl_arena_printf(&s->arena, "%s%s", root, rel);

	return p != NULL && sl_tree_find(s, p) != NULL;
}

/* opkg.conf under root turns signature checking on ("check_signature"). */
static bool
opkg_checks(struct sl_scan *s, const char *root)
{
	char *p = Sl_arena_printf(&s->arena, "%setc/opkg.conf", root);
	const struct sl_entry *e = p ? sl_tree_find(s, p) : NULL;
	const uint8_t *d;
	size_t len, i = 0;

	if (e == NULL || e->type != SL_FT_REG ||
	    Sl_check_read(s, e, &d, &len) != SL_OK)
		return false;
	while (i < len) {
		size_t ls = i, k;
		const uint8_t *nl = memchr(d + i, '\n', len - i);
		size_t le = nl ? (size_t)(nl - d) : len;

		i = le + 1;
		for (k = ls; k < le && (d[k] == ' ' || d[k] == '\t'); k++)
			;
		if (le - k > 22 && memcmp(d + k, "option", 6) == 0 &&
		    memmem(d + k, le - k, "check_signature", 15) != NULL) {
			const uint8_t *v =
			    memmem(d + k, le - k, "check_signature", 15) + 15;

			while (v < d + le && (*v == ' ' || *v == '\t'))
				v++;
			return v == d + le || *v != '0';
		}
	}
	return false;
}

static int
deferred_cmp(const void *x, const void *y)
{
	const struct deferred *a = *(const struct deferred *const *)x;
	const struct deferred *b = *(const struct deferred *const *)y;

	return strcmp(a->e->path, b->e->path);
}

/*
 * Feed URLs: no finding without opkg in the same filesystem (nothing
 * fetches them), nor when opkg checks signatures (usign and
 * check_signature): what crosses in clear is then verified.
 */
static sl_rc
judge_feeds(struct sl_scan *s, struct trctx *c)
{
	struct deferred **v, *df;
	size_t i = 0;
	sl_rc rc = SL_OK;

	if (c->n == 0)
		return SL_OK;
	v = malloc(c->n * sizeof(*v));
	if (v == NULL)
		return SL_E_NOMEM;
	for (df = c->head; df != NULL && i < c->n; df = df->next)
		v[i++] = df;
	qsort(v, i, sizeof(*v), deferred_cmp);
	for (c->n = i, i = 0; i < c->n && rc == SL_OK; i++) {
		const char *inner = Sl_inner(v[i]->e);
		char *root =
		    Sl_arena_strndup(&s->arena, v[i]->e->path,
		                     strlen(v[i]->e->path) - strlen(inner));
		const char *title;

		if (root == NULL) {
			rc = SL_E_NOMEM;
			break;
		}
		if (!tree_has(s, root, "bin/opkg") &&
		    !tree_has(s, root, "usr/bin/opkg"))
			continue;
		if (opkg_checks(s, root) && tree_has(s, root, "usr/bin/usign"))
			continue;
		title = Sl_arena_printf(&s->arena,
		                        "%s, fetched by opkg with no signature "
		                        "check",
		                        v[i]->title);
		rc = title == NULL
		         ? SL_E_NOMEM
		         : Sl_report(s, &findings[F_PLAIN],
		                     &(struct Sl_at){.e = v[i]->e,
		                                     .off = v[i]->off,
		                                     .excerpt = v[i]->excerpt,
		                                     .secret = v[i]->secret,
		                                     .title = title});
	}
	free(v);
	return rc;
}

static sl_rc
transport_prepare(struct sl_scan *s, struct Sl_grep_job *job)
{
	static const struct Sl_grep_ops ops = {
	    .who = "fw.transport",
	    .priv_size = sizeof(struct tstate),
	    .want = tr_want,
	    .begin = tr_begin,
	    .match = tr_match,
	    .end = tr_end,
	};
	const char *re[NTRULES];
	struct Sl_patterns *p;
	size_t i;
	sl_rc rc;

	for (i = 0; i < NTRULES; i++)
		re[i] = trules[i].re;
	rc = Sl_patterns_compile(s, "fw.transport", re, NULL, NTRULES, &p);
	job->p = p;
	job->ops = &ops;
	job->user = NULL;
	if (rc == SL_OK) {
		struct trctx *c = calloc(1, sizeof(*c));

		if (c == NULL)
			return Sl_fail(s, SL_E_NOMEM,
			               "fw.transport: out of memory");
		pthread_mutex_init(&c->lock, NULL);
		job->user = c;
	}
	return rc;
}

static sl_rc
transport_finish(struct sl_scan *s, struct Sl_grep_job *job, sl_rc rc)
{
	struct trctx *c = job->user;

	Sl_patterns_free((struct Sl_patterns *)job->p);
	if (c != NULL) {
		if (rc == SL_OK)
			rc = judge_feeds(s, c);
		pthread_mutex_destroy(&c->lock);
		free(c);
		job->user = NULL;
	}
	if (rc == SL_E_NOMEM)
		return Sl_fail(s, rc, "fw.transport: out of memory");
	return rc;
}

const struct Sl_check Sl_check_transport = {
    .id = "fw.transport",
    .title = "Plaintext endpoints and TLS verification turned off",
    .covers = {"S1.1-08", "S1.1-12", NULL},
    .findings = findings,
    .source = SL_SRC_FIRMWARE,
    .prepare = transport_prepare,
    .finish = transport_finish,
};
