/* test-io-tun.c - the TUN device: create, MTU, up/down, close (in a private namespace) */
#include "config.h"

#include <net/if.h>
#include <sys/ioctl.h>

#include "io-test-netns.h"
#include "io-tun.h"

static int
read_ifreq(const char *name, unsigned long request, struct ifreq *ifr)
{
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	int r;

	memset(ifr, 0, sizeof(*ifr));
	g_strlcpy(ifr->ifr_name, name, sizeof(ifr->ifr_name));
	r = ioctl(fd, request, ifr);
	close(fd);
	return r;
}

static void
test_open_close(void)
{
	g_autoptr(GError) error = NULL;
	g_autofree char *name = NULL;
	struct ifreq ifr;
	IoTun *tun;

	if (io_test_netns_run_in_child())
		return;
	io_test_netns_enter();

	tun = io_tun_open(NULL, &error);
	g_assert_no_error(error);
	name = g_strdup(io_tun_get_name(tun));
	g_assert_cmpstr(name, ==, "ferry0");
	g_assert_cmpint(io_tun_get_fd(tun), >=, 0);
	g_assert_cmpint(io_tun_get_ifindex(tun), ==, (int)if_nametoindex(name));

	g_assert_true(io_tun_set_mtu(tun, 1380, &error));
	g_assert_no_error(error);
	g_assert_cmpint(read_ifreq(name, SIOCGIFMTU, &ifr), ==, 0);
	g_assert_cmpint(ifr.ifr_mtu, ==, 1380);

	g_assert_cmpint(read_ifreq(name, SIOCGIFFLAGS, &ifr), ==, 0);
	g_assert_false(ifr.ifr_flags & IFF_UP);
	g_assert_true(io_tun_set_up(tun, TRUE, &error));
	g_assert_cmpint(read_ifreq(name, SIOCGIFFLAGS, &ifr), ==, 0);
	g_assert_true(ifr.ifr_flags & IFF_UP);
	g_assert_true(io_tun_set_up(tun, FALSE, &error));
	g_assert_cmpint(read_ifreq(name, SIOCGIFFLAGS, &ifr), ==, 0);
	g_assert_false(ifr.ifr_flags & IFF_UP);

	io_tun_close(tun);
	g_assert_cmpint(if_nametoindex(name), ==, 0);
}

static void
test_template_numbers(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(IoTun) first = NULL;
	g_autoptr(IoTun) second = NULL;
	g_autoptr(IoTun) exact = NULL;

	if (io_test_netns_run_in_child())
		return;
	io_test_netns_enter();

	first = io_tun_open(NULL, &error);
	g_assert_no_error(error);
	second = io_tun_open(NULL, &error);
	g_assert_no_error(error);
	g_assert_cmpstr(io_tun_get_name(first), ==, "ferry0");
	g_assert_cmpstr(io_tun_get_name(second), ==, "ferry1");
	exact = io_tun_open("corp-vpn", &error);
	g_assert_no_error(error);
	g_assert_cmpstr(io_tun_get_name(exact), ==, "corp-vpn");
}

static void
test_name_too_long(void)
{
	g_autoptr(GError) error = NULL;
	IoTun *tun = io_tun_open("a-name-far-too-long-for-linux", &error);

	g_assert_null(tun);
	g_assert_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
	g_assert_nonnull(strstr(error->message, "a-name-far-too-long-for-linux"));
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/ferry/io/tun/open-close", test_open_close);
	g_test_add_func("/ferry/io/tun/template-numbers", test_template_numbers);
	g_test_add_func("/ferry/io/tun/name-too-long", test_name_too_long);
	return g_test_run();
}
