/* profile-cert.c - parses certificates and checks PKCS#12 files for importers (GnuTLS) */
#include "config.h"

#include <string.h>

#include <gnutls/gnutls.h>
#include <gnutls/pkcs12.h>
#include <gnutls/x509.h>

#include "ferry-error.h"
#include "profile-cert.h"

/* A trust bundle beyond this many certificates is not a VPN profile's. */
#define CERT_LIST_MAX 64

void
profile_cert_clear(ProfileCert *cert)
{
	g_clear_pointer(&cert->pem, g_bytes_unref);
	g_clear_pointer(&cert->subject, g_free);
	g_clear_pointer(&cert->common_name, g_free);
	cert->is_ca = FALSE;
}

static gboolean
looks_like_pem(const guint8 *data, gsize len)
{
	static const char marker[] = "-----BEGIN ";

	return len >= sizeof(marker) - 1 &&
	       g_strstr_len((const char *)data, (gssize)len, marker) != NULL;
}

static char *
dup_common_name(gnutls_x509_crt_t crt)
{
	char buf[256];
	size_t size = sizeof(buf);

	if (gnutls_x509_crt_get_dn_by_oid(crt, GNUTLS_OID_X520_COMMON_NAME, 0, 0, buf, &size) < 0)
		return NULL;
	return g_strndup(buf, size);
}

static gboolean
export_pem(gnutls_x509_crt_t *list, unsigned n, ProfileCert *out, GError **error)
{
	GString *pem = g_string_new(NULL);

	for (unsigned i = 0; i < n; i++) {
		gnutls_datum_t d = {NULL, 0};

		if (gnutls_x509_crt_export2(list[i], GNUTLS_X509_FMT_PEM, &d) < 0) {
			g_string_free(pem, TRUE);
			g_set_error(error, FERRY_ERROR, FERRY_ERROR_CONFIG,
			            "certificate cannot be re-encoded");
			return FALSE;
		}
		g_string_append_len(pem, (const char *)d.data, d.size);
		gnutls_free(d.data);
	}
	out->pem = g_string_free_to_bytes(pem);
	return TRUE;
}

gboolean
profile_cert_parse(const guint8 *data, gsize len, ProfileCert *out, GError **error)
{
	gnutls_datum_t in = {(unsigned char *)data, (unsigned)len};
	gnutls_x509_crt_t *list = NULL;
	gnutls_datum_t dn = {NULL, 0};
	unsigned n = 0, critical = 0;
	gboolean pem = looks_like_pem(data, len);
	gboolean ok = FALSE;
	int rc;

	memset(out, 0, sizeof(*out));
	if (len == 0 || len > G_MAXUINT32) {
		g_set_error(error, FERRY_ERROR, FERRY_ERROR_CONFIG, "empty certificate");
		return FALSE;
	}
	rc = gnutls_x509_crt_list_import2(&list, &n, &in,
	                                  pem ? GNUTLS_X509_FMT_PEM : GNUTLS_X509_FMT_DER, 0);
	if (rc < 0 || n == 0) {
		g_set_error(error, FERRY_ERROR, FERRY_ERROR_CONFIG,
		            "not an X.509 certificate (PEM or DER): %s", gnutls_strerror(rc));
		return FALSE;
	}
	if (n > CERT_LIST_MAX) {
		g_set_error(error, FERRY_ERROR, FERRY_ERROR_CONFIG, "more than %d certificates",
		            CERT_LIST_MAX);
		goto out;
	}
	if (gnutls_x509_crt_get_dn3(list[0], &dn, 0) < 0) {
		g_set_error(error, FERRY_ERROR, FERRY_ERROR_CONFIG, "certificate has no subject");
		goto out;
	}
	out->subject = g_strndup((const char *)dn.data, dn.size);
	out->common_name = dup_common_name(list[0]);
	out->is_ca = gnutls_x509_crt_get_ca_status(list[0], &critical) > 0;
	ok = export_pem(list, n, out, error);
out:
	gnutls_free(dn.data);
	for (unsigned i = 0; i < n; i++)
		gnutls_x509_crt_deinit(list[i]);
	gnutls_free(list);
	if (!ok)
		profile_cert_clear(out);
	return ok;
}

gboolean
profile_cert_load(const char *path, ProfileCert *out, GError **error)
{
	g_autofree char *data = NULL;
	g_autoptr(GError) local = NULL;
	gsize len = 0;

	if (!g_file_get_contents(path, &data, &len, &local)) {
		g_set_error(error, FERRY_ERROR, FERRY_ERROR_CONFIG, "%s", local->message);
		return FALSE;
	}
	return profile_cert_parse((const guint8 *)data, len, out, error);
}

GBytes *
profile_cert_to_der(GBytes *pem, GError **error)
{
	gsize len = 0;
	const guint8 *data = g_bytes_get_data(pem, &len);
	gnutls_datum_t in = {(unsigned char *)data, (unsigned)len};
	gnutls_datum_t der = {NULL, 0};
	gnutls_x509_crt_t crt;
	GBytes *out = NULL;

	if (gnutls_x509_crt_init(&crt) < 0)
		return NULL;
	if (gnutls_x509_crt_import(crt, &in, GNUTLS_X509_FMT_PEM) >= 0 &&
	    gnutls_x509_crt_export2(crt, GNUTLS_X509_FMT_DER, &der) >= 0) {
		out = g_bytes_new(der.data, der.size);
		gnutls_free(der.data);
	} else {
		g_set_error(error, FERRY_ERROR, FERRY_ERROR_CONFIG, "not a PEM certificate");
	}
	gnutls_x509_crt_deinit(crt);
	return out;
}

gboolean
profile_pkcs12_check(const guint8 *data, gsize len, const FerrySecret *password, GError **error)
{
	gnutls_datum_t in = {(unsigned char *)data, (unsigned)len};
	gnutls_pkcs12_t p12;
	gboolean ok = TRUE;

	if (len == 0 || len > G_MAXUINT32 || gnutls_pkcs12_init(&p12) < 0) {
		g_set_error(error, FERRY_ERROR, FERRY_ERROR_CONFIG, "not a PKCS#12 file");
		return FALSE;
	}
	if (gnutls_pkcs12_import(p12, &in, GNUTLS_X509_FMT_DER, 0) < 0) {
		g_set_error(error, FERRY_ERROR, FERRY_ERROR_CONFIG, "not a PKCS#12 file");
		ok = FALSE;
	} else if (password && gnutls_pkcs12_verify_mac(p12, (const char *)password->data) < 0) {
		/* RFC 7292 §5: the MAC key derives from the password, so a wrong one fails
		 * here before any bag is decrypted. */
		g_set_error(error, FERRY_ERROR, FERRY_ERROR_CONFIG,
		            "wrong password for the PKCS#12 file");
		ok = FALSE;
	}
	gnutls_pkcs12_deinit(p12);
	return ok;
}

GBytes *
profile_base64_decode(const char *text, GError **error)
{
	g_autoptr(GString) clean = g_string_sized_new(strlen(text));
	guchar *out;
	gsize out_len = 0;
	gsize pad = 0;

	for (const char *p = text; *p; p++) {
		if (g_ascii_isspace(*p))
			continue;
		if (*p == '=') {
			pad++;
		} else if (pad || !(g_ascii_isalnum(*p) || *p == '+' || *p == '/')) {
			g_set_error(error, FERRY_ERROR, FERRY_ERROR_CONFIG,
			            "invalid base64 (unexpected character '%c')",
			            g_ascii_isprint(*p) ? *p : '?');
			return NULL;
		}
		g_string_append_c(clean, *p);
	}
	if (clean->len == 0 || clean->len % 4 != 0 || pad > 2) {
		g_set_error(error, FERRY_ERROR, FERRY_ERROR_CONFIG,
		            "invalid base64 (length %zu is not a multiple of 4)", clean->len);
		return NULL;
	}
	out = g_base64_decode(clean->str, &out_len);
	return g_bytes_new_take(out, out_len);
}
