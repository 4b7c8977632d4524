/* fuzz-esp-open.c - libFuzzer harness for ESP decapsulation and port-4500 classification
 *
 * Input: one flags byte, then records of a big-endian u16 length and that many bytes.
 *   flags bit 0: 0 = AES-GCM-16-256, 1 = AES-CBC-128 + HMAC-SHA2-256-128 (fixed keys)
 *         bit 1: ESN
 *         bit 2: "crafted": a record is a u32 sequence number and a plaintext with its
 *                trailer, sealed here with a valid ICV, so the padding and next-header
 *                checks see arbitrary decrypted bytes
 *         bit 3: transport mode
 *         bits 4-5: replay window 0 / 32 / 64 / 1024
 *         bit 6: with bit 3 and not crafted, a record is an IP packet carrying ESP, opened
 *                by esp_transport_open() (RFC 4303 §3.1.1: the header closes up over ESP);
 *                with bits 2 and 3, crafted packets are opened by esp_transport_open_udp(),
 *                so the TCP/UDP checksum fix (RFC 3948 §3.1.2) sees arbitrary plaintexts
 *   Otherwise a record is a datagram as received on UDP 4500: classified (RFC 3948), and
 *   opened when it is ESP.  All records go through one SA, so the window moves.
 * Invariants checked: a failed open leaves the packet as it was and bumps exactly one
 * counter; a successful one returns an inner packet inside the buffer.
 *
 * The libraries need coverage instrumentation too, or libFuzzer sees only this file:
 *   CC=clang CFLAGS=-fsanitize=fuzzer-no-link meson setup build-fuzz -Dfuzzing=true \
 *       -Db_sanitize=address,undefined -Db_lundef=false
 *   build-fuzz/tests/fuzz/fuzz-esp-open -max_total_time=120 tests/fuzz/corpus/esp-open
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "esp-natt.h"
#include "esp-seal.h"
#include "esp-transport.h"
#include "ferry-secret.h"
#include "ferry-span.h"

#define ENCR_AES_CBC            12
#define ENCR_AES_GCM_16         20
#define INTEG_NONE              0
#define INTEG_HMAC_SHA2_256_128 12
#define FUZZ_SPI                0x01020304u
#define MAX_RECORD              4096

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static uint64_t
dropped_total(const EspSa *sa)
{
	const EspSaStats *s = esp_sa_get_stats(sa);
	uint64_t n = 0;

	for (int i = 0; i < ESP_STATUS_COUNT; i++)
		n += s->dropped[i];
	return n;
}

static void
check_open(EspSa *sa, uint8_t *pkt, size_t len)
{
	static uint8_t copy[MAX_RECORD + 64];
	uint64_t before = dropped_total(sa);
	size_t off = 0, ilen = 0;
	uint8_t nh = 0;
	EspStatus st;

	memcpy(copy, pkt, len);
	st = esp_open(sa, pkt, len, &off, &ilen, &nh);
	if (st == ESP_OK) {
		if (off > len || ilen > len - off)
			abort();
		if (dropped_total(sa) != before)
			abort();
		return;
	}
	if (st >= ESP_STATUS_COUNT || dropped_total(sa) != before + 1)
		abort();
	if (memcmp(copy, pkt, len) != 0)
		abort();
}

/* esp_transport_open(): the same invariants, and a success is an IP packet whose length field
 * says so. */
static void
check_transport_open(EspSa *sa, uint8_t *pkt, size_t len)
{
	static uint8_t copy[MAX_RECORD + 64];
	uint64_t before = dropped_total(sa);
	size_t off = 0, ilen = 0;
	const uint8_t *ip;
	EspStatus st;

	memcpy(copy, pkt, len);
	st = esp_transport_open(sa, pkt, len, &off, &ilen);
	if (st != ESP_OK) {
		if (st >= ESP_STATUS_COUNT || dropped_total(sa) != before + 1 ||
		    memcmp(copy, pkt, len) != 0)
			abort();
		return;
	}
	if (off > len || ilen > len - off || dropped_total(sa) != before)
		abort();
	ip = pkt + off;
	if ((ip[0] >> 4 == 4 ? ferry_get_be16(ip + 2) : 40u + ferry_get_be16(ip + 4)) != ilen)
		abort();
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

/* esp_transport_open_udp() on the ESP packet at buf[64 ..]: the esp_open() invariants, and a
 * success is an IPv4 packet between the given addresses whose TCP/UDP checksum verifies. */
static void
check_open_udp(EspSa *sa, uint8_t *buf, size_t len)
{
	static const EspAddr src =
				     {
					     4, {203, 0, 113, 7}
        },
			     dst = {4, {198, 51, 100, 8}};
	static uint8_t copy[MAX_RECORD + 64];
	uint64_t before = dropped_total(sa);
	size_t off = 0, n = 0, l4_len;
	const uint8_t *ip;
	uint32_t sum;
	EspStatus st;

	memcpy(copy, buf + 64, len);
	st = esp_transport_open_udp(sa, buf, 64, len, &src, &dst, &off, &n);
	if (st != ESP_OK) {
		if (st >= ESP_STATUS_COUNT || dropped_total(sa) != before + 1 ||
		    memcmp(copy, buf + 64, len) != 0)
			abort();
		return;
	}
	ip = buf + off;
	if (off + n > 64 + len || n < 20 || ferry_get_be16(ip + 2) != n || ip[0] != 0x45 ||
	    memcmp(ip + 12, src.addr, 4) != 0 || memcmp(ip + 16, dst.addr, 4) != 0)
		abort();
	l4_len = n - 20;
	if (!((ip[9] == 6 && l4_len >= 20) || (ip[9] == 17 && l4_len >= 8)))
		return;
	sum = sum16(src.addr, 4, sum16(dst.addr, 4, 0)) + ip[9] + (uint32_t)l4_len;
	sum = sum16(ip + 20, l4_len, sum);
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	if (sum != 0xffff)
		abort();
}

/* Seal `pt` (trailer included) with a valid ICV the way a peer holding the keys could. */
static size_t
craft(CryptoXform *x, bool esn, uint64_t seq, const uint8_t *pt, size_t pt_len, uint8_t *out)
{
	const CryptoXformSizes *sz = crypto_xform_get_sizes(x);
	size_t front = 8 + sz->iv_len;
	uint8_t aad[12], hi[4];
	const uint8_t *a = out, *extra = NULL;
	size_t a_len = 8, extra_len = 0;

	if (pt_len % sz->block_size != 0)
		pt_len -= pt_len % sz->block_size;
	ferry_put_be32(out, FUZZ_SPI);
	ferry_put_be32(out + 4, (uint32_t)seq);
	if (sz->aead)
		ferry_put_be64(out + 8, seq);
	else
		memset(out + 8, 0x5c, sz->iv_len);
	memcpy(out + front, pt, pt_len);
	if (esn && sz->aead) {
		ferry_put_be32(aad, FUZZ_SPI);
		ferry_put_be64(aad + 4, seq);
		a = aad;
		a_len = sizeof(aad);
	} else if (esn) {
		ferry_put_be32(hi, (uint32_t)(seq >> 32));
		extra = hi;
		extra_len = sizeof(hi);
	}
	if (crypto_xform_seal(x, a, a_len, out + 8, out + front, pt_len, extra, extra_len,
	                      out + front + pt_len) != CRYPTO_OK)
		abort();
	return front + pt_len + sz->icv_len;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint32_t windows[] = {0, 32, 64, 1024};
	static uint8_t enc_bytes[36], integ_bytes[32];
	static uint8_t buf[MAX_RECORD + 128];
	FerrySecret enc = {0}, integ = {0};
	EspSaParams p = {0};
	CryptoXform *x = NULL;
	EspSa *sa = NULL;
	FerryReader r;
	uint8_t flags;
	bool crafted;

	if (size < 1)
		return 0;
	flags = data[0];
	crafted = flags & 4;
	for (size_t i = 0; i < sizeof(enc_bytes); i++)
		enc_bytes[i] = (uint8_t)(0xa0 + i);
	for (size_t i = 0; i < sizeof(integ_bytes); i++)
		integ_bytes[i] = (uint8_t)(0x30 + i);

	p.proto = ESP_PROTO_ESP;
	p.mode = flags & 8 ? ESP_MODE_TRANSPORT : ESP_MODE_TUNNEL;
	p.dir = ESP_DIR_IN;
	p.spi = FUZZ_SPI;
	p.esn = flags & 2;
	p.replay_window = windows[(flags >> 4) & 3];
	if (flags & 1) {
		p.alg = (CryptoXformAlg){ENCR_AES_CBC, 128, INTEG_HMAC_SHA2_256_128};
		enc = (FerrySecret){16, enc_bytes};
		integ = (FerrySecret){32, integ_bytes};
		p.integ_key = &integ;
	} else {
		p.alg = (CryptoXformAlg){ENCR_AES_GCM_16, 256, INTEG_NONE};
		enc = (FerrySecret){36, enc_bytes}; /* key and salt */
	}
	p.enc_key = &enc;
	if (esp_sa_new(&p, &sa) != ESP_OK)
		abort();
	if (crafted && crypto_xform_new(&p.alg, enc.data, enc.len, p.integ_key ? integ.data : NULL,
	                                p.integ_key ? integ.len : 0, &x) != CRYPTO_OK)
		abort();

	ferry_reader_init(&r, data + 1, size - 1);
	for (;;) {
		uint16_t n = ferry_reader_u16(&r);
		FerrySpan rec = ferry_reader_span(&r, n);
		size_t off = 0;

		if (!r.ok || n > MAX_RECORD)
			break;
		if (crafted) {
			uint64_t seq;
			size_t len;

			if (rec.len < 4)
				continue;
			seq = ferry_get_be32(rec.data);
			if (p.esn)
				seq |= (uint64_t)(rec.data[0] & 3) << 32;
			if ((flags & 0x48) == 0x48) {
				len = craft(x, p.esn, seq, rec.data + 4, rec.len - 4, buf + 64);
				check_open_udp(sa, buf, len);
				continue;
			}
			len = craft(x, p.esn, seq, rec.data + 4, rec.len - 4, buf);
			check_open(sa, buf, len);
			continue;
		}
		memcpy(buf, rec.data, rec.len);
		if ((flags & 0x48) == 0x48) {
			check_transport_open(sa, buf, rec.len);
			continue;
		}
		switch (esp_natt_classify(buf, rec.len, &off)) {
		case ESP_NATT_ESP:
			if (esp_packet_spi(buf + off, rec.len - off) == 0)
				abort();
			check_open(sa, buf + off, rec.len - off);
			break;
		case ESP_NATT_IKE:
			if (off != ESP_NATT_NON_ESP_MARKER_LEN || off >= rec.len)
				abort();
			break;
		case ESP_NATT_KEEPALIVE:
		case ESP_NATT_INVALID:
			break;
		}
	}
	crypto_xform_free(x);
	esp_sa_free(sa);
	return 0;
}
