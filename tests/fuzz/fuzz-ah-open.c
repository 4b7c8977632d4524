/* fuzz-ah-open.c - libFuzzer harness for AH decapsulation (RFC 4302) of IP packets
 *
 * Input: one flags byte, then records of a big-endian u16 length and that many bytes.
 *   flags bits 0-1: HMAC-SHA1-96 / HMAC-SHA2-256-128 / -384-192 / -512-256 (fixed key)
 *         bit 2: ESN
 *         bit 3: transport mode
 *         bit 4: "crafted": a record is a u32 sequence number and an IP packet, sealed here
 *                by an outbound SA with the same key, so the checks behind the ICV (inner
 *                version, header close-up) see arbitrary headers
 *         bits 5-6: replay window 0 / 32 / 64 / 1024
 *         bit 7: the SA's endpoints are IPv6 (else IPv4): the tunnel's outer header, the
 *                carrier a transport-mode packet must match
 *   Otherwise a record is an IP packet as a protocol-51 raw socket delivers it.  All records
 *   go through one SA, so the window moves.
 * Invariants checked: a failed open leaves the packet as it was and bumps exactly one
 * counter; a successful one returns a packet inside the buffer, and in transport mode an IP
 * packet whose length field says so.
 *
 * Seeds: tests/fuzz/gen-ah-open-corpus.c.  Run (see fuzz-esp-open.c for the build):
 *   build-fuzz/tests/fuzz/fuzz-ah-open -max_total_time=120 tests/fuzz/corpus/ah-open
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "esp-ah.h"
#include "esp-sa-private.h"
#include "ferry-span.h"

#define FUZZ_SPI   0x0a0b0c0du
#define MAX_RECORD 4096
#define HEADROOM   128

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const uint16_t integ_ids[] = {2, 12, 13, 14}; /* IKE_INTEG_HMAC_SHA1_96, SHA2_* */
static const size_t integ_key_lens[] = {20, 32, 48, 64};

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
	static uint8_t copy[MAX_RECORD + 512];
	uint64_t before = dropped_total(sa);
	size_t off = 0, ilen = 0;
	uint8_t nh = 0;
	EspStatus st;

	memcpy(copy, pkt, len);
	st = esp_ah_open(sa, pkt, len, &off, &ilen, &nh);
	if (st != ESP_OK) {
		if (st >= ESP_STATUS_COUNT || dropped_total(sa) != before + 1)
			abort();
		if (memcmp(copy, pkt, len) != 0)
			abort();
		return;
	}
	if (off > len || ilen > len - off || dropped_total(sa) != before)
		abort();
	if (sa->mode == ESP_MODE_TRANSPORT) {
		const uint8_t *ip = pkt + off;
		size_t total =
			ip[0] >> 4 == 4 ? ferry_get_be16(ip + 2) : 40u + ferry_get_be16(ip + 4);

		if (total != ilen)
			abort();
	}
}

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

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint32_t windows[] = {0, 32, 64, 1024};
	static uint8_t key_bytes[64];
	static uint8_t buf[HEADROOM + MAX_RECORD + 512];
	FerrySecret key = {0};
	EspSaParams p = {0};
	EspSa *in = NULL, *out = NULL;
	FerryReader r;
	uint8_t flags;
	bool crafted;

	if (size < 1)
		return 0;
	flags = data[0];
	crafted = flags & 16;
	for (size_t i = 0; i < sizeof(key_bytes); i++)
		key_bytes[i] = (uint8_t)(0x30 + i);
	key = (FerrySecret){integ_key_lens[flags & 3], key_bytes};
	p.proto = ESP_PROTO_AH;
	p.mode = flags & 8 ? ESP_MODE_TRANSPORT : ESP_MODE_TUNNEL;
	p.spi = FUZZ_SPI;
	p.alg = (CryptoXformAlg){CRYPTO_XFORM_ENCR_NONE, 0, integ_ids[flags & 3]};
	p.esn = flags & 4;
	p.replay_window = windows[(flags >> 5) & 3];
	p.integ_key = &key;
	fill_addr(&p.src, flags & 128 ? 6 : 4, false);
	fill_addr(&p.dst, flags & 128 ? 6 : 4, true);
	p.dir = ESP_DIR_IN;
	if (esp_sa_new(&p, &in) != ESP_OK)
		abort();
	p.dir = ESP_DIR_OUT;
	if (crafted && esp_sa_new(&p, &out) != ESP_OK)
		abort();

	ferry_reader_init(&r, data + 1, size - 1);
	for (;;) {
		uint16_t n = ferry_reader_u16(&r);
		FerrySpan rec = ferry_reader_span(&r, n);
		size_t off = 0, len = 0;
		uint64_t seq;

		if (!r.ok || n > MAX_RECORD)
			break;
		if (!crafted) {
			memcpy(buf, rec.data, rec.len);
			check_open(in, buf, rec.len);
			continue;
		}
		if (rec.len < 4)
			continue;
		seq = ferry_get_be32(rec.data);
		if (p.esn)
			seq |= (uint64_t)(rec.data[0] & 3) << 32;
		if (seq == 0)
			continue;
		out->seq_out = seq - 1;
		out->stats.packets = out->stats.bytes = 0;
		memcpy(buf + HEADROOM, rec.data + 4, rec.len - 4);
		if (esp_ah_seal(out, buf, sizeof(buf), HEADROOM, rec.len - 4, &off, &len) != ESP_OK)
			continue;
		check_open(in, buf + off, len);
	}
	esp_sa_free(out);
	esp_sa_free(in);
	return 0;
}
