/* ferry-profile.h - FerryProfile: one connection's settings, its secrets, validation, storage
 *
 * The one model shared by the CLI, the NetworkManager plugin and the GUI.  A FerryProfile is
 * a plain struct with public members: callers set them directly (strings are owned,
 * g_free()d by ferry_profile_free()), then call ferry_profile_validate().  Secrets live in a
 * separate FerryProfileSecrets so each caller can keep them where it keeps secrets (a 0600
 * file, NetworkManager's secrets, the keyring).
 *
 * Every error is FERRY_ERROR_CONFIG and starts with the field's keyfile key
 * ("esp-proposals: unknown algorithm 'aes256gcm17'"); errors about a file start with the
 * file's path.
 */
#pragma once

#include <glib-object.h>

#include "ferry-secret.h"

G_BEGIN_DECLS

typedef enum {
	FERRY_AUTH_PSK,          /* "psk": pre-shared key both ways */
	FERRY_AUTH_CERT,         /* "cert": client certificate (RFC 7296 §2.15) */
	FERRY_AUTH_EAP_MSCHAPV2, /* "eap-mschapv2": user name + password over EAP */
	FERRY_AUTH_EAP_TLS,      /* "eap-tls": client certificate inside EAP-TLS */
	FERRY_AUTH_CERT_EAP,     /* "cert+eap": certificate, then EAP-MSCHAPv2 (RFC 4739) */
} FerryAuthMethod;

typedef enum {
	FERRY_PFS_AUTO, /* "auto": PFS exactly when esp-proposals name key exchange methods */
	FERRY_PFS_YES,  /* "yes": use the IKE SA's method when esp-proposals name none */
	FERRY_PFS_NO,   /* "no": never (esp-proposals must then name none) */
} FerryPfs;

typedef enum {
	FERRY_IPSEC_ESP, /* "esp" */
	FERRY_IPSEC_AH,  /* "ah": integrity only */
} FerryIpsecProtocol;

typedef enum {
	FERRY_IPSEC_TUNNEL,    /* "tunnel" */
	FERRY_IPSEC_TRANSPORT, /* "transport": host-to-host, no virtual IP */
} FerryIpsecMode;

typedef enum {
	FERRY_ENCAP_AUTO,  /* "auto": UDP-encapsulate when NAT is detected (RFC 3948) */
	FERRY_ENCAP_FORCE, /* "force": always, by faking NAT detection */
} FerryEncap;

/* Defaults of a new profile (ferry_profile_new()) and of keys absent from a keyfile. */
#define FERRY_PROFILE_DEFAULT_PORT           500
#define FERRY_PROFILE_DEFAULT_NAT_KEEPALIVE  20    /* seconds */
#define FERRY_PROFILE_DEFAULT_DPD            30    /* seconds */
#define FERRY_PROFILE_DEFAULT_IKE_LIFETIME   14400 /* seconds: rekey the IKE SA every 4 h */
#define FERRY_PROFILE_DEFAULT_CHILD_LIFETIME 3600  /* seconds: rekey the CHILD SA every hour */

/* Accepted ranges (validation). */
#define FERRY_PROFILE_MTU_MIN       1280 /* IPv6 minimum link MTU (RFC 8200 §5) */
#define FERRY_PROFILE_MTU_MAX       9000
#define FERRY_PROFILE_KEEPALIVE_MAX 3600
#define FERRY_PROFILE_DPD_MAX       86400
#define FERRY_PROFILE_LIFETIME_MIN  60
#define FERRY_PROFILE_LIFETIME_MAX  (7 * 86400)

typedef struct {
	/* owned */
	char *name; /* display name, unique within a profile store */
	char *uuid; /* stable identity (RFC 4122 text form, lower case) */

	/* gateway */
	char *gateway; /* host name or IP literal */
	guint16 port;  /* IKE port, FERRY_PROFILE_DEFAULT_PORT */

	/* authentication and identities */
	FerryAuthMethod auth;
	char *local_id;            /* our IKE identity; NULL = derived from auth */
	char *remote_id;           /* expected gateway identity; NULL = the gateway name */
	gboolean remote_id_strict; /* FALSE: also accept identities the certificate covers */
	char *eap_identity;        /* EAP user name; NULL = ask at connect time */
	gboolean eap_only;         /* accept a gateway authenticated by EAP alone (RFC 5998) */
	gboolean rsa_pss;          /* sign with RSASSA-PSS (RFC 7427 §3) when the key is RSA */
	gboolean send_certreq;     /* send CERTREQ payloads for our CAs (RFC 7296 §3.7) */

	/* server trust: CA certificate files, and/or one pinned gateway certificate */
	char **ca_certs;   /* NULL-terminated list of PEM/DER files; NULL = system CAs */
	char *server_cert; /* pinned gateway (leaf) certificate file, or NULL */

	/* client credentials (auth cert, eap-tls, cert+eap) */
	char *client_cert;       /* PEM/DER certificate file */
	char *client_key;        /* its private key file (maybe encrypted: key-passphrase) */
	char *client_pkcs12;     /* PKCS#12 file instead of cert+key (password: key-passphrase) */
	char *client_pkcs11_uri; /* RFC 7512 "pkcs11:" URI instead of files (PIN: pin) */

	/* proposals in strongSwan syntax; NULL = PROFILE_PROPOSAL_DEFAULT_IKE/_ESP/_AH */
	char *ike_proposals;
	char *esp_proposals;
	FerryPfs pfs;
	FerryIpsecProtocol protocol;
	FerryIpsecMode mode;

	/* traffic: NULL-terminated lists of "address/prefix" or "first-last" ranges */
	char **include_subnets; /* NULL = what the gateway offers (usually everything) */
	char **exclude_subnets; /* never through the tunnel */

	/* DNS: servers (IP literals) used in addition to the gateway's; domains */
	char **dns_servers;
	char **dns_search_domains; /* appended to short names */
	char **dns_split_domains;  /* resolved through the tunnel's DNS only */

	/* timers and transport */
	guint mtu;            /* tunnel MTU; 0 = automatic */
	guint nat_keepalive;  /* seconds; 0 = off */
	guint dpd;            /* dead peer detection interval, seconds; 0 = off */
	guint ike_lifetime;   /* seconds until the IKE SA is rekeyed */
	guint child_lifetime; /* seconds until the CHILD SA is rekeyed */
	FerryEncap encap;
	gboolean ipv6_transport; /* allow IPv6 for the outer (IKE/ESP) packets */
	gboolean virtual_ip4;    /* request an internal IPv4 address (RFC 7296 §3.15) */
	gboolean virtual_ip6;    /* request an internal IPv6 address */
} FerryProfile;

/* Secrets of one profile, never stored with it.  Each is NULL when absent. */
typedef struct {
	/* secret */
	FerrySecret *psk;            /* "psk": pre-shared key */
	FerrySecret *password;       /* "password": EAP password */
	FerrySecret *key_passphrase; /* "key-passphrase": client key or PKCS#12 password */
	FerrySecret *pin;            /* "pin": PKCS#11 token PIN */
} FerryProfileSecrets;

GType ferry_profile_get_type(void) G_GNUC_CONST;
#define FERRY_TYPE_PROFILE (ferry_profile_get_type())

/* A profile with the defaults above, a random UUID and no name or gateway. */
FerryProfile *ferry_profile_new(void);
FerryProfile *ferry_profile_copy(const FerryProfile *profile);
void ferry_profile_free(FerryProfile *profile);
/* Field-by-field equality (NULL and empty lists are equal). */
gboolean ferry_profile_equal(const FerryProfile *a, const FerryProfile *b);

/* Checks every field and their combinations; the error names the first field in error. */
gboolean ferry_profile_validate(const FerryProfile *profile, GError **error);
/* Checks that @secrets carry what @profile's authentication needs to connect without
 * asking (psk for auth psk); the password may always be asked for. */
gboolean ferry_profile_validate_secrets(const FerryProfile *profile,
                                        const FerryProfileSecrets *secrets,
                                        GError **error);

/* Makes the file fields (ca-certs, server-cert, client-cert, client-key, client-pkcs12)
 * absolute, taking relative ones from @base_dir (the directory of the profile's file). */
void ferry_profile_resolve_paths(FerryProfile *profile, const char *base_dir);

/* Parsed proposals (GArray of IkeProposal, see profile-proposal.h), the defaults when the
 * profile names none.  ESP proposals are for protocol AH when profile->protocol is AH. */
GArray *ferry_profile_dup_ike_proposals(const FerryProfile *profile, GError **error);
GArray *ferry_profile_dup_esp_proposals(const FerryProfile *profile, GError **error);

/* Names of the enum values as written in keyfiles; _from_string returns FALSE when unknown. */
const char *ferry_auth_method_to_string(FerryAuthMethod auth);
gboolean ferry_auth_method_from_string(const char *s, FerryAuthMethod *auth);
const char *ferry_pfs_to_string(FerryPfs pfs);
gboolean ferry_pfs_from_string(const char *s, FerryPfs *pfs);
const char *ferry_ipsec_protocol_to_string(FerryIpsecProtocol protocol);
gboolean ferry_ipsec_protocol_from_string(const char *s, FerryIpsecProtocol *protocol);
const char *ferry_ipsec_mode_to_string(FerryIpsecMode mode);
gboolean ferry_ipsec_mode_from_string(const char *s, FerryIpsecMode *mode);
const char *ferry_encap_to_string(FerryEncap encap);
gboolean ferry_encap_from_string(const char *s, FerryEncap *encap);

FerryProfileSecrets *ferry_profile_secrets_new(void);
FerryProfileSecrets *ferry_profile_secrets_copy(const FerryProfileSecrets *secrets);
void ferry_profile_secrets_free(FerryProfileSecrets *secrets);
/* Replaces one secret by a copy of @value (NULL clears it); @key as in the secrets file. */
gboolean ferry_profile_secrets_set(FerryProfileSecrets *secrets,
                                   const char *key,
                                   const char *value,
                                   GError **error);
/* TRUE when no secret is set. */
gboolean ferry_profile_secrets_is_empty(const FerryProfileSecrets *secrets);

/* --- keyfile storage (profile-keyfile.c) ---------------------------------------------
 *
 * Settings: a GLib keyfile with one [profile] group whose keys are the field names used in
 * errors (name, uuid, gateway, port, auth, local-id, remote-id, remote-id-match,
 * eap-identity, ca-certs, server-cert, client-cert, client-key, client-pkcs12,
 * client-pkcs11-uri, rsa-pss, send-certreq, ike-proposals, esp-proposals, pfs, protocol, mode,
 * include-subnets, exclude-subnets, dns-servers, dns-search-domains, dns-split-domains, mtu,
 * nat-keepalive, dpd, ike-lifetime, child-lifetime, encap, ipv6-transport, virtual-ip4,
 * virtual-ip6; ca-cert and pkcs12 are read as ca-certs and client-pkcs12). Absent keys take
 * the defaults; an absent uuid is derived from the name, so
 * hand-written files stay stable.  Other groups are left to other programs and ignored; an unknown
 * key in [profile] is an error (a typo must not silently drop a setting).
 *
 * Secrets: a separate keyfile with one [secrets] group (psk, password, key-passphrase, pin),
 * refused unless only its owner may read it, written 0600.
 */
#define FERRY_PROFILE_GROUP         "profile"
#define FERRY_PROFILE_SECRETS_GROUP "secrets"

/* Parse/serialise settings.  @source names the input in errors (a path, or NULL). */
FerryProfile *
ferry_profile_load_from_data(const char *data, gsize len, const char *source, GError **error);
FerryProfile *
ferry_profile_load_from_keyfile(GKeyFile *keyfile, const char *source, GError **error);
char *ferry_profile_to_data(const FerryProfile *profile, gsize *len);
/* Writes every field of @profile into @keyfile's [profile] group (replacing the group). */
void ferry_profile_to_keyfile(const FerryProfile *profile, GKeyFile *keyfile);

/* Read a settings file and validate it; errors start with @path. */
FerryProfile *ferry_profile_load(const char *path, GError **error);
/* Validate, then write atomically (temporary file + rename), mode 0644. */
gboolean ferry_profile_save(const FerryProfile *profile, const char *path, GError **error);

FerryProfileSecrets *ferry_profile_secrets_load_from_data(const char *data,
                                                          gsize len,
                                                          const char *source,
                                                          GError **error);
/* (transfer full): the secrets file text; wipe it with ferry_wipe() before g_free(). */
char *ferry_profile_secrets_to_data(const FerryProfileSecrets *secrets, gsize *len);
/* Refuses a file that group or others may read or write. */
FerryProfileSecrets *ferry_profile_secrets_load(const char *path, GError **error);
/* Writes atomically with mode 0600. */
gboolean
ferry_profile_secrets_save(const FerryProfileSecrets *secrets, const char *path, GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(FerryProfile, ferry_profile_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(FerryProfileSecrets, ferry_profile_secrets_free)

G_END_DECLS
