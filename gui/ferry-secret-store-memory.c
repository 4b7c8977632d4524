/* ferry-secret-store-memory.c - FerrySecretStore in a hash table, for tests */
#include "config.h"

#include "ferry-autocleanups.h"
#include "ferry-secret-store.h"

#define FERRY_TYPE_SECRET_STORE_MEMORY (ferry_secret_store_memory_get_type())
G_DECLARE_FINAL_TYPE(
	FerrySecretStoreMemory, ferry_secret_store_memory, FERRY, SECRET_STORE_MEMORY, GObject)

struct _FerrySecretStoreMemory {
	GObject parent;

	/* owned */
	GHashTable *secrets;  /* "uuid\nkey" -> FerrySecret */
	GIOErrorEnum failure; /* 0: calls succeed */
};

static void secret_store_iface_init(FerrySecretStoreInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE(FerrySecretStoreMemory,
                              ferry_secret_store_memory,
                              G_TYPE_OBJECT,
                              G_IMPLEMENT_INTERFACE(FERRY_TYPE_SECRET_STORE,
                                                    secret_store_iface_init))

static gboolean
check_failure(FerrySecretStoreMemory *self, GError **error)
{
	if (!self->failure)
		return TRUE;
	g_set_error(error, G_IO_ERROR, self->failure, "the memory secret store is set to fail");
	return FALSE;
}

static char *
make_id(const char *uuid, const char *key)
{
	return g_strconcat(uuid, "\n", key, NULL);
}

static gboolean
store_secret(FerrySecretStore *store,
             const char *uuid,
             const char *connection_name,
             const char *key,
             const FerrySecret *value,
             GError **error)
{
	FerrySecretStoreMemory *self = FERRY_SECRET_STORE_MEMORY(store);

	if (!check_failure(self, error))
		return FALSE;
	g_hash_table_replace(self->secrets, make_id(uuid, key), ferry_secret_dup(value));
	return TRUE;
}

static FerrySecret *
lookup_secret(FerrySecretStore *store, const char *uuid, const char *key, GError **error)
{
	FerrySecretStoreMemory *self = FERRY_SECRET_STORE_MEMORY(store);
	g_autofree char *id = make_id(uuid, key);
	FerrySecret *secret;

	if (!check_failure(self, error))
		return NULL;
	secret = g_hash_table_lookup(self->secrets, id);
	return secret ? ferry_secret_dup(secret) : NULL;
}

static gboolean
clear_secret(FerrySecretStore *store, const char *uuid, const char *key, GError **error)
{
	FerrySecretStoreMemory *self = FERRY_SECRET_STORE_MEMORY(store);
	g_autofree char *prefix = g_strconcat(uuid, "\n", NULL);
	GHashTableIter iter;
	gpointer id;

	if (!check_failure(self, error))
		return FALSE;
	if (key) {
		g_autofree char *exact = make_id(uuid, key);

		g_hash_table_remove(self->secrets, exact);
		return TRUE;
	}
	g_hash_table_iter_init(&iter, self->secrets);
	while (g_hash_table_iter_next(&iter, &id, NULL)) {
		if (g_str_has_prefix(id, prefix))
			g_hash_table_iter_remove(&iter);
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
ferry_secret_store_memory_finalize(GObject *object)
{
	FerrySecretStoreMemory *self = FERRY_SECRET_STORE_MEMORY(object);

	g_hash_table_unref(self->secrets);
	G_OBJECT_CLASS(ferry_secret_store_memory_parent_class)->finalize(object);
}

static void
ferry_secret_store_memory_class_init(FerrySecretStoreMemoryClass *klass)
{
	G_OBJECT_CLASS(klass)->finalize = ferry_secret_store_memory_finalize;
}

static void
ferry_secret_store_memory_init(FerrySecretStoreMemory *self)
{
	self->secrets = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
	                                      (GDestroyNotify)ferry_secret_free);
}

FerrySecretStore *
ferry_secret_store_memory_new(void)
{
	return g_object_new(FERRY_TYPE_SECRET_STORE_MEMORY, NULL);
}

void
ferry_secret_store_memory_set_failure(FerrySecretStore *self, GIOErrorEnum code)
{
	g_return_if_fail(FERRY_IS_SECRET_STORE_MEMORY(self));

	FERRY_SECRET_STORE_MEMORY(self)->failure = code;
}

guint
ferry_secret_store_memory_count(FerrySecretStore *self)
{
	g_return_val_if_fail(FERRY_IS_SECRET_STORE_MEMORY(self), 0);

	return g_hash_table_size(FERRY_SECRET_STORE_MEMORY(self)->secrets);
}
