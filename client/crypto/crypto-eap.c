/* crypto-eap.c - EAP packet codec (RFC 3748), EAP-MSCHAPv2 packets and the IKEv2 EAP peer */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crypto-eap-tls.h"
#include "crypto-eap.h"
#include "crypto-rng.h"

/* draft-kamath-pppext-eap-mschapv2-02 §2: Value-Size of Challenge and Response packets */
#define MSCHAPV2_CHALLENGE_VALUE 16
#define MSCHAPV2_RESPONSE_VALUE  49
#define MSCHAPV2_HEADER_LEN      4 /* OpCode, MS-CHAPv2-ID, MS-Length */

const char *
crypto_eap_status_to_string(CryptoEapStatus st)
{
	switch (st) {
	case CRYPTO_EAP_OK:
		return "ok";
	case CRYPTO_EAP_ERR_TRUNCATED:
		return "truncated EAP packet";
	case CRYPTO_EAP_ERR_LENGTH:
		return "inconsistent EAP length";
	case CRYPTO_EAP_ERR_FORMAT:
		return "malformed EAP packet";
	case CRYPTO_EAP_ERR_SPACE:
		return "EAP buffer too small";
	}
	return "unknown EAP status";
}

CryptoEapStatus
crypto_eap_decode(const uint8_t *buf, size_t len, CryptoEapPacket *out)
{
	size_t length;

	memset(out, 0, sizeof(*out));
	if (len < CRYPTO_EAP_HEADER_LEN)
		return CRYPTO_EAP_ERR_TRUNCATED;
	out->code = buf[0];
	out->id = buf[1];
	length = ferry_get_be16(buf + 2);
	if (length < CRYPTO_EAP_HEADER_LEN)
		return CRYPTO_EAP_ERR_LENGTH;
	if (length > len)
		return CRYPTO_EAP_ERR_TRUNCATED;
	switch (out->code) {
	case CRYPTO_EAP_CODE_REQUEST:
	case CRYPTO_EAP_CODE_RESPONSE:
		if (length < CRYPTO_EAP_HEADER_LEN + 1)
			return CRYPTO_EAP_ERR_LENGTH;
		out->type = buf[4];
		if (out->type == 0)
			return CRYPTO_EAP_ERR_FORMAT;
		out->data = FERRY_SPAN(buf + 5, length - 5);
		return CRYPTO_EAP_OK;
	case CRYPTO_EAP_CODE_SUCCESS:
	case CRYPTO_EAP_CODE_FAILURE:
		/* RFC 3748 §4.2: no data */
		return length == CRYPTO_EAP_HEADER_LEN ? CRYPTO_EAP_OK : CRYPTO_EAP_ERR_LENGTH;
	default:
		return CRYPTO_EAP_ERR_FORMAT;
	}
}

CryptoEapStatus
crypto_eap_encode(uint8_t code,
                  uint8_t id,
                  uint8_t type,
                  const uint8_t *data,
                  size_t data_len,
                  uint8_t *out,
                  size_t cap,
                  size_t *out_len)
{
	bool typed = code == CRYPTO_EAP_CODE_REQUEST || code == CRYPTO_EAP_CODE_RESPONSE;
	size_t total = CRYPTO_EAP_HEADER_LEN + (typed ? 1 + data_len : 0);

	*out_len = 0;
	if ((!typed && (type || data_len)) || (typed && !type) || code < 1 || code > 4)
		return CRYPTO_EAP_ERR_FORMAT;
	if (total > cap || total > 0xffff)
		return CRYPTO_EAP_ERR_SPACE;
	out[0] = code;
	out[1] = id;
	ferry_put_be16(out + 2, (uint16_t)total);
	if (typed) {
		out[4] = type;
		if (data_len)
			memcpy(out + 5, data, data_len);
	}
	*out_len = total;
	return CRYPTO_EAP_OK;
}

CryptoEapStatus
crypto_eap_mschapv2_decode_request(FerrySpan d, CryptoMschapv2Request *out)
{
	size_t ms_len;

	memset(out, 0, sizeof(*out));
	if (d.len < MSCHAPV2_HEADER_LEN)
		return CRYPTO_EAP_ERR_TRUNCATED;
	out->op_code = d.data[0];
	out->ms_id = d.data[1];
	ms_len = ferry_get_be16(d.data + 2);
	if (ms_len < MSCHAPV2_HEADER_LEN)
		return CRYPTO_EAP_ERR_LENGTH;
	/* MS-Length should equal what the EAP Length leaves; trust neither beyond the data */
	if (ms_len > d.len)
		return CRYPTO_EAP_ERR_TRUNCATED;
	switch (out->op_code) {
	case CRYPTO_MSCHAPV2_OP_CHALLENGE:
		if (ms_len < MSCHAPV2_HEADER_LEN + 1 + MSCHAPV2_CHALLENGE_VALUE)
			return CRYPTO_EAP_ERR_TRUNCATED;
		if (d.data[4] != MSCHAPV2_CHALLENGE_VALUE)
			return CRYPTO_EAP_ERR_FORMAT;
		memcpy(out->challenge, d.data + 5, MSCHAPV2_CHALLENGE_VALUE);
		out->name = FERRY_SPAN(d.data + 5 + MSCHAPV2_CHALLENGE_VALUE,
		                       ms_len - 5 - MSCHAPV2_CHALLENGE_VALUE);
		return CRYPTO_EAP_OK;
	case CRYPTO_MSCHAPV2_OP_SUCCESS:
	case CRYPTO_MSCHAPV2_OP_FAILURE:
		out->message =
			FERRY_SPAN(d.data + MSCHAPV2_HEADER_LEN, ms_len - MSCHAPV2_HEADER_LEN);
		return CRYPTO_EAP_OK;
	default:
		return CRYPTO_EAP_ERR_FORMAT;
	}
}

/* A decimal field of at most 9 digits. */
static unsigned
parse_decimal(const uint8_t *p, size_t len)
{
	unsigned v = 0;

	for (size_t i = 0; i < len && i < 9 && p[i] >= '0' && p[i] <= '9'; i++)
		v = v * 10 + (unsigned)(p[i] - '0');
	return v;
}

void
crypto_eap_mschapv2_parse_failure(FerrySpan text, CryptoMschapv2Failure *out)
{
	size_t i = 0;

	memset(out, 0, sizeof(*out));
	out->message = FERRY_SPAN(text.data, 0);
	/* RFC 2759 §6: "E=eeeeeeeeee R=r C=cccc... V=vvvvvvvvvv M=<msg>"; M= runs to the end */
	while (i + 2 <= text.len) {
		const uint8_t *f = text.data + i;
		size_t end = i;

		if (f[0] == 'M' && f[1] == '=') {
			out->message = FERRY_SPAN(f + 2, text.len - i - 2);
			return;
		}
		while (end < text.len && text.data[end] != ' ')
			end++;
		if (f[1] == '=' && f[0] == 'E')
			out->error = parse_decimal(f + 2, end - i - 2);
		else if (f[1] == '=' && f[0] == 'R')
			out->retry = end - i > 2 && f[2] == '1';
		i = end + 1;
	}
}

const char *
crypto_mschapv2_error_to_string(unsigned error)
{
	switch (error) {
	case 646:
		return "logon not allowed at this time";
	case 647:
		return "account disabled";
	case 648:
		return "password expired";
	case 649:
		return "no permission to connect";
	case 691:
		return "wrong user name or password";
	case 709:
		return "error changing password";
	}
	return "authentication refused";
}

/* ---- the peer ------------------------------------------------------------------------------ */

typedef enum {
	PEER_IDLE,          /* nothing of MS-CHAPv2 yet */
	PEER_RESPONSE_SENT, /* our Response is out: Success or Failure request next */
	PEER_SUCCESS_ACKED, /* the authenticator proved the password: EAP-Success next */
	PEER_FAILED,        /* MS-CHAPv2 said Failure: EAP-Failure next */
} PeerState;

struct CryptoEapPeer {
	PeerState state;
	unsigned last_error;
	/* owned */
	char *identity;
	char *user_name;   /* MS-CHAPv2; NULL for EAP-TLS */
	CryptoEapTls *tls; /* EAP-TLS; NULL for MS-CHAPv2 */
	/* secret */
	FerrySecret *password;
	FerrySecret *msk;
	uint8_t nt_response[CRYPTO_MSCHAPV2_NT_RESPONSE_LEN];
	char expected[CRYPTO_MSCHAPV2_AUTH_RESPONSE_LEN + 1];
};

const char *
crypto_eap_peer_result_to_string(CryptoEapPeerResult result)
{
	switch (result) {
	case CRYPTO_EAP_PEER_CONTINUE:
		return "continue";
	case CRYPTO_EAP_PEER_SUCCESS:
		return "success";
	case CRYPTO_EAP_PEER_WRONG_PASSWORD:
		return "wrong user name or password";
	case CRYPTO_EAP_PEER_REJECTED:
		return "rejected by the gateway";
	case CRYPTO_EAP_PEER_BAD_SERVER:
		return "the gateway failed to authenticate itself";
	case CRYPTO_EAP_PEER_UNSUPPORTED:
		return "EAP method not supported";
	case CRYPTO_EAP_PEER_MALFORMED:
		return "malformed EAP packet";
	}
	return "unknown EAP result";
}

CryptoEapPeer *
crypto_eap_peer_new(const char *identity, const char *user_name, const FerrySecret *password)
{
	CryptoEapPeer *peer;

	if (!identity || !user_name || !password || strlen(identity) > CRYPTO_EAP_IDENTITY_MAX ||
	    strlen(user_name) > CRYPTO_EAP_IDENTITY_MAX)
		return NULL;
	peer = calloc(1, sizeof(*peer));
	if (!peer)
		return NULL;
	peer->identity = strdup(identity);
	peer->user_name = strdup(user_name);
	peer->password = ferry_secret_dup(password);
	if (!peer->identity || !peer->user_name || !peer->password) {
		crypto_eap_peer_free(peer);
		return NULL;
	}
	return peer;
}

CryptoEapPeer *
crypto_eap_peer_new_tls(const char *identity,
                        const CryptoCredential *cred,
                        const CryptoTrust *trust,
                        const char *server_name)
{
	CryptoEapPeer *peer;

	if (!identity || strlen(identity) > CRYPTO_EAP_IDENTITY_MAX)
		return NULL;
	peer = calloc(1, sizeof(*peer));
	if (!peer)
		return NULL;
	peer->identity = strdup(identity);
	peer->tls = crypto_eap_tls_new(cred, trust, server_name);
	if (!peer->identity || !peer->tls) {
		crypto_eap_peer_free(peer);
		return NULL;
	}
	return peer;
}

void
crypto_eap_peer_free(CryptoEapPeer *peer)
{
	if (!peer)
		return;
	crypto_eap_tls_free(peer->tls);
	free(peer->identity);
	free(peer->user_name);
	ferry_secret_free(peer->password);
	ferry_secret_free(peer->msk);
	ferry_wipe(peer, sizeof(*peer));
	free(peer);
}

const FerrySecret *
crypto_eap_peer_get_msk(const CryptoEapPeer *peer)
{
	return peer->tls ? crypto_eap_tls_get_msk(peer->tls) : peer->msk;
}

static void
say(char *text, size_t cap, const char *prefix, FerrySpan detail)
{
	size_t o;

	if (!text || cap == 0)
		return;
	o = (size_t)snprintf(text, cap, "%s", prefix);
	if (detail.len && o + 3 < cap) {
		text[o++] = ':';
		text[o++] = ' ';
		for (size_t i = 0; i < detail.len && o + 1 < cap; i++)
			text[o++] = detail.data[i] >= 0x20 && detail.data[i] < 0x7f
			                    ? (char)detail.data[i]
			                    : '?';
		text[o] = '\0';
	}
}

static CryptoEapPeerResult
answer_challenge(CryptoEapPeer *peer,
                 uint8_t eap_id,
                 const CryptoMschapv2Request *req,
                 uint8_t *out,
                 size_t cap,
                 size_t *out_len)
{
	uint8_t body[MSCHAPV2_HEADER_LEN + 1 + MSCHAPV2_RESPONSE_VALUE + CRYPTO_EAP_IDENTITY_MAX];
	uint8_t peer_challenge[CRYPTO_MSCHAPV2_CHALLENGE_LEN];
	size_t name_len = strlen(peer->user_name);
	size_t ms_len = MSCHAPV2_HEADER_LEN + 1 + MSCHAPV2_RESPONSE_VALUE + name_len;
	const uint8_t *user = (const uint8_t *)peer->user_name;

	crypto_rng_fill(CRYPTO_RNG_NONCE, peer_challenge, sizeof(peer_challenge));
	if (crypto_mschapv2_nt_response(req->challenge, peer_challenge, user, name_len,
	                                peer->password, peer->nt_response) != CRYPTO_OK ||
	    crypto_mschapv2_authenticator_response(peer->password, peer->nt_response,
	                                           peer_challenge, req->challenge, user, name_len,
	                                           peer->expected) != CRYPTO_OK)
		return CRYPTO_EAP_PEER_REJECTED;
	/* Response: OpCode, MS-CHAPv2-ID (= the Challenge's), MS-Length, Value-Size 49,
	 * Peer-Challenge | 8 reserved zeros | NT-Response | Flags 0, Name (RFC 2759 §4) */
	body[0] = CRYPTO_MSCHAPV2_OP_RESPONSE;
	body[1] = req->ms_id;
	ferry_put_be16(body + 2, (uint16_t)ms_len);
	body[4] = MSCHAPV2_RESPONSE_VALUE;
	memcpy(body + 5, peer_challenge, 16);
	memset(body + 21, 0, 8);
	memcpy(body + 29, peer->nt_response, 24);
	body[53] = 0;
	memcpy(body + 54, user, name_len);
	if (crypto_eap_encode(CRYPTO_EAP_CODE_RESPONSE, eap_id, CRYPTO_EAP_TYPE_MSCHAPV2, body,
	                      ms_len, out, cap, out_len) != CRYPTO_EAP_OK)
		return CRYPTO_EAP_PEER_MALFORMED;
	peer->state = PEER_RESPONSE_SENT;
	return CRYPTO_EAP_PEER_CONTINUE;
}

static CryptoEapPeerResult
process_mschapv2(CryptoEapPeer *peer,
                 const CryptoEapPacket *pkt,
                 uint8_t *out,
                 size_t cap,
                 size_t *out_len,
                 char *text,
                 size_t text_cap)
{
	CryptoMschapv2Request req;
	CryptoMschapv2Failure failure;
	uint8_t op;

	if (crypto_eap_mschapv2_decode_request(pkt->data, &req) != CRYPTO_EAP_OK)
		return CRYPTO_EAP_PEER_MALFORMED;
	switch (req.op_code) {
	case CRYPTO_MSCHAPV2_OP_CHALLENGE:
		return answer_challenge(peer, pkt->id, &req, out, cap, out_len);
	case CRYPTO_MSCHAPV2_OP_SUCCESS:
		if (peer->state != PEER_RESPONSE_SENT)
			return CRYPTO_EAP_PEER_MALFORMED;
		/* RFC 2759 §5: "S=<auth string>" then optionally " M=<message>" */
		if (req.message.len < CRYPTO_MSCHAPV2_AUTH_RESPONSE_LEN ||
		    !crypto_mschapv2_check_authenticator_response(
			    peer->expected, req.message.data, CRYPTO_MSCHAPV2_AUTH_RESPONSE_LEN)) {
			say(text, text_cap,
			    "the gateway's MS-CHAPv2 authenticator response is wrong: the gateway "
			    "did not prove it knows the password",
			    FERRY_SPAN_EMPTY);
			return CRYPTO_EAP_PEER_BAD_SERVER;
		}
		if (crypto_mschapv2_msk(peer->password, peer->nt_response, &peer->msk) != CRYPTO_OK)
			return CRYPTO_EAP_PEER_REJECTED;
		op = CRYPTO_MSCHAPV2_OP_SUCCESS;
		peer->state = PEER_SUCCESS_ACKED;
		break;
	case CRYPTO_MSCHAPV2_OP_FAILURE:
		crypto_eap_mschapv2_parse_failure(req.message, &failure);
		peer->last_error = failure.error;
		peer->state = PEER_FAILED;
		say(text, text_cap, crypto_mschapv2_error_to_string(failure.error),
		    failure.message);
		op = CRYPTO_MSCHAPV2_OP_FAILURE;
		break;
	default:
		return CRYPTO_EAP_PEER_MALFORMED;
	}
	/* the peer acknowledges Success or Failure with the bare OpCode */
	if (crypto_eap_encode(CRYPTO_EAP_CODE_RESPONSE, pkt->id, CRYPTO_EAP_TYPE_MSCHAPV2, &op, 1,
	                      out, cap, out_len) != CRYPTO_EAP_OK)
		return CRYPTO_EAP_PEER_MALFORMED;
	if (op == CRYPTO_MSCHAPV2_OP_SUCCESS)
		return CRYPTO_EAP_PEER_CONTINUE;
	return peer->last_error == 691 ? CRYPTO_EAP_PEER_WRONG_PASSWORD : CRYPTO_EAP_PEER_REJECTED;
}

static CryptoEapPeerResult
process_tls(CryptoEapPeer *peer,
            const CryptoEapPacket *pkt,
            uint8_t *out,
            size_t cap,
            size_t *out_len,
            char *text,
            size_t text_cap)
{
	uint8_t body[1 + 4 + CRYPTO_EAP_TLS_FRAGMENT];
	size_t body_len = 0;
	CryptoEapPeerResult r;

	r = crypto_eap_tls_process(peer->tls, pkt->data, body, sizeof(body), &body_len, text,
	                           text_cap);
	if (body_len && crypto_eap_encode(CRYPTO_EAP_CODE_RESPONSE, pkt->id, CRYPTO_EAP_TYPE_TLS,
	                                  body, body_len, out, cap, out_len) != CRYPTO_EAP_OK)
		return CRYPTO_EAP_PEER_MALFORMED;
	return r;
}

static CryptoEapPeerResult
process_request(CryptoEapPeer *peer,
                const CryptoEapPacket *pkt,
                uint8_t *out,
                size_t cap,
                size_t *out_len,
                char *text,
                size_t text_cap)
{
	const uint8_t nak = peer->tls ? CRYPTO_EAP_TYPE_TLS : CRYPTO_EAP_TYPE_MSCHAPV2;
	const char *identity = peer->identity;

	switch (pkt->type) {
	case CRYPTO_EAP_TYPE_IDENTITY:
		if (crypto_eap_encode(CRYPTO_EAP_CODE_RESPONSE, pkt->id, CRYPTO_EAP_TYPE_IDENTITY,
		                      (const uint8_t *)identity, strlen(identity), out, cap,
		                      out_len) != CRYPTO_EAP_OK)
			return CRYPTO_EAP_PEER_MALFORMED;
		return CRYPTO_EAP_PEER_CONTINUE;
	case CRYPTO_EAP_TYPE_NOTIFICATION:
		/* RFC 3748 §5.2: acknowledged with an empty Notification response */
		if (crypto_eap_encode(CRYPTO_EAP_CODE_RESPONSE, pkt->id,
		                      CRYPTO_EAP_TYPE_NOTIFICATION, NULL, 0, out, cap,
		                      out_len) != CRYPTO_EAP_OK)
			return CRYPTO_EAP_PEER_MALFORMED;
		return CRYPTO_EAP_PEER_CONTINUE;
	case CRYPTO_EAP_TYPE_MSCHAPV2:
		if (!peer->tls)
			return process_mschapv2(peer, pkt, out, cap, out_len, text, text_cap);
		break;
	case CRYPTO_EAP_TYPE_TLS:
		if (peer->tls)
			return process_tls(peer, pkt, out, cap, out_len, text, text_cap);
		break;
	case CRYPTO_EAP_TYPE_NAK:
		return CRYPTO_EAP_PEER_MALFORMED; /* Nak is a response type only */
	case CRYPTO_EAP_TYPE_EXPANDED:
		say(text, text_cap, "the gateway asks for an expanded EAP method",
		    FERRY_SPAN_EMPTY);
		return CRYPTO_EAP_PEER_UNSUPPORTED;
	default:
		break;
	}
	/* RFC 3748 §5.3.1: legacy Nak naming the method we want */
	if (crypto_eap_encode(CRYPTO_EAP_CODE_RESPONSE, pkt->id, CRYPTO_EAP_TYPE_NAK, &nak, 1, out,
	                      cap, out_len) != CRYPTO_EAP_OK)
		return CRYPTO_EAP_PEER_MALFORMED;
	return CRYPTO_EAP_PEER_CONTINUE;
}

CryptoEapPeerResult
crypto_eap_peer_process(CryptoEapPeer *peer,
                        const uint8_t *packet,
                        size_t len,
                        uint8_t *out,
                        size_t cap,
                        size_t *out_len,
                        char *text,
                        size_t text_cap)
{
	CryptoEapPacket pkt;

	*out_len = 0;
	if (text && text_cap)
		text[0] = '\0';
	if (crypto_eap_decode(packet, len, &pkt) != CRYPTO_EAP_OK)
		return CRYPTO_EAP_PEER_MALFORMED;
	switch (pkt.code) {
	case CRYPTO_EAP_CODE_REQUEST:
		return process_request(peer, &pkt, out, cap, out_len, text, text_cap);
	case CRYPTO_EAP_CODE_SUCCESS:
		/* RFC 3748 §4.2 / RFC 2759 §5: only after the authenticator proved itself */
		if (peer->tls ? !crypto_eap_tls_get_msk(peer->tls)
		              : peer->state != PEER_SUCCESS_ACKED || !peer->msk) {
			say(text, text_cap, "EAP-Success before the gateway authenticated itself",
			    FERRY_SPAN_EMPTY);
			return CRYPTO_EAP_PEER_BAD_SERVER;
		}
		return CRYPTO_EAP_PEER_SUCCESS;
	case CRYPTO_EAP_CODE_FAILURE:
		if (peer->last_error) {
			say(text, text_cap, crypto_mschapv2_error_to_string(peer->last_error),
			    FERRY_SPAN_EMPTY);
			return peer->last_error == 691 ? CRYPTO_EAP_PEER_WRONG_PASSWORD
			                               : CRYPTO_EAP_PEER_REJECTED;
		}
		say(text, text_cap, "the gateway ended EAP with a Failure", FERRY_SPAN_EMPTY);
		return CRYPTO_EAP_PEER_REJECTED;
	default:
		return CRYPTO_EAP_PEER_MALFORMED;
	}
}
