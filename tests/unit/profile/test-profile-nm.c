/* test-profile-nm.c - NetworkManager keyfile import (strongswan, libreswan) field by field */
#include "config.h"

#include <string.h>

#include "ferry-error.h"
#include "profile-import.h"
#include "profile-test-util.h"

static FerryImport *
import_one(const char *name, GPtrArray **keep)
{
	*keep = test_import_ok("nm", name, 1);
	return g_ptr_array_index(*keep, 0);
}

static char *
cert_path(const char *name)
{
	/* relative paths in the keyfile are taken from its directory */
	g_autofree char *nm_dir = test_data_path("nm", NULL);

	return g_build_filename(nm_dir, "..", "certs", name, NULL);
}

static void
test_strongswan_eap(void)
{
	g_autoptr(GPtrArray) keep = NULL;
	FerryImport *im = import_one("strongswan-eap.nmconnection", &keep);
	FerryProfile *p = im->profile;
	g_autofree char *ca = cert_path("ca.pem");

	g_assert_cmpint(im->format, ==, FERRY_IMPORT_FORMAT_NM);
	g_assert_cmpstr(p->name, ==, "Corp (strongSwan)");
	g_assert_cmpstr(p->uuid, ==, "2a6d1e0c-5b7f-4e3a-9c8d-1f2e3d4c5b6a");
	g_assert_cmpstr(p->gateway, ==, "vpn.example.com");
	g_assert_cmpuint(p->port, ==, 4500);
	g_assert_cmpint(p->auth, ==, FERRY_AUTH_EAP_MSCHAPV2);
	g_assert_cmpstr(p->eap_identity, ==, "alice");
	g_assert_cmpstr(p->remote_id, ==, "vpn.example.com");
	g_assert_true(p->remote_id_strict);
	g_assert_null(p->local_id);
	assert_strv(p->ca_certs, ca);
	g_assert_null(p->server_cert);
	g_assert_cmpstr(p->ike_proposals, ==,
	                "aes256gcm16-prfsha384-ecp384,aes256-sha256-modp2048");
	g_assert_cmpstr(p->esp_proposals, ==, "aes256gcm16");
	g_assert_cmpint(p->encap, ==, FERRY_ENCAP_AUTO);
	g_assert_true(p->virtual_ip4);
	g_assert_false(p->virtual_ip6); /* [ipv6] method=disabled */
	assert_strv(p->dns_servers, "10.0.0.53");
	assert_strv(p->dns_search_domains, "corp.example.com");
	assert_strv(p->dns_split_domains, "example.net");
	assert_strv(p->include_subnets, "10.0.0.0/8", "192.0.2.0/24");
	test_assert_secret(im->secrets->password, "hunter2");
	test_assert_secret(im->secrets->psk, NULL);
	g_assert_cmpuint(im->attachments->len, ==, 0);
	assert_fields(im->unmapped, "connection.autoconnect", "connection.permissions");
}

static void
test_strongswan_cert(void)
{
	g_autoptr(GPtrArray) keep = NULL;
	FerryImport *im = import_one("strongswan-cert.nmconnection", &keep);
	FerryProfile *p = im->profile;
	g_autofree char *server = cert_path("server.pem");
	g_autofree char *cert = cert_path("alice.pem");
	g_autofree char *key = cert_path("alice.key");

	g_assert_cmpint(p->auth, ==, FERRY_AUTH_CERT);
	g_assert_cmpstr(p->gateway, ==, "198.51.100.20");
	g_assert_cmpuint(p->port, ==, 500);
	/* not a CA: the gateway's own certificate, pinned */
	g_assert_cmpstr(p->server_cert, ==, server);
	g_assert_null(p->ca_certs);
	g_assert_cmpstr(p->client_cert, ==, cert);
	g_assert_cmpstr(p->client_key, ==, key);
	g_assert_cmpstr(p->local_id, ==, "alice@example.com");
	g_assert_null(p->remote_id);
	g_assert_false(p->remote_id_strict);
	g_assert_cmpint(p->encap, ==, FERRY_ENCAP_FORCE);
	g_assert_null(p->ike_proposals);
	assert_strv(p->include_subnets, "10.0.0.0/8", "192.0.2.0/24");
	g_assert_true(p->virtual_ip4 && p->virtual_ip6);
	test_assert_secret(im->secrets->key_passphrase, "key-passphrase-for-tests");
	test_assert_secret(im->secrets->password, NULL);
	assert_fields(im->unmapped, "vpn.ipcomp", "vpn.local-ts", "vpn.ike");
}

static void
test_strongswan_psk(void)
{
	g_autoptr(GPtrArray) keep = NULL;
	FerryImport *im = import_one("strongswan-psk.nmconnection", &keep);
	FerryProfile *p = im->profile;

	g_assert_cmpint(p->auth, ==, FERRY_AUTH_PSK);
	/* before NM-strongswan 1.5.0 "user" carried the PSK identity */
	g_assert_cmpstr(p->local_id, ==, "client.example.com");
	g_assert_null(p->eap_identity);
	assert_strv(p->ca_certs, "/nonexistent/ferry-test/ca.pem");
	/* virtual absent means no, as charon-nm reads it */
	g_assert_false(p->virtual_ip4 || p->virtual_ip6);
	test_assert_secret(im->secrets->psk, "a-pre-shared-key-of-more-than-20-chars");
	assert_fields(im->unmapped, "vpn.certificate");
}

static void
test_strongswan_smartcard(void)
{
	g_autoptr(GPtrArray) keep = NULL;
	FerryImport *im = import_one("strongswan-smartcard.nmconnection", &keep);
	FerryProfile *p = im->profile;

	g_assert_cmpint(p->auth, ==, FERRY_AUTH_CERT);
	g_assert_cmpstr(p->client_pkcs11_uri, ==, "pkcs11:");
	g_assert_null(p->client_cert);
	g_assert_true(ferry_profile_secrets_is_empty(im->secrets));
	assert_no_fields(im->unmapped);
}

static void
test_libreswan_psk(void)
{
	g_autoptr(GPtrArray) keep = NULL;
	FerryImport *im = import_one("libreswan-psk.nmconnection", &keep);
	FerryProfile *p = im->profile;

	g_assert_cmpstr(p->name, ==, "Office (libreswan)");
	g_assert_cmpstr(p->gateway, ==, "203.0.113.50");
	g_assert_cmpint(p->auth, ==, FERRY_AUTH_PSK);
	g_assert_cmpstr(p->remote_id, ==, "@office.example.com");
	g_assert_true(p->remote_id_strict);
	g_assert_cmpstr(p->local_id, ==, "@alice.example.com");
	/* libreswan's '+' alternatives and ';' groups become one strongSwan proposal each */
	g_assert_cmpstr(p->ike_proposals, ==,
	                "aes256gcm16-sha512-sha256-ecp256-ecp384,aes256-sha256-modp2048");
	g_assert_cmpstr(p->esp_proposals, ==, "aes256gcm16");
	g_assert_cmpint(p->pfs, ==, FERRY_PFS_YES);
	g_assert_cmpuint(p->ike_lifetime, ==, 8 * 3600);
	g_assert_cmpuint(p->child_lifetime, ==, 3600);
	g_assert_cmpuint(p->dpd, ==, 15);
	assert_strv(p->include_subnets, "10.10.0.0/16");
	test_assert_secret(im->secrets->psk, "a-long-pre-shared-key-for-tests");
	assert_fields(im->unmapped, "vpn.dpdtimeout", "vpn.dpdaction", "vpn.narrowing");
}

typedef struct {
	const char *label;
	const char *file; /* data/nm file, or NULL for text */
	const char *text;
	const char *message; /* after "FILE: " */
} BadCase;

#define CONN "[connection]\nid=x\ntype=vpn\n"
#define SS   CONN "[vpn]\nservice-type=org.freedesktop.NetworkManager.strongswan\n"
#define LS   CONN "[vpn]\nservice-type=org.freedesktop.NetworkManager.libreswan\n"

static const BadCase bad_cases[] = {
	{"libreswan-cert",  "libreswan-cert.nmconnection",  NULL,
         "vpn.leftcert: 'alice' names a certificate in libreswan's NSS database, which Ferry "
         "cannot read; export it with `pk12util -d sql:/var/lib/ipsec/nss -n 'alice' -o "
         "client.p12` and set client-pkcs12 in a Ferry profile"													   },
	{"libreswan-ikev1", "libreswan-ikev1.nmconnection", NULL,
         "vpn.ikev2: absent, and XAUTH is set: an IKEv1 connection, which Ferry does not speak"                                                                           },
	{"not-vpn",         NULL,			   "[connection]\nid=x\ntype=ethernet\n[vpn]\nx=y\n",
         "connection.type: 'ethernet' is not a VPN connection"													    },
	{"openvpn",         NULL,			   CONN "[vpn]\nservice-type=org.freedesktop.NetworkManager.openvpn\n",
         "vpn.service-type: 'org.freedesktop.NetworkManager.openvpn' is not an IPsec plugin "
         "(strongswan or libreswan)"																      },
	{"no-address",      NULL,                           SS "method=eap\n",
         "vpn.address: missing (the VPN server's host name or address)"												   },
	{"bad-port",        NULL,			   SS "address=a.example\nserver-port=0\nmethod=eap\n",
         "vpn.server-port: '0' is not a port (1-65535)"														   },
	{"no-method",       NULL,                           SS "address=a.example\n",                                              "vpn.method: missing"                  },
	{"bad-method",      NULL,                           SS "address=a.example\nmethod=eap-ttls\n",
         "vpn.method: unknown method 'eap-ttls'"															  },
	{"agent",           NULL,			   SS "address=a.example\nmethod=agent\n",
         "vpn.cert-source: keys held by ssh-agent are not supported; use a certificate and key "
         "file or a smartcard"																	    },
	{"no-usercert",     NULL,                           SS "address=a.example\nmethod=cert\n",
         "vpn.usercert: missing (method needs a client certificate)"												      },
	{"bad-bool",        NULL,			   SS "address=a.example\nmethod=eap\nvirtual=maybe\n",
         "vpn.virtual: 'maybe' is neither yes nor no"														     },
	{"bad-ike",         NULL,			   SS "address=a.example\nmethod=eap\nproposal=yes\nike=aes256-sha256\n",
         "vpn.ike: proposal 'aes256-sha256' has no key exchange method (add e.g. x25519)"                                                                                 },
	{"bad-dns",         NULL,			   SS "address=a.example\nmethod=eap\n[ipv4]\ndns=ns.example;\n",
         "ipv4.dns: 'ns.example' is not an IP address"														    },
	{"bad-route",       NULL,                           SS "address=a.example\nmethod=eap\n[ipv4]\nroute1=10.0.0.0/99\n",
         "ipv4.route1: '10.0.0.0/99' is not a subnet"														     },
	{"empty-route",     NULL,                           SS "address=a.example\nmethod=eap\n[ipv4]\nroute1=\n",
         "ipv4.route1: '' is not a subnet"																},
	{"bad-uuid",        NULL,
         "[connection]\nid=x\nuuid=nope\ntype=vpn\n[vpn]\nservice-type="
         "org.freedesktop.NetworkManager.strongswan\n",                                                                            "connection.uuid: 'nope' is not a UUID"},
	{"ls-ikev2-never",  NULL,                           LS "right=a.example\nikev2=never\n",
         "vpn.ikev2: 'never' means IKEv1, which Ferry does not speak"												     },
	{"ls-authby",       NULL,                           LS "right=a.example\nikev2=insist\nauthby=rsasig\n",
         "vpn.authby: 'rsasig' needs a certificate or key Ferry cannot import"											    },
	{"ls-ike",          NULL,			   LS "right=a.example\nikev2=insist\nike=aes_gcm256-sha2;dh99\n",
         "vpn.ike: unknown algorithm 'dh99'"															      },
	{"ls-lifetime",     NULL,                           LS "right=a.example\nikev2=insist\nikelifetime=8w\n",
         "vpn.ikelifetime: '8w' is not a duration (seconds, or a number with s, m, h, d)"                                                                                 },
	{"ls-type",         NULL,			   LS "right=a.example\nikev2=insist\ntype=passthrough\n",
         "vpn.type: unknown value 'passthrough' (tunnel, transport)"												      },
	{"not-keyfile",     NULL,                           "[vpn]\n\x01\x02",						     NULL                                   },
};

static void
test_bad(gconstpointer data)
{
	const BadCase *c = data;
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) out = NULL;
	g_autofree char *path = NULL;
	FerryImportOptions opts = {.format = FERRY_IMPORT_FORMAT_NM};

	if (c->file) {
		path = test_data_path("nm", c->file, NULL);
		out = ferry_import_file(path, NULL, &error);
	} else {
		path = g_strdup("in.nmconnection");
		out = ferry_import_data((const guint8 *)c->text, strlen(c->text), path, &opts,
		                        &error);
	}
	g_assert_null(out);
	g_assert_error(error, FERRY_ERROR, FERRY_ERROR_CONFIG);
	g_assert_true(g_str_has_prefix(error->message, path));
	if (c->message)
		g_assert_cmpstr(error->message + strlen(path) + 2, ==, c->message);
}

/* NM connections are imported, never exported: the round trip goes through Ferry's own
 * keyfile, which must carry everything the import produced. */
static void
test_round_trip(gconstpointer data)
{
	g_autoptr(GPtrArray) keep = test_import_ok("nm", data, 1);
	FerryImport *im = g_ptr_array_index(keep, 0);
	g_autoptr(GError) error = NULL;
	g_autoptr(GBytes) out =
		ferry_export(im->profile, im->secrets, FERRY_EXPORT_KEYFILE, NULL, &error);
	g_autoptr(GPtrArray) back = NULL;

	g_assert_no_error(error);
	back = ferry_import_data(g_bytes_get_data(out, NULL), g_bytes_get_size(out), "rt", NULL,
	                         &error);
	g_assert_no_error(error);
	g_assert_cmpint(((FerryImport *)g_ptr_array_index(back, 0))->format, ==,
	                FERRY_IMPORT_FORMAT_KEYFILE);
	g_assert_true(ferry_profile_equal(im->profile,
	                                  ((FerryImport *)g_ptr_array_index(back, 0))->profile));
}

int
main(int argc, char **argv)
{
	static const char *const good[] = {
		"strongswan-eap.nmconnection", "strongswan-cert.nmconnection",
		"strongswan-psk.nmconnection", "strongswan-smartcard.nmconnection",
		"libreswan-psk.nmconnection"};

	g_test_init(&argc, &argv, NULL);

	g_test_add_func("/ferry/profile/nm/strongswan-eap", test_strongswan_eap);
	g_test_add_func("/ferry/profile/nm/strongswan-cert", test_strongswan_cert);
	g_test_add_func("/ferry/profile/nm/strongswan-psk", test_strongswan_psk);
	g_test_add_func("/ferry/profile/nm/strongswan-smartcard", test_strongswan_smartcard);
	g_test_add_func("/ferry/profile/nm/libreswan-psk", test_libreswan_psk);
	for (gsize i = 0; i < G_N_ELEMENTS(bad_cases); i++) {
		g_autofree char *path =
			g_strdup_printf("/ferry/profile/nm/bad/%s", bad_cases[i].label);

		g_test_add_data_func(path, &bad_cases[i], test_bad);
	}
	for (gsize i = 0; i < G_N_ELEMENTS(good); i++) {
		g_autofree char *path = g_strdup_printf("/ferry/profile/nm/round-trip/%s", good[i]);

		g_test_add_data_func(path, good[i], test_round_trip);
	}
	return g_test_run();
}
