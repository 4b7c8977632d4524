/* SPDX-License-Identifier: GPL-2.0-or-later */
/* test-wire-payloads.c - every payload's table: round trips and semantic checks
 *
 * Each round-trip case gives a payload as hand-written bytes laid out per its RFC 7296 §3
 * figure and the same payload as a C struct.  Encoding the struct must give the bytes,
 * decoding the bytes and encoding again must give them back.
 */
#include <glib.h>
#include <string.h>

#include "ike-message.h"
#include "wire-test.h"

static const uint8_t key32[32] = {0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17, 0x18, 0x19, 0x1a,
                                  0x1b, 0x1c, 0x1d, 0x1e, 0x1f, 0x20, 0x21, 0x22, 0x23, 0x24, 0x25,
                                  0x26, 0x27, 0x28, 0x29, 0x2a, 0x2b, 0x2c, 0x2d, 0x2e, 0x2f};
static const uint8_t hash20[20] = {0xa0, 0xa1, 0xa2, 0xa3, 0xa4, 0xa5, 0xa6, 0xa7, 0xa8, 0xa9,
                                   0xaa, 0xab, 0xac, 0xad, 0xae, 0xaf, 0xb0, 0xb1, 0xb2, 0xb3};
static const uint8_t spi4[4] = {0x11, 0x22, 0x33, 0x44};

typedef struct {
	const char *name;
	const char *hex; /* the whole payload, generic header included */
	void (*build)(IkePayload *p);
} RoundTrip;

#define KEY32_HEX  "101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f"
#define HASH20_HEX "a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3"

static void
set_transform(IkeTransform *t, uint8_t type, uint16_t id, uint16_t key_bits)
{
	t->type = type;
	t->id = id;
	t->key_bits = key_bits;
}

static void
build_sa_ike(IkePayload *p)
{
	IkeProposal *pr = &p->u.sa.proposals[0];

	p->type = IKE_PAYLOAD_SA;
	p->u.sa.n_proposals = 1;
	pr->number = 1;
	pr->protocol = IKE_PROTO_IKE;
	pr->n_transforms = 3;
	set_transform(&pr->transforms[0], IKE_TRANSFORM_ENCR, IKE_ENCR_AES_GCM_16, 256);
	set_transform(&pr->transforms[1], IKE_TRANSFORM_PRF, IKE_PRF_HMAC_SHA2_256, 0);
	set_transform(&pr->transforms[2], IKE_TRANSFORM_KE, IKE_KE_CURVE25519, 0);
}

static void
build_sa_esp(IkePayload *p)
{
	IkeProposal *pr = &p->u.sa.proposals[0];

	p->type = IKE_PAYLOAD_SA;
	p->u.sa.n_proposals = 2;
	pr->number = 1;
	pr->protocol = IKE_PROTO_ESP;
	pr->spi_size = 4;
	memcpy(pr->spi, spi4, 4);
	pr->n_transforms = 3;
	set_transform(&pr->transforms[0], IKE_TRANSFORM_ENCR, IKE_ENCR_AES_CBC, 256);
	set_transform(&pr->transforms[1], IKE_TRANSFORM_INTEG, IKE_INTEG_HMAC_SHA2_256_128, 0);
	set_transform(&pr->transforms[2], IKE_TRANSFORM_ESN, IKE_ESN_NO, 0);
	pr = &p->u.sa.proposals[1];
	pr->number = 2;
	pr->protocol = IKE_PROTO_ESP;
	pr->spi_size = 4;
	memcpy(pr->spi, spi4, 4);
	pr->n_transforms = 2;
	set_transform(&pr->transforms[0], IKE_TRANSFORM_ENCR, IKE_ENCR_AES_GCM_16, 256);
	set_transform(&pr->transforms[1], IKE_TRANSFORM_ESN, IKE_ESN_NO, 0);
}

static void
build_ke(IkePayload *p)
{
	p->type = IKE_PAYLOAD_KE;
	p->u.ke.group = IKE_KE_CURVE25519;
	p->u.ke.data = FERRY_SPAN(key32, 32);
}

static void
build_idr_fqdn(IkePayload *p)
{
	p->type = IKE_PAYLOAD_IDR;
	p->u.id.id_type = IKE_ID_FQDN;
	p->u.id.data = FERRY_SPAN("vpn.example.com", 15);
}

static void
build_idi_ipv4(IkePayload *p)
{
	static const uint8_t addr[4] = {198, 51, 100, 7};

	p->type = IKE_PAYLOAD_IDI;
	p->u.id.id_type = IKE_ID_IPV4_ADDR;
	p->u.id.data = FERRY_SPAN(addr, 4);
}

static void
build_cert(IkePayload *p)
{
	static const uint8_t der[4] = {0x30, 0x82, 0x01, 0x0a};

	p->type = IKE_PAYLOAD_CERT;
	p->u.cert.encoding = IKE_CERT_X509_SIGNATURE;
	p->u.cert.data = FERRY_SPAN(der, 4);
}

static void
build_certreq(IkePayload *p)
{
	p->type = IKE_PAYLOAD_CERTREQ;
	p->u.cert.encoding = IKE_CERT_X509_SIGNATURE;
	p->u.cert.data = FERRY_SPAN(hash20, 20);
}

static void
build_auth(IkePayload *p)
{
	p->type = IKE_PAYLOAD_AUTH;
	p->u.auth.method = IKE_AUTH_PSK;
	p->u.auth.data = FERRY_SPAN(key32, 32);
}

static void
build_nonce(IkePayload *p)
{
	p->type = IKE_PAYLOAD_NONCE;
	p->u.nonce = FERRY_SPAN(key32, 32);
}

static void
build_notify_natd(IkePayload *p)
{
	p->type = IKE_PAYLOAD_NOTIFY;
	p->u.notify.type = IKE_NOTIFY_NAT_DETECTION_SOURCE_IP;
	p->u.notify.data = FERRY_SPAN(hash20, 20);
}

static void
build_notify_rekey(IkePayload *p)
{
	p->type = IKE_PAYLOAD_NOTIFY;
	p->u.notify.protocol = IKE_PROTO_ESP;
	p->u.notify.spi_size = 4;
	p->u.notify.type = IKE_NOTIFY_REKEY_SA;
	p->u.notify.spi = FERRY_SPAN(spi4, 4);
}

static void
build_delete_esp(IkePayload *p)
{
	static const uint8_t spis[8] = {0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88};

	p->type = IKE_PAYLOAD_DELETE;
	p->u.del.protocol = IKE_PROTO_ESP;
	p->u.del.spi_size = 4;
	p->u.del.n_spi = 2;
	p->u.del.spis = FERRY_SPAN(spis, 8);
}

static void
build_delete_ike(IkePayload *p)
{
	p->type = IKE_PAYLOAD_DELETE;
	p->u.del.protocol = IKE_PROTO_IKE;
}

static void
build_vendor(IkePayload *p)
{
	p->type = IKE_PAYLOAD_VENDOR;
	p->u.vendor = FERRY_SPAN(key32, 16);
}

static void
build_tsi(IkePayload *p)
{
	IkeTs *ts = p->u.ts.ts;

	p->type = IKE_PAYLOAD_TSI;
	p->u.ts.n_ts = 2;
	ts[0].type = IKE_TS_IPV4_ADDR_RANGE;
	ts[0].end_port = 0xffff;
	memset(ts[0].end, 0xff, 4);
	ts[1].type = IKE_TS_IPV6_ADDR_RANGE;
	ts[1].end_port = 0xffff;
	memset(ts[1].end, 0xff, 16);
}

static void
build_tsr(IkePayload *p)
{
	IkeTs *ts = p->u.ts.ts;
	static const uint8_t lo[4] = {198, 51, 100, 0}, hi[4] = {198, 51, 100, 255};

	p->type = IKE_PAYLOAD_TSR;
	p->u.ts.n_ts = 1;
	ts[0].type = IKE_TS_IPV4_ADDR_RANGE;
	ts[0].ip_proto = 6;
	ts[0].start_port = 80;
	ts[0].end_port = 80;
	memcpy(ts[0].start, lo, 4);
	memcpy(ts[0].end, hi, 4);
}

static void
build_cp_reply(IkePayload *p)
{
	static const uint8_t ip[4] = {198, 51, 100, 10}, dns[4] = {198, 51, 100, 53};
	static const uint8_t ip6[17] = {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0,
	                                0,    0,    0,    0,    0, 0, 1, 64};
	IkeCpAttr *a = p->u.cp.attrs;

	p->type = IKE_PAYLOAD_CP;
	p->u.cp.cfg_type = IKE_CFG_REPLY;
	p->u.cp.n_attrs = 4;
	a[0] = (IkeCpAttr){IKE_CP_ATTR_INTERNAL_IP4_ADDRESS, FERRY_SPAN(ip, 4)};
	a[1] = (IkeCpAttr){IKE_CP_ATTR_INTERNAL_IP4_DNS, FERRY_SPAN(dns, 4)};
	a[2] = (IkeCpAttr){IKE_CP_ATTR_INTERNAL_IP6_ADDRESS, FERRY_SPAN(ip6, 17)};
	a[3] = (IkeCpAttr){IKE_CP_ATTR_INTERNAL_DNS_DOMAIN, FERRY_SPAN("example.com", 11)};
}

static void
build_cp_request(IkePayload *p)
{
	IkeCpAttr *a = p->u.cp.attrs;

	p->type = IKE_PAYLOAD_CP;
	p->u.cp.cfg_type = IKE_CFG_REQUEST;
	p->u.cp.n_attrs = 3;
	a[0].type = IKE_CP_ATTR_INTERNAL_IP4_ADDRESS;
	a[1].type = IKE_CP_ATTR_INTERNAL_IP4_DNS;
	a[2].type = IKE_CP_ATTR_INTERNAL_IP6_ADDRESS;
}

static void
build_eap_identity(IkePayload *p)
{
	static const uint8_t eap[5] = {1, 5, 0, 5, 1};

	p->type = IKE_PAYLOAD_EAP;
	p->u.eap = FERRY_SPAN(eap, 5);
}

static void
build_eap_success(IkePayload *p)
{
	static const uint8_t eap[4] = {3, 6, 0, 4};

	p->type = IKE_PAYLOAD_EAP;
	p->u.eap = FERRY_SPAN(eap, 4);
}

static void
build_sk(IkePayload *p)
{
	p->type = IKE_PAYLOAD_SK;
	p->sk_first = IKE_PAYLOAD_IDI;
	p->u.sk = FERRY_SPAN(key32, 16);
}

static void
build_skf(IkePayload *p)
{
	p->type = IKE_PAYLOAD_SKF;
	p->u.skf.number = 2;
	p->u.skf.total = 3;
	p->u.skf.data = FERRY_SPAN(key32, 12);
}

static void
build_critical_vendor(IkePayload *p)
{
	build_vendor(p);
	p->critical = true;
}

/* Generic header (§3.2): Next Payload | C+RESERVED | Payload Length; then the body. */
static const RoundTrip round_trips[] = {
	{"sa-ike",               /* §3.3: one IKE proposal: AES-GCM-16-256, PRF-HMAC-SHA2-256, Curve25519 */
         "00 00 0028"
         "  00 00 0024 01 01 00 03"            /* last, len 36, #1, IKE, no SPI, 3 transforms */
         "    03 00 000c 01 00 0014 800e 0100" /* more, ENCR 20, Key Length (TV) 256 */
         "    03 00 0008 02 00 0005"           /* more, PRF 5 */
         "    00 00 0008 04 00 001f",                                         /* last, KE 31 */
         build_sa_ike					 },
	{"sa-esp-two-proposals", /* §3.3.1: ESP proposals carry a 4-octet SPI */
         "00 00 004c"
         "  02 00 0028 01 03 04 03 11223344"
         "    03 00 000c 01 00 000c 800e 0100" /* AES-CBC-256 */
         "    03 00 0008 03 00 000c"           /* HMAC-SHA2-256-128 */
         "    00 00 0008 05 00 0000"           /* no ESN */
         "  00 00 0020 02 03 04 02 11223344"
         "    03 00 000c 01 00 0014 800e 0100"
         "    00 00 0008 05 00 0000",                           build_sa_esp         },
	{"ke",		   "00 00 0028 001f 0000" KEY32_HEX,                              build_ke             },
	{"idr-fqdn",             "00 00 0017 02 000000 76706e2e6578616d706c652e636f6d",         build_idr_fqdn       },
	{"idi-ipv4",             "00 00 000c 01 000000 c6336407",                               build_idi_ipv4       },
	{"cert",		 "00 00 0009 04 3082010a",                                      build_cert           },
	{"certreq",              "00 00 0019 04" HASH20_HEX,                                    build_certreq        },
	{"auth-psk",             "00 00 0028 02 000000" KEY32_HEX,                              build_auth           },
	{"nonce",                "00 00 0024" KEY32_HEX,                                        build_nonce          },
	{"notify-natd",          "00 00 001c 00 00 4004" HASH20_HEX,                            build_notify_natd    },
	{"notify-rekey-sa",      "00 00 000c 03 04 4009 11223344",                              build_notify_rekey   },
	{"delete-esp",           "00 00 0010 03 04 0002 11223344 55667788",                     build_delete_esp     },
	{"delete-ike",           "00 00 0008 01 00 0000",                                       build_delete_ike     },
	{"vendor",               "00 00 0014 101112131415161718191a1b1c1d1e1f",                 build_vendor         },
	{"vendor-critical",      "00 80 0014 101112131415161718191a1b1c1d1e1f",                 build_critical_vendor},
	{"tsi-v4-v6",            /* §3.13.1: everything, IPv4 and IPv6 */
         "00 00 0040 02 000000"
         "  07 00 0010 0000 ffff 00000000 ffffffff"
         "  08 00 0028 0000 ffff 00000000000000000000000000000000"
         "                       ffffffffffffffffffffffffffffffff",        build_tsi            },
	{"tsr-tcp80",            "00 00 0018 01 000000 07 06 0010 0050 0050 c6336400 c63364ff", build_tsr            },
	{"cp-reply",             /* §3.15.1 attributes: type | length | value */
         "00 00 003c 02 000000"
         "  0001 0004 c633640a"                            /* INTERNAL_IP4_ADDRESS 198.51.100.10 */
         "  0003 0004 c6336435"                            /* INTERNAL_IP4_DNS 198.51.100.53 */
         "  0008 0011 20010db8000000000000000000000001 40" /* INTERNAL_IP6_ADDRESS /64 */
         "  0019 000b 6578616d706c652e636f6d",                              /* INTERNAL_DNS_DOMAIN example.com */
         build_cp_reply			    },
	{"cp-request",           "00 00 0014 01 000000 0001 0000 0003 0000 0008 0000",          build_cp_request     },
	{"eap-identity",         "00 00 0009 01 05 0005 01",                                    build_eap_identity   },
	{"eap-success",          "00 00 0008 03 06 0004",                                       build_eap_success    },
	{"sk",		   "23 00 0014 101112131415161718191a1b1c1d1e1f",                 build_sk             },
	{"skf",		  "00 00 0014 0002 0003 101112131415161718191a1b",               build_skf            },
};

static void
test_round_trip(gconstpointer data)
{
	const RoundTrip *rt = data;
	g_autoptr(WireTestBuf) want = wire_test_hex(rt->hex);
	IkePayload built;
	g_autofree IkeMessage *msg = g_new0(IkeMessage, 1);
	uint8_t out[512];
	size_t out_len = 0;
	uint8_t first = 0;

	memset(&built, 0, sizeof(built));
	rt->build(&built);
	g_assert_cmpint(ike_message_encode_chain(&built, 1, out, sizeof(out), &out_len, &first), ==,
	                IKE_WIRE_OK);
	g_assert_cmpint(first, ==, built.type);
	g_assert_cmpmem(out, out_len, want->bytes->data, want->bytes->len);

	g_assert_cmpint(ike_message_decode_chain(built.type, want->bytes->data, want->bytes->len,
	                                         false, msg),
	                ==, IKE_WIRE_OK);
	g_assert_cmpuint(msg->n_payloads, ==, 1);
	g_assert_cmpint(msg->payloads[0].type, ==, built.type);
	g_assert_false(msg->payloads[0].in_sk);
	g_assert_cmpint(msg->payloads[0].sk_first, ==, built.sk_first);
	g_assert_cmpint(msg->payloads[0].critical, ==, built.critical);
	g_assert_cmpuint(msg->payloads[0].body.len, ==, want->bytes->len - IKE_PAYLOAD_HEADER_LEN);
	memset(out, 0, sizeof(out));
	g_assert_cmpint(
		ike_message_encode_chain(msg->payloads, 1, out, sizeof(out), &out_len, NULL), ==,
		IKE_WIRE_OK);
	g_assert_cmpmem(out, out_len, want->bytes->data, want->bytes->len);

	/* every shorter output buffer is refused, never overrun */
	for (size_t cap = 0; cap < want->bytes->len; cap++) {
		g_assert_cmpint(ike_message_encode_chain(&built, 1, out, cap, &out_len, NULL), ==,
		                IKE_WIRE_NO_SPACE);
	}
}

/* A few decoded values, to show the fields land where the RFC puts them. */
static void
test_decoded_fields(void)
{
	g_autoptr(WireTestBuf) sa = wire_test_hex(round_trips[1].hex);
	g_autoptr(WireTestBuf) id = wire_test_hex(round_trips[3].hex);
	g_autoptr(WireTestBuf) ts = wire_test_hex(round_trips[16].hex);
	g_autofree IkeMessage *msg = g_new0(IkeMessage, 1);
	const IkeProposal *pr;
	const IkeTs *t;

	g_assert_cmpint(ike_message_decode_chain(IKE_PAYLOAD_SA, sa->bytes->data, sa->bytes->len,
	                                         true, msg),
	                ==, IKE_WIRE_OK);
	pr = &msg->payloads[0].u.sa.proposals[1];
	g_assert_cmpuint(msg->payloads[0].u.sa.n_proposals, ==, 2);
	g_assert_cmpuint(pr->number, ==, 2);
	g_assert_cmpmem(pr->spi, pr->spi_size, spi4, 4);
	g_assert_cmpuint(pr->transforms[0].id, ==, IKE_ENCR_AES_GCM_16);
	g_assert_cmpuint(pr->transforms[0].key_bits, ==, 256);
	g_assert_cmpuint(pr->transforms[1].type, ==, IKE_TRANSFORM_ESN);

	g_assert_cmpint(ike_message_decode_chain(IKE_PAYLOAD_IDR, id->bytes->data, id->bytes->len,
	                                         true, msg),
	                ==, IKE_WIRE_OK);
	/* §2.15: the body AUTH covers is ID Type | RESERVED | data */
	g_assert_cmpmem(msg->payloads[1].u.id.body.data, msg->payloads[1].u.id.body.len,
	                id->bytes->data + 4, id->bytes->len - 4);
	g_assert_cmpmem(msg->payloads[1].u.id.data.data, msg->payloads[1].u.id.data.len,
	                "vpn.example.com", 15);

	g_assert_cmpint(ike_message_decode_chain(IKE_PAYLOAD_TSR, ts->bytes->data, ts->bytes->len,
	                                         true, msg),
	                ==, IKE_WIRE_OK);
	t = &msg->payloads[2].u.ts.ts[0];
	g_assert_cmpuint(t->ip_proto, ==, 6);
	g_assert_cmpuint(t->start_port, ==, 80);
	g_assert_cmpuint(t->end[3], ==, 255);
}

/* Reserved bits and fields are ignored on receipt and written as zero (RFC 7296 §3.2). */
static void
test_reserved_ignored(void)
{
	/* KE with RESERVED = 0xffff; CP attribute with the R bit set; C-byte reserved bits */
	g_autoptr(WireTestBuf) in = wire_test_hex("2f 7f 0028 001f ffff" KEY32_HEX
	                                          "00 00 0010 01 ffffff 8001 0004 c633640a");
	g_autoptr(WireTestBuf) want = wire_test_hex("2f 00 0028 001f 0000" KEY32_HEX
	                                            "00 00 0010 01 000000 0001 0004 c633640a");
	g_autofree IkeMessage *msg = g_new0(IkeMessage, 1);
	uint8_t out[128];
	size_t out_len;

	g_assert_cmpint(ike_message_decode_chain(IKE_PAYLOAD_KE, in->bytes->data, in->bytes->len,
	                                         false, msg),
	                ==, IKE_WIRE_OK);
	g_assert_false(msg->payloads[0].critical);
	g_assert_cmpuint(msg->payloads[1].u.cp.attrs[0].type, ==, IKE_CP_ATTR_INTERNAL_IP4_ADDRESS);
	g_assert_cmpint(ike_message_encode_chain(msg->payloads, msg->n_payloads, out, sizeof(out),
	                                         &out_len, NULL),
	                ==, IKE_WIRE_OK);
	g_assert_cmpmem(out, out_len, want->bytes->data, want->bytes->len);
}

typedef struct {
	const char *name;
	uint8_t type;
	const char *hex; /* the whole payload */
	IkeWireStatus want;
} CheckCase;

/* Semantic rules beside each table (the *_check() functions). */
static const CheckCase check_cases[] = {
	{"nonce-15",                 IKE_PAYLOAD_NONCE,   "00 00 0013 000102030405060708090a0b0c0d0e",
         IKE_WIRE_INVALID_SYNTAX												}, /* §3.9: 16..256 */
	{"nonce-16",                 IKE_PAYLOAD_NONCE,   "00 00 0014 000102030405060708090a0b0c0d0e0f", IKE_WIRE_OK            },
	{"ke-empty",                 IKE_PAYLOAD_KE,      "00 00 0008 001f 0000",                        IKE_WIRE_INVALID_SYNTAX},
	{"ke-group-0",               IKE_PAYLOAD_KE,      "00 00 0009 0000 0000 01",                     IKE_WIRE_INVALID_SYNTAX},
	{"id-ipv4-5-bytes",          IKE_PAYLOAD_IDI,     "00 00 000d 01 000000 c633640701",
         IKE_WIRE_INVALID_SYNTAX												},
	{"id-ipv6-4-bytes",          IKE_PAYLOAD_IDI,     "00 00 000c 05 000000 c6336407",
         IKE_WIRE_INVALID_SYNTAX												},
	{"id-unknown-type",          IKE_PAYLOAD_IDR,     "00 00 0009 07 000000 61",                     IKE_WIRE_INVALID_SYNTAX},
	{"id-fqdn-empty",            IKE_PAYLOAD_IDR,     "00 00 0008 02 000000",                        IKE_WIRE_INVALID_SYNTAX},
	{"auth-empty",               IKE_PAYLOAD_AUTH,    "00 00 0008 02 000000",                        IKE_WIRE_INVALID_SYNTAX},
	{"cert-empty",               IKE_PAYLOAD_CERT,    "00 00 0005 04",                               IKE_WIRE_INVALID_SYNTAX},
	{"certreq-empty",            IKE_PAYLOAD_CERTREQ, "00 00 0005 04",                               IKE_WIRE_OK            },
	{"proposal-esp-spi-8",       IKE_PAYLOAD_SA,
         "00 00 001c 00 00 0018 01 03 08 01 0102030405060708 00 00 0008 05 00 0000",                     IKE_WIRE_INVALID_SYNTAX}, /* §3.3.1: ESP SPIs are 4 octets */
	{"proposal-ike-spi-4",       IKE_PAYLOAD_SA,
         "00 00 0018 00 00 0014 01 01 04 01 01020304 00 00 0008 02 00 0005",                             IKE_WIRE_INVALID_SYNTAX},
	{"proposal-ike-spi-8",       IKE_PAYLOAD_SA,
         "00 00 001c 00 00 0018 01 01 08 01 0102030405060708 00 00 0008 02 00 0005",                     IKE_WIRE_OK            }, /* rekeying the IKE SA */
	{"proposal-spi-9",           IKE_PAYLOAD_SA,
         "00 00 001d 00 00 0019 01 01 09 01 010203040506070809 00 00 0008 02 00 0005",                   IKE_WIRE_INVALID_SYNTAX},
	{"proposal-no-transforms",   IKE_PAYLOAD_SA,      "00 00 000c 00 00 0008 01 01 00 00",
         IKE_WIRE_INVALID_SYNTAX												},
	{"proposal-bad-protocol",    IKE_PAYLOAD_SA,
         "00 00 0014 00 00 0010 01 07 00 01 00 00 0008 02 00 0005",                                      IKE_WIRE_INVALID_SYNTAX},
	{"sa-empty",                 IKE_PAYLOAD_SA,      "00 00 0004",                                  IKE_WIRE_INVALID_SYNTAX},
	{"proposal-last-says-more",  IKE_PAYLOAD_SA,
         "00 00 0014 02 00 0010 01 01 00 01 00 00 0008 02 00 0005",                                      IKE_WIRE_INVALID_SYNTAX}, /* §3.3.1: Last Substruc is 0 on the last proposal */
	{"transform-more-then-none", IKE_PAYLOAD_SA,
         "00 00 001c 00 00 0018 01 01 00 02 00 00 0008 02 00 0005 00 00 0008 04 00 001f",                IKE_WIRE_INVALID_SYNTAX}, /* the first of two transforms says "last" */
	{"transform-unknown-attr",   IKE_PAYLOAD_SA,
         "00 00 0018 00 00 0014 01 01 00 01 00 00 000c 01 00 000c 8001 0001",                            IKE_WIRE_INVALID_SYNTAX}, /* §3.3.6 */
	{"transform-key-length-0",   IKE_PAYLOAD_SA,
         "00 00 0018 00 00 0014 01 01 00 01 00 00 000c 01 00 000c 800e 0000",                            IKE_WIRE_INVALID_SYNTAX},
	{"notify-spi-3",             IKE_PAYLOAD_NOTIFY,  "00 00 000b 03 03 4009 112233",
         IKE_WIRE_INVALID_SYNTAX												},
	{"notify-esp-spi-8",         IKE_PAYLOAD_NOTIFY,  "00 00 0010 03 08 4009 1122334455667788",
         IKE_WIRE_INVALID_SYNTAX												},
	{"notify-type-0",            IKE_PAYLOAD_NOTIFY,  "00 00 0008 00 00 0000",                       IKE_WIRE_INVALID_SYNTAX},
	{"delete-ike-with-spi",      IKE_PAYLOAD_DELETE,  "00 00 000c 01 04 0001 11223344",
         IKE_WIRE_INVALID_SYNTAX												}, /* §3.11 */
	{"delete-esp-none",          IKE_PAYLOAD_DELETE,  "00 00 0008 03 04 0000",                       IKE_WIRE_INVALID_SYNTAX},
	{"delete-esp-short",         IKE_PAYLOAD_DELETE,  "00 00 000f 03 04 0002 11223344 556677",
         IKE_WIRE_BAD_LENGTH												    },
	{"ts-start-after-end",       IKE_PAYLOAD_TSR,
         "00 00 0018 01 000000 07 00 0010 0000 ffff c6336401 c6336400",                                  IKE_WIRE_INVALID_SYNTAX},
	{"ts-ports-reversed",        IKE_PAYLOAD_TSR,
         "00 00 0018 01 000000 07 00 0010 0051 0050 c6336400 c6336401",                                  IKE_WIRE_INVALID_SYNTAX},
	{"ts-ports-opaque",          IKE_PAYLOAD_TSR,
         "00 00 0018 01 000000 07 11 0010 ffff 0000 c6336400 c6336401",                                  IKE_WIRE_OK            }, /* §3.13.1: OPAQUE */
	{"ts-v4-with-v6-length",     IKE_PAYLOAD_TSR,
         "00 00 0030 01 000000 07 00 0028 0000 ffff"
         "00000000000000000000000000000000 ffffffffffffffffffffffffffffffff",                            IKE_WIRE_BAD_LENGTH    },
	{"ts-unknown-type",          IKE_PAYLOAD_TSR,
         "00 00 0018 01 000000 09 00 0010 0000 ffff c6336400 c6336401",                                  IKE_WIRE_INVALID_SYNTAX},
	{"ts-none",                  IKE_PAYLOAD_TSI,     "00 00 0008 00 000000",                        IKE_WIRE_INVALID_SYNTAX},
	{"cp-ip4-5-bytes",           IKE_PAYLOAD_CP,      "00 00 0011 02 000000 0001 0005 c633640a00",
         IKE_WIRE_INVALID_SYNTAX												},
	{"cp-bad-type",              IKE_PAYLOAD_CP,      "00 00 0008 09 000000",                        IKE_WIRE_INVALID_SYNTAX},
	{"eap-length-mismatch",      IKE_PAYLOAD_EAP,     "00 00 0009 01 05 0006 01",
         IKE_WIRE_INVALID_SYNTAX												},
	{"eap-success-with-type",    IKE_PAYLOAD_EAP,     "00 00 0009 03 05 0005 01",
         IKE_WIRE_INVALID_SYNTAX												},
	{"eap-bad-code",             IKE_PAYLOAD_EAP,     "00 00 0009 07 05 0005 01",                    IKE_WIRE_INVALID_SYNTAX},
	{"skf-number-0",             IKE_PAYLOAD_SKF,     "00 00 0009 0000 0001 00",                     IKE_WIRE_INVALID_SYNTAX},
	{"skf-number-after-total",   IKE_PAYLOAD_SKF,     "00 00 0009 0003 0002 00",
         IKE_WIRE_INVALID_SYNTAX												},
};

static void
test_check(gconstpointer data)
{
	const CheckCase *c = data;
	g_autoptr(WireTestBuf) in = wire_test_hex(c->hex);
	g_autofree IkeMessage *msg = g_new0(IkeMessage, 1);

	g_assert_cmpint(
		ike_message_decode_chain(c->type, in->bytes->data, in->bytes->len, false, msg), ==,
		c->want);
}

/* The encoder refuses structs it cannot represent, instead of writing garbage. */
static void
test_encode_refuses(void)
{
	IkePayload p;
	uint8_t out[256];
	size_t out_len;

	memset(&p, 0, sizeof(p));
	build_notify_rekey(&p);
	p.u.notify.spi_size = 8; /* disagrees with the span */
	g_assert_cmpint(ike_message_encode_chain(&p, 1, out, sizeof(out), &out_len, NULL), ==,
	                IKE_WIRE_INVALID_SYNTAX);

	memset(&p, 0, sizeof(p));
	build_sa_ike(&p);
	p.u.sa.proposals[0].spi_size = IKE_MAX_SPI_LEN + 1;
	g_assert_cmpint(ike_message_encode_chain(&p, 1, out, sizeof(out), &out_len, NULL), ==,
	                IKE_WIRE_INVALID_SYNTAX);

	memset(&p, 0, sizeof(p));
	build_sa_ike(&p);
	p.u.sa.n_proposals = IKE_MAX_PROPOSALS + 1;
	g_assert_cmpint(ike_message_encode_chain(&p, 1, out, sizeof(out), &out_len, NULL), ==,
	                IKE_WIRE_TOO_MANY);

	memset(&p, 0, sizeof(p));
	build_tsr(&p);
	p.u.ts.ts[0].type = 9; /* no address length known */
	g_assert_cmpint(ike_message_encode_chain(&p, 1, out, sizeof(out), &out_len, NULL), ==,
	                IKE_WIRE_INVALID_SYNTAX);

	memset(&p, 0, sizeof(p));
	p.type = 200; /* no table */
	g_assert_cmpint(ike_message_encode_chain(&p, 1, out, sizeof(out), &out_len, NULL), ==,
	                IKE_WIRE_INVALID_SYNTAX);

	memset(&p, 0, sizeof(p));
	build_vendor(&p);
	p.u.vendor.len = 70000; /* longer than a payload length can say */
	{
		static uint8_t big[70000];
		static uint8_t big_out[70100];

		p.u.vendor.data = big;
		g_assert_cmpint(
			ike_message_encode_chain(&p, 1, big_out, sizeof(big_out), &out_len, NULL),
			==, IKE_WIRE_BAD_LENGTH);
	}
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	for (size_t i = 0; i < G_N_ELEMENTS(round_trips); i++) {
		g_autofree char *path =
			g_strdup_printf("/ferry/wire/payloads/round-trip/%s", round_trips[i].name);

		g_test_add_data_func(path, &round_trips[i], test_round_trip);
	}
	for (size_t i = 0; i < G_N_ELEMENTS(check_cases); i++) {
		g_autofree char *path =
			g_strdup_printf("/ferry/wire/payloads/check/%s", check_cases[i].name);

		g_test_add_data_func(path, &check_cases[i], test_check);
	}
	g_test_add_func("/ferry/wire/payloads/decoded-fields", test_decoded_fields);
	g_test_add_func("/ferry/wire/payloads/reserved-ignored", test_reserved_ignored);
	g_test_add_func("/ferry/wire/payloads/encode-refuses", test_encode_refuses);
	return g_test_run();
}
