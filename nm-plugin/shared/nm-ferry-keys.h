/* nm-ferry-keys.h - the one table of vpn.data/vpn.secrets keys, and NMSettingVpn <-> FerryProfile
 *
 * The service, the editor, the auth dialog and the GUI read and write a Ferry connection only
 * through this table.  vpn.data keys are the FerryProfile keyfile keys (ferry-profile.h), so a
 * profile, the CLI and NetworkManager use one vocabulary and every error names the key the user
 * typed.  Encoding in vpn.data: booleans "yes"/"no", lists ','-separated, numbers in decimal,
 * enums by name.  A key holding its default is left out of vpn.data.  The connection's id and
 * uuid are the profile's name and uuid.  Secrets live in vpn.secrets with their
 * NMSettingSecretFlags in vpn.data as "<secret>-flags" (NetworkManager's convention).
 */
#pragma once

#include <NetworkManager.h>

#include "ferry-profile.h"

G_BEGIN_DECLS

#define NM_FERRY_VPN_SERVICE_TYPE "org.freedesktop.NetworkManager.ferry"
#define NM_FERRY_VPN_NAME         "ferry"
/* Suffix of the vpn.data key holding a secret's NMSettingSecretFlags. */
#define NM_FERRY_FLAGS_SUFFIX "-flags"
/* Separator of list values in vpn.data. */
#define NM_FERRY_LIST_SEPARATOR ','

typedef enum {
	NM_FERRY_KEY_STRING, /* free text (char *) */
	NM_FERRY_KEY_PATH,   /* a file the service reads (char *) */
	NM_FERRY_KEY_LIST,   /* ','-separated (char **) */
	NM_FERRY_KEY_UINT,   /* decimal (guint) */
	NM_FERRY_KEY_PORT,   /* decimal 1-65535 (guint16) */
	NM_FERRY_KEY_BOOL,   /* "yes"/"no" (gboolean) */
	NM_FERRY_KEY_ENUM,   /* one of choices, choices[i] is the member's value i (int) */
	NM_FERRY_KEY_SECRET, /* in vpn.secrets (FerrySecret * of FerryProfileSecrets) */
} NMFerryKeyType;

typedef enum {
	NM_FERRY_KEY_FLAG_NONE = 0,
	NM_FERRY_KEY_FLAG_REQUIRED = 1 << 0, /* a connection cannot work without it */
	NM_FERRY_KEY_FLAG_ADVANCED = 1 << 1, /* shown under "Advanced" in the editor */
} NMFerryKeyFlags;

typedef struct {
	const char *name; /* vpn.data or vpn.secrets key */
	NMFerryKeyType type;
	NMFerryKeyFlags flags;
	/* vpn.data text of ferry_profile_new()'s value; NULL when the default is "not set" or
	 * depends on other keys (the key is then always written when set). */
	const char *default_value;
	const char *field; /* FerryProfile member (FerryProfileSecrets member for secrets) */
	gsize offset;      /* G_STRUCT_OFFSET of that member */
	const char *const *choices; /* NM_FERRY_KEY_ENUM: NULL-terminated, in value order */
} NMFerryKey;

/* The whole table, in editor order; @n_keys receives its length. */
const NMFerryKey *nm_ferry_keys_get_all(guint *n_keys);
/* The entry for a vpn.data or vpn.secrets key, or NULL. */
const NMFerryKey *nm_ferry_keys_lookup(const char *name);

/**
 * nm_ferry_keys_to_profile:
 * @s_vpn: the connection's VPN setting
 * @id: (nullable): connection.id, the profile's name
 * @uuid: (nullable): connection.uuid
 * @secrets: (out) (optional) (transfer full): the secrets found in vpn.secrets
 * @error: FERRY_ERROR_CONFIG whose message starts with the offending key
 *
 * Returns: (transfer full): a validated profile, or NULL with @error.  Secrets are not
 * required here (ferry_profile_validate_secrets() checks them before connecting).
 */
FerryProfile *nm_ferry_keys_to_profile(NMSettingVpn *s_vpn,
                                       const char *id,
                                       const char *uuid,
                                       FerryProfileSecrets **secrets,
                                       GError **error);
/* The same for a whole connection (connection.id/uuid and its VPN setting). */
FerryProfile *nm_ferry_keys_connection_to_profile(NMConnection *connection,
                                                  FerryProfileSecrets **secrets,
                                                  GError **error);

/**
 * nm_ferry_keys_from_profile:
 * @secrets: (nullable): written into vpn.secrets; the "<secret>-flags" already in @s_vpn are
 *   kept, as are secrets @secrets does not set
 *
 * Replaces every other vpn.data item of @s_vpn by @profile's values and sets the service
 * type.  Name and uuid are not part of NMSettingVpn (see nm_ferry_keys_connection_new()).
 */
void nm_ferry_keys_from_profile(const FerryProfile *profile,
                                const FerryProfileSecrets *secrets,
                                NMSettingVpn *s_vpn);

/* (transfer full): a new VPN connection (connection, vpn, ipv4 and ipv6 auto settings) holding
 * @profile, its name as id, its uuid, and @secrets (nullable) with the flags NetworkManager
 * gives secrets by default (system-owned). */
NMConnection *nm_ferry_keys_connection_new(const FerryProfile *profile,
                                           const FerryProfileSecrets *secrets);

/* TRUE when a connection with @profile needs @secret_key to connect without asking (psk for
 * auth psk, password for the EAP methods, pin for a PKCS#11 key). */
gboolean nm_ferry_keys_secret_needed(const FerryProfile *profile, const char *secret_key);

G_END_DECLS
