/* crypto-auth.h - AUTH payload computation for shared keys (RFC 7296 §2.15) (GLib-free)
 *
 * Signature methods (RFC 7427) come with the certificate issue; their functions join
 * this header then.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "crypto-status.h"
#include "ferry-secret.h"

/* The octets a side signs: its first message | peer's nonce | prf(SK_p, IDx') (RFC 7296 §2.15).
 * `id_payload_body` is the ID payload after the generic header (type, 3 reserved, data).
 * Returns a newly allocated secret-free buffer through *out / *out_len (caller frees with free()). */
CryptoStatus crypto_auth_signed_octets(uint16_t prf_id,
				       const uint8_t *message,
				       size_t message_len,
				       const uint8_t *peer_nonce,
				       size_t peer_nonce_len,
				       const FerrySecret *sk_p,
				       const uint8_t *id_payload_body,
				       size_t id_payload_body_len,
				       uint8_t **out,
				       size_t *out_len);

/* AUTH = prf( prf(shared secret, "Key Pad for IKEv2"), signed octets ); out has
 * crypto_prf_output_size(prf_id) bytes. */
CryptoStatus crypto_auth_psk(uint16_t prf_id,
			     const FerrySecret *psk,
			     const uint8_t *signed_octets,
			     size_t signed_octets_len,
			     uint8_t *out);
