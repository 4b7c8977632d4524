/* import-mobileconfig.c - imports Apple configuration profiles with IKEv2 VPN payloads
 *
 * Container: an XML or binary property list, possibly wrapped in CMS SignedData (verified,
 * signer reported).  Each com.apple.vpn.managed payload with VPNType IKEv2 becomes one
 * profile; certificate payloads become its CA (or pinned server) certificates and, when the
 * VPN payload names it, its PKCS#12 identity.  Keys: shared/reference/profile-formats.md §b.
 */
#include "config.h"

#include <string.h>

#include "ferry-error.h"
#include "import-mobileconfig.h"
#include "profile-cert.h"
#include "profile-cms.h"
#include "profile-plist-get.h"
#include "profile-validate.h"

#define FAIL(error, field, ...)                                                                    \
	G_STMT_START                                                                               \
	{                                                                                          \
		g_autofree char *msg__ = g_strdup_printf(__VA_ARGS__);                             \
		g_set_error(error, FERRY_ERROR, FERRY_ERROR_CONFIG, "%s: %s", field, msg__);       \
		return FALSE;                                                                      \
	}                                                                                          \
	G_STMT_END

#define VPN_PAYLOAD          "com.apple.vpn.managed"
#define VPN_APPLAYER_PAYLOAD "com.apple.vpn.managed.applayer"

/* Keys that describe the profile or payload, not the connection. */
static const char *const top_silent[] = {
	"PayloadType",
	"PayloadVersion",
	"PayloadIdentifier",
	"PayloadUUID",
	"PayloadDisplayName",
	"PayloadDescription",
	"PayloadOrganization",
	"PayloadScope",
	"PayloadRemovalDisallowed",
	"ConsentText",
	"RemovalDate",
	"DurationUntilRemoval",
	"PayloadExpirationDate",
	"HasRemovalPasscode",
	"TargetDeviceType",
	"PayloadContent",
	NULL,
};
static const char *const payload_silent[] = {
	"PayloadType",
	"PayloadVersion",
	"PayloadIdentifier",
	"PayloadUUID",
	"PayloadDisplayName",
	"PayloadDescription",
	"PayloadOrganization",
	"PayloadEnabled",
	"IPv4", /* OverridePrimary: Cisco IPsec and L2TP only */
	"VPNSubType=",
	NULL,
};

static void
cert_free(gpointer p)
{
	profile_cert_clear(p);
	g_free(p);
}

static const Plist *
payload_at(const Mobileconfig *mc, guint i)
{
	return g_ptr_array_index(mc->payloads->values, i);
}

static const char *
payload_string(const Plist *payload, const char *key)
{
	const Plist *v = plist_get(payload, key);

	return v && v->type == PLIST_STRING ? v->string : NULL;
}

/* The root CA / PKCS#1 / PEM payloads: trust for every VPN in the file. */
static gboolean
read_cert_payload(Mobileconfig *mc, guint i, GError **error)
{
	const Plist *payload = payload_at(mc, i);
	g_autofree char *path = g_strdup_printf("PayloadContent[%u]", i);
	g_autoptr(PlistView) v = plist_view_new(payload, path);
	g_autoptr(GError) local = NULL;
	g_autofree char *field = plist_view_field(v, "PayloadContent");
	ProfileCert *cert = g_new0(ProfileCert, 1);
	GBytes *data = NULL;

	if (!plist_view_data(v, "PayloadContent", &data, error)) {
		g_free(cert);
		return FALSE;
	}
	if (!data || !profile_cert_parse(g_bytes_get_data(data, NULL), g_bytes_get_size(data), cert,
	                                 &local)) {
		g_free(cert);
		FAIL(error, field, "%s", local ? local->message : "missing");
	}
	g_ptr_array_add(mc->certs, cert);
	return TRUE;
}

static gboolean
is_cert_payload(const char *type)
{
	return g_strcmp0(type, "com.apple.security.root") == 0 ||
	       g_strcmp0(type, "com.apple.security.pkcs1") == 0 ||
	       g_strcmp0(type, "com.apple.security.pem") == 0;
}

static void
attach_certs(const Mobileconfig *mc, FerryImport *im)
{
	gboolean pinned = FALSE;

	for (guint i = 0; i < mc->certs->len; i++) {
		const ProfileCert *c = g_ptr_array_index(mc->certs, i);

		/* A non-CA certificate can only be the gateway's own: pin it. */
		if (!c->is_ca && !pinned) {
			ferry_import_add_attachment(im, FERRY_ATTACHMENT_SERVER_CERT, "server.pem",
			                            c->pem, FALSE);
			pinned = TRUE;
		} else {
			ferry_import_add_attachment(im, FERRY_ATTACHMENT_CA_CERT, "ca.pem", c->pem,
			                            FALSE);
		}
	}
}

/* The identity payload @uuid names: a PKCS#12 with its optional password. */
gboolean
mobileconfig_read_identity(
	Mobileconfig *mc, FerryImport *im, const char *uuid, const char *field, GError **error)
{
	for (guint i = 0; i < mc->payloads->values->len; i++) {
		const Plist *payload = payload_at(mc, i);
		const char *type = payload_string(payload, "PayloadType");
		g_autofree char *path = g_strdup_printf("PayloadContent[%u]", i);
		g_autoptr(PlistView) v = NULL;
		g_autoptr(GError) local = NULL;
		FerrySecret *password = NULL;
		const char *pass = NULL;
		gboolean ok;
		GBytes *p12 = NULL;

		if (g_strcmp0(payload_string(payload, "PayloadUUID"), uuid) != 0)
			continue;
		if (g_strcmp0(type, "com.apple.security.scep") == 0 ||
		    g_strcmp0(type, "com.apple.security.acme") == 0)
			FAIL(error, field,
			     "refers to a %s payload: the certificate is enrolled on the device; "
			     "ask for it as a PKCS#12 file",
			     type);
		if (g_strcmp0(type, "com.apple.security.pkcs12") != 0)
			FAIL(error, field, "refers to a %s payload, not a PKCS#12 identity",
			     type ? type : "untyped");
		v = plist_view_new(payload, path);
		if (!plist_view_data(v, "PayloadContent", &p12, error) ||
		    !plist_view_string(v, "Password", &pass, error))
			return FALSE;
		if (!p12) {
			g_autofree char *f = plist_view_field(v, "PayloadContent");

			FAIL(error, f, "missing");
		}
		password = pass ? ferry_secret_new_from_string(pass) : NULL;
		ok = profile_pkcs12_check(g_bytes_get_data(p12, NULL), g_bytes_get_size(p12),
		                          password, &local);
		if (!ok) {
			g_autofree char *f =
				plist_view_field(v, pass ? "Password" : "PayloadContent");

			ferry_secret_free(password);
			FAIL(error, f, "%s", local->message);
		}
		ferry_import_add_attachment(im, FERRY_ATTACHMENT_CLIENT_PKCS12, "client.p12", p12,
		                            TRUE);
		if (password) {
			ferry_secret_free(im->secrets->key_passphrase);
			im->secrets->key_passphrase = password;
		}
		return TRUE;
	}
	FAIL(error, field, "no payload with UUID %s in the profile", uuid);
}

static gboolean
read_vpn_payload(Mobileconfig *mc, guint i, GError **error)
{
	g_autofree char *path = g_strdup_printf("PayloadContent[%u]", i);
	g_autoptr(PlistView) v = plist_view_new(payload_at(mc, i), path);
	g_autoptr(FerryImport) im = ferry_import_new(mc->source, FERRY_IMPORT_FORMAT_MOBILECONFIG);
	g_autoptr(GPtrArray) just_this = g_ptr_array_new();
	const char *name = NULL, *uuid = NULL;
	const Plist *ikev2 = NULL, *dns = NULL;

	plist_view_take(v, "VPNType");
	if (!plist_view_string(v, "UserDefinedName", &name, error) ||
	    (!name && !plist_view_string(v, "PayloadDisplayName", &name, error)) ||
	    !plist_view_string(v, "PayloadUUID", &uuid, error) ||
	    !plist_view_dict(v, "IKEv2", &ikev2, error) || !plist_view_dict(v, "DNS", &dns, error))
		return FALSE;
	if (!name || !*name)
		FAIL(error, path, "UserDefinedName: missing (the connection's name)");
	if (!uuid || !g_uuid_string_is_valid(uuid))
		FAIL(error, path, "PayloadUUID: '%s' is not a UUID", uuid ? uuid : "");
	if (!ikev2)
		FAIL(error, path, "IKEv2: missing");
	im->profile->name = g_strdup(name);
	g_free(im->profile->uuid);
	im->profile->uuid = g_ascii_strdown(uuid, -1);
	attach_certs(mc, im);
	if (!mobileconfig_read_ikev2(mc, im, ikev2, path, error) ||
	    (dns && !mobileconfig_read_dns(im, dns, path, error)))
		return FALSE;
	g_ptr_array_add(just_this, im);
	plist_view_report(v, just_this, payload_silent);
	im->signer = g_strdup(mc->signer);
	im->signer_trusted = mc->trusted;
	if (!ferry_profile_validate(im->profile, error))
		return FALSE;
	g_ptr_array_add(mc->imports, g_steal_pointer(&im));
	return TRUE;
}

static gboolean
is_vpn_payload(const Plist *payload)
{
	const char *type = payload_string(payload, "PayloadType");

	return g_strcmp0(type, VPN_PAYLOAD) == 0 || g_strcmp0(type, VPN_APPLAYER_PAYLOAD) == 0;
}

/* Notes about payloads that are not IKEv2 VPNs, added to every profile at the end. */
static void
note_other_payload(Mobileconfig *mc, guint i, GPtrArray *notes)
{
	const Plist *payload = payload_at(mc, i);
	const char *type = payload_string(payload, "PayloadType");
	const char *vpn_type = payload_string(payload, "VPNType");

	if (is_cert_payload(type) || g_strcmp0(type, "com.apple.security.pkcs12") == 0)
		return;
	if (is_vpn_payload(payload))
		g_ptr_array_add(notes, g_strdup_printf("PayloadContent[%u]: a %s VPN, not IKEv2", i,
		                                       vpn_type ? vpn_type : "untyped"));
	else
		g_ptr_array_add(notes,
		                g_strdup_printf("PayloadContent[%u]: a %s payload, not a VPN", i,
		                                type ? type : "untyped"));
}

static gboolean
read_top(Mobileconfig *mc, const Plist *root, GError **error)
{
	g_autoptr(PlistView) v = plist_view_new(root, "");
	const char *type = NULL;
	gboolean encrypted = FALSE;
	const Plist *content;

	if (!plist_view_string(v, "PayloadType", &type, error) ||
	    !plist_view_flag(v, "IsEncrypted", &encrypted, error))
		return FALSE;
	if (encrypted || plist_get(root, "EncryptedPayloadContent"))
		FAIL(error, "IsEncrypted",
		     "the payloads are encrypted to one device's key and cannot be imported; ask "
		     "for the profile unencrypted");
	if (g_strcmp0(type, "Configuration") != 0)
		FAIL(error, "PayloadType", "'%s' is not a configuration profile",
		     type ? type : "(missing)");
	content = plist_view_take(v, "PayloadContent");
	if (!content || content->type != PLIST_ARRAY)
		FAIL(error, "PayloadContent", "missing or not an array");
	for (guint i = 0; i < content->values->len; i++) {
		const Plist *p = g_ptr_array_index(content->values, i);

		if (p->type != PLIST_DICT)
			FAIL(error, "PayloadContent", "item %u is %s, not a payload dictionary", i,
			     plist_type_name(p->type));
	}
	mc->payloads = content;
	return TRUE;
}

static gboolean
read_profile(Mobileconfig *mc, const Plist *root, GError **error)
{
	g_autoptr(GPtrArray) notes = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(PlistView) top = plist_view_new(root, "");
	guint n;

	if (root->type != PLIST_DICT)
		FAIL(error, "(top level)", "%s, not a dictionary", plist_type_name(root->type));
	if (!read_top(mc, root, error))
		return FALSE;
	n = mc->payloads->values->len;
	for (guint i = 0; i < n; i++) {
		if (is_cert_payload(payload_string(payload_at(mc, i), "PayloadType")) &&
		    !read_cert_payload(mc, i, error))
			return FALSE;
	}
	for (guint i = 0; i < n; i++) {
		const Plist *payload = payload_at(mc, i);

		if (is_vpn_payload(payload) &&
		    g_strcmp0(payload_string(payload, "VPNType"), "IKEv2") == 0) {
			if (!read_vpn_payload(mc, i, error))
				return FALSE;
		} else {
			note_other_payload(mc, i, notes);
		}
	}
	if (mc->imports->len == 0)
		FAIL(error, "PayloadContent",
		     "no IKEv2 VPN payload (" VPN_PAYLOAD " with VPNType IKEv2)");
	for (guint i = 0; i < mc->imports->len; i++) {
		FerryImport *im = g_ptr_array_index(mc->imports, i);

		for (guint j = 0; j < notes->len; j++)
			g_ptr_array_add(im->unmapped, g_strdup(g_ptr_array_index(notes, j)));
	}
	plist_view_take(top, "IsEncrypted");
	plist_view_report(top, mc->imports, top_silent);
	return TRUE;
}

GPtrArray *
ferry_import_mobileconfig(const guint8 *data,
                          gsize len,
                          const char *source,
                          const FerryImportOptions *options,
                          GError **error)
{
	Mobileconfig mc = {.source = source, .options = options};
	g_autoptr(GBytes) content = NULL;
	g_autoptr(Plist) root = NULL;
	gboolean ok = FALSE;

	if (profile_cms_is_signed(data, len)) {
		if (!profile_cms_unwrap(data, len, options ? options->anchors_file : NULL, &content,
		                        &mc.signer, &mc.trusted, error)) {
			g_prefix_error(error, "%s: ", source);
			return NULL;
		}
		data = g_bytes_get_data(content, &len);
	}
	root = plist_parse(data, len, error);
	if (root) {
		mc.imports = g_ptr_array_new_with_free_func((GDestroyNotify)ferry_import_free);
		mc.certs = g_ptr_array_new_with_free_func(cert_free);
		ok = read_profile(&mc, root, error);
		g_ptr_array_unref(mc.certs);
	}
	g_free(mc.signer);
	if (!ok) {
		g_clear_pointer(&mc.imports, g_ptr_array_unref);
		g_prefix_error(error, "%s: ", source);
		return NULL;
	}
	return mc.imports;
}
