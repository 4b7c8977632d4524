/* fuzz-eap.c - libFuzzer harness for EAP packets from the gateway (RFC 3748) and the
 * EAP-MSCHAPv2 peer (RFC 2759 packets inside EAP)
 *
 * Input: records of a big-endian u16 length and that many bytes.  Each record is decoded on
 * its own (EAP header, MS-CHAPv2 request, Failure text), and all records go in order through
 * one peer, so its states are reached.  The peer challenge comes from a fixed RNG.
 * Invariants: a response fits the buffer, decodes as an EAP Response with the request's
 * Identifier; the MSK exists only after a verified MS-CHAPv2 Success.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "crypto-eap.h"
#include "crypto-rng.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
fixed_rng(void *user_data, CryptoRngLevel level, uint8_t *out, size_t len)
{
	memset(out, 0x42, len);
}

static void
decode_alone(const uint8_t *p, size_t len)
{
	CryptoEapPacket pkt;
	CryptoMschapv2Request req;
	CryptoMschapv2Failure failure;

	if (crypto_eap_decode(p, len, &pkt) != CRYPTO_EAP_OK)
		return;
	if (pkt.data.len > len)
		abort();
	if (pkt.type == CRYPTO_EAP_TYPE_MSCHAPV2 &&
	    crypto_eap_mschapv2_decode_request(pkt.data, &req) == CRYPTO_EAP_OK) {
		crypto_eap_mschapv2_parse_failure(req.message, &failure);
		if (failure.message.len > req.message.len)
			abort();
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	FerrySecret *password = ferry_secret_new_from_string("clientPass");
	CryptoEapPeer *peer;
	uint8_t out[CRYPTO_EAP_RESPONSE_MAX];
	char text[128];

	crypto_rng_set_source(fixed_rng, NULL);
	peer = crypto_eap_peer_new("User", "User", password);
	while (peer && size >= 2) {
		size_t len = (size_t)data[0] << 8 | data[1], out_len = 0;
		CryptoEapPeerResult result;
		CryptoEapPacket in, reply;

		if (len > size - 2)
			len = size - 2;
		decode_alone(data + 2, len);
		result = crypto_eap_peer_process(peer, data + 2, len, out, sizeof(out), &out_len,
		                                 text, sizeof(text));
		if (out_len > sizeof(out) || strnlen(text, sizeof(text)) == sizeof(text))
			abort();
		if (out_len > 0) {
			if (crypto_eap_decode(out, out_len, &reply) != CRYPTO_EAP_OK ||
			    reply.code != CRYPTO_EAP_CODE_RESPONSE ||
			    crypto_eap_decode(data + 2, len, &in) != CRYPTO_EAP_OK ||
			    reply.id != in.id)
				abort();
		}
		if (result == CRYPTO_EAP_PEER_SUCCESS && !crypto_eap_peer_get_msk(peer))
			abort();
		data += 2 + len;
		size -= 2 + len;
	}
	crypto_eap_peer_free(peer);
	ferry_secret_free(password);
	crypto_rng_set_source(NULL, NULL);
	return 0;
}
