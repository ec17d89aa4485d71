/*
 * toolkit.c - small helpers that several layers need once each instead of
 * a private copy each (docs/internals.md, "The toolkit").  Each says what
 * it bounds; none trusts its input beyond its stated contract.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "../sl.h"

/*
 * The last component of path: what follows its last '/', or path itself
 * when it holds none.  Borrowed from path (no copy); "dir/" gives "".
 */
const char *
Sl_basename(const char *path)
{
	const char *b = strrchr(path, '/');

	return b != NULL ? b + 1 : path;
}

/* The value of base64 digit c, or -1. */
static int
b64_digit(unsigned char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
}

long
Sl_base64_decode(const char *in, size_t n, uint8_t *out, size_t cap,
                 unsigned flags)
{
	EVP_ENCODE_CTX *ctx;
	char *txt;
	uint8_t *bin;
	size_t i, k = 0;
	int len = 0, fin = 0, ok;
	long r = -1;

	if (n > INT_MAX / 2)
		return -1;
	txt = malloc(n + 4);
	bin = malloc(n / 4 * 3 + 3);
	ctx = EVP_ENCODE_CTX_new();
	if (txt == NULL || bin == NULL || ctx == NULL)
		goto out;
	/*
	 * The digits up to the first '=' (padding is optional; what follows
	 * it is not read, or with SL_B64_PAD_END may only be more '='),
	 * checked here so that every caller gets the same
	 * answer; OpenSSL then decodes them, padded to whole groups.  A lone
	 * digit left over holds less than a byte and is dropped.
	 */
	for (i = 0; i < n && in[i] != '='; i++) {
		unsigned char c = (unsigned char)in[i];

		if ((flags & SL_B64_SPACE) &&
		    (c == ' ' || c == '\t' || c == '\r' || c == '\n'))
			continue;
		if (b64_digit(c) < 0)
			goto out;
		txt[k++] = (char)c;
	}
	for (; (flags & SL_B64_PAD_END) && i < n; i++)
		if (in[i] != '=')
			goto out;
	if (k % 4 == 1)
		k--;
	while (k % 4 != 0)
		txt[k++] = '=';
	EVP_DecodeInit(ctx);
	ok = EVP_DecodeUpdate(ctx, bin, &len, (unsigned char *)txt, (int)k) >=
	         0 &&
	     EVP_DecodeFinal(ctx, bin + len, &fin) == 1;
	if (ok && (size_t)(len + fin) <= cap) {
		memcpy(out, bin, (size_t)(len + fin));
		r = len + fin;
	}
out:
	EVP_ENCODE_CTX_free(ctx);
	free(txt);
	free(bin);
	return r;
}

sl_rc
Sl_read_file(const char *path, size_t max, char **out, size_t *len)
{
	struct stat st;
	char *buf;
	size_t got = 0;
	ssize_t k;
	int fd;

	*out = NULL;
	*len = 0;
	fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0)
		return SL_E_IO;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		errno = EINVAL;
		return SL_E_IO;
	}
	if ((uint64_t)st.st_size > max) {
		close(fd);
		errno = EFBIG;
		return SL_E_LIMIT;
	}
	/* +1 for the NUL, and to see a file that grew while we read it. */
	if ((buf = malloc((size_t)st.st_size + 2)) == NULL) {
		close(fd);
		return SL_E_NOMEM;
	}
	while (got <= (size_t)st.st_size &&
	       (k = read(fd, buf + got, (size_t)st.st_size + 1 - got)) != 0) {
		if (k < 0) {
			if (errno == EINTR)
				continue;
			close(fd);
			free(buf);
			return SL_E_IO;
		}
		got += (size_t)k;
	}
	close(fd);
	if (got > max) {
		free(buf);
		errno = EFBIG;
		return SL_E_LIMIT;
	}
	buf[got] = 0;
	*out = buf;
	*len = got;
	return SL_OK;
}

bool
Sl_vec_grow(void **arr, size_t *cap, size_t n, size_t elem, size_t first)
{
	size_t nc;
	void *p;

	if (n < *cap)
		return true;
	nc = *cap ? *cap * 2 : first;
	if (nc <= n)
		nc = n + 1;
	if (elem == 0 || nc > SIZE_MAX / elem)
		return false;
	p = realloc(*arr, nc * elem);
	if (p == NULL)
		return false;
	*arr = p;
	*cap = nc;
	return true;
}

/* Where key + 1 (never 0) goes in a table of cap slots (a power of 2). */
static size_t
u64set_home(uint64_t k, size_t cap)
{
	return (size_t)(k * 0x9e3779b97f4a7c15ULL >> 32) & (cap - 1);
}

int
Sl_u64set_add(struct Sl_u64set *set, uint64_t key)
{
	uint64_t k = key + 1;
	size_t i, j;

	if (k == 0) {
		if (set->has_max)
			return 0;
		set->has_max = true;
		return 1;
	}
	if (set->n + 1 > set->cap / 2) {
		size_t nc = set->cap ? set->cap * 2 : 64;
		uint64_t *na;

		if (nc > SIZE_MAX / sizeof(*na) ||
		    (na = calloc(nc, sizeof(*na))) == NULL)
			return -1;
		for (i = 0; i < set->cap; i++) {
			if (set->slot[i] == 0)
				continue;
			for (j = u64set_home(set->slot[i], nc); na[j] != 0;
			     j = (j + 1) & (nc - 1))
				;
			na[j] = set->slot[i];
		}
		free(set->slot);
		set->slot = na;
		set->cap = nc;
	}
	for (j = u64set_home(k, set->cap); set->slot[j] != 0;
	     j = (j + 1) & (set->cap - 1))
		if (set->slot[j] == k)
			return 0;
	set->slot[j] = k;
	set->n++;
	return 1;
}

void
Sl_u64set_free(struct Sl_u64set *set)
{
	free(set->slot);
	*set = (struct Sl_u64set){0};
}

unsigned
Sl_pool_run(unsigned n, void *(*fn)(void *), void *arg, unsigned flags)
{
	pthread_t th[SL_POOL_MAX];
	unsigned i, want, started = 0;

	if (n == 0 && !(flags & SL_POOL_CALLER))
		return 0;
	/* With SL_POOL_CALLER the caller is one of the n workers. */
	want = (flags & SL_POOL_CALLER) ? (n > 0 ? n - 1 : 0) : n;
	if (want > SL_POOL_MAX)
		want = SL_POOL_MAX;
	for (i = 0; i < want; i++) {
		if (pthread_create(&th[started], NULL, fn, arg) == 0)
			started++;
		else if (flags & SL_POOL_STOP_AT_FAILURE)
			break;
	}
	if ((flags & SL_POOL_CALLER) || started == 0)
		(void)fn(arg);
	for (i = 0; i < started; i++)
		pthread_join(th[i], NULL);
	return started;
}

unsigned
Sl_pool_run_each(unsigned n, void *(*fn)(void *), void *args, size_t size)
{
	pthread_t th[SL_POOL_MAX];
	unsigned i, started = 0;

	if (n > SL_POOL_MAX)
		n = SL_POOL_MAX;
	if (n > 1)
		for (; started < n; started++)
			if (pthread_create(&th[started], NULL, fn,
			                   (char *)args + started * size) != 0)
				break;
	if (started == 0 && n > 0)
		(void)fn(args);
	for (i = 0; i < started; i++)
		pthread_join(th[i], NULL);
	return started;
}

unsigned
Sl_pool_size(unsigned threads, unsigned cap, size_t units)
{
	long n = threads ? (long)threads : sysconf(_SC_NPROCESSORS_ONLN);

	if (n < 1)
		n = 1;
	if (n > (long)cap)
		n = (long)cap;
	if ((size_t)n > units)
		n = units ? (long)units : 1;
	return (unsigned)n;
}
