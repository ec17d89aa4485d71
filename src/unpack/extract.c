/*
 * extract.c - write the virtual tree to disk, never outside the target.
 *
 * Every path is walked one component at a time with openat() relative to
 * the directory opened before it, with O_NOFOLLOW, so a symlink planted
 * in the image (etc -> /) can never redirect a later write.  Symlinks are
 * created as links and never followed; device nodes, FIFOs and sockets are
 * skipped; set-id bits are dropped.  Names were already cleaned when the
 * readers added them (no "..", no empty components).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../core/scan.h"

/*
 * Turn a tree path into a relative disk path:
 *	fw.bin@0x40:uimage!/image-0:lzma!/data  ->
 *fw.bin@0x40.uimage/image-0.lzma/data
 */
static char *
disk_path(const char *p)
{
	char *d = malloc(strlen(p) + 1), *o = d;

	if (d == NULL)
		return NULL;
	while (*p) {
		if (p[0] == '!' && p[1] == '/') {
			*o++ = '/';
			p += 2;
		} else if (*p == ':') {
			*o++ = '.';
			p++;
		} else {
			*o++ = *p++;
		}
	}
	*o = 0;
	return d;
}

/*
 * Open (creating as needed) the directory holding the last component of
 * rel, relative to root.  Returns a descriptor and points *last at the
 * final component, or -1.
 */
static int
open_parent(int root, char *rel, char **last)
{
	char *p = rel, *slash;
	int fd = dup(root), nfd;

	while (fd >= 0 && (slash = strchr(p, '/')) != NULL) {
		*slash = 0;
		if (mkdirat(fd, p, 0755) != 0 && errno != EEXIST) {
			close(fd);
			return -1;
		}
		nfd = openat(fd, p,
		             O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		close(fd);
		*slash = '/';
		fd = nfd;
		p = slash + 1;
	}
	*last = p;
	return fd;
}

static bool
write_all(int fd, const uint8_t *p, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, p, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return false;
		p += w;
		n -= (size_t)w;
	}
	return true;
}

static sl_rc
extract_one(struct sl_scan *s, int root, const struct sl_entry *e)
{
	const uint8_t *data;
	size_t len;
	char *rel, *last;
	int dfd, fd;
	sl_rc rc = SL_OK;

	rel = disk_path(e->path);
	if (rel == NULL)
		return SL_E_NOMEM;
	if (e->type == SL_FT_REGION) {
		size_t n2 = strlen(rel) + 8;
		char *r2 = malloc(n2);

		if (r2 == NULL) {
			free(rel);
			return SL_E_NOMEM;
		}
		snprintf(r2, n2, "%s.region", rel);
		free(rel);
		rel = r2;
	}
	dfd = open_parent(root, rel, &last);
	if (dfd < 0) {
		Sl_incomplete(s,
		              "%s: not extracted: a parent directory could "
		              "not be created (%s)",
		              e->path, strerror(errno));
		free(rel);
		return SL_OK;
	}
	switch (e->type) {
	case SL_FT_DIR:
	case SL_FT_CONTAINER:
		if (mkdirat(dfd, last, 0755) != 0 && errno != EEXIST)
			Sl_incomplete(s, "%s: directory not created: %s",
			              e->path, strerror(errno));
		break;
	case SL_FT_LNK:
		unlinkat(dfd, last, 0);
		if (symlinkat(e->link ? e->link : "", dfd, last) != 0)
			Sl_incomplete(s, "%s: symlink not created: %s", e->path,
			              strerror(errno));
		break;
	case SL_FT_REG:
	case SL_FT_HARDLINK:
	case SL_FT_REGION:
		rc = sl_tree_read(s, e, &data, &len);
		if (rc != SL_OK) {
			/* "": a limit refused it and said so already. */
			if (Sl_last_error()[0] != '\0')
				Sl_incomplete(s, "%s: not extracted: %s",
				              e->path, Sl_last_error());
			rc = SL_OK;
			break;
		}
		fd = openat(dfd, last,
		            O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW |
		                O_CLOEXEC,
		            (e->mode & 0777) | 0600);
		if (fd < 0 || !write_all(fd, data, len))
			Sl_incomplete(s, "%s: not extracted: %s", e->path,
			              strerror(errno));
		if (fd >= 0)
			close(fd);
		break;
	default: break; /* devices, FIFOs, sockets: listed, not created */
	}
	close(dfd);
	free(rel);
	return rc;
}

sl_rc
sl_tree_extract(struct sl_scan *s, const char *dir)
{
	size_t i;
	int root;
	sl_rc rc = SL_OK;

	root = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (root < 0)
		return Sl_fail(s, SL_E_IO,
		               "%s: cannot open output directory: %s", dir,
		               strerror(errno));
	for (i = 0; i < s->nnodes && rc == SL_OK; i++)
		rc = extract_one(s, root, &s->nodes[i]->e);
	close(root);
	return rc;
}
