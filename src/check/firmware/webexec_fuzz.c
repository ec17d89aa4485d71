/*
 * webexec_fuzz.c - libFuzzer target for fw.webexec's line matcher.
 *
 * The input is offered as a LuCI controller, a PHP page and a shell CGI;
 * every bound (file size, line length, tainted names) is exercised.
 * Build with -DSL_FUZZ=ON (clang).
 */
#include "../check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
bool Sl_webexec_find(const char *in, const uint8_t *d, size_t n, uint64_t *off,
                     char *line, size_t *more);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const names[] = {
	    "usr/lib/lua/luci/controller/x.lua",
	    "www/x.php",
	    "www/cgi-bin/x.cgi",
	};
	char line[512];
	uint64_t off;
	size_t i, more;

	for (i = 0; i < SL_ARRAY_LEN(names); i++)
		(void)Sl_webexec_find(names[i], data, size, &off, line, &more);
	return 0;
}
