# tests/nm/lib-nm.sh: NetworkManager in the lab's client namespace, on a private system bus,
# with the Ferry plugin; shared by run-nm.sh and tests/gui/run-gui.sh.  Source it after
# tests/interop/lib.sh and fy_init, with these set:
#   name_file, policy_file   the plugin's .name file and D-Bus policy (build tree's)
#   service                  the service program the .name file names
#   NM_DIR                   scratch directory for NetworkManager's configuration (secret)
#   out                      log directory (scanned for secrets)
#   NM_VPN_CONNECTIONS       connections nm_stop takes down first (array)
# Optional: nm_lab_config, a function writing more base connections (nm_keyfile) before
# NetworkManager starts.

NM_HOLDER=
NM_PID=
NM_VPN_CONNECTIONS=()

# nm_exec COMMAND...: runs COMMAND in the lab (its network, mount and UTS namespaces).
nm_exec() {
	nsenter -t "$NM_HOLDER" -m -u -n -- "$@"
}

# nm_spawn LOG COMMAND...: nm_exec in the background, recording the PID (nsenter execs COMMAND).
nm_spawn() {
	local log=$1
	shift
	nsenter -t "$NM_HOLDER" -m -u -n -- "$@" >"$log" 2>&1 </dev/null &
	FY_SPAWNED=$!
	FY_PIDS+=("$FY_SPAWNED")
}

nm_write_config() {
	mkdir -p -m 700 "$NM_DIR"/{etc/conf.d,etc/system-connections,etc/VPN,vpn,var-lib,sysconf} \
		"$NM_DIR"/dbus/system.d
	cat >"$NM_DIR/etc/NetworkManager.conf" <<-'EOF'
		[main]
		plugins=keyfile
		no-auto-default=*
		dns=none
		rc-manager=unmanaged
		systemd-resolved=false
		hostname-mode=none
		auth-polkit=false
		dhcp=internal
		[keyfile]
		path=/etc/NetworkManager/system-connections
		unmanaged-devices=except:interface-name:wan,except:interface-name:wan2,except:type:tun
		[connectivity]
		enabled=false
		[logging]
		level=DEBUG
		domains=ALL,VPN_PLUGIN:TRACE
	EOF
	# NetworkManager and libnm accept a .name file only if root owns it and only root may
	# write it.
	install -m 644 "$name_file" "$NM_DIR/vpn/nm-ferry-service.name"
	install -m 644 "$policy_file" "$NM_DIR/dbus/system.d/nm-ferry-service.conf"
	cat >"$NM_DIR/dbus/system.conf" <<-EOF
		<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-BUS Bus Configuration 1.0//EN"
		 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
		<busconfig>
		  <type>system</type>
		  <listen>unix:path=/run/dbus/system_bus_socket</listen>
		  <auth>EXTERNAL</auth>
		  <policy context="default">
		    <allow user="*"/>
		    <deny own="*"/>
		    <deny send_type="method_call"/>
		    <allow send_type="signal"/>
		    <allow send_requested_reply="true" send_type="method_return"/>
		    <allow send_requested_reply="true" send_type="error"/>
		    <allow receive_type="method_call"/>
		    <allow receive_type="method_return"/>
		    <allow receive_type="error"/>
		    <allow receive_type="signal"/>
		    <allow send_destination="org.freedesktop.DBus" send_interface="org.freedesktop.DBus"/>
		    <allow send_destination="org.freedesktop.DBus" send_interface="org.freedesktop.DBus.Introspectable"/>
		    <allow send_destination="org.freedesktop.DBus" send_interface="org.freedesktop.DBus.Properties"/>
		  </policy>
		  <policy user="root">
		    <allow send_destination="org.freedesktop.DBus" send_interface="org.freedesktop.systemd1.Activator"/>
		  </policy>
		  <includedir>/usr/share/dbus-1/system.d</includedir>
		  <includedir>$NM_DIR/dbus/system.d</includedir>
		</busconfig>
	EOF
	nm_keyfile lab-eth <<-EOF
		[connection]
		id=lab-eth
		uuid=$(cat /proc/sys/kernel/random/uuid)
		type=ethernet
		interface-name=wan
		autoconnect=true
		[ipv4]
		method=manual
		address1=$FY_CLIENT_ADDR/28,$FY_GW_ADDR
		[ipv6]
		method=disabled
	EOF
}

# nm_keyfile NAME < TEXT: a system connection file (0600, as NetworkManager requires).
nm_keyfile() {
	(umask 077 && cat >"$NM_DIR/etc/system-connections/$1.nmconnection")
}

# nm_vpn_keyfile NAME GATEWAY EXTRA-[vpn]-LINES [SECRET]: a Ferry connection; with SECRET it is
# stored system-owned ([vpn-secrets], psk-flags=0).  Written by bash: no secret in any argv.
nm_vpn_keyfile() {
	local secrets=
	[ $# -ge 4 ] && secrets=$(printf '[vpn-secrets]\npsk=%s\n' "$4")
	nm_keyfile "$1" <<-EOF
		[connection]
		id=$1
		uuid=$(cat /proc/sys/kernel/random/uuid)
		type=vpn
		autoconnect=false
		[vpn]
		service-type=org.freedesktop.NetworkManager.ferry
		gateway=$2
		auth=psk
		local-id=client@example.net
		remote-id=gw.example.net
		$3
		$secrets
		[ipv4]
		method=auto
		[ipv6]
		method=auto
	EOF
}

nm_start() {
	local i
	nm_write_config
	# The caller's own base connections, if any.
	if declare -F nm_lab_config >/dev/null; then
		nm_lab_config
	fi
	# NetworkManager would merely assume an address set by hand; let it configure wan itself.
	ip -n "$FY_CLI" addr flush dev wan
	ip -n "$FY_CLI" link show dev wan2 >/dev/null 2>&1 && ip -n "$FY_CLI" addr flush dev wan2
	# The holder keeps the private mount namespace alive; everything else enters it.
	fy_spawn "$FY_CLI" "$out/holder.log" unshare --mount --uts --propagation private bash -c '
		set -e
		dir=$1
		# read-only sysfs: NetworkManager then does without udev (none runs here).  ip netns
		# exec mounted this namespace'"'"'s sysfs; only our view of it becomes read-only.
		mount -o remount,bind,ro /sys
		mount -t tmpfs -o mode=755 tmpfs /run
		mkdir -p /run/dbus /run/NetworkManager
		mount --bind "$dir/etc" /etc/NetworkManager
		mount --bind "$dir/vpn" /usr/lib/NetworkManager/VPN
		mount --bind "$dir/var-lib" /var/lib/NetworkManager
		hostname nmlab
		touch "$dir/ready"
		exec sleep infinity' holder "$NM_DIR"
	NM_HOLDER=$FY_SPAWNED
	for i in $(seq 50); do
		[ -e "$NM_DIR/ready" ] && break
		sleep 0.1
	done
	[ -e "$NM_DIR/ready" ] || return 1
	nm_spawn "$out/dbus.log" dbus-daemon --config-file="$NM_DIR/dbus/system.conf" --nofork \
		--nopidfile
	for i in $(seq 50); do
		nm_exec test -S /run/dbus/system_bus_socket && break
		sleep 0.1
	done
	nm_spawn "$out/nm.log" NetworkManager --debug \
		--config=/etc/NetworkManager/NetworkManager.conf \
		--config-dir=/etc/NetworkManager/conf.d --system-config-dir="$NM_DIR/sysconf"
	NM_PID=$FY_SPAWNED
	# Never let a NetworkManager loose on the host: prove it runs in the lab's namespaces.
	sleep 0.2
	if [ "$(readlink "/proc/$NM_PID/ns/net")" = "$(readlink /proc/self/ns/net)" ] ||
		[ "$(readlink "/proc/$NM_PID/ns/mnt")" = "$(readlink /proc/self/ns/mnt)" ]; then
		kill -KILL "$NM_PID"
		fy_die "NetworkManager is not isolated; killed it"
	fi
	nm_exec nm-online -s -q -t 20
}

# nm_services: PIDs of the nm-ferry-service processes NetworkManager started in the lab.
nm_services() {
	local pid
	for pid in $(ip netns pids "$FY_CLI" 2>/dev/null); do
		[ "$(readlink "/proc/$pid/exe" 2>/dev/null)" = "$(readlink -f "$service")" ] && echo "$pid"
	done
}

nm_stop() {
	local pid c
	[ -n "$NM_PID" ] || return 0
	for c in "${NM_VPN_CONNECTIONS[@]}"; do
		nm_exec nmcli connection down "$c" >/dev/null 2>&1
	done
	fy_stop "$NM_PID" 10
	for pid in $(nm_services); do
		fy_stop "$pid" 5
	done
	NM_PID=
}

# ---------------------------------------------------------------------------------------------
# Reading the lab's state.

# tun_of CONNECTION: the device holding the address NetworkManager lists for an active VPN
# connection (nmcli's IP-IFACE names the VPN's parent device).
tun_of() {
	local addr
	addr=$(nm_exec nmcli -g IP4.ADDRESS connection show "$1" 2>/dev/null | head -n 1 | cut -d'|' -f1)
	[ -n "$addr" ] || return 0
	ip -n "$FY_CLI" -4 -o addr show | awk -v a="$addr" '$4 == a {print $2; exit}'
}

# vip_in DEV NET: the device holds an IPv4 address inside NET (a /25../28 of 203.0.113.0/24).
vip_in() {
	local addr
	addr=$(ip -n "$FY_CLI" -4 -o addr show dev "$1" 2>/dev/null | awk '{print $4}' | head -n 1)
	[ -n "$addr" ] || return 1
	python3 -c 'import ipaddress,sys; sys.exit(0 if ipaddress.ip_interface(sys.argv[1]).ip in ipaddress.ip_network(sys.argv[2]) else 1)' "$addr" "$2"
}

route_via() {
	ip -n "$FY_CLI" -4 route show table all dev "$2" 2>/dev/null | grep -q "^$1 "
}

no_default_via() {
	! ip -n "$FY_CLI" -4 route show table all default 2>/dev/null | grep -q "dev $1 "
}

nm_field() {
	nm_exec nmcli -g "$2" connection show "$1" 2>/dev/null
}

# session_property PROPERTY: read the Session object of the one running service as an
# unprivileged user (the GUI's view); prints the GVariant text.
session_property() {
	local name
	name=$(nm_exec gdbus call --system --dest org.freedesktop.DBus --object-path /org/freedesktop/DBus \
		--method org.freedesktop.DBus.ListNames | grep -o "'org.freedesktop.NetworkManager.ferry[^']*'" |
		tr -d "'" | head -n 1)
	[ -n "$name" ] || return 1
	nm_exec setpriv --reuid=65534 --regid=65534 --clear-groups gdbus call --system --dest "$name" \
		--object-path /org/freedesktop/NetworkManager/ferry/Session \
		--method org.freedesktop.DBus.Properties.Get org.freedesktop.NetworkManager.ferry.Session "$1"
}
