/* test-nm-service-state.c - the Session object on a private bus, read as the GUI reads it */
#include "config.h"

#include <string.h>

#include "nm-ferry-service-state.h"

typedef struct {
	GTestDBus *bus;
	GDBusConnection *service; /* the plugin's side */
	GDBusConnection *client;  /* the GUI's side */
	NMFerryServiceState *state;
	GPtrArray *events;  /* "type" of each Event signal */
	GPtrArray *changed; /* names in PropertiesChanged */
} Fixture;

static GDBusConnection *
connect_bus(Fixture *f)
{
	g_autoptr(GError) error = NULL;
	GDBusConnection *c = g_dbus_connection_new_for_address_sync(
		g_test_dbus_get_bus_address(f->bus),
		G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT |
			G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
		NULL, NULL, &error);

	g_assert_no_error(error);
	return c;
}

static void
event_cb(GDBusConnection *c,
         const char *sender,
         const char *path,
         const char *iface,
         const char *signal,
         GVariant *params,
         gpointer data)
{
	Fixture *f = data;
	const char *type;

	if (strcmp(signal, "Event") == 0) {
		g_variant_get(params, "(&sd@a{sv})", &type, NULL, NULL);
		g_ptr_array_add(f->events, g_strdup(type));
	} else {
		g_autoptr(GVariant) changed = NULL;
		GVariantIter iter;
		const char *name;

		g_variant_get(params, "(&s@a{sv}@as)", NULL, &changed, NULL);
		g_variant_iter_init(&iter, changed);
		while (g_variant_iter_next(&iter, "{&sv}", &name, NULL))
			g_ptr_array_add(f->changed, g_strdup(name));
	}
}

static void
fixture_set_up(Fixture *f, gconstpointer data)
{
	g_autoptr(GError) error = NULL;

	f->bus = g_test_dbus_new(G_TEST_DBUS_NONE);
	g_test_dbus_up(f->bus);
	f->service = connect_bus(f);
	f->client = connect_bus(f);
	f->events = g_ptr_array_new_with_free_func(g_free);
	f->changed = g_ptr_array_new_with_free_func(g_free);
	f->state = nm_ferry_service_state_new(f->service, &error);
	g_assert_no_error(error);
	g_dbus_connection_signal_subscribe(f->client, NULL, NULL, NULL, NM_FERRY_STATE_PATH, NULL,
	                                   G_DBUS_SIGNAL_FLAGS_NONE, event_cb, f, NULL);
}

static void
fixture_tear_down(Fixture *f, gconstpointer data)
{
	nm_ferry_service_state_free(f->state);
	g_object_unref(f->client);
	g_dbus_connection_close_sync(f->service, NULL, NULL);
	g_object_unref(f->service);
	g_ptr_array_unref(f->events);
	g_ptr_array_unref(f->changed);
	g_test_dbus_down(f->bus);
	g_object_unref(f->bus);
}

/* Runs the client's main context until @n signals of @list arrived (or 5 s). */
static void
wait_for(GPtrArray *list, guint n)
{
	gint64 end = g_get_monotonic_time() + 5 * G_USEC_PER_SEC;

	while (list->len < n && g_get_monotonic_time() < end)
		g_main_context_iteration(NULL, TRUE);
	g_assert_cmpuint(list->len, >=, n);
}

/* A method call answered by the service's side in this same thread: iterate until the reply
 * arrives. */
static void
call_done_cb(GObject *source, GAsyncResult *result, gpointer data)
{
	GVariant **reply = data;
	g_autoptr(GError) error = NULL;

	*reply = g_dbus_connection_call_finish(G_DBUS_CONNECTION(source), result, &error);
	g_assert_no_error(error);
}

static GVariant *
call(Fixture *f, const char *iface, const char *method, GVariant *params, const char *type)
{
	GVariant *reply = NULL;

	g_dbus_connection_call(f->client, g_dbus_connection_get_unique_name(f->service),
	                       NM_FERRY_STATE_PATH, iface, method, params, G_VARIANT_TYPE(type),
	                       G_DBUS_CALL_FLAGS_NONE, 5000, NULL, call_done_cb, &reply);
	while (!reply)
		g_main_context_iteration(NULL, TRUE);
	return reply;
}

static GVariant *
get_property(Fixture *f, const char *name)
{
	g_autoptr(GVariant) reply =
		call(f, "org.freedesktop.DBus.Properties", "Get",
	             g_variant_new("(ss)", NM_FERRY_STATE_INTERFACE, name), "(v)");
	GVariant *v;

	g_variant_get(reply, "(v)", &v);
	return v;
}

static void
assert_string(Fixture *f, const char *name, const char *expect)
{
	g_autoptr(GVariant) v = get_property(f, name);

	g_assert_cmpstr(g_variant_get_string(v, NULL), ==, expect);
}

static GVariant *
details(const char *text)
{
	g_autoptr(GError) error = NULL;
	GVariant *v = g_variant_parse(G_VARIANT_TYPE_VARDICT, text, NULL, NULL, &error);

	g_assert_no_error(error);
	return v;
}

/* A connection from start to tunnel up, as the session reports it. */
static void
test_connect_story(Fixture *f, gconstpointer data)
{
	g_autoptr(GVariant) pfs = NULL, dns = NULL, bytes = NULL;
	g_autoptr(GVariant) reply = NULL;
	g_autoptr(GVariant) events = NULL;
	const char *type = NULL;
	double time = 0;

	assert_string(f, "Phase", "idle");
	nm_ferry_service_state_set_connection(f->state, "0f8b3b1e-3c7a-4d2e-9b7f-5d6a1e2c3b4a",
	                                      "Corp", "198.51.100.1", "client.example.com");
	nm_ferry_service_state_set_phase(f->state, "connecting");
	nm_ferry_service_state_add_event(f->state, "state", 0.001,
	                                 details("{'state': <'INIT_SENT'>}"));
	nm_ferry_service_state_add_event(
		f->state, "sent", 0.002,
		details("{'exchange': <'IKE_SA_INIT'>, 'message_id': <uint32 0>}"));
	nm_ferry_service_state_add_event(
		f->state, "ike-proposal", 0.010,
		details("{'proposal': <'AES_GCM_16_256/PRF_HMAC_SHA2_256/CURVE_25519'>}"));
	nm_ferry_service_state_add_event(
		f->state, "authenticated", 0.020,
		details("{'method': <'PSK'>, 'peer': <'gw.example.com'>}"));
	nm_ferry_service_state_add_event(
		f->state, "child-sa", 0.021,
		details("{'proposal': <'AES_GCM_16_256/ECP_256/ESN'>, 'protocol': <'ESP'>}"));
	nm_ferry_service_state_add_event(
		f->state, "up", 0.022,
		details("{'tun': <'ferry0'>, 'ip4': <'203.0.113.129/32'>, 'dns': "
	                "<['203.0.113.53']>, 'routes': <['203.0.113.0/25']>}"));
	nm_ferry_service_state_set_phase(f->state, "up");
	nm_ferry_service_state_set_stats(f->state, 1000, 2000, 10, 20, 1);

	assert_string(f, "Uuid", "0f8b3b1e-3c7a-4d2e-9b7f-5d6a1e2c3b4a");
	assert_string(f, "Phase", "up");
	assert_string(f, "IkeState", "INIT_SENT");
	assert_string(f, "IkeProposal", "AES_GCM_16_256/PRF_HMAC_SHA2_256/CURVE_25519");
	assert_string(f, "DhGroup", "CURVE_25519");
	assert_string(f, "ChildProposal", "AES_GCM_16_256/ECP_256/ESN");
	assert_string(f, "AuthMethod", "PSK");
	assert_string(f, "RemoteIdentity", "gw.example.com");
	assert_string(f, "LocalIdentity", "client.example.com");
	assert_string(f, "Tunnel", "ferry0");
	assert_string(f, "VirtualIp4", "203.0.113.129/32");
	assert_string(f, "VirtualIp6", "");
	pfs = get_property(f, "Pfs");
	g_assert_true(g_variant_get_boolean(pfs));
	dns = get_property(f, "Dns");
	g_assert_cmpuint(g_variant_n_children(dns), ==, 1);
	g_variant_get_child(dns, 0, "&s", &type);
	g_assert_cmpstr(type, ==, "203.0.113.53");
	bytes = get_property(f, "BytesOut");
	g_assert_cmpuint(g_variant_get_uint64(bytes), ==, 2000);

	reply = call(f, NM_FERRY_STATE_INTERFACE, "GetTimeline", NULL, "(a(sda{sv}))");
	events = g_variant_get_child_value(reply, 0);
	g_assert_cmpuint(g_variant_n_children(events), ==, 6);
	g_variant_get_child(events, 1, "(&sd@a{sv})", &type, &time, NULL);
	g_assert_cmpstr(type, ==, "sent");
	g_assert_cmpfloat(time, ==, 0.002);

	wait_for(f->events, 6);
	g_assert_cmpstr(f->events->pdata[5], ==, "up");
	g_assert_true(
		g_ptr_array_find_with_equal_func(f->changed, "VirtualIp4", g_str_equal, NULL));
	g_assert_true(g_ptr_array_find_with_equal_func(f->changed, "PacketsIn", g_str_equal, NULL));
}

/* Without a child key exchange there is no PFS; an error is readable; stats events count. */
static void
test_no_pfs_and_error(Fixture *f, gconstpointer data)
{
	g_autoptr(GVariant) pfs = NULL, dropped = NULL;

	nm_ferry_service_state_add_event(
		f->state, "child-sa", 0.1,
		details("{'proposal': <'AES_CBC_256/HMAC_SHA2_256_128'>}"));
	nm_ferry_service_state_add_event(
		f->state, "stats", 5.0, details("{'bytes_in': <uint64 7>, 'dropped': <uint64 3>}"));
	nm_ferry_service_state_add_event(
		f->state, "error", 6.0,
		details("{'code': <'AUTH_FAILED'>, 'message': <'AUTHENTICATION_FAILED'>}"));
	nm_ferry_service_state_set_phase(f->state, "down");
	pfs = get_property(f, "Pfs");
	g_assert_false(g_variant_get_boolean(pfs));
	dropped = get_property(f, "Dropped");
	g_assert_cmpuint(g_variant_get_uint64(dropped), ==, 3);
	assert_string(f, "Error", "AUTHENTICATION_FAILED");
	assert_string(f, "Phase", "down");
}

/* The timeline keeps the newest NM_FERRY_STATE_MAX_EVENTS. */
static void
test_timeline_bounded(Fixture *f, gconstpointer data)
{
	g_autoptr(GVariant) reply = NULL, events = NULL;
	double first = 0;

	for (guint i = 0; i < NM_FERRY_STATE_MAX_EVENTS + 5; i++)
		nm_ferry_service_state_add_event(f->state, "dpd", i, NULL);
	reply = call(f, NM_FERRY_STATE_INTERFACE, "GetTimeline", NULL, "(a(sda{sv}))");
	events = g_variant_get_child_value(reply, 0);
	g_assert_cmpuint(g_variant_n_children(events), ==, NM_FERRY_STATE_MAX_EVENTS);
	g_variant_get_child(events, 0, "(&sd@a{sv})", NULL, &first, NULL);
	g_assert_cmpfloat(first, ==, 5);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add("/ferry/nm/service-state/connect-story", Fixture, NULL, fixture_set_up,
	           test_connect_story, fixture_tear_down);
	g_test_add("/ferry/nm/service-state/no-pfs-and-error", Fixture, NULL, fixture_set_up,
	           test_no_pfs_and_error, fixture_tear_down);
	g_test_add("/ferry/nm/service-state/timeline-bounded", Fixture, NULL, fixture_set_up,
	           test_timeline_bounded, fixture_tear_down);
	return g_test_run();
}
