/* crypto-cert.c - X.509 certificate objects: parsing, names, key type, SPKI hash, status text */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <gnutls/crypto.h>

#include "crypto-cert-private.h"

const char *
crypto_cert_status_to_string(CryptoCertStatus st)
{
	switch (st) {
	case CRYPTO_CERT_OK:
		return "ok";
	case CRYPTO_CERT_ERR_FILE:
		return "cannot read file";
	case CRYPTO_CERT_ERR_PARSE:
		return "malformed certificate or key";
	case CRYPTO_CERT_ERR_PASSWORD:
		return "wrong or missing password";
	case CRYPTO_CERT_ERR_KEY_MISMATCH:
		return "private key does not match the certificate";
	case CRYPTO_CERT_ERR_TOKEN:
		return "PKCS#11 token error";
	case CRYPTO_CERT_ERR_UNTRUSTED:
		return "untrusted issuer";
	case CRYPTO_CERT_ERR_EXPIRED:
		return "certificate expired";
	case CRYPTO_CERT_ERR_NOT_YET_VALID:
		return "certificate not yet valid";
	case CRYPTO_CERT_ERR_REVOKED:
		return "certificate revoked";
	case CRYPTO_CERT_ERR_BAD_SIGNATURE:
		return "bad signature";
	case CRYPTO_CERT_ERR_INSECURE:
		return "insecure algorithm";
	case CRYPTO_CERT_ERR_CONSTRAINTS:
		return "certificate constraints violated";
	case CRYPTO_CERT_ERR_KEY_USAGE:
		return "key usage does not allow signing";
	case CRYPTO_CERT_ERR_IDENTITY:
		return "identity mismatch";
	case CRYPTO_CERT_ERR_UNSUPPORTED:
		return "not supported";
	case CRYPTO_CERT_ERR_NOMEM:
		return "out of memory";
	case CRYPTO_CERT_ERR_BACKEND:
		return "crypto backend error";
	}
	return "unknown certificate status";
}

const char *
crypto_key_type_to_string(CryptoKeyType type)
{
	switch (type) {
	case CRYPTO_KEY_UNSUPPORTED:
		return "unsupported";
	case CRYPTO_KEY_RSA:
		return "RSA";
	case CRYPTO_KEY_ECDSA_P256:
		return "ECDSA P-256";
	case CRYPTO_KEY_ECDSA_P384:
		return "ECDSA P-384";
	case CRYPTO_KEY_ECDSA_P521:
		return "ECDSA P-521";
	case CRYPTO_KEY_ED25519:
		return "Ed25519";
	}
	return "unknown";
}

CryptoCertStatus
crypto_cert_fail(CryptoCertError *err, CryptoCertStatus status, const char *fmt, ...)
{
	va_list ap;

	if (!err)
		return status;
	err->status = status;
	va_start(ap, fmt);
	vsnprintf(err->message, sizeof(err->message), fmt, ap);
	va_end(ap);
	return status;
}

CryptoCertStatus
crypto_cert_ok(CryptoCertError *err)
{
	if (err) {
		err->status = CRYPTO_CERT_OK;
		err->message[0] = '\0';
	}
	return CRYPTO_CERT_OK;
}

void
crypto_cert_format_time(int64_t t, char *buf, size_t cap)
{
	time_t tt = (time_t)t;
	struct tm tm;

	if (!gmtime_r(&tt, &tm) || strftime(buf, cap, "%Y-%m-%d %H:%M:%S UTC", &tm) == 0)
		snprintf(buf, cap, "@%lld", (long long)t);
}

CryptoCertStatus
crypto_cert_read_file(const char *path, gnutls_datum_t *out, CryptoCertError *err)
{
	struct stat st;
	ssize_t n;
	size_t done = 0;
	int fd, errsv;

	out->data = NULL;
	out->size = 0;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		errsv = errno;
		return crypto_cert_fail(err, CRYPTO_CERT_ERR_FILE, "%s: %s", path, strerror(errsv));
	}
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || st.st_size <= 0 ||
	    st.st_size > CRYPTO_CERT_FILE_MAX) {
		close(fd);
		return crypto_cert_fail(err, CRYPTO_CERT_ERR_FILE,
		                        "%s: not a regular file of 1 to %d bytes", path,
		                        CRYPTO_CERT_FILE_MAX);
	}
	out->data = gnutls_malloc((size_t)st.st_size + 1);
	if (!out->data) {
		close(fd);
		return crypto_cert_fail(err, CRYPTO_CERT_ERR_NOMEM, "%s: out of memory", path);
	}
	while (done < (size_t)st.st_size) {
		n = read(fd, out->data + done, (size_t)st.st_size - done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		done += (size_t)n;
	}
	errsv = errno;
	close(fd);
	if (done != (size_t)st.st_size) {
		gnutls_free(out->data);
		out->data = NULL;
		return crypto_cert_fail(err, CRYPTO_CERT_ERR_FILE, "%s: short read (%s)", path,
		                        strerror(errsv));
	}
	out->data[done] = '\0';
	out->size = (unsigned)done;
	return CRYPTO_CERT_OK;
}

CryptoKeyType
crypto_cert_key_type_of(gnutls_pubkey_t pubkey)
{
	gnutls_ecc_curve_t curve;

	switch (gnutls_pubkey_get_pk_algorithm(pubkey, NULL)) {
	case GNUTLS_PK_RSA:
		return CRYPTO_KEY_RSA;
	case GNUTLS_PK_EDDSA_ED25519:
		return CRYPTO_KEY_ED25519;
	case GNUTLS_PK_ECDSA:
		if (gnutls_pubkey_export_ecc_raw2(pubkey, &curve, NULL, NULL, 0) < 0)
			return CRYPTO_KEY_UNSUPPORTED;
		switch (curve) {
		case GNUTLS_ECC_CURVE_SECP256R1:
			return CRYPTO_KEY_ECDSA_P256;
		case GNUTLS_ECC_CURVE_SECP384R1:
			return CRYPTO_KEY_ECDSA_P384;
		case GNUTLS_ECC_CURVE_SECP521R1:
			return CRYPTO_KEY_ECDSA_P521;
		default:
			return CRYPTO_KEY_UNSUPPORTED;
		}
	default:
		return CRYPTO_KEY_UNSUPPORTED;
	}
}

static char *
dup_dn(gnutls_x509_crt_t crt, bool issuer)
{
	gnutls_datum_t dn = {NULL, 0};
	char *s;
	int ret;

	ret = issuer ? gnutls_x509_crt_get_issuer_dn3(crt, &dn, 0)
	             : gnutls_x509_crt_get_dn3(crt, &dn, 0);
	if (ret < 0 || !dn.data)
		return strdup("(no name)");
	s = strndup((const char *)dn.data, dn.size);
	gnutls_free(dn.data);
	return s;
}

CryptoCertStatus
crypto_cert_new_take(gnutls_x509_crt_t crt, CryptoCert **out, CryptoCertError *err)
{
	CryptoCert *c = calloc(1, sizeof(*c));
	gnutls_datum_t raw = {NULL, 0};

	*out = NULL;
	if (!c) {
		gnutls_x509_crt_deinit(crt);
		return crypto_cert_fail(err, CRYPTO_CERT_ERR_NOMEM, "out of memory");
	}
	c->refs = 1;
	c->crt = crt;
	if (gnutls_x509_crt_export2(crt, GNUTLS_X509_FMT_DER, &c->der) < 0 ||
	    gnutls_x509_crt_get_raw_dn(crt, &raw) < 0) {
		crypto_cert_unref(c);
		return crypto_cert_fail(err, CRYPTO_CERT_ERR_PARSE,
		                        "certificate without a subject");
	}
	c->subject_der.data = gnutls_malloc(raw.size ? raw.size : 1);
	if (c->subject_der.data) {
		memcpy(c->subject_der.data, raw.data, raw.size);
		c->subject_der.size = raw.size;
	}
	gnutls_free(raw.data);
	c->subject = dup_dn(crt, false);
	c->issuer = dup_dn(crt, true);
	if (!c->subject_der.data || !c->subject || !c->issuer) {
		crypto_cert_unref(c);
		return crypto_cert_fail(err, CRYPTO_CERT_ERR_NOMEM, "out of memory");
	}
	if (gnutls_pubkey_init(&c->pubkey) < 0 ||
	    gnutls_pubkey_import_x509(c->pubkey, crt, 0) < 0) {
		crypto_cert_unref(c);
		return crypto_cert_fail(err, CRYPTO_CERT_ERR_PARSE,
		                        "certificate with an unreadable public key");
	}
	c->key_type = crypto_cert_key_type_of(c->pubkey);
	*out = c;
	return crypto_cert_ok(err);
}

CryptoCertStatus
crypto_cert_new_from_der(const uint8_t *der, size_t der_len, CryptoCert **out, CryptoCertError *err)
{
	gnutls_x509_crt_t crt;
	gnutls_datum_t d = {(unsigned char *)der, (unsigned)der_len};

	*out = NULL;
	if (der_len == 0 || der_len > CRYPTO_CERT_DER_MAX)
		return crypto_cert_fail(err, CRYPTO_CERT_ERR_PARSE,
		                        "certificate of %zu bytes (1 to %d allowed)", der_len,
		                        CRYPTO_CERT_DER_MAX);
	if (gnutls_x509_crt_init(&crt) < 0)
		return crypto_cert_fail(err, CRYPTO_CERT_ERR_NOMEM, "out of memory");
	if (gnutls_x509_crt_import(crt, &d, GNUTLS_X509_FMT_DER) < 0) {
		gnutls_x509_crt_deinit(crt);
		return crypto_cert_fail(err, CRYPTO_CERT_ERR_PARSE, "malformed X.509 certificate");
	}
	return crypto_cert_new_take(crt, out, err);
}

CryptoCertStatus
crypto_cert_new_from_file(const char *path, CryptoCert **out, CryptoCertError *err)
{
	gnutls_datum_t data;
	gnutls_x509_crt_t *list = NULL;
	unsigned n = 0;
	CryptoCertStatus st;
	int ret;

	*out = NULL;
	st = crypto_cert_read_file(path, &data, err);
	if (st != CRYPTO_CERT_OK)
		return st;
	ret = gnutls_x509_crt_list_import2(&list, &n, &data, GNUTLS_X509_FMT_PEM, 0);
	if (ret < 0)
		ret = gnutls_x509_crt_list_import2(&list, &n, &data, GNUTLS_X509_FMT_DER, 0);
	gnutls_free(data.data);
	if (ret < 0 || n == 0)
		return crypto_cert_fail(err, CRYPTO_CERT_ERR_FILE, "%s: no X.509 certificate (%s)",
		                        path, gnutls_strerror(ret));
	for (unsigned i = 1; i < n; i++)
		gnutls_x509_crt_deinit(list[i]);
	st = crypto_cert_new_take(list[0], out, err);
	gnutls_free(list);
	return st;
}

CryptoCert *
crypto_cert_ref(CryptoCert *cert)
{
	if (cert)
		cert->refs++;
	return cert;
}

void
crypto_cert_unref(CryptoCert *cert)
{
	if (!cert || --cert->refs > 0)
		return;
	if (cert->pubkey)
		gnutls_pubkey_deinit(cert->pubkey);
	gnutls_x509_crt_deinit(cert->crt);
	gnutls_free(cert->der.data);
	gnutls_free(cert->subject_der.data);
	free(cert->subject);
	free(cert->issuer);
	free(cert);
}

FerrySpan
crypto_cert_get_der(const CryptoCert *cert)
{
	return FERRY_SPAN(cert->der.data, cert->der.size);
}

FerrySpan
crypto_cert_get_subject_der(const CryptoCert *cert)
{
	return FERRY_SPAN(cert->subject_der.data, cert->subject_der.size);
}

const char *
crypto_cert_get_subject(const CryptoCert *cert)
{
	return cert->subject;
}

const char *
crypto_cert_get_issuer(const CryptoCert *cert)
{
	return cert->issuer;
}

CryptoKeyType
crypto_cert_get_key_type(const CryptoCert *cert)
{
	return cert->key_type;
}

gnutls_pubkey_t
crypto_cert_get_pubkey(const CryptoCert *cert)
{
	return cert->pubkey;
}

CryptoCertStatus
crypto_cert_get_spki_sha1(const CryptoCert *cert, uint8_t out[20])
{
	gnutls_datum_t spki = {NULL, 0};
	int ret;

	/* RFC 7296 §3.7: SHA-1 hash of the Subject Public Key Info element of the CA cert. */
	if (gnutls_pubkey_export2(cert->pubkey, GNUTLS_X509_FMT_DER, &spki) < 0)
		return CRYPTO_CERT_ERR_BACKEND;
	ret = gnutls_hash_fast(GNUTLS_DIG_SHA1, spki.data, spki.size, out);
	gnutls_free(spki.data);
	return ret < 0 ? CRYPTO_CERT_ERR_BACKEND : CRYPTO_CERT_OK;
}

bool
crypto_certreq_lists(const uint8_t *ca_field, size_t ca_len, const uint8_t spki_sha1[20])
{
	if (ca_len % 20 != 0)
		return false;
	for (size_t off = 0; off < ca_len; off += 20) {
		if (memcmp(ca_field + off, spki_sha1, 20) == 0)
			return true;
	}
	return false;
}
