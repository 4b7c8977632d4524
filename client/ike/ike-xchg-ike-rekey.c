/* ike-xchg-ike-rekey.c - CREATE_CHILD_SA rekeying the IKE SA, both ways, and its collisions
 * (RFC 7296 §1.3.2, §2.8.2, §2.18) */
#include <string.h>

#include "crypto-rng.h"
#include "ferry-error.h"
#include "ike-sa-private.h"

static gboolean
send_ike_rekey(IkeSa *sa, gint64 now_us, GError **error)
{
	IkeRekeyCtx *r = &sa->rekey;
	IkePayload *p;

	guint n = 0;

	ike_sa_out_reset(sa);
	p = ike_sa_out_add(sa, IKE_PAYLOAD_SA);
	for (guint i = 0; i < sa->config.n_ike_proposals; i++) {
		IkeProposal *prop = &p->u.sa.proposals[n];

		*prop = sa->ike_proposals[i];
		/* RFC 7296 §2.18: SKEYSEED comes from the old SA's PRF, prf+ from the new one's;
		 * crypto_keymat_ike_rekey() has one PRF, so we keep the PRF we have. */
		if (!ike_proposal_keep_only(prop, IKE_TRANSFORM_PRF, sa->cur.prf_id))
			continue;
		prop->number = (uint8_t)(n + 1);
		/* RFC 7296 §1.3.2: the new SA's SPI rides in the proposal. */
		prop->spi_size = 8;
		ferry_put_be64(prop->spi, r->spi_i);
		n++;
	}
	p->u.sa.n_proposals = (uint8_t)n;
	p = ike_sa_out_add(sa, IKE_PAYLOAD_NONCE);
	p->u.nonce = FERRY_SPAN(r->ni, sizeof(r->ni));
	ike_xchg_rekey_add_ke(sa, r->ke);
	return ike_sa_send_request(sa, &sa->cur, IKE_XCHG_REKEY_IKE, IKE_EXCHANGE_CREATE_CHILD_SA,
	                           now_us, error);
}

gboolean
ike_xchg_ike_rekey_build_request(IkeSa *sa, gint64 now_us, GError **error)
{
	IkeRekeyCtx *r = &sa->rekey;
	IkeProposalAlgs algs;
	uint8_t b[8];

	ike_rekey_ctx_clear(r);
	do {
		crypto_rng_fill(CRYPTO_RNG_NONCE, b, sizeof(b));
		r->spi_i = ferry_get_be64(b);
	} while (r->spi_i == 0 || r->spi_i == sa->cur.spi_i);
	crypto_rng_fill(CRYPTO_RNG_NONCE, r->ni, sizeof(r->ni));
	/* The group the gateway chose last time is the one it will most likely pick again. */
	ike_proposal_get_algs(&sa->ike_chosen, &algs);
	if (!ike_xchg_rekey_make_ke(r, algs.ke, error))
		return FALSE;
	if (!send_ike_rekey(sa, now_us, error))
		return FALSE;
	ike_sa_set_state(sa, IKE_STATE_EVENT_REKEY_START, now_us);
	return TRUE;
}

static gboolean
handle_ike_rekey_error(IkeSa *sa, const IkeNotifyPayload *n, gint64 now_us, GError **error)
{
	gboolean retried;

	if (n->type == IKE_NOTIFY_INVALID_KE_PAYLOAD) {
		if (!ike_xchg_rekey_retry_ke(sa, n, sa->ike_proposals, sa->config.n_ike_proposals,
		                             &retried, error))
			return FALSE;
		if (retried)
			return send_ike_rekey(sa, now_us, error);
	}
	return ike_xchg_rekey_postpone(sa, TRUE, n, now_us);
}

/* Keys of the new IKE SA (RFC 7296 §2.18) into `gen`. */
static gboolean
derive_rekeyed(IkeSa *sa,
               const IkeProposal *chosen,
               const FerrySecret *shared,
               FerrySpan ni,
               FerrySpan nr,
               IkeSaGen *gen,
               GError **error)
{
	IkeProposalAlgs algs;
	CryptoXformSizes sizes;
	CryptoStatus st;

	ike_proposal_get_algs(chosen, &algs);
	gen->prf_id = algs.prf;
	gen->alg = ike_proposal_algs_xform(&algs);
	st = crypto_xform_sizes(&gen->alg, &sizes);
	/* SKEYSEED = prf(SK_d (old), g^ir (new) | Ni | Nr) */
	if (st == CRYPTO_OK)
		st = crypto_keymat_ike_rekey(algs.prf, sa->cur.keys.sk_d, shared, ni.data, ni.len,
		                             nr.data, nr.len, gen->spi_i, gen->spi_r,
		                             sizes.integ_key_len, sizes.enc_key_len, &gen->keys);
	if (st != CRYPTO_OK) {
		g_set_error(error, FERRY_ERROR, FERRY_ERROR_PROTOCOL,
		            "cannot derive the rekeyed IKE SA's keys: %s",
		            crypto_status_to_string(st));
		return FALSE;
	}
	return ike_sa_gen_make_xforms(gen, error);
}

void
ike_xchg_ike_rekey_take_peer(IkeSa *sa, gboolean old_deleted, gint64 now_us)
{
	IkeSaGen *fresh = g_steal_pointer(&sa->peer_new);

	if (!fresh)
		return;
	if (sa->cur.inflight == IKE_XCHG_REKEY_IKE) {
		/* §2.8.2: our own attempt is forgotten; its SA is gone with the old one */
		ike_retransmit_stop(&sa->cur.rt);
		sa->cur.inflight = IKE_XCHG_NONE;
		ike_rekey_ctx_clear(&sa->rekey);
	}
	ike_sa_gen_drop(sa, sa->old);
	if (old_deleted) {
		ike_sa_gen_clear(&sa->cur);
	} else {
		/* RFC 7296 §1.3.2: the gateway, which started the rekey, deletes the old SA;
		 * we only answer there from now on. */
		sa->old = g_new0(IkeSaGen, 1);
		*sa->old = sa->cur;
	}
	sa->cur = *fresh;
	g_free(fresh);
	sa->want_rekey_ike = FALSE;
	ike_sa_arm_timers(sa, TRUE, FALSE, now_us);
	ike_xchg_emit_rekeyed(sa, IKE_SA_KIND_IKE, TRUE, "IKE SA rekeyed by the gateway", now_us);
	if (sa->state == IKE_STATE_REKEYING)
		ike_sa_set_state(sa, IKE_STATE_EVENT_REKEY_DONE, now_us);
}

/* RFC 7296 §2.8.2: our rekey of the IKE SA and the gateway's crossed and both succeeded: the
 * new SA of the exchange holding the lowest nonce is redundant, deleted by whoever started
 * that exchange; the other one inherits the Child SAs.  `*ours` stays NULL when the
 * gateway's SA won (ours is then being deleted). */
static gboolean
resolve_ike_collision(
	IkeSa *sa, const IkePayload *nonce, IkeSaGen **ours, gint64 now_us, GError **error)
{
	FerrySpan ni = FERRY_SPAN(sa->rekey.ni, sizeof(sa->rekey.ni));

	ike_sa_gen_drop(sa, sa->redundant);
	if (ike_nonce_holds_lowest(ni, nonce->u.nonce, sa->peer_new_low, sa->peer_new_low_len)) {
		g_info("IKE SA %016" G_GINT64_MODIFIER "x: IKE SA rekey collision, the gateway's "
		       "SA stays",
		       sa->cur.spi_i);
		sa->redundant = g_steal_pointer(ours);
		ike_xchg_ike_rekey_take_peer(sa, FALSE, now_us);
		return ike_xchg_info_build_request(sa, sa->redundant, IKE_XCHG_DELETE_IKE, now_us,
		                                   error);
	}
	/* Ours stays; the gateway deletes its SA, which only answers until then. */
	sa->redundant = g_steal_pointer(&sa->peer_new);
	return TRUE;
}

gboolean
ike_xchg_ike_rekey_process_response(IkeSa *sa, gint64 now_us, GError **error)
{
	const IkeMessage *m = sa->msg;
	const IkeNotifyPayload *n = ike_message_find_error_notify(m);
	const IkePayload *sa_p, *nonce;
	IkeProposal chosen;
	IkeProposalAlgs algs;
	FerrySecret *shared = NULL;
	IkeSaGen *fresh;
	gboolean ok;

	if (n && sa->peer_new) {
		/* The gateway's rekey, answered meanwhile, stands (RFC 7296 §2.8.2). */
		ike_xchg_ike_rekey_take_peer(sa, FALSE, now_us);
		return TRUE;
	}
	if (n)
		return handle_ike_rekey_error(sa, n, now_us, error);
	sa_p = ike_message_find(m, IKE_PAYLOAD_SA);
	nonce = ike_xchg_rekey_find_nonce(m, error);
	if (!nonce)
		return FALSE;
	if (!sa_p) {
		g_set_error(error, FERRY_ERROR, FERRY_ERROR_PROTOCOL,
		            "the gateway's IKE SA rekey response lacks SA");
		return FALSE;
	}
	if (!ike_proposal_verify(sa->ike_proposals, sa->config.n_ike_proposals, &sa_p->u.sa,
	                         IKE_PROTO_IKE, &chosen, error))
		return FALSE;
	if (chosen.spi_size != 8 || ferry_get_be64(chosen.spi) == 0) {
		g_set_error(error, FERRY_ERROR, FERRY_ERROR_PROTOCOL,
		            "the gateway's IKE SA rekey proposal has no 8-byte SPI");
		return FALSE;
	}
	ike_proposal_get_algs(&chosen, &algs);
	if (algs.prf != sa->cur.prf_id) {
		g_set_error(
			error, FERRY_ERROR, FERRY_ERROR_PROTOCOL,
			"the gateway changed the PRF in the IKE SA rekey, which we did not offer");
		return FALSE;
	}
	if (!ike_xchg_rekey_compute_shared(sa, m, algs.ke, &shared, error))
		return FALSE;
	fresh = ike_sa_gen_new(sa);
	fresh->spi_i = sa->rekey.spi_i;
	fresh->spi_r = ferry_get_be64(chosen.spi);
	ok = derive_rekeyed(sa, &chosen, shared, FERRY_SPAN(sa->rekey.ni, sizeof(sa->rekey.ni)),
	                    nonce->u.nonce, fresh, error);
	ferry_secret_free(shared);
	if (ok && sa->peer_new)
		ok = resolve_ike_collision(sa, nonce, &fresh, now_us, error);
	ike_rekey_ctx_clear(&sa->rekey);
	if (!ok || !fresh) {
		if (fresh) {
			ike_sa_gen_clear(fresh);
			g_free(fresh);
		}
		return ok;
	}
	/* The new SA takes over with message IDs from 0 (RFC 7296 §2.18); the old one only
	 * sends its DELETE.  Children move with it unchanged. */
	ike_sa_gen_drop(sa, sa->old);
	sa->old = g_new0(IkeSaGen, 1);
	*sa->old = sa->cur;
	sa->cur = *fresh;
	g_free(fresh);
	sa->ike_chosen = chosen;
	ike_sa_arm_timers(sa, TRUE, FALSE, now_us);
	ike_xchg_emit_rekeyed(sa, IKE_SA_KIND_IKE, FALSE, "IKE SA rekeyed", now_us);
	ike_sa_set_state(sa, IKE_STATE_EVENT_REKEY_DONE, now_us);
	return ike_xchg_info_build_request(sa, sa->old, IKE_XCHG_DELETE_IKE, now_us, error);
}

/* Why we cannot take the gateway's rekey of the IKE SA now; 0 if we can. */
static uint16_t
check_ike_rekey(IkeSa *sa)
{
	if (sa->state == IKE_STATE_DELETING || sa->want_delete)
		return IKE_NOTIFY_TEMPORARY_FAILURE;
	/* one IKE SA rekey at a time: the last one's leftovers still wait for their DELETE */
	if (sa->old || sa->peer_new || sa->redundant)
		return IKE_NOTIFY_TEMPORARY_FAILURE;
	switch (sa->cur.inflight) {
	case IKE_XCHG_NONE:
	case IKE_XCHG_DPD:       /* answered on the old SA, which stays until deleted */
	case IKE_XCHG_REKEY_IKE: /* a collision: answer as usual (RFC 7296 §2.8.2) */
		return 0;
	case IKE_XCHG_INIT:
	case IKE_XCHG_AUTH:
	case IKE_XCHG_REKEY_CHILD:
	case IKE_XCHG_DELETE_CHILD:
	case IKE_XCHG_DELETE_REDUNDANT:
	case IKE_XCHG_DELETE_IKE:
		break;
	}
	/* RFC 7296 §2.25.2: while rekeying or deleting a Child SA of this IKE SA */
	return IKE_NOTIFY_TEMPORARY_FAILURE;
}

static uint64_t
new_ike_spi(IkeSa *sa)
{
	uint8_t b[8];
	uint64_t spi;

	do {
		crypto_rng_fill(CRYPTO_RNG_NONCE, b, sizeof(b));
		spi = ferry_get_be64(b);
	} while (spi == 0 || spi == sa->cur.spi_i || spi == sa->cur.spi_r ||
	         spi == sa->rekey.spi_i);
	return spi;
}

/* Our answer to the gateway's rekey of the IKE SA (RFC 7296 §1.3.2, §2.18), sent from here:
 * a proposal of its offer within ours (our PRF kept: SKEYSEED comes from the old SA's), our
 * SPI, nonce and KE.  The gateway becomes the original initiator of the new SA.  Returns the
 * error notify to answer instead, or 0; FALSE in `ok` on a local failure. */
uint16_t
ike_xchg_ike_rekey_process_request(IkeSa *sa,
                                   uint32_t message_id,
                                   gint64 now_us,
                                   uint16_t *want_group,
                                   gboolean *ok,
                                   GError **error)
{
	const IkeMessage *m = sa->msg;
	const IkePayload *sa_p = ike_message_find(m, IKE_PAYLOAD_SA);
	const IkePayload *ni = ike_message_find(m, IKE_PAYLOAD_NONCE);
	const IkePayload *kei = ike_message_find(m, IKE_PAYLOAD_KE);
	IkeRekeyCtx r = {0};
	FerrySecret *shared = NULL;
	IkeProposal chosen;
	IkeProposalAlgs algs;
	IkeSaGen *fresh;
	IkePayload *p;
	uint16_t answer;

	*ok = TRUE;
	answer = check_ike_rekey(sa);
	if (answer)
		return answer;
	if (!sa_p || !kei || !ni || ni->u.nonce.len < IKE_NONCE_MIN ||
	    ni->u.nonce.len > IKE_NONCE_MAX)
		return IKE_NOTIFY_INVALID_SYNTAX;
	answer = ike_xchg_select_proposal(sa->ike_proposals, sa->config.n_ike_proposals,
	                                  sa->cur.prf_id, &sa_p->u.sa, kei->u.ke.group, &chosen,
	                                  want_group);
	if (answer)
		return answer;
	ike_proposal_get_algs(&chosen, &algs);
	if (chosen.spi_size != 8 || ferry_get_be64(chosen.spi) == 0 || algs.ke == 0 ||
	    algs.ke == IKE_KE_NONE)
		return IKE_NOTIFY_INVALID_SYNTAX;
	if (!ike_xchg_rekey_make_ke(&r, algs.ke, error)) {
		*ok = FALSE;
		return 0;
	}
	if (crypto_ke_compute(r.ke, kei->u.ke.data.data, kei->u.ke.data.len, &shared) !=
	    CRYPTO_OK) {
		ike_rekey_ctx_clear(&r);
		return IKE_NOTIFY_INVALID_SYNTAX;
	}
	crypto_rng_fill(CRYPTO_RNG_NONCE, r.ni, sizeof(r.ni));
	fresh = ike_sa_gen_new(sa);
	fresh->responder = TRUE;
	fresh->spi_i = ferry_get_be64(chosen.spi);
	fresh->spi_r = new_ike_spi(sa);
	/* SKEYSEED = prf(SK_d (old), g^ir (new) | Ni | Nr), the gateway's Ni first */
	*ok = derive_rekeyed(sa, &chosen, shared, ni->u.nonce, FERRY_SPAN(r.ni, sizeof(r.ni)),
	                     fresh, error);
	ferry_secret_free(shared);
	if (*ok) {
		ike_sa_out_reset(sa);
		p = ike_sa_out_add(sa, IKE_PAYLOAD_SA);
		p->u.sa.n_proposals = 1;
		p->u.sa.proposals[0] = chosen;
		ferry_put_be64(p->u.sa.proposals[0].spi, fresh->spi_r);
		p = ike_sa_out_add(sa, IKE_PAYLOAD_NONCE);
		p->u.nonce = FERRY_SPAN(r.ni, sizeof(r.ni));
		ike_xchg_rekey_add_ke(sa, r.ke);
		*ok = ike_sa_send_response(sa, &sa->cur, IKE_EXCHANGE_CREATE_CHILD_SA, message_id,
		                           now_us, error);
	}
	if (!*ok) {
		ike_rekey_ctx_clear(&r);
		ike_sa_gen_clear(fresh);
		g_free(fresh);
		return 0;
	}
	sa->peer_new = fresh;
	if (sa->cur.inflight == IKE_XCHG_REKEY_IKE) {
		/* §2.8.2: both rekey at once; the answer to ours decides which new SA stays */
		sa->peer_new_low_len = ike_nonce_keep_lower(
			ni->u.nonce, FERRY_SPAN(r.ni, sizeof(r.ni)), sa->peer_new_low);
	} else {
		sa->ike_chosen = chosen;
		ike_xchg_ike_rekey_take_peer(sa, FALSE, now_us);
	}
	ike_rekey_ctx_clear(&r);
	return 0;
}
