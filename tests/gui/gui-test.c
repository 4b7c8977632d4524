/* gui-test.c - shared helpers of the tests/gui unit tests */
#include "config.h"

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>

#include "ferry-import.h"
#include "gui-test.h"

static GTestDBus *session_bus;
static GPtrArray *tmpdirs;

static int
remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	remove(path);
	return 0;
}

static void
remove_tmpdirs(void)
{
	for (guint i = 0; tmpdirs && i < tmpdirs->len; i++)
		nftw(tmpdirs->pdata[i], remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

char *
gui_test_make_tmpdir(const char *tmpl)
{
	g_autoptr(GError) error = NULL;
	char *dir = g_dir_make_tmp(tmpl, &error);

	g_assert_no_error(error);
	if (!tmpdirs) {
		tmpdirs = g_ptr_array_new_with_free_func(g_free);
		atexit(remove_tmpdirs);
	}
	g_ptr_array_add(tmpdirs, g_strdup(dir));
	return dir;
}

gboolean
gui_test_init(int *argc, char ***argv)
{
	g_autofree char *display = NULL;
	g_autofree char *data_home = NULL;

	gtk_disable_setlocale();
	g_test_init(argc, argv, NULL);
	/* Imported certificates land under XDG_DATA_HOME: keep them in a scratch directory. */
	data_home = gui_test_make_tmpdir("ferry-gui-test-XXXXXX");
	g_setenv("XDG_DATA_HOME", data_home, TRUE);
	/* GTK looks for a session bus (portals, accessibility); give it a private one.
	 * GTestDBus unsets DISPLAY (against X11 autolaunch); the X server is ours. */
	display = g_strdup(g_getenv("DISPLAY"));
	session_bus = g_test_dbus_new(G_TEST_DBUS_NONE);
	g_test_dbus_up(session_bus);
	if (display)
		g_setenv("DISPLAY", display, TRUE);
	if (!gtk_init_check())
		return FALSE;
	adw_init();
	/* What GtkApplication's resource-base-path does for the app. */
	gtk_icon_theme_add_resource_path(gtk_icon_theme_get_for_display(gdk_display_get_default()),
	                                 "/org/ferry_vpn/Ferry/icons");
	return TRUE;
}

void
gui_test_iterate(void)
{
	for (int i = 0; i < 100; i++)
		g_main_context_iteration(NULL, FALSE);
	while (g_main_context_pending(NULL))
		g_main_context_iteration(NULL, FALSE);
}

void
gui_test_snapshot(GtkWidget *widget, const char *path)
{
	g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new(widget);
	g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new();
	g_autoptr(GskRenderNode) node = NULL;
	g_autoptr(GdkTexture) texture = NULL;
	int w = gtk_widget_get_width(widget);
	int h = gtk_widget_get_height(widget);
	GskRenderer *renderer = gtk_native_get_renderer(gtk_widget_get_native(widget));

	g_assert_cmpint(w, >, 0);
	g_assert_cmpint(h, >, 0);
	/* A window shown a moment ago may not have drawn its first frame: wait for it. */
	for (int i = 0; i < 200; i++) {
		gdk_paintable_snapshot(paintable, GDK_SNAPSHOT(snapshot), w, h);
		node = gtk_snapshot_free_to_node(g_steal_pointer(&snapshot));
		if (node)
			break;
		snapshot = gtk_snapshot_new();
		g_usleep(10000);
		gui_test_iterate();
	}
	g_assert_nonnull(node);
	texture = gsk_renderer_render_texture(renderer, node, &GRAPHENE_RECT_INIT(0, 0, w, h));
	g_assert_true(gdk_texture_save_to_png(texture, path));
	g_test_message("screenshot (%dx%d) written to %s", w, h, path);
}

char *
gui_test_sample_path(const char *relative)
{
	const char *dir = g_getenv("FERRY_TEST_PROFILE_DATA");

	g_assert_nonnull(dir);
	return g_build_filename(dir, relative, NULL);
}

GPtrArray *
gui_test_import_sample(const char *relative)
{
	g_autofree char *path = gui_test_sample_path(relative);
	g_autoptr(GError) error = NULL;
	FerryImportResult *result = ferry_import_result_load(path, NULL, &error);
	GPtrArray *connections;

	g_assert_no_error(error);
	g_assert_nonnull(result);
	connections = g_ptr_array_ref(result->connections);
	ferry_import_result_free(result);
	return connections;
}
