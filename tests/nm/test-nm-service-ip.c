/* test-nm-service-ip.c - Config/Ip4Config/Ip6Config built from a connected session's facts */
#include "config.h"

#include <arpa/inet.h>
#include <string.h>

#include <NetworkManager.h>

#include "ferry-error.h"
#include "nm-ferry-service-ip.h"

static char *
route_text(const NMFerryRoute *r)
{
	g_autoptr(GInetAddress) a = g_inet_address_new_from_bytes(r->addr, r->family);
	g_autofree char *s = g_inet_address_to_string(a);

	return g_strdup_printf("%s/%u", s, r->prefix);
}

/* The routes as one "a/p a/p" string, or "default" for a full tunnel. */
static char *
routes_of(const char *const *ts,
          const char *include,
          const char *exclude,
          const char *gateway,
          GSocketFamily family)
{
	g_autoptr(FerryProfile) p = ferry_profile_new();
	NMFerryIpInput in = {.profile = p, .ts_remote = ts, .gateway = gateway};
	g_autoptr(GArray) routes = NULL;
	g_autoptr(GString) out = g_string_new(NULL);
	gboolean never_default = 42;

	p->include_subnets = include ? g_strsplit(include, " ", -1) : NULL;
	p->exclude_subnets = exclude ? g_strsplit(exclude, " ", -1) : NULL;
	routes = nm_ferry_service_ip_routes(&in, family, &never_default);
	g_assert_true(never_default == TRUE || never_default == FALSE);
	if (!never_default) {
		g_assert_cmpuint(routes->len, ==, 0);
		return g_strdup("default");
	}
	for (guint i = 0; i < routes->len; i++) {
		g_autofree char *r = route_text(&g_array_index(routes, NMFerryRoute, i));

		g_string_append_printf(out, "%s%s", i ? " " : "", r);
	}
	return g_string_free(g_steal_pointer(&out), FALSE);
}

typedef struct {
	const char *ts; /* ' '-separated remote selectors */
	const char *include, *exclude, *gateway;
	GSocketFamily family;
	const char *expect;
} RouteCase;

#define V4 G_SOCKET_FAMILY_IPV4
#define V6 G_SOCKET_FAMILY_IPV6

static const RouteCase route_cases[] = {
  /* full tunnel: NetworkManager's default route */
	{"0.0.0.0/0",		      NULL,                      NULL,             "198.51.100.1", V4, "default"                       },
	{"0.0.0.0-255.255.255.255",        NULL,                      NULL,             NULL,           V4, "default"                       },
	{"0.0.0.0/1 128.0.0.0/1",          NULL,                      NULL,             NULL,           V4, "default"                       },
	{"::/0 0.0.0.0/0",                 NULL,                      NULL,             NULL,           V6, "default"                       },
 /* split tunnel: the selectors as prefixes */
	{"203.0.113.0/25",                 NULL,                      NULL,             "198.51.100.1", V4, "203.0.113.0/25"                },
	{"203.0.113.0/25[6/443]",          NULL,                      NULL,             NULL,           V4, "203.0.113.0/25"                },
	{"203.0.113.0-203.0.113.130",      NULL,                      NULL,             NULL,           V4,
         "203.0.113.0/25 203.0.113.128/31 203.0.113.130/32"										 },
	{"203.0.113.7/24",                 NULL,                      NULL,             NULL,           V4, "203.0.113.0/24"                },
	{"203.0.113.0/25 203.0.113.64/26", NULL,                      NULL,             NULL,           V4, "203.0.113.0/25"                },
	{"203.0.113.0/25 2001:db8::/32",   NULL,                      NULL,             NULL,           V4, "203.0.113.0/25"                },
	{"203.0.113.0/25 2001:db8::/32",   NULL,                      NULL,             NULL,           V6, "2001:db8::/32"                 },
	{"2001:db8::/32",                  NULL,                      NULL,             NULL,           V4, ""                              },
 /* include-subnets narrow what the gateway allows */
	{"0.0.0.0/0",		      "10.0.0.0/8 192.0.2.0/24", NULL,             NULL,           V4, "10.0.0.0/8 192.0.2.0/24"       },
	{"10.0.0.0/16",                    "10.0.0.0/8",              NULL,             NULL,           V4, "10.0.0.0/16"                   },
	{"::/0",			   "2001:db8:1::/48",         NULL,             NULL,           V6, "2001:db8:1::/48"               },
 /* exclude-subnets and the gateway are cut out */
	{"10.0.0.0/8",                     NULL,                      "10.128.0.0/9",   NULL,           V4, "10.0.0.0/9"                    },
	{"203.0.113.0/24",                 NULL,                      "203.0.113.0/25", NULL,           V4, "203.0.113.128/25"              },
	{"0.0.0.0/0",		      NULL,                      "128.0.0.0/1",    NULL,           V4, "0.0.0.0/1"                     },
	{"198.51.100.0/29",                NULL,                      NULL,             "198.51.100.1", V4,
         "198.51.100.0/32 198.51.100.2/31 198.51.100.4/30"										  },
	{"2001:db8::/126",                 NULL,                      NULL,             "2001:db8::1",  V6, "2001:db8::/128 2001:db8::2/127"},
	{"203.0.113.0/24",                 NULL,                      "203.0.113.0/24", NULL,           V4, ""                              },
};

static void
test_routes(gconstpointer data)
{
	const RouteCase *c = data;
	g_auto(GStrv) ts = g_strsplit(c->ts, " ", -1);
	g_autofree char *got =
		routes_of((const char *const *)ts, c->include, c->exclude, c->gateway, c->family);

	g_assert_cmpstr(got, ==, c->expect);
}

/* Random IPv4 ranges: the prefixes are aligned, contiguous and cover exactly the range. */
static void
test_routes_cover_ranges(void)
{
	g_autoptr(GRand) rand = g_rand_new_with_seed(7296);

	for (guint n = 0; n < 500; n++) {
		guint32 a = g_rand_int(rand), b = g_rand_int(rand);
		guint32 lo = MIN(a, b) >> (n % 3 * 8), hi = MAX(a, b) >> (n % 3 * 8);
		struct in_addr x = {htonl(lo)}, y = {htonl(hi)};
		char ts[64], s1[16], s2[16];
		const char *list[] = {ts, NULL};
		g_autoptr(FerryProfile) p = ferry_profile_new();
		NMFerryIpInput in = {.profile = p, .ts_remote = list};
		g_autoptr(GArray) routes = NULL;
		gboolean never_default;
		guint64 next = lo;

		g_snprintf(ts, sizeof(ts), "%s-%s", inet_ntop(AF_INET, &x, s1, sizeof(s1)),
		           inet_ntop(AF_INET, &y, s2, sizeof(s2)));
		routes = nm_ferry_service_ip_routes(&in, G_SOCKET_FAMILY_IPV4, &never_default);
		g_assert_true(never_default);
		g_assert_cmpuint(routes->len, >=, 1);
		g_assert_cmpuint(routes->len, <=, 62);
		for (guint i = 0; i < routes->len; i++) {
			const NMFerryRoute *r = &g_array_index(routes, NMFerryRoute, i);
			guint32 start;
			guint64 size = G_GUINT64_CONSTANT(1) << (32 - r->prefix);

			memcpy(&start, r->addr, 4);
			start = ntohl(start);
			g_assert_cmpuint(start, ==, next);
			g_assert_cmpuint(start % size, ==, 0);
			next = start + size;
		}
		g_assert_cmpuint(next, ==, (guint64)hi + 1);
	}
}

static guint32
ip4(const char *text)
{
	struct in_addr a;

	g_assert_cmpint(inet_pton(AF_INET, text, &a), ==, 1);
	return a.s_addr; /* network order in a native u32, as NetworkManager wants */
}

static void
test_build_split(void)
{
	const char *const ts[] = {"203.0.113.0/25", "2001:db8:1::/48", NULL};
	const char *const dns[] = {"203.0.113.53", "2001:db8::53", NULL};
	const char *const domains[] = {"corp.example.com", NULL};
	g_autoptr(FerryProfile) p = ferry_profile_new();
	NMFerryIpInput in = {
		.profile = p,
		.tundev = "ferry0",
		.gateway = "198.51.100.1",
		.ip4 = "203.0.113.129/32",
		.ip6 = "2001:db8:cafe::1/128",
		.dns = dns,
		.domains = domains,
		.ts_remote = ts,
		.banner = "Authorised use only",
	};
	g_autoptr(GVariant) config = NULL, v4 = NULL, v6 = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(GVariant) routes = NULL, dns4 = NULL, dns6 = NULL, routes6 = NULL;
	g_autofree const char **doms = NULL;
	g_autofree char *printed = NULL;
	const char *tundev = NULL, *banner = NULL;
	guint32 gw = 0, addr = 0, prefix = 0, mtu = 0;
	gboolean has4 = FALSE, has6 = FALSE, nd = FALSE;
	gsize n;
	const guint32 *route;

	p->mtu = 1400;
	p->dns_search_domains = g_strsplit("search.example.com", " ", -1);
	p->dns_split_domains = g_strsplit(".split.example.net", " ", -1);
	g_assert_true(nm_ferry_service_ip_build(&in, &config, &v4, &v6, &error));
	g_assert_no_error(error);

	g_assert_true(g_variant_lookup(config, "tundev", "&s", &tundev));
	g_assert_cmpstr(tundev, ==, "ferry0");
	g_assert_true(g_variant_lookup(config, "gateway", "u", &gw));
	g_assert_cmpuint(gw, ==, ip4("198.51.100.1"));
	g_assert_true(g_variant_lookup(config, "mtu", "u", &mtu));
	g_assert_cmpuint(mtu, ==, 1400);
	g_assert_true(g_variant_lookup(config, "banner", "&s", &banner));
	g_assert_cmpstr(banner, ==, "Authorised use only");
	g_assert_true(g_variant_lookup(config, "has-ip4", "b", &has4) && has4);
	g_assert_true(g_variant_lookup(config, "has-ip6", "b", &has6) && has6);

	g_assert_true(g_variant_lookup(v4, "address", "u", &addr));
	g_assert_cmpuint(addr, ==, ip4("203.0.113.129"));
	g_assert_true(g_variant_lookup(v4, "prefix", "u", &prefix));
	g_assert_cmpuint(prefix, ==, 32);
	dns4 = g_variant_lookup_value(v4, "dns", G_VARIANT_TYPE("au"));
	g_assert_cmpuint(g_variant_n_children(dns4), ==, 1);
	g_assert_cmpuint(*(const guint32 *)g_variant_get_fixed_array(dns4, &n, 4), ==,
	                 ip4("203.0.113.53"));
	g_assert_true(g_variant_lookup(v4, "domains", "^a&s", &doms));
	printed = g_strjoinv(" ", (char **)doms);
	g_assert_cmpstr(printed, ==, "corp.example.com search.example.com ~split.example.net");
	routes = g_variant_lookup_value(v4, "routes", G_VARIANT_TYPE("aau"));
	g_assert_cmpuint(g_variant_n_children(routes), ==, 1);
	{
		g_autoptr(GVariant) r0 = g_variant_get_child_value(routes, 0);

		route = g_variant_get_fixed_array(r0, &n, 4);
		g_assert_cmpuint(n, ==, 4);
		g_assert_cmpuint(route[0], ==, ip4("203.0.113.0"));
		g_assert_cmpuint(route[1], ==, 25);
		g_assert_cmpuint(route[2], ==, 0);
	}
	g_assert_true(g_variant_lookup(v4, "never-default", "b", &nd) && nd);

	dns6 = g_variant_lookup_value(v6, "dns", G_VARIANT_TYPE("aay"));
	g_assert_cmpuint(g_variant_n_children(dns6), ==, 1);
	routes6 = g_variant_lookup_value(v6, "routes", G_VARIANT_TYPE("a(ayuayu)"));
	g_assert_cmpuint(g_variant_n_children(routes6), ==, 1);
	g_assert_true(g_variant_lookup(v6, "prefix", "u", &prefix));
	g_assert_cmpuint(prefix, ==, 128);
	/* domains go with IPv4 only, so NetworkManager does not list them twice */
	g_assert_false(g_variant_lookup(v6, "domains", "^a&s", NULL));
	g_assert_true(g_variant_lookup(v6, "never-default", "b", &nd) && nd);
}

static void
test_build_full_ip4_only(void)
{
	const char *const ts[] = {"0.0.0.0/0", NULL};
	g_autoptr(FerryProfile) p = ferry_profile_new();
	NMFerryIpInput in = {
		.profile = p,
		.tundev = "ferry1",
		.gateway = "2001:db8::1",
		.ip4 = "203.0.113.130",
		.ts_remote = ts,
	};
	g_autoptr(GVariant) config = NULL, v4 = NULL, v6 = NULL, gw = NULL, routes = NULL;
	g_autoptr(GError) error = NULL;
	gboolean nd = TRUE, has6 = TRUE;
	guint32 prefix = 0;

	g_assert_true(nm_ferry_service_ip_build(&in, &config, &v4, &v6, &error));
	g_assert_no_error(error);
	g_assert_null(v6);
	gw = g_variant_lookup_value(config, "gateway", G_VARIANT_TYPE("ay"));
	g_assert_nonnull(gw);
	g_assert_cmpuint(g_variant_n_children(gw), ==, 16);
	g_assert_false(g_variant_lookup(config, "mtu", "u", NULL));
	g_assert_true(g_variant_lookup(config, "has-ip6", "b", &has6) && !has6);
	g_assert_true(g_variant_lookup(v4, "prefix", "u", &prefix));
	g_assert_cmpuint(prefix, ==, 32);
	g_assert_true(g_variant_lookup(v4, "never-default", "b", &nd));
	g_assert_false(nd);
	routes = g_variant_lookup_value(v4, "routes", G_VARIANT_TYPE("aau"));
	g_assert_cmpuint(g_variant_n_children(routes), ==, 0);
}

static void
test_build_errors(void)
{
	g_autoptr(FerryProfile) p = ferry_profile_new();
	const struct {
		const char *gateway, *tundev, *ip4, *ip6;
	} cases[] = {
		{NULL,             "ferry0", "203.0.113.1/32", NULL             },
		{"gw.example.com", "ferry0", "203.0.113.1/32", NULL             },
		{"198.51.100.1",   "",       "203.0.113.1/32", NULL             },
		{"198.51.100.1",   "ferry0", NULL,             NULL             },
		{"198.51.100.1",   "ferry0", "203.0.113.1/33", NULL             },
		{"198.51.100.1",   "ferry0", "2001:db8::1/64", NULL             },
		{"198.51.100.1",   "ferry0", NULL,             "2001:db8::1/129"},
	};

	for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
		NMFerryIpInput in = {.profile = p,
		                     .gateway = cases[i].gateway,
		                     .tundev = cases[i].tundev,
		                     .ip4 = cases[i].ip4,
		                     .ip6 = cases[i].ip6};
		GVariant *config = (GVariant *)1, *v4 = (GVariant *)1, *v6 = (GVariant *)1;
		g_autoptr(GError) error = NULL;

		g_test_message("case %" G_GSIZE_FORMAT, i);
		g_assert_false(nm_ferry_service_ip_build(&in, &config, &v4, &v6, &error));
		g_assert_error(error, FERRY_ERROR, FERRY_ERROR_PROTOCOL);
		g_assert_null(config);
		g_assert_null(v4);
		g_assert_null(v6);
	}
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	for (gsize i = 0; i < G_N_ELEMENTS(route_cases); i++) {
		g_autofree char *path =
			g_strdup_printf("/ferry/nm/service-ip/routes/%" G_GSIZE_FORMAT, i);

		g_test_add_data_func(path, &route_cases[i], test_routes);
	}
	g_test_add_func("/ferry/nm/service-ip/routes/cover-random-ranges",
	                test_routes_cover_ranges);
	g_test_add_func("/ferry/nm/service-ip/build/split", test_build_split);
	g_test_add_func("/ferry/nm/service-ip/build/full-ip4-only", test_build_full_ip4_only);
	g_test_add_func("/ferry/nm/service-ip/build/errors", test_build_errors);
	return g_test_run();
}
