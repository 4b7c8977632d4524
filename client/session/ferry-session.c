/* ferry-session.c - FerrySession: lifecycle, the engine's callbacks and the main-loop sources */
#include "config.h"

#include <glib-unix.h>
#include <string.h>
#include <sys/socket.h>

#include "esp-sa.h"
#include "ferry-error.h"
#include "ferry-fd.h"
#include "ferry-session-private.h"

enum {
	SIGNAL_TIMELINE,
	SIGNAL_STATE_CHANGED,
	N_SIGNALS,
};

enum {
	PROP_0,
	PROP_STATE,
	N_PROPS,
};

static guint signals[N_SIGNALS];
static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE(FerrySession, ferry_session, G_TYPE_OBJECT)

static void teardown(FerrySession *self);
static void schedule_finish(FerrySession *self, GError *error);

const char *
ferry_session_state_to_string(FerrySessionState state)
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

static void
set_state(FerrySession *self, FerrySessionState state)
{
	if (self->state == state)
		return;
	g_debug("session %s -> %s", ferry_session_state_to_string(self->state),
	        ferry_session_state_to_string(state));
	self->state = state;
	g_object_notify_by_pspec(G_OBJECT(self), properties[PROP_STATE]);
	g_signal_emit(self, signals[SIGNAL_STATE_CHANGED], 0, (guint)state);
}

void
ferry_session_emit(FerrySession *self, FerryEventType type, GVariant *details)
{
	g_autoptr(FerryEvent) event = ferry_event_new(
		type, (double)(g_get_monotonic_time() - self->t0_us) / G_USEC_PER_SEC, details);

	g_signal_emit(self, signals[SIGNAL_TIMELINE], 0, event);
}

static GSource *
attach(FerrySession *self, GSource *source, GSourceFunc func)
{
	g_source_set_callback(source, func, self, NULL);
	g_source_attach(source, self->context);
	return source;
}

static void
clear_source(GSource **source)
{
	if (*source == NULL)
		return;
	g_source_destroy(*source);
	g_clear_pointer(source, g_source_unref);
}

static void
fail(FerrySession *self, FerryErrorCode code, const char *what, const GError *cause)
{
	schedule_finish(self, g_error_new(FERRY_ERROR, code, "%s: %s", what, cause->message));
}

/* --- the engine's clock --- */

static void
rearm_timer(FerrySession *self)
{
	gint64 deadline = self->ike != NULL ? ike_sa_get_deadline(self->ike) : G_MAXINT64;

	if (self->timer != NULL)
		g_source_set_ready_time(self->timer, deadline == G_MAXINT64 ? -1 : deadline);
}

static gboolean
dispatch_ready(GSource *source, GSourceFunc callback, gpointer user_data)
{
	return callback(user_data);
}

static GSourceFuncs deadline_funcs = {
	.dispatch = dispatch_ready,
};

static gboolean
deadline_reached_cb(gpointer user_data)
{
	FerrySession *self = user_data;

	if (self->ike != NULL)
		ike_sa_tick(self->ike, g_get_monotonic_time());
	rearm_timer(self);
	return G_SOURCE_CONTINUE;
}

/* --- the datapath --- */

static gboolean
datapath_notified_cb(int fd, GIOCondition condition, gpointer user_data)
{
	FerrySession *self = user_data;
	gsize len;

	io_datapath_ack_notify(self->dp);
	while (self->ike != NULL &&
	       (len = io_datapath_pop_ike(self->dp, self->rx_buf, IO_UDP_MAX_DATAGRAM)) > 0)
		ike_sa_receive(self->ike, self->rx_buf, len, g_get_monotonic_time());
	if (self->ike != NULL && io_datapath_take_soft_expired(self->dp))
		ike_sa_rekey_child(self->ike, g_get_monotonic_time());
	rearm_timer(self);
	return G_SOURCE_CONTINUE;
}

guint64
ferry_session_soft_packets(gboolean esn)
{
	return esn ? 0 : UINT32_MAX - FERRY_SESSION_SEQ_SOFT_MARGIN;
}

guint
ferry_session_keepalive_interval(const FerryProfile *profile, gboolean natt, gboolean nat_local)
{
	if (!natt || profile->nat_keepalive == 0)
		return 0;
	if (nat_local || profile->encap == FERRY_ENCAP_FORCE)
		return profile->nat_keepalive;
	return 0;
}

static gboolean
start_datapath(FerrySession *self, int outer_fd, IoDatapathOuter outer, GError **error)
{
	IoDatapathConfig config = {
		.tun_fd = io_tun_get_fd(self->tun),
		.outer_fd = outer_fd,
		.outer = outer,
		.keepalive_s = ferry_session_keepalive_interval(
			self->profile, outer == IO_DATAPATH_OUTER_UDP, self->nat_local),
	};

	self->dp = io_datapath_new(&config, error);
	if (self->dp == NULL)
		return FALSE;
	self->dp_source =
		attach(self, g_unix_fd_source_new(io_datapath_get_notify_fd(self->dp), G_IO_IN),
	               G_SOURCE_FUNC(datapath_notified_cb));
	return TRUE;
}

/* Port 4500 from now on: the datapath thread owns that socket and hands IKE back to us. */
static void
switch_to_natt(FerrySession *self)
{
	g_autoptr(GError) error = NULL;

	if (self->natt)
		return;
	self->natt = TRUE;
	if (!start_datapath(self, io_udp_get_fd(self->udp, IO_UDP_NATT), IO_DATAPATH_OUTER_UDP,
	                    &error))
		fail(self, FERRY_ERROR_IO, "cannot start the datapath", error);
}

static gboolean
start_raw_datapath(FerrySession *self, GError **error)
{
	self->esp_fd = io_udp_open_esp(self->udp, error);
	if (self->esp_fd < 0)
		return FALSE;
	return start_datapath(self, self->esp_fd,
	                      io_udp_get_family(self->udp) == AF_INET6 ? IO_DATAPATH_OUTER_RAW6
	                                                               : IO_DATAPATH_OUTER_RAW4,
	                      error);
}

static EspSa *
new_esp_sa(const IkeChildSa *child, const IkeChildDir *dir, EspDir direction, EspStatus *st)
{
	EspSaParams params = {
		.proto = child->protocol == IKE_PROTO_AH ? ESP_PROTO_AH : ESP_PROTO_ESP,
		.mode = child->transport_mode ? ESP_MODE_TRANSPORT : ESP_MODE_TUNNEL,
		.dir = direction,
		.spi = dir->spi,
		.alg = dir->alg,
		.esn = child->esn,
		.replay_window = FERRY_SESSION_REPLAY_WINDOW,
		.soft_packets = ferry_session_soft_packets(child->esn),
		.enc_key = dir->enc_key,
		.integ_key = dir->integ_key,
	};
	EspSa *sa = NULL;

	*st = esp_sa_new(&params, &sa);
	return *st == ESP_OK ? sa : NULL;
}

static GVariant *
up_details(FerrySession *self)
{
	GVariantDict d;
	GVariantBuilder dns;

	g_variant_dict_init(&d, NULL);
	g_variant_dict_insert(&d, "tun", "s", io_tun_get_name(self->tun));
	if (self->has_config && self->config.has_ip4) {
		g_autoptr(GInetAddress) a =
			g_inet_address_new_from_bytes(self->config.ip4, G_SOCKET_FAMILY_IPV4);
		g_autofree char *text = g_inet_address_to_string(a);
		g_autofree char *with = g_strdup_printf(
			"%s/%u", text, self->config.ip4_prefix ? self->config.ip4_prefix : 32);
		g_variant_dict_insert(&d, "ip4", "s", with);
	}
	if (self->has_config && self->config.has_ip6) {
		g_autoptr(GInetAddress) a =
			g_inet_address_new_from_bytes(self->config.ip6, G_SOCKET_FAMILY_IPV6);
		g_autofree char *text = g_inet_address_to_string(a);
		g_autofree char *with = g_strdup_printf(
			"%s/%u", text, self->config.ip6_prefix ? self->config.ip6_prefix : 128);
		g_variant_dict_insert(&d, "ip6", "s", with);
	}
	g_variant_builder_init(&dns, G_VARIANT_TYPE_STRING_ARRAY);
	for (guint i = 0; self->profile->dns_servers && self->profile->dns_servers[i]; i++)
		g_variant_builder_add(&dns, "s", self->profile->dns_servers[i]);
	for (guint i = 0; self->has_config && self->config.dns && i < self->config.dns->len; i++)
		g_variant_builder_add(&dns, "s", (char *)g_ptr_array_index(self->config.dns, i));
	g_variant_dict_insert_value(&d, "dns", g_variant_builder_end(&dns));
	g_variant_dict_insert_value(
		&d, "routes",
		g_variant_new_strv((const char *const *)self->routes->pdata, self->routes->len));
	return g_variant_dict_end(&d);
}

static void
install_child(FerrySession *self, const IkeChildSa *child)
{
	g_autoptr(GError) error = NULL;
	EspSa *in, *out;
	EspStatus st;

	if (!self->natt && ike_sa_get_use_natt(self->ike))
		switch_to_natt(self);
	if (self->dp == NULL && !start_raw_datapath(self, &error)) {
		fail(self, FERRY_ERROR_IO, "cannot start the datapath", error);
		return;
	}
	in = new_esp_sa(child, &child->in, ESP_DIR_IN, &st);
	out = in != NULL ? new_esp_sa(child, &child->out, ESP_DIR_OUT, &st) : NULL;
	if (out == NULL) {
		g_clear_pointer(&in, esp_sa_free);
		schedule_finish(self, g_error_new(FERRY_ERROR, FERRY_ERROR_IO,
		                                  "cannot install the Child SA: %s",
		                                  esp_status_to_string(st)));
		return;
	}
	io_datapath_install(self->dp, in, out);
	if (self->was_up)
		return;

	if (!ferry_session_net_up(self, child, &error)) {
		schedule_finish(self, g_steal_pointer(&error));
		return;
	}
	self->was_up = TRUE;
	set_state(self, FERRY_SESSION_UP);
	ferry_session_emit(self, FERRY_EVENT_UP, up_details(self));
}

static gpointer
copy_string(gconstpointer src, gpointer data)
{
	return g_strdup(src);
}

static GPtrArray *
copy_strings(GPtrArray *list)
{
	GPtrArray *copy;

	if (list == NULL)
		return NULL;
	copy = g_ptr_array_copy(list, copy_string, NULL);
	g_ptr_array_set_free_func(copy, g_free);
	return copy;
}

static void
copy_config(FerrySession *self, const IkeConfig *config)
{
	ike_config_clear(&self->config);
	self->config = *config;
	self->config.dns = copy_strings(config->dns);
	self->config.domains = copy_strings(config->domains);
	self->config.subnets = copy_strings(config->subnets);
	self->has_config = TRUE;
}

/* --- the engine's callbacks --- */

static void
engine_send_cb(gpointer user_data, const uint8_t *data, gsize len)
{
	FerrySession *self = user_data;
	g_autoptr(GError) error = NULL;
	IoUdpSocket which = ike_sa_get_use_natt(self->ike) ? IO_UDP_NATT : IO_UDP_IKE;

	if (which == IO_UDP_NATT)
		switch_to_natt(self);
	/* A failed send is a lost datagram: retransmission deals with it. */
	if (!io_udp_send_ike(self->udp, which, data, len, &error))
		g_debug("%s", error->message);
}

static void
engine_event_cb(gpointer user_data, const IkeEvent *event)
{
	FerrySession *self = user_data;
	FerryEventType type;
	GVariant *details = ferry_session_event_details(self, event, &type);

	if (details != NULL)
		ferry_session_emit(self, type, details);
	switch (event->type) {
	case IKE_EVENT_NAT_DETECTED:
		self->nat_local = event->nat_local;
		if (ike_sa_get_use_natt(self->ike))
			switch_to_natt(self);
		break;
	case IKE_EVENT_CONFIG:
		if (event->config != NULL)
			copy_config(self, event->config);
		break;
	case IKE_EVENT_CHILD_INSTALL:
		install_child(self, event->child);
		break;
	case IKE_EVENT_CHILD_DELETE:
		if (self->dp != NULL)
			io_datapath_retire(self->dp, event->child->in.spi, event->child->out.spi);
		break;
	case IKE_EVENT_CLOSED:
		/* The gateway deleting the IKE SA or our only Child SA (RFC 7296 §1.4.1) is a
		 * clean close once the tunnel was up (CLI-CONTRACT.md: exit 0, reason "peer"). */
		if (event->error == NULL && event->peer_closed && !self->was_up)
			schedule_finish(self, g_error_new(FERRY_ERROR, FERRY_ERROR_PEER_NOTIFY,
			                                  "the gateway deleted the IKE SA"));
		else
			schedule_finish(self, event->error ? g_error_copy(event->error) : NULL);
		break;
	case IKE_EVENT_STATE_CHANGED:
	case IKE_EVENT_MESSAGE_SENT:
	case IKE_EVENT_MESSAGE_RECEIVED:
	case IKE_EVENT_IKE_PROPOSAL:
	case IKE_EVENT_KE_RETRY:
	case IKE_EVENT_COOKIE:
	case IKE_EVENT_AUTHENTICATED:
	case IKE_EVENT_REKEYED:
	case IKE_EVENT_DPD:
		break;
	}
}

static const IkeSaCallbacks engine_callbacks = {
	.send = engine_send_cb,
	.event = engine_event_cb,
};

static gboolean
ike_readable_cb(int fd, GIOCondition condition, gpointer user_data)
{
	FerrySession *self = user_data;
	gsize off, len;

	while (self->ike != NULL && io_udp_recv(self->udp, IO_UDP_IKE, self->rx_buf,
	                                        IO_UDP_MAX_DATAGRAM, &off, &len) == IO_UDP_RECV_IKE)
		ike_sa_receive(self->ike, self->rx_buf + off, len, g_get_monotonic_time());
	rearm_timer(self);
	return G_SOURCE_CONTINUE;
}

/* --- starting --- */

static gboolean
start_engine(FerrySession *self, GInetAddress *gateway, GError **error)
{
	FerrySessionEngineConfig config;
	IoAddr local, remote;
	gboolean ok;

	self->gateway = g_object_ref(gateway);
	self->udp = io_udp_new(gateway, self->profile->port, IO_UDP_PORT_NATT, error);
	if (self->udp == NULL)
		return FALSE;
	io_udp_get_local(self->udp, IO_UDP_IKE, &local);
	io_udp_get_remote(self->udp, IO_UDP_IKE, &remote);

	ok = ferry_session_engine_config_init(&config, self->profile, self->secrets, &local,
	                                      &remote, error);
	if (ok) {
		config.sa.retransmit_tries = self->retransmit_tries;
		config.sa.retransmit_base_ms = self->retransmit_base_ms;
		self->ike = ike_sa_new(&config.sa, &engine_callbacks, self, error);
		ok = self->ike != NULL;
		/* The engine borrows them for its lifetime. */
		self->trust = g_steal_pointer(&config.trust);
		self->credential = g_steal_pointer(&config.credential);
	}
	ferry_session_engine_config_clear(&config);
	if (!ok)
		return FALSE;

	self->ike_source =
		attach(self, g_unix_fd_source_new(io_udp_get_fd(self->udp, IO_UDP_IKE), G_IO_IN),
	               G_SOURCE_FUNC(ike_readable_cb));
	self->timer =
		attach(self, g_source_new(&deadline_funcs, sizeof(GSource)), deadline_reached_cb);
	ike_sa_connect(self->ike, g_get_monotonic_time());
	rearm_timer(self);
	return TRUE;
}

static void
resolved_cb(GObject *source, GAsyncResult *result, gpointer user_data)
{
	g_autoptr(FerrySession) self = user_data;
	g_autoptr(GError) error = NULL;
	g_autoptr(GInetAddress) gateway = io_udp_resolve_finish(result, &error);

	if (self->state != FERRY_SESSION_CONNECTING)
		return;
	if (gateway == NULL) {
		schedule_finish(self, g_steal_pointer(&error));
		return;
	}
	if (!start_engine(self, gateway, &error)) {
		if (error->domain != FERRY_ERROR)
			fail(self, FERRY_ERROR_IO, "cannot start", error);
		else
			schedule_finish(self, g_steal_pointer(&error));
	}
}

gboolean
ferry_session_connect(FerrySession *self, GError **error)
{
	g_autoptr(GError) local = NULL;

	g_return_val_if_fail(FERRY_IS_SESSION(self), FALSE);
	g_return_val_if_fail(self->state == FERRY_SESSION_IDLE, FALSE);

	self->context = g_main_context_ref_thread_default();
	self->t0_us = g_get_monotonic_time();
	self->tun = io_tun_open(self->tun_template, &local);
	if (self->tun == NULL) {
		g_set_error(error, FERRY_ERROR, FERRY_ERROR_IO, "cannot create the TUN device: %s",
		            local->message);
		return FALSE;
	}
	self->rx_buf = g_malloc(IO_UDP_MAX_DATAGRAM);
	self->cancellable = g_cancellable_new();
	set_state(self, FERRY_SESSION_CONNECTING);
	io_udp_resolve_async(self->profile->gateway, self->cancellable, resolved_cb,
	                     g_object_ref(self));
	return TRUE;
}

/* --- ending --- */

static GVariant *
stats_details(const FerrySessionStats *s)
{
	GVariantDict d;

	g_variant_dict_init(&d, NULL);
	g_variant_dict_insert(&d, "packets_in", "t", s->packets_in);
	g_variant_dict_insert(&d, "packets_out", "t", s->packets_out);
	g_variant_dict_insert(&d, "bytes_in", "t", s->bytes_in);
	g_variant_dict_insert(&d, "bytes_out", "t", s->bytes_out);
	g_variant_dict_insert(&d, "dropped", "t", s->dropped);
	g_variant_dict_insert(&d, "keepalives_out", "t", s->keepalives_out);
	return g_variant_dict_end(&d);
}

static const char *
error_code_name(const GError *error)
{
	if (error->domain != FERRY_ERROR)
		return "io";
	switch ((FerryErrorCode)error->code) {
	case FERRY_ERROR_CONFIG:
		return "bad-profile";
	case FERRY_ERROR_RESOLVE:
		return "resolve";
	case FERRY_ERROR_TIMEOUT:
		return "unreachable";
	case FERRY_ERROR_NO_PROPOSAL:
		return "no-proposal";
	case FERRY_ERROR_AUTH_FAILED:
		return "auth-failed";
	case FERRY_ERROR_PEER_AUTH:
		return "peer-auth-failed";
	case FERRY_ERROR_PEER_NOTIFY:
		return "peer-notify";
	case FERRY_ERROR_TS_UNACCEPTABLE:
		return "ts-unacceptable";
	case FERRY_ERROR_CERT:
		return "certificate";
	case FERRY_ERROR_IO:
		return "local";
	case FERRY_ERROR_CANCELLED:
		return "interrupted";
	case FERRY_ERROR_PROTOCOL:
		return "protocol";
	}
	return "unknown";
}

/* Undo everything, newest first.  Emits nothing. */
static void
teardown(FerrySession *self)
{
	FerrySessionStats stats;

	if (self->dp != NULL) {
		ferry_session_get_stats(self, &stats);
		self->final_stats = stats;
	}
	if (self->cancellable != NULL)
		g_cancellable_cancel(self->cancellable);
	clear_source(&self->timer);
	clear_source(&self->ike_source);
	clear_source(&self->dp_source);
	clear_source(&self->disconnect_timeout);
	ferry_session_net_down(self);
	g_clear_pointer(&self->dp, io_datapath_free);
	ferry_fd_closep(&self->esp_fd);
	g_clear_pointer(&self->ike, ike_sa_free);
	g_clear_pointer(&self->credential, crypto_credential_free);
	g_clear_pointer(&self->trust, crypto_trust_free);
	g_clear_pointer(&self->udp, io_udp_free);
	g_clear_pointer(&self->tun, io_tun_close);
	g_clear_object(&self->gateway);
}

static void
emit_reason(FerrySession *self,
            FerryEventType type,
            const char *key,
            const char *value,
            const char *key2,
            const char *value2)
{
	GVariantDict d;

	g_variant_dict_init(&d, NULL);
	g_variant_dict_insert(&d, key, "s", value);
	if (key2 != NULL)
		g_variant_dict_insert(&d, key2, "s", value2);
	ferry_session_emit(self, type, g_variant_dict_end(&d));
}

static gboolean
finish_cb(gpointer user_data)
{
	FerrySession *self = user_data;

	clear_source(&self->finish_source);
	self->finishing = TRUE;
	if (self->user_disconnect && !self->was_up) {
		g_clear_error(&self->error);
		self->error = g_error_new(FERRY_ERROR, FERRY_ERROR_CANCELLED,
		                          "interrupted before the tunnel came up");
	} else if (self->user_disconnect) {
		g_clear_error(&self->error); /* our DELETE may go unanswered: still a clean end */
	}
	self->down_reason = self->user_disconnect ? "user" : self->error != NULL ? "error" : "peer";

	teardown(self);
	ferry_session_emit(self, FERRY_EVENT_STATS, stats_details(&self->final_stats));
	if (self->error != NULL)
		emit_reason(self, FERRY_EVENT_ERROR, "code", error_code_name(self->error),
		            "message", self->error->message);
	emit_reason(self, FERRY_EVENT_DOWN, "reason", self->down_reason, NULL, NULL);
	set_state(self, FERRY_SESSION_DOWN);
	return G_SOURCE_REMOVE;
}

/* End the session from the main loop, never from inside the engine's own call. */
static void
schedule_finish(FerrySession *self, GError *error)
{
	if (self->finish_source != NULL || self->finishing || self->state == FERRY_SESSION_DOWN) {
		g_clear_error(&error); /* the first reason wins */
		return;
	}
	self->error = error;
	self->finish_source = attach(self, g_idle_source_new(), finish_cb);
}

static gboolean
disconnect_timed_out_cb(gpointer user_data)
{
	FerrySession *self = user_data;

	g_debug("no answer to our DELETE; tearing down anyway");
	clear_source(&self->disconnect_timeout);
	schedule_finish(self, NULL);
	return G_SOURCE_REMOVE;
}

void
ferry_session_disconnect(FerrySession *self)
{
	g_return_if_fail(FERRY_IS_SESSION(self));

	switch (self->state) {
	case FERRY_SESSION_IDLE:
	case FERRY_SESSION_DOWN:
		return;
	case FERRY_SESSION_DISCONNECTING:
		schedule_finish(self, NULL); /* asked twice: do not wait */
		return;
	case FERRY_SESSION_CONNECTING:
	case FERRY_SESSION_UP:
		break;
	}
	self->user_disconnect = TRUE;
	set_state(self, FERRY_SESSION_DISCONNECTING);
	if (self->ike == NULL || !self->was_up) {
		/* Nothing established to delete (RFC 7296 §1.4 needs an IKE SA). */
		schedule_finish(self, NULL);
		return;
	}
	ike_sa_disconnect(self->ike, g_get_monotonic_time());
	rearm_timer(self);
	self->disconnect_timeout =
		attach(self, g_timeout_source_new(FERRY_SESSION_DISCONNECT_WAIT_MS),
	               disconnect_timed_out_cb);
}

/* --- accessors --- */

FerrySessionState
ferry_session_get_state(FerrySession *self)
{
	g_return_val_if_fail(FERRY_IS_SESSION(self), FERRY_SESSION_IDLE);
	return self->state;
}

const GError *
ferry_session_get_error(FerrySession *self)
{
	g_return_val_if_fail(FERRY_IS_SESSION(self), NULL);
	return self->finishing ? self->error : NULL;
}

const char *
ferry_session_get_down_reason(FerrySession *self)
{
	g_return_val_if_fail(FERRY_IS_SESSION(self), NULL);
	return self->state == FERRY_SESSION_DOWN ? self->down_reason : NULL;
}

gboolean
ferry_session_was_up(FerrySession *self)
{
	g_return_val_if_fail(FERRY_IS_SESSION(self), FALSE);
	return self->was_up;
}

const char *
ferry_session_get_tun_name(FerrySession *self)
{
	g_return_val_if_fail(FERRY_IS_SESSION(self), NULL);
	return self->tun != NULL ? io_tun_get_name(self->tun) : NULL;
}

void
ferry_session_get_stats(FerrySession *self, FerrySessionStats *stats)
{
	IoDatapathStats dp;

	g_return_if_fail(FERRY_IS_SESSION(self));
	if (self->dp == NULL) {
		*stats = self->final_stats;
		return;
	}
	io_datapath_get_stats(self->dp, &dp);
	stats->packets_in = dp.packets_in;
	stats->packets_out = dp.packets_out;
	stats->bytes_in = dp.bytes_in;
	stats->bytes_out = dp.bytes_out;
	stats->dropped = io_datapath_stats_dropped(&dp);
	stats->keepalives_out = dp.keepalives_out;
}

void
ferry_session_set_tun_name(FerrySession *self, const char *name)
{
	g_return_if_fail(FERRY_IS_SESSION(self));
	g_free(self->tun_template);
	self->tun_template = g_strdup(name);
}

void
ferry_session_set_apply_dns(FerrySession *self, gboolean apply)
{
	g_return_if_fail(FERRY_IS_SESSION(self));
	self->apply_dns = apply;
}

void
ferry_session_set_configure_network(FerrySession *self, gboolean configure)
{
	g_return_if_fail(FERRY_IS_SESSION(self));
	self->configure_network = configure;
}

void
ferry_session_set_resolv_conf(FerrySession *self, const char *path)
{
	g_return_if_fail(FERRY_IS_SESSION(self));
	g_free(self->resolv_conf);
	self->resolv_conf = g_strdup(path);
}

void
ferry_session_set_run_dir(FerrySession *self, const char *dir)
{
	g_return_if_fail(FERRY_IS_SESSION(self));
	g_free(self->run_dir);
	self->run_dir = g_strdup(dir);
}

void
ferry_session_set_retransmit(FerrySession *self, guint tries, guint base_ms)
{
	g_return_if_fail(FERRY_IS_SESSION(self));
	self->retransmit_tries = tries;
	self->retransmit_base_ms = base_ms;
}

/* --- GObject --- */

FerrySession *
ferry_session_new(const FerryProfile *profile, const FerryProfileSecrets *secrets, GError **error)
{
	FerrySession *self;

	g_return_val_if_fail(profile != NULL && secrets != NULL, NULL);
	if (!ferry_profile_validate(profile, error) ||
	    !ferry_profile_validate_secrets(profile, secrets, error))
		return NULL;
	self = g_object_new(FERRY_TYPE_SESSION, NULL);
	self->profile = ferry_profile_copy(profile);
	self->secrets = ferry_profile_secrets_copy(secrets);
	return self;
}

static void
ferry_session_init(FerrySession *self)
{
	self->apply_dns = TRUE;
	self->configure_network = TRUE;
	self->esp_fd = -1;
	self->routes = g_ptr_array_new_with_free_func(g_free);
}

static void
ferry_session_dispose(GObject *object)
{
	FerrySession *self = FERRY_SESSION(object);

	self->finishing = TRUE;
	teardown(self);
	clear_source(&self->finish_source);
	G_OBJECT_CLASS(ferry_session_parent_class)->dispose(object);
}

static void
ferry_session_finalize(GObject *object)
{
	FerrySession *self = FERRY_SESSION(object);

	g_clear_pointer(&self->profile, ferry_profile_free);
	g_clear_pointer(&self->secrets, ferry_profile_secrets_free);
	g_clear_pointer(&self->context, g_main_context_unref);
	g_clear_object(&self->cancellable);
	g_clear_error(&self->error);
	ike_config_clear(&self->config);
	g_clear_pointer(&self->routes, g_ptr_array_unref);
	g_free(self->rx_buf);
	g_free(self->tun_template);
	g_free(self->resolv_conf);
	g_free(self->run_dir);
	G_OBJECT_CLASS(ferry_session_parent_class)->finalize(object);
}

static void
ferry_session_get_property(GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
	FerrySession *self = FERRY_SESSION(object);

	switch (prop_id) {
	case PROP_STATE:
		g_value_set_uint(value, self->state);
		break;
	default:
		G_OBJECT_WARN_INVALID_PROPERTY_ID(object, prop_id, pspec);
	}
}

static void
ferry_session_class_init(FerrySessionClass *klass)
{
	GObjectClass *object_class = G_OBJECT_CLASS(klass);

	object_class->dispose = ferry_session_dispose;
	object_class->finalize = ferry_session_finalize;
	object_class->get_property = ferry_session_get_property;

	/**
	 * FerrySession:state: the FerrySessionState, as a number.
	 */
	properties[PROP_STATE] =
		g_param_spec_uint("state", NULL, NULL, 0, FERRY_SESSION_DOWN, FERRY_SESSION_IDLE,
	                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
	g_object_class_install_properties(object_class, N_PROPS, properties);

	/**
	 * FerrySession::timeline:
	 * @event: (transfer none): what happened
	 */
	signals[SIGNAL_TIMELINE] =
		g_signal_new("timeline", G_TYPE_FROM_CLASS(klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
	                     NULL, G_TYPE_NONE, 1, FERRY_TYPE_EVENT);
	/**
	 * FerrySession::state-changed:
	 * @state: the new FerrySessionState
	 */
	signals[SIGNAL_STATE_CHANGED] =
		g_signal_new("state-changed", G_TYPE_FROM_CLASS(klass), G_SIGNAL_RUN_LAST, 0, NULL,
	                     NULL, NULL, G_TYPE_NONE, 1, G_TYPE_UINT);
}
