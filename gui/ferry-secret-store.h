/* ferry-secret-store.h - FerrySecretStore: where the GUI keeps a connection's VPN secrets
 *
 * The interface, and two implementations: the user's keyring through libsecret under
 * NetworkManager's own schema (org.freedesktop.NetworkManager.Connection, attributes
 * connection-uuid, setting-name "vpn", setting-key the secret's name), so GNOME's secret
 * agent finds what Ferry stored and the other way round; and a memory store for tests.
 * Secrets cross this interface only as FerrySecret (wiped on free).  The calls block on the
 * keyring daemon (a local D-Bus round trip).
 */
#pragma once

#include <gio/gio.h>
#include <NetworkManager.h>

#include "ferry-secret.h"

G_BEGIN_DECLS

/* NetworkManager's libsecret schema and attributes (what nm-applet and GNOME Shell use). */
#define FERRY_SECRET_SCHEMA_NAME  "org.freedesktop.NetworkManager.Connection"
#define FERRY_SECRET_ATTR_UUID    "connection-uuid"
#define FERRY_SECRET_ATTR_SETTING "setting-name"
#define FERRY_SECRET_ATTR_KEY     "setting-key"
#define FERRY_SECRET_SETTING_VPN  "vpn"

#define FERRY_TYPE_SECRET_STORE (ferry_secret_store_get_type())
G_DECLARE_INTERFACE(FerrySecretStore, ferry_secret_store, FERRY, SECRET_STORE, GObject)

struct _FerrySecretStoreInterface {
	GTypeInterface parent;

	gboolean (*store)(FerrySecretStore *self,
	                  const char *uuid,
	                  const char *connection_name,
	                  const char *key,
	                  const FerrySecret *value,
	                  GError **error);
	/* NULL without error when there is none. */
	FerrySecret *(*lookup)(FerrySecretStore *self,
	                       const char *uuid,
	                       const char *key,
	                       GError **error);
	/* @key NULL: every secret of @uuid. */
	gboolean (*clear)(FerrySecretStore *self,
	                  const char *uuid,
	                  const char *key,
	                  GError **error);
};

/* @connection_name: for the keyring item's label only. */
gboolean ferry_secret_store_store(FerrySecretStore *self,
                                  const char *uuid,
                                  const char *connection_name,
                                  const char *key,
                                  const FerrySecret *value,
                                  GError **error);
/* Returns: (transfer full) (nullable): NULL with @error unset when no secret is stored. */
FerrySecret *ferry_secret_store_lookup(FerrySecretStore *self,
                                       const char *uuid,
                                       const char *key,
                                       GError **error);
/* Forgets @key (NULL: all) of @uuid; TRUE when nothing was there either. */
gboolean
ferry_secret_store_clear(FerrySecretStore *self, const char *uuid, const char *key, GError **error);

/* The user's keyring (default collection) through libsecret. */
FerrySecretStore *ferry_secret_store_libsecret_new(void);
/* A table in memory, for tests; after set_failure(code != 0) every call fails with that
 * G_IO_ERROR code. */
FerrySecretStore *ferry_secret_store_memory_new(void);
void ferry_secret_store_memory_set_failure(FerrySecretStore *self, GIOErrorEnum code);
/* Number of secrets held (tests). */
guint ferry_secret_store_memory_count(FerrySecretStore *self);

/* --- moving a connection's secrets between NetworkManager and the store --------------- */

/* Secrets with no flags (NetworkManager's default, system-owned) become agent-owned: kept in
 * the user's keyring, not in /etc.  Used on imported and new connections. */
void ferry_secret_store_mark_agent_owned(NMConnection *connection);
/* The reverse, for when no keyring can be reached: agent-owned secrets that have a value
 * become system-owned (NetworkManager stores them, readable by root only). */
void ferry_secret_store_mark_system_owned(NMConnection *connection);
/* Stores every agent-owned secret of @connection's vpn.secrets and removes it from there;
 * clears the stored ones whose flags say "not saved" or "not required".  NetworkManager
 * then receives the connection without them. */
gboolean
ferry_secret_store_take_secrets(FerrySecretStore *self, NMConnection *connection, GError **error);
/* Puts the stored agent-owned secrets into @connection's vpn.secrets (for the editor). */
gboolean
ferry_secret_store_fill_secrets(FerrySecretStore *self, NMConnection *connection, GError **error);

G_END_DECLS
