/* esp-seal.h - ESP/AH encapsulation and decapsulation on caller-owned buffers (GLib-free)
 *
 * RFC 4303 (ESP), RFC 4302 (AH), RFC 3948 (UDP encapsulation: the caller sends the result
 * on the port-4500 socket; nothing here adds a UDP header).  No allocation per packet.
 */
#pragma once

#include "esp-sa.h"

/* Outbound.  The inner packet (an IP packet in tunnel mode) lies at buf[headroom ..
 * headroom + len); headroom must be >= header + IV (use esp_sa_overhead()), and
 * cap - headroom - len must hold padding, trailer and ICV.  On success the ESP packet is at
 * buf[*out_off .. *out_off + *out_len).  next_header: 4 (IPv4) or 41 (IPv6) in tunnel mode. */
EspStatus esp_seal(EspSa *sa,
		   uint8_t *buf,
		   size_t cap,
		   size_t headroom,
		   size_t len,
		   uint8_t next_header,
		   size_t *out_off,
		   size_t *out_len);

/* Inbound: verify (replay check, ICV) before decrypting, then check padding and next
 * header, and only then commit the sequence number to the replay window.  On success the
 * inner packet is at pkt[*inner_off .. *inner_off + *inner_len). */
EspStatus esp_open(EspSa *sa,
		   uint8_t *pkt,
		   size_t len,
		   size_t *inner_off,
		   size_t *inner_len,
		   uint8_t *next_header);

/* SPI of an inbound ESP packet, for picking the SA (0 when too short). */
uint32_t esp_packet_spi(const uint8_t *pkt, size_t len);
