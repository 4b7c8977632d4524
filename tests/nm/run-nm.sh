#!/bin/bash
# tests/nm/run-nm.sh: the Ferry NetworkManager plugin end to end, under a real NetworkManager,
# printed as TAP for meson (suite nm).
#
# Usage: run-nm.sh --name FILE --policy FILE [--keep]
#   --name    the plugin's .name file (the build tree's, naming the build tree's programs)
#   --policy  the plugin's D-Bus policy (nm-ferry-service.conf)
#   --keep    keep the scratch directory (logs) for inspection
# Skips (TAP "1..0 # SKIP", exit status $FERRY_SKIP_EXIT, default 77) without root or tools.
#
# Topology: tests/interop/lib.sh's (client, gateway, corporate host) plus a second gateway:
#
#   ┌─────────────────────────────────────┐        ┌──────────────────────────────────┐
#   │ $FY_CLI  (network namespace)        │  wan   │ $FY_GW  charon, split tunnel     │
#   │  private mount+UTS namespace:       ├────────┤  local_ts 203.0.113.0/25,        │
#   │   ro sysfs, tmpfs /run,             │        │           2001:db8:c0::/64       │
#   │   /etc/NetworkManager, .../VPN,     │        │  pools 203.0.113.128/26,         │
#   │   /var/lib/NetworkManager bound     │        │        2001:db8:cafe::/112       │
#   │   from the scratch directory        │        └──────────────┬───────────────────┘
#   │  dbus-daemon (private system bus)   │                       │ lan: $FY_CORP
#   │  NetworkManager --debug             │                       │ 203.0.113.10, 2001:db8:c0::10
#   │   └ nm-ferry-service (one per conn.)│  wan2  ┌──────────────────────────────────┐
#   │                                     ├────────┤ $FY_GW2 charon, split tunnel     │
#   └─────────────────────────────────────┘        │  local_ts 203.0.113.192/27,      │
#                                                  │  itself 203.0.113.193 (on lo),   │
#                                                  │  pools 203.0.113.224/28,         │
#                                                  │        2001:db8:cafe:2::/112     │
#                                                  └──────────────────────────────────┘
# The host's own bus, NetworkManager, /etc and /run are never touched; every process is
# stopped by PID and every namespace removed, also on failure (lib.sh's traps).
set -u

here=$(cd "$(dirname "$0")" && pwd)
name_file=
policy_file=
while [ $# -gt 0 ]; do
	case "$1" in
	--name) name_file=$2; shift 2 ;;
	--policy) policy_file=$2; shift 2 ;;
	--keep) FY_KEEP=1; shift ;;
	*) echo "usage: run-nm.sh --name FILE --policy FILE [--keep]" >&2; exit 2 ;;
	esac
done
[ -f "$name_file" ] && [ -f "$policy_file" ] || {
	echo "usage: run-nm.sh --name FILE --policy FILE [--keep]" >&2
	exit 2
}

. "$here/../interop/lib.sh"

skip() {
	echo "1..0 # SKIP $*"
	exit "${FERRY_SKIP_EXIT:-77}"
}

reason=$(fy_missing_prereq NetworkManager nmcli nm-online dbus-daemon nsenter gdbus setpriv) &&
	skip "$reason"

service=$(sed -n 's/^program=//p' "$name_file")
auth_dialog=$(sed -n 's/^auth-dialog=//p' "$name_file")
have_service=yes
[ -x "$service" ] || have_service=no

GW1_NET=203.0.113.0/25
GW2_ADDR=198.51.100.17
GW2_HOST=203.0.113.193
GW2_NET=203.0.113.192/27

fy_init
NM_DIR=$FY_TMP/secret/nm # configuration incl. keyfiles with secrets
out=$FY_TMP/out          # logs: scanned for secrets at the end
echo "# NetworkManager lab: namespaces ${FY_PREFIX}*, scratch $FY_TMP, service $service"

# ---------------------------------------------------------------------------------------------
# The lab.

. "$here/lib-nm.sh"
NM_VPN_CONNECTIONS=(ferry-psk ferry-gw2 ferry-ask)

# The second gateway's link: never the default route.
nm_lab_config() {
	nm_keyfile lab-eth2 <<-EOF
		[connection]
		id=lab-eth2
		uuid=$(cat /proc/sys/kernel/random/uuid)
		type=ethernet
		interface-name=wan2
		autoconnect=true
		[ipv4]
		method=manual
		address1=198.51.100.18/28
		never-default=true
		[ipv6]
		method=disabled
	EOF
}

trap 'echo "Bail out! interrupted"; nm_stop; fy_teardown; exit 130' INT
trap 'echo "Bail out! terminated"; nm_stop; fy_teardown; exit 143' TERM HUP
trap 'nm_stop; fy_teardown' EXIT

# ---------------------------------------------------------------------------------------------
# Checks.

# up_case CONNECTION GW-NET POOL HOST: the checks of one connected tunnel.
check_up() {
	local c=$1 net=$2 pool=$3 host=$4 dev
	dev=$(tun_of "$c")
	tap_check "$c: NetworkManager configured a tunnel device (${dev:-none})" test -n "$dev" || return 1
	tap_check "$c: $dev holds the virtual IP from $pool" vip_in "$dev" "$pool"
	tap_check "$c: route $net goes through $dev" route_via "$net" "$dev"
	tap_check "$c: split tunnel, no default route through $dev" no_default_via "$dev"
	tap_check "$c: ping $host through the tunnel" fy_ping "$FY_CLI" "$host"
}

# ---------------------------------------------------------------------------------------------
# Run.

fy_topology plain
# A second gateway on its own link.
FY_GW2=${FY_PREFIX}gw2
fy_ns_add "$FY_GW2"
fy_veth "$FY_CLI" wan2 "$FY_GW2" wan
ip -n "$FY_GW2" addr add "$GW2_ADDR/28" dev wan
ip -n "$FY_GW2" addr add "$GW2_HOST/32" dev lo

fy_canary
PSK=$FY_CANARY
GW_PSK=$PSK
fy_canary
WRONG_PSK=$FY_CANARY

# Gateway 1: the corporate /25; gateway 2: its own /27.
FY_NAME="$GW1_NET, 2001:db8:c0::/64" FY_POOL4=203.0.113.128/26 fy_charon_start gw "$FY_GW" "$here/gateway.swanctl.conf.in" ||
	fy_die "gateway 1 did not start"
FY_GW_ADDR=$GW2_ADDR FY_NAME=$GW2_NET FY_POOL4=203.0.113.224/28 FY_DNS4=$GW2_HOST \
	FY_POOL6=2001:db8:cafe:2::/112 FY_DNS6=2001:db8:cafe:2::53 \
	fy_charon_start gw2 "$FY_GW2" "$here/gateway.swanctl.conf.in" || fy_die "gateway 2 did not start"

nm_start
state=$(nm_exec nmcli -g GENERAL.STATE connection show lab-eth 2>&1)
tap_check "NetworkManager runs isolated in ${FY_CLI} on a private bus, lab-eth up ($state)" \
	test "$state" = activated || tap_diag_file "NetworkManager" "$out/nm.log"

# Connections: system-owned PSK (keyfile), a second gateway, a wrong PSK, and one whose PSK
# is asked every time (created with nmcli: the plugin must be known to it).
nm_vpn_keyfile ferry-psk "$FY_GW_ADDR" "dns-search-domains=corp.example.net" "$PSK"
nm_vpn_keyfile ferry-gw2 "$GW2_ADDR" "" "$PSK"
nm_vpn_keyfile ferry-wrong "$FY_GW_ADDR" "" "$WRONG_PSK"
nm_exec nmcli connection reload
nm_exec nmcli connection add type vpn vpn-type ferry con-name ferry-ask autoconnect no \
	vpn.data "gateway=$FY_GW_ADDR, auth=psk, local-id=client@example.net, remote-id=gw.example.net, psk-flags=2" \
	>"$out/nmcli-add.txt" 2>&1
tap_check "nmcli connection add type vpn vpn-type ferry (psk asked every time)" \
	test "$(nm_field ferry-ask vpn.service-type)" = org.freedesktop.NetworkManager.ferry ||
	tap_diag_file "nmcli" "$out/nmcli-add.txt"

# Import through the editor plugin (nmcli loads it from the .name file).
cat >"$FY_TMP/corp.profile" <<-EOF
	[profile]
	name=ferry-imported
	gateway=vpn.example.net
	auth=eap-mschapv2
	eap-identity=alice
	include-subnets=203.0.113.0/25
EOF
nm_exec nmcli connection import type ferry file "$FY_TMP/corp.profile" >"$out/nmcli-import.txt" 2>&1
tap_check "nmcli connection import type ferry file corp.profile" \
	test "$(nm_field ferry-imported vpn.service-type)" = org.freedesktop.NetworkManager.ferry ||
	tap_diag_file "nmcli import" "$out/nmcli-import.txt"

if [ "$have_service" = no ]; then
	for c in "PSK stored system-owned" "PSK asked through passwd-file (external-UI auth dialog)" \
		"two connections at once" "wrong PSK ends in Invalid secrets"; do
		tap_skip "$c" "no service program $service (the session facade has not landed)"
	done
else
	# 1. PSK stored system-owned.
	nm_exec timeout 60 nmcli connection up ferry-psk >"$out/up-psk.txt" 2>&1
	if tap_check "ferry-psk: nmcli connection up" test $? -eq 0; then
		check_up ferry-psk "$GW1_NET" 203.0.113.128/26 "$FY_CORP4"
		tap_check "ferry-psk: NetworkManager recorded DNS $FY_DNS4" \
			grep -qx "$FY_DNS4" <(nm_field ferry-psk IP4.DNS | tr '|' '\n')
		tap_check "ferry-psk: NetworkManager recorded the search domain corp.example.net" \
			grep -q corp.example.net <(nm_field ferry-psk IP4.DOMAIN)
		dev=$(tun_of ferry-psk)
		tap_check "ferry-psk: $dev holds an IPv6 virtual address from $FY_POOL6" \
			grep -q "inet6 2001:db8:cafe::" <(ip -n "$FY_CLI" -6 addr show dev "$dev" 2>/dev/null)
		tap_check "ferry-psk: route 2001:db8:c0::/64 goes through $dev" \
			grep -q "^2001:db8:c0::/64 " <(ip -n "$FY_CLI" -6 route show table all dev "$dev" 2>/dev/null)
		tap_check "ferry-psk: NetworkManager recorded DNS $FY_DNS6" \
			grep -qix "$FY_DNS6" <(nm_field ferry-psk IP6.DNS | tr -d '\\' | tr '|' '\n')
		tap_check "ferry-psk: ping $FY_CORP6 through the tunnel" fy_ping "$FY_CLI" "$FY_CORP6"
		tap_check "ferry-psk: 1 MiB each way over TCP" fy_tcp_transfer "$FY_CLI" "$FY_CORP4" 1048576
		tap_check "ferry-psk: the Session object says up to an unprivileged reader" \
			grep -q "'up'" <(session_property Phase)
		dev=$(tun_of ferry-psk)
		nm_exec nmcli connection down ferry-psk >"$out/down-psk.txt" 2>&1
		tap_check "ferry-psk: down removes $dev" \
			bash -c "! ip -n '$FY_CLI' link show dev '$dev' >/dev/null 2>&1"
		tap_check "ferry-psk: down deletes the IKE SA at the gateway" fy_wait_gw_no_sas 5
	else
		tap_diag_file "nmcli" "$out/up-psk.txt"
		tap_diag_file "NetworkManager" "$out/nm.log" 60
	fi

	# 2. The PSK asked for: nmcli runs the auth dialog in external-UI mode, no display.
	(umask 077 && printf 'vpn.secrets.psk:%s\n' "$PSK" >"$FY_TMP/secret/passwd")
	nm_exec env -u DISPLAY -u WAYLAND_DISPLAY timeout 60 nmcli connection up ferry-ask \
		passwd-file "$FY_TMP/secret/passwd" >"$out/up-ask.txt" 2>&1
	if tap_check "ferry-ask: nmcli connection up passwd-file (auth dialog --external-ui-mode)" \
		test $? -eq 0; then
		check_up ferry-ask "$GW1_NET" 203.0.113.128/26 "$FY_CORP4"
		nm_exec nmcli connection down ferry-ask >/dev/null 2>&1
	else
		tap_diag_file "nmcli" "$out/up-ask.txt"
	fi

	# 3. Two Ferry connections at once, to two gateways.
	nm_exec timeout 60 nmcli connection up ferry-psk >"$out/up-two-1.txt" 2>&1
	# On its own link: the base device is wan2, so NetworkManager routes gateway 2 there.
	nm_exec timeout 60 nmcli connection up ferry-gw2 ifname wan2 >"$out/up-two-2.txt" 2>&1
	tap_check "two connections: both active" test "$(nm_field ferry-psk GENERAL.STATE)" = activated -a \
		"$(nm_field ferry-gw2 GENERAL.STATE)" = activated ||
		tap_diag_file "nmcli" "$out/up-two-2.txt"
	tap_check "two connections: two service processes" test "$(nm_services | wc -l)" -ge 2
	check_up ferry-psk "$GW1_NET" 203.0.113.128/26 "$FY_CORP4"
	check_up ferry-gw2 "$GW2_NET" 203.0.113.224/28 "$GW2_HOST"
	tap_check "two connections: different tunnel devices" test "$(tun_of ferry-psk)" != "$(tun_of ferry-gw2)"
	nm_exec nmcli connection down ferry-psk >/dev/null 2>&1
	nm_exec nmcli connection down ferry-gw2 >/dev/null 2>&1

	# 4. A wrong PSK: LOGIN_FAILED, which NetworkManager reports as invalid secrets.
	nm_exec timeout 60 nmcli connection up ferry-wrong >"$out/up-wrong.txt" 2>&1
	tap_check "ferry-wrong: nmcli says Invalid secrets" grep -q "Invalid secrets" "$out/up-wrong.txt" ||
		tap_diag_file "nmcli" "$out/up-wrong.txt"
	tap_check "ferry-wrong: the service logged why" grep -q "connection failed" "$out/nm.log"
fi

nm_stop
tap_check "no secret in any log or output" fy_scan_canaries "$out"
fy_teardown
tap_check "nothing left behind (processes, namespaces, files)" fy_check_clean
tap_plan
[ "$FY_TAP_FAILED" -eq 0 ]
