/*
 * udp_fuzz.c - libFuzzer target for the device answer parsers: the UDP
 * parsers (udp.c) and the TCP banner and answer parsers (probe.c).
 *
 * The first byte picks the parser; the rest is the device's answer.  The
 * transaction id is taken from the answer itself where the parser checks
 * one, so that the fuzzer gets past the check to the parsing behind it.
 */
#include "../sl.h"
#include "stages.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static uint32_t
xid_of(enum Sl_udp_kind k, const uint8_t *p, size_t n)
{
	switch (k) {
	case SL_UDP_DNS:
	case SL_UDP_MDNS:
	case SL_UDP_NBSTAT: return n >= 2 ? Sl_get_be16(p) : 0;
	case SL_UDP_NTP: return n >= 28 ? Sl_get_be32(p + 24) : 0;
	case SL_UDP_COAP: return n >= 4 ? Sl_get_be16(p + 2) : 0;
	case SL_UDP_SNMP: return 0x1234;
	default: return 0;
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct Sl_udp_info in;
	struct Sl_ident id;
	char a[64], b[96];
	const uint8_t *p;
	size_t n;
	unsigned sel;

	if (size < 1)
		return 0;
	sel = data[0] % 16;
	p = data + 1;
	n = size - 1;
	if (sel < SL_UDP_NKINDS) {
		enum Sl_udp_kind k = (enum Sl_udp_kind)sel;

		(void)Sl_udp_parse(k, xid_of(k, p, n), p, n, &in);
		return 0;
	}
	switch (sel) {
	case 8: (void)Sl_ident_greeting(p, n, &id); break;
	case 9: (void)Sl_ident_http(p, n, &id); break;
	case 10:
		(void)Sl_mqtt_connack(p, n);
		(void)Sl_mqtt_publish(p, n, a, sizeof(a), b, sizeof(b));
		break;
	case 11: (void)Sl_ident_adb(p, n, &id); break;
	case 12:
		memset(&id, 0, sizeof(id));
		(void)Sl_ident_upnp(p, n, &id);
		break;
	case 13:
		(void)Sl_ident_server((const char *)p, n, a, sizeof(a), b,
		                      sizeof(b));
		break;
	default:
		(void)Sl_ident_product((const char *)p, n, a, sizeof(a), b,
		                       sizeof(b));
		break;
	}
	return 0;
}
