/* cert-test.h - the test PKI for certificate tests: built at test time, removed at exit */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Runs tests/pki/make-test-pki.sh into a fresh temporary directory (with a SoftHSM2 token when
 * `softhsm`, and SOFTHSM2_CONF pointing at it).  Call from main() before g_test_run(). */
void cert_test_pki_init(gboolean softhsm);
/* Removes the directory; call after g_test_run(). */
void cert_test_pki_cleanup(void);
/* (transfer full) DIR/name. */
char *cert_test_pki_path(const char *name);
/* (transfer full) The first certificate of a PEM file of the PKI, as DER. */
GBytes *cert_test_pki_der(const char *name);
/* (transfer full) Runs a command, failing the test unless it exits 0; returns its stdout. */
char *cert_test_run(const char *const *argv);

G_END_DECLS
