/* nm-ferry-editor-plugin.c - NMFerryEditorPlugin: the GTK-free editor plugin libnm loads */
#include "config.h"

#include <dlfcn.h>
#include <errno.h>
#include <string.h>

#include <gmodule.h>

#include "ferry-error.h"
#include "nm-ferry-editor-plugin.h"
#include "nm-ferry-keys.h"
#include "profile-import.h"

typedef NMVpnEditor *(*EditorFactory)(NMVpnEditorPlugin *plugin,
                                      NMConnection *connection,
                                      GError **error);

struct _NMFerryEditorPlugin {
	GObject parent;
};

enum {
	PROP_0,
	PROP_NAME,
	PROP_DESC,
	PROP_SERVICE,
};

static void editor_plugin_iface_init(NMVpnEditorPluginInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE(NMFerryEditorPlugin,
                              nm_ferry_editor_plugin,
                              G_TYPE_OBJECT,
                              G_IMPLEMENT_INTERFACE(NM_TYPE_VPN_EDITOR_PLUGIN,
                                                    editor_plugin_iface_init))

/* --- import ------------------------------------------------------------------------- */

static void
log_lost_fields(const char *what, const char *path, GPtrArray *fields)
{
	for (guint i = 0; fields && i < fields->len; i++)
		g_info("%s %s: %s", what, path, (const char *)fields->pdata[i]);
}

static NMConnection *
import_from_file(NMVpnEditorPlugin *plugin, const char *path, GError **error)
{
	g_autoptr(GPtrArray) records = NULL;
	g_autofree char *dir = NULL;
	FerryImport *import;

	records = ferry_import_file(path, NULL, error);
	if (!records)
		return NULL;
	if (records->len == 0) {
		g_set_error(error, FERRY_ERROR, FERRY_ERROR_CONFIG, "%s: no VPN connection found",
		            path);
		return NULL;
	}
	if (records->len > 1)
		g_info("%s holds %u connections; importing the first", path, records->len);
	import = records->pdata[0];
	log_lost_fields("not imported from", path, import->unmapped);
	/* Embedded certificates become files the service can read; one set per connection. */
	if (import->attachments && import->attachments->len) {
		dir = g_build_filename(g_get_user_data_dir(), NM_FERRY_IMPORT_CERT_SUBDIR, NULL);
		if (g_mkdir_with_parents(dir, 0700) != 0) {
			int errsv = errno;

			g_set_error(error, G_IO_ERROR, g_io_error_from_errno(errsv),
			            "cannot create %s: %s", dir, g_strerror(errsv));
			return NULL;
		}
		if (!ferry_import_write_attachments(import, dir, import->profile->uuid, error))
			return NULL;
	}
	return nm_ferry_keys_connection_new(import->profile, import->secrets);
}

/* --- export ------------------------------------------------------------------------- */

static FerryExportFormat
format_for_path(const char *path)
{
	g_autofree char *lower = g_ascii_strdown(path, -1);

	if (g_str_has_suffix(lower, ".sswan"))
		return FERRY_EXPORT_SSWAN;
	if (g_str_has_suffix(lower, ".mobileconfig"))
		return FERRY_EXPORT_MOBILECONFIG;
	return FERRY_EXPORT_KEYFILE;
}

static gboolean
export_to_file(NMVpnEditorPlugin *plugin,
               const char *path,
               NMConnection *connection,
               GError **error)
{
	g_autoptr(FerryProfileSecrets) secrets = NULL;
	g_autoptr(FerryProfile) profile = NULL;
	g_autoptr(GPtrArray) dropped = NULL;
	g_autoptr(GBytes) bytes = NULL;
	gsize len;
	const char *data;

	profile = nm_ferry_keys_connection_to_profile(connection, &secrets, error);
	if (!profile)
		return FALSE;
	bytes = ferry_export(profile, secrets, format_for_path(path), &dropped, error);
	if (!bytes)
		return FALSE;
	log_lost_fields("not exported to", path, dropped);
	data = g_bytes_get_data(bytes, &len);
	/* An export may carry secrets (.mobileconfig: the PSK): readable by the user only. */
	return g_file_set_contents_full(path, data, (gssize)len, G_FILE_SET_CONTENTS_CONSISTENT,
	                                0600, error);
}

static char *
get_suggested_filename(NMVpnEditorPlugin *plugin, NMConnection *connection)
{
	const char *id = nm_connection_get_id(connection);
	g_autofree char *name = g_strdup(id && *id ? id : "ferry");

	g_strdelimit(name, "/\\:", '-');
	return g_strconcat(name, ".profile", NULL);
}

static NMVpnEditorPluginCapability
get_capabilities(NMVpnEditorPlugin *plugin)
{
	return NM_VPN_EDITOR_PLUGIN_CAPABILITY_IMPORT | NM_VPN_EDITOR_PLUGIN_CAPABILITY_EXPORT |
	       NM_VPN_EDITOR_PLUGIN_CAPABILITY_IPV6;
}

/* --- the GTK editor, loaded on demand ---------------------------------------------- */

static char *
own_directory(void)
{
	Dl_info info;

	if (!dladdr((void *)nm_vpn_editor_plugin_factory, &info) || !info.dli_fname)
		return NULL;
	return g_path_get_dirname(info.dli_fname);
}

static gboolean
host_uses_gtk3(void)
{
	GModule *self = g_module_open(NULL, 0);
	gpointer symbol = NULL;
	gboolean gtk3;

	if (!self)
		return FALSE;
	/* gtk_container_add exists in GTK 3 only. */
	gtk3 = g_module_symbol(self, "gtk_container_add", &symbol);
	g_module_close(self);
	return gtk3;
}

/* GType registration cannot be repeated, so the library is opened once and kept. */
static EditorFactory
load_factory(GError **error)
{
	static EditorFactory factory;
	g_autofree char *dir = NULL;
	g_autofree char *path = NULL;
	GModule *module;

	if (factory)
		return factory;
	if (host_uses_gtk3()) {
		g_set_error(error, NM_VPN_PLUGIN_ERROR, NM_VPN_PLUGIN_ERROR_FAILED,
		            "the Ferry editor needs GTK 4; this program uses GTK 3");
		return NULL;
	}
	dir = own_directory();
	path = g_build_filename(dir ? dir : ".", NM_FERRY_EDITOR_GTK4_LIBRARY, NULL);
	module = g_module_open(path, G_MODULE_BIND_LOCAL);
	if (!module) {
		g_set_error(error, NM_VPN_PLUGIN_ERROR, NM_VPN_PLUGIN_ERROR_FAILED,
		            "cannot load %s: %s", path, g_module_error());
		return NULL;
	}
	if (!g_module_symbol(module, NM_FERRY_EDITOR_FACTORY, (gpointer *)&factory)) {
		g_set_error(error, NM_VPN_PLUGIN_ERROR, NM_VPN_PLUGIN_ERROR_FAILED, "%s has no %s",
		            path, NM_FERRY_EDITOR_FACTORY);
		g_module_close(module);
		return NULL;
	}
	g_module_make_resident(module);
	return factory;
}

static NMVpnEditor *
get_editor(NMVpnEditorPlugin *plugin, NMConnection *connection, GError **error)
{
	EditorFactory factory = load_factory(error);

	return factory ? factory(plugin, connection, error) : NULL;
}

/* --- GObject ------------------------------------------------------------------------ */

static void
get_property(GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
	switch (prop_id) {
	case PROP_NAME:
		g_value_set_string(value, "IPsec/IKEv2 (Ferry)");
		break;
	case PROP_DESC:
		g_value_set_string(value, "IKEv2 remote access with certificates, EAP or a "
		                          "pre-shared key (Ferry)");
		break;
	case PROP_SERVICE:
		g_value_set_string(value, NM_FERRY_VPN_SERVICE_TYPE);
		break;
	default:
		G_OBJECT_WARN_INVALID_PROPERTY_ID(object, prop_id, pspec);
		break;
	}
}

static void
nm_ferry_editor_plugin_init(NMFerryEditorPlugin *self)
{
}

static void
editor_plugin_iface_init(NMVpnEditorPluginInterface *iface)
{
	iface->get_editor = get_editor;
	iface->get_capabilities = get_capabilities;
	iface->import_from_file = import_from_file;
	iface->export_to_file = export_to_file;
	iface->get_suggested_filename = get_suggested_filename;
}

static void
nm_ferry_editor_plugin_class_init(NMFerryEditorPluginClass *klass)
{
	GObjectClass *object_class = G_OBJECT_CLASS(klass);

	object_class->get_property = get_property;
	g_object_class_override_property(object_class, PROP_NAME, NM_VPN_EDITOR_PLUGIN_NAME);
	g_object_class_override_property(object_class, PROP_DESC, NM_VPN_EDITOR_PLUGIN_DESCRIPTION);
	g_object_class_override_property(object_class, PROP_SERVICE, NM_VPN_EDITOR_PLUGIN_SERVICE);
}

G_MODULE_EXPORT NMVpnEditorPlugin *
nm_vpn_editor_plugin_factory(GError **error)
{
	g_return_val_if_fail(!error || !*error, NULL);

	return g_object_new(NM_FERRY_TYPE_EDITOR_PLUGIN, NULL);
}
