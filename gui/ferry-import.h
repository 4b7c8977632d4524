/* ferry-import.h - FerryImportResult: a profile file turned into NetworkManager connections
 *
 * Reuses the profile library's importers (profile-import.h: .sswan, .mobileconfig, NM
 * keyfiles, Ferry profiles) and the plugin's key table (nm-ferry-keys.h), as the editor
 * plugin's import does, but keeps what the GUI shows: every connection of the file, the
 * fields that could not be carried over, and who signed a .mobileconfig.  Embedded
 * certificates are written under $XDG_DATA_HOME/ferry/nm-certs (where the plugin's import
 * puts them); secrets stay in the connections, flagged agent-owned, for the secret store.
 */
#pragma once

#include <NetworkManager.h>

G_BEGIN_DECLS

/* Where embedded certificates go, under g_get_user_data_dir() (the plugin's directory). */
#define FERRY_IMPORT_CERT_SUBDIR "ferry/nm-certs"

typedef struct {
	/* owned */
	char *source;           /* the file */
	char *format;           /* "sswan", "mobileconfig", ... */
	GPtrArray *connections; /* NMConnection */
	GPtrArray *unmapped;    /* char *: "FIELD: why", prefixed "NAME: " with several */
	char *signer;           /* .mobileconfig signer, NULL when unsigned */
	gboolean signer_trusted;
} FerryImportResult;

void ferry_import_result_free(FerryImportResult *result);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(FerryImportResult, ferry_import_result_free)

/* TRUE for file names the window accepts by drag and drop and offers in its chooser. */
gboolean ferry_import_is_profile_name(const char *path);

/**
 * ferry_import_result_load:
 * @cert_dir: (nullable): where embedded certificates are written; NULL for the default
 * @error: FERRY_ERROR_CONFIG "FILE: FIELD: what is wrong", or an I/O error naming the file
 *
 * Returns: (transfer full): the connections found, NULL with @error.
 */
FerryImportResult *ferry_import_result_load(const char *path, const char *cert_dir, GError **error);

/* A translated, Pango-markup-free description for the confirmation dialog: per connection
 * its name, gateway and authentication; the signer; the unmapped fields. */
char *ferry_import_result_describe(const FerryImportResult *result);

G_END_DECLS
