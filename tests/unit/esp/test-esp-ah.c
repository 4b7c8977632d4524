/* test-esp-ah.c - AH seal/open (RFC 4302): known answers computed with GnuTLS over packets
 * built here by hand, round trips for IPv4/IPv6 in tunnel and transport mode, mutable fields
 * changed in flight, every immutable byte flipped, replay, ESN, truncation, lifetimes, and the
 * IP headers AH refuses */
#include <string.h>

#include <glib.h>
#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>

#include "esp-ah.h"
#include "esp-sa-private.h"
#include "esp-seal.h"
#include "ferry-span.h"
#include "ferry-test.h"
#include "ike-registry.h"

#define SPI      0x0a0b0c0du
#define BUF_CAP  2048
#define HEADROOM 128
#define NH_UDP   17
#define SUBSPACE (G_GUINT64_CONSTANT(1) << 32)

typedef struct {
	const char *name;
	uint16_t integ;
	gnutls_mac_algorithm_t mac;
	size_t key_len, icv_len;
} IntegCase;

/* RFC 2404 (HMAC-SHA1-96), RFC 4868 §2.3 (HMAC-SHA2 truncated to half). */
static const IntegCase integs[] = {
	{"hmac-sha1-96",      IKE_INTEG_HMAC_SHA1_96,      GNUTLS_MAC_SHA1,   20, 12},
	{"hmac-sha2-256-128", IKE_INTEG_HMAC_SHA2_256_128, GNUTLS_MAC_SHA256, 32, 16},
	{"hmac-sha2-384-192", IKE_INTEG_HMAC_SHA2_384_192, GNUTLS_MAC_SHA384, 48, 24},
	{"hmac-sha2-512-256", IKE_INTEG_HMAC_SHA2_512_256, GNUTLS_MAC_SHA512, 64, 32},
};

typedef struct {
	const IntegCase *integ;
	unsigned version; /* 4 or 6: the carrier (outer header in tunnel mode) */
	EspMode mode;
	char *path;
} Case;

static Case cases[G_N_ELEMENTS(integs) * 4];

static const uint8_t addr4_a[4] = {198, 51, 100, 1}, addr4_b[4] = {203, 0, 113, 9};
static const uint8_t addr6_a[16] = {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
static const uint8_t addr6_b[16] = {0x20, 0x01, 0x0d, 0xb8, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 9};

/* ---- packets built by hand ------------------------------------------------------------ */

static uint16_t
checksum(const uint8_t *p, size_t len)
{
	uint32_t sum = 0;

	for (size_t i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)p[i] << 8 | p[i + 1];
	if (len & 1)
		sum += (uint32_t)p[len - 1] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

/* An IPv4 header with TOS 0xb8, DF, TTL 61 and a valid checksum; returns 20. */
static size_t
put_v4(uint8_t *p, uint8_t proto, size_t payload, const uint8_t *src, const uint8_t *dst)
{
	memset(p, 0, 20);
	p[0] = 0x45;
	p[1] = 0xb8;
	ferry_put_be16(p + 2, (uint16_t)(20 + payload));
	ferry_put_be16(p + 4, 0x1234);
	p[6] = 0x40;
	p[8] = 61;
	p[9] = proto;
	memcpy(p + 12, src, 4);
	memcpy(p + 16, dst, 4);
	ferry_put_be16(p + 10, checksum(p, 20));
	return 20;
}

/* An IPv6 header with traffic class 0xb8, flow label 0x12345, hop limit 61; returns 40. */
static size_t
put_v6(uint8_t *p, uint8_t nh, size_t payload, const uint8_t *src, const uint8_t *dst)
{
	p[0] = 0x6b;
	p[1] = 0x81;
	p[2] = 0x23;
	p[3] = 0x45;
	ferry_put_be16(p + 4, (uint16_t)payload);
	p[6] = nh;
	p[7] = 61;
	memcpy(p + 8, src, 16);
	memcpy(p + 24, dst, 16);
	return 40;
}

/* A UDP datagram of `len` bytes (header + pattern) inside an IP packet of `version`. */
static size_t
put_udp_packet(uint8_t *p, unsigned version, size_t len, uint8_t salt)
{
	size_t h = version == 4 ? put_v4(p, NH_UDP, len, addr4_a, addr4_b)
	                        : put_v6(p, NH_UDP, len, addr6_a, addr6_b);

	ferry_put_be16(p + h, 5000);
	ferry_put_be16(p + h + 2, 5001);
	ferry_put_be16(p + h + 4, (uint16_t)len);
	ferry_put_be16(p + h + 6, 0);
	for (size_t i = 8; i < len; i++)
		p[h + i] = (uint8_t)(salt + 7 * i);
	return h + len;
}

/* ---- SAs -------------------------------------------------------------------------------- */

static FerrySecret *
make_key(const IntegCase *ic, uint8_t seed)
{
	FerrySecret *k = ferry_secret_new(ic->key_len);

	for (size_t i = 0; i < k->len; i++)
		k->data[i] = (uint8_t)(seed + 5 * i);
	return k;
}

static EspSaParams
params_for(const Case *c, const FerrySecret *key, EspDir dir, bool esn)
{
	EspSaParams p = {
		.proto = ESP_PROTO_AH,
		.mode = c->mode,
		.dir = dir,
		.spi = SPI,
		.alg = {CRYPTO_XFORM_ENCR_NONE, 0, c->integ->integ},
		.esn = esn,
		.replay_window = 64,
		.integ_key = key,
	};

	p.src.family = p.dst.family = (uint8_t)c->version;
	memcpy(p.src.addr, c->version == 4 ? addr4_a : addr6_a, c->version == 4 ? 4 : 16);
	memcpy(p.dst.addr, c->version == 4 ? addr4_b : addr6_b, c->version == 4 ? 4 : 16);
	return p;
}

typedef struct {
	FerrySecret *key;
	EspSa *out, *in;
} Pair;

static void
pair_init(Pair *pr, const Case *c, bool esn)
{
	EspSaParams p;

	pr->key = make_key(c->integ, 0x41);
	p = params_for(c, pr->key, ESP_DIR_OUT, esn);
	g_assert_cmpint(esp_sa_new(&p, &pr->out), ==, ESP_OK);
	p.dir = ESP_DIR_IN;
	g_assert_cmpint(esp_sa_new(&p, &pr->in), ==, ESP_OK);
}

static void
pair_clear(Pair *pr)
{
	esp_sa_free(pr->out);
	esp_sa_free(pr->in);
	ferry_secret_free(pr->key);
}

/* The packet given to seal: tunnel mode carries an IPv4 packet in IPv6 and vice versa, to
 * show the inner version is independent of the carrier. */
static size_t
plain_packet(const Case *c, uint8_t *p, size_t len, uint8_t salt)
{
	unsigned v = c->mode == ESP_MODE_TUNNEL ? (c->version == 4 ? 6 : 4) : c->version;

	return put_udp_packet(p, v, len, salt);
}

static size_t
seal_one(const Case *c, EspSa *out, size_t len, uint8_t *pkt, uint8_t *plain, size_t *plain_len)
{
	uint8_t buf[BUF_CAP];
	size_t n, off = 0, plen = 0;

	n = plain_packet(c, buf + HEADROOM, len, (uint8_t)len);
	if (plain) {
		memcpy(plain, buf + HEADROOM, n);
		*plain_len = n;
	}
	g_assert_cmpint(esp_ah_seal(out, buf, sizeof(buf), HEADROOM, n, &off, &plen), ==, ESP_OK);
	g_assert_cmpuint(plen, ==,
	                 n + esp_ah_header_len(out, (uint8_t)c->version) +
	                         (c->mode == ESP_MODE_TUNNEL ? (c->version == 4 ? 20 : 40) : 0));
	memcpy(pkt, buf + off, plen);
	return plen;
}

static uint64_t
dropped_total(const EspSa *sa)
{
	uint64_t n = 0;

	for (int i = 0; i < ESP_STATUS_COUNT; i++)
		n += esp_sa_get_stats(sa)->dropped[i];
	return n;
}

/* Open must fail with a counted drop and leave the packet as it was. */
static EspStatus
open_fails(EspSa *in, uint8_t *pkt, size_t len)
{
	g_autofree uint8_t *copy = g_memdup2(pkt, len ? len : 1);
	uint64_t before = dropped_total(in);
	size_t off = 0, ilen = 0;
	uint8_t nh = 0;
	EspStatus st = esp_ah_open(in, pkt, len, &off, &ilen, &nh);

	g_assert_cmpint(st, !=, ESP_OK);
	g_assert_cmpint(st, <, ESP_STATUS_COUNT);
	g_assert_cmpuint(dropped_total(in), ==, before + 1);
	g_assert_cmpmem(copy, len, pkt, len);
	return st;
}

/* Open must succeed and give back `plain` from byte `skip` on (a transport-mode header
 * changed in flight comes back changed). */
static void
open_ok_from(const Case *c,
             EspSa *in,
             uint8_t *pkt,
             size_t len,
             const uint8_t *plain,
             size_t plen,
             size_t skip)
{
	size_t off = 0, ilen = 0;
	uint8_t nh = 0;

	g_assert_cmpint(esp_ah_open(in, pkt, len, &off, &ilen, &nh), ==, ESP_OK);
	g_assert_cmpuint(ilen, ==, plen);
	g_assert_cmpmem(pkt + off + skip, ilen - skip, plain + skip, plen - skip);
	if (c->mode == ESP_MODE_TUNNEL)
		g_assert_cmpuint(nh, ==, plain[0] >> 4 == 4 ? 4 : 41);
	else /* the IPv6 extension-header test has destination options behind AH */
		g_assert_cmpuint(nh, ==, skip == 48 ? 60 : NH_UDP);
}

static void
open_ok(const Case *c, EspSa *in, uint8_t *pkt, size_t len, const uint8_t *plain, size_t plen)
{
	open_ok_from(c, in, pkt, len, plain, plen, 0);
}

/* The part of the decapsulated packet no router touches. */
static size_t
fixed_part(const Case *c)
{
	return c->mode == ESP_MODE_TUNNEL ? 0 : c->version == 4 ? 20 : 40;
}

/* ---- known answers ---------------------------------------------------------------------- */

/* The sealed packet must equal one assembled here: header (tunnel: outer header with the
 * inner TOS; transport: the packet's own with next header 51 and the length grown), AH, ICV =
 * HMAC over that packet with TOS/flags/TTL/checksum (v4) or class/flow/hop limit (v6) and
 * the ICV zeroed, truncated. */
static void
test_known_answer(gconstpointer data)
{
	const Case *c = data;
	const IntegCase *ic = c->integ;
	Pair pr;
	uint8_t plain[BUF_CAP], got[BUF_CAP], want[BUF_CAP], zero[BUF_CAP], mac[64];
	size_t plain_len = 0, got_len, ah_len, h, n;
	bool v4 = c->version == 4;

	pair_init(&pr, c, false);
	got_len = seal_one(c, pr.out, 300, got, plain, &plain_len);
	ah_len = 12 + ic->icv_len;
	if (!v4)
		ah_len = (ah_len + 7) / 8 * 8;
	if (c->mode == ESP_MODE_TUNNEL) {
		size_t payload = ah_len + plain_len;

		h = v4 ? put_v4(want, 51, payload, addr4_a, addr4_b)
		       : put_v6(want, 51, payload, addr6_a, addr6_b);
		/* Outer: TOS copied from the inner header, no DF, TTL 64, ID 0, flow label 0. */
		if (v4) {
			want[1] = plain[0] >> 4 == 4 ? plain[1]
			                             : (uint8_t)(plain[0] << 4 | plain[1] >> 4);
			ferry_put_be16(want + 4, 0);
			want[6] = 0;
			want[8] = 64;
			ferry_put_be16(want + 10, 0);
			ferry_put_be16(want + 10, checksum(want, 20));
		} else {
			uint8_t tos = plain[0] >> 4 == 4 ? plain[1]
			                                 : (uint8_t)(plain[0] << 4 | plain[1] >> 4);

			want[0] = (uint8_t)(0x60 | tos >> 4);
			want[1] = (uint8_t)(tos << 4);
			want[2] = want[3] = 0;
			want[7] = 64;
		}
		want[h] = plain[0] >> 4 == 4 ? 4 : 41;
		memcpy(want + h + ah_len, plain, plain_len);
		n = h + ah_len + plain_len;
	} else {
		h = v4 ? 20 : 40;
		memcpy(want, plain, h);
		if (v4) {
			want[9] = 51;
			ferry_put_be16(want + 2, (uint16_t)(plain_len + ah_len));
			ferry_put_be16(want + 10, 0);
			ferry_put_be16(want + 10, checksum(want, 20));
		} else {
			want[6] = 51;
			ferry_put_be16(want + 4, (uint16_t)(plain_len + ah_len - 40));
		}
		want[h] = NH_UDP;
		memcpy(want + h + ah_len, plain + h, plain_len - h);
		n = plain_len + ah_len;
	}
	want[h + 1] = (uint8_t)(ah_len / 4 - 2);
	want[h + 2] = want[h + 3] = 0;
	ferry_put_be32(want + h + 4, SPI);
	ferry_put_be32(want + h + 8, 1);
	memset(want + h + 12, 0, ah_len - 12);
	memcpy(zero, want, n);
	if (v4) {
		zero[1] = zero[6] = zero[7] = zero[8] = zero[10] = zero[11] = 0;
	} else {
		zero[0] &= 0xf0;
		zero[1] = zero[2] = zero[3] = zero[7] = 0;
	}
	g_assert_cmpint(gnutls_hmac_fast(ic->mac, pr.key->data, pr.key->len, zero, n, mac), ==, 0);
	memcpy(want + h + 12, mac, ic->icv_len);
	g_assert_cmpmem(got, got_len, want, n);
	pair_clear(&pr);
}

/* ---- round trips, mutable and immutable fields --------------------------------------- */

static void
test_roundtrip(gconstpointer data)
{
	static const size_t lengths[] = {8, 9, 20, 63, 64, 65, 200, 1400};
	const Case *c = data;

	for (int esn = 0; esn <= 1; esn++) {
		Pair pr;

		pair_init(&pr, c, esn);
		for (size_t i = 0; i < G_N_ELEMENTS(lengths); i++) {
			uint8_t pkt[BUF_CAP], plain[BUF_CAP];
			size_t plain_len = 0, len;

			len = seal_one(c, pr.out, lengths[i], pkt, plain, &plain_len);
			open_ok(c, pr.in, pkt, len, plain, plain_len);
		}
		g_assert_cmpuint(esp_sa_get_stats(pr.in)->packets, ==, G_N_ELEMENTS(lengths));
		g_assert_cmpuint(dropped_total(pr.in), ==, 0);
		pair_clear(&pr);
	}
}

/* RFC 4302 §3.3.3.1: is byte `i` (flipping its lowest bit) of the carrier header mutable? */
static bool
is_mutable(unsigned version, size_t i)
{
	if (version == 4)
		return i == 1 || i == 8 || i == 10 || i == 11; /* TOS, TTL, checksum */
	return i <= 3 || i == 7; /* version|class, class|flow label, flow label, hop limit */
}

/* Routers rewrite DSCP/ECN, DF, TTL, the checksum, traffic class, flow label and hop limit:
 * the packet still verifies.  Any other bit flipped fails and is counted. */
static void
test_mutable_immutable(gconstpointer data)
{
	const Case *c = data;
	Pair pr;
	uint8_t pkt[BUF_CAP], plain[BUF_CAP];
	size_t len, plain_len = 0;

	pair_init(&pr, c, false);
	len = seal_one(c, pr.out, 100, pkt, plain, &plain_len);
	for (size_t i = 0; i < len; i++) {
		uint8_t saved = pkt[i];

		pkt[i] ^= 0x01;
		if (i < (c->version == 4 ? 20u : 40u) && is_mutable(c->version, i)) {
			uint8_t copy[BUF_CAP];

			memcpy(copy, pkt, len);
			/* Another packet each time: the window would refuse the same number. */
			len = seal_one(c, pr.out, 100, pkt, NULL, NULL);
			pkt[i] ^= 0x01;
			open_ok_from(c, pr.in, pkt, len, plain, plain_len, fixed_part(c));
			memcpy(pkt, copy, len);
			pkt[i] = saved;
			continue;
		}
		open_fails(pr.in, pkt, len);
		pkt[i] = saved;
	}
	/* The DF bit, and the reserved flag bit, are excluded too (§3.3.3.1.1.1). */
	if (c->version == 4) {
		len = seal_one(c, pr.out, 100, pkt, NULL, NULL);
		pkt[6] ^= 0xc0;
		open_ok_from(c, pr.in, pkt, len, plain, plain_len, fixed_part(c));
	}
	g_assert_cmpuint(esp_sa_get_stats(pr.in)->dropped[ESP_ERR_INTEGRITY], >, 0);
	pair_clear(&pr);
}

static void
test_replay_truncation(gconstpointer data)
{
	const Case *c = data;
	Pair pr;
	uint8_t pkt[BUF_CAP], plain[BUF_CAP], copy[BUF_CAP];
	size_t len, plain_len = 0;

	pair_init(&pr, c, false);
	len = seal_one(c, pr.out, 120, pkt, plain, &plain_len);
	memcpy(copy, pkt, len);
	/* Every shorter buffer: the header's length no longer fits, or AH is cut. */
	for (size_t l = 0; l < len; l++)
		open_fails(pr.in, pkt, l);
	/* The same packet for an SA with another peer: not ours (RFC 4301 §5.2). */
	pr.in->src.addr[c->version == 4 ? 3 : 15] ^= 1;
	g_assert_cmpint(open_fails(pr.in, pkt, len), ==, ESP_ERR_SPI);
	pr.in->src.addr[c->version == 4 ? 3 : 15] ^= 1;
	open_ok(c, pr.in, pkt, len, plain, plain_len);
	/* RFC 4302 §3.4.3: the same number again is a replay. */
	g_assert_cmpint(open_fails(pr.in, copy, len), ==, ESP_ERR_REPLAY);
	g_assert_cmpuint(esp_sa_get_stats(pr.in)->dropped[ESP_ERR_REPLAY], ==, 1);
	pair_clear(&pr);
}

/* RFC 4302 §2.5.1, §3.3.3.2: with ESN the high 32 bits are in the ICV but not on the wire. */
static void
test_esn(gconstpointer data)
{
	const Case *c = data;
	Pair pr;
	uint8_t pkt[BUF_CAP], plain[BUF_CAP];
	size_t len, plain_len = 0;

	pair_init(&pr, c, true);
	pr.out->seq_out = SUBSPACE - 2;
	len = seal_one(c, pr.out, 80, pkt, plain, &plain_len); /* 2^32 - 1 */
	pr.in->replay.top = SUBSPACE - 10;
	open_ok(c, pr.in, pkt, len, plain, plain_len);
	len = seal_one(c, pr.out, 80, pkt, plain, &plain_len); /* 2^32: low bits 0 on the wire */
	g_assert_cmpuint(esp_sa_get_seq_out(pr.out), ==, SUBSPACE);
	open_ok(c, pr.in, pkt, len, plain, plain_len);
	g_assert_cmpuint(pr.in->replay.top, ==, SUBSPACE);
	pair_clear(&pr);

	/* A receiver that infers another subspace computes another ICV. */
	pair_init(&pr, c, true);
	pr.out->seq_out = 2 * SUBSPACE + 4;
	len = seal_one(c, pr.out, 80, pkt, NULL, NULL);
	pr.in->replay.top = 5;
	g_assert_cmpint(open_fails(pr.in, pkt, len), ==, ESP_ERR_INTEGRITY);
	pair_clear(&pr);
}

/* RFC 4301 §4.4.2.1: byte and packet lifetimes hold for AH SAs as for ESP. */
static void
test_lifetime(gconstpointer data)
{
	const Case *c = data;
	FerrySecret *key = make_key(c->integ, 9);
	EspSaParams p = params_for(c, key, ESP_DIR_OUT, false);
	uint8_t buf[BUF_CAP], pkts[4][BUF_CAP];
	size_t lens[4], n, off, plen;
	EspSa *out, *in;

	p.soft_packets = 2;
	p.hard_packets = 3;
	g_assert_cmpint(esp_sa_new(&p, &out), ==, ESP_OK);
	p.dir = ESP_DIR_IN;
	g_assert_cmpint(esp_sa_new(&p, &in), ==, ESP_OK);
	for (int i = 0; i < 3; i++) {
		g_assert_cmpint(esp_sa_soft_expired(out), ==, i >= 2);
		lens[i] = seal_one(c, out, 50, pkts[i], NULL, NULL);
	}
	n = plain_packet(c, buf + HEADROOM, 50, 0);
	g_assert_cmpint(esp_ah_seal(out, buf, sizeof(buf), HEADROOM, n, &off, &plen), ==,
	                ESP_ERR_LIFETIME);
	out->stats.packets = 0;
	lens[3] = seal_one(c, out, 50, pkts[3], NULL, NULL);
	for (int i = 0; i < 3; i++) {
		size_t ioff, ilen;
		uint8_t nh;

		g_assert_cmpint(esp_ah_open(in, pkts[i], lens[i], &ioff, &ilen, &nh), ==, ESP_OK);
	}
	g_assert_true(esp_sa_soft_expired(in));
	g_assert_cmpint(open_fails(in, pkts[3], lens[3]), ==, ESP_ERR_LIFETIME);
	esp_sa_free(out);
	esp_sa_free(in);

	/* Bytes: soft at 150, hard at 300, counted over the protected packet. */
	p = params_for(c, key, ESP_DIR_OUT, false);
	p.soft_bytes = 150;
	p.hard_bytes = 300;
	g_assert_cmpint(esp_sa_new(&p, &out), ==, ESP_OK);
	n = plain_packet(c, buf + HEADROOM, 100, 1);
	g_assert_cmpint(esp_ah_seal(out, buf, sizeof(buf), HEADROOM, n, &off, &plen), ==, ESP_OK);
	g_assert_false(esp_sa_soft_expired(out));
	n = plain_packet(c, buf + HEADROOM, 100, 1);
	g_assert_cmpint(esp_ah_seal(out, buf, sizeof(buf), HEADROOM, n, &off, &plen), ==, ESP_OK);
	g_assert_true(esp_sa_soft_expired(out));
	n = plain_packet(c, buf + HEADROOM, 200, 1);
	g_assert_cmpint(esp_ah_seal(out, buf, sizeof(buf), HEADROOM, n, &off, &plen), ==,
	                ESP_ERR_LIFETIME);
	esp_sa_free(out);
	ferry_secret_free(key);
}

/* ---- IP headers: options, extension headers, refusals -------------------------------- */

static const Case *
find_case(unsigned version, EspMode mode)
{
	for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
		if (cases[i].version == version && cases[i].mode == mode &&
		    cases[i].integ->integ == IKE_INTEG_HMAC_SHA2_256_128)
			return &cases[i];
	}
	g_assert_not_reached();
}

/* IPv4 transport with options: record route (7, mutable: zeroed whole) and router alert
 * (0x94, immutable), RFC 4302 Appendix A.1. */
static size_t
put_v4_options(uint8_t *p, size_t payload)
{
	static const uint8_t opts[12] = {0x07, 7, 4, 0, 0, 0, 0, 0x94, 4, 0, 0, 0x00};

	put_v4(p, NH_UDP, payload + sizeof(opts), addr4_a, addr4_b);
	p[0] = 0x48;
	memcpy(p + 20, opts, sizeof(opts));
	ferry_put_be16(p + 10, 0);
	ferry_put_be16(p + 10, checksum(p, 32));
	memset(p + 32, 0x77, payload);
	return 32 + payload;
}

static void
test_v4_options(void)
{
	const Case *c = find_case(4, ESP_MODE_TRANSPORT);
	Pair pr;
	uint8_t buf[BUF_CAP], plain[BUF_CAP], pkt[BUF_CAP];
	size_t n, off, plen;

	pair_init(&pr, c, false);
	for (int round = 0; round < 3; round++) {
		n = put_v4_options(buf + HEADROOM, 40);
		memcpy(plain, buf + HEADROOM, n);
		g_assert_cmpint(esp_ah_seal(pr.out, buf, sizeof(buf), HEADROOM, n, &off, &plen), ==,
		                ESP_OK);
		g_assert_cmpuint(buf[off + 9], ==, 51);
		g_assert_cmpuint(buf[off + 32], ==, NH_UDP); /* AH behind the options */
		memcpy(pkt, buf + off, plen);
		if (round == 0) {
			/* A router records its address: mutable, still verifies. */
			memset(pkt + 23, 0xc6, 4);
			pkt[22] = 8;
			open_ok_from(c, pr.in, pkt, plen, plain, n, 32);
		} else if (round == 1) {
			pkt[29] ^= 1; /* router alert value: immutable */
			g_assert_cmpint(open_fails(pr.in, pkt, plen), ==, ESP_ERR_INTEGRITY);
		} else {
			pkt[21] = 40; /* option length past the header */
			g_assert_cmpint(open_fails(pr.in, pkt, plen), ==, ESP_ERR_IP_HEADER);
		}
	}
	/* Fragments are never protected (RFC 4302 §3.3.1, §3.4.1). */
	n = put_udp_packet(buf + HEADROOM, 4, 60, 3);
	buf[HEADROOM + 6] |= 0x20;
	g_assert_cmpint(esp_ah_seal(pr.out, buf, sizeof(buf), HEADROOM, n, &off, &plen), ==,
	                ESP_ERR_IP_HEADER);
	pair_clear(&pr);
}

/* IPv6 transport with hop-by-hop (one option that may change en route, one that may not), a
 * routing header and destination options after it: AH goes behind the routing header. */
static size_t
put_v6_ext(uint8_t *p, size_t payload, uint8_t segments_left)
{
	static const uint8_t hbh[8] = {43, 0, 0x3e, 2, 0xaa, 0xbb, 0x05, 0};
	uint8_t rh[24] = {60, 2, 0, 0, 0, 0, 0, 0};
	static const uint8_t dst[8] = {NH_UDP, 0, 0x1e, 4, 1, 2, 3, 4};
	size_t off = put_v6(p, 0, 8 + sizeof(rh) + 8 + payload, addr6_a, addr6_b);

	rh[3] = segments_left;
	memcpy(rh + 8, addr6_b, 16);
	memcpy(p + off, hbh, 8);
	memcpy(p + off + 8, rh, sizeof(rh));
	memcpy(p + off + 8 + sizeof(rh), dst, 8);
	off += 8 + sizeof(rh) + 8;
	memset(p + off, 0x66, payload);
	return off + payload;
}

static void
test_v6_ext_headers(void)
{
	const Case *c = find_case(6, ESP_MODE_TRANSPORT);
	Pair pr;
	uint8_t buf[BUF_CAP], plain[BUF_CAP], pkt[BUF_CAP];
	size_t n, off, plen;

	pair_init(&pr, c, false);
	for (int round = 0; round < 2; round++) {
		n = put_v6_ext(buf + HEADROOM, 30, 0);
		memcpy(plain, buf + HEADROOM, n);
		g_assert_cmpint(esp_ah_seal(pr.out, buf, sizeof(buf), HEADROOM, n, &off, &plen), ==,
		                ESP_OK);
		/* Base, hop-by-hop, routing; then AH, whose next header is the dest options. */
		g_assert_cmpuint(buf[off + 40 + 8], ==, 51);
		g_assert_cmpuint(buf[off + 72], ==, 60);
		memcpy(pkt, buf + off, plen);
		if (round == 0) {
			pkt[44] ^= 0xff; /* option 0x3e: "may change" bit set */
			open_ok_from(c, pr.in, pkt, plen, plain, n, 48);
		} else {
			pkt[46] ^= 1; /* option 0x05: immutable */
			g_assert_cmpint(open_fails(pr.in, pkt, plen), ==, ESP_ERR_INTEGRITY);
		}
	}
	/* A routing header with segments left: not in its final form, refused (§3.3.3.1.2.2). */
	n = put_v6_ext(buf + HEADROOM, 30, 1);
	g_assert_cmpint(esp_ah_seal(pr.out, buf, sizeof(buf), HEADROOM, n, &off, &plen), ==,
	                ESP_ERR_IP_HEADER);
	/* A fragment header in front: refused. */
	n = put_udp_packet(buf + HEADROOM, 6, 40, 1);
	buf[HEADROOM + 6] = 44;
	g_assert_cmpint(esp_ah_seal(pr.out, buf, sizeof(buf), HEADROOM, n, &off, &plen), ==,
	                ESP_ERR_IP_HEADER);
	pair_clear(&pr);
}

static void
test_params(void)
{
	const Case *c = find_case(4, ESP_MODE_TUNNEL);
	FerrySecret *key = make_key(c->integ, 1);
	FerrySecret empty = {0, NULL};
	uint8_t buf[BUF_CAP] = {0};
	EspSaParams p;
	EspSa *sa = NULL;
	size_t off, len;
	uint8_t nh;

	p = params_for(c, key, ESP_DIR_OUT, false);
	p.enc_key = key; /* AH has no encryption key */
	g_assert_cmpint(esp_sa_new(&p, &sa), ==, ESP_ERR_UNSUPPORTED);
	p = params_for(c, key, ESP_DIR_OUT, false);
	p.alg = (CryptoXformAlg){IKE_ENCR_AES_GCM_16, 128, IKE_INTEG_NONE};
	g_assert_cmpint(esp_sa_new(&p, &sa), ==, ESP_ERR_UNSUPPORTED);
	p = params_for(c, key, ESP_DIR_OUT, false);
	p.dst.family = 6; /* endpoints of two families */
	g_assert_cmpint(esp_sa_new(&p, &sa), ==, ESP_ERR_UNSUPPORTED);
	/* AH is bound to its endpoints in both modes (RFC 4301 §4.4.2.1). */
	p = params_for(c, key, ESP_DIR_IN, false);
	p.mode = ESP_MODE_TRANSPORT;
	p.src.family = 0;
	g_assert_cmpint(esp_sa_new(&p, &sa), ==, ESP_ERR_UNSUPPORTED);
	p = params_for(c, key, ESP_DIR_OUT, false);
	p.integ_key = NULL;
	g_assert_cmpint(esp_sa_new(&p, &sa), ==, ESP_ERR_UNSUPPORTED);
	g_assert_null(sa);

	/* An empty encryption key, as a keymat split for AH gives, is no key. */
	p = params_for(c, key, ESP_DIR_OUT, false);
	p.enc_key = &empty;
	g_assert_cmpint(esp_sa_new(&p, &sa), ==, ESP_OK);
	esp_sa_free(sa);

	/* An AH SA does not do ESP, nor the other direction. */
	p = params_for(c, key, ESP_DIR_OUT, false);
	g_assert_cmpint(esp_sa_new(&p, &sa), ==, ESP_OK);
	g_assert_cmpuint(esp_sa_tailroom(sa), ==, 0);
	g_assert_cmpuint(esp_sa_headroom(sa), ==, 40 + 32);
	g_assert_cmpint(esp_seal(sa, buf, sizeof(buf), 64, 20, 4, &off, &len), ==,
	                ESP_ERR_UNSUPPORTED);
	g_assert_cmpint(esp_ah_open(sa, buf, 100, &off, &len, &nh), ==, ESP_ERR_UNSUPPORTED);
	/* Not enough room in front for the outer header and AH. */
	len = put_udp_packet(buf + 20, 4, 30, 0);
	g_assert_cmpint(esp_ah_seal(sa, buf, sizeof(buf), 20, len, &off, &len), ==, ESP_ERR_LENGTH);
	/* Not an IP packet. */
	memset(buf + HEADROOM, 0, 40);
	g_assert_cmpint(esp_ah_seal(sa, buf, sizeof(buf), HEADROOM, 40, &off, &len), ==,
	                ESP_ERR_IP_HEADER);
	esp_sa_free(sa);
	ferry_secret_free(key);
}

int
main(int argc, char **argv)
{
	size_t n = 0;

	g_test_init(&argc, &argv, NULL);
	for (size_t i = 0; i < G_N_ELEMENTS(integs); i++) {
		for (unsigned v = 4; v <= 6; v += 2) {
			for (int m = 0; m < 2; m++) {
				Case *c = &cases[n++];

				c->integ = &integs[i];
				c->version = v;
				c->mode = m ? ESP_MODE_TRANSPORT : ESP_MODE_TUNNEL;
				c->path = g_strdup_printf("%s/ipv%u-%s", integs[i].name, v,
				                          m ? "transport" : "tunnel");
			}
		}
	}
	for (size_t i = 0; i < n; i++) {
		static const struct {
			const char *what;
			GTestDataFunc fn;
		} tests[] = {
			{"known-answer",      test_known_answer     },
			{"roundtrip",         test_roundtrip        },
			{"mutable-immutable", test_mutable_immutable},
			{"replay-truncation", test_replay_truncation},
			{"esn",               test_esn              },
			{"lifetime",          test_lifetime         },
		};

		for (size_t t = 0; t < G_N_ELEMENTS(tests); t++) {
			g_autofree char *path = g_strdup_printf("/ferry/esp/ah/%s/%s",
			                                        tests[t].what, cases[i].path);

			g_test_add_data_func(path, &cases[i], tests[t].fn);
		}
	}
	g_test_add_func("/ferry/esp/ah/ipv4-options", test_v4_options);
	g_test_add_func("/ferry/esp/ah/ipv6-extension-headers", test_v6_ext_headers);
	g_test_add_func("/ferry/esp/ah/params", test_params);
	return g_test_run();
}
