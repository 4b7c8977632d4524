/* xcheck-ipsec.c - seals or opens packets with ferry's datapath for the scapy cross-check
 *
 * Usage: xcheck-ipsec OP [options]   (OP: seal or open)
 * Reads one packet per line in hex on stdin, writes one line per packet: "OK <hex>" or
 * "ERR <status>".  All packets of a run go through one SA, so sequence numbers count up.
 *   ESP tunnel:    seal takes the inner IP packet and gives the ESP packet alone (what goes
 *                  into UDP or behind an outer header); open takes the ESP packet.
 *   ESP transport, AH (both modes): whole IP packets in and out.
 * Keys are test values given on the command line; this is a test tool, not a key store.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "esp-ah.h"
#include "esp-sa-private.h"
#include "esp-seal.h"
#include "esp-transport.h"

#define BUF_CAP  4096
#define HEADROOM 256

typedef struct {
	char *proto, *mode, *enc_key, *integ_key, *src, *dst;
	gint encr, key_bits, integ;
	gint64 spi, seq, top;
	gboolean esn;
} Options;

static gboolean
parse_addr(const char *text, EspAddr *out)
{
	memset(out, 0, sizeof(*out));
	if (!text)
		return TRUE;
	if (inet_pton(AF_INET, text, out->addr) == 1)
		out->family = 4;
	else if (inet_pton(AF_INET6, text, out->addr) == 1)
		out->family = 6;
	return out->family != 0;
}

static FerrySecret *
secret_from_hex(const char *hex)
{
	size_t n = hex ? strlen(hex) / 2 : 0;
	FerrySecret *s;

	if (n == 0)
		return NULL;
	s = ferry_secret_new(n);
	for (size_t i = 0; i < n; i++) {
		unsigned v;

		if (sscanf(hex + 2 * i, "%2x", &v) != 1)
			v = 0;
		s->data[i] = (uint8_t)v;
	}
	return s;
}

static size_t
from_hex(const char *line, uint8_t *out, size_t cap)
{
	size_t n = 0;

	while (line[0] && line[1] && n < cap) {
		unsigned v;

		if (sscanf(line, "%2x", &v) != 1)
			break;
		out[n++] = (uint8_t)v;
		line += 2;
	}
	return n;
}

static void
print_result(EspStatus st, const uint8_t *p, size_t len)
{
	if (st != ESP_OK) {
		printf("ERR %s\n", esp_status_to_string(st));
		return;
	}
	printf("OK ");
	for (size_t i = 0; i < len; i++)
		printf("%02x", p[i]);
	printf("\n");
}

static EspStatus
seal_one(EspSa *sa, uint8_t *buf, size_t len, size_t *off, size_t *out_len)
{
	size_t esp_off;

	if (sa->proto == ESP_PROTO_AH)
		return esp_ah_seal(sa, buf, BUF_CAP, HEADROOM, len, off, out_len);
	if (sa->mode == ESP_MODE_TRANSPORT)
		return esp_transport_seal(sa, buf, BUF_CAP, HEADROOM, len, off, out_len, &esp_off);
	return esp_seal(sa, buf, BUF_CAP, HEADROOM, len, buf[HEADROOM] >> 4 == 4 ? 4 : 41, off,
	                out_len);
}

static EspStatus
open_one(EspSa *sa, uint8_t *pkt, size_t len, size_t *off, size_t *out_len)
{
	uint8_t nh;

	if (sa->proto == ESP_PROTO_AH)
		return esp_ah_open(sa, pkt, len, off, out_len, &nh);
	if (sa->mode == ESP_MODE_TRANSPORT)
		return esp_transport_open(sa, pkt, len, off, out_len);
	return esp_open(sa, pkt, len, off, out_len, &nh);
}

int
main(int argc, char **argv)
{
	Options o = {.spi = 0x1000, .encr = 0, .integ = 0};
	GOptionEntry entries[] = {
		{"proto",     0, 0, G_OPTION_ARG_STRING, &o.proto,     "esp|ah",           NULL},
		{"mode",      0, 0, G_OPTION_ARG_STRING, &o.mode,      "tunnel|transport", NULL},
		{"encr",      0, 0, G_OPTION_ARG_INT,    &o.encr,      "ENCR id",          NULL},
		{"key-bits",  0, 0, G_OPTION_ARG_INT,    &o.key_bits,  "bits",             NULL},
		{"integ",     0, 0, G_OPTION_ARG_INT,    &o.integ,     "INTEG id",         NULL},
		{"enc-key",   0, 0, G_OPTION_ARG_STRING, &o.enc_key,   "hex",              NULL},
		{"integ-key", 0, 0, G_OPTION_ARG_STRING, &o.integ_key, "hex",              NULL},
		{"spi",       0, 0, G_OPTION_ARG_INT64,  &o.spi,       "SPI",              NULL},
		{"esn",       0, 0, G_OPTION_ARG_NONE,   &o.esn,       "ESN",              NULL},
		{"seq",       0, 0, G_OPTION_ARG_INT64,  &o.seq,       "first seq",        NULL},
		{"top",       0, 0, G_OPTION_ARG_INT64,  &o.top,       "last seen",        NULL},
		{"src",       0, 0, G_OPTION_ARG_STRING, &o.src,       "addr",             NULL},
		{"dst",       0, 0, G_OPTION_ARG_STRING, &o.dst,       "addr",             NULL},
		{NULL,        0, 0, G_OPTION_ARG_NONE,   NULL,         NULL,               NULL},
	};
	g_autoptr(GOptionContext) ctx = g_option_context_new("seal|open");
	g_autoptr(GError) error = NULL;
	EspSaParams p = {0};
	FerrySecret *enc, *integ;
	gboolean seal;
	EspSa *sa = NULL;
	EspStatus st;
	char line[2 * BUF_CAP + 16];

	g_option_context_add_main_entries(ctx, entries, NULL);
	if (!g_option_context_parse(ctx, &argc, &argv, &error) || argc != 2 || !o.proto ||
	    !o.mode) {
		fprintf(stderr, "xcheck-ipsec: %s\n",
		        error ? error->message : "usage: seal|open ...");
		return 2;
	}
	seal = strcmp(argv[1], "seal") == 0;
	enc = secret_from_hex(o.enc_key);
	integ = secret_from_hex(o.integ_key);
	p.proto = strcmp(o.proto, "ah") == 0 ? ESP_PROTO_AH : ESP_PROTO_ESP;
	p.mode = strcmp(o.mode, "transport") == 0 ? ESP_MODE_TRANSPORT : ESP_MODE_TUNNEL;
	p.dir = seal ? ESP_DIR_OUT : ESP_DIR_IN;
	p.spi = (uint32_t)o.spi;
	p.alg = (CryptoXformAlg){(uint16_t)o.encr, (uint16_t)o.key_bits, (uint16_t)o.integ};
	p.esn = o.esn;
	p.replay_window = 64;
	p.enc_key = enc;
	p.integ_key = integ;
	if (!parse_addr(o.src, &p.src) || !parse_addr(o.dst, &p.dst)) {
		fprintf(stderr, "xcheck-ipsec: bad tunnel address\n");
		return 2;
	}
	st = esp_sa_new(&p, &sa);
	ferry_secret_free(enc);
	ferry_secret_free(integ);
	if (st != ESP_OK) {
		fprintf(stderr, "xcheck-ipsec: esp_sa_new: %s\n", esp_status_to_string(st));
		return 2;
	}
	if (o.seq > 0)
		sa->seq_out = (uint64_t)o.seq - 1;
	if (o.top > 0)
		sa->replay.top = (uint64_t)o.top;

	while (fgets(line, sizeof(line), stdin)) {
		static uint8_t buf[BUF_CAP];
		size_t len, off = 0, out_len = 0;

		if (seal) {
			len = from_hex(line, buf + HEADROOM, BUF_CAP - HEADROOM - 512);
			st = seal_one(sa, buf, len, &off, &out_len);
		} else {
			len = from_hex(line, buf, BUF_CAP);
			st = open_one(sa, buf, len, &off, &out_len);
		}
		print_result(st, buf + off, out_len);
		fflush(stdout);
	}
	esp_sa_free(sa);
	g_free(o.proto);
	g_free(o.mode);
	g_free(o.enc_key);
	g_free(o.integ_key);
	g_free(o.src);
	g_free(o.dst);
	return 0;
}
