/* nm-ferry-keys.c - the vpn.data/vpn.secrets key table and the NMSettingVpn <-> FerryProfile
 * mapping
 *
 * The values are parsed and checked by the profile library's own keyfile reader: vpn.data is
 * turned into a [profile] keyfile group (keys are identical), so NetworkManager, the CLI and
 * the profile files accept exactly the same values and give the same field-named errors.
 */
#include "config.h"

#include <errno.h>
#include <stddef.h>
#include <string.h>

#include "ferry-error.h"
#include "nm-ferry-keys.h"

static const char *const auth_choices[] = {"psk",     "cert",     "eap-mschapv2",
                                           "eap-tls", "cert+eap", NULL};
static const char *const match_choices[] = {"loose", "strict", NULL};
static const char *const pfs_choices[] = {"auto", "yes", "no", NULL};
static const char *const protocol_choices[] = {"esp", "ah", NULL};
static const char *const mode_choices[] = {"tunnel", "transport", NULL};
static const char *const encap_choices[] = {"auto", "force", NULL};

#define P(m) #m, G_STRUCT_OFFSET(FerryProfile, m)
#define S(m) #m, G_STRUCT_OFFSET(FerryProfileSecrets, m)
#define REQ  NM_FERRY_KEY_FLAG_REQUIRED
#define ADV  NM_FERRY_KEY_FLAG_ADVANCED
#define NONE NM_FERRY_KEY_FLAG_NONE

/* Grouped as the editor shows them: server, authentication, advanced. */
static const NMFerryKey keys[] = {
  /* server */
	{"gateway",            NM_FERRY_KEY_STRING, REQ,  NULL,           P(gateway),            NULL            },
	{"port",               NM_FERRY_KEY_PORT,   ADV,  "500",          P(port),               NULL            },
	{"remote-id",          NM_FERRY_KEY_STRING, NONE, NULL,           P(remote_id),          NULL            },
	{"remote-id-match",    NM_FERRY_KEY_ENUM,   NONE, NULL,           P(remote_id_strict),   match_choices   },
	{"ca-certs",           NM_FERRY_KEY_LIST,   NONE, NULL,           P(ca_certs),           NULL            },
	{"server-cert",        NM_FERRY_KEY_PATH,   NONE, NULL,           P(server_cert),        NULL            },
 /* authentication */
	{"auth",               NM_FERRY_KEY_ENUM,   NONE, "eap-mschapv2", P(auth),               auth_choices    },
	{"local-id",           NM_FERRY_KEY_STRING, NONE, NULL,           P(local_id),           NULL            },
	{"eap-identity",       NM_FERRY_KEY_STRING, NONE, NULL,           P(eap_identity),       NULL            },
	{"eap-only",           NM_FERRY_KEY_BOOL,   ADV,  "no",           P(eap_only),           NULL            },
	{"client-cert",        NM_FERRY_KEY_PATH,   NONE, NULL,           P(client_cert),        NULL            },
	{"client-key",         NM_FERRY_KEY_PATH,   NONE, NULL,           P(client_key),         NULL            },
	{"client-pkcs12",      NM_FERRY_KEY_PATH,   NONE, NULL,           P(client_pkcs12),      NULL            },
	{"client-pkcs11-uri",  NM_FERRY_KEY_STRING, NONE, NULL,           P(client_pkcs11_uri),  NULL            },
	{"rsa-pss",            NM_FERRY_KEY_BOOL,   ADV,  "no",           P(rsa_pss),            NULL            },
	{"send-certreq",       NM_FERRY_KEY_BOOL,   ADV,  "yes",          P(send_certreq),       NULL            },
	{"psk",		NM_FERRY_KEY_SECRET, NONE, NULL,           S(psk),                NULL            },
	{"password",           NM_FERRY_KEY_SECRET, NONE, NULL,           S(password),           NULL            },
	{"key-passphrase",     NM_FERRY_KEY_SECRET, NONE, NULL,           S(key_passphrase),     NULL            },
	{"pin",		NM_FERRY_KEY_SECRET, NONE, NULL,           S(pin),                NULL            },
 /* advanced: proposals and IPsec */
	{"ike-proposals",      NM_FERRY_KEY_STRING, ADV,  NULL,           P(ike_proposals),      NULL            },
	{"esp-proposals",      NM_FERRY_KEY_STRING, ADV,  NULL,           P(esp_proposals),      NULL            },
	{"pfs",		NM_FERRY_KEY_ENUM,   ADV,  "auto",         P(pfs),                pfs_choices     },
	{"protocol",           NM_FERRY_KEY_ENUM,   ADV,  "esp",          P(protocol),           protocol_choices},
	{"mode",               NM_FERRY_KEY_ENUM,   ADV,  "tunnel",       P(mode),               mode_choices    },
 /* advanced: traffic and DNS */
	{"include-subnets",    NM_FERRY_KEY_LIST,   ADV,  NULL,           P(include_subnets),    NULL            },
	{"exclude-subnets",    NM_FERRY_KEY_LIST,   ADV,  NULL,           P(exclude_subnets),    NULL            },
	{"dns-servers",        NM_FERRY_KEY_LIST,   ADV,  NULL,           P(dns_servers),        NULL            },
	{"dns-search-domains", NM_FERRY_KEY_LIST,   ADV,  NULL,           P(dns_search_domains), NULL            },
	{"dns-split-domains",  NM_FERRY_KEY_LIST,   ADV,  NULL,           P(dns_split_domains),  NULL            },
 /* advanced: transport and timers */
	{"mtu",		NM_FERRY_KEY_UINT,   ADV,  "0",            P(mtu),                NULL            },
	{"encap",              NM_FERRY_KEY_ENUM,   ADV,  "auto",         P(encap),              encap_choices   },
	{"nat-keepalive",      NM_FERRY_KEY_UINT,   ADV,  "20",           P(nat_keepalive),      NULL            },
	{"dpd",		NM_FERRY_KEY_UINT,   ADV,  "30",           P(dpd),                NULL            },
	{"ike-lifetime",       NM_FERRY_KEY_UINT,   ADV,  "14400",        P(ike_lifetime),       NULL            },
	{"child-lifetime",     NM_FERRY_KEY_UINT,   ADV,  "3600",         P(child_lifetime),     NULL            },
	{"ipv6-transport",     NM_FERRY_KEY_BOOL,   ADV,  "no",           P(ipv6_transport),     NULL            },
	{"virtual-ip4",        NM_FERRY_KEY_BOOL,   ADV,  "yes",          P(virtual_ip4),        NULL            },
	{"virtual-ip6",        NM_FERRY_KEY_BOOL,   ADV,  "yes",          P(virtual_ip6),        NULL            },
};

#undef P
#undef S
#undef REQ
#undef ADV
#undef NONE

/* Keyfile keys that come from the connection setting, never from vpn.data. */
static const char *const connection_keys[] = {"name", "uuid"};

#define VALID_SECRET_FLAGS                                                                         \
	(NM_SETTING_SECRET_FLAG_AGENT_OWNED | NM_SETTING_SECRET_FLAG_NOT_SAVED |                   \
	 NM_SETTING_SECRET_FLAG_NOT_REQUIRED)

const NMFerryKey *
nm_ferry_keys_get_all(guint *n_keys)
{
	*n_keys = G_N_ELEMENTS(keys);
	return keys;
}

const NMFerryKey *
nm_ferry_keys_lookup(const char *name)
{
	for (gsize i = 0; i < G_N_ELEMENTS(keys); i++) {
		if (strcmp(keys[i].name, name) == 0)
			return &keys[i];
	}
	return NULL;
}

static gboolean
is_connection_key(const char *key)
{
	for (gsize i = 0; i < G_N_ELEMENTS(connection_keys); i++) {
		if (strcmp(connection_keys[i], key) == 0)
			return TRUE;
	}
	return FALSE;
}

/* The secret whose flags @key holds ("psk-flags" -> psk entry), or NULL. */
static const NMFerryKey *
find_flags_owner(const char *key)
{
	g_autofree char *base = NULL;
	const NMFerryKey *k;

	if (!g_str_has_suffix(key, NM_FERRY_FLAGS_SUFFIX))
		return NULL;
	base = g_strndup(key, strlen(key) - strlen(NM_FERRY_FLAGS_SUFFIX));
	k = nm_ferry_keys_lookup(base);
	return k && k->type == NM_FERRY_KEY_SECRET ? k : NULL;
}

/* Splits a ','-separated vpn.data list; "\," and "\\" escape the separator and backslash,
 * surrounding spaces are dropped, and so are empty elements. */
static char **
split_list(const char *value)
{
	g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(GString) cur = g_string_new(NULL);

	for (const char *p = value;; p++) {
		if (*p == '\\' && (p[1] == NM_FERRY_LIST_SEPARATOR || p[1] == '\\')) {
			g_string_append_c(cur, *++p);
			continue;
		}
		if (*p && *p != NM_FERRY_LIST_SEPARATOR) {
			g_string_append_c(cur, *p);
			continue;
		}
		g_strstrip(cur->str);
		if (cur->str[0])
			g_ptr_array_add(out, g_strdup(cur->str));
		g_string_truncate(cur, 0);
		if (!*p)
			break;
	}
	g_ptr_array_add(out, NULL);
	return (char **)g_ptr_array_free(g_steal_pointer(&out), FALSE);
}

static char *
join_list(char **items)
{
	GString *out = g_string_new(NULL);

	for (guint i = 0; items && items[i]; i++) {
		if (i)
			g_string_append_c(out, NM_FERRY_LIST_SEPARATOR);
		for (const char *p = items[i]; *p; p++) {
			if (*p == NM_FERRY_LIST_SEPARATOR || *p == '\\')
				g_string_append_c(out, '\\');
			g_string_append_c(out, *p);
		}
	}
	return g_string_free(out, FALSE);
}

static gboolean
parse_secret_flags(const char *key, const char *value, GError **error)
{
	char *end = NULL;
	guint64 v;

	errno = 0;
	v = g_ascii_strtoull(value, &end, 10);
	if (!g_ascii_isdigit(*value) || errno || *end || (v & ~(guint64)VALID_SECRET_FLAGS)) {
		g_set_error(error, FERRY_ERROR, FERRY_ERROR_CONFIG,
		            "%s: '%s' is not a secret flags value (0-7)", key, value);
		return FALSE;
	}
	return TRUE;
}

/* Copies one vpn.data item into the [profile] keyfile group in keyfile syntax. */
static gboolean
put_data_item(GKeyFile *kf, const char *key, const char *value, GError **error)
{
	const NMFerryKey *k = nm_ferry_keys_lookup(key);

	if (find_flags_owner(key))
		return parse_secret_flags(key, value, error);
	if (is_connection_key(key)) {
		g_set_error(error, FERRY_ERROR, FERRY_ERROR_CONFIG,
		            "%s: not a vpn.data key (the connection's id and uuid hold it)", key);
		return FALSE;
	}
	if (k && k->type == NM_FERRY_KEY_SECRET) {
		g_set_error(error, FERRY_ERROR, FERRY_ERROR_CONFIG,
		            "%s: a secret belongs in vpn.secrets, not in vpn.data", key);
		return FALSE;
	}
	if (k && k->type == NM_FERRY_KEY_LIST) {
		g_auto(GStrv) items = split_list(value);

		g_key_file_set_string_list(kf, FERRY_PROFILE_GROUP, key, (const char *const *)items,
		                           g_strv_length(items));
		return TRUE;
	}
	if (k && k->type == NM_FERRY_KEY_BOOL) {
		if (g_ascii_strcasecmp(value, "yes") == 0 || g_ascii_strcasecmp(value, "true") == 0)
			value = "true";
		else if (g_ascii_strcasecmp(value, "no") == 0 ||
		         g_ascii_strcasecmp(value, "false") == 0)
			value = "false";
		else {
			g_set_error(error, FERRY_ERROR, FERRY_ERROR_CONFIG,
			            "%s: '%s' is neither yes nor no", key, value);
			return FALSE;
		}
	}
	/* Keys this table does not know go through too: the profile reader knows every field
	 * (and rejects what it does not know, naming the key). */
	g_key_file_set_string(kf, FERRY_PROFILE_GROUP, key, value);
	return TRUE;
}

/* Rewords the profile reader's errors for NetworkManager: name and uuid are the
 * connection's, and the [profile] group of an unknown key is an implementation detail. */
static void
reword_error(GError **error, const char *const *data_keys)
{
	static const char *const renamed[][2] = {
		{"name: ", "connection.id: "  },
		{"uuid: ", "connection.uuid: "},
	};
	char *msg = (*error)->message;

	for (gsize i = 0; i < G_N_ELEMENTS(renamed); i++) {
		if (g_str_has_prefix(msg, renamed[i][0])) {
			(*error)->message =
				g_strconcat(renamed[i][1], msg + strlen(renamed[i][0]), NULL);
			g_free(msg);
			return;
		}
	}
	for (guint i = 0; data_keys && data_keys[i]; i++) {
		g_autofree char *prefix = g_strdup_printf("%s: unknown key", data_keys[i]);

		if (g_str_has_prefix(msg, prefix)) {
			(*error)->message =
				g_strdup_printf("%s: unknown vpn.data key", data_keys[i]);
			g_free(msg);
			return;
		}
	}
}

static gboolean
read_secrets(NMSettingVpn *s_vpn, FerryProfileSecrets *secrets, GError **error)
{
	g_autofree const char **names = nm_setting_vpn_get_secret_keys(s_vpn, NULL);

	for (guint i = 0; names && names[i]; i++) {
		const NMFerryKey *k = nm_ferry_keys_lookup(names[i]);
		const char *value = nm_setting_vpn_get_secret(s_vpn, names[i]);

		if (!k || k->type != NM_FERRY_KEY_SECRET) {
			g_set_error(error, FERRY_ERROR, FERRY_ERROR_CONFIG,
			            "%s: unknown vpn.secrets key", names[i]);
			return FALSE;
		}
		/* An empty secret is an absent one (agents return "" for "not asked"). */
		if (!ferry_profile_secrets_set(secrets, names[i], value && *value ? value : NULL,
		                               error))
			return FALSE;
	}
	return TRUE;
}

FerryProfile *
nm_ferry_keys_to_profile(NMSettingVpn *s_vpn,
                         const char *id,
                         const char *uuid,
                         FerryProfileSecrets **secrets,
                         GError **error)
{
	g_autoptr(GKeyFile) kf = g_key_file_new();
	g_autofree const char **data_keys = NULL;
	g_autoptr(FerryProfileSecrets) found = ferry_profile_secrets_new();
	g_autoptr(FerryProfile) profile = NULL;
	g_autofree char *name = NULL;
	const char *service;

	g_return_val_if_fail(NM_IS_SETTING_VPN(s_vpn), NULL);

	service = nm_setting_vpn_get_service_type(s_vpn);
	if (g_strcmp0(service, NM_FERRY_VPN_SERVICE_TYPE) != 0) {
		g_set_error(error, FERRY_ERROR, FERRY_ERROR_CONFIG,
		            "vpn.service-type: '%s' is not %s", service ? service : "",
		            NM_FERRY_VPN_SERVICE_TYPE);
		return NULL;
	}
	/* Profile names are file names in the CLI's store; a connection id may hold '/'. */
	name = g_strdup(id ? id : "NetworkManager connection");
	g_strdelimit(name, "/", '-');
	g_key_file_set_string(kf, FERRY_PROFILE_GROUP, "name", name);
	if (uuid)
		g_key_file_set_string(kf, FERRY_PROFILE_GROUP, "uuid", uuid);
	data_keys = nm_setting_vpn_get_data_keys(s_vpn, NULL);
	for (guint i = 0; data_keys && data_keys[i]; i++) {
		if (!put_data_item(kf, data_keys[i],
		                   nm_setting_vpn_get_data_item(s_vpn, data_keys[i]), error))
			return NULL;
	}
	profile = ferry_profile_load_from_keyfile(kf, NULL, error);
	if (!profile) {
		reword_error(error, data_keys);
		return NULL;
	}
	if (!read_secrets(s_vpn, found, error))
		return NULL;
	if (secrets)
		*secrets = g_steal_pointer(&found);
	return g_steal_pointer(&profile);
}

FerryProfile *
nm_ferry_keys_connection_to_profile(NMConnection *connection,
                                    FerryProfileSecrets **secrets,
                                    GError **error)
{
	NMSettingVpn *s_vpn;

	g_return_val_if_fail(NM_IS_CONNECTION(connection), NULL);

	s_vpn = nm_connection_get_setting_vpn(connection);
	if (!s_vpn) {
		g_set_error(error, FERRY_ERROR, FERRY_ERROR_CONFIG,
		            "vpn: the connection has no VPN setting");
		return NULL;
	}
	return nm_ferry_keys_to_profile(s_vpn, nm_connection_get_id(connection),
	                                nm_connection_get_uuid(connection), secrets, error);
}

/* One [profile] keyfile value in vpn.data syntax; (transfer full). */
static char *
render_value(GKeyFile *kf, const char *key, const NMFerryKey *k)
{
	if (!k)
		return g_key_file_get_value(kf, FERRY_PROFILE_GROUP, key, NULL);
	switch (k->type) {
	case NM_FERRY_KEY_LIST: {
		g_auto(GStrv) items =
			g_key_file_get_string_list(kf, FERRY_PROFILE_GROUP, key, NULL, NULL);

		return join_list(items);
	}
	case NM_FERRY_KEY_BOOL:
		return g_strdup(g_key_file_get_boolean(kf, FERRY_PROFILE_GROUP, key, NULL) ? "yes"
		                                                                           : "no");
	case NM_FERRY_KEY_STRING:
	case NM_FERRY_KEY_PATH:
	case NM_FERRY_KEY_UINT:
	case NM_FERRY_KEY_PORT:
	case NM_FERRY_KEY_ENUM:
	case NM_FERRY_KEY_SECRET:
		break;
	}
	return g_key_file_get_string(kf, FERRY_PROFILE_GROUP, key, NULL);
}

static void
clear_data(NMSettingVpn *s_vpn)
{
	g_autofree const char **data_keys = nm_setting_vpn_get_data_keys(s_vpn, NULL);
	g_autoptr(GPtrArray) doomed = g_ptr_array_new_with_free_func(g_free);

	/* Removing invalidates the borrowed key strings: copy them first. */
	for (guint i = 0; data_keys && data_keys[i]; i++) {
		if (!find_flags_owner(data_keys[i]))
			g_ptr_array_add(doomed, g_strdup(data_keys[i]));
	}
	for (guint i = 0; i < doomed->len; i++)
		nm_setting_vpn_remove_data_item(s_vpn, doomed->pdata[i]);
}

static void
put_secrets(const FerryProfileSecrets *secrets, NMSettingVpn *s_vpn)
{
	for (gsize i = 0; i < G_N_ELEMENTS(keys); i++) {
		const FerrySecret *s;
		char *text;

		if (keys[i].type != NM_FERRY_KEY_SECRET)
			continue;
		s = *(FerrySecret *const *)(const void *)((const char *)secrets + keys[i].offset);
		if (!s)
			continue;
		/* NMSettingVpn takes a C string; the temporary is wiped at once. */
		text = g_malloc(s->len + 1);
		memcpy(text, s->data, s->len);
		text[s->len] = '\0';
		nm_setting_vpn_add_secret(s_vpn, keys[i].name, text);
		ferry_wipe(text, s->len);
		g_free(text);
	}
}

void
nm_ferry_keys_from_profile(const FerryProfile *profile,
                           const FerryProfileSecrets *secrets,
                           NMSettingVpn *s_vpn)
{
	g_autoptr(GKeyFile) kf = g_key_file_new();
	g_auto(GStrv) names = NULL;

	g_return_if_fail(profile != NULL);
	g_return_if_fail(NM_IS_SETTING_VPN(s_vpn));

	g_object_set(s_vpn, NM_SETTING_VPN_SERVICE_TYPE, NM_FERRY_VPN_SERVICE_TYPE, NULL);
	clear_data(s_vpn);
	ferry_profile_to_keyfile(profile, kf);
	names = g_key_file_get_keys(kf, FERRY_PROFILE_GROUP, NULL, NULL);
	for (guint i = 0; names && names[i]; i++) {
		const NMFerryKey *k = nm_ferry_keys_lookup(names[i]);
		g_autofree char *value = NULL;

		if (is_connection_key(names[i]))
			continue;
		value = render_value(kf, names[i], k);
		if (!value || !*value)
			continue;
		if (k && k->default_value && strcmp(value, k->default_value) == 0)
			continue;
		/* Absent, remote-id-match is strict exactly when remote-id is set. */
		if (strcmp(names[i], "remote-id-match") == 0 &&
		    !profile->remote_id_strict == !profile->remote_id)
			continue;
		nm_setting_vpn_add_data_item(s_vpn, names[i], value);
	}
	if (secrets)
		put_secrets(secrets, s_vpn);
}

NMConnection *
nm_ferry_keys_connection_new(const FerryProfile *profile, const FerryProfileSecrets *secrets)
{
	NMConnection *connection = nm_simple_connection_new();
	NMSetting *s_con = nm_setting_connection_new();
	NMSetting *s_vpn = nm_setting_vpn_new();
	NMSetting *s_ip4 = nm_setting_ip4_config_new();
	NMSetting *s_ip6 = nm_setting_ip6_config_new();

	g_object_set(s_con, NM_SETTING_CONNECTION_ID, profile->name, NM_SETTING_CONNECTION_UUID,
	             profile->uuid, NM_SETTING_CONNECTION_TYPE, NM_SETTING_VPN_SETTING_NAME, NULL);
	g_object_set(s_ip4, NM_SETTING_IP_CONFIG_METHOD, NM_SETTING_IP4_CONFIG_METHOD_AUTO, NULL);
	g_object_set(s_ip6, NM_SETTING_IP_CONFIG_METHOD, NM_SETTING_IP6_CONFIG_METHOD_AUTO, NULL);
	nm_ferry_keys_from_profile(profile, secrets, NM_SETTING_VPN(s_vpn));
	nm_connection_add_setting(connection, s_con);
	nm_connection_add_setting(connection, s_vpn);
	nm_connection_add_setting(connection, s_ip4);
	nm_connection_add_setting(connection, s_ip6);
	return connection;
}

gboolean
nm_ferry_keys_secret_needed(const FerryProfile *profile, const char *secret_key)
{
	if (strcmp(secret_key, "psk") == 0)
		return profile->auth == FERRY_AUTH_PSK;
	if (strcmp(secret_key, "password") == 0)
		return profile->auth == FERRY_AUTH_EAP_MSCHAPV2 ||
		       profile->auth == FERRY_AUTH_CERT_EAP;
	if (strcmp(secret_key, "pin") == 0)
		return profile->client_pkcs11_uri != NULL && profile->auth != FERRY_AUTH_PSK &&
		       profile->auth != FERRY_AUTH_EAP_MSCHAPV2;
	/* A PKCS#12 bundle is practically always encrypted; a key file may not be, and the
	 * session asks for its passphrase when it turns out to be. */
	if (strcmp(secret_key, "key-passphrase") == 0)
		return profile->client_pkcs12 != NULL && profile->auth != FERRY_AUTH_PSK &&
		       profile->auth != FERRY_AUTH_EAP_MSCHAPV2;
	return FALSE;
}
