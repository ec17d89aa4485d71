#!/usr/bin/env bash
# fresh.sh - run the README's two commands in a fresh Debian 12 root, as a
# new user would on a new machine, and print each one's wall time and
# result.  Run as root; needs network access to the Debian mirror.
#
#   bash scripts/fresh.sh [--keep] [--only sample|test] [--deb FILE.deb]
#
# 1. debootstrap --variant=minbase bookworm (+ git), from the mirror this
#    machine's apt uses, into $FRESH_DIR (default /var/tmp/starlab-fresh);
# 2. a clone of this repository's HEAD at /root/starlab inside it;
# 3. in a private mount namespace, pivot_root into the new root with its
#    own /proc, /sys, /dev and /run (a chroot is not enough: the test
#    fixtures' `nsenter -m` would put their daemons back on the host's
#    files), and there run `bash scripts/sample.sh`, then
#    `bash scripts/test.sh`, each timed;
# 4. around the commands, the listening sockets of the (shared) network
#    namespace are listed: a socket that appears and belongs to a process
#    of the fresh root means setup started a service; that fails the run.
# --deb installs a starlab .deb in the fresh root instead and runs
# `starlab requirements` (the packaging test).
# Not part of CI (it takes many minutes); run it whenever a dependency
# changes.  The root is removed at the end unless --keep.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
dir=${FRESH_DIR:-/var/tmp/starlab-fresh}
keep=0 only= deb=
while [ $# -gt 0 ]; do
	case $1 in
	--keep) keep=1 ;;
	--only) only=$2; shift ;;
	--deb) deb=$(cd "$(dirname "$2")" && pwd)/$(basename "$2"); shift ;;
	-h | --help) sed -n '2,/^set -euo/p' "$0" | sed 's/^# \{0,1\}//;$d'; exit 0 ;;
	*) echo "fresh.sh: unknown option '$1' (see --help)" >&2; exit 2 ;;
	esac
	shift
done
[ "$(id -u)" = 0 ] || { echo "fresh.sh: run as root" >&2; exit 1; }
case $only in '' | sample | test) ;; *) echo "fresh.sh: --only sample|test" >&2; exit 2 ;; esac

# The mirror this machine's apt already uses (deb822 or one-line format).
mirror=$(sed -n 's/^URIs:[[:space:]]*\([^[:space:]]*\/debian\)\/\{0,1\}$/\1/p' \
	/etc/apt/sources.list.d/*.sources 2>/dev/null | head -1)
[ -n "$mirror" ] || mirror=$(awk '$1 == "deb" && $2 ~ /\/debian\/?$/ { print $2; exit }' \
	/etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null)
[ -n "$mirror" ] || { echo "fresh.sh: no Debian mirror in /etc/apt sources" >&2; exit 1; }

if ! command -v debootstrap >/dev/null; then
	echo "fresh.sh: installing debootstrap" >&2
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
		debootstrap >/dev/null
fi

root=$dir/root
fresh_ca=
cleanup() {
	# Fixture namespaces made inside are gone with their processes; make
	# sure no mount of ours is left before removing the tree.
	if [ "$keep" = 0 ] && [ -d "$root" ]; then
		umount -R "$root" 2>/dev/null || true
		rm -rf --one-file-system "$root"
	fi
}
trap cleanup EXIT
if [ -e "$root" ]; then
	echo "fresh.sh: $root exists (an earlier --keep?); removing it" >&2
	umount -R "$root" 2>/dev/null || true
	rm -rf --one-file-system "$root"
fi
mkdir -p "$dir"

t0=$(date +%s)
echo "== debootstrap --variant=minbase bookworm $root $mirror"
debootstrap --variant=minbase --include=git,ca-certificates bookworm \
	"$root" "$mirror" >"$dir/debootstrap.log" 2>&1 ||
	{ tail -20 "$dir/debootstrap.log" >&2; echo "fresh.sh: debootstrap failed" >&2; exit 1; }
echo "   $(($(date +%s) - t0)) s"
cp /etc/resolv.conf "$root/etc/resolv.conf"
# The machine's own certificate authorities (a proxy's, a lab's), which a
# new machine on this network would be given too: without them neither
# apt over https nor npm can reach their registries from the fresh root.
if ls /usr/local/share/ca-certificates/*.crt >/dev/null 2>&1; then
	mkdir -p "$root/usr/local/share/ca-certificates"
	cp /usr/local/share/ca-certificates/*.crt "$root/usr/local/share/ca-certificates/"
	chroot "$root" update-ca-certificates >/dev/null 2>&1 || true
	fresh_ca=/etc/ssl/certs/ca-certificates.crt
fi
git clone -q "$top" "$root/root/starlab"
[ -z "$deb" ] || cp "$deb" "$root/root/"

# What runs inside the new root, after pivot_root.
cat >"$root/root/fresh-inner.sh" <<'INNER'
#!/bin/bash
set -u
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export HOME=/root LANG=C.UTF-8
unset TZ
cd /root/starlab
mns=$(readlink /proc/self/ns/mnt)
# listeners: "proto local-address inode" of every listening socket of this
# network namespace, from /proc (minbase has neither ss nor python).
listeners() {
	local f
	for f in tcp tcp6 udp udp6; do
		[ -r /proc/net/$f ] || continue
		awk -v p=$f 'NR > 1 && ((p ~ /tcp/ && $4 == "0A") || (p ~ /udp/ && $4 == "07")) { print p, $2, $10 }' /proc/net/$f
	done | sort
}
# ours INODE: the pid of a process of this mount namespace holding it.
ours() {
	local fd pid
	for fd in /proc/[0-9]*/fd/*; do
		[ "$(readlink "$fd" 2>/dev/null)" = "socket:[$1]" ] || continue
		pid=${fd#/proc/}; pid=${pid%%/*}
		[ "$(readlink /proc/$pid/ns/mnt 2>/dev/null)" = "$mns" ] &&
			{ echo "$pid $(tr '\0' ' ' </proc/$pid/cmdline)"; return 0; }
	done
	return 1
}
check_listeners() { # BEFORE-FILE WHAT
	local bad=0 p a i who
	listeners >/tmp/after
	while read -r p a i; do
		who=$(ours "$i") || continue
		echo "FAIL: after $2, a $p socket listens at $a: $who"
		bad=1
	done < <(comm -13 "$1" /tmp/after)
	[ $bad = 0 ] && echo "   no new listening socket of the fresh root after $2"
	return $bad
}
run() { # NAME COMMAND...
	local name=$1 t0 rc
	shift
	echo "== $name: $*"
	t0=$(date +%s)
	"$@" >/root/$name.log 2>&1
	rc=$?
	echo "   $name: exit $rc after $(($(date +%s) - t0)) s (log: /root/$name.log)"
	tail -n "${FRESH_TAIL:-25}" /root/$name.log | sed 's/^/   | /'
	return $rc
}
listeners >/tmp/before
status=0
if [ -n "${FRESH_DEB:-}" ]; then
	run install-deb bash -c "apt-get update -qq && apt-get install -y -qq /root/$FRESH_DEB" || status=1
	run requirements starlab requirements || status=1
	check_listeners /tmp/before "installing the package" || status=1
	exit $status
fi
if [ "${FRESH_ONLY:-sample}" = sample ] || [ -z "${FRESH_ONLY:-}" ]; then
	run sample bash scripts/sample.sh || status=1
	check_listeners /tmp/before "scripts/sample.sh (its setup included)" || status=1
fi
if [ "${FRESH_ONLY:-test}" = test ] || [ -z "${FRESH_ONLY:-}" ]; then
	run test bash scripts/test.sh || status=1
	check_listeners /tmp/before "scripts/test.sh" || status=1
fi
exit $status
INNER
chmod 755 "$root/root/fresh-inner.sh"

# A private mount namespace; the new root bind-mounted onto itself so it
# is a mount point, its own /proc, /sys, /dev and /run, then pivot_root.
rc=0
FRESH_ONLY=$only FRESH_DEB=${deb:+$(basename "$deb")} FRESH_CA=${fresh_ca:-} \
unshare -m --propagation private -- /bin/bash -c '
	set -e
	r=$1
	mount --bind "$r" "$r"
	mount -t proc proc "$r/proc"
	mount --rbind /sys "$r/sys"
	mount --rbind /dev "$r/dev"
	mount -t tmpfs -o mode=755 tmpfs "$r/run"
	mkdir -p "$r/run/lock" "$r/.oldroot"
	cd "$r"
	pivot_root . .oldroot
	umount -l /.oldroot
	rmdir /.oldroot
	exec env -i FRESH_ONLY="$FRESH_ONLY" FRESH_DEB="$FRESH_DEB" \
		${FRESH_CA:+NODE_EXTRA_CA_CERTS="$FRESH_CA"} \
		/bin/bash /root/fresh-inner.sh
' fresh "$root" || rc=$?
echo "== fresh.sh: $([ $rc = 0 ] && echo PASS || echo FAIL) in $(($(date +%s) - t0)) s"
exit $rc
