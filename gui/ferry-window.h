/* ferry-window.h - FerryWindow: the main window (connection list, editor, status area)
 *
 * Window actions (a test triggers them with gtk_widget_activate_action() or through the
 * application's D-Bus org.gtk.Actions interface as "win.*" is not exported: use the app.*
 * forwarders in ferry-application.h):
 *   win.import-dialog   file chooser for a profile
 *   win.add             edit a new, unsaved connection
 *   win.connect(s)      activate the connection with this uuid
 *   win.disconnect(s)   deactivate it
 */
#pragma once

#include <adwaita.h>
#include <NetworkManager.h>

#include "ferry-application.h"

G_BEGIN_DECLS

#define FERRY_TYPE_WINDOW (ferry_window_get_type())
G_DECLARE_FINAL_TYPE(FerryWindow, ferry_window, FERRY, WINDOW, AdwApplicationWindow)

/* @client: (nullable): NULL shows the window without NetworkManager (tests feed the list). */
FerryWindow *ferry_window_new(FerryApplication *app, NMClient *client);

/* Imports @path and shows what was imported (app.import). */
void ferry_window_import_path(FerryWindow *self, const char *path);

G_END_DECLS
