/* crypto-cert-cred.c - our certificate and private key: PEM/DER files (optionally encrypted),
 * PKCS#12, and PKCS#11 tokens by URI (RFC 7512) */
#include <stdlib.h>
#include <string.h>

#include <gnutls/pkcs11.h>
#include <gnutls/pkcs12.h>

#include "crypto-cert-private.h"

#define PKCS11_PREFIX "pkcs11:"

static bool
is_pkcs11_uri(const char *s)
{
	return s && strncmp(s, PKCS11_PREFIX, strlen(PKCS11_PREFIX)) == 0;
}

void
crypto_credential_free(CryptoCredential *cred)
{
	if (!cred)
		return;
	crypto_cert_unref(cred->cert);
	for (size_t i = 0; i < cred->n_chain; i++)
		crypto_cert_unref(cred->chain[i]);
	if (cred->key)
		gnutls_privkey_deinit(cred->key);
	ferry_secret_free(cred->pin);
	free(cred);
}

const CryptoCert *
crypto_credential_get_cert(const CryptoCredential *cred)
{
	return cred->cert;
}

size_t
crypto_credential_get_n_chain(const CryptoCredential *cred)
{
	return cred->n_chain;
}

const CryptoCert *
crypto_credential_get_chain(const CryptoCredential *cred, size_t i)
{
	return i < cred->n_chain ? cred->chain[i] : NULL;
}

CryptoKeyType
crypto_credential_get_key_type(const CryptoCredential *cred)
{
	return cred->cert->key_type;
}

gnutls_privkey_t
crypto_credential_get_privkey(const CryptoCredential *cred)
{
	return cred->key;
}

/* A NUL-terminated copy of a password in wipe-on-free memory (GnuTLS wants C strings). */
static FerrySecret *
secret_cstring(const FerrySecret *s)
{
	FerrySecret *c;

	if (!s)
		return NULL;
	c = ferry_secret_new(s->len + 1);
	if (c) {
		memcpy(c->data, s->data, s->len);
		c->len = s->len;
	}
	return c;
}

/* GnuTLS asks for the token PIN here.  A retry after a wrong PIN is refused at once: asking
 * again with the same PIN would only count down the token's lock-out. */
static int
token_pin_cb(void *userdata,
             int attempt,
             const char *token_url,
             const char *token_label,
             unsigned flags,
             char *pin,
             size_t pin_max)
{
	const CryptoCredential *cred = userdata;

	if (!cred->pin || attempt > 0 || (flags & GNUTLS_PIN_WRONG) || cred->pin->len >= pin_max)
		return GNUTLS_E_PKCS11_PIN_ERROR;
	memcpy(pin, cred->pin->data, cred->pin->len);
	pin[cred->pin->len] = '\0';
	return 0;
}

static CryptoCertStatus
fail_token(const CryptoCredential *cred, int ret, const char *uri, CryptoCertError *err)
{
	switch (ret) {
	case GNUTLS_E_PKCS11_PIN_ERROR:
	case GNUTLS_E_PKCS11_PIN_EXPIRED:
	case GNUTLS_E_PKCS11_PIN_LOCKED:
	case GNUTLS_E_PKCS11_USER_ERROR:
		if (!cred->pin)
			return crypto_cert_fail(err, CRYPTO_CERT_ERR_PASSWORD,
			                        "%s: the token needs a PIN and none was given",
			                        uri);
		return crypto_cert_fail(err, CRYPTO_CERT_ERR_PASSWORD,
		                        "%s: the token refused the PIN (%s)", uri,
		                        gnutls_strerror(ret));
	default:
		return crypto_cert_fail(err, CRYPTO_CERT_ERR_TOKEN, "%s: %s", uri,
		                        gnutls_strerror(ret));
	}
}

static CryptoCertStatus
load_key_uri(CryptoCredential *cred, const char *uri, CryptoCertError *err)
{
	int ret;

	if (gnutls_privkey_init(&cred->key) < 0)
		return crypto_cert_fail(err, CRYPTO_CERT_ERR_NOMEM, "out of memory");
	gnutls_privkey_set_pin_function(cred->key, token_pin_cb, cred);
	ret = gnutls_privkey_import_url(cred->key, uri, 0);
	if (ret < 0)
		return fail_token(cred, ret, uri, err);
	return CRYPTO_CERT_OK;
}

static CryptoCertStatus
load_key_file(CryptoCredential *cred,
              const char *path,
              const FerrySecret *passphrase,
              CryptoCertError *err)
{
	gnutls_x509_privkey_t xkey;
	gnutls_datum_t data;
	FerrySecret *pass = secret_cstring(passphrase);
	CryptoCertStatus st;
	int ret;

	if (passphrase && !pass)
		return crypto_cert_fail(err, CRYPTO_CERT_ERR_NOMEM, "out of memory");
	st = crypto_cert_read_file(path, &data, err);
	if (st != CRYPTO_CERT_OK) {
		ferry_secret_free(pass);
		return st;
	}
	if (gnutls_x509_privkey_init(&xkey) < 0) {
		ferry_secret_free(pass);
		gnutls_free(data.data);
		return crypto_cert_fail(err, CRYPTO_CERT_ERR_NOMEM, "out of memory");
	}
	ret = gnutls_x509_privkey_import2(xkey, &data, GNUTLS_X509_FMT_PEM,
	                                  pass ? (const char *)pass->data : NULL, 0);
	if (ret < 0 && ret != GNUTLS_E_DECRYPTION_FAILED)
		ret = gnutls_x509_privkey_import2(xkey, &data, GNUTLS_X509_FMT_DER,
		                                  pass ? (const char *)pass->data : NULL, 0);
	ferry_secret_free(pass);
	if (ret < 0) {
		bool encrypted = memmem(data.data, data.size, "ENCRYPTED", 9) != NULL;

		gnutls_x509_privkey_deinit(xkey);
		gnutls_free(data.data);
		if (ret == GNUTLS_E_DECRYPTION_FAILED || encrypted)
			return crypto_cert_fail(err, CRYPTO_CERT_ERR_PASSWORD,
			                        passphrase
			                                ? "%s: wrong passphrase for the private key"
			                                : "%s: the private key is encrypted and no "
			                                  "passphrase was given",
			                        path);
		return crypto_cert_fail(err, CRYPTO_CERT_ERR_FILE, "%s: no private key (%s)", path,
		                        gnutls_strerror(ret));
	}
	ferry_wipe(data.data, data.size);
	gnutls_free(data.data);
	if (gnutls_privkey_init(&cred->key) < 0 ||
	    gnutls_privkey_import_x509(cred->key, xkey, GNUTLS_PRIVKEY_IMPORT_AUTO_RELEASE) < 0) {
		gnutls_x509_privkey_deinit(xkey);
		return crypto_cert_fail(err, CRYPTO_CERT_ERR_BACKEND, "%s: unusable private key",
		                        path);
	}
	return CRYPTO_CERT_OK;
}

/* The first certificate is ours; the others are CAs to send along, self-signed roots aside. */
static CryptoCertStatus
take_certs(CryptoCredential *cred,
           gnutls_x509_crt_t *list,
           size_t n,
           const char *what,
           CryptoCertError *err)
{
	CryptoCertStatus st = CRYPTO_CERT_OK;

	if (n == 0)
		return crypto_cert_fail(err, CRYPTO_CERT_ERR_FILE, "%s: no certificate", what);
	for (size_t i = 0; i < n; i++) {
		if (st != CRYPTO_CERT_OK || (i > 0 && cred->n_chain >= CRYPTO_CERT_CHAIN_MAX - 1) ||
		    (i > 0 && gnutls_x509_crt_check_issuer(list[i], list[i]))) {
			gnutls_x509_crt_deinit(list[i]);
			continue;
		}
		if (i == 0)
			st = crypto_cert_new_take(list[i], &cred->cert, err);
		else if ((st = crypto_cert_new_take(list[i], &cred->chain[cred->n_chain], err)) ==
		         CRYPTO_CERT_OK)
			cred->n_chain++;
	}
	return st;
}

static CryptoCertStatus
load_cert_uri(CryptoCredential *cred, const char *uri, CryptoCertError *err)
{
	gnutls_x509_crt_t crt;
	int ret;

	if (gnutls_x509_crt_init(&crt) < 0)
		return crypto_cert_fail(err, CRYPTO_CERT_ERR_NOMEM, "out of memory");
	gnutls_x509_crt_set_pin_function(crt, token_pin_cb, cred);
	ret = gnutls_x509_crt_import_url(crt, uri, 0);
	if (ret < 0) {
		gnutls_x509_crt_deinit(crt);
		return fail_token(cred, ret, uri, err);
	}
	return take_certs(cred, &crt, 1, uri, err);
}

static CryptoCertStatus
load_cert_file(CryptoCredential *cred, const char *path, CryptoCertError *err)
{
	gnutls_x509_crt_t *list = NULL;
	gnutls_datum_t data;
	unsigned n = 0;
	CryptoCertStatus st;
	int ret;

	st = crypto_cert_read_file(path, &data, err);
	if (st != CRYPTO_CERT_OK)
		return st;
	ret = gnutls_x509_crt_list_import2(&list, &n, &data, GNUTLS_X509_FMT_PEM, 0);
	if (ret < 0)
		ret = gnutls_x509_crt_list_import2(&list, &n, &data, GNUTLS_X509_FMT_DER, 0);
	gnutls_free(data.data);
	if (ret < 0)
		return crypto_cert_fail(err, CRYPTO_CERT_ERR_FILE, "%s: no X.509 certificate (%s)",
		                        path, gnutls_strerror(ret));
	st = take_certs(cred, list, n, path, err);
	gnutls_free(list);
	return st;
}

/* The key must be the certificate's: compare the public keys (a token may not expose its
 * public key object; then a test signature decides). */
static CryptoCertStatus
check_key_matches(const CryptoCredential *cred, const char *what, CryptoCertError *err)
{
	static const uint8_t probe[] = "ferry key/certificate match";
	gnutls_datum_t msg = {(unsigned char *)probe, sizeof(probe) - 1}, sig = {NULL, 0};
	gnutls_pubkey_t pub;
	uint8_t a[64], b[64];
	size_t a_len = sizeof(a), b_len = sizeof(b);
	gnutls_sign_algorithm_t algo;
	bool same = false;
	int ret;

	if (gnutls_pubkey_init(&pub) < 0)
		return crypto_cert_fail(err, CRYPTO_CERT_ERR_NOMEM, "out of memory");
	if (gnutls_pubkey_import_privkey(pub, cred->key, 0, 0) >= 0 &&
	    gnutls_pubkey_get_key_id(pub, GNUTLS_KEYID_USE_SHA256, a, &a_len) >= 0 &&
	    gnutls_pubkey_get_key_id(cred->cert->pubkey, GNUTLS_KEYID_USE_SHA256, b, &b_len) >= 0) {
		same = a_len == b_len && memcmp(a, b, a_len) == 0;
	} else {
		algo = gnutls_pk_to_sign(gnutls_pubkey_get_pk_algorithm(cred->cert->pubkey, NULL),
		                         GNUTLS_DIG_SHA256);
		ret = gnutls_privkey_sign_data2(cred->key, algo, 0, &msg, &sig);
		same = ret >= 0 &&
		       gnutls_pubkey_verify_data2(cred->cert->pubkey, algo, 0, &msg, &sig) >= 0;
		gnutls_free(sig.data);
	}
	gnutls_pubkey_deinit(pub);
	if (!same)
		return crypto_cert_fail(err, CRYPTO_CERT_ERR_KEY_MISMATCH,
		                        "%s: the private key does not belong to certificate '%s'",
		                        what, cred->cert->subject);
	if (cred->cert->key_type == CRYPTO_KEY_UNSUPPORTED)
		return crypto_cert_fail(err, CRYPTO_CERT_ERR_UNSUPPORTED,
		                        "certificate '%s': key type not supported for IKE "
		                        "(RSA, ECDSA P-256/384/521 or Ed25519)",
		                        cred->cert->subject);
	return crypto_cert_ok(err);
}

CryptoCertStatus
crypto_credential_load(const char *cert_path,
                       const char *key_path,
                       const FerrySecret *passphrase,
                       CryptoCredential **out,
                       CryptoCertError *err)
{
	CryptoCredential *cred = calloc(1, sizeof(*cred));
	CryptoCertStatus st;

	*out = NULL;
	if (!cred)
		return crypto_cert_fail(err, CRYPTO_CERT_ERR_NOMEM, "out of memory");
	if (passphrase && (is_pkcs11_uri(key_path) || is_pkcs11_uri(cert_path))) {
		cred->pin = ferry_secret_dup(passphrase);
		if (!cred->pin) {
			crypto_credential_free(cred);
			return crypto_cert_fail(err, CRYPTO_CERT_ERR_NOMEM, "out of memory");
		}
	}
	st = is_pkcs11_uri(cert_path) ? load_cert_uri(cred, cert_path, err)
	                              : load_cert_file(cred, cert_path, err);
	if (st == CRYPTO_CERT_OK)
		st = is_pkcs11_uri(key_path) ? load_key_uri(cred, key_path, err)
		                             : load_key_file(cred, key_path, passphrase, err);
	if (st == CRYPTO_CERT_OK)
		st = check_key_matches(cred, key_path, err);
	if (st != CRYPTO_CERT_OK) {
		crypto_credential_free(cred);
		return st;
	}
	*out = cred;
	return CRYPTO_CERT_OK;
}

static CryptoCertStatus
parse_pkcs12(CryptoCredential *cred,
             gnutls_pkcs12_t p12,
             const char *path,
             const char *password,
             CryptoCertError *err)
{
	gnutls_x509_privkey_t xkey = NULL;
	gnutls_x509_crt_t *chain = NULL;
	unsigned chain_len = 0;
	CryptoCertStatus st;
	int ret;

	ret = gnutls_pkcs12_verify_mac(p12, password);
	if (ret < 0 && ret != GNUTLS_E_UNKNOWN_HASH_ALGORITHM)
		return crypto_cert_fail(err, CRYPTO_CERT_ERR_PASSWORD,
		                        password ? "%s: wrong PKCS#12 password"
		                                 : "%s: the PKCS#12 file needs a password",
		                        path);
	ret = gnutls_pkcs12_simple_parse(p12, password, &xkey, &chain, &chain_len, NULL, NULL, NULL,
	                                 0);
	if (ret < 0)
		return crypto_cert_fail(err,
		                        ret == GNUTLS_E_DECRYPTION_FAILED ? CRYPTO_CERT_ERR_PASSWORD
		                                                          : CRYPTO_CERT_ERR_FILE,
		                        "%s: %s", path, gnutls_strerror(ret));
	st = take_certs(cred, chain, chain_len, path, err);
	gnutls_free(chain);
	if (st == CRYPTO_CERT_OK &&
	    (gnutls_privkey_init(&cred->key) < 0 ||
	     gnutls_privkey_import_x509(cred->key, xkey, GNUTLS_PRIVKEY_IMPORT_AUTO_RELEASE) < 0))
		st = crypto_cert_fail(err, CRYPTO_CERT_ERR_BACKEND, "%s: unusable private key",
		                      path);
	else if (st == CRYPTO_CERT_OK)
		xkey = NULL;
	if (xkey)
		gnutls_x509_privkey_deinit(xkey);
	return st;
}

CryptoCertStatus
crypto_credential_load_pkcs12(const char *path,
                              const FerrySecret *password,
                              CryptoCredential **out,
                              CryptoCertError *err)
{
	CryptoCredential *cred = calloc(1, sizeof(*cred));
	FerrySecret *pass = secret_cstring(password);
	gnutls_pkcs12_t p12 = NULL;
	gnutls_datum_t data = {NULL, 0};
	CryptoCertStatus st;

	*out = NULL;
	if (!cred || (password && !pass)) {
		st = crypto_cert_fail(err, CRYPTO_CERT_ERR_NOMEM, "out of memory");
		goto out;
	}
	st = crypto_cert_read_file(path, &data, err);
	if (st != CRYPTO_CERT_OK)
		goto out;
	if (gnutls_pkcs12_init(&p12) < 0) {
		st = crypto_cert_fail(err, CRYPTO_CERT_ERR_NOMEM, "out of memory");
		goto out;
	}
	if (gnutls_pkcs12_import(p12, &data, GNUTLS_X509_FMT_DER, 0) < 0 &&
	    gnutls_pkcs12_import(p12, &data, GNUTLS_X509_FMT_PEM, 0) < 0) {
		st = crypto_cert_fail(err, CRYPTO_CERT_ERR_FILE, "%s: not a PKCS#12 file", path);
		goto out;
	}
	st = parse_pkcs12(cred, p12, path, pass ? (const char *)pass->data : NULL, err);
	if (st == CRYPTO_CERT_OK)
		st = check_key_matches(cred, path, err);
out:
	if (p12)
		gnutls_pkcs12_deinit(p12);
	if (data.data) {
		ferry_wipe(data.data, data.size);
		gnutls_free(data.data);
	}
	ferry_secret_free(pass);
	if (st != CRYPTO_CERT_OK) {
		crypto_credential_free(cred);
		return st;
	}
	*out = cred;
	return st;
}
