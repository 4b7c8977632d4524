/* test-ike-sa.c - the engine's exchanges against the scripted responder (STYLE.md §11) */
#include <string.h>
#include <sys/socket.h>

#include "cert-test.h"
#include "crypto-cert.h"
#include "crypto-rng.h"
#include "ferry-error.h"
#include "ferry-test.h"
#include "ike-sa.h"
#include "ike-test-responder.h"

#include "ike-test-sa-fixture.h"

static guint
index_of(IkeTestSaFixture *f, IkeEventType type)
{
	for (guint i = 0; i < f->events->len; i++) {
		if (((IkeTestSaEv *)f->events->pdata[i])->type == type)
			return i;
	}
	g_assert_not_reached();
	return 0;
}

static guint
index_of_nth(IkeTestSaFixture *f, IkeEventType type, guint nth)
{
	for (guint i = 0; i < f->events->len; i++) {
		if (((IkeTestSaEv *)f->events->pdata[i])->type == type && nth-- == 0)
			return i;
	}
	g_assert_not_reached();
	return 0;
}

/* ---- establishing ---- */

static void
test_connect_psk(IkeTestSaFixture *f, gconstpointer data)
{
	const IkeTestResponderState *gs;
	g_autofree char *want = NULL;
	IkeTestSaEv *e;

	ike_test_sa_connect(f);
	gs = ike_test_responder_get_state(f->gw);
	g_assert_cmpint(ike_sa_get_state(f->sa), ==, IKE_STATE_ESTABLISHED);
	g_assert_true(gs->authenticated);
	g_assert_false(ike_sa_get_use_natt(f->sa));
	g_assert_null(ike_test_sa_find_event(f, IKE_EVENT_NAT_DETECTED, 0));

	e = ike_test_sa_find_event(f, IKE_EVENT_MESSAGE_SENT, 0);
	g_assert_cmpuint(e->exchange, ==, IKE_EXCHANGE_IKE_SA_INIT);
	g_assert_cmpuint(e->message_id, ==, 0);
	g_assert_cmpstr(e->payloads, ==,
	                "SA KE No N(NAT_DETECTION_SOURCE_IP) N(NAT_DETECTION_DESTINATION_IP) "
	                "N(IKEV2_FRAGMENTATION_SUPPORTED) N(SIGNATURE_HASH_ALGORITHMS)");
	g_assert_cmpuint(e->n_bytes, ==, g_bytes_get_size(f->sent->pdata[0]));
	e = ike_test_sa_find_event(f, IKE_EVENT_MESSAGE_RECEIVED, 0);
	g_assert_cmpstr(e->payloads, ==,
	                "SA KE No N(NAT_DETECTION_SOURCE_IP) N(NAT_DETECTION_DESTINATION_IP) "
	                "N(IKEV2_FRAGMENTATION_SUPPORTED)");
	e = ike_test_sa_find_event(f, IKE_EVENT_MESSAGE_SENT, 1);
	g_assert_cmpuint(e->exchange, ==, IKE_EXCHANGE_IKE_AUTH);
	g_assert_cmpuint(e->message_id, ==, 1);
	g_assert_cmpstr(
		e->payloads, ==,
		"IDi N(INITIAL_CONTACT) IDr AUTH CP(REQUEST) N(ESP_TFC_PADDING_NOT_SUPPORTED) "
		"SA TSi TSr");
	e = ike_test_sa_find_event(f, IKE_EVENT_MESSAGE_RECEIVED, 1);
	g_assert_cmpstr(e->payloads, ==, "IDr AUTH CP(REPLY) SA TSi TSr");

	e = ike_test_sa_find_event(f, IKE_EVENT_IKE_PROPOSAL, 0);
	g_assert_cmpstr(e->text, ==, "AES_GCM_16_256/PRF_HMAC_SHA2_256/CURVE25519");
	e = ike_test_sa_find_event(f, IKE_EVENT_AUTHENTICATED, 0);
	g_assert_cmpstr(e->text, ==, "pre-shared key, gateway gw.example");
	e = ike_test_sa_find_event(f, IKE_EVENT_CONFIG, 0);
	g_assert_true(e->has_ip4);
	g_assert_cmpmem(e->ip4, 4, ((uint8_t[]){198, 51, 100, 77}), 4);
	g_assert_cmpuint(e->n_dns, ==, 1);
	g_assert_cmpstr(e->text, ==,
	                "address 198.51.100.77/32, DNS 198.51.100.53, domain corp.example");
	e = ike_test_sa_find_event(f, IKE_EVENT_CHILD_INSTALL, 0);
	ike_test_sa_assert_child_keys(f, e);
	g_assert_cmpuint(strlen(e->enc_out), ==, 2 * 36); /* AES-256 key + GCM salt */
	g_assert_cmpstr(e->integ_out, ==, "");
	g_assert_true(e->esn); /* our first choice, and the responder takes firsts */
	want = g_strdup_printf("tunnel SPIs in %08x out %08x, 198.51.100.77/32 === 0.0.0.0/0",
	                       e->spi_in, e->spi_out);
	g_assert_cmpstr(e->text, ==, want);
	/* CONFIG, then CHILD_INSTALL, then ESTABLISHED */
	g_assert_cmpuint(index_of(f, IKE_EVENT_CONFIG), <, index_of(f, IKE_EVENT_CHILD_INSTALL));
	e = f->events->pdata[f->events->len - 1];
	g_assert_cmpint(e->type, ==, IKE_EVENT_STATE_CHANGED);
	g_assert_cmpint(e->state, ==, IKE_STATE_ESTABLISHED);

	/* A clean close: DELETE answered, no error. */
	ike_sa_disconnect(f->sa, f->now);
	g_assert_cmpint(ike_sa_get_state(f->sa), ==, IKE_STATE_DELETING);
	ike_test_sa_run(f);
	g_assert_true(gs->deleted);
	g_assert_null(ike_test_sa_closed_error(f));
	g_assert_nonnull(ike_test_sa_find_event(f, IKE_EVENT_CHILD_DELETE, 0));
	g_assert_cmpuint(ike_sa_get_deadline(f->sa), ==, G_MAXINT64);
}

static void
test_connect_deterministic(IkeTestSaFixture *f, gconstpointer data)
{
	g_autoptr(GBytes) first = NULL;

	ike_test_sa_connect(f);
	first = g_bytes_ref(f->sent->pdata[0]);
	g_clear_pointer(&f->sa, ike_sa_free);
	g_clear_pointer(&f->gw, ike_test_responder_free);
	g_ptr_array_set_size(f->sent, 0);
	ferry_test_rng_install(7296);
	ike_test_sa_connect(f);
	g_assert_true(g_bytes_equal(first, f->sent->pdata[0]));
}

static void
test_connect_cbc(IkeTestSaFixture *f, gconstpointer data)
{
	/* Only the second proposals: AES-CBC with HMAC for IKE and ESP. */
	f->cfg.ike_proposals = &f->ike_props[1];
	f->cfg.n_ike_proposals = 1;
	f->cfg.child_proposals = &f->child_props[1];
	f->cfg.n_child_proposals = 1;
	ike_test_sa_connect(f);
	g_assert_cmpint(ike_sa_get_state(f->sa), ==, IKE_STATE_ESTABLISHED);
	g_assert_cmpstr(ike_test_sa_find_event(f, IKE_EVENT_IKE_PROPOSAL, 0)->text, ==,
	                "AES_CBC_256/HMAC_SHA2_256_128/PRF_HMAC_SHA2_256/CURVE25519");
	ike_test_sa_assert_child_keys(f, ike_test_sa_find_event(f, IKE_EVENT_CHILD_INSTALL, 0));
	g_assert_cmpuint(strlen(ike_test_sa_find_event(f, IKE_EVENT_CHILD_INSTALL, 0)->integ_out),
	                 ==, 64);
}

static void
test_invalid_ke(IkeTestSaFixture *f, gconstpointer data)
{
	IkeTestSaEv *e;

	f->gwcfg.want_group = IKE_KE_ECP_256;
	ike_test_sa_connect(f);
	g_assert_cmpint(ike_sa_get_state(f->sa), ==, IKE_STATE_ESTABLISHED);
	e = ike_test_sa_find_event(f, IKE_EVENT_KE_RETRY, 0);
	g_assert_nonnull(e);
	g_assert_cmpuint(e->ke_group, ==, IKE_KE_ECP_256);
	g_assert_cmpuint(ike_test_responder_get_state(f->gw)->ke_group, ==, IKE_KE_ECP_256);
	g_assert_cmpuint(ike_test_responder_get_state(f->gw)->n_init, ==, 2);
	/* RFC 7296 §1.2: same SPIi on the retry, message ID 0 again. */
	g_assert_cmpmem(g_bytes_get_data(f->sent->pdata[0], NULL), 8,
	                g_bytes_get_data(f->sent->pdata[1], NULL), 8);
	g_assert_cmpuint(ike_test_sa_find_event(f, IKE_EVENT_MESSAGE_SENT, 1)->message_id, ==, 0);
	g_assert_cmpstr(ike_test_sa_find_event(f, IKE_EVENT_IKE_PROPOSAL, 0)->text, ==,
	                "AES_GCM_16_256/PRF_HMAC_SHA2_256/ECP_256");
	ike_test_sa_assert_child_keys(f, ike_test_sa_find_event(f, IKE_EVENT_CHILD_INSTALL, 0));
}

static void
test_invalid_ke_not_offered(IkeTestSaFixture *f, gconstpointer data)
{
	const GError *error;

	f->gwcfg.want_group = IKE_KE_ECP_384;
	ike_test_sa_connect(f);
	error = ike_test_sa_closed_error(f);
	g_assert_error(error, FERRY_ERROR, FERRY_ERROR_NO_PROPOSAL);
	g_assert_nonnull(strstr(error->message, "ECP_384"));
}

static void
test_cookie(IkeTestSaFixture *f, gconstpointer data)
{
	const IkeTestResponderState *gs;

	f->gwcfg.want_cookie = TRUE;
	ike_test_sa_connect(f);
	gs = ike_test_responder_get_state(f->gw);
	g_assert_cmpint(ike_sa_get_state(f->sa), ==, IKE_STATE_ESTABLISHED);
	g_assert_nonnull(ike_test_sa_find_event(f, IKE_EVENT_COOKIE, 0));
	g_assert_cmpuint(gs->n_init, ==, 2);
	g_assert_cmpstr(gs->payload_log->pdata[1], ==,
	                "N(COOKIE) SA KE NONCE N(NAT_DETECTION_SOURCE_IP) "
	                "N(NAT_DETECTION_DESTINATION_IP) N(IKEV2_FRAGMENTATION_SUPPORTED) "
	                "N(SIGNATURE_HASH_ALGORITHMS)");
	ike_test_sa_assert_child_keys(f, ike_test_sa_find_event(f, IKE_EVENT_CHILD_INSTALL, 0));
}

static void
test_cookie_and_invalid_ke(IkeTestSaFixture *f, gconstpointer data)
{
	f->gwcfg.want_cookie = TRUE;
	f->gwcfg.want_group = IKE_KE_MODP_2048;
	ike_test_sa_connect(f);
	g_assert_cmpint(ike_sa_get_state(f->sa), ==, IKE_STATE_ESTABLISHED);
	g_assert_cmpuint(ike_test_responder_get_state(f->gw)->n_init, ==, 3);
	g_assert_cmpuint(ike_test_responder_get_state(f->gw)->ke_group, ==, IKE_KE_MODP_2048);
}

static void
test_no_proposal(IkeTestSaFixture *f, gconstpointer data)
{
	const GError *error;

	f->gwcfg.no_proposal = TRUE;
	ike_test_sa_connect(f);
	error = ike_test_sa_closed_error(f);
	g_assert_error(error, FERRY_ERROR, FERRY_ERROR_NO_PROPOSAL);
	g_assert_cmpstr(error->message, ==,
	                "the gateway accepted none of our IKE proposals (ours: "
	                "AES_GCM_16_256/PRF_HMAC_SHA2_256/CURVE25519/ECP_256/MODP_2048, "
	                "AES_CBC_256/HMAC_SHA2_256_128/PRF_HMAC_SHA2_256/CURVE25519)");
}

static void
test_wrong_proposal(IkeTestSaFixture *f, gconstpointer data)
{
	const GError *error;

	f->gwcfg.wrong_proposal = TRUE;
	ike_test_sa_connect(f);
	error = ike_test_sa_closed_error(f);
	g_assert_error(error, FERRY_ERROR, FERRY_ERROR_NO_PROPOSAL);
	g_assert_nonnull(strstr(error->message, "AES_GCM_16_192"));
	g_assert_nonnull(strstr(error->message, "not one we offered"));
}

static void
test_auth_failed(IkeTestSaFixture *f, gconstpointer data)
{
	const GError *error;

	f->gwcfg.auth_failed = TRUE;
	ike_test_sa_connect(f);
	error = ike_test_sa_closed_error(f);
	g_assert_error(error, FERRY_ERROR, FERRY_ERROR_AUTH_FAILED);
	g_assert_cmpstr(error->message, ==,
	                "the gateway rejected our authentication (wrong PSK or identity)");
	g_assert_null(ike_test_sa_find_event(f, IKE_EVENT_CHILD_INSTALL, 0));
}

static void
test_wrong_psk(IkeTestSaFixture *f, gconstpointer data)
{
	f->gwcfg.psk = "another-canary-psk";
	ike_test_sa_connect(f);
	g_assert_error(ike_test_sa_closed_error(f), FERRY_ERROR, FERRY_ERROR_AUTH_FAILED);
	g_assert_false(ike_test_responder_get_state(f->gw)->authenticated);
}

static void
test_bad_responder_auth(IkeTestSaFixture *f, gconstpointer data)
{
	const IkeTestResponderState *gs;
	const GError *error;

	f->gwcfg.bad_auth = TRUE;
	ike_test_sa_connect(f);
	gs = ike_test_responder_get_state(f->gw);
	error = ike_test_sa_closed_error(f);
	g_assert_error(error, FERRY_ERROR, FERRY_ERROR_PEER_AUTH);
	g_assert_nonnull(strstr(error->message, "the gateway failed our authentication check"));
	g_assert_null(ike_test_sa_find_event(f, IKE_EVENT_AUTHENTICATED, 0));
	g_assert_null(ike_test_sa_find_event(f, IKE_EVENT_CHILD_INSTALL, 0));
	/* RFC 7296 §2.21.2: we tell the gateway in an INFORMATIONAL of its own. */
	g_assert_cmpstr(gs->payload_log->pdata[gs->payload_log->len - 1], ==,
	                "N(AUTHENTICATION_FAILED)");
}

static void
test_wrong_idr(IkeTestSaFixture *f, gconstpointer data)
{
	const GError *error;

	f->gwcfg.claim_id = "evil.example";
	ike_test_sa_connect(f);
	error = ike_test_sa_closed_error(f);
	g_assert_error(error, FERRY_ERROR, FERRY_ERROR_PEER_AUTH);
	g_assert_cmpstr(error->message, ==,
	                "the gateway identified itself as evil.example, but we expect gw.example");
}

static void
test_any_idr(IkeTestSaFixture *f, gconstpointer data)
{
	f->cfg.remote_id_type = 0;
	f->cfg.remote_id = FERRY_SPAN_EMPTY;
	f->gwcfg.claim_id = "other.example";
	ike_test_sa_connect(f);
	g_assert_cmpint(ike_sa_get_state(f->sa), ==, IKE_STATE_ESTABLISHED);
	g_assert_cmpstr(ike_test_sa_find_event(f, IKE_EVENT_MESSAGE_SENT, 1)->payloads, ==,
	                "IDi N(INITIAL_CONTACT) AUTH CP(REQUEST) N(ESP_TFC_PADDING_NOT_SUPPORTED) "
	                "SA TSi TSr");
}

static void
test_ts_unacceptable(IkeTestSaFixture *f, gconstpointer data)
{
	const GError *error;

	f->gwcfg.ts_unacceptable = TRUE;
	ike_test_sa_connect(f);
	error = ike_test_sa_closed_error(f);
	g_assert_error(error, FERRY_ERROR, FERRY_ERROR_TS_UNACCEPTABLE);
	/* The IKE SA stood at the gateway: we deleted it. */
	g_assert_true(ike_test_responder_get_state(f->gw)->deleted);
}

static void
test_address_failure(IkeTestSaFixture *f, gconstpointer data)
{
	const GError *error;

	f->gwcfg.address_failure = TRUE;
	ike_test_sa_connect(f);
	error = ike_test_sa_closed_error(f);
	g_assert_error(error, FERRY_ERROR, FERRY_ERROR_PEER_NOTIFY);
	g_assert_nonnull(strstr(error->message, "INTERNAL_ADDRESS_FAILURE"));
}

static void
test_narrowed_ts(IkeTestSaFixture *f, gconstpointer data)
{
	IkeTestSaEv *e;

	f->gwcfg.narrow_tsr = TRUE;
	ike_test_sa_connect(f);
	g_assert_cmpint(ike_sa_get_state(f->sa), ==, IKE_STATE_ESTABLISHED);
	e = ike_test_sa_find_event(f, IKE_EVENT_CHILD_INSTALL, 0);
	g_assert_nonnull(strstr(e->text, "198.51.100.77/32 === 203.0.113.0/24"));
}

static void
test_ip6(IkeTestSaFixture *f, gconstpointer data)
{
	IkeTestSaEv *e;

	f->cfg.request_ip6 = TRUE;
	ike_test_sa_connect(f);
	g_assert_cmpint(ike_sa_get_state(f->sa), ==, IKE_STATE_ESTABLISHED);
	e = ike_test_sa_find_event(f, IKE_EVENT_CONFIG, 0);
	g_assert_cmpstr(e->text, ==,
	                "address 198.51.100.77/32, address 2001:db8::77/64, "
	                "DNS 198.51.100.53 2001:db8::53, domain corp.example");
	e = ike_test_sa_find_event(f, IKE_EVENT_CHILD_INSTALL, 0);
	g_assert_nonnull(strstr(e->text, "198.51.100.77/32, 2001:db8::77/128 === 0.0.0.0/0, ::/0"));
}

/* ---- NAT ---- */

static void
test_nat_detected(IkeTestSaFixture *f, gconstpointer data)
{
	static const uint8_t outside[4] = {203, 0, 113, 200};
	IkeTestSaEv *e;

	ike_test_sa_set_addr(&f->gwcfg.peer_seen, outside, 61000);
	ike_test_sa_connect(f);
	e = ike_test_sa_find_event(f, IKE_EVENT_NAT_DETECTED, 0);
	g_assert_nonnull(e);
	g_assert_true(e->nat_local);
	g_assert_false(e->nat_remote);
	g_assert_true(ike_sa_get_use_natt(f->sa));
	/* NAT-T is on before IKE_AUTH goes out (RFC 7296 §2.23). */
	g_assert_cmpuint(index_of(f, IKE_EVENT_NAT_DETECTED), <, f->events->len - 1);
	g_assert_cmpint(ike_sa_get_state(f->sa), ==, IKE_STATE_ESTABLISHED);
}

static void
test_force_encap(IkeTestSaFixture *f, gconstpointer data)
{
	IkeTestSaEv *e;

	f->cfg.force_encap = TRUE;
	ike_test_sa_connect(f);
	g_assert_true(ike_test_responder_get_state(f->gw)->nat_seen);
	e = ike_test_sa_find_event(f, IKE_EVENT_NAT_DETECTED, 0);
	g_assert_nonnull(e);
	g_assert_false(e->nat_local);
	g_assert_true(ike_sa_get_use_natt(f->sa));
	g_assert_cmpint(ike_sa_get_state(f->sa), ==, IKE_STATE_ESTABLISHED);
}

static void
test_no_nat(IkeTestSaFixture *f, gconstpointer data)
{
	ike_test_sa_connect(f);
	g_assert_false(ike_test_responder_get_state(f->gw)->nat_seen);
	g_assert_false(ike_sa_get_use_natt(f->sa));
}

/* ---- retransmission ---- */

static void
test_retransmit(IkeTestSaFixture *f, gconstpointer data)
{
	gint64 t0 = f->now;
	IkeTestSaEv *e;

	f->gwcfg.drop_requests = 2;
	ike_test_sa_connect(f);
	g_assert_cmpint(ike_sa_get_state(f->sa), ==, IKE_STATE_INIT_SENT);
	/* RFC 7296 §2.1: 1 s, then 2 s later. */
	g_assert_cmpint(ike_sa_get_deadline(f->sa), ==, t0 + 1 * G_USEC_PER_SEC);
	ike_test_sa_advance_to(f, t0 + 1 * G_USEC_PER_SEC - 1);
	g_assert_cmpuint(f->sent->len, ==, 1);
	ike_test_sa_advance_to(f, t0 + 1 * G_USEC_PER_SEC);
	g_assert_cmpuint(f->sent->len, ==, 2);
	g_assert_cmpint(ike_sa_get_deadline(f->sa), ==, t0 + 3 * G_USEC_PER_SEC);
	ike_test_sa_advance_to(f, t0 + 3 * G_USEC_PER_SEC);
	g_assert_cmpint(ike_sa_get_state(f->sa), ==, IKE_STATE_ESTABLISHED);
	/* The identical bytes each time. */
	g_assert_true(g_bytes_equal(f->sent->pdata[0], f->sent->pdata[1]));
	g_assert_true(g_bytes_equal(f->sent->pdata[0], f->sent->pdata[2]));
	g_assert_cmpuint(ike_sa_get_counters(f->sa)->retransmits, ==, 2);
	e = ike_test_sa_find_event(f, IKE_EVENT_MESSAGE_SENT, 1);
	g_assert_true(e->retransmit);
	g_assert_cmpuint(e->exchange, ==, IKE_EXCHANGE_IKE_SA_INIT);
	g_assert_nonnull(e->payloads);
}

static void
test_give_up(IkeTestSaFixture *f, gconstpointer data)
{
	static const gint64 sends_at[] = {0, 1, 3, 7, 15};
	gint64 t0 = f->now;
	const GError *error;

	f->gwcfg.drop_requests = 1000;
	ike_test_sa_connect(f);
	for (gsize i = 1; i < G_N_ELEMENTS(sends_at); i++) {
		g_assert_cmpint(ike_sa_get_deadline(f->sa), ==, t0 + sends_at[i] * G_USEC_PER_SEC);
		ike_test_sa_advance_to(f, ike_sa_get_deadline(f->sa));
		g_assert_cmpuint(f->sent->len, ==, i + 1);
	}
	g_assert_cmpint(ike_sa_get_deadline(f->sa), ==, t0 + 31 * G_USEC_PER_SEC);
	ike_test_sa_advance_to(f, t0 + 31 * G_USEC_PER_SEC - 1);
	g_assert_null(ike_test_sa_find_event(f, IKE_EVENT_CLOSED, 0));
	ike_test_sa_advance_to(f, t0 + 31 * G_USEC_PER_SEC);
	error = ike_test_sa_closed_error(f);
	g_assert_error(error, FERRY_ERROR, FERRY_ERROR_TIMEOUT);
	g_assert_cmpstr(error->message, ==,
	                "the gateway 203.0.113.1:500 did not answer our IKE_SA_INIT request: gave "
	                "up after 5 sends in 31.0 s");
	g_assert_cmpuint(f->sent->len, ==, 5);
	g_assert_cmpint(ike_sa_get_deadline(f->sa), ==, G_MAXINT64);
}

static void
test_give_up_custom(IkeTestSaFixture *f, gconstpointer data)
{
	gint64 t0 = f->now;

	f->cfg.retransmit_tries = 3;
	f->cfg.retransmit_base_ms = 500;
	f->gwcfg.drop_requests = 1000;
	ike_test_sa_connect(f);
	while (ike_sa_get_deadline(f->sa) != G_MAXINT64)
		ike_test_sa_advance_to(f, ike_sa_get_deadline(f->sa));
	/* 0.5 + 1 + 2 s */
	g_assert_cmpint(ike_test_sa_find_event(f, IKE_EVENT_CLOSED, 0)->time_us - t0, ==,
	                3500 * 1000);
	g_assert_error(ike_test_sa_closed_error(f), FERRY_ERROR, FERRY_ERROR_TIMEOUT);
	g_assert_cmpuint(f->sent->len, ==, 3);
}

static void
test_duplicate_responses(IkeTestSaFixture *f, gconstpointer data)
{
	f->gwcfg.duplicate_responses = TRUE;
	ike_test_sa_connect(f);
	g_assert_cmpint(ike_sa_get_state(f->sa), ==, IKE_STATE_ESTABLISHED);
	g_assert_cmpuint(ike_sa_get_counters(f->sa)->ignored_retransmits, ==, 2);
	g_assert_cmpuint(ike_test_sa_count_events(f, IKE_EVENT_CHILD_INSTALL), ==, 1);
}

static void
test_fragmented_response(IkeTestSaFixture *f, gconstpointer data)
{
	/* RFC 7383: the IKE_AUTH response arrives in SKF fragments, in either order. */
	f->gwcfg.fragment_size = 160;
	f->gwcfg.reverse_fragments = GPOINTER_TO_INT(data);
	ike_test_sa_connect(f);
	g_assert_cmpint(ike_sa_get_state(f->sa), ==, IKE_STATE_ESTABLISHED);
	ike_test_sa_assert_child_keys(f, ike_test_sa_find_event(f, IKE_EVENT_CHILD_INSTALL, 0));
	g_assert_cmpuint(ike_test_sa_count_events(f, IKE_EVENT_MESSAGE_RECEIVED), ==, 2);
	g_assert_cmpstr(ike_test_sa_find_event(f, IKE_EVENT_MESSAGE_RECEIVED, 1)->payloads, ==,
	                "IDr AUTH CP(REPLY) SA TSi TSr");
	g_assert_cmpuint(ike_sa_get_counters(f->sa)->dropped_malformed, ==, 0);
}

static void
test_garbage_dropped(IkeTestSaFixture *f, gconstpointer data)
{
	static const guint8 junk[40] = {1, 2, 3};
	const guint8 *bytes;
	guint8 *copy;
	gsize len;
	const IkeSaCounters *c;

	ike_test_sa_connect(f);
	c = ike_sa_get_counters(f->sa);
	ike_sa_receive(f->sa, junk, sizeof(junk), f->now);
	g_assert_cmpuint(c->dropped_spi + c->dropped_malformed, ==, 1);
	ike_sa_receive(f->sa, junk, 10, f->now);
	g_assert_cmpuint(c->dropped_malformed, >=, 1);
	/* Our own last request reflected back: it carries the I flag. */
	bytes = g_bytes_get_data(f->sent->pdata[1], &len);
	copy = g_memdup2(bytes, len);
	ike_sa_receive(f->sa, copy, len, f->now);
	g_free(copy);
	g_assert_cmpuint(c->dropped_malformed, >=, 2);
	g_assert_cmpint(ike_sa_get_state(f->sa), ==, IKE_STATE_ESTABLISHED);
}

static void
test_tampered_response(IkeTestSaFixture *f, gconstpointer data)
{
	g_autoptr(GPtrArray) replies =
		g_ptr_array_new_with_free_func((GDestroyNotify)g_bytes_unref);
	g_autoptr(GBytes) b = NULL;
	const guint8 *bytes;
	guint8 *copy;
	gsize len;

	ike_test_sa_start(f);
	ike_sa_connect(f->sa, f->now);
	/* Deliver IKE_SA_INIT only. */
	b = g_ptr_array_steal_index(f->to_gw, 0);
	ike_test_responder_receive(f->gw, g_bytes_get_data(b, NULL), g_bytes_get_size(b), replies);
	ike_sa_receive(f->sa, g_bytes_get_data(replies->pdata[0], NULL),
	               g_bytes_get_size(replies->pdata[0]), f->now);
	g_ptr_array_set_size(replies, 0);
	g_clear_pointer(&b, g_bytes_unref);
	b = g_ptr_array_steal_index(f->to_gw, 0);
	ike_test_responder_receive(f->gw, g_bytes_get_data(b, NULL), g_bytes_get_size(b), replies);
	bytes = g_bytes_get_data(replies->pdata[0], &len);
	copy = g_memdup2(bytes, len);
	copy[len - 1] ^= 0x80;
	ike_sa_receive(f->sa, copy, len, f->now);
	g_free(copy);
	g_assert_cmpuint(ike_sa_get_counters(f->sa)->dropped_malformed, ==, 1);
	g_assert_cmpint(ike_sa_get_state(f->sa), ==, IKE_STATE_AUTH_SENT);
	/* The genuine one still works. */
	ike_sa_receive(f->sa, g_bytes_get_data(replies->pdata[0], NULL),
	               g_bytes_get_size(replies->pdata[0]), f->now);
	g_assert_cmpint(ike_sa_get_state(f->sa), ==, IKE_STATE_ESTABLISHED);
}

/* ---- after establishment ---- */

static void
test_gateway_delete(IkeTestSaFixture *f, gconstpointer data)
{
	g_autoptr(GPtrArray) from_gw =
		g_ptr_array_new_with_free_func((GDestroyNotify)g_bytes_unref);

	ike_test_sa_connect(f);
	ike_test_responder_send_delete_ike(f->gw, from_gw);
	ike_test_sa_deliver(f, from_gw);
	/* a normal close by the gateway */
	g_assert_true(ike_test_sa_find_event(f, IKE_EVENT_CLOSED, 0)->peer_closed);
	g_assert_no_error(ike_test_sa_closed_error(f));
	g_assert_cmpint(ike_sa_get_state(f->sa), ==, IKE_STATE_CLOSED);
	g_assert_cmpuint(ike_test_responder_get_state(f->gw)->answered_responses, ==, 1);
	g_assert_nonnull(ike_test_sa_find_event(f, IKE_EVENT_CHILD_DELETE, 0));
}

static void
test_gateway_delete_child(IkeTestSaFixture *f, gconstpointer data)
{
	g_autoptr(GPtrArray) from_gw =
		g_ptr_array_new_with_free_func((GDestroyNotify)g_bytes_unref);

	ike_test_sa_connect(f);
	ike_test_responder_send_delete_child(f->gw, from_gw);
	ike_test_sa_deliver(f, from_gw);
	g_assert_true(ike_test_sa_find_event(f, IKE_EVENT_CLOSED, 0)->peer_closed);
	g_assert_no_error(ike_test_sa_closed_error(f));
	g_assert_cmpuint(ike_test_responder_get_state(f->gw)->answered_responses, ==, 1);
	g_assert_true(ike_test_responder_get_state(f->gw)->deleted);
}

/* IKE_DPD_OFF: no liveness check of ours however long the SA is idle; the gateway's are
 * still answered. */
static void
test_dpd_off(IkeTestSaFixture *f, gconstpointer data)
{
	g_autoptr(GPtrArray) from_gw =
		g_ptr_array_new_with_free_func((GDestroyNotify)g_bytes_unref);
	const IkeTestResponderState *gs;
	gint64 up;

	f->cfg.dpd_s = IKE_DPD_OFF;
	f->cfg.child_rekey_s = 100000;
	f->cfg.ike_rekey_s = 100000;
	ike_test_sa_connect(f);
	gs = ike_test_responder_get_state(f->gw);
	up = f->now;
	/* the rekeys, jittered up to 10% early (test-ike-rekey.c) */
	g_assert_cmpint(ike_sa_get_deadline(f->sa), <=, up + (gint64)100000 * G_USEC_PER_SEC);
	g_assert_cmpint(ike_sa_get_deadline(f->sa), >=, up + (gint64)90000 * G_USEC_PER_SEC);
	ike_test_sa_advance_to(f, up + (gint64)89999 * G_USEC_PER_SEC);
	g_assert_cmpuint(gs->n_informational, ==, 0);
	g_assert_null(ike_test_sa_find_event(f, IKE_EVENT_DPD, 0));
	ike_test_responder_send_liveness(f->gw, from_gw);
	ike_test_sa_deliver(f, from_gw);
	g_assert_cmpuint(gs->answered_responses, ==, 1);
	g_assert_cmpint(ike_sa_get_state(f->sa), ==, IKE_STATE_ESTABLISHED);
}

static void
test_dpd(IkeTestSaFixture *f, gconstpointer data)
{
	g_autoptr(GPtrArray) from_gw =
		g_ptr_array_new_with_free_func((GDestroyNotify)g_bytes_unref);
	const IkeTestResponderState *gs;
	gint64 up;

	ike_test_sa_connect(f);
	gs = ike_test_responder_get_state(f->gw);
	up = f->now;
	g_assert_cmpint(ike_sa_get_deadline(f->sa), ==, up + 30 * G_USEC_PER_SEC);
	ike_test_sa_advance_to(f, up + 30 * G_USEC_PER_SEC);
	g_assert_cmpuint(gs->n_informational, ==, 1);
	g_assert_cmpstr(gs->payload_log->pdata[gs->payload_log->len - 1], ==, "");
	g_assert_cmpstr(ike_test_sa_find_event(f, IKE_EVENT_DPD, 0)->text, ==,
	                "liveness check sent");
	g_assert_cmpstr(ike_test_sa_find_event(f, IKE_EVENT_DPD, 1)->text, ==,
	                "liveness check answered");
	g_assert_cmpuint(ike_test_sa_find_event(f, IKE_EVENT_MESSAGE_SENT, 2)->message_id, ==, 2);
	/* The gateway's own check is answered with its message ID. */
	ike_test_responder_send_liveness(f->gw, from_gw);
	ike_test_sa_deliver(f, from_gw);
	g_assert_cmpuint(gs->answered_responses, ==, 1);
	g_assert_cmpstr(ike_test_sa_find_event(f, IKE_EVENT_DPD, 2)->text, ==,
	                "answered the gateway's liveness check");
	g_assert_cmpuint(ike_test_sa_find_event(f, IKE_EVENT_MESSAGE_SENT, 3)->message_id, ==, 0);
	/* A repeated request gets the same response again (RFC 7296 §2.1). */
	ike_test_sa_deliver(f, from_gw);
	g_assert_cmpuint(gs->answered_responses, ==, 2);
	g_assert_cmpint(ike_sa_get_state(f->sa), ==, IKE_STATE_ESTABLISHED);
}

static void
test_dpd_dead_gateway(IkeTestSaFixture *f, gconstpointer data)
{
	gint64 up;

	ike_test_sa_connect(f);
	up = f->now;
	ike_test_responder_get_config(f->gw)->drop_requests = 1000;
	while (ike_sa_get_deadline(f->sa) != G_MAXINT64)
		ike_test_sa_advance_to(f, ike_sa_get_deadline(f->sa));
	g_assert_error(ike_test_sa_closed_error(f), FERRY_ERROR, FERRY_ERROR_TIMEOUT);
	g_assert_cmpint(ike_test_sa_find_event(f, IKE_EVENT_CLOSED, 0)->time_us - up, ==,
	                (30 + 31) * G_USEC_PER_SEC);
}

static void
check_rekeyed_child(IkeTestSaFixture *f, guint nth)
{
	IkeTestSaEv *old = ike_test_sa_find_event(f, IKE_EVENT_CHILD_INSTALL, nth - 1);
	IkeTestSaEv *fresh = ike_test_sa_find_event(f, IKE_EVENT_CHILD_INSTALL, nth);
	IkeTestSaEv *del = ike_test_sa_find_event(f, IKE_EVENT_CHILD_DELETE, nth - 1);

	g_assert_nonnull(fresh);
	ike_test_sa_assert_child_keys(f, fresh);
	g_assert_cmpstr(fresh->enc_out, !=, old->enc_out);
	g_assert_cmpuint(fresh->spi_in, !=, old->spi_in);
	/* The old SA goes after the new one is in (RFC 7296 §1.3.3). */
	g_assert_nonnull(del);
	g_assert_cmpuint(del->spi_in, ==, old->spi_in);
	g_assert_cmpuint(del->spi_out, ==, old->spi_out);
	g_assert_cmpuint(index_of(f, IKE_EVENT_CHILD_DELETE), >, index_of(f, IKE_EVENT_REKEYED));
	g_assert_cmpint(ike_sa_get_state(f->sa), ==, IKE_STATE_ESTABLISHED);
}

static void
test_rekey_child(IkeTestSaFixture *f, gconstpointer data)
{
	const IkeTestResponderState *gs;

	ike_test_sa_connect(f);
	gs = ike_test_responder_get_state(f->gw);
	ike_sa_rekey_child(f->sa, f->now);
	g_assert_cmpint(ike_sa_get_state(f->sa), ==, IKE_STATE_REKEYING);
	ike_test_sa_run(f);
	check_rekeyed_child(f, 1);
	g_assert_cmpuint(gs->n_create_child, ==, 1);
	g_assert_cmpint(ike_test_sa_find_event(f, IKE_EVENT_REKEYED, 0)->sa_kind, ==,
	                IKE_SA_KIND_CHILD);
	g_assert_false(ike_test_sa_find_event(f, IKE_EVENT_REKEYED, 0)->peer_initiated);
	g_assert_cmpuint(gs->n_child_deleted, ==, 1);
	g_assert_cmpstr(ike_test_sa_find_event(f, IKE_EVENT_MESSAGE_SENT, 2)->payloads, ==,
	                "N(REKEY_SA) N(ESP_TFC_PADDING_NOT_SUPPORTED) SA No TSi TSr");
	g_assert_cmpstr(ike_test_sa_find_event(f, IKE_EVENT_MESSAGE_SENT, 3)->payloads, ==, "D");
	/* and again */
	ike_sa_rekey_child(f->sa, f->now);
	ike_test_sa_run(f);
	check_rekeyed_child(f, 2);
}

static void
test_rekey_child_pfs(IkeTestSaFixture *f, gconstpointer data)
{
	IkeProposal *p = &f->child_props[0];

	p->transforms[p->n_transforms++] = (IkeTransform){IKE_TRANSFORM_KE, IKE_KE_CURVE25519, 0};
	ike_test_sa_connect(f);
	g_assert_cmpint(ike_sa_get_state(f->sa), ==, IKE_STATE_ESTABLISHED);
	/* No KE in IKE_AUTH's child proposals. */
	g_assert_cmpuint(ike_test_sa_find_event(f, IKE_EVENT_CHILD_INSTALL, 0)->spi_in, !=, 0);
	ike_sa_rekey_child(f->sa, f->now);
	ike_test_sa_run(f);
	check_rekeyed_child(f, 1);
	g_assert_cmpstr(ike_test_sa_find_event(f, IKE_EVENT_MESSAGE_SENT, 2)->payloads, ==,
	                "N(REKEY_SA) N(ESP_TFC_PADDING_NOT_SUPPORTED) SA No KE TSi TSr");
}

static void
test_rekey_child_timer(IkeTestSaFixture *f, gconstpointer data)
{
	gint64 up;

	f->cfg.child_rekey_s = 600;
	f->cfg.dpd_s = 1000;
	ike_test_sa_connect(f);
	up = f->now;
	/* jittered up to 10% early (test-ike-rekey.c) */
	g_assert_cmpint(ike_sa_get_deadline(f->sa), <=, up + 600 * G_USEC_PER_SEC);
	g_assert_cmpint(ike_sa_get_deadline(f->sa), >=, up + 540 * G_USEC_PER_SEC);
	up = ike_sa_get_deadline(f->sa);
	ike_test_sa_advance_to(f, up);
	check_rekeyed_child(f, 1);
	g_assert_cmpint(ike_sa_get_deadline(f->sa), <=, up + 600 * G_USEC_PER_SEC);
	g_assert_cmpint(ike_sa_get_deadline(f->sa), >=, up + 540 * G_USEC_PER_SEC);
}

static void
test_rekey_ike(IkeTestSaFixture *f, gconstpointer data)
{
	g_autoptr(GPtrArray) from_gw =
		g_ptr_array_new_with_free_func((GDestroyNotify)g_bytes_unref);
	const IkeTestResponderState *gs;
	uint64_t old_spi_i;

	ike_test_sa_connect(f);
	gs = ike_test_responder_get_state(f->gw);
	old_spi_i = gs->spi_i;
	ike_sa_rekey_ike(f->sa, f->now);
	ike_test_sa_run(f);
	g_assert_cmpint(ike_sa_get_state(f->sa), ==, IKE_STATE_ESTABLISHED);
	g_assert_cmpuint(gs->spi_i, !=, old_spi_i);
	g_assert_cmpstr(ike_test_sa_find_event(f, IKE_EVENT_REKEYED, 0)->text, ==,
	                "IKE SA rekeyed");
	g_assert_cmpint(ike_test_sa_find_event(f, IKE_EVENT_REKEYED, 0)->sa_kind, ==,
	                IKE_SA_KIND_IKE);
	g_assert_false(ike_test_sa_find_event(f, IKE_EVENT_REKEYED, 0)->peer_initiated);
	/* The old SA was deleted on its own keys, with its own next message ID. */
	g_assert_cmpstr(gs->payload_log->pdata[gs->payload_log->len - 1], ==, "DELETE");
	g_assert_cmpuint(ike_test_sa_find_event(f, IKE_EVENT_MESSAGE_SENT, 3)->message_id, ==, 3);
	/* The new SA works: a child rekey on it, message IDs from 0. */
	ike_sa_rekey_child(f->sa, f->now);
	ike_test_sa_run(f);
	check_rekeyed_child(f, 1);
	g_assert_cmpuint(ike_test_sa_find_event(f, IKE_EVENT_MESSAGE_SENT, 4)->message_id, ==, 0);
	/* and the gateway's requests on the new SA too */
	ike_test_responder_send_delete_ike(f->gw, from_gw);
	ike_test_sa_deliver(f, from_gw);
	g_assert_true(ike_test_sa_find_event(f, IKE_EVENT_CLOSED, 0)->peer_closed);
	g_assert_no_error(ike_test_sa_closed_error(f));
}

static void
test_rekey_ike_keeps_prf(IkeTestSaFixture *f, gconstpointer data)
{
	IkeProposal *p = &f->ike_props[0];

	/* PRF SHA2-384 before SHA2-256: the responder takes the first. */
	memmove(&p->transforms[2], &p->transforms[1], sizeof(IkeTransform) * (p->n_transforms - 1));
	p->transforms[1] = (IkeTransform){IKE_TRANSFORM_PRF, IKE_PRF_HMAC_SHA2_384, 0};
	p->n_transforms++;
	ike_test_sa_connect(f);
	g_assert_cmpstr(ike_test_sa_find_event(f, IKE_EVENT_IKE_PROPOSAL, 0)->text, ==,
	                "AES_GCM_16_256/PRF_HMAC_SHA2_384/CURVE25519");
	ike_sa_rekey_ike(f->sa, f->now);
	ike_test_sa_run(f);
	g_assert_nonnull(ike_test_sa_find_event(f, IKE_EVENT_REKEYED, 0));
	ike_sa_rekey_child(f->sa, f->now);
	ike_test_sa_run(f);
	check_rekeyed_child(f, 1);
}

/* The gateway rekeys our child (RFC 7296 §1.3.3): we answer as responder, keep the old SA until
 * the gateway deletes it, answer that DELETE with ours, and stay up. */
static void
test_gateway_rekey_child(IkeTestSaFixture *f, gconstpointer data)
{
	uint16_t group = (uint16_t)GPOINTER_TO_UINT(data);
	g_autoptr(GPtrArray) from_gw =
		g_ptr_array_new_with_free_func((GDestroyNotify)g_bytes_unref);
	const IkeTestResponderState *gs;
	IkeProposal *p = &f->child_props[0];
	IkeTestSaEv *old, *fresh, *del;
	guint n_sent;

	if (group)
		p->transforms[p->n_transforms++] = (IkeTransform){IKE_TRANSFORM_KE, group, 0};
	ike_test_sa_connect(f);
	gs = ike_test_responder_get_state(f->gw);
	n_sent = f->sent->len;
	ike_test_responder_send_rekey_child_ke(f->gw, gs->child_spi_in, group, from_gw);
	ike_test_sa_deliver(f, from_gw);
	g_assert_cmpuint(gs->n_child_rekeyed, ==, 1);
	g_assert_cmpuint(gs->last_notify, ==, IKE_NOTIFY_ESP_TFC_PADDING_NOT_SUPPORTED);
	old = ike_test_sa_find_event(f, IKE_EVENT_CHILD_INSTALL, 0);
	fresh = ike_test_sa_find_event(f, IKE_EVENT_CHILD_INSTALL, 1);
	ike_test_sa_assert_child_keys(f, fresh);
	g_assert_cmpuint(fresh->spi_out, ==, 0x12340001);
	g_assert_cmpstr(fresh->enc_out, !=, old->enc_out);
	g_assert_cmpstr(fresh->enc_in, !=, old->enc_in);
	g_assert_cmpstr(ike_test_sa_find_event(f, IKE_EVENT_MESSAGE_SENT, 2)->payloads, ==,
	                group ? "N(ESP_TFC_PADDING_NOT_SUPPORTED) SA No KE TSi TSr"
	                      : "N(ESP_TFC_PADDING_NOT_SUPPORTED) SA No TSi TSr");
	g_assert_cmpstr(ike_test_sa_find_event(f, IKE_EVENT_REKEYED, 0)->text, ==,
	                "Child SA rekeyed by the gateway");
	g_assert_cmpint(ike_test_sa_find_event(f, IKE_EVENT_REKEYED, 0)->sa_kind, ==,
	                IKE_SA_KIND_CHILD);
	g_assert_true(ike_test_sa_find_event(f, IKE_EVENT_REKEYED, 0)->peer_initiated);
	/* Only our answer went out: the old SA waits for the gateway's DELETE. */
	g_assert_cmpuint(f->sent->len, ==, n_sent + 1);
	g_assert_null(ike_test_sa_find_event(f, IKE_EVENT_CHILD_DELETE, 0));
	g_assert_cmpint(ike_sa_get_state(f->sa), ==, IKE_STATE_ESTABLISHED);

	g_ptr_array_set_size(from_gw, 0);
	ike_test_responder_send_delete_child_spi(f->gw, ike_test_responder_get_prev_child_in(f->gw),
	                                         from_gw);
	ike_test_sa_deliver(f, from_gw);
	/* RFC 7296 §1.4.1: answered with the DELETE of our half */
	g_assert_cmpuint(gs->last_deleted_spi, ==, old->spi_in);
	del = ike_test_sa_find_event(f, IKE_EVENT_CHILD_DELETE, 0);
	g_assert_nonnull(del);
	g_assert_cmpuint(del->spi_in, ==, old->spi_in);
	g_assert_cmpuint(del->spi_out, ==, old->spi_out);
	g_assert_null(ike_test_sa_find_event(f, IKE_EVENT_CLOSED, 0));
	g_assert_cmpint(ike_sa_get_state(f->sa), ==, IKE_STATE_ESTABLISHED);

	/* again by the gateway, then by us: both work on the new child */
	g_ptr_array_set_size(from_gw, 0);
	ike_test_responder_send_rekey_child_ke(f->gw, gs->child_spi_in, group, from_gw);
	ike_test_sa_deliver(f, from_gw);
	g_assert_cmpuint(gs->n_child_rekeyed, ==, 2);
	ike_test_sa_assert_child_keys(f, ike_test_sa_find_event(f, IKE_EVENT_CHILD_INSTALL, 2));
	g_ptr_array_set_size(from_gw, 0);
	ike_test_responder_send_delete_child_spi(f->gw, ike_test_responder_get_prev_child_in(f->gw),
	                                         from_gw);
	ike_test_sa_deliver(f, from_gw);
	g_assert_nonnull(ike_test_sa_find_event(f, IKE_EVENT_CHILD_DELETE, 1));
	ike_sa_rekey_child(f->sa, f->now);
	ike_test_sa_run(f);
	check_rekeyed_child(f, 3);
}

/* The gateway rekeyed but has not deleted the old SA yet when our own rekey is due: we delete
 * it first, then rekey, and every SA is retired once. */
static void
test_gateway_rekey_then_ours(IkeTestSaFixture *f, gconstpointer data)
{
	g_autoptr(GPtrArray) from_gw =
		g_ptr_array_new_with_free_func((GDestroyNotify)g_bytes_unref);
	const IkeTestResponderState *gs;
	IkeTestSaEv *old, *del;

	ike_test_sa_connect(f);
	gs = ike_test_responder_get_state(f->gw);
	ike_test_responder_send_rekey_child(f->gw, from_gw);
	ike_test_sa_deliver(f, from_gw);
	g_assert_cmpuint(gs->n_child_rekeyed, ==, 1);
	old = ike_test_sa_find_event(f, IKE_EVENT_CHILD_INSTALL, 0);
	ike_sa_rekey_child(f->sa, f->now);
	ike_test_sa_run(f);
	del = ike_test_sa_find_event(f, IKE_EVENT_CHILD_DELETE, 0);
	g_assert_nonnull(del);
	g_assert_cmpuint(del->spi_in, ==, old->spi_in);
	g_assert_cmpuint(index_of(f, IKE_EVENT_CHILD_DELETE), <,
	                 index_of_nth(f, IKE_EVENT_CHILD_INSTALL, 2));
	g_assert_cmpuint(gs->n_create_child, ==, 1);
	ike_test_sa_assert_child_keys(f, ike_test_sa_find_event(f, IKE_EVENT_CHILD_INSTALL, 2));
	g_assert_nonnull(ike_test_sa_find_event(f, IKE_EVENT_CHILD_DELETE, 1));
	g_assert_null(ike_test_sa_find_event(f, IKE_EVENT_CHILD_DELETE, 2));
	g_assert_cmpint(ike_sa_get_state(f->sa), ==, IKE_STATE_ESTABLISHED);
}

/* RFC 7296 §1.3: a KEi of a group we do not take but a proposal we do: INVALID_KE_PAYLOAD,
 * and the gateway's retry with our group works. */
static void
test_gateway_rekey_invalid_ke(IkeTestSaFixture *f, gconstpointer data)
{
	g_autoptr(GPtrArray) from_gw =
		g_ptr_array_new_with_free_func((GDestroyNotify)g_bytes_unref);
	const IkeTestResponderState *gs;
	IkeProposal *p = &f->child_props[0];

	p->transforms[p->n_transforms++] = (IkeTransform){IKE_TRANSFORM_KE, IKE_KE_CURVE25519, 0};
	ike_test_sa_connect(f);
	gs = ike_test_responder_get_state(f->gw);
	ike_test_responder_send_rekey_child_ke(f->gw, gs->child_spi_in, IKE_KE_ECP_256, from_gw);
	ike_test_sa_deliver(f, from_gw);
	g_assert_cmpuint(gs->last_notify, ==, IKE_NOTIFY_INVALID_KE_PAYLOAD);
	g_assert_cmpuint(gs->n_child_rekeyed, ==, 0);
	g_assert_null(ike_test_sa_find_event(f, IKE_EVENT_CHILD_INSTALL, 1));
	g_ptr_array_set_size(from_gw, 0);
	ike_test_responder_send_rekey_child_ke(f->gw, gs->child_spi_in, IKE_KE_CURVE25519, from_gw);
	ike_test_sa_deliver(f, from_gw);
	g_assert_cmpuint(gs->n_child_rekeyed, ==, 1);
	ike_test_sa_assert_child_keys(f, ike_test_sa_find_event(f, IKE_EVENT_CHILD_INSTALL, 1));
	g_assert_cmpint(ike_sa_get_state(f->sa), ==, IKE_STATE_ESTABLISHED);
}

/* PFS the gateway wants and we were not configured for: NO_PROPOSAL_CHOSEN, SA unharmed. */
static void
test_gateway_rekey_no_proposal(IkeTestSaFixture *f, gconstpointer data)
{
	g_autoptr(GPtrArray) from_gw =
		g_ptr_array_new_with_free_func((GDestroyNotify)g_bytes_unref);
	const IkeTestResponderState *gs;

	ike_test_sa_connect(f);
	gs = ike_test_responder_get_state(f->gw);
	ike_test_responder_send_rekey_child_ke(f->gw, gs->child_spi_in, IKE_KE_CURVE25519, from_gw);
	ike_test_sa_deliver(f, from_gw);
	g_assert_cmpuint(gs->last_notify, ==, IKE_NOTIFY_NO_PROPOSAL_CHOSEN);
	g_assert_cmpuint(gs->n_child_rekeyed, ==, 0);
	g_assert_null(ike_test_sa_find_event(f, IKE_EVENT_REKEYED, 0));
	g_assert_cmpint(ike_sa_get_state(f->sa), ==, IKE_STATE_ESTABLISHED);
}

static void
test_gateway_rekey_unknown_child(IkeTestSaFixture *f, gconstpointer data)
{
	g_autoptr(GPtrArray) from_gw =
		g_ptr_array_new_with_free_func((GDestroyNotify)g_bytes_unref);
	const IkeTestResponderState *gs;

	ike_test_sa_connect(f);
	gs = ike_test_responder_get_state(f->gw);
	ike_test_responder_send_rekey_child_spi(f->gw, 0xdead0001, from_gw);
	ike_test_sa_deliver(f, from_gw);
	g_assert_cmpuint(gs->last_notify, ==, IKE_NOTIFY_CHILD_SA_NOT_FOUND);
	g_assert_null(ike_test_sa_find_event(f, IKE_EVENT_REKEYED, 0));
	g_assert_null(ike_test_sa_find_event(f, IKE_EVENT_CHILD_INSTALL, 1));
	g_assert_cmpint(ike_sa_get_state(f->sa), ==, IKE_STATE_ESTABLISHED);
}

static void
test_stray_responses(IkeTestSaFixture *f, gconstpointer data)
{
	g_autoptr(GPtrArray) from_gw =
		g_ptr_array_new_with_free_func((GDestroyNotify)g_bytes_unref);
	const IkeSaCounters *c;

	ike_test_sa_connect(f);
	c = ike_sa_get_counters(f->sa);
	/* nothing in flight: a response to #1 again is an old one, to #7 an unknown one */
	ike_test_responder_send_stray_response(f->gw, 1, from_gw);
	ike_test_responder_send_stray_response(f->gw, 7, from_gw);
	ike_test_sa_deliver(f, from_gw);
	g_assert_cmpuint(c->ignored_retransmits, ==, 1);
	g_assert_cmpuint(c->dropped_message_id, ==, 1);
	g_assert_cmpint(ike_sa_get_state(f->sa), ==, IKE_STATE_ESTABLISHED);
	/* a different IKE SA's SPIs */
	{
		GBytes *b = f->sent->pdata[0];
		g_autofree guint8 *copy = g_memdup2(g_bytes_get_data(b, NULL), g_bytes_get_size(b));

		copy[0] ^= 0xff;
		copy[19] |= IKE_FLAG_RESPONSE;
		copy[19] &= (guint8)~IKE_FLAG_INITIATOR;
		ike_sa_receive(f->sa, copy, g_bytes_get_size(b), f->now);
		g_assert_cmpuint(c->dropped_spi, ==, 1);
	}
}

static void
test_disconnect_while_connecting(IkeTestSaFixture *f, gconstpointer data)
{
	f->gwcfg.drop_requests = 1;
	ike_test_sa_connect(f);
	ike_sa_disconnect(f->sa, f->now);
	g_assert_null(ike_test_sa_closed_error(f));
	g_assert_cmpuint(ike_test_sa_count_events(f, IKE_EVENT_CLOSED), ==, 1);
	ike_sa_disconnect(f->sa, f->now);
	g_assert_cmpuint(ike_test_sa_count_events(f, IKE_EVENT_CLOSED), ==, 1);
}

static void
test_disconnect_unanswered(IkeTestSaFixture *f, gconstpointer data)
{
	ike_test_sa_connect(f);
	f->lose_to_gw = TRUE;
	ike_sa_disconnect(f->sa, f->now);
	while (ike_sa_get_deadline(f->sa) != G_MAXINT64)
		ike_test_sa_advance_to(f, ike_sa_get_deadline(f->sa));
	/* We asked for the close: no error even without an answer. */
	g_assert_null(ike_test_sa_closed_error(f));
}

static void
test_disconnect_during_rekey(IkeTestSaFixture *f, gconstpointer data)
{
	const IkeTestResponderState *gs;
	guint sent;

	ike_test_sa_connect(f);
	gs = ike_test_responder_get_state(f->gw);
	/* The rekey request is lost; the user quits before its retransmission is due. */
	ike_test_responder_get_config(f->gw)->drop_requests = 1;
	ike_sa_rekey_child(f->sa, f->now);
	ike_test_sa_run(f);
	g_assert_cmpint(ike_sa_get_state(f->sa), ==, IKE_STATE_REKEYING);
	sent = f->sent->len;
	ike_sa_disconnect(f->sa, f->now + 100000);
	/* RFC 7296 §2.3: no DELETE beside the open request, which goes again at once */
	g_assert_cmpuint(f->sent->len, ==, sent + 1);
	g_assert_true(g_bytes_equal(f->sent->pdata[sent], f->sent->pdata[sent - 1]));
	ike_test_sa_run(f);
	/* the responder asserts gap-free message IDs; it saw the DELETE, and we closed */
	g_assert_true(gs->deleted);
	g_assert_null(ike_test_sa_closed_error(f));
}

static void
test_disconnect_dead_gateway(IkeTestSaFixture *f, gconstpointer data)
{
	ike_test_sa_connect(f);
	f->lose_to_gw = TRUE;
	ike_sa_check_liveness(f->sa, f->now);
	ike_sa_disconnect(f->sa, f->now);
	while (ike_sa_get_deadline(f->sa) != G_MAXINT64)
		ike_test_sa_advance_to(f, ike_sa_get_deadline(f->sa));
	/* We asked to close: no error although the liveness check went unanswered, and no
	 * DELETE was squeezed in beside it. */
	g_assert_null(ike_test_sa_closed_error(f));
	g_assert_null(ike_test_sa_find_event(f, IKE_EVENT_MESSAGE_SENT, 8));
	g_assert_cmpstr(ike_test_sa_find_event(f, IKE_EVENT_MESSAGE_SENT, 7)->payloads, ==, "");
}

static void
test_config_errors(IkeTestSaFixture *f, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	IkeSa *sa;

	f->cfg.psk = NULL;
	sa = ike_sa_new(&f->cfg, &ike_test_sa_callbacks, f, &error);
	g_assert_null(sa);
	g_assert_error(error, FERRY_ERROR, FERRY_ERROR_CONFIG);
	g_clear_error(&error);
	f->cfg.psk = f->psk;
	f->ike_props[0].transforms[2].id = 9999; /* no such group */
	sa = ike_sa_new(&f->cfg, &ike_test_sa_callbacks, f, &error);
	g_assert_null(sa);
	g_assert_error(error, FERRY_ERROR, FERRY_ERROR_CONFIG);
}

/* ---- certificates (RFC 7296 §2.15, §3.6; RFC 7427) --------------------------------------- */

typedef struct {
	const char *client_cert, *client_key, *client_ca, *client_ca2;
	const char *gw_cert, *gw_key, *gw_ca;
	const char *client_id; /* RFC822 identity the client certificate names */
	gboolean gw_hashes;    /* the gateway announces SIGNATURE_HASH_ALGORITHMS */
	uint8_t want_method;   /* our AUTH method */
	uint8_t want_gw_method;
} CertCase;

typedef struct {
	CryptoCredential *client, *gw;
	CryptoTrust *client_trust, *gw_trust;
} CertParts;

static CryptoCredential *
load_cred(const char *cert, const char *key)
{
	g_autofree char *c = cert_test_pki_path(cert);
	g_autofree char *k = cert_test_pki_path(key);
	CryptoCredential *cred = NULL;
	CryptoCertError err;

	g_assert_cmpint(crypto_credential_load(c, k, NULL, &cred, &err), ==, CRYPTO_CERT_OK);
	return cred;
}

static CryptoTrust *
load_trust(const char *ca, const char *ca2)
{
	CryptoTrust *t = crypto_trust_new();
	const char *names[] = {ca, ca2};
	CryptoCertError err;

	for (guint i = 0; i < G_N_ELEMENTS(names) && names[i]; i++) {
		g_autofree char *path = cert_test_pki_path(names[i]);

		g_assert_cmpint(crypto_trust_add_file(t, path, &err), ==, CRYPTO_CERT_OK);
	}
	return t;
}

static void
cert_setup(IkeTestSaFixture *f, CertParts *parts, const CertCase *c)
{
	parts->client = load_cred(c->client_cert, c->client_key);
	parts->gw = load_cred(c->gw_cert, c->gw_key);
	parts->client_trust = load_trust(c->gw_ca, NULL);
	parts->gw_trust = load_trust(c->client_ca, c->client_ca2);
	f->cfg.psk = NULL;
	f->cfg.credential = parts->client;
	f->cfg.trust = parts->client_trust;
	f->cfg.remote_id_name = "vpn.example.com";
	f->cfg.send_certreq = TRUE;
	f->cfg.local_id_type = IKE_ID_RFC822_ADDR;
	f->cfg.local_id = FERRY_SPAN(c->client_id, strlen(c->client_id));
	f->cfg.remote_id_type = 0;
	f->gwcfg.id = "vpn.example.com";
	f->gwcfg.peer_id = NULL;
	f->gwcfg.credential = parts->gw;
	f->gwcfg.trust = parts->gw_trust;
	f->gwcfg.no_sig_hashes = !c->gw_hashes;
}

static void
cert_parts_clear(CertParts *parts)
{
	crypto_credential_free(parts->client);
	crypto_credential_free(parts->gw);
	crypto_trust_free(parts->client_trust);
	crypto_trust_free(parts->gw_trust);
}

static const CertCase cert_rsa = {
	"client-rsa.crt", "client-rsa.key", "rsa-ca.crt",        NULL, "gw-rsa.crt",
	"gw-rsa.key",     "rsa-ca.crt",     "alice@example.com", TRUE, IKE_AUTH_DIGITAL_SIGNATURE};

/* Both sides by certificate: our CERT, CERTREQ and AUTH verify at the gateway, its at ours,
 * with the method the announced hashes call for. */
static void
test_cert(IkeTestSaFixture *f, gconstpointer data)
{
	const CertCase *c = data;
	const IkeTestResponderState *gs;
	CertParts parts;
	IkeTestSaEv *e;

	cert_setup(f, &parts, c);
	ike_test_sa_connect(f);
	gs = ike_test_responder_get_state(f->gw);
	g_assert_true(gs->authenticated);
	g_assert_cmpuint(gs->peer_auth_method, ==, c->want_method);
	g_assert_cmpuint(gs->n_peer_certs, ==, 1);
	g_assert_true(gs->peer_certreq);
	/* RFC 7383: an RSA-2048 certificate and signature make IKE_AUTH larger than 1228 bytes */
	if (c == &cert_rsa)
		g_assert_cmpuint(gs->n_fragments_in, ==, 2);
	g_assert_cmpint(ike_sa_get_state(f->sa), ==, IKE_STATE_ESTABLISHED);
	e = ike_test_sa_find_event(f, IKE_EVENT_AUTHENTICATED, 0);
	g_assert_nonnull(e);
	g_assert_true(g_str_has_prefix(e->text, "certificate \"CN=vpn.example.com"));
	g_assert_nonnull(strstr(e->text, "gateway vpn.example.com"));
	g_assert_nonnull(ike_test_sa_find_event(f, IKE_EVENT_CHILD_INSTALL, 0));
	g_clear_pointer(&f->sa, ike_sa_free);
	cert_parts_clear(&parts);
}

/* What the failure says, and that the SA is not up. */
static void
expect_cert_failure(IkeTestSaFixture *f, CertParts *parts, const char *want)
{
	const GError *error;

	ike_test_sa_connect(f);
	error = ike_test_sa_closed_error(f);
	g_assert_error(error, FERRY_ERROR, FERRY_ERROR_PEER_AUTH);
	if (!strstr(error->message, want))
		g_error("'%s' lacks '%s'", error->message, want);
	g_assert_null(ike_test_sa_find_event(f, IKE_EVENT_AUTHENTICATED, 0));
	g_assert_null(ike_test_sa_find_event(f, IKE_EVENT_CHILD_INSTALL, 0));
	g_clear_pointer(&f->sa, ike_sa_free);
	cert_parts_clear(parts);
}

/* RFC 7383 §2.3: without the gateway's IKEV2_FRAGMENTATION_SUPPORTED, one datagram. */
static void
test_cert_no_fragmentation(IkeTestSaFixture *f, gconstpointer data)
{
	CertParts parts;
	IkeTestSaEv *e;

	cert_setup(f, &parts, &cert_rsa);
	f->gwcfg.no_fragmentation = TRUE;
	ike_test_sa_connect(f);
	g_assert_true(ike_test_responder_get_state(f->gw)->authenticated);
	g_assert_cmpuint(ike_test_responder_get_state(f->gw)->n_fragments_in, ==, 0);
	e = ike_test_sa_find_event(f, IKE_EVENT_MESSAGE_SENT, 1);
	g_assert_cmpuint(e->n_bytes, >, 1228);
	g_assert_cmpuint(g_bytes_get_size(f->sent->pdata[1]), ==, e->n_bytes);
	g_clear_pointer(&f->sa, ike_sa_free);
	cert_parts_clear(&parts);
}

/* A lost fragmented request is sent again: every fragment, byte for byte (RFC 7383 §2.6). */
static void
test_cert_fragments_retransmitted(IkeTestSaFixture *f, gconstpointer data)
{
	g_autoptr(GPtrArray) replies =
		g_ptr_array_new_with_free_func((GDestroyNotify)g_bytes_unref);
	g_autoptr(GBytes) init = NULL;
	CertParts parts;

	cert_setup(f, &parts, &cert_rsa);
	ike_test_sa_start(f);
	ike_sa_connect(f->sa, f->now);
	init = g_ptr_array_steal_index(f->to_gw, 0);
	ike_test_responder_receive(f->gw, g_bytes_get_data(init, NULL), g_bytes_get_size(init),
	                           replies);
	ike_sa_receive(f->sa, g_bytes_get_data(replies->pdata[0], NULL),
	               g_bytes_get_size(replies->pdata[0]), f->now);
	g_assert_cmpuint(f->sent->len, ==, 3); /* IKE_SA_INIT, IKE_AUTH in two fragments */
	g_ptr_array_set_size(f->to_gw, 0);     /* both lost */
	f->now = ike_sa_get_deadline(f->sa);
	ike_sa_tick(f->sa, f->now);
	g_assert_cmpuint(f->sent->len, ==, 5);
	g_assert_true(g_bytes_equal(f->sent->pdata[1], f->sent->pdata[3]));
	g_assert_true(g_bytes_equal(f->sent->pdata[2], f->sent->pdata[4]));
	ike_test_sa_run(f);
	g_assert_cmpint(ike_sa_get_state(f->sa), ==, IKE_STATE_ESTABLISHED);
	g_assert_cmpuint(ike_test_responder_get_state(f->gw)->n_fragments_in, ==, 2);
	g_clear_pointer(&f->sa, ike_sa_free);
	cert_parts_clear(&parts);
}

static void
test_cert_untrusted(IkeTestSaFixture *f, gconstpointer data)
{
	CertCase c = cert_rsa;
	CertParts parts;

	c.gw_ca = "ec-root.crt"; /* we trust another CA than the gateway's */
	cert_setup(f, &parts, &c);
	expect_cert_failure(f, &parts, "untrusted issuer: 'CN=Ferry RSA Root CA");
}

static void
test_cert_identity(IkeTestSaFixture *f, gconstpointer data)
{
	CertCase c = cert_rsa;
	CertParts parts;

	cert_setup(f, &parts, &c);
	f->cfg.remote_id_name = "other.example.com";
	expect_cert_failure(f, &parts, "identity mismatch: expected FQDN 'other.example.com'");
}

static void
test_cert_claimed_idr(IkeTestSaFixture *f, gconstpointer data)
{
	CertCase c = cert_rsa;
	CertParts parts;

	cert_setup(f, &parts, &c);
	f->gwcfg.claim_id = "other.example.com"; /* an IDr its certificate does not name */
	expect_cert_failure(f, &parts, "identity mismatch");
}

static void
test_cert_bad_signature(IkeTestSaFixture *f, gconstpointer data)
{
	CertCase c = cert_rsa;
	CertParts parts;

	cert_setup(f, &parts, &c);
	f->gwcfg.bad_auth = TRUE;
	expect_cert_failure(f, &parts, "the gateway's AUTH payload does not verify");
}

static const CertCase cert_rsa_classic = {
	"client-rsa.crt", "client-rsa.key", "rsa-ca.crt",        NULL,  "gw-rsa.crt",
	"gw-rsa.key",     "rsa-ca.crt",     "alice@example.com", FALSE, IKE_AUTH_RSA_SIG};
static const CertCase cert_ecdsa_classic = {"client-ec256.crt",
                                            "client-ec256.key",
                                            "ec-root.crt",
                                            "ec-int.crt",
                                            "gw-rsa.crt",
                                            "gw-rsa.key",
                                            "rsa-ca.crt",
                                            "bob@example.com",
                                            FALSE,
                                            IKE_AUTH_ECDSA_SHA256_P256};
static const CertCase cert_ecdsa_sig14 = {"client-ec521.crt",
                                          "client-ec521.key",
                                          "ec-root.crt",
                                          "ec-int.crt",
                                          "gw-ed25519.crt",
                                          "gw-ed25519.key",
                                          "ed-ca.crt",
                                          "carol@example.com",
                                          TRUE,
                                          IKE_AUTH_DIGITAL_SIGNATURE};

int
main(int argc, char **argv)
{
	int ret;

	g_test_init(&argc, &argv, NULL);
#define ADD(path, fn)                                                                              \
	g_test_add(path, IkeTestSaFixture, NULL, ike_test_sa_setup, fn, ike_test_sa_teardown)
	ADD("/ferry/ike/sa/connect-psk", test_connect_psk);
	ADD("/ferry/ike/sa/connect-deterministic", test_connect_deterministic);
	ADD("/ferry/ike/sa/connect-cbc", test_connect_cbc);
	ADD("/ferry/ike/sa/connect-ip6", test_ip6);
	ADD("/ferry/ike/sa/invalid-ke", test_invalid_ke);
	ADD("/ferry/ike/sa/invalid-ke-not-offered", test_invalid_ke_not_offered);
	ADD("/ferry/ike/sa/cookie", test_cookie);
	ADD("/ferry/ike/sa/cookie-and-invalid-ke", test_cookie_and_invalid_ke);
	ADD("/ferry/ike/sa/no-proposal", test_no_proposal);
	ADD("/ferry/ike/sa/wrong-proposal", test_wrong_proposal);
	ADD("/ferry/ike/sa/auth-failed", test_auth_failed);
	ADD("/ferry/ike/sa/wrong-psk", test_wrong_psk);
	ADD("/ferry/ike/sa/bad-responder-auth", test_bad_responder_auth);
	ADD("/ferry/ike/sa/wrong-idr", test_wrong_idr);
	ADD("/ferry/ike/sa/any-idr", test_any_idr);
	ADD("/ferry/ike/sa/ts-unacceptable", test_ts_unacceptable);
	ADD("/ferry/ike/sa/address-failure", test_address_failure);
	ADD("/ferry/ike/sa/narrowed-ts", test_narrowed_ts);
	ADD("/ferry/ike/sa/nat-detected", test_nat_detected);
	ADD("/ferry/ike/sa/force-encap", test_force_encap);
	ADD("/ferry/ike/sa/no-nat", test_no_nat);
	ADD("/ferry/ike/sa/retransmit", test_retransmit);
	ADD("/ferry/ike/sa/give-up", test_give_up);
	ADD("/ferry/ike/sa/give-up-custom", test_give_up_custom);
	ADD("/ferry/ike/sa/duplicate-responses", test_duplicate_responses);
	ADD("/ferry/ike/sa/garbage-dropped", test_garbage_dropped);
	g_test_add("/ferry/ike/sa/fragmented-response", IkeTestSaFixture, GINT_TO_POINTER(FALSE),
	           ike_test_sa_setup, test_fragmented_response, ike_test_sa_teardown);
	g_test_add("/ferry/ike/sa/fragmented-response-reversed", IkeTestSaFixture,
	           GINT_TO_POINTER(TRUE), ike_test_sa_setup, test_fragmented_response,
	           ike_test_sa_teardown);
	ADD("/ferry/ike/sa/tampered-response", test_tampered_response);
	ADD("/ferry/ike/sa/gateway-delete", test_gateway_delete);
	ADD("/ferry/ike/sa/gateway-delete-child", test_gateway_delete_child);
	ADD("/ferry/ike/sa/dpd", test_dpd);
	ADD("/ferry/ike/sa/dpd-off", test_dpd_off);
	ADD("/ferry/ike/sa/dpd-dead-gateway", test_dpd_dead_gateway);
	ADD("/ferry/ike/sa/rekey-child", test_rekey_child);
	ADD("/ferry/ike/sa/rekey-child-pfs", test_rekey_child_pfs);
	ADD("/ferry/ike/sa/rekey-child-timer", test_rekey_child_timer);
	ADD("/ferry/ike/sa/rekey-ike", test_rekey_ike);
	ADD("/ferry/ike/sa/rekey-ike-keeps-prf", test_rekey_ike_keeps_prf);
	g_test_add("/ferry/ike/sa/gateway-rekey-child", IkeTestSaFixture, GUINT_TO_POINTER(0),
	           ike_test_sa_setup, test_gateway_rekey_child, ike_test_sa_teardown);
	g_test_add("/ferry/ike/sa/gateway-rekey-child-pfs", IkeTestSaFixture,
	           GUINT_TO_POINTER(IKE_KE_CURVE25519), ike_test_sa_setup, test_gateway_rekey_child,
	           ike_test_sa_teardown);
	ADD("/ferry/ike/sa/gateway-rekey-then-ours", test_gateway_rekey_then_ours);
	ADD("/ferry/ike/sa/gateway-rekey-invalid-ke", test_gateway_rekey_invalid_ke);
	ADD("/ferry/ike/sa/gateway-rekey-no-proposal", test_gateway_rekey_no_proposal);
	ADD("/ferry/ike/sa/gateway-rekey-unknown-child", test_gateway_rekey_unknown_child);
	ADD("/ferry/ike/sa/stray-responses", test_stray_responses);
	ADD("/ferry/ike/sa/disconnect-while-connecting", test_disconnect_while_connecting);
	ADD("/ferry/ike/sa/disconnect-unanswered", test_disconnect_unanswered);
	ADD("/ferry/ike/sa/disconnect-during-rekey", test_disconnect_during_rekey);
	ADD("/ferry/ike/sa/disconnect-dead-gateway", test_disconnect_dead_gateway);
	ADD("/ferry/ike/sa/config-errors", test_config_errors);
	g_test_add("/ferry/ike/sa/cert-rsa-method14", IkeTestSaFixture, &cert_rsa,
	           ike_test_sa_setup, test_cert, ike_test_sa_teardown);
	g_test_add("/ferry/ike/sa/cert-rsa-method1", IkeTestSaFixture, &cert_rsa_classic,
	           ike_test_sa_setup, test_cert, ike_test_sa_teardown);
	g_test_add("/ferry/ike/sa/cert-ecdsa-method9", IkeTestSaFixture, &cert_ecdsa_classic,
	           ike_test_sa_setup, test_cert, ike_test_sa_teardown);
	g_test_add("/ferry/ike/sa/cert-ecdsa-p521-ed25519-gateway", IkeTestSaFixture,
	           &cert_ecdsa_sig14, ike_test_sa_setup, test_cert, ike_test_sa_teardown);
	ADD("/ferry/ike/sa/cert-no-fragmentation", test_cert_no_fragmentation);
	ADD("/ferry/ike/sa/cert-fragments-retransmitted", test_cert_fragments_retransmitted);
	ADD("/ferry/ike/sa/cert-untrusted", test_cert_untrusted);
	ADD("/ferry/ike/sa/cert-identity", test_cert_identity);
	ADD("/ferry/ike/sa/cert-claimed-idr", test_cert_claimed_idr);
	ADD("/ferry/ike/sa/cert-bad-signature", test_cert_bad_signature);
#undef ADD
	cert_test_pki_init(FALSE);
	ret = g_test_run();
	cert_test_pki_cleanup();
	return ret;
}
