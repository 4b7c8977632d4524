/* kat-rfc3602.c - RFC 3602 §4 AES-CBC test cases #1-#4 through crypto_xform (with an
 * HMAC-SHA2-256-128 ICV checked against gnutls_hmac_fast()) */
#include <string.h>

#include <gnutls/crypto.h>

#include "crypto-xform.h"
#include "ferry-test.h"
#include "ike-registry.h"
#include "kat-crypto.h"

typedef struct {
	const char *path;
	const char *key;
	const char *iv;
	const char *plain;
	const char *cipher;
} KatCbc;

/* clang-format off */
static const KatCbc rfc3602[] = {
	/* "Single block msg" */
	{
		.path = "/ferry/crypto/kat/rfc3602/case-1",
		.key = "06a9214036b8a15b512e03d534120006",
		.iv = "3dafba429d9eb430b422da802c9fac41",
		.plain = "53696e676c6520626c6f636b206d7367",
		.cipher = "e353779c1079aeb82708942dbe77181a",
	},
	{
		.path = "/ferry/crypto/kat/rfc3602/case-2",
		.key = "c286696d887c9aa0611bbb3e2025a45a",
		.iv = "562e17996d093d28ddb3ba695a2e6f58",
		.plain = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f",
		.cipher = "d296cd94c2cccf8a3a863028b5e1dc0a7586602d253cfff91b8266bea6d61ab1",
	},
	/* "This is a 48-byte message (exactly 3 AES blocks)" */
	{
		.path = "/ferry/crypto/kat/rfc3602/case-3",
		.key = "6c3ea0477630ce21a2ce334aa746c2cd",
		.iv = "c782dc4c098c66cbd9cd27d825682c81",
		.plain = "5468697320697320612034382d62797465206d657373616765202865786163746c7920332"
			"041455320"
			"626c6f636b7329",
		.cipher = "d0a02b3836451753d493665d33f0e8862dea54cdb293abc7506939276772f8d5021c1921"
			"6bad525c857969"
			"5d83ba2684",
	},
	{
		.path = "/ferry/crypto/kat/rfc3602/case-4",
		.key = "56e47a38c5598974bc46903dba290349",
		.iv = "8ce82eefbea0da3c44699ed7db51b7d9",
		.plain = "a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebfc0c1c2c3c"
			"4c5c6c7c8c9ca"
			"cbcccdcecfd0d1d2d3d4d5d6d7d8d9dadbdcdddedf",
		.cipher = "c30e32ffedc0774e6aff6af0869f71aa0f3af07a9a31a9c684db207eb0ef8e4e35907aa6"
			"32c3ffdf868bb7"
			"b29d3d46ad83ce9f9a102ee99d49a53e87f4c3da55",
	},
};
/* clang-format on */

static void
check_cbc(gconstpointer data)
{
	const KatCbc *v = data;
	CryptoXformAlg alg = {IKE_ENCR_AES_CBC, 128, IKE_INTEG_HMAC_SHA2_256_128};
	g_autofree guint8 *key = NULL, *iv = NULL, *plain = NULL, *cipher = NULL, *mac_in = NULL;
	gsize key_len, iv_len, plain_len, cipher_len;
	static const guint8 aad[8] = {0x00, 0x00, 0x43, 0x21, 0x00, 0x00, 0x00, 0x01};
	guint8 integ_key[32], icv[16], full[32];
	CryptoXform *x = NULL;
	g_autofree guint8 *buf = NULL;

	key = ferry_test_hex(v->key, &key_len);
	iv = ferry_test_hex(v->iv, &iv_len);
	plain = ferry_test_hex(v->plain, &plain_len);
	cipher = ferry_test_hex(v->cipher, &cipher_len);
	memset(integ_key, 0x5a, sizeof(integ_key));
	g_assert_cmpint(crypto_xform_new(&alg, key, key_len, integ_key, sizeof(integ_key), &x), ==,
	                CRYPTO_OK);

	buf = g_memdup2(plain, plain_len);
	g_assert_cmpint(crypto_xform_seal(x, aad, sizeof(aad), iv, buf, plain_len, NULL, 0, icv),
	                ==, CRYPTO_OK);
	g_assert_cmpmem(buf, plain_len, cipher, cipher_len);

	/* RFC 4303 §2.8 / RFC 4868 §2.1: ICV = first 128 bits of HMAC over SPI..ciphertext. */
	mac_in = g_malloc(sizeof(aad) + iv_len + cipher_len);
	memcpy(mac_in, aad, sizeof(aad));
	memcpy(mac_in + sizeof(aad), iv, iv_len);
	memcpy(mac_in + sizeof(aad) + iv_len, cipher, cipher_len);
	g_assert_cmpint(gnutls_hmac_fast(GNUTLS_MAC_SHA256, integ_key, sizeof(integ_key), mac_in,
	                                 sizeof(aad) + iv_len + cipher_len, full),
	                ==, 0);
	g_assert_cmpmem(icv, sizeof(icv), full, 16);

	g_assert_cmpint(crypto_xform_open(x, aad, sizeof(aad), iv, buf, cipher_len, NULL, 0, icv),
	                ==, CRYPTO_OK);
	g_assert_cmpmem(buf, plain_len, plain, plain_len);

	/* A wrong ICV is refused before anything is decrypted. */
	memcpy(buf, cipher, cipher_len);
	icv[15] ^= 0x80;
	g_assert_cmpint(crypto_xform_open(x, aad, sizeof(aad), iv, buf, cipher_len, NULL, 0, icv),
	                ==, CRYPTO_ERR_AUTH);
	g_assert_cmpmem(buf, cipher_len, cipher, cipher_len);
	crypto_xform_free(x);
}

void
kat_rfc3602_register(void)
{
	for (gsize i = 0; i < G_N_ELEMENTS(rfc3602); i++)
		g_test_add_data_func(rfc3602[i].path, &rfc3602[i], check_cbc);
}
