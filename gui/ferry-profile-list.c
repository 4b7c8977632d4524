/* ferry-profile-list.c - FerryProfileList: Ferry connections from NMClient as a sorted GListModel
 */
#include "config.h"

#include <string.h>

#include "ferry-profile-list.h"
#include "nm-ferry-keys.h"

struct _FerryProfileList {
	GObject parent;

	/* owned */
	GPtrArray *items; /* FerryConnectionItem, sorted by name */
	NMClient *client;
};

static void list_model_iface_init(GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE(FerryProfileList,
                              ferry_profile_list,
                              G_TYPE_OBJECT,
                              G_IMPLEMENT_INTERFACE(G_TYPE_LIST_MODEL, list_model_iface_init))

static GType
get_item_type(GListModel *model)
{
	return FERRY_TYPE_CONNECTION_ITEM;
}

static guint
get_n_items(GListModel *model)
{
	return FERRY_PROFILE_LIST(model)->items->len;
}

static gpointer
get_item(GListModel *model, guint position)
{
	FerryProfileList *self = FERRY_PROFILE_LIST(model);

	if (position >= self->items->len)
		return NULL;
	return g_object_ref(self->items->pdata[position]);
}

static void
list_model_iface_init(GListModelInterface *iface)
{
	iface->get_item_type = get_item_type;
	iface->get_n_items = get_n_items;
	iface->get_item = get_item;
}

/* Case-insensitive in every locale (the C locale's collation is byte order). */
static char *
dup_sort_key(FerryConnectionItem *item)
{
	g_autofree char *folded = g_utf8_casefold(ferry_connection_item_get_name(item), -1);

	return g_utf8_collate_key(folded, -1);
}

static int
compare_items(FerryConnectionItem *a, FerryConnectionItem *b)
{
	g_autofree char *ka = dup_sort_key(a);
	g_autofree char *kb = dup_sort_key(b);
	int cmp = strcmp(ka, kb);

	return cmp ? cmp
	           : strcmp(ferry_connection_item_get_uuid(a), ferry_connection_item_get_uuid(b));
}

/* Position at which @item keeps the array sorted (the array does not hold it). */
static guint
find_insert_position(FerryProfileList *self, FerryConnectionItem *item)
{
	guint i;

	for (i = 0; i < self->items->len; i++) {
		if (compare_items(item, self->items->pdata[i]) < 0)
			break;
	}
	return i;
}

int
ferry_profile_list_find_position(FerryProfileList *self, const char *uuid)
{
	g_return_val_if_fail(FERRY_IS_PROFILE_LIST(self), -1);

	for (guint i = 0; uuid && i < self->items->len; i++) {
		if (g_strcmp0(ferry_connection_item_get_uuid(self->items->pdata[i]), uuid) == 0)
			return (int)i;
	}
	return -1;
}

FerryConnectionItem *
ferry_profile_list_find(FerryProfileList *self, const char *uuid)
{
	int pos = ferry_profile_list_find_position(self, uuid);

	return pos < 0 ? NULL : self->items->pdata[pos];
}

/* A renamed connection moves to its new place. */
static void
item_name_changed_cb(FerryConnectionItem *item, GParamSpec *pspec, FerryProfileList *self)
{
	guint old_pos, new_pos;

	if (!g_ptr_array_find(self->items, item, &old_pos))
		return;
	g_object_ref(item);
	g_ptr_array_remove_index(self->items, old_pos);
	new_pos = find_insert_position(self, item);
	g_ptr_array_insert(self->items, (int)new_pos, item);
	if (new_pos == old_pos) {
		g_list_model_items_changed(G_LIST_MODEL(self), old_pos, 1, 1);
		return;
	}
	g_list_model_items_changed(G_LIST_MODEL(self), old_pos, 1, 0);
	g_list_model_items_changed(G_LIST_MODEL(self), new_pos, 0, 1);
}

gboolean
ferry_profile_list_accepts(NMConnection *connection)
{
	NMSettingVpn *s_vpn;

	g_return_val_if_fail(NM_IS_CONNECTION(connection), FALSE);

	s_vpn = nm_connection_get_setting_vpn(connection);
	return s_vpn &&
	       g_strcmp0(nm_setting_vpn_get_service_type(s_vpn), NM_FERRY_VPN_SERVICE_TYPE) == 0;
}

static NMActiveConnection *
find_active(FerryProfileList *self, const char *uuid)
{
	const GPtrArray *actives;

	if (!self->client)
		return NULL;
	actives = nm_client_get_active_connections(self->client);
	for (guint i = 0; actives && i < actives->len; i++) {
		if (g_strcmp0(nm_active_connection_get_uuid(actives->pdata[i]), uuid) == 0)
			return actives->pdata[i];
	}
	return NULL;
}

FerryConnectionItem *
ferry_profile_list_add(FerryProfileList *self, NMConnection *connection)
{
	FerryConnectionItem *item;
	guint pos;

	g_return_val_if_fail(FERRY_IS_PROFILE_LIST(self), NULL);
	g_return_val_if_fail(NM_IS_CONNECTION(connection), NULL);

	if (!ferry_profile_list_accepts(connection) || !nm_connection_get_uuid(connection))
		return NULL;
	ferry_profile_list_remove(self, nm_connection_get_uuid(connection));
	item = ferry_connection_item_new(connection);
	ferry_connection_item_set_active(item,
	                                 find_active(self, nm_connection_get_uuid(connection)));
	g_signal_connect_object(item, "notify::name", G_CALLBACK(item_name_changed_cb), self, 0);
	pos = find_insert_position(self, item);
	g_ptr_array_insert(self->items, (int)pos, item);
	g_list_model_items_changed(G_LIST_MODEL(self), pos, 0, 1);
	return item;
}

gboolean
ferry_profile_list_remove(FerryProfileList *self, const char *uuid)
{
	int pos;

	g_return_val_if_fail(FERRY_IS_PROFILE_LIST(self), FALSE);

	pos = ferry_profile_list_find_position(self, uuid);
	if (pos < 0)
		return FALSE;
	g_signal_handlers_disconnect_by_data(self->items->pdata[pos], self);
	g_ptr_array_remove_index(self->items, (guint)pos);
	g_list_model_items_changed(G_LIST_MODEL(self), (guint)pos, 1, 0);
	return TRUE;
}

/* --- NMClient ----------------------------------------------------------------------- */

static void
connection_added_cb(NMClient *client, NMRemoteConnection *connection, FerryProfileList *self)
{
	ferry_profile_list_add(self, NM_CONNECTION(connection));
}

static void
connection_removed_cb(NMClient *client, NMRemoteConnection *connection, FerryProfileList *self)
{
	FerryConnectionItem *item =
		ferry_profile_list_find(self, nm_connection_get_uuid(NM_CONNECTION(connection)));

	/* Only the item of this very object: a re-added uuid may already have replaced it. */
	if (item && ferry_connection_item_get_connection(item) == NM_CONNECTION(connection))
		ferry_profile_list_remove(self, nm_connection_get_uuid(NM_CONNECTION(connection)));
}

static void
active_added_cb(NMClient *client, NMActiveConnection *active, FerryProfileList *self)
{
	FerryConnectionItem *item =
		ferry_profile_list_find(self, nm_active_connection_get_uuid(active));

	if (item)
		ferry_connection_item_set_active(item, active);
}

static void
active_removed_cb(NMClient *client, NMActiveConnection *active, FerryProfileList *self)
{
	FerryConnectionItem *item =
		ferry_profile_list_find(self, nm_active_connection_get_uuid(active));

	if (item && ferry_connection_item_get_active(item) == active)
		ferry_connection_item_set_active(item, NULL);
}

static void
clear_items(FerryProfileList *self)
{
	guint n = self->items->len;

	for (guint i = 0; i < n; i++)
		g_signal_handlers_disconnect_by_data(self->items->pdata[i], self);
	g_ptr_array_set_size(self->items, 0);
	if (n)
		g_list_model_items_changed(G_LIST_MODEL(self), 0, n, 0);
}

void
ferry_profile_list_set_client(FerryProfileList *self, NMClient *client)
{
	const GPtrArray *connections;

	g_return_if_fail(FERRY_IS_PROFILE_LIST(self));
	g_return_if_fail(!client || NM_IS_CLIENT(client));

	if (self->client)
		g_signal_handlers_disconnect_by_data(self->client, self);
	g_set_object(&self->client, client);
	clear_items(self);
	if (!client)
		return;
	g_signal_connect_object(client, NM_CLIENT_CONNECTION_ADDED, G_CALLBACK(connection_added_cb),
	                        self, 0);
	g_signal_connect_object(client, NM_CLIENT_CONNECTION_REMOVED,
	                        G_CALLBACK(connection_removed_cb), self, 0);
	g_signal_connect_object(client, NM_CLIENT_ACTIVE_CONNECTION_ADDED,
	                        G_CALLBACK(active_added_cb), self, 0);
	g_signal_connect_object(client, NM_CLIENT_ACTIVE_CONNECTION_REMOVED,
	                        G_CALLBACK(active_removed_cb), self, 0);
	connections = nm_client_get_connections(client);
	for (guint i = 0; connections && i < connections->len; i++)
		ferry_profile_list_add(self, connections->pdata[i]);
}

NMClient *
ferry_profile_list_get_client(FerryProfileList *self)
{
	g_return_val_if_fail(FERRY_IS_PROFILE_LIST(self), NULL);

	return self->client;
}

static void
ferry_profile_list_dispose(GObject *object)
{
	FerryProfileList *self = FERRY_PROFILE_LIST(object);

	if (self->client)
		g_signal_handlers_disconnect_by_data(self->client, self);
	g_clear_object(&self->client);
	if (self->items) {
		for (guint i = 0; i < self->items->len; i++)
			g_signal_handlers_disconnect_by_data(self->items->pdata[i], self);
		g_clear_pointer(&self->items, g_ptr_array_unref);
	}
	G_OBJECT_CLASS(ferry_profile_list_parent_class)->dispose(object);
}

static void
ferry_profile_list_class_init(FerryProfileListClass *klass)
{
	G_OBJECT_CLASS(klass)->dispose = ferry_profile_list_dispose;
}

static void
ferry_profile_list_init(FerryProfileList *self)
{
	self->items = g_ptr_array_new_with_free_func(g_object_unref);
}

FerryProfileList *
ferry_profile_list_new(void)
{
	return g_object_new(FERRY_TYPE_PROFILE_LIST, NULL);
}
