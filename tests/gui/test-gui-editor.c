/* test-gui-editor.c - the editor in the window: add a connection through the plugin's widget
 * and save it (secrets to the store, not NetworkManager), refuse an empty name, edit with the
 * stored secrets shown, export with them, delete after confirming */
#include "config.h"

#include "ferry-import.h"
#include "ferry-profile-editor.h"
#include "ferry-window.h"
#include "gui-test.h"

/* nm-ferry-editor.h's NM_FERRY_EDITOR_BUILDER_KEY: the plugin widget's GtkBuilder. */
#define BUILDER_KEY "nm-ferry-builder"

typedef struct {
	FerryWindow *window;
	FerrySecretStore *store;
	char *dir;
} Fixture;

static void
fixture_setup(Fixture *f, gconstpointer data)
{
	f->window = ferry_window_new(NULL, NULL);
	f->store = ferry_secret_store_memory_new();
	f->dir = gui_test_make_tmpdir("ferry-gui-editor-XXXXXX");
	ferry_window_set_secret_store(f->window, f->store);
	gtk_window_present(GTK_WINDOW(f->window));
	gui_test_iterate();
}

static void
fixture_teardown(Fixture *f, gconstpointer data)
{
	gtk_window_destroy(GTK_WINDOW(f->window));
	gui_test_iterate();
	g_object_unref(f->store);
	g_free(f->dir);
}

static GtkWidget *
find_widget(GtkWidget *root, GType type)
{
	for (GtkWidget *child = gtk_widget_get_first_child(root); child;
	     child = gtk_widget_get_next_sibling(child)) {
		GtkWidget *found;

		if (G_TYPE_CHECK_INSTANCE_TYPE(child, type))
			return child;
		found = find_widget(child, type);
		if (found)
			return found;
	}
	return NULL;
}

static FerryProfileEditor *
editor(Fixture *f)
{
	return FERRY_PROFILE_EDITOR(ferry_window_get_editor(f->window));
}

/* A field of the plugin's editor widget, by key name. */
static GObject *
field(Fixture *f, const char *key)
{
	GtkWidget *root = ferry_window_get_editor(f->window);
	GtkBuilder *builder = NULL;

	/* The plugin's widget is the one carrying its builder. */
	for (GtkWidget *w = find_widget(root, GTK_TYPE_WIDGET); w;) {
		GtkWidget *next;

		builder = g_object_get_data(G_OBJECT(w), BUILDER_KEY);
		if (builder)
			break;
		next = gtk_widget_get_first_child(w);
		while (!next && w && w != root) {
			next = gtk_widget_get_next_sibling(w);
			if (!next)
				w = gtk_widget_get_parent(w);
		}
		w = next;
	}
	g_assert_nonnull(builder);
	return gtk_builder_get_object(builder, key);
}

static void
set_name(Fixture *f, const char *name)
{
	GtkWidget *row = find_widget(ferry_window_get_editor(f->window), ADW_TYPE_ENTRY_ROW);

	g_assert_nonnull(row);
	gtk_editable_set_text(GTK_EDITABLE(row), name);
}

static FerryConnectionItem *
item_at(Fixture *f, guint i)
{
	g_autoptr(FerryConnectionItem) item =
		g_list_model_get_item(G_LIST_MODEL(ferry_window_get_list(f->window)), i);

	/* The list keeps its reference. */
	return item;
}

static guint
n_items(Fixture *f)
{
	return g_list_model_get_n_items(G_LIST_MODEL(ferry_window_get_list(f->window)));
}

static void
test_editor_add(Fixture *f, gconstpointer data)
{
	NMConnection *saved;
	NMSettingVpn *s_vpn;
	NMSettingSecretFlags flags = NM_SETTING_SECRET_FLAG_NONE;
	FerrySecret *secret;
	g_autofree char *shot = g_test_build_filename(G_TEST_BUILT, "gui-editor-new.png", NULL);

	gtk_widget_activate_action(GTK_WIDGET(f->window), "win.add", NULL);
	gui_test_iterate();
	g_assert_true(ferry_profile_editor_is_new(editor(f)));
	g_assert_nonnull(ferry_profile_editor_get_connection(editor(f)));
	gui_test_snapshot(adw_application_window_get_content(ADW_APPLICATION_WINDOW(f->window)),
	                  shot);
	g_print("# new connection screenshot: %s\n", shot);

	/* An empty name is refused, nothing is saved. */
	set_name(f, "  ");
	gtk_editable_set_text(GTK_EDITABLE(field(f, "gateway")), "vpn.example.org");
	gtk_widget_activate_action(GTK_WIDGET(f->window), "win.save", NULL);
	gui_test_iterate();
	g_assert_cmpuint(n_items(f), ==, 0);

	set_name(f, "Home office");
	gtk_editable_set_text(GTK_EDITABLE(field(f, "password")), "canary-password-42");
	gtk_widget_activate_action(GTK_WIDGET(f->window), "win.save", NULL);
	gui_test_iterate();
	g_assert_cmpuint(n_items(f), ==, 1);
	saved = ferry_connection_item_get_connection(item_at(f, 0));
	s_vpn = nm_connection_get_setting_vpn(saved);
	g_assert_cmpstr(nm_connection_get_id(saved), ==, "Home office");
	g_assert_cmpstr(nm_setting_vpn_get_data_item(s_vpn, "gateway"), ==, "vpn.example.org");
	g_assert_false(
		nm_setting_connection_get_autoconnect(nm_connection_get_setting_connection(saved)));
	/* The password is in the store, flagged agent-owned, and not in the connection. */
	g_assert_null(nm_setting_vpn_get_secret(s_vpn, "password"));
	g_assert_true(nm_setting_get_secret_flags(NM_SETTING(s_vpn), "password", &flags, NULL));
	g_assert_cmpint(flags, ==, NM_SETTING_SECRET_FLAG_AGENT_OWNED);
	secret = ferry_secret_store_lookup(f->store, nm_connection_get_uuid(saved), "password",
	                                   NULL);
	g_assert_nonnull(secret);
	g_assert_cmpstr((const char *)secret->data, ==, "canary-password-42");
	ferry_secret_free(secret);
	/* Now an existing connection, selected. */
	g_assert_false(ferry_profile_editor_is_new(editor(f)));
}

static void
test_editor_edit_export_delete(Fixture *f, gconstpointer data)
{
	g_autoptr(GPtrArray) connections = gui_test_import_sample("nm/libreswan-psk.nmconnection");
	g_autofree char *profile = g_build_filename(f->dir, "lab.profile", NULL);
	g_autofree char *mobileconfig = g_build_filename(f->dir, "lab.mobileconfig", NULL);
	g_autofree char *contents = NULL;
	g_autoptr(FerryImportResult) again = NULL;
	g_autoptr(GError) error = NULL;
	g_autofree char *uuid = NULL;
	AdwMessageDialog *dialog;

	ferry_window_add_connections(f->window, connections);
	gui_test_iterate();
	g_assert_cmpuint(n_items(f), ==, 1);
	uuid = g_strdup(ferry_connection_item_get_uuid(item_at(f, 0)));
	/* The editor shows the PSK kept in the store. */
	g_assert_cmpstr(gtk_editable_get_text(GTK_EDITABLE(field(f, "psk"))), ==,
	                "a-long-pre-shared-key-for-tests");

	/* Rename and save: the list follows. */
	set_name(f, "Lab (renamed)");
	gtk_widget_activate_action(GTK_WIDGET(f->window), "win.save", NULL);
	gui_test_iterate();
	g_assert_cmpuint(n_items(f), ==, 1);
	g_assert_cmpstr(ferry_connection_item_get_name(item_at(f, 0)), ==, "Lab (renamed)");
	g_assert_cmpstr(ferry_connection_item_get_uuid(item_at(f, 0)), ==, uuid);

	/* Export: a PSK has no place in .sswan, and the error says so; a Ferry profile imports
	 * back to the same gateway; .mobileconfig carries the PSK from the store. */
	g_assert_false(ferry_window_export_path(f->window, "/nonexistent/lab.sswan", &error));
	g_assert_nonnull(strstr(error->message, "auth"));
	g_clear_error(&error);
	ferry_window_export_path(f->window, profile, &error);
	g_assert_no_error(error);
	again = ferry_import_result_load(profile, f->dir, &error);
	g_assert_no_error(error);
	g_assert_cmpstr(
		nm_setting_vpn_get_data_item(
			nm_connection_get_setting_vpn(again->connections->pdata[0]), "gateway"),
		==, "203.0.113.50");
	ferry_window_export_path(f->window, mobileconfig, &error);
	g_assert_no_error(error);
	g_assert_true(g_file_get_contents(mobileconfig, &contents, NULL, &error));
	g_assert_nonnull(strstr(contents, "a-long-pre-shared-key-for-tests"));

	/* Delete asks first; then the connection and its stored secrets are gone. */
	gtk_widget_activate_action(GTK_WIDGET(f->window), "win.delete", NULL);
	gui_test_iterate();
	dialog = ferry_window_get_dialog(f->window);
	g_assert_nonnull(dialog);
	adw_message_dialog_response(dialog, "cancel");
	g_assert_cmpuint(n_items(f), ==, 1);
	gtk_window_destroy(GTK_WINDOW(dialog));
	gtk_widget_activate_action(GTK_WIDGET(f->window), "win.delete", NULL);
	gui_test_iterate();
	dialog = ferry_window_get_dialog(f->window);
	adw_message_dialog_response(dialog, "delete");
	gtk_window_destroy(GTK_WINDOW(dialog));
	gui_test_iterate();
	g_assert_cmpuint(n_items(f), ==, 0);
	g_assert_cmpuint(ferry_secret_store_memory_count(f->store), ==, 0);
	g_assert_null(ferry_profile_editor_get_connection(editor(f)));
}

/* Without a keyring the connection is still added; NetworkManager keeps its secrets. */
static void
test_editor_no_keyring(Fixture *f, gconstpointer data)
{
	g_autoptr(GPtrArray) connections = gui_test_import_sample("nm/libreswan-psk.nmconnection");
	NMSettingVpn *s_vpn;
	NMSettingSecretFlags flags = NM_SETTING_SECRET_FLAG_AGENT_OWNED;

	ferry_secret_store_memory_set_failure(f->store, G_IO_ERROR_NOT_CONNECTED);
	ferry_window_add_connections(f->window, connections);
	gui_test_iterate();
	g_assert_cmpuint(n_items(f), ==, 1);
	s_vpn = nm_connection_get_setting_vpn(ferry_connection_item_get_connection(item_at(f, 0)));
	g_assert_cmpstr(nm_setting_vpn_get_secret(s_vpn, "psk"), ==,
	                "a-long-pre-shared-key-for-tests");
	g_assert_true(nm_setting_get_secret_flags(NM_SETTING(s_vpn), "psk", &flags, NULL));
	g_assert_cmpint(flags, ==, NM_SETTING_SECRET_FLAG_NONE);
}

int
main(int argc, char *argv[])
{
	if (!gui_test_init(&argc, &argv)) {
		g_test_skip("no display (run under xvfb-run)");
		return g_test_run();
	}
	g_test_add("/ferry/gui/editor/add", Fixture, NULL, fixture_setup, test_editor_add,
	           fixture_teardown);
	g_test_add("/ferry/gui/editor/edit-export-delete", Fixture, NULL, fixture_setup,
	           test_editor_edit_export_delete, fixture_teardown);
	g_test_add("/ferry/gui/editor/no-keyring", Fixture, NULL, fixture_setup,
	           test_editor_no_keyring, fixture_teardown);
	return g_test_run();
}
