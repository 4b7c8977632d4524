/* test-gui-secrets.c - FerrySecretStore: the memory store, moving a connection's secrets to
 * and from a store, and a real round trip through libsecret to gnome-keyring-daemon on a
 * private session bus with a throwaway HOME */
#include "config.h"

#include <glib/gstdio.h>
#include <libsecret/secret.h>

#include "ferry-secret-agent.h"
#include "ferry-secret-store.h"
#include "gui-test.h"
#include "nm-ferry-keys.h"

#define UUID  "0f8b3b1e-3c7a-4d2e-9b7f-5d6a1e2c3b4a"
#define UUID2 "9d1c2b3a-4e5f-4a6b-8c7d-0e1f2a3b4c5d"

static char *
dup_text(const FerrySecret *secret)
{
	g_assert_nonnull(secret);
	return g_strndup((const char *)secret->data, secret->len);
}

static void
check_store(FerrySecretStore *store)
{
	FerrySecret *psk = ferry_secret_new_from_string("canary-psk-0123456789");
	FerrySecret *psk2 = ferry_secret_new_from_string("canary-psk-second");
	FerrySecret *password = ferry_secret_new_from_string("canary-password");
	FerrySecret *found;
	g_autoptr(GError) error = NULL;
	g_autofree char *text = NULL;

	found = ferry_secret_store_lookup(store, UUID, "psk", &error);
	g_assert_no_error(error);
	g_assert_null(found);
	g_assert_true(ferry_secret_store_store(store, UUID, "Corp", "psk", psk, &error));
	g_assert_true(ferry_secret_store_store(store, UUID, "Corp", "password", password, &error));
	g_assert_true(ferry_secret_store_store(store, UUID2, "Lab", "psk", psk2, &error));
	g_assert_no_error(error);

	found = ferry_secret_store_lookup(store, UUID, "psk", &error);
	text = dup_text(found);
	g_assert_cmpstr(text, ==, "canary-psk-0123456789");
	ferry_secret_free(found);
	g_clear_pointer(&text, g_free);
	/* Same key, other connection: kept apart. */
	found = ferry_secret_store_lookup(store, UUID2, "psk", &error);
	text = dup_text(found);
	g_assert_cmpstr(text, ==, "canary-psk-second");
	ferry_secret_free(found);
	g_clear_pointer(&text, g_free);

	/* Overwrite, then clear one key, then all of a connection. */
	g_assert_true(ferry_secret_store_store(store, UUID, "Corp", "psk", psk2, &error));
	found = ferry_secret_store_lookup(store, UUID, "psk", &error);
	text = dup_text(found);
	g_assert_cmpstr(text, ==, "canary-psk-second");
	ferry_secret_free(found);
	g_assert_true(ferry_secret_store_clear(store, UUID, "psk", &error));
	g_assert_null(ferry_secret_store_lookup(store, UUID, "psk", &error));
	found = ferry_secret_store_lookup(store, UUID, "password", &error);
	g_assert_nonnull(found);
	ferry_secret_free(found);
	g_assert_true(ferry_secret_store_clear(store, UUID, NULL, &error));
	g_assert_null(ferry_secret_store_lookup(store, UUID, "password", &error));
	found = ferry_secret_store_lookup(store, UUID2, "psk", &error);
	g_assert_nonnull(found);
	ferry_secret_free(found);
	g_assert_true(ferry_secret_store_clear(store, UUID2, NULL, &error));
	/* Clearing what is not there is fine. */
	g_assert_true(ferry_secret_store_clear(store, UUID2, "pin", &error));
	g_assert_no_error(error);

	ferry_secret_free(psk);
	ferry_secret_free(psk2);
	ferry_secret_free(password);
}

static void
test_memory_store(void)
{
	g_autoptr(FerrySecretStore) store = ferry_secret_store_memory_new();
	FerrySecret *psk = ferry_secret_new_from_string("x");
	g_autoptr(GError) error = NULL;

	check_store(store);
	g_assert_cmpuint(ferry_secret_store_memory_count(store), ==, 0);
	ferry_secret_store_memory_set_failure(store, G_IO_ERROR_PERMISSION_DENIED);
	g_assert_false(ferry_secret_store_store(store, UUID, "Corp", "psk", psk, &error));
	g_assert_error(error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED);
	ferry_secret_free(psk);
}

static NMConnection *
connection_new(void)
{
	NMConnection *c = nm_simple_connection_new();
	NMSetting *s_con = nm_setting_connection_new();
	NMSetting *s_vpn = nm_setting_vpn_new();

	g_object_set(s_con, NM_SETTING_CONNECTION_ID, "Corp", NM_SETTING_CONNECTION_UUID, UUID,
	             NM_SETTING_CONNECTION_TYPE, NM_SETTING_VPN_SETTING_NAME, NULL);
	g_object_set(s_vpn, NM_SETTING_VPN_SERVICE_TYPE, NM_FERRY_VPN_SERVICE_TYPE, NULL);
	nm_setting_vpn_add_data_item(NM_SETTING_VPN(s_vpn), "gateway", "vpn.example.com");
	/* psk: no flags yet; password: agent-owned; pin: ask every time; key-passphrase:
	 * system-owned by the user's choice after mark_agent_owned(). */
	nm_setting_vpn_add_secret(NM_SETTING_VPN(s_vpn), "psk", "canary-psk-0123456789");
	nm_setting_vpn_add_secret(NM_SETTING_VPN(s_vpn), "password", "canary-password");
	nm_setting_set_secret_flags(s_vpn, "password", NM_SETTING_SECRET_FLAG_AGENT_OWNED, NULL);
	nm_setting_vpn_add_secret(NM_SETTING_VPN(s_vpn), "pin", "123456");
	nm_setting_set_secret_flags(s_vpn, "pin", NM_SETTING_SECRET_FLAG_NOT_SAVED, NULL);
	nm_connection_add_setting(c, s_con);
	nm_connection_add_setting(c, s_vpn);
	return c;
}

static NMSettingSecretFlags
flags_of(NMSettingVpn *s_vpn, const char *key)
{
	NMSettingSecretFlags flags = NM_SETTING_SECRET_FLAG_NONE;

	nm_setting_get_secret_flags(NM_SETTING(s_vpn), key, &flags, NULL);
	return flags;
}

static void
test_connection_secrets(void)
{
	g_autoptr(FerrySecretStore) store = ferry_secret_store_memory_new();
	g_autoptr(NMConnection) c = connection_new();
	NMSettingVpn *s_vpn = nm_connection_get_setting_vpn(c);
	FerrySecret *pin = ferry_secret_new_from_string("old-pin");
	g_autoptr(GError) error = NULL;

	ferry_secret_store_mark_agent_owned(c);
	g_assert_cmpint(flags_of(s_vpn, "psk"), ==, NM_SETTING_SECRET_FLAG_AGENT_OWNED);
	g_assert_cmpint(flags_of(s_vpn, "password"), ==, NM_SETTING_SECRET_FLAG_AGENT_OWNED);
	g_assert_cmpint(flags_of(s_vpn, "pin"), ==, NM_SETTING_SECRET_FLAG_NOT_SAVED);
	/* A system-owned secret the user chose later stays with NetworkManager. */
	nm_setting_vpn_add_secret(s_vpn, "key-passphrase", "canary-passphrase");
	nm_setting_set_secret_flags(NM_SETTING(s_vpn), "key-passphrase",
	                            NM_SETTING_SECRET_FLAG_NONE, NULL);
	/* A "not saved" secret stored earlier is forgotten. */
	g_assert_true(ferry_secret_store_store(store, UUID, "Corp", "pin", pin, &error));

	g_assert_true(ferry_secret_store_take_secrets(store, c, &error));
	g_assert_no_error(error);
	g_assert_null(nm_setting_vpn_get_secret(s_vpn, "psk"));
	g_assert_null(nm_setting_vpn_get_secret(s_vpn, "password"));
	g_assert_null(nm_setting_vpn_get_secret(s_vpn, "pin"));
	g_assert_cmpstr(nm_setting_vpn_get_secret(s_vpn, "key-passphrase"), ==,
	                "canary-passphrase");
	g_assert_cmpuint(ferry_secret_store_memory_count(store), ==, 2);

	/* Back into a connection for the editor: only the agent-owned ones. */
	nm_setting_vpn_remove_secret(s_vpn, "key-passphrase");
	g_assert_true(ferry_secret_store_fill_secrets(store, c, &error));
	g_assert_cmpstr(nm_setting_vpn_get_secret(s_vpn, "psk"), ==, "canary-psk-0123456789");
	g_assert_cmpstr(nm_setting_vpn_get_secret(s_vpn, "password"), ==, "canary-password");
	g_assert_null(nm_setting_vpn_get_secret(s_vpn, "pin"));

	/* A failing store fails the move and says why. */
	ferry_secret_store_memory_set_failure(store, G_IO_ERROR_NOT_CONNECTED);
	g_assert_false(ferry_secret_store_take_secrets(store, c, &error));
	g_assert_error(error, G_IO_ERROR, G_IO_ERROR_NOT_CONNECTED);
	ferry_secret_free(pin);
}

/* --- the secret agent's answers ----------------------------------------------------------- */

static void
test_agent(void)
{
	g_autoptr(FerrySecretStore) store = ferry_secret_store_memory_new();
	g_autoptr(NMConnection) c = connection_new();
	g_autoptr(NMConnection) other = connection_new();
	g_autoptr(GVariant) reply = NULL;
	g_autoptr(GVariant) vpn = NULL;
	g_autoptr(GVariant) secrets = NULL;
	g_autoptr(GError) error = NULL;
	const char *psk = NULL;

	/* Nothing stored yet: decline, so NetworkManager asks the next agent. */
	ferry_secret_store_mark_agent_owned(c);
	reply = ferry_secret_agent_build_secrets(
		store, c, "vpn", NM_SECRET_AGENT_GET_SECRETS_FLAG_ALLOW_INTERACTION, &error);
	g_assert_null(reply);
	g_assert_error(error, NM_SECRET_AGENT_ERROR, NM_SECRET_AGENT_ERROR_NO_SECRETS);
	g_clear_error(&error);

	g_assert_true(ferry_secret_store_take_secrets(store, c, &error));
	reply = ferry_secret_agent_build_secrets(
		store, c, "vpn", NM_SECRET_AGENT_GET_SECRETS_FLAG_ALLOW_INTERACTION, &error);
	g_assert_no_error(error);
	g_variant_ref_sink(reply);
	g_assert_true(g_variant_is_of_type(reply, G_VARIANT_TYPE("a{sa{sv}}")));
	vpn = g_variant_lookup_value(reply, "vpn", G_VARIANT_TYPE("a{sv}"));
	g_assert_nonnull(vpn);
	secrets = g_variant_lookup_value(vpn, "secrets", G_VARIANT_TYPE("a{ss}"));
	g_assert_nonnull(secrets);
	g_assert_true(g_variant_lookup(secrets, "psk", "&s", &psk));
	g_assert_cmpstr(psk, ==, "canary-psk-0123456789");
	g_assert_true(g_variant_lookup(secrets, "password", "&s", &psk));
	/* "Not saved" secrets are never handed out. */
	g_assert_false(g_variant_lookup(secrets, "pin", "&s", &psk));

	/* Other settings and other VPN types are not ours. */
	g_assert_null(ferry_secret_agent_build_secrets(
		store, c, "802-1x", NM_SECRET_AGENT_GET_SECRETS_FLAG_ALLOW_INTERACTION, &error));
	g_assert_error(error, NM_SECRET_AGENT_ERROR, NM_SECRET_AGENT_ERROR_NO_SECRETS);
	g_clear_error(&error);
	g_object_set(nm_connection_get_setting_vpn(other), NM_SETTING_VPN_SERVICE_TYPE,
	             "org.freedesktop.NetworkManager.strongswan", NULL);
	g_assert_null(ferry_secret_agent_build_secrets(
		store, other, "vpn", NM_SECRET_AGENT_GET_SECRETS_FLAG_ALLOW_INTERACTION, &error));
	g_assert_error(error, NM_SECRET_AGENT_ERROR, NM_SECRET_AGENT_ERROR_NO_SECRETS);

	/* Stored secrets were rejected: asking again for new ones is not for us. */
	g_clear_error(&error);
	g_assert_null(ferry_secret_agent_build_secrets(
		store, c, "vpn", NM_SECRET_AGENT_GET_SECRETS_FLAG_REQUEST_NEW, &error));
	g_assert_error(error, NM_SECRET_AGENT_ERROR, NM_SECRET_AGENT_ERROR_NO_SECRETS);
}

/* --- libsecret against a real gnome-keyring-daemon -------------------------------------- */

static gboolean
wait_for_name(const char *name)
{
	g_autoptr(GDBusConnection) bus = g_bus_get_sync(G_BUS_TYPE_SESSION, NULL, NULL);

	for (int i = 0; bus && i < 500; i++) {
		g_autoptr(GVariant) reply = g_dbus_connection_call_sync(
			bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
			"org.freedesktop.DBus", "NameHasOwner", g_variant_new("(s)", name),
			G_VARIANT_TYPE("(b)"), G_DBUS_CALL_FLAGS_NONE, -1, NULL, NULL);
		gboolean owned = FALSE;

		if (reply)
			g_variant_get(reply, "(b)", &owned);
		if (owned)
			return TRUE;
		g_usleep(10000);
	}
	return FALSE;
}

static void
make_private_home(void)
{
	g_autofree char *home = gui_test_make_tmpdir("ferry-keyring-XXXXXX");
	static const char *const dirs[][2] = {
		{"XDG_DATA_HOME",   "data"   },
		{"XDG_CONFIG_HOME", "config" },
		{"XDG_CACHE_HOME",  "cache"  },
		{"XDG_RUNTIME_DIR", "runtime"},
	};

	g_assert_nonnull(home);
	g_setenv("HOME", home, TRUE);
	for (gsize i = 0; i < G_N_ELEMENTS(dirs); i++) {
		g_autofree char *dir = g_build_filename(home, dirs[i][1], NULL);

		g_assert_cmpint(g_mkdir_with_parents(dir, 0700), ==, 0);
		g_setenv(dirs[i][0], dir, TRUE);
	}
}

static void
test_libsecret_round_trip(void)
{
	g_autofree char *daemon = g_find_program_in_path("gnome-keyring-daemon");
	/* Not unreffed: its dispose would wait for libsecret's cached bus connection (see the
	 * end); the process exits after the tests. */
	static GTestDBus *bus;
	g_autoptr(GSubprocess) keyring = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(FerrySecretStore) store = NULL;
	FerrySecret *psk = NULL;
	char *text;
	/* NetworkManager's schema as its own agents declare it: finding our item with it proves
	 * GNOME's secret agent would. */
	static const SecretSchema nm_schema = {
		"org.freedesktop.NetworkManager.Connection",
		SECRET_SCHEMA_NONE,
		{
                  {"connection-uuid", SECRET_SCHEMA_ATTRIBUTE_STRING},
                  {"setting-name", SECRET_SCHEMA_ATTRIBUTE_STRING},
                  {"setting-key", SECRET_SCHEMA_ATTRIBUTE_STRING},
                  {NULL, 0},
		  },
	};

	if (!daemon) {
		g_test_skip("gnome-keyring-daemon is not installed");
		return;
	}
	make_private_home();
	bus = g_test_dbus_new(G_TEST_DBUS_NONE);
	g_test_dbus_up(bus);
	/* --unlock reads the login keyring's password on stdin and creates it unlocked, so
	 * storing to the default collection needs no prompt. */
	keyring = g_subprocess_new(
		G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_SILENCE, &error, daemon,
		"--foreground", "--unlock", "--components=secrets", NULL);
	g_assert_no_error(error);
	g_assert_true(g_output_stream_write_all(g_subprocess_get_stdin_pipe(keyring),
	                                        "ferry-test-keyring", 18, NULL, NULL, &error));
	g_assert_true(g_output_stream_close(g_subprocess_get_stdin_pipe(keyring), NULL, &error));
	if (!wait_for_name("org.freedesktop.secrets")) {
		g_subprocess_force_exit(keyring);
		g_subprocess_wait(keyring, NULL, NULL);
		g_test_dbus_stop(bus);
		g_test_skip("gnome-keyring-daemon did not come up");
		return;
	}

	store = ferry_secret_store_libsecret_new();
	check_store(store);
	psk = ferry_secret_new_from_string("canary-psk-for-nm-agent");
	g_assert_true(ferry_secret_store_store(store, UUID, "Corp", "psk", psk, &error));
	g_assert_no_error(error);
	text = secret_password_lookup_sync(&nm_schema, NULL, &error, "connection-uuid", UUID,
	                                   "setting-name", "vpn", "setting-key", "psk", NULL);
	g_assert_no_error(error);
	g_assert_cmpstr(text, ==, "canary-psk-for-nm-agent");
	secret_password_free(text);
	g_assert_true(ferry_secret_store_clear(store, UUID, NULL, &error));
	text = secret_password_lookup_sync(&nm_schema, NULL, &error, "connection-uuid", UUID,
	                                   "setting-name", "vpn", "setting-key", "psk", NULL);
	g_assert_null(text);
	ferry_secret_free(psk);

	g_clear_object(&store);
	secret_service_disconnect();
	g_subprocess_send_signal(keyring, SIGTERM);
	g_subprocess_wait(keyring, NULL, NULL);
	/* libsecret keeps its bus connection in process-wide caches: stop the bus without
	 * waiting for that connection to be finalized (g_test_dbus_down() would). */
	g_test_dbus_stop(bus);
}

int
main(int argc, char *argv[])
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/ferry/gui/secrets/memory", test_memory_store);
	g_test_add_func("/ferry/gui/secrets/connection", test_connection_secrets);
	g_test_add_func("/ferry/gui/secrets/agent", test_agent);
	g_test_add_func("/ferry/gui/secrets/libsecret", test_libsecret_round_trip);
	return g_test_run();
}
