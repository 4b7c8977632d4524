/* crypto-prf.h - IKEv2 PRFs and prf+ (RFC 7296 §2.13, RFC 4868) (GLib-free) */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "crypto-status.h"

/* Output size in bytes of an IKE PRF transform ID (IKE_PRF_*), 0 if unsupported. */
size_t crypto_prf_output_size(uint16_t prf_id);
/* Preferred key size (bytes) for keys derived for this PRF (SK_d, SK_pi, SK_pr): its output size. */
size_t crypto_prf_key_size(uint16_t prf_id);
bool crypto_prf_supported(uint16_t prf_id);

/* out (crypto_prf_output_size bytes) = prf(key, data[0] | data[1] | ... ) */
CryptoStatus crypto_prf(uint16_t prf_id,
			const uint8_t *key,
			size_t key_len,
			const uint8_t *const *data,
			const size_t *data_len,
			size_t n_data,
			uint8_t *out);

/* One-piece convenience form of crypto_prf(). */
CryptoStatus crypto_prf1(uint16_t prf_id,
			 const uint8_t *key,
			 size_t key_len,
			 const uint8_t *data,
			 size_t data_len,
			 uint8_t *out);

/* prf+ (RFC 7296 §2.13): T1 = prf(K, S|0x01), Tn = prf(K, Tn-1|S|n); out_len <= 255 * output. */
CryptoStatus crypto_prf_plus(uint16_t prf_id,
			     const uint8_t *key,
			     size_t key_len,
			     const uint8_t *seed,
			     size_t seed_len,
			     uint8_t *out,
			     size_t out_len);
