/* ferry-secret-store.c - FerrySecretStore: the interface's dispatch */
#include "config.h"

#include "ferry-autocleanups.h"
#include "ferry-secret-store.h"
#include "nm-ferry-keys.h"

G_DEFINE_INTERFACE(FerrySecretStore, ferry_secret_store, G_TYPE_OBJECT)

static void
ferry_secret_store_default_init(FerrySecretStoreInterface *iface)
{
}

gboolean
ferry_secret_store_store(FerrySecretStore *self,
                         const char *uuid,
                         const char *connection_name,
                         const char *key,
                         const FerrySecret *value,
                         GError **error)
{
	g_return_val_if_fail(FERRY_IS_SECRET_STORE(self), FALSE);
	g_return_val_if_fail(uuid != NULL && key != NULL && value != NULL, FALSE);
	g_return_val_if_fail(error == NULL || *error == NULL, FALSE);

	return FERRY_SECRET_STORE_GET_IFACE(self)->store(self, uuid, connection_name, key, value,
	                                                 error);
}

FerrySecret *
ferry_secret_store_lookup(FerrySecretStore *self, const char *uuid, const char *key, GError **error)
{
	g_return_val_if_fail(FERRY_IS_SECRET_STORE(self), NULL);
	g_return_val_if_fail(uuid != NULL && key != NULL, NULL);
	g_return_val_if_fail(error == NULL || *error == NULL, NULL);

	return FERRY_SECRET_STORE_GET_IFACE(self)->lookup(self, uuid, key, error);
}

gboolean
ferry_secret_store_clear(FerrySecretStore *self, const char *uuid, const char *key, GError **error)
{
	g_return_val_if_fail(FERRY_IS_SECRET_STORE(self), FALSE);
	g_return_val_if_fail(uuid != NULL, FALSE);
	g_return_val_if_fail(error == NULL || *error == NULL, FALSE);

	return FERRY_SECRET_STORE_GET_IFACE(self)->clear(self, uuid, key, error);
}

/* --- NMConnection helpers ------------------------------------------------------------ */

static NMSettingSecretFlags
get_flags(NMSettingVpn *s_vpn, const char *key)
{
	NMSettingSecretFlags flags = NM_SETTING_SECRET_FLAG_NONE;

	nm_setting_get_secret_flags(NM_SETTING(s_vpn), key, &flags, NULL);
	return flags;
}

void
ferry_secret_store_mark_agent_owned(NMConnection *connection)
{
	NMSettingVpn *s_vpn;
	const NMFerryKey *keys;
	guint n;

	g_return_if_fail(NM_IS_CONNECTION(connection));

	s_vpn = nm_connection_get_setting_vpn(connection);
	if (!s_vpn)
		return;
	keys = nm_ferry_keys_get_all(&n);
	for (guint i = 0; i < n; i++) {
		if (keys[i].type == NM_FERRY_KEY_SECRET &&
		    get_flags(s_vpn, keys[i].name) == NM_SETTING_SECRET_FLAG_NONE)
			nm_setting_set_secret_flags(NM_SETTING(s_vpn), keys[i].name,
			                            NM_SETTING_SECRET_FLAG_AGENT_OWNED, NULL);
	}
}

void
ferry_secret_store_mark_system_owned(NMConnection *connection)
{
	NMSettingVpn *s_vpn;
	const NMFerryKey *keys;
	guint n;

	g_return_if_fail(NM_IS_CONNECTION(connection));

	s_vpn = nm_connection_get_setting_vpn(connection);
	if (!s_vpn)
		return;
	keys = nm_ferry_keys_get_all(&n);
	for (guint i = 0; i < n; i++) {
		if (keys[i].type == NM_FERRY_KEY_SECRET &&
		    get_flags(s_vpn, keys[i].name) == NM_SETTING_SECRET_FLAG_AGENT_OWNED &&
		    nm_setting_vpn_get_secret(s_vpn, keys[i].name))
			nm_setting_set_secret_flags(NM_SETTING(s_vpn), keys[i].name,
			                            NM_SETTING_SECRET_FLAG_NONE, NULL);
	}
}

gboolean
ferry_secret_store_take_secrets(FerrySecretStore *self, NMConnection *connection, GError **error)
{
	NMSettingVpn *s_vpn;
	const NMFerryKey *keys;
	const char *uuid;
	guint n;

	g_return_val_if_fail(FERRY_IS_SECRET_STORE(self), FALSE);
	g_return_val_if_fail(NM_IS_CONNECTION(connection), FALSE);

	s_vpn = nm_connection_get_setting_vpn(connection);
	uuid = nm_connection_get_uuid(connection);
	if (!s_vpn || !uuid)
		return TRUE;
	keys = nm_ferry_keys_get_all(&n);
	for (guint i = 0; i < n; i++) {
		NMSettingSecretFlags flags;
		const char *value;
		g_autoptr(FerrySecret) secret = NULL;

		if (keys[i].type != NM_FERRY_KEY_SECRET)
			continue;
		flags = get_flags(s_vpn, keys[i].name);
		if (flags &
		    (NM_SETTING_SECRET_FLAG_NOT_SAVED | NM_SETTING_SECRET_FLAG_NOT_REQUIRED)) {
			if (!ferry_secret_store_clear(self, uuid, keys[i].name, error))
				return FALSE;
			nm_setting_vpn_remove_secret(s_vpn, keys[i].name);
			continue;
		}
		value = nm_setting_vpn_get_secret(s_vpn, keys[i].name);
		if (!(flags & NM_SETTING_SECRET_FLAG_AGENT_OWNED) || !value)
			continue;
		secret = ferry_secret_new_from_string(value);
		if (!ferry_secret_store_store(self, uuid, nm_connection_get_id(connection),
		                              keys[i].name, secret, error))
			return FALSE;
		nm_setting_vpn_remove_secret(s_vpn, keys[i].name);
	}
	return TRUE;
}

gboolean
ferry_secret_store_fill_secrets(FerrySecretStore *self, NMConnection *connection, GError **error)
{
	NMSettingVpn *s_vpn;
	const NMFerryKey *keys;
	const char *uuid;
	guint n;

	g_return_val_if_fail(FERRY_IS_SECRET_STORE(self), FALSE);
	g_return_val_if_fail(NM_IS_CONNECTION(connection), FALSE);

	s_vpn = nm_connection_get_setting_vpn(connection);
	uuid = nm_connection_get_uuid(connection);
	if (!s_vpn || !uuid)
		return TRUE;
	keys = nm_ferry_keys_get_all(&n);
	for (guint i = 0; i < n; i++) {
		g_autoptr(FerrySecret) secret = NULL;
		g_autoptr(GError) local = NULL;

		if (keys[i].type != NM_FERRY_KEY_SECRET ||
		    !(get_flags(s_vpn, keys[i].name) & NM_SETTING_SECRET_FLAG_AGENT_OWNED))
			continue;
		secret = ferry_secret_store_lookup(self, uuid, keys[i].name, &local);
		if (local) {
			g_propagate_error(error, g_steal_pointer(&local));
			return FALSE;
		}
		if (secret)
			nm_setting_vpn_add_secret(s_vpn, keys[i].name, (const char *)secret->data);
	}
	return TRUE;
}
