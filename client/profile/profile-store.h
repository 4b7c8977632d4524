/* profile-store.h - a directory of profiles: list, find, save, import, delete
 *
 * Layout of the directory (one set of files per profile, named after the profile):
 *   corp-vpn.profile      settings ([profile] keyfile, 0644)
 *   corp-vpn.secrets      secrets ([secrets] keyfile, 0600), only when there are any
 *   corp-vpn.ca.pem ...   files an import carried (certificates 0644, PKCS#12 0600)
 * Profiles are found by name, UUID or file base name; names and UUIDs are unique within a
 * store.  The directory is FERRY_PROFILE_DIR when set, else /etc/ferry for root and
 * $XDG_CONFIG_HOME/ferry for everyone else.
 */
#pragma once

#include <glib.h>

#include "ferry-profile.h"
#include "profile-import.h"

G_BEGIN_DECLS

typedef struct _FerryProfileStore FerryProfileStore;

#define FERRY_PROFILE_DIR_ENV "FERRY_PROFILE_DIR"

/* (transfer full): the directory a store uses when given none. */
char *ferry_profile_store_default_dir(void);
/* @dir: (nullable): NULL for ferry_profile_store_default_dir().  Nothing is created until
 * the first save. */
FerryProfileStore *ferry_profile_store_new(const char *dir);
void ferry_profile_store_free(FerryProfileStore *store);
const char *ferry_profile_store_get_dir(const FerryProfileStore *store);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(FerryProfileStore, ferry_profile_store_free)

/**
 * ferry_profile_store_list:
 * @problems: (out) (optional): char * messages for files that could not be loaded (the list
 *   goes on without them)
 * Returns: (transfer full) (element-type FerryProfile): sorted by name; empty when the
 *   directory does not exist.  NULL only when the directory cannot be read.
 */
GPtrArray *ferry_profile_store_list(FerryProfileStore *store, GPtrArray **problems, GError **error);

/* By name, UUID or file base name.  @path: (out) (optional): the settings file.  Error:
 * "no profile 'x' in DIR". */
FerryProfile *ferry_profile_store_find(FerryProfileStore *store,
                                       const char *name_or_uuid,
                                       char **path,
                                       GError **error);
/* The profile's secrets; empty (not NULL) when it has no secrets file. */
FerryProfileSecrets *ferry_profile_store_load_secrets(FerryProfileStore *store,
                                                      const FerryProfile *profile,
                                                      GError **error);

/**
 * ferry_profile_store_save:
 * @secrets: (nullable): written when non-empty; otherwise an existing secrets file stays
 * @replaced: (out) (optional) (transfer full): the stored profile with the same UUID that
 *   this one replaced, or NULL
 *
 * Validates, then writes.  A different profile with the same name is an error
 * ("name: 'x' is already used by another profile (uuid ...)").
 */
gboolean ferry_profile_store_save(FerryProfileStore *store,
                                  const FerryProfile *profile,
                                  const FerryProfileSecrets *secrets,
                                  FerryProfile **replaced,
                                  GError **error);

/* Saves an import: writes its attachments next to the profile (pointing the profile's fields
 * at them), then the profile and its secrets, as ferry_profile_store_save(). */
gboolean ferry_profile_store_save_import(FerryProfileStore *store,
                                         FerryImport *import,
                                         FerryProfile **replaced,
                                         GError **error);

/* Removes the profile's settings, secrets and the files an import put beside it. */
gboolean
ferry_profile_store_delete(FerryProfileStore *store, const char *name_or_uuid, GError **error);

G_END_DECLS
