/* io-test-netns.h - run a test body inside a throwaway network namespace
 *
 * The parent re-runs the test in a subprocess (g_test_trap_subprocess()); the subprocess
 * unshares a new network and mount namespace before doing anything, so nothing it creates
 * (TUN devices, addresses, routes) can reach the machine's own namespace, and all of it
 * vanishes when the subprocess exits.  Without root the test is skipped.
 */
#pragma once

#include <errno.h>
#include <fcntl.h>
#include <glib.h>
#include <net/if.h>
#include <sched.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <unistd.h>

/* In the parent: TRUE when the test ran (and passed) in a namespace, FALSE in the child,
 * which must then call io_test_netns_enter() and run the body. */
static inline gboolean
io_test_netns_run_in_child(void)
{
	if (g_test_subprocess())
		return FALSE;
	if (geteuid() != 0 || access("/dev/net/tun", R_OK | W_OK) != 0) {
		g_test_skip("needs root and /dev/net/tun for a private network namespace");
		return TRUE;
	}
	g_test_trap_subprocess(NULL, 30 * G_USEC_PER_SEC,
	                       G_TEST_SUBPROCESS_INHERIT_STDOUT | G_TEST_SUBPROCESS_INHERIT_STDERR);
	g_test_trap_assert_passed();
	return TRUE;
}

static inline void
io_test_set_link_up(const char *name)
{
	struct ifreq ifr = {0};
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	g_assert_cmpint(fd, >=, 0);
	g_strlcpy(ifr.ifr_name, name, sizeof(ifr.ifr_name));
	g_assert_cmpint(ioctl(fd, SIOCGIFFLAGS, &ifr), ==, 0);
	ifr.ifr_flags |= IFF_UP;
	g_assert_cmpint(ioctl(fd, SIOCSIFFLAGS, &ifr), ==, 0);
	close(fd);
}

/* In the subprocess: move into fresh namespaces with only `lo`, up. */
static inline void
io_test_netns_enter(void)
{
	if (unshare(CLONE_NEWNET | CLONE_NEWNS) < 0) {
		int errsv = errno;
		g_error("unshare: %s", g_strerror(errsv));
	}
	/* Keep mounts made here (none today) from propagating back. */
	g_assert_cmpint(mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL), ==, 0);
	/* No IPv6 link-local addresses on new links: they appear at their own pace and would
	 * make before/after snapshots of routes flaky. */
	{
		int fd =
			open("/proc/sys/net/ipv6/conf/default/addr_gen_mode", O_WRONLY | O_CLOEXEC);
		g_assert_cmpint(fd, >=, 0);
		g_assert_cmpint(write(fd, "1", 1), ==, 1);
		close(fd);
	}
	io_test_set_link_up("lo");
}

/* Run a shell command (ip, ...) in the namespace, failing the test if it fails; returns its
 * stdout.  Only ever called after io_test_netns_enter(). */
static inline char *
io_test_run(const char *command)
{
	g_autoptr(GError) error = NULL;
	char *out = NULL;
	g_autofree char *err = NULL;
	int status = 0;

	g_assert_true(g_spawn_command_line_sync(command, &out, &err, &status, &error));
	g_assert_no_error(error);
	if (!g_spawn_check_wait_status(status, NULL))
		g_error("\"%s\" failed: %s", command, err);
	return out;
}
