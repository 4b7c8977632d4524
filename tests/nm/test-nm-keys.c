/* test-nm-keys.c - the vpn.data/vpn.secrets key table and NMSettingVpn <-> FerryProfile */
#include "config.h"

#include <string.h>

#include "ferry-error.h"
#include "nm-ferry-keys.h"

/* A gateway makes any connection valid; each sample adds items to it. */
#define BASE_GATEWAY "198.51.100.1"

typedef struct {
	const char *key;   /* the table key the sample exercises */
	const char *items; /* "key=value\n..." vpn.data items; "secret:key=value" for secrets */
} Sample;

/* One non-default value per key, with what validation needs beside it. */
static const Sample samples[] = {
	{"gateway",            "gateway=vpn.example.com"						 },
	{"port",               "port=4500"							       },
	{"remote-id",          "remote-id=@gw.example.com"                                               },
	{"remote-id-match",    "remote-id=@gw.example.com\nremote-id-match=loose"                        },
	{"ca-certs",           "ca-certs=/etc/ferry/ca.pem,/etc/ferry/ca\\,2.pem"                        },
	{"server-cert",        "server-cert=/etc/ferry/gw.pem"                                           },
	{"auth",               "auth=psk"								},
	{"local-id",           "local-id=client@example.com"                                             },
	{"eap-identity",       "eap-identity=alice"						      },
	{"eap-only",           "eap-only=yes"							    },
	{"client-cert",        "auth=cert\nclient-cert=/etc/ferry/alice.pem\nclient-key=/etc/ferry/a.key"},
	{"client-key",         "client-cert=/etc/ferry/alice.pem\nclient-key=/etc/ferry/alice.key"       },
	{"client-pkcs12",      "auth=eap-tls\nclient-pkcs12=/etc/ferry/alice.p12"                        },
	{"client-pkcs11-uri",  "auth=cert\nclient-pkcs11-uri=pkcs11:token=corp;object=alice"             },
	{"rsa-pss",            "rsa-pss=yes"							     },
	{"send-certreq",       "send-certreq=no"							 },
	{"psk",		"auth=psk\nsecret:psk=canary-psk-0123456789abcdef"                        },
	{"password",           "secret:password=canary-password"                                         },
	{"key-passphrase",     "secret:key-passphrase=canary-passphrase"                                 },
	{"pin",		"secret:pin=1234"							 },
	{"ike-proposals",      "ike-proposals=aes256gcm16-prfsha384-ecp384"                              },
	{"esp-proposals",      "esp-proposals=aes128gcm16"                                               },
	{"pfs",		"pfs=yes"								 },
	{"protocol",           "protocol=ah"							     },
	{"mode",               "mode=transport\nvirtual-ip4=no\nvirtual-ip6=no"                          },
	{"include-subnets",    "include-subnets=10.0.0.0/8,192.0.2.0/24,2001:db8::/32"                   },
	{"exclude-subnets",    "exclude-subnets=10.1.2.3-10.1.2.9"                                       },
	{"dns-servers",        "dns-servers=203.0.113.53,2001:db8::53"                                   },
	{"dns-search-domains", "dns-search-domains=corp.example.com"                                     },
	{"dns-split-domains",  "dns-split-domains=example.com,.internal.example.net"                     },
	{"mtu",		"mtu=1400"								},
	{"encap",              "encap=force"							     },
	{"nat-keepalive",      "nat-keepalive=25"							},
	{"dpd",		"dpd=0"								   },
	{"ike-lifetime",       "ike-lifetime=28800"						      },
	{"child-lifetime",     "child-lifetime=7200"						     },
	{"ipv6-transport",     "ipv6-transport=yes"						      },
	{"virtual-ip4",        "virtual-ip4=no"							  },
	{"virtual-ip6",        "virtual-ip6=no"							  },
};

static NMSettingVpn *
setting_new(const char *items)
{
	NMSettingVpn *s_vpn = NM_SETTING_VPN(nm_setting_vpn_new());
	g_auto(GStrv) lines = g_strsplit(items ? items : "", "\n", -1);

	g_object_set(s_vpn, NM_SETTING_VPN_SERVICE_TYPE, NM_FERRY_VPN_SERVICE_TYPE, NULL);
	nm_setting_vpn_add_data_item(s_vpn, "gateway", BASE_GATEWAY);
	for (guint i = 0; lines[i]; i++) {
		const char *line = lines[i];
		g_autofree char *key = NULL;
		const char *eq;
		gboolean secret = g_str_has_prefix(line, "secret:");

		if (!*line)
			continue;
		if (secret)
			line += strlen("secret:");
		eq = strchr(line, '=');
		g_assert_nonnull(eq);
		key = g_strndup(line, eq - line);
		if (secret)
			nm_setting_vpn_add_secret(s_vpn, key, eq + 1);
		else
			nm_setting_vpn_add_data_item(s_vpn, key, eq + 1);
	}
	return s_vpn;
}

static void
assert_same_items(NMSettingVpn *a, NMSettingVpn *b, gboolean secrets)
{
	guint na = 0, nb = 0;
	g_autofree const char **ka = secrets ? nm_setting_vpn_get_secret_keys(a, &na)
	                                     : nm_setting_vpn_get_data_keys(a, &na);
	g_autofree const char **kb = secrets ? nm_setting_vpn_get_secret_keys(b, &nb)
	                                     : nm_setting_vpn_get_data_keys(b, &nb);

	for (guint i = 0; i < na; i++) {
		const char *va = secrets ? nm_setting_vpn_get_secret(a, ka[i])
		                         : nm_setting_vpn_get_data_item(a, ka[i]);
		const char *vb = secrets ? nm_setting_vpn_get_secret(b, ka[i])
		                         : nm_setting_vpn_get_data_item(b, ka[i]);

		if (g_strcmp0(va, vb) != 0)
			g_error("%s %s: '%s' came back as '%s'", secrets ? "secret" : "data", ka[i],
			        va, vb ? vb : "(absent)");
	}
	g_assert_cmpuint(na, ==, nb);
	/* Every key of b is in a too (with the counts equal, the key sets are equal). */
	for (guint i = 0; i < nb; i++)
		g_assert_true(secrets ? nm_setting_vpn_get_secret(a, kb[i]) != NULL
		                      : nm_setting_vpn_get_data_item(a, kb[i]) != NULL);
}

/* Every table key has a sample, and only table keys do. */
static void
test_samples_cover_table(void)
{
	guint n;
	const NMFerryKey *keys = nm_ferry_keys_get_all(&n);

	g_assert_cmpuint(n, ==, G_N_ELEMENTS(samples));
	for (guint i = 0; i < n; i++) {
		gboolean found = FALSE;

		for (gsize j = 0; j < G_N_ELEMENTS(samples); j++)
			found |= strcmp(samples[j].key, keys[i].name) == 0;
		if (!found)
			g_error("table key %s has no round-trip sample", keys[i].name);
		g_assert_true(nm_ferry_keys_lookup(keys[i].name) == &keys[i]);
		g_assert_true(keys[i].type != NM_FERRY_KEY_ENUM || keys[i].choices);
	}
	g_assert_null(nm_ferry_keys_lookup("psk-flags"));
	g_assert_null(nm_ferry_keys_lookup("name"));
}

/* NMConnection -> FerryProfile -> NMConnection gives back the same vpn.data and secrets. */
static void
test_round_trip(gconstpointer data)
{
	const Sample *sample = data;
	g_autoptr(NMSettingVpn) s_vpn = setting_new(sample->items);
	g_autoptr(FerryProfileSecrets) secrets = NULL;
	g_autoptr(FerryProfile) profile = NULL;
	g_autoptr(NMConnection) back = NULL;
	g_autoptr(GError) error = NULL;
	const char *uuid = "0f8b3b1e-3c7a-4d2e-9b7f-5d6a1e2c3b4a";

	profile = nm_ferry_keys_to_profile(s_vpn, "Corp VPN", uuid, &secrets, &error);
	g_assert_no_error(error);
	g_assert_cmpstr(profile->name, ==, "Corp VPN");
	g_assert_cmpstr(profile->uuid, ==, uuid);

	back = nm_ferry_keys_connection_new(profile, secrets);
	g_assert_true(nm_connection_verify(back, &error));
	g_assert_no_error(error);
	g_assert_cmpstr(nm_connection_get_id(back), ==, "Corp VPN");
	g_assert_cmpstr(nm_connection_get_uuid(back), ==, uuid);
	g_assert_cmpstr(nm_connection_get_connection_type(back), ==, NM_SETTING_VPN_SETTING_NAME);
	assert_same_items(s_vpn, nm_connection_get_setting_vpn(back), FALSE);
	assert_same_items(s_vpn, nm_connection_get_setting_vpn(back), TRUE);
}

/* Each entry's member is the one written under its key. */
static void
test_field_mapping(void)
{
	guint n;
	const NMFerryKey *keys = nm_ferry_keys_get_all(&n);

	for (guint i = 0; i < n; i++) {
		const NMFerryKey *k = &keys[i];
		g_autoptr(FerryProfile) p = ferry_profile_new();
		g_autoptr(FerryProfileSecrets) s = ferry_profile_secrets_new();
		g_autoptr(NMSettingVpn) s_vpn = NM_SETTING_VPN(nm_setting_vpn_new());
		void *member = (char *)p + k->offset;
		const char *expect = NULL;
		const char *got;
		guint last = 0;

		switch (k->type) {
		case NM_FERRY_KEY_STRING:
		case NM_FERRY_KEY_PATH:
			*(char **)member = g_strdup("mapped");
			expect = "mapped";
			break;
		case NM_FERRY_KEY_LIST:
			*(char ***)member = g_strsplit("one,two", ",", -1);
			expect = "one,two";
			break;
		case NM_FERRY_KEY_UINT:
			*(guint *)member = 4242;
			expect = "4242";
			break;
		case NM_FERRY_KEY_PORT:
			*(guint16 *)member = 4242;
			expect = "4242";
			break;
		case NM_FERRY_KEY_BOOL:
			*(gboolean *)member = g_strcmp0(k->default_value, "yes") != 0;
			expect = *(gboolean *)member ? "yes" : "no";
			break;
		case NM_FERRY_KEY_ENUM:
			while (k->choices[last + 1])
				last++;
			*(int *)member = (int)last;
			expect = k->choices[last];
			break;
		case NM_FERRY_KEY_SECRET:
			*(FerrySecret **)((char *)s + k->offset) =
				ferry_secret_new_from_string("mapped-secret");
			expect = "mapped-secret";
			break;
		}
		nm_ferry_keys_from_profile(p, s, s_vpn);
		got = k->type == NM_FERRY_KEY_SECRET ? nm_setting_vpn_get_secret(s_vpn, k->name)
		                                     : nm_setting_vpn_get_data_item(s_vpn, k->name);
		if (g_strcmp0(got, expect) != 0)
			g_error("field %s was written under %s as '%s', expected '%s'", k->field,
			        k->name, got ? got : "(absent)", expect);
	}
}

/* The table's defaults are the profile's: a default value reads as an absent key, and a new
 * profile writes no key that has a default. */
static void
test_defaults(void)
{
	guint n;
	const NMFerryKey *keys = nm_ferry_keys_get_all(&n);
	g_autoptr(NMSettingVpn) bare = setting_new(NULL);
	g_autoptr(FerryProfile) p0 = nm_ferry_keys_to_profile(bare, "x", NULL, NULL, NULL);
	g_autoptr(FerryProfile) fresh = ferry_profile_new();
	g_autoptr(NMSettingVpn) written = NM_SETTING_VPN(nm_setting_vpn_new());
	guint n_written = 0;
	g_autofree const char **wkeys = NULL;

	g_assert_nonnull(p0);
	for (guint i = 0; i < n; i++) {
		g_autofree char *items = NULL;
		g_autoptr(NMSettingVpn) s_vpn = NULL;
		g_autoptr(FerryProfile) p = NULL;
		g_autoptr(GError) error = NULL;

		if (!keys[i].default_value)
			continue;
		items = g_strdup_printf("%s=%s", keys[i].name, keys[i].default_value);
		s_vpn = setting_new(items);
		p = nm_ferry_keys_to_profile(s_vpn, "x", NULL, NULL, &error);
		g_assert_no_error(error);
		if (!ferry_profile_equal(p, p0))
			g_error("%s: the table's default '%s' is not the profile's", keys[i].name,
			        keys[i].default_value);
	}
	nm_ferry_keys_from_profile(fresh, NULL, written);
	wkeys = nm_setting_vpn_get_data_keys(written, &n_written);
	for (guint i = 0; i < n_written; i++) {
		const NMFerryKey *k = nm_ferry_keys_lookup(wkeys[i]);

		if (k && k->default_value)
			g_error("a new profile wrote %s=%s", wkeys[i],
			        nm_setting_vpn_get_data_item(written, wkeys[i]));
	}
	g_assert_cmpstr(nm_setting_vpn_get_service_type(written), ==, NM_FERRY_VPN_SERVICE_TYPE);
}

/* The profile library's own "every key set" file survives a trip through NetworkManager,
 * including fields this table does not list (they pass through by name). */
static void
test_full_profile(void)
{
	g_autofree char *path =
		g_test_build_filename(G_TEST_DIST, "unit", "profile", "data", "full.profile", NULL);
	g_autoptr(GError) error = NULL;
	g_autoptr(FerryProfile) full = ferry_profile_load(path, &error);
	g_autoptr(NMConnection) connection = NULL;
	g_autoptr(FerryProfile) back = NULL;

	g_assert_no_error(error);
	connection = nm_ferry_keys_connection_new(full, NULL);
	back = nm_ferry_keys_connection_to_profile(connection, NULL, &error);
	g_assert_no_error(error);
	g_assert_true(ferry_profile_equal(full, back));
}

/* A list element holding the separator or a backslash survives. */
static void
test_list_escapes(void)
{
	const char *const paths[] = {"/a,b/ca.pem", "/c\\d.pem", " /spaced.pem", NULL};
	g_autoptr(FerryProfile) p = ferry_profile_new();
	g_autoptr(NMConnection) c = NULL;
	g_autoptr(FerryProfile) back = NULL;
	g_autoptr(GError) error = NULL;

	p->name = g_strdup("escapes");
	p->gateway = g_strdup(BASE_GATEWAY);
	p->ca_certs = g_strdupv((char **)paths);
	g_strstrip(p->ca_certs[2]); /* surrounding spaces are not kept */
	c = nm_ferry_keys_connection_new(p, NULL);
	g_assert_cmpstr(nm_setting_vpn_get_data_item(nm_connection_get_setting_vpn(c), "ca-certs"),
	                ==, "/a\\,b/ca.pem,/c\\\\d.pem,/spaced.pem");
	back = nm_ferry_keys_connection_to_profile(c, NULL, &error);
	g_assert_no_error(error);
	g_assert_true(ferry_profile_equal(p, back));
}

/* Rewriting a setting from a profile keeps the secret flags the user chose. */
static void
test_secret_flags(void)
{
	g_autoptr(NMSettingVpn) s_vpn =
		setting_new("auth=psk\npsk-flags=2\nsecret:psk=canary-psk-0123456789abcdef");
	g_autoptr(FerryProfileSecrets) secrets = NULL;
	g_autoptr(FerryProfile) p = NULL;
	g_autoptr(GError) error = NULL;
	NMSettingSecretFlags flags = NM_SETTING_SECRET_FLAG_NONE;

	p = nm_ferry_keys_to_profile(s_vpn, "flags", NULL, &secrets, &error);
	g_assert_no_error(error);
	g_assert_nonnull(secrets->psk);
	g_assert_cmpmem(secrets->psk->data, secrets->psk->len, "canary-psk-0123456789abcdef", 27);
	g_free(p->gateway);
	p->gateway = g_strdup("vpn.example.com");
	nm_ferry_keys_from_profile(p, NULL, s_vpn);
	g_assert_cmpstr(nm_setting_vpn_get_data_item(s_vpn, "gateway"), ==, "vpn.example.com");
	g_assert_cmpstr(nm_setting_vpn_get_data_item(s_vpn, "psk-flags"), ==, "2");
	g_assert_true(nm_setting_get_secret_flags(NM_SETTING(s_vpn), "psk", &flags, NULL));
	g_assert_cmpint(flags, ==, NM_SETTING_SECRET_FLAG_NOT_SAVED);
	g_assert_cmpstr(nm_setting_vpn_get_secret(s_vpn, "psk"), ==, "canary-psk-0123456789abcdef");
}

static void
test_secret_needed(void)
{
	static const struct {
		FerryAuthMethod auth;
		const char *key;
		gboolean pkcs12, pkcs11, needed;
	} cases[] = {
		{FERRY_AUTH_PSK,          "psk",            FALSE, FALSE, TRUE },
		{FERRY_AUTH_PSK,          "password",       FALSE, FALSE, FALSE},
		{FERRY_AUTH_EAP_MSCHAPV2, "password",       FALSE, FALSE, TRUE },
		{FERRY_AUTH_EAP_MSCHAPV2, "psk",            FALSE, FALSE, FALSE},
		{FERRY_AUTH_CERT_EAP,     "password",       TRUE,  FALSE, TRUE },
		{FERRY_AUTH_CERT_EAP,     "key-passphrase", TRUE,  FALSE, TRUE },
		{FERRY_AUTH_CERT,         "key-passphrase", FALSE, FALSE, FALSE},
		{FERRY_AUTH_CERT,         "pin",            FALSE, TRUE,  TRUE },
		{FERRY_AUTH_EAP_TLS,      "pin",            FALSE, FALSE, FALSE},
		{FERRY_AUTH_EAP_TLS,      "password",       TRUE,  FALSE, FALSE},
	};

	for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autoptr(FerryProfile) p = ferry_profile_new();

		p->auth = cases[i].auth;
		if (cases[i].pkcs12)
			p->client_pkcs12 = g_strdup("/etc/ferry/alice.p12");
		if (cases[i].pkcs11)
			p->client_pkcs11_uri = g_strdup("pkcs11:token=corp");
		g_test_message("case %" G_GSIZE_FORMAT, i);
		g_assert_cmpint(nm_ferry_keys_secret_needed(p, cases[i].key), ==, cases[i].needed);
	}
}

typedef struct {
	const char *items;  /* as in Sample */
	const char *prefix; /* the error must start with it */
} BadCase;

static const BadCase bad_cases[] = {
	{"mtu=12x",			   "mtu: "			   },
	{"mtu=100",			   "mtu: "			   },
	{"port=0",			    "port: "                          },
	{"port=70000",			"port: "                          },
	{"auth=kerberos",                     "auth: "                          },
	{"remote-id-match=sometimes",         "remote-id-match: "               },
	{"pfs=maybe",			 "pfs: "                           },
	{"virtual-ip4=maybe",                 "virtual-ip4: "                   },
	{"include-subnets=10.0.0.0/33",       "include-subnets: "               },
	{"dns-servers=203.0.113.53,resolver", "dns-servers: "                   },
	{"dns-search-domains=bad domain",     "dns-search-domains: "            },
	{"ike-proposals=aes999-sha1",         "ike-proposals: "                 },
	{"client-pkcs11-uri=token:corp",      "client-pkcs11-uri: "             },
	{"auth=cert",			 "client-cert: "                   },
	{"eap-identity=alice\nauth=psk",      "eap-identity: "                  },
	{"gateway=",			  "gateway: "                       },
	{"gateway=not a host",                "gateway: "                       },
	{"frobnicate=1",                      "frobnicate: unknown vpn.data key"},
	{"name=other",			"name: "                          },
	{"psk=in-the-wrong-place",            "psk: "                           },
	{"psk-flags=9",                       "psk-flags: "                     },
	{"password-flags=x",                  "password-flags: "                },
	{"secret:token=1234",                 "token: "                         },
};

static void
test_bad_value(gconstpointer data)
{
	const BadCase *c = data;
	g_autoptr(NMSettingVpn) s_vpn = setting_new(c->items);
	g_autoptr(GError) error = NULL;
	g_autoptr(FerryProfile) p = nm_ferry_keys_to_profile(s_vpn, "bad", NULL, NULL, &error);

	g_assert_null(p);
	g_assert_error(error, FERRY_ERROR, FERRY_ERROR_CONFIG);
	if (!g_str_has_prefix(error->message, c->prefix))
		g_error("'%s' does not start with '%s'", error->message, c->prefix);
}

static void
test_bad_connection(void)
{
	g_autoptr(NMSettingVpn) other = setting_new(NULL);
	g_autoptr(NMSettingVpn) good = setting_new(NULL);
	g_autoptr(NMConnection) novpn = nm_simple_connection_new();
	g_autoptr(GError) error = NULL;
	g_autoptr(FerryProfile) p = NULL;

	g_object_set(other, NM_SETTING_VPN_SERVICE_TYPE, "org.freedesktop.NetworkManager.openvpn",
	             NULL);
	g_assert_null(nm_ferry_keys_to_profile(other, "x", NULL, NULL, &error));
	g_assert_true(g_str_has_prefix(error->message, "vpn.service-type: "));
	g_clear_error(&error);

	g_assert_null(nm_ferry_keys_to_profile(good, "a/b", "not-a-uuid", NULL, &error));
	g_assert_true(g_str_has_prefix(error->message, "connection.uuid: "));
	g_clear_error(&error);

	/* '/' is fine in a connection id; the profile name cannot hold it. */
	p = nm_ferry_keys_to_profile(good, "Corp/Berlin", NULL, NULL, &error);
	g_assert_no_error(error);
	g_assert_cmpstr(p->name, ==, "Corp-Berlin");

	g_assert_null(nm_ferry_keys_connection_to_profile(novpn, NULL, &error));
	g_assert_true(g_str_has_prefix(error->message, "vpn: "));
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);

	g_test_add_func("/ferry/nm/keys/table", test_samples_cover_table);
	g_test_add_func("/ferry/nm/keys/field-mapping", test_field_mapping);
	g_test_add_func("/ferry/nm/keys/defaults", test_defaults);
	for (gsize i = 0; i < G_N_ELEMENTS(samples); i++) {
		g_autofree char *path =
			g_strdup_printf("/ferry/nm/keys/round-trip/%s", samples[i].key);

		g_test_add_data_func(path, &samples[i], test_round_trip);
	}
	g_test_add_func("/ferry/nm/keys/round-trip/full-profile", test_full_profile);
	g_test_add_func("/ferry/nm/keys/list-escapes", test_list_escapes);
	g_test_add_func("/ferry/nm/keys/secret-flags", test_secret_flags);
	g_test_add_func("/ferry/nm/keys/secret-needed", test_secret_needed);
	for (gsize i = 0; i < G_N_ELEMENTS(bad_cases); i++) {
		g_autofree char *path = g_strdup_printf("/ferry/nm/keys/bad/%" G_GSIZE_FORMAT, i);

		g_test_add_data_func(path, &bad_cases[i], test_bad_value);
	}
	g_test_add_func("/ferry/nm/keys/bad/connection", test_bad_connection);
	return g_test_run();
}
