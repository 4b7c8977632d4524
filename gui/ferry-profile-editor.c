/* ferry-profile-editor.c - FerryProfileEditor: name/autoconnect plus the plugin's NMVpnEditor */
#include "config.h"

#include <unistd.h>

#include <glib/gi18n.h>

#include "ferry-error.h"
#include "ferry-profile-editor.h"
#include "ferry-secret-store.h"
#include "nm-ferry-keys.h"

struct _FerryProfileEditor {
	GtkBox parent;

	/* owned */
	NMConnection *connection; /* as given */
	NMConnection *copy;       /* what the plugin editor edits */
	NMVpnEditor *editor;
	gboolean is_new;
	gboolean modified;
	gboolean loading;

	/* borrowed (template children) */
	AdwEntryRow *name_row;
	GtkSwitch *autoconnect_switch;
	GtkBox *plugin_box;
	GtkLabel *error_label;
	GtkWidget *delete_button;
	GtkWidget *export_button;
};

G_DEFINE_FINAL_TYPE(FerryProfileEditor, ferry_profile_editor, GTK_TYPE_BOX)

NMVpnEditorPlugin *
ferry_profile_editor_get_plugin(GError **error)
{
	static NMVpnEditorPlugin *plugin;
	const char *path = g_getenv("FERRY_NM_EDITOR_PLUGIN");
	g_autoptr(NMVpnPluginInfo) info = NULL;
	GSList *infos;

	if (plugin)
		return plugin;
	if (path && *path) {
		plugin = nm_vpn_editor_plugin_load_from_file(path, NM_FERRY_VPN_SERVICE_TYPE,
		                                             getuid(), NULL, NULL, error);
		return plugin;
	}
	infos = nm_vpn_plugin_info_list_load();
	info = nm_vpn_plugin_info_list_find_by_service(infos, NM_FERRY_VPN_SERVICE_TYPE);
	if (info)
		g_object_ref(info);
	g_slist_free_full(infos, g_object_unref);
	if (!info) {
		g_set_error(
			error, FERRY_ERROR, FERRY_ERROR_CONFIG,
			_("Ferry's NetworkManager plugin is not installed (no .name file for %s)"),
			NM_FERRY_VPN_SERVICE_TYPE);
		return NULL;
	}
	plugin = nm_vpn_plugin_info_load_editor_plugin(info, error);
	if (plugin)
		g_object_ref(plugin);
	return plugin;
}

NMConnection *
ferry_profile_editor_new_connection(const char *name)
{
	NMConnection *connection = nm_simple_connection_new();
	NMSetting *s_con = nm_setting_connection_new();
	NMSetting *s_vpn = nm_setting_vpn_new();
	NMSetting *s_ip4 = nm_setting_ip4_config_new();
	NMSetting *s_ip6 = nm_setting_ip6_config_new();
	g_autofree char *uuid = nm_utils_uuid_generate();
	const NMFerryKey *keys;
	guint n;

	g_object_set(s_con, NM_SETTING_CONNECTION_ID, name, NM_SETTING_CONNECTION_UUID, uuid,
	             NM_SETTING_CONNECTION_TYPE, NM_SETTING_VPN_SETTING_NAME,
	             NM_SETTING_CONNECTION_AUTOCONNECT, FALSE, NULL);
	g_object_set(s_vpn, NM_SETTING_VPN_SERVICE_TYPE, NM_FERRY_VPN_SERVICE_TYPE, NULL);
	g_object_set(s_ip4, NM_SETTING_IP_CONFIG_METHOD, NM_SETTING_IP4_CONFIG_METHOD_AUTO, NULL);
	g_object_set(s_ip6, NM_SETTING_IP_CONFIG_METHOD, NM_SETTING_IP6_CONFIG_METHOD_AUTO, NULL);
	nm_connection_add_setting(connection, s_con);
	nm_connection_add_setting(connection, s_vpn);
	nm_connection_add_setting(connection, s_ip4);
	nm_connection_add_setting(connection, s_ip6);
	/* The chooser then offers "this user only" (the keyring) first. */
	keys = nm_ferry_keys_get_all(&n);
	for (guint i = 0; i < n; i++) {
		if (keys[i].type == NM_FERRY_KEY_SECRET)
			nm_setting_set_secret_flags(s_vpn, keys[i].name,
			                            NM_SETTING_SECRET_FLAG_AGENT_OWNED, NULL);
	}
	return connection;
}

static void
show_error(FerryProfileEditor *self, const char *message)
{
	gtk_label_set_label(self->error_label, message ? message : "");
	gtk_widget_set_visible(GTK_WIDGET(self->error_label), message != NULL);
}

static void
field_changed_cb(FerryProfileEditor *self)
{
	if (self->loading)
		return;
	self->modified = TRUE;
	show_error(self, NULL);
}

static void
editor_changed_cb(NMVpnEditor *editor, FerryProfileEditor *self)
{
	field_changed_cb(self);
}

static void
clear_editor(FerryProfileEditor *self)
{
	GtkWidget *child;

	while ((child = gtk_widget_get_first_child(GTK_WIDGET(self->plugin_box))))
		gtk_box_remove(self->plugin_box, child);
	if (self->editor)
		g_signal_handlers_disconnect_by_data(self->editor, self);
	g_clear_object(&self->editor);
	g_clear_object(&self->copy);
	g_clear_object(&self->connection);
}

gboolean
ferry_profile_editor_set_connection(FerryProfileEditor *self,
                                    NMConnection *connection,
                                    gboolean is_new,
                                    GError **error)
{
	NMVpnEditorPlugin *plugin;
	NMSettingConnection *s_con;

	g_return_val_if_fail(FERRY_IS_PROFILE_EDITOR(self), FALSE);
	g_return_val_if_fail(!connection || NM_IS_CONNECTION(connection), FALSE);

	clear_editor(self);
	show_error(self, NULL);
	self->modified = FALSE;
	self->is_new = is_new;
	if (!connection)
		return TRUE;
	plugin = ferry_profile_editor_get_plugin(error);
	if (!plugin)
		return FALSE;
	self->connection = g_object_ref(connection);
	self->copy = nm_simple_connection_new_clone(connection);
	self->editor = nm_vpn_editor_plugin_get_editor(plugin, self->copy, error);
	if (!self->editor) {
		g_clear_object(&self->copy);
		g_clear_object(&self->connection);
		return FALSE;
	}
	g_signal_connect(self->editor, "changed", G_CALLBACK(editor_changed_cb), self);
	gtk_box_append(self->plugin_box, GTK_WIDGET(nm_vpn_editor_get_widget(self->editor)));

	self->loading = TRUE;
	s_con = nm_connection_get_setting_connection(connection);
	gtk_editable_set_text(GTK_EDITABLE(self->name_row),
	                      nm_connection_get_id(connection) ? nm_connection_get_id(connection)
	                                                       : "");
	gtk_switch_set_active(self->autoconnect_switch,
	                      s_con && nm_setting_connection_get_autoconnect(s_con));
	self->loading = FALSE;
	gtk_widget_set_visible(self->delete_button, !is_new);
	gtk_widget_set_visible(self->export_button, !is_new);
	return TRUE;
}

NMConnection *
ferry_profile_editor_get_connection(FerryProfileEditor *self)
{
	g_return_val_if_fail(FERRY_IS_PROFILE_EDITOR(self), NULL);

	return self->connection;
}

gboolean
ferry_profile_editor_is_new(FerryProfileEditor *self)
{
	g_return_val_if_fail(FERRY_IS_PROFILE_EDITOR(self), FALSE);

	return self->is_new;
}

gboolean
ferry_profile_editor_is_modified(FerryProfileEditor *self)
{
	g_return_val_if_fail(FERRY_IS_PROFILE_EDITOR(self), FALSE);

	return self->modified;
}

NMConnection *
ferry_profile_editor_dup_result(FerryProfileEditor *self, GError **error)
{
	g_autoptr(NMConnection) result = NULL;
	g_autofree char *name = NULL;
	NMSettingConnection *s_con;

	g_return_val_if_fail(FERRY_IS_PROFILE_EDITOR(self), NULL);
	g_return_val_if_fail(self->copy != NULL, NULL);

	name = g_strstrip(g_strdup(gtk_editable_get_text(GTK_EDITABLE(self->name_row))));
	if (!*name) {
		g_set_error(error, FERRY_ERROR, FERRY_ERROR_CONFIG, _("name: must not be empty"));
		show_error(self, (*error)->message);
		return NULL;
	}
	result = nm_simple_connection_new_clone(self->copy);
	if (!nm_vpn_editor_update_connection(self->editor, result, error)) {
		show_error(self, (*error)->message);
		return NULL;
	}
	s_con = nm_connection_get_setting_connection(result);
	g_object_set(s_con, NM_SETTING_CONNECTION_ID, name, NM_SETTING_CONNECTION_AUTOCONNECT,
	             gtk_switch_get_active(self->autoconnect_switch), NULL);
	return g_steal_pointer(&result);
}

static void
ferry_profile_editor_dispose(GObject *object)
{
	FerryProfileEditor *self = FERRY_PROFILE_EDITOR(object);

	if (self->plugin_box)
		clear_editor(self);
	gtk_widget_dispose_template(GTK_WIDGET(self), FERRY_TYPE_PROFILE_EDITOR);
	G_OBJECT_CLASS(ferry_profile_editor_parent_class)->dispose(object);
}

static void
ferry_profile_editor_class_init(FerryProfileEditorClass *klass)
{
	GtkWidgetClass *widget_class = GTK_WIDGET_CLASS(klass);

	G_OBJECT_CLASS(klass)->dispose = ferry_profile_editor_dispose;
	gtk_widget_class_set_template_from_resource(widget_class,
	                                            "/org/ferry_vpn/Ferry/ferry-profile-editor.ui");
	gtk_widget_class_bind_template_child(widget_class, FerryProfileEditor, name_row);
	gtk_widget_class_bind_template_child(widget_class, FerryProfileEditor, autoconnect_switch);
	gtk_widget_class_bind_template_child(widget_class, FerryProfileEditor, plugin_box);
	gtk_widget_class_bind_template_child(widget_class, FerryProfileEditor, error_label);
	gtk_widget_class_bind_template_child(widget_class, FerryProfileEditor, delete_button);
	gtk_widget_class_bind_template_child(widget_class, FerryProfileEditor, export_button);
	gtk_widget_class_bind_template_callback(widget_class, field_changed_cb);
}

static void
ferry_profile_editor_init(FerryProfileEditor *self)
{
	gtk_widget_init_template(GTK_WIDGET(self));
}

GtkWidget *
ferry_profile_editor_new(void)
{
	return g_object_new(FERRY_TYPE_PROFILE_EDITOR, NULL);
}
