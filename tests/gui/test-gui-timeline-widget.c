/* test-gui-timeline-widget.c - FerryTimeline and FerryStatusPanel drawn (under Xvfb)
 *
 * The panel follows a Session object exported by nm-ferry-service-state.c on a private bus,
 * as the GUI follows nm-ferry-service's; what it shows is read back from the widgets, and a
 * screenshot is written (gui-timeline.png in the build directory) for people to look at.
 */
#include "config.h"

#include <string.h>

#include "ferry-status-panel.h"
#include "ferry-timeline.h"
#include "gui-test.h"
#include "nm-ferry-service-state.h"

#define UUID "0c7c5c51-9f0e-4c5e-8f3a-2d1a7c0ffee1"

static void
add_event(NMFerryServiceState *state, const char *type, double time, const char *details)
{
	g_autoptr(GError) error = NULL;
	GVariant *d = g_variant_parse(G_VARIANT_TYPE_VARDICT, details, NULL, NULL, &error);

	g_assert_no_error(error);
	nm_ferry_service_state_add_event(state, type, time, d);
}

/* What nm-ferry-service exports for a PSK connection that came up and rekeyed once. */
static void
play_connect(NMFerryServiceState *s)
{
	nm_ferry_service_state_set_connection(s, UUID, "Office VPN", "vpn.example.net",
	                                      "alice@example.net");
	nm_ferry_service_state_set_phase(s, "connecting");
	add_event(s, "sent", 0.0012,
	          "{'exchange': <'IKE_SA_INIT'>, 'message_id': <@u 0>, 'bytes': <@t 336>, "
	          "'retransmit': <false>}");
	add_event(s, "received", 0.0041,
	          "{'exchange': <'IKE_SA_INIT'>, 'message_id': <@u 0>, 'bytes': <@t 38>}");
	add_event(s, "ke-retry", 0.0042, "{'group': <'ECP_256'>}");
	add_event(s, "sent", 0.0051,
	          "{'exchange': <'IKE_SA_INIT'>, 'message_id': <@u 0>, 'bytes': <@t 368>, "
	          "'retransmit': <false>}");
	add_event(s, "received", 0.0093,
	          "{'exchange': <'IKE_SA_INIT'>, 'message_id': <@u 0>, 'bytes': <@t 320>}");
	add_event(s, "ike-proposal", 0.0101,
	          "{'proposal': <'AES_GCM_16_256/PRF_HMAC_SHA2_256/ECP_256'>}");
	add_event(s, "sent", 0.0113,
	          "{'exchange': <'IKE_AUTH'>, 'message_id': <@u 1>, 'bytes': <@t 432>, "
	          "'retransmit': <false>}");
	add_event(s, "received", 0.0187,
	          "{'exchange': <'IKE_AUTH'>, 'message_id': <@u 1>, 'bytes': <@t 400>}");
	add_event(s, "authenticated", 0.0189, "{'method': <'PSK'>, 'peer': <'gw.example.net'>}");
	add_event(s, "config", 0.0189,
	          "{'ip4': <'203.0.113.130'>, 'ip6': <'2001:db8:cafe::2'>, "
	          "'dns': <['203.0.113.53']>, 'domains': <['corp.example.net']>}");
	add_event(
		s, "child-sa", 0.0195,
		"{'protocol': <'ESP'>, 'mode': <'tunnel'>, 'proposal': <'AES_GCM_16_256/NO_ESN'>, "
		"'spi_in': <'c4a81f02'>, 'spi_out': <'d1e2f3a4'>, "
		"'ts_local': <['203.0.113.130/32']>, 'ts_remote': <['203.0.113.0/25']>}");
	add_event(s, "up", 0.0231,
	          "{'tun': <'tun0'>, 'ip4': <'203.0.113.130/32'>, 'ip6': <'2001:db8:cafe::2/128'>, "
	          "'dns': <['203.0.113.53']>, 'routes': <['203.0.113.0/25']>}");
	nm_ferry_service_state_set_phase(s, "up");
	nm_ferry_service_state_set_stats(s, 48 * 1024, 12 * 1024 + 300, 61, 58, 0);
	add_event(s, "received", 10.0,
	          "{'exchange': <'CREATE_CHILD_SA'>, 'message_id': <@u 0>, 'bytes': <@t 352>}");
	add_event(s, "sent", 10.002,
	          "{'exchange': <'CREATE_CHILD_SA'>, 'message_id': <@u 0>, 'bytes': <@t 336>, "
	          "'retransmit': <false>}");
	add_event(s, "child-sa", 10.003,
	          "{'protocol': <'ESP'>, 'mode': <'tunnel'>, "
	          "'proposal': <'AES_GCM_16_256/ECP_256/NO_ESN'>, 'spi_in': <'c7700e11'>, "
	          "'spi_out': <'da7a0b0e'>, 'ts_local': <['203.0.113.130/32']>, "
	          "'ts_remote': <['203.0.113.0/25']>}");
	add_event(s, "rekeyed", 10.003, "{'what': <'CHILD_SA'>}");
}

static gboolean
contains(const char *text, const char *needle)
{
	if (strstr(text, needle) != NULL)
		return TRUE;
	g_test_message("not found: %s\nin:\n%s", needle, text);
	return FALSE;
}

static void
wait_for_text(FerryStatusPanel *panel, const char *needle)
{
	gint64 end = g_get_monotonic_time() + 5 * G_USEC_PER_SEC;

	while (g_get_monotonic_time() < end) {
		g_autofree char *text = ferry_status_panel_dup_text(panel);

		if (strstr(text, needle) != NULL)
			return;
		g_main_context_iteration(NULL, FALSE);
		g_usleep(1000);
	}
	{
		g_autofree char *text = ferry_status_panel_dup_text(panel);
		g_assert_true(contains(text, needle));
	}
}

static void
test_panel(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GDBusConnection) service = NULL;
	g_autoptr(GDBusConnection) client = NULL;
	g_autoptr(NMFerryServiceState) state = NULL;
	g_autofree char *text = NULL;
	g_autofree char *path = g_test_build_filename(G_TEST_BUILT, "gui-timeline.png", NULL);
	g_autofree char *dump = g_test_build_filename(G_TEST_BUILT, "gui-timeline.txt", NULL);
	GtkWidget *window, *scrolled, *clamp;
	FerryStatusPanel *panel;

	client = g_bus_get_sync(G_BUS_TYPE_SESSION, NULL, &error);
	g_assert_no_error(error);
	service = g_dbus_connection_new_for_address_sync(
		g_getenv("DBUS_SESSION_BUS_ADDRESS"),
		G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT |
			G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
		NULL, NULL, &error);
	g_assert_no_error(error);
	g_dbus_connection_call_sync(
		service, "org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus",
		"RequestName", g_variant_new("(su)", "org.freedesktop.NetworkManager.ferry", 4),
		NULL, G_DBUS_CALL_FLAGS_NONE, -1, NULL, &error);
	g_assert_no_error(error);
	state = nm_ferry_service_state_new(service, &error);
	g_assert_no_error(error);

	g_setenv("FERRY_GUI_DUMP_TIMELINE", dump, TRUE);
	panel = FERRY_STATUS_PANEL(ferry_status_panel_new(NULL));
	window = gtk_window_new();
	gtk_window_set_default_size(GTK_WINDOW(window), 760, 1000);
	scrolled = gtk_scrolled_window_new();
	clamp = adw_clamp_new();
	adw_clamp_set_maximum_size(ADW_CLAMP(clamp), 720);
	gtk_widget_set_margin_top(GTK_WIDGET(panel), 24);
	gtk_widget_set_margin_bottom(GTK_WIDGET(panel), 24);
	gtk_widget_set_margin_start(GTK_WIDGET(panel), 12);
	gtk_widget_set_margin_end(GTK_WIDGET(panel), 12);
	adw_clamp_set_child(ADW_CLAMP(clamp), GTK_WIDGET(panel));
	gtk_scrolled_window_set_child(GTK_SCROLLED_WINDOW(scrolled), clamp);
	gtk_window_set_child(GTK_WINDOW(window), scrolled);
	gtk_window_present(GTK_WINDOW(window));

	/* Nothing yet: the placeholder. */
	ferry_status_panel_follow(panel, client, UUID, "Office VPN");
	text = ferry_status_panel_dup_text(panel);
	g_assert_true(contains(text, "Office VPN\nDisconnected\n"));
	g_clear_pointer(&text, g_free);

	play_connect(state);
	wait_for_text(panel, "Rekey CHILD_SA");
	wait_for_text(panel, "↓ 48.0 KiB (61 packets)");
	wait_for_text(panel, "Connected · up 0:");
	text = ferry_status_panel_dup_text(panel);
	g_test_message("%s", text);
	/* Up before the panel looked: counted from the service process's start (this one). */
	g_assert_true(contains(text, "Office VPN\nConnected · up 0:"));
	g_assert_true(
		contains(text, "Addresses: 203.0.113.130/32, 2001:db8:cafe::2/128 on tun0\n"));
	g_assert_true(contains(text, "DNS: 203.0.113.53\n"));
	g_assert_true(contains(text, "Gateway: vpn.example.net, identity gw.example.net\n"));
	g_assert_true(contains(text, "✓ IKE_SA_INIT +1 ms · took 9 ms\n"
	                             "AES-GCM-256 · PRF HMAC-SHA2-256 · NIST P-256\n"
	                             "AES_GCM_16_256/PRF_HMAC_SHA2_256/ECP_256\n"
	                             "→ sent, message 0, 336 bytes +1 ms\n"));
	g_assert_true(contains(text, "INVALID_KE_PAYLOAD"));
	g_assert_true(contains(text, "✓ IKE_AUTH +11 ms"));
	g_assert_true(contains(text, "Gateway authenticated by pre-shared key\n"));
	g_assert_true(contains(text, "✓ CHILD_SA +20 ms\nAES-GCM-256\n"));
	g_assert_true(contains(text, "Traffic selectors: 203.0.113.130/32 ⇄ 203.0.113.0/25"));
	g_assert_true(contains(text, "⇅ Protected traffic +23 ms\nTunnel tun0"));
	/* Counters the service had before the GUI looked are shown too. */
	g_assert_true(contains(text, "↓ 48.0 KiB in (61 packets) · ↑ 12.3 KiB out (58 packets)"));
	g_assert_true(contains(text, "✓ Rekey CHILD_SA +10.0 s"));
	/* The dump hook wrote the same text. */
	{
		g_autofree char *dumped = NULL;

		g_assert_true(g_file_get_contents(dump, &dumped, NULL, NULL));
		g_assert_cmpstr(dumped, ==, text);
	}
	for (int i = 0; i < 500 && gtk_widget_get_width(window) == 0; i++) {
		gui_test_iterate();
		g_usleep(10000);
	}
	gui_test_snapshot(window, path);
	g_assert_true(ferry_status_panel_save_screenshot(panel, path, &error));
	g_assert_no_error(error);

	/* The gateway goes away: the traffic step fails in place with the error. */
	add_event(state, "error", 75.0,
	          "{'code': <'unreachable'>, 'message': <'the gateway stopped answering'>}");
	add_event(state, "down", 75.0, "{'reason': <'error'>}");
	nm_ferry_service_state_set_error(state, "the gateway stopped answering");
	nm_ferry_service_state_set_phase(state, "down");
	wait_for_text(panel, "✕ Disconnected");
	wait_for_text(panel, "Failed: the gateway stopped answering");
	g_clear_pointer(&text, g_free);
	text = ferry_status_panel_dup_text(panel);
	g_assert_true(contains(text, "Office VPN\nFailed: the gateway stopped answering\n"));
	g_assert_true(contains(text, "✕ Protected traffic"));
	g_assert_true(contains(text, "Routes: 203.0.113.0/25\nthe gateway stopped answering\n"));
	g_assert_true(contains(text, "✕ Disconnected +75.0 s\nEnded by an error\n"));
	{
		g_autofree char *failed =
			g_test_build_filename(G_TEST_BUILT, "gui-timeline-failed.png", NULL);
		gui_test_iterate();
		gui_test_snapshot(window, failed);
	}
	ferry_status_panel_follow(panel, NULL, NULL, NULL);
	gtk_window_destroy(GTK_WINDOW(window));
	g_unsetenv("FERRY_GUI_DUMP_TIMELINE");
	gui_test_iterate();
	g_dbus_connection_close_sync(service, NULL, NULL);
}

/* The widget alone: rows in, the same rows read back, the placeholder without. */
static void
test_timeline(void)
{
	g_autoptr(FerryTimelineRows) rows = ferry_timeline_rows_new();
	GtkWidget *timeline = g_object_ref_sink(ferry_timeline_new());
	g_autofree char *empty = ferry_timeline_dup_text(FERRY_TIMELINE(timeline));
	g_autofree char *text = NULL;
	g_autoptr(GVariant) d = g_variant_ref_sink(g_variant_new_parsed(
		"{'code': <'resolve'>, 'message': <'cannot resolve vpn.example.net'>}"));

	g_assert_cmpstr(empty, ==, "");
	ferry_timeline_rows_add_event(rows, "error", 0.0, d);
	ferry_timeline_update(FERRY_TIMELINE(timeline), rows);
	text = ferry_timeline_dup_text(FERRY_TIMELINE(timeline));
	g_assert_cmpstr(text, ==, "✕ Error +0 ms\ncannot resolve vpn.example.net\n");
	ferry_timeline_update(FERRY_TIMELINE(timeline), NULL);
	g_clear_pointer(&text, g_free);
	text = ferry_timeline_dup_text(FERRY_TIMELINE(timeline));
	g_assert_cmpstr(text, ==, "");
	g_object_unref(timeline);
}

int
main(int argc, char **argv)
{
	if (!gui_test_init(&argc, &argv)) {
		g_test_skip("no display");
		return g_test_run();
	}
	g_test_add_func("/ferry/gui/timeline-widget/timeline", test_timeline);
	g_test_add_func("/ferry/gui/timeline-widget/panel", test_panel);
	return g_test_run();
}
