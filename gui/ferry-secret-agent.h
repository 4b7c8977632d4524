/* ferry-secret-agent.h - FerrySecretAgent: hands NetworkManager the secrets ferry-gui keeps
 *
 * A NetworkManager secret agent (NMSecretAgentOld) registered while ferry-gui runs, so that
 * the agent-owned secrets it stored in the keyring reach NetworkManager on desktops without
 * GNOME Shell's agent (which reads the same items).  It answers only for Ferry VPN
 * connections and never prompts: with nothing stored it declines, and NetworkManager asks
 * the next agent.  NetworkManager's save and delete requests update the store.
 */
#pragma once

#include <NetworkManager.h>
#include <nm-secret-agent-old.h>

#include "ferry-secret-store.h"

G_BEGIN_DECLS

/* libnm 1.42 registers no g_autoptr() cleanup for its agent base class. */
G_DEFINE_AUTOPTR_CLEANUP_FUNC(NMSecretAgentOld, g_object_unref)

#define FERRY_TYPE_SECRET_AGENT (ferry_secret_agent_get_type())
G_DECLARE_FINAL_TYPE(FerrySecretAgent, ferry_secret_agent, FERRY, SECRET_AGENT, NMSecretAgentOld)

/* Registers with NetworkManager in the background; @callback gets the agent or an error
 * (NetworkManager not running) through g_async_initable_new_finish(). */
void ferry_secret_agent_new_async(FerrySecretStore *store,
                                  GCancellable *cancellable,
                                  GAsyncReadyCallback callback,
                                  gpointer user_data);
FerrySecretAgent *ferry_secret_agent_new_finish(GAsyncResult *result, GError **error);

/**
 * ferry_secret_agent_build_secrets:
 * The reply to GetSecrets for @connection's "vpn" setting: {"vpn": {"secrets": a{ss}}} with
 * every agent-owned secret the store holds.
 *
 * Returns: (transfer floating): the dictionary, or NULL with @error
 * (NM_SECRET_AGENT_ERROR_NO_SECRETS when it is not a Ferry connection, nothing is stored, or
 * @flags ask for new secrets: the stored ones failed, and this agent does not prompt).
 */
GVariant *ferry_secret_agent_build_secrets(FerrySecretStore *store,
                                           NMConnection *connection,
                                           const char *setting_name,
                                           NMSecretAgentGetSecretsFlags flags,
                                           GError **error);

G_END_DECLS
