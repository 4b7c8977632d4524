/* ferry-secret-store-libsecret.c - FerrySecretStore in the user's keyring (libsecret) */
#include "config.h"

#include <glib/gi18n.h>
#include <libsecret/secret.h>

#include "ferry-autocleanups.h"
#include "ferry-secret-store.h"

#define FERRY_TYPE_SECRET_STORE_LIBSECRET (ferry_secret_store_libsecret_get_type())
G_DECLARE_FINAL_TYPE(FerrySecretStoreLibsecret,
                     ferry_secret_store_libsecret,
                     FERRY,
                     SECRET_STORE_LIBSECRET,
                     GObject)

struct _FerrySecretStoreLibsecret {
	GObject parent;
};

static void secret_store_iface_init(FerrySecretStoreInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE(FerrySecretStoreLibsecret,
                              ferry_secret_store_libsecret,
                              G_TYPE_OBJECT,
                              G_IMPLEMENT_INTERFACE(FERRY_TYPE_SECRET_STORE,
                                                    secret_store_iface_init))

/* NetworkManager's schema; DONT_MATCH_NAME so items other programs stored under it match. */
static const SecretSchema *
get_schema(void)
{
	static const SecretSchema schema = {
		FERRY_SECRET_SCHEMA_NAME,
		SECRET_SCHEMA_DONT_MATCH_NAME,
		{
                  {FERRY_SECRET_ATTR_UUID, SECRET_SCHEMA_ATTRIBUTE_STRING},
                  {FERRY_SECRET_ATTR_SETTING, SECRET_SCHEMA_ATTRIBUTE_STRING},
                  {FERRY_SECRET_ATTR_KEY, SECRET_SCHEMA_ATTRIBUTE_STRING},
                  {NULL, 0},
		  },
	};

	return &schema;
}

static gboolean
clear_secret(FerrySecretStore *store, const char *uuid, const char *key, GError **error);

static gboolean
store_secret(FerrySecretStore *store,
             const char *uuid,
             const char *connection_name,
             const char *key,
             const FerrySecret *value,
             GError **error)
{
	g_autofree char *label = NULL;

	/* The label NetworkManager's agents give their items. */
	label = g_strdup_printf("Network secret for %s/%s/%s",
	                        connection_name ? connection_name : uuid, FERRY_SECRET_SETTING_VPN,
	                        key);
	/* Replace by delete + create: gnome-keyring-daemon 42 can drop off the bus when an item
	 * is replaced in a keyring it created with --unlock (seen in tests/gui). */
	if (!clear_secret(store, uuid, key, error))
		return FALSE;
	/* FerrySecret keeps a NUL after its bytes (ferry_secret_new_from_string()). */
	return secret_password_store_sync(
		get_schema(), SECRET_COLLECTION_DEFAULT, label, (const char *)value->data, NULL,
		error, FERRY_SECRET_ATTR_UUID, uuid, FERRY_SECRET_ATTR_SETTING,
		FERRY_SECRET_SETTING_VPN, FERRY_SECRET_ATTR_KEY, key, NULL);
}

static FerrySecret *
lookup_secret(FerrySecretStore *store, const char *uuid, const char *key, GError **error)
{
	char *text;
	FerrySecret *secret;

	text = secret_password_lookup_nonpageable_sync(
		get_schema(), NULL, error, FERRY_SECRET_ATTR_UUID, uuid, FERRY_SECRET_ATTR_SETTING,
		FERRY_SECRET_SETTING_VPN, FERRY_SECRET_ATTR_KEY, key, NULL);
	if (!text)
		return NULL;
	secret = ferry_secret_new_from_string(text);
	secret_password_free(text);
	return secret;
}

static gboolean
clear_secret(FerrySecretStore *store, const char *uuid, const char *key, GError **error)
{
	g_autoptr(GError) local = NULL;

	if (key)
		secret_password_clear_sync(get_schema(), NULL, &local, FERRY_SECRET_ATTR_UUID, uuid,
		                           FERRY_SECRET_ATTR_SETTING, FERRY_SECRET_SETTING_VPN,
		                           FERRY_SECRET_ATTR_KEY, key, NULL);
	else
		secret_password_clear_sync(get_schema(), NULL, &local, FERRY_SECRET_ATTR_UUID, uuid,
		                           FERRY_SECRET_ATTR_SETTING, FERRY_SECRET_SETTING_VPN,
		                           NULL);
	if (local) {
		g_propagate_error(error, g_steal_pointer(&local));
		return FALSE;
	}
	return TRUE;
}

static void
secret_store_iface_init(FerrySecretStoreInterface *iface)
{
	iface->store = store_secret;
	iface->lookup = lookup_secret;
	iface->clear = clear_secret;
}

static void
ferry_secret_store_libsecret_class_init(FerrySecretStoreLibsecretClass *klass)
{
}

static void
ferry_secret_store_libsecret_init(FerrySecretStoreLibsecret *self)
{
}

FerrySecretStore *
ferry_secret_store_libsecret_new(void)
{
	return g_object_new(FERRY_TYPE_SECRET_STORE_LIBSECRET, NULL);
}
