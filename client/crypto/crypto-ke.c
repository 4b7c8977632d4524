/* crypto-ke.c - IKEv2 key exchange: MODP with GMP, ECP and Curve25519 with Nettle
 * (RFC 3526, RFC 5903, RFC 8031) */
#include <stdlib.h>
#include <string.h>

#include <gmp.h>
#include <nettle/curve25519.h>
#include <nettle/ecc-curve.h>
#include <nettle/ecc.h>

#include "crypto-ke.h"
#include "crypto-rng.h"
#include "ike-registry.h"

#define KE_DRAW_ATTEMPTS 64 /* rejection sampling of ECP scalars; each draw fails < 2^-32 */

/* The MODP primes, all with generator 2, as the RFCs print them. */
/* RFC 2409 §6.2 */
static const char modp_1024_prime[] =
	"FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74"
	"020BBEA63B139B22514A08798E3404DDEF9519B3CD3A431B302B0A6DF25F1437"
	"4FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED"
	"EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE65381FFFFFFFFFFFFFFFF";

/* RFC 3526 §2 */
static const char modp_1536_prime[] =
	"FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74"
	"020BBEA63B139B22514A08798E3404DDEF9519B3CD3A431B302B0A6DF25F1437"
	"4FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED"
	"EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF05"
	"98DA48361C55D39A69163FA8FD24CF5F83655D23DCA3AD961C62F356208552BB"
	"9ED529077096966D670C354E4ABC9804F1746C08CA237327FFFFFFFFFFFFFFFF";

/* RFC 3526 §3 */
static const char modp_2048_prime[] =
	"FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74"
	"020BBEA63B139B22514A08798E3404DDEF9519B3CD3A431B302B0A6DF25F1437"
	"4FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED"
	"EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF05"
	"98DA48361C55D39A69163FA8FD24CF5F83655D23DCA3AD961C62F356208552BB"
	"9ED529077096966D670C354E4ABC9804F1746C08CA18217C32905E462E36CE3B"
	"E39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF695581718"
	"3995497CEA956AE515D2261898FA051015728E5A8AACAA68FFFFFFFFFFFFFFFF";

/* RFC 3526 §4 */
static const char modp_3072_prime[] =
	"FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74"
	"020BBEA63B139B22514A08798E3404DDEF9519B3CD3A431B302B0A6DF25F1437"
	"4FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED"
	"EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF05"
	"98DA48361C55D39A69163FA8FD24CF5F83655D23DCA3AD961C62F356208552BB"
	"9ED529077096966D670C354E4ABC9804F1746C08CA18217C32905E462E36CE3B"
	"E39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF695581718"
	"3995497CEA956AE515D2261898FA051015728E5A8AAAC42DAD33170D04507A33"
	"A85521ABDF1CBA64ECFB850458DBEF0A8AEA71575D060C7DB3970F85A6E1E4C7"
	"ABF5AE8CDB0933D71E8C94E04A25619DCEE3D2261AD2EE6BF12FFA06D98A0864"
	"D87602733EC86A64521F2B18177B200CBBE117577A615D6C770988C0BAD946E2"
	"08E24FA074E5AB3143DB5BFCE0FD108E4B82D120A93AD2CAFFFFFFFFFFFFFFFF";

/* RFC 3526 §5 */
static const char modp_4096_prime[] =
	"FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74"
	"020BBEA63B139B22514A08798E3404DDEF9519B3CD3A431B302B0A6DF25F1437"
	"4FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED"
	"EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF05"
	"98DA48361C55D39A69163FA8FD24CF5F83655D23DCA3AD961C62F356208552BB"
	"9ED529077096966D670C354E4ABC9804F1746C08CA18217C32905E462E36CE3B"
	"E39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF695581718"
	"3995497CEA956AE515D2261898FA051015728E5A8AAAC42DAD33170D04507A33"
	"A85521ABDF1CBA64ECFB850458DBEF0A8AEA71575D060C7DB3970F85A6E1E4C7"
	"ABF5AE8CDB0933D71E8C94E04A25619DCEE3D2261AD2EE6BF12FFA06D98A0864"
	"D87602733EC86A64521F2B18177B200CBBE117577A615D6C770988C0BAD946E2"
	"08E24FA074E5AB3143DB5BFCE0FD108E4B82D120A92108011A723C12A787E6D7"
	"88719A10BDBA5B2699C327186AF4E23C1A946834B6150BDA2583E9CA2AD44CE8"
	"DBBBC2DB04DE8EF92E8EFC141FBECAA6287C59474E6BC05D99B2964FA090C3A2"
	"233BA186515BE7ED1F612970CEE2D7AFB81BDD762170481CD0069127D5B05AA9"
	"93B4EA988D8FDDC186FFB7DC90A6C08F4DF435C934063199FFFFFFFFFFFFFFFF";

typedef enum {
	KE_MODP,
	KE_ECP,
	KE_X25519,
} KeKind;

typedef struct {
	uint16_t group;
	KeKind kind;
	size_t len; /* MODP: prime octets; ECP: field octets; X25519: 32 */
	const char *prime_hex;
	size_t exp_len; /* MODP exponent octets: twice the strength of RFC 3526 §8's estimate */
	const struct ecc_curve *(*curve)(void);
} KeInfo;

static const KeInfo ke_table[] = {
	{IKE_KE_MODP_1024,  KE_MODP,   128, modp_1024_prime, 32, NULL                 },
	{IKE_KE_MODP_1536,  KE_MODP,   192, modp_1536_prime, 32, NULL                 },
	{IKE_KE_MODP_2048,  KE_MODP,   256, modp_2048_prime, 40, NULL                 },
	{IKE_KE_MODP_3072,  KE_MODP,   384, modp_3072_prime, 54, NULL                 },
	{IKE_KE_MODP_4096,  KE_MODP,   512, modp_4096_prime, 60, NULL                 },
	{IKE_KE_ECP_256,    KE_ECP,    32,  NULL,            0,  nettle_get_secp_256r1},
	{IKE_KE_ECP_384,    KE_ECP,    48,  NULL,            0,  nettle_get_secp_384r1},
	{IKE_KE_ECP_521,    KE_ECP,    66,  NULL,            0,  nettle_get_secp_521r1},
	{IKE_KE_CURVE25519, KE_X25519, 32,  NULL,            0,  NULL                 },
};

struct CryptoKe {
	const KeInfo *info;
	/* owned */
	uint8_t *pub;
	size_t pub_len;
	/* secret: the MODP exponent, ECP scalar or X25519 scalar, big-endian for MODP/ECP */
	FerrySecret *priv;
};

static const KeInfo *
find_ke(uint16_t group)
{
	for (size_t i = 0; i < sizeof(ke_table) / sizeof(ke_table[0]); i++) {
		if (ke_table[i].group == group)
			return &ke_table[i];
	}
	return NULL;
}

bool
crypto_ke_supported(uint16_t group)
{
	return find_ke(group) != NULL;
}

size_t
crypto_ke_public_len(uint16_t group)
{
	const KeInfo *info = find_ke(group);

	if (!info)
		return 0;
	return info->kind == KE_ECP ? 2 * info->len : info->len;
}

uint16_t
crypto_ke_get_group(const CryptoKe *ke)
{
	return ke->info->group;
}

FerrySpan
crypto_ke_get_public(const CryptoKe *ke)
{
	return FERRY_SPAN(ke->pub, ke->pub_len);
}

/* Wipe an integer's limbs before GMP frees them. */
static void
clear_mpz_secret(mpz_t z)
{
	ferry_wipe(z->_mp_d, (size_t)z->_mp_alloc * sizeof(mp_limb_t));
	mpz_clear(z);
}

/* Big-endian, left-padded with zeros to exactly `len` octets (RFC 7296 §3.4). */
static bool
export_padded(const mpz_t z, uint8_t *out, size_t len)
{
	size_t need = mpz_sgn(z) == 0 ? 0 : (mpz_sizeinbase(z, 2) + 7) / 8;
	size_t written = 0;

	if (need > len)
		return false;
	memset(out, 0, len - need);
	if (need)
		mpz_export(out + len - need, &written, 1, 1, 1, 0, z);
	return written == need;
}

static void
import_be(mpz_t z, const uint8_t *data, size_t len)
{
	mpz_import(z, len, 1, 1, 1, 0, data);
}

static CryptoStatus
generate_modp(CryptoKe *ke)
{
	const KeInfo *info = ke->info;
	mpz_t p, x, y;
	CryptoStatus st = CRYPTO_OK;

	mpz_init_set_str(p, info->prime_hex, 16);
	mpz_init2(x, info->exp_len * 8 + GMP_NUMB_BITS);
	mpz_init2(y, info->len * 8 + GMP_NUMB_BITS);
	do {
		crypto_rng_fill(CRYPTO_RNG_KEY, ke->priv->data, ke->priv->len);
		import_be(x, ke->priv->data, ke->priv->len);
	} while (mpz_cmp_ui(x, 2) < 0);
	mpz_set_ui(y, 2);
	mpz_powm_sec(y, y, x, p);
	if (!export_padded(y, ke->pub, ke->pub_len))
		st = CRYPTO_ERR_BACKEND;
	clear_mpz_secret(x);
	mpz_clear(y);
	mpz_clear(p);
	return st;
}

/* Draw a scalar in [1, q-1] as big-endian field-size octets, so a test RNG that
 * returns RFC 5903's private value reproduces its public value. */
static CryptoStatus
draw_ecc_scalar(CryptoKe *ke, struct ecc_scalar *s)
{
	const struct ecc_curve *curve = ke->info->curve();
	unsigned excess_bits = (unsigned)(ke->info->len * 8 - ecc_bit_size(curve));
	CryptoStatus st = CRYPTO_ERR_BACKEND;
	mpz_t z;

	mpz_init2(z, ke->info->len * 8 + GMP_NUMB_BITS);
	for (int i = 0; i < KE_DRAW_ATTEMPTS; i++) {
		crypto_rng_fill(CRYPTO_RNG_KEY, ke->priv->data, ke->priv->len);
		ke->priv->data[0] &= (uint8_t)(0xff >> excess_bits);
		import_be(z, ke->priv->data, ke->priv->len);
		if (ecc_scalar_set(s, z)) {
			st = CRYPTO_OK;
			break;
		}
	}
	clear_mpz_secret(z);
	return st;
}

static void
clear_ecc_scalar(struct ecc_scalar *s, const struct ecc_curve *curve)
{
	ferry_wipe(s->p, (size_t)ecc_size(curve) * sizeof(mp_limb_t));
	ecc_scalar_clear(s);
}

static void
clear_ecc_point_secret(struct ecc_point *pt, const struct ecc_curve *curve)
{
	ferry_wipe(pt->p, 2 * (size_t)ecc_size(curve) * sizeof(mp_limb_t));
	ecc_point_clear(pt);
}

static CryptoStatus
generate_ecp(CryptoKe *ke)
{
	const struct ecc_curve *curve = ke->info->curve();
	size_t flen = ke->info->len;
	struct ecc_scalar s;
	struct ecc_point pub;
	mpz_t x, y;
	CryptoStatus st;

	ecc_scalar_init(&s, curve);
	ecc_point_init(&pub, curve);
	mpz_init(x);
	mpz_init(y);
	st = draw_ecc_scalar(ke, &s);
	if (st == CRYPTO_OK) {
		ecc_point_mul_g(&pub, &s);
		ecc_point_get(&pub, x, y);
		/* RFC 5903 §7: the KE data is x | y, each padded to the field size. */
		if (!export_padded(x, ke->pub, flen) || !export_padded(y, ke->pub + flen, flen))
			st = CRYPTO_ERR_BACKEND;
	}
	mpz_clear(y);
	mpz_clear(x);
	ecc_point_clear(&pub);
	clear_ecc_scalar(&s, curve);
	return st;
}

static CryptoStatus
generate_x25519(CryptoKe *ke)
{
	/* RFC 7748 §5: curve25519_mul_g clamps the scalar itself. */
	crypto_rng_fill(CRYPTO_RNG_KEY, ke->priv->data, ke->priv->len);
	curve25519_mul_g(ke->pub, ke->priv->data);
	return CRYPTO_OK;
}

CryptoStatus
crypto_ke_new(uint16_t group, CryptoKe **out)
{
	const KeInfo *info = find_ke(group);
	CryptoKe *ke;
	CryptoStatus st;

	*out = NULL;
	if (!info)
		return CRYPTO_ERR_UNSUPPORTED;
	ke = calloc(1, sizeof(*ke));
	if (!ke)
		return CRYPTO_ERR_NOMEM;
	ke->info = info;
	ke->pub_len = crypto_ke_public_len(group);
	ke->pub = calloc(1, ke->pub_len);
	ke->priv = ferry_secret_new(info->kind == KE_MODP ? info->exp_len : info->len);
	if (!ke->pub || !ke->priv) {
		crypto_ke_free(ke);
		return CRYPTO_ERR_NOMEM;
	}
	switch (info->kind) {
	case KE_MODP:
		st = generate_modp(ke);
		break;
	case KE_ECP:
		st = generate_ecp(ke);
		break;
	case KE_X25519:
		st = generate_x25519(ke);
		break;
	default:
		st = CRYPTO_ERR_UNSUPPORTED;
		break;
	}
	if (st != CRYPTO_OK) {
		crypto_ke_free(ke);
		return st;
	}
	*out = ke;
	return CRYPTO_OK;
}

void
crypto_ke_free(CryptoKe *ke)
{
	if (!ke)
		return;
	ferry_secret_free(ke->priv);
	free(ke->pub);
	free(ke);
}

static CryptoStatus
compute_modp(CryptoKe *ke, const uint8_t *peer, FerrySecret *shared)
{
	const KeInfo *info = ke->info;
	mpz_t p, y, x, z;
	CryptoStatus st = CRYPTO_OK;

	mpz_init_set_str(p, info->prime_hex, 16);
	mpz_init2(y, info->len * 8 + GMP_NUMB_BITS);
	import_be(y, peer, info->len);
	/* RFC 6989 §2.1: the peer's value must satisfy 1 < y < p-1. */
	mpz_sub_ui(p, p, 1);
	if (mpz_cmp_ui(y, 1) <= 0 || mpz_cmp(y, p) >= 0) {
		mpz_clear(y);
		mpz_clear(p);
		return CRYPTO_ERR_INVALID_PEER;
	}
	mpz_add_ui(p, p, 1);
	mpz_init2(x, info->exp_len * 8 + GMP_NUMB_BITS);
	mpz_init2(z, info->len * 8 + GMP_NUMB_BITS);
	import_be(x, ke->priv->data, ke->priv->len);
	mpz_powm_sec(z, y, x, p);
	if (mpz_cmp_ui(z, 1) <= 0)
		st = CRYPTO_ERR_INVALID_PEER;
	else if (!export_padded(z, shared->data, shared->len))
		st = CRYPTO_ERR_BACKEND;
	clear_mpz_secret(z);
	clear_mpz_secret(x);
	mpz_clear(y);
	mpz_clear(p);
	return st;
}

static CryptoStatus
compute_ecp(CryptoKe *ke, const uint8_t *peer, FerrySecret *shared)
{
	const struct ecc_curve *curve = ke->info->curve();
	size_t flen = ke->info->len;
	struct ecc_point their, result;
	struct ecc_scalar s;
	mpz_t x, y;
	CryptoStatus st = CRYPTO_OK;

	ecc_point_init(&their, curve);
	/* Sized up front so GMP never reallocates (and leaves unwiped copies of) the result. */
	mpz_init2(x, flen * 8 + GMP_NUMB_BITS);
	mpz_init2(y, flen * 8 + GMP_NUMB_BITS);
	import_be(x, peer, flen);
	import_be(y, peer + flen, flen);
	/* RFC 6989 §2.3: both coordinates below p and the point on the curve. */
	if (!ecc_point_set(&their, x, y)) {
		mpz_clear(y);
		mpz_clear(x);
		ecc_point_clear(&their);
		return CRYPTO_ERR_INVALID_PEER;
	}
	ecc_scalar_init(&s, curve);
	ecc_point_init(&result, curve);
	{
		mpz_t d;

		mpz_init2(d, flen * 8 + GMP_NUMB_BITS);
		import_be(d, ke->priv->data, ke->priv->len);
		if (!ecc_scalar_set(&s, d))
			st = CRYPTO_ERR_BACKEND;
		clear_mpz_secret(d);
	}
	if (st == CRYPTO_OK) {
		ecc_point_mul(&result, &s, &their);
		ecc_point_get(&result, x, y);
		/* RFC 5903 §7: the shared secret is the x coordinate alone. */
		if (!export_padded(x, shared->data, shared->len))
			st = CRYPTO_ERR_BACKEND;
	}
	clear_mpz_secret(y);
	clear_mpz_secret(x);
	clear_ecc_point_secret(&result, curve);
	clear_ecc_scalar(&s, curve);
	ecc_point_clear(&their);
	return st;
}

static CryptoStatus
compute_x25519(CryptoKe *ke, const uint8_t *peer, FerrySecret *shared)
{
	uint8_t acc = 0;

	curve25519_mul(shared->data, ke->priv->data, peer);
	/* RFC 8031 §2.3 / RFC 7748 §6.1: an all-zero result means a small-order point. */
	for (size_t i = 0; i < shared->len; i++)
		acc |= shared->data[i];
	return acc == 0 ? CRYPTO_ERR_INVALID_PEER : CRYPTO_OK;
}

CryptoStatus
crypto_ke_compute(CryptoKe *ke, const uint8_t *peer, size_t peer_len, FerrySecret **shared)
{
	FerrySecret *out;
	CryptoStatus st;

	*shared = NULL;
	/* RFC 7296 §3.4: the KE data has exactly the group's length. */
	if (!peer || peer_len != ke->pub_len)
		return CRYPTO_ERR_INVALID_PEER;
	out = ferry_secret_new(ke->info->len);
	if (!out)
		return CRYPTO_ERR_NOMEM;
	switch (ke->info->kind) {
	case KE_MODP:
		st = compute_modp(ke, peer, out);
		break;
	case KE_ECP:
		st = compute_ecp(ke, peer, out);
		break;
	case KE_X25519:
		st = compute_x25519(ke, peer, out);
		break;
	default:
		st = CRYPTO_ERR_UNSUPPORTED;
		break;
	}
	if (st != CRYPTO_OK) {
		ferry_secret_free(out);
		return st;
	}
	*shared = out;
	return CRYPTO_OK;
}
