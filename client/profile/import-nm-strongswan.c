/* import-nm-strongswan.c - the [vpn] items of NetworkManager-strongswan connections
 *
 * Semantics follow charon-nm (shared/reference/profile-formats.md §c): method/cert-source pick
 * the authentication, the one secret "password" means whatever that method needs.
 */
#include "config.h"

#include <string.h>

#include "ferry-error.h"
#include "import-nm.h"
#include "profile-cert.h"
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

typedef enum {
	SOURCE_NONE,
	SOURCE_FILE,
	SOURCE_AGENT,
	SOURCE_SMARTCARD,
} CertSource;

static gboolean
read_method(NmImport *nm, CertSource *source, GError **error)
{
	FerryProfile *p = nm->import->profile;
	const char *method = nm_import_get(nm, "method");
	const char *cs = nm_import_get(nm, "cert-source");

	*source = SOURCE_NONE;
	if (!method)
		FAIL(error, "vpn.method", "missing");
	if (strcmp(method, "eap") == 0) {
		p->auth = FERRY_AUTH_EAP_MSCHAPV2;
	} else if (strcmp(method, "psk") == 0) {
		p->auth = FERRY_AUTH_PSK;
	} else if (strcmp(method, "cert") == 0 || strcmp(method, "eap-tls") == 0) {
		p->auth = method[0] == 'c' ? FERRY_AUTH_CERT : FERRY_AUTH_EAP_TLS;
		*source = SOURCE_FILE;
	} else if (strcmp(method, "key") == 0) { /* before 1.5.0: cert-source in the method */
		p->auth = FERRY_AUTH_CERT;
		*source = SOURCE_FILE;
	} else if (strcmp(method, "agent") == 0) {
		p->auth = FERRY_AUTH_CERT;
		*source = SOURCE_AGENT;
	} else if (strcmp(method, "smartcard") == 0) {
		p->auth = FERRY_AUTH_CERT;
		*source = SOURCE_SMARTCARD;
	} else {
		FAIL(error, "vpn.method", "unknown method '%s'", method);
	}
	if (cs && *source != SOURCE_NONE) {
		if (strcmp(cs, "file") == 0)
			*source = SOURCE_FILE;
		else if (strcmp(cs, "agent") == 0)
			*source = SOURCE_AGENT;
		else if (strcmp(cs, "smartcard") == 0)
			*source = SOURCE_SMARTCARD;
		else
			FAIL(error, "vpn.cert-source", "unknown source '%s'", cs);
	}
	if (*source == SOURCE_AGENT)
		FAIL(error, "vpn.cert-source",
		     "keys held by ssh-agent are not supported; use a certificate and key file or "
		     "a smartcard");
	return TRUE;
}

static gboolean
read_client_cert(NmImport *nm, CertSource source, GError **error)
{
	FerryProfile *p = nm->import->profile;
	const char *cert = nm_import_get(nm, "usercert");
	const char *key = nm_import_get(nm, "userkey");

	if (source == SOURCE_SMARTCARD) {
		/* charon-nm takes the first certificate on any token, unlocked by the PIN. */
		p->client_pkcs11_uri = g_strdup("pkcs11:");
		return TRUE;
	}
	if (source != SOURCE_FILE)
		return TRUE;
	if (!cert)
		FAIL(error, "vpn.usercert", "missing (method needs a client certificate)");
	if (!key)
		FAIL(error, "vpn.userkey", "missing (the client certificate's private key)");
	p->client_cert = nm_import_path(nm, cert);
	p->client_key = nm_import_path(nm, key);
	return TRUE;
}

/* A CA anchors the chain; any other certificate is the gateway's own and is pinned. */
static void
read_server_cert(NmImport *nm)
{
	FerryProfile *p = nm->import->profile;
	const char *cert = nm_import_get(nm, "certificate");
	g_auto(ProfileCert) parsed = {0};
	g_autoptr(GError) local = NULL;
	g_autofree char *path = NULL;

	if (!cert)
		return;
	path = nm_import_path(nm, cert);
	if (profile_cert_load(path, &parsed, &local) && !parsed.is_ca) {
		p->server_cert = g_steal_pointer(&path);
		return;
	}
	if (local)
		ferry_import_add_unmapped(nm->import, "vpn.certificate",
		                          "%s could not be read (%s); kept as a CA certificate",
		                          path, local->message);
	p->ca_certs = g_new0(char *, 2);
	p->ca_certs[0] = g_steal_pointer(&path);
}

static void
read_secret(NmImport *nm, CertSource source)
{
	FerryProfileSecrets *s = nm->import->secrets;
	FerrySecret *secret = nm_import_get_secret(nm, "password");
	FerrySecret **slot;

	if (!secret)
		return;
	if (nm->import->profile->auth == FERRY_AUTH_PSK)
		slot = &s->psk;
	else if (source == SOURCE_SMARTCARD)
		slot = &s->pin;
	else if (source == SOURCE_FILE)
		slot = &s->key_passphrase;
	else
		slot = &s->password;
	ferry_secret_free(*slot);
	*slot = secret;
}

static gboolean
read_proposal(
	NmImport *nm, const char *key, IkeProto proto, gboolean enabled, char **out, GError **error)
{
	const char *v = nm_import_get(nm, key);
	g_autofree char *text = NULL;
	g_autoptr(GArray) parsed = NULL;
	g_autoptr(GError) local = NULL;
	g_autofree char *field = g_strdup_printf("vpn.%s", key);

	if (!v)
		return TRUE;
	if (!enabled) {
		ferry_import_add_unmapped(nm->import, field, "ignored: proposal is not 'yes'");
		return TRUE;
	}
	/* the editor stores ';' between proposals where strongSwan writes ',' */
	text = g_strdelimit(g_strdup(v), ";", ',');
	parsed = profile_proposal_parse(text, proto, &local);
	if (!parsed)
		FAIL(error, field, "%s", local->message);
	*out = g_steal_pointer(&text);
	return TRUE;
}

static gboolean
read_addressing(NmImport *nm, GError **error)
{
	FerryProfile *p = nm->import->profile;
	const char *addr = nm_import_get(nm, "address");
	const char *port = nm_import_get(nm, "server-port");
	const char *remote_ts = nm_import_get(nm, "remote-ts");
	gboolean vip = FALSE, encap = FALSE, ipcomp = FALSE;
	guint64 v = 0;

	if (!addr)
		FAIL(error, "vpn.address", "missing (the VPN server's host name or address)");
	if (!profile_is_ip_address(addr) && !profile_is_dns_name(addr))
		FAIL(error, "vpn.address", "'%s' is not a host name or IP address", addr);
	p->gateway = g_strdup(addr);
	if (port) {
		if (!g_ascii_string_to_unsigned(port, 10, 1, 65535, &v, NULL))
			FAIL(error, "vpn.server-port", "'%s' is not a port (1-65535)", port);
		p->port = (guint16)v;
	}
	if (!nm_import_get_bool(nm, "virtual", FALSE, &vip, error) ||
	    !nm_import_get_bool(nm, "encap", FALSE, &encap, error) ||
	    !nm_import_get_bool(nm, "ipcomp", FALSE, &ipcomp, error))
		return FALSE;
	p->virtual_ip4 = p->virtual_ip6 = vip;
	p->encap = encap ? FERRY_ENCAP_FORCE : FERRY_ENCAP_AUTO;
	if (ipcomp)
		ferry_import_add_unmapped(nm->import, "vpn.ipcomp", "Ferry does not compress");
	if (nm_import_get(nm, "local-ts"))
		ferry_import_add_unmapped(nm->import, "vpn.local-ts",
		                          "Ferry proposes its virtual IP as the local selector");
	if (remote_ts) {
		g_auto(GStrv) parts = g_strsplit(remote_ts, ";", -1);

		for (guint i = 0; parts[i]; i++) {
			char *ts = g_strstrip(parts[i]);
			guint n = p->include_subnets ? g_strv_length(p->include_subnets) : 0;

			if (!*ts)
				continue;
			if (!profile_parse_subnet(ts, NULL, NULL))
				FAIL(error, "vpn.remote-ts", "'%s' is not a subnet", ts);
			p->include_subnets = g_renew(char *, p->include_subnets, n + 2);
			p->include_subnets[n] = g_strdup(ts);
			p->include_subnets[n + 1] = NULL;
		}
	}
	return TRUE;
}

gboolean
nm_import_strongswan(NmImport *nm, GError **error)
{
	FerryProfile *p = nm->import->profile;
	const char *remote_id = nm_import_get(nm, "remote-identity");
	const char *local_id = nm_import_get(nm, "local-identity");
	const char *user = nm_import_get(nm, "user");
	CertSource source;
	gboolean proposal = FALSE;

	if (!read_addressing(nm, error) || !read_method(nm, &source, error) ||
	    !read_client_cert(nm, source, error))
		return FALSE;
	read_server_cert(nm);
	read_secret(nm, source);
	if (remote_id) {
		p->remote_id = g_strdup(remote_id);
		p->remote_id_strict = TRUE;
	}
	if (local_id)
		p->local_id = g_strdup(local_id);
	if (user && p->auth == FERRY_AUTH_EAP_MSCHAPV2)
		p->eap_identity = g_strdup(user);
	else if (user && p->auth == FERRY_AUTH_PSK && !local_id)
		p->local_id = g_strdup(user); /* before 1.5.0 the PSK identity was "user" */
	else if (user)
		ferry_import_add_unmapped(nm->import, "vpn.user", "unused by method %s",
		                          ferry_auth_method_to_string(p->auth));
	if (!nm_import_get_bool(nm, "proposal", FALSE, &proposal, error) ||
	    !read_proposal(nm, "ike", IKE_PROTO_IKE, proposal, &p->ike_proposals, error) ||
	    !read_proposal(nm, "esp", IKE_PROTO_ESP, proposal, &p->esp_proposals, error))
		return FALSE;
	/* supplied at connect time by the auth dialog, never settings */
	nm_import_ignore(nm, NM_GROUP_VPN_SECRETS, "agent");
	nm_import_ignore(nm, NM_GROUP_VPN_SECRETS, "agent-user");
	return TRUE;
}
