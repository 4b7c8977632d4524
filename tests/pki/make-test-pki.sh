#!/bin/bash
# make-test-pki.sh - builds the certificate test PKI with strongSwan's `pki` into a directory.
#
# Usage: make-test-pki.sh DIR [--softhsm] [--rsa4096]
# Run at test time into a temporary directory: no private key is ever committed.  Every file
# name below is part of the contract with tests/unit/cert/ and tests/interop/scenarios/cert-*.
# With --softhsm, also creates a SoftHSM2 token in DIR/softhsm (config DIR/softhsm2.conf,
# token label "ferry", user PIN 123456) holding the client RSA key as object "client", id 01.
# With --rsa4096, also a 4096-bit RSA chain (root, intermediate, gateway vpn.example.com) whose
# CERT payloads need IKE fragmentation (slow to make, so only on request).
#
# Passwords are canary strings so a test can assert they never appear in a log.
set -euo pipefail

dir=${1:?usage: make-test-pki.sh DIR [--softhsm] [--rsa4096]}
shift
softhsm= rsa4096=
for opt in "$@"; do
	case "$opt" in
	--softhsm) softhsm=--softhsm ;;
	--rsa4096) rsa4096=yes ;;
	*) echo "make-test-pki.sh: unknown option $opt" >&2; exit 2 ;;
	esac
done
mkdir -p "$dir"
cd "$dir"

KEY_PASS=canary-key-passphrase-7f3a
P12_PASS=canary-p12-password-91c2
PIN=123456
O="C=CH, O=Ferry Test"
DATEFORM="%Y%m%d%H%M%S"

# A private strongswan.conf: only the plugins pki needs (fast start, no TPM noise), nothing
# from /etc/strongswan.d.
printf 'pki {\n  load = random nonce openssl pem pkcs1 pkcs8 x509 pubkey sha1 sha2 gmp curve25519 constraints\n}\n' \
	> strongswan-pki.conf
export STRONGSWAN_CONF=$dir/strongswan-pki.conf
# Keep tool chatter out of the test log unless a step fails.
log=$dir/pki.log
: > "$log"
run() { "$@" 2>>"$log" || { cat "$log" >&2; exit 1; }; }

gen() { # gen TYPE SIZE OUT
	if [ -n "$2" ]; then
		run pki --gen --type "$1" --size "$2" --outform pem > "$3"
	else
		run pki --gen --type "$1" --outform pem > "$3"
	fi
}
selfsign() { # selfsign TYPE KEY DN OUT
	run pki --self --ca --lifetime 3650 --type "$1" --in "$2" --dn "$3" --outform pem > "$4"
}
issue() { # issue TYPE KEY CACRT CAKEY DN OUT [pki options...]
	local key=$2 cacrt=$3 cakey=$4 dn=$5 out=$6
	shift 6
	run pki --issue --type priv --in "$key" --cacert "$cacrt" --cakey "$cakey" --dn "$dn" \
		--outform pem "$@" > "$out"
}

# --- RSA: root CA, gateway, client -----------------------------------------------------------
gen rsa 2048 rsa-ca.key
selfsign rsa rsa-ca.key "$O, CN=Ferry RSA Root CA" rsa-ca.crt
openssl x509 -in rsa-ca.crt -outform der -out rsa-ca.der

gen rsa 2048 gw-rsa.key
issue rsa gw-rsa.key rsa-ca.crt rsa-ca.key "$O, CN=vpn.example.com" gw-rsa.crt \
	--san vpn.example.com --san 203.0.113.1 --san 2001:db8::1 --flag serverAuth --lifetime 1200
# The same key under other names and dates (identity and validity failures).
issue rsa gw-rsa.key rsa-ca.crt rsa-ca.key "$O, CN=other.example.com" gw-rsa-other.crt \
	--san other.example.com --flag serverAuth
issue rsa gw-rsa.key rsa-ca.crt rsa-ca.key "$O, CN=vpn.example.com" gw-rsa-expired.crt \
	--san vpn.example.com --dateform "$DATEFORM" --not-before 20200101000000 \
	--not-after 20210101000000
issue rsa gw-rsa.key rsa-ca.crt rsa-ca.key "$O, CN=vpn.example.com" gw-rsa-future.crt \
	--san vpn.example.com --dateform "$DATEFORM" --not-before 20990101000000 \
	--not-after 20991231000000
# CN and subjectAltName disagree: only the subjectAltName counts (RFC 6125 §6.4.4).
issue rsa gw-rsa.key rsa-ca.crt rsa-ca.key "$O, CN=legacy.example.com" gw-rsa-split.crt \
	--san vpn.example.com
# A gateway certificate from a CA nobody trusts.
gen rsa 2048 evil-ca.key
selfsign rsa evil-ca.key "$O, CN=Untrusted Evil CA" evil-ca.crt
issue rsa gw-rsa.key evil-ca.crt evil-ca.key "$O, CN=vpn.example.com" gw-evil.crt \
	--san vpn.example.com

gen rsa 2048 client-rsa.key
issue rsa client-rsa.key rsa-ca.crt rsa-ca.key "$O, CN=alice" client-rsa.crt \
	--san alice@example.com --flag clientAuth
# A client certificate the RSA CA has revoked (in rsa-ca.crl), and one from the untrusted CA.
gen ecdsa 256 client-revoked.key
issue ecdsa client-revoked.key rsa-ca.crt rsa-ca.key "$O, CN=mallory" client-revoked.crt \
	--san mallory@example.com --flag clientAuth
run pki --signcrl --cacert rsa-ca.crt --cakey rsa-ca.key --reason key-compromise \
	--cert client-revoked.crt --outform pem > rsa-ca.crl
issue ecdsa client-revoked.key evil-ca.crt evil-ca.key "$O, CN=mallory" client-evil.crt \
	--san mallory@example.com --flag clientAuth
# The client key encrypted as PKCS#8 (PBES2) and as a traditional OpenSSL PEM, and a PKCS#12.
run openssl pkcs8 -topk8 -in client-rsa.key -out client-rsa-p8enc.key -passout "pass:$KEY_PASS"
run openssl rsa -in client-rsa.key -aes256 -traditional -out client-rsa-legacy.key \
	-passout "pass:$KEY_PASS"
run openssl pkcs12 -export -in client-rsa.crt -inkey client-rsa.key -certfile rsa-ca.crt \
	-name alice -out client-rsa.p12 -passout "pass:$P12_PASS"

# --- ECDSA P-384 chain with an intermediate CA ------------------------------------------------
gen ecdsa 384 ec-root.key
selfsign ecdsa ec-root.key "$O, CN=Ferry ECDSA Root CA" ec-root.crt
gen ecdsa 384 ec-int.key
issue ecdsa ec-int.key ec-root.crt ec-root.key "$O, CN=Ferry ECDSA Intermediate CA" ec-int.crt \
	--ca --lifetime 1800
gen ecdsa 384 gw-ec384.key
issue ecdsa gw-ec384.key ec-int.crt ec-int.key "$O, CN=vpn.example.com" gw-ec384.crt \
	--san vpn.example.com --flag serverAuth
gen ecdsa 256 client-ec256.key
issue ecdsa client-ec256.key ec-int.crt ec-int.key "$O, CN=bob" client-ec256.crt \
	--san bob@example.com --flag clientAuth
gen ecdsa 521 client-ec521.key
issue ecdsa client-ec521.key ec-int.crt ec-int.key "$O, CN=carol" client-ec521.crt \
	--san carol@example.com --flag clientAuth

# --- Ed25519 ----------------------------------------------------------------------------------
gen ed25519 "" ed-ca.key
selfsign ed25519 ed-ca.key "$O, CN=Ferry Ed25519 Root CA" ed-ca.crt
gen ed25519 "" gw-ed25519.key
issue ed25519 gw-ed25519.key ed-ca.crt ed-ca.key "$O, CN=vpn.example.com" gw-ed25519.crt \
	--san vpn.example.com --flag serverAuth

# --- Certificates outside pki's reach -----------------------------------------------------
# Two certificates pki refuses to make, made with GnuTLS's certtool instead:
# one issued by the gateway's own (non-CA) certificate, a basicConstraints violation, and one
# whose keyUsage has neither digitalSignature nor nonRepudiation.
printf 'cn = "sub.example.com"\ndns_name = "sub.example.com"\nsigning_key\nexpiration_days = 365\n' \
	> sub.tmpl
run certtool --generate-certificate --load-privkey gw-ec384.key --load-ca-certificate gw-rsa.crt \
	--load-ca-privkey gw-rsa.key --template sub.tmpl --outfile gw-sub.crt >/dev/null
printf 'cn = "vpn.example.com"\ndns_name = "vpn.example.com"\nencryption_key\nexpiration_days = 365\n' \
	> nosign.tmpl
run certtool --generate-certificate --load-privkey gw-rsa.key --load-ca-certificate rsa-ca.crt \
	--load-ca-privkey rsa-ca.key --template nosign.tmpl --outfile gw-rsa-nosign.crt >/dev/null
rm -f sub.tmpl nosign.tmpl

# --- 4096-bit RSA chain ------------------------------------------------------------------------
if [ -n "$rsa4096" ]; then
	gen rsa 4096 rsa4096-root.key
	selfsign rsa rsa4096-root.key "$O, CN=Ferry RSA-4096 Root CA" rsa4096-root.crt
	gen rsa 4096 rsa4096-int.key
	issue rsa rsa4096-int.key rsa4096-root.crt rsa4096-root.key \
		"$O, CN=Ferry RSA-4096 Intermediate CA" rsa4096-int.crt --ca
	gen rsa 4096 gw-rsa4096.key
	issue rsa gw-rsa4096.key rsa4096-int.crt rsa4096-int.key "$O, CN=vpn.example.com" \
		gw-rsa4096.crt --san vpn.example.com --flag serverAuth
fi

# --- SoftHSM2 token with the client key -------------------------------------------------------
if [ "$softhsm" = --softhsm ]; then
	mkdir -p softhsm
	printf 'directories.tokendir = %s/softhsm\nobjectstore.backend = file\nlog.level = ERROR\n' \
		"$dir" > softhsm2.conf
	export SOFTHSM2_CONF=$dir/softhsm2.conf
	run softhsm2-util --init-token --free --label ferry --so-pin 12345678 --pin "$PIN" >/dev/null
	run openssl pkcs8 -topk8 -nocrypt -in client-rsa.key -out client-rsa.p8
	run softhsm2-util --import client-rsa.p8 --token ferry --label client --id 01 \
		--pin "$PIN" >/dev/null
	rm -f client-rsa.p8
fi
rm -f "$log" strongswan-pki.conf
