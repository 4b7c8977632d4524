/* ferry-secret-agent.c - FerrySecretAgent: NetworkManager's GetSecrets from FerrySecretStore */
#include "config.h"

#include <glib/gi18n.h>

#include "ferry-profile-list.h"
#include "ferry-secret-agent.h"
#include "nm-ferry-keys.h"

struct _FerrySecretAgent {
	NMSecretAgentOld parent;

	/* owned */
	FerrySecretStore *store;
};

enum {
	PROP_0,
	PROP_STORE,
};

G_DEFINE_FINAL_TYPE(FerrySecretAgent, ferry_secret_agent, NM_TYPE_SECRET_AGENT_OLD)

GVariant *
ferry_secret_agent_build_secrets(FerrySecretStore *store,
                                 NMConnection *connection,
                                 const char *setting_name,
                                 NMSecretAgentGetSecretsFlags flags,
                                 GError **error)
{
	g_autoptr(NMConnection) copy = NULL;
	NMSettingVpn *s_vpn;
	g_autofree const char **keys = NULL;
	guint n_keys = 0;
	GVariantBuilder secrets;
	GVariantBuilder setting;
	GVariantBuilder reply;

	g_return_val_if_fail(FERRY_IS_SECRET_STORE(store), NULL);
	g_return_val_if_fail(NM_IS_CONNECTION(connection), NULL);

	/* New secrets mean the stored ones were rejected: let an agent that can ask do it. */
	if (flags & NM_SECRET_AGENT_GET_SECRETS_FLAG_REQUEST_NEW) {
		g_set_error(error, NM_SECRET_AGENT_ERROR, NM_SECRET_AGENT_ERROR_NO_SECRETS,
		            "new secrets requested; ferry-gui does not prompt");
		return NULL;
	}
	if (g_strcmp0(setting_name, NM_SETTING_VPN_SETTING_NAME) != 0 ||
	    !ferry_profile_list_accepts(connection)) {
		g_set_error(error, NM_SECRET_AGENT_ERROR, NM_SECRET_AGENT_ERROR_NO_SECRETS,
		            "not a Ferry VPN connection");
		return NULL;
	}
	/* The request's connection carries the flags; a copy gets the store's secrets only. */
	copy = nm_simple_connection_new_clone(connection);
	nm_connection_clear_secrets(copy);
	s_vpn = nm_connection_get_setting_vpn(copy);
	if (!ferry_secret_store_fill_secrets(store, copy, error))
		return NULL;
	keys = nm_setting_vpn_get_secret_keys(s_vpn, &n_keys);
	if (n_keys == 0) {
		g_set_error(error, NM_SECRET_AGENT_ERROR, NM_SECRET_AGENT_ERROR_NO_SECRETS,
		            "no secrets stored for %s", nm_connection_get_uuid(copy));
		return NULL;
	}
	g_variant_builder_init(&secrets, G_VARIANT_TYPE("a{ss}"));
	for (guint i = 0; i < n_keys; i++)
		g_variant_builder_add(&secrets, "{ss}", keys[i],
		                      nm_setting_vpn_get_secret(s_vpn, keys[i]));
	g_variant_builder_init(&setting, G_VARIANT_TYPE("a{sv}"));
	g_variant_builder_add(&setting, "{sv}", NM_SETTING_VPN_SECRETS,
	                      g_variant_builder_end(&secrets));
	g_variant_builder_init(&reply, G_VARIANT_TYPE("a{sa{sv}}"));
	g_variant_builder_add(&reply, "{sa{sv}}", NM_SETTING_VPN_SETTING_NAME, &setting);
	return g_variant_builder_end(&reply);
}

static void
get_secrets(NMSecretAgentOld *agent,
            NMConnection *connection,
            const char *connection_path,
            const char *setting_name,
            const char **hints,
            NMSecretAgentGetSecretsFlags flags,
            NMSecretAgentOldGetSecretsFunc callback,
            gpointer user_data)
{
	FerrySecretAgent *self = FERRY_SECRET_AGENT(agent);
	g_autoptr(GError) error = NULL;
	g_autoptr(GVariant) secrets = NULL;

	secrets = ferry_secret_agent_build_secrets(self->store, connection, setting_name, flags,
	                                           &error);
	if (secrets)
		g_variant_ref_sink(secrets);
	callback(agent, connection, secrets, error, user_data);
}

static void
cancel_get_secrets(NMSecretAgentOld *agent, const char *connection_path, const char *setting_name)
{
	/* get_secrets() answers before it returns: nothing is ever outstanding. */
}

static void
save_secrets(NMSecretAgentOld *agent,
             NMConnection *connection,
             const char *connection_path,
             NMSecretAgentOldSaveSecretsFunc callback,
             gpointer user_data)
{
	FerrySecretAgent *self = FERRY_SECRET_AGENT(agent);
	g_autoptr(NMConnection) copy = nm_simple_connection_new_clone(connection);
	g_autoptr(GError) error = NULL;

	if (ferry_profile_list_accepts(copy))
		ferry_secret_store_take_secrets(self->store, copy, &error);
	callback(agent, connection, error, user_data);
}

static void
delete_secrets(NMSecretAgentOld *agent,
               NMConnection *connection,
               const char *connection_path,
               NMSecretAgentOldDeleteSecretsFunc callback,
               gpointer user_data)
{
	FerrySecretAgent *self = FERRY_SECRET_AGENT(agent);
	g_autoptr(GError) error = NULL;

	if (ferry_profile_list_accepts(connection) && nm_connection_get_uuid(connection))
		ferry_secret_store_clear(self->store, nm_connection_get_uuid(connection), NULL,
		                         &error);
	callback(agent, connection, error, user_data);
}

static void
ferry_secret_agent_dispose(GObject *object)
{
	FerrySecretAgent *self = FERRY_SECRET_AGENT(object);

	g_clear_object(&self->store);
	G_OBJECT_CLASS(ferry_secret_agent_parent_class)->dispose(object);
}

static void
set_property(GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
	FerrySecretAgent *self = FERRY_SECRET_AGENT(object);

	switch (prop_id) {
	case PROP_STORE:
		self->store = g_value_dup_object(value);
		break;
	default:
		G_OBJECT_WARN_INVALID_PROPERTY_ID(object, prop_id, pspec);
		break;
	}
}

static void
ferry_secret_agent_class_init(FerrySecretAgentClass *klass)
{
	NMSecretAgentOldClass *agent_class = NM_SECRET_AGENT_OLD_CLASS(klass);
	GObjectClass *object_class = G_OBJECT_CLASS(klass);

	object_class->dispose = ferry_secret_agent_dispose;
	object_class->set_property = set_property;
	g_object_class_install_property(
		object_class, PROP_STORE,
		g_param_spec_object("store", NULL, NULL, FERRY_TYPE_SECRET_STORE,
	                            G_PARAM_WRITABLE | G_PARAM_CONSTRUCT_ONLY |
	                                    G_PARAM_STATIC_STRINGS));
	agent_class->get_secrets = get_secrets;
	agent_class->cancel_get_secrets = cancel_get_secrets;
	agent_class->save_secrets = save_secrets;
	agent_class->delete_secrets = delete_secrets;
}

static void
ferry_secret_agent_init(FerrySecretAgent *self)
{
}

void
ferry_secret_agent_new_async(FerrySecretStore *store,
                             GCancellable *cancellable,
                             GAsyncReadyCallback callback,
                             gpointer user_data)
{
	g_return_if_fail(FERRY_IS_SECRET_STORE(store));

	g_async_initable_new_async(FERRY_TYPE_SECRET_AGENT, G_PRIORITY_DEFAULT, cancellable,
	                           callback, user_data, NM_SECRET_AGENT_OLD_IDENTIFIER,
	                           FERRY_APP_ID, NM_SECRET_AGENT_OLD_AUTO_REGISTER, TRUE, "store",
	                           store, NULL);
}

FerrySecretAgent *
ferry_secret_agent_new_finish(GAsyncResult *result, GError **error)
{
	g_autoptr(GObject) source = g_async_result_get_source_object(result);

	return FERRY_SECRET_AGENT(
		g_async_initable_new_finish(G_ASYNC_INITABLE(source), result, error));
}
