/*
 * services.c - services and debug paths started at boot (S1.1-01,
 * S1.1-02, S1.1-12, S1.1-13).
 *
 * Reads the files that start things on embedded Linux: BusyBox inittab,
 * rc and init.d scripts, inetd/xinetd configuration, procd and systemd
 * units (and which units a *.wants/ directory enables), module lists,
 * OpenSSH sshd_config, OpenWrt's UCI dropbear file, kernel command lines
 * (cmdline.txt, uEnv.txt, boot scripts, U-Boot environment files) and the
 * mosquitto broker configuration.  A line is text up to a newline (or a
 * NUL in a U-Boot environment); comments are skipped.  Flags:
 *   - telnetd started at all (credentials cross the network in clear), and
 *     telnetd serving a shell without login: -l /bin/sh, or -l WRAPPER
 *     where the wrapper script (read from the image) execs a shell and
 *     calls no login, unconditionally or under a test of root's password
 *     that the shipped accounts pass (OpenWrt's login.sh with root:: or
 *     its x/! placeholders).  Init-script variables are expanded first
 *     (PROG=/usr/sbin/telnetd; procd_set_param command "$PROG" ...), and
 *     the finding names the chain of files.  One cause, one finding: such
 *     a telnetd is FW-TELNETD-NO-LOGIN only, and each daemon is reported
 *     once per boot file, at the line that starts it;
 *   - programs rc.local starts in the background, outside the init
 *     system (low: a service to declare);
 *   - a root shell on a console without login (::askfirst:/bin/sh, getty
 *     with -n -l /bin/sh, getty/agetty --autologin);
 *   - FTP, TFTP, ADB, UPnP and gdbserver daemons started at boot (UPnP
 *     only where no etc/config/upnpd says how it runs: its options decide,
 *     judged by fw.config at their lines);
 *   - SSH servers letting root log in with a password (sshd
 *     PermitRootLogin yes, dropbear without -w/-g/-s while root has a
 *     password hash, UCI RootPasswordAuth on) or accepting empty passwords
 *     (PermitEmptyPasswords yes, dropbear -B);
 *   - Bluetooth (bluetoothd, hciattach, btattach, hciconfig up, an enabled
 *     bluetooth.service) and USB gadgets (configfs usb_gadget, g_* gadget
 *     modules, libcomposite) set up at boot; a gadget serial port with a
 *     getty on ttyGS0 is a console over USB;
 *   - a kernel command line booting straight into a shell (init=/bin/sh).
 * Input is untrusted text from the image: lines are bounded (512 bytes),
 * tokens per line are bounded, the number of remembered gadget lines and
 * enabled units is bounded, and nothing is executed or interpreted
 * further.  Plain string matching does the job; no library parses these
 * ad-hoc shell and configuration formats.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <strings.h>

#include "../check.h"

/* Bounds on hostile input. */
#define LINE_MAX_BYTES   512 /* one line, as searched and quoted */
#define MAX_TOKENS       48  /* words looked at on one command line */
#define MAX_WANTS        512 /* enabled systemd units remembered */
#define MAX_GADGET       16  /* files with USB gadget set-up remembered */
#define MAX_CMDLINE_SCAN (4u << 20) /* bytes of a boot-args file read */

/* Files that start services, as inner-path patterns. */
static const char *const boot_files[] = {
    "etc/inittab",
    "etc/init.d/*",
    "etc/rc.d/*",
    "etc/rc*",
    "etc/inetd.conf",
    "etc/xinetd.d/*",
    "etc/systemd/system/*",
    "lib/systemd/system/*",
    "usr/lib/systemd/system/*",
    "etc/preinit",
    "sbin/init.d/*",
    NULL,
};

/* Lists of kernel modules loaded at boot, one name a line. */
static const char *const module_files[] = {
    "etc/modules",
    "etc/modules-load.d/*",
    "usr/lib/modules-load.d/*",
    "lib/modules-load.d/*",
    "etc/modules.d/*",
    "etc/modules-boot.d/*",
    NULL,
};

/* Files holding a kernel command line (bootargs). */
static const char *const cmdline_files[] = {
    "boot/cmdline.txt",
    "cmdline.txt",
    "*uEnv.txt",
    "*grub.cfg",
    "*extlinux.conf",
    "*boot.cmd",
    "*boot.scr",
    "*u-boot-env*",
    "*uboot-env*",
    "*uboot_env*",
    "*ubootenv*",
    "*u-boot.env",
    NULL,
};

static const char *const sshd_files[] = {
    "etc/ssh/sshd_config",
    "etc/ssh/sshd_config.d/*",
    "etc/sshd_config",
    "usr/etc/ssh/sshd_config",
    NULL,
};

/* What is known about root's password, from shadow or passwd. */
enum root_pw {
	ROOT_PW_UNKNOWN = 0,
	ROOT_PW_NONE, /* locked or empty: no password login as root */
	ROOT_PW_HASH, /* a password hash: root can log in with it */
};

struct gadget_line {
	const struct sl_entry *e;
	uint64_t off;
	const char *line;
};

/* State shared by the passes of one run. */
struct svc {
	enum root_pw root;
	const char *wants[MAX_WANTS]; /* basenames of enabled units */
	const struct sl_entry *wants_e[MAX_WANTS];
	size_t nwants;
	struct gadget_line gadget[MAX_GADGET];
	size_t ngadget;
	bool gadget_serial; /* g_serial, g_cdc, g_multi or an ACM function */
	bool getty_gs;      /* a getty on the gadget serial port ttyGS0 */
	bool bt_in_unit;    /* Bluetooth found inside a systemd unit file */
	/*
	 * Root's password field as shipped (cut to 8 bytes), in shadow and
	 * passwd, and whether the image is OpenWrt (whose web UI and login
	 * wrapper read "x" and "!" as no password).
	 */
	char root_sh[9], root_pw[9];
	bool has_root_sh, has_root_pw, openwrt;
	/*
	 * OpenWrt's UPnP configuration is in the image: its options (secure
	 * mode, permission rules) decide whether miniupnpd is a problem, and
	 * the configuration check (fw.config) judges them at their lines.
	 */
	bool upnp_conf;
};

/* Shell variables of one init script (NAME=value lines), bounded. */
#define MAX_VARS 16
struct vars {
	char name[MAX_VARS][32];
	char val[MAX_VARS][128];
	size_t n;
};

/* What one boot file starts, one finding per daemon rule (one cause). */
struct file_hits {
	const char *line[8]; /* per daemon rule: the best line */
	uint64_t off[8];
	bool assign_only[8]; /* the line only assigns a variable */
	const char *chain;   /* telnetd -l chain to a shell: the excerpt */
	uint64_t chain_off;
	const char *chain_title;
};

/*
 * What this check reports (check.h: findings as data).  Where one kind
 * is found in several ways (sshd, dropbear, UCI), the report names the
 * way in its title.
 */
enum {
	F_TELNETD,
	F_FTPD,
	F_TFTPD,
	F_ADBD,
	F_UPNP,
	F_GDBSERVER,
	F_TELNETD_NO_LOGIN,
	F_RCLOCAL,
	F_SSH_EMPTY,
	F_SSH_ROOT,
	F_BLUETOOTH,
	F_DEBUG_SHELL,
	F_CONSOLE,
	F_GADGET,
	F_GADGET_CONSOLE,
	F_MQTT,
};

static const char fix_root_pw[] =
    "Turn off password login for root over SSH: dropbear -g (or -w, or "
    "-s for keys only), UCI option RootPasswordAuth 'off', sshd "
    "PermitRootLogin prohibit-password or no.  Otherwise the root password "
    "baked into the image is the same network login on every unit.  "
    "Evidence for conformance: the SSH start line or configuration with "
    "root password login off, or a documented per-device root password "
    "or forced change at first start (S1.1-02 option 1 or 2).";

static const char fix_gadget[] =
    "Do not set up a USB gadget at boot in production images unless the "
    "product needs it; if it does, document the function and its purpose "
    "in the product profile, and never attach a getty or shell to its "
    "serial port (ttyGS0).  Evidence for conformance: boot scripts, module "
    "lists and enabled units without gadget set-up, or the documented "
    "interface.";

static const struct Sl_finding_def findings[] = {
    [F_TELNETD] = {"FW-TELNETD-ENABLED",
                   SL_SEV_HIGH,
                   {"S1.1-12", "S1.1-13"},
                   "telnet server started at boot",
                   "Remove telnetd from the image, or at least from the "
                   "boot scripts; offer SSH with key or per-device "
                   "credentials instead.  Evidence for conformance: the "
                   "boot scripts without telnetd and a device scan showing "
                   "port 23 closed."},
    [F_FTPD] = {"FW-FTPD-ENABLED",
                SL_SEV_MEDIUM,
                {"S1.1-12", "S1.1-13"},
                "FTP server started at boot",
                "Do not start an FTP server by default; if file transfer is "
                "a documented function, use SFTP or HTTPS with "
                "authentication."},
    [F_TFTPD] = {"FW-TFTPD-ENABLED",
                 SL_SEV_HIGH,
                 {"S1.1-01", "S1.1-13"},
                 "TFTP server started at boot (no authentication exists in "
                 "TFTP)",
                 "Remove the TFTP server from the boot scripts."},
    [F_ADBD] = {"FW-ADBD-ENABLED",
                SL_SEV_HIGH,
                {"S1.1-01", "S1.1-13"},
                "Android debug bridge daemon started at boot",
                "Disable adbd in production builds."},
    [F_UPNP] = {"FW-UPNP-ENABLED",
                SL_SEV_MEDIUM,
                {"S1.1-13"},
                "UPnP daemon started at boot",
                "Turn UPnP off by default, or document why the product needs "
                "it and declare the interface in the product profile."},
    [F_GDBSERVER] = {"FW-GDBSERVER-ENABLED",
                     SL_SEV_HIGH,
                     {"S1.1-01", "S1.1-13"},
                     "gdbserver started at boot (remote debugging without "
                     "authentication)",
                     "Remove gdbserver from production images and boot "
                     "scripts.  Evidence for conformance: boot scripts and "
                     "enabled units without gdbserver, and a device scan "
                     "without its port."},
    [F_TELNETD_NO_LOGIN] = {"FW-TELNETD-NO-LOGIN",
                            SL_SEV_CRITICAL,
                            {"S1.1-01", "S1.1-13"},
                            "telnet server hands out a root shell without a "
                            "password (anyone on the network)",
                            "Never start telnetd with -l pointing at a shell "
                            "or at a wrapper that runs one: anyone on the "
                            "network gets root without a password.  Remove "
                            "telnetd, or give root a per-device password "
                            "and let telnetd run login."},
    /* The title names the program. */
    [F_RCLOCAL] = {"FW-RCLOCAL-DAEMON",
                   SL_SEV_LOW,
                   {"S1.1-13"},
                   "program started in the background from rc.local, "
                   "outside the init system",
                   "Start services from the init system (an init.d script "
                   "or a unit) so that they are listed and can be turned "
                   "off, and declare each listening one in the product "
                   "profile's interfaces with its purpose (S1.1-13)."},
    [F_SSH_EMPTY] = {"FW-SSH-EMPTY-PASSWORD",
                     SL_SEV_HIGH,
                     {"S1.1-01", "S1.1-02"},
                     "SSH server accepts empty passwords",
                     "Never accept empty passwords over SSH: drop "
                     "dropbear's -B and set PermitEmptyPasswords no.  "
                     "Evidence for conformance: the SSH start line and "
                     "configuration without these switches."},
    [F_SSH_ROOT] = {"FW-SSH-ROOT-PASSWORD-LOGIN",
                    SL_SEV_MEDIUM,
                    {"S1.1-02"},
                    "SSH server lets root log in with a password",
                    fix_root_pw},
    [F_BLUETOOTH] = {"FW-BLUETOOTH-ENABLED",
                     SL_SEV_MEDIUM,
                     {"S1.1-13"},
                     "Bluetooth started at boot",
                     "Do not start Bluetooth at boot unless the product "
                     "needs it; if it does, declare the interface and its "
                     "purpose in the product profile.  Evidence for "
                     "conformance: boot scripts and enabled units without "
                     "bluetoothd/hciattach/btattach, or the documented "
                     "interface."},
    [F_DEBUG_SHELL] = {"FW-DEBUG-SHELL",
                       SL_SEV_HIGH,
                       {"S1.1-01", "S1.1-13"},
                       "kernel command line boots into a shell "
                       "(init=/bin/sh)",
                       "Remove init=/bin/sh (rdinit=) from the kernel "
                       "command line: it skips every login and starts a "
                       "root shell on the console.  Evidence for "
                       "conformance: the boot arguments with the product's "
                       "real init."},
    [F_CONSOLE] = {"FW-CONSOLE-ROOT-SHELL",
                   SL_SEV_MEDIUM,
                   {"S1.1-13"},
                   "root shell on a console without login",
                   "Start /bin/login (or getty with login) on consoles, or "
                   "remove the console entry from production images."},
    [F_GADGET] = {"FW-USB-GADGET-ENABLED",
                  SL_SEV_MEDIUM,
                  {"S1.1-13"},
                  "USB gadget set up at boot",
                  fix_gadget},
    /* The same with a console on the gadget's serial port. */
    [F_GADGET_CONSOLE] = {"FW-USB-GADGET-ENABLED",
                          SL_SEV_HIGH,
                          {"S1.1-13"},
                          "USB gadget set up at boot with a serial console "
                          "on it (getty on ttyGS0)",
                          fix_gadget},
    [F_MQTT] = {"FW-MQTT-ANONYMOUS",
                SL_SEV_HIGH,
                {"S1.1-01"},
                "MQTT broker accepts clients without credentials",
                "Set allow_anonymous false and require a password file or "
                "client certificates for every listener."},
    {NULL},
};

/* Daemons started at boot: a word on a command line, and its kind. */
struct daemon_rule {
	const char *needle;
	int f; /* in findings[] */
};

static const struct daemon_rule daemons[] = {
    {"telnetd", F_TELNETD},     {"ftpd", F_FTPD},      {"tftpd", F_TFTPD},
    {"adbd", F_ADBD},           {"miniupnpd", F_UPNP}, {"upnpd", F_UPNP},
    {"gdbserver", F_GDBSERVER},
};

_Static_assert(SL_ARRAY_LEN(daemons) <= 8, "file_hits holds 8 rules");

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

/* The part after the last '/', ':' or '=': "ExecStart=-/sbin/agetty". */
static const char *
base_of(const char *t)
{
	const char *b = t, *p;

	for (p = t; *p; p++)
		if (*p == '/' || *p == ':' || *p == '=')
			b = p + 1;
	return b;
}

static bool
is_shell_path(const char *t)
{
	const char *b = base_of(t);

	return t[0] == '/' &&
	       (strcmp(b, "sh") == 0 || strcmp(b, "ash") == 0 ||
	        strcmp(b, "bash") == 0 || strcmp(b, "hush") == 0 ||
	        strcmp(b, "dash") == 0);
}

/*
 * A command line cut into words.  Shell separators (; & | ( ) `) and
 * redirections become the stop word "|"; quotes around a word are
 * dropped.  At most MAX_TOKENS words; the rest of the line is ignored.
 */
struct words {
	char buf[LINE_MAX_BYTES + 1];
	char *w[MAX_TOKENS];
	size_t n;
};

static bool
is_stop(const char *w)
{
	return strcmp(w, "|") == 0;
}

static void
split_words(struct words *ws, const char *line)
{
	char *p;

	snprintf(ws->buf, sizeof(ws->buf), "%s", line);
	ws->n = 0;
	for (p = ws->buf; *p && ws->n < MAX_TOKENS;) {
		char *start;

		if (*p == ' ' || *p == '\t') {
			p++;
			continue;
		}
		if (strchr(";&|()`<>", *p) != NULL) {
			*p++ = 0;
			ws->w[ws->n++] = "|";
			continue;
		}
		start = p;
		while (*p && *p != ' ' && *p != '\t' &&
		       strchr(";&|()`<>", *p) == NULL)
			p++;
		if (*p == ' ' || *p == '\t')
			*p++ = 0;
		else if (*p != 0) {
			/* A separator right after the word: keep it too. */
			*p++ = 0;
			ws->w[ws->n++] = start;
			if (ws->n < MAX_TOKENS)
				ws->w[ws->n++] = "|";
			continue;
		}
		/* Drop quotes around the word. */
		while (*start == '"' || *start == '\'')
			start++;
		{
			size_t l = strlen(start);

			while (l > 0 &&
			       (start[l - 1] == '"' || start[l - 1] == '\''))
				start[--l] = 0;
		}
		ws->w[ws->n++] = start;
	}
}

/* A shell variable assignment (NAME=value), not a systemd Exec line. */
static bool
is_assignment(const char *w)
{
	const char *p = w;

	if (!(isalpha((unsigned char)*p) || *p == '_'))
		return false;
	while (isalnum((unsigned char)*p) || *p == '_')
		p++;
	return *p == '=' && strncmp(w, "Exec", 4) != 0;
}

/*
 * Is word i in command position: first on the line, after a separator,
 * or after a word that runs the next one (exec, nohup, procd's command)?
 * The inittab process field and systemd's ExecStart= are part of word 0.
 */
static bool
command_at(const struct words *ws, size_t i)
{
	static const char *const runners[] = {
	    "exec",    "nohup",  "then",   "do",        "else", "command",
	    "sudo",    "-x",     "--exec", "--startas", "-a",   "dropbearmulti",
	    "busybox", "setsid", "env",    NULL,
	};
	const char *prev;
	size_t k;

	if (is_assignment(ws->w[i]))
		return false;
	if (i == 0)
		return true;
	prev = ws->w[i - 1];
	if (is_stop(prev))
		return true;
	for (k = 0; runners[k]; k++)
		if (strcmp(base_of(prev), runners[k]) == 0)
			return true;
	return false;
}

/* The index of the first command word named name, or ws->n. */
static size_t
find_command(const struct words *ws, const char *name)
{
	size_t i;

	for (i = 0; i < ws->n; i++)
		if (strcmp(base_of(ws->w[i]), name) == 0 && command_at(ws, i))
			return i;
	return ws->n;
}

/* Arguments of the command at word i end at a stop word. */
static size_t
args_end(const struct words *ws, size_t i)
{
	size_t j;

	for (j = i + 1; j < ws->n && !is_stop(ws->w[j]); j++)
		;
	return j;
}

/* Unit files: their lines count only when the unit is enabled. */
static bool
unit_file(const char *inner, char *unit, size_t max)
{
	const char *p = strstr(inner, "systemd/system/");
	const char *b, *d;

	if (p == NULL)
		return false;
	p += strlen("systemd/system/");
	b = strrchr(p, '/');
	if (b == NULL) {
		snprintf(unit, max, "%s", p);
		return true;
	}
	/* A drop-in: "X.service.d/override.conf" belongs to X.service. */
	d = b;
	while (d > p && d[-1] != '/')
		d--;
	if (b - d > 2 && strncmp(b - 2, ".d", 2) == 0) {
		snprintf(unit, max, "%.*s", (int)(b - 2 - d), d);
		return true;
	}
	/* A *.wants/ entry or something else: not a unit file. */
	unit[0] = 0;
	return true;
}

/* Is unit enabled by a *.wants/ entry?  "x@.service" matches "x@y.service". */
static bool
unit_enabled(const struct svc *v, const char *unit)
{
	const char *at = strchr(unit, '@');
	size_t i;

	for (i = 0; i < v->nwants; i++) {
		const char *w = v->wants[i];

		if (strcmp(w, unit) == 0)
			return true;
		if (at != NULL && at[1] == '.' &&
		    strncmp(w, unit, (size_t)(at - unit + 1)) == 0 &&
		    strlen(w) >= strlen(unit) &&
		    strcmp(w + strlen(w) - strlen(at + 1), at + 1) == 0)
			return true;
	}
	return false;
}

static bool
gadget_module(const char *w, bool *serial)
{
	static const char *const mods[] = {
	    "g_serial",
	    "g_cdc",
	    "g_multi",
	    "g_acm_ms",
	    "g_dbgp",
	    "g_ether",
	    "g_mass_storage",
	    "g_ffs",
	    "g_zero",
	    "g_hid",
	    "g_webcam",
	    "g_audio",
	    "g_midi",
	    "g_printer",
	    "g_nokia",
	    "libcomposite",
	    "usb_f_acm",
	    "usb_f_serial",
	    NULL,
	};
	char name[64];
	size_t k, l;

	snprintf(name, sizeof(name), "%s", base_of(w));
	l = strlen(name);
	if (l > 3 && strcmp(name + l - 3, ".ko") == 0)
		name[l - 3] = 0;
	for (k = 0; mods[k]; k++)
		if (strcmp(name, mods[k]) == 0) {
			*serial = k < 5 || strstr(name, "usb_f_") != NULL;
			return true;
		}
	return false;
}

/* Remember one line per file that sets up a USB gadget. */
static void
note_gadget(struct svc *v, const struct sl_entry *e, uint64_t off,
            const char *line)
{
	if (v->ngadget > 0 && v->gadget[v->ngadget - 1].e == e)
		return;
	if (v->ngadget == MAX_GADGET)
		return;
	v->gadget[v->ngadget].e = e;
	v->gadget[v->ngadget].off = off;
	v->gadget[v->ngadget].line = line;
	v->ngadget++;
}

/* The value of a kernel init= or rdinit= word names a shell? */
static bool
init_is_shell(const char *line)
{
	const char *p = line;

	while ((p = strstr(p, "init=")) != NULL) {
		const char *q = p;
		char val[128];
		size_t n = 0;

		if (q - line >= 2 && strncmp(q - 2, "rd", 2) == 0)
			q -= 2;
		p += 5;
		if (q != line && strchr(" \t\"'=;", q[-1]) == NULL)
			continue;
		while (p[n] && !strchr(" \t\"';", p[n]) &&
		       n < sizeof(val) - 1) {
			val[n] = p[n];
			n++;
		}
		val[n] = 0;
		if (is_shell_path(val))
			return true;
	}
	return false;
}

/* dropbear's command line: which switches it was given. */
static sl_rc
check_dropbear(struct sl_scan *s, struct svc *v, const struct sl_entry *e,
               const char *line, uint64_t off, const struct words *ws,
               size_t at)
{
	bool w = false, g = false, nopw = false, blank = false, var = false;
	size_t j, end = args_end(ws, at);
	sl_rc rc = SL_OK;

	/* start-stop-daemon -x dropbear -- ARGS: the arguments follow --. */
	if (at > 0 && ws->w[at - 1][0] == '-')
		for (j = at + 1; j < end; j++)
			if (strcmp(ws->w[j], "--") == 0) {
				at = j;
				break;
			}
	for (j = at + 1; j < end; j++) {
		const char *a = ws->w[j], *c;

		if (strchr(a, '$') != NULL)
			var = true;
		if (a[0] != '-' || a[1] == '-')
			continue;
		/* Switches may be bundled (-wg); some take a value. */
		for (c = a + 1; *c; c++) {
			if (*c == 'w')
				w = true;
			else if (*c == 'g')
				g = true;
			else if (*c == 's')
				nopw = true;
			else if (*c == 'B')
				blank = true;
			else if (strchr("bcrpPWKITD", *c) != NULL) {
				if (c[1] == 0)
					j++; /* the value is the next word */
				break;
			}
		}
	}
	if (blank)
		rc =
		    Sl_report(s, &findings[F_SSH_EMPTY],
		              &(struct Sl_at){
		                  .e = e,
		                  .off = off,
		                  .excerpt = line,
		                  .title = "dropbear started with -B: accounts "
		                           "with an empty password log in over "
		                           "SSH"});
	if (rc == SL_OK && !w && !g && !nopw && !var && v->root == ROOT_PW_HASH)
		rc = Sl_report(
		    s, &findings[F_SSH_ROOT],
		    &(struct Sl_at){.e = e,
		                    .off = off,
		                    .excerpt = line,
		                    .title =
		                        "dropbear lets root log in with the "
		                        "image's password (no -w, -g or -s)"});
	return rc;
}

/* getty/agetty/mingetty logging a user in without a password. */
static bool
getty_autologin(const struct words *ws, size_t at)
{
	size_t j, end = args_end(ws, at);
	bool n = false, lshell = false;

	for (j = at + 1; j < end; j++) {
		const char *a = ws->w[j];

		if (strncmp(a, "--autologin", 11) == 0 ||
		    (strcmp(a, "-a") == 0 && j + 1 < end))
			return true;
		if (strcmp(a, "-n") == 0 || strcmp(a, "--skip-login") == 0)
			n = true;
		if ((strcmp(a, "-l") == 0 ||
		     strcmp(a, "--login-program") == 0) &&
		    j + 1 < end && is_shell_path(ws->w[j + 1]))
			lshell = true;
	}
	return n && lshell;
}

static sl_rc
check_new_rules(struct sl_scan *s, struct svc *v, const struct sl_entry *e,
                const char *line, uint64_t off, bool in_unit, bool console_done)
{
	static const char *const bt[] = {"bluetoothd", "hciattach", "btattach",
	                                 NULL};
	static const char *const gettys[] = {"getty", "agetty", "mingetty",
	                                     NULL};
	struct words ws;
	bool serial = false;
	size_t i, k;
	sl_rc rc = SL_OK;

	split_words(&ws, line);
	/* SSH server switches. */
	if ((i = find_command(&ws, "dropbear")) < ws.n)
		rc = check_dropbear(s, v, e, line, off, &ws, i);
	/* Bluetooth. */
	for (k = 0; bt[k] && rc == SL_OK; k++) {
		bool hit = find_command(&ws, bt[k]) < ws.n;

		if (!hit && k == 0 &&
		    (i = find_command(&ws, "hciconfig")) < ws.n) {
			size_t j, end = args_end(&ws, i);

			for (j = i + 1; j < end && !hit; j++)
				hit = strcmp(ws.w[j], "up") == 0;
		}
		if (!hit && k == 0 &&
		    (i = find_command(&ws, "bluetooth")) < ws.n)
			hit = i + 1 < ws.n && strcmp(ws.w[i + 1], "start") == 0;
		if (!hit)
			continue;
		if (in_unit)
			v->bt_in_unit = true;
		rc = Sl_report(
		    s, &findings[F_BLUETOOTH],
		    &(struct Sl_at){.e = e, .off = off, .excerpt = line});
		break;
	}
	/*
	 * USB gadget: configfs, gadget modules, the gadget serial port.  A
	 * bare assignment (G=/sys/kernel/config/usb_gadget/g1) sets nothing
	 * up: the lines that use it are the evidence.
	 */
	if (strstr(line, "config/usb_gadget") != NULL &&
	    !(ws.n == 1 && is_assignment(ws.w[0]))) {
		note_gadget(v, e, off, line);
		if (strstr(line, "functions/acm.") ||
		    strstr(line, "functions/gser."))
			v->gadget_serial = true;
	}
	for (k = 0; k < 2; k++) {
		const char *cmd = k == 0 ? "modprobe" : "insmod";
		size_t j, end;

		if ((i = find_command(&ws, cmd)) == ws.n)
			continue;
		end = args_end(&ws, i);
		for (j = i + 1; j < end; j++)
			if (ws.w[j][0] != '-' &&
			    gadget_module(ws.w[j], &serial)) {
				note_gadget(v, e, off, line);
				v->gadget_serial |= serial;
				break;
			}
	}
	if (find_word(line, "ttyGS0") &&
	    (strstr(line, "getty") || shell_without_login(line)))
		v->getty_gs = true;
	/* Debug switches. */
	if (rc == SL_OK && init_is_shell(line))
		rc = Sl_report(
		    s, &findings[F_DEBUG_SHELL],
		    &(struct Sl_at){.e = e, .off = off, .excerpt = line});
	for (k = 0; gettys[k] && rc == SL_OK && !console_done; k++) {
		if ((i = find_command(&ws, gettys[k])) == ws.n ||
		    !getty_autologin(&ws, i))
			continue;
		rc =
		    Sl_report(s, &findings[F_CONSOLE],
		              &(struct Sl_at){
		                  .e = e,
		                  .off = off,
		                  .excerpt = line,
		                  .title = "console logs in without a password "
		                           "(getty autologin or -n -l shell)"});
		break;
	}
	return rc;
}

/* NAME=value alone on a line: remember it (the last assignment wins). */
static void
note_var(struct vars *vs, const char *line)
{
	const char *eq = strchr(line, '=');
	size_t nl, i;
	char val[128];

	if (eq == NULL || !is_assignment(line) || strpbrk(eq, " \t;|&`$(") ||
	    (nl = (size_t)(eq - line)) >= sizeof(vs->name[0]))
		return;
	snprintf(val, sizeof(val), "%s", eq + 1);
	/* Drop the quotes around the value. */
	if ((val[0] == '"' || val[0] == '\'') && strlen(val) >= 2 &&
	    val[strlen(val) - 1] == val[0]) {
		memmove(val, val + 1, strlen(val));
		val[strlen(val) - 1] = 0;
	}
	for (i = 0; i < vs->n; i++)
		if (strlen(vs->name[i]) == nl &&
		    memcmp(vs->name[i], line, nl) == 0)
			break;
	if (i == vs->n) {
		if (vs->n == MAX_VARS)
			return;
		vs->n++;
	}
	memcpy(vs->name[i], line, nl);
	vs->name[i][nl] = 0;
	snprintf(vs->val[i], sizeof(vs->val[i]), "%s", val);
}

/*
 * The line with $NAME and ${NAME} of the script's own variables replaced
 * by their values (procd scripts start "$PROG"), at most LINE_MAX_BYTES.
 */
static char *
expand(struct sl_scan *s, const struct vars *vs, const char *line)
{
	char out[LINE_MAX_BYTES + 1];
	size_t o = 0, i;
	const char *p = line;

	if (vs->n == 0 || strchr(line, '$') == NULL)
		return (char *)line;
	while (*p && o < LINE_MAX_BYTES) {
		bool brace = p[0] == '$' && p[1] == '{';
		const char *nm = p + (brace ? 2 : 1);
		size_t n = 0;

		if (*p == '$') {
			while (isalnum((unsigned char)nm[n]) || nm[n] == '_')
				n++;
			for (i = 0; n > 0 && i < vs->n; i++)
				if (strlen(vs->name[i]) == n &&
				    memcmp(vs->name[i], nm, n) == 0 &&
				    (!brace || nm[n] == '}'))
					break;
			if (n > 0 && i < vs->n) {
				o += (size_t)snprintf(out + o, sizeof(out) - o,
				                      "%s", vs->val[i]);
				if (o > LINE_MAX_BYTES)
					o = LINE_MAX_BYTES;
				p = nm + n + (brace ? 1 : 0);
				continue;
			}
		}
		out[o++] = *p++;
	}
	out[o] = 0;
	return Sl_arena_strdup(&s->arena, out);
}

/* The line number of data[off] (1-based). */
static size_t
line_no(const uint8_t *d, size_t off)
{
	size_t i, n = 1;

	for (i = 0; i < off; i++)
		n += d[i] == '\n';
	return n;
}

/*
 * Root has no password under the shipped account state: its field is
 * empty, or on OpenWrt "x" or "!" (OpenWrt's login wrapper and web UI
 * read both as unset), in shadow and in passwd alike.
 */
static bool
root_no_password(const struct svc *v)
{
	const char *f[2] = {v->root_sh, v->root_pw};
	bool has[2] = {v->has_root_sh, v->has_root_pw};
	size_t i;

	if (!has[0] && !has[1])
		return false;
	for (i = 0; i < 2; i++)
		if (has[i] && f[i][0] != 0 &&
		    !(v->openwrt &&
		      (strcmp(f[i], "x") == 0 || strcmp(f[i], "!") == 0)))
			return false;
	return true;
}

/*
 * The program telnetd runs instead of login (-l PROG) is a script of the
 * image: does it hand out a shell without asking for a password?  It
 * does when a line runs a shell (exec /bin/ash --login) and the script
 * calls no login program, either unconditionally or under a test of
 * root's password that the shipped accounts pass (OpenWrt's login.sh).
 * On success *why names the script line, in the arena.
 */
static bool
wrapper_shell(struct sl_scan *s, const struct svc *v,
              const struct sl_entry *from, const char *prog, const char **why)
{
	const char *bang = NULL, *p, *shell_line = NULL;
	const struct sl_entry *w;
	const uint8_t *d;
	size_t len, off = 0, shell_off = 0;
	bool root_test = false, login = false;
	char path[1024];

	for (p = from->path; (p = strstr(p, "!/")) != NULL; p += 2)
		bang = p;
	if (bang == NULL || prog[0] != '/')
		return false;
	if (snprintf(path, sizeof(path), "%.*s!/%s", (int)(bang - from->path),
	             from->path, prog + 1) >= (int)sizeof(path))
		return false;
	w = sl_tree_find(s, path);
	if (w == NULL || w->type != SL_FT_REG || w->size > (256u << 10) ||
	    Sl_check_read(s, w, &d, &len) != SL_OK ||
	    memchr(d, 0, len < 4096 ? len : 4096) != NULL)
		return false;
	while (off < len) {
		const uint8_t *nl = memchr(d + off, '\n', len - off);
		size_t end = nl ? (size_t)(nl - d) : len;
		char *line = Sl_line_at(s, d, len, off, LINE_MAX_BYTES);
		struct words ws;
		size_t i;

		if (line != NULL && line[0] != '#' && line[0] != 0) {
			split_words(&ws, line);
			for (i = 0; i < ws.n; i++) {
				if (!command_at(&ws, i))
					continue;
				if (is_shell_path(ws.w[i]) &&
				    shell_line == NULL) {
					shell_line = line;
					shell_off = off;
				}
				if (strcmp(base_of(ws.w[i]), "login") == 0)
					login = true;
			}
			if (strstr(line, "root:") != NULL &&
			    (strstr(line, "shadow") || strstr(line, "passwd")))
				root_test = true;
		}
		off = end + 1;
	}
	if (shell_line == NULL || login || (root_test && !root_no_password(v)))
		return false;
	*why = Sl_arena_printf(&s->arena, "%s:%zu: %s%s", Sl_inner(w),
	                       line_no(d, shell_off), shell_line,
	                       root_test ? ", reached while root has no "
	                                   "password, as shipped"
	                                 : "");
	return *why != NULL;
}

/*
 * telnetd on this (expanded) line: the program it runs instead of login
 * (-l PROG), followed to a shell.  Returns the chain for the excerpt, or
 * NULL when telnetd asks for a password.
 */
static const char *
telnet_chain(struct sl_scan *s, const struct svc *v, const struct sl_entry *e,
             const char *raw, const char *line)
{
	struct words ws;
	size_t i, j;
	const char *why = NULL;

	split_words(&ws, line);
	for (i = 0; i < ws.n; i++)
		if (strcmp(base_of(ws.w[i]), "telnetd") == 0)
			break;
	for (j = i + 1; j + 1 < ws.n && !is_stop(ws.w[j]); j++) {
		const char *prog = ws.w[j + 1];

		if (strcmp(ws.w[j], "-l") != 0)
			continue;
		if (is_shell_path(prog))
			return Sl_arena_printf(
			    &s->arena, "%s: %s%s%s", Sl_inner(e), raw,
			    raw != line ? " = " : "", raw != line ? line : "");
		if (!wrapper_shell(s, v, e, prog, &why))
			return NULL;
		return Sl_arena_printf(
		    &s->arena, "%s: %s%s%s -> %s", Sl_inner(e), raw,
		    raw != line ? " = " : "", raw != line ? line : "", why);
	}
	return NULL;
}

static sl_rc
check_line(struct sl_scan *s, struct svc *v, const struct sl_entry *e,
           const char *raw, const char *line, uint64_t off, bool inittab,
           bool unit, bool enabled, struct file_hits *h)
{
	size_t i;
	bool console = false,
	     assign = is_assignment(raw) && strpbrk(raw, " \t") == NULL;
	sl_rc rc = SL_OK;

	/*
	 * One finding per daemon and file: the first line that starts it,
	 * or failing that the line naming it in a variable (PROG=...).
	 */
	for (i = 0; i < SL_ARRAY_LEN(daemons); i++) {
		const struct daemon_rule *d = &daemons[i];

		if (!find_word(line, d->needle) ||
		    (h->line[i] != NULL && (assign || !h->assign_only[i])))
			continue;
		h->line[i] = raw;
		h->off[i] = off;
		h->assign_only[i] = assign;
		if (strcmp(d->needle, "telnetd") == 0 && h->chain == NULL &&
		    !assign) {
			h->chain = telnet_chain(s, v, e, raw, line);
			h->chain_off = off;
		}
	}
	/*
	 * BusyBox inittab: id:runlevels:action:process.  A login program
	 * (/bin/login) on the line asks for a password; a shell's own
	 * --login option does not.
	 */
	if (inittab &&
	    (strstr(line, ":askfirst:") || strstr(line, ":respawn:") ||
	     strstr(line, ":askconsole:")) &&
	    shell_without_login(line) && !find_word(line, "login")) {
		console = true;
		rc = Sl_report(
		    s, &findings[F_CONSOLE],
		    &(struct Sl_at){.e = e, .off = off, .excerpt = line});
	}
	/*
	 * A unit file that no *.wants/ entry enables starts nothing.  The
	 * line as written: OpenWrt's procd scripts append switches from UCI
	 * later, so "$PROG" expanded alone would read as no switches.
	 */
	if (rc == SL_OK && (!unit || enabled))
		rc = check_new_rules(s, v, e, raw, off, unit, console);
	return rc;
}

/*
 * rc.local: a program it starts in the background (`prog ... &`, nohup,
 * start-stop-daemon) runs at every boot outside the init system, where
 * no service list shows it.  Daemons of the table above are reported as
 * such; any other is listed once (low: a service to declare, S1.1-13).
 */
static sl_rc
rc_local_line(struct sl_scan *s, const struct sl_entry *e, const char *line,
              uint64_t off, size_t *n)
{
	struct words ws;
	size_t i, len = strlen(line);
	const char *prog = NULL, *title;

	while (len > 0 && (line[len - 1] == ' ' || line[len - 1] == '\t'))
		len--;
	split_words(&ws, line);
	if (ws.n == 0 || *n >= 8)
		return SL_OK;
	for (i = 0; i < SL_ARRAY_LEN(daemons); i++)
		if (find_word(line, daemons[i].needle))
			return SL_OK;
	if (strcmp(base_of(ws.w[0]), "start-stop-daemon") == 0) {
		for (i = 1; i + 1 < ws.n; i++)
			if (strcmp(ws.w[i], "-x") == 0 ||
			    strcmp(ws.w[i], "--exec") == 0 ||
			    strcmp(ws.w[i], "--startas") == 0)
				prog = ws.w[i + 1];
	} else if (len > 0 && line[len - 1] == '&' &&
	           (len < 2 || line[len - 2] != '&')) {
		i = strcmp(ws.w[0], "nohup") == 0 && ws.n > 1 ? 1 : 0;
		if (!is_assignment(ws.w[i]) && ws.w[i][0] != '[' &&
		    strcmp(ws.w[i], "echo") != 0 &&
		    strcmp(ws.w[i], "sleep") != 0)
			prog = ws.w[i];
	}
	if (prog == NULL || is_stop(prog))
		return SL_OK;
	(*n)++;
	title = Sl_arena_printf(&s->arena,
	                        "%s started in the background from rc.local, "
	                        "outside the init system",
	                        base_of(prog));
	if (title == NULL)
		return SL_E_NOMEM;
	return Sl_report(
	    s, &findings[F_RCLOCAL],
	    &(struct Sl_at){
	        .e = e, .off = off, .excerpt = line, .title = title});
}

/* The daemons one boot file starts: one finding each. */
static sl_rc
emit_hits(struct sl_scan *s, const struct svc *v, const struct sl_entry *e,
          const struct file_hits *h)
{
	size_t i;
	sl_rc rc = SL_OK;

	for (i = 0; i < SL_ARRAY_LEN(daemons) && rc == SL_OK; i++) {
		const struct daemon_rule *d = &daemons[i];
		size_t k;

		if (h->line[i] == NULL)
			continue;
		/* Two needles of one finding (miniupnpd, upnpd): one cause. */
		for (k = 0; k < i; k++)
			if (h->line[k] != NULL && daemons[k].f == d->f)
				break;
		if (k < i)
			continue;
		if (v->upnp_conf && d->f == F_UPNP)
			continue;
		/* telnetd handing out a shell: that is the one cause. */
		if (strcmp(d->needle, "telnetd") == 0 && h->chain != NULL) {
			rc = Sl_report(s, &findings[F_TELNETD_NO_LOGIN],
			               &(struct Sl_at){.e = e,
			                               .off = h->chain_off,
			                               .excerpt = h->chain});
			continue;
		}
		rc = Sl_report(s, &findings[d->f],
		               &(struct Sl_at){.e = e,
		                               .off = h->off[i],
		                               .excerpt = h->line[i]});
	}
	return rc;
}

static sl_rc
scan_boot_file(struct sl_scan *s, const struct sl_entry *e, const uint8_t *data,
               size_t len, void *user)
{
	struct svc *v = user;
	bool inittab = strcmp(Sl_inner(e), "etc/inittab") == 0;
	char unit[128];
	bool is_unit = unit_file(Sl_inner(e), unit, sizeof(unit));
	bool enabled = is_unit && unit[0] != 0 && unit_enabled(v, unit);
	struct file_hits h;
	struct vars *vs;
	const char *in = Sl_inner(e);
	size_t off = 0, nrc = 0, il = strlen(in);
	bool rclocal = il >= 8 && strcmp(in + il - 8, "rc.local") == 0;
	sl_rc rc = SL_OK;

	if (memchr(data, 0, len < 4096 ? len : 4096) != NULL)
		return SL_OK; /* a binary, not a script */
	vs = calloc(1, sizeof(*vs));
	if (vs == NULL)
		return SL_E_NOMEM;
	memset(&h, 0, sizeof(h));
	while (off < len && rc == SL_OK) {
		const uint8_t *nl = memchr(data + off, '\n', len - off);
		size_t end = nl ? (size_t)(nl - data) : len;
		char *line = Sl_line_at(s, data, len, off, LINE_MAX_BYTES);
		char *x;

		if (line != NULL && line[0] != '#' && line[0] != 0) {
			note_var(vs, line);
			x = expand(s, vs, line);
			rc = x == NULL
			         ? SL_E_NOMEM
			         : check_line(s, v, e, line, x, off, inittab,
			                      is_unit, enabled, &h);
			if (rc == SL_OK && rclocal)
				rc = rc_local_line(s, e, x, off, &nrc);
		}
		off = end + 1;
	}
	free(vs);
	if (rc == SL_OK)
		rc = emit_hits(s, v, e, &h);
	return rc;
}

/* etc/modules and friends: a module name first on each line. */
static sl_rc
scan_modules(struct sl_scan *s, const struct sl_entry *e, const uint8_t *data,
             size_t len, void *user)
{
	struct svc *v = user;
	size_t off = 0;

	if (memchr(data, 0, len < 4096 ? len : 4096) != NULL)
		return SL_OK;
	while (off < len) {
		const uint8_t *nl = memchr(data + off, '\n', len - off);
		size_t end = nl ? (size_t)(nl - data) : len;
		char *line = Sl_line_at(s, data, len, off, LINE_MAX_BYTES);
		struct words ws;
		bool serial = false;

		if (line != NULL && line[0] != '#' && line[0] != 0) {
			split_words(&ws, line);
			if (ws.n > 0 && gadget_module(ws.w[0], &serial)) {
				note_gadget(v, e, off, line);
				v->gadget_serial |= serial;
			}
		}
		off = end + 1;
	}
	return SL_OK;
}

/*
 * A line of a boot-args file: up to '\n' or NUL (a U-Boot environment is
 * NUL-separated "name=value" pairs), at most LINE_MAX_BYTES, printable.
 */
static char *
env_line(struct sl_scan *s, const uint8_t *data, size_t len, size_t off,
         size_t *end)
{
	size_t b = off, i;
	char *out;

	while (b < len && data[b] != '\n' && data[b] != 0)
		b++;
	*end = b;
	if (b - off > LINE_MAX_BYTES)
		b = off + LINE_MAX_BYTES;
	out = Sl_arena_alloc(&s->arena, b - off + 1);
	if (out == NULL)
		return NULL;
	for (i = off; i < b; i++)
		out[i - off] =
		    data[i] >= 0x20 && data[i] < 0x7f ? (char)data[i] : '.';
	out[b - off] = 0;
	return out;
}

static sl_rc
scan_cmdline(struct sl_scan *s, const struct sl_entry *e, const uint8_t *data,
             size_t len, void *user)
{
	size_t off = 0, end;
	sl_rc rc = SL_OK;

	(void)user;
	/* UNTRUSTED: a huge file is read only up to MAX_CMDLINE_SCAN. */
	if (len > MAX_CMDLINE_SCAN)
		len = MAX_CMDLINE_SCAN;
	while (off < len && rc == SL_OK) {
		char *line = env_line(s, data, len, off, &end);
		const char *l = line;

		if (l != NULL) {
			while (*l == ' ' || *l == '\t')
				l++;
			if (*l != '#' && init_is_shell(l))
				rc = Sl_report(s, &findings[F_DEBUG_SHELL],
				               &(struct Sl_at){.e = e,
				                               .off = off,
				                               .excerpt = l});
		}
		off = end + 1;
	}
	return rc;
}

/* "yes", "on", "1", "true" (and anything not clearly off) count as on. */
static bool
uci_on(const char *v)
{
	return !(strcmp(v, "0") == 0 || strcasecmp(v, "off") == 0 ||
	         strcasecmp(v, "no") == 0 || strcasecmp(v, "false") == 0 ||
	         strcasecmp(v, "disabled") == 0);
}

struct uci_sect {
	bool in, enable, pass, rootpass, rootlogin;
	uint64_t off;
	const char *line;
};

static sl_rc
uci_sect_end(struct sl_scan *s, struct svc *v, const struct sl_entry *e,
             struct uci_sect *u)
{
	sl_rc rc = SL_OK;

	if (u->in && u->enable && u->pass && u->rootpass && u->rootlogin &&
	    v->root == ROOT_PW_HASH)
		rc = Sl_report(
		    s, &findings[F_SSH_ROOT],
		    &(struct Sl_at){.e = e,
		                    .off = u->off,
		                    .excerpt = u->line,
		                    .title =
		                        "dropbear (UCI) lets root log in with "
		                        "the image's password"});
	u->in = false;
	return rc;
}

/*
 * OpenWrt's etc/config/dropbear.  The init script passes -s when
 * PasswordAuth is off, -g when RootPasswordAuth is off and -w when
 * RootLogin is off; all three default to on.
 */
static sl_rc
scan_uci_dropbear(struct sl_scan *s, const struct sl_entry *e,
                  const uint8_t *data, size_t len, void *user)
{
	struct svc *v = user;
	struct uci_sect u = {0};
	size_t off = 0;
	sl_rc rc = SL_OK;

	while (off < len && rc == SL_OK) {
		const uint8_t *nl = memchr(data + off, '\n', len - off);
		size_t end = nl ? (size_t)(nl - data) : len;
		char *line = Sl_line_at(s, data, len, off, LINE_MAX_BYTES);
		struct words ws;
		size_t lo = off;

		off = end + 1;
		if (line == NULL || line[0] == '#' || line[0] == 0)
			continue;
		split_words(&ws, line);
		if (ws.n >= 2 && strcmp(ws.w[0], "config") == 0) {
			rc = uci_sect_end(s, v, e, &u);
			if (strcmp(ws.w[1], "dropbear") == 0) {
				u = (struct uci_sect){true, true, true, true,
				                      true, lo,   line};
			}
			continue;
		}
		if (!u.in || ws.n < 3 || strcmp(ws.w[0], "option") != 0)
			continue;
		if (strcmp(ws.w[1], "enable") == 0)
			u.enable = uci_on(ws.w[2]);
		else if (strcmp(ws.w[1], "PasswordAuth") == 0)
			u.pass = uci_on(ws.w[2]);
		else if (strcmp(ws.w[1], "RootLogin") == 0)
			u.rootlogin = uci_on(ws.w[2]);
		else if (strcmp(ws.w[1], "RootPasswordAuth") == 0) {
			u.rootpass = uci_on(ws.w[2]);
			u.line = line;
			u.off = lo;
		}
	}
	if (rc == SL_OK)
		rc = uci_sect_end(s, v, e, &u);
	return rc;
}

/* sshd_config: the first value of a keyword wins; Match blocks ignored. */
struct sshd_kw {
	const char *val;
	uint64_t off;
	const char *line;
};

static sl_rc
scan_sshd(struct sl_scan *s, const struct sl_entry *e, const uint8_t *data,
          size_t len, void *user)
{
	struct svc *v = user;
	struct sshd_kw root = {0}, empty = {0}, pass = {0};
	size_t off = 0;
	sl_rc rc = SL_OK;

	while (off < len) {
		const uint8_t *nl = memchr(data + off, '\n', len - off);
		size_t end = nl ? (size_t)(nl - data) : len;
		char *line = Sl_line_at(s, data, len, off, LINE_MAX_BYTES);
		struct sshd_kw *k = NULL;
		struct words ws;
		char *eq;
		size_t lo = off;

		off = end + 1;
		if (line == NULL || line[0] == '#' || line[0] == 0)
			continue;
		split_words(&ws, line);
		if (ws.n < 1)
			continue;
		/* "Keyword=value" is allowed too. */
		if (ws.n < MAX_TOKENS && (eq = strchr(ws.w[0], '=')) != NULL) {
			*eq = 0;
			memmove(ws.w + 2, ws.w + 1,
			        (ws.n - 1) * sizeof(ws.w[0]));
			ws.w[1] = eq + 1;
			ws.n++;
		}
		if (strcasecmp(ws.w[0], "Match") == 0)
			break; /* conditional blocks: not the global setting */
		if (ws.n < 2)
			continue;
		if (strcasecmp(ws.w[0], "PermitRootLogin") == 0)
			k = &root;
		else if (strcasecmp(ws.w[0], "PermitEmptyPasswords") == 0)
			k = &empty;
		else if (strcasecmp(ws.w[0], "PasswordAuthentication") == 0)
			k = &pass;
		if (k != NULL && k->val == NULL) {
			k->val = Sl_arena_strdup(&s->arena, ws.w[1]);
			k->off = lo;
			k->line = line;
		}
	}
	if (empty.val && strcasecmp(empty.val, "yes") == 0 &&
	    (!pass.val || strcasecmp(pass.val, "no") != 0))
		rc = Sl_report(
		    s, &findings[F_SSH_EMPTY],
		    &(struct Sl_at){.e = e,
		                    .off = empty.off,
		                    .excerpt = empty.line,
		                    .title = "sshd accepts empty passwords "
		                             "(PermitEmptyPasswords yes)"});
	if (rc == SL_OK && root.val && strcasecmp(root.val, "yes") == 0 &&
	    (!pass.val || strcasecmp(pass.val, "no") != 0) &&
	    v->root != ROOT_PW_NONE)
		rc = Sl_report(
		    s, &findings[F_SSH_ROOT],
		    &(struct Sl_at){.e = e,
		                    .off = root.off,
		                    .excerpt = root.line,
		                    .title =
		                        "sshd lets root log in with a password "
		                        "(PermitRootLogin yes)"});
	return rc;
}

/* Root's password field in shadow (or passwd when there is no shadow). */
static sl_rc
read_root(struct sl_scan *s, const struct sl_entry *e, const uint8_t *data,
          size_t len, void *user)
{
	struct svc *v = user;
	bool shadow = strcmp(Sl_inner(e), "etc/shadow") == 0;
	size_t off = 0;

	while (off + 5 <= len) {
		const uint8_t *nl = memchr(data + off, '\n', len - off);
		size_t end = nl ? (size_t)(nl - data) : len;

		if (memcmp(data + off, "root:", 5) == 0) {
			const uint8_t *f = data + off + 5;
			size_t n = end - off - 5;
			const uint8_t *c = memchr(f, ':', n);
			char *keep = shadow ? v->root_sh : v->root_pw;

			n = c ? (size_t)(c - f) : n;
			/* The raw field, for the login-chain rule. */
			snprintf(keep, sizeof(v->root_sh), "%.*s",
			         (int)(n < 8 ? n : 8), (const char *)f);
			if (shadow)
				v->has_root_sh = true;
			else
				v->has_root_pw = true;
			if (v->root != ROOT_PW_UNKNOWN)
				break; /* shadow decided already */
			if (n == 1 && f[0] == 'x')
				break; /* passwd pointing at shadow */
			if (n == 0 || f[0] == '!' || f[0] == '*')
				v->root = ROOT_PW_NONE;
			else
				v->root = ROOT_PW_HASH;
			break;
		}
		off = end + 1;
	}
	(void)s;
	return SL_OK;
}

static sl_rc
mark_upnp(struct sl_scan *s, const struct sl_entry *e, const uint8_t *data,
          size_t len, void *user)
{
	(void)s;
	(void)e;
	(void)data;
	(void)len;
	((struct svc *)user)->upnp_conf = true;
	return SL_OK;
}

/* An OpenWrt marker: the release files its base-files package writes. */
static sl_rc
mark_openwrt(struct sl_scan *s, const struct sl_entry *e, const uint8_t *data,
             size_t len, void *user)
{
	struct svc *v = user;

	(void)s;
	(void)e;
	if (len >= 10 && memmem(data, len < 4096 ? len : 4096, "OpenWrt", 7))
		v->openwrt = true;
	return SL_OK;
}

/* Remember the names in every systemd *.wants/ directory. */
static void
read_wants(struct sl_scan *s, struct svc *v)
{
	size_t i, n = sl_tree_count(s);

	for (i = 0; i < n && v->nwants < MAX_WANTS; i++) {
		const struct sl_entry *e = sl_tree_entry(s, i);
		const char *in = Sl_inner(e), *w, *b;

		if (e->type == SL_FT_DIR || strstr(in, "systemd/") == NULL)
			continue;
		w = strstr(in, ".wants/");
		b = strrchr(in, '/');
		if (w == NULL || b != w + 6)
			continue;
		v->wants_e[v->nwants] = e;
		v->wants[v->nwants++] = b + 1;
		if (strstr(b + 1, "getty@ttyGS0.") != NULL)
			v->getty_gs = true;
	}
}

/* What was remembered across files: gadgets, enabled bluetooth.service. */
static sl_rc
emit_collected(struct sl_scan *s, struct svc *v)
{
	bool console = v->gadget_serial && v->getty_gs;
	size_t i;
	sl_rc rc = SL_OK;

	for (i = 0; i < v->ngadget && rc == SL_OK; i++)
		rc = Sl_report(s,
		               &findings[console ? F_GADGET_CONSOLE : F_GADGET],
		               &(struct Sl_at){.e = v->gadget[i].e,
		                               .off = v->gadget[i].off,
		                               .excerpt = v->gadget[i].line});
	for (i = 0; i < v->nwants && rc == SL_OK && !v->bt_in_unit; i++) {
		if (strcmp(v->wants[i], "bluetooth.service") != 0)
			continue;
		rc = Sl_report(s, &findings[F_BLUETOOTH],
		               &(struct Sl_at){.e = v->wants_e[i],
		                               .excerpt = v->wants_e[i]->link,
		                               .title =
		                                   "Bluetooth started at boot "
		                                   "(bluetooth.service "
		                                   "enabled)"});
		break;
	}
	return rc;
}

static sl_rc
scan_mosquitto(struct sl_scan *s, const struct sl_entry *e, const uint8_t *data,
               size_t len, void *user)
{
	size_t off = 0;

	(void)user;
	while (off < len) {
		const uint8_t *nl = memchr(data + off, '\n', len - off);
		size_t end = nl ? (size_t)(nl - data) : len;
		char *line = Sl_line_at(s, data, len, off, 256);

		if (line != NULL && strncmp(line, "allow_anonymous", 15) == 0 &&
		    strstr(line + 15, "true"))
			return Sl_report(s, &findings[F_MQTT],
			                 &(struct Sl_at){.e = e,
			                                 .off = off,
			                                 .excerpt = line});
		off = end + 1;
	}
	return SL_OK;
}

static sl_rc
services_run(struct sl_scan *s)
{
	struct svc *v;
	sl_rc rc;

	v = Sl_arena_alloc(&s->arena, sizeof(*v));
	if (v == NULL)
		return SL_E_NOMEM;
	memset(v, 0, sizeof(*v));
	rc = Sl_each_file(s, "etc/shadow", read_root, v);
	if (rc == SL_OK)
		rc = Sl_each_file(s, "etc/passwd", read_root, v);
	if (rc == SL_OK)
		rc = Sl_each_file_any(
		    s,
		    (const char *const[]){"etc/openwrt_release",
		                          "etc/openwrt_version", NULL},
		    mark_openwrt, v);
	if (rc != SL_OK)
		return rc;
	v->upnp_conf =
	    Sl_each_file_any(s, (const char *const[]){"etc/config/upnpd", NULL},
	                     mark_upnp, v) == SL_OK &&
	    v->upnp_conf;
	read_wants(s, v);
	rc = Sl_each_file_any(s, boot_files, scan_boot_file, v);
	if (rc == SL_OK)
		rc = Sl_each_file_any(s, module_files, scan_modules, v);
	if (rc == SL_OK)
		rc = Sl_each_file_any(s, sshd_files, scan_sshd, v);
	if (rc == SL_OK)
		rc = Sl_each_file(s, "etc/config/dropbear", scan_uci_dropbear,
		                  v);
	if (rc == SL_OK)
		rc = Sl_each_file_any(s, cmdline_files, scan_cmdline, v);
	if (rc == SL_OK)
		rc = emit_collected(s, v);
	if (rc != SL_OK)
		return rc;
	return Sl_each_file(s, "*mosquitto*.conf", scan_mosquitto, NULL);
}

const struct Sl_check Sl_check_services = {
    .id = "fw.services",
    .title = "Services and debug paths started at boot",
    /*
     * S1.1-02 findings come from here too, but the password check
     * (fw.accounts) is what makes "no finding" evidence for it.
     */
    .covers = {"S1.1-01", "S1.1-02", "S1.1-12", "S1.1-13", NULL},
    .findings = findings,
    .source = SL_SRC_FIRMWARE,
    .run = services_run,
};
