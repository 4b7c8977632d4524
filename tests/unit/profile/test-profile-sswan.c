/* test-profile-sswan.c - .sswan import field by field, unmapped keys, errors, round trip */
#include "config.h"

#include <string.h>

#include "ferry-error.h"
#include "profile-cert.h"
#include "profile-import.h"
#include "profile-test-util.h"

static FerryImport *
first(GPtrArray *imports)
{
	return g_ptr_array_index(imports, 0);
}

static void
test_eap(void)
{
	g_autoptr(GPtrArray) all = test_import_ok("sswan", "eap.sswan", 1);
	FerryImport *im = first(all);
	FerryProfile *p = im->profile;
	const FerryAttachment *ca;
	g_auto(ProfileCert) cert = {0};

	g_assert_cmpint(im->format, ==, FERRY_IMPORT_FORMAT_SSWAN);
	g_assert_null(im->signer);
	/* uuid is normalised to lower case */
	g_assert_cmpstr(p->uuid, ==, "8b0c9e6a-3f1d-4c2b-9a7e-5d4f3c2b1a09");
	g_assert_cmpstr(p->name, ==, "Corp VPN");
	g_assert_cmpint(p->auth, ==, FERRY_AUTH_EAP_MSCHAPV2);
	g_assert_cmpstr(p->gateway, ==, "vpn.example.com");
	g_assert_cmpuint(p->port, ==, 500);
	g_assert_cmpstr(p->remote_id, ==, "vpn.example.com");
	g_assert_true(p->remote_id_strict);
	g_assert_true(p->send_certreq);
	g_assert_null(p->local_id);
	g_assert_cmpstr(p->eap_identity, ==, "alice");
	test_assert_secret(im->secrets->password, "correct horse battery staple");
	test_assert_secret(im->secrets->psk, NULL);
	/* remote.cert is a CA: it becomes the profile's trust anchor */
	assert_strv(p->ca_certs, "ca.pem");
	g_assert_null(p->server_cert);
	g_assert_cmpuint(im->attachments->len, ==, 1);
	test_assert_attachment(im, 0, FERRY_ATTACHMENT_CA_CERT, "ca.pem", FALSE);
	ca = g_ptr_array_index(im->attachments, 0);
	g_assert_true(profile_cert_parse(g_bytes_get_data(ca->data, NULL),
	                                 g_bytes_get_size(ca->data), &cert, NULL));
	g_assert_cmpstr(cert.common_name, ==, "Example Corp Test Root CA");
	g_assert_cmpstr(p->ike_proposals, ==, "aes256gcm16-prfsha384-ecp384");
	g_assert_cmpstr(p->esp_proposals, ==, "aes256gcm16");
	assert_strv(p->include_subnets, "10.0.0.0/8", "fd00::/8", "192.0.2.1-192.0.2.9");
	g_assert_null(p->exclude_subnets);
	assert_strv(p->dns_servers, "10.0.0.53", "10.0.0.54");
	g_assert_cmpuint(p->mtu, ==, 1400);
	g_assert_cmpuint(p->nat_keepalive, ==, 30);
	g_assert_false(p->ipv6_transport);
	g_assert_null(p->client_pkcs12);
	assert_fields(im->unmapped, "remote.revocation.strict", "split-tunneling.block-ipv6",
	              "proxy.host", "proxy.port", "proxy.exclusions", "apps", "x-comment");
}

static void
test_cert(void)
{
	g_autoptr(GPtrArray) all = test_import_ok("sswan", "cert.sswan", 1);
	FerryImport *im = first(all);
	FerryProfile *p = im->profile;

	g_assert_cmpstr(p->name, ==, "Branch office");
	g_assert_cmpint(p->auth, ==, FERRY_AUTH_CERT);
	g_assert_cmpstr(p->gateway, ==, "198.51.100.20");
	g_assert_cmpuint(p->port, ==, 4500);
	/* no remote.id: the gateway's name, loosely */
	g_assert_null(p->remote_id);
	g_assert_false(p->remote_id_strict);
	g_assert_false(p->send_certreq);
	g_assert_cmpstr(p->local_id, ==, "alice@example.com");
	g_assert_true(p->rsa_pss);
	/* remote.cert is the gateway's own certificate (base64 of PEM here): pinned */
	g_assert_null(p->ca_certs);
	g_assert_cmpstr(p->server_cert, ==, "server.pem");
	g_assert_cmpstr(p->client_pkcs12, ==, "client.p12");
	g_assert_cmpuint(im->attachments->len, ==, 2);
	test_assert_attachment(im, 0, FERRY_ATTACHMENT_SERVER_CERT, "server.pem", FALSE);
	test_assert_attachment(im, 1, FERRY_ATTACHMENT_CLIENT_PKCS12, "client.p12", TRUE);
	g_assert_true(ferry_profile_secrets_is_empty(im->secrets));
	g_assert_true(p->ipv6_transport);
	g_assert_null(p->include_subnets);
	assert_strv(p->exclude_subnets, "198.51.100.0/24", "2001:db8:ffff::/48");
	g_assert_null(p->ike_proposals);
	g_assert_null(p->esp_proposals);
	/* block-ipv4 false is what Ferry does anyway: not reported */
	assert_fields(im->unmapped, "remote.revocation.ocsp", "remote.revocation.strict",
	              "excluded-apps");
}

static void
test_cert_eap(void)
{
	g_autoptr(GPtrArray) all = test_import_ok("sswan", "cert-eap.sswan", 1);
	FerryImport *im = first(all);
	FerryProfile *p = im->profile;

	g_assert_cmpint(p->auth, ==, FERRY_AUTH_CERT_EAP);
	g_assert_cmpstr(p->gateway, ==, "vpn2.example.com");
	g_assert_cmpstr(p->remote_id, ==, "@vpn2.example.com");
	g_assert_cmpstr(p->eap_identity, ==, "alice");
	g_assert_cmpstr(p->client_pkcs12, ==, "client.p12");
	g_assert_cmpstr(p->esp_proposals, ==, "aes128gcm16-ecp256");
	g_assert_null(im->secrets->password);
	assert_no_fields(im->unmapped);
}

static void
test_eap_tls(void)
{
	g_autoptr(GPtrArray) all = test_import_ok("sswan", "eap-tls.sswan", 1);
	FerryImport *im = first(all);
	FerryProfile *p = im->profile;

	g_assert_cmpint(p->auth, ==, FERRY_AUTH_EAP_TLS);
	g_assert_cmpstr(p->local_id, ==, "CN=alice@example.com, O=Example Corp");
	/* the app reads eap_id only for user/password types */
	g_assert_null(p->eap_identity);
	assert_strv(p->ca_certs, "ca.pem");
	g_assert_cmpstr(p->client_pkcs12, ==, "client.p12");
	assert_fields(im->unmapped, "local.eap_id");
}

static void
test_minimal(void)
{
	g_autoptr(GPtrArray) all = test_import_ok("sswan", "minimal.sswan", 1);
	FerryImport *im = first(all);
	g_autoptr(FerryProfile) want = ferry_profile_new();

	g_free(want->uuid);
	want->uuid = g_strdup("d4c3b2a1-0f9e-4d8c-97b6-a5f4e3d2c1b0");
	want->name = g_strdup("Home");
	want->gateway = g_strdup("home.example.net");
	g_assert_true(ferry_profile_equal(im->profile, want));
	assert_no_fields(im->unmapped);
	g_assert_cmpuint(im->attachments->len, ==, 0);
}

typedef struct {
	const char *label;
	const char *json;
	const char *message; /* after "in.file: " */
} BadCase;

#define HEAD "{\"uuid\":\"8b0c9e6a-3f1d-4c2b-9a7e-5d4f3c2b1a09\",\"name\":\"n\","
#define EAP  HEAD "\"type\":\"ikev2-eap\","

static const BadCase bad_cases[] = {
	{"not-json",          "{\"uuid\": ",								NULL									       },
	{"array",             "[1,2]",								      "not a .sswan profile (the top level is not a JSON object)"                        },
	{"no-uuid",           "{\"name\":\"n\",\"type\":\"ikev2-eap\",\"remote\":{\"addr\":\"a\"}}",
         "uuid: missing"																				       },
	{"bad-uuid",          "{\"uuid\":\"1234\",\"name\":\"n\"}",                                         "uuid: '1234' is not a UUID"                                                       },
	{"uuid-number",       "{\"uuid\":42}",							      "uuid: expected a string, not a whole number"                                      },
	{"no-name",           "{\"uuid\":\"8b0c9e6a-3f1d-4c2b-9a7e-5d4f3c2b1a09\",\"type\":\"ikev2-eap\"}",
         "name: missing"																				       },
	{"no-type",           HEAD "\"remote\":{}}",							"type: missing"								    },
	{"unknown-type",      HEAD "\"type\":\"ikev2-psk\"}",
         "type: unknown VPN type 'ikev2-psk' (known: ikev2-eap, ikev2-cert, ikev2-cert-eap, "
         "ikev2-eap-tls)"																				      },
	{"byod",              HEAD "\"type\":\"ikev2-byod-eap\"}",
         "type: 'ikev2-byod-eap' (EAP-TTLS with TNC) is not supported"															 },
	{"no-remote",         EAP "\"local\":{}}",
         "remote.addr: missing (the VPN server's host name or address)"															},
	{"remote-string",     EAP "\"remote\":\"vpn.example.com\"}",
         "remote: expected an object, not a string"																	    },
	{"bad-addr",          EAP "\"remote\":{\"addr\":\"vpn example\"}}",
         "remote.addr: 'vpn example' is not a host name or IP address"															 },
	{"port-string",       EAP "\"remote\":{\"addr\":\"a.example\",\"port\":\"500\"}}",
         "remote.port: expected a whole number, not a string"																  },
	{"port-range",        EAP "\"remote\":{\"addr\":\"a.example\",\"port\":70000}}",
         "remote.port: 70000 is not a port (1-65535)"																	  },
	{"port-float",        EAP "\"remote\":{\"addr\":\"a.example\",\"port\":4.5}}",
         "remote.port: expected a whole number, not a fractional number"														       },
	{"certreq-string",    EAP "\"remote\":{\"addr\":\"a.example\",\"certreq\":\"no\"}}",
         "remote.certreq: expected true or false, not a string"																},
	{"cert-base64",       EAP "\"remote\":{\"addr\":\"a.example\",\"cert\":\"MII*\"}}",
         "remote.cert: invalid base64 (unexpected character '*')"															      },
	{"cert-length",       EAP "\"remote\":{\"addr\":\"a.example\",\"cert\":\"QUJD\\nRA\"}}",
         "remote.cert: invalid base64 (length 6 is not a multiple of 4)"														       },
	{"cert-garbage",      EAP "\"remote\":{\"addr\":\"a.example\",\"cert\":\"QUJDRA==\"}}",             NULL                                                                               },
	{"revocation-type",   EAP "\"remote\":{\"addr\":\"a.example\",\"revocation\":{\"crl\":0}}}",
         "remote.revocation.crl: expected true or false, not a whole number"														   },
	{"p12-garbage",
         HEAD "\"type\":\"ikev2-cert\",\"remote\":{\"addr\":\"a.example\"},"
              "\"local\":{\"p12\":\"QUJDRA==\"}}",                                                          "local.p12: not a PKCS#12 file"						    },
	{"p12-missing",       HEAD "\"type\":\"ikev2-cert\",\"remote\":{\"addr\":\"a.example\"}}",
         "local.p12: missing: type ikev2-cert needs a client certificate, and the app's "
         "alternative (a certificate picked from Android's KeyChain) does not exist here"												      },
	{"ike-proposal",
         EAP "\"remote\":{\"addr\":\"a.example\"},\"ike-proposal\":\"aes256-sha256\"}",
         "ike-proposal: proposal 'aes256-sha256' has no key exchange method (add e.g. x25519)"												 },
	{"esp-proposal",
         EAP "\"remote\":{\"addr\":\"a.example\"},\"esp-proposal\":\"aes256gcm17\"}",
         "esp-proposal: unknown algorithm 'aes256gcm17'"																       },
	{"dns-host",          EAP "\"remote\":{\"addr\":\"a.example\"},\"dns-servers\":[\"dns.example\"]}",
         "dns-servers: 'dns.example' is not an IP address"																     },
	{"dns-type",          EAP "\"remote\":{\"addr\":\"a.example\"},\"dns-servers\":[\"10.0.0.1\",5]}",
         "dns-servers[1]: expected a string, not a whole number"															       },
	{"dns-object",        EAP "\"remote\":{\"addr\":\"a.example\"},\"dns-servers\":{}}",
         "dns-servers: expected an array of strings or a string, not an object"														},
	{"mtu",               EAP "\"remote\":{\"addr\":\"a.example\"},\"mtu\":9000}",
         "mtu: 9000 is out of range (1280-1500)"																	       },
	{"keepalive",         EAP "\"remote\":{\"addr\":\"a.example\"},\"nat-keepalive\":5}",
         "nat-keepalive: 5 is out of range (10-120)"																	   },
	{"subnet",
         EAP "\"remote\":{\"addr\":\"a.example\"},\"split-tunneling\":{\"subnets\":"
             "\"10.0.0.0/8 10.0.0.0/40\"}}",                                                                "split-tunneling.subnets: '10.0.0.0/40' is not a subnet (CIDR or first-last range)"},
	{"block-type",
         EAP "\"remote\":{\"addr\":\"a.example\"},\"split-tunneling\":{"
             "\"block-ipv4\":\"yes\"}}",                                                                    "split-tunneling.block-ipv4: expected true or false, not a string"                 },
	{"name-huge-control",
         HEAD "\"type\":\"ikev2-eap\",\"remote\":{\"addr\":\"a.example\"},"
              "\"local\":{\"eap_id\":\"a\\u0001b\"}}",                                                      "eap-identity: contains control characters"                                        },
};

static void
test_bad(gconstpointer data)
{
	const BadCase *c = data;
	g_autofree char *msg = test_import_error(c->json, strlen(c->json), NULL);

	if (c->message)
		g_assert_cmpstr(msg, ==, c->message);
	else
		g_assert_true(g_str_has_prefix(msg, "not JSON: ") ||
		              g_str_has_prefix(msg, "remote.cert: not an X.509 certificate"));
}

static void
test_deep_nesting(void)
{
	g_autoptr(GString) s = g_string_new(EAP "\"x\":");
	g_autofree char *msg = NULL;

	for (int i = 0; i < 100000; i++)
		g_string_append_c(s, '[');
	msg = test_import_error(s->str, s->len, NULL);
	g_assert_cmpstr(msg, ==, "nested deeper than 16 levels");
}

static void
test_huge_string(void)
{
	g_autoptr(GString) s = g_string_new(HEAD "\"type\":\"ikev2-eap\",\"remote\":{\"addr\":\"");
	g_autofree char *msg = NULL;

	for (int i = 0; i < 100000; i++)
		g_string_append(s, "a.");
	g_string_append(s, "example\"}}");
	msg = test_import_error(s->str, s->len, NULL);
	g_assert_true(g_str_has_prefix(msg, "remote.addr: '"));
	g_assert_true(g_str_has_suffix(msg, "' is not a host name or IP address"));
}

static void
test_too_big(void)
{
	gsize len = FERRY_IMPORT_MAX_SIZE + 1;
	g_autofree char *big = g_malloc0(len);
	g_autofree char *msg = NULL;

	big[0] = '{';
	msg = test_import_error(big, len, NULL);
	g_assert_cmpstr(msg, ==, "larger than 4194304 bytes, not a VPN profile");
}

static void
test_not_utf8(void)
{
	static const char bad[] = EAP "\"remote\":{\"addr\":\"\xff\"}}";
	g_autofree char *msg = test_import_error(bad, strlen(bad), NULL);

	g_assert_cmpstr(msg, ==, "not UTF-8 text");
}

/* import -> export -> import gives the same profile; files land in one directory. */
static void
round_trip(TmpDir *t, const char *name)
{
	g_autoptr(GPtrArray) a = test_import_ok("sswan", name, 1);
	FerryImport *im = first(a);
	g_autoptr(GPtrArray) dropped = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(GBytes) out = NULL;
	g_autoptr(GPtrArray) b = NULL;
	FerryImport *again;

	g_assert_true(ferry_import_write_attachments(im, t->dir, "rt", &error));
	g_assert_no_error(error);
	out = ferry_export(im->profile, im->secrets, FERRY_EXPORT_SSWAN, &dropped, &error);
	g_assert_no_error(error);
	assert_no_fields(dropped);
	b = ferry_import_data(g_bytes_get_data(out, NULL), g_bytes_get_size(out), "exported", NULL,
	                      &error);
	g_assert_no_error(error);
	again = first(b);
	g_assert_cmpuint(again->attachments->len, ==, im->attachments->len);
	g_assert_true(ferry_import_write_attachments(again, t->dir, "rt", &error));
	g_assert_true(ferry_profile_equal(im->profile, again->profile));
	test_assert_secret(again->secrets->password,
	                   im->secrets->password ? (const char *)im->secrets->password->data
	                                         : NULL);
}

static void
test_round_trip(TmpDir *t, gconstpointer data)
{
	round_trip(t, data);
}

static void
test_export_dropped(void)
{
	g_autoptr(FerryProfile) p = ferry_profile_new();
	g_autoptr(GPtrArray) dropped = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(GBytes) out = NULL;
	const char *const domains[] = {"corp.example", NULL};

	p->name = g_strdup("x");
	p->gateway = g_strdup("vpn.example.com");
	p->remote_id = g_strdup("vpn.example.com");
	p->ike_proposals = g_strdup("aes256gcm16-prfsha256-x25519,aes256-sha256-modp2048");
	p->dns_search_domains = g_strdupv((char **)domains);
	p->dpd = 10;
	p->pfs = FERRY_PFS_YES;
	p->encap = FERRY_ENCAP_FORCE;
	p->nat_keepalive = 0;
	out = ferry_export(p, NULL, FERRY_EXPORT_SSWAN, &dropped, &error);
	g_assert_no_error(error);
	assert_fields(dropped, "remote-id-match", "ike-proposals", "nat-keepalive",
	              "dns-search-domains", "dpd", "pfs", "encap");

	p->auth = FERRY_AUTH_PSK;
	g_clear_pointer(&out, g_bytes_unref);
	out = ferry_export(p, NULL, FERRY_EXPORT_SSWAN, NULL, &error);
	g_assert_null(out);
	g_assert_error(error, FERRY_ERROR, FERRY_ERROR_CONFIG);
	g_assert_cmpstr(error->message, ==, "auth: psk cannot be expressed in a .sswan profile");
}

int
main(int argc, char **argv)
{
	static const char *const round_trips[] = {"eap.sswan", "cert.sswan", "cert-eap.sswan",
	                                          "eap-tls.sswan", "minimal.sswan"};

	g_test_init(&argc, &argv, NULL);

	g_test_add_func("/ferry/profile/sswan/eap", test_eap);
	g_test_add_func("/ferry/profile/sswan/cert", test_cert);
	g_test_add_func("/ferry/profile/sswan/cert-eap", test_cert_eap);
	g_test_add_func("/ferry/profile/sswan/eap-tls", test_eap_tls);
	g_test_add_func("/ferry/profile/sswan/minimal", test_minimal);
	for (gsize i = 0; i < G_N_ELEMENTS(bad_cases); i++) {
		g_autofree char *path =
			g_strdup_printf("/ferry/profile/sswan/bad/%s", bad_cases[i].label);

		g_test_add_data_func(path, &bad_cases[i], test_bad);
	}
	g_test_add_func("/ferry/profile/sswan/deep-nesting", test_deep_nesting);
	g_test_add_func("/ferry/profile/sswan/huge-string", test_huge_string);
	g_test_add_func("/ferry/profile/sswan/too-big", test_too_big);
	g_test_add_func("/ferry/profile/sswan/not-utf8", test_not_utf8);
	for (gsize i = 0; i < G_N_ELEMENTS(round_trips); i++) {
		g_autofree char *path =
			g_strdup_printf("/ferry/profile/sswan/round-trip/%s", round_trips[i]);

		g_test_add(path, TmpDir, round_trips[i], tmpdir_setup, test_round_trip,
		           tmpdir_teardown);
	}
	g_test_add_func("/ferry/profile/sswan/export-dropped", test_export_dropped);
	return g_test_run();
}
