/* test-gui-window.c - FerryWindow: empty state, list from added connections, selection and
 * editor, switch without NetworkManager, and a screenshot of the main window */
#include "config.h"

#include "ferry-profile-editor.h"
#include "ferry-profile-row.h"
#include "ferry-window.h"
#include "gui-test.h"

typedef struct {
	FerryWindow *window;
	FerrySecretStore *store;
} Fixture;

static void
fixture_setup(Fixture *f, gconstpointer data)
{
	f->window = ferry_window_new(NULL, NULL);
	f->store = ferry_secret_store_memory_new();
	ferry_window_set_secret_store(f->window, f->store);
	gtk_window_set_default_size(GTK_WINDOW(f->window), 960, 640);
	gtk_window_present(GTK_WINDOW(f->window));
	gui_test_iterate();
}

static void
fixture_teardown(Fixture *f, gconstpointer data)
{
	gtk_window_destroy(GTK_WINDOW(f->window));
	gui_test_iterate();
	g_object_unref(f->store);
}

static GtkWidget *
find_widget(GtkWidget *root, GType type, const char *name)
{
	for (GtkWidget *child = gtk_widget_get_first_child(root); child;
	     child = gtk_widget_get_next_sibling(child)) {
		GtkWidget *found;

		if (G_TYPE_CHECK_INSTANCE_TYPE(child, type) &&
		    (!name || g_strcmp0(gtk_widget_get_name(child), name) == 0))
			return child;
		found = find_widget(child, type, name);
		if (found)
			return found;
	}
	return NULL;
}

static const char *
visible_page(Fixture *f)
{
	GtkStack *stack =
		GTK_STACK(find_widget(GTK_WIDGET(f->window), GTK_TYPE_STACK, "main-stack"));

	return gtk_stack_get_visible_child_name(stack);
}

static GtkListBox *
list_box(Fixture *f)
{
	return GTK_LIST_BOX(find_widget(GTK_WIDGET(f->window), GTK_TYPE_LIST_BOX, NULL));
}

static void
add_samples(Fixture *f)
{
	static const char *const samples[] = {"sswan/cert.sswan", "nm/strongswan-psk.nmconnection",
	                                      "mobileconfig/eap.mobileconfig"};

	for (gsize i = 0; i < G_N_ELEMENTS(samples); i++) {
		g_autoptr(GPtrArray) connections = gui_test_import_sample(samples[i]);

		ferry_window_add_connections(f->window, connections);
	}
	gui_test_iterate();
}

static void
test_window_empty(Fixture *f, gconstpointer data)
{
	g_assert_cmpstr(visible_page(f), ==, "empty");
	g_assert_cmpuint(g_list_model_get_n_items(G_LIST_MODEL(ferry_window_get_list(f->window))),
	                 ==, 0);
}

static void
test_window_list(Fixture *f, gconstpointer data)
{
	FerryProfileList *list = ferry_window_get_list(f->window);
	GtkListBoxRow *row;
	FerryConnectionItem *item;
	guint n = 0;

	add_samples(f);
	g_assert_cmpstr(visible_page(f), ==, "list");
	g_assert_cmpuint(g_list_model_get_n_items(G_LIST_MODEL(list)), ==, 3);
	while (gtk_list_box_get_row_at_index(list_box(f), (int)n))
		n++;
	g_assert_cmpuint(n, ==, 3);
	/* The PSK went to the secret store, not into the connection. */
	g_assert_cmpuint(ferry_secret_store_memory_count(f->store), >=, 1);
	for (guint i = 0; i < 3; i++) {
		g_autoptr(FerryConnectionItem) it = g_list_model_get_item(G_LIST_MODEL(list), i);
		NMSettingVpn *s_vpn =
			nm_connection_get_setting_vpn(ferry_connection_item_get_connection(it));

		g_assert_cmpuint(nm_setting_vpn_get_num_secrets(s_vpn), ==, 0);
	}
	/* The first added connection is selected and shown in the editor. */
	row = gtk_list_box_get_selected_row(list_box(f));
	g_assert_nonnull(row);
	item = ferry_profile_row_get_item(FERRY_PROFILE_ROW(row));
	g_assert_true(ferry_profile_editor_get_connection(
			      FERRY_PROFILE_EDITOR(ferry_window_get_editor(f->window))) != NULL);
	g_assert_cmpstr(nm_connection_get_uuid(ferry_profile_editor_get_connection(
				FERRY_PROFILE_EDITOR(ferry_window_get_editor(f->window)))),
	                ==, ferry_connection_item_get_uuid(item));
	/* Without NetworkManager the switch stays off. */
	gtk_switch_set_active(ferry_profile_row_get_switch(FERRY_PROFILE_ROW(row)), TRUE);
	gui_test_iterate();
	g_assert_false(gtk_switch_get_active(ferry_profile_row_get_switch(FERRY_PROFILE_ROW(row))));
	g_assert_cmpint(ferry_connection_item_get_state(item), ==,
	                FERRY_CONNECTION_STATE_DISCONNECTED);
}

static void
test_window_state(Fixture *f, gconstpointer data)
{
	FerryProfileList *list = ferry_window_get_list(f->window);
	g_autoptr(FerryConnectionItem) item = NULL;
	GtkListBoxRow *row;

	add_samples(f);
	item = g_list_model_get_item(G_LIST_MODEL(list), 1);
	row = gtk_list_box_get_row_at_index(list_box(f), 1);
	ferry_connection_item_set_state(item, FERRY_CONNECTION_STATE_CONNECTED);
	gui_test_iterate();
	g_assert_true(gtk_switch_get_active(ferry_profile_row_get_switch(FERRY_PROFILE_ROW(row))));
	ferry_connection_item_set_state(item, FERRY_CONNECTION_STATE_DISCONNECTED);
	gui_test_iterate();
	g_assert_false(gtk_switch_get_active(ferry_profile_row_get_switch(FERRY_PROFILE_ROW(row))));
}

static void
test_window_screenshot(Fixture *f, gconstpointer data)
{
	FerryProfileList *list = ferry_window_get_list(f->window);
	g_autoptr(FerryConnectionItem) item = NULL;
	g_autofree char *path = g_test_build_filename(G_TEST_BUILT, "gui-window.png", NULL);

	add_samples(f);
	item = g_list_model_get_item(G_LIST_MODEL(list), 0);
	ferry_connection_item_set_state(item, FERRY_CONNECTION_STATE_CONNECTED);
	gui_test_iterate();
	gui_test_snapshot(adw_application_window_get_content(ADW_APPLICATION_WINDOW(f->window)),
	                  path);
	g_print("# main window screenshot: %s\n", path);
}

static void
test_window_empty_screenshot(Fixture *f, gconstpointer data)
{
	g_autofree char *path = g_test_build_filename(G_TEST_BUILT, "gui-window-empty.png", NULL);

	gui_test_snapshot(adw_application_window_get_content(ADW_APPLICATION_WINDOW(f->window)),
	                  path);
	g_print("# empty window screenshot: %s\n", path);
}

int
main(int argc, char *argv[])
{
	if (!gui_test_init(&argc, &argv)) {
		g_test_skip("no display (run under xvfb-run)");
		return g_test_run();
	}
	g_test_add("/ferry/gui/window/empty", Fixture, NULL, fixture_setup, test_window_empty,
	           fixture_teardown);
	g_test_add("/ferry/gui/window/list", Fixture, NULL, fixture_setup, test_window_list,
	           fixture_teardown);
	g_test_add("/ferry/gui/window/state", Fixture, NULL, fixture_setup, test_window_state,
	           fixture_teardown);
	g_test_add("/ferry/gui/window/screenshot", Fixture, NULL, fixture_setup,
	           test_window_screenshot, fixture_teardown);
	g_test_add("/ferry/gui/window/screenshot-empty", Fixture, NULL, fixture_setup,
	           test_window_empty_screenshot, fixture_teardown);
	return g_test_run();
}
