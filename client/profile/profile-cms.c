/* profile-cms.c - signed configuration profiles: content, signature and signer (RFC 5652) */
#include "config.h"

#include <string.h>

#include <gnutls/gnutls.h>
#include <gnutls/pkcs7.h>
#include <gnutls/x509.h>

#include "ferry-error.h"
#include "profile-cms.h"

/* DER of OID 1.2.840.113549.1.7.2 (id-signedData, RFC 5652 §5.1) */
static const guint8 signed_data_oid[] = {0x06, 0x09, 0x2a, 0x86, 0x48, 0x86,
                                         0xf7, 0x0d, 0x01, 0x07, 0x02};

gboolean
profile_cms_is_signed(const guint8 *data, gsize len)
{
	gsize window = MIN(len, 32);

	if (len < 2 || data[0] != 0x30)
		return FALSE;
	/* ContentInfo ::= SEQUENCE { contentType OID, ... }: the OID sits in the first bytes */
	for (gsize i = 0; i + sizeof(signed_data_oid) <= window; i++) {
		if (memcmp(data + i, signed_data_oid, sizeof(signed_data_oid)) == 0)
			return TRUE;
	}
	return FALSE;
}

/* The embedded certificate that verifies the signature, or NULL. */
static gnutls_x509_crt_t
find_signer(gnutls_pkcs7_t p7)
{
	int n = gnutls_pkcs7_get_crt_count(p7);

	for (int i = 0; i < n; i++) {
		gnutls_datum_t raw = {NULL, 0};
		gnutls_x509_crt_t crt;

		if (gnutls_pkcs7_get_crt_raw2(p7, (unsigned)i, &raw) < 0)
			continue;
		if (gnutls_x509_crt_init(&crt) < 0) {
			gnutls_free(raw.data);
			continue;
		}
		if (gnutls_x509_crt_import(crt, &raw, GNUTLS_X509_FMT_DER) >= 0 &&
		    gnutls_pkcs7_verify_direct(p7, crt, 0, NULL, 0) >= 0) {
			gnutls_free(raw.data);
			return crt;
		}
		gnutls_x509_crt_deinit(crt);
		gnutls_free(raw.data);
	}
	return NULL;
}

static gboolean
chains_to_anchor(gnutls_pkcs7_t p7, const char *anchors_file)
{
	gnutls_x509_trust_list_t tl;
	gboolean ok;

	if (gnutls_x509_trust_list_init(&tl, 0) < 0)
		return FALSE;
	(void)gnutls_x509_trust_list_add_system_trust(tl, 0, 0);
	if (anchors_file)
		(void)gnutls_x509_trust_list_add_trust_file(tl, anchors_file, NULL,
		                                            GNUTLS_X509_FMT_PEM, 0, 0);
	ok = gnutls_pkcs7_verify(p7, tl, NULL, 0, 0, NULL, 0) >= 0;
	gnutls_x509_trust_list_deinit(tl, 1);
	return ok;
}

static gboolean
unwrap(gnutls_pkcs7_t p7,
       const char *anchors_file,
       GBytes **content,
       char **signer,
       gboolean *trusted,
       GError **error)
{
	gnutls_datum_t data = {NULL, 0};
	gnutls_datum_t dn = {NULL, 0};
	gnutls_x509_crt_t crt;

	if (gnutls_pkcs7_get_embedded_data(p7, 0, &data) < 0 || data.size == 0) {
		g_set_error(error, FERRY_ERROR, FERRY_ERROR_CONFIG,
		            "signed, but the profile itself is not included (detached signature)");
		return FALSE;
	}
	*content = g_bytes_new(data.data, data.size);
	gnutls_free(data.data);
	if (gnutls_pkcs7_get_signature_count(p7) < 1) {
		g_set_error(error, FERRY_ERROR, FERRY_ERROR_CONFIG,
		            "signed data without a signature");
		return FALSE;
	}
	crt = find_signer(p7);
	if (!crt) {
		g_set_error(error, FERRY_ERROR, FERRY_ERROR_CONFIG,
		            "the signature does not verify with the certificates included: the "
		            "profile was altered after signing, or is corrupt");
		return FALSE;
	}
	if (gnutls_x509_crt_get_dn3(crt, &dn, 0) >= 0) {
		*signer = g_strndup((const char *)dn.data, dn.size);
		gnutls_free(dn.data);
	} else {
		*signer = g_strdup("(unnamed signer)");
	}
	gnutls_x509_crt_deinit(crt);
	*trusted = chains_to_anchor(p7, anchors_file);
	return TRUE;
}

gboolean
profile_cms_unwrap(const guint8 *data,
                   gsize len,
                   const char *anchors_file,
                   GBytes **content,
                   char **signer,
                   gboolean *trusted,
                   GError **error)
{
	gnutls_datum_t in = {(unsigned char *)data, (unsigned)len};
	gnutls_pkcs7_t p7;
	gboolean ok;

	*content = NULL;
	*signer = NULL;
	*trusted = FALSE;
	if (len > G_MAXUINT32 || gnutls_pkcs7_init(&p7) < 0) {
		g_set_error(error, FERRY_ERROR, FERRY_ERROR_CONFIG, "cannot read signed data");
		return FALSE;
	}
	if (gnutls_pkcs7_import(p7, &in, GNUTLS_X509_FMT_DER) < 0) {
		gnutls_pkcs7_deinit(p7);
		g_set_error(error, FERRY_ERROR, FERRY_ERROR_CONFIG,
		            "not a well-formed CMS SignedData structure");
		return FALSE;
	}
	ok = unwrap(p7, anchors_file, content, signer, trusted, error);
	gnutls_pkcs7_deinit(p7);
	if (!ok) {
		g_clear_pointer(content, g_bytes_unref);
		g_clear_pointer(signer, g_free);
	}
	return ok;
}
