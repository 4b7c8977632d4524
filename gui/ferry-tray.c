/* ferry-tray.c - FerryTray: the tray icon (StatusNotifierItem) with a small menu */
#include "config.h"

#include <glib/gi18n.h>
#include <unistd.h>

#include "ferry-tray.h"

#define SNI_PATH          "/StatusNotifierItem"
#define SNI_INTERFACE     "org.kde.StatusNotifierItem"
#define MENU_PATH         "/MenuBar"
#define MENU_INTERFACE    "com.canonical.dbusmenu"
#define WATCHER_NAME      "org.kde.StatusNotifierWatcher"
#define WATCHER_PATH      "/StatusNotifierWatcher"
#define FERRY_SERVICE     "org.freedesktop.NetworkManager.ferry"
#define MENU_ID_OPEN      1
#define MENU_ID_QUIT      2
#define MENU_ID_SEP       3
#define MENU_ID_FIRST_VPN 100

static const char introspection_xml[] =
	"<node>"
	"  <interface name='" SNI_INTERFACE "'>"
	"    <property name='Category' type='s' access='read'/>"
	"    <property name='Id' type='s' access='read'/>"
	"    <property name='Title' type='s' access='read'/>"
	"    <property name='Status' type='s' access='read'/>"
	"    <property name='IconName' type='s' access='read'/>"
	"    <property name='IconThemePath' type='s' access='read'/>"
	"    <property name='OverlayIconName' type='s' access='read'/>"
	"    <property name='AttentionIconName' type='s' access='read'/>"
	"    <property name='ToolTip' type='(sa(iiay)ss)' access='read'/>"
	"    <property name='ItemIsMenu' type='b' access='read'/>"
	"    <property name='Menu' type='o' access='read'/>"
	"    <property name='WindowId' type='i' access='read'/>"
	"    <method name='Activate'><arg type='i' direction='in'/><arg type='i' "
	"direction='in'/></method>"
	"    <method name='SecondaryActivate'><arg type='i' direction='in'/><arg type='i' "
	"direction='in'/></method>"
	"    <method name='ContextMenu'><arg type='i' direction='in'/><arg type='i' "
	"direction='in'/></method>"
	"    <method name='Scroll'><arg type='i' direction='in'/><arg type='s' "
	"direction='in'/></method>"
	"    <signal name='NewTitle'/>"
	"    <signal name='NewIcon'/>"
	"    <signal name='NewToolTip'/>"
	"    <signal name='NewStatus'><arg type='s'/></signal>"
	"  </interface>"
	"  <interface name='" MENU_INTERFACE "'>"
	"    <property name='Version' type='u' access='read'/>"
	"    <property name='TextDirection' type='s' access='read'/>"
	"    <property name='Status' type='s' access='read'/>"
	"    <property name='IconThemePath' type='as' access='read'/>"
	"    <method name='GetLayout'>"
	"      <arg type='i' direction='in'/><arg type='i' direction='in'/>"
	"      <arg type='as' direction='in'/>"
	"      <arg type='u' direction='out'/><arg type='(ia{sv}av)' direction='out'/>"
	"    </method>"
	"    <method name='GetGroupProperties'>"
	"      <arg type='ai' direction='in'/><arg type='as' direction='in'/>"
	"      <arg type='a(ia{sv})' direction='out'/>"
	"    </method>"
	"    <method name='GetProperty'>"
	"      <arg type='i' direction='in'/><arg type='s' direction='in'/>"
	"      <arg type='v' direction='out'/>"
	"    </method>"
	"    <method name='Event'>"
	"      <arg type='i' direction='in'/><arg type='s' direction='in'/>"
	"      <arg type='v' direction='in'/><arg type='u' direction='in'/>"
	"    </method>"
	"    <method name='EventGroup'>"
	"      <arg type='a(isvu)' direction='in'/><arg type='ai' direction='out'/>"
	"    </method>"
	"    <method name='AboutToShow'>"
	"      <arg type='i' direction='in'/><arg type='b' direction='out'/>"
	"    </method>"
	"    <method name='AboutToShowGroup'>"
	"      <arg type='ai' direction='in'/>"
	"      <arg type='ai' direction='out'/><arg type='ai' direction='out'/>"
	"    </method>"
	"    <signal name='LayoutUpdated'><arg type='u'/><arg type='i'/></signal>"
	"    <signal name='ItemsPropertiesUpdated'>"
	"      <arg type='a(ia{sv})'/><arg type='a(ias)'/>"
	"    </signal>"
	"  </interface>"
	"</node>";

/* One connection in the menu. */
typedef struct {
	char *uuid;
	char *name;
	NMActiveConnectionState state;
} Entry;

struct _FerryTray {
	GObject parent_instance;

	/* owned */
	GDBusConnection *bus;
	GActionGroup *actions;
	NMClient *client;
	GDBusNodeInfo *info;
	GArray *entries; /* Entry, in menu order */
	char *bus_name;
	guint own_id;
	guint watch_id;
	guint reg_item;
	guint reg_menu;
	guint revision;
	gboolean name_acquired;
	gboolean watcher_present;
};

enum { SIGNAL_ACTIVATE, N_SIGNALS };
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE(FerryTray, ferry_tray, G_TYPE_OBJECT)

static void
clear_entry(gpointer data)
{
	Entry *e = data;

	g_free(e->uuid);
	g_free(e->name);
}

/* ---------------------------------------------------------------------------------------- */
/* State: the connections of our type and how far each is. */

static NMActiveConnectionState
active_state(FerryTray *self, const char *uuid)
{
	const GPtrArray *list = nm_client_get_active_connections(self->client);

	for (guint i = 0; list != NULL && i < list->len; i++) {
		NMActiveConnection *ac = list->pdata[i];

		if (g_strcmp0(nm_active_connection_get_uuid(ac), uuid) == 0)
			return nm_active_connection_get_state(ac);
	}
	return NM_ACTIVE_CONNECTION_STATE_UNKNOWN;
}

static void
collect_entries(FerryTray *self)
{
	const GPtrArray *list;

	g_array_set_size(self->entries, 0);
	if (self->client == NULL)
		return;
	list = nm_client_get_connections(self->client);
	for (guint i = 0; list != NULL && i < list->len; i++) {
		NMConnection *c = list->pdata[i];
		NMSettingVpn *vpn = nm_connection_get_setting_vpn(c);
		Entry e;

		if (vpn == NULL ||
		    g_strcmp0(nm_setting_vpn_get_service_type(vpn), FERRY_SERVICE) != 0)
			continue;
		e.uuid = g_strdup(nm_connection_get_uuid(c));
		e.name = g_strdup(nm_connection_get_id(c));
		e.state = active_state(self, e.uuid);
		g_array_append_val(self->entries, e);
	}
}

/* The icon, status and tooltip for the connections' state. */
static void
describe_state(FerryTray *self, const char **icon, const char **status, char **tooltip)
{
	const Entry *up = NULL, *busy = NULL;

	for (guint i = 0; i < self->entries->len; i++) {
		const Entry *e = &g_array_index(self->entries, Entry, i);

		if (e->state == NM_ACTIVE_CONNECTION_STATE_ACTIVATED && up == NULL)
			up = e;
		if (e->state == NM_ACTIVE_CONNECTION_STATE_ACTIVATING && busy == NULL)
			busy = e;
	}
	*status = "Active";
	if (busy != NULL) {
		*icon = "network-vpn-acquiring-symbolic";
		*tooltip = g_strdup_printf(_("Connecting to %s…"), busy->name);
	} else if (up != NULL) {
		*icon = "network-vpn-symbolic";
		*tooltip = g_strdup_printf(_("Connected to %s"), up->name);
	} else {
		*icon = "network-vpn-disabled-symbolic";
		*status = "Passive";
		*tooltip = g_strdup(_("Not connected"));
	}
}

/* ---------------------------------------------------------------------------------------- */
/* org.kde.StatusNotifierItem */

static GVariant *
get_item_property(FerryTray *self, const char *name)
{
	const char *icon, *status;
	g_autofree char *tooltip = NULL;

	describe_state(self, &icon, &status, &tooltip);
	if (g_str_equal(name, "Category"))
		return g_variant_new_string("Communications");
	if (g_str_equal(name, "Id"))
		return g_variant_new_string("org.ferry_vpn.Ferry");
	if (g_str_equal(name, "Title"))
		return g_variant_new_string(_("Ferry VPN"));
	if (g_str_equal(name, "Status"))
		return g_variant_new_string(status);
	if (g_str_equal(name, "IconName"))
		return g_variant_new_string(icon);
	if (g_str_equal(name, "ToolTip"))
		return g_variant_new("(s@a(iiay)ss)", icon,
		                     g_variant_new_array(G_VARIANT_TYPE("(iiay)"), NULL, 0),
		                     _("Ferry VPN"), tooltip);
	if (g_str_equal(name, "ItemIsMenu"))
		return g_variant_new_boolean(FALSE);
	if (g_str_equal(name, "Menu"))
		return g_variant_new_object_path(MENU_PATH);
	if (g_str_equal(name, "WindowId"))
		return g_variant_new_int32(0);
	/* IconThemePath, OverlayIconName, AttentionIconName */
	return g_variant_new_string("");
}

/* ---------------------------------------------------------------------------------------- */
/* com.canonical.dbusmenu */

static GVariant *
menu_item_properties(FerryTray *self, int id)
{
	GVariantBuilder b;

	g_variant_builder_init(&b, G_VARIANT_TYPE_VARDICT);
	if (id == 0) {
		g_variant_builder_add(&b, "{sv}", "children-display",
		                      g_variant_new_string("submenu"));
	} else if (id == MENU_ID_OPEN) {
		g_variant_builder_add(&b, "{sv}", "label", g_variant_new_string(_("Open Ferry")));
	} else if (id == MENU_ID_QUIT) {
		g_variant_builder_add(&b, "{sv}", "label", g_variant_new_string(_("Quit")));
	} else if (id == MENU_ID_SEP) {
		g_variant_builder_add(&b, "{sv}", "type", g_variant_new_string("separator"));
	} else if (id >= MENU_ID_FIRST_VPN &&
	           (guint)(id - MENU_ID_FIRST_VPN) < self->entries->len) {
		const Entry *e = &g_array_index(self->entries, Entry, id - MENU_ID_FIRST_VPN);

		g_variant_builder_add(&b, "{sv}", "label", g_variant_new_string(e->name));
		g_variant_builder_add(&b, "{sv}", "toggle-type", g_variant_new_string("checkmark"));
		g_variant_builder_add(
			&b, "{sv}", "toggle-state",
			g_variant_new_int32(e->state == NM_ACTIVE_CONNECTION_STATE_ACTIVATED ||
		                            e->state == NM_ACTIVE_CONNECTION_STATE_ACTIVATING));
	}
	return g_variant_builder_end(&b);
}

static GVariant *
menu_item(FerryTray *self, int id, GVariant *children /* floating av or NULL */)
{
	return g_variant_new("(i@a{sv}@av)", id, menu_item_properties(self, id),
	                     children ? children
	                              : g_variant_new_array(G_VARIANT_TYPE_VARIANT, NULL, 0));
}

static GVariant *
menu_layout(FerryTray *self)
{
	GVariantBuilder children;

	g_variant_builder_init(&children, G_VARIANT_TYPE("av"));
	for (guint i = 0; i < self->entries->len; i++)
		g_variant_builder_add(&children, "v",
		                      menu_item(self, MENU_ID_FIRST_VPN + (int)i, NULL));
	if (self->entries->len > 0)
		g_variant_builder_add(&children, "v", menu_item(self, MENU_ID_SEP, NULL));
	g_variant_builder_add(&children, "v", menu_item(self, MENU_ID_OPEN, NULL));
	g_variant_builder_add(&children, "v", menu_item(self, MENU_ID_QUIT, NULL));
	return menu_item(self, 0, g_variant_builder_end(&children));
}

static void
menu_clicked(FerryTray *self, int id)
{
	if (id == MENU_ID_OPEN) {
		g_signal_emit(self, signals[SIGNAL_ACTIVATE], 0);
	} else if (id == MENU_ID_QUIT) {
		g_action_group_activate_action(self->actions, "quit", NULL);
	} else if (id >= MENU_ID_FIRST_VPN &&
	           (guint)(id - MENU_ID_FIRST_VPN) < self->entries->len) {
		const Entry *e = &g_array_index(self->entries, Entry, id - MENU_ID_FIRST_VPN);
		gboolean on = e->state == NM_ACTIVE_CONNECTION_STATE_ACTIVATED ||
		              e->state == NM_ACTIVE_CONNECTION_STATE_ACTIVATING;

		g_action_group_activate_action(self->actions, on ? "disconnect" : "connect",
		                               g_variant_new_string(e->uuid));
	}
}

static GVariant *
get_menu_property(const char *name)
{
	if (g_str_equal(name, "Version"))
		return g_variant_new_uint32(3);
	if (g_str_equal(name, "TextDirection"))
		return g_variant_new_string("ltr");
	if (g_str_equal(name, "Status"))
		return g_variant_new_string("normal");
	return g_variant_new_strv(NULL, 0);
}

static GVariant *
group_properties(FerryTray *self, GVariant *ids)
{
	GVariantBuilder b;
	GVariantIter iter;
	gint32 id;

	g_variant_builder_init(&b, G_VARIANT_TYPE("a(ia{sv})"));
	g_variant_iter_init(&iter, ids);
	while (g_variant_iter_next(&iter, "i", &id))
		g_variant_builder_add(&b, "(i@a{sv})", id, menu_item_properties(self, id));
	return g_variant_new("(@a(ia{sv}))", g_variant_builder_end(&b));
}

static void
menu_method(FerryTray *self, const char *method, GVariant *params, GDBusMethodInvocation *inv)
{
	if (g_str_equal(method, "GetLayout")) {
		g_dbus_method_invocation_return_value(
			inv, g_variant_new("(u@(ia{sv}av))", self->revision, menu_layout(self)));
	} else if (g_str_equal(method, "GetGroupProperties")) {
		g_autoptr(GVariant) ids = g_variant_get_child_value(params, 0);

		g_dbus_method_invocation_return_value(inv, group_properties(self, ids));
	} else if (g_str_equal(method, "GetProperty")) {
		gint32 id;
		const char *name;
		g_autoptr(GVariant) props = NULL;
		g_autoptr(GVariant) v = NULL;

		g_variant_get(params, "(i&s)", &id, &name);
		props = g_variant_ref_sink(menu_item_properties(self, id));
		v = g_variant_lookup_value(props, name, NULL);
		if (v == NULL)
			g_dbus_method_invocation_return_error(inv, G_DBUS_ERROR,
			                                      G_DBUS_ERROR_INVALID_ARGS,
			                                      "no property %s", name);
		else
			g_dbus_method_invocation_return_value(inv, g_variant_new("(v)", v));
	} else if (g_str_equal(method, "Event")) {
		gint32 id;
		const char *event;

		g_variant_get(params, "(i&svu)", &id, &event, NULL, NULL);
		if (g_str_equal(event, "clicked"))
			menu_clicked(self, id);
		g_dbus_method_invocation_return_value(inv, NULL);
	} else if (g_str_equal(method, "EventGroup")) {
		g_autoptr(GVariantIter) iter = NULL;
		gint32 id;
		const char *event;

		g_variant_get(params, "(a(isvu))", &iter);
		while (g_variant_iter_loop(iter, "(i&svu)", &id, &event, NULL, NULL)) {
			if (g_str_equal(event, "clicked"))
				menu_clicked(self, id);
		}
		g_dbus_method_invocation_return_value(
			inv,
			g_variant_new("(@ai)", g_variant_new_array(G_VARIANT_TYPE_INT32, NULL, 0)));
	} else if (g_str_equal(method, "AboutToShow")) {
		g_dbus_method_invocation_return_value(inv, g_variant_new("(b)", FALSE));
	} else {
		g_dbus_method_invocation_return_value(
			inv, g_variant_new("(@ai@ai)",
		                           g_variant_new_array(G_VARIANT_TYPE_INT32, NULL, 0),
		                           g_variant_new_array(G_VARIANT_TYPE_INT32, NULL, 0)));
	}
}

/* ---------------------------------------------------------------------------------------- */

static void
method_call(GDBusConnection *bus,
            const char *sender,
            const char *path,
            const char *interface,
            const char *method,
            GVariant *params,
            GDBusMethodInvocation *inv,
            gpointer data)
{
	FerryTray *self = data;

	if (g_str_equal(interface, MENU_INTERFACE)) {
		menu_method(self, method, params, inv);
		return;
	}
	/* A click on the icon opens the window; the menu does the rest. */
	if (g_str_equal(method, "Activate") || g_str_equal(method, "SecondaryActivate"))
		g_signal_emit(self, signals[SIGNAL_ACTIVATE], 0);
	g_dbus_method_invocation_return_value(inv, NULL);
}

static GVariant *
get_property(GDBusConnection *bus,
             const char *sender,
             const char *path,
             const char *interface,
             const char *name,
             GError **error,
             gpointer data)
{
	if (g_str_equal(interface, MENU_INTERFACE))
		return get_menu_property(name);
	return get_item_property(data, name);
}

static const GDBusInterfaceVTable vtable = {
	.method_call = method_call,
	.get_property = get_property,
};

static void
emit(FerryTray *self, const char *path, const char *interface, const char *name, GVariant *args)
{
	g_dbus_connection_emit_signal(self->bus, NULL, path, interface, name, args, NULL);
}

/* Tells the host the icon and menu changed. */
static void
refresh(FerryTray *self)
{
	const char *icon, *status;
	g_autofree char *tooltip = NULL;

	collect_entries(self);
	if (self->bus == NULL)
		return;
	describe_state(self, &icon, &status, &tooltip);
	self->revision++;
	emit(self, SNI_PATH, SNI_INTERFACE, "NewIcon", NULL);
	emit(self, SNI_PATH, SNI_INTERFACE, "NewToolTip", NULL);
	emit(self, SNI_PATH, SNI_INTERFACE, "NewStatus", g_variant_new("(s)", status));
	emit(self, MENU_PATH, MENU_INTERFACE, "LayoutUpdated",
	     g_variant_new("(ui)", self->revision, 0));
}

static void
register_item(FerryTray *self)
{
	if (!self->name_acquired || !self->watcher_present)
		return;
	g_dbus_connection_call(self->bus, WATCHER_NAME, WATCHER_PATH, WATCHER_NAME,
	                       "RegisterStatusNotifierItem", g_variant_new("(s)", self->bus_name),
	                       NULL, G_DBUS_CALL_FLAGS_NO_AUTO_START, -1, NULL, NULL, NULL);
}

static void
name_acquired_cb(GDBusConnection *bus, const char *name, gpointer data)
{
	FerryTray *self = data;

	self->name_acquired = TRUE;
	register_item(self);
}

static void
watcher_appeared_cb(GDBusConnection *bus, const char *name, const char *owner, gpointer data)
{
	FerryTray *self = data;

	self->watcher_present = TRUE;
	register_item(self);
}

static void
watcher_vanished_cb(GDBusConnection *bus, const char *name, gpointer data)
{
	FERRY_TRAY(data)->watcher_present = FALSE;
}

static void
nm_changed_cb(FerryTray *self)
{
	refresh(self);
}

static void
active_added_cb(NMClient *client, NMActiveConnection *ac, FerryTray *self)
{
	g_signal_connect_object(ac, "notify::state", G_CALLBACK(nm_changed_cb), self,
	                        G_CONNECT_SWAPPED);
	refresh(self);
}

static void
ferry_tray_dispose(GObject *object)
{
	FerryTray *self = FERRY_TRAY(object);

	g_clear_handle_id(&self->own_id, g_bus_unown_name);
	g_clear_handle_id(&self->watch_id, g_bus_unwatch_name);
	if (self->bus != NULL) {
		if (self->reg_item)
			g_dbus_connection_unregister_object(self->bus, self->reg_item);
		if (self->reg_menu)
			g_dbus_connection_unregister_object(self->bus, self->reg_menu);
		self->reg_item = self->reg_menu = 0;
	}
	g_clear_object(&self->bus);
	g_clear_object(&self->actions);
	g_clear_object(&self->client);
	G_OBJECT_CLASS(ferry_tray_parent_class)->dispose(object);
}

static void
ferry_tray_finalize(GObject *object)
{
	FerryTray *self = FERRY_TRAY(object);

	g_array_unref(self->entries);
	g_clear_pointer(&self->info, g_dbus_node_info_unref);
	g_free(self->bus_name);
	G_OBJECT_CLASS(ferry_tray_parent_class)->finalize(object);
}

static void
ferry_tray_class_init(FerryTrayClass *klass)
{
	GObjectClass *object_class = G_OBJECT_CLASS(klass);

	object_class->dispose = ferry_tray_dispose;
	object_class->finalize = ferry_tray_finalize;
	signals[SIGNAL_ACTIVATE] =
		g_signal_new("activate", G_TYPE_FROM_CLASS(klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
	                     NULL, G_TYPE_NONE, 0);
}

static void
ferry_tray_init(FerryTray *self)
{
	self->entries = g_array_new(FALSE, TRUE, sizeof(Entry));
	g_array_set_clear_func(self->entries, clear_entry);
}

FerryTray *
ferry_tray_new_for_bus(GDBusConnection *bus, GActionGroup *actions, NMClient *client)
{
	static guint count;
	FerryTray *self = g_object_new(FERRY_TYPE_TRAY, NULL);
	g_autoptr(GError) error = NULL;

	g_return_val_if_fail(bus == NULL || G_IS_DBUS_CONNECTION(bus), NULL);
	g_return_val_if_fail(G_IS_ACTION_GROUP(actions), NULL);

	self->actions = g_object_ref(actions);
	if (client != NULL) {
		const GPtrArray *list = nm_client_get_active_connections(client);

		self->client = g_object_ref(client);
		g_signal_connect_object(client, NM_CLIENT_CONNECTION_ADDED,
		                        G_CALLBACK(nm_changed_cb), self, G_CONNECT_SWAPPED);
		g_signal_connect_object(client, NM_CLIENT_CONNECTION_REMOVED,
		                        G_CALLBACK(nm_changed_cb), self, G_CONNECT_SWAPPED);
		g_signal_connect_object(client, NM_CLIENT_ACTIVE_CONNECTION_ADDED,
		                        G_CALLBACK(active_added_cb), self, 0);
		g_signal_connect_object(client, NM_CLIENT_ACTIVE_CONNECTION_REMOVED,
		                        G_CALLBACK(nm_changed_cb), self, G_CONNECT_SWAPPED);
		for (guint i = 0; list != NULL && i < list->len; i++)
			g_signal_connect_object(list->pdata[i], "notify::state",
			                        G_CALLBACK(nm_changed_cb), self, G_CONNECT_SWAPPED);
	}
	collect_entries(self);
	if (bus == NULL)
		return self;
	self->bus = g_object_ref(bus);
	self->info = g_dbus_node_info_new_for_xml(introspection_xml, &error);
	g_assert_no_error(error);
	self->reg_item = g_dbus_connection_register_object(bus, SNI_PATH, self->info->interfaces[0],
	                                                   &vtable, self, NULL, &error);
	if (self->reg_item)
		self->reg_menu = g_dbus_connection_register_object(
			bus, MENU_PATH, self->info->interfaces[1], &vtable, self, NULL, &error);
	if (!self->reg_item || !self->reg_menu) {
		g_message("tray icon: %s", error->message);
		return self;
	}
	self->bus_name =
		g_strdup_printf("org.kde.StatusNotifierItem-%d-%u", (int)getpid(), ++count);
	self->own_id =
		g_bus_own_name_on_connection(bus, self->bus_name, G_BUS_NAME_OWNER_FLAGS_NONE,
	                                     name_acquired_cb, NULL, self, NULL);
	self->watch_id = g_bus_watch_name_on_connection(
		bus, WATCHER_NAME, G_BUS_NAME_WATCHER_FLAGS_NONE, watcher_appeared_cb,
		watcher_vanished_cb, self, NULL);
	return self;
}

FerryTray *
ferry_tray_new(GApplication *app, NMClient *client)
{
	FerryTray *self;

	g_return_val_if_fail(G_IS_APPLICATION(app), NULL);

	self = ferry_tray_new_for_bus(g_application_get_dbus_connection(app), G_ACTION_GROUP(app),
	                              client);
	g_signal_connect_object(self, "activate", G_CALLBACK(g_application_activate), app,
	                        G_CONNECT_SWAPPED);
	return self;
}

const char *
ferry_tray_get_bus_name(FerryTray *self)
{
	g_return_val_if_fail(FERRY_IS_TRAY(self), NULL);

	return self->bus_name;
}
