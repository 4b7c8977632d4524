/* esp-ah.c - AH seal and open for IPv4 and IPv6, tunnel and transport mode (RFC 4302)
 *
 * Packet layout (RFC 4302 §2, Figure 1):
 *
 *     0                   1                   2                   3
 *     0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *    | Next Header   |  Payload Len  |          RESERVED             |
 *    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *    |                 Security Parameters Index (SPI)               |
 *    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *    |                    Sequence Number Field                      |
 *    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *    |                Integrity Check Value-ICV (variable)           |
 *    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 * The ICV input (RFC 4302 §3.3.3) is the IP header chain with its mutable fields zeroed, the
 * AH header with the ICV (not its padding) zeroed, the payload, and with ESN the high 32 bits
 * of the sequence number appended (§2.5.1, §3.3.3.2).  Header and AH are assembled in a stack
 * scratch buffer, so the packet is written only once the ICV is known and never modified by
 * a failed open.
 */
#include <string.h>

#include "esp-ah.h"
#include "esp-ip.h"
#include "esp-sa-private.h"
#include "ferry-span.h"

#define SCRATCH_MAX (ESP_IP_HEADER_MAX + ESP_AH_HEADER_LEN + 64)

size_t
esp_ah_header_len(const EspSa *sa, uint8_t ip_version)
{
	size_t unit = ip_version == 6 ? 8 : 4;
	size_t n = ESP_AH_HEADER_LEN + sa->sizes.icv_len;

	return (n + unit - 1) / unit * unit;
}

/* The ICV input's tail: the high-order sequence bits with ESN (RFC 4302 §3.3.3.2). */
static size_t
esn_tail(const EspSa *sa, uint64_t seq, uint8_t out[4])
{
	if (!sa->esn)
		return 0;
	ferry_put_be32(out, (uint32_t)(seq >> 32));
	return 4;
}

static void
write_ah(uint8_t *ah, size_t ah_len, uint8_t nh, uint32_t spi, uint64_t seq)
{
	ah[0] = nh;
	/* RFC 4302 §2.2: the length in 32-bit words minus 2. */
	ah[1] = (uint8_t)(ah_len / 4 - 2);
	ah[2] = ah[3] = 0;
	ferry_put_be32(ah + 4, spi);
	ferry_put_be32(ah + 8, (uint32_t)seq);
	/* ICV zero for the computation; padding zero on the wire (§3.3.3.2.1). */
	memset(ah + ESP_AH_HEADER_LEN, 0, ah_len - ESP_AH_HEADER_LEN);
}

static uint8_t
inner_tos(const uint8_t *ip)
{
	return ip[0] >> 4 == 4 ? ip[1] : (uint8_t)(ip[0] << 4 | ip[1] >> 4);
}

/* Tunnel mode: outer header (RFC 4301 §5.1.2.1: DSCP and ECN copied from the inner header)
 * and AH into `hdr`; returns their length, 0 when they do not fit. */
static size_t
build_tunnel_header(
	EspSa *sa, const uint8_t *inner, size_t len, uint64_t seq, uint8_t *hdr, EspIpInfo *ip)
{
	uint8_t version = sa->src.family;
	size_t ah_len = esp_ah_header_len(sa, version);
	size_t n;

	n = esp_ip_build(hdr, &sa->src, &sa->dst, ESP_IPPROTO_AH, ah_len + len, inner_tos(inner),
	                 sa->ip_id);
	if (n == 0)
		return 0;
	write_ah(hdr + n, ah_len, inner[0] >> 4 == 4 ? ESP_IPPROTO_IPIP : ESP_IPPROTO_IPV6, sa->spi,
	         seq);
	memset(ip, 0, sizeof(*ip));
	ip->version = version;
	ip->hdr_len = n;
	return n + ah_len;
}

/* Transport mode: the packet's own header chain, next header 51, lengths grown, then AH. */
static size_t
build_transport_header(
	EspSa *sa, const uint8_t *pkt, const EspIpInfo *ip, uint64_t seq, uint8_t *hdr)
{
	size_t ah_len = esp_ah_header_len(sa, ip->version);

	memcpy(hdr, pkt, ip->hdr_len);
	hdr[ip->nh_off] = ESP_IPPROTO_AH;
	if (!esp_ip_set_total(hdr, ip->version, ip->total + ah_len))
		return 0;
	write_ah(hdr + ip->hdr_len, ah_len, ip->proto, sa->spi, seq);
	return ip->hdr_len + ah_len;
}

static EspStatus
check_seal(EspSa *sa, const uint8_t *pkt, size_t len, EspIpInfo *ip)
{
	EspStatus st;

	if (sa->dir != ESP_DIR_OUT || sa->proto != ESP_PROTO_AH)
		return ESP_ERR_UNSUPPORTED;
	st = esp_ip_parse(pkt, len, 0, ip);
	if (st == ESP_ERR_TRUNCATED)
		return ESP_ERR_LENGTH;
	if (st != ESP_OK)
		return st;
	if (ip->total != len)
		return ESP_ERR_LENGTH;
	return ESP_OK;
}

EspStatus
esp_ah_seal(EspSa *sa,
            uint8_t *buf,
            size_t cap,
            size_t headroom,
            size_t len,
            size_t *out_off,
            size_t *out_len)
{
	uint8_t hdr[SCRATCH_MAX], zeroed[SCRATCH_MAX], tail[4];
	const bool tunnel = sa->mode == ESP_MODE_TUNNEL;
	EspIpInfo ip, hip;
	size_t n, payload_off, plen, ah_off, tail_len;
	uint64_t seq;
	EspStatus st;

	if (headroom > cap || len > cap - headroom)
		return ESP_ERR_LENGTH;
	st = check_seal(sa, buf + headroom, len, &ip);
	if (st != ESP_OK)
		return st;
	if (esp_sa_hard_reached(sa, len))
		return ESP_ERR_LIFETIME;
	if (!esp_sa_next_seq(sa, &seq))
		return ESP_ERR_SEQ_EXHAUSTED;
	if (tunnel) {
		n = build_tunnel_header(sa, buf + headroom, len, seq, hdr, &hip);
		payload_off = headroom;
	} else {
		hip = ip;
		n = ip.hdr_len + ESP_AH_HEADER_LEN + sa->sizes.icv_len + 8 > SCRATCH_MAX
		            ? 0
		            : build_transport_header(sa, buf + headroom, &ip, seq, hdr);
		payload_off = headroom + ip.hdr_len;
	}
	if (n == 0)
		return ESP_ERR_LENGTH;
	if (payload_off < n)
		return ESP_ERR_LENGTH;
	plen = headroom + len - payload_off;
	memcpy(zeroed, hdr, n);
	st = esp_ip_zero_mutable(zeroed, &hip);
	if (st != ESP_OK)
		return st;
	/* RFC 4302 §3.3.2: consumed from here on, even if the MAC below fails. */
	sa->seq_out = seq;
	ah_off = hip.hdr_len;
	tail_len = esn_tail(sa, seq, tail);
	if (crypto_xform_seal(sa->xform, zeroed, n, NULL, buf + payload_off, plen,
	                      tail_len ? tail : NULL, tail_len,
	                      hdr + ah_off + ESP_AH_HEADER_LEN) != CRYPTO_OK)
		return ESP_ERR_CRYPTO;
	if (tunnel && sa->src.family == 4)
		sa->ip_id++;
	memcpy(buf + payload_off - n, hdr, n);
	esp_sa_account(sa, len);
	*out_off = payload_off - n;
	*out_len = n + plen;
	return ESP_OK;
}

/* Tunnel mode: the next header names the inner IP version, and the packet must agree. */
static bool
check_inner(uint8_t nh, const uint8_t *inner, size_t len)
{
	if (len == 0)
		return false;
	return (nh == ESP_IPPROTO_IPIP && inner[0] >> 4 == 4) ||
	       (nh == ESP_IPPROTO_IPV6 && inner[0] >> 4 == 6);
}

/* RFC 4301 §4.4.2.1, §5.2: the SA is bound to its endpoints; a packet between other
 * addresses (or of the other family) is not for it. */
static bool
check_addresses(const EspSa *sa, const uint8_t *pkt, uint8_t version)
{
	size_t alen = version == 4 ? 4 : 16, off = version == 4 ? 12 : 8;

	return sa->src.family == version && memcmp(pkt + off, sa->src.addr, alen) == 0 &&
	       memcmp(pkt + off + alen, sa->dst.addr, alen) == 0;
}

/* Locate AH and check its length against the SA's ICV. */
static EspStatus
find_ah(const EspSa *sa, const uint8_t *pkt, size_t len, EspIpInfo *ip, size_t *ah_len)
{
	EspStatus st = esp_ip_parse(pkt, len, ESP_IPPROTO_AH, ip);

	if (st != ESP_OK)
		return st;
	if (ip->hdr_len + ESP_AH_HEADER_LEN > ip->total)
		return ESP_ERR_TRUNCATED;
	*ah_len = ((size_t)pkt[ip->hdr_len + 1] + 2) * 4;
	if (ip->hdr_len + *ah_len > ip->total)
		return ESP_ERR_TRUNCATED;
	/* RFC 4302 §2.6: only the padding the IP version requires. */
	if (*ah_len != esp_ah_header_len(sa, ip->version))
		return ESP_ERR_LENGTH;
	if (ip->hdr_len + *ah_len > SCRATCH_MAX)
		return ESP_ERR_IP_HEADER;
	return ESP_OK;
}

static EspStatus
verify_icv(EspSa *sa, uint8_t *pkt, const EspIpInfo *ip, size_t ah_len, uint64_t seq)
{
	uint8_t zeroed[SCRATCH_MAX], tail[4];
	size_t n = ip->hdr_len + ah_len, tail_len = esn_tail(sa, seq, tail);
	CryptoStatus cst;
	EspStatus st;

	memcpy(zeroed, pkt, n);
	memset(zeroed + ip->hdr_len + ESP_AH_HEADER_LEN, 0, sa->sizes.icv_len);
	st = esp_ip_zero_mutable(zeroed, ip);
	if (st != ESP_OK)
		return st;
	cst = crypto_xform_open(sa->xform, zeroed, n, NULL, pkt + n, ip->total - n,
	                        tail_len ? tail : NULL, tail_len,
	                        pkt + ip->hdr_len + ESP_AH_HEADER_LEN);
	if (cst == CRYPTO_ERR_AUTH)
		return ESP_ERR_INTEGRITY;
	return cst == CRYPTO_OK ? ESP_OK : ESP_ERR_CRYPTO;
}

EspStatus
esp_ah_open(EspSa *sa,
            uint8_t *pkt,
            size_t len,
            size_t *inner_off,
            size_t *inner_len,
            uint8_t *next_header)
{
	EspIpInfo ip;
	size_t ah_len = 0, n;
	uint64_t seq;
	uint8_t nh;
	EspStatus st;

	if (sa->dir != ESP_DIR_IN || sa->proto != ESP_PROTO_AH)
		return esp_sa_drop(sa, ESP_ERR_UNSUPPORTED);
	st = find_ah(sa, pkt, len, &ip, &ah_len);
	if (st != ESP_OK)
		return esp_sa_drop(sa, st);
	n = ip.hdr_len + ah_len;
	if (ferry_get_be32(pkt + ip.hdr_len + 4) != sa->spi ||
	    !check_addresses(sa, pkt, ip.version))
		return esp_sa_drop(sa, ESP_ERR_SPI);
	/* RFC 4302 §3.4.3: the replay check comes before the ICV. */
	if (!esp_replay_check(&sa->replay, ferry_get_be32(pkt + ip.hdr_len + 8), &seq))
		return esp_sa_drop(sa, ESP_ERR_REPLAY);
	if (esp_sa_hard_reached(sa, 0))
		return esp_sa_drop(sa, ESP_ERR_LIFETIME);
	st = verify_icv(sa, pkt, &ip, ah_len, seq);
	if (st != ESP_OK)
		return esp_sa_drop(sa, st);
	nh = pkt[ip.hdr_len];
	if (sa->mode == ESP_MODE_TUNNEL) {
		if (!check_inner(nh, pkt + n, ip.total - n))
			return esp_sa_drop(sa, ESP_ERR_NEXT_HEADER);
		*inner_off = n;
		*inner_len = ip.total - n;
	} else {
		/* RFC 4302 §3.4.4: after verification AH is removed; the header closes up. */
		memmove(pkt + ah_len, pkt, ip.hdr_len);
		pkt[ah_len + ip.nh_off] = nh;
		(void)esp_ip_set_total(pkt + ah_len, ip.version, ip.total - ah_len);
		*inner_off = ah_len;
		*inner_len = ip.total - ah_len;
	}
	/* RFC 4302 §3.4.3: only an authenticated packet moves the window. */
	esp_replay_commit(&sa->replay, seq);
	esp_sa_account(sa, *inner_len);
	*next_header = nh;
	return ESP_OK;
}
