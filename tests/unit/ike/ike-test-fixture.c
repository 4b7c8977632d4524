/* ike-test-fixture.c - an engine wired to the scripted responder, for exchange tests */
#include <string.h>
#include <sys/socket.h>

#include "ferry-test.h"
#include "ike-test-fixture.h"

static void
ev_free(gpointer data)
{
	IkeTestEv *e = data;

	g_free(e->payloads);
	g_free(e->text);
	g_clear_error(&e->error);
	g_free(e->enc_in);
	g_free(e->enc_out);
	g_free(e->integ_in);
	g_free(e->integ_out);
	g_free(e);
}

static char *
dup_secret_hex(const FerrySecret *s)
{
	return s ? ferry_test_to_hex(s->data, s->len) : g_strdup("");
}

static void
send_cb(gpointer user_data, const uint8_t *data, gsize len)
{
	IkeTestFixture *f = user_data;

	g_ptr_array_add(f->sent, g_bytes_new(data, len));
	g_ptr_array_add(f->to_gw, g_bytes_new(data, len));
}

static void
event_cb(gpointer user_data, const IkeEvent *event)
{
	IkeTestFixture *f = user_data;
	IkeTestEv *e = g_new0(IkeTestEv, 1);

	e->type = event->type;
	e->state = event->state;
	e->exchange = event->exchange;
	e->message_id = event->message_id;
	e->payloads = g_strdup(event->payloads);
	e->text = g_strdup(event->text);
	e->error = event->error ? g_error_copy(event->error) : NULL;
	if (event->child && event->type == IKE_EVENT_CHILD_INSTALL) {
		e->spi_in = event->child->in.spi;
		e->spi_out = event->child->out.spi;
		e->enc_in = dup_secret_hex(event->child->in.enc_key);
		e->enc_out = dup_secret_hex(event->child->out.enc_key);
		e->integ_in = dup_secret_hex(event->child->in.integ_key);
		e->integ_out = dup_secret_hex(event->child->out.integ_key);
	}
	g_ptr_array_add(f->events, e);
}

static const IkeSaCallbacks callbacks = {send_cb, event_cb};

static void
set_addr(IkeAddr *a, const uint8_t ip[4], uint16_t port)
{
	memset(a, 0, sizeof(*a));
	a->family = AF_INET;
	memcpy(a->addr, ip, 4);
	a->port = port;
}

static void
add_transform(IkeProposal *p, uint8_t type, uint16_t id, uint16_t key_bits)
{
	p->transforms[p->n_transforms++] = (IkeTransform){type, id, key_bits};
}

void
ike_test_fixture_setup(IkeTestFixture *f, gconstpointer data)
{
	static const uint8_t client_ip[4] = {198, 51, 100, 10};
	static const uint8_t gw_ip[4] = {203, 0, 113, 1};
	IkeProposal *p;

	ferry_test_rng_install(5998);
	memset(f, 0, sizeof(*f));
	p = &f->ike_props[0];
	p->protocol = IKE_PROTO_IKE;
	add_transform(p, IKE_TRANSFORM_ENCR, IKE_ENCR_AES_GCM_16, 256);
	add_transform(p, IKE_TRANSFORM_PRF, IKE_PRF_HMAC_SHA2_256, 0);
	add_transform(p, IKE_TRANSFORM_KE, IKE_KE_CURVE25519, 0);
	p = &f->ike_props[1];
	p->protocol = IKE_PROTO_IKE;
	add_transform(p, IKE_TRANSFORM_ENCR, IKE_ENCR_AES_CBC, 256);
	add_transform(p, IKE_TRANSFORM_INTEG, IKE_INTEG_HMAC_SHA2_256_128, 0);
	add_transform(p, IKE_TRANSFORM_PRF, IKE_PRF_HMAC_SHA2_384, 0);
	add_transform(p, IKE_TRANSFORM_KE, IKE_KE_ECP_256, 0);
	p = &f->child_props[0];
	p->protocol = IKE_PROTO_ESP;
	add_transform(p, IKE_TRANSFORM_ENCR, IKE_ENCR_AES_GCM_16, 256);
	add_transform(p, IKE_TRANSFORM_ESN, IKE_ESN_NO, 0);
	p = &f->child_props[1];
	p->protocol = IKE_PROTO_ESP;
	add_transform(p, IKE_TRANSFORM_ENCR, IKE_ENCR_AES_CBC, 128);
	add_transform(p, IKE_TRANSFORM_INTEG, IKE_INTEG_HMAC_SHA2_256_128, 0);
	add_transform(p, IKE_TRANSFORM_ESN, IKE_ESN_NO, 0);

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
	set_addr(&f->cfg.local_addr, client_ip, 500);
	set_addr(&f->cfg.remote_addr, gw_ip, 500);

	f->gwcfg.psk = "ferry-canary-psk";
	f->gwcfg.id = "gw.example";
	set_addr(&f->gwcfg.self, gw_ip, 500);
	set_addr(&f->gwcfg.peer_seen, client_ip, 500);

	f->to_gw = g_ptr_array_new_with_free_func((GDestroyNotify)g_bytes_unref);
	f->sent = g_ptr_array_new_with_free_func((GDestroyNotify)g_bytes_unref);
	f->events = g_ptr_array_new_with_free_func(ev_free);
	f->now = 1000 * G_USEC_PER_SEC;
}

void
ike_test_fixture_teardown(IkeTestFixture *f, gconstpointer data)
{
	g_clear_pointer(&f->sa, ike_sa_free);
	g_clear_pointer(&f->gw, ike_test_responder_free);
	g_ptr_array_unref(f->to_gw);
	g_ptr_array_unref(f->sent);
	g_ptr_array_unref(f->events);
	ferry_secret_free(f->psk);
	ferry_test_rng_remove();
}

void
ike_test_fixture_start(IkeTestFixture *f)
{
	g_autoptr(GError) error = NULL;

	f->gw = ike_test_responder_new(&f->gwcfg);
	f->sa = ike_sa_new(&f->cfg, &callbacks, f, &error);
	g_assert_no_error(error);
	g_assert_nonnull(f->sa);
}

void
ike_test_fixture_run(IkeTestFixture *f)
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

void
ike_test_fixture_connect(IkeTestFixture *f)
{
	ike_test_fixture_start(f);
	ike_sa_connect(f->sa, f->now);
	ike_test_fixture_run(f);
}

IkeTestEv *
ike_test_fixture_find_event(IkeTestFixture *f, IkeEventType type, guint nth)
{
	for (guint i = 0; i < f->events->len; i++) {
		IkeTestEv *e = f->events->pdata[i];

		if (e->type == type && nth-- == 0)
			return e;
	}
	return NULL;
}

const GError *
ike_test_fixture_closed_error(IkeTestFixture *f)
{
	IkeTestEv *e = ike_test_fixture_find_event(f, IKE_EVENT_CLOSED, 0);

	g_assert_nonnull(e);
	g_assert_cmpint(ike_sa_get_state(f->sa), ==, IKE_STATE_CLOSED);
	return e->error;
}

void
ike_test_fixture_assert_child_keys(IkeTestFixture *f, const IkeTestEv *install)
{
	const IkeTestResponderState *gs = ike_test_responder_get_state(f->gw);
	g_autofree char *gw_enc_i = dup_secret_hex(gs->child.enc_i);
	g_autofree char *gw_enc_r = dup_secret_hex(gs->child.enc_r);
	g_autofree char *gw_integ_i = dup_secret_hex(gs->child.integ_i);
	g_autofree char *gw_integ_r = dup_secret_hex(gs->child.integ_r);

	g_assert_nonnull(install);
	g_assert_cmpuint(install->spi_out, ==, gs->child_spi_in);
	g_assert_cmpuint(install->spi_in, ==, gs->child_spi_out);
	g_assert_cmpstr(install->enc_out, ==, gw_enc_i);
	g_assert_cmpstr(install->enc_in, ==, gw_enc_r);
	g_assert_cmpstr(install->integ_out, ==, gw_integ_i);
	g_assert_cmpstr(install->integ_in, ==, gw_integ_r);
	g_assert_cmpuint(strlen(install->enc_out), >=, 2 * 16);
}
