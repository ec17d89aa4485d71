/*
 * snmp_fuzz.c - libFuzzer target for the SNMP BER decoder (snmp.c), with
 * every request id and with output buffers of several sizes; and for the
 * encoder's OID parser, fed the input as a dotted OID.
 */
#include <stdlib.h>

#include "../sl.h"
#include "snmp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const size_t lens[] = {0, 1, 7, 300};
	uint8_t req[1024];
	char out[300], *oid;
	int32_t id = 0x1234;
	size_t i;

	for (i = 0; i < sizeof(lens) / sizeof(lens[0]); i++)
		(void)Sl_snmp_parse(data, size, i == 0 ? &id : NULL, out,
		                    lens[i]);
	oid = malloc(size + 1);
	if (oid == NULL)
		return 0;
	memcpy(oid, data, size);
	oid[size] = 0;
	(void)Sl_snmp_encode_get(req, sizeof(req), SL_SNMP_V2C, "public", 1,
	                         oid);
	(void)Sl_snmp_encode_get(req, sizeof(req), SL_SNMP_V1, oid, 1,
	                         SL_SNMP_SYSDESCR);
	free(oid);
	return 0;
}
