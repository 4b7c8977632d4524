/* crypto-keymat.c - SKEYSEED, the IKE SA keys and Child SA keys (RFC 7296 §2.14, §2.17, §2.18) */
#include <string.h>

#include "crypto-keymat.h"
#include "crypto-prf.h"
#include "ike-registry.h"

#define NONCE_MIN           16  /* RFC 7296 §3.9 */
#define NONCE_MAX           256 /* RFC 7296 §3.9 */
#define PRF_MAX_OUTPUT      64
#define FIXED_KEY_NONCE_LEN 8 /* RFC 7296 §2.14: 64 bits of each nonce for XCBC/CMAC */

static bool
check_nonces(size_t ni_len, size_t nr_len)
{
	return ni_len >= NONCE_MIN && ni_len <= NONCE_MAX && nr_len >= NONCE_MIN &&
	       nr_len <= NONCE_MAX;
}

/* One key cut from the prf+ stream: where it goes and how long it is (0: none, NULL). */
typedef struct {
	FerrySecret **dst;
	size_t len;
} KeySlot;

/* Cut the key stream into the slots, in order (RFC 7296 §2.14, §2.17 fix the order).  Every
 * slot is set, to NULL where it gets no key, so the caller's clear function is always safe. */
static CryptoStatus
split_keymat(const uint8_t *stream, const KeySlot *slots, size_t n)
{
	for (size_t i = 0; i < n; i++)
		*slots[i].dst = NULL;
	for (size_t i = 0; i < n; i++) {
		if (slots[i].len == 0)
			continue;
		*slots[i].dst = ferry_secret_new_from(stream, slots[i].len);
		if (!*slots[i].dst)
			return CRYPTO_ERR_NOMEM;
		stream += slots[i].len;
	}
	return CRYPTO_OK;
}

/* {SK_d | SK_ai | SK_ar | SK_ei | SK_er | SK_pi | SK_pr} = prf+(SKEYSEED, Ni | Nr | SPIi | SPIr) */
static CryptoStatus
derive_ike_keys(uint16_t prf_id,
                const uint8_t *skeyseed,
                const uint8_t *ni,
                size_t ni_len,
                const uint8_t *nr,
                size_t nr_len,
                uint64_t spi_i,
                uint64_t spi_r,
                size_t integ_key_len,
                size_t enc_key_len,
                CryptoIkeKeys *out)
{
	size_t pk = crypto_prf_key_size(prf_id);
	size_t total = 3 * pk + 2 * integ_key_len + 2 * enc_key_len;
	uint8_t seed[2 * NONCE_MAX + 16];
	size_t seed_len = ni_len + nr_len + 16;
	FerrySecret *keymat;
	CryptoStatus st;

	memcpy(seed, ni, ni_len);
	memcpy(seed + ni_len, nr, nr_len);
	ferry_put_be64(seed + ni_len + nr_len, spi_i);
	ferry_put_be64(seed + ni_len + nr_len + 8, spi_r);
	keymat = ferry_secret_new(total);
	if (!keymat)
		return CRYPTO_ERR_NOMEM;
	st = crypto_prf_plus(prf_id, skeyseed, crypto_prf_output_size(prf_id), seed, seed_len,
	                     keymat->data, total);
	if (st == CRYPTO_OK) {
		const KeySlot slots[] = {
			{&out->sk_d,  pk           },
			{&out->sk_ai, integ_key_len},
			{&out->sk_ar, integ_key_len},
			{&out->sk_ei, enc_key_len  },
			{&out->sk_er, enc_key_len  },
			{&out->sk_pi, pk           },
			{&out->sk_pr, pk           },
		};
		st = split_keymat(keymat->data, slots, sizeof(slots) / sizeof(slots[0]));
	}
	ferry_secret_free(keymat);
	if (st != CRYPTO_OK)
		crypto_ike_keys_clear(out);
	return st;
}

CryptoStatus
crypto_keymat_ike(uint16_t prf_id,
                  const FerrySecret *shared,
                  const uint8_t *ni,
                  size_t ni_len,
                  const uint8_t *nr,
                  size_t nr_len,
                  uint64_t spi_i,
                  uint64_t spi_r,
                  size_t integ_key_len,
                  size_t enc_key_len,
                  CryptoIkeKeys *out)
{
	uint8_t key[2 * NONCE_MAX];
	uint8_t skeyseed[PRF_MAX_OUTPUT];
	size_t ni_part = ni_len, nr_part = nr_len;
	CryptoStatus st;

	memset(out, 0, sizeof(*out));
	if (!crypto_prf_supported(prf_id))
		return CRYPTO_ERR_UNSUPPORTED;
	if (!check_nonces(ni_len, nr_len))
		return CRYPTO_ERR_LENGTH;
	/* RFC 7296 §2.14: SKEYSEED = prf(Ni | Nr, g^ir); PRFs with a fixed key size take
	 * only the first 64 bits of each nonce as the key. */
	if (prf_id == IKE_PRF_AES128_XCBC || prf_id == IKE_PRF_AES128_CMAC)
		ni_part = nr_part = FIXED_KEY_NONCE_LEN;
	memcpy(key, ni, ni_part);
	memcpy(key + ni_part, nr, nr_part);
	st = crypto_prf1(prf_id, key, ni_part + nr_part, shared->data, shared->len, skeyseed);
	if (st == CRYPTO_OK)
		st = derive_ike_keys(prf_id, skeyseed, ni, ni_len, nr, nr_len, spi_i, spi_r,
		                     integ_key_len, enc_key_len, out);
	ferry_wipe(skeyseed, sizeof(skeyseed));
	return st;
}

CryptoStatus
crypto_keymat_ike_rekey(uint16_t prf_id,
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
                        CryptoIkeKeys *out)
{
	uint8_t skeyseed[PRF_MAX_OUTPUT];
	const uint8_t *piece[] = {shared->data, ni, nr};
	size_t piece_len[] = {shared->len, ni_len, nr_len};
	CryptoStatus st;

	memset(out, 0, sizeof(*out));
	if (!crypto_prf_supported(prf_id))
		return CRYPTO_ERR_UNSUPPORTED;
	if (!check_nonces(ni_len, nr_len))
		return CRYPTO_ERR_LENGTH;
	/* RFC 7296 §2.18: SKEYSEED = prf(SK_d (old), g^ir (new) | Ni | Nr). */
	st = crypto_prf(prf_id, old_sk_d->data, old_sk_d->len, piece, piece_len, 3, skeyseed);
	if (st == CRYPTO_OK)
		st = derive_ike_keys(prf_id, skeyseed, ni, ni_len, nr, nr_len, spi_i, spi_r,
		                     integ_key_len, enc_key_len, out);
	ferry_wipe(skeyseed, sizeof(skeyseed));
	return st;
}

void
crypto_ike_keys_clear(CryptoIkeKeys *keys)
{
	FerrySecret **all[] = {&keys->sk_d,  &keys->sk_ai, &keys->sk_ar, &keys->sk_ei,
	                       &keys->sk_er, &keys->sk_pi, &keys->sk_pr};

	for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++) {
		ferry_secret_free(*all[i]);
		*all[i] = NULL;
	}
}

CryptoStatus
crypto_keymat_child(uint16_t prf_id,
                    const FerrySecret *sk_d,
                    const FerrySecret *shared_or_null,
                    const uint8_t *ni,
                    size_t ni_len,
                    const uint8_t *nr,
                    size_t nr_len,
                    size_t enc_key_len,
                    size_t integ_key_len,
                    CryptoChildKeys *out)
{
	size_t g_len = shared_or_null ? shared_or_null->len : 0;
	size_t total = 2 * (enc_key_len + integ_key_len);
	FerrySecret *seed, *keymat;
	CryptoStatus st;

	memset(out, 0, sizeof(*out));
	if (!crypto_prf_supported(prf_id))
		return CRYPTO_ERR_UNSUPPORTED;
	if (!check_nonces(ni_len, nr_len))
		return CRYPTO_ERR_LENGTH;
	/* RFC 7296 §2.17: KEYMAT = prf+(SK_d, [g^ir (new) |] Ni | Nr). */
	seed = ferry_secret_new(g_len + ni_len + nr_len);
	keymat = ferry_secret_new(total);
	if (!seed || !keymat) {
		ferry_secret_free(seed);
		ferry_secret_free(keymat);
		return CRYPTO_ERR_NOMEM;
	}
	if (g_len)
		memcpy(seed->data, shared_or_null->data, g_len);
	memcpy(seed->data + g_len, ni, ni_len);
	memcpy(seed->data + g_len + ni_len, nr, nr_len);
	st = crypto_prf_plus(prf_id, sk_d->data, sk_d->len, seed->data, seed->len, keymat->data,
	                     total);
	/* Initiator-to-responder keys first, encryption before integrity in each direction. */
	if (st == CRYPTO_OK) {
		const KeySlot slots[] = {
			{&out->enc_i,   enc_key_len  },
			{&out->integ_i, integ_key_len},
			{&out->enc_r,   enc_key_len  },
			{&out->integ_r, integ_key_len},
		};
		st = split_keymat(keymat->data, slots, sizeof(slots) / sizeof(slots[0]));
	}
	ferry_secret_free(keymat);
	ferry_secret_free(seed);
	if (st != CRYPTO_OK)
		crypto_child_keys_clear(out);
	return st;
}

void
crypto_child_keys_clear(CryptoChildKeys *keys)
{
	FerrySecret **all[] = {&keys->enc_i, &keys->integ_i, &keys->enc_r, &keys->integ_r};

	for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++) {
		ferry_secret_free(*all[i]);
		*all[i] = NULL;
	}
}
