/* ike-test-sa-fixture.c - the engine wired to the scripted responder for test-ike-sa and
 * test-ike-rekey (see ike-test-sa-fixture.h) */
#include <string.h>
#include <sys/socket.h>

#include "ferry-test.h"
#include "ike-test-sa-fixture.h"

static void
ev_free(gpointer data)
{
	IkeTestSaEv *e = data;

	g_free(e->payloads);
	g_free(e->text);
	g_clear_error(&e->error);
	g_free(e->enc_in);
	g_free(e->enc_out);
	g_free(e->integ_in);
	g_free(e->integ_out);
	g_free(e);
}

char *
ike_test_sa_secret_hex(const FerrySecret *s)
{
	return s ? ferry_test_to_hex(s->data, s->len) : g_strdup("");
}

static void
send_cb(gpointer user_data, const uint8_t *data, gsize len)
{
	IkeTestSaFixture *f = user_data;

	g_ptr_array_add(f->sent, g_bytes_new(data, len));
	if (!f->lose_to_gw)
		g_ptr_array_add(f->to_gw, g_bytes_new(data, len));
}

static void
event_cb(gpointer user_data, const IkeEvent *event)
{
	IkeTestSaFixture *f = user_data;
	IkeTestSaEv *e = g_new0(IkeTestSaEv, 1);

	e->type = event->type;
	e->state = event->state;
	e->time_us = event->time_us;
	e->exchange = event->exchange;
	e->message_id = event->message_id;
	e->n_bytes = event->n_bytes;
	e->retransmit = event->retransmit;
	e->payloads = g_strdup(event->payloads);
	e->text = g_strdup(event->text);
	e->ke_group = event->ke_group;
	e->nat_local = event->nat_local;
	e->nat_remote = event->nat_remote;
	e->error = event->error ? g_error_copy(event->error) : NULL;
	e->sa_kind = event->sa_kind;
	e->peer_initiated = event->peer_initiated;
	e->peer_closed = event->peer_closed;
	if (event->child) {
		e->spi_in = event->child->in.spi;
		e->spi_out = event->child->out.spi;
		e->esn = event->child->esn;
		if (event->type == IKE_EVENT_CHILD_INSTALL) {
			e->enc_in = ike_test_sa_secret_hex(event->child->in.enc_key);
			e->enc_out = ike_test_sa_secret_hex(event->child->out.enc_key);
			e->integ_in = ike_test_sa_secret_hex(event->child->in.integ_key);
			e->integ_out = ike_test_sa_secret_hex(event->child->out.integ_key);
		}
	}
	if (event->config) {
		e->has_ip4 = event->config->has_ip4;
		memcpy(e->ip4, event->config->ip4, 4);
		e->n_dns = event->config->dns ? event->config->dns->len : 0;
	}
	g_ptr_array_add(f->events, e);
}

const IkeSaCallbacks ike_test_sa_callbacks = {send_cb, event_cb};

void
ike_test_sa_set_addr(IkeAddr *a, const uint8_t ip[4], uint16_t port)
{
	memset(a, 0, sizeof(*a));
	a->family = AF_INET;
	memcpy(a->addr, ip, 4);
	a->port = port;
}

void
ike_test_sa_setup(IkeTestSaFixture *f, gconstpointer data)
{
	static const uint8_t client_ip[4] = {198, 51, 100, 10};
	static const uint8_t gw_ip[4] = {203, 0, 113, 1};
	IkeProposal *p;

	ferry_test_rng_install(7296);
	memset(f, 0, sizeof(*f));
	p = &f->ike_props[0];
	p->protocol = IKE_PROTO_IKE;
	p->transforms[p->n_transforms++] =
		(IkeTransform){IKE_TRANSFORM_ENCR, IKE_ENCR_AES_GCM_16, 256};
	p->transforms[p->n_transforms++] =
		(IkeTransform){IKE_TRANSFORM_PRF, IKE_PRF_HMAC_SHA2_256, 0};
	p->transforms[p->n_transforms++] = (IkeTransform){IKE_TRANSFORM_KE, IKE_KE_CURVE25519, 0};
	p->transforms[p->n_transforms++] = (IkeTransform){IKE_TRANSFORM_KE, IKE_KE_ECP_256, 0};
	p->transforms[p->n_transforms++] = (IkeTransform){IKE_TRANSFORM_KE, IKE_KE_MODP_2048, 0};
	p = &f->ike_props[1];
	p->protocol = IKE_PROTO_IKE;
	p->transforms[p->n_transforms++] =
		(IkeTransform){IKE_TRANSFORM_ENCR, IKE_ENCR_AES_CBC, 256};
	p->transforms[p->n_transforms++] =
		(IkeTransform){IKE_TRANSFORM_INTEG, IKE_INTEG_HMAC_SHA2_256_128, 0};
	p->transforms[p->n_transforms++] =
		(IkeTransform){IKE_TRANSFORM_PRF, IKE_PRF_HMAC_SHA2_256, 0};
	p->transforms[p->n_transforms++] = (IkeTransform){IKE_TRANSFORM_KE, IKE_KE_CURVE25519, 0};
	p = &f->child_props[0];
	p->protocol = IKE_PROTO_ESP;
	p->transforms[p->n_transforms++] =
		(IkeTransform){IKE_TRANSFORM_ENCR, IKE_ENCR_AES_GCM_16, 256};
	p->transforms[p->n_transforms++] = (IkeTransform){IKE_TRANSFORM_ESN, IKE_ESN_YES, 0};
	p->transforms[p->n_transforms++] = (IkeTransform){IKE_TRANSFORM_ESN, IKE_ESN_NO, 0};
	p = &f->child_props[1];
	p->protocol = IKE_PROTO_ESP;
	p->transforms[p->n_transforms++] =
		(IkeTransform){IKE_TRANSFORM_ENCR, IKE_ENCR_AES_CBC, 128};
	p->transforms[p->n_transforms++] =
		(IkeTransform){IKE_TRANSFORM_INTEG, IKE_INTEG_HMAC_SHA2_256_128, 0};
	p->transforms[p->n_transforms++] = (IkeTransform){IKE_TRANSFORM_ESN, IKE_ESN_NO, 0};

	f->psk = ferry_secret_new_from_string("ferry-canary-psk");
	f->cfg.ike_proposals = f->ike_props;
	f->cfg.n_ike_proposals = 2;
	f->cfg.child_proposals = f->child_props;
	f->cfg.n_child_proposals = 2;
	f->cfg.local_id_type = IKE_ID_FQDN;
	f->cfg.local_id = FERRY_SPAN("client.example", 14);
	f->cfg.remote_id_type = IKE_ID_FQDN;
	f->cfg.remote_id = FERRY_SPAN("gw.example", 10);
	f->cfg.psk = f->psk;
	f->cfg.request_ip4 = TRUE;
	ike_test_sa_set_addr(&f->cfg.local_addr, client_ip, 500);
	ike_test_sa_set_addr(&f->cfg.remote_addr, gw_ip, 500);

	f->gwcfg.psk = "ferry-canary-psk";
	f->gwcfg.id = "gw.example";
	f->gwcfg.peer_id = "client.example";
	ike_test_sa_set_addr(&f->gwcfg.self, gw_ip, 500);
	ike_test_sa_set_addr(&f->gwcfg.peer_seen, client_ip, 500);

	f->to_gw = g_ptr_array_new_with_free_func((GDestroyNotify)g_bytes_unref);
	f->sent = g_ptr_array_new_with_free_func((GDestroyNotify)g_bytes_unref);
	f->events = g_ptr_array_new_with_free_func(ev_free);
	f->now = 1000 * G_USEC_PER_SEC;
}

void
ike_test_sa_teardown(IkeTestSaFixture *f, gconstpointer data)
{
	g_clear_pointer(&f->sa, ike_sa_free);
	g_clear_pointer(&f->gw, ike_test_responder_free);
	g_ptr_array_unref(f->to_gw);
	g_ptr_array_unref(f->sent);
	g_ptr_array_unref(f->events);
	ferry_secret_free(f->psk);
	ferry_test_rng_remove();
}

/* Deliver datagrams both ways until nobody has anything to send. */
void
ike_test_sa_run(IkeTestSaFixture *f)
{
	while (f->to_gw->len > 0) {
		g_autoptr(GBytes) b = g_ptr_array_steal_index(f->to_gw, 0);
		g_autoptr(GPtrArray) replies =
			g_ptr_array_new_with_free_func((GDestroyNotify)g_bytes_unref);

		ike_test_responder_receive(f->gw, g_bytes_get_data(b, NULL), g_bytes_get_size(b),
		                           replies);
		for (guint i = 0; i < replies->len; i++) {
			GBytes *r = replies->pdata[i];

			ike_sa_receive(f->sa, g_bytes_get_data(r, NULL), g_bytes_get_size(r),
			               f->now);
		}
	}
}

/* Deliver the gateway's own requests to the engine, then run. */
void
ike_test_sa_deliver(IkeTestSaFixture *f, GPtrArray *from_gw)
{
	for (guint i = 0; i < from_gw->len; i++) {
		GBytes *b = from_gw->pdata[i];

		ike_sa_receive(f->sa, g_bytes_get_data(b, NULL), g_bytes_get_size(b), f->now);
	}
	ike_test_sa_run(f);
}

void
ike_test_sa_start(IkeTestSaFixture *f)
{
	g_autoptr(GError) error = NULL;

	f->gw = ike_test_responder_new(&f->gwcfg);
	f->sa = ike_sa_new(&f->cfg, &ike_test_sa_callbacks, f, &error);
	g_assert_no_error(error);
	g_assert_nonnull(f->sa);
}

void
ike_test_sa_connect(IkeTestSaFixture *f)
{
	ike_test_sa_start(f);
	ike_sa_connect(f->sa, f->now);
	ike_test_sa_run(f);
}

/* Move the clock to `t` and tick, then exchange whatever that produced. */
void
ike_test_sa_advance_to(IkeTestSaFixture *f, gint64 t)
{
	f->now = t;
	ike_sa_tick(f->sa, f->now);
	ike_test_sa_run(f);
}

IkeTestSaEv *
ike_test_sa_find_event(IkeTestSaFixture *f, IkeEventType type, guint nth)
{
	for (guint i = 0; i < f->events->len; i++) {
		IkeTestSaEv *e = f->events->pdata[i];

		if (e->type == type && nth-- == 0)
			return e;
	}
	return NULL;
}

guint
ike_test_sa_count_events(IkeTestSaFixture *f, IkeEventType type)
{
	guint n = 0;

	for (guint i = 0; i < f->events->len; i++)
		n += ((IkeTestSaEv *)f->events->pdata[i])->type == type;
	return n;
}

const GError *
ike_test_sa_closed_error(IkeTestSaFixture *f)
{
	IkeTestSaEv *e = ike_test_sa_find_event(f, IKE_EVENT_CLOSED, 0);

	g_assert_nonnull(e);
	g_assert_cmpint(ike_sa_get_state(f->sa), ==, IKE_STATE_CLOSED);
	return e->error;
}

void
ike_test_sa_assert_child_keys(IkeTestSaFixture *f, IkeTestSaEv *install)
{
	const IkeTestResponderState *gs = ike_test_responder_get_state(f->gw);
	g_autofree char *gw_enc_i = ike_test_sa_secret_hex(gs->child.enc_i);
	g_autofree char *gw_enc_r = ike_test_sa_secret_hex(gs->child.enc_r);
	g_autofree char *gw_integ_i = ike_test_sa_secret_hex(gs->child.integ_i);
	g_autofree char *gw_integ_r = ike_test_sa_secret_hex(gs->child.integ_r);

	g_assert_nonnull(install);
	/* Our outbound is the responder's inbound (RFC 7296 §2.17 key order). */
	g_assert_cmpuint(install->spi_out, ==, gs->child_spi_in);
	g_assert_cmpuint(install->spi_in, ==, gs->child_spi_out);
	g_assert_cmpstr(install->enc_out, ==, gw_enc_i);
	g_assert_cmpstr(install->enc_in, ==, gw_enc_r);
	g_assert_cmpstr(install->integ_out, ==, gw_integ_i);
	g_assert_cmpstr(install->integ_in, ==, gw_integ_r);
	g_assert_cmpuint(strlen(install->enc_out), >=, 2 * 16);
	g_assert_cmpstr(install->enc_out, !=, install->enc_in);
}
