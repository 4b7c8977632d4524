/* test-crypto-ke.c - key exchange: MODP (RFC 3526), ECP (RFC 5903), Curve25519 (RFC 8031) */
#include <string.h>

#include "crypto-ke.h"
#include "ferry-test.h"
#include "ike-registry.h"
#include "kat-crypto.h"

typedef struct {
	const char *name;
	uint16_t group;
	size_t public_len; /* RFC 7296 §3.4 / RFC 5903 §7 / RFC 8031 §3 */
	size_t shared_len;
} KeCase;

static const KeCase ke_cases[] = {
	{"modp1024",   IKE_KE_MODP_1024,  128, 128},
        {"modp1536",   IKE_KE_MODP_1536,  192, 192},
	{"modp2048",   IKE_KE_MODP_2048,  256, 256},
        {"modp3072",   IKE_KE_MODP_3072,  384, 384},
	{"modp4096",   IKE_KE_MODP_4096,  512, 512},
        {"ecp256",     IKE_KE_ECP_256,    64,  32 },
	{"ecp384",     IKE_KE_ECP_384,    96,  48 },
        {"ecp521",     IKE_KE_ECP_521,    132, 66 },
	{"curve25519", IKE_KE_CURVE25519, 32,  32 },
};

/* RFC 3526 §3, the 2048-bit MODP prime, typed independently of the implementation's copy. */
static const char modp2048_prime[] =
	"FFFFFFFFFFFFFFFF C90FDAA2 2168C234 C4C6628B 80DC1CD1 29024E08 8A67CC74 020BBEA6 3B139B22"
	"514A0879 8E3404DD EF9519B3 CD3A431B 302B0A6D F25F1437 4FE1356D 6D51C245 E485B576 625E7EC6"
	"F44C42E9 A637ED6B 0BFF5CB6 F406B7ED EE386BFB 5A899FA5 AE9F2411 7C4B1FE6 49286651 ECE45B3D"
	"C2007CB8 A163BF05 98DA4836 1C55D39A 69163FA8 FD24CF5F 83655D23 DCA3AD96 1C62F356 208552BB"
	"9ED52907 7096966D 670C354E 4ABC9804 F1746C08 CA18217C 32905E46 2E36CE3B E39E772C 180E8603"
	"9B2783A2 EC07A28F B5C55DF0 6F4C52C9 DE2BCBF6 95581718 3995497C EA956AE5 15D22618 98FA0510"
	"15728E5A 8AACAA68 FFFFFFFF FFFFFFFF";

/* Two parties agree on g^ir; the public values have the group's encoding length. */
static void
test_ke_agree(gconstpointer data)
{
	const KeCase *c = data;
	CryptoKe *a = NULL, *b = NULL;
	FerrySecret *sa = NULL, *sb = NULL;
	FerrySpan pa, pb;

	g_assert_true(crypto_ke_supported(c->group));
	g_assert_cmpuint(crypto_ke_public_len(c->group), ==, c->public_len);
	g_assert_cmpint(crypto_ke_new(c->group, &a), ==, CRYPTO_OK);
	g_assert_cmpint(crypto_ke_new(c->group, &b), ==, CRYPTO_OK);
	g_assert_cmpuint(crypto_ke_get_group(a), ==, c->group);
	pa = crypto_ke_get_public(a);
	pb = crypto_ke_get_public(b);
	g_assert_cmpuint(pa.len, ==, c->public_len);
	g_assert_cmpuint(pb.len, ==, c->public_len);
	g_assert_false(ferry_span_equal(pa, pb));

	g_assert_cmpint(crypto_ke_compute(a, pb.data, pb.len, &sa), ==, CRYPTO_OK);
	g_assert_cmpint(crypto_ke_compute(b, pa.data, pa.len, &sb), ==, CRYPTO_OK);
	g_assert_cmpuint(sa->len, ==, c->shared_len);
	g_assert_cmpmem(sa->data, sa->len, sb->data, sb->len);
	g_clear_pointer(&sa, ferry_secret_free);

	/* The KE data must have exactly the group's length (RFC 7296 §3.4). */
	g_assert_cmpint(crypto_ke_compute(a, pb.data, pb.len - 1, &sa), ==,
	                CRYPTO_ERR_INVALID_PEER);
	g_assert_null(sa);
	g_assert_cmpint(crypto_ke_compute(a, NULL, 0, &sa), ==, CRYPTO_ERR_INVALID_PEER);
	{
		g_autofree guint8 *longer = g_malloc0(pb.len + 1);

		memcpy(longer + 1, pb.data, pb.len);
		g_assert_cmpint(crypto_ke_compute(a, longer, pb.len + 1, &sa), ==,
		                CRYPTO_ERR_INVALID_PEER);
	}
	ferry_secret_free(sb);
	crypto_ke_free(a);
	crypto_ke_free(b);
}

static CryptoStatus
compute_with(uint16_t group, const guint8 *peer, gsize len)
{
	CryptoKe *ke = NULL;
	FerrySecret *shared = NULL;
	CryptoStatus st;

	g_assert_cmpint(crypto_ke_new(group, &ke), ==, CRYPTO_OK);
	st = crypto_ke_compute(ke, peer, len, &shared);
	g_assert_true((st == CRYPTO_OK) == (shared != NULL));
	ferry_secret_free(shared);
	crypto_ke_free(ke);
	return st;
}

/* RFC 6989 §2.1: 1 < y < p-1, for every MODP group. */
static void
test_ke_modp_range(gconstpointer data)
{
	const KeCase *c = data;
	g_autofree guint8 *y = g_malloc0(c->public_len);

	g_assert_cmpint(compute_with(c->group, y, c->public_len), ==, CRYPTO_ERR_INVALID_PEER);
	y[c->public_len - 1] = 1;
	g_assert_cmpint(compute_with(c->group, y, c->public_len), ==, CRYPTO_ERR_INVALID_PEER);
	y[c->public_len - 1] = 2;
	g_assert_cmpint(compute_with(c->group, y, c->public_len), ==, CRYPTO_OK);
	memset(y, 0xff, c->public_len);
	g_assert_cmpint(compute_with(c->group, y, c->public_len), ==, CRYPTO_ERR_INVALID_PEER);
}

/* The edges around the 2048-bit prime: p-2 is valid, p-1 and p are not. */
static void
test_ke_modp_prime_edges(void)
{
	gsize len;
	g_autofree guint8 *p = ferry_test_hex(modp2048_prime, &len);

	g_assert_cmpuint(len, ==, 256);
	g_assert_cmpint(compute_with(IKE_KE_MODP_2048, p, len), ==, CRYPTO_ERR_INVALID_PEER);
	p[len - 1] -= 1;
	g_assert_cmpint(compute_with(IKE_KE_MODP_2048, p, len), ==, CRYPTO_ERR_INVALID_PEER);
	p[len - 1] -= 1;
	g_assert_cmpint(compute_with(IKE_KE_MODP_2048, p, len), ==, CRYPTO_OK);
}

/* RFC 6989 §2.3: points off the curve or with coordinates >= p are refused. */
static void
test_ke_ecp_invalid(gconstpointer data)
{
	const KeCase *c = data;
	gsize len = c->public_len;
	g_autofree guint8 *pt = g_malloc0(len);
	CryptoKe *other = NULL;

	g_assert_cmpint(compute_with(c->group, pt, len), ==, CRYPTO_ERR_INVALID_PEER);
	memset(pt, 0xff, len);
	g_assert_cmpint(compute_with(c->group, pt, len), ==, CRYPTO_ERR_INVALID_PEER);

	/* A valid public value with y changed by one is off the curve. */
	g_assert_cmpint(crypto_ke_new(c->group, &other), ==, CRYPTO_OK);
	memcpy(pt, crypto_ke_get_public(other).data, len);
	crypto_ke_free(other);
	g_assert_cmpint(compute_with(c->group, pt, len), ==, CRYPTO_OK);
	pt[len - 1] ^= 0x01;
	g_assert_cmpint(compute_with(c->group, pt, len), ==, CRYPTO_ERR_INVALID_PEER);
	/* x and y swapped is (almost surely) off the curve too. */
	pt[len - 1] ^= 0x01;
	{
		g_autofree guint8 *swapped = g_malloc(len);

		memcpy(swapped, pt + len / 2, len / 2);
		memcpy(swapped + len / 2, pt, len / 2);
		g_assert_cmpint(compute_with(c->group, swapped, len), ==, CRYPTO_ERR_INVALID_PEER);
	}
}

/* RFC 7748 §6.1 / RFC 8031 §2.3: small-order u-coordinates give an all-zero result. */
static void
test_ke_x25519_zero_result(void)
{
	guint8 u[32] = {0};

	g_assert_cmpint(compute_with(IKE_KE_CURVE25519, u, 32), ==, CRYPTO_ERR_INVALID_PEER);
	u[0] = 1;
	g_assert_cmpint(compute_with(IKE_KE_CURVE25519, u, 32), ==, CRYPTO_ERR_INVALID_PEER);
	/* p = 2^255 - 19 itself, which reduces to 0 */
	memset(u, 0xff, 32);
	u[0] = 0xed;
	u[31] = 0x7f;
	g_assert_cmpint(compute_with(IKE_KE_CURVE25519, u, 32), ==, CRYPTO_ERR_INVALID_PEER);
	u[0] = 9;
	memset(u + 1, 0, 31);
	g_assert_cmpint(compute_with(IKE_KE_CURVE25519, u, 32), ==, CRYPTO_OK);
}

static void
test_ke_unsupported(void)
{
	CryptoKe *ke = (CryptoKe *)0x1;

	g_assert_false(crypto_ke_supported(IKE_KE_NONE));
	g_assert_false(crypto_ke_supported(IKE_KE_CURVE448));
	g_assert_cmpuint(crypto_ke_public_len(IKE_KE_CURVE448), ==, 0);
	g_assert_cmpint(crypto_ke_new(IKE_KE_CURVE448, &ke), ==, CRYPTO_ERR_UNSUPPORTED);
	g_assert_null(ke);
	crypto_ke_free(NULL);
}

/* The private value comes from the injectable RNG, so a seeded run repeats exactly. */
static void
test_ke_deterministic(void)
{
	CryptoKe *a = NULL, *b = NULL;

	ferry_test_rng_install(7);
	g_assert_cmpint(crypto_ke_new(IKE_KE_ECP_256, &a), ==, CRYPTO_OK);
	ferry_test_rng_install(7);
	g_assert_cmpint(crypto_ke_new(IKE_KE_ECP_256, &b), ==, CRYPTO_OK);
	ferry_test_rng_remove();
	g_assert_true(ferry_span_equal(crypto_ke_get_public(a), crypto_ke_get_public(b)));
	crypto_ke_free(a);
	crypto_ke_free(b);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);

	kat_rfc7748_register();
	kat_rfc8031_register();
	kat_rfc5903_register();
	for (gsize i = 0; i < G_N_ELEMENTS(ke_cases); i++) {
		const KeCase *c = &ke_cases[i];
		g_autofree char *agree = g_strdup_printf("/ferry/crypto/ke/agree/%s", c->name);
		g_autofree char *invalid = g_strdup_printf("/ferry/crypto/ke/invalid/%s", c->name);

		g_test_add_data_func(agree, c, test_ke_agree);
		if (c->group <= IKE_KE_MODP_4096)
			g_test_add_data_func(invalid, c, test_ke_modp_range);
		else if (c->group <= IKE_KE_ECP_521)
			g_test_add_data_func(invalid, c, test_ke_ecp_invalid);
	}
	g_test_add_func("/ferry/crypto/ke/invalid/modp2048-prime-edges", test_ke_modp_prime_edges);
	g_test_add_func("/ferry/crypto/ke/invalid/curve25519-zero-result",
	                test_ke_x25519_zero_result);
	g_test_add_func("/ferry/crypto/ke/unsupported", test_ke_unsupported);
	g_test_add_func("/ferry/crypto/ke/deterministic", test_ke_deterministic);
	return g_test_run();
}
