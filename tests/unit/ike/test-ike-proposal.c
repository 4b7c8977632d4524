/* test-ike-proposal.c - proposal checks, the responder's choice verified, text rendering */
#include <string.h>

#include "ferry-error.h"
#include "ike-proposal.h"

#define T(type, id, bits) ((IkeTransform){IKE_TRANSFORM_##type, (id), (bits)})

static IkeProposal
make(uint8_t number, uint8_t protocol, guint n, const IkeTransform *t)
{
	IkeProposal p = {.number = number, .protocol = protocol, .n_transforms = (uint8_t)n};

	memcpy(p.transforms, t, sizeof(IkeTransform) * n);
	return p;
}

/* Our offer: 1 = GCM-256/SHA-256/{X25519, ECP-256}; 2 = CBC-128/HMAC-SHA-256/SHA-384/MODP-2048 */
static void
make_offers(IkeProposal offers[2])
{
	const IkeTransform a[] = {T(ENCR, IKE_ENCR_AES_GCM_16, 256),
	                          T(PRF, IKE_PRF_HMAC_SHA2_256, 0), T(KE, IKE_KE_CURVE25519, 0),
	                          T(KE, IKE_KE_ECP_256, 0)};
	const IkeTransform b[] = {T(ENCR, IKE_ENCR_AES_CBC, 128),
	                          T(INTEG, IKE_INTEG_HMAC_SHA2_256_128, 0),
	                          T(PRF, IKE_PRF_HMAC_SHA2_384, 0), T(KE, IKE_KE_MODP_2048, 0)};

	offers[0] = make(1, IKE_PROTO_IKE, G_N_ELEMENTS(a), a);
	offers[1] = make(2, IKE_PROTO_IKE, G_N_ELEMENTS(b), b);
}

typedef struct {
	const char *name;
	uint8_t number;
	uint8_t protocol;
	guint n;
	IkeTransform t[6];
	gboolean ok;
	gint code; /* when !ok */
} VerifyCase;

/* RFC 7296 §3.3.6: one transform of every offered type, each from the matching proposal. */
static const VerifyCase verify_cases[] = {
	{"gcm-x25519",
         1, IKE_PROTO_IKE,
         3, {T(ENCR, IKE_ENCR_AES_GCM_16, 256), T(PRF, IKE_PRF_HMAC_SHA2_256, 0),
          T(KE, IKE_KE_CURVE25519, 0)},
         TRUE,  0		      },
	{"gcm-ecp256-reordered",
         1, IKE_PROTO_IKE,
         3, {T(KE, IKE_KE_ECP_256, 0), T(ENCR, IKE_ENCR_AES_GCM_16, 256),
          T(PRF, IKE_PRF_HMAC_SHA2_256, 0)},
         TRUE,  0		      },
	{"cbc",
         2, IKE_PROTO_IKE,
         4, {T(ENCR, IKE_ENCR_AES_CBC, 128), T(INTEG, IKE_INTEG_HMAC_SHA2_256_128, 0),
          T(PRF, IKE_PRF_HMAC_SHA2_384, 0), T(KE, IKE_KE_MODP_2048, 0)},
         TRUE,  0		      },
	{"cbc-under-wrong-number",
         1, IKE_PROTO_IKE,
         4, {T(ENCR, IKE_ENCR_AES_CBC, 128), T(INTEG, IKE_INTEG_HMAC_SHA2_256_128, 0),
          T(PRF, IKE_PRF_HMAC_SHA2_384, 0), T(KE, IKE_KE_MODP_2048, 0)},
         TRUE,  0		      },
	{"wrong-key-length",
         1, IKE_PROTO_IKE,
         3, {T(ENCR, IKE_ENCR_AES_GCM_16, 128), T(PRF, IKE_PRF_HMAC_SHA2_256, 0),
          T(KE, IKE_KE_CURVE25519, 0)},
         FALSE, FERRY_ERROR_NO_PROPOSAL},
	{"mixed-proposals",
         1, IKE_PROTO_IKE,
         3, {T(ENCR, IKE_ENCR_AES_GCM_16, 256), T(PRF, IKE_PRF_HMAC_SHA2_256, 0),
          T(KE, IKE_KE_MODP_2048, 0)},
         FALSE, FERRY_ERROR_NO_PROPOSAL},
	{"missing-ke",
         1, IKE_PROTO_IKE,
         2, {T(ENCR, IKE_ENCR_AES_GCM_16, 256), T(PRF, IKE_PRF_HMAC_SHA2_256, 0)},
         FALSE, FERRY_ERROR_NO_PROPOSAL},
	{"two-ke",
         1, IKE_PROTO_IKE,
         4, {T(ENCR, IKE_ENCR_AES_GCM_16, 256), T(PRF, IKE_PRF_HMAC_SHA2_256, 0),
          T(KE, IKE_KE_CURVE25519, 0), T(KE, IKE_KE_ECP_256, 0)},
         FALSE, FERRY_ERROR_NO_PROPOSAL},
	{"extra-type",
         1, IKE_PROTO_IKE,
         4, {T(ENCR, IKE_ENCR_AES_GCM_16, 256), T(PRF, IKE_PRF_HMAC_SHA2_256, 0),
          T(KE, IKE_KE_CURVE25519, 0), T(INTEG, IKE_INTEG_HMAC_SHA2_256_128, 0)},
         FALSE, FERRY_ERROR_NO_PROPOSAL},
	{"wrong-protocol",
         1, IKE_PROTO_ESP,
         3, {T(ENCR, IKE_ENCR_AES_GCM_16, 256), T(PRF, IKE_PRF_HMAC_SHA2_256, 0),
          T(KE, IKE_KE_CURVE25519, 0)},
         FALSE, FERRY_ERROR_NO_PROPOSAL},
};

static void
test_verify(gconstpointer data)
{
	const VerifyCase *c = data;
	g_autoptr(GError) error = NULL;
	IkeProposal offers[2], chosen;
	IkeSaPayload got = {.n_proposals = 1};
	gboolean ok;

	make_offers(offers);
	got.proposals[0] = make(c->number, c->protocol, c->n, c->t);
	ok = ike_proposal_verify(offers, 2, &got, IKE_PROTO_IKE, &chosen, &error);
	g_assert_cmpint(ok, ==, c->ok);
	if (ok) {
		g_assert_no_error(error);
		g_assert_cmpmem(&chosen, sizeof(chosen), &got.proposals[0], sizeof(chosen));
	} else {
		g_assert_error(error, FERRY_ERROR, c->code);
		/* The message shows both sides (the CLI prints it as is). */
		g_assert_nonnull(strstr(error->message,
		                        "AES_GCM_16_256/PRF_HMAC_SHA2_256/CURVE25519/ECP_256"));
	}
}

static void
test_verify_count(void)
{
	g_autoptr(GError) error = NULL;
	IkeProposal offers[2], chosen;
	IkeSaPayload got = {.n_proposals = 2};

	make_offers(offers);
	got.proposals[0] = offers[0];
	got.proposals[1] = offers[1];
	g_assert_false(ike_proposal_verify(offers, 2, &got, IKE_PROTO_IKE, &chosen, &error));
	g_assert_error(error, FERRY_ERROR, FERRY_ERROR_PROTOCOL);
	g_clear_error(&error);
	got.n_proposals = 0;
	g_assert_false(ike_proposal_verify(offers, 2, &got, IKE_PROTO_IKE, &chosen, &error));
	g_assert_error(error, FERRY_ERROR, FERRY_ERROR_PROTOCOL);
}

static void
test_verify_esp_esn(void)
{
	const IkeTransform offer_t[] = {T(ENCR, IKE_ENCR_AES_GCM_16, 256), T(ESN, IKE_ESN_YES, 0),
	                                T(ESN, IKE_ESN_NO, 0)};
	const IkeTransform no_esn[] = {T(ENCR, IKE_ENCR_AES_GCM_16, 256)};
	const IkeTransform esn[] = {T(ENCR, IKE_ENCR_AES_GCM_16, 256), T(ESN, IKE_ESN_NO, 0)};
	IkeProposal offer = make(1, IKE_PROTO_ESP, G_N_ELEMENTS(offer_t), offer_t);
	IkeSaPayload got = {.n_proposals = 1};
	IkeProposal chosen;
	IkeProposalAlgs algs;

	got.proposals[0] = make(1, IKE_PROTO_ESP, G_N_ELEMENTS(esn), esn);
	g_assert_true(ike_proposal_verify(&offer, 1, &got, IKE_PROTO_ESP, &chosen, NULL));
	ike_proposal_get_algs(&chosen, &algs);
	g_assert_true(algs.has_esn);
	g_assert_cmpuint(algs.esn, ==, IKE_ESN_NO);
	/* RFC 7296 §3.3.3: ESN offered, so the answer must say which. */
	got.proposals[0] = make(1, IKE_PROTO_ESP, G_N_ELEMENTS(no_esn), no_esn);
	g_assert_false(ike_proposal_verify(&offer, 1, &got, IKE_PROTO_ESP, &chosen, NULL));
}

typedef struct {
	const char *want;
	guint n;
	IkeTransform t[6];
} TextCase;

static const TextCase text_cases[] = {
	{"AES_GCM_16_256/PRF_HMAC_SHA2_256/CURVE25519",
         3,                                                              {T(KE, IKE_KE_CURVE25519, 0), T(PRF, IKE_PRF_HMAC_SHA2_256, 0),
          T(ENCR, IKE_ENCR_AES_GCM_16, 256)}													 },
	{"AES_CBC_128/HMAC_SHA2_256_128/PRF_HMAC_SHA2_384/MODP_2048",
         4,                                                              {T(ENCR, IKE_ENCR_AES_CBC, 128), T(INTEG, IKE_INTEG_HMAC_SHA2_256_128, 0),
          T(PRF, IKE_PRF_HMAC_SHA2_384, 0), T(KE, IKE_KE_MODP_2048, 0)}									      },
	{"CHACHA20_POLY1305/EXT_SEQ/NO_EXT_SEQ",
         3,                                                              {T(ENCR, IKE_ENCR_CHACHA20_POLY1305, 0), T(ESN, IKE_ESN_YES, 0), T(ESN, IKE_ESN_NO, 0)}},
	{"ENCR_999/PRF_77/KE_4242",                                   3, {T(ENCR, 999, 0), T(PRF, 77, 0), T(KE, 4242, 0)}                                       },
};

static void
test_to_string(gconstpointer data)
{
	const TextCase *c = data;
	IkeProposal p = make(1, IKE_PROTO_IKE, c->n, c->t);
	g_autofree char *s = ike_proposal_to_string(&p);

	g_assert_cmpstr(s, ==, c->want);
}

static void
test_list_to_string(void)
{
	IkeProposal offers[2];
	g_autofree char *s = NULL;

	make_offers(offers);
	s = ike_proposal_list_to_string(offers, 2);
	g_assert_cmpstr(s, ==,
	                "AES_GCM_16_256/PRF_HMAC_SHA2_256/CURVE25519/ECP_256, "
	                "AES_CBC_128/HMAC_SHA2_256_128/PRF_HMAC_SHA2_384/MODP_2048");
}

static void
test_ke_helpers(void)
{
	IkeProposal offers[2];

	make_offers(offers);
	g_assert_cmpuint(ike_proposal_first_ke(offers, 2), ==, IKE_KE_CURVE25519);
	g_assert_true(ike_proposal_offers_ke(offers, 2, IKE_KE_MODP_2048));
	g_assert_true(ike_proposal_offers_ke(offers, 2, IKE_KE_ECP_256));
	g_assert_false(ike_proposal_offers_ke(offers, 2, IKE_KE_ECP_384));
	ike_proposal_strip_ke(&offers[0]);
	g_assert_cmpuint(offers[0].n_transforms, ==, 2);
	g_assert_cmpuint(ike_proposal_first_ke(offers, 1), ==, 0);
	g_assert_cmpuint(ike_proposal_first_ke(offers, 2), ==, IKE_KE_MODP_2048);
}

static void
test_keep_only(void)
{
	IkeProposal offers[2];
	g_autofree char *s = NULL;

	make_offers(offers);
	g_assert_true(ike_proposal_keep_only(&offers[0], IKE_TRANSFORM_KE, IKE_KE_ECP_256));
	s = ike_proposal_to_string(&offers[0]);
	g_assert_cmpstr(s, ==, "AES_GCM_16_256/PRF_HMAC_SHA2_256/ECP_256");
	g_assert_false(
		ike_proposal_keep_only(&offers[1], IKE_TRANSFORM_PRF, IKE_PRF_HMAC_SHA2_256));
	g_assert_cmpuint(offers[1].n_transforms, ==, 3);
}

static void
test_algs(void)
{
	const IkeTransform chacha[] = {T(ENCR, IKE_ENCR_CHACHA20_POLY1305, 0),
	                               T(PRF, IKE_PRF_HMAC_SHA2_512, 0)};
	const IkeTransform cbc[] = {T(ENCR, IKE_ENCR_AES_CBC, 256),
	                            T(INTEG, IKE_INTEG_HMAC_SHA2_512_256, 0)};
	IkeProposal p = make(1, IKE_PROTO_IKE, 2, chacha);
	IkeProposalAlgs algs;
	CryptoXformAlg x;

	ike_proposal_get_algs(&p, &algs);
	x = ike_proposal_algs_xform(&algs);
	g_assert_cmpuint(x.encr_id, ==, IKE_ENCR_CHACHA20_POLY1305);
	g_assert_cmpuint(x.key_bits, ==, 256);
	g_assert_cmpuint(x.integ_id, ==, IKE_INTEG_NONE);
	g_assert_cmpuint(algs.prf, ==, IKE_PRF_HMAC_SHA2_512);
	p = make(1, IKE_PROTO_ESP, 2, cbc);
	ike_proposal_get_algs(&p, &algs);
	x = ike_proposal_algs_xform(&algs);
	g_assert_cmpuint(x.key_bits, ==, 256);
	g_assert_cmpuint(x.integ_id, ==, IKE_INTEG_HMAC_SHA2_512_256);
	g_assert_true(ike_proposal_encr_is_aead(IKE_ENCR_AES_GCM_8));
	g_assert_false(ike_proposal_encr_is_aead(IKE_ENCR_AES_CBC));
}

static void
test_check_offers(void)
{
	const IkeTransform no_prf[] = {T(ENCR, IKE_ENCR_AES_GCM_16, 256),
	                               T(KE, IKE_KE_CURVE25519, 0)};
	const IkeTransform cbc_alone[] = {T(ENCR, IKE_ENCR_AES_CBC, 256),
	                                  T(PRF, IKE_PRF_HMAC_SHA2_256, 0),
	                                  T(KE, IKE_KE_CURVE25519, 0)};
	const IkeTransform bad_group[] = {T(ENCR, IKE_ENCR_AES_GCM_16, 256),
	                                  T(PRF, IKE_PRF_HMAC_SHA2_256, 0), T(KE, 4242, 0)};
	const IkeTransform esp_ok[] = {T(ENCR, IKE_ENCR_AES_GCM_16, 128), T(ESN, IKE_ESN_NO, 0)};
	g_autoptr(GError) error = NULL;
	IkeProposal offers[2], p;

	make_offers(offers);
	g_assert_true(ike_proposal_check_offers(offers, 2, IKE_PROTO_IKE, &error));
	g_assert_no_error(error);
	p = make(1, IKE_PROTO_ESP, 2, esp_ok);
	g_assert_true(ike_proposal_check_offers(&p, 1, IKE_PROTO_ESP, NULL));
	g_assert_false(ike_proposal_check_offers(offers, 0, IKE_PROTO_IKE, NULL));
	g_assert_false(ike_proposal_check_offers(offers, 2, IKE_PROTO_ESP, NULL));
	p = make(1, IKE_PROTO_IKE, 2, no_prf);
	g_assert_false(ike_proposal_check_offers(&p, 1, IKE_PROTO_IKE, &error));
	g_assert_error(error, FERRY_ERROR, FERRY_ERROR_CONFIG);
	g_clear_error(&error);
	/* CBC needs an integrity algorithm. */
	p = make(1, IKE_PROTO_IKE, 3, cbc_alone);
	g_assert_false(ike_proposal_check_offers(&p, 1, IKE_PROTO_IKE, NULL));
	p = make(1, IKE_PROTO_IKE, 3, bad_group);
	g_assert_false(ike_proposal_check_offers(&p, 1, IKE_PROTO_IKE, &error));
	g_assert_error(error, FERRY_ERROR, FERRY_ERROR_CONFIG);
}

/* RFC 7296 §3.3.1, §3.3.3: AH (protocol 2) proposals carry INTEG (+ESN, KE), never ENCR, and
 * the chosen one gives an integrity-only transform (RFC 4302). */
static void
test_ah(void)
{
	const IkeTransform offer_t[] = {T(INTEG, IKE_INTEG_HMAC_SHA2_256_128, 0),
	                                T(INTEG, IKE_INTEG_HMAC_SHA1_96, 0), T(ESN, IKE_ESN_YES, 0),
	                                T(ESN, IKE_ESN_NO, 0)};
	const IkeTransform with_encr[] = {T(ENCR, IKE_ENCR_AES_CBC, 128),
	                                  T(INTEG, IKE_INTEG_HMAC_SHA2_256_128, 0)};
	const IkeTransform no_integ[] = {T(ESN, IKE_ESN_NO, 0)};
	const IkeTransform md5[] = {T(INTEG, IKE_INTEG_HMAC_MD5_96, 0)};
	const IkeTransform chosen_t[] = {T(ESN, IKE_ESN_NO, 0),
	                                 T(INTEG, IKE_INTEG_HMAC_SHA1_96, 0)};
	const IkeTransform two_integ[] = {T(INTEG, IKE_INTEG_HMAC_SHA2_256_128, 0),
	                                  T(INTEG, IKE_INTEG_HMAC_SHA1_96, 0),
	                                  T(ESN, IKE_ESN_NO, 0)};
	IkeProposal offer = make(1, IKE_PROTO_AH, G_N_ELEMENTS(offer_t), offer_t), p, chosen;
	IkeSaPayload got = {.n_proposals = 1};
	g_autoptr(GError) error = NULL;
	g_autofree char *text = NULL;
	IkeProposalAlgs algs;
	CryptoXformAlg alg;

	g_assert_true(ike_proposal_check_offers(&offer, 1, IKE_PROTO_AH, &error));
	g_assert_no_error(error);
	/* An AH proposal is not an ESP one, and the other way round. */
	g_assert_false(ike_proposal_check_offers(&offer, 1, IKE_PROTO_ESP, NULL));
	p = make(1, IKE_PROTO_AH, G_N_ELEMENTS(with_encr), with_encr);
	g_assert_false(ike_proposal_check_offers(&p, 1, IKE_PROTO_AH, &error));
	g_assert_error(error, FERRY_ERROR, FERRY_ERROR_CONFIG);
	g_clear_error(&error);
	p = make(1, IKE_PROTO_AH, G_N_ELEMENTS(no_integ), no_integ);
	g_assert_false(ike_proposal_check_offers(&p, 1, IKE_PROTO_AH, NULL));
	/* Known to the registry, not implemented by crypto. */
	p = make(1, IKE_PROTO_AH, G_N_ELEMENTS(md5), md5);
	g_assert_false(ike_proposal_check_offers(&p, 1, IKE_PROTO_AH, NULL));

	got.proposals[0] = make(1, IKE_PROTO_AH, G_N_ELEMENTS(chosen_t), chosen_t);
	g_assert_true(ike_proposal_verify(&offer, 1, &got, IKE_PROTO_AH, &chosen, &error));
	g_assert_no_error(error);
	ike_proposal_get_algs(&chosen, &algs);
	alg = ike_proposal_algs_xform(&algs);
	g_assert_cmpuint(alg.encr_id, ==, CRYPTO_XFORM_ENCR_NONE);
	g_assert_cmpuint(alg.integ_id, ==, IKE_INTEG_HMAC_SHA1_96);
	g_assert_true(crypto_xform_supported(&alg));
	/* One INTEG only in the answer, and under the right protocol. */
	got.proposals[0] = make(1, IKE_PROTO_AH, G_N_ELEMENTS(two_integ), two_integ);
	g_assert_false(ike_proposal_verify(&offer, 1, &got, IKE_PROTO_AH, &chosen, NULL));
	got.proposals[0] = make(1, IKE_PROTO_ESP, G_N_ELEMENTS(chosen_t), chosen_t);
	g_assert_false(ike_proposal_verify(&offer, 1, &got, IKE_PROTO_AH, &chosen, &error));
	g_assert_error(error, FERRY_ERROR, FERRY_ERROR_NO_PROPOSAL);
	text = ike_proposal_to_string(&offer);
	g_assert_cmpstr(text, ==, "HMAC_SHA2_256_128/HMAC_SHA1_96/EXT_SEQ/NO_EXT_SEQ");
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	for (gsize i = 0; i < G_N_ELEMENTS(verify_cases); i++) {
		g_autofree char *path =
			g_strdup_printf("/ferry/ike/proposal/verify/%s", verify_cases[i].name);

		g_test_add_data_func(path, &verify_cases[i], test_verify);
	}
	for (gsize i = 0; i < G_N_ELEMENTS(text_cases); i++) {
		g_autofree char *path = g_strdup_printf("/ferry/ike/proposal/to-string/%zu", i + 1);

		g_test_add_data_func(path, &text_cases[i], test_to_string);
	}
	g_test_add_func("/ferry/ike/proposal/verify-count", test_verify_count);
	g_test_add_func("/ferry/ike/proposal/verify-esp-esn", test_verify_esp_esn);
	g_test_add_func("/ferry/ike/proposal/list-to-string", test_list_to_string);
	g_test_add_func("/ferry/ike/proposal/ke-helpers", test_ke_helpers);
	g_test_add_func("/ferry/ike/proposal/algs", test_algs);
	g_test_add_func("/ferry/ike/proposal/keep-only", test_keep_only);
	g_test_add_func("/ferry/ike/proposal/check-offers", test_check_offers);
	g_test_add_func("/ferry/ike/proposal/ah", test_ah);
	return g_test_run();
}
