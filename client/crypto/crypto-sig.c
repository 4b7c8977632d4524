/* crypto-sig.c - AUTH payload signatures: methods 1, 9-11 (RFC 7296 §3.8, RFC 4754) and 14
 * (RFC 7427), signing with GnuTLS private keys (files or tokens), verifying with certificates */
#include <stdio.h>
#include <string.h>

#include <gnutls/crypto.h>
#include <nettle/bignum.h>
#include <nettle/rsa.h>

#include "crypto-cert-private.h"
#include "crypto-sig.h"
#include "ike-registry.h"

#define SIG_MAX 1024 /* bytes of a signature value: RSA-8192 */

typedef enum {
	FAMILY_RSA,
	FAMILY_ECDSA,
	FAMILY_ED25519,
} KeyFamily;

/* DER AlgorithmIdentifiers for method 14 (RFC 7427 Appendix A; Ed25519: RFC 8410 §3). */
static const uint8_t ai_rsa_sha256[] = {0x30, 0x0d, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86,
                                        0xf7, 0x0d, 0x01, 0x01, 0x0b, 0x05, 0x00};
static const uint8_t ai_rsa_sha384[] = {0x30, 0x0d, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86,
                                        0xf7, 0x0d, 0x01, 0x01, 0x0c, 0x05, 0x00};
static const uint8_t ai_rsa_sha512[] = {0x30, 0x0d, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86,
                                        0xf7, 0x0d, 0x01, 0x01, 0x0d, 0x05, 0x00};
/* RSASSA-PSS: hashAlgorithm [0], maskGenAlgorithm [1] = MGF1 with the same hash, saltLength
 * [2] = hash length, trailerField default (RFC 4055 §3.1). */
#define AI_PSS(h, salt)                                                                            \
	{                                                                                          \
		0x30, 0x41, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0a,      \
			0x30, 0x34, 0xa0, 0x0f, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01,    \
			0x65, 0x03, 0x04, 0x02, (h), 0x05, 0x00, 0xa1, 0x1c, 0x30, 0x1a, 0x06,     \
			0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x08, 0x30, 0x0d,    \
			0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, (h), 0x05,     \
			0x00, 0xa2, 0x03, 0x02, 0x01, (salt)                                       \
	}
static const uint8_t ai_pss_sha256[] = AI_PSS(0x01, 32);
static const uint8_t ai_pss_sha384[] = AI_PSS(0x02, 48);
static const uint8_t ai_pss_sha512[] = AI_PSS(0x03, 64);
static const uint8_t ai_ecdsa_sha256[] = {0x30, 0x0a, 0x06, 0x08, 0x2a, 0x86,
                                          0x48, 0xce, 0x3d, 0x04, 0x03, 0x02};
static const uint8_t ai_ecdsa_sha384[] = {0x30, 0x0a, 0x06, 0x08, 0x2a, 0x86,
                                          0x48, 0xce, 0x3d, 0x04, 0x03, 0x03};
static const uint8_t ai_ecdsa_sha512[] = {0x30, 0x0a, 0x06, 0x08, 0x2a, 0x86,
                                          0x48, 0xce, 0x3d, 0x04, 0x03, 0x04};
static const uint8_t ai_ed25519[] = {0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70};

typedef struct {
	const char *name;
	KeyFamily family;
	gnutls_sign_algorithm_t sign;
	gnutls_digest_algorithm_t digest;
	uint16_t ike_hash;
	const uint8_t *ai;
	size_t ai_len;
} SchemeInfo;

#define AI(a) a, sizeof(a)
/* clang-format 14.0.6 misaligns designated array initializers: kept by hand */
/* clang-format off */
static const SchemeInfo schemes[CRYPTO_SIG_N_SCHEMES] = {
	[CRYPTO_SIG_RSA_PKCS1_SHA1] = {"RSA PKCS#1 v1.5 SHA-1", FAMILY_RSA,
		GNUTLS_SIGN_RSA_SHA1, GNUTLS_DIG_SHA1, IKE_HASH_SHA1, NULL, 0},
	[CRYPTO_SIG_RSA_PKCS1_SHA256] = {"RSA PKCS#1 v1.5 SHA-256", FAMILY_RSA,
		GNUTLS_SIGN_RSA_SHA256, GNUTLS_DIG_SHA256, IKE_HASH_SHA2_256, AI(ai_rsa_sha256)},
	[CRYPTO_SIG_RSA_PKCS1_SHA384] = {"RSA PKCS#1 v1.5 SHA-384", FAMILY_RSA,
		GNUTLS_SIGN_RSA_SHA384, GNUTLS_DIG_SHA384, IKE_HASH_SHA2_384, AI(ai_rsa_sha384)},
	[CRYPTO_SIG_RSA_PKCS1_SHA512] = {"RSA PKCS#1 v1.5 SHA-512", FAMILY_RSA,
		GNUTLS_SIGN_RSA_SHA512, GNUTLS_DIG_SHA512, IKE_HASH_SHA2_512, AI(ai_rsa_sha512)},
	[CRYPTO_SIG_RSA_PSS_SHA256] = {"RSASSA-PSS SHA-256", FAMILY_RSA,
		GNUTLS_SIGN_RSA_PSS_RSAE_SHA256, GNUTLS_DIG_SHA256, IKE_HASH_SHA2_256,
		AI(ai_pss_sha256)},
	[CRYPTO_SIG_RSA_PSS_SHA384] = {"RSASSA-PSS SHA-384", FAMILY_RSA,
		GNUTLS_SIGN_RSA_PSS_RSAE_SHA384, GNUTLS_DIG_SHA384, IKE_HASH_SHA2_384,
		AI(ai_pss_sha384)},
	[CRYPTO_SIG_RSA_PSS_SHA512] = {"RSASSA-PSS SHA-512", FAMILY_RSA,
		GNUTLS_SIGN_RSA_PSS_RSAE_SHA512, GNUTLS_DIG_SHA512, IKE_HASH_SHA2_512,
		AI(ai_pss_sha512)},
	[CRYPTO_SIG_ECDSA_SHA256] = {"ECDSA SHA-256", FAMILY_ECDSA,
		GNUTLS_SIGN_ECDSA_SHA256, GNUTLS_DIG_SHA256, IKE_HASH_SHA2_256,
		AI(ai_ecdsa_sha256)},
	[CRYPTO_SIG_ECDSA_SHA384] = {"ECDSA SHA-384", FAMILY_ECDSA,
		GNUTLS_SIGN_ECDSA_SHA384, GNUTLS_DIG_SHA384, IKE_HASH_SHA2_384,
		AI(ai_ecdsa_sha384)},
	[CRYPTO_SIG_ECDSA_SHA512] = {"ECDSA SHA-512", FAMILY_ECDSA,
		GNUTLS_SIGN_ECDSA_SHA512, GNUTLS_DIG_SHA512, IKE_HASH_SHA2_512,
		AI(ai_ecdsa_sha512)},
	[CRYPTO_SIG_ED25519] = {"Ed25519", FAMILY_ED25519,
		GNUTLS_SIGN_EDDSA_ED25519, GNUTLS_DIG_UNKNOWN, IKE_HASH_IDENTITY, AI(ai_ed25519)},
};
/* clang-format on */

const char *
crypto_sig_scheme_to_string(CryptoSigScheme scheme)
{
	return (unsigned)scheme < CRYPTO_SIG_N_SCHEMES ? schemes[scheme].name : "unknown";
}

FerrySpan
crypto_sig_algorithm_identifier(CryptoSigScheme scheme)
{
	if ((unsigned)scheme >= CRYPTO_SIG_N_SCHEMES)
		return FERRY_SPAN_EMPTY;
	return FERRY_SPAN(schemes[scheme].ai, schemes[scheme].ai_len);
}

static bool
family_matches(KeyFamily family, CryptoKeyType key)
{
	switch (key) {
	case CRYPTO_KEY_RSA:
		return family == FAMILY_RSA;
	case CRYPTO_KEY_ECDSA_P256:
	case CRYPTO_KEY_ECDSA_P384:
	case CRYPTO_KEY_ECDSA_P521:
		return family == FAMILY_ECDSA;
	case CRYPTO_KEY_ED25519:
		return family == FAMILY_ED25519;
	case CRYPTO_KEY_UNSUPPORTED:
		break;
	}
	return false;
}

/* RFC 4754 §3 / §8: the method fixes curve and hash; r and s are each this many octets. */
static size_t
classic_ecdsa(uint8_t method, CryptoKeyType *key, CryptoSigScheme *scheme)
{
	switch (method) {
	case IKE_AUTH_ECDSA_SHA256_P256:
		*key = CRYPTO_KEY_ECDSA_P256;
		*scheme = CRYPTO_SIG_ECDSA_SHA256;
		return 32;
	case IKE_AUTH_ECDSA_SHA384_P384:
		*key = CRYPTO_KEY_ECDSA_P384;
		*scheme = CRYPTO_SIG_ECDSA_SHA384;
		return 48;
	case IKE_AUTH_ECDSA_SHA512_P521:
		*key = CRYPTO_KEY_ECDSA_P521;
		*scheme = CRYPTO_SIG_ECDSA_SHA512;
		return 66;
	}
	return 0;
}

/* ---- SIGNATURE_HASH_ALGORITHMS and the choice of method ------------------------------------ */

static const uint16_t our_hashes[] = {IKE_HASH_SHA2_256, IKE_HASH_SHA2_384, IKE_HASH_SHA2_512,
                                      IKE_HASH_IDENTITY};

size_t
crypto_sig_hash_algorithms_encode(uint8_t *out, size_t cap)
{
	size_t len = 2 * (sizeof(our_hashes) / sizeof(our_hashes[0]));

	if (cap < len)
		return 0;
	for (size_t i = 0; i < len / 2; i++)
		ferry_put_be16(out + 2 * i, our_hashes[i]);
	return len;
}

uint32_t
crypto_sig_hash_algorithms_decode(const uint8_t *data, size_t len)
{
	uint32_t set = 0;

	if (len % 2)
		return 0;
	for (size_t i = 0; i + 1 < len; i += 2) {
		uint16_t h = ferry_get_be16(data + i);

		if (h >= 1 && h < 32)
			set |= CRYPTO_SIG_HASH_BIT(h);
	}
	return set;
}

static CryptoSigScheme
rsa_scheme(uint16_t hash, bool pss)
{
	switch (hash) {
	case IKE_HASH_SHA2_384:
		return pss ? CRYPTO_SIG_RSA_PSS_SHA384 : CRYPTO_SIG_RSA_PKCS1_SHA384;
	case IKE_HASH_SHA2_512:
		return pss ? CRYPTO_SIG_RSA_PSS_SHA512 : CRYPTO_SIG_RSA_PKCS1_SHA512;
	default:
		return pss ? CRYPTO_SIG_RSA_PSS_SHA256 : CRYPTO_SIG_RSA_PKCS1_SHA256;
	}
}

static CryptoSigScheme
ecdsa_scheme(uint16_t hash)
{
	return hash == IKE_HASH_SHA2_384   ? CRYPTO_SIG_ECDSA_SHA384
	       : hash == IKE_HASH_SHA2_512 ? CRYPTO_SIG_ECDSA_SHA512
	                                   : CRYPTO_SIG_ECDSA_SHA256;
}

CryptoCertStatus
crypto_sig_choose(CryptoKeyType key,
                  uint32_t peer_hashes,
                  bool prefer_pss,
                  uint8_t *auth_method,
                  CryptoSigScheme *scheme,
                  CryptoCertError *err)
{
	uint16_t order[4] = {IKE_HASH_SHA2_256, IKE_HASH_SHA2_384, IKE_HASH_SHA2_512, 0};
	uint16_t classic_method = 0;

	switch (key) {
	case CRYPTO_KEY_RSA:
		classic_method = IKE_AUTH_RSA_SIG;
		*scheme = CRYPTO_SIG_RSA_PKCS1_SHA1;
		break;
	case CRYPTO_KEY_ECDSA_P256:
		classic_method = IKE_AUTH_ECDSA_SHA256_P256;
		*scheme = CRYPTO_SIG_ECDSA_SHA256;
		break;
	case CRYPTO_KEY_ECDSA_P384:
		classic_method = IKE_AUTH_ECDSA_SHA384_P384;
		*scheme = CRYPTO_SIG_ECDSA_SHA384;
		order[0] = IKE_HASH_SHA2_384;
		order[1] = IKE_HASH_SHA2_256;
		break;
	case CRYPTO_KEY_ECDSA_P521:
		classic_method = IKE_AUTH_ECDSA_SHA512_P521;
		*scheme = CRYPTO_SIG_ECDSA_SHA512;
		order[0] = IKE_HASH_SHA2_512;
		order[2] = IKE_HASH_SHA2_256;
		break;
	case CRYPTO_KEY_ED25519:
		/* RFC 8420 §2: Ed25519 signs the data itself, announced as hash "Identity" */
		if (!(peer_hashes & CRYPTO_SIG_HASH_BIT(IKE_HASH_IDENTITY)))
			return crypto_cert_fail(
				err, CRYPTO_CERT_ERR_UNSUPPORTED,
				"an Ed25519 key needs the gateway to announce "
				"RFC 8420 signatures (hash Identity), and it did not");
		*auth_method = IKE_AUTH_DIGITAL_SIGNATURE;
		*scheme = CRYPTO_SIG_ED25519;
		return crypto_cert_ok(err);
	case CRYPTO_KEY_UNSUPPORTED:
		return crypto_cert_fail(err, CRYPTO_CERT_ERR_UNSUPPORTED,
		                        "key type not supported for IKE signatures");
	}
	/* RFC 7427 §4: method 14 only with a hash the peer announced; otherwise the classic one */
	for (size_t i = 0; i < 3; i++) {
		if (!(peer_hashes & CRYPTO_SIG_HASH_BIT(order[i])))
			continue;
		*auth_method = IKE_AUTH_DIGITAL_SIGNATURE;
		*scheme = key == CRYPTO_KEY_RSA ? rsa_scheme(order[i], prefer_pss)
		                                : ecdsa_scheme(order[i]);
		return crypto_cert_ok(err);
	}
	*auth_method = (uint8_t)classic_method;
	return crypto_cert_ok(err);
}

/* ---- signing ---------------------------------------------------------------------------- */

/* DER Ecdsa-Sig-Value -> r | s, each left-padded to `n` octets (RFC 4754 §3). */
static bool
der_to_raw_rs(const gnutls_datum_t *der, size_t n, uint8_t *out)
{
	gnutls_datum_t r = {NULL, 0}, s = {NULL, 0};
	const gnutls_datum_t *parts[2] = {&r, &s};
	bool ok = gnutls_decode_rs_value(der, &r, &s) >= 0;

	for (size_t i = 0; ok && i < 2; i++) {
		const uint8_t *p = parts[i]->data;
		size_t len = parts[i]->size;

		while (len > 0 && *p == 0) {
			p++;
			len--;
		}
		ok = len <= n;
		if (ok) {
			memset(out + i * n, 0, n - len);
			memcpy(out + i * n + n - len, p, len);
		}
	}
	gnutls_free(r.data);
	gnutls_free(s.data);
	return ok;
}

CryptoCertStatus
crypto_sig_auth_create(const CryptoCredential *cred,
                       uint8_t auth_method,
                       CryptoSigScheme scheme,
                       const uint8_t *octets,
                       size_t octets_len,
                       uint8_t *out,
                       size_t cap,
                       size_t *out_len,
                       CryptoCertError *err)
{
	const CryptoKeyType key = crypto_credential_get_key_type(cred);
	gnutls_datum_t data = {(unsigned char *)octets, (unsigned)octets_len}, sig = {NULL, 0};
	const SchemeInfo *info;
	CryptoKeyType want_key;
	CryptoSigScheme classic;
	size_t rs_len = 0, prefix = 0;
	int ret;

	*out_len = 0;
	if ((unsigned)scheme >= CRYPTO_SIG_N_SCHEMES ||
	    !family_matches(schemes[scheme].family, key))
		return crypto_cert_fail(
			err, CRYPTO_CERT_ERR_UNSUPPORTED, "scheme %s cannot be used with a %s key",
			crypto_sig_scheme_to_string(scheme), crypto_key_type_to_string(key));
	info = &schemes[scheme];
	if (auth_method == IKE_AUTH_DIGITAL_SIGNATURE) {
		if (!info->ai)
			return crypto_cert_fail(err, CRYPTO_CERT_ERR_UNSUPPORTED,
			                        "%s is not used with RFC 7427 signatures",
			                        info->name);
		prefix = 1 + info->ai_len;
	} else if (auth_method == IKE_AUTH_RSA_SIG) {
		if (scheme != CRYPTO_SIG_RSA_PKCS1_SHA1)
			return crypto_cert_fail(err, CRYPTO_CERT_ERR_UNSUPPORTED,
			                        "AUTH method 1 is RSA PKCS#1 v1.5 with SHA-1");
	} else {
		rs_len = classic_ecdsa(auth_method, &want_key, &classic);
		if (!rs_len || want_key != key || classic != scheme)
			return crypto_cert_fail(err, CRYPTO_CERT_ERR_UNSUPPORTED,
			                        "AUTH method %u does not fit a %s key with %s",
			                        auth_method, crypto_key_type_to_string(key),
			                        info->name);
	}
	ret = gnutls_privkey_sign_data2(crypto_credential_get_privkey(cred), info->sign, 0, &data,
	                                &sig);
	if (ret < 0)
		return crypto_cert_fail(err, CRYPTO_CERT_ERR_BACKEND, "signing with %s failed: %s",
		                        info->name, gnutls_strerror(ret));
	if (prefix + (rs_len ? 2 * rs_len : sig.size) > cap || sig.size > SIG_MAX) {
		gnutls_free(sig.data);
		return crypto_cert_fail(err, CRYPTO_CERT_ERR_NOMEM, "AUTH buffer too small");
	}
	if (prefix) {
		out[0] = (uint8_t)info->ai_len;
		memcpy(out + 1, info->ai, info->ai_len);
	}
	if (rs_len) {
		if (!der_to_raw_rs(&sig, rs_len, out)) {
			gnutls_free(sig.data);
			return crypto_cert_fail(err, CRYPTO_CERT_ERR_BACKEND,
			                        "unexpected ECDSA signature encoding");
		}
		*out_len = 2 * rs_len;
	} else {
		memcpy(out + prefix, sig.data, sig.size);
		*out_len = prefix + sig.size;
	}
	gnutls_free(sig.data);
	return crypto_cert_ok(err);
}

/* ---- parsing a method-14 AlgorithmIdentifier (peer input: every length checked) --------- */

typedef struct {
	const uint8_t *p;
	size_t left;
} Der;

/* Next DER element: definite lengths of at most two octets, minimally encoded. */
static bool
der_next(Der *d, uint8_t *tag, Der *value)
{
	size_t len, hdr = 2;

	if (d->left < 2)
		return false;
	*tag = d->p[0];
	len = d->p[1];
	if (len == 0x81) {
		if (d->left < 3 || d->p[2] < 0x80)
			return false;
		len = d->p[2];
		hdr = 3;
	} else if (len == 0x82) {
		if (d->left < 4 || d->p[2] == 0)
			return false;
		len = (size_t)d->p[2] << 8 | d->p[3];
		hdr = 4;
	} else if (len >= 0x80) {
		return false;
	}
	if (len > d->left - hdr)
		return false;
	value->p = d->p + hdr;
	value->left = len;
	d->p += hdr + len;
	d->left -= hdr + len;
	return true;
}

static bool
der_is(const Der *d, const uint8_t *bytes, size_t len)
{
	return d->left == len && memcmp(d->p, bytes, len) == 0;
}

static const uint8_t oid_rsa_pss[] = {0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0a};
static const uint8_t oid_mgf1[] = {0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x08};
static const uint8_t oid_sha1[] = {0x2b, 0x0e, 0x03, 0x02, 0x1a};
static const uint8_t oid_sha2[] = {0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02}; /* + 1/2/3 */

/* AlgorithmIdentifier contents naming a hash, parameters absent or NULL (RFC 4055 §2.1). */
static bool
parse_hash_ai(Der seq, gnutls_digest_algorithm_t *dig)
{
	static const gnutls_digest_algorithm_t sha2[] = {GNUTLS_DIG_UNKNOWN, GNUTLS_DIG_SHA256,
	                                                 GNUTLS_DIG_SHA384, GNUTLS_DIG_SHA512};
	Der oid, params;
	uint8_t tag;

	if (!der_next(&seq, &tag, &oid) || tag != 0x06)
		return false;
	if (seq.left && (!der_next(&seq, &tag, &params) || tag != 0x05 || params.left || seq.left))
		return false;
	if (der_is(&oid, oid_sha1, sizeof(oid_sha1))) {
		*dig = GNUTLS_DIG_SHA1;
		return true;
	}
	if (oid.left != sizeof(oid_sha2) + 1 || memcmp(oid.p, oid_sha2, sizeof(oid_sha2)) ||
	    oid.p[sizeof(oid_sha2)] < 1 || oid.p[sizeof(oid_sha2)] > 3)
		return false;
	*dig = sha2[oid.p[sizeof(oid_sha2)]];
	return true;
}

static bool
parse_small_int(Der wrapped, unsigned *v)
{
	Der i;
	uint8_t tag;

	if (!der_next(&wrapped, &tag, &i) || tag != 0x02 || wrapped.left || i.left < 1 ||
	    i.left > 2 || (i.p[0] & 0x80))
		return false;
	*v = i.left == 1 ? i.p[0] : (unsigned)i.p[0] << 8 | i.p[1];
	return true;
}

/* RSASSA-PSS-params (RFC 4055 §3.1): every field optional, defaults SHA-1/MGF1-SHA-1/20/1. */
static bool
parse_pss_params(Der params, gnutls_digest_algorithm_t *dig, unsigned *salt)
{
	gnutls_digest_algorithm_t mgf_dig = GNUTLS_DIG_SHA1;
	unsigned trailer = 1;
	int last = -1;
	Der field, seq, oid, inner;
	uint8_t tag;

	*dig = GNUTLS_DIG_SHA1;
	*salt = 20;
	while (params.left) {
		if (!der_next(&params, &tag, &field) || tag < 0xa0 || tag > 0xa3 || tag <= last)
			return false;
		last = tag;
		if (last == 0xa0 && !(der_next(&field, &tag, &seq) && tag == 0x30 && !field.left &&
		                      parse_hash_ai(seq, dig)))
			return false;
		if (last == 0xa1 &&
		    !(der_next(&field, &tag, &seq) && tag == 0x30 && !field.left &&
		      der_next(&seq, &tag, &oid) && tag == 0x06 &&
		      der_is(&oid, oid_mgf1, sizeof(oid_mgf1)) && der_next(&seq, &tag, &inner) &&
		      tag == 0x30 && !seq.left && parse_hash_ai(inner, &mgf_dig)))
			return false;
		if (last == 0xa2 && !parse_small_int(field, salt))
			return false;
		if (last == 0xa3 && !parse_small_int(field, &trailer))
			return false;
	}
	return trailer == 1 && mgf_dig == *dig;
}

/* Known algorithm OIDs of method 14 with their scheme (parameters checked separately). */
/* clang-format off */
static const struct {
	uint8_t oid[9];
	size_t len;
	CryptoSigScheme scheme;
	bool null_params; /* parameters absent or NULL (RSA) rather than absent */
} known_oids[] = {
	{{0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x05}, 9,
	 CRYPTO_SIG_RSA_PKCS1_SHA1, true},
	{{0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0b}, 9,
	 CRYPTO_SIG_RSA_PKCS1_SHA256, true},
	{{0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0c}, 9,
	 CRYPTO_SIG_RSA_PKCS1_SHA384, true},
	{{0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0d}, 9,
	 CRYPTO_SIG_RSA_PKCS1_SHA512, true},
	{{0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x02}, 8, CRYPTO_SIG_ECDSA_SHA256, false},
	{{0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x03}, 8, CRYPTO_SIG_ECDSA_SHA384, false},
	{{0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x04}, 8, CRYPTO_SIG_ECDSA_SHA512, false},
	{{0x2b, 0x65, 0x70}, 3, CRYPTO_SIG_ED25519, false},
};
/* clang-format on */

/* The scheme and, for PSS, the salt length of an AlgorithmIdentifier. */
static CryptoCertStatus
parse_algorithm(const uint8_t *ai,
                size_t ai_len,
                CryptoSigScheme *scheme,
                unsigned *salt,
                CryptoCertError *err)
{
	Der all = {ai, ai_len}, seq, oid, params = {NULL, 0};
	gnutls_digest_algorithm_t dig;
	uint8_t tag, ptag = 0;
	bool has_params;

	if (!der_next(&all, &tag, &seq) || tag != 0x30 || all.left || !der_next(&seq, &tag, &oid) ||
	    tag != 0x06)
		return crypto_cert_fail(err, CRYPTO_CERT_ERR_PARSE,
		                        "malformed signature AlgorithmIdentifier in AUTH");
	has_params = seq.left > 0;
	if (has_params && (!der_next(&seq, &ptag, &params) || seq.left))
		return crypto_cert_fail(err, CRYPTO_CERT_ERR_PARSE,
		                        "malformed signature parameters in AUTH");
	if (der_is(&oid, oid_rsa_pss, sizeof(oid_rsa_pss))) {
		if (!has_params || ptag != 0x30 || !parse_pss_params(params, &dig, salt))
			return crypto_cert_fail(err, CRYPTO_CERT_ERR_PARSE,
			                        "malformed or inconsistent RSASSA-PSS parameters");
		if (dig == GNUTLS_DIG_SHA1)
			return crypto_cert_fail(err, CRYPTO_CERT_ERR_UNSUPPORTED,
			                        "RSASSA-PSS with SHA-1 was not offered");
		*scheme = dig == GNUTLS_DIG_SHA256   ? CRYPTO_SIG_RSA_PSS_SHA256
		          : dig == GNUTLS_DIG_SHA384 ? CRYPTO_SIG_RSA_PSS_SHA384
		                                     : CRYPTO_SIG_RSA_PSS_SHA512;
		return CRYPTO_CERT_OK;
	}
	for (size_t i = 0; i < sizeof(known_oids) / sizeof(known_oids[0]); i++) {
		if (!der_is(&oid, known_oids[i].oid, known_oids[i].len))
			continue;
		if (has_params && !(known_oids[i].null_params && ptag == 0x05 && !params.left))
			return crypto_cert_fail(err, CRYPTO_CERT_ERR_PARSE,
			                        "unexpected signature parameters in AUTH");
		/* RFC 7427 §4: we announced SHA2-256/384/512 and Identity only */
		if (known_oids[i].scheme == CRYPTO_SIG_RSA_PKCS1_SHA1)
			return crypto_cert_fail(err, CRYPTO_CERT_ERR_UNSUPPORTED,
			                        "signature with SHA-1, which was not offered");
		*scheme = known_oids[i].scheme;
		return CRYPTO_CERT_OK;
	}
	return crypto_cert_fail(err, CRYPTO_CERT_ERR_UNSUPPORTED,
	                        "unknown signature algorithm in AUTH");
}

/* ---- verifying ---------------------------------------------------------------------------- */

/* RSASSA-PSS with any salt length through Nettle (GnuTLS fixes it to the hash length). */
static bool
verify_pss(gnutls_pubkey_t pub,
           gnutls_digest_algorithm_t dig,
           unsigned salt,
           const gnutls_datum_t *data,
           const gnutls_datum_t *sig)
{
	gnutls_datum_t m = {NULL, 0}, e = {NULL, 0};
	struct rsa_public_key key;
	uint8_t digest[64];
	mpz_t s;
	int ok = 0;

	if (gnutls_pubkey_export_rsa_raw2(pub, &m, &e, 0) < 0)
		return false;
	rsa_public_key_init(&key);
	nettle_mpz_set_str_256_u(key.n, m.size, m.data);
	nettle_mpz_set_str_256_u(key.e, e.size, e.data);
	mpz_init(s);
	if (rsa_public_key_prepare(&key) && sig->size == key.size &&
	    gnutls_hash_fast(dig, data->data, data->size, digest) >= 0) {
		nettle_mpz_set_str_256_u(s, sig->size, sig->data);
		switch (dig) {
		case GNUTLS_DIG_SHA256:
			ok = rsa_pss_sha256_verify_digest(&key, salt, digest, s);
			break;
		case GNUTLS_DIG_SHA384:
			ok = rsa_pss_sha384_verify_digest(&key, salt, digest, s);
			break;
		case GNUTLS_DIG_SHA512:
			ok = rsa_pss_sha512_verify_digest(&key, salt, digest, s);
			break;
		default:
			break;
		}
	}
	mpz_clear(s);
	rsa_public_key_clear(&key);
	gnutls_free(m.data);
	gnutls_free(e.data);
	return ok != 0;
}

/* r | s (RFC 4754) -> DER Ecdsa-Sig-Value for GnuTLS. */
static bool
raw_rs_to_der(const uint8_t *rs, size_t n, gnutls_datum_t *der)
{
	gnutls_datum_t r = {(unsigned char *)rs, (unsigned)n};
	gnutls_datum_t s = {(unsigned char *)rs + n, (unsigned)n};

	while (r.size > 1 && r.data[0] == 0) {
		r.data++;
		r.size--;
	}
	while (s.size > 1 && s.data[0] == 0) {
		s.data++;
		s.size--;
	}
	return gnutls_encode_rs_value(der, &r, &s) >= 0;
}

static CryptoCertStatus
verify_scheme(const CryptoCert *signer,
              CryptoSigScheme scheme,
              unsigned salt,
              const gnutls_datum_t *data,
              const gnutls_datum_t *sig,
              CryptoCertError *err)
{
	const SchemeInfo *info = &schemes[scheme];
	gnutls_pubkey_t pub = crypto_cert_get_pubkey(signer);
	bool pss = scheme >= CRYPTO_SIG_RSA_PSS_SHA256 && scheme <= CRYPTO_SIG_RSA_PSS_SHA512;
	unsigned flags =
		scheme == CRYPTO_SIG_RSA_PKCS1_SHA1 ? GNUTLS_VERIFY_ALLOW_SIGN_WITH_SHA1 : 0;
	bool ok;

	if (!family_matches(info->family, crypto_cert_get_key_type(signer)))
		return crypto_cert_fail(
			err, CRYPTO_CERT_ERR_UNSUPPORTED,
			"AUTH signed with %s, but certificate '%s' has a %s key", info->name,
			crypto_cert_get_subject(signer),
			crypto_key_type_to_string(crypto_cert_get_key_type(signer)));
	if (sig->size == 0 || sig->size > SIG_MAX)
		ok = false;
	else if (pss)
		ok = verify_pss(pub, info->digest, salt, data, sig);
	else
		ok = gnutls_pubkey_verify_data2(pub, info->sign, flags, data, sig) >= 0;
	if (!ok)
		return crypto_cert_fail(err, CRYPTO_CERT_ERR_BAD_SIGNATURE,
		                        "bad signature: the AUTH payload (%s) does not verify with "
		                        "the key of certificate '%s'",
		                        info->name, crypto_cert_get_subject(signer));
	return crypto_cert_ok(err);
}

CryptoCertStatus
crypto_sig_auth_verify(const CryptoCert *signer,
                       uint8_t auth_method,
                       const uint8_t *auth_data,
                       size_t auth_len,
                       const uint8_t *octets,
                       size_t octets_len,
                       CryptoSigScheme *used,
                       CryptoCertError *err)
{
	gnutls_datum_t data = {(unsigned char *)octets, (unsigned)octets_len};
	gnutls_datum_t sig = {(unsigned char *)auth_data, (unsigned)auth_len}, der = {NULL, 0};
	CryptoSigScheme scheme = CRYPTO_SIG_RSA_PKCS1_SHA1;
	CryptoKeyType want_key;
	CryptoCertStatus st;
	unsigned salt = 0;
	size_t n;

	if (auth_len == 0 || auth_len > CRYPTO_SIG_AUTH_MAX)
		return crypto_cert_fail(err, CRYPTO_CERT_ERR_PARSE, "AUTH data of %zu bytes",
		                        auth_len);
	switch (auth_method) {
	case IKE_AUTH_DIGITAL_SIGNATURE:
		/* RFC 7427 §3: ASN.1 length | AlgorithmIdentifier | signature value */
		if (auth_data[0] == 0 || (size_t)auth_data[0] + 1 >= auth_len)
			return crypto_cert_fail(err, CRYPTO_CERT_ERR_PARSE,
			                        "AUTH AlgorithmIdentifier length %u of %zu bytes",
			                        auth_data[0], auth_len);
		st = parse_algorithm(auth_data + 1, auth_data[0], &scheme, &salt, err);
		if (st != CRYPTO_CERT_OK)
			return st;
		sig.data += 1 + auth_data[0];
		sig.size -= 1u + auth_data[0];
		st = verify_scheme(signer, scheme, salt, &data, &sig, err);
		break;
	case IKE_AUTH_RSA_SIG:
		scheme = CRYPTO_SIG_RSA_PKCS1_SHA1;
		st = verify_scheme(signer, scheme, 0, &data, &sig, err);
		break;
	default:
		n = classic_ecdsa(auth_method, &want_key, &scheme);
		if (!n)
			return crypto_cert_fail(
				err, CRYPTO_CERT_ERR_UNSUPPORTED,
				"AUTH method %u is not a signature method we support", auth_method);
		if (crypto_cert_get_key_type(signer) != want_key)
			return crypto_cert_fail(
				err, CRYPTO_CERT_ERR_UNSUPPORTED,
				"AUTH method %u needs a %s key, certificate '%s' "
				"has %s",
				auth_method, crypto_key_type_to_string(want_key),
				crypto_cert_get_subject(signer),
				crypto_key_type_to_string(crypto_cert_get_key_type(signer)));
		if (auth_len != 2 * n)
			return crypto_cert_fail(err, CRYPTO_CERT_ERR_PARSE,
			                        "ECDSA AUTH of %zu bytes, %zu expected", auth_len,
			                        2 * n);
		if (!raw_rs_to_der(auth_data, n, &der))
			return crypto_cert_fail(err, CRYPTO_CERT_ERR_BACKEND, "out of memory");
		st = verify_scheme(signer, scheme, 0, &data, &der, err);
		gnutls_free(der.data);
		break;
	}
	if (st == CRYPTO_CERT_OK && used)
		*used = scheme;
	return st;
}
