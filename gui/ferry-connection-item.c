/* ferry-connection-item.c - FerryConnectionItem: an NMConnection, its active state, its texts */
#include "config.h"

#include <glib/gi18n.h>

#include "ferry-connection-item.h"
#include "nm-ferry-keys.h"

struct _FerryConnectionItem {
	GObject parent;

	/* owned */
	NMConnection *connection;
	NMActiveConnection *active;
	char *failure;
	FerryConnectionState state;
};

enum {
	PROP_0,
	PROP_CONNECTION,
	PROP_NAME,
	PROP_GATEWAY,
	PROP_STATE,
	PROP_FAILURE,
	N_PROPS,
};

enum {
	SIGNAL_FAILED,
	N_SIGNALS,
};

static GParamSpec *props[N_PROPS];
static guint signals[N_SIGNALS];

G_DEFINE_ENUM_TYPE(FerryConnectionState,
                   ferry_connection_state,
                   G_DEFINE_ENUM_VALUE(FERRY_CONNECTION_STATE_DISCONNECTED, "disconnected"),
                   G_DEFINE_ENUM_VALUE(FERRY_CONNECTION_STATE_CONNECTING, "connecting"),
                   G_DEFINE_ENUM_VALUE(FERRY_CONNECTION_STATE_CONNECTED, "connected"),
                   G_DEFINE_ENUM_VALUE(FERRY_CONNECTION_STATE_DISCONNECTING, "disconnecting"))

G_DEFINE_FINAL_TYPE(FerryConnectionItem, ferry_connection_item, G_TYPE_OBJECT)

const char *
ferry_connection_state_to_string(FerryConnectionState state)
{
	switch (state) {
	case FERRY_CONNECTION_STATE_DISCONNECTED:
		return _("Disconnected");
	case FERRY_CONNECTION_STATE_CONNECTING:
		return _("Connecting…");
	case FERRY_CONNECTION_STATE_CONNECTED:
		return _("Connected");
	case FERRY_CONNECTION_STATE_DISCONNECTING:
		return _("Disconnecting…");
	}
	return "";
}

const char *
ferry_vpn_reason_to_string(NMActiveConnectionStateReason reason)
{
	switch (reason) {
	case NM_ACTIVE_CONNECTION_STATE_REASON_UNKNOWN:
	case NM_ACTIVE_CONNECTION_STATE_REASON_NONE:
	case NM_ACTIVE_CONNECTION_STATE_REASON_USER_DISCONNECTED:
	case NM_ACTIVE_CONNECTION_STATE_REASON_DEVICE_REALIZE_FAILED:
	case NM_ACTIVE_CONNECTION_STATE_REASON_DEVICE_REMOVED:
		return NULL;
	case NM_ACTIVE_CONNECTION_STATE_REASON_DEVICE_DISCONNECTED:
		return _("The network connection the VPN runs over went down");
	case NM_ACTIVE_CONNECTION_STATE_REASON_SERVICE_STOPPED:
		return _("The VPN service stopped unexpectedly");
	case NM_ACTIVE_CONNECTION_STATE_REASON_IP_CONFIG_INVALID:
		return _("The gateway sent an address or route configuration that cannot be used");
	case NM_ACTIVE_CONNECTION_STATE_REASON_CONNECT_TIMEOUT:
		return _("The gateway did not answer in time");
	case NM_ACTIVE_CONNECTION_STATE_REASON_SERVICE_START_TIMEOUT:
		return _("The VPN service did not start in time");
	case NM_ACTIVE_CONNECTION_STATE_REASON_SERVICE_START_FAILED:
		return _("The VPN service could not be started; is Ferry's NetworkManager plugin "
		         "installed?");
	case NM_ACTIVE_CONNECTION_STATE_REASON_NO_SECRETS:
		return _("No password or key was given");
	case NM_ACTIVE_CONNECTION_STATE_REASON_LOGIN_FAILED:
		return _("The gateway rejected your password or pre-shared key");
	case NM_ACTIVE_CONNECTION_STATE_REASON_CONNECTION_REMOVED:
		return _("The connection was deleted while it was active");
	case NM_ACTIVE_CONNECTION_STATE_REASON_DEPENDENCY_FAILED:
		return _("The network connection the VPN depends on failed");
	}
	return _("The connection failed");
}

static void
set_state(FerryConnectionItem *self, FerryConnectionState state)
{
	if (self->state == state)
		return;
	self->state = state;
	g_object_notify_by_pspec(G_OBJECT(self), props[PROP_STATE]);
}

static void
set_failure(FerryConnectionItem *self, const char *failure)
{
	if (g_strcmp0(self->failure, failure) == 0)
		return;
	g_free(self->failure);
	self->failure = g_strdup(failure);
	g_object_notify_by_pspec(G_OBJECT(self), props[PROP_FAILURE]);
}

static FerryConnectionState
state_from_active(NMActiveConnectionState state)
{
	switch (state) {
	case NM_ACTIVE_CONNECTION_STATE_ACTIVATING:
		return FERRY_CONNECTION_STATE_CONNECTING;
	case NM_ACTIVE_CONNECTION_STATE_ACTIVATED:
		return FERRY_CONNECTION_STATE_CONNECTED;
	case NM_ACTIVE_CONNECTION_STATE_DEACTIVATING:
		return FERRY_CONNECTION_STATE_DISCONNECTING;
	case NM_ACTIVE_CONNECTION_STATE_UNKNOWN:
	case NM_ACTIVE_CONNECTION_STATE_DEACTIVATED:
		break;
	}
	return FERRY_CONNECTION_STATE_DISCONNECTED;
}

static void
active_state_changed_cb(NMActiveConnection *active,
                        guint state,
                        guint reason,
                        FerryConnectionItem *self)
{
	const char *failure = NULL;

	if (state == NM_ACTIVE_CONNECTION_STATE_ACTIVATING)
		set_failure(self, NULL);
	if (state == NM_ACTIVE_CONNECTION_STATE_DEACTIVATED) {
		failure = ferry_vpn_reason_to_string(reason);
		set_failure(self, failure);
	}
	set_state(self, state_from_active(state));
	if (failure)
		g_signal_emit(self, signals[SIGNAL_FAILED], 0, failure);
}

void
ferry_connection_item_set_active(FerryConnectionItem *self, NMActiveConnection *active)
{
	g_return_if_fail(FERRY_IS_CONNECTION_ITEM(self));
	g_return_if_fail(!active || NM_IS_ACTIVE_CONNECTION(active));

	if (active && self->active == active)
		return;
	if (self->active)
		g_signal_handlers_disconnect_by_data(self->active, self);
	g_set_object(&self->active, active);
	if (!active) {
		set_state(self, FERRY_CONNECTION_STATE_DISCONNECTED);
		return;
	}
	g_signal_connect_object(active, "state-changed", G_CALLBACK(active_state_changed_cb), self,
	                        0);
	set_state(self, state_from_active(nm_active_connection_get_state(active)));
}

void
ferry_connection_item_set_state(FerryConnectionItem *self, FerryConnectionState state)
{
	g_return_if_fail(FERRY_IS_CONNECTION_ITEM(self));

	set_state(self, state);
}

static void
connection_changed_cb(NMConnection *connection, FerryConnectionItem *self)
{
	g_object_notify_by_pspec(G_OBJECT(self), props[PROP_NAME]);
	g_object_notify_by_pspec(G_OBJECT(self), props[PROP_GATEWAY]);
}

NMConnection *
ferry_connection_item_get_connection(FerryConnectionItem *self)
{
	g_return_val_if_fail(FERRY_IS_CONNECTION_ITEM(self), NULL);

	return self->connection;
}

const char *
ferry_connection_item_get_uuid(FerryConnectionItem *self)
{
	g_return_val_if_fail(FERRY_IS_CONNECTION_ITEM(self), NULL);

	return nm_connection_get_uuid(self->connection);
}

const char *
ferry_connection_item_get_name(FerryConnectionItem *self)
{
	const char *id;

	g_return_val_if_fail(FERRY_IS_CONNECTION_ITEM(self), NULL);

	id = nm_connection_get_id(self->connection);
	return id ? id : "";
}

const char *
ferry_connection_item_get_gateway(FerryConnectionItem *self)
{
	NMSettingVpn *s_vpn;

	g_return_val_if_fail(FERRY_IS_CONNECTION_ITEM(self), NULL);

	s_vpn = nm_connection_get_setting_vpn(self->connection);
	return s_vpn ? nm_setting_vpn_get_data_item(s_vpn, "gateway") : NULL;
}

static const char *
describe_auth(const char *auth)
{
	/* vpn.data "auth" by name (FerryAuthMethod); absent is the table's default. */
	if (!auth)
		auth = nm_ferry_keys_lookup("auth")->default_value;
	if (g_str_equal(auth, "eap-mschapv2"))
		return _("Password");
	if (g_str_equal(auth, "cert"))
		return _("Certificate");
	if (g_str_equal(auth, "psk"))
		return _("Pre-shared key");
	if (g_str_equal(auth, "cert+eap"))
		return _("Certificate and password");
	if (g_str_equal(auth, "eap-tls"))
		return _("Certificate (EAP-TLS)");
	return auth;
}

char *
ferry_connection_item_dup_summary(FerryConnectionItem *self)
{
	NMSettingVpn *s_vpn;
	const char *gateway;

	g_return_val_if_fail(FERRY_IS_CONNECTION_ITEM(self), NULL);

	s_vpn = nm_connection_get_setting_vpn(self->connection);
	gateway = ferry_connection_item_get_gateway(self);
	if (!gateway || !*gateway)
		return g_strdup(_("No gateway set"));
	return g_strdup_printf(
		"%s · %s", gateway,
		describe_auth(s_vpn ? nm_setting_vpn_get_data_item(s_vpn, "auth") : NULL));
}

FerryConnectionState
ferry_connection_item_get_state(FerryConnectionItem *self)
{
	g_return_val_if_fail(FERRY_IS_CONNECTION_ITEM(self), FERRY_CONNECTION_STATE_DISCONNECTED);

	return self->state;
}

NMActiveConnection *
ferry_connection_item_get_active(FerryConnectionItem *self)
{
	g_return_val_if_fail(FERRY_IS_CONNECTION_ITEM(self), NULL);

	return self->active;
}

const char *
ferry_connection_item_get_failure(FerryConnectionItem *self)
{
	g_return_val_if_fail(FERRY_IS_CONNECTION_ITEM(self), NULL);

	return self->failure;
}

static void
get_property(GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
	FerryConnectionItem *self = FERRY_CONNECTION_ITEM(object);

	switch (prop_id) {
	case PROP_CONNECTION:
		g_value_set_object(value, self->connection);
		break;
	case PROP_NAME:
		g_value_set_string(value, ferry_connection_item_get_name(self));
		break;
	case PROP_GATEWAY:
		g_value_set_string(value, ferry_connection_item_get_gateway(self));
		break;
	case PROP_STATE:
		g_value_set_enum(value, self->state);
		break;
	case PROP_FAILURE:
		g_value_set_string(value, self->failure);
		break;
	default:
		G_OBJECT_WARN_INVALID_PROPERTY_ID(object, prop_id, pspec);
		break;
	}
}

static void
set_property(GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
	FerryConnectionItem *self = FERRY_CONNECTION_ITEM(object);

	switch (prop_id) {
	case PROP_CONNECTION:
		self->connection = g_value_dup_object(value);
		g_signal_connect_object(self->connection, "changed",
		                        G_CALLBACK(connection_changed_cb), self, 0);
		break;
	default:
		G_OBJECT_WARN_INVALID_PROPERTY_ID(object, prop_id, pspec);
		break;
	}
}

static void
ferry_connection_item_dispose(GObject *object)
{
	FerryConnectionItem *self = FERRY_CONNECTION_ITEM(object);

	if (self->active)
		g_signal_handlers_disconnect_by_data(self->active, self);
	g_clear_object(&self->active);
	g_clear_object(&self->connection);
	G_OBJECT_CLASS(ferry_connection_item_parent_class)->dispose(object);
}

static void
ferry_connection_item_finalize(GObject *object)
{
	FerryConnectionItem *self = FERRY_CONNECTION_ITEM(object);

	g_free(self->failure);
	G_OBJECT_CLASS(ferry_connection_item_parent_class)->finalize(object);
}

static void
ferry_connection_item_class_init(FerryConnectionItemClass *klass)
{
	GObjectClass *object_class = G_OBJECT_CLASS(klass);

	object_class->get_property = get_property;
	object_class->set_property = set_property;
	object_class->dispose = ferry_connection_item_dispose;
	object_class->finalize = ferry_connection_item_finalize;

	props[PROP_CONNECTION] = g_param_spec_object("connection", NULL, NULL, NM_TYPE_CONNECTION,
	                                             G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY |
	                                                     G_PARAM_STATIC_STRINGS);
	props[PROP_NAME] = g_param_spec_string("name", NULL, NULL, NULL,
	                                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
	props[PROP_GATEWAY] = g_param_spec_string("gateway", NULL, NULL, NULL,
	                                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
	props[PROP_STATE] = g_param_spec_enum("state", NULL, NULL, FERRY_TYPE_CONNECTION_STATE,
	                                      FERRY_CONNECTION_STATE_DISCONNECTED,
	                                      G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
	props[PROP_FAILURE] = g_param_spec_string("failure", NULL, NULL, NULL,
	                                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
	g_object_class_install_properties(object_class, N_PROPS, props);

	/* ::failed (const char *text): the active connection went down with an error. */
	signals[SIGNAL_FAILED] = g_signal_new("failed", G_TYPE_FROM_CLASS(klass), G_SIGNAL_RUN_LAST,
	                                      0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
ferry_connection_item_init(FerryConnectionItem *self)
{
}

FerryConnectionItem *
ferry_connection_item_new(NMConnection *connection)
{
	g_return_val_if_fail(NM_IS_CONNECTION(connection), NULL);

	return g_object_new(FERRY_TYPE_CONNECTION_ITEM, "connection", connection, NULL);
}
