/*
 * services.c - services and debug paths started at boot (S1.1-01,
 * S1.1-12, S1.1-13).
 *
 * Reads the files that start things on embedded Linux: BusyBox inittab,
 * rc and init.d scripts, inetd/xinetd configuration, procd and systemd
 * units, and the mosquitto broker configuration.  A line is text up to a
 * newline; comments are skipped.  Flags:
 *   - telnetd started at all (credentials cross the network in clear), and
 *     telnetd serving a shell without login (-l /bin/sh);
 *   - a root shell on a console without login (::askfirst:/bin/sh);
 *   - FTP, TFTP, ADB and UPnP daemons started at boot;
 *   - mosquitto accepting anonymous clients.
 * Input is untrusted text from the image: lines are bounded and only
 * searched, never executed or interpreted further.
 */
#include <stdio.h>
#include <stdlib.h>

#include "../check.h"

/* Files that start services, as inner-path patterns. */
static const char *const boot_files[] = {
	"etc/inittab",	     "etc/init.d/*", "etc/rc.d/*",
	"etc/rc*",	     "etc/inetd.conf", "etc/xinetd.d/*",
	"etc/systemd/system/*", "lib/systemd/system/*",
	"usr/lib/systemd/system/*", "etc/preinit", "sbin/init.d/*",
	NULL,
};

struct daemon_rule {
	const char *needle; /* a word on a command line */
	const char *id;
	enum sl_severity sev;
	const char *reqs;
	const char *title;
	const char *fix;
};

static const struct daemon_rule daemons[] = {
	{ "telnetd", "FW-TELNETD-ENABLED", SL_SEV_HIGH, "S1.1-12 S1.1-13",
	  "telnet server started at boot",
	  "Remove telnetd from the image, or at least from the boot "
	  "scripts; offer SSH with key or per-device credentials instead.  "
	  "Evidence for conformance: the boot scripts without telnetd and a "
	  "device scan showing port 23 closed." },
	{ "ftpd", "FW-FTPD-ENABLED", SL_SEV_MEDIUM, "S1.1-12 S1.1-13",
	  "FTP server started at boot",
	  "Do not start an FTP server by default; if file transfer is a "
	  "documented function, use SFTP or HTTPS with authentication." },
	{ "tftpd", "FW-TFTPD-ENABLED", SL_SEV_HIGH, "S1.1-01 S1.1-13",
	  "TFTP server started at boot (no authentication exists in TFTP)",
	  "Remove the TFTP server from the boot scripts." },
	{ "adbd", "FW-ADBD-ENABLED", SL_SEV_HIGH, "S1.1-01 S1.1-13",
	  "Android debug bridge daemon started at boot",
	  "Disable adbd in production builds." },
	{ "miniupnpd", "FW-UPNP-ENABLED", SL_SEV_MEDIUM, "S1.1-13",
	  "UPnP daemon started at boot",
	  "Turn UPnP off by default, or document why the product needs it "
	  "and declare the interface in the product profile." },
	{ "upnpd", "FW-UPNP-ENABLED", SL_SEV_MEDIUM, "S1.1-13",
	  "UPnP daemon started at boot",
	  "Turn UPnP off by default, or document why the product needs it "
	  "and declare the interface in the product profile." },
};

/* Is word present in line[0..n) as a whole word (not part of another)? */
static const char *
find_word(const char *line, const char *word)
{
	const char *p = line;
	size_t wl = strlen(word);

	while ((p = strstr(p, word)) != NULL) {
		char before = p == line ? ' ' : p[-1];
		char after = p[wl];

		if ((before == ' ' || before == '/' || before == '\t' ||
		     before == ':' || before == '"' || before == '=' ||
		     before == '.') &&
		    (after == 0 || after == ' ' || after == '\t' ||
		     after == '&' || after == ';' || after == '"'))
			return p;
		p += wl;
	}
	return NULL;
}

static bool
shell_without_login(const char *line)
{
	return find_word(line, "/bin/sh") || find_word(line, "/bin/ash") ||
	       find_word(line, "/bin/bash");
}

static sl_rc
check_line(struct sl_scan *s, const struct sl_entry *e, const char *line,
	   uint64_t off, bool inittab)
{
	size_t i;
	sl_rc rc = SL_OK;

	for (i = 0; i < SL_ARRAY_LEN(daemons) && rc == SL_OK; i++) {
		const struct daemon_rule *d = &daemons[i];

		if (!find_word(line, d->needle))
			continue;
		rc = Sl_fw_finding(s, d->id, d->sev, d->reqs, e, off, line,
				   NULL, d->title, d->fix);
		if (rc == SL_OK && strcmp(d->needle, "telnetd") == 0 &&
		    strstr(line, "-l") && shell_without_login(line))
			rc = Sl_fw_finding(
			    s, "FW-TELNETD-NO-LOGIN", SL_SEV_CRITICAL,
			    "S1.1-01 S1.1-13", e, off, line, NULL,
			    "telnet server hands out a shell without login",
			    "Never start telnetd with -l pointing at a shell: "
			    "anyone on the network gets root without a "
			    "password.");
	}
	/* BusyBox inittab: id:runlevels:action:process */
	if (rc == SL_OK && inittab &&
	    (strstr(line, ":askfirst:") || strstr(line, ":respawn:") ||
	     strstr(line, ":askconsole:")) &&
	    shell_without_login(line) && !strstr(line, "login"))
		rc = Sl_fw_finding(
		    s, "FW-CONSOLE-ROOT-SHELL", SL_SEV_MEDIUM, "S1.1-13", e,
		    off, line, NULL,
		    "root shell on a console without login",
		    "Start /bin/login (or getty with login) on consoles, or "
		    "remove the console entry from production images.");
	return rc;
}

static sl_rc
scan_boot_file(struct sl_scan *s, const struct sl_entry *e,
	       const uint8_t *data, size_t len, void *user)
{
	bool inittab = strcmp(Sl_inner(e), "etc/inittab") == 0;
	size_t off = 0;
	sl_rc rc = SL_OK;

	(void)user;
	if (memchr(data, 0, len < 4096 ? len : 4096) != NULL)
		return SL_OK; /* a binary, not a script */
	while (off < len && rc == SL_OK) {
		const uint8_t *nl = memchr(data + off, '\n', len - off);
		size_t end = nl ? (size_t)(nl - data) : len;
		char *line = Sl_line_at(s, data, len, off, 512);

		if (line != NULL && line[0] != '#' && line[0] != 0)
			rc = check_line(s, e, line, off, inittab);
		off = end + 1;
	}
	return rc;
}

static sl_rc
scan_mosquitto(struct sl_scan *s, const struct sl_entry *e,
	       const uint8_t *data, size_t len, void *user)
{
	size_t off = 0;

	(void)user;
	while (off < len) {
		const uint8_t *nl = memchr(data + off, '\n', len - off);
		size_t end = nl ? (size_t)(nl - data) : len;
		char *line = Sl_line_at(s, data, len, off, 256);

		if (line != NULL && strncmp(line, "allow_anonymous", 15) == 0 &&
		    strstr(line + 15, "true"))
			return Sl_fw_finding(
			    s, "FW-MQTT-ANONYMOUS", SL_SEV_HIGH, "S1.1-01", e,
			    off, line, NULL,
			    "MQTT broker accepts clients without credentials",
			    "Set allow_anonymous false and require a password "
			    "file or client certificates for every listener.");
		off = end + 1;
	}
	return SL_OK;
}

static sl_rc
services_run(struct sl_scan *s)
{
	sl_rc rc;

	rc = Sl_each_file_any(s, boot_files, scan_boot_file, NULL);
	if (rc != SL_OK)
		return rc;
	return Sl_each_file(s, "*mosquitto*.conf", scan_mosquitto, NULL);
}

const struct Sl_check Sl_check_services = {
	.id = "fw.services",
	.title = "Services and debug paths started at boot",
	.covers = { "S1.1-01", "S1.1-13", NULL },
	.source = SL_SRC_FIRMWARE,
	.run = services_run,
};
