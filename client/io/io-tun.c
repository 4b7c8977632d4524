/* io-tun.c - open, configure and close the TUN device */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/if_tun.h>
#include <net/if.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "ferry-fd.h"
#include "io-tun.h"

#define TUN_CLONE_DEVICE "/dev/net/tun"

struct _IoTun {
	/* owned */
	int fd;
	char name[IFNAMSIZ];
	int ifindex;
};

static gboolean
set_error_errno(GError **error, int errsv, const char *what, const char *name)
{
	g_set_error(error, G_IO_ERROR, g_io_error_from_errno(errsv), "%s %s: %s", what, name,
	            g_strerror(errsv));
	return FALSE;
}

/* ioctl on an ifreq naming the device, through a throwaway AF_INET socket. */
static gboolean
ioctl_ifreq(const IoTun *tun,
            unsigned long request,
            struct ifreq *ifr,
            const char *what,
            GError **error)
{
	ferry_autofd int sock = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	int errsv;

	if (sock < 0) {
		errsv = errno;
		return set_error_errno(error, errsv, what, tun->name);
	}
	g_strlcpy(ifr->ifr_name, tun->name, sizeof(ifr->ifr_name));
	if (ioctl(sock, request, ifr) < 0) {
		errsv = errno;
		return set_error_errno(error, errsv, what, tun->name);
	}
	return TRUE;
}

IoTun *
io_tun_open(const char *name, GError **error)
{
	g_autofree IoTun *tun = g_new0(IoTun, 1);
	struct ifreq ifr = {0};
	int errsv;

	if (name == NULL)
		name = IO_TUN_NAME_TEMPLATE;
	if (strlen(name) >= IFNAMSIZ) {
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
		            "TUN device name \"%s\" is longer than %d characters", name,
		            IFNAMSIZ - 1);
		return NULL;
	}

	tun->fd = open(TUN_CLONE_DEVICE, O_RDWR | O_NONBLOCK | O_CLOEXEC);
	if (tun->fd < 0) {
		errsv = errno;
		set_error_errno(error, errsv, "cannot open", TUN_CLONE_DEVICE);
		return NULL;
	}

	ifr.ifr_flags = IFF_TUN | IFF_NO_PI;
	g_strlcpy(ifr.ifr_name, name, sizeof(ifr.ifr_name));
	if (ioctl(tun->fd, TUNSETIFF, &ifr) < 0) {
		errsv = errno;
		close(tun->fd);
		set_error_errno(error, errsv, "cannot create TUN device", name);
		return NULL;
	}
	g_strlcpy(tun->name, ifr.ifr_name, sizeof(tun->name));

	tun->ifindex = (int)if_nametoindex(tun->name);
	if (tun->ifindex == 0) {
		errsv = errno;
		close(tun->fd);
		set_error_errno(error, errsv, "cannot find the index of", tun->name);
		return NULL;
	}
	g_debug("TUN device %s (index %d) created", tun->name, tun->ifindex);
	return g_steal_pointer(&tun);
}

void
io_tun_close(IoTun *tun)
{
	if (tun == NULL)
		return;
	g_debug("TUN device %s closed", tun->name);
	ferry_fd_closep(&tun->fd);
	g_free(tun);
}

const char *
io_tun_get_name(const IoTun *tun)
{
	return tun->name;
}

int
io_tun_get_fd(const IoTun *tun)
{
	return tun->fd;
}

int
io_tun_get_ifindex(const IoTun *tun)
{
	return tun->ifindex;
}

gboolean
io_tun_set_mtu(IoTun *tun, guint mtu, GError **error)
{
	struct ifreq ifr = {0};

	g_return_val_if_fail(mtu >= 576 && mtu <= 65535, FALSE);
	ifr.ifr_mtu = (int)mtu;
	return ioctl_ifreq(tun, SIOCSIFMTU, &ifr, "cannot set the MTU of", error);
}

gboolean
io_tun_set_up(IoTun *tun, gboolean up, GError **error)
{
	struct ifreq ifr = {0};

	if (!ioctl_ifreq(tun, SIOCGIFFLAGS, &ifr, "cannot read the flags of", error))
		return FALSE;
	if (up)
		ifr.ifr_flags |= IFF_UP;
	else
		ifr.ifr_flags &= ~IFF_UP;
	return ioctl_ifreq(tun, SIOCSIFFLAGS, &ifr, up ? "cannot bring up" : "cannot bring down",
	                   error);
}
