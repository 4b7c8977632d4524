/* ferry-profile-list.h - FerryProfileList: the GListModel of Ferry connections, sorted by name
 *
 * Holds a FerryConnectionItem per NMConnection whose vpn.service-type is Ferry's; other
 * connections are ignored.  Fed either by hand (ferry_profile_list_add(), for tests and
 * unsaved connections) or by an NMClient (ferry_profile_list_set_client()), whose connection
 * and active-connection signals then keep the list and each item's state current.
 */
#pragma once

#include <gio/gio.h>
#include <NetworkManager.h>

#include "ferry-connection-item.h"

G_BEGIN_DECLS

#define FERRY_TYPE_PROFILE_LIST (ferry_profile_list_get_type())
G_DECLARE_FINAL_TYPE(FerryProfileList, ferry_profile_list, FERRY, PROFILE_LIST, GObject)

FerryProfileList *ferry_profile_list_new(void);

/* TRUE when @connection is a Ferry VPN connection. */
gboolean ferry_profile_list_accepts(NMConnection *connection);

/* Adds (or replaces the item of the same uuid); returns the item, NULL when not Ferry's. */
FerryConnectionItem *ferry_profile_list_add(FerryProfileList *self, NMConnection *connection);
/* Removes the item of @uuid; FALSE when there is none. */
gboolean ferry_profile_list_remove(FerryProfileList *self, const char *uuid);
/* (transfer none) (nullable) */
FerryConnectionItem *ferry_profile_list_find(FerryProfileList *self, const char *uuid);
/* Position of @uuid, or -1. */
int ferry_profile_list_find_position(FerryProfileList *self, const char *uuid);

/* Follows @client (nullable: stop following and empty the list). */
void ferry_profile_list_set_client(FerryProfileList *self, NMClient *client);
/* (transfer none) (nullable) */
NMClient *ferry_profile_list_get_client(FerryProfileList *self);

G_END_DECLS
