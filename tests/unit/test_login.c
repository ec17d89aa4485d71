/*
 * test_login.c - login.c and the authentication checks (net.unauth,
 * net.creds, net.bruteforce) against real servers started here on
 * 127.0.0.1 at free ports: mosquitto (one with a password file, one
 * anonymous with a retained message), lighttpd (basic and digest auth, a
 * CGI login form, a configuration file readable by anyone), vsftpd
 * (anonymous) and snmpd (community public).  The hand-written parsers
 * (telnet options and prompts, FTP replies, HTML forms, configuration
 * pages, UPnP descriptions, ADB headers) are tested on bytes.  SSH and
 * telnet logins run against the network-namespace device in
 * tests/e2e/t_device_auth.sh.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <arpa/inet.h>
#include <dirent.h>
#include <pthread.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check/device/auth.h"
#include "net/login.h"
#include "net/login_proto.h"
#include "net/scope.h"
#include "net/snmp.h"

extern const struct Sl_check Sl_check_unauth, Sl_check_creds,
    Sl_check_bruteforce;

#define PSK       "wifi-psk-Sunshine2019"
#define MQTT_USER "tester"
#define MQTT_PASS "Zq8-not-in-any-list"

struct srv {
	const char *name;
	pid_t pid;
	int port;
};

static char dir[64];
static struct srv mq_pw = {"mosquitto-pw"}, mq_anon = {"mosquitto-anon"};
static struct srv web = {"lighttpd"}, ftp = {"vsftpd"};
static struct srv snmp = {"snmpd"};
static int closed_port;
/* Accepts and closes at once, before any TLS handshake (closer_main). */
static int closer_port, closer_fd = -1;
static pthread_t closer_th;

static void *
closer_main(void *arg)
{
	(void)arg;
	for (;;) {
		int c = accept(closer_fd, NULL, NULL);

		if (c < 0)
			return NULL;
		close(c);
	}
}

static void
closer_up(void)
{
	struct sockaddr_in a = {0};
	socklen_t al = sizeof(a);

	closer_fd = socket(AF_INET, SOCK_STREAM, 0);
	assert_true(closer_fd >= 0);
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(closer_fd, (struct sockaddr *)&a, sizeof(a)), 0);
	assert_int_equal(listen(closer_fd, 16), 0);
	assert_int_equal(getsockname(closer_fd, (struct sockaddr *)&a, &al), 0);
	closer_port = ntohs(a.sin_port);
	assert_int_equal(pthread_create(&closer_th, NULL, closer_main, NULL),
	                 0);
	pthread_detach(closer_th);
}

/* ---- fixtures ------------------------------------------------------ */

static void
put(const char *name, const char *fmt, ...)
{
	char path[256];
	va_list ap;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	assert_non_null(f);
	va_start(ap, fmt);
	vfprintf(f, fmt, ap);
	va_end(ap);
	fclose(f);
}

static void
mkd(const char *name, mode_t mode)
{
	char path[256];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	assert_int_equal(mkdir(path, mode), 0);
	chmod(path, mode);
}

static int
free_port(int type)
{
	struct sockaddr_in a = {.sin_family = AF_INET};
	socklen_t al = sizeof(a);
	int fd = socket(AF_INET, type, 0), port;

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_true(fd >= 0);
	assert_int_equal(bind(fd, (struct sockaddr *)&a, sizeof(a)), 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&a, &al), 0);
	port = ntohs(a.sin_port);
	close(fd);
	return port;
}

static bool
tcp_up(int port)
{
	struct sockaddr_in a = {.sin_family = AF_INET};
	int fd = socket(AF_INET, SOCK_STREAM, 0), rc;

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	a.sin_port = htons((uint16_t)port);
	rc = connect(fd, (struct sockaddr *)&a, sizeof(a));
	close(fd);
	return rc == 0;
}

/* Start argv with its output in dir/NAME.log; wait for its TCP port. */
static void
start(struct srv *v, char *const argv[], bool tcp)
{
	char log[256];
	int i, fd;

	snprintf(log, sizeof(log), "%s/%s.log", dir, v->name);
	v->pid = fork();
	assert_true(v->pid >= 0);
	if (v->pid == 0) {
		fd = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		dup2(fd, 1);
		dup2(fd, 2);
		fd = open("/dev/null", O_RDONLY);
		dup2(fd, 0);
		setsid();
		execvp(argv[0], argv);
		_exit(127);
	}
	for (i = 0; tcp && i < 200 && !tcp_up(v->port); i++)
		usleep(25000);
	if (tcp && !tcp_up(v->port))
		fail_msg("%s did not start (see %s)", v->name, log);
}

static void
stop(struct srv *v)
{
	if (v->pid > 0) {
		kill(v->pid, SIGTERM);
		waitpid(v->pid, NULL, 0);
	}
	v->pid = 0;
}

static void
need(const char *tool)
{
	char cmd[256];

	snprintf(cmd, sizeof(cmd), "command -v %s >/dev/null 2>&1", tool);
	if (system(cmd) != 0)
		fail_msg("tool '%s' is missing (run scripts/setup.sh)", tool);
}

static int
servers_up(void **state)
{
	char a[8][300], cmd[600];
	int i;

	(void)state;
	need("mosquitto");
	need("mosquitto_passwd");
	need("mosquitto_pub");
	need("lighttpd");
	need("vsftpd");
	need("snmpd");
	snprintf(dir, sizeof(dir), "/tmp/sl-login-XXXXXX");
	assert_non_null(mkdtemp(dir));
	chmod(dir, 0755);
	closed_port = free_port(SOCK_STREAM);
	closer_up();

	/* mosquitto with a password file, and an anonymous one. */
	mq_pw.port = free_port(SOCK_STREAM);
	snprintf(cmd, sizeof(cmd), "mosquitto_passwd -b -c %s/mq.pw %s %s", dir,
	         MQTT_USER, MQTT_PASS);
	assert_int_equal(system(cmd), 0);
	snprintf(cmd, sizeof(cmd), "%s/mq.pw", dir);
	chmod(cmd, 0600);
	put("mq-pw.conf",
	    "listener %d 127.0.0.1\nallow_anonymous false\n"
	    "password_file %s/mq.pw\npersistence false\nuser root\n",
	    mq_pw.port, dir);
	snprintf(a[0], sizeof(a[0]), "%s/mq-pw.conf", dir);
	start(&mq_pw, (char *const[]){"mosquitto", "-c", a[0], NULL}, true);
	mq_anon.port = free_port(SOCK_STREAM);
	put("mq-anon.conf",
	    "listener %d 127.0.0.1\nallow_anonymous true\n"
	    "persistence false\nuser root\n",
	    mq_anon.port);
	snprintf(a[0], sizeof(a[0]), "%s/mq-anon.conf", dir);
	start(&mq_anon, (char *const[]){"mosquitto", "-c", a[0], NULL}, true);
	snprintf(cmd, sizeof(cmd),
	         "mosquitto_pub -h 127.0.0.1 -p %d -t home/config -r -q 1 "
	         "-m '{\"ssid\":\"HomeNet\",\"psk\":\"%s\"}'",
	         mq_anon.port, PSK);
	assert_int_equal(system(cmd), 0);

	/* lighttpd: basic, digest, a CGI form, readable configuration. */
	web.port = free_port(SOCK_STREAM);
	mkd("www", 0755);
	mkd("www/admin", 0755);
	mkd("www/digest", 0755);
	mkd("www/form", 0755);
	mkd("www/cgi-bin", 0755);
	put("www/index.html", "<html><body><h1>Camera</h1>"
	                      "<a href=\"/admin/\">admin</a></body></html>\n");
	put("www/admin/index.html", "<html><body>admin</body></html>\n");
	put("www/digest/index.html", "<html><body>digest</body></html>\n");
	put("www/form/home.html", "<html><body>welcome</body></html>\n");
	put("www/status.json",
	    "{\"vendor\":\"T\",\"model\":\"CAM-1\","
	    "\"firmware_version\":\"1.0.2\",\"uptime\":42}\n");
	put("www/cgi-bin/config",
	    "model=CAM-1\nfirmware_version=1.0.2\nwifi_ssid=HomeNet\n"
	    "wifi_psk=%s\nadmin_user=admin\ncloud_token=7f3a9c1e5b\n",
	    PSK);
	put("www/form/login.cgi",
	    "if [ \"$REQUEST_METHOD\" = POST ]; then\n"
	    "  body=$(head -c \"${CONTENT_LENGTH:-0}\")\n"
	    "  case \"$body\" in\n"
	    "  *user=admin\\&pass=s3cret\\&csrf=t0k*)\n"
	    "    printf 'Status: 302 Found\\r\\nLocation: /form/home.html"
	    "\\r\\nSet-Cookie: sid=1\\r\\n\\r\\n'; exit 0;;\n"
	    "  esac\n"
	    "fi\n"
	    "printf 'Content-Type: text/html\\r\\n\\r\\n'\n"
	    "printf '<html><body><form method=\"post\" action=\"login.cgi\">"
	    "<input type=\"hidden\" name=\"csrf\" value=\"t0k\">"
	    "<input name=\"user\"><input type=\"password\" name=\"pass\">"
	    "<input type=\"submit\" name=\"go\" value=\"Login\">"
	    "</form></body></html>'\n");
	put("users", "admin:admin\n");
	put("lighttpd.conf",
	    "server.modules = (\"mod_auth\", \"mod_authn_file\", "
	    "\"mod_cgi\")\n"
	    "server.document-root = \"%s/www\"\n"
	    "server.bind = \"127.0.0.1\"\nserver.port = %d\n"
	    "server.errorlog = \"%s/lighttpd.err\"\n"
	    "index-file.names = (\"index.html\")\n"
	    "mimetype.assign = (\".html\" => \"text/html\", "
	    "\".json\" => \"application/json\", \"\" => \"text/plain\")\n"
	    "cgi.assign = (\".cgi\" => \"/bin/sh\")\n"
	    "auth.backend = \"plain\"\n"
	    "auth.backend.plain.userfile = \"%s/users\"\n"
	    "auth.require = (\"/admin/\" => (\"method\" => \"basic\", "
	    "\"realm\" => \"T\", \"require\" => \"valid-user\"), "
	    "\"/digest/\" => (\"method\" => \"digest\", \"realm\" => \"T\", "
	    "\"require\" => \"valid-user\"))\n",
	    dir, web.port, dir, dir);
	snprintf(a[0], sizeof(a[0]), "%s/lighttpd.conf", dir);
	start(&web, (char *const[]){"lighttpd", "-D", "-f", a[0], NULL}, true);

	/* vsftpd, anonymous only, one file to list. */
	ftp.port = free_port(SOCK_STREAM);
	mkd("ftp", 0755);
	mkd("ftp/backup", 0755);
	mkd("empty", 0755);
	put("ftp/backup/config.bak", "admin_pass=admin\n");
	put("vsftpd.conf",
	    "listen=YES\nlisten_address=127.0.0.1\nlisten_port=%d\n"
	    "background=NO\nanonymous_enable=YES\nno_anon_password=YES\n"
	    "local_enable=NO\nwrite_enable=NO\nanon_root=%s/ftp\n"
	    "secure_chroot_dir=%s/empty\nseccomp_sandbox=NO\n"
	    "xferlog_enable=NO\n",
	    ftp.port, dir, dir);
	snprintf(a[0], sizeof(a[0]), "%s/vsftpd.conf", dir);
	start(&ftp, (char *const[]){"vsftpd", a[0], NULL}, true);

	/* snmpd with community public. */
	snmp.port = free_port(SOCK_DGRAM);
	mkd("snmp", 0755);
	put("snmpd.conf", "rocommunity public 127.0.0.1\n"
	                  "sysdescr StarLab test agent\n");
	snprintf(a[0], sizeof(a[0]), "%s/snmpd.conf", dir);
	snprintf(a[1], sizeof(a[1]), "udp:127.0.0.1:%d", snmp.port);
	snprintf(a[2], sizeof(a[2]), "SNMP_PERSISTENT_DIR=%s/snmp", dir);
	snprintf(a[3], sizeof(a[3]), "%s/snmpd.pid", dir);
	start(&snmp,
	      (char *const[]){"env", "MIBS=", a[2], "snmpd", "-f", "-C", "-c",
	                      a[0], "-Ln", "-p", a[3], a[1], NULL},
	      false);
	for (i = 0; i < 100; i++) {
		snprintf(cmd, sizeof(cmd),
		         "snmpget -v2c -c public -t 0.2 -r 0 127.0.0.1:%d "
		         "1.3.6.1.2.1.1.1.0 >/dev/null 2>&1",
		         snmp.port);
		if (system(cmd) == 0)
			break;
		usleep(50000);
	}
	if (i == 100)
		fail_msg("snmpd did not answer");
	return 0;
}

static int
servers_down(void **state)
{
	char cmd[128];

	(void)state;
	stop(&mq_pw);
	stop(&mq_anon);
	stop(&web);
	stop(&ftp);
	stop(&snmp);
	if (dir[0] != 0) {
		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
		(void)system(cmd);
	}
	return 0;
}

/* A scan with a device at 127.0.0.1 and short timeouts. */
static struct sl_scan *
scan_new(unsigned max_logins, unsigned bf)
{
	struct sl_device_opts o;
	struct sl_scan *s = sl_scan_new(NULL);

	assert_non_null(s);
	sl_device_opts_default(&o);
	o.timeout_ms = 1000;
	o.max_logins = max_logins;
	o.bf_attempts = bf;
	assert_int_equal(Sl_dev_open(s, "127.0.0.1", &o), SL_OK);
	return s;
}

static struct Sl_service *
svc_add(struct sl_scan *s, int proto, int port, const char *name)
{
	struct Sl_service *v = Sl_service_add(s, proto, 0, (unsigned)port);

	assert_non_null(v);
	v->pub.name = name;
	return v;
}

/* The findings with this id; the last one in *out. */
static size_t
count_id(struct sl_scan *s, const char *id, const struct sl_finding **out)
{
	size_t i, n = 0;

	for (i = 0; i < sl_finding_count(s); i++) {
		const struct sl_finding *f = sl_finding_get(s, i);

		if (strcmp(f->id, id) == 0) {
			n++;
			if (out != NULL)
				*out = f;
		}
	}
	return n;
}

static int
open_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	int n = 0;

	while (d != NULL && readdir(d) != NULL)
		n++;
	if (d != NULL)
		closedir(d);
	return n;
}

/* ---- parsers ------------------------------------------------------- */

static void
test_tn_feed(void **state)
{
	/* DO TTYPE, WILL ECHO, a subnegotiation split over two reads. */
	static const uint8_t a[] = {255, 253, 24,  255, 251, 1,  'W',
	                            'e', 255, 250, 24,  1,   255};
	static const uint8_t b[] = {240,  'l', 0,   255, 255, '\r',
	                            '\n', 'l', 'o', 'g', 'i', 'n',
	                            ':',  ' ', 255, 254, 3,   255};
	static const uint8_t want_reply[] = {255, 252, 24, 255, 254, 1};
	struct Sl_tn_parse p = {0};
	struct Sl_buf text, reply;

	(void)state;
	Sl_buf_init(&text, 64);
	Sl_buf_init(&reply, 64);
	Sl_tn_feed(&p, a, sizeof(a), &text, &reply);
	Sl_tn_feed(&p, b, sizeof(b), &text, &reply);
	assert_int_equal(reply.n, sizeof(want_reply));
	assert_memory_equal(reply.p, want_reply, sizeof(want_reply));
	assert_int_equal(text.n, 13);
	assert_memory_equal(text.p, "Wel\xff\r\nlogin: ", 13);
	assert_int_equal(Sl_tn_judge((char *)text.p, text.n), SL_TN_LOGIN);
	/* A full window keeps at least its latest half. */
	text.max = 32;
	Sl_tn_feed(&p,
	           (const uint8_t *)"0123456789abcdefghijklmnopqrstuvwxyz"
	                            "Password: ",
	           46, &text, NULL);
	assert_true(text.n <= 32);
	assert_int_equal(Sl_tn_judge((char *)text.p, text.n), SL_TN_PASS);
	Sl_buf_free(&text);
	Sl_buf_free(&reply);
}

static void
test_tn_judge(void **state)
{
	static const struct {
		const char *text;
		int want;
	} c[] = {
	    {"", SL_TN_MORE},
	    {"Debian GNU/Linux 12\r\nsl-cam100 login: ", SL_TN_LOGIN},
	    {"Username:", SL_TN_LOGIN},
	    {"\r\nPassword: ", SL_TN_PASS},
	    {"\r\nLogin incorrect\r\n", SL_TN_DENIED},
	    {"\r\nLogin incorrect\r\nsl-cam100 login: ", SL_TN_LOGIN},
	    {"\r\nLast login: today\r\n# ", SL_TN_SHELL},
	    {"BusyBox v1.36\r\n~ $ ", SL_TN_SHELL},
	    {"Router>", SL_TN_SHELL},
	    {"Welcome\r\n", SL_TN_MORE},
	    {"% Access denied\r\n", SL_TN_DENIED},
	};
	size_t i;

	(void)state;
	for (i = 0; i < SL_ARRAY_LEN(c); i++)
		assert_int_equal(Sl_tn_judge(c[i].text, strlen(c[i].text)),
		                 c[i].want);
}

static void
test_ftp_reply(void **state)
{
	static const char multi[] = "230-Welcome\r\n230-to the\r\n"
	                            "230 Login successful.\r\nrest";
	size_t used;

	(void)state;
	assert_int_equal(Sl_ftp_reply((const uint8_t *)"220 ok\r\n", 8, &used),
	                 220);
	assert_int_equal(used, 8);
	assert_int_equal(Sl_ftp_reply((const uint8_t *)"530\r\n", 5, &used),
	                 530);
	assert_int_equal(
	    Sl_ftp_reply((const uint8_t *)multi, sizeof(multi) - 1, &used),
	    230);
	assert_int_equal(used, sizeof(multi) - 1 - 4);
	/* Incomplete: no end of line, or the last line of many missing. */
	assert_int_equal(Sl_ftp_reply((const uint8_t *)"220 ok", 6, &used), 0);
	assert_int_equal(Sl_ftp_reply((const uint8_t *)multi, 26, &used), 0);
	/* Malformed: not three digits, a code past 5xx. */
	assert_int_equal(Sl_ftp_reply((const uint8_t *)"hello\r\n", 7, &used),
	                 -1);
	assert_int_equal(Sl_ftp_reply((const uint8_t *)"999 x\r\n", 7, &used),
	                 -1);
}

/*
 * The protocol table: every descriptor can log in and names its service
 * and ports; a name belongs to one protocol; the lookup keeps what the
 * former dispatch did (ssh, telnet, ftp and rtsp only without TLS).
 */
static void
test_proto_table(void **state)
{
	const struct Sl_login_proto *const *p, *const *q;
	size_t i, k, n = 0;

	(void)state;
	for (p = Sl_login_protos; *p != NULL; p++, n++) {
		assert_non_null((*p)->login);
		assert_non_null((*p)->names[0]);
		assert_true((*p)->ports[0] != 0);
		for (i = 0; (*p)->names[i] != NULL; i++)
			for (q = p + 1; *q != NULL; q++)
				for (k = 0; (*q)->names[k] != NULL; k++)
					assert_string_not_equal((*p)->names[i],
					                        (*q)->names[k]);
	}
	assert_int_equal(n, 7);
	assert_ptr_equal(Sl_login_proto_find("ssh", false), &Sl_login_ssh);
	assert_null(Sl_login_proto_find("ssh", true));
	assert_ptr_equal(Sl_login_proto_find("telnet", false),
	                 &Sl_login_telnet);
	assert_null(Sl_login_proto_find("telnet", true));
	assert_ptr_equal(Sl_login_proto_find("ftp", false), &Sl_login_ftp);
	assert_null(Sl_login_proto_find("ftp", true));
	assert_ptr_equal(Sl_login_proto_find("http", false), &Sl_login_http);
	assert_ptr_equal(Sl_login_proto_find("https", true), &Sl_login_http);
	assert_ptr_equal(Sl_login_proto_find("mqtts", true), &Sl_login_mqtt);
	assert_ptr_equal(Sl_login_proto_find("mqtt", false), &Sl_login_mqtt);
	assert_ptr_equal(Sl_login_proto_find("rtsp", false), &Sl_login_rtsp);
	assert_null(Sl_login_proto_find("rtsp", true));
	assert_ptr_equal(Sl_login_proto_find("snmp", false), &Sl_login_snmp);
	assert_null(Sl_login_proto_find("smtp", false));
	assert_null(Sl_login_proto_find("", false));
}

static void
test_html_form(void **state)
{
	static const char page[] =
	    "<html><form id=search><input name=q></form>"
	    "<FORM Method='POST' action=\"/cgi-bin/login\">"
	    "<input type=hidden name=token value='ab12'>"
	    "<input type=text name=lang value=en>"
	    "<input name=\"username\"><INPUT TYPE=\"password\" NAME=\"pwd\">"
	    "<input type=submit name=login value=\"Log in\"></form>";
	struct Sl_form f;

	(void)state;
	assert_true(Sl_html_login_form(page, sizeof(page) - 1, &f));
	assert_string_equal(f.action, "/cgi-bin/login");
	assert_false(f.get);
	assert_string_equal(f.user, "username");
	assert_string_equal(f.pass, "pwd");
	assert_int_equal(f.nfields, 2);
	assert_string_equal(f.field[0].name, "token");
	assert_string_equal(f.field[0].value, "ab12");
	assert_string_equal(f.field[1].name, "login");
	assert_false(Sl_html_login_form("<form><input name=q></form>", 27, &f));
	/* Cut off in the middle of a tag: no form, no overread. */
	assert_false(Sl_html_login_form(page, 60, &f));
}

static void
test_config_like(void **state)
{
	static const char cfg[] = "model=CAM-1\nwifi_ssid=HomeNet\n"
	                          "wifi_psk=" PSK "\nadmin_user=admin\n";
	static const char status[] = "{\"model\":\"CAM-1\","
	                             "\"firmware_version\":\"1.0.2\"}";
	static const char json[] = "{\"ssid\": \"HomeNet\", \"mac\": "
	                           "\"00:11:22:33:44:55\"}";
	static const char xml[] = "<cfg><AdminPassword>hunter2x</AdminPassword>"
	                          "</cfg>";
	static const char html[] = "<!DOCTYPE html><form><input "
	                           "type=password name=password></form>";
	char ex[300];

	(void)state;
	assert_true(
	    Sl_unauth_config_like(cfg, sizeof(cfg) - 1, ex, sizeof(ex)));
	assert_null(strstr(ex, PSK));
	assert_non_null(strstr(ex, "wifi_psk=wi***"));
	assert_non_null(strstr(ex, "wifi_ssid=HomeNet"));
	assert_false(
	    Sl_unauth_config_like(status, sizeof(status) - 1, ex, sizeof(ex)));
	assert_true(
	    Sl_unauth_config_like(json, sizeof(json) - 1, ex, sizeof(ex)));
	assert_true(
	    Sl_unauth_config_like(xml, sizeof(xml) - 1, ex, sizeof(ex)));
	assert_null(strstr(ex, "hunter2x"));
	assert_false(
	    Sl_unauth_config_like(html, sizeof(html) - 1, ex, sizeof(ex)));
}

static void
test_mask(void **state)
{
	static const char pl[] = "{\"ssid\":\"HomeNet\",\"psk\":\"" PSK "\"}";
	char out[200];

	(void)state;
	Sl_unauth_mask("home/config", (const uint8_t *)pl, sizeof(pl) - 1, out,
	               sizeof(out));
	assert_null(strstr(out, PSK));
	assert_non_null(strstr(out, "\"ssid\":\"HomeNet\""));
	assert_non_null(strstr(out, "\"psk\":\"wi*"));
	Sl_unauth_mask("dev/1/password", (const uint8_t *)"opensesame", 10, out,
	               sizeof(out));
	assert_string_equal(out, "op********");
}

static void
test_upnp_adb(void **state)
{
	static const char desc[] =
	    "<root><device><serviceList><service><serviceType>"
	    "urn:schemas-upnp-org:service:Layer3Forwarding:1</serviceType>"
	    "<controlURL>/ctl/L3F</controlURL></service><service>"
	    "<serviceType>urn:schemas-upnp-org:service:WANIPConnection:1"
	    "</serviceType><controlURL> /ctl/IPConn </controlURL>"
	    "</service></serviceList></device></root>";
	uint8_t h[24] = {'C', 'N', 'X', 'N', 1, 0, 0, 1,
	                 0,   0,   4,   0,   7, 0, 0, 0};
	char url[100], type[100], cmd[5];
	uint32_t len, magic = 0x4e584e43u ^ 0xffffffffu;

	(void)state;
	assert_true(Sl_upnp_control(desc, sizeof(desc) - 1, url, sizeof(url),
	                            type, sizeof(type)));
	assert_string_equal(url, "/ctl/IPConn");
	assert_string_equal(type,
	                    "urn:schemas-upnp-org:service:WANIPConnection:1");
	assert_false(
	    Sl_upnp_control(desc, 150, url, sizeof(url), type, sizeof(type)));
	memcpy(h + 20, &magic, 4);
	assert_true(Sl_adb_header(h, sizeof(h), cmd, &len));
	assert_string_equal(cmd, "CNXN");
	assert_int_equal(len, 7);
	h[20] ^= 1;
	assert_false(Sl_adb_header(h, sizeof(h), cmd, &len));
	assert_false(Sl_adb_header(h, 23, cmd, &len));
}

/* ---- logins against the servers ------------------------------------ */

static void
test_login_mqtt(void **state)
{
	enum Sl_login r;
	struct sl_scan *s = scan_new(64, 20);
	struct Sl_service *v = svc_add(s, IPPROTO_TCP, mq_pw.port, "mqtt");
	char d[160];

	(void)state;
	assert_int_equal(Sl_login_try(s, v, MQTT_USER, MQTT_PASS, d, sizeof(d)),
	                 SL_LOGIN_OK);
	assert_int_equal(Sl_login_try(s, v, MQTT_USER, "wrong", d, sizeof(d)),
	                 SL_LOGIN_DENIED);
	assert_int_equal(Sl_login_try(s, v, "", "", d, sizeof(d)),
	                 SL_LOGIN_DENIED);
	v = svc_add(s, IPPROTO_TCP, closed_port, "mqtt");
	assert_int_equal(Sl_login_try(s, v, "a", "b", d, sizeof(d)),
	                 SL_LOGIN_BLOCKED);
	sl_scan_free(s);

	/*
	 * Over TLS: a refused connect, and a connection closed during the
	 * handshake, are refusals before any password (libmosquitto alone
	 * retries such a handshake until the deadline: "no CONNACK").
	 */
	s = scan_new(64, 20);
	v = svc_add(s, IPPROTO_TCP, closed_port, "mqtt");
	v->pub.tls = true;
	assert_int_equal(Sl_login_try(s, v, "a", "b", d, sizeof(d)),
	                 SL_LOGIN_BLOCKED);
	assert_true(Sl_login_blind());
	assert_non_null(strstr(d, "connection refused"));
	v = svc_add(s, IPPROTO_TCP, closer_port, "mqtt");
	v->pub.tls = true;
	r = Sl_login_try(s, v, "a", "b", d, sizeof(d));
	if (r != SL_LOGIN_BLOCKED)
		fprintf(stderr, "closer: %d %s\n", r, d);
	assert_int_equal(r, SL_LOGIN_BLOCKED);
	assert_true(Sl_login_blind());
	assert_null(strstr(d, "no CONNACK"));
	sl_scan_free(s);
}

static void
test_login_http(void **state)
{
	struct sl_scan *s = scan_new(64, 20);
	struct Sl_service *v = svc_add(s, IPPROTO_TCP, web.port, "http");
	struct Sl_login_conn *keep = NULL;
	const char *auth = NULL;
	char d[160], path[100];
	CURL *h = NULL;
	int i;

	(void)state;
	/* Where the credentials are asked for. */
	assert_true(Sl_http_find_login(s, v, &h, &auth, path, sizeof(path)));
	assert_string_equal(auth, "basic");
	assert_string_equal(path, "/admin/");
	v->auth = "basic";
	v->realm_path = "/admin/";
	/* Kept connection over several attempts. */
	for (i = 0; i < 3; i++)
		assert_int_equal(Sl_login_attempt(s, v, "admin", "nope", &keep,
		                                  d, sizeof(d)),
		                 SL_LOGIN_DENIED);
	assert_int_equal(
	    Sl_login_attempt(s, v, "admin", "admin", &keep, d, sizeof(d)),
	    SL_LOGIN_OK);
	Sl_login_conn_free(keep);
	/* Digest. */
	v->auth = "digest";
	v->realm_path = "/digest/";
	assert_int_equal(Sl_login_try(s, v, "admin", "admin", d, sizeof(d)),
	                 SL_LOGIN_OK);
	assert_int_equal(Sl_login_try(s, v, "admin", "x", d, sizeof(d)),
	                 SL_LOGIN_DENIED);
	/* Unknown scheme: whatever the challenge asks. */
	v->auth = NULL;
	assert_int_equal(Sl_login_try(s, v, "admin", "admin", d, sizeof(d)),
	                 SL_LOGIN_OK);
	/* The CGI login form, its hidden field sent along. */
	v->realm_path = "/form/login.cgi";
	assert_true(Sl_http_find_login(s, v, &h, &auth, path, sizeof(path)));
	assert_string_equal(auth, "form");
	v->auth = "form";
	assert_int_equal(Sl_login_try(s, v, "admin", "s3cret", d, sizeof(d)),
	                 SL_LOGIN_OK);
	assert_non_null(strstr(d, "/form/home.html"));
	assert_int_equal(Sl_login_try(s, v, "admin", "admin", d, sizeof(d)),
	                 SL_LOGIN_DENIED);
	/* A request for another host is refused before any traffic. */
	{
		struct Sl_http_resp r;

		assert_int_not_equal(
		    Sl_http_request(s, v, &h, "GET", "http://192.0.2.1/x", NULL,
		                    NULL, NULL, NULL, NULL, SL_HTTP_NONE, &r),
		    SL_OK);
		Sl_http_resp_free(&r);
	}
	curl_easy_cleanup(h);
	v = svc_add(s, IPPROTO_TCP, closed_port, "http");
	assert_int_equal(Sl_login_try(s, v, "a", "b", d, sizeof(d)),
	                 SL_LOGIN_BLOCKED);
	sl_scan_free(s);
}

static void
test_login_ftp(void **state)
{
	struct sl_scan *s = scan_new(64, 20);
	struct Sl_service *v = svc_add(s, IPPROTO_TCP, ftp.port, "ftp");
	struct Sl_login_conn *keep = NULL;
	struct Sl_buf list;
	char d[160];
	int i, fds = open_fds();

	(void)state;
	assert_int_equal(Sl_login_try(s, v, "anonymous", "x@y", d, sizeof(d)),
	                 SL_LOGIN_OK);
	/* vsftpd drops the connection after a few failures: reconnects. */
	for (i = 0; i < 6; i++)
		assert_int_equal(
		    Sl_login_attempt(s, v, "root", "root", &keep, d, sizeof(d)),
		    SL_LOGIN_DENIED);
	assert_int_equal(
	    Sl_login_attempt(s, v, "anonymous", "", &keep, d, sizeof(d)),
	    SL_LOGIN_OK);
	Sl_login_conn_free(keep);
	assert_int_equal(open_fds(), fds);
	Sl_buf_init(&list, 1024);
	assert_int_equal(Sl_ftp_list(s, v, "anonymous", "x@y", &list), SL_OK);
	assert_non_null(strstr((char *)list.p, "backup"));
	Sl_buf_free(&list);
	assert_int_equal(Sl_login_try(s, v, "a\r\nDELE x", "b", d, sizeof(d)),
	                 SL_LOGIN_ERROR);
	v = svc_add(s, IPPROTO_TCP, closed_port, "ftp");
	assert_int_equal(Sl_login_try(s, v, "a", "b", d, sizeof(d)),
	                 SL_LOGIN_BLOCKED);
	v = svc_add(s, IPPROTO_TCP, closed_port, "telnet");
	assert_int_equal(Sl_login_try(s, v, "a", "b", d, sizeof(d)),
	                 SL_LOGIN_BLOCKED);
	v = svc_add(s, IPPROTO_TCP, closed_port, "ssh");
	assert_int_equal(Sl_login_try(s, v, "a", "b", d, sizeof(d)),
	                 SL_LOGIN_BLOCKED);
	sl_scan_free(s);
}

static void
test_login_snmp(void **state)
{
	struct sl_scan *s = scan_new(64, 20);
	struct Sl_service *v = svc_add(s, IPPROTO_UDP, snmp.port, "snmp");
	const char *env = getenv("SL_TEST_TIMEOUT_MS");
	char d[160];

	(void)state;
	/* SNMP answers a right community and is silent to a wrong one: the
	 * agent's answer must come within the step, which a sanitizer build
	 * on a loaded machine can miss at 1 s (valgrind sets 30 s). */
	s->dev->o.timeout_ms =
	    env != NULL ? (unsigned)strtoul(env, NULL, 10) : 3000;
	assert_int_equal(Sl_login_try(s, v, "", "public", d, sizeof(d)),
	                 SL_LOGIN_OK);
	assert_non_null(strstr(d, "StarLab test agent"));
	assert_int_equal(Sl_login_try(s, v, "", "not-this-one", d, sizeof(d)),
	                 SL_LOGIN_DENIED);
	v = svc_add(s, IPPROTO_TCP, web.port, "x-unknown");
	assert_int_equal(Sl_login_try(s, v, "a", "b", d, sizeof(d)),
	                 SL_LOGIN_UNSUPPORTED);
	sl_scan_free(s);
}

/* ---- the checks ---------------------------------------------------- */

static void
test_check_unauth(void **state)
{
	struct sl_scan *s = scan_new(64, 20);
	const struct sl_finding *f = NULL;

	(void)state;
	svc_add(s, IPPROTO_TCP, web.port, "http");
	svc_add(s, IPPROTO_TCP, mq_anon.port, "mqtt");
	svc_add(s, IPPROTO_TCP, mq_pw.port, "mqtt");
	svc_add(s, IPPROTO_TCP, ftp.port, "ftp");
	svc_add(s, IPPROTO_UDP, snmp.port, "snmp");
	assert_int_equal(Sl_check_unauth.run(s), SL_OK);

	assert_int_equal(count_id(s, "NET-UNAUTH-HTTP", &f), 1);
	assert_string_equal(f->requirements[0], "S1.1-01");
	assert_int_equal(f->evidence.port, (unsigned)web.port);
	assert_non_null(strstr(f->evidence.excerpt, "/cgi-bin/config"));
	assert_null(strstr(f->evidence.excerpt, PSK));

	assert_int_equal(count_id(s, "NET-MQTT-ANONYMOUS", &f), 1);
	assert_int_equal(f->evidence.port, (unsigned)mq_anon.port);
	assert_int_equal(f->severity, SL_SEV_CRITICAL);
	assert_non_null(strstr(f->evidence.excerpt, "home/config"));
	assert_null(strstr(f->evidence.excerpt, PSK));

	assert_int_equal(count_id(s, "NET-FTP-ANONYMOUS", &f), 1);
	assert_non_null(strstr(f->evidence.excerpt, "backup"));

	assert_int_equal(count_id(s, "NET-SNMP-DEFAULT-COMMUNITY", &f), 1);
	assert_string_equal(f->requirements[0], "S1.1-01");
	assert_string_equal(f->requirements[1], "S1.1-02");
	assert_null(strstr(f->evidence.excerpt, "public"));
	assert_non_null(strstr(f->evidence.excerpt, "StarLab test agent"));
	sl_scan_free(s);
}

static void
test_check_creds(void **state)
{
	struct sl_scan *s = scan_new(24, 20);
	const struct sl_finding *f = NULL;
	char path[256];
	size_t i;

	(void)state;
	snprintf(path, sizeof(path), "%s/creds.txt", dir);
	put("creds.txt", "# tester's list\n%s:%s\n", MQTT_USER, MQTT_PASS);
	s->dev->o.creds_file = path;
	svc_add(s, IPPROTO_TCP, web.port, "http");
	svc_add(s, IPPROTO_TCP, mq_pw.port, "mqtt");
	svc_add(s, IPPROTO_TCP, mq_anon.port, "mqtt");
	svc_add(s, IPPROTO_TCP, ftp.port, "ftp");
	assert_int_equal(Sl_check_creds.run(s), SL_OK);
	assert_int_equal(count_id(s, "NET-DEFAULT-CREDENTIALS", NULL), 2);
	for (i = 0; i < sl_finding_count(s); i++) {
		f = sl_finding_get(s, i);
		assert_string_equal(f->id, "NET-DEFAULT-CREDENTIALS");
		assert_int_equal(f->severity, SL_SEV_CRITICAL);
		assert_string_equal(f->requirements[0], "S1.1-02");
		assert_null(f->requirements[1]);
		assert_true(f->evidence.port == (unsigned)web.port ||
		            f->evidence.port == (unsigned)mq_pw.port);
		if (f->evidence.port == (unsigned)web.port) {
			assert_non_null(strstr(f->evidence.excerpt,
			                       "user \"admin\" with password "
			                       "\"*****\""));
		} else {
			assert_non_null(strstr(f->evidence.excerpt, MQTT_USER));
			assert_null(strstr(f->evidence.excerpt, MQTT_PASS));
		}
	}
	sl_scan_free(s);
	/* A missing credentials file is an error, not silence. */
	s = scan_new(24, 20);
	s->dev->o.creds_file = "/nonexistent/creds.txt";
	assert_int_equal(Sl_check_creds.run(s), SL_E_IO);
	sl_scan_free(s);
}

static void
test_check_bruteforce(void **state)
{
	struct sl_scan *s = scan_new(64, 8);
	const struct sl_finding *f = NULL;
	struct Sl_profile *p;
	size_t i;

	(void)state;
	svc_add(s, IPPROTO_TCP, web.port, "http");
	svc_add(s, IPPROTO_TCP, mq_pw.port, "mqtt");
	svc_add(s, IPPROTO_TCP, mq_anon.port, "mqtt"); /* no auth: skipped */
	assert_int_equal(Sl_check_bruteforce.run(s), SL_OK);
	assert_int_equal(count_id(s, "NET-NO-BRUTEFORCE-PROTECTION", NULL), 2);
	assert_int_equal(sl_finding_count(s), 2);
	for (i = 0; i < sl_finding_count(s); i++) {
		f = sl_finding_get(s, i);
		assert_int_equal(f->severity, SL_SEV_HIGH);
		assert_string_equal(f->requirements[0], "S1.1-04");
		/* At least the 8 planned; more while it answers fast. */
		assert_non_null(
		    strstr(f->evidence.excerpt, " wrong passwords for user"));
		assert_non_null(strstr(f->evidence.excerpt,
		                       "no lockout, delay or refusal"));
	}
	sl_scan_free(s);

	/* A constrained device: the same, as information. */
	s = scan_new(64, 4);
	p = Sl_arena_alloc(&s->arena, sizeof(*p));
	assert_non_null(p);
	memset(p, 0, sizeof(*p));
	p->constrained = true;
	s->profile = p;
	svc_add(s, IPPROTO_TCP, mq_pw.port, "mqtt");
	assert_int_equal(Sl_check_bruteforce.run(s), SL_OK);
	assert_int_equal(count_id(s, "NET-NO-BRUTEFORCE-PROTECTION", &f), 1);
	assert_int_equal(f->severity, SL_SEV_INFO);
	sl_scan_free(s);

	/* Refused from the start: protection, not its absence. */
	s = scan_new(64, 4);
	svc_add(s, IPPROTO_TCP, closed_port, "mqtt");
	assert_int_equal(Sl_check_bruteforce.run(s), SL_OK);
	assert_int_equal(count_id(s, "NET-BRUTEFORCE-PROTECTION", &f), 1);
	assert_int_equal(f->severity, SL_SEV_INFO);
	assert_int_equal(count_id(s, "NET-NO-BRUTEFORCE-PROTECTION", NULL), 0);
	/* A refused connect never saw a password: no bypass to claim. */
	assert_non_null(
	    strstr(f->evidence.excerpt, "before any password was judged"));
	assert_int_equal(s->unjudged[3], 0);
	sl_scan_free(s);

	/* No login service on the ports scanned: S1.1-04 not judged. */
	s = scan_new(64, 4);
	s->dev->o.ports = "80";
	assert_int_equal(Sl_check_bruteforce.run(s), SL_OK);
	assert_int_equal(sl_finding_count(s), 0);
	assert_true(s->unjudged[3] & SL_SRC_NETWORK);
	assert_non_null(strstr(s->unjudged_why[3][1], "TCP 80"));
	sl_scan_free(s);

	/* Logins found, but --ports left out part of the device. */
	s = scan_new(64, 4);
	s->dev->o.ports = "21-1883";
	svc_add(s, IPPROTO_TCP, closed_port, "mqtt");
	assert_true(Sl_ports_has("22,80,8000-8100", 8080));
	assert_true(Sl_ports_has("22,80,8000-8100", 22));
	assert_false(Sl_ports_has("22,80,8000-8100", 81));
	assert_false(Sl_ports_has("22,80,8000-8100", 8101));
	assert_int_equal(Sl_check_bruteforce.run(s), SL_OK);
	assert_true(s->unjudged[3] & SL_SRC_NETWORK);
	assert_non_null(
	    strstr(s->unjudged_why[3][1], "only TCP ports 21-1883"));
	sl_scan_free(s);

	/* Attempts turned off: not judged either. */
	s = scan_new(64, 0);
	svc_add(s, IPPROTO_TCP, mq_pw.port, "mqtt");
	assert_int_equal(Sl_check_bruteforce.run(s), SL_OK);
	assert_true(s->unjudged[3] & SL_SRC_NETWORK);
	sl_scan_free(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_tn_feed),
	    cmocka_unit_test(test_tn_judge),
	    cmocka_unit_test(test_ftp_reply),
	    cmocka_unit_test(test_html_form),
	    cmocka_unit_test(test_proto_table),
	    cmocka_unit_test(test_config_like),
	    cmocka_unit_test(test_mask),
	    cmocka_unit_test(test_upnp_adb),
	    cmocka_unit_test(test_login_mqtt),
	    cmocka_unit_test(test_login_http),
	    cmocka_unit_test(test_login_ftp),
	    cmocka_unit_test(test_login_snmp),
	    cmocka_unit_test(test_check_unauth),
	    cmocka_unit_test(test_check_creds),
	    cmocka_unit_test(test_check_bruteforce),
	};

	signal(SIGPIPE, SIG_IGN);
	return cmocka_run_group_tests(tests, servers_up, servers_down);
}
