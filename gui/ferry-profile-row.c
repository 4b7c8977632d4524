/* ferry-profile-row.c - FerryProfileRow: binds a FerryConnectionItem to an AdwActionRow */
#include "config.h"

#include <glib/gi18n.h>

#include "ferry-profile-row.h"

struct _FerryProfileRow {
	AdwActionRow parent;

	/* owned */
	FerryConnectionItem *item;

	/* borrowed (template children) */
	GtkImage *state_icon;
	GtkSwitch *connect_switch;
};

G_DEFINE_FINAL_TYPE(FerryProfileRow, ferry_profile_row, ADW_TYPE_ACTION_ROW)

/* Disconnected: "gateway · authentication"; otherwise the state first. */
static char *
dup_subtitle(FerryProfileRow *self)
{
	FerryConnectionState state = ferry_connection_item_get_state(self->item);
	const char *gateway = ferry_connection_item_get_gateway(self->item);

	if (state == FERRY_CONNECTION_STATE_DISCONNECTED &&
	    !ferry_connection_item_get_failure(self->item))
		return ferry_connection_item_dup_summary(self->item);
	return g_strdup_printf("%s · %s",
	                       state == FERRY_CONNECTION_STATE_DISCONNECTED
	                               ? _("Failed")
	                               : ferry_connection_state_to_string(state),
	                       gateway ? gateway : "");
}

static void
update(FerryProfileRow *self)
{
	FerryConnectionState state = ferry_connection_item_get_state(self->item);
	const char *failure = ferry_connection_item_get_failure(self->item);
	g_autofree char *subtitle = dup_subtitle(self);
	g_autofree char *title =
		g_markup_escape_text(ferry_connection_item_get_name(self->item), -1);
	g_autofree char *subtitle_markup = g_markup_escape_text(subtitle, -1);
	gboolean on = state == FERRY_CONNECTION_STATE_CONNECTING ||
	              state == FERRY_CONNECTION_STATE_CONNECTED;

	adw_preferences_row_set_title(ADW_PREFERENCES_ROW(self), title);
	adw_action_row_set_subtitle(ADW_ACTION_ROW(self), subtitle_markup);
	gtk_widget_set_tooltip_text(GTK_WIDGET(self),
	                            state == FERRY_CONNECTION_STATE_DISCONNECTED ? failure : NULL);
	/* Reflect NetworkManager without re-entering switch_state_set_cb(). */
	g_signal_handlers_block_matched(self->connect_switch, G_SIGNAL_MATCH_DATA, 0, 0, NULL, NULL,
	                                self);
	gtk_switch_set_active(self->connect_switch, on);
	gtk_switch_set_state(self->connect_switch, state == FERRY_CONNECTION_STATE_CONNECTED);
	g_signal_handlers_unblock_matched(self->connect_switch, G_SIGNAL_MATCH_DATA, 0, 0, NULL,
	                                  NULL, self);
	gtk_widget_set_sensitive(GTK_WIDGET(self->connect_switch),
	                         state != FERRY_CONNECTION_STATE_DISCONNECTING);
	gtk_image_set_from_icon_name(self->state_icon,
	                             state == FERRY_CONNECTION_STATE_CONNECTED
	                                     ? "network-vpn-symbolic"
	                                     : (state == FERRY_CONNECTION_STATE_DISCONNECTED
	                                                ? "network-vpn-disabled-symbolic"
	                                                : "network-vpn-acquiring-symbolic"));
	if (state == FERRY_CONNECTION_STATE_CONNECTED)
		gtk_widget_add_css_class(GTK_WIDGET(self->state_icon), "success");
	else
		gtk_widget_remove_css_class(GTK_WIDGET(self->state_icon), "success");
	if (state == FERRY_CONNECTION_STATE_DISCONNECTED && failure)
		gtk_widget_add_css_class(GTK_WIDGET(self->state_icon), "error");
	else
		gtk_widget_remove_css_class(GTK_WIDGET(self->state_icon), "error");
}

static gboolean
switch_state_set_cb(GtkSwitch *sw, gboolean state, FerryProfileRow *self)
{
	gtk_widget_activate_action(GTK_WIDGET(self), state ? "win.connect" : "win.disconnect", "s",
	                           ferry_connection_item_get_uuid(self->item));
	/* The switch moves when NetworkManager reports the new state (update()). */
	update(self);
	return TRUE;
}

static void
item_notify_cb(FerryConnectionItem *item, GParamSpec *pspec, FerryProfileRow *self)
{
	update(self);
}

FerryConnectionItem *
ferry_profile_row_get_item(FerryProfileRow *self)
{
	g_return_val_if_fail(FERRY_IS_PROFILE_ROW(self), NULL);

	return self->item;
}

GtkSwitch *
ferry_profile_row_get_switch(FerryProfileRow *self)
{
	g_return_val_if_fail(FERRY_IS_PROFILE_ROW(self), NULL);

	return self->connect_switch;
}

static void
ferry_profile_row_dispose(GObject *object)
{
	FerryProfileRow *self = FERRY_PROFILE_ROW(object);

	if (self->item)
		g_signal_handlers_disconnect_by_data(self->item, self);
	g_clear_object(&self->item);
	gtk_widget_dispose_template(GTK_WIDGET(self), FERRY_TYPE_PROFILE_ROW);
	G_OBJECT_CLASS(ferry_profile_row_parent_class)->dispose(object);
}

static void
ferry_profile_row_class_init(FerryProfileRowClass *klass)
{
	GtkWidgetClass *widget_class = GTK_WIDGET_CLASS(klass);

	G_OBJECT_CLASS(klass)->dispose = ferry_profile_row_dispose;
	gtk_widget_class_set_template_from_resource(widget_class,
	                                            "/org/ferry_vpn/Ferry/ferry-profile-row.ui");
	gtk_widget_class_bind_template_child(widget_class, FerryProfileRow, state_icon);
	gtk_widget_class_bind_template_child(widget_class, FerryProfileRow, connect_switch);
	gtk_widget_class_bind_template_callback(widget_class, switch_state_set_cb);
}

static void
ferry_profile_row_init(FerryProfileRow *self)
{
	gtk_widget_init_template(GTK_WIDGET(self));
}

GtkWidget *
ferry_profile_row_new(FerryConnectionItem *item)
{
	FerryProfileRow *self;

	g_return_val_if_fail(FERRY_IS_CONNECTION_ITEM(item), NULL);

	self = g_object_new(FERRY_TYPE_PROFILE_ROW, NULL);
	self->item = g_object_ref(item);
	g_signal_connect_object(item, "notify", G_CALLBACK(item_notify_cb), self, 0);
	update(self);
	return GTK_WIDGET(self);
}
