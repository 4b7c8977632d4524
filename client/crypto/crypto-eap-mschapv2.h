/* crypto-eap-mschapv2.h - the MS-CHAPv2 algorithms (RFC 2759 §8) and the MPPE master keys that
 * make the EAP-MSCHAPv2 MSK (RFC 3079 §3.4, [MS-CHAP] §3.1.5.1) (GLib-free)
 *
 * The MSK is what IKEv2 signs its final AUTH payloads with after EAP (RFC 7296 §2.16):
 * AUTH = prf(prf(MSK, "Key Pad for IKEv2"), <signed octets>), i.e. crypto_auth_psk() with the
 * MSK in place of the shared key.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "crypto-status.h"
#include "ferry-secret.h"

#define CRYPTO_MSCHAPV2_CHALLENGE_LEN     16
#define CRYPTO_MSCHAPV2_NT_RESPONSE_LEN   24
#define CRYPTO_MSCHAPV2_HASH_LEN          16
#define CRYPTO_MSCHAPV2_AUTH_RESPONSE_LEN 42 /* "S=" and 40 upper-case hex digits */
#define CRYPTO_MSCHAPV2_MSK_LEN           64
#define CRYPTO_MSCHAPV2_PASSWORD_MAX      256 /* Unicode characters (RFC 2759 §8.1) */

/* NtPasswordHash: MD4 of the password in UTF-16LE (RFC 2759 §8.3).  The password is UTF-8;
 * invalid UTF-8 or more than 256 characters: CRYPTO_ERR_LENGTH.  out is secret: wipe it. */
CryptoStatus crypto_mschapv2_nt_password_hash(const FerrySecret *password,
                                              uint8_t out[CRYPTO_MSCHAPV2_HASH_LEN]);

/* ChallengeHash: SHA-1(PeerChallenge | AuthenticatorChallenge | UserName)[0..7] (§8.2).
 * UserName is the name without any domain ("DOMAIN\user" -> "user" is the caller's choice). */
void crypto_mschapv2_challenge_hash(const uint8_t peer_challenge[16],
                                    const uint8_t authenticator_challenge[16],
                                    const uint8_t *user_name,
                                    size_t user_name_len,
                                    uint8_t out[8]);

/* ChallengeResponse: three DES encryptions of the challenge under the hash (§8.5). */
void crypto_mschapv2_challenge_response(const uint8_t challenge[8],
                                        const uint8_t password_hash[CRYPTO_MSCHAPV2_HASH_LEN],
                                        uint8_t out[CRYPTO_MSCHAPV2_NT_RESPONSE_LEN]);

/* GenerateNTResponse (§8.1). */
CryptoStatus crypto_mschapv2_nt_response(const uint8_t authenticator_challenge[16],
                                         const uint8_t peer_challenge[16],
                                         const uint8_t *user_name,
                                         size_t user_name_len,
                                         const FerrySecret *password,
                                         uint8_t out[CRYPTO_MSCHAPV2_NT_RESPONSE_LEN]);

/* GenerateAuthenticatorResponse (§8.7): "S=" + 40 hex digits, NUL-terminated in out[43]. */
CryptoStatus
crypto_mschapv2_authenticator_response(const FerrySecret *password,
                                       const uint8_t nt_response[24],
                                       const uint8_t peer_challenge[16],
                                       const uint8_t authenticator_challenge[16],
                                       const uint8_t *user_name,
                                       size_t user_name_len,
                                       char out[CRYPTO_MSCHAPV2_AUTH_RESPONSE_LEN + 1]);

/* Does the authenticator's "S=..." (42 octets, hex in either case) prove it knew the password
 * (RFC 2759 §5)?  Constant-time comparison. */
bool crypto_mschapv2_check_authenticator_response(
	const char expected[CRYPTO_MSCHAPV2_AUTH_RESPONSE_LEN + 1],
	const uint8_t *received,
	size_t received_len);

/* RFC 3079 §3.4: MasterKey = SHA-1(PasswordHashHash | NT-Response | Magic1)[0..15], and the two
 * 16-octet start keys: magic2_key (client send = server receive) and magic3_key (client
 * receive = server send).  All three are secret: wipe them. */
CryptoStatus crypto_mschapv2_master_keys(const FerrySecret *password,
                                         const uint8_t nt_response[24],
                                         uint8_t master_key[16],
                                         uint8_t magic2_key[16],
                                         uint8_t magic3_key[16]);

/* The EAP-MSCHAPv2 MSK ([MS-CHAP] §3.1.5.1, as strongSwan and Windows use it):
 * MasterReceiveKey | MasterSendKey (the authenticator's, i.e. magic2_key | magic3_key) and 32
 * zero octets.  (transfer full) *msk. */
CryptoStatus
crypto_mschapv2_msk(const FerrySecret *password, const uint8_t nt_response[24], FerrySecret **msk);
