/*
 * secrets.c - credentials and tokens stored in the clear anywhere in the
 * image (S1.1-11; S1.1-12 too for credentials in plaintext-protocol URLs).
 *
 * Every regular file and every unexplained region is read once and
 * searched with one Hyperscan database (scan.h) holding the rules below:
 * cloud keys with a fixed prefix (AWS, GCP, Azure, Slack, GitHub,
 * Stripe), JSON web tokens, `password=`-style assignments, UCI options
 * holding secrets, credentials in URLs, and Wi-Fi passphrases (UCI
 * wireless, wpa_supplicant, hostapd).  Binaries are searched as they are,
 * so strings compiled into programs are found too.
 *
 * Each pattern is a trigger with a single end per occurrence (a
 * fixed-length token, or an assignment ending at its '=' or ':'); the value
 * is then cut out around that end by bounded loops.  A value must pass a
 * gate before it becomes a finding: templated values ("${VAR}", "%s",
 * "<password>", "xxxx") are always dropped; rules without a strong fixed
 * prefix also drop placeholder words, paths and expressions, and the
 * generic ones need a minimum length and a Shannon entropy of at least
 * 3.0 bits per character.  A generic hit on the same bytes as a specific
 * one is dropped.  Passwords in the files fw.accounts reads (UCI, NVRAM,
 * htpasswd, mosquitto) are left to it.
 *
 * Two rules keep code and configuration apart (issue 11):
 *   - In program text (scripts, Lua, JavaScript, web pages: by name or
 *     "#!") a value is one string literal that ends its statement: not a
 *     bare name, a call ("s:taboption(...)"), an expression ("a" .. b),
 *     an expansion ("$password", "${x:+...}"), a UI label with blanks or
 *     HTML entities, or the key's own name repeated.  Everywhere, a bare
 *     value followed by '(' is a call.
 *   - A UCI option in etc/config/PKG is a secret only when uci.c's table
 *     for that package, section and option says so and the value is a
 *     literal (not a path, file name, reference or placeholder).
 *
 * Bounds: a value is at most SEC_MAX_VALUE bytes, at most SEC_MAX_PER_RULE
 * findings per rule and file are kept (the last one's excerpt counts the
 * rest), and excerpts are one line of at most SEC_CTX bytes either side of
 * the match.  No value reaches the report: the excerpt masks the
 * finding's own value as sl_finding_add would (and passes it as the
 * secret too), stars out the other values found in the file and any
 * other random-looking token on the line, and titles name the key only.
 *
 * PEM blocks are fw.keys' business: for files larger than fw.keys reads,
 * a PEM header seen here hands the file to Sl_keys_examine.
 */
#include <stdio.h>
#include <stdlib.h>

#include "scan.h"
#include "uci.h"

#define SEC_MAX_VALUE    256 /* bytes of one value */
#define SEC_MAX_PER_RULE 20  /* findings per rule per file */
#define SEC_CTX          48  /* excerpt bytes either side */
#define SEC_MAX_KEY      64  /* bytes of an assignment's key name */

/* Internal entry points for the unit test and the benchmark harness. */
bool Sl_sec_templated(const char *v, size_t n);
bool Sl_sec_placeholder(const char *v, size_t n);
const char *Sl_sec_pattern(size_t i, const char **id);

/* How a rule cuts its value out around the match end. */
enum kind {
	K_TOKEN,  /* the match ends inside a token of known start */
	K_ASSIGN, /* the match ends after "key=" or "key:" */
	K_UCI,    /* the match ends after "option key " */
	K_URL,    /* the match ends at the '@' of scheme://user:pass@ */
	K_JWT,    /* the match ends at the second '.' of a JWT */
	K_PEM,    /* a PEM header: handed to fw.keys for large files */
};

/* Character classes a token extends over. */
enum cls {
	C_NONE,
	C_UPNUM,  /* [0-9A-Z] */
	C_ALNUM,  /* [0-9A-Za-z] */
	C_WORD,   /* [0-9A-Za-z_] */
	C_B64URL, /* [0-9A-Za-z_-] */
	C_B64,    /* [0-9A-Za-z+/=] */
	C_DASH,   /* [0-9A-Za-z-] */
};

struct rule {
	const struct Sl_finding_def *f; /* what it reports; NULL: PEM */
	const char *name;               /* for titles: "AWS access key id" */
	const char *re;                 /* Hyperscan (and ripgrep) syntax */
	enum kind kind;
	enum cls cls;       /* K_TOKEN: the token's characters */
	unsigned back;      /* K_TOKEN: match end - token start */
	unsigned skip;      /* K_TOKEN: leading label, not secret */
	unsigned minlen;    /* of the value */
	unsigned maxlen;    /* of the value (<= SEC_MAX_VALUE) */
	double min_entropy; /* bits per char; 0 = no entropy gate */
	bool strong;        /* fixed prefix: placeholder words kept */
	bool generic;       /* loses to any specific rule on the same bytes */
	const char *const *paths; /* only files matching these, or NULL */
};

#define FIX_CLOUD                                                              \
	"Remove the credential from the image and revoke it at the "           \
	"provider now: anyone who downloads the firmware can use it.  Give "   \
	"each unit its own credential at manufacturing or enrolment (a "       \
	"device certificate, ideally in a secure element), or have the "       \
	"device fetch short-lived tokens after it authenticates."

/*
 * What this check reports (check.h: findings as data).  Titles name the
 * rule and the key; credentials in a plaintext-protocol URL report
 * S1.1-12 too.
 */
enum {
	F_AWS_KEY,
	F_AWS_SECRET,
	F_GCP_KEY,
	F_AZURE_KEY,
	F_SLACK_TOKEN,
	F_GITHUB_TOKEN,
	F_STRIPE_KEY,
	F_JWT,
	F_ASSIGNMENT,
	F_URL,
	F_WIFI_PSK,
};
static const struct Sl_finding_def findings[] = {
    [F_AWS_KEY] = {"FW-SECRET-AWS-KEY",
                   SL_SEV_HIGH,
                   {"S1.1-11"},
                   "AWS access key id stored in plaintext",
                   FIX_CLOUD},
    [F_AWS_SECRET] = {"FW-SECRET-AWS-SECRET",
                      SL_SEV_HIGH,
                      {"S1.1-11"},
                      "AWS secret access key stored in plaintext",
                      FIX_CLOUD},
    [F_GCP_KEY] = {"FW-SECRET-GCP-KEY",
                   SL_SEV_HIGH,
                   {"S1.1-11"},
                   "Google Cloud API key stored in plaintext",
                   FIX_CLOUD},
    [F_AZURE_KEY] = {"FW-SECRET-AZURE-KEY",
                     SL_SEV_HIGH,
                     {"S1.1-11"},
                     "Azure key stored in plaintext",
                     FIX_CLOUD},
    [F_SLACK_TOKEN] = {"FW-SECRET-SLACK-TOKEN",
                       SL_SEV_HIGH,
                       {"S1.1-11"},
                       "Slack token stored in plaintext",
                       FIX_CLOUD},
    [F_GITHUB_TOKEN] = {"FW-SECRET-GITHUB-TOKEN",
                        SL_SEV_HIGH,
                        {"S1.1-11"},
                        "GitHub token stored in plaintext",
                        FIX_CLOUD},
    [F_STRIPE_KEY] = {"FW-SECRET-STRIPE-KEY",
                      SL_SEV_HIGH,
                      {"S1.1-11"},
                      "Stripe live secret key stored in plaintext",
                      FIX_CLOUD},
    [F_JWT] = {"FW-SECRET-JWT",
               SL_SEV_MEDIUM,
               {"S1.1-11"},
               "JSON web token stored in plaintext",
               "A bearer token in the image works for anyone who extracts "
               "it: revoke it and issue tokens per device after it "
               "authenticates."},
    [F_ASSIGNMENT] = {"FW-SECRET-ASSIGNMENT",
                      SL_SEV_MEDIUM,
                      {"S1.1-11"},
                      "secret stored in plaintext",
                      "Do not ship secrets in configuration files or "
                      "scripts: generate them per unit at first boot or "
                      "provisioning, keep them readable only by the "
                      "service that uses them (mode 0600), and encrypt "
                      "them at rest where the hardware allows (S1.1-11)."},
    /* S1.1-12 only for a plaintext scheme (Sl_at.reqs). */
    [F_URL] = {"FW-SECRET-URL-CREDENTIALS",
               SL_SEV_HIGH,
               {"S1.1-11", "S1.1-12"},
               "credentials embedded in a URL",
               "Do not embed credentials in URLs: they end up in logs, "
               "process lists and the image.  Use per-device credentials "
               "provisioned at enrolment, and send them only over TLS "
               "(S1.1-12)."},
    [F_WIFI_PSK] = {"FW-SECRET-WIFI-PSK",
                    SL_SEV_HIGH,
                    {"S1.1-11"},
                    "Wi-Fi passphrase stored in plaintext",
                    "Ship no Wi-Fi passphrase common to every unit: "
                    "generate a per-unit passphrase at manufacturing "
                    "(printed on the label), or leave Wi-Fi unconfigured "
                    "until the user sets it."},
    {NULL},
};

static const char *const wireless_files[] = {
    "*config/wireless",
    NULL,
};

/*
 * The rules.  Patterns are written for both Hyperscan and ripgrep
 * (bench/secrets.sh feeds the same list to rg), end at a single point per
 * occurrence, and never match the empty string.
 */
/* clang-format off */
static const struct rule rules[] = {
    {.f = &findings[F_AWS_KEY],
     .name = "AWS access key id",
     .re = "(?:AKIA|ASIA)[0-9A-Z]{16}",
     .kind = K_TOKEN, .cls = C_UPNUM, .back = 20,
     .minlen = 20, .maxlen = 20, .strong = true},
    {.f = &findings[F_AWS_SECRET],
     .name = "AWS secret access key",
     .re = "(?i)secret_?access_?key[\"']?[ \\t]*[=:]",
     .kind = K_ASSIGN,
     .minlen = 40, .maxlen = 40, .min_entropy = 3.5},
    {.f = &findings[F_GCP_KEY],
     .name = "Google Cloud API key",
     .re = "AIza[0-9A-Za-z_\\-]{35}",
     .kind = K_TOKEN, .cls = C_B64URL, .back = 39,
     .minlen = 39, .maxlen = 39, .strong = true},
    {.f = &findings[F_AZURE_KEY],
     .name = "Azure storage account key",
     .re = "AccountKey=[A-Za-z0-9+/]{86}==",
     .kind = K_TOKEN, .cls = C_B64, .back = 99, .skip = 11,
     .minlen = 88, .maxlen = 88, .min_entropy = 3.5, .strong = true},
    {.f = &findings[F_AZURE_KEY],
     .name = "Azure shared access key",
     .re = "SharedAccessKey=[A-Za-z0-9+/]{43}=",
     .kind = K_TOKEN, .cls = C_B64, .back = 60, .skip = 16,
     .minlen = 44, .maxlen = 44, .min_entropy = 3.5, .strong = true},
    {.f = &findings[F_SLACK_TOKEN],
     .name = "Slack token",
     .re = "xox[abpr]-[0-9A-Za-z]{4}",
     .kind = K_TOKEN, .cls = C_DASH, .back = 9,
     .minlen = 20, .maxlen = 255, .strong = true},
    {.f = &findings[F_GITHUB_TOKEN],
     .name = "GitHub token",
     .re = "gh[pousr]_[A-Za-z0-9]{36}",
     .kind = K_TOKEN, .cls = C_ALNUM, .back = 40,
     .minlen = 40, .maxlen = 40, .strong = true},
    {.f = &findings[F_GITHUB_TOKEN],
     .name = "GitHub fine-grained token",
     .re = "github_pat_[A-Za-z0-9_]{82}",
     .kind = K_TOKEN, .cls = C_WORD, .back = 93,
     .minlen = 93, .maxlen = 93, .strong = true},
    {.f = &findings[F_STRIPE_KEY],
     .name = "Stripe live secret key",
     .re = "[sr]k_live_[0-9A-Za-z]{16}",
     .kind = K_TOKEN, .cls = C_ALNUM, .back = 24,
     .minlen = 24, .maxlen = 255, .strong = true},
    {.f = &findings[F_JWT],
     .name = "JSON web token",
     .re = "eyJ[A-Za-z0-9_\\-]{8,}\\.eyJ[A-Za-z0-9_\\-]{8,}\\.",
     .kind = K_JWT, .cls = C_B64URL,
     .minlen = 40, .maxlen = SEC_MAX_VALUE, .strong = true},
    {.f = &findings[F_ASSIGNMENT],
     .name = "secret assignment",
     .re = "(?i)(?:passw(?:or)?d|passphrase|pwd|secret|api_?key|"
           "access_?token|auth_?token|token|access_?key|secret_?key)"
           "[\"']?[ \\t]*[=:]",
     .kind = K_ASSIGN,
     .minlen = 8, .maxlen = SEC_MAX_VALUE, .min_entropy = 3.0,
     .generic = true},
    {.f = &findings[F_ASSIGNMENT],
     .name = "UCI secret option",
     .re = "(?i)\\boption[ \\t]+[A-Za-z0-9_]*(?:secret|api_?key|token|"
           "access_?key|passphrase)[ \\t]",
     .kind = K_UCI,
     .minlen = 8, .maxlen = SEC_MAX_VALUE, .min_entropy = 3.0,
     .generic = true},
    {.f = &findings[F_URL],
     .name = "credentials in a URL",
     .re = "[A-Za-z][A-Za-z0-9+.\\-]{0,15}://[^/\\s:@'\"<>]{1,64}:"
           "[^/\\s:@'\"<>]{1,128}@",
     .kind = K_URL,
     .minlen = 4, .maxlen = 128},
    {.f = &findings[F_WIFI_PSK],
     .name = "Wi-Fi passphrase (UCI)",
     .re = "\\boption[ \\t]+key[ \\t]",
     .kind = K_UCI,
     .minlen = 8, .maxlen = 64,
     .paths = wireless_files},
    {.f = &findings[F_WIFI_PSK],
     .name = "Wi-Fi passphrase (wpa_supplicant/hostapd)",
     .re = "\\b(?:wpa_passphrase|wpa_psk|sae_password|psk)=",
     .kind = K_ASSIGN,
     .minlen = 8, .maxlen = 64},
    {.name = "PEM block",
     .re = "-----BEGIN [A-Z0-9 ]{0,40}(?:PRIVATE KEY|CERTIFICATE)-----",
     .kind = K_PEM},
    {.name = "PuTTY key", .re = "PuTTY-User-Key-File-", .kind = K_PEM},
};

/* clang-format on */

#define NRULES SL_ARRAY_LEN(rules)

/* Plaintext schemes: credentials in such a URL also cross in clear. */
static const char *const plain_schemes[] = {
    "http", "ftp",   "mqtt", "tcp",  "telnet", "tftp", "ws", "amqp",
    "rtsp", "redis", "ldap", "smtp", "imap",   "pop3", NULL,
};

/* Files whose passwords fw.accounts reports (its own patterns). */
static const char *const accounts_files[] = {
    "etc/config/*", "*/etc/config/*", "*nvram*", "*htpasswd*",
    "*httpd*.conf", "*mosquitto*",    NULL,
};

/* ------------------------------------------------------------------ */
/* Per-file state                                                      */
/* ------------------------------------------------------------------ */

struct hit {
	size_t start;        /* the finding's offset: key or token start */
	size_t vstart, vend; /* the value */
	size_t kstart, kend; /* assignments: the key name */
	bool plain;          /* URL: a plaintext scheme */
	bool dropped;        /* lost to a specific rule */
};

struct fstate {
	struct hit hits[NRULES][SEC_MAX_PER_RULE];
	size_t kept[NRULES];  /* entries used in hits[r] */
	size_t count[NRULES]; /* values that passed the gate */
	size_t last_end[NRULES];
	bool pem;    /* a PEM header in a large file */
	bool source; /* program text: values must be string literals */
	bool any;
};

/* ------------------------------------------------------------------ */
/* Gates                                                               */
/* ------------------------------------------------------------------ */

static bool
in_cls(enum cls c, uint8_t b)
{
	bool alnum = (b >= '0' && b <= '9') || (b >= 'a' && b <= 'z') ||
	             (b >= 'A' && b <= 'Z');

	switch (c) {
	case C_UPNUM: return (b >= '0' && b <= '9') || (b >= 'A' && b <= 'Z');
	case C_ALNUM: return alnum;
	case C_WORD: return alnum || b == '_';
	case C_B64URL: return alnum || b == '_' || b == '-';
	case C_B64: return alnum || b == '+' || b == '/' || b == '=';
	case C_DASH: return alnum || b == '-';
	default: return false;
	}
}

/* The start of the line holding d[at] (bounded look back). */
static size_t
line_start_of(const uint8_t *d, size_t at)
{
	size_t i = at;

	while (i > 0 && at - i < 4096 && d[i - 1] != '\n')
		i--;
	return i;
}

static bool
is_alnum(uint8_t b)
{
	return in_cls(C_ALNUM, b);
}

/* Case-insensitive search for needle in v[0..n). */
static bool
has_ci(const char *v, size_t n, const char *needle)
{
	size_t m = strlen(needle), i, j;

	for (i = 0; i + m <= n; i++) {
		for (j = 0; j < m; j++) {
			char a = v[i + j], b = needle[j];

			if (a >= 'A' && a <= 'Z')
				a = (char)(a + 32);
			if (a != b)
				break;
		}
		if (j == m)
			return true;
	}
	return false;
}

static bool
eq_ci(const char *v, size_t n, const char *word)
{
	return strlen(word) == n && has_ci(v, n, word);
}

/*
 * A value that is a template, not a value: a variable or format
 * reference, markup, or one character repeated.  Dropped for every rule.
 */
bool
Sl_sec_templated(const char *v, size_t n)
{
	static const char *const marks[] = {"${", "$(", "{{", "%s", "%d", "%[",
	                                    "%c", "%u", "<",  ">",  NULL};
	const char *const *m;
	size_t i;

	if (n == 0)
		return true;
	for (m = marks; *m != NULL; m++)
		if (has_ci(v, n, *m))
			return true;
	if (v[0] == '$' || v[0] == '%' || v[0] == '@')
		return true;
	for (i = 1; i < n && v[i] == v[0]; i++)
		;
	return i == n;
}

/*
 * A value that names a secret rather than being one: placeholder words,
 * paths, expressions and identifier chains.  Dropped for rules without a
 * strong fixed prefix.
 */
bool
Sl_sec_placeholder(const char *v, size_t n)
{
	static const char *const words[] = {
	    "password",
	    "passwd",
	    "pass",
	    "pwd",
	    "secret",
	    "token",
	    "changeme",
	    "changeit",
	    "default",
	    "example",
	    "sample",
	    "dummy",
	    "test",
	    "testing",
	    "none",
	    "null",
	    "nil",
	    "undefined",
	    "true",
	    "false",
	    "yes",
	    "no",
	    "empty",
	    "redacted",
	    "hidden",
	    "placeholder",
	    "todo",
	    "fixme",
	    "user",
	    "username",
	    "very secret passphrase",
	    "secret passphrase",
	    NULL,
	};
	static const char *const parts[] = {
	    "changeme", "change_me",  "change-me", "your_",   "your-",
	    "yourpass", "yoursecret", "yourtoken", "replace", "placeholder",
	    "example",  "dummy",      "redacted",  "xxxx",    "****",
	    "....",     NULL,
	};
	const char *const *w;
	size_t i;
	bool ident = true, dot = false;

	if (Sl_sec_templated(v, n))
		return true;
	for (w = words; *w != NULL; w++)
		if (eq_ci(v, n, *w))
			return true;
	for (w = parts; *w != NULL; w++)
		if (has_ci(v, n, *w))
			return true;
	if (v[0] == '/' || (n > 1 && v[0] == '.' && v[1] == '/') ||
	    (n > 1 && v[0] == '~' && v[1] == '/'))
		return true;
	if (memchr(v, '(', n) || memchr(v, ')', n))
		return true;
	/* An identifier chain: this.password, e.target.value. */
	for (i = 0; i < n && ident; i++) {
		if (v[i] == '.' && i > 0 && i + 1 < n && v[i - 1] != '.')
			dot = true;
		else if (!in_cls(C_WORD, (uint8_t)v[i]) && v[i] != '$')
			ident = false;
	}
	return ident && dot && !(v[0] >= '0' && v[0] <= '9');
}

static double
entropy(const uint8_t *p, size_t n)
{
	return Sl_entropy(p, n);
}

/* Is the value v[0..n) acceptable for rule r? */
static bool
gate(const struct rule *r, const uint8_t *v, size_t n)
{
	if (n < r->minlen || n > r->maxlen)
		return false;
	if (Sl_sec_templated((const char *)v, n))
		return false;
	if (!r->strong && Sl_sec_placeholder((const char *)v, n))
		return false;
	if (r->min_entropy > 0 && entropy(v, n) < r->min_entropy)
		return false;
	return true;
}

/* A printable byte that may be part of a bare value. */
static bool
bare_ok(uint8_t b)
{
	return b > 0x20 && b < 0x7f && !strchr("'\"`;&,<>(){}[]|\\", b);
}

/* ------------------------------------------------------------------ */
/* Cutting values out                                                  */
/* ------------------------------------------------------------------ */

/*
 * The value after a separator at d[at]: blanks, then a quoted string
 * (same quote closes it, on one line) or a bare word.  false when there
 * is none.
 */
static bool
value_at(const uint8_t *d, size_t len, size_t at, size_t *vs, size_t *ve)
{
	size_t i = at, k;

	for (k = 0; i < len && k < 16 && (d[i] == ' ' || d[i] == '\t'); k++)
		i++;
	if (i >= len)
		return false;
	if (d[i] == '"' || d[i] == '\'' || d[i] == '`') {
		uint8_t q = d[i];

		*vs = ++i;
		while (i < len && i - *vs <= SEC_MAX_VALUE && d[i] != q) {
			if (d[i] < 0x20 || d[i] >= 0x7f)
				return false;
			i++;
		}
		if (i >= len || d[i] != q)
			return false;
		*ve = i;
		return true;
	}
	*vs = i;
	while (i < len && i - *vs <= SEC_MAX_VALUE && bare_ok(d[i]))
		i++;
	*ve = i;
	return *ve > *vs;
}

/* The key name ending before position at (blanks and a quote skipped). */
static void
key_before(const uint8_t *d, size_t at, size_t *ks, size_t *ke)
{
	size_t i = at, k;

	for (k = 0; i > 0 && k < 16 && (d[i - 1] == ' ' || d[i - 1] == '\t');
	     k++)
		i--;
	if (i > 0 && (d[i - 1] == '"' || d[i - 1] == '\''))
		i--;
	*ke = i;
	while (i > 0 && *ke - i < SEC_MAX_KEY &&
	       (in_cls(C_WORD, d[i - 1]) || d[i - 1] == '.' || d[i - 1] == '-'))
		i--;
	*ks = i;
}

static bool
plain_scheme(const uint8_t *p, size_t n)
{
	const char *const *s;

	for (s = plain_schemes; *s != NULL; s++)
		if (eq_ci((const char *)p, n, *s))
			return true;
	return false;
}

/* Program text, where "name = rest of line" is code, not a stored value. */
static const char *const source_files[] = {
    "*.lua", "*.sh",  "*.js",   "*.py", "*.pl", "*.pm",  "*.php", "*.rb",
    "*.tcl", "*.htm", "*.html", "*.uc", "*.ut", "*.awk", "*.cgi", NULL,
};

static bool
is_source(const struct Sl_file *f)
{
	if (f->len >= 2 && f->data[0] == '#' && f->data[1] == '!')
		return true;
	return Sl_path_any(Sl_inner(f->e), source_files) &&
	       Sl_is_text(f->data, f->len);
}

/*
 * In program text the right-hand side must be one string literal: not a
 * bare word (a variable), not a call, and not a string that goes on into
 * an expression ("a" .. b, "a" + b, "a" % x) or expands variables
 * ("$password", "${x:+...}").  Elsewhere a bare value is fine unless a
 * call follows it ("password = s:taboption(...)" inside a binary).
 */
static bool
literal_rhs(const uint8_t *d, size_t len, size_t vs, size_t ve, bool source)
{
	bool quoted = vs > 0 && (d[vs - 1] == '"' || d[vs - 1] == '\'' ||
	                         d[vs - 1] == '`');
	size_t i = quoted ? ve + 1 : ve, k;

	for (k = 0; i < len && k < 16 && (d[i] == ' ' || d[i] == '\t'); k++)
		i++;
	if (i < len && d[i] == '(')
		return false; /* a call */
	if (!source)
		return true;
	if (!quoted || d[vs - 1] == '`')
		return false; /* a name or a command substitution */
	/*
	 * The statement or the list must end after the literal: ',', ';',
	 * a closing bracket, the end of the line, or a comment.  Anything
	 * else is an expression going on ("a" .. b, "a" + b) or a quote
	 * that closed a string rather than opened one ("Old Password:",).
	 */
	if (i < len && d[i] != '\n' && d[i] != '\r' &&
	    strchr(",;)}]#", d[i]) == NULL &&
	    !(i + 1 < len && ((d[i] == '-' && d[i + 1] == '-') ||
	                      (d[i] == '/' && d[i + 1] == '/'))))
		return false;
	if (ve > vs && d[ve - 1] == '\\')
		return false; /* ended at an escaped quote: not one literal */
	/*
	 * Words for people: a label with blanks ("Confirm Password") or
	 * HTML entities ("&lt;default&gt;") in a UI string table.
	 */
	for (k = vs; k < ve; k++)
		if (d[k] == ' ' || d[k] == '\t' ||
		    (d[k] == '&' && k + 3 < ve &&
		     (memcmp(d + k + 1, "lt;", 3) == 0 ||
		      memcmp(d + k + 1, "gt;", 3) == 0 || d[k + 1] == '#')))
			return false;
	if (d[vs - 1] == '"')
		for (k = vs; k + 1 < ve; k++)
			if (d[k] == '$' &&
			    (d[k + 1] == '{' || d[k + 1] == '(' ||
			     d[k + 1] == '_' ||
			     (d[k + 1] >= 'A' && d[k + 1] <= 'Z') ||
			     (d[k + 1] >= 'a' && d[k + 1] <= 'z')))
				return false; /* expands a variable */
	return true;
}

/* The type of the UCI section holding d[at]: "wifi-iface", or "". */
static void
uci_stype(const uint8_t *d, size_t at, char *out, size_t outsz)
{
	size_t i = at, k, n = 0;

	out[0] = 0;
	while (i > 0 && at - i < 16384) {
		size_t ls = line_start_of(d, i - 1);

		for (k = ls; k < i && (d[k] == ' ' || d[k] == '\t'); k++)
			;
		if (i - k > 7 && memcmp(d + k, "config", 6) == 0 &&
		    (d[k + 6] == ' ' || d[k + 6] == '\t')) {
			k += 6;
			while (k < i && (d[k] == ' ' || d[k] == '\t'))
				k++;
			if (k < i && (d[k] == '\'' || d[k] == '"'))
				k++;
			while (k < i && n + 1 < outsz &&
			       (in_cls(C_WORD, d[k]) || d[k] == '-'))
				out[n++] = (char)d[k++];
			out[n] = 0;
			return;
		}
		i = ls;
	}
}

/*
 * A UCI option in etc/config/PKG: a credential only if uci.c's table says
 * so for this package, section, option and value.
 */
static bool
uci_cred_ok(const struct rule *r, const struct Sl_file *f, const struct hit *h)
{
	const char *pkg = Sl_uci_pkg(Sl_inner(f->e));
	char opt[SEC_MAX_KEY + 1], val[SEC_MAX_VALUE + 1], stype[65];
	size_t kn = h->kend - h->kstart, vn = h->vend - h->vstart;
	enum sl_uci_cred k;

	if (pkg == NULL)
		return true; /* not a UCI file: the gate alone decides */
	if (kn == 0 || kn > SEC_MAX_KEY || vn > SEC_MAX_VALUE)
		return false;
	memcpy(opt, f->data + h->kstart, kn);
	opt[kn] = 0;
	memcpy(val, f->data + h->vstart, vn);
	val[vn] = 0;
	if (memchr(val, 0, vn) != NULL)
		return false;
	uci_stype(f->data, h->kstart, stype, sizeof(stype));
	k = Sl_uci_cred(pkg, stype, opt, val);
	(void)r;
	return k == SL_UCI_KEY;
}

/* The JSON web token example of jwt.io, in documentation everywhere. */
static const char jwt_io_sig[] = "SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c";

/*
 * Fill h for rule r matched at end; false when there is no acceptable
 * value there.  Every loop is bounded by SEC_MAX_VALUE or a small count.
 */
static bool
cut(const struct rule *r, const struct Sl_file *f, size_t end, struct hit *h)
{
	const uint8_t *d = f->data;
	size_t len = f->len, i;

	memset(h, 0, sizeof(*h));
	switch (r->kind) {
	case K_TOKEN:
		if (end < r->back)
			return false;
		h->start = end - r->back;
		if (h->start > 0 && is_alnum(d[h->start - 1]))
			return false;
		h->vstart = h->start + r->skip;
		i = end;
		while (i < len && i - h->vstart <= r->maxlen &&
		       in_cls(r->cls, d[i]))
			i++;
		h->vend = i;
		break;
	case K_ASSIGN:
	case K_UCI:
		if (end == 0)
			return false;
		i = end;
		if (r->kind == K_ASSIGN && i < len) {
			uint8_t sep = d[end - 1];

			if (d[i] == '=' && sep == ':')
				i++; /* := */
			else if (d[i] == '>' && sep == '=')
				i++; /* => */
			else if (d[i] == sep)
				return false; /* == or :: */
		}
		key_before(d, end - 1, &h->kstart, &h->kend);
		if (!value_at(d, len, i, &h->vstart, &h->vend))
			return false;
		h->start = h->kstart;
		if (r->kind == K_ASSIGN &&
		    !literal_rhs(d, len, h->vstart, h->vend,
		                 ((const struct fstate *)f->priv)->source))
			return false;
		/* GPON_AUTH_PWD = "GPON_AUTH_PWD": a name, not a value. */
		if (h->kend - h->kstart == h->vend - h->vstart &&
		    memcmp(d + h->kstart, d + h->vstart, h->vend - h->vstart) ==
		        0)
			return false;
		if (r->kind == K_UCI && !uci_cred_ok(r, f, h))
			return false;
		break;
	case K_URL: {
		size_t at = end - 1, colon, us;

		i = at;
		while (i > 0 && at - i <= 128 && d[i - 1] != ':')
			i--;
		if (i == 0 || d[i - 1] != ':')
			return false;
		h->vstart = i;
		h->vend = at;
		colon = i - 1;
		i = colon;
		while (i > 0 && colon - i <= 64 && d[i - 1] != '/')
			i--;
		us = i;
		if (us < 3 || memcmp(d + us - 3, "://", 3) != 0)
			return false;
		h->kstart = us; /* the user name, for the title */
		h->kend = colon;
		i = us - 3;
		while (i > 0 && us - 3 - i < 16 &&
		       (is_alnum(d[i - 1]) || d[i - 1] == '+' ||
		        d[i - 1] == '.' || d[i - 1] == '-'))
			i--;
		h->start = i;
		h->plain = plain_scheme(d + i, us - 3 - i);
		if (Sl_sec_templated((const char *)d + us, colon - us))
			return false;
		break;
	}
	case K_JWT: {
		size_t d2 = end - 1, d1, s0;

		i = d2;
		while (i > 0 && d2 - i <= 4096 && in_cls(C_B64URL, d[i - 1]))
			i--;
		if (i == 0 || d[i - 1] != '.')
			return false;
		d1 = i - 1;
		i = d1;
		while (i > 0 && d1 - i <= 4096 && in_cls(C_B64URL, d[i - 1]))
			i--;
		s0 = i;
		while (s0 + 3 <= d1 && memcmp(d + s0, "eyJ", 3) != 0)
			s0++;
		if (s0 + 3 > d1)
			return false;
		h->start = h->vstart = s0;
		i = end;
		while (i < len && i - end < 1024 && in_cls(C_B64URL, d[i]))
			i++;
		if (i - end < 16 || i - s0 > SEC_MAX_VALUE)
			return false;
		if (i - end == sizeof(jwt_io_sig) - 1 &&
		    memcmp(d + end, jwt_io_sig, i - end) == 0)
			return false;
		h->vend = i;
		break;
	}
	default: return false;
	}
	return gate(r, d + h->vstart, h->vend - h->vstart);
}

/* A password key in a file fw.accounts reads: its finding, not ours. */
static bool
left_to_accounts(const struct Sl_file *f, const struct hit *h)
{
	const char *k = (const char *)f->data + h->kstart;
	size_t n = h->kend - h->kstart;

	if (!(has_ci(k, n, "pass") || has_ci(k, n, "pwd")) ||
	    has_ci(k, n, "phrase"))
		return false;
	return Sl_path_any(Sl_inner(f->e), accounts_files);
}

/* ------------------------------------------------------------------ */
/* Hooks                                                               */
/* ------------------------------------------------------------------ */

static void
sec_begin(struct Sl_file *f)
{
	struct fstate *st = f->priv;

	memset(st->kept, 0, sizeof(st->kept));
	memset(st->count, 0, sizeof(st->count));
	memset(st->last_end, 0, sizeof(st->last_end));
	st->pem = false;
	st->source = is_source(f);
	st->any = false;
}

static int
sec_match(struct Sl_file *f, unsigned id, size_t end)
{
	struct fstate *st = f->priv;
	const struct rule *r;
	struct hit h;

	if (id >= NRULES)
		return 0;
	r = &rules[id];
	if (r->kind == K_PEM) {
		if (f->len > SL_KEYS_MAX_FILE)
			st->pem = true;
		return 0;
	}
	if (r->paths != NULL && !Sl_path_any(Sl_inner(f->e), r->paths))
		return 0;
	if (!cut(r, f, end, &h))
		return 0;
	if (st->count[id] > 0 && h.vstart < st->last_end[id])
		return 0; /* the same value again */
	if (r->generic && left_to_accounts(f, &h))
		return 0;
	st->last_end[id] = h.vend;
	if (st->kept[id] < SEC_MAX_PER_RULE)
		st->hits[id][st->kept[id]++] = h;
	st->count[id]++;
	st->any = true;
	return 0;
}

/* Drop generic hits on bytes a specific rule explains. */
static void
drop_generic(struct fstate *st)
{
	size_t g, i, r, k;

	for (g = 0; g < NRULES; g++) {
		if (!rules[g].generic)
			continue;
		for (i = 0; i < st->kept[g]; i++) {
			struct hit *h = &st->hits[g][i];

			for (r = 0; r < NRULES && !h->dropped; r++) {
				if (rules[r].generic)
					continue;
				for (k = 0; k < st->kept[r]; k++) {
					const struct hit *o = &st->hits[r][k];

					if (o->vstart < h->vend &&
					    h->vstart < o->vend) {
						h->dropped = true;
						st->count[g]--;
						break;
					}
				}
			}
		}
	}
}

/*
 * Star out the other values found in this file where they show in ex
 * (which starts at file offset at), and any other token that looks like
 * a credential: only the finding's own value is left, for sl_finding_add
 * to mask.
 */
static void
mask_others(const struct fstate *st, const struct hit *self, char *ex,
            size_t at)
{
	size_t n = strlen(ex), r, i, k;

	for (r = 0; r < NRULES; r++)
		for (i = 0; i < st->kept[r]; i++) {
			const struct hit *o = &st->hits[r][i];
			size_t a = o->vstart > at ? o->vstart - at : 0;
			size_t b = o->vend > at ? o->vend - at : 0;

			if (o == self || o->dropped || o->vend <= at ||
			    a >= n ||
			    (o->vstart < self->vend && self->vstart < o->vend))
				continue;
			for (k = a; k < b && k < n; k++)
				ex[k] = '*';
		}
	Sl_mask_tokens(ex, self->vstart - at, self->vend - at);
}

static const char *
title_of(struct sl_scan *s, const struct rule *r, const struct Sl_file *f,
         const struct hit *h)
{
	struct Sl_arena *a = &s->arena;
	const char *k = (const char *)f->data + h->kstart;
	int kn = (int)(h->kend - h->kstart);

	switch (r->kind) {
	case K_ASSIGN:
	case K_UCI:
		if (r->generic)
			return Sl_arena_printf(
			    a, "%s: value of '%.*s' stored in plaintext",
			    r->name, kn, k);
		return Sl_arena_printf(a,
		                       "%s stored in plaintext (option or "
		                       "variable '%.*s')",
		                       r->name, kn, k);
	case K_URL:
		return Sl_arena_printf(
		    a, "%s: password of '%.*s' embedded in a %s URL", r->name,
		    kn, k, h->plain ? "plaintext-protocol" : "TLS");
	default: return Sl_arena_printf(a, "%s stored in plaintext", r->name);
	}
}

/* A URL with a TLS scheme: the secret is stored, not sent in clear. */
static const char *const only_11[] = {"S1.1-11", NULL};

static sl_rc
sec_end(struct Sl_file *f)
{
	struct fstate *st = f->priv;
	struct sl_scan *s = f->s;
	size_t r, i;
	sl_rc rc = SL_OK;

	if (st->pem)
		rc = Sl_keys_examine(s, f->e, f->data, f->len);
	if (!st->any || rc != SL_OK)
		return rc;
	drop_generic(st);
	for (r = 0; r < NRULES && rc == SL_OK; r++) {
		const struct rule *ru = &rules[r];
		size_t last = 0, n = 0;

		for (i = 0; i < st->kept[r]; i++)
			if (!st->hits[r][i].dropped) {
				last = i;
				n++;
			}
		for (i = 0; i < st->kept[r] && rc == SL_OK; i++) {
			const struct hit *h = &st->hits[r][i];
			char *ex, *sec;
			const char *title;
			size_t at = 0;

			if (h->dropped)
				continue;
			ex = Sl_excerpt(s, f->data, f->len, h->start, h->vend,
			                SEC_CTX, &at);
			if (ex != NULL)
				mask_others(st, h, ex, at);
			sec = Sl_arena_strndup(
			    &s->arena, (const char *)f->data + h->vstart,
			    h->vend - h->vstart);
			title = title_of(s, ru, f, h);
			if (ex != NULL && i == last && st->count[r] > n)
				ex = Sl_arena_printf(
				    &s->arena,
				    "%s [and %zu more in this file, not "
				    "listed]",
				    ex, st->count[r] - n);
			if (ex == NULL || sec == NULL || title == NULL ||
			    !Sl_mask_value(s, ex, sec))
				return SL_E_NOMEM;
			rc = Sl_report(
			    s, ru->f,
			    &(struct Sl_at){
			        .e = f->e,
			        .off = h->start,
			        .excerpt = ex,
			        .secret = sec,
			        .title = title,
			        .reqs = ru->kind == K_URL && !h->plain ? only_11
			                                               : NULL});
		}
	}
	return rc;
}

/* ------------------------------------------------------------------ */
/* The check                                                           */
/* ------------------------------------------------------------------ */

const char *
Sl_sec_pattern(size_t i, const char **id)
{
	if (i >= NRULES)
		return NULL;
	if (id != NULL)
		*id = rules[i].f != NULL ? rules[i].f->id : "PEM";
	return rules[i].re;
}

static sl_rc
secrets_prepare(struct sl_scan *s, struct Sl_grep_job *job)
{
	static const struct Sl_grep_ops ops = {
	    .who = "fw.secrets",
	    .priv_size = sizeof(struct fstate),
	    .begin = sec_begin,
	    .match = sec_match,
	    .end = sec_end,
	};
	const char *re[NRULES];
	struct Sl_patterns *p;
	size_t i;
	sl_rc rc;

	for (i = 0; i < NRULES; i++)
		re[i] = rules[i].re;
	rc = Sl_patterns_compile(s, "fw.secrets", re, NULL, NRULES, &p);
	job->p = p;
	job->ops = &ops;
	return rc;
}

static sl_rc
secrets_finish(struct sl_scan *s, struct Sl_grep_job *job, sl_rc rc)
{
	Sl_patterns_free((struct Sl_patterns *)job->p);
	if (rc == SL_E_NOMEM)
		return Sl_fail(s, rc, "fw.secrets: out of memory");
	return rc;
}

const struct Sl_check Sl_check_secrets = {
    .id = "fw.secrets",
    .title = "Credentials and tokens stored in the clear",
    .covers = {"S1.1-11", "S1.1-12", NULL},
    .findings = findings,
    .source = SL_SRC_FIRMWARE,
    .prepare = secrets_prepare,
    .finish = secrets_finish,
};
