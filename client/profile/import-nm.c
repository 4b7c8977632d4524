/* import-nm.c - imports NetworkManager keyfiles of strongswan and libreswan VPN connections
 *
 * The [connection] and [ipv4]/[ipv6] groups are common; the [vpn] data items belong to the
 * plugin named by service-type (import-nm-strongswan.c, import-nm-libreswan.c).  Every key
 * the importer does not consume is reported as unmapped.
 */
#include "config.h"

#include <string.h>

#include "ferry-error.h"
#include "import-nm.h"
#include "profile-validate.h"

#define SERVICE_STRONGSWAN "org.freedesktop.NetworkManager.strongswan"
#define SERVICE_LIBRESWAN  "org.freedesktop.NetworkManager.libreswan"
#define SERVICE_OPENSWAN   "org.freedesktop.NetworkManager.openswan"

#define FAIL(error, field, ...)                                                                    \
	G_STMT_START                                                                               \
	{                                                                                          \
		g_autofree char *msg__ = g_strdup_printf(__VA_ARGS__);                             \
		g_set_error(error, FERRY_ERROR, FERRY_ERROR_CONFIG, "%s: %s", field, msg__);       \
		return FALSE;                                                                      \
	}                                                                                          \
	G_STMT_END

/* Keys that describe NetworkManager's own bookkeeping, not the connection. */
static const char *const silent_keys[] = {
	"connection.timestamp", "connection.read-only", "ipv4.method=auto",
	"ipv6.method=auto",     "ipv6.addr-gen-mode",   "ipv4.may-fail",
	"ipv6.may-fail",        "ipv4.dhcp-timeout",    "proxy.method=none",
};

static void
mark_used(NmImport *nm, const char *group, const char *key)
{
	g_hash_table_replace(nm->used, g_strdup_printf("%s.%s", group, key), NULL);
}

static char *
get_value(NmImport *nm, const char *group, const char *key)
{
	char *v = g_key_file_get_string(nm->kf, group, key, NULL);

	if (v)
		mark_used(nm, group, key);
	return v;
}

const char *
nm_import_get(NmImport *nm, const char *key)
{
	g_autofree char *name = g_strdup_printf("%s.%s", NM_GROUP_VPN, key);
	char *v = g_hash_table_lookup(nm->used, name);

	if (!v) {
		v = g_key_file_get_string(nm->kf, NM_GROUP_VPN, key, NULL);
		if (!v)
			return NULL;
		/* the table owns the value for the import's lifetime */
		g_hash_table_replace(nm->used, g_steal_pointer(&name), v);
	}
	return *v ? v : NULL;
}

gboolean
nm_import_get_bool(NmImport *nm, const char *key, gboolean def, gboolean *out, GError **error)
{
	const char *v = nm_import_get(nm, key);

	*out = def;
	if (!v)
		return TRUE;
	if (strcmp(v, "yes") == 0 || strcmp(v, "true") == 0)
		*out = TRUE;
	else if (strcmp(v, "no") == 0 || strcmp(v, "false") == 0)
		*out = FALSE;
	else {
		g_set_error(error, FERRY_ERROR, FERRY_ERROR_CONFIG,
		            "vpn.%s: '%s' is neither yes nor no", key, v);
		return FALSE;
	}
	return TRUE;
}

FerrySecret *
nm_import_get_secret(NmImport *nm, const char *key)
{
	/* GKeyFile keeps its own copy; the importer's is wiped with the secret. */
	g_autofree char *v = get_value(nm, NM_GROUP_VPN_SECRETS, key);
	FerrySecret *s;

	if (!v || !*v)
		return NULL;
	s = ferry_secret_new_from_string(v);
	ferry_wipe(v, strlen(v));
	return s;
}

char *
nm_import_path(NmImport *nm, const char *path)
{
	if (g_path_is_absolute(path))
		return g_strdup(path);
	return g_build_filename(nm->dir, path, NULL);
}

void
nm_import_ignore(NmImport *nm, const char *group, const char *key)
{
	if (g_key_file_has_key(nm->kf, group, key, NULL))
		mark_used(nm, group, key);
}

static gboolean
read_connection(NmImport *nm, const char **service, GError **error)
{
	FerryProfile *p = nm->import->profile;
	g_autofree char *id = get_value(nm, NM_GROUP_CONNECTION, "id");
	g_autofree char *uuid = get_value(nm, NM_GROUP_CONNECTION, "uuid");
	g_autofree char *type = get_value(nm, NM_GROUP_CONNECTION, "type");
	g_autofree char *svc = get_value(nm, NM_GROUP_VPN, "service-type");

	if (!type || strcmp(type, "vpn") != 0)
		FAIL(error, "connection.type", "'%s' is not a VPN connection", type ? type : "");
	if (!svc)
		FAIL(error, "vpn.service-type", "missing");
	if (strcmp(svc, SERVICE_STRONGSWAN) == 0)
		*service = SERVICE_STRONGSWAN;
	else if (strcmp(svc, SERVICE_LIBRESWAN) == 0 || strcmp(svc, SERVICE_OPENSWAN) == 0)
		*service = SERVICE_LIBRESWAN;
	else
		FAIL(error, "vpn.service-type",
		     "'%s' is not an IPsec plugin (strongswan or libreswan)", svc);
	if (!id || !*id)
		FAIL(error, "connection.id", "missing");
	p->name = g_steal_pointer(&id);
	if (uuid) {
		if (!g_uuid_string_is_valid(uuid))
			FAIL(error, "connection.uuid", "'%s' is not a UUID", uuid);
		g_free(p->uuid);
		p->uuid = g_ascii_strdown(uuid, -1);
	}
	return TRUE;
}

static gboolean
read_list(NmImport *nm, const char *group, const char *key, char ***out, GError **error)
{
	g_auto(GStrv) items = g_key_file_get_string_list(nm->kf, group, key, NULL, NULL);
	g_autoptr(GPtrArray) kept = g_ptr_array_new_with_free_func(g_free);

	if (!items)
		return TRUE;
	mark_used(nm, group, key);
	for (guint i = 0; items[i]; i++) {
		if (*items[i])
			g_ptr_array_add(kept, g_strdup(g_strstrip(items[i])));
	}
	if (kept->len == 0)
		return TRUE;
	g_ptr_array_add(kept, NULL);
	*out = (char **)g_ptr_array_free(g_steal_pointer(&kept), FALSE);
	return TRUE;
}

static void
append(char ***list, const char *item)
{
	guint n = *list ? g_strv_length(*list) : 0;

	*list = g_renew(char *, *list, n + 2);
	(*list)[n] = g_strdup(item);
	(*list)[n + 1] = NULL;
}

/* [ipv4]/[ipv6]: DNS servers and domains, split routes, and whether to ask for an address. */
static gboolean
read_ip(NmImport *nm, const char *group, gboolean *want_vip, GError **error)
{
	FerryProfile *p = nm->import->profile;
	g_auto(GStrv) dns = NULL, search = NULL, keys = NULL;
	g_autofree char *method = get_value(nm, group, "method");
	g_autofree char *field = NULL;
	gboolean never_default;
	guint n_routes = 0;

	*want_vip = !method || (strcmp(method, "disabled") != 0 && strcmp(method, "ignore") != 0);
	if (!read_list(nm, group, "dns", &dns, error) ||
	    !read_list(nm, group, "dns-search", &search, error))
		return FALSE;
	for (guint i = 0; dns && dns[i]; i++) {
		if (!profile_is_ip_address(dns[i])) {
			g_set_error(error, FERRY_ERROR, FERRY_ERROR_CONFIG,
			            "%s.dns: '%s' is not an IP address", group, dns[i]);
			return FALSE;
		}
		append(&p->dns_servers, dns[i]);
	}
	/* "~domain" is a routing-only domain in NetworkManager: split DNS */
	for (guint i = 0; search && search[i]; i++) {
		if (search[i][0] == '~')
			append(&p->dns_split_domains, search[i] + 1);
		else
			append(&p->dns_search_domains, search[i]);
	}
	never_default = g_key_file_get_boolean(nm->kf, group, "never-default", NULL);
	nm_import_ignore(nm, group, "never-default");
	keys = g_key_file_get_keys(nm->kf, group, NULL, NULL);
	for (guint i = 0; keys && keys[i]; i++) {
		g_auto(GStrv) parts = NULL;
		g_autofree char *v = NULL;

		if (!g_str_has_prefix(keys[i], "route") || !g_ascii_isdigit(keys[i][5]) ||
		    strchr(keys[i], '_'))
			continue;
		v = get_value(nm, group, keys[i]);
		parts = g_strsplit(v ? v : "", ",", 2);
		g_free(field);
		field = g_strdup_printf("%s.%s", group, keys[i]);
		if (!parts[0] || !profile_parse_subnet(parts[0], NULL, NULL)) {
			g_set_error(error, FERRY_ERROR, FERRY_ERROR_CONFIG,
			            "%s: '%s' is not a subnet", field, parts[0] ? parts[0] : "");
			return FALSE;
		}
		n_routes++;
		if (never_default)
			append(&p->include_subnets, parts[0]);
		else
			ferry_import_add_unmapped(nm->import, field,
			                          "extra route beside a default route");
	}
	if (never_default && n_routes == 0)
		ferry_import_add_unmapped(nm->import, group,
		                          "never-default without routes: Ferry routes what the "
		                          "gateway's traffic selectors offer");
	return TRUE;
}

static gboolean
is_silent(NmImport *nm, const char *group, const char *key)
{
	g_autofree char *name = g_strdup_printf("%s.%s", group, key);
	g_autofree char *value = g_key_file_get_value(nm->kf, group, key, NULL);
	g_autofree char *with_value = g_strdup_printf("%s=%s", name, value ? value : "");

	for (gsize i = 0; i < G_N_ELEMENTS(silent_keys); i++) {
		if (strcmp(silent_keys[i], name) == 0 || strcmp(silent_keys[i], with_value) == 0)
			return TRUE;
	}
	/* *-flags are NetworkManager's secret storage hints */
	return strcmp(group, NM_GROUP_VPN) == 0 && g_str_has_suffix(key, "-flags");
}

static void
report_unused(NmImport *nm)
{
	g_auto(GStrv) groups = g_key_file_get_groups(nm->kf, NULL);

	for (guint g = 0; groups[g]; g++) {
		g_auto(GStrv) keys = g_key_file_get_keys(nm->kf, groups[g], NULL, NULL);

		for (guint k = 0; keys && keys[k]; k++) {
			g_autofree char *name = g_strdup_printf("%s.%s", groups[g], keys[k]);

			if (g_hash_table_contains(nm->used, name) ||
			    is_silent(nm, groups[g], keys[k]))
				continue;
			ferry_import_add_unmapped(nm->import, name, "no Ferry setting");
		}
	}
}

static gboolean
import_connection(NmImport *nm, GError **error)
{
	FerryProfile *p = nm->import->profile;
	const char *service = NULL;
	gboolean v4 = TRUE, v6 = TRUE;

	if (!read_connection(nm, &service, error))
		return FALSE;
	if (strcmp(service, SERVICE_STRONGSWAN) == 0) {
		if (!nm_import_strongswan(nm, error))
			return FALSE;
	} else if (!nm_import_libreswan(nm, error)) {
		return FALSE;
	}
	if (!read_ip(nm, "ipv4", &v4, error) || !read_ip(nm, "ipv6", &v6, error))
		return FALSE;
	if (p->mode == FERRY_IPSEC_TUNNEL) {
		p->virtual_ip4 = p->virtual_ip4 && v4;
		p->virtual_ip6 = p->virtual_ip6 && v6;
	}
	report_unused(nm);
	return ferry_profile_validate(p, error);
}

GPtrArray *
ferry_import_nm(const guint8 *data, gsize len, const char *source, GError **error)
{
	g_autoptr(FerryImport) im = ferry_import_new(source, FERRY_IMPORT_FORMAT_NM);
	g_autoptr(GKeyFile) kf = g_key_file_new();
	g_autoptr(GError) local = NULL;
	NmImport nm = {.kf = kf, .import = im};
	GPtrArray *out;
	gboolean ok;

	if (!g_key_file_load_from_data(kf, (const char *)data, len, G_KEY_FILE_NONE, &local)) {
		g_set_error(error, FERRY_ERROR, FERRY_ERROR_CONFIG, "%s: not a keyfile: %s", source,
		            local->message);
		return NULL;
	}
	nm.dir = g_path_get_dirname(source);
	nm.used = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	ok = import_connection(&nm, error);
	g_hash_table_unref(nm.used);
	g_free(nm.dir);
	if (!ok) {
		g_prefix_error(error, "%s: ", source);
		return NULL;
	}
	out = g_ptr_array_new_with_free_func((GDestroyNotify)ferry_import_free);
	g_ptr_array_add(out, g_steal_pointer(&im));
	return out;
}
