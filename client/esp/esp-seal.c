/* esp-seal.c - ESP encapsulation and decapsulation on caller-owned buffers (RFC 4303)
 *
 * Packet layout (RFC 4303 §2, Figure 1):
 *
 *     0                   1                   2                   3
 *     0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *    |               Security Parameters Index (SPI)                 |
 *    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *    |                      Sequence Number                          |
 *    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *    |                    IV (CBC: random; AEAD: the 64-bit seq)     |
 *    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *    |                    Payload Data (variable)                    |
 *    +               +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *    |               |     Padding (0-255 bytes)                     |
 *    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *    |                               |  Pad Length   | Next Header   |
 *    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *    |         Integrity Check Value (ICV, variable)                 |
 *    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 * With ESN the high 32 bits of the sequence number are covered by the ICV but not sent:
 * after the ciphertext for HMAC (RFC 4303 §2.2.1), in the AAD for AEAD (RFC 4106 §5,
 * RFC 7634 §3).  Every inbound failure bumps stats.dropped[status] and leaves the packet
 * as received; nothing here logs per packet.
 */
#include <string.h>

#include "crypto-rng.h"
#include "esp-sa-private.h"
#include "esp-seal.h"
#include "ferry-span.h"

#define NH_IPV4  4
#define NH_IPV6  41
#define NH_DUMMY 59 /* RFC 4303 §2.6: "no next header", traffic-flow-confidentiality dummy */

#define ESN_AAD_LEN 12 /* SPI | seq high | seq low */

/* What the ICV covers besides the header and data: the AAD (AEAD) or the high-order
 * sequence bits appended for the HMAC (ESN). */
typedef struct {
	const uint8_t *aad;
	size_t aad_len;
	const uint8_t *extra;
	size_t extra_len;
	uint8_t aad_buf[ESN_AAD_LEN];
	uint8_t extra_buf[4];
} IcvInput;

static void
build_icv_input(const EspSa *sa, const uint8_t *hdr, uint64_t seq, IcvInput *in)
{
	in->aad = hdr;
	in->aad_len = ESP_HEADER_LEN;
	in->extra = NULL;
	in->extra_len = 0;
	if (!sa->esn)
		return;
	if (sa->sizes.aead) {
		/* RFC 4106 §5 / RFC 7634 §3: AAD = SPI | seq high | seq low. */
		memcpy(in->aad_buf, hdr, 4);
		ferry_put_be64(in->aad_buf + 4, seq);
		in->aad = in->aad_buf;
		in->aad_len = ESN_AAD_LEN;
	} else {
		/* RFC 4303 §2.2.1: the high-order bits follow the payload in the ICV input. */
		ferry_put_be32(in->extra_buf, (uint32_t)(seq >> 32));
		in->extra = in->extra_buf;
		in->extra_len = sizeof(in->extra_buf);
	}
}

/* Tunnel mode: the next header names the inner IP version, and the packet must agree. */
static bool
check_inner_version(uint8_t next_header, const uint8_t *inner, size_t len)
{
	unsigned version = len > 0 ? inner[0] >> 4 : 0;

	switch (next_header) {
	case NH_IPV4:
		return version == 4;
	case NH_IPV6:
		return version == 6;
	default:
		return false;
	}
}

EspStatus
esp_seal(EspSa *sa,
         uint8_t *buf,
         size_t cap,
         size_t headroom,
         size_t len,
         uint8_t next_header,
         size_t *out_off,
         size_t *out_len)
{
	const size_t front = ESP_HEADER_LEN + sa->sizes.iv_len;
	uint8_t *hdr, *iv, *data, *trailer;
	size_t pad, data_len;
	uint64_t seq;
	IcvInput in;
	CryptoStatus cst;

	if (sa->dir != ESP_DIR_OUT || sa->proto != ESP_PROTO_ESP)
		return ESP_ERR_UNSUPPORTED;
	/* RFC 4303 §2.4: pad so that payload + pad + 2 ends on the alignment boundary. */
	pad = (sa->align - (len + ESP_TRAILER_LEN) % sa->align) % sa->align;
	if (headroom < front || headroom > cap || len > cap - headroom ||
	    cap - headroom - len < pad + ESP_TRAILER_LEN + sa->sizes.icv_len)
		return ESP_ERR_LENGTH;
	if (sa->mode == ESP_MODE_TUNNEL && next_header != NH_DUMMY &&
	    !check_inner_version(next_header, buf + headroom, len))
		return ESP_ERR_NEXT_HEADER;
	if (esp_sa_hard_reached(sa, len))
		return ESP_ERR_LIFETIME;
	if (!esp_sa_next_seq(sa, &seq))
		return ESP_ERR_SEQ_EXHAUSTED;
	/* Consumed even if sealing fails below: an AEAD nonce is never offered twice. */
	sa->seq_out = seq;

	hdr = buf + headroom - front;
	iv = hdr + ESP_HEADER_LEN;
	data = buf + headroom;
	trailer = data + len;
	ferry_put_be32(hdr, sa->spi);
	ferry_put_be32(hdr + 4, (uint32_t)seq);
	if (sa->sizes.aead)
		/* RFC 4106 §3.1, RFC 7634 §2: the explicit IV is the 64-bit sequence number,
		 * unique per key since the counter never cycles. */
		ferry_put_be64(iv, seq);
	else
		/* RFC 3602 §3: CBC needs an unpredictable IV. */
		crypto_rng_fill(CRYPTO_RNG_NONCE, iv, sa->sizes.iv_len);
	/* RFC 4303 §2.4: default padding is 1, 2, 3, ... */
	for (size_t i = 0; i < pad; i++)
		trailer[i] = (uint8_t)(i + 1);
	trailer[pad] = (uint8_t)pad;
	trailer[pad + 1] = next_header;
	data_len = len + pad + ESP_TRAILER_LEN;

	build_icv_input(sa, hdr, seq, &in);
	cst = crypto_xform_seal(sa->xform, in.aad, in.aad_len, iv, data, data_len, in.extra,
	                        in.extra_len, data + data_len);
	if (cst != CRYPTO_OK)
		return ESP_ERR_CRYPTO;
	esp_sa_account(sa, len);
	*out_off = headroom - front;
	*out_len = front + data_len + sa->sizes.icv_len;
	return ESP_OK;
}

/* Put the ciphertext back after a check that failed past decryption, so that every failure
 * leaves the caller's packet as received.  Same key, IV and plaintext give the same bytes. */
static void
restore_ciphertext(EspSa *sa, const IcvInput *in, const uint8_t *iv, uint8_t *data, size_t len)
{
	(void)crypto_xform_seal(sa->xform, in->aad, in->aad_len, iv, data, len, in->extra,
	                        in->extra_len, data + len);
}

/* RFC 4303 §2.4: pad length within the data, pad bytes 1, 2, 3, ... */
static bool
check_padding(const uint8_t *data, size_t data_len, size_t *pad_out)
{
	size_t pad = data[data_len - 2];
	uint8_t bad = 0;

	if (pad + ESP_TRAILER_LEN > data_len)
		return false;
	for (size_t i = 0; i < pad; i++)
		bad |= data[data_len - ESP_TRAILER_LEN - pad + i] ^ (uint8_t)(i + 1);
	*pad_out = pad;
	return bad == 0;
}

/* Padding and next header of an authenticated, decrypted packet. */
static EspStatus
check_trailer(EspSa *sa, const uint8_t *data, size_t data_len, size_t *inner_len, uint8_t *nh)
{
	size_t pad;

	if (!check_padding(data, data_len, &pad))
		return ESP_ERR_PADDING;
	*nh = data[data_len - 1];
	*inner_len = data_len - ESP_TRAILER_LEN - pad;
	if (*nh == NH_DUMMY)
		return ESP_ERR_NEXT_HEADER;
	if (sa->mode == ESP_MODE_TUNNEL && !check_inner_version(*nh, data, *inner_len))
		return ESP_ERR_NEXT_HEADER;
	return ESP_OK;
}

EspStatus
esp_open(EspSa *sa,
         uint8_t *pkt,
         size_t len,
         size_t *inner_off,
         size_t *inner_len,
         uint8_t *next_header)
{
	const size_t front = ESP_HEADER_LEN + sa->sizes.iv_len;
	uint8_t *iv, *data;
	size_t data_len, ilen = 0;
	uint64_t seq;
	IcvInput in;
	CryptoStatus cst;
	EspStatus st;
	uint8_t nh = 0;

	if (sa->dir != ESP_DIR_IN || sa->proto != ESP_PROTO_ESP)
		return esp_sa_drop(sa, ESP_ERR_UNSUPPORTED);
	if (len < front + ESP_TRAILER_LEN + sa->sizes.icv_len)
		return esp_sa_drop(sa, ESP_ERR_TRUNCATED);
	iv = pkt + ESP_HEADER_LEN;
	data = pkt + front;
	data_len = len - front - sa->sizes.icv_len;
	if (data_len % sa->sizes.block_size != 0)
		return esp_sa_drop(sa, ESP_ERR_LENGTH);
	if (ferry_get_be32(pkt) != sa->spi)
		return esp_sa_drop(sa, ESP_ERR_SPI);
	/* RFC 4303 §3.4.3: the replay check comes before the ICV, to shed floods cheaply. */
	if (!esp_replay_check(&sa->replay, ferry_get_be32(pkt + 4), &seq))
		return esp_sa_drop(sa, ESP_ERR_REPLAY);
	if (esp_sa_hard_reached(sa, 0))
		return esp_sa_drop(sa, ESP_ERR_LIFETIME);

	build_icv_input(sa, pkt, seq, &in);
	/* RFC 4303 §3.4.4: verify the ICV before decrypting. */
	cst = crypto_xform_open(sa->xform, in.aad, in.aad_len, iv, data, data_len, in.extra,
	                        in.extra_len, data + data_len);
	if (cst != CRYPTO_OK)
		return esp_sa_drop(sa, cst == CRYPTO_ERR_AUTH ? ESP_ERR_INTEGRITY : ESP_ERR_CRYPTO);

	st = check_trailer(sa, data, data_len, &ilen, &nh);
	if (st == ESP_ERR_NEXT_HEADER && nh == NH_DUMMY) {
		/* RFC 4303 §2.6: authentic, so its number is used up; the packet is dropped. */
		esp_replay_commit(&sa->replay, seq);
		sa->stats.dummy++;
	}
	if (st != ESP_OK) {
		restore_ciphertext(sa, &in, iv, data, data_len);
		return esp_sa_drop(sa, st);
	}
	/* RFC 4303 §3.4.3: only an authenticated packet moves the window. */
	esp_replay_commit(&sa->replay, seq);
	esp_sa_account(sa, ilen);
	*inner_off = front;
	*inner_len = ilen;
	*next_header = nh;
	return ESP_OK;
}

uint32_t
esp_packet_spi(const uint8_t *pkt, size_t len)
{
	if (len < ESP_HEADER_LEN)
		return 0;
	return ferry_get_be32(pkt);
}
