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
. "$here/lib.sh"
fy_parse_args run-cert-scenario.sh "$@"

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
GW_LOG_ABSENT=()      # ... and must not contain
CLIENT_LOG=()         # ... and the client's (strongSwan initiator) must contain
STRONGSWAN_OUTCOME=   # up | fail: strongSwan's initiator ends otherwise than ferry (default OUTCOME)
. "$scenario/expect"
STRONGSWAN_OUTCOME=${STRONGSWAN_OUTCOME:-$OUTCOME}

if [ "$client" = ferry ]; then
	[ "$FERRY_READY" = yes ] || fy_skip "the ferry client does not support scenario $name yet"
	FY_CERT_PKI=1 exec "$here/run-scenario.sh" --ferry "$ferry" $keep "$scenario"
fi
[ "$client" = strongswan ] || { echo "run-cert-scenario.sh: --client is ferry or strongswan" >&2; exit 2; }
reason=$(fy_missing_prereq pki certtool openssl softhsm2-util) && fy_skip "$reason"

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

no_canary() {
	fy_scan_canaries "$out"
}

fy_pki_build
tap_check "credentials placed in the gateway's and the client's swanctl trees" \
	eval 'fy_place_files gw "${GW_FILES[@]}" && fy_place_files cli "${CLI_FILES[@]}"'
fy_topology plain
fy_narrow_path
fragments_blocked() {
	! ip netns exec "$FY_CLI" ping -n -q -c 1 -W 1 -s 2000 "$FY_GW_ADDR" >/dev/null 2>&1
}
[ "$DROP_IP_FRAGMENTS" = yes ] &&
	tap_check "a 2000-byte ping to the gateway does not pass (IP fragments dropped)" \
		fragments_blocked
tap_check "gateway charon started, configuration and credentials loaded" \
	fy_charon_start gw "$FY_GW" "$scenario/swanctl.conf" "$conf_tpl"
tap_check "client charon (strongSwan's initiator) started, configuration loaded" \
	fy_charon_start cli "$FY_CLI" "$scenario/client-swanctl.conf" "$conf_tpl"

if fy_swanctl cli --initiate --child ferry --timeout "$MAX_SECONDS" >"$out/initiate.txt" 2>&1; then
	up=yes
else
	up=no
fi
if [ "$STRONGSWAN_OUTCOME" = up ]; then
	tap_check "strongSwan's initiator brings the tunnel up" test "$up" = yes ||
		tap_diag_file "swanctl --initiate" "$out/initiate.txt" 30
	tap_check "the gateway's SA is up${GW_IKE:+ with $GW_IKE}" \
		fy_gw_sa_matches ESTABLISHED "INSTALLED, TUNNEL" "$GW_IKE"
	tap_check "ping $FY_CORP4 through the tunnel" fy_ping "$FY_CLI" "$FY_CORP4"
	fy_swanctl cli --terminate --ike ferry --timeout 10 >>"$out/initiate.txt" 2>&1
else
	tap_check "strongSwan's initiator fails to bring the tunnel up" test "$up" = no
fi
fy_gw_log_checks
for g in "${CLIENT_LOG[@]}"; do
	tap_check "client log: $g" fy_log_has "$out/charon-cli.log" "$g"
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
