/* crypto-cert-id.c - does a certificate name an IKE identity? (RFC 7296 §3.5, RFC 4945 §3.1) */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "crypto-cert-private.h"
#include "ike-registry.h"

#define SAN_MAX        256 /* subjectAltNames looked at */
#define NAME_MAX_LEN   256 /* bytes of one DNS name, e-mail address or CN */
#define DN_RDN_MAX     64
#define DN_AVA_MAX     16
#define ID_TEXT_MAX    300
#define NAMES_TEXT_MAX 400

/* A subjectAltName, or a CN of the subject.  Text is NUL-terminated. */
typedef struct {
	int type; /* gnutls_x509_subject_alt_name_t */
	uint8_t data[NAME_MAX_LEN + 1];
	size_t len;
} AltName;

/* Returns false when there is no i-th subjectAltName. */
static bool
get_alt_name(const CryptoCert *c, unsigned i, AltName *n)
{
	int ret;

	for (; i < SAN_MAX; i++) {
		n->len = NAME_MAX_LEN;
		ret = gnutls_x509_crt_get_subject_alt_name2(c->crt, i, n->data, &n->len,
		                                            (unsigned *)&n->type, NULL);
		if (ret == GNUTLS_E_SHORT_MEMORY_BUFFER)
			continue; /* absurdly long: cannot match anything we compare */
		if (ret < 0)
			return false;
		n->data[n->len < NAME_MAX_LEN ? n->len : NAME_MAX_LEN] = '\0';
		return true;
	}
	return false;
}

static bool
text_equal_nocase(const uint8_t *a, size_t a_len, const uint8_t *b, size_t b_len)
{
	/* a trailing dot marks a fully qualified DNS name; it does not change the name */
	if (a_len > 1 && a[a_len - 1] == '.')
		a_len--;
	if (b_len > 1 && b[b_len - 1] == '.')
		b_len--;
	if (a_len != b_len || memchr(a, '\0', a_len) || memchr(b, '\0', b_len))
		return false;
	return strncasecmp((const char *)a, (const char *)b, a_len) == 0;
}

static bool
match_alt_name(const CryptoCert *c, int type, const uint8_t *id, size_t id_len, bool *had_type)
{
	AltName n;

	for (unsigned i = 0; get_alt_name(c, i, &n); i++) {
		if (n.type != type)
			continue;
		*had_type = true;
		if (type == GNUTLS_SAN_IPADDRESS) {
			if (n.len == id_len && memcmp(n.data, id, id_len) == 0)
				return true;
		} else if (text_equal_nocase(n.data, n.len, id, id_len)) {
			return true;
		}
	}
	return false;
}

static bool
match_common_name(const CryptoCert *c, const uint8_t *id, size_t id_len)
{
	char cn[NAME_MAX_LEN + 1];
	size_t len;

	for (unsigned i = 0; i < DN_RDN_MAX; i++) {
		len = sizeof(cn);
		if (gnutls_x509_crt_get_dn_by_oid(c->crt, GNUTLS_OID_X520_COMMON_NAME, i, 0, cn,
		                                  &len) < 0)
			return false;
		if (text_equal_nocase((const uint8_t *)cn, strnlen(cn, len), id, id_len))
			return true;
	}
	return false;
}

static bool
match_fqdn(const CryptoCert *c, const uint8_t *id, size_t id_len)
{
	bool had_dns = false;

	if (match_alt_name(c, GNUTLS_SAN_DNSNAME, id, id_len, &had_dns))
		return true;
	/* RFC 6125 §6.4.4: the CN only counts when there is no dNSName at all. */
	return !had_dns && match_common_name(c, id, id_len);
}

static bool
datum_equal_nocase(const gnutls_datum_t *a, const gnutls_datum_t *b)
{
	return a->size == b->size &&
	       strncasecmp((const char *)a->data, (const char *)b->data, a->size) == 0;
}

/* Attribute by attribute, in order; string types may differ (PrintableString vs UTF8String),
 * values compare without regard to ASCII case. */
static bool
dn_equal(gnutls_x509_dn_t a, gnutls_x509_dn_t b)
{
	gnutls_x509_ava_st x, y;
	int ra, rb;

	for (int irdn = 0; irdn < DN_RDN_MAX; irdn++) {
		for (int iava = 0; iava < DN_AVA_MAX; iava++) {
			ra = gnutls_x509_dn_get_rdn_ava(a, irdn, iava, &x);
			rb = gnutls_x509_dn_get_rdn_ava(b, irdn, iava, &y);
			if (ra < 0 || rb < 0) {
				if ((ra < 0) != (rb < 0))
					return false;
				if (iava == 0)
					return irdn > 0; /* both ended */
				break;
			}
			if (x.oid.size != y.oid.size ||
			    memcmp(x.oid.data, y.oid.data, x.oid.size) ||
			    !datum_equal_nocase(&x.value, &y.value))
				return false;
		}
	}
	return false;
}

static bool
match_dn_der(const CryptoCert *c, const uint8_t *id, size_t id_len)
{
	gnutls_x509_dn_t subject, peer;
	gnutls_datum_t d = {(unsigned char *)id, (unsigned)id_len};
	bool eq;

	if (id_len == c->subject_der.size && memcmp(id, c->subject_der.data, id_len) == 0)
		return true;
	if (gnutls_x509_crt_get_subject(c->crt, &subject) < 0 || gnutls_x509_dn_init(&peer) < 0)
		return false;
	eq = gnutls_x509_dn_import(peer, &d) >= 0 && dn_equal(subject, peer);
	gnutls_x509_dn_deinit(peer);
	return eq;
}

static bool
match_key_id(const CryptoCert *c, const uint8_t *id, size_t id_len)
{
	uint8_t buf[64];
	size_t len = sizeof(buf);
	unsigned critical;

	if (gnutls_x509_crt_get_subject_key_id(c->crt, buf, &len, &critical) >= 0 &&
	    len == id_len && memcmp(buf, id, len) == 0)
		return true;
	len = sizeof(buf);
	if (gnutls_x509_crt_get_key_id(c->crt, GNUTLS_KEYID_USE_SHA1, buf, &len) >= 0 &&
	    len == id_len && memcmp(buf, id, len) == 0)
		return true;
	return id_len == 20 && crypto_cert_get_spki_sha1(c, buf) == CRYPTO_CERT_OK &&
	       memcmp(buf, id, 20) == 0;
}

static void
append(char *buf, size_t cap, const char *label, const char *text)
{
	size_t used = strlen(buf);

	if (used + 1 < cap)
		snprintf(buf + used, cap - used, "%s%s%s", used ? ", " : "", label, text);
}

static void
printable(char *out, size_t cap, const uint8_t *in, size_t len)
{
	size_t o = 0;

	for (size_t i = 0; i < len && o + 1 < cap; i++)
		out[o++] = (in[i] >= 0x20 && in[i] < 0x7f) ? (char)in[i] : '?';
	out[o] = '\0';
}

/* "DNS:vpn.example.com, IP:203.0.113.1, email:a@b" or "no subjectAltName". */
static void
describe_alt_names(const CryptoCert *c, char *buf, size_t cap)
{
	char text[NAME_MAX_LEN + 1];
	AltName n;

	buf[0] = '\0';
	for (unsigned i = 0; get_alt_name(c, i, &n); i++) {
		switch (n.type) {
		case GNUTLS_SAN_DNSNAME:
			printable(text, sizeof(text), n.data, n.len);
			append(buf, cap, "DNS:", text);
			break;
		case GNUTLS_SAN_RFC822NAME:
			printable(text, sizeof(text), n.data, n.len);
			append(buf, cap, "email:", text);
			break;
		case GNUTLS_SAN_IPADDRESS:
			if ((n.len != 4 && n.len != 16) ||
			    !inet_ntop(n.len == 4 ? AF_INET : AF_INET6, n.data, text, sizeof(text)))
				snprintf(text, sizeof(text), "(%zu bytes)", n.len);
			append(buf, cap, "IP:", text);
			break;
		default:
			break;
		}
	}
	if (!buf[0])
		snprintf(buf, cap, "no subjectAltName");
}

static void
describe_id(uint8_t type, const uint8_t *id, size_t len, char *buf, size_t cap)
{
	gnutls_datum_t d = {(unsigned char *)id, (unsigned)len}, str = {NULL, 0};
	gnutls_x509_dn_t dn;

	switch (type) {
	case IKE_ID_FQDN:
	case IKE_ID_RFC822_ADDR:
		printable(buf, cap, id, len);
		return;
	case IKE_ID_IPV4_ADDR:
	case IKE_ID_IPV6_ADDR:
		if ((len == 4 || len == 16) &&
		    inet_ntop(len == 4 ? AF_INET : AF_INET6, id, buf, (socklen_t)cap))
			return;
		break;
	case IKE_ID_DER_ASN1_DN:
		if (gnutls_x509_dn_init(&dn) < 0)
			break;
		if (gnutls_x509_dn_import(dn, &d) >= 0 &&
		    gnutls_x509_dn_get_str2(dn, &str, 0) >= 0) {
			printable(buf, cap, str.data, str.size);
			gnutls_free(str.data);
			gnutls_x509_dn_deinit(dn);
			return;
		}
		gnutls_x509_dn_deinit(dn);
		break;
	case IKE_ID_KEY_ID: {
		size_t o = 0;

		for (size_t i = 0; i < len && o + 3 < cap; i++)
			o += (size_t)snprintf(buf + o, cap - o, "%02x", id[i]);
		buf[o] = '\0';
		return;
	}
	}
	snprintf(buf, cap, "(%zu bytes)", len);
}

static const char *
id_type_text(uint8_t type)
{
	switch (type) {
	case IKE_ID_FQDN:
		return "FQDN";
	case IKE_ID_RFC822_ADDR:
		return "e-mail";
	case IKE_ID_IPV4_ADDR:
	case IKE_ID_IPV6_ADDR:
		return "IP address";
	case IKE_ID_DER_ASN1_DN:
		return "DN";
	case IKE_ID_KEY_ID:
		return "key ID";
	}
	return "identity";
}

static CryptoCertStatus
fail_mismatch(const CryptoCert *c, uint8_t type, const char *shown, CryptoCertError *err)
{
	char names[NAMES_TEXT_MAX];
	const char *type_name = id_type_text(type);

	describe_alt_names(c, names, sizeof(names));
	return crypto_cert_fail(err, CRYPTO_CERT_ERR_IDENTITY,
	                        "identity mismatch: expected %s '%s', but the certificate names "
	                        "subject '%s' and %s",
	                        type_name, shown, c->subject, names);
}

CryptoCertStatus
crypto_cert_match_id(const CryptoCert *cert,
                     uint8_t id_type,
                     const uint8_t *id_data,
                     size_t id_len,
                     CryptoCertError *err)
{
	char shown[ID_TEXT_MAX];
	bool had = false, ok;

	switch (id_type) {
	case IKE_ID_FQDN:
		ok = match_fqdn(cert, id_data, id_len);
		break;
	case IKE_ID_RFC822_ADDR:
		ok = match_alt_name(cert, GNUTLS_SAN_RFC822NAME, id_data, id_len, &had);
		break;
	case IKE_ID_IPV4_ADDR:
	case IKE_ID_IPV6_ADDR:
		ok = id_len == (id_type == IKE_ID_IPV4_ADDR ? 4u : 16u) &&
		     match_alt_name(cert, GNUTLS_SAN_IPADDRESS, id_data, id_len, &had);
		break;
	case IKE_ID_DER_ASN1_DN:
		ok = match_dn_der(cert, id_data, id_len);
		break;
	case IKE_ID_KEY_ID:
		ok = match_key_id(cert, id_data, id_len);
		break;
	default:
		return crypto_cert_fail(err, CRYPTO_CERT_ERR_UNSUPPORTED,
		                        "identity type %u cannot be matched against a certificate",
		                        id_type);
	}
	if (ok)
		return crypto_cert_ok(err);
	describe_id(id_type, id_data, id_len, shown, sizeof(shown));
	return fail_mismatch(cert, id_type, shown, err);
}

/* "C=CH, O=X, CN=y" -> "CN=y,O=X,C=CH": RFC 4514 lists RDNs last first, strongSwan and most
 * administrators first first; both orders are tried.  Escaped commas stay inside their RDN. */
static char *
reverse_rdns(const char *s)
{
	size_t len = strlen(s), starts[DN_RDN_MAX], ends[DN_RDN_MAX], n = 0, o = 0;
	char *out;

	starts[0] = 0;
	for (size_t i = 0; i <= len && n < DN_RDN_MAX; i++) {
		if (i < len && !(s[i] == ',' && (i == 0 || s[i - 1] != '\\')))
			continue;
		ends[n++] = i;
		if (n < DN_RDN_MAX)
			starts[n] = i + 1;
	}
	out = malloc(len + 1);
	if (!out)
		return NULL;
	while (n-- > 0) {
		size_t a = starts[n];

		while (a < ends[n] && s[a] == ' ')
			a++;
		if (o)
			out[o++] = ',';
		memcpy(out + o, s + a, ends[n] - a);
		o += ends[n] - a;
	}
	out[o] = '\0';
	return out;
}

static bool
match_dn_text(const CryptoCert *c, const char *text)
{
	gnutls_x509_dn_t subject, want;
	char *reversed;
	bool eq = false;

	if (gnutls_x509_crt_get_subject(c->crt, &subject) < 0)
		return false;
	for (int pass = 0; pass < 2 && !eq; pass++) {
		reversed = pass ? reverse_rdns(text) : NULL;
		if (pass && !reversed)
			break;
		if (gnutls_x509_dn_init(&want) >= 0) {
			eq = gnutls_x509_dn_set_str(want, pass ? reversed : text, NULL) >= 0 &&
			     dn_equal(subject, want);
			gnutls_x509_dn_deinit(want);
		}
		free(reversed);
	}
	return eq;
}

static bool
parse_hex(const char *s, uint8_t *out, size_t cap, size_t *len)
{
	size_t n = strlen(s);

	if (n == 0 || n % 2 || n / 2 > cap)
		return false;
	for (size_t i = 0; i < n / 2; i++) {
		unsigned v;

		if (sscanf(s + 2 * i, "%2x", &v) != 1)
			return false;
		out[i] = (uint8_t)v;
	}
	*len = n / 2;
	return true;
}

CryptoCertStatus
crypto_cert_match_name(const CryptoCert *cert, const char *identity, CryptoCertError *err)
{
	uint8_t addr[16], keyid[64];
	size_t keyid_len;
	const char *at;

	if (!identity || !*identity)
		return crypto_cert_fail(err, CRYPTO_CERT_ERR_IDENTITY, "no identity to match");
	if (inet_pton(AF_INET, identity, addr) == 1)
		return crypto_cert_match_id(cert, IKE_ID_IPV4_ADDR, addr, 4, err);
	if (inet_pton(AF_INET6, identity, addr) == 1)
		return crypto_cert_match_id(cert, IKE_ID_IPV6_ADDR, addr, 16, err);
	if (identity[0] == '@' && identity[1] == '#') {
		if (!parse_hex(identity + 2, keyid, sizeof(keyid), &keyid_len))
			return crypto_cert_fail(err, CRYPTO_CERT_ERR_UNSUPPORTED,
			                        "'%s' is not a key ID", identity);
		return crypto_cert_match_id(cert, IKE_ID_KEY_ID, keyid, keyid_len, err);
	}
	if (identity[0] == '@')
		return crypto_cert_match_id(cert, IKE_ID_FQDN, (const uint8_t *)identity + 1,
		                            strlen(identity + 1), err);
	if (strchr(identity, '=')) {
		if (match_dn_text(cert, identity))
			return crypto_cert_ok(err);
		return fail_mismatch(cert, IKE_ID_DER_ASN1_DN, identity, err);
	}
	at = strchr(identity, '@');
	return crypto_cert_match_id(cert, at ? IKE_ID_RFC822_ADDR : IKE_ID_FQDN,
	                            (const uint8_t *)identity, strlen(identity), err);
}
