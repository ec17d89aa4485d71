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
 *
 * This file holds the check, its findings, the helpers update.h shares
 * with fw.reset and the findings about the image as a whole; scripts,
 * keys, the version and the signature have files of their own
 * (update_check.h lists them).
 */
#include <stdio.h>
#include <stdlib.h>

#include "update_check.h"

#define FIX_INSECURE                                                           \
	"Verify a signature over the downloaded image before it is "           \
	"installed (usign/signify -V or openssl dgst -verify with a public "   \
	"key kept in the read-only image, or a signed FIT, RAUC, SWUpdate or " \
	"Mender artifact), and download over HTTPS with certificate "          \
	"verification.  Evidence for conformance (S1.1-08): the update "       \
	"script with the signature check before the install step, and the "    \
	"document describing that check."

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

#define FIX_VALID                                                              \
	"Nothing to change.  Evidence for S1.1-08: this verification, plus "   \
	"the updater's own check (the boot loader's FIT key, or the update "   \
	"tool's key) and the document describing it."
#define FIX_INVALID                                                            \
	"The image's signature does not verify with the key given: sign the "  \
	"release with the vendor's update key (or pass the right "             \
	"--update-key), and make the updater refuse an image that does not "   \
	"verify.  Evidence for conformance (S1.1-08): a release image whose "  \
	"signature verifies with the key the device trusts."
#define FIX_UNSIGNED                                                           \
	"Sign the release image (a FIT signed with mkimage -k, a usign/"       \
	"signify or openssl signature shipped with it, or a signed RAUC, "     \
	"SWUpdate or Mender artifact) and have the device verify it before "   \
	"installing.  Evidence for conformance (S1.1-08): the signed image "   \
	"verifying with `starlab firmware --update-key`."

/* What this check reports (check.h: findings as data). */
const struct Sl_finding_def Sl_upd_findings[] = {
    [UPD_F_INSECURE] = {"FW-UPDATE-INSECURE-INSTALL",
                        SL_SEV_HIGH,
                        {"S1.1-08"},
                        "Firmware downloaded insecurely and installed with "
                        "no signature check",
                        FIX_INSECURE},
    [UPD_F_MECH] = {"FW-UPDATE-MECHANISM",
                    SL_SEV_INFO,
                    {"S1.1-06"},
                    "Update mechanism",
                    FIX_INFO_MECH},
    [UPD_F_NO_KEY] = {"FW-UPDATE-NO-VERIFY-KEY",
                      SL_SEV_HIGH,
                      {"S1.1-08"},
                      "Updates installed without a signature verification "
                      "key",
                      FIX_NO_KEY},
    [UPD_F_KEY] = {"FW-UPDATE-VERIFY-KEY",
                   SL_SEV_INFO,
                   {"S1.1-08"},
                   "Update verification key",
                   FIX_KEY},
    [UPD_F_VERSION] = {"FW-VERSION",
                       SL_SEV_INFO,
                       {"S1.1-06"},
                       "Firmware version recorded in the image",
                       FIX_VERSION},
    [UPD_F_SIG_VALID] = {"FW-UPDATE-SIGNATURE-VALID",
                         SL_SEV_INFO,
                         {"S1.1-08"},
                         "Image signature verifies with the update key",
                         FIX_VALID},
    [UPD_F_SIG_INVALID] = {"FW-UPDATE-SIGNATURE-INVALID",
                           SL_SEV_HIGH,
                           {"S1.1-08"},
                           "Image signature does not verify with the update "
                           "key",
                           FIX_INVALID},
    [UPD_F_UNSIGNED] = {"FW-UPDATE-UNSIGNED",
                        SL_SEV_HIGH,
                        {"S1.1-08"},
                        "image carries no signature",
                        FIX_UNSIGNED},
    {NULL},
};

/* The mechanisms and the kinds of key (update_check.h). */
const char *const Sl_upd_mech_name[M_NMECH] = {
    "OpenWrt sysupgrade", "SWUpdate", "RAUC", "Mender", "APT (Debian packages)",
};

const char *const Sl_upd_mech_files[M_NMECH][5] = {
    {"sbin/sysupgrade", "lib/upgrade/*", NULL},
    {"usr/bin/swupdate", "usr/sbin/swupdate", "etc/swupdate.cfg", NULL},
    {"usr/bin/rauc", "usr/sbin/rauc", "etc/rauc/system.conf", NULL},
    {"usr/bin/mender", "usr/bin/mender-update", "etc/mender/mender.conf", NULL},
    {"usr/bin/apt-get", "usr/bin/apt", NULL},
};

const char *const Sl_upd_kind_name[K_NKIND] = {
    "usign/signify public key",
    "RAUC keyring",
    "SWUpdate signature-verification key",
    "Mender artifact verification key",
    "APT repository signing key (OpenPGP keyring)",
    "signed FIT image (signature node)",
};

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
                   const struct Sl_finding_def *d, const char *title)
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
		rc = Sl_report(s, d,
		               &(struct Sl_at){.e = l->v[i].e,
		                               .off = l->v[i].off,
		                               .excerpt = ex,
		                               .title = title});
	}
	return rc;
}

sl_rc
Sl_upd_report_one(struct sl_scan *s, const struct Sl_upd_list *l,
                  const struct Sl_finding_def *d, const char *title)
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
	return Sl_report(s, d,
	                 &(struct Sl_at){.e = l->v[0].e,
	                                 .off = l->v[0].off,
	                                 .excerpt = ex,
	                                 .title = title});
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
/* Findings about the image as a whole                                  */
/* ------------------------------------------------------------------ */

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
	                    Sl_upd_mech_name[M_SYSUPGRADE]);
	if (t == NULL)
		return SL_E_NOMEM;
	rc = Sl_report(s, &Sl_upd_findings[UPD_F_MECH],
	               &(struct Sl_at){.e = u->mech[M_SYSUPGRADE],
	                               .excerpt = ex,
	                               .title = t});
	if (rc != SL_OK || keyed)
		return rc;
	if (u->sysup_dl.e != NULL) {
		dl = Sl_arena_printf(
		    &s->arena, "%s; %s: %s", ex, Sl_inner(u->sysup_dl.e),
		    u->sysup_dl.excerpt ? u->sysup_dl.excerpt : "");
		if (dl == NULL || !Sl_upd_mask_excerpt(s, dl, &secret))
			return SL_E_NOMEM;
		ex = dl;
	}
	t = Sl_arena_printf(
	    &s->arena,
	    "%s installs images without checking a signature (%s)%s%s",
	    Sl_upd_mech_name[M_SYSUPGRADE],
	    miss->e != NULL ? "the configured key is not in the image"
	                    : "no check and no key on its install path",
	    u->sysup_dl.e != NULL ? ", including images fetched " : "",
	    u->sysup_dl.e != NULL ? u->sysup_dl_how : "");
	if (t == NULL)
		return SL_E_NOMEM;
	return Sl_report(s, &Sl_upd_findings[UPD_F_NO_KEY],
	                 &(struct Sl_at){.e = u->mech[M_SYSUPGRADE],
	                                 .excerpt = ex,
	                                 .secret = secret,
	                                 .title = t});
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
		                    Sl_upd_mech_name[m]);
		if (t == NULL)
			return SL_E_NOMEM;
		rc = Sl_report(s, &Sl_upd_findings[UPD_F_MECH],
		               &(struct Sl_at){.e = u->mech[m],
		                               .excerpt = Sl_inner(u->mech[m]),
		                               .title = t});
		if (rc != SL_OK || keyed)
			continue;
		t = Sl_arena_printf(
		    &s->arena,
		    "%s installs updates without a signature "
		    "verification key (%s)",
		    Sl_upd_mech_name[m],
		    miss->e != NULL ? "the configured key is not in the image"
		                    : "no key in the image");
		ex = miss->e != NULL ? miss->excerpt : Sl_inner(u->mech[m]);
		if (t == NULL)
			return SL_E_NOMEM;
		rc = Sl_report(
		    s, &Sl_upd_findings[UPD_F_NO_KEY],
		    &(struct Sl_at){.e = miss->e != NULL ? miss->e : u->mech[m],
		                    .off = miss->e != NULL ? miss->off : 0,
		                    .excerpt = ex,
		                    .title = t});
	}
	if (rc == SL_OK)
		rc = Sl_upd_report_list(
		    s, &u->vendor, &Sl_upd_findings[UPD_F_MECH],
		    "update mechanism: vendor update script");
	if (rc == SL_OK && anykey == 0)
		rc = Sl_upd_report_list(
		    s, &u->unverified, &Sl_upd_findings[UPD_F_NO_KEY],
		    "vendor update script, and no signature verification key "
		    "in the image nor a signature check in the script");
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
		const char *t =
		    Sl_arena_printf(&s->arena, "update verification key: %s",
		                    Sl_upd_kind_name[k]);

		if (t == NULL)
			return SL_E_NOMEM;
		rc = Sl_upd_report_list(s, &u->keys[k],
		                        &Sl_upd_findings[UPD_F_KEY], t);
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
	if (!Sl_upd_find_version(s, &v)) {
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
	return Sl_report(
	    s, &Sl_upd_findings[UPD_F_VERSION],
	    &(struct Sl_at){
	        .e = v.e, .off = v.off, .excerpt = v.v, .title = t});
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
	    .end = Sl_upd_end,
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
		Sl_upd_tree_pass(s, u);
		rc = Sl_upd_find_keys(s, u);
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
    .findings = Sl_upd_findings,
    .source = SL_SRC_FIRMWARE,
    .prepare = upd_prepare,
    .finish = upd_finish,
};
