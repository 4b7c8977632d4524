/* crypto-ke.h - key exchange: MODP (RFC 3526), ECP (RFC 5903), Curve25519 (RFC 8031) (GLib-free)
 *
 * Nettle/hogweed for the curves, GMP for MODP (GnuTLS 3.7 exports no key agreement).
 * Public values use the IKEv2 encodings: MODP big-endian padded to the prime's length,
 * ECP x|y each padded to the field size, X25519 the 32-byte u-coordinate.
 * The private value comes from crypto_rng_fill(CRYPTO_RNG_KEY, ...) and is wiped on free.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "crypto-status.h"
#include "ferry-secret.h"

typedef struct CryptoKe CryptoKe;

bool crypto_ke_supported(uint16_t group); /* IKE_KE_* */
/* Length of the public value for the group, 0 if unsupported. */
size_t crypto_ke_public_len(uint16_t group);

CryptoStatus crypto_ke_new(uint16_t group, CryptoKe **out);
void crypto_ke_free(CryptoKe *ke);
uint16_t crypto_ke_get_group(const CryptoKe *ke);
/* Our public value (borrowed, crypto_ke_public_len bytes). */
FerrySpan crypto_ke_get_public(const CryptoKe *ke);
/* Validates the peer's value (length, range/on-curve, not all-zero result) and computes
 * the shared secret g^ir in the group's encoding (MODP: padded to prime length; ECP: x only;
 * X25519: 32 bytes). */
CryptoStatus crypto_ke_compute(CryptoKe *ke,
			       const uint8_t *peer,
			       size_t peer_len,
			       FerrySecret **shared);
