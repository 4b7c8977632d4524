/* nm-ferry-auth-dialog.c - the secrets to ask for and the protocol replies (no GTK here) */
#include "config.h"

#include <string.h>

#include "ferry-error.h"
#include "nm-ferry-auth-dialog.h"
#include "nm-ferry-keys.h"

#define HINT_MESSAGE_PREFIX "x-vpn-message:"

static const struct {
	const char *key, *label;
} labels[] = {
	{"psk",            "Pre-shared key"        },
	{"password",       "Password"              },
	{"key-passphrase", "Private key passphrase"},
	{"pin",            "Smart card PIN"        },
};

static const char *
label_of(const char *key)
{
	for (gsize i = 0; i < G_N_ELEMENTS(labels); i++) {
		if (strcmp(labels[i].key, key) == 0)
			return labels[i].label;
	}
	return key;
}

static void
secret_free(gpointer data)
{
	NMFerryAuthSecret *s = data;

	if (s->value)
		ferry_wipe(s->value, strlen(s->value));
	g_free(s->value);
	g_free(s->key);
	g_free(s->label);
	g_free(s);
}

void
nm_ferry_auth_request_free(NMFerryAuthRequest *request)
{
	if (!request)
		return;
	g_free(request->name);
	g_free(request->uuid);
	g_free(request->message);
	g_clear_pointer(&request->secrets, g_ptr_array_unref);
	g_free(request);
}

static NMSettingVpn *
setting_from_tables(GHashTable *data, GHashTable *secrets)
{
	NMSettingVpn *s_vpn = NM_SETTING_VPN(nm_setting_vpn_new());
	GHashTableIter iter;
	gpointer k, v;

	g_object_set(s_vpn, NM_SETTING_VPN_SERVICE_TYPE, NM_FERRY_VPN_SERVICE_TYPE, NULL);
	if (data) {
		g_hash_table_iter_init(&iter, data);
		while (g_hash_table_iter_next(&iter, &k, &v))
			nm_setting_vpn_add_data_item(s_vpn, k, v);
	}
	if (secrets) {
		g_hash_table_iter_init(&iter, secrets);
		while (g_hash_table_iter_next(&iter, &k, &v))
			nm_setting_vpn_add_secret(s_vpn, k, v);
	}
	return s_vpn;
}

/* A hint naming @key: "psk", "vpn.psk" or "vpn.secrets.psk". */
static gboolean
hinted(const char *const *hints, const char *key, gboolean *any_secret_hint)
{
	gboolean found = FALSE;

	for (guint i = 0; hints && hints[i]; i++) {
		const char *h = hints[i];

		if (g_str_has_prefix(h, HINT_MESSAGE_PREFIX))
			continue;
		*any_secret_hint = TRUE;
		if (g_str_has_prefix(h, "vpn.secrets."))
			h += strlen("vpn.secrets.");
		else if (g_str_has_prefix(h, "vpn."))
			h += strlen("vpn.");
		found |= strcmp(h, key) == 0;
	}
	return found;
}

static void
add_secret(NMFerryAuthRequest *r,
           NMSettingVpn *s_vpn,
           const char *key,
           gboolean asked,
           gboolean reprompt)
{
	NMFerryAuthSecret *s = g_new0(NMFerryAuthSecret, 1);
	NMSettingSecretFlags flags = NM_SETTING_SECRET_FLAG_NONE;
	const char *value = nm_setting_vpn_get_secret(s_vpn, key);

	nm_setting_get_secret_flags(NM_SETTING(s_vpn), key, &flags, NULL);
	s->key = g_strdup(key);
	s->label = g_strdup(label_of(key));
	s->value = value && *value ? g_strdup(value) : NULL;
	s->agent_owned = (flags & NM_SETTING_SECRET_FLAG_AGENT_OWNED) != 0;
	/* "Ask every time" secrets are asked every time; others when unknown or rejected. */
	s->should_ask =
		asked && (reprompt || !s->value || (flags & NM_SETTING_SECRET_FLAG_NOT_SAVED));
	g_ptr_array_add(r->secrets, s);
}

NMFerryAuthRequest *
nm_ferry_auth_request_new(const char *name,
                          const char *uuid,
                          GHashTable *data,
                          GHashTable *secrets,
                          const char *const *hints,
                          gboolean reprompt,
                          GError **error)
{
	g_autoptr(NMFerryAuthRequest) r = g_new0(NMFerryAuthRequest, 1);
	g_autoptr(NMSettingVpn) s_vpn = setting_from_tables(data, secrets);
	g_autoptr(FerryProfile) profile = nm_ferry_keys_to_profile(s_vpn, name, uuid, NULL, error);
	gboolean by_hint = FALSE;
	const NMFerryKey *keys;
	guint n;

	if (!profile)
		return NULL;
	r->name = g_strdup(name);
	r->uuid = g_strdup(uuid);
	r->secrets = g_ptr_array_new_with_free_func(secret_free);
	for (guint i = 0; hints && hints[i]; i++) {
		if (g_str_has_prefix(hints[i], HINT_MESSAGE_PREFIX))
			r->message = g_strdup(hints[i] + strlen(HINT_MESSAGE_PREFIX));
	}
	keys = nm_ferry_keys_get_all(&n);
	for (guint i = 0; i < n; i++)
		hinted(hints, keys[i].name, &by_hint);
	for (guint i = 0; i < n; i++) {
		NMSettingSecretFlags flags = NM_SETTING_SECRET_FLAG_NONE;
		gboolean unused;
		gboolean wanted;

		if (keys[i].type != NM_FERRY_KEY_SECRET)
			continue;
		nm_setting_get_secret_flags(NM_SETTING(s_vpn), keys[i].name, &flags, NULL);
		if (by_hint)
			wanted = hinted(hints, keys[i].name, &unused);
		else
			wanted = nm_ferry_keys_secret_needed(profile, keys[i].name) &&
			         !(flags & NM_SETTING_SECRET_FLAG_NOT_REQUIRED);
		if (wanted)
			add_secret(r, s_vpn, keys[i].name, TRUE, reprompt || by_hint);
	}
	return g_steal_pointer(&r);
}

gboolean
nm_ferry_auth_request_needs_input(const NMFerryAuthRequest *request)
{
	for (guint i = 0; i < request->secrets->len; i++) {
		const NMFerryAuthSecret *s = request->secrets->pdata[i];

		if (s->should_ask)
			return TRUE;
	}
	return FALSE;
}

char *
nm_ferry_auth_request_to_external_ui(const NMFerryAuthRequest *request)
{
	g_autoptr(GKeyFile) kf = g_key_file_new();
	g_autofree char *title =
		g_strdup_printf("Authenticate VPN %s", request->name ? request->name : "");
	g_autofree char *description = NULL;

	description = request->message
	                      ? g_strdup(request->message)
	                      : g_strdup_printf("Secrets are required to connect to the VPN “%s”.",
	                                        request->name ? request->name : "");
	g_key_file_set_integer(kf, "VPN Plugin UI", "Version", 2);
	g_key_file_set_string(kf, "VPN Plugin UI", "Description", description);
	g_key_file_set_string(kf, "VPN Plugin UI", "Title", title);
	for (guint i = 0; i < request->secrets->len; i++) {
		const NMFerryAuthSecret *s = request->secrets->pdata[i];

		g_key_file_set_string(kf, s->key, "Value", s->value ? s->value : "");
		g_key_file_set_string(kf, s->key, "Label", s->label);
		g_key_file_set_boolean(kf, s->key, "IsSecret", TRUE);
		g_key_file_set_boolean(kf, s->key, "ShouldAsk", s->should_ask);
	}
	return g_key_file_to_data(kf, NULL, NULL);
}

char *
nm_ferry_auth_request_to_reply(const NMFerryAuthRequest *request)
{
	GString *out = g_string_new(NULL);

	for (guint i = 0; i < request->secrets->len; i++) {
		const NMFerryAuthSecret *s = request->secrets->pdata[i];

		if (s->value)
			g_string_append_printf(out, "%s\n%s\n", s->key, s->value);
	}
	g_string_append(out, "\n\n");
	return g_string_free(out, FALSE);
}
