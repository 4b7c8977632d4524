/* crypto-rng.h - random bytes, injectable for deterministic tests (GLib-free)
 *
 * Production: GnuTLS's gnutls_rnd(GNUTLS_RND_RANDOM) for nonces, SPIs and IVs,
 * GNUTLS_RND_KEY for private keys.  Tests install their own source so nonces,
 * SPIs, IVs and private keys are fixed and whole messages can be compared.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

typedef enum {
	CRYPTO_RNG_NONCE, /* public randomness: nonces, SPIs, IVs, padding */
	CRYPTO_RNG_KEY,   /* private values: DH exponents, scalars */
} CryptoRngLevel;

typedef void (*CryptoRngFunc)(void *user_data, CryptoRngLevel level, uint8_t *out, size_t len);

void crypto_rng_fill(CryptoRngLevel level, uint8_t *out, size_t len);
/* Replace the source for the whole process (tests only); NULL restores GnuTLS. */
void crypto_rng_set_source(CryptoRngFunc func, void *user_data);
