/* ferry-window-actions.c - FerryWindow's actions: import, add, save, delete, export, connect */
#include "config.h"

#include <glib/gi18n.h>

#include "ferry-import.h"
#include "ferry-window-private.h"

/* --- helpers ----------------------------------------------------------------------------- */

/* "@prefix: NetworkManager's text" (its D-Bus error name stripped). */
static void
toast_error(FerryWindow *self, const char *prefix, const GError *error)
{
	g_autoptr(GError) copy = g_error_copy(error);
	g_autofree char *message = NULL;

	if (g_dbus_error_is_remote_error(copy))
		g_dbus_error_strip_remote_error(copy);
	message = g_strdup_printf("%s: %s", prefix, copy->message);
	ferry_window_toast(self, message);
}

static void toast_errorf(FerryWindow *self, const GError *error, const char *fmt, ...)
	G_GNUC_PRINTF(3, 4);

/* "<fmt ...>: NetworkManager's text" */
static void
toast_errorf(FerryWindow *self, const GError *error, const char *fmt, ...)
{
	g_autofree char *prefix = NULL;
	va_list args;

	va_start(args, fmt);
	prefix = g_strdup_vprintf(fmt, args);
	va_end(args);
	toast_error(self, prefix, error);
}

static void
dialog_closed(FerryWindow *self)
{
	self->dialog = NULL;
}

static AdwMessageDialog *
show_dialog(FerryWindow *self, const char *heading, const char *body)
{
	GtkWidget *dialog = adw_message_dialog_new(GTK_WINDOW(self), heading, body);

	self->dialog = ADW_MESSAGE_DIALOG(dialog);
	g_signal_connect_object(dialog, "destroy", G_CALLBACK(dialog_closed), self,
	                        G_CONNECT_SWAPPED);
	gtk_window_present(GTK_WINDOW(dialog));
	return self->dialog;
}

static FerryConnectionItem *
selected_item(FerryWindow *self)
{
	NMConnection *shown = ferry_profile_editor_get_connection(self->editor);

	if (!shown || ferry_profile_editor_is_new(self->editor))
		return NULL;
	return ferry_profile_list_find(self->list, nm_connection_get_uuid(shown));
}

/* --- connect / disconnect ----------------------------------------------------------------- */

typedef struct {
	FerryWindow *window; /* owned */
	char *name;
	char *uuid;
} OpData;

static OpData *
op_data_new(FerryWindow *self, const char *name)
{
	OpData *data = g_new0(OpData, 1);

	data->window = g_object_ref(self);
	data->name = g_strdup(name);
	return data;
}

static OpData *
op_data_new_for_item(FerryWindow *self, FerryConnectionItem *item)
{
	OpData *data = op_data_new(self, ferry_connection_item_get_name(item));

	data->uuid = g_strdup(ferry_connection_item_get_uuid(item));
	return data;
}

static void
op_data_free(OpData *data)
{
	g_object_unref(data->window);
	g_free(data->name);
	g_free(data->uuid);
	g_free(data);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC(OpData, op_data_free)

static void
activated_cb(GObject *source, GAsyncResult *result, gpointer user_data)
{
	g_autoptr(OpData) data = user_data;
	g_autoptr(GError) error = NULL;
	g_autoptr(NMActiveConnection) active = NULL;

	active = nm_client_activate_connection_finish(NM_CLIENT(source), result, &error);
	if (!active) {
		FerryConnectionItem *item = ferry_profile_list_find(data->window->list, data->uuid);

		/* Back from "connecting…", which connect_activated_cb() showed at once. */
		if (item && !ferry_connection_item_get_active(item))
			ferry_connection_item_set_active(item, NULL);
		toast_errorf(data->window, error, _("Cannot connect “%s”"), data->name);
	}
}

static void
connect_activated_cb(GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
	FerryWindow *self = user_data;
	const char *uuid = g_variant_get_string(parameter, NULL);
	FerryConnectionItem *item = ferry_profile_list_find(self->list, uuid);
	NMConnection *connection;

	if (!item)
		return;
	connection = ferry_connection_item_get_connection(item);
	if (!self->client || !NM_IS_REMOTE_CONNECTION(connection)) {
		ferry_window_toast(self, _("NetworkManager is not running"));
		return;
	}
	ferry_connection_item_set_state(item, FERRY_CONNECTION_STATE_CONNECTING);
	nm_client_activate_connection_async(self->client, connection, NULL, NULL, NULL,
	                                    activated_cb, op_data_new_for_item(self, item));
}

static void
deactivated_cb(GObject *source, GAsyncResult *result, gpointer user_data)
{
	g_autoptr(OpData) data = user_data;
	g_autoptr(GError) error = NULL;

	if (!nm_client_deactivate_connection_finish(NM_CLIENT(source), result, &error))
		toast_errorf(data->window, error, _("Cannot disconnect “%s”"), data->name);
}

static void
disconnect_activated_cb(GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
	FerryWindow *self = user_data;
	FerryConnectionItem *item =
		ferry_profile_list_find(self->list, g_variant_get_string(parameter, NULL));
	NMActiveConnection *active;

	if (!item)
		return;
	active = ferry_connection_item_get_active(item);
	if (!self->client || !active) {
		ferry_connection_item_set_state(item, FERRY_CONNECTION_STATE_DISCONNECTED);
		return;
	}
	nm_client_deactivate_connection_async(
		self->client, active, NULL, deactivated_cb,
		op_data_new(self, ferry_connection_item_get_name(item)));
}

/* --- add / save / delete -------------------------------------------------------------------- */

static void
added_cb(GObject *source, GAsyncResult *result, gpointer user_data)
{
	g_autoptr(OpData) data = user_data;
	g_autoptr(GError) error = NULL;
	g_autoptr(NMRemoteConnection) remote = NULL;

	remote = nm_client_add_connection2_finish(NM_CLIENT(source), result, NULL, &error);
	if (!remote)
		toast_errorf(data->window, error, _("Cannot add “%s”"), data->name);
}

static void
updated_cb(GObject *source, GAsyncResult *result, gpointer user_data)
{
	g_autoptr(OpData) data = user_data;
	g_autoptr(GVariant) out = NULL;
	g_autoptr(GError) error = NULL;

	out = nm_remote_connection_update2_finish(NM_REMOTE_CONNECTION(source), result, &error);
	if (!out) {
		toast_errorf(data->window, error, _("Cannot save “%s”"), data->name);
		return;
	}
	ferry_window_toast(data->window, _("Saved"));
}

/* Secrets to the keyring first; then NetworkManager (or the in-memory list without it). */
static gboolean
save_connection(FerryWindow *self, NMConnection *connection, gboolean is_new)
{
	const char *name = nm_connection_get_id(connection);
	NMConnection *existing = NULL;
	FerryConnectionItem *item;
	g_autoptr(GError) error = NULL;

	if (!ferry_secret_store_take_secrets(self->store, connection, &error)) {
		/* No keyring (no Secret Service running): NetworkManager keeps them instead, as
		 * it does for connections made with nmcli, rather than losing the import. */
		ferry_secret_store_mark_system_owned(connection);
		toast_errorf(self, error,
		             _("No keyring: NetworkManager keeps the secrets of “%s” instead"),
		             name);
	}
	item = ferry_profile_list_find(self->list, nm_connection_get_uuid(connection));
	if (item)
		existing = ferry_connection_item_get_connection(item);
	if (!self->client) {
		/* Replacing the item drops its row: select the new one when it is in. */
		g_free(self->select_uuid);
		self->select_uuid = g_strdup(nm_connection_get_uuid(connection));
		ferry_profile_list_add(self->list, connection);
		return TRUE;
	}
	if (!is_new && existing && NM_IS_REMOTE_CONNECTION(existing)) {
		nm_remote_connection_update2(
			NM_REMOTE_CONNECTION(existing),
			nm_connection_to_dbus(connection, NM_CONNECTION_SERIALIZE_ALL),
			NM_SETTINGS_UPDATE2_FLAG_TO_DISK, NULL, NULL, updated_cb,
			op_data_new(self, name));
		return TRUE;
	}
	nm_client_add_connection2(self->client,
	                          nm_connection_to_dbus(connection, NM_CONNECTION_SERIALIZE_ALL),
	                          NM_SETTINGS_ADD_CONNECTION2_FLAG_TO_DISK, NULL, FALSE, NULL,
	                          added_cb, op_data_new(self, name));
	return TRUE;
}

void
ferry_window_add_connections(FerryWindow *self, GPtrArray *connections)
{
	g_return_if_fail(FERRY_IS_WINDOW(self));

	for (guint i = 0; i < connections->len; i++) {
		g_autoptr(NMConnection) copy =
			nm_simple_connection_new_clone(connections->pdata[i]);

		if (save_connection(self, copy, TRUE) && i == 0)
			ferry_window_select_uuid(self, nm_connection_get_uuid(copy));
	}
}

static void
save_activated_cb(GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
	FerryWindow *self = user_data;
	g_autoptr(NMConnection) result = NULL;
	g_autoptr(GError) error = NULL;
	gboolean is_new = ferry_profile_editor_is_new(self->editor);

	result = ferry_profile_editor_dup_result(self->editor, &error);
	if (!result)
		return; /* the editor shows the error next to its fields */
	if (!save_connection(self, result, is_new))
		return;
	if (is_new) {
		g_clear_object(&self->pending_new);
		ferry_window_select_uuid(self, nm_connection_get_uuid(result));
	}
}

static void
deleted_cb(GObject *source, GAsyncResult *result, gpointer user_data)
{
	g_autoptr(OpData) data = user_data;
	g_autoptr(GError) error = NULL;

	if (!nm_remote_connection_delete_finish(NM_REMOTE_CONNECTION(source), result, &error))
		toast_errorf(data->window, error, _("Cannot delete “%s”"), data->name);
}

static void
delete_response_cb(AdwMessageDialog *dialog, const char *response, FerryWindow *self)
{
	FerryConnectionItem *item = selected_item(self);
	NMConnection *connection;
	g_autoptr(GError) error = NULL;
	g_autofree char *uuid = NULL;

	if (!item || g_strcmp0(response, "delete") != 0)
		return;
	connection = ferry_connection_item_get_connection(item);
	uuid = g_strdup(nm_connection_get_uuid(connection));
	if (!ferry_secret_store_clear(self->store, uuid, NULL, &error))
		g_message("keyring: %s", error->message);
	if (self->client && NM_IS_REMOTE_CONNECTION(connection))
		nm_remote_connection_delete_async(
			NM_REMOTE_CONNECTION(connection), NULL, deleted_cb,
			op_data_new(self, ferry_connection_item_get_name(item)));
	else
		ferry_profile_list_remove(self->list, uuid);
}

static void
delete_activated_cb(GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
	FerryWindow *self = user_data;
	FerryConnectionItem *item = selected_item(self);
	g_autofree char *heading = NULL;
	AdwMessageDialog *dialog;

	if (!item)
		return;
	heading = g_strdup_printf(_("Delete “%s”?"), ferry_connection_item_get_name(item));
	dialog = show_dialog(self, heading,
	                     _("The connection and its passwords in the keyring are removed."));
	adw_message_dialog_add_responses(dialog, "cancel", _("_Cancel"), "delete", _("_Delete"),
	                                 NULL);
	adw_message_dialog_set_response_appearance(dialog, "delete", ADW_RESPONSE_DESTRUCTIVE);
	adw_message_dialog_set_close_response(dialog, "cancel");
	g_signal_connect_object(dialog, "response", G_CALLBACK(delete_response_cb), self, 0);
}

static void
add_activated_cb(GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
	FerryWindow *self = user_data;

	g_clear_object(&self->pending_new);
	self->pending_new = ferry_profile_editor_new_connection(_("New VPN"));
	gtk_list_box_unselect_all(self->list_box);
	ferry_window_show_connection(self, self->pending_new, TRUE);
}

/* --- export ------------------------------------------------------------------------------- */

gboolean
ferry_window_export_path(FerryWindow *self, const char *path, GError **error)
{
	FerryConnectionItem *item = selected_item(self);
	g_autoptr(NMConnection) copy = NULL;
	NMVpnEditorPlugin *plugin;

	g_return_val_if_fail(FERRY_IS_WINDOW(self), FALSE);
	g_return_val_if_fail(path != NULL, FALSE);

	if (!item) {
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
		            _("No connection is selected"));
		return FALSE;
	}
	/* The secrets from the keyring go along where the format has a place for them. */
	copy = nm_simple_connection_new_clone(ferry_connection_item_get_connection(item));
	plugin = ferry_profile_editor_get_plugin(error);
	return plugin && ferry_secret_store_fill_secrets(self->store, copy, error) &&
	       nm_vpn_editor_plugin_export(plugin, path, copy, error);
}

static void
export_response_cb(GtkNativeDialog *chooser, int response, FerryWindow *self)
{
	g_autoptr(GFile) file = NULL;
	g_autofree char *path = NULL;
	g_autoptr(GError) error = NULL;

	if (response == GTK_RESPONSE_ACCEPT) {
		file = gtk_file_chooser_get_file(GTK_FILE_CHOOSER(chooser));
		path = file ? g_file_get_path(file) : NULL;
	}
	if (path && ferry_window_export_path(self, path, &error))
		ferry_window_toast(self, _("Exported"));
	else if (path)
		toast_errorf(self, error, _("Cannot export to %s"), path);
	g_object_unref(chooser);
}

static void
export_activated_cb(GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
	FerryWindow *self = user_data;
	FerryConnectionItem *item = selected_item(self);
	GtkFileChooserNative *chooser;
	g_autofree char *name = NULL;
	NMVpnEditorPlugin *plugin;

	if (!item)
		return;
	chooser = gtk_file_chooser_native_new(_("Export Connection"), GTK_WINDOW(self),
	                                      GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"),
	                                      _("_Cancel"));
	/* The format follows the extension: .sswan, .mobileconfig, otherwise a Ferry profile
	 * (the plugin suggests the latter, which holds every setting). */
	plugin = ferry_profile_editor_get_plugin(NULL);
	name = plugin ? nm_vpn_editor_plugin_get_suggested_filename(
				plugin, ferry_connection_item_get_connection(item))
	              : NULL;
	if (name)
		gtk_file_chooser_set_current_name(GTK_FILE_CHOOSER(chooser), name);
	g_signal_connect(chooser, "response", G_CALLBACK(export_response_cb), self);
	gtk_native_dialog_show(GTK_NATIVE_DIALOG(chooser));
}

/* --- import --------------------------------------------------------------------------------- */

static void
import_response_cb(AdwMessageDialog *dialog, const char *response, FerryWindow *self)
{
	FerryImportResult *result = g_object_get_data(G_OBJECT(dialog), "ferry-import");

	if (result && g_strcmp0(response, "add") == 0)
		ferry_window_add_connections(self, result->connections);
}

/* Rows naming each connection, then the file's fields that were left out, left-aligned. */
static GtkWidget *
build_import_details(const FerryImportResult *result)
{
	GtkWidget *box = gtk_box_new(GTK_ORIENTATION_VERTICAL, 12);
	GtkWidget *list = gtk_list_box_new();

	gtk_list_box_set_selection_mode(GTK_LIST_BOX(list), GTK_SELECTION_NONE);
	gtk_widget_add_css_class(list, "boxed-list");
	for (guint i = 0; i < result->connections->len; i++) {
		g_autoptr(FerryConnectionItem) item =
			ferry_connection_item_new(result->connections->pdata[i]);
		g_autofree char *summary = ferry_connection_item_dup_summary(item);
		g_autofree char *title =
			g_markup_escape_text(ferry_connection_item_get_name(item), -1);
		g_autofree char *subtitle = g_markup_escape_text(summary, -1);
		GtkWidget *row = adw_action_row_new();

		adw_preferences_row_set_title(ADW_PREFERENCES_ROW(row), title);
		adw_action_row_set_subtitle(ADW_ACTION_ROW(row), subtitle);
		gtk_list_box_append(GTK_LIST_BOX(list), row);
	}
	gtk_box_append(GTK_BOX(box), list);
	if (result->unmapped->len) {
		g_autoptr(GString) text = g_string_new(NULL);
		GtkWidget *heading = gtk_label_new(_("Left out (Ferry has no setting for these)"));
		GtkWidget *label;

		for (guint i = 0; i < result->unmapped->len; i++)
			g_string_append_printf(text, "%s• %s", i ? "\n" : "",
			                       (const char *)result->unmapped->pdata[i]);
		label = gtk_label_new(text->str);
		gtk_label_set_xalign(GTK_LABEL(heading), 0);
		gtk_widget_add_css_class(heading, "heading");
		gtk_label_set_xalign(GTK_LABEL(label), 0);
		gtk_label_set_wrap(GTK_LABEL(label), TRUE);
		gtk_label_set_selectable(GTK_LABEL(label), TRUE);
		gtk_widget_add_css_class(label, "caption");
		gtk_box_append(GTK_BOX(box), heading);
		gtk_box_append(GTK_BOX(box), label);
	}
	return box;
}

static char *
dup_import_body(const FerryImportResult *result, const char *base)
{
	if (!result->signer)
		return g_strdup_printf(_("From %s"), base);
	if (result->signer_trusted)
		return g_strdup_printf(_("From %s, signed by %s"), base, result->signer);
	return g_strdup_printf(_("From %s, signed by %s (the signature could not be verified)"),
	                       base, result->signer);
}

void
ferry_window_import_path(FerryWindow *self, const char *path)
{
	g_autoptr(FerryImportResult) result = NULL;
	g_autoptr(GError) error = NULL;
	g_autofree char *base = NULL;
	g_autofree char *heading = NULL;
	g_autofree char *body = NULL;
	AdwMessageDialog *dialog;

	g_return_if_fail(FERRY_IS_WINDOW(self));
	g_return_if_fail(path != NULL);

	base = g_path_get_basename(path);
	result = ferry_import_result_load(path, NULL, &error);
	if (!result) {
		heading = g_strdup_printf(_("Cannot Import “%s”"), base);
		dialog = show_dialog(self, heading, error->message);
		adw_message_dialog_add_response(dialog, "close", _("_Close"));
		return;
	}
	if (result->connections->len == 1)
		heading = g_strdup(_("Add VPN Connection?"));
	else
		heading = g_strdup_printf(_("Add %u VPN Connections?"), result->connections->len);
	body = dup_import_body(result, base);
	dialog = show_dialog(self, heading, body);
	adw_message_dialog_set_extra_child(dialog, build_import_details(result));
	adw_message_dialog_add_responses(dialog, "cancel", _("_Cancel"), "add", _("_Add"), NULL);
	adw_message_dialog_set_response_appearance(dialog, "add", ADW_RESPONSE_SUGGESTED);
	adw_message_dialog_set_default_response(dialog, "add");
	adw_message_dialog_set_close_response(dialog, "cancel");
	g_object_set_data_full(G_OBJECT(dialog), "ferry-import", g_steal_pointer(&result),
	                       (GDestroyNotify)ferry_import_result_free);
	g_signal_connect_object(dialog, "response", G_CALLBACK(import_response_cb), self, 0);
}

static void
import_chooser_response_cb(GtkNativeDialog *chooser, int response, FerryWindow *self)
{
	g_autoptr(GFile) file = NULL;
	g_autofree char *path = NULL;

	if (response == GTK_RESPONSE_ACCEPT) {
		file = gtk_file_chooser_get_file(GTK_FILE_CHOOSER(chooser));
		path = file ? g_file_get_path(file) : NULL;
		if (path)
			ferry_window_import_path(self, path);
	}
	g_object_unref(chooser);
}

static void
import_dialog_activated_cb(GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
	FerryWindow *self = user_data;
	GtkFileChooserNative *chooser;
	g_autoptr(GtkFileFilter) profiles = gtk_file_filter_new();
	g_autoptr(GtkFileFilter) all = gtk_file_filter_new();

	/* GtkFileDialog needs GTK 4.10; Debian 12 has 4.8. */
	chooser = gtk_file_chooser_native_new(_("Import VPN Profile"), GTK_WINDOW(self),
	                                      GTK_FILE_CHOOSER_ACTION_OPEN, _("_Import"),
	                                      _("_Cancel"));
	gtk_file_filter_set_name(profiles, _("VPN profiles"));
	gtk_file_filter_add_pattern(profiles, "*.sswan");
	gtk_file_filter_add_pattern(profiles, "*.mobileconfig");
	gtk_file_filter_add_pattern(profiles, "*.nmconnection");
	gtk_file_filter_add_pattern(profiles, "*.profile");
	gtk_file_filter_set_name(all, _("All files"));
	gtk_file_filter_add_pattern(all, "*");
	gtk_file_chooser_add_filter(GTK_FILE_CHOOSER(chooser), profiles);
	gtk_file_chooser_add_filter(GTK_FILE_CHOOSER(chooser), all);
	g_signal_connect(chooser, "response", G_CALLBACK(import_chooser_response_cb), self);
	gtk_native_dialog_show(GTK_NATIVE_DIALOG(chooser));
}

/* --- wiring ----------------------------------------------------------------------------------- */

static const GActionEntry win_actions[] = {
	{"import-dialog", import_dialog_activated_cb, NULL, NULL, NULL, {0}},
	{"add",           add_activated_cb,           NULL, NULL, NULL, {0}},
	{"connect",       connect_activated_cb,       "s",  NULL, NULL, {0}},
	{"disconnect",    disconnect_activated_cb,    "s",  NULL, NULL, {0}},
	{"save",          save_activated_cb,          NULL, NULL, NULL, {0}},
	{"delete",        delete_activated_cb,        NULL, NULL, NULL, {0}},
	{"export",        export_activated_cb,        NULL, NULL, NULL, {0}},
};

void
ferry_window_install_actions(FerryWindow *self)
{
	g_action_map_add_action_entries(G_ACTION_MAP(self), win_actions, G_N_ELEMENTS(win_actions),
	                                self);
}

void
ferry_window_update_actions(FerryWindow *self)
{
	gboolean shown = ferry_profile_editor_get_connection(self->editor) != NULL;
	gboolean saved = selected_item(self) != NULL;
	GAction *action;

	action = g_action_map_lookup_action(G_ACTION_MAP(self), "save");
	g_simple_action_set_enabled(G_SIMPLE_ACTION(action), shown);
	action = g_action_map_lookup_action(G_ACTION_MAP(self), "delete");
	g_simple_action_set_enabled(G_SIMPLE_ACTION(action), saved);
	action = g_action_map_lookup_action(G_ACTION_MAP(self), "export");
	g_simple_action_set_enabled(G_SIMPLE_ACTION(action), saved);
}
