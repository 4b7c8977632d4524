/* kat-common.c - shared checks for the crypto known-answer vectors */
#include <string.h>

#include "crypto-ke.h"
#include "crypto-prf.h"
#include "crypto-rng.h"
#include "crypto-xform.h"
#include "ferry-test.h"
#include "kat-crypto.h"

void
kat_prf_check(gconstpointer data)
{
	const KatPrf *v = data;
	g_autofree guint8 *key = NULL, *msg = NULL;
	gsize key_len, msg_len;
	guint8 out[64];
	gsize want_len = strlen(v->out) / 2;

	g_assert_true(crypto_prf_supported(v->prf_id));
	key = ferry_test_hex(v->key, &key_len);
	msg = ferry_test_hex(v->data, &msg_len);
	g_assert_cmpuint(want_len, <=, crypto_prf_output_size(v->prf_id));
	g_assert_cmpint(crypto_prf1(v->prf_id, key, key_len, msg, msg_len, out), ==, CRYPTO_OK);
	ferry_test_assert_hex(out, want_len, v->out);
}

typedef struct {
	guint8 key[160];
	gsize key_len;
	gboolean used;
	guint8 nonce_counter;
} FixedRng;

static FixedRng fixed_rng;

static void
fixed_rng_fill(void *user_data, CryptoRngLevel level, uint8_t *out, size_t len)
{
	FixedRng *r = user_data;

	if (level == CRYPTO_RNG_KEY) {
		/* A vector's private value is drawn exactly once and at its own size. */
		g_assert_false(r->used);
		g_assert_cmpuint(len, ==, r->key_len);
		memcpy(out, r->key, len);
		r->used = TRUE;
		return;
	}
	memset(out, ++r->nonce_counter, len);
}

void
kat_rng_fixed_install(const guint8 *key, gsize len)
{
	g_assert_cmpuint(len, <=, sizeof(fixed_rng.key));
	memset(&fixed_rng, 0, sizeof(fixed_rng));
	memcpy(fixed_rng.key, key, len);
	fixed_rng.key_len = len;
	crypto_rng_set_source(fixed_rng_fill, &fixed_rng);
}

void
kat_rng_fixed_remove(void)
{
	crypto_rng_set_source(NULL, NULL);
	memset(&fixed_rng, 0, sizeof(fixed_rng));
}

static void
expect_auth_failure(CryptoXform *x,
                    guint8 *aad,
                    gsize aad_len,
                    const guint8 *iv,
                    guint8 *data,
                    gsize len,
                    guint8 *tag,
                    guint8 *flip)
{
	g_autofree guint8 *before = g_memdup2(data, len);

	*flip ^= 0x01;
	g_assert_cmpint(crypto_xform_open(x, aad, aad_len, iv, data, len, NULL, 0, tag), ==,
	                CRYPTO_ERR_AUTH);
	*flip ^= 0x01;
	/* The forged packet's bytes are exactly what arrived: nothing was decrypted. */
	g_assert_cmpmem(data, len, before, len);
}

void
kat_aead_check(gconstpointer data)
{
	const KatAead *v = data;
	CryptoXformAlg alg = {.encr_id = v->encr_id, .key_bits = v->key_bits};
	g_autofree guint8 *key = NULL, *iv = NULL, *aad = NULL, *plain = NULL, *cipher = NULL;
	g_autofree guint8 *tag = NULL;
	gsize key_len, iv_len, aad_len, plain_len, cipher_len, tag_len;
	const CryptoXformSizes *sizes;
	CryptoXform *x = NULL;
	guint8 icv[16];
	guint8 *buf;

	key = ferry_test_hex(v->key, &key_len);
	iv = ferry_test_hex(v->iv, &iv_len);
	aad = ferry_test_hex(v->aad, &aad_len);
	plain = ferry_test_hex(v->plain, &plain_len);
	cipher = ferry_test_hex(v->cipher, &cipher_len);
	tag = ferry_test_hex(v->tag, &tag_len);
	g_assert_cmpuint(plain_len, ==, cipher_len);
	g_assert_cmpuint(tag_len, ==, 16);
	g_assert_cmpuint(iv_len, ==, 8);

	g_assert_cmpint(crypto_xform_new(&alg, key, key_len, NULL, 0, &x), ==, CRYPTO_OK);
	sizes = crypto_xform_get_sizes(x);
	g_assert_true(sizes->aead);
	g_assert_cmpuint(sizes->iv_len, ==, 8);

	/* One spare byte so an empty plaintext still has a valid pointer. */
	buf = g_malloc0(plain_len + 1);
	if (plain_len)
		memcpy(buf, plain, plain_len);
	g_assert_cmpint(crypto_xform_seal(x, aad, aad_len, iv, buf, plain_len, NULL, 0, icv), ==,
	                CRYPTO_OK);
	g_assert_cmpmem(buf, plain_len, cipher, cipher_len);
	g_assert_cmpmem(icv, sizes->icv_len, tag, sizes->icv_len);

	g_assert_cmpint(crypto_xform_open(x, aad, aad_len, iv, buf, plain_len, NULL, 0, icv), ==,
	                CRYPTO_OK);
	g_assert_cmpmem(buf, plain_len, plain, plain_len);

	if (cipher_len)
		memcpy(buf, cipher, cipher_len);
	expect_auth_failure(x, aad, aad_len, iv, buf, cipher_len, icv, &icv[sizes->icv_len - 1]);
	if (aad_len)
		expect_auth_failure(x, aad, aad_len, iv, buf, cipher_len, icv, &aad[aad_len - 1]);
	if (cipher_len)
		expect_auth_failure(x, aad, aad_len, iv, buf, cipher_len, icv, &buf[0]);
	/* And the untouched packet still opens afterwards. */
	g_assert_cmpint(crypto_xform_open(x, aad, aad_len, iv, buf, cipher_len, NULL, 0, icv), ==,
	                CRYPTO_OK);
	g_assert_cmpmem(buf, plain_len, plain, plain_len);

	g_free(buf);
	crypto_xform_free(x);
}

void
kat_ke_check(gconstpointer data)
{
	const KatKe *v = data;
	g_autofree guint8 *priv = NULL, *peer = NULL;
	gsize priv_len, peer_len;
	CryptoKe *ke = NULL;
	FerrySecret *shared = NULL;
	FerrySpan pub;

	priv = ferry_test_hex(v->priv, &priv_len);
	peer = ferry_test_hex(v->peer, &peer_len);
	kat_rng_fixed_install(priv, priv_len);
	g_assert_cmpint(crypto_ke_new(v->group, &ke), ==, CRYPTO_OK);
	kat_rng_fixed_remove();
	pub = crypto_ke_get_public(ke);
	ferry_test_assert_hex(pub.data, pub.len, v->pub);
	g_assert_cmpint(crypto_ke_compute(ke, peer, peer_len, &shared), ==, CRYPTO_OK);
	ferry_test_assert_hex(shared->data, shared->len, v->shared);
	ferry_secret_free(shared);
	crypto_ke_free(ke);
}
