/*
 * requirements.c - the JC-STAR STAR-1 requirement catalogue as data.
 *
 * Each of the sixteen entries restates one STAR-1 conformance requirement
 * (S1.1-01 to S1.1-16) of IPA's "STAR-1 Conformance Requirements and
 * Assessment Methods" (version 1.1, December 2024; the shared copy is
 * seeds/jcstar-star1-requirements.txt) and the product view of it in
 * STAR1.md.  The identifiers, the assessment methods and the
 * cross-references to other schemes are facts taken from the IPA text;
 * the evidence sources follow the F:/N:/P: parts of STAR1.md.  All the
 * prose is our own wording, not IPA's.
 */
#include "../sl.h"

/*
 * Scheme names, spelled the same way in every cross-reference.  The IPA
 * text cites IEC 62443-4-1 (the development process) apart from
 * IEC 62443-4-2 (the component), so the two stay separate schemes.
 */
#define X_ETSI  "ETSI EN 303 645"
#define X_PSTI  "UK PSTI"
#define X_NIST  "NISTIR 8425"
#define X_CRA   "EU CRA"
#define X_CLS   "Singapore CLS"
#define X_IEC41 "IEC 62443-4-1"
#define X_IEC42 "IEC 62443-4-2"

/* A cross-reference array and its length, for the table below. */
#define XREFS(a) .xrefs = (a), .nxrefs = SL_ARRAY_LEN(a)

#define CAT_AUTH    "Identification, authentication and access control"
#define CAT_VULN    "Handling of vulnerability reports"
#define CAT_UPDATE  "Software updates"
#define CAT_STORE   "Secure storage of sensitive parameters"
#define CAT_COMM    "Secure communication"
#define CAT_SURFACE "Reduction of the exposed attack surface"
#define CAT_RESIL   "Resilience to outages"
#define CAT_ERASE   "Deletion of user data"
#define CAT_INFO    "Product information for users"

/*
 * A terminal-equipment certification under the Telecommunications
 * Business Act stands in for S1.1-01, S1.1-06 and S1.1-14.
 */
#define TBA_MARK                                                               \
	"A [T] or [A] mark certification under the Telecommunications "        \
	"Business Act, with its number on the label application, is "          \
	"accepted instead."

static const struct sl_xref x01[] = {
    {X_ETSI, "5.1-3 M, 5.5-5 M"},
    {X_PSTI, "SCHEDULE 1: 1-(3)"},
    {X_NIST, "Interface Access Control 2-b"},
    {X_CRA, "ANNEX I 1. (3)(b)"},
    {X_CLS, "[*]5.1-3, [**]5.5-5"},
    {X_IEC42, "CR1.5, CR1.6 NDR1.6, CR2.12, CR6.1"},
};

static const struct sl_xref x02[] = {
    {X_ETSI, "5.1-1 MC (1), 5.1-2 MC (2)"},
    {X_PSTI, "SCHEDULE 1: 1-(2), 1-(3)"},
    {X_NIST, "Interface Access Control 1-b"},
    {X_CLS, "[*]5.1-1, 5.1-2"},
    {X_IEC42, "CR1.5, CR1.7"},
};

static const struct sl_xref x03[] = {
    {X_ETSI, "5.1-4 MC (8)"},
    {X_CLS, "[*]5.1-4"},
    {X_IEC42, "CR1.5"},
};

static const struct sl_xref x04[] = {
    {X_ETSI, "5.1-5 MC (5)"},
    {X_CRA, "ANNEX I 1. (3)(b)"},
    {X_CLS, "[*]5.1-5"},
    {X_IEC42, "CR1.11"},
};

static const struct sl_xref x05[] = {
    {X_ETSI, "5.2-1 M"},
    {X_PSTI, "SCHEDULE 1: 2-(2), 2-(3)"},
    {X_NIST, "Information and Query Reception 1, 1-a, 1-b, "
             "Product Education and Awareness"},
    {X_CRA, "ANNEX I 2. (5), ANNEX I 2. (6), ANNEX II 1, ANNEX II 2"},
    {X_CLS, "[*]5.2-1"},
    {X_IEC41, "DM-1"},
};

static const struct sl_xref x06[] = {
    {X_ETSI, "5.3-1 R, 5.3-2 MC (5)"},
    {X_NIST, "Software Update 1"},
    {X_CRA, "ANNEX I 2. (8)"},
    {X_CLS, "[**]CK-LP-03, [*]5.3-2"},
    {X_IEC41, "SM-6, SUM-1"},
    {X_IEC42, "CR4.3, CR3.10 EDR3.10, HDR3.10 NDR 3.10"},
};

static const struct sl_xref x07[] = {
    {X_ETSI, "5.3-3 MC (12)"},
    {X_CRA, "ANNEX I 2. (8)"},
    {X_CLS, "[*]5.3-3"},
    {X_IEC41, "SUM-4"},
};

static const struct sl_xref x08[] = {
    {X_ETSI, "5.3-2 MC (5), 5.3-7 MC (12), 5.3-10 M (11,12)"},
    {X_CRA, "ANNEX I 1. (3)(e)"},
    {X_NIST, "Software Update 1"},
    {X_CLS, "[*]5.3-2, 5.3-7, 5.3-10"},
    {X_IEC41, "SM-6"},
    {X_IEC42, "CR3.1, CR3.2 SAR3.2, EDR3.2 HDR3.2, NDR3.2, CR4.3"},
};

static const struct sl_xref x09[] = {
    {X_ETSI, "5.3-8 MC (12)"},
    {X_CRA, "ANNEX I 2. (2), ANNEX I 2. (7), ANNEX I 2. (8)"},
    {X_CLS, "[*]5.3-8"},
    {X_IEC41, "SUM-5"},
};

static const struct sl_xref x10[] = {
    {X_ETSI, "5.3-16 M"},
    {X_NIST, "Information Dissemination 2"},
    {X_CRA, "ANNEX II 3"},
    {X_CLS, "[*]5.3-16"},
};

static const struct sl_xref x11[] = {
    {X_ETSI, "5.4-1 M"},
    {X_NIST, "Data Protection 1, Interface Access Control 2-a"},
    {X_CLS, "[**] 5.4-1"},
    {X_IEC42, "CR1.5, CR1.9, CR1.14, CR3.8, CR4.1, "
              "CR3.12 EDR3.12 HDR3.12 NDR3.12, "
              "CR3.13 EDR3.13 HDR3.13 NDR3.13"},
};

static const struct sl_xref x12[] = {
    {X_ETSI, "5.5-1 M, 5.5-7 M"}, {X_NIST, "Data Protection 3"},
    {X_CRA, "ANNEX I 1.(3)(c)"},  {X_CLS, "[**]5.5-1, 5.5-7"},
    {X_IEC42, "CR3.1, CR4.3"},
};

static const struct sl_xref x13[] = {
    {X_ETSI, "5.6-1 M"},
    {X_NIST, "Interface Access Control 1-a"},
    {X_CRA, "ANNEX I 1. (3) (h)"},
    {X_CLS, "[**] 5.6-1"},
    {X_IEC42, "CR7.7"},
};

static const struct sl_xref x14[] = {
    {X_ETSI, "5.9-1 R"},
    {X_CRA, "ANNEX I 1. (3) (f)"},
    {X_IEC42, "CR7.1, CR7.3"},
};

static const struct sl_xref x15[] = {
    {X_ETSI, "5.11-1 M"},
    {X_NIST, "Data Protection 2"},
    {X_CLS, "[**] 5.11-1"},
    {X_IEC42, "CR4.2"},
};

static const struct sl_xref x16[] = {
    {X_ETSI, "5.12-2 R, 5.3-11 RC (12), 5.3-13 M"},
    {X_PSTI, "SCHEDULE 1: 3-(2), 3-(3), 3-(4)"},
    {X_NIST, "Documentation 1-a, 1-d, "
             "Product Education and Awareness 1-a, 1-c, 1-d, 1-e, "
             "Information Dissemination 1-b, 1-c, 1-d, 1-e, 2"},
    {X_CRA, "ANNEX I 2. (4), ANNEX I 2.(8), ANNEX II 4, ANNEX II 5, "
            "ANNEX II 6, ANNEX II 7, ANNEX II 8, ANNEX II 9"},
    {X_CLS, "[*]5.3-13"},
    {X_IEC41, "SG-3, SG-4, SR-1, SUM-2"},
};

static const struct sl_requirement reqs[] = {
    {
        .id = "S1.1-01",
        .title = "Authenticated access to protected information "
                 "over IP",
        .category = CAT_AUTH,
        .summary = "Other devices and users can reach the product's "
                   "protected information over IP (communication "
                   "settings, security configuration, personal and "
                   "other sensitive data) only through access "
                   "control backed by proper authentication.",
        .method = SL_METHOD_DOC,
        .not_applicable = "The product offers no way to authenticate "
                          "to or reach protected information over "
                          "IP; the vendor must explain why outside "
                          "access needs no user authentication.",
        .sources = SL_SRC_FIRMWARE | SL_SRC_NETWORK | SL_SRC_PROFILE,
        .starlab_checks = "Probes every open service (HTTP, MQTT, "
                          "telnet, FTP, RTSP, SNMP, UPnP, ADB) for "
                          "protected data it hands out without "
                          "credentials, and looks in the firmware "
                          "for services configured without "
                          "authentication.",
        .evidence_needed = "Technical documentation of the "
                           "authenticated access control on each "
                           "interface, and no service seen giving "
                           "out protected data anonymously.  " TBA_MARK,
        XREFS(x01),
    },
    {
        .id = "S1.1-02",
        .title = "No universal default password",
        .category = CAT_AUTH,
        .summary = "If network login uses a password set at the "
                   "factory, each unit either ships with its own "
                   "hard-to-guess password of 6 or more characters, "
                   "or forces the user at first start to choose one "
                   "of 8 or more characters.",
        .method = SL_METHOD_DOC,
        .not_applicable = "No network login of the product relies "
                          "on passwords; the vendor must explain "
                          "why none is needed.",
        .sources = SL_SRC_FIRMWARE | SL_SRC_NETWORK | SL_SRC_PROFILE,
        .starlab_checks = "Cracks the password hashes in the image "
                          "against a default and weak-password list, "
                          "flags empty passwords, extra UID-0 "
                          "accounts and hashes shared between units, "
                          "and tries the default list on each login "
                          "service within a fixed bound.",
        .evidence_needed = "Documentation saying which of the two "
                           "options the product follows and how, "
                           "with no default or shared credential "
                           "found in the image or accepted by the "
                           "device.",
        XREFS(x02),
    },
    {
        .id = "S1.1-03",
        .title = "User can change the authentication value",
        .category = CAT_AUTH,
        .summary = "Whatever form network user authentication takes "
                   "(password, token, fingerprint), the user has a "
                   "way to change the value it checks against.",
        .method = SL_METHOD_DOC,
        .not_applicable = "Users never authenticate to the product "
                          "over the network; the vendor must explain "
                          "why that is safe.",
        .sources = SL_SRC_NETWORK | SL_SRC_PROFILE,
        .starlab_checks = "Records the change procedure given in the "
                          "profile and, only when the operator opts "
                          "in, exercises the change endpoint it "
                          "describes on a test unit.",
        .evidence_needed = "Technical documentation describing how "
                           "the user changes each authentication "
                           "value used for network login.",
        XREFS(x03),
    },
    {
        .id = "S1.1-04",
        .title = "Network brute force made impractical",
        .category = CAT_AUTH,
        .summary = "A device that is not constrained defends its "
                   "network login against password guessing, for "
                   "instance by locking out, slowing down or refusing "
                   "repeated failed attempts.",
        .method = SL_METHOD_DEV,
        .not_applicable = "The device has no user authentication "
                          "over the network, or it is a constrained "
                          "device; either way the vendor must give "
                          "the rationale.",
        .sources = SL_SRC_NETWORK,
        .starlab_checks = "Makes a bounded number of wrong-password "
                          "attempts per login service, watches for "
                          "lockout, growing delay, 429/503 or "
                          "refusal, confirms with a known-good "
                          "credential that a lockout holds, and "
                          "reports how many attempts got through "
                          "and how fast.",
        .evidence_needed = "A device check showing that repeated "
                           "failed logins are slowed or blocked on "
                           "every network login service.",
        XREFS(x04),
    },
    {
        .id = "S1.1-05",
        .title = "Public vulnerability disclosure policy",
        .category = CAT_VULN,
        .summary = "The manufacturer publishes a policy that says "
                   "where to report security problems, what it does "
                   "once a report arrives, and how it keeps reporters "
                   "informed until the vulnerability is fixed.",
        .method = SL_METHOD_DOC,
        .not_applicable = NULL,
        .sources = SL_SRC_NETWORK | SL_SRC_PROFILE,
        .starlab_checks = "Checks the policy given in the profile "
                          "for all three parts, and fetches and "
                          "validates /.well-known/security.txt "
                          "(RFC 9116 Contact and Expires) from the "
                          "device web interface.",
        .evidence_needed = "A policy users can reach, such as a "
                           "page on the vendor website, covering "
                           "the contact point, the handling of "
                           "reports and status updates until the "
                           "fix.",
        XREFS(x05),
    },
    {
        .id = "S1.1-06",
        .title = "Updatable firmware with a checkable version",
        .category = CAT_UPDATE,
        .summary = "The product's firmware can be updated, there is "
                   "a way to confirm which version is installed, and "
                   "an installed update is still in place after the "
                   "power has been off.",
        .method = SL_METHOD_DEV,
        .not_applicable = NULL,
        .sources = SL_SRC_FIRMWARE | SL_SRC_NETWORK,
        .starlab_checks = "Looks in the image for an update mechanism "
                          "(sysupgrade, swupdate, RAUC, mender, "
                          "vendor OTA) and the version string, reads "
                          "the running version as the profile says, "
                          "and compares snapshots around a power "
                          "cycle.",
        .evidence_needed = "A device check showing that an update "
                           "can be applied, the version can be read "
                           "and the version survives power-off.  " TBA_MARK,
        XREFS(x06),
    },
    {
        .id = "S1.1-07",
        .title = "Simple, documented update procedure",
        .category = CAT_UPDATE,
        .summary = "Users can apply software updates by following a "
                   "procedure that is easy to understand.",
        .method = SL_METHOD_DOC,
        .not_applicable = NULL,
        .sources = SL_SRC_PROFILE,
        .starlab_checks = "Confirms that the profile points at a "
                          "document describing the update "
                          "procedure.",
        .evidence_needed = "A manual, web page or other medium "
                           "users can reach that explains plainly "
                           "how to apply updates.",
        XREFS(x07),
    },
    {
        .id = "S1.1-08",
        .title = "Update integrity verified before installation",
        .category = CAT_UPDATE,
        .summary = "When software is updated over a network, the "
                   "product makes sure the update has not been "
                   "altered before it installs it.",
        .method = SL_METHOD_DOC,
        .not_applicable = "The product cannot be updated over the "
                          "network; the vendor must describe the "
                          "update mechanism it has instead.",
        .sources = SL_SRC_FIRMWARE,
        .starlab_checks = "Searches the image for update verification "
                          "keys and signature nodes, and for update "
                          "scripts that download over plain HTTP or "
                          "with TLS checks off and install unchecked; "
                          "given a vendor key, verifies the image "
                          "signature.",
        .evidence_needed = "Technical documentation of the "
                           "integrity check run before a network "
                           "update is installed, matching what the "
                           "image contains.",
        XREFS(x08),
    },
    {
        .id = "S1.1-09",
        .title = "Policy for prioritising security updates",
        .category = CAT_UPDATE,
        .summary = "The manufacturer keeps a written policy or "
                   "guideline deciding which security fixes come "
                   "first, so that security problems are updated "
                   "quickly.",
        .method = SL_METHOD_DOC,
        .not_applicable = NULL,
        .sources = SL_SRC_PROFILE,
        .starlab_checks = "Confirms that the profile points at the "
                          "prioritisation policy document.",
        .evidence_needed = "Organisational rules, policies or "
                           "procedures, or product technical "
                           "documentation, stating how the priority "
                           "of a security update is set.",
        XREFS(x09),
    },
    {
        .id = "S1.1-10",
        .title = "Model number visible to the user",
        .category = CAT_UPDATE,
        .summary = "The user can find the product's model number, "
                   "either marked on the product itself or shown in "
                   "its own interface or that of a companion app.",
        .method = SL_METHOD_DEV,
        .not_applicable = NULL,
        .sources = SL_SRC_FIRMWARE | SL_SRC_NETWORK,
        .starlab_checks = "Reads the model number from the web "
                          "interface, banners, SNMP sysDescr and the "
                          "UPnP description and compares it with the "
                          "profile; also picks up model strings from "
                          "board files in the image.",
        .evidence_needed = "A device check confirming that the "
                           "user can see the model number, on a "
                           "label or in a user interface.",
        XREFS(x10),
    },
    {
        .id = "S1.1-11",
        .title = "Protected information stored securely",
        .category = CAT_STORE,
        .summary = "Protected information kept in the product's "
                   "storage, removable media such as SD cards "
                   "included, is stored in a secure way.",
        .method = SL_METHOD_DOC,
        .not_applicable = NULL,
        .sources = SL_SRC_FIRMWARE,
        .starlab_checks = "Searches the image for private keys, Wi-Fi "
                          "keys, cloud tokens and passwords held in "
                          "plaintext, key files readable by every "
                          "user, and keys shared between images.",
        .evidence_needed = "Technical documentation of how protected "
                           "information is secured in internal "
                           "storage and on removable media, with no "
                           "plaintext secret found in the image.",
        XREFS(x11),
    },
    {
        .id = "S1.1-12",
        .title = "Protected information protected in transit",
        .category = CAT_COMM,
        .summary = "Protected information the product sends to other "
                   "devices or servers, cloud included, is shielded "
                   "from eavesdropping, either by the device itself or "
                   "by travelling only over a VPN or leased line.",
        .method = SL_METHOD_DOC,
        .not_applicable = "No protected information travels over "
                          "the network; the vendor must explain why.",
        .sources = SL_SRC_FIRMWARE | SL_SRC_NETWORK,
        .starlab_checks = "Grades the TLS of each service (versions "
                          "below 1.2, certificate, key size, hash, "
                          "ciphers), flags credentials sent over "
                          "plaintext protocols, and finds plaintext "
                          "endpoints and disabled TLS verification "
                          "in the image.",
        .evidence_needed = "Technical documentation of the "
                           "protection on every network path, "
                           "including data sent by companion apps, "
                           "with no protected data seen in the "
                           "clear.",
        XREFS(x12),
    },
    {
        .id = "S1.1-13",
        .title = "Unneeded interfaces off, nothing exploitable",
        .category = CAT_SURFACE,
        .summary = "TCP/UDP ports, Bluetooth and USB that the product "
                   "does not need and that could be attacked are "
                   "disabled, and a vulnerability scan of the product "
                   "finds nothing an attacker could use.",
        .method = SL_METHOD_BOTH,
        .not_applicable = NULL,
        .sources = SL_SRC_FIRMWARE | SL_SRC_NETWORK | SL_SRC_PROFILE,
        .starlab_checks = "Scans all TCP ports and common IoT UDP "
                          "services, compares them with the "
                          "interfaces the profile declares, flags "
                          "risky services, matches service and "
                          "component versions to known CVEs, and "
                          "notes Bluetooth, USB gadget or ADB "
                          "started at boot.",
        .evidence_needed = "Documentation naming every interface "
                           "and its purpose, and port and "
                           "vulnerability scans showing nothing "
                           "unneeded open and nothing exploitable; "
                           "the device check may be skipped when no "
                           "recommended scanner exists.",
        XREFS(x13),
    },
    {
        .id = "S1.1-14",
        .title = "Settings survive power and network loss",
        .category = CAT_RESIL,
        .summary = "Once power or network comes back after an "
                   "outage, the authentication values and the updated "
                   "and configured software are as they were just "
                   "before, not back at factory defaults.",
        .method = SL_METHOD_DEV,
        .not_applicable = NULL,
        .sources = SL_SRC_FIRMWARE | SL_SRC_NETWORK,
        .starlab_checks = "Compares snapshots around a power cycle of "
                          "a unit with a changed password and updated "
                          "software: defaults must fail, the user's "
                          "credentials must work, the version must "
                          "hold; the image hints at credentials kept "
                          "only on read-only storage.",
        .evidence_needed = "A device check on a unit with updated "
                           "software and changed credentials showing "
                           "that both survive a power cycle.  " TBA_MARK,
        XREFS(x14),
    },
    {
        .id = "S1.1-15",
        .title = "User data can be erased",
        .category = CAT_ERASE,
        .summary = "Through the device or an associated service, the "
                   "user can delete the data gathered in use, their "
                   "settings, and the credentials, keys and signatures "
                   "set or obtained in use; the updated firmware "
                   "version stays in place afterwards.",
        .method = SL_METHOD_BOTH,
        .not_applicable = NULL,
        .sources = SL_SRC_FIRMWARE | SL_SRC_NETWORK | SL_SRC_PROFILE,
        .starlab_checks = "Compares snapshots around a factory reset "
                          "(user credentials gone, version kept), "
                          "looks in the image for a reset mechanism "
                          "such as firstboot or jffs2reset, and "
                          "reads the documented procedure from the "
                          "profile.",
        .evidence_needed = "Documentation of how users erase their "
                           "data through the device or associated "
                           "services, and a device check that the "
                           "firmware version is kept after the "
                           "erase.",
        XREFS(x15),
    },
    {
        .id = "S1.1-16",
        .title = "Security information for users",
        .category = CAT_INFO,
        .summary = "The manufacturer tells users how to set up and "
                   "use the product securely, what each security "
                   "update brings and the cost of skipping it, its "
                   "disclaimers, when support ends, and how to dispose "
                   "of or resell the product safely.",
        .method = SL_METHOD_DOC,
        .not_applicable = NULL,
        .sources = SL_SRC_PROFILE,
        .starlab_checks = "Checks that the profile gives a document "
                          "or URL for each of the five items.",
        .evidence_needed = "Manuals, web pages or other media users "
                           "can reach that cover all five items: "
                           "secure set-up and use, update notices, "
                           "disclaimers, end of support, and safe "
                           "disposal with data erasure.",
        XREFS(x16),
    },
};

_Static_assert(SL_ARRAY_LEN(reqs) == 16, "STAR-1 has sixteen requirements");

const struct sl_requirement *
sl_requirements(size_t *n)
{
	if (n != NULL)
		*n = SL_ARRAY_LEN(reqs);
	return reqs;
}

const struct sl_requirement *
sl_requirement_find(const char *id)
{
	size_t i;

	if (id == NULL)
		return NULL;
	for (i = 0; i < SL_ARRAY_LEN(reqs); i++)
		if (strcmp(reqs[i].id, id) == 0)
			return &reqs[i];
	return NULL;
}

const char *
sl_method_name(enum sl_method m)
{
	switch (m) {
	case SL_METHOD_DOC: return "document";
	case SL_METHOD_DEV: return "device";
	case SL_METHOD_BOTH: return "document+device";
	}
	return "unknown";
}
