/* bench-esp.c - ESP and AH seal+open throughput for 1400-byte packets, against a memcpy
 * baseline
 *
 * Usage: bench-esp [seconds per case, default 1]
 * Each case seals a packet and opens it again on a matching inbound SA, so one "packet"
 * is one encryption and one decryption (AH: one ICV computed and one verified); the baseline
 * copies the packet in and out.  Rows: ESP tunnel mode (esp_seal/esp_open), ESP transport
 * mode on whole IP packets (esp_transport_seal/open: the IP header moves), AH tunnel and
 * transport mode (esp_ah_seal/open: outer header built, mutable fields zeroed in a copy).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "esp-ah.h"
#include "esp-seal.h"
#include "esp-transport.h"
#include "ike-registry.h"

#define PACKET_LEN 1400
#define HEADROOM   64
#define BUF_CAP    2048

typedef struct {
	const char *name;
	double mbps;
	double pps;
} Result;

typedef enum {
	RUN_ESP_TUNNEL,
	RUN_ESP_TRANSPORT,
	RUN_AH_TUNNEL,
	RUN_AH_TRANSPORT,
} RunKind;

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* An IPv4 packet with a valid header (AH and transport mode parse it). */
static void
fill_packet(uint8_t *p)
{
	for (size_t i = 0; i < PACKET_LEN; i++)
		p[i] = (uint8_t)(i * 31);
	memset(p, 0, 20);
	p[0] = 0x45;
	p[2] = PACKET_LEN >> 8;
	p[3] = PACKET_LEN & 0xff;
	p[8] = 64;
	p[9] = 17;
	p[12] = 198, p[13] = 51, p[14] = 100, p[15] = 1;
	p[16] = 203, p[17] = 0, p[18] = 113, p[19] = 1;
}

static bool
round_trip(RunKind kind, EspSa *out, EspSa *in, uint8_t *buf)
{
	size_t off, len, ioff, ilen, esp_off;
	uint8_t nh;

	switch (kind) {
	case RUN_ESP_TUNNEL:
		return esp_seal(out, buf, BUF_CAP, HEADROOM, PACKET_LEN, 4, &off, &len) == ESP_OK &&
		       esp_open(in, buf + off, len, &ioff, &ilen, &nh) == ESP_OK &&
		       ilen == PACKET_LEN;
	case RUN_ESP_TRANSPORT:
		return esp_transport_seal(out, buf, BUF_CAP, HEADROOM, PACKET_LEN, &off, &len,
		                          &esp_off) == ESP_OK &&
		       esp_transport_open(in, buf + off, len, &ioff, &ilen) == ESP_OK &&
		       ilen == PACKET_LEN;
	case RUN_AH_TUNNEL:
	case RUN_AH_TRANSPORT:
		return esp_ah_seal(out, buf, BUF_CAP, HEADROOM, PACKET_LEN, &off, &len) == ESP_OK &&
		       esp_ah_open(in, buf + off, len, &ioff, &ilen, &nh) == ESP_OK &&
		       ilen == PACKET_LEN;
	}
	return false;
}

/* Seal and open in a loop for `secs` seconds on one SA pair. */
static Result
run_esp(const char *name, RunKind kind, CryptoXformAlg alg, double secs)
{
	static uint8_t buf[BUF_CAP], inner[PACKET_LEN];
	CryptoXformSizes sz;
	FerrySecret *enc, *integ = NULL;
	EspSaParams p = {0};
	EspSa *out, *in;
	uint64_t n = 0;
	double t0, t;

	if (crypto_xform_sizes(&alg, &sz) != CRYPTO_OK) {
		fprintf(stderr, "%s: unsupported\n", name);
		exit(1);
	}
	enc = sz.enc_key_len ? ferry_secret_new(sz.enc_key_len) : NULL;
	if (enc)
		memset(enc->data, 0x5a, enc->len);
	if (sz.integ_key_len) {
		integ = ferry_secret_new(sz.integ_key_len);
		memset(integ->data, 0xa5, integ->len);
	}
	p.proto = kind == RUN_AH_TUNNEL || kind == RUN_AH_TRANSPORT ? ESP_PROTO_AH : ESP_PROTO_ESP;
	p.mode = kind == RUN_ESP_TUNNEL || kind == RUN_AH_TUNNEL ? ESP_MODE_TUNNEL
	                                                         : ESP_MODE_TRANSPORT;
	/* AH's endpoints: the packet's own addresses (fill_packet) serve both modes. */
	p.src.family = p.dst.family = 4;
	memcpy(p.src.addr, (const uint8_t[]){198, 51, 100, 1}, 4);
	memcpy(p.dst.addr, (const uint8_t[]){203, 0, 113, 1}, 4);
	p.spi = 0x1000;
	p.alg = alg;
	p.esn = true;
	p.replay_window = 1024;
	p.enc_key = enc;
	p.integ_key = integ;
	p.dir = ESP_DIR_OUT;
	if (esp_sa_new(&p, &out) != ESP_OK)
		exit(1);
	p.dir = ESP_DIR_IN;
	if (esp_sa_new(&p, &in) != ESP_OK)
		exit(1);
	ferry_secret_free(enc);
	ferry_secret_free(integ);

	fill_packet(inner);
	t0 = now();
	do {
		for (int i = 0; i < 256; i++) {
			memcpy(buf + HEADROOM, inner, PACKET_LEN);
			if (!round_trip(kind, out, in, buf)) {
				fprintf(stderr, "%s: round trip failed\n", name);
				exit(1);
			}
		}
		n += 256;
		t = now() - t0;
	} while (t < secs);
	esp_sa_free(out);
	esp_sa_free(in);
	return (Result){name, (double)n * PACKET_LEN / t / 1e6, (double)n / t};
}

static Result
run_memcpy(double secs)
{
	static uint8_t buf[BUF_CAP], inner[PACKET_LEN], back[PACKET_LEN];
	volatile uint8_t sink = 0;
	uint64_t n = 0;
	double t0, t;

	fill_packet(inner);
	t0 = now();
	do {
		for (int i = 0; i < 256; i++) {
			memcpy(buf + HEADROOM, inner, PACKET_LEN);
			__asm__ volatile("" ::: "memory");
			memcpy(back, buf + HEADROOM, PACKET_LEN);
			__asm__ volatile("" ::: "memory");
			sink ^= back[i];
		}
		n += 256;
		t = now() - t0;
	} while (t < secs);
	(void)sink;
	return (Result){"memcpy (baseline)", (double)n * PACKET_LEN / t / 1e6, (double)n / t};
}

int
main(int argc, char **argv)
{
	const CryptoXformAlg gcm = {IKE_ENCR_AES_GCM_16, 256, IKE_INTEG_NONE};
	const CryptoXformAlg cbc = {IKE_ENCR_AES_CBC, 256, IKE_INTEG_HMAC_SHA2_256_128};
	const CryptoXformAlg ah = {CRYPTO_XFORM_ENCR_NONE, 0, IKE_INTEG_HMAC_SHA2_256_128};
	double secs = argc > 1 ? atof(argv[1]) : 1.0;
	Result r[7];

	if (secs <= 0)
		secs = 1.0;
	r[0] = run_memcpy(secs);
	r[1] = run_esp("AES-GCM-16-256", RUN_ESP_TUNNEL, gcm, secs);
	r[2] = run_esp("AES-CBC-256 + HMAC-SHA2-256-128", RUN_ESP_TUNNEL, cbc, secs);
	r[3] = run_esp("ESP transport AES-GCM-16-256", RUN_ESP_TRANSPORT, gcm, secs);
	r[4] = run_esp("ESP transport AES-CBC-256+SHA256", RUN_ESP_TRANSPORT, cbc, secs);
	r[5] = run_esp("AH tunnel HMAC-SHA2-256-128", RUN_AH_TUNNEL, ah, secs);
	r[6] = run_esp("AH transport HMAC-SHA2-256-128", RUN_AH_TRANSPORT, ah, secs);

	printf("ESP/AH seal+open, %d-byte inner packets, ESN, %.1f s per case\n", PACKET_LEN, secs);
	printf("%-34s %12s %14s %12s\n", "case", "MB/s", "packets/s", "vs memcpy");
	for (size_t i = 0; i < 7; i++)
		printf("%-34s %12.1f %14.0f %11.4fx\n", r[i].name, r[i].mbps, r[i].pps,
		       r[i].mbps / r[0].mbps);
	printf("GCM-256 / CBC+SHA256 = %.2f\n", r[1].mbps / r[2].mbps);
	printf("AH SHA256 / ESP CBC+SHA256 = %.2f\n", r[5].mbps / r[2].mbps);
	return 0;
}
