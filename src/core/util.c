/*
 * util.c - small pure helpers: error names, hashing, entropy, masking,
 * atomic writes.
 */
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include <openssl/evp.h>
#include <zlib.h>

#include "../sl.h"

const char *
sl_version(void)
{
	return SL_VERSION;
}

const char *
sl_strerror(sl_rc rc)
{
	static const char *const names[] = {
	    [SL_OK] = "ok",
	    [SL_E_NOMEM] = "out of memory",
	    [SL_E_LIMIT] = "a configured limit was reached",
	    [SL_E_MALFORMED] = "malformed input",
	    [SL_E_UNSUPPORTED] = "unsupported or unrecognised input",
	    [SL_E_IO] = "input/output error",
	    [SL_E_NET] = "network error",
	    [SL_E_TIMEOUT] = "timed out",
	    [SL_E_USAGE] = "invalid argument",
	};

	if ((unsigned)rc >= SL_ARRAY_LEN(names) || names[rc] == NULL)
		return "unknown error";
	return names[rc];
}

void
Sl_sha256(const void *p, size_t n, uint8_t out[32])
{
	unsigned int len = 32;

	EVP_Digest(p, n, out, &len, EVP_sha256(), NULL);
}

void
Sl_hex(const uint8_t *p, size_t n, char *out)
{
	static const char hx[] = "0123456789abcdef";
	size_t i;

	for (i = 0; i < n; i++) {
		out[2 * i] = hx[p[i] >> 4];
		out[2 * i + 1] = hx[p[i] & 15];
	}
	out[2 * n] = 0;
}

uint32_t
Sl_crc32_le(uint32_t seed, const uint8_t *p, size_t n)
{
	uLong c = ~seed & 0xffffffffU;

	/* zlib inverts on the way in and out; chunks: 32-bit lengths. */
	while (n > 0) {
		uInt k = n > (1U << 30) ? (1U << 30) : (uInt)n;

		c = crc32(c, p, k);
		p += k;
		n -= k;
	}
	return ~(uint32_t)c;
}

double
Sl_entropy(const uint8_t *p, size_t n)
{
	uint64_t cnt[256] = {0};
	double h = 0;
	size_t i;

	if (n == 0)
		return 0;
	for (i = 0; i < n; i++)
		cnt[p[i]]++;
	for (i = 0; i < 256; i++) {
		double q;

		if (cnt[i] == 0)
			continue;
		q = (double)cnt[i] / (double)n;
		h -= q * log2(q);
	}
	return h;
}

/*
 * Mask a secret for a report: the first two characters stay so that a
 * reader can tell which value is meant, the rest become '*'.  Secrets of
 * six characters or fewer are masked whole.
 */
char *
Sl_mask(struct Sl_arena *a, const char *secret)
{
	size_t n = strlen(secret), keep = n > 6 ? 2 : 0, i;
	char *m = Sl_arena_alloc(a, n + 1);

	if (m == NULL)
		return NULL;
	for (i = 0; i < n; i++)
		m[i] = i < keep ? secret[i] : '*';
	return m;
}

/*
 * Write n bytes to path through a temporary file in the same directory and
 * a rename, so that a reader never sees half a report.
 */
sl_rc
sl_write_atomic(const char *path, const void *data, size_t n)
{
	char *tmp;
	size_t len = strlen(path);
	const char *p = data;
	int fd;

	tmp = malloc(len + 16);
	if (tmp == NULL)
		return SL_E_NOMEM;
	snprintf(tmp, len + 16, "%s.tmp.XXXXXX", path);
	fd = mkstemp(tmp);
	if (fd < 0) {
		free(tmp);
		return SL_E_IO;
	}
	while (n > 0) {
		ssize_t w = write(fd, p, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			goto fail;
		p += w;
		n -= (size_t)w;
	}
	if (fchmod(fd, 0644) != 0 || fsync(fd) != 0)
		goto fail;
	if (close(fd) != 0) {
		fd = -1;
		goto fail;
	}
	if (rename(tmp, path) != 0) {
		unlink(tmp);
		free(tmp);
		return SL_E_IO;
	}
	free(tmp);
	return SL_OK;
fail:
	if (fd >= 0)
		close(fd);
	unlink(tmp);
	free(tmp);
	return SL_E_IO;
}
