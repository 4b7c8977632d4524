/* SPDX-License-Identifier: GPL-2.0-or-later */
/* fuzz-ike-sa.h - what the IKE engine harness and its seed generator share: the initiator's
 * configuration, its random stream, and the input format
 *
 * An input is a list of records, each [op (1 byte)][length (2 bytes, big-endian)][data]:
 *   FUZZ_IKE_RECEIVE  data is a datagram from the gateway (ike_sa_receive)
 *   FUZZ_IKE_TICK     time moves on by data[0] seconds (ike_sa_tick)
 *   FUZZ_IKE_COMMAND  data[0]: 0 rekey the Child SA, 1 rekey the IKE SA, 2 liveness check,
 *                     3 disconnect
 * A record cut short by the end of the input uses what is there.
 */
#pragma once

#include <string.h>
#include <sys/socket.h>

#include "crypto-rng.h"
#include "ike-sa.h"

enum {
	FUZZ_IKE_RECEIVE,
	FUZZ_IKE_TICK,
	FUZZ_IKE_COMMAND,
};

#define FUZZ_IKE_PSK "ferry-canary-fuzz-psk"

/* The initiator's random stream: a fixed linear congruential sequence, so that its SPI, nonce
 * and KE private value are the same in the generator and in every run of the harness. */
typedef struct {
	uint64_t state;
} FuzzIkeRng;

static inline void
fuzz_ike_rng_fill(void *user_data, CryptoRngLevel level, uint8_t *out, size_t len)
{
	FuzzIkeRng *r = user_data;

	(void)level;
	while (len--) {
		r->state = r->state * 6364136223846793005ULL + 1442695040888963407ULL;
		*out++ = (uint8_t)(r->state >> 56);
	}
}

typedef struct {
	IkeProposal ike[2];
	IkeProposal esp[2];
	FerrySecret *psk;
	IkeSaConfig cfg;
} FuzzIkeConfig;

#define FUZZ_T(type, id, bits) ((IkeTransform){IKE_TRANSFORM_##type, (id), (bits)})

static inline void
fuzz_ike_proposal(IkeProposal *p, uint8_t protocol, const IkeTransform *t, uint8_t n)
{
	memset(p, 0, sizeof(*p));
	p->protocol = protocol;
	p->n_transforms = n;
	memcpy(p->transforms, t, sizeof(IkeTransform) * n);
}

/* Client 198.51.100.10:500 to gateway 203.0.113.1:500, PSK, asking for IPv4 and IPv6. */
static inline void
fuzz_ike_config_init(FuzzIkeConfig *c)
{
	const IkeTransform ike0[] = {
		FUZZ_T(ENCR, IKE_ENCR_AES_GCM_16, 256),
		FUZZ_T(PRF, IKE_PRF_HMAC_SHA2_256, 0),
		FUZZ_T(KE, IKE_KE_CURVE25519, 0),
		FUZZ_T(KE, IKE_KE_ECP_256, 0),
	};
	const IkeTransform ike1[] = {
		FUZZ_T(ENCR, IKE_ENCR_AES_CBC, 128),
		FUZZ_T(INTEG, IKE_INTEG_HMAC_SHA2_256_128, 0),
		FUZZ_T(PRF, IKE_PRF_HMAC_SHA2_256, 0),
		FUZZ_T(KE, IKE_KE_CURVE25519, 0),
	};
	const IkeTransform esp0[] = {
		FUZZ_T(ENCR, IKE_ENCR_AES_GCM_16, 256),
		FUZZ_T(ESN, IKE_ESN_YES, 0),
		FUZZ_T(ESN, IKE_ESN_NO, 0),
		FUZZ_T(KE, IKE_KE_NONE, 0),
		FUZZ_T(KE, IKE_KE_CURVE25519, 0),
	};
	const IkeTransform esp1[] = {
		FUZZ_T(ENCR, IKE_ENCR_AES_CBC, 128),
		FUZZ_T(INTEG, IKE_INTEG_HMAC_SHA2_256_128, 0),
		FUZZ_T(ESN, IKE_ESN_NO, 0),
	};

	memset(c, 0, sizeof(*c));
	fuzz_ike_proposal(&c->ike[0], IKE_PROTO_IKE, ike0, 4);
	fuzz_ike_proposal(&c->ike[1], IKE_PROTO_IKE, ike1, 4);
	fuzz_ike_proposal(&c->esp[0], IKE_PROTO_ESP, esp0, 5);
	fuzz_ike_proposal(&c->esp[1], IKE_PROTO_ESP, esp1, 3);
	c->psk = ferry_secret_new_from_string(FUZZ_IKE_PSK);
	c->cfg.ike_proposals = c->ike;
	c->cfg.n_ike_proposals = 2;
	c->cfg.child_proposals = c->esp;
	c->cfg.n_child_proposals = 2;
	c->cfg.local_id_type = IKE_ID_FQDN;
	c->cfg.local_id = FERRY_SPAN("client.example", 14);
	c->cfg.remote_id_type = IKE_ID_FQDN;
	c->cfg.remote_id = FERRY_SPAN("gw.example", 10);
	c->cfg.psk = c->psk;
	c->cfg.request_ip4 = TRUE;
	c->cfg.request_ip6 = TRUE;
	c->cfg.local_addr = (IkeAddr){
		.family = AF_INET, .addr = {198, 51, 100, 10},
                     .port = 500
        };
	c->cfg.remote_addr = (IkeAddr){
		.family = AF_INET, .addr = {203, 0, 113, 1},
                     .port = 500
        };
}

static inline void
fuzz_ike_config_clear(FuzzIkeConfig *c)
{
	ferry_secret_free(c->psk);
	c->psk = NULL;
}
