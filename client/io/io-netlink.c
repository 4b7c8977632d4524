/* io-netlink.c - tunnel addresses and routes through libnl-route-3 */
#include "config.h"

#include <linux/if_addr.h>
#include <linux/rtnetlink.h>
#include <netinet/in.h>
#include <netlink/addr.h>
#include <netlink/errno.h>
#include <netlink/netlink.h>
#include <netlink/route/addr.h>
#include <netlink/route/link.h>
#include <netlink/route/nexthop.h>
#include <netlink/route/route.h>
#include <net/if.h>
#include <sys/socket.h>

#include "io-netlink.h"

#define ROUTES_GROUP "routes"
#define TUN_GROUP    "tun"

struct _IoNetlink {
	/* owned */
	struct nl_sock *sock;
	GPtrArray *added;     /* struct nl_object *: rtnl_addr or rtnl_route, oldest first */
	GHashTable *recorded; /* struct nl_object * -> its [routes] key (char *) */
	/* borrowed */
	IoRecord *record;
};

static void
put_object(gpointer object)
{
	nl_object_put(object);
}

static gsize
family_len(int family)
{
	return family == AF_INET6 ? 16 : 4;
}

static char *
format_prefix(int family, const uint8_t *addr, guint prefix)
{
	g_autoptr(GInetAddress) inet = g_inet_address_new_from_bytes(
		addr, family == AF_INET6 ? G_SOCKET_FAMILY_IPV6 : G_SOCKET_FAMILY_IPV4);
	g_autofree char *text = g_inet_address_to_string(inet);

	return g_strdup_printf("%s/%u", text, prefix);
}

static gboolean
set_nl_error(GError **error, int err, const char *what, const char *object)
{
	g_set_error(error, G_IO_ERROR, G_IO_ERROR_FAILED, "cannot %s %s: %s", what, object,
	            nl_geterror(err));
	return FALSE;
}

IoNetlink *
io_netlink_new(GError **error)
{
	g_autoptr(IoNetlink) nl = g_new0(IoNetlink, 1);
	int err;

	nl->added = g_ptr_array_new_with_free_func(put_object);
	nl->recorded = g_hash_table_new_full(NULL, NULL, NULL, g_free);
	nl->sock = nl_socket_alloc();
	if (nl->sock == NULL) {
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_FAILED,
		            "cannot allocate a netlink socket");
		return NULL;
	}
	err = nl_connect(nl->sock, NETLINK_ROUTE);
	if (err < 0) {
		set_nl_error(error, err, "open", "a netlink socket");
		return NULL;
	}
	return g_steal_pointer(&nl);
}

void
io_netlink_free(IoNetlink *nl)
{
	if (nl == NULL)
		return;
	if (nl->added != NULL && nl->added->len > 0)
		g_debug("netlink: freed with %u entries still in place", nl->added->len);
	g_clear_pointer(&nl->added, g_ptr_array_unref);
	g_clear_pointer(&nl->recorded, g_hash_table_unref);
	g_clear_pointer(&nl->sock, nl_socket_free);
	g_free(nl);
}

guint
io_netlink_get_n_added(const IoNetlink *nl)
{
	return nl->added->len;
}

gboolean
io_netlink_add_address(
	IoNetlink *nl, int ifindex, int family, const uint8_t *addr, guint prefix, GError **error)
{
	struct rtnl_addr *ra = rtnl_addr_alloc();
	struct nl_addr *local = nl_addr_build(family, addr, family_len(family));
	g_autofree char *text = format_prefix(family, addr, prefix);
	int err;

	rtnl_addr_set_ifindex(ra, ifindex);
	rtnl_addr_set_family(ra, family);
	rtnl_addr_set_local(ra, local); /* before the prefix length, which it would override */
	rtnl_addr_set_prefixlen(ra, (int)prefix);
	/* The prefix length is what the gateway assigned (RFC 7296 §3.15.1), not what the
	 * tunnel carries: the routes come from the traffic selectors alone. */
	rtnl_addr_set_flags(ra, family == AF_INET6 ? IFA_F_NODAD | IFA_F_NOPREFIXROUTE
	                                           : IFA_F_NOPREFIXROUTE);
	nl_addr_put(local);

	err = rtnl_addr_add(nl->sock, ra, NLM_F_EXCL);
	if (err < 0) {
		rtnl_addr_put(ra);
		return set_nl_error(error, err, "add address", text);
	}
	g_debug("netlink: address %s added to link %d", text, ifindex);
	g_ptr_array_add(nl->added, ra);
	return TRUE;
}

/* Add one route; records it unless it existed. */
static gboolean
add_route(IoNetlink *nl,
          int family,
          const uint8_t *dst,
          guint prefix,
          int ifindex,
          struct nl_addr *gateway,
          const uint8_t *src,
          GError **error)
{
	struct rtnl_route *route = rtnl_route_alloc();
	struct rtnl_nexthop *nh = rtnl_route_nh_alloc();
	struct nl_addr *addr = nl_addr_build(family, dst, family_len(family));
	g_autofree char *text = format_prefix(family, dst, prefix);
	int err;

	nl_addr_set_prefixlen(addr, (int)prefix);
	rtnl_route_set_family(route, (uint8_t)family);
	rtnl_route_set_dst(route, addr);
	nl_addr_put(addr);
	rtnl_route_set_table(route, RT_TABLE_MAIN);
	rtnl_route_set_protocol(route, RTPROT_STATIC);
	rtnl_route_set_type(route, RTN_UNICAST);
	rtnl_route_set_scope(route, gateway != NULL ? RT_SCOPE_UNIVERSE : RT_SCOPE_LINK);
	if (src != NULL) {
		struct nl_addr *pref = nl_addr_build(family, src, family_len(family));
		rtnl_route_set_pref_src(route, pref);
		nl_addr_put(pref);
	}
	rtnl_route_nh_set_ifindex(nh, ifindex);
	if (gateway != NULL)
		rtnl_route_nh_set_gateway(nh, gateway);
	rtnl_route_add_nexthop(route, nh);

	err = rtnl_route_add(nl->sock, route, NLM_F_EXCL);
	if (err == -NLE_EXIST) {
		g_debug("netlink: route %s exists already; left alone", text);
		rtnl_route_put(route);
		return TRUE;
	}
	if (err < 0) {
		rtnl_route_put(route);
		return set_nl_error(error, err, "add route", text);
	}
	g_debug("netlink: route %s via link %d added", text, ifindex);
	g_ptr_array_add(nl->added, route);
	return TRUE;
}

gboolean
io_netlink_add_route(IoNetlink *nl,
                     int ifindex,
                     int family,
                     const uint8_t *dst,
                     guint prefix,
                     const uint8_t *src,
                     GError **error)
{
	uint8_t half[16] = {0};

	g_return_val_if_fail(family == AF_INET || family == AF_INET6, FALSE);
	g_return_val_if_fail(prefix <= family_len(family) * 8, FALSE);
	if (prefix > 0)
		return add_route(nl, family, dst, prefix, ifindex, NULL, src, error);

	/* A default route as two halves: see the policy in io-netlink.h. */
	if (!add_route(nl, family, half, 1, ifindex, NULL, src, error))
		return FALSE;
	half[0] = 0x80;
	return add_route(nl, family, half, 1, ifindex, NULL, src, error);
}

void
io_netlink_set_record(IoNetlink *nl, IoRecord *record)
{
	nl->record = record;
}

static void
save_record(IoNetlink *nl)
{
	g_autoptr(GError) error = NULL;

	if (!io_record_save(nl->record, &error))
		g_message("routes will not be removed after a crash: %s", error->message);
}

/* Before adding: the route goes to the record first, so a crash right after leaves no route
 * unrecorded. */
static void
record_route(IoNetlink *nl, const char *key, int ifindex, struct nl_addr *gateway)
{
	char gw[INET6_ADDRSTRLEN + 8] = "-";
	g_autofree char *value = NULL;

	if (nl->record == NULL)
		return;
	if (gateway != NULL)
		nl_addr2str(gateway, gw, sizeof(gw));
	value = g_strdup_printf("%d %s", ifindex, gw);
	g_key_file_set_string(io_record_get_keyfile(nl->record), ROUTES_GROUP, key, value);
	save_record(nl);
}

static void
forget_route(IoNetlink *nl, const char *key)
{
	if (nl->record == NULL)
		return;
	if (g_key_file_remove_key(io_record_get_keyfile(nl->record), ROUTES_GROUP, key, NULL))
		save_record(nl);
}

gboolean
io_netlink_add_exception(
	IoNetlink *nl, int family, const uint8_t *addr, guint prefix, GError **error)
{
	struct nl_addr *dst = nl_addr_build(family, addr, family_len(family));
	struct rtnl_route *found = NULL;
	struct rtnl_nexthop *nh;
	g_autofree char *text = format_prefix(family, addr, prefix);
	gboolean ok;
	guint n_before;
	int err;

	g_return_val_if_fail(prefix <= family_len(family) * 8, FALSE);
	err = rtnl_route_lookup(nl->sock, dst, &found);
	nl_addr_put(dst);
	if (err < 0 || found == NULL) {
		g_debug("netlink: no route to %s (%s); no exception needed", text,
		        nl_geterror(err));
		return TRUE;
	}
	if (rtnl_route_get_type(found) != RTN_UNICAST || rtnl_route_get_nnexthops(found) < 1) {
		g_debug("netlink: %s is local or unreachable; no exception needed", text);
		rtnl_route_put(found);
		return TRUE;
	}
	nh = rtnl_route_nexthop_n(found, 0);
	record_route(nl, text, rtnl_route_nh_get_ifindex(nh), rtnl_route_nh_get_gateway(nh));
	n_before = nl->added->len;
	ok = add_route(nl, family, addr, prefix, rtnl_route_nh_get_ifindex(nh),
	               rtnl_route_nh_get_gateway(nh), NULL, error);
	rtnl_route_put(found);
	if (nl->added->len > n_before)
		g_hash_table_insert(nl->recorded, g_ptr_array_index(nl->added, n_before),
		                    g_steal_pointer(&text));
	else
		forget_route(nl, text); /* it was there before us, or could not be added */
	return ok;
}

gboolean
io_netlink_add_host_exception(IoNetlink *nl, int family, const uint8_t *host, GError **error)
{
	return io_netlink_add_exception(nl, family, host, (guint)family_len(family) * 8, error);
}

void
io_netlink_teardown(IoNetlink *nl)
{
	while (nl->added->len > 0) {
		struct nl_object *object = g_ptr_array_index(nl->added, nl->added->len - 1);
		const char *type = nl_object_get_type(object);
		int err;

		if (g_strcmp0(type, "route/addr") == 0)
			err = rtnl_addr_delete(nl->sock, (struct rtnl_addr *)object, 0);
		else
			err = rtnl_route_delete(nl->sock, (struct rtnl_route *)object, 0);
		/* The kernel drops what hung off a TUN device that is already gone. */
		if (err < 0 && err != -NLE_NODEV && err != -NLE_OBJ_NOTFOUND)
			g_message("netlink: cannot remove a %s: %s", type, nl_geterror(err));
		else if (g_hash_table_contains(nl->recorded, object))
			forget_route(nl, g_hash_table_lookup(nl->recorded, object));
		g_hash_table_remove(nl->recorded, object);
		g_ptr_array_remove_index(nl->added, nl->added->len - 1);
	}
}

/* --- after a crash --- */

/* Remove the route "dst/prefix" = "IFINDEX GATEWAY|-" that a dead session added. */
static void
undo_route(struct nl_sock *sock, const char *key, const char *value, GPtrArray *done)
{
	g_auto(GStrv) parts = g_strsplit(value, " ", 2);
	struct nl_addr *dst = NULL, *gw = NULL;
	struct rtnl_route *route = NULL;
	struct rtnl_nexthop *nh;
	guint64 ifindex = 0;
	int err;

	if (g_strv_length(parts) != 2 || nl_addr_parse(key, AF_UNSPEC, &dst) < 0 ||
	    !g_ascii_string_to_unsigned(parts[0], 10, 1, G_MAXINT, &ifindex, NULL) ||
	    (strcmp(parts[1], "-") != 0 &&
	     nl_addr_parse(parts[1], nl_addr_get_family(dst), &gw) < 0)) {
		g_ptr_array_add(done, g_strdup_printf("could not read the route %s", key));
		goto out;
	}
	route = rtnl_route_alloc();
	rtnl_route_set_family(route, (uint8_t)nl_addr_get_family(dst));
	rtnl_route_set_dst(route, dst);
	rtnl_route_set_table(route, RT_TABLE_MAIN);
	rtnl_route_set_protocol(route, RTPROT_STATIC);
	rtnl_route_set_scope(route, gw != NULL ? RT_SCOPE_UNIVERSE : RT_SCOPE_LINK);
	nh = rtnl_route_nh_alloc();
	rtnl_route_nh_set_ifindex(nh, (int)ifindex);
	if (gw != NULL)
		rtnl_route_nh_set_gateway(nh, gw);
	rtnl_route_add_nexthop(route, nh);
	err = rtnl_route_delete(sock, route, 0);
	if (err == 0)
		g_ptr_array_add(done, g_strdup_printf("removed the route to %s", key));
	else if (err != -NLE_OBJ_NOTFOUND && err != -NLE_NODEV)
		g_ptr_array_add(done, g_strdup_printf("could not remove the route to %s: %s", key,
		                                      nl_geterror(err)));
out:
	if (route != NULL)
		rtnl_route_put(route);
	if (dst != NULL)
		nl_addr_put(dst);
	if (gw != NULL)
		nl_addr_put(gw);
}

/* A TUN device outlives its process only when made persistent; whatever is left with the
 * recorded name and index goes. */
static void
undo_tun(struct nl_sock *sock, GKeyFile *kf, GPtrArray *done)
{
	g_autofree char *name = g_key_file_get_string(kf, TUN_GROUP, "name", NULL);
	int ifindex = g_key_file_get_integer(kf, TUN_GROUP, "ifindex", NULL);
	char now[IF_NAMESIZE];
	struct rtnl_link *link;
	int err;

	if (name == NULL || ifindex <= 0 || if_indextoname((unsigned)ifindex, now) == NULL ||
	    strcmp(now, name) != 0)
		return;
	link = rtnl_link_alloc();
	rtnl_link_set_ifindex(link, ifindex);
	err = rtnl_link_delete(sock, link);
	rtnl_link_put(link);
	if (err == 0)
		g_ptr_array_add(done, g_strdup_printf("removed the TUN device %s", name));
	else
		g_ptr_array_add(done, g_strdup_printf("could not remove the TUN device %s: %s",
		                                      name, nl_geterror(err)));
}

void
io_netlink_undo_record(GKeyFile *kf, GPtrArray *done)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(IoNetlink) nl = NULL;
	g_auto(GStrv) keys = NULL;

	if (!g_key_file_has_group(kf, ROUTES_GROUP) && !g_key_file_has_group(kf, TUN_GROUP))
		return;
	nl = io_netlink_new(&error);
	if (nl == NULL) {
		g_ptr_array_add(done, g_strdup(error->message));
		return;
	}
	keys = g_key_file_get_keys(kf, ROUTES_GROUP, NULL, NULL);
	for (guint i = 0; keys != NULL && keys[i] != NULL; i++) {
		g_autofree char *value = g_key_file_get_string(kf, ROUTES_GROUP, keys[i], NULL);
		if (value != NULL)
			undo_route(nl->sock, keys[i], value, done);
	}
	undo_tun(nl->sock, kf, done);
}
