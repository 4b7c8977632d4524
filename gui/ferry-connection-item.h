/* ferry-connection-item.h - FerryConnectionItem: one Ferry VPN connection as the GUI shows it
 *
 * Wraps an NMConnection (an NMRemoteConnection from NMClient, or any NMConnection in tests)
 * and, while it is active, its NMActiveConnection.  Exposes what a list row shows: name,
 * gateway, a one-line summary, and the connection state; NetworkManager's failure reasons
 * become text a user understands (ferry_connection_item_get_failure()).
 */
#pragma once

#include <NetworkManager.h>

G_BEGIN_DECLS

typedef enum {
	FERRY_CONNECTION_STATE_DISCONNECTED,
	FERRY_CONNECTION_STATE_CONNECTING,
	FERRY_CONNECTION_STATE_CONNECTED,
	FERRY_CONNECTION_STATE_DISCONNECTING,
} FerryConnectionState;

GType ferry_connection_state_get_type(void);
#define FERRY_TYPE_CONNECTION_STATE (ferry_connection_state_get_type())

#define FERRY_TYPE_CONNECTION_ITEM (ferry_connection_item_get_type())
G_DECLARE_FINAL_TYPE(FerryConnectionItem, ferry_connection_item, FERRY, CONNECTION_ITEM, GObject)

FerryConnectionItem *ferry_connection_item_new(NMConnection *connection);

/* (transfer none) */
NMConnection *ferry_connection_item_get_connection(FerryConnectionItem *self);
const char *ferry_connection_item_get_uuid(FerryConnectionItem *self);
const char *ferry_connection_item_get_name(FerryConnectionItem *self);
/* (nullable): vpn.data "gateway" */
const char *ferry_connection_item_get_gateway(FerryConnectionItem *self);
/* "vpn.example.com · Certificate" */
char *ferry_connection_item_dup_summary(FerryConnectionItem *self);
FerryConnectionState ferry_connection_item_get_state(FerryConnectionItem *self);
/* Translated state name ("Connected"). */
const char *ferry_connection_state_to_string(FerryConnectionState state);

/* (nullable) (transfer none): the active connection followed, NULL when down. */
NMActiveConnection *ferry_connection_item_get_active(FerryConnectionItem *self);
/* Follows @active (nullable) for the state; emits ::failed when it fails. */
void ferry_connection_item_set_active(FerryConnectionItem *self, NMActiveConnection *active);
/* Sets the state directly (tests, and before NetworkManager reports an activation). */
void ferry_connection_item_set_state(FerryConnectionItem *self, FerryConnectionState state);

/* (nullable): text of the last failure, NULL after a clean connect or disconnect. */
const char *ferry_connection_item_get_failure(FerryConnectionItem *self);

/* Text for NetworkManager's reason a VPN connection went down; NULL for a user's or a clean
 * disconnect (no error to show). */
const char *ferry_vpn_reason_to_string(NMActiveConnectionStateReason reason);

G_END_DECLS
