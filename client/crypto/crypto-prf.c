/* crypto-prf.c - the IKEv2 PRFs and prf+ over GnuTLS's MACs (RFC 7296 §2.13, RFC 4868, RFC 4615) */
#include <string.h>

#include <gnutls/crypto.h>

#include "crypto-prf.h"
#include "ferry-secret.h"
#include "ike-registry.h"

#define PRF_MAX_OUTPUT      64  /* HMAC-SHA2-512 */
#define PRF_PLUS_MAX_ROUNDS 255 /* RFC 7296 §2.13: the counter is one octet */
#define CMAC_KEY_SIZE       16

typedef struct {
	uint16_t prf_id;
	gnutls_mac_algorithm_t mac;
	size_t output_size;
	bool fixed_key; /* RFC 4615: keys of other sizes are first run through the PRF */
} PrfInfo;

static const PrfInfo prf_table[] = {
	{IKE_PRF_HMAC_SHA1,     GNUTLS_MAC_SHA1,         20, false},
	{IKE_PRF_HMAC_SHA2_256, GNUTLS_MAC_SHA256,       32, false},
	{IKE_PRF_HMAC_SHA2_384, GNUTLS_MAC_SHA384,       48, false},
	{IKE_PRF_HMAC_SHA2_512, GNUTLS_MAC_SHA512,       64, false},
	{IKE_PRF_AES128_CMAC,   GNUTLS_MAC_AES_CMAC_128, 16, true },
};

static const PrfInfo *
find_prf(uint16_t prf_id)
{
	for (size_t i = 0; i < sizeof(prf_table) / sizeof(prf_table[0]); i++) {
		if (prf_table[i].prf_id == prf_id)
			return &prf_table[i];
	}
	return NULL;
}

size_t
crypto_prf_output_size(uint16_t prf_id)
{
	const PrfInfo *info = find_prf(prf_id);

	return info ? info->output_size : 0;
}

size_t
crypto_prf_key_size(uint16_t prf_id)
{
	return crypto_prf_output_size(prf_id);
}

bool
crypto_prf_supported(uint16_t prf_id)
{
	return find_prf(prf_id) != NULL;
}

static CryptoStatus
run_mac(const PrfInfo *info,
        const uint8_t *key,
        size_t key_len,
        const uint8_t *const *data,
        const size_t *data_len,
        size_t n_data,
        uint8_t *out)
{
	gnutls_hmac_hd_t h;

	if (gnutls_hmac_init(&h, info->mac, key, key_len) < 0)
		return CRYPTO_ERR_BACKEND;
	for (size_t i = 0; i < n_data; i++) {
		if (data_len[i] == 0)
			continue;
		if (gnutls_hmac(h, data[i], data_len[i]) < 0) {
			gnutls_hmac_deinit(h, NULL);
			return CRYPTO_ERR_BACKEND;
		}
	}
	gnutls_hmac_deinit(h, out);
	return CRYPTO_OK;
}

CryptoStatus
crypto_prf(uint16_t prf_id,
           const uint8_t *key,
           size_t key_len,
           const uint8_t *const *data,
           const size_t *data_len,
           size_t n_data,
           uint8_t *out)
{
	const PrfInfo *info = find_prf(prf_id);
	uint8_t derived[CMAC_KEY_SIZE];
	CryptoStatus st;

	if (!info)
		return CRYPTO_ERR_UNSUPPORTED;
	if (!info->fixed_key || key_len == CMAC_KEY_SIZE)
		return run_mac(info, key, key_len, data, data_len, n_data, out);

	/* RFC 4615 §3: a key of any other length becomes AES-CMAC-128(0^128, key). */
	{
		static const uint8_t zero_key[CMAC_KEY_SIZE];
		const uint8_t *piece[] = {key};
		size_t piece_len[] = {key_len};

		st = run_mac(info, zero_key, sizeof(zero_key), piece, piece_len, 1, derived);
	}
	if (st == CRYPTO_OK)
		st = run_mac(info, derived, sizeof(derived), data, data_len, n_data, out);
	ferry_wipe(derived, sizeof(derived));
	return st;
}

CryptoStatus
crypto_prf1(uint16_t prf_id,
            const uint8_t *key,
            size_t key_len,
            const uint8_t *data,
            size_t data_len,
            uint8_t *out)
{
	const uint8_t *piece[] = {data};
	size_t piece_len[] = {data_len};

	return crypto_prf(prf_id, key, key_len, piece, piece_len, 1, out);
}

CryptoStatus
crypto_prf_plus(uint16_t prf_id,
                const uint8_t *key,
                size_t key_len,
                const uint8_t *seed,
                size_t seed_len,
                uint8_t *out,
                size_t out_len)
{
	size_t osize = crypto_prf_output_size(prf_id);
	uint8_t t[PRF_MAX_OUTPUT];
	size_t t_len = 0;
	uint8_t counter = 0x01;
	CryptoStatus st = CRYPTO_OK;
	size_t done = 0;

	if (osize == 0)
		return CRYPTO_ERR_UNSUPPORTED;
	if (out_len > PRF_PLUS_MAX_ROUNDS * osize)
		return CRYPTO_ERR_LENGTH;

	/* RFC 7296 §2.13: T1 = prf(K, S | 0x01), Tn = prf(K, Tn-1 | S | n). */
	while (done < out_len) {
		const uint8_t *piece[] = {t, seed, &counter};
		size_t piece_len[] = {t_len, seed_len, 1};
		size_t n;

		st = crypto_prf(prf_id, key, key_len, piece, piece_len, 3, t);
		if (st != CRYPTO_OK)
			break;
		t_len = osize;
		n = out_len - done < osize ? out_len - done : osize;
		memcpy(out + done, t, n);
		done += n;
		counter++;
	}
	ferry_wipe(t, sizeof(t));
	if (st != CRYPTO_OK)
		ferry_wipe(out, out_len);
	return st;
}
