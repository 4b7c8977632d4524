/* test-gui-timeline-tray.c - FerryTray against a test StatusNotifierWatcher on a private bus,
 * and what FerryNotify says for each state change */
#include "config.h"

#include <gio/gio.h>

#include "ferry-notify.h"
#include "ferry-tray.h"

static const char watcher_xml[] =
	"<node><interface name='org.kde.StatusNotifierWatcher'>"
	"  <method name='RegisterStatusNotifierItem'><arg type='s' direction='in'/></method>"
	"</interface></node>";

typedef struct {
	GTestDBus *dbus;
	GDBusConnection *app_bus;     /* the app's session bus connection */
	GDBusConnection *watcher_bus; /* the desktop's tray host */
	GDBusNodeInfo *watcher_info;
	guint watcher_reg;
	char *registered;
	GSimpleActionGroup *actions;
	GPtrArray *activated; /* "name(param)" */
	guint opened;
	FerryTray *tray;
} Fixture;

static GDBusConnection *
connect_bus(Fixture *f)
{
	g_autoptr(GError) error = NULL;
	GDBusConnection *c = g_dbus_connection_new_for_address_sync(
		g_test_dbus_get_bus_address(f->dbus),
		G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT |
			G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
		NULL, NULL, &error);

	g_assert_no_error(error);
	return c;
}

static void
watcher_call(GDBusConnection *bus,
             const char *sender,
             const char *path,
             const char *interface,
             const char *method,
             GVariant *params,
             GDBusMethodInvocation *inv,
             gpointer data)
{
	Fixture *f = data;

	g_free(f->registered);
	g_variant_get(params, "(s)", &f->registered);
	g_dbus_method_invocation_return_value(inv, NULL);
}

static const GDBusInterfaceVTable watcher_vtable = {.method_call = watcher_call};

static void
watcher_start(Fixture *f)
{
	g_autoptr(GError) error = NULL;

	f->watcher_bus = connect_bus(f);
	f->watcher_info = g_dbus_node_info_new_for_xml(watcher_xml, &error);
	g_assert_no_error(error);
	f->watcher_reg = g_dbus_connection_register_object(f->watcher_bus, "/StatusNotifierWatcher",
	                                                   f->watcher_info->interfaces[0],
	                                                   &watcher_vtable, f, NULL, &error);
	g_assert_no_error(error);
	g_dbus_connection_call_sync(f->watcher_bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
	                            "org.freedesktop.DBus", "RequestName",
	                            g_variant_new("(su)", "org.kde.StatusNotifierWatcher", 4), NULL,
	                            G_DBUS_CALL_FLAGS_NONE, -1, NULL, &error);
	g_assert_no_error(error);
}

static void
action_cb(GSimpleAction *action, GVariant *param, gpointer data)
{
	Fixture *f = data;

	g_ptr_array_add(f->activated,
	                g_strdup_printf("%s(%s)", g_action_get_name(G_ACTION(action)),
	                                param ? g_variant_get_string(param, NULL) : ""));
}

static void
opened_cb(FerryTray *tray, Fixture *f)
{
	f->opened++;
}

static void
fixture_setup(Fixture *f, gconstpointer data)
{
	const GActionEntry entries[] = {
		{"quit",       action_cb, NULL, NULL, NULL, {0}},
		{"connect",    action_cb, "s",  NULL, NULL, {0}},
		{"disconnect", action_cb, "s",  NULL, NULL, {0}},
	};

	f->dbus = g_test_dbus_new(G_TEST_DBUS_NONE);
	g_test_dbus_up(f->dbus);
	f->app_bus = connect_bus(f);
	f->actions = g_simple_action_group_new();
	g_action_map_add_action_entries(G_ACTION_MAP(f->actions), entries, G_N_ELEMENTS(entries),
	                                f);
	f->activated = g_ptr_array_new_with_free_func(g_free);
}

static void
fixture_teardown(Fixture *f, gconstpointer data)
{
	g_clear_object(&f->tray);
	if (f->watcher_reg)
		g_dbus_connection_unregister_object(f->watcher_bus, f->watcher_reg);
	g_clear_pointer(&f->watcher_info, g_dbus_node_info_unref);
	if (f->watcher_bus)
		g_dbus_connection_close_sync(f->watcher_bus, NULL, NULL);
	g_clear_object(&f->watcher_bus);
	g_dbus_connection_close_sync(f->app_bus, NULL, NULL);
	g_clear_object(&f->app_bus);
	g_clear_object(&f->actions);
	g_ptr_array_unref(f->activated);
	g_free(f->registered);
	g_test_dbus_down(f->dbus);
	g_clear_object(&f->dbus);
}

static gboolean
timeout_cb(gpointer data)
{
	*(gboolean *)data = TRUE;
	return G_SOURCE_REMOVE;
}

#define WAIT_FOR(cond)                                                                             \
	G_STMT_START                                                                               \
	{                                                                                          \
		gboolean fired_ = FALSE;                                                           \
		guint id_ = g_timeout_add(5000, timeout_cb, &fired_);                              \
		while (!(cond) && !fired_)                                                         \
			g_main_context_iteration(NULL, TRUE);                                      \
		if (!fired_)                                                                       \
			g_source_remove(id_);                                                      \
		g_assert_true(cond);                                                               \
	}                                                                                          \
	G_STMT_END

static void
called_cb(GObject *source, GAsyncResult *result, gpointer data)
{
	GVariant **reply = data;
	g_autoptr(GError) error = NULL;

	*reply = g_dbus_connection_call_finish(G_DBUS_CONNECTION(source), result, &error);
	g_assert_no_error(error);
}

/* A method call of the host's to the item; asynchronous, since the item answers from this
 * thread's main loop. */
static GVariant *
call(Fixture *f,
     const char *path,
     const char *iface,
     const char *method,
     GVariant *args,
     const char *reply_type)
{
	GVariant *reply = NULL;

	g_dbus_connection_call(f->watcher_bus, f->registered, path, iface, method, args,
	                       reply_type ? G_VARIANT_TYPE(reply_type) : NULL,
	                       G_DBUS_CALL_FLAGS_NONE, -1, NULL, called_cb, &reply);
	WAIT_FOR(reply != NULL);
	return reply;
}

static char *
get_string(Fixture *f, const char *property)
{
	g_autoptr(GVariant) reply =
		call(f, "/StatusNotifierItem", "org.freedesktop.DBus.Properties", "Get",
	             g_variant_new("(ss)", "org.kde.StatusNotifierItem", property), "(v)");
	g_autoptr(GVariant) v = NULL;

	g_variant_get(reply, "(v)", &v);
	return g_variant_dup_string(v, NULL);
}

/* The host comes after the app (the usual order at login is either). */
static void
test_register_and_menu(Fixture *f, gconstpointer data)
{
	g_autoptr(GVariant) layout = NULL;
	g_autoptr(GVariant) root = NULL;
	g_autoptr(GVariant) children = NULL;
	g_autofree char *id = NULL, *status = NULL, *icon = NULL;
	const char *label;
	guint revision;

	f->tray = ferry_tray_new_for_bus(f->app_bus, G_ACTION_GROUP(f->actions), NULL);
	g_signal_connect(f->tray, "activate", G_CALLBACK(opened_cb), f);
	watcher_start(f);
	WAIT_FOR(f->registered != NULL);
	g_assert_cmpstr(f->registered, ==, ferry_tray_get_bus_name(f->tray));
	g_assert_true(g_str_has_prefix(f->registered, "org.kde.StatusNotifierItem-"));

	id = get_string(f, "Id");
	g_assert_cmpstr(id, ==, "org.ferry_vpn.Ferry");
	status = get_string(f, "Status");
	g_assert_cmpstr(status, ==, "Passive");
	icon = get_string(f, "IconName");
	g_assert_cmpstr(icon, ==, "network-vpn-disabled-symbolic");

	layout =
		call(f, "/MenuBar", "com.canonical.dbusmenu", "GetLayout",
	             g_variant_new("(ii@as)", 0, -1, g_variant_new_strv(NULL, 0)), "(u(ia{sv}av))");
	g_variant_get(layout, "(u@(ia{sv}av))", &revision, &root);
	children = g_variant_get_child_value(root, 2);
	/* No connections (no NetworkManager here): Open, Quit. */
	g_assert_cmpuint(g_variant_n_children(children), ==, 2);
	{
		g_autoptr(GVariant) v = g_variant_get_child_value(children, 0);
		g_autoptr(GVariant) item = g_variant_get_variant(v);
		g_autoptr(GVariant) props = g_variant_get_child_value(item, 1);

		g_assert_true(g_variant_lookup(props, "label", "&s", &label));
		g_assert_cmpstr(label, ==, "Open Ferry");
	}

	/* Clicks: the icon and "Open" show the window, "Quit" quits. */
	g_variant_unref(call(f, "/StatusNotifierItem", "org.kde.StatusNotifierItem", "Activate",
	                     g_variant_new("(ii)", 10, 10), NULL));
	g_assert_cmpuint(f->opened, ==, 1);
	g_variant_unref(call(f, "/MenuBar", "com.canonical.dbusmenu", "Event",
	                     g_variant_new("(isvu)", 1, "clicked", g_variant_new_int32(0), 0),
	                     NULL));
	g_assert_cmpuint(f->opened, ==, 2);
	g_assert_cmpuint(f->activated->len, ==, 0);
	g_variant_unref(call(f, "/MenuBar", "com.canonical.dbusmenu", "Event",
	                     g_variant_new("(isvu)", 2, "hovered", g_variant_new_int32(0), 0),
	                     NULL));
	g_assert_cmpuint(f->activated->len, ==, 0);
	g_variant_unref(call(f, "/MenuBar", "com.canonical.dbusmenu", "Event",
	                     g_variant_new("(isvu)", 2, "clicked", g_variant_new_int32(0), 0),
	                     NULL));
	g_assert_cmpuint(f->activated->len, ==, 1);
	g_assert_cmpstr(f->activated->pdata[0], ==, "quit()");
	/* An item that does not exist does nothing. */
	g_variant_unref(call(f, "/MenuBar", "com.canonical.dbusmenu", "Event",
	                     g_variant_new("(isvu)", 150, "clicked", g_variant_new_int32(0), 0),
	                     NULL));
	g_assert_cmpuint(f->activated->len, ==, 1);
}

/* The host restarts: the item registers again. */
static void
test_reregister(Fixture *f, gconstpointer data)
{
	watcher_start(f);
	f->tray = ferry_tray_new_for_bus(f->app_bus, G_ACTION_GROUP(f->actions), NULL);
	WAIT_FOR(f->registered != NULL);
	g_clear_pointer(&f->registered, g_free);
	g_dbus_connection_unregister_object(f->watcher_bus, f->watcher_reg);
	f->watcher_reg = 0;
	g_dbus_connection_close_sync(f->watcher_bus, NULL, NULL);
	g_clear_object(&f->watcher_bus);
	g_clear_pointer(&f->watcher_info, g_dbus_node_info_unref);
	watcher_start(f);
	WAIT_FOR(f->registered != NULL);
	g_assert_cmpstr(f->registered, ==, ferry_tray_get_bus_name(f->tray));
}

static void
test_notify_describe(void)
{
	static const struct {
		gboolean was_up;
		NMActiveConnectionState state;
		NMActiveConnectionStateReason reason;
		const char *title; /* NULL: nothing said */
		gboolean withdraw;
	} cases[] = {
		{FALSE, NM_ACTIVE_CONNECTION_STATE_ACTIVATING,
	         NM_ACTIVE_CONNECTION_STATE_REASON_NONE,              NULL,                          FALSE},
		{FALSE, NM_ACTIVE_CONNECTION_STATE_ACTIVATED,
	         NM_ACTIVE_CONNECTION_STATE_REASON_NONE,              "Connected to Office",         FALSE},
		{TRUE,  NM_ACTIVE_CONNECTION_STATE_DEACTIVATED,
	         NM_ACTIVE_CONNECTION_STATE_REASON_USER_DISCONNECTED, NULL,                          TRUE },
		{TRUE,  NM_ACTIVE_CONNECTION_STATE_DEACTIVATED,
	         NM_ACTIVE_CONNECTION_STATE_REASON_SERVICE_STOPPED,   "Disconnected from Office",
	         FALSE										    },
		{FALSE, NM_ACTIVE_CONNECTION_STATE_DEACTIVATED,
	         NM_ACTIVE_CONNECTION_STATE_REASON_LOGIN_FAILED,      "Could not connect to Office",
	         FALSE										    },
		{TRUE,  NM_ACTIVE_CONNECTION_STATE_DEACTIVATING,
	         NM_ACTIVE_CONNECTION_STATE_REASON_NONE,              NULL,                          FALSE},
	};

	for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autofree char *title = NULL, *body = NULL;
		gboolean withdraw = TRUE;
		gboolean said = ferry_notify_describe("Office", cases[i].was_up, cases[i].state,
		                                      cases[i].reason, &title, &body, &withdraw);

		g_assert_cmpint(said, ==, cases[i].title != NULL);
		g_assert_cmpstr(title, ==, cases[i].title);
		g_assert_cmpint(withdraw, ==, cases[i].withdraw);
		if (said)
			g_assert_true(body != NULL && body[0]);
	}
	{
		g_autofree char *title = NULL, *body = NULL;
		gboolean withdraw;

		ferry_notify_describe("Office", FALSE, NM_ACTIVE_CONNECTION_STATE_DEACTIVATED,
		                      NM_ACTIVE_CONNECTION_STATE_REASON_LOGIN_FAILED, &title, &body,
		                      &withdraw);
		g_assert_cmpstr(body, ==, "The gateway refused the login.");
	}
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add("/ferry/gui/timeline-tray/register-and-menu", Fixture, NULL, fixture_setup,
	           test_register_and_menu, fixture_teardown);
	g_test_add("/ferry/gui/timeline-tray/reregister", Fixture, NULL, fixture_setup,
	           test_reregister, fixture_teardown);
	g_test_add_func("/ferry/gui/timeline-tray/notify-describe", test_notify_describe);
	return g_test_run();
}
