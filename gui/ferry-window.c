/* ferry-window.c - FerryWindow: list and details, selection, drag and drop, saved window state */
#include "config.h"

#include <glib/gi18n.h>

#include "ferry-import.h"
#include "ferry-profile-row.h"
#include "ferry-status-panel.h"
#include "ferry-window-private.h"

G_DEFINE_FINAL_TYPE(FerryWindow, ferry_window, ADW_TYPE_APPLICATION_WINDOW)

void
ferry_window_toast(FerryWindow *self, const char *text)
{
	AdwToast *toast = adw_toast_new(text);

	adw_toast_set_timeout(toast, 8);
	adw_toast_overlay_add_toast(self->toast_overlay, toast);
}

static void
item_failed_cb(FerryConnectionItem *item, const char *text, FerryWindow *self)
{
	g_autofree char *message = g_strdup_printf(_("“%s” disconnected: %s"),
	                                           ferry_connection_item_get_name(item), text);

	ferry_window_toast(self, message);
}

static GtkWidget *
create_row_cb(gpointer object, gpointer user_data)
{
	FerryWindow *self = user_data;
	FerryConnectionItem *item = object;

	/* A renamed item gets a new row; keep one failure handler per item. */
	g_signal_handlers_disconnect_by_func(item, item_failed_cb, self);
	g_signal_connect_object(item, "failed", G_CALLBACK(item_failed_cb), self, 0);
	return ferry_profile_row_new(item);
}

void
ferry_window_update_pages(FerryWindow *self)
{
	guint n = g_list_model_get_n_items(G_LIST_MODEL(self->list));
	g_autofree char *subtitle = NULL;

	gtk_stack_set_visible_child_name(self->main_stack,
	                                 n || self->pending_new ? "list" : "empty");
	gtk_stack_set_visible_child_name(
		self->detail_stack,
		ferry_profile_editor_get_connection(self->editor) ? "details" : "none");
	gtk_widget_set_visible(self->header_save_button,
	                       ferry_profile_editor_get_connection(self->editor) != NULL);
	if (!self->client)
		subtitle = g_strdup(_("NetworkManager is not running"));
	else if (n)
		subtitle = g_strdup_printf(ngettext("%u connection", "%u connections", n), n);
	adw_window_title_set_subtitle(self->window_title, subtitle ? subtitle : "");
	ferry_window_update_actions(self);
}

void
ferry_window_show_connection(FerryWindow *self, NMConnection *connection, gboolean is_new)
{
	g_autoptr(NMConnection) with_secrets = NULL;
	g_autoptr(GError) error = NULL;

	if (connection && self->store) {
		/* The editor shows the secrets kept in the keyring. */
		with_secrets = nm_simple_connection_new_clone(connection);
		if (!ferry_secret_store_fill_secrets(self->store, with_secrets, &error)) {
			g_autofree char *text =
				g_strdup_printf(_("Cannot read the keyring: %s"), error->message);

			ferry_window_toast(self, text);
			g_clear_error(&error);
		}
	}
	if (self->status_panel)
		ferry_status_panel_set_connection(FERRY_STATUS_PANEL(self->status_panel),
		                                  NM_IS_REMOTE_CONNECTION(connection)
		                                          ? NM_REMOTE_CONNECTION(connection)
		                                          : NULL);
	if (!ferry_profile_editor_set_connection(
		    self->editor, with_secrets ? with_secrets : connection, is_new, &error))
		ferry_window_toast(self, error->message);
	ferry_window_update_pages(self);
}

static void
row_selected_cb(GtkListBox *box, GtkListBoxRow *row, FerryWindow *self)
{
	FerryConnectionItem *item;

	if (!row) {
		if (!self->pending_new)
			ferry_window_show_connection(self, NULL, FALSE);
		return;
	}
	item = ferry_profile_row_get_item(FERRY_PROFILE_ROW(row));
	g_clear_object(&self->pending_new);
	ferry_window_show_connection(self, ferry_connection_item_get_connection(item), FALSE);
	if (self->settings)
		g_settings_set_string(self->settings, "last-selected",
		                      ferry_connection_item_get_uuid(item));
}

void
ferry_window_select_uuid(FerryWindow *self, const char *uuid)
{
	int pos = ferry_profile_list_find_position(self->list, uuid);

	if (pos < 0) {
		/* Not there yet (NetworkManager adds it shortly): select it when it comes. */
		g_free(self->select_uuid);
		self->select_uuid = g_strdup(uuid);
		return;
	}
	g_clear_pointer(&self->select_uuid, g_free);
	gtk_list_box_select_row(self->list_box, gtk_list_box_get_row_at_index(self->list_box, pos));
}

static void
items_changed_cb(GListModel *model, guint position, guint removed, guint added, FerryWindow *self)
{
	NMConnection *shown = ferry_profile_editor_get_connection(self->editor);

	if (self->select_uuid && ferry_profile_list_find(self->list, self->select_uuid)) {
		g_autofree char *uuid = g_steal_pointer(&self->select_uuid);

		g_clear_object(&self->pending_new);
		ferry_window_select_uuid(self, uuid);
	} else if (shown && !self->pending_new &&
	           !ferry_profile_list_find(self->list, nm_connection_get_uuid(shown))) {
		/* The connection shown was deleted. */
		ferry_window_show_connection(self, NULL, FALSE);
	} else if (shown && !self->pending_new && !gtk_list_box_get_selected_row(self->list_box)) {
		/* Its row was re-created (renamed): select it again. */
		ferry_window_select_uuid(self, nm_connection_get_uuid(shown));
	}
	ferry_window_update_pages(self);
}

/* --- drag and drop -------------------------------------------------------------------- */

static gboolean
drop_cb(GtkDropTarget *target, const GValue *value, double x, double y, FerryWindow *self)
{
	GSList *files;
	gboolean any = FALSE;

	if (!G_VALUE_HOLDS(value, GDK_TYPE_FILE_LIST))
		return FALSE;
	files = g_value_get_boxed(value);
	for (GSList *l = files; l; l = l->next) {
		g_autofree char *path = g_file_get_path(l->data);

		if (!path)
			continue;
		ferry_window_import_path(self, path);
		any = TRUE;
		/* One confirmation at a time; the rest can be dropped again. */
		break;
	}
	return any;
}

static void
setup_drop_target(FerryWindow *self)
{
	GtkDropTarget *target = gtk_drop_target_new(GDK_TYPE_FILE_LIST, GDK_ACTION_COPY);

	g_signal_connect(target, "drop", G_CALLBACK(drop_cb), self);
	gtk_widget_add_controller(GTK_WIDGET(self), GTK_EVENT_CONTROLLER(target));
}

/* --- saved state ---------------------------------------------------------------------- */

static void
setup_settings(FerryWindow *self)
{
	GSettingsSchemaSource *source = g_settings_schema_source_get_default();
	g_autoptr(GSettingsSchema) schema =
		source ? g_settings_schema_source_lookup(source, FERRY_APP_ID, TRUE) : NULL;

	/* Run from the build tree the schema may not be installed; then nothing is saved. */
	if (!schema)
		return;
	self->settings = g_settings_new(FERRY_APP_ID);
	g_settings_bind(self->settings, "window-width", self, "default-width",
	                G_SETTINGS_BIND_DEFAULT);
	g_settings_bind(self->settings, "window-height", self, "default-height",
	                G_SETTINGS_BIND_DEFAULT);
	g_settings_bind(self->settings, "window-maximized", self, "maximized",
	                G_SETTINGS_BIND_DEFAULT);
}

/* --- public ---------------------------------------------------------------------------- */

FerryProfileList *
ferry_window_get_list(FerryWindow *self)
{
	g_return_val_if_fail(FERRY_IS_WINDOW(self), NULL);

	return self->list;
}

void
ferry_window_set_secret_store(FerryWindow *self, FerrySecretStore *store)
{
	g_return_if_fail(FERRY_IS_WINDOW(self));
	g_return_if_fail(FERRY_IS_SECRET_STORE(store));

	g_set_object(&self->store, store);
}

AdwMessageDialog *
ferry_window_get_dialog(FerryWindow *self)
{
	g_return_val_if_fail(FERRY_IS_WINDOW(self), NULL);

	return self->dialog;
}

GtkWidget *
ferry_window_get_editor(FerryWindow *self)
{
	g_return_val_if_fail(FERRY_IS_WINDOW(self), NULL);

	return GTK_WIDGET(self->editor);
}

static void
ferry_window_dispose(GObject *object)
{
	FerryWindow *self = FERRY_WINDOW(object);

	if (self->list)
		g_signal_handlers_disconnect_by_data(self->list, self);
	if (self->list_box)
		gtk_list_box_bind_model(self->list_box, NULL, NULL, NULL, NULL);
	g_clear_object(&self->list);
	g_clear_object(&self->client);
	g_clear_object(&self->store);
	g_clear_object(&self->settings);
	g_clear_object(&self->pending_new);
	g_clear_pointer(&self->select_uuid, g_free);
	gtk_widget_dispose_template(GTK_WIDGET(self), FERRY_TYPE_WINDOW);
	G_OBJECT_CLASS(ferry_window_parent_class)->dispose(object);
}

static void
ferry_window_class_init(FerryWindowClass *klass)
{
	GObjectClass *object_class = G_OBJECT_CLASS(klass);
	GtkWidgetClass *widget_class = GTK_WIDGET_CLASS(klass);

	g_type_ensure(FERRY_TYPE_PROFILE_EDITOR);
	object_class->dispose = ferry_window_dispose;
	gtk_widget_class_set_template_from_resource(widget_class,
	                                            "/org/ferry_vpn/Ferry/ferry-window.ui");
	gtk_widget_class_bind_template_child(widget_class, FerryWindow, window_title);
	gtk_widget_class_bind_template_child(widget_class, FerryWindow, header_save_button);
	gtk_widget_class_bind_template_child(widget_class, FerryWindow, main_stack);
	gtk_widget_class_bind_template_child(widget_class, FerryWindow, detail_stack);
	gtk_widget_class_bind_template_child(widget_class, FerryWindow, toast_overlay);
	gtk_widget_class_bind_template_child(widget_class, FerryWindow, list_box);
	gtk_widget_class_bind_template_child(widget_class, FerryWindow, status_box);
	gtk_widget_class_bind_template_child(widget_class, FerryWindow, editor_box);
	gtk_widget_class_bind_template_callback(widget_class, row_selected_cb);
}

static void
ferry_window_init(FerryWindow *self)
{
	gtk_widget_init_template(GTK_WIDGET(self));
	self->list = ferry_profile_list_new();
	self->editor = FERRY_PROFILE_EDITOR(ferry_profile_editor_new());
	gtk_box_append(self->editor_box, GTK_WIDGET(self->editor));
	gtk_list_box_bind_model(self->list_box, G_LIST_MODEL(self->list), create_row_cb, self,
	                        NULL);
	g_signal_connect(self->list, "items-changed", G_CALLBACK(items_changed_cb), self);
	ferry_window_install_actions(self);
	setup_drop_target(self);
	setup_settings(self);
}

FerryWindow *
ferry_window_new(FerryApplication *app, NMClient *client)
{
	FerryWindow *self = g_object_new(FERRY_TYPE_WINDOW, "application", app, NULL);
	g_autofree char *last = NULL;

	self->store = ferry_secret_store_libsecret_new();
	self->client = client ? g_object_ref(client) : NULL;
	self->status_panel = ferry_status_panel_new(client);
	gtk_box_append(self->status_box, self->status_panel);
	ferry_profile_list_set_client(self->list, client);
	if (self->settings) {
		last = g_settings_get_string(self->settings, "last-selected");
		if (*last && ferry_profile_list_find(self->list, last))
			ferry_window_select_uuid(self, last);
	}
	ferry_window_update_pages(self);
	return self;
}
