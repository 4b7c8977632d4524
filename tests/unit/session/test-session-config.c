/* test-session-config.c - profile -> engine configuration: identities, selectors, prefixes */
#include "config.h"

#include <arpa/inet.h>
#include <sys/socket.h>

#include "ferry-error.h"
#include "ferry-session-private.h"
#include "ike-registry.h"

/* --- identities (RFC 7296 §3.5) --- */

typedef struct {
	const char *text;
	uint8_t type; /* 0: rejected */
	const char *data_hex;
} IdCase;

static const IdCase id_cases[] = {
	{"198.51.100.7",           IKE_ID_IPV4_ADDR,   "c6336407"                            },
	{"2001:db8::1",            IKE_ID_IPV6_ADDR,   "20010db8000000000000000000000001"    },
	{"gw.example.net",         IKE_ID_FQDN,        "67772e6578616d706c652e6e6574"        },
	{"@gw.example.net",        IKE_ID_FQDN,        "67772e6578616d706c652e6e6574"        },
	{"client@example.net",     IKE_ID_RFC822_ADDR, "636c69656e74406578616d706c652e6e6574"},
	{"@#0a0B",                 IKE_ID_KEY_ID,      "0a0b"                                },
	{"@#0a0",		  0,                  NULL				  },
	{"@#zz",		   0,                  NULL				  },
	{"@",		      0,		  NULL				  },
	{"C=CH, O=Example, CN=gw", 0,                  NULL                                  },
};

static void
test_parse_id(gconstpointer data)
{
	const IdCase *c = data;
	g_autoptr(GByteArray) bytes = g_byte_array_new();
	g_autoptr(GError) error = NULL;
	g_autofree char *hex = NULL;
	uint8_t type = 0;
	gboolean ok = ferry_session_parse_id(c->text, "local-id", &type, bytes, &error);

	if (c->type == 0) {
		g_assert_false(ok);
		g_assert_error(error, FERRY_ERROR, FERRY_ERROR_CONFIG);
		g_assert_true(g_str_has_prefix(error->message, "local-id: "));
		return;
	}
	g_assert_no_error(error);
	g_assert_true(ok);
	g_assert_cmpuint(type, ==, c->type);
	hex = g_malloc0(bytes->len * 2 + 1);
	for (guint i = 0; i < bytes->len; i++)
		g_snprintf(hex + 2 * i, 3, "%02x", bytes->data[i]);
	g_assert_cmpstr(hex, ==, c->data_hex);
}

/* --- selectors and the prefixes that cover them --- */

typedef struct {
	const char *text; /* NULL: invalid */
	const char *prefixes;
} TsCase;

static const TsCase ts_cases[] = {
	{"0.0.0.0/0",								       "0.0.0.0/0"                        },
	{"::/0",									    "::/0"			     },
	{"198.51.100.0/24",								 "198.51.100.0/24"                  },
	{"198.51.100.7",								    "198.51.100.7/32"                  },
	{"198.51.100.7/24",								 "198.51.100.0/24"                  }, /* host bits ignored, as ip route does */
	{"198.51.100.0-198.51.100.255",						     "198.51.100.0/24"                  },
	{"198.51.100.1-198.51.100.6",						       "198.51.100.1/32 198.51.100.2/31 198.51.100.4/31 "
                                      "198.51.100.6/32"                                   },
	{"198.51.100.255-198.51.101.0",						     "198.51.100.255/32 198.51.101.0/32"},
	{"0.0.0.1-255.255.255.255",
         "0.0.0.1/32 0.0.0.2/31 0.0.0.4/30 0.0.0.8/29 0.0.0.16/28 0.0.0.32/27 0.0.0.64/26 "
         "0.0.0.128/25 0.0.1.0/24 0.0.2.0/23 0.0.4.0/22 0.0.8.0/21 0.0.16.0/20 0.0.32.0/19 "
         "0.0.64.0/18 0.0.128.0/17 0.1.0.0/16 0.2.0.0/15 0.4.0.0/14 0.8.0.0/13 0.16.0.0/12 "
         "0.32.0.0/11 0.64.0.0/10 0.128.0.0/9 1.0.0.0/8 2.0.0.0/7 4.0.0.0/6 8.0.0.0/5 "
         "16.0.0.0/4 32.0.0.0/3 64.0.0.0/2 128.0.0.0/1"									},
	{"2001:db8::-2001:db8::ffff:ffff",						  "2001:db8::/96"                    },
	{"ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffe-ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff",
         "ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffe/127"									 },
	{"255.255.255.255",								 "255.255.255.255/32"               },
	{"198.51.100.9-198.51.100.1",						       NULL                               },
	{"198.51.100.1-2001:db8::1",							NULL                               },
	{"198.51.100.0/33",								 NULL                               },
	{"198.51.100.0/x",								  NULL			       },
	{"gateway/24",								      NULL			       },
};

static void
test_ts_prefixes(gconstpointer data)
{
	const TsCase *c = data;
	g_autoptr(GArray) prefixes = g_array_new(FALSE, FALSE, sizeof(FerryPrefix));
	g_autoptr(GString) got = g_string_new(NULL);
	IkeTs ts;

	if (c->prefixes == NULL) {
		g_assert_false(ferry_session_parse_ts(c->text, &ts));
		return;
	}
	g_assert_true(ferry_session_parse_ts(c->text, &ts));
	g_assert_true(ferry_session_ts_to_prefixes(&ts, prefixes));
	for (guint i = 0; i < prefixes->len; i++) {
		g_autofree char *p =
			ferry_prefix_to_string(&g_array_index(prefixes, FerryPrefix, i));
		g_string_append_printf(got, "%s%s", i ? " " : "", p);
	}
	g_assert_cmpstr(got->str, ==, c->prefixes);
}

static void
test_ts_pathological(void)
{
	g_autoptr(GArray) prefixes = g_array_new(FALSE, FALSE, sizeof(FerryPrefix));
	IkeTs ts;

	/* ::1 - ffff:...:fffe needs 254 prefixes: capped, never unbounded. */
	g_assert_true(ferry_session_parse_ts("::1-ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffe", &ts));
	g_assert_true(ferry_session_ts_to_prefixes(&ts, prefixes));
	g_assert_cmpuint(prefixes->len, ==, FERRY_SESSION_MAX_PREFIXES);
}

/* --- the engine configuration --- */

static FerryProfile *
new_profile(void)
{
	FerryProfile *p = ferry_profile_new();

	p->name = g_strdup("test");
	p->gateway = g_strdup("gw.example.net");
	p->auth = FERRY_AUTH_PSK;
	return p;
}

static FerryProfileSecrets *
new_secrets(void)
{
	FerryProfileSecrets *s = ferry_profile_secrets_new();

	g_assert_true(ferry_profile_secrets_set(s, "psk", "not-a-real-key", NULL));
	return s;
}

static void
test_engine_defaults(void)
{
	g_autoptr(FerryProfile) p = new_profile();
	g_autoptr(FerryProfileSecrets) s = new_secrets();
	g_autoptr(GError) error = NULL;
	FerrySessionEngineConfig c;
	IoAddr local = {.family = AF_INET, .port = 500}, remote = {.family = AF_INET, .port = 500};

	inet_pton(AF_INET, "198.51.100.2", local.addr);
	inet_pton(AF_INET, "198.51.100.1", remote.addr);
	p->dpd = 0;
	g_assert_true(ferry_session_engine_config_init(&c, p, s, &local, &remote, &error));
	g_assert_no_error(error);
	/* No local-id: our address; no remote-id: the gateway's name. */
	g_assert_cmpuint(c.sa.local_id_type, ==, IKE_ID_IPV4_ADDR);
	g_assert_cmpmem(c.sa.local_id.data, c.sa.local_id.len, local.addr, 4);
	g_assert_cmpuint(c.sa.remote_id_type, ==, IKE_ID_FQDN);
	g_assert_cmpmem(c.sa.remote_id.data, c.sa.remote_id.len, "gw.example.net", 14);
	g_assert_true(c.sa.psk == s->psk);
	g_assert_cmpuint(c.sa.n_ike_proposals, >, 0);
	g_assert_cmpuint(c.sa.n_child_proposals, >, 0);
	g_assert_cmpuint(c.sa.n_ts_remote, ==, 0); /* full tunnel */
	g_assert_cmpuint(c.sa.dpd_s, ==, FERRY_SESSION_DPD_OFF_S);
	g_assert_false(c.sa.force_encap);
	g_assert_cmpuint(c.sa.remote_addr.port, ==, 500);
	ferry_session_engine_config_clear(&c);
}

static void
test_engine_profile(void)
{
	g_autoptr(FerryProfile) p = new_profile();
	g_autoptr(FerryProfileSecrets) s = new_secrets();
	g_autoptr(GError) error = NULL;
	FerrySessionEngineConfig c;
	IoAddr local = {.family = AF_INET}, remote = {.family = AF_INET};
	const char *subnets[] = {"198.51.100.0/24", "2001:db8:100::/48", NULL};

	p->local_id = g_strdup("client@example.net");
	p->remote_id = g_strdup("@#cafe");
	p->include_subnets = g_strdupv((char **)subnets);
	p->encap = FERRY_ENCAP_FORCE;
	p->dpd = 45;
	p->virtual_ip6 = FALSE;
	g_assert_true(ferry_session_engine_config_init(&c, p, s, &local, &remote, &error));
	g_assert_no_error(error);
	g_assert_cmpuint(c.sa.local_id_type, ==, IKE_ID_RFC822_ADDR);
	g_assert_cmpuint(c.sa.remote_id_type, ==, IKE_ID_KEY_ID);
	g_assert_cmpuint(c.sa.remote_id.len, ==, 2);
	g_assert_cmpuint(c.sa.n_ts_remote, ==, 2);
	g_assert_cmpuint(c.sa.ts_remote[0].type, ==, IKE_TS_IPV4_ADDR_RANGE);
	g_assert_cmpuint(c.sa.ts_remote[1].type, ==, IKE_TS_IPV6_ADDR_RANGE);
	g_assert_true(c.sa.force_encap);
	g_assert_cmpuint(c.sa.dpd_s, ==, 45);
	g_assert_false(c.sa.request_ip6);
	ferry_session_engine_config_clear(&c);
}

static void
test_engine_errors(void)
{
	g_autoptr(FerryProfile) p = new_profile();
	g_autoptr(FerryProfileSecrets) s = new_secrets();
	g_autoptr(GError) error = NULL;
	FerrySessionEngineConfig c;
	IoAddr local = {.family = AF_INET}, remote = {.family = AF_INET};

	p->remote_id = g_strdup("@#123");
	g_assert_false(ferry_session_engine_config_init(&c, p, s, &local, &remote, &error));
	g_assert_error(error, FERRY_ERROR, FERRY_ERROR_CONFIG);
	g_assert_true(g_str_has_prefix(error->message, "remote-id: "));
	ferry_session_engine_config_clear(&c);
}

/* --- NAT keepalives (RFC 3948 §4) --- */

typedef struct {
	FerryEncap encap;
	guint nat_keepalive;
	gboolean natt, nat_local;
	guint expected;
} KeepaliveCase;

static const KeepaliveCase keepalive_cases[] = {
  /* 0 */ {FERRY_ENCAP_AUTO,  20, FALSE, FALSE, 0 }, /* plain ESP: nothing to keep */
  /* 1 */
   {FERRY_ENCAP_AUTO,  20, TRUE,  TRUE,  20}, /* a NAT in front of us */
  /* 2 */
   {FERRY_ENCAP_AUTO,  20, TRUE,  FALSE, 0 }, /* gateway NATed or it forced 4500 */
  /* 3 */
   {FERRY_ENCAP_AUTO,  0,  TRUE,  TRUE,  0 }, /* the profile turned them off */
  /* 4 */
   {FERRY_ENCAP_AUTO,  45, TRUE,  TRUE,  45},
 /* 5 */
   {FERRY_ENCAP_FORCE, 20, TRUE,  FALSE, 20}, /* forced: a NAT detection misses */
  /* 6 */
   {FERRY_ENCAP_FORCE, 0,  TRUE,  FALSE, 0 }, /* forced, keepalives off */
  /* 7 */
   {FERRY_ENCAP_FORCE, 0,  TRUE,  TRUE,  0 },
 /* 8 */
   {FERRY_ENCAP_FORCE, 20, FALSE, FALSE, 0 },
 /* 9 */
   {FERRY_ENCAP_AUTO,  20, FALSE, TRUE,  0 }, /* not (yet) on port 4500 */
};

static void
test_keepalive(gconstpointer data)
{
	const KeepaliveCase *c = data;
	g_autoptr(FerryProfile) profile = ferry_profile_new();

	profile->encap = c->encap;
	profile->nat_keepalive = c->nat_keepalive;
	g_assert_cmpuint(ferry_session_keepalive_interval(profile, c->natt, c->nat_local), ==,
	                 c->expected);
}

/* The soft packet limit rekeys before the 32-bit sequence number runs out, and an SA with it
 * raises the soft flag there and still seals the packets up to 2^32 - 1. */
static void
test_soft_packets(void)
{
	guint64 soft = ferry_session_soft_packets(FALSE);

	g_assert_cmpuint(soft, >, 0);
	g_assert_cmpuint(soft, <, UINT32_MAX);
	g_assert_cmpuint(UINT32_MAX - soft, >=, FERRY_SESSION_REPLAY_WINDOW);
	g_assert_cmpuint(ferry_session_soft_packets(TRUE), ==, 0);
}

/* eap-only=yes reaches the engine (RFC 5998); cert+eap is taken (RFC 4739) and asks for its
 * client certificate like cert does. */
static void
test_engine_eap_only(void)
{
	g_autoptr(FerryProfile) p = new_profile();
	g_autoptr(FerryProfileSecrets) s = new_secrets();
	g_autoptr(GError) error = NULL;
	FerrySessionEngineConfig c;
	IoAddr local = {.family = AF_INET}, remote = {.family = AF_INET};

	p->auth = FERRY_AUTH_EAP_MSCHAPV2;
	p->eap_identity = g_strdup("alice");
	p->eap_only = TRUE;
	g_assert_true(ferry_profile_secrets_set(s, "password", "not-a-real-password", NULL));
	g_assert_true(ferry_session_engine_config_init(&c, p, s, &local, &remote, &error));
	g_assert_no_error(error);
	g_assert_true(c.sa.eap_only);
	g_assert_false(c.sa.multi_auth);
	g_assert_cmpstr(c.sa.eap_identity, ==, "alice");
	ferry_session_engine_config_clear(&c);

	p->auth = FERRY_AUTH_CERT_EAP;
	p->eap_only = FALSE;
	g_assert_false(ferry_session_engine_config_init(&c, p, s, &local, &remote, &error));
	g_assert_error(error, FERRY_ERROR, FERRY_ERROR_CONFIG);
	g_assert_cmpstr(error->message, ==,
	                "client-cert: auth cert needs client-cert and client-key, client-pkcs12 "
	                "or client-pkcs11-uri");
	ferry_session_engine_config_clear(&c);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	for (gsize i = 0; i < G_N_ELEMENTS(id_cases); i++) {
		g_autofree char *path = g_strdup_printf("/ferry/session/config/id/%02zu", i);
		g_test_add_data_func(path, &id_cases[i], test_parse_id);
	}
	for (gsize i = 0; i < G_N_ELEMENTS(ts_cases); i++) {
		g_autofree char *path =
			g_strdup_printf("/ferry/session/config/ts-prefixes/%02zu", i);
		g_test_add_data_func(path, &ts_cases[i], test_ts_prefixes);
	}
	g_test_add_func("/ferry/session/config/ts-pathological", test_ts_pathological);
	for (gsize i = 0; i < G_N_ELEMENTS(keepalive_cases); i++) {
		g_autofree char *path =
			g_strdup_printf("/ferry/session/config/nat-keepalive/%" G_GSIZE_FORMAT, i);
		g_test_add_data_func(path, &keepalive_cases[i], test_keepalive);
	}
	g_test_add_func("/ferry/session/config/soft-packets", test_soft_packets);
	g_test_add_func("/ferry/session/config/engine-defaults", test_engine_defaults);
	g_test_add_func("/ferry/session/config/engine-profile", test_engine_profile);
	g_test_add_func("/ferry/session/config/engine-errors", test_engine_errors);
	g_test_add_func("/ferry/session/config/engine-eap-only", test_engine_eap_only);
	return g_test_run();
}
