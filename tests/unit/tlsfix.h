/*
 * tlsfix.h - real servers on 127.0.0.1 for the device-check unit tests
 * (test_tls.c, test_plaintext.c, test_securitytxt.c): a scratch
 * directory, shell steps run in it (openssl to make certificates), a
 * child process started on a free port, waiting for it to listen, and
 * stopping it by its process id.  Only processes started here are ever
 * signalled.
 */
#ifndef TLSFIX_H
#define TLSFIX_H

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static char fx_dir[64];

/* Make the scratch directory; returns false when it cannot. */
static bool
fx_init(void)
{
	snprintf(fx_dir, sizeof(fx_dir), "/tmp/sl-unit-net.XXXXXX");
	return mkdtemp(fx_dir) != NULL;
}

/* Run a shell command (printf format) inside the scratch directory. */
__attribute__((format(printf, 1, 2))) static int
fx_sh(const char *fmt, ...)
{
	char cmd[4096];
	int n;
	va_list ap;

	n = snprintf(cmd, sizeof(cmd), "cd '%s' && (", fx_dir);
	va_start(ap, fmt);
	n += vsnprintf(cmd + n, sizeof(cmd) - (size_t)n, fmt, ap);
	va_end(ap);
	snprintf(cmd + n, sizeof(cmd) - (size_t)n, ") >/dev/null 2>&1");
	return system(cmd);
}

static void
fx_cleanup(void)
{
	char cmd[128];

	if (fx_dir[0] == 0)
		return;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", fx_dir);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", fx_dir);
}

/* A TCP port on 127.0.0.1 that was free a moment ago. */
static unsigned
fx_free_port(void)
{
	struct sockaddr_in a = {.sin_family = AF_INET};
	socklen_t al = sizeof(a);
	unsigned port = 0;
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (fd >= 0 && bind(fd, (struct sockaddr *)&a, sizeof(a)) == 0 &&
	    getsockname(fd, (struct sockaddr *)&a, &al) == 0)
		port = ntohs(a.sin_port);
	if (fd >= 0)
		close(fd);
	return port;
}

/* Can we connect to 127.0.0.1:port? */
static bool
fx_listening(unsigned port)
{
	struct sockaddr_in a = {.sin_family = AF_INET};
	int fd = socket(AF_INET, SOCK_STREAM, 0), rc;

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	a.sin_port = htons((uint16_t)port);
	rc = fd >= 0 ? connect(fd, (struct sockaddr *)&a, sizeof(a)) : -1;
	if (fd >= 0)
		close(fd);
	return rc == 0;
}

/*
 * Start argv (NULL-terminated) in the scratch directory (or its
 * subdirectory sub), its output discarded, and wait up to 10 s until port
 * listens.  Returns the pid, or -1 (the child is stopped then).
 */
static pid_t
fx_start_in(char *const argv[], unsigned port, const char *sub)
{
	struct timespec ts = {0, 50 * 1000 * 1000};
	pid_t pid = fork();
	int i;

	if (pid < 0)
		return -1;
	if (pid == 0) {
		int nul = open("/dev/null", O_RDWR);

		if (chdir(fx_dir) != 0 || nul < 0 ||
		    (sub != NULL && chdir(sub) != 0))
			_exit(127);
		dup2(nul, 0);
		dup2(nul, 1);
		dup2(nul, 2);
		execvp(argv[0], argv);
		_exit(127);
	}
	for (i = 0; i < 200; i++) {
		int st;

		if (fx_listening(port))
			return pid;
		if (waitpid(pid, &st, WNOHANG) == pid)
			return -1;
		nanosleep(&ts, NULL);
	}
	kill(pid, SIGTERM);
	waitpid(pid, NULL, 0);
	return -1;
}

static pid_t
fx_start(char *const argv[], unsigned port)
{
	return fx_start_in(argv, port, NULL);
}

static void
fx_stop(pid_t pid)
{
	if (pid > 0) {
		kill(pid, SIGTERM);
		waitpid(pid, NULL, 0);
	}
}

#endif
