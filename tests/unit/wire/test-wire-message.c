/* SPDX-License-Identifier: GPL-2.0-or-later */
/* test-wire-message.c - header, payload chains, per-exchange rules and hostile input
 *
 * The IKE_SA_INIT messages below are written out byte by byte from the layouts of RFC 7296
 * §3 (header Figure 4, generic header Figure 5, and each payload's figure).  In the hex,
 * '#' marks a 4-byte length, '@' a 2-byte length or count and '!' a 1-byte size or count:
 * the malformed-input tests change each marked field by one in both directions.
 */
#include <glib.h>
#include <string.h>

#include "ike-message.h"
#include "wire-test.h"

#define SPI_I   "0102030405060708"
#define SPI_R   "1112131415161718"
#define KEY_A   "a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebf"
#define KEY_B   "c0c1c2c3c4c5c6c7c8c9cacbcccdcecfd0d1d2d3d4d5d6d7d8d9dadbdcdddedf"
#define NONCE_I "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"
#define NONCE_R "202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f"
#define HASH_S  "5051525354555657585960616263646566676869"
#define HASH_D  "7071727374757677787980818283848586878889"

/* The one proposal of both messages (§3.3): AES-GCM-16-256, PRF-HMAC-SHA2-256, Curve25519. */
#define SA_BODY                                                                                    \
	"  00 00 @0024 01 01 !00 !03"          /* last proposal, #1, IKE, no SPI, 3 transforms */  \
	"    03 00 @000c 01 00 0014 800e 0100" /* ENCR AES_GCM_16, Key Length 256 (TV) */          \
	"    03 00 @0008 02 00 0005"           /* PRF HMAC_SHA2_256 */                             \
	"    00 00 @0008 04 00 001f"           /* KE Curve25519 */

/* RFC 7296 §1.2: HDR, SAi1, KEi, Ni, plus NAT detection (§2.23), fragmentation support
 * (RFC 7383 §2.3) and signature hash algorithms (RFC 7427 §4). */
static const char sa_init_request[] =
	/* header: SPIi, SPIr = 0, next SA, version 2.0, IKE_SA_INIT, Initiator, ID 0, length */
	SPI_I "0000000000000000 21 20 22 08 00000000 #000000de"
	      /* SA: next KE, 40 bytes */
	      "22 00 @0028" SA_BODY
	      /* KE: next Nonce, group 31, reserved, 32 bytes of public value */
	      "28 00 @0028 001f 0000" KEY_A
	      /* Ni: next Notify, 32 bytes */
	      "29 00 @0024" NONCE_I
	      /* N(NAT_DETECTION_SOURCE_IP): protocol 0, SPI size 0, type 16388, SHA-1 hash */
	      "29 00 @001c 00 !00 4004" HASH_S
	      /* N(NAT_DETECTION_DESTINATION_IP) */
	      "29 00 @001c 00 !00 4005" HASH_D
	      /* N(IKEV2_FRAGMENTATION_SUPPORTED): no data */
	      "29 00 @0008 00 !00 402e"
	      /* N(SIGNATURE_HASH_ALGORITHMS): SHA2-256, SHA2-384, SHA2-512; last payload */
	      "00 00 @000e 00 !00 402f 0002 0003 0004";

/* HDR, SAr1, KEr, Nr, N(NAT_DETECTION_*), N(IKEV2_FRAGMENTATION_SUPPORTED), V */
static const char sa_init_response[] = SPI_I SPI_R
	"21 20 22 20 00000000 #000000e4" /* Response flag */
	"22 00 @0028" SA_BODY "28 00 @0028 001f 0000" KEY_B "29 00 @0024" NONCE_R
	"29 00 @001c 00 !00 4004" HASH_S "29 00 @001c 00 !00 4005" HASH_D "2b 00 @0008 00 !00 402e"
	/* Vendor ID: 16 bytes */
	"00 00 @0014 000102030405060708090a0b0c0d0e0f";

/* A chain with most payload kinds, unencrypted so that decoding alone reaches them. */
static const char rich_message[] = SPI_I SPI_R
	"24 20 23 20 00000001 #00000110"
	/* IDr FQDN vpn.example.com */
	"27 00 @0017 02 000000 76706e2e6578616d706c652e636f6d"
	/* AUTH PSK */
	"2f 00 @0028 02 000000" KEY_A
	/* CP REPLY: IPv4 address, IPv4 DNS, IPv6 address, DNS domain */
	"21 00 @003c 02 000000 0001 @0004 c633640a 0003 @0004 c6336435"
	"  0008 @0011 20010db8000000000000000000000001 40 0019 @000b 6578616d706c652e636f6d"
	/* SA: one ESP proposal with SPI 11223344, AES-GCM-16-256, no ESN */
	"2c 00 @0024 00 00 @0020 01 03 !04 !02 11223344"
	"  03 00 @000c 01 00 0014 800e 0100 00 00 @0008 05 00 0000"
	/* TSi: 198.51.100.10 */
	"2d 00 @0018 !01 000000 07 00 @0010 0000 ffff c633640a c633640a"
	/* TSr: 198.51.100.0 - 198.51.100.255 */
	"29 00 @0018 !01 000000 07 00 @0010 0000 ffff c6336400 c63364ff"
	/* N(REKEY_SA) for ESP SPI 11223344 */
	"2a 00 @000c 03 !04 4009 11223344"
	/* Delete two ESP SPIs */
	"30 00 @0010 03 !04 @0002 11223344 55667788"
	/* EAP Request/Identity */
	"00 00 @0009 01 05 @0005 01";

static IkeMessage *
new_message(void)
{
	return g_new0(IkeMessage, 1);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC(IkeMessage, g_free)

/* Header + chain, with next payload and length computed. */
static GByteArray *
make_message(uint8_t exchange, uint8_t flags, uint8_t first, const guint8 *chain, gsize len)
{
	GByteArray *b = g_byte_array_new();
	uint8_t hdr[IKE_HEADER_LEN];
	IkeHeader h = {
		.spi_i = G_GUINT64_CONSTANT(0x0102030405060708),
		.spi_r = G_GUINT64_CONSTANT(0x1112131415161718),
		.next_payload = first,
		.version = IKE_VERSION,
		.exchange = exchange,
		.flags = flags,
		.message_id = 1,
		.length = (uint32_t)(IKE_HEADER_LEN + len),
	};

	ike_header_encode(&h, hdr);
	g_byte_array_append(b, hdr, sizeof(hdr));
	g_byte_array_append(b, chain, (guint)len);
	return b;
}

static GByteArray *
make_message_hex(uint8_t exchange, uint8_t flags, uint8_t first, const char *chain_hex)
{
	g_autoptr(WireTestBuf) chain = wire_test_hex(chain_hex);

	return make_message(exchange, flags, first, chain->bytes->data, chain->bytes->len);
}

/* Decode from an exact-size heap copy, so a sanitizer or valgrind sees any overread. */
static IkeWireStatus
decode_exact(const guint8 *data, gsize len, IkeMessage *msg)
{
	g_autofree guint8 *copy = g_memdup2(data, len);

	return ike_message_decode(copy, len, msg);
}

static void
test_sa_init_request(void)
{
	g_autoptr(WireTestBuf) want = wire_test_hex(sa_init_request);
	g_autoptr(IkeMessage) msg = new_message();
	const IkeProposal *pr;
	const IkeNotifyPayload *n;
	uint8_t out[512];
	size_t out_len = 0;

	g_assert_cmpuint(want->bytes->len, ==, 222);
	g_assert_cmpint(ike_message_decode(want->bytes->data, want->bytes->len, msg), ==,
	                IKE_WIRE_OK);
	g_assert_cmpuint(msg->hdr.spi_i, ==, G_GUINT64_CONSTANT(0x0102030405060708));
	g_assert_cmpuint(msg->hdr.spi_r, ==, 0);
	g_assert_cmpuint(msg->hdr.exchange, ==, IKE_EXCHANGE_IKE_SA_INIT);
	g_assert_cmpuint(msg->hdr.flags, ==, IKE_FLAG_INITIATOR);
	g_assert_cmpuint(msg->hdr.length, ==, 222);
	g_assert_cmpuint(msg->n_payloads, ==, 7);
	pr = &msg->payloads[0].u.sa.proposals[0];
	g_assert_cmpuint(pr->protocol, ==, IKE_PROTO_IKE);
	g_assert_cmpuint(pr->n_transforms, ==, 3);
	g_assert_cmpuint(pr->transforms[0].id, ==, IKE_ENCR_AES_GCM_16);
	g_assert_cmpuint(pr->transforms[0].key_bits, ==, 256);
	g_assert_cmpuint(pr->transforms[2].type, ==, IKE_TRANSFORM_KE);
	g_assert_cmpuint(pr->transforms[2].id, ==, IKE_KE_CURVE25519);
	g_assert_cmpuint(msg->payloads[1].u.ke.group, ==, 31);
	g_assert_cmpuint(msg->payloads[1].u.ke.data.len, ==, 32);
	g_assert_cmpuint(msg->payloads[2].type, ==, IKE_PAYLOAD_NONCE);
	g_assert_cmpuint(msg->payloads[2].u.nonce.data[0], ==, 0x00);
	g_assert_cmpuint(msg->payloads[2].u.nonce.data[31], ==, 0x1f);
	n = ike_message_find_notify(msg, IKE_NOTIFY_SIGNATURE_HASH_ALGORITHMS);
	g_assert_nonnull(n);
	g_assert_cmpmem(n->data.data, n->data.len, "\x00\x02\x00\x03\x00\x04", 6);
	g_assert_nonnull(ike_message_find_notify(msg, IKE_NOTIFY_IKEV2_FRAGMENTATION_SUPPORTED));
	g_assert_null(ike_message_find_error_notify(msg));

	/* what decoded encodes back to the same bytes */
	g_assert_cmpint(ike_message_encode(&msg->hdr, msg->payloads, msg->n_payloads, out,
	                                   sizeof(out), &out_len),
	                ==, IKE_WIRE_OK);
	g_assert_cmpmem(out, out_len, want->bytes->data, want->bytes->len);
}

/* The request as the engine would build it from structs. */
static void
test_sa_init_request_build(void)
{
	g_autoptr(WireTestBuf) want = wire_test_hex(sa_init_request);
	g_autoptr(WireTestBuf) ke = wire_test_hex(KEY_A);
	g_autoptr(WireTestBuf) nonce = wire_test_hex(NONCE_I);
	g_autoptr(WireTestBuf) hs = wire_test_hex(HASH_S);
	g_autoptr(WireTestBuf) hd = wire_test_hex(HASH_D);
	static const uint8_t hashes[6] = {0, 2, 0, 3, 0, 4};
	IkeHeader hdr = {
		.spi_i = G_GUINT64_CONSTANT(0x0102030405060708),
		.version = IKE_VERSION,
		.exchange = IKE_EXCHANGE_IKE_SA_INIT,
		.flags = IKE_FLAG_INITIATOR,
	};
	g_autofree IkePayload *p = g_new0(IkePayload, 7);
	IkeProposal *pr = &p[0].u.sa.proposals[0];
	uint8_t out[512];
	size_t out_len = 0;

	p[0].type = IKE_PAYLOAD_SA;
	p[0].u.sa.n_proposals = 1;
	*pr = (IkeProposal){.number = 1, .protocol = IKE_PROTO_IKE, .n_transforms = 3};
	pr->transforms[0] = (IkeTransform){IKE_TRANSFORM_ENCR, IKE_ENCR_AES_GCM_16, 256};
	pr->transforms[1] = (IkeTransform){IKE_TRANSFORM_PRF, IKE_PRF_HMAC_SHA2_256, 0};
	pr->transforms[2] = (IkeTransform){IKE_TRANSFORM_KE, IKE_KE_CURVE25519, 0};
	p[1].type = IKE_PAYLOAD_KE;
	p[1].u.ke = (IkeKePayload){IKE_KE_CURVE25519, FERRY_SPAN(ke->bytes->data, 32)};
	p[2].type = IKE_PAYLOAD_NONCE;
	p[2].u.nonce = FERRY_SPAN(nonce->bytes->data, 32);
	p[3].type = IKE_PAYLOAD_NOTIFY;
	p[3].u.notify.type = IKE_NOTIFY_NAT_DETECTION_SOURCE_IP;
	p[3].u.notify.data = FERRY_SPAN(hs->bytes->data, 20);
	p[4].type = IKE_PAYLOAD_NOTIFY;
	p[4].u.notify.type = IKE_NOTIFY_NAT_DETECTION_DESTINATION_IP;
	p[4].u.notify.data = FERRY_SPAN(hd->bytes->data, 20);
	p[5].type = IKE_PAYLOAD_NOTIFY;
	p[5].u.notify.type = IKE_NOTIFY_IKEV2_FRAGMENTATION_SUPPORTED;
	p[6].type = IKE_PAYLOAD_NOTIFY;
	p[6].u.notify.type = IKE_NOTIFY_SIGNATURE_HASH_ALGORITHMS;
	p[6].u.notify.data = FERRY_SPAN(hashes, 6);

	g_assert_cmpint(ike_message_encode(&hdr, p, 7, out, sizeof(out), &out_len), ==,
	                IKE_WIRE_OK);
	g_assert_cmpmem(out, out_len, want->bytes->data, want->bytes->len);
	g_assert_cmpint(ike_message_encode(&hdr, p, 7, out, 221, &out_len), ==, IKE_WIRE_NO_SPACE);
	g_assert_cmpint(ike_message_encode(&hdr, p, 7, out, 27, &out_len), ==, IKE_WIRE_NO_SPACE);
}

static void
test_sa_init_response(void)
{
	g_autoptr(WireTestBuf) want = wire_test_hex(sa_init_response);
	g_autoptr(IkeMessage) msg = new_message();
	uint8_t out[512];
	size_t out_len = 0;

	g_assert_cmpuint(want->bytes->len, ==, 228);
	g_assert_cmpint(ike_message_decode(want->bytes->data, want->bytes->len, msg), ==,
	                IKE_WIRE_OK);
	g_assert_cmpuint(msg->hdr.spi_r, ==, G_GUINT64_CONSTANT(0x1112131415161718));
	g_assert_cmpuint(msg->hdr.flags, ==, IKE_FLAG_RESPONSE);
	g_assert_cmpuint(msg->n_payloads, ==, 7);
	g_assert_cmpuint(msg->payloads[6].type, ==, IKE_PAYLOAD_VENDOR);
	g_assert_cmpuint(msg->payloads[6].u.vendor.len, ==, 16);
	g_assert_cmpint(ike_message_check_rules(msg, true), ==, IKE_WIRE_OK);
	/* it is a response: checking it as a request is refused */
	g_assert_cmpint(ike_message_check_rules(msg, false), ==, IKE_WIRE_INVALID_SYNTAX);
	g_assert_cmpint(ike_message_encode(&msg->hdr, msg->payloads, msg->n_payloads, out,
	                                   sizeof(out), &out_len),
	                ==, IKE_WIRE_OK);
	g_assert_cmpmem(out, out_len, want->bytes->data, want->bytes->len);
}

static void
test_rich_round_trip(void)
{
	g_autoptr(WireTestBuf) want = wire_test_hex(rich_message);
	g_autoptr(IkeMessage) msg = new_message();
	uint8_t out[512];
	size_t out_len = 0;

	g_assert_cmpuint(want->bytes->len, ==, 0x110);
	g_assert_cmpint(ike_message_decode(want->bytes->data, want->bytes->len, msg), ==,
	                IKE_WIRE_OK);
	g_assert_cmpuint(msg->n_payloads, ==, 9);
	g_assert_cmpint(ike_message_encode(&msg->hdr, msg->payloads, msg->n_payloads, out,
	                                   sizeof(out), &out_len),
	                ==, IKE_WIRE_OK);
	g_assert_cmpmem(out, out_len, want->bytes->data, want->bytes->len);
}

static const char *const valid_messages[] = {sa_init_request, sa_init_response, rich_message};

/* Every proper prefix is refused: as received (header length larger than the datagram)
 * and with the header length patched to match (the chain itself runs short). */
static void
test_truncated(gconstpointer data)
{
	g_autoptr(WireTestBuf) m = wire_test_hex(data);
	g_autoptr(IkeMessage) msg = new_message();

	for (gsize n = 0; n < m->bytes->len; n++) {
		g_autofree guint8 *copy = g_memdup2(m->bytes->data, n ? n : 1);

		g_assert_cmpint(decode_exact(m->bytes->data, n, msg), !=, IKE_WIRE_OK);
		if (n < IKE_HEADER_LEN)
			continue;
		ferry_put_be32(copy + 24, (uint32_t)n);
		g_assert_cmpint(ike_message_decode(copy, n, msg), !=, IKE_WIRE_OK);
	}
}

/* Every marked length, size and count field, one more and one less: always refused. */
static void
test_length_off_by_one(gconstpointer data)
{
	g_autoptr(WireTestBuf) m = wire_test_hex(data);
	g_autoptr(IkeMessage) msg = new_message();

	g_assert_cmpuint(m->fields->len, >, 10);
	for (guint i = 0; i < m->fields->len; i++) {
		const WireTestField *f = &g_array_index(m->fields, WireTestField, i);

		for (int delta = -1; delta <= 1; delta += 2) {
			g_autofree guint8 *copy = g_memdup2(m->bytes->data, m->bytes->len);
			IkeWireStatus st;

			wire_test_field_add(copy, f, delta);
			st = ike_message_decode(copy, m->bytes->len, msg);
			if (st == IKE_WIRE_OK)
				g_error("field at offset %zu (width %u) %+d accepted", f->offset,
				        f->width, delta);
		}
	}
}

typedef struct {
	const char *name;
	uint8_t first;   /* the header's next payload */
	const char *hex; /* the chain after the header */
	IkeWireStatus want;
	guint n_payloads; /* when want is OK */
} ChainCase;

/* clang-format off */
static const ChainCase chain_cases[] = {
	/* §2.5: an unknown payload (type 200) marked critical fails the message ... */
	{ "unknown-critical", 200, "28 80 0008 deadbeef 00 00 0014 000102030405060708090a0b0c0d0e0f",
	  IKE_WIRE_UNSUPPORTED_CRITICAL, 0 },
	/* ... and without the bit it is skipped */
	{ "unknown-skipped", 200, "28 00 0008 deadbeef 00 00 0014 000102030405060708090a0b0c0d0e0f",
	  IKE_WIRE_OK, 1 },
	{ "unknown-skipped-last", IKE_PAYLOAD_NONCE,
	  "c8 00 0014 000102030405060708090a0b0c0d0e0f 00 01 0004", IKE_WIRE_OK, 1 },
	{ "zero-length-payload", IKE_PAYLOAD_NONCE, "00 00 0000", IKE_WIRE_BAD_LENGTH, 0 },
	{ "payload-length-3", IKE_PAYLOAD_VENDOR, "00 00 0003 00", IKE_WIRE_BAD_LENGTH, 0 },
	{ "zero-length-unknown", 200, "00 00 0000", IKE_WIRE_BAD_LENGTH, 0 },
	{ "empty-vendor", IKE_PAYLOAD_VENDOR, "00 00 0004", IKE_WIRE_OK, 1 },
	{ "next-payload-missing", IKE_PAYLOAD_VENDOR, "29 00 0005 01", IKE_WIRE_BAD_LENGTH, 0 },
	{ "trailing-bytes", IKE_PAYLOAD_VENDOR, "00 00 0005 01 00 00 00 08", IKE_WIRE_BAD_LENGTH,
	  0 },
	{ "no-payloads", IKE_PAYLOAD_NONE, "", IKE_WIRE_OK, 0 },
	{ "no-payloads-trailing", IKE_PAYLOAD_NONE, "00", IKE_WIRE_BAD_LENGTH, 0 },
	/* §3.14: SK is the last payload */
	{ "sk-not-last", IKE_PAYLOAD_SK, "24 00 0008 00010203 00 00 0004", IKE_WIRE_INVALID_SYNTAX,
	  0 },
	{ "sk-last", IKE_PAYLOAD_VENDOR, "2e 00 0004 24 00 0008 00010203", IKE_WIRE_OK, 2 },
	{ "skf-last", IKE_PAYLOAD_SKF, "24 00 000c 0001 0002 00010203", IKE_WIRE_OK, 1 },
	{ "payload-overruns-message", IKE_PAYLOAD_VENDOR, "00 00 0009 01020304",
	  IKE_WIRE_BAD_LENGTH, 0 },
	{ "payload-length-max", IKE_PAYLOAD_VENDOR, "00 00 ffff 01020304", IKE_WIRE_BAD_LENGTH, 0 },
};
/* clang-format on */

static void
test_chain_case(gconstpointer data)
{
	const ChainCase *c = data;
	g_autoptr(GByteArray) m =
		make_message_hex(IKE_EXCHANGE_INFORMATIONAL, IKE_FLAG_RESPONSE, c->first, c->hex);
	g_autoptr(IkeMessage) msg = new_message();

	g_assert_cmpint(decode_exact(m->data, m->len, msg), ==, c->want);
	if (c->want == IKE_WIRE_OK)
		g_assert_cmpuint(msg->n_payloads, ==, c->n_payloads);
	if (c->want == IKE_WIRE_UNSUPPORTED_CRITICAL) {
		g_assert_cmpuint(msg->unsupported_type, ==, 200);
		g_assert_cmpuint(ike_wire_status_to_notify(c->want), ==,
		                 IKE_NOTIFY_UNSUPPORTED_CRITICAL_PAYLOAD);
	}
}

static void
test_header(void)
{
	g_autoptr(WireTestBuf) good = wire_test_hex(sa_init_response);
	g_autoptr(IkeMessage) msg = new_message();
	g_autofree guint8 *copy = g_memdup2(good->bytes->data, good->bytes->len);
	g_autofree guint8 *longer = g_malloc0(good->bytes->len + 1);

	/* §3.1: major version 3 -> INVALID_MAJOR_VERSION; a newer minor version is fine */
	copy[17] = 0x30;
	g_assert_cmpint(ike_message_decode(copy, good->bytes->len, msg), ==, IKE_WIRE_BAD_VERSION);
	g_assert_cmpuint(ike_wire_status_to_notify(IKE_WIRE_BAD_VERSION), ==,
	                 IKE_NOTIFY_INVALID_MAJOR_VERSION);
	copy[17] = 0x21;
	g_assert_cmpint(ike_message_decode(copy, good->bytes->len, msg), ==, IKE_WIRE_OK);
	/* a header length below the header itself */
	ferry_put_be32(copy + 24, 27);
	g_assert_cmpint(ike_message_decode(copy, good->bytes->len, msg), ==, IKE_WIRE_BAD_LENGTH);
	/* a datagram longer than the header says */
	memcpy(longer, good->bytes->data, good->bytes->len);
	g_assert_cmpint(ike_message_decode(longer, good->bytes->len + 1, msg), ==,
	                IKE_WIRE_BAD_LENGTH);
	g_assert_cmpint(ike_message_decode(NULL, 0, msg), !=, IKE_WIRE_OK);
	g_assert_cmpint(ike_header_decode(good->bytes->data, IKE_HEADER_LEN - 1, &msg->hdr), ==,
	                IKE_WIRE_TRUNCATED);
}

/* Counts beyond the named limits in ike-message.h are refused. */
static void
test_too_many(void)
{
	g_autoptr(IkeMessage) msg = new_message();

	for (guint extra = 0; extra <= 1; extra++) {
		IkeWireStatus want = extra ? IKE_WIRE_TOO_MANY : IKE_WIRE_OK;
		g_autoptr(GByteArray) chain = g_byte_array_new();
		g_autoptr(GByteArray) m = NULL;
		g_autoptr(GByteArray) sa = g_byte_array_new();
		g_autoptr(GByteArray) tr = g_byte_array_new();
		g_autoptr(GByteArray) ts = g_byte_array_new();
		g_autoptr(GByteArray) cp = g_byte_array_new();
		g_autoptr(GByteArray) unk = g_byte_array_new();
		guint n;

		/* payloads: empty notifies N(INITIAL_CONTACT) */
		n = IKE_MAX_PAYLOADS + extra;
		for (guint i = 0; i < n; i++) {
			guint8 p[8] = {i + 1 < n ? IKE_PAYLOAD_NOTIFY : 0, 0, 0, 8, 0, 0, 0x40, 0};

			g_byte_array_append(chain, p, 8);
		}
		m = make_message(IKE_EXCHANGE_INFORMATIONAL, 0, IKE_PAYLOAD_NOTIFY, chain->data,
		                 chain->len);
		g_assert_cmpint(decode_exact(m->data, m->len, msg), ==, want);
		g_clear_pointer(&m, g_byte_array_unref);

		/* proposals: each with one PRF transform */
		n = IKE_MAX_PROPOSALS + extra;
		{
			guint8 h[4] = {0, 0, (guint8)((4 + 16 * n) >> 8), (guint8)(4 + 16 * n)};

			g_byte_array_append(sa, h, 4);
		}
		for (guint i = 0; i < n; i++) {
			guint8 p[16] = {
				i + 1 < n ? 2 : 0, 0, 0, 16, 1, 1, 0, 1, 0, 0, 0, 8, 2, 0, 0, 5};

			g_byte_array_append(sa, p, 16);
		}
		m = make_message(IKE_EXCHANGE_IKE_SA_INIT, 0, IKE_PAYLOAD_SA, sa->data, sa->len);
		g_assert_cmpint(decode_exact(m->data, m->len, msg), ==, want);
		g_clear_pointer(&m, g_byte_array_unref);

		/* transforms in one proposal */
		n = IKE_MAX_TRANSFORMS + extra;
		{
			guint plen = 8 + 8 * n;
			guint8 h[12] = {0,
			                0,
			                (guint8)((plen + 4) >> 8),
			                (guint8)(plen + 4),
			                0,
			                0,
			                (guint8)(plen >> 8),
			                (guint8)plen,
			                1,
			                1,
			                0,
			                (guint8)n};

			g_byte_array_append(tr, h, 12);
		}
		for (guint i = 0; i < n; i++) {
			guint8 t[8] = {i + 1 < n ? 3 : 0, 0, 0, 8, 2, 0, 0, 5};

			g_byte_array_append(tr, t, 8);
		}
		m = make_message(IKE_EXCHANGE_IKE_SA_INIT, 0, IKE_PAYLOAD_SA, tr->data, tr->len);
		g_assert_cmpint(decode_exact(m->data, m->len, msg), ==, want);
		g_clear_pointer(&m, g_byte_array_unref);

		/* traffic selectors */
		n = IKE_MAX_TS + extra;
		{
			guint8 h[8] = {0,
			               0,
			               (guint8)((8 + 16 * n) >> 8),
			               (guint8)(8 + 16 * n),
			               (guint8)n,
			               0,
			               0,
			               0};

			g_byte_array_append(ts, h, 8);
		}
		for (guint i = 0; i < n; i++) {
			guint8 t[16] = {7,   0,  0,   16, 0,   0,  0xff, 0xff,
			                198, 51, 100, 0,  198, 51, 100,  255};

			g_byte_array_append(ts, t, 16);
		}
		m = make_message(IKE_EXCHANGE_IKE_AUTH, 0, IKE_PAYLOAD_TSR, ts->data, ts->len);
		g_assert_cmpint(decode_exact(m->data, m->len, msg), ==, want);
		g_clear_pointer(&m, g_byte_array_unref);

		/* configuration attributes */
		n = IKE_MAX_CP_ATTRS + extra;
		{
			guint8 h[8] = {0,
			               0,
			               (guint8)((8 + 4 * n) >> 8),
			               (guint8)(8 + 4 * n),
			               IKE_CFG_REPLY,
			               0,
			               0,
			               0};

			g_byte_array_append(cp, h, 8);
		}
		for (guint i = 0; i < n; i++) {
			guint8 a[4] = {0, IKE_CP_ATTR_INTERNAL_IP4_DNS, 0, 0};

			g_byte_array_append(cp, a, 4);
		}
		m = make_message(IKE_EXCHANGE_IKE_AUTH, 0, IKE_PAYLOAD_CP, cp->data, cp->len);
		g_assert_cmpint(decode_exact(m->data, m->len, msg), ==, want);
		g_clear_pointer(&m, g_byte_array_unref);

		/* skipped unknown payloads are bounded too */
		n = 16 + extra;
		for (guint i = 0; i < n; i++) {
			guint8 u[4] = {i + 1 < n ? 200 : 0, 0, 0, 4};

			g_byte_array_append(unk, u, 4);
		}
		m = make_message(IKE_EXCHANGE_INFORMATIONAL, 0, 200, unk->data, unk->len);
		g_assert_cmpint(decode_exact(m->data, m->len, msg), ==, want);
	}
}

/* ---- per-exchange rules ---- */

#define P_IDR  "27 00 0017 02 000000 76706e2e6578616d706c652e636f6d"
#define P_AUTH "21 00 0028 02 000000" KEY_A
#define P_SA_ESP                                                                                   \
	"2c 00 0024 00 00 0020 01 03 04 02 11223344 03 00 000c 01 00 0014 800e 0100 00 00 0008 "   \
	"05 00 0000"
#define P_TSI "2d 00 0018 01 000000 07 00 0010 0000 ffff c633640a c633640a"
#define P_TSR "00 00 0018 01 000000 07 00 0010 0000 ffff c6336400 c63364ff"

typedef struct {
	const char *name;
	uint8_t exchange;
	bool response;
	uint8_t first_clear; /* first payload outside SK */
	const char *clear;   /* chain outside SK (ending in SK, or not) */
	uint8_t first_inner; /* 0: no inner chain */
	const char *inner;   /* chain inside SK, as ike_sk_decode would append it */
	IkeWireStatus want;
} RuleCase;

/* clang-format off */
static const RuleCase rule_cases[] = {
	{ "auth-response", IKE_EXCHANGE_IKE_AUTH, true, IKE_PAYLOAD_SK, "24 00 0004",
	  IKE_PAYLOAD_IDR, P_IDR P_AUTH P_SA_ESP P_TSI P_TSR, IKE_WIRE_OK },
	/* §3.14: IDr in the clear before SK must be refused */
	{ "auth-idr-outside-sk", IKE_EXCHANGE_IKE_AUTH, true, IKE_PAYLOAD_IDR,
	  "2e 00 0017 02 000000 76706e2e6578616d706c652e636f6d 27 00 0004", IKE_PAYLOAD_AUTH,
	  P_AUTH P_SA_ESP P_TSI P_TSR, IKE_WIRE_INVALID_SYNTAX },
	{ "auth-no-sk", IKE_EXCHANGE_IKE_AUTH, true, IKE_PAYLOAD_NOTIFY, "00 00 0008 00 00 0018",
	  0, NULL, IKE_WIRE_INVALID_SYNTAX },
	{ "auth-two-auth", IKE_EXCHANGE_IKE_AUTH, true, IKE_PAYLOAD_SK, "27 00 0004",
	  IKE_PAYLOAD_AUTH, "27 00 0028 02 000000" KEY_A P_AUTH P_SA_ESP P_TSI P_TSR,
	  IKE_WIRE_INVALID_SYNTAX },
	{ "auth-ke-not-allowed", IKE_EXCHANGE_IKE_AUTH, true, IKE_PAYLOAD_SK, "22 00 0004",
	  IKE_PAYLOAD_KE, "00 00 0028 001f 0000" KEY_A, IKE_WIRE_INVALID_SYNTAX },
	/* §2.21.2: AUTHENTICATION_FAILED alone, inside SK */
	{ "auth-failed", IKE_EXCHANGE_IKE_AUTH, true, IKE_PAYLOAD_SK, "29 00 0004",
	  IKE_PAYLOAD_NOTIFY, "00 00 0008 00 00 0018", IKE_WIRE_OK },
	/* §1.2 error and cookie responses replace SA, KE, Nr */
	{ "sa-init-missing-ke", IKE_EXCHANGE_IKE_SA_INIT, true, IKE_PAYLOAD_SA,
	  "28 00 0028" "00 00 0024 01 01 00 03 03 00 000c 01 00 0014 800e 0100 03 00 0008 02 00 0005 00 00 0008 04 00 001f"
	  "00 00 0024" NONCE_R,
	  0, NULL, IKE_WIRE_INVALID_SYNTAX },
	{ "sa-init-invalid-ke", IKE_EXCHANGE_IKE_SA_INIT, true, IKE_PAYLOAD_NOTIFY,
	  "00 00 000a 00 00 0011 0013", 0, NULL, IKE_WIRE_OK },
	{ "sa-init-cookie", IKE_EXCHANGE_IKE_SA_INIT, true, IKE_PAYLOAD_NOTIFY,
	  "00 00 0018 00 00 4006 000102030405060708090a0b0c0d0e0f", 0, NULL, IKE_WIRE_OK },
	/* RFC 5685 §4.1: N(REDIRECT) alone; GW identity type 1 (IPv4), 198.51.100.1, nonce */
	{ "sa-init-redirect", IKE_EXCHANGE_IKE_SA_INIT, true, IKE_PAYLOAD_NOTIFY,
	  "00 00 001e 00 00 4017 01 04 c6336401 000102030405060708090a0b0c0d0e0f", 0, NULL, IKE_WIRE_OK },
	{ "sa-init-only-status-notify", IKE_EXCHANGE_IKE_SA_INIT, true, IKE_PAYLOAD_NOTIFY,
	  "00 00 0008 00 00 402e", 0, NULL, IKE_WIRE_INVALID_SYNTAX },
	{ "sa-init-with-sk", IKE_EXCHANGE_IKE_SA_INIT, true, IKE_PAYLOAD_SK, "00 00 0008 00010203",
	  0, NULL, IKE_WIRE_INVALID_SYNTAX },
	{ "sa-init-request-from-gateway", IKE_EXCHANGE_IKE_SA_INIT, false, IKE_PAYLOAD_NOTIFY,
	  "00 00 000a 00 00 0011 0013", 0, NULL, IKE_WIRE_INVALID_SYNTAX },
	{ "informational-empty", IKE_EXCHANGE_INFORMATIONAL, false, IKE_PAYLOAD_SK, "00 00 0004", 0,
	  NULL, IKE_WIRE_OK },
	{ "informational-fragmented", IKE_EXCHANGE_INFORMATIONAL, true, IKE_PAYLOAD_SKF,
	  "2a 00 0008 0001 0001", IKE_PAYLOAD_DELETE, "00 00 0008 01 00 0000", IKE_WIRE_OK },
	{ "informational-delete", IKE_EXCHANGE_INFORMATIONAL, false, IKE_PAYLOAD_SK, "2a 00 0004",
	  IKE_PAYLOAD_DELETE, "00 00 0008 01 00 0000", IKE_WIRE_OK },
	{ "informational-sa", IKE_EXCHANGE_INFORMATIONAL, false, IKE_PAYLOAD_SK, "21 00 0004",
	  IKE_PAYLOAD_SA, "00 00 0024 00 00 0020 01 03 04 02 11223344 03 00 000c 01 00 0014 800e 0100 00 00 0008 05 00 0000",
	  IKE_WIRE_INVALID_SYNTAX },
	/* §1.3.3: the gateway rekeys a Child SA */
	{ "create-child-request", IKE_EXCHANGE_CREATE_CHILD_SA, false, IKE_PAYLOAD_SK, "29 00 0004",
	  IKE_PAYLOAD_NOTIFY,
	  "21 00 000c 03 04 4009 11223344"
	  "28 00 0024 00 00 0020 01 03 04 02 11223344 03 00 000c 01 00 0014 800e 0100 00 00 0008 05 00 0000"
	  "2c 00 0024" NONCE_R P_TSI P_TSR,
	  IKE_WIRE_OK },
	{ "create-child-no-nonce", IKE_EXCHANGE_CREATE_CHILD_SA, true, IKE_PAYLOAD_SK, "21 00 0004",
	  IKE_PAYLOAD_SA, P_SA_ESP P_TSI P_TSR, IKE_WIRE_INVALID_SYNTAX },
	{ "create-child-no-proposal", IKE_EXCHANGE_CREATE_CHILD_SA, true, IKE_PAYLOAD_SK,
	  "29 00 0004", IKE_PAYLOAD_NOTIFY, "00 00 0008 00 00 000e", IKE_WIRE_OK },
	{ "unknown-exchange", 99, true, IKE_PAYLOAD_SK, "00 00 0004", 0, NULL,
	  IKE_WIRE_INVALID_SYNTAX },
};
/* clang-format on */

static void
test_rules(gconstpointer data)
{
	const RuleCase *c = data;
	g_autoptr(GByteArray) m = make_message_hex(c->exchange, c->response ? IKE_FLAG_RESPONSE : 0,
	                                           c->first_clear, c->clear);
	g_autoptr(IkeMessage) msg = new_message();
	g_autoptr(WireTestBuf) inner = c->inner ? wire_test_hex(c->inner) : NULL;

	g_assert_cmpint(ike_message_decode(m->data, m->len, msg), ==, IKE_WIRE_OK);
	if (inner) {
		g_assert_cmpuint(msg->sk_first_payload, ==, c->first_inner);
		g_assert_cmpint(ike_message_decode_chain(c->first_inner, inner->bytes->data,
		                                         inner->bytes->len, true, msg),
		                ==, IKE_WIRE_OK);
	}
	g_assert_cmpint(ike_message_check_rules(msg, c->response), ==, c->want);
}

static void
test_find(void)
{
	g_autoptr(GByteArray) m = make_message_hex(
		IKE_EXCHANGE_INFORMATIONAL, IKE_FLAG_RESPONSE, IKE_PAYLOAD_NOTIFY,
		"29 00 0008 00 00 4000 29 00 0008 00 00 0018 00 00 0008 00 00 0007");
	g_autoptr(IkeMessage) msg = new_message();
	const IkeNotifyPayload *n;

	g_assert_cmpint(ike_message_decode(m->data, m->len, msg), ==, IKE_WIRE_OK);
	g_assert_true(ike_message_find(msg, IKE_PAYLOAD_NOTIFY) == &msg->payloads[0]);
	g_assert_null(ike_message_find(msg, IKE_PAYLOAD_SA));
	n = ike_message_find_error_notify(msg);
	g_assert_nonnull(n);
	g_assert_cmpuint(n->type, ==, IKE_NOTIFY_AUTHENTICATION_FAILED);
	g_assert_true(ike_message_find_notify(msg, IKE_NOTIFY_INVALID_SYNTAX) ==
	              &msg->payloads[2].u.notify);
	g_assert_null(ike_message_find_notify(msg, IKE_NOTIFY_COOKIE));
	g_assert_cmpstr(ike_wire_status_to_string(IKE_WIRE_TOO_MANY), ==, "too many elements");
	g_assert_cmpuint(ike_wire_status_to_notify(IKE_WIRE_BAD_LENGTH), ==,
	                 IKE_NOTIFY_INVALID_SYNTAX);
	g_assert_cmpuint(ike_wire_status_to_notify(IKE_WIRE_INTEGRITY), ==, 0);
}

int
main(int argc, char **argv)
{
	static const char *const names[] = {"sa-init-request", "sa-init-response", "rich"};

	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/ferry/wire/message/sa-init-request", test_sa_init_request);
	g_test_add_func("/ferry/wire/message/sa-init-request-build", test_sa_init_request_build);
	g_test_add_func("/ferry/wire/message/sa-init-response", test_sa_init_response);
	g_test_add_func("/ferry/wire/message/rich-round-trip", test_rich_round_trip);
	for (size_t i = 0; i < G_N_ELEMENTS(valid_messages); i++) {
		g_autofree char *t = g_strdup_printf("/ferry/wire/message/truncated/%s", names[i]);
		g_autofree char *l =
			g_strdup_printf("/ferry/wire/message/length-off-by-one/%s", names[i]);

		g_test_add_data_func(t, valid_messages[i], test_truncated);
		g_test_add_data_func(l, valid_messages[i], test_length_off_by_one);
	}
	for (size_t i = 0; i < G_N_ELEMENTS(chain_cases); i++) {
		g_autofree char *path =
			g_strdup_printf("/ferry/wire/message/chain/%s", chain_cases[i].name);

		g_test_add_data_func(path, &chain_cases[i], test_chain_case);
	}
	for (size_t i = 0; i < G_N_ELEMENTS(rule_cases); i++) {
		g_autofree char *path =
			g_strdup_printf("/ferry/wire/message/rules/%s", rule_cases[i].name);

		g_test_add_data_func(path, &rule_cases[i], test_rules);
	}
	g_test_add_func("/ferry/wire/message/header", test_header);
	g_test_add_func("/ferry/wire/message/too-many", test_too_many);
	g_test_add_func("/ferry/wire/message/find", test_find);
	return g_test_run();
}
