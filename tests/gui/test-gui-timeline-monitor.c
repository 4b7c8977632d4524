/* test-gui-timeline-monitor.c - FerrySessionMonitor against the service's own Session object
 *
 * The "service" here is nm-ferry-service-state.c itself (the code nm-ferry-service exports),
 * on a connection of its own to a private bus (GTestDBus), owning the bus names NetworkManager
 * gives the plugin.  The monitor must find the instance of its connection, replay its
 * timeline, follow it live, keep the last state when it goes and move to a new instance.
 */
#include "config.h"

#include <gio/gio.h>

#include "ferry-session-monitor.h"
#include "nm-ferry-service-state.h"

#define UUID       "0c7c5c51-9f0e-4c5e-8f3a-2d1a7c0ffee1"
#define OTHER_UUID "6a1f0f36-0000-4000-8000-00000000beef"

typedef struct {
	GTestDBus *dbus;
	GDBusConnection *client;
	/* The service: one connection per instance, as each nm-ferry-service process has. */
	GDBusConnection *service[2];
	NMFerryServiceState *state[2];
	FerrySessionMonitor *monitor;
	GPtrArray *events; /* "type@time" */
	GPtrArray *changed;
	guint resets;
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

/* Starts instance @i owning @name, exporting the Session object (Uuid still empty, as
 * between NetworkManager starting the service and calling Connect). */
static void
service_start(Fixture *f, guint i, const char *name)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GVariant) reply = NULL;

	f->service[i] = connect_bus(f);
	f->state[i] = nm_ferry_service_state_new(f->service[i], &error);
	g_assert_no_error(error);
	reply = g_dbus_connection_call_sync(
		f->service[i], "org.freedesktop.DBus", "/org/freedesktop/DBus",
		"org.freedesktop.DBus", "RequestName", g_variant_new("(su)", name, 4),
		G_VARIANT_TYPE("(u)"), G_DBUS_CALL_FLAGS_NONE, -1, NULL, &error);
	g_assert_no_error(error);
}

static void
service_stop(Fixture *f, guint i)
{
	g_clear_pointer(&f->state[i], nm_ferry_service_state_free);
	if (f->service[i] != NULL)
		g_dbus_connection_close_sync(f->service[i], NULL, NULL);
	g_clear_object(&f->service[i]);
}

static void
add_event(Fixture *f, guint i, const char *type, double time, const char *details)
{
	g_autoptr(GError) error = NULL;
	GVariant *d = g_variant_parse(G_VARIANT_TYPE_VARDICT, details, NULL, NULL, &error);

	g_assert_no_error(error);
	nm_ferry_service_state_add_event(f->state[i], type, time, d);
}

static void
event_cb(FerrySessionMonitor *monitor, const char *type, double time, GVariant *d, Fixture *f)
{
	g_assert_true(g_variant_is_of_type(d, G_VARIANT_TYPE_VARDICT));
	g_ptr_array_add(f->events, g_strdup_printf("%s@%.3f", type, time));
}

static void
reset_cb(FerrySessionMonitor *monitor, Fixture *f)
{
	f->resets++;
	g_ptr_array_set_size(f->events, 0);
}

static void
changed_cb(FerrySessionMonitor *monitor, const char *property, Fixture *f)
{
	g_ptr_array_add(f->changed, g_strdup(property));
}

static void
monitor_start(Fixture *f)
{
	f->monitor = ferry_session_monitor_new(f->client, UUID);
	g_signal_connect(f->monitor, "event", G_CALLBACK(event_cb), f);
	g_signal_connect(f->monitor, "reset", G_CALLBACK(reset_cb), f);
	g_signal_connect(f->monitor, "changed", G_CALLBACK(changed_cb), f);
}

static gboolean
timeout_cb(gpointer data)
{
	gboolean *fired = data;

	*fired = TRUE;
	return G_SOURCE_REMOVE;
}

/* Runs the main loop until @cond holds (5 s at most). */
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

/* Lets pending D-Bus traffic arrive, to show that nothing (more) happens. */
static void
settle(void)
{
	gboolean fired = FALSE;

	g_timeout_add(200, timeout_cb, &fired);
	while (!fired)
		g_main_context_iteration(NULL, TRUE);
}

static void
fixture_setup(Fixture *f, gconstpointer data)
{
	g_autoptr(GError) error = NULL;

	f->dbus = g_test_dbus_new(G_TEST_DBUS_NONE);
	g_test_dbus_up(f->dbus);
	f->client = connect_bus(f);
	f->events = g_ptr_array_new_with_free_func(g_free);
	f->changed = g_ptr_array_new_with_free_func(g_free);
	(void)error;
}

static void
fixture_teardown(Fixture *f, gconstpointer data)
{
	g_clear_object(&f->monitor);
	service_stop(f, 0);
	service_stop(f, 1);
	g_dbus_connection_close_sync(f->client, NULL, NULL);
	g_clear_object(&f->client);
	g_ptr_array_unref(f->events);
	g_ptr_array_unref(f->changed);
	g_test_dbus_down(f->dbus);
	g_clear_object(&f->dbus);
}

static gboolean
changed_has(Fixture *f, const char *property)
{
	for (guint i = 0; i < f->changed->len; i++) {
		if (g_str_equal(f->changed->pdata[i], property))
			return TRUE;
	}
	return FALSE;
}

/* The service runs before the GUI: the timeline so far, then live events and properties. */
static void
test_replay_and_follow(Fixture *f, gconstpointer data)
{
	g_autofree const char **dns = NULL;

	service_start(f, 0, "org.freedesktop.NetworkManager.ferry.Connection_3");
	nm_ferry_service_state_set_connection(f->state[0], UUID, "Office", "vpn.example.net",
	                                      "alice@example.net");
	nm_ferry_service_state_set_phase(f->state[0], "connecting");
	add_event(f, 0, "sent", 0.001, "{'exchange': <'IKE_SA_INIT'>, 'bytes': <@t 312>}");
	add_event(f, 0, "received", 0.004, "{'exchange': <'IKE_SA_INIT'>, 'bytes': <@t 280>}");
	add_event(f, 0, "ike-proposal", 0.005,
	          "{'proposal': <'AES_GCM_16_256/PRF_HMAC_SHA2_256/CURVE25519'>}");

	monitor_start(f);
	g_assert_false(ferry_session_monitor_get_present(f->monitor));
	WAIT_FOR(f->events->len == 3);
	g_assert_true(ferry_session_monitor_get_present(f->monitor));
	g_assert_cmpuint(f->resets, ==, 1);
	g_assert_cmpstr(f->events->pdata[0], ==, "sent@0.001");
	g_assert_cmpstr(f->events->pdata[2], ==, "ike-proposal@0.005");
	g_assert_cmpstr(ferry_session_monitor_get_string(f->monitor, "Name"), ==, "Office");
	g_assert_cmpstr(ferry_session_monitor_get_string(f->monitor, "Phase"), ==, "connecting");
	g_assert_cmpstr(ferry_session_monitor_get_string(f->monitor, "DhGroup"), ==, "CURVE25519");
	g_assert_cmpstr(ferry_session_monitor_get_string(f->monitor, "NoSuchProperty"), ==, "");
	g_assert_nonnull(ferry_session_monitor_get_owner(f->monitor));

	/* Live. */
	add_event(f, 0, "authenticated", 0.013, "{'method': <'PSK'>, 'peer': <'gw.example.net'>}");
	add_event(f, 0, "up", 0.020,
	          "{'tun': <'tun0'>, 'ip4': <'203.0.113.130/32'>, 'dns': <['203.0.113.53']>}");
	nm_ferry_service_state_set_phase(f->state[0], "up");
	WAIT_FOR(f->events->len == 5);
	g_assert_cmpstr(f->events->pdata[4], ==, "up@0.020");
	WAIT_FOR(g_str_equal(ferry_session_monitor_get_string(f->monitor, "Phase"), "up"));
	g_assert_true(changed_has(f, "Phase"));
	g_assert_cmpstr(ferry_session_monitor_get_string(f->monitor, "RemoteIdentity"), ==,
	                "gw.example.net");
	dns = ferry_session_monitor_get_strv(f->monitor, "Dns");
	g_assert_nonnull(dns);
	g_assert_cmpstr(dns[0], ==, "203.0.113.53");
	g_assert_null(dns[1]);
	g_assert_null(ferry_session_monitor_get_strv(f->monitor, "Routes"));

	/* Counters come as properties only. */
	nm_ferry_service_state_set_stats(f->state[0], 4096, 1024, 4, 2, 1);
	WAIT_FOR(ferry_session_monitor_get_uint64(f->monitor, "BytesIn") == 4096);
	g_assert_cmpuint(ferry_session_monitor_get_uint64(f->monitor, "Dropped"), ==, 1);
	g_assert_true(changed_has(f, "BytesIn"));
	g_assert_cmpuint(f->events->len, ==, 5);

	/* The service goes away: the last state stays. */
	service_stop(f, 0);
	WAIT_FOR(!ferry_session_monitor_get_present(f->monitor));
	g_assert_null(ferry_session_monitor_get_owner(f->monitor));
	g_assert_cmpstr(ferry_session_monitor_get_string(f->monitor, "Phase"), ==, "up");
	g_assert_cmpuint(f->events->len, ==, 5);
}

/* The GUI runs first; NetworkManager starts the service, which learns its connection on
 * Connect.  Another connection's instance is never followed. */
static void
test_appears_later(Fixture *f, gconstpointer data)
{
	monitor_start(f);
	settle();
	g_assert_false(ferry_session_monitor_get_present(f->monitor));

	service_start(f, 1, "org.freedesktop.NetworkManager.ferry.Connection_1");
	nm_ferry_service_state_set_connection(f->state[1], OTHER_UUID, "Other", "gw2", "");
	add_event(f, 1, "sent", 0.0, "{'exchange': <'IKE_SA_INIT'>}");
	service_start(f, 0, "org.freedesktop.NetworkManager.ferry.Connection_2");
	settle();
	g_assert_false(ferry_session_monitor_get_present(f->monitor));
	g_assert_cmpuint(f->events->len, ==, 0);

	nm_ferry_service_state_set_connection(f->state[0], UUID, "Office", "vpn.example.net", "");
	add_event(f, 0, "sent", 0.001, "{'exchange': <'IKE_SA_INIT'>}");
	WAIT_FOR(ferry_session_monitor_get_present(f->monitor) && f->events->len == 1);
	g_assert_cmpstr(f->events->pdata[0], ==, "sent@0.001");
	add_event(f, 1, "received", 0.5, "{'exchange': <'IKE_SA_INIT'>}");
	add_event(f, 0, "received", 0.004, "{'exchange': <'IKE_SA_INIT'>}");
	WAIT_FOR(f->events->len == 2);
	settle();
	g_assert_cmpuint(f->events->len, ==, 2);
	g_assert_cmpstr(f->events->pdata[1], ==, "received@0.004");
}

/* A new instance for the same connection (reconnect): the monitor moves to it and starts over;
 * an instance reused for another connection is left. */
static void
test_new_instance(Fixture *f, gconstpointer data)
{
	const char *first_owner;
	g_autofree char *owner = NULL;

	service_start(f, 0, "org.freedesktop.NetworkManager.ferry");
	nm_ferry_service_state_set_connection(f->state[0], UUID, "Office", "vpn.example.net", "");
	add_event(f, 0, "down", 3.0, "{'reason': <'user'>}");
	monitor_start(f);
	WAIT_FOR(f->events->len == 1);
	first_owner = ferry_session_monitor_get_owner(f->monitor);
	owner = g_strdup(first_owner);

	service_start(f, 1, "org.freedesktop.NetworkManager.ferry.Connection_7");
	nm_ferry_service_state_set_connection(f->state[1], UUID, "Office", "vpn.example.net", "");
	WAIT_FOR(f->resets == 2);
	WAIT_FOR(g_strcmp0(ferry_session_monitor_get_owner(f->monitor), owner) != 0);
	add_event(f, 1, "sent", 0.002, "{'exchange': <'IKE_SA_INIT'>}");
	WAIT_FOR(f->events->len == 1);
	g_assert_cmpstr(f->events->pdata[0], ==, "sent@0.002");
	/* The old instance's events are no longer ours. */
	add_event(f, 0, "sent", 9.0, "{'exchange': <'IKE_SA_INIT'>}");
	settle();
	g_assert_cmpuint(f->events->len, ==, 1);

	/* Reused for another connection: left, its state kept. */
	nm_ferry_service_state_set_connection(f->state[1], OTHER_UUID, "Other", "gw2", "");
	WAIT_FOR(!ferry_session_monitor_get_present(f->monitor));
	g_assert_cmpstr(ferry_session_monitor_get_string(f->monitor, "Name"), ==, "Office");
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add("/ferry/gui/timeline-monitor/replay-and-follow", Fixture, NULL, fixture_setup,
	           test_replay_and_follow, fixture_teardown);
	g_test_add("/ferry/gui/timeline-monitor/appears-later", Fixture, NULL, fixture_setup,
	           test_appears_later, fixture_teardown);
	g_test_add("/ferry/gui/timeline-monitor/new-instance", Fixture, NULL, fixture_setup,
	           test_new_instance, fixture_teardown);
	return g_test_run();
}
