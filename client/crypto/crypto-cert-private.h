/* crypto-cert-private.h - internals shared by crypto-cert*.c and crypto-sig.c (not for other
 * layers) */
#pragma once

#include <gnutls/abstract.h>
#include <gnutls/x509.h>

#include "crypto-cert.h"

#define CRYPTO_CERT_FILE_MAX (1024 * 1024) /* bytes read from a certificate or key file */

struct CryptoCert {
	int refs;
	/* owned */
	gnutls_x509_crt_t crt;
	gnutls_pubkey_t pubkey;
	gnutls_datum_t der;
	gnutls_datum_t subject_der;
	char *subject;
	char *issuer;
	CryptoKeyType key_type;
};

struct CryptoCredential {
	/* owned */
	CryptoCert *cert;
	CryptoCert *chain[CRYPTO_CERT_CHAIN_MAX];
	size_t n_chain;
	gnutls_privkey_t key;
	/* secret */
	FerrySecret *pin; /* kept for tokens that ask again when signing */
};

/* Fills err (if any) and returns status; printf-style message. */
CryptoCertStatus
crypto_cert_fail(CryptoCertError *err, CryptoCertStatus status, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
CryptoCertStatus crypto_cert_ok(CryptoCertError *err);
/* Takes ownership of crt (deinit on failure too). */
CryptoCertStatus
crypto_cert_new_take(gnutls_x509_crt_t crt, CryptoCert **out, CryptoCertError *err);
CryptoKeyType crypto_cert_key_type_of(gnutls_pubkey_t pubkey);
/* Reads a whole file (at most CRYPTO_CERT_FILE_MAX bytes); free data with gnutls_free(). */
CryptoCertStatus crypto_cert_read_file(const char *path, gnutls_datum_t *out, CryptoCertError *err);
/* "YYYY-MM-DD HH:MM:SS UTC" */
void crypto_cert_format_time(int64_t t, char *buf, size_t cap);

gnutls_pubkey_t crypto_cert_get_pubkey(const CryptoCert *cert);
gnutls_privkey_t crypto_credential_get_privkey(const CryptoCredential *cred);
