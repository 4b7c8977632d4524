/* test-gui-import.c - the import flow: every sample format through FerryImportResult (names,
 * gateways, secrets flagged agent-owned, unmapped fields, signer), errors naming file and
 * field, and the window's confirmation dialog adding the connections */
#include "config.h"

#include "ferry-import.h"
#include "ferry-window.h"
#include "gui-test.h"

/* One row per sample: what the importer must find in it. */
static const struct {
	const char *file;
	guint n_connections;
	const char *name;     /* of the first connection */
	const char *gateway;  /* of the first connection */
	guint n_secrets;      /* of the first connection, all agent-owned */
	const char *unmapped; /* start of one expected entry, or NULL for "none at all" */
	const char *signer;
} samples[] = {
  /* clang-format off */
	{"sswan/cert.sswan", 1, "Branch office", "198.51.100.20", 0,
	 "excluded-apps: per-app VPN is Android-only", NULL},
	{"sswan/eap.sswan", 1, "Corp VPN", "vpn.example.com", 1,
	 "proxy.host: Ferry does not configure proxies", NULL},
	{"sswan/minimal.sswan", 1, "Home", "home.example.net", 0, NULL, NULL},
	{"mobileconfig/eap-signed.mobileconfig", 1, "Corp VPN (iOS)", "vpn.example.com", 1,
	 "PayloadContent[2]: a com.apple.wifi.managed payload, not a VPN",
	 "CN=Example Corp Profile Signing,O=Example Corp"},
	{"mobileconfig/two-vpns.mobileconfig", 2, "Site A", "203.0.113.1", 1,
	 "Site B: PayloadContent[1]: a L2TP VPN, not IKEv2", NULL},
	{"mobileconfig/eap-tls-binary.mobileconfig", 1, "EAP-TLS", "vpn.example.com", 0, NULL, NULL},
	{"nm/strongswan-psk.nmconnection", 1, "Lab PSK", "203.0.113.7", 1,
	 "vpn.certificate: /nonexistent/ferry-test/ca.pem could not be read", NULL},
	{"nm/libreswan-psk.nmconnection", 1, "Office (libreswan)", "203.0.113.50", 1,
	 "vpn.dpdaction: no Ferry setting", NULL},
	{"full.profile", 1, "Corp VPN (Berlin)", "vpn.example.com", 0, NULL, NULL},
  /* clang-format on */
};

static gboolean
contains_prefix(GPtrArray *strings, const char *s)
{
	for (guint i = 0; i < strings->len; i++) {
		if (g_str_has_prefix(strings->pdata[i], s))
			return TRUE;
	}
	return FALSE;
}

static void
test_import_sample(gconstpointer data)
{
	guint i = GPOINTER_TO_UINT(data);
	g_autofree char *path = gui_test_sample_path(samples[i].file);
	g_autofree char *certs = gui_test_make_tmpdir("ferry-gui-certs-XXXXXX");
	g_autoptr(GError) error = NULL;
	g_autoptr(FerryImportResult) result = ferry_import_result_load(path, certs, &error);
	NMConnection *first;
	NMSettingVpn *s_vpn;
	NMSettingConnection *s_con;
	g_autofree char *description = NULL;
	g_autofree const char **secret_keys = NULL;
	guint n_secrets = 0;

	g_assert_no_error(error);
	g_assert_nonnull(result);
	g_assert_cmpstr(result->source, ==, path);
	g_assert_cmpuint(result->connections->len, ==, samples[i].n_connections);
	first = result->connections->pdata[0];
	s_vpn = nm_connection_get_setting_vpn(first);
	s_con = nm_connection_get_setting_connection(first);
	g_assert_true(nm_connection_verify(first, NULL));
	g_assert_cmpstr(nm_connection_get_id(first), ==, samples[i].name);
	g_assert_cmpstr(nm_setting_vpn_get_data_item(s_vpn, "gateway"), ==, samples[i].gateway);
	g_assert_cmpstr(nm_setting_vpn_get_service_type(s_vpn), ==,
	                "org.freedesktop.NetworkManager.ferry");
	/* Imported VPNs connect when asked, not on their own. */
	g_assert_false(nm_setting_connection_get_autoconnect(s_con));
	secret_keys = nm_setting_vpn_get_secret_keys(s_vpn, &n_secrets);
	g_assert_cmpuint(n_secrets, ==, samples[i].n_secrets);
	for (guint k = 0; k < n_secrets; k++) {
		NMSettingSecretFlags flags = NM_SETTING_SECRET_FLAG_NONE;

		g_assert_true(nm_setting_get_secret_flags(NM_SETTING(s_vpn), secret_keys[k], &flags,
		                                          NULL));
		g_assert_cmpint(flags, ==, NM_SETTING_SECRET_FLAG_AGENT_OWNED);
	}
	if (samples[i].unmapped)
		g_assert_true(contains_prefix(result->unmapped, samples[i].unmapped));
	else
		g_assert_cmpuint(result->unmapped->len, ==, 0);
	g_assert_cmpstr(result->signer, ==, samples[i].signer);

	/* The confirmation text names every connection, its gateway and what was left out. */
	description = ferry_import_result_describe(result);
	for (guint c = 0; c < result->connections->len; c++)
		g_assert_nonnull(
			strstr(description, nm_connection_get_id(result->connections->pdata[c])));
	g_assert_nonnull(strstr(description, samples[i].gateway));
	if (samples[i].unmapped)
		g_assert_nonnull(strstr(description, samples[i].unmapped));
	else
		g_assert_null(strstr(description, "left out"));
	if (samples[i].signer)
		g_assert_nonnull(strstr(description, samples[i].signer));
}

/* Files the importer refuses; the error names the file and the field. */
static const struct {
	const char *file;
	const char *field;
} bad_samples[] = {
	{"nm/libreswan-ikev1.nmconnection", "vpn.ikev2"   },
	{"nm/libreswan-cert.nmconnection",  "vpn.leftcert"},
};

static void
test_import_errors(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(FerryImportResult) none =
		ferry_import_result_load("/nonexistent/ferry-gui-test/corp.sswan", NULL, &error);

	g_assert_null(none);
	g_assert_nonnull(error);
	g_assert_nonnull(strstr(error->message, "corp.sswan"));
	for (gsize i = 0; i < G_N_ELEMENTS(bad_samples); i++) {
		g_autofree char *path = gui_test_sample_path(bad_samples[i].file);
		g_autoptr(FerryImportResult) result = NULL;

		g_clear_error(&error);
		result = ferry_import_result_load(path, NULL, &error);
		g_assert_null(result);
		g_assert_nonnull(error);
		g_assert_nonnull(strstr(error->message, path));
		g_assert_nonnull(strstr(error->message, bad_samples[i].field));
	}
}

static void
test_import_names(void)
{
	g_assert_true(ferry_import_is_profile_name("/tmp/Corp.SSWAN"));
	g_assert_true(ferry_import_is_profile_name("a.mobileconfig"));
	g_assert_true(ferry_import_is_profile_name("x/y.nmconnection"));
	g_assert_false(ferry_import_is_profile_name("notes.txt"));
	g_assert_false(ferry_import_is_profile_name(NULL));
}

/* The window: import -> dialog -> "add" -> the connections are in the list, secrets in the
 * store; a bad file gives a dialog whose text names the field. */
static void
test_import_window(void)
{
	FerryWindow *window = ferry_window_new(NULL, NULL);
	g_autoptr(FerrySecretStore) store = ferry_secret_store_memory_new();
	g_autofree char *path = gui_test_sample_path("mobileconfig/two-vpns.mobileconfig");
	g_autofree char *bad = gui_test_sample_path("nm/libreswan-ikev1.nmconnection");
	g_autofree char *shot = g_test_build_filename(G_TEST_BUILT, "gui-import.png", NULL);
	AdwMessageDialog *dialog;
	FerryProfileList *list = ferry_window_get_list(window);

	ferry_window_set_secret_store(window, store);
	gtk_window_present(GTK_WINDOW(window));
	gui_test_iterate();

	ferry_window_import_path(window, path);
	gui_test_iterate();
	dialog = ferry_window_get_dialog(window);
	g_assert_nonnull(dialog);
	g_assert_cmpstr(adw_message_dialog_get_heading(dialog), ==, "Add 2 VPN Connections?");
	g_assert_cmpstr(adw_message_dialog_get_body(dialog), ==, "From two-vpns.mobileconfig");
	g_assert_nonnull(adw_message_dialog_get_extra_child(dialog));
	gui_test_snapshot(GTK_WIDGET(dialog), shot);
	g_print("# import dialog screenshot: %s\n", shot);
	/* Nothing is added before the user agrees. */
	g_assert_cmpuint(g_list_model_get_n_items(G_LIST_MODEL(list)), ==, 0);
	adw_message_dialog_response(dialog, "add");
	gtk_window_destroy(GTK_WINDOW(dialog));
	gui_test_iterate();
	g_assert_null(ferry_window_get_dialog(window));
	g_assert_cmpuint(g_list_model_get_n_items(G_LIST_MODEL(list)), ==, 2);
	g_assert_cmpuint(ferry_secret_store_memory_count(store), ==, 2);

	ferry_window_import_path(window, bad);
	gui_test_iterate();
	dialog = ferry_window_get_dialog(window);
	g_assert_nonnull(dialog);
	g_assert_nonnull(strstr(adw_message_dialog_get_heading(dialog), "Cannot Import"));
	g_assert_nonnull(strstr(adw_message_dialog_get_body(dialog), "vpn.ikev2"));
	adw_message_dialog_response(dialog, "close");
	gtk_window_destroy(GTK_WINDOW(dialog));
	g_assert_cmpuint(g_list_model_get_n_items(G_LIST_MODEL(list)), ==, 2);

	gtk_window_destroy(GTK_WINDOW(window));
	gui_test_iterate();
}

/* Dropping a file on the window imports it like the chooser does (confirmation first). */
static void
test_import_drop(void)
{
	FerryWindow *window = ferry_window_new(NULL, NULL);
	g_autoptr(FerrySecretStore) store = ferry_secret_store_memory_new();
	g_autofree char *path = gui_test_sample_path("sswan/cert.sswan");
	g_autoptr(GListModel) controllers = NULL;
	GtkDropTarget *target = NULL;
	GSList *files = NULL;
	GValue value = G_VALUE_INIT;
	gboolean accepted = FALSE;
	AdwMessageDialog *dialog;

	ferry_window_set_secret_store(window, store);
	gtk_window_present(GTK_WINDOW(window));
	gui_test_iterate();
	controllers = gtk_widget_observe_controllers(GTK_WIDGET(window));
	for (guint i = 0; i < g_list_model_get_n_items(controllers); i++) {
		g_autoptr(GObject) c = g_list_model_get_item(controllers, i);

		if (GTK_IS_DROP_TARGET(c))
			target = GTK_DROP_TARGET(c);
	}
	g_assert_nonnull(target);
	g_assert_true(gtk_drop_target_get_actions(target) & GDK_ACTION_COPY);

	files = g_slist_append(files, g_file_new_for_path(path));
	g_value_init(&value, GDK_TYPE_FILE_LIST);
	g_value_take_boxed(&value, files);
	g_signal_emit_by_name(target, "drop", &value, 10.0, 10.0, &accepted);
	g_value_unset(&value);
	g_assert_true(accepted);
	gui_test_iterate();
	dialog = ferry_window_get_dialog(window);
	g_assert_nonnull(dialog);
	g_assert_cmpstr(adw_message_dialog_get_heading(dialog), ==, "Add VPN Connection?");
	adw_message_dialog_response(dialog, "add");
	gtk_window_destroy(GTK_WINDOW(dialog));
	gui_test_iterate();
	g_assert_cmpuint(g_list_model_get_n_items(G_LIST_MODEL(ferry_window_get_list(window))), ==,
	                 1);
	gtk_window_destroy(GTK_WINDOW(window));
	gui_test_iterate();
}

int
main(int argc, char *argv[])
{
	gboolean display = gui_test_init(&argc, &argv);

	for (gsize i = 0; i < G_N_ELEMENTS(samples); i++) {
		g_autofree char *name =
			g_strdup_printf("/ferry/gui/import/sample/%s", samples[i].file);

		g_test_add_data_func(name, GUINT_TO_POINTER(i), test_import_sample);
	}
	g_test_add_func("/ferry/gui/import/errors", test_import_errors);
	g_test_add_func("/ferry/gui/import/names", test_import_names);
	if (display) {
		g_test_add_func("/ferry/gui/import/window", test_import_window);
		g_test_add_func("/ferry/gui/import/drop", test_import_drop);
	}
	return g_test_run();
}
