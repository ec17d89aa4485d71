#!/usr/bin/env bash
# bench/device_tls_configs.sh - starlab's TLS verdicts and testssl.sh's on
# the eight `openssl s_server` setups of issue 16
# (tests/fixtures/netns/tls_servers.sh), side by side in one run, against
# the configured truth, with both times.
#
#   starlab   one `starlab device IP --ports 4431-4438 --no-udp
#             --max-logins 0 --ca-file CA` over all eight
#   testssl   `testssl -p -S -s --add-ca CA` per endpoint (protocols,
#             server defaults with the certificate, cipher categories)
# Verdicts per endpoint (tests/e2e/tls_verdicts.py): old protocol,
# expired, self-signed, weak key, weak signature, weak suites under TLS
# 1.2, name mismatch, untrusted chain.  Needs root (a network namespace).
# A benchmark, not a test: it prints the table and the ratio; it exits 1
# only when a tool disagrees with the truth.
#
# Usage: bench/device_tls_configs.sh [BUILD_DIR]   (default: build)
set -euo pipefail
unset TZ
top=$(cd "$(dirname "$0")/.." && pwd)
bd=$(cd "${1:-$top/build}" && pwd)
exe=$bd/starlab
[ -x "$exe" ] || { echo "build starlab first" >&2; exit 1; }
command -v testssl >/dev/null || { echo "missing testssl (apt-get install testssl.sh)" >&2; exit 1; }
[ "$(id -u)" = 0 ] || { echo "needs root (network namespaces)" >&2; exit 1; }
w=$(mktemp -d /tmp/starlab-bench-tlsc.XXXXXX)
name="sl-btc-$$"
cleanup() {
	"$top/tests/fixtures/netns/device.sh" down "$name" >/dev/null 2>&1 || true
	[ -n "${BENCH_KEEP:-}" ] || rm -rf "$w"
}
trap cleanup EXIT
"$top/tests/fixtures/netns/device.sh" up bare "$name" >"$w/env"
ip=$(sed -n "s/^DEV_IP4=//p" "$w/env")
"$top/tests/fixtures/netns/tls_servers.sh" "$name" "$ip" "$w/tls" >"$w/servers"

now() { date +%s.%N; }
t0=$(now)
"$exe" device "$ip" --ports 4431-4438 --no-udp --max-logins 0 \
	--ca-file "$w/tls/ca.pem" --format json >"$w/starlab.json" 2>/dev/null || true
t1=$(now)
ts=$(python3 -c "print($t1 - $t0)")
t0=$(now)
while read -r label port; do
	testssl --quiet --color 0 --warnings off --nodns min -p -S -s \
		--add-ca "$w/tls/ca.pem" --jsonfile "$w/$port.testssl.json" \
		"$ip:$port" >"$w/$port.testssl.txt" 2>&1 || true
done <"$w/servers"
t1=$(now)
tt=$(python3 -c "print($t1 - $t0)")
python3 - "$top/tests/e2e" "$w" "$ts" "$tt" <<'PY'
import sys
sys.path.insert(0, sys.argv[1])
import tls_verdicts as tv
w, ts, tt = sys.argv[2], float(sys.argv[3]), float(sys.argv[4])
agree = {"starlab": 0, "testssl": 0}
print("%-11s %-15s %-7s %-7s %-7s" % ("setup", "verdict", "truth", "starlab", "testssl"))
for port, (label, truth) in sorted(tv.TRUTH.items()):
    sl = tv.starlab("%s/starlab.json" % w, port)
    try:
        tl = tv.testssl("%s/%d.testssl.json" % (w, port))
    except (OSError, ValueError):
        tl = ["?"] * 8
    for c, t, a, b in zip(tv.COLUMNS, truth, sl, tl):
        agree["starlab"] += a == t
        agree["testssl"] += b == t
        mark = "" if a == t and b == t else "  <- differs"
        print("%-11s %-15s %-7s %-7s %-7s%s" % (label, c, t, a, b, mark))
print("agreement with the configured truth: starlab %d/64, testssl %d/64"
      % (agree["starlab"], agree["testssl"]))
print("time: starlab %.1f s (all eight), testssl %.1f s, ratio %.0fx"
      % (ts, tt, tt / ts if ts > 0 else 0))
sys.exit(0 if agree["starlab"] == 64 and agree["testssl"] == 64 else 1)
PY
