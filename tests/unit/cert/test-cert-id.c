/* test-cert-id.c - IKE identities against certificates (RFC 7296 §3.5, RFC 4945 §3.1) */
#include <arpa/inet.h>
#include <string.h>

#include "cert-test.h"
#include "crypto-cert.h"
#include "ike-registry.h"

static CryptoCert *
load(const char *name)
{
	g_autofree char *path = cert_test_pki_path(name);
	CryptoCert *cert = NULL;
	CryptoCertError err;

	g_assert_cmpint(crypto_cert_new_from_file(path, &cert, &err), ==, CRYPTO_CERT_OK);
	return cert;
}

/* An ID payload (type and data) written as text: addresses and names as usual. */
typedef struct {
	const char *cert;
	uint8_t type;
	const char *id;
	CryptoCertStatus want;
} IdCase;

/* clang-format off */
static const IdCase id_cases[] = {
	{"gw-rsa.crt", IKE_ID_FQDN, "vpn.example.com", CRYPTO_CERT_OK},
	{"gw-rsa.crt", IKE_ID_FQDN, "VPN.Example.COM", CRYPTO_CERT_OK},
	{"gw-rsa.crt", IKE_ID_FQDN, "vpn.example.com.", CRYPTO_CERT_OK},
	{"gw-rsa.crt", IKE_ID_FQDN, "other.example.com", CRYPTO_CERT_ERR_IDENTITY},
	{"gw-rsa.crt", IKE_ID_FQDN, "example.com", CRYPTO_CERT_ERR_IDENTITY},
	{"gw-rsa.crt", IKE_ID_FQDN, "vpn.example.co", CRYPTO_CERT_ERR_IDENTITY},
	{"gw-rsa.crt", IKE_ID_FQDN, "", CRYPTO_CERT_ERR_IDENTITY},
	{"gw-rsa.crt", IKE_ID_IPV4_ADDR, "203.0.113.1", CRYPTO_CERT_OK},
	{"gw-rsa.crt", IKE_ID_IPV4_ADDR, "203.0.113.2", CRYPTO_CERT_ERR_IDENTITY},
	{"gw-rsa.crt", IKE_ID_IPV6_ADDR, "2001:db8::1", CRYPTO_CERT_OK},
	{"gw-rsa.crt", IKE_ID_IPV6_ADDR, "2001:db8::2", CRYPTO_CERT_ERR_IDENTITY},
	{"gw-rsa.crt", IKE_ID_RFC822_ADDR, "vpn.example.com", CRYPTO_CERT_ERR_IDENTITY},
	{"client-rsa.crt", IKE_ID_RFC822_ADDR, "alice@example.com", CRYPTO_CERT_OK},
	{"client-rsa.crt", IKE_ID_RFC822_ADDR, "Alice@Example.com", CRYPTO_CERT_OK},
	{"client-rsa.crt", IKE_ID_RFC822_ADDR, "bob@example.com", CRYPTO_CERT_ERR_IDENTITY},
	/* RFC 6125 §6.4.4: the CN counts only when there is no dNSName */
	{"client-rsa.crt", IKE_ID_FQDN, "alice", CRYPTO_CERT_OK},
	{"gw-rsa-split.crt", IKE_ID_FQDN, "legacy.example.com", CRYPTO_CERT_ERR_IDENTITY},
	{"gw-rsa-split.crt", IKE_ID_FQDN, "vpn.example.com", CRYPTO_CERT_OK},
	{"gw-ec384.crt", IKE_ID_FQDN, "vpn.example.com", CRYPTO_CERT_OK},
	{"gw-ed25519.crt", IKE_ID_FQDN, "vpn.example.com", CRYPTO_CERT_OK},
};
/* clang-format on */

static GBytes *
id_bytes(uint8_t type, const char *text)
{
	guint8 addr[16];

	if (type == IKE_ID_IPV4_ADDR) {
		g_assert_cmpint(inet_pton(AF_INET, text, addr), ==, 1);
		return g_bytes_new(addr, 4);
	}
	if (type == IKE_ID_IPV6_ADDR) {
		g_assert_cmpint(inet_pton(AF_INET6, text, addr), ==, 1);
		return g_bytes_new(addr, 16);
	}
	return g_bytes_new(text, strlen(text));
}

static void
test_match_id(gconstpointer data)
{
	const IdCase *c = data;
	CryptoCert *cert = load(c->cert);
	g_autoptr(GBytes) id = id_bytes(c->type, c->id);
	CryptoCertError err;
	CryptoCertStatus st;

	st = crypto_cert_match_id(cert, c->type, g_bytes_get_data(id, NULL), g_bytes_get_size(id),
	                          &err);
	g_test_message("%s", err.message);
	g_assert_cmpint(st, ==, c->want);
	if (st == CRYPTO_CERT_ERR_IDENTITY)
		g_assert_nonnull(strstr(err.message, "identity mismatch"));
	crypto_cert_unref(cert);
}

/* The message says what was expected and everything the certificate names. */
static void
test_mismatch_message(void)
{
	CryptoCert *cert = load("gw-rsa.crt");
	CryptoCertError err;

	g_assert_cmpint(crypto_cert_match_id(cert, IKE_ID_FQDN, (const guint8 *)"other.example.com",
	                                     17, &err),
	                ==, CRYPTO_CERT_ERR_IDENTITY);
	g_test_message("%s", err.message);
	g_assert_nonnull(strstr(err.message, "expected FQDN 'other.example.com'"));
	g_assert_nonnull(strstr(err.message, "CN=vpn.example.com"));
	g_assert_nonnull(strstr(err.message, "DNS:vpn.example.com"));
	g_assert_nonnull(strstr(err.message, "IP:203.0.113.1"));
	g_assert_nonnull(strstr(err.message, "IP:2001:db8::1"));
	/* embedded NUL and control characters are shown, not passed through */
	g_assert_cmpint(crypto_cert_match_id(cert, IKE_ID_FQDN,
	                                     (const guint8 *)"vpn.example.com\0x", 17, &err),
	                ==, CRYPTO_CERT_ERR_IDENTITY);
	g_assert_nonnull(strstr(err.message, "'vpn.example.com?x'"));
	g_assert_cmpint(crypto_cert_match_id(cert, 42, (const guint8 *)"x", 1, &err), ==,
	                CRYPTO_CERT_ERR_UNSUPPORTED);
	crypto_cert_unref(cert);
}

static void
test_match_dn_der(void)
{
	CryptoCert *gw = load("gw-rsa.crt");
	CryptoCert *other = load("gw-rsa-other.crt");
	CryptoCert *split = load("gw-rsa-split.crt");
	FerrySpan dn = crypto_cert_get_subject_der(gw);
	FerrySpan other_dn = crypto_cert_get_subject_der(other);
	CryptoCertError err;

	g_assert_cmpuint(dn.len, >, 10);
	g_assert_cmpint(crypto_cert_match_id(gw, IKE_ID_DER_ASN1_DN, dn.data, dn.len, &err), ==,
	                CRYPTO_CERT_OK);
	g_assert_cmpint(
		crypto_cert_match_id(gw, IKE_ID_DER_ASN1_DN, other_dn.data, other_dn.len, &err), ==,
		CRYPTO_CERT_ERR_IDENTITY);
	g_assert_nonnull(strstr(err.message, "CN=other.example.com"));
	g_assert_cmpint(crypto_cert_match_id(split, IKE_ID_DER_ASN1_DN, dn.data, dn.len, &err), ==,
	                CRYPTO_CERT_ERR_IDENTITY);
	/* truncated DER never matches */
	g_assert_cmpint(crypto_cert_match_id(gw, IKE_ID_DER_ASN1_DN, dn.data, dn.len - 1, &err), ==,
	                CRYPTO_CERT_ERR_IDENTITY);
	crypto_cert_unref(gw);
	crypto_cert_unref(other);
	crypto_cert_unref(split);
}

static void
test_match_key_id(void)
{
	CryptoCert *gw = load("gw-rsa.crt");
	CryptoCert *ec = load("gw-ec384.crt");
	guint8 hash[20];
	CryptoCertError err;

	g_assert_cmpint(crypto_cert_get_spki_sha1(gw, hash), ==, CRYPTO_CERT_OK);
	g_assert_cmpint(crypto_cert_match_id(gw, IKE_ID_KEY_ID, hash, 20, &err), ==,
	                CRYPTO_CERT_OK);
	g_assert_cmpint(crypto_cert_match_id(ec, IKE_ID_KEY_ID, hash, 20, &err), ==,
	                CRYPTO_CERT_ERR_IDENTITY);
	crypto_cert_unref(gw);
	crypto_cert_unref(ec);
}

typedef struct {
	const char *cert;
	const char *name;
	CryptoCertStatus want;
} NameCase;

/* clang-format off */
static const NameCase name_cases[] = {
	{"gw-rsa.crt", "vpn.example.com", CRYPTO_CERT_OK},
	{"gw-rsa.crt", "@vpn.example.com", CRYPTO_CERT_OK},
	{"gw-rsa.crt", "203.0.113.1", CRYPTO_CERT_OK},
	{"gw-rsa.crt", "2001:db8::1", CRYPTO_CERT_OK},
	{"gw-rsa.crt", "2001:DB8:0::1", CRYPTO_CERT_OK},
	{"gw-rsa.crt", "198.51.100.1", CRYPTO_CERT_ERR_IDENTITY},
	{"gw-rsa.crt", "C=CH, O=Ferry Test, CN=vpn.example.com", CRYPTO_CERT_OK},
	{"gw-rsa.crt", "CN=vpn.example.com,O=Ferry Test,C=CH", CRYPTO_CERT_OK},
	{"gw-rsa.crt", "cn=VPN.example.com, o=ferry test, c=ch", CRYPTO_CERT_OK},
	{"gw-rsa.crt", "C=CH, O=Other, CN=vpn.example.com", CRYPTO_CERT_ERR_IDENTITY},
	{"gw-rsa.crt", "C=CH, O=Ferry Test", CRYPTO_CERT_ERR_IDENTITY},
	{"gw-rsa.crt", "other.example.com", CRYPTO_CERT_ERR_IDENTITY},
	{"gw-rsa.crt", "", CRYPTO_CERT_ERR_IDENTITY},
	{"gw-rsa.crt", "@#zz", CRYPTO_CERT_ERR_UNSUPPORTED},
	{"gw-rsa.crt", "@#00112233", CRYPTO_CERT_ERR_IDENTITY},
	{"client-rsa.crt", "alice@example.com", CRYPTO_CERT_OK},
	{"client-rsa.crt", "mallory@example.com", CRYPTO_CERT_ERR_IDENTITY},
	{"gw-ec384.crt", "C=CH, O=Ferry Test, CN=vpn.example.com", CRYPTO_CERT_OK},
};
/* clang-format on */

static void
test_match_name(gconstpointer data)
{
	const NameCase *c = data;
	CryptoCert *cert = load(c->cert);
	CryptoCertError err;
	CryptoCertStatus st = crypto_cert_match_name(cert, c->name, &err);

	g_test_message("'%s': %s", c->name, err.message);
	g_assert_cmpint(st, ==, c->want);
	crypto_cert_unref(cert);
}

static void
test_match_name_key_id(void)
{
	CryptoCert *gw = load("gw-rsa.crt");
	guint8 hash[20];
	g_autoptr(GString) id = g_string_new("@#");
	CryptoCertError err;

	g_assert_cmpint(crypto_cert_get_spki_sha1(gw, hash), ==, CRYPTO_CERT_OK);
	for (size_t i = 0; i < 20; i++)
		g_string_append_printf(id, "%02x", hash[i]);
	g_assert_cmpint(crypto_cert_match_name(gw, id->str, &err), ==, CRYPTO_CERT_OK);
	crypto_cert_unref(gw);
}

static void
test_cert_properties(void)
{
	/* clang-format off */
	const struct {
		const char *file;
		CryptoKeyType type;
	} rows[] = {
		{"gw-rsa.crt", CRYPTO_KEY_RSA},
		{"client-ec256.crt", CRYPTO_KEY_ECDSA_P256},
		{"gw-ec384.crt", CRYPTO_KEY_ECDSA_P384},
		{"client-ec521.crt", CRYPTO_KEY_ECDSA_P521},
		{"gw-ed25519.crt", CRYPTO_KEY_ED25519},
	};
	/* clang-format on */
	CryptoCert *cert;
	CryptoCertError err;

	for (size_t i = 0; i < G_N_ELEMENTS(rows); i++) {
		cert = load(rows[i].file);
		g_assert_cmpint(crypto_cert_get_key_type(cert), ==, rows[i].type);
		g_assert_cmpstr(crypto_key_type_to_string(rows[i].type), !=, "unsupported");
		crypto_cert_unref(cert);
	}
	cert = load("gw-ec384.crt");
	g_assert_cmpstr(crypto_cert_get_subject(cert), ==, "CN=vpn.example.com,O=Ferry Test,C=CH");
	g_assert_cmpstr(crypto_cert_get_issuer(cert), ==,
	                "CN=Ferry ECDSA Intermediate CA,O=Ferry Test,C=CH");
	g_assert_true(crypto_cert_ref(cert) == cert);
	crypto_cert_unref(cert);
	crypto_cert_unref(cert);
	g_assert_cmpint(
		crypto_cert_new_from_der((const guint8 *)"\x30\x03\x02\x01\x01", 5, &cert, &err),
		==, CRYPTO_CERT_ERR_PARSE);
	g_assert_null(cert);
}

static const char *
type_name(uint8_t type)
{
	switch (type) {
	case IKE_ID_FQDN:
		return "fqdn";
	case IKE_ID_IPV4_ADDR:
		return "ipv4";
	case IKE_ID_IPV6_ADDR:
		return "ipv6";
	case IKE_ID_RFC822_ADDR:
		return "rfc822";
	}
	return "other";
}

int
main(int argc, char **argv)
{
	int ret;

	g_test_init(&argc, &argv, NULL);
	cert_test_pki_init(FALSE);
	for (size_t i = 0; i < G_N_ELEMENTS(id_cases); i++) {
		g_autofree char *path =
			g_strdup_printf("/ferry/cert/id/%zu-%s-%s", i, type_name(id_cases[i].type),
		                        id_cases[i].cert);

		g_test_add_data_func(path, &id_cases[i], test_match_id);
	}
	for (size_t i = 0; i < G_N_ELEMENTS(name_cases); i++) {
		g_autofree char *path = g_strdup_printf("/ferry/cert/name/%zu", i);

		g_test_add_data_func(path, &name_cases[i], test_match_name);
	}
	g_test_add_func("/ferry/cert/id/mismatch-message", test_mismatch_message);
	g_test_add_func("/ferry/cert/id/der-asn1-dn", test_match_dn_der);
	g_test_add_func("/ferry/cert/id/key-id", test_match_key_id);
	g_test_add_func("/ferry/cert/name/key-id", test_match_name_key_id);
	g_test_add_func("/ferry/cert/cert/properties", test_cert_properties);
	ret = g_test_run();
	cert_test_pki_cleanup();
	return ret;
}
