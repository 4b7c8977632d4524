/* crypto-eap-mschapv2.c - MS-CHAPv2 (RFC 2759 §8) and its MPPE/MSK keys (RFC 3079 §3) */
#include <stdio.h>
#include <string.h>

#include <gnutls/crypto.h>
#include <nettle/des.h>
#include <nettle/md4.h>
#include <nettle/sha1.h>

#include "crypto-eap-mschapv2.h"

/* RFC 2759 §8.7 */
static const uint8_t magic_server_to_client[39] = "Magic server to client signing constant";
static const uint8_t magic_pad_make_it[41] = "Pad to make it do more than one iteration";
/* RFC 3079 §3.4 */
static const uint8_t magic1[27] = "This is the MPPE Master Key";
static const uint8_t magic2[84] = "On the client side, this is the send key; "
				  "on the server side, it is the receive key.";
static const uint8_t magic3[84] = "On the client side, this is the receive key; "
				  "on the server side, it is the send key.";

/* Decodes one UTF-8 character; 0 on malformed input (overlong, surrogate, > U+10FFFF). */
static size_t
utf8_next(const uint8_t *s, size_t len, uint32_t *cp)
{
	static const uint32_t min[] = {0, 0, 0x80, 0x800, 0x10000};
	size_t n;

	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	n = (s[0] & 0xe0) == 0xc0 ? 2 : (s[0] & 0xf0) == 0xe0 ? 3 : (s[0] & 0xf8) == 0xf0 ? 4 : 0;
	if (n == 0 || n > len)
		return 0;
	*cp = s[0] & (0x7f >> n);
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		*cp = *cp << 6 | (s[i] & 0x3f);
	}
	if (*cp < min[n] || *cp > 0x10ffff || (*cp >= 0xd800 && *cp <= 0xdfff))
		return 0;
	return n;
}

/* UTF-8 -> UTF-16LE into out (2 * 2 * PASSWORD_MAX octets); returns octets, or -1. */
static long
to_utf16le(const FerrySecret *password, uint8_t *out, size_t cap)
{
	size_t o = 0, chars = 0;
	uint32_t cp;

	for (size_t i = 0; i < password->len;) {
		size_t n = utf8_next(password->data + i, password->len - i, &cp);

		if (n == 0 || ++chars > CRYPTO_MSCHAPV2_PASSWORD_MAX)
			return -1;
		i += n;
		if (cp >= 0x10000) {
			uint32_t v = cp - 0x10000;

			if (o + 4 > cap)
				return -1;
			out[o] = (uint8_t)(0xd800 | v >> 10);
			out[o + 1] = (uint8_t)((0xd800 | v >> 10) >> 8);
			out[o + 2] = (uint8_t)(0xdc00 | (v & 0x3ff));
			out[o + 3] = (uint8_t)((0xdc00 | (v & 0x3ff)) >> 8);
			o += 4;
		} else {
			if (o + 2 > cap)
				return -1;
			out[o] = (uint8_t)cp;
			out[o + 1] = (uint8_t)(cp >> 8);
			o += 2;
		}
	}
	return (long)o;
}

CryptoStatus
crypto_mschapv2_nt_password_hash(const FerrySecret *password, uint8_t out[CRYPTO_MSCHAPV2_HASH_LEN])
{
	uint8_t unicode[4 * CRYPTO_MSCHAPV2_PASSWORD_MAX];
	struct md4_ctx md4;
	long len = to_utf16le(password, unicode, sizeof(unicode));

	if (len < 0) {
		ferry_wipe(unicode, sizeof(unicode));
		return CRYPTO_ERR_LENGTH;
	}
	md4_init(&md4);
	md4_update(&md4, (size_t)len, unicode);
	md4_digest(&md4, MD4_DIGEST_SIZE, out);
	ferry_wipe(unicode, sizeof(unicode));
	ferry_wipe(&md4, sizeof(md4));
	return CRYPTO_OK;
}

void
crypto_mschapv2_challenge_hash(const uint8_t peer_challenge[16],
                               const uint8_t authenticator_challenge[16],
                               const uint8_t *user_name,
                               size_t user_name_len,
                               uint8_t out[8])
{
	struct sha1_ctx sha;
	uint8_t digest[SHA1_DIGEST_SIZE];

	sha1_init(&sha);
	sha1_update(&sha, 16, peer_challenge);
	sha1_update(&sha, 16, authenticator_challenge);
	sha1_update(&sha, user_name_len, user_name);
	sha1_digest(&sha, sizeof(digest), digest);
	memcpy(out, digest, 8);
}

/* RFC 2759 §8.6 DesEncrypt: a 7-octet key spread over 8 octets (parity bits left zero; Nettle
 * ignores parity).  Nettle flags weak keys by its return value but schedules them anyway, and
 * MS-CHAPv2 must use whatever key the hash gives. */
static void
des_encrypt_7(const uint8_t clear[8], const uint8_t key7[7], uint8_t out[8])
{
	struct des_ctx des;
	uint8_t key[8];

	key[0] = key7[0];
	for (int i = 1; i < 7; i++)
		key[i] = (uint8_t)(key7[i - 1] << (8 - i) | key7[i] >> i);
	key[7] = (uint8_t)(key7[6] << 1);
	for (int i = 0; i < 8; i++)
		key[i] &= 0xfe;
	(void)des_set_key(&des, key);
	des_encrypt(&des, 8, out, clear);
	ferry_wipe(key, sizeof(key));
	ferry_wipe(&des, sizeof(des));
}

void
crypto_mschapv2_challenge_response(const uint8_t challenge[8],
                                   const uint8_t password_hash[CRYPTO_MSCHAPV2_HASH_LEN],
                                   uint8_t out[CRYPTO_MSCHAPV2_NT_RESPONSE_LEN])
{
	uint8_t z[21] = {0};

	/* ZPasswordHash: the hash padded with zeros to 21 octets, three 7-octet DES keys */
	memcpy(z, password_hash, CRYPTO_MSCHAPV2_HASH_LEN);
	des_encrypt_7(challenge, z, out);
	des_encrypt_7(challenge, z + 7, out + 8);
	des_encrypt_7(challenge, z + 14, out + 16);
	ferry_wipe(z, sizeof(z));
}

CryptoStatus
crypto_mschapv2_nt_response(const uint8_t authenticator_challenge[16],
                            const uint8_t peer_challenge[16],
                            const uint8_t *user_name,
                            size_t user_name_len,
                            const FerrySecret *password,
                            uint8_t out[CRYPTO_MSCHAPV2_NT_RESPONSE_LEN])
{
	uint8_t challenge[8], hash[CRYPTO_MSCHAPV2_HASH_LEN];
	CryptoStatus st;

	crypto_mschapv2_challenge_hash(peer_challenge, authenticator_challenge, user_name,
	                               user_name_len, challenge);
	st = crypto_mschapv2_nt_password_hash(password, hash);
	if (st == CRYPTO_OK)
		crypto_mschapv2_challenge_response(challenge, hash, out);
	ferry_wipe(hash, sizeof(hash));
	return st;
}

/* PasswordHashHash = MD4(NtPasswordHash) (RFC 2759 §8.4) */
static CryptoStatus
password_hash_hash(const FerrySecret *password, uint8_t out[16])
{
	uint8_t hash[CRYPTO_MSCHAPV2_HASH_LEN];
	struct md4_ctx md4;
	CryptoStatus st = crypto_mschapv2_nt_password_hash(password, hash);

	if (st == CRYPTO_OK) {
		md4_init(&md4);
		md4_update(&md4, sizeof(hash), hash);
		md4_digest(&md4, MD4_DIGEST_SIZE, out);
		ferry_wipe(&md4, sizeof(md4));
	}
	ferry_wipe(hash, sizeof(hash));
	return st;
}

CryptoStatus
crypto_mschapv2_authenticator_response(const FerrySecret *password,
                                       const uint8_t nt_response[24],
                                       const uint8_t peer_challenge[16],
                                       const uint8_t authenticator_challenge[16],
                                       const uint8_t *user_name,
                                       size_t user_name_len,
                                       char out[CRYPTO_MSCHAPV2_AUTH_RESPONSE_LEN + 1])
{
	uint8_t hh[16], digest[SHA1_DIGEST_SIZE], challenge[8];
	struct sha1_ctx sha;
	CryptoStatus st = password_hash_hash(password, hh);

	if (st != CRYPTO_OK)
		return st;
	/* Digest = SHA-1(PasswordHashHash | NT-Response | Magic1);
	 * SHA-1(Digest | ChallengeHash | Magic2), as "S=" and upper-case hex (RFC 2759 §8.7) */
	sha1_init(&sha);
	sha1_update(&sha, sizeof(hh), hh);
	sha1_update(&sha, 24, nt_response);
	sha1_update(&sha, sizeof(magic_server_to_client), magic_server_to_client);
	sha1_digest(&sha, sizeof(digest), digest);
	crypto_mschapv2_challenge_hash(peer_challenge, authenticator_challenge, user_name,
	                               user_name_len, challenge);
	sha1_init(&sha);
	sha1_update(&sha, sizeof(digest), digest);
	sha1_update(&sha, sizeof(challenge), challenge);
	sha1_update(&sha, sizeof(magic_pad_make_it), magic_pad_make_it);
	sha1_digest(&sha, sizeof(digest), digest);
	out[0] = 'S';
	out[1] = '=';
	for (size_t i = 0; i < sizeof(digest); i++)
		snprintf(out + 2 + 2 * i, 3, "%02X", digest[i]);
	ferry_wipe(hh, sizeof(hh));
	return CRYPTO_OK;
}

bool
crypto_mschapv2_check_authenticator_response(
	const char expected[CRYPTO_MSCHAPV2_AUTH_RESPONSE_LEN + 1],
	const uint8_t *received,
	size_t received_len)
{
	uint8_t upper[CRYPTO_MSCHAPV2_AUTH_RESPONSE_LEN];

	if (received_len != CRYPTO_MSCHAPV2_AUTH_RESPONSE_LEN)
		return false;
	for (size_t i = 0; i < received_len; i++)
		upper[i] = (received[i] >= 'a' && received[i] <= 'f') ? received[i] - 0x20
		                                                      : received[i];
	return gnutls_memcmp(upper, expected, CRYPTO_MSCHAPV2_AUTH_RESPONSE_LEN) == 0;
}

/* RFC 3079 §3.4 GetAsymmetricStartKey with a 16-octet session key. */
static void
asymmetric_start_key(const uint8_t master_key[16], const uint8_t magic[84], uint8_t out[16])
{
	static const uint8_t pad1[40] = {0};
	uint8_t pad2[40], digest[SHA1_DIGEST_SIZE];
	struct sha1_ctx sha;

	memset(pad2, 0xf2, sizeof(pad2));
	sha1_init(&sha);
	sha1_update(&sha, 16, master_key);
	sha1_update(&sha, sizeof(pad1), pad1);
	sha1_update(&sha, 84, magic);
	sha1_update(&sha, sizeof(pad2), pad2);
	sha1_digest(&sha, sizeof(digest), digest);
	memcpy(out, digest, 16);
	ferry_wipe(digest, sizeof(digest));
	ferry_wipe(&sha, sizeof(sha));
}

CryptoStatus
crypto_mschapv2_master_keys(const FerrySecret *password,
                            const uint8_t nt_response[24],
                            uint8_t master_key[16],
                            uint8_t magic2_key[16],
                            uint8_t magic3_key[16])
{
	uint8_t hh[16], digest[SHA1_DIGEST_SIZE];
	struct sha1_ctx sha;
	CryptoStatus st = password_hash_hash(password, hh);

	if (st != CRYPTO_OK)
		return st;
	sha1_init(&sha);
	sha1_update(&sha, sizeof(hh), hh);
	sha1_update(&sha, 24, nt_response);
	sha1_update(&sha, sizeof(magic1), magic1);
	sha1_digest(&sha, sizeof(digest), digest);
	memcpy(master_key, digest, 16);
	asymmetric_start_key(master_key, magic2, magic2_key);
	asymmetric_start_key(master_key, magic3, magic3_key);
	ferry_wipe(hh, sizeof(hh));
	ferry_wipe(digest, sizeof(digest));
	ferry_wipe(&sha, sizeof(sha));
	return CRYPTO_OK;
}

CryptoStatus
crypto_mschapv2_msk(const FerrySecret *password, const uint8_t nt_response[24], FerrySecret **msk)
{
	uint8_t master[16];
	FerrySecret *out;
	CryptoStatus st;

	*msk = NULL;
	out = ferry_secret_new(CRYPTO_MSCHAPV2_MSK_LEN);
	if (!out)
		return CRYPTO_ERR_NOMEM;
	/* the authenticator's MasterReceiveKey (Magic2), MasterSendKey (Magic3), 32 zeros */
	st = crypto_mschapv2_master_keys(password, nt_response, master, out->data, out->data + 16);
	ferry_wipe(master, sizeof(master));
	if (st != CRYPTO_OK) {
		ferry_secret_free(out);
		return st;
	}
	*msk = out;
	return CRYPTO_OK;
}
