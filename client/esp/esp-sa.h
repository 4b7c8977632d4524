/* esp-sa.h - one direction of an ESP or AH security association in the datapath (GLib-free)
 *
 * Created by the control thread from keys the IKE engine derived, then handed to the
 * datapath thread, which alone seals or opens with it.  Keys live only in the
 * CryptoXform inside; the params' secrets are copied and may be freed by the caller.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "crypto-xform.h"
#include "ferry-secret.h"

typedef enum {
	ESP_OK = 0,
	ESP_ERR_TRUNCATED,     /* shorter than header + IV + ICV */
	ESP_ERR_SPI,           /* SPI does not match the SA */
	ESP_ERR_REPLAY,        /* sequence number replayed or left of the window */
	ESP_ERR_INTEGRITY,     /* ICV / tag mismatch */
	ESP_ERR_PADDING,       /* pad length too long or pad bytes not 1,2,3,... (RFC 4303 §2.4) */
	ESP_ERR_NEXT_HEADER,   /* next header not IPv4/IPv6 in tunnel mode, or 59 dummy */
	ESP_ERR_LENGTH,        /* ciphertext not a block multiple, or no room in the buffer */
	ESP_ERR_SEQ_EXHAUSTED, /* outbound counter would wrap: rekey (RFC 4303 §3.3.3) */
	ESP_ERR_LIFETIME,      /* hard byte/packet lifetime reached */
	ESP_ERR_CRYPTO,        /* backend failure */
	ESP_ERR_UNSUPPORTED,
	ESP_ERR_NOMEM,
	/* An IP header AH or transport mode cannot take: malformed, a fragment (RFC 4302
	 * §3.4.1), a routing header still in flight, a mutable option with a bad length. */
	ESP_ERR_IP_HEADER,
	ESP_STATUS_COUNT
} EspStatus;

const char *esp_status_to_string(EspStatus st);

typedef enum {
	ESP_PROTO_ESP = 50,
	ESP_PROTO_AH = 51,
} EspProto;

typedef enum {
	ESP_MODE_TUNNEL,
	ESP_MODE_TRANSPORT,
} EspMode;

typedef enum {
	ESP_DIR_IN,
	ESP_DIR_OUT,
} EspDir;

/* An IP address; family 4 or 6 (0: none). */
typedef struct {
	uint8_t family;
	uint8_t addr[16]; /* network order; the first 4 bytes for IPv4 */
} EspAddr;

typedef struct {
	EspProto proto;
	EspMode mode;
	EspDir dir;
	uint32_t spi; /* host order; the SPI the receiver chose */
	/* ESP: ENCR (+ INTEG unless AEAD).  AH: encr_id CRYPTO_XFORM_ENCR_NONE and an INTEG. */
	CryptoXformAlg alg;
	bool esn;
	uint32_t replay_window; /* packets; 0 disables (outbound ignores it) */
	/* 0 = unlimited.  Soft limits raise a flag for rekeying; hard limits refuse. */
	uint64_t soft_bytes, hard_bytes;
	uint64_t soft_packets, hard_packets;
	/* AH (both modes, both directions): the addresses this direction's packets travel
	 * between, same family (RFC 4301 §4.4.2.1).  Tunnel mode builds the outer header from
	 * them (§5.1.2.1); open refuses a packet between other addresses.  ESP leaves the outer
	 * header to the UDP socket and ignores them. */
	EspAddr src, dst;
	/* secret */
	const FerrySecret *enc_key;   /* includes the AEAD salt; NULL or empty for AH */
	const FerrySecret *integ_key; /* NULL for AEAD */
} EspSaParams;

typedef struct {
	uint64_t packets;
	uint64_t bytes;                     /* inner (plaintext) bytes */
	uint64_t dropped[ESP_STATUS_COUNT]; /* by reason, inbound */
	/* Dummy packets (next header 59, RFC 4303 §2.6): authenticated, committed to the
	 * replay window, discarded; also counted in dropped[ESP_ERR_NEXT_HEADER]. */
	uint64_t dummy;
} EspSaStats;

typedef struct EspSa EspSa;

EspStatus esp_sa_new(const EspSaParams *params, EspSa **out);
void esp_sa_free(EspSa *sa);
uint32_t esp_sa_get_spi(const EspSa *sa);
const EspSaStats *esp_sa_get_stats(const EspSa *sa);
/* True once a soft lifetime was crossed (checked by the control thread to start a rekey). */
bool esp_sa_soft_expired(const EspSa *sa);

/* Bytes an outbound packet grows by at most: header + IV + max padding + trailer + ICV
 * (ESP); AH header with ICV and IPv6 padding, plus the outer IP header in tunnel mode (AH). */
size_t esp_sa_overhead(const EspSa *sa);
/* The part of the overhead in front of the inner packet.  ESP: header + IV (esp_seal() puts
 * the ESP header at buf + headroom - esp_sa_headroom()).  AH: what esp_ah_seal() needs. */
size_t esp_sa_headroom(const EspSa *sa);
/* The part behind it: max padding + pad length + next header + ICV (ESP); 0 for AH. */
size_t esp_sa_tailroom(const EspSa *sa);
/* Outbound: the last sequence number sent (0 before the first packet). */
uint64_t esp_sa_get_seq_out(const EspSa *sa);
