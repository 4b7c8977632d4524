/* import-mobileconfig.h - shared by the .mobileconfig importer's files */
#pragma once

#include <glib.h>

#include "profile-import.h"
#include "profile-plist.h"

G_BEGIN_DECLS

typedef struct {
	const char *source;
	const FerryImportOptions *options;
	const Plist *payloads; /* the PayloadContent array */
	GPtrArray *imports;    /* FerryImport */
	GPtrArray *certs;      /* ProfileCert * of the CA/root/pem payloads, in order */
	char *signer;
	gboolean trusted;
} Mobileconfig;

/* The IKEv2 dictionary of the VPN payload at @path into @im (import-mobileconfig-ikev2.c). */
gboolean mobileconfig_read_ikev2(
	Mobileconfig *mc, FerryImport *im, const Plist *ikev2, const char *path, GError **error);
/* The VPN payload's DNS dictionary. */
gboolean mobileconfig_read_dns(FerryImport *im, const Plist *dns, const char *path, GError **error);
/* The PKCS#12 identity payload with PayloadUUID @uuid; @field names the referring key. */
gboolean mobileconfig_read_identity(
	Mobileconfig *mc, FerryImport *im, const char *uuid, const char *field, GError **error);

G_END_DECLS
