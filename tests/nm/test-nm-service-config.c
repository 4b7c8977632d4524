/* test-nm-service-config.c - NeedSecrets answers, connection errors, failure reasons */
#include "config.h"

#include <string.h>

#include "ferry-error.h"
#include "nm-ferry-keys.h"
#include "nm-ferry-service-config.h"

/* A Ferry connection from "key=value" data lines and "secret:key=value" secrets. */
static NMConnection *
connection_new(const char *items)
{
	NMConnection *c = nm_simple_connection_new();
	NMSettingConnection *s_con = NM_SETTING_CONNECTION(nm_setting_connection_new());
	NMSettingVpn *s_vpn = NM_SETTING_VPN(nm_setting_vpn_new());
	g_auto(GStrv) lines = g_strsplit(items, "\n", -1);

	g_object_set(s_con, NM_SETTING_CONNECTION_ID, "Corp", NM_SETTING_CONNECTION_UUID,
	             "0f8b3b1e-3c7a-4d2e-9b7f-5d6a1e2c3b4a", NM_SETTING_CONNECTION_TYPE,
	             NM_SETTING_VPN_SETTING_NAME, NULL);
	g_object_set(s_vpn, NM_SETTING_VPN_SERVICE_TYPE, NM_FERRY_VPN_SERVICE_TYPE, NULL);
	for (guint i = 0; lines[i]; i++) {
		const char *line = lines[i];
		gboolean secret = g_str_has_prefix(line, "secret:");
		g_autofree char *key = NULL;
		const char *eq;

		if (!*line)
			continue;
		line += secret ? strlen("secret:") : 0;
		eq = strchr(line, '=');
		key = g_strndup(line, eq - line);
		if (secret)
			nm_setting_vpn_add_secret(s_vpn, key, eq + 1);
		else
			nm_setting_vpn_add_data_item(s_vpn, key, eq + 1);
	}
	nm_connection_add_setting(c, NM_SETTING(s_con));
	nm_connection_add_setting(c, NM_SETTING(s_vpn));
	return c;
}

typedef struct {
	const char *items;
	const char *missing; /* ' '-joined, NULL for none */
} SecretCase;

static const SecretCase secret_cases[] = {
	{"gateway=vpn.example.com\nauth=psk",						  "psk"                    },
	{"gateway=vpn.example.com\nauth=psk\nsecret:psk=canary-psk-0123456789",                NULL                     },
	{"gateway=vpn.example.com\nauth=psk\nsecret:psk=",                                     "psk"                    },
	{"gateway=vpn.example.com\nauth=psk\npsk-flags=4",                                     NULL                     },
	{"gateway=vpn.example.com\nauth=psk\npsk-flags=2",                                     "psk"                    },
	{"gateway=vpn.example.com",							    "password"               },
	{"gateway=vpn.example.com\nsecret:password=canary-password",                           NULL                     },
	{"gateway=vpn.example.com\nauth=cert\nclient-cert=/c.pem\nclient-key=/k.pem",          NULL                     },
	{"gateway=vpn.example.com\nauth=cert+eap\nclient-pkcs12=/a.p12",                       "password key-passphrase"},
	{"gateway=vpn.example.com\nauth=cert\nclient-pkcs11-uri=pkcs11:token=a\nsecret:pin=1",
         NULL													   },
};

static void
test_missing_secrets(gconstpointer data)
{
	const SecretCase *c = data;
	g_autoptr(NMConnection) connection = connection_new(c->items);
	g_autoptr(GError) error = NULL;
	g_auto(GStrv) missing = nm_ferry_service_config_missing_secrets(connection, &error);
	g_autofree char *joined = missing ? g_strjoinv(" ", missing) : NULL;

	g_assert_no_error(error);
	g_assert_cmpstr(joined, ==, c->missing);
}

static void
test_invalid_connection(void)
{
	g_autoptr(NMConnection) connection = connection_new("gateway=vpn.example.com\nmtu=12x");
	g_autoptr(GError) error = NULL;
	g_autoptr(FerryProfile) profile = NULL;
	g_autoptr(FerryProfileSecrets) secrets = NULL;
	g_auto(GStrv) missing = nm_ferry_service_config_missing_secrets(connection, &error);

	g_assert_null(missing);
	g_assert_error(error, NM_VPN_PLUGIN_ERROR, NM_VPN_PLUGIN_ERROR_INVALID_CONNECTION);
	g_assert_true(g_str_has_prefix(error->message, "mtu: "));
	g_clear_error(&error);
	g_assert_false(nm_ferry_service_config_read(connection, &profile, &secrets, &error));
	g_assert_error(error, NM_VPN_PLUGIN_ERROR, NM_VPN_PLUGIN_ERROR_INVALID_CONNECTION);
	g_assert_null(profile);
}

static void
test_read(void)
{
	g_autoptr(NMConnection) connection = connection_new(
		"gateway=vpn.example.com\nauth=psk\nsecret:psk=canary-psk-0123456789");
	g_autoptr(GError) error = NULL;
	g_autoptr(FerryProfile) profile = NULL;
	g_autoptr(FerryProfileSecrets) secrets = NULL;

	g_assert_true(nm_ferry_service_config_read(connection, &profile, &secrets, &error));
	g_assert_no_error(error);
	g_assert_cmpstr(profile->name, ==, "Corp");
	g_assert_cmpint(profile->auth, ==, FERRY_AUTH_PSK);
	g_assert_true(ferry_profile_validate_secrets(profile, secrets, NULL));
}

static void
test_failure(void)
{
	static const struct {
		FerryErrorCode code;
		const char *message;
		NMVpnPluginFailure failure;
		gboolean login; /* a rejected credential */
	} cases[] = {
		{FERRY_ERROR_AUTH_FAILED,     "AUTHENTICATION_FAILED",
	         NM_VPN_PLUGIN_FAILURE_LOGIN_FAILED,							 TRUE },
		{FERRY_ERROR_CONFIG,          "psk: missing",          NM_VPN_PLUGIN_FAILURE_LOGIN_FAILED,   TRUE },
		{FERRY_ERROR_CONFIG,          "key-passphrase: wrong", NM_VPN_PLUGIN_FAILURE_LOGIN_FAILED,
	         TRUE											     },
		{FERRY_ERROR_CONFIG,          "mtu: 12",               NM_VPN_PLUGIN_FAILURE_CONNECT_FAILED, FALSE},
		{FERRY_ERROR_TS_UNACCEPTABLE, "TS_UNACCEPTABLE",
	         NM_VPN_PLUGIN_FAILURE_BAD_IP_CONFIG,							FALSE},
		{FERRY_ERROR_TIMEOUT,         "no answer",             NM_VPN_PLUGIN_FAILURE_CONNECT_FAILED, FALSE},
		{FERRY_ERROR_PEER_AUTH,       "bad AUTH",              NM_VPN_PLUGIN_FAILURE_CONNECT_FAILED, FALSE},
		{FERRY_ERROR_NO_PROPOSAL,     "NO_PROPOSAL_CHOSEN",
	         NM_VPN_PLUGIN_FAILURE_CONNECT_FAILED,						       FALSE},
	};
	g_autoptr(NMConnection) typed =
		connection_new("gateway=vpn.example.com\nauth=psk\npsk-flags=2");
	g_autoptr(NMConnection) agent =
		connection_new("gateway=vpn.example.com\nauth=psk\npsk-flags=1");
	g_autoptr(NMConnection) stored = connection_new("gateway=vpn.example.com\nauth=psk");
	g_autoptr(FerryProfile) psk = ferry_profile_new();
	g_autoptr(FerryProfile) cert = ferry_profile_new();
	g_autoptr(GError) io = g_error_new_literal(G_IO_ERROR, G_IO_ERROR_FAILED, "x");

	psk->auth = FERRY_AUTH_PSK;
	cert->auth = FERRY_AUTH_CERT;
	for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autoptr(GError) e =
			g_error_new_literal(FERRY_ERROR, cases[i].code, cases[i].message);

		g_test_message("case %" G_GSIZE_FORMAT, i);
		g_assert_cmpint(nm_ferry_service_config_failure(e), ==, cases[i].failure);
		/* Asked again only when the user supplies the secret. */
		g_assert_cmpint(nm_ferry_service_config_should_reask(psk, typed, e), ==,
		                cases[i].login);
		g_assert_cmpint(nm_ferry_service_config_should_reask(psk, agent, e), ==,
		                cases[i].login);
		g_assert_false(nm_ferry_service_config_should_reask(psk, stored, e));
		g_assert_false(nm_ferry_service_config_should_reask(cert, typed, e));
	}
	g_assert_cmpint(nm_ferry_service_config_failure(io), ==,
	                NM_VPN_PLUGIN_FAILURE_CONNECT_FAILED);
	g_assert_cmpint(nm_ferry_service_config_failure(NULL), ==,
	                NM_VPN_PLUGIN_FAILURE_CONNECT_FAILED);
	g_assert_cmpstr(nm_ferry_service_config_reask_hint(psk, typed), ==, "psk");
	g_assert_null(nm_ferry_service_config_reask_hint(psk, stored));
	psk->auth = FERRY_AUTH_EAP_MSCHAPV2;
	g_assert_null(nm_ferry_service_config_reask_hint(psk, typed));
	{
		g_autoptr(NMConnection) eap =
			connection_new("gateway=vpn.example.com\npassword-flags=2");

		g_assert_cmpstr(nm_ferry_service_config_reask_hint(psk, eap), ==, "password");
	}
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	for (gsize i = 0; i < G_N_ELEMENTS(secret_cases); i++) {
		g_autofree char *path = g_strdup_printf(
			"/ferry/nm/service-config/missing-secrets/%" G_GSIZE_FORMAT, i);

		g_test_add_data_func(path, &secret_cases[i], test_missing_secrets);
	}
	g_test_add_func("/ferry/nm/service-config/invalid-connection", test_invalid_connection);
	g_test_add_func("/ferry/nm/service-config/read", test_read);
	g_test_add_func("/ferry/nm/service-config/failure", test_failure);
	return g_test_run();
}
