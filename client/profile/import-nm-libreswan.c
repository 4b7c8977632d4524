/* import-nm-libreswan.c - the [vpn] items of NetworkManager-libreswan connections
 *
 * The items are ipsec.conf conn keys (shared/reference/profile-formats.md §c); algorithm
 * lists in libreswan's syntax are translated to strongSwan's.
 */
#include "config.h"

#include <string.h>

#include "ferry-error.h"
#include "import-nm.h"
#include "profile-proposal.h"
#include "profile-validate.h"

#define FAIL(error, field, ...)                                                                    \
	G_STMT_START                                                                               \
	{                                                                                          \
		g_autofree char *msg__ = g_strdup_printf(__VA_ARGS__);                             \
		g_set_error(error, FERRY_ERROR, FERRY_ERROR_CONFIG, "%s: %s", field, msg__);       \
		return FALSE;                                                                      \
	}                                                                                          \
	G_STMT_END

/* libreswan algorithm name -> strongSwan keyword(s), '-'-joined alternatives.  "aes" and
 * "aes_gcm" without a key size offer both 128 and 256 bits, as libreswan does for IKEv2. */
static const struct {
	const char *libreswan;
	const char *strongswan;
} algorithms[] = {
	{"aes",               "aes128-aes256"          },
	{"aes_cbc",           "aes128-aes256"          },
	{"aes128",            "aes128"                 },
	{"aes_cbc128",        "aes128"                 },
	{"aes192",            "aes192"                 },
	{"aes256",            "aes256"                 },
	{"aes_cbc256",        "aes256"                 },
	{"aes_ctr",           "aes128ctr-aes256ctr"    },
	{"aes_ctr128",        "aes128ctr"              },
	{"aes_ctr256",        "aes256ctr"              },
	{"aes_gcm",           "aes128gcm16-aes256gcm16"},
	{"aes_gcm_c",         "aes128gcm16-aes256gcm16"},
	{"aes_gcm128",        "aes128gcm16"            },
	{"aes_gcm_c_128",     "aes128gcm16"            },
	{"aes_gcm256",        "aes256gcm16"            },
	{"aes_gcm_c_256",     "aes256gcm16"            },
	{"aes_gcm_b_256",     "aes256gcm12"            },
	{"aes_gcm_a_256",     "aes256gcm8"             },
	{"3des",              "3des"                   },
	{"chacha20_poly1305", "chacha20poly1305"       },
	{"chacha20poly1305",  "chacha20poly1305"       },
	{"md5",               "md5"                    },
	{"sha",               "sha1"                   },
	{"sha1",              "sha1"                   },
	{"sha2",              "sha256"                 },
	{"sha256",            "sha256"                 },
	{"sha2_256",          "sha256"                 },
	{"sha384",            "sha384"                 },
	{"sha2_384",          "sha384"                 },
	{"sha512",            "sha512"                 },
	{"sha2_512",          "sha512"                 },
	{"aes_xcbc",          "aesxcbc"                },
	{"null",              ""		       }, /* the integrity of an AEAD cipher */
	{"modp1024",          "modp1024"               },
	{"dh2",               "modp1024"               },
	{"modp1536",          "modp1536"               },
	{"dh5",               "modp1536"               },
	{"modp2048",          "modp2048"               },
	{"dh14",              "modp2048"               },
	{"modp3072",          "modp3072"               },
	{"dh15",              "modp3072"               },
	{"modp4096",          "modp4096"               },
	{"dh16",              "modp4096"               },
	{"ecp_256",           "ecp256"                 },
	{"ecp256",            "ecp256"                 },
	{"dh19",              "ecp256"                 },
	{"ecp_384",           "ecp384"                 },
	{"ecp384",            "ecp384"                 },
	{"dh20",              "ecp384"                 },
	{"ecp_521",           "ecp521"                 },
	{"ecp521",            "ecp521"                 },
	{"dh21",              "ecp521"                 },
	{"curve25519",        "x25519"                 },
	{"dh31",              "x25519"                 },
};

static const char *
translate_word(const char *word)
{
	for (gsize i = 0; i < G_N_ELEMENTS(algorithms); i++) {
		if (g_ascii_strcasecmp(algorithms[i].libreswan, word) == 0)
			return algorithms[i].strongswan;
	}
	return NULL;
}

/* "aes_gcm256-sha2_512+sha2_256;dh19+dh20, aes256-sha2;modp2048" ->
 * "aes256gcm16-sha512-sha256-ecp256-ecp384,aes256-sha256-modp2048" */
static char *
translate_proposals(const char *text, GError **error)
{
	g_auto(GStrv) proposals = g_strsplit(text, ",", -1);
	g_autoptr(GString) out = g_string_new(NULL);

	for (guint i = 0; proposals[i]; i++) {
		g_auto(GStrv) words = g_strsplit_set(g_strstrip(proposals[i]), "-;+", -1);
		gboolean first = TRUE;

		if (i)
			g_string_append_c(out, ',');
		for (guint j = 0; words[j]; j++) {
			const char *w = g_strstrip(words[j]);
			const char *kw;

			if (!*w)
				continue;
			kw = translate_word(w);
			if (!kw) {
				g_set_error(error, FERRY_ERROR, FERRY_ERROR_CONFIG,
				            "unknown algorithm '%s'", w);
				return NULL;
			}
			if (!*kw)
				continue;
			g_string_append_printf(out, "%s%s", first ? "" : "-", kw);
			first = FALSE;
		}
	}
	return g_string_free(g_steal_pointer(&out), FALSE);
}

static gboolean
read_proposal(NmImport *nm, const char *key, IkeProto proto, char **out, GError **error)
{
	const char *v = nm_import_get(nm, key);
	g_autofree char *field = g_strdup_printf("vpn.%s", key);
	g_autofree char *text = NULL;
	g_autoptr(GArray) parsed = NULL;
	g_autoptr(GError) local = NULL;

	if (!v)
		return TRUE;
	text = translate_proposals(v, &local);
	if (text)
		parsed = profile_proposal_parse(text, proto, &local);
	if (!parsed)
		FAIL(error, field, "%s", local->message);
	g_free(*out);
	*out = g_steal_pointer(&text);
	return TRUE;
}

/* libreswan durations: plain seconds or a number with s, m, h or d. */
static gboolean
read_duration(NmImport *nm, const char *key, guint *out, GError **error)
{
	const char *v = nm_import_get(nm, key);
	guint64 n;
	guint mult = 1;
	char *end = NULL;

	if (!v)
		return TRUE;
	n = g_ascii_strtoull(v, &end, 10);
	if (end == v || !g_ascii_isdigit(*v))
		end = (char *)"?";
	else if (*end == 's')
		end++;
	else if (*end == 'm' && end++)
		mult = 60;
	else if (*end == 'h' && end++)
		mult = 3600;
	else if (*end == 'd' && end++)
		mult = 86400;
	if (*end || n > G_MAXUINT / mult) {
		g_set_error(error, FERRY_ERROR, FERRY_ERROR_CONFIG,
		            "vpn.%s: '%s' is not a duration (seconds, or a number with s, m, h, d)",
		            key, v);
		return FALSE;
	}
	*out = (guint)(n * mult);
	return TRUE;
}

static gboolean
read_auth(NmImport *nm, GError **error)
{
	FerryProfile *p = nm->import->profile;
	const char *authby = nm_import_get(nm, "authby");
	const char *leftcert = nm_import_get(nm, "leftcert");
	FerrySecret *psk;

	if (leftcert)
		FAIL(error, "vpn.leftcert",
		     "'%s' names a certificate in libreswan's NSS database, which Ferry cannot "
		     "read; export it with `pk12util -d sql:/var/lib/ipsec/nss -n '%s' -o "
		     "client.p12` and set client-pkcs12 in a Ferry profile",
		     leftcert, leftcert);
	if (authby && strcmp(authby, "secret") != 0)
		FAIL(error, "vpn.authby", "'%s' needs a certificate or key Ferry cannot import",
		     authby);
	p->auth = FERRY_AUTH_PSK;
	psk = nm_import_get_secret(nm, "pskvalue");
	if (psk) {
		ferry_secret_free(nm->import->secrets->psk);
		nm->import->secrets->psk = psk;
	}
	return TRUE;
}

static gboolean
check_ikev2(NmImport *nm, GError **error)
{
	const char *ikev2 = nm_import_get(nm, "ikev2");

	if (!ikev2) {
		if (nm_import_get(nm, "leftxauthusername") || nm_import_get(nm, "leftusername"))
			FAIL(error, "vpn.ikev2",
			     "absent, and XAUTH is set: an IKEv1 connection, which Ferry does "
			     "not speak");
		ferry_import_add_unmapped(nm->import, "vpn.ikev2", "absent; assumed IKEv2");
		return TRUE;
	}
	if (strcmp(ikev2, "no") == 0 || strcmp(ikev2, "never") == 0)
		FAIL(error, "vpn.ikev2", "'%s' means IKEv1, which Ferry does not speak", ikev2);
	if (strcmp(ikev2, "yes") != 0 && strcmp(ikev2, "insist") != 0 &&
	    strcmp(ikev2, "propose") != 0 && strcmp(ikev2, "permit") != 0)
		FAIL(error, "vpn.ikev2", "unknown value '%s'", ikev2);
	return TRUE;
}

static gboolean
read_subnets(NmImport *nm, GError **error)
{
	FerryProfile *p = nm->import->profile;
	const char *one = nm_import_get(nm, "rightsubnet");
	const char *many = nm_import_get(nm, "rightsubnets");
	g_autofree char *joined = g_strdup_printf("%s %s", one ? one : "", many ? many : "");
	g_auto(GStrv) words = g_strsplit_set(joined, " ,{}", -1);
	g_autoptr(GPtrArray) subnets = g_ptr_array_new_with_free_func(g_free);

	for (guint i = 0; words[i]; i++) {
		if (!*words[i])
			continue;
		if (!profile_parse_subnet(words[i], NULL, NULL))
			FAIL(error, one ? "vpn.rightsubnet" : "vpn.rightsubnets",
			     "'%s' is not a subnet", words[i]);
		/* 0.0.0.0/0 is libreswan's default: everything, which is also ours */
		if (strcmp(words[i], "0.0.0.0/0") != 0 && strcmp(words[i], "::/0") != 0)
			g_ptr_array_add(subnets, g_strdup(words[i]));
	}
	if (subnets->len) {
		g_ptr_array_add(subnets, NULL);
		p->include_subnets = (char **)g_ptr_array_free(g_steal_pointer(&subnets), FALSE);
	}
	return TRUE;
}

static gboolean
read_misc(NmImport *nm, GError **error)
{
	FerryProfile *p = nm->import->profile;
	const char *type = nm_import_get(nm, "type");
	const char *modecfg = nm_import_get(nm, "leftmodecfgclient");
	const char *left = nm_import_get(nm, "left");
	gboolean pfs = TRUE;

	if (type && strcmp(type, "transport") == 0) {
		p->mode = FERRY_IPSEC_TRANSPORT;
		p->virtual_ip4 = p->virtual_ip6 = FALSE;
	} else if (type && strcmp(type, "tunnel") != 0) {
		FAIL(error, "vpn.type", "unknown value '%s' (tunnel, transport)", type);
	}
	if (modecfg && strcmp(modecfg, "no") == 0)
		p->virtual_ip4 = p->virtual_ip6 = FALSE;
	if (left && strcmp(left, "%defaultroute") != 0)
		ferry_import_add_unmapped(nm->import, "vpn.left",
		                          "Ferry picks the local address by routing");
	if (!nm_import_get_bool(nm, "pfs", TRUE, &pfs, error))
		return FALSE;
	if (!pfs)
		p->pfs = FERRY_PFS_NO;
	if (!read_duration(nm, "ikelifetime", &p->ike_lifetime, error) ||
	    !read_duration(nm, "salifetime", &p->child_lifetime, error) ||
	    !read_duration(nm, "dpddelay", &p->dpd, error))
		return FALSE;
	/* bookkeeping of the NM plugin itself */
	nm_import_ignore(nm, NM_GROUP_VPN, "pskinputmodes");
	nm_import_ignore(nm, NM_GROUP_VPN, "xauthpasswordinputmodes");
	nm_import_ignore(nm, NM_GROUP_VPN, "nm-auto-defaults");
	return TRUE;
}

gboolean
nm_import_libreswan(NmImport *nm, GError **error)
{
	FerryProfile *p = nm->import->profile;
	const char *right = nm_import_get(nm, "right");
	const char *rightid = nm_import_get(nm, "rightid");
	const char *leftid = nm_import_get(nm, "leftid");

	if (!right)
		FAIL(error, "vpn.right", "missing (the VPN server's host name or address)");
	if (!profile_is_ip_address(right) && !profile_is_dns_name(right))
		FAIL(error, "vpn.right", "'%s' is not a host name or IP address", right);
	p->gateway = g_strdup(right);
	if (rightid) {
		p->remote_id = g_strdup(rightid);
		p->remote_id_strict = TRUE;
	}
	if (leftid)
		p->local_id = g_strdup(leftid);
	if (!check_ikev2(nm, error) || !read_auth(nm, error) ||
	    !read_proposal(nm, "ike", IKE_PROTO_IKE, &p->ike_proposals, error) ||
	    !read_proposal(nm, "esp", IKE_PROTO_ESP, &p->esp_proposals, error) ||
	    !read_proposal(nm, "phase2alg", IKE_PROTO_ESP, &p->esp_proposals, error) ||
	    !read_subnets(nm, error) || !read_misc(nm, error))
		return FALSE;
	/* libreswan's pfs=yes (its default) without a group in esp= uses the IKE SA's */
	if (p->pfs != FERRY_PFS_NO)
		p->pfs = FERRY_PFS_YES;
	return TRUE;
}
