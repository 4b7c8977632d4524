/* export-sswan.c - writes a FerryProfile as a strongSwan Android .sswan profile */
#include "config.h"

#include <string.h>

#include <json-glib/json-glib.h>

#include "ferry-error.h"
#include "profile-cert.h"
#include "profile-export.h"
#include "profile-import.h"

static const char *
sswan_type(FerryAuthMethod auth)
{
	switch (auth) {
	case FERRY_AUTH_EAP_MSCHAPV2:
		return "ikev2-eap";
	case FERRY_AUTH_CERT:
		return "ikev2-cert";
	case FERRY_AUTH_CERT_EAP:
		return "ikev2-cert-eap";
	case FERRY_AUTH_EAP_TLS:
		return "ikev2-eap-tls";
	case FERRY_AUTH_PSK:
		break;
	}
	return NULL;
}

static void
add_list(JsonBuilder *b, const char *key, char **list)
{
	if (!list || !*list)
		return;
	json_builder_set_member_name(b, key);
	json_builder_begin_array(b);
	for (guint i = 0; list[i]; i++)
		json_builder_add_string_value(b, list[i]);
	json_builder_end_array(b);
}

/* The .sswan carries one trusted certificate: the pinned server certificate or one CA. */
static gboolean
add_remote_cert(JsonBuilder *b, const FerryProfile *p, GPtrArray *dropped, GError **error)
{
	const char *path = p->server_cert;
	g_auto(ProfileCert) cert = {0};
	g_autoptr(GBytes) der = NULL;
	g_autoptr(GError) local = NULL;
	g_autofree char *b64 = NULL;
	guint n_ca = p->ca_certs ? g_strv_length(p->ca_certs) : 0;

	if (!path && n_ca)
		path = p->ca_certs[0];
	if (!path)
		return TRUE;
	if ((p->server_cert && n_ca) || n_ca > 1)
		profile_export_drop(dropped, "ca-certs",
		                    ".sswan holds one certificate; only %s is included", path);
	if (!profile_cert_load(path, &cert, &local) ||
	    !(der = profile_cert_to_der(cert.pem, &local))) {
		g_set_error(error, FERRY_ERROR, FERRY_ERROR_CONFIG, "%s: %s: %s",
		            p->server_cert ? "server-cert" : "ca-certs", path, local->message);
		return FALSE;
	}
	b64 = g_base64_encode(g_bytes_get_data(der, NULL), g_bytes_get_size(der));
	json_builder_set_member_name(b, "cert");
	json_builder_add_string_value(b, b64);
	return TRUE;
}

static gboolean
add_remote(JsonBuilder *b, const FerryProfile *p, GPtrArray *dropped, GError **error)
{
	json_builder_set_member_name(b, "remote");
	json_builder_begin_object(b);
	json_builder_set_member_name(b, "addr");
	json_builder_add_string_value(b, p->gateway);
	if (p->port != FERRY_PROFILE_DEFAULT_PORT) {
		json_builder_set_member_name(b, "port");
		json_builder_add_int_value(b, p->port);
	}
	if (p->remote_id) {
		json_builder_set_member_name(b, "id");
		json_builder_add_string_value(b, p->remote_id);
		if (!p->remote_id_strict)
			profile_export_drop(dropped, "remote-id-match",
			                    ".sswan matches a given remote id strictly");
	}
	if (!p->send_certreq) {
		json_builder_set_member_name(b, "certreq");
		json_builder_add_boolean_value(b, FALSE);
	}
	if (!add_remote_cert(b, p, dropped, error))
		return FALSE;
	json_builder_end_object(b);
	return TRUE;
}

static gboolean
add_local(JsonBuilder *b,
          const FerryProfile *p,
          const FerryProfileSecrets *s,
          GPtrArray *dropped,
          GError **error)
{
	g_autofree char *p12 = NULL;
	gsize p12_len = 0;
	g_autoptr(GError) local = NULL;

	json_builder_set_member_name(b, "local");
	json_builder_begin_object(b);
	if (p->local_id) {
		json_builder_set_member_name(b, "id");
		json_builder_add_string_value(b, p->local_id);
	}
	if (p->eap_identity) {
		json_builder_set_member_name(b, "eap_id");
		json_builder_add_string_value(b, p->eap_identity);
	}
	if (s && s->password && p->auth != FERRY_AUTH_EAP_TLS && p->auth != FERRY_AUTH_CERT) {
		json_builder_set_member_name(b, "shared_secret");
		json_builder_add_string_value(b, (const char *)s->password->data);
	}
	if (p->client_pkcs12) {
		g_autofree char *b64 = NULL;

		if (!g_file_get_contents(p->client_pkcs12, &p12, &p12_len, &local)) {
			g_set_error(error, FERRY_ERROR, FERRY_ERROR_CONFIG, "client-pkcs12: %s",
			            local->message);
			return FALSE;
		}
		b64 = g_base64_encode((const guchar *)p12, p12_len);
		json_builder_set_member_name(b, "p12");
		json_builder_add_string_value(b, b64);
	}
	if (p->rsa_pss) {
		json_builder_set_member_name(b, "rsa-pss");
		json_builder_add_boolean_value(b, TRUE);
	}
	json_builder_end_object(b);
	if (p->client_cert)
		profile_export_drop(dropped, "client-cert",
		                    ".sswan carries a client certificate only as PKCS#12");
	if (p->client_pkcs11_uri)
		profile_export_drop(dropped, "client-pkcs11-uri",
		                    ".sswan cannot name a PKCS#11 token");
	return TRUE;
}

/* .sswan takes one proposal per key. */
static void
add_proposal(
	JsonBuilder *b, const char *key, const char *field, const char *text, GPtrArray *dropped)
{
	g_auto(GStrv) parts = NULL;

	if (!text)
		return;
	parts = g_strsplit(text, ",", 2);
	json_builder_set_member_name(b, key);
	json_builder_add_string_value(b, g_strstrip(parts[0]));
	if (parts[1])
		profile_export_drop(dropped, field, ".sswan takes one proposal; kept '%s'",
		                    parts[0]);
}

static void
add_network(JsonBuilder *b, const FerryProfile *p, GPtrArray *dropped)
{
	add_list(b, "dns-servers", p->dns_servers);
	if (p->mtu >= 1280 && p->mtu <= 1500) {
		json_builder_set_member_name(b, "mtu");
		json_builder_add_int_value(b, p->mtu);
	} else if (p->mtu) {
		profile_export_drop(dropped, "mtu", ".sswan accepts 1280-1500");
	}
	if (p->nat_keepalive >= 10 && p->nat_keepalive <= 120) {
		json_builder_set_member_name(b, "nat-keepalive");
		json_builder_add_int_value(b, p->nat_keepalive);
	} else {
		profile_export_drop(dropped, "nat-keepalive", ".sswan accepts 10-120 seconds");
	}
	if (p->ipv6_transport) {
		json_builder_set_member_name(b, "ipv6-transport");
		json_builder_add_boolean_value(b, TRUE);
	}
	if ((p->include_subnets && *p->include_subnets) ||
	    (p->exclude_subnets && *p->exclude_subnets)) {
		json_builder_set_member_name(b, "split-tunneling");
		json_builder_begin_object(b);
		add_list(b, "subnets", p->include_subnets);
		add_list(b, "excluded", p->exclude_subnets);
		json_builder_end_object(b);
	}
}

GBytes *
ferry_export_sswan(const FerryProfile *p,
                   const FerryProfileSecrets *secrets,
                   GPtrArray *dropped,
                   GError **error)
{
	g_autoptr(JsonBuilder) b = json_builder_new();
	g_autoptr(JsonGenerator) gen = json_generator_new();
	g_autoptr(JsonNode) root = NULL;
	const char *type = sswan_type(p->auth);
	gsize len = 0;
	char *text;

	if (!type) {
		g_set_error(error, FERRY_ERROR, FERRY_ERROR_CONFIG,
		            "auth: %s cannot be expressed in a .sswan profile",
		            ferry_auth_method_to_string(p->auth));
		return NULL;
	}
	json_builder_begin_object(b);
	json_builder_set_member_name(b, "uuid");
	json_builder_add_string_value(b, p->uuid);
	json_builder_set_member_name(b, "name");
	json_builder_add_string_value(b, p->name);
	json_builder_set_member_name(b, "type");
	json_builder_add_string_value(b, type);
	if (!add_remote(b, p, dropped, error) || !add_local(b, p, secrets, dropped, error))
		return NULL;
	add_proposal(b, "ike-proposal", "ike-proposals", p->ike_proposals, dropped);
	add_proposal(b, "esp-proposal", "esp-proposals", p->esp_proposals, dropped);
	add_network(b, p, dropped);
	json_builder_end_object(b);
	profile_export_drop_common(p, dropped, PROFILE_EXPORT_SSWAN_CAN);

	root = json_builder_get_root(b);
	json_generator_set_root(gen, root);
	json_generator_set_pretty(gen, TRUE);
	text = json_generator_to_data(gen, &len);
	return g_bytes_new_take(text, len);
}
