/* ike-ts.c - traffic selectors: construction, narrowing checks, rendering (RFC 7296 §2.9, §3.13) */
#include <string.h>
#include <sys/socket.h>

#include <gio/gio.h>

#include "ike-ts.h"

gsize
ike_ts_addr_len(const IkeTs *ts)
{
	if (ts->type == IKE_TS_IPV4_ADDR_RANGE)
		return 4;
	if (ts->type == IKE_TS_IPV6_ADDR_RANGE)
		return 16;
	return 0;
}

static uint8_t
type_for_family(int family)
{
	if (family == AF_INET)
		return IKE_TS_IPV4_ADDR_RANGE;
	if (family == AF_INET6)
		return IKE_TS_IPV6_ADDR_RANGE;
	return 0;
}

gboolean
ike_ts_set_full(IkeTs *ts, int family)
{
	memset(ts, 0, sizeof(*ts));
	ts->type = type_for_family(family);
	if (!ts->type)
		return FALSE;
	ts->start_port = 0;
	ts->end_port = 0xffff;
	memset(ts->end, 0xff, ike_ts_addr_len(ts));
	return TRUE;
}

gboolean
ike_ts_set_addr(IkeTs *ts, const IkeAddr *addr)
{
	memset(ts, 0, sizeof(*ts));
	ts->type = type_for_family(addr->family);
	if (!ts->type)
		return FALSE;
	ts->end_port = 0xffff;
	memcpy(ts->start, addr->addr, ike_ts_addr_len(ts));
	memcpy(ts->end, addr->addr, ike_ts_addr_len(ts));
	return TRUE;
}

gboolean
ike_ts_set_prefix(IkeTs *ts, int family, const uint8_t *addr, guint prefix)
{
	gsize alen;

	memset(ts, 0, sizeof(*ts));
	ts->type = type_for_family(family);
	alen = ike_ts_addr_len(ts);
	if (!ts->type || prefix > alen * 8)
		return FALSE;
	ts->end_port = 0xffff;
	for (gsize i = 0; i < alen; i++) {
		guint bits = prefix > i * 8 ? MIN(prefix - i * 8, 8) : 0;
		uint8_t mask = (uint8_t)(0xff00 >> bits);

		ts->start[i] = addr[i] & mask;
		ts->end[i] = addr[i] | (uint8_t)~mask;
	}
	return TRUE;
}

gboolean
ike_ts_is_valid(const IkeTs *ts)
{
	gsize alen = ike_ts_addr_len(ts);

	if (alen == 0 || ts->start_port > ts->end_port)
		return FALSE;
	return memcmp(ts->start, ts->end, alen) <= 0;
}

gboolean
ike_ts_is_subset(const IkeTs *inner, const IkeTs *outer)
{
	gsize alen = ike_ts_addr_len(outer);

	if (inner->type != outer->type || alen == 0)
		return FALSE;
	if (!ike_ts_is_valid(inner) || !ike_ts_is_valid(outer))
		return FALSE;
	/* IP protocol 0 means any (RFC 7296 §3.13.1). */
	if (outer->ip_proto != 0 && inner->ip_proto != outer->ip_proto)
		return FALSE;
	if (inner->start_port < outer->start_port || inner->end_port > outer->end_port)
		return FALSE;
	return memcmp(inner->start, outer->start, alen) >= 0 &&
	       memcmp(inner->end, outer->end, alen) <= 0;
}

gboolean
ike_ts_check_narrowed(const IkeTs *got, guint n_got, const IkeTs *offered, guint n_offered)
{
	if (n_got == 0)
		return FALSE;
	for (guint i = 0; i < n_got; i++) {
		gboolean inside = FALSE;

		for (guint j = 0; j < n_offered && !inside; j++)
			inside = ike_ts_is_subset(&got[i], &offered[j]);
		if (!inside)
			return FALSE;
	}
	return TRUE;
}

/* The prefix length when start..end is exactly one CIDR block, else -1. */
static int
find_prefix(const IkeTs *ts)
{
	gsize alen = ike_ts_addr_len(ts);
	int prefix = 0;
	gboolean in_host = FALSE;

	for (gsize i = 0; i < alen; i++) {
		for (int bit = 7; bit >= 0; bit--) {
			int s = (ts->start[i] >> bit) & 1;
			int e = (ts->end[i] >> bit) & 1;

			if (!in_host && s == e) {
				prefix++;
				continue;
			}
			in_host = TRUE;
			if (s != 0 || e != 1)
				return -1;
		}
	}
	return prefix;
}

static char *
format_addr(const IkeTs *ts, const uint8_t *bytes)
{
	g_autoptr(GInetAddress) a = NULL;

	a = g_inet_address_new_from_bytes(bytes, ike_ts_addr_len(ts) == 4 ? G_SOCKET_FAMILY_IPV4
	                                                                  : G_SOCKET_FAMILY_IPV6);
	return g_inet_address_to_string(a);
}

char *
ike_ts_to_string(const IkeTs *ts)
{
	g_autofree char *start = NULL;
	g_autofree char *end = NULL;
	GString *s;
	int prefix;

	if (ike_ts_addr_len(ts) == 0)
		return g_strdup_printf("TS(type %u)", ts->type);
	s = g_string_new(NULL);
	start = format_addr(ts, ts->start);
	prefix = find_prefix(ts);
	if (prefix >= 0) {
		g_string_append_printf(s, "%s/%d", start, prefix);
	} else {
		end = format_addr(ts, ts->end);
		g_string_append_printf(s, "%s-%s", start, end);
	}
	if (ts->ip_proto != 0 || ts->start_port != 0 || ts->end_port != 0xffff) {
		g_string_append_printf(s, "[%u", ts->ip_proto);
		if (ts->start_port == ts->end_port)
			g_string_append_printf(s, "/%u", ts->start_port);
		else if (ts->start_port != 0 || ts->end_port != 0xffff)
			g_string_append_printf(s, "/%u-%u", ts->start_port, ts->end_port);
		g_string_append_c(s, ']');
	}
	return g_string_free(s, FALSE);
}

char *
ike_ts_list_to_string(const IkeTs *ts, guint n)
{
	GString *s = g_string_new(NULL);

	for (guint i = 0; i < n; i++) {
		g_autofree char *one = ike_ts_to_string(&ts[i]);

		if (i > 0)
			g_string_append(s, ", ");
		g_string_append(s, one);
	}
	return g_string_free(s, FALSE);
}
