/* test-session-event.c - FerryEvent: names, the boxed type, detail lookups */
#include "config.h"

#include "ferry-event.h"

static void
test_names(void)
{
	/* The JSON "event" names of CLI-CONTRACT.md. */
	static const struct {
		FerryEventType type;
		const char *name;
	} names[] = {
		{FERRY_EVENT_STATE,         "state"        },
		{FERRY_EVENT_SENT,          "sent"         },
		{FERRY_EVENT_RECEIVED,      "received"     },
		{FERRY_EVENT_IKE_PROPOSAL,  "ike-proposal" },
		{FERRY_EVENT_KE_RETRY,      "ke-retry"     },
		{FERRY_EVENT_COOKIE,        "cookie"       },
		{FERRY_EVENT_NAT,           "nat"          },
		{FERRY_EVENT_AUTHENTICATED, "authenticated"},
		{FERRY_EVENT_CONFIG,        "config"       },
		{FERRY_EVENT_CHILD_SA,      "child-sa"     },
		{FERRY_EVENT_UP,            "up"           },
		{FERRY_EVENT_REKEYED,       "rekeyed"      },
		{FERRY_EVENT_DPD,           "dpd"          },
		{FERRY_EVENT_STATS,         "stats"        },
		{FERRY_EVENT_DOWN,          "down"         },
		{FERRY_EVENT_ERROR,         "error"        },
	};

	for (gsize i = 0; i < G_N_ELEMENTS(names); i++)
		g_assert_cmpstr(ferry_event_type_to_string(names[i].type), ==, names[i].name);
	g_assert_cmpstr(ferry_event_type_to_string((FerryEventType)99), ==, "unknown");
}

static void
test_boxed(void)
{
	GVariantDict d;
	g_autoptr(FerryEvent) event = NULL;
	g_autoptr(FerryEvent) copy = NULL;
	g_autofree const char **dns = NULL;
	const char *servers[] = {"203.0.113.53", "2001:db8::53", NULL};
	GValue value = G_VALUE_INIT;

	g_variant_dict_init(&d, NULL);
	g_variant_dict_insert(&d, "tun", "s", "ferry0");
	g_variant_dict_insert(&d, "bytes", "t", G_GUINT64_CONSTANT(312));
	g_variant_dict_insert(&d, "message_id", "u", 7);
	g_variant_dict_insert(&d, "retransmit", "b", TRUE);
	g_variant_dict_insert_value(&d, "dns", g_variant_new_strv(servers, -1));
	event = ferry_event_new(FERRY_EVENT_UP, 1.5, g_variant_dict_end(&d));

	g_value_init(&value, FERRY_TYPE_EVENT);
	g_value_set_boxed(&value, event);
	copy = g_value_dup_boxed(&value);
	g_value_unset(&value);
	g_assert_true(copy != event);
	g_assert_cmpint(copy->type, ==, FERRY_EVENT_UP);
	g_assert_cmpfloat(copy->time, ==, 1.5);
	g_assert_cmpstr(ferry_event_get_string(copy, "tun"), ==, "ferry0");
	g_assert_cmpuint(ferry_event_get_uint(copy, "bytes"), ==, 312);
	g_assert_cmpuint(ferry_event_get_uint(copy, "message_id"), ==, 7);
	g_assert_true(ferry_event_get_boolean(copy, "retransmit"));
	dns = ferry_event_get_strv(copy, "dns");
	g_assert_cmpstrv(dns, servers);

	/* Absent keys and wrong types read as nothing. */
	g_assert_null(ferry_event_get_string(copy, "ip6"));
	g_assert_null(ferry_event_get_string(copy, "bytes"));
	g_assert_cmpuint(ferry_event_get_uint(copy, "tun"), ==, 0);
	g_assert_false(ferry_event_get_boolean(copy, "nat"));
	g_assert_null(ferry_event_get_strv(copy, "tun"));
}

static void
test_empty(void)
{
	g_autoptr(FerryEvent) event = ferry_event_new(FERRY_EVENT_COOKIE, 0, NULL);

	g_assert_true(g_variant_is_of_type(event->details, G_VARIANT_TYPE_VARDICT));
	g_assert_cmpuint(g_variant_n_children(event->details), ==, 0);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/ferry/session/event/names", test_names);
	g_test_add_func("/ferry/session/event/boxed", test_boxed);
	g_test_add_func("/ferry/session/event/empty", test_empty);
	return g_test_run();
}
