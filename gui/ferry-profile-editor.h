/* ferry-profile-editor.h - FerryProfileEditor: edits one connection in the window
 *
 * Name and "connect automatically" on top, then the plugin's own GTK 4 editor widget
 * (NMVpnEditor from the plugin NetworkManager registers for Ferry's service type), then
 * Delete, Export… and Save buttons bound to win.delete, win.export and win.save.  Works on
 * a copy: nothing reaches NetworkManager until the window saves ferry_profile_editor_dup_result().
 */
#pragma once

#include <adwaita.h>
#include <NetworkManager.h>

G_BEGIN_DECLS

#define FERRY_TYPE_PROFILE_EDITOR (ferry_profile_editor_get_type())
G_DECLARE_FINAL_TYPE(FerryProfileEditor, ferry_profile_editor, FERRY, PROFILE_EDITOR, GtkBox)

GtkWidget *ferry_profile_editor_new(void);

/* Edits a copy of @connection (nullable: clear); @is_new hides Delete/Export. */
gboolean ferry_profile_editor_set_connection(FerryProfileEditor *self,
                                             NMConnection *connection,
                                             gboolean is_new,
                                             GError **error);
/* (transfer none) (nullable): the connection as it was given (not the copy). */
NMConnection *ferry_profile_editor_get_connection(FerryProfileEditor *self);
gboolean ferry_profile_editor_is_new(FerryProfileEditor *self);
/* TRUE once the user changed something since set_connection(). */
gboolean ferry_profile_editor_is_modified(FerryProfileEditor *self);

/**
 * ferry_profile_editor_dup_result:
 * @error: the plugin editor's validation error (it names the field) or an empty name
 *
 * Returns: (transfer full): the edited copy, with secrets as typed; NULL with @error.
 */
NMConnection *ferry_profile_editor_dup_result(FerryProfileEditor *self, GError **error);

/**
 * ferry_profile_editor_get_plugin:
 * The Ferry NMVpnEditorPlugin: from $FERRY_NM_EDITOR_PLUGIN (a .so path, for tests) or the
 * .name file NetworkManager's plugin directory holds for our service type.  Loaded once.
 *
 * Returns: (transfer none): the plugin, NULL with @error.
 */
NMVpnEditorPlugin *ferry_profile_editor_get_plugin(GError **error);

/* A new, empty Ferry connection (fresh uuid, secrets agent-owned). */
NMConnection *ferry_profile_editor_new_connection(const char *name);

G_END_DECLS
