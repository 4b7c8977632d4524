/* test-gui-window.c - FerryWindow: builds from its template, empty state without connections */
#include "config.h"

#include "ferry-window.h"

static void
test_window_empty(void)
{
	FerryWindow *window = ferry_window_new(NULL, NULL);

	g_assert_nonnull(window);
	g_assert_nonnull(adw_application_window_get_content(ADW_APPLICATION_WINDOW(window)));
	gtk_window_destroy(GTK_WINDOW(window));
}

int
main(int argc, char *argv[])
{
	gtk_disable_setlocale();
	g_test_init(&argc, &argv, NULL);
	if (!gtk_init_check()) {
		g_test_skip("no display");
		return g_test_run();
	}
	adw_init();
	g_test_add_func("/ferry/gui/window/empty", test_window_empty);
	return g_test_run();
}
