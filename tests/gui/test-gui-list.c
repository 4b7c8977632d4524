/* test-gui-list.c - FerryProfileList and FerryConnectionItem without NetworkManager: only Ferry
 * connections, sorted by name, renames move, uuids replace, state and failure texts */
#include "config.h"

#include "ferry-profile-list.h"
#include "nm-ferry-keys.h"

static NMConnection *
connection_new(const char *id, const char *uuid, const char *service, const char *gateway)
{
	NMConnection *c = nm_simple_connection_new();
	NMSetting *s_con = nm_setting_connection_new();
	NMSetting *s_vpn = nm_setting_vpn_new();

	g_object_set(s_con, NM_SETTING_CONNECTION_ID, id, NM_SETTING_CONNECTION_UUID, uuid,
	             NM_SETTING_CONNECTION_TYPE, NM_SETTING_VPN_SETTING_NAME, NULL);
	g_object_set(s_vpn, NM_SETTING_VPN_SERVICE_TYPE, service, NULL);
	if (gateway)
		nm_setting_vpn_add_data_item(NM_SETTING_VPN(s_vpn), "gateway", gateway);
	nm_connection_add_setting(c, s_con);
	nm_connection_add_setting(c, s_vpn);
	return c;
}

#define UUID_A "11111111-1111-4111-8111-111111111111"
#define UUID_B "22222222-2222-4222-8222-222222222222"
#define UUID_C "33333333-3333-4333-8333-333333333333"

typedef struct {
	guint position, removed, added;
} Change;

static void
items_changed_cb(GListModel *model, guint position, guint removed, guint added, GArray *log)
{
	Change c = {position, removed, added};

	g_array_append_val(log, c);
}

static const char *
name_at(FerryProfileList *list, guint i)
{
	g_autoptr(FerryConnectionItem) item = g_list_model_get_item(G_LIST_MODEL(list), i);

	g_assert_nonnull(item);
	/* The list holds its own reference: the borrowed name outlives this one. */
	return ferry_connection_item_get_name(item);
}

static void
test_list_filter_sort(void)
{
	g_autoptr(FerryProfileList) list = ferry_profile_list_new();
	g_autoptr(NMConnection) a =
		connection_new("Zeta office", UUID_A, NM_FERRY_VPN_SERVICE_TYPE, "198.51.100.1");
	g_autoptr(NMConnection) b =
		connection_new("alpha lab", UUID_B, NM_FERRY_VPN_SERVICE_TYPE, NULL);
	g_autoptr(NMConnection) other = connection_new(
		"strongSwan", UUID_C, "org.freedesktop.NetworkManager.strongswan", "203.0.113.1");

	g_assert_nonnull(ferry_profile_list_add(list, a));
	g_assert_nonnull(ferry_profile_list_add(list, b));
	g_assert_null(ferry_profile_list_add(list, other));
	g_assert_false(ferry_profile_list_accepts(other));
	g_assert_cmpuint(g_list_model_get_n_items(G_LIST_MODEL(list)), ==, 2);
	g_assert_true(g_list_model_get_item_type(G_LIST_MODEL(list)) == FERRY_TYPE_CONNECTION_ITEM);
	/* Case-insensitive collation: "alpha" before "Zeta". */
	g_assert_cmpstr(name_at(list, 0), ==, "alpha lab");
	g_assert_cmpstr(name_at(list, 1), ==, "Zeta office");
	g_assert_null(g_list_model_get_item(G_LIST_MODEL(list), 2));
	g_assert_cmpint(ferry_profile_list_find_position(list, UUID_A), ==, 1);
	g_assert_null(ferry_profile_list_find(list, UUID_C));
}

static void
test_list_rename_replace_remove(void)
{
	g_autoptr(FerryProfileList) list = ferry_profile_list_new();
	g_autoptr(NMConnection) a = connection_new("B", UUID_A, NM_FERRY_VPN_SERVICE_TYPE, NULL);
	g_autoptr(NMConnection) b = connection_new("C", UUID_B, NM_FERRY_VPN_SERVICE_TYPE, NULL);
	g_autoptr(NMConnection) b2 = connection_new("A", UUID_B, NM_FERRY_VPN_SERVICE_TYPE, NULL);
	g_autoptr(GArray) log = g_array_new(FALSE, FALSE, sizeof(Change));
	Change *c;

	ferry_profile_list_add(list, a);
	ferry_profile_list_add(list, b);
	g_signal_connect(list, "items-changed", G_CALLBACK(items_changed_cb), log);

	/* Renaming "C" to "0" moves it from position 1 to 0, announced as remove + insert. */
	g_object_set(nm_connection_get_setting_connection(b), NM_SETTING_CONNECTION_ID, "0", NULL);
	g_assert_cmpstr(name_at(list, 0), ==, "0");
	g_assert_cmpuint(log->len, ==, 2);
	c = &g_array_index(log, Change, 0);
	g_assert_cmpuint(c->position, ==, 1);
	g_assert_cmpuint(c->removed, ==, 1);
	g_assert_cmpuint(c->added, ==, 0);
	c = &g_array_index(log, Change, 1);
	g_assert_cmpuint(c->position, ==, 0);
	g_assert_cmpuint(c->added, ==, 1);

	/* The same uuid again replaces the item. */
	g_array_set_size(log, 0);
	ferry_profile_list_add(list, b2);
	g_assert_cmpuint(g_list_model_get_n_items(G_LIST_MODEL(list)), ==, 2);
	g_assert_true(ferry_connection_item_get_connection(ferry_profile_list_find(list, UUID_B)) ==
	              b2);
	g_assert_cmpstr(name_at(list, 0), ==, "A");

	g_assert_true(ferry_profile_list_remove(list, UUID_A));
	g_assert_false(ferry_profile_list_remove(list, UUID_A));
	g_assert_cmpuint(g_list_model_get_n_items(G_LIST_MODEL(list)), ==, 1);
	/* The replaced connection's renames no longer reach the list. */
	g_array_set_size(log, 0);
	g_object_set(nm_connection_get_setting_connection(b), NM_SETTING_CONNECTION_ID, "zzz",
	             NULL);
	g_assert_cmpuint(log->len, ==, 0);
	ferry_profile_list_set_client(list, NULL);
	g_assert_cmpuint(g_list_model_get_n_items(G_LIST_MODEL(list)), ==, 0);
}

static void
test_item_texts(void)
{
	g_autoptr(NMConnection) c =
		connection_new("Corp", UUID_A, NM_FERRY_VPN_SERVICE_TYPE, "vpn.example.com");
	g_autoptr(NMConnection) bare =
		connection_new("Bare", UUID_B, NM_FERRY_VPN_SERVICE_TYPE, NULL);
	g_autoptr(FerryConnectionItem) item = ferry_connection_item_new(c);
	g_autoptr(FerryConnectionItem) bare_item = ferry_connection_item_new(bare);
	g_autofree char *summary = NULL;
	g_autofree char *psk_summary = NULL;
	g_autofree char *bare_summary = ferry_connection_item_dup_summary(bare_item);

	g_assert_cmpstr(ferry_connection_item_get_uuid(item), ==, UUID_A);
	g_assert_cmpstr(ferry_connection_item_get_gateway(item), ==, "vpn.example.com");
	/* No "auth" item: the key table's default, EAP with a password. */
	summary = ferry_connection_item_dup_summary(item);
	g_assert_cmpstr(summary, ==, "vpn.example.com · Password");
	nm_setting_vpn_add_data_item(nm_connection_get_setting_vpn(c), "auth", "psk");
	psk_summary = ferry_connection_item_dup_summary(item);
	g_assert_cmpstr(psk_summary, ==, "vpn.example.com · Pre-shared key");
	g_assert_cmpstr(bare_summary, ==, "No gateway set");
	g_assert_null(ferry_connection_item_get_gateway(bare_item));
}

static void
count_notify_cb(GObject *object, GParamSpec *pspec, guint *count)
{
	(*count)++;
}

static void
test_item_state(void)
{
	g_autoptr(NMConnection) c = connection_new("Corp", UUID_A, NM_FERRY_VPN_SERVICE_TYPE, NULL);
	g_autoptr(FerryConnectionItem) item = ferry_connection_item_new(c);
	guint notified = 0;

	g_assert_cmpint(ferry_connection_item_get_state(item), ==,
	                FERRY_CONNECTION_STATE_DISCONNECTED);
	g_signal_connect(item, "notify::state", G_CALLBACK(count_notify_cb), &notified);
	ferry_connection_item_set_state(item, FERRY_CONNECTION_STATE_CONNECTING);
	ferry_connection_item_set_state(item, FERRY_CONNECTION_STATE_CONNECTING);
	ferry_connection_item_set_state(item, FERRY_CONNECTION_STATE_CONNECTED);
	g_assert_cmpuint(notified, ==, 2);
	g_assert_cmpstr(ferry_connection_state_to_string(FERRY_CONNECTION_STATE_CONNECTED), ==,
	                "Connected");
	/* Dropping the active connection means disconnected. */
	ferry_connection_item_set_active(item, NULL);
	g_assert_cmpint(ferry_connection_item_get_state(item), ==,
	                FERRY_CONNECTION_STATE_DISCONNECTED);
	g_assert_null(ferry_connection_item_get_failure(item));
}

/* NetworkManager's reasons a VPN went down, and the text the user reads (NULL: no error). */
static const struct {
	NMActiveConnectionStateReason reason;
	const char *text;
} reasons[] = {
	{NM_ACTIVE_CONNECTION_STATE_REASON_USER_DISCONNECTED, NULL                                  },
	{NM_ACTIVE_CONNECTION_STATE_REASON_NONE,              NULL                                  },
	{NM_ACTIVE_CONNECTION_STATE_REASON_LOGIN_FAILED,
         "The gateway rejected your password or pre-shared key"                                     },
	{NM_ACTIVE_CONNECTION_STATE_REASON_NO_SECRETS,        "No password or key was given"        },
	{NM_ACTIVE_CONNECTION_STATE_REASON_CONNECT_TIMEOUT,   "The gateway did not answer in time"  },
	{NM_ACTIVE_CONNECTION_STATE_REASON_SERVICE_STOPPED,   "The VPN service stopped unexpectedly"},
	{NM_ACTIVE_CONNECTION_STATE_REASON_IP_CONFIG_INVALID,
         "The gateway sent an address or route configuration that cannot be used"                   },
	{(NMActiveConnectionStateReason)999,                  "The connection failed"               },
};

static void
test_item_reasons(void)
{
	for (gsize i = 0; i < G_N_ELEMENTS(reasons); i++)
		g_assert_cmpstr(ferry_vpn_reason_to_string(reasons[i].reason), ==, reasons[i].text);
}

int
main(int argc, char *argv[])
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/ferry/gui/list/filter-sort", test_list_filter_sort);
	g_test_add_func("/ferry/gui/list/rename-replace-remove", test_list_rename_replace_remove);
	g_test_add_func("/ferry/gui/item/texts", test_item_texts);
	g_test_add_func("/ferry/gui/item/state", test_item_state);
	g_test_add_func("/ferry/gui/item/reasons", test_item_reasons);
	return g_test_run();
}
