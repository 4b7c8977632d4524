/* test-cert-chain.c - trust anchors, chain verification and CERTREQ (RFC 7296 §3.6-3.7) */
#include <string.h>
#include <time.h>

#include "cert-test.h"
#include "crypto-cert.h"

/* One verification: CA files trusted, certificates sent (first = end entity), expectation. */
typedef struct {
	const char *name;
	const char *cas[3];
	const char *sent[4];
	CryptoCertStatus want;
	const char *message_has[3]; /* substrings the message must contain */
	const char *pinned;
} ChainCase;

/* clang-format 14.0.6 crashes aligning these nested initializers */
/* clang-format off */
static const ChainCase chain_cases[] = {
	{"rsa", {"rsa-ca.crt"}, {"gw-rsa.crt"}, CRYPTO_CERT_OK},
	{"ca-der-file", {"rsa-ca.der"}, {"gw-rsa.crt"}, CRYPTO_CERT_OK},
	{"ecdsa-intermediate", {"ec-root.crt"}, {"gw-ec384.crt", "ec-int.crt"}, CRYPTO_CERT_OK},
	/* RFC 7296 §3.6: only the first CERT is fixed; the others may come in any order */
	{"unordered-extra",
	 {"ec-root.crt"},
	 {"gw-ec384.crt", "rsa-ca.crt", "ec-int.crt"},
	 CRYPTO_CERT_OK},
	{"intermediate-trusted", {"ec-int.crt", "ec-root.crt"}, {"gw-ec384.crt"}, CRYPTO_CERT_OK},
	{"ed25519", {"ed-ca.crt"}, {"gw-ed25519.crt"}, CRYPTO_CERT_OK},
	{"several-cas", {"ed-ca.crt", "rsa-ca.crt", "ec-root.crt"}, {"gw-rsa.crt"}, CRYPTO_CERT_OK},
	{"missing-intermediate",
	 {"ec-root.crt"},
	 {"gw-ec384.crt"},
	 CRYPTO_CERT_ERR_UNTRUSTED,
	 {"untrusted issuer", "Ferry ECDSA Intermediate CA"}},
	{"untrusted-ca",
	 {"rsa-ca.crt"},
	 {"gw-evil.crt"},
	 CRYPTO_CERT_ERR_UNTRUSTED,
	 {"Untrusted Evil CA", "CN=vpn.example.com"}},
	{"wrong-ca",
	 {"ec-root.crt"},
	 {"gw-rsa.crt"},
	 CRYPTO_CERT_ERR_UNTRUSTED,
	 {"Ferry RSA Root CA"}},
	{"expired",
	 {"rsa-ca.crt"},
	 {"gw-rsa-expired.crt"},
	 CRYPTO_CERT_ERR_EXPIRED,
	 {"expired on 2021-01-01 00:00:00 UTC", "valid from 2020-01-01 00:00:00 UTC",
	  "CN=vpn.example.com"}},
	{"not-yet-valid",
	 {"rsa-ca.crt"},
	 {"gw-rsa-future.crt"},
	 CRYPTO_CERT_ERR_NOT_YET_VALID,
	 {"valid from 2099-01-01 00:00:00 UTC until 2099-12-31 00:00:00 UTC"}},
	{"issuer-not-ca",
	 {"rsa-ca.crt"},
	 {"gw-sub.crt", "gw-rsa.crt"},
	 CRYPTO_CERT_ERR_CONSTRAINTS,
	 {"sub.example.com"}},
	{"key-usage-no-signing",
	 {"rsa-ca.crt"},
	 {"gw-rsa-nosign.crt"},
	 CRYPTO_CERT_ERR_KEY_USAGE,
	 {"digitalSignature"}},
	{"pinned-untrusted-ca",
	 {"rsa-ca.crt"},
	 {"gw-evil.crt"},
	 CRYPTO_CERT_OK,
	 {NULL},
	 "gw-evil.crt"},
	{"pinned-other",
	 {"rsa-ca.crt"},
	 {"gw-evil.crt"},
	 CRYPTO_CERT_ERR_UNTRUSTED,
	 {NULL},
	 "gw-rsa.crt"},
};
/* clang-format on */

static CryptoTrust *
trust_from(const char *const *cas)
{
	CryptoTrust *trust = crypto_trust_new();
	CryptoCertError err;

	g_assert_nonnull(trust);
	for (size_t i = 0; i < 3 && cas[i]; i++) {
		g_autofree char *path = cert_test_pki_path(cas[i]);

		g_assert_cmpint(crypto_trust_add_file(trust, path, &err), ==, CRYPTO_CERT_OK);
		g_assert_cmpstr(err.message, ==, "");
	}
	return trust;
}

static void
test_chain(gconstpointer data)
{
	const ChainCase *c = data;
	CryptoTrust *trust = trust_from(c->cas);
	GBytes *der[4] = {NULL};
	FerrySpan spans[4];
	size_t n = 0;
	CryptoCert *ee = NULL;
	CryptoCertError err;
	CryptoCertStatus st;

	if (c->pinned) {
		g_autofree char *path = cert_test_pki_path(c->pinned);

		g_assert_cmpint(crypto_trust_add_pinned_file(trust, path, NULL), ==,
		                CRYPTO_CERT_OK);
	}
	for (; n < 4 && c->sent[n]; n++) {
		der[n] = cert_test_pki_der(c->sent[n]);
		spans[n] = FERRY_SPAN(g_bytes_get_data(der[n], NULL), g_bytes_get_size(der[n]));
	}
	st = crypto_cert_verify_chain(trust, spans, n, (int64_t)time(NULL), &ee, &err);
	g_test_message("%s: %s", crypto_cert_status_to_string(st), err.message);
	g_assert_cmpint(st, ==, c->want);
	g_assert_cmpint(err.status, ==, c->want);
	if (c->want == CRYPTO_CERT_OK) {
		g_assert_nonnull(ee);
		g_assert_true(ferry_span_equal(crypto_cert_get_der(ee), spans[0]));
		g_assert_nonnull(strstr(crypto_cert_get_subject(ee), "CN=vpn.example.com"));
	} else {
		g_assert_null(ee);
		g_assert_cmpstr(err.message, !=, "");
	}
	for (size_t i = 0; i < 3 && c->message_has[i]; i++) {
		if (!strstr(err.message, c->message_has[i]))
			g_error("message '%s' lacks '%s'", err.message, c->message_has[i]);
	}
	crypto_cert_unref(ee);
	for (size_t i = 0; i < n; i++)
		g_bytes_unref(der[i]);
	crypto_trust_free(trust);
}

static int64_t
cert_time(const char *name, gboolean not_after)
{
	g_autofree char *path = cert_test_pki_path(name);
	g_autofree char *out = NULL;
	const char *argv[] = {
		"openssl", "x509",     "-in",      path,
		"-noout",  "-dateopt", "iso_8601", not_after ? "-enddate" : "-startdate",
		NULL};
	g_autoptr(GDateTime) dt = NULL;
	char *eq;

	out = cert_test_run(argv);
	eq = strchr(out, '=');
	g_assert_nonnull(eq);
	g_strstrip(eq + 1);
	/* "2020-01-01 00:00:00Z" */
	eq[11] = 'T';
	dt = g_date_time_new_from_iso8601(eq + 1, NULL);
	g_assert_nonnull(dt);
	return g_date_time_to_unix(dt);
}

/* RFC 5280 §4.1.2.5: valid from notBefore through notAfter inclusive, judged at `now`. */
static void
test_chain_time_boundaries(void)
{
	const char *cas[3] = {"rsa-ca.crt"};
	CryptoTrust *trust = trust_from(cas);
	g_autoptr(GBytes) der = cert_test_pki_der("gw-rsa-expired.crt");
	FerrySpan span = FERRY_SPAN(g_bytes_get_data(der, NULL), g_bytes_get_size(der));
	int64_t from = cert_time("gw-rsa-expired.crt", FALSE);
	int64_t until = cert_time("gw-rsa-expired.crt", TRUE);
	int64_t ca_from = cert_time("rsa-ca.crt", FALSE);
	/* clang-format off */
	const struct {
		int64_t now;
		CryptoCertStatus want;
	} rows[] = {
		{from - 1, CRYPTO_CERT_ERR_NOT_YET_VALID},
		{from, CRYPTO_CERT_OK},
		{until, CRYPTO_CERT_OK},
		{until + 1, CRYPTO_CERT_ERR_EXPIRED},
	};
	/* clang-format on */

	/* The CA itself was made today: before that, the CA is what is not yet valid. */
	g_assert_cmpint(ca_from, >, until);
	for (size_t i = 0; i < G_N_ELEMENTS(rows); i++) {
		CryptoCert *ee = NULL;
		CryptoCertError err;
		CryptoCertStatus st =
			crypto_cert_verify_chain(trust, &span, 1, rows[i].now, &ee, &err);
		CryptoCertStatus want = rows[i].want;

		if (want == CRYPTO_CERT_OK) {
			/* the end entity passes; the CA, issued later, is the one not yet valid */
			want = CRYPTO_CERT_ERR_NOT_YET_VALID;
			g_assert_nonnull(strstr(err.message, "Ferry RSA Root CA"));
		}
		g_test_message("row %zu: %s", i, err.message);
		g_assert_cmpint(st, ==, want);
		crypto_cert_unref(ee);
	}
	crypto_trust_free(trust);
}

static void
test_chain_bad_signature(void)
{
	const char *cas[3] = {"rsa-ca.crt"};
	CryptoTrust *trust = trust_from(cas);
	g_autoptr(GBytes) der = cert_test_pki_der("gw-rsa.crt");
	gsize len;
	g_autofree guint8 *bad = g_memdup2(g_bytes_get_data(der, &len), g_bytes_get_size(der));
	FerrySpan span = FERRY_SPAN(bad, len);
	CryptoCert *ee = NULL;
	CryptoCertError err;

	bad[len - 1] ^= 0x01; /* last byte of the signature value */
	g_assert_cmpint(crypto_cert_verify_chain(trust, &span, 1, time(NULL), &ee, &err), ==,
	                CRYPTO_CERT_ERR_BAD_SIGNATURE);
	g_assert_null(ee);
	g_assert_nonnull(strstr(err.message, "bad signature"));
	g_assert_nonnull(strstr(err.message, "Ferry RSA Root CA"));
	crypto_trust_free(trust);
}

static void
test_chain_malformed(void)
{
	const char *cas[3] = {"rsa-ca.crt"};
	CryptoTrust *trust = trust_from(cas);
	g_autoptr(GBytes) der = cert_test_pki_der("gw-rsa.crt");
	const guint8 garbage[] = {0x30, 0x82, 0x01, 0x00, 0x02};
	FerrySpan spans[CRYPTO_CERT_CHAIN_MAX + 1];
	CryptoCert *ee = NULL;
	CryptoCertError err;

	for (size_t i = 0; i < G_N_ELEMENTS(spans); i++)
		spans[i] = FERRY_SPAN(g_bytes_get_data(der, NULL), g_bytes_get_size(der));
	g_assert_cmpint(crypto_cert_verify_chain(trust, spans, 0, time(NULL), &ee, &err), ==,
	                CRYPTO_CERT_ERR_PARSE);
	g_assert_cmpint(
		crypto_cert_verify_chain(trust, spans, G_N_ELEMENTS(spans), time(NULL), &ee, &err),
		==, CRYPTO_CERT_ERR_CONSTRAINTS);
	/* the full limit is fine (duplicates are simply unused) */
	g_assert_cmpint(crypto_cert_verify_chain(trust, spans, CRYPTO_CERT_CHAIN_MAX, time(NULL),
	                                         &ee, &err),
	                ==, CRYPTO_CERT_OK);
	crypto_cert_unref(ee);
	ee = NULL;
	spans[1] = FERRY_SPAN(garbage, sizeof(garbage));
	g_assert_cmpint(crypto_cert_verify_chain(trust, spans, 2, time(NULL), &ee, &err), ==,
	                CRYPTO_CERT_ERR_PARSE);
	g_assert_nonnull(strstr(err.message, "certificate 2"));
	spans[0] = FERRY_SPAN(garbage, 0);
	g_assert_cmpint(crypto_cert_verify_chain(trust, spans, 1, time(NULL), &ee, &err), ==,
	                CRYPTO_CERT_ERR_PARSE);
	g_assert_null(ee);
	crypto_trust_free(trust);
}

static void
test_trust_file_errors(void)
{
	CryptoTrust *trust = crypto_trust_new();
	g_autofree char *missing = cert_test_pki_path("no-such-ca.crt");
	g_autofree char *key = cert_test_pki_path("rsa-ca.key");
	CryptoCertError err;

	g_assert_cmpint(crypto_trust_add_file(trust, missing, &err), ==, CRYPTO_CERT_ERR_FILE);
	g_assert_nonnull(strstr(err.message, "no-such-ca.crt"));
	g_assert_cmpint(crypto_trust_add_file(trust, key, &err), ==, CRYPTO_CERT_ERR_FILE);
	g_assert_nonnull(strstr(err.message, "no X.509 certificate"));
	g_assert_cmpint(crypto_trust_add_der(trust, (const guint8 *)"\x30\x00", 2, &err), ==,
	                CRYPTO_CERT_ERR_FILE);
	g_assert_cmpuint(crypto_trust_get_n_cas(trust), ==, 0);
	crypto_trust_free(trust);
}

static void
spki_sha1_by_pki(const char *name, guint8 out[20])
{
	g_autofree char *path = cert_test_pki_path(name);
	const char *argv[] = {"pki",  "--keyid", "--type",   "x509", "--in", path,
	                      "--id", "spki",    "--format", "hex",  NULL};
	g_autofree char *hex = cert_test_run(argv);

	g_strstrip(hex);
	g_assert_cmpuint(strlen(hex), ==, 40);
	for (size_t i = 0; i < 20; i++) {
		char byte[3] = {hex[2 * i], hex[2 * i + 1], 0};

		out[i] = (guint8)g_ascii_strtoull(byte, NULL, 16);
	}
}

/* RFC 7296 §3.7: CERTREQ lists SHA-1 hashes of the CAs' SubjectPublicKeyInfo; checked against
 * strongSwan's own `pki --keyid --id spki`. */
static void
test_certreq(void)
{
	const char *cas[3] = {"rsa-ca.crt", "ec-root.crt", "rsa-ca.der"};
	CryptoTrust *trust = trust_from(cas);
	guint8 out[80], want_rsa[20], want_ec[20];
	size_t len = 0;

	spki_sha1_by_pki("rsa-ca.crt", want_rsa);
	spki_sha1_by_pki("ec-root.crt", want_ec);
	g_assert_cmpuint(crypto_trust_get_n_cas(trust), ==, 3);
	g_assert_false(crypto_trust_uses_system(trust));
	g_assert_cmpint(crypto_trust_certreq(trust, out, sizeof(out), &len), ==, CRYPTO_CERT_OK);
	/* the same CA twice (PEM and DER) is listed once */
	g_assert_cmpuint(len, ==, 40);
	g_assert_cmpmem(out, 20, want_rsa, 20);
	g_assert_cmpmem(out + 20, 20, want_ec, 20);
	g_assert_true(crypto_certreq_lists(out, len, want_ec));
	g_assert_false(crypto_certreq_lists(out, len - 1, want_ec));
	g_assert_cmpint(crypto_trust_certreq(trust, out, 39, &len), ==, CRYPTO_CERT_ERR_NOMEM);
	crypto_trust_free(trust);
}

static void
test_certreq_lists(void)
{
	guint8 field[60], hash[20];

	for (size_t i = 0; i < sizeof(field); i++)
		field[i] = (guint8)i;
	memcpy(hash, field + 40, 20);
	g_assert_true(crypto_certreq_lists(field, 60, hash));
	g_assert_false(crypto_certreq_lists(field, 40, hash));
	g_assert_false(crypto_certreq_lists(field, 59, hash));
	g_assert_false(crypto_certreq_lists(field, 0, hash));
	memcpy(hash, field + 10, 20); /* not on a 20-byte boundary */
	g_assert_false(crypto_certreq_lists(field, 60, hash));
}

static void
test_system_trust(void)
{
	CryptoTrust *trust = crypto_trust_new();
	g_autoptr(GBytes) der = cert_test_pki_der("gw-rsa.crt");
	FerrySpan span = FERRY_SPAN(g_bytes_get_data(der, NULL), g_bytes_get_size(der));
	CryptoCert *ee = NULL;
	CryptoCertError err;
	guint8 out[20];
	size_t len = 1;

	if (crypto_trust_add_system(trust, &err) != CRYPTO_CERT_OK) {
		g_test_skip(err.message);
		crypto_trust_free(trust);
		return;
	}
	g_assert_true(crypto_trust_uses_system(trust));
	g_assert_cmpint(crypto_trust_certreq(trust, out, sizeof(out), &len), ==, CRYPTO_CERT_OK);
	g_assert_cmpuint(len, ==, 0);
	g_assert_cmpint(crypto_cert_verify_chain(trust, &span, 1, time(NULL), &ee, &err), ==,
	                CRYPTO_CERT_ERR_UNTRUSTED);
	crypto_trust_free(trust);
}

int
main(int argc, char **argv)
{
	int ret;

	g_test_init(&argc, &argv, NULL);
	cert_test_pki_init(FALSE);
	for (size_t i = 0; i < G_N_ELEMENTS(chain_cases); i++) {
		g_autofree char *path =
			g_strdup_printf("/ferry/cert/chain/%s", chain_cases[i].name);

		g_test_add_data_func(path, &chain_cases[i], test_chain);
	}
	g_test_add_func("/ferry/cert/chain/time-boundaries", test_chain_time_boundaries);
	g_test_add_func("/ferry/cert/chain/bad-signature", test_chain_bad_signature);
	g_test_add_func("/ferry/cert/chain/malformed", test_chain_malformed);
	g_test_add_func("/ferry/cert/trust/file-errors", test_trust_file_errors);
	g_test_add_func("/ferry/cert/trust/system", test_system_trust);
	g_test_add_func("/ferry/cert/certreq/rfc7296-spki-sha1", test_certreq);
	g_test_add_func("/ferry/cert/certreq/lists", test_certreq_lists);
	ret = g_test_run();
	cert_test_pki_cleanup();
	return ret;
}
