/* ferry-tray.h - FerryTray: the tray icon (StatusNotifierItem) with a small menu
 *
 * Exports org.kde.StatusNotifierItem at /StatusNotifierItem under the name
 * org.kde.StatusNotifierItem-<pid>-<n> on the session bus, registers it with
 * org.kde.StatusNotifierWatcher whenever one is there (KDE, the GNOME AppIndicator extension,
 * waybar...), and a com.canonical.dbusmenu menu at /MenuBar: each Ferry connection (a check
 * item: connect or disconnect through the app's "connect"/"disconnect" actions), "Open
 * Ferry" (the "activate" signal) and "Quit" (the "quit" action).  The icon follows the
 * connections' state in NetworkManager.
 */
#pragma once

#include <gio/gio.h>
#include <NetworkManager.h>

G_BEGIN_DECLS

#define FERRY_TYPE_TRAY (ferry_tray_get_type())
G_DECLARE_FINAL_TYPE(FerryTray, ferry_tray, FERRY, TRAY, GObject)

/* On @app's session bus, activating @app's actions; "activate" presents the app.
 * @client: (nullable). */
FerryTray *ferry_tray_new(GApplication *app, NMClient *client);

/* The same on @bus with @actions (tests).  Signal "activate" (): show the window. */
FerryTray *ferry_tray_new_for_bus(GDBusConnection *bus, GActionGroup *actions, NMClient *client);

/* The bus name the item is exported under. */
const char *ferry_tray_get_bus_name(FerryTray *self);

G_END_DECLS
