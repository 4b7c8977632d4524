/* profile-export.h - helpers shared by the exporters: reporting what a format cannot carry */
#pragma once

#include <glib.h>

#include "ferry-profile.h"

G_BEGIN_DECLS

/* Settings a format can express; the rest are reported as dropped when not at default. */
typedef enum {
	PROFILE_EXPORT_CAN_DNS_DOMAINS = 1 << 0, /* dns-search-domains, dns-split-domains */
	PROFILE_EXPORT_CAN_DPD = 1 << 1,
	PROFILE_EXPORT_CAN_LIFETIMES = 1 << 2,
	PROFILE_EXPORT_CAN_PFS = 1 << 3,
} ProfileExportCaps;

#define PROFILE_EXPORT_SSWAN_CAN 0
#define PROFILE_EXPORT_MOBILECONFIG_CAN                                                            \
	(PROFILE_EXPORT_CAN_DNS_DOMAINS | PROFILE_EXPORT_CAN_DPD | PROFILE_EXPORT_CAN_LIFETIMES |  \
	 PROFILE_EXPORT_CAN_PFS)

/* Appends "FIELD: why" to @dropped (which may be NULL). */
void profile_export_drop(GPtrArray *dropped, const char *field, const char *fmt, ...)
	G_GNUC_PRINTF(3, 4);
/* Reports the fields outside @caps that differ from their defaults, and those no export
 * format carries (protocol ah, transport mode, forced encapsulation, virtual IP choices). */
void profile_export_drop_common(const FerryProfile *p, GPtrArray *dropped, guint caps);

G_END_DECLS
