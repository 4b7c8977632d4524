/* ferry-notify.c - FerryNotify: desktop notifications when a Ferry connection's state changes */
#include "config.h"

#include <glib/gi18n.h>

#include "ferry-notify.h"

#define FERRY_SERVICE_TYPE "org.freedesktop.NetworkManager.ferry"

struct _FerryNotify {
	GObject parent_instance;

	/* borrowed */
	GApplication *app;
	/* owned */
	NMClient *client;
	GHashTable *up; /* uuid -> GINT_TO_POINTER(1): activated while we watched */
};

G_DEFINE_FINAL_TYPE(FerryNotify, ferry_notify, G_TYPE_OBJECT)

static const char *
describe_reason(NMActiveConnectionStateReason reason)
{
	switch (reason) {
	case NM_ACTIVE_CONNECTION_STATE_REASON_LOGIN_FAILED:
		return _("The gateway refused the login.");
	case NM_ACTIVE_CONNECTION_STATE_REASON_NO_SECRETS:
		return _("No password or key was given.");
	case NM_ACTIVE_CONNECTION_STATE_REASON_CONNECT_TIMEOUT:
	case NM_ACTIVE_CONNECTION_STATE_REASON_SERVICE_START_TIMEOUT:
		return _("It took too long.");
	case NM_ACTIVE_CONNECTION_STATE_REASON_SERVICE_STOPPED:
		return _("The VPN service stopped.");
	case NM_ACTIVE_CONNECTION_STATE_REASON_SERVICE_START_FAILED:
		return _("The VPN service could not start.");
	case NM_ACTIVE_CONNECTION_STATE_REASON_IP_CONFIG_INVALID:
		return _("The gateway sent an unusable network configuration.");
	case NM_ACTIVE_CONNECTION_STATE_REASON_DEVICE_DISCONNECTED:
		return _("The network connection underneath went away.");
	case NM_ACTIVE_CONNECTION_STATE_REASON_CONNECTION_REMOVED:
		return _("The connection was deleted.");
	default:
		return _("See the connection's timeline for details.");
	}
}

gboolean
ferry_notify_describe(const char *name,
                      gboolean was_up,
                      NMActiveConnectionState state,
                      NMActiveConnectionStateReason reason,
                      char **title,
                      char **body,
                      gboolean *withdraw)
{
	*title = *body = NULL;
	*withdraw = FALSE;
	if (state == NM_ACTIVE_CONNECTION_STATE_ACTIVATED) {
		*title = g_strdup_printf(_("Connected to %s"), name);
		*body = g_strdup(_("Traffic to the network behind the gateway is protected."));
		return TRUE;
	}
	if (state != NM_ACTIVE_CONNECTION_STATE_DEACTIVATED)
		return FALSE;
	if (reason == NM_ACTIVE_CONNECTION_STATE_REASON_USER_DISCONNECTED) {
		*withdraw = TRUE;
		return FALSE;
	}
	*title = g_strdup_printf(was_up ? _("Disconnected from %s") : _("Could not connect to %s"),
	                         name);
	*body = g_strdup(describe_reason(reason));
	return TRUE;
}

static gboolean
is_ours(NMActiveConnection *ac)
{
	NMRemoteConnection *rc = nm_active_connection_get_connection(ac);
	NMSettingVpn *vpn = rc ? nm_connection_get_setting_vpn(NM_CONNECTION(rc)) : NULL;

	return vpn != NULL &&
	       g_strcmp0(nm_setting_vpn_get_service_type(vpn), FERRY_SERVICE_TYPE) == 0;
}

static void
state_changed_cb(NMActiveConnection *ac, guint state, guint reason, FerryNotify *self)
{
	const char *uuid = nm_active_connection_get_uuid(ac);
	g_autofree char *id = g_strdup_printf("ferry-%s", uuid);
	g_autofree char *title = NULL, *body = NULL;
	gboolean withdraw, was_up = g_hash_table_contains(self->up, uuid);
	g_autoptr(GNotification) n = NULL;

	if (state == NM_ACTIVE_CONNECTION_STATE_ACTIVATED)
		g_hash_table_add(self->up, g_strdup(uuid));
	if (state == NM_ACTIVE_CONNECTION_STATE_DEACTIVATED)
		g_hash_table_remove(self->up, uuid);
	if (!ferry_notify_describe(nm_active_connection_get_id(ac), was_up, state, reason, &title,
	                           &body, &withdraw)) {
		if (withdraw)
			g_application_withdraw_notification(self->app, id);
		return;
	}
	n = g_notification_new(title);
	g_notification_set_body(n, body);
	g_notification_set_icon(n,
	                        g_themed_icon_new(state == NM_ACTIVE_CONNECTION_STATE_ACTIVATED
	                                                  ? "network-vpn-symbolic"
	                                                  : "network-vpn-disconnected-symbolic"));
	g_notification_set_default_action(n, "app.activate");
	g_application_send_notification(self->app, id, n);
}

static void
watch(FerryNotify *self, NMActiveConnection *ac)
{
	if (!is_ours(ac))
		return;
	if (nm_active_connection_get_state(ac) == NM_ACTIVE_CONNECTION_STATE_ACTIVATED)
		g_hash_table_add(self->up, g_strdup(nm_active_connection_get_uuid(ac)));
	g_signal_connect_object(ac, "state-changed", G_CALLBACK(state_changed_cb), self, 0);
}

static void
active_added_cb(NMClient *client, NMActiveConnection *ac, FerryNotify *self)
{
	watch(self, ac);
}

static void
ferry_notify_finalize(GObject *object)
{
	FerryNotify *self = FERRY_NOTIFY(object);

	g_clear_object(&self->client);
	g_hash_table_unref(self->up);
	G_OBJECT_CLASS(ferry_notify_parent_class)->finalize(object);
}

static void
ferry_notify_class_init(FerryNotifyClass *klass)
{
	G_OBJECT_CLASS(klass)->finalize = ferry_notify_finalize;
}

static void
ferry_notify_init(FerryNotify *self)
{
	self->up = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
}

FerryNotify *
ferry_notify_new(GApplication *app, NMClient *client)
{
	FerryNotify *self = g_object_new(FERRY_TYPE_NOTIFY, NULL);
	const GPtrArray *list;

	self->app = app;
	if (client == NULL)
		return self;
	self->client = g_object_ref(client);
	g_signal_connect_object(client, NM_CLIENT_ACTIVE_CONNECTION_ADDED,
	                        G_CALLBACK(active_added_cb), self, 0);
	list = nm_client_get_active_connections(client);
	for (guint i = 0; list != NULL && i < list->len; i++)
		watch(self, list->pdata[i]);
	return self;
}
