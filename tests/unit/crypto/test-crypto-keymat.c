/* test-crypto-keymat.c - SKEYSEED, IKE and Child SA keys (RFC 7296 §2.14, §2.17, §2.18) and the
 * shared-key AUTH value (RFC 7296 §2.15), each against an independent computation here */
#include <string.h>

#include <gnutls/crypto.h>

#include "crypto-auth.h"
#include "crypto-keymat.h"
#include "crypto-prf.h"
#include "ferry-test.h"
#include "ike-registry.h"

typedef struct {
	const char *name;
	uint16_t prf_id;
	gnutls_mac_algorithm_t mac;
	size_t prf_len;
	size_t integ_len;
	size_t enc_len;
} KeymatCase;

static const KeymatCase keymat_cases[] = {
	{"sha256-aes128gcm16",   IKE_PRF_HMAC_SHA2_256, GNUTLS_MAC_SHA256,       32, 0,  20},
	{"sha256-aes256-sha256", IKE_PRF_HMAC_SHA2_256, GNUTLS_MAC_SHA256,       32, 32, 32},
	{"sha384-aes256-sha384", IKE_PRF_HMAC_SHA2_384, GNUTLS_MAC_SHA384,       48, 48, 32},
	{"sha512-aes256gcm16",   IKE_PRF_HMAC_SHA2_512, GNUTLS_MAC_SHA512,       64, 0,  36},
	{"sha1-aes128-sha1",     IKE_PRF_HMAC_SHA1,     GNUTLS_MAC_SHA1,         20, 20, 16},
	{"cmac-aes128-sha256",   IKE_PRF_AES128_CMAC,   GNUTLS_MAC_AES_CMAC_128, 16, 32, 16},
};

static void
fill(guint8 *p, gsize len, guint8 seed)
{
	for (gsize i = 0; i < len; i++)
		p[i] = (guint8)(seed * 31 + i * 13);
}

static void
assert_key(const FerrySecret *key, const guint8 *want, gsize len)
{
	if (len == 0) {
		g_assert_null(key);
		return;
	}
	g_assert_nonnull(key);
	g_assert_cmpmem(key->data, key->len, want, len);
}

/* Split `stream` in the RFC 7296 §2.14 order and compare with the derived keys. */
static void
assert_ike_keys(const KeymatCase *c, const CryptoIkeKeys *k, const guint8 *stream)
{
	const guint8 *p = stream;

	assert_key(k->sk_d, p, c->prf_len), p += c->prf_len;
	assert_key(k->sk_ai, p, c->integ_len), p += c->integ_len;
	assert_key(k->sk_ar, p, c->integ_len), p += c->integ_len;
	assert_key(k->sk_ei, p, c->enc_len), p += c->enc_len;
	assert_key(k->sk_er, p, c->enc_len), p += c->enc_len;
	assert_key(k->sk_pi, p, c->prf_len), p += c->prf_len;
	assert_key(k->sk_pr, p, c->prf_len);
}

static void
test_keymat_ike(gconstpointer data)
{
	const KeymatCase *c = data;
	guint8 ni[32], nr[48], g[256], key[80], skeyseed[64], seed[32 + 48 + 16];
	const guint64 spi_i = G_GUINT64_CONSTANT(0x0102030405060708);
	const guint64 spi_r = G_GUINT64_CONSTANT(0xa1b2c3d4e5f60718);
	gsize total = 3 * c->prf_len + 2 * c->integ_len + 2 * c->enc_len;
	g_autofree guint8 *stream = g_malloc(total);
	FerrySecret *shared;
	CryptoIkeKeys keys;
	gsize key_len;

	fill(ni, sizeof(ni), 1);
	fill(nr, sizeof(nr), 2);
	fill(g, sizeof(g), 3);
	shared = ferry_secret_new_from(g, sizeof(g));

	/* SKEYSEED = prf(Ni | Nr, g^ir); AES-CMAC keys with 64 bits of each nonce. */
	if (c->prf_id == IKE_PRF_AES128_CMAC) {
		memcpy(key, ni, 8);
		memcpy(key + 8, nr, 8);
		key_len = 16;
	} else {
		memcpy(key, ni, sizeof(ni));
		memcpy(key + sizeof(ni), nr, sizeof(nr));
		key_len = sizeof(ni) + sizeof(nr);
	}
	g_assert_cmpint(gnutls_hmac_fast(c->mac, key, key_len, g, sizeof(g), skeyseed), ==, 0);
	/* prf+(SKEYSEED, Ni | Nr | SPIi | SPIr) */
	memcpy(seed, ni, sizeof(ni));
	memcpy(seed + sizeof(ni), nr, sizeof(nr));
	ferry_put_be64(seed + sizeof(ni) + sizeof(nr), spi_i);
	ferry_put_be64(seed + sizeof(ni) + sizeof(nr) + 8, spi_r);
	g_assert_cmpint(
		crypto_prf_plus(c->prf_id, skeyseed, c->prf_len, seed, sizeof(seed), stream, total),
		==, CRYPTO_OK);

	g_assert_cmpint(crypto_keymat_ike(c->prf_id, shared, ni, sizeof(ni), nr, sizeof(nr), spi_i,
	                                  spi_r, c->integ_len, c->enc_len, &keys),
	                ==, CRYPTO_OK);
	assert_ike_keys(c, &keys, stream);

	/* Rekey (§2.18): SKEYSEED = prf(SK_d (old), g^ir (new) | Ni | Nr). */
	{
		g_autofree guint8 *in = g_malloc(sizeof(g) + sizeof(ni) + sizeof(nr));
		CryptoIkeKeys rekeyed;

		memcpy(in, g, sizeof(g));
		memcpy(in + sizeof(g), ni, sizeof(ni));
		memcpy(in + sizeof(g) + sizeof(ni), nr, sizeof(nr));
		g_assert_cmpint(gnutls_hmac_fast(c->mac, keys.sk_d->data, keys.sk_d->len, in,
		                                 sizeof(g) + sizeof(ni) + sizeof(nr), skeyseed),
		                ==, 0);
		g_assert_cmpint(crypto_prf_plus(c->prf_id, skeyseed, c->prf_len, seed, sizeof(seed),
		                                stream, total),
		                ==, CRYPTO_OK);
		g_assert_cmpint(crypto_keymat_ike_rekey(c->prf_id, keys.sk_d, shared, ni,
		                                        sizeof(ni), nr, sizeof(nr), spi_i, spi_r,
		                                        c->integ_len, c->enc_len, &rekeyed),
		                ==, CRYPTO_OK);
		assert_ike_keys(c, &rekeyed, stream);
		crypto_ike_keys_clear(&rekeyed);
	}

	crypto_ike_keys_clear(&keys);
	g_assert_null(keys.sk_d);
	g_assert_null(keys.sk_pr);
	ferry_secret_free(shared);
}

/* §2.17: KEYMAT = prf+(SK_d, [g^ir |] Ni | Nr), taken as encr_i, integ_i, encr_r, integ_r. */
static void
test_keymat_child(gconstpointer data)
{
	const KeymatCase *c = data;
	guint8 sk_d_raw[64], ni[16], nr[256], g[32];
	gsize total = 2 * (c->enc_len + c->integ_len);
	g_autofree guint8 *stream = g_malloc(total);
	guint8 seed[32 + 16 + 256];
	FerrySecret *sk_d, *shared;

	fill(sk_d_raw, sizeof(sk_d_raw), 4);
	fill(ni, sizeof(ni), 5);
	fill(nr, sizeof(nr), 6);
	fill(g, sizeof(g), 7);
	sk_d = ferry_secret_new_from(sk_d_raw, c->prf_len);
	shared = ferry_secret_new_from(g, sizeof(g));
	memcpy(seed, g, sizeof(g));
	memcpy(seed + sizeof(g), ni, sizeof(ni));
	memcpy(seed + sizeof(g) + sizeof(ni), nr, sizeof(nr));

	for (int pfs = 0; pfs < 2; pfs++) {
		const guint8 *s = pfs ? seed : seed + sizeof(g);
		gsize s_len = sizeof(seed) - (pfs ? 0 : sizeof(g));
		CryptoChildKeys keys;
		const guint8 *p = stream;

		g_assert_cmpint(
			crypto_prf_plus(c->prf_id, sk_d->data, sk_d->len, s, s_len, stream, total),
			==, CRYPTO_OK);
		g_assert_cmpint(crypto_keymat_child(c->prf_id, sk_d, pfs ? shared : NULL, ni,
		                                    sizeof(ni), nr, sizeof(nr), c->enc_len,
		                                    c->integ_len, &keys),
		                ==, CRYPTO_OK);
		assert_key(keys.enc_i, p, c->enc_len), p += c->enc_len;
		assert_key(keys.integ_i, p, c->integ_len), p += c->integ_len;
		assert_key(keys.enc_r, p, c->enc_len), p += c->enc_len;
		assert_key(keys.integ_r, p, c->integ_len);
		crypto_child_keys_clear(&keys);
		g_assert_null(keys.enc_i);
	}
	ferry_secret_free(shared);
	ferry_secret_free(sk_d);
}

/* RFC 7296 §3.9: nonces are 16 to 256 octets. */
static void
test_keymat_nonce_limits(void)
{
	guint8 n[257] = {0};
	FerrySecret *g = ferry_secret_new(32);
	CryptoIkeKeys keys;
	CryptoChildKeys child;

	g_assert_cmpint(
		crypto_keymat_ike(IKE_PRF_HMAC_SHA2_256, g, n, 15, n, 16, 1, 2, 0, 20, &keys), ==,
		CRYPTO_ERR_LENGTH);
	g_assert_cmpint(
		crypto_keymat_ike(IKE_PRF_HMAC_SHA2_256, g, n, 16, n, 257, 1, 2, 0, 20, &keys), ==,
		CRYPTO_ERR_LENGTH);
	g_assert_null(keys.sk_d);
	g_assert_cmpint(crypto_keymat_ike(IKE_PRF_HMAC_MD5, g, n, 16, n, 16, 1, 2, 0, 20, &keys),
	                ==, CRYPTO_ERR_UNSUPPORTED);
	g_assert_cmpint(
		crypto_keymat_child(IKE_PRF_HMAC_SHA2_256, g, NULL, n, 16, n, 8, 20, 0, &child), ==,
		CRYPTO_ERR_LENGTH);
	g_assert_cmpint(
		crypto_keymat_ike(IKE_PRF_HMAC_SHA2_256, g, n, 256, n, 256, 1, 2, 0, 20, &keys), ==,
		CRYPTO_OK);
	crypto_ike_keys_clear(&keys);
	ferry_secret_free(g);
}

/* AUTH = prf(prf(Shared Secret, "Key Pad for IKEv2"), <SignedOctets>), computed here with
 * gnutls_hmac_fast() from the RFC 7296 §2.15 formula. */
static void
test_auth_psk(gconstpointer data)
{
	const KeymatCase *c = data;
	static const char pad[] = "Key Pad for IKEv2";
	static const guint8 message[] = "IKE_SA_INIT request bytes";
	static const guint8 id_body[] = {IKE_ID_FQDN, 0, 0, 0, 'v', 'p', 'n', '.', 'e', 'x'};
	guint8 nonce[32], sk_p_raw[64], inner[64], want[64], got[64], prf_id[64];
	FerrySecret *psk = ferry_secret_new_from_string("correct horse battery staple");
	FerrySecret *sk_p;
	guint8 *octets = NULL;
	gsize octets_len = 0;

	fill(nonce, sizeof(nonce), 8);
	fill(sk_p_raw, sizeof(sk_p_raw), 9);
	sk_p = ferry_secret_new_from(sk_p_raw, c->prf_len);

	g_assert_cmpint(crypto_auth_signed_octets(c->prf_id, message, sizeof(message), nonce,
	                                          sizeof(nonce), sk_p, id_body, sizeof(id_body),
	                                          &octets, &octets_len),
	                ==, CRYPTO_OK);
	/* RealMessage | NonceData | prf(SK_p, IDx') */
	g_assert_cmpuint(octets_len, ==, sizeof(message) + sizeof(nonce) + c->prf_len);
	g_assert_cmpmem(octets, sizeof(message), message, sizeof(message));
	g_assert_cmpmem(octets + sizeof(message), sizeof(nonce), nonce, sizeof(nonce));
	g_assert_cmpint(
		gnutls_hmac_fast(c->mac, sk_p->data, sk_p->len, id_body, sizeof(id_body), prf_id),
		==, 0);
	g_assert_cmpmem(octets + sizeof(message) + sizeof(nonce), c->prf_len, prf_id, c->prf_len);

	g_assert_cmpint(gnutls_hmac_fast(c->mac, psk->data, psk->len, pad, strlen(pad), inner), ==,
	                0);
	g_assert_cmpint(gnutls_hmac_fast(c->mac, inner, c->prf_len, octets, octets_len, want), ==,
	                0);
	g_assert_cmpint(crypto_auth_psk(c->prf_id, psk, octets, octets_len, got), ==, CRYPTO_OK);
	g_assert_cmpmem(got, c->prf_len, want, c->prf_len);

	free(octets);
	ferry_secret_free(sk_p);
	ferry_secret_free(psk);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);

	for (gsize i = 0; i < G_N_ELEMENTS(keymat_cases); i++) {
		const KeymatCase *c = &keymat_cases[i];
		g_autofree char *ike = g_strdup_printf("/ferry/crypto/keymat/ike/%s", c->name);
		g_autofree char *child = g_strdup_printf("/ferry/crypto/keymat/child/%s", c->name);
		g_autofree char *auth = g_strdup_printf("/ferry/crypto/auth/psk/%s", c->name);

		g_test_add_data_func(ike, c, test_keymat_ike);
		g_test_add_data_func(child, c, test_keymat_child);
		if (c->mac != GNUTLS_MAC_AES_CMAC_128)
			g_test_add_data_func(auth, c, test_auth_psk);
	}
	g_test_add_func("/ferry/crypto/keymat/nonce-limits", test_keymat_nonce_limits);
	return g_test_run();
}
