/*
 * features.c - vulnerabilities that live in an optional feature of a
 * component, and the marks that show the feature is built in.
 *
 * hostapd and wpa_supplicant are built from one source tree with a
 * .config that turns whole protocols on or off: OpenWrt's wpad-mini has
 * WPA-PSK only, Debian's packages have SAE, EAP-pwd, P2P and the EAP
 * methods.  A CVE in the SAE code does not affect a build without SAE,
 * and a version match cannot tell the two apart.  So a row listed here
 * counts as affecting only when the component's own binary carries the
 * feature's mark (docs/verdicts.md, "Optional features"):
 *
 *   mark found         the CVE is reported;
 *   binary read, none  not affected: the code is not there (listed in the
 *                      finding's excerpt with the feature, so the reader
 *                      sees what was ruled out and why);
 *   not known          (a package database, a banner, a text file, a
 *                      binary not read to its end): "not judged: feature
 *                      presence unknown", an info finding that moves no
 *                      verdict, never reported as affecting.
 *
 * A mark is a string the feature's code needs at run time, not a debug
 * message or a configuration name (OpenWrt builds drop the messages with
 * CONFIG_NO_STDOUT_DEBUG, and keep the config parser's "sae_groups" in
 * builds without SAE).  Each was checked to be present in Debian 12's
 * hostapd and wpa_supplicant 2.10 and absent from OpenWrt's wpad-mini
 * 2.3 and 2.6 (bench/fidelity corpus):
 *
 *   sae      "SAE Hunting and Pecking": the label of the password
 *            element derivation, IEEE 802.11-2016 12.4.4.2.2
 *            (src/common/sae.c, since hostapd 1.0);
 *   eap-pwd  "EAP-pwd Hunting And Pecking": RFC 5931 section 2.8.3's
 *            label (src/eap_common/eap_pwd_common.c);
 *   p2p      "P2P_FIND": the control interface command that every P2P
 *            build has (wpa_supplicant/ctrl_iface.c, under CONFIG_P2P);
 *            "DIRECT-", P2P's SSID prefix, is not a mark: builds without
 *            P2P keep it in the scan code.
 */
#include "vulndb.h"

static const struct Sl_feature features[] = {
    {"sae", "SAE (WPA3 Simultaneous Authentication of Equals)",
     "SAE Hunting and Pecking"},
    {"eap-pwd", "EAP-pwd", "EAP-pwd Hunting And Pecking"},
    {"p2p", "Wi-Fi P2P (Wi-Fi Direct)", "P2P_FIND"},
};

/*
 * The CVEs whose vulnerable code is in one feature, with the advisory that
 * says so (https://w1.fi/security/).  The component is the data's name;
 * "wpad" (both in one binary) is matched against both.
 */
static const struct {
	const char *id, *component, *feature;
} gated[] = {
    /* 2019-1..5 "Dragonblood": SAE and EAP-pwd side channels/checks. */
    {"CVE-2019-9496", "hostapd", "sae"},
    {"CVE-2019-9496", "wpa_supplicant", "sae"},
    {"CVE-2019-9497", "hostapd", "eap-pwd"},
    {"CVE-2019-9497", "wpa_supplicant", "eap-pwd"},
    {"CVE-2019-9498", "hostapd", "eap-pwd"},
    {"CVE-2019-9498", "wpa_supplicant", "eap-pwd"},
    {"CVE-2019-9499", "hostapd", "eap-pwd"},
    {"CVE-2019-9499", "wpa_supplicant", "eap-pwd"},
    /* 2021-1: P2P provision discovery processing. */
    {"CVE-2021-27803", "wpa_supplicant", "p2p"},
    /* 2022-1: SAE and EAP-pwd cache side channels. */
    {"CVE-2022-23303", "hostapd", "sae"},
    {"CVE-2022-23303", "wpa_supplicant", "sae"},
    {"CVE-2022-23304", "hostapd", "eap-pwd"},
    {"CVE-2022-23304", "wpa_supplicant", "eap-pwd"},
};

const struct Sl_feature *
Sl_features(size_t *n)
{
	*n = SL_ARRAY_LEN(features);
	return features;
}

const struct Sl_feature *
Sl_vuln_feature(const char *id, const char *component)
{
	size_t i, k;

	for (i = 0; i < SL_ARRAY_LEN(gated); i++) {
		if (strcmp(gated[i].id, id) != 0 ||
		    strcmp(gated[i].component, component) != 0)
			continue;
		for (k = 0; k < SL_ARRAY_LEN(features); k++)
			if (strcmp(features[k].name, gated[i].feature) == 0)
				return &features[k];
	}
	return NULL;
}

bool
Sl_feature_has(const char *list, const char *name)
{
	size_t n = strlen(name);
	const char *p = list;

	while (p != NULL && *p != 0) {
		const char *comma = strchr(p, ',');
		size_t k = comma ? (size_t)(comma - p) : strlen(p);

		if (k == n && strncmp(p, name, n) == 0)
			return true;
		p = comma ? comma + 1 : NULL;
	}
	return false;
}
