/* ferry-import.c - FerryImportResult: a profile file -> NMConnections, with what was lost */
#include "config.h"

#include <errno.h>

#include <glib/gi18n.h>

#include "ferry-connection-item.h"
#include "ferry-error.h"
#include "ferry-import.h"
#include "ferry-secret-store.h"
#include "nm-ferry-keys.h"
#include "profile-import.h"

void
ferry_import_result_free(FerryImportResult *result)
{
	if (!result)
		return;
	g_free(result->source);
	g_free(result->format);
	g_clear_pointer(&result->connections, g_ptr_array_unref);
	g_clear_pointer(&result->unmapped, g_ptr_array_unref);
	g_free(result->signer);
	g_free(result);
}

gboolean
ferry_import_is_profile_name(const char *path)
{
	static const char *const suffixes[] = {".sswan", ".mobileconfig", ".nmconnection",
	                                       ".profile", ".conf"};
	g_autofree char *lower = NULL;

	if (!path)
		return FALSE;
	lower = g_ascii_strdown(path, -1);
	for (gsize i = 0; i < G_N_ELEMENTS(suffixes); i++) {
		if (g_str_has_suffix(lower, suffixes[i]))
			return TRUE;
	}
	return FALSE;
}

static gboolean
write_attachments(FerryImport *import, const char *cert_dir, GError **error)
{
	if (!import->attachments || import->attachments->len == 0)
		return TRUE;
	if (g_mkdir_with_parents(cert_dir, 0700) != 0) {
		int errsv = errno;

		g_set_error(error, G_IO_ERROR, g_io_error_from_errno(errsv),
		            _("Cannot create %s: %s"), cert_dir, g_strerror(errsv));
		return FALSE;
	}
	return ferry_import_write_attachments(import, cert_dir, import->profile->uuid, error);
}

FerryImportResult *
ferry_import_result_load(const char *path, const char *cert_dir, GError **error)
{
	g_autoptr(FerryImportResult) result = g_new0(FerryImportResult, 1);
	g_autoptr(GPtrArray) records = NULL;
	g_autofree char *default_dir = NULL;

	g_return_val_if_fail(path != NULL, NULL);

	records = ferry_import_file(path, NULL, error);
	if (!records)
		return NULL;
	if (records->len == 0) {
		g_set_error(error, FERRY_ERROR, FERRY_ERROR_CONFIG,
		            _("%s: no VPN connection found"), path);
		return NULL;
	}
	if (!cert_dir) {
		default_dir =
			g_build_filename(g_get_user_data_dir(), FERRY_IMPORT_CERT_SUBDIR, NULL);
		cert_dir = default_dir;
	}
	result->source = g_strdup(path);
	result->connections = g_ptr_array_new_with_free_func(g_object_unref);
	result->unmapped = g_ptr_array_new_with_free_func(g_free);
	for (guint i = 0; i < records->len; i++) {
		FerryImport *import = records->pdata[i];
		NMConnection *connection;

		if (!write_attachments(import, cert_dir, error))
			return NULL;
		if (i == 0) {
			result->format = g_strdup(ferry_import_format_to_string(import->format));
			result->signer = g_strdup(import->signer);
			result->signer_trusted = import->signer_trusted;
		}
		for (guint j = 0; import->unmapped && j < import->unmapped->len; j++) {
			const char *field = import->unmapped->pdata[j];

			g_ptr_array_add(
				result->unmapped,
				records->len > 1
					? g_strdup_printf("%s: %s", import->profile->name, field)
					: g_strdup(field));
		}
		connection = nm_ferry_keys_connection_new(import->profile, import->secrets);
		/* A VPN comes up when the user asks, until they choose otherwise. */
		g_object_set(nm_connection_get_setting_connection(connection),
		             NM_SETTING_CONNECTION_AUTOCONNECT, FALSE, NULL);
		ferry_secret_store_mark_agent_owned(connection);
		g_ptr_array_add(result->connections, connection);
	}
	return g_steal_pointer(&result);
}

char *
ferry_import_result_describe(const FerryImportResult *result)
{
	GString *text = g_string_new(NULL);

	g_return_val_if_fail(result != NULL, NULL);

	for (guint i = 0; i < result->connections->len; i++) {
		g_autoptr(FerryConnectionItem) item =
			ferry_connection_item_new(result->connections->pdata[i]);
		g_autofree char *summary = ferry_connection_item_dup_summary(item);

		g_string_append_printf(text, "%s%s — %s", i ? "\n" : "",
		                       ferry_connection_item_get_name(item), summary);
	}
	if (result->signer)
		g_string_append_printf(
			text, "\n\n%s",
			result->signer_trusted
				? _("Signed by a trusted signer:")
				: _("Signed, but the signature could not be verified:"));
	if (result->signer)
		g_string_append_printf(text, " %s", result->signer);
	if (result->unmapped->len) {
		g_string_append_printf(text, "\n\n%s",
		                       _("These settings of the file cannot be used by Ferry and "
		                         "were left out:"));
		for (guint i = 0; i < result->unmapped->len; i++)
			g_string_append_printf(text, "\n• %s",
			                       (const char *)result->unmapped->pdata[i]);
	}
	return g_string_free(text, FALSE);
}
