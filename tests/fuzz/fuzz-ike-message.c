/* SPDX-License-Identifier: GPL-2.0-or-later */
/* fuzz-ike-message.c - libFuzzer harness for the IKE message codec and SK/SKF framing
 *
 * Every input is used three ways:
 *   1. as a datagram: ike_message_decode, the exchange rules both ways, the lookups; then
 *      SK is opened (or an SKF fragment fed to a reassembly buffer) with a fixed key, which
 *      the seed generator also uses, so valid seeds reach the inner chain;
 *   2. as an inner chain: byte 0 is the first payload type, the rest the chain;
 *   3. as SK plaintext: byte 0 is the first payload type, the rest is sealed here into a
 *      valid SK message with the fixed key (its last byte is the Pad Length) and opened
 *      by ike_sk_decode, so padding and inner-chain handling see arbitrary bytes.
 * Invariants: whatever decodes re-encodes, the re-encoding decodes, and encoding that
 * again gives the same bytes.  Every buffer is an exact-size heap copy, so a sanitizer
 * sees any read past the input.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz-ike-message.h"
#include "ike-sk.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static IkeMessage msg, msg2;
static uint8_t enc1[IKE_MAX_MESSAGE_LEN], enc2[IKE_MAX_MESSAGE_LEN];
static uint8_t frag_storage[IKE_MAX_MESSAGE_LEN];

static CryptoXform *
get_xform(void)
{
	static CryptoXform *x;
	static const CryptoXformAlg alg = FUZZ_IKE_ALG;

	if (!x && crypto_xform_new(&alg, fuzz_ike_enc_key, sizeof(fuzz_ike_enc_key), NULL, 0, &x) !=
	                  CRYPTO_OK)
		abort();
	return x;
}

static void
check(bool ok)
{
	if (!ok)
		abort();
}

/* Re-encode msg's payloads [from, n) as a chain; decode it; encode again; compare. */
static void
round_trip_chain(const IkeMessage *m, size_t from)
{
	size_t len1 = 0, len2 = 0;
	uint8_t first = 0;
	size_t n = m->n_payloads - from;
	uint8_t *copy;

	check(ike_message_encode_chain(m->payloads + from, n, enc1, sizeof(enc1), &len1, &first) ==
	      IKE_WIRE_OK);
	copy = malloc(len1 ? len1 : 1);
	memcpy(copy, enc1, len1);
	msg2.n_payloads = 0;
	check(ike_message_decode_chain(first, copy, len1, false, &msg2) == IKE_WIRE_OK);
	check(msg2.n_payloads == n);
	check(ike_message_encode_chain(msg2.payloads, msg2.n_payloads, enc2, sizeof(enc2), &len2,
	                               NULL) == IKE_WIRE_OK);
	check(len1 == len2 && memcmp(enc1, enc2, len1) == 0);
	free(copy);
}

static void
round_trip_message(const IkeMessage *m)
{
	size_t len1 = 0, len2 = 0;
	uint8_t *copy;

	check(ike_message_encode(&m->hdr, m->payloads, m->n_payloads, enc1, sizeof(enc1), &len1) ==
	      IKE_WIRE_OK);
	copy = malloc(len1);
	memcpy(copy, enc1, len1);
	check(ike_message_decode(copy, len1, &msg2) == IKE_WIRE_OK);
	check(msg2.n_payloads == m->n_payloads);
	check(ike_message_encode(&msg2.hdr, msg2.payloads, msg2.n_payloads, enc2, sizeof(enc2),
	                         &len2) == IKE_WIRE_OK);
	check(len1 == len2 && memcmp(enc1, enc2, len1) == 0);
	free(copy);
}

static void
look_around(const IkeMessage *m)
{
	(void)ike_message_check_rules(m, true);
	(void)ike_message_check_rules(m, false);
	(void)ike_message_find(m, IKE_PAYLOAD_SA);
	(void)ike_message_find_error_notify(m);
	(void)ike_message_find_notify(m, IKE_NOTIFY_COOKIE);
}

static void
fuzz_datagram(const uint8_t *data, size_t size)
{
	uint8_t *buf = malloc(size ? size : 1);
	IkeWireStatus st;
	const IkePayload *last;
	size_t n_clear;

	memcpy(buf, data, size);
	st = ike_message_decode(buf, size, &msg);
	(void)ike_wire_status_to_string(st);
	(void)ike_wire_status_to_notify(st);
	if (st != IKE_WIRE_OK) {
		free(buf);
		return;
	}
	look_around(&msg);
	round_trip_message(&msg);
	n_clear = msg.n_payloads;
	last = n_clear ? &msg.payloads[n_clear - 1] : NULL;
	if (last && last->type == IKE_PAYLOAD_SK) {
		if (ike_sk_decode(get_xform(), buf, size, &msg) == IKE_WIRE_OK) {
			look_around(&msg);
			round_trip_chain(&msg, n_clear);
		}
	} else if (last && last->type == IKE_PAYLOAD_SKF) {
		IkeFragBuffer fb;
		bool complete = false;

		ike_frag_buffer_init(&fb, frag_storage, sizeof(frag_storage));
		if (ike_frag_buffer_add(&fb, get_xform(), buf, size, &msg, &complete) ==
		            IKE_WIRE_OK &&
		    complete && ike_frag_buffer_decode(&fb, &msg) == IKE_WIRE_OK) {
			look_around(&msg);
			round_trip_chain(&msg, n_clear);
		}
		ike_frag_buffer_reset(&fb);
	}
	free(buf);
}

static void
fuzz_chain(const uint8_t *data, size_t size)
{
	uint8_t *buf;

	if (size < 1)
		return;
	buf = malloc(size - 1 ? size - 1 : 1);
	memcpy(buf, data + 1, size - 1);
	msg.n_payloads = 0;
	if (ike_message_decode_chain(data[0], buf, size - 1, true, &msg) == IKE_WIRE_OK)
		round_trip_chain(&msg, 0);
	free(buf);
}

/* Seal data[1..] as SK plaintext (AES-GCM: no block alignment) and open it again. */
static void
fuzz_sealed(const uint8_t *data, size_t size)
{
	const size_t aad = IKE_HEADER_LEN + IKE_PAYLOAD_HEADER_LEN;
	const CryptoXformSizes *sz = crypto_xform_get_sizes(get_xform());
	size_t plain_len = size ? size - 1 : 0;
	size_t len = aad + sz->iv_len + plain_len + sz->icv_len;
	IkeHeader h = {.spi_i = 1,
	               .spi_r = 2,
	               .next_payload = IKE_PAYLOAD_SK,
	               .version = IKE_VERSION,
	               .exchange = IKE_EXCHANGE_INFORMATIONAL,
	               .flags = IKE_FLAG_RESPONSE,
	               .length = (uint32_t)len};
	uint8_t *buf, *body;

	if (size < 2 || len > IKE_MAX_MESSAGE_LEN)
		return;
	buf = malloc(len);
	ike_header_encode(&h, buf);
	buf[IKE_HEADER_LEN] = data[0];
	buf[IKE_HEADER_LEN + 1] = 0;
	ferry_put_be16(buf + IKE_HEADER_LEN + 2, (uint16_t)(len - IKE_HEADER_LEN));
	memset(buf + aad, 0xa5, sz->iv_len);
	body = buf + aad + sz->iv_len;
	memcpy(body, data + 1, plain_len);
	check(crypto_xform_seal(get_xform(), buf, aad, buf + aad, body, plain_len, NULL, 0,
	                        body + plain_len) == CRYPTO_OK);
	check(ike_message_decode(buf, len, &msg) == IKE_WIRE_OK);
	if (ike_sk_decode(get_xform(), buf, len, &msg) == IKE_WIRE_OK) {
		look_around(&msg);
		round_trip_chain(&msg, 1);
	}
	free(buf);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > IKE_MAX_MESSAGE_LEN)
		return 0;
	fuzz_datagram(data, size);
	fuzz_chain(data, size);
	fuzz_sealed(data, size);
	return 0;
}
