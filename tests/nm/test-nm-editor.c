/* test-nm-editor.c - the GTK 4 editor widget: every key through the widget and back, editing,
 * validation marks, method-dependent fields; optionally a screenshot (FERRY_EDITOR_SCREENSHOT) */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <gtk/gtk.h>

#include "nm-ferry-keys.h"

static const char *plugin_path;

/* Four connections that together set every key of the table to a non-default value; each
 * lists every secret its method uses with explicit flags. */
static const char *const connections[] = {
	/* certificate, then EAP; every server and most advanced keys */
	"gateway=vpn.example.com\nport=4500\nremote-id=@gw.example.com\nremote-id-match=loose\n"
	"ca-certs=/etc/ferry/ca.pem,/etc/ferry/ca2.pem\nserver-cert=/etc/ferry/gw.pem\n"
	"auth=cert+eap\nlocal-id=alice@example.com\neap-identity=alice\n"
	"client-pkcs12=/etc/ferry/alice.p12\n"
	"secret:password=canary-password\nflags:password=1\n"
	"secret:key-passphrase=canary-passphrase\nflags:key-passphrase=0\nflags:pin=2\n"
	"ike-proposals=aes256gcm16-prfsha384-ecp384\nesp-proposals=aes128gcm16-ecp256\npfs=yes\n"
	"include-subnets=10.0.0.0/8,192.0.2.0/24\nexclude-subnets=10.1.2.3-10.1.2.9\n"
	"dns-servers=203.0.113.53,2001:db8::53\ndns-search-domains=corp.example.com\n"
	"dns-split-domains=example.com,internal.example.net\nmtu=1400\nencap=force\n"
	"nat-keepalive=25\ndpd=0\nike-lifetime=28800\nchild-lifetime=7200\n"
	"ipv6-transport=yes\nvirtual-ip6=no\nrsa-pss=yes\nsend-certreq=no",
	/* pre-shared key kept by the user's agent; AH */
	"gateway=198.51.100.1\nauth=psk\nsecret:psk=canary-psk-0123456789\nflags:psk=1\nprotocol="
	"ah\n"
	"esp-proposals=sha384",
	/* certificate and key files; transport mode */
	"gateway=198.51.100.1\nauth=cert\nclient-cert=/etc/ferry/alice.pem\n"
	"client-key=/etc/ferry/alice.key\nflags:key-passphrase=4\nflags:pin=0\n"
	"mode=transport\nvirtual-ip4=no\nvirtual-ip6=no\npfs=no",
	/* EAP-TLS from a smart card */
	"gateway=198.51.100.1\nauth=eap-tls\neap-identity=alice\neap-only=yes\n"
	"client-pkcs11-uri=pkcs11:token=corp;object=alice\nsecret:pin=123456\nflags:pin=0\n"
	"flags:key-passphrase=1",
};

static NMConnection *
connection_new(const char *items)
{
	NMConnection *c = nm_simple_connection_new();
	NMSetting *s_con = nm_setting_connection_new();
	NMSettingVpn *s_vpn = NM_SETTING_VPN(nm_setting_vpn_new());
	g_auto(GStrv) lines = g_strsplit(items, "\n", -1);

	g_object_set(s_con, NM_SETTING_CONNECTION_ID, "Corp VPN", NM_SETTING_CONNECTION_UUID,
	             "0f8b3b1e-3c7a-4d2e-9b7f-5d6a1e2c3b4a", NM_SETTING_CONNECTION_TYPE,
	             NM_SETTING_VPN_SETTING_NAME, NULL);
	g_object_set(s_vpn, NM_SETTING_VPN_SERVICE_TYPE, NM_FERRY_VPN_SERVICE_TYPE, NULL);
	for (guint i = 0; lines[i]; i++) {
		const char *eq = strchr(lines[i], '=');
		g_autofree char *key = g_strndup(lines[i], eq - lines[i]);

		if (g_str_has_prefix(key, "secret:"))
			nm_setting_vpn_add_secret(s_vpn, key + 7, eq + 1);
		else if (g_str_has_prefix(key, "flags:"))
			nm_setting_set_secret_flags(NM_SETTING(s_vpn), key + 6,
			                            (NMSettingSecretFlags)atoi(eq + 1), NULL);
		else
			nm_setting_vpn_add_data_item(s_vpn, key, eq + 1);
	}
	nm_connection_add_setting(c, s_con);
	nm_connection_add_setting(c, NM_SETTING(s_vpn));
	return c;
}

static NMVpnEditor *
editor_new(NMConnection *connection)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(NMVpnEditorPlugin) plugin = nm_vpn_editor_plugin_load_from_file(
		plugin_path, NM_FERRY_VPN_SERVICE_TYPE, getuid(), NULL, NULL, &error);
	NMVpnEditor *editor;

	g_assert_no_error(error);
	/* Through the GTK-free plugin, which loads the GTK 4 library beside it. */
	editor = nm_vpn_editor_plugin_get_editor(plugin, connection, &error);
	g_assert_no_error(error);
	g_assert_true(GTK_IS_WIDGET(nm_vpn_editor_get_widget(editor)));
	return editor;
}

static GObject *
field(NMVpnEditor *editor, const char *id)
{
	GtkBuilder *builder =
		g_object_get_data(nm_vpn_editor_get_widget(editor), "nm-ferry-builder");
	GObject *w = gtk_builder_get_object(builder, id);

	g_assert_nonnull(w);
	return w;
}

static void
assert_same_setting(NMSettingVpn *a, NMSettingVpn *b)
{
	guint na = 0, nb = 0, sa = 0, sb = 0;
	g_autofree const char **ka = nm_setting_vpn_get_data_keys(a, &na);
	g_autofree const char **kb = nm_setting_vpn_get_data_keys(b, &nb);
	g_autofree const char **xa = nm_setting_vpn_get_secret_keys(a, &sa);
	g_autofree const char **xb = nm_setting_vpn_get_secret_keys(b, &sb);

	for (guint i = 0; i < na; i++) {
		const char *va = nm_setting_vpn_get_data_item(a, ka[i]);
		const char *vb = nm_setting_vpn_get_data_item(b, ka[i]);

		if (g_strcmp0(va, vb) != 0)
			g_error("%s: '%s' came back from the editor as '%s'", ka[i], va,
			        vb ? vb : "(absent)");
	}
	for (guint i = 0; i < nb; i++) {
		if (!nm_setting_vpn_get_data_item(a, kb[i]))
			g_error("%s=%s appeared", kb[i], nm_setting_vpn_get_data_item(b, kb[i]));
	}
	for (guint i = 0; i < sa; i++)
		g_assert_cmpstr(nm_setting_vpn_get_secret(a, xa[i]), ==,
		                nm_setting_vpn_get_secret(b, xa[i]));
	for (guint i = 0; i < sb; i++)
		g_assert_nonnull(nm_setting_vpn_get_secret(a, xb[i]));
	g_assert_cmpuint(sa, ==, sb);
}

/* Connection -> widgets -> connection gives back every key, secret and flag. */
static void
test_round_trip(gconstpointer data)
{
	const char *items = data;
	g_autoptr(NMConnection) original = connection_new(items);
	g_autoptr(NMConnection) edited = nm_simple_connection_new_clone(original);
	g_autoptr(NMVpnEditor) editor = editor_new(original);
	g_autoptr(GError) error = NULL;

	nm_connection_remove_setting(edited, NM_TYPE_SETTING_VPN);
	g_assert_true(nm_vpn_editor_update_connection(editor, edited, &error));
	g_assert_no_error(error);
	assert_same_setting(nm_connection_get_setting_vpn(original),
	                    nm_connection_get_setting_vpn(edited));
}

/* The four connections use every key of the table. */
static void
test_cover_table(void)
{
	const NMFerryKey *keys;
	guint n;

	keys = nm_ferry_keys_get_all(&n);
	for (guint i = 0; i < n; i++) {
		gboolean used = FALSE;

		for (gsize c = 0; c < G_N_ELEMENTS(connections); c++) {
			g_autofree char *data = g_strdup_printf("\n%s=", keys[i].name);
			g_autofree char *secret = g_strdup_printf("secret:%s=", keys[i].name);
			g_autofree char *all = g_strconcat("\n", connections[c], NULL);

			used |= strstr(all, data) || strstr(all, secret);
		}
		if (!used)
			g_error("no editor round trip sets %s", keys[i].name);
	}
}

static guint changes;

static void
changed_cb(NMVpnEditor *editor, gpointer data)
{
	changes++;
}

/* Typing into fields changes the connection, and the editor says so. */
static void
test_edit(void)
{
	g_autoptr(NMConnection) c = connection_new(connections[1]);
	g_autoptr(NMVpnEditor) editor = editor_new(c);
	g_autoptr(GError) error = NULL;
	NMSettingVpn *s_vpn;
	NMSettingSecretFlags flags = 99;

	changes = 0;
	g_signal_connect(editor, "changed", G_CALLBACK(changed_cb), NULL);
	gtk_editable_set_text(GTK_EDITABLE(field(editor, "gateway")), "  vpn2.example.com ");
	gtk_drop_down_set_selected(GTK_DROP_DOWN(field(editor, "encap")), 1);
	gtk_editable_set_text(GTK_EDITABLE(field(editor, "psk")), "canary-new-psk-0123456789");
	gtk_drop_down_set_selected(GTK_DROP_DOWN(field(editor, "psk-flags")), 0);
	gtk_spin_button_set_value(GTK_SPIN_BUTTON(field(editor, "port")), 4500);
	gtk_check_button_set_active(GTK_CHECK_BUTTON(field(editor, "virtual-ip6")), FALSE);
	g_assert_cmpuint(changes, >=, 6);

	g_assert_true(nm_vpn_editor_update_connection(editor, c, &error));
	g_assert_no_error(error);
	s_vpn = nm_connection_get_setting_vpn(c);
	g_assert_cmpstr(nm_setting_vpn_get_data_item(s_vpn, "gateway"), ==, "vpn2.example.com");
	g_assert_cmpstr(nm_setting_vpn_get_data_item(s_vpn, "encap"), ==, "force");
	g_assert_cmpstr(nm_setting_vpn_get_data_item(s_vpn, "port"), ==, "4500");
	g_assert_cmpstr(nm_setting_vpn_get_data_item(s_vpn, "virtual-ip6"), ==, "no");
	g_assert_cmpstr(nm_setting_vpn_get_secret(s_vpn, "psk"), ==, "canary-new-psk-0123456789");
	g_assert_true(nm_setting_get_secret_flags(NM_SETTING(s_vpn), "psk", &flags, NULL));
	g_assert_cmpint(flags, ==, NM_SETTING_SECRET_FLAG_NONE);

	/* "Ask every time": the typed secret is not stored. */
	gtk_drop_down_set_selected(GTK_DROP_DOWN(field(editor, "psk-flags")), 2);
	g_assert_true(nm_vpn_editor_update_connection(editor, c, &error));
	s_vpn = nm_connection_get_setting_vpn(c);
	g_assert_null(nm_setting_vpn_get_secret(s_vpn, "psk"));
	g_assert_true(nm_setting_get_secret_flags(NM_SETTING(s_vpn), "psk", &flags, NULL));
	g_assert_cmpint(flags, ==, NM_SETTING_SECRET_FLAG_NOT_SAVED);
}

/* A bad value fails the update, names the key, and marks its widget until fixed. */
static void
test_validation(void)
{
	g_autoptr(NMConnection) c = connection_new(connections[1]);
	g_autoptr(NMVpnEditor) editor = editor_new(c);
	g_autoptr(GError) error = NULL;
	GtkWidget *mtu = GTK_WIDGET(field(editor, "mtu"));
	GtkWidget *dns = GTK_WIDGET(field(editor, "dns-servers"));

	gtk_spin_button_set_value(GTK_SPIN_BUTTON(mtu), 100);
	g_assert_false(nm_vpn_editor_update_connection(editor, c, &error));
	g_assert_error(error, NM_CONNECTION_ERROR, NM_CONNECTION_ERROR_INVALID_PROPERTY);
	g_assert_true(g_str_has_prefix(error->message, "mtu: "));
	g_assert_true(gtk_widget_has_css_class(mtu, "error"));
	g_clear_error(&error);

	gtk_spin_button_set_value(GTK_SPIN_BUTTON(mtu), 1400);
	gtk_editable_set_text(GTK_EDITABLE(dns), "203.0.113.53, resolver.example.com");
	g_assert_false(nm_vpn_editor_update_connection(editor, c, &error));
	g_assert_true(g_str_has_prefix(error->message, "dns-servers: "));
	g_assert_false(gtk_widget_has_css_class(mtu, "error"));
	g_assert_true(gtk_widget_has_css_class(dns, "error"));
	g_clear_error(&error);

	gtk_editable_set_text(GTK_EDITABLE(dns), "203.0.113.53");
	g_assert_true(nm_vpn_editor_update_connection(editor, c, &error));
	g_assert_no_error(error);
	g_assert_false(gtk_widget_has_css_class(dns, "error"));
	g_assert_cmpstr(nm_setting_vpn_get_data_item(nm_connection_get_setting_vpn(c), "mtu"), ==,
	                "1400");
}

/* Switching the method shows its fields only, and saves no credential of the old one. */
static void
test_method_switch(void)
{
	g_autoptr(NMConnection) c = connection_new(connections[0]);
	g_autoptr(NMVpnEditor) editor = editor_new(c);
	g_autoptr(GError) error = NULL;
	NMSettingVpn *s_vpn;

	g_assert_true(gtk_widget_get_visible(GTK_WIDGET(field(editor, "client-pkcs12"))));
	g_assert_false(gtk_widget_get_visible(GTK_WIDGET(field(editor, "psk"))));
	gtk_drop_down_set_selected(GTK_DROP_DOWN(field(editor, "auth")), FERRY_AUTH_PSK);
	g_assert_false(gtk_widget_get_visible(GTK_WIDGET(field(editor, "client-pkcs12"))));
	g_assert_false(gtk_widget_get_visible(GTK_WIDGET(field(editor, "client-pkcs12-label"))));
	g_assert_false(gtk_widget_get_visible(GTK_WIDGET(field(editor, "password-flags"))));
	g_assert_true(gtk_widget_get_visible(GTK_WIDGET(field(editor, "psk"))));
	g_assert_true(nm_vpn_editor_update_connection(editor, c, &error));
	g_assert_no_error(error);
	s_vpn = nm_connection_get_setting_vpn(c);
	g_assert_cmpstr(nm_setting_vpn_get_data_item(s_vpn, "auth"), ==, "psk");
	g_assert_null(nm_setting_vpn_get_data_item(s_vpn, "client-pkcs12"));
	g_assert_null(nm_setting_vpn_get_data_item(s_vpn, "eap-identity"));
	g_assert_null(nm_setting_vpn_get_secret(s_vpn, "password"));
	g_assert_cmpstr(nm_setting_vpn_get_data_item(s_vpn, "gateway"), ==, "vpn.example.com");
}

/* A key neither the editor nor the profile library knows cannot be saved: the error names
 * it (a typo must not silently drop a setting). */
static void
test_unknown_key_refused(void)
{
	g_autoptr(NMConnection) c = connection_new(connections[1]);
	g_autoptr(NMVpnEditor) editor = NULL;
	g_autoptr(GError) error = NULL;

	nm_setting_vpn_add_data_item(nm_connection_get_setting_vpn(c), "future-key", "1");
	editor = editor_new(c);
	g_assert_false(nm_vpn_editor_update_connection(editor, c, &error));
	g_assert_true(g_str_has_prefix(error->message, "future-key: "));
}

static void
save_screenshot(const char *path)
{
	g_autoptr(NMConnection) c = connection_new(connections[0]);
	g_autoptr(NMVpnEditor) editor = editor_new(c);
	GtkWidget *window = gtk_window_new();
	GtkWidget *widget = GTK_WIDGET(nm_vpn_editor_get_widget(editor));
	g_autoptr(GdkPaintable) paintable = NULL;
	g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new();
	g_autoptr(GskRenderNode) node = NULL;
	g_autoptr(GdkTexture) texture = NULL;
	GskRenderer *renderer;
	int w, h;

	gtk_expander_set_expanded(GTK_EXPANDER(field(editor, "advanced-expander")), TRUE);
	gtk_window_set_child(GTK_WINDOW(window), widget);
	gtk_window_set_default_size(GTK_WINDOW(window), 720, -1);
	gtk_window_present(GTK_WINDOW(window));
	for (int i = 0; i < 200; i++)
		g_main_context_iteration(NULL, FALSE);
	while (g_main_context_pending(NULL))
		g_main_context_iteration(NULL, FALSE);
	w = gtk_widget_get_width(widget);
	h = gtk_widget_get_height(widget);
	paintable = gtk_widget_paintable_new(widget);
	gdk_paintable_snapshot(paintable, GDK_SNAPSHOT(snapshot), w, h);
	node = gtk_snapshot_to_node(snapshot);
	renderer = gtk_native_get_renderer(GTK_NATIVE(window));
	g_assert_nonnull(node);
	texture = gsk_renderer_render_texture(renderer, node, &GRAPHENE_RECT_INIT(0, 0, w, h));
	g_assert_true(gdk_texture_save_to_png(texture, path));
	g_test_message("editor screenshot (%dx%d) written to %s", w, h, path);
	gtk_window_destroy(GTK_WINDOW(window));
}

static void
test_screenshot(void)
{
	const char *path = g_getenv("FERRY_EDITOR_SCREENSHOT");

	if (!path) {
		g_test_skip("set FERRY_EDITOR_SCREENSHOT=file.png to render the editor");
		return;
	}
	save_screenshot(path);
}

int
main(int argc, char **argv)
{
	g_autoptr(GTestDBus) bus = NULL;
	g_autofree char *display = NULL;
	int ret;

	g_test_init(&argc, &argv, NULL);
	if (argc != 2) {
		g_printerr("usage: %s PLUGIN.so\n", argv[0]);
		return 1;
	}
	plugin_path = argv[1];
	/* GTK looks for a session bus (portals, accessibility); give it a private one. */
	display = g_strdup(g_getenv("DISPLAY"));
	bus = g_test_dbus_new(G_TEST_DBUS_NONE);
	g_test_dbus_up(bus);
	/* GTestDBus unsets DISPLAY (against X11 autolaunch); the X server is ours. */
	if (display)
		g_setenv("DISPLAY", display, TRUE);
	if (!gtk_init_check()) {
		g_test_skip("no display (run under xvfb-run)");
		ret = g_test_run();
		g_test_dbus_down(bus);
		return ret;
	}
	for (gsize i = 0; i < G_N_ELEMENTS(connections); i++) {
		g_autofree char *path =
			g_strdup_printf("/ferry/nm/editor/round-trip/%" G_GSIZE_FORMAT, i);

		g_test_add_data_func(path, connections[i], test_round_trip);
	}
	g_test_add_func("/ferry/nm/editor/cover-table", test_cover_table);
	g_test_add_func("/ferry/nm/editor/edit", test_edit);
	g_test_add_func("/ferry/nm/editor/validation", test_validation);
	g_test_add_func("/ferry/nm/editor/method-switch", test_method_switch);
	g_test_add_func("/ferry/nm/editor/unknown-key", test_unknown_key_refused);
	g_test_add_func("/ferry/nm/editor/screenshot", test_screenshot);
	ret = g_test_run();
	g_test_dbus_down(bus);
	return ret;
}
