/* test-session-lifecycle.c - FerrySession from connect to down, without a gateway
 *
 * In a private namespace with nobody at the gateway's address:
 *
 *     [ ferry0 ]   [ veth0 198.51.100.1/24 ] --- [ veth1 ]   (198.51.100.2: silence)
 */
#include "config.h"

#include <net/if.h>

#include "ferry.h"
#include "io-test-netns.h"

#define CANARY "canary-7f3e1d-psk"

typedef struct {
	FerrySession *session;
	GPtrArray *events; /* FerryEvent */
	gboolean down;
	guint disconnect_after_sent; /* 0: never */
} Run;

static FerryProfile *
new_profile(const char *gateway)
{
	FerryProfile *p = ferry_profile_new();

	p->name = g_strdup("lifecycle");
	p->gateway = g_strdup(gateway);
	p->auth = FERRY_AUTH_PSK;
	p->local_id = g_strdup("client@example.net");
	p->remote_id = g_strdup("gw.example.net");
	return p;
}

static FerrySession *
new_session(const char *gateway)
{
	g_autoptr(FerryProfile) p = new_profile(gateway);
	g_autoptr(FerryProfileSecrets) s = ferry_profile_secrets_new();
	g_autoptr(GError) error = NULL;
	FerrySession *session;

	g_assert_true(ferry_profile_secrets_set(s, "psk", CANARY, NULL));
	session = ferry_session_new(p, s, &error);
	g_assert_no_error(error);
	ferry_session_set_apply_dns(session, FALSE);
	return session;
}

static void
timeline_cb(FerrySession *session, FerryEvent *event, gpointer user_data)
{
	Run *run = user_data;

	g_ptr_array_add(run->events, ferry_event_copy(event));
	if (event->type == FERRY_EVENT_SENT && run->disconnect_after_sent != 0 &&
	    --run->disconnect_after_sent == 0)
		ferry_session_disconnect(session);
}

static void
state_changed_cb(FerrySession *session, guint state, gpointer user_data)
{
	Run *run = user_data;

	if (state == FERRY_SESSION_DOWN)
		run->down = TRUE;
}

static void
run_until_down(Run *run, FerrySession *session, guint seconds)
{
	g_autoptr(GError) error = NULL;
	gint64 end = g_get_monotonic_time() + seconds * G_USEC_PER_SEC;

	run->session = session;
	run->events = g_ptr_array_new_with_free_func((GDestroyNotify)ferry_event_free);
	g_signal_connect(session, "timeline", G_CALLBACK(timeline_cb), run);
	g_signal_connect(session, "state-changed", G_CALLBACK(state_changed_cb), run);
	g_assert_true(ferry_session_connect(session, &error));
	g_assert_no_error(error);
	g_assert_cmpint(ferry_session_get_state(session), ==, FERRY_SESSION_CONNECTING);
	while (!run->down && g_get_monotonic_time() < end)
		g_main_context_iteration(NULL, TRUE);
	g_assert_true(run->down);
	g_assert_cmpint(ferry_session_get_state(session), ==, FERRY_SESSION_DOWN);
}

static guint
count_events(Run *run, FerryEventType type)
{
	guint n = 0;

	for (guint i = 0; i < run->events->len; i++)
		n += ((FerryEvent *)g_ptr_array_index(run->events, i))->type == type;
	return n;
}

static FerryEvent *
last_event(Run *run, FerryEventType type)
{
	for (guint i = run->events->len; i-- > 0;) {
		FerryEvent *e = g_ptr_array_index(run->events, i);
		if (e->type == type)
			return e;
	}
	return NULL;
}

static void
assert_no_canary(Run *run)
{
	for (guint i = 0; i < run->events->len; i++) {
		FerryEvent *e = g_ptr_array_index(run->events, i);
		g_autofree char *text = g_variant_print(e->details, FALSE);
		g_assert_null(strstr(text, CANARY));
	}
}

static void
setup_silent_gateway(void)
{
	io_test_netns_enter();
	g_free(io_test_run("ip link add veth0 type veth peer name veth1"));
	g_free(io_test_run("ip addr add 198.51.100.1/24 dev veth0"));
	g_free(io_test_run("ip link set veth0 up"));
	g_free(io_test_run("ip link set veth1 up"));
}

static void
test_new_invalid(void)
{
	g_autoptr(FerryProfile) p = new_profile("gw.example.net");
	g_autoptr(FerryProfileSecrets) s = ferry_profile_secrets_new();
	g_autoptr(GError) error = NULL;
	g_autoptr(FerrySession) session = NULL;

	/* A PSK profile without its key cannot start. */
	session = ferry_session_new(p, s, &error);
	g_assert_null(session);
	g_assert_error(error, FERRY_ERROR, FERRY_ERROR_CONFIG);
	g_assert_nonnull(strstr(error->message, "psk"));
	g_clear_error(&error);

	g_clear_pointer(&p->gateway, g_free);
	g_assert_true(ferry_profile_secrets_set(s, "psk", CANARY, NULL));
	session = ferry_session_new(p, s, &error);
	g_assert_null(session);
	g_assert_error(error, FERRY_ERROR, FERRY_ERROR_CONFIG);
	g_assert_true(g_str_has_prefix(error->message, "gateway"));
}

static void
test_tun_fails(void)
{
	g_autoptr(FerrySession) session = new_session("198.51.100.2");
	g_autoptr(GError) error = NULL;

	ferry_session_set_tun_name(session, "a-name-far-too-long-for-linux");
	g_assert_false(ferry_session_connect(session, &error));
	g_assert_error(error, FERRY_ERROR, FERRY_ERROR_IO);
	g_assert_nonnull(strstr(error->message, "TUN"));
	g_assert_cmpint(ferry_session_get_state(session), ==, FERRY_SESSION_IDLE);
}

static void
test_unreachable(void)
{
	g_autoptr(FerrySession) session = NULL;
	g_autofree char *routes_before = NULL;
	g_autofree char *routes_after = NULL;
	const GError *error;
	FerryEvent *e;
	Run run = {0};
	gint64 t0;

	if (io_test_netns_run_in_child())
		return;
	setup_silent_gateway();
	routes_before = io_test_run("ip route show table all");
	session = new_session("198.51.100.2");
	ferry_session_set_retransmit(session, 3, 100);

	t0 = g_get_monotonic_time();
	run_until_down(&run, session, 10);
	/* RFC 7296 §2.1: 3 sends, 100 + 200 + 400 ms, then give up. */
	g_assert_cmpint(g_get_monotonic_time() - t0, >=, 600 * 1000);
	g_assert_cmpint(g_get_monotonic_time() - t0, <, 3 * G_USEC_PER_SEC);
	error = ferry_session_get_error(session);
	g_assert_error((GError *)error, FERRY_ERROR, FERRY_ERROR_TIMEOUT);
	g_assert_nonnull(strstr(error->message, "198.51.100.2"));
	g_assert_cmpstr(ferry_session_get_down_reason(session), ==, "error");
	g_assert_false(ferry_session_was_up(session));

	g_assert_cmpuint(count_events(&run, FERRY_EVENT_SENT), ==, 3);
	e = g_ptr_array_index(run.events, 0);
	g_assert_cmpint(e->type, ==, FERRY_EVENT_SENT);
	g_assert_cmpstr(ferry_event_get_string(e, "exchange"), ==, "IKE_SA_INIT");
	g_assert_false(ferry_event_get_boolean(e, "retransmit"));
	g_assert_true(ferry_event_get_boolean(last_event(&run, FERRY_EVENT_SENT), "retransmit"));
	g_assert_cmpint(count_events(&run, FERRY_EVENT_UP), ==, 0);
	e = last_event(&run, FERRY_EVENT_ERROR);
	g_assert_nonnull(e);
	g_assert_cmpstr(ferry_event_get_string(e, "code"), ==, "unreachable");
	e = g_ptr_array_index(run.events, run.events->len - 1);
	g_assert_cmpint(e->type, ==, FERRY_EVENT_DOWN);
	g_assert_cmpstr(ferry_event_get_string(e, "reason"), ==, "error");
	assert_no_canary(&run);

	/* Nothing left behind. */
	g_assert_cmpuint(if_nametoindex("ferry0"), ==, 0);
	g_assert_null(ferry_session_get_tun_name(session));
	routes_after = io_test_run("ip route show table all");
	g_assert_cmpstr(routes_after, ==, routes_before);
	g_ptr_array_unref(run.events);
}

static void
test_cancel_before_up(void)
{
	g_autoptr(FerrySession) session = NULL;
	const GError *error;
	Run run = {.disconnect_after_sent = 2};

	if (io_test_netns_run_in_child())
		return;
	setup_silent_gateway();
	session = new_session("198.51.100.2");
	ferry_session_set_retransmit(session, 5, 50);
	run_until_down(&run, session, 10);
	error = ferry_session_get_error(session);
	g_assert_error((GError *)error, FERRY_ERROR, FERRY_ERROR_CANCELLED);
	g_assert_cmpstr(ferry_session_get_down_reason(session), ==, "user");
	g_assert_cmpuint(count_events(&run, FERRY_EVENT_SENT), ==, 2);
	g_assert_cmpstr(ferry_event_get_string(last_event(&run, FERRY_EVENT_ERROR), "code"), ==,
	                "interrupted");
	g_assert_cmpuint(if_nametoindex("ferry0"), ==, 0);
	/* Disconnecting a finished session changes nothing. */
	ferry_session_disconnect(session);
	g_assert_cmpint(ferry_session_get_state(session), ==, FERRY_SESSION_DOWN);
	g_ptr_array_unref(run.events);
}

static void
test_resolve_fails(void)
{
	g_autoptr(FerrySession) session = NULL;
	const GError *error;
	Run run = {0};

	if (io_test_netns_run_in_child())
		return;
	io_test_netns_enter();
	session = new_session("gw.ferry-test.invalid");
	run_until_down(&run, session, 20);
	error = ferry_session_get_error(session);
	g_assert_error((GError *)error, FERRY_ERROR, FERRY_ERROR_RESOLVE);
	g_assert_nonnull(strstr(error->message, "gw.ferry-test.invalid"));
	g_assert_cmpuint(count_events(&run, FERRY_EVENT_SENT), ==, 0);
	g_assert_cmpuint(if_nametoindex("ferry0"), ==, 0);
	g_ptr_array_unref(run.events);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/ferry/session/lifecycle/new-invalid", test_new_invalid);
	g_test_add_func("/ferry/session/lifecycle/tun-fails", test_tun_fails);
	g_test_add_func("/ferry/session/lifecycle/unreachable", test_unreachable);
	g_test_add_func("/ferry/session/lifecycle/cancel-before-up", test_cancel_before_up);
	g_test_add_func("/ferry/session/lifecycle/resolve-fails", test_resolve_fails);
	return g_test_run();
}
