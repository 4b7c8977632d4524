/* import-sswan.c - imports strongSwan's Android .sswan profiles (JSON, via json-glib)
 *
 * Keys and their semantics follow the Android app's importer (see
 * shared/reference/profile-formats.md §a); where the app silently falls back (an unknown
 * type, an out-of-range port) we refuse instead, naming the key.
 */
#include "config.h"

#include <string.h>

#include <json-glib/json-glib.h>

#include "ferry-error.h"
#include "profile-cert.h"
#include "profile-import.h"
#include "profile-json.h"
#include "profile-proposal.h"
#include "profile-validate.h"

typedef struct {
	const char *type;
	FerryAuthMethod auth;
	gboolean user_pass;   /* reads local.eap_id / local.shared_secret */
	gboolean certificate; /* reads local.p12 / local.rsa-pss */
} SswanType;

static const SswanType sswan_types[] = {
	{"ikev2-eap",      FERRY_AUTH_EAP_MSCHAPV2, TRUE,  FALSE},
	{"ikev2-cert",     FERRY_AUTH_CERT,         FALSE, TRUE },
	{"ikev2-cert-eap", FERRY_AUTH_CERT_EAP,     TRUE,  TRUE },
	{"ikev2-eap-tls",  FERRY_AUTH_EAP_TLS,      FALSE, TRUE },
};

/* Every key the app reads; anything else is reported as unmapped. */
static const char *const known_keys[] = {
	"uuid",
	"name",
	"type",
	"remote.addr",
	"remote.port",
	"remote.id",
	"remote.cert",
	"remote.certreq",
	"remote.revocation.crl",
	"remote.revocation.ocsp",
	"remote.revocation.strict",
	"local.id",
	"local.eap_id",
	"local.shared_secret",
	"local.p12",
	"local.rsa-pss",
	"ike-proposal",
	"esp-proposal",
	"dns-servers",
	"mtu",
	"nat-keepalive",
	"ipv6-transport",
	"proxy.host",
	"proxy.port",
	"proxy.exclusions",
	"split-tunneling.subnets",
	"split-tunneling.excluded",
	"split-tunneling.block-ipv4",
	"split-tunneling.block-ipv6",
	"apps",
	"excluded-apps",
};

#define FAIL(error, field, ...)                                                                    \
	G_STMT_START                                                                               \
	{                                                                                          \
		g_autofree char *msg__ = g_strdup_printf(__VA_ARGS__);                             \
		g_set_error(error, FERRY_ERROR, FERRY_ERROR_CONFIG, "%s: %s", field, msg__);       \
		return FALSE;                                                                      \
	}                                                                                          \
	G_STMT_END

static gboolean
is_known_key(const char *path)
{
	for (gsize i = 0; i < G_N_ELEMENTS(known_keys); i++) {
		if (strcmp(known_keys[i], path) == 0)
			return TRUE;
	}
	return FALSE;
}

/* A key path that is a prefix of a known key names an object ("remote"). */
static gboolean
is_known_object(const char *path)
{
	gsize n = strlen(path);

	for (gsize i = 0; i < G_N_ELEMENTS(known_keys); i++) {
		if (strncmp(known_keys[i], path, n) == 0 && known_keys[i][n] == '.')
			return TRUE;
	}
	return FALSE;
}

static void
report_unknown(FerryImport *import, JsonObject *obj, const char *prefix)
{
	g_autoptr(GList) members = json_object_get_members(obj);

	for (GList *l = members; l; l = l->next) {
		const char *name = l->data;
		g_autofree char *path =
			prefix ? g_strdup_printf("%s.%s", prefix, name) : g_strdup(name);
		JsonNode *node = json_object_get_member(obj, name);

		if (is_known_key(path))
			continue;
		if (is_known_object(path) && JSON_NODE_HOLDS_OBJECT(node))
			report_unknown(import, json_node_get_object(node), path);
		else
			ferry_import_add_unmapped(import, path, "not a .sswan key");
	}
}

static gboolean
read_identity(FerryImport *im, JsonObject *root, const SswanType **type, GError **error)
{
	FerryProfile *p = im->profile;
	const char *uuid = NULL, *name = NULL, *type_name = NULL;
	gboolean has_uuid, has_name, has_type;

	if (!profile_json_get_string(root, "uuid", &uuid, &has_uuid, error) ||
	    !profile_json_get_string(root, "name", &name, &has_name, error) ||
	    !profile_json_get_string(root, "type", &type_name, &has_type, error))
		return FALSE;
	if (!has_uuid)
		FAIL(error, "uuid", "missing");
	if (!g_uuid_string_is_valid(uuid))
		FAIL(error, "uuid", "'%s' is not a UUID", uuid);
	if (!has_name || !*name)
		FAIL(error, "name", "missing");
	if (!has_type)
		FAIL(error, "type", "missing");
	g_free(p->uuid);
	p->uuid = g_ascii_strdown(uuid, -1);
	p->name = g_strdup(name);
	for (gsize i = 0; i < G_N_ELEMENTS(sswan_types); i++) {
		if (strcmp(sswan_types[i].type, type_name) == 0) {
			*type = &sswan_types[i];
			p->auth = sswan_types[i].auth;
			return TRUE;
		}
	}
	if (strcmp(type_name, "ikev2-byod-eap") == 0)
		FAIL(error, "type", "'ikev2-byod-eap' (EAP-TTLS with TNC) is not supported");
	FAIL(error, "type",
	     "unknown VPN type '%s' (known: ikev2-eap, ikev2-cert, ikev2-cert-eap, ikev2-eap-tls)",
	     type_name);
}

static gboolean
read_remote_cert(FerryImport *im, const char *b64, GError **error)
{
	g_autoptr(GBytes) raw = NULL;
	g_auto(ProfileCert) cert = {0};
	g_autoptr(GError) local = NULL;
	gsize len = 0;
	const guint8 *data;

	raw = profile_base64_decode(b64, &local);
	if (!raw)
		FAIL(error, "remote.cert", "%s", local->message);
	data = g_bytes_get_data(raw, &len);
	if (!profile_cert_parse(data, len, &cert, &local))
		FAIL(error, "remote.cert", "%s", local->message);
	/* The app trusts this certificate for the profile: a CA anchors the chain, a leaf is
	 * pinned. */
	ferry_import_add_attachment(
		im, cert.is_ca ? FERRY_ATTACHMENT_CA_CERT : FERRY_ATTACHMENT_SERVER_CERT,
		cert.is_ca ? "ca.pem" : "server.pem", cert.pem, FALSE);
	return TRUE;
}

static gboolean
read_remote(FerryImport *im, JsonObject *root, GError **error)
{
	FerryProfile *p = im->profile;
	const char *addr = NULL, *id = NULL, *cert = NULL;
	gboolean has_addr, has_id, has_cert, has_port, has_certreq, certreq = TRUE;
	gint64 port = 0;

	if (!profile_json_get_string(root, "remote.addr", &addr, &has_addr, error) ||
	    !profile_json_get_string(root, "remote.id", &id, &has_id, error) ||
	    !profile_json_get_string(root, "remote.cert", &cert, &has_cert, error) ||
	    !profile_json_get_int(root, "remote.port", &port, &has_port, error) ||
	    !profile_json_get_bool(root, "remote.certreq", &certreq, &has_certreq, error))
		return FALSE;
	if (!has_addr || !*addr)
		FAIL(error, "remote.addr", "missing (the VPN server's host name or address)");
	if (!profile_is_ip_address(addr) && !profile_is_dns_name(addr))
		FAIL(error, "remote.addr", "'%s' is not a host name or IP address", addr);
	p->gateway = g_strdup(addr);
	if (has_port) {
		if (port < 1 || port > 65535)
			FAIL(error, "remote.port", "%" G_GINT64_FORMAT " is not a port (1-65535)",
			     port);
		p->port = (guint16)port;
	}
	/* Without remote.id the app matches the gateway name loosely; with it, strictly. */
	if (has_id && *id) {
		p->remote_id = g_strdup(id);
		p->remote_id_strict = TRUE;
	}
	p->send_certreq = certreq;
	if (has_cert && !read_remote_cert(im, cert, error))
		return FALSE;
	return TRUE;
}

static gboolean
read_revocation(FerryImport *im, JsonObject *root, GError **error)
{
	static const char *const keys[] = {"remote.revocation.crl", "remote.revocation.ocsp",
	                                   "remote.revocation.strict"};

	for (gsize i = 0; i < G_N_ELEMENTS(keys); i++) {
		gboolean v, present;

		if (!profile_json_get_bool(root, keys[i], &v, &present, error))
			return FALSE;
		if (present)
			ferry_import_add_unmapped(im, keys[i],
			                          "Ferry has no revocation-checking settings");
	}
	return TRUE;
}

static gboolean
read_p12(FerryImport *im, const char *b64, GError **error)
{
	g_autoptr(GBytes) raw = NULL;
	g_autoptr(GError) local = NULL;
	gsize len = 0;
	const guint8 *data;

	raw = profile_base64_decode(b64, &local);
	if (!raw)
		FAIL(error, "local.p12", "%s", local->message);
	data = g_bytes_get_data(raw, &len);
	/* Its password is asked for at connect time (key-passphrase), as the app does. */
	if (!profile_pkcs12_check(data, len, NULL, &local))
		FAIL(error, "local.p12", "%s", local->message);
	ferry_import_add_attachment(im, FERRY_ATTACHMENT_CLIENT_PKCS12, "client.p12", raw, TRUE);
	return TRUE;
}

static gboolean
read_local(FerryImport *im, JsonObject *root, const SswanType *type, GError **error)
{
	FerryProfile *p = im->profile;
	const char *id = NULL, *eap_id = NULL, *secret = NULL, *p12 = NULL;
	gboolean has_id, has_eap_id, has_secret, has_p12, has_pss, pss = FALSE;

	if (!profile_json_get_string(root, "local.id", &id, &has_id, error) ||
	    !profile_json_get_string(root, "local.eap_id", &eap_id, &has_eap_id, error) ||
	    !profile_json_get_string(root, "local.shared_secret", &secret, &has_secret, error) ||
	    !profile_json_get_string(root, "local.p12", &p12, &has_p12, error) ||
	    !profile_json_get_bool(root, "local.rsa-pss", &pss, &has_pss, error))
		return FALSE;
	if (has_id && *id)
		p->local_id = g_strdup(id);
	if (type->user_pass) {
		if (has_eap_id && *eap_id)
			p->eap_identity = g_strdup(eap_id);
		if (has_secret && *secret)
			ferry_profile_secrets_set(im->secrets, "password", secret, NULL);
	} else {
		if (has_eap_id)
			ferry_import_add_unmapped(im, "local.eap_id", "ignored for type %s",
			                          type->type);
		if (has_secret)
			ferry_import_add_unmapped(im, "local.shared_secret", "ignored for type %s",
			                          type->type);
	}
	if (type->certificate) {
		p->rsa_pss = pss;
		if (has_p12 && !read_p12(im, p12, error))
			return FALSE;
	} else {
		if (has_p12)
			ferry_import_add_unmapped(im, "local.p12", "ignored for type %s",
			                          type->type);
		if (has_pss)
			ferry_import_add_unmapped(im, "local.rsa-pss", "ignored for type %s",
			                          type->type);
	}
	if (type->certificate && !has_p12)
		FAIL(error, "local.p12",
		     "missing: type %s needs a client certificate, and the app's alternative "
		     "(a certificate picked from Android's KeyChain) does not exist here",
		     type->type);
	return TRUE;
}

static gboolean
read_proposal(JsonObject *root, const char *key, IkeProto proto, char **out, GError **error)
{
	const char *text = NULL;
	gboolean present;
	g_autoptr(GArray) parsed = NULL;
	g_autoptr(GError) local = NULL;

	if (!profile_json_get_string(root, key, &text, &present, error))
		return FALSE;
	if (!present || !*text)
		return TRUE;
	parsed = profile_proposal_parse(text, proto, &local);
	if (!parsed)
		FAIL(error, key, "%s", local->message);
	*out = g_strdup(text);
	return TRUE;
}

static gboolean
read_subnets(JsonObject *root, const char *key, char ***out, GError **error)
{
	gboolean present;

	if (!profile_json_get_list(root, key, out, &present, error))
		return FALSE;
	for (guint i = 0; *out && (*out)[i]; i++) {
		if (!profile_parse_subnet((*out)[i], NULL, NULL))
			FAIL(error, key, "'%s' is not a subnet (CIDR or first-last range)",
			     (*out)[i]);
	}
	return TRUE;
}

static gboolean
read_int_range(
	JsonObject *root, const char *key, gint64 min, gint64 max, guint *out, GError **error)
{
	gboolean present;
	gint64 v = 0;

	if (!profile_json_get_int(root, key, &v, &present, error))
		return FALSE;
	if (!present)
		return TRUE;
	if (v < min || v > max)
		FAIL(error, key,
		     "%" G_GINT64_FORMAT " is out of range (%" G_GINT64_FORMAT "-%" G_GINT64_FORMAT
		     ")",
		     v, min, max);
	*out = (guint)v;
	return TRUE;
}

static gboolean
read_network(FerryImport *im, JsonObject *root, GError **error)
{
	FerryProfile *p = im->profile;
	gboolean present, v;

	if (!profile_json_get_list(root, "dns-servers", &p->dns_servers, &present, error))
		return FALSE;
	for (guint i = 0; p->dns_servers && p->dns_servers[i]; i++) {
		if (!profile_is_ip_address(p->dns_servers[i]))
			FAIL(error, "dns-servers", "'%s' is not an IP address", p->dns_servers[i]);
	}
	if (!read_int_range(root, "mtu", 1280, 1500, &p->mtu, error) ||
	    !read_int_range(root, "nat-keepalive", 10, 120, &p->nat_keepalive, error) ||
	    !read_subnets(root, "split-tunneling.subnets", &p->include_subnets, error) ||
	    !read_subnets(root, "split-tunneling.excluded", &p->exclude_subnets, error))
		return FALSE;
	if (!profile_json_get_bool(root, "ipv6-transport", &v, &present, error))
		return FALSE;
	if (present)
		p->ipv6_transport = v;
	return TRUE;
}

/* Keys the app understands but Ferry has no setting for.  Booleans at their default lose
 * nothing and are not reported. */
static gboolean
read_unsupported(FerryImport *im, JsonObject *root, GError **error)
{
	static const char *const blocks[] = {"split-tunneling.block-ipv4",
	                                     "split-tunneling.block-ipv6"};
	static const char *const lists[] = {"proxy.exclusions", "apps", "excluded-apps"};
	g_auto(GStrv) list = NULL;
	const char *host = NULL;
	gboolean present, v = FALSE;
	gint64 port;

	for (gsize i = 0; i < G_N_ELEMENTS(blocks); i++) {
		if (!profile_json_get_bool(root, blocks[i], &v, &present, error))
			return FALSE;
		if (present && v)
			ferry_import_add_unmapped(
				im, blocks[i], "Ferry does not block traffic outside the tunnel");
	}
	if (!profile_json_get_string(root, "proxy.host", &host, &present, error))
		return FALSE;
	if (present)
		ferry_import_add_unmapped(im, "proxy.host", "Ferry does not configure proxies");
	if (!profile_json_get_int(root, "proxy.port", &port, &present, error))
		return FALSE;
	if (present)
		ferry_import_add_unmapped(im, "proxy.port", "Ferry does not configure proxies");
	for (gsize i = 0; i < G_N_ELEMENTS(lists); i++) {
		g_clear_pointer(&list, g_strfreev);
		if (!profile_json_get_list(root, lists[i], &list, &present, error))
			return FALSE;
		if (present)
			ferry_import_add_unmapped(im, lists[i],
			                          i == 0 ? "Ferry does not configure proxies"
			                                 : "per-app VPN is Android-only");
	}
	return TRUE;
}

static gboolean
read_profile(FerryImport *im, JsonObject *root, GError **error)
{
	const SswanType *type = NULL;

	return read_identity(im, root, &type, error) && read_remote(im, root, error) &&
	       read_revocation(im, root, error) && read_local(im, root, type, error) &&
	       read_proposal(root, "ike-proposal", IKE_PROTO_IKE, &im->profile->ike_proposals,
	                     error) &&
	       read_proposal(root, "esp-proposal", IKE_PROTO_ESP, &im->profile->esp_proposals,
	                     error) &&
	       read_network(im, root, error) && read_unsupported(im, root, error);
}

GPtrArray *
ferry_import_sswan(const guint8 *data, gsize len, const char *source, GError **error)
{
	g_autoptr(FerryImport) im = ferry_import_new(source, FERRY_IMPORT_FORMAT_SSWAN);
	g_autoptr(JsonParser) parser = json_parser_new_immutable();
	g_autoptr(GError) local = NULL;
	JsonNode *root;
	GPtrArray *out;

	if (!g_utf8_validate((const char *)data, (gssize)len, NULL)) {
		g_set_error(error, FERRY_ERROR, FERRY_ERROR_CONFIG, "%s: not UTF-8 text", source);
		return NULL;
	}
	if (!profile_json_check_depth(data, len, PROFILE_JSON_MAX_DEPTH, error) ||
	    !json_parser_load_from_data(parser, (const char *)data, (gssize)len, &local)) {
		if (local)
			g_set_error(error, FERRY_ERROR, FERRY_ERROR_CONFIG, "not JSON: %s",
			            local->message);
		g_prefix_error(error, "%s: ", source);
		return NULL;
	}
	root = json_parser_get_root(parser);
	if (!root || !JSON_NODE_HOLDS_OBJECT(root)) {
		g_set_error(error, FERRY_ERROR, FERRY_ERROR_CONFIG,
		            "%s: not a .sswan profile (the top level is not a JSON object)",
		            source);
		return NULL;
	}
	if (!read_profile(im, json_node_get_object(root), error) ||
	    !ferry_profile_validate(im->profile, error)) {
		g_prefix_error(error, "%s: ", source);
		return NULL;
	}
	report_unknown(im, json_node_get_object(root), NULL);
	out = g_ptr_array_new_with_free_func((GDestroyNotify)ferry_import_free);
	g_ptr_array_add(out, g_steal_pointer(&im));
	return out;
}
