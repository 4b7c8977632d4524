/* SPDX-License-Identifier: GPL-2.0-or-later */
/* test-wire-sk.c - SK (RFC 7296 §3.14, RFC 5282) and SKF (RFC 7383) framing
 *
 * Round trips with AES-GCM-16 and AES-CBC + HMAC-SHA2-256-128, each message also checked
 * against GnuTLS directly: for AEAD the AAD is the IKE header through the SK generic
 * header and the IV is not part of it; for CBC the ICV is HMAC over header..ciphertext.
 */
#include <glib.h>
#include <gnutls/crypto.h>
#include <string.h>

#include "crypto-xform.h"
#include "ferry-test.h"
#include "ike-sk.h"
#include "wire-test.h"

#define GCM_SALT_LEN 4
#define GCM_IV_LEN   8
#define CBC_IV_LEN   16
#define ICV_LEN      16

static const uint8_t enc_key[36] = {0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09,
                                    0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f, 0x10, 0x11, 0x12,
                                    0x13, 0x14, 0x15, 0x16, 0x17, 0x18, 0x19, 0x1a, 0x1b,
                                    0x1c, 0x1d, 0x1e, 0x1f, 0x20, 0xca, 0xfe, 0xba, 0xbe};
static const uint8_t integ_key[32] = {0x41, 0x42, 0x43, 0x44, 0x45, 0x46, 0x47, 0x48,
                                      0x49, 0x4a, 0x4b, 0x4c, 0x4d, 0x4e, 0x4f, 0x50,
                                      0x51, 0x52, 0x53, 0x54, 0x55, 0x56, 0x57, 0x58,
                                      0x59, 0x5a, 0x5b, 0x5c, 0x5d, 0x5e, 0x5f, 0x60};

typedef struct {
	const char *name;
	CryptoXformAlg alg;
} Suite;

static const Suite suites[] = {
	{"aes-gcm-16-256",            {IKE_ENCR_AES_GCM_16, 256, IKE_INTEG_NONE}          },
	{"aes-cbc-256-hmac-sha2-256", {IKE_ENCR_AES_CBC, 256, IKE_INTEG_HMAC_SHA2_256_128}},
};

G_DEFINE_AUTOPTR_CLEANUP_FUNC(IkeMessage, g_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(CryptoXform, crypto_xform_free)

static CryptoXform *
new_xform(const CryptoXformAlg *alg)
{
	CryptoXformSizes sz;
	CryptoXform *x = NULL;

	g_assert_cmpint(crypto_xform_sizes(alg, &sz), ==, CRYPTO_OK);
	g_assert_cmpint(
		crypto_xform_new(alg, enc_key, sz.enc_key_len, integ_key, sz.integ_key_len, &x), ==,
		CRYPTO_OK);
	return x;
}

static const IkeHeader auth_hdr = {
	.spi_i = G_GUINT64_CONSTANT(0x0102030405060708),
	.spi_r = G_GUINT64_CONSTANT(0x1112131415161718),
	.version = IKE_VERSION,
	.exchange = IKE_EXCHANGE_IKE_AUTH,
	.flags = IKE_FLAG_INITIATOR,
	.message_id = 1,
};

/* IDi, [CERT of cert_len bytes], AUTH, N(INITIAL_CONTACT): an IKE_AUTH request's inner chain */
static size_t
build_inner(IkePayload *p, size_t cert_len)
{
	static uint8_t cert[4000];
	static const uint8_t auth[32] = {0x77};
	size_t n = 0;

	for (size_t i = 0; i < sizeof(cert); i++)
		cert[i] = (uint8_t)(i * 7 + 3);
	memset(p, 0, 4 * sizeof(*p));
	p[n].type = IKE_PAYLOAD_IDI;
	p[n].u.id.id_type = IKE_ID_FQDN;
	p[n++].u.id.data = FERRY_SPAN("client.example.com", 18);
	if (cert_len) {
		p[n].type = IKE_PAYLOAD_CERT;
		p[n].u.cert.encoding = IKE_CERT_X509_SIGNATURE;
		p[n++].u.cert.data = FERRY_SPAN(cert, cert_len);
	}
	p[n].type = IKE_PAYLOAD_AUTH;
	p[n].u.auth.method = IKE_AUTH_PSK;
	p[n++].u.auth.data = FERRY_SPAN(auth, sizeof(auth));
	p[n].type = IKE_PAYLOAD_NOTIFY;
	p[n++].u.notify.type = IKE_NOTIFY_INITIAL_CONTACT;
	return n;
}

static gsize
encode_chain(const IkePayload *p, size_t n, uint8_t *out, size_t cap)
{
	size_t len = 0;

	g_assert_cmpint(ike_message_encode_chain(p, n, out, cap, &len, NULL), ==, IKE_WIRE_OK);
	return len;
}

/* Verify the message with GnuTLS alone and return its decrypted padded plaintext. */
static GBytes *
open_independently(const CryptoXformAlg *alg, const uint8_t *m, gsize len, gsize aad_len)
{
	gsize ct_len;
	g_autofree uint8_t *plain = NULL;

	if (alg->encr_id == IKE_ENCR_AES_GCM_16) {
		gnutls_aead_cipher_hd_t h;
		gnutls_datum_t key = {(unsigned char *)enc_key, 32};
		uint8_t nonce[GCM_SALT_LEN + GCM_IV_LEN];
		size_t plain_len;

		ct_len = len - aad_len - GCM_IV_LEN;
		memcpy(nonce, enc_key + 32, GCM_SALT_LEN);
		memcpy(nonce + GCM_SALT_LEN, m + aad_len, GCM_IV_LEN);
		plain = g_malloc(ct_len);
		plain_len = ct_len;
		g_assert_cmpint(gnutls_aead_cipher_init(&h, GNUTLS_CIPHER_AES_256_GCM, &key), ==,
		                0);
		/* RFC 5282 §5.1: AAD = IKE header .. SK header; ciphertext || tag after the IV */
		g_assert_cmpint(gnutls_aead_cipher_decrypt(h, nonce, sizeof(nonce), m, aad_len,
		                                           ICV_LEN, m + aad_len + GCM_IV_LEN,
		                                           ct_len, plain, &plain_len),
		                ==, 0);
		gnutls_aead_cipher_deinit(h);
		return g_bytes_new(plain, plain_len);
	}
	{
		gnutls_cipher_hd_t c;
		gnutls_datum_t key = {(unsigned char *)enc_key, 32};
		gnutls_datum_t iv = {(unsigned char *)m + aad_len, CBC_IV_LEN};
		uint8_t mac[32];

		/* RFC 7296 §3.14: the ICV covers the message up to the ICV itself */
		g_assert_cmpint(
			gnutls_hmac_fast(GNUTLS_MAC_SHA256, integ_key, 32, m, len - ICV_LEN, mac),
			==, 0);
		g_assert_cmpmem(mac, ICV_LEN, m + len - ICV_LEN, ICV_LEN);
		ct_len = len - aad_len - CBC_IV_LEN - ICV_LEN;
		g_assert_cmpuint(ct_len % 16, ==, 0);
		plain = g_malloc(ct_len);
		g_assert_cmpint(gnutls_cipher_init(&c, GNUTLS_CIPHER_AES_256_CBC, &key, &iv), ==,
		                0);
		g_assert_cmpint(
			gnutls_cipher_decrypt2(c, m + aad_len + CBC_IV_LEN, ct_len, plain, ct_len),
			==, 0);
		gnutls_cipher_deinit(c);
		return g_bytes_new(plain, ct_len);
	}
}

static void
test_sk_round_trip(gconstpointer data)
{
	const Suite *s = data;
	g_autoptr(CryptoXform) seal = new_xform(&s->alg);
	g_autoptr(CryptoXform) open = new_xform(&s->alg);
	const CryptoXformSizes *sz = crypto_xform_get_sizes(seal);
	g_autoptr(IkeMessage) msg = g_new0(IkeMessage, 1);
	IkePayload inner[4];
	size_t n = build_inner(inner, 0);
	uint8_t chain[512], out[1024], again[512];
	gsize chain_len = encode_chain(inner, n, chain, sizeof(chain));
	gsize padded = (chain_len + 1 + sz->block_size - 1) / sz->block_size * sz->block_size;
	size_t out_len = 0;
	g_autoptr(GBytes) plain = NULL;
	const uint8_t *pt;

	ferry_test_rng_install(7);
	g_assert_cmpint(ike_sk_encode(&auth_hdr, inner, n, seal, out, sizeof(out), &out_len), ==,
	                IKE_WIRE_OK);
	ferry_test_rng_remove();
	/* header | SK header | IV | chain, padding, pad length | ICV */
	g_assert_cmpuint(out_len, ==, IKE_HEADER_LEN + 4 + sz->iv_len + padded + sz->icv_len);
	g_assert_cmpuint(out[16], ==, IKE_PAYLOAD_SK);
	g_assert_cmpuint(ferry_get_be32(out + 24), ==, out_len);
	g_assert_cmpuint(out[IKE_HEADER_LEN], ==, IKE_PAYLOAD_IDI);
	g_assert_cmpuint(ferry_get_be16(out + IKE_HEADER_LEN + 2), ==, out_len - IKE_HEADER_LEN);
	g_assert_null(memmem(out, out_len, "client.example.com", 18));

	plain = open_independently(&s->alg, out, out_len, IKE_HEADER_LEN + 4);
	pt = g_bytes_get_data(plain, NULL);
	g_assert_cmpuint(g_bytes_get_size(plain), ==, padded);
	g_assert_cmpmem(pt, chain_len, chain, chain_len);
	g_assert_cmpuint(pt[padded - 1], ==, padded - chain_len - 1);

	g_assert_cmpint(ike_message_decode(out, out_len, msg), ==, IKE_WIRE_OK);
	g_assert_cmpuint(msg->n_payloads, ==, 1);
	g_assert_cmpuint(msg->sk_first_payload, ==, IKE_PAYLOAD_IDI);
	g_assert_cmpuint(msg->sk_header_end, ==, IKE_HEADER_LEN + 4);
	g_assert_cmpint(ike_sk_decode(open, out, out_len, msg), ==, IKE_WIRE_OK);
	g_assert_cmpuint(msg->n_payloads, ==, 1 + n);
	g_assert_true(msg->payloads[1].in_sk);
	g_assert_cmpmem(again, encode_chain(msg->payloads + 1, n, again, sizeof(again)), chain,
	                chain_len);

	/* too small an output buffer at any size is refused */
	for (size_t cap = 0; cap < out_len; cap += 7)
		g_assert_cmpint(ike_sk_encode(&auth_hdr, inner, n, seal, out, cap, &out_len), ==,
		                IKE_WIRE_NO_SPACE);
}

/* Any changed bit, in the header, the SK header, the IV, the ciphertext or the ICV, is an
 * integrity failure (§2.21.2: dropped without a response). */
static void
test_sk_tampered(gconstpointer data)
{
	const Suite *s = data;
	g_autoptr(CryptoXform) x = new_xform(&s->alg);
	g_autoptr(IkeMessage) msg = g_new0(IkeMessage, 1);
	IkePayload inner[4];
	size_t n = build_inner(inner, 0);
	uint8_t good[1024];
	size_t len = 0;

	g_assert_cmpint(ike_sk_encode(&auth_hdr, inner, n, x, good, sizeof(good), &len), ==,
	                IKE_WIRE_OK);
	for (size_t i = 0; i < len; i++) {
		g_autofree uint8_t *m = g_memdup2(good, len);

		m[i] ^= 0x01;
		if (ike_message_decode(m, len, msg) != IKE_WIRE_OK)
			continue; /* e.g. the version or a length: the decoder refuses it first */
		g_assert_cmpint(ike_sk_decode(x, m, len, msg), ==, IKE_WIRE_INTEGRITY);
		g_assert_cmpuint(msg->n_payloads, ==, 1);
	}
	/* the ICV's last byte specifically */
	good[len - 1] ^= 0x80;
	g_assert_cmpint(ike_message_decode(good, len, msg), ==, IKE_WIRE_OK);
	g_assert_cmpint(ike_sk_decode(x, good, len, msg), ==, IKE_WIRE_INTEGRITY);
	g_assert_cmpuint(ike_wire_status_to_notify(IKE_WIRE_INTEGRITY), ==, 0);
}

/* Seal `plain` (already padded, pad length last) as an SK message by hand. */
static gsize
seal_raw(CryptoXform *x, const uint8_t *plain, gsize plain_len, uint8_t *out)
{
	const CryptoXformSizes *sz = crypto_xform_get_sizes(x);
	gsize len = IKE_HEADER_LEN + 4 + sz->iv_len + plain_len + sz->icv_len;
	IkeHeader h = auth_hdr;
	uint8_t *data = out + IKE_HEADER_LEN + 4 + sz->iv_len;

	h.next_payload = IKE_PAYLOAD_SK;
	h.length = (uint32_t)len;
	ike_header_encode(&h, out);
	out[IKE_HEADER_LEN] = IKE_PAYLOAD_NOTIFY;
	out[IKE_HEADER_LEN + 1] = 0;
	ferry_put_be16(out + IKE_HEADER_LEN + 2, (uint16_t)(len - IKE_HEADER_LEN));
	memset(out + IKE_HEADER_LEN + 4, 0x5a, sz->iv_len);
	memcpy(data, plain, plain_len);
	g_assert_cmpint(crypto_xform_seal(x, out, IKE_HEADER_LEN + 4, out + IKE_HEADER_LEN + 4,
	                                  data, plain_len, NULL, 0, data + plain_len),
	                ==, CRYPTO_OK);
	return len;
}

/* Authentic but malformed contents are syntax errors, not integrity failures. */
static void
test_sk_bad_padding(void)
{
	g_autoptr(CryptoXform) x = new_xform(&suites[1].alg);
	g_autoptr(IkeMessage) msg = g_new0(IkeMessage, 1);
	/* N(INITIAL_CONTACT) (8 bytes), 7 bytes of padding, Pad Length */
	uint8_t plain[16] = {0, 0, 0, 8, 0, 0, 0x40, 0, 0, 0, 0, 0, 0, 0, 0, 7};
	uint8_t m[256];
	gsize len;

	len = seal_raw(x, plain, 16, m);
	g_assert_cmpint(ike_message_decode(m, len, msg), ==, IKE_WIRE_OK);
	g_assert_cmpint(ike_sk_decode(x, m, len, msg), ==, IKE_WIRE_OK);
	g_assert_cmpuint(msg->payloads[1].u.notify.type, ==, IKE_NOTIFY_INITIAL_CONTACT);

	/* Pad Length 16 runs past the start of the plaintext */
	plain[15] = 16;
	len = seal_raw(x, plain, 16, m);
	g_assert_cmpint(ike_message_decode(m, len, msg), ==, IKE_WIRE_OK);
	g_assert_cmpint(ike_sk_decode(x, m, len, msg), ==, IKE_WIRE_INVALID_SYNTAX);

	/* Pad Length 8 cuts the notify in half */
	plain[15] = 8;
	len = seal_raw(x, plain, 16, m);
	g_assert_cmpint(ike_message_decode(m, len, msg), ==, IKE_WIRE_OK);
	g_assert_cmpint(ike_sk_decode(x, m, len, msg), ==, IKE_WIRE_BAD_LENGTH);
}

static void
test_sk_short(void)
{
	g_autoptr(CryptoXform) x = new_xform(&suites[0].alg);
	g_autoptr(IkeMessage) msg = g_new0(IkeMessage, 1);
	/* SK payload with 20 bytes: less than IV (8) + ICV (16) + Pad Length */
	g_autoptr(WireTestBuf) m =
		wire_test_hex("0102030405060708 1112131415161718 2e 20 23 08 00000001 00000034"
	                      "29 00 0018 000102030405060708090a0b0c0d0e0f10111213");
	g_autoptr(WireTestBuf) clear =
		wire_test_hex("0102030405060708 1112131415161718 29 20 23 08 00000001 00000024"
	                      "00 00 0008 00 00 4000");

	g_assert_cmpint(ike_message_decode(m->bytes->data, m->bytes->len, msg), ==, IKE_WIRE_OK);
	g_assert_cmpint(ike_sk_decode(x, m->bytes->data, m->bytes->len, msg), ==,
	                IKE_WIRE_INTEGRITY);
	/* no SK payload at all */
	g_assert_cmpint(ike_message_decode(clear->bytes->data, clear->bytes->len, msg), ==,
	                IKE_WIRE_OK);
	g_assert_cmpint(ike_sk_decode(x, clear->bytes->data, clear->bytes->len, msg), ==,
	                IKE_WIRE_INVALID_SYNTAX);
}

/* ---- fragments ---- */

#define FRAG_MAX 64
#define FRAG_CAP 8192
#define FRAG_MTU 400
#define CERT_LEN 1500

typedef struct {
	uint8_t *bufs[FRAG_MAX];
	size_t lens[FRAG_MAX];
	size_t n;
	uint8_t chain[FRAG_CAP];
	size_t chain_len;
} Fragments;

static Fragments *
make_fragments(CryptoXform *x, size_t mtu, uint32_t message_id)
{
	Fragments *f = g_new0(Fragments, 1);
	IkePayload inner[4];
	size_t n = build_inner(inner, CERT_LEN);
	IkeHeader h = auth_hdr;

	h.message_id = message_id;
	for (size_t i = 0; i < FRAG_MAX; i++)
		f->bufs[i] = g_malloc0(FRAG_CAP);
	f->chain_len = encode_chain(inner, n, f->chain, sizeof(f->chain));
	g_assert_cmpint(ike_sk_encode_fragments(&h, inner, n, x, mtu, f->bufs, FRAG_CAP, f->lens,
	                                        FRAG_MAX, &f->n),
	                ==, IKE_WIRE_OK);
	return f;
}

static void
fragments_free(Fragments *f)
{
	for (size_t i = 0; i < FRAG_MAX; i++)
		g_free(f->bufs[i]);
	g_free(f);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC(Fragments, fragments_free)

/* Decode fragment i from a private copy (it is decrypted in place) and add it. */
static IkeWireStatus
add_fragment(IkeFragBuffer *fb,
             CryptoXform *x,
             const Fragments *f,
             size_t i,
             IkeMessage *msg,
             bool *complete)
{
	g_autofree uint8_t *copy = g_memdup2(f->bufs[i], f->lens[i]);

	g_assert_cmpint(ike_message_decode(copy, f->lens[i], msg), ==, IKE_WIRE_OK);
	return ike_frag_buffer_add(fb, x, copy, f->lens[i], msg, complete);
}

static void
assert_reassembled(IkeFragBuffer *fb, const Fragments *f, IkeMessage *msg)
{
	uint8_t again[FRAG_CAP];
	size_t n_inner;

	msg->n_payloads = 0;
	g_assert_cmpint(ike_frag_buffer_decode(fb, msg), ==, IKE_WIRE_OK);
	g_assert_cmpuint(msg->sk_first_payload, ==, IKE_PAYLOAD_IDI);
	n_inner = msg->n_payloads;
	g_assert_cmpuint(n_inner, ==, 4);
	g_assert_true(msg->payloads[0].in_sk);
	g_assert_cmpmem(again, encode_chain(msg->payloads, n_inner, again, sizeof(again)), f->chain,
	                f->chain_len);
}

static void
test_fragments_layout(gconstpointer data)
{
	const Suite *s = data;
	g_autoptr(CryptoXform) x = new_xform(&s->alg);
	g_autoptr(Fragments) f = make_fragments(x, FRAG_MTU, 1);
	g_autoptr(IkeMessage) msg = g_new0(IkeMessage, 1);
	gsize content = 0;

	g_assert_cmpuint(f->n, >=, 4);
	for (size_t i = 0; i < f->n; i++) {
		const IkeSkfPayload *skf;
		g_autoptr(GBytes) plain = NULL;
		const uint8_t *pt;
		gsize plen;

		g_assert_cmpuint(f->lens[i], <=, FRAG_MTU);
		g_assert_cmpint(ike_message_decode(f->bufs[i], f->lens[i], msg), ==, IKE_WIRE_OK);
		g_assert_cmpuint(msg->hdr.next_payload, ==, IKE_PAYLOAD_SKF);
		g_assert_cmpuint(msg->hdr.message_id, ==, 1);
		skf = &msg->payloads[0].u.skf;
		g_assert_cmpuint(skf->number, ==, i + 1);
		g_assert_cmpuint(skf->total, ==, f->n);
		/* RFC 7383 §2.5: only the first fragment names the first inner payload */
		g_assert_cmpuint(msg->payloads[0].sk_first, ==, i == 0 ? IKE_PAYLOAD_IDI : 0);
		/* the AAD includes Fragment Number and Total Fragments */
		g_assert_cmpuint(msg->sk_header_end, ==, IKE_HEADER_LEN + 8);
		plain = open_independently(&s->alg, f->bufs[i], f->lens[i], msg->sk_header_end);
		pt = g_bytes_get_data(plain, &plen);
		g_assert_cmpmem(pt, plen - 1 - pt[plen - 1], f->chain + content,
		                plen - 1 - pt[plen - 1]);
		content += plen - 1 - pt[plen - 1];
		/* all but the last fragment are filled to the MTU's last whole block */
		if (i + 1 < f->n)
			g_assert_cmpuint(f->lens[i] + crypto_xform_get_sizes(x)->block_size, >,
			                 FRAG_MTU);
	}
	g_assert_cmpuint(content, ==, f->chain_len);
}

/* Out of order, with duplicates, and one forged fragment on the way. */
static void
test_fragments_reassemble(gconstpointer data)
{
	const Suite *s = data;
	g_autoptr(CryptoXform) x = new_xform(&s->alg);
	g_autoptr(Fragments) f = make_fragments(x, FRAG_MTU, 1);
	g_autoptr(IkeMessage) msg = g_new0(IkeMessage, 1);
	g_autofree uint8_t *storage = g_malloc(FRAG_CAP);
	IkeFragBuffer fb;
	bool complete = false;
	size_t order[FRAG_MAX];
	size_t n_order = 0;

	ike_frag_buffer_init(&fb, storage, FRAG_CAP);
	/* last, then from the middle both ways, each one twice */
	order[n_order++] = f->n - 1;
	for (size_t i = 1; i < f->n - 1; i += 2)
		order[n_order++] = i;
	for (size_t i = 0; i < f->n - 1; i += 2)
		order[n_order++] = i;
	g_assert_cmpuint(n_order, ==, f->n);
	for (size_t k = 0; k < n_order; k++) {
		size_t i = order[k];
		g_autofree uint8_t *forged = g_memdup2(f->bufs[i], f->lens[i]);

		/* a forged copy first: rejected, nothing stored */
		forged[f->lens[i] - 20] ^= 0x40;
		g_assert_cmpint(ike_message_decode(forged, f->lens[i], msg), ==, IKE_WIRE_OK);
		g_assert_cmpint(ike_frag_buffer_add(&fb, x, forged, f->lens[i], msg, &complete), ==,
		                IKE_WIRE_INTEGRITY);
		g_assert_false(complete);
		g_assert_cmpint(add_fragment(&fb, x, f, i, msg, &complete), ==, IKE_WIRE_OK);
		g_assert_cmpint(complete, ==, k + 1 == n_order);
		if (k + 1 < n_order) {
			g_assert_cmpint(add_fragment(&fb, x, f, i, msg, &complete), ==,
			                IKE_WIRE_OK);
			g_assert_false(complete);
			g_assert_cmpint(ike_frag_buffer_decode(&fb, msg), ==,
			                IKE_WIRE_INVALID_SYNTAX);
		}
	}
	g_assert_cmpuint(fb.n_duplicate, ==, f->n - 1);
	g_assert_cmpuint(fb.n_rejected, ==, f->n);
	g_assert_cmpuint(fb.used, ==, f->chain_len);
	assert_reassembled(&fb, f, msg);
	ike_frag_buffer_reset(&fb);
	g_assert_false(fb.active);
	g_assert_cmpint(ike_frag_buffer_decode(&fb, msg), ==, IKE_WIRE_INVALID_SYNTAX);
}

static void
test_fragments_missing(void)
{
	g_autoptr(CryptoXform) x = new_xform(&suites[0].alg);
	g_autoptr(Fragments) f = make_fragments(x, FRAG_MTU, 1);
	g_autoptr(IkeMessage) msg = g_new0(IkeMessage, 1);
	g_autofree uint8_t *storage = g_malloc(FRAG_CAP);
	IkeFragBuffer fb;
	bool complete = true;

	ike_frag_buffer_init(&fb, storage, FRAG_CAP);
	for (size_t i = 0; i < f->n; i++) {
		if (i == 1)
			continue;
		g_assert_cmpint(add_fragment(&fb, x, f, i, msg, &complete), ==, IKE_WIRE_OK);
		g_assert_false(complete);
	}
	g_assert_cmpuint(fb.n_received, ==, f->n - 1);
	g_assert_cmpint(ike_frag_buffer_decode(&fb, msg), ==, IKE_WIRE_INVALID_SYNTAX);
	g_assert_cmpint(add_fragment(&fb, x, f, 1, msg, &complete), ==, IKE_WIRE_OK);
	g_assert_true(complete);
	assert_reassembled(&fb, f, msg);
}

/* RFC 7383 §2.6: more fragments restart the collection, fewer are stale; another message
 * ID restarts it too. */
static void
test_fragments_resend_smaller(void)
{
	g_autoptr(CryptoXform) x = new_xform(&suites[0].alg);
	g_autoptr(Fragments) big = make_fragments(x, 1000, 1);
	g_autoptr(Fragments) small = make_fragments(x, FRAG_MTU, 1);
	g_autoptr(Fragments) other = make_fragments(x, FRAG_MTU, 2);
	g_autoptr(IkeMessage) msg = g_new0(IkeMessage, 1);
	g_autofree uint8_t *storage = g_malloc(FRAG_CAP);
	IkeFragBuffer fb;
	bool complete;

	g_assert_cmpuint(big->n, <, small->n);
	ike_frag_buffer_init(&fb, storage, FRAG_CAP);
	g_assert_cmpint(add_fragment(&fb, x, other, 0, msg, &complete), ==, IKE_WIRE_OK);
	g_assert_cmpuint(fb.message_id, ==, 2);
	g_assert_cmpint(add_fragment(&fb, x, big, 0, msg, &complete), ==, IKE_WIRE_OK);
	g_assert_cmpuint(fb.message_id, ==, 1);
	g_assert_cmpuint(fb.n_received, ==, 1);
	g_assert_cmpint(add_fragment(&fb, x, small, 2, msg, &complete), ==, IKE_WIRE_OK);
	g_assert_cmpuint(fb.total, ==, small->n);
	g_assert_cmpuint(fb.n_received, ==, 1);
	g_assert_cmpint(add_fragment(&fb, x, big, 1, msg, &complete), ==, IKE_WIRE_OK);
	g_assert_cmpuint(fb.n_stale, ==, 1);
	for (size_t i = 0; i < small->n; i++)
		g_assert_cmpint(add_fragment(&fb, x, small, i, msg, &complete), ==, IKE_WIRE_OK);
	g_assert_true(complete);
	assert_reassembled(&fb, small, msg);
}

static void
test_fragments_limits(void)
{
	g_autoptr(CryptoXform) x = new_xform(&suites[0].alg);
	g_autoptr(Fragments) f = make_fragments(x, FRAG_MTU, 1);
	g_autoptr(Fragments) scratch = make_fragments(x, FRAG_MTU, 1);
	g_autoptr(IkeMessage) msg = g_new0(IkeMessage, 1);
	g_autofree uint8_t *storage = g_malloc(FRAG_CAP);
	IkeFragBuffer fb;
	bool complete;
	IkePayload inner[4];
	size_t n = build_inner(inner, 3000);
	size_t lens[FRAG_MAX], n_out = 0;
	/* SKF 1 of 65: over IKE_MAX_FRAGMENTS, refused before any crypto */
	g_autoptr(WireTestBuf) many =
		wire_test_hex("0102030405060708 1112131415161718 35 20 23 08 00000001 00000034"
	                      "23 00 0018 0001 0041 000102030405060708090a0b0c0d0e0f");

	/* encoder: more than IKE_MAX_FRAGMENTS, or more than the caller's array */
	g_assert_cmpint(ike_sk_encode_fragments(&auth_hdr, inner, n, x, 100, scratch->bufs,
	                                        FRAG_CAP, lens, FRAG_MAX, &n_out),
	                ==, IKE_WIRE_TOO_MANY);
	g_assert_cmpint(ike_sk_encode_fragments(&auth_hdr, inner, n, x, FRAG_MTU, scratch->bufs,
	                                        FRAG_CAP, lens, 3, &n_out),
	                ==, IKE_WIRE_NO_SPACE);
	g_assert_cmpint(ike_sk_encode_fragments(&auth_hdr, inner, n, x, 40, scratch->bufs, FRAG_CAP,
	                                        lens, FRAG_MAX, &n_out),
	                ==, IKE_WIRE_NO_SPACE);
	g_assert_cmpint(ike_sk_encode_fragments(&auth_hdr, inner, n, x, FRAG_MTU, scratch->bufs,
	                                        1000, lens, FRAG_MAX, &n_out),
	                ==, IKE_WIRE_NO_SPACE); /* out[0] cannot hold the whole chain */

	ike_frag_buffer_init(&fb, storage, FRAG_CAP);
	g_assert_cmpint(ike_message_decode(many->bytes->data, many->bytes->len, msg), ==,
	                IKE_WIRE_OK);
	g_assert_cmpint(
		ike_frag_buffer_add(&fb, x, many->bytes->data, many->bytes->len, msg, &complete),
		==, IKE_WIRE_TOO_MANY);

	/* the storage limit */
	ike_frag_buffer_init(&fb, storage, f->chain_len - 1);
	for (size_t i = 0; i + 1 < f->n; i++)
		g_assert_cmpint(add_fragment(&fb, x, f, i, msg, &complete), ==, IKE_WIRE_OK);
	g_assert_cmpint(add_fragment(&fb, x, f, f->n - 1, msg, &complete), ==, IKE_WIRE_TOO_MANY);
	g_assert_false(complete);

	/* a plain SK message is not a fragment */
	{
		uint8_t m[1024];
		size_t len;

		g_assert_cmpint(ike_sk_encode(&auth_hdr, inner, 1, x, m, sizeof(m), &len), ==,
		                IKE_WIRE_OK);
		g_assert_cmpint(ike_message_decode(m, len, msg), ==, IKE_WIRE_OK);
		g_assert_cmpint(ike_frag_buffer_add(&fb, x, m, len, msg, &complete), ==,
		                IKE_WIRE_INVALID_SYNTAX);
	}
}

/* A later fragment naming a next payload (RFC 7383 §2.5 says 0) is refused once authentic. */
static void
test_fragments_next_payload(void)
{
	g_autoptr(CryptoXform) x = new_xform(&suites[0].alg);
	g_autoptr(Fragments) f = make_fragments(x, FRAG_MTU, 1);
	g_autoptr(IkeMessage) msg = g_new0(IkeMessage, 1);
	g_autofree uint8_t *storage = g_malloc(FRAG_CAP);
	uint8_t *m = f->bufs[1];
	size_t len = f->lens[1];
	size_t aad = IKE_HEADER_LEN + 8;
	uint8_t *data = m + aad + GCM_IV_LEN;
	size_t ct = len - aad - GCM_IV_LEN - ICV_LEN;
	IkeFragBuffer fb;
	bool complete;

	/* re-seal fragment 2 with Next Payload = IDi in its SKF header */
	g_assert_cmpint(crypto_xform_open(x, m, aad, m + aad, data, ct, NULL, 0, data + ct), ==,
	                CRYPTO_OK);
	m[IKE_HEADER_LEN] = IKE_PAYLOAD_IDI;
	g_assert_cmpint(crypto_xform_seal(x, m, aad, m + aad, data, ct, NULL, 0, data + ct), ==,
	                CRYPTO_OK);
	ike_frag_buffer_init(&fb, storage, FRAG_CAP);
	g_assert_cmpint(add_fragment(&fb, x, f, 1, msg, &complete), ==, IKE_WIRE_INVALID_SYNTAX);
	g_assert_cmpuint(fb.n_received, ==, 0);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	for (size_t i = 0; i < G_N_ELEMENTS(suites); i++) {
		static const struct {
			const char *what;
			GTestDataFunc func;
		} cases[] = {
			{"sk/round-trip",  test_sk_round_trip       },
			{"sk/tampered",    test_sk_tampered         },
			{"skf/layout",     test_fragments_layout    },
			{"skf/reassemble", test_fragments_reassemble},
		};

		for (size_t c = 0; c < G_N_ELEMENTS(cases); c++) {
			g_autofree char *path =
				g_strdup_printf("/ferry/wire/%s/%s", cases[c].what, suites[i].name);

			g_test_add_data_func(path, &suites[i], cases[c].func);
		}
	}
	g_test_add_func("/ferry/wire/sk/bad-padding", test_sk_bad_padding);
	g_test_add_func("/ferry/wire/sk/short", test_sk_short);
	g_test_add_func("/ferry/wire/skf/missing", test_fragments_missing);
	g_test_add_func("/ferry/wire/skf/resend-smaller", test_fragments_resend_smaller);
	g_test_add_func("/ferry/wire/skf/limits", test_fragments_limits);
	g_test_add_func("/ferry/wire/skf/next-payload", test_fragments_next_payload);
	return g_test_run();
}
