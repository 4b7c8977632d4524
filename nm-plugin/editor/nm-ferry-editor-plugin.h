/* nm-ferry-editor-plugin.h - the GTK-free NMVpnEditorPlugin: identity, import, export
 *
 * What libnm loads for nmcli, GNOME Settings and nm-connection-editor ([libnm] plugin= of the
 * .name file); it exports only nm_vpn_editor_plugin_factory().  Import reads every format
 * the profile library reads (Ferry profile, .sswan, .mobileconfig, NetworkManager
 * strongswan/libreswan keyfiles); export writes a Ferry profile, .sswan or .mobileconfig by
 * the file's extension.  get_editor() loads the GTK 4 widget library from the same
 * directory, so this library never links GTK.
 */
#pragma once

#include <NetworkManager.h>

G_BEGIN_DECLS

#define NM_FERRY_TYPE_EDITOR_PLUGIN (nm_ferry_editor_plugin_get_type())
G_DECLARE_FINAL_TYPE(NMFerryEditorPlugin, nm_ferry_editor_plugin, NM_FERRY, EDITOR_PLUGIN, GObject)

/* The GTK 4 editor library and its factory symbol:
 * NMVpnEditor *nm_vpn_editor_factory_ferry(NMVpnEditorPlugin *, NMConnection *, GError **). */
#define NM_FERRY_EDITOR_GTK4_LIBRARY "libnm-gtk4-vpn-plugin-ferry-editor.so"
#define NM_FERRY_EDITOR_FACTORY      "nm_vpn_editor_factory_ferry"

/* Where imported certificates are written: $XDG_DATA_HOME/ferry/nm-certs. */
#define NM_FERRY_IMPORT_CERT_SUBDIR "ferry/nm-certs"

G_END_DECLS
