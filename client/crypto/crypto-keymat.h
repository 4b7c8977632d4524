/* crypto-keymat.h - IKEv2 and Child SA key derivation (RFC 7296 §2.14, §2.17, §2.18) (GLib-free) */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "crypto-status.h"
#include "ferry-secret.h"

/* The seven IKE SA keys.  Lengths: d/pi/pr = PRF key size; ai/ar = integ key len (0 with
 * AEAD); ei/er = encryption key len including any AEAD salt. */
typedef struct {
	FerrySecret *sk_d;
	FerrySecret *sk_ai;
	FerrySecret *sk_ar;
	FerrySecret *sk_ei;
	FerrySecret *sk_er;
	FerrySecret *sk_pi;
	FerrySecret *sk_pr;
} CryptoIkeKeys;

/* SKEYSEED = prf(Ni | Nr, g^ir); {SK_d..SK_pr} = prf+(SKEYSEED, Ni | Nr | SPIi | SPIr).
 * For AES128_XCBC/CMAC PRFs the nonce key is handled per RFC 7296 §2.14. */
CryptoStatus crypto_keymat_ike(uint16_t prf_id,
			       const FerrySecret *shared,
			       const uint8_t *ni,
			       size_t ni_len,
			       const uint8_t *nr,
			       size_t nr_len,
			       uint64_t spi_i,
			       uint64_t spi_r,
			       size_t integ_key_len,
			       size_t enc_key_len,
			       CryptoIkeKeys *out);

/* Rekeyed IKE SA (RFC 7296 §2.18): SKEYSEED = prf(SK_d_old, g^ir_new | Ni | Nr). */
CryptoStatus crypto_keymat_ike_rekey(uint16_t prf_id,
				     const FerrySecret *old_sk_d,
				     const FerrySecret *shared,
				     const uint8_t *ni,
				     size_t ni_len,
				     const uint8_t *nr,
				     size_t nr_len,
				     uint64_t spi_i,
				     uint64_t spi_r,
				     size_t integ_key_len,
				     size_t enc_key_len,
				     CryptoIkeKeys *out);

void crypto_ike_keys_clear(CryptoIkeKeys *keys);

/* Child SA keys (RFC 7296 §2.17): KEYMAT = prf+(SK_d, [g^ir (new) |] Ni | Nr), taken in the
 * order initiator-to-responder encr, integ, then responder-to-initiator encr, integ. */
typedef struct {
	FerrySecret *enc_i; /* initiator -> responder (our outbound) */
	FerrySecret *integ_i;
	FerrySecret *enc_r; /* responder -> initiator (our inbound) */
	FerrySecret *integ_r;
} CryptoChildKeys;

CryptoStatus crypto_keymat_child(uint16_t prf_id,
				 const FerrySecret *sk_d,
				 const FerrySecret *shared_or_null,
				 const uint8_t *ni,
				 size_t ni_len,
				 const uint8_t *nr,
				 size_t nr_len,
				 size_t enc_key_len,
				 size_t integ_key_len,
				 CryptoChildKeys *out);

void crypto_child_keys_clear(CryptoChildKeys *keys);
