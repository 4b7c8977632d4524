/* export-mobileconfig.c - writes a FerryProfile as an unsigned Apple configuration profile */
#include "config.h"

#include "ferry-error.h"
#include "profile-import.h"

GBytes *
ferry_export_mobileconfig(const FerryProfile *profile,
                          const FerryProfileSecrets *secrets,
                          GPtrArray *dropped,
                          GError **error)
{
	/* TODO(#3): lands with its tests. */
	g_set_error(error, FERRY_ERROR, FERRY_ERROR_CONFIG,
	            "export to .mobileconfig is not implemented yet");
	return NULL;
}
