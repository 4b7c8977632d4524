/* gen-esp-open-corpus.c - writes the seed corpus of fuzz-esp-open (run once, by hand)
 *
 * Uses the same fixed keys as the harness and esp_seal() to make valid packets, plus crafted
 * plaintexts and port-4500 edge cases.  Not built by meson; to regenerate:
 *   cc -I client/esp -I client/crypto -I client/base tests/fuzz/gen-esp-open-corpus.c \
 *      build/client/esp/libferry-esp.a build/client/crypto/libferry-crypto.a \
 *      build/client/base/libferry-base.a $(pkg-config --libs gnutls nettle hogweed) -lgmp \
 *      -o /tmp/gen
 *   /tmp/gen tests/fuzz/corpus/esp-open
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "esp-sa-private.h"
#include "esp-seal.h"
#include "esp-transport.h"
#include "ferry-span.h"

#define SPI 0x01020304u

typedef struct {
	uint8_t data[16384];
	size_t len;
} Out;

static uint8_t enc_bytes[36], integ_bytes[32];

static EspSa *
out_sa(uint8_t flags)
{
	FerrySecret enc = {36, enc_bytes}, integ = {32, integ_bytes};
	EspSaParams p = {0};
	EspSa *sa;

	p.proto = ESP_PROTO_ESP;
	p.mode = flags & 8 ? ESP_MODE_TRANSPORT : ESP_MODE_TUNNEL;
	p.dir = ESP_DIR_OUT;
	p.spi = SPI;
	p.esn = flags & 2;
	if (flags & 1) {
		p.alg = (CryptoXformAlg){12, 128, 12};
		enc.len = 16;
		p.integ_key = &integ;
	} else {
		p.alg = (CryptoXformAlg){20, 256, 0};
	}
	p.enc_key = &enc;
	if (esp_sa_new(&p, &sa) != ESP_OK)
		abort();
	return sa;
}

static void
add_record(Out *o, const void *data, size_t len)
{
	ferry_put_be16(o->data + o->len, (uint16_t)len);
	memcpy(o->data + o->len + 2, data, len);
	o->len += 2 + len;
}

/* An IP packet of `version` with `len` bytes of UDP payload, sealed in transport mode and
 * added less its last `cut` bytes. */
static void
add_transport(Out *o, EspSa *sa, unsigned version, size_t len, size_t cut)
{
	uint8_t buf[2048];
	size_t h = version == 4 ? 20 : 40, off, plen, esp_off;

	memset(buf, 0, sizeof(buf));
	for (size_t i = 0; i < len; i++)
		buf[64 + h + i] = (uint8_t)(i * 5);
	buf[64] = version == 4 ? 0x45 : 0x60;
	if (version == 4) {
		ferry_put_be16(buf + 64 + 2, (uint16_t)(h + len));
		buf[64 + 9] = 17;
	} else {
		ferry_put_be16(buf + 64 + 4, (uint16_t)len);
		buf[64 + 6] = 17;
	}
	if (esp_transport_seal(sa, buf, sizeof(buf), 64, h + len, &off, &plen, &esp_off) != ESP_OK)
		abort();
	add_record(o, buf + off, plen - cut);
}

/* Seal an inner packet of `len` bytes with sequence number `seq` and add it, less its
 * last `cut` bytes. */
static void
add_sealed_cut(
	Out *o, EspSa *sa, uint64_t seq, size_t len, unsigned version, uint8_t nh, size_t cut)
{
	uint8_t buf[2048];
	size_t off, plen;

	memset(buf, 0, sizeof(buf));
	for (size_t i = 0; i < len; i++)
		buf[64 + i] = (uint8_t)(i * 7);
	if (len)
		buf[64] = (uint8_t)(version << 4 | 5);
	sa->seq_out = seq - 1;
	if (esp_seal(sa, buf, sizeof(buf), 64, len, nh, &off, &plen) != ESP_OK)
		abort();
	add_record(o, buf + off, plen - cut);
}

static void
add_sealed(Out *o, EspSa *sa, uint64_t seq, size_t len, unsigned version, uint8_t nh)
{
	add_sealed_cut(o, sa, seq, len, version, nh, 0);
}

/* A crafted record: u32 sequence number, inner bytes, pad bytes as given, trailer. */
static void
add_crafted(Out *o,
            uint32_t seq,
            size_t inner,
            const uint8_t *pad,
            size_t pad_len,
            uint8_t pad_field,
            uint8_t nh,
            unsigned version)
{
	uint8_t rec[512];
	size_t n = 4;

	ferry_put_be32(rec, seq);
	for (size_t i = 0; i < inner; i++)
		rec[n + i] = (uint8_t)(i * 3);
	if (inner)
		rec[n] = (uint8_t)(version << 4 | 5);
	n += inner;
	memcpy(rec + n, pad, pad_len);
	n += pad_len;
	rec[n++] = pad_field;
	rec[n++] = nh;
	add_record(o, rec, n);
}

static void
write_file(const char *dir, const char *name, uint8_t flags, const Out *o)
{
	char path[1024];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "wb");
	if (!f || fwrite(&flags, 1, 1, f) != 1 || fwrite(o->data, 1, o->len, f) != o->len)
		abort();
	fclose(f);
}

static void
gen_sealed(const char *dir, const char *name, uint8_t flags, const uint64_t *seqs, size_t n)
{
	EspSa *sa = out_sa(flags);
	Out o = {.len = 0};

	for (size_t i = 0; i < n; i++)
		add_sealed(&o, sa, seqs[i], 20 + 37 * i, i % 2 ? 6 : 4, i % 2 ? 41 : 4);
	write_file(dir, name, flags, &o);
	esp_sa_free(sa);
}

int
main(int argc, char **argv)
{
	static const uint64_t plain[] = {1, 2, 3, 2, 40, 5, 9};
	static const uint64_t esn[] = {0x7fffffff, 0xfffffffe, 0x100000001, 0x100000000,
	                               0xffffffff};
	static const uint8_t good_pad[] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14};
	static const uint8_t bad_pad[] = {1, 2, 4};
	const char *dir = argc > 1 ? argv[1] : ".";

	for (size_t i = 0; i < sizeof(enc_bytes); i++)
		enc_bytes[i] = (uint8_t)(0xa0 + i);
	for (size_t i = 0; i < sizeof(integ_bytes); i++)
		integ_bytes[i] = (uint8_t)(0x30 + i);

	gen_sealed(dir, "gcm-window32", 0x10, plain, 7);
	gen_sealed(dir, "gcm-esn-window1024", 0x32, esn, 5);
	gen_sealed(dir, "gcm-nowindow", 0x00, plain, 7);
	gen_sealed(dir, "cbc-window64", 0x21, plain, 7);
	gen_sealed(dir, "cbc-esn-window1024", 0x33, esn, 5);
	{
		EspSa *sa = out_sa(0x18);
		Out o = {.len = 0};

		add_sealed(&o, sa, 1, 33, 0, 6); /* transport: a TCP segment */
		add_sealed(&o, sa, 2, 0, 0, 17);
		write_file(dir, "gcm-transport", 0x18, &o);
		esp_sa_free(sa);
	}
	{
		/* Transport mode on whole IP packets (flag 0x40): IPv4 and IPv6 carrying ESP,
		 * a replay, a cut one. */
		EspSa *sa = out_sa(0x18);
		Out o = {.len = 0};

		for (unsigned i = 0; i < 3; i++)
			add_transport(&o, sa, i == 1 ? 6 : 4, 30 + 20 * i, 0);
		add_transport(&o, sa, 4, 30, 10);
		write_file(dir, "gcm-transport-ip", 0x58, &o);
		esp_sa_free(sa);
	}
	{
		/* Port 4500 mix: keepalive, IKE behind the marker, ESP, runts. */
		static const uint8_t keepalive[] = {0xff};
		uint8_t ike[4 + 28] = {0};
		EspSa *sa = out_sa(0x10);
		Out o = {.len = 0};

		memset(ike + 4, 0x11, 8);
		ike[4 + 17] = 0x20; /* version 2.0 */
		ike[4 + 18] = 34;   /* IKE_SA_INIT */
		ferry_put_be32(ike + 4 + 24, 28);
		add_record(&o, keepalive, 1);
		add_record(&o, ike, sizeof(ike));
		add_sealed(&o, sa, 1, 60, 4, 4);
		add_record(&o, ike, 4);
		add_record(&o, ike, 3);
		add_record(&o, ike, 0);
		add_sealed(&o, sa, 2, 1, 4, 4);
		write_file(dir, "natt-mix", 0x10, &o);
		esp_sa_free(sa);
	}
	for (int cbc = 0; cbc <= 1; cbc++) {
		uint8_t flags = (uint8_t)(0x14 | cbc);
		size_t align = cbc ? 16 : 4;
		size_t inner = 40;
		size_t pad = (align - (inner + 2) % align) % align;
		Out o = {.len = 0};

		add_crafted(&o, 1, inner, good_pad, pad, (uint8_t)pad, 4, 4);  /* good */
		add_crafted(&o, 2, inner, bad_pad, 3, 3, 4, 4);                /* pad bytes */
		add_crafted(&o, 3, inner, good_pad, pad, 200, 4, 4);           /* pad length */
		add_crafted(&o, 4, inner, good_pad, pad, (uint8_t)pad, 59, 4); /* dummy */
		add_crafted(&o, 5, inner, good_pad, pad, (uint8_t)pad, 6, 4);  /* tcp */
		add_crafted(&o, 6, inner, good_pad, pad, (uint8_t)pad, 41, 4); /* v4 as v6 */
		add_crafted(&o, 7, 0, good_pad, 14, 14, 4, 4);                 /* empty */
		add_crafted(&o, 4, inner, good_pad, pad, (uint8_t)pad, 4, 4);  /* replay */
		write_file(dir, cbc ? "crafted-cbc" : "crafted-gcm", flags, &o);
	}
	{
		Out o = {.len = 0};
		EspSa *sa = out_sa(0x10);

		write_file(dir, "empty-records", 0x10, &o);
		add_sealed_cut(&o, sa, 1, 100, 4, 4, 9);
		add_sealed_cut(&o, sa, 2, 100, 4, 4, 100);
		add_sealed(&o, sa, 3, 100, 4, 4);
		write_file(dir, "truncated-packets", 0x10, &o);
		esp_sa_free(sa);
	}
	return 0;
}
