/* test-crypto-prf.c - IKEv2 PRFs and prf+ (RFC 7296 §2.13) */
#include <string.h>

#include <gnutls/crypto.h>

#include "crypto-prf.h"
#include "ferry-test.h"
#include "ike-registry.h"
#include "kat-crypto.h"

typedef struct {
	const char *name;
	uint16_t prf_id;
	gnutls_mac_algorithm_t mac;
	size_t size;
} PrfCase;

static const PrfCase prf_cases[] = {
	{"hmac-sha1",     IKE_PRF_HMAC_SHA1,     GNUTLS_MAC_SHA1,   20},
	{"hmac-sha2-256", IKE_PRF_HMAC_SHA2_256, GNUTLS_MAC_SHA256, 32},
	{"hmac-sha2-384", IKE_PRF_HMAC_SHA2_384, GNUTLS_MAC_SHA384, 48},
	{"hmac-sha2-512", IKE_PRF_HMAC_SHA2_512, GNUTLS_MAC_SHA512, 64},
};

/* prf+ against the RFC 7296 §2.13 construction computed here with gnutls_hmac_fast(). */
static void
test_prf_plus_structure(gconstpointer data)
{
	const PrfCase *c = data;
	guint8 key[40], seed[50];
	const size_t lens[] = {1, c->size - 1, c->size, c->size + 1, 3 * c->size + 5};

	for (size_t i = 0; i < sizeof(key); i++)
		key[i] = (guint8)(0x40 + i);
	for (size_t i = 0; i < sizeof(seed); i++)
		seed[i] = (guint8)(0xa0 ^ i);
	g_assert_cmpuint(crypto_prf_output_size(c->prf_id), ==, c->size);
	g_assert_cmpuint(crypto_prf_key_size(c->prf_id), ==, c->size);

	for (size_t l = 0; l < G_N_ELEMENTS(lens); l++) {
		size_t want_len = lens[l];
		g_autofree guint8 *want = g_malloc0(want_len + c->size);
		g_autofree guint8 *got = g_malloc0(want_len);
		guint8 t[64], input[64 + sizeof(seed) + 1];
		size_t t_len = 0, done = 0;

		for (guint8 n = 1; done < want_len; n++) {
			memcpy(input, t, t_len);
			memcpy(input + t_len, seed, sizeof(seed));
			input[t_len + sizeof(seed)] = n;
			g_assert_cmpint(gnutls_hmac_fast(c->mac, key, sizeof(key), input,
			                                 t_len + sizeof(seed) + 1, t),
			                ==, 0);
			t_len = c->size;
			memcpy(want + done, t, c->size);
			done += c->size;
		}
		g_assert_cmpint(crypto_prf_plus(c->prf_id, key, sizeof(key), seed, sizeof(seed),
		                                got, want_len),
		                ==, CRYPTO_OK);
		g_assert_cmpmem(got, want_len, want, want_len);
	}
}

/* RFC 7296 §2.13: the counter is one octet, so at most 255 blocks. */
static void
test_prf_plus_limit(void)
{
	const uint16_t id = IKE_PRF_HMAC_SHA2_256;
	size_t max = 255 * crypto_prf_output_size(id);
	g_autofree guint8 *out = g_malloc0(max + 1);
	guint8 key[32] = {1}, seed[16] = {2};

	g_assert_cmpint(crypto_prf_plus(id, key, sizeof(key), seed, sizeof(seed), out, max), ==,
	                CRYPTO_OK);
	g_assert_cmpint(crypto_prf_plus(id, key, sizeof(key), seed, sizeof(seed), out, max + 1), ==,
	                CRYPTO_ERR_LENGTH);
}

/* Feeding the data in pieces gives the same value as one contiguous buffer. */
static void
test_prf_pieces(void)
{
	static const guint8 msg[] = "what do ya want for nothing?";
	const uint8_t *piece[] = {msg, msg + 5, msg + 5, msg + 11};
	const size_t piece_len[] = {5, 0, 6, sizeof(msg) - 1 - 11};
	guint8 one[32], many[32];

	g_assert_cmpint(crypto_prf1(IKE_PRF_HMAC_SHA2_256, (const guint8 *)"Jefe", 4, msg,
	                            sizeof(msg) - 1, one),
	                ==, CRYPTO_OK);
	g_assert_cmpint(crypto_prf(IKE_PRF_HMAC_SHA2_256, (const guint8 *)"Jefe", 4, piece,
	                           piece_len, G_N_ELEMENTS(piece), many),
	                ==, CRYPTO_OK);
	g_assert_cmpmem(one, sizeof(one), many, sizeof(many));
}

static void
test_prf_unsupported(void)
{
	guint8 out[64], key[16] = {0};

	g_assert_false(crypto_prf_supported(IKE_PRF_HMAC_MD5));
	g_assert_false(crypto_prf_supported(IKE_PRF_AES128_XCBC));
	g_assert_false(crypto_prf_supported(0));
	g_assert_cmpuint(crypto_prf_output_size(IKE_PRF_HMAC_MD5), ==, 0);
	g_assert_cmpint(crypto_prf1(IKE_PRF_HMAC_MD5, key, sizeof(key), key, 1, out), ==,
	                CRYPTO_ERR_UNSUPPORTED);
	g_assert_cmpint(crypto_prf_plus(IKE_PRF_AES128_XCBC, key, sizeof(key), key, 1, out, 16), ==,
	                CRYPTO_ERR_UNSUPPORTED);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);

	kat_rfc4231_register();
	kat_rfc4868_register();
	kat_rfc4615_register();
	for (gsize i = 0; i < G_N_ELEMENTS(prf_cases); i++) {
		g_autofree char *path =
			g_strdup_printf("/ferry/crypto/prf/plus-structure/%s", prf_cases[i].name);
		g_test_add_data_func(path, &prf_cases[i], test_prf_plus_structure);
	}
	g_test_add_func("/ferry/crypto/prf/plus-limit", test_prf_plus_limit);
	g_test_add_func("/ferry/crypto/prf/pieces", test_prf_pieces);
	g_test_add_func("/ferry/crypto/prf/unsupported", test_prf_unsupported);
	return g_test_run();
}
