/* esp-ah.h - AH encapsulation and decapsulation on caller-owned buffers (RFC 4302) (GLib-free)
 *
 * AH protects the IP header it travels in, so both directions work on whole IP packets: the
 * carrier is IP protocol 51 (a raw socket), never UDP (RFC 3948 has no AH).  The SA is an
 * EspSa with proto ESP_PROTO_AH and its endpoints (EspSaParams src/dst); counters, lifetimes
 * and the replay window are the ESP ones.
 */
#pragma once

#include "esp-sa.h"

/* RFC 4302 §2: next header, payload length, reserved, SPI, sequence number. */
#define ESP_AH_HEADER_LEN 12

/* The AH header with its ICV, padded to 32 bits (IPv4) or 64 bits (IPv6) (RFC 4302 §2.6,
 * §3.3.3.2.1). */
size_t esp_ah_header_len(const EspSa *sa, uint8_t ip_version);

/* Outbound.  The IP packet to protect lies at buf[headroom .. headroom + len).
 * - Tunnel mode: a new outer header (the SA's tunnel endpoints) and AH go in front of it.
 * - Transport mode: AH goes behind the IP header (and the IPv6 extension headers that stay
 *   in front of it, RFC 4302 §3.1.1); the header moves forward, its next header becomes 51.
 * headroom must be >= esp_sa_headroom().  On success the AH-protected IP packet is at
 * buf[*out_off .. *out_off + *out_len).  ESP_ERR_IP_HEADER for a packet AH cannot protect
 * (fragment, routing header with segments left, malformed options). */
EspStatus esp_ah_seal(EspSa *sa,
                      uint8_t *buf,
                      size_t cap,
                      size_t headroom,
                      size_t len,
                      size_t *out_off,
                      size_t *out_len);

/* Inbound: an IP packet carrying AH.  Replay check, then the ICV over the header with its
 * mutable fields zeroed (RFC 4302 §3.4), then the window moves.  On success:
 * - tunnel mode: the inner IP packet is at pkt[*inner_off ..], *next_header is 4 or 41;
 * - transport mode: AH is removed, the IP packet (header moved forward, lengths and next
 *   header restored) is at pkt[*inner_off ..], *next_header is the upper protocol.
 * ESP_ERR_SPI also for a packet between addresses other than the SA's.  Every failure leaves
 * the packet as received and bumps stats.dropped[status]. */
EspStatus esp_ah_open(EspSa *sa,
                      uint8_t *pkt,
                      size_t len,
                      size_t *inner_off,
                      size_t *inner_len,
                      uint8_t *next_header);
