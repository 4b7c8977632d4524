/* test-profile-model.c - FerryProfile defaults, copy/equal, and validation of every field */
#include "config.h"

#include <string.h>

#include "ferry-error.h"
#include "ferry-profile.h"
#include "profile-proposal.h"

#define assert_strv_eq(list, ...)                                                                  \
	G_STMT_START                                                                               \
	{                                                                                          \
		const char *const want__[] = {__VA_ARGS__, NULL};                                  \
		g_assert_cmpstrv((const char *const *)(list), want__);                             \
	}                                                                                          \
	G_STMT_END

static FerryProfile *
make_valid(void)
{
	FerryProfile *p = ferry_profile_new();

	p->name = g_strdup("corp");
	p->gateway = g_strdup("vpn.example.com");
	return p;
}

static void
test_defaults(void)
{
	g_autoptr(FerryProfile) p = ferry_profile_new();

	g_assert_true(g_uuid_string_is_valid(p->uuid));
	g_assert_null(p->name);
	g_assert_null(p->gateway);
	g_assert_cmpuint(p->port, ==, 500);
	g_assert_cmpint(p->auth, ==, FERRY_AUTH_EAP_MSCHAPV2);
	g_assert_false(p->remote_id_strict);
	g_assert_false(p->rsa_pss);
	g_assert_true(p->send_certreq);
	g_assert_cmpint(p->pfs, ==, FERRY_PFS_AUTO);
	g_assert_cmpint(p->protocol, ==, FERRY_IPSEC_ESP);
	g_assert_cmpint(p->mode, ==, FERRY_IPSEC_TUNNEL);
	g_assert_cmpuint(p->mtu, ==, 0);
	g_assert_cmpuint(p->nat_keepalive, ==, 20);
	g_assert_cmpuint(p->dpd, ==, 30);
	g_assert_cmpuint(p->ike_lifetime, ==, 14400);
	g_assert_cmpuint(p->child_lifetime, ==, 3600);
	g_assert_cmpint(p->encap, ==, FERRY_ENCAP_AUTO);
	g_assert_false(p->ipv6_transport);
	g_assert_true(p->virtual_ip4);
	g_assert_true(p->virtual_ip6);
}

static void
test_two_uuids_differ(void)
{
	g_autoptr(FerryProfile) a = ferry_profile_new();
	g_autoptr(FerryProfile) b = ferry_profile_new();

	g_assert_cmpstr(a->uuid, !=, b->uuid);
}

static void
test_copy_equal(void)
{
	g_autoptr(FerryProfile) a = make_valid();
	g_autoptr(FerryProfile) b = NULL;
	const char *const subnets[] = {"10.0.0.0/8", NULL};

	a->include_subnets = g_strdupv((char **)subnets);
	a->eap_identity = g_strdup("alice");
	b = ferry_profile_copy(a);
	g_assert_true(b->name != a->name);
	g_assert_true(b->include_subnets != a->include_subnets);
	g_assert_true(ferry_profile_equal(a, b));

	g_free(b->eap_identity);
	b->eap_identity = g_strdup("bob");
	g_assert_false(ferry_profile_equal(a, b));
	g_free(b->eap_identity);
	b->eap_identity = g_strdup("alice");
	b->mtu = 1400;
	g_assert_false(ferry_profile_equal(a, b));
	b->mtu = 0;
	g_strfreev(b->include_subnets);
	b->include_subnets = NULL;
	g_assert_false(ferry_profile_equal(a, b));
	/* an empty list is the same as none */
	g_strfreev(a->include_subnets);
	a->include_subnets = g_new0(char *, 1);
	g_assert_true(ferry_profile_equal(a, b));
}

static void
test_boxed(void)
{
	g_autoptr(FerryProfile) a = make_valid();
	FerryProfile *b = g_boxed_copy(FERRY_TYPE_PROFILE, a);

	g_assert_true(ferry_profile_equal(a, b));
	g_boxed_free(FERRY_TYPE_PROFILE, b);
}

typedef void (*Mutate)(FerryProfile *p);
typedef struct {
	const char *label;
	Mutate mutate;
	const char *message; /* NULL: still valid */
} ValidateCase;

#define SET_STR(field, value)                                                                      \
	G_STMT_START                                                                               \
	{                                                                                          \
		g_free(p->field);                                                                  \
		p->field = g_strdup(value);                                                        \
	}                                                                                          \
	G_STMT_END
#define SET_LIST(field, ...)                                                                       \
	G_STMT_START                                                                               \
	{                                                                                          \
		const char *const v__[] = {__VA_ARGS__, NULL};                                     \
		g_strfreev(p->field);                                                              \
		p->field = g_strdupv((char **)v__);                                                \
	}                                                                                          \
	G_STMT_END

/* One mutation per check; each names its field. */
static void
m_no_name(FerryProfile *p)
{
	SET_STR(name, NULL);
}
static void
m_empty_name(FerryProfile *p)
{
	SET_STR(name, "");
}
static void
m_slash_name(FerryProfile *p)
{
	SET_STR(name, "a/b");
}
static void
m_ctrl_name(FerryProfile *p)
{
	SET_STR(name, "a\tb");
}
static void
m_bad_utf8_name(FerryProfile *p)
{
	SET_STR(name, "caf\xc3");
}
static void
m_no_uuid(FerryProfile *p)
{
	SET_STR(uuid, NULL);
}
static void
m_bad_uuid(FerryProfile *p)
{
	SET_STR(uuid, "not-a-uuid");
}
static void
m_no_gateway(FerryProfile *p)
{
	SET_STR(gateway, NULL);
}
static void
m_bad_gateway(FerryProfile *p)
{
	SET_STR(gateway, "vpn example.com");
}
static void
m_dash_gateway(FerryProfile *p)
{
	SET_STR(gateway, "-vpn.example.com");
}
static void
m_ip_gateway(FerryProfile *p)
{
	SET_STR(gateway, "2001:db8::1");
}
static void
m_port0(FerryProfile *p)
{
	p->port = 0;
}
static void
m_bad_auth(FerryProfile *p)
{
	p->auth = (FerryAuthMethod)42;
}
static void
m_bad_local_id(FerryProfile *p)
{
	SET_STR(local_id, "alice smith");
}
static void
m_dn_local_id(FerryProfile *p)
{
	SET_STR(local_id, "C=DE, O=Example, CN=alice");
}
static void
m_bad_keyid(FerryProfile *p)
{
	SET_STR(remote_id, "@#xyz");
}
static void
m_keyid(FerryProfile *p)
{
	SET_STR(remote_id, "@#0a1b2c");
}
static void
m_empty_remote_id(FerryProfile *p)
{
	SET_STR(remote_id, "");
}
static void
m_psk_eap_identity(FerryProfile *p)
{
	p->auth = FERRY_AUTH_PSK;
	SET_STR(eap_identity, "alice");
}
static void
m_psk_eap_only(FerryProfile *p)
{
	p->auth = FERRY_AUTH_PSK;
	p->eap_only = TRUE;
}
static void
m_eaptls_eap_only(FerryProfile *p)
{
	p->auth = FERRY_AUTH_EAP_TLS;
	p->eap_only = TRUE;
	SET_STR(client_pkcs12, "/etc/ferry/alice.p12");
}
static void
m_cert_no_cred(FerryProfile *p)
{
	p->auth = FERRY_AUTH_CERT;
}
static void
m_eaptls_p12(FerryProfile *p)
{
	p->auth = FERRY_AUTH_EAP_TLS;
	SET_STR(client_pkcs12, "alice.p12");
}
static void
m_cert_without_key(FerryProfile *p)
{
	p->auth = FERRY_AUTH_CERT;
	SET_STR(client_cert, "alice.pem");
}
static void
m_key_without_cert(FerryProfile *p)
{
	SET_STR(client_key, "alice.key");
}
static void
m_cert_and_p12(FerryProfile *p)
{
	SET_STR(client_cert, "alice.pem");
	SET_STR(client_key, "alice.key");
	SET_STR(client_pkcs12, "alice.p12");
}
static void
m_bad_pkcs11(FerryProfile *p)
{
	SET_STR(client_pkcs11_uri, "token:alice");
}
static void
m_pkcs11(FerryProfile *p)
{
	p->auth = FERRY_AUTH_CERT_EAP;
	SET_STR(client_pkcs11_uri, "pkcs11:token=Alice;object=vpn");
}
static void
m_cert_and_pkcs11(FerryProfile *p)
{
	/* The certificate on file, its key on a token. */
	p->auth = FERRY_AUTH_CERT;
	SET_STR(client_cert, "alice.pem");
	SET_STR(client_pkcs11_uri, "pkcs11:token=Alice;object=vpn");
}
static void
m_empty_ca(FerryProfile *p)
{
	SET_LIST(ca_certs, "root.pem", "");
}
static void
m_empty_server_cert(FerryProfile *p)
{
	SET_STR(server_cert, "");
}
static void
m_bad_ike(FerryProfile *p)
{
	SET_STR(ike_proposals, "aes256-sha256-modp2047");
}
static void
m_bad_esp(FerryProfile *p)
{
	SET_STR(esp_proposals, "aes256gcm17");
}
static void
m_ah_with_cipher(FerryProfile *p)
{
	p->protocol = FERRY_IPSEC_AH;
	SET_STR(esp_proposals, "aes256gcm16");
}
static void
m_pfs_no_with_ke(FerryProfile *p)
{
	p->pfs = FERRY_PFS_NO;
	SET_STR(esp_proposals, "aes256gcm16-ecp384");
}
static void
m_bad_pfs(FerryProfile *p)
{
	p->pfs = (FerryPfs)9;
}
static void
m_bad_protocol(FerryProfile *p)
{
	p->protocol = (FerryIpsecProtocol)9;
}
static void
m_bad_subnet(FerryProfile *p)
{
	SET_LIST(include_subnets, "10.0.0.0/8", "10.0.0.0/33");
}
static void
m_bad_range(FerryProfile *p)
{
	SET_LIST(exclude_subnets, "10.0.0.9-10.0.0.1");
}
static void
m_mixed_range(FerryProfile *p)
{
	SET_LIST(exclude_subnets, "10.0.0.1-2001:db8::1");
}
static void
m_host_bits(FerryProfile *p)
{
	SET_LIST(include_subnets, "10.1.2.3/8", "2001:db8::1/32");
}
static void
m_bad_dns(FerryProfile *p)
{
	SET_LIST(dns_servers, "10.0.0.53", "dns.example.com");
}
static void
m_bad_domain(FerryProfile *p)
{
	SET_LIST(dns_search_domains, "corp..example");
}
static void
m_bad_split(FerryProfile *p)
{
	SET_LIST(dns_split_domains, "ex ample.com");
}
static void
m_dot_split(FerryProfile *p)
{
	SET_LIST(dns_split_domains, ".example.com");
}
static void
m_mtu_low(FerryProfile *p)
{
	p->mtu = 1000;
}
static void
m_mtu_high(FerryProfile *p)
{
	p->mtu = 9001;
}
static void
m_keepalive(FerryProfile *p)
{
	p->nat_keepalive = 3601;
}
static void
m_dpd(FerryProfile *p)
{
	p->dpd = 86401;
}
static void
m_ike_lifetime(FerryProfile *p)
{
	p->ike_lifetime = 59;
}
static void
m_child_lifetime(FerryProfile *p)
{
	p->child_lifetime = 0;
}
static void
m_transport_vip(FerryProfile *p)
{
	p->mode = FERRY_IPSEC_TRANSPORT;
}
static void
m_transport(FerryProfile *p)
{
	p->mode = FERRY_IPSEC_TRANSPORT;
	p->virtual_ip4 = p->virtual_ip6 = FALSE;
}
static void
m_bad_mode(FerryProfile *p)
{
	p->mode = (FerryIpsecMode)7;
}
static void
m_bad_encap(FerryProfile *p)
{
	p->encap = (FerryEncap)7;
}
static void
m_long_name(FerryProfile *p)
{
	g_free(p->name);
	p->name = g_strnfill(1025, 'x');
}

static const ValidateCase validate_cases[] = {
	{"name-missing",             m_no_name,           "name: missing (the name you pick the profile by)"             },
	{"name-empty",               m_empty_name,        "name: missing (the name you pick the profile by)"             },
	{"name-slash",               m_slash_name,        "name: 'a/b' contains '/'"                                     },
	{"name-control",             m_ctrl_name,         "name: contains control characters"                            },
	{"name-utf8",                m_bad_utf8_name,     "name: not valid UTF-8"                                        },
	{"name-long",                m_long_name,         "name: longer than 1024 characters"                            },
	{"uuid-missing",             m_no_uuid,           "uuid: missing"                                                },
	{"uuid-bad",                 m_bad_uuid,          "uuid: 'not-a-uuid' is not a UUID"                             },
	{"gateway-missing",          m_no_gateway,
         "gateway: missing (the VPN server's host name or address)"                                                      },
	{"gateway-space",            m_bad_gateway,
         "gateway: 'vpn example.com' is not a host name or IP address"                                                   },
	{"gateway-dash",             m_dash_gateway,
         "gateway: '-vpn.example.com' is not a host name or IP address"                                                  },
	{"gateway-ipv6",             m_ip_gateway,        NULL							   },
	{"port-zero",                m_port0,             "port: 0 is not a port (1-65535; IKE uses 500)"                },
	{"auth-unknown",             m_bad_auth,          "auth: unknown method 42"                                      },
	{"local-id-space",           m_bad_local_id,
         "local-id: 'alice smith' is not an identity (a host name, address, user@domain or a "
         "distinguished name like 'CN=vpn.example.com')"								 },
	{"local-id-dn",              m_dn_local_id,       NULL							   },
	{"remote-id-keyid-bad",      m_bad_keyid,
         "remote-id: '@#xyz' is not a key ID ('@#' then hex digits)"                                                     },
	{"remote-id-keyid",          m_keyid,             NULL							   },
	{"remote-id-empty",          m_empty_remote_id,   "remote-id: empty (leave it out instead)"                      },
	{"eap-identity-psk",         m_psk_eap_identity,  "eap-identity: set, but auth psk uses no EAP"                  },
	{"eap-only-psk",             m_psk_eap_only,
         "eap-only: yes, but auth psk is not eap-mschapv2 or eap-tls"                                                    },
	{"eap-only-eap-tls",         m_eaptls_eap_only,   NULL							   },
	{"cert-no-credential",       m_cert_no_cred,
         "client-cert: missing (auth cert needs client-cert and client-key, client-pkcs12 or "
         "client-pkcs11-uri)"											    },
	{"eap-tls-pkcs12",           m_eaptls_p12,        NULL							   },
	{"cert-without-key",         m_cert_without_key,
         "client-key: missing (client-cert needs its private key)"                                                       },
	{"key-without-cert",         m_key_without_cert,
         "client-cert: missing (client-key needs its certificate)"                                                       },
	{"cert-and-pkcs12",          m_cert_and_p12,
         "client-cert: give only one of client-cert with client-key, client-pkcs12, and client-pkcs11-uri (optionally "
         "with client-cert)"                                                                                             },
	{"cert-and-pkcs11",          m_cert_and_pkcs11,   NULL							   },
	{"pkcs11-bad",               m_bad_pkcs11,
         "client-pkcs11-uri: 'token:alice' does not start with 'pkcs11:' (RFC 7512)"                                     },
	{"pkcs11",		   m_pkcs11,            NULL							   },
	{"ca-certs-empty",           m_empty_ca,          "ca-certs: empty (leave it out instead)"                       },
	{"server-cert-empty",        m_empty_server_cert, "server-cert: empty (leave it out instead)"                    },
	{"ike-proposals",            m_bad_ike,           "ike-proposals: unknown algorithm 'modp2047'"                  },
	{"esp-proposals",            m_bad_esp,           "esp-proposals: unknown algorithm 'aes256gcm17'"               },
	{"esp-proposals-ah",         m_ah_with_cipher,
         "esp-proposals: 'aes256gcm16' is an encryption algorithm, but AH only protects "
         "integrity"												     },
	{"pfs-no",		   m_pfs_no_with_ke,
         "pfs: 'no', but esp-proposals name key exchange methods (which mean PFS)"                                       },
	{"pfs-unknown",              m_bad_pfs,           "pfs: unknown value 9"                                         },
	{"protocol-unknown",         m_bad_protocol,      "protocol: unknown protocol 9"                                 },
	{"include-subnets",          m_bad_subnet,
         "include-subnets: '10.0.0.0/33' is not a subnet (address/prefix like 10.0.0.0/8, or a "
         "range first-last)"											     },
	{"exclude-subnets-reversed", m_bad_range,
         "exclude-subnets: '10.0.0.9-10.0.0.1' is not a subnet (address/prefix like 10.0.0.0/8, "
         "or a range first-last)"											},
	{"exclude-subnets-mixed",    m_mixed_range,
         "exclude-subnets: '10.0.0.1-2001:db8::1' is not a subnet (address/prefix like "
         "10.0.0.0/8, or a range first-last)"									    },
	{"subnets-host-bits",        m_host_bits,         NULL							   },
	{"dns-servers",              m_bad_dns,           "dns-servers: 'dns.example.com' is not an IP address"          },
	{"dns-search-domains",       m_bad_domain,
         "dns-search-domains: 'corp..example' is not a domain name"                                                      },
	{"dns-split-domains",        m_bad_split,
         "dns-split-domains: 'ex ample.com' is not a domain name"                                                        },
	{"dns-split-dot",            m_dot_split,         NULL							   },
	{"mtu-low",                  m_mtu_low,           "mtu: 1000 is out of range (1280-9000, or 0 for off/automatic)"},
	{"mtu-high",                 m_mtu_high,          "mtu: 9001 is out of range (1280-9000, or 0 for off/automatic)"},
	{"nat-keepalive",            m_keepalive,
         "nat-keepalive: 3601 is out of range (1-3600, or 0 for off/automatic)"                                          },
	{"dpd",		      m_dpd,               "dpd: 86401 is out of range (1-86400, or 0 for off/automatic)" },
	{"ike-lifetime",             m_ike_lifetime,      "ike-lifetime: 59 is out of range (60-604800)"                 },
	{"child-lifetime",           m_child_lifetime,    "child-lifetime: 0 is out of range (60-604800)"                },
	{"mode-transport-vip",       m_transport_vip,
         "mode: transport mode carries no virtual IP; set virtual-ip4 and virtual-ip6 to false"                          },
	{"mode-transport",           m_transport,         NULL							   },
	{"mode-unknown",             m_bad_mode,          "mode: unknown mode 7"                                         },
	{"encap-unknown",            m_bad_encap,         "encap: unknown value 7"                                       },
};

static void
test_validate(gconstpointer data)
{
	const ValidateCase *c = data;
	g_autoptr(FerryProfile) p = make_valid();
	g_autoptr(GError) error = NULL;

	g_assert_true(ferry_profile_validate(p, NULL));
	c->mutate(p);
	if (!c->message) {
		g_assert_true(ferry_profile_validate(p, &error));
		g_assert_no_error(error);
		return;
	}
	g_assert_false(ferry_profile_validate(p, &error));
	g_assert_error(error, FERRY_ERROR, FERRY_ERROR_CONFIG);
	g_assert_cmpstr(error->message, ==, c->message);
}

static void
test_proposals_follow_protocol(void)
{
	g_autoptr(FerryProfile) p = make_valid();
	g_autoptr(GArray) esp = NULL;
	g_autoptr(GArray) ah = NULL;
	g_autoptr(GArray) ike = NULL;

	esp = ferry_profile_dup_esp_proposals(p, NULL);
	g_assert_cmpuint(g_array_index(esp, IkeProposal, 0).protocol, ==, IKE_PROTO_ESP);
	p->protocol = FERRY_IPSEC_AH;
	ah = ferry_profile_dup_esp_proposals(p, NULL);
	g_assert_cmpuint(g_array_index(ah, IkeProposal, 0).protocol, ==, IKE_PROTO_AH);
	ike = ferry_profile_dup_ike_proposals(p, NULL);
	g_assert_cmpuint(g_array_index(ike, IkeProposal, 0).protocol, ==, IKE_PROTO_IKE);
}

static void
test_secrets(void)
{
	g_autoptr(FerryProfile) p = make_valid();
	g_autoptr(FerryProfileSecrets) s = ferry_profile_secrets_new();
	g_autoptr(FerryProfileSecrets) copy = NULL;
	g_autoptr(GError) error = NULL;

	g_assert_true(ferry_profile_secrets_is_empty(s));
	/* EAP: the password may be asked for at connect time */
	g_assert_true(ferry_profile_validate_secrets(p, s, NULL));
	p->auth = FERRY_AUTH_PSK;
	g_assert_false(ferry_profile_validate_secrets(p, s, &error));
	g_assert_error(error, FERRY_ERROR, FERRY_ERROR_CONFIG);
	g_assert_cmpstr(error->message, ==,
	                "psk: missing (auth psk needs the pre-shared key in the secrets)");
	g_clear_error(&error);
	g_assert_false(ferry_profile_validate_secrets(p, NULL, NULL));

	g_assert_true(ferry_profile_secrets_set(s, "psk", "correct horse battery staple", NULL));
	g_assert_true(ferry_profile_validate_secrets(p, s, NULL));
	g_assert_false(ferry_profile_secrets_is_empty(s));
	g_assert_true(ferry_profile_secrets_set(s, "pin", "1234", NULL));
	copy = ferry_profile_secrets_copy(s);
	g_assert_cmpmem(copy->psk->data, copy->psk->len, "correct horse battery staple", 28);
	g_assert_cmpmem(copy->pin->data, copy->pin->len, "1234", 4);
	g_assert_null(copy->password);
	g_assert_true(ferry_profile_secrets_set(s, "psk", NULL, NULL));
	g_assert_null(s->psk);

	g_assert_false(ferry_profile_secrets_set(s, "pasword", "x", &error));
	g_assert_cmpstr(error->message, ==,
	                "pasword: unknown secret (known: psk, password, key-passphrase, pin)");
}

static void
test_resolve_paths(void)
{
	g_autoptr(FerryProfile) p = make_valid();
	const char *const cas[] = {"ca.pem", "/etc/ssl/root.pem", NULL};

	p->ca_certs = g_strdupv((char **)cas);
	p->client_cert = g_strdup("certs/alice.pem");
	p->client_key = g_strdup("/keys/alice.key");
	p->client_pkcs12 = g_strdup("alice.p12");
	ferry_profile_resolve_paths(p, "/etc/ferry");
	assert_strv_eq(p->ca_certs, "/etc/ferry/ca.pem", "/etc/ssl/root.pem");
	g_assert_cmpstr(p->client_cert, ==, "/etc/ferry/certs/alice.pem");
	g_assert_cmpstr(p->client_key, ==, "/keys/alice.key");
	g_assert_cmpstr(p->client_pkcs12, ==, "/etc/ferry/alice.p12");
	g_assert_null(p->server_cert);
}

static void
test_enum_strings(void)
{
	FerryAuthMethod auth;
	FerryEncap encap;

	g_assert_cmpstr(ferry_auth_method_to_string(FERRY_AUTH_CERT_EAP), ==, "cert+eap");
	g_assert_true(ferry_auth_method_from_string("EAP-TLS", &auth));
	g_assert_cmpint(auth, ==, FERRY_AUTH_EAP_TLS);
	g_assert_false(ferry_auth_method_from_string("eap-md5", &auth));
	g_assert_false(ferry_auth_method_from_string(NULL, &auth));
	g_assert_true(ferry_encap_from_string("force", &encap));
	g_assert_cmpint(encap, ==, FERRY_ENCAP_FORCE);
	g_assert_cmpstr(ferry_ipsec_mode_to_string(FERRY_IPSEC_TRANSPORT), ==, "transport");
	g_assert_cmpstr(ferry_ipsec_protocol_to_string(FERRY_IPSEC_AH), ==, "ah");
	g_assert_cmpstr(ferry_pfs_to_string(FERRY_PFS_YES), ==, "yes");
	g_assert_null(ferry_pfs_to_string((FerryPfs)5));
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);

	g_test_add_func("/ferry/profile/model/defaults", test_defaults);
	g_test_add_func("/ferry/profile/model/uuids-differ", test_two_uuids_differ);
	g_test_add_func("/ferry/profile/model/copy-equal", test_copy_equal);
	g_test_add_func("/ferry/profile/model/boxed", test_boxed);
	for (gsize i = 0; i < G_N_ELEMENTS(validate_cases); i++) {
		g_autofree char *path =
			g_strdup_printf("/ferry/profile/validate/%s", validate_cases[i].label);

		g_test_add_data_func(path, &validate_cases[i], test_validate);
	}
	g_test_add_func("/ferry/profile/model/proposals-follow-protocol",
	                test_proposals_follow_protocol);
	g_test_add_func("/ferry/profile/model/secrets", test_secrets);
	g_test_add_func("/ferry/profile/model/enum-strings", test_enum_strings);
	g_test_add_func("/ferry/profile/model/resolve-paths", test_resolve_paths);
	return g_test_run();
}
