#!/usr/bin/env bash
# bench/device_ports.sh - the full TCP connect scan (src/net/portscan.c,
# what `starlab device` runs first) against `nmap -sT -p- -T4` on the
# same host, in one run, with both lists of open ports side by side.
#
# The host is the insecure netns fixture device
# (tests/fixtures/netns/device.sh; needs root): real services behind a
# veth pair, IPv4.  With BENCH_LOCAL=1 (no root needed) it is 127.0.0.1
# with two listeners the script starts (python3 -m http.server, socat).
#
# Timed, wall clock, BENCH_RUNS (3) rounds, each round nmap then starlab
# back to back so that both see the same load on the machine:
#   nmap      nmap -sT -p- -T4 -n -Pn HOST (connect scan, every port, no
#             ping, no DNS: the same work)
#   starlab   a small harness linked with libstarlab_static.a: resolve,
#             Sl_portscan over 1-65535 with the rate cap lifted
#             (o.rate = 10^6: nmap -T4 has none), adaptive concurrency
#   starlab at the default rate (SL_NET_RATE connects per second, what
#             `starlab device` uses unless --rate says otherwise), once,
#             for reference
# The open ports must agree.  This is a benchmark, not a test: it asserts
# nothing, and exits 1 only when the open ports differ.  Goal: starlab's
# best at most 0.5x nmap's best.
#
# Usage: bench/device_ports.sh [BUILD_DIR]   (default: build)
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
for t in nmap cc pkg-config python3; do
	command -v "$t" >/dev/null || {
		echo "missing $t (apt-get install nmap)" >&2
		exit 1
	}
done
runs=${BENCH_RUNS:-3}
w=$(mktemp -d /tmp/starlab-bench-ports.XXXXXX)
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

#include "net/stages.h"

/* harness HOST RATE: scan 1-65535 once; print ms, stats, open ports. */
int
main(int argc, char **argv)
{
	struct sl_scan *s = sl_scan_new(NULL);
	struct sl_device_opts o;
	struct Sl_scan_stats st;
	size_t i;

	if (argc != 3 || s == NULL)
		return 2;
	sl_device_opts_default(&o);
	o.udp = false;
	o.rate = (unsigned)atoi(argv[2]);
	if (Sl_dev_open(s, argv[1], &o) != SL_OK ||
	    Sl_portscan(s, &st) != SL_OK) {
		fprintf(stderr, "%s\n", sl_scan_error(s));
		return 1;
	}
	printf("%llu\n", (unsigned long long)st.elapsed_ms);
	printf("open %zu closed %zu filtered %zu retries %zu "
	       "concurrency max %u end %u srtt %u ms\n",
	       st.open, st.closed, st.filtered, st.retries, st.conc_max,
	       st.conc_end, st.srtt_ms);
	for (i = 0; i < sl_service_count(s); i++)
		printf("%s%u", i ? "," : "", sl_service_get(s, i)->port);
	printf("\n");
	sl_scan_free(s);
	return 0;
}
C
deps="libsquashfs1 libarchive jansson yaml-0.1 libelf libcrypto libssl zlib liblzma libzstd liblz4 lzo2 ext2fs libhs libxcrypt libssh libcurl libmosquitto"
# -iquote: src/limits.h must not stand in for <limits.h>.
# shellcheck disable=SC2046
cc -O2 -D_GNU_SOURCE -iquote "$top/src" -I"$top/include" "$w/harness.c" "$lib" \
	$(pkg-config --cflags --libs $deps) -lstdc++ -lpthread -lm -o "$w/harness"

# ---- the host ----------------------------------------------------------
if [ -n "${BENCH_LOCAL:-}" ]; then
	host=127.0.0.1
	p1=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
	p2=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
	python3 -m http.server "$p1" --bind 127.0.0.1 >/dev/null 2>&1 &
	pids+=($!)
	socat "TCP-LISTEN:$p2,bind=127.0.0.1,fork,reuseaddr" EXEC:/bin/cat \
		>/dev/null 2>&1 &
	pids+=($!)
	sleep 1
	label="127.0.0.1 (local listeners on $p1, $p2)"
else
	[ "$(id -u)" = 0 ] || {
		echo "needs root for the netns device (or BENCH_LOCAL=1)" >&2
		exit 1
	}
	dev="sl-bench-ports-$$"
	"$top/tests/fixtures/netns/device.sh" up insecure "$dev" >"$w/dev.env"
	# shellcheck disable=SC1091
	. "$w/dev.env"
	host=$DEV_IP4
	label="$host (insecure netns device, veth)"
fi

ms() {
	date +%s%N | sed 's/......$//'
}

echo "host: $label; load average: $(cut -d' ' -f1-3 /proc/loadavg)"
best_n=999999999
best_s=999999999
for r in $(seq 1 "$runs"); do
	t0=$(ms)
	nmap -sT -p- -T4 -n -Pn "$host" -oG "$w/nmap.gnmap" >/dev/null
	t1=$(ms)
	"$w/harness" "$host" 1000000 >"$w/sl.out"
	t2=$(ms)
	n=$((t1 - t0))
	s=$((t2 - t1))
	[ "$n" -lt "$best_n" ] && best_n=$n
	[ "$s" -lt "$best_s" ] && best_s=$s
	printf 'round %d: nmap %6d ms   starlab %6d ms (scan %s ms; %s)\n' \
		"$r" "$n" "$s" "$(sed -n 1p "$w/sl.out")" "$(sed -n 2p "$w/sl.out")"
done
t0=$(ms)
"$w/harness" "$host" 0 >"$w/sl-default.out"
t1=$(ms)
printf 'starlab at the default rate (%s/s): %d ms\n' \
	"$(grep -o 'SL_NET_RATE [0-9]*' "$top/src/limits.h" | cut -d' ' -f2)" \
	"$((t1 - t0))"

python3 - "$w/nmap.gnmap" "$w/sl.out" "$w/sl-default.out" "$best_n" "$best_s" <<'PY'
import re, sys
g = open(sys.argv[1]).read()
m = re.search(r"Ports: (.*?)(\t|$)", g, re.M)
nmap = sorted(int(p.split("/")[0]) for p in (m.group(1).split(", ") if m else [])
              if "/open/" in p)
sl = sorted(int(p) for p in open(sys.argv[2]).read().split("\n")[2].split(",") if p)
sd = sorted(int(p) for p in open(sys.argv[3]).read().split("\n")[2].split(",") if p)
bn, bs = int(sys.argv[4]), int(sys.argv[5])
print("open ports: nmap   %s" % ",".join(map(str, nmap)))
print("            starlab %s" % ",".join(map(str, sl)))
same = nmap == sl == sd
print("same open ports: %s" % ("yes" if same else "NO"))
print("best: nmap %d ms, starlab %d ms, ratio %.2f (goal <= 0.50)" % (bn, bs, bs / bn))
sys.exit(0 if same else 1)
PY
