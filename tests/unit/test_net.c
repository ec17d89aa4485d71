/*
 * test_net.c - unit tests of the device scanner's pure parts: the port
 * list parser, the SNMP BER encoder and decoder, the UDP answer parsers,
 * the TCP banner and answer parsers, and one connect scan of a loopback
 * listener the test opens itself.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "net/snmp.h"
#include "net/stages.h"

/* ---- Port lists ---- */

static void
test_ports_parse(void **state)
{
	static uint8_t map[SL_PORTMAP_BYTES];
	size_t n, bad;

	(void)state;
	memset(map, 0, sizeof(map));
	assert_int_equal(Sl_ports_parse("1-65535", map, &n, &bad), 0);
	assert_int_equal(n, 65535);
	assert_false(Sl_port_in(map, 0));
	assert_true(Sl_port_in(map, 1));
	assert_true(Sl_port_in(map, 65535));

	memset(map, 0, sizeof(map));
	assert_int_equal(Sl_ports_parse("22,80,8000-8100", map, &n, &bad), 0);
	assert_int_equal(n, 2 + 101);
	assert_true(Sl_port_in(map, 22));
	assert_true(Sl_port_in(map, 8050));
	assert_false(Sl_port_in(map, 8101));
	assert_false(Sl_port_in(map, 23));

	/* Blanks, duplicates and overlaps count once. */
	memset(map, 0, sizeof(map));
	assert_int_equal(Sl_ports_parse(" 80 , 80,79-81 ", map, &n, &bad), 0);
	assert_int_equal(n, 3);

	memset(map, 0, sizeof(map));
	assert_int_equal(Sl_ports_parse("65535", map, &n, &bad), 0);
	assert_int_equal(n, 1);
}

static void
test_ports_bad(void **state)
{
	static uint8_t map[SL_PORTMAP_BYTES];
	static const struct {
		const char *spec;
		size_t at;
	} bad[] = {
	    {"", 0},        {"0", 0},     {"65536", 0},   {"22,", 3},
	    {",22", 0},     {"80-79", 3}, {"22;80", 2},   {"http", 0},
	    {"1-", 2},      {"-5", 0},    {"1000000", 0}, {"22,,80", 3},
	    {"1-65536", 2}, {"22 80", 3},
	};
	size_t i, n, at;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		memset(map, 0, sizeof(map));
		assert_int_equal(Sl_ports_parse(bad[i].spec, map, &n, &at), -1);
		if (at != bad[i].at)
			fail_msg("'%s': bad at %zu, want %zu", bad[i].spec, at,
			         bad[i].at);
	}
	assert_int_equal(Sl_ports_parse(NULL, map, &n, &at), -1);
}

/* ---- SNMP ---- */

static void
test_snmp_encode(void **state)
{
	/* What net-snmp's snmpget -v2c -c public sends for sysDescr. */
	static const uint8_t want[] = {
	    0x30, 0x26, 0x02, 0x01, 0x01, 0x04, 0x06, 'p',  'u',  'b',
	    'l',  'i',  'c',  0xa0, 0x19, 0x02, 0x01, 0x01, 0x02, 0x01,
	    0x00, 0x02, 0x01, 0x00, 0x30, 0x0e, 0x30, 0x0c, 0x06, 0x08,
	    0x2b, 0x06, 0x01, 0x02, 0x01, 0x01, 0x01, 0x00, 0x05, 0x00,
	};
	uint8_t buf[512], big[300];
	size_t n;

	(void)state;
	n = Sl_snmp_encode_get(buf, sizeof(buf), SL_SNMP_V2C, "public", 1,
	                       SL_SNMP_SYSDESCR);
	assert_int_equal(n, sizeof(want));
	assert_memory_equal(buf, want, sizeof(want));

	/* A large request id, a large arc, a long community (long form). */
	memset(big, 'c', sizeof(big));
	big[250] = 0;
	n = Sl_snmp_encode_get(buf, sizeof(buf), SL_SNMP_V1, (char *)big,
	                       0x7fffffff, "1.3.6.1.4.1.4294967295.0");
	assert_true(n > 256);
	assert_int_equal(buf[0], 0x30);
	assert_int_equal(buf[1], 0x82); /* two length bytes */

	/* Refused: bad OIDs, no room, a community over 255 bytes. */
	big[299] = 0;
	memset(big, 'c', 299);
	assert_int_equal(Sl_snmp_encode_get(buf, sizeof(buf), 1, (char *)big, 1,
	                                    SL_SNMP_SYSDESCR),
	                 0);
	assert_int_equal(
	    Sl_snmp_encode_get(buf, sizeof(buf), 1, "public", 1, "1.3..6"), 0);
	assert_int_equal(
	    Sl_snmp_encode_get(buf, sizeof(buf), 1, "public", 1, "3.1"), 0);
	assert_int_equal(Sl_snmp_encode_get(buf, sizeof(buf), 1, "public", 1,
	                                    "1.3.6.1.4294967296"),
	                 0);
	assert_int_equal(
	    Sl_snmp_encode_get(buf, sizeof(buf), 1, "public", 1, "1"), 0);
	assert_int_equal(
	    Sl_snmp_encode_get(buf, 20, 1, "public", 1, SL_SNMP_SYSDESCR), 0);
	assert_int_equal(Sl_snmp_encode_get(buf, sizeof(buf), 3, "public", 1,
	                                    SL_SNMP_SYSDESCR),
	                 0);
}

/* A Response for request id 0x1234 whose value is the TLV val. */
static size_t
snmp_response(uint8_t *out, const uint8_t *val, size_t vlen)
{
	uint8_t vb[128], *p = out;
	size_t n = 0;

	vb[n++] = 0x06;
	vb[n++] = 8;
	memcpy(vb + n, "\x2b\x06\x01\x02\x01\x01\x01\x00", 8);
	n += 8;
	memcpy(vb + n, val, vlen);
	n += vlen;
	*p++ = 0x30;
	*p++ = (uint8_t)(3 + 8 + 2 + 4 + 3 + 3 + 2 + 2 + n);
	memcpy(p, "\x02\x01\x01\x04\x06public", 11);
	p += 11;
	*p++ = 0xa2;
	*p++ = (uint8_t)(4 + 3 + 3 + 2 + 2 + n);
	memcpy(p, "\x02\x02\x12\x34\x02\x01\x00\x02\x01\x00", 10);
	p += 10;
	*p++ = 0x30;
	*p++ = (uint8_t)(2 + n);
	*p++ = 0x30;
	*p++ = (uint8_t)n;
	memcpy(p, vb, n);
	return (size_t)(p + n - out);
}

static void
test_snmp_parse(void **state)
{
	static const struct {
		const char *val;
		size_t len;
		const char *want;
	} v[] = {
	    {"\x04\x0bLinux\x01"
	     "cam 5.",
	     13, "Linux.cam 5"},
	    {"\x02\x02\xff\x38", 4, "-200"},
	    {"\x43\x03\x01\x00\x00", 5, "65536"},
	    {"\x40\x04\x0a\x00\x00\x02", 6, "10.0.0.2"},
	    {"\x06\x0a\x2b\x06\x01\x04\x01\xbf\x08\x03\x02\x0a", 12,
	     "1.3.6.1.4.1.8072.3.2.10"},
	    {"\x80\x00", 2, "noSuchObject"},
	    {"\x05\x00", 2, ""},
	};
	uint8_t msg[256];
	char out[64];
	int32_t id = 0x1234, other = 7;
	size_t i, n;

	(void)state;
	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		n = snmp_response(msg, (const uint8_t *)v[i].val, v[i].len);
		assert_int_equal(Sl_snmp_parse(msg, n, &id, out, sizeof(out)),
		                 1);
		assert_string_equal(out, v[i].want);
		assert_int_equal(Sl_snmp_parse(msg, n, NULL, out, sizeof(out)),
		                 1);
		/* Another request id: not ours. */
		assert_int_equal(
		    Sl_snmp_parse(msg, n, &other, out, sizeof(out)), 0);
		assert_string_equal(out, "");
		/* Every truncation is refused, never read past. */
		while (--n > 0)
			assert_int_equal(
			    Sl_snmp_parse(msg, n, &id, out, sizeof(out)), 0);
	}
	/* Truncated output, still terminated. */
	n = snmp_response(msg, (const uint8_t *)v[0].val, v[0].len);
	assert_int_equal(Sl_snmp_parse(msg, n, &id, out, 6), 1);
	assert_string_equal(out, "Linux");
	/* A length claiming more than the datagram; indefinite length. */
	msg[1] = 0x84;
	assert_int_equal(Sl_snmp_parse(msg, n, &id, out, sizeof(out)), 0);
	msg[1] = 0x80;
	assert_int_equal(Sl_snmp_parse(msg, n, &id, out, sizeof(out)), 0);
}

/* ---- UDP answers ---- */

static void
test_udp_dns(void **state)
{
	/* version.bind CH TXT "dnsmasq-2.89", the answer name compressed. */
	static const uint8_t ans[] = {
	    0xab, 0xcd, 0x84, 0x00, 0,   1,   0,   1,   0,    0,    0,
	    0,    7,    'v',  'e',  'r', 's', 'i', 'o', 'n',  4,    'b',
	    'i',  'n',  'd',  0,    0,   16,  0,   3,   0xc0, 0x0c, 0,
	    16,   0,    3,    0,    0,   0,   0,   0,   13,   12,   'd',
	    'n',  's',  'm',  'a',  's', 'q', '-', '2', '.',  '8',  '9',
	};
	uint8_t req[512], loop[sizeof(ans)];
	struct Sl_udp_info in;
	size_t n;

	(void)state;
	n = Sl_udp_request(SL_UDP_DNS, 0x1234abcd, "h", req, sizeof(req));
	assert_int_equal(n, 12 + 14 + 4);
	assert_int_equal(req[0], 0xab);
	assert_int_equal(req[1], 0xcd);
	assert_true(
	    Sl_udp_parse(SL_UDP_DNS, 0x1234abcd, ans, sizeof(ans), &in));
	assert_string_equal(in.name, "dns");
	assert_string_equal(in.banner, "DNS NOERROR, version.bind: "
	                               "dnsmasq-2.89");
	assert_string_equal(in.product, "dnsmasq");
	assert_string_equal(in.version, "2.89");
	/* Another id: not ours. */
	assert_false(
	    Sl_udp_parse(SL_UDP_DNS, 0x1234abce, ans, sizeof(ans), &in));
	/* A pointer to itself is refused (no loop), the answer still DNS. */
	memcpy(loop, ans, sizeof(ans));
	loop[30] = 0xc0;
	loop[31] = 30;
	assert_true(
	    Sl_udp_parse(SL_UDP_DNS, 0x1234abcd, loop, sizeof(loop), &in));
	assert_string_equal(in.banner, "DNS NOERROR");
	for (n = 0; n < sizeof(ans); n++)
		(void)Sl_udp_parse(SL_UDP_DNS, 0xabcd, ans, n, &in);
}

static void
test_udp_mdns(void **state)
{
	static const uint8_t ans[] = {
	    0x00, 0x07, 0x84, 0x00, 0,   0,    0,    2,   0,   0,   0,
	    0,    9,    '_',  's',  'e', 'r',  'v',  'i', 'c', 'e', 's',
	    7,    '_',  'd',  'n',  's', '-',  's',  'd', 4,   '_', 'u',
	    'd',  'p',  5,    'l',  'o', 'c',  'a',  'l', 0,   0,   12,
	    0,    1,    0,    0,    0,   10,   0,    8,   5,   '_', 'h',
	    't',  't',  'p',  0xc0, 30,  0xc0, 12,   0,   12,  0,   1,
	    0,    0,    0,    10,   0,   2,    0xc0, 52,
	};
	struct Sl_udp_info in;

	(void)state;
	assert_true(Sl_udp_parse(SL_UDP_MDNS, 7, ans, sizeof(ans), &in));
	assert_string_equal(in.name, "mdns");
	assert_string_equal(in.banner, "mDNS services: _http._udp.local, "
	                               "_http._udp.local");
}

static void
test_udp_ntp_coap_tftp_ssdp(void **state)
{
	uint8_t req[512], ntp[48];
	static const uint8_t coap[] = {0x60, 0x45, 0x12, 0x34, 0xc1, 0x28,
	                               0xff, '<',  '/',  't',  '>'};
	static const uint8_t tftp[] = "\0\5\0\1File not found";
	static const char ssdp[] =
	    "HTTP/1.1 200 OK\r\nCACHE-CONTROL: max-age=120\r\n"
	    "SERVER: Linux/5.10 UPnP/1.0 MiniUPnPd/2.3.3\r\n"
	    "LOCATION: http://10.0.0.2:49152/rootDesc.xml\r\n\r\n";
	struct Sl_udp_info in;
	size_t n;

	(void)state;
	n = Sl_udp_request(SL_UDP_NTP, 0x01020304, NULL, req, sizeof(req));
	assert_int_equal(n, 48);
	memset(ntp, 0, sizeof(ntp));
	ntp[0] = 0x24; /* version 4, mode 4 */
	ntp[1] = 2;
	ntp[12] = 192;
	ntp[13] = 0;
	ntp[14] = 2;
	ntp[15] = 1;
	memcpy(ntp + 24, req + 40, 8); /* the originate timestamp echoed */
	assert_true(Sl_udp_parse(SL_UDP_NTP, 0x01020304, ntp, 48, &in));
	assert_string_equal(in.banner,
	                    "NTPv4 server, stratum 2, refid 192.0.2.1");
	assert_false(Sl_udp_parse(SL_UDP_NTP, 0x01020305, ntp, 48, &in));
	assert_false(Sl_udp_parse(SL_UDP_NTP, 0x01020304, ntp, 47, &in));

	n = Sl_udp_request(SL_UDP_COAP, 0x1234, NULL, req, sizeof(req));
	assert_int_equal(n, 4 + 12 + 5);
	assert_true(Sl_udp_parse(SL_UDP_COAP, 0x1234, coap, sizeof(coap), &in));
	assert_string_equal(in.banner, "CoAP reply 2.05: </t>");
	assert_false(
	    Sl_udp_parse(SL_UDP_COAP, 0x1235, coap, sizeof(coap), &in));

	n = Sl_udp_request(SL_UDP_TFTP, 0xdeadbeef, NULL, req, sizeof(req));
	assert_true(n > 20);
	assert_string_equal((char *)req + 2, "starlab-probe-deadbeef.none");
	assert_true(Sl_udp_parse(SL_UDP_TFTP, 0, tftp, sizeof(tftp) - 1, &in));
	assert_string_equal(in.banner, "TFTP error 1: File not found");

	n = Sl_udp_request(SL_UDP_SSDP, 0, "fd00::2", req, sizeof(req));
	assert_non_null(memmem(req, n, "HOST: [fd00::2]:1900\r\n", 22));
	assert_true(Sl_udp_parse(SL_UDP_SSDP, 0, (const uint8_t *)ssdp,
	                         strlen(ssdp), &in));
	assert_string_equal(in.product, "miniupnpd");
	assert_string_equal(in.version, "2.3.3");
	assert_non_null(strstr(in.banner, "LOCATION: http://10.0.0.2:49152/"
	                                  "rootDesc.xml"));
	assert_false(Sl_udp_parse(SL_UDP_SSDP, 0,
	                          (const uint8_t *)"HTTP/1.1 "
	                                           "404 Not Found\r\n\r\n",
	                          26, &in));
}

static void
test_udp_nbstat(void **state)
{
	uint8_t ans[256], req[512];
	struct Sl_udp_info in;
	size_t n = 0, q;

	(void)state;
	q = Sl_udp_request(SL_UDP_NBSTAT, 0x42, NULL, req, sizeof(req));
	assert_int_equal(q, 12 + 34 + 4);
	assert_int_equal(req[13], 'C');
	assert_int_equal(req[14], 'K');
	memcpy(ans, "\x00\x42\x84\x00\0\0\0\1\0\0\0\0", 12);
	n = 12;
	memcpy(ans + n, req + 12, 34); /* the name */
	n += 34;
	memcpy(ans + n, "\0\x21\0\1\0\0\0\0", 8);
	n += 8;
	ans[n++] = 0;
	ans[n++] = 1 + 2 * 18 + 6;
	ans[n++] = 2;
	memcpy(ans + n, "SLCAM100       \x00\x04\x00", 18);
	n += 18;
	memcpy(ans + n, "WORKGROUP      \x00\x84\x00", 18);
	n += 18;
	memcpy(ans + n, "\x02\x00\x00\x00\x00\x01", 6);
	n += 6;
	assert_true(Sl_udp_parse(SL_UDP_NBSTAT, 0x42, ans, n, &in));
	assert_string_equal(in.banner, "NetBIOS names: SLCAM100<00>, "
	                               "WORKGROUP<00>; MAC 02:00:00:00:00:01");
	/* A name count larger than the record is cut to what fits. */
	ans[12 + 34 + 10] = 200;
	assert_true(Sl_udp_parse(SL_UDP_NBSTAT, 0x42, ans, n, &in));
}

/* ---- TCP banners ---- */

static void
test_greetings(void **state)
{
	static const struct {
		const char *in;
		const char *name, *product, *version;
	} g[] = {
	    {"SSH-2.0-dropbear_2022.83\r\n", "ssh", "dropbear", "2022.83"},
	    {"SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3\r\n", "ssh", "openssh",
	     "9.2p1"},
	    {"SSH-1.99-Cisco-1.25\r\n", "ssh", "cisco", "1.25"},
	    {"220 (vsFTPd 3.0.3)\r\n", "ftp", "vsftpd", "3.0.3"},
	    {"220 ProFTPD 1.3.8 Server (Debian) [10.0.0.2]\r\n", "ftp",
	     "proftpd", "1.3.8"},
	    {"220 mail.example ESMTP Postfix (Debian)\r\n", "smtp", "postfix",
	     ""},
	    {"\xff\xfd\x18\xff\xfd\x20", "telnet", "", ""},
	    {"\r\nBusyBox v1.31.1 (2020-01-01) built-in shell\r\nlogin: ",
	     "telnet", "busybox", "1.31.1"},
	};
	struct Sl_ident id;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(g) / sizeof(g[0]); i++) {
		assert_true(Sl_ident_greeting((const uint8_t *)g[i].in,
		                              strlen(g[i].in), &id));
		assert_string_equal(id.name, g[i].name);
		assert_string_equal(id.product, g[i].product);
		assert_string_equal(id.version, g[i].version);
	}
	assert_false(Sl_ident_greeting((const uint8_t *)"hello", 5, &id));
	assert_false(Sl_ident_greeting((const uint8_t *)"SSH", 3, &id));
	assert_false(Sl_ident_greeting(NULL, 0, &id));
}

static void
test_http(void **state)
{
	static const char r401[] =
	    "HTTP/1.1 401 Unauthorized\r\nServer: lighttpd/1.4.69\r\n"
	    "WWW-Authenticate: Basic realm=\"SL-CAM100\", charset=\"UTF-8\"\r\n"
	    "Content-Length: 20\r\n\r\n<title> Denied</title>";
	static const char form[] =
	    "HTTP/1.0 200 OK\r\nServer: Apache/2.4.57 (Debian)\r\n\r\n"
	    "<html><TITLE>Login</TITLE><input type=\"password\" name=p>";
	static const char rtsp[] =
	    "RTSP/1.0 200 OK\r\nCSeq: 1\r\nServer: GStreamer RTSP server\r\n"
	    "Public: OPTIONS, DESCRIBE\r\n\r\n";
	struct Sl_ident id;

	(void)state;
	assert_true(Sl_ident_http((const uint8_t *)r401, strlen(r401), &id));
	assert_string_equal(id.name, "http");
	assert_int_equal(id.status, 401);
	assert_string_equal(id.product, "lighttpd");
	assert_string_equal(id.version, "1.4.69");
	assert_string_equal(id.auth, "basic");
	assert_string_equal(id.extra, "401 Unauthorized; title: Denied");

	assert_true(Sl_ident_http((const uint8_t *)form, strlen(form), &id));
	assert_int_equal(id.status, 200);
	assert_string_equal(id.product, "apache");
	assert_string_equal(id.version, "2.4.57");
	assert_string_equal(id.auth, "form");
	assert_string_equal(id.extra, "200 OK; title: Login");

	assert_true(Sl_ident_http((const uint8_t *)rtsp, strlen(rtsp), &id));
	assert_string_equal(id.name, "rtsp");
	assert_string_equal(id.product, "gstreamer");
	assert_string_equal(id.version, "");

	assert_false(Sl_ident_http((const uint8_t *)"HTTP/1.1 2", 10, &id));
	assert_false(
	    Sl_ident_http((const uint8_t *)"GET / HTTP/1.1\r\n\r\n", 18, &id));
}

static void
test_servers(void **state)
{
	static const struct {
		const char *in, *product, *version;
	} v[] = {
	    {"lighttpd/1.4.69", "lighttpd", "1.4.69"},
	    {"nginx/1.22.1", "nginx", "1.22.1"},
	    {"Linux/5.10 UPnP/1.0 MiniUPnPd/2.3.3", "miniupnpd", "2.3.3"},
	    {"Linux/3.14, UPnP/1.0, Portable SDK for UPnP devices/1.6.19",
	     "libupnp", "1.6.19"},
	    {"GoAhead-Webs/2.5.0 PeerSec-MatrixSSL/3.4.2-OPEN", "goahead",
	     "2.5.0"},
	    {"Apache/2.4.57 (Debian) OpenSSL/3.0.11", "apache", "2.4.57"},
	    {"mini_httpd/1.30 26Oct2018", "mini_httpd", "1.30"},
	    {"uhttpd", "uhttpd", ""},
	    {"", "", ""},
	};
	char p[32], ver[32];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		(void)Sl_ident_server(v[i].in, strlen(v[i].in), p, sizeof(p),
		                      ver, sizeof(ver));
		assert_string_equal(p, v[i].product);
		assert_string_equal(ver, v[i].version);
	}
	assert_true(Sl_ident_product("mosquitto version 2.0.11", 24, p,
	                             sizeof(p), ver, sizeof(ver)));
	assert_string_equal(p, "mosquitto");
	assert_string_equal(ver, "2.0.11");
	/* Bounded output. */
	assert_true(Sl_ident_product("averyveryverylongproductname/1.2.3.4", 36,
	                             p, 8, ver, 4));
	assert_string_equal(p, "averyve");
	assert_string_equal(ver, "1.2");
}

static void
test_mqtt_adb_upnp(void **state)
{
	static const uint8_t connack[] = {0x20, 0x02, 0x00, 0x05};
	static const uint8_t pub[] = {
	    0x90, 0x03, 0x00, 0x01, 0x00, /* SUBACK */
	    0x31, 0x22, 0x00, 0x13, '$',  'S', 'Y', 'S', '/', 'b', 'r', 'o',
	    'k',  'e',  'r',  '/',  'v',  'e', 'r', 's', 'i', 'o', 'n', 'm',
	    'o',  's',  'q',  'u',  'i',  't', 't', 'o', ' ', '2', '.', '0',
	};
	static const char xml[] =
	    "<root><device><friendlyName>Cam</friendlyName>"
	    "<manufacturer>StarLab</manufacturer><modelName>SL-CAM100"
	    "</modelName></device></root>";
	uint8_t adb[64];
	char topic[32], payload[32];
	struct Sl_ident id;

	(void)state;
	assert_int_equal(Sl_mqtt_connack(connack, sizeof(connack)), 5);
	assert_int_equal(Sl_mqtt_connack(connack, 3), -1);
	assert_int_equal(Sl_mqtt_connack(pub, sizeof(pub)), -1);
	assert_true(Sl_mqtt_publish(pub, sizeof(pub), topic, sizeof(topic),
	                            payload, sizeof(payload)));
	assert_string_equal(topic, "$SYS/broker/version");
	assert_string_equal(payload, "mosquitto 2.0");
	/* A remaining length past the bytes read: refused. */
	assert_false(Sl_mqtt_publish(pub, sizeof(pub) - 1, topic, sizeof(topic),
	                             payload, sizeof(payload)));

	memset(adb, 0, sizeof(adb));
	memcpy(adb, "CNXN\0\0\0\1\0\x10\0\0\x0c\0\0\0\0\0\0\0", 20);
	adb[20] = 'C' ^ 0xff;
	adb[21] = 'N' ^ 0xff;
	adb[22] = 'X' ^ 0xff;
	adb[23] = 'N' ^ 0xff;
	memcpy(adb + 24, "device::x=1;", 12);
	assert_true(Sl_ident_adb(adb, 36, &id));
	assert_string_equal(id.name, "adb");
	assert_string_equal(id.extra, "CNXN device::x=1;");
	adb[23] ^= 1;
	assert_false(Sl_ident_adb(adb, 36, &id));

	memset(&id, 0, sizeof(id));
	assert_true(Sl_ident_upnp((const uint8_t *)xml, strlen(xml), &id));
	assert_string_equal(id.extra, "UPnP manufacturer=StarLab; "
	                              "modelName=SL-CAM100; friendlyName=Cam");
}

/* ---- One real scan of a loopback listener ---- */

static void
test_portscan_loopback(void **state)
{
	struct sockaddr_in a = {.sin_family = AF_INET};
	socklen_t al = sizeof(a);
	struct sl_device_opts o;
	struct Sl_scan_stats st;
	struct sl_scan *s;
	char ports[64];
	unsigned p;
	int fd;

	(void)state;
	fd = socket(AF_INET, SOCK_STREAM, 0);
	assert_true(fd >= 0);
	a.sin_addr.s_addr = htonl(0x7f000001);
	assert_int_equal(bind(fd, (struct sockaddr *)&a, sizeof(a)), 0);
	assert_int_equal(listen(fd, 16), 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&a, &al), 0);
	p = ntohs(a.sin_port);
	snprintf(ports, sizeof(ports), "%u-%u", p > 20 ? p - 20 : 1,
	         p < 65515 ? p + 20 : 65535);

	sl_device_opts_default(&o);
	o.ports = ports;
	o.udp = false;
	s = sl_scan_new(NULL);
	assert_non_null(s);
	assert_int_equal(Sl_dev_open(s, "127.0.0.1", &o), SL_OK);
	assert_int_equal(Sl_portscan(s, &st), SL_OK);
	assert_int_equal(st.targets, st.done);
	assert_true(st.open >= 1);
	assert_non_null(Sl_service_find(s, IPPROTO_TCP, p));
	assert_false(st.cancelled);
	sl_scan_free(s);

	/* A cancel before the start stops at once. */
	s = sl_scan_new(NULL);
	assert_int_equal(Sl_dev_open(s, "127.0.0.1", &o), SL_OK);
	sl_scan_cancel(s);
	assert_int_equal(Sl_portscan(s, &st), SL_OK);
	assert_true(st.cancelled);
	assert_int_equal(st.done, 0);
	sl_scan_free(s);

	/* A bad list is a usage error. */
	o.ports = "1-70000";
	s = sl_scan_new(NULL);
	assert_int_equal(Sl_dev_open(s, "127.0.0.1", &o), SL_OK);
	assert_int_equal(Sl_portscan(s, &st), SL_E_USAGE);
	sl_scan_free(s);
	close(fd);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_ports_parse),
	    cmocka_unit_test(test_ports_bad),
	    cmocka_unit_test(test_snmp_encode),
	    cmocka_unit_test(test_snmp_parse),
	    cmocka_unit_test(test_udp_dns),
	    cmocka_unit_test(test_udp_mdns),
	    cmocka_unit_test(test_udp_ntp_coap_tftp_ssdp),
	    cmocka_unit_test(test_udp_nbstat),
	    cmocka_unit_test(test_greetings),
	    cmocka_unit_test(test_http),
	    cmocka_unit_test(test_servers),
	    cmocka_unit_test(test_mqtt_adb_upnp),
	    cmocka_unit_test(test_portscan_loopback),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
