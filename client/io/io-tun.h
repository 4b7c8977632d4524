/* io-tun.h - the TUN device that carries the inner packets (Linux /dev/net/tun)
 *
 * Opened in IFF_TUN | IFF_NO_PI mode: every read() returns one IP packet and every write()
 * takes one, with the version nibble telling the kernel the family.  The fd is non-blocking
 * and close-on-exec; the datapath thread reads and writes it.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define IO_TUN_NAME_TEMPLATE "ferry%d"
#define IO_TUN_DEFAULT_MTU   1400

typedef struct _IoTun IoTun;

/* Create a TUN device.  `name` is a template with "%d" (NULL = IO_TUN_NAME_TEMPLATE) or an
 * exact name.  The device stays down until io_tun_set_up().  (transfer full) */
IoTun *io_tun_open(const char *name, GError **error);
/* Closing the fd removes the device with its addresses and routes. */
void io_tun_close(IoTun *tun);

const char *io_tun_get_name(const IoTun *tun);
int io_tun_get_fd(const IoTun *tun);
int io_tun_get_ifindex(const IoTun *tun);

gboolean io_tun_set_mtu(IoTun *tun, guint mtu, GError **error);
gboolean io_tun_set_up(IoTun *tun, gboolean up, GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(IoTun, io_tun_close)

G_END_DECLS
