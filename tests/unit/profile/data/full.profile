# A profile that sets every key to a value other than its default.
[profile]
name=Corp VPN (Berlin)
uuid=5d0c7c2e-8f0b-4b8e-9a53-2f3f4c1d9e01
gateway=vpn.example.com
port=4500
auth=cert+eap
local-id=CN=alice,O=Example Corp
remote-id=@vpn.example.com
remote-id-match=loose
eap-identity=alice
ca-certs=/etc/ferry/certs/corp-root.pem;/etc/ferry/certs/corp-intermediate.pem
server-cert=vpn-pinned.der
client-cert=alice.pem
client-key=alice.key
rsa-pss=true
send-certreq=false
ike-proposals=aes256gcm16-prfsha384-ecp384,aes256-sha256-modp2048
esp-proposals=aes256gcm16-esn
pfs=yes
protocol=esp
mode=tunnel
include-subnets=10.0.0.0/8;192.0.2.0/24;2001:db8::/32
exclude-subnets=10.1.2.3-10.1.2.9
dns-servers=10.0.0.53;2001:db8::53
dns-search-domains=corp.example.com
dns-split-domains=example.com;.internal.example.net
mtu=1400
nat-keepalive=25
dpd=0
ike-lifetime=28800
child-lifetime=7200
encap=force
ipv6-transport=true
virtual-ip4=true
virtual-ip6=false

[other-program]
ignored=yes
