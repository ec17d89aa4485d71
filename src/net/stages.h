/*
 * stages.h - the stages of sl_scan_device (device.c) and the parsers
 * behind them, exported inside the library for device.c, the unit tests
 * (tests/unit/test_net.c) and the fuzz targets (udp_fuzz.c, snmp_fuzz.c).
 */
#ifndef SL_NET_STAGES_H
#define SL_NET_STAGES_H

#include "net.h"

/* ---- device.c ---- */

/*
 * Everything sl_scan_device does before the device checks: open the
 * target, scan TCP (and UDP when asked), identify the services.  A stage
 * that fails is recorded with Sl_incomplete and the others still run.
 * Returns an error only when the scan cannot go on at all (bad options,
 * no memory); *go_on is true when the checks should run (false after a
 * cancel, or with an error).
 */
sl_rc Sl_device_survey(struct sl_scan *s, const char *host,
                       const struct sl_device_opts *o, bool *go_on);

/* ---- portscan.c ---- */

/* A set of TCP ports as a bitmap: bit p set means port p is wanted. */
#define SL_PORTMAP_BYTES (65536 / 8)

/*
 * Parse a port list: comma-separated ports and ranges, "1-65535",
 * "22,80,8000-8100"; blanks around items are allowed.  Sets bits in map
 * (which the caller zeroes) and *count to the number of distinct ports.
 * Returns 0, or -1 with *bad set to the offset of the first offending
 * byte (a port of 0 or over 65535, a reversed range, an empty item,
 * anything but digits, '-' and ',').
 */
int Sl_ports_parse(const char *spec, uint8_t map[SL_PORTMAP_BYTES],
                   size_t *count, size_t *bad);

static inline bool
Sl_port_in(const uint8_t *map, unsigned port)
{
	return port < 65536 && (map[port >> 3] >> (port & 7) & 1);
}

/* What the port scan saw. */
struct Sl_scan_stats {
	size_t targets; /* address-port pairs to try */
	size_t done;    /* pairs with a final answer or out of retries */
	size_t open, closed, filtered, unreachable;
	size_t retries;      /* connects sent again after a timeout */
	size_t local_errors; /* EAGAIN, ENOBUFS, EMFILE ... on our side */
	unsigned conc_max;   /* the largest concurrency reached */
	unsigned conc_end;   /* the concurrency at the end */
	unsigned srtt_ms;    /* smoothed connect time */
	uint64_t elapsed_ms;
	bool cancelled;
};

/*
 * TCP connect scan of s->dev->o.ports on every target address (one epoll
 * loop per core, up to four, for long port lists).  Open ports become services
 * (Sl_service_add).  Returns SL_OK, also when cancelled (st->cancelled), or an
 * error when the scan could not run at all (bad port list, no epoll).
 */
sl_rc Sl_portscan(struct sl_scan *s, struct Sl_scan_stats *st);

/* ---- udp.c ---- */

/* What one UDP answer says, filled by the parsers. */
struct Sl_udp_info {
	char name[16];    /* "dns", "ntp", "snmp", ... */
	char banner[256]; /* printable, NUL-terminated */
	char product[32]; /* lower case, or "" */
	char version[32]; /* or "" */
};

/* The UDP probes, in the order they are sent. */
enum Sl_udp_kind {
	SL_UDP_DNS = 0,
	SL_UDP_NTP,
	SL_UDP_SNMP,
	SL_UDP_SSDP,
	SL_UDP_MDNS,
	SL_UDP_COAP,
	SL_UDP_TFTP,
	SL_UDP_NBSTAT,
	SL_UDP_NKINDS
};

/*
 * Build probe kind's request into buf (cap bytes, at least 512) with the
 * transaction id xid; returns its length (0 on a bad kind).  host is the
 * target as given (SSDP's HOST header).
 */
size_t Sl_udp_request(enum Sl_udp_kind kind, uint32_t xid, const char *host,
                      uint8_t *buf, size_t cap);

/*
 * Parse an answer of n bytes to probe kind sent with transaction id xid.
 * Returns true when it is a well-formed answer of that protocol (info
 * filled), false otherwise.  Every length inside is bounded by n.
 */
bool Sl_udp_parse(enum Sl_udp_kind kind, uint32_t xid, const uint8_t *p,
                  size_t n, struct Sl_udp_info *info);

/* The UDP probes against every target address. */
sl_rc Sl_udp_scan(struct sl_scan *s);

/* ---- probe.c ---- */

/* What a banner or an answer says about a TCP service. */
struct Sl_ident {
	char name[16];
	char product[32];
	char version[32];
	char extra[160];    /* status and title, CONNACK code, model ... */
	unsigned status;    /* HTTP/RTSP status code */
	char auth[8];       /* HTTP: "basic", "digest", "form", or "" */
	char location[160]; /* HTTP: the Location header */
};

/*
 * Identify from a greeting the service sent unasked: SSH, FTP, SMTP,
 * telnet (IAC), and a few more.  Returns true when recognised.
 */
bool Sl_ident_greeting(const uint8_t *p, size_t n, struct Sl_ident *id);

/*
 * Identify from an HTTP (or RTSP) response head: status, Server header
 * (product/version), and the <title> when the body is there.  Returns
 * true when p starts like an HTTP or RTSP response.
 */
bool Sl_ident_http(const uint8_t *p, size_t n, struct Sl_ident *id);

/*
 * Split a product token ("lighttpd/1.4.69", "dropbear_2022.83",
 * "OpenSSH_9.2p1", "vsFTPd 3.0.3") into a normalised product name and a
 * version.  Returns true when both were found.
 */
bool Sl_ident_product(const char *tok, size_t n, char *prod, size_t plen,
                      char *ver, size_t vlen);

/*
 * Parse an MQTT CONNACK (n bytes); returns its return code (0 accepted,
 * 4 bad user name or password, 5 not authorised ...) or -1 when p is
 * not a CONNACK.
 */
int Sl_mqtt_connack(const uint8_t *p, size_t n);

/*
 * Find a PUBLISH in p (n bytes, maybe several packets) and copy its topic
 * and payload, printable, into the buffers.  Returns true when found.
 */
bool Sl_mqtt_publish(const uint8_t *p, size_t n, char *topic, size_t tlen,
                     char *payload, size_t plen);

/*
 * Parse an ADB answer to CNXN: "device::ro.product.model=...;" or an
 * AUTH request.  Fills id->extra; returns true when it is ADB.
 */
bool Sl_ident_adb(const uint8_t *p, size_t n, struct Sl_ident *id);

/*
 * From a UPnP device description (XML, n bytes), the first
 * <manufacturer>, <modelName>, <modelNumber> and <friendlyName>, into
 * id->extra.  Returns true when one was found.
 */
bool Sl_ident_upnp(const uint8_t *p, size_t n, struct Sl_ident *id);

/*
 * Pick the product and version out of a Server header or similar
 * ("lighttpd/1.4.69", "Linux/5.10 UPnP/1.0 MiniUPnPd/2.3.3",
 * "Apache/2.4.57 (Debian)"): the last token that is neither an OS nor a
 * protocol.  Returns true when both were found.
 */
bool Sl_ident_server(const char *hdr, size_t n, char *prod, size_t plen,
                     char *ver, size_t vlen);

/* Identify every open TCP service (a bounded pool of threads). */
sl_rc Sl_probe_services(struct sl_scan *s);

#endif
