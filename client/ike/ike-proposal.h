/* ike-proposal.h - our proposals and the one the responder chose (RFC 7296 §2.7, §3.3) */
#pragma once

#include <glib.h>

#include "crypto-xform.h"
#include "ike-message.h"

G_BEGIN_DECLS

/* The algorithms of one selected proposal: one transform of each type (0 = absent). */
typedef struct {
	uint16_t encr;
	uint16_t encr_bits;
	uint16_t integ; /* IKE_INTEG_NONE with AEAD */
	uint16_t prf;   /* IKE only */
	uint16_t ke;    /* IKE_KE_NONE when absent (child without PFS) */
	gboolean has_esn;
	uint16_t esn;
} IkeProposalAlgs;

/* Is `encr` an AEAD cipher (no separate integrity transform)? */
gboolean ike_proposal_encr_is_aead(uint16_t encr);

/* The first transform of each type; use on a selected proposal. */
void ike_proposal_get_algs(const IkeProposal *p, IkeProposalAlgs *algs);
/* The transform for crypto_xform_new() (SK payload, ESP, or AH: no ENCR gives an
 * integrity-only transform, encr_id CRYPTO_XFORM_ENCR_NONE). */
CryptoXformAlg ike_proposal_algs_xform(const IkeProposalAlgs *algs);

/* The KE group of our first proposal's first KE transform (RFC 7296 §1.2: the KE payload is
 * for the group we expect the responder to pick), 0 if none. */
uint16_t ike_proposal_first_ke(const IkeProposal *offers, guint n_offers);
/* Do we offer `group` in any proposal? */
gboolean ike_proposal_offers_ke(const IkeProposal *offers, guint n_offers, uint16_t group);
/* Remove KE transforms: the first Child SA of IKE_AUTH has no key exchange (RFC 7296 §1.2),
 * so we do not offer groups there. */
void ike_proposal_strip_ke(IkeProposal *p);

/* Drop the transforms of `type` other than `id`; FALSE (proposal unusable) when `id` was
 * not among them. */
gboolean ike_proposal_keep_only(IkeProposal *p, uint8_t type, uint16_t id);

/* Check our own proposals: protocol, each transform known to crypto, one ENCR, PRF (IKE) and
 * KE (IKE) at least, integrity unless every ENCR is AEAD; for IKE_PROTO_AH no ENCR and at
 * least one integrity algorithm usable alone (RFC 4302).  FERRY_ERROR_CONFIG naming the fault. */
gboolean ike_proposal_check_offers(const IkeProposal *offers,
                                   guint n_offers,
                                   uint8_t protocol,
                                   GError **error);

/* RFC 7296 §2.7, §3.3.6: the responder returns exactly one proposal, with exactly one transform
 * of each type our matching proposal carried, each taken from that proposal.  `chosen`
 * receives it (with the responder's SPI).  FERRY_ERROR_NO_PROPOSAL with both sides shown. */
gboolean ike_proposal_verify(const IkeProposal *offers,
                             guint n_offers,
                             const IkeSaPayload *got,
                             uint8_t protocol,
                             IkeProposal *chosen,
                             GError **error);

/* "AES_GCM_16_256/PRF_HMAC_SHA2_256/CURVE25519", every transform in order ENCR, INTEG, PRF,
 * KE, ESN. (transfer full) */
char *ike_proposal_to_string(const IkeProposal *p);
/* Proposals joined with ", ". (transfer full) */
char *ike_proposal_list_to_string(const IkeProposal *p, guint n);

G_END_DECLS
