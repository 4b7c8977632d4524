#!/bin/bash
# tests/bench/connect-time.sh: connect time of `ferry` and of strongSwan's own initiator against
# the same strongSwan gateway (the interop topology, tests/interop/lib.sh): from the client's
# start to the first echo reply from the corporate host through the tunnel.  Runs are
# interleaved; prints every run, the medians and the ratio ferry / strongSwan.  A benchmark,
# not a test: it always exits 0 unless it cannot run at all.
#
# Usage: connect-time.sh [--ferry PATH] [-n RUNS] [--scenario NAME]   (as root)
#   RUNS      rounds (default 10); each round runs every client once, in rotating order
#   NAME      an interop scenario with OUTCOME=up (default psk-x25519-gcm)
# Clients measured:
#   ferry             `ferry connect --json` started at t0
#   strongswan        charon started at t0 in the client namespace, then swanctl --load-all and
#                     --initiate: the same work a one-shot client does
#   strongswan-warm   charon already running, swanctl --initiate at t0 (a resident daemon)
set -u

here=$(cd "$(dirname "$0")" && pwd)
interop=$(cd "$here/../interop" && pwd)
runs=10
name=psk-x25519-gcm
ferry=
while [ $# -gt 0 ]; do
	case "$1" in
	--ferry) ferry=$2; shift 2 ;;
	-n) runs=$2; shift 2 ;;
	--scenario) name=$2; shift 2 ;;
	-h | --help) sed -n '2,/^set -u/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
	*) echo "connect-time.sh: unknown argument $1" >&2; exit 2 ;;
	esac
done
scenario=$interop/scenarios/$name

. "$interop/lib.sh"

if reason=$(fy_missing_prereq); then
	echo "connect-time: cannot run: $reason"
	exit 0
fi
[ -n "$ferry" ] || ferry=$(command -v ferry 2>/dev/null)
clients=(strongswan strongswan-warm)
if [ -n "$ferry" ] && [ -x "$ferry" ]; then
	ferry=$(readlink -f "$ferry")
	clients=(ferry "${clients[@]}")
else
	echo "connect-time: no ferry binary (${ferry:-not in PATH}); measuring strongSwan only"
fi

fy_init
fy_canary
PSK=$FY_CANARY
GW_PSK=$PSK
fy_topology plain
fy_charon_start gw "$FY_GW" "$scenario/swanctl.conf" || fy_die "the gateway did not start"
fy_subst "$scenario/profile" "$FY_TMP/secret/profile" 644
fy_subst "$scenario/secrets" "$FY_TMP/secret/secrets" 600
fy_strongswan_client_conf "$FY_TMP/secret/profile" "$FY_TMP/secret/client.conf"
fy_subst "$FY_TMP/secret/client.conf" "$FY_TMP/secret/client.conf"

now_us() {
	echo "${EPOCHREALTIME/./}"
}

# first_reply T0: waits for the first echo reply through the tunnel (one ping every 10 ms, until
# a reply or 30 s); sets R to the microseconds since T0, or "fail".  The run_* functions below
# set R the same way (no subshells: the PIDs they start must be recorded for the teardown).
first_reply() {
	if ip netns exec "$FY_CLI" ping -n -q -c 1 -i 0.01 -w 30 "$FY_CORP4" >/dev/null 2>&1; then
		R=$(($(now_us) - $1))
	else
		R=fail
	fi
}

# settle: the gateway forgot the last client and the client namespace is back to normal.
settle() {
	fy_wait_gw_no_sas 10 || echo "connect-time: the gateway still holds an SA" >&2
	cmp -s "$FY_TMP/resolv-before" "/etc/netns/$FY_CLI/resolv.conf" ||
		echo "connect-time: resolv.conf of the client namespace was not restored" >&2
}

run_ferry() {
	local t0 pid
	t0=$(now_us)
	ip netns exec "$FY_CLI" "$ferry" connect --profile "$FY_TMP/secret/profile" \
		--secrets "$FY_TMP/secret/secrets" --json >>"$FY_TMP/out/ferry.json" \
		2>>"$FY_TMP/out/ferry.stderr" </dev/null &
	pid=$!
	FY_PIDS+=("$pid")
	first_reply "$t0"
	fy_stop "$pid" 10
}

run_strongswan() {
	local t0 pid
	t0=$(now_us)
	if fy_charon_start cli "$FY_CLI" "$FY_TMP/secret/client.conf" >/dev/null; then
		fy_swanctl cli --initiate --child ferry --timeout 30 >>"$FY_TMP/out/initiate.txt" 2>&1 &
		pid=$!
		first_reply "$t0"
		wait $pid
	else
		R=fail
	fi
	fy_swanctl cli --terminate --ike ferry --timeout 5 >/dev/null 2>&1
	fy_charon_stop cli
}

run_strongswan_warm() {
	local t0 pid
	R=fail
	fy_charon_start cli "$FY_CLI" "$FY_TMP/secret/client.conf" >/dev/null || return
	t0=$(now_us)
	fy_swanctl cli --initiate --child ferry --timeout 30 >>"$FY_TMP/out/initiate.txt" 2>&1 &
	pid=$!
	first_reply "$t0"
	wait $pid
	fy_swanctl cli --terminate --ike ferry --timeout 5 >/dev/null 2>&1
	fy_charon_stop cli
}

ms() {
	case "$1" in
	fail | "") printf '%10s' fail ;;
	*) printf '%10.1f' "$(awk -v u="$1" 'BEGIN { print u / 1000 }')" ;;
	esac
}

median() {
	grep -v fail | sort -n | awk '{ v[NR] = $1 } END {
		if (NR == 0) { print "fail"; exit }
		if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

cp "/etc/netns/$FY_CLI/resolv.conf" "$FY_TMP/resolv-before"
echo "connect time: start -> first echo reply from $FY_CORP4 through the tunnel, milliseconds"
echo "scenario $name, $runs rounds, clients in rotating order; $(nproc) CPUs, $(uname -r)"
printf '%5s' round
printf '%18s' "${clients[@]}"
echo
declare -A results
med=()
for round in $(seq "$runs"); do
	printf '%5d' "$round"
	line=()
	n=${#clients[@]}
	for k in $(seq 0 $((n - 1))); do
		c=${clients[$(((round + k) % n))]}
		"run_${c//-/_}"
		fy_intact >&2 || fy_die "this run's namespaces or files were removed from outside"
		settle
		results[$c]+="$R "
	done
	for c in "${clients[@]}"; do
		r=${results[$c]% }
		r=${r##* }
		printf '%8s%s' "" "$(ms "$r")"
	done
	echo
done

printf '%5s' median
for c in "${clients[@]}"; do
	med[${#med[@]}]=$(tr ' ' '\n' <<<"${results[$c]}" | grep . | median)
	printf '%8s%s' "" "$(ms "${med[-1]}")"
done
echo
fails=$(grep -o fail <<<"${results[*]}" | wc -l)
[ "$fails" -gt 0 ] && echo "($fails runs failed and are left out of the medians; logs were in $FY_TMP/out)"
if [ "${clients[0]}" = ferry ]; then
	awk -v f="${med[0]}" -v s="${med[1]}" -v w="${med[2]}" 'BEGIN {
		if (f == "fail" || s == "fail" || w == "fail") { print "ratio: n/a (a client never connected)"; exit }
		printf "ratio ferry/strongswan: %.2f   (ferry/strongswan-warm: %.2f)\n", f / s, f / w }'
fi
if ! fy_scan_canaries "$FY_TMP/out" >/dev/null; then
	echo "connect-time: WARNING: the PSK canary appears in a log" >&2
fi
exit 0
