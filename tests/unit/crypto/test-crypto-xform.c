/* test-crypto-xform.c - AEAD and cipher+integrity transforms (RFC 4106, RFC 7634, RFC 3602,
 * RFC 4868) */
#include <string.h>

#include <gnutls/crypto.h>

#include "crypto-xform.h"
#include "ferry-test.h"
#include "ike-registry.h"
#include "kat-crypto.h"

typedef struct {
	const char *name;
	CryptoXformAlg alg;
	CryptoXformSizes sizes;
} XformCase;

/* Expected sizes per RFC 3602 §3 + RFC 4868 §2.6, RFC 4106 §3-§8.1 and RFC 7634 §2-§3. */
/* clang-format off */
#define SHA1   IKE_INTEG_HMAC_SHA1_96
#define SHA256 IKE_INTEG_HMAC_SHA2_256_128
#define SHA384 IKE_INTEG_HMAC_SHA2_384_192
#define SHA512 IKE_INTEG_HMAC_SHA2_512_256
#define NONE   IKE_INTEG_NONE
static const XformCase xform_cases[] = {
	/* name, {encr, key bits, integ}, {enc key, integ key, iv, block, icv, aead} */
	{"aes128-sha1", {IKE_ENCR_AES_CBC, 128, SHA1}, {16, 20, 16, 16, 12, false}},
	{"aes128-sha256", {IKE_ENCR_AES_CBC, 128, SHA256}, {16, 32, 16, 16, 16, false}},
	{"aes192-sha384", {IKE_ENCR_AES_CBC, 192, SHA384}, {24, 48, 16, 16, 24, false}},
	{"aes256-sha512", {IKE_ENCR_AES_CBC, 256, SHA512}, {32, 64, 16, 16, 32, false}},
	{"aes256-sha256", {IKE_ENCR_AES_CBC, 256, SHA256}, {32, 32, 16, 16, 16, false}},
	{"aes128gcm8", {IKE_ENCR_AES_GCM_8, 128, NONE}, {20, 0, 8, 1, 8, true}},
	{"aes192gcm12", {IKE_ENCR_AES_GCM_12, 192, NONE}, {28, 0, 8, 1, 12, true}},
	{"aes128gcm16", {IKE_ENCR_AES_GCM_16, 128, NONE}, {20, 0, 8, 1, 16, true}},
	{"aes256gcm16", {IKE_ENCR_AES_GCM_16, 256, NONE}, {36, 0, 8, 1, 16, true}},
	{"chacha20poly1305", {IKE_ENCR_CHACHA20_POLY1305, 256, NONE}, {36, 0, 8, 1, 16, true}},
};
/* clang-format on */

static void
fill(guint8 *p, gsize len, guint8 start)
{
	for (gsize i = 0; i < len; i++)
		p[i] = (guint8)(start + i * 7);
}

/* Sizes, then a round trip with ESP-like framing, then tamper detection. */
static void
test_xform_roundtrip(gconstpointer data)
{
	const XformCase *c = data;
	CryptoXformSizes sizes;
	guint8 enc_key[64], integ_key[64], aad[12], iv[16], plain[96], buf[96], icv[32], extra[4];
	CryptoXform *sealer = NULL, *opener = NULL;
	const CryptoXformSizes *got;
	const guint8 *ext = c->sizes.aead ? NULL : extra;
	gsize ext_len = c->sizes.aead ? 0 : sizeof(extra);

	g_assert_true(crypto_xform_supported(&c->alg));
	g_assert_cmpint(crypto_xform_sizes(&c->alg, &sizes), ==, CRYPTO_OK);
	g_assert_cmpmem(&sizes, sizeof(sizes), &c->sizes, sizeof(c->sizes));

	fill(enc_key, sizeof(enc_key), 1);
	fill(integ_key, sizeof(integ_key), 2);
	fill(aad, sizeof(aad), 3);
	fill(iv, sizeof(iv), 4);
	fill(plain, sizeof(plain), 5);
	fill(extra, sizeof(extra), 6);
	g_assert_cmpint(crypto_xform_new(&c->alg, enc_key, sizes.enc_key_len, integ_key,
	                                 sizes.integ_key_len, &sealer),
	                ==, CRYPTO_OK);
	g_assert_cmpint(crypto_xform_new(&c->alg, enc_key, sizes.enc_key_len, integ_key,
	                                 sizes.integ_key_len, &opener),
	                ==, CRYPTO_OK);
	got = crypto_xform_get_sizes(sealer);
	g_assert_cmpmem(got, sizeof(*got), &c->sizes, sizeof(c->sizes));

	/* Several packets through the same handles: no state leaks between them. */
	for (int round = 0; round < 3; round++) {
		iv[0] = (guint8)round;
		memcpy(buf, plain, sizeof(buf));
		g_assert_cmpint(crypto_xform_seal(sealer, aad, sizeof(aad), iv, buf, sizeof(buf),
		                                  ext, ext_len, icv),
		                ==, CRYPTO_OK);
		g_assert_true(memcmp(buf, plain, sizeof(buf)) != 0);
		g_assert_cmpint(crypto_xform_open(opener, aad, sizeof(aad), iv, buf, sizeof(buf),
		                                  ext, ext_len, icv),
		                ==, CRYPTO_OK);
		g_assert_cmpmem(buf, sizeof(buf), plain, sizeof(plain));
	}

	/* Tampering with the IV, or (cipher+integ) the ESN high bits, fails authentication. */
	memcpy(buf, plain, sizeof(buf));
	g_assert_cmpint(crypto_xform_seal(sealer, aad, sizeof(aad), iv, buf, sizeof(buf), ext,
	                                  ext_len, icv),
	                ==, CRYPTO_OK);
	iv[7] ^= 1;
	g_assert_cmpint(crypto_xform_open(opener, aad, sizeof(aad), iv, buf, sizeof(buf), ext,
	                                  ext_len, icv),
	                ==, CRYPTO_ERR_AUTH);
	iv[7] ^= 1;
	if (!c->sizes.aead) {
		extra[3] ^= 1;
		g_assert_cmpint(crypto_xform_open(opener, aad, sizeof(aad), iv, buf, sizeof(buf),
		                                  ext, ext_len, icv),
		                ==, CRYPTO_ERR_AUTH);
		extra[3] ^= 1;
	}
	g_assert_cmpint(crypto_xform_open(opener, aad, sizeof(aad), iv, buf, sizeof(buf), ext,
	                                  ext_len, icv),
	                ==, CRYPTO_OK);
	g_assert_cmpmem(buf, sizeof(buf), plain, sizeof(plain));

	crypto_xform_free(sealer);
	crypto_xform_free(opener);
}

/* The cipher+integ ICV is HMAC(aad | iv | data | extra) truncated (RFC 4303 §2.2.1 for the
 * ESN high-order bits), recomputed here independently. */
static void
test_xform_cbc_icv_with_esn(void)
{
	CryptoXformAlg alg = {IKE_ENCR_AES_CBC, 256, IKE_INTEG_HMAC_SHA2_384_192};
	guint8 enc_key[32], integ_key[48], aad[8], iv[16], buf[32], icv[24], extra[4], full[48];
	guint8 mac_in[8 + 16 + 32 + 4];
	CryptoXform *x = NULL;

	fill(enc_key, sizeof(enc_key), 9);
	fill(integ_key, sizeof(integ_key), 10);
	fill(aad, sizeof(aad), 11);
	fill(iv, sizeof(iv), 12);
	fill(buf, sizeof(buf), 13);
	fill(extra, sizeof(extra), 14);
	g_assert_cmpint(
		crypto_xform_new(&alg, enc_key, sizeof(enc_key), integ_key, sizeof(integ_key), &x),
		==, CRYPTO_OK);
	g_assert_cmpint(crypto_xform_seal(x, aad, sizeof(aad), iv, buf, sizeof(buf), extra,
	                                  sizeof(extra), icv),
	                ==, CRYPTO_OK);
	memcpy(mac_in, aad, 8);
	memcpy(mac_in + 8, iv, 16);
	memcpy(mac_in + 24, buf, 32);
	memcpy(mac_in + 56, extra, 4);
	g_assert_cmpint(gnutls_hmac_fast(GNUTLS_MAC_SHA384, integ_key, sizeof(integ_key), mac_in,
	                                 sizeof(mac_in), full),
	                ==, 0);
	g_assert_cmpmem(icv, sizeof(icv), full, 24);
	crypto_xform_free(x);
}

static void
test_xform_rejects(void)
{
	const CryptoXformAlg bad[] = {
		{IKE_ENCR_AES_CBC,           128, IKE_INTEG_NONE             }, /* no integrity */
		{IKE_ENCR_AES_CBC,           64,  IKE_INTEG_HMAC_SHA2_256_128}, /* key size */
		{IKE_ENCR_AES_GCM_16,        128, IKE_INTEG_HMAC_SHA2_256_128}, /* AEAD + integ */
		{IKE_ENCR_AES_GCM_16,        0,   IKE_INTEG_NONE             }, /* no key size */
		{IKE_ENCR_CHACHA20_POLY1305, 128, IKE_INTEG_NONE             }, /* 256 only */
		{IKE_ENCR_3DES,              192, IKE_INTEG_HMAC_SHA1_96     }, /* not offered */
		{IKE_ENCR_AES_CBC,           128, IKE_INTEG_HMAC_MD5_96      }, /* not offered */
	};
	CryptoXformAlg ok = {IKE_ENCR_AES_GCM_16, 128, IKE_INTEG_NONE};
	CryptoXformAlg cbc = {IKE_ENCR_AES_CBC, 128, IKE_INTEG_HMAC_SHA2_256_128};
	guint8 key[64] = {0}, iv[16] = {0}, buf[20] = {0}, icv[16];
	CryptoXform *x = NULL;

	for (gsize i = 0; i < G_N_ELEMENTS(bad); i++) {
		CryptoXformSizes sizes;

		g_assert_false(crypto_xform_supported(&bad[i]));
		g_assert_cmpint(crypto_xform_sizes(&bad[i], &sizes), ==, CRYPTO_ERR_UNSUPPORTED);
		g_assert_cmpint(crypto_xform_new(&bad[i], key, 16, key, 32, &x), ==,
		                CRYPTO_ERR_UNSUPPORTED);
		g_assert_null(x);
	}
	/* The GCM key material must include the 4-octet salt. */
	g_assert_cmpint(crypto_xform_new(&ok, key, 16, NULL, 0, &x), ==, CRYPTO_ERR_KEY_LENGTH);
	g_assert_null(x);
	g_assert_cmpint(crypto_xform_new(&cbc, key, 16, key, 20, &x), ==, CRYPTO_ERR_KEY_LENGTH);
	g_assert_null(x);

	/* CBC data must be whole blocks; AEAD takes no `extra`. */
	g_assert_cmpint(crypto_xform_new(&cbc, key, 16, key, 32, &x), ==, CRYPTO_OK);
	g_assert_cmpint(crypto_xform_seal(x, NULL, 0, iv, buf, 20, NULL, 0, icv), ==,
	                CRYPTO_ERR_LENGTH);
	g_assert_cmpint(crypto_xform_open(x, NULL, 0, iv, buf, 20, NULL, 0, icv), ==,
	                CRYPTO_ERR_LENGTH);
	crypto_xform_free(x);
	g_assert_cmpint(crypto_xform_new(&ok, key, 20, NULL, 0, &x), ==, CRYPTO_OK);
	g_assert_cmpint(crypto_xform_seal(x, NULL, 0, iv, buf, 20, buf, 4, icv), ==,
	                CRYPTO_ERR_LENGTH);
	/* Odd lengths are fine for the stream-like AEADs. */
	g_assert_cmpint(crypto_xform_seal(x, NULL, 0, iv, buf, 19, NULL, 0, icv), ==, CRYPTO_OK);
	crypto_xform_free(x);
	crypto_xform_free(NULL);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);

	kat_gcm_register();
	kat_rfc7634_register();
	kat_rfc3602_register();
	for (gsize i = 0; i < G_N_ELEMENTS(xform_cases); i++) {
		g_autofree char *path =
			g_strdup_printf("/ferry/crypto/xform/roundtrip/%s", xform_cases[i].name);
		g_test_add_data_func(path, &xform_cases[i], test_xform_roundtrip);
	}
	g_test_add_func("/ferry/crypto/xform/cbc-icv-esn", test_xform_cbc_icv_with_esn);
	g_test_add_func("/ferry/crypto/xform/rejects", test_xform_rejects);
	return g_test_run();
}
