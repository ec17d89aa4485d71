#!/usr/bin/env bash
# sample.sh - the README's first command: install what is missing, build
# starlab, build the bundled sample firmware with the real tools, start the
# bundled sample device in a network namespace, and assess both as one
# product with `starlab assess` and the sample profile: it prints the
# merged checklist and where the HTML report is.  Run as root.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
SL_WITH_TESTS=1 bash scripts/setup.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j"$(nproc)" >/dev/null
out=$top/out/sample
mkdir -p "$out"
img=$(bash samples/build.sh "$out")
echo "== starlab ls $img (first 25 of its entries)"
./build/starlab ls "$img" >"$out/ls.txt"
head -n 25 "$out/ls.txt"
echo

# The sample device: the insecure StarLab SL-CAM100 camera, real Debian
# services (telnetd, vsftpd, dropbear, lighttpd, mosquitto, snmpd) in a
# network namespace this script creates and removes.  Nothing but that
# namespace is contacted.
net=sl-sample-$$
dev=$top/tests/fixtures/netns/device.sh
trap 'bash "$dev" down "$net" >/dev/null 2>&1 || true' EXIT
echo "== starting the sample device (network namespace $net)"
env_file=$out/device.env
bash "$dev" up insecure "$net" >"$env_file"
# shellcheck disable=SC1090
. "$env_file"
# Only ever scan an address reached through the namespace's own link.
case "$(ip route get "$DEV_IP4")" in
*" via "*) echo "sample.sh: $DEV_IP4 is not on the sample device's link" >&2; exit 3 ;;
esac

# One product, one checklist: the profile names the image (its assess:
# section); the device's address changes with every run, so it is given
# here.  The merged checklist is printed, then where the HTML report is.
echo "== starlab assess --profile samples/profile.yaml --device $DEV_IP4 -o $out/assessment"
rc=0
./build/starlab assess --profile samples/profile.yaml --device "$DEV_IP4" \
	-o "$out/assessment" || rc=$?
[ "$rc" -le 1 ] || exit "$rc"
echo "Listing of the image: $out/ls.txt"
