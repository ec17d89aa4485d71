/*
 * test_plaintext.c - unit tests of the check net.plaintext
 * (src/check/device/plaintext.c) against real HTTP servers on 127.0.0.1
 * (python3's http.server with a handler per mode): Basic, Digest, a
 * login form, a redirect to HTTPS, a page without a login; and telnet,
 * FTP and MQTT services named as the scanner names them.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "check/check.h"
#include "net/net.h"

#include "tlsfix.h"

extern const struct Sl_check Sl_check_plaintext;

static const char server_py[] =
    "import http.server, sys\n"
    "mode = sys.argv[2]\n"
    "class H(http.server.BaseHTTPRequestHandler):\n"
    "    def reply(self, code, hdrs, body=b''):\n"
    "        self.send_response(code)\n"
    "        for k, v in hdrs: self.send_header(k, v)\n"
    "        self.send_header('Content-Length', str(len(body)))\n"
    "        self.end_headers()\n"
    "        self.wfile.write(body)\n"
    "    def do_GET(self):\n"
    "        if mode == 'basic':\n"
    "            self.reply(401, [('WWW-Authenticate', 'Basic "
    "realm=\"cam\"')])\n"
    "        elif mode == 'digest':\n"
    "            self.reply(401, [('WWW-Authenticate', 'Digest realm=\"cam\", "
    "nonce=\"n1\", qop=\"auth\"')])\n"
    "        elif mode == 'form':\n"
    "            if self.path != '/login.html':\n"
    "                self.reply(302, [('Location', '/login.html')])\n"
    "            else:\n"
    "                self.reply(200, [('Content-Type', 'text/html')], "
    "b'<html><form method=post action=/cgi-bin/login>'"
    "b'<input name=user><input type=\"password\" name=pw></form></html>')\n"
    "        elif mode == 'redirect':\n"
    "            self.reply(301, [('Location', 'https://127.0.0.1:1/')])\n"
    "        else:\n"
    "            self.reply(200, [('Content-Type', 'text/html')], "
    "b'<html>status: ok</html>')\n"
    "    def log_message(self, *a): pass\n"
    "http.server.ThreadingHTTPServer(('127.0.0.1', int(sys.argv[1])), "
    "H).serve_forever()\n";

enum { M_BASIC, M_DIGEST, M_FORM, M_REDIRECT, M_OPEN, M_N };
static const char *const modes[M_N] = {"basic", "digest", "form", "redirect",
                                       "open"};
static unsigned port[M_N];
static pid_t pid[M_N];

static int
setup(void **state)
{
	FILE *f;
	int i;

	(void)state;
	if (!fx_init())
		return -1;
	if (fx_sh("true") != 0)
		return -1;
	{
		char path[128];

		snprintf(path, sizeof(path), "%s/srv.py", fx_dir);
		f = fopen(path, "w");
		if (f == NULL)
			return -1;
		fputs(server_py, f);
		fclose(f);
	}
	for (i = 0; i < M_N; i++) {
		char p[16];

		port[i] = fx_free_port();
		snprintf(p, sizeof(p), "%u", port[i]);
		{
			char *const argv[] = {"python3", "srv.py", p,
			                      (char *)modes[i], NULL};

			pid[i] = fx_start(argv, port[i]);
		}
		if (pid[i] <= 0)
			return -1;
	}
	return 0;
}

static int
teardown(void **state)
{
	int i;

	(void)state;
	for (i = 0; i < M_N; i++)
		fx_stop(pid[i]);
	fx_cleanup();
	return 0;
}

static struct sl_scan *
device(void)
{
	struct sl_device_opts o;
	struct sl_scan *s = sl_scan_new(NULL);

	assert_non_null(s);
	sl_device_opts_default(&o);
	o.timeout_ms = 3000;
	assert_int_equal(Sl_dev_open(s, "127.0.0.1", &o), SL_OK);
	return s;
}

static struct Sl_service *
svc(struct sl_scan *s, unsigned p, const char *name, bool tls)
{
	struct Sl_service *v = Sl_service_add(s, IPPROTO_TCP, 0, p);

	assert_non_null(v);
	v->pub.name = name;
	v->pub.tls = tls;
	return v;
}

static const struct sl_finding *
on_port(struct sl_scan *s, unsigned p)
{
	size_t i;

	for (i = 0; i < sl_finding_count(s); i++)
		if (sl_finding_get(s, i)->evidence.port == p)
			return sl_finding_get(s, i);
	return NULL;
}

static void
http(void **state)
{
	struct sl_scan *s = device();
	const struct sl_finding *f;
	char want[256];
	size_t i;

	(void)state;
	for (i = 0; i < M_N; i++)
		svc(s, port[i], "http", false);
	assert_int_equal(Sl_check_plaintext.run(s), SL_OK);
	assert_int_equal(sl_finding_count(s), 3);
	for (i = 0; i < sl_finding_count(s); i++) {
		f = sl_finding_get(s, i);
		assert_string_equal(f->id, "NET-PLAINTEXT-CREDENTIALS");
		assert_int_equal(f->severity, SL_SEV_HIGH);
		assert_string_equal(f->requirements[0], "S1.1-12");
		assert_null(f->requirements[1]);
		assert_string_equal(f->evidence.host, "127.0.0.1");
	}
	f = on_port(s, port[M_BASIC]);
	snprintf(want, sizeof(want),
	         "http://127.0.0.1:%u/ answers 401 WWW-Authenticate: Basic "
	         "over plain HTTP",
	         port[M_BASIC]);
	assert_string_equal(f->evidence.excerpt, want);
	assert_non_null(strstr(f->title, "(basic)"));
	f = on_port(s, port[M_DIGEST]);
	assert_non_null(
	    strstr(f->evidence.excerpt, "WWW-Authenticate: Digest"));
	f = on_port(s, port[M_FORM]);
	snprintf(want, sizeof(want),
	         "http://127.0.0.1:%u/login.html serves a login form "
	         "(password field) over plain HTTP",
	         port[M_FORM]);
	assert_string_equal(f->evidence.excerpt, want);
	/* Redirected to HTTPS, or nothing to log in to: fine. */
	assert_null(on_port(s, port[M_REDIRECT]));
	assert_null(on_port(s, port[M_OPEN]));
	sl_scan_free(s);
}

static void
others(void **state)
{
	struct sl_scan *s = device();
	const struct sl_finding *f;
	struct Sl_service *v;

	(void)state;
	v = svc(s, 23, "telnet", false);
	v->pub.banner = "Debian GNU/Linux 12.login:";
	svc(s, 21, "ftp", false);
	svc(s, 1883, "unknown", false);
	svc(s, 11883, "mqtt", false);
	svc(s, 8883, "mqtt", true); /* over TLS: fine */
	svc(s, 990, "ftp", true);   /* FTPS: fine */
	svc(s, 22, "ssh", false);   /* encrypted: fine */
	/* The scanner saw Basic already: no request is made for it. */
	v = svc(s, 1, "http", false);
	v->auth = "basic";
	v->realm_path = "/cgi-bin/admin";
	assert_int_equal(Sl_check_plaintext.run(s), SL_OK);
	assert_int_equal(sl_finding_count(s), 5);
	f = on_port(s, 23);
	assert_string_equal(f->evidence.excerpt,
	                    "telnet on 127.0.0.1:23 without TLS; banner: "
	                    "Debian GNU/Linux 12.login:");
	assert_non_null(strstr(f->title, "telnet"));
	assert_non_null(strstr(on_port(s, 21)->title, "FTP"));
	/* 1883 by its number alone: information, and not judged. */
	assert_non_null(strstr(on_port(s, 1883)->title, "Unidentified"));
	assert_int_equal(on_port(s, 1883)->severity, SL_SEV_INFO);
	assert_int_equal(sl_scan_incomplete_count(s), 1);
	assert_non_null(strstr(sl_scan_incomplete(s, 0), "not judged"));
	assert_non_null(strstr(on_port(s, 11883)->title, "MQTT"));
	assert_int_equal(on_port(s, 11883)->severity, SL_SEV_HIGH);
	assert_string_equal(on_port(s, 1)->evidence.excerpt,
	                    "http://127.0.0.1:1/cgi-bin/admin answers 401 "
	                    "WWW-Authenticate: Basic over plain HTTP");
	assert_null(on_port(s, 8883));
	assert_null(on_port(s, 990));
	assert_null(on_port(s, 22));
	assert_int_equal(sl_scan_decide(s), SL_OK);
	assert_int_equal(sl_checklist_get(s, 11)->verdict, SL_V_NON_CONFORMANT);
	sl_scan_free(s);
}

int
main(void)
{
	const struct CMUnitTest net[] = {
	    cmocka_unit_test(http),
	    cmocka_unit_test(others),
	};

	return cmocka_run_group_tests(net, setup, teardown);
}
