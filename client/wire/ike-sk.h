/* ike-sk.h - SK and SKF framing (RFC 7296 §3.14, RFC 5282, RFC 7383) (GLib-free)
 *
 * The only wire file that calls crypto: it lays out IV, padding and ICV around an
 * inner payload chain and lets crypto-xform seal or open it.
 */
#pragma once

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
 * msg borrows from.  IKE_WIRE_INTEGRITY when the ICV does not match. */
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
