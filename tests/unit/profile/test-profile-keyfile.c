/* test-profile-keyfile.c - settings keyfile load/save and the 0600 secrets file */
#include "config.h"

#include <errno.h>
#include <string.h>
#include <sys/stat.h>

#include <glib/gstdio.h>

#include "ferry-error.h"
#include "ferry-profile.h"

typedef struct {
	char *dir;
} TmpDir;

static void
tmpdir_setup(TmpDir *t, gconstpointer data)
{
	t->dir = g_dir_make_tmp("ferry-profile-XXXXXX", NULL);
	g_assert_nonnull(t->dir);
}

static void
tmpdir_teardown(TmpDir *t, gconstpointer data)
{
	g_autoptr(GDir) d = g_dir_open(t->dir, 0, NULL);
	const char *name;

	while (d && (name = g_dir_read_name(d))) {
		g_autofree char *path = g_build_filename(t->dir, name, NULL);

		g_assert_cmpint(g_unlink(path), ==, 0);
	}
	g_assert_cmpint(g_rmdir(t->dir), ==, 0);
	g_free(t->dir);
}

static char *
data_path(const char *name)
{
	return g_test_build_filename(G_TEST_DIST, "unit", "profile", "data", name, NULL);
}

#define assert_list(list, ...)                                                                     \
	G_STMT_START                                                                               \
	{                                                                                          \
		const char *const want__[] = {__VA_ARGS__, NULL};                                  \
		g_assert_nonnull(list);                                                            \
		g_assert_cmpstrv(list, want__);                                                    \
	}                                                                                          \
	G_STMT_END

static void
test_load_full(void)
{
	g_autofree char *path = data_path("full.profile");
	g_autoptr(GError) error = NULL;
	g_autoptr(FerryProfile) p = ferry_profile_load(path, &error);

	g_assert_no_error(error);
	g_assert_cmpstr(p->name, ==, "Corp VPN (Berlin)");
	g_assert_cmpstr(p->uuid, ==, "5d0c7c2e-8f0b-4b8e-9a53-2f3f4c1d9e01");
	g_assert_cmpstr(p->gateway, ==, "vpn.example.com");
	g_assert_cmpuint(p->port, ==, 4500);
	g_assert_cmpint(p->auth, ==, FERRY_AUTH_CERT_EAP);
	g_assert_cmpstr(p->local_id, ==, "CN=alice,O=Example Corp");
	g_assert_cmpstr(p->remote_id, ==, "@vpn.example.com");
	g_assert_false(p->remote_id_strict);
	g_assert_cmpstr(p->eap_identity, ==, "alice");
	assert_list(p->ca_certs, "/etc/ferry/certs/corp-root.pem",
	            "/etc/ferry/certs/corp-intermediate.pem");
	g_assert_cmpstr(p->server_cert, ==, "vpn-pinned.der");
	g_assert_cmpstr(p->client_cert, ==, "alice.pem");
	g_assert_cmpstr(p->client_key, ==, "alice.key");
	g_assert_null(p->client_pkcs12);
	g_assert_null(p->client_pkcs11_uri);
	g_assert_true(p->rsa_pss);
	g_assert_false(p->send_certreq);
	g_assert_cmpstr(p->ike_proposals, ==,
	                "aes256gcm16-prfsha384-ecp384,aes256-sha256-modp2048");
	g_assert_cmpstr(p->esp_proposals, ==, "aes256gcm16-esn");
	g_assert_cmpint(p->pfs, ==, FERRY_PFS_YES);
	g_assert_cmpint(p->protocol, ==, FERRY_IPSEC_ESP);
	g_assert_cmpint(p->mode, ==, FERRY_IPSEC_TUNNEL);
	assert_list(p->include_subnets, "10.0.0.0/8", "192.0.2.0/24", "2001:db8::/32");
	assert_list(p->exclude_subnets, "10.1.2.3-10.1.2.9");
	assert_list(p->dns_servers, "10.0.0.53", "2001:db8::53");
	assert_list(p->dns_search_domains, "corp.example.com");
	assert_list(p->dns_split_domains, "example.com", ".internal.example.net");
	g_assert_cmpuint(p->mtu, ==, 1400);
	g_assert_cmpuint(p->nat_keepalive, ==, 25);
	g_assert_cmpuint(p->dpd, ==, 0);
	g_assert_cmpuint(p->ike_lifetime, ==, 28800);
	g_assert_cmpuint(p->child_lifetime, ==, 7200);
	g_assert_cmpint(p->encap, ==, FERRY_ENCAP_FORCE);
	g_assert_true(p->ipv6_transport);
	g_assert_true(p->virtual_ip4);
	g_assert_false(p->virtual_ip6);
}

static void
test_load_minimal(void)
{
	g_autofree char *path = data_path("minimal.profile");
	g_autoptr(GError) error = NULL;
	g_autoptr(FerryProfile) p = ferry_profile_load(path, &error);
	g_autoptr(FerryProfile) again = NULL;
	g_autoptr(FerryProfile) defaults = ferry_profile_new();

	g_assert_no_error(error);
	g_assert_cmpstr(p->name, ==, "home");
	g_assert_cmpstr(p->gateway, ==, "203.0.113.10");
	/* no uuid in the file: derived from the name, the same on every load, version 5 */
	g_assert_true(g_uuid_string_is_valid(p->uuid));
	g_assert_cmpint(p->uuid[14], ==, '5');
	again = ferry_profile_load(path, NULL);
	g_assert_cmpstr(p->uuid, ==, again->uuid);
	/* everything else is the default */
	g_free(defaults->uuid);
	defaults->uuid = g_strdup(p->uuid);
	defaults->name = g_strdup("home");
	defaults->gateway = g_strdup("203.0.113.10");
	g_assert_true(ferry_profile_equal(p, defaults));
}

/* eap-only (RFC 5998): read as yes, written only when set, read back the same. */
static void
test_eap_only(void)
{
	static const char text[] = "[profile]\nname=a\ngateway=vpn.example.com\n"
				   "auth=eap-mschapv2\neap-only=yes\n";
	g_autoptr(FerryProfile) p = ferry_profile_load_from_data(text, strlen(text), NULL, NULL);
	g_autoptr(FerryProfile) back = NULL;
	g_autofree char *data = NULL;
	g_autofree char *plain = NULL;

	g_assert_nonnull(p);
	g_assert_true(p->eap_only);
	data = ferry_profile_to_data(p, NULL);
	g_assert_nonnull(strstr(data, "\neap-only=true\n"));
	back = ferry_profile_load_from_data(data, strlen(data), NULL, NULL);
	g_assert_true(ferry_profile_equal(p, back));
	p->eap_only = FALSE;
	plain = ferry_profile_to_data(p, NULL);
	g_assert_null(strstr(plain, "eap-only"));
}

/* ca-cert and pkcs12 are read as ca-certs and client-pkcs12, which are what is written. */
static void
test_aliases(void)
{
	static const char text[] = "[profile]\nname=a\ngateway=vpn.example.com\nauth=cert\n"
				   "ca-cert=/etc/ferry/corp-ca.crt\npkcs12=/etc/ferry/alice.p12\n";
	g_autoptr(GError) error = NULL;
	g_autoptr(FerryProfile) p = ferry_profile_load_from_data(text, strlen(text), NULL, &error);
	g_autofree char *data = NULL;

	g_assert_no_error(error);
	g_assert_cmpstr(p->ca_certs[0], ==, "/etc/ferry/corp-ca.crt");
	g_assert_null(p->ca_certs[1]);
	g_assert_cmpstr(p->client_pkcs12, ==, "/etc/ferry/alice.p12");
	data = ferry_profile_to_data(p, NULL);
	g_assert_nonnull(strstr(data, "\nca-certs=/etc/ferry/corp-ca.crt"));
	g_assert_nonnull(strstr(data, "\nclient-pkcs12=/etc/ferry/alice.p12\n"));
	g_assert_null(strstr(data, "\nca-cert="));
	g_assert_null(strstr(data, "\npkcs12="));
}

static void
test_remote_id_default_strict(void)
{
	static const char text[] = "[profile]\nname=a\ngateway=vpn.example.com\n"
				   "remote-id=vpn.example.com\n";
	g_autoptr(FerryProfile) p = ferry_profile_load_from_data(text, strlen(text), NULL, NULL);

	g_assert_true(p->remote_id_strict);
}

typedef struct {
	const char *label;
	const char *text;
	const char *message;
} BadCase;

#define HEAD "[profile]\nname=a\ngateway=vpn.example.com\n"

static const BadCase bad_cases[] = {
	{"no-group",        "[connection]\nname=a\n",                   "t.profile: no [profile] group"                            },
	{"not-keyfile",     "name=a\n",                                 NULL /* GLib's text follows "not a keyfile: " */           },
	{"unknown-key",     HEAD "gatway=x\n",                          "t.profile: gatway: unknown key in [profile]"              },
	{"alias-twice",     HEAD "ca-certs=/a.crt\nca-cert=/b.crt\n",
         "t.profile: ca-certs: given twice, also as ca-cert: keep one of them"                                                     },
	{"port-text",       HEAD "port=ike\n",                          "t.profile: port: 'ike' is not a port number (1-65535)"    },
	{"port-big",        HEAD "port=65536\n",
         "t.profile: port: '65536' is not a port number (1-65535)"                                                                 },
	{"port-zero",       HEAD "port=0\n",                            "t.profile: port: '0' is not a port number (1-65535)"      },
	{"auth",            HEAD "auth=eap-md5\n",
         "t.profile: auth: unknown method 'eap-md5' (psk, cert, eap-mschapv2, eap-tls, cert+eap)"                                  },
	{"remote-id-match", HEAD "remote-id-match=exact\n",
         "t.profile: remote-id-match: 'exact' is neither strict nor loose"                                                         },
	{"pfs",             HEAD "pfs=maybe\n",                         "t.profile: pfs: unknown value 'maybe' (auto, yes, no)"    },
	{"protocol",        HEAD "protocol=gre\n",                      "t.profile: protocol: unknown value 'gre' (esp, ah)"       },
	{"mode",            HEAD "mode=beet\n",                         "t.profile: mode: unknown value 'beet' (tunnel, transport)"},
	{"encap",           HEAD "encap=yes\n",                         "t.profile: encap: unknown value 'yes' (auto, force)"      },
	{"mtu",             HEAD "mtu=1400b\n",                         "t.profile: mtu: '1400b' is not a whole number of bytes"   },
	{"dpd-negative",    HEAD "dpd=-1\n",                            "t.profile: dpd: '-1' is not a whole number of seconds"    },
	{"lifetime-huge",   HEAD "ike-lifetime=99999999999999999999\n",
         "t.profile: ike-lifetime: '99999999999999999999' is not a whole number of seconds"                                        },
	{"bool",            HEAD "ipv6-transport=maybe\n",
         "t.profile: ipv6-transport: 'maybe' is neither true nor false"                                                            },
	{"validation",      HEAD "esp-proposals=aes256gcm17\n",
         "t.profile: esp-proposals: unknown algorithm 'aes256gcm17'"                                                               },
	{"no-gateway",      "[profile]\nname=a\n",
         "t.profile: gateway: missing (the VPN server's host name or address)"                                                     },
	{"bad-escape",      HEAD "eap-identity=a\\qb\n",
         "t.profile: eap-identity: unreadable value (an invalid escape sequence?)"                                                 },
	{"bad-escape-list", HEAD "ca-certs=a\\qb;c\n",
         "t.profile: ca-certs: unreadable value (an invalid escape sequence?)"                                                     },
};

static void
test_bad(gconstpointer data)
{
	const BadCase *c = data;
	g_autoptr(GError) error = NULL;
	g_autoptr(FerryProfile) p =
		ferry_profile_load_from_data(c->text, strlen(c->text), "t.profile", &error);

	g_assert_null(p);
	g_assert_error(error, FERRY_ERROR, FERRY_ERROR_CONFIG);
	if (c->message)
		g_assert_cmpstr(error->message, ==, c->message);
	else
		g_assert_true(g_str_has_prefix(error->message, "t.profile: "));
}

static void
test_too_large(void)
{
	g_autofree char *big = g_strnfill(300 * 1024, '#');
	g_autoptr(GError) error = NULL;

	g_assert_null(ferry_profile_load_from_data(big, strlen(big), "big.profile", &error));
	g_assert_cmpstr(error->message, ==, "big.profile: larger than 262144 bytes, not a profile");
}

static FerryProfile *
make_tricky(void)
{
	FerryProfile *p = ferry_profile_new();
	const char *const cas[] = {"/path with spaces/ca;1.pem", " leading.pem", "back\\slash.pem",
	                           NULL};
	const char *const subnets[] = {"198.51.100.0/24", "2001:db8:1::/48", NULL};

	p->name = g_strdup("Büro — VPN [main] #1");
	p->gateway = g_strdup("198.51.100.7");
	p->port = 65535;
	p->auth = FERRY_AUTH_EAP_TLS;
	p->local_id = g_strdup("alice@example.com");
	p->remote_id = g_strdup("CN=vpn, O=Example; Ltd");
	p->remote_id_strict = TRUE;
	p->eap_identity = g_strdup(" alice ");
	p->ca_certs = g_strdupv((char **)cas);
	p->client_pkcs12 = g_strdup("alice=1.p12");
	p->ike_proposals = g_strdup("aes128-sha1-modp1024");
	p->esp_proposals = g_strdup("sha256");
	p->protocol = FERRY_IPSEC_AH;
	p->pfs = FERRY_PFS_NO;
	p->mode = FERRY_IPSEC_TRANSPORT;
	p->virtual_ip4 = p->virtual_ip6 = FALSE;
	p->include_subnets = g_strdupv((char **)subnets);
	p->mtu = 9000;
	p->nat_keepalive = 0;
	p->dpd = 86400;
	p->ike_lifetime = 60;
	p->child_lifetime = 604800;
	return p;
}

static void
test_round_trip_data(void)
{
	g_autofree char *path = data_path("full.profile");
	FerryProfile *sources[] = {ferry_profile_load(path, NULL), make_tricky()};

	for (gsize i = 0; i < G_N_ELEMENTS(sources); i++) {
		g_autoptr(FerryProfile) src = sources[i];
		g_autoptr(GError) error = NULL;
		g_autoptr(FerryProfile) back = NULL;
		g_autofree char *text = NULL;
		gsize len = 0;

		g_assert_nonnull(src);
		g_assert_true(ferry_profile_validate(src, NULL));
		text = ferry_profile_to_data(src, &len);
		back = ferry_profile_load_from_data(text, len, "rt", &error);
		g_assert_no_error(error);
		g_assert_true(ferry_profile_equal(src, back));
	}
}

static void
test_round_trip_each_field(void)
{
	/* Flip one field at a time from the defaults; a field that save or load forgot would
	 * come back as its default and break equality. */
	static const char *const lines[] = {
		"port=501",
		"auth=psk",
		"local-id=198.51.100.1",
		"remote-id=vpn",
		"remote-id-match=strict",
		"eap-identity=x",
		"ca-certs=a.pem",
		"server-cert=s.pem",
		"client-pkcs11-uri=pkcs11:id=1",
		"ike-proposals=aes128-sha256-ecp256",
		"esp-proposals=aes128gcm16",
		"pfs=yes",
		"include-subnets=10.0.0.0/8",
		"exclude-subnets=10.9.0.0/16",
		"dns-servers=10.0.0.1",
		"dns-search-domains=a.example",
		"dns-split-domains=b.example",
		"mtu=1300",
		"nat-keepalive=0",
		"dpd=10",
		"ike-lifetime=7200",
		"child-lifetime=1800",
		"encap=force",
		"ipv6-transport=true",
		"virtual-ip4=false",
		"virtual-ip6=false",
		"rsa-pss=true",
		"send-certreq=false",
	};
	g_autoptr(FerryProfile) base = NULL;

	base = ferry_profile_load_from_data(HEAD, strlen(HEAD), NULL, NULL);
	g_assert_nonnull(base);
	for (gsize i = 0; i < G_N_ELEMENTS(lines); i++) {
		g_autofree char *text = g_strconcat(HEAD, lines[i], "\n", NULL);
		g_autoptr(GError) error = NULL;
		g_autoptr(FerryProfile) p =
			ferry_profile_load_from_data(text, strlen(text), NULL, &error);
		g_autoptr(FerryProfile) back = NULL;
		g_autofree char *out = NULL;
		gsize len;

		g_assert_no_error(error);
		g_assert_false(ferry_profile_equal(p, base));
		out = ferry_profile_to_data(p, &len);
		back = ferry_profile_load_from_data(out, len, NULL, &error);
		g_assert_no_error(error);
		g_assert_true(ferry_profile_equal(p, back));
	}
}

static void
test_save_load(TmpDir *t, gconstpointer data)
{
	g_autoptr(FerryProfile) p = make_tricky();
	g_autoptr(FerryProfile) back = NULL;
	g_autofree char *path = g_build_filename(t->dir, "tricky.profile", NULL);
	g_autoptr(GError) error = NULL;
	struct stat st;

	g_assert_true(ferry_profile_save(p, path, &error));
	g_assert_no_error(error);
	g_assert_cmpint(g_stat(path, &st), ==, 0);
	g_assert_cmpuint(st.st_mode & 0777, ==, 0644);
	back = ferry_profile_load(path, &error);
	g_assert_no_error(error);
	g_assert_true(ferry_profile_equal(p, back));

	/* an invalid profile is not written, and the file on disk stays as it was */
	g_clear_pointer(&p->gateway, g_free);
	g_assert_false(ferry_profile_save(p, path, &error));
	g_assert_error(error, FERRY_ERROR, FERRY_ERROR_CONFIG);
	g_assert_true(g_str_has_suffix(error->message,
	                               "gateway: missing (the VPN server's host name or address)"));
	g_assert_true(g_str_has_prefix(error->message, path));
	g_clear_pointer(&back, ferry_profile_free);
	back = ferry_profile_load(path, NULL);
	g_assert_cmpstr(back->gateway, ==, "198.51.100.7");
}

static void
test_load_missing_file(TmpDir *t, gconstpointer data)
{
	g_autofree char *path = g_build_filename(t->dir, "nope.profile", NULL);
	g_autoptr(GError) error = NULL;

	g_assert_null(ferry_profile_load(path, &error));
	g_assert_error(error, FERRY_ERROR, FERRY_ERROR_CONFIG);
	g_assert_nonnull(strstr(error->message, "nope.profile"));
}

/* --- secrets --- */

static void
assert_secret(const FerrySecret *s, const char *want)
{
	g_assert_nonnull(s);
	g_assert_cmpmem(s->data, s->len, want, strlen(want));
}

static void
test_secrets_round_trip(TmpDir *t, gconstpointer data)
{
	g_autoptr(FerryProfileSecrets) s = ferry_profile_secrets_new();
	g_autoptr(FerryProfileSecrets) back = NULL;
	g_autofree char *path = g_build_filename(t->dir, "corp.secrets", NULL);
	g_autoptr(GError) error = NULL;
	struct stat st;

	ferry_profile_secrets_set(s, "psk", " lead and trail ", NULL);
	ferry_profile_secrets_set(s, "password", "back\\slash\nnew=line\ttab\r#hash;semi", NULL);
	ferry_profile_secrets_set(s, "key-passphrase", "Pässwörd", NULL);
	ferry_profile_secrets_set(s, "pin", "0000", NULL);
	g_assert_true(ferry_profile_secrets_save(s, path, &error));
	g_assert_no_error(error);
	g_assert_cmpint(g_stat(path, &st), ==, 0);
	g_assert_cmpuint(st.st_mode & 0777, ==, 0600);
	back = ferry_profile_secrets_load(path, &error);
	g_assert_no_error(error);
	assert_secret(back->psk, " lead and trail ");
	assert_secret(back->password, "back\\slash\nnew=line\ttab\r#hash;semi");
	assert_secret(back->key_passphrase, "Pässwörd");
	assert_secret(back->pin, "0000");

	/* rewriting an existing file that was loosened tightens it again */
	g_assert_cmpint(g_chmod(path, 0640), ==, 0);
	g_assert_true(ferry_profile_secrets_save(back, path, NULL));
	g_assert_cmpint(g_stat(path, &st), ==, 0);
	g_assert_cmpuint(st.st_mode & 0777, ==, 0600);
}

static void
test_secrets_permissions(TmpDir *t, gconstpointer data)
{
	static const char text[] = "[secrets]\npsk=abc\n";
	static const int modes[] = {0644, 0640, 0604, 0660, 0602};
	g_autofree char *path = g_build_filename(t->dir, "loose.secrets", NULL);

	g_assert_true(g_file_set_contents(path, text, -1, NULL));
	for (gsize i = 0; i < G_N_ELEMENTS(modes); i++) {
		g_autoptr(GError) error = NULL;
		g_autofree char *want = g_strdup_printf(
			"%s: secrets file is accessible by group or others (mode %04o); run "
			"`chmod 600 %s`",
			path, modes[i], path);

		g_assert_cmpint(g_chmod(path, modes[i]), ==, 0);
		g_assert_null(ferry_profile_secrets_load(path, &error));
		g_assert_error(error, FERRY_ERROR, FERRY_ERROR_CONFIG);
		g_assert_cmpstr(error->message, ==, want);
	}
	g_assert_cmpint(g_chmod(path, 0600), ==, 0);
	{
		g_autoptr(FerryProfileSecrets) s = ferry_profile_secrets_load(path, NULL);

		assert_secret(s->psk, "abc");
	}
	g_assert_cmpint(g_chmod(path, 0400), ==, 0);
	{
		g_autoptr(FerryProfileSecrets) s = ferry_profile_secrets_load(path, NULL);

		g_assert_nonnull(s);
	}
}

static void
test_secrets_not_regular(TmpDir *t, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autofree char *want =
		g_strdup_printf("%s: not a regular file of at most 65536 bytes", t->dir);

	g_assert_null(ferry_profile_secrets_load(t->dir, &error));
	g_assert_cmpstr(error->message, ==, want);
}

typedef struct {
	const char *label;
	const char *text;
	const char *message; /* NULL: parses */
} SecretsCase;

static const SecretsCase secrets_cases[] = {
	{"hand-written",       "# my secrets\n\n[secrets]\n  password = hunter2  \n[other]\nx=y\n", NULL                               },
	{"unknown-key",        "[secrets]\npasword=x\n",
         "s:2: pasword: unknown secret (known: psk, password, key-passphrase, pin)"                                                    },
	{"garbage-line",       "[secrets]\njust text\n",
         "s:2: a line that is neither [group] nor key=value"									   },
	{"bad-escape",         "[secrets]\npsk=a\\xb\n",                                            "s:2: psk: invalid escape sequence"},
	{"trailing-backslash", "[secrets]\npsk=a\\\n",                                              "s:2: psk: invalid escape sequence"},
	{"nul",		"[secrets]\npsk=a\0b\n",					     "s: not a text file"               },
};

static void
test_secrets_parse(gconstpointer data)
{
	const SecretsCase *c = data;
	/* the "nul" case has a NUL inside, so strlen() would stop early */
	gsize len = strcmp(c->label, "nul") == 0 ? sizeof("[secrets]\npsk=a\0b\n") - 1
	                                         : strlen(c->text);
	g_autoptr(GError) error = NULL;
	g_autoptr(FerryProfileSecrets) s =
		ferry_profile_secrets_load_from_data(c->text, len, "s", &error);

	if (!c->message) {
		g_assert_no_error(error);
		assert_secret(s->password, "hunter2");
		g_assert_null(s->psk);
		return;
	}
	g_assert_null(s);
	g_assert_error(error, FERRY_ERROR, FERRY_ERROR_CONFIG);
	g_assert_cmpstr(error->message, ==, c->message);
}

static void
test_secrets_nul_refused(TmpDir *t, gconstpointer data)
{
	g_autoptr(FerryProfileSecrets) s = ferry_profile_secrets_new();
	g_autofree char *path = g_build_filename(t->dir, "nul.secrets", NULL);
	g_autoptr(GError) error = NULL;
	g_autofree char *want = NULL;

	s->psk = ferry_secret_new_from("a\0b", 3);
	g_assert_false(ferry_profile_secrets_save(s, path, &error));
	want = g_strdup_printf("%s: psk: contains a NUL byte, which a secrets file cannot hold",
	                       path);
	g_assert_cmpstr(error->message, ==, want);
	g_assert_false(g_file_test(path, G_FILE_TEST_EXISTS));
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);

	g_test_add_func("/ferry/profile/keyfile/load-full", test_load_full);
	g_test_add_func("/ferry/profile/keyfile/load-minimal", test_load_minimal);
	g_test_add_func("/ferry/profile/keyfile/eap-only", test_eap_only);
	g_test_add_func("/ferry/profile/keyfile/aliases", test_aliases);
	g_test_add_func("/ferry/profile/keyfile/remote-id-default-strict",
	                test_remote_id_default_strict);
	for (gsize i = 0; i < G_N_ELEMENTS(bad_cases); i++) {
		g_autofree char *path =
			g_strdup_printf("/ferry/profile/keyfile/bad/%s", bad_cases[i].label);

		g_test_add_data_func(path, &bad_cases[i], test_bad);
	}
	g_test_add_func("/ferry/profile/keyfile/too-large", test_too_large);
	g_test_add_func("/ferry/profile/keyfile/round-trip-data", test_round_trip_data);
	g_test_add_func("/ferry/profile/keyfile/round-trip-each-field", test_round_trip_each_field);
	g_test_add("/ferry/profile/keyfile/save-load", TmpDir, NULL, tmpdir_setup, test_save_load,
	           tmpdir_teardown);
	g_test_add("/ferry/profile/keyfile/missing-file", TmpDir, NULL, tmpdir_setup,
	           test_load_missing_file, tmpdir_teardown);
	g_test_add("/ferry/profile/secrets/round-trip", TmpDir, NULL, tmpdir_setup,
	           test_secrets_round_trip, tmpdir_teardown);
	g_test_add("/ferry/profile/secrets/permissions", TmpDir, NULL, tmpdir_setup,
	           test_secrets_permissions, tmpdir_teardown);
	g_test_add("/ferry/profile/secrets/not-regular", TmpDir, NULL, tmpdir_setup,
	           test_secrets_not_regular, tmpdir_teardown);
	g_test_add("/ferry/profile/secrets/nul-refused", TmpDir, NULL, tmpdir_setup,
	           test_secrets_nul_refused, tmpdir_teardown);
	for (gsize i = 0; i < G_N_ELEMENTS(secrets_cases); i++) {
		g_autofree char *path =
			g_strdup_printf("/ferry/profile/secrets/parse/%s", secrets_cases[i].label);

		g_test_add_data_func(path, &secrets_cases[i], test_secrets_parse);
	}
	return g_test_run();
}
