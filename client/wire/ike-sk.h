/* ike-sk.h - SK and SKF framing (RFC 7296 §3.14, RFC 5282, RFC 7383) (GLib-free)
 *
 * The only wire file that calls crypto: it lays out IV, padding and ICV around an
 * inner payload chain and lets crypto-xform seal or open it.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "crypto-xform.h"
#include "ike-message.h"

/* Build a whole protected message: header (length, next_payload = SK set here), SK payload
 * with a fresh IV from crypto_rng, the encoded inner chain, padding, pad length and ICV. */
IkeWireStatus ike_sk_encode(const IkeHeader *hdr,
			    const IkePayload *inner,
			    size_t n_inner,
			    CryptoXform *x,
			    uint8_t *out,
			    size_t cap,
			    size_t *out_len);

/* Verify and decrypt the SK payload of `msg` (decoded from `buf` by ike_message_decode) in
 * place, then decode the inner chain into msg.  `buf` must be writable and is the same buffer
 * msg borrows from.  IKE_WIRE_INTEGRITY when the ICV does not match, and also when the SK
 * body is too short or misaligned to hold IV, ciphertext and ICV (it cannot be authentic;
 * RFC 7296 §2.21.2: drop silently).  IKE_WIRE_INVALID_SYNTAX and the other decode statuses
 * only for authentic contents that are malformed (Pad Length, inner chain). */
IkeWireStatus ike_sk_decode(CryptoXform *x, uint8_t *buf, size_t len, IkeMessage *msg);

/* RFC 7383: split a protected message's inner chain into SKF fragments of at most
 * `max_fragment` bytes of datagram each.  Writes up to `max_out` datagrams into `out`, each
 * `cap` bytes, lengths to out_lens; *n_out receives the count. */
IkeWireStatus ike_sk_encode_fragments(const IkeHeader *hdr,
				      const IkePayload *inner,
				      size_t n_inner,
				      CryptoXform *x,
				      size_t max_fragment,
				      uint8_t *const *out,
				      size_t cap,
				      size_t *out_lens,
				      size_t max_out,
				      size_t *n_out);

/* Like ike_sk_encode_fragments(), for an inner chain the caller has already encoded
 * (ike_message_encode_chain) into a buffer of its own.  ike_sk_encode_fragments() itself
 * encodes the chain into out[0] first, so out[0] must hold the whole unfragmented chain. */
IkeWireStatus ike_sk_encode_fragments_chain(const IkeHeader *hdr,
					    uint8_t first_type,
					    const uint8_t *chain,
					    size_t chain_len,
					    CryptoXform *x,
					    size_t max_fragment,
					    uint8_t *const *out,
					    size_t cap,
					    size_t *out_lens,
					    size_t max_out,
					    size_t *n_out);

/* Reassembly of SKF fragments (RFC 7383 §2.6) into caller-provided storage.
 *
 * Each fragment is verified and decrypted as it arrives (ike_frag_buffer_add); only
 * authenticated content is kept, so reassembly never sees an unverified byte.  Fragments
 * may arrive in any order; a duplicate is ignored (counted); a fragment with a smaller
 * Total Fragments than the collection is stale and ignored; one with a larger Total
 * Fragments, once verified, restarts the collection (§2.6: the sender lowered its
 * fragment size).  A fragment of another message ID or exchange restarts it too: the
 * caller passes only fragments of the message it expects.  Limits: IKE_MAX_FRAGMENTS
 * fragments and `cap` bytes of decrypted content, else IKE_WIRE_TOO_MANY. */
#define IKE_MAX_FRAGMENTS 64

typedef struct {
	/* borrowed: decrypted content in fragment order; wiped on reset */
	uint8_t *storage;
	size_t cap;
	size_t used;
	/* the message being collected */
	bool active;
	uint32_t message_id;
	uint8_t exchange;
	uint8_t flags; /* IKE_FLAG_RESPONSE of the message */
	uint8_t first_payload;
	uint16_t total;
	uint16_t n_received;
	uint64_t received; /* bit n-1 set once fragment n is stored */
	uint32_t lens[IKE_MAX_FRAGMENTS];
	/* counters: malformed input is counted, not logged */
	uint32_t n_duplicate;
	uint32_t n_stale;
	uint32_t n_rejected;
} IkeFragBuffer;

void ike_frag_buffer_init(IkeFragBuffer *fb, uint8_t *storage, size_t cap);
/* Forget the collection and wipe the stored plaintext; keeps storage and counters. */
void ike_frag_buffer_reset(IkeFragBuffer *fb);

/* Feed one datagram `buf` that ike_message_decode() decoded into `msg` and whose last
 * payload is SKF.  Decrypts `buf` in place.  Returns IKE_WIRE_OK when the fragment was
 * stored or ignored as a duplicate/stale one; *complete becomes true once all fragments
 * are in.  IKE_WIRE_INTEGRITY when the fragment fails verification (nothing changes). */
IkeWireStatus ike_frag_buffer_add(IkeFragBuffer *fb,
				  CryptoXform *x,
				  uint8_t *buf,
				  size_t len,
				  const IkeMessage *msg,
				  bool *complete);

/* Once complete: decode the reassembled inner chain, appending it to `msg` (a decoded
 * fragment of the message, normally the last) with in_sk = true, and set
 * msg->sk_first_payload.  The views borrow from the buffer's storage. */
IkeWireStatus ike_frag_buffer_decode(const IkeFragBuffer *fb, IkeMessage *msg);
