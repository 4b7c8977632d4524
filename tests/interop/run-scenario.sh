#!/bin/bash
# tests/interop/run-scenario.sh: runs one interop scenario (client in a namespace against a real
# strongSwan gateway, see lib.sh for the topology) and prints TAP for meson.
#
# Usage: run-scenario.sh [--client ferry|strongswan] [--ferry PATH] [--keep] SCENARIO
#   SCENARIO    a directory under scenarios/ (or a path to one) holding README, swanctl.conf
#               (gateway), profile and secrets (ferry's), expect (what must happen, sourced),
#               and optionally strongswan.conf (else ../strongswan.conf.in is used)
#   --client    ferry (default): runs `ferry connect --json` with the scenario's profile;
#               strongswan: strongSwan's own initiator (charon + swanctl) with the same
#               gateway, identities and proposals, which validates the harness itself
#   --ferry     the ferry binary (default: ferry from PATH)
#   --keep      keep the scratch directory (logs) for inspection
# Skips (TAP "1..0 # SKIP", exit status $FERRY_SKIP_EXIT, default 77) without root, without the
# ferry binary, or without the tools.
set -u

here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
fy_parse_args run-scenario.sh "$@"

# What the scenario expects (defaults first; the expect file overrides).
TOPOLOGY=plain          # plain | nat
GATEWAY=yes             # start charon in the gateway namespace
OUTCOME=up              # up | fail
EXIT_CODE=0             # ferry's exit status when OUTCOME=fail
MAX_SECONDS=20          # up within this many seconds, or (OUTCOME=fail) exit within it
ERROR_MATCH=            # extended regex the "ferry: ..." stderr line must match (fail)
WRONG_PSK=no            # the gateway gets a different secret than the client
STRONGSWAN_BASELINE=yes # strongSwan's initiator can run this scenario (harness check)
GW_IKE=                 # algorithms the gateway must show for the IKE SA (swanctl --list-sas)
GW_ESP=                 # ... and for the CHILD SA
EVENTS=()               # jq conditions some line of `ferry connect --json` must satisfy
EVENTS_END=()           # ... once ferry has ended (OUTCOME=up: the final "stats", "down")
GW_LOG=()               # fixed strings the gateway's charon log must contain
GW_LOG_ABSENT=()        # ... and must not contain
TRANSFER_BYTES=8388608  # TCP transfer each way over IPv4 (1/8 of it over IPv6)
SOAK_SECONDS=0          # stay up this long pinging the corporate host at 5/s (ferry only)
SOAK_MAX_LOSS=2         # ... losing at most this many percent of the pings
SOAK_MIN_REKEYS=0       # ... while ferry reports at least this many Child SA rekeys
SOAK_MIN_IKE_REKEYS=0   # ... and IKE SA rekeys, in ferry's events and in the gateway's log
END=user                # user: SIGTERM ends ferry; gateway: the gateway deletes the IKE SA
                        # kill: SIGKILL, then a second ferry cleans up and is ended by SIGTERM
GW_HALF_OPEN=no         # (fail) the gateway may keep a half-open IKE SA until its own timeout
. "$scenario/expect"
# Certificate/EAP scenarios say WRONG_PASSWORD for the EAP password (run-cert-scenario.sh).
[ "${WRONG_PASSWORD:-no}" = yes ] && WRONG_PSK=yes

case "$client" in
ferry)
	[ -n "$ferry" ] || ferry=$(command -v ferry 2>/dev/null)
	[ -n "$ferry" ] && [ -x "$ferry" ] || fy_skip "no ferry binary (${ferry:-not in PATH})"
	ferry=$(readlink -f "$ferry")
	;;
strongswan)
	[ "$STRONGSWAN_BASELINE" = yes ] || fy_skip "scenario $name has no strongSwan-initiator variant"
	;;
*) echo "run-scenario.sh: --client is ferry or strongswan" >&2; exit 2 ;;
esac
reason=$(fy_missing_prereq) && fy_skip "$reason"

fy_init
out=$FY_TMP/out
echo "# scenario $name, client $client, namespaces ${FY_PREFIX}*, scratch $FY_TMP"

fy_canary
PSK=$FY_CANARY
GW_PSK=$PSK
if [ "$WRONG_PSK" = yes ]; then
	fy_canary
	GW_PSK=$FY_CANARY
fi

now_us() {
	echo "${EPOCHREALTIME/./}"
}

seconds_since() {
	local us=$(($(now_us) - $1))
	printf '%d.%03d' $((us / 1000000)) $((us % 1000000 / 1000))
}

# ---------------------------------------------------------------------------------------------
# ferry's JSON output

# event FILTER: the JSON lines of ferry's stdout matching a jq condition (bad lines ignored).
event() {
	jq -cR "fromjson? | objects | select($1)" "$out/ferry.json" 2>/dev/null
}

json_well_formed() {
	local bad
	bad=$(jq -R -r 'if (fromjson? | objects | (.time | type) == "number" and (.event | type) == "string")
		then empty else . end' "$out/ferry.json" 2>&1 | head -n 3)
	[ -z "$bad" ] && return 0
	echo "# not an event object: $(fy_redact "$bad")"
	return 1
}

# wait_ferry CONDITION SECONDS: waits until ferry's output has a line matching CONDITION, or it
# exits, or SECONDS pass.
wait_ferry() {
	local deadline=$(($(now_us) + $2 * 1000000))
	while [ "$(now_us)" -lt $deadline ]; do
		[ -n "$(event "$1")" ] && return 0
		fy_alive "$ferry_pid" || { [ -n "$(event "$1")" ]; return; }
		sleep 0.05
	done
	return 1
}

secret_not_in_proc() {
	local c f
	for f in "/proc/$ferry_pid/cmdline" "/proc/$ferry_pid/environ"; do
		for c in "${FY_SECRETS[@]}"; do
			if tr '\0' '\n' <"$f" 2>/dev/null | grep -qF -e "$c"; then
				echo "# a secret is in $f"
				return 1
			fi
		done
	done
}

# import_sswan: a scenario with profile.sswan gets its profile the way IT hands it out: the
# .sswan file (CA embedded, EAP password inside) is imported into a private profile store,
# and ferry connects to the stored profile by name with the secrets the import stored.
import_sswan() {
	local store=$FY_TMP/secret/store
	FY_CA_B64=$(base64 -w0 <"$FY_TMP/secret/pki/rsa-ca.crt")
	fy_subst "$scenario/profile.sswan" "$FY_TMP/secret/corp.sswan" 600
	if "$ferry" import "$FY_TMP/secret/corp.sswan" --profile-dir "$store" \
		>"$out/import.txt" 2>&1; then
		tap_ok "ferry import of the .sswan file"
		tap_check "the import reports nothing it could not carry over" \
			bash -c '! grep -qi "not carried\|unmapped\|ignored" "$1"' _ "$out/import.txt"
		tap_check "the import stored the gateway's CA from remote.cert" \
			grep -rqF -- "$(sed -n 2p "$FY_TMP/secret/pki/rsa-ca.crt")" "$store"
	else
		tap_not_ok "ferry import of the .sswan file"
		tap_diag_file "ferry import output" "$out/import.txt"
	fi
	ferry_profile_args=(--profile "$name" --profile-dir "$store")
}

start_ferry() {
	if [ -f "$scenario/profile.sswan" ]; then
		import_sswan
	else
		fy_subst "$scenario/profile" "$FY_TMP/secret/profile" 644
		fy_subst "$scenario/secrets" "$FY_TMP/secret/secrets" 600
		ferry_profile_args=(--profile "$FY_TMP/secret/profile" --secrets "$FY_TMP/secret/secrets")
	fi
	ferry_t0=$(now_us)
	ip netns exec "$FY_CLI" "$ferry" connect "${ferry_profile_args[@]}" \
		--json >"$out/ferry.json" 2>"$out/ferry.stderr" \
		</dev/null &
	ferry_pid=$!
	FY_PIDS+=("$ferry_pid")
}

# stop_ferry: SIGTERM, up to 10 s to finish; sets ferry_status.
stop_ferry() {
	local i
	kill -TERM "$ferry_pid" 2>/dev/null
	for i in $(seq 100); do
		fy_alive "$ferry_pid" || break
		sleep 0.1
	done
	if fy_alive "$ferry_pid"; then
		echo "# ferry ignored SIGTERM for 10 s; killing it"
		kill -KILL "$ferry_pid"
	fi
	wait "$ferry_pid"
	ferry_status=$?
}

# ---------------------------------------------------------------------------------------------
# Checks shared by both clients

addr_in_pool() {
	local dev=$1 want=$2 family=$3 pool=$4 have
	have=$(ip -n "$FY_CLI" "-$family" -o addr show dev "$dev" scope global 2>/dev/null |
		awk '{print $4}')
	if [ -n "$want" ]; then
		grep -qx -e "${want%/*}/[0-9]*" <<<"$have" || {
			echo "# $dev has [$(echo $have)], not ${want%/*}"
			return 1
		}
	else
		want=$(head -n 1 <<<"$have")
		[ -n "$want" ] || { echo "# no IPv$family address on $dev"; return 1; }
	fi
	fy_in_net "${want%/*}" "$pool" || { echo "# ${want%/*} is outside $pool"; return 1; }
}

client_has_link() {
	ip -n "$FY_CLI" link show dev "$1" >/dev/null 2>&1
}

client_lacks_link() {
	! client_has_link "$1"
}

# route_dev ADDR DEV: true when the client namespace routes ADDR through DEV.
route_dev() {
	local r
	r=$(ip -n "$FY_CLI" route get "$1" 2>&1)
	grep -qE " dev $2( |\$)" <<<"$r" && return 0
	echo "# route to $1: $r"
	return 1
}

# routes_through DEV: the corporate host (both families) is routed through DEV and the
# gateway is not, so the tunnel does not swallow its own packets.
routes_through() {
	local r
	route_dev "$FY_CORP4" "$1" && route_dev "$FY_CORP6" "$1" || return 1
	r=$(ip -n "$FY_CLI" route get "$FY_GW_ADDR" 2>&1)
	grep -qE " dev $1( |\$)" <<<"$r" || return 0
	echo "# route to the gateway: $r"
	return 1
}

resolv_has() {
	grep -qE "^nameserver[[:space:]]+$2([[:space:]]|$)" "$1" || {
		echo "# $1 has no nameserver $2:"
		tap_diag <"$1"
		return 1
	}
}

ping_corp() {
	fy_ping "$FY_CLI" "$1" 3 || {
		echo "# ping $1 failed:"
		tail -n 4 "$out/ping.txt" | tap_diag
		return 1
	}
}

# soak_ping SECONDS MAX_LOSS: ping the corporate host at 5/s for SECONDS; at most MAX_LOSS %
# of the replies may be missing.
soak_ping() {
	local n=$(($1 * 5)) sent got loss
	ip netns exec "$FY_CLI" ping -n -q -c "$n" -i 0.2 -W 2 "$FY_CORP4" >"$out/soak-ping.txt" 2>&1
	sent=$(sed -n 's/^\([0-9]*\) packets transmitted, \([0-9]*\) received.*/\1/p' "$out/soak-ping.txt")
	got=$(sed -n 's/^\([0-9]*\) packets transmitted, \([0-9]*\) received.*/\2/p' "$out/soak-ping.txt")
	[ -n "$sent" ] && [ "$sent" -gt 0 ] || { tail -n 3 "$out/soak-ping.txt" | tap_diag; return 1; }
	loss=$(((sent - got) * 100 / sent))
	echo "# soak: $got of $sent pings answered ($((sent - got)) lost)"
	[ $(((sent - got) * 100)) -le $(($2 * sent)) ] || { echo "# soak: $loss% lost"; return 1; }
}

# ike_rekeys_at_least N: ferry and the gateway's log count N IKE SA rekeys or more, and the
# gateway's log shows none of its rekeys refused (TEMPORARY_FAILURE, RFC 7296 §2.25).
ike_rekeys_at_least() {
	local n g r
	n=$(event '.event == "rekeyed" and .what == "IKE_SA"' | wc -l)
	g=$(grep -c 'IKE_SA .* rekeyed between' "$out/charon-gw.log")
	r=$(grep -c 'received TEMPORARY_FAILURE notify' "$out/charon-gw.log")
	echo "# ferry reported $n IKE SA rekeys, the gateway's log shows $g and $r refused"
	[ "$n" -ge "$1" ] && [ "$g" -ge "$1" ] && [ "$r" -eq 0 ]
}

child_rekeys_at_least() {
	local n
	n=$(event '.event == "rekeyed" and .what == "CHILD_SA"' | wc -l)
	echo "# ferry reported $n Child SA rekeys"
	[ "$n" -ge "$1" ]
}

tcp_corp() {
	fy_tcp_transfer "$FY_CLI" "$1" "$2" || {
		tap_diag_file "TCP client" "$out/tcp/client.log" 5
		tap_diag_file "TCP server" "$out/tcp/server-up.log" 5
		return 1
	}
	fy_in_net "$FY_TCP_PEER" "$3" || {
		echo "# the corporate host saw the connection from '$FY_TCP_PEER', not from the pool $3"
		return 1
	}
}

gateway_sa_matches() {
	fy_gw_sa_matches "ESTABLISHED" "remote .* @ $FY_CLIENT_OUTER\[" "$GW_IKE" \
		"INSTALLED, TUNNEL-in-UDP" "$GW_ESP" "$@"
}

gateway_sa_gone() {
	fy_wait_gw_no_sas 5 || {
		echo "# the gateway still holds:"
		fy_gw_sas | tap_diag
		return 1
	}
}

# gateway_sa_half_open: every IKE SA the gateway lists is still CONNECTING (never established).
gateway_sa_half_open() {
	local sas
	sas=$(fy_gw_sas | grep -E '^[^ ]+: #[0-9]+, ')
	[ -n "$sas" ] || return 0
	grep -v -q ', CONNECTING, ' <<<"$sas" || return 0
	echo "# the gateway holds:"
	tap_diag <<<"$sas"
	return 1
}

same_file() {
	cmp -s "$1" "$2" && return 0
	echo "# $2 differs from before:"
	diff -u "$1" "$2" | tail -n +3 | tap_diag
	return 1
}

state_restored() {
	fy_snapshot "$FY_CLI" "$FY_TMP/state-after"
	same_file "$FY_TMP/state-before" "$FY_TMP/state-after"
}

no_process_in_client_ns() {
	local pids
	pids=$(ip netns pids "$FY_CLI" 2>/dev/null)
	[ -z "$pids" ] && return 0
	echo "# still running in $FY_CLI: $(for p in $pids; do tr '\0' ' ' <"/proc/$p/cmdline"; echo; done)"
	return 1
}

no_canary() {
	fy_scan_canaries "$out"
}

diagnose() {
	[ "$FY_TAP_FAILED" -gt 0 ] || return 0
	echo "# ---------------- diagnostics ($FY_TAP_FAILED failed) ----------------"
	fy_intact
	if [ "$client" = ferry ]; then
		echo "# ferry exit status: ${ferry_status:-still running}"
		tap_diag_file "ferry stderr" "$out/ferry.stderr" 20
		tap_diag_file "ferry --json stdout" "$out/ferry.json" 40
	else
		tap_diag_file "swanctl --initiate" "$out/initiate.txt" 20
		tap_diag_file "client charon log" "$out/charon-cli.log" 40
	fi
	[ "$GATEWAY" = yes ] && tap_diag_file "gateway charon log" "$out/charon-gw.log" 60
}

# ---------------------------------------------------------------------------------------------
# The run

fy_topology "$TOPOLOGY"
# Certificate scenarios (run-cert-scenario.sh): the test PKI, the gateway's files in its tree,
# and the path (MTU, IP fragments dropped) as that script makes it for strongSwan's initiator.
if [ -n "${FY_CERT_PKI:-}" ]; then
	fy_pki_build
	tap_check "credentials placed in the gateway's swanctl tree" \
		fy_place_files gw "${GW_FILES[@]}"
	fy_narrow_path
fi
fy_snapshot "$FY_CLI" "$FY_TMP/state-before"
cp -p "/etc/netns/$FY_CLI/resolv.conf" "$FY_TMP/resolv-before"
resolv=/etc/netns/$FY_CLI/resolv.conf

gw_conf_tpl=$here/strongswan.conf.in
[ -f "$scenario/strongswan.conf" ] && gw_conf_tpl=$scenario/strongswan.conf
if [ "$GATEWAY" = yes ]; then
	tap_check "gateway charon started, configuration loaded" \
		fy_charon_start gw "$FY_GW" "$scenario/swanctl.conf" "$gw_conf_tpl" || {
		diagnose
		fy_teardown
		tap_plan
		exit 1
	}
fi

corp_unreachable() {
	! ip netns exec "$FY_CLI" ping -n -q -c 1 -W 1 "$FY_CORP4" >/dev/null 2>&1
}

run_ferry_up() {
	local up tun ip4 ip6 c
	tap_check "the corporate host is unreachable without the tunnel" corp_unreachable
	start_ferry
	if wait_ferry '.event == "up"' "$MAX_SECONDS"; then
		tap_ok "ferry reports the tunnel up after $(seconds_since "$ferry_t0") s (limit $MAX_SECONDS s)"
	else
		tap_not_ok "ferry reports the tunnel up within $MAX_SECONDS s"
		stop_ferry
		tap_check "after the failure the client namespace is as before" state_restored
		tap_check "after the failure resolv.conf is as before" \
			same_file "$FY_TMP/resolv-before" "$resolv"
		return 1
	fi
	tap_check "secrets are not in ferry's argv or environment" secret_not_in_proc
	for c in "${EVENTS[@]}"; do
		tap_check "ferry reported an event with $c" test -n "$(event "$c")"
	done
	up=$(event '.event == "up"' | head -n 1)
	tun=$(jq -r '.tun // empty' <<<"$up")
	ip4=$(jq -r '.ip4 // empty' <<<"$up")
	ip6=$(jq -r '.ip6 // empty' <<<"$up")
	echo "# up: $(fy_redact "$up")"
	tap_check "TUN device '$tun' exists in the client namespace" client_has_link "${tun:-none}"
	tap_check "TUN carries the IPv4 virtual address $ip4 from $FY_POOL4" \
		addr_in_pool "${tun:-none}" "$ip4" 4 "$FY_POOL4"
	tap_check "TUN carries the IPv6 virtual address $ip6 from $FY_POOL6" \
		addr_in_pool "${tun:-none}" "$ip6" 6 "$FY_POOL6"
	tap_check "$FY_CORP4 and $FY_CORP6 are routed through $tun, the gateway is not" \
		routes_through "${tun:-none}"
	tap_check "no route for the rest of the prefix of ${ip6:-no IPv6 address}" \
		fy_no_prefix_route "$FY_CLI" "${tun:-none}" "$ip6"
	tap_check "resolv.conf lists the gateway's IPv4 DNS server" resolv_has "$resolv" "$FY_DNS4"
	tap_check "resolv.conf lists the gateway's IPv6 DNS server" resolv_has "$resolv" "$FY_DNS6"
	tap_check "the gateway's SA: client at $FY_CLIENT_OUTER, $GW_IKE, $GW_ESP, ${ip4%/*}" \
		gateway_sa_matches "${ip4%/*}"
	fy_gw_log_checks
	tap_check "ping $FY_CORP4 through the tunnel" ping_corp "$FY_CORP4"
	tap_check "ping $FY_CORP6 through the tunnel" ping_corp "$FY_CORP6"
	if [ "$SOAK_SECONDS" -gt 0 ]; then
		tap_check "$SOAK_SECONDS s of pings at 5/s to $FY_CORP4, at most $SOAK_MAX_LOSS% lost" \
			soak_ping "$SOAK_SECONDS" "$SOAK_MAX_LOSS"
		tap_check "ferry reported at least $SOAK_MIN_REKEYS Child SA rekeys" \
			child_rekeys_at_least "$SOAK_MIN_REKEYS"
		if [ "$SOAK_MIN_IKE_REKEYS" -gt 0 ]; then
			tap_check "at least $SOAK_MIN_IKE_REKEYS IKE SA rekeys by ferry's and the gateway's count, none refused" \
				ike_rekeys_at_least "$SOAK_MIN_IKE_REKEYS"
		fi
		tap_check "ferry is still up" fy_alive "$ferry_pid"
	fi
	if [ "$TRANSFER_BYTES" -gt 0 ]; then
		tap_check "TCP $TRANSFER_BYTES bytes each way to $FY_CORP4, SHA-256 equal, from the pool" \
			tcp_corp "$FY_CORP4" "$TRANSFER_BYTES" "$FY_POOL4"
		tap_check "TCP $((TRANSFER_BYTES / 8)) bytes each way to $FY_CORP6, SHA-256 equal, from the pool" \
			tcp_corp "$FY_CORP6" "$((TRANSFER_BYTES / 8))" "$FY_POOL6"
	fi

	[ "$END" = kill ] && { fy_kill_and_reconnect || return 1; }
	if [ "$END" = gateway ]; then
		fy_swanctl gw --terminate --ike rw --timeout 10 >"$out/terminate.txt" 2>&1
		wait_ferry 'false' 10
		if fy_alive "$ferry_pid"; then
			tap_not_ok "ferry exits within 10 s of the gateway's DELETE"
			stop_ferry
		else
			wait "$ferry_pid"
			ferry_status=$?
			tap_ok "ferry exits within 10 s of the gateway's DELETE"
		fi
		tap_check "the gateway's DELETE: ferry exits with status 0 (got $ferry_status)" \
			test "$ferry_status" -eq 0
		tap_check "ferry reported down (reason peer)" \
			test -n "$(event '.event == "down" and .reason == "peer"')"
		tap_check "the gateway holds no SA" gateway_sa_gone
	else
		stop_ferry
		tap_check "SIGTERM: ferry exits with status 0 (got $ferry_status)" test "$ferry_status" -eq 0
		tap_check "ferry reported down (reason user)" \
			test -n "$(event '.event == "down" and .reason == "user"')"
		tap_check "the gateway received the DELETE and holds no SA" gateway_sa_gone
		tap_check "gateway log: received DELETE for IKE_SA" fy_log_has "$out/charon-gw.log" "received DELETE for IKE_SA"
	fi
	for c in "${EVENTS_END[@]}"; do
		tap_check "at the end ferry reported an event with $c" test -n "$(event "$c")"
	done
	tap_check "TUN device '$tun' is gone" client_lacks_link "${tun:-none}"
	tap_check "links, addresses, routes and rules of the client namespace are as before" \
		state_restored
	tap_check "resolv.conf restored byte for byte" same_file "$FY_TMP/resolv-before" "$resolv"
}

run_ferry_fail() {
	local elapsed err
	start_ferry
	wait_ferry 'false' "$MAX_SECONDS"
	if fy_alive "$ferry_pid"; then
		tap_not_ok "ferry exits within $MAX_SECONDS s"
		stop_ferry
	else
		elapsed=$(seconds_since "$ferry_t0")
		wait "$ferry_pid"
		ferry_status=$?
		tap_ok "ferry exits within $MAX_SECONDS s (after $elapsed s)"
	fi
	tap_check "exit status $EXIT_CODE (got $ferry_status)" test "$ferry_status" -eq "$EXIT_CODE"
	tap_check "ferry reported an error event with exit $EXIT_CODE" \
		test -n "$(event ".event == \"error\" and .exit == $EXIT_CODE")"
	tap_check "ferry never reported the tunnel up" test -z "$(event '.event == "up"')"
	err=$(grep -m1 '^ferry: ' "$out/ferry.stderr")
	echo "# stderr: $(fy_redact "$err")"
	tap_check "one 'ferry: ...' line on stderr matching /$ERROR_MATCH/" \
		grep -qiE -e "^ferry: .*($ERROR_MATCH)" "$out/ferry.stderr"
	for c in "${EVENTS[@]}"; do
		tap_check "ferry reported an event with $c" test -n "$(event "$c")"
	done
	fy_gw_log_checks
	if [ "$GATEWAY" = yes ] && [ "$GW_HALF_OPEN" = yes ]; then
		tap_check "the gateway holds no established SA (a half-open one may wait for its timeout)" \
			gateway_sa_half_open
	elif [ "$GATEWAY" = yes ]; then
		tap_check "the gateway holds no SA" gateway_sa_gone
	fi
	tap_check "links, addresses, routes and rules of the client namespace are as before" \
		state_restored
	tap_check "resolv.conf untouched" same_file "$FY_TMP/resolv-before" "$resolv"
}

start_strongswan_client() {
	fy_strongswan_client_conf "$scenario/profile" "$FY_TMP/secret/client.tpl"
	fy_subst "$FY_TMP/secret/client.tpl" "$FY_TMP/secret/client.tpl"
	tap_check "client charon started, configuration loaded" \
		fy_charon_start cli "$FY_CLI" "$FY_TMP/secret/client.tpl"
}

run_strongswan_up() {
	local t0 vip4 vip6
	tap_check "the corporate host is unreachable without the tunnel" corp_unreachable
	t0=$(now_us)
	start_strongswan_client || return 1
	if fy_swanctl cli --initiate --child ferry --timeout "$MAX_SECONDS" >"$out/initiate.txt" 2>&1; then
		tap_ok "strongSwan's initiator brings the tunnel up after $(seconds_since "$t0") s"
	else
		tap_not_ok "strongSwan's initiator brings the tunnel up within $MAX_SECONDS s"
		return 1
	fi
	vip4=$(ip -n "$FY_CLI" -4 -o addr show scope global | awk '{print $4}' | grep '^203\.0\.113\.' | head -n 1)
	vip6=$(ip -n "$FY_CLI" -6 -o addr show scope global | awk '{print $4}' | grep '^2001:db8:cafe:' | head -n 1)
	tap_check "IPv4 virtual address $vip4 from $FY_POOL4 installed" \
		addr_in_pool ipsec0 "$vip4" 4 "$FY_POOL4"
	tap_check "IPv6 virtual address $vip6 from $FY_POOL6 installed" \
		addr_in_pool ipsec0 "$vip6" 6 "$FY_POOL6"
	tap_check "$FY_CORP4 and $FY_CORP6 are routed through ipsec0, the gateway is not" \
		routes_through ipsec0
	tap_check "DNS from the gateway (IPv4) received" resolv_has "$out/resolv-cli.conf" "$FY_DNS4"
	tap_check "DNS from the gateway (IPv6) received" resolv_has "$out/resolv-cli.conf" "$FY_DNS6"
	tap_check "the gateway's SA: client at $FY_CLIENT_OUTER, $GW_IKE, $GW_ESP, ${vip4%/*}" \
		gateway_sa_matches "${vip4%/*}"
	fy_gw_log_checks
	tap_check "ping $FY_CORP4 through the tunnel" ping_corp "$FY_CORP4"
	tap_check "ping $FY_CORP6 through the tunnel" ping_corp "$FY_CORP6"
	tap_check "TCP $TRANSFER_BYTES bytes each way to $FY_CORP4, SHA-256 equal, from the pool" \
		tcp_corp "$FY_CORP4" "$TRANSFER_BYTES" "$FY_POOL4"
	tap_check "TCP $((TRANSFER_BYTES / 8)) bytes each way to $FY_CORP6, SHA-256 equal, from the pool" \
		tcp_corp "$FY_CORP6" "$((TRANSFER_BYTES / 8))" "$FY_POOL6"
	fy_swanctl cli --terminate --ike ferry --timeout 10 >>"$out/initiate.txt" 2>&1
	tap_check "the gateway received the DELETE and holds no SA" gateway_sa_gone
	fy_charon_stop cli
	tap_check "client charon stopped with status 0" test $? -eq 0
	tap_check "links, addresses, routes and rules of the client namespace are as before" \
		state_restored
}

run_strongswan_fail() {
	start_strongswan_client || return 1
	if fy_swanctl cli --initiate --child ferry --timeout "$MAX_SECONDS" >"$out/initiate.txt" 2>&1; then
		tap_not_ok "strongSwan's initiator fails to bring the tunnel up"
	else
		tap_ok "strongSwan's initiator fails to bring the tunnel up"
	fi
	fy_gw_log_checks
	[ "$GATEWAY" = yes ] && tap_check "the gateway holds no SA" gateway_sa_gone
	fy_charon_stop cli
	tap_check "links, addresses, routes and rules of the client namespace are as before" \
		state_restored
}

if [ "$client" = strongswan ]; then
	"run_strongswan_$OUTCOME"
elif [ "$OUTCOME" = up ]; then
	run_ferry_up
else
	run_ferry_fail
fi
[ "$client" = ferry ] && tap_check "every line of ferry's stdout is a JSON event object" json_well_formed
tap_check "no process left in the client namespace" no_process_in_client_ns
tap_check "no secret in any output or log (ferry stdout/stderr, charon logs, traffic logs)" no_canary
diagnose
fy_teardown
tap_check "teardown left no process, namespace, /etc/netns entry or scratch file" fy_check_clean
tap_plan
[ "$FY_TAP_FAILED" -eq 0 ]
