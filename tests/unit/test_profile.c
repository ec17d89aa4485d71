/*
 * test_profile.c - unit tests of the product profile parser
 * (src/profile/profile.c): a complete profile gives every field; each
 * kind of error names the line and column; every bound (file size,
 * depth, nodes, value length, interfaces, credentials, regex repetition)
 * is enforced; aliases and extra documents are refused; a failed parse
 * leaves no profile behind; allocation failure at every step is an error,
 * never a crash; and the verdict stage uses the profile as docs/verdicts.md
 * says.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "profile/profile.h"

static const char good[] =
    "# a comment\n"
    "product: {vendor: ACME, model: SL-100, version: \"1.2.3\"}\n"
    "interfaces:\n"
    "  - {proto: tcp, port: 443, service: https, purpose: web admin,\n"
    "     auth: \"password, per device\"}\n"
    "  - proto: udp\n"
    "    port: 1900\n"
    "    purpose: |\n"
    "      discovery\n"
    "      on the LAN\n"
    "  - {proto: ble, purpose: pairing}\n"
    "credentials:\n"
    "  - {service: ssh, user: admin, password: \"p@ss word\\t!\"}\n"
    "  - {user: root, password: x}\n"
    "version_probe: {kind: http, port: 80, path: /status,\n"
    "                pattern: 'firmware ([0-9.]{1,20})'}\n"
    "password_scheme: forced-change\n"
    "constrained_device: yes\n"
    "documents:\n"
    "  S1.1-05: {contact: sec@acme.example, process: p,\n"
    "            status_updates: s}\n"
    "  S1.1-07: https://acme.example/update\n"
    "  S1.1-16: {1: a, \"(2)\": b, 3: c, 4: d, \"(5)\": e}\n"
    "not_applicable:\n"
    "  S1.1-12: nothing protected leaves the device\n"
    "x-vendor-notes: {anything: [goes, here]}\n";

static struct sl_scan *
parse(const char *text, sl_rc *rc)
{
	struct sl_scan *s = sl_scan_new(NULL);

	assert_non_null(s);
	*rc =
	    Sl_profile_parse(s, "p.yaml", (const uint8_t *)text, strlen(text));
	return s;
}

static void
test_good(void **state)
{
	struct Sl_profile *p;
	struct sl_scan *s;
	sl_rc rc;
	size_t i;

	(void)state;
	s = parse(good, &rc);
	assert_int_equal(rc, SL_OK);
	p = s->profile;
	assert_non_null(p);
	assert_string_equal(p->path, "p.yaml");
	assert_string_equal(p->vendor, "ACME");
	assert_string_equal(p->model, "SL-100");
	assert_string_equal(p->version, "1.2.3");
	assert_int_equal(p->nifaces, 3);
	assert_string_equal(p->ifaces[0].proto, "tcp");
	assert_int_equal(p->ifaces[0].port, 443);
	assert_string_equal(p->ifaces[0].service, "https");
	assert_string_equal(p->ifaces[0].purpose, "web admin");
	assert_string_equal(p->ifaces[0].auth, "password, per device");
	assert_string_equal(p->ifaces[1].purpose, "discovery\non the LAN\n");
	assert_null(p->ifaces[1].auth);
	assert_null(p->ifaces[1].service);
	assert_string_equal(p->ifaces[2].proto, "ble");
	assert_int_equal(p->ifaces[2].port, 0);
	assert_int_equal(p->ncreds, 2);
	assert_string_equal(p->creds[0].service, "ssh");
	assert_string_equal(p->creds[0].pass, "p@ss word\t!");
	assert_null(p->creds[1].service);
	assert_string_equal(p->creds[1].user, "root");
	assert_string_equal(p->version_probe.kind, "http");
	assert_int_equal(p->version_probe.port, 80);
	assert_string_equal(p->version_probe.path, "/status");
	assert_string_equal(p->version_probe.pattern,
	                    "firmware ([0-9.]{1,20})");
	assert_null(p->version_probe.command);
	assert_string_equal(p->password_scheme, "forced-change");
	assert_true(p->constrained);
	assert_int_equal(p->ndocs, 3 + 1 + 5);
	for (i = 0; i < p->ndocs; i++)
		if (strcmp(p->docs[i].req, "S1.1-07") == 0)
			assert_null(p->docs[i].item);
		else
			assert_non_null(p->docs[i].item);
	assert_string_equal(p->docs[0].item, "contact");
	assert_string_equal(p->docs[4].item, "(1)");
	assert_string_equal(p->docs[8].item, "(5)");
	assert_string_equal(p->docs[8].ref, "e");
	assert_int_equal(p->nna, 1);
	assert_string_equal(p->na[0].req, "S1.1-12");
	assert_true(Sl_profile_declares(p, "tcp", 443));
	assert_true(Sl_profile_declares(p, "udp", 1900));
	assert_false(Sl_profile_declares(p, "udp", 443));
	assert_false(Sl_profile_declares(p, "tcp", 80));
	assert_false(Sl_profile_declares(NULL, "tcp", 443));
	/* One profile per scan. */
	rc = Sl_profile_parse(s, "q.yaml", (const uint8_t *)good, strlen(good));
	assert_int_equal(rc, SL_E_USAGE);
	assert_ptr_equal(s->profile, p);
	sl_scan_free(s);
}

/* The smallest valid profile. */
static void
test_minimal(void **state)
{
	struct sl_scan *s;
	sl_rc rc;

	(void)state;
	s = parse("product: {vendor: A, model: B}\n", &rc);
	assert_int_equal(rc, SL_OK);
	assert_null(s->profile->version);
	assert_int_equal(s->profile->nifaces, 0);
	assert_null(s->profile->version_probe.kind);
	assert_false(s->profile->constrained);
	sl_scan_free(s);
}

/* Each error: the input, its code and the "p.yaml:L:C: ..." prefix. */
static const struct {
	const char *text;
	sl_rc rc;
	const char *want;
} errors[] = {
    {"", SL_E_MALFORMED, "p.yaml:1:1: empty profile"},
    {"# only a comment\n", SL_E_MALFORMED, "p.yaml:1:1: empty profile"},
    {"- a\n", SL_E_MALFORMED, "p.yaml:1:1: expected a mapping at the top"},
    {"product: {vendor: A}\n", SL_E_MALFORMED,
     "p.yaml:1:10: product: 'model' is missing"},
    {"product: {vendor: A, model: B, colour: red}\n", SL_E_MALFORMED,
     "p.yaml:1:32: product: unknown key \"colour\""},
    {"product: {vendor: A, model: }\n", SL_E_MALFORMED,
     "p.yaml:1:29: product.model: empty value"},
    {"product: {vendor: [A], model: B}\n", SL_E_MALFORMED,
     "p.yaml:1:19: product.vendor: expected a string, got a list"},
    {"product: {vendor: \"A\\x01\", model: B}\n", SL_E_MALFORMED,
     "p.yaml:1:19: product.vendor: control character 0x01"},
    {"product: {vendor: \"A\\0B\", model: B}\n", SL_E_MALFORMED,
     "p.yaml:1:19: product.vendor: control character 0x00"},
    {"product: {vendor: A, model: B}\nproduct: {vendor: A, model: B}\n",
     SL_E_MALFORMED, "p.yaml:2:1: key 'product' given twice"},
    {"product: {vendor: A, model: B}\ninterfaces: {proto: tcp}\n",
     SL_E_MALFORMED, "p.yaml:2:13: interfaces: expected a list"},
    {"product: {vendor: A, model: B}\ninterfaces:\n - {proto: tcp}\n",
     SL_E_MALFORMED, "p.yaml:3:4: interfaces[1]: a tcp interface needs a port"},
    {"product: {vendor: A, model: B}\ninterfaces:\n"
     " - {proto: usb, port: 1}\n",
     SL_E_MALFORMED,
     "p.yaml:3:4: interfaces[1]: a usb interface has no "
     "port"},
    {"product: {vendor: A, model: B}\ninterfaces:\n"
     " - {proto: sctp, port: 1}\n",
     SL_E_MALFORMED,
     "p.yaml:3:4: interfaces[1].proto: unknown protocol "
     "'sctp'"},
    {"product: {vendor: A, model: B}\ninterfaces:\n"
     " - {proto: tcp, port: 65536}\n",
     SL_E_MALFORMED,
     "p.yaml:3:23: interfaces[1].port: expected a number "
     "from 1 to 65535, got \"65536\""},
    {"product: {vendor: A, model: B}\ninterfaces:\n"
     " - {proto: tcp, port: 0}\n",
     SL_E_MALFORMED,
     "p.yaml:3:23: interfaces[1].port: expected a number "
     "from 1 to 65535"},
    {"product: {vendor: A, model: B}\ninterfaces:\n"
     " - {proto: tcp, port: 22}\n - {proto: tcp, port: 22}\n",
     SL_E_MALFORMED,
     "p.yaml:4:4: interfaces[2]: tcp/22 is declared "
     "twice"},
    {"product: {vendor: A, model: B}\ncredentials:\n - {user: a}\n",
     SL_E_MALFORMED,
     "p.yaml:3:4: credentials[1]: 'password' is "
     "missing"},
    {"product: {vendor: A, model: B}\ncredentials:\n"
     " - {user: a, password: \"x\\ny\"}\n",
     SL_E_MALFORMED,
     "p.yaml:3:24: credentials[1].password: control "
     "character 0x0a"},
    {"product: {vendor: A, model: B}\nversion_probe: {kind: telnet, "
     "pattern: x}\n",
     SL_E_MALFORMED,
     "p.yaml:2:16: version_probe.kind: 'telnet' is not "
     "one of"},
    {"product: {vendor: A, model: B}\nversion_probe: {kind: ssh, "
     "pattern: x}\n",
     SL_E_MALFORMED,
     "p.yaml:2:16: version_probe: kind ssh needs a "
     "command"},
    {"product: {vendor: A, model: B}\nversion_probe: {kind: http, "
     "path: status, pattern: x}\n",
     SL_E_MALFORMED,
     "p.yaml:2:16: version_probe: kind http needs a path "
     "starting with '/'"},
    {"product: {vendor: A, model: B}\nversion_probe: {kind: banner, "
     "pattern: 'a{1,65}'}\n",
     SL_E_LIMIT,
     "p.yaml:2:40: version_probe.pattern: a repetition bound "
     "above 64"},
    {"product: {vendor: A, model: B}\nversion_probe: {kind: banner, "
     "pattern: '(x'}\n",
     SL_E_MALFORMED,
     "p.yaml:2:40: version_probe.pattern: not a POSIX "
     "extended regular expression"},
    {"product: {vendor: A, model: B}\nconstrained_device: maybe\n",
     SL_E_MALFORMED,
     "p.yaml:2:21: constrained_device: expected true or "
     "false, got \"maybe\""},
    {"product: {vendor: A, model: B}\npassword_scheme: admin\n", SL_E_MALFORMED,
     "p.yaml:2:18: password_scheme: expected unique"},
    {"product: {vendor: A, model: B}\ndocuments: [a]\n", SL_E_MALFORMED,
     "p.yaml:2:12: documents: expected a mapping, got a list"},
    {"product: {vendor: A, model: B}\ndocuments:\n  S1.1-7: x\n",
     SL_E_MALFORMED,
     "p.yaml:3:3: documents: \"S1.1-7\" is not a STAR-1 "
     "requirement id"},
    {"product: {vendor: A, model: B}\ndocuments:\n  S1.1-10: x\n",
     SL_E_MALFORMED,
     "p.yaml:3:3: documents: S1.1-10 is assessed by a "
     "device check only"},
    {"product: {vendor: A, model: B}\ndocuments:\n  S1.1-07: {a: b}\n",
     SL_E_MALFORMED,
     "p.yaml:3:12: documents.S1.1-07: expected a "
     "document reference"},
    {"product: {vendor: A, model: B}\ndocuments:\n  S1.1-05: {who: b}\n",
     SL_E_MALFORMED,
     "p.yaml:3:13: documents.S1.1-05: unknown part "
     "\"who\" (expected url, contact"},
    {"product: {vendor: A, model: B}\ndocuments:\n"
     "  S1.1-16: {1: a, \"(1)\": b}\n",
     SL_E_MALFORMED,
     "p.yaml:3:19: documents.S1.1-16: part (1) given "
     "twice"},
    {"product: {vendor: A, model: B}\ndocuments:\n"
     "  S1.1-07: a\n  S1.1-07: b\n",
     SL_E_MALFORMED, "p.yaml:4:3: documents: S1.1-07 given twice"},
    {"product: {vendor: A, model: B}\nnot_applicable:\n  S1.1-16: x\n",
     SL_E_MALFORMED,
     "p.yaml:3:3: not_applicable: STAR-1 allows no "
     "not-applicable case for S1.1-16"},
    {"product: {vendor: A, model: B}\nnot_applicable: [S1.1-04]\n",
     SL_E_MALFORMED,
     "p.yaml:2:17: not_applicable: expected a mapping, got a list"},
    {"product: {vendor: A, model: B}\nnot_applicable:\n  S1.1-99: x\n",
     SL_E_MALFORMED,
     "p.yaml:3:3: not_applicable: \"S1.1-99\" is not a STAR-1 "
     "requirement id"},
    {"product: {vendor: A, model: B}\nnot_applicable:\n"
     "  S1.1-04: x\n  S1.1-04: y\n",
     SL_E_MALFORMED, "p.yaml:4:3: not_applicable: S1.1-04 given twice"},
    {"product: {vendor: A, model: B}\nnot_applicable:\n  S1.1-04: \"\"\n",
     SL_E_MALFORMED,
     "p.yaml:3:12: not_applicable.S1.1-04: the vendor's "
     "reason is missing"},
    {"product: {vendor: A, model: B}\nnot_applicable:\n  S1.1-04:\n",
     SL_E_MALFORMED,
     "p.yaml:3:11: not_applicable.S1.1-04: the vendor's "
     "reason is missing"},
    {"product: {vendor: A, model: B, support_until: 2031-02-30}\n",
     SL_E_MALFORMED,
     "p.yaml:1:10: product.support_until: expected a date "
     "YYYY-MM-DD"},
    {"product: {vendor: A, model: B, host_name: 10.0.0.2}\n", SL_E_MALFORMED,
     "p.yaml:1:10: product.host_name: expected a DNS name"},
    {"product: {vendor: A, model: B, host_name: \"cam_1.local\"}\n",
     SL_E_MALFORMED, "p.yaml:1:10: product.host_name: expected a DNS name"},
    {"product: {vendor: A, model: B, host_name: -cam.local}\n", SL_E_MALFORMED,
     "p.yaml:1:10: product.host_name: expected a DNS name"},
    {"product: {vendor: A, model: B}\nservice: {max_token_life: 1h}\n",
     SL_E_MALFORMED, "p.yaml:2:10: service.max_token_life: expected seconds"},
    {"product: {vendor: A, model: B}\nservice: {intrusive: maybe}\n",
     SL_E_MALFORMED, "p.yaml:2:22: service.intrusive: expected true or false"},
    {"product: {vendor: A, model: B}\nassess: {firmware: a, colour: b}\n",
     SL_E_MALFORMED,
     "p.yaml:2:23: assess: unexpected or repeated key "
     "\"colour\""},
    {"product: {vendor: A, model: B}\nassess: {device: {a: b}}\n",
     SL_E_MALFORMED,
     "p.yaml:2:18: assess.device: expected a string or a "
     "list, got a mapping"},
    {"product: {vendor: A, model: B}\n"
     "assess: {firmware: [a, b, c, d, e, f, g, h, i]}\n",
     SL_E_LIMIT, "p.yaml:2:20: assess.firmware: more than 8 entries"},
    {"product: {vendor: A, model: B}\nnot_applicable:\n  S1.1-04: x\n"
     "documents:\n  S1.1-03: y\nnot_applicable:\n  S1.1-08: z\n",
     SL_E_MALFORMED, "p.yaml:6:1: key 'not_applicable' given twice"},
    {"product: {vendor: A, model: B}\nproduct: [\n", SL_E_MALFORMED,
     "p.yaml:3:1: YAML syntax: did not find expected node content"},
    {"product: {vendor: A, model: B}\n\tbad: tab\n", SL_E_MALFORMED,
     "p.yaml:2:1: YAML syntax: found character that cannot start any "
     "token"},
    {"product: {vendor: \xff, model: B}\n", SL_E_MALFORMED,
     "p.yaml:1:19: invalid leading UTF-8 octet (byte 0xff)"},
    {"product: &a {vendor: A, model: B}\nx-copy: *a\n", SL_E_MALFORMED,
     "p.yaml:2:9: aliases (*name) are not supported"},
    {"product: {vendor: A, model: B}\n---\nproduct: {vendor: A, "
     "model: B}\n",
     SL_E_MALFORMED, "p.yaml:2:1: more than one YAML document"},
    {"x-a: [[[[[[[[[1]]]]]]]]]\nproduct: {vendor: A, model: B}\n", SL_E_LIMIT,
     "p.yaml:1:13: nested deeper than 8 levels"},
    {"? [a, b]\n: c\nproduct: {vendor: A, model: B}\n", SL_E_MALFORMED,
     "p.yaml:1:3: unknown key a list"},
};

/*
 * assess: names the images (relative to the profile's directory) and the
 * devices; product.name and support_until are label data.
 */
static void
test_assess(void **state)
{
	static const char text[] =
	    "product: {vendor: A, model: B, name: The B, "
	    "support_until: \"2031-03-31\", host_name: cam-b.local}\n"
	    "service: {intrusive: yes, replay: caps/cmd.http, "
	    "max_token_life: 3600}\n"
	    "assess:\n  firmware: [imgs/u1.bin, /abs/u2.bin]\n"
	    "  device: 10.0.0.2\n  snapshots: snaps\n";
	struct sl_scan *s = sl_scan_new(NULL);

	(void)state;
	assert_int_equal(Sl_profile_parse(s, "dir/p.yaml",
	                                  (const uint8_t *)text,
	                                  sizeof(text) - 1),
	                 SL_OK);
	assert_string_equal(sl_profile_target(s, "firmware", 0),
	                    "dir/imgs/u1.bin");
	assert_string_equal(sl_profile_target(s, "firmware", 1), "/abs/u2.bin");
	assert_null(sl_profile_target(s, "firmware", 2));
	assert_string_equal(sl_profile_target(s, "device", 0), "10.0.0.2");
	assert_null(sl_profile_target(s, "device", 1));
	assert_string_equal(sl_profile_get(s, "assess.snapshots"), "dir/snaps");
	assert_string_equal(sl_profile_get(s, "name"), "The B");
	assert_string_equal(sl_profile_get(s, "support_until"), "2031-03-31");
	assert_string_equal(sl_profile_get(s, "host_name"), "cam-b.local");
	assert_true(s->profile->service.intrusive);
	assert_string_equal(s->profile->service.replay, "dir/caps/cmd.http");
	assert_int_equal(s->profile->service.max_token_life, 3600);
	sl_scan_free(s);
}

static void
test_errors(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < SL_ARRAY_LEN(errors); i++) {
		struct sl_scan *s;
		sl_rc rc;

		s = parse(errors[i].text, &rc);
		if (rc != errors[i].rc ||
		    strncmp(sl_scan_error(s), errors[i].want,
		            strlen(errors[i].want)) != 0)
			fail_msg("case %zu: rc %d, \"%s\"; want rc %d, \"%s\"",
			         i, rc, sl_scan_error(s), errors[i].rc,
			         errors[i].want);
		assert_null(s->profile);
		sl_scan_free(s);
	}
}

/* A growable string for the limit tests. */
static char *
repeat(const char *head, const char *unit, size_t n, const char *tail)
{
	size_t hl = strlen(head), ul = strlen(unit), tl = strlen(tail), i;
	char *p = malloc(hl + ul * n + tl + 1), *q = p;

	assert_non_null(p);
	memcpy(q, head, hl);
	q += hl;
	for (i = 0; i < n; i++, q += ul)
		memcpy(q, unit, ul);
	memcpy(q, tail, tl + 1);
	return p;
}

static void
expect(const char *text, sl_rc want_rc, const char *want)
{
	struct sl_scan *s;
	sl_rc rc;

	s = parse(text, &rc);
	if (rc != want_rc || strstr(sl_scan_error(s), want) == NULL)
		fail_msg("rc %d, \"%s\"; want rc %d, \"%s\"", rc,
		         sl_scan_error(s), want_rc, want);
	sl_scan_free(s);
}

static void
test_limits(void **state)
{
	char *t, line[64];
	size_t i;

	(void)state;
	/* 256 interfaces are fine, 257 are not. */
	t = repeat("product: {vendor: A, model: B}\ninterfaces:\n",
	           " - {proto: usb}\n", 256, "");
	expect(t, SL_OK, "");
	free(t);
	t = repeat("product: {vendor: A, model: B}\ninterfaces:\n",
	           " - {proto: usb}\n", 257, "");
	expect(t, SL_E_LIMIT,
	       "p.yaml:3:2: interfaces: 257 entries, over the limit of 256");
	free(t);
	t = repeat("product: {vendor: A, model: B}\ncredentials:\n",
	           " - {user: a, password: b}\n", 65, "");
	expect(t, SL_E_LIMIT, "p.yaml:3:2: credentials: 65 entries");
	free(t);
	/* A 4096-byte value is fine, 4097 is not. */
	t = repeat("product: {vendor: A, model: ", "m", 4096, "}\n");
	expect(t, SL_OK, "");
	free(t);
	t = repeat("product: {vendor: A, model: ", "m", 4097, "}\n");
	expect(t, SL_E_LIMIT, "p.yaml:1:29: a value longer than 4096 bytes");
	free(t);
	/* Events: a flat list of 200001 one-character items. */
	t = repeat("product: {vendor: A, model: B}\nx-big: [", "1,", 200000,
	           "1]\n");
	expect(t, SL_E_LIMIT, "more than 200000 YAML nodes");
	free(t);
	/* The file itself. */
	t = repeat("product: {vendor: A, model: B}\nx-pad: \"", "a", 1U << 20,
	           "\"\n");
	expect(t, SL_E_LIMIT,
	       "p.yaml:1:1: 1048617 bytes, over the limit of "
	       "1048576");
	free(t);
	/* Deep nesting of a million brackets stops at the ninth. */
	t = repeat("x: ", "[", 1000000, "");
	expect(t, SL_E_LIMIT, "p.yaml:1:11: nested deeper than 8 levels");
	free(t);
	/* A long pattern. */
	t = repeat("product: {vendor: A, model: B}\nversion_probe: {kind: "
	           "banner, pattern: '",
	           "a", 257, "'}\n");
	expect(t, SL_E_LIMIT, "version_probe.pattern: longer than 256 bytes");
	free(t);
	/*
	 * Nested bounds multiply: 26 bytes made glibc's regcomp take 3.4 GB
	 * and 8 s (found by the profile fuzz target).  64 * 64 copies, and
	 * twice that for the '+', are allowed; a third level is not, nor
	 * is a sequence of groups that adds up past the cap.
	 */
	expect("product: {vendor: A, model: B}\nversion_probe: {kind: banner, "
	       "pattern: '((a{64}){64})+'}\n",
	       SL_OK, "");
	expect("product: {vendor: A, model: B}\nversion_probe: {kind: banner, "
	       "pattern: '((((a{64}){64}){64}){64})'}\n",
	       SL_E_LIMIT,
	       "p.yaml:2:40: version_probe.pattern: expands to more than 8192 "
	       "positions");
	expect("product: {vendor: A, model: B}\nversion_probe: {kind: banner, "
	       "pattern: '((a{0,64}){0,64}){0,64}'}\n",
	       SL_E_LIMIT, "expands to more than 8192 positions");
	expect("product: {vendor: A, model: B}\nversion_probe: {kind: banner, "
	       "pattern: '(x{64}){64}(y{64}){64}[]a-z]'}\n",
	       SL_E_LIMIT, "expands to more than 8192 positions");
	/* Each '+' copies what it follows, an empty group included. */
	expect("product: {vendor: A, model: B}\nversion_probe: {kind: banner, "
	       "pattern: '(())++++++++++++++'}\n",
	       SL_E_LIMIT, "expands to more than 8192 positions");
	expect("product: {vendor: A, model: B}\nversion_probe: {kind: banner, "
	       "pattern: 'v\\\\{64}([0-9]+[.])+[[:alpha:]]{0,64}'}\n",
	       SL_OK, "");
	/* Every S1.1-16 item and every S1.1-05 part: within the docs cap. */
	for (i = 1; i <= 16; i++) {
		snprintf(line, sizeof(line), "S1.1-%02zu", i);
		assert_non_null(sl_requirement_find(line));
	}
}

static void
test_file(void **state)
{
	char dir[] = "/tmp/test_profile.XXXXXX", path[128], link[128];
	struct sl_scan *s;
	FILE *f;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/p.yaml", dir);
	snprintf(link, sizeof(link), "%s/l.yaml", dir);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(good, f);
	fclose(f);
	assert_int_equal(symlink(path, link), 0);

	s = sl_scan_new(NULL);
	assert_int_equal(sl_scan_load_profile(s, path), SL_OK);
	assert_string_equal(s->profile->path, path);
	sl_scan_free(s);

	s = sl_scan_new(NULL);
	assert_int_equal(sl_scan_load_profile(s, link), SL_E_IO);
	assert_int_equal(sl_scan_load_profile(s, dir), SL_E_IO);
	assert_int_equal(sl_scan_load_profile(s, "/nonexistent/p.yaml"),
	                 SL_E_IO);
	assert_non_null(strstr(sl_scan_error(s), "/nonexistent/p.yaml"));
	assert_int_equal(sl_scan_load_profile(s, NULL), SL_E_USAGE);
	assert_null(s->profile);
	sl_scan_free(s);
	unlink(link);
	unlink(path);
	rmdir(dir);
}

/* Fail the Nth arena allocation for every N: an error, never a crash. */
static void
test_torture(void **state)
{
	long n;

	(void)state;
	for (n = 1; n < 200; n++) {
		struct sl_scan *s = sl_scan_new(NULL);
		sl_rc rc;

		s->arena.fail_at = n;
		rc = Sl_profile_parse(s, "p.yaml", (const uint8_t *)good,
		                      strlen(good));
		if (rc == SL_OK) {
			assert_non_null(s->profile);
			sl_scan_free(s);
			break;
		}
		assert_int_equal(rc, SL_E_NOMEM);
		assert_null(s->profile);
		sl_scan_free(s);
	}
	assert_true(n < 200);
}

static const struct sl_check_result *
verdict(struct sl_scan *s, const char *id)
{
	size_t i;

	for (i = 0; i < sl_checklist_count(s); i++)
		if (strcmp(sl_checklist_get(s, i)->id, id) == 0)
			return sl_checklist_get(s, i);
	fail_msg("no %s", id);
	return NULL;
}

static bool
missing_has(const struct sl_check_result *c, const char *line)
{
	size_t i;

	for (i = 0; c->missing_evidence[i] != NULL; i++)
		if (strcmp(c->missing_evidence[i], line) == 0)
			return true;
	return false;
}

static void
test_verdicts(void **state)
{
	const struct sl_check_result *c;
	struct sl_finding f = {0};
	struct sl_scan *s;
	sl_rc rc;

	(void)state;
	s = parse(good, &rc);
	assert_int_equal(rc, SL_OK);
	assert_int_equal(sl_scan_decide(s), SL_OK);
	/* constrained_device: yes, and nothing breaks S1.1-04. */
	c = verdict(s, "S1.1-04");
	assert_int_equal(c->verdict, SL_V_NOT_APPLICABLE);
	assert_non_null(strstr(c->reason, "constrained"));
	c = verdict(s, "S1.1-12");
	assert_int_equal(c->verdict, SL_V_NOT_APPLICABLE);
	assert_string_equal(c->reason, "not applicable, per the profile: "
	                               "nothing protected leaves the device");
	c = verdict(s, "S1.1-07");
	assert_int_equal(c->verdict, SL_V_CONFORMANT);
	c = verdict(s, "S1.1-16");
	assert_int_equal(c->verdict, SL_V_CONFORMANT);
	c = verdict(s, "S1.1-09");
	assert_int_equal(c->verdict, SL_V_NEEDS_EVIDENCE);
	assert_true(missing_has(c, "profile: S1.1-09 security update "
	                           "prioritisation policy is missing"));
	c = verdict(s, "S1.1-13");
	assert_false(missing_has(c, "profile: S1.1-13 interface ble has no "
	                            "purpose"));
	c = verdict(s, "S1.1-01");
	assert_true(missing_has(c, "profile: S1.1-01 interface udp/1900 has "
	                           "no auth (how access to it is "
	                           "controlled)"));
	assert_true(missing_has(c, "profile: S1.1-01 interface ble has no "
	                           "auth (how access to it is controlled)"));
	c = verdict(s, "S1.1-05");
	assert_false(missing_has(c, "profile: S1.1-05 contact point for "
	                            "reporting vulnerabilities is missing"));

	/* A finding beats the profile's not-applicable claim. */
	f.id = "T-PLAINTEXT";
	f.title = "t";
	f.severity = SL_SEV_HIGH;
	f.requirements[0] = "S1.1-12";
	assert_int_equal(sl_finding_add(s, &f, NULL), SL_OK);
	assert_int_equal(sl_scan_decide(s), SL_OK);
	c = verdict(s, "S1.1-12");
	assert_int_equal(c->verdict, SL_V_NON_CONFORMANT);
	assert_string_equal(c->findings[0], "T-PLAINTEXT");
	assert_non_null(strstr(c->reason, "although the profile declares it "
	                                  "not applicable"));
	sl_scan_free(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_good),     cmocka_unit_test(test_minimal),
	    cmocka_unit_test(test_errors),   cmocka_unit_test(test_limits),
	    cmocka_unit_test(test_file),     cmocka_unit_test(test_torture),
	    cmocka_unit_test(test_verdicts), cmocka_unit_test(test_assess),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
