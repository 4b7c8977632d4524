/* nm-ferry-service.c - NMFerryService: the NMVpnServicePlugin vfuncs around one FerrySession */
#include "config.h"

#include <string.h>

#include "ferry.h"
#include "nm-ferry-keys.h"
#include "nm-ferry-service-config.h"
#include "nm-ferry-service-ip.h"
#include "nm-ferry-service-state.h"
#include "nm-ferry-service.h"

/* How often the exported traffic counters are refreshed while the tunnel is up. */
#define STATS_INTERVAL_S 1

struct _NMFerryService {
	NMVpnServicePlugin parent;

	/* owned */
	FerrySession *session;
	FerryProfile *profile;
	NMFerryServiceState *state;
	NMConnection *connection; /* what Connect was given (secret flags for re-asking) */
	char *tun_template;
	GVariant *config_event; /* details of the session's "config" event */
	GVariant *child_event;  /* details of the first "child-sa" event */
	char *gateway_ip;       /* the address the session talks to */
	guint stats_source;
	guint ended_source;
	int pending_failure; /* NMVpnPluginFailure to report while stopping, or -1 */

	gboolean interactive;  /* ConnectInteractive: may ask for secrets again */
	gboolean user_stopped; /* Disconnect() was called */
	gboolean configured;   /* Config/Ip4Config/Ip6Config sent */
};

enum {
	SIGNAL_FINISHED,
	N_SIGNALS,
};
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE(NMFerryService, nm_ferry_service, NM_TYPE_VPN_SERVICE_PLUGIN)

static void drop_session(NMFerryService *self);

static const char *
phase_name(FerrySessionState state)
{
	switch (state) {
	case FERRY_SESSION_IDLE:
		return "idle";
	case FERRY_SESSION_CONNECTING:
		return "connecting";
	case FERRY_SESSION_UP:
		return "up";
	case FERRY_SESSION_DISCONNECTING:
		return "disconnecting";
	case FERRY_SESSION_DOWN:
		return "down";
	}
	return "unknown";
}

static gboolean
refresh_stats_cb(gpointer data)
{
	NMFerryService *self = data;
	FerrySessionStats st = {0};

	if (!self->session || !self->state)
		return G_SOURCE_CONTINUE;
	ferry_session_get_stats(self->session, &st);
	nm_ferry_service_state_set_stats(self->state, st.bytes_in, st.bytes_out, st.packets_in,
	                                 st.packets_out, st.dropped);
	return G_SOURCE_CONTINUE;
}

/* The gateway address NetworkManager must route around the tunnel: what the session
 * reports, else the profile's gateway when it is an address literal, else the first address
 * it resolves to. */
static char *
find_gateway_ip(NMFerryService *self, const FerryEvent *up)
{
	const char *reported = ferry_event_get_string(up, "gateway");
	g_autoptr(GInetAddress) literal = NULL;
	g_autolist(GInetAddress) resolved = NULL;

	if (reported && *reported)
		return g_strdup(reported);
	literal = g_inet_address_new_from_string(self->profile->gateway);
	if (literal)
		return g_inet_address_to_string(literal);
	resolved = g_resolver_lookup_by_name(g_resolver_get_default(), self->profile->gateway, NULL,
	                                     NULL);
	return resolved ? g_inet_address_to_string(resolved->data) : NULL;
}

static gboolean
abandon_session_cb(gpointer data)
{
	NMFerryService *self = data;

	if (self->session && ferry_session_get_state(self->session) != FERRY_SESSION_DOWN)
		ferry_session_disconnect(self->session);
	return G_SOURCE_REMOVE;
}

static void
report_config(NMFerryService *self, const FerryEvent *up)
{
	NMVpnServicePlugin *plugin = NM_VPN_SERVICE_PLUGIN(self);
	g_autofree const char **dns = ferry_event_get_strv(up, "dns");
	g_autofree const char **domains = NULL;
	g_autofree const char **ts_remote = NULL;
	g_autoptr(GVariant) config = NULL, ip4 = NULL, ip6 = NULL;
	g_autoptr(GError) error = NULL;
	NMFerryIpInput in = {0};

	if (self->config_event)
		g_variant_lookup(self->config_event, "domains", "^a&s", &domains);
	if (self->child_event)
		g_variant_lookup(self->child_event, "ts_remote", "^a&s", &ts_remote);
	g_free(self->gateway_ip);
	self->gateway_ip = find_gateway_ip(self, up);
	in.profile = self->profile;
	in.tundev = ferry_event_get_string(up, "tun");
	in.gateway = self->gateway_ip;
	in.ip4 = ferry_event_get_string(up, "ip4");
	in.ip6 = ferry_event_get_string(up, "ip6");
	in.dns = dns;
	in.domains = domains;
	in.ts_remote = ts_remote;
	if (!nm_ferry_service_ip_build(&in, &config, &ip4, &ip6, &error)) {
		g_message("cannot configure the tunnel: %s", error->message);
		nm_ferry_service_state_set_error(self->state, error->message);
		/* End the session (outside its signal); session_ended() reports this reason. */
		self->pending_failure = NM_VPN_PLUGIN_FAILURE_BAD_IP_CONFIG;
		g_idle_add_full(G_PRIORITY_DEFAULT_IDLE, abandon_session_cb, g_object_ref(self),
		                g_object_unref);
		return;
	}
	g_info("tunnel up on %s: %s%s%s", in.tundev, in.ip4 ? in.ip4 : "",
	       in.ip4 && in.ip6 ? " " : "", in.ip6 ? in.ip6 : "");
	self->configured = TRUE;
	nm_vpn_service_plugin_set_config(plugin, config);
	if (ip4)
		nm_vpn_service_plugin_set_ip4_config(plugin, ip4);
	if (ip6)
		nm_vpn_service_plugin_set_ip6_config(plugin, ip6);
	if (!self->stats_source)
		self->stats_source =
			g_timeout_add_seconds(STATS_INTERVAL_S, refresh_stats_cb, self);
}

static void
timeline_cb(FerrySession *session, const FerryEvent *event, gpointer data)
{
	NMFerryService *self = data;
	const char *type = ferry_event_type_to_string(event->type);

	g_debug("event %s at %.3f s", type, event->time);
	if (self->state)
		nm_ferry_service_state_add_event(self->state, type, event->time, event->details);
	switch (event->type) {
	case FERRY_EVENT_CONFIG:
		g_clear_pointer(&self->config_event, g_variant_unref);
		self->config_event = g_variant_ref(event->details);
		break;
	case FERRY_EVENT_CHILD_SA:
		/* Rekeys repeat the selectors; the first CHILD SA's are the tunnel's routes. */
		if (!self->child_event)
			self->child_event = g_variant_ref(event->details);
		break;
	case FERRY_EVENT_UP:
		if (!self->configured)
			report_config(self, event);
		break;
	case FERRY_EVENT_ERROR:
		g_message("connection error: %s", ferry_event_get_string(event, "message"));
		break;
	default:
		break;
	}
}

/* The session is over: tell NetworkManager why, unless it asked for the end itself. */
static void
session_ended(NMFerryService *self)
{
	NMVpnServicePlugin *plugin = NM_VPN_SERVICE_PLUGIN(self);
	const GError *error = ferry_session_get_error(self->session);
	const char *hint = NULL;

	g_clear_handle_id(&self->stats_source, g_source_remove);
	if (self->user_stopped) {
		g_info("disconnected");
		drop_session(self);
		g_signal_emit(self, signals[SIGNAL_FINISHED], 0);
		return;
	}
	if (error) {
		g_message("connection failed: %s", error->message);
		nm_ferry_service_state_set_error(self->state, error->message);
	} else {
		g_message("the gateway ended the connection");
	}
	/* A rejected password or PSK: ask the user again (ConnectInteractive only). */
	if (error && self->interactive && !self->configured &&
	    nm_ferry_service_config_should_reask(self->profile, self->connection, error)) {
		const char *hints[] = {NULL, NULL};

		g_autofree char *message = g_strdup(error->message);

		hint = nm_ferry_service_config_reask_hint(self->profile, self->connection);
		hints[0] = hint;
		drop_session(self);
		nm_vpn_service_plugin_secrets_required(plugin, message, hints);
		return;
	}
	/* libnm reports CONNECT_FAILED itself when a starting plugin stops, and NetworkManager
	 * keeps the last reason: ours goes out from the disconnect vfunc, after libnm's. */
	if ((error || !self->configured) && self->pending_failure < 0)
		self->pending_failure = (int)nm_ferry_service_config_failure(error);
	drop_session(self);
	nm_vpn_service_plugin_disconnect(plugin, NULL);
	g_signal_emit(self, signals[SIGNAL_FINISHED], 0);
}

static gboolean
session_ended_cb(gpointer data)
{
	NMFerryService *self = data;

	self->ended_source = 0;
	if (self->session)
		session_ended(self);
	return G_SOURCE_REMOVE;
}

static void
state_changed_cb(FerrySession *session, guint state, gpointer data)
{
	NMFerryService *self = data;

	if (self->state)
		nm_ferry_service_state_set_phase(self->state, phase_name(state));
	/* Not from inside the session's own signal: ending drops the session. */
	if (state == FERRY_SESSION_DOWN && !self->ended_source)
		self->ended_source = g_idle_add(session_ended_cb, self);
}

static void
drop_session(NMFerryService *self)
{
	if (!self->session)
		return;
	g_signal_handlers_disconnect_by_data(self->session, self);
	g_clear_object(&self->session);
	g_clear_pointer(&self->config_event, g_variant_unref);
	g_clear_pointer(&self->child_event, g_variant_unref);
}

static gboolean
start_session(NMFerryService *self, FerryProfileSecrets *secrets, GError **error)
{
	g_autoptr(GError) local = NULL;

	if (!ferry_profile_validate_secrets(self->profile, secrets, &local)) {
		g_set_error(error, NM_VPN_PLUGIN_ERROR, NM_VPN_PLUGIN_ERROR_BAD_ARGUMENTS, "%s",
		            local->message);
		return FALSE;
	}
	self->session = ferry_session_new(self->profile, secrets, &local);
	if (!self->session) {
		g_set_error(error, NM_VPN_PLUGIN_ERROR, NM_VPN_PLUGIN_ERROR_INVALID_CONNECTION,
		            "%s", local->message);
		return FALSE;
	}
	ferry_session_set_tun_name(self->session, self->tun_template);
	/* NetworkManager applies addresses, routes and DNS from our Ip4Config/Ip6Config. */
	ferry_session_set_configure_network(self->session, FALSE);
	ferry_session_set_apply_dns(self->session, FALSE);
	g_signal_connect(self->session, "timeline", G_CALLBACK(timeline_cb), self);
	g_signal_connect(self->session, "state-changed", G_CALLBACK(state_changed_cb), self);
	self->configured = FALSE;
	self->user_stopped = FALSE;
	nm_ferry_service_state_set_error(self->state, "");
	if (!ferry_session_connect(self->session, &local)) {
		drop_session(self);
		g_set_error(error, NM_VPN_PLUGIN_ERROR, NM_VPN_PLUGIN_ERROR_LAUNCH_FAILED, "%s",
		            local->message);
		return FALSE;
	}
	g_info("connecting to %s", self->profile->gateway);
	return TRUE;
}

static gboolean
connect_common(NMFerryService *self, NMConnection *connection, gboolean interactive, GError **error)
{
	g_autoptr(FerryProfileSecrets) secrets = NULL;

	if (self->session) {
		g_set_error(error, NM_VPN_PLUGIN_ERROR, NM_VPN_PLUGIN_ERROR_WRONG_STATE,
		            "a connection is already running in this service instance");
		return FALSE;
	}
	g_clear_pointer(&self->profile, ferry_profile_free);
	if (!nm_ferry_service_config_read(connection, &self->profile, &secrets, error))
		return FALSE;
	self->interactive = interactive;
	g_clear_object(&self->connection);
	self->connection = nm_simple_connection_new_clone(connection);
	/* Only the secret flags are needed later; the secrets went into the session. */
	nm_connection_clear_secrets(self->connection);
	if (self->state)
		nm_ferry_service_state_set_connection(
			self->state, self->profile->uuid, nm_connection_get_id(connection),
			self->profile->gateway, self->profile->local_id);
	return start_session(self, secrets, error);
}

static gboolean
real_connect(NMVpnServicePlugin *plugin, NMConnection *connection, GError **error)
{
	return connect_common(NM_FERRY_SERVICE(plugin), connection, FALSE, error);
}

static gboolean
real_connect_interactive(NMVpnServicePlugin *plugin,
                         NMConnection *connection,
                         GVariant *details,
                         GError **error)
{
	return connect_common(NM_FERRY_SERVICE(plugin), connection, TRUE, error);
}

static gboolean
real_need_secrets(NMVpnServicePlugin *plugin,
                  NMConnection *connection,
                  const char **setting_name,
                  GError **error)
{
	g_autoptr(GError) local = NULL;
	g_auto(GStrv) missing = nm_ferry_service_config_missing_secrets(connection, &local);

	if (local) {
		g_propagate_error(error, g_steal_pointer(&local));
		return FALSE;
	}
	if (!missing)
		return FALSE;
	g_debug("secrets needed: %s", missing[0]);
	*setting_name = NM_SETTING_VPN_SETTING_NAME;
	return TRUE;
}

/* The user typed new secrets after SecretsRequired: start over with them. */
static gboolean
real_new_secrets(NMVpnServicePlugin *plugin, NMConnection *connection, GError **error)
{
	NMFerryService *self = NM_FERRY_SERVICE(plugin);
	g_autoptr(FerryProfile) profile = NULL;
	g_autoptr(FerryProfileSecrets) secrets = NULL;

	if (self->session) {
		g_set_error(error, NM_VPN_PLUGIN_ERROR, NM_VPN_PLUGIN_ERROR_WRONG_STATE,
		            "the session is still running");
		return FALSE;
	}
	if (!nm_ferry_service_config_read(connection, &profile, &secrets, error))
		return FALSE;
	g_clear_pointer(&self->profile, ferry_profile_free);
	self->profile = g_steal_pointer(&profile);
	return start_session(self, secrets, error);
}

static gboolean
real_disconnect(NMVpnServicePlugin *plugin, GError **error)
{
	NMFerryService *self = NM_FERRY_SERVICE(plugin);

	if (self->pending_failure >= 0) {
		NMVpnPluginFailure reason = (NMVpnPluginFailure)self->pending_failure;

		/* In state STOPPING: emits Failure; its own disconnect call is then a no-op. */
		self->pending_failure = -1;
		nm_vpn_service_plugin_failure(plugin, reason);
	}
	if (!self->session) {
		g_signal_emit(self, signals[SIGNAL_FINISHED], 0);
		return TRUE;
	}
	self->user_stopped = TRUE;
	/* Sends DELETE (RFC 7296 §1.4.1) and finishes in the background; "finished" follows. */
	if (ferry_session_get_state(self->session) != FERRY_SESSION_DOWN)
		ferry_session_disconnect(self->session);
	else if (!self->ended_source)
		self->ended_source = g_idle_add(session_ended_cb, self);
	return TRUE;
}

static void
nm_ferry_service_init(NMFerryService *self)
{
	self->tun_template = g_strdup("ferry%d");
	self->pending_failure = -1;
}

static void
nm_ferry_service_dispose(GObject *object)
{
	NMFerryService *self = NM_FERRY_SERVICE(object);

	g_clear_handle_id(&self->stats_source, g_source_remove);
	g_clear_handle_id(&self->ended_source, g_source_remove);
	drop_session(self);
	g_clear_pointer(&self->state, nm_ferry_service_state_free);
	G_OBJECT_CLASS(nm_ferry_service_parent_class)->dispose(object);
}

static void
nm_ferry_service_finalize(GObject *object)
{
	NMFerryService *self = NM_FERRY_SERVICE(object);

	g_clear_pointer(&self->profile, ferry_profile_free);
	g_clear_object(&self->connection);
	g_free(self->tun_template);
	g_free(self->gateway_ip);
	G_OBJECT_CLASS(nm_ferry_service_parent_class)->finalize(object);
}

static void
nm_ferry_service_class_init(NMFerryServiceClass *klass)
{
	GObjectClass *object_class = G_OBJECT_CLASS(klass);
	NMVpnServicePluginClass *plugin_class = NM_VPN_SERVICE_PLUGIN_CLASS(klass);

	object_class->dispose = nm_ferry_service_dispose;
	object_class->finalize = nm_ferry_service_finalize;
	plugin_class->connect = real_connect;
	plugin_class->connect_interactive = real_connect_interactive;
	plugin_class->need_secrets = real_need_secrets;
	plugin_class->new_secrets = real_new_secrets;
	plugin_class->disconnect = real_disconnect;

	signals[SIGNAL_FINISHED] =
		g_signal_new("finished", G_TYPE_FROM_CLASS(klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
	                     NULL, G_TYPE_NONE, 0);
}

NMFerryService *
nm_ferry_service_new(const char *bus_name, GError **error)
{
	g_autoptr(NMFerryService) self = NULL;
	GDBusConnection *bus;

	self = g_initable_new(NM_FERRY_TYPE_SERVICE, NULL, error,
	                      NM_VPN_SERVICE_PLUGIN_DBUS_SERVICE_NAME, bus_name,
	                      NM_VPN_SERVICE_PLUGIN_DBUS_WATCH_PEER, TRUE, NULL);
	if (!self)
		return NULL;
	bus = nm_vpn_service_plugin_get_connection(NM_VPN_SERVICE_PLUGIN(self));
	self->state = nm_ferry_service_state_new(bus, error);
	if (!self->state)
		return NULL;
	return g_steal_pointer(&self);
}

void
nm_ferry_service_set_tun_name(NMFerryService *self, const char *template_name)
{
	g_return_if_fail(NM_FERRY_IS_SERVICE(self));

	g_free(self->tun_template);
	self->tun_template = g_strdup(template_name);
}

gboolean
nm_ferry_service_is_idle(NMFerryService *self)
{
	g_return_val_if_fail(NM_FERRY_IS_SERVICE(self), TRUE);

	return self->session == NULL;
}
