/* ferry-window.h - FerryWindow: the main window (connection list, editor, status area)
 *
 * Window actions (the list rows and buttons use them; tests call gtk_widget_activate_action();
 * from outside the process use the app.* forwarders of ferry-application.h):
 *   win.import-dialog   file chooser for a profile
 *   win.add             edit a new, unsaved connection
 *   win.connect(s)      activate the connection with this uuid
 *   win.disconnect(s)   deactivate it
 *   win.save, win.delete, win.export   the selected connection
 * Profile files dropped on the window are imported.
 */
#pragma once

#include <adwaita.h>
#include <NetworkManager.h>

#include "ferry-application.h"
#include "ferry-profile-list.h"
#include "ferry-secret-store.h"

G_BEGIN_DECLS

#define FERRY_TYPE_WINDOW (ferry_window_get_type())
G_DECLARE_FINAL_TYPE(FerryWindow, ferry_window, FERRY, WINDOW, AdwApplicationWindow)

/* @app, @client: (nullable): without a client the window keeps the connections it is given in
 * memory (tests; NetworkManager not running).  Secrets go to the user's keyring. */
FerryWindow *ferry_window_new(FerryApplication *app, NMClient *client);
/* Replaces the secret store (tests use the memory store). */
void ferry_window_set_secret_store(FerryWindow *self, FerrySecretStore *store);

/* (transfer none) */
FerryProfileList *ferry_window_get_list(FerryWindow *self);

/* Imports @path: shows what it holds and asks before adding (app.import). */
void ferry_window_import_path(FerryWindow *self, const char *path);
/* Adds connections (secrets go to the store first), without asking. */
void ferry_window_add_connections(FerryWindow *self, GPtrArray *connections);

/* Exports the selected connection, with its stored secrets, in the format the extension
 * names (.sswan, .mobileconfig, else a Ferry profile) (win.export after its file chooser). */
gboolean ferry_window_export_path(FerryWindow *self, const char *path, GError **error);

/* (transfer none) (nullable): the message dialog currently shown (tests answer it). */
AdwMessageDialog *ferry_window_get_dialog(FerryWindow *self);
/* (transfer none): the connection editor, for tests */
GtkWidget *ferry_window_get_editor(FerryWindow *self);

G_END_DECLS
