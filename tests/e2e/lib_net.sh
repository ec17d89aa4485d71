# lib_net.sh - helpers for the end-to-end tests that need a live device.
# Source it after lib.sh:
#
#	. "$(dirname "$0")/lib.sh" || exit 1
#	. "$(dirname "$0")/lib_net.sh" || exit 1
#	need_root_netns
#	net_up insecure          # sets DEV_IP4, DEV_IP6, DEV_ROOT_PASS, ...
#	net_up hardened HRD      # sets HRD_IP4, HRD_IP6, HRD_PASS, HRD_CA, ...
#
# The devices are tests/fixtures/netns/device.sh (its header lists what
# each one runs, on which ports, with which credentials).  Every device
# brought up is taken down by the EXIT trap, which keeps lib.sh's cleanup.

SL_NETDEV="$SL_SRC/tests/fixtures/netns/device.sh"
SL_NET_N=0

# need_root_netns: fail with a clear message unless network namespaces can
# be created here (root, CAP_SYS_ADMIN and CAP_NET_ADMIN).
need_root_netns() {
	local probe="sl-probe-$$"
	need ip nsenter unshare setsid flock openssl curl
	[ "$(id -u)" = 0 ] ||
		fail "this test needs root for network namespaces (run as root)"
	if ! ip netns add "$probe" 2>"$T/netns-probe.err"; then
		fail "this test needs network namespaces, and 'ip netns add' is not permitted here: $(cat "$T/netns-probe.err")"
	fi
	ip netns del "$probe"
}

# net_trap_add CMD: run CMD on exit, before whatever the EXIT trap ran so
# far (lib.sh's removal of $T comes last).
net_trap_add() {
	local cmd=$1 old=
	eval "set -- $(trap -p EXIT)"
	[ $# -ge 3 ] && old=$3
	# shellcheck disable=SC2064
	trap "$cmd; $old" EXIT
}

# net_up KIND [PREFIX]: bring up an insecure or hardened device under a
# unique name, register its removal on exit, and set its variables as
# PREFIX_* (default DEV_*: DEV_IP4, DEV_IP6, DEV_NAME, ...).  The raw
# assignments are kept in $T/NAME.env.
net_up() {
	local kind=$1 prefix=${2:-DEV} name
	need ip nsenter unshare setsid flock openssl curl socat mosquitto \
		mosquitto_pub mosquitto_passwd lighttpd nginx snmpd snmpget \
		vsftpd dropbear dropbearkey inetd ssh-keygen
	SL_NET_N=$((SL_NET_N + 1))
	name="sl-${kind:0:3}-$$-$SL_NET_N"
	net_trap_add "'$SL_NETDEV' down '$name' >/dev/null 2>&1"
	"$SL_NETDEV" up "$kind" "$name" >"$T/$name.env" ||
		fail "device.sh up $kind $name failed"
	if [ "$prefix" = DEV ]; then
		eval "$(cat "$T/$name.env")"
	else
		eval "$(sed "s/^DEV_/${prefix}_/" "$T/$name.env")"
	fi
	net_route_ok "$(sed -n 's/^DEV_IP4=//p' "$T/$name.env")"
	net_route_ok "$(sed -n 's/^DEV_IP6=//p' "$T/$name.env")"
}

# net_route_ok IP: fail unless IP is reached through a link of a test
# device (never the default route), so that a scan can only reach the
# namespace this test made.
net_route_ok() {
	local r
	r=$(ip route get "$1" 2>/dev/null) || fail "no route to $1"
	case "$r" in
	*" via "*) fail "$1 is routed through a gateway ($r): refusing to scan" ;;
	esac
}

# net_down NAME: take a device down now (the trap's call is then a no-op).
net_down() {
	"$SL_NETDEV" down "$1"
}

# net_web NAME VARIANT: restart the device's web server with another
# configuration (normal, reset, version=V; see device.sh).
net_web() {
	"$SL_NETDEV" web "$1" "$2" >/dev/null ||
		fail "device.sh web $1 $2 failed"
}
