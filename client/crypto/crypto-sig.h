/* crypto-sig.h - AUTH payload signatures: RSA PKCS#1 v1.5 (method 1), ECDSA with raw r|s
 * (methods 9-11, RFC 4754) and Digital Signature (method 14, RFC 7427) (GLib-free)
 *
 * The signed data is the octets from crypto_auth_signed_octets() (RFC 7296 §2.15).  With
 * method 14 the AUTH data is: 1-octet length | AlgorithmIdentifier (DER) | signature.
 * The hash follows the peer's SIGNATURE_HASH_ALGORITHMS notify (RFC 7427 §4).
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "crypto-cert.h"

typedef enum {
	CRYPTO_SIG_RSA_PKCS1_SHA1, /* method 1 only: RFC 7296's RSA Digital Signature */
	CRYPTO_SIG_RSA_PKCS1_SHA256,
	CRYPTO_SIG_RSA_PKCS1_SHA384,
	CRYPTO_SIG_RSA_PKCS1_SHA512,
	CRYPTO_SIG_RSA_PSS_SHA256, /* salt length = hash length, MGF1 with the same hash */
	CRYPTO_SIG_RSA_PSS_SHA384,
	CRYPTO_SIG_RSA_PSS_SHA512,
	CRYPTO_SIG_ECDSA_SHA256, /* method 9 (P-256) or 14 */
	CRYPTO_SIG_ECDSA_SHA384, /* method 10 (P-384) or 14 */
	CRYPTO_SIG_ECDSA_SHA512, /* method 11 (P-521) or 14 */
	CRYPTO_SIG_ED25519,      /* method 14 only, hash "Identity" (RFC 8420) */
} CryptoSigScheme;

#define CRYPTO_SIG_N_SCHEMES (CRYPTO_SIG_ED25519 + 1)

/* Bit of an IKE_HASH_* value in a hash set (what a SIGNATURE_HASH_ALGORITHMS lists). */
#define CRYPTO_SIG_HASH_BIT(h) (1u << (h))
/* Largest AUTH data we build or accept: an RSA-8192 signature plus the longest prefix. */
#define CRYPTO_SIG_AUTH_MAX 1100

const char *crypto_sig_scheme_to_string(CryptoSigScheme scheme);

/* Our SIGNATURE_HASH_ALGORITHMS notify data (RFC 7427 §4): SHA2-256, SHA2-384, SHA2-512 and
 * Identity (RFC 8420 §2), 16 bits each.  Returns the length (8), 0 if cap is too small. */
size_t crypto_sig_hash_algorithms_encode(uint8_t *out, size_t cap);
/* The peer's list as a hash set; unknown values are ignored; an odd length is malformed and
 * gives the empty set (as if the notify was absent). */
uint32_t crypto_sig_hash_algorithms_decode(const uint8_t *data, size_t len);

/* Picks the AUTH method and scheme for our key.  `peer_hashes` = the peer's hash set, 0 when
 * it sent no SIGNATURE_HASH_ALGORITHMS: then the classic methods (1 with SHA-1 for RSA, 9/10/11
 * by curve for ECDSA; Ed25519 has none: CRYPTO_CERT_ERR_UNSUPPORTED).  With a hash set, method
 * 14 with the hash matching an ECDSA curve, else the first of SHA2-256/384/512 the peer lists;
 * RSA uses PSS when `prefer_pss`, else PKCS#1 v1.5. */
CryptoCertStatus crypto_sig_choose(CryptoKeyType key,
                                   uint32_t peer_hashes,
                                   bool prefer_pss,
                                   uint8_t *auth_method,
                                   CryptoSigScheme *scheme,
                                   CryptoCertError *err);

/* Signs `octets` with our key: the AUTH payload's Authentication Data (after method and
 * reserved octets) into out (cap >= CRYPTO_SIG_AUTH_MAX is always enough). */
CryptoCertStatus crypto_sig_auth_create(const CryptoCredential *cred,
                                        uint8_t auth_method,
                                        CryptoSigScheme scheme,
                                        const uint8_t *octets,
                                        size_t octets_len,
                                        uint8_t *out,
                                        size_t cap,
                                        size_t *out_len,
                                        CryptoCertError *err);

/* Verifies the peer's AUTH payload (method and Authentication Data) over `octets` with the
 * public key of `signer` (from crypto_cert_verify_chain()).  Method 14 accepts the schemes
 * above with SHA2-256/384/512 (RSASSA-PSS with any salt length, MGF1 with the signature's
 * hash) and Ed25519; SHA-1 only in method 1.  *used (nullable) tells which scheme it was.
 * A signature that does not verify: CRYPTO_CERT_ERR_BAD_SIGNATURE; unparsable AUTH data:
 * CRYPTO_CERT_ERR_PARSE; an algorithm we never announced or a key of the wrong type:
 * CRYPTO_CERT_ERR_UNSUPPORTED. */
CryptoCertStatus crypto_sig_auth_verify(const CryptoCert *signer,
                                        uint8_t auth_method,
                                        const uint8_t *auth_data,
                                        size_t auth_len,
                                        const uint8_t *octets,
                                        size_t octets_len,
                                        CryptoSigScheme *used,
                                        CryptoCertError *err);

/* The DER AlgorithmIdentifier that method 14 carries for a scheme (empty for SHA-1). */
FerrySpan crypto_sig_algorithm_identifier(CryptoSigScheme scheme);
