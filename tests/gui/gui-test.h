/* gui-test.h - shared helpers of the tests/gui unit tests: display, bus, snapshots, samples */
#pragma once

#include <adwaita.h>
#include <NetworkManager.h>

/* g_test_init(), a private session bus, GTK and libadwaita.  FALSE when there is no display
 * (the caller skips). */
gboolean gui_test_init(int *argc, char ***argv);
/* (transfer full): a new directory under the system's temporary one, removed with everything
 * in it when the test program exits. */
char *gui_test_make_tmpdir(const char *tmpl);
/* Runs the main context until idle (layout, signals). */
void gui_test_iterate(void);
/* Renders @widget as it is laid out now into a PNG at @path. */
void gui_test_snapshot(GtkWidget *widget, const char *path);
/* (transfer full): a sample profile of tests/unit/profile/data (e.g. "sswan/cert.sswan"). */
char *gui_test_sample_path(const char *relative);
/* The connections imported from a sample, as the window would add them. */
GPtrArray *gui_test_import_sample(const char *relative);
