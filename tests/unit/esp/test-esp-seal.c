/* test-esp-seal.c - ESP seal/open (RFC 4303): round trips, known answers computed with
 * GnuTLS directly, tampering, truncation, lifetimes and sequence exhaustion */
#include <string.h>

#include <glib.h>
#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>

#include "crypto-rng.h"
#include "esp-sa-private.h"
#include "esp-seal.h"
#include "ferry-test.h"
#include "ike-registry.h"

#define SPI      0xc0ffee01u
#define BUF_CAP  2048
#define HEADROOM 64
#define NH_IPV4  4
#define NH_IPV6  41
#define NH_TCP   6
#define NH_DUMMY 59
#define SUBSPACE (G_GUINT64_CONSTANT(1) << 32)

typedef struct {
	const char *name;
	CryptoXformAlg alg;
} AlgCase;

static const AlgCase algs[] = {
	{"aes-gcm-16-128",     {IKE_ENCR_AES_GCM_16, 128, IKE_INTEG_NONE}          },
	{"aes-gcm-16-256",     {IKE_ENCR_AES_GCM_16, 256, IKE_INTEG_NONE}          },
	{"chacha20-poly1305",  {IKE_ENCR_CHACHA20_POLY1305, 256, IKE_INTEG_NONE}   },
	{"aes-cbc-128-sha256", {IKE_ENCR_AES_CBC, 128, IKE_INTEG_HMAC_SHA2_256_128}},
	{"aes-cbc-256-sha256", {IKE_ENCR_AES_CBC, 256, IKE_INTEG_HMAC_SHA2_256_128}},
	{"aes-cbc-128-sha384", {IKE_ENCR_AES_CBC, 128, IKE_INTEG_HMAC_SHA2_384_192}},
	{"aes-cbc-256-sha384", {IKE_ENCR_AES_CBC, 256, IKE_INTEG_HMAC_SHA2_384_192}},
	{"aes-cbc-128-sha512", {IKE_ENCR_AES_CBC, 128, IKE_INTEG_HMAC_SHA2_512_256}},
	{"aes-cbc-256-sha512", {IKE_ENCR_AES_CBC, 256, IKE_INTEG_HMAC_SHA2_512_256}},
};

/* ---- fixtures ---------------------------------------------------------------------- */

typedef struct {
	CryptoXformAlg alg;
	CryptoXformSizes sizes;
	FerrySecret *enc, *integ;
} Keys;

static void
keys_init(Keys *k, const CryptoXformAlg *alg, uint8_t seed)
{
	k->alg = *alg;
	g_assert_cmpint(crypto_xform_sizes(alg, &k->sizes), ==, CRYPTO_OK);
	k->enc = ferry_secret_new(k->sizes.enc_key_len);
	for (size_t i = 0; i < k->enc->len; i++)
		k->enc->data[i] = (uint8_t)(seed + 3 * i);
	k->integ = NULL;
	if (k->sizes.integ_key_len) {
		k->integ = ferry_secret_new(k->sizes.integ_key_len);
		for (size_t i = 0; i < k->integ->len; i++)
			k->integ->data[i] = (uint8_t)(seed ^ (7 * i + 1));
	}
}

static void
keys_clear(Keys *k)
{
	ferry_secret_free(k->enc);
	ferry_secret_free(k->integ);
}

static EspSaParams
params_for(const Keys *k, EspDir dir, bool esn)
{
	EspSaParams p = {
		.proto = ESP_PROTO_ESP,
		.mode = ESP_MODE_TUNNEL,
		.dir = dir,
		.spi = SPI,
		.alg = k->alg,
		.esn = esn,
		.replay_window = 1024,
		.enc_key = k->enc,
		.integ_key = k->integ,
	};
	return p;
}

static EspSa *
sa_new(const Keys *k, EspDir dir, bool esn)
{
	EspSaParams p = params_for(k, dir, esn);
	EspSa *sa = NULL;

	g_assert_cmpint(esp_sa_new(&p, &sa), ==, ESP_OK);
	g_assert_nonnull(sa);
	return sa;
}

/* An IPv4 (or IPv6) packet of `len` bytes: version nibble, then a pattern. */
static void
fill_inner(uint8_t *p, size_t len, unsigned version, uint8_t salt)
{
	for (size_t i = 0; i < len; i++)
		p[i] = (uint8_t)(salt + i * 13);
	if (len > 0)
		p[0] = (uint8_t)(version << 4 | 5);
}

/* Seal `len` inner bytes; the packet is copied to pkt, its length returned. */
static size_t
seal_one(EspSa *out, size_t len, unsigned version, uint8_t *pkt)
{
	uint8_t buf[BUF_CAP];
	size_t off = 0, plen = 0;

	fill_inner(buf + HEADROOM, len, version, (uint8_t)len);
	g_assert_cmpint(esp_seal(out, buf, sizeof(buf), HEADROOM, len,
	                         version == 4 ? NH_IPV4 : NH_IPV6, &off, &plen),
	                ==, ESP_OK);
	memcpy(pkt, buf + off, plen);
	return plen;
}

/* ---- round trips ------------------------------------------------------------------- */

static const size_t lengths[] = {1,  20, 21, 22, 23,  24,  25,  31,   32,
                                 33, 40, 63, 64, 100, 255, 256, 1400, 1500};

static void
roundtrip(const AlgCase *c, bool esn, uint64_t start_seq)
{
	Keys k;
	EspSa *out, *in;
	uint64_t sent = 0;

	keys_init(&k, &c->alg, 0x11);
	out = sa_new(&k, ESP_DIR_OUT, esn);
	in = sa_new(&k, ESP_DIR_IN, esn);
	out->seq_out = start_seq;
	if (start_seq)
		esp_replay_commit(&in->replay, start_seq);

	for (size_t i = 0; i < G_N_ELEMENTS(lengths); i++) {
		for (unsigned version = 4; version <= 6; version += 2) {
			uint8_t buf[BUF_CAP], want[BUF_CAP];
			size_t off = 0, plen = 0, ioff = 0, ilen = 0;
			size_t len = lengths[i], front = esp_sa_headroom(out);
			uint64_t seq = start_seq + ++sent;
			uint8_t nh = 0;

			fill_inner(want, len, version, (uint8_t)i);
			memcpy(buf + HEADROOM, want, len);
			g_assert_cmpint(esp_seal(out, buf, sizeof(buf), HEADROOM, len,
			                         version == 4 ? NH_IPV4 : NH_IPV6, &off, &plen),
			                ==, ESP_OK);
			g_assert_cmpuint(off, ==, HEADROOM - front);
			g_assert_cmpuint(plen, <=, len + esp_sa_overhead(out));
			/* RFC 4303 §2.4: ciphertext ends on a 4-byte and block boundary. */
			g_assert_cmpuint((plen - front - k.sizes.icv_len) % 4, ==, 0);
			g_assert_cmpuint((plen - front - k.sizes.icv_len) % k.sizes.block_size, ==,
			                 0);
			g_assert_cmpuint(ferry_get_be32(buf + off), ==, SPI);
			g_assert_cmpuint(ferry_get_be32(buf + off + 4), ==, (uint32_t)seq);
			if (k.sizes.aead)
				/* RFC 4106 §3.1: the IV is the full sequence number. */
				g_assert_cmpuint(ferry_get_be64(buf + off + 8), ==, seq);
			g_assert_cmpuint(esp_sa_get_seq_out(out), ==, seq);

			g_assert_cmpint(esp_open(in, buf + off, plen, &ioff, &ilen, &nh), ==,
			                ESP_OK);
			g_assert_cmpuint(ilen, ==, len);
			g_assert_cmpuint(nh, ==, version == 4 ? NH_IPV4 : NH_IPV6);
			g_assert_cmpmem(buf + off + ioff, ilen, want, len);
			g_assert_cmpuint(in->replay.top, ==, seq);
		}
	}
	g_assert_cmpuint(esp_sa_get_stats(out)->packets, ==, sent);
	g_assert_cmpuint(esp_sa_get_stats(in)->packets, ==, sent);
	g_assert_cmpuint(esp_sa_get_stats(in)->bytes, ==, esp_sa_get_stats(out)->bytes);
	for (int st = 0; st < ESP_STATUS_COUNT; st++)
		g_assert_cmpuint(esp_sa_get_stats(in)->dropped[st], ==, 0);
	esp_sa_free(out);
	esp_sa_free(in);
	keys_clear(&k);
}

static void
test_roundtrip(gconstpointer data)
{
	roundtrip(data, false, 0);
}

/* ESN: start just below 2^32 so the packets cross into the next subspace. */
static void
test_roundtrip_esn(gconstpointer data)
{
	roundtrip(data, true, SUBSPACE - 7);
}

/* RFC 4303 §2.2.1: the high-order bits are in the ICV though not on the wire: a receiver
 * that guesses them wrong must fail the integrity check. */
static void
test_esn_high_bits_authenticated(gconstpointer data)
{
	const AlgCase *c = data;
	Keys k;
	EspSa *out, *in;
	uint8_t pkt[BUF_CAP], copy[BUF_CAP];
	size_t plen, ioff, ilen;
	uint8_t nh;

	keys_init(&k, &c->alg, 0x22);
	out = sa_new(&k, ESP_DIR_OUT, true);
	in = sa_new(&k, ESP_DIR_IN, true);
	out->seq_out = SUBSPACE; /* next is 2^32 + 1, on the wire 1 */
	plen = seal_one(out, 100, 4, pkt);
	g_assert_cmpuint(ferry_get_be32(pkt + 4), ==, 1);
	memcpy(copy, pkt, plen);
	/* The fresh receiver infers high bits 0. */
	g_assert_cmpint(esp_open(in, pkt, plen, &ioff, &ilen, &nh), ==, ESP_ERR_INTEGRITY);
	g_assert_cmpmem(pkt, plen, copy, plen);
	/* Once it has seen 2^32 - 1 it infers 1 and the packet verifies. */
	esp_replay_commit(&in->replay, SUBSPACE - 1);
	g_assert_cmpint(esp_open(in, pkt, plen, &ioff, &ilen, &nh), ==, ESP_OK);
	g_assert_cmpuint(in->replay.top, ==, SUBSPACE + 1);
	esp_sa_free(out);
	esp_sa_free(in);
	keys_clear(&k);
}

/* Transport mode: the framing is the same; any upper protocol goes through. */
static void
test_transport(void)
{
	Keys k;
	EspSa *out, *in;
	EspSaParams p;
	uint8_t buf[BUF_CAP];
	size_t off, plen, ioff, ilen;
	uint8_t nh = 0;

	keys_init(&k, &algs[1].alg, 0x33);
	p = params_for(&k, ESP_DIR_OUT, false);
	p.mode = ESP_MODE_TRANSPORT;
	g_assert_cmpint(esp_sa_new(&p, &out), ==, ESP_OK);
	p.dir = ESP_DIR_IN;
	g_assert_cmpint(esp_sa_new(&p, &in), ==, ESP_OK);
	memset(buf + HEADROOM, 0xab, 37); /* a TCP segment, not an IP packet */
	g_assert_cmpint(esp_seal(out, buf, sizeof(buf), HEADROOM, 37, NH_TCP, &off, &plen), ==,
	                ESP_OK);
	g_assert_cmpint(esp_open(in, buf + off, plen, &ioff, &ilen, &nh), ==, ESP_OK);
	g_assert_cmpuint(nh, ==, NH_TCP);
	g_assert_cmpuint(ilen, ==, 37);
	/* RFC 4303 §2.6: dummy packets are dropped in transport mode too. */
	g_assert_cmpint(esp_seal(out, buf, sizeof(buf), HEADROOM, 20, NH_DUMMY, &off, &plen), ==,
	                ESP_OK);
	g_assert_cmpint(esp_open(in, buf + off, plen, &ioff, &ilen, &nh), ==, ESP_ERR_NEXT_HEADER);
	g_assert_cmpuint(esp_sa_get_stats(in)->dummy, ==, 1);
	esp_sa_free(out);
	esp_sa_free(in);
	keys_clear(&k);
}

/* ---- known answers: the expected packet built with GnuTLS alone ---------------------- */

/* RFC 4303 §2.4 default padding to `align`, pad length, next header. */
static size_t
build_plaintext(uint8_t *out, const uint8_t *inner, size_t len, size_t align, uint8_t nh)
{
	size_t pad = 0;

	memmove(out, inner, len);
	while ((len + pad + 2) % align != 0)
		pad++;
	for (size_t i = 0; i < pad; i++)
		out[len + i] = (uint8_t)(i + 1);
	out[len + pad] = (uint8_t)pad;
	out[len + pad + 1] = nh;
	return len + pad + 2;
}

/* RFC 4106 §3-§5 (GCM) and RFC 7634 §2-§3 (ChaCha20-Poly1305): nonce = salt | IV,
 * IV = the 64-bit sequence number, AAD = SPI | seq (low) or SPI | seq high | seq low. */
static size_t
expected_aead(gnutls_cipher_algorithm_t cipher,
              const FerrySecret *enc,
              uint64_t seq,
              bool esn,
              const uint8_t *inner,
              size_t len,
              uint8_t *out)
{
	gnutls_aead_cipher_hd_t h;
	size_t key_len = enc->len - 4;
	gnutls_datum_t key = {enc->data, (unsigned)key_len};
	uint8_t nonce[12], aad[12], pt[BUF_CAP];
	size_t pt_len, ct_len = BUF_CAP, aad_len;

	ferry_put_be32(out, SPI);
	ferry_put_be32(out + 4, (uint32_t)seq);
	ferry_put_be64(out + 8, seq);
	memcpy(nonce, enc->data + key_len, 4);
	ferry_put_be64(nonce + 4, seq);
	ferry_put_be32(aad, SPI);
	if (esn) {
		ferry_put_be64(aad + 4, seq);
		aad_len = 12;
	} else {
		ferry_put_be32(aad + 4, (uint32_t)seq);
		aad_len = 8;
	}
	pt_len = build_plaintext(pt, inner, len, 4, NH_IPV4);
	g_assert_cmpint(gnutls_aead_cipher_init(&h, cipher, &key), ==, 0);
	g_assert_cmpint(gnutls_aead_cipher_encrypt(h, nonce, sizeof(nonce), aad, aad_len, 16, pt,
	                                           pt_len, out + 16, &ct_len),
	                ==, 0);
	gnutls_aead_cipher_deinit(h);
	return 16 + ct_len;
}

static const uint8_t kat_iv[16] = {0xf0, 0xe1, 0xd2, 0xc3, 0xb4, 0xa5, 0x96, 0x87,
                                   0x78, 0x69, 0x5a, 0x4b, 0x3c, 0x2d, 0x1e, 0x0f};

static void
fixed_iv_fill(void *user_data, CryptoRngLevel level, uint8_t *out, size_t len)
{
	for (size_t i = 0; i < len; i++)
		out[i] = kat_iv[i % sizeof(kat_iv)];
}

/* RFC 3602 (AES-CBC ESP) with RFC 4868 HMAC-SHA2: ICV = HMAC(SPI | seq | IV | ct [| seq hi])
 * truncated (RFC 4303 §2.2.1 for the ESN bits). */
static size_t
expected_cbc(const Keys *k,
             gnutls_mac_algorithm_t mac,
             uint64_t seq,
             bool esn,
             const uint8_t *inner,
             size_t len,
             uint8_t *out)
{
	gnutls_cipher_hd_t ch;
	gnutls_hmac_hd_t mh;
	gnutls_datum_t key = {k->enc->data, (unsigned)k->enc->len};
	gnutls_datum_t iv = {(void *)kat_iv, 16};
	uint8_t digest[64], hi[4];
	size_t ct_len;

	ferry_put_be32(out, SPI);
	ferry_put_be32(out + 4, (uint32_t)seq);
	memcpy(out + 8, kat_iv, 16);
	ct_len = build_plaintext(out + 24, inner, len, 16, NH_IPV4);
	g_assert_cmpint(gnutls_cipher_init(&ch,
	                                   k->enc->len == 16 ? GNUTLS_CIPHER_AES_128_CBC
	                                                     : GNUTLS_CIPHER_AES_256_CBC,
	                                   &key, &iv),
	                ==, 0);
	g_assert_cmpint(gnutls_cipher_encrypt(ch, out + 24, ct_len), ==, 0);
	gnutls_cipher_deinit(ch);
	g_assert_cmpint(gnutls_hmac_init(&mh, mac, k->integ->data, k->integ->len), ==, 0);
	g_assert_cmpint(gnutls_hmac(mh, out, 24 + ct_len), ==, 0);
	if (esn) {
		ferry_put_be32(hi, (uint32_t)(seq >> 32));
		g_assert_cmpint(gnutls_hmac(mh, hi, 4), ==, 0);
	}
	gnutls_hmac_deinit(mh, digest);
	memcpy(out + 24 + ct_len, digest, k->sizes.icv_len);
	return 24 + ct_len + k->sizes.icv_len;
}

typedef struct {
	const char *name;
	CryptoXformAlg alg;
	gnutls_cipher_algorithm_t aead;
	gnutls_mac_algorithm_t mac;
} KatCase;

static const KatCase kats[] = {
	{"aes-gcm-16-128",
         {IKE_ENCR_AES_GCM_16, 128, IKE_INTEG_NONE},
         GNUTLS_CIPHER_AES_128_GCM,       GNUTLS_MAC_UNKNOWN},
	{"aes-gcm-16-256",
         {IKE_ENCR_AES_GCM_16, 256, IKE_INTEG_NONE},
         GNUTLS_CIPHER_AES_256_GCM,       GNUTLS_MAC_UNKNOWN},
	{"chacha20-poly1305",
         {IKE_ENCR_CHACHA20_POLY1305, 256, IKE_INTEG_NONE},
         GNUTLS_CIPHER_CHACHA20_POLY1305, GNUTLS_MAC_UNKNOWN},
	{"aes-cbc-128-sha256",
         {IKE_ENCR_AES_CBC, 128, IKE_INTEG_HMAC_SHA2_256_128},
         GNUTLS_CIPHER_UNKNOWN,           GNUTLS_MAC_SHA256 },
	{"aes-cbc-256-sha512",
         {IKE_ENCR_AES_CBC, 256, IKE_INTEG_HMAC_SHA2_512_256},
         GNUTLS_CIPHER_UNKNOWN,           GNUTLS_MAC_SHA512 },
};

static void
test_known_answer(gconstpointer data)
{
	const KatCase *c = data;
	/* seq 1 without ESN; with ESN a number whose high half is not zero */
	const uint64_t seqs[2] = {1, G_GUINT64_CONSTANT(0x0000000500000003)};

	crypto_rng_set_source(fixed_iv_fill, NULL);
	for (int esn = 0; esn <= 1; esn++) {
		for (size_t len = 20; len <= 60; len += 13) {
			Keys k;
			EspSa *out;
			uint8_t inner[BUF_CAP], got[BUF_CAP], want[BUF_CAP];
			size_t got_len, want_len;

			keys_init(&k, &c->alg, 0x5a);
			out = sa_new(&k, ESP_DIR_OUT, esn);
			out->seq_out = seqs[esn] - 1;
			fill_inner(inner, len, 4, (uint8_t)len);
			got_len = seal_one(out, len, 4, got);
			if (c->aead != GNUTLS_CIPHER_UNKNOWN)
				want_len = expected_aead(c->aead, k.enc, seqs[esn], esn, inner, len,
				                         want);
			else
				want_len =
					expected_cbc(&k, c->mac, seqs[esn], esn, inner, len, want);
			g_assert_cmpmem(got, got_len, want, want_len);
			esp_sa_free(out);
			keys_clear(&k);
		}
	}
	ferry_test_rng_install(4303);
}

/* ---- tampering --------------------------------------------------------------------- */

/* Build an ESP packet around an arbitrary plaintext (trailer included), with a valid ICV,
 * through the crypto layer directly: how a peer holding the keys could misbehave. */
static size_t
craft(const Keys *k, uint64_t seq, bool esn, const uint8_t *pt, size_t pt_len, uint8_t *out)
{
	CryptoXform *x;
	size_t front = 8 + k->sizes.iv_len;
	uint8_t aad[12], hi[4];
	const uint8_t *a = out, *extra = NULL;
	size_t a_len = 8, extra_len = 0;

	g_assert_cmpint(crypto_xform_new(&k->alg, k->enc->data, k->enc->len,
	                                 k->integ ? k->integ->data : NULL,
	                                 k->integ ? k->integ->len : 0, &x),
	                ==, CRYPTO_OK);
	ferry_put_be32(out, SPI);
	ferry_put_be32(out + 4, (uint32_t)seq);
	if (k->sizes.aead)
		ferry_put_be64(out + 8, seq);
	else
		memset(out + 8, 0x42, k->sizes.iv_len);
	memcpy(out + front, pt, pt_len);
	if (esn && k->sizes.aead) {
		ferry_put_be32(aad, SPI);
		ferry_put_be64(aad + 4, seq);
		a = aad;
		a_len = 12;
	} else if (esn) {
		ferry_put_be32(hi, (uint32_t)(seq >> 32));
		extra = hi;
		extra_len = 4;
	}
	g_assert_cmpint(crypto_xform_seal(x, a, a_len, out + 8, out + front, pt_len, extra,
	                                  extra_len, out + front + pt_len),
	                ==, CRYPTO_OK);
	crypto_xform_free(x);
	return front + pt_len + k->sizes.icv_len;
}

typedef struct {
	Keys k;
	EspSa *in;
	EspSa *out;
	bool esn;
} Fixture;

static void
fixture_setup(Fixture *f, gconstpointer data)
{
	const AlgCase *c = data;

	keys_init(&f->k, &c->alg, 0x77);
	f->esn = true;
	f->in = sa_new(&f->k, ESP_DIR_IN, f->esn);
	f->out = sa_new(&f->k, ESP_DIR_OUT, f->esn);
	/* A few packets through first, so the window has state to preserve. */
	for (int i = 0; i < 3; i++) {
		uint8_t pkt[BUF_CAP];
		size_t plen = seal_one(f->out, 60, 4, pkt), ioff, ilen;
		uint8_t nh;

		g_assert_cmpint(esp_open(f->in, pkt, plen, &ioff, &ilen, &nh), ==, ESP_OK);
	}
}

static void
fixture_teardown(Fixture *f, gconstpointer data)
{
	esp_sa_free(f->in);
	esp_sa_free(f->out);
	keys_clear(&f->k);
}

/* Open a packet that must fail with `want`: exactly that counter moves, the packet and
 * the window stay as they were. */
static void
assert_dropped(Fixture *f, uint8_t *pkt, size_t len, EspStatus want)
{
	EspSaStats before = *esp_sa_get_stats(f->in);
	EspReplay window = f->in->replay;
	uint8_t copy[BUF_CAP];
	size_t ioff = 0, ilen = 0;
	uint8_t nh = 0;
	EspStatus st;

	memcpy(copy, pkt, len);
	st = esp_open(f->in, pkt, len, &ioff, &ilen, &nh);
	if (st != want)
		g_error("expected %s, got %s", esp_status_to_string(want),
		        esp_status_to_string(st));
	g_assert_cmpmem(pkt, len, copy, len);
	g_assert_true(memcmp(&window, &f->in->replay, sizeof(window)) == 0);
	for (int s = 0; s < ESP_STATUS_COUNT; s++)
		g_assert_cmpuint(esp_sa_get_stats(f->in)->dropped[s], ==,
		                 before.dropped[s] + (s == (int)want));
	g_assert_cmpuint(esp_sa_get_stats(f->in)->packets, ==, before.packets);
}

static void
assert_opens(Fixture *f, uint8_t *pkt, size_t len)
{
	size_t ioff, ilen;
	uint8_t nh;

	g_assert_cmpint(esp_open(f->in, pkt, len, &ioff, &ilen, &nh), ==, ESP_OK);
}

static void
test_tamper_header_icv(Fixture *f, gconstpointer data)
{
	uint8_t good[BUF_CAP], pkt[BUF_CAP];
	size_t len = seal_one(f->out, 100, 4, good);

	/* Every bit of the ICV, the IV and the ciphertext is covered. */
	for (size_t i = 8; i < len; i++) {
		memcpy(pkt, good, len);
		pkt[i] ^= (uint8_t)(1u << (i % 8));
		assert_dropped(f, pkt, len, ESP_ERR_INTEGRITY);
	}
	/* The sequence number too (still new, so the ICV decides). */
	memcpy(pkt, good, len);
	ferry_put_be32(pkt + 4, ferry_get_be32(pkt + 4) + 1);
	assert_dropped(f, pkt, len, ESP_ERR_INTEGRITY);
	/* A different SPI never reaches the ICV. */
	memcpy(pkt, good, len);
	pkt[3] ^= 1;
	assert_dropped(f, pkt, len, ESP_ERR_SPI);

	/* The untouched packet still opens once, then is a replay. */
	memcpy(pkt, good, len);
	assert_opens(f, pkt, len);
	memcpy(pkt, good, len);
	assert_dropped(f, pkt, len, ESP_ERR_REPLAY);
}

static void
test_tamper_trailer(Fixture *f, gconstpointer data)
{
	const size_t align = f->in->align;
	uint8_t inner[64], pt[BUF_CAP], pkt[BUF_CAP];
	uint64_t seq = esp_sa_get_seq_out(f->out) + 1;
	size_t n, len;

	fill_inner(inner, 40, 4, 1);

	/* RFC 4303 §2.4: pad bytes must read 1, 2, 3, ...  One extra unit of padding, so
	 * there are bytes to spoil whatever the alignment. */
	{
		size_t pad = (align - (40 + 2) % align) % align + align;

		memcpy(pt, inner, 40);
		for (size_t i = 0; i < pad; i++)
			pt[40 + i] = (uint8_t)(i + 1);
		pt[40 + pad] = (uint8_t)pad;
		pt[40 + pad + 1] = NH_IPV4;
		n = 40 + pad + 2;
		len = craft(&f->k, seq++, f->esn, pt, n, pkt);
		assert_opens(f, pkt, len);
		for (size_t i = 0; i < pad; i++) {
			pt[40 + i] ^= 0x80;
			len = craft(&f->k, seq++, f->esn, pt, n, pkt);
			assert_dropped(f, pkt, len, ESP_ERR_PADDING);
			pt[40 + i] ^= 0x80;
		}
	}
	/* Pad length larger than the data. */
	n = build_plaintext(pt, inner, 40, align, NH_IPV4);
	pt[n - 2] = (uint8_t)(n - 1);
	len = craft(&f->k, seq++, f->esn, pt, n, pkt);
	assert_dropped(f, pkt, len, ESP_ERR_PADDING);

	/* Next header: not IP in tunnel mode. */
	n = build_plaintext(pt, inner, 40, align, NH_TCP);
	len = craft(&f->k, seq++, f->esn, pt, n, pkt);
	assert_dropped(f, pkt, len, ESP_ERR_NEXT_HEADER);
	/* Next header IPv6 with an IPv4 packet inside. */
	n = build_plaintext(pt, inner, 40, align, NH_IPV6);
	len = craft(&f->k, seq++, f->esn, pt, n, pkt);
	assert_dropped(f, pkt, len, ESP_ERR_NEXT_HEADER);
	/* Next header IPv6 with neither version 6 nor 4 inside. */
	fill_inner(pt, 40, 5, 1);
	n = build_plaintext(pt, pt, 40, align, NH_IPV6);
	len = craft(&f->k, seq++, f->esn, pt, n, pkt);
	assert_dropped(f, pkt, len, ESP_ERR_NEXT_HEADER);
	/* IPv4 with nothing inside. */
	n = build_plaintext(pt, inner, 0, align, NH_IPV4);
	len = craft(&f->k, seq++, f->esn, pt, n, pkt);
	assert_dropped(f, pkt, len, ESP_ERR_NEXT_HEADER);

	/* All those numbers were left unused: a good packet with one of them opens. */
	n = build_plaintext(pt, inner, 40, align, NH_IPV4);
	len = craft(&f->k, seq - 1, f->esn, pt, n, pkt);
	assert_opens(f, pkt, len);
}

/* RFC 4303 §2.6: a dummy packet (next header 59) is authentic and dropped; its number is
 * used up, and it is counted. */
static void
test_dummy(Fixture *f, gconstpointer data)
{
	uint8_t inner[64], pt[BUF_CAP], pkt[BUF_CAP], copy[BUF_CAP];
	uint64_t seq = esp_sa_get_seq_out(f->out) + 1;
	size_t n, len, ioff, ilen;
	uint8_t nh;

	fill_inner(inner, 30, 4, 9);
	n = build_plaintext(pt, inner, 30, f->in->align, NH_DUMMY);
	len = craft(&f->k, seq, f->esn, pt, n, pkt);
	memcpy(copy, pkt, len);
	g_assert_cmpint(esp_open(f->in, pkt, len, &ioff, &ilen, &nh), ==, ESP_ERR_NEXT_HEADER);
	g_assert_cmpuint(esp_sa_get_stats(f->in)->dummy, ==, 1);
	g_assert_cmpuint(esp_sa_get_stats(f->in)->dropped[ESP_ERR_NEXT_HEADER], ==, 1);
	g_assert_cmpuint(f->in->replay.top, ==, seq);
	g_assert_cmpmem(pkt, len, copy, len);
	assert_dropped(f, pkt, len, ESP_ERR_REPLAY);
}

/* Every prefix of a valid packet is refused without touching anything; the whole packet
 * still opens afterwards. */
static void
test_truncation(Fixture *f, gconstpointer data)
{
	uint8_t good[BUF_CAP], pkt[BUF_CAP];
	size_t len = seal_one(f->out, 77, 4, good);
	const size_t min = esp_sa_headroom(f->in) + 2 + f->k.sizes.icv_len;

	for (size_t n = 0; n < len; n++) {
		EspStatus want;

		memcpy(pkt, good, len);
		if (n < min)
			want = ESP_ERR_TRUNCATED;
		else if ((n - esp_sa_headroom(f->in) - f->k.sizes.icv_len) %
		                 f->k.sizes.block_size !=
		         0)
			want = ESP_ERR_LENGTH;
		else
			want = ESP_ERR_INTEGRITY;
		assert_dropped(f, pkt, n, want);
	}
	memcpy(pkt, good, len);
	assert_opens(f, pkt, len);
}

/* ---- lifetimes, sequence numbers, parameters --------------------------------------- */

static void
test_lifetime(void)
{
	Keys k;
	EspSaParams p;
	EspSa *out, *in;
	uint8_t buf[BUF_CAP], pkts[4][BUF_CAP];
	size_t lens[4], off, plen, ioff, ilen;
	uint8_t nh;

	keys_init(&k, &algs[0].alg, 0x44);
	/* Packets: soft at 2, hard at 3. */
	p = params_for(&k, ESP_DIR_OUT, false);
	p.soft_packets = 2;
	p.hard_packets = 3;
	g_assert_cmpint(esp_sa_new(&p, &out), ==, ESP_OK);
	p.dir = ESP_DIR_IN;
	g_assert_cmpint(esp_sa_new(&p, &in), ==, ESP_OK);
	for (int i = 0; i < 3; i++) {
		g_assert_cmpint(esp_sa_soft_expired(out), ==, i >= 2);
		lens[i] = seal_one(out, 50, 4, pkts[i]);
	}
	g_assert_true(esp_sa_soft_expired(out));
	fill_inner(buf + HEADROOM, 50, 4, 0);
	g_assert_cmpint(esp_seal(out, buf, sizeof(buf), HEADROOM, 50, NH_IPV4, &off, &plen), ==,
	                ESP_ERR_LIFETIME);
	g_assert_cmpuint(esp_sa_get_seq_out(out), ==, 3);
	/* A fourth packet made by a peer that ignores the limit. */
	out->stats.packets = 0;
	lens[3] = seal_one(out, 50, 4, pkts[3]);
	for (int i = 0; i < 3; i++) {
		g_assert_cmpint(esp_sa_soft_expired(in), ==, i >= 2);
		g_assert_cmpint(esp_open(in, pkts[i], lens[i], &ioff, &ilen, &nh), ==, ESP_OK);
	}
	g_assert_true(esp_sa_soft_expired(in));
	g_assert_cmpint(esp_open(in, pkts[3], lens[3], &ioff, &ilen, &nh), ==, ESP_ERR_LIFETIME);
	g_assert_cmpuint(esp_sa_get_stats(in)->dropped[ESP_ERR_LIFETIME], ==, 1);
	esp_sa_free(out);
	esp_sa_free(in);

	/* Bytes: soft at 500, hard at 1000; 400-byte packets. */
	p = params_for(&k, ESP_DIR_OUT, false);
	p.soft_bytes = 500;
	p.hard_bytes = 1000;
	g_assert_cmpint(esp_sa_new(&p, &out), ==, ESP_OK);
	seal_one(out, 400, 4, pkts[0]);
	g_assert_false(esp_sa_soft_expired(out));
	seal_one(out, 400, 4, pkts[0]);
	g_assert_true(esp_sa_soft_expired(out));
	fill_inner(buf + HEADROOM, 400, 4, 0);
	g_assert_cmpint(esp_seal(out, buf, sizeof(buf), HEADROOM, 400, NH_IPV4, &off, &plen), ==,
	                ESP_ERR_LIFETIME);
	/* A smaller one still fits under the hard limit. */
	fill_inner(buf + HEADROOM, 200, 4, 0);
	g_assert_cmpint(esp_seal(out, buf, sizeof(buf), HEADROOM, 200, NH_IPV4, &off, &plen), ==,
	                ESP_OK);
	g_assert_cmpuint(esp_sa_get_stats(out)->bytes, ==, 1000);
	fill_inner(buf + HEADROOM, 1, 4, 0);
	g_assert_cmpint(esp_seal(out, buf, sizeof(buf), HEADROOM, 1, NH_IPV4, &off, &plen), ==,
	                ESP_ERR_LIFETIME);
	esp_sa_free(out);
	keys_clear(&k);
}

/* RFC 4303 §3.3.3: the counter must not cycle; the SA refuses before any reuse. */
static void
test_seq_exhausted(void)
{
	const struct {
		bool esn;
		uint64_t last;
	} cases[] = {
		{false, G_MAXUINT32},
                {true,  G_MAXUINT64}
        };
	Keys k;

	keys_init(&k, &algs[0].alg, 0x55);
	for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
		EspSa *out = sa_new(&k, ESP_DIR_OUT, cases[i].esn);
		uint8_t buf[BUF_CAP], pkt[BUF_CAP];
		size_t off, plen;

		out->seq_out = cases[i].last - 1;
		seal_one(out, 40, 4, pkt);
		g_assert_cmpuint(ferry_get_be32(pkt + 4), ==, (uint32_t)cases[i].last);
		g_assert_cmpuint(esp_sa_get_seq_out(out), ==, cases[i].last);
		for (int j = 0; j < 2; j++) {
			fill_inner(buf + HEADROOM, 40, 4, 0);
			g_assert_cmpint(
				esp_seal(out, buf, sizeof(buf), HEADROOM, 40, NH_IPV4, &off, &plen),
				==, ESP_ERR_SEQ_EXHAUSTED);
		}
		g_assert_cmpuint(esp_sa_get_seq_out(out), ==, cases[i].last);
		esp_sa_free(out);
	}
	/* With ESN, 2^32 - 1 is followed by 2^32 (0 on the wire). */
	{
		EspSa *out = sa_new(&k, ESP_DIR_OUT, true);
		uint8_t pkt[BUF_CAP];

		out->seq_out = G_MAXUINT32;
		seal_one(out, 40, 4, pkt);
		g_assert_cmpuint(ferry_get_be32(pkt + 4), ==, 0);
		g_assert_cmpuint(esp_sa_get_seq_out(out), ==, SUBSPACE);
		esp_sa_free(out);
	}
	keys_clear(&k);
}

static void
test_seal_bounds(gconstpointer data)
{
	const AlgCase *c = data;
	Keys k;
	EspSa *out;
	uint8_t buf[BUF_CAP];
	size_t off, plen, front, tail;

	keys_init(&k, &c->alg, 0x66);
	out = sa_new(&k, ESP_DIR_OUT, false);
	front = esp_sa_headroom(out);
	tail = esp_sa_tailroom(out);
	g_assert_cmpuint(esp_sa_overhead(out), ==, front + tail);
	/* Exactly enough room works for every length modulo the alignment. */
	for (size_t len = 20; len < 20 + 2 * out->align; len++) {
		size_t pad = (out->align - (len + 2) % out->align) % out->align;
		size_t cap = front + len + pad + 2 + k.sizes.icv_len;

		fill_inner(buf + front, len, 4, 0);
		g_assert_cmpint(esp_seal(out, buf, cap, front, len, NH_IPV4, &off, &plen), ==,
		                ESP_OK);
		g_assert_cmpuint(off, ==, 0);
		g_assert_cmpuint(plen, ==, cap);
		g_assert_cmpuint(plen - len, <=, esp_sa_overhead(out));
		fill_inner(buf + front, len, 4, 0);
		g_assert_cmpint(esp_seal(out, buf, cap - 1, front, len, NH_IPV4, &off, &plen), ==,
		                ESP_ERR_LENGTH);
		g_assert_cmpint(
			esp_seal(out, buf + 1, cap - 1, front - 1, len, NH_IPV4, &off, &plen), ==,
			ESP_ERR_LENGTH);
	}
	/* Failed seals used no sequence number. */
	g_assert_cmpuint(esp_sa_get_seq_out(out), ==, 2 * out->align);
	g_assert_cmpint(esp_seal(out, buf, sizeof(buf), sizeof(buf) + 1, 0, NH_IPV4, &off, &plen),
	                ==, ESP_ERR_LENGTH);
	/* Tunnel mode: the next header must name the inner version. */
	fill_inner(buf + HEADROOM, 40, 6, 0);
	g_assert_cmpint(esp_seal(out, buf, sizeof(buf), HEADROOM, 40, NH_IPV4, &off, &plen), ==,
	                ESP_ERR_NEXT_HEADER);
	g_assert_cmpint(esp_seal(out, buf, sizeof(buf), HEADROOM, 40, NH_TCP, &off, &plen), ==,
	                ESP_ERR_NEXT_HEADER);
	esp_sa_free(out);
	keys_clear(&k);
}

static void
test_params(void)
{
	Keys k;
	EspSaParams p;
	static int sentinel;
	EspSa *sa = (EspSa *)&sentinel;
	uint8_t pkt[64] = {0};
	size_t off, len;
	uint8_t nh;

	keys_init(&k, &algs[0].alg, 0x12);
	p = params_for(&k, ESP_DIR_OUT, false);
	p.proto = ESP_PROTO_AH; /* RFC 3948: AH cannot be UDP-encapsulated */
	g_assert_cmpint(esp_sa_new(&p, &sa), ==, ESP_ERR_UNSUPPORTED);
	g_assert_null(sa);
	p = params_for(&k, ESP_DIR_OUT, false);
	p.spi = 0;
	g_assert_cmpint(esp_sa_new(&p, &sa), ==, ESP_ERR_SPI);
	p = params_for(&k, ESP_DIR_OUT, false);
	p.alg.encr_id = IKE_ENCR_3DES;
	g_assert_cmpint(esp_sa_new(&p, &sa), ==, ESP_ERR_UNSUPPORTED);
	p = params_for(&k, ESP_DIR_OUT, false);
	p.alg.key_bits = 100;
	g_assert_cmpint(esp_sa_new(&p, &sa), !=, ESP_OK);
	g_assert_null(sa);

	/* An SA works in its own direction only. */
	p = params_for(&k, ESP_DIR_OUT, false);
	g_assert_cmpint(esp_sa_new(&p, &sa), ==, ESP_OK);
	g_assert_cmpuint(esp_sa_get_spi(sa), ==, SPI);
	g_assert_cmpint(esp_open(sa, pkt, sizeof(pkt), &off, &len, &nh), ==, ESP_ERR_UNSUPPORTED);
	esp_sa_free(sa);
	p.dir = ESP_DIR_IN;
	g_assert_cmpint(esp_sa_new(&p, &sa), ==, ESP_OK);
	g_assert_cmpint(esp_seal(sa, pkt, sizeof(pkt), 16, 20, NH_IPV4, &off, &len), ==,
	                ESP_ERR_UNSUPPORTED);
	esp_sa_free(sa);
	esp_sa_free(NULL);

	ferry_put_be32(pkt, SPI);
	g_assert_cmpuint(esp_packet_spi(pkt, 8), ==, SPI);
	g_assert_cmpuint(esp_packet_spi(pkt, 7), ==, 0);
	for (int st = 0; st < ESP_STATUS_COUNT; st++)
		g_assert_cmpstr(esp_status_to_string(st), !=, "unknown");
	keys_clear(&k);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	ferry_test_rng_install(4303);
	for (size_t i = 0; i < G_N_ELEMENTS(algs); i++) {
		const AlgCase *c = &algs[i];
		char *path;

#define ADD_FIXTURE(what, fn)                                                                      \
	path = g_strdup_printf("/ferry/esp/seal/" what "/%s", c->name);                            \
	g_test_add(path, Fixture, c, fixture_setup, fn, fixture_teardown);                         \
	g_free(path)

		path = g_strdup_printf("/ferry/esp/seal/roundtrip/%s", c->name);
		g_test_add_data_func(path, c, test_roundtrip);
		g_free(path);
		path = g_strdup_printf("/ferry/esp/seal/roundtrip-esn/%s", c->name);
		g_test_add_data_func(path, c, test_roundtrip_esn);
		g_free(path);
		path = g_strdup_printf("/ferry/esp/seal/esn-high-bits/%s", c->name);
		g_test_add_data_func(path, c, test_esn_high_bits_authenticated);
		g_free(path);
		path = g_strdup_printf("/ferry/esp/seal/bounds/%s", c->name);
		g_test_add_data_func(path, c, test_seal_bounds);
		g_free(path);
		ADD_FIXTURE("tamper-header-icv", test_tamper_header_icv);
		ADD_FIXTURE("tamper-trailer", test_tamper_trailer);
		ADD_FIXTURE("dummy", test_dummy);
		ADD_FIXTURE("truncation", test_truncation);
#undef ADD_FIXTURE
	}
	for (size_t i = 0; i < G_N_ELEMENTS(kats); i++) {
		char *path = g_strdup_printf("/ferry/esp/seal/known-answer/%s", kats[i].name);

		g_test_add_data_func(path, &kats[i], test_known_answer);
		g_free(path);
	}
	g_test_add_func("/ferry/esp/seal/transport", test_transport);
	g_test_add_func("/ferry/esp/seal/lifetime", test_lifetime);
	g_test_add_func("/ferry/esp/seal/seq-exhausted", test_seq_exhausted);
	g_test_add_func("/ferry/esp/seal/params", test_params);
	return g_test_run();
}
