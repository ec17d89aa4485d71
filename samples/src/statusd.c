/*
 * statusd.c - the sample router's status daemon: answers "status" on UDP
 * port 9999 with the model name.  It exists to give the sample firmware
 * one real MIPS ELF, built the way many vendor SDKs still build daemons:
 * no stack canary, no PIE, and an executable stack
 * (samples/build.sh compiles it with mips-linux-gnu-gcc -z execstack), so
 * that fw.hardening has something to report (FW-ELF-EXECSTACK).
 */
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

int
main(void)
{
	struct sockaddr_in a;
	char buf[64];
	int fd = socket(AF_INET, SOCK_DGRAM, 0);

	if (fd < 0)
		return 1;
	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_port = htons(9999);
	if (bind(fd, (struct sockaddr *)&a, sizeof(a)) != 0)
		return 1;
	for (;;) {
		struct sockaddr_in from;
		socklen_t fl = sizeof(from);
		ssize_t n = recvfrom(fd, buf, sizeof(buf) - 1, 0,
		                     (struct sockaddr *)&from, &fl);

		if (n <= 0)
			continue;
		buf[n] = 0;
		if (strncmp(buf, "status", 6) == 0)
			(void)sendto(fd, "SDR-100 ok\n", 11, 0,
			             (struct sockaddr *)&from, fl);
	}
}
