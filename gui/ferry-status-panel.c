/* ferry-status-panel.c - FerryStatusPanel: the selected connection's live status and timeline */
#include "config.h"

#include <glib-unix.h>
#include <glib/gi18n.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "ferry-session-monitor.h"
#include "ferry-status-panel.h"
#include "ferry-timeline.h"

struct _FerryStatusPanel {
	GtkWidget parent_instance;

	/* template */
	GtkWidget *box;
	GtkWidget *state_dot;
	GtkLabel *title_label;
	GtkLabel *state_label;
	AdwActionRow *gateway_row;
	AdwActionRow *address_row;
	AdwActionRow *dns_row;
	AdwActionRow *traffic_row;
	FerryTimeline *timeline;

	/* owned */
	NMClient *client;
	NMRemoteConnection *connection;
	NMActiveConnection *active;
	FerrySessionMonitor *monitor;
	FerryTimelineRows *rows;
	char *name;
	char *failure;   /* the state line of a failed session */
	gint64 up_since; /* monotonic µs when the panel saw the tunnel come up; 0 = not known */
	gint64 service_start; /* monotonic µs the service process started; 0 = not known */
	GCancellable *cancellable;
	GDBusConnection *bus;
	guint tick;
};

G_DEFINE_FINAL_TYPE(FerryStatusPanel, ferry_status_panel, GTK_TYPE_WIDGET)

/* The panel SIGUSR1 renders (FERRY_GUI_SCREENSHOT): the last one given a connection. */
static FerryStatusPanel *screenshot_panel;

static const char *const state_classes[] = {"connected", "connecting", "failed", "disconnected"};

typedef enum {
	STATE_CONNECTED,
	STATE_CONNECTING,
	STATE_FAILED,
	STATE_DISCONNECTED,
} State;

/* ---------------------------------------------------------------------------------------- */
/* State: NetworkManager's view first, the service's Phase without it. */

static State
state_of_vpn(NMVpnConnectionState s, const char **text)
{
	switch (s) {
	case NM_VPN_CONNECTION_STATE_PREPARE:
		*text = _("Preparing…");
		return STATE_CONNECTING;
	case NM_VPN_CONNECTION_STATE_NEED_AUTH:
		*text = _("Waiting for secrets…");
		return STATE_CONNECTING;
	case NM_VPN_CONNECTION_STATE_CONNECT:
		*text = _("Negotiating…");
		return STATE_CONNECTING;
	case NM_VPN_CONNECTION_STATE_IP_CONFIG_GET:
		*text = _("Configuring the network…");
		return STATE_CONNECTING;
	case NM_VPN_CONNECTION_STATE_ACTIVATED:
		*text = _("Connected");
		return STATE_CONNECTED;
	case NM_VPN_CONNECTION_STATE_FAILED:
		*text = _("Failed");
		return STATE_FAILED;
	case NM_VPN_CONNECTION_STATE_UNKNOWN:
	case NM_VPN_CONNECTION_STATE_DISCONNECTED:
	default:
		*text = _("Disconnected");
		return STATE_DISCONNECTED;
	}
}

static State
state_of_phase(const char *phase, const char **text)
{
	if (g_strcmp0(phase, "up") == 0) {
		*text = _("Connected");
		return STATE_CONNECTED;
	}
	if (g_strcmp0(phase, "connecting") == 0) {
		*text = _("Negotiating…");
		return STATE_CONNECTING;
	}
	if (g_strcmp0(phase, "disconnecting") == 0) {
		*text = _("Disconnecting…");
		return STATE_CONNECTING;
	}
	*text = _("Disconnected");
	return STATE_DISCONNECTED;
}

static State
current_state(FerryStatusPanel *self, const char **text)
{
	const char *phase =
		self->monitor != NULL && ferry_session_monitor_get_present(self->monitor)
			? ferry_session_monitor_get_string(self->monitor, "Phase")
			: NULL;
	const char *error = self->monitor != NULL
	                            ? ferry_session_monitor_get_string(self->monitor, "Error")
	                            : "";
	State state;

	if (self->active != NULL && NM_IS_VPN_CONNECTION(self->active))
		state = state_of_vpn(
			nm_vpn_connection_get_vpn_state(NM_VPN_CONNECTION(self->active)), text);
	else if (self->client == NULL || phase != NULL)
		state = state_of_phase(phase, text);
	else
		state = state_of_vpn(NM_VPN_CONNECTION_STATE_DISCONNECTED, text);
	/* The session's own last word on a failure is more precise than NetworkManager's. */
	if (state == STATE_DISCONNECTED && error[0])
		state = STATE_FAILED;
	if (state == STATE_FAILED && error[0]) {
		g_free(self->failure);
		self->failure = g_strdup_printf(_("Failed: %s"), error);
		*text = self->failure;
	}
	return state;
}

static char *
format_uptime(gint64 us)
{
	gint64 s = us / G_USEC_PER_SEC;

	if (s < 3600)
		return g_strdup_printf(_("up %d:%02d"), (int)(s / 60), (int)(s % 60));
	return g_strdup_printf(_("up %d:%02d:%02d"), (int)(s / 3600), (int)(s / 60 % 60),
	                       (int)(s % 60));
}

/* ---------------------------------------------------------------------------------------- */
/* Drawing. */

static void
set_row(AdwActionRow *row, const char *value)
{
	gboolean has = value != NULL && value[0];

	adw_action_row_set_subtitle(row, has ? value : "—");
	gtk_widget_set_visible(GTK_WIDGET(row), has);
}

static char *
join_property(FerryStatusPanel *self, const char *property, const char *separator)
{
	g_autofree const char **list = ferry_session_monitor_get_strv(self->monitor, property);

	return list != NULL ? g_strjoinv(separator, (char **)list) : NULL;
}

static char *
describe_addresses(FerryStatusPanel *self)
{
	const char *parts[] = {
		ferry_session_monitor_get_string(self->monitor, "VirtualIp4"),
		ferry_session_monitor_get_string(self->monitor, "VirtualIp6"),
		ferry_session_monitor_get_string(self->monitor, "Tunnel"),
	};
	GString *s = g_string_new(NULL);

	for (gsize i = 0; i < G_N_ELEMENTS(parts); i++) {
		if (!parts[i][0])
			continue;
		if (i == 2 && s->len)
			g_string_append_printf(s, _(" on %s"), parts[i]);
		else if (i < 2)
			g_string_append_printf(s, "%s%s", s->len ? ", " : "", parts[i]);
	}
	return g_string_free(s, FALSE);
}

static char *
describe_traffic(FerryStatusPanel *self)
{
	FerrySessionMonitor *m = self->monitor;
	g_autofree char *in =
		ferry_timeline_format_bytes(ferry_session_monitor_get_uint64(m, "BytesIn"));
	g_autofree char *out =
		ferry_timeline_format_bytes(ferry_session_monitor_get_uint64(m, "BytesOut"));
	guint64 dropped = ferry_session_monitor_get_uint64(m, "Dropped");
	g_autofree char *text = g_strdup_printf(
		_("↓ %s (%" G_GUINT64_FORMAT " packets) · ↑ %s (%" G_GUINT64_FORMAT " packets)"),
		in, ferry_session_monitor_get_uint64(m, "PacketsIn"), out,
		ferry_session_monitor_get_uint64(m, "PacketsOut"));

	if (dropped == 0)
		return g_steal_pointer(&text);
	return g_strdup_printf(_("%s · %" G_GUINT64_FORMAT " dropped"), text, dropped);
}

static char *
describe_gateway(FerryStatusPanel *self)
{
	const char *gateway =
		self->monitor ? ferry_session_monitor_get_string(self->monitor, "Gateway") : "";
	const char *identity =
		self->monitor ? ferry_session_monitor_get_string(self->monitor, "RemoteIdentity")
			      : "";

	if (!gateway[0] && self->connection != NULL) {
		NMSettingVpn *vpn = nm_connection_get_setting_vpn(NM_CONNECTION(self->connection));

		gateway = vpn != NULL ? nm_setting_vpn_get_data_item(vpn, "gateway") : NULL;
		gateway = gateway != NULL ? gateway : "";
	}
	if (identity[0] && g_strcmp0(identity, gateway) != 0)
		return g_strdup_printf(_("%s, identity %s"), gateway, identity);
	return g_strdup(gateway);
}

static void
write_dump(FerryStatusPanel *self)
{
	const char *path = g_getenv("FERRY_GUI_DUMP_TIMELINE");
	g_autofree char *text = NULL;
	g_autoptr(GError) error = NULL;

	if (path == NULL || !path[0])
		return;
	text = ferry_status_panel_dup_text(self);
	if (!g_file_set_contents(path, text, -1, &error))
		g_message("FERRY_GUI_DUMP_TIMELINE: %s", error->message);
}

static void
update_header(FerryStatusPanel *self)
{
	const char *text = NULL;
	State state = current_state(self, &text);
	g_autofree char *gateway = describe_gateway(self);
	g_autofree char *line = NULL;

	gtk_label_set_text(self->title_label, self->name != NULL ? self->name : "");
	for (gsize i = 0; i < G_N_ELEMENTS(state_classes); i++)
		gtk_widget_remove_css_class(self->state_dot, state_classes[i]);
	gtk_widget_add_css_class(self->state_dot, state_classes[state]);
	/* The uptime is known when the panel saw the tunnel come up; a session that was up
	 * before the panel looked shows none rather than a wrong one. */
	if (state == STATE_CONNECTED && self->up_since == 0 && self->service_start > 0) {
		const FerryTimelineRow *traffic =
			ferry_timeline_rows_find(self->rows, FERRY_TIMELINE_STEP_TRAFFIC);

		/* Up before the panel looked: the service started the session when it started. */
		if (traffic != NULL)
			self->up_since =
				self->service_start + (gint64)(traffic->start * G_USEC_PER_SEC);
	}
	if (state == STATE_CONNECTED && self->up_since > 0) {
		g_autofree char *up = format_uptime(g_get_monotonic_time() - self->up_since);

		line = g_strdup_printf("%s · %s", text, up);
	}
	gtk_label_set_text(self->state_label, line != NULL ? line : text);
	set_row(self->gateway_row, gateway);
	if (self->monitor != NULL) {
		g_autofree char *addresses = describe_addresses(self);
		g_autofree char *dns = join_property(self, "Dns", ", ");
		g_autofree char *traffic = describe_traffic(self);
		gboolean live = state == STATE_CONNECTED ||
		                ferry_session_monitor_get_uint64(self->monitor, "PacketsIn") > 0;

		set_row(self->address_row, addresses);
		set_row(self->dns_row, dns);
		set_row(self->traffic_row, live ? traffic : NULL);
	} else {
		set_row(self->address_row, NULL);
		set_row(self->dns_row, NULL);
		set_row(self->traffic_row, NULL);
	}
	write_dump(self);
}

static void
update_timeline(FerryStatusPanel *self)
{
	ferry_timeline_update(self->timeline, self->rows);
	write_dump(self);
}

static gboolean
tick_cb(gpointer data)
{
	update_header(data);
	return G_SOURCE_CONTINUE;
}

/* ---------------------------------------------------------------------------------------- */
/* Following the session and NetworkManager. */

static void
monitor_reset_cb(FerrySessionMonitor *monitor, FerryStatusPanel *self)
{
	self->up_since = 0;
	ferry_timeline_rows_clear(self->rows);
	update_timeline(self);
}

static void
monitor_event_cb(FerrySessionMonitor *monitor,
                 const char *type,
                 double time,
                 GVariant *details,
                 FerryStatusPanel *self)
{
	ferry_timeline_rows_add_event(self->rows, type, time, details);
	/* The service's "up" seen live starts the uptime; its end or a new attempt stops it. */
	if (g_str_equal(type, "up") && !ferry_session_monitor_is_replaying(monitor))
		self->up_since = g_get_monotonic_time();
	if (g_str_equal(type, "down") || g_str_equal(type, "error"))
		self->up_since = 0;
	update_timeline(self);
	update_header(self);
}

static void
apply_stats(FerryStatusPanel *self)
{
	FerrySessionMonitor *m = self->monitor;

	ferry_timeline_rows_set_stats(self->rows, ferry_session_monitor_get_uint64(m, "BytesIn"),
	                              ferry_session_monitor_get_uint64(m, "BytesOut"),
	                              ferry_session_monitor_get_uint64(m, "PacketsIn"),
	                              ferry_session_monitor_get_uint64(m, "PacketsOut"),
	                              ferry_session_monitor_get_uint64(m, "Dropped"));
}

static void
monitor_changed_cb(FerrySessionMonitor *monitor, const char *property, FerryStatusPanel *self)
{
	if (property[0] == '\0' || g_str_has_prefix(property, "Bytes") ||
	    g_str_has_prefix(property, "Packets") || g_str_equal(property, "Dropped")) {
		apply_stats(self);
		update_timeline(self);
	}
	update_header(self);
}

/* How long ago process @pid started, from /proc (clock ticks since boot); -1 if unknown. */
static gint64
process_age_us(guint32 pid)
{
	g_autofree char *path = g_strdup_printf("/proc/%u/stat", pid);
	g_autofree char *stat = NULL, *uptime = NULL;
	const char *p;
	guint64 start_ticks;
	double up_s;

	if (!g_file_get_contents(path, &stat, NULL, NULL) ||
	    !g_file_get_contents("/proc/uptime", &uptime, NULL, NULL))
		return -1;
	/* Field 22 (starttime) counts from the end of the command name, which may hold blanks. */
	p = strrchr(stat, ')');
	if (p == NULL)
		return -1;
	for (int field = 2; field < 22 && p != NULL; field++)
		p = strchr(p + 1, ' ');
	if (p == NULL)
		return -1;
	start_ticks = g_ascii_strtoull(p + 1, NULL, 10);
	up_s = g_ascii_strtod(uptime, NULL);
	return (gint64)((up_s - (double)start_ticks / sysconf(_SC_CLK_TCK)) * G_USEC_PER_SEC);
}

static void
got_pid_cb(GObject *source, GAsyncResult *result, gpointer data)
{
	g_autoptr(GVariant) reply =
		g_dbus_connection_call_finish(G_DBUS_CONNECTION(source), result, NULL);
	FerryStatusPanel *self = data;
	guint32 pid;
	gint64 age;

	if (reply == NULL)
		return; /* cancelled, or gone */
	g_variant_get(reply, "(u)", &pid);
	age = process_age_us(pid);
	if (age >= 0) {
		self->service_start = g_get_monotonic_time() - age;
		update_header(self);
	}
}

static void
monitor_present_cb(FerrySessionMonitor *monitor, GParamSpec *pspec, FerryStatusPanel *self)
{
	const char *owner = ferry_session_monitor_get_owner(monitor);

	self->service_start = 0;
	if (owner != NULL)
		g_dbus_connection_call(self->bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
		                       "org.freedesktop.DBus", "GetConnectionUnixProcessID",
		                       g_variant_new("(s)", owner), G_VARIANT_TYPE("(u)"),
		                       G_DBUS_CALL_FLAGS_NONE, -1, self->cancellable, got_pid_cb,
		                       self);
	update_header(self);
}

static void
active_state_cb(GObject *object, GParamSpec *pspec, FerryStatusPanel *self)
{
	update_header(self);
}

static void
set_active(FerryStatusPanel *self, NMActiveConnection *active)
{
	if (self->active == active)
		return;
	if (self->active != NULL)
		g_signal_handlers_disconnect_by_data(self->active, self);
	g_set_object(&self->active, active);
	if (active != NULL) {
		g_signal_connect(active, "notify::state", G_CALLBACK(active_state_cb), self);
		if (NM_IS_VPN_CONNECTION(active))
			g_signal_connect(active, "notify::vpn-state", G_CALLBACK(active_state_cb),
			                 self);
	}
}

static void
find_active(FerryStatusPanel *self)
{
	const GPtrArray *list;
	const char *uuid = self->monitor ? ferry_session_monitor_get_uuid(self->monitor) : NULL;
	NMActiveConnection *found = NULL;

	if (self->client != NULL && uuid != NULL) {
		list = nm_client_get_active_connections(self->client);
		for (guint i = 0; list != NULL && i < list->len; i++) {
			NMActiveConnection *ac = list->pdata[i];

			if (g_strcmp0(nm_active_connection_get_uuid(ac), uuid) == 0)
				found = ac;
		}
	}
	set_active(self, found);
	update_header(self);
}

static void
active_connections_cb(NMClient *client, NMActiveConnection *ac, FerryStatusPanel *self)
{
	find_active(self);
}

void
ferry_status_panel_follow(FerryStatusPanel *self,
                          GDBusConnection *bus,
                          const char *uuid,
                          const char *name)
{
	g_return_if_fail(FERRY_IS_STATUS_PANEL(self));

	if (self->monitor != NULL) {
		g_signal_handlers_disconnect_by_data(self->monitor, self);
		g_clear_object(&self->monitor);
	}
	ferry_timeline_rows_clear(self->rows);
	g_free(self->name);
	self->name = g_strdup(name);
	self->up_since = 0;
	g_cancellable_cancel(self->cancellable);
	g_clear_object(&self->cancellable);
	self->cancellable = g_cancellable_new();
	self->service_start = 0;
	g_set_object(&self->bus, bus);
	if (uuid != NULL && bus != NULL) {
		self->monitor = ferry_session_monitor_new(bus, uuid);
		g_signal_connect(self->monitor, "reset", G_CALLBACK(monitor_reset_cb), self);
		g_signal_connect(self->monitor, "event", G_CALLBACK(monitor_event_cb), self);
		g_signal_connect(self->monitor, "changed", G_CALLBACK(monitor_changed_cb), self);
		g_signal_connect(self->monitor, "notify::present", G_CALLBACK(monitor_present_cb),
		                 self);
		screenshot_panel = self;
	}
	find_active(self);
	update_timeline(self);
}

void
ferry_status_panel_set_connection(FerryStatusPanel *self, NMRemoteConnection *connection)
{
	GDBusConnection *bus = NULL;

	g_return_if_fail(FERRY_IS_STATUS_PANEL(self));

	g_set_object(&self->connection, connection);
	if (connection != NULL && self->client != NULL)
		bus = nm_client_get_dbus_connection(self->client);
	ferry_status_panel_follow(
		self, bus, connection ? nm_connection_get_uuid(NM_CONNECTION(connection)) : NULL,
		connection ? nm_connection_get_id(NM_CONNECTION(connection)) : NULL);
}

/* ---------------------------------------------------------------------------------------- */
/* Test hooks. */

char *
ferry_status_panel_dup_text(FerryStatusPanel *self)
{
	GString *s = g_string_new(NULL);
	g_autofree char *timeline = NULL;
	AdwActionRow *rows[] = {self->gateway_row, self->address_row, self->dns_row,
	                        self->traffic_row};

	g_return_val_if_fail(FERRY_IS_STATUS_PANEL(self), NULL);

	g_string_append_printf(s, "%s\n%s\n", gtk_label_get_text(self->title_label),
	                       gtk_label_get_text(self->state_label));
	for (gsize i = 0; i < G_N_ELEMENTS(rows); i++) {
		if (gtk_widget_get_visible(GTK_WIDGET(rows[i])))
			g_string_append_printf(
				s, "%s: %s\n",
				adw_preferences_row_get_title(ADW_PREFERENCES_ROW(rows[i])),
				adw_action_row_get_subtitle(rows[i]));
	}
	g_string_append(s, "--\n");
	timeline = ferry_timeline_dup_text(self->timeline);
	g_string_append(s, timeline);
	return g_string_free(s, FALSE);
}

gboolean
ferry_status_panel_save_screenshot(FerryStatusPanel *self, const char *path, GError **error)
{
	GtkWidget *window;
	g_autoptr(GdkPaintable) paintable = NULL;
	g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new();
	g_autoptr(GskRenderNode) node = NULL;
	g_autoptr(GdkTexture) texture = NULL;
	int w, h;

	g_return_val_if_fail(FERRY_IS_STATUS_PANEL(self), FALSE);

	window = GTK_WIDGET(gtk_widget_get_root(GTK_WIDGET(self)));
	if (window == NULL || !GTK_IS_NATIVE(window) || !gtk_widget_get_realized(window)) {
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_NOT_INITIALIZED, "no window shown");
		return FALSE;
	}
	w = gtk_widget_get_width(window);
	h = gtk_widget_get_height(window);
	paintable = gtk_widget_paintable_new(window);
	gdk_paintable_snapshot(paintable, GDK_SNAPSHOT(snapshot), w, h);
	node = gtk_snapshot_to_node(snapshot);
	if (node == NULL) {
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_FAILED, "nothing drawn");
		return FALSE;
	}
	texture = gsk_renderer_render_texture(gtk_native_get_renderer(GTK_NATIVE(window)), node,
	                                      &GRAPHENE_RECT_INIT(0, 0, w, h));
	if (!gdk_texture_save_to_png(texture, path)) {
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_FAILED, "cannot write %s", path);
		return FALSE;
	}
	return TRUE;
}

/* Saves on the next frame that draws anything (a window just resized may not have yet). */
static gboolean
screenshot_tick_cb(GtkWidget *widget, GdkFrameClock *clock, gpointer data)
{
	guint *tries = data;
	const char *path = g_getenv("FERRY_GUI_SCREENSHOT");
	g_autoptr(GError) error = NULL;

	if (screenshot_panel == NULL || path == NULL)
		return G_SOURCE_REMOVE;
	if (ferry_status_panel_save_screenshot(screenshot_panel, path, &error))
		return G_SOURCE_REMOVE;
	if (++*tries < 100) {
		gtk_widget_queue_draw(widget);
		return G_SOURCE_CONTINUE;
	}
	g_message("FERRY_GUI_SCREENSHOT: %s", error->message);
	return G_SOURCE_REMOVE;
}

static gboolean
screenshot_signal_cb(gpointer data)
{
	GtkWidget *window;

	if (screenshot_panel == NULL)
		return G_SOURCE_CONTINUE;
	window = GTK_WIDGET(gtk_widget_get_root(GTK_WIDGET(screenshot_panel)));
	if (window == NULL)
		return G_SOURCE_CONTINUE;
	gtk_widget_queue_draw(window);
	gtk_widget_add_tick_callback(window, screenshot_tick_cb, g_new0(guint, 1), g_free);
	return G_SOURCE_CONTINUE;
}

/* ---------------------------------------------------------------------------------------- */

static void
ferry_status_panel_dispose(GObject *object)
{
	FerryStatusPanel *self = FERRY_STATUS_PANEL(object);

	if (screenshot_panel == self)
		screenshot_panel = NULL;
	g_clear_handle_id(&self->tick, g_source_remove);
	if (self->client != NULL)
		g_signal_handlers_disconnect_by_data(self->client, self);
	set_active(self, NULL);
	if (self->monitor != NULL)
		g_signal_handlers_disconnect_by_data(self->monitor, self);
	g_clear_object(&self->monitor);
	g_cancellable_cancel(self->cancellable);
	g_clear_object(&self->cancellable);
	g_clear_object(&self->bus);
	g_clear_object(&self->connection);
	g_clear_object(&self->client);
	gtk_widget_dispose_template(GTK_WIDGET(object), FERRY_TYPE_STATUS_PANEL);
	G_OBJECT_CLASS(ferry_status_panel_parent_class)->dispose(object);
}

static void
ferry_status_panel_finalize(GObject *object)
{
	FerryStatusPanel *self = FERRY_STATUS_PANEL(object);

	ferry_timeline_rows_free(self->rows);
	g_free(self->name);
	g_free(self->failure);
	G_OBJECT_CLASS(ferry_status_panel_parent_class)->finalize(object);
}

static void
ferry_status_panel_class_init(FerryStatusPanelClass *klass)
{
	GObjectClass *object_class = G_OBJECT_CLASS(klass);
	GtkWidgetClass *widget_class = GTK_WIDGET_CLASS(klass);

	object_class->dispose = ferry_status_panel_dispose;
	object_class->finalize = ferry_status_panel_finalize;
	gtk_widget_class_set_layout_manager_type(widget_class, GTK_TYPE_BIN_LAYOUT);
	g_type_ensure(FERRY_TYPE_TIMELINE);
	gtk_widget_class_set_template_from_resource(widget_class,
	                                            "/org/ferry_vpn/Ferry/ferry-status-panel.ui");
	gtk_widget_class_bind_template_child(widget_class, FerryStatusPanel, box);
	gtk_widget_class_bind_template_child(widget_class, FerryStatusPanel, state_dot);
	gtk_widget_class_bind_template_child(widget_class, FerryStatusPanel, title_label);
	gtk_widget_class_bind_template_child(widget_class, FerryStatusPanel, state_label);
	gtk_widget_class_bind_template_child(widget_class, FerryStatusPanel, gateway_row);
	gtk_widget_class_bind_template_child(widget_class, FerryStatusPanel, address_row);
	gtk_widget_class_bind_template_child(widget_class, FerryStatusPanel, dns_row);
	gtk_widget_class_bind_template_child(widget_class, FerryStatusPanel, traffic_row);
	gtk_widget_class_bind_template_child(widget_class, FerryStatusPanel, timeline);

	if (g_getenv("FERRY_GUI_SCREENSHOT") != NULL)
		g_unix_signal_add(SIGUSR1, screenshot_signal_cb, NULL);
}

static void
ferry_status_panel_init(FerryStatusPanel *self)
{
	gtk_widget_init_template(GTK_WIDGET(self));
	self->rows = ferry_timeline_rows_new();
	self->tick = g_timeout_add_seconds(1, tick_cb, self);
}

GtkWidget *
ferry_status_panel_new(NMClient *client)
{
	FerryStatusPanel *self = g_object_new(FERRY_TYPE_STATUS_PANEL, NULL);

	if (client != NULL) {
		self->client = g_object_ref(client);
		g_signal_connect(client, "active-connection-added",
		                 G_CALLBACK(active_connections_cb), self);
		g_signal_connect(client, "active-connection-removed",
		                 G_CALLBACK(active_connections_cb), self);
	}
	update_header(self);
	update_timeline(self);
	return GTK_WIDGET(self);
}
