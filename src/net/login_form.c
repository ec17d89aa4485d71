/*
 * login_form.c - the HTML login-form finder (Sl_html_login_form,
 * login.h) that HTTP logins (login_http.c) use: the first <form> holding
 * an <input type=password>, its action, method, user and password fields
 * and its hidden fields.
 *
 * Trust: the page is hostile.  Names and values longer than their fields
 * are cut and at most SL_FORM_MAX_FIELDS extra fields are kept; the
 * parser never reads past the n bytes it is given (login_fuzz.c).
 */
#include <ctype.h>
#include <stdio.h>
#include <strings.h>

#include "login_proto.h"

/* ---- HTML login forms ---------------------------------------------- */

/* Copy at most n-1 bytes of [p, p+len) into out. */
static void
cut(char *out, size_t n, const char *p, size_t len)
{
	if (len >= n)
		len = n - 1;
	memcpy(out, p, len);
	out[len] = 0;
}

/*
 * Read the attributes of a tag from p (after its name) up to '>' or end.
 * Calls back for type, name, value, action, method.  Returns where the
 * tag ends.
 */
struct attrs {
	char type[16], name[64], value[128], action[256], method[8];
};

static const char *
tag_attrs(const char *p, const char *end, struct attrs *a)
{
	memset(a, 0, sizeof(*a));
	while (p < end) {
		const char *n0, *v0;
		size_t nl, vl;

		while (p < end && (isspace((unsigned char)*p) || *p == '/'))
			p++;
		if (p >= end || *p == '>')
			break;
		n0 = p;
		while (p < end && !isspace((unsigned char)*p) && *p != '=' &&
		       *p != '>' && *p != '/')
			p++;
		nl = (size_t)(p - n0);
		if (nl == 0) {
			p++;
			continue;
		}
		while (p < end && isspace((unsigned char)*p))
			p++;
		v0 = p;
		vl = 0;
		if (p < end && *p == '=') {
			p++;
			while (p < end && isspace((unsigned char)*p))
				p++;
			if (p < end && (*p == '"' || *p == '\'')) {
				char q = *p++;

				v0 = p;
				while (p < end && *p != q)
					p++;
				vl = (size_t)(p - v0);
				if (p < end)
					p++;
			} else {
				v0 = p;
				while (p < end && !isspace((unsigned char)*p) &&
				       *p != '>')
					p++;
				vl = (size_t)(p - v0);
			}
		}
#define ATTR(nm, field)                                                        \
	if (nl == sizeof(nm) - 1 && strncasecmp(n0, nm, nl) == 0)              \
		cut(a->field, sizeof(a->field), v0, vl);
		ATTR("type", type)
		ATTR("name", name)
		ATTR("value", value)
		ATTR("action", action)
		ATTR("method", method)
#undef ATTR
	}
	return p;
}

static bool
user_like(const char *name)
{
	static const char *const w[] = {"user", "login", "name", "account",
	                                "mail", "uid",   NULL};
	size_t i;

	for (i = 0; w[i] != NULL; i++)
		if (strcasestr(name, w[i]) != NULL)
			return true;
	return false;
}

bool
Sl_html_login_form(const char *html, size_t n, struct Sl_form *f)
{
	const char *p, *end;

	memset(f, 0, sizeof(*f));
	/* An empty body has no buffer: NULL + 0 is undefined in C. */
	if (html == NULL || n == 0)
		return false;
	p = html;
	end = html + n;
	/* UNTRUSTED: every scan below stops at end. */
	while (p < end) {
		const char *fs =
		    Sl_login_find_ci(p, (size_t)(end - p), "<form");
		const char *fe, *q;
		struct attrs a;
		char user[64] = "", ufirst[64] = "";

		if (fs == NULL)
			return false;
		q = tag_attrs(fs + 5, end, &a);
		memset(f, 0, sizeof(*f));
		snprintf(f->action, sizeof(f->action), "%s", a.action);
		f->get = strcasecmp(a.method, "get") == 0;
		fe = Sl_login_find_ci(q, (size_t)(end - q), "</form");
		if (fe == NULL)
			fe = end;
		while (q < fe) {
			const char *in =
			    Sl_login_find_ci(q, (size_t)(fe - q), "<input");

			if (in == NULL)
				break;
			q = tag_attrs(in + 6, fe, &a);
			if (strcasecmp(a.type, "password") == 0) {
				if (f->pass[0] == 0 && a.name[0] != 0)
					snprintf(f->pass, sizeof(f->pass), "%s",
					         a.name);
			} else if (a.name[0] == 0) {
				continue;
			} else if (strcasecmp(a.type, "hidden") == 0 ||
			           strcasecmp(a.type, "submit") == 0) {
				if (f->nfields < SL_FORM_MAX_FIELDS) {
					snprintf(f->field[f->nfields].name,
					         sizeof(f->field[0].name), "%s",
					         a.name);
					snprintf(f->field[f->nfields].value,
					         sizeof(f->field[0].value),
					         "%s", a.value);
					f->nfields++;
				}
			} else if (a.type[0] == 0 ||
			           strcasecmp(a.type, "text") == 0 ||
			           strcasecmp(a.type, "email") == 0 ||
			           strcasecmp(a.type, "tel") == 0) {
				if (f->pass[0] == 0 && ufirst[0] == 0)
					snprintf(ufirst, sizeof(ufirst), "%s",
					         a.name);
				if (f->pass[0] == 0 && user[0] == 0 &&
				    user_like(a.name))
					snprintf(user, sizeof(user), "%s",
					         a.name);
			}
		}
		if (f->pass[0] != 0) {
			snprintf(f->user, sizeof(f->user), "%s",
			         user[0] ? user : ufirst);
			return true;
		}
		p = fe < end ? fe + 1 : end;
	}
	return false;
}
