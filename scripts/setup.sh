#!/usr/bin/env bash
# setup.sh - install what starlab needs to build and test on Debian 12,
# skipping packages already installed.  Run as root.  Idempotent.
#
# Works on a fresh Debian 12 (debootstrap minbase + git): every package a
# README command needs is named here, so nothing depends on Recommends
# (we install with --no-install-recommends, and e.g. lighttpd's TLS module
# and clang's symbolizer are only recommended).
#
# The test fixtures need the daemons' programs, never their system
# services: during the install a policy-rc.d refuses every service start,
# and afterwards the services of the packages installed here are disabled,
# so this script leaves nothing new listening on the machine.
set -euo pipefail

BUILD_PKGS=(
	cmake make gcc clang pkg-config
	libsquashfs-dev libarchive-dev libjansson-dev libyaml-dev libelf-dev
	libssl-dev libcrypt-dev zlib1g-dev libdeflate-dev liblzma-dev libzstd-dev liblz4-dev
	liblzo2-dev libext2fs-dev libhyperscan-dev
	libssh-dev libcurl4-openssl-dev libmosquitto-dev scdoc
)
TEST_PKGS=(
	libcmocka-dev libclang-rt-14-dev llvm-14 python3 python3-jsonschema
	squashfs-tools squashfs-tools-ng u-boot-tools device-tree-compiler
	mtd-utils cpio xz-utils zstd lz4 gzip zip e2fsprogs util-linux procps strace
	genromfs unyaffs
	openssl openssh-client
	iproute2 busybox dropbear-bin mosquitto lighttpd lighttpd-mod-openssl
	vsftpd snmpd snmp telnetd openbsd-inetd socat nmap hydra testssl.sh
	curl nginx-light mosquitto-clients gcc-arm-linux-gnueabihf
	gcc-mips-linux-gnu libc6-dev-armhf-cross libc6-dev-mips-cross
	cmark-gfm signify-openbsd nftables zsh munge slurmctld slurmd clang-format
	slurm-client chromium valgrind
	wpasupplicant hostapd
)
# The system services the packages above bring (package -> service);
# none may run on the host.
declare -A SERVICE_OF=([lighttpd]=lighttpd [nginx-light]=nginx
	[vsftpd]=vsftpd [snmpd]=snmpd [mosquitto]=mosquitto
	[openbsd-inetd]=openbsd-inetd [telnetd]=openbsd-inetd [munge]=munge
	[slurmctld]=slurmctld [slurmd]=slurmd [wpasupplicant]=wpa_supplicant
	[hostapd]=hostapd)

# The app tests compile manifests with aapt; the API fixtures run on
# Node.js with npm (tests/fixtures/api).  npm is Debian's package on a
# fresh Debian 12 (Node 18); NodeSource's nodejs conflicts with it and
# brings its own npm, so it is asked for only when no npm is there.
TEST_PKGS+=(aapt nodejs)
if ! command -v npm >/dev/null 2>&1; then
	TEST_PKGS+=(npm)
fi

missing=()
for p in "${BUILD_PKGS[@]}" ${SL_WITH_TESTS:+"${TEST_PKGS[@]}"}; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null |
		grep -q 'install ok installed' || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
	echo "setup: missing packages: ${missing[*]}; run as root" >&2
	exit 1
fi

# Refuse service starts for the length of the install, unless the machine
# already has a policy (containers often do); ours is removed on exit.
policy=/usr/sbin/policy-rc.d
if [ ! -e "$policy" ]; then
	printf '#!/bin/sh\n# starlab setup.sh: no service starts during the install\nexit 101\n' >"$policy"
	chmod 755 "$policy"
	trap 'rm -f "$policy"' EXIT
fi

echo "setup: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null

# Disable the services of the packages this run installed, so a reboot
# does not start them either.  Packages the user had before are theirs.
for p in "${missing[@]}"; do
	s=${SERVICE_OF[$p]:-}
	[ -n "$s" ] || continue
	if [ -e "/etc/init.d/$s" ] && command -v update-rc.d >/dev/null; then
		update-rc.d "$s" disable >/dev/null 2>&1 || true
	fi
	if command -v systemctl >/dev/null; then
		systemctl disable "$s.service" >/dev/null 2>&1 || true
	fi
done
exit 0
