/*
 * update.c - the firmware update path (S1.1-06, S1.1-08): fw.update.
 *
 * What it looks for:
 *   - FW-UPDATE-INSECURE-INSTALL (S1.1-08, high): a script that downloads
 *     over plain HTTP, FTP or TFTP, or with TLS verification off (curl -k,
 *     --insecure, --no-check-certificate), and installs (sysupgrade, mtd
 *     write, dd to a flash device, flashcp, nandwrite, ubiupdatevol, opkg
 *     install, swupdate -i) with no signature check anywhere in the same
 *     script (usign/signify -V, openssl ... -verify, gpg --verify, gpgv,
 *     swupdate -k, rauc install, which always checks its bundle).  A URL
 *     may reach the download through a variable assigned in the script.
 *     fw.transport reports the URL and the TLS switch themselves (S1.1-12).
 *   - The update mechanism: OpenWrt sysupgrade, SWUpdate, RAUC, Mender,
 *     APT, and vendor scripts (named ota, fwup*, or firmware/fw with
 *     update, upgrade or flash, or holding an install command).  An
 *     install command is a command (first word, not a file name such as
 *     `touch /tmp/sysupgrade`) that writes a firmware partition from an
 *     image source: `echo <marker> | mtd write -` writes a constant and
 *     dd from /dev/zero erases, neither installs.  Each mechanism is
 *     listed as FW-UPDATE-MECHANISM (info).  sysupgrade, its lib/upgrade
 *     scripts and the front ends that hand it a local image (LuCI's flash
 *     page) are one update path: one mechanism, one S1.1-08 finding at
 *     most, naming the parts.  None at all is no finding: vendor firmware
 *     updates from its web server, so S1.1-06 and S1.1-08 are then not
 *     judged from the firmware, with the reason.
 *   - The installed version (etc/openwrt_release, os-release, etc/version,
 *     version files in /etc such as SWUpdate's sw-versions, etc/banner,
 *     the name of a uImage or FIT kernel): FW-VERSION (info, the version
 *     as excerpt); none is not judged from the firmware (S1.1-06).
 *   - Verification keys: usign/signify public keys, the RAUC keyring
 *     (system.conf [keyring] path= or directory=), SWUpdate's -k key or
 *     public-key-file, Mender's ArtifactVerifyKey, APT's OpenPGP
 *     keyrings, and FIT images with signature nodes (the FIT reader notes
 *     them).  Each is listed as FW-UPDATE-VERIFY-KEY (info).  opkg's
 *     keys (etc/opkg/keys) verify packages: they count, and are listed,
 *     only when an update path checks a signature (usign/ucert -V).  A
 *     mechanism without its key is FW-UPDATE-NO-VERIFY-KEY (S1.1-08,
 *     high): sysupgrade needs a signed FIT or a usign key its scripts
 *     check with, SWUpdate, RAUC, Mender and APT their own key, a vendor
 *     script any key or a check of its own.  A vendor script that already
 *     has FW-UPDATE-INSECURE-INSTALL gets no second S1.1-08 finding.
 *   - With --update-key, the image's signature is verified (update_sig.c).
 * Only the scripts and the signature verification speak about an image
 * without an operating-system root (update.h says why).
 *
 * Scripts are read in the shared content pass (prepare/finish): a script
 * is decompressed once for unpacking and every content check, and its
 * hook runs on an unpacking thread.  Everything that looks at more than
 * one file (mechanisms, keys, the version) runs in finish, over the tree.
 *
 * Input: every file is untrusted.  Scripts and configuration files are
 * read only up to UPD_MAX_SCRIPT bytes, lines are cut at UPD_MAX_LINE,
 * one insecure-install finding is made per script (the first download
 * line; the excerpt counts the rest), and each kind of evidence is listed
 * at most UPD_MAX_LIST times.  Nothing from the image is executed.
 */
#include <stdio.h>
#include <stdlib.h>

#include <openssl/evp.h>

#include "scan.h"
#include "update.h"

#define UPD_MAX_VARS    16 /* URL variables remembered per script */
#define UPD_MAX_VARLEN  32
#define UPD_MAX_KEYCAND 64 /* small files read as possible signify keys */
#define UPD_MAX_VERSION 64 /* bytes of a version kept */
#define UPD_MAX_REFS    32 /* key paths resolved from configuration */

/* ------------------------------------------------------------------ */
/* Shared helpers (update.h)                                            */
/* ------------------------------------------------------------------ */

static const char *const root_marks[] = {
    "bin/sh",
    "bin/busybox",
    "sbin/init",
    "init",
    "sbin/procd",
    "lib/systemd/systemd",
    "usr/lib/systemd/systemd",
    NULL,
};

const struct sl_entry *
Sl_upd_container(const struct sl_entry *e)
{
	const struct Sl_node *n = Sl_node_of(e);

	if (n->layer != NULL && n->layer->node != NULL)
		return &n->layer->node->e;
	return e;
}

const struct sl_entry *
Sl_upd_os_root(struct sl_scan *s)
{
	size_t i, k, n = sl_tree_count(s);

	for (i = 0; i < n; i++) {
		const struct sl_entry *e = sl_tree_entry(s, i);
		const char *in;

		if (e->type != SL_FT_REG && e->type != SL_FT_LNK &&
		    e->type != SL_FT_HARDLINK)
			continue;
		if (strstr(e->path, "!/") == NULL)
			continue;
		in = Sl_inner(e);
		for (k = 0; root_marks[k] != NULL; k++)
			if (strcmp(in, root_marks[k]) == 0)
				return Sl_upd_container(e);
	}
	return NULL;
}

const char *
Sl_upd_base(const char *path)
{
	return Sl_basename(path);
}

/* Where scripts live, whatever their mode. */
static const char *const script_places[] = {
    "etc/init.d/*",
    "etc/rc.d/*",
    "etc/rc.button/*",
    "etc/hotplug.d/*",
    "etc/crontabs/*",
    "etc/cron.d/*",
    "etc/uci-defaults/*",
    "lib/preinit/*",
    "lib/upgrade/*",
    "www/cgi-bin/*",
    "usr/lib/cgi-bin/*",
    "etc/preinit",
    "etc/rc.local",
    "etc/rcS",
    "*.sh",
    "*.cgi",
    "*.lua",
    "*.py",
    "*.pl",
    "*.uc",
    "*.ash",
    NULL,
};
static const char *const script_tops[] = {
    "bin/*", "sbin/*", "usr/*", "etc/*", "lib/*", "www/*", NULL,
};
static const char *const not_scripts[] = {
    "usr/share/doc/*",
    "usr/share/man/*",
    "usr/share/locale/*",
    "usr/share/info/*",
    "usr/include/*",
    "*.so",
    "*.so.*",
    "*.ko",
    "*.a",
    NULL,
};

bool
Sl_upd_script_candidate(const struct sl_entry *e)
{
	const char *in;

	if (e->type != SL_FT_REG || e->size == 0 || e->size > UPD_MAX_SCRIPT)
		return false;
	if (strstr(e->path, "!/") == NULL)
		return false;
	in = Sl_inner(e);
	if (!Sl_path_any(in, script_tops) || Sl_path_any(in, not_scripts))
		return false;
	return (e->mode & 0111) != 0 || Sl_path_any(in, script_places);
}

bool
Sl_upd_want_script(const struct sl_entry *e, void *user)
{
	(void)user;
	return Sl_upd_script_candidate(e);
}

bool
Sl_upd_is_script(const struct sl_entry *e, const uint8_t *d, size_t n)
{
	if (n == 0 || !Sl_is_text(d, n))
		return false;
	return Sl_path_any(Sl_inner(e), script_places) ||
	       (n >= 2 && d[0] == '#' && d[1] == '!');
}

static int
ev_cmp(const struct Sl_upd_ev *a, const struct Sl_upd_ev *b)
{
	int c = strcmp(a->e->path, b->e->path);

	if (c != 0)
		return c;
	return a->off < b->off ? -1 : a->off > b->off;
}

void
Sl_upd_list_add(struct Sl_upd_list *l, const struct Sl_upd_ev *ev)
{
	size_t i;

	l->total++;
	/* Insertion into the sorted, bounded array. */
	for (i = l->n; i > 0 && ev_cmp(ev, &l->v[i - 1]) < 0; i--)
		if (i < UPD_MAX_LIST)
			l->v[i] = l->v[i - 1];
	if (i >= UPD_MAX_LIST)
		return;
	l->v[i] = *ev;
	if (l->n < UPD_MAX_LIST)
		l->n++;
}

sl_rc
Sl_upd_report_list(struct sl_scan *s, const struct Sl_upd_list *l,
                   const char *id, enum sl_severity sev, const char *reqs,
                   const char *title, const char *fix)
{
	size_t i;
	sl_rc rc = SL_OK;

	for (i = 0; i < l->n && rc == SL_OK; i++) {
		const char *ex = l->v[i].excerpt;

		if (ex == NULL)
			ex = Sl_inner(l->v[i].e);
		if (i + 1 == l->n && l->total > l->n)
			ex = Sl_arena_printf(&s->arena, "%s [and %zu more]", ex,
			                     l->total - l->n);
		if (ex == NULL)
			return SL_E_NOMEM;
		rc = Sl_fw_finding(s, id, sev, reqs, l->v[i].e, l->v[i].off, ex,
		                   NULL, title, fix);
	}
	return rc;
}

sl_rc
Sl_upd_report_one(struct sl_scan *s, const struct Sl_upd_list *l,
                  const char *id, enum sl_severity sev, const char *reqs,
                  const char *title, const char *fix)
{
	const char *ex;
	size_t i;

	if (l->n == 0)
		return SL_OK;
	ex = l->v[0].excerpt != NULL ? l->v[0].excerpt : Sl_inner(l->v[0].e);
	for (i = 1; i < l->n && ex != NULL; i++)
		ex = Sl_arena_printf(&s->arena, "%s%s%s", ex,
		                     i == 1 ? "; also: " : ", ",
		                     Sl_inner(l->v[i].e));
	if (ex != NULL && l->total > l->n)
		ex = Sl_arena_printf(&s->arena, "%s [and %zu more]", ex,
		                     l->total - l->n);
	if (ex == NULL)
		return SL_E_NOMEM;
	return Sl_fw_finding(s, id, sev, reqs, l->v[0].e, l->v[0].off, ex, NULL,
	                     title, fix);
}

bool
Sl_upd_is_package(struct sl_scan *s)
{
	size_t i, n = sl_tree_count(s);
	bool debbin = false, parts = false;

	for (i = 0; i < n; i++) {
		const struct sl_entry *e = sl_tree_entry(s, i);
		const char *in, *bang = strstr(e->path, "!/");

		if (bang == NULL || e->type != SL_FT_REG)
			continue;
		/*
		 * Only members of the image's own archive (an .ipk is a tar
		 * inside gzip: two levels), not packages nested in firmware.
		 */
		if ((bang = strstr(bang + 2, "!/")) != NULL &&
		    strstr(bang + 2, "!/") != NULL)
			continue;
		in = Sl_inner(e);
		if (strncmp(in, "./", 2) == 0)
			in += 2;
		if (strcmp(in, ".PKGINFO") == 0)
			return true;
		if (strcmp(in, "debian-binary") == 0)
			debbin = true;
		if (strncmp(in, "control.tar", 11) == 0 ||
		    strncmp(in, "data.tar", 8) == 0)
			parts = true;
	}
	return debbin && parts;
}

bool
Sl_upd_next_line(const uint8_t *d, size_t len, size_t *pos,
                 struct Sl_upd_line *l)
{
	while (*pos < len) {
		size_t a = *pos, b, k, i;
		/* UNTRUSTED: the line ends at a newline or the file's end. */
		const uint8_t *nl = memchr(d + a, '\n', len - a);

		b = nl != NULL ? (size_t)(nl - d) : len;
		*pos = nl != NULL ? b + 1 : len;
		while (a < b && (d[a] == ' ' || d[a] == '\t' || d[a] == '\r'))
			a++;
		if (a == b || d[a] == '#')
			continue;
		k = b - a > UPD_MAX_LINE ? UPD_MAX_LINE : b - a;
		for (i = 0; i < k; i++) {
			uint8_t c = d[a + i];

			l->buf[i] = c < 0x20 ? ' ' : c >= 0x7f ? '.' : (char)c;
		}
		while (k > 0 && l->buf[k - 1] == ' ')
			k--;
		l->buf[k] = 0;
		l->off = a;
		return true;
	}
	return false;
}

static bool
word_before(char c)
{
	return c == ' ' || c == '\t' || c == ';' || c == '|' || c == '&' ||
	       c == '(' || c == '`' || c == '\'' || c == '"' || c == '/' ||
	       c == '{' || c == '=';
}

static bool
word_after(char c)
{
	return c == 0 || c == ' ' || c == '\t' || c == ';' || c == '|' ||
	       c == '&' || c == ')' || c == '`' || c == '\'' || c == '"';
}

const char *
Sl_upd_word(const char *line, const char *w)
{
	size_t n = strlen(w);
	const char *p = line;

	if (n == 0)
		return NULL;
	while ((p = strstr(p, w)) != NULL) {
		if ((p == line || word_before(p[-1])) && word_after(p[n]))
			return p;
		p++;
	}
	return NULL;
}

/* ------------------------------------------------------------------ */
/* Scripts: download, install, verify                                   */
/* ------------------------------------------------------------------ */

struct script_facts {
	char vars[UPD_MAX_VARS][UPD_MAX_VARLEN + 1];
	size_t nvars;
	const char *install; /* the first install command, static */
	bool verify;
	bool fetch; /* downloads anything (wget, curl, tftp, uclient-fetch) */
	bool dl;
	size_t dl_off, ndl;
	const char *dl_how; /* static */
	char dl_line[UPD_MAX_LINE + 1];
};

/*
 * Is the word at p (inside line) in command position: the first word of a
 * command, possibly as a path (/sbin/sysupgrade), after the line's start,
 * a separator (; | & ( ` { or a quote opening a command string) or a
 * command prefix (exec, then, do, else, nohup, sudo)?  `touch
 * /tmp/sysupgrade` and `[ -f /tmp/sysupgrade ]` name the file, not the
 * tool.
 */
static bool
cmd_position(const char *line, const char *p)
{
	static const char *const prefixes[] = {
	    "exec", "then", "do", "else", "nohup", "sudo", "time", "eval", NULL,
	};
	const char *q = p, *w;
	size_t i;

	/* Back over the path the word may end (/usr/sbin/mtd). */
	while (q > line && q[-1] != ' ' && q[-1] != '\t' &&
	       strchr(";|&(`{'\"", q[-1]) == NULL)
		q--;
	while (q > line && (q[-1] == ' ' || q[-1] == '\t'))
		q--;
	if (q == line || strchr(";|&(`{'\"!", q[-1]) != NULL)
		return true;
	for (w = q; w > line && w[-1] != ' ' && w[-1] != '\t'; w--)
		;
	for (i = 0; prefixes[i] != NULL; i++)
		if ((size_t)(q - w) == strlen(prefixes[i]) &&
		    memcmp(w, prefixes[i], (size_t)(q - w)) == 0)
			return cmd_position(line, w);
	return false;
}

/* The first occurrence of the word w in command position, or NULL. */
static const char *
cmd_word(const char *line, const char *w)
{
	const char *p = line;

	while ((p = Sl_upd_word(p, w)) != NULL) {
		if (cmd_position(line, p))
			return p;
		p += strlen(w);
	}
	return NULL;
}

/*
 * Does `mtd ... write SRC PART` at m write a constant rather than an
 * image: SRC is "-" and what feeds the pipe is echo or printf (OpenWrt's
 * `echo -e "\xde\xad\xc0\xde" | mtd -qq write - "$1"`, the erase marker
 * that makes the overlay be formatted anew)?
 */
static bool
mtd_constant(const char *line, const char *m)
{
	const char *w = Sl_upd_word(m, "write"), *src, *bar, *a;

	if (w == NULL)
		return false;
	for (src = w + 5; *src == ' ' || *src == '\t'; src++)
		;
	if (src[0] != '-' || (src[1] != ' ' && src[1] != '\t' && src[1] != 0))
		return false;
	/* The command before the pipe that ends right before mtd. */
	for (bar = m; bar > line && bar[-1] != '|'; bar--)
		;
	if (bar == line)
		return false;
	for (a = bar - 1; a > line && strchr(";&(`{", a[-1]) == NULL; a--)
		;
	while (*a == ' ' || *a == '\t')
		a++;
	return strncmp(a, "echo ", 5) == 0 || strncmp(a, "printf ", 7) == 0;
}

/*
 * The install command on a line (static text), or NULL: a command that
 * writes a firmware partition (or installs packages) from an image
 * source.  Writing a constant (an erase marker) or zeros is not one.
 */
static const char *
install_cmd(const char *l)
{
	const char *m;

	if (cmd_word(l, "sysupgrade"))
		return "sysupgrade";
	if ((m = cmd_word(l, "mtd")) != NULL && Sl_upd_word(m, "write") &&
	    !mtd_constant(l, m))
		return "mtd write";
	if (cmd_word(l, "dd") && strstr(l, "if=/dev/zero") == NULL &&
	    (strstr(l, "of=/dev/mtd") || strstr(l, "of=/dev/mmcblk") ||
	     strstr(l, "of=/dev/ubi") || strstr(l, "of=/dev/nand") ||
	     strstr(l, "of=/dev/sd")))
		return "dd to a flash device";
	if (cmd_word(l, "flashcp"))
		return "flashcp";
	if (cmd_word(l, "nandwrite"))
		return "nandwrite";
	if (cmd_word(l, "ubiupdatevol"))
		return "ubiupdatevol";
	if (cmd_word(l, "opkg") && Sl_upd_word(l, "install"))
		return "opkg install";
	if (cmd_word(l, "rauc") && Sl_upd_word(l, "install"))
		return "rauc install";
	if (cmd_word(l, "swupdate") && Sl_upd_word(l, "-i"))
		return "swupdate -i";
	return NULL;
}

/* Does the line check a signature (or install with a tool that does)? */
static bool
verify_cmd(const char *l)
{
	/* ucert: OpenWrt's fwtool.sh checks sysupgrade images with it. */
	if ((Sl_upd_word(l, "usign") || Sl_upd_word(l, "signify") ||
	     Sl_upd_word(l, "signify-openbsd") || Sl_upd_word(l, "ucert")) &&
	    Sl_upd_word(l, "-V"))
		return true;
	if (Sl_upd_word(l, "openssl") && strstr(l, "-verify") != NULL)
		return true;
	if ((Sl_upd_word(l, "gpg") || Sl_upd_word(l, "gpg2")) &&
	    Sl_upd_word(l, "--verify"))
		return true;
	if (Sl_upd_word(l, "gpgv"))
		return true;
	/* RAUC refuses a bundle its keyring does not verify. */
	if (Sl_upd_word(l, "rauc") && Sl_upd_word(l, "install"))
		return true;
	if (Sl_upd_word(l, "swupdate") &&
	    (Sl_upd_word(l, "-k") || strstr(l, "--key") != NULL))
		return true;
	return false;
}

/* A URL at p ("http://...") whose host is this machine itself? */
static bool
loopback_url(const char *p)
{
	const char *h = strstr(p, "://");

	if (h == NULL)
		return false;
	h += 3;
	return strncmp(h, "127.", 4) == 0 || strncmp(h, "localhost", 9) == 0 ||
	       strncmp(h, "[::1]", 5) == 0;
}

/* A plaintext URL (http:// or ftp://, not loopback) on the line? */
static bool
plain_url(const char *l)
{
	static const char *const schemes[] = {"http://", "HTTP://", "ftp://",
	                                      "FTP://", NULL};
	const char *const *sc;
	const char *p;

	for (sc = schemes; *sc != NULL; sc++)
		for (p = strstr(l, *sc); p != NULL; p = strstr(p + 1, *sc))
			if ((p == l || (p[-1] != 's' && p[-1] != 'S' &&
			                p[-1] != 't' && p[-1] != 'T')) &&
			    !loopback_url(p))
				return true;
	return false;
}

/* Remember NAME from "[export|local|readonly] NAME=...http://...". */
static void
note_var(struct script_facts *f, const char *l)
{
	static const char *const kw[] = {"export ", "local ", "readonly ",
	                                 NULL};
	const char *const *k;
	size_t n = 0;

	for (k = kw; *k != NULL; k++)
		if (strncmp(l, *k, strlen(*k)) == 0)
			l += strlen(*k);
	while (l[n] == '_' || (l[n] >= 'A' && l[n] <= 'Z') ||
	       (l[n] >= 'a' && l[n] <= 'z') ||
	       (n > 0 && l[n] >= '0' && l[n] <= '9'))
		n++;
	if (n == 0 || n > UPD_MAX_VARLEN || l[n] != '=' ||
	    f->nvars >= UPD_MAX_VARS || !plain_url(l + n + 1))
		return;
	memcpy(f->vars[f->nvars], l, n);
	f->vars[f->nvars][n] = 0;
	f->nvars++;
}

/* Does the line use one of the remembered URL variables? */
static bool
uses_var(const struct script_facts *f, const char *l)
{
	size_t i, n;
	const char *p;

	for (i = 0; i < f->nvars; i++) {
		n = strlen(f->vars[i]);
		for (p = strchr(l, '$'); p != NULL; p = strchr(p + 1, '$')) {
			const char *v = p[1] == '{' ? p + 2 : p + 1;
			char c;

			if (strncmp(v, f->vars[i], n) != 0)
				continue;
			c = v[n];
			if (!(c == '_' || (c >= 'A' && c <= 'Z') ||
			      (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')))
				return true;
		}
	}
	return false;
}

/* curl with a short option cluster holding k ("-k", "-fsSLk")? */
static bool
curl_k(const char *l)
{
	const char *p = Sl_upd_word(l, "curl");

	if (p == NULL)
		return false;
	for (p = strchr(p, ' '); p != NULL; p = strchr(p + 1, ' ')) {
		const char *t = p + 1;
		size_t i;
		bool k = false;

		if (t[0] != '-' || t[1] == '-' || t[1] == 0)
			continue;
		for (i = 1; (t[i] >= 'a' && t[i] <= 'z') ||
		            (t[i] >= 'A' && t[i] <= 'Z');
		     i++)
			k = k || t[i] == 'k';
		if (k && (t[i] == 0 || t[i] == ' ' || t[i] == '\t'))
			return true;
	}
	return false;
}

/* How the line downloads insecurely (static text), or NULL. */
static const char *
download_how(const struct script_facts *f, const char *l)
{
	bool http = Sl_upd_word(l, "wget") || Sl_upd_word(l, "curl") ||
	            Sl_upd_word(l, "uclient-fetch");

	if (Sl_upd_word(l, "tftp") || Sl_upd_word(l, "atftp"))
		return "over TFTP (no encryption, no authentication)";
	if (Sl_upd_word(l, "ftpget"))
		return "over plain FTP";
	if (!http)
		return NULL;
	if (strstr(l, "--no-check-certificate") || strstr(l, "--insecure") ||
	    curl_k(l))
		return "with TLS certificate verification off";
	if (plain_url(l) || uses_var(f, l))
		return "over plain HTTP";
	return NULL;
}

/*
 * Mask, in place, what looks like a credential on an excerpt: the
 * password of URL user information and long random tokens.  *secret gets
 * the first value masked (NULL when none).  false when the arena is full.
 */
static bool
mask_excerpt(struct sl_scan *s, char *ex, const char **secret)
{
	char *p, *at, *colon;
	size_t n;

	*secret = NULL;
	for (p = strstr(ex, "://"); p != NULL; p = strstr(p, "://")) {
		p += 3;
		n = strcspn(p, "/ \t'\"");
		at = memchr(p, '@', n);
		colon = at != NULL ? memchr(p, ':', (size_t)(at - p)) : NULL;
		if (colon != NULL && at > colon + 1) {
			char *v = Sl_arena_strndup(&s->arena, colon + 1,
			                           (size_t)(at - colon - 1));

			if (v == NULL || !Sl_mask_value(s, ex, v))
				return false;
			if (*secret == NULL)
				*secret = v;
		}
	}
	Sl_mask_tokens(ex, 0, 0);
	return true;
}

#define FIX_INSECURE                                                           \
	"Verify a signature over the downloaded image before it is "           \
	"installed (usign/signify -V or openssl dgst -verify with a public "   \
	"key kept in the read-only image, or a signed FIT, RAUC, SWUpdate or " \
	"Mender artifact), and download over HTTPS with certificate "          \
	"verification.  Evidence for conformance (S1.1-08): the update "       \
	"script with the signature check before the install step, and the "    \
	"document describing that check."

/*
 * Does the lower-case name hold w as a word of its own (between '-', '_'
 * or '.' or the ends), optionally followed by one of the letters in tail?
 */
static bool
name_word(const char *low, const char *w, const char *tail)
{
	size_t i, m = strlen(w), n = strlen(low);
	char c;

	for (i = 0; i + m <= n; i++) {
		if ((i > 0 && !strchr("-_.", low[i - 1])) ||
		    memcmp(low + i, w, m) != 0)
			continue;
		c = low[i + m];
		if (c != 0 && strchr(tail, c) != NULL)
			c = low[i + m + 1];
		if (c == 0 || strchr("-_.", c) != NULL)
			return true;
	}
	return false;
}

/*
 * Is this script a vendor firmware updater by its name: ota (ota.sh,
 * otad, ota-client), fwup*, or firmware/fw with update, upgrade or flash
 * (fw-update, firmware_upgrade, flash-fw)?  Plain "update-*" tools of a
 * distribution (update-rc.d, update-locale, pam-auth-update) are not;
 * a script of any name that installs firmware counts by its content.
 */
static bool
update_named(const char *inner)
{
	const char *b = Sl_upd_base(inner);
	char low[64];
	size_t i, n = strlen(b);
	bool act;

	if (n >= sizeof(low))
		n = sizeof(low) - 1;
	for (i = 0; i < n; i++)
		low[i] = b[i] >= 'A' && b[i] <= 'Z' ? (char)(b[i] + 32) : b[i];
	low[n] = 0;
	if (name_word(low, "ota", "d") || strstr(low, "fwup") != NULL)
		return true;
	act = strstr(low, "update") != NULL || strstr(low, "upgrade") != NULL ||
	      strstr(low, "flash") != NULL;
	return act && (strstr(low, "firmware") != NULL ||
	               name_word(low, "fw", "") || strncmp(low, "fw", 2) == 0);
}

/* A script of a known mechanism (its init script, its helpers). */
static bool
known_tool(const char *inner)
{
	static const char *const names[] = {
	    "sysupgrade*", "swupdate*", "rauc*", "mender*", NULL,
	};

	return strncmp(inner, "lib/upgrade/", 12) == 0 ||
	       Sl_path_any(Sl_upd_base(inner), names);
}

/* ------------------------------------------------------------------ */
/* The run's state                                                      */
/* ------------------------------------------------------------------ */

enum mech { M_SYSUPGRADE, M_SWUPDATE, M_RAUC, M_MENDER, M_APT, M_NMECH };

static const char *const mech_name[M_NMECH] = {
    "OpenWrt sysupgrade", "SWUpdate", "RAUC", "Mender", "APT (Debian packages)",
};

static const char *const mech_files[M_NMECH][5] = {
    {"sbin/sysupgrade", "lib/upgrade/*", NULL},
    {"usr/bin/swupdate", "usr/sbin/swupdate", "etc/swupdate.cfg", NULL},
    {"usr/bin/rauc", "usr/sbin/rauc", "etc/rauc/system.conf", NULL},
    {"usr/bin/mender", "usr/bin/mender-update", "etc/mender/mender.conf", NULL},
    {"usr/bin/apt-get", "usr/bin/apt", NULL},
};

enum kkind { K_SIGNIFY, K_RAUC, K_SWUPDATE, K_MENDER, K_APT, K_FIT, K_NKIND };

static const char *const kind_name[K_NKIND] = {
    "usign/signify public key",
    "RAUC keyring",
    "SWUpdate signature-verification key",
    "Mender artifact verification key",
    "APT repository signing key (OpenPGP keyring)",
    "signed FIT image (signature node)",
};

struct ustate {
	pthread_mutex_t lock;          /* vendor, from the content hooks */
	struct Sl_upd_list vendor;     /* vendor update scripts */
	struct Sl_upd_list unverified; /* those checking no signature */
	/*
	 * Scripts that only hand an image to sysupgrade (LuCI's flash page,
	 * a button handler): the sysupgrade path itself when sysupgrade is
	 * in the image, else vendor scripts of their own.
	 */
	struct Sl_upd_list frontends;
	/* sysupgrade's own scripts: a signature check, a plain download. */
	bool sysup_verify;
	struct Sl_upd_ev sysup_dl;
	const char *sysup_dl_how;
	const struct sl_entry *mech[M_NMECH];
	unsigned mech_rank[M_NMECH]; /* index in mech_files of mech[] */
	struct Sl_upd_list keys[K_NKIND];
	/* A mechanism's key declared in its configuration but absent. */
	struct Sl_upd_ev missing[K_NKIND];
	/* Configuration files to read after the tree pass. */
	const struct sl_entry *rauc_conf, *mender_conf;
	const struct sl_entry *swu_files[UPD_MAX_LIST];
	size_t nswu;
	const struct sl_entry *keycand[UPD_MAX_KEYCAND];
	size_t nkeycand;
	size_t nrefs; /* key references resolved (UPD_MAX_REFS) */
};

static void
add_key(struct ustate *u, enum kkind k, const struct sl_entry *e, uint64_t off,
        const char *excerpt)
{
	const struct Sl_upd_ev ev = {e, off, excerpt, false};

	Sl_upd_list_add(&u->keys[k], &ev);
}

/*
 * The content hook: one script, on one of the unpacking threads.  Adds its
 * insecure-install finding itself (findings are thread-safe) and records
 * a vendor update script under the lock.
 */
static sl_rc
upd_end(struct Sl_file *file)
{
	struct sl_scan *s = file->s;
	struct ustate *u = file->user;
	const struct sl_entry *e = file->e;
	const uint8_t *data = file->data;
	size_t len = file->len;
	struct script_facts *f;
	struct Sl_upd_line *l;
	const char *in = Sl_inner(e), *how, *secret, *title;
	size_t pos = 0;
	char *ex;
	bool insecure;
	sl_rc rc = SL_OK;

	if (!Sl_upd_is_script(e, data, len))
		return SL_OK;
	f = calloc(1, sizeof(*f));
	l = malloc(sizeof(*l));
	if (f == NULL || l == NULL) {
		free(f);
		free(l);
		return SL_E_NOMEM;
	}
	while (Sl_upd_next_line(data, len, &pos, l)) {
		const char *ins = install_cmd(l->buf);

		note_var(f, l->buf);
		if (ins != NULL && f->install == NULL)
			f->install = ins;
		if (verify_cmd(l->buf))
			f->verify = true;
		if (cmd_word(l->buf, "wget") || cmd_word(l->buf, "curl") ||
		    cmd_word(l->buf, "tftp") ||
		    cmd_word(l->buf, "uclient-fetch"))
			f->fetch = true;
	}
	pos = 0;
	while (f->install != NULL && Sl_upd_next_line(data, len, &pos, l)) {
		how = download_how(f, l->buf);
		if (how == NULL)
			continue;
		if (f->ndl++ == 0) {
			f->dl_how = how;
			f->dl_off = l->off;
			memcpy(f->dl_line, l->buf, sizeof(f->dl_line));
		}
	}
	/*
	 * sysupgrade's own scripts are one update path with sysupgrade:
	 * their download and signature check are judged with it (finish).
	 */
	if (known_tool(in)) {
		pthread_mutex_lock(&u->lock);
		u->sysup_verify = u->sysup_verify || f->verify;
		if (f->ndl > 0 && !f->verify &&
		    (u->sysup_dl.e == NULL ||
		     strcmp(e->path, u->sysup_dl.e->path) < 0)) {
			u->sysup_dl.e = e;
			u->sysup_dl.off = f->dl_off;
			u->sysup_dl.excerpt =
			    Sl_arena_strdup(&s->arena, f->dl_line);
			u->sysup_dl_how = f->dl_how;
		}
		pthread_mutex_unlock(&u->lock);
		goto out;
	}
	/* A front end handing a local image to sysupgrade: judged in finish. */
	if (f->install != NULL && strcmp(f->install, "sysupgrade") == 0 &&
	    !f->fetch && f->ndl == 0) {
		const struct Sl_upd_ev ev = {e, 0, NULL, f->verify};

		pthread_mutex_lock(&u->lock);
		Sl_upd_list_add(&u->frontends, &ev);
		pthread_mutex_unlock(&u->lock);
		goto out;
	}
	/*
	 * A vendor update tool: named so, or installing firmware.  One
	 * S1.1-08 finding per update path: a script that downloads in clear
	 * and installs unverified gets FW-UPDATE-INSECURE-INSTALL, which
	 * says more than "no key", so it is not listed as unverified too.
	 */
	insecure = f->ndl > 0 && f->install != NULL && !f->verify;
	if (update_named(in) || f->install != NULL) {
		const struct Sl_upd_ev ev = {e, 0, NULL, f->verify};

		pthread_mutex_lock(&u->lock);
		Sl_upd_list_add(&u->vendor, &ev);
		if (!f->verify && !insecure)
			Sl_upd_list_add(&u->unverified, &ev);
		pthread_mutex_unlock(&u->lock);
	}
	if (insecure) {
		ex = Sl_arena_printf(&s->arena, "%s%s", f->dl_line,
		                     f->ndl > 1 ? " [and more download lines]"
		                                : "");
		if (ex == NULL || !mask_excerpt(s, ex, &secret)) {
			rc = SL_E_NOMEM;
			goto out;
		}
		title = Sl_arena_printf(
		    &s->arena,
		    "firmware downloaded %s and installed (%s) with no "
		    "signature check",
		    f->dl_how, f->install);
		if (title == NULL) {
			rc = SL_E_NOMEM;
			goto out;
		}
		rc = Sl_fw_finding(s, "FW-UPDATE-INSECURE-INSTALL", SL_SEV_HIGH,
		                   "S1.1-08", e, f->dl_off, ex, secret, title,
		                   FIX_INSECURE);
	}
out:
	free(f);
	free(l);
	return rc;
}

/* ------------------------------------------------------------------ */
/* Keys                                                                 */
/* ------------------------------------------------------------------ */

/*
 * A usign/signify public key: "untrusted comment: ..." and, on the next
 * line, the base64 of "Ed", an 8-byte key number and 32 key bytes.
 */
static bool
signify_pub(const uint8_t *d, size_t len)
{
	const uint8_t *nl;
	uint8_t raw[64];
	size_t a, b;
	long n;

	if (len < 19 || memcmp(d, "untrusted comment:", 18) != 0)
		return false;
	nl = memchr(d, '\n', len);
	if (nl == NULL)
		return false;
	a = (size_t)(nl - d) + 1;
	for (b = a; b < len && d[b] != '\n' && d[b] != '\r' && b - a < 200; b++)
		;
	n = Sl_base64_decode((const char *)d + a, b - a, raw, sizeof(raw), 0);
	return n == 42 && raw[0] == 'E' && raw[1] == 'd';
}

/*
 * The entry named path (absolute or relative to dir, "etc/rauc") near e:
 * in e's container first, then in any container.  NULL when absent, when
 * the path climbs out with "..", or when it is too long.
 */
static const struct sl_entry *
find_near(struct sl_scan *s, const struct sl_entry *e, const char *dir,
          const char *path)
{
	const struct sl_entry *c = Sl_upd_container(e), *hit;
	char rel[512];
	size_t i, n;
	int k;

	/* UNTRUSTED: a path from the image's configuration, bounded here. */
	if (path[0] == '/')
		k = snprintf(rel, sizeof(rel), "%s", path + 1);
	else
		k = snprintf(rel, sizeof(rel), "%s/%s", dir, path);
	if (k < 0 || (size_t)k >= sizeof(rel) || strstr(rel, "..") != NULL)
		return NULL;
	while (rel[0] == '.' && rel[1] == '/')
		memmove(rel, rel + 2, strlen(rel + 2) + 1);
	hit = NULL;
	if (c != e) {
		char *full = Sl_arena_printf(&s->arena, "%s!/%s", c->path, rel);

		if (full != NULL)
			hit = sl_tree_find(s, full);
	}
	if (hit != NULL)
		return hit;
	n = sl_tree_count(s);
	for (i = 0; i < n; i++) {
		const struct sl_entry *x = sl_tree_entry(s, i);

		if (x->type != SL_FT_CONTAINER && x->type != SL_FT_REGION &&
		    strstr(x->path, "!/") != NULL &&
		    strcmp(Sl_inner(x), rel) == 0)
			return x;
	}
	return NULL;
}

/* Copy the value that starts at p (quoted or not) into out. */
static void
take_value(const char *p, char *out, size_t cap)
{
	size_t n = 0;
	char q = 0;

	while (*p == ' ' || *p == '\t' || *p == '=' || *p == ':')
		p++;
	if (*p == '"' || *p == '\'')
		q = *p++;
	while (p[n] != 0 && n + 1 < cap &&
	       (q ? p[n] != q
	          : p[n] != ' ' && p[n] != '\t' && p[n] != ';' && p[n] != '"'))
		n++;
	memcpy(out, p, n);
	out[n] = 0;
}

/* Record a key named on a configuration line, or that it is missing. */
static sl_rc
key_ref(struct sl_scan *s, struct ustate *u, enum kkind k,
        const struct sl_entry *conf, const struct Sl_upd_line *l,
        const char *dir, const char *value)
{
	const struct sl_entry *key;
	char *ex;

	/* Each reference may search the whole tree: only so many. */
	if (value[0] == 0 || u->nrefs++ >= UPD_MAX_REFS)
		return SL_OK;
	ex = Sl_arena_strdup(&s->arena, l->buf);
	if (ex == NULL)
		return SL_E_NOMEM;
	/* A variable: the file cannot be resolved; the line is the evidence. */
	if (strchr(value, '$') != NULL) {
		add_key(u, k, conf, l->off, ex);
		return SL_OK;
	}
	key = find_near(s, conf, dir, value);
	if (key != NULL)
		add_key(u, k, key, 0, ex);
	else if (u->missing[k].e == NULL)
		u->missing[k] = (struct Sl_upd_ev){conf, l->off, ex, false};
	return SL_OK;
}

static sl_rc
read_rauc(struct sl_scan *s, struct ustate *u)
{
	const struct sl_entry *e = u->rauc_conf;
	struct Sl_upd_line l;
	const uint8_t *d;
	size_t len, pos = 0;
	bool keyring = false;
	char val[256];
	sl_rc rc = SL_OK;

	if (e == NULL || e->size > UPD_MAX_SCRIPT)
		return SL_OK;
	if (sl_tree_read(s, e, &d, &len) != SL_OK) {
		Sl_incomplete(s, "%s: not checked: %s", e->path,
		              Sl_last_error());
		return SL_OK;
	}
	while (rc == SL_OK && Sl_upd_next_line(d, len, &pos, &l)) {
		if (l.buf[0] == '[') {
			keyring = strncmp(l.buf, "[keyring]", 9) == 0;
			continue;
		}
		if (!keyring || (strncmp(l.buf, "path", 4) != 0 &&
		                 strncmp(l.buf, "directory", 9) != 0))
			continue;
		take_value(strchr(l.buf, '=') ? strchr(l.buf, '=') : "", val,
		           sizeof(val));
		rc = key_ref(s, u, K_RAUC, e, &l, "etc/rauc", val);
	}
	return rc;
}

static sl_rc
read_mender(struct sl_scan *s, struct ustate *u)
{
	const struct sl_entry *e = u->mender_conf;
	struct Sl_upd_line l;
	const uint8_t *d;
	size_t len, pos = 0;
	char val[256];
	sl_rc rc = SL_OK;

	if (e == NULL || e->size > UPD_MAX_SCRIPT)
		return SL_OK;
	if (sl_tree_read(s, e, &d, &len) != SL_OK) {
		Sl_incomplete(s, "%s: not checked: %s", e->path,
		              Sl_last_error());
		return SL_OK;
	}
	while (rc == SL_OK && Sl_upd_next_line(d, len, &pos, &l)) {
		const char *p = strstr(l.buf, "\"ArtifactVerifyKey");

		if (p == NULL || (p = strchr(p + 1, '"')) == NULL ||
		    (p = strchr(p, ':')) == NULL)
			continue;
		p++;
		while (*p == ' ' || *p == '\t' || *p == '[')
			p++;
		take_value(p, val, sizeof(val));
		rc = key_ref(s, u, K_MENDER, e, &l, "etc/mender", val);
	}
	return rc;
}

/* SWUpdate's key: "-k FILE", "--key FILE" or public-key-file = "FILE". */
static sl_rc
read_swupdate(struct sl_scan *s, struct ustate *u, const struct sl_entry *e)
{
	struct Sl_upd_line l;
	const uint8_t *d;
	size_t len, pos = 0;
	char val[256];
	sl_rc rc = SL_OK;

	if (e->size > UPD_MAX_SCRIPT)
		return SL_OK;
	if (sl_tree_read(s, e, &d, &len) != SL_OK) {
		Sl_incomplete(s, "%s: not checked: %s", e->path,
		              Sl_last_error());
		return SL_OK;
	}
	if (!Sl_is_text(d, len))
		return SL_OK;
	while (rc == SL_OK && Sl_upd_next_line(d, len, &pos, &l)) {
		const char *p = NULL;

		if ((p = strstr(l.buf, "public-key-file")) != NULL)
			p += 15;
		else if ((p = Sl_upd_word(l.buf, "-k")) != NULL)
			p += 2;
		else if ((p = strstr(l.buf, "--key")) != NULL &&
		         (p[5] == ' ' || p[5] == '='))
			p += 5;
		else
			continue;
		take_value(p, val, sizeof(val));
		rc = key_ref(s, u, K_SWUPDATE, e, &l, "etc", val);
	}
	return rc;
}

static const char *const key_places[] = {
    "etc/opkg/keys/*",   "etc/keys/*",  "*.pub", "etc/signify/*",
    "usr/share/*keys/*", "etc/*keys/*", NULL,
};
/* OpenPGP keyrings APT checks repository signatures with. */
static const char *const apt_keys[] = {
    "etc/apt/trusted.gpg",
    "etc/apt/trusted.gpg.d/*",
    "usr/share/keyrings/*.gpg",
    "usr/share/keyrings/*.asc",
    NULL,
};
static const char *const swu_places[] = {
    "etc/swupdate.cfg",
    "etc/swupdate/*",
    "etc/default/swupdate",
    "usr/lib/swupdate/*",
    "etc/init.d/*swupdate*",
    "lib/systemd/system/*swupdate*",
    "usr/lib/systemd/system/*swupdate*",
    "etc/systemd/system/*swupdate*",
    NULL,
};

/* One pass over the tree: mechanisms, key candidates, signed FITs. */
static void
tree_pass(struct sl_scan *s, struct ustate *u)
{
	size_t i, n = sl_tree_count(s);
	unsigned m, k;

	for (m = 0; m < M_NMECH; m++)
		u->mech_rank[m] = SL_ARRAY_LEN(mech_files[m]);
	for (i = 0; i < n; i++) {
		const struct sl_entry *e = sl_tree_entry(s, i);
		const char *in, *cf;

		if (e->type == SL_FT_CONTAINER || e->type == SL_FT_REGION ||
		    e->type == SL_FT_DIR || strstr(e->path, "!/") == NULL)
			continue;
		in = Sl_inner(e);
		/* The first file of a mechanism's list is the best evidence. */
		for (m = 0; m < M_NMECH; m++)
			for (k = 0;
			     k < u->mech_rank[m] && mech_files[m][k] != NULL;
			     k++)
				if (Sl_path_any(in,
				                (const char *const[]){
				                    mech_files[m][k], NULL})) {
					u->mech[m] = e;
					u->mech_rank[m] = k;
				}
		if (e->type != SL_FT_REG)
			continue;
		if (strcmp(in, "etc/rauc/system.conf") == 0 &&
		    u->rauc_conf == NULL)
			u->rauc_conf = e;
		if (strcmp(in, "etc/mender/mender.conf") == 0 &&
		    u->mender_conf == NULL)
			u->mender_conf = e;
		if (Sl_path_any(in, swu_places) && u->nswu < UPD_MAX_LIST)
			u->swu_files[u->nswu++] = e;
		if (Sl_path_any(in, apt_keys) && e->size > 0)
			add_key(u, K_APT, e, 0, NULL);
		if (e->size <= 4096 && Sl_path_any(in, key_places) &&
		    u->nkeycand < UPD_MAX_KEYCAND)
			u->keycand[u->nkeycand++] = e;
		cf = Sl_upd_container(e)->format;
		if (e->note != NULL && strstr(e->note, "signed (") != NULL &&
		    cf != NULL && strcmp(cf, "fit") == 0)
			add_key(u, K_FIT, e, 0, e->note);
	}
}

static sl_rc
find_keys(struct sl_scan *s, struct ustate *u)
{
	const uint8_t *d;
	size_t i, len;
	sl_rc rc;

	for (i = 0; i < u->nkeycand; i++) {
		const struct sl_entry *e = u->keycand[i];

		if (sl_tree_read(s, e, &d, &len) != SL_OK) {
			Sl_incomplete(s, "%s: not checked: %s", e->path,
			              Sl_last_error());
			continue;
		}
		if (signify_pub(d, len))
			add_key(u, K_SIGNIFY, e, 0, NULL);
	}
	rc = read_rauc(s, u);
	if (rc == SL_OK)
		rc = read_mender(s, u);
	for (i = 0; rc == SL_OK && i < u->nswu; i++)
		rc = read_swupdate(s, u, u->swu_files[i]);
	return rc;
}

/* ------------------------------------------------------------------ */
/* The version                                                          */
/* ------------------------------------------------------------------ */

struct version {
	const struct sl_entry *e;
	uint64_t off;
	const char *src;
	char v[UPD_MAX_VERSION + 1];
};

static bool
has_digit(const char *p)
{
	for (; *p != 0; p++)
		if (*p >= '0' && *p <= '9')
			return true;
	return false;
}

/* Copy a value, quotes and blanks around it dropped, at most the max. */
static void
clean_value(const char *p, char *out, size_t cap)
{
	size_t n;

	while (*p == ' ' || *p == '\t' || *p == '\'' || *p == '"')
		p++;
	n = strlen(p);
	while (n > 0 && (p[n - 1] == ' ' || p[n - 1] == '\'' ||
	                 p[n - 1] == '"' || p[n - 1] == ';'))
		n--;
	if (n >= cap)
		n = cap - 1;
	memcpy(out, p, n);
	out[n] = 0;
}

/* The value of KEY=... on this line, or NULL. */
static const char *
assigned(const char *line, const char *key)
{
	size_t n = strlen(key);

	return strncmp(line, key, n) == 0 && line[n] == '=' ? line + n + 1
	                                                    : NULL;
}

/*
 * A version-like token in a banner line: it starts with a digit after a
 * blank, 'v' or '(' and holds a dot followed by a digit ("21.02.3").
 * Returns where it starts and its length in *n, or NULL.
 */
static const char *
version_token(const char *l, size_t *n)
{
	const char *p, *dot;
	size_t k;

	for (p = l; *p != 0; p++) {
		if (*p < '0' || *p > '9')
			continue;
		if (p > l && p[-1] != ' ' && p[-1] != 'v' && p[-1] != 'V' &&
		    p[-1] != '(')
			continue;
		k = strcspn(p, " ,;)");
		if (k > UPD_MAX_VERSION)
			k = UPD_MAX_VERSION;
		dot = memchr(p, '.', k);
		if (dot != NULL && dot + 1 < p + k && dot[1] >= '0' &&
		    dot[1] <= '9') {
			*n = k;
			return p;
		}
	}
	return NULL;
}

/* Copy at most cap-1 bytes of a, then " ", then b, into out. */
static void
join(char *out, size_t cap, const char *a, const char *b)
{
	size_t na = strlen(a), nb = strlen(b);

	if (na > cap - 1)
		na = cap - 1;
	memcpy(out, a, na);
	if (nb > 0 && na + 1 < cap - 1) {
		out[na++] = ' ';
		if (nb > cap - 1 - na)
			nb = cap - 1 - na;
		memcpy(out + na, b, nb);
		na += nb;
	}
	out[na] = 0;
}

/*
 * Read one version source.  kind: 0 openwrt_release, 1 os-release, 2 a
 * version file, 3 the banner.  true when a version was found.
 */
static bool
read_version(struct sl_scan *s, const struct sl_entry *e, int kind,
             struct version *v)
{
	struct Sl_upd_line l;
	char rel[UPD_MAX_VERSION + 1] = "", rev[UPD_MAX_VERSION + 1] = "";
	const uint8_t *d;
	const char *p;
	size_t len, pos = 0, n;
	uint64_t off = 0;

	if (e->size > 4096 || sl_tree_read(s, e, &d, &len) != SL_OK ||
	    !Sl_is_text(d, len))
		return false;
	while (Sl_upd_next_line(d, len, &pos, &l)) {
		if (kind == 0) {
			if ((p = assigned(l.buf, "DISTRIB_RELEASE")) != NULL) {
				clean_value(p, rel, sizeof(rel));
				off = l.off;
			} else if ((p = assigned(l.buf, "DISTRIB_REVISION")) !=
			           NULL) {
				clean_value(p, rev, sizeof(rev));
			}
		} else if (kind == 1) {
			if ((p = assigned(l.buf, "VERSION_ID")) != NULL ||
			    (rel[0] == 0 &&
			     (p = assigned(l.buf, "VERSION")) != NULL)) {
				clean_value(p, rel, sizeof(rel));
				off = l.off;
			}
		} else if (kind == 2) {
			p = strchr(l.buf, '=');
			clean_value(p != NULL ? p + 1 : l.buf, rel,
			            sizeof(rel));
			off = l.off;
			break;
		} else if ((p = version_token(l.buf, &n)) != NULL) {
			memcpy(rel, p, n);
			rel[n] = 0;
			off = l.off;
			break;
		}
	}
	if (!has_digit(rel) && !has_digit(rev))
		return false;
	if (strcmp(rel, rev) == 0)
		rev[0] = 0;
	join(v->v, sizeof(v->v), rel[0] != 0 ? rel : rev,
	     rel[0] != 0 ? rev : "");
	v->e = e;
	v->off = off;
	return true;
}

/* The description in a uImage or FIT kernel's note ("..: NAME; ..."). */
static bool
kernel_name(struct sl_scan *s, const struct sl_entry *e, struct version *v)
{
	const char *c, *p;
	size_t n;

	if (e->type != SL_FT_REG || e->note == NULL ||
	    strstr(e->path, "!/") == NULL)
		return false;
	c = Sl_upd_container(e)->format;
	if (c == NULL || (strcmp(c, "uimage") != 0 && strcmp(c, "fit") != 0) ||
	    (strncmp(e->note, "kernel", 6) != 0 &&
	     strncmp(e->note, "firmware", 8) != 0))
		return false;
	p = strstr(e->note, ": ");
	if (p == NULL)
		return false;
	p += 2;
	n = strcspn(p, ";");
	if (n > UPD_MAX_VERSION)
		n = UPD_MAX_VERSION;
	memcpy(v->v, p, n);
	v->v[n] = 0;
	if (!has_digit(v->v))
		return false;
	v->e = e;
	v->off = 0;
	v->src = Sl_arena_printf(&s->arena, "the name of the %s image", c);
	return v->src != NULL;
}

static bool
find_version(struct sl_scan *s, struct version *v)
{
	static const struct {
		const char *pat;
		int kind;
	} src[] = {
	    {"etc/openwrt_release", 0}, {"etc/os-release", 1},
	    {"usr/lib/os-release", 1},  {"etc/version", 2},
	    {"etc/*version*", 2},       {"etc/banner", 3},
	};
	size_t i, j, n = sl_tree_count(s);

	for (j = 0; j < SL_ARRAY_LEN(src); j++)
		for (i = 0; i < n; i++) {
			const struct sl_entry *e = sl_tree_entry(s, i);

			if (e->type != SL_FT_REG ||
			    strstr(e->path, "!/") == NULL ||
			    !Sl_path_any(Sl_inner(e), (const char *const[]){
			                                  src[j].pat, NULL}))
				continue;
			if (read_version(s, e, src[j].kind, v)) {
				v->src = Sl_inner(e);
				return true;
			}
		}
	for (i = 0; i < n; i++)
		if (kernel_name(s, sl_tree_entry(s, i), v))
			return true;
	return false;
}

/* ------------------------------------------------------------------ */
/* Findings about the image as a whole                                  */
/* ------------------------------------------------------------------ */

#define FIX_INFO_MECH                                                          \
	"Nothing to change.  Evidence for S1.1-06: this mechanism, plus a "    \
	"device check that reads the version and shows an update can be "      \
	"installed (`starlab device`)."
#define FIX_VERSION                                                            \
	"Nothing to change in the image.  S1.1-06 also needs the version "     \
	"to be readable on the device (web UI, SSH command or SNMP) and to "   \
	"stay the same after a power cycle (`starlab device`, snapshots)."
#define FIX_KEY                                                                \
	"Nothing to change.  Evidence for S1.1-08: this key, the update "      \
	"script or tool that checks with it before installing, and the "       \
	"document describing the check; `--update-key` verifies a release "    \
	"image against it."
#define FIX_NO_KEY                                                             \
	"Sign every release and ship the public key in the read-only image "   \
	"(a usign/signify key in /etc/opkg/keys, the RAUC keyring, "           \
	"SWUpdate's -k key, Mender's ArtifactVerifyKey, or a FIT signed with " \
	"mkimage -k), and make the updater refuse images that do not "         \
	"verify.  Evidence for conformance (S1.1-08): the key in the image, "  \
	"the verification step, and `starlab firmware --update-key` "          \
	"verifying a release image."

/* Is e a usign key of the package feeds (opkg's keys)? */
static bool
feed_key(const struct Sl_upd_ev *ev)
{
	return strncmp(Sl_inner(ev->e), "etc/opkg/keys/", 14) == 0;
}

/*
 * The sysupgrade path: one S1.1-08 finding at most, whatever number of
 * its scripts download or front ends start it.
 */
static sl_rc
report_sysupgrade(struct sl_scan *s, struct ustate *u, bool keyed)
{
	const struct Sl_upd_ev *miss = &u->missing[K_SIGNIFY];
	const char *t, *ex, *secret = NULL;
	char *dl = NULL;
	size_t i;
	sl_rc rc;

	ex = Sl_inner(u->mech[M_SYSUPGRADE]);
	for (i = 0; i < u->frontends.n && ex != NULL; i++)
		ex = Sl_arena_printf(&s->arena, "%s%s%s", ex,
		                     i == 0 ? "; started by " : ", ",
		                     Sl_inner(u->frontends.v[i].e));
	if (ex == NULL)
		return SL_E_NOMEM;
	t = Sl_arena_printf(&s->arena, "update mechanism: %s",
	                    mech_name[M_SYSUPGRADE]);
	if (t == NULL)
		return SL_E_NOMEM;
	rc =
	    Sl_fw_finding(s, "FW-UPDATE-MECHANISM", SL_SEV_INFO, "S1.1-06",
	                  u->mech[M_SYSUPGRADE], 0, ex, NULL, t, FIX_INFO_MECH);
	if (rc != SL_OK || keyed)
		return rc;
	if (u->sysup_dl.e != NULL) {
		dl = Sl_arena_printf(
		    &s->arena, "%s; %s: %s", ex, Sl_inner(u->sysup_dl.e),
		    u->sysup_dl.excerpt ? u->sysup_dl.excerpt : "");
		if (dl == NULL || !mask_excerpt(s, dl, &secret))
			return SL_E_NOMEM;
		ex = dl;
	}
	t = Sl_arena_printf(
	    &s->arena,
	    "%s installs images without checking a signature (%s)%s%s",
	    mech_name[M_SYSUPGRADE],
	    miss->e != NULL ? "the configured key is not in the image"
	                    : "no check and no key on its install path",
	    u->sysup_dl.e != NULL ? ", including images fetched " : "",
	    u->sysup_dl.e != NULL ? u->sysup_dl_how : "");
	if (t == NULL)
		return SL_E_NOMEM;
	return Sl_fw_finding(s, "FW-UPDATE-NO-VERIFY-KEY", SL_SEV_HIGH,
	                     "S1.1-08", u->mech[M_SYSUPGRADE], 0, ex, secret, t,
	                     FIX_NO_KEY);
}

static sl_rc
report_mechanisms(struct sl_scan *s, struct ustate *u)
{
	size_t anykey = 0, k, i;
	unsigned m;
	sl_rc rc = SL_OK;
	bool any, feed_used;
	static const enum kkind own[M_NMECH] = {K_SIGNIFY, K_SWUPDATE, K_RAUC,
	                                        K_MENDER, K_APT};

	/*
	 * opkg's keys verify packages; they are firmware keys only when an
	 * update path checks a signature (usign -V, fwtool): a key counts
	 * for S1.1-08 only if the install path uses it.
	 */
	feed_used = u->sysup_verify;
	for (i = 0; i < u->vendor.n; i++)
		feed_used = feed_used || u->vendor.v[i].flag;
	if (!feed_used) {
		struct Sl_upd_list kept = {0};

		for (i = 0; i < u->keys[K_SIGNIFY].n; i++)
			if (!feed_key(&u->keys[K_SIGNIFY].v[i]))
				Sl_upd_list_add(&kept,
				                &u->keys[K_SIGNIFY].v[i]);
		u->keys[K_SIGNIFY] = kept;
	}
	/* Front ends without sysupgrade in the image are update paths. */
	if (u->mech[M_SYSUPGRADE] == NULL)
		for (i = 0; i < u->frontends.n; i++) {
			Sl_upd_list_add(&u->vendor, &u->frontends.v[i]);
			if (!u->frontends.v[i].flag)
				Sl_upd_list_add(&u->unverified,
				                &u->frontends.v[i]);
		}
	any = u->vendor.total > 0;
	for (k = 0; k < K_NKIND; k++)
		anykey += u->keys[k].total;
	for (m = 0; m < M_NMECH && rc == SL_OK; m++) {
		const struct Sl_upd_ev *miss = &u->missing[own[m]];
		const char *t, *ex;
		bool keyed;

		if (u->mech[m] == NULL)
			continue;
		any = true;
		keyed = u->keys[own[m]].total > 0 ||
		        (m == M_SYSUPGRADE && u->keys[K_FIT].total > 0);
		if (m == M_SYSUPGRADE) {
			/* A usign key without a check on the path is no key. */
			keyed =
			    u->keys[K_FIT].total > 0 ||
			    (u->keys[K_SIGNIFY].total > 0 && u->sysup_verify);
			rc = report_sysupgrade(s, u, keyed);
			continue;
		}
		t = Sl_arena_printf(&s->arena, "update mechanism: %s",
		                    mech_name[m]);
		if (t == NULL)
			return SL_E_NOMEM;
		rc =
		    Sl_fw_finding(s, "FW-UPDATE-MECHANISM", SL_SEV_INFO,
		                  "S1.1-06", u->mech[m], 0,
		                  Sl_inner(u->mech[m]), NULL, t, FIX_INFO_MECH);
		if (rc != SL_OK || keyed)
			continue;
		t = Sl_arena_printf(
		    &s->arena,
		    "%s installs updates without a signature "
		    "verification key (%s)",
		    mech_name[m],
		    miss->e != NULL ? "the configured key is not in the image"
		                    : "no key in the image");
		ex = miss->e != NULL ? miss->excerpt : Sl_inner(u->mech[m]);
		if (t == NULL)
			return SL_E_NOMEM;
		rc = Sl_fw_finding(
		    s, "FW-UPDATE-NO-VERIFY-KEY", SL_SEV_HIGH, "S1.1-08",
		    miss->e != NULL ? miss->e : u->mech[m],
		    miss->e != NULL ? miss->off : 0, ex, NULL, t, FIX_NO_KEY);
	}
	if (rc == SL_OK)
		rc = Sl_upd_report_list(
		    s, &u->vendor, "FW-UPDATE-MECHANISM", SL_SEV_INFO,
		    "S1.1-06", "update mechanism: vendor update script",
		    FIX_INFO_MECH);
	if (rc == SL_OK && anykey == 0)
		rc = Sl_upd_report_list(
		    s, &u->unverified, "FW-UPDATE-NO-VERIFY-KEY", SL_SEV_HIGH,
		    "S1.1-08",
		    "vendor update script, and no signature verification key "
		    "in the image nor a signature check in the script",
		    FIX_NO_KEY);
	if (rc == SL_OK && !any) {
		/*
		 * Absence is not a defect: vendor firmware often updates from
		 * inside its web server or a daemon, which no script shows.
		 */
		Sl_not_judged(
		    s, "S1.1-06", SL_SRC_FIRMWARE,
		    "no update mechanism in the image's scripts "
		    "(searched: sbin/sysupgrade, lib/upgrade, "
		    "swupdate, rauc, mender, apt, and scripts named "
		    "ota, fwup*, firmware/fw with update, upgrade or "
		    "flash, or writing a flash partition); it may be "
		    "built into a binary such as the web server: show "
		    "the update on the device");
		Sl_not_judged(s, "S1.1-08", SL_SRC_FIRMWARE,
		              "no update path in the image's scripts, so how "
		              "updates are verified could not be read from the "
		              "firmware: describe the check in the profile");
	}
	for (k = 0; k < K_NKIND && rc == SL_OK; k++) {
		const char *t = Sl_arena_printf(
		    &s->arena, "update verification key: %s", kind_name[k]);

		if (t == NULL)
			return SL_E_NOMEM;
		rc = Sl_upd_report_list(s, &u->keys[k], "FW-UPDATE-VERIFY-KEY",
		                        SL_SEV_INFO, "S1.1-08", t, FIX_KEY);
	}
	return rc;
}

static sl_rc
report_version(struct sl_scan *s, const struct sl_entry *root)
{
	struct version v;
	const char *t;

	memset(&v, 0, sizeof(v));
	(void)root;
	if (!find_version(s, &v)) {
		/* Vendor firmware often keeps it in a binary or a header. */
		Sl_not_judged(s, "S1.1-06", SL_SRC_FIRMWARE,
		              "no version file in the image (searched: "
		              "etc/openwrt_release, etc/os-release, "
		              "usr/lib/os-release, etc/version, etc/*version*, "
		              "etc/banner, uImage and FIT kernel names): read "
		              "the version on the device");
		return SL_OK;
	}
	t = Sl_arena_printf(&s->arena,
	                    "firmware version recorded in the image: %s (%s)",
	                    v.v, v.src);
	if (t == NULL)
		return SL_E_NOMEM;
	return Sl_fw_finding(s, "FW-VERSION", SL_SEV_INFO, "S1.1-06", v.e,
	                     v.off, v.v, NULL, t, FIX_VERSION);
}

/* ------------------------------------------------------------------ */
/* The check                                                            */
/* ------------------------------------------------------------------ */

static sl_rc
upd_prepare(struct sl_scan *s, struct Sl_grep_job *job)
{
	static const struct Sl_grep_ops ops = {
	    .who = "fw.update",
	    .want = Sl_upd_want_script,
	    .end = upd_end,
	};
	struct ustate *u = calloc(1, sizeof(*u));

	if (u == NULL || pthread_mutex_init(&u->lock, NULL) != 0) {
		free(u);
		return Sl_fail(s, SL_E_NOMEM, "fw.update: out of memory");
	}
	job->p = NULL;
	job->ops = &ops;
	job->user = u;
	return SL_OK;
}

/*
 * After the content pass: the whole-image findings (when the image holds
 * an operating system) and the signature check with --update-key.
 */
static sl_rc
upd_finish(struct sl_scan *s, struct Sl_grep_job *job, sl_rc rc)
{
	struct ustate *u = job->user;
	const struct sl_entry *root;

	if (u == NULL)
		return rc;
	root = rc == SL_OK ? Sl_upd_os_root(s) : NULL;
	if (root == NULL && rc == SL_OK) {
		Sl_not_judged(s, "S1.1-06", SL_SRC_FIRMWARE,
		              "the image holds no operating system (no "
		              "/bin/sh, BusyBox, init, procd or systemd), so "
		              "its update mechanism and version could not be "
		              "judged; assess the image with the root "
		              "filesystem");
		Sl_not_judged(s, "S1.1-08", SL_SRC_FIRMWARE,
		              "the image holds no operating system, so how "
		              "updates are verified could not be judged; "
		              "assess the image with the root filesystem");
	}
	if (root != NULL && Sl_upd_is_package(s)) {
		Sl_not_judged(s, "S1.1-06", SL_SRC_FIRMWARE,
		              "the image is a single software package (ipk, "
		              "deb or apk), not a firmware image: its update "
		              "mechanism and version are the product's, not "
		              "the package's");
		Sl_not_judged(s, "S1.1-08", SL_SRC_FIRMWARE,
		              "the image is a single software package, not a "
		              "firmware image");
		root = NULL;
	}
	if (root != NULL) {
		tree_pass(s, u);
		rc = find_keys(s, u);
		if (rc == SL_OK)
			rc = report_mechanisms(s, u);
		if (rc == SL_OK)
			rc = report_version(s, root);
	}
	pthread_mutex_destroy(&u->lock);
	free(u);
	job->user = NULL;
	if (rc == SL_E_NOMEM)
		return Sl_fail(s, rc, "fw.update: out of memory");
	if (rc == SL_OK && s->update_key != NULL)
		rc = Sl_upd_verify(s);
	return rc;
}

const struct Sl_check Sl_check_update = {
    .id = "fw.update",
    .title = "Update mechanism, version and update integrity",
    .covers = {"S1.1-06", "S1.1-08", NULL},
    .source = SL_SRC_FIRMWARE,
    .prepare = upd_prepare,
    .finish = upd_finish,
};
