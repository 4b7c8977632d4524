/* ferry-notify.h - FerryNotify: desktop notifications when a Ferry connection's state changes
 *
 * Follows NetworkManager's active connections of our VPN type and sends one GNotification per
 * connection (id "ferry-<uuid>", replaced on each change): connected, could not connect (with
 * NetworkManager's reason), disconnected by the gateway or an error.  A disconnect the user
 * asked for withdraws the notification instead.
 */
#pragma once

#include <gio/gio.h>
#include <NetworkManager.h>

G_BEGIN_DECLS

#define FERRY_TYPE_NOTIFY (ferry_notify_get_type())
G_DECLARE_FINAL_TYPE(FerryNotify, ferry_notify, FERRY, NOTIFY, GObject)

/* @app: borrowed, must outlive the result; @client: (nullable) */
FerryNotify *ferry_notify_new(GApplication *app, NMClient *client);

/* What to tell about connection @name entering @state for @reason, @was_up if it had been
 * activated before: a title and body (transfer full), or FALSE when nothing is to be said
 * (and a notification shown earlier is to be withdrawn when @withdraw). */
gboolean ferry_notify_describe(const char *name,
                               gboolean was_up,
                               NMActiveConnectionState state,
                               NMActiveConnectionStateReason reason,
                               char **title,
                               char **body,
                               gboolean *withdraw);

G_END_DECLS
