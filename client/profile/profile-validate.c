/* profile-validate.c - checks a FerryProfile field by field; errors name the field */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <gio/gio.h>

#include "ferry-error.h"
#include "ferry-profile.h"
#include "profile-proposal.h"
#include "profile-validate.h"

/* DNS name limits (RFC 1035 §2.3.4). */
#define DNS_NAME_MAX  253
#define DNS_LABEL_MAX 63
/* Anything longer is a corrupt or hostile file, not a setting. */
#define TEXT_MAX 1024

#define FAIL(error, field, ...)                                                                    \
	G_STMT_START                                                                               \
	{                                                                                          \
		g_autofree char *msg__ = g_strdup_printf(__VA_ARGS__);                             \
		g_set_error(error, FERRY_ERROR, FERRY_ERROR_CONFIG, "%s: %s", field, msg__);       \
		return FALSE;                                                                      \
	}                                                                                          \
	G_STMT_END

static gboolean
has_control_chars(const char *s)
{
	for (const guchar *p = (const guchar *)s; *p; p++) {
		if (*p < 0x20 || *p == 0x7f)
			return TRUE;
	}
	return FALSE;
}

gboolean
profile_is_dns_name(const char *s)
{
	gsize len = strlen(s);
	gsize label = 0;

	if (len == 0 || len > DNS_NAME_MAX + 1)
		return FALSE;
	if (s[len - 1] == '.')
		len--;
	for (gsize i = 0; i < len; i++) {
		char c = s[i];

		if (c == '.') {
			if (label == 0 || s[i - 1] == '-')
				return FALSE;
			label = 0;
			continue;
		}
		if (!g_ascii_isalnum(c) && c != '-' && c != '_')
			return FALSE;
		if (label == 0 && c == '-')
			return FALSE;
		if (++label > DNS_LABEL_MAX)
			return FALSE;
	}
	return label > 0 && s[len - 1] != '-';
}

gboolean
profile_is_ip_address(const char *s)
{
	g_autoptr(GInetAddress) a = g_inet_address_new_from_string(s);

	return a != NULL;
}

static gboolean
parse_prefix(const char *s, guint max, guint *out)
{
	char *end = NULL;
	guint64 v;

	if (!g_ascii_isdigit(*s))
		return FALSE;
	v = g_ascii_strtoull(s, &end, 10);
	if (*end || v > max)
		return FALSE;
	*out = (guint)v;
	return TRUE;
}

gboolean
profile_parse_subnet(const char *s, GInetAddress **first, GInetAddress **last)
{
	g_auto(GStrv) parts = NULL;
	g_autoptr(GInetAddress) a = NULL;
	g_autoptr(GInetAddress) b = NULL;

	if (strchr(s, '/')) {
		guint prefix, max;
		guint8 bytes[16];
		gsize n;

		parts = g_strsplit(s, "/", 2);
		a = g_inet_address_new_from_string(parts[0]);
		if (!a)
			return FALSE;
		n = g_inet_address_get_native_size(a);
		max = (guint)n * 8;
		if (!parse_prefix(parts[1], max, &prefix))
			return FALSE;
		/* Host bits beyond the prefix are ignored, as strongSwan does. */
		memcpy(bytes, g_inet_address_to_bytes(a), n);
		for (guint bit = prefix; bit < max; bit++)
			bytes[bit / 8] &= (guint8) ~(0x80u >> (bit % 8));
		g_clear_object(&a);
		a = g_inet_address_new_from_bytes(bytes, n == 4 ? G_SOCKET_FAMILY_IPV4
		                                                : G_SOCKET_FAMILY_IPV6);
		for (guint bit = prefix; bit < max; bit++)
			bytes[bit / 8] |= (guint8)(0x80u >> (bit % 8));
		b = g_inet_address_new_from_bytes(bytes, n == 4 ? G_SOCKET_FAMILY_IPV4
		                                                : G_SOCKET_FAMILY_IPV6);
	} else if (strchr(s, '-')) {
		parts = g_strsplit(s, "-", 2);
		a = g_inet_address_new_from_string(g_strstrip(parts[0]));
		b = g_inet_address_new_from_string(g_strstrip(parts[1]));
		if (!a || !b || g_inet_address_get_family(a) != g_inet_address_get_family(b))
			return FALSE;
		if (memcmp(g_inet_address_to_bytes(a), g_inet_address_to_bytes(b),
		           g_inet_address_get_native_size(a)) > 0)
			return FALSE;
	} else {
		return FALSE;
	}
	if (first)
		*first = g_steal_pointer(&a);
	if (last)
		*last = g_steal_pointer(&b);
	return TRUE;
}

static gboolean
check_text(const char *field, const char *value, GError **error)
{
	if (strlen(value) > TEXT_MAX)
		FAIL(error, field, "longer than %d characters", TEXT_MAX);
	if (!g_utf8_validate(value, -1, NULL))
		FAIL(error, field, "not valid UTF-8");
	if (has_control_chars(value))
		FAIL(error, field, "contains control characters");
	return TRUE;
}

static gboolean
check_optional_text(const char *field, const char *value, GError **error)
{
	if (!value)
		return TRUE;
	if (!*value)
		FAIL(error, field, "empty (leave it out instead)");
	return check_text(field, value, error);
}

static gboolean
check_identity(const char *field, const char *id, GError **error)
{
	if (!check_optional_text(field, id, error))
		return FALSE;
	/* strongSwan identity syntax: IP literal, "@fqdn", "@#hex" key ID, user@fqdn, DN with
	 * '=' (RFC 7296 §3.5), or a bare FQDN. */
	if (!id || profile_is_ip_address(id) || strchr(id, '='))
		return TRUE;
	if (id[0] == '@' && id[1] == '#') {
		for (const char *p = id + 2; *p; p++) {
			if (!g_ascii_isxdigit(*p))
				FAIL(error, field, "'%s' is not a key ID ('@#' then hex digits)",
				     id);
		}
		return TRUE;
	}
	if (strchr(id, ' '))
		FAIL(error, field,
		     "'%s' is not an identity (a host name, address, user@domain or a "
		     "distinguished name like 'CN=vpn.example.com')",
		     id);
	return TRUE;
}

static gboolean
check_host(const FerryProfile *p, GError **error)
{
	if (!p->gateway || !*p->gateway)
		FAIL(error, "gateway", "missing (the VPN server's host name or address)");
	if (!check_text("gateway", p->gateway, error))
		return FALSE;
	if (!profile_is_ip_address(p->gateway) && !profile_is_dns_name(p->gateway))
		FAIL(error, "gateway", "'%s' is not a host name or IP address", p->gateway);
	if (p->port == 0)
		FAIL(error, "port", "0 is not a port (1-65535; IKE uses 500)");
	return TRUE;
}

static gboolean
check_name_uuid(const FerryProfile *p, GError **error)
{
	if (!p->name || !*p->name)
		FAIL(error, "name", "missing (the name you pick the profile by)");
	if (!check_text("name", p->name, error))
		return FALSE;
	if (strchr(p->name, '/'))
		FAIL(error, "name", "'%s' contains '/'", p->name);
	if (!p->uuid || !*p->uuid)
		FAIL(error, "uuid", "missing");
	if (!g_uuid_string_is_valid(p->uuid))
		FAIL(error, "uuid", "'%s' is not a UUID", p->uuid);
	return TRUE;
}

static gboolean
has_client_credential(const FerryProfile *p)
{
	return p->client_cert || p->client_pkcs12 || p->client_pkcs11_uri;
}

static gboolean
check_credentials(const FerryProfile *p, GError **error)
{
	static const char *const file_fields[] = {"server-cert", "client-cert", "client-key",
	                                          "client-pkcs12"};
	const char *files[] = {p->server_cert, p->client_cert, p->client_key, p->client_pkcs12};
	gboolean needs_cert = p->auth == FERRY_AUTH_CERT || p->auth == FERRY_AUTH_EAP_TLS ||
	                      p->auth == FERRY_AUTH_CERT_EAP;

	for (guint i = 0; p->ca_certs && p->ca_certs[i]; i++) {
		if (!check_optional_text("ca-certs", p->ca_certs[i], error))
			return FALSE;
	}
	for (gsize i = 0; i < G_N_ELEMENTS(files); i++) {
		if (!check_optional_text(file_fields[i], files[i], error))
			return FALSE;
	}
	if (!check_optional_text("client-pkcs11-uri", p->client_pkcs11_uri, error))
		return FALSE;
	if (p->client_pkcs11_uri && !g_str_has_prefix(p->client_pkcs11_uri, "pkcs11:"))
		FAIL(error, "client-pkcs11-uri", "'%s' does not start with 'pkcs11:' (RFC 7512)",
		     p->client_pkcs11_uri);
	/* The private key comes from one place: a key file, a PKCS#12 file (with its certificate)
	 * or a token; a token's certificate may also be given as a file (client-cert). */
	if ((p->client_key != NULL) + (p->client_pkcs12 != NULL) + (p->client_pkcs11_uri != NULL) >
	            1 ||
	    (p->client_pkcs12 && p->client_cert))
		FAIL(error, "client-cert",
		     "give only one of client-cert with client-key, client-pkcs12, and "
		     "client-pkcs11-uri (optionally with client-cert)");
	if (p->client_cert && !p->client_key && !p->client_pkcs11_uri)
		FAIL(error, "client-key", "missing (client-cert needs its private key)");
	if (p->client_key && !p->client_cert)
		FAIL(error, "client-cert", "missing (client-key needs its certificate)");
	if (needs_cert && !has_client_credential(p))
		FAIL(error, "client-cert",
		     "missing (auth %s needs client-cert and client-key, client-pkcs12 or "
		     "client-pkcs11-uri)",
		     ferry_auth_method_to_string(p->auth));
	return TRUE;
}

static gboolean
check_auth(const FerryProfile *p, GError **error)
{
	if (!ferry_auth_method_to_string(p->auth))
		FAIL(error, "auth", "unknown method %d", (int)p->auth);
	if (!check_identity("local-id", p->local_id, error) ||
	    !check_identity("remote-id", p->remote_id, error) ||
	    !check_optional_text("eap-identity", p->eap_identity, error))
		return FALSE;
	if (p->eap_identity && (p->auth == FERRY_AUTH_PSK || p->auth == FERRY_AUTH_CERT))
		FAIL(error, "eap-identity", "set, but auth %s uses no EAP",
		     ferry_auth_method_to_string(p->auth));
	/* RFC 5998: the gateway skips its AUTH only for a login that is EAP alone */
	if (p->eap_only && p->auth != FERRY_AUTH_EAP_MSCHAPV2 && p->auth != FERRY_AUTH_EAP_TLS)
		FAIL(error, "eap-only", "yes, but auth %s is not eap-mschapv2 or eap-tls",
		     ferry_auth_method_to_string(p->auth));
	return check_credentials(p, error);
}

static gboolean
check_proposals(const FerryProfile *p, GError **error)
{
	g_autoptr(GArray) ike = NULL;
	g_autoptr(GArray) esp = NULL;

	if (!ferry_ipsec_protocol_to_string(p->protocol))
		FAIL(error, "protocol", "unknown protocol %d", (int)p->protocol);
	if (!ferry_pfs_to_string(p->pfs))
		FAIL(error, "pfs", "unknown value %d", (int)p->pfs);
	ike = ferry_profile_dup_ike_proposals(p, error);
	if (!ike)
		return FALSE;
	esp = ferry_profile_dup_esp_proposals(p, error);
	if (!esp)
		return FALSE;
	if (p->pfs == FERRY_PFS_NO && profile_proposal_has_ke(esp))
		FAIL(error, "pfs",
		     "'no', but esp-proposals name key exchange methods (which mean PFS)");
	return TRUE;
}

static gboolean
check_subnets(const char *field, char **list, GError **error)
{
	for (guint i = 0; list && list[i]; i++) {
		if (!check_text(field, list[i], error))
			return FALSE;
		if (!profile_parse_subnet(list[i], NULL, NULL))
			FAIL(error, field,
			     "'%s' is not a subnet (address/prefix like 10.0.0.0/8, or a range "
			     "first-last)",
			     list[i]);
	}
	return TRUE;
}

static gboolean
check_dns(const FerryProfile *p, GError **error)
{
	static const char *const fields[] = {"dns-search-domains", "dns-split-domains"};
	char **domains[] = {p->dns_search_domains, p->dns_split_domains};

	for (guint i = 0; p->dns_servers && p->dns_servers[i]; i++) {
		if (!profile_is_ip_address(p->dns_servers[i]))
			FAIL(error, "dns-servers", "'%s' is not an IP address", p->dns_servers[i]);
	}
	for (gsize f = 0; f < G_N_ELEMENTS(fields); f++) {
		for (guint i = 0; domains[f] && domains[f][i]; i++) {
			const char *d = domains[f][i];

			/* A leading '.' marks a suffix in some formats; it means the same here. */
			if (!profile_is_dns_name(d[0] == '.' ? d + 1 : d))
				FAIL(error, fields[f], "'%s' is not a domain name", d);
		}
	}
	return TRUE;
}

static gboolean
check_range(const char *field, guint v, guint min, guint max, gboolean zero_ok, GError **error)
{
	if (v == 0 && zero_ok)
		return TRUE;
	if (v < min || v > max)
		FAIL(error, field, "%u is out of range (%u-%u%s)", v, min, max,
		     zero_ok ? ", or 0 for off/automatic" : "");
	return TRUE;
}

static gboolean
check_transport(const FerryProfile *p, GError **error)
{
	if (!ferry_ipsec_mode_to_string(p->mode))
		FAIL(error, "mode", "unknown mode %d", (int)p->mode);
	if (!ferry_encap_to_string(p->encap))
		FAIL(error, "encap", "unknown value %d", (int)p->encap);
	if (p->mode == FERRY_IPSEC_TRANSPORT && (p->virtual_ip4 || p->virtual_ip6))
		FAIL(error, "mode",
		     "transport mode carries no virtual IP; set virtual-ip4 and virtual-ip6 to "
		     "false");
	return check_range("mtu", p->mtu, FERRY_PROFILE_MTU_MIN, FERRY_PROFILE_MTU_MAX, TRUE,
	                   error) &&
	       check_range("nat-keepalive", p->nat_keepalive, 1, FERRY_PROFILE_KEEPALIVE_MAX, TRUE,
	                   error) &&
	       check_range("dpd", p->dpd, 1, FERRY_PROFILE_DPD_MAX, TRUE, error) &&
	       check_range("ike-lifetime", p->ike_lifetime, FERRY_PROFILE_LIFETIME_MIN,
	                   FERRY_PROFILE_LIFETIME_MAX, FALSE, error) &&
	       check_range("child-lifetime", p->child_lifetime, FERRY_PROFILE_LIFETIME_MIN,
	                   FERRY_PROFILE_LIFETIME_MAX, FALSE, error);
}

gboolean
ferry_profile_validate(const FerryProfile *profile, GError **error)
{
	g_return_val_if_fail(profile != NULL, FALSE);

	return check_name_uuid(profile, error) && check_host(profile, error) &&
	       check_auth(profile, error) && check_proposals(profile, error) &&
	       check_subnets("include-subnets", profile->include_subnets, error) &&
	       check_subnets("exclude-subnets", profile->exclude_subnets, error) &&
	       check_dns(profile, error) && check_transport(profile, error);
}
