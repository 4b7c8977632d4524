/* esp-sa-private.h - the EspSa instance, shared by esp-sa.c and esp-seal.c (GLib-free) */
#pragma once

#include "esp-replay.h"
#include "esp-sa.h"

/* RFC 4303 §2: SPI and sequence number. */
#define ESP_HEADER_LEN 8
/* RFC 4303 §2.4: pad length and next header. */
#define ESP_TRAILER_LEN 2
/* RFC 4303 §2.4: the ciphertext must end on a 4-byte boundary whatever the cipher. */
#define ESP_ALIGN 4

struct EspSa {
	EspProto proto;
	EspMode mode;
	EspDir dir;
	uint32_t spi;
	bool esn;
	uint64_t soft_bytes, hard_bytes;
	uint64_t soft_packets, hard_packets;
	/* owned */
	CryptoXform *xform; /* holds the keys (secret) */
	CryptoXformSizes sizes;
	EspAddr src, dst; /* AH: the carrier's addresses */
	uint16_t ip_id;   /* AH tunnel mode over IPv4: the outer header's ID */
	size_t align;     /* padding unit: lcm of block size and 4, i.e. max of them */
	uint64_t seq_out; /* outbound: last sequence number used (0 = none yet) */
	EspReplay replay; /* inbound */
	EspSaStats stats;
	bool soft_expired; /* written by the datapath, read by the control thread (atomic) */
};

/* RFC 4303 §3.3.3 / RFC 4302 §3.3.2: the next outbound sequence number; false when the
 * counter would cycle. */
bool esp_sa_next_seq(const EspSa *sa, uint64_t *seq);
/* Count an inbound failure and return it. */
EspStatus esp_sa_drop(EspSa *sa, EspStatus st);

/* Update counters after a packet of `bytes` inner bytes went through; raises the soft flag. */
void esp_sa_account(EspSa *sa, size_t bytes);
/* True when a hard lifetime is reached, or a packet of `bytes` inner bytes would cross it. */
bool esp_sa_hard_reached(const EspSa *sa, size_t bytes);
