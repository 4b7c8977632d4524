/* nm-ferry-service.h - NMFerryService: one NetworkManager VPN connection run by a FerrySession
 *
 * An NMVpnServicePlugin (service type org.freedesktop.NetworkManager.ferry).  NetworkManager
 * starts one process per connection (supports-multiple-connections) with its own bus name.
 * The session runs in-process and leaves addresses, routes and DNS to NetworkManager: the
 * service reports them in Config/Ip4Config/Ip6Config (nm-ferry-service-ip.h), and exports
 * the session's state and timeline for the GUI (nm-ferry-service-state.h).
 */
#pragma once

#include <NetworkManager.h>

G_BEGIN_DECLS

#define NM_FERRY_TYPE_SERVICE (nm_ferry_service_get_type())
G_DECLARE_FINAL_TYPE(NMFerryService, nm_ferry_service, NM_FERRY, SERVICE, NMVpnServicePlugin)

/**
 * nm_ferry_service_new:
 * @bus_name: the name to own (NetworkManager passes it with --bus-name)
 *
 * Returns: (transfer full) (nullable): the service, owning @bus_name on the system bus and
 * exporting its Session object, or NULL with @error.
 */
NMFerryService *nm_ferry_service_new(const char *bus_name, GError **error);

/* The TUN device name template ("ferry%d"); tests set their own. */
void nm_ferry_service_set_tun_name(NMFerryService *self, const char *template_name);

/* TRUE when no session runs or tears down (the process may quit). */
gboolean nm_ferry_service_is_idle(NMFerryService *self);

/* Signal "finished": the connection is over and its session has torn down (DELETE answered
 * or given up), so the process may exit. */

G_END_DECLS
