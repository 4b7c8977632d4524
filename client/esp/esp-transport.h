/* esp-transport.h - ESP transport mode on whole IP packets (RFC 4303 §3.1.1), including the
 * UDP-encapsulated receive path (RFC 3948 §3.1.2) (GLib-free)
 *
 * esp_seal()/esp_open() frame the ESP payload alone; these wrap them for an SA in transport
 * mode: the ESP header goes behind the IP header (and the IPv6 extension headers that stay in
 * front, RFC 4303 §3.1.1), the next-header and length fields are rewritten, and on receive the
 * IP header closes up over ESP again.  No per-packet allocation; only the IP header moves.
 */
#pragma once

#include "esp-sa.h"

/* Outbound: the IP packet at buf[headroom .. headroom + len) (headroom >= esp_sa_headroom(),
 * tailroom >= esp_sa_tailroom()).  On success the IP packet carrying ESP is at
 * buf[*out_off .. *out_off + *out_len), its ESP header at *out_off + *esp_off: a caller that
 * sends it UDP-encapsulated (RFC 3948 §2.1) sends from there. */
EspStatus esp_transport_seal(EspSa *sa,
                             uint8_t *buf,
                             size_t cap,
                             size_t headroom,
                             size_t len,
                             size_t *out_off,
                             size_t *out_len,
                             size_t *esp_off);

/* Inbound: an IP packet carrying ESP.  On success the decapsulated IP packet (next header =
 * the upper protocol, lengths fixed) is at pkt[*out_off .. *out_off + *out_len). */
EspStatus esp_transport_open(EspSa *sa, uint8_t *pkt, size_t len, size_t *out_off, size_t *out_len);

/* Inbound, UDP-encapsulated (RFC 3948): the ESP packet from a port-4500 datagram lies at
 * buf[headroom .. headroom + len) and arrived from `src` to `dst` (the addresses the socket
 * saw, after any NAT).  An IP header for them is built in front of the payload (headroom >=
 * 40 covers both families), and, RFC 3948 §3.1.2 (2), a TCP or UDP checksum is recomputed for
 * those addresses, since NAT changed the ones it was computed over.  On success the IP packet
 * is at buf[*out_off .. *out_off + *out_len). */
EspStatus esp_transport_open_udp(EspSa *sa,
                                 uint8_t *buf,
                                 size_t headroom,
                                 size_t len,
                                 const EspAddr *src,
                                 const EspAddr *dst,
                                 size_t *out_off,
                                 size_t *out_len);
