/*
 * ports.c - net.ports: the open ports against the interfaces the product
 * declares, and the services that should not be open at all (S1.1-13).
 *
 *   NET-UNDECLARED-PORT  (medium, S1.1-13) an open TCP port or answering
 *       UDP service the profile does not declare, one finding each.
 *       Without a profile nothing is declared: one finding lists every
 *       open port, and its remediation asks for the profile.
 *   NET-RISKY-SERVICE  a service that should not be reachable on a
 *       shipped device, declared or not:
 *         telnet, FTP (plaintext logins)   high    S1.1-13 S1.1-12
 *         TFTP, ADB                        high    S1.1-13
 *         MQTT without TLS, SNMP v1/v2c    medium  S1.1-13 S1.1-12
 *         SSDP, UPnP                       medium  S1.1-13
 *   NET-VULNERABLE-SERVICE  (S1.1-13; severity from the CVEs' scores) a
 *       service whose product and version match known CVEs.
 *
 * Input: the services the scanner found (names from probe.c and udp.c)
 * and the profile; banners in excerpts are already printable and
 * bounded.  Sets sl_service.declared on every service.
 */
#include <stdio.h>

#include "../../net/net.h"
#include "../../profile/profile.h"
#include "../../vuln/vulndb.h"
#include "../check.h"

/* Bytes of the no-profile finding's port list. */
#define PORTS_MAX_LIST 1024

#define ID_RISKY "NET-RISKY-SERVICE"
#define ID_UND   "NET-UNDECLARED-PORT"

/* What this check reports (check.h: findings as data). */
enum {
	F_UNDECLARED,
	F_UNDECLARED_ALL, /* no profile: one finding for every port */
	F_TELNET,
	F_FTP,
	F_TFTP,
	F_ADB,
	F_MQTT,
	F_SNMP,
	F_SSDP,
	F_UPNP,
	F_VULN,
};
static const struct Sl_finding_def findings[] = {
    [F_UNDECLARED] = {ID_UND,
                      SL_SEV_MEDIUM,
                      {"S1.1-13"},
                      "Open port not declared in the product profile",
                      "Close the port, or declare the interface and its "
                      "purpose in the product profile (interfaces:, "
                      "docs/profile.md) if the product needs it."},
    [F_UNDECLARED_ALL] = {ID_UND,
                          SL_SEV_MEDIUM,
                          {"S1.1-13"},
                          "Open ports, and no product profile declares "
                          "the device's interfaces",
                          "Missing evidence: a product profile (--profile "
                          "FILE, docs/profile.md) listing every interface "
                          "with its purpose.  Then close every open port "
                          "the profile does not need."},
    /* The title of each risky service is its what, and where. */
    [F_TELNET] = {ID_RISKY,
                  SL_SEV_HIGH,
                  {"S1.1-13", "S1.1-12"},
                  "Telnet: remote login with the password in clear text",
                  "Remove the telnet daemon from the shipped firmware; "
                  "offer SSH with per-device credentials or keys if "
                  "remote administration is needed."},
    [F_FTP] = {ID_RISKY,
               SL_SEV_HIGH,
               {"S1.1-13", "S1.1-12"},
               "FTP: logins and files in clear text",
               "Disable the FTP server; transfer files over HTTPS or SFTP "
               "with authentication."},
    [F_TFTP] = {ID_RISKY,
                SL_SEV_HIGH,
                {"S1.1-13"},
                "TFTP: files readable and writable without authentication",
                "Disable the TFTP server in the shipped configuration."},
    [F_ADB] = {ID_RISKY,
               SL_SEV_HIGH,
               {"S1.1-13"},
               "Android Debug Bridge reachable over the network",
               "Turn off ADB over TCP (service.adb.tcp.port) in production "
               "builds."},
    [F_MQTT] = {ID_RISKY,
                SL_SEV_MEDIUM,
                {"S1.1-13", "S1.1-12"},
                "MQTT without TLS: credentials and messages in clear text",
                "Serve MQTT over TLS only (port 8883) with client "
                "authentication, and close port 1883."},
    [F_SNMP] = {ID_RISKY,
                SL_SEV_MEDIUM,
                {"S1.1-13", "S1.1-12"},
                "SNMP v1/v2c: community strings in clear text",
                "Disable SNMP, or use SNMPv3 with authPriv and no v1/v2c "
                "communities."},
    [F_SSDP] = {ID_RISKY,
                SL_SEV_MEDIUM,
                {"S1.1-13"},
                "SSDP answers: the device advertises itself and its UPnP "
                "services",
                "Disable SSDP/UPnP unless the product needs it, and never "
                "answer on WAN interfaces."},
    [F_UPNP] = {ID_RISKY,
                SL_SEV_MEDIUM,
                {"S1.1-13"},
                "UPnP control interface reachable",
                "Disable UPnP unless the product needs it; UPnP actions "
                "are unauthenticated by design."},
    /* A service's product and version matched known CVEs (vuln.c,
     * when the scanner identified it); title, severity and fix come
     * from the matches. */
    [F_VULN] = {"NET-VULNERABLE-SERVICE",
                SL_SEV_HIGH,
                {"S1.1-13"},
                "A service has known vulnerabilities",
                "Update the service's component to a release that fixes "
                "them, rebuild and ship the firmware, and track the "
                "components against new advisories (S1.1-13)."},
    {NULL},
};

/* The services that should not be reachable, by the scanner's name. */
static const struct {
	const char *name;
	bool plaintext_only; /* only when not over TLS */
	int kind;
} risky[] = {
    {"telnet", false, F_TELNET}, {"ftp", false, F_FTP},
    {"tftp", false, F_TFTP},     {"adb", false, F_ADB},
    {"mqtt", true, F_MQTT},      {"snmp", false, F_SNMP},
    {"ssdp", false, F_SSDP},     {"upnp", false, F_UPNP},
};

/* "tcp/23 telnet" and, when known, ": banner" (bounded). */
static const char *
describe(struct sl_scan *s, const struct sl_service *v)
{
	return Sl_arena_printf(&s->arena, "%s/%u %s%s%.160s", v->proto, v->port,
	                       v->name ? v->name : "unknown",
	                       v->banner ? ": " : "",
	                       v->banner ? v->banner : "");
}

static sl_rc
risky_findings(struct sl_scan *s, const struct Sl_service *v)
{
	size_t i;

	for (i = 0; i < SL_ARRAY_LEN(risky); i++) {
		const struct Sl_finding_def *d = &findings[risky[i].kind];
		char title[160];

		if (v->pub.name == NULL ||
		    strcmp(v->pub.name, risky[i].name) != 0)
			continue;
		if (risky[i].plaintext_only && v->pub.tls)
			continue;
		snprintf(title, sizeof(title), "%s (%s/%u)", d->title,
		         v->pub.proto, v->pub.port);
		return Sl_report(
		    s, d,
		    &(struct Sl_at){.svc = v,
		                    .excerpt = describe(s, &v->pub),
		                    .title = title});
	}
	return SL_OK;
}

/*
 * The services whose product and version the scanner read and vuln.c
 * matched against known CVEs: one finding per vulnerable release (vuln.c
 * marks one component of each), at the service that showed it.
 */
static sl_rc
vulnerable_services(struct sl_scan *s)
{
	size_t i, n = sl_component_count(s);
	sl_rc rc = SL_OK;

	for (i = 0; i < n && rc == SL_OK; i++) {
		const struct sl_component *c = sl_component_get(s, i);
		struct Sl_comp_finding cf;

		if (c->source != SL_SRC_NETWORK ||
		    !Sl_component_finding(s, c, &cf) ||
		    cf.kind != SL_COMP_VULNERABLE)
			continue;
		rc = Sl_report(
		    s, &findings[F_VULN],
		    &(struct Sl_at){
		        .ev = &(struct sl_evidence){.host = c->where.host,
		                                    .port = c->where.port},
		        .excerpt = cf.excerpt,
		        .title = cf.title,
		        .fix = cf.fix,
		        .sev_set = true,
		        .sev = cf.sev});
	}
	return rc;
}

static sl_rc
ports_run(struct sl_scan *s)
{
	size_t i, n = sl_service_count(s), nund = 0, shown = 0;
	char list[PORTS_MAX_LIST] = "";
	sl_rc rc;

	for (i = 0; i < n; i++) {
		const struct sl_service *pub = sl_service_get(s, i);
		struct Sl_service *v = (struct Sl_service *)(void *)pub;
		char title[160];

		v->pub.declared =
		    s->profile != NULL &&
		    Sl_profile_declares(s->profile, pub->proto, pub->port);
		if ((rc = risky_findings(s, v)) != SL_OK)
			return rc;
		if (v->pub.declared)
			continue;
		nund++;
		if (s->profile == NULL) {
			/* One finding for all: collect "tcp/22 ssh". */
			size_t l = strlen(list);

			if (l + 40 < sizeof(list)) {
				snprintf(list + l, sizeof(list) - l,
				         "%s%s/%u %s", l ? ", " : "",
				         pub->proto, pub->port,
				         pub->name ? pub->name : "unknown");
				shown++;
			}
			continue;
		}
		snprintf(title, sizeof(title),
		         "Open port not declared in the product profile: "
		         "%s/%u (%s)",
		         pub->proto, pub->port,
		         pub->name ? pub->name : "unknown");
		rc = Sl_report(s, &findings[F_UNDECLARED],
		               &(struct Sl_at){.svc = v,
		                               .excerpt = describe(s, pub),
		                               .title = title});
		if (rc != SL_OK)
			return rc;
	}
	if ((rc = vulnerable_services(s)) != SL_OK)
		return rc;
	if (s->profile == NULL && nund > 0) {
		char title[160];
		const char *ex =
		    shown < nund
		        ? Sl_arena_printf(&s->arena, "%s, and %zu more", list,
		                          nund - shown)
		        : list;

		snprintf(title, sizeof(title),
		         "%zu open port%s, and no product profile declares "
		         "the device's interfaces",
		         nund, nund == 1 ? "" : "s");
		rc =
		    Sl_report(s, &findings[F_UNDECLARED_ALL],
		              &(struct Sl_at){
		                  .host = true, .excerpt = ex, .title = title});
		if (rc != SL_OK)
			return rc;
	}
	return SL_OK;
}

const struct Sl_check Sl_check_net_ports = {
    .id = "net.ports",
    .title = "Open ports against the declared interfaces; risky services",
    /* S1.1-12 too: telnet, FTP, MQTT and SNMP v1/v2c are risky for
     * what they carry in clear (NET-RISKY-SERVICE). */
    .covers = {"S1.1-13", "S1.1-12", NULL},
    .findings = findings,
    .source = SL_SRC_NETWORK,
    .run = ports_run,
};
