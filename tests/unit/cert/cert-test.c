/* cert-test.c - builds and removes the test PKI of the certificate tests */
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>

#include "cert-test.h"

static char *pki_dir;

char *
cert_test_run(const char *const *argv)
{
	g_autoptr(GError) error = NULL;
	g_autofree char *err_text = NULL;
	char *out = NULL;
	int status = 0;

	if (!g_spawn_sync(NULL, (char **)argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &out,
	                  &err_text, &status, &error))
		g_error("cannot run %s: %s", argv[0], error->message);
	if (!g_spawn_check_wait_status(status, &error))
		g_error("%s failed: %s\n%s", argv[0], error->message, err_text);
	return out;
}

void
cert_test_pki_init(gboolean softhsm)
{
	g_autoptr(GError) error = NULL;
	g_autofree char *script =
		g_test_build_filename(G_TEST_DIST, "pki", "make-test-pki.sh", NULL);
	g_autofree char *out = NULL;

	pki_dir = g_dir_make_tmp("ferry-pki-XXXXXX", &error);
	g_assert_no_error(error);
	const char *argv[] = {"bash", script, pki_dir, softhsm ? "--softhsm" : NULL, NULL};
	out = cert_test_run(argv);
	if (softhsm) {
		g_autofree char *conf = g_build_filename(pki_dir, "softhsm2.conf", NULL);

		g_setenv("SOFTHSM2_CONF", conf, TRUE);
	}
}

void
cert_test_pki_cleanup(void)
{
	if (!pki_dir)
		return;
	const char *argv[] = {"rm", "-rf", pki_dir, NULL};
	g_free(cert_test_run(argv));
	g_clear_pointer(&pki_dir, g_free);
}

char *
cert_test_pki_path(const char *name)
{
	g_assert_nonnull(pki_dir);
	return g_build_filename(pki_dir, name, NULL);
}

GBytes *
cert_test_pki_der(const char *name)
{
	g_autofree char *path = cert_test_pki_path(name);
	g_autofree char *pem = NULL;
	g_autoptr(GError) error = NULL;
	gnutls_x509_crt_t crt;
	gnutls_datum_t in, out = {NULL, 0};
	gsize len;
	GBytes *der;

	g_file_get_contents(path, &pem, &len, &error);
	g_assert_no_error(error);
	in.data = (unsigned char *)pem;
	in.size = (unsigned)len;
	g_assert_cmpint(gnutls_x509_crt_init(&crt), ==, 0);
	g_assert_cmpint(gnutls_x509_crt_import(crt, &in, GNUTLS_X509_FMT_PEM), ==, 0);
	g_assert_cmpint(gnutls_x509_crt_export2(crt, GNUTLS_X509_FMT_DER, &out), ==, 0);
	der = g_bytes_new(out.data, out.size);
	gnutls_free(out.data);
	gnutls_x509_crt_deinit(crt);
	return der;
}
