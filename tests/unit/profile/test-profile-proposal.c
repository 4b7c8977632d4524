/* test-profile-proposal.c - strongSwan proposal syntax: parse table, errors, render */
#include "config.h"

#include <string.h>

#include "ferry-error.h"
#include "profile-proposal.h"

/* Expected transforms, written "type:id[/bits]" in wire order, proposals separated by '|'.
 * Numbers are the IANA values (RFC 7296 §3.3.2, RFC 5282, RFC 7634, RFC 8031). */
typedef struct {
	const char *text;
	IkeProto proto;
	const char *transforms;
	const char *rendered;
} ValidCase;

static const ValidCase valid_cases[] = {
	{"aes256gcm16-prfsha256-x25519",                          IKE_PROTO_IKE, "1:20/256 2:5 4:31",
         "aes256gcm16-prfsha256-x25519"																	      },
 /* classic cipher: sha256 is integrity and implies the PRF */
	{"aes256-sha256-modp2048",                                IKE_PROTO_IKE, "1:12/256 2:5 3:12 4:14",
         "aes256-sha256-prfsha256-modp2048"																	  },
	{"aes128gcm16-aes256gcm16-prfsha384-ecp384-curve25519",   IKE_PROTO_IKE,
         "1:20/128 1:20/256 2:6 4:20 4:31",									     "aes128gcm16-aes256gcm16-prfsha384-ecp384-x25519"            },
 /* integrity next to AEAD only names the PRF */
	{"aes256gcm16-sha384-ecp521",                             IKE_PROTO_IKE, "1:20/256 2:6 4:21",
         "aes256gcm16-prfsha384-ecp521"																	      },
	{"aes128-aes192-sha1-sha512-prfsha256-modp1024-modp1536", IKE_PROTO_IKE,
         "1:12/128 1:12/192 2:5 3:2 3:14 4:2 4:5",                                                                      "aes128-aes192-sha1-sha512-prfsha256-modp1024-modp1536"      },
	{"chacha20poly1305-prfsha512-modp3072-modp4096",          IKE_PROTO_IKE, "1:28 2:7 4:15 4:16",
         "chacha20poly1305-prfsha512-modp3072-modp4096"															      },
	{"aes256gcm-prfsha1-ecp256",                              IKE_PROTO_IKE, "1:20/256 2:2 4:19",
         "aes256gcm16-prfsha1-ecp256"																		},
	{"aes128gcm8-aes192gcm12-prfsha256-ecp256",               IKE_PROTO_IKE, "1:18/128 1:19/192 2:5 4:19",
         "aes128gcm8-aes192gcm12-prfsha256-ecp256"																   },
	{" AES256GCM16-PRFSHA256-ECP256 , aes128-sha256-x25519 ", IKE_PROTO_IKE,
         "1:20/256 2:5 4:19|1:12/128 2:5 3:12 4:31",                                                                    "aes256gcm16-prfsha256-ecp256,aes128-sha256-prfsha256-x25519"},
	{"aes256gcm16-esn",				       IKE_PROTO_ESP, "1:20/256 5:1",                        "aes256gcm16-esn"                                            },
 /* a key exchange method in ESP means PFS */
	{"aes256gcm16-ecp384",				    IKE_PROTO_ESP, "1:20/256 4:20 5:0",                   "aes256gcm16-ecp384"                                         },
	{"aes128-sha256",					 IKE_PROTO_ESP, "1:12/128 3:12 5:0",                   "aes128-sha256"                                              },
	{"aes256-sha512-esn-noesn",                               IKE_PROTO_ESP, "1:12/256 3:14 5:1 5:0",
         "aes256-sha512-esn-noesn"																		   },
	{"aes128gcm16-sha256",				    IKE_PROTO_ESP, "1:20/128 5:0",                        "aes128gcm16"                                                },
	{"aes256gcm16,aes256-sha256-modp2048",                    IKE_PROTO_ESP, "1:20/256 5:0|1:12/256 3:12 4:14 5:0",
         "aes256gcm16,aes256-sha256-modp2048"																	},
	{"sha256-sha384",					 IKE_PROTO_AH,  "3:12 3:13 5:0",                       "sha256-sha384"                                              },
	{"sha1-esn",					      IKE_PROTO_AH,  "3:2 5:1",                             "sha1-esn"                                                   },
};

typedef struct {
	const char *text;
	IkeProto proto;
	const char *message;
} InvalidCase;

static const InvalidCase invalid_cases[] = {
	{"aes256gcm17",					IKE_PROTO_ESP, "unknown algorithm 'aes256gcm17'"                            },
	{"aes256-sha256-modp2047",                             IKE_PROTO_IKE, "unknown algorithm 'modp2047'"                               },
	{"aes256gcm16-prfsha256-x25519-ke1_mlkem768",          IKE_PROTO_IKE,
         "unknown algorithm 'ke1_mlkem768'"												},
	{"aes256--sha256-x25519",                              IKE_PROTO_IKE, "empty algorithm name in 'aes256--sha256-x25519'"            },
	{"aes256gcm16,",				       IKE_PROTO_ESP, "empty proposal in 'aes256gcm16,'"                           },
	{"aes256gcm16-prfsha256",                              IKE_PROTO_IKE,
         "proposal 'aes256gcm16-prfsha256' has no key exchange method (add e.g. x25519)"                                                   },
	{"aes256gcm16-x25519",				 IKE_PROTO_IKE,
         "proposal 'aes256gcm16-x25519' has no PRF (add e.g. prfsha256)"                                                                   },
	{"aes256-prfsha256-x25519",                            IKE_PROTO_IKE,
         "proposal 'aes256-prfsha256-x25519' has a classic cipher but no integrity algorithm "
         "(add e.g. sha256)"													       },
	{"sha256-x25519",				      IKE_PROTO_IKE,
         "proposal 'sha256-x25519' has no encryption algorithm (add e.g. aes256gcm16)"                                                     },
	{"aes256gcm16-aes256-sha256",                          IKE_PROTO_ESP,
         "proposal 'aes256gcm16-aes256-sha256' mixes AEAD and classic ciphers; put them in "
         "separate proposals joined by ','"												},
	{"aes256gcm16-prfsha256-x25519-esn",                   IKE_PROTO_IKE,
         "'esn' applies only to ESP and AH proposals"										      },
	{"aes256gcm16-prfsha256",                              IKE_PROTO_ESP,
         "'prfsha256' is a PRF, which only IKE proposals take"									     },
	{"aes256-sha256",				      IKE_PROTO_AH,
         "'aes256' is an encryption algorithm, but AH only protects integrity"                                                             },
	{"esn",						IKE_PROTO_AH,  "proposal 'esn' has no integrity algorithm (add e.g. sha256)"},
	{"aes128,aes128,aes128,aes128,aes128,aes128,aes128,aes128,aes128,aes128,aes128,"
         "aes128,aes128,aes128,aes128,aes128,aes128", IKE_PROTO_ESP,
         "proposal 'aes128' has a classic cipher but no integrity algorithm (add "
         "e.g. sha256)"														    },
	{"aes128-sha1,aes128-sha1,aes128-sha1,aes128-sha1,aes128-sha1,aes128-sha1,aes128-sha1,"
         "aes128-sha1,aes128-sha1,aes128-sha1,aes128-sha1,aes128-sha1,aes128-sha1,aes128-sha1,"
         "aes128-sha1,aes128-sha1,aes128-sha1",       IKE_PROTO_ESP, "more than 16 proposals"                                     },
};

static char *
describe(const GArray *props)
{
	GString *s = g_string_new(NULL);

	for (guint i = 0; i < props->len; i++) {
		const IkeProposal *p = &g_array_index(props, IkeProposal, i);

		if (i)
			g_string_append_c(s, '|');
		for (guint j = 0; j < p->n_transforms; j++) {
			const IkeTransform *t = &p->transforms[j];

			if (j)
				g_string_append_c(s, ' ');
			g_string_append_printf(s, "%u:%u", t->type, t->id);
			if (t->key_bits)
				g_string_append_printf(s, "/%u", t->key_bits);
		}
	}
	return g_string_free(s, FALSE);
}

static void
test_valid(gconstpointer data)
{
	const ValidCase *c = data;
	g_autoptr(GError) error = NULL;
	g_autoptr(GArray) props = profile_proposal_parse(c->text, c->proto, &error);
	g_autoptr(GArray) again = NULL;
	g_autofree char *got = NULL;
	g_autofree char *rendered = NULL;
	g_autofree char *again_desc = NULL;

	g_assert_no_error(error);
	g_assert_nonnull(props);
	got = describe(props);
	g_assert_cmpstr(got, ==, c->transforms);
	for (guint i = 0; i < props->len; i++) {
		const IkeProposal *p = &g_array_index(props, IkeProposal, i);

		g_assert_cmpuint(p->number, ==, i + 1);
		g_assert_cmpuint(p->protocol, ==, c->proto);
		g_assert_cmpuint(p->spi_size, ==, 0);
	}
	rendered = profile_proposal_render((const IkeProposal *)(void *)props->data, props->len);
	g_assert_cmpstr(rendered, ==, c->rendered);
	/* parse(render(x)) == x */
	again = profile_proposal_parse(rendered, c->proto, &error);
	g_assert_no_error(error);
	again_desc = describe(again);
	g_assert_cmpstr(again_desc, ==, got);
}

static void
test_invalid(gconstpointer data)
{
	const InvalidCase *c = data;
	g_autoptr(GError) error = NULL;
	g_autoptr(GArray) props = profile_proposal_parse(c->text, c->proto, &error);

	g_assert_null(props);
	g_assert_error(error, FERRY_ERROR, FERRY_ERROR_CONFIG);
	g_assert_cmpstr(error->message, ==, c->message);
}

static void
test_defaults(void)
{
	static const struct {
		IkeProto proto;
		const char *text;
		guint n;
	} cases[] = {
		{IKE_PROTO_IKE, PROFILE_PROPOSAL_DEFAULT_IKE, 2},
		{IKE_PROTO_ESP, PROFILE_PROPOSAL_DEFAULT_ESP, 2},
		{IKE_PROTO_AH,  PROFILE_PROPOSAL_DEFAULT_AH,  1},
	};

	for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autoptr(GError) error = NULL;
		g_autoptr(GArray) from_null = profile_proposal_parse(NULL, cases[i].proto, &error);
		g_autoptr(GArray) from_empty = profile_proposal_parse("", cases[i].proto, &error);
		g_autoptr(GArray) from_text =
			profile_proposal_parse(cases[i].text, cases[i].proto, &error);
		g_autofree char *a = NULL, *b = NULL, *c = NULL;

		g_assert_no_error(error);
		g_assert_cmpuint(from_null->len, ==, cases[i].n);
		a = describe(from_null);
		b = describe(from_empty);
		c = describe(from_text);
		g_assert_cmpstr(a, ==, c);
		g_assert_cmpstr(b, ==, c);
	}
}

/* The default IKE offer: AEAD first, with X25519 as the first key exchange method (the one
 * the initiator's KE payload guesses, RFC 7296 §1.2), and a classic fallback. */
static void
test_default_ike_order(void)
{
	g_autoptr(GArray) props = profile_proposal_parse(NULL, IKE_PROTO_IKE, NULL);
	const IkeProposal *aead = &g_array_index(props, IkeProposal, 0);
	const IkeProposal *classic = &g_array_index(props, IkeProposal, 1);
	gboolean classic_has_integ = FALSE;

	g_assert_cmpuint(aead->transforms[0].type, ==, IKE_TRANSFORM_ENCR);
	g_assert_cmpuint(aead->transforms[0].id, ==, IKE_ENCR_AES_GCM_16);
	g_assert_cmpuint(aead->transforms[0].key_bits, ==, 256);
	for (guint i = 0; i < aead->n_transforms; i++) {
		g_assert_cmpuint(aead->transforms[i].type, !=, IKE_TRANSFORM_INTEG);
		if (aead->transforms[i].type == IKE_TRANSFORM_KE) {
			g_assert_cmpuint(aead->transforms[i].id, ==, IKE_KE_CURVE25519);
			break;
		}
	}
	for (guint i = 0; i < classic->n_transforms; i++)
		classic_has_integ |= classic->transforms[i].type == IKE_TRANSFORM_INTEG;
	g_assert_true(classic_has_integ);
	g_assert_cmpuint(classic->transforms[0].id, ==, IKE_ENCR_AES_CBC);
}

static void
test_has_ke(void)
{
	g_autoptr(GArray) pfs = profile_proposal_parse("aes256gcm16-ecp384", IKE_PROTO_ESP, NULL);
	g_autoptr(GArray) nopfs = profile_proposal_parse("aes256gcm16", IKE_PROTO_ESP, NULL);

	g_assert_true(profile_proposal_has_ke(pfs));
	g_assert_false(profile_proposal_has_ke(nopfs));
	g_assert_false(profile_proposal_has_ke(NULL));
}

static void
test_keyword(void)
{
	IkeTransform t = {.type = IKE_TRANSFORM_ENCR, .id = IKE_ENCR_AES_GCM_16, .key_bits = 128};
	IkeTransform unknown = {.type = IKE_TRANSFORM_ENCR, .id = 999, .key_bits = 0};

	g_assert_cmpstr(profile_proposal_transform_keyword(&t), ==, "aes128gcm16");
	t = (IkeTransform){.type = IKE_TRANSFORM_KE, .id = IKE_KE_CURVE25519};
	g_assert_cmpstr(profile_proposal_transform_keyword(&t), ==, "x25519");
	t = (IkeTransform){.type = IKE_TRANSFORM_PRF, .id = IKE_PRF_HMAC_SHA2_384};
	g_assert_cmpstr(profile_proposal_transform_keyword(&t), ==, "prfsha384");
	g_assert_null(profile_proposal_transform_keyword(&unknown));
}

static void
test_too_long(void)
{
	g_autoptr(GString) s = g_string_new("aes256-sha256");
	g_autoptr(GError) error = NULL;
	g_autoptr(GArray) props = NULL;

	while (s->len <= 4096)
		g_string_append(s, "-sha256");
	props = profile_proposal_parse(s->str, IKE_PROTO_ESP, &error);
	g_assert_null(props);
	g_assert_error(error, FERRY_ERROR, FERRY_ERROR_CONFIG);
	g_assert_cmpstr(error->message, ==, "longer than 4096 characters");
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);

	for (gsize i = 0; i < G_N_ELEMENTS(valid_cases); i++) {
		g_autofree char *path = g_strdup_printf("/ferry/profile/proposal/valid/%02zu", i);

		g_test_add_data_func(path, &valid_cases[i], test_valid);
	}
	for (gsize i = 0; i < G_N_ELEMENTS(invalid_cases); i++) {
		g_autofree char *path = g_strdup_printf("/ferry/profile/proposal/invalid/%02zu", i);

		g_test_add_data_func(path, &invalid_cases[i], test_invalid);
	}
	g_test_add_func("/ferry/profile/proposal/defaults", test_defaults);
	g_test_add_func("/ferry/profile/proposal/default-ike-order", test_default_ike_order);
	g_test_add_func("/ferry/profile/proposal/has-ke", test_has_ke);
	g_test_add_func("/ferry/profile/proposal/keyword", test_keyword);
	g_test_add_func("/ferry/profile/proposal/too-long", test_too_long);
	return g_test_run();
}
