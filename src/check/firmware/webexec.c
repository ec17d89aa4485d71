/*
 * webexec.c - web handlers that hand a request parameter to a shell
 * (S1.1-13: a scan must find nothing exploitable): fw.webexec.  Not
 * S1.1-01: the handler may well sit behind the web UI's login, and this
 * check cannot tell.
 *
 * Reads the files that answer web requests: CGI programs written as
 * scripts (www/cgi-bin, usr/lib/cgi-bin, *.cgi), PHP pages, and LuCI's Lua
 * controllers and models.  A handler is flagged when a line runs a shell
 * command (Lua os.execute, io.popen, luci.sys.call/exec, fork_exec; PHP
 * system, exec, shell_exec, passthru, popen, proc_open; shell eval or sh
 * -c) whose text holds a request parameter: read there directly
 * (luci.http.formvalue, $_GET/$_POST/$_REQUEST/$_COOKIE, $QUERY_STRING,
 * haserl's $FORM_/$GET_/$POST_) or through a variable the script assigned
 * from one.  A variable stops counting once the script compares it,
 * converts it to a number or matches it against a pattern (LuCI's
 * diagnostics page: addr:match("^[a-zA-Z0-9%-%.:_]+$")), and a line that
 * quotes for the shell (luci.util.shellquote, escapeshellarg) is no sink.
 * One finding per file, at the first such line; the excerpt counts more.
 *
 * This is text matching, not a parser: a handler that builds its command
 * across functions or files is not followed (a miss, never a false
 * alarm from a cut).  Input is untrusted: files are read up to
 * WX_MAX_FILE bytes, lines cut at WX_MAX_LINE, at most WX_MAX_VARS
 * tainted names are remembered per file.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>

#include "../check.h"
#include "scan.h"

#define WX_MAX_FILE (512U << 10)
#define WX_MAX_LINE 400
#define WX_MAX_VARS 32
#define WX_MAX_NAME 48

/* What this check reports (check.h: findings as data). */
static const struct Sl_finding_def findings[] = {
    {"FW-WEB-COMMAND-INJECTION",
     SL_SEV_HIGH,
     {"S1.1-13"},
     "web handler passes a request parameter to a shell command",
     "Never build a shell command from request data: validate the "
     "value against a strict pattern (an address, a number) before "
     "use, quote it for the shell (luci.util.shellquote, "
     "escapeshellarg), or call the program without a shell.  Evidence "
     "for conformance: the handler with the check, and a device scan "
     "showing the parameter is refused."},
    {NULL},
};

enum lang { L_LUA, L_PHP, L_SH };

struct taint {
	char name[WX_MAX_VARS][WX_MAX_NAME];
	size_t n;
};

/* Where request parameters come from, per language. */
static const char *const sources[][8] = {
    [L_LUA] = {"formvalue(", "formvaluetable(", "QUERY_STRING", "http.content(",
               "http.source(", NULL},
    [L_PHP] = {"$_GET", "$_POST", "$_REQUEST", "$_COOKIE", "$_SERVER[", NULL},
    [L_SH] = {"QUERY_STRING", "$FORM_", "${FORM_", "$GET_", "$POST_", "$CGI_",
              NULL},
};
/* Calls that run a shell command line. */
static const char *const sinks[][9] = {
    [L_LUA] = {"os.execute(", "io.popen(", "sys.call(", "sys.exec(",
               "util.exec(", "fork_exec(", "nixio.exec(", NULL},
    [L_PHP] = {"system(", "exec(", "shell_exec(", "passthru(", "popen(",
               "proc_open(", "`", NULL},
    [L_SH] = {"eval ", "sh -c", "`", NULL},
};
/* A line that quotes for the shell is no sink. */
static const char *const quoting[] = {
    "shellquote",
    "escapeshellarg",
    "escapeshellcmd",
    NULL,
};
/* Once a variable meets one of these, its value is checked. */
static const char *const checks[] = {
    "==",     "~=",     "!=",         "tonumber",   "match(",
    "find(",  "ipcalc", "is_numeric", "preg_match", "filter_var",
    "intval", "case ",  NULL,
};

static bool
any_of(const char *line, const char *const *list)
{
	for (; *list != NULL; list++)
		if (strstr(line, *list) != NULL)
			return true;
	return false;
}

static bool
name_char(char c)
{
	return isalnum((unsigned char)c) || c == '_';
}

/* Does line hold name as a whole word ($name, name, ${name})? */
static bool
has_name(const char *line, const char *name)
{
	size_t n = strlen(name);
	const char *p;

	for (p = line; (p = strstr(p, name)) != NULL; p += n)
		if ((p == line || !name_char(p[-1])) && !name_char(p[n]))
			return true;
	return false;
}

static bool
tainted(const struct taint *t, const char *line)
{
	size_t i;

	for (i = 0; i < t->n; i++)
		if (has_name(line, t->name[i]))
			return true;
	return false;
}

static void
untaint(struct taint *t, const char *line)
{
	size_t i = 0;

	while (i < t->n)
		if (has_name(line, t->name[i])) {
			memmove(t->name[i], t->name[t->n - 1],
			        sizeof(t->name[i]));
			t->n--;
		} else {
			i++;
		}
}

/*
 * "local x = ...", "x = ...", "$x = ...", "x=..." (shell): the assigned
 * name into out and the right-hand side, or NULL.
 */
static const char *
assignment(const char *line, enum lang lg, char *out, size_t cap)
{
	const char *p = line, *a;
	size_t n;

	if (lg == L_LUA && strncmp(p, "local ", 6) == 0)
		p += 6;
	if (lg == L_PHP && *p == '$')
		p++;
	a = p;
	while (name_char(*p))
		p++;
	n = (size_t)(p - a);
	if (n == 0 || n >= cap || isdigit((unsigned char)*a))
		return NULL;
	if (lg != L_SH)
		while (*p == ' ' || *p == '\t')
			p++;
	if (p[0] != '=' || p[1] == '=')
		return NULL;
	memcpy(out, a, n);
	out[n] = 0;
	return p + 1;
}

/*
 * The line with what is inside string literals blanked out (Lua and PHP:
 * a variable named dev is not "/dev/null").  Shell expands variables in
 * double quotes, so its lines are kept whole.
 */
static void
code_only(const char *line, enum lang lg, char *out)
{
	char q = 0;
	size_t i;

	for (i = 0; line[i] != 0; i++) {
		char c = line[i];

		if (lg == L_SH) {
			out[i] = c;
			continue;
		}
		if (q != 0) {
			out[i] = c == q ? c : ' ';
			if (c == '\\' && line[i + 1] != 0)
				out[++i] = ' ';
			else if (c == q)
				q = 0;
			continue;
		}
		if (c == '"' || c == '\'')
			q = c;
		out[i] = c;
	}
	out[i] = 0;
}

/* Is this file a web handler, and in which language? */
static bool
web_lang(const char *in, const uint8_t *d, size_t n, enum lang *lg)
{
	const char *dot = strrchr(in, '.');

	if (dot != NULL && strcmp(dot, ".lua") == 0) {
		*lg = L_LUA;
		return strstr(in, "luci/") != NULL || strstr(in, "cgi") != NULL;
	}
	if (dot != NULL &&
	    (strcmp(dot, ".php") == 0 || strcmp(dot, ".phtml") == 0)) {
		*lg = L_PHP;
		return true;
	}
	if (n >= 2 && d[0] == '#' && d[1] == '!') {
		*lg = memmem(d, n < 80 ? n : 80, "lua", 3)   ? L_LUA
		      : memmem(d, n < 80 ? n : 80, "php", 3) ? L_PHP
		                                             : L_SH;
		return true;
	}
	return false;
}

/*
 * The first line of d that runs a shell command holding a request
 * parameter: its offset in *off and its text in line[WX_MAX_LINE + 1];
 * *more counts further ones.  Public for the fuzz target and the unit
 * test.
 */
bool Sl_webexec_find(const char *in, const uint8_t *d, size_t n, uint64_t *off,
                     char *line, size_t *more);

bool
Sl_webexec_find(const char *in, const uint8_t *d, size_t n, uint64_t *off,
                char *line, size_t *more)
{
	struct taint *t;
	enum lang lg;
	size_t pos = 0, hits = 0;
	char name[WX_MAX_NAME];

	*more = 0;
	if (n > WX_MAX_FILE || !Sl_is_text(d, n) || !web_lang(in, d, n, &lg))
		return false;
	t = calloc(1, sizeof(*t));
	if (t == NULL)
		return false;
	while (pos < n) {
		const uint8_t *nl = memchr(d + pos, '\n', n - pos);
		size_t a = pos, b = nl ? (size_t)(nl - d) : n, k, i;
		char buf[WX_MAX_LINE + 1], code[WX_MAX_LINE + 1];
		const char *rhs;

		pos = nl ? b + 1 : n;
		while (a < b && (d[a] == ' ' || d[a] == '\t'))
			a++;
		k = b - a > WX_MAX_LINE ? WX_MAX_LINE : b - a;
		for (i = 0; i < k; i++)
			buf[i] = d[a + i] < 0x20 || d[a + i] >= 0x7f
			             ? ' '
			             : (char)d[a + i];
		buf[k] = 0;
		if (k == 0 || buf[0] == '#' ||
		    (lg == L_LUA && strncmp(buf, "--", 2) == 0) ||
		    (lg == L_PHP && strncmp(buf, "//", 2) == 0))
			continue;
		/* Variables are per function: a new one starts clean. */
		if (strncmp(buf, "function ", 9) == 0 ||
		    strncmp(buf, "local function ", 15) == 0 ||
		    strstr(buf, "= function(") != NULL)
			t->n = 0;
		code_only(buf, lg, code);
		/* A checked value is no longer the raw parameter. */
		if (any_of(buf, checks))
			untaint(t, code);
		rhs = assignment(buf, lg, name, sizeof(name));
		if (rhs != NULL && !any_of(rhs, sinks[lg])) {
			const char *rc = code + (rhs - buf);

			if ((any_of(rc, sources[lg]) || tainted(t, rc)) &&
			    !any_of(rhs, checks) && !any_of(rhs, quoting) &&
			    t->n < WX_MAX_VARS)
				snprintf(t->name[t->n++], WX_MAX_NAME, "%s",
				         name);
			continue;
		}
		if (!any_of(buf, sinks[lg]) || any_of(buf, quoting) ||
		    !(any_of(code, sources[lg]) || tainted(t, code)))
			continue;
		if (hits++ == 0) {
			*off = a;
			memcpy(line, buf, k + 1);
		}
	}
	free(t);
	if (hits > 1)
		*more = hits - 1;
	return hits > 0;
}

static const char *const web_files[] = {
    "www/*",
    "usr/lib/cgi-bin/*",
    "*.cgi",
    "usr/lib/lua/luci/controller/*",
    "usr/lib/lua/luci/model/*",
    "*.php",
    NULL,
};

static sl_rc
one(struct sl_scan *s, const struct sl_entry *e, const uint8_t *data,
    size_t len, void *user)
{
	char line[WX_MAX_LINE + 1];
	uint64_t off = 0;
	size_t more;
	const char *ex;

	(void)user;
	if (!Sl_webexec_find(Sl_inner(e), data, len, &off, line, &more))
		return SL_OK;
	ex = more > 0
	         ? Sl_arena_printf(&s->arena, "%s [and %zu more]", line, more)
	         : line;
	if (ex == NULL)
		return SL_E_NOMEM;
	return Sl_report(s, &findings[0],
	                 &(struct Sl_at){.e = e, .off = off, .excerpt = ex});
}

static sl_rc
webexec_run(struct sl_scan *s)
{
	return Sl_each_file_any(s, web_files, one, NULL);
}

const struct Sl_check Sl_check_webexec = {
    .id = "fw.webexec",
    .title = "Web handlers passing request parameters to a shell",
    .covers = {"S1.1-13", NULL},
    .findings = findings,
    .source = SL_SRC_FIRMWARE,
    .run = webexec_run,
};
