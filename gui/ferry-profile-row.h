/* ferry-profile-row.h - FerryProfileRow: one connection in the window's list
 *
 * Shows the item's name, gateway and authentication, its state, and a switch that asks for
 * win.connect(uuid) or win.disconnect(uuid); the switch follows NetworkManager's state, not
 * the click.
 */
#pragma once

#include <adwaita.h>

#include "ferry-connection-item.h"

G_BEGIN_DECLS

#define FERRY_TYPE_PROFILE_ROW (ferry_profile_row_get_type())
G_DECLARE_FINAL_TYPE(FerryProfileRow, ferry_profile_row, FERRY, PROFILE_ROW, AdwActionRow)

GtkWidget *ferry_profile_row_new(FerryConnectionItem *item);
/* (transfer none) */
FerryConnectionItem *ferry_profile_row_get_item(FerryProfileRow *self);
/* (transfer none): the connect switch, for tests */
GtkSwitch *ferry_profile_row_get_switch(FerryProfileRow *self);

G_END_DECLS
