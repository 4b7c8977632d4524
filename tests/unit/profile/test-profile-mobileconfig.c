/* test-profile-mobileconfig.c - Apple profiles: XML, binary, signed; field by field; errors;
 * round trips through the exporter */
#include "config.h"

#include <string.h>

#include "ferry-error.h"
#include "profile-import.h"
#include "profile-plist.h"
#include "profile-test-util.h"

#define SIGNER "CN=Example Corp Profile Signing,O=Example Corp"

static FerryImport *
nth(GPtrArray *all, guint i)
{
	return g_ptr_array_index(all, i);
}

static void
assert_eap_profile(FerryImport *im)
{
	FerryProfile *p = im->profile;

	g_assert_cmpint(im->format, ==, FERRY_IMPORT_FORMAT_MOBILECONFIG);
	g_assert_cmpstr(p->name, ==, "Corp VPN (iOS)");
	g_assert_cmpstr(p->uuid, ==, "a1b2c3d4-e5f6-4711-8899-aabbccddeeff");
	g_assert_cmpstr(p->gateway, ==, "vpn.example.com");
	/* RemoteIdentifier equal to the address: Ferry's default of matching the gateway */
	g_assert_null(p->remote_id);
	g_assert_false(p->remote_id_strict);
	g_assert_cmpstr(p->local_id, ==, "alice@example.com");
	g_assert_cmpint(p->auth, ==, FERRY_AUTH_EAP_MSCHAPV2);
	g_assert_cmpstr(p->eap_identity, ==, "alice");
	test_assert_secret(im->secrets->password, "hunter2");
	assert_strv(p->ca_certs, "ca.pem");
	g_assert_null(p->server_cert);
	g_assert_cmpuint(im->attachments->len, ==, 1);
	test_assert_attachment(im, 0, FERRY_ATTACHMENT_CA_CERT, "ca.pem", FALSE);
	g_assert_cmpuint(p->dpd, ==, 600);
	g_assert_cmpint(p->pfs, ==, FERRY_PFS_AUTO);
	g_assert_cmpuint(p->mtu, ==, 1400);
	/* one SA dictionary = one proposal; SHA2-384 names the PRF next to AES-GCM */
	g_assert_cmpstr(p->ike_proposals, ==, "aes256gcm16-sha384-ecp384");
	g_assert_cmpstr(p->esp_proposals, ==, "aes256gcm16");
	g_assert_cmpuint(p->ike_lifetime, ==, 480 * 60);
	g_assert_cmpuint(p->child_lifetime, ==, 60 * 60);
	assert_strv(p->dns_servers, "10.0.0.53", "2001:db8::53");
	assert_strv(p->dns_search_domains, "corp.example.com", "example.com");
	assert_strv(p->dns_split_domains, "internal.example.net");
	assert_fields(im->unmapped, "PayloadContent[1].IKEv2.OnDemandEnabled",
	              "PayloadContent[1].IKEv2.OnDemandRules", "PayloadContent[1].Proxies",
	              "PayloadContent[2]");
}

static void
test_eap(void)
{
	g_autoptr(GPtrArray) all = test_import_ok("mobileconfig", "eap.mobileconfig", 1);

	assert_eap_profile(nth(all, 0));
	g_assert_null(nth(all, 0)->signer);
}

static void
test_cert(void)
{
	g_autoptr(GPtrArray) all = test_import_ok("mobileconfig", "cert.mobileconfig", 1);
	FerryImport *im = nth(all, 0);
	FerryProfile *p = im->profile;

	g_assert_cmpstr(p->name, ==, "Branch (certificate)");
	g_assert_cmpint(p->auth, ==, FERRY_AUTH_CERT);
	g_assert_cmpstr(p->gateway, ==, "198.51.100.20");
	g_assert_cmpstr(p->remote_id, ==, "vpn.example.com");
	g_assert_true(p->remote_id_strict);
	/* the PEM payload holds the gateway's own certificate: pinned; the root is a CA */
	g_assert_cmpstr(p->server_cert, ==, "server.pem");
	assert_strv(p->ca_certs, "ca.pem");
	g_assert_cmpstr(p->client_pkcs12, ==, "client.p12");
	test_assert_attachment(im, 0, FERRY_ATTACHMENT_SERVER_CERT, "server.pem", FALSE);
	test_assert_attachment(im, 1, FERRY_ATTACHMENT_CA_CERT, "ca.pem", FALSE);
	test_assert_attachment(im, 2, FERRY_ATTACHMENT_CLIENT_PKCS12, "client.p12", TRUE);
	/* the PKCS#12 password in the payload was checked and kept as a secret */
	test_assert_secret(im->secrets->key_passphrase, "test-p12-pass");
	g_assert_false(p->rsa_pss);
	g_assert_cmpuint(p->dpd, ==, 60);
	g_assert_cmpuint(p->nat_keepalive, ==, 30);
	g_assert_cmpint(p->pfs, ==, FERRY_PFS_YES);
	g_assert_cmpstr(p->ike_proposals, ==, "aes256-sha256-modp2048");
	/* no child dictionary: the IKE one applies, and EnablePFS adds its group */
	g_assert_cmpstr(p->esp_proposals, ==, "aes256-sha256-modp2048");
	g_assert_cmpuint(p->ike_lifetime, ==, 14400);
	assert_no_fields(im->unmapped);
}

static void
test_binary_eap_tls(void)
{
	g_autoptr(GPtrArray) all = test_import_ok("mobileconfig", "eap-tls-binary.mobileconfig", 1);
	FerryImport *im = nth(all, 0);
	FerryProfile *p = im->profile;

	g_assert_cmpstr(p->name, ==, "EAP-TLS");
	g_assert_cmpint(p->auth, ==, FERRY_AUTH_EAP_TLS);
	g_assert_true(p->rsa_pss);
	g_assert_cmpuint(p->dpd, ==, 0);
	g_assert_cmpstr(p->client_pkcs12, ==, "client.p12");
	assert_strv(p->ca_certs, "ca.pem");
	g_assert_null(im->secrets->key_passphrase);
	g_assert_null(p->ike_proposals);
	assert_no_fields(im->unmapped);
}

static void
test_two_vpns(void)
{
	g_autoptr(GPtrArray) all = test_import_ok("mobileconfig", "two-vpns.mobileconfig", 2);
	static const char *const names[] = {"Site A", "Site B"};
	static const char *const gateways[] = {"203.0.113.1", "203.0.113.2"};
	static const char *const psks[] = {"a-shared-secret-of-decent-length-1",
	                                   "a-shared-secret-of-decent-length-2"};

	for (guint i = 0; i < 2; i++) {
		FerryImport *im = nth(all, i);

		g_assert_cmpstr(im->profile->name, ==, names[i]);
		g_assert_cmpstr(im->profile->gateway, ==, gateways[i]);
		g_assert_cmpint(im->profile->auth, ==, FERRY_AUTH_PSK);
		g_assert_cmpstr(im->profile->local_id, ==, "client");
		test_assert_secret(im->secrets->psk, psks[i]);
		assert_fields(im->unmapped, "PayloadContent[1]");
		g_assert_true(strstr(g_ptr_array_index(im->unmapped, 0), "L2TP") != NULL);
	}
	g_assert_cmpstr(nth(all, 0)->profile->uuid, !=, nth(all, 1)->profile->uuid);
}

static void
test_signed(void)
{
	g_autoptr(GPtrArray) trusted = test_import_ok("mobileconfig", "eap-signed.mobileconfig", 1);
	g_autofree char *path = test_data_path("mobileconfig", "eap-signed.mobileconfig", NULL);
	g_autoptr(GPtrArray) unverified = NULL;
	g_autoptr(GError) error = NULL;

	assert_eap_profile(nth(trusted, 0));
	g_assert_cmpstr(nth(trusted, 0)->signer, ==, SIGNER);
	g_assert_true(nth(trusted, 0)->signer_trusted);
	/* without the test CA as an anchor: signed by someone this system does not trust */
	unverified = ferry_import_file(path, NULL, &error);
	g_assert_no_error(error);
	g_assert_cmpstr(nth(unverified, 0)->signer, ==, SIGNER);
	g_assert_false(nth(unverified, 0)->signer_trusted);
}

static void
test_signed_tampered(void)
{
	g_autoptr(GBytes) bytes = test_data_read("mobileconfig", "eap-signed.mobileconfig", NULL);
	gsize len = g_bytes_get_size(bytes);
	g_autofree guint8 *copy = g_memdup2(g_bytes_get_data(bytes, NULL), len);
	guint8 *hit = memmem(copy, len, "hunter2", 7);
	g_autofree char *msg = NULL;

	g_assert_nonnull(hit);
	hit[6] = '3';
	msg = test_import_error((const char *)copy, len, NULL);
	g_assert_cmpstr(msg, ==,
	                "the signature does not verify with the certificates included: the profile "
	                "was altered after signing, or is corrupt");
}

/* Replaces @from by @to in a sample and imports it, expecting @message. */
static void
assert_edit_fails(const char *file, const char *from, const char *to, const char *message)
{
	g_autoptr(GBytes) bytes = test_data_read("mobileconfig", file, NULL);
	g_autofree char *text = g_strndup(g_bytes_get_data(bytes, NULL), g_bytes_get_size(bytes));
	g_auto(GStrv) parts = g_strsplit(text, from, -1);
	g_autofree char *edited = NULL;
	g_autofree char *msg = NULL;

	g_assert_cmpuint(g_strv_length(parts), >=, 2);
	edited = g_strjoinv(to, parts);
	msg = test_import_error(edited, strlen(edited), NULL);
	g_assert_cmpstr(msg, ==, message);
}

static void
test_edited_samples(void)
{
	assert_edit_fails("cert.mobileconfig", "<string>test-p12-pass</string>",
	                  "<string>not-the-password</string>",
	                  "PayloadContent[2].Password: wrong password for the PKCS#12 file");
	assert_edit_fails("cert.mobileconfig",
	                  "<key>PayloadCertificateUUID</key>\n\t\t\t\t<string>0F6E1C55-1D0A-4C8E-"
	                  "9B1B-6A3A1E0C0003",
	                  "<key>PayloadCertificateUUID</key>\n\t\t\t\t<string>0F6E1C55-1D0A-4C8E-"
	                  "9B1B-6A3A1E0C0009",
	                  "PayloadContent[3].IKEv2.PayloadCertificateUUID: no payload with UUID "
	                  "0F6E1C55-1D0A-4C8E-9B1B-6A3A1E0C0009 in the profile");
	assert_edit_fails("cert.mobileconfig", "<integer>14</integer>", "<integer>17</integer>",
	                  "PayloadContent[3].IKEv2.IKESecurityAssociationParameters."
	                  "DiffieHellmanGroup: group 17 is not supported");
	assert_edit_fails("cert.mobileconfig", "<string>AES-256</string>", "<string>DES</string>",
	                  "PayloadContent[3].IKEv2.IKESecurityAssociationParameters."
	                  "EncryptionAlgorithm: 'DES' is not supported (too weak)");
	assert_edit_fails("eap.mobileconfig", "<string>vpn.example.com</string>",
	                  "<integer>5</integer>",
	                  "PayloadContent[1].IKEv2.RemoteAddress: expected a string, not an "
	                  "integer");
	assert_edit_fails("eap.mobileconfig", "<key>MTU</key>\n\t\t\t\t<integer>1400",
	                  "<key>MTU</key>\n\t\t\t\t<integer>100",
	                  "PayloadContent[1].IKEv2.MTU: 100 is out of range (1280-9000)");
	assert_edit_fails("eap.mobileconfig", "<string>Medium</string>", "<string>Often</string>",
	                  "PayloadContent[1].IKEv2.DeadPeerDetectionRate: unknown rate 'Often' "
	                  "(None, Low, Medium, High)");
	assert_edit_fails("eap.mobileconfig", "<integer>0</integer>", "<integer>2</integer>",
	                  "PayloadContent[1].IKEv2.EnablePFS: 2 is neither 0 nor 1");
	assert_edit_fails("eap.mobileconfig", "MIIB3jCC", "MII!3jCC",
	                  "PayloadContent[0].PayloadContent: invalid base64 (unexpected "
	                  "character '!')");
	assert_edit_fails("eap.mobileconfig", "<string>2001:db8::53</string>",
	                  "<string>dns.example.com</string>",
	                  "PayloadContent[1].DNS.ServerAddresses: 'dns.example.com' is not an IP "
	                  "address");
	assert_edit_fails("eap.mobileconfig", "<key>VPNType</key>",
	                  "<key>VPNType</key><string>IKEv2</string><key>VPNType</key>",
	                  "PayloadContent[1].VPNType: the key appears twice");
	assert_edit_fails("eap.mobileconfig", "<string>Configuration</string>",
	                  "<string>Other</string>",
	                  "PayloadType: 'Other' is not a configuration profile");
	assert_edit_fails(
		"two-vpns.mobileconfig", "<string>IKEv2</string>", "<string>IPSec</string>",
		"PayloadContent: no IKEv2 VPN payload (com.apple.vpn.managed with VPNType "
		"IKEv2)");
	assert_edit_fails("eap.mobileconfig", "<key>ConsentText</key>",
	                  "<key>IsEncrypted</key><true/><key>ConsentText</key>",
	                  "IsEncrypted: the payloads are encrypted to one device's key and cannot "
	                  "be imported; ask for the profile unencrypted");
}

typedef struct {
	const char *label;
	const char *text;
	const char *message; /* NULL: only the prefix is checked */
} BadCase;

#define PLIST_HEAD "<?xml version=\"1.0\"?><plist version=\"1.0\">"

static const BadCase bad_cases[] = {
	{"truncated",         PLIST_HEAD "<dict><key>a</key>",                                    NULL                                                          },
	{"not-plist",         "<?xml version=\"1.0\"?><html/>",                                   "not a property list (no <plist> element)"                    },
	{"two-values",        PLIST_HEAD "<dict/><dict/></plist>",                                "<plist> must hold exactly one value"                         },
	{"top-array",         PLIST_HEAD "<array/></plist>",                                      "(top level): an array, not a dictionary"                     },
	{"unknown-element",   PLIST_HEAD "<dict><key>PayloadType</key><foo/></dict></plist>",
         "PayloadType: unknown element <foo>"														   },
	{"key-without-value", PLIST_HEAD "<dict><key>PayloadType</key></dict></plist>",
         "PayloadType: a key without a value"														   },
	{"value-without-key", PLIST_HEAD "<dict><string>x</string></dict></plist>",
         "<string> where a <key> belongs"														       },
	{"bad-integer",
         PLIST_HEAD "<dict><key>PayloadVersion</key><integer>1x</integer></dict>"
                    "</plist>",                                                                   "PayloadVersion: '1x' is not an integer"                      },
	{"content-not-array",
         PLIST_HEAD "<dict><key>PayloadType</key><string>Configuration</string><key>"
                    "PayloadContent</key><string>x</string></dict></plist>",                      "PayloadContent: missing or not an array"                     },
	{"payload-not-dict",
         PLIST_HEAD "<dict><key>PayloadType</key><string>Configuration</string><key>"
                    "PayloadContent</key><array><string>x</string></array></dict></plist>",       "PayloadContent: item 0 is a string, not a payload dictionary"},
	{"entity",
         "<?xml version=\"1.0\"?><!DOCTYPE plist [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b "
         "\"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">]><plist><dict><key>PayloadType</key><string>&b;"
         "</string></dict></plist>",                                                              "PayloadType: unexpected markup inside <string>"              },
	{"external-entity",
         "<?xml version=\"1.0\"?><!DOCTYPE plist [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
         "<plist><dict><key>PayloadType</key><string>&x;</string></dict></plist>",                "PayloadType: unexpected markup inside <string>"              },
	{"bplist-trailer",    "bplist00 this is not a real binary property list at all......",
         "corrupt binary property list trailer"														 },
	{"not-der",           "\x30\x82\x01\x00\x06\x09\x2a\x86\x48\x86\xf7\x0d\x01\x07\x02\x00",
         "not a well-formed CMS SignedData structure"													   },
};

static void
test_bad(gconstpointer data)
{
	const BadCase *c = data;
	gsize len = c->text[0] == 0x30 ? 16 : strlen(c->text);
	FerryImportOptions opts = {.format = FERRY_IMPORT_FORMAT_MOBILECONFIG};
	g_autofree char *msg = test_import_error(c->text, len, &opts);

	if (c->message)
		g_assert_cmpstr(msg, ==, c->message);
}

static void
test_deep_xml(void)
{
	g_autoptr(GString) s = g_string_new(PLIST_HEAD "<dict><key>PayloadContent</key>");
	g_autofree char *msg = NULL;

	for (int i = 0; i < 200; i++)
		g_string_append(s, "<array>");
	for (int i = 0; i < 200; i++)
		g_string_append(s, "</array>");
	g_string_append(s, "</dict></plist>");
	msg = test_import_error(s->str, s->len, NULL);
	g_assert_true(g_str_has_suffix(msg, ": nested deeper than 32 levels"));
	g_assert_true(g_str_has_prefix(msg, "PayloadContent[0][0]"));
}

/* A binary plist with @n objects; object i is an array of @fanout references to i + 1 (the
 * last one refers to itself when @cycle, else is an empty string). */
static GByteArray *
make_bplist(guint n, guint fanout, gboolean cycle)
{
	GByteArray *b = g_byte_array_new();
	g_autoptr(GArray) offsets = g_array_new(FALSE, FALSE, sizeof(guint64));
	guint8 trailer[32] = {0};
	guint64 table;

	g_byte_array_append(b, (const guint8 *)"bplist00", 8);
	for (guint i = 0; i < n; i++) {
		guint64 off = b->len;
		guint8 marker = (guint8)(0xa0 | fanout);

		g_array_append_val(offsets, off);
		if (i == n - 1 && !cycle) {
			g_byte_array_append(b, (const guint8 *)"\x50", 1);
			continue;
		}
		g_byte_array_append(b, &marker, 1);
		for (guint j = 0; j < fanout; j++) {
			guint8 ref = (guint8)(i == n - 1 ? i : i + 1);

			g_byte_array_append(b, &ref, 1);
		}
	}
	table = b->len;
	for (guint i = 0; i < n; i++) {
		guint8 off[2] = {(guint8)(g_array_index(offsets, guint64, i) >> 8),
		                 (guint8)g_array_index(offsets, guint64, i)};

		g_byte_array_append(b, off, 2);
	}
	trailer[6] = 2; /* offset size */
	trailer[7] = 1; /* reference size */
	trailer[15] = (guint8)n;
	trailer[31] = (guint8)table;
	trailer[30] = (guint8)(table >> 8);
	g_byte_array_append(b, trailer, sizeof(trailer));
	return b;
}

static void
test_binary_hostile(void)
{
	g_autoptr(GByteArray) cycle = make_bplist(3, 1, TRUE);
	g_autoptr(GByteArray) bomb = make_bplist(25, 14, FALSE);
	g_autoptr(GError) error = NULL;
	g_autoptr(Plist) p = plist_parse_binary(cycle->data, cycle->len, &error);

	g_assert_null(p);
	g_assert_true(g_str_has_suffix(error->message, "nested deeper than 32 levels"));
	g_clear_error(&error);
	p = plist_parse_binary(bomb->data, bomb->len, &error);
	g_assert_null(p);
	g_assert_true(g_str_has_suffix(error->message, "more than 100000 values"));
	/* truncation at every length is an error, never a crash */
	for (guint len = 0; len < cycle->len; len++) {
		g_autoptr(GError) e = NULL;
		g_autoptr(Plist) q = plist_parse_binary(cycle->data, len, &e);

		g_assert_null(q);
	}
}

static void
round_trip(TmpDir *t, const char *file, guint index, const char *const *want_dropped)
{
	g_autoptr(GPtrArray) a = test_import_ok("mobileconfig", file, index + 1 > 1 ? 2 : 1);
	FerryImport *im = nth(a, index);
	g_autoptr(GPtrArray) dropped = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(GBytes) out = NULL;
	g_autoptr(GPtrArray) b = NULL;
	FerryImport *again;

	g_assert_true(ferry_import_write_attachments(im, t->dir, "rt", &error));
	out = ferry_export(im->profile, im->secrets, FERRY_EXPORT_MOBILECONFIG, &dropped, &error);
	g_assert_no_error(error);
	test_assert_fields(dropped, want_dropped);
	b = ferry_import_data(g_bytes_get_data(out, NULL), g_bytes_get_size(out), "exported", NULL,
	                      &error);
	g_assert_no_error(error);
	g_assert_cmpuint(b->len, ==, 1);
	again = nth(b, 0);
	g_assert_cmpuint(again->attachments->len, ==, im->attachments->len);
	g_assert_true(ferry_import_write_attachments(again, t->dir, "rt", &error));
	g_assert_true(ferry_profile_equal(im->profile, again->profile));
	g_assert_true(ferry_profile_secrets_is_empty(im->secrets) ==
	              ferry_profile_secrets_is_empty(again->secrets));
	test_assert_secret(again->secrets->psk,
	                   im->secrets->psk ? (const char *)im->secrets->psk->data : NULL);
	test_assert_secret(again->secrets->password,
	                   im->secrets->password ? (const char *)im->secrets->password->data
	                                         : NULL);
	test_assert_secret(again->secrets->key_passphrase,
	                   im->secrets->key_passphrase
	                           ? (const char *)im->secrets->key_passphrase->data
	                           : NULL);
	assert_no_fields(again->unmapped);
}

static void
test_round_trip_eap(TmpDir *t, gconstpointer data)
{
	round_trip(t, "eap.mobileconfig", 0, (const char *const[]){NULL});
}

static void
test_round_trip_cert(TmpDir *t, gconstpointer data)
{
	round_trip(t, "cert.mobileconfig", 0, (const char *const[]){"server-cert", NULL});
}

static void
test_round_trip_binary(TmpDir *t, gconstpointer data)
{
	round_trip(t, "eap-tls-binary.mobileconfig", 0, (const char *const[]){NULL});
}

static void
test_round_trip_two(TmpDir *t, gconstpointer data)
{
	round_trip(t, "two-vpns.mobileconfig", 1, (const char *const[]){NULL});
}

static void
test_export_errors_and_drops(void)
{
	g_autoptr(FerryProfile) p = ferry_profile_new();
	g_autoptr(GPtrArray) dropped = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(GBytes) out = NULL;
	const char *const subnets[] = {"10.0.0.0/8", NULL};

	p->name = g_strdup("plain");
	p->gateway = g_strdup("vpn.example.com");
	p->include_subnets = g_strdupv((char **)subnets);
	p->port = 4500;
	p->encap = FERRY_ENCAP_FORCE;
	p->ike_proposals = g_strdup("aes256gcm16-aes128gcm16-prfsha256-x25519");
	out = ferry_export(p, NULL, FERRY_EXPORT_MOBILECONFIG, &dropped, &error);
	g_assert_no_error(error);
	assert_fields(dropped, "dpd", "ike-proposals", "include-subnets", "port", "encap");

	p->auth = FERRY_AUTH_CERT_EAP;
	p->client_pkcs11_uri = g_strdup("pkcs11:id=1");
	g_clear_pointer(&out, g_bytes_unref);
	out = ferry_export(p, NULL, FERRY_EXPORT_MOBILECONFIG, NULL, &error);
	g_assert_null(out);
	g_assert_cmpstr(error->message, ==,
	                "client-pkcs11-uri: a .mobileconfig carries the client identity only as "
	                "PKCS#12 (client-pkcs12)");
	g_clear_error(&error);
	g_clear_pointer(&p->client_pkcs11_uri, g_free);
	p->client_pkcs12 = g_strdup("/nonexistent/alice.p12");
	out = ferry_export(p, NULL, FERRY_EXPORT_MOBILECONFIG, NULL, &error);
	g_assert_null(out);
	g_assert_true(g_str_has_prefix(error->message, "client-pkcs12: "));
	g_clear_error(&error);
	g_clear_pointer(&p->client_pkcs12, g_free);
	p->client_pkcs11_uri = NULL;
	p->auth = FERRY_AUTH_CERT_EAP;
	p->client_pkcs12 = test_data_path("certs", "alice-aes.p12", NULL);
	out = ferry_export(p, NULL, FERRY_EXPORT_MOBILECONFIG, NULL, &error);
	g_assert_null(out);
	g_assert_cmpstr(error->message, ==,
	                "auth: cert+eap (RFC 4739) cannot be expressed in a .mobileconfig");
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);

	g_test_add_func("/ferry/profile/mobileconfig/eap", test_eap);
	g_test_add_func("/ferry/profile/mobileconfig/cert", test_cert);
	g_test_add_func("/ferry/profile/mobileconfig/binary-eap-tls", test_binary_eap_tls);
	g_test_add_func("/ferry/profile/mobileconfig/two-vpns", test_two_vpns);
	g_test_add_func("/ferry/profile/mobileconfig/signed", test_signed);
	g_test_add_func("/ferry/profile/mobileconfig/signed-tampered", test_signed_tampered);
	g_test_add_func("/ferry/profile/mobileconfig/edited-samples", test_edited_samples);
	for (gsize i = 0; i < G_N_ELEMENTS(bad_cases); i++) {
		g_autofree char *path =
			g_strdup_printf("/ferry/profile/mobileconfig/bad/%s", bad_cases[i].label);

		g_test_add_data_func(path, &bad_cases[i], test_bad);
	}
	g_test_add_func("/ferry/profile/mobileconfig/deep-xml", test_deep_xml);
	g_test_add_func("/ferry/profile/mobileconfig/binary-hostile", test_binary_hostile);
#define ADD(name, fn)                                                                              \
	g_test_add("/ferry/profile/mobileconfig/round-trip/" name, TmpDir, NULL, tmpdir_setup, fn, \
	           tmpdir_teardown)
	ADD("eap", test_round_trip_eap);
	ADD("cert", test_round_trip_cert);
	ADD("binary", test_round_trip_binary);
	ADD("two-vpns", test_round_trip_two);
	g_test_add_func("/ferry/profile/mobileconfig/export-errors", test_export_errors_and_drops);
	return g_test_run();
}
