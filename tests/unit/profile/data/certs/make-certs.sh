#!/bin/sh
# Regenerates the test-only certificates, keys and PKCS#12 files used by the importer tests
# (and signs the signed .mobileconfig samples).  Nothing here is trusted anywhere else.
set -eu
cd "$(dirname "$0")"
days=36500
ec="-newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes"

openssl req -x509 $ec -keyout ca.key -out ca.pem -days $days -sha256 \
	-subj "/O=Example Corp/CN=Example Corp Test Root CA" \
	-addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign

leaf() { # name subject extensions
	openssl req $ec -keyout "$1.key" -out "$1.csr" -subj "$2"
	openssl x509 -req -in "$1.csr" -CA ca.pem -CAkey ca.key -CAcreateserial -days $days \
		-sha256 -out "$1.pem" -extfile /dev/stdin <<-EXT
	basicConstraints=critical,CA:FALSE
	$3
	EXT
	rm -f "$1.csr"
}
leaf server "/O=Example Corp/CN=vpn.example.com" "subjectAltName=DNS:vpn.example.com"
leaf alice "/O=Example Corp/CN=alice@example.com" "subjectAltName=email:alice@example.com"
leaf signer "/O=Example Corp/CN=Example Corp Profile Signing" \
	"extendedKeyUsage=emailProtection,codeSigning"
rm -f ca.srl

# Apple wants legacy PBE (3DES + SHA-1 MAC); OpenSSL 3 defaults to PBES2/AES.
openssl pkcs12 -export -in alice.pem -inkey alice.key -name alice -out alice-3des.p12 \
	-passout pass:test-p12-pass -keypbe PBE-SHA1-3DES -certpbe PBE-SHA1-3DES -macalg sha1
openssl pkcs12 -export -in alice.pem -inkey alice.key -name alice -out alice-aes.p12 \
	-passout pass:test-p12-pass
