/* profile-keyfile.c - FerryProfile settings as a GLib keyfile, lossless both ways */
#include "config.h"

#include <errno.h>
#include <stddef.h>
#include <string.h>

#include <gio/gio.h>

#include "ferry-error.h"
#include "ferry-profile.h"

/* A profile is a few hundred bytes; anything near this is not a profile. */
#define PROFILE_FILE_MAX (256 * 1024)

typedef enum {
	KEY_STRING,
	KEY_LIST,
	KEY_UINT,
	KEY_BOOL,
	KEY_SPECIAL, /* port and the enums, handled one by one */
} KeyKind;

typedef struct {
	const char *key;
	KeyKind kind;
	gsize offset;
	gboolean sparse; /* written only when not at its default (keys added after 0.1) */
} KeyDesc;

#define STR(k, m)                                                                                  \
	{                                                                                          \
		k, KEY_STRING, offsetof(FerryProfile, m)                                           \
	}
#define LIST(k, m)                                                                                 \
	{                                                                                          \
		k, KEY_LIST, offsetof(FerryProfile, m)                                             \
	}
#define UINT(k, m)                                                                                 \
	{                                                                                          \
		k, KEY_UINT, offsetof(FerryProfile, m)                                             \
	}
#define BOOL(k, m)                                                                                 \
	{                                                                                          \
		k, KEY_BOOL, offsetof(FerryProfile, m)                                             \
	}
#define BOOL_SPARSE(k, m)                                                                          \
	{                                                                                          \
		k, KEY_BOOL, offsetof(FerryProfile, m), TRUE                                       \
	}
#define SPECIAL(k)                                                                                 \
	{                                                                                          \
		k, KEY_SPECIAL, 0                                                                  \
	}

/* The [profile] keys in the order they are written. */
static const KeyDesc profile_keys[] = {
	STR("name", name),
	STR("uuid", uuid),
	STR("gateway", gateway),
	SPECIAL("port"),
	SPECIAL("auth"),
	STR("local-id", local_id),
	STR("remote-id", remote_id),
	SPECIAL("remote-id-match"),
	STR("eap-identity", eap_identity),
	BOOL_SPARSE("eap-only", eap_only),
	LIST("ca-certs", ca_certs),
	STR("server-cert", server_cert),
	STR("client-cert", client_cert),
	STR("client-key", client_key),
	STR("client-pkcs12", client_pkcs12),
	STR("client-pkcs11-uri", client_pkcs11_uri),
	BOOL_SPARSE("rsa-pss", rsa_pss),
	BOOL_SPARSE("send-certreq", send_certreq),
	STR("ike-proposals", ike_proposals),
	STR("esp-proposals", esp_proposals),
	SPECIAL("pfs"),
	SPECIAL("protocol"),
	SPECIAL("mode"),
	LIST("include-subnets", include_subnets),
	LIST("exclude-subnets", exclude_subnets),
	LIST("dns-servers", dns_servers),
	LIST("dns-search-domains", dns_search_domains),
	LIST("dns-split-domains", dns_split_domains),
	UINT("mtu", mtu),
	UINT("nat-keepalive", nat_keepalive),
	UINT("dpd", dpd),
	UINT("ike-lifetime", ike_lifetime),
	UINT("child-lifetime", child_lifetime),
	SPECIAL("encap"),
	BOOL("ipv6-transport", ipv6_transport),
	BOOL("virtual-ip4", virtual_ip4),
	BOOL("virtual-ip6", virtual_ip6),
};

/* Other names a key is read under (never written): the short names IT instructions use. */
static const struct {
	const char *alias, *key;
} key_aliases[] = {
	{"ca-cert", "ca-certs"     },
	{"pkcs12",  "client-pkcs12"},
};

#define MEMBER(p, type, off) ((type *)(void *)((char *)(p) + (off)))

static const KeyDesc *
find_key(const char *key)
{
	for (gsize i = 0; i < G_N_ELEMENTS(profile_keys); i++) {
		if (strcmp(profile_keys[i].key, key) == 0)
			return &profile_keys[i];
	}
	return NULL;
}

static gboolean
parse_uint(const char *s, guint max, guint *out)
{
	char *end = NULL;
	guint64 v;

	if (!s || !g_ascii_isdigit(*s))
		return FALSE;
	errno = 0;
	v = g_ascii_strtoull(s, &end, 10);
	if (errno || *end || v > max)
		return FALSE;
	*out = (guint)v;
	return TRUE;
}

/* UUID v5 style (RFC 4122 §4.3) from the name, so a hand-written file without a uuid keeps
 * the same identity every time it is loaded. */
static char *
derive_uuid(const char *name)
{
	g_autoptr(GChecksum) sum = g_checksum_new(G_CHECKSUM_SHA1);
	guint8 d[20];
	gsize n = sizeof(d);

	g_checksum_update(sum, (const guchar *)"ferry-profile\n", -1);
	g_checksum_update(sum, (const guchar *)name, -1);
	g_checksum_get_digest(sum, d, &n);
	d[6] = (guint8)((d[6] & 0x0f) | 0x50);
	d[8] = (guint8)((d[8] & 0x3f) | 0x80);
	return g_strdup_printf("%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-"
	                       "%02x%02x%02x%02x%02x%02x",
	                       d[0], d[1], d[2], d[3], d[4], d[5], d[6], d[7], d[8], d[9], d[10],
	                       d[11], d[12], d[13], d[14], d[15]);
}

#define BAD_VALUE(error, key, ...)                                                                 \
	G_STMT_START                                                                               \
	{                                                                                          \
		g_autofree char *msg__ = g_strdup_printf(__VA_ARGS__);                             \
		g_set_error(error, FERRY_ERROR, FERRY_ERROR_CONFIG, "%s: %s", key, msg__);         \
		return FALSE;                                                                      \
	}                                                                                          \
	G_STMT_END

static gboolean
read_special(FerryProfile *p, const char *key, const char *v, GError **error)
{
	guint port;
	int ok = TRUE;

	if (strcmp(key, "port") == 0) {
		if (!parse_uint(v, 65535, &port) || port == 0)
			BAD_VALUE(error, key, "'%s' is not a port number (1-65535)", v);
		p->port = (guint16)port;
	} else if (strcmp(key, "auth") == 0) {
		if (!ferry_auth_method_from_string(v, &p->auth))
			BAD_VALUE(
				error, key,
				"unknown method '%s' (psk, cert, eap-mschapv2, eap-tls, cert+eap)",
				v);
	} else if (strcmp(key, "remote-id-match") == 0) {
		if (g_ascii_strcasecmp(v, "strict") == 0)
			p->remote_id_strict = TRUE;
		else if (g_ascii_strcasecmp(v, "loose") == 0)
			p->remote_id_strict = FALSE;
		else
			BAD_VALUE(error, key, "'%s' is neither strict nor loose", v);
	} else if (strcmp(key, "pfs") == 0) {
		ok = ferry_pfs_from_string(v, &p->pfs);
	} else if (strcmp(key, "protocol") == 0) {
		ok = ferry_ipsec_protocol_from_string(v, &p->protocol);
	} else if (strcmp(key, "mode") == 0) {
		ok = ferry_ipsec_mode_from_string(v, &p->mode);
	} else if (strcmp(key, "encap") == 0) {
		ok = ferry_encap_from_string(v, &p->encap);
	}
	if (!ok) {
		const char *choices = strcmp(key, "pfs") == 0        ? "auto, yes, no"
		                      : strcmp(key, "protocol") == 0 ? "esp, ah"
		                      : strcmp(key, "mode") == 0     ? "tunnel, transport"
		                                                     : "auto, force";

		BAD_VALUE(error, key, "unknown value '%s' (%s)", v, choices);
	}
	return TRUE;
}

static gboolean
read_key(FerryProfile *p, GKeyFile *kf, const KeyDesc *d, GError **error)
{
	g_autofree char *raw = g_key_file_get_value(kf, FERRY_PROFILE_GROUP, d->key, NULL);
	g_autoptr(GError) local = NULL;

	switch (d->kind) {
	case KEY_STRING: {
		char **slot = MEMBER(p, char *, d->offset);
		char *v = g_key_file_get_string(kf, FERRY_PROFILE_GROUP, d->key, &local);

		/* GLib may return a value and set an error (bad escapes): the error wins. */
		if (!v || local) {
			g_free(v);
			BAD_VALUE(error, d->key, "unreadable value (an invalid escape sequence?)");
		}
		g_free(*slot);
		/* An empty value means "not set", the same as an absent key. */
		*slot = *v ? v : (g_free(v), NULL);
		return TRUE;
	}
	case KEY_LIST: {
		char ***slot = MEMBER(p, char **, d->offset);
		char **v =
			g_key_file_get_string_list(kf, FERRY_PROFILE_GROUP, d->key, NULL, &local);

		if (local) {
			g_strfreev(v);
			BAD_VALUE(error, d->key, "unreadable value (an invalid escape sequence?)");
		}
		g_strfreev(*slot);
		*slot = v && *v ? v : (g_strfreev(v), NULL);
		return TRUE;
	}
	case KEY_UINT:
		if (!parse_uint(raw, G_MAXUINT, MEMBER(p, guint, d->offset)))
			BAD_VALUE(error, d->key, "'%s' is not a whole number of %s", raw,
			          strcmp(d->key, "mtu") == 0 ? "bytes" : "seconds");
		return TRUE;
	case KEY_BOOL:
		if (g_ascii_strcasecmp(raw, "true") == 0 || g_ascii_strcasecmp(raw, "yes") == 0)
			*MEMBER(p, gboolean, d->offset) = TRUE;
		else if (g_ascii_strcasecmp(raw, "false") == 0 ||
		         g_ascii_strcasecmp(raw, "no") == 0)
			*MEMBER(p, gboolean, d->offset) = FALSE;
		else
			BAD_VALUE(error, d->key, "'%s' is neither true nor false", raw);
		return TRUE;
	case KEY_SPECIAL:
		return read_special(p, d->key, raw, error);
	}
	return TRUE;
}

static const char *
find_alias(const char *key)
{
	for (gsize i = 0; i < G_N_ELEMENTS(key_aliases); i++) {
		if (strcmp(key_aliases[i].alias, key) == 0)
			return key_aliases[i].key;
	}
	return NULL;
}

/* The name @d is given under in @kf: its own, or an alias of it (not both). */
static const char *
key_in_file(GKeyFile *kf, const KeyDesc *d, GError **error)
{
	const char *found = NULL;

	if (g_key_file_has_key(kf, FERRY_PROFILE_GROUP, d->key, NULL))
		found = d->key;
	for (gsize i = 0; i < G_N_ELEMENTS(key_aliases); i++) {
		const char *alias = key_aliases[i].alias;

		if (strcmp(key_aliases[i].key, d->key) != 0 ||
		    !g_key_file_has_key(kf, FERRY_PROFILE_GROUP, alias, NULL))
			continue;
		if (found) {
			g_set_error(error, FERRY_ERROR, FERRY_ERROR_CONFIG,
			            "%s: given twice, also as %s: keep one of them", d->key, alias);
			return NULL;
		}
		found = alias;
	}
	return found;
}

static gboolean
check_known_keys(GKeyFile *kf, GError **error)
{
	g_auto(GStrv) keys = g_key_file_get_keys(kf, FERRY_PROFILE_GROUP, NULL, NULL);

	for (guint i = 0; keys && keys[i]; i++) {
		if (!find_key(keys[i]) && !find_alias(keys[i])) {
			g_set_error(error, FERRY_ERROR, FERRY_ERROR_CONFIG,
			            "%s: unknown key in [%s]", keys[i], FERRY_PROFILE_GROUP);
			return FALSE;
		}
	}
	return TRUE;
}

static FerryProfile *
read_profile(GKeyFile *kf, GError **error)
{
	g_autoptr(FerryProfile) p = ferry_profile_new();
	gboolean has_match;

	if (!g_key_file_has_group(kf, FERRY_PROFILE_GROUP)) {
		g_set_error(error, FERRY_ERROR, FERRY_ERROR_CONFIG, "no [%s] group",
		            FERRY_PROFILE_GROUP);
		return NULL;
	}
	if (!check_known_keys(kf, error))
		return NULL;
	g_clear_pointer(&p->uuid, g_free);
	for (gsize i = 0; i < G_N_ELEMENTS(profile_keys); i++) {
		KeyDesc d = profile_keys[i];
		g_autoptr(GError) local = NULL;
		const char *name = key_in_file(kf, &d, &local);

		if (local) {
			g_propagate_error(error, g_steal_pointer(&local));
			return NULL;
		}
		if (!name)
			continue;
		d.key = name; /* errors name the key as the file spells it */
		if (!read_key(p, kf, &d, error))
			return NULL;
	}
	/* Without remote-id-match, a remote-id that was written down is meant strictly. */
	has_match = g_key_file_has_key(kf, FERRY_PROFILE_GROUP, "remote-id-match", NULL);
	if (!has_match)
		p->remote_id_strict = p->remote_id != NULL;
	if (!p->uuid && p->name)
		p->uuid = derive_uuid(p->name);
	if (!ferry_profile_validate(p, error))
		return NULL;
	return g_steal_pointer(&p);
}

FerryProfile *
ferry_profile_load_from_keyfile(GKeyFile *keyfile, const char *source, GError **error)
{
	FerryProfile *p = read_profile(keyfile, error);

	if (!p && source)
		g_prefix_error(error, "%s: ", source);
	return p;
}

FerryProfile *
ferry_profile_load_from_data(const char *data, gsize len, const char *source, GError **error)
{
	g_autoptr(GKeyFile) kf = g_key_file_new();
	g_autoptr(GError) local = NULL;

	if (len > PROFILE_FILE_MAX) {
		g_set_error(error, FERRY_ERROR, FERRY_ERROR_CONFIG,
		            "%s: larger than %d bytes, not a profile", source ? source : "profile",
		            PROFILE_FILE_MAX);
		return NULL;
	}
	if (!g_key_file_load_from_data(kf, data, len, G_KEY_FILE_NONE, &local)) {
		g_set_error(error, FERRY_ERROR, FERRY_ERROR_CONFIG, "%s: not a keyfile: %s",
		            source ? source : "profile", local->message);
		return NULL;
	}
	return ferry_profile_load_from_keyfile(kf, source, error);
}

FerryProfile *
ferry_profile_load(const char *path, GError **error)
{
	g_autofree char *data = NULL;
	g_autoptr(GError) local = NULL;
	gsize len = 0;

	if (!g_file_get_contents(path, &data, &len, &local)) {
		g_set_error(error, FERRY_ERROR, FERRY_ERROR_CONFIG, "%s", local->message);
		return NULL;
	}
	return ferry_profile_load_from_data(data, len, path, error);
}

static void
write_special(const FerryProfile *p, GKeyFile *kf, const char *key)
{
	const char *v = NULL;

	if (strcmp(key, "port") == 0) {
		g_key_file_set_integer(kf, FERRY_PROFILE_GROUP, key, p->port);
		return;
	}
	if (strcmp(key, "auth") == 0)
		v = ferry_auth_method_to_string(p->auth);
	else if (strcmp(key, "remote-id-match") == 0)
		v = p->remote_id_strict ? "strict" : "loose";
	else if (strcmp(key, "pfs") == 0)
		v = ferry_pfs_to_string(p->pfs);
	else if (strcmp(key, "protocol") == 0)
		v = ferry_ipsec_protocol_to_string(p->protocol);
	else if (strcmp(key, "mode") == 0)
		v = ferry_ipsec_mode_to_string(p->mode);
	else if (strcmp(key, "encap") == 0)
		v = ferry_encap_to_string(p->encap);
	if (v)
		g_key_file_set_string(kf, FERRY_PROFILE_GROUP, key, v);
}

void
ferry_profile_to_keyfile(const FerryProfile *profile, GKeyFile *keyfile)
{
	g_autoptr(FerryProfile) defaults = ferry_profile_new();

	g_key_file_remove_group(keyfile, FERRY_PROFILE_GROUP, NULL);
	for (gsize i = 0; i < G_N_ELEMENTS(profile_keys); i++) {
		const KeyDesc *d = &profile_keys[i];
		const char *s;
		char **list;

		switch (d->kind) {
		case KEY_STRING:
			s = *MEMBER(profile, char *const, d->offset);
			if (s)
				g_key_file_set_string(keyfile, FERRY_PROFILE_GROUP, d->key, s);
			break;
		case KEY_LIST:
			list = *MEMBER(profile, char **const, d->offset);
			if (list && *list)
				g_key_file_set_string_list(keyfile, FERRY_PROFILE_GROUP, d->key,
				                           (const char *const *)list,
				                           g_strv_length(list));
			break;
		case KEY_UINT:
			g_key_file_set_uint64(keyfile, FERRY_PROFILE_GROUP, d->key,
			                      *MEMBER(profile, const guint, d->offset));
			break;
		case KEY_BOOL:
			if (d->sparse && *MEMBER(profile, const gboolean, d->offset) ==
			                         *MEMBER(defaults, const gboolean, d->offset))
				break;
			g_key_file_set_boolean(keyfile, FERRY_PROFILE_GROUP, d->key,
			                       *MEMBER(profile, const gboolean, d->offset));
			break;
		case KEY_SPECIAL:
			write_special(profile, keyfile, d->key);
			break;
		}
	}
}

char *
ferry_profile_to_data(const FerryProfile *profile, gsize *len)
{
	g_autoptr(GKeyFile) kf = g_key_file_new();

	ferry_profile_to_keyfile(profile, kf);
	return g_key_file_to_data(kf, len, NULL);
}

gboolean
ferry_profile_save(const FerryProfile *profile, const char *path, GError **error)
{
	g_autofree char *data = NULL;
	g_autoptr(GError) local = NULL;
	gsize len = 0;

	if (!ferry_profile_validate(profile, error)) {
		g_prefix_error(error, "%s: ", path);
		return FALSE;
	}
	data = ferry_profile_to_data(profile, &len);
	if (!g_file_set_contents_full(path, data, (gssize)len, G_FILE_SET_CONTENTS_CONSISTENT, 0644,
	                              &local)) {
		g_set_error(error, FERRY_ERROR, FERRY_ERROR_IO, "%s", local->message);
		return FALSE;
	}
	return TRUE;
}
