/* SPDX-License-Identifier: GPL-2.0-or-later */
/* gen-ike-message-corpus.c - writes the seed corpus of fuzz-ike-message (run once, by hand)
 *
 * Valid messages of every exchange, built with the codec; protected ones sealed with the
 * harness's fixed key (fuzz-ike-message.h); plus edge cases.  Not built by meson; to
 * regenerate:
 *   cc -I client/wire -I client/crypto -I client/base tests/fuzz/gen-ike-message-corpus.c \
 *      build/client/wire/libferry-wire.a build/client/crypto/libferry-crypto.a \
 *      build/client/base/libferry-base.a $(pkg-config --libs gnutls nettle hogweed) -lgmp \
 *      -o /tmp/gen
 *   /tmp/gen tests/fuzz/corpus/ike-message
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz-ike-message.h"
#include "ike-sk.h"

static const char *dir;
static uint8_t out[IKE_MAX_MESSAGE_LEN];
static const uint8_t bytes32[32] = {1,  2,  3,  4,  5,  6,  7,  8,  9,  10, 11, 12, 13, 14, 15, 16,
                                    17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32};
static const uint8_t spi4[4] = {0x11, 0x22, 0x33, 0x44};

static void
write_file(const char *name, const uint8_t *data, size_t len)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "wb");
	if (!f || fwrite(data, 1, len, f) != len || fclose(f) != 0) {
		perror(path);
		exit(1);
	}
}

static void
must(IkeWireStatus st, const char *what)
{
	if (st != IKE_WIRE_OK) {
		fprintf(stderr, "%s: %s\n", what, ike_wire_status_to_string(st));
		exit(1);
	}
}

static IkeHeader
header(uint8_t exchange, uint8_t flags, uint32_t mid)
{
	IkeHeader h = {.spi_i = 0x0102030405060708ull,
	               .spi_r = 0x1112131415161718ull,
	               .version = IKE_VERSION,
	               .exchange = exchange,
	               .flags = flags,
	               .message_id = mid};

	if (exchange == IKE_EXCHANGE_IKE_SA_INIT && !(flags & IKE_FLAG_RESPONSE))
		h.spi_r = 0;
	return h;
}

static void
add_sa(IkePayload *p, uint8_t protocol)
{
	IkeProposal *pr = &p->u.sa.proposals[0];

	p->type = IKE_PAYLOAD_SA;
	p->u.sa.n_proposals = 1;
	pr->number = 1;
	pr->protocol = protocol;
	pr->spi_size = protocol == IKE_PROTO_ESP ? 4 : 0;
	memcpy(pr->spi, spi4, 4);
	pr->transforms[0] = (IkeTransform){IKE_TRANSFORM_ENCR, IKE_ENCR_AES_GCM_16, 256};
	if (protocol == IKE_PROTO_ESP) {
		pr->transforms[1] = (IkeTransform){IKE_TRANSFORM_ESN, IKE_ESN_NO, 0};
		pr->n_transforms = 2;
		return;
	}
	pr->transforms[1] = (IkeTransform){IKE_TRANSFORM_PRF, IKE_PRF_HMAC_SHA2_256, 0};
	pr->transforms[2] = (IkeTransform){IKE_TRANSFORM_KE, IKE_KE_CURVE25519, 0};
	pr->n_transforms = 3;
}

static void
add_ts(IkePayload *p, uint8_t type)
{
	p->type = type;
	p->u.ts.n_ts = 1;
	p->u.ts.ts[0].type = IKE_TS_IPV4_ADDR_RANGE;
	p->u.ts.ts[0].end_port = 0xffff;
	memset(p->u.ts.ts[0].end, 0xff, 4);
}

/* IDr, AUTH, CP, SA, TSi, TSr: an IKE_AUTH response's inner chain */
static size_t
auth_inner(IkePayload *p)
{
	static const uint8_t ip[4] = {198, 51, 100, 10};

	memset(p, 0, 6 * sizeof(*p));
	p[0].type = IKE_PAYLOAD_IDR;
	p[0].u.id.id_type = IKE_ID_FQDN;
	p[0].u.id.data = FERRY_SPAN("vpn.example.com", 15);
	p[1].type = IKE_PAYLOAD_AUTH;
	p[1].u.auth.method = IKE_AUTH_PSK;
	p[1].u.auth.data = FERRY_SPAN(bytes32, 32);
	p[2].type = IKE_PAYLOAD_CP;
	p[2].u.cp.cfg_type = IKE_CFG_REPLY;
	p[2].u.cp.n_attrs = 1;
	p[2].u.cp.attrs[0] = (IkeCpAttr){IKE_CP_ATTR_INTERNAL_IP4_ADDRESS, FERRY_SPAN(ip, 4)};
	add_sa(&p[3], IKE_PROTO_ESP);
	add_ts(&p[4], IKE_PAYLOAD_TSI);
	add_ts(&p[5], IKE_PAYLOAD_TSR);
	return 6;
}

static void
write_plain(const char *name, const IkeHeader *h, const IkePayload *p, size_t n)
{
	size_t len;

	must(ike_message_encode(h, p, n, out, sizeof(out), &len), name);
	write_file(name, out, len);
}

static void
write_sk(const char *name, const IkeHeader *h, const IkePayload *p, size_t n, CryptoXform *x)
{
	size_t len;

	must(ike_sk_encode(h, p, n, x, out, sizeof(out), &len), name);
	write_file(name, out, len);
}

static void
gen_sa_init(void)
{
	IkeHeader req = header(IKE_EXCHANGE_IKE_SA_INIT, IKE_FLAG_INITIATOR, 0);
	IkeHeader resp = header(IKE_EXCHANGE_IKE_SA_INIT, IKE_FLAG_RESPONSE, 0);
	static IkePayload p[6];
	static const uint8_t group[2] = {0, 19};

	memset(p, 0, sizeof(p));
	add_sa(&p[0], IKE_PROTO_IKE);
	p[1].type = IKE_PAYLOAD_KE;
	p[1].u.ke = (IkeKePayload){IKE_KE_CURVE25519, FERRY_SPAN(bytes32, 32)};
	p[2].type = IKE_PAYLOAD_NONCE;
	p[2].u.nonce = FERRY_SPAN(bytes32, 32);
	p[3].type = IKE_PAYLOAD_NOTIFY;
	p[3].u.notify.type = IKE_NOTIFY_NAT_DETECTION_SOURCE_IP;
	p[3].u.notify.data = FERRY_SPAN(bytes32, 20);
	p[4].type = IKE_PAYLOAD_NOTIFY;
	p[4].u.notify.type = IKE_NOTIFY_IKEV2_FRAGMENTATION_SUPPORTED;
	p[5].type = IKE_PAYLOAD_CERTREQ;
	p[5].u.cert = (IkeCertPayload){IKE_CERT_X509_SIGNATURE, FERRY_SPAN(bytes32, 20)};
	write_plain("sa-init-request", &req, p, 5);
	write_plain("sa-init-response", &resp, p, 6);

	memset(p, 0, sizeof(p));
	p[0].type = IKE_PAYLOAD_NOTIFY;
	p[0].u.notify.type = IKE_NOTIFY_INVALID_KE_PAYLOAD;
	p[0].u.notify.data = FERRY_SPAN(group, 2);
	write_plain("sa-init-invalid-ke", &resp, p, 1);
	p[0].u.notify.type = IKE_NOTIFY_COOKIE;
	p[0].u.notify.data = FERRY_SPAN(bytes32, 16);
	write_plain("sa-init-cookie", &resp, p, 1);
}

static void
gen_protected(CryptoXform *x)
{
	static IkePayload p[12];
	static const uint8_t eap[5] = {1, 7, 0, 5, 1};
	static const uint8_t spis[8] = {1, 2, 3, 4, 5, 6, 7, 8};
	IkeHeader h = header(IKE_EXCHANGE_IKE_AUTH, IKE_FLAG_RESPONSE, 1);
	size_t n = auth_inner(p);

	write_sk("auth-response-sk", &h, p, n, x);
	/* every other payload kind, in the clear (rules aside, the decoder takes them) */
	p[n].type = IKE_PAYLOAD_EAP;
	p[n++].u.eap = FERRY_SPAN(eap, 5);
	p[n].type = IKE_PAYLOAD_CERT;
	p[n++].u.cert = (IkeCertPayload){IKE_CERT_X509_SIGNATURE, FERRY_SPAN(bytes32, 32)};
	p[n].type = IKE_PAYLOAD_VENDOR;
	p[n++].u.vendor = FERRY_SPAN(bytes32, 16);
	p[n].type = IKE_PAYLOAD_DELETE;
	p[n++].u.del = (IkeDeletePayload){IKE_PROTO_ESP, 4, 2, FERRY_SPAN(spis, 8)};
	write_plain("all-payloads-clear", &h, p, n);

	h = header(IKE_EXCHANGE_INFORMATIONAL, IKE_FLAG_RESPONSE, 2);
	write_sk("informational-dpd-sk", &h, p, 0, x);
	h.flags = 0;
	memset(p, 0, sizeof(p));
	p[0].type = IKE_PAYLOAD_DELETE;
	p[0].u.del.protocol = IKE_PROTO_IKE;
	write_sk("informational-delete-sk", &h, p, 1, x);

	h = header(IKE_EXCHANGE_CREATE_CHILD_SA, 0, 3);
	memset(p, 0, sizeof(p));
	p[0].type = IKE_PAYLOAD_NOTIFY;
	p[0].u.notify = (IkeNotifyPayload){IKE_PROTO_ESP, 4, IKE_NOTIFY_REKEY_SA,
	                                   FERRY_SPAN(spi4, 4), FERRY_SPAN_EMPTY};
	add_sa(&p[1], IKE_PROTO_ESP);
	p[2].type = IKE_PAYLOAD_NONCE;
	p[2].u.nonce = FERRY_SPAN(bytes32, 32);
	add_ts(&p[3], IKE_PAYLOAD_TSI);
	add_ts(&p[4], IKE_PAYLOAD_TSR);
	write_sk("create-child-request-sk", &h, p, 5, x);
}

static void
gen_fragments(CryptoXform *x)
{
	static IkePayload p[6];
	static uint8_t bufs[3][2048];
	uint8_t *outs[3] = {bufs[0], bufs[1], bufs[2]};
	size_t lens[3], n_out;
	IkeHeader h = header(IKE_EXCHANGE_IKE_AUTH, IKE_FLAG_RESPONSE, 1);
	size_t n = auth_inner(p);

	must(ike_sk_encode_fragments(&h, p, n, x, 2000, outs, sizeof(bufs[0]), lens, 3, &n_out),
	     "skf-single");
	write_file("skf-single", bufs[0], lens[0]);
	must(ike_sk_encode_fragments(&h, p, n, x, 120, outs, sizeof(bufs[0]), lens, 3, &n_out),
	     "skf-of-3");
	write_file("skf-1-of-3", bufs[0], lens[0]);
	write_file("skf-2-of-3", bufs[1], lens[1]);
}

static void
gen_edges(void)
{
	static IkePayload p[6];
	static uint8_t chain[1024];
	size_t n = auth_inner(p), len;
	uint8_t first;
	/* header + unknown payload 200 (non-critical, then critical) + Nonce */
	static uint8_t unknown[] = {1, 2,   3,    4,    5,    6,    7,  8,  0,  0,  0, 0, 0,  0,  0,
	                            0, 200, 0x20, 37,   0x20, 0,    0,  0,  2,  0,  0, 0, 56, 40, 0,
	                            0, 8,   0xde, 0xad, 0xbe, 0xef, 0,  0,  0,  20, 0, 1, 2,  3,  4,
	                            5, 6,   7,    8,    9,    10,   11, 12, 13, 14, 15};

	write_file("unknown-noncritical", unknown, sizeof(unknown));
	unknown[29] = IKE_PAYLOAD_CRITICAL;
	write_file("unknown-critical", unknown, sizeof(unknown));
	write_file("header-only-truncated", unknown, 20);
	/* an inner chain for the chain and sealed modes: type byte, chain, Pad Length 0 */
	must(ike_message_encode_chain(p, n, chain + 1, sizeof(chain) - 2, &len, &first), "chain");
	chain[0] = first;
	write_file("chain-auth-inner", chain, len + 1);
	chain[len + 1] = 0;
	write_file("sealed-auth-inner", chain, len + 2);
}

int
main(int argc, char **argv)
{
	static const CryptoXformAlg alg = FUZZ_IKE_ALG;
	CryptoXform *x = NULL;

	if (argc != 2) {
		fprintf(stderr, "usage: %s DIR\n", argv[0]);
		return 2;
	}
	dir = argv[1];
	if (crypto_xform_new(&alg, fuzz_ike_enc_key, sizeof(fuzz_ike_enc_key), NULL, 0, &x) !=
	    CRYPTO_OK)
		return 1;
	gen_sa_init();
	gen_protected(x);
	gen_fragments(x);
	gen_edges();
	crypto_xform_free(x);
	return 0;
}
