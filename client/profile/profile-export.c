/* profile-export.c - reports the settings an export format cannot carry */
#include "config.h"

#include "profile-export.h"

void
profile_export_drop(GPtrArray *dropped, const char *field, const char *fmt, ...)
{
	g_autofree char *why = NULL;
	va_list ap;

	if (!dropped)
		return;
	va_start(ap, fmt);
	why = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	g_ptr_array_add(dropped, g_strdup_printf("%s: %s", field, why));
}

static gboolean
has_items(char **list)
{
	return list && *list;
}

void
profile_export_drop_common(const FerryProfile *p, GPtrArray *dropped, guint caps)
{
	static const char why[] = "the format has no such setting";

	if (!(caps & PROFILE_EXPORT_CAN_DNS_DOMAINS)) {
		if (has_items(p->dns_search_domains))
			profile_export_drop(dropped, "dns-search-domains", why);
		if (has_items(p->dns_split_domains))
			profile_export_drop(dropped, "dns-split-domains", why);
	}
	if (!(caps & PROFILE_EXPORT_CAN_DPD) && p->dpd != FERRY_PROFILE_DEFAULT_DPD)
		profile_export_drop(dropped, "dpd", why);
	if (!(caps & PROFILE_EXPORT_CAN_LIFETIMES)) {
		if (p->ike_lifetime != FERRY_PROFILE_DEFAULT_IKE_LIFETIME)
			profile_export_drop(dropped, "ike-lifetime", why);
		if (p->child_lifetime != FERRY_PROFILE_DEFAULT_CHILD_LIFETIME)
			profile_export_drop(dropped, "child-lifetime", why);
	}
	if (!(caps & PROFILE_EXPORT_CAN_PFS) && p->pfs == FERRY_PFS_YES)
		profile_export_drop(dropped, "pfs", why);
	if (p->protocol == FERRY_IPSEC_AH)
		profile_export_drop(dropped, "protocol", why);
	if (p->mode == FERRY_IPSEC_TRANSPORT)
		profile_export_drop(dropped, "mode", why);
	if (p->encap == FERRY_ENCAP_FORCE)
		profile_export_drop(dropped, "encap", why);
	if (!p->virtual_ip4)
		profile_export_drop(dropped, "virtual-ip4", why);
	if (!p->virtual_ip6)
		profile_export_drop(dropped, "virtual-ip6", why);
}
