/* esp-ip.h - the IP headers AH and transport mode read and rewrite: the header chain, length
 * fields, the fields AH treats as mutable, Internet checksums (RFC 791, RFC 8200, RFC 1071)
 * (GLib-free)
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "esp-sa.h"

#define ESP_IPV4_HEADER_LEN 20
#define ESP_IPV6_HEADER_LEN 40

/* IP protocol numbers (IANA "Assigned Internet Protocol Numbers"). */
#define ESP_IPPROTO_HOPOPTS  0
#define ESP_IPPROTO_IPIP     4
#define ESP_IPPROTO_TCP      6
#define ESP_IPPROTO_UDP      17
#define ESP_IPPROTO_IPV6     41
#define ESP_IPPROTO_ROUTING  43
#define ESP_IPPROTO_FRAGMENT 44
#define ESP_IPPROTO_ESP      50
#define ESP_IPPROTO_AH       51
#define ESP_IPPROTO_NONE     59
#define ESP_IPPROTO_DSTOPTS  60

/* Longest IP header (base + the extension headers in front of ESP/AH) we handle. */
#define ESP_IP_HEADER_MAX 256

typedef struct {
	uint8_t version; /* 4 or 6 */
	size_t hdr_len;  /* where ESP/AH sits or goes: v4 IHL*4; v6 40 + extension headers */
	size_t nh_off;   /* offset of the octet naming the protocol at hdr_len */
	uint8_t proto;   /* the protocol at hdr_len */
	size_t total;    /* the packet's length by its header (<= the buffer's) */
} EspIpInfo;

/* Parse an IP packet of `len` bytes.  `find` 0: stop where RFC 4302 §3.1.1 / RFC 4303 §3.1.1
 * put AH/ESP in transport mode (after IPv6 hop-by-hop, routing, and destination options
 * in front of a routing header).  `find` ESP_IPPROTO_AH/ESP: walk those headers to it.
 * ESP_ERR_TRUNCATED when the buffer is short, ESP_ERR_IP_HEADER when malformed, a fragment,
 * or (find != 0) the protocol is not there. */
EspStatus esp_ip_parse(const uint8_t *pkt, size_t len, uint8_t find, EspIpInfo *out);

/* RFC 4302 §3.3.3.1: zero what may change in flight in a copy of the header chain (base
 * header and the extension headers up to hdr_len): IPv4 TOS, flags, fragment offset, TTL,
 * checksum, mutable options (Appendix A); IPv6 traffic class, flow label, hop limit, data
 * of options whose type says "may change" (RFC 8200 §4.2).  ESP_ERR_IP_HEADER when an option
 * is malformed or a routing header still has segments left (its final form would have to
 * be predicted). */
EspStatus esp_ip_zero_mutable(uint8_t *hdr, const EspIpInfo *ip);

/* Rewrite the length field for a packet of `total` bytes (IPv4 total length and checksum,
 * IPv6 payload length).  False when it does not fit the field. */
bool esp_ip_set_total(uint8_t *pkt, uint8_t version, size_t total);

/* RFC 791 §3.1: the IPv4 header checksum over `hdr_len` bytes. */
void esp_ip_update_checksum4(uint8_t *hdr, size_t hdr_len);

/* Write a plain header (no options) for `payload_len` bytes of protocol `proto` between
 * `src` and `dst` (same family); returns its length, 0 if too long. */
size_t esp_ip_build(uint8_t *out,
                    const EspAddr *src,
                    const EspAddr *dst,
                    uint8_t proto,
                    size_t payload_len,
                    uint8_t tos,
                    uint16_t id);

/* RFC 3948 §3.1.2 (2): recompute the TCP or UDP checksum of a transport-mode payload for the
 * addresses it now travels between; other protocols are left alone. */
void esp_ip_fix_l4_checksum(
	uint8_t *l4, size_t len, uint8_t proto, const EspAddr *src, const EspAddr *dst);
