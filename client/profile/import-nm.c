/* import-nm.c - imports NetworkManager keyfiles of strongswan and libreswan VPN connections */
#include "config.h"

#include "ferry-error.h"
#include "profile-import.h"

GPtrArray *
ferry_import_nm(const guint8 *data, gsize len, const char *source, GError **error)
{
	/* TODO(#3): lands with its tests. */
	g_set_error(error, FERRY_ERROR, FERRY_ERROR_CONFIG,
	            "%s: NetworkManager connections cannot be imported yet", source);
	return NULL;
}
