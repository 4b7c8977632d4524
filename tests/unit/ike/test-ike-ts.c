/* test-ike-ts.c - traffic selectors: construction, narrowing (RFC 7296 §2.9), rendering */
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <gio/gio.h>

#include "ike-ts.h"

/* A selector from text: "a.b.c.d/n", "a-b" or "::/0", optionally "proto port-port". */
static IkeTs
ts(const char *range, uint8_t proto, uint16_t sport, uint16_t eport)
{
	g_auto(GStrv) parts = NULL;
	g_autoptr(GInetAddress) a = NULL;
	g_autoptr(GInetAddress) b = NULL;
	IkeTs t;

	if (strchr(range, '/')) {
		parts = g_strsplit(range, "/", 2);
		a = g_inet_address_new_from_string(parts[0]);
		g_assert_nonnull(a);
		g_assert_true(ike_ts_set_prefix(
			&t,
			g_inet_address_get_family(a) == G_SOCKET_FAMILY_IPV4 ? AF_INET : AF_INET6,
			g_inet_address_to_bytes(a), (guint)atoi(parts[1])));
	} else {
		parts = g_strsplit(range, "-", 2);
		a = g_inet_address_new_from_string(parts[0]);
		b = g_inet_address_new_from_string(parts[1]);
		g_assert_nonnull(a);
		g_assert_nonnull(b);
		memset(&t, 0, sizeof(t));
		t.type = g_inet_address_get_family(a) == G_SOCKET_FAMILY_IPV4
		                 ? IKE_TS_IPV4_ADDR_RANGE
		                 : IKE_TS_IPV6_ADDR_RANGE;
		memcpy(t.start, g_inet_address_to_bytes(a), g_inet_address_get_native_size(a));
		memcpy(t.end, g_inet_address_to_bytes(b), g_inet_address_get_native_size(b));
	}
	t.ip_proto = proto;
	t.start_port = sport;
	t.end_port = eport;
	return t;
}

typedef struct {
	const char *range;
	uint8_t proto;
	uint16_t sport, eport;
	const char *want;
} RenderCase;

static const RenderCase render_cases[] = {
	{"10.1.2.3/8",                  0,  0,    0xffff, "10.0.0.0/8"                 },
	{"0.0.0.0/0",                   0,  0,    0xffff, "0.0.0.0/0"                  },
	{"198.51.100.77/32",            0,  0,    0xffff, "198.51.100.77/32"           },
	{"198.51.100.10-198.51.100.20", 0,  0,    0xffff, "198.51.100.10-198.51.100.20"},
	{"198.51.100.0-198.51.100.127", 0,  0,    0xffff, "198.51.100.0/25"            },
	{"::/0",			0,  0,    0xffff, "::/0"                       },
	{"2001:db8::1/64",              0,  0,    0xffff, "2001:db8::/64"              },
	{"203.0.113.0/24",              6,  443,  443,    "203.0.113.0/24[6/443]"      },
	{"203.0.113.0/24",              17, 0,    0xffff, "203.0.113.0/24[17]"         },
	{"203.0.113.0/24",              0,  1000, 2000,   "203.0.113.0/24[0/1000-2000]"},
};

static void
test_render(gconstpointer data)
{
	const RenderCase *c = data;
	IkeTs t = ts(c->range, c->proto, c->sport, c->eport);
	g_autofree char *s = ike_ts_to_string(&t);

	g_assert_cmpstr(s, ==, c->want);
}

static void
test_full_and_addr(void)
{
	IkeAddr a = {
		.family = AF_INET, .addr = {198, 51, 100, 10},
                     .port = 500
        };
	IkeTs t;
	g_autofree char *s4 = NULL, *s6 = NULL, *sa = NULL, *list = NULL;
	IkeTs both[2];

	g_assert_true(ike_ts_set_full(&both[0], AF_INET));
	g_assert_true(ike_ts_set_full(&both[1], AF_INET6));
	list = ike_ts_list_to_string(both, 2);
	g_assert_cmpstr(list, ==, "0.0.0.0/0, ::/0");
	g_assert_cmpuint(both[0].end_port, ==, 0xffff);
	g_assert_true(ike_ts_set_addr(&t, &a));
	sa = ike_ts_to_string(&t);
	g_assert_cmpstr(sa, ==, "198.51.100.10/32");
	g_assert_false(ike_ts_set_full(&t, AF_UNIX));
	g_assert_false(ike_ts_set_prefix(&t, AF_INET, a.addr, 33));
}

typedef struct {
	guint line;
	IkeTs inner;
	IkeTs outer;
	gboolean subset;
} SubsetCase;

static void
test_subset(void)
{
	const SubsetCase cases[] = {
		{__LINE__, ts("10.0.0.0/8",        0,  0,   0xffff), ts("0.0.0.0/0",  0, 0,   0xffff), TRUE },
		{__LINE__, ts("0.0.0.0/0",         0,  0,   0xffff), ts("0.0.0.0/0",  0, 0,   0xffff), TRUE },
		{__LINE__, ts("0.0.0.0/0",         0,  0,   0xffff), ts("10.0.0.0/8", 0, 0,   0xffff), FALSE},
		{__LINE__, ts("10.0.0.0/8",        0,  0,   0xffff), ts("10.0.0.0/9", 0, 0,   0xffff), FALSE},
		{__LINE__, ts("10.255.0.0/16",     0,  0,   0xffff), ts("10.0.0.0/8", 0, 0,   0xffff), TRUE },
		{__LINE__, ts("11.0.0.0/16",       0,  0,   0xffff), ts("10.0.0.0/8", 0, 0,   0xffff), FALSE},
		{__LINE__, ts("::/0",              0,  0,   0xffff), ts("0.0.0.0/0",  0, 0,   0xffff), FALSE},
		{__LINE__, ts("2001:db8::/32",     0,  0,   0xffff), ts("::/0",       0, 0,   0xffff), TRUE },
 /* protocol: 0 matches any, a specific one only itself */
		{__LINE__, ts("10.0.0.0/8",        6,  0,   0xffff), ts("10.0.0.0/8", 0, 0,   0xffff), TRUE },
		{__LINE__, ts("10.0.0.0/8",        0,  0,   0xffff), ts("10.0.0.0/8", 6, 0,   0xffff), FALSE},
		{__LINE__, ts("10.0.0.0/8",        17, 0,   0xffff), ts("10.0.0.0/8", 6, 0,   0xffff), FALSE},
 /* ports */
		{__LINE__, ts("10.0.0.0/8",        6,  443, 443),    ts("10.0.0.0/8", 6, 0,   0xffff), TRUE },
		{__LINE__, ts("10.0.0.0/8",        6,  80,  443),    ts("10.0.0.0/8", 6, 100, 0xffff), FALSE},
		{__LINE__, ts("10.0.0.0/8",        6,  100, 0xffff), ts("10.0.0.0/8", 6, 100, 200),    FALSE},
 /* malformed: start after end */
		{__LINE__, ts("10.0.0.9-10.0.0.1", 0,  0,   0xffff), ts("0.0.0.0/0",  0, 0,   0xffff),
	         FALSE										      },
		{__LINE__, ts("10.0.0.0/8",        0,  9,   1),      ts("0.0.0.0/0",  0, 0,   0xffff), FALSE},
	};

	for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_test_message("case at line %u", cases[i].line);
		g_assert_cmpint(ike_ts_is_subset(&cases[i].inner, &cases[i].outer), ==,
		                cases[i].subset);
	}
}

static void
test_narrowed(void)
{
	IkeTs offered[2] = {ts("0.0.0.0/0", 0, 0, 0xffff), ts("::/0", 0, 0, 0xffff)};
	IkeTs got[2] = {ts("198.51.100.77/32", 0, 0, 0xffff), ts("2001:db8::77/128", 0, 0, 0xffff)};
	IkeTs only4 = ts("203.0.113.0/24", 0, 0, 0xffff);
	IkeTs bad = {.type = 99};

	g_assert_true(ike_ts_check_narrowed(got, 2, offered, 2));
	g_assert_false(ike_ts_check_narrowed(got, 2, &only4, 1));
	g_assert_true(ike_ts_check_narrowed(&only4, 1, offered, 1));
	/* an empty answer is no answer */
	g_assert_false(ike_ts_check_narrowed(got, 0, offered, 2));
	g_assert_false(ike_ts_check_narrowed(&bad, 1, offered, 2));
	g_assert_false(ike_ts_is_valid(&bad));
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	for (gsize i = 0; i < G_N_ELEMENTS(render_cases); i++) {
		g_autofree char *path = g_strdup_printf("/ferry/ike/ts/render/%zu", i + 1);

		g_test_add_data_func(path, &render_cases[i], test_render);
	}
	g_test_add_func("/ferry/ike/ts/full-and-addr", test_full_and_addr);
	g_test_add_func("/ferry/ike/ts/subset", test_subset);
	g_test_add_func("/ferry/ike/ts/narrowed", test_narrowed);
	return g_test_run();
}
