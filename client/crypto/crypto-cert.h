/* crypto-cert.h - X.509 for IKE: trust anchors, the gateway's chain, identities, CERTREQ and
 * client credentials (files, PKCS#12, PKCS#11) over GnuTLS (GLib-free)
 *
 * How IKE_AUTH uses it (RFC 7296 §2.15, §3.6, §3.7):
 *   initiator:  crypto_trust_certreq()          -> CERTREQ payload (encoding X509_SIGNATURE)
 *               crypto_credential_get_cert()/_get_chain() -> CERT payloads
 *               crypto_sig_choose() + crypto_sig_auth_create() (crypto-sig.h) -> AUTH payload
 *   response:   crypto_cert_verify_chain(CERT payloads) -> the gateway's end-entity certificate
 *               crypto_cert_match_id(IDr) and crypto_cert_match_name(remote-id)
 *               crypto_sig_auth_verify(AUTH payload)
 * Every failure comes back as a CryptoCertStatus plus a message for the user that names what
 * failed (the untrusted issuer, the dates, the identities, ...).  Messages hold names from
 * certificates, never key material.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ferry-secret.h"
#include "ferry-span.h"

typedef enum {
	CRYPTO_CERT_OK = 0,
	CRYPTO_CERT_ERR_FILE,          /* a file cannot be read or holds nothing usable */
	CRYPTO_CERT_ERR_PARSE,         /* malformed certificate, key or AUTH data */
	CRYPTO_CERT_ERR_PASSWORD,      /* passphrase, PKCS#12 password or PIN missing or wrong */
	CRYPTO_CERT_ERR_KEY_MISMATCH,  /* the private key does not belong to the certificate */
	CRYPTO_CERT_ERR_TOKEN,         /* PKCS#11 module, token or object not found */
	CRYPTO_CERT_ERR_UNTRUSTED,     /* the chain does not lead to a trusted CA */
	CRYPTO_CERT_ERR_EXPIRED,       /* a certificate of the chain is past its notAfter */
	CRYPTO_CERT_ERR_NOT_YET_VALID, /* a certificate of the chain is before its notBefore */
	CRYPTO_CERT_ERR_REVOKED,       /* listed in a loaded CRL */
	CRYPTO_CERT_ERR_BAD_SIGNATURE, /* a certificate's or the AUTH payload's signature is wrong
	                                */
	CRYPTO_CERT_ERR_INSECURE,      /* signed with an algorithm too weak to trust (MD5, SHA-1) */
	CRYPTO_CERT_ERR_CONSTRAINTS,   /* basic/name constraints or path length violated */
	CRYPTO_CERT_ERR_KEY_USAGE,     /* the end-entity key may not sign (keyUsage, EKU) */
	CRYPTO_CERT_ERR_IDENTITY,      /* the identity is not one the certificate names */
	CRYPTO_CERT_ERR_UNSUPPORTED,   /* encoding, key type, algorithm or ID type not handled */
	CRYPTO_CERT_ERR_NOMEM,
	CRYPTO_CERT_ERR_BACKEND, /* GnuTLS/Nettle failed unexpectedly */
} CryptoCertStatus;

/* A failure for the user: status and one line of text ("certificate 'CN=vpn.example.com,O=X'
 * expired on 2021-01-01 00:00:00 UTC (valid from ...)").  Every function taking a
 * CryptoCertError * accepts NULL; on success it sets status CRYPTO_CERT_OK and message "". */
#define CRYPTO_CERT_MESSAGE_MAX 768
typedef struct {
	CryptoCertStatus status;
	char message[CRYPTO_CERT_MESSAGE_MAX];
} CryptoCertError;

const char *crypto_cert_status_to_string(CryptoCertStatus st);

/* Public key types of certificates and credentials. */
typedef enum {
	CRYPTO_KEY_UNSUPPORTED = 0,
	CRYPTO_KEY_RSA,
	CRYPTO_KEY_ECDSA_P256,
	CRYPTO_KEY_ECDSA_P384,
	CRYPTO_KEY_ECDSA_P521,
	CRYPTO_KEY_ED25519,
} CryptoKeyType;

const char *crypto_key_type_to_string(CryptoKeyType type);

/* Limits against a peer that sends absurd chains. */
#define CRYPTO_CERT_CHAIN_MAX 8     /* CERT payloads looked at: end entity + 7 intermediates */
#define CRYPTO_CERT_DER_MAX   16384 /* bytes of one certificate */

/* ---- certificates ---------------------------------------------------------------------- */

typedef struct CryptoCert CryptoCert;

/* (transfer full) *out on success. */
CryptoCertStatus crypto_cert_new_from_der(const uint8_t *der,
                                          size_t der_len,
                                          CryptoCert **out,
                                          CryptoCertError *err);
/* The first certificate of a PEM or DER file. */
CryptoCertStatus
crypto_cert_new_from_file(const char *path, CryptoCert **out, CryptoCertError *err);
CryptoCert *crypto_cert_ref(CryptoCert *cert);
void crypto_cert_unref(CryptoCert *cert);

/* (transfer none) The certificate's DER, as sent in a CERT payload (X509_SIGNATURE). */
FerrySpan crypto_cert_get_der(const CryptoCert *cert);
/* (transfer none) DER of the subject Name: the data of an ID_DER_ASN1_DN identity. */
FerrySpan crypto_cert_get_subject_der(const CryptoCert *cert);
/* The subject as RFC 4514 text ("CN=vpn.example.com,O=Ferry Test,C=CH"); never NULL. */
const char *crypto_cert_get_subject(const CryptoCert *cert);
const char *crypto_cert_get_issuer(const CryptoCert *cert);
CryptoKeyType crypto_cert_get_key_type(const CryptoCert *cert);
/* SHA-1 of the DER SubjectPublicKeyInfo: what a CERTREQ lists for a CA (RFC 7296 §3.7). */
CryptoCertStatus crypto_cert_get_spki_sha1(const CryptoCert *cert, uint8_t out[20]);

/* Is this identity one the certificate names?  (RFC 7296 §3.5 ID payload type and data, as in
 * IDr: the gateway's certificate must contain the identity it claims, RFC 4945 §3.1.)
 *   FQDN         subjectAltName dNSName (case-insensitive); the subject CN only when the
 *                certificate has no dNSName at all (RFC 6125 §6.4.4)
 *   IPV4/6_ADDR  subjectAltName iPAddress
 *   RFC822_ADDR  subjectAltName rfc822Name (case-insensitive)
 *   DER_ASN1_DN  the subject DN (DER compared bytewise, then attribute by attribute)
 *   KEY_ID       subjectKeyIdentifier, or SHA-1 of the public key or of its SPKI
 * On CRYPTO_CERT_ERR_IDENTITY the message shows what was expected and what the certificate
 * names. */
CryptoCertStatus crypto_cert_match_id(const CryptoCert *cert,
                                      uint8_t id_type,
                                      const uint8_t *id_data,
                                      size_t id_len,
                                      CryptoCertError *err);

/* The same for an identity written in strongSwan's syntax, as in the profile's remote-id
 * (default: the gateway host name): an IP literal, "@fqdn" or a bare FQDN, user@domain,
 * "@#hex" key ID, or a DN "C=CH, O=Ferry Test, CN=vpn.example.com" (either RDN order). */
CryptoCertStatus
crypto_cert_match_name(const CryptoCert *cert, const char *identity, CryptoCertError *err);

/* ---- trust anchors and the gateway's chain -------------------------------------------- */

typedef struct CryptoTrust CryptoTrust;

CryptoTrust *crypto_trust_new(void);
void crypto_trust_free(CryptoTrust *trust);
/* Adds every certificate of a PEM file (one or more) or a DER file as a trusted CA. */
CryptoCertStatus crypto_trust_add_file(CryptoTrust *trust, const char *path, CryptoCertError *err);
CryptoCertStatus
crypto_trust_add_der(CryptoTrust *trust, const uint8_t *der, size_t der_len, CryptoCertError *err);
/* The system's trust store (used when the profile names no CA). */
CryptoCertStatus crypto_trust_add_system(CryptoTrust *trust, CryptoCertError *err);
/* A pinned gateway certificate (profile server-cert): an end-entity certificate that is
 * accepted when it is byte-for-byte the one the gateway sends, whoever issued it. */
CryptoCertStatus
crypto_trust_add_pinned_file(CryptoTrust *trust, const char *path, CryptoCertError *err);
/* CAs added by file or DER (the system store is not counted). */
size_t crypto_trust_get_n_cas(const CryptoTrust *trust);
bool crypto_trust_uses_system(const CryptoTrust *trust);

/* The Certification Authority field of our CERTREQ (RFC 7296 §3.7): the 20-byte SHA-1 hashes
 * of each added CA's SubjectPublicKeyInfo, concatenated, no duplicates.  CAs of the system
 * store are not listed (hundreds of them); with only the system store the field is empty,
 * which gateways read as "any CA".  *out_len = 20 * n; CRYPTO_CERT_ERR_NOMEM if cap is too
 * small. */
CryptoCertStatus
crypto_trust_certreq(const CryptoTrust *trust, uint8_t *out, size_t cap, size_t *out_len);

/* Verifies the gateway's certificates: certs[0] is the end-entity certificate (the first CERT
 * payload, whose key signs AUTH, RFC 7296 §3.6), the rest intermediates in any order (unused
 * ones are ignored).  Checks, each with its own status: every signature up to a trusted CA (or
 * a pinned certificate), CA constraints, the validity period of every certificate of the path
 * (including the CA) at `now` (seconds since the epoch; time(NULL) outside tests), and the
 * end-entity key usage (digitalSignature or nonRepudiation when keyUsage is present, RFC 4945
 * §5.1.3.2; a critical extendedKeyUsage must allow IKE or server/client authentication).
 * (transfer full) *end_entity on success: its key verifies the AUTH payload. */
CryptoCertStatus crypto_cert_verify_chain(const CryptoTrust *trust,
                                          const FerrySpan *certs,
                                          size_t n_certs,
                                          int64_t now,
                                          CryptoCert **end_entity,
                                          CryptoCertError *err);

/* Does a received CERTREQ's Certification Authority field (20-byte hashes) list `spki_sha1`?
 * A field whose length is not a multiple of 20 is malformed: false. */
bool crypto_certreq_lists(const uint8_t *ca_field, size_t ca_len, const uint8_t spki_sha1[20]);

/* ---- our own credentials ----------------------------------------------------------------- */

typedef struct CryptoCredential CryptoCredential;

/* A certificate file (PEM with optional chain, or DER) and its private key: a PEM/DER file
 * (plain, PKCS#8 encrypted, or traditional OpenSSL-encrypted: `passphrase`), or a "pkcs11:"
 * URI (RFC 7512; `passphrase` is then the token PIN).  `cert_path` may also be a "pkcs11:" URI
 * of a certificate object on the token.  The key must match the certificate. */
CryptoCertStatus crypto_credential_load(const char *cert_path,
                                        const char *key_path,
                                        const FerrySecret *passphrase,
                                        CryptoCredential **out,
                                        CryptoCertError *err);
/* A PKCS#12 file with one key, its certificate and optional CA certificates. */
CryptoCertStatus crypto_credential_load_pkcs12(const char *path,
                                               const FerrySecret *password,
                                               CryptoCredential **out,
                                               CryptoCertError *err);
void crypto_credential_free(CryptoCredential *cred);

/* (transfer none) Our end-entity certificate: the first CERT payload. */
const CryptoCert *crypto_credential_get_cert(const CryptoCredential *cred);
/* Intermediate CA certificates to send after it (self-signed roots left out). */
size_t crypto_credential_get_n_chain(const CryptoCredential *cred);
const CryptoCert *crypto_credential_get_chain(const CryptoCredential *cred, size_t i);
CryptoKeyType crypto_credential_get_key_type(const CryptoCredential *cred);
