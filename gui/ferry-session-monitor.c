/* ferry-session-monitor.c - follows the Session object nm-ferry-service exports for one connection
 */
#include "config.h"

#include <string.h>

#include "ferry-session-monitor.h"

/* nm-plugin/service/nm-ferry-service-state.h; repeated so the GUI needs no NM plugin header. */
#define SESSION_INTERFACE "org.freedesktop.NetworkManager.ferry.Session"
#define SESSION_PATH      "/org/freedesktop/NetworkManager/ferry/Session"

struct _FerrySessionMonitor {
	GObject parent_instance;

	/* owned */
	GDBusConnection *bus;
	char *uuid;
	char *owner;       /* unique name of the instance followed */
	GHashTable *props; /* name -> GVariant */
	GCancellable *cancellable;
	guint sub_owner;
	guint sub_props;
	guint sub_event;
	gboolean loading; /* GetTimeline in flight: its answer holds the events signalled meanwhile
	                   */
	gboolean present;
	gboolean replaying;
};

enum { PROP_0, PROP_PRESENT, N_PROPS };
enum { SIGNAL_RESET, SIGNAL_EVENT, SIGNAL_CHANGED, N_SIGNALS };
static GParamSpec *props[N_PROPS];
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE(FerrySessionMonitor, ferry_session_monitor, G_TYPE_OBJECT)

static gboolean
is_ferry_name(const char *name)
{
	gsize n = strlen(FERRY_SESSION_MONITOR_BUS_PREFIX);

	return strncmp(name, FERRY_SESSION_MONITOR_BUS_PREFIX, n) == 0 &&
	       (name[n] == '\0' || name[n] == '.');
}

static void
set_present(FerrySessionMonitor *self, gboolean present)
{
	if (self->present == present)
		return;
	self->present = present;
	g_object_notify_by_pspec(G_OBJECT(self), props[PROP_PRESENT]);
}

static void
store_properties(FerrySessionMonitor *self, GVariant *dict, gboolean announce)
{
	GVariantIter iter;
	const char *name;
	GVariant *value;

	g_variant_iter_init(&iter, dict);
	while (g_variant_iter_next(&iter, "{&sv}", &name, &value)) {
		g_hash_table_replace(self->props, g_strdup(name), value);
		if (announce)
			g_signal_emit(self, signals[SIGNAL_CHANGED], 0, name);
	}
}

static void
detach(FerrySessionMonitor *self)
{
	g_clear_pointer(&self->owner, g_free);
	self->loading = FALSE;
	set_present(self, FALSE);
}

/* ---------------------------------------------------------------------------------------- */
/* Attaching to an instance: its properties (GetAll) and its timeline so far. */

static void
replay_timeline(FerrySessionMonitor *self, GVariant *events)
{
	GVariantIter iter;
	const char *type;
	double time;
	GVariant *details;

	self->replaying = TRUE;
	g_variant_iter_init(&iter, events);
	while (g_variant_iter_next(&iter, "(&sd@a{sv})", &type, &time, &details)) {
		g_signal_emit(self, signals[SIGNAL_EVENT], 0, type, time, details);
		g_variant_unref(details);
	}
	self->replaying = FALSE;
}

static void
got_timeline_cb(GObject *source, GAsyncResult *result, gpointer data)
{
	g_autoptr(FerrySessionMonitor) self = data;
	g_autoptr(GError) error = NULL;
	g_autoptr(GVariant) reply =
		g_dbus_connection_call_finish(G_DBUS_CONNECTION(source), result, &error);
	g_autoptr(GVariant) events = NULL;

	if (reply == NULL) {
		if (!g_error_matches(error, G_IO_ERROR, G_IO_ERROR_CANCELLED)) {
			g_debug("GetTimeline: %s", error->message);
			self->loading = FALSE;
		}
		return;
	}
	if (!self->loading)
		return; /* detached meanwhile */
	events = g_variant_get_child_value(reply, 0);
	self->loading = FALSE;
	replay_timeline(self, events);
}

static void
attach(FerrySessionMonitor *self, const char *owner, GVariant *all)
{
	g_free(self->owner);
	self->owner = g_strdup(owner);
	g_hash_table_remove_all(self->props);
	store_properties(self, all, FALSE);
	self->loading = TRUE;
	g_signal_emit(self, signals[SIGNAL_RESET], 0);
	set_present(self, TRUE);
	g_signal_emit(self, signals[SIGNAL_CHANGED], 0, "");
	g_dbus_connection_call(self->bus, owner, SESSION_PATH, SESSION_INTERFACE, "GetTimeline",
	                       NULL, G_VARIANT_TYPE("(a(sda{sv}))"), G_DBUS_CALL_FLAGS_NONE, -1,
	                       self->cancellable, got_timeline_cb, g_object_ref(self));
}

typedef struct {
	FerrySessionMonitor *self; /* owned ref */
	char *owner;
} Probe;

static void
probe_free(Probe *probe)
{
	g_object_unref(probe->self);
	g_free(probe->owner);
	g_free(probe);
}

static void
got_all_cb(GObject *source, GAsyncResult *result, gpointer data)
{
	Probe *probe = data;
	FerrySessionMonitor *self = probe->self;
	g_autoptr(GError) error = NULL;
	g_autoptr(GVariant) reply =
		g_dbus_connection_call_finish(G_DBUS_CONNECTION(source), result, &error);
	g_autoptr(GVariant) all = NULL;
	const char *uuid = NULL;

	if (reply == NULL) {
		/* Not (yet) a session: an instance exports the object when it starts. */
		if (!g_error_matches(error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
			g_debug("%s: %s", probe->owner, error->message);
		probe_free(probe);
		return;
	}
	all = g_variant_get_child_value(reply, 0);
	if (g_variant_lookup(all, "Uuid", "&s", &uuid) && g_strcmp0(uuid, self->uuid) == 0 &&
	    g_strcmp0(probe->owner, self->owner) != 0)
		attach(self, probe->owner, all);
	probe_free(probe);
}

/* Asks the instance @owner (a unique name) whose connection it runs. */
static void
probe(FerrySessionMonitor *self, const char *owner)
{
	Probe *p;

	if (g_strcmp0(owner, self->owner) == 0)
		return;
	p = g_new0(Probe, 1);
	p->self = g_object_ref(self);
	p->owner = g_strdup(owner);
	g_dbus_connection_call(self->bus, owner, SESSION_PATH, "org.freedesktop.DBus.Properties",
	                       "GetAll", g_variant_new("(s)", SESSION_INTERFACE),
	                       G_VARIANT_TYPE("(a{sv})"), G_DBUS_CALL_FLAGS_NO_AUTO_START, -1,
	                       self->cancellable, got_all_cb, p);
}

/* ---------------------------------------------------------------------------------------- */
/* Finding instances: the names present now, and those that come later. */

static void
got_owner_cb(GObject *source, GAsyncResult *result, gpointer data)
{
	g_autoptr(FerrySessionMonitor) self = data;
	g_autoptr(GVariant) reply =
		g_dbus_connection_call_finish(G_DBUS_CONNECTION(source), result, NULL);
	const char *owner;

	if (reply == NULL)
		return; /* gone already, or cancelled */
	g_variant_get(reply, "(&s)", &owner);
	probe(self, owner);
}

static void
got_names_cb(GObject *source, GAsyncResult *result, gpointer data)
{
	g_autoptr(FerrySessionMonitor) self = data;
	g_autoptr(GError) error = NULL;
	g_autoptr(GVariant) reply =
		g_dbus_connection_call_finish(G_DBUS_CONNECTION(source), result, &error);
	g_autofree const char **names = NULL;

	if (reply == NULL) {
		if (!g_error_matches(error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
			g_warning("ListNames: %s", error->message);
		return;
	}
	g_variant_get(reply, "(^a&s)", &names);
	for (guint i = 0; names[i]; i++) {
		if (!is_ferry_name(names[i]))
			continue;
		g_dbus_connection_call(self->bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
		                       "org.freedesktop.DBus", "GetNameOwner",
		                       g_variant_new("(s)", names[i]), G_VARIANT_TYPE("(s)"),
		                       G_DBUS_CALL_FLAGS_NONE, -1, self->cancellable, got_owner_cb,
		                       g_object_ref(self));
	}
}

static void
name_owner_changed_cb(GDBusConnection *bus,
                      const char *sender,
                      const char *path,
                      const char *interface,
                      const char *signal,
                      GVariant *parameters,
                      gpointer data)
{
	FerrySessionMonitor *self = data;
	const char *name, *old_owner, *new_owner;

	g_variant_get(parameters, "(&s&s&s)", &name, &old_owner, &new_owner);
	if (!is_ferry_name(name))
		return;
	if (old_owner[0] && g_strcmp0(old_owner, self->owner) == 0)
		detach(self);
	if (new_owner[0])
		probe(self, new_owner);
}

static void
properties_changed_cb(GDBusConnection *bus,
                      const char *sender,
                      const char *path,
                      const char *interface,
                      const char *signal,
                      GVariant *parameters,
                      gpointer data)
{
	FerrySessionMonitor *self = data;
	g_autoptr(GVariant) changed = NULL;
	const char *iface, *uuid = NULL;

	if (!g_variant_is_of_type(parameters, G_VARIANT_TYPE("(sa{sv}as)")))
		return;
	g_variant_get(parameters, "(&s@a{sv}@as)", &iface, &changed, NULL);
	if (strcmp(iface, SESSION_INTERFACE) != 0)
		return;
	g_variant_lookup(changed, "Uuid", "&s", &uuid);
	if (g_strcmp0(sender, self->owner) != 0) {
		/* An instance took our connection (its Uuid is set on Connect). */
		if (uuid != NULL && g_strcmp0(uuid, self->uuid) == 0)
			probe(self, sender);
		return;
	}
	if (uuid != NULL && g_strcmp0(uuid, self->uuid) != 0) {
		detach(self); /* the instance moved on to another connection */
		return;
	}
	store_properties(self, changed, TRUE);
}

static void
event_cb(GDBusConnection *bus,
         const char *sender,
         const char *path,
         const char *interface,
         const char *signal,
         GVariant *parameters,
         gpointer data)
{
	FerrySessionMonitor *self = data;
	g_autoptr(GVariant) details = NULL;
	const char *type;
	double time;

	if (g_strcmp0(sender, self->owner) != 0 || self->loading)
		return;
	if (!g_variant_is_of_type(parameters, G_VARIANT_TYPE("(sda{sv})")))
		return;
	g_variant_get(parameters, "(&sd@a{sv})", &type, &time, &details);
	g_signal_emit(self, signals[SIGNAL_EVENT], 0, type, time, details);
}

static void
subscribe(FerrySessionMonitor *self)
{
	self->sub_owner = g_dbus_connection_signal_subscribe(
		self->bus, "org.freedesktop.DBus", "org.freedesktop.DBus", "NameOwnerChanged",
		"/org/freedesktop/DBus", FERRY_SESSION_MONITOR_BUS_PREFIX,
		G_DBUS_SIGNAL_FLAGS_MATCH_ARG0_NAMESPACE, name_owner_changed_cb, self, NULL);
	self->sub_props = g_dbus_connection_signal_subscribe(
		self->bus, NULL, "org.freedesktop.DBus.Properties", "PropertiesChanged",
		SESSION_PATH, SESSION_INTERFACE, G_DBUS_SIGNAL_FLAGS_NONE, properties_changed_cb,
		self, NULL);
	self->sub_event = g_dbus_connection_signal_subscribe(
		self->bus, NULL, SESSION_INTERFACE, "Event", SESSION_PATH, NULL,
		G_DBUS_SIGNAL_FLAGS_NONE, event_cb, self, NULL);
	g_dbus_connection_call(self->bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
	                       "org.freedesktop.DBus", "ListNames", NULL, G_VARIANT_TYPE("(as)"),
	                       G_DBUS_CALL_FLAGS_NONE, -1, self->cancellable, got_names_cb,
	                       g_object_ref(self));
}

/* ---------------------------------------------------------------------------------------- */

static void
ferry_session_monitor_dispose(GObject *object)
{
	FerrySessionMonitor *self = FERRY_SESSION_MONITOR(object);

	g_cancellable_cancel(self->cancellable);
	if (self->bus != NULL) {
		guint *subs[] = {&self->sub_owner, &self->sub_props, &self->sub_event};

		for (gsize i = 0; i < G_N_ELEMENTS(subs); i++) {
			if (*subs[i])
				g_dbus_connection_signal_unsubscribe(self->bus, *subs[i]);
			*subs[i] = 0;
		}
	}
	g_clear_object(&self->bus);
	G_OBJECT_CLASS(ferry_session_monitor_parent_class)->dispose(object);
}

static void
ferry_session_monitor_finalize(GObject *object)
{
	FerrySessionMonitor *self = FERRY_SESSION_MONITOR(object);

	g_clear_object(&self->cancellable);
	g_clear_pointer(&self->props, g_hash_table_unref);
	g_free(self->uuid);
	g_free(self->owner);
	G_OBJECT_CLASS(ferry_session_monitor_parent_class)->finalize(object);
}

static void
ferry_session_monitor_get_property(GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
	FerrySessionMonitor *self = FERRY_SESSION_MONITOR(object);

	switch (prop_id) {
	case PROP_PRESENT:
		g_value_set_boolean(value, self->present);
		break;
	default:
		G_OBJECT_WARN_INVALID_PROPERTY_ID(object, prop_id, pspec);
	}
}

static void
ferry_session_monitor_class_init(FerrySessionMonitorClass *klass)
{
	GObjectClass *object_class = G_OBJECT_CLASS(klass);

	object_class->dispose = ferry_session_monitor_dispose;
	object_class->finalize = ferry_session_monitor_finalize;
	object_class->get_property = ferry_session_monitor_get_property;

	props[PROP_PRESENT] = g_param_spec_boolean("present", NULL, NULL, FALSE,
	                                           G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
	g_object_class_install_properties(object_class, N_PROPS, props);

	signals[SIGNAL_RESET] = g_signal_new("reset", G_TYPE_FROM_CLASS(klass), G_SIGNAL_RUN_LAST,
	                                     0, NULL, NULL, NULL, G_TYPE_NONE, 0);
	signals[SIGNAL_EVENT] =
		g_signal_new("event", G_TYPE_FROM_CLASS(klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
	                     NULL, G_TYPE_NONE, 3, G_TYPE_STRING, G_TYPE_DOUBLE, G_TYPE_VARIANT);
	signals[SIGNAL_CHANGED] =
		g_signal_new("changed", G_TYPE_FROM_CLASS(klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
	                     NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
ferry_session_monitor_init(FerrySessionMonitor *self)
{
	self->props = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
	                                    (GDestroyNotify)g_variant_unref);
	self->cancellable = g_cancellable_new();
}

FerrySessionMonitor *
ferry_session_monitor_new(GDBusConnection *bus, const char *uuid)
{
	FerrySessionMonitor *self;

	g_return_val_if_fail(G_IS_DBUS_CONNECTION(bus), NULL);
	g_return_val_if_fail(uuid != NULL, NULL);

	self = g_object_new(FERRY_TYPE_SESSION_MONITOR, NULL);
	self->bus = g_object_ref(bus);
	self->uuid = g_strdup(uuid);
	subscribe(self);
	return self;
}

const char *
ferry_session_monitor_get_uuid(FerrySessionMonitor *self)
{
	g_return_val_if_fail(FERRY_IS_SESSION_MONITOR(self), NULL);

	return self->uuid;
}

gboolean
ferry_session_monitor_get_present(FerrySessionMonitor *self)
{
	g_return_val_if_fail(FERRY_IS_SESSION_MONITOR(self), FALSE);

	return self->present;
}

gboolean
ferry_session_monitor_is_replaying(FerrySessionMonitor *self)
{
	g_return_val_if_fail(FERRY_IS_SESSION_MONITOR(self), FALSE);

	return self->replaying;
}

const char *
ferry_session_monitor_get_owner(FerrySessionMonitor *self)
{
	g_return_val_if_fail(FERRY_IS_SESSION_MONITOR(self), NULL);

	return self->owner;
}

static GVariant *
lookup(FerrySessionMonitor *self, const char *property, const GVariantType *type)
{
	GVariant *v;

	g_return_val_if_fail(FERRY_IS_SESSION_MONITOR(self), NULL);
	v = g_hash_table_lookup(self->props, property);
	return v != NULL && g_variant_is_of_type(v, type) ? v : NULL;
}

const char *
ferry_session_monitor_get_string(FerrySessionMonitor *self, const char *property)
{
	GVariant *v = lookup(self, property, G_VARIANT_TYPE_STRING);

	return v != NULL ? g_variant_get_string(v, NULL) : "";
}

guint64
ferry_session_monitor_get_uint64(FerrySessionMonitor *self, const char *property)
{
	GVariant *v = lookup(self, property, G_VARIANT_TYPE_UINT64);

	return v != NULL ? g_variant_get_uint64(v) : 0;
}

gboolean
ferry_session_monitor_get_boolean(FerrySessionMonitor *self, const char *property)
{
	GVariant *v = lookup(self, property, G_VARIANT_TYPE_BOOLEAN);

	return v != NULL ? g_variant_get_boolean(v) : FALSE;
}

const char **
ferry_session_monitor_get_strv(FerrySessionMonitor *self, const char *property)
{
	GVariant *v = lookup(self, property, G_VARIANT_TYPE_STRING_ARRAY);
	const char **strv;

	if (v == NULL)
		return NULL;
	strv = g_variant_get_strv(v, NULL);
	if (strv[0] == NULL) {
		g_free(strv);
		return NULL;
	}
	return strv;
}
