/* esp-transport.c - ESP transport mode on whole IP packets (RFC 4303 §3.1.1, RFC 3948 §3.1.2) */
#include <string.h>

#include "esp-ip.h"
#include "esp-sa-private.h"
#include "esp-seal.h"
#include "esp-transport.h"

EspStatus
esp_transport_seal(EspSa *sa,
                   uint8_t *buf,
                   size_t cap,
                   size_t headroom,
                   size_t len,
                   size_t *out_off,
                   size_t *out_len,
                   size_t *esp_off)
{
	const size_t front = esp_sa_headroom(sa);
	uint8_t *hdr;
	size_t eoff = 0, elen = 0;
	EspIpInfo ip;
	EspStatus st;

	if (sa->dir != ESP_DIR_OUT || sa->proto != ESP_PROTO_ESP || sa->mode != ESP_MODE_TRANSPORT)
		return ESP_ERR_UNSUPPORTED;
	if (headroom < front || headroom > cap || len > cap - headroom)
		return ESP_ERR_LENGTH;
	st = esp_ip_parse(buf + headroom, len, 0, &ip);
	if (st != ESP_OK)
		return st == ESP_ERR_TRUNCATED ? ESP_ERR_LENGTH : st;
	if (ip.total != len)
		return ESP_ERR_LENGTH;
	/* The header moves forward by ESP header + IV; the payload stays where it is and
	 * esp_seal() writes ESP's header into the gap behind the moved IP header. */
	hdr = buf + headroom - front;
	memmove(hdr, buf + headroom, ip.hdr_len);
	st = esp_seal(sa, buf, cap, headroom + ip.hdr_len, len - ip.hdr_len, ip.proto, &eoff,
	              &elen);
	if (st != ESP_OK) {
		memmove(buf + headroom, hdr, ip.hdr_len);
		return st;
	}
	hdr[ip.nh_off] = ESP_IPPROTO_ESP;
	if (!esp_ip_set_total(hdr, ip.version, ip.hdr_len + elen))
		return ESP_ERR_LENGTH;
	*out_off = headroom - front;
	*out_len = ip.hdr_len + elen;
	*esp_off = ip.hdr_len;
	return ESP_OK;
}

EspStatus
esp_transport_open(EspSa *sa, uint8_t *pkt, size_t len, size_t *out_off, size_t *out_len)
{
	size_t ioff = 0, ilen = 0;
	uint8_t nh = 0;
	EspIpInfo ip;
	EspStatus st;

	if (sa->mode != ESP_MODE_TRANSPORT)
		return esp_sa_drop(sa, ESP_ERR_UNSUPPORTED);
	st = esp_ip_parse(pkt, len, ESP_IPPROTO_ESP, &ip);
	if (st != ESP_OK)
		return esp_sa_drop(sa, st);
	st = esp_open(sa, pkt + ip.hdr_len, ip.total - ip.hdr_len, &ioff, &ilen, &nh);
	if (st != ESP_OK)
		return st;
	/* RFC 4303 §3.4.4.1: the header closes up over ESP header and IV. */
	memmove(pkt + ioff, pkt, ip.hdr_len);
	pkt[ioff + ip.nh_off] = nh;
	(void)esp_ip_set_total(pkt + ioff, ip.version, ip.hdr_len + ilen);
	*out_off = ioff;
	*out_len = ip.hdr_len + ilen;
	return ESP_OK;
}

EspStatus
esp_transport_open_udp(EspSa *sa,
                       uint8_t *buf,
                       size_t headroom,
                       size_t len,
                       const EspAddr *src,
                       const EspAddr *dst,
                       size_t *out_off,
                       size_t *out_len)
{
	size_t ioff = 0, ilen = 0, hlen, start;
	uint8_t nh = 0;
	EspStatus st;

	if (sa->mode != ESP_MODE_TRANSPORT || (src->family != 4 && src->family != 6) ||
	    src->family != dst->family)
		return esp_sa_drop(sa, ESP_ERR_UNSUPPORTED);
	hlen = src->family == 4 ? ESP_IPV4_HEADER_LEN : ESP_IPV6_HEADER_LEN;
	if (headroom + esp_sa_headroom(sa) < hlen)
		return esp_sa_drop(sa, ESP_ERR_LENGTH);
	st = esp_open(sa, buf + headroom, len, &ioff, &ilen, &nh);
	if (st != ESP_OK)
		return st;
	start = headroom + ioff;
	/* RFC 3948 §3.1.2 (2): the packet is authenticated, so its checksum carries no
	 * information a recomputation for the addresses it now has would lose. */
	esp_ip_fix_l4_checksum(buf + start, ilen, nh, src, dst);
	if (esp_ip_build(buf + start - hlen, src, dst, nh, ilen, 0, 0) == 0)
		return esp_sa_drop(sa, ESP_ERR_LENGTH);
	*out_off = start - hlen;
	*out_len = hlen + ilen;
	return ESP_OK;
}
