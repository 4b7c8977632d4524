/* nm-ferry-service-config.h - what the service makes of NetworkManager's connection and errors
 *
 * The decisions of the NMVpnServicePlugin vfuncs that need no running session: which secrets
 * are missing (NeedSecrets), the profile and secrets a Connect starts from, the D-Bus error
 * for a connection that cannot work, and the NMVpnPluginFailure for a session that ended.
 */
#pragma once

#include <NetworkManager.h>

#include "ferry-profile.h"

G_BEGIN_DECLS

/**
 * nm_ferry_service_config_read:
 * @profile: (out) (transfer full)
 * @secrets: (out) (transfer full)
 * @error: NM_VPN_PLUGIN_ERROR_INVALID_CONNECTION naming the key
 */
gboolean nm_ferry_service_config_read(NMConnection *connection,
                                      FerryProfile **profile,
                                      FerryProfileSecrets **secrets,
                                      GError **error);

/**
 * nm_ferry_service_config_missing_secrets:
 * Returns: (transfer full) (nullable): the secrets @connection needs but lacks (ignoring
 * those flagged NOT_REQUIRED), NULL when none; NULL with @error when the connection is
 * invalid.  NeedSecrets answers "vpn" when this is non-NULL.
 */
GStrv nm_ferry_service_config_missing_secrets(NMConnection *connection, GError **error);

/* How NetworkManager should report a session that ended with @error (FERRY_ERROR_*):
 * LOGIN_FAILED for rejected or missing credentials ("Invalid secrets"), BAD_IP_CONFIG for
 * unusable traffic selectors or addresses, CONNECT_FAILED otherwise. */
NMVpnPluginFailure nm_ferry_service_config_failure(const GError *error);

/* The secret to ask the user for again after the gateway rejected it ("password" or "psk"),
 * or NULL: only secrets the user supplies (agent-owned or ask-every-time) are asked again; a
 * wrong system-owned secret ends as LOGIN_FAILED ("Invalid secrets"). */
const char *nm_ferry_service_config_reask_hint(const FerryProfile *profile,
                                               NMConnection *connection);

/* TRUE when asking the user again may fix @error (see _reask_hint()). */
gboolean nm_ferry_service_config_should_reask(const FerryProfile *profile,
                                              NMConnection *connection,
                                              const GError *error);

G_END_DECLS
