/* nm-ferry-editor.h - NMFerryEditor: the GTK 4 widget that edits a Ferry connection
 *
 * An NMVpnEditor for GNOME Settings (and any GTK 4 host).  Every key of the shared table
 * (nm-ferry-keys.h) has a widget in nm-ferry-dialog.ui whose id is the key; the code binds
 * them generically by the key's type, so the table and the dialog cannot drift apart
 * unnoticed (the editor test round-trips every key).  Validation is the profile library's:
 * an error names the key, and that key's widget is marked.
 */
#pragma once

#include <gtk/gtk.h>
#include <NetworkManager.h>

G_BEGIN_DECLS

#define NM_FERRY_TYPE_EDITOR (nm_ferry_editor_get_type())
G_DECLARE_FINAL_TYPE(NMFerryEditor, nm_ferry_editor, NM_FERRY, EDITOR, GObject)

/* The factory the GTK-free plugin looks up (NM_FERRY_EDITOR_FACTORY). */
NMVpnEditor *
nm_vpn_editor_factory_ferry(NMVpnEditorPlugin *plugin, NMConnection *connection, GError **error);

/* Data key on the widget returned by nm_vpn_editor_get_widget() holding the GtkBuilder, for
 * tests that drive individual fields. */
#define NM_FERRY_EDITOR_BUILDER_KEY "nm-ferry-builder"

G_END_DECLS
