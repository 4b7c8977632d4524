/* nm-ferry-service-ip.h - a connected session's facts as NetworkManager's
 * Config/Ip4Config/Ip6Config
 *
 * NetworkManager, not Ferry, applies the tunnel's addresses, routes and DNS when the service
 * runs under it (the session is told not to touch the network).  These dictionaries carry
 * what it needs, in the types nm-vpn-dbus-interface.h gives (IPv4 addresses as network-order
 * u32, IPv6 as ay).  Routes come from the negotiated remote traffic selectors (RFC 7296
 * §2.9), narrowed to include-subnets, minus exclude-subnets and the gateway itself; a family
 * whose routes cover everything gets NetworkManager's default route instead (full tunnel),
 * any other is never-default (split tunnel).
 */
#pragma once

#include <gio/gio.h>

#include "ferry-profile.h"

G_BEGIN_DECLS

typedef struct {
	/* borrowed */
	const FerryProfile *profile;  /* include/exclude subnets, DNS domains, MTU */
	const char *tundev;           /* the TUN device NetworkManager configures */
	const char *gateway;          /* the gateway's IP address the session talks to */
	const char *ip4;              /* "a.b.c.d/len" or NULL (the "up" event's ip4) */
	const char *ip6;              /* "x::y/len" or NULL */
	const char *const *dns;       /* DNS servers, both families (the "up" event's dns) */
	const char *const *domains;   /* the gateway's DNS domains (the "config" event's) */
	const char *const *ts_remote; /* the CHILD SA's remote selectors ("child-sa" event) */
	const char *banner;           /* nullable */
} NMFerryIpInput;

/* Upper bound of routes per family (a range split into prefixes, minus exceptions). */
#define NM_FERRY_IP_MAX_ROUTES 256

/**
 * nm_ferry_service_ip_build:
 * @config: (out) (transfer full): the Config dictionary
 * @ip4: (out) (transfer full) (nullable): Ip4Config, NULL when no IPv4 address was assigned
 * @ip6: (out) (transfer full) (nullable): Ip6Config, NULL when no IPv6 address was assigned
 *
 * Returns: FALSE with FERRY_ERROR_PROTOCOL when the facts cannot make a configuration (no
 * address at all, an unparsable address).
 */
gboolean nm_ferry_service_ip_build(const NMFerryIpInput *in,
                                   GVariant **config,
                                   GVariant **ip4,
                                   GVariant **ip6,
                                   GError **error);

/* One route, for tests and logs: "203.0.113.0/25". */
typedef struct {
	GSocketFamily family;
	guint8 addr[16];
	guint prefix;
} NMFerryRoute;

/* The routes and never-default decision for one family (the core of _build()). */
GArray *
nm_ferry_service_ip_routes(const NMFerryIpInput *in, GSocketFamily family, gboolean *never_default);

G_END_DECLS
