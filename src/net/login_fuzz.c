/*
 * login_fuzz.c - libFuzzer target for the hand-written parsers of device
 * answers used by the authentication checks: the telnet option decoder
 * and prompt judge (fed in two pieces split where the first byte says),
 * the FTP reply parser (reply after reply, as the client consumes them),
 * the HTML login-form finder, and net.unauth's configuration matcher,
 * MQTT payload masker, UPnP description reader and ADB header check.
 * Every parser gets exactly the input's bytes, with no terminator after
 * them, so that a read past the end is caught.  The login parsers live in
 * login_telnet.c, login_ftp.c and login_form.c.
 */
#include <stdlib.h>

#include "../check/device/auth.h"
#include "login.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct Sl_tn_parse p = {0};
	struct Sl_buf text, reply;
	struct Sl_form f;
	char ex[256], url[128], type[128], cmd[5];
	size_t split, off, used;
	uint32_t len;

	/* Telnet: two reads, a small window that has to slide. */
	Sl_buf_init(&text, 64);
	Sl_buf_init(&reply, 128);
	split = size > 0 ? data[0] % (size + 1) : 0;
	Sl_tn_feed(&p, data, split, &text, &reply);
	(void)Sl_tn_judge((const char *)text.p, text.n);
	Sl_tn_feed(&p, data + split, size - split, &text, &reply);
	(void)Sl_tn_judge((const char *)text.p, text.n);
	Sl_buf_free(&text);
	Sl_buf_free(&reply);
	(void)Sl_tn_judge((const char *)data, size);

	/* FTP: replies one after another. */
	for (off = 0; off < size;) {
		if (Sl_ftp_reply(data + off, size - off, &used) <= 0)
			break;
		if (used == 0 || used > size - off)
			abort();
		off += used;
	}

	(void)Sl_html_login_form((const char *)data, size, &f);
	(void)Sl_unauth_config_like((const char *)data, size, ex, sizeof(ex));
	(void)Sl_unauth_config_like((const char *)data, size, ex, 1);
	Sl_unauth_mask(NULL, data, size, ex, sizeof(ex));
	Sl_unauth_mask("dev/token", data, size, ex, 8);
	(void)Sl_upnp_control((const char *)data, size, url, sizeof(url), type,
	                      sizeof(type));
	(void)Sl_adb_header(data, size, cmd, &len);
	return 0;
}
