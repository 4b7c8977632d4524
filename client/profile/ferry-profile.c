/* ferry-profile.c - the FerryProfile model: lifecycle, enum names, secrets, proposals */
#include "config.h"

#include <string.h>

#include "ferry-error.h"
#include "ferry-profile.h"
#include "profile-proposal.h"

G_DEFINE_BOXED_TYPE(FerryProfile, ferry_profile, ferry_profile_copy, ferry_profile_free)

typedef struct {
	int value;
	const char *name;
} EnumName;

static const EnumName auth_names[] = {
	{FERRY_AUTH_PSK,          "psk"         },
	{FERRY_AUTH_CERT,         "cert"        },
	{FERRY_AUTH_EAP_MSCHAPV2, "eap-mschapv2"},
	{FERRY_AUTH_EAP_TLS,      "eap-tls"     },
	{FERRY_AUTH_CERT_EAP,     "cert+eap"    },
};
static const EnumName pfs_names[] = {
	{FERRY_PFS_AUTO, "auto"},
	{FERRY_PFS_YES,  "yes" },
	{FERRY_PFS_NO,   "no"  },
};
static const EnumName protocol_names[] = {
	{FERRY_IPSEC_ESP, "esp"},
	{FERRY_IPSEC_AH,  "ah" },
};
static const EnumName mode_names[] = {
	{FERRY_IPSEC_TUNNEL,    "tunnel"   },
	{FERRY_IPSEC_TRANSPORT, "transport"},
};
static const EnumName encap_names[] = {
	{FERRY_ENCAP_AUTO,  "auto" },
	{FERRY_ENCAP_FORCE, "force"},
};

static const char *
name_of(const EnumName *names, gsize n, int value)
{
	for (gsize i = 0; i < n; i++) {
		if (names[i].value == value)
			return names[i].name;
	}
	return NULL;
}

static gboolean
value_of(const EnumName *names, gsize n, const char *s, int *value)
{
	for (gsize i = 0; s && i < n; i++) {
		if (g_ascii_strcasecmp(names[i].name, s) == 0) {
			*value = names[i].value;
			return TRUE;
		}
	}
	return FALSE;
}

#define DEFINE_ENUM_STRINGS(prefix, Type, table)                                                   \
	const char *prefix##_to_string(Type v)                                                     \
	{                                                                                          \
		return name_of(table, G_N_ELEMENTS(table), (int)v);                                \
	}                                                                                          \
	gboolean prefix##_from_string(const char *s, Type *v)                                      \
	{                                                                                          \
		int tmp;                                                                           \
		if (!value_of(table, G_N_ELEMENTS(table), s, &tmp))                                \
			return FALSE;                                                              \
		*v = (Type)tmp;                                                                    \
		return TRUE;                                                                       \
	}

DEFINE_ENUM_STRINGS(ferry_auth_method, FerryAuthMethod, auth_names)
DEFINE_ENUM_STRINGS(ferry_pfs, FerryPfs, pfs_names)
DEFINE_ENUM_STRINGS(ferry_ipsec_protocol, FerryIpsecProtocol, protocol_names)
DEFINE_ENUM_STRINGS(ferry_ipsec_mode, FerryIpsecMode, mode_names)
DEFINE_ENUM_STRINGS(ferry_encap, FerryEncap, encap_names)

FerryProfile *
ferry_profile_new(void)
{
	FerryProfile *p = g_new0(FerryProfile, 1);

	p->uuid = g_uuid_string_random();
	p->port = FERRY_PROFILE_DEFAULT_PORT;
	p->auth = FERRY_AUTH_EAP_MSCHAPV2;
	p->remote_id_strict = FALSE;
	p->send_certreq = TRUE;
	p->pfs = FERRY_PFS_AUTO;
	p->protocol = FERRY_IPSEC_ESP;
	p->mode = FERRY_IPSEC_TUNNEL;
	p->nat_keepalive = FERRY_PROFILE_DEFAULT_NAT_KEEPALIVE;
	p->dpd = FERRY_PROFILE_DEFAULT_DPD;
	p->ike_lifetime = FERRY_PROFILE_DEFAULT_IKE_LIFETIME;
	p->child_lifetime = FERRY_PROFILE_DEFAULT_CHILD_LIFETIME;
	p->encap = FERRY_ENCAP_AUTO;
	p->virtual_ip4 = TRUE;
	p->virtual_ip6 = TRUE;
	return p;
}

/* The string and list members, for copy/free/equal. */
#define PROFILE_STRINGS(X)                                                                         \
	X(name)                                                                                    \
	X(uuid)                                                                                    \
	X(gateway)                                                                                 \
	X(local_id)                                                                                \
	X(remote_id)                                                                               \
	X(eap_identity)                                                                            \
	X(server_cert)                                                                             \
	X(client_cert)                                                                             \
	X(client_key)                                                                              \
	X(client_pkcs12)                                                                           \
	X(client_pkcs11_uri)                                                                       \
	X(ike_proposals)                                                                           \
	X(esp_proposals)
#define PROFILE_LISTS(X)                                                                           \
	X(ca_certs)                                                                                \
	X(include_subnets)                                                                         \
	X(exclude_subnets)                                                                         \
	X(dns_servers)                                                                             \
	X(dns_search_domains)                                                                      \
	X(dns_split_domains)

FerryProfile *
ferry_profile_copy(const FerryProfile *profile)
{
	FerryProfile *p;

	g_return_val_if_fail(profile != NULL, NULL);

	p = g_memdup2(profile, sizeof(*profile));
#define COPY_STRING(m) p->m = g_strdup(profile->m);
#define COPY_LIST(m)   p->m = g_strdupv(profile->m);
	PROFILE_STRINGS(COPY_STRING)
	PROFILE_LISTS(COPY_LIST)
#undef COPY_STRING
#undef COPY_LIST
	return p;
}

void
ferry_profile_free(FerryProfile *profile)
{
	if (!profile)
		return;
#define FREE_STRING(m) g_free(profile->m);
#define FREE_LIST(m)   g_strfreev(profile->m);
	PROFILE_STRINGS(FREE_STRING)
	PROFILE_LISTS(FREE_LIST)
#undef FREE_STRING
#undef FREE_LIST
	g_free(profile);
}

static gboolean
lists_equal(char **a, char **b)
{
	guint na = a ? g_strv_length(a) : 0;
	guint nb = b ? g_strv_length(b) : 0;

	if (na != nb)
		return FALSE;
	for (guint i = 0; i < na; i++) {
		if (strcmp(a[i], b[i]) != 0)
			return FALSE;
	}
	return TRUE;
}

gboolean
ferry_profile_equal(const FerryProfile *a, const FerryProfile *b)
{
	g_return_val_if_fail(a != NULL && b != NULL, FALSE);

#define SAME_STRING(m)                                                                             \
	if (g_strcmp0(a->m, b->m) != 0)                                                            \
		return FALSE;
#define SAME_LIST(m)                                                                               \
	if (!lists_equal(a->m, b->m))                                                              \
		return FALSE;
	PROFILE_STRINGS(SAME_STRING)
	PROFILE_LISTS(SAME_LIST)
#undef SAME_STRING
#undef SAME_LIST
	return a->port == b->port && a->auth == b->auth &&
	       !a->remote_id_strict == !b->remote_id_strict && a->pfs == b->pfs &&
	       a->protocol == b->protocol && a->mode == b->mode && a->mtu == b->mtu &&
	       a->nat_keepalive == b->nat_keepalive && a->dpd == b->dpd &&
	       a->ike_lifetime == b->ike_lifetime && a->child_lifetime == b->child_lifetime &&
	       a->encap == b->encap && !a->rsa_pss == !b->rsa_pss && !a->eap_only == !b->eap_only &&
	       !a->send_certreq == !b->send_certreq && !a->ipv6_transport == !b->ipv6_transport &&
	       !a->virtual_ip4 == !b->virtual_ip4 && !a->virtual_ip6 == !b->virtual_ip6;
}

static void
resolve_path(char **slot, const char *base_dir)
{
	char *abs;

	if (!*slot || g_path_is_absolute(*slot))
		return;
	abs = g_build_filename(base_dir, *slot, NULL);
	g_free(*slot);
	*slot = abs;
}

void
ferry_profile_resolve_paths(FerryProfile *profile, const char *base_dir)
{
	g_return_if_fail(profile != NULL && base_dir != NULL);

	resolve_path(&profile->server_cert, base_dir);
	resolve_path(&profile->client_cert, base_dir);
	resolve_path(&profile->client_key, base_dir);
	resolve_path(&profile->client_pkcs12, base_dir);
	for (guint i = 0; profile->ca_certs && profile->ca_certs[i]; i++)
		resolve_path(&profile->ca_certs[i], base_dir);
}

GArray *
ferry_profile_dup_ike_proposals(const FerryProfile *profile, GError **error)
{
	GArray *out = profile_proposal_parse(profile->ike_proposals, IKE_PROTO_IKE, error);

	if (!out)
		g_prefix_error(error, "ike-proposals: ");
	return out;
}

GArray *
ferry_profile_dup_esp_proposals(const FerryProfile *profile, GError **error)
{
	IkeProto proto = profile->protocol == FERRY_IPSEC_AH ? IKE_PROTO_AH : IKE_PROTO_ESP;
	GArray *out = profile_proposal_parse(profile->esp_proposals, proto, error);

	if (!out)
		g_prefix_error(error, "esp-proposals: ");
	return out;
}

/* --- secrets ------------------------------------------------------------------------- */

FerryProfileSecrets *
ferry_profile_secrets_new(void)
{
	return g_new0(FerryProfileSecrets, 1);
}

FerryProfileSecrets *
ferry_profile_secrets_copy(const FerryProfileSecrets *secrets)
{
	FerryProfileSecrets *s = ferry_profile_secrets_new();

	s->psk = ferry_secret_dup(secrets->psk);
	s->password = ferry_secret_dup(secrets->password);
	s->key_passphrase = ferry_secret_dup(secrets->key_passphrase);
	s->pin = ferry_secret_dup(secrets->pin);
	return s;
}

void
ferry_profile_secrets_free(FerryProfileSecrets *secrets)
{
	if (!secrets)
		return;
	ferry_secret_free(secrets->psk);
	ferry_secret_free(secrets->password);
	ferry_secret_free(secrets->key_passphrase);
	ferry_secret_free(secrets->pin);
	g_free(secrets);
}

gboolean
ferry_profile_secrets_is_empty(const FerryProfileSecrets *secrets)
{
	return !secrets->psk && !secrets->password && !secrets->key_passphrase && !secrets->pin;
}

static FerrySecret **
find_secret(FerryProfileSecrets *secrets, const char *key)
{
	if (strcmp(key, "psk") == 0)
		return &secrets->psk;
	if (strcmp(key, "password") == 0)
		return &secrets->password;
	if (strcmp(key, "key-passphrase") == 0)
		return &secrets->key_passphrase;
	if (strcmp(key, "pin") == 0)
		return &secrets->pin;
	return NULL;
}

gboolean
ferry_profile_secrets_set(FerryProfileSecrets *secrets,
                          const char *key,
                          const char *value,
                          GError **error)
{
	FerrySecret **slot = find_secret(secrets, key);

	if (!slot) {
		g_set_error(error, FERRY_ERROR, FERRY_ERROR_CONFIG,
		            "%s: unknown secret (known: psk, password, key-passphrase, pin)", key);
		return FALSE;
	}
	ferry_secret_free(*slot);
	*slot = value ? ferry_secret_new_from_string(value) : NULL;
	return TRUE;
}

gboolean
ferry_profile_validate_secrets(const FerryProfile *profile,
                               const FerryProfileSecrets *secrets,
                               GError **error)
{
	/* RFC 7296 §2.15: a PSK must be as strong as a key; a short one falls to a dictionary
	 * attack on one captured exchange.  We refuse empty ones; strength is the user's. */
	if (profile->auth == FERRY_AUTH_PSK && (!secrets || !secrets->psk || !secrets->psk->len)) {
		g_set_error(error, FERRY_ERROR, FERRY_ERROR_CONFIG,
		            "psk: missing (auth psk needs the pre-shared key in the secrets)");
		return FALSE;
	}
	return TRUE;
}
