/*
 * update_scripts.c - the scripts of fw.update (update_check.h): which
 * command downloads, which installs firmware, which checks a signature,
 * and the content hook that reads each script once in the shared pass
 * (FW-UPDATE-INSECURE-INSTALL, vendor update scripts, sysupgrade's own
 * scripts and the front ends that start it).
 *
 * Input: every script is untrusted; lines are cut at UPD_MAX_LINE and at
 * most UPD_MAX_VARS URL variables are remembered per script.  Nothing
 * from the image is executed.
 */
#include <stdio.h>
#include <stdlib.h>

#include "update_check.h"

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
bool
Sl_upd_mask_excerpt(struct sl_scan *s, char *ex, const char **secret)
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

/*
 * The content hook: one script, on one of the unpacking threads.  Adds its
 * insecure-install finding itself (findings are thread-safe) and records
 * a vendor update script under the lock.
 */
sl_rc
Sl_upd_end(struct Sl_file *file)
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
		if (ex == NULL || !Sl_upd_mask_excerpt(s, ex, &secret)) {
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
		rc = Sl_report(s, &Sl_upd_findings[UPD_F_INSECURE],
		               &(struct Sl_at){.e = e,
		                               .off = f->dl_off,
		                               .excerpt = ex,
		                               .secret = secret,
		                               .title = title});
	}
out:
	free(f);
	free(l);
	return rc;
}
