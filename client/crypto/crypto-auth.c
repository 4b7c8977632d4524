/* crypto-auth.c - the octets an IKE peer signs and the shared-key AUTH value (RFC 7296 §2.15) */
#include <stdlib.h>
#include <string.h>

#include "crypto-auth.h"
#include "crypto-prf.h"

#define PRF_MAX_OUTPUT 64

/* RFC 7296 §2.15: the pad string, 17 ASCII octets without a terminating NUL. */
static const uint8_t key_pad[] = "Key Pad for IKEv2";
#define KEY_PAD_LEN (sizeof(key_pad) - 1)

CryptoStatus
crypto_auth_signed_octets(uint16_t prf_id,
                          const uint8_t *message,
                          size_t message_len,
                          const uint8_t *peer_nonce,
                          size_t peer_nonce_len,
                          const FerrySecret *sk_p,
                          const uint8_t *id_payload_body,
                          size_t id_payload_body_len,
                          uint8_t **out,
                          size_t *out_len)
{
	size_t mac_len = crypto_prf_output_size(prf_id);
	size_t total;
	uint8_t *buf;
	CryptoStatus st;

	*out = NULL;
	*out_len = 0;
	if (mac_len == 0)
		return CRYPTO_ERR_UNSUPPORTED;
	total = message_len + peer_nonce_len + mac_len;
	buf = malloc(total);
	if (!buf)
		return CRYPTO_ERR_NOMEM;
	/* InitiatorSignedOctets = RealMessage1 | NonceRData | MACedIDForI, likewise for R. */
	memcpy(buf, message, message_len);
	memcpy(buf + message_len, peer_nonce, peer_nonce_len);
	st = crypto_prf1(prf_id, sk_p->data, sk_p->len, id_payload_body, id_payload_body_len,
	                 buf + message_len + peer_nonce_len);
	if (st != CRYPTO_OK) {
		free(buf);
		return st;
	}
	*out = buf;
	*out_len = total;
	return CRYPTO_OK;
}

CryptoStatus
crypto_auth_psk(uint16_t prf_id,
                const FerrySecret *psk,
                const uint8_t *signed_octets,
                size_t signed_octets_len,
                uint8_t *out)
{
	uint8_t inner[PRF_MAX_OUTPUT];
	CryptoStatus st;

	if (!crypto_prf_supported(prf_id))
		return CRYPTO_ERR_UNSUPPORTED;
	/* AUTH = prf( prf(Shared Secret, "Key Pad for IKEv2"), <SignedOctets>) */
	st = crypto_prf1(prf_id, psk->data, psk->len, key_pad, KEY_PAD_LEN, inner);
	if (st == CRYPTO_OK)
		st = crypto_prf1(prf_id, inner, crypto_prf_output_size(prf_id), signed_octets,
		                 signed_octets_len, out);
	ferry_wipe(inner, sizeof(inner));
	return st;
}
