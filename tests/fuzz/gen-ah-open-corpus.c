/* gen-ah-open-corpus.c - writes the seed corpus of fuzz-ah-open (run once, by hand)
 *
 * Uses the harness's fixed key and esp_ah_seal() to make valid AH packets, plus crafted
 * records and edge cases.  Not built by meson; to regenerate:
 *   cc -I client/esp -I client/crypto -I client/base tests/fuzz/gen-ah-open-corpus.c \
 *      build/client/esp/libferry-esp.a build/client/crypto/libferry-crypto.a \
 *      build/client/base/libferry-base.a $(pkg-config --libs gnutls nettle hogweed) -lgmp \
 *      -o /tmp/gen
 *   /tmp/gen tests/fuzz/corpus/ah-open
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "esp-ah.h"
#include "esp-sa-private.h"
#include "ferry-span.h"

#define SPI      0x0a0b0c0du
#define HEADROOM 128

typedef struct {
	uint8_t data[16384];
	size_t len;
} Out;

static const uint16_t integ_ids[] = {2, 12, 13, 14};
static const size_t integ_key_lens[] = {20, 32, 48, 64};
static uint8_t key_bytes[64];

/* The carrier's addresses, as the packets below use them: 198.51.100.5 -> 203.0.113.6 or
 * 2001:db8::5 -> 2001:db8::6. */
static void
fill_addr(EspAddr *a, uint8_t family, bool dst)
{
	static const uint8_t v4[2][4] = {
		{198, 51, 100, 5},
                {203, 0,  113, 6}
        };

	memset(a, 0, sizeof(*a));
	a->family = family;
	if (family == 4) {
		memcpy(a->addr, v4[dst], 4);
		return;
	}
	a->addr[0] = 0x20, a->addr[1] = 0x01, a->addr[2] = 0x0d, a->addr[3] = 0xb8;
	a->addr[15] = dst ? 6 : 5;
}

static EspSa *
out_sa(uint8_t flags)
{
	FerrySecret key = {integ_key_lens[flags & 3], key_bytes};
	EspSaParams p = {0};
	EspSa *sa;

	p.proto = ESP_PROTO_AH;
	p.mode = flags & 8 ? ESP_MODE_TRANSPORT : ESP_MODE_TUNNEL;
	p.dir = ESP_DIR_OUT;
	p.spi = SPI;
	p.alg = (CryptoXformAlg){CRYPTO_XFORM_ENCR_NONE, 0, integ_ids[flags & 3]};
	p.esn = flags & 4;
	p.integ_key = &key;
	fill_addr(&p.src, flags & 128 ? 6 : 4, false);
	fill_addr(&p.dst, flags & 128 ? 6 : 4, true);
	if (esp_sa_new(&p, &sa) != ESP_OK)
		exit(1);
	return sa;
}

static void
put_record(Out *o, const uint8_t *p, size_t len)
{
	ferry_put_be16(o->data + o->len, (uint16_t)len);
	memcpy(o->data + o->len + 2, p, len);
	o->len += 2 + len;
}

/* An IPv4 or IPv6 UDP packet of `len` payload bytes. */
static size_t
ip_packet(uint8_t *p, unsigned version, size_t len)
{
	size_t h = version == 4 ? 20 : 40;

	memset(p, 0, h);
	if (version == 4) {
		p[0] = 0x45;
		ferry_put_be16(p + 2, (uint16_t)(h + len));
		p[8] = 64;
		p[9] = 17;
		p[12] = 198, p[13] = 51, p[14] = 100, p[15] = 5;
		p[16] = 203, p[17] = 0, p[18] = 113, p[19] = 6;
	} else {
		p[0] = 0x60;
		ferry_put_be16(p + 4, (uint16_t)len);
		p[6] = 17;
		p[7] = 64;
		p[8] = 0x20, p[9] = 0x01, p[10] = 0x0d, p[11] = 0xb8, p[23] = 5;
		p[24] = 0x20, p[25] = 0x01, p[26] = 0x0d, p[27] = 0xb8, p[39] = 6;
	}
	for (size_t i = 0; i < len; i++)
		p[h + i] = (uint8_t)(i * 7);
	return h + len;
}

static size_t
seal(EspSa *sa, unsigned version, size_t len, uint8_t *pkt)
{
	static uint8_t buf[HEADROOM + 4096];
	size_t n = ip_packet(buf + HEADROOM, version, len), off, plen;

	if (esp_ah_seal(sa, buf, sizeof(buf), HEADROOM, n, &off, &plen) != ESP_OK)
		exit(1);
	memcpy(pkt, buf + off, plen);
	return plen;
}

static void
write_file(const char *dir, const char *name, const Out *o)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "wb");
	if (!f || fwrite(o->data, 1, o->len, f) != o->len)
		exit(1);
	fclose(f);
}

/* Valid packets, a replay, a tampered one and a cut one through one SA. */
static void
valid_seed(const char *dir, const char *name, uint8_t flags, unsigned inner)
{
	static Out o;
	uint8_t pkt[4096];
	EspSa *sa = out_sa(flags);
	size_t n;

	o.len = 0;
	o.data[o.len++] = flags;
	for (size_t i = 0; i < 3; i++) {
		n = seal(sa, inner, 20 + 40 * i, pkt);
		put_record(&o, pkt, n);
	}
	put_record(&o, pkt, n);
	pkt[n - 1] ^= 1;
	put_record(&o, pkt, n);
	put_record(&o, pkt, n / 2);
	write_file(dir, name, &o);
	esp_sa_free(sa);
}

static void
crafted_seed(const char *dir, const char *name, uint8_t flags, unsigned version)
{
	static Out o;
	uint8_t rec[4096];
	size_t n;

	o.len = 0;
	o.data[o.len++] = flags | 16;
	for (uint32_t seq = 1; seq <= 3; seq++) {
		ferry_put_be32(rec, seq);
		n = ip_packet(rec + 4, version, 10 * seq);
		put_record(&o, rec, 4 + n);
	}
	/* Not IP: a tunnel-mode inner packet with the wrong version nibble. */
	ferry_put_be32(rec, 9);
	n = ip_packet(rec + 4, version, 30);
	rec[4] = (uint8_t)(rec[4] ^ 0x20);
	put_record(&o, rec, 4 + n);
	write_file(dir, name, &o);
}

int
main(int argc, char **argv)
{
	static Out o;

	if (argc != 2)
		return 2;
	for (size_t i = 0; i < sizeof(key_bytes); i++)
		key_bytes[i] = (uint8_t)(0x30 + i);
	valid_seed(argv[1], "sha1-tunnel4-window64", 0x40 | 0, 4);
	valid_seed(argv[1], "sha256-tunnel6-window32", 0x20 | 0x80 | 1, 4);
	valid_seed(argv[1], "sha384-transport4-window1024", 0x60 | 8 | 2, 4);
	valid_seed(argv[1], "sha512-transport6-esn", 0x40 | 0x80 | 8 | 4 | 3, 6);
	valid_seed(argv[1], "sha256-tunnel4-nowindow-esn", 4 | 1, 6);
	crafted_seed(argv[1], "crafted-tunnel4", 0x40 | 1, 4);
	crafted_seed(argv[1], "crafted-tunnel6", 0x40 | 0x80 | 1, 6);
	crafted_seed(argv[1], "crafted-transport4", 0x40 | 8 | 1, 4);
	crafted_seed(argv[1], "crafted-transport6-esn", 0x40 | 0x80 | 8 | 4 | 1, 6);
	o.len = 0;
	o.data[o.len++] = 0x41;
	for (size_t i = 0; i < 8; i++)
		put_record(&o, (const uint8_t *)"\x45\x00\x00\x14", i % 5);
	write_file(argv[1], "short-records", &o);
	return 0;
}
