/* ferry-session-config.c - the IKE engine's configuration, built from a FerryProfile */
#include "config.h"

#include <string.h>
#include <sys/socket.h>

#include "ferry-error.h"
#include "ferry-session-private.h"
#include "ike-ts.h"

gboolean
ferry_session_parse_id(
	const char *text, const char *field, uint8_t *type, GByteArray *data, GError **error)
{
	g_autoptr(GInetAddress) inet = g_inet_address_new_from_string(text);
	gsize len;

	g_byte_array_set_size(data, 0);
	if (inet != NULL) {
		len = g_inet_address_get_native_size(inet);
		*type = len == 16 ? IKE_ID_IPV6_ADDR : IKE_ID_IPV4_ADDR;
		g_byte_array_append(data, g_inet_address_to_bytes(inet), (guint)len);
		return TRUE;
	}
	if (g_str_has_prefix(text, "@#")) {
		const char *hex = text + 2;
		len = strlen(hex);
		if (len == 0 || len % 2 != 0) {
			g_set_error(error, FERRY_ERROR, FERRY_ERROR_CONFIG,
			            "%s: key ID \"%s\" needs an even number of hex digits", field,
			            text);
			return FALSE;
		}
		for (gsize i = 0; i < len; i += 2) {
			int hi = g_ascii_xdigit_value(hex[i]),
			    lo = g_ascii_xdigit_value(hex[i + 1]);
			uint8_t byte;
			if (hi < 0 || lo < 0) {
				g_set_error(error, FERRY_ERROR, FERRY_ERROR_CONFIG,
				            "%s: key ID \"%s\" is not hexadecimal", field, text);
				return FALSE;
			}
			byte = (uint8_t)(hi << 4 | lo);
			g_byte_array_append(data, &byte, 1);
		}
		*type = IKE_ID_KEY_ID;
		return TRUE;
	}
	if (text[0] == '@') {
		text++;
		*type = IKE_ID_FQDN;
	} else if (strchr(text, '@') != NULL) {
		*type = IKE_ID_RFC822_ADDR;
	} else if (strchr(text, '=') != NULL) {
		g_set_error(error, FERRY_ERROR, FERRY_ERROR_CONFIG,
		            "%s: distinguished names (\"%s\") are not supported yet", field, text);
		return FALSE;
	} else {
		*type = IKE_ID_FQDN;
	}
	if (text[0] == '\0') {
		g_set_error(error, FERRY_ERROR, FERRY_ERROR_CONFIG, "%s: the identity is empty",
		            field);
		return FALSE;
	}
	g_byte_array_append(data, (const guint8 *)text, (guint)strlen(text));
	return TRUE;
}

static gboolean
parse_address(const char *text, int *family, uint8_t *addr)
{
	g_autoptr(GInetAddress) inet = g_inet_address_new_from_string(text);

	if (inet == NULL)
		return FALSE;
	*family = g_inet_address_get_family(inet) == G_SOCKET_FAMILY_IPV6 ? AF_INET6 : AF_INET;
	memcpy(addr, g_inet_address_to_bytes(inet), g_inet_address_get_native_size(inet));
	return TRUE;
}

gboolean
ferry_session_parse_ts(const char *text, IkeTs *ts)
{
	g_auto(GStrv) parts = NULL;
	uint8_t first[16] = {0}, last[16] = {0};
	int family, family2;
	guint64 prefix;
	char *end = NULL;

	memset(ts, 0, sizeof(*ts));
	if (strchr(text, '-') != NULL) {
		parts = g_strsplit(text, "-", 2);
		if (!parse_address(g_strstrip(parts[0]), &family, first) ||
		    !parse_address(g_strstrip(parts[1]), &family2, last) || family != family2)
			return FALSE;
		ts->type = family == AF_INET6 ? IKE_TS_IPV6_ADDR_RANGE : IKE_TS_IPV4_ADDR_RANGE;
		ts->end_port = 65535;
		memcpy(ts->start, first, sizeof(first));
		memcpy(ts->end, last, sizeof(last));
		return ike_ts_is_valid(ts);
	}
	parts = g_strsplit(text, "/", 2);
	if (!parse_address(g_strstrip(parts[0]), &family, first))
		return FALSE;
	if (parts[1] == NULL) {
		prefix = family == AF_INET6 ? 128 : 32;
	} else {
		prefix = g_ascii_strtoull(parts[1], &end, 10);
		if (end == parts[1] || *end != '\0')
			return FALSE;
	}
	return ike_ts_set_prefix(ts, family, first, (guint)prefix);
}

static gboolean
set_ids(FerrySessionEngineConfig *config,
        const FerryProfile *profile,
        const IoAddr *local,
        GError **error)
{
	IkeSaConfig *sa = &config->sa;

	/* Without a local-id, an EAP user is known by the EAP identity, as strongSwan's clients,
	 * Windows and macOS do: gateways match EAP peers on it (eap_id = %any selects by IDi). */
	const char *id = profile->local_id;
	if (id == NULL && profile->auth != FERRY_AUTH_PSK && profile->auth != FERRY_AUTH_CERT &&
	    profile->auth != FERRY_AUTH_CERT_EAP)
		id = profile->eap_identity;

	if (id != NULL) {
		if (!ferry_session_parse_id(id, profile->local_id ? "local-id" : "eap-identity",
		                            &sa->local_id_type, config->local_id, error))
			return FALSE;
	} else {
		/* strongSwan's default too: our own address. */
		sa->local_id_type = local->family == AF_INET6 ? IKE_ID_IPV6_ADDR : IKE_ID_IPV4_ADDR;
		g_byte_array_append(config->local_id, local->addr,
		                    local->family == AF_INET6 ? 16 : 4);
	}
	if (!ferry_session_parse_id(profile->remote_id != NULL ? profile->remote_id
	                                                       : profile->gateway,
	                            profile->remote_id != NULL ? "remote-id" : "gateway",
	                            &sa->remote_id_type, config->remote_id, error))
		return FALSE;
	sa->local_id = FERRY_SPAN(config->local_id->data, config->local_id->len);
	sa->remote_id = FERRY_SPAN(config->remote_id->data, config->remote_id->len);
	return TRUE;
}

static gboolean
set_selectors(FerrySessionEngineConfig *config, const FerryProfile *profile, GError **error)
{
	for (guint i = 0; profile->include_subnets != NULL && profile->include_subnets[i]; i++) {
		IkeTs ts;

		if (!ferry_session_parse_ts(profile->include_subnets[i], &ts)) {
			g_set_error(error, FERRY_ERROR, FERRY_ERROR_CONFIG,
			            "include-subnets: \"%s\" is not a subnet or address range",
			            profile->include_subnets[i]);
			return FALSE;
		}
		if (config->ts_remote->len == IKE_MAX_TS) {
			g_set_error(error, FERRY_ERROR, FERRY_ERROR_CONFIG,
			            "include-subnets: at most %d entries", IKE_MAX_TS);
			return FALSE;
		}
		g_array_append_val(config->ts_remote, ts);
	}
	config->sa.ts_remote = (const IkeTs *)(void *)config->ts_remote->data;
	config->sa.n_ts_remote = config->ts_remote->len;
	return TRUE;
}

/* The gateway's trust anchors: the profile's CA files and pinned certificate, else the
 * system store (RFC 7296 §3.6; issue 4). */
static gboolean
load_trust(FerrySessionEngineConfig *config, const FerryProfile *profile, GError **error)
{
	CryptoCertError err;

	config->trust = crypto_trust_new();
	if (config->trust == NULL) {
		g_set_error(error, FERRY_ERROR, FERRY_ERROR_IO, "out of memory");
		return FALSE;
	}
	for (guint i = 0; profile->ca_certs != NULL && profile->ca_certs[i]; i++) {
		if (crypto_trust_add_file(config->trust, profile->ca_certs[i], &err) !=
		    CRYPTO_CERT_OK) {
			g_set_error(error, FERRY_ERROR, FERRY_ERROR_CONFIG, "ca-certs: %s",
			            err.message);
			return FALSE;
		}
	}
	if (profile->server_cert != NULL &&
	    crypto_trust_add_pinned_file(config->trust, profile->server_cert, &err) !=
	            CRYPTO_CERT_OK) {
		g_set_error(error, FERRY_ERROR, FERRY_ERROR_CONFIG, "server-cert: %s", err.message);
		return FALSE;
	}
	if ((profile->ca_certs == NULL || profile->ca_certs[0] == NULL) &&
	    profile->server_cert == NULL &&
	    crypto_trust_add_system(config->trust, &err) != CRYPTO_CERT_OK) {
		g_set_error(error, FERRY_ERROR, FERRY_ERROR_CERT,
		            "cannot load the system's trusted CAs: %s", err.message);
		return FALSE;
	}
	return TRUE;
}

/* Our certificate and key: PKCS#12, a PKCS#11 URI, or certificate and key files. */
static gboolean
load_credential(FerrySessionEngineConfig *config,
                const FerryProfile *profile,
                const FerryProfileSecrets *secrets,
                GError **error)
{
	CryptoCertError err;
	CryptoCertStatus st;
	const char *field;

	if (profile->client_pkcs12 != NULL) {
		field = "client-pkcs12";
		st = crypto_credential_load_pkcs12(profile->client_pkcs12, secrets->key_passphrase,
		                                   &config->credential, &err);
	} else if (profile->client_pkcs11_uri != NULL) {
		field = "client-pkcs11-uri";
		st = crypto_credential_load(
			profile->client_cert != NULL ? profile->client_cert
						     : profile->client_pkcs11_uri,
			profile->client_pkcs11_uri, secrets->pin, &config->credential, &err);
	} else if (profile->client_cert != NULL && profile->client_key != NULL) {
		field = "client-key";
		st = crypto_credential_load(profile->client_cert, profile->client_key,
		                            secrets->key_passphrase, &config->credential, &err);
	} else {
		g_set_error(error, FERRY_ERROR, FERRY_ERROR_CONFIG,
		            "client-cert: auth cert needs client-cert and client-key, "
		            "client-pkcs12 or client-pkcs11-uri");
		return FALSE;
	}
	if (st != CRYPTO_CERT_OK) {
		g_set_error(error, FERRY_ERROR, FERRY_ERROR_CONFIG, "%s: %s", field, err.message);
		return FALSE;
	}
	return TRUE;
}

gboolean
ferry_session_engine_config_init(FerrySessionEngineConfig *config,
                                 const FerryProfile *profile,
                                 const FerryProfileSecrets *secrets,
                                 const IoAddr *local,
                                 const IoAddr *remote,
                                 GError **error)
{
	IkeSaConfig *sa = &config->sa;

	memset(config, 0, sizeof(*config));
	config->local_id = g_byte_array_new();
	config->remote_id = g_byte_array_new();
	config->ts_remote = g_array_new(FALSE, TRUE, sizeof(IkeTs));

	config->ike_proposals = ferry_profile_dup_ike_proposals(profile, error);
	if (config->ike_proposals == NULL)
		return FALSE;
	config->child_proposals = ferry_profile_dup_esp_proposals(profile, error);
	if (config->child_proposals == NULL)
		return FALSE;
	sa->ike_proposals = (const IkeProposal *)(void *)config->ike_proposals->data;
	sa->n_ike_proposals = config->ike_proposals->len;
	sa->child_proposals = (const IkeProposal *)(void *)config->child_proposals->data;
	sa->n_child_proposals = config->child_proposals->len;

	if (!set_ids(config, profile, local, error) || !set_selectors(config, profile, error))
		return FALSE;
	sa->psk = secrets->psk;
	if (profile->auth == FERRY_AUTH_CERT || profile->auth == FERRY_AUTH_EAP_MSCHAPV2 ||
	    profile->auth == FERRY_AUTH_EAP_TLS || profile->auth == FERRY_AUTH_CERT_EAP) {
		if (!load_trust(config, profile, error))
			return FALSE;
		if (profile->auth != FERRY_AUTH_EAP_MSCHAPV2 &&
		    !load_credential(config, profile, secrets, error))
			return FALSE;
		if (profile->auth == FERRY_AUTH_EAP_TLS) {
			sa->eap_identity = profile->eap_identity != NULL ? profile->eap_identity
			                                                 : profile->local_id;
			if (sa->eap_identity == NULL) {
				g_set_error(error, FERRY_ERROR, FERRY_ERROR_CONFIG,
				            "eap-identity: needed for auth eap-tls");
				return FALSE;
			}
		}
		/* RFC 4739: cert+eap is the certificate round, then EAP-MSCHAPv2 */
		if (profile->auth == FERRY_AUTH_EAP_MSCHAPV2 ||
		    profile->auth == FERRY_AUTH_CERT_EAP) {
			const char *method = ferry_auth_method_to_string(profile->auth);

			sa->eap_identity = profile->eap_identity != NULL ? profile->eap_identity
			                                                 : profile->local_id;
			sa->eap_password = secrets->password;
			if (sa->eap_identity == NULL) {
				g_set_error(error, FERRY_ERROR, FERRY_ERROR_CONFIG,
				            "eap-identity: needed for auth %s", method);
				return FALSE;
			}
			if (sa->eap_password == NULL) {
				g_set_error(error, FERRY_ERROR, FERRY_ERROR_CONFIG,
				            "password: needed for auth %s", method);
				return FALSE;
			}
		}
		sa->multi_auth = profile->auth == FERRY_AUTH_CERT_EAP;
		sa->eap_only = profile->eap_only;
		sa->trust = config->trust;
		sa->credential = config->credential;
		sa->remote_id_name =
			profile->remote_id != NULL ? profile->remote_id : profile->gateway;
		sa->rsa_pss = profile->rsa_pss;
		sa->send_certreq = profile->send_certreq;
		/* Not strict: the certificate, not the IDr we ask for, decides (a gateway with
		 * another primary identity may still hold a certificate naming remote-id). */
		if (!profile->remote_id_strict)
			sa->remote_id_type = 0;
	}
	sa->request_ip4 = profile->virtual_ip4;
	sa->request_ip6 = profile->virtual_ip6;
	sa->transport_mode = profile->mode == FERRY_IPSEC_TRANSPORT;
	sa->force_encap = profile->encap == FERRY_ENCAP_FORCE;
	memset(&sa->local_addr, 0, sizeof(sa->local_addr));
	sa->local_addr.family = local->family;
	memcpy(sa->local_addr.addr, local->addr, sizeof(local->addr));
	sa->local_addr.port = local->port;
	sa->remote_addr.family = remote->family;
	memcpy(sa->remote_addr.addr, remote->addr, sizeof(remote->addr));
	sa->remote_addr.port = remote->port;
	sa->ike_rekey_s = profile->ike_lifetime;
	sa->child_rekey_s = profile->child_lifetime;
	/* The profile's 0 turns DPD off; the engine's 0 means its default. */
	sa->dpd_s = profile->dpd != 0 ? profile->dpd : FERRY_SESSION_DPD_OFF_S;
	return TRUE;
}

void
ferry_session_engine_config_clear(FerrySessionEngineConfig *config)
{
	g_clear_pointer(&config->ike_proposals, g_array_unref);
	g_clear_pointer(&config->child_proposals, g_array_unref);
	g_clear_pointer(&config->local_id, g_byte_array_unref);
	g_clear_pointer(&config->remote_id, g_byte_array_unref);
	g_clear_pointer(&config->ts_remote, g_array_unref);
	g_clear_pointer(&config->credential, crypto_credential_free);
	g_clear_pointer(&config->trust, crypto_trust_free);
}
