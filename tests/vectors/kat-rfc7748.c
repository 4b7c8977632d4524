/* kat-rfc7748.c - RFC 7748 §5.2 and §6.1 X25519 vectors through crypto_ke (group 31): the
 * scalar is handed to crypto_ke_new() through the RNG, the u-coordinate as the peer's value */
#include <string.h>

#include "crypto-ke.h"
#include "ferry-test.h"
#include "ike-registry.h"
#include "kat-crypto.h"

typedef struct {
	const char *path;
	const char *scalar;
	const char *u;
	const char *out;
} KatX25519;

/* clang-format off */
static const KatX25519 rfc7748_mult[] = {
	{
		.path = "/ferry/crypto/kat/rfc7748/5.2/vector-1",
		.scalar = "a546e36bf0527c9d3b16154b82465edd62144c0ac1fc5a18506a2244ba449ac4",
		.u = "e6db6867583030db3594c1a424b15f7c726624ec26b3353b10a903a6d0ab1c4c",
		.out = "c3da55379de9c6908e94ea4df28d084f32eccf03491c71f754b4075577a28552",
	},
	/* The u-coordinate has its top bit set, which X25519 ignores (RFC 7748 §5). */
	{
		.path = "/ferry/crypto/kat/rfc7748/5.2/vector-2",
		.scalar = "4b66e9d4d1b4673c5ad22691957d6af5c11b6421e0ea01d42ca4169e7918ba0d",
		.u = "e5210f12786811d3f4b7959d0538ae2c31dbe7106fc03c3efc4cd549c715a493",
		.out = "95cbde9476e8907d7aade45cb4b873f88b595a68799fa152e6f8f7647aac7957",
	},
};
/* clang-format on */

/* X25519(k, u) through the public API. */
static void
x25519(const guint8 *k, const guint8 *u, guint8 *out)
{
	CryptoKe *ke = NULL;
	FerrySecret *shared = NULL;

	kat_rng_fixed_install(k, 32);
	g_assert_cmpint(crypto_ke_new(IKE_KE_CURVE25519, &ke), ==, CRYPTO_OK);
	kat_rng_fixed_remove();
	g_assert_cmpint(crypto_ke_compute(ke, u, 32, &shared), ==, CRYPTO_OK);
	g_assert_cmpuint(shared->len, ==, 32);
	memcpy(out, shared->data, 32);
	ferry_secret_free(shared);
	crypto_ke_free(ke);
}

static void
check_mult(gconstpointer data)
{
	const KatX25519 *v = data;
	g_autofree guint8 *k = NULL, *u = NULL;
	gsize k_len, u_len;
	guint8 out[32];

	k = ferry_test_hex(v->scalar, &k_len);
	u = ferry_test_hex(v->u, &u_len);
	x25519(k, u, out);
	ferry_test_assert_hex(out, sizeof(out), v->out);
}

/* §5.2: k = u = 9; repeatedly k, u = X25519(k, u), k. */
static void
check_iterated(gconstpointer data)
{
	guint iterations = GPOINTER_TO_UINT(data);
	guint8 k[32] = {9}, u[32] = {9}, out[32];

	for (guint i = 0; i < iterations; i++) {
		x25519(k, u, out);
		memcpy(u, k, 32);
		memcpy(k, out, 32);
	}
	if (iterations == 1)
		ferry_test_assert_hex(
			k, 32, "422c8e7a6227d7bca1350b3e2bb7279f7897b87bb6854b783c60e80311ae3079");
	else
		ferry_test_assert_hex(
			k, 32, "684cf59ba83309552800ef566f2f4d3c1c3887c49360e3875f2eb94d99532c51");
}

#define ALICE_PRIV "77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a"
#define ALICE_PUB  "8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a"
#define BOB_PRIV   "5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb"
#define BOB_PUB    "de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f"
#define SHARED_K   "4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742"

/* §6.1: both sides' public values and the shared secret K, as IKEv2 would carry them. */
static void
check_dh(gconstpointer data)
{
	const char *const *side = data; /* own private, own public, peer public */
	g_autofree guint8 *priv = NULL, *peer = NULL;
	gsize priv_len, peer_len;
	CryptoKe *ke = NULL;
	FerrySecret *shared = NULL;
	FerrySpan pub;

	priv = ferry_test_hex(side[0], &priv_len);
	peer = ferry_test_hex(side[2], &peer_len);
	kat_rng_fixed_install(priv, priv_len);
	g_assert_cmpint(crypto_ke_new(IKE_KE_CURVE25519, &ke), ==, CRYPTO_OK);
	kat_rng_fixed_remove();
	pub = crypto_ke_get_public(ke);
	ferry_test_assert_hex(pub.data, pub.len, side[1]);
	g_assert_cmpint(crypto_ke_compute(ke, peer, peer_len, &shared), ==, CRYPTO_OK);
	ferry_test_assert_hex(shared->data, shared->len, SHARED_K);
	ferry_secret_free(shared);
	crypto_ke_free(ke);
}

static const char *const alice[] = {ALICE_PRIV, ALICE_PUB, BOB_PUB};
static const char *const bob[] = {BOB_PRIV, BOB_PUB, ALICE_PUB};

void
kat_rfc7748_register(void)
{
	for (gsize i = 0; i < G_N_ELEMENTS(rfc7748_mult); i++)
		g_test_add_data_func(rfc7748_mult[i].path, &rfc7748_mult[i], check_mult);
	g_test_add_data_func("/ferry/crypto/kat/rfc7748/5.2/iterated-1", GUINT_TO_POINTER(1),
	                     check_iterated);
	g_test_add_data_func("/ferry/crypto/kat/rfc7748/5.2/iterated-1000", GUINT_TO_POINTER(1000),
	                     check_iterated);
	g_test_add_data_func("/ferry/crypto/kat/rfc7748/6.1/alice", alice, check_dh);
	g_test_add_data_func("/ferry/crypto/kat/rfc7748/6.1/bob", bob, check_dh);
}
