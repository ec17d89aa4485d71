#!/usr/bin/env bash
# deb.sh - build the Debian packages (starlab, libstarlab0, libstarlab-dev)
# from a clean clone of HEAD with dpkg-buildpackage, check them with
# lintian, and leave them in out/deb/.  Installs the build dependencies it
# lacks (as root).  Then `bash scripts/fresh.sh --deb out/deb/starlab_*.deb`
# installs the package in a fresh Debian 12 root and runs it.
#
#   bash scripts/deb.sh
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
out=$top/out/deb
SL_WITH_TESTS= bash "$top/scripts/setup.sh"
need=()
for p in debhelper dpkg-dev lintian fakeroot libcmocka-dev; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
		need+=("$p")
done
if [ ${#need[@]} -gt 0 ]; then
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
		"${need[@]}" >/dev/null
fi
w=$(mktemp -d /tmp/starlab-deb.XXXXXX)
trap 'rm -rf "$w"' EXIT
git clone -q "$top" "$w/starlab"
(cd "$w/starlab" && dpkg-buildpackage -us -uc -b >"$w/build.log" 2>&1) || {
	cp "$w/build.log" "${TMPDIR:-/tmp}/starlab-deb-build.log"
	tail -30 "$w/build.log" >&2
	echo "deb.sh: the whole log: ${TMPDIR:-/tmp}/starlab-deb-build.log" >&2
	echo "deb.sh: dpkg-buildpackage failed" >&2
	exit 1
}
mkdir -p "$out"
rm -f "$out"/*.deb "$out"/*.changes
cp "$w"/*.deb "$w"/*.changes "$out/"
echo "== packages"
ls -l "$out"/*.deb
echo "== lintian (--pedantic -I)"
lintian --pedantic -I --tag-display-limit 0 "$out"/starlab_*.deb \
	"$out"/libstarlab0_*.deb "$out"/libstarlab-dev_*.deb 2>&1 |
	grep -v 'root privileges' | tee "$out/lintian.txt" || true
if grep -q '^E:' "$out/lintian.txt"; then
	echo "deb.sh: lintian reports errors" >&2
	exit 1
fi
echo "deb.sh: no lintian errors ($(grep -c '^W:' "$out/lintian.txt" || true) warnings, $(grep -c '^I:' "$out/lintian.txt" || true) notes)"
