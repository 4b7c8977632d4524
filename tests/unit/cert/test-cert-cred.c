/* test-cert-cred.c - our credentials: PEM (plain, encrypted), PKCS#12, PKCS#11 (SoftHSM2) */
#include <string.h>

#include "cert-test.h"
#include "crypto-cert.h"

#define KEY_PASS  "canary-key-passphrase-7f3a"
#define P12_PASS  "canary-p12-password-91c2"
#define TOKEN_PIN "123456"
#define TOKEN_KEY "pkcs11:token=ferry;object=client;type=private"

typedef struct {
	const char *name;
	const char *cert;   /* file in the PKI, or a pkcs11: URI; NULL: PKCS#12 `key` */
	const char *key;    /* file in the PKI, or a pkcs11: URI */
	const char *secret; /* passphrase, PKCS#12 password or PIN */
	CryptoCertStatus want;
	CryptoKeyType type;
	size_t n_chain;
	const char *message_has;
} CredCase;

/* clang-format off */
static const CredCase cred_cases[] = {
	{"pem-rsa", "client-rsa.crt", "client-rsa.key", NULL, CRYPTO_CERT_OK, CRYPTO_KEY_RSA},
	{"pem-ec256", "client-ec256.crt", "client-ec256.key", NULL, CRYPTO_CERT_OK,
	 CRYPTO_KEY_ECDSA_P256},
	{"pem-ec521", "client-ec521.crt", "client-ec521.key", NULL, CRYPTO_CERT_OK,
	 CRYPTO_KEY_ECDSA_P521},
	{"pem-ed25519", "gw-ed25519.crt", "gw-ed25519.key", NULL, CRYPTO_CERT_OK,
	 CRYPTO_KEY_ED25519},
	{"bundle-with-chain", "bundle-ec256.pem", "client-ec256.key", NULL, CRYPTO_CERT_OK,
	 CRYPTO_KEY_ECDSA_P256, 1},
	/* a passphrase given for a plain key is simply not needed */
	{"pem-plain-with-passphrase", "client-rsa.crt", "client-rsa.key", KEY_PASS, CRYPTO_CERT_OK,
	 CRYPTO_KEY_RSA},
	{"pkcs8-encrypted", "client-rsa.crt", "client-rsa-p8enc.key", KEY_PASS, CRYPTO_CERT_OK,
	 CRYPTO_KEY_RSA},
	{"pkcs8-wrong-passphrase", "client-rsa.crt", "client-rsa-p8enc.key", "wrong",
	 CRYPTO_CERT_ERR_PASSWORD, 0, 0, "wrong passphrase"},
	{"pkcs8-no-passphrase", "client-rsa.crt", "client-rsa-p8enc.key", NULL,
	 CRYPTO_CERT_ERR_PASSWORD, 0, 0, "no passphrase"},
	{"openssl-encrypted", "client-rsa.crt", "client-rsa-legacy.key", KEY_PASS, CRYPTO_CERT_OK,
	 CRYPTO_KEY_RSA},
	{"openssl-wrong-passphrase", "client-rsa.crt", "client-rsa-legacy.key", "wrong",
	 CRYPTO_CERT_ERR_PASSWORD},
	{"key-of-other-cert", "client-rsa.crt", "gw-rsa.key", NULL, CRYPTO_CERT_ERR_KEY_MISMATCH, 0,
	 0, "does not belong to certificate 'CN=alice"},
	{"key-of-other-type", "client-rsa.crt", "client-ec256.key", NULL,
	 CRYPTO_CERT_ERR_KEY_MISMATCH},
	{"missing-key", "client-rsa.crt", "nope.key", NULL, CRYPTO_CERT_ERR_FILE, 0, 0, "nope.key"},
	{"missing-cert", "nope.crt", "client-rsa.key", NULL, CRYPTO_CERT_ERR_FILE, 0, 0,
	 "nope.crt"},
	{"key-as-cert", "client-rsa.key", "client-rsa.key", NULL, CRYPTO_CERT_ERR_FILE},
	{"cert-as-key", "client-rsa.crt", "client-rsa.crt", NULL, CRYPTO_CERT_ERR_FILE},
	{"pkcs12", NULL, "client-rsa.p12", P12_PASS, CRYPTO_CERT_OK, CRYPTO_KEY_RSA},
	{"pkcs12-wrong-password", NULL, "client-rsa.p12", "wrong", CRYPTO_CERT_ERR_PASSWORD, 0, 0,
	 "wrong PKCS#12 password"},
	{"pkcs12-no-password", NULL, "client-rsa.p12", NULL, CRYPTO_CERT_ERR_PASSWORD},
	{"pkcs12-not-pkcs12", NULL, "client-rsa.crt", P12_PASS, CRYPTO_CERT_ERR_FILE},
	{"pkcs11-key", "client-rsa.crt", TOKEN_KEY, TOKEN_PIN, CRYPTO_CERT_OK, CRYPTO_KEY_RSA},
	{"pkcs11-wrong-pin", "client-rsa.crt", TOKEN_KEY, "654321", CRYPTO_CERT_ERR_PASSWORD, 0, 0,
	 "refused the PIN"},
	{"pkcs11-no-pin", "client-rsa.crt", TOKEN_KEY, NULL, CRYPTO_CERT_ERR_PASSWORD, 0, 0,
	 "needs a PIN"},
	{"pkcs11-no-such-object", "client-rsa.crt",
	 "pkcs11:token=ferry;object=nothing-here;type=private", TOKEN_PIN, CRYPTO_CERT_ERR_TOKEN},
	{"pkcs11-key-of-other-cert", "gw-rsa.crt", TOKEN_KEY, TOKEN_PIN,
	 CRYPTO_CERT_ERR_KEY_MISMATCH},
};
/* clang-format on */

static char *
pki_or_uri(const char *name)
{
	return g_str_has_prefix(name, "pkcs11:") ? g_strdup(name) : cert_test_pki_path(name);
}

static void
test_cred(gconstpointer data)
{
	const CredCase *c = data;
	g_autofree char *key = pki_or_uri(c->key);
	g_autofree char *cert = c->cert ? pki_or_uri(c->cert) : NULL;
	FerrySecret *secret = c->secret ? ferry_secret_new_from_string(c->secret) : NULL;
	CryptoCredential *cred = NULL;
	CryptoCertError err;
	CryptoCertStatus st;

	if (cert)
		st = crypto_credential_load(cert, key, secret, &cred, &err);
	else
		st = crypto_credential_load_pkcs12(key, secret, &cred, &err);
	g_test_message("%s: %s", crypto_cert_status_to_string(st), err.message);
	g_assert_cmpint(st, ==, c->want);
	g_assert_cmpint(err.status, ==, c->want);
	if (c->message_has && !strstr(err.message, c->message_has))
		g_error("message '%s' lacks '%s'", err.message, c->message_has);
	/* secrets never reach a message */
	g_assert_null(strstr(err.message, KEY_PASS));
	g_assert_null(strstr(err.message, P12_PASS));
	g_assert_null(strstr(err.message, TOKEN_PIN));
	if (st == CRYPTO_CERT_OK) {
		g_assert_nonnull(cred);
		g_assert_cmpint(crypto_credential_get_key_type(cred), ==, c->type);
		g_assert_cmpuint(crypto_credential_get_n_chain(cred), ==, c->n_chain);
		g_assert_nonnull(crypto_credential_get_cert(cred));
		if (c->n_chain)
			g_assert_nonnull(strstr(
				crypto_cert_get_subject(crypto_credential_get_chain(cred, 0)),
				"Intermediate"));
		g_assert_null(crypto_credential_get_chain(cred, c->n_chain));
	} else {
		g_assert_null(cred);
	}
	crypto_credential_free(cred);
	ferry_secret_free(secret);
}

static void
make_bundle(void)
{
	g_autofree char *out = cert_test_pki_path("bundle-ec256.pem");
	g_autoptr(GString) all = g_string_new(NULL);
	const char *parts[] = {"client-ec256.crt", "ec-int.crt", "ec-root.crt"};

	for (size_t i = 0; i < G_N_ELEMENTS(parts); i++) {
		g_autofree char *path = cert_test_pki_path(parts[i]);
		g_autofree char *text = NULL;

		g_assert_true(g_file_get_contents(path, &text, NULL, NULL));
		g_string_append(all, text);
	}
	g_assert_true(g_file_set_contents(out, all->str, (gssize)all->len, NULL));
}

int
main(int argc, char **argv)
{
	int ret;

	g_test_init(&argc, &argv, NULL);
	cert_test_pki_init(TRUE);
	make_bundle();
	for (size_t i = 0; i < G_N_ELEMENTS(cred_cases); i++) {
		g_autofree char *path = g_strdup_printf("/ferry/cert/cred/%s", cred_cases[i].name);

		g_test_add_data_func(path, &cred_cases[i], test_cred);
	}
	ret = g_test_run();
	cert_test_pki_cleanup();
	return ret;
}
