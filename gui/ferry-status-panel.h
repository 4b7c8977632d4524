/* ferry-status-panel.h - FerryStatusPanel: the selected connection's live status and timeline
 *
 * A header with the connection's state (from NetworkManager) and uptime, its addresses, DNS
 * and traffic counters (from the service's Session object), and the negotiation timeline
 * (FerryTimeline).  It follows the connection's NMActiveConnection and the nm-ferry-service
 * instance that runs it by itself (FerrySessionMonitor on NMClient's bus).
 *
 * Test hooks: FERRY_GUI_DUMP_TIMELINE=FILE writes what the panel shows as text after each
 * change; FERRY_GUI_SCREENSHOT=FILE.png saves the panel's window as a PNG on SIGUSR1.
 */
#pragma once

#include <adwaita.h>
#include <NetworkManager.h>

G_BEGIN_DECLS

#define FERRY_TYPE_STATUS_PANEL (ferry_status_panel_get_type())
G_DECLARE_FINAL_TYPE(FerryStatusPanel, ferry_status_panel, FERRY, STATUS_PANEL, GtkWidget)

/* @client: (nullable): without it the panel follows the Session object only. */
GtkWidget *ferry_status_panel_new(NMClient *client);

/* NULL clears; the panel follows that connection's NMActiveConnection/VPN state itself. */
void ferry_status_panel_set_connection(FerryStatusPanel *self, NMRemoteConnection *connection);

/* Follows the Session object of connection @uuid on @bus (what set_connection does with
 * NMClient's bus; tests use a private one).  NULL @uuid clears. */
void ferry_status_panel_follow(FerryStatusPanel *self,
                               GDBusConnection *bus,
                               const char *uuid,
                               const char *name);

/* What the panel shows, as text: the header's lines, then the timeline's.  (transfer full) */
char *ferry_status_panel_dup_text(FerryStatusPanel *self);

/* Renders the panel's window into a PNG file. */
gboolean
ferry_status_panel_save_screenshot(FerryStatusPanel *self, const char *path, GError **error);

G_END_DECLS
