/* import-mobileconfig-ikev2.c - the IKEv2 and DNS dictionaries of an Apple VPN payload */
#include "config.h"

#include <string.h>

#include "ferry-error.h"
#include "import-mobileconfig.h"
#include "profile-plist-get.h"
#include "profile-proposal.h"
#include "profile-validate.h"

#define FAIL(error, field, ...)                                                                    \
	G_STMT_START                                                                               \
	{                                                                                          \
		g_autofree char *msg__ = g_strdup_printf(__VA_ARGS__);                             \
		g_set_error(error, FERRY_ERROR, FERRY_ERROR_CONFIG, "%s: %s", field, msg__);       \
		return FALSE;                                                                      \
	}                                                                                          \
	G_STMT_END

/* Apple's defaults for an SA parameter dictionary [ap-vpn]. */
#define APPLE_DEFAULT_ENCRYPTION "AES-256"
#define APPLE_DEFAULT_INTEGRITY  "SHA2-256"
#define APPLE_DEFAULT_DH         14
#define APPLE_DEFAULT_LIFETIME   1440 /* minutes */
#define APPLE_DEFAULT_DPD        600  /* "Medium" */

/* Keys at values that change nothing, and keys that name things Ferry does anyway. */
static const char *const ikev2_silent[] = {
	"DisableMOBIKE=0",
	"DisableRedirect=0",
	"UseConfigurationAttributeInternalIPSubnet=0",
	"EnableFallback=0",
	"EnableCertificateRevocationCheck=0",
	"OnDemandEnabled=0",
	"DisconnectOnIdle=0",
	"IncludeAllNetworks=0",
	"EnforceRoutes=0",
	"NATKeepAliveOffloadEnable=1",
	"ServerCertificateIssuerCommonName", /* Ferry sends CERTREQ for its CAs anyway */
	"CertificateType=RSA",
	"CertificateType=ECDSA256",
	"CertificateType=ECDSA384",
	"CertificateType=ECDSA521",
	NULL,
};

static const struct {
	const char *apple;
	const char *keyword; /* NULL: not supported */
	gboolean aead;
} apple_ciphers[] = {
	{"DES",              NULL,               FALSE},
	{"3DES",             "3des",             FALSE},
	{"AES-128",          "aes128",           FALSE},
	{"AES-256",          "aes256",           FALSE},
	{"AES-128-GCM",      "aes128gcm16",      TRUE },
	{"AES-256-GCM",      "aes256gcm16",      TRUE },
	{"ChaCha20Poly1305", "chacha20poly1305", TRUE },
};
static const struct {
	const char *apple;
	const char *keyword;
} apple_integrity[] = {
	{"SHA1-96",  "sha1"  },
        {"SHA1-160", NULL    },
        {"SHA2-256", "sha256"},
	{"SHA2-384", "sha384"},
        {"SHA2-512", "sha512"},
};
static const struct {
	gint64 group;
	const char *keyword;
} apple_groups[] = {
	{1,  NULL      },
        {2,  "modp1024"},
        {5,  "modp1536"},
        {14, "modp2048"},
        {15, "modp3072"},
	{16, "modp4096"},
        {17, NULL      },
        {18, NULL      },
        {19, "ecp256"  },
        {20, "ecp384"  },
	{21, "ecp521"  },
        {31, "x25519"  },
        {32, "x448"    },
};

typedef struct {
	const char *cipher; /* strongSwan keywords */
	gboolean aead;
	const char *integrity;
	const char *group;
	gboolean has_algorithms;
	guint lifetime; /* seconds, 0 = absent */
} SaParams;

static gboolean
translate_sa(PlistView *v, SaParams *sa, GError **error)
{
	const char *enc = NULL, *integ = NULL;
	gint64 dh = -1, minutes = -1;
	g_autofree char *f_enc = plist_view_field(v, "EncryptionAlgorithm");
	g_autofree char *f_integ = plist_view_field(v, "IntegrityAlgorithm");
	g_autofree char *f_dh = plist_view_field(v, "DiffieHellmanGroup");
	g_autofree char *f_life = plist_view_field(v, "LifeTimeInMinutes");
	gsize i;

	if (!plist_view_string(v, "EncryptionAlgorithm", &enc, error) ||
	    !plist_view_string(v, "IntegrityAlgorithm", &integ, error) ||
	    !plist_view_int(v, "DiffieHellmanGroup", &dh, error) ||
	    !plist_view_int(v, "LifeTimeInMinutes", &minutes, error))
		return FALSE;
	sa->has_algorithms = enc || integ || dh >= 0;
	for (i = 0; i < G_N_ELEMENTS(apple_ciphers); i++) {
		if (strcmp(apple_ciphers[i].apple, enc ? enc : APPLE_DEFAULT_ENCRYPTION) == 0)
			break;
	}
	if (i == G_N_ELEMENTS(apple_ciphers) || !apple_ciphers[i].keyword)
		FAIL(error, f_enc, "'%s' is %s", enc,
		     i < G_N_ELEMENTS(apple_ciphers) ? "not supported (too weak)" : "unknown");
	sa->cipher = apple_ciphers[i].keyword;
	sa->aead = apple_ciphers[i].aead;
	for (i = 0; i < G_N_ELEMENTS(apple_integrity); i++) {
		if (strcmp(apple_integrity[i].apple, integ ? integ : APPLE_DEFAULT_INTEGRITY) == 0)
			break;
	}
	if (i == G_N_ELEMENTS(apple_integrity) || !apple_integrity[i].keyword)
		FAIL(error, f_integ, "'%s' is %s", integ,
		     i < G_N_ELEMENTS(apple_integrity) ? "not supported" : "unknown");
	sa->integrity = apple_integrity[i].keyword;
	for (i = 0; i < G_N_ELEMENTS(apple_groups); i++) {
		if (apple_groups[i].group == (dh >= 0 ? dh : APPLE_DEFAULT_DH))
			break;
	}
	if (i == G_N_ELEMENTS(apple_groups) || !apple_groups[i].keyword)
		FAIL(error, f_dh, "group %" G_GINT64_FORMAT " is %s", dh,
		     i < G_N_ELEMENTS(apple_groups) ? "not supported" : "unknown");
	sa->group = apple_groups[i].keyword;
	if (minutes >= 0 && (minutes < 10 || minutes > 1440))
		FAIL(error, f_life, "%" G_GINT64_FORMAT " is out of range (10-1440)", minutes);
	sa->lifetime = minutes >= 0 ? (guint)minutes * 60 : 0;
	return TRUE;
}

static gboolean
read_sa(FerryImport *im,
        const Plist *dict,
        const char *path,
        const char *key,
        SaParams *sa,
        GError **error)
{
	g_autofree char *sub = g_strdup_printf("%s.%s", path, key);
	g_autoptr(PlistView) v = plist_view_new(dict, sub);
	g_autoptr(GPtrArray) just_this = g_ptr_array_new();

	if (!translate_sa(v, sa, error))
		return FALSE;
	g_ptr_array_add(just_this, im);
	plist_view_report(v, just_this, NULL);
	return TRUE;
}

/* One Apple SA dictionary is one proposal (RFC 7296 §3.3). */
static void
apply_proposals(FerryProfile *p, const SaParams *ike, const SaParams *child, gboolean pfs)
{
	if (ike->has_algorithms)
		p->ike_proposals =
			g_strdup_printf("%s-%s-%s", ike->cipher, ike->integrity, ike->group);
	if (child->has_algorithms) {
		GString *esp = g_string_new(child->cipher);

		if (!child->aead)
			g_string_append_printf(esp, "-%s", child->integrity);
		/* EnablePFS: the child SA's own key exchange, with this dictionary's group */
		if (pfs)
			g_string_append_printf(esp, "-%s", child->group);
		p->esp_proposals = g_string_free(esp, FALSE);
	}
	if (ike->lifetime)
		p->ike_lifetime = ike->lifetime;
	if (child->lifetime)
		p->child_lifetime = child->lifetime;
	if (pfs)
		p->pfs = FERRY_PFS_YES;
}

static gboolean
read_proposals(FerryImport *im, PlistView *v, gboolean pfs, GError **error)
{
	const Plist *ike_dict = NULL, *child_dict = NULL;
	SaParams ike = {0}, child = {0};

	if (!plist_view_dict(v, "IKESecurityAssociationParameters", &ike_dict, error) ||
	    !plist_view_dict(v, "ChildSecurityAssociationParameters", &child_dict, error))
		return FALSE;
	if (ike_dict &&
	    !read_sa(im, ike_dict, v->path, "IKESecurityAssociationParameters", &ike, error))
		return FALSE;
	/* Without its own dictionary the child SA uses the IKE SA's parameters. */
	if (child_dict) {
		if (!read_sa(im, child_dict, v->path, "ChildSecurityAssociationParameters", &child,
		             error))
			return FALSE;
	} else {
		child = ike;
	}
	apply_proposals(im->profile, &ike, &child, pfs);
	return TRUE;
}

static gboolean
read_auth(Mobileconfig *mc, FerryImport *im, PlistView *v, GError **error)
{
	FerryProfile *p = im->profile;
	const char *method = NULL, *cert_uuid = NULL, *name = NULL, *password = NULL;
	const char *psk = NULL;
	const Plist *cert_type;
	gboolean eap = FALSE;
	g_autofree char *f_method = plist_view_field(v, "AuthenticationMethod");
	g_autofree char *f_uuid = plist_view_field(v, "PayloadCertificateUUID");

	if (!plist_view_string(v, "AuthenticationMethod", &method, error) ||
	    !plist_view_flag(v, "ExtendedAuthEnabled", &eap, error) ||
	    !plist_view_string(v, "PayloadCertificateUUID", &cert_uuid, error) ||
	    !plist_view_string(v, "SharedSecret", &psk, error) ||
	    !plist_view_string(v, "AuthName", &name, error) ||
	    !plist_view_string(v, "AuthPassword", &password, error))
		return FALSE;
	if (!method)
		method = "None";
	if (strcmp(method, "SharedSecret") == 0 || (strcmp(method, "None") == 0 && !eap)) {
		p->auth = FERRY_AUTH_PSK;
	} else if (strcmp(method, "Certificate") == 0 || strcmp(method, "None") == 0) {
		/* Apple's table: EAP with an identity is EAP-TLS, without one user/password */
		if (eap)
			p->auth = cert_uuid ? FERRY_AUTH_EAP_TLS : FERRY_AUTH_EAP_MSCHAPV2;
		else if (cert_uuid)
			p->auth = FERRY_AUTH_CERT;
		else
			FAIL(error, f_uuid,
			     "missing: certificate authentication needs an identity");
	} else {
		FAIL(error, f_method, "unknown method '%s' (SharedSecret, Certificate, None)",
		     method);
	}
	if (psk && p->auth == FERRY_AUTH_PSK)
		ferry_profile_secrets_set(im->secrets, "psk", psk, NULL);
	if (p->auth == FERRY_AUTH_EAP_MSCHAPV2) {
		p->eap_identity = name && *name ? g_strdup(name) : NULL;
		if (password && *password)
			ferry_profile_secrets_set(im->secrets, "password", password, NULL);
	}
	if (cert_uuid && p->auth != FERRY_AUTH_PSK && p->auth != FERRY_AUTH_EAP_MSCHAPV2 &&
	    !mobileconfig_read_identity(mc, im, cert_uuid, f_uuid, error))
		return FALSE;
	/* CertificateType only names the identity's key type, except RSA-PSS */
	cert_type = plist_get(v->dict, "CertificateType");
	if (cert_type && cert_type->type == PLIST_STRING &&
	    strcmp(cert_type->string, "RSA-PSS") == 0) {
		plist_view_take(v, "CertificateType");
		p->rsa_pss = TRUE;
	}
	return TRUE;
}

static gboolean
read_timers(FerryImport *im, PlistView *v, GError **error)
{
	static const struct {
		const char *rate;
		guint seconds;
	} rates[] = {
		{"None",   0   },
                {"Low",    1800},
                {"Medium", 600 },
                {"High",   60  }
        };
	FerryProfile *p = im->profile;
	const char *rate = NULL;
	gint64 mtu = -1, keepalive = -1;
	g_autofree char *f_rate = plist_view_field(v, "DeadPeerDetectionRate");
	g_autofree char *f_mtu = plist_view_field(v, "MTU");
	g_autofree char *f_ka = plist_view_field(v, "NATKeepAliveInterval");
	gsize i;

	if (!plist_view_string(v, "DeadPeerDetectionRate", &rate, error) ||
	    !plist_view_int(v, "MTU", &mtu, error) ||
	    !plist_view_int(v, "NATKeepAliveInterval", &keepalive, error))
		return FALSE;
	p->dpd = APPLE_DEFAULT_DPD;
	for (i = 0; rate && i < G_N_ELEMENTS(rates); i++) {
		if (strcmp(rates[i].rate, rate) == 0)
			break;
	}
	if (rate && i == G_N_ELEMENTS(rates))
		FAIL(error, f_rate, "unknown rate '%s' (None, Low, Medium, High)", rate);
	if (rate)
		p->dpd = rates[i].seconds;
	if (mtu >= 0) {
		if (mtu < FERRY_PROFILE_MTU_MIN || mtu > FERRY_PROFILE_MTU_MAX)
			FAIL(error, f_mtu, "%" G_GINT64_FORMAT " is out of range (%d-%d)", mtu,
			     FERRY_PROFILE_MTU_MIN, FERRY_PROFILE_MTU_MAX);
		p->mtu = (guint)mtu;
	}
	if (keepalive >= 0) {
		if (keepalive < 1 || keepalive > FERRY_PROFILE_KEEPALIVE_MAX)
			FAIL(error, f_ka, "%" G_GINT64_FORMAT " is out of range (1-%d)", keepalive,
			     FERRY_PROFILE_KEEPALIVE_MAX);
		p->nat_keepalive = (guint)keepalive;
	}
	return TRUE;
}

gboolean
mobileconfig_read_ikev2(
	Mobileconfig *mc, FerryImport *im, const Plist *ikev2, const char *path, GError **error)
{
	g_autofree char *sub = g_strdup_printf("%s.IKEv2", path);
	g_autoptr(PlistView) v = plist_view_new(ikev2, sub);
	g_autoptr(GPtrArray) just_this = g_ptr_array_new();
	g_autofree char *f_addr = plist_view_field(v, "RemoteAddress");
	FerryProfile *p = im->profile;
	const char *addr = NULL, *remote = NULL, *local = NULL;
	gboolean pfs = FALSE;

	if (!plist_view_string(v, "RemoteAddress", &addr, error) ||
	    !plist_view_string(v, "RemoteIdentifier", &remote, error) ||
	    !plist_view_string(v, "LocalIdentifier", &local, error) ||
	    !plist_view_flag(v, "EnablePFS", &pfs, error))
		return FALSE;
	if (!addr || !*addr)
		FAIL(error, f_addr, "missing (the VPN server's host name or address)");
	if (!profile_is_ip_address(addr) && !profile_is_dns_name(addr))
		FAIL(error, f_addr, "'%s' is not a host name or IP address", addr);
	p->gateway = g_strdup(addr);
	/* The server must present RemoteIdentifier; naming the address itself is Ferry's
	 * default of matching the gateway name. */
	if (remote && *remote && strcmp(remote, addr) != 0) {
		p->remote_id = g_strdup(remote);
		p->remote_id_strict = TRUE;
	}
	if (local && *local)
		p->local_id = g_strdup(local);
	if (!read_auth(mc, im, v, error) || !read_timers(im, v, error) ||
	    !read_proposals(im, v, pfs, error))
		return FALSE;
	g_ptr_array_add(just_this, im);
	plist_view_report(v, just_this, ikev2_silent);
	return TRUE;
}

static gboolean
check_addresses(char **list, const char *field, GError **error)
{
	for (guint i = 0; list && list[i]; i++) {
		if (!profile_is_ip_address(list[i]))
			FAIL(error, field, "'%s' is not an IP address", list[i]);
	}
	return TRUE;
}

static gboolean
check_domains(char **list, const char *field, GError **error)
{
	for (guint i = 0; list && list[i]; i++) {
		if (!profile_is_dns_name(list[i]))
			FAIL(error, field, "'%s' is not a domain name", list[i]);
	}
	return TRUE;
}

gboolean
mobileconfig_read_dns(FerryImport *im, const Plist *dns, const char *path, GError **error)
{
	static const char *const silent[] = {"DNSProtocol=Cleartext",
	                                     "SupplementalMatchDomainsNoSearch=0", NULL};
	g_autofree char *sub = g_strdup_printf("%s.DNS", path);
	g_autoptr(PlistView) v = plist_view_new(dns, sub);
	g_autoptr(GPtrArray) just_this = g_ptr_array_new();
	g_autofree char *f_servers = plist_view_field(v, "ServerAddresses");
	g_autofree char *f_search = plist_view_field(v, "SearchDomains");
	g_autofree char *f_split = plist_view_field(v, "SupplementalMatchDomains");
	g_autofree char *f_domain = plist_view_field(v, "DomainName");
	FerryProfile *p = im->profile;
	const char *domain = NULL;

	if (!plist_view_strings(v, "ServerAddresses", &p->dns_servers, error) ||
	    !plist_view_strings(v, "SearchDomains", &p->dns_search_domains, error) ||
	    !plist_view_strings(v, "SupplementalMatchDomains", &p->dns_split_domains, error) ||
	    !plist_view_string(v, "DomainName", &domain, error) ||
	    !check_addresses(p->dns_servers, f_servers, error) ||
	    !check_domains(p->dns_search_domains, f_search, error) ||
	    !check_domains(p->dns_split_domains, f_split, error))
		return FALSE;
	/* The tunnel's primary domain is searched first. */
	if (domain && *domain) {
		guint n = p->dns_search_domains ? g_strv_length(p->dns_search_domains) : 0;
		char **list = g_new0(char *, n + 2);

		if (!profile_is_dns_name(domain))
			FAIL(error, f_domain, "'%s' is not a domain name", domain);
		list[0] = g_strdup(domain);
		for (guint i = 0; i < n; i++)
			list[i + 1] = p->dns_search_domains[i];
		g_free(p->dns_search_domains);
		p->dns_search_domains = list;
	}
	g_ptr_array_add(just_this, im);
	plist_view_report(v, just_this, silent);
	return TRUE;
}
