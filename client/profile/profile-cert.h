/* profile-cert.h - certificate and PKCS#12 helpers for importers and exporters (GnuTLS) */
#pragma once

#include <glib.h>

#include "ferry-secret.h"

G_BEGIN_DECLS

typedef struct {
	GBytes *pem;       /* the certificate(s) as PEM */
	gboolean is_ca;    /* the first certificate has basicConstraints CA:TRUE */
	char *subject;     /* its subject DN (RFC 4514 text) */
	char *common_name; /* its CN, or NULL */
} ProfileCert;

void profile_cert_clear(ProfileCert *cert);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(ProfileCert, profile_cert_clear)

/* Parses DER or PEM (one or more certificates; the first one is described).  The error
 * message says what is wrong without a field prefix. */
gboolean profile_cert_parse(const guint8 *data, gsize len, ProfileCert *out, GError **error);
/* Reads a certificate file (PEM or DER). */
gboolean profile_cert_load(const char *path, ProfileCert *out, GError **error);
/* DER of the first certificate in @pem. */
GBytes *profile_cert_to_der(GBytes *pem, GError **error);

/* Checks that @data is a PKCS#12 file and, when @password is given, that it opens with it
 * (MAC check).  Errors: "not a PKCS#12 file", "wrong password". */
gboolean
profile_pkcs12_check(const guint8 *data, gsize len, const FerrySecret *password, GError **error);

/* Strict base64 (RFC 4648 §4, whitespace allowed between groups). */
GBytes *profile_base64_decode(const char *text, GError **error);

G_END_DECLS
