#!/usr/bin/env bash
# setup.sh - install what starlab needs to build and test on Debian 12,
# skipping packages already installed.  Run as root.  Idempotent.
set -euo pipefail

BUILD_PKGS=(
	cmake make gcc clang pkg-config
	libsquashfs-dev libarchive-dev libjansson-dev libyaml-dev libelf-dev
	libssl-dev libcrypt-dev zlib1g-dev liblzma-dev libzstd-dev liblz4-dev
	liblzo2-dev libext2fs-dev libhyperscan-dev
	libssh-dev libcurl4-openssl-dev libmosquitto-dev
)
TEST_PKGS=(
	libcmocka-dev libclang-rt-14-dev python3 python3-jsonschema
	squashfs-tools squashfs-tools-ng u-boot-tools device-tree-compiler
	mtd-utils cpio xz-utils zstd lz4 gzip zip e2fsprogs util-linux
	openssl openssh-client
	iproute2 busybox dropbear-bin mosquitto lighttpd vsftpd snmpd snmp
	telnetd openbsd-inetd socat nmap hydra testssl.sh curl nginx-light
	mosquitto-clients gcc-arm-linux-gnueabihf gcc-mips-linux-gnu
	libc6-dev-armhf-cross libc6-dev-mips-cross cmark-gfm signify-openbsd
	nftables
)

missing=()
for p in "${BUILD_PKGS[@]}" ${SL_WITH_TESTS:+"${TEST_PKGS[@]}"}; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null |
		grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
	if [ "$(id -u)" -ne 0 ]; then
		echo "setup: missing packages: ${missing[*]}; run as root" >&2
		exit 1
	fi
	echo "setup: installing ${missing[*]}" >&2
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
