/* test-nm-editor-plugin.c - the GTK-free editor plugin as libnm loads it: import and export */
#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "ferry-error.h"
#include "nm-ferry-keys.h"
#include "profile-import.h"

static const char *plugin_path;
static char *tmpdir;

static NMVpnEditorPlugin *
load_plugin(void)
{
	g_autoptr(GError) error = NULL;
	/* libnm's own loader, with its ownership checks, as nmcli uses it. */
	NMVpnEditorPlugin *plugin = nm_vpn_editor_plugin_load_from_file(
		plugin_path, NM_FERRY_VPN_SERVICE_TYPE, getuid(), NULL, NULL, &error);

	g_assert_no_error(error);
	g_assert_nonnull(plugin);
	return plugin;
}

static void
test_identity(void)
{
	g_autoptr(NMVpnEditorPlugin) plugin = load_plugin();
	g_autofree char *service = NULL, *name = NULL;
	g_autoptr(NMConnection) c = NULL;
	g_autoptr(FerryProfile) p = ferry_profile_new();
	g_autofree char *suggested = NULL;

	g_object_get(plugin, NM_VPN_EDITOR_PLUGIN_SERVICE, &service, NM_VPN_EDITOR_PLUGIN_NAME,
	             &name, NULL);
	g_assert_cmpstr(service, ==, NM_FERRY_VPN_SERVICE_TYPE);
	g_assert_nonnull(strstr(name, "Ferry"));
	g_assert_cmpuint(nm_vpn_editor_plugin_get_capabilities(plugin), ==,
	                 NM_VPN_EDITOR_PLUGIN_CAPABILITY_IMPORT |
	                         NM_VPN_EDITOR_PLUGIN_CAPABILITY_EXPORT |
	                         NM_VPN_EDITOR_PLUGIN_CAPABILITY_IPV6);
	p->name = g_strdup("Corp/Berlin");
	p->gateway = g_strdup("vpn.example.com");
	c = nm_ferry_keys_connection_new(p, NULL);
	suggested = nm_vpn_editor_plugin_get_suggested_filename(plugin, c);
	g_assert_cmpstr(suggested, ==, "Corp-Berlin.profile");
}

static NMConnection *
import(NMVpnEditorPlugin *plugin, const char *path, GError **error)
{
	NMConnection *c = nm_vpn_editor_plugin_import(plugin, path, error);

	if (c) {
		g_autoptr(GError) local = NULL;

		g_assert_true(nm_connection_verify(c, &local));
		g_assert_no_error(local);
		g_assert_cmpstr(nm_setting_vpn_get_service_type(nm_connection_get_setting_vpn(c)),
		                ==, NM_FERRY_VPN_SERVICE_TYPE);
	}
	return c;
}

/* Drops the fields that name files an import writes (their paths differ per import). */
static void
forget_attachment_paths(FerryProfile *p)
{
	g_clear_pointer(&p->ca_certs, g_strfreev);
	g_clear_pointer(&p->server_cert, g_free);
	g_clear_pointer(&p->client_pkcs12, g_free);
}

/* Every file of the profile library's importer tests gives through the plugin exactly what
 * the library gives: the same profile and secrets, or the same error. */
static void
test_import_samples(void)
{
	static const char *const dirs[] = {"sswan", "nm"};
	g_autoptr(NMVpnEditorPlugin) plugin = load_plugin();
	guint imported = 0, refused = 0;

	for (gsize d = 0; d < G_N_ELEMENTS(dirs); d++) {
		g_autofree char *dir = g_test_build_filename(G_TEST_DIST, "unit", "profile", "data",
		                                             dirs[d], NULL);
		g_autoptr(GDir) listing = g_dir_open(dir, 0, NULL);
		const char *name;

		g_assert_nonnull(listing);
		while ((name = g_dir_read_name(listing))) {
			g_autofree char *path = g_build_filename(dir, name, NULL);
			g_autoptr(GError) error = NULL;
			g_autoptr(GError) lib_error = NULL;
			g_autoptr(GPtrArray) records = ferry_import_file(path, NULL, &lib_error);
			g_autoptr(NMConnection) c = import(plugin, path, &error);
			g_autoptr(FerryProfile) p = NULL;
			g_autoptr(FerryProfileSecrets) s = NULL;
			FerryImport *expect;

			g_test_message("import %s", path);
			if (!records) {
				g_assert_null(c);
				g_assert_cmpstr(error->message, ==, lib_error->message);
				refused++;
				continue;
			}
			g_assert_no_error(error);
			expect = records->pdata[0];
			p = nm_ferry_keys_connection_to_profile(c, &s, &error);
			g_assert_no_error(error);
			/* Embedded files were written where the service can read them. */
			if (p->client_pkcs12 && expect->attachments->len) {
				g_assert_true(g_str_has_prefix(p->client_pkcs12, tmpdir));
				g_assert_true(
					g_file_test(p->client_pkcs12, G_FILE_TEST_IS_REGULAR));
			}
			forget_attachment_paths(p);
			forget_attachment_paths(expect->profile);
			g_assert_true(ferry_profile_equal(p, expect->profile));
			g_assert_cmpint(!s->psk, ==, !expect->secrets->psk);
			g_assert_cmpint(!s->password, ==, !expect->secrets->password);
			g_assert_cmpint(!s->key_passphrase, ==, !expect->secrets->key_passphrase);
			imported++;
		}
	}
	g_assert_cmpuint(imported, >=, 8);
	g_assert_cmpuint(refused, >=, 1);
}

static FerryProfile *
sample_profile(FerryAuthMethod auth)
{
	FerryProfile *p = ferry_profile_new();

	p->name = g_strdup("Corp VPN");
	p->gateway = g_strdup("vpn.example.com");
	p->auth = auth;
	p->remote_id = g_strdup("@vpn.example.com");
	p->remote_id_strict = TRUE;
	p->local_id = g_strdup("alice@example.com");
	if (auth == FERRY_AUTH_EAP_MSCHAPV2)
		p->eap_identity = g_strdup("alice");
	p->esp_proposals = g_strdup("aes128gcm16-ecp256");
	return p;
}

typedef struct {
	const char *ext;
	FerryAuthMethod auth;
	gboolean lossless;    /* every field survives */
	gboolean secret_kept; /* the format carries the secret */
} ExportCase;

static const ExportCase export_cases[] = {
	{"profile",      FERRY_AUTH_PSK,          TRUE },
        {"profile",      FERRY_AUTH_EAP_MSCHAPV2, TRUE },
	{"sswan",        FERRY_AUTH_EAP_MSCHAPV2, FALSE},
        {"mobileconfig", FERRY_AUTH_EAP_MSCHAPV2, FALSE},
	{"mobileconfig", FERRY_AUTH_PSK,          FALSE},
};

/* connection -> export -> import -> the same connection, for each format. */
static void
test_export_import(gconstpointer data)
{
	const ExportCase *c = data;
	g_autoptr(NMVpnEditorPlugin) plugin = load_plugin();
	g_autoptr(FerryProfile) p = sample_profile(c->auth);
	g_autoptr(FerryProfileSecrets) s = ferry_profile_secrets_new();
	g_autoptr(FerryProfileSecrets) back_secrets = NULL;
	g_autoptr(FerryProfile) back = NULL;
	g_autoptr(NMConnection) connection = NULL;
	g_autoptr(NMConnection) imported = NULL;
	g_autoptr(GError) error = NULL;
	g_autofree char *path = NULL;
	const char *secret = c->auth == FERRY_AUTH_PSK ? "psk" : "password";
	GStatBuf st;

	ferry_profile_secrets_set(s, secret, "canary-secret-0123456789abcdef", NULL);
	connection = nm_ferry_keys_connection_new(p, s);
	path = g_strdup_printf("%s/export-%s-%d.%s", tmpdir, c->ext, c->auth, c->ext);
	if (!nm_vpn_editor_plugin_export(plugin, path, connection, &error)) {
		/* An exporter the profile library has not implemented yet. */
		if (strstr(error->message, "not implemented")) {
			g_test_skip(error->message);
			return;
		}
		g_assert_no_error(error);
	}
	g_assert_cmpint(g_stat(path, &st), ==, 0);
	g_assert_cmpint(st.st_mode & 0077, ==, 0);
	imported = import(plugin, path, &error);
	if (!imported && strstr(error->message, "cannot be imported yet")) {
		g_test_skip(error->message);
		return;
	}
	g_assert_no_error(error);
	back = nm_ferry_keys_connection_to_profile(imported, &back_secrets, &error);
	g_assert_no_error(error);
	if (c->lossless)
		g_assert_true(ferry_profile_equal(p, back));
	if (c->secret_kept) {
		const FerrySecret *got =
			c->auth == FERRY_AUTH_PSK ? back_secrets->psk : back_secrets->password;

		g_assert_nonnull(got);
		g_assert_cmpmem(got->data, got->len, "canary-secret-0123456789abcdef", 30);
	}
	g_assert_cmpstr(back->gateway, ==, p->gateway);
	g_assert_cmpint(back->auth, ==, p->auth);
	g_assert_cmpstr(back->remote_id, ==, p->remote_id);
	g_assert_cmpstr(back->eap_identity, ==, p->eap_identity);
	g_assert_cmpstr(back->esp_proposals, ==, p->esp_proposals);
}

static void
test_import_errors(void)
{
	g_autoptr(NMVpnEditorPlugin) plugin = load_plugin();
	g_autofree char *bad = g_build_filename(tmpdir, "bad.profile", NULL);
	g_autoptr(GError) error = NULL;
	g_autoptr(NMConnection) c = NULL;

	g_assert_true(g_file_set_contents(bad, "[profile]\ngateway=vpn.example.com\nmtu=12x\n", -1,
	                                  NULL));
	c = nm_vpn_editor_plugin_import(plugin, bad, &error);
	g_assert_null(c);
	g_assert_error(error, FERRY_ERROR, FERRY_ERROR_CONFIG);
	g_assert_nonnull(strstr(error->message, "mtu"));
	g_clear_error(&error);
	c = nm_vpn_editor_plugin_import(plugin, "/nonexistent/corp.sswan", &error);
	g_assert_null(c);
	g_assert_nonnull(error);
}

static void
remove_tree(const char *path)
{
	g_autoptr(GDir) dir = g_dir_open(path, 0, NULL);
	const char *name;

	while (dir && (name = g_dir_read_name(dir))) {
		g_autofree char *child = g_build_filename(path, name, NULL);

		if (g_file_test(child, G_FILE_TEST_IS_DIR) &&
		    !g_file_test(child, G_FILE_TEST_IS_SYMLINK))
			remove_tree(child);
		else
			g_unlink(child);
	}
	g_rmdir(path);
}

int
main(int argc, char **argv)
{
	int ret;

	/* Before GLib caches it: imported certificates land under $XDG_DATA_HOME. */
	tmpdir = g_dir_make_tmp("ferry-nm-editor-XXXXXX", NULL);
	g_setenv("XDG_DATA_HOME", tmpdir, TRUE);
	g_test_init(&argc, &argv, NULL);
	g_assert_cmpint(argc, ==, 2);
	plugin_path = argv[1];
	g_test_add_func("/ferry/nm/editor-plugin/identity", test_identity);
	g_test_add_func("/ferry/nm/editor-plugin/import-samples", test_import_samples);
	for (gsize i = 0; i < G_N_ELEMENTS(export_cases); i++) {
		g_autofree char *path = g_strdup_printf(
			"/ferry/nm/editor-plugin/export-import/%s/%s", export_cases[i].ext,
			ferry_auth_method_to_string(export_cases[i].auth));

		g_test_add_data_func(path, &export_cases[i], test_export_import);
	}
	g_test_add_func("/ferry/nm/editor-plugin/import-errors", test_import_errors);
	ret = g_test_run();
	remove_tree(tmpdir);
	g_free(tmpdir);
	return ret;
}
