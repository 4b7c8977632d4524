/* crypto-cert-chain.c - trust anchors, CERTREQ hashes and verification of the gateway's chain
 * (RFC 7296 §3.6-3.7, RFC 5280 §6 through GnuTLS, RFC 4945 §5 profile checks) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crypto-cert-private.h"

#define TRUST_CA_MAX 1024 /* CAs listed from files: more would not fit a CERTREQ anyway */
#define PIN_MAX      8

struct CryptoTrust {
	/* owned */
	gnutls_x509_trust_list_t list;
	CryptoCert *cas[TRUST_CA_MAX]; /* added from files or DER: their hashes go in CERTREQ */
	size_t n_cas;
	CryptoCert *pinned[PIN_MAX];
	size_t n_pinned;
	bool system;
};

CryptoTrust *
crypto_trust_new(void)
{
	CryptoTrust *t = calloc(1, sizeof(*t));

	if (!t)
		return NULL;
	if (gnutls_x509_trust_list_init(&t->list, 0) < 0) {
		free(t);
		return NULL;
	}
	return t;
}

void
crypto_trust_free(CryptoTrust *trust)
{
	if (!trust)
		return;
	gnutls_x509_trust_list_deinit(trust->list, 1);
	for (size_t i = 0; i < trust->n_cas; i++)
		crypto_cert_unref(trust->cas[i]);
	for (size_t i = 0; i < trust->n_pinned; i++)
		crypto_cert_unref(trust->pinned[i]);
	free(trust);
}

/* Parses `data` (PEM with one or more certificates, or DER) into a list of CryptoCerts. */
static CryptoCertStatus
import_list(const gnutls_datum_t *data,
            const char *what,
            CryptoCert **out,
            size_t cap,
            size_t *n_out,
            CryptoCertError *err)
{
	gnutls_x509_crt_t *list = NULL;
	unsigned n = 0;
	CryptoCertStatus st = CRYPTO_CERT_OK;
	int ret;

	*n_out = 0;
	ret = gnutls_x509_crt_list_import2(&list, &n, data, GNUTLS_X509_FMT_PEM, 0);
	if (ret < 0)
		ret = gnutls_x509_crt_list_import2(&list, &n, data, GNUTLS_X509_FMT_DER, 0);
	if (ret < 0 || n == 0)
		return crypto_cert_fail(err, CRYPTO_CERT_ERR_FILE, "%s: no X.509 certificate (%s)",
		                        what, gnutls_strerror(ret));
	for (unsigned i = 0; i < n; i++) {
		if (st != CRYPTO_CERT_OK || *n_out >= cap) {
			gnutls_x509_crt_deinit(list[i]);
			continue;
		}
		st = crypto_cert_new_take(list[i], &out[*n_out], err);
		if (st == CRYPTO_CERT_OK)
			(*n_out)++;
	}
	gnutls_free(list);
	if (st != CRYPTO_CERT_OK) {
		while (*n_out > 0)
			crypto_cert_unref(out[--*n_out]);
	}
	return st;
}

static CryptoCertStatus
add_cas(CryptoTrust *trust, const gnutls_datum_t *data, const char *what, CryptoCertError *err)
{
	CryptoCert *certs[TRUST_CA_MAX];
	size_t n;
	CryptoCertStatus st;

	st = import_list(data, what, certs, TRUST_CA_MAX - trust->n_cas, &n, err);
	if (st != CRYPTO_CERT_OK)
		return st;
	for (size_t i = 0; i < n; i++) {
		gnutls_datum_t der = certs[i]->der;

		/* the list keeps its own parsed copy; ours serves CERTREQ and messages */
		if (gnutls_x509_trust_list_add_trust_mem(trust->list, &der, NULL,
		                                         GNUTLS_X509_FMT_DER, 0, 0) < 0) {
			st = crypto_cert_fail(err, CRYPTO_CERT_ERR_BACKEND,
			                      "%s: cannot add CA '%s'", what, certs[i]->subject);
			crypto_cert_unref(certs[i]);
			continue;
		}
		trust->cas[trust->n_cas++] = certs[i];
	}
	return st == CRYPTO_CERT_OK ? crypto_cert_ok(err) : st;
}

CryptoCertStatus
crypto_trust_add_file(CryptoTrust *trust, const char *path, CryptoCertError *err)
{
	gnutls_datum_t data;
	CryptoCertStatus st = crypto_cert_read_file(path, &data, err);

	if (st != CRYPTO_CERT_OK)
		return st;
	st = add_cas(trust, &data, path, err);
	gnutls_free(data.data);
	return st;
}

CryptoCertStatus
crypto_trust_add_der(CryptoTrust *trust, const uint8_t *der, size_t der_len, CryptoCertError *err)
{
	gnutls_datum_t data = {(unsigned char *)der, (unsigned)der_len};

	if (der_len == 0 || der_len > CRYPTO_CERT_DER_MAX)
		return crypto_cert_fail(err, CRYPTO_CERT_ERR_PARSE, "CA certificate of %zu bytes",
		                        der_len);
	return add_cas(trust, &data, "CA certificate", err);
}

CryptoCertStatus
crypto_trust_add_system(CryptoTrust *trust, CryptoCertError *err)
{
	int ret = gnutls_x509_trust_list_add_system_trust(trust->list, 0, 0);

	if (ret <= 0)
		return crypto_cert_fail(err, CRYPTO_CERT_ERR_FILE,
		                        "the system trust store has no CA certificates (%s)",
		                        ret < 0 ? gnutls_strerror(ret) : "empty");
	trust->system = true;
	return crypto_cert_ok(err);
}

CryptoCertStatus
crypto_trust_add_pinned_file(CryptoTrust *trust, const char *path, CryptoCertError *err)
{
	CryptoCert *cert;
	CryptoCertStatus st;

	if (trust->n_pinned >= PIN_MAX)
		return crypto_cert_fail(err, CRYPTO_CERT_ERR_UNSUPPORTED,
		                        "%s: at most %d pinned certificates", path, PIN_MAX);
	st = crypto_cert_new_from_file(path, &cert, err);
	if (st == CRYPTO_CERT_OK)
		trust->pinned[trust->n_pinned++] = cert;
	return st;
}

size_t
crypto_trust_get_n_cas(const CryptoTrust *trust)
{
	return trust->n_cas;
}

bool
crypto_trust_uses_system(const CryptoTrust *trust)
{
	return trust->system;
}

CryptoCertStatus
crypto_trust_certreq(const CryptoTrust *trust, uint8_t *out, size_t cap, size_t *out_len)
{
	uint8_t hash[20];
	size_t len = 0;

	*out_len = 0;
	for (size_t i = 0; i < trust->n_cas; i++) {
		if (crypto_cert_get_spki_sha1(trust->cas[i], hash) != CRYPTO_CERT_OK)
			return CRYPTO_CERT_ERR_BACKEND;
		if (crypto_certreq_lists(out, len, hash))
			continue; /* the same CA key twice (re-issued CA certificate) */
		if (len + sizeof(hash) > cap)
			return CRYPTO_CERT_ERR_NOMEM;
		memcpy(out + len, hash, sizeof(hash));
		len += sizeof(hash);
	}
	*out_len = len;
	return CRYPTO_CERT_OK;
}

/* ---- verification ----------------------------------------------------------------------- */

static char *
dn_text(gnutls_x509_crt_t crt, bool issuer, char *buf, size_t cap)
{
	gnutls_datum_t dn = {NULL, 0};
	int ret = issuer ? gnutls_x509_crt_get_issuer_dn3(crt, &dn, 0)
	                 : gnutls_x509_crt_get_dn3(crt, &dn, 0);

	if (ret < 0 || !dn.data) {
		snprintf(buf, cap, "(no name)");
	} else {
		snprintf(buf, cap, "%.*s", (int)dn.size, (const char *)dn.data);
		gnutls_free(dn.data);
	}
	return buf;
}

static CryptoCertStatus
check_time(gnutls_x509_crt_t crt, int64_t now, CryptoCertError *err)
{
	int64_t from = gnutls_x509_crt_get_activation_time(crt);
	int64_t until = gnutls_x509_crt_get_expiration_time(crt);
	char name[256], a[40], b[40];

	if (from == -1 || until == -1)
		return crypto_cert_fail(err, CRYPTO_CERT_ERR_PARSE,
		                        "certificate '%s' has unreadable validity dates",
		                        dn_text(crt, false, name, sizeof(name)));
	crypto_cert_format_time(from, a, sizeof(a));
	crypto_cert_format_time(until, b, sizeof(b));
	/* RFC 5280 §4.1.2.5: valid from notBefore through notAfter, both inclusive. */
	if (now < from)
		return crypto_cert_fail(err, CRYPTO_CERT_ERR_NOT_YET_VALID,
		                        "certificate '%s' is not valid yet: valid from %s until %s",
		                        dn_text(crt, false, name, sizeof(name)), a, b);
	if (now > until)
		return crypto_cert_fail(err, CRYPTO_CERT_ERR_EXPIRED,
		                        "certificate '%s' expired on %s (valid from %s)",
		                        dn_text(crt, false, name, sizeof(name)), b, a);
	return CRYPTO_CERT_OK;
}

/* Extended key usages acceptable for an IKE peer (RFC 4945 §5.1.3.12). */
static const char *const ike_purposes[] = {
	"1.3.6.1.5.5.7.3.17", /* id-kp-ipsecIKE (RFC 4945) */
	"2.5.29.37.0",        /* anyExtendedKeyUsage */
	"1.3.6.1.5.5.7.3.1",  /* id-kp-serverAuth: what most gateway certificates carry */
	"1.3.6.1.5.5.7.3.2",  /* id-kp-clientAuth */
	"1.3.6.1.5.5.8.2.2",  /* iKEIntermediate (legacy) */
};

static CryptoCertStatus
check_key_usage(gnutls_x509_crt_t crt, CryptoCertError *err)
{
	unsigned ku = 0, critical = 0, eku_critical = 0;
	bool eku_present = false, eku_ok = false;
	char oid[128], name[256];
	size_t len;
	int ret;

	ret = gnutls_x509_crt_get_key_usage(crt, &ku, &critical);
	/* RFC 4945 §5.1.3.2: digitalSignature or nonRepudiation when keyUsage is present */
	if (ret >= 0 && !(ku & (GNUTLS_KEY_DIGITAL_SIGNATURE | GNUTLS_KEY_NON_REPUDIATION)))
		return crypto_cert_fail(err, CRYPTO_CERT_ERR_KEY_USAGE,
		                        "certificate '%s' does not allow signing (keyUsage has "
		                        "neither digitalSignature nor nonRepudiation)",
		                        dn_text(crt, false, name, sizeof(name)));
	for (unsigned i = 0; i < 64; i++) {
		len = sizeof(oid);
		ret = gnutls_x509_crt_get_key_purpose_oid(crt, i, oid, &len, &critical);
		if (ret < 0)
			break;
		eku_present = true;
		eku_critical |= critical;
		for (size_t k = 0; k < sizeof(ike_purposes) / sizeof(ike_purposes[0]); k++)
			eku_ok |= strcmp(oid, ike_purposes[k]) == 0;
	}
	/* RFC 4945 §5.1.3.12: a critical EKU without an IKE-compatible purpose is refused */
	if (eku_present && eku_critical && !eku_ok)
		return crypto_cert_fail(err, CRYPTO_CERT_ERR_KEY_USAGE,
		                        "certificate '%s' has a critical extendedKeyUsage that "
		                        "does not allow IKE",
		                        dn_text(crt, false, name, sizeof(name)));
	return CRYPTO_CERT_OK;
}

static CryptoCertStatus
map_gnutls_status(unsigned status, gnutls_x509_crt_t *path, size_t n, CryptoCertError *err)
{
	char name[256], issuer[256];
	gnutls_datum_t text = {NULL, 0};
	CryptoCertStatus st;

	dn_text(path[0], false, name, sizeof(name));
	dn_text(path[n - 1], true, issuer, sizeof(issuer));
	if (status & GNUTLS_CERT_REVOKED)
		return crypto_cert_fail(err, CRYPTO_CERT_ERR_REVOKED,
		                        "certificate '%s' (or one of its CAs) is revoked", name);
	if (status & GNUTLS_CERT_SIGNATURE_FAILURE)
		return crypto_cert_fail(err, CRYPTO_CERT_ERR_BAD_SIGNATURE,
		                        "bad signature in the chain of certificate '%s' (issuer "
		                        "'%s')",
		                        name, issuer);
	if (status & GNUTLS_CERT_INSECURE_ALGORITHM)
		return crypto_cert_fail(err, CRYPTO_CERT_ERR_INSECURE,
		                        "the chain of certificate '%s' is signed with an insecure "
		                        "algorithm",
		                        name);
	if (status & GNUTLS_CERT_SIGNER_NOT_FOUND)
		return crypto_cert_fail(err, CRYPTO_CERT_ERR_UNTRUSTED,
		                        "untrusted issuer: '%s' (of certificate '%s') is not a "
		                        "trusted CA",
		                        issuer, name);
	if (status & (GNUTLS_CERT_SIGNER_NOT_CA | GNUTLS_CERT_SIGNER_CONSTRAINTS_FAILURE))
		return crypto_cert_fail(err, CRYPTO_CERT_ERR_CONSTRAINTS,
		                        "a CA in the chain of certificate '%s' is not allowed to "
		                        "issue it (basic or name constraints, path length)",
		                        name);
	st = CRYPTO_CERT_ERR_UNTRUSTED;
	if (gnutls_certificate_verification_status_print(status, GNUTLS_CRT_X509, &text, 0) >= 0) {
		crypto_cert_fail(err, st, "certificate '%s' not trusted: %.*s", name,
		                 (int)text.size, (const char *)text.data);
		gnutls_free(text.data);
		return st;
	}
	return crypto_cert_fail(err, st, "certificate '%s' not trusted", name);
}

/* Orders the received certificates into a path: end entity, its issuer, that one's issuer ...
 * Certificates that are no one's issuer are left out. */
static size_t
build_path(gnutls_x509_crt_t *certs, size_t n, gnutls_x509_crt_t *path)
{
	bool used[CRYPTO_CERT_CHAIN_MAX] = {true};
	size_t k = 1;

	path[0] = certs[0];
	while (k < n && !gnutls_x509_crt_check_issuer(path[k - 1], path[k - 1])) {
		size_t j;

		for (j = 1; j < n; j++) {
			if (!used[j] && gnutls_x509_crt_check_issuer(path[k - 1], certs[j]))
				break;
		}
		if (j == n)
			break;
		used[j] = true;
		path[k++] = certs[j];
	}
	return k;
}

static CryptoCertStatus
check_path_times(const CryptoTrust *trust,
                 gnutls_x509_crt_t *path,
                 size_t k,
                 int64_t now,
                 CryptoCertError *err)
{
	gnutls_x509_crt_t anchor = NULL;
	CryptoCertStatus st = CRYPTO_CERT_OK;

	for (size_t i = 0; i < k && st == CRYPTO_CERT_OK; i++)
		st = check_time(path[i], now, err);
	if (st != CRYPTO_CERT_OK)
		return st;
	if (gnutls_x509_trust_list_get_issuer(trust->list, path[k - 1], &anchor,
	                                      GNUTLS_TL_GET_COPY) >= 0 &&
	    anchor) {
		st = check_time(anchor, now, err);
		gnutls_x509_crt_deinit(anchor);
	}
	return st;
}

static bool
is_pinned(const CryptoTrust *trust, const FerrySpan der)
{
	for (size_t i = 0; i < trust->n_pinned; i++) {
		if (ferry_span_equal(crypto_cert_get_der(trust->pinned[i]), der))
			return true;
	}
	return false;
}

static CryptoCertStatus
verify_parsed(const CryptoTrust *trust,
              gnutls_x509_crt_t *certs,
              size_t n,
              bool pinned,
              int64_t now,
              CryptoCertError *err)
{
	gnutls_x509_crt_t path[CRYPTO_CERT_CHAIN_MAX];
	unsigned status = 0;
	size_t k;
	CryptoCertStatus st;

	if (pinned) {
		st = check_time(certs[0], now, err);
		return st != CRYPTO_CERT_OK ? st : check_key_usage(certs[0], err);
	}
	k = build_path(certs, n, path);
	/* Times are checked below against `now`, with the dates in the message. */
	if (gnutls_x509_trust_list_verify_crt2(trust->list, path, (unsigned)k, NULL, 0,
	                                       GNUTLS_VERIFY_DISABLE_TIME_CHECKS |
	                                               GNUTLS_VERIFY_DISABLE_TRUSTED_TIME_CHECKS,
	                                       &status, NULL) < 0)
		return crypto_cert_fail(err, CRYPTO_CERT_ERR_BACKEND,
		                        "certificate verification failed to run");
	if (status != 0)
		return map_gnutls_status(status, path, k, err);
	st = check_path_times(trust, path, k, now, err);
	return st != CRYPTO_CERT_OK ? st : check_key_usage(certs[0], err);
}

CryptoCertStatus
crypto_cert_verify_chain(const CryptoTrust *trust,
                         const FerrySpan *certs,
                         size_t n_certs,
                         int64_t now,
                         CryptoCert **end_entity,
                         CryptoCertError *err)
{
	gnutls_x509_crt_t parsed[CRYPTO_CERT_CHAIN_MAX];
	size_t n = 0;
	CryptoCertStatus st = CRYPTO_CERT_OK;

	*end_entity = NULL;
	if (n_certs == 0)
		return crypto_cert_fail(err, CRYPTO_CERT_ERR_PARSE,
		                        "the gateway sent no certificate");
	if (n_certs > CRYPTO_CERT_CHAIN_MAX)
		return crypto_cert_fail(err, CRYPTO_CERT_ERR_CONSTRAINTS,
		                        "the gateway sent %zu certificates (at most %d accepted)",
		                        n_certs, CRYPTO_CERT_CHAIN_MAX);
	for (; n < n_certs; n++) {
		gnutls_datum_t d = {(unsigned char *)certs[n].data, (unsigned)certs[n].len};

		if (certs[n].len == 0 || certs[n].len > CRYPTO_CERT_DER_MAX) {
			st = crypto_cert_fail(err, CRYPTO_CERT_ERR_PARSE,
			                      "certificate %zu of the gateway has %zu bytes", n + 1,
			                      certs[n].len);
			break;
		}
		if (gnutls_x509_crt_init(&parsed[n]) < 0) {
			st = crypto_cert_fail(err, CRYPTO_CERT_ERR_NOMEM, "out of memory");
			break;
		}
		if (gnutls_x509_crt_import(parsed[n], &d, GNUTLS_X509_FMT_DER) < 0) {
			gnutls_x509_crt_deinit(parsed[n]);
			st = crypto_cert_fail(err, CRYPTO_CERT_ERR_PARSE,
			                      "certificate %zu of the gateway is malformed", n + 1);
			break;
		}
	}
	if (st == CRYPTO_CERT_OK)
		st = verify_parsed(trust, parsed, n, is_pinned(trust, certs[0]), now, err);
	if (st == CRYPTO_CERT_OK) {
		st = crypto_cert_new_take(parsed[0], end_entity, err);
		parsed[0] = NULL;
	}
	for (size_t i = 0; i < n; i++) {
		if (parsed[i])
			gnutls_x509_crt_deinit(parsed[i]);
	}
	return st;
}
