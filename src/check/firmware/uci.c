/*
 * uci.c - the table of UCI options that hold credentials (uci.h).
 *
 * The option name alone decided before, and `option passwd "/etc/passwd"`
 * in luci's keep-files list became a high plaintext-password finding.
 * Now three facts must agree: the package (or a password-shaped option
 * name), the option, and a value that is a literal secret.
 */
#include <string.h>

#include "uci.h"

/* secrets.c */
bool Sl_sec_templated(const char *v, size_t n);

struct ucred {
	const char *pkg;   /* etc/config/<pkg> */
	const char *stype; /* section type, or NULL for any */
	const char *opt;
	enum sl_uci_cred kind;
};

/*
 * Options OpenWrt packages read as secrets.  SL_UCI_NONE entries are
 * options whose name looks like a secret but whose value is a file or a
 * list of files.
 */
static const struct ucred table[] = {
    {"wireless", "wifi-iface", "key", SL_UCI_KEY},
    {"wireless", "wifi-iface", "key1", SL_UCI_KEY},
    {"wireless", "wifi-iface", "key2", SL_UCI_KEY},
    {"wireless", "wifi-iface", "key3", SL_UCI_KEY},
    {"wireless", "wifi-iface", "key4", SL_UCI_KEY},
    {"wireless", "wifi-iface", "sae_password", SL_UCI_KEY},
    {"wireless", "wifi-iface", "auth_secret", SL_UCI_KEY},
    {"wireless", "wifi-iface", "acct_secret", SL_UCI_KEY},
    {"wireless", "wifi-iface", "password", SL_UCI_PASSWORD},
    {"wireless", "wifi-iface", "priv_key_pwd", SL_UCI_PASSWORD},
    {"wireless", "wifi-iface", "priv_key2_pwd", SL_UCI_PASSWORD},
    {"network", "interface", "password", SL_UCI_PASSWORD},
    {"network", "interface", "private_key", SL_UCI_KEY},
    {"network", NULL, "preshared_key", SL_UCI_KEY},
    {"ddns", "service", "password", SL_UCI_PASSWORD},
    {"rpcd", "login", "password", SL_UCI_PASSWORD},
    {"openvpn", NULL, NULL, SL_UCI_NONE},
    {"openvpn_recipes", NULL, NULL, SL_UCI_NONE},
    {"luci", NULL, NULL, SL_UCI_NONE},
    {"uhttpd", NULL, NULL, SL_UCI_NONE},
    {"ucitrack", NULL, NULL, SL_UCI_NONE},
};

static bool
ends_with(const char *s, size_t n, const char *suf)
{
	size_t m = strlen(suf);

	return n >= m && strcmp(s + n - m, suf) == 0;
}

/* *password, *passwd, *pwd, and pw or pass as the whole name or word. */
static bool
password_name(const char *opt)
{
	static const char *const not_pw[] = {"bypass", "compass", "nopass",
	                                     "passthrough", NULL};
	size_t n = strlen(opt), i;
	char k[65];

	if (n == 0 || n >= sizeof(k))
		return false;
	for (i = 0; i <= n; i++)
		k[i] = (char)(opt[i] >= 'A' && opt[i] <= 'Z' ? opt[i] + 32
		                                             : opt[i]);
	for (i = 0; not_pw[i] != NULL; i++)
		if (ends_with(k, n, not_pw[i]))
			return false;
	if (ends_with(k, n, "password") || ends_with(k, n, "passwd") ||
	    ends_with(k, n, "pwd"))
		return true;
	if (strcmp(k, "pw") == 0 || strcmp(k, "pass") == 0)
		return true;
	return (ends_with(k, n, "_pw") || ends_with(k, n, "-pw") ||
	        ends_with(k, n, "_pass") || ends_with(k, n, "-pass"));
}

bool
Sl_uci_literal(const char *v, size_t n)
{
	static const char *const words[] = {"none",  "null",     "nil", "empty",
	                                    "unset", "disabled", NULL};
	static const char *const parts[] = {"your_", "your-", "xxxx", "****",
	                                    "<",     ">",     NULL};
	static const char *const file_ext[] = {".key", ".pem",  ".crt",
	                                       ".der", ".p12",  ".pfx",
	                                       ".txt", ".conf", NULL};
	size_t i, j;

	if (n == 0)
		return false;
	/* A crypt(3) hash ("$1$", "$6$", "$2y$") is a stored credential. */
	if (n > 3 && v[0] == '$' && v[1] >= '0' && v[1] <= '9' &&
	    (v[2] == '$' || (n > 4 && v[3] == '$')))
		return true;
	if (Sl_sec_templated(v, n))
		return false;
	if (v[0] == '/' || v[0] == '$' || v[0] == '~' ||
	    (n > 1 && v[0] == '.' && v[1] == '/'))
		return false; /* a path, a reference, a variable */
	for (i = 0; words[i] != NULL; i++)
		if (strlen(words[i]) == n && strncmp(v, words[i], n) == 0)
			return false;
	for (i = 0; parts[i] != NULL; i++) {
		size_t m = strlen(parts[i]);

		for (j = 0; j + m <= n; j++)
			if (strncmp(v + j, parts[i], m) == 0)
				return false;
	}
	for (i = 0; file_ext[i] != NULL; i++) {
		size_t m = strlen(file_ext[i]);

		if (n > m && strncmp(v + n - m, file_ext[i], m) == 0)
			return false; /* a file name */
	}
	return true;
}

const char *
Sl_uci_pkg(const char *inner)
{
	const char *p = strstr(inner, "etc/config/");

	while (p != NULL && p != inner && p[-1] != '/') /* "xetc/config/" */
		p = strstr(p + 1, "etc/config/");
	if (p == NULL)
		return NULL;
	p += strlen("etc/config/");
	return *p != 0 && strchr(p, '/') == NULL ? p : NULL;
}

enum sl_uci_cred
Sl_uci_cred(const char *pkg, const char *stype, const char *opt,
            const char *val)
{
	size_t i, n = strlen(val);

	if (pkg == NULL || opt == NULL || !Sl_uci_literal(val, n))
		return SL_UCI_NONE;
	for (i = 0; i < sizeof(table) / sizeof(table[0]); i++) {
		const struct ucred *t = &table[i];

		if (strcmp(t->pkg, pkg) != 0)
			continue;
		if (t->opt == NULL)
			return t->kind; /* the whole package */
		if (strcmp(t->opt, opt) != 0 ||
		    (t->stype != NULL && stype != NULL && *stype != 0 &&
		     strcmp(t->stype, stype) != 0))
			continue;
		/* Wi-Fi "key 1".."key 4" selects a WEP key slot. */
		if (strcmp(opt, "key") == 0 && n == 1 && val[0] >= '1' &&
		    val[0] <= '4')
			return SL_UCI_NONE;
		return t->kind;
	}
	return password_name(opt) ? SL_UCI_PASSWORD : SL_UCI_NONE;
}
