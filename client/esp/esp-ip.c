/* esp-ip.c - IP header chains for AH and transport mode (RFC 791, RFC 8200, RFC 4302 §3.3.3) */
#include <string.h>

#include "esp-ip.h"
#include "ferry-span.h"

#define IPV4_MF          0x2000
#define IPV4_OFFSET_MASK 0x1fff
#define DEFAULT_TTL      64
#define IPV6_OPT_PAD1    0
#define IPV6_OPT_MUTABLE 0x20 /* RFC 8200 §4.2: third-highest bit of the option type */
#define TCP_CSUM_OFF     16
#define UDP_CSUM_OFF     6

/* RFC 4302 Appendix A.1: the IPv4 options that do not change in flight.  The rest are zeroed
 * in their entirety for the ICV. */
static const uint8_t immutable_v4_options[] = {
	0x00, /* end of option list */
	0x01, /* no operation */
	0x82, /* security (RFC 1108) */
	0x85, /* extended security */
	0x86, /* commercial security */
	0x94, /* router alert (RFC 2113) */
	0x95, /* sender directed multi-destination delivery (RFC 1770) */
};

static EspStatus
parse_v4(const uint8_t *pkt, size_t len, uint8_t find, EspIpInfo *out)
{
	size_t ihl = (size_t)(pkt[0] & 0x0f) * 4;
	uint16_t frag = ferry_get_be16(pkt + 6);

	if (ihl < ESP_IPV4_HEADER_LEN)
		return ESP_ERR_IP_HEADER;
	if (ihl > len)
		return ESP_ERR_TRUNCATED;
	out->total = ferry_get_be16(pkt + 2);
	if (out->total < ihl)
		return ESP_ERR_IP_HEADER;
	if (out->total > len)
		return ESP_ERR_TRUNCATED;
	/* RFC 4302 §3.4.1, RFC 4303 §3.4.1: fragments are reassembled before IPsec sees them. */
	if (frag & (IPV4_MF | IPV4_OFFSET_MASK))
		return ESP_ERR_IP_HEADER;
	out->hdr_len = ihl;
	out->nh_off = 9;
	out->proto = pkt[9];
	if (find && out->proto != find)
		return ESP_ERR_IP_HEADER;
	return ESP_OK;
}

static bool
is_option_header(uint8_t nh)
{
	return nh == ESP_IPPROTO_HOPOPTS || nh == ESP_IPPROTO_ROUTING || nh == ESP_IPPROTO_DSTOPTS;
}

static EspStatus
parse_v6(const uint8_t *pkt, size_t len, uint8_t find, EspIpInfo *out)
{
	size_t plen = ferry_get_be16(pkt + 4), off = ESP_IPV6_HEADER_LEN;
	bool routing = false;
	uint8_t nh = pkt[6];

	/* A jumbogram (RFC 2675) never needs IPsec here. */
	if (plen == 0)
		return ESP_ERR_IP_HEADER;
	out->total = ESP_IPV6_HEADER_LEN + plen;
	if (out->total > len)
		return ESP_ERR_TRUNCATED;
	out->nh_off = 6;
	for (;;) {
		size_t elen;

		if (find && nh == find)
			break;
		if (nh == ESP_IPPROTO_FRAGMENT)
			return ESP_ERR_IP_HEADER;
		if (!is_option_header(nh)) {
			if (find)
				return ESP_ERR_IP_HEADER;
			break;
		}
		/* RFC 4302 §3.1.1, as Linux places AH/ESP: destination options after a
		 * routing header are for the final destination and stay behind AH/ESP. */
		if (!find && nh == ESP_IPPROTO_DSTOPTS && routing)
			break;
		/* RFC 8200 §4.1: hop-by-hop options only directly after the base header. */
		if (nh == ESP_IPPROTO_HOPOPTS && off != ESP_IPV6_HEADER_LEN)
			return ESP_ERR_IP_HEADER;
		if (off + 2 > out->total)
			return ESP_ERR_IP_HEADER;
		elen = ((size_t)pkt[off + 1] + 1) * 8;
		if (off + elen > out->total || off + elen > ESP_IP_HEADER_MAX)
			return ESP_ERR_IP_HEADER;
		routing |= nh == ESP_IPPROTO_ROUTING;
		out->nh_off = off;
		nh = pkt[off];
		off += elen;
	}
	out->hdr_len = off;
	out->proto = nh;
	return ESP_OK;
}

EspStatus
esp_ip_parse(const uint8_t *pkt, size_t len, uint8_t find, EspIpInfo *out)
{
	memset(out, 0, sizeof(*out));
	if (len < 1)
		return ESP_ERR_TRUNCATED;
	out->version = pkt[0] >> 4;
	if (out->version == 4)
		return len < ESP_IPV4_HEADER_LEN ? ESP_ERR_TRUNCATED
		                                 : parse_v4(pkt, len, find, out);
	if (out->version == 6)
		return len < ESP_IPV6_HEADER_LEN ? ESP_ERR_TRUNCATED
		                                 : parse_v6(pkt, len, find, out);
	return ESP_ERR_IP_HEADER;
}

static bool
is_immutable_v4_option(uint8_t type)
{
	for (size_t i = 0; i < sizeof(immutable_v4_options); i++) {
		if (immutable_v4_options[i] == type)
			return true;
	}
	return false;
}

/* RFC 4302 §3.3.3.1.1: the base header's DSCP/ECN, flags, fragment offset, TTL and checksum,
 * and each mutable option in its entirety (§3.3.3.1.1.2). */
static EspStatus
zero_v4(uint8_t *hdr, size_t ihl)
{
	size_t i = ESP_IPV4_HEADER_LEN;

	hdr[1] = 0;
	memset(hdr + 6, 0, 3); /* flags, fragment offset, TTL */
	memset(hdr + 10, 0, 2);
	while (i < ihl) {
		size_t olen;

		if (hdr[i] == 0x00) /* end of list: the rest is padding */
			break;
		if (hdr[i] == 0x01) {
			i++;
			continue;
		}
		if (i + 2 > ihl)
			return ESP_ERR_IP_HEADER;
		olen = hdr[i + 1];
		if (olen < 2 || i + olen > ihl)
			return ESP_ERR_IP_HEADER;
		if (!is_immutable_v4_option(hdr[i]))
			memset(hdr + i, 0, olen);
		i += olen;
	}
	return ESP_OK;
}

/* RFC 8200 §4.2 TLV options: zero the data of those marked as changing en route. */
static EspStatus
zero_v6_options(uint8_t *opt, size_t len)
{
	size_t i = 2;

	while (i < len) {
		size_t olen;

		if (opt[i] == IPV6_OPT_PAD1) {
			i++;
			continue;
		}
		if (i + 2 > len)
			return ESP_ERR_IP_HEADER;
		olen = opt[i + 1];
		if (i + 2 + olen > len)
			return ESP_ERR_IP_HEADER;
		if (opt[i] & IPV6_OPT_MUTABLE)
			memset(opt + i + 2, 0, olen);
		i += 2 + olen;
	}
	return ESP_OK;
}

/* RFC 4302 §3.3.3.1.2: traffic class, flow label, hop limit; then the extension headers. */
static EspStatus
zero_v6(uint8_t *hdr, size_t hdr_len)
{
	size_t off = ESP_IPV6_HEADER_LEN;
	uint8_t nh = hdr[6];

	hdr[0] &= 0xf0;
	memset(hdr + 1, 0, 3);
	hdr[7] = 0;
	while (off < hdr_len) {
		size_t elen = ((size_t)hdr[off + 1] + 1) * 8;
		EspStatus st = ESP_OK;

		if (nh == ESP_IPPROTO_HOPOPTS || nh == ESP_IPPROTO_DSTOPTS)
			st = zero_v6_options(hdr + off, elen);
		/* RFC 4302 §3.3.3.1.2.2: a routing header is mutable but predictable; we only
		 * take it in its final form (no segments left), as the destination sees it. */
		else if (nh == ESP_IPPROTO_ROUTING && hdr[off + 3] != 0)
			st = ESP_ERR_IP_HEADER;
		if (st != ESP_OK)
			return st;
		nh = hdr[off];
		off += elen;
	}
	return ESP_OK;
}

EspStatus
esp_ip_zero_mutable(uint8_t *hdr, const EspIpInfo *ip)
{
	if (ip->version == 4)
		return zero_v4(hdr, ip->hdr_len);
	return zero_v6(hdr, ip->hdr_len);
}

static uint32_t
sum16(const uint8_t *p, size_t len, uint32_t sum)
{
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)p[i] << 8 | p[i + 1];
	if (i < len)
		sum += (uint32_t)p[i] << 8;
	return sum;
}

static uint16_t
fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

void
esp_ip_update_checksum4(uint8_t *hdr, size_t hdr_len)
{
	ferry_put_be16(hdr + 10, 0);
	ferry_put_be16(hdr + 10, fold(sum16(hdr, hdr_len, 0)));
}

bool
esp_ip_set_total(uint8_t *pkt, uint8_t version, size_t total)
{
	if (version == 4) {
		if (total > UINT16_MAX)
			return false;
		ferry_put_be16(pkt + 2, (uint16_t)total);
		esp_ip_update_checksum4(pkt, (size_t)(pkt[0] & 0x0f) * 4);
		return true;
	}
	if (total < ESP_IPV6_HEADER_LEN || total - ESP_IPV6_HEADER_LEN > UINT16_MAX)
		return false;
	ferry_put_be16(pkt + 4, (uint16_t)(total - ESP_IPV6_HEADER_LEN));
	return true;
}

size_t
esp_ip_build(uint8_t *out,
             const EspAddr *src,
             const EspAddr *dst,
             uint8_t proto,
             size_t payload_len,
             uint8_t tos,
             uint16_t id)
{
	if (src->family == 4) {
		if (payload_len > UINT16_MAX - ESP_IPV4_HEADER_LEN)
			return 0;
		out[0] = 0x45;
		out[1] = tos;
		ferry_put_be16(out + 2, (uint16_t)(ESP_IPV4_HEADER_LEN + payload_len));
		ferry_put_be16(out + 4, id);
		ferry_put_be16(out + 6, 0);
		out[8] = DEFAULT_TTL;
		out[9] = proto;
		memcpy(out + 12, src->addr, 4);
		memcpy(out + 16, dst->addr, 4);
		esp_ip_update_checksum4(out, ESP_IPV4_HEADER_LEN);
		return ESP_IPV4_HEADER_LEN;
	}
	if (payload_len > UINT16_MAX)
		return 0;
	out[0] = (uint8_t)(0x60 | tos >> 4);
	out[1] = (uint8_t)(tos << 4);
	out[2] = out[3] = 0;
	ferry_put_be16(out + 4, (uint16_t)payload_len);
	out[6] = proto;
	out[7] = DEFAULT_TTL;
	memcpy(out + 8, src->addr, 16);
	memcpy(out + 24, dst->addr, 16);
	return ESP_IPV6_HEADER_LEN;
}

/* RFC 793 §3.1, RFC 768, RFC 8200 §8.1: the pseudo-header sum. */
static uint32_t
pseudo_sum(const EspAddr *src, const EspAddr *dst, uint8_t proto, size_t len)
{
	size_t alen = src->family == 4 ? 4 : 16;
	uint32_t sum = sum16(src->addr, alen, 0);

	sum = sum16(dst->addr, alen, sum);
	sum += proto;
	sum += (uint32_t)(len >> 16) + (uint32_t)(len & 0xffff);
	return sum;
}

void
esp_ip_fix_l4_checksum(
	uint8_t *l4, size_t len, uint8_t proto, const EspAddr *src, const EspAddr *dst)
{
	size_t off;
	uint16_t csum;

	if (proto == ESP_IPPROTO_TCP && len >= 20)
		off = TCP_CSUM_OFF;
	else if (proto == ESP_IPPROTO_UDP && len >= 8)
		off = UDP_CSUM_OFF;
	else
		return;
	ferry_put_be16(l4 + off, 0);
	csum = fold(sum16(l4, len, pseudo_sum(src, dst, proto, len)));
	/* RFC 768: a computed zero is sent as all ones (zero means "none" over IPv4). */
	if (proto == ESP_IPPROTO_UDP && csum == 0)
		csum = 0xffff;
	ferry_put_be16(l4 + off, csum);
}
