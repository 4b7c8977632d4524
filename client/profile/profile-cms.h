/* profile-cms.h - unwraps CMS SignedData (signed .mobileconfig) with GnuTLS's PKCS#7 API */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* TRUE when @data starts like a DER SEQUENCE holding the SignedData OID. */
gboolean profile_cms_is_signed(const guint8 *data, gsize len);

/**
 * profile_cms_unwrap:
 * @anchors_file: (nullable): extra trust anchors (PEM) besides the system's
 * @content: (out): the signed content
 * @signer: (out): the signer certificate's subject DN
 * @trusted: (out): TRUE when the signer chains to a trust anchor
 *
 * Fails when the structure is malformed, carries no content, or its signature does not
 * verify with the signer certificate it includes (the content was altered).  A valid
 * signature from an unknown signer is not an error: @trusted is FALSE.
 */
gboolean profile_cms_unwrap(const guint8 *data,
                            gsize len,
                            const char *anchors_file,
                            GBytes **content,
                            char **signer,
                            gboolean *trusted,
                            GError **error);

G_END_DECLS
