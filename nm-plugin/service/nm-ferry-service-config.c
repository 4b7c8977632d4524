/* nm-ferry-service-config.c - connection -> profile, missing secrets, failure reasons */
#include "config.h"

#include <string.h>

#include "ferry-error.h"
#include "nm-ferry-keys.h"
#include "nm-ferry-service-config.h"

static void
to_invalid_connection(GError **error)
{
	if (error && *error &&
	    !g_error_matches(*error, NM_VPN_PLUGIN_ERROR, NM_VPN_PLUGIN_ERROR_INVALID_CONNECTION)) {
		GError *e = g_error_new_literal(NM_VPN_PLUGIN_ERROR,
		                                NM_VPN_PLUGIN_ERROR_INVALID_CONNECTION,
		                                (*error)->message);

		g_clear_error(error);
		*error = e;
	}
}

gboolean
nm_ferry_service_config_read(NMConnection *connection,
                             FerryProfile **profile,
                             FerryProfileSecrets **secrets,
                             GError **error)
{
	g_autoptr(FerryProfileSecrets) s = NULL;
	g_autoptr(FerryProfile) p = nm_ferry_keys_connection_to_profile(connection, &s, error);

	if (!p) {
		to_invalid_connection(error);
		return FALSE;
	}
	*profile = g_steal_pointer(&p);
	*secrets = g_steal_pointer(&s);
	return TRUE;
}

GStrv
nm_ferry_service_config_missing_secrets(NMConnection *connection, GError **error)
{
	g_autoptr(FerryProfile) profile = NULL;
	g_autoptr(FerryProfileSecrets) secrets = NULL;
	g_autoptr(GPtrArray) missing = g_ptr_array_new_with_free_func(g_free);
	NMSettingVpn *s_vpn;
	const NMFerryKey *keys;
	guint n;

	if (!nm_ferry_service_config_read(connection, &profile, &secrets, error))
		return NULL;
	s_vpn = nm_connection_get_setting_vpn(connection);
	keys = nm_ferry_keys_get_all(&n);
	for (guint i = 0; i < n; i++) {
		NMSettingSecretFlags flags = NM_SETTING_SECRET_FLAG_NONE;
		const char *value;

		if (keys[i].type != NM_FERRY_KEY_SECRET ||
		    !nm_ferry_keys_secret_needed(profile, keys[i].name))
			continue;
		nm_setting_get_secret_flags(NM_SETTING(s_vpn), keys[i].name, &flags, NULL);
		if (flags & NM_SETTING_SECRET_FLAG_NOT_REQUIRED)
			continue;
		value = nm_setting_vpn_get_secret(s_vpn, keys[i].name);
		if (!value || !*value)
			g_ptr_array_add(missing, g_strdup(keys[i].name));
	}
	if (!missing->len)
		return NULL;
	g_ptr_array_add(missing, NULL);
	return (GStrv)g_ptr_array_free(g_steal_pointer(&missing), FALSE);
}

/* Errors about a secret name it first ("psk: missing ..."). */
static gboolean
is_secret_error(const GError *error)
{
	static const char *const secrets[] = {"psk: ", "password: ", "key-passphrase: ", "pin: "};

	for (gsize i = 0; i < G_N_ELEMENTS(secrets); i++) {
		if (g_str_has_prefix(error->message, secrets[i]))
			return TRUE;
	}
	return FALSE;
}

NMVpnPluginFailure
nm_ferry_service_config_failure(const GError *error)
{
	if (!error || error->domain != FERRY_ERROR)
		return NM_VPN_PLUGIN_FAILURE_CONNECT_FAILED;
	switch ((FerryErrorCode)error->code) {
	case FERRY_ERROR_AUTH_FAILED:
		return NM_VPN_PLUGIN_FAILURE_LOGIN_FAILED;
	case FERRY_ERROR_CONFIG:
		return is_secret_error(error) ? NM_VPN_PLUGIN_FAILURE_LOGIN_FAILED
		                              : NM_VPN_PLUGIN_FAILURE_CONNECT_FAILED;
	case FERRY_ERROR_TS_UNACCEPTABLE:
		return NM_VPN_PLUGIN_FAILURE_BAD_IP_CONFIG;
	case FERRY_ERROR_RESOLVE:
	case FERRY_ERROR_TIMEOUT:
	case FERRY_ERROR_NO_PROPOSAL:
	case FERRY_ERROR_PEER_AUTH:
	case FERRY_ERROR_PEER_NOTIFY:
	case FERRY_ERROR_CERT:
	case FERRY_ERROR_IO:
	case FERRY_ERROR_CANCELLED:
	case FERRY_ERROR_PROTOCOL:
		break;
	}
	return NM_VPN_PLUGIN_FAILURE_CONNECT_FAILED;
}

const char *
nm_ferry_service_config_reask_hint(const FerryProfile *profile, NMConnection *connection)
{
	NMSettingVpn *s_vpn = nm_connection_get_setting_vpn(connection);
	NMSettingSecretFlags flags = NM_SETTING_SECRET_FLAG_NONE;
	const char *hint = NULL;

	switch (profile->auth) {
	case FERRY_AUTH_PSK:
		hint = "psk";
		break;
	case FERRY_AUTH_EAP_MSCHAPV2:
	case FERRY_AUTH_CERT_EAP:
		hint = "password";
		break;
	case FERRY_AUTH_CERT:
	case FERRY_AUTH_EAP_TLS:
		return NULL;
	}
	if (!s_vpn || !nm_setting_get_secret_flags(NM_SETTING(s_vpn), hint, &flags, NULL))
		return NULL;
	return flags & (NM_SETTING_SECRET_FLAG_AGENT_OWNED | NM_SETTING_SECRET_FLAG_NOT_SAVED)
	               ? hint
	               : NULL;
}

gboolean
nm_ferry_service_config_should_reask(const FerryProfile *profile,
                                     NMConnection *connection,
                                     const GError *error)
{
	return nm_ferry_service_config_failure(error) == NM_VPN_PLUGIN_FAILURE_LOGIN_FAILED &&
	       nm_ferry_service_config_reask_hint(profile, connection) != NULL;
}
