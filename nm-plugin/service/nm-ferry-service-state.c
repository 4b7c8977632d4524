/* nm-ferry-service-state.c - the Session D-Bus object: live state, counters and the timeline */
#include "config.h"

#include <string.h>

#include "nm-ferry-service-state.h"

static const char introspection_xml[] =
	"<node>"
	"  <interface name='" NM_FERRY_STATE_INTERFACE "'>"
	"    <property name='Uuid' type='s' access='read'/>"
	"    <property name='Name' type='s' access='read'/>"
	"    <property name='Gateway' type='s' access='read'/>"
	"    <property name='Phase' type='s' access='read'/>"
	"    <property name='IkeState' type='s' access='read'/>"
	"    <property name='IkeProposal' type='s' access='read'/>"
	"    <property name='ChildProposal' type='s' access='read'/>"
	"    <property name='DhGroup' type='s' access='read'/>"
	"    <property name='Pfs' type='b' access='read'/>"
	"    <property name='AuthMethod' type='s' access='read'/>"
	"    <property name='LocalIdentity' type='s' access='read'/>"
	"    <property name='RemoteIdentity' type='s' access='read'/>"
	"    <property name='Tunnel' type='s' access='read'/>"
	"    <property name='VirtualIp4' type='s' access='read'/>"
	"    <property name='VirtualIp6' type='s' access='read'/>"
	"    <property name='Dns' type='as' access='read'/>"
	"    <property name='Routes' type='as' access='read'/>"
	"    <property name='BytesIn' type='t' access='read'/>"
	"    <property name='BytesOut' type='t' access='read'/>"
	"    <property name='PacketsIn' type='t' access='read'/>"
	"    <property name='PacketsOut' type='t' access='read'/>"
	"    <property name='Dropped' type='t' access='read'/>"
	"    <property name='Error' type='s' access='read'/>"
	"    <method name='GetTimeline'>"
	"      <arg name='events' type='a(sda{sv})' direction='out'/>"
	"    </method>"
	"    <signal name='Event'>"
	"      <arg name='type' type='s'/>"
	"      <arg name='time' type='d'/>"
	"      <arg name='details' type='a{sv}'/>"
	"    </signal>"
	"  </interface>"
	"</node>";

struct _NMFerryServiceState {
	/* borrowed */
	GDBusConnection *connection;
	/* owned */
	GDBusNodeInfo *info;
	guint registration;
	GHashTable *props;   /* name -> GVariant (sunk) */
	GPtrArray *timeline; /* GVariant (sda{sv}), sunk */
};

static GVariant *
default_value(const GDBusPropertyInfo *p)
{
	if (strcmp(p->signature, "s") == 0)
		return g_variant_new_string("");
	if (strcmp(p->signature, "b") == 0)
		return g_variant_new_boolean(FALSE);
	if (strcmp(p->signature, "t") == 0)
		return g_variant_new_uint64(0);
	return g_variant_new_strv(NULL, 0);
}

static GVariant *
get_property(GDBusConnection *connection,
             const char *sender,
             const char *path,
             const char *interface,
             const char *name,
             GError **error,
             gpointer data)
{
	NMFerryServiceState *state = data;
	GVariant *v = g_hash_table_lookup(state->props, name);

	if (!v) {
		g_set_error(error, G_DBUS_ERROR, G_DBUS_ERROR_UNKNOWN_PROPERTY, "no property %s",
		            name);
		return NULL;
	}
	return g_variant_ref(v);
}

static void
method_call(GDBusConnection *connection,
            const char *sender,
            const char *path,
            const char *interface,
            const char *method,
            GVariant *parameters,
            GDBusMethodInvocation *invocation,
            gpointer data)
{
	NMFerryServiceState *state = data;
	GVariantBuilder b;

	if (strcmp(method, "GetTimeline") != 0) {
		g_dbus_method_invocation_return_error(invocation, G_DBUS_ERROR,
		                                      G_DBUS_ERROR_UNKNOWN_METHOD, "no method %s",
		                                      method);
		return;
	}
	g_variant_builder_init(&b, G_VARIANT_TYPE("a(sda{sv})"));
	for (guint i = 0; i < state->timeline->len; i++)
		g_variant_builder_add_value(&b, state->timeline->pdata[i]);
	g_dbus_method_invocation_return_value(invocation, g_variant_new("(a(sda{sv}))", &b));
}

static const GDBusInterfaceVTable vtable = {
	.method_call = method_call,
	.get_property = get_property,
};

NMFerryServiceState *
nm_ferry_service_state_new(GDBusConnection *connection, GError **error)
{
	g_autoptr(GDBusNodeInfo) info = g_dbus_node_info_new_for_xml(introspection_xml, error);
	NMFerryServiceState *state;
	GDBusInterfaceInfo *iface;

	g_return_val_if_fail(info != NULL, NULL);
	iface = info->interfaces[0];
	state = g_new0(NMFerryServiceState, 1);
	state->connection = connection;
	state->info = g_steal_pointer(&info);
	state->props = g_hash_table_new_full(g_str_hash, g_str_equal, NULL,
	                                     (GDestroyNotify)g_variant_unref);
	state->timeline = g_ptr_array_new_with_free_func((GDestroyNotify)g_variant_unref);
	for (guint i = 0; iface->properties[i]; i++)
		g_hash_table_insert(state->props, iface->properties[i]->name,
		                    g_variant_ref_sink(default_value(iface->properties[i])));
	g_hash_table_replace(state->props, "Phase",
	                     g_variant_ref_sink(g_variant_new_string("idle")));
	state->registration = g_dbus_connection_register_object(connection, NM_FERRY_STATE_PATH,
	                                                        iface, &vtable, state, NULL, error);
	if (!state->registration) {
		nm_ferry_service_state_free(state);
		return NULL;
	}
	return state;
}

void
nm_ferry_service_state_free(NMFerryServiceState *state)
{
	if (!state)
		return;
	if (state->registration)
		g_dbus_connection_unregister_object(state->connection, state->registration);
	g_clear_pointer(&state->props, g_hash_table_unref);
	g_clear_pointer(&state->timeline, g_ptr_array_unref);
	g_clear_pointer(&state->info, g_dbus_node_info_unref);
	g_free(state);
}

/* Collects changed properties and emits them in one PropertiesChanged. */
typedef struct {
	NMFerryServiceState *state;
	GVariantBuilder changed;
	guint n;
} Update;

static void
update_begin(Update *u, NMFerryServiceState *state)
{
	u->state = state;
	u->n = 0;
	g_variant_builder_init(&u->changed, G_VARIANT_TYPE("a{sv}"));
}

static void
update_set(Update *u, const char *name, GVariant *value)
{
	GVariant *old = g_hash_table_lookup(u->state->props, name);

	g_variant_ref_sink(value);
	g_return_if_fail(old != NULL && g_variant_is_of_type(value, g_variant_get_type(old)));
	if (g_variant_equal(old, value)) {
		g_variant_unref(value);
		return;
	}
	/* The table's keys are the introspection data's names; keep that pointer. */
	g_hash_table_insert(u->state->props, (gpointer)g_intern_string(name), value);
	g_variant_builder_add(&u->changed, "{sv}", name, value);
	u->n++;
}

static void
update_set_string(Update *u, const char *name, const char *value)
{
	update_set(u, name, g_variant_new_string(value ? value : ""));
}

static void
update_end(Update *u)
{
	GVariant *changed = g_variant_builder_end(&u->changed);

	if (!u->n) {
		g_variant_unref(g_variant_ref_sink(changed));
		return;
	}
	g_dbus_connection_emit_signal(
		u->state->connection, NULL, NM_FERRY_STATE_PATH, "org.freedesktop.DBus.Properties",
		"PropertiesChanged",
		g_variant_new("(s@a{sv}as)", NM_FERRY_STATE_INTERFACE, changed, NULL), NULL);
}

void
nm_ferry_service_state_set_connection(NMFerryServiceState *state,
                                      const char *uuid,
                                      const char *name,
                                      const char *gateway,
                                      const char *local_identity)
{
	Update u;

	update_begin(&u, state);
	update_set_string(&u, "Uuid", uuid);
	update_set_string(&u, "Name", name);
	update_set_string(&u, "Gateway", gateway);
	update_set_string(&u, "LocalIdentity", local_identity);
	update_end(&u);
}

void
nm_ferry_service_state_set_phase(NMFerryServiceState *state, const char *phase)
{
	Update u;

	update_begin(&u, state);
	update_set_string(&u, "Phase", phase);
	update_end(&u);
}

void
nm_ferry_service_state_set_error(NMFerryServiceState *state, const char *message)
{
	Update u;

	update_begin(&u, state);
	update_set_string(&u, "Error", message);
	update_end(&u);
}

static void
set_stats(Update *u, guint64 bi, guint64 bo, guint64 pi, guint64 po, guint64 dropped)
{
	update_set(u, "BytesIn", g_variant_new_uint64(bi));
	update_set(u, "BytesOut", g_variant_new_uint64(bo));
	update_set(u, "PacketsIn", g_variant_new_uint64(pi));
	update_set(u, "PacketsOut", g_variant_new_uint64(po));
	update_set(u, "Dropped", g_variant_new_uint64(dropped));
}

void
nm_ferry_service_state_set_stats(NMFerryServiceState *state,
                                 guint64 bytes_in,
                                 guint64 bytes_out,
                                 guint64 packets_in,
                                 guint64 packets_out,
                                 guint64 dropped)
{
	Update u;

	update_begin(&u, state);
	set_stats(&u, bytes_in, bytes_out, packets_in, packets_out, dropped);
	update_end(&u);
}

/* The key exchange method named in a proposal ("AES_GCM_16_256/PRF_HMAC_SHA2_256/ECP_256"). */
static char *
find_group(const char *proposal)
{
	static const char *const prefixes[] = {"MODP_", "ECP_", "CURVE", "BRAINPOOL", "ML_KEM"};
	g_auto(GStrv) parts = g_strsplit(proposal, "/", -1);

	for (guint i = 0; parts[i]; i++) {
		for (gsize j = 0; j < G_N_ELEMENTS(prefixes); j++) {
			if (g_str_has_prefix(parts[i], prefixes[j]))
				return g_strdup(parts[i]);
		}
	}
	return NULL;
}

static void
copy_string(Update *u, GVariant *details, const char *key, const char *property)
{
	const char *v;

	if (g_variant_lookup(details, key, "&s", &v))
		update_set_string(u, property, v);
}

static void
copy_strv(Update *u, GVariant *details, const char *key, const char *property)
{
	g_autoptr(GVariant) v = g_variant_lookup_value(details, key, G_VARIANT_TYPE_STRING_ARRAY);

	if (v)
		update_set(u, property, g_steal_pointer(&v));
}

/* What each event type tells about the session (keys as in ferry-event.h). */
static void
apply_event(Update *u, const char *type, GVariant *d)
{
	if (strcmp(type, "state") == 0) {
		copy_string(u, d, "state", "IkeState");
	} else if (strcmp(type, "ike-proposal") == 0) {
		const char *proposal;

		if (g_variant_lookup(d, "proposal", "&s", &proposal)) {
			g_autofree char *group = find_group(proposal);

			update_set_string(u, "IkeProposal", proposal);
			update_set_string(u, "DhGroup", group);
		}
	} else if (strcmp(type, "authenticated") == 0) {
		copy_string(u, d, "method", "AuthMethod");
		copy_string(u, d, "peer", "RemoteIdentity");
	} else if (strcmp(type, "child-sa") == 0) {
		const char *proposal;

		if (g_variant_lookup(d, "proposal", "&s", &proposal)) {
			g_autofree char *group = find_group(proposal);

			update_set_string(u, "ChildProposal", proposal);
			update_set(u, "Pfs", g_variant_new_boolean(group != NULL));
		}
	} else if (strcmp(type, "up") == 0) {
		copy_string(u, d, "tun", "Tunnel");
		copy_string(u, d, "ip4", "VirtualIp4");
		copy_string(u, d, "ip6", "VirtualIp6");
		copy_strv(u, d, "dns", "Dns");
		copy_strv(u, d, "routes", "Routes");
	} else if (strcmp(type, "stats") == 0) {
		guint64 v[5] = {0};

		g_variant_lookup(d, "bytes_in", "t", &v[0]);
		g_variant_lookup(d, "bytes_out", "t", &v[1]);
		g_variant_lookup(d, "packets_in", "t", &v[2]);
		g_variant_lookup(d, "packets_out", "t", &v[3]);
		g_variant_lookup(d, "dropped", "t", &v[4]);
		set_stats(u, v[0], v[1], v[2], v[3], v[4]);
	} else if (strcmp(type, "error") == 0) {
		copy_string(u, d, "message", "Error");
	}
}

void
nm_ferry_service_state_add_event(NMFerryServiceState *state,
                                 const char *type,
                                 double time,
                                 GVariant *details)
{
	g_autoptr(GVariant) d = details ? g_variant_ref_sink(details)
	                                : g_variant_ref_sink(g_variant_new("a{sv}", NULL));
	Update u;

	g_return_if_fail(g_variant_is_of_type(d, G_VARIANT_TYPE_VARDICT));

	if (state->timeline->len >= NM_FERRY_STATE_MAX_EVENTS)
		g_ptr_array_remove_index(state->timeline, 0);
	g_ptr_array_add(state->timeline,
	                g_variant_ref_sink(g_variant_new("(sd@a{sv})", type, time, d)));
	update_begin(&u, state);
	apply_event(&u, type, d);
	update_end(&u);
	g_dbus_connection_emit_signal(state->connection, NULL, NM_FERRY_STATE_PATH,
	                              NM_FERRY_STATE_INTERFACE, "Event",
	                              g_variant_new("(sd@a{sv})", type, time, d), NULL);
}
