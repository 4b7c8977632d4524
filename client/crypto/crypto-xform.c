/* crypto-xform.c - AEAD, cipher+integrity and integrity-only transforms for IKE SK, ESP and AH
 * over GnuTLS (RFC 4106, RFC 5282, RFC 7634, RFC 3602, RFC 4868, RFC 4302) */
#include <stdlib.h>
#include <string.h>

#include <gnutls/crypto.h>

#include "crypto-xform.h"
#include "ferry-secret.h"
#include "ike-registry.h"

#define AEAD_SALT_LEN  4 /* RFC 4106 §4, RFC 7634 §2 */
#define AEAD_IV_LEN    8 /* RFC 4106 §3.1, RFC 7634 §2 */
#define AEAD_NONCE_LEN (AEAD_SALT_LEN + AEAD_IV_LEN)
#define AES_BLOCK      16
#define MAC_MAX_OUTPUT 64

typedef enum {
	MODE_NONE, /* integrity only: AH (RFC 4302 §2.6) */
	MODE_CBC,
	MODE_GCM,
	MODE_CHACHA_POLY,
} EncrMode;

typedef struct {
	uint16_t encr_id;
	EncrMode mode;
	size_t icv_len; /* AEAD tag length */
} EncrInfo;

static const EncrInfo encr_table[] = {
	{IKE_ENCR_AES_CBC,           MODE_CBC,         0 },
	{IKE_ENCR_AES_GCM_8,         MODE_GCM,         8 },
	{IKE_ENCR_AES_GCM_12,        MODE_GCM,         12},
	{IKE_ENCR_AES_GCM_16,        MODE_GCM,         16},
	{IKE_ENCR_CHACHA20_POLY1305, MODE_CHACHA_POLY, 16},
};

typedef struct {
	uint16_t integ_id;
	gnutls_mac_algorithm_t mac;
	size_t key_len;
	size_t icv_len; /* truncation: RFC 2404, RFC 4868 §2.3 */
} IntegInfo;

static const IntegInfo integ_table[] = {
	{IKE_INTEG_HMAC_SHA1_96,      GNUTLS_MAC_SHA1,   20, 12},
	{IKE_INTEG_HMAC_SHA2_256_128, GNUTLS_MAC_SHA256, 32, 16},
	{IKE_INTEG_HMAC_SHA2_384_192, GNUTLS_MAC_SHA384, 48, 24},
	{IKE_INTEG_HMAC_SHA2_512_256, GNUTLS_MAC_SHA512, 64, 32},
};

struct CryptoXform {
	CryptoXformSizes sizes;
	EncrMode mode;
	/* owned (GnuTLS wipes their key schedules on deinit) */
	gnutls_aead_cipher_hd_t aead;
	gnutls_cipher_hd_t cipher;
	gnutls_hmac_hd_t hmac;
	/* secret */
	uint8_t salt[AEAD_SALT_LEN];
};

static const EncrInfo *
find_encr(uint16_t encr_id)
{
	for (size_t i = 0; i < sizeof(encr_table) / sizeof(encr_table[0]); i++) {
		if (encr_table[i].encr_id == encr_id)
			return &encr_table[i];
	}
	return NULL;
}

static const IntegInfo *
find_integ(uint16_t integ_id)
{
	for (size_t i = 0; i < sizeof(integ_table) / sizeof(integ_table[0]); i++) {
		if (integ_table[i].integ_id == integ_id)
			return &integ_table[i];
	}
	return NULL;
}

static gnutls_cipher_algorithm_t
pick_cipher(EncrMode mode, uint16_t key_bits)
{
	static const gnutls_cipher_algorithm_t cbc[] = {
		GNUTLS_CIPHER_AES_128_CBC, GNUTLS_CIPHER_AES_192_CBC, GNUTLS_CIPHER_AES_256_CBC};
	static const gnutls_cipher_algorithm_t gcm[] = {
		GNUTLS_CIPHER_AES_128_GCM, GNUTLS_CIPHER_AES_192_GCM, GNUTLS_CIPHER_AES_256_GCM};
	int idx;

	if (mode == MODE_CHACHA_POLY) {
		/* RFC 7634 §2: a 256-bit key; the Key Length attribute is not sent. */
		return key_bits == 0 || key_bits == 256 ? GNUTLS_CIPHER_CHACHA20_POLY1305
		                                        : GNUTLS_CIPHER_UNKNOWN;
	}
	switch (key_bits) {
	case 128:
		idx = 0;
		break;
	case 192:
		idx = 1;
		break;
	case 256:
		idx = 2;
		break;
	default:
		return GNUTLS_CIPHER_UNKNOWN;
	}
	return mode == MODE_CBC ? cbc[idx] : gcm[idx];
}

/* RFC 4302 §2.6, RFC 7296 §3.3.3: an AH proposal has an integrity transform and no ENCR. */
static CryptoStatus
integ_only_sizes(const CryptoXformAlg *alg, CryptoXformSizes *out)
{
	const IntegInfo *integ = find_integ(alg->integ_id);

	if (!integ || alg->key_bits != 0)
		return CRYPTO_ERR_UNSUPPORTED;
	memset(out, 0, sizeof(*out));
	out->integ_key_len = integ->key_len;
	out->block_size = 1;
	out->icv_len = integ->icv_len;
	return CRYPTO_OK;
}

CryptoStatus
crypto_xform_sizes(const CryptoXformAlg *alg, CryptoXformSizes *out)
{
	const EncrInfo *encr = find_encr(alg->encr_id);
	const IntegInfo *integ = NULL;
	size_t key_len;

	if (alg->encr_id == CRYPTO_XFORM_ENCR_NONE)
		return integ_only_sizes(alg, out);
	if (!encr || pick_cipher(encr->mode, alg->key_bits) == GNUTLS_CIPHER_UNKNOWN)
		return CRYPTO_ERR_UNSUPPORTED;
	key_len = encr->mode == MODE_CHACHA_POLY ? 32 : alg->key_bits / 8u;
	memset(out, 0, sizeof(*out));
	if (encr->mode == MODE_CBC) {
		/* RFC 3602 with an integrity algorithm; encryption without integrity is refused. */
		integ = find_integ(alg->integ_id);
		if (!integ)
			return CRYPTO_ERR_UNSUPPORTED;
		out->enc_key_len = key_len;
		out->integ_key_len = integ->key_len;
		out->iv_len = AES_BLOCK;
		out->block_size = AES_BLOCK;
		out->icv_len = integ->icv_len;
		out->aead = false;
		return CRYPTO_OK;
	}
	/* RFC 7296 §3.3.4 / RFC 5282 §8: an AEAD proposal carries no integrity transform. */
	if (alg->integ_id != IKE_INTEG_NONE)
		return CRYPTO_ERR_UNSUPPORTED;
	out->enc_key_len = key_len + AEAD_SALT_LEN;
	out->iv_len = AEAD_IV_LEN;
	out->block_size = 1;
	out->icv_len = encr->icv_len;
	out->aead = true;
	return CRYPTO_OK;
}

bool
crypto_xform_supported(const CryptoXformAlg *alg)
{
	CryptoXformSizes sizes;

	return crypto_xform_sizes(alg, &sizes) == CRYPTO_OK;
}

static CryptoStatus
init_handles(CryptoXform *x,
             const CryptoXformAlg *alg,
             const uint8_t *enc_key,
             const uint8_t *integ_key)
{
	gnutls_cipher_algorithm_t cipher = pick_cipher(x->mode, alg->key_bits);
	size_t cipher_key_len = x->sizes.enc_key_len;
	gnutls_datum_t key;

	if (x->sizes.aead) {
		/* The salt is the key material's last four octets (RFC 4106 §8.1, RFC 7634 §3). */
		cipher_key_len -= AEAD_SALT_LEN;
		memcpy(x->salt, enc_key + cipher_key_len, AEAD_SALT_LEN);
	}
	key.data = (unsigned char *)enc_key;
	key.size = (unsigned)cipher_key_len;
	if (x->mode == MODE_NONE)
		return gnutls_hmac_init(&x->hmac, find_integ(alg->integ_id)->mac, integ_key,
		                        x->sizes.integ_key_len) < 0
		               ? CRYPTO_ERR_BACKEND
		               : CRYPTO_OK;
	if (x->sizes.aead)
		return gnutls_aead_cipher_init(&x->aead, cipher, &key) < 0 ? CRYPTO_ERR_BACKEND
		                                                           : CRYPTO_OK;
	if (gnutls_cipher_init(&x->cipher, cipher, &key, NULL) < 0)
		return CRYPTO_ERR_BACKEND;
	if (gnutls_hmac_init(&x->hmac, find_integ(alg->integ_id)->mac, integ_key,
	                     x->sizes.integ_key_len) < 0)
		return CRYPTO_ERR_BACKEND;
	return CRYPTO_OK;
}

CryptoStatus
crypto_xform_new(const CryptoXformAlg *alg,
                 const uint8_t *enc_key,
                 size_t enc_key_len,
                 const uint8_t *integ_key,
                 size_t integ_key_len,
                 CryptoXform **out)
{
	CryptoXform *x;
	CryptoStatus st;

	*out = NULL;
	x = calloc(1, sizeof(*x));
	if (!x)
		return CRYPTO_ERR_NOMEM;
	st = crypto_xform_sizes(alg, &x->sizes);
	if (st == CRYPTO_OK &&
	    (enc_key_len != x->sizes.enc_key_len || integ_key_len != x->sizes.integ_key_len))
		st = CRYPTO_ERR_KEY_LENGTH;
	if (st == CRYPTO_OK) {
		x->mode = alg->encr_id == CRYPTO_XFORM_ENCR_NONE ? MODE_NONE
		                                                 : find_encr(alg->encr_id)->mode;
		st = init_handles(x, alg, enc_key, integ_key);
	}
	if (st != CRYPTO_OK) {
		crypto_xform_free(x);
		return st;
	}
	*out = x;
	return CRYPTO_OK;
}

void
crypto_xform_free(CryptoXform *x)
{
	if (!x)
		return;
	if (x->aead)
		gnutls_aead_cipher_deinit(x->aead);
	if (x->cipher)
		gnutls_cipher_deinit(x->cipher);
	if (x->hmac)
		gnutls_hmac_deinit(x->hmac, NULL);
	ferry_wipe(x, sizeof(*x));
	free(x);
}

const CryptoXformSizes *
crypto_xform_get_sizes(const CryptoXform *x)
{
	return &x->sizes;
}

static void
build_nonce(const CryptoXform *x, const uint8_t *iv, uint8_t nonce[AEAD_NONCE_LEN])
{
	memcpy(nonce, x->salt, AEAD_SALT_LEN);
	memcpy(nonce + AEAD_SALT_LEN, iv, AEAD_IV_LEN);
}

static CryptoStatus
seal_aead(CryptoXform *x,
          const uint8_t *aad,
          size_t aad_len,
          const uint8_t *iv,
          uint8_t *data,
          size_t len,
          uint8_t *icv)
{
	uint8_t nonce[AEAD_NONCE_LEN];
	giovec_t auth = {.iov_base = (void *)aad, .iov_len = aad_len};
	giovec_t text = {.iov_base = data, .iov_len = len};
	size_t tag_len = x->sizes.icv_len;
	int rc;

	build_nonce(x, iv, nonce);
	rc = gnutls_aead_cipher_encryptv2(x->aead, nonce, sizeof(nonce), &auth, aad_len ? 1 : 0,
	                                  &text, len ? 1 : 0, icv, &tag_len);
	ferry_wipe(nonce, sizeof(nonce));
	return rc < 0 || tag_len != x->sizes.icv_len ? CRYPTO_ERR_BACKEND : CRYPTO_OK;
}

static CryptoStatus
open_aead(CryptoXform *x,
          const uint8_t *aad,
          size_t aad_len,
          const uint8_t *iv,
          uint8_t *data,
          size_t len,
          const uint8_t *icv)
{
	uint8_t nonce[AEAD_NONCE_LEN];
	uint8_t scratch_tag[16];
	size_t scratch_len = x->sizes.icv_len;
	giovec_t auth = {.iov_base = (void *)aad, .iov_len = aad_len};
	giovec_t text = {.iov_base = data, .iov_len = len};
	CryptoStatus st = CRYPTO_OK;
	int rc;

	build_nonce(x, iv, nonce);
	rc = gnutls_aead_cipher_decryptv2(x->aead, nonce, sizeof(nonce), &auth, aad_len ? 1 : 0,
	                                  &text, len ? 1 : 0, (void *)icv, x->sizes.icv_len);
	if (rc == GNUTLS_E_DECRYPTION_FAILED) {
		/* GnuTLS 3.7 decrypts the iovec in place before it compares the tag.  GCM and
		 * ChaCha20 are stream modes, so encrypting again under the same nonce restores
		 * the peer's ciphertext exactly; the tag computed on the way is discarded. */
		(void)gnutls_aead_cipher_encryptv2(x->aead, nonce, sizeof(nonce), &auth,
		                                   aad_len ? 1 : 0, &text, len ? 1 : 0, scratch_tag,
		                                   &scratch_len);
		ferry_wipe(scratch_tag, sizeof(scratch_tag));
		st = CRYPTO_ERR_AUTH;
	} else if (rc < 0) {
		st = CRYPTO_ERR_BACKEND;
	}
	ferry_wipe(nonce, sizeof(nonce));
	return st;
}

/* Full HMAC over aad | iv | data | extra into digest (the caller truncates). */
static CryptoStatus
compute_mac(CryptoXform *x,
            const uint8_t *aad,
            size_t aad_len,
            const uint8_t *iv,
            const uint8_t *data,
            size_t len,
            const uint8_t *extra,
            size_t extra_len,
            uint8_t digest[MAC_MAX_OUTPUT])
{
	const uint8_t *piece[] = {aad, iv, data, extra};
	size_t piece_len[] = {aad_len, x->sizes.iv_len, len, extra_len};
	bool failed = false;

	for (size_t i = 0; i < 4; i++) {
		if (piece_len[i] && gnutls_hmac(x->hmac, piece[i], piece_len[i]) < 0)
			failed = true;
	}
	/* Output also resets the handle for the next packet, even after a failure. */
	gnutls_hmac_output(x->hmac, digest);
	return failed ? CRYPTO_ERR_BACKEND : CRYPTO_OK;
}

static CryptoStatus
seal_cbc(CryptoXform *x,
         const uint8_t *aad,
         size_t aad_len,
         const uint8_t *iv,
         uint8_t *data,
         size_t len,
         const uint8_t *extra,
         size_t extra_len,
         uint8_t *icv)
{
	uint8_t digest[MAC_MAX_OUTPUT];
	CryptoStatus st;

	if (x->cipher) {
		gnutls_cipher_set_iv(x->cipher, (void *)iv, AES_BLOCK);
		if (len && gnutls_cipher_encrypt2(x->cipher, data, len, data, len) < 0)
			return CRYPTO_ERR_BACKEND;
	}
	st = compute_mac(x, aad, aad_len, iv, data, len, extra, extra_len, digest);
	if (st == CRYPTO_OK)
		memcpy(icv, digest, x->sizes.icv_len);
	ferry_wipe(digest, sizeof(digest));
	return st;
}

static CryptoStatus
open_cbc(CryptoXform *x,
         const uint8_t *aad,
         size_t aad_len,
         const uint8_t *iv,
         uint8_t *data,
         size_t len,
         const uint8_t *extra,
         size_t extra_len,
         const uint8_t *icv)
{
	uint8_t digest[MAC_MAX_OUTPUT];
	CryptoStatus st;

	/* Encrypt-then-MAC: the ICV is checked before a single block is decrypted. */
	st = compute_mac(x, aad, aad_len, iv, data, len, extra, extra_len, digest);
	if (st == CRYPTO_OK && gnutls_memcmp(digest, icv, x->sizes.icv_len) != 0)
		st = CRYPTO_ERR_AUTH;
	ferry_wipe(digest, sizeof(digest));
	if (st != CRYPTO_OK || !x->cipher)
		return st;
	gnutls_cipher_set_iv(x->cipher, (void *)iv, AES_BLOCK);
	if (len && gnutls_cipher_decrypt2(x->cipher, data, len, data, len) < 0)
		return CRYPTO_ERR_BACKEND;
	return CRYPTO_OK;
}

CryptoStatus
crypto_xform_seal(CryptoXform *x,
                  const uint8_t *aad,
                  size_t aad_len,
                  const uint8_t *iv,
                  uint8_t *data,
                  size_t len,
                  const uint8_t *extra,
                  size_t extra_len,
                  uint8_t *icv)
{
	if (len % x->sizes.block_size != 0)
		return CRYPTO_ERR_LENGTH;
	if (x->sizes.aead) {
		/* AEAD callers fold everything authenticated into `aad` (RFC 4106 §5). */
		if (extra_len != 0)
			return CRYPTO_ERR_LENGTH;
		return seal_aead(x, aad, aad_len, iv, data, len, icv);
	}
	return seal_cbc(x, aad, aad_len, iv, data, len, extra, extra_len, icv);
}

CryptoStatus
crypto_xform_open(CryptoXform *x,
                  const uint8_t *aad,
                  size_t aad_len,
                  const uint8_t *iv,
                  uint8_t *data,
                  size_t len,
                  const uint8_t *extra,
                  size_t extra_len,
                  const uint8_t *icv)
{
	if (len % x->sizes.block_size != 0)
		return CRYPTO_ERR_LENGTH;
	if (x->sizes.aead) {
		if (extra_len != 0)
			return CRYPTO_ERR_LENGTH;
		return open_aead(x, aad, aad_len, iv, data, len, icv);
	}
	return open_cbc(x, aad, aad_len, iv, data, len, extra, extra_len, icv);
}
