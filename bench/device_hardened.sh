#!/usr/bin/env bash
# bench/device_hardened.sh - a whole device run against the well-built
# device of issue 16 (tests/fixtures/netns/device.sh up wellbuilt: nginx
# 443 with basic auth and limit_req, dropbear keys only on 22, mosquitto
# over TLS on 8883, per-address connection limits on 22 and 8883), with
# the anchor tools side by side in one run:
#
#   starlab   starlab device IP --profile P --ca-file CA --intrusive
#             (port scan of every TCP port, UDP probes, identification,
#             TLS, security.txt, default credentials, brute-force)
#   nmap      nmap -sT -sV -p- IP   (connect scan of every port, versions)
#   testssl   testssl -p -S -s --add-ca CA on 443 and on 8883
#
# Each timed tool gets a fresh device, so that no run starts with the
# connection limit spent by the one before.  starlab runs BENCH_RUNS times
# (3) and the median counts; with BENCH_BASELINE=/path/to/old/starlab the
# same runs of an older binary are timed beside it.  The summary also
# gives each starlab run's CPU time and its S1.1-04 verdict.  Goal: the
# well-built device checked in at most 20 s.  Needs root.
#
# Usage: bench/device_hardened.sh [BUILD_DIR]   (default: build)
set -euo pipefail
unset TZ
top=$(cd "$(dirname "$0")/.." && pwd)
bd=$(cd "${1:-$top/build}" && pwd)
exe=$bd/starlab
runs=${BENCH_RUNS:-3}
[ -x "$exe" ] || { echo "build starlab first" >&2; exit 1; }
for t in nmap testssl python3; do
	command -v "$t" >/dev/null || { echo "missing $t" >&2; exit 1; }
done
[ "$(id -u)" = 0 ] || { echo "needs root (network namespaces)" >&2; exit 1; }
w=$(mktemp -d /tmp/starlab-bench-hrd.XXXXXX)
dev=
down() {
	[ -z "$dev" ] || "$top/tests/fixtures/netns/device.sh" down "$dev" >/dev/null 2>&1 || true
	dev=
}
cleanup() {
	down
	[ -n "${BENCH_KEEP:-}" ] || rm -rf "$w"
}
trap cleanup EXIT
n=0
# up: a fresh well-built device; sets IP, CA, USER, PASS, MODEL, VERSION.
up() {
	down
	n=$((n + 1))
	dev="sl-bhd-$$-$n"
	"$top/tests/fixtures/netns/device.sh" up wellbuilt "$dev" >"$w/env"
	eval "$(sed 's/^DEV_/B_/' "$w/env")"
	IP=$B_IP4 CA=$B_CA
	cat >"$w/profile.yaml" <<PROFILE
product: {vendor: StarLab, model: $B_MODEL, version: "$B_VERSION"}
interfaces:
  - {proto: tcp, port: 22, service: ssh, purpose: "maintenance", auth: "public key only"}
  - {proto: tcp, port: 443, service: https, purpose: "web administration", auth: "password"}
  - {proto: tcp, port: 8883, service: mqtts, purpose: "telemetry", auth: "password"}
credentials:
  - {service: http, user: $B_USER, password: "$B_PASS"}
  - {service: mqtt, user: $B_USER, password: "$B_PASS"}
PROFILE
}
# timed LABEL CMD...: run CMD, append "LABEL wall cpu" to $w/times.
timed() {
	local label=$1
	shift
	python3 - "$label" "$w/times" "$@" <<'PY'
import resource, subprocess, sys, time
label, out, cmd = sys.argv[1], sys.argv[2], sys.argv[3:]
t = time.monotonic()
subprocess.call(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
wall = time.monotonic() - t
ru = resource.getrusage(resource.RUSAGE_CHILDREN)
open(out, "a").write("%s %.2f %.2f\n" % (label, wall, ru.ru_utime + ru.ru_stime))
PY
}
verdict() { # REPORT: the S1.1-04 verdict
	python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); print([c["verdict"] for c in r["checklist"] if c["id"]=="S1.1-04"][0])' "$1" 2>/dev/null || echo "?"
}
: >"$w/times"
: >"$w/verdicts"
for ((i = 1; i <= runs; i++)); do
	for b in starlab ${BENCH_BASELINE:+baseline}; do
		bin=$exe
		[ "$b" = baseline ] && bin=$BENCH_BASELINE
		up
		timed "$b" sh -c "exec '$bin' device '$IP' --profile '$w/profile.yaml' --ca-file '$CA' --intrusive --format json >'$w/$b$i.json'"
		echo "$b $i $(verdict "$w/$b$i.json")" >>"$w/verdicts"
	done
done
up
timed nmap nmap -sT -sV -p- -n -Pn "$IP" -oN "$w/nmap.txt"
timed testssl443 testssl --quiet --color 0 --warnings off --nodns min -p -S -s --add-ca "$CA" "$IP:443"
timed testssl8883 testssl --quiet --color 0 --warnings off --nodns min -p -S -s --add-ca "$CA" "$IP:8883"
python3 - "$w/times" "$w/verdicts" <<'PY'
import statistics, sys
t = {}
for l in open(sys.argv[1]):
    k, wall, cpu = l.split()
    t.setdefault(k, []).append((float(wall), float(cpu)))
def med(k):
    return statistics.median(w for w, _ in t[k]) if k in t else None
print("tool        runs  wall (s) each            median   CPU (s) each")
for k in ("starlab", "baseline", "nmap", "testssl443", "testssl8883"):
    if k in t:
        print("%-11s %4d  %-24s %6.1f   %s" % (k, len(t[k]), " ".join("%.1f" % w for w, _ in t[k]),
              med(k), " ".join("%.1f" % c for _, c in t[k])))
anchor = med("nmap") + med("testssl443") + med("testssl8883")
s = med("starlab")
print("nmap + testssl: %.1f s; starlab (median): %.1f s; ratio %.1fx; goal: starlab <= 20 s (%s)"
      % (anchor, s, anchor / s, "met" if s <= 20 else "NOT met"))
if "baseline" in t:
    print("baseline starlab (median): %.1f s; now %.1fx faster" % (med("baseline"), med("baseline") / s))
print("S1.1-04 per run: " + "; ".join(l.strip() for l in open(sys.argv[2])))
PY
