/* ike-xchg-child.c - CREATE_CHILD_SA: rekeying the Child SA (RFC 7296 §1.3, §2.8), the requests
 * the gateway starts, and what both rekeys share (the IKE SA's: ike-xchg-ike-rekey.c) */
#include <string.h>

#include "crypto-rng.h"
#include "ferry-error.h"
#include "ike-sa-private.h"
#include "ike-ts.h"

void
ike_rekey_ctx_clear(IkeRekeyCtx *ctx)
{
	g_clear_pointer(&ctx->ke, crypto_ke_free);
	memset(ctx, 0, sizeof(*ctx));
}

/* The PFS group of our first child proposal (RFC 7296 §1.3.1), 0 without PFS. */
static uint16_t
child_pfs_group(IkeSa *sa)
{
	return ike_proposal_first_ke(sa->child_proposals, sa->config.n_child_proposals);
}

gboolean
ike_xchg_rekey_make_ke(IkeRekeyCtx *ctx, uint16_t group, GError **error)
{
	CryptoStatus st;

	g_clear_pointer(&ctx->ke, crypto_ke_free);
	st = crypto_ke_new(group, &ctx->ke);
	if (st != CRYPTO_OK) {
		g_set_error(error, FERRY_ERROR, FERRY_ERROR_PROTOCOL,
		            "key exchange %s for the rekey failed: %s",
		            ike_ke_name(group) ? ike_ke_name(group) : "?",
		            crypto_status_to_string(st));
		return FALSE;
	}
	return TRUE;
}

void
ike_xchg_rekey_add_ke(IkeSa *sa, CryptoKe *ke)
{
	IkePayload *p = ike_sa_out_add(sa, IKE_PAYLOAD_KE);

	p->u.ke.group = crypto_ke_get_group(ke);
	p->u.ke.data = crypto_ke_get_public(ke);
}

static gboolean
send_child_rekey(IkeSa *sa, gint64 now_us, GError **error)
{
	IkeRekeyCtx *r = &sa->rekey;
	uint8_t old_spi[4];
	IkePayload *p;

	ferry_put_be32(old_spi, sa->child.in.spi);
	ike_sa_out_reset(sa);
	/* RFC 7296 §1.3.3: name the SA being replaced by our inbound SPI. */
	ike_sa_out_add_notify(sa, IKE_NOTIFY_REKEY_SA, sa->child.protocol,
	                      FERRY_SPAN(old_spi, sizeof(old_spi)), FERRY_SPAN_EMPTY);
	if (sa->child.transport_mode)
		ike_sa_out_add_notify(sa, IKE_NOTIFY_USE_TRANSPORT_MODE, IKE_PROTO_NONE,
		                      FERRY_SPAN_EMPTY, FERRY_SPAN_EMPTY);
	ike_sa_out_add_notify(sa, IKE_NOTIFY_ESP_TFC_PADDING_NOT_SUPPORTED, IKE_PROTO_NONE,
	                      FERRY_SPAN_EMPTY, FERRY_SPAN_EMPTY);
	p = ike_sa_out_add(sa, IKE_PAYLOAD_SA);
	p->u.sa.n_proposals = (uint8_t)sa->config.n_child_proposals;
	for (guint i = 0; i < sa->config.n_child_proposals; i++) {
		p->u.sa.proposals[i] = sa->child_proposals[i];
		p->u.sa.proposals[i].spi_size = 4;
		ferry_put_be32(p->u.sa.proposals[i].spi, r->spi_in);
	}
	p = ike_sa_out_add(sa, IKE_PAYLOAD_NONCE);
	p->u.nonce = FERRY_SPAN(r->ni, sizeof(r->ni));
	if (r->ke)
		ike_xchg_rekey_add_ke(sa, r->ke);
	/* The rekeyed SA keeps its selectors (RFC 7296 §2.9.2). */
	p = ike_sa_out_add(sa, IKE_PAYLOAD_TSI);
	p->u.ts.n_ts = (uint8_t)sa->child.n_tsi;
	memcpy(p->u.ts.ts, sa->child.tsi, sizeof(IkeTs) * sa->child.n_tsi);
	p = ike_sa_out_add(sa, IKE_PAYLOAD_TSR);
	p->u.ts.n_ts = (uint8_t)sa->child.n_tsr;
	memcpy(p->u.ts.ts, sa->child.tsr, sizeof(IkeTs) * sa->child.n_tsr);
	return ike_sa_send_request(sa, &sa->cur, IKE_XCHG_REKEY_CHILD, IKE_EXCHANGE_CREATE_CHILD_SA,
	                           now_us, error);
}

gboolean
ike_xchg_child_build_request(IkeSa *sa, gint64 now_us, GError **error)
{
	IkeRekeyCtx *r = &sa->rekey;
	uint16_t group = child_pfs_group(sa);

	ike_rekey_ctx_clear(r);
	r->spi_in = ike_sa_new_child_spi();
	crypto_rng_fill(CRYPTO_RNG_NONCE, r->ni, sizeof(r->ni));
	if (group && !ike_xchg_rekey_make_ke(r, group, error))
		return FALSE;
	if (!send_child_rekey(sa, now_us, error))
		return FALSE;
	ike_sa_set_state(sa, IKE_STATE_EVENT_REKEY_START, now_us);
	return TRUE;
}

/* The gateway refused the rekey for now: keep the old SA and try again later. */
gboolean
ike_xchg_rekey_postpone(IkeSa *sa, gboolean ike, const IkeNotifyPayload *n, gint64 now_us)
{
	g_message("the gateway refused to rekey the %s SA for now (%s); retrying in %d s",
	          ike ? "IKE" : "Child", ike_sa_notify_name(n->type), IKE_REKEY_RETRY_S);
	ike_rekey_ctx_clear(&sa->rekey);
	if (ike)
		sa->ike_rekey_deadline = ike_timer_deadline(now_us, IKE_REKEY_RETRY_S);
	else
		sa->child_rekey_deadline = ike_timer_deadline(now_us, IKE_REKEY_RETRY_S);
	ike_sa_set_state(sa, IKE_STATE_EVENT_REKEY_DONE, now_us);
	return TRUE;
}

/* RFC 7296 §1.3: INVALID_KE_PAYLOAD in CREATE_CHILD_SA, retry with the group asked for. */
gboolean
ike_xchg_rekey_retry_ke(IkeSa *sa,
                        const IkeNotifyPayload *n,
                        const IkeProposal *offers,
                        guint n_offers,
                        gboolean *retried,
                        GError **error)
{
	uint16_t group;

	*retried = FALSE;
	if (n->data.len != 2)
		return TRUE;
	group = ferry_get_be16(n->data.data);
	if (!ike_proposal_offers_ke(offers, n_offers, group) || group == IKE_KE_NONE ||
	    ++sa->rekey.ke_retries > IKE_MAX_KE_RETRY)
		return TRUE;
	if (!ike_xchg_rekey_make_ke(&sa->rekey, group, error))
		return FALSE;
	*retried = TRUE;
	return TRUE;
}

/* KEr and g^ir for a rekey with a key exchange; NULL shared without one. */
gboolean
ike_xchg_rekey_compute_shared(
	IkeSa *sa, const IkeMessage *m, uint16_t group, FerrySecret **shared, GError **error)
{
	const IkePayload *ke = ike_message_find(m, IKE_PAYLOAD_KE);
	CryptoStatus st;

	*shared = NULL;
	if (group == 0 || group == IKE_KE_NONE)
		return TRUE;
	if (!ke || !sa->rekey.ke || ke->u.ke.group != group ||
	    crypto_ke_get_group(sa->rekey.ke) != group) {
		g_set_error(error, FERRY_ERROR, FERRY_ERROR_PROTOCOL,
		            "the gateway's CREATE_CHILD_SA response lacks a KE payload for %s",
		            ike_ke_name(group) ? ike_ke_name(group) : "?");
		return FALSE;
	}
	st = crypto_ke_compute(sa->rekey.ke, ke->u.ke.data.data, ke->u.ke.data.len, shared);
	if (st != CRYPTO_OK) {
		g_set_error(error, FERRY_ERROR, FERRY_ERROR_PROTOCOL,
		            "the rekey's key exchange failed: %s", crypto_status_to_string(st));
		return FALSE;
	}
	return TRUE;
}

const IkePayload *
ike_xchg_rekey_find_nonce(const IkeMessage *m, GError **error)
{
	const IkePayload *p = ike_message_find(m, IKE_PAYLOAD_NONCE);

	if (!p || p->u.nonce.len < IKE_NONCE_MIN || p->u.nonce.len > IKE_NONCE_MAX) {
		g_set_error(error, FERRY_ERROR, FERRY_ERROR_PROTOCOL,
		            "the gateway's CREATE_CHILD_SA response has no valid nonce");
		return NULL;
	}
	return p;
}

void
ike_xchg_emit_rekeyed(IkeSa *sa, IkeSaKind kind, gboolean by_peer, const char *text, gint64 now_us)
{
	IkeEvent ev = {
		.type = IKE_EVENT_REKEYED,
		.text = text,
		.sa_kind = kind,
		.peer_initiated = by_peer,
	};

	g_info("IKE SA %016" G_GINT64_MODIFIER "x: %s", sa->cur.spi_i, text);
	ike_sa_emit(sa, &ev, now_us);
}

/* RFC 7296 §2.8.1: "lowest" compares octet by octet; a nonce that ends first is the lower. */
static int
compare_nonces(const uint8_t *a, gsize a_len, const uint8_t *b, gsize b_len)
{
	int c = memcmp(a, b, MIN(a_len, b_len));

	if (c != 0)
		return c;
	return a_len < b_len ? -1 : (a_len > b_len ? 1 : 0);
}

/* The lower of one exchange's two nonces into `out` (IKE_NONCE_MAX bytes); its length. */
gsize
ike_nonce_keep_lower(FerrySpan a, FerrySpan b, uint8_t *out)
{
	const FerrySpan *low = compare_nonces(a.data, a.len, b.data, b.len) <= 0 ? &a : &b;

	memcpy(out, low->data, MIN(low->len, (gsize)IKE_NONCE_MAX));
	return MIN(low->len, (gsize)IKE_NONCE_MAX);
}

/* Does the exchange with nonces `a` and `b` hold the lowest of the four nonces of a rekey
 * collision, the other exchange's lower one being `other` (RFC 7296 §2.8.1, §2.8.2)?  Its
 * SA is the redundant one, deleted by the side that started that exchange. */
gboolean
ike_nonce_holds_lowest(FerrySpan a, FerrySpan b, const uint8_t *other, gsize other_len)
{
	uint8_t low[IKE_NONCE_MAX];
	gsize n = ike_nonce_keep_lower(a, b, low);

	return compare_nonces(low, n, other, other_len) < 0;
}

static gboolean
handle_child_error(IkeSa *sa, const IkeNotifyPayload *n, gint64 now_us, GError **error)
{
	gboolean retried;

	if (sa->child_collision) {
		/* The gateway's rekey, answered meanwhile, already replaced the SA. */
		sa->child_collision = FALSE;
		return ike_xchg_rekey_postpone(sa, FALSE, n, now_us);
	}
	switch (n->type) {
	case IKE_NOTIFY_INVALID_KE_PAYLOAD:
		if (!ike_xchg_rekey_retry_ke(sa, n, sa->child_proposals,
		                             sa->config.n_child_proposals, &retried, error))
			return FALSE;
		if (retried)
			return send_child_rekey(sa, now_us, error);
		return ike_xchg_rekey_postpone(sa, FALSE, n, now_us);
	case IKE_NOTIFY_CHILD_SA_NOT_FOUND:
		g_set_error(error, FERRY_ERROR, FERRY_ERROR_PEER_NOTIFY,
		            "the gateway no longer knows our Child SA (CHILD_SA_NOT_FOUND)");
		return FALSE;
	default:
		/* TEMPORARY_FAILURE (a collision, RFC 7296 §2.25), NO_ADDITIONAL_SAS, ... */
		return ike_xchg_rekey_postpone(sa, FALSE, n, now_us);
	}
}

/* RFC 7296 §2.8.1: our rekey of the child and the gateway's crossed, and we answered its
 * (now the current child, the SA both replaced waiting for the gateway's DELETE).  The new SA
 * of the exchange holding the lowest nonce is redundant; whoever started that exchange
 * deletes it, the other side deletes the SA both replaced. */
static gboolean
resolve_child_collision(IkeSa *sa, const IkePayload *nonce, IkeChildSa *ours, gint64 now_us)
{
	FerrySpan ni = FERRY_SPAN(sa->rekey.ni, sizeof(sa->rekey.ni));

	sa->child_collision = FALSE;
	if (sa->redundant_spi_in)
		g_debug("IKE SA %016" G_GINT64_MODIFIER "x: dropping track of redundant Child SA "
		        "%08x",
		        sa->cur.spi_i, sa->redundant_spi_in);
	if (ike_nonce_holds_lowest(ni, nonce->u.nonce, sa->child_peer_low,
	                           sa->child_peer_low_len)) {
		/* Ours lost: never installed, we delete it; the gateway deletes the old SA. */
		sa->redundant_spi_in = ours->in.spi;
		sa->redundant_spi_out = ours->out.spi;
		sa->redundant_installed = FALSE;
		sa->want_redundant_delete = TRUE;
		ike_child_sa_clear(ours);
		g_info("IKE SA %016" G_GINT64_MODIFIER "x: Child SA rekey collision, the gateway's "
		       "SA stays",
		       sa->cur.spi_i);
		ike_sa_set_state(sa, IKE_STATE_EVENT_REKEY_DONE, now_us);
		return TRUE;
	}
	/* Ours won: the gateway deletes its new SA, we delete the one both replaced. */
	sa->redundant_spi_in = sa->child.in.spi;
	sa->redundant_spi_out = sa->child.out.spi;
	sa->redundant_installed = TRUE;
	sa->want_child_delete = sa->old_spi_in != 0;
	ike_xchg_install_child(sa, ours, now_us);
	ike_sa_arm_timers(sa, FALSE, TRUE, now_us);
	ike_xchg_emit_rekeyed(sa, IKE_SA_KIND_CHILD, FALSE, "Child SA rekeyed", now_us);
	ike_sa_set_state(sa, IKE_STATE_EVENT_REKEY_DONE, now_us);
	return TRUE;
}

gboolean
ike_xchg_child_process_response(IkeSa *sa, gint64 now_us, GError **error)
{
	const IkeMessage *m = sa->msg;
	const IkeNotifyPayload *n = ike_message_find_error_notify(m);
	const IkePayload *nonce;
	IkeChildSa child = {0};
	IkeProposal chosen;
	FerrySecret *shared = NULL;
	gboolean ok;

	if (n)
		return handle_child_error(sa, n, now_us, error);
	nonce = ike_xchg_rekey_find_nonce(m, error);
	if (!nonce)
		return FALSE;
	child.in.spi = sa->rekey.spi_in;
	if (!ike_xchg_child_accept(sa, m, sa->child.tsi, sa->child.n_tsi, sa->child.tsr,
	                           sa->child.n_tsr, TRUE, &chosen, &child, error))
		return FALSE;
	{
		IkeProposalAlgs algs;

		ike_proposal_get_algs(&chosen, &algs);
		if (!ike_xchg_rekey_compute_shared(sa, m, algs.ke, &shared, error))
			return FALSE;
	}
	/* RFC 7296 §2.17: KEYMAT = prf+(SK_d, g^ir (new) | Ni | Nr) */
	ok = ike_xchg_derive_child(sa, &chosen, shared, sa->rekey.ni, sizeof(sa->rekey.ni),
	                           nonce->u.nonce.data, nonce->u.nonce.len, &child, error);
	ferry_secret_free(shared);
	if (ok && sa->child_collision) {
		ok = resolve_child_collision(sa, nonce, &child, now_us);
		ike_rekey_ctx_clear(&sa->rekey);
		return ok;
	}
	ike_rekey_ctx_clear(&sa->rekey);
	if (!ok) {
		ike_child_sa_clear(&child);
		return FALSE;
	}
	/* The old SA stays until the new one is installed, then goes with a DELETE (§1.3.3). */
	sa->old_spi_in = sa->child.in.spi;
	sa->old_spi_out = sa->child.out.spi;
	sa->want_child_delete = TRUE;
	ike_xchg_install_child(sa, &child, now_us);
	ike_sa_arm_timers(sa, FALSE, TRUE, now_us);
	ike_xchg_emit_rekeyed(sa, IKE_SA_KIND_CHILD, FALSE, "Child SA rekeyed", now_us);
	ike_sa_set_state(sa, IKE_STATE_EVENT_REKEY_DONE, now_us);
	return TRUE;
}

/* Pick from one of the gateway's proposals the transforms our `offer` allows: one of each type
 * `offer` has, the gateway's order of preference, KE restricted to `ke_group` unless 0
 * (RFC 7296 §2.7, §3.3.6).  FALSE when some type has no common transform. */
static gboolean
select_from(const IkeProposal *theirs,
            const IkeProposal *offer,
            uint16_t ke_group,
            IkeProposal *out)
{
	IkeProposal pick = {.number = theirs->number, .protocol = theirs->protocol};

	if (theirs->protocol != offer->protocol || theirs->spi_size > sizeof(pick.spi))
		return FALSE;
	pick.spi_size = theirs->spi_size;
	memcpy(pick.spi, theirs->spi, theirs->spi_size);
	for (uint8_t type = IKE_TRANSFORM_ENCR; type <= IKE_TRANSFORM_ESN; type++) {
		gboolean ours = FALSE, found = FALSE;

		for (guint k = 0; k < offer->n_transforms; k++)
			ours = ours || offer->transforms[k].type == type;
		for (guint i = 0; i < theirs->n_transforms && !found; i++) {
			const IkeTransform *t = &theirs->transforms[i];

			if (t->type != type ||
			    (type == IKE_TRANSFORM_KE && ke_group && t->id != ke_group))
				continue;
			for (guint k = 0; k < offer->n_transforms && !found; k++) {
				const IkeTransform *o = &offer->transforms[k];

				if (o->type == t->type && o->id == t->id &&
				    o->key_bits == t->key_bits) {
					pick.transforms[pick.n_transforms++] = *t;
					found = TRUE;
				}
			}
		}
		if (found)
			continue;
		/* A type only one side has: fine only for KE of NONE; ESN is for Child SAs
		 * only (RFC 7296 §3.3.3). */
		if (ours || (type == IKE_TRANSFORM_ESN && theirs->protocol != IKE_PROTO_IKE))
			return FALSE;
		for (guint i = 0; i < theirs->n_transforms; i++) {
			if (theirs->transforms[i].type == type && type != IKE_TRANSFORM_ESN)
				return FALSE;
		}
	}
	*out = pick;
	return TRUE;
}

/* RFC 7296 §1.3, §2.7: choose a proposal from the gateway's offer within `ours`, preferring
 * the KE group its KEi carries; with `prf` set only that PRF.  0 with `chosen` set, or the
 * error notify to answer; for INVALID_KE_PAYLOAD `want_group` is the group we want. */
uint16_t
ike_xchg_select_proposal(const IkeProposal *ours,
                         guint n_ours,
                         uint16_t prf,
                         const IkeSaPayload *offer,
                         uint16_t kei_group,
                         IkeProposal *chosen,
                         uint16_t *want_group)
{
	IkeProposalAlgs algs;
	IkeProposal mine;

	*want_group = 0;
	for (int pass = 0; pass < 2; pass++) {
		for (guint k = 0; k < n_ours; k++) {
			mine = ours[k];
			if (prf && !ike_proposal_keep_only(&mine, IKE_TRANSFORM_PRF, prf))
				continue;
			for (guint i = 0; i < offer->n_proposals; i++) {
				if (!select_from(&offer->proposals[i], &mine,
				                 pass == 0 ? kei_group : 0, chosen))
					continue;
				ike_proposal_get_algs(chosen, &algs);
				if (algs.ke == 0 || algs.ke == IKE_KE_NONE || algs.ke == kei_group)
					return 0;
				*want_group = algs.ke;
				return IKE_NOTIFY_INVALID_KE_PAYLOAD;
			}
		}
		if (kei_group == 0)
			break;
	}
	return IKE_NOTIFY_NO_PROPOSAL_CHOSEN;
}

/* Why we cannot take the gateway's rekey of the Child SA named by `rekey` now; 0 if we can. */
static uint16_t
check_child_rekey(IkeSa *sa, const IkeNotifyPayload *rekey)
{
	/* The gateway names its inbound SPI, our outbound (RFC 7296 §1.3.3). */
	uint32_t spi = rekey->spi.len == 4 ? ferry_get_be32(rekey->spi.data) : 0;

	if (sa->has_child && spi == sa->child.out.spi) {
		if (sa->state == IKE_STATE_DELETING || sa->want_delete)
			return IKE_NOTIFY_TEMPORARY_FAILURE;
		/* A collision with our own rekey (RFC 7296 §2.25.1): answer as usual, the
		 * nonces decide once ours is answered (§2.8.1). */
		if (sa->cur.inflight == IKE_XCHG_REKEY_CHILD && !sa->child_collision &&
		    !sa->redundant_spi_in)
			return 0;
		if (sa->cur.inflight == IKE_XCHG_REKEY_CHILD)
			return IKE_NOTIFY_TEMPORARY_FAILURE;
		/* The SA replaced last time still waits for its DELETE: send ours first. */
		if (sa->old_spi_in) {
			if (sa->cur.inflight != IKE_XCHG_DELETE_CHILD)
				sa->want_child_delete = TRUE;
			return IKE_NOTIFY_TEMPORARY_FAILURE;
		}
		return 0;
	}
	/* An SA a rekey replaced, its DELETE under way: nothing more to do. */
	if (sa->old_spi_out && spi == sa->old_spi_out)
		return IKE_NOTIFY_TEMPORARY_FAILURE;
	return IKE_NOTIFY_CHILD_SA_NOT_FOUND;
}

/* Our KEr and g^ir as the responder of a rekey with `group` (RFC 7296 §1.3.3). */
static gboolean
respond_ke(
	IkeRekeyCtx *r, const IkePayload *kei, uint16_t group, FerrySecret **shared, GError **error)
{
	CryptoStatus st;

	*shared = NULL;
	if (group == 0 || group == IKE_KE_NONE)
		return TRUE;
	if (!ike_xchg_rekey_make_ke(r, group, error))
		return FALSE;
	st = crypto_ke_compute(r->ke, kei->u.ke.data.data, kei->u.ke.data.len, shared);
	if (st != CRYPTO_OK) {
		g_set_error(error, FERRY_ERROR, FERRY_ERROR_PROTOCOL,
		            "the gateway's rekey key exchange failed: %s",
		            crypto_status_to_string(st));
		return FALSE;
	}
	return TRUE;
}

static void
swap_dirs(IkeChildSa *child)
{
	IkeChildDir t = child->in;

	child->in.enc_key = child->out.enc_key;
	child->in.integ_key = child->out.integ_key;
	child->out.enc_key = t.enc_key;
	child->out.integ_key = t.integ_key;
}

/* Build the answer to the gateway's rekey of our Child SA (RFC 7296 §1.3.3) into the payload
 * list and install the new child.  Returns an error notify to answer instead, or 0; FALSE
 * in `ok` on a local failure. */
static uint16_t
accept_child_rekey(IkeSa *sa,
                   IkeRekeyCtx *r,
                   gint64 now_us,
                   uint16_t *want_group,
                   gboolean *ok,
                   GError **error)
{
	const IkeMessage *m = sa->msg;
	const IkePayload *sa_p = ike_message_find(m, IKE_PAYLOAD_SA);
	const IkePayload *ni = ike_message_find(m, IKE_PAYLOAD_NONCE);
	const IkePayload *kei = ike_message_find(m, IKE_PAYLOAD_KE);
	IkeChildSa child = {0};
	IkeProposal chosen;
	IkeProposalAlgs algs;
	FerrySecret *shared = NULL;
	IkePayload *p;
	uint16_t answer;

	*ok = TRUE;
	if (!sa_p || !ni || ni->u.nonce.len < IKE_NONCE_MIN || ni->u.nonce.len > IKE_NONCE_MAX)
		return IKE_NOTIFY_INVALID_SYNTAX;
	answer = ike_xchg_select_proposal(sa->child_proposals, sa->config.n_child_proposals, 0,
	                                  &sa_p->u.sa, kei ? kei->u.ke.group : 0, &chosen,
	                                  want_group);
	if (answer)
		return answer;
	if (chosen.spi_size != 4 || ferry_get_be32(chosen.spi) == 0)
		return IKE_NOTIFY_INVALID_SYNTAX;
	ike_proposal_get_algs(&chosen, &algs);
	if ((algs.ke != 0 && algs.ke != IKE_KE_NONE) && !kei)
		return IKE_NOTIFY_INVALID_SYNTAX;
	/* RFC 7296 §2.25.2: not while the IKE SA is being rekeyed */
	if (sa->cur.inflight == IKE_XCHG_REKEY_IKE)
		return IKE_NOTIFY_TEMPORARY_FAILURE;
	ike_rekey_ctx_clear(r);
	r->spi_in = ike_sa_new_child_spi();
	crypto_rng_fill(CRYPTO_RNG_NONCE, r->ni, sizeof(r->ni));
	if (!respond_ke(r, kei, algs.ke, &shared, error)) {
		ike_rekey_ctx_clear(r);
		*ok = FALSE;
		return 0;
	}
	child.in.spi = r->spi_in;
	child.out.spi = ferry_get_be32(chosen.spi);
	child.transport_mode = sa->child.transport_mode;
	child.n_tsi = sa->child.n_tsi;
	memcpy(child.tsi, sa->child.tsi, sizeof(IkeTs) * child.n_tsi);
	child.n_tsr = sa->child.n_tsr;
	memcpy(child.tsr, sa->child.tsr, sizeof(IkeTs) * child.n_tsr);
	/* RFC 7296 §2.17: Ni and Nr of this exchange, the gateway's first.  Its first keys go
	 * initiator -> responder, here gateway -> us: our inbound. */
	*ok = ike_xchg_derive_child(sa, &chosen, shared, ni->u.nonce.data, ni->u.nonce.len, r->ni,
	                            sizeof(r->ni), &child, error);
	ferry_secret_free(shared);
	if (!*ok) {
		ike_rekey_ctx_clear(r);
		ike_child_sa_clear(&child);
		return 0;
	}
	swap_dirs(&child);

	ike_sa_out_reset(sa);
	if (child.transport_mode)
		ike_sa_out_add_notify(sa, IKE_NOTIFY_USE_TRANSPORT_MODE, IKE_PROTO_NONE,
		                      FERRY_SPAN_EMPTY, FERRY_SPAN_EMPTY);
	ike_sa_out_add_notify(sa, IKE_NOTIFY_ESP_TFC_PADDING_NOT_SUPPORTED, IKE_PROTO_NONE,
	                      FERRY_SPAN_EMPTY, FERRY_SPAN_EMPTY);
	p = ike_sa_out_add(sa, IKE_PAYLOAD_SA);
	p->u.sa.n_proposals = 1;
	p->u.sa.proposals[0] = chosen;
	ferry_put_be32(p->u.sa.proposals[0].spi, r->spi_in);
	p = ike_sa_out_add(sa, IKE_PAYLOAD_NONCE);
	p->u.nonce = FERRY_SPAN(r->ni, sizeof(r->ni));
	if (r->ke)
		ike_xchg_rekey_add_ke(sa, r->ke);
	/* The gateway is the initiator here: TSi is its side, TSr ours (RFC 7296 §2.9). */
	p = ike_sa_out_add(sa, IKE_PAYLOAD_TSI);
	p->u.ts.n_ts = (uint8_t)sa->child.n_tsr;
	memcpy(p->u.ts.ts, sa->child.tsr, sizeof(IkeTs) * sa->child.n_tsr);
	p = ike_sa_out_add(sa, IKE_PAYLOAD_TSR);
	p->u.ts.n_ts = (uint8_t)sa->child.n_tsi;
	memcpy(p->u.ts.ts, sa->child.tsi, sizeof(IkeTs) * sa->child.n_tsi);

	/* The old SA stays until the gateway's DELETE for it (RFC 7296 §1.3.3, §1.4.1). */
	sa->old_spi_in = sa->child.in.spi;
	sa->old_spi_out = sa->child.out.spi;
	sa->want_child_delete = FALSE;
	if (sa->cur.inflight == IKE_XCHG_REKEY_CHILD) {
		/* §2.8.1: remember the lower nonce of this exchange for when ours is answered */
		sa->child_collision = TRUE;
		sa->child_peer_low_len = ike_nonce_keep_lower(
			ni->u.nonce, FERRY_SPAN(r->ni, sizeof(r->ni)), sa->child_peer_low);
	}
	ike_xchg_install_child(sa, &child, now_us);
	ike_sa_arm_timers(sa, FALSE, TRUE, now_us);
	return 0;
}

/* A CREATE_CHILD_SA the gateway started.  A rekey of our Child SA (RFC 7296 §1.3.3) or of
 * the IKE SA (§1.3.2) we answer as responder, refusing with TEMPORARY_FAILURE what collides
 * with an exchange of ours that cannot go on alongside (§2.25); new Child SAs are refused
 * with NO_ADDITIONAL_SAS. */
gboolean
ike_xchg_child_process_request(
	IkeSa *sa, IkeSaGen *gen, uint32_t message_id, gint64 now_us, GError **error)
{
	const IkeMessage *m = sa->msg;
	const IkePayload *sa_p = ike_message_find(m, IKE_PAYLOAD_SA);
	const IkeNotifyPayload *rekey = ike_message_find_notify(m, IKE_NOTIFY_REKEY_SA);
	uint16_t answer = IKE_NOTIFY_NO_ADDITIONAL_SAS;
	uint16_t want_group = 0;
	uint8_t group_be[2];
	IkeRekeyCtx ctx = {0};
	gboolean ok = TRUE;

	if (gen != &sa->cur) {
		/* the SA is on its way out, or already rekeyed by us (RFC 7296 §2.8.2) */
		answer = IKE_NOTIFY_TEMPORARY_FAILURE;
	} else if (sa_p && sa_p->u.sa.n_proposals > 0 &&
	           sa_p->u.sa.proposals[0].protocol == IKE_PROTO_IKE) {
		answer = ike_xchg_ike_rekey_process_request(sa, message_id, now_us, &want_group,
		                                            &ok, error);
		if (!ok || answer == 0)
			return ok; /* answered */
	} else if (rekey) {
		answer = check_child_rekey(sa, rekey);
		if (answer == 0)
			answer = accept_child_rekey(sa, &ctx, now_us, &want_group, &ok, error);
		if (!ok)
			return FALSE;
	}
	if (answer == 0) {
		ok = ike_sa_send_response(sa, gen, IKE_EXCHANGE_CREATE_CHILD_SA, message_id, now_us,
		                          error);
		ike_rekey_ctx_clear(&ctx);
		if (ok)
			ike_xchg_emit_rekeyed(sa, IKE_SA_KIND_CHILD, TRUE,
			                      "Child SA rekeyed by the gateway", now_us);
		return ok;
	}
	ike_rekey_ctx_clear(&ctx);
	ike_sa_out_reset(sa);
	if (answer == IKE_NOTIFY_INVALID_KE_PAYLOAD) {
		/* RFC 7296 §1.3: the group we accept, in the notify data. */
		ferry_put_be16(group_be, want_group);
		ike_sa_out_add_notify(sa, answer, IKE_PROTO_NONE, FERRY_SPAN_EMPTY,
		                      FERRY_SPAN(group_be, sizeof(group_be)));
	} else {
		ike_sa_out_add_notify(sa, answer, IKE_PROTO_NONE, FERRY_SPAN_EMPTY,
		                      FERRY_SPAN_EMPTY);
	}
	return ike_sa_send_response(sa, gen, IKE_EXCHANGE_CREATE_CHILD_SA, message_id, now_us,
	                            error);
}
