#!/bin/bash
# tests/interop/run-cert-scenario.sh: certificate and EAP scenarios (scenarios/cert-*, eap-*)
# against a real strongSwan gateway in network namespaces (topology and helpers: lib.sh), TAP.
#
# Usage: run-cert-scenario.sh [--client ferry|strongswan] [--ferry PATH] [--keep] SCENARIO
#   Each run builds the test PKI (tests/pki/make-test-pki.sh) in its scratch directory; the
#   scenario's files refer to it as @FY_TMP@/secret/pki/NAME.
#   SCENARIO holds README, swanctl.conf (gateway), client-swanctl.conf (strongSwan's initiator),
#   profile and secrets (ferry's), expect (sourced), optionally strongswan.conf (both charons).
#   --client strongswan: strongSwan's own initiator, which validates the gateway configuration
#            and the PKI; ferry: skips until the scenario's expect says FERRY_READY=yes (the
#            ferry client supports its authentication), then hands over to run-scenario.sh's
#            ferry path with FY_CERT_PKI=1: it builds the PKI and places GW_FILES first.
# The EAP password is a canary (@PSK@ for the client, @GW_PSK@ for the gateway).
set -u

here=$(cd "$(dirname "$0")" && pwd)
client=ferry
ferry=
keep=
while [ $# -gt 0 ]; do
	case "$1" in
	--client) client=$2; shift 2 ;;
	--ferry) ferry=$2; shift 2 ;;
	--keep) keep=--keep; FY_KEEP=1; shift ;;
	-h | --help) sed -n '2,/^set -u/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
	-*) echo "run-cert-scenario.sh: unknown option $1" >&2; exit 2 ;;
	*) break ;;
	esac
done
[ $# -eq 1 ] || { echo "usage: run-cert-scenario.sh [--client ferry|strongswan] [--ferry PATH] [--keep] SCENARIO" >&2; exit 2; }
scenario=$1
[ -d "$scenario" ] || scenario=$here/scenarios/$1
scenario=$(cd "$scenario" 2>/dev/null && pwd) || { echo "run-cert-scenario.sh: no scenario $1" >&2; exit 2; }
name=$(basename "$scenario")

. "$here/lib.sh"

skip() {
	echo "1..0 # SKIP $*"
	exit "${FERRY_SKIP_EXIT:-77}"
}

OUTCOME=up            # up | fail
MAX_SECONDS=30        # strongSwan's initiator gives up after this
WRONG_PASSWORD=no     # the gateway gets another EAP password than the client
SOFTHSM=no            # also make the SoftHSM2 token (client key on it)
RSA4096=no            # also make the 4096-bit RSA chain
PATH_MTU=             # MTU of the client-gateway link (e.g. 1280)
DROP_IP_FRAGMENTS=no  # both ends drop IPv4 fragments: only IKE fragmentation (RFC 7383) works
FERRY_READY=no        # the ferry client supports this scenario's authentication
GW_FILES=()           # PKI files the gateway's swanctl loads from its own tree: "private/gw.key"
CLI_FILES=()          # ... and the client's (keys must live in swanctl/private to be loaded)
GW_IKE=               # what the gateway's IKE SA must show (swanctl --list-sas)
GW_LOG=()             # fixed strings the gateway's charon log must contain
CLIENT_LOG=()         # ... and the client's (strongSwan initiator)
. "$scenario/expect"

if [ "$client" = ferry ]; then
	[ "$FERRY_READY" = yes ] || skip "the ferry client does not support scenario $name yet"
	FY_CERT_PKI=1 exec "$here/run-scenario.sh" --ferry "$ferry" $keep "$scenario"
fi
[ "$client" = strongswan ] || { echo "run-cert-scenario.sh: --client is ferry or strongswan" >&2; exit 2; }
reason=$(fy_missing_prereq pki certtool openssl softhsm2-util) && skip "$reason"

fy_init
out=$FY_TMP/out
pki=$FY_TMP/secret/pki
echo "# scenario $name, client strongswan, namespaces ${FY_PREFIX}*, scratch $FY_TMP"
fy_canary
PSK=$FY_CANARY
GW_PSK=$PSK
if [ "$WRONG_PASSWORD" = yes ]; then
	fy_canary
	GW_PSK=$FY_CANARY
fi

conf_tpl=$here/strongswan.conf.in
[ -f "$scenario/strongswan.conf" ] && conf_tpl=$scenario/strongswan.conf

log_has() { # log_has ROLE STRING
	grep -qF -e "$2" "$out/charon-$1.log" 2>/dev/null || {
		echo "# the $1 log lacks: $2"
		return 1
	}
}

gateway_sa_up() {
	local sas want
	sas=$(fy_gw_sas)
	for want in ESTABLISHED "INSTALLED, TUNNEL" "$GW_IKE"; do
		[ -z "$want" ] && continue
		grep -qF -e "$want" <<<"$sas" || {
			echo "# the gateway's SAs lack '$want':"
			tap_diag <<<"$sas"
			return 1
		}
	done
}

no_canary() {
	fy_scan_canaries "$out"
}

pki_opts=()
[ "$SOFTHSM" = yes ] && pki_opts+=(--softhsm)
[ "$RSA4096" = yes ] && pki_opts+=(--rsa4096)
tap_check "test PKI built with strongSwan's pki" \
	bash "$here/../pki/make-test-pki.sh" "$pki" "${pki_opts[@]}"
[ "$SOFTHSM" = yes ] && export SOFTHSM2_CONF=$pki/softhsm2.conf
# place_files ROLE FILE...: "SUBDIR/NAME" -> FY_TMP/secret/ROLE/swanctl/SUBDIR/NAME from the PKI
place_files() {
	local role=$1 f
	shift
	for f in "$@"; do
		mkdir -p -m 700 "$FY_TMP/secret/$role/swanctl/${f%/*}"
		cp "$pki/${f##*/}" "$FY_TMP/secret/$role/swanctl/$f" || return 1
	done
}
tap_check "credentials placed in the gateway's and the client's swanctl trees" \
	eval 'place_files gw "${GW_FILES[@]}" && place_files cli "${CLI_FILES[@]}"'
fy_topology plain
# The path: a smaller MTU, and IP fragments dropped before reassembly (priority -500 runs
# ahead of conntrack's defragmentation), so a large IKE_AUTH passes only as IKE fragments.
narrow_path() {
	local ns
	for ns in "$FY_CLI" "$FY_GW"; do
		[ -n "$PATH_MTU" ] && { ip -n "$ns" link set wan mtu "$PATH_MTU" || return 1; }
		[ "$DROP_IP_FRAGMENTS" = yes ] || continue
		ip netns exec "$ns" nft -f - <<-'EOF' || return 1
			table ip ferry-frag {
				chain pre {
					type filter hook prerouting priority -500; policy accept;
					ip frag-off & 0x3fff != 0 counter drop
				}
			}
		EOF
	done
}
fragments_blocked() {
	! ip netns exec "$FY_CLI" ping -n -q -c 1 -W 1 -s 2000 "$FY_GW_ADDR" >/dev/null 2>&1
}
if [ -n "$PATH_MTU" ] || [ "$DROP_IP_FRAGMENTS" = yes ]; then
	tap_check "path: MTU ${PATH_MTU:-unchanged}, IP fragments dropped: $DROP_IP_FRAGMENTS" \
		narrow_path
	[ "$DROP_IP_FRAGMENTS" = yes ] &&
		tap_check "a 2000-byte ping to the gateway does not pass (IP fragments dropped)" \
			fragments_blocked
fi
tap_check "gateway charon started, configuration and credentials loaded" \
	fy_charon_start gw "$FY_GW" "$scenario/swanctl.conf" "$conf_tpl"
tap_check "client charon (strongSwan's initiator) started, configuration loaded" \
	fy_charon_start cli "$FY_CLI" "$scenario/client-swanctl.conf" "$conf_tpl"

if fy_swanctl cli --initiate --child ferry --timeout "$MAX_SECONDS" >"$out/initiate.txt" 2>&1; then
	up=yes
else
	up=no
fi
if [ "$OUTCOME" = up ]; then
	tap_check "strongSwan's initiator brings the tunnel up" test "$up" = yes ||
		tap_diag_file "swanctl --initiate" "$out/initiate.txt" 30
	tap_check "the gateway's SA is up${GW_IKE:+ with $GW_IKE}" gateway_sa_up
	tap_check "ping $FY_CORP4 through the tunnel" fy_ping "$FY_CLI" "$FY_CORP4"
	fy_swanctl cli --terminate --ike ferry --timeout 10 >>"$out/initiate.txt" 2>&1
else
	tap_check "strongSwan's initiator fails to bring the tunnel up" test "$up" = no
fi
for g in "${GW_LOG[@]}"; do
	tap_check "gateway log: $g" log_has gw "$g"
done
for g in "${CLIENT_LOG[@]}"; do
	tap_check "client log: $g" log_has cli "$g"
done
fragments_dropped() {
	local n
	n=$(ip netns exec "$FY_GW" nft list table ip ferry-frag 2>/dev/null |
		sed -n 's/.*counter packets \([0-9]*\).*/\1/p')
	echo "# IP fragments dropped at the gateway: ${n:-none}"
	return 0
}
[ "$DROP_IP_FRAGMENTS" = yes ] && fragments_dropped
fy_charon_stop cli
fy_charon_stop gw
tap_check "no secret in any output or log" no_canary
if [ "$FY_TAP_FAILED" -gt 0 ]; then
	tap_diag_file "gateway charon log" "$out/charon-gw.log" 60
	tap_diag_file "client charon log" "$out/charon-cli.log" 60
fi
fy_teardown
tap_check "teardown left no process, namespace, /etc/netns entry or scratch file" fy_check_clean
tap_plan
[ "$FY_TAP_FAILED" -eq 0 ]
