# tests/interop/lib.sh: network-namespace topology, strongSwan instances, TAP output and teardown
# for the interop scenarios, the connect-time benchmark and tools/demo.  Source it from bash.
#
# Every namespace name starts with a per-run prefix (fy<pid>-), so several runs coexist; every
# process, namespace, /etc/netns directory and temporary file a run creates is recorded and
# removed by fy_teardown, which an EXIT/INT/TERM trap also runs.
#
# Topology (fy_topology plain|nat); addresses only from the RFC 5737 / RFC 3849 ranges:
#
#  ┌───────────────────────┐   ┌───────────────────────────┐   ┌────────────────────────────┐
#  │ $FY_CLI               │   │ $FY_GW                    │   │ $FY_CORP                   │
#  │ ferry0: ferry's TUN   │   │ charon + kernel-libipsec  │   │ the corporate host         │
#  │ (ipsec0 when charon   │   │ ipsec0: userspace ESP TUN │   │                            │
#  │  is the client)       │   │                           │   │                            │
#  │ wan 198.51.100.2/28 ──┼───┼── wan 198.51.100.1/28     │   │                            │
#  │ default via .1        │   │   lan 203.0.113.1/25 ─────┼───┼── lan 203.0.113.10/25      │
#  │                       │   │       2001:db8:c0::1/64   │   │       2001:db8:c0::10/64   │
#  └───────────────────────┘   └───────────────────────────┘   │ default via the gateway    │
#                                                              └────────────────────────────┘
#  nat: $FY_NAT sits between client and gateway and masquerades (nftables) on its wan:
#    $FY_CLI wan 198.51.100.18/28 ── lan 198.51.100.17/28 $FY_NAT wan 198.51.100.2/28 ── $FY_GW
#
#  The gateway drops plain forwarding between wan and lan: only the tunnel reaches the LAN.
#  Virtual IP pools 203.0.113.128/25 and 2001:db8:cafe::/112; DNS 203.0.113.53, 2001:db8:c0::53.

FY_LIB_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

FY_GW_ADDR=198.51.100.1
FY_CORP4=203.0.113.10
FY_CORP6=2001:db8:c0::10
FY_POOL4=203.0.113.128/25
FY_POOL6=2001:db8:cafe::/112
FY_DNS4=203.0.113.53
FY_DNS6=2001:db8:c0::53
FY_CHARON=${FY_CHARON:-/usr/lib/ipsec/charon}

FY_PIDS=()       # every process we started and must stop
FY_NAMESPACES=() # every namespace we created
FY_TMP=          # scratch directory: FY_TMP/out is scanned for secrets, FY_TMP/secret is not
FY_TORN_DOWN=0

# ---------------------------------------------------------------------------------------------
# TAP (https://testanything.org): numbered results, plan at the end, diagnostics behind '#'.

FY_TAP_N=0
FY_TAP_FAILED=0

tap_ok() {
	FY_TAP_N=$((FY_TAP_N + 1))
	echo "ok $FY_TAP_N - $*"
}

tap_not_ok() {
	FY_TAP_N=$((FY_TAP_N + 1))
	FY_TAP_FAILED=$((FY_TAP_FAILED + 1))
	echo "not ok $FY_TAP_N - $*"
}

# tap_check DESCRIPTION COMMAND...: one result from a command's exit status.
tap_check() {
	local desc=$1
	shift
	if "$@"; then
		tap_ok "$desc"
	else
		tap_not_ok "$desc"
		return 1
	fi
}

tap_skip() {
	FY_TAP_N=$((FY_TAP_N + 1))
	echo "ok $FY_TAP_N - $1 # SKIP $2"
}

# tap_diag [TEXT]: prints TEXT (or stdin) as TAP comments, with every known secret redacted.
tap_diag() {
	local line
	if [ $# -gt 0 ]; then
		printf '%s\n' "$*" | tap_diag
		return
	fi
	while IFS= read -r line || [ -n "$line" ]; do
		printf '#   %s\n' "$(fy_redact "$line")"
	done
}

# tap_diag_file TITLE FILE [LINES]: the tail of a file as a diagnostic.
tap_diag_file() {
	[ -s "$2" ] || {
		echo "# --- $1: (empty or missing)"
		return
	}
	echo "# --- $1 (last ${3:-40} lines of $(basename "$2")):"
	tail -n "${3:-40}" "$2" | tap_diag
}

tap_plan() {
	echo "1..$FY_TAP_N"
}

# ---------------------------------------------------------------------------------------------
# Secrets: canary strings that must never show up in what a run writes.

FY_SECRETS=()

# fy_canary: a fresh canary secret, remembered for fy_redact and fy_scan_canaries.
fy_canary() {
	local c
	c="ferry-canary-$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')"
	FY_SECRETS+=("$c")
	FY_CANARY=$c
}

fy_redact() {
	local s=$1 c
	for c in "${FY_SECRETS[@]}"; do
		s=${s//"$c"/<redacted secret>}
	done
	printf '%s' "$s"
}

# fy_scan_canaries DIR...: lists the files under DIR that contain a canary; fails if any does.
fy_scan_canaries() {
	local c hits=0 f
	for c in "${FY_SECRETS[@]}"; do
		while IFS= read -r f; do
			echo "# canary found in $f"
			hits=1
		done < <(grep -rlaF -e "$c" -- "$@" 2>/dev/null)
	done
	return $hits
}

# fy_subst TEMPLATE OUTPUT [MODE]: copies TEMPLATE replacing @NAME@ with $NAME for the names
# below.  Done in bash so that secrets never appear in any process's argv.
fy_subst() {
	local text var
	text=$(<"$1")
	for var in FY_GW_ADDR FY_CORP4 FY_CORP6 FY_POOL4 FY_POOL6 FY_DNS4 FY_DNS6 FY_TMP FY_ROLE \
		FY_NAME PSK GW_PSK FY_CA_B64; do
		text=${text//@$var@/${!var-}}
	done
	(umask 077 && printf '%s\n' "$text" >"$2")
	chmod "${3:-600}" "$2"
}

# ---------------------------------------------------------------------------------------------
# The runners' command line (run-scenario.sh, run-cert-scenario.sh).

# fy_parse_args PROGRAM ARG...: [--client ferry|strongswan] [--ferry PATH] [--keep] SCENARIO.
# Sets client (ferry), ferry (empty: from PATH), keep ("--keep" or empty; FY_KEEP=1 with it),
# scenario (the scenario's absolute directory: a path, or a name under scenarios/) and name.
# -h prints the calling script's header comment; bad usage exits 2.
fy_parse_args() {
	local prog=$1 usage="[--client ferry|strongswan] [--ferry PATH] [--keep] SCENARIO"
	shift
	client=ferry ferry= keep=
	while [ $# -gt 0 ]; do
		case "$1" in
		--client) client=${2-}; shift 2 || break ;;
		--ferry) ferry=${2-}; shift 2 || break ;;
		--keep) keep=--keep; FY_KEEP=1; shift ;;
		-h | --help) sed -n '2,/^set -u/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
		-*) echo "$prog: unknown option $1" >&2; exit 2 ;;
		*) break ;;
		esac
	done
	[ $# -eq 1 ] || { echo "usage: $prog $usage" >&2; exit 2; }
	scenario=$1
	[ -d "$scenario" ] || scenario=$FY_LIB_DIR/scenarios/$1
	scenario=$(cd "$scenario" 2>/dev/null && pwd) || { echo "$prog: no scenario $1" >&2; exit 2; }
	name=$(basename "$scenario")
}

# fy_skip REASON: the TAP skip of a whole run; exits with $FERRY_SKIP_EXIT (default 77).
fy_skip() {
	echo "1..0 # SKIP $*"
	exit "${FERRY_SKIP_EXIT:-77}"
}

# ---------------------------------------------------------------------------------------------
# Setup and teardown.

fy_die() {
	echo "Bail out! $*"
	exit 1
}

# fy_need_root_and_tools TOOL...: prints the reason and returns 1 if the run cannot happen here.
fy_missing_prereq() {
	local t
	if [ "$(id -u)" -ne 0 ]; then
		echo "needs root (network namespaces)"
		return 0
	fi
	for t in ip nft socat ping jq python3 unshare sha256sum timeout swanctl "$FY_CHARON" "$@"; do
		command -v "$t" >/dev/null 2>&1 || {
			echo "missing $t (run tools/install-deps)"
			return 0
		}
	done
	[ -c /dev/net/tun ] || {
		echo "no /dev/net/tun"
		return 0
	}
	return 1
}

# fy_init: prefix, scratch dir, and the teardown trap.  Call once, before anything else.
fy_init() {
	FY_PREFIX="fy$$-"
	FY_CLI=${FY_PREFIX}cli
	FY_NAT=${FY_PREFIX}nat
	FY_GW=${FY_PREFIX}gw
	FY_CORP=${FY_PREFIX}corp
	FY_TMP=$(mktemp -d "${TMPDIR:-/tmp}/ferry-interop.XXXXXX") || fy_die "mktemp failed"
	chmod 700 "$FY_TMP"
	mkdir -m 700 "$FY_TMP/out" "$FY_TMP/secret"
	trap 'echo "Bail out! interrupted"; fy_teardown; exit 130' INT
	trap 'echo "Bail out! terminated"; fy_teardown; exit 143' TERM HUP
	trap 'fy_teardown' EXIT
}

# fy_ns_add NAME: a namespace with loopback up and its own resolv.conf, so nothing run inside
# can rewrite the host's /etc/resolv.conf.
fy_ns_add() {
	ip netns add "$1" || fy_die "cannot create namespace $1"
	FY_NAMESPACES+=("$1")
	mkdir -p "/etc/netns/$1"
	printf '# resolv.conf of test namespace %s\nnameserver 198.51.100.53\nsearch home.example\n' \
		"$1" >"/etc/netns/$1/resolv.conf"
	ip -n "$1" link set lo up
}

# fy_veth NS1 IF1 NS2 IF2: a veth pair created inside NS1 with its peer created inside NS2.
# Duplicate address detection is off on both ends, so their IPv6 link-local addresses are final
# at once (no 1 s of "tentative", no delayed neighbour discovery, stable snapshots); the devices
# the client creates keep the kernel's defaults.
fy_veth() {
	ip -n "$1" link add "$2" type veth peer name "$4" netns "$3" || fy_die "veth $1/$2 failed"
	fy_sysctl "$1" "net.ipv6.conf.$2.accept_dad=0"
	fy_sysctl "$3" "net.ipv6.conf.$4.accept_dad=0"
	ip -n "$1" link set "$2" up
	ip -n "$3" link set "$4" up
}

fy_sysctl() {
	local ns=$1
	shift
	ip netns exec "$ns" sysctl -qw "$@" >/dev/null || fy_die "sysctl $* in $ns failed"
}

# fy_topology plain|nat: builds the namespaces drawn at the top of this file.
fy_topology() {
	FY_TOPOLOGY=$1
	fy_ns_add "$FY_CLI"
	fy_ns_add "$FY_GW"
	fy_ns_add "$FY_CORP"

	if [ "$FY_TOPOLOGY" = nat ]; then
		fy_ns_add "$FY_NAT"
		fy_veth "$FY_CLI" wan "$FY_NAT" lan
		fy_veth "$FY_NAT" wan "$FY_GW" wan
		ip -n "$FY_CLI" addr add 198.51.100.18/28 dev wan
		ip -n "$FY_CLI" route add default via 198.51.100.17
		ip -n "$FY_NAT" addr add 198.51.100.17/28 dev lan
		ip -n "$FY_NAT" addr add 198.51.100.2/28 dev wan
		fy_sysctl "$FY_NAT" net.ipv4.ip_forward=1
		ip netns exec "$FY_NAT" nft -f - <<-'EOF' || fy_die "nft in the NAT namespace failed"
			table ip ferry-test {
				chain postrouting {
					type nat hook postrouting priority srcnat; policy accept;
					oifname "wan" masquerade
				}
			}
		EOF
		FY_CLIENT_ADDR=198.51.100.18
		FY_CLIENT_OUTER=198.51.100.2 # what the gateway sees
	else
		fy_veth "$FY_CLI" wan "$FY_GW" wan
		ip -n "$FY_CLI" addr add 198.51.100.2/28 dev wan
		ip -n "$FY_CLI" route add default via "$FY_GW_ADDR"
		FY_CLIENT_ADDR=198.51.100.2
		FY_CLIENT_OUTER=198.51.100.2
	fi
	ip -n "$FY_GW" addr add "$FY_GW_ADDR/28" dev wan

	fy_veth "$FY_GW" lan "$FY_CORP" lan
	ip -n "$FY_GW" addr add 203.0.113.1/25 dev lan
	ip -n "$FY_GW" addr add 2001:db8:c0::1/64 dev lan nodad
	ip -n "$FY_CORP" addr add "$FY_CORP4/25" dev lan
	ip -n "$FY_CORP" addr add "$FY_CORP6/64" dev lan nodad
	ip -n "$FY_CORP" route add default via 203.0.113.1
	ip -n "$FY_CORP" -6 route add default via 2001:db8:c0::1
	fy_sysctl "$FY_GW" net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1
	# Only decrypted traffic may reach the LAN: without this the gateway would route the
	# client's plain packets too, and a ping could succeed before the tunnel exists.
	ip netns exec "$FY_GW" nft -f - <<-'EOF' || fy_die "nft in the gateway namespace failed"
		table inet ferry-test {
			chain forward {
				type filter hook forward priority filter; policy accept;
				iifname "wan" drop
				oifname "wan" drop
			}
		}
	EOF
}

# fy_spawn NS LOG COMMAND...: runs COMMAND in NS in the background, stdout+stderr to LOG;
# records the PID (ip netns exec replaces itself, so $! is COMMAND's own PID).
fy_spawn() {
	local ns=$1 log=$2
	shift 2
	ip netns exec "$ns" "$@" >"$log" 2>&1 </dev/null &
	FY_SPAWNED=$!
	FY_PIDS+=("$FY_SPAWNED")
}

# fy_stop PID [SECONDS]: SIGTERM, then SIGKILL after SECONDS (default 5); reaps it and returns
# its exit status.
fy_stop() {
	local pid=$1 limit=$((${2:-5} * 10)) i=0
	kill -TERM "$pid" 2>/dev/null
	while fy_alive "$pid" && [ $i -lt $limit ]; do
		sleep 0.1
		i=$((i + 1))
	done
	fy_alive "$pid" && kill -KILL "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
}

fy_alive() {
	[ -d "/proc/$1" ] && ! grep -q '^State:[[:space:]]*Z' "/proc/$1/status" 2>/dev/null
}

# fy_teardown: stops our processes, deletes our namespaces, /etc/netns dirs and scratch dir.
# Idempotent; also the trap handler.
fy_teardown() {
	local pid ns left
	[ "$FY_TORN_DOWN" = 1 ] && return 0
	FY_TORN_DOWN=1
	for pid in "${FY_PIDS[@]}"; do
		fy_alive "$pid" && fy_stop "$pid" 3
	done
	for ns in "${FY_NAMESPACES[@]}"; do
		# Anything still running inside one of our namespaces was started by this run.
		for pid in $(ip netns pids "$ns" 2>/dev/null); do
			echo "# teardown: process $pid ($(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null)) was still in $ns"
			kill -KILL "$pid" 2>/dev/null
		done
	done
	for ns in "${FY_NAMESPACES[@]}"; do
		ip netns del "$ns" 2>/dev/null
		rm -rf "/etc/netns/$ns"
	done
	[ -n "$FY_TMP" ] && [ -d "$FY_TMP" ] && [ "${FY_KEEP:-0}" != 1 ] && rm -rf "$FY_TMP"
	[ "${FY_KEEP:-0}" = 1 ] && echo "# kept $FY_TMP"
	return 0
}

# fy_intact: true while this run's namespaces and scratch directory all still exist (something
# outside the run may have removed them; every later result would be meaningless).
fy_intact() {
	local ns
	[ -d "$FY_TMP/out" ] || {
		echo "# the scratch directory $FY_TMP was removed from outside this run"
		return 1
	}
	for ns in "${FY_NAMESPACES[@]}"; do
		[ -e "/run/netns/$ns" ] || {
			echo "# namespace $ns was removed from outside this run"
			return 1
		}
	done
}

# fy_check_clean: true when nothing of this run is left (processes, namespaces, files).
fy_check_clean() {
	local pid left=0
	for pid in "${FY_PIDS[@]}"; do
		fy_alive "$pid" && {
			echo "# process $pid is still running"
			left=1
		}
	done
	if ip netns list | grep -q "^$FY_PREFIX"; then
		echo "# namespaces left: $(ip netns list | grep "^$FY_PREFIX" | tr '\n' ' ')"
		left=1
	fi
	if compgen -G "/etc/netns/$FY_PREFIX*" >/dev/null; then
		echo "# /etc/netns entries left: $(echo /etc/netns/"$FY_PREFIX"*)"
		left=1
	fi
	if [ "${FY_KEEP:-0}" != 1 ] && [ -e "$FY_TMP" ]; then
		echo "# scratch directory left: $FY_TMP"
		left=1
	fi
	return $left
}

# ---------------------------------------------------------------------------------------------
# strongSwan: charon per namespace, each with its own strongswan.conf, /run, VICI socket and log.

# fy_charon_start ROLE NS SWANCTL_CONF_TEMPLATE [STRONGSWAN_CONF_TEMPLATE]
# Writes FY_TMP/secret/ROLE/{strongswan.conf,swanctl/swanctl.conf}, starts charon in NS inside a
# private mount namespace with a tmpfs /run (charon insists on /var/run/charon.pid), waits for
# its VICI socket and loads the configuration.  Sets FY_CHARON_PID_<ROLE>.
fy_charon_start() {
	local role=$1 ns=$2 swanctl_tpl=$3 conf_tpl=${4:-$FY_LIB_DIR/strongswan.conf.in}
	local dir=$FY_TMP/secret/$role i
	mkdir -p -m 700 "$dir/swanctl"
	FY_ROLE=$role
	fy_subst "$conf_tpl" "$dir/strongswan.conf" 644
	fy_subst "$swanctl_tpl" "$dir/swanctl/swanctl.conf"
	STRONGSWAN_CONF=$dir/strongswan.conf fy_spawn "$ns" "$FY_TMP/out/charon-$role.stderr" \
		unshare -m sh -c 'mount -t tmpfs -o mode=755 tmpfs /run && exec "$0"' "$FY_CHARON"
	printf -v "FY_CHARON_PID_$role" %s "$FY_SPAWNED"
	# Ready when the VICI socket accepts a connection (socat is much cheaper than swanctl).
	for i in $(seq 1000); do
		[ -S "$FY_TMP/charon-$role.vici" ] &&
			socat -u OPEN:/dev/null "UNIX-CONNECT:$FY_TMP/charon-$role.vici" 2>/dev/null && break
		fy_alive "$FY_SPAWNED" || break
		sleep 0.01
	done
	fy_swanctl "$role" --stats >/dev/null 2>&1 || {
		echo "# charon ($role) did not come up"
		tap_diag_file "charon-$role stderr" "$FY_TMP/out/charon-$role.stderr"
		tap_diag_file "charon-$role log" "$FY_TMP/out/charon-$role.log"
		return 1
	}
	fy_swanctl "$role" --load-all --file "$dir/swanctl/swanctl.conf" \
		>"$FY_TMP/out/swanctl-load-$role.txt" 2>&1 || {
		echo "# swanctl --load-all ($role) failed"
		tap_diag_file "swanctl output" "$FY_TMP/out/swanctl-load-$role.txt"
		return 1
	}
}

# fy_swanctl ROLE ARGS...: swanctl talking to that charon over its private VICI socket.
fy_swanctl() {
	local role=$1
	shift
	STRONGSWAN_CONF=$FY_TMP/secret/$role/strongswan.conf SWANCTL_DIR=$FY_TMP/secret/$role/swanctl \
		swanctl "$@" --uri "unix://$FY_TMP/charon-$role.vici"
}

# fy_charon_stop ROLE: stops that charon (by its recorded PID).
fy_charon_stop() {
	local var=FY_CHARON_PID_$1
	[ -n "${!var-}" ] && fy_stop "${!var}" 5
}

# fy_gw_sas: the gateway's IKE SAs as swanctl --list-sas prints them (empty when none).
fy_gw_sas() {
	local out
	out=$(fy_swanctl gw --list-sas 2>&1) || {
		echo "swanctl --list-sas failed: $out"
		return 1
	}
	grep -qE '^[^ ]+: #[0-9]+, ' <<<"$out" && printf '%s\n' "$out"
	return 0
}

# fy_gw_sa_matches ERE...: the gateway holds an IKE SA and its listing matches every non-empty
# extended regex; the failure shows the listing.
fy_gw_sa_matches() {
	local sas want
	sas=$(fy_gw_sas)
	[ -n "$sas" ] || { echo "# the gateway holds no IKE SA"; return 1; }
	for want in "$@"; do
		[ -z "$want" ] && continue
		grep -qE -e "$want" <<<"$sas" || {
			echo "# the gateway's SA lacks /$want/:"
			tap_diag <<<"$sas"
			return 1
		}
	done
}

# fy_wait_gw_no_sas SECONDS: waits until the gateway holds no IKE SA.
fy_wait_gw_no_sas() {
	local i
	for i in $(seq $((${1:-5} * 10))); do
		[ -z "$(fy_gw_sas)" ] && return 0
		sleep 0.1
	done
	return 1
}

# fy_log_has FILE STRING / fy_log_lacks FILE STRING: whether a log holds a fixed string; the
# failure says why (for tap_check).
fy_log_has() {
	grep -qF -e "$2" "$1" 2>/dev/null && return 0
	echo "# not in $(basename "$1"): $2"
	return 1
}

fy_log_lacks() {
	[ -s "$1" ] || { echo "# $(basename "$1") is empty or missing"; return 1; }
	grep -qF -e "$2" "$1" || return 0
	echo "# in $(basename "$1"):"
	grep -F -e "$2" "$1" | head -n 3 | tap_diag
	return 1
}

# fy_gw_log_checks: one TAP result for each string of the scenario's GW_LOG (the gateway's
# charon log holds it) and GW_LOG_ABSENT (it does not).
fy_gw_log_checks() {
	local g
	for g in "${GW_LOG[@]}"; do
		tap_check "gateway log: $g" fy_log_has "$FY_TMP/out/charon-gw.log" "$g"
	done
	for g in "${GW_LOG_ABSENT[@]}"; do
		tap_check "gateway log lacks: $g" fy_log_lacks "$FY_TMP/out/charon-gw.log" "$g"
	done
}

# fy_profile_key FILE KEY: a value from a [profile] keyfile (plain keys only).
fy_profile_key() {
	sed -n "s/^$2[[:space:]]*=[[:space:]]*//p" "$1" | tail -n 1
}

# fy_strongswan_client_conf PROFILE OUT: a swanctl.conf for strongSwan's own initiator built from
# the same ferry profile (gateway, identities, proposals), so both clients get the same offer.
# The PSK comes from $PSK.
fy_strongswan_client_conf() {
	local p=$1 encap=no
	[ "$(fy_profile_key "$p" encap)" = force ] && encap=yes
	cat >"$2" <<-EOF
		connections {
			ferry {
				remote_addrs = $(fy_profile_key "$p" gateway)
				vips = 0.0.0.0, ::
				proposals = $(fy_profile_key "$p" ike-proposals)
				encap = $encap
				local {
					auth = psk
					id = $(fy_profile_key "$p" local-id)
				}
				remote {
					auth = psk
					id = $(fy_profile_key "$p" remote-id)
				}
				children {
					ferry {
						remote_ts = 0.0.0.0/0, ::/0
						esp_proposals = $(fy_profile_key "$p" esp-proposals)
					}
				}
			}
		}
		secrets {
			ike-ferry {
				id-1 = $(fy_profile_key "$p" local-id)
				id-2 = $(fy_profile_key "$p" remote-id)
				secret = "@PSK@"
			}
		}
	EOF
}

# ---------------------------------------------------------------------------------------------
# Certificate scenarios: the test PKI, credentials in a charon's swanctl tree, a narrow path.

# fy_pki_build: one TAP result; tests/pki/make-test-pki.sh into FY_TMP/secret/pki (FY_PKI),
# with the SoftHSM2 token when SOFTHSM=yes (and SOFTHSM2_CONF exported) and the 4096-bit chain
# when RSA4096=yes.
fy_pki_build() {
	local opts=()
	FY_PKI=$FY_TMP/secret/pki
	[ "${SOFTHSM:-no}" = yes ] && opts+=(--softhsm)
	[ "${RSA4096:-no}" = yes ] && opts+=(--rsa4096)
	tap_check "test PKI built with strongSwan's pki" \
		bash "$FY_LIB_DIR/../pki/make-test-pki.sh" "$FY_PKI" "${opts[@]}" || return 1
	[ "${SOFTHSM:-no}" = yes ] && export SOFTHSM2_CONF=$FY_PKI/softhsm2.conf
	return 0
}

# fy_place_files ROLE FILE...: each "SUBDIR/NAME" of the PKI copied to
# FY_TMP/secret/ROLE/swanctl/SUBDIR/NAME (swanctl loads keys only from its own tree).
fy_place_files() {
	local role=$1 f
	shift
	for f in "$@"; do
		mkdir -p -m 700 "$FY_TMP/secret/$role/swanctl/${f%/*}"
		cp "$FY_PKI/${f##*/}" "$FY_TMP/secret/$role/swanctl/$f" || return 1
	done
}

# fy_narrow_path: the client-gateway link gets MTU $PATH_MTU (if set) on both ends, and with
# DROP_IP_FRAGMENTS=yes both ends drop IPv4 fragments before reassembly (priority -500 runs
# ahead of conntrack's defragmentation), so a large IKE_AUTH passes only as IKE fragments.
# One TAP result, none when neither is asked for.
fy_narrow_path() {
	[ -n "${PATH_MTU:-}" ] || [ "${DROP_IP_FRAGMENTS:-no}" = yes ] || return 0
	tap_check "path: MTU ${PATH_MTU:-unchanged}, IP fragments dropped: ${DROP_IP_FRAGMENTS:-no}" \
		fy_narrow_path_apply
}

fy_narrow_path_apply() {
	local ns
	for ns in "$FY_CLI" "$FY_GW"; do
		[ -n "${PATH_MTU:-}" ] && { ip -n "$ns" link set wan mtu "$PATH_MTU" || return 1; }
		[ "${DROP_IP_FRAGMENTS:-no}" = yes ] || continue
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

# ---------------------------------------------------------------------------------------------
# Traffic through the tunnel.

# fy_ping NS ADDR [COUNT]: COUNT (3) echo replies expected, one second apiece at most.
fy_ping() {
	ip netns exec "$1" ping -n -q -c "${3:-3}" -i 0.2 -W 2 "$2" >>"$FY_TMP/out/ping.txt" 2>&1
}

# fy_tcp_transfer NS ADDR BYTES: sends BYTES of random data from NS to the corporate host and
# back over TCP and compares SHA-256 both ways; checks the corporate host saw a peer address
# in the virtual IP pool.  Writes diagnostics to FY_TMP/out/tcp.txt.
fy_tcp_transfer() {
	local ns=$1 addr=$2 bytes=$3 d=$FY_TMP/out/tcp port=5001 srv sent got peer
	mkdir -p "$d"
	head -c "$bytes" /dev/urandom >"$d/up.bin"
	head -c "$bytes" /dev/urandom >"$d/down.bin"
	local bind=$addr tcp=TCP
	case "$addr" in *:*) bind="[$addr]" tcp=TCP6 ;; esac
	# Upload: client -> corporate host.
	fy_spawn "$FY_CORP" "$d/server-up.log" socat -d -d -u \
		"$tcp-LISTEN:$port,bind=$bind,reuseaddr" "OPEN:$d/up.received,creat,trunc"
	srv=$FY_SPAWNED
	fy_wait_listen "$FY_CORP" "$port" || return 1
	timeout 60 ip netns exec "$ns" socat -u "OPEN:$d/up.bin" "$tcp:$bind:$port,connect-timeout=10" \
		>>"$d/client.log" 2>&1 || echo "# upload client failed" >>"$d/client.log"
	fy_stop_quietly "$srv" 10
	# Download: corporate host -> client.
	fy_spawn "$FY_CORP" "$d/server-down.log" socat -d -d -u "OPEN:$d/down.bin" \
		"$tcp-LISTEN:$((port + 1)),bind=$bind,reuseaddr"
	srv=$FY_SPAWNED
	fy_wait_listen "$FY_CORP" "$((port + 1))" || return 1
	timeout 60 ip netns exec "$ns" socat -u "$tcp:$bind:$((port + 1)),connect-timeout=10" "OPEN:$d/down.received,creat,trunc" \
		>>"$d/client.log" 2>&1 || echo "# download client failed" >>"$d/client.log"
	fy_stop_quietly "$srv" 10

	sent=$(sha256sum <"$d/up.bin") got=$(sha256sum <"$d/up.received" 2>/dev/null)
	[ "$sent" = "$got" ] || {
		echo "# upload: $(stat -c %s "$d/up.received" 2>/dev/null || echo 0) of $bytes bytes arrived, SHA-256 differs"
		return 1
	}
	sent=$(sha256sum <"$d/down.bin") got=$(sha256sum <"$d/down.received" 2>/dev/null)
	[ "$sent" = "$got" ] || {
		echo "# download: $(stat -c %s "$d/down.received" 2>/dev/null || echo 0) of $bytes bytes arrived, SHA-256 differs"
		return 1
	}
	peer=$(sed -n 's/.*accepting connection from AF=[0-9]* \[\{0,1\}\([0-9a-f.:]*[0-9a-f]\)\]\{0,1\}:[0-9]*.*/\1/p' \
		"$d/server-up.log" | head -n 1)
	FY_TCP_PEER=$peer
	rm -f "$d"/*.bin "$d"/*.received
}

# fy_wait_listen NS PORT: waits until something listens on TCP PORT in NS.
fy_wait_listen() {
	local i
	for i in $(seq 50); do
		ip netns exec "$1" ss -Htln "sport = :$2" 2>/dev/null | grep -q . && return 0
		sleep 0.05
	done
	echo "# nothing listens on port $2 in $1"
	return 1
}

fy_stop_quietly() {
	local pid=$1 limit=$((${2:-5} * 10)) i=0
	while fy_alive "$pid" && [ $i -lt $limit ]; do
		sleep 0.1
		i=$((i + 1))
	done
	fy_alive "$pid" && fy_stop "$pid" 1
	wait "$pid" 2>/dev/null
	return 0
}

# fy_in_net ADDR CIDR: true when ADDR (IPv4 or IPv6, any spelling, /len ignored) is in CIDR.
fy_in_net() {
	python3 -c 'import ipaddress, sys
sys.exit(ipaddress.ip_address(sys.argv[1].split("/")[0]) not in ipaddress.ip_network(sys.argv[2]))' \
		"$1" "$2" 2>/dev/null
}

# fy_snapshot NS FILE: addresses, links, routes and rules of NS, to compare before/after.
fy_snapshot() {
	{
		echo "== links"
		ip -n "$1" -o link show | sed 's/^[0-9]*: //; s/ link\/.*//; s/@if[0-9]*//'
		echo "== addresses"
		ip -n "$1" -o addr show | sed 's/^[0-9]*: //; s/\\.*//; s/ *valid_lft.*//'
		echo "== ipv4 routes"
		ip -n "$1" -4 route show table all
		echo "== ipv6 routes"
		ip -n "$1" -6 route show table all
		echo "== rules"
		ip -n "$1" -4 rule show
		ip -n "$1" -6 rule show
	} 2>&1 | grep -v 'Peer netns reference is invalid' >"$2"
	# (iproute2 prints that when a veth's peer namespace is being removed at the same moment,
	# e.g. by another scenario running in parallel: it says nothing about this namespace.)
}

# fy_no_prefix_route NS DEV ADDR/PLEN: the virtual address came with a prefix length (RFC 7296
# §3.15.1; strongSwan gives IPv6 addresses a /64) but only the traffic selectors say what goes
# into the tunnel: no route for the rest of that prefix via DEV.
fy_no_prefix_route() {
	local ns=$1 dev=$2 net family=-4
	[ -n "$3" ] || return 0
	net=$(python3 -c 'import ipaddress, sys; print(ipaddress.ip_interface(sys.argv[1]).network)' "$3") || return 1
	[[ $net == *:* ]] && family=-6
	if ip -n "$ns" "$family" route show dev "$dev" | grep -q "^$net "; then
		echo "# a route for $net via $dev: $(ip -n "$ns" "$family" route show dev "$dev" | tr '\n' ';')"
		return 1
	fi
}

# fy_kill_and_reconnect (run-scenario.sh, END=kill): SIGKILL ferry while the tunnel is up, so it
# restores nothing; check what it left (resolv.conf still Ferry's, its 0600 record in /run/ferry,
# the gateway's host route); then run ferry again, which must say what it restored and come up.
# The usual SIGTERM end follows, whose checks compare resolv.conf (byte for byte) and the
# namespace's routes with the state before the first ferry.
fy_kill_and_reconnect() {
	local killed=$ferry_pid record="/run/ferry/$ferry_pid.session"
	kill -KILL "$killed"
	wait "$killed" 2>/dev/null
	tap_check "after SIGKILL resolv.conf still holds what ferry wrote" \
		grep -q '^# Generated by Ferry' "$resolv"
	tap_check "after SIGKILL ferry's record $record is there, mode 600, owner root" \
		test "$(stat -c '%a %U' "$record" 2>/dev/null)" = "600 root"
	tap_check "after SIGKILL the gateway's host route is still there" \
		test -n "$(ip -n "$FY_CLI" route show "$FY_GW_ADDR")"
	mv "$out/ferry.json" "$out/ferry-killed.json"
	mv "$out/ferry.stderr" "$out/ferry-killed.stderr"
	start_ferry
	if wait_ferry '.event == "up"' "$MAX_SECONDS"; then
		tap_ok "a second ferry brings the tunnel up after $(seconds_since "$ferry_t0") s"
	else
		tap_not_ok "a second ferry brings the tunnel up within $MAX_SECONDS s"
		return 1
	fi
	echo "# second ferry: $(grep '^ferry: ' "$out/ferry.stderr" | tr '\n' ' ')"
	tap_check "the second ferry said it restored /etc/resolv.conf left by pid $killed" \
		grep -q "^ferry: restored /etc/resolv.conf (left by ferry pid $killed," "$out/ferry.stderr"
	tap_check "the second ferry said it removed the killed one's route to $FY_GW_ADDR" \
		grep -q "^ferry: removed the route to $FY_GW_ADDR/32 (left by ferry pid $killed," \
		"$out/ferry.stderr"
	tap_check "the killed ferry's record is gone" test ! -e "$record"
	tap_check "ping $FY_CORP4 through the second ferry's tunnel" ping_corp "$FY_CORP4"
	sleep 1.5 # the status file's counters are refreshed every second
	ip netns exec "$FY_CLI" "$ferry" status >"$out/status.txt" 2>&1
	tap_diag_file "ferry status" "$out/status.txt"
	tap_check "ferry status: up, IKE and Child SA algorithms, addresses, packets counted" \
		fy_status_shows "$out/status.txt" '^ferry0: up for ' '^  IKE SA: +AES_GCM_16_256' \
		'^  Child SA: +ESP tunnel AES_GCM_16_256' '^  addresses: +203\.0\.113\.' \
		'^  traffic: +in [1-9][0-9]* packets'
}

# fy_status_shows FILE REGEX...: every extended regex matches some line of FILE.
fy_status_shows() {
	local file=$1 re
	shift
	for re in "$@"; do
		grep -qE -e "$re" "$file" || { echo "# not in ferry status: /$re/"; return 1; }
	done
}
