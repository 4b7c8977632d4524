/* ike-proposal.c - our proposals and the one the responder chose (RFC 7296 §2.7, §3.3) */
#include "crypto-ke.h"
#include "crypto-prf.h"
#include "ferry-error.h"
#include "ike-proposal.h"

gboolean
ike_proposal_encr_is_aead(uint16_t encr)
{
	switch (encr) {
	case IKE_ENCR_AES_CCM_8:
	case IKE_ENCR_AES_CCM_12:
	case IKE_ENCR_AES_CCM_16:
	case IKE_ENCR_AES_GCM_8:
	case IKE_ENCR_AES_GCM_12:
	case IKE_ENCR_AES_GCM_16:
	case IKE_ENCR_NULL_AUTH_AES_GMAC:
	case IKE_ENCR_CHACHA20_POLY1305:
		return TRUE;
	default:
		return FALSE;
	}
}

void
ike_proposal_get_algs(const IkeProposal *p, IkeProposalAlgs *algs)
{
	gboolean seen[IKE_TRANSFORM_ESN + 1] = {FALSE};

	memset(algs, 0, sizeof(*algs));
	for (guint i = 0; i < p->n_transforms; i++) {
		const IkeTransform *t = &p->transforms[i];

		if (t->type > IKE_TRANSFORM_ESN || seen[t->type])
			continue;
		seen[t->type] = TRUE;
		switch (t->type) {
		case IKE_TRANSFORM_ENCR:
			algs->encr = t->id;
			algs->encr_bits = t->key_bits;
			break;
		case IKE_TRANSFORM_PRF:
			algs->prf = t->id;
			break;
		case IKE_TRANSFORM_INTEG:
			algs->integ = t->id;
			break;
		case IKE_TRANSFORM_KE:
			algs->ke = t->id;
			break;
		case IKE_TRANSFORM_ESN:
			algs->has_esn = TRUE;
			algs->esn = t->id;
			break;
		default:
			break;
		}
	}
}

CryptoXformAlg
ike_proposal_algs_xform(const IkeProposalAlgs *algs)
{
	CryptoXformAlg alg = {
		.encr_id = algs->encr,
		.key_bits = algs->encr_bits,
		.integ_id = ike_proposal_encr_is_aead(algs->encr) ? IKE_INTEG_NONE : algs->integ,
	};

	/* ChaCha20-Poly1305 has a fixed 256-bit key and no KEY_LENGTH (RFC 7634 §2). */
	if (alg.encr_id == IKE_ENCR_CHACHA20_POLY1305 && alg.key_bits == 0)
		alg.key_bits = 256;
	return alg;
}

uint16_t
ike_proposal_first_ke(const IkeProposal *offers, guint n_offers)
{
	for (guint i = 0; i < n_offers; i++) {
		for (guint j = 0; j < offers[i].n_transforms; j++) {
			const IkeTransform *t = &offers[i].transforms[j];

			if (t->type == IKE_TRANSFORM_KE && t->id != IKE_KE_NONE)
				return t->id;
		}
	}
	return 0;
}

gboolean
ike_proposal_offers_ke(const IkeProposal *offers, guint n_offers, uint16_t group)
{
	for (guint i = 0; i < n_offers; i++) {
		for (guint j = 0; j < offers[i].n_transforms; j++) {
			const IkeTransform *t = &offers[i].transforms[j];

			if (t->type == IKE_TRANSFORM_KE && t->id == group)
				return TRUE;
		}
	}
	return FALSE;
}

void
ike_proposal_strip_ke(IkeProposal *p)
{
	guint n = 0;

	for (guint i = 0; i < p->n_transforms; i++) {
		if (p->transforms[i].type != IKE_TRANSFORM_KE)
			p->transforms[n++] = p->transforms[i];
	}
	p->n_transforms = (uint8_t)n;
}

gboolean
ike_proposal_keep_only(IkeProposal *p, uint8_t type, uint16_t id)
{
	gboolean found = FALSE;
	guint n = 0;

	for (guint i = 0; i < p->n_transforms; i++) {
		const IkeTransform *t = &p->transforms[i];

		if (t->type == type && t->id != id)
			continue;
		found |= t->type == type;
		p->transforms[n++] = *t;
	}
	p->n_transforms = (uint8_t)n;
	return found;
}

static char *
format_transform(const IkeTransform *t)
{
	const char *name = ike_transform_id_name(t->type, t->id);

	switch (t->type) {
	case IKE_TRANSFORM_ENCR:
		if (!name)
			return g_strdup_printf("ENCR_%u", t->id);
		if (t->key_bits)
			return g_strdup_printf("%s_%u", name, t->key_bits);
		return g_strdup(name);
	case IKE_TRANSFORM_PRF:
		return name ? g_strdup_printf("PRF_%s", name) : g_strdup_printf("PRF_%u", t->id);
	case IKE_TRANSFORM_INTEG:
		return name ? g_strdup(name) : g_strdup_printf("INTEG_%u", t->id);
	case IKE_TRANSFORM_KE:
		return name ? g_strdup(name) : g_strdup_printf("KE_%u", t->id);
	case IKE_TRANSFORM_ESN:
		return g_strdup(t->id == IKE_ESN_YES ? "EXT_SEQ" : "NO_EXT_SEQ");
	default:
		return g_strdup_printf("T%u_%u", t->type, t->id);
	}
}

char *
ike_proposal_to_string(const IkeProposal *p)
{
	/* Display order: ENCR, INTEG, PRF, KE, ESN, as strongSwan's logs show proposals. */
	static const uint8_t order[] = {IKE_TRANSFORM_ENCR, IKE_TRANSFORM_INTEG, IKE_TRANSFORM_PRF,
	                                IKE_TRANSFORM_KE, IKE_TRANSFORM_ESN};
	GString *s = g_string_new(NULL);

	for (gsize k = 0; k < G_N_ELEMENTS(order); k++) {
		for (guint i = 0; i < p->n_transforms; i++) {
			g_autofree char *one = NULL;

			if (p->transforms[i].type != order[k])
				continue;
			one = format_transform(&p->transforms[i]);
			if (s->len)
				g_string_append_c(s, '/');
			g_string_append(s, one);
		}
	}
	return g_string_free(s, FALSE);
}

char *
ike_proposal_list_to_string(const IkeProposal *p, guint n)
{
	GString *s = g_string_new(NULL);

	for (guint i = 0; i < n; i++) {
		g_autofree char *one = ike_proposal_to_string(&p[i]);

		if (i > 0)
			g_string_append(s, ", ");
		g_string_append(s, one);
	}
	return g_string_free(s, FALSE);
}

static gboolean
check_transform_known(const IkeTransform *t, uint8_t protocol)
{
	switch (t->type) {
	case IKE_TRANSFORM_ENCR:
	case IKE_TRANSFORM_INTEG:
		return ike_transform_id_name(t->type, t->id) != NULL;
	case IKE_TRANSFORM_PRF:
		return protocol == IKE_PROTO_IKE && crypto_prf_supported(t->id);
	case IKE_TRANSFORM_KE:
		return t->id == IKE_KE_NONE || crypto_ke_supported(t->id);
	case IKE_TRANSFORM_ESN:
		return protocol != IKE_PROTO_IKE && (t->id == IKE_ESN_NO || t->id == IKE_ESN_YES);
	default:
		return FALSE;
	}
}

/* Every ENCR x INTEG pair of the proposal must be a transform crypto implements. */
static gboolean
check_xform_pairs(const IkeProposal *p)
{
	for (guint i = 0; i < p->n_transforms; i++) {
		const IkeTransform *e = &p->transforms[i];
		gboolean paired = FALSE;

		if (e->type != IKE_TRANSFORM_ENCR)
			continue;
		for (guint j = 0; j < p->n_transforms; j++) {
			const IkeTransform *in = &p->transforms[j];
			IkeProposalAlgs algs = {.encr = e->id, .encr_bits = e->key_bits};
			CryptoXformAlg alg;

			if (in->type != IKE_TRANSFORM_INTEG)
				continue;
			paired = TRUE;
			algs.integ = in->id;
			alg = ike_proposal_algs_xform(&algs);
			if (!crypto_xform_supported(&alg))
				return FALSE;
		}
		if (!paired) {
			IkeProposalAlgs algs = {.encr = e->id, .encr_bits = e->key_bits};
			CryptoXformAlg alg = ike_proposal_algs_xform(&algs);

			if (!ike_proposal_encr_is_aead(e->id) || !crypto_xform_supported(&alg))
				return FALSE;
		}
	}
	return TRUE;
}

/* RFC 7296 §3.3.3: an AH proposal carries integrity (with optional KE and ESN) and never ENCR;
 * each integrity algorithm must work on its own (RFC 4302 §2.6). */
static gboolean
check_ah_proposal(const IkeProposal *p, const guint *count)
{
	if (count[IKE_TRANSFORM_ENCR] != 0 || count[IKE_TRANSFORM_INTEG] == 0)
		return FALSE;
	for (guint i = 0; i < p->n_transforms; i++) {
		const IkeTransform *t = &p->transforms[i];
		CryptoXformAlg alg = {CRYPTO_XFORM_ENCR_NONE, 0, t->id};

		if (t->type == IKE_TRANSFORM_INTEG && !crypto_xform_supported(&alg))
			return FALSE;
	}
	return TRUE;
}

static gboolean
check_counts(const IkeProposal *p, uint8_t protocol, const guint *count)
{
	if (protocol == IKE_PROTO_AH)
		return check_ah_proposal(p, count);
	return count[IKE_TRANSFORM_ENCR] > 0 &&
	       (protocol != IKE_PROTO_IKE ||
	        (count[IKE_TRANSFORM_PRF] > 0 && count[IKE_TRANSFORM_KE] > 0)) &&
	       check_xform_pairs(p);
}

gboolean
ike_proposal_check_offers(const IkeProposal *offers,
                          guint n_offers,
                          uint8_t protocol,
                          GError **error)
{
	if (n_offers == 0 || n_offers > IKE_MAX_PROPOSALS) {
		g_set_error(error, FERRY_ERROR, FERRY_ERROR_CONFIG, "%s proposals: need 1 to %d",
		            ike_proto_name(protocol), IKE_MAX_PROPOSALS);
		return FALSE;
	}
	for (guint i = 0; i < n_offers; i++) {
		const IkeProposal *p = &offers[i];
		g_autofree char *text = ike_proposal_to_string(p);
		guint count[IKE_TRANSFORM_ESN + 1] = {0};

		for (guint j = 0; j < p->n_transforms; j++) {
			if (!check_transform_known(&p->transforms[j], protocol)) {
				g_set_error(error, FERRY_ERROR, FERRY_ERROR_CONFIG,
				            "%s proposal %s: transform %u/%u is not supported",
				            ike_proto_name(protocol), text, p->transforms[j].type,
				            p->transforms[j].id);
				return FALSE;
			}
			count[p->transforms[j].type]++;
		}
		if (p->protocol != protocol || !check_counts(p, protocol, count)) {
			g_set_error(error, FERRY_ERROR, FERRY_ERROR_CONFIG,
			            "%s proposal %s is incomplete or not supported",
			            ike_proto_name(protocol), text);
			return FALSE;
		}
	}
	return TRUE;
}

static gboolean
contains_transform(const IkeProposal *p, const IkeTransform *t)
{
	for (guint i = 0; i < p->n_transforms; i++) {
		const IkeTransform *o = &p->transforms[i];

		if (o->type == t->type && o->id == t->id && o->key_bits == t->key_bits)
			return TRUE;
	}
	return FALSE;
}

/* `got` carries exactly one transform of each type `offer` has, each from `offer`, and no
 * other type (RFC 7296 §3.3.6). */
static gboolean
is_selection_of(const IkeProposal *got, const IkeProposal *offer)
{
	guint offered[IKE_TRANSFORM_ESN + 1] = {0};
	guint chosen[IKE_TRANSFORM_ESN + 1] = {0};

	for (guint i = 0; i < offer->n_transforms; i++) {
		if (offer->transforms[i].type <= IKE_TRANSFORM_ESN)
			offered[offer->transforms[i].type]++;
	}
	for (guint i = 0; i < got->n_transforms; i++) {
		const IkeTransform *t = &got->transforms[i];

		if (t->type > IKE_TRANSFORM_ESN || !contains_transform(offer, t))
			return FALSE;
		chosen[t->type]++;
	}
	for (guint type = IKE_TRANSFORM_ENCR; type <= IKE_TRANSFORM_ESN; type++) {
		/* A KE of NONE may be offered for a child; the responder may then omit KE. */
		if (chosen[type] > 1 ||
		    (offered[type] > 0 && chosen[type] == 0 &&
		     !(type == IKE_TRANSFORM_KE && offer->protocol != IKE_PROTO_IKE &&
		       ike_proposal_offers_ke(offer, 1, IKE_KE_NONE))))
			return FALSE;
	}
	return TRUE;
}

gboolean
ike_proposal_verify(const IkeProposal *offers,
                    guint n_offers,
                    const IkeSaPayload *got,
                    uint8_t protocol,
                    IkeProposal *chosen,
                    GError **error)
{
	const IkeProposal *g;
	g_autofree char *ours = ike_proposal_list_to_string(offers, n_offers);
	g_autofree char *theirs = NULL;

	if (got->n_proposals != 1) {
		g_set_error(error, FERRY_ERROR, FERRY_ERROR_PROTOCOL,
		            "the gateway answered with %u %s proposals instead of one",
		            got->n_proposals, ike_proto_name(protocol));
		return FALSE;
	}
	g = &got->proposals[0];
	theirs = ike_proposal_to_string(g);
	if (g->protocol == protocol) {
		/* RFC 7296 §3.3.1: the number is that of the proposal accepted; prefer it, but
		 * accept a selection of any of ours. */
		for (guint i = 0; i < n_offers; i++) {
			if (offers[i].number == g->number && is_selection_of(g, &offers[i])) {
				*chosen = *g;
				return TRUE;
			}
		}
		for (guint i = 0; i < n_offers; i++) {
			if (is_selection_of(g, &offers[i])) {
				*chosen = *g;
				return TRUE;
			}
		}
	}
	g_set_error(error, FERRY_ERROR, FERRY_ERROR_NO_PROPOSAL,
	            "the gateway chose %s proposal %s, which is not one we offered (%s)",
	            ike_proto_name(g->protocol) ? ike_proto_name(g->protocol) : "unknown", theirs,
	            ours);
	return FALSE;
}
