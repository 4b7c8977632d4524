/* ike-cp.c - configuration payload: our request, the gateway's reply (RFC 7296 §2.19, §3.15) */
#include <string.h>

#include <gio/gio.h>

#include "ferry-error.h"
#include "ike-cp.h"

#define IKE_CP_MAX_STRING 255 /* a DNS name, RFC 1035 §2.3.4 */

static void
add_attr(IkeCpPayload *cp, uint16_t type)
{
	if (cp->n_attrs >= IKE_MAX_CP_ATTRS)
		return;
	cp->attrs[cp->n_attrs].type = type;
	cp->attrs[cp->n_attrs].value = FERRY_SPAN_EMPTY;
	cp->n_attrs++;
}

void
ike_cp_build_request(gboolean ip4, gboolean ip6, IkeCpPayload *cp)
{
	memset(cp, 0, sizeof(*cp));
	cp->cfg_type = IKE_CFG_REQUEST;
	if (ip4) {
		add_attr(cp, IKE_CP_ATTR_INTERNAL_IP4_ADDRESS);
		add_attr(cp, IKE_CP_ATTR_INTERNAL_IP4_DNS);
	}
	if (ip6) {
		add_attr(cp, IKE_CP_ATTR_INTERNAL_IP6_ADDRESS);
		add_attr(cp, IKE_CP_ATTR_INTERNAL_IP6_DNS);
	}
	add_attr(cp, IKE_CP_ATTR_INTERNAL_DNS_DOMAIN);
}

static char *
format_inet(const uint8_t *bytes, gsize len)
{
	g_autoptr(GInetAddress) a = g_inet_address_new_from_bytes(
		bytes, len == 4 ? G_SOCKET_FAMILY_IPV4 : G_SOCKET_FAMILY_IPV6);

	return g_inet_address_to_string(a);
}

static guint
count_prefix(const uint8_t *mask, gsize len)
{
	guint n = 0;

	for (gsize i = 0; i < len; i++) {
		for (int bit = 7; bit >= 0; bit--) {
			if (!((mask[i] >> bit) & 1))
				return n;
			n++;
		}
	}
	return n;
}

/* A DNS domain as text, or NULL for anything that is not printable ASCII without spaces. */
static char *
dup_domain(FerrySpan v)
{
	if (v.len == 0 || v.len > IKE_CP_MAX_STRING)
		return NULL;
	for (gsize i = 0; i < v.len; i++) {
		if (v.data[i] <= 0x20 || v.data[i] >= 0x7f)
			return NULL;
	}
	return g_strndup((const char *)v.data, v.len);
}

static void
add_unique(GPtrArray *list, char *take)
{
	for (guint i = 0; i < list->len; i++) {
		if (g_str_equal(list->pdata[i], take)) {
			g_free(take);
			return;
		}
	}
	g_ptr_array_add(list, take);
}

/* UNITY_SPLITDNS_NAME may list several domains separated by spaces or commas. */
static void
add_domain_list(GPtrArray *list, FerrySpan v, guint *n_ignored)
{
	g_autofree char *text = NULL;
	g_auto(GStrv) parts = NULL;

	if (v.len == 0 || v.len > 4 * IKE_CP_MAX_STRING || memchr(v.data, 0, v.len)) {
		(*n_ignored)++;
		return;
	}
	text = g_strndup((const char *)v.data, v.len);
	parts = g_strsplit_set(text, " ,", -1);
	for (guint i = 0; parts[i]; i++) {
		char *d = dup_domain(FERRY_SPAN(parts[i], strlen(parts[i])));

		if (d)
			add_unique(list, d);
	}
}

static gboolean
parse_attr(const IkeCpAttr *a, IkeConfig *c)
{
	FerrySpan v = a->value;
	char *s;

	switch (a->type) {
	case IKE_CP_ATTR_INTERNAL_IP4_ADDRESS:
		if (v.len != 4)
			return v.len == 0;
		if (!c->has_ip4) {
			memcpy(c->ip4, v.data, 4);
			c->has_ip4 = TRUE;
		}
		return TRUE;
	case IKE_CP_ATTR_INTERNAL_IP4_NETMASK:
		if (v.len != 4)
			return v.len == 0;
		c->ip4_prefix = count_prefix(v.data, 4);
		return TRUE;
	case IKE_CP_ATTR_INTERNAL_IP6_ADDRESS:
		/* RFC 7296 §3.15.1: 16 address bytes and a prefix length. */
		if (v.len != 17 || v.data[16] > 128)
			return v.len == 0;
		if (!c->has_ip6) {
			memcpy(c->ip6, v.data, 16);
			c->ip6_prefix = v.data[16];
			c->has_ip6 = TRUE;
		}
		return TRUE;
	case IKE_CP_ATTR_INTERNAL_IP4_DNS:
	case IKE_CP_ATTR_INTERNAL_IP6_DNS:
		if (v.len != (a->type == IKE_CP_ATTR_INTERNAL_IP4_DNS ? 4u : 16u))
			return v.len == 0;
		add_unique(c->dns, format_inet(v.data, v.len));
		return TRUE;
	case IKE_CP_ATTR_INTERNAL_IP4_SUBNET:
		if (v.len != 8)
			return v.len == 0;
		s = format_inet(v.data, 4);
		add_unique(c->subnets, g_strdup_printf("%s/%u", s, count_prefix(v.data + 4, 4)));
		g_free(s);
		return TRUE;
	case IKE_CP_ATTR_INTERNAL_IP6_SUBNET:
		if (v.len != 17 || v.data[16] > 128)
			return v.len == 0;
		s = format_inet(v.data, 16);
		add_unique(c->subnets, g_strdup_printf("%s/%u", s, v.data[16]));
		g_free(s);
		return TRUE;
	case IKE_CP_ATTR_INTERNAL_DNS_DOMAIN:
	case IKE_CP_ATTR_UNITY_DEF_DOMAIN:
		if (v.len == 0)
			return TRUE;
		s = dup_domain(v);
		if (!s)
			return FALSE;
		add_unique(c->domains, s);
		return TRUE;
	default:
		/* Attributes we did not ask for are not an error (RFC 7296 §3.15.1). */
		return TRUE;
	}
}

gboolean
ike_cp_parse_reply(const IkeCpPayload *cp, IkeConfig *config, guint *n_ignored, GError **error)
{
	guint ignored = 0;

	ike_config_clear(config);
	config->dns = g_ptr_array_new_with_free_func(g_free);
	config->domains = g_ptr_array_new_with_free_func(g_free);
	config->subnets = g_ptr_array_new_with_free_func(g_free);
	config->ip4_prefix = 32;
	if (cp->cfg_type != IKE_CFG_REPLY) {
		g_set_error(
			error, FERRY_ERROR, FERRY_ERROR_PROTOCOL,
			"the gateway sent a configuration payload of type %s instead of a reply",
			ike_cfg_name(cp->cfg_type) ? ike_cfg_name(cp->cfg_type) : "unknown");
		return FALSE;
	}
	for (guint i = 0; i < cp->n_attrs; i++) {
		if (cp->attrs[i].type == IKE_CP_ATTR_UNITY_SPLITDNS_NAME) {
			add_domain_list(config->domains, cp->attrs[i].value, &ignored);
			continue;
		}
		if (!parse_attr(&cp->attrs[i], config)) {
			g_debug("CP: ignoring malformed %s (%zu bytes)",
			        ike_cp_attr_name(cp->attrs[i].type)
			                ? ike_cp_attr_name(cp->attrs[i].type)
			                : "attribute",
			        cp->attrs[i].value.len);
			ignored++;
		}
	}
	if (n_ignored)
		*n_ignored = ignored;
	return TRUE;
}

void
ike_config_clear(IkeConfig *config)
{
	g_clear_pointer(&config->dns, g_ptr_array_unref);
	g_clear_pointer(&config->domains, g_ptr_array_unref);
	g_clear_pointer(&config->subnets, g_ptr_array_unref);
	memset(config, 0, sizeof(*config));
}

static void
append_list(GString *s, const char *label, GPtrArray *list)
{
	if (!list || list->len == 0)
		return;
	if (s->len)
		g_string_append(s, ", ");
	g_string_append_printf(s, "%s ", label);
	for (guint i = 0; i < list->len; i++)
		g_string_append_printf(s, "%s%s", i ? " " : "", (const char *)list->pdata[i]);
}

char *
ike_config_to_string(const IkeConfig *config)
{
	GString *s = g_string_new(NULL);

	if (config->has_ip4) {
		g_autofree char *a = format_inet(config->ip4, 4);

		g_string_append_printf(s, "address %s/%u", a, config->ip4_prefix);
	}
	if (config->has_ip6) {
		g_autofree char *a = format_inet(config->ip6, 16);

		g_string_append_printf(s, "%saddress %s/%u", s->len ? ", " : "", a,
		                       config->ip6_prefix);
	}
	append_list(s, "DNS", config->dns);
	append_list(s, "domain", config->domains);
	append_list(s, "subnet", config->subnets);
	if (s->len == 0)
		g_string_append(s, "no attributes");
	return g_string_free(s, FALSE);
}
