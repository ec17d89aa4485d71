/*
 * names.c - component names: the components with a CPE, and the names
 * NVD's CPEs and package managers use for them.  Moved out of vuln.c so
 * that the database reader (vulndb.c) and the matcher (vuln.c) both call
 * down to it instead of calling each other (docs/internals.md).  Trusts
 * nothing in the names it is given: they are only compared and copied,
 * bounded to SL_VDB_MAX_STR bytes.
 */
#include <fnmatch.h>
#include <strings.h>

#include "vulndb.h"

/* Components with a CPE: name, part, vendor, product. */
static const struct Sl_vuln_known known[] = {
    {"avahi", "a", "avahi", "avahi"},
    {"busybox", "a", "busybox", "busybox"},
    {"curl", "a", "haxx", "curl"},
    {"dnsmasq", "a", "thekelleys", "dnsmasq"},
    {"dropbear", "a", "dropbear_ssh_project", "dropbear_ssh"},
    {"expat", "a", "libexpat_project", "libexpat"},
    {"glibc", "a", "gnu", "glibc"},
    {"hostapd", "a", "w1.fi", "hostapd"},
    {"libupnp", "a", "libupnp_project", "libupnp"},
    {"libxml2", "a", "xmlsoft", "libxml2"},
    {"libssh", "a", "libssh", "libssh"},
    {"lighttpd", "a", "lighttpd", "lighttpd"},
    {"linux", "o", "linux", "linux_kernel"},
    {"lua", "a", "lua", "lua"},
    {"mbedtls", "a", "arm", "mbed_tls"},
    {"miniupnpd", "a", "miniupnp_project", "miniupnpd"},
    {"mosquitto", "a", "eclipse", "mosquitto"},
    {"musl", "a", "musl-libc", "musl"},
    {"net-snmp", "a", "net-snmp", "net-snmp"},
    {"nginx", "a", "f5", "nginx"},
    {"ntp", "a", "ntp", "ntp"},
    {"openssh", "a", "openbsd", "openssh"},
    {"openssl", "a", "openssl", "openssl"},
    {"openvpn", "a", "openvpn", "openvpn"},
    {"ppp", "a", "point-to-point_protocol_project", "point-to-point_protocol"},
    {"samba", "a", "samba", "samba"},
    {"sqlite", "a", "sqlite", "sqlite"},
    {"sudo", "a", "sudo_project", "sudo"},
    {"uclibc", "a", "uclibc", "uclibc"},
    {"wolfssl", "a", "wolfssl", "wolfssl"},
    {"wpa_supplicant", "a", "w1.fi", "wpa_supplicant"},
    /* hostapd and wpa_supplicant in one binary (OpenWrt's wpad). */
    {"wpad", "a", "w1.fi", "hostapd"},
    {"xz", "a", "tukaani", "xz"},
    {"zlib", "a", "zlib", "zlib"},
};

/* Other CPE vendor:product pairs NVD uses for the same components. */
static const struct {
	const char *vendor, *product, *name;
} cpe_alias[] = {
    {"matt_johnston", "dropbear_ssh_server", "dropbear"},
    {"haxx", "libcurl", "curl"},
    {"uclibc-ng_project", "uclibc-ng", "uclibc"},
    {"pupnp_project", "pupnp", "libupnp"},
    {"nginx", "nginx", "nginx"},
    {"arm", "mbedtls", "mbedtls"},
    {"openwrt", "openwrt", "openwrt"},
};

/* Package names (opkg, dpkg, OSV) to component names; fnmatch patterns. */
static const struct {
	const char *pattern, *name;
} pkg_alias[] = {
    {"busybox*", "busybox"},
    {"openssl*", "openssl"},
    {"libopenssl*", "openssl"},
    {"libssl[0-9]*", "openssl"},
    {"libcrypto[0-9]*", "openssl"},
    {"dropbear*", "dropbear"},
    {"dnsmasq*", "dnsmasq"},
    {"lighttpd*", "lighttpd"},
    {"libc6", "glibc"},
    {"libc-bin", "glibc"},
    {"glibc", "glibc"},
    {"musl", "musl"},
    {"uclibc", "uclibc"},
    {"uclibc-ng", "uclibc"}, /* not uclibcxx: uClibc++ */
    {"libuclibc", "uclibc"},
    {"kernel", "linux"},
    {"linux", "linux"},
    {"openssh*", "openssh"},
    {"mosquitto*", "mosquitto"},
    {"libmosquitto*", "mosquitto"},
    {"curl", "curl"},
    {"libcurl*", "curl"},
    {"libupnp*", "libupnp"},
    {"miniupnpd*", "miniupnpd"},
    {"samba*", "samba"},
    {"libwolfssl*", "wolfssl"},
    {"wolfssl", "wolfssl"},
    {"hostapd*", "hostapd"},
    {"wpad*", "wpad"},
    {"wpa-supplicant*", "wpa_supplicant"},
    {"wpasupplicant", "wpa_supplicant"},
    {"wpa_supplicant", "wpa_supplicant"},
    {"zlib*", "zlib"},
    {"libz", "zlib"},
    {"expat", "expat"},
    {"libexpat*", "expat"},
    {"libsqlite3*", "sqlite"},
    {"sqlite3*", "sqlite"},
    {"openvpn*", "openvpn"},
    {"libmbedtls*", "mbedtls"},
    {"mbedtls", "mbedtls"},
    {"libxml2*", "libxml2"},
    {"avahi*", "avahi"},
    {"ppp", "ppp"},
    {"pppd", "ppp"},
    {"sudo", "sudo"},
    {"libssh", "libssh"},
    {"libssh-[0-9]*", "libssh"},
    {"nginx*", "nginx"},
    {"ppp-mod-*", "ppp"},
    {"xz", "xz"},
    {"xz-utils", "xz"},
    {"liblzma*", "xz"},
};

static char *
lower_dup(struct sl_scan *s, const char *p)
{
	char *d = Sl_arena_strndup(&s->arena, p, SL_VDB_MAX_STR);
	char *q;

	for (q = d; q != NULL && *q != 0; q++)
		if (*q >= 'A' && *q <= 'Z')
			*q = (char)(*q - 'A' + 'a');
	return d;
}

const char *
Sl_vuln_cpe_name(struct sl_scan *s, const char *vendor, const char *product)
{
	size_t i;

	for (i = 0; i < SL_ARRAY_LEN(known); i++)
		if (strcasecmp(vendor, known[i].vendor) == 0 &&
		    strcasecmp(product, known[i].product) == 0)
			return known[i].name;
	for (i = 0; i < SL_ARRAY_LEN(cpe_alias); i++)
		if (strcasecmp(vendor, cpe_alias[i].vendor) == 0 &&
		    strcasecmp(product, cpe_alias[i].product) == 0)
			return cpe_alias[i].name;
	return lower_dup(s, product);
}

const char *
Sl_vuln_pkg_name(struct sl_scan *s, const char *pkg)
{
	char *l = lower_dup(s, pkg);
	size_t i;

	if (l == NULL)
		return NULL;
	for (i = 0; i < SL_ARRAY_LEN(pkg_alias); i++)
		if (fnmatch(pkg_alias[i].pattern, l, 0) == 0)
			return pkg_alias[i].name;
	return l;
}

const struct Sl_vuln_known *
Sl_vuln_known(const char *name)
{
	const struct Sl_vuln_known *k = NULL;
	size_t i;

	/* The last entry of a name wins, as the loop in cpe_of did. */
	for (i = 0; i < SL_ARRAY_LEN(known); i++)
		if (strcmp(name, known[i].name) == 0)
			k = &known[i];
	return k;
}
