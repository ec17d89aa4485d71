/*
 * outset.c - the output directory of `starlab assess` written as one
 * atomic set: checked before anything is examined, filled in a temporary
 * directory beside it, then put in place by rename, so that a reader sees
 * the old set or the new one and never half of each.  Kept in this one
 * file so that the other commands' -o handling can share it.
 *
 * DIR may be missing (created), an empty directory, or an earlier
 * starlab output (it holds report.json): that one is exchanged with the
 * new set (renameat2 RENAME_EXCHANGE) and then removed.  Anything else
 * is refused before the scan, naming DIR, so that a typo cannot delete a
 * user's files.
 */

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "outset.h"

/* Is dir empty (true) or an earlier starlab output (*ours)? */
static bool
dir_state(const char *dir, bool *empty, bool *ours)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char p[4096];

	if (d == NULL)
		return false;
	*empty = true;
	while ((e = readdir(d)) != NULL)
		if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
			*empty = false;
	closedir(d);
	snprintf(p, sizeof(p), "%s/report.json", dir);
	*ours = access(p, F_OK) == 0;
	return true;
}

int
cli_outset_check(const char *cmd, const char *dir)
{
	struct stat st;
	bool empty, ours;
	char copy[4096];
	const char *parent;

	if (strlen(dir) == 0 || strlen(dir) > 3000)
		return cli_usage(cmd, "-o: empty or too long a directory name");
	if (lstat(dir, &st) == 0) {
		if (!S_ISDIR(st.st_mode))
			return cli_usage(cmd,
			                 "-o %s: exists and is not a "
			                 "directory",
			                 dir);
		if (!dir_state(dir, &empty, &ours))
			return cli_usage(cmd, "-o %s: %s", dir,
			                 strerror(errno));
		if (!empty && !ours)
			return cli_usage(cmd,
			                 "-o %s: not empty and not an "
			                 "earlier starlab report (no "
			                 "report.json); give a new directory",
			                 dir);
		return 0;
	}
	if (errno != ENOENT)
		return cli_usage(cmd, "-o %s: %s", dir, strerror(errno));
	snprintf(copy, sizeof(copy), "%s", dir);
	parent = dirname(copy);
	if (access(parent, W_OK) != 0)
		return cli_usage(cmd, "-o %s: cannot write in %s: %s", dir,
		                 parent, strerror(errno));
	return 0;
}

int
cli_outset_begin(const char *dir, char *tmp, size_t size)
{
	char c1[4096], c2[4096];
	int n;

	snprintf(c1, sizeof(c1), "%s", dir);
	snprintf(c2, sizeof(c2), "%s", dir);
	n = snprintf(tmp, size, "%s/.%s.tmp-XXXXXX", dirname(c1), basename(c2));
	if (n < 0 || (size_t)n >= size)
		return cli_err(EX_INPUT, "%s: path too long", dir);
	if (mkdtemp(tmp) == NULL)
		return cli_err(EX_INPUT, "%s: cannot create: %s", tmp,
		               strerror(errno));
	if (chmod(tmp, 0755) != 0)
		return cli_err(EX_INPUT, "%s: %s", tmp, strerror(errno));
	return 0;
}

static int
rm_one(const char *p, const struct stat *st, int flag, struct FTW *f)
{
	(void)st;
	(void)flag;
	(void)f;
	return remove(p);
}

void
cli_outset_abort(const char *tmp)
{
	if (tmp != NULL && *tmp)
		nftw(tmp, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

int
cli_outset_commit(const char *dir, const char *tmp)
{
	struct stat st;

	if (lstat(dir, &st) != 0) {
		if (rename(tmp, dir) != 0)
			return cli_err(EX_INPUT, "%s: cannot rename to %s: %s",
			               tmp, dir, strerror(errno));
		return 0;
	}
	/* An empty directory is replaced by rename; an earlier set swapped. */
	if (rename(tmp, dir) == 0)
		return 0;
	if (renameat2(AT_FDCWD, tmp, AT_FDCWD, dir, RENAME_EXCHANGE) != 0)
		return cli_err(EX_INPUT, "%s: cannot replace with %s: %s", dir,
		               tmp, strerror(errno));
	/* tmp now holds the earlier set. */
	cli_outset_abort(tmp);
	return 0;
}
