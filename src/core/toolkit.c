/*
 * toolkit.c - small helpers that several layers need once each instead of
 * a private copy each (docs/internals.md, "The toolkit").  Each says what
 * it bounds; none trusts its input beyond its stated contract.
 */
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
