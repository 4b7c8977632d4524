/* test-ike-rekey.c - rekeys against the scripted responder: the gateway's IKE SA rekey
 * (RFC 7296 §1.3.2), rekey collisions (§2.8), re-fragmentation (RFC 7383 §2.5.2), lifetimes */
#include <string.h>
#include <sys/socket.h>

#include "cert-test.h"
#include "crypto-cert.h"
#include "crypto-rng.h"
#include "ferry-error.h"
#include "ferry-test.h"
#include "ike-retransmit.h"
#include "ike-sa.h"
#include "ike-test-responder.h"

#include "ike-test-sa-fixture.h"

static GPtrArray *
new_out(void)
{
	return g_ptr_array_new_with_free_func((GDestroyNotify)g_bytes_unref);
}

static IkeTestSaEv *
last_event(IkeTestSaFixture *f, IkeEventType type)
{
	for (guint i = f->events->len; i > 0; i--) {
		IkeTestSaEv *e = f->events->pdata[i - 1];

		if (e->type == type)
			return e;
	}
	return NULL;
}

static guint
count_rekeyed(IkeTestSaFixture *f, IkeSaKind kind, gboolean by_peer)
{
	guint n = 0;

	for (guint i = 0; i < f->events->len; i++) {
		IkeTestSaEv *e = f->events->pdata[i];

		n += e->type == IKE_EVENT_REKEYED && e->sa_kind == kind &&
		     e->peer_initiated == by_peer;
	}
	return n;
}

/* Our next request works on the current SA: a child rekey, with message ID `id`. */
static void
assert_child_rekey_works(IkeTestSaFixture *f, uint32_t id)
{
	guint n = ike_test_sa_count_events(f, IKE_EVENT_CHILD_INSTALL);
	IkeTestSaEv *sent;

	ike_sa_rekey_child(f->sa, f->now);
	sent = last_event(f, IKE_EVENT_MESSAGE_SENT);
	g_assert_cmpuint(sent->exchange, ==, IKE_EXCHANGE_CREATE_CHILD_SA);
	g_assert_cmpuint(sent->message_id, ==, id);
	ike_test_sa_run(f);
	g_assert_cmpuint(ike_test_sa_count_events(f, IKE_EVENT_CHILD_INSTALL), ==, n + 1);
	ike_test_sa_assert_child_keys(f, ike_test_sa_find_event(f, IKE_EVENT_CHILD_INSTALL, n));
	g_assert_cmpint(ike_sa_get_state(f->sa), ==, IKE_STATE_ESTABLISHED);
}

/* ---- the gateway rekeys the IKE SA (RFC 7296 §1.3.2, §2.18) ---- */

static void
test_gateway_rekey_ike(IkeTestSaFixture *f, gconstpointer data)
{
	g_autoptr(GPtrArray) from_gw = new_out();
	const IkeTestResponderState *gs;
	uint64_t old_spi_i;
	guint n_sent, n_answered;
	IkeTestSaEv *ev;

	ike_test_sa_connect(f);
	gs = ike_test_responder_get_state(f->gw);
	old_spi_i = gs->spi_i;
	n_sent = f->sent->len;
	ike_test_responder_start_rekey_ike(f->gw, from_gw);
	ike_test_sa_deliver(f, from_gw);
	/* answered with SA, Nr and KEr; the gateway derived the same keys (it decodes with them
	 * below) and made the new SA its own, with its SPI as the initiator's */
	g_assert_false(gs->got_temporary_failure);
	g_assert_cmpuint(gs->n_ike_rekeyed, ==, 1);
	g_assert_cmpuint(f->sent->len, ==, n_sent + 1);
	g_assert_cmpstr(last_event(f, IKE_EVENT_MESSAGE_SENT)->payloads, ==, "SA No KE");
	g_assert_cmpuint(gs->spi_i, !=, old_spi_i);
	ev = ike_test_sa_find_event(f, IKE_EVENT_REKEYED, 0);
	g_assert_nonnull(ev);
	g_assert_cmpint(ev->sa_kind, ==, IKE_SA_KIND_IKE);
	g_assert_true(ev->peer_initiated);
	g_assert_cmpstr(ev->text, ==, "IKE SA rekeyed by the gateway");
	/* the Child SA moved over untouched */
	g_assert_null(ike_test_sa_find_event(f, IKE_EVENT_CHILD_INSTALL, 1));
	g_assert_null(ike_test_sa_find_event(f, IKE_EVENT_CHILD_DELETE, 0));
	g_assert_cmpint(ike_sa_get_state(f->sa), ==, IKE_STATE_ESTABLISHED);

	/* the gateway deletes the old SA: answered there, and we stay up */
	n_answered = gs->answered_responses;
	g_ptr_array_set_size(from_gw, 0);
	ike_test_responder_send_delete_ike_on(f->gw, IKE_TEST_GEN_OLD, from_gw);
	ike_test_sa_deliver(f, from_gw);
	g_assert_cmpuint(gs->answered_responses, ==, n_answered + 1);
	g_assert_null(ike_test_sa_find_event(f, IKE_EVENT_CLOSED, 0));
	ike_test_responder_forget(f->gw, IKE_TEST_GEN_OLD);

	/* the new SA: our requests from message ID 0 without I (the responder checks it), its
	 * requests from 0 too */
	assert_child_rekey_works(f, 0);
	g_ptr_array_set_size(from_gw, 0);
	ike_test_responder_send_liveness(f->gw, from_gw);
	ike_test_sa_deliver(f, from_gw);
	g_assert_cmpuint(gs->answered_responses, ==, n_answered + 2);
	g_ptr_array_set_size(from_gw, 0);
	ike_test_responder_send_delete_ike(f->gw, from_gw);
	ike_test_sa_deliver(f, from_gw);
	g_assert_true(ike_test_sa_find_event(f, IKE_EVENT_CLOSED, 0)->peer_closed);
	g_assert_no_error(ike_test_sa_closed_error(f));
}

/* RFC 7296 §2.1: our answer to the gateway's rekey was lost and it sends the request again, on
 * the old SA: the same bytes go back, and nothing is rekeyed twice. */
static void
test_gateway_rekey_ike_repeated(IkeTestSaFixture *f, gconstpointer data)
{
	g_autoptr(GPtrArray) from_gw = new_out();
	const IkeTestResponderState *gs;
	guint n_sent;

	ike_test_sa_connect(f);
	gs = ike_test_responder_get_state(f->gw);
	ike_test_responder_start_rekey_ike(f->gw, from_gw);
	n_sent = f->sent->len;
	for (guint i = 0; i < 2; i++) {
		GBytes *b = from_gw->pdata[0];

		ike_sa_receive(f->sa, g_bytes_get_data(b, NULL), g_bytes_get_size(b), f->now);
	}
	g_assert_cmpuint(f->sent->len, ==, n_sent + 2);
	g_assert_true(g_bytes_equal(f->sent->pdata[n_sent], f->sent->pdata[n_sent + 1]));
	g_assert_cmpuint(ike_sa_get_counters(f->sa)->retransmits, ==, 1);
	g_assert_cmpuint(count_rekeyed(f, IKE_SA_KIND_IKE, TRUE), ==, 1);
	ike_test_sa_run(f);
	g_assert_cmpuint(gs->n_ike_rekeyed, ==, 1);
	g_ptr_array_set_size(from_gw, 0);
	ike_test_responder_send_delete_ike_on(f->gw, IKE_TEST_GEN_OLD, from_gw);
	ike_test_sa_deliver(f, from_gw);
	ike_test_responder_forget(f->gw, IKE_TEST_GEN_OLD);
	assert_child_rekey_works(f, 0);
}

/* After the gateway's rekey, ours: the new SA is rekeyed again with us as initiator and the
 * gateway's SA, where we are the original responder, deleted by us. */
static void
test_gateway_rekey_ike_then_ours(IkeTestSaFixture *f, gconstpointer data)
{
	g_autoptr(GPtrArray) from_gw = new_out();
	const IkeTestResponderState *gs;
	uint64_t spi_gw;

	ike_test_sa_connect(f);
	gs = ike_test_responder_get_state(f->gw);
	ike_test_responder_start_rekey_ike(f->gw, from_gw);
	ike_test_sa_deliver(f, from_gw);
	g_ptr_array_set_size(from_gw, 0);
	ike_test_responder_send_delete_ike_on(f->gw, IKE_TEST_GEN_OLD, from_gw);
	ike_test_sa_deliver(f, from_gw);
	spi_gw = gs->spi_i;
	ike_sa_rekey_ike(f->sa, f->now);
	g_assert_cmpuint(last_event(f, IKE_EVENT_MESSAGE_SENT)->message_id, ==, 0);
	ike_test_sa_run(f);
	g_assert_cmpuint(count_rekeyed(f, IKE_SA_KIND_IKE, FALSE), ==, 1);
	g_assert_cmpuint(gs->spi_i, !=, spi_gw); /* ours now */
	/* our DELETE of the gateway's SA went out on it and was answered */
	g_assert_cmpstr(gs->payload_log->pdata[gs->payload_log->len - 1], ==, "DELETE");
	g_assert_cmpuint(last_event(f, IKE_EVENT_MESSAGE_SENT)->message_id, ==, 1);
	g_assert_cmpint(ike_sa_get_state(f->sa), ==, IKE_STATE_ESTABLISHED);
	assert_child_rekey_works(f, 0);
}

/* RFC 7296 §2.25.2: while we rekey the Child SA the gateway's IKE SA rekey gets
 * TEMPORARY_FAILURE; our exchange completes. */
static void
test_gateway_rekey_ike_during_child_rekey(IkeTestSaFixture *f, gconstpointer data)
{
	g_autoptr(GPtrArray) from_gw = new_out();
	const IkeTestResponderState *gs;

	ike_test_sa_connect(f);
	gs = ike_test_responder_get_state(f->gw);
	ike_sa_rekey_child(f->sa, f->now);
	ike_test_responder_start_rekey_ike(f->gw, from_gw);
	ike_test_sa_deliver(f, from_gw);
	g_assert_true(gs->got_temporary_failure);
	g_assert_cmpuint(gs->n_ike_rekeyed, ==, 0);
	g_assert_cmpuint(count_rekeyed(f, IKE_SA_KIND_IKE, TRUE), ==, 0);
	g_assert_cmpuint(count_rekeyed(f, IKE_SA_KIND_CHILD, FALSE), ==, 1);
	ike_test_sa_assert_child_keys(f, ike_test_sa_find_event(f, IKE_EVENT_CHILD_INSTALL, 1));
	/* the gateway's retry goes through */
	g_ptr_array_set_size(from_gw, 0);
	ike_test_responder_start_rekey_ike(f->gw, from_gw);
	ike_test_sa_deliver(f, from_gw);
	g_assert_cmpuint(gs->n_ike_rekeyed, ==, 1);
	g_assert_cmpuint(count_rekeyed(f, IKE_SA_KIND_IKE, TRUE), ==, 1);
}

/* ---- simultaneous IKE SA rekeys (RFC 7296 §2.8.2) ---- */

/* Both rekey at once, each answers the other; `ours_lowest` puts the lowest of the four
 * nonces into our exchange (its SA is redundant: we delete it and the gateway's stays) or
 * into the gateway's (it deletes its SA; ours stays and we delete the old one). */
static void
test_ike_collision(IkeTestSaFixture *f, gconstpointer data)
{
	gboolean ours_lowest = GPOINTER_TO_INT(data);
	g_autoptr(GPtrArray) from_gw = new_out();
	const IkeTestResponderState *gs;
	IkeTestSaEv *ev;

	f->gwcfg.rekey_nonce_fixed = TRUE;
	/* the gateway's own request nonce, then its answer to ours */
	f->gwcfg.rekey_ni_fill = ours_lowest ? 0xff : 0x00;
	f->gwcfg.rekey_nr_fill = ours_lowest ? 0x00 : 0xff;
	ike_test_sa_connect(f);
	gs = ike_test_responder_get_state(f->gw);
	ike_sa_rekey_ike(f->sa, f->now);                    /* ours, not yet delivered */
	ike_test_responder_start_rekey_ike(f->gw, from_gw); /* the gateway's, crossing it */
	ike_test_sa_deliver(f, from_gw);
	g_assert_false(gs->got_temporary_failure);
	g_assert_cmpuint(gs->n_ike_rekeyed, ==, 1); /* we answered the gateway's */
	g_assert_cmpuint(ike_test_sa_count_events(f, IKE_EVENT_REKEYED), ==, 1);
	ev = ike_test_sa_find_event(f, IKE_EVENT_REKEYED, 0);
	g_assert_cmpint(ev->sa_kind, ==, IKE_SA_KIND_IKE);
	g_assert_cmpint(ev->peer_initiated, ==, ours_lowest);
	g_assert_cmpint(ike_sa_get_state(f->sa), ==, IKE_STATE_ESTABLISHED);
	/* our DELETE went out: of our redundant new SA, or of the old one */
	g_assert_cmpstr(gs->payload_log->pdata[gs->payload_log->len - 1], ==, "DELETE");
	g_assert_cmpuint(last_event(f, IKE_EVENT_MESSAGE_SENT)->exchange, ==,
	                 IKE_EXCHANGE_INFORMATIONAL);
	g_assert_cmpuint(last_event(f, IKE_EVENT_MESSAGE_SENT)->message_id, ==,
	                 ours_lowest ? 0 : 3);
	ike_test_responder_settle_collision(f->gw, ours_lowest);
	/* the gateway deletes what is left to it: the old SA, or its redundant one */
	g_ptr_array_set_size(from_gw, 0);
	ike_test_responder_send_delete_ike_on(
		f->gw, ours_lowest ? IKE_TEST_GEN_OLD : IKE_TEST_GEN_EXTRA, from_gw);
	ike_test_sa_deliver(f, from_gw);
	g_assert_null(ike_test_sa_find_event(f, IKE_EVENT_CLOSED, 0));
	g_assert_cmpint(ike_sa_get_deadline(f->sa), >=, f->now + 30 * G_USEC_PER_SEC);
	/* the survivor carries the child on */
	assert_child_rekey_works(f, 0);
	g_ptr_array_set_size(from_gw, 0);
	ike_test_responder_send_delete_ike(f->gw, from_gw);
	ike_test_sa_deliver(f, from_gw);
	g_assert_true(ike_test_sa_find_event(f, IKE_EVENT_CLOSED, 0)->peer_closed);
}

/* Only we saw the collision: our request was lost, the gateway finished its rekey and
 * deletes the old SA; we forget ours and stay on its SA (RFC 7296 §2.8.2, last paragraph). */
static void
test_ike_collision_unnoticed(IkeTestSaFixture *f, gconstpointer data)
{
	g_autoptr(GPtrArray) from_gw = new_out();
	const IkeTestResponderState *gs;
	guint n_sent;

	ike_test_sa_connect(f);
	gs = ike_test_responder_get_state(f->gw);
	f->lose_to_gw = TRUE;
	ike_sa_rekey_ike(f->sa, f->now);
	f->lose_to_gw = FALSE;
	ike_test_responder_start_rekey_ike(f->gw, from_gw);
	ike_test_sa_deliver(f, from_gw);
	g_assert_cmpuint(gs->n_ike_rekeyed, ==, 1);
	g_assert_cmpuint(ike_test_sa_count_events(f, IKE_EVENT_REKEYED), ==,
	                 0); /* ours still pending */
	g_ptr_array_set_size(from_gw, 0);
	ike_test_responder_send_delete_ike_on(f->gw, IKE_TEST_GEN_OLD, from_gw);
	ike_test_sa_deliver(f, from_gw);
	g_assert_cmpuint(count_rekeyed(f, IKE_SA_KIND_IKE, TRUE), ==, 1);
	g_assert_cmpint(ike_sa_get_state(f->sa), ==, IKE_STATE_ESTABLISHED);
	/* our lost request is not sent again */
	n_sent = f->sent->len;
	ike_test_sa_advance_to(f, f->now + 10 * G_USEC_PER_SEC);
	g_assert_cmpuint(f->sent->len, ==, n_sent);
	ike_test_responder_forget(f->gw, IKE_TEST_GEN_OLD);
	assert_child_rekey_works(f, 0);
}

/* ---- simultaneous Child SA rekeys (RFC 7296 §2.8.1) ---- */

static void
test_child_collision(IkeTestSaFixture *f, gconstpointer data)
{
	gboolean ours_lowest = GPOINTER_TO_INT(data);
	g_autoptr(GPtrArray) from_gw = new_out();
	const IkeTestResponderState *gs;
	IkeTestSaEv *orig, *theirs, *del;

	f->gwcfg.rekey_nonce_fixed = TRUE;
	f->gwcfg.rekey_ni_fill = ours_lowest ? 0xff : 0x00;
	f->gwcfg.rekey_nr_fill = ours_lowest ? 0x00 : 0xff;
	ike_test_sa_connect(f);
	gs = ike_test_responder_get_state(f->gw);
	orig = ike_test_sa_find_event(f, IKE_EVENT_CHILD_INSTALL, 0);
	ike_sa_rekey_child(f->sa, f->now);
	ike_test_responder_send_rekey_child(f->gw, from_gw);
	ike_test_sa_deliver(f, from_gw);
	/* both answered as usual (§2.25.1), no TEMPORARY_FAILURE */
	g_assert_false(gs->got_temporary_failure);
	g_assert_cmpuint(gs->n_child_rekeyed, ==, 1);
	theirs = ike_test_sa_find_event(f, IKE_EVENT_CHILD_INSTALL, 1);
	g_assert_nonnull(theirs);
	g_assert_cmpuint(theirs->spi_out, ==, 0x12340001);
	g_assert_cmpuint(count_rekeyed(f, IKE_SA_KIND_CHILD, TRUE), ==, 1);
	g_assert_cmpint(ike_sa_get_state(f->sa), ==, IKE_STATE_ESTABLISHED);
	if (ours_lowest) {
		/* ours is redundant: never installed, deleted by us; the gateway's stays and the
		 * gateway deletes the original */
		g_assert_null(ike_test_sa_find_event(f, IKE_EVENT_CHILD_INSTALL, 2));
		g_assert_cmpuint(count_rekeyed(f, IKE_SA_KIND_CHILD, FALSE), ==, 0);
		g_assert_cmpstr(gs->payload_log->pdata[gs->payload_log->len - 1], ==, "DELETE");
		g_assert_cmpuint(gs->n_child_deleted, ==, 1);
		g_assert_null(ike_test_sa_find_event(f, IKE_EVENT_CHILD_DELETE, 0));
		ike_test_sa_assert_child_keys(f, theirs);
		g_ptr_array_set_size(from_gw, 0);
		ike_test_responder_send_delete_child_spi(f->gw, orig->spi_out, from_gw);
		ike_test_sa_deliver(f, from_gw);
		del = ike_test_sa_find_event(f, IKE_EVENT_CHILD_DELETE, 0);
		g_assert_nonnull(del);
		g_assert_cmpuint(del->spi_in, ==, orig->spi_in);
		g_assert_cmpuint(gs->last_deleted_spi, ==, orig->spi_in);
		g_assert_null(ike_test_sa_find_event(f, IKE_EVENT_CHILD_DELETE, 1));
		assert_child_rekey_works(f, 4);
	} else {
		/* the gateway's is redundant: it deletes it; ours is installed and we delete the
		 * original */
		IkeTestSaEv *ours = ike_test_sa_find_event(f, IKE_EVENT_CHILD_INSTALL, 2);

		g_assert_nonnull(ours);
		g_assert_cmpuint(count_rekeyed(f, IKE_SA_KIND_CHILD, FALSE), ==, 1);
		del = ike_test_sa_find_event(f, IKE_EVENT_CHILD_DELETE, 0);
		g_assert_nonnull(del);
		g_assert_cmpuint(del->spi_in, ==, orig->spi_in);
		g_assert_cmpuint(del->spi_out, ==, orig->spi_out);
		g_ptr_array_set_size(from_gw, 0);
		ike_test_responder_send_delete_child_spi(f->gw, theirs->spi_out, from_gw);
		ike_test_sa_deliver(f, from_gw);
		del = ike_test_sa_find_event(f, IKE_EVENT_CHILD_DELETE, 1);
		g_assert_nonnull(del);
		g_assert_cmpuint(del->spi_in, ==, theirs->spi_in);
		g_assert_cmpuint(gs->last_deleted_spi, ==, theirs->spi_in);
		g_assert_null(ike_test_sa_find_event(f, IKE_EVENT_CHILD_DELETE, 2));
		g_assert_null(ike_test_sa_find_event(f, IKE_EVENT_CLOSED, 0));
	}
}

/* ---- lifetimes ---- */

/* The profile's lifetimes drive our rekeys, each jittered up to 10% early (RFC 7296 §2.8.1):
 * the Child SA's first, then the IKE SA's, each on its own timer. */
static void
test_lifetimes(IkeTestSaFixture *f, gconstpointer data)
{
	gint64 up, child_due, ike_due;

	f->cfg.child_rekey_s = 600;
	f->cfg.ike_rekey_s = 1000;
	f->cfg.dpd_s = IKE_DPD_OFF;
	ike_test_sa_connect(f);
	up = f->now;
	child_due = ike_sa_get_deadline(f->sa);
	g_assert_cmpint(child_due, >=, up + 540 * G_USEC_PER_SEC);
	g_assert_cmpint(child_due, <=, up + 600 * G_USEC_PER_SEC);
	ike_test_sa_advance_to(f, child_due - 1);
	g_assert_cmpuint(ike_test_sa_count_events(f, IKE_EVENT_REKEYED), ==, 0);
	ike_test_sa_advance_to(f, child_due);
	g_assert_cmpuint(count_rekeyed(f, IKE_SA_KIND_CHILD, FALSE), ==, 1);
	ike_due = ike_sa_get_deadline(f->sa);
	g_assert_cmpint(ike_due, >=, up + 900 * G_USEC_PER_SEC);
	g_assert_cmpint(ike_due, <=, up + 1000 * G_USEC_PER_SEC);
	ike_test_sa_advance_to(f, ike_due);
	g_assert_cmpuint(count_rekeyed(f, IKE_SA_KIND_IKE, FALSE), ==, 1);
	/* the next child rekey counts from the last one, the next IKE rekey from this one */
	g_assert_cmpint(ike_sa_get_deadline(f->sa), >=, child_due + 540 * G_USEC_PER_SEC);
	g_assert_cmpint(ike_sa_get_deadline(f->sa), <=, child_due + 600 * G_USEC_PER_SEC);
	ike_test_sa_advance_to(f, ike_sa_get_deadline(f->sa));
	g_assert_cmpuint(count_rekeyed(f, IKE_SA_KIND_CHILD, FALSE), ==, 2);
	while (count_rekeyed(f, IKE_SA_KIND_IKE, FALSE) < 2)
		ike_test_sa_advance_to(f, ike_sa_get_deadline(f->sa));
	g_assert_cmpint(f->now, >=, ike_due + 900 * G_USEC_PER_SEC);
	g_assert_cmpint(f->now, <=, ike_due + 1000 * G_USEC_PER_SEC);
	g_assert_cmpint(ike_sa_get_state(f->sa), ==, IKE_STATE_ESTABLISHED);
}

/* The jitter is random: other random bytes, another deadline; without a lifetime no timer. */
static void
test_lifetime_jitter(IkeTestSaFixture *f, gconstpointer data)
{
	gint64 d[3];

	for (guint i = 0; i < G_N_ELEMENTS(d); i++)
		d[i] = ike_timer_rekey_deadline(0, 3000, 0x9e3779b9u * (i + 1));
	for (guint i = 0; i < G_N_ELEMENTS(d); i++) {
		g_assert_cmpint(d[i], >=, (gint64)2700 * G_USEC_PER_SEC);
		g_assert_cmpint(d[i], <=, (gint64)3000 * G_USEC_PER_SEC);
	}
	g_assert_cmpint(d[0], !=, d[1]);
	g_assert_cmpint(d[1], !=, d[2]);
	g_assert_cmpint(ike_timer_rekey_deadline(0, 3000, 0), ==, (gint64)3000 * G_USEC_PER_SEC);
	g_assert_cmpint(ike_timer_rekey_deadline(0, 3000, G_MAXUINT32), >=,
	                (gint64)2700 * G_USEC_PER_SEC);
	g_assert_cmpint(ike_timer_rekey_deadline(0, 0, 12345), ==, G_MAXINT64);
	g_assert_cmpint(ike_timer_rekey_deadline(5, G_MAXUINT, 12345), ==, G_MAXINT64);
	/* and two SAs with other random bytes get other deadlines */
	f->cfg.child_rekey_s = 600;
	f->cfg.dpd_s = IKE_DPD_OFF;
	ike_test_sa_connect(f);
	d[0] = ike_sa_get_deadline(f->sa) - f->now;
	g_clear_pointer(&f->sa, ike_sa_free);
	g_clear_pointer(&f->gw, ike_test_responder_free);
	ferry_test_rng_remove();
	ferry_test_rng_install(4306);
	ike_test_sa_connect(f);
	d[1] = ike_sa_get_deadline(f->sa) - f->now;
	g_assert_cmpint(d[0], !=, d[1]);
}

/* The gateway's rekey of the IKE SA restarts our IKE SA timer: no rekey of ours right after. */
static void
test_lifetime_after_gateway_rekey(IkeTestSaFixture *f, gconstpointer data)
{
	g_autoptr(GPtrArray) from_gw = new_out();
	gint64 t;

	f->cfg.ike_rekey_s = 1000;
	f->cfg.child_rekey_s = 100000;
	f->cfg.dpd_s = IKE_DPD_OFF;
	ike_test_sa_connect(f);
	f->now += 800 * G_USEC_PER_SEC;
	t = f->now;
	ike_test_responder_start_rekey_ike(f->gw, from_gw);
	ike_test_sa_deliver(f, from_gw);
	g_ptr_array_set_size(from_gw, 0);
	ike_test_responder_send_delete_ike_on(f->gw, IKE_TEST_GEN_OLD, from_gw);
	ike_test_sa_deliver(f, from_gw);
	g_assert_cmpint(ike_sa_get_deadline(f->sa), >=, t + 900 * G_USEC_PER_SEC);
	g_assert_cmpint(ike_sa_get_deadline(f->sa), <=, t + 1000 * G_USEC_PER_SEC);
	ike_test_sa_advance_to(f, ike_sa_get_deadline(f->sa));
	g_assert_cmpuint(count_rekeyed(f, IKE_SA_KIND_IKE, FALSE), ==, 1);
	g_assert_cmpuint(count_rekeyed(f, IKE_SA_KIND_IKE, TRUE), ==, 1);
	g_assert_cmpint(ike_sa_get_state(f->sa), ==, IKE_STATE_ESTABLISHED);
}

/* ---- re-fragmentation (RFC 7383 §2.5.2) ---- */

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
load_trust(const char *ca)
{
	g_autofree char *path = cert_test_pki_path(ca);
	CryptoTrust *t = crypto_trust_new();
	CryptoCertError err;

	g_assert_cmpint(crypto_trust_add_file(t, path, &err), ==, CRYPTO_CERT_OK);
	return t;
}

/* A path that loses datagrams over 600 bytes: the certificate IKE_AUTH goes out in 1228-byte
 * fragments, sent three times unanswered, then split again into fragments for a 576-byte
 * IPv4 path with the same message ID, which get through. */
static void
test_refragment(IkeTestSaFixture *f, gconstpointer data)
{
	gboolean natt = GPOINTER_TO_INT(data);
	CryptoCredential *client = load_cred("client-rsa.crt", "client-rsa.key");
	CryptoCredential *gw = load_cred("gw-rsa.crt", "gw-rsa.key");
	CryptoTrust *client_trust = load_trust("rsa-ca.crt");
	CryptoTrust *gw_trust = load_trust("rsa-ca.crt");
	gsize max_small = 576 - 20 - 8 - (natt ? 4 : 0);
	const IkeTestResponderState *gs;
	guint before = 0, per_round;

	f->cfg.psk = NULL;
	f->cfg.credential = client;
	f->cfg.trust = client_trust;
	f->cfg.remote_id_name = "vpn.example.com";
	f->cfg.local_id_type = IKE_ID_RFC822_ADDR;
	f->cfg.local_id = FERRY_SPAN("alice@example.com", 17);
	f->cfg.remote_id_type = 0;
	f->cfg.force_encap = natt;
	f->gwcfg.id = "vpn.example.com";
	f->gwcfg.peer_id = NULL;
	f->gwcfg.credential = gw;
	f->gwcfg.trust = gw_trust;
	f->gwcfg.drop_fragments_over = 600;
	ike_test_sa_connect(f);
	gs = ike_test_responder_get_state(f->gw);
	g_assert_cmpint(ike_sa_get_state(f->sa), ==, IKE_STATE_AUTH_SENT);
	for (guint i = 0; i < 4 && ike_sa_get_state(f->sa) == IKE_STATE_AUTH_SENT; i++) {
		before = f->sent->len;
		ike_test_sa_advance_to(f, ike_sa_get_deadline(f->sa));
	}
	g_assert_cmpint(ike_sa_get_state(f->sa), ==, IKE_STATE_ESTABLISHED);
	/* after IKE_SA_INIT: three rounds of 1228-byte fragments, each losing its big ones */
	g_assert_cmpuint((before - 1) % 3, ==, 0);
	per_round = (before - 1) / 3;
	g_assert_cmpuint(per_round, >=, 2);
	g_assert_cmpuint(g_bytes_get_size(f->sent->pdata[1]), >, 600);
	g_assert_cmpuint(g_bytes_get_size(f->sent->pdata[1]), <=, 1228);
	g_assert_cmpuint(gs->n_big_fragments_dropped % 3, ==, 0);
	g_assert_cmpuint(gs->n_big_fragments_dropped, >=, 3);
	for (guint r = 1; r < 3; r++) {
		for (guint k = 0; k < per_round; k++)
			g_assert_true(g_bytes_equal(f->sent->pdata[1 + k],
			                            f->sent->pdata[1 + r * per_round + k]));
	}
	/* then one round split for a 576-byte IPv4 path, more fragments, all delivered */
	g_assert_cmpuint(f->sent->len - before, >, per_round);
	g_assert_cmpuint(f->sent->len - before, <=, 16);
	for (guint i = before; i < f->sent->len; i++)
		g_assert_cmpuint(g_bytes_get_size(f->sent->pdata[i]), <=, max_small);
	/* the same request: IKE_AUTH, message ID 1, a retransmission */
	{
		IkeTestSaEv *last = NULL;

		for (guint i = 0; i < f->events->len; i++) {
			IkeTestSaEv *e = f->events->pdata[i];

			if (e->type == IKE_EVENT_MESSAGE_SENT &&
			    e->exchange == IKE_EXCHANGE_IKE_AUTH)
				last = e;
		}
		g_assert_nonnull(last);
		g_assert_cmpuint(last->message_id, ==, 1);
		g_assert_true(last->retransmit);
	}
	g_assert_cmpuint(ike_test_sa_count_events(f, IKE_EVENT_MESSAGE_SENT), ==, 5);
	/* the SA and the responder borrow the credentials */
	g_clear_pointer(&f->sa, ike_sa_free);
	g_clear_pointer(&f->gw, ike_test_responder_free);
	crypto_credential_free(client);
	crypto_credential_free(gw);
	crypto_trust_free(client_trust);
	crypto_trust_free(gw_trust);
}

int
main(int argc, char **argv)
{
	int ret;

	g_test_init(&argc, &argv, NULL);
#define ADD(path, fn)                                                                              \
	g_test_add(path, IkeTestSaFixture, NULL, ike_test_sa_setup, fn, ike_test_sa_teardown)
	ADD("/ferry/ike/rekey/gateway-ike", test_gateway_rekey_ike);
	ADD("/ferry/ike/rekey/gateway-ike-repeated", test_gateway_rekey_ike_repeated);
	ADD("/ferry/ike/rekey/gateway-ike-then-ours", test_gateway_rekey_ike_then_ours);
	ADD("/ferry/ike/rekey/gateway-ike-during-child-rekey",
	    test_gateway_rekey_ike_during_child_rekey);
#undef ADD
	g_test_add("/ferry/ike/rekey/ike-collision-ours-lowest", IkeTestSaFixture,
	           GINT_TO_POINTER(TRUE), ike_test_sa_setup, test_ike_collision,
	           ike_test_sa_teardown);
	g_test_add("/ferry/ike/rekey/ike-collision-theirs-lowest", IkeTestSaFixture,
	           GINT_TO_POINTER(FALSE), ike_test_sa_setup, test_ike_collision,
	           ike_test_sa_teardown);
	g_test_add("/ferry/ike/rekey/ike-collision-unnoticed", IkeTestSaFixture, NULL,
	           ike_test_sa_setup, test_ike_collision_unnoticed, ike_test_sa_teardown);
	g_test_add("/ferry/ike/rekey/child-collision-ours-lowest", IkeTestSaFixture,
	           GINT_TO_POINTER(TRUE), ike_test_sa_setup, test_child_collision,
	           ike_test_sa_teardown);
	g_test_add("/ferry/ike/rekey/child-collision-theirs-lowest", IkeTestSaFixture,
	           GINT_TO_POINTER(FALSE), ike_test_sa_setup, test_child_collision,
	           ike_test_sa_teardown);
	g_test_add("/ferry/ike/rekey/refragment", IkeTestSaFixture, GINT_TO_POINTER(FALSE),
	           ike_test_sa_setup, test_refragment, ike_test_sa_teardown);
	g_test_add("/ferry/ike/rekey/refragment-natt", IkeTestSaFixture, GINT_TO_POINTER(TRUE),
	           ike_test_sa_setup, test_refragment, ike_test_sa_teardown);
	g_test_add("/ferry/ike/rekey/lifetimes", IkeTestSaFixture, NULL, ike_test_sa_setup,
	           test_lifetimes, ike_test_sa_teardown);
	g_test_add("/ferry/ike/rekey/lifetime-jitter", IkeTestSaFixture, NULL, ike_test_sa_setup,
	           test_lifetime_jitter, ike_test_sa_teardown);
	g_test_add("/ferry/ike/rekey/lifetime-after-gateway-rekey", IkeTestSaFixture, NULL,
	           ike_test_sa_setup, test_lifetime_after_gateway_rekey, ike_test_sa_teardown);
	cert_test_pki_init(FALSE);
	ret = g_test_run();
	cert_test_pki_cleanup();
	return ret;
}
