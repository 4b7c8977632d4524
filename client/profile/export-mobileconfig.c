/* export-mobileconfig.c - writes a FerryProfile as an unsigned Apple configuration profile
 *
 * One com.apple.vpn.managed payload (VPNType IKEv2), a certificate payload per CA or pinned
 * certificate file, and a PKCS#12 payload for the client identity.  Apple's SA dictionaries
 * hold one algorithm of each kind, so only the first proposal's first choices are kept.
 */
#include "config.h"

#include <string.h>

#include "ferry-error.h"
#include "profile-cert.h"
#include "profile-export.h"
#include "profile-import.h"
#include "profile-plist.h"
#include "profile-proposal.h"

#define ID_PREFIX "org.ferry-vpn.profile"

static const struct {
	const char *keyword;
	const char *apple;
} apple_ciphers[] = {
	{"3des",             "3DES"            },
	{"aes128",           "AES-128"         },
	{"aes256",           "AES-256"         },
	{"aes128gcm16",      "AES-128-GCM"     },
	{"aes256gcm16",      "AES-256-GCM"     },
	{"chacha20poly1305", "ChaCha20Poly1305"},
};
/* Apple names integrity; with AEAD it stands for the PRF on the same hash. */
static const struct {
	const char *keyword;
	const char *apple;
} apple_hashes[] = {
	{"sha1",      "SHA1-96" },
        {"sha256",    "SHA2-256"},
        {"sha384",    "SHA2-384"},
	{"sha512",    "SHA2-512"},
        {"prfsha1",   "SHA1-96" },
        {"prfsha256", "SHA2-256"},
	{"prfsha384", "SHA2-384"},
        {"prfsha512", "SHA2-512"},
};

typedef struct {
	const FerryProfile *p;
	const FerryProfileSecrets *s;
	GPtrArray *dropped;
	Plist *payloads;
	guint n_payloads;
	char *ca_common_name; /* of the first CA, for ServerCertificateIssuerCommonName */
} Export;

/* Stable UUIDs for the payloads Ferry adds, derived from the profile's UUID. */
static char *
derived_uuid(const char *uuid, const char *role, guint n)
{
	g_autofree char *input = g_strdup_printf("ferry-mobileconfig\n%s\n%s\n%u", uuid, role, n);
	g_autofree char *hex = g_compute_checksum_for_string(G_CHECKSUM_SHA1, input, -1);

	g_autofree char *up = NULL;

	/* RFC 4122 §4.3: version 5, variant 10 */
	hex[12] = '5';
	hex[16] = "89ab"[g_ascii_xdigit_value(hex[16]) & 3];
	up = g_ascii_strup(hex, -1);
	return g_strdup_printf("%.8s-%.4s-%.4s-%.4s-%.12s", up, up + 8, up + 12, up + 16, up + 20);
}

static Plist *
new_payload(Export *e, const char *type, const char *role, const char *uuid)
{
	Plist *payload = plist_new(PLIST_DICT);
	g_autofree char *own_uuid =
		uuid ? g_ascii_strup(uuid, -1) : derived_uuid(e->p->uuid, role, e->n_payloads);
	g_autofree char *id =
		g_strdup_printf(ID_PREFIX ".%s.%s%u", e->p->uuid, role, e->n_payloads++);

	plist_add(payload, "PayloadType", plist_new_string(type));
	plist_add(payload, "PayloadVersion", plist_new_integer(1));
	plist_add(payload, "PayloadIdentifier", plist_new_string(id));
	plist_add(payload, "PayloadUUID", plist_new_string(own_uuid));
	return payload;
}

static gboolean
add_cert_payload(Export *e, const char *field, const char *path, GError **error)
{
	g_auto(ProfileCert) cert = {0};
	g_autoptr(GError) local = NULL;
	g_autoptr(GBytes) der = NULL;
	Plist *payload;
	const char *pem = NULL;
	gsize len = 0;

	if (!profile_cert_load(path, &cert, &local) ||
	    !(der = profile_cert_to_der(cert.pem, &local))) {
		g_set_error(error, FERRY_ERROR, FERRY_ERROR_CONFIG, "%s: %s: %s", field, path,
		            local->message);
		return FALSE;
	}
	pem = g_bytes_get_data(cert.pem, &len);
	/* one certificate as DER in a root payload; a bundle as PEM */
	if (g_strstr_len(pem + 1, (gssize)len - 1, "-----BEGIN CERTIFICATE") != NULL) {
		payload = new_payload(e, "com.apple.security.pem", "cert", NULL);
		plist_add(payload, "PayloadContent", plist_new_data(cert.pem));
	} else {
		payload = new_payload(e, "com.apple.security.root", "cert", NULL);
		plist_add(payload, "PayloadContent", plist_new_data(der));
	}
	plist_add(payload, "PayloadDisplayName",
	          plist_new_string(cert.common_name ? cert.common_name : cert.subject));
	plist_add(e->payloads, NULL, payload);
	if (cert.is_ca && !e->ca_common_name && cert.common_name)
		e->ca_common_name = g_strdup(cert.common_name);
	return TRUE;
}

static gboolean
add_certs(Export *e, GError **error)
{
	for (guint i = 0; e->p->ca_certs && e->p->ca_certs[i]; i++) {
		if (!add_cert_payload(e, "ca-certs", e->p->ca_certs[i], error))
			return FALSE;
	}
	if (e->p->server_cert) {
		if (!add_cert_payload(e, "server-cert", e->p->server_cert, error))
			return FALSE;
		profile_export_drop(e->dropped, "server-cert",
		                    "carried as a root certificate; Apple devices trust it but do "
		                    "not pin it");
	}
	return TRUE;
}

/* Returns the identity payload's UUID, or NULL when the profile has no PKCS#12. */
static gboolean
add_identity(Export *e, char **uuid, GError **error)
{
	const FerryProfile *p = e->p;
	g_autofree char *data = NULL;
	g_autoptr(GError) local = NULL;
	g_autoptr(GBytes) bytes = NULL;
	Plist *payload;
	gsize len = 0;

	*uuid = NULL;
	if (p->client_cert || p->client_pkcs11_uri) {
		g_set_error(error, FERRY_ERROR, FERRY_ERROR_CONFIG,
		            "%s: a .mobileconfig carries the client identity only as PKCS#12 "
		            "(client-pkcs12)",
		            p->client_cert ? "client-cert" : "client-pkcs11-uri");
		return FALSE;
	}
	if (!p->client_pkcs12)
		return TRUE;
	if (!g_file_get_contents(p->client_pkcs12, &data, &len, &local)) {
		g_set_error(error, FERRY_ERROR, FERRY_ERROR_CONFIG, "client-pkcs12: %s",
		            local->message);
		return FALSE;
	}
	bytes = g_bytes_new_take(g_steal_pointer(&data), len);
	payload = new_payload(e, "com.apple.security.pkcs12", "identity", NULL);
	plist_add(payload, "PayloadContent", plist_new_data(bytes));
	plist_add(payload, "PayloadCertificateFileName", plist_new_string("client.p12"));
	plist_add(payload, "PayloadDisplayName", plist_new_string("VPN identity"));
	if (e->s && e->s->key_passphrase)
		plist_add(payload, "Password",
		          plist_new_string((const char *)e->s->key_passphrase->data));
	*uuid = g_strdup(((Plist *)plist_get(payload, "PayloadUUID"))->string);
	plist_add(e->payloads, NULL, payload);
	return TRUE;
}

static gboolean
add_auth(Export *e, Plist *ikev2, const char *identity, GError **error)
{
	const FerryProfile *p = e->p;
	gboolean eap = p->auth == FERRY_AUTH_EAP_MSCHAPV2 || p->auth == FERRY_AUTH_EAP_TLS;

	if (p->auth == FERRY_AUTH_CERT_EAP) {
		g_set_error(error, FERRY_ERROR, FERRY_ERROR_CONFIG,
		            "auth: cert+eap (RFC 4739) cannot be expressed in a .mobileconfig");
		return FALSE;
	}
	plist_add(ikev2, "AuthenticationMethod",
	          plist_new_string(p->auth == FERRY_AUTH_PSK ? "SharedSecret" : "Certificate"));
	plist_add(ikev2, "ExtendedAuthEnabled", plist_new_integer(eap));
	if (p->auth == FERRY_AUTH_PSK && e->s && e->s->psk)
		plist_add(ikev2, "SharedSecret", plist_new_string((const char *)e->s->psk->data));
	if (p->auth == FERRY_AUTH_EAP_MSCHAPV2) {
		if (p->eap_identity)
			plist_add(ikev2, "AuthName", plist_new_string(p->eap_identity));
		if (e->s && e->s->password)
			plist_add(ikev2, "AuthPassword",
			          plist_new_string((const char *)e->s->password->data));
	}
	if (p->auth == FERRY_AUTH_CERT || p->auth == FERRY_AUTH_EAP_TLS) {
		if (!identity) {
			g_set_error(error, FERRY_ERROR, FERRY_ERROR_CONFIG,
			            "client-pkcs12: missing (auth %s needs the identity)",
			            ferry_auth_method_to_string(p->auth));
			return FALSE;
		}
		plist_add(ikev2, "PayloadCertificateUUID", plist_new_string(identity));
	}
	if (p->rsa_pss)
		plist_add(ikev2, "CertificateType", plist_new_string("RSA-PSS"));
	if (e->ca_common_name && p->send_certreq)
		plist_add(ikev2, "ServerCertificateIssuerCommonName",
		          plist_new_string(e->ca_common_name));
	if (!p->send_certreq)
		profile_export_drop(e->dropped, "send-certreq", "Apple devices decide themselves");
	return TRUE;
}

static const char *
apple_name(const IkeTransform *t, gboolean cipher)
{
	const char *kw = profile_proposal_transform_keyword(t);

	for (gsize i = 0; cipher && kw && i < G_N_ELEMENTS(apple_ciphers); i++) {
		if (strcmp(apple_ciphers[i].keyword, kw) == 0)
			return apple_ciphers[i].apple;
	}
	for (gsize i = 0; !cipher && kw && i < G_N_ELEMENTS(apple_hashes); i++) {
		if (strcmp(apple_hashes[i].keyword, kw) == 0)
			return apple_hashes[i].apple;
	}
	return NULL;
}

/* The first proposal's first algorithm of each kind; the rest is reported dropped. */
static void
add_sa_algorithms(Export *e, Plist *dict, const char *text, IkeProto proto, const char *field)
{
	g_autoptr(GArray) props = profile_proposal_parse(text, proto, NULL);
	const IkeProposal *p = &g_array_index(props, IkeProposal, 0);
	const IkeTransform *enc = NULL, *hash = NULL, *prf = NULL, *ke = NULL;
	guint counts[6] = {0};

	for (guint i = 0; i < p->n_transforms; i++) {
		const IkeTransform *t = &p->transforms[i];

		if (t->type < G_N_ELEMENTS(counts) && counts[t->type]++)
			continue;
		if (t->type == IKE_TRANSFORM_ENCR)
			enc = t;
		else if (t->type == IKE_TRANSFORM_INTEG)
			hash = t;
		else if (t->type == IKE_TRANSFORM_PRF)
			prf = t;
		else if (t->type == IKE_TRANSFORM_KE)
			ke = t;
	}
	if (props->len > 1 || counts[IKE_TRANSFORM_ENCR] > 1 || counts[IKE_TRANSFORM_INTEG] > 1 ||
	    counts[IKE_TRANSFORM_PRF] > 1 || counts[IKE_TRANSFORM_KE] > 1)
		profile_export_drop(e->dropped, field,
		                    "Apple takes one algorithm of each kind; kept the first");
	if (!apple_name(enc, TRUE) ||
	    (hash ? !apple_name(hash, FALSE) : prf && !apple_name(prf, FALSE))) {
		profile_export_drop(e->dropped, field, "has algorithms Apple devices lack");
		return;
	}
	plist_add(dict, "EncryptionAlgorithm", plist_new_string(apple_name(enc, TRUE)));
	if (hash || prf)
		plist_add(dict, "IntegrityAlgorithm",
		          plist_new_string(apple_name(hash ? hash : prf, FALSE)));
	if (ke)
		plist_add(dict, "DiffieHellmanGroup", plist_new_integer(ke->id));
}

static Plist *
sa_dict(Export *e,
        const char *text,
        IkeProto proto,
        guint lifetime,
        const char *field,
        const char *lifetime_field)
{
	Plist *dict = plist_new(PLIST_DICT);

	if (text)
		add_sa_algorithms(e, dict, text, proto, field);
	if (lifetime % 60 == 0 && lifetime / 60 >= 10 && lifetime / 60 <= 1440)
		plist_add(dict, "LifeTimeInMinutes", plist_new_integer(lifetime / 60));
	else
		profile_export_drop(e->dropped, lifetime_field,
		                    "Apple takes whole minutes from 10 to 1440");
	return dict;
}

static void
add_timers(Export *e, Plist *ikev2)
{
	static const struct {
		guint seconds;
		const char *rate;
	} rates[] = {
		{0,    "None"  },
                {60,   "High"  },
                {600,  "Medium"},
                {1800, "Low"   }
        };
	const FerryProfile *p = e->p;
	gsize best = 0;

	for (gsize i = 1; i < G_N_ELEMENTS(rates); i++) {
		if (p->dpd &&
		    (best == 0 || ABS((gint64)rates[i].seconds - (gint64)p->dpd) <
		                          ABS((gint64)rates[best].seconds - (gint64)p->dpd)))
			best = i;
	}
	plist_add(ikev2, "DeadPeerDetectionRate", plist_new_string(rates[best].rate));
	if (rates[best].seconds != p->dpd)
		profile_export_drop(e->dropped, "dpd",
		                    "Apple offers 60, 600 or 1800 seconds; used %u",
		                    rates[best].seconds);
	if (p->mtu >= 1280 && p->mtu <= 1400)
		plist_add(ikev2, "MTU", plist_new_integer(p->mtu));
	else if (p->mtu)
		profile_export_drop(e->dropped, "mtu", "Apple takes 1280-1400");
	if (p->nat_keepalive >= 20)
		plist_add(ikev2, "NATKeepAliveInterval", plist_new_integer(p->nat_keepalive));
	else
		profile_export_drop(e->dropped, "nat-keepalive", "Apple takes 20 seconds or more");
}

static void
add_proposals(Export *e, Plist *ikev2)
{
	const FerryProfile *p = e->p;
	g_autoptr(GArray) esp = profile_proposal_parse(p->esp_proposals, IKE_PROTO_ESP, NULL);
	gboolean pfs =
		p->pfs == FERRY_PFS_YES || (p->esp_proposals && profile_proposal_has_ke(esp));

	plist_add(ikev2, "EnablePFS", plist_new_integer(pfs));
	plist_add(ikev2, "IKESecurityAssociationParameters",
	          sa_dict(e, p->ike_proposals, IKE_PROTO_IKE, p->ike_lifetime, "ike-proposals",
	                  "ike-lifetime"));
	plist_add(ikev2, "ChildSecurityAssociationParameters",
	          sa_dict(e, p->esp_proposals, IKE_PROTO_ESP, p->child_lifetime, "esp-proposals",
	                  "child-lifetime"));
}

static Plist *
dns_dict(const FerryProfile *p)
{
	static const char *const keys[] = {"ServerAddresses", "SearchDomains",
	                                   "SupplementalMatchDomains"};
	char **lists[] = {p->dns_servers, p->dns_search_domains, p->dns_split_domains};
	Plist *dns = plist_new(PLIST_DICT);

	for (gsize i = 0; i < G_N_ELEMENTS(keys); i++) {
		Plist *array;

		if (!lists[i] || !*lists[i])
			continue;
		array = plist_new(PLIST_ARRAY);
		for (guint j = 0; lists[i][j]; j++)
			plist_add(array, NULL,
			          plist_new_string(lists[i][j] + (lists[i][j][0] == '.')));
		plist_add(dns, keys[i], array);
	}
	return dns;
}

static gboolean
add_vpn(Export *e, const char *identity, GError **error)
{
	const FerryProfile *p = e->p;
	Plist *vpn = new_payload(e, "com.apple.vpn.managed", "vpn", p->uuid);
	Plist *ikev2 = plist_new(PLIST_DICT);
	Plist *dns;

	plist_add(vpn, "PayloadDisplayName", plist_new_string("VPN"));
	plist_add(vpn, "UserDefinedName", plist_new_string(p->name));
	plist_add(vpn, "VPNType", plist_new_string("IKEv2"));
	plist_add(vpn, "IKEv2", ikev2);
	plist_add(e->payloads, NULL, vpn);
	plist_add(ikev2, "RemoteAddress", plist_new_string(p->gateway));
	plist_add(ikev2, "RemoteIdentifier",
	          plist_new_string(p->remote_id ? p->remote_id : p->gateway));
	if (p->remote_id && !p->remote_id_strict)
		profile_export_drop(e->dropped, "remote-id-match",
		                    "Apple devices match RemoteIdentifier strictly");
	if (p->local_id)
		plist_add(ikev2, "LocalIdentifier", plist_new_string(p->local_id));
	if (!add_auth(e, ikev2, identity, error))
		return FALSE;
	add_timers(e, ikev2);
	add_proposals(e, ikev2);
	dns = dns_dict(p);
	if (dns->keys->len)
		plist_add(vpn, "DNS", dns);
	else
		plist_free(dns);
	return TRUE;
}

static void
drop_unexpressible(Export *e)
{
	const FerryProfile *p = e->p;

	if (p->include_subnets && *p->include_subnets)
		profile_export_drop(e->dropped, "include-subnets",
		                    "Apple devices route what the gateway's selectors offer");
	if (p->exclude_subnets && *p->exclude_subnets)
		profile_export_drop(e->dropped, "exclude-subnets",
		                    "the format has no such setting");
	if (p->ipv6_transport)
		profile_export_drop(e->dropped, "ipv6-transport",
		                    "Apple devices decide themselves");
	if (p->port != FERRY_PROFILE_DEFAULT_PORT)
		profile_export_drop(e->dropped, "port", "Apple devices always use 500 and 4500");
	profile_export_drop_common(p, e->dropped, PROFILE_EXPORT_MOBILECONFIG_CAN);
}

GBytes *
ferry_export_mobileconfig(const FerryProfile *profile,
                          const FerryProfileSecrets *secrets,
                          GPtrArray *dropped,
                          GError **error)
{
	Export e = {.p = profile, .s = secrets, .dropped = dropped};
	g_autoptr(Plist) root = plist_new(PLIST_DICT);
	g_autofree char *identity = NULL;
	g_autofree char *root_uuid = derived_uuid(profile->uuid, "configuration", 0);
	g_autofree char *root_id = g_strdup_printf(ID_PREFIX ".%s", profile->uuid);
	gboolean ok;

	e.payloads = plist_new(PLIST_ARRAY);
	plist_add(root, "PayloadContent", e.payloads);
	ok = add_certs(&e, error) && add_identity(&e, &identity, error) &&
	     add_vpn(&e, identity, error);
	g_free(e.ca_common_name);
	if (!ok)
		return NULL;
	drop_unexpressible(&e);
	plist_add(root, "PayloadDisplayName", plist_new_string(profile->name));
	plist_add(root, "PayloadIdentifier", plist_new_string(root_id));
	plist_add(root, "PayloadType", plist_new_string("Configuration"));
	plist_add(root, "PayloadUUID", plist_new_string(root_uuid));
	plist_add(root, "PayloadVersion", plist_new_integer(1));
	return plist_to_xml(root);
}
