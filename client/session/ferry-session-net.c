/* ferry-session-net.c - the tunnel's addresses, routes and DNS, and their exact removal */
#include "config.h"

#include <string.h>
#include <sys/socket.h>

#include "ferry-error.h"
#include "ferry-session-private.h"
#include "ike-ts.h"

/* --- selectors to prefixes --- */

static gboolean
bit_is_set(const uint8_t *addr, guint bit)
{
	return (addr[bit / 8] >> (7 - bit % 8)) & 1;
}

/* Is addr's host part (the bits after `len`) all zeros (`value` FALSE) or all ones? */
static gboolean
host_bits_are(const uint8_t *addr, guint len, guint width, gboolean value)
{
	for (guint bit = len; bit < width; bit++) {
		if (bit_is_set(addr, bit) != value)
			return FALSE;
	}
	return TRUE;
}

/* addr | host mask of len. */
static void
last_of(const uint8_t *addr, guint len, guint width, uint8_t *out)
{
	memcpy(out, addr, width / 8);
	for (guint bit = len; bit < width; bit++)
		out[bit / 8] |= (uint8_t)(1 << (7 - bit % 8));
}

/* addr + 1; FALSE on overflow past the top of the address space. */
static gboolean
increment(uint8_t *addr, gsize bytes)
{
	for (gsize i = bytes; i-- > 0;) {
		if (++addr[i] != 0)
			return TRUE;
	}
	return FALSE;
}

gboolean
ferry_session_ts_to_prefixes(const IkeTs *ts, GArray *prefixes)
{
	gsize bytes = ike_ts_addr_len(ts);
	guint width = (guint)bytes * 8;
	uint8_t cur[16] = {0}, last[16];
	FerryPrefix prefix;

	if (!ike_ts_is_valid(ts))
		return FALSE;
	memcpy(cur, ts->start, bytes);
	for (guint n = 0; n < FERRY_SESSION_MAX_PREFIXES; n++) {
		guint len = 0;

		/* The shortest prefix that starts at cur and ends at or before the range's end. */
		while (len < width) {
			if (host_bits_are(cur, len, width, FALSE)) {
				last_of(cur, len, width, last);
				if (memcmp(last, ts->end, bytes) <= 0)
					break;
			}
			len++;
		}
		memset(&prefix, 0, sizeof(prefix));
		prefix.family = bytes == 16 ? AF_INET6 : AF_INET;
		memcpy(prefix.addr, cur, bytes);
		prefix.len = len;
		g_array_append_val(prefixes, prefix);
		last_of(cur, len, width, last);
		if (memcmp(last, ts->end, bytes) >= 0 || !increment(last, bytes))
			return TRUE;
		memcpy(cur, last, bytes);
	}
	return TRUE; /* a pathological range: the first prefixes only */
}

char *
ferry_prefix_to_string(const FerryPrefix *prefix)
{
	g_autoptr(GInetAddress) inet = g_inet_address_new_from_bytes(
		prefix->addr,
		prefix->family == AF_INET6 ? G_SOCKET_FAMILY_IPV6 : G_SOCKET_FAMILY_IPV4);
	g_autofree char *text = g_inet_address_to_string(inet);

	return g_strdup_printf("%s/%u", text, prefix->len);
}

/* --- applying the configuration --- */

static const uint8_t *
virtual_address(FerrySession *self, int family)
{
	if (!self->has_config)
		return NULL;
	if (family == AF_INET && self->config.has_ip4)
		return self->config.ip4;
	if (family == AF_INET6 && self->config.has_ip6)
		return self->config.ip6;
	return NULL;
}

static gboolean
add_addresses(FerrySession *self, GError **error)
{
	int ifindex = io_tun_get_ifindex(self->tun);
	IkeConfig *c = &self->config;

	if (!self->has_config)
		return TRUE;
	/* RFC 7296 §3.15.1: without a netmask the address is a host address. */
	if (c->has_ip4 && !io_netlink_add_address(self->nl, ifindex, AF_INET, c->ip4,
	                                          c->ip4_prefix ? c->ip4_prefix : 32, error))
		return FALSE;
	if (c->has_ip6 && !io_netlink_add_address(self->nl, ifindex, AF_INET6, c->ip6,
	                                          c->ip6_prefix ? c->ip6_prefix : 128, error))
		return FALSE;
	return TRUE;
}

static gboolean
covers_gateway(FerrySession *self, const FerryPrefix *prefix)
{
	IoAddr gw;
	guint full;

	io_udp_get_remote(self->udp, IO_UDP_IKE, &gw);
	if (gw.family != prefix->family)
		return FALSE;
	full = gw.family == AF_INET6 ? 128 : 32;
	for (guint bit = 0; bit < prefix->len && bit < full; bit++) {
		if (bit_is_set(gw.addr, bit) != bit_is_set(prefix->addr, bit))
			return FALSE;
	}
	return TRUE;
}

/* The prefixes the tunnel carries: the remote selectors, in the families we have an address
 * in (the others would leave with no source address).  Also names them for the "up" event. */
static GArray *
tunnel_prefixes(FerrySession *self, const IkeChildSa *child)
{
	GArray *all = g_array_new(FALSE, FALSE, sizeof(FerryPrefix));
	g_autoptr(GArray) one = g_array_new(FALSE, FALSE, sizeof(FerryPrefix));

	g_ptr_array_set_size(self->routes, 0);
	for (guint i = 0; i < child->n_tsr; i++) {
		g_array_set_size(one, 0);
		if (!ferry_session_ts_to_prefixes(&child->tsr[i], one))
			continue;
		for (guint j = 0; j < one->len; j++) {
			const FerryPrefix *p = &g_array_index(one, FerryPrefix, j);

			if (virtual_address(self, p->family) == NULL)
				continue;
			g_array_append_val(all, *p);
			g_ptr_array_add(self->routes, ferry_prefix_to_string(p));
		}
	}
	return all;
}

/* Routes that keep traffic out of the tunnel, through the paths the kernel uses before the
 * tunnel routes exist: the gateway itself when the tunnel would cover it, and the profile's
 * exclude-subnets. */
static gboolean
add_exceptions(FerrySession *self, GArray *tunnel, GError **error)
{
	char **excluded = self->profile->exclude_subnets;
	g_autoptr(GArray) prefixes = g_array_new(FALSE, FALSE, sizeof(FerryPrefix));
	IoAddr gw;

	io_udp_get_remote(self->udp, IO_UDP_IKE, &gw);
	for (guint i = 0; i < tunnel->len; i++) {
		if (covers_gateway(self, &g_array_index(tunnel, FerryPrefix, i))) {
			if (!io_netlink_add_host_exception(self->nl, gw.family, gw.addr, error))
				return FALSE;
			break;
		}
	}
	for (guint i = 0; excluded != NULL && excluded[i] != NULL; i++) {
		IkeTs ts;

		g_array_set_size(prefixes, 0);
		if (!ferry_session_parse_ts(excluded[i], &ts) ||
		    !ferry_session_ts_to_prefixes(&ts, prefixes))
			continue; /* validated with the profile */
		for (guint j = 0; j < prefixes->len; j++) {
			const FerryPrefix *p = &g_array_index(prefixes, FerryPrefix, j);
			if (!io_netlink_add_exception(self->nl, p->family, p->addr, p->len, error))
				return FALSE;
		}
	}
	return TRUE;
}

static gboolean
add_routes(FerrySession *self, GArray *tunnel, GError **error)
{
	int ifindex = io_tun_get_ifindex(self->tun);

	if (!add_exceptions(self, tunnel, error))
		return FALSE;
	for (guint i = 0; i < tunnel->len; i++) {
		const FerryPrefix *p = &g_array_index(tunnel, FerryPrefix, i);

		if (!io_netlink_add_route(self->nl, ifindex, p->family, p->addr, p->len,
		                          virtual_address(self, p->family), error))
			return FALSE;
	}
	return TRUE;
}

static gboolean
full_tunnel(FerrySession *self)
{
	for (guint i = 0; i < self->routes->len; i++) {
		const char *r = g_ptr_array_index(self->routes, i);
		if (g_str_has_suffix(r, "/0"))
			return TRUE;
	}
	return FALSE;
}

static void
add_strv(GPtrArray *out, char **list)
{
	for (guint i = 0; list != NULL && list[i] != NULL; i++)
		g_ptr_array_add(out, list[i]);
}

static void
add_ptrs(GPtrArray *out, GPtrArray *list)
{
	for (guint i = 0; list != NULL && i < list->len; i++)
		g_ptr_array_add(out, g_ptr_array_index(list, i));
}

static gboolean
apply_dns(FerrySession *self, GError **error)
{
	g_autoptr(GPtrArray) servers = g_ptr_array_new();
	g_autoptr(GPtrArray) domains = g_ptr_array_new();
	g_autoptr(GPtrArray) split = g_ptr_array_new();
	const FerryProfile *p = self->profile;

	if (!self->apply_dns || !self->has_config)
		return TRUE;
	add_strv(servers, p->dns_servers);
	add_ptrs(servers, self->config.dns);
	add_ptrs(domains, self->config.domains);
	add_strv(domains, p->dns_search_domains);
	add_strv(split, p->dns_split_domains);
	if (servers->len == 0)
		return TRUE;
	g_ptr_array_add(servers, NULL);
	g_ptr_array_add(domains, NULL);
	g_ptr_array_add(split, NULL);

	self->dns = io_dns_new(self->resolv_conf, NULL, TRUE);
	io_dns_set_record(self->dns, self->record);
	return io_dns_apply(self->dns, io_tun_get_ifindex(self->tun), io_tun_get_name(self->tun),
	                    (const char *const *)servers->pdata,
	                    (const char *const *)domains->pdata, (const char *const *)split->pdata,
	                    full_tunnel(self), error);
}

/* The crash record (io-record.h), written before anything outside the TUN device changes.
 * Without one the tunnel still works; only a crash would leave DNS and routes behind. */
static void
start_record(FerrySession *self)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(IoRecord) record = io_record_new(self->run_dir, &error);

	if (record != NULL) {
		io_record_set_tun(record, io_tun_get_name(self->tun),
		                  io_tun_get_ifindex(self->tun));
		if (io_record_save(record, &error)) {
			self->record = g_steal_pointer(&record);
			return;
		}
	}
	g_message("no crash record, so DNS and routes would stay behind after a crash: %s",
	          error->message);
}

gboolean
ferry_session_cleanup_leftovers(const char *run_dir, GPtrArray *done, GError **error)
{
	g_return_val_if_fail(done != NULL, FALSE);
	return io_record_cleanup(run_dir, done, error);
}

gboolean
ferry_session_net_up(FerrySession *self, const IkeChildSa *child, GError **error)
{
	g_autoptr(GError) local = NULL;
	g_autoptr(GArray) tunnel = tunnel_prefixes(self, child);
	guint mtu = self->profile->mtu != 0 ? self->profile->mtu : IO_TUN_DEFAULT_MTU;

	self->network_up = TRUE;
	if (!io_tun_set_mtu(self->tun, mtu, &local) || !io_tun_set_up(self->tun, TRUE, &local))
		goto failed;
	if (!self->configure_network)
		return TRUE;
	start_record(self);
	self->nl = io_netlink_new(&local);
	if (self->nl != NULL)
		io_netlink_set_record(self->nl, self->record);
	if (self->nl == NULL || !add_addresses(self, &local) || !add_routes(self, tunnel, &local) ||
	    !apply_dns(self, &local))
		goto failed;
	return TRUE;

failed:
	g_set_error(error, FERRY_ERROR, FERRY_ERROR_IO, "cannot configure %s: %s",
	            io_tun_get_name(self->tun), local->message);
	return FALSE;
}

void
ferry_session_net_down(FerrySession *self)
{
	g_autoptr(GError) error = NULL;
	gboolean keep_record = FALSE;

	if (!self->network_up)
		return;
	self->network_up = FALSE;
	if (self->dns != NULL && !io_dns_restore(self->dns, &error)) {
		g_warning("cannot restore DNS: %s", error->message);
		keep_record = TRUE; /* the next ferry tries again */
	}
	g_clear_pointer(&self->dns, io_dns_free);
	if (self->nl != NULL)
		io_netlink_teardown(self->nl);
	g_clear_pointer(&self->nl, io_netlink_free);
	if (self->record != NULL && !keep_record)
		io_record_remove(self->record);
	g_clear_pointer(&self->record, io_record_free);
	if (self->tun != NULL)
		(void)io_tun_set_up(self->tun, FALSE, NULL);
}
