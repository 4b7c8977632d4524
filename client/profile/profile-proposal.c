/* profile-proposal.c - parses and renders proposals written in strongSwan's syntax */
#include "config.h"

#include <string.h>

#include "ferry-error.h"
#include "profile-proposal.h"

/* Longest proposal text we accept; real ones are well under 300 characters. */
#define PROPOSAL_TEXT_MAX 4096

typedef struct {
	const char *keyword;
	guint8 type; /* IKE_TRANSFORM_* */
	guint16 id;
	guint16 key_bits; /* KEY_LENGTH attribute, 0 = none (RFC 7296 §3.3.5) */
	gboolean aead;
	gboolean canonical; /* the spelling the renderer uses */
} Keyword;

#define ENC(kw, id, bits, aead, canon)                                                             \
	{                                                                                          \
		kw, IKE_TRANSFORM_ENCR, id, bits, aead, canon                                      \
	}
#define INTEG(kw, id, canon)                                                                       \
	{                                                                                          \
		kw, IKE_TRANSFORM_INTEG, id, 0, FALSE, canon                                       \
	}
#define PRF(kw, id, canon)                                                                         \
	{                                                                                          \
		kw, IKE_TRANSFORM_PRF, id, 0, FALSE, canon                                         \
	}
#define KE(kw, id, canon)                                                                          \
	{                                                                                          \
		kw, IKE_TRANSFORM_KE, id, 0, FALSE, canon                                          \
	}

/* strongSwan keywords.  AES-GCM/CCM name the ICV length in octets (gcm16) or bits (gcm128);
 * "aes256gcm" means the 16-octet ICV.  ChaCha20-Poly1305 and 3DES have a fixed key and no
 * KEY_LENGTH attribute (RFC 7634 §2, RFC 7296 §3.3.5). */
static const Keyword keywords[] = {
	ENC("aes128", IKE_ENCR_AES_CBC, 128, FALSE, TRUE),
	ENC("aes192", IKE_ENCR_AES_CBC, 192, FALSE, TRUE),
	ENC("aes256", IKE_ENCR_AES_CBC, 256, FALSE, TRUE),
	ENC("aes", IKE_ENCR_AES_CBC, 128, FALSE, FALSE),
	ENC("aes128ctr", IKE_ENCR_AES_CTR, 128, FALSE, TRUE),
	ENC("aes192ctr", IKE_ENCR_AES_CTR, 192, FALSE, TRUE),
	ENC("aes256ctr", IKE_ENCR_AES_CTR, 256, FALSE, TRUE),
	ENC("3des", IKE_ENCR_3DES, 0, FALSE, TRUE),
	ENC("aes128gcm8", IKE_ENCR_AES_GCM_8, 128, TRUE, TRUE),
	ENC("aes192gcm8", IKE_ENCR_AES_GCM_8, 192, TRUE, TRUE),
	ENC("aes256gcm8", IKE_ENCR_AES_GCM_8, 256, TRUE, TRUE),
	ENC("aes128gcm12", IKE_ENCR_AES_GCM_12, 128, TRUE, TRUE),
	ENC("aes192gcm12", IKE_ENCR_AES_GCM_12, 192, TRUE, TRUE),
	ENC("aes256gcm12", IKE_ENCR_AES_GCM_12, 256, TRUE, TRUE),
	ENC("aes128gcm16", IKE_ENCR_AES_GCM_16, 128, TRUE, TRUE),
	ENC("aes192gcm16", IKE_ENCR_AES_GCM_16, 192, TRUE, TRUE),
	ENC("aes256gcm16", IKE_ENCR_AES_GCM_16, 256, TRUE, TRUE),
	ENC("aes128gcm64", IKE_ENCR_AES_GCM_8, 128, TRUE, FALSE),
	ENC("aes192gcm64", IKE_ENCR_AES_GCM_8, 192, TRUE, FALSE),
	ENC("aes256gcm64", IKE_ENCR_AES_GCM_8, 256, TRUE, FALSE),
	ENC("aes128gcm96", IKE_ENCR_AES_GCM_12, 128, TRUE, FALSE),
	ENC("aes192gcm96", IKE_ENCR_AES_GCM_12, 192, TRUE, FALSE),
	ENC("aes256gcm96", IKE_ENCR_AES_GCM_12, 256, TRUE, FALSE),
	ENC("aes128gcm128", IKE_ENCR_AES_GCM_16, 128, TRUE, FALSE),
	ENC("aes192gcm128", IKE_ENCR_AES_GCM_16, 192, TRUE, FALSE),
	ENC("aes256gcm128", IKE_ENCR_AES_GCM_16, 256, TRUE, FALSE),
	ENC("aes128gcm", IKE_ENCR_AES_GCM_16, 128, TRUE, FALSE),
	ENC("aes192gcm", IKE_ENCR_AES_GCM_16, 192, TRUE, FALSE),
	ENC("aes256gcm", IKE_ENCR_AES_GCM_16, 256, TRUE, FALSE),
	ENC("aes128ccm8", IKE_ENCR_AES_CCM_8, 128, TRUE, TRUE),
	ENC("aes192ccm8", IKE_ENCR_AES_CCM_8, 192, TRUE, TRUE),
	ENC("aes256ccm8", IKE_ENCR_AES_CCM_8, 256, TRUE, TRUE),
	ENC("aes128ccm12", IKE_ENCR_AES_CCM_12, 128, TRUE, TRUE),
	ENC("aes192ccm12", IKE_ENCR_AES_CCM_12, 192, TRUE, TRUE),
	ENC("aes256ccm12", IKE_ENCR_AES_CCM_12, 256, TRUE, TRUE),
	ENC("aes128ccm16", IKE_ENCR_AES_CCM_16, 128, TRUE, TRUE),
	ENC("aes192ccm16", IKE_ENCR_AES_CCM_16, 192, TRUE, TRUE),
	ENC("aes256ccm16", IKE_ENCR_AES_CCM_16, 256, TRUE, TRUE),
	ENC("chacha20poly1305", IKE_ENCR_CHACHA20_POLY1305, 0, TRUE, TRUE),
	INTEG("md5", IKE_INTEG_HMAC_MD5_96, TRUE),
	INTEG("sha1", IKE_INTEG_HMAC_SHA1_96, TRUE),
	INTEG("sha", IKE_INTEG_HMAC_SHA1_96, FALSE),
	INTEG("sha256", IKE_INTEG_HMAC_SHA2_256_128, TRUE),
	INTEG("sha2_256", IKE_INTEG_HMAC_SHA2_256_128, FALSE),
	INTEG("sha384", IKE_INTEG_HMAC_SHA2_384_192, TRUE),
	INTEG("sha2_384", IKE_INTEG_HMAC_SHA2_384_192, FALSE),
	INTEG("sha512", IKE_INTEG_HMAC_SHA2_512_256, TRUE),
	INTEG("sha2_512", IKE_INTEG_HMAC_SHA2_512_256, FALSE),
	INTEG("aesxcbc", IKE_INTEG_AES_XCBC_96, TRUE),
	PRF("prfmd5", IKE_PRF_HMAC_MD5, TRUE),
	PRF("prfsha1", IKE_PRF_HMAC_SHA1, TRUE),
	PRF("prfsha256", IKE_PRF_HMAC_SHA2_256, TRUE),
	PRF("prfsha384", IKE_PRF_HMAC_SHA2_384, TRUE),
	PRF("prfsha512", IKE_PRF_HMAC_SHA2_512, TRUE),
	PRF("prfaesxcbc", IKE_PRF_AES128_XCBC, TRUE),
	PRF("prfaescmac", IKE_PRF_AES128_CMAC, TRUE),
	KE("modp1024", IKE_KE_MODP_1024, TRUE),
	KE("modp1536", IKE_KE_MODP_1536, TRUE),
	KE("modp2048", IKE_KE_MODP_2048, TRUE),
	KE("modp3072", IKE_KE_MODP_3072, TRUE),
	KE("modp4096", IKE_KE_MODP_4096, TRUE),
	KE("ecp256", IKE_KE_ECP_256, TRUE),
	KE("ecp384", IKE_KE_ECP_384, TRUE),
	KE("ecp521", IKE_KE_ECP_521, TRUE),
	KE("x25519", IKE_KE_CURVE25519, TRUE),
	KE("curve25519", IKE_KE_CURVE25519, FALSE),
	KE("x448", IKE_KE_CURVE448, TRUE),
	KE("curve448", IKE_KE_CURVE448, FALSE),
	{"esn",   IKE_TRANSFORM_ESN, IKE_ESN_YES, 0, FALSE, TRUE},
	{"noesn", IKE_TRANSFORM_ESN, IKE_ESN_NO,  0, FALSE, TRUE},
};

/* In IKE proposals without a PRF, an integrity algorithm implies the PRF on the same hash,
 * as strongSwan does. */
static const struct {
	guint16 integ;
	guint16 prf;
} integ_to_prf[] = {
	{IKE_INTEG_HMAC_MD5_96,       IKE_PRF_HMAC_MD5     },
	{IKE_INTEG_HMAC_SHA1_96,      IKE_PRF_HMAC_SHA1    },
	{IKE_INTEG_HMAC_SHA2_256_128, IKE_PRF_HMAC_SHA2_256},
	{IKE_INTEG_HMAC_SHA2_384_192, IKE_PRF_HMAC_SHA2_384},
	{IKE_INTEG_HMAC_SHA2_512_256, IKE_PRF_HMAC_SHA2_512},
	{IKE_INTEG_AES_XCBC_96,       IKE_PRF_AES128_XCBC  },
};

static const Keyword *
find_keyword(const char *word)
{
	for (gsize i = 0; i < G_N_ELEMENTS(keywords); i++) {
		if (g_ascii_strcasecmp(keywords[i].keyword, word) == 0)
			return &keywords[i];
	}
	return NULL;
}

static const Keyword *
find_transform(const IkeTransform *t)
{
	const Keyword *fallback = NULL;

	for (gsize i = 0; i < G_N_ELEMENTS(keywords); i++) {
		const Keyword *k = &keywords[i];

		if (k->type != t->type || k->id != t->id || k->key_bits != t->key_bits)
			continue;
		if (k->canonical)
			return k;
		fallback = fallback ? fallback : k;
	}
	return fallback;
}

static gboolean
is_aead(const IkeTransform *t)
{
	const Keyword *k = find_transform(t);

	return k && k->aead;
}

static guint
count_type(const IkeProposal *p, guint8 type)
{
	guint n = 0;

	for (guint i = 0; i < p->n_transforms; i++)
		n += p->transforms[i].type == type;
	return n;
}

static gboolean
has_transform(const IkeProposal *p, const IkeTransform *t)
{
	for (guint i = 0; i < p->n_transforms; i++) {
		const IkeTransform *o = &p->transforms[i];

		if (o->type == t->type && o->id == t->id && o->key_bits == t->key_bits)
			return TRUE;
	}
	return FALSE;
}

static gboolean
add_transform(IkeProposal *p, guint8 type, guint16 id, guint16 key_bits, GError **error)
{
	IkeTransform t = {.type = type, .id = id, .key_bits = key_bits};

	if (has_transform(p, &t))
		return TRUE;
	if (p->n_transforms >= IKE_MAX_TRANSFORMS) {
		g_set_error(error, FERRY_ERROR, FERRY_ERROR_CONFIG,
		            "more than %d algorithms in one proposal", IKE_MAX_TRANSFORMS);
		return FALSE;
	}
	p->transforms[p->n_transforms++] = t;
	return TRUE;
}

static void
remove_type(IkeProposal *p, guint8 type)
{
	guint out = 0;

	for (guint i = 0; i < p->n_transforms; i++) {
		if (p->transforms[i].type != type)
			p->transforms[out++] = p->transforms[i];
	}
	p->n_transforms = (guint8)out;
}

/* Stable sort by transform type: ENCR, PRF, INTEG, KE, ESN as in RFC 7296 §3.3.2. */
static void
sort_transforms(IkeProposal *p)
{
	for (guint i = 1; i < p->n_transforms; i++) {
		IkeTransform t = p->transforms[i];
		guint j = i;

		for (; j > 0 && p->transforms[j - 1].type > t.type; j--)
			p->transforms[j] = p->transforms[j - 1];
		p->transforms[j] = t;
	}
}

static gboolean
check_keyword(const Keyword *k, const char *word, IkeProto protocol, GError **error)
{
	if (protocol == IKE_PROTO_IKE && k->type == IKE_TRANSFORM_ESN) {
		g_set_error(error, FERRY_ERROR, FERRY_ERROR_CONFIG,
		            "'%s' applies only to ESP and AH proposals", word);
		return FALSE;
	}
	if (protocol != IKE_PROTO_IKE && k->type == IKE_TRANSFORM_PRF) {
		g_set_error(error, FERRY_ERROR, FERRY_ERROR_CONFIG,
		            "'%s' is a PRF, which only IKE proposals take", word);
		return FALSE;
	}
	if (protocol == IKE_PROTO_AH && k->type == IKE_TRANSFORM_ENCR) {
		g_set_error(error, FERRY_ERROR, FERRY_ERROR_CONFIG,
		            "'%s' is an encryption algorithm, but AH only protects integrity",
		            word);
		return FALSE;
	}
	return TRUE;
}

static gboolean
read_keywords(const char *text, IkeProto protocol, IkeProposal *p, GError **error)
{
	g_auto(GStrv) words = g_strsplit(text, "-", -1);

	for (guint i = 0; words[i]; i++) {
		const char *word = g_strstrip(words[i]);
		const Keyword *k;

		if (!*word) {
			g_set_error(error, FERRY_ERROR, FERRY_ERROR_CONFIG,
			            "empty algorithm name in '%s'", text);
			return FALSE;
		}
		k = find_keyword(word);
		if (!k) {
			g_set_error(error, FERRY_ERROR, FERRY_ERROR_CONFIG,
			            "unknown algorithm '%s'", word);
			return FALSE;
		}
		if (!check_keyword(k, word, protocol, error))
			return FALSE;
		if (!add_transform(p, k->type, k->id, k->key_bits, error))
			return FALSE;
	}
	return TRUE;
}

/* Encryption must be all AEAD or all classic: the two need different transform sets
 * (RFC 5282 §8: no integrity transform with an AEAD cipher). */
static gboolean
check_encryption(const char *text, IkeProposal *p, GError **error)
{
	guint n_aead = 0, n_encr = 0;

	for (guint i = 0; i < p->n_transforms; i++) {
		if (p->transforms[i].type != IKE_TRANSFORM_ENCR)
			continue;
		n_encr++;
		n_aead += is_aead(&p->transforms[i]);
	}
	if (n_encr == 0) {
		g_set_error(error, FERRY_ERROR, FERRY_ERROR_CONFIG,
		            "proposal '%s' has no encryption algorithm (add e.g. aes256gcm16)",
		            text);
		return FALSE;
	}
	if (n_aead && n_aead != n_encr) {
		g_set_error(error, FERRY_ERROR, FERRY_ERROR_CONFIG,
		            "proposal '%s' mixes AEAD and classic ciphers; put them in separate "
		            "proposals joined by ','",
		            text);
		return FALSE;
	}
	if (n_aead) {
		/* Integrity keywords next to an AEAD cipher only served to name the PRF. */
		remove_type(p, IKE_TRANSFORM_INTEG);
	} else if (count_type(p, IKE_TRANSFORM_INTEG) == 0) {
		g_set_error(error, FERRY_ERROR, FERRY_ERROR_CONFIG,
		            "proposal '%s' has a classic cipher but no integrity algorithm (add "
		            "e.g. sha256)",
		            text);
		return FALSE;
	}
	return TRUE;
}

static gboolean
complete_ike(const char *text, IkeProposal *p, GError **error)
{
	if (count_type(p, IKE_TRANSFORM_PRF) == 0) {
		for (guint i = 0; i < p->n_transforms; i++) {
			const IkeTransform *t = &p->transforms[i];

			if (t->type != IKE_TRANSFORM_INTEG)
				continue;
			for (gsize j = 0; j < G_N_ELEMENTS(integ_to_prf); j++) {
				if (integ_to_prf[j].integ == t->id &&
				    !add_transform(p, IKE_TRANSFORM_PRF, integ_to_prf[j].prf, 0,
				                   error))
					return FALSE;
			}
		}
	}
	if (count_type(p, IKE_TRANSFORM_PRF) == 0) {
		g_set_error(error, FERRY_ERROR, FERRY_ERROR_CONFIG,
		            "proposal '%s' has no PRF (add e.g. prfsha256)", text);
		return FALSE;
	}
	if (count_type(p, IKE_TRANSFORM_KE) == 0) {
		g_set_error(error, FERRY_ERROR, FERRY_ERROR_CONFIG,
		            "proposal '%s' has no key exchange method (add e.g. x25519)", text);
		return FALSE;
	}
	return check_encryption(text, p, error);
}

static gboolean
complete_child(const char *text, IkeProto protocol, IkeProposal *p, GError **error)
{
	if (protocol == IKE_PROTO_ESP) {
		if (!check_encryption(text, p, error))
			return FALSE;
	} else if (count_type(p, IKE_TRANSFORM_INTEG) == 0) {
		g_set_error(error, FERRY_ERROR, FERRY_ERROR_CONFIG,
		            "proposal '%s' has no integrity algorithm (add e.g. sha256)", text);
		return FALSE;
	}
	/* RFC 7296 §3.3.2: ESN is mandatory in ESP and AH proposals; strongSwan defaults to
	 * "noesn" when the text names none. */
	if (count_type(p, IKE_TRANSFORM_ESN) == 0)
		return add_transform(p, IKE_TRANSFORM_ESN, IKE_ESN_NO, 0, error);
	return TRUE;
}

static gboolean
parse_one(const char *text, IkeProto protocol, IkeProposal *p, GError **error)
{
	memset(p, 0, sizeof(*p));
	p->protocol = (guint8)protocol;
	if (!read_keywords(text, protocol, p, error))
		return FALSE;
	if (protocol == IKE_PROTO_IKE) {
		if (!complete_ike(text, p, error))
			return FALSE;
	} else if (!complete_child(text, protocol, p, error)) {
		return FALSE;
	}
	sort_transforms(p);
	return TRUE;
}

static const char *
default_for(IkeProto protocol)
{
	switch (protocol) {
	case IKE_PROTO_IKE:
		return PROFILE_PROPOSAL_DEFAULT_IKE;
	case IKE_PROTO_AH:
		return PROFILE_PROPOSAL_DEFAULT_AH;
	case IKE_PROTO_ESP:
	case IKE_PROTO_NONE:
		break;
	}
	return PROFILE_PROPOSAL_DEFAULT_ESP;
}

GArray *
profile_proposal_parse(const char *text, IkeProto protocol, GError **error)
{
	g_autoptr(GArray) out = NULL;
	g_auto(GStrv) parts = NULL;

	g_return_val_if_fail(protocol == IKE_PROTO_IKE || protocol == IKE_PROTO_ESP ||
	                             protocol == IKE_PROTO_AH,
	                     NULL);

	if (!text || !*text)
		text = default_for(protocol);
	if (strlen(text) > PROPOSAL_TEXT_MAX) {
		g_set_error(error, FERRY_ERROR, FERRY_ERROR_CONFIG, "longer than %d characters",
		            PROPOSAL_TEXT_MAX);
		return NULL;
	}
	out = g_array_new(FALSE, TRUE, sizeof(IkeProposal));
	parts = g_strsplit(text, ",", -1);
	for (guint i = 0; parts[i]; i++) {
		const char *part = g_strstrip(parts[i]);
		IkeProposal p;

		if (!*part) {
			g_set_error(error, FERRY_ERROR, FERRY_ERROR_CONFIG,
			            "empty proposal in '%s'", text);
			return NULL;
		}
		if (out->len >= IKE_MAX_PROPOSALS) {
			g_set_error(error, FERRY_ERROR, FERRY_ERROR_CONFIG,
			            "more than %d proposals", IKE_MAX_PROPOSALS);
			return NULL;
		}
		if (!parse_one(part, protocol, &p, error))
			return NULL;
		p.number = (guint8)(out->len + 1);
		g_array_append_val(out, p);
	}
	return g_steal_pointer(&out);
}

const char *
profile_proposal_transform_keyword(const IkeTransform *t)
{
	const Keyword *k = find_transform(t);

	return k ? k->keyword : NULL;
}

static void
render_type(GString *s, const IkeProposal *p, guint8 type, gboolean *first)
{
	for (guint i = 0; i < p->n_transforms; i++) {
		const IkeTransform *t = &p->transforms[i];
		const char *kw;

		if (t->type != type)
			continue;
		/* "noesn" alone is what parsing an ESP proposal without ESN keywords yields. */
		if (type == IKE_TRANSFORM_ESN && t->id == IKE_ESN_NO &&
		    count_type(p, IKE_TRANSFORM_ESN) == 1)
			continue;
		kw = profile_proposal_transform_keyword(t);
		if (!*first)
			g_string_append_c(s, '-');
		if (kw)
			g_string_append(s, kw);
		else
			g_string_append_printf(s, "unknown%u_%u", t->type, t->id);
		*first = FALSE;
	}
}

char *
profile_proposal_render(const IkeProposal *proposals, guint n)
{
	static const guint8 order[] = {IKE_TRANSFORM_ENCR, IKE_TRANSFORM_INTEG, IKE_TRANSFORM_PRF,
	                               IKE_TRANSFORM_KE, IKE_TRANSFORM_ESN};
	GString *s = g_string_new(NULL);

	for (guint i = 0; i < n; i++) {
		gboolean first = TRUE;

		if (i)
			g_string_append_c(s, ',');
		for (gsize j = 0; j < G_N_ELEMENTS(order); j++)
			render_type(s, &proposals[i], order[j], &first);
	}
	return g_string_free(s, FALSE);
}

gboolean
profile_proposal_has_ke(const GArray *proposals)
{
	for (guint i = 0; proposals && i < proposals->len; i++) {
		const IkeProposal *p = &g_array_index(proposals, IkeProposal, i);

		if (count_type(p, IKE_TRANSFORM_KE))
			return TRUE;
	}
	return FALSE;
}
