#!/usr/bin/env bash
# bench/device.sh - the device side against the anchor tools, in one run
# against the netns fixture devices (tests/fixtures/netns/device.sh):
#
#   bench/device_ports.sh   full TCP scan vs `nmap -sT -p- -T4`
#                           (goal: starlab <= 0.5x nmap, same open ports)
#   bench/device_tls.sh     TLS check of one endpoint vs testssl.sh
#                           (goal: starlab <= 1/20 of testssl.sh, same verdicts)
#   bench/device_creds.sh   default-credential attempts/s vs hydra at the
#                           same parallelism on the same list
#                           (goal: starlab >= hydra)
#
# Each part prints both figures and the ratio.  Needs root (network
# namespaces).  A benchmark, not a test: it asserts nothing.
#
# Usage: bench/device.sh [BUILD_DIR]   (default: build)
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
rc=0
for part in ports tls creds; do
	echo "== bench/device_$part.sh"
	bash "$top/bench/device_$part.sh" "$@" || rc=1
	echo
done
exit $rc
