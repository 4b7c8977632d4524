/* crypto-xform.h - the symmetric transform shared by IKE's SK payload, ESP and AH (GLib-free)
 *
 * One object per direction and SA: either an AEAD (AES-GCM-8/12/16 RFC 4106/5282,
 * ChaCha20-Poly1305 RFC 7634), a cipher plus an integrity algorithm (AES-CBC RFC 3602
 * with HMAC-SHA1-96 RFC 2404 / HMAC-SHA2 RFC 4868), or, for AH (RFC 4302), an integrity
 * algorithm alone: encr_id CRYPTO_XFORM_ENCR_NONE, key_bits 0, no encryption key, iv_len 0,
 * and seal/open only compute/verify icv = truncated HMAC(aad | data | extra).  Handles are created once when the SA is installed; seal
 * and open make no allocation, so the datapath can call them per packet.
 *
 * Layout both IKE (RFC 7296 §3.14) and ESP (RFC 4303 §2) share:
 *     [ aad ][ iv ][ data (padded plaintext / ciphertext) ][ icv ]
 * - AEAD: nonce = salt (from the key material) | iv; AAD = `aad`; tag -> icv.
 *   (ESP with ESN builds its 12-byte AAD itself and passes it as `aad`.)
 * - cipher+integ: data is encrypted in place with `iv`; icv = truncated
 *   HMAC(aad | iv | data | extra).  `aad` must end where `iv` starts for IKE
 *   and ESP, but the function does not rely on it. `extra` carries ESP's
 *   high-order ESN bits (RFC 4303 §2.2.1); NULL/0 otherwise.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "crypto-status.h"

typedef struct CryptoXform CryptoXform;

/* No ENCR transform (IANA reserves ENCR ID 0): an integrity-only transform for AH. */
#define CRYPTO_XFORM_ENCR_NONE 0

typedef struct {
	uint16_t encr_id;  /* IKE_ENCR_* */
	uint16_t key_bits; /* 128/192/256 for AES; 256 for ChaCha20 */
	uint16_t integ_id; /* IKE_INTEG_*; IKE_INTEG_NONE for AEAD */
} CryptoXformAlg;

/* Sizes in bytes.  enc_key_len includes the AEAD salt (4 bytes for GCM and ChaCha20). */
typedef struct {
	size_t enc_key_len;
	size_t integ_key_len;
	size_t iv_len;     /* 8 for GCM/ChaCha20, 16 for CBC */
	size_t block_size; /* padding unit: 16 for CBC, 4 (ESP) / 1 for AEAD stream modes */
	size_t icv_len;
	bool aead;
} CryptoXformSizes;

/* CRYPTO_ERR_UNSUPPORTED if the combination is not one we implement. */
CryptoStatus crypto_xform_sizes(const CryptoXformAlg *alg, CryptoXformSizes *out);
bool crypto_xform_supported(const CryptoXformAlg *alg);

CryptoStatus crypto_xform_new(const CryptoXformAlg *alg,
			      const uint8_t *enc_key,
			      size_t enc_key_len,
			      const uint8_t *integ_key,
			      size_t integ_key_len,
			      CryptoXform **out);
/* Wipes all key material. */
void crypto_xform_free(CryptoXform *x);
const CryptoXformSizes *crypto_xform_get_sizes(const CryptoXform *x);

/* Encrypt `data` in place (len must be a multiple of block_size) and write icv_len bytes. */
CryptoStatus crypto_xform_seal(CryptoXform *x,
			       const uint8_t *aad,
			       size_t aad_len,
			       const uint8_t *iv,
			       uint8_t *data,
			       size_t len,
			       const uint8_t *extra,
			       size_t extra_len,
			       uint8_t *icv);

/* Verify `icv` (constant time) and only then decrypt `data` in place.  CRYPTO_ERR_AUTH on mismatch. */
CryptoStatus crypto_xform_open(CryptoXform *x,
			       const uint8_t *aad,
			       size_t aad_len,
			       const uint8_t *iv,
			       uint8_t *data,
			       size_t len,
			       const uint8_t *extra,
			       size_t extra_len,
			       const uint8_t *icv);
