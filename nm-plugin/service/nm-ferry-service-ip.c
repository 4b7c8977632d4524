/* nm-ferry-service-ip.c - Config/Ip4Config/Ip6Config dictionaries from a connected session */
#include "config.h"

#include <string.h>

#include <NetworkManager.h>

#include "ferry-error.h"
#include "nm-ferry-service-ip.h"

typedef unsigned __int128 Addr;

typedef struct {
	Addr lo, hi;
} Range;

static guint
family_width(GSocketFamily family)
{
	return family == G_SOCKET_FAMILY_IPV6 ? 128 : 32;
}

static Addr
family_max(GSocketFamily family)
{
	return family == G_SOCKET_FAMILY_IPV6 ? ~(Addr)0 : (((Addr)1 << 32) - 1);
}

static Addr
addr_from_inet(GInetAddress *a)
{
	const guint8 *b = g_inet_address_to_bytes(a);
	Addr v = 0;

	for (gsize i = 0; i < g_inet_address_get_native_size(a); i++)
		v = (v << 8) | b[i];
	return v;
}

static void
addr_to_bytes(Addr v, GSocketFamily family, guint8 *out)
{
	gsize n = family_width(family) / 8;

	for (gsize i = 0; i < n; i++)
		out[n - 1 - i] = (guint8)(v >> (8 * i));
}

/* "a/len" or "a-b" of @family, ignoring a traffic selector's "[proto/ports]" suffix;
 * FALSE for another family or garbage. */
static gboolean
parse_range(const char *text, GSocketFamily family, Range *out)
{
	g_autofree char *copy = g_strdup(text);
	g_autoptr(GInetAddress) first = NULL;
	g_autoptr(GInetAddress) last = NULL;
	char *sep;

	g_strdelimit(copy, "[", '\0');
	g_strstrip(copy);
	if ((sep = strchr(copy, '/'))) {
		guint64 len;
		guint width = family_width(family);
		Addr host;

		*sep++ = '\0';
		first = g_inet_address_new_from_string(copy);
		if (!first || g_inet_address_get_family(first) != family ||
		    !g_ascii_string_to_unsigned(sep, 10, 0, width, &len, NULL))
			return FALSE;
		host = len == 0 ? family_max(family) : ((((Addr)1) << (width - len)) - 1);
		out->lo = addr_from_inet(first) & ~host & family_max(family);
		out->hi = out->lo | host;
		return TRUE;
	}
	if ((sep = strchr(copy, '-'))) {
		*sep++ = '\0';
		first = g_inet_address_new_from_string(g_strstrip(copy));
		last = g_inet_address_new_from_string(g_strstrip(sep));
	} else {
		first = g_inet_address_new_from_string(copy);
		last = first ? g_object_ref(first) : NULL;
	}
	if (!first || !last || g_inet_address_get_family(first) != family ||
	    g_inet_address_get_family(last) != family)
		return FALSE;
	out->lo = addr_from_inet(first);
	out->hi = addr_from_inet(last);
	return out->lo <= out->hi;
}

static GArray *
parse_ranges(const char *const *list, GSocketFamily family)
{
	GArray *out = g_array_new(FALSE, FALSE, sizeof(Range));

	for (guint i = 0; list && list[i]; i++) {
		Range r;

		if (parse_range(list[i], family, &r))
			g_array_append_val(out, r);
	}
	return out;
}

static gint
compare_ranges(gconstpointer a, gconstpointer b)
{
	const Range *x = a, *y = b;

	return x->lo < y->lo ? -1 : x->lo > y->lo;
}

/* Sorted, with overlapping and adjacent ranges joined. */
static void
merge_ranges(GArray *ranges)
{
	guint out = 0;

	g_array_sort(ranges, compare_ranges);
	for (guint i = 0; i < ranges->len; i++) {
		Range *r = &g_array_index(ranges, Range, i);
		Range *prev = out ? &g_array_index(ranges, Range, out - 1) : NULL;

		if (prev && (r->lo <= prev->hi || r->lo == prev->hi + 1)) {
			if (r->hi > prev->hi)
				prev->hi = r->hi;
			continue;
		}
		g_array_index(ranges, Range, out++) = *r;
	}
	g_array_set_size(ranges, out);
}

static GArray *
intersect_ranges(GArray *a, GArray *b)
{
	GArray *out = g_array_new(FALSE, FALSE, sizeof(Range));

	for (guint i = 0; i < a->len; i++) {
		for (guint j = 0; j < b->len; j++) {
			const Range *x = &g_array_index(a, Range, i);
			const Range *y = &g_array_index(b, Range, j);
			Range r = {MAX(x->lo, y->lo), MIN(x->hi, y->hi)};

			if (r.lo <= r.hi)
				g_array_append_val(out, r);
		}
	}
	return out;
}

static void
subtract_range(GArray *ranges, const Range *cut)
{
	g_autoptr(GArray) out = g_array_new(FALSE, FALSE, sizeof(Range));

	for (guint i = 0; i < ranges->len; i++) {
		const Range *r = &g_array_index(ranges, Range, i);

		if (cut->hi < r->lo || cut->lo > r->hi) {
			g_array_append_val(out, *r);
			continue;
		}
		if (cut->lo > r->lo) {
			Range left = {r->lo, cut->lo - 1};
			g_array_append_val(out, left);
		}
		if (cut->hi < r->hi) {
			Range right = {cut->hi + 1, r->hi};
			g_array_append_val(out, right);
		}
	}
	g_array_set_size(ranges, 0);
	g_array_append_vals(ranges, out->data, out->len);
}

/* The fewest prefixes covering @r exactly. */
static void
append_prefixes(GArray *routes, const Range *r, GSocketFamily family)
{
	guint width = family_width(family);
	Addr lo = r->lo;

	while (routes->len < NM_FERRY_IP_MAX_ROUTES) {
		NMFerryRoute route = {.family = family};
		guint len = width;

		/* Widen while lo stays aligned and the block stays inside the range. */
		while (len > 0) {
			Addr host = len - 1 == 0 ? family_max(family)
			                         : ((((Addr)1) << (width - len + 1)) - 1);

			if ((lo & host) != 0 || (lo | host) > r->hi)
				break;
			len--;
		}
		route.prefix = len;
		addr_to_bytes(lo, family, route.addr);
		g_array_append_val(routes, route);
		{
			Addr host =
				len == 0 ? family_max(family) : ((((Addr)1) << (width - len)) - 1);

			if ((lo | host) >= r->hi)
				return;
			lo = (lo | host) + 1;
		}
	}
	g_warning("more than %d routes for one family; the rest are left out",
	          NM_FERRY_IP_MAX_ROUTES);
}

GArray *
nm_ferry_service_ip_routes(const NMFerryIpInput *in, GSocketFamily family, gboolean *never_default)
{
	const FerryProfile *p = in->profile;
	g_autoptr(GArray) ranges = parse_ranges(in->ts_remote, family);
	g_autoptr(GArray) excludes = parse_ranges((const char *const *)p->exclude_subnets, family);
	GArray *routes = g_array_new(FALSE, FALSE, sizeof(NMFerryRoute));
	Range gw;

	if (p->include_subnets && *p->include_subnets) {
		g_autoptr(GArray) wanted =
			parse_ranges((const char *const *)p->include_subnets, family);
		GArray *narrowed = intersect_ranges(ranges, wanted);

		g_array_unref(ranges);
		ranges = narrowed;
	}
	for (guint i = 0; i < excludes->len; i++)
		subtract_range(ranges, &g_array_index(excludes, Range, i));
	merge_ranges(ranges);

	/* Everything: NetworkManager's default route through the tunnel (and its own host route
	 * to the gateway through the old path). */
	if (ranges->len == 1 && g_array_index(ranges, Range, 0).lo == 0 &&
	    g_array_index(ranges, Range, 0).hi == family_max(family)) {
		*never_default = FALSE;
		return routes;
	}
	*never_default = TRUE;
	/* The gateway's own packets must never enter the tunnel (the parent's connected route
	 * would lose to a tunnel route covering it). */
	if (in->gateway && parse_range(in->gateway, family, &gw))
		subtract_range(ranges, &gw);
	for (guint i = 0; i < ranges->len; i++)
		append_prefixes(routes, &g_array_index(ranges, Range, i), family);
	return routes;
}

static gboolean
parse_address(
	const char *text, GSocketFamily family, GInetAddress **addr, guint *prefix, GError **error)
{
	g_autofree char *copy = g_strdup(text);
	char *slash = strchr(copy, '/');
	guint64 len = family_width(family);

	if (slash) {
		*slash++ = '\0';
		if (!g_ascii_string_to_unsigned(slash, 10, 1, family_width(family), &len, NULL))
			goto bad;
	}
	*addr = g_inet_address_new_from_string(copy);
	if (!*addr || g_inet_address_get_family(*addr) != family) {
		g_clear_object(addr);
		goto bad;
	}
	*prefix = (guint)len;
	return TRUE;
bad:
	g_set_error(error, FERRY_ERROR, FERRY_ERROR_PROTOCOL, "unusable internal address '%s'",
	            text);
	return FALSE;
}

/* NetworkManager's IPv4 wire form: the address bytes in a native u32. */
static guint32
ip4_u32(const guint8 *bytes)
{
	guint32 v;

	memcpy(&v, bytes, 4);
	return v;
}

static GVariant *
ay(const guint8 *bytes, gsize len)
{
	return g_variant_new_fixed_array(G_VARIANT_TYPE_BYTE, bytes, len, 1);
}

static void
add_domains(GVariantDict *d, const NMFerryIpInput *in)
{
	const FerryProfile *p = in->profile;
	g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func(g_free);

	for (guint i = 0; in->domains && in->domains[i]; i++)
		g_ptr_array_add(list, g_strdup(in->domains[i]));
	for (guint i = 0; p->dns_search_domains && p->dns_search_domains[i]; i++)
		g_ptr_array_add(list, g_strdup(p->dns_search_domains[i]));
	/* "~" marks a routing-only domain for NetworkManager's DNS manager: looked up through
	 * the tunnel's servers, never appended to short names. */
	for (guint i = 0; p->dns_split_domains && p->dns_split_domains[i]; i++) {
		const char *dom = p->dns_split_domains[i];

		g_ptr_array_add(list, g_strconcat("~", dom[0] == '.' ? dom + 1 : dom, NULL));
	}
	if (list->len)
		g_variant_dict_insert_value(
			d, NM_VPN_PLUGIN_IP4_CONFIG_DOMAINS,
			g_variant_new_strv((const char *const *)list->pdata, list->len));
}

static GVariant *
build_ip4(const NMFerryIpInput *in, GInetAddress *addr, guint prefix, gboolean with_domains)
{
	GVariantDict d;
	GVariantBuilder dns, routes;
	g_autoptr(GArray) list = NULL;
	gboolean never_default = TRUE;

	g_variant_dict_init(&d, NULL);
	g_variant_dict_insert(&d, NM_VPN_PLUGIN_IP4_CONFIG_ADDRESS, "u",
	                      ip4_u32(g_inet_address_to_bytes(addr)));
	g_variant_dict_insert(&d, NM_VPN_PLUGIN_IP4_CONFIG_PREFIX, "u", prefix);
	g_variant_builder_init(&dns, G_VARIANT_TYPE("au"));
	for (guint i = 0; in->dns && in->dns[i]; i++) {
		g_autoptr(GInetAddress) a = g_inet_address_new_from_string(in->dns[i]);

		if (a && g_inet_address_get_family(a) == G_SOCKET_FAMILY_IPV4)
			g_variant_builder_add(&dns, "u", ip4_u32(g_inet_address_to_bytes(a)));
	}
	g_variant_dict_insert_value(&d, NM_VPN_PLUGIN_IP4_CONFIG_DNS, g_variant_builder_end(&dns));
	if (with_domains)
		add_domains(&d, in);
	list = nm_ferry_service_ip_routes(in, G_SOCKET_FAMILY_IPV4, &never_default);
	g_variant_builder_init(&routes, G_VARIANT_TYPE("aau"));
	for (guint i = 0; i < list->len; i++) {
		const NMFerryRoute *r = &g_array_index(list, NMFerryRoute, i);
		/* dest, prefix, next hop (none: on the tunnel), metric (0: NetworkManager's) */
		guint32 route[4] = {ip4_u32(r->addr), r->prefix, 0, 0};

		g_variant_builder_add_value(
			&routes, g_variant_new_fixed_array(G_VARIANT_TYPE_UINT32, route, 4, 4));
	}
	g_variant_dict_insert_value(&d, NM_VPN_PLUGIN_IP4_CONFIG_ROUTES,
	                            g_variant_builder_end(&routes));
	g_variant_dict_insert(&d, NM_VPN_PLUGIN_IP4_CONFIG_NEVER_DEFAULT, "b", never_default);
	return g_variant_ref_sink(g_variant_dict_end(&d));
}

static GVariant *
build_ip6(const NMFerryIpInput *in, GInetAddress *addr, guint prefix, gboolean with_domains)
{
	static const guint8 zero[16];
	GVariantDict d;
	GVariantBuilder dns, routes;
	g_autoptr(GArray) list = NULL;
	gboolean never_default = TRUE;

	g_variant_dict_init(&d, NULL);
	g_variant_dict_insert_value(&d, NM_VPN_PLUGIN_IP6_CONFIG_ADDRESS,
	                            ay(g_inet_address_to_bytes(addr), 16));
	g_variant_dict_insert(&d, NM_VPN_PLUGIN_IP6_CONFIG_PREFIX, "u", prefix);
	g_variant_builder_init(&dns, G_VARIANT_TYPE("aay"));
	for (guint i = 0; in->dns && in->dns[i]; i++) {
		g_autoptr(GInetAddress) a = g_inet_address_new_from_string(in->dns[i]);

		if (a && g_inet_address_get_family(a) == G_SOCKET_FAMILY_IPV6)
			g_variant_builder_add_value(&dns, ay(g_inet_address_to_bytes(a), 16));
	}
	g_variant_dict_insert_value(&d, NM_VPN_PLUGIN_IP6_CONFIG_DNS, g_variant_builder_end(&dns));
	if (with_domains)
		add_domains(&d, in);
	list = nm_ferry_service_ip_routes(in, G_SOCKET_FAMILY_IPV6, &never_default);
	g_variant_builder_init(&routes, G_VARIANT_TYPE("a(ayuayu)"));
	for (guint i = 0; i < list->len; i++) {
		const NMFerryRoute *r = &g_array_index(list, NMFerryRoute, i);

		g_variant_builder_add(&routes, "(@ayu@ayu)", ay(r->addr, 16), r->prefix,
		                      ay(zero, 16), 0);
	}
	g_variant_dict_insert_value(&d, NM_VPN_PLUGIN_IP6_CONFIG_ROUTES,
	                            g_variant_builder_end(&routes));
	g_variant_dict_insert(&d, NM_VPN_PLUGIN_IP6_CONFIG_NEVER_DEFAULT, "b", never_default);
	return g_variant_ref_sink(g_variant_dict_end(&d));
}

static GVariant *
build_config(const NMFerryIpInput *in, GInetAddress *gateway, gboolean has4, gboolean has6)
{
	GVariantDict d;

	g_variant_dict_init(&d, NULL);
	g_variant_dict_insert(&d, NM_VPN_PLUGIN_CONFIG_TUNDEV, "s", in->tundev);
	/* Config.gateway is required; NetworkManager routes it around the tunnel. */
	if (g_inet_address_get_family(gateway) == G_SOCKET_FAMILY_IPV4)
		g_variant_dict_insert(&d, NM_VPN_PLUGIN_CONFIG_EXT_GATEWAY, "u",
		                      ip4_u32(g_inet_address_to_bytes(gateway)));
	else
		g_variant_dict_insert_value(&d, NM_VPN_PLUGIN_CONFIG_EXT_GATEWAY,
		                            ay(g_inet_address_to_bytes(gateway), 16));
	if (in->profile->mtu)
		g_variant_dict_insert(&d, NM_VPN_PLUGIN_CONFIG_MTU, "u", in->profile->mtu);
	if (in->banner && *in->banner)
		g_variant_dict_insert(&d, NM_VPN_PLUGIN_CONFIG_BANNER, "s", in->banner);
	g_variant_dict_insert(&d, NM_VPN_PLUGIN_CONFIG_HAS_IP4, "b", has4);
	g_variant_dict_insert(&d, NM_VPN_PLUGIN_CONFIG_HAS_IP6, "b", has6);
	return g_variant_ref_sink(g_variant_dict_end(&d));
}

gboolean
nm_ferry_service_ip_build(
	const NMFerryIpInput *in, GVariant **config, GVariant **ip4, GVariant **ip6, GError **error)
{
	g_autoptr(GInetAddress) gateway = NULL;
	g_autoptr(GInetAddress) a4 = NULL;
	g_autoptr(GInetAddress) a6 = NULL;
	guint p4 = 0, p6 = 0;

	*config = *ip4 = *ip6 = NULL;
	gateway = in->gateway ? g_inet_address_new_from_string(in->gateway) : NULL;
	if (!gateway) {
		g_set_error(error, FERRY_ERROR, FERRY_ERROR_PROTOCOL,
		            "no gateway address for NetworkManager ('%s')",
		            in->gateway ? in->gateway : "");
		return FALSE;
	}
	if (!in->tundev || !*in->tundev) {
		g_set_error(error, FERRY_ERROR, FERRY_ERROR_PROTOCOL, "no tunnel device");
		return FALSE;
	}
	if (in->ip4 && !parse_address(in->ip4, G_SOCKET_FAMILY_IPV4, &a4, &p4, error))
		return FALSE;
	if (in->ip6 && !parse_address(in->ip6, G_SOCKET_FAMILY_IPV6, &a6, &p6, error))
		return FALSE;
	if (!a4 && !a6) {
		g_set_error(error, FERRY_ERROR, FERRY_ERROR_PROTOCOL,
		            "the gateway assigned no internal address (virtual IP)");
		return FALSE;
	}
	*config = build_config(in, gateway, a4 != NULL, a6 != NULL);
	if (a4)
		*ip4 = build_ip4(in, a4, p4, TRUE);
	if (a6)
		*ip6 = build_ip6(in, a6, p6, a4 == NULL);
	return TRUE;
}
