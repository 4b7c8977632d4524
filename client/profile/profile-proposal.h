/* profile-proposal.h - strongSwan proposal syntax <-> IkeProposal arrays
 *
 * A proposal is a '-'-separated list of algorithm keywords ("aes256gcm16-prfsha256-x25519");
 * a list of proposals is ','-separated.  Keywords of the same transform type inside one
 * proposal are alternatives the gateway may choose from (RFC 7296 §3.3.6).
 */
#pragma once

#include <glib.h>

#include "ike-message.h"

G_BEGIN_DECLS

/* What Ferry offers when a profile names no proposals.  IKE: one AEAD proposal and one
 * AES-CBC + HMAC-SHA2 proposal; ESP: the same split.  Key exchange methods are ordered
 * strongest-cheapest first; modp2048 stays for older gateways. */
#define PROFILE_PROPOSAL_DEFAULT_IKE                                                               \
	"aes256gcm16-aes128gcm16-chacha20poly1305-prfsha256-prfsha384-prfsha512-x25519-ecp256-"    \
	"ecp384-modp3072-modp2048,"                                                                \
	"aes256-aes128-sha256-sha384-sha512-x25519-ecp256-ecp384-modp3072-modp2048"
#define PROFILE_PROPOSAL_DEFAULT_ESP                                                               \
	"aes256gcm16-aes128gcm16-chacha20poly1305,aes256-aes128-sha256-sha384"
/* AH protects integrity only (RFC 4302). */
#define PROFILE_PROPOSAL_DEFAULT_AH "sha256-sha384-sha512"

/**
 * profile_proposal_parse:
 * @text: proposals in strongSwan syntax; NULL or "" selects the default for @protocol
 * @protocol: IKE_PROTO_IKE, IKE_PROTO_ESP or IKE_PROTO_AH
 * @error: FERRY_ERROR_CONFIG naming the offending keyword (without a field prefix; callers
 *   prefix the field name)
 *
 * Returns: (transfer full): a GArray of IkeProposal, numbered from 1, SPI left empty; at
 * most IKE_MAX_PROPOSALS entries.  NULL on error.
 */
GArray *profile_proposal_parse(const char *text, IkeProto protocol, GError **error);

/**
 * profile_proposal_render:
 * Returns: (transfer full): the proposals in canonical strongSwan syntax (encryption,
 * integrity, PRF, key exchange, ESN), ','-separated.  parse(render(x)) equals x.
 */
char *profile_proposal_render(const IkeProposal *proposals, guint n);

/* The strongSwan keyword of one transform ("aes256gcm16", "prfsha384", "x25519"); NULL when
 * the transform has no keyword. */
const char *profile_proposal_transform_keyword(const IkeTransform *t);

/* TRUE when some proposal carries a key exchange transform (in ESP/AH: PFS). */
gboolean profile_proposal_has_ke(const GArray *proposals);

G_END_DECLS
