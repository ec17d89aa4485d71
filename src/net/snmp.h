/*
 * snmp.h - a minimal SNMP v1/v2c client: one GET of one OID, and the BER
 * encoder and decoder behind it (snmp.c).
 *
 * Used by the UDP probe (sysDescr with community "public"), by the
 * default-credential step (which communities answer) and by the model
 * and version step (sysDescr, sysObjectID).  Every answer is hostile:
 * the decoder bounds every length and never reads past the datagram.
 */
#ifndef SL_SNMP_H
#define SL_SNMP_H

#include <stddef.h>
#include <stdint.h>

#include "net.h"

/* SNMP version numbers as they go on the wire. */
#define SL_SNMP_V1  0
#define SL_SNMP_V2C 1

/* The OIDs starlab asks for. */
#define SL_SNMP_SYSDESCR    "1.3.6.1.2.1.1.1.0"
#define SL_SNMP_SYSOBJECTID "1.3.6.1.2.1.1.2.0"
#define SL_SNMP_SYSNAME     "1.3.6.1.2.1.1.5.0"

/* Bytes of the longest community the encoder accepts. */
#define SL_SNMP_MAX_COMMUNITY 255
/* Arcs of the longest OID the encoder and decoder accept. */
#define SL_SNMP_MAX_ARCS 64

/*
 * Ask the service svc (an address and UDP port of s->dev's target) for
 * the value of oid_dotted ("1.3.6.1.2.1.1.1.0") with an SNMP v2c GET
 * under community.  The request is sent once, again after half of
 * timeout_ms without an answer, and the call returns after timeout_ms in
 * total at most.  Thread-safe: each call has its own socket.
 *
 * Returns 1 when the agent answered (the community was accepted, since
 * agents drop requests with a wrong community): out then holds the value
 * made printable ("Linux cam 5.10.0 ...", "42", "1.3.6.1.4.1.8072.3.2.10",
 * "noSuchObject", or "error-status 2" when the agent refused the OID),
 * truncated to outlen - 1 bytes and always NUL-terminated when outlen > 0.
 * Returns 0 when nothing answered in time, -1 on an error (bad arguments,
 * no socket, ICMP port unreachable: errno says which).
 */
int Sl_snmp_get(struct sl_scan *s, const struct Sl_service *svc,
                const char *community, const char *oid_dotted, char *out,
                size_t outlen, unsigned timeout_ms);

/*
 * Encode a GetRequest for one OID into buf (cap bytes).  Returns the
 * message length, or 0 when it does not fit or the arguments are invalid
 * (a community over SL_SNMP_MAX_COMMUNITY bytes, a malformed OID).
 */
size_t Sl_snmp_encode_get(uint8_t *buf, size_t cap, int version,
                          const char *community, int32_t reqid,
                          const char *oid_dotted);

/*
 * Decode a GetResponse of n bytes.  want_reqid NULL accepts any request
 * id.  Returns 1 for a well-formed response with the wanted request id
 * (out as for Sl_snmp_get), 0 otherwise (malformed, another message or
 * another request id; out is then "").
 */
int Sl_snmp_parse(const uint8_t *p, size_t n, const int32_t *want_reqid,
                  char *out, size_t outlen);

#endif
