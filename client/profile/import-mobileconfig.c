/* import-mobileconfig.c - imports Apple configuration profiles with IKEv2 VPN payloads */
#include "config.h"

#include "ferry-error.h"
#include "profile-import.h"

GPtrArray *
ferry_import_mobileconfig(const guint8 *data,
                          gsize len,
                          const char *source,
                          const FerryImportOptions *options,
                          GError **error)
{
	/* TODO(#3): lands with its tests. */
	g_set_error(error, FERRY_ERROR, FERRY_ERROR_CONFIG,
	            "%s: Apple configuration profiles cannot be imported yet", source);
	return NULL;
}
