/* kat-crypto.h - known-answer vectors of the crypto layer, one registration function per source */
#pragma once

#include <glib.h>
#include <stdint.h>

G_BEGIN_DECLS

/* One keyed-PRF vector: out = prf(key, data), compared over strlen(out)/2 octets (a shorter
 * expected value checks a truncated MAC). */
typedef struct {
	const char *path;
	uint16_t prf_id;
	const char *key;
	const char *data;
	const char *out;
} KatPrf;

/* Test function for g_test_add_data_func() with a KatPrf. */
void kat_prf_check(gconstpointer data);

/* One AEAD vector run through crypto_xform_seal/open: `key` is the ESP/IKE key material
 * (cipher key | 4-octet salt), `iv` the 8 octets carried in the packet. */
typedef struct {
	const char *path;
	uint16_t encr_id;
	uint16_t key_bits;
	const char *key;
	const char *iv;
	const char *aad;
	const char *plain;
	const char *cipher;
	const char *tag; /* full 16 octets; GCM-8/12 compare its prefix */
} KatAead;

/* Seals `plain` and compares, opens it back, then checks that a flipped bit in the tag,
 * the AAD or the ciphertext gives CRYPTO_ERR_AUTH and leaves the ciphertext untouched. */
void kat_aead_check(gconstpointer data);

/* One side of a key exchange vector: with `priv` drawn from the RNG, crypto_ke_new() must
 * produce `pub`, and crypto_ke_compute() on `peer` must give `shared`. */
typedef struct {
	const char *path;
	uint16_t group;
	const char *priv;
	const char *pub;
	const char *peer;
	const char *shared;
} KatKe;

/* Test function for g_test_add_data_func() with a KatKe. */
void kat_ke_check(gconstpointer data);

/* Make crypto_rng_fill(CRYPTO_RNG_KEY, ...) return exactly these octets (once); nonces come
 * from a fixed stream.  Removed by kat_rng_fixed_remove(). */
void kat_rng_fixed_install(const guint8 *key, gsize len);
void kat_rng_fixed_remove(void);

void kat_rfc4231_register(void);
void kat_rfc4868_register(void);
void kat_rfc4615_register(void);
void kat_rfc7748_register(void);
void kat_rfc8031_register(void);
void kat_rfc5903_register(void);
void kat_rfc7634_register(void);
void kat_rfc3602_register(void);
void kat_gcm_register(void);

G_END_DECLS
