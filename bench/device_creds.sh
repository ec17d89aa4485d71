#!/usr/bin/env bash
# bench/device_creds.sh - default-credential attempts per second of
# net.creds (src/check/device/creds.c over src/net/login.c) against hydra,
# at the same parallelism, on the same list, against the same service, in
# one run.
#
# Targets (real services):
#   http   nginx on 127.0.0.1 with HTTP basic auth on "/" (nginx adds no
#          delay to failures, so the clients' own speed shows)
#   ssh    the insecure netns fixture device's dropbear (root password
#          login; dropbear itself delays each failure by about 0.3 s),
#          when running as root (network namespaces; skip with
#          BENCH_SSH=0)
# Not telnet: hydra 9.4's telnet module misjudges inetutils telnetd +
# login(1) (it reports root:root as wrong, and with -t 4 it stalls on its
# timeouts at about 3 tries a minute), so there is nothing to compare.
# The list: BENCH_HTTP_N (2000) and BENCH_SSH_N (200) "user:password"
# lines that are all wrong, so that both tools try every one.
#   hydra    hydra -I -t P -C LIST ... http-get / | ssh
#   starlab  a small harness linked with libstarlab_static.a: the device
#            is the target, the service added by hand (as the port scan
#            would), net.creds run with --creds LIST and max_logins set so
#            that exactly the list (plus net.creds' one random probe) is
#            tried, login_parallel = P
# Wall clock of the whole run for both, P = BENCH_PAR (4, starlab's
# default) and 16.  A benchmark, not a test: it asserts nothing.  Goal:
# starlab's attempts/s >= hydra's.
#
# Usage: bench/device_creds.sh [BUILD_DIR]   (default: build)
set -euo pipefail
# The environment a user has: no TZ (servers and containers leave it unset).
unset TZ
top=$(cd "$(dirname "$0")/.." && pwd)
bd=$(cd "${1:-$top/build}" && pwd)
lib=$bd/libstarlab_static.a
[ -f "$lib" ] || {
	echo "build libstarlab first (cmake --build $bd)" >&2
	exit 1
}
for t in hydra nginx cc pkg-config python3 openssl; do
	command -v "$t" >/dev/null || {
		echo "missing $t (apt-get install hydra nginx-light)" >&2
		exit 1
	}
done
nhttp=${BENCH_HTTP_N:-2000}
nssh=${BENCH_SSH_N:-200}
pars=${BENCH_PAR:-"4 16"}
w=$(mktemp -d /tmp/starlab-bench-creds.XXXXXX)
pids=()
dev=
cleanup() {
	local p
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
	[ -z "$dev" ] ||
		"$top/tests/fixtures/netns/device.sh" down "$dev" >/dev/null 2>&1 || true
	[ -n "${BENCH_KEEP:-}" ] || rm -rf "$w"
}
trap cleanup EXIT

# ---- the harness -------------------------------------------------------
cat >"$w/harness.c" <<'C'
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check/check.h"
#include "net/net.h"

extern const struct Sl_check Sl_check_creds;

/*
 * harness HOST PORT NAME LIST LINES PAR [REALM]: net.creds on one service;
 * print the milliseconds and the findings (there should be none).
 */
int
main(int argc, char **argv)
{
	struct sl_scan *s = sl_scan_new(NULL);
	struct sl_device_opts o;
	struct Sl_service *v;
	uint64_t t;

	if (argc < 7 || s == NULL)
		return 2;
	sl_device_opts_default(&o);
	o.creds_file = argv[4];
	o.max_logins = (unsigned)atoi(argv[5]) + 1; /* + the random probe */
	o.login_parallel = (unsigned)atoi(argv[6]);
	if (Sl_dev_open(s, argv[1], &o) != SL_OK) {
		fprintf(stderr, "%s\n", sl_scan_error(s));
		return 1;
	}
	v = Sl_service_add(s, IPPROTO_TCP, 0, (unsigned)atoi(argv[2]));
	v->pub.name = argv[3];
	if (argc > 7) {
		v->auth = "basic";
		v->realm_path = argv[7];
	}
	t = Sl_now_ms();
	if (Sl_check_creds.run(s) != SL_OK) {
		fprintf(stderr, "%s\n", sl_scan_error(s));
		return 1;
	}
	printf("%llu %zu %zu\n", (unsigned long long)(Sl_now_ms() - t),
	       sl_finding_count(s), sl_scan_incomplete_count(s));
	sl_scan_free(s);
	return 0;
}
C
deps="libsquashfs1 libarchive jansson yaml-0.1 libelf libcrypto libssl zlib
liblzma libzstd liblz4 lzo2 ext2fs libhs libxcrypt libssh libcurl libmosquitto"
# shellcheck disable=SC2086
cc -O2 -D_GNU_SOURCE -I"$top/src" -I"$top/include" "$w/harness.c" "$lib" \
	$(pkg-config --cflags --libs $deps) -lstdc++ -lpthread -lm \
	-o "$w/harness"

# mklist FILE N USER: N wrong user:password lines.
mklist() {
	python3 - "$1" "$2" "$3" <<'PY'
import sys
with open(sys.argv[1], "w") as f:
    for i in range(int(sys.argv[2])):
        f.write("%s:wrong-%05d\n" % (sys.argv[3], i))
PY
}

now() { date +%s.%N; }

# compare NAME N PAR HYDRA_CMD... -- HARNESS_ARGS...: time both, print.
compare() {
	local name=$1 n=$2 par=$3 t0 t1 th ts out
	shift 3
	local hcmd=()
	while [ "$1" != -- ]; do
		hcmd+=("$1")
		shift
	done
	shift
	t0=$(now)
	"${hcmd[@]}" >"$w/hydra.$name.$par.log" 2>&1 || true
	t1=$(now)
	th=$(python3 -c "print($t1 - $t0)")
	grep -q "0 valid password" "$w/hydra.$name.$par.log" ||
		echo "  (hydra: $(tail -1 "$w/hydra.$name.$par.log"))"
	out=$("$w/harness" "$@")
	ts=$(python3 -c "print(${out%% *} / 1000.0)")
	python3 - "$name" "$n" "$par" "$th" "$ts" "$out" <<'PY'
import sys
name, n, par, th, ts, out = sys.argv[1:]
n, th, ts = int(n), float(th), float(ts)
rh, rs = n / th, (n + 1) / ts
f, inc = out.split()[1:3]
print("%-6s P=%-3s hydra %6.1f s %8.1f/s | starlab %6.1f s %8.1f/s | "
      "starlab/hydra %.2f  (findings %s, incomplete %s)"
      % (name, par, th, rh, ts, rs, rs / rh, f, inc))
PY
}

# ---- http: nginx basic auth on 127.0.0.1 -------------------------------
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
mkdir -p "$w/www" "$w/nginx"
echo ok >"$w/www/index.html"
printf 'admin:%s\n' "$(openssl passwd -apr1 "$(openssl rand -hex 12)")" \
	>"$w/htpasswd"
cat >"$w/nginx.conf" <<EOF
daemon off;
user root;
worker_processes 1;
pid $w/nginx.pid;
error_log $w/nginx.err;
events { worker_connections 1024; }
http {
    access_log off;
    client_body_temp_path $w/nginx/body;
    proxy_temp_path $w/nginx/proxy;
    fastcgi_temp_path $w/nginx/fastcgi;
    uwsgi_temp_path $w/nginx/uwsgi;
    scgi_temp_path $w/nginx/scgi;
    server {
        listen 127.0.0.1:$port;
        root $w/www;
        auth_basic "bench";
        auth_basic_user_file $w/htpasswd;
        location / { }
    }
}
EOF
nginx -c "$w/nginx.conf" -e "$w/nginx.err" &
pids+=($!)
for _ in $(seq 100); do
	timeout 1 bash -c "exec 3<>/dev/tcp/127.0.0.1/$port" 2>/dev/null && break
	sleep 0.05
done
mklist "$w/http.list" "$nhttp" admin
echo "attempts/s, $nhttp wrong admin:password pairs, HTTP basic (nginx, 127.0.0.1)"
for par in $pars; do
	compare http "$nhttp" "$par" \
		hydra -I -t "$par" -C "$w/http.list" -s "$port" 127.0.0.1 \
		http-get / -- \
		127.0.0.1 "$port" http "$w/http.list" "$nhttp" "$par" /
done

# ---- ssh: the netns device ---------------------------------------------
if [ "${BENCH_SSH:-1}" = 1 ] && [ "$(id -u)" = 0 ]; then
	dev=sl-bcr-$$
	"$top/tests/fixtures/netns/device.sh" up insecure "$dev" >"$w/dev.env"
	# shellcheck disable=SC1091
	. "$w/dev.env"
	mklist "$w/ssh.list" "$nssh" root
	echo "attempts/s, $nssh wrong root:password pairs, SSH (dropbear, netns device)"
	for par in $pars; do
		compare ssh "$nssh" "$par" \
			hydra -I -t "$par" -C "$w/ssh.list" "$DEV_IP4" ssh -- \
			"$DEV_IP4" 22 ssh "$w/ssh.list" "$nssh" "$par"
	done
else
	echo "ssh: skipped (needs root for the netns device; BENCH_SSH=${BENCH_SSH:-1})"
fi
