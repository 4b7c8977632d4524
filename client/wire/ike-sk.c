/* SPDX-License-Identifier: GPL-2.0-or-later */
/* ike-sk.c - SK and SKF payloads: IV, padding, pad length and ICV around an inner chain
 *
 * RFC 7296 §3.14 (Figure 21), the layout of every protected message:
 *   [ IKE header | SK generic header ][ IV ][ inner payloads | Padding | Pad Length ][ ICV ]
 *   '----------- authenticated (AAD) -'     '------------- encrypted ----------------'
 * RFC 5282 §5.1 (AEAD): the AAD is the IKE header through the SK generic header and the tag
 * is the ICV; with a cipher plus integrity algorithm the ICV covers the header through the
 * ciphertext.  crypto-xform implements both from the same call.  RFC 7383 §2.5 (SKF) adds
 * Fragment Number and Total Fragments to the authenticated part.
 */
#include <string.h>

#include "crypto-rng.h"
#include "ferry-secret.h"
#include "ike-payloads.h"
#include "ike-sk.h"

#define PAD_LENGTH_LEN 1 /* §3.14: the Pad Length octet */
#define SKF_FIELDS_LEN 4 /* RFC 7383 §2.5: Fragment Number, Total Fragments */

/* Bytes of ciphertext (padded plaintext + Pad Length) for `plain_len` bytes of chain. */
static size_t
get_padded_len(const CryptoXformSizes *sz, size_t plain_len)
{
	size_t n = plain_len + PAD_LENGTH_LEN;

	return n + (sz->block_size - n % sz->block_size) % sz->block_size;
}

static IkeWireStatus
map_crypto(CryptoStatus cs)
{
	switch (cs) {
	case CRYPTO_OK:
		return IKE_WIRE_OK;
	case CRYPTO_ERR_AUTH:
	case CRYPTO_ERR_LENGTH:
		return IKE_WIRE_INTEGRITY;
	case CRYPTO_ERR_UNSUPPORTED:
	case CRYPTO_ERR_KEY_LENGTH:
	case CRYPTO_ERR_INVALID_PEER:
	case CRYPTO_ERR_BACKEND:
	case CRYPTO_ERR_NOMEM:
		return IKE_WIRE_CRYPTO;
	}
	return IKE_WIRE_CRYPTO;
}

/* `msg` is laid out in out[0, total): header and frame written with their final lengths,
 * the plaintext chain at out + aad_len + iv_len.  Adds IV, padding, Pad Length, seals. */
static IkeWireStatus
seal_message(CryptoXform *x, uint8_t *out, size_t aad_len, size_t plain_len)
{
	const CryptoXformSizes *sz = crypto_xform_get_sizes(x);
	size_t padded = get_padded_len(sz, plain_len);
	uint8_t *iv = out + aad_len;
	uint8_t *data = iv + sz->iv_len;
	size_t pad = padded - plain_len - PAD_LENGTH_LEN;

	/* §3.14: padding may hold any value; zeros keep test vectors simple */
	memset(data + plain_len, 0, pad);
	data[padded - 1] = (uint8_t)pad;
	crypto_rng_fill(CRYPTO_RNG_NONCE, iv, sz->iv_len);
	return map_crypto(
		crypto_xform_seal(x, out, aad_len, iv, data, padded, NULL, 0, data + padded));
}

/* Write the IKE header and the SK/SKF frame for a message of `total` bytes whose
 * encrypted part (IV onwards) starts at out + aad_len.  Returns the AAD length. */
static IkeWireStatus
write_frame(const IkeHeader *hdr,
            uint8_t type,
            uint8_t first,
            const IkeSkfPayload *skf,
            uint8_t *out,
            size_t total,
            size_t *aad_len)
{
	IkeHeader h = *hdr;
	IkeGenericHeader gh = {.next_payload = first};
	FerryWriter w;
	IkeSkfPayload body;
	IkeWireStatus st;
	size_t frame_len = IKE_HEADER_LEN + IKE_PAYLOAD_HEADER_LEN;

	if (total > IKE_MAX_MESSAGE_LEN)
		return IKE_WIRE_BAD_LENGTH;
	h.next_payload = type;
	h.length = (uint32_t)total;
	ike_header_encode(&h, out);
	ferry_writer_init(&w, out + IKE_HEADER_LEN, total - IKE_HEADER_LEN);
	if (type == IKE_PAYLOAD_SKF) {
		frame_len += SKF_FIELDS_LEN;
		body = *skf;
		body.data = FERRY_SPAN(out + frame_len, total - frame_len);
		st = ike_field_encode_framed(&ike_generic_header_struct, &gh,
		                             ike_payload_struct(type), &body, &w);
	} else {
		gh.body = FERRY_SPAN(out + frame_len, total - frame_len);
		st = ike_field_encode_framed(&ike_generic_header_struct, &gh, NULL, NULL, &w);
	}
	*aad_len = frame_len;
	return st;
}

IkeWireStatus
ike_sk_encode(const IkeHeader *hdr,
              const IkePayload *inner,
              size_t n_inner,
              CryptoXform *x,
              uint8_t *out,
              size_t cap,
              size_t *out_len)
{
	const CryptoXformSizes *sz = crypto_xform_get_sizes(x);
	size_t prefix = IKE_HEADER_LEN + IKE_PAYLOAD_HEADER_LEN + sz->iv_len;
	size_t plain_len = 0, aad_len = 0, total;
	uint8_t first = IKE_PAYLOAD_NONE;
	IkeWireStatus st;

	if (cap < prefix)
		return IKE_WIRE_NO_SPACE;
	st = ike_message_encode_chain(inner, n_inner, out + prefix, cap - prefix, &plain_len,
	                              &first);
	if (st != IKE_WIRE_OK)
		return st;
	total = prefix + get_padded_len(sz, plain_len) + sz->icv_len;
	if (total > cap)
		return IKE_WIRE_NO_SPACE;
	st = write_frame(hdr, IKE_PAYLOAD_SK, first, NULL, out, total, &aad_len);
	if (st != IKE_WIRE_OK)
		return st;
	st = seal_message(x, out, aad_len, plain_len);
	if (st != IKE_WIRE_OK)
		return st;
	*out_len = total;
	return IKE_WIRE_OK;
}

/* Verify and decrypt the encrypted part `enc` (IV | ciphertext | ICV) of `buf`, whose
 * authenticated prefix is buf[0, aad_len).  *plain receives the inner chain.  Anything
 * that fails before the ICV is checked cannot be authentic: IKE_WIRE_INTEGRITY. */
static IkeWireStatus
open_message(
	CryptoXform *x, uint8_t *buf, size_t len, size_t aad_len, FerrySpan enc, FerrySpan *plain)
{
	const CryptoXformSizes *sz = crypto_xform_get_sizes(x);
	uintptr_t b = (uintptr_t)buf, e = (uintptr_t)enc.data;
	size_t ct_len;
	uint8_t *data;
	IkeWireStatus st;

	/* the span must be the tail of this very buffer, right after the AAD */
	if (!buf || !enc.data || e != b + aad_len || aad_len + enc.len != len)
		return IKE_WIRE_INVALID_SYNTAX;
	if (enc.len < sz->iv_len + sz->icv_len + PAD_LENGTH_LEN)
		return IKE_WIRE_INTEGRITY;
	ct_len = enc.len - sz->iv_len - sz->icv_len;
	if (ct_len % sz->block_size != 0)
		return IKE_WIRE_INTEGRITY;
	data = buf + aad_len + sz->iv_len;
	st = map_crypto(crypto_xform_open(x, buf, aad_len, buf + aad_len, data, ct_len, NULL, 0,
	                                  data + ct_len));
	if (st != IKE_WIRE_OK)
		return st;
	/* §3.14: authenticated, so a bad Pad Length is a syntax error of the peer */
	if ((size_t)data[ct_len - 1] + PAD_LENGTH_LEN > ct_len)
		return IKE_WIRE_INVALID_SYNTAX;
	*plain = FERRY_SPAN(data, ct_len - PAD_LENGTH_LEN - data[ct_len - 1]);
	return IKE_WIRE_OK;
}

/* The encrypted payload a decoded message ends with, if it is of `type`. */
static const IkePayload *
find_last_encrypted(const IkeMessage *msg, uint8_t type)
{
	const IkePayload *p;

	if (msg->n_payloads == 0)
		return NULL;
	p = &msg->payloads[msg->n_payloads - 1];
	return p->type == type && !p->in_sk ? p : NULL;
}

IkeWireStatus
ike_sk_decode(CryptoXform *x, uint8_t *buf, size_t len, IkeMessage *msg)
{
	const IkePayload *p = find_last_encrypted(msg, IKE_PAYLOAD_SK);
	FerrySpan plain;
	IkeWireStatus st;

	if (!p)
		return IKE_WIRE_INVALID_SYNTAX;
	st = open_message(x, buf, len, msg->sk_header_end, p->u.sk, &plain);
	if (st != IKE_WIRE_OK)
		return st;
	return ike_message_decode_chain(p->sk_first, plain.data, plain.len, true, msg);
}

/* ---- fragments (RFC 7383) ---- */

/* Fragment `number` of `total`: its share of the chain goes to out + prefix. */
static IkeWireStatus
seal_fragment(const IkeHeader *hdr,
              uint8_t first,
              uint16_t number,
              uint16_t total,
              CryptoXform *x,
              uint8_t *out,
              size_t chunk_len,
              size_t *out_len)
{
	const CryptoXformSizes *sz = crypto_xform_get_sizes(x);
	size_t prefix = IKE_HEADER_LEN + IKE_PAYLOAD_HEADER_LEN + SKF_FIELDS_LEN + sz->iv_len;
	size_t msg_len = prefix + get_padded_len(sz, chunk_len) + sz->icv_len;
	IkeSkfPayload skf = {.number = number, .total = total};
	size_t aad_len = 0;
	IkeWireStatus st;

	/* §2.5: only the first fragment names the first inner payload */
	st = write_frame(hdr, IKE_PAYLOAD_SKF, number == 1 ? first : IKE_PAYLOAD_NONE, &skf, out,
	                 msg_len, &aad_len);
	if (st != IKE_WIRE_OK)
		return st;
	st = seal_message(x, out, aad_len, chunk_len);
	*out_len = msg_len;
	return st;
}

IkeWireStatus
ike_sk_encode_fragments_chain(const IkeHeader *hdr,
                              uint8_t first_type,
                              const uint8_t *chain,
                              size_t chain_len,
                              CryptoXform *x,
                              size_t max_fragment,
                              uint8_t *const *out,
                              size_t cap,
                              size_t *out_lens,
                              size_t max_out,
                              size_t *n_out)
{
	const CryptoXformSizes *sz = crypto_xform_get_sizes(x);
	size_t prefix = IKE_HEADER_LEN + IKE_PAYLOAD_HEADER_LEN + SKF_FIELDS_LEN + sz->iv_len;
	size_t limit = max_fragment < cap ? max_fragment : cap;
	size_t room, chunk, total;

	if (limit > IKE_MAX_MESSAGE_LEN)
		limit = IKE_MAX_MESSAGE_LEN;
	if (limit < prefix + sz->icv_len + sz->block_size)
		return IKE_WIRE_NO_SPACE;
	/* the most chain one fragment carries: whole cipher blocks less the Pad Length */
	room = limit - prefix - sz->icv_len;
	chunk = room - room % sz->block_size - PAD_LENGTH_LEN;
	if (chunk == 0)
		return IKE_WIRE_NO_SPACE;
	total = chain_len ? (chain_len + chunk - 1) / chunk : 1;
	if (total > IKE_MAX_FRAGMENTS)
		return IKE_WIRE_TOO_MANY;
	if (total > max_out)
		return IKE_WIRE_NO_SPACE;
	/* Last to first: the chain may sit in out[0] (ike_sk_encode_fragments), which the
	 * first fragment overwrites, so its share is moved last. */
	for (size_t k = total; k-- > 0;) {
		size_t off = k * chunk;
		size_t n = chain_len - off < chunk ? chain_len - off : chunk;
		IkeWireStatus st;

		if (chain_len == 0)
			n = 0;
		memmove(out[k] + prefix, chain + off, n);
		st = seal_fragment(hdr, first_type, (uint16_t)(k + 1), (uint16_t)total, x, out[k],
		                   n, &out_lens[k]);
		if (st != IKE_WIRE_OK)
			return st;
	}
	*n_out = total;
	return IKE_WIRE_OK;
}

IkeWireStatus
ike_sk_encode_fragments(const IkeHeader *hdr,
                        const IkePayload *inner,
                        size_t n_inner,
                        CryptoXform *x,
                        size_t max_fragment,
                        uint8_t *const *out,
                        size_t cap,
                        size_t *out_lens,
                        size_t max_out,
                        size_t *n_out)
{
	size_t chain_len = 0;
	uint8_t first = IKE_PAYLOAD_NONE;
	IkeWireStatus st;

	if (max_out == 0)
		return IKE_WIRE_NO_SPACE;
	st = ike_message_encode_chain(inner, n_inner, out[0], cap, &chain_len, &first);
	if (st != IKE_WIRE_OK)
		return st;
	return ike_sk_encode_fragments_chain(hdr, first, out[0], chain_len, x, max_fragment, out,
	                                     cap, out_lens, max_out, n_out);
}

void
ike_frag_buffer_init(IkeFragBuffer *fb, uint8_t *storage, size_t cap)
{
	memset(fb, 0, sizeof(*fb));
	fb->storage = storage;
	fb->cap = storage ? cap : 0;
}

void
ike_frag_buffer_reset(IkeFragBuffer *fb)
{
	if (fb->used)
		ferry_wipe(fb->storage, fb->used);
	fb->used = 0;
	fb->active = false;
	fb->total = 0;
	fb->n_received = 0;
	fb->received = 0;
	fb->first_payload = IKE_PAYLOAD_NONE;
	memset(fb->lens, 0, sizeof(fb->lens));
}

static bool
is_same_message(const IkeFragBuffer *fb, const IkeHeader *h)
{
	return fb->active && fb->message_id == h->message_id && fb->exchange == h->exchange &&
	       fb->flags == (h->flags & IKE_FLAG_RESPONSE);
}

/* Keep storage in fragment order: insert after the content of lower-numbered fragments. */
static IkeWireStatus
store_fragment(IkeFragBuffer *fb, uint16_t number, FerrySpan plain)
{
	size_t pos = 0;

	if (plain.len > fb->cap - fb->used)
		return IKE_WIRE_TOO_MANY;
	for (uint16_t i = 1; i < number; i++)
		pos += fb->lens[i - 1];
	memmove(fb->storage + pos + plain.len, fb->storage + pos, fb->used - pos);
	if (plain.len)
		memcpy(fb->storage + pos, plain.data, plain.len);
	fb->used += plain.len;
	fb->lens[number - 1] = (uint32_t)plain.len;
	fb->received |= UINT64_C(1) << (number - 1);
	fb->n_received++;
	return IKE_WIRE_OK;
}

static void
start_collection(IkeFragBuffer *fb, const IkeHeader *h, uint16_t total)
{
	ike_frag_buffer_reset(fb);
	fb->active = true;
	fb->message_id = h->message_id;
	fb->exchange = h->exchange;
	fb->flags = h->flags & IKE_FLAG_RESPONSE;
	fb->total = total;
}

IkeWireStatus
ike_frag_buffer_add(IkeFragBuffer *fb,
                    CryptoXform *x,
                    uint8_t *buf,
                    size_t len,
                    const IkeMessage *msg,
                    bool *complete)
{
	const IkePayload *p = find_last_encrypted(msg, IKE_PAYLOAD_SKF);
	const IkeSkfPayload *f;
	bool same;
	FerrySpan plain;
	IkeWireStatus st;

	*complete = false;
	if (!p)
		return IKE_WIRE_INVALID_SYNTAX;
	f = &p->u.skf;
	if (f->total > IKE_MAX_FRAGMENTS) {
		fb->n_rejected++;
		return IKE_WIRE_TOO_MANY;
	}
	same = is_same_message(fb, &msg->hdr);
	/* RFC 7383 §2.6: fewer fragments than collected = an older transmission */
	if (same && f->total < fb->total) {
		fb->n_stale++;
		return IKE_WIRE_OK;
	}
	if (same && f->total == fb->total && (fb->received >> (f->number - 1)) & 1) {
		fb->n_duplicate++;
		*complete = fb->n_received == fb->total;
		return IKE_WIRE_OK;
	}
	st = open_message(x, buf, len, msg->sk_header_end, f->data, &plain);
	if (st == IKE_WIRE_OK && f->number != 1 && p->sk_first != IKE_PAYLOAD_NONE)
		st = IKE_WIRE_INVALID_SYNTAX; /* §2.5: Next Payload is 0 but in the first */
	if (st != IKE_WIRE_OK) {
		fb->n_rejected++;
		return st;
	}
	/* a new message, or more fragments than collected: start over with this one */
	if (!same || f->total > fb->total)
		start_collection(fb, &msg->hdr, f->total);
	if (f->number == 1)
		fb->first_payload = p->sk_first;
	st = store_fragment(fb, f->number, plain);
	if (st != IKE_WIRE_OK) {
		fb->n_rejected++;
		return st;
	}
	*complete = fb->n_received == fb->total;
	return IKE_WIRE_OK;
}

IkeWireStatus
ike_frag_buffer_decode(const IkeFragBuffer *fb, IkeMessage *msg)
{
	if (!fb->active || fb->n_received != fb->total)
		return IKE_WIRE_INVALID_SYNTAX;
	msg->sk_first_payload = fb->first_payload;
	return ike_message_decode_chain(fb->first_payload, fb->storage, fb->used, true, msg);
}
