/* test-ike-retransmit.c - backoff, give-up and timer deadlines (RFC 7296 §2.1) */
#include "ike-retransmit.h"

static void
test_timeouts(void)
{
	static const guint want[] = {1000, 2000, 4000, 8000, 16000, 32000, 60000, 60000};

	for (guint n = 1; n <= G_N_ELEMENTS(want); n++)
		g_assert_cmpuint(ike_retransmit_timeout_ms(1000, n), ==, want[n - 1]);
	g_assert_cmpuint(ike_retransmit_timeout_ms(500, 3), ==, 2000);
}

static void
test_sequence(void)
{
	const guint8 req[] = {1, 2, 3};
	const gint64 t0 = 5000000;
	IkeRetransmit rt;

	ike_retransmit_init(&rt, 0, 0); /* defaults: 5 tries, 1 s */
	g_assert_cmpuint(rt.tries, ==, IKE_RETRANSMIT_DEFAULT_TRIES);
	g_assert_cmpint(ike_retransmit_get_deadline(&rt), ==, G_MAXINT64);
	g_assert_cmpint(ike_retransmit_tick(&rt, t0), ==, IKE_RETRANSMIT_NOTHING);
	ike_retransmit_start(&rt, req, sizeof(req), 34, 0, t0);
	g_assert_cmpmem(rt.data, rt.len, req, sizeof(req));
	/* resends at 1, 3, 7, 15 s; give up at 31 s */
	g_assert_cmpint(ike_retransmit_tick(&rt, t0 + 999999), ==, IKE_RETRANSMIT_NOTHING);
	g_assert_cmpint(ike_retransmit_tick(&rt, t0 + 1000000), ==, IKE_RETRANSMIT_RESEND);
	g_assert_cmpint(ike_retransmit_get_deadline(&rt), ==, t0 + 3000000);
	g_assert_cmpint(ike_retransmit_tick(&rt, t0 + 3000000), ==, IKE_RETRANSMIT_RESEND);
	g_assert_cmpint(ike_retransmit_tick(&rt, t0 + 7000000), ==, IKE_RETRANSMIT_RESEND);
	g_assert_cmpint(ike_retransmit_tick(&rt, t0 + 15000000), ==, IKE_RETRANSMIT_RESEND);
	g_assert_cmpuint(rt.sends, ==, 5);
	g_assert_cmpint(ike_retransmit_get_deadline(&rt), ==, t0 + 31000000);
	g_assert_cmpint(ike_retransmit_tick(&rt, t0 + 30999999), ==, IKE_RETRANSMIT_NOTHING);
	g_assert_cmpint(ike_retransmit_tick(&rt, t0 + 31000000), ==, IKE_RETRANSMIT_GIVE_UP);
	g_assert_cmpint(ike_retransmit_get_waited_us(&rt, t0 + 31000000), ==, 31000000);
	g_assert_cmpint(ike_retransmit_get_deadline(&rt), ==, G_MAXINT64);
	g_assert_cmpint(ike_retransmit_tick(&rt, t0 + 99000000), ==, IKE_RETRANSMIT_NOTHING);
	ike_retransmit_clear(&rt);
	g_assert_null(rt.data);
}

static void
test_stop(void)
{
	const guint8 req[] = {9};
	IkeRetransmit rt;

	ike_retransmit_init(&rt, 2, 250);
	ike_retransmit_start(&rt, req, 1, 37, 4, 0);
	g_assert_cmpint(ike_retransmit_get_deadline(&rt), ==, 250000);
	ike_retransmit_stop(&rt);
	g_assert_cmpint(ike_retransmit_tick(&rt, 1000000), ==, IKE_RETRANSMIT_NOTHING);
	ike_retransmit_start(&rt, req, 1, 37, 5, 0);
	g_assert_cmpint(ike_retransmit_tick(&rt, 250000), ==, IKE_RETRANSMIT_RESEND);
	g_assert_cmpint(ike_retransmit_tick(&rt, 750000), ==, IKE_RETRANSMIT_GIVE_UP);
	ike_retransmit_clear(&rt);
}

static void
test_timer_deadline(void)
{
	g_assert_cmpint(ike_timer_deadline(100, 0), ==, G_MAXINT64);
	g_assert_cmpint(ike_timer_deadline(100, 30), ==, 100 + 30 * G_USEC_PER_SEC);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/ferry/ike/retransmit/timeouts", test_timeouts);
	g_test_add_func("/ferry/ike/retransmit/sequence", test_sequence);
	g_test_add_func("/ferry/ike/retransmit/stop", test_stop);
	g_test_add_func("/ferry/ike/retransmit/timer-deadline", test_timer_deadline);
	return g_test_run();
}
