/* test-esp-transport.c - ESP transport mode on whole IP packets (RFC 4303 §3.1.1): framing for
 * IPv4 and IPv6 (with extension headers), tampering, truncation, and the UDP-encapsulated
 * receive path with its TCP/UDP checksum rule (RFC 3948 §3.1.2) */
#include <string.h>

#include <glib.h>

#include "esp-sa-private.h"
#include "esp-transport.h"
#include "ferry-span.h"
#include "ferry-test.h"
#include "ike-registry.h"

#define SPI      0x51a2b3c4u
#define BUF_CAP  2048
#define HEADROOM 128
#define NH_TCP   6
#define NH_UDP   17

typedef struct {
	const char *name;
	CryptoXformAlg alg;
	unsigned version;
} Case;

static const Case cases[] = {
	{"aes-gcm-16-256/ipv4",     {IKE_ENCR_AES_GCM_16, 256, IKE_INTEG_NONE},           4},
	{"aes-gcm-16-256/ipv6",     {IKE_ENCR_AES_GCM_16, 256, IKE_INTEG_NONE},           6},
	{"aes-cbc-128-sha256/ipv4", {IKE_ENCR_AES_CBC, 128, IKE_INTEG_HMAC_SHA2_256_128}, 4},
	{"aes-cbc-128-sha256/ipv6", {IKE_ENCR_AES_CBC, 128, IKE_INTEG_HMAC_SHA2_256_128}, 6},
};

static const uint8_t a4[4] = {198, 51, 100, 7}, b4[4] = {203, 0, 113, 8},
		     nat4[4] = {203, 0, 113, 99};
static const uint8_t a6[16] = {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 7};
static const uint8_t b6[16] = {0x20, 0x01, 0x0d, 0xb8, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 8};
static const uint8_t nat6[16] = {0x20, 0x01, 0x0d, 0xb8, 0, 9, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x99};

typedef struct {
	FerrySecret *enc, *integ;
	EspSa *out, *in;
} Pair;

static void
pair_init(Pair *pr, const Case *c)
{
	CryptoXformSizes sz;
	EspSaParams p = {0};

	g_assert_cmpint(crypto_xform_sizes(&c->alg, &sz), ==, CRYPTO_OK);
	pr->enc = ferry_secret_new(sz.enc_key_len);
	memset(pr->enc->data, 0x3c, pr->enc->len);
	pr->integ = NULL;
	if (sz.integ_key_len) {
		pr->integ = ferry_secret_new(sz.integ_key_len);
		memset(pr->integ->data, 0xc3, pr->integ->len);
	}
	p.proto = ESP_PROTO_ESP;
	p.mode = ESP_MODE_TRANSPORT;
	p.spi = SPI;
	p.alg = c->alg;
	p.replay_window = 64;
	p.enc_key = pr->enc;
	p.integ_key = pr->integ;
	p.dir = ESP_DIR_OUT;
	g_assert_cmpint(esp_sa_new(&p, &pr->out), ==, ESP_OK);
	p.dir = ESP_DIR_IN;
	g_assert_cmpint(esp_sa_new(&p, &pr->in), ==, ESP_OK);
}

static void
pair_clear(Pair *pr)
{
	esp_sa_free(pr->out);
	esp_sa_free(pr->in);
	ferry_secret_free(pr->enc);
	ferry_secret_free(pr->integ);
}

static uint32_t
sum16(const uint8_t *p, size_t len, uint32_t sum)
{
	for (size_t i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)p[i] << 8 | p[i + 1];
	if (len & 1)
		sum += (uint32_t)p[len - 1] << 8;
	return sum;
}

static uint16_t
fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)sum;
}

/* The TCP/UDP checksum of `l4` verifies for this pseudo-header (sum is all ones). */
static bool
l4_checksum_ok(const uint8_t *l4,
               size_t len,
               uint8_t proto,
               const uint8_t *src,
               const uint8_t *dst,
               size_t alen)
{
	uint32_t sum = sum16(src, alen, 0);

	sum = sum16(dst, alen, sum);
	sum += proto + (uint32_t)len;
	return fold(sum16(l4, len, sum)) == 0xffff;
}

/* An IP packet from a to b with a TCP or UDP segment of `len` bytes and a valid checksum.
 * `hbh`: put an 8-byte IPv6 hop-by-hop header in front. */
static size_t
put_packet(uint8_t *p, unsigned version, uint8_t proto, size_t len, bool hbh)
{
	size_t h = version == 4 ? 20 : 40 + (hbh ? 8 : 0);
	size_t csum_off = proto == NH_TCP ? 16 : 6;
	uint8_t *l4 = p + h;
	uint32_t sum;

	memset(p, 0, h);
	if (version == 4) {
		p[0] = 0x45;
		ferry_put_be16(p + 2, (uint16_t)(20 + len));
		p[8] = 64;
		p[9] = proto;
		memcpy(p + 12, a4, 4);
		memcpy(p + 16, b4, 4);
		ferry_put_be16(p + 10, (uint16_t)~fold(sum16(p, 20, 0)));
	} else {
		p[0] = 0x60;
		ferry_put_be16(p + 4, (uint16_t)(h - 40 + len));
		p[6] = hbh ? 0 : proto;
		p[7] = 64;
		memcpy(p + 8, a6, 16);
		memcpy(p + 24, b6, 16);
		if (hbh) {
			p[40] = proto;
			p[42] = 1; /* PadN, 4 bytes of padding */
			p[43] = 4;
		}
	}
	for (size_t i = 0; i < len; i++)
		l4[i] = (uint8_t)(i * 11 + 1);
	ferry_put_be16(l4, 40000);
	ferry_put_be16(l4 + 2, 443);
	if (proto == NH_UDP)
		ferry_put_be16(l4 + 4, (uint16_t)len);
	ferry_put_be16(l4 + csum_off, 0);
	sum = version == 4 ? sum16(b4, 4, sum16(a4, 4, 0)) : sum16(b6, 16, sum16(a6, 16, 0));
	sum += proto + (uint32_t)len;
	ferry_put_be16(l4 + csum_off, (uint16_t)~fold(sum16(l4, len, sum)));
	g_assert_true(l4_checksum_ok(l4, len, proto, version == 4 ? a4 : a6, version == 4 ? b4 : b6,
	                             version == 4 ? 4 : 16));
	return h + len;
}

static uint64_t
dropped_total(const EspSa *sa)
{
	uint64_t n = 0;

	for (int i = 0; i < ESP_STATUS_COUNT; i++)
		n += esp_sa_get_stats(sa)->dropped[i];
	return n;
}

/* Seal, check the framing, open, and get the very same packet back. */
static void
test_roundtrip(gconstpointer data)
{
	static const size_t lengths[] = {20, 21, 33, 100, 1000};
	const Case *c = data;
	Pair pr;

	pair_init(&pr, c);
	for (size_t i = 0; i < G_N_ELEMENTS(lengths); i++) {
		for (int hbh = 0; hbh <= (c->version == 6); hbh++) {
			uint8_t buf[BUF_CAP], plain[BUF_CAP];
			size_t n, off, len, esp_off, ioff, ilen, h;

			n = put_packet(buf + HEADROOM, c->version, NH_TCP, lengths[i], hbh);
			h = n - lengths[i];
			memcpy(plain, buf + HEADROOM, n);
			g_assert_cmpint(esp_transport_seal(pr.out, buf, sizeof(buf), HEADROOM, n,
			                                   &off, &len, &esp_off),
			                ==, ESP_OK);
			/* RFC 4303 §3.1.1: ESP right behind the header (and hop-by-hop). */
			g_assert_cmpuint(esp_off, ==, h);
			g_assert_cmpuint(ferry_get_be32(buf + off + h), ==, SPI);
			if (c->version == 4) {
				g_assert_cmpuint(buf[off + 9], ==, 50);
				g_assert_cmpuint(ferry_get_be16(buf + off + 2), ==, len);
				g_assert_cmpuint(fold(sum16(buf + off, 20, 0)), ==, 0xffff);
			} else {
				g_assert_cmpuint(buf[off + (hbh ? 40 : 6)], ==, 50);
				g_assert_cmpuint(ferry_get_be16(buf + off + 4), ==, len - 40);
			}
			g_assert_cmpint(esp_transport_open(pr.in, buf + off, len, &ioff, &ilen), ==,
			                ESP_OK);
			g_assert_cmpmem(buf + off + ioff, ilen, plain, n);
		}
	}
	g_assert_cmpuint(dropped_total(pr.in), ==, 0);
	pair_clear(&pr);
}

/* Every byte of ESP flipped, and every truncation, fails, is counted, changes nothing. */
static void
test_tamper(gconstpointer data)
{
	const Case *c = data;
	uint8_t buf[BUF_CAP], pkt[BUF_CAP], copy[BUF_CAP];
	size_t n, off, len, esp_off, ioff, ilen;
	Pair pr;

	pair_init(&pr, c);
	n = put_packet(buf + HEADROOM, c->version, NH_UDP, 77, false);
	g_assert_cmpint(
		esp_transport_seal(pr.out, buf, sizeof(buf), HEADROOM, n, &off, &len, &esp_off), ==,
		ESP_OK);
	memcpy(pkt, buf + off, len);
	for (size_t i = esp_off; i < len; i++) {
		uint64_t before = dropped_total(pr.in);

		pkt[i] ^= 0x20;
		memcpy(copy, pkt, len);
		g_assert_cmpint(esp_transport_open(pr.in, pkt, len, &ioff, &ilen), !=, ESP_OK);
		g_assert_cmpuint(dropped_total(pr.in), ==, before + 1);
		g_assert_cmpmem(pkt, len, copy, len);
		pkt[i] ^= 0x20;
	}
	/* A length field cut short: the header claims fewer bytes than ESP needs. */
	for (size_t l = 0; l < len; l++) {
		uint64_t before = dropped_total(pr.in);

		g_assert_cmpint(esp_transport_open(pr.in, pkt, l, &ioff, &ilen), !=, ESP_OK);
		g_assert_cmpuint(dropped_total(pr.in), ==, before + 1);
	}
	g_assert_cmpint(esp_transport_open(pr.in, pkt, len, &ioff, &ilen), ==, ESP_OK);
	pair_clear(&pr);
}

/* RFC 3948 §3.1.2: ESP from a UDP datagram whose source a NAT rewrote; the decapsulated
 * packet has an IP header for the addresses seen and a TCP/UDP checksum valid for them. */
static void
test_udp_encap(gconstpointer data)
{
	const Case *c = data;
	size_t alen = c->version == 4 ? 4 : 16;
	EspAddr src = {.family = (uint8_t)c->version}, dst = src;
	Pair pr;

	memcpy(src.addr, c->version == 4 ? nat4 : nat6, alen);
	memcpy(dst.addr, c->version == 4 ? b4 : b6, alen);
	pair_init(&pr, c);
	for (uint8_t proto = NH_TCP; proto <= NH_UDP; proto += NH_UDP - NH_TCP) {
		uint8_t buf[BUF_CAP], plain[BUF_CAP], rx[BUF_CAP];
		size_t n, off, len, esp_off, ioff, ilen, h = c->version == 4 ? 20 : 40;

		n = put_packet(buf + HEADROOM, c->version, proto, 64, false);
		memcpy(plain, buf + HEADROOM, n);
		g_assert_cmpint(esp_transport_seal(pr.out, buf, sizeof(buf), HEADROOM, n, &off,
		                                   &len, &esp_off),
		                ==, ESP_OK);
		/* What a port-4500 socket hands over: ESP alone. */
		memcpy(rx + HEADROOM, buf + off + esp_off, len - esp_off);
		g_assert_cmpint(esp_transport_open_udp(pr.in, rx, HEADROOM, len - esp_off, &src,
		                                       &dst, &ioff, &ilen),
		                ==, ESP_OK);
		g_assert_cmpuint(ilen, ==, n);
		g_assert_cmpuint(rx[ioff] >> 4, ==, c->version);
		g_assert_cmpuint(rx[ioff + (c->version == 4 ? 9 : 6)], ==, proto);
		g_assert_cmpmem(rx + ioff + (c->version == 4 ? 12 : 8), alen, src.addr, alen);
		g_assert_true(
			l4_checksum_ok(rx + ioff + h, n - h, proto, src.addr, dst.addr, alen));
		g_assert_false(l4_checksum_ok(plain + h, n - h, proto, src.addr, dst.addr, alen));
		/* Everything but the checksum is what was sent. */
		rx[ioff + h + (proto == NH_TCP ? 16 : 6)] = plain[h + (proto == NH_TCP ? 16 : 6)];
		rx[ioff + h + (proto == NH_TCP ? 17 : 7)] = plain[h + (proto == NH_TCP ? 17 : 7)];
		g_assert_cmpmem(rx + ioff + h, n - h, plain + h, n - h);
	}
	pair_clear(&pr);
}

static void
test_refusals(void)
{
	const Case *c = &cases[0];
	uint8_t buf[BUF_CAP];
	size_t n, off, len, esp_off;
	EspAddr src = {.family = 4}, dst = {.family = 6};
	Pair pr;

	pair_init(&pr, c);
	/* A fragment (RFC 4303 §3.3.1: transport mode takes whole packets). */
	n = put_packet(buf + HEADROOM, 4, NH_UDP, 50, false);
	buf[HEADROOM + 6] = 0x20;
	g_assert_cmpint(
		esp_transport_seal(pr.out, buf, sizeof(buf), HEADROOM, n, &off, &len, &esp_off), ==,
		ESP_ERR_IP_HEADER);
	/* A length field that does not match the buffer. */
	n = put_packet(buf + HEADROOM, 4, NH_UDP, 50, false);
	g_assert_cmpint(
		esp_transport_seal(pr.out, buf, sizeof(buf), HEADROOM, n - 1, &off, &len, &esp_off),
		==, ESP_ERR_LENGTH);
	/* No room in front. */
	g_assert_cmpint(esp_transport_seal(pr.out, buf, sizeof(buf), 4, n, &off, &len, &esp_off),
	                ==, ESP_ERR_LENGTH);
	/* Addresses of two families. */
	g_assert_cmpint(esp_transport_open_udp(pr.in, buf, HEADROOM, 100, &src, &dst, &off, &len),
	                ==, ESP_ERR_UNSUPPORTED);
	g_assert_cmpuint(esp_sa_get_seq_out(pr.out), ==, 0);
	pair_clear(&pr);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autofree char *rt =
			g_strdup_printf("/ferry/esp/transport/roundtrip/%s", cases[i].name);
		g_autofree char *tp =
			g_strdup_printf("/ferry/esp/transport/tamper/%s", cases[i].name);
		g_autofree char *ue =
			g_strdup_printf("/ferry/esp/transport/udp-encap/%s", cases[i].name);

		g_test_add_data_func(rt, &cases[i], test_roundtrip);
		g_test_add_data_func(tp, &cases[i], test_tamper);
		g_test_add_data_func(ue, &cases[i], test_udp_encap);
	}
	g_test_add_func("/ferry/esp/transport/refusals", test_refusals);
	return g_test_run();
}
