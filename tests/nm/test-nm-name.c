/* test-nm-name.c - the plugin descriptor (.name) and D-Bus policy NetworkManager reads */
#include "config.h"

#include <string.h>

#include <NetworkManager.h>

#include "nm-ferry-keys.h"

static const char *name_file;
static const char *policy_file;

static void
test_name(void)
{
	g_autoptr(GKeyFile) kf = g_key_file_new();
	g_autoptr(GError) error = NULL;
	g_autoptr(NMVpnPluginInfo) info = NULL;

	g_assert_true(g_key_file_load_from_file(kf, name_file, G_KEY_FILE_NONE, &error));
	g_assert_no_error(error);
	/* libnm's own parser, the one NetworkManager and nmcli use. */
	info = nm_vpn_plugin_info_new_with_data(name_file, kf, &error);
	g_assert_no_error(error);
	g_assert_cmpstr(nm_vpn_plugin_info_get_name(info), ==, NM_FERRY_VPN_NAME);
	g_assert_cmpstr(nm_vpn_plugin_info_get_service(info), ==, NM_FERRY_VPN_SERVICE_TYPE);
	g_assert_true(nm_vpn_plugin_info_supports_multiple(info));
	g_assert_true(g_path_is_absolute(nm_vpn_plugin_info_get_program(info)));
	g_assert_true(g_str_has_suffix(nm_vpn_plugin_info_get_program(info), "/nm-ferry-service"));
	g_assert_true(g_str_has_suffix(nm_vpn_plugin_info_get_plugin(info),
	                               "/libnm-vpn-plugin-ferry.so"));
	g_assert_true(g_str_has_suffix(nm_vpn_plugin_info_get_auth_dialog(info),
	                               "/nm-ferry-auth-dialog"));
	g_assert_true(nm_vpn_plugin_info_supports_hints(info));
	g_assert_cmpstr(
		nm_vpn_plugin_info_lookup_property(info, "GNOME", "supports-external-ui-mode"), ==,
		"true");
}

typedef struct {
	guint owner_rules; /* own_prefix rules naming our service */
	gboolean root_allowed, others_denied;
	const char *context;
} PolicyScan;

static void
policy_start(GMarkupParseContext *ctx,
             const char *element,
             const char **names,
             const char **values,
             gpointer data,
             GError **error)
{
	PolicyScan *scan = data;

	for (guint i = 0; names[i]; i++) {
		if (strcmp(element, "policy") == 0)
			scan->context = g_intern_string(values[i]);
		if (strcmp(names[i], "own_prefix") != 0 ||
		    strcmp(values[i], NM_FERRY_VPN_SERVICE_TYPE) != 0)
			continue;
		scan->owner_rules++;
		if (strcmp(element, "allow") == 0 && g_strcmp0(scan->context, "root") == 0)
			scan->root_allowed = TRUE;
		if (strcmp(element, "deny") == 0 && g_strcmp0(scan->context, "default") == 0)
			scan->others_denied = TRUE;
	}
}

static void
test_policy(void)
{
	static const GMarkupParser parser = {.start_element = policy_start};
	g_autofree char *xml = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(GMarkupParseContext) ctx = NULL;
	PolicyScan scan = {0};
	gsize len;

	g_assert_true(g_file_get_contents(policy_file, &xml, &len, &error));
	ctx = g_markup_parse_context_new(&parser, G_MARKUP_IGNORE_QUALIFIED, &scan, NULL);
	g_assert_true(g_markup_parse_context_parse(ctx, xml, len, &error));
	g_assert_true(g_markup_parse_context_end_parse(ctx, &error));
	g_assert_no_error(error);
	/* Multiple connections own <service>.Connection_<N>: only a prefix rule covers them. */
	g_assert_cmpuint(scan.owner_rules, ==, 2);
	g_assert_true(scan.root_allowed);
	g_assert_true(scan.others_denied);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_assert_cmpint(argc, ==, 3);
	name_file = argv[1];
	policy_file = argv[2];
	g_test_add_func("/ferry/nm/name/descriptor", test_name);
	g_test_add_func("/ferry/nm/name/policy", test_policy);
	return g_test_run();
}
