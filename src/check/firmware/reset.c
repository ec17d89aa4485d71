/*
 * reset.c - erasing user data (S1.1-15) and keeping what the user set
 * across a reboot (S1.1-14), as far as the image shows them: fw.reset.
 *
 * Factory reset.  Evidence of a way to erase user data:
 *   - the tools: sbin/firstboot, jffs2reset, factoryreset, a reset button
 *     handler (etc/rc.button/reset), files named *factory*reset*,
 *     *factory*default*, *reset*default*, *restore*default*;
 *   - script lines running firstboot, jffs2reset, factoryreset, erasing a
 *     data partition (mtd erase, flash_erase, flash_eraseall, ubiformat,
 *     ubirmvol of rootfs_data, data, overlay, userdata, config, nvram ...),
 *     removing /overlay, /data or /etc/config recursively, or nvram erase;
 *   - sysupgrade -n (which keeps no settings) only where a user triggers
 *     it: a button handler, the web UI (www, LuCI, CGI) or a script named
 *     for a reset.  An update script that wipes the settings on every
 *     update is not a way for the user to erase their data.
 * All of them are one cause: one FW-RESET-MECHANISM (info) at the first,
 * naming the others.  None is no finding: vendor firmware erases user data
 * from its own binaries (the web server, a button daemon), which no script
 * shows, so S1.1-15 is then not judged from the firmware and the report
 * says why (absence in the firmware is never non-conformant).
 *
 * Persistence.  Where the credentials (etc/shadow, else etc/passwd) live:
 * on a writable filesystem (jffs2, ubifs, ext) the password a user sets
 * can be stored; on squashfs, cramfs or an initramfs it cannot, unless a
 * writable layer is in the image (a jffs2, ubifs or ext partition) or
 * something mounts one (fstools' mount_root, an overlay or data mount in
 * fstab, preinit or an init script): FW-PERSIST-WRITABLE (info), one
 * finding with every place that mounts it.  With none of these, S1.1-14
 * is not judged from the firmware (a vendor daemon may keep settings in a
 * raw configuration partition) and the reason names the credential file.
 * This is a hint either way: only the device's snapshot and power cycle
 * show that settings survive.  A single package archive (ipk, deb, apk)
 * is not a firmware image and is not judged at all.
 *
 * Both parts need an operating-system root in the image (update.h).
 * Input: untrusted files, read through the bounded line reader of
 * update.c; each kind of evidence is listed at most UPD_MAX_LIST times.
 */
#include <stdio.h>
#include <stdlib.h>

#include "scan.h"
#include "update.h"

/*
 * What this check reports (check.h: findings as data).  Where the
 * credentials can be kept is one finding; its title says what shows it.
 */
enum { F_RESET, F_PERSIST };
static const struct Sl_finding_def findings[] = {
    [F_RESET] = {"FW-RESET-MECHANISM",
                 SL_SEV_INFO,
                 {"S1.1-15"},
                 "way to erase user data found",
                 "Nothing to change.  Evidence for S1.1-15: the document "
                 "telling users how to erase their data, and a device "
                 "check around a factory reset (`starlab snapshot` before "
                 "and after): user credentials gone, firmware version "
                 "unchanged."},
    [F_PERSIST] = {"FW-PERSIST-WRITABLE",
                   SL_SEV_INFO,
                   {"S1.1-14"},
                   "writable storage for the user's settings",
                   "Nothing to change in the image.  Evidence for S1.1-14: "
                   "snapshots around a power cycle (`starlab snapshot`) "
                   "showing the password the user set still works, the "
                   "default fails, and the version is kept."},
    {NULL},
};

struct rstate {
	pthread_mutex_t lock; /* the lists, from the content hooks */
	struct Sl_upd_list reset, mount;
};

static const char *const reset_files[] = {
    "sbin/firstboot",
    "sbin/jffs2reset",
    "usr/sbin/jffs2reset",
    "sbin/factoryreset",
    "usr/sbin/factoryreset",
    "etc/rc.button/reset",
    NULL,
};
static const char *const reset_names[] = {
    "*factory*reset*", "*factoryreset*",    "*factory*default*",
    "*reset*default*", "*restore*default*", NULL,
};
static const char *const reset_tops[] = {
    "bin/*", "sbin/*", "usr/*", "etc/*", "lib/*", "www/*", NULL,
};
/* Where a user, not an update, triggers what runs. */
static const char *const user_places[] = {
    "etc/rc.button/*",
    "etc/hotplug.d/button/*",
    "www/*",
    "usr/lib/lua/luci/*",
    "*cgi*",
    "*reset*",
    "*factory*",
    "*default*",
    NULL,
};
/* Names of partitions or directories that hold user data. */
static const char *const data_words[] = {
    "rootfs_data", "data",     "overlay", "userdata", "config", "nvram",
    "jffs2",       "settings", "cfg",     "user",     NULL,
};
/* Filesystems the device can write and keep. */
static const char *const rw_formats[] = {"jffs2", "ubifs", "ext", NULL};
static const char *const mount_types[] = {
    "jffs2",   "ubifs",     "ext4", "ext3",   "ext2", "f2fs",
    "overlay", "overlayfs", "vfat", "yaffs2", NULL,
};

/* Add evidence to a list under the lock; false when out of memory. */
static bool
add_ev(struct sl_scan *s, struct rstate *r, struct Sl_upd_list *l,
       const struct sl_entry *e, uint64_t off, const char *line)
{
	struct Sl_upd_ev ev = {e, off, NULL, false};

	if (line != NULL &&
	    (ev.excerpt = Sl_arena_strdup(&s->arena, line)) == NULL)
		return false;
	pthread_mutex_lock(&r->lock);
	Sl_upd_list_add(l, &ev);
	pthread_mutex_unlock(&r->lock);
	return true;
}

/* A reset tool by its name (the tree pass lists it). */
static bool
reset_named(const char *in)
{
	return Sl_path_any(in, reset_files) ||
	       (Sl_path_any(in, reset_tops) &&
	        Sl_path_any(Sl_upd_base(in), reset_names));
}

static bool
any_word(const char *l, const char *const *words)
{
	for (; *words != NULL; words++)
		if (Sl_upd_word(l, *words) != NULL)
			return true;
	return false;
}

static bool
name_any(const char *name, const char *const *list)
{
	for (; *list != NULL; list++)
		if (strcmp(name, *list) == 0)
			return true;
	return false;
}

/* Does this script line erase user data? */
static bool
reset_line(const char *in, const char *l)
{
	if (Sl_upd_word(l, "firstboot") || Sl_upd_word(l, "jffs2reset") ||
	    Sl_upd_word(l, "factoryreset") || Sl_upd_word(l, "factory_reset") ||
	    Sl_upd_word(l, "factory-reset"))
		return true;
	if (Sl_upd_word(l, "mtd") && Sl_upd_word(l, "erase") &&
	    any_word(l, data_words))
		return true;
	if ((Sl_upd_word(l, "flash_erase") ||
	     Sl_upd_word(l, "flash_eraseall") || Sl_upd_word(l, "ubiformat") ||
	     Sl_upd_word(l, "ubirmvol")) &&
	    any_word(l, data_words))
		return true;
	if (Sl_upd_word(l, "rm") && strstr(l, " -") != NULL &&
	    strpbrk(strstr(l, " -"), "rR") != NULL &&
	    (strstr(l, " /overlay") || strstr(l, " /data") ||
	     strstr(l, " /etc/config") || strstr(l, " /mnt/data")))
		return true;
	if (Sl_upd_word(l, "nvram") &&
	    (Sl_upd_word(l, "erase") || strstr(l, "restore_default")))
		return true;
	return Sl_upd_word(l, "sysupgrade") && Sl_upd_word(l, "-n") &&
	       Sl_path_any(in, user_places);
}

/* Does this line mount a writable filesystem (or the overlay)? */
static bool
mount_line(const char *l)
{
	if (Sl_upd_word(l, "mount_root") || Sl_upd_word(l, "mini_fo"))
		return true;
	return Sl_upd_word(l, "mount") && Sl_upd_word(l, "-t") &&
	       any_word(l, mount_types);
}

/*
 * The content hook: one script, on one of the unpacking threads.  Its
 * first reset line and its first mount line become evidence.
 */
static sl_rc
reset_end(struct Sl_file *f)
{
	struct rstate *r = f->user;
	struct Sl_upd_line l;
	const char *in = Sl_inner(f->e);
	size_t pos = 0;
	/* A reset tool listed by its name already: its lines add nothing. */
	bool reset = reset_named(in), mount = false;

	if (!Sl_upd_is_script(f->e, f->data, f->len))
		return SL_OK;
	while ((!reset || !mount) &&
	       Sl_upd_next_line(f->data, f->len, &pos, &l)) {
		if (!reset && reset_line(in, l.buf)) {
			reset = true;
			if (!add_ev(f->s, r, &r->reset, f->e, l.off, l.buf))
				return SL_E_NOMEM;
		}
		if (!mount && mount_line(l.buf)) {
			mount = true;
			if (!add_ev(f->s, r, &r->mount, f->e, l.off, l.buf))
				return SL_E_NOMEM;
		}
	}
	return SL_OK;
}

/* Is one mount option of a comma list exactly "ro"? */
static bool
opt_ro(const char *o)
{
	size_t n;

	while (*o != 0) {
		n = strcspn(o, ",");
		if (n == 2 && o[0] == 'r' && o[1] == 'o')
			return true;
		o += n;
		if (*o == ',')
			o++;
	}
	return false;
}

/* fstab: a writable filesystem or overlay mounted somewhere but "/". */
static sl_rc
read_fstab(struct sl_scan *s, struct rstate *r, const struct sl_entry *e)
{
	struct Sl_upd_line l;
	const uint8_t *d;
	size_t len, pos = 0;
	bool uci = strcmp(Sl_inner(e), "etc/config/fstab") == 0;

	if (e->size > UPD_MAX_SCRIPT)
		return SL_OK;
	if (Sl_check_read(s, e, &d, &len) != SL_OK)
		return SL_OK;
	while (Sl_upd_next_line(d, len, &pos, &l)) {
		char dev[128], mnt[128], type[32], opts[128];
		bool hit;

		if (uci) {
			hit = Sl_upd_word(l.buf, "target") &&
			      (strstr(l.buf, "/overlay") ||
			       strstr(l.buf, "/data") || strstr(l.buf, "/mnt"));
		} else {
			opts[0] = 0;
			hit = sscanf(l.buf, "%127s %127s %31s %127s", dev, mnt,
			             type, opts) >= 3 &&
			      strcmp(mnt, "/") != 0 &&
			      name_any(type, mount_types) && !opt_ro(opts);
		}
		if (!hit)
			continue;
		if (!add_ev(s, r, &r->mount, e, l.off, l.buf))
			return SL_E_NOMEM;
		break;
	}
	return SL_OK;
}

/* Where credentials are kept, and whether anything writable exists. */
static sl_rc
persistence(struct sl_scan *s, struct rstate *r)
{
	const struct sl_entry *cred = NULL, *layer = NULL, *rw_cred = NULL;
	size_t i, n = sl_tree_count(s);
	const char *fmt, *ex;
	sl_rc rc;

	for (i = 0; i < n; i++) {
		const struct sl_entry *e = sl_tree_entry(s, i);
		const char *in;

		if (e->type == SL_FT_CONTAINER && layer == NULL &&
		    e->format != NULL && name_any(e->format, rw_formats))
			layer = e;
		if ((e->type != SL_FT_REG && e->type != SL_FT_LNK &&
		     e->type != SL_FT_HARDLINK) ||
		    strstr(e->path, "!/") == NULL)
			continue;
		in = Sl_inner(e);
		if (strcmp(in, "etc/shadow") != 0 &&
		    strcmp(in, "etc/passwd") != 0)
			continue;
		fmt = Sl_upd_container(e)->format;
		if (e->type != SL_FT_LNK && fmt != NULL &&
		    name_any(fmt, rw_formats)) {
			if (rw_cred == NULL)
				rw_cred = e;
		} else if (cred == NULL ||
		           (strcmp(in, "etc/shadow") == 0 &&
		            strcmp(Sl_inner(cred), "etc/shadow") != 0)) {
			cred = e;
		}
	}
	if (rw_cred != NULL) {
		ex = Sl_arena_printf(&s->arena, "%s on %s (writable)",
		                     Sl_inner(rw_cred),
		                     Sl_upd_container(rw_cred)->format);
		if (ex == NULL)
			return SL_E_NOMEM;
		return Sl_report(
		    s, &findings[F_PERSIST],
		    &(struct Sl_at){
		        .e = rw_cred,
		        .excerpt = ex,
		        .title = "credentials kept on a writable filesystem"});
	}
	if (cred == NULL)
		return SL_OK; /* nothing to say where no credentials are */
	if (layer != NULL) {
		ex = Sl_arena_printf(&s->arena,
		                     "%s partition in the image: what the user "
		                     "sets can be stored there",
		                     layer->format);
		if (ex == NULL)
			return SL_E_NOMEM;
		return Sl_report(
		    s, &findings[F_PERSIST],
		    &(struct Sl_at){
		        .e = layer,
		        .excerpt = ex,
		        .title = "writable data partition in the image"});
	}
	if (r->mount.total > 0)
		return Sl_upd_report_one(
		    s, &r->mount, &findings[F_PERSIST],
		    "writable overlay or data partition mounted");
	fmt = Sl_upd_container(cred)->format;
	/*
	 * Not a finding: vendor firmware keeps the user's settings (the web
	 * password among them) in a raw configuration partition its own
	 * daemon writes, which no file of the image shows.  Only the
	 * device's power-cycle snapshot can tell.
	 */
	ex = Sl_arena_printf(
	    &s->arena,
	    "%s %s %s, and no jffs2, ubifs or ext partition in the image nor "
	    "an overlay or data mount in fstab, preinit or init scripts: "
	    "where a password the user sets is kept is not in the image's "
	    "files (a vendor daemon may keep it in a configuration "
	    "partition); show it survives a power cycle on the device",
	    Sl_inner(cred), cred->type == SL_FT_LNK ? "links to" : "is on",
	    cred->type == SL_FT_LNK && cred->link != NULL
	        ? cred->link
	        : (fmt != NULL && strcmp(fmt, "cpio") == 0
	               ? "an initramfs (cpio, in RAM)"
	               : (fmt != NULL ? fmt : "?")));
	if (ex == NULL)
		return SL_E_NOMEM;
	Sl_not_judged(s, "S1.1-14", SL_SRC_FIRMWARE, ex);
	(void)rc;
	return SL_OK;
}

static sl_rc
reset_prepare(struct sl_scan *s, struct Sl_grep_job *job)
{
	static const struct Sl_grep_ops ops = {
	    .who = "fw.reset",
	    .want = Sl_upd_want_script,
	    .end = reset_end,
	};
	struct rstate *r = calloc(1, sizeof(*r));

	if (r == NULL || pthread_mutex_init(&r->lock, NULL) != 0) {
		free(r);
		return Sl_fail(s, SL_E_NOMEM, "fw.reset: out of memory");
	}
	job->p = NULL;
	job->ops = &ops;
	job->user = r;
	return SL_OK;
}

/* After the content pass: the named files, fstab, and the findings. */
static sl_rc
judge(struct sl_scan *s, struct rstate *r, const struct sl_entry *root)
{
	size_t i, n = sl_tree_count(s);
	sl_rc rc = SL_OK;

	for (i = 0; i < n; i++) {
		const struct sl_entry *e = sl_tree_entry(s, i);
		const char *in;

		if ((e->type != SL_FT_REG && e->type != SL_FT_LNK &&
		     e->type != SL_FT_HARDLINK) ||
		    strstr(e->path, "!/") == NULL)
			continue;
		in = Sl_inner(e);
		if (strcmp(in, "sbin/mount_root") == 0 &&
		    !add_ev(s, r, &r->mount, e, 0, NULL))
			return SL_E_NOMEM;
		if (reset_named(in) && !add_ev(s, r, &r->reset, e, 0, NULL))
			return SL_E_NOMEM;
		if (e->type == SL_FT_REG &&
		    (strcmp(in, "etc/fstab") == 0 ||
		     strcmp(in, "etc/config/fstab") == 0))
			rc = read_fstab(s, r, e);
		if (rc != SL_OK)
			return rc;
	}
	(void)root;
	/* One way to erase user data, with every place that starts it. */
	if (r->reset.total > 0)
		rc = Sl_upd_report_one(s, &r->reset, &findings[F_RESET], NULL);
	else
		/* Absence: vendor firmware resets from a binary (web server).
		 */
		Sl_not_judged(
		    s, "S1.1-15", SL_SRC_FIRMWARE,
		    "no way to erase user data in the image's scripts "
		    "(searched: firstboot, jffs2reset, factoryreset, "
		    "etc/rc.button/reset, button hotplug scripts, erasing the "
		    "data partition, sysupgrade -n where a user triggers it); "
		    "it may be built into a binary such as the web server: "
		    "show "
		    "the factory reset on the device");
	if (rc == SL_OK)
		rc = persistence(s, r);
	return rc;
}

static sl_rc
reset_finish(struct sl_scan *s, struct Sl_grep_job *job, sl_rc rc)
{
	struct rstate *r = job->user;
	const struct sl_entry *root;

	if (r == NULL)
		return rc;
	/* Without an operating system there is nothing to judge. */
	root = rc == SL_OK ? Sl_upd_os_root(s) : NULL;
	if (root == NULL && rc == SL_OK) {
		Sl_not_judged(s, "S1.1-14", SL_SRC_FIRMWARE,
		              "the image holds no operating system (no "
		              "/bin/sh, BusyBox, init, procd or systemd), so "
		              "where credentials are kept could not be "
		              "judged; assess the image with the root "
		              "filesystem");
		Sl_not_judged(s, "S1.1-15", SL_SRC_FIRMWARE,
		              "the image holds no operating system, so its "
		              "factory reset could not be judged; assess the "
		              "image with the root filesystem");
	}
	if (root != NULL && Sl_upd_is_package(s)) {
		Sl_not_judged(s, "S1.1-14", SL_SRC_FIRMWARE,
		              "the image is a single software package (ipk, "
		              "deb or apk), not a firmware image");
		Sl_not_judged(s, "S1.1-15", SL_SRC_FIRMWARE,
		              "the image is a single software package (ipk, "
		              "deb or apk), not a firmware image");
		root = NULL;
	}
	if (root != NULL)
		rc = judge(s, r, root);
	pthread_mutex_destroy(&r->lock);
	free(r);
	job->user = NULL;
	if (rc == SL_E_NOMEM)
		return Sl_fail(s, rc, "fw.reset: out of memory");
	return rc;
}

const struct Sl_check Sl_check_reset = {
    .id = "fw.reset",
    .title = "Factory reset and persistence of user settings",
    .covers = {"S1.1-14", "S1.1-15", NULL},
    .findings = findings,
    .source = SL_SRC_FIRMWARE,
    .prepare = reset_prepare,
    .finish = reset_finish,
};
