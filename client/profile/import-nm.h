/* import-nm.h - shared by the NetworkManager keyfile importers (strongswan, libreswan) */
#pragma once

#include <glib.h>

#include "profile-import.h"

G_BEGIN_DECLS

#define NM_GROUP_CONNECTION  "connection"
#define NM_GROUP_VPN         "vpn"
#define NM_GROUP_VPN_SECRETS "vpn-secrets"

typedef struct {
	GKeyFile *kf;
	FerryImport *import;
	char *dir;        /* directory of the source file, for relative paths */
	GHashTable *used; /* "group.key" consumed by the importer */
} NmImport;

/* The [vpn] value of @key, marking it used; NULL when absent. */
const char *nm_import_get(NmImport *nm, const char *key);
/* yes/no value; absent -> @def.  FALSE with error "vpn.KEY: ..." on other text. */
gboolean
nm_import_get_bool(NmImport *nm, const char *key, gboolean def, gboolean *out, GError **error);
/* The [vpn-secrets] value of @key as a secret (marking it used); NULL when absent. */
FerrySecret *nm_import_get_secret(NmImport *nm, const char *key);
/* An absolute path: relative ones are taken from the keyfile's directory. */
char *nm_import_path(NmImport *nm, const char *path);
/* Marks keys as handled without a value to carry (flags, internal bookkeeping). */
void nm_import_ignore(NmImport *nm, const char *group, const char *key);

gboolean nm_import_strongswan(NmImport *nm, GError **error);
gboolean nm_import_libreswan(NmImport *nm, GError **error);

G_END_DECLS
