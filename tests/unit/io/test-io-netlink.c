/* test-io-netlink.c - tunnel addresses and routes added and removed exactly
 *
 * Topology built in a private namespace for each test:
 *
 *     [ ferry0 (TUN) ]            [ veth0 203.0.113.1/24 ] --- [ veth1 ]
 *                                  default via 203.0.113.254
 */
#include "config.h"

#include <arpa/inet.h>

#include "io-netlink.h"
#include "io-test-netns.h"
#include "io-tun.h"

typedef struct {
	IoTun *tun;
	IoNetlink *nl;
	char *routes_before;
	char *routes6_before;
} Fixture;

static char *
routes(int family)
{
	return io_test_run(family == AF_INET6 ? "ip -6 route show table all"
	                                      : "ip -4 route show table all");
}

static void
setup_topology(Fixture *f)
{
	g_autoptr(GError) error = NULL;

	io_test_netns_enter();
	g_free(io_test_run("ip link add veth0 type veth peer name veth1"));
	g_free(io_test_run("ip addr add 203.0.113.1/24 dev veth0"));
	g_free(io_test_run("ip -6 addr add 2001:db8:1::1/64 dev veth0 nodad"));
	g_free(io_test_run("ip link set veth0 up"));
	g_free(io_test_run("ip link set veth1 up"));
	g_free(io_test_run("ip route add default via 203.0.113.254"));
	g_free(io_test_run("ip -6 route add default via 2001:db8:1::fe"));

	f->tun = io_tun_open(NULL, &error);
	g_assert_no_error(error);
	g_assert_true(io_tun_set_up(f->tun, TRUE, &error));
	f->nl = io_netlink_new(&error);
	g_assert_no_error(error);
	f->routes_before = routes(AF_INET);
	f->routes6_before = routes(AF_INET6);
}

static void
assert_restored(Fixture *f)
{
	g_autofree char *after = routes(AF_INET);
	g_autofree char *after6 = routes(AF_INET6);

	g_assert_cmpuint(io_netlink_get_n_added(f->nl), ==, 0);
	g_assert_cmpstr(after, ==, f->routes_before);
	g_assert_cmpstr(after6, ==, f->routes6_before);
}

static void
teardown_topology(Fixture *f)
{
	io_netlink_free(f->nl);
	io_tun_close(f->tun);
	g_free(f->routes_before);
	g_free(f->routes6_before);
}

static void
assert_contains(const char *haystack, const char *needle)
{
	if (strstr(haystack, needle) == NULL)
		g_error("\"%s\" not found in:\n%s", needle, haystack);
}

static void
assert_lacks(const char *haystack, const char *needle)
{
	if (strstr(haystack, needle) != NULL)
		g_error("\"%s\" unexpectedly found in:\n%s", needle, haystack);
}

static void
parse(int family, const char *text, uint8_t *out)
{
	g_assert_cmpint(inet_pton(family, text, out), ==, 1);
}

static void
test_addresses(void)
{
	g_autoptr(GError) error = NULL;
	Fixture f = {0};
	uint8_t v4[4], v6[16];
	g_autofree char *shown = NULL;
	g_autofree char *gone = NULL;

	if (io_test_netns_run_in_child())
		return;
	setup_topology(&f);

	parse(AF_INET, "198.51.100.130", v4);
	parse(AF_INET6, "2001:db8:cafe::1", v6);
	g_assert_true(
		io_netlink_add_address(f.nl, io_tun_get_ifindex(f.tun), AF_INET, v4, 32, &error));
	g_assert_no_error(error);
	g_assert_true(
		io_netlink_add_address(f.nl, io_tun_get_ifindex(f.tun), AF_INET6, v6, 128, &error));
	g_assert_no_error(error);
	shown = io_test_run("ip addr show dev ferry0");
	assert_contains(shown, "inet 198.51.100.130/32");
	assert_contains(shown, "inet6 2001:db8:cafe::1/128");

	/* A second add of the same address is an error naming it, and is not recorded. */
	g_assert_false(
		io_netlink_add_address(f.nl, io_tun_get_ifindex(f.tun), AF_INET, v4, 32, &error));
	g_assert_nonnull(error);
	assert_contains(error->message, "198.51.100.130/32");
	g_assert_cmpuint(io_netlink_get_n_added(f.nl), ==, 2);

	io_netlink_teardown(f.nl);
	gone = io_test_run("ip addr show dev ferry0");
	assert_lacks(gone, "198.51.100.130");
	assert_lacks(gone, "2001:db8:cafe::1");
	assert_restored(&f);
	teardown_topology(&f);
}

static void
test_split_routes(void)
{
	g_autoptr(GError) error = NULL;
	Fixture f = {0};
	uint8_t net[4], src[4], any[16] = {0}, net6[16];
	g_autofree char *shown = NULL;
	g_autofree char *shown6 = NULL;
	g_autofree char *lookup = NULL;
	int ifindex;

	if (io_test_netns_run_in_child())
		return;
	setup_topology(&f);
	ifindex = io_tun_get_ifindex(f.tun);

	parse(AF_INET, "198.51.100.130", src);
	g_assert_true(io_netlink_add_address(f.nl, ifindex, AF_INET, src, 32, &error));
	parse(AF_INET, "198.51.100.0", net);
	g_assert_true(io_netlink_add_route(f.nl, ifindex, AF_INET, net, 24, src, &error));
	g_assert_no_error(error);
	/* 0.0.0.0/0 becomes two halves; the default route stays. */
	g_assert_true(io_netlink_add_route(f.nl, ifindex, AF_INET, any, 0, src, &error));
	g_assert_no_error(error);
	parse(AF_INET6, "2001:db8:100::", net6);
	g_assert_true(io_netlink_add_route(f.nl, ifindex, AF_INET6, net6, 48, NULL, &error));
	g_assert_true(io_netlink_add_route(f.nl, ifindex, AF_INET6, any, 0, NULL, &error));
	g_assert_no_error(error);

	shown = routes(AF_INET);
	assert_contains(shown, "198.51.100.0/24 dev ferry0");
	assert_contains(shown, "0.0.0.0/1 dev ferry0");
	assert_contains(shown, "128.0.0.0/1 dev ferry0");
	assert_contains(shown, "default via 203.0.113.254 dev veth0");
	shown6 = routes(AF_INET6);
	assert_contains(shown6, "2001:db8:100::/48 dev ferry0");
	assert_contains(shown6, "::/1 dev ferry0");
	assert_contains(shown6, "8000::/1 dev ferry0");
	lookup = io_test_run("ip route get 192.0.2.9");
	assert_contains(lookup, "dev ferry0 src 198.51.100.130");

	/* Adding an existing route again is fine and not recorded twice. */
	g_assert_true(io_netlink_add_route(f.nl, ifindex, AF_INET, net, 24, src, &error));
	g_assert_cmpuint(io_netlink_get_n_added(f.nl), ==, 7);

	io_netlink_teardown(f.nl);
	assert_restored(&f);
	teardown_topology(&f);
}

static void
test_host_exception(void)
{
	g_autoptr(GError) error = NULL;
	Fixture f = {0};
	uint8_t gw[4], gw6[16], local[4], any[16] = {0};
	g_autofree char *shown = NULL;
	g_autofree char *shown6 = NULL;
	g_autofree char *lookup = NULL;

	if (io_test_netns_run_in_child())
		return;
	setup_topology(&f);

	parse(AF_INET, "198.51.100.2", gw);
	parse(AF_INET6, "2001:db8:2::2", gw6);
	g_assert_true(io_netlink_add_host_exception(f.nl, AF_INET, gw, &error));
	g_assert_no_error(error);
	g_assert_true(io_netlink_add_host_exception(f.nl, AF_INET6, gw6, &error));
	g_assert_no_error(error);
	/* A whole prefix kept out of the tunnel follows the same path
	 * (added, like the host route, before the tunnel routes). */
	{
		uint8_t excluded[4];
		parse(AF_INET, "198.51.100.128", excluded);
		g_assert_true(io_netlink_add_exception(f.nl, AF_INET, excluded, 25, &error));
		g_assert_no_error(error);
	}

	g_assert_true(io_netlink_add_route(f.nl, io_tun_get_ifindex(f.tun), AF_INET, any, 0, NULL,
	                                   &error));
	shown = routes(AF_INET);
	assert_contains(shown, "198.51.100.2 via 203.0.113.254 dev veth0");
	assert_contains(shown, "198.51.100.128/25 via 203.0.113.254 dev veth0");
	shown6 = routes(AF_INET6);
	assert_contains(shown6, "2001:db8:2::2 via 2001:db8:1::fe dev veth0");
	lookup = io_test_run("ip route get 198.51.100.2");
	assert_contains(lookup, "via 203.0.113.254 dev veth0");

	/* On-link hosts get a device route; unroutable ones need no exception. */
	parse(AF_INET, "203.0.113.77", local);
	g_assert_true(io_netlink_add_host_exception(f.nl, AF_INET, local, &error));
	g_free(shown);
	shown = routes(AF_INET);
	assert_contains(shown, "203.0.113.77 dev veth0");

	io_netlink_teardown(f.nl);
	assert_restored(&f);
	g_free(io_test_run("ip route del default"));
	g_assert_true(io_netlink_add_host_exception(f.nl, AF_INET, gw, &error));
	g_assert_no_error(error);
	g_assert_cmpuint(io_netlink_get_n_added(f.nl), ==, 0);
	teardown_topology(&f);
}

/* RFC 7296 §3.15.1: INTERNAL_IP6_ADDRESS carries a prefix length (strongSwan says 64) while
 * the selector is the one address: the address goes on with the gateway's prefix length,
 * and no route for the rest of that prefix appears (IPv4 with a netmask alike). */
static void
test_address_no_prefix_route(void)
{
	g_autoptr(GError) error = NULL;
	Fixture f = {0};
	uint8_t v4[4], v6[16];
	g_autofree char *shown = NULL;
	g_autofree char *shown4 = NULL;
	g_autofree char *shown6 = NULL;
	g_autofree char *lookup = NULL;
	int ifindex;

	if (io_test_netns_run_in_child())
		return;
	setup_topology(&f);
	ifindex = io_tun_get_ifindex(f.tun);

	parse(AF_INET, "198.51.100.130", v4);
	parse(AF_INET6, "2001:db8:cafe::1", v6);
	g_assert_true(io_netlink_add_address(f.nl, ifindex, AF_INET, v4, 24, &error));
	g_assert_no_error(error);
	g_assert_true(io_netlink_add_address(f.nl, ifindex, AF_INET6, v6, 64, &error));
	g_assert_no_error(error);
	shown = io_test_run("ip addr show dev ferry0");
	assert_contains(shown, "inet 198.51.100.130/24");
	assert_contains(shown, "inet6 2001:db8:cafe::1/64");
	shown4 = routes(AF_INET);
	assert_lacks(shown4, "198.51.100.0/24");
	shown6 = routes(AF_INET6);
	assert_lacks(shown6, "2001:db8:cafe::/64");
	/* A neighbour in the gateway's /64 is not ours to send into the tunnel... */
	lookup = io_test_run("ip -6 route get 2001:db8:cafe::2");
	assert_lacks(lookup, "dev ferry0");
	g_free(lookup);
	/* ...until a selector says so. */
	g_assert_true(io_netlink_add_route(f.nl, ifindex, AF_INET6, v6, 128, NULL, &error));
	g_assert_no_error(error);
	lookup = io_test_run("ip -6 route get 2001:db8:cafe::1");
	assert_contains(lookup, "2001:db8:cafe::1 ");

	io_netlink_teardown(f.nl);
	assert_restored(&f);
	teardown_topology(&f);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/ferry/io/netlink/addresses", test_addresses);
	g_test_add_func("/ferry/io/netlink/address-no-prefix-route", test_address_no_prefix_route);
	g_test_add_func("/ferry/io/netlink/split-routes", test_split_routes);
	g_test_add_func("/ferry/io/netlink/host-exception", test_host_exception);
	return g_test_run();
}
