/* io-netlink.h - addresses and routes for the tunnel, added and removed through rtnetlink
 *
 * Everything added is remembered and removed exactly, newest first, by io_netlink_teardown();
 * nothing that was there before is touched.
 *
 * Full tunnel policy: a route for a /0 (0.0.0.0/0 or ::/0) via the TUN device is installed as
 * two halves (0.0.0.0/1 + 128.0.0.0/1, ::/1 + 8000::/1) in the main table.  Being longer
 * prefixes they win over the existing default route without replacing it, so nothing needs to
 * be restored and a crash leaves the old default in place.  The gateway itself stays reachable
 * through a host route (/32 or /128) that copies the path the kernel chose for it before the
 * tunnel came up (io_netlink_add_host_exception(), called before the tunnel routes).
 */
#pragma once

#include <gio/gio.h>
#include <stdint.h>

#include "io-record.h"

G_BEGIN_DECLS

typedef struct _IoNetlink IoNetlink;

/* (transfer full) */
IoNetlink *io_netlink_new(GError **error);
/* Frees without removing anything: call io_netlink_teardown() first. */
void io_netlink_free(IoNetlink *nl);

/* `addr` is 4 or 16 bytes by family.  IPv6 addresses skip duplicate address detection.  No
 * prefix route comes with the address (IFA_F_NOPREFIXROUTE): a /64 from the gateway does not
 * send the rest of that /64 into the tunnel; io_netlink_add_route() says what goes there. */
gboolean io_netlink_add_address(
	IoNetlink *nl, int ifindex, int family, const uint8_t *addr, guint prefix, GError **error);
/* A route to dst/prefix via the device; `src` (nullable) is the preferred source address.
 * An existing identical route is left alone and not recorded. */
gboolean io_netlink_add_route(IoNetlink *nl,
                              int ifindex,
                              int family,
                              const uint8_t *dst,
                              guint prefix,
                              const uint8_t *src,
                              GError **error);
/* A host route to `host` through the path the kernel uses for it now.  Does nothing when there
 * is no route to it or one exists already. */
gboolean
io_netlink_add_host_exception(IoNetlink *nl, int family, const uint8_t *host, GError **error);
/* The same for a whole prefix (traffic that must stay out of the tunnel), through the path the
 * kernel uses now for its first address. */
gboolean io_netlink_add_exception(
	IoNetlink *nl, int family, const uint8_t *addr, guint prefix, GError **error);
/* Keep @record (borrowed; nullable) up to date with the exception routes, which outlive the TUN
 * device: each is written to the record's [routes] group ("198.51.100.2/32" = "IFINDEX
 * GATEWAY|-") and the record saved before the route is added, and dropped from it once
 * removed. */
void io_netlink_set_record(IoNetlink *nl, IoRecord *record);
/* The cleanup of a dead session's [routes] and [tun] groups (io-record.h): its exception
 * routes and a TUN device still there are removed.  One line per thing done to @done. */
void io_netlink_undo_record(GKeyFile *kf, GPtrArray *done);

/* Remove everything added, newest first.  Failures are logged, not fatal. */
void io_netlink_teardown(IoNetlink *nl);
/* How many addresses and routes are currently recorded. */
guint io_netlink_get_n_added(const IoNetlink *nl);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(IoNetlink, io_netlink_free)

G_END_DECLS
