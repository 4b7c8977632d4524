/* ike-xchg-child.c - CREATE_CHILD_SA: rekeying the Child SA and the IKE SA (RFC 7296 §1.3, §2.8) */
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

static gboolean
make_ke(IkeRekeyCtx *ctx, uint16_t group, GError **error)
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

static void
add_ke(IkeSa *sa, CryptoKe *ke)
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
		add_ke(sa, r->ke);
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
	if (group && !make_ke(r, group, error))
		return FALSE;
	if (!send_child_rekey(sa, now_us, error))
		return FALSE;
	ike_sa_set_state(sa, IKE_STATE_EVENT_REKEY_START, now_us);
	return TRUE;
}

/* The gateway refused the rekey for now: keep the old SA and try again later. */
static gboolean
postpone_rekey(IkeSa *sa, gboolean ike, const IkeNotifyPayload *n, gint64 now_us)
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
static gboolean
retry_ke(IkeSa *sa,
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
	if (!make_ke(&sa->rekey, group, error))
		return FALSE;
	*retried = TRUE;
	return TRUE;
}

/* KEr and g^ir for a rekey with a key exchange; NULL shared without one. */
static gboolean
compute_shared(IkeSa *sa, const IkeMessage *m, uint16_t group, FerrySecret **shared, GError **error)
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

static const IkePayload *
find_nonce(const IkeMessage *m, GError **error)
{
	const IkePayload *p = ike_message_find(m, IKE_PAYLOAD_NONCE);

	if (!p || p->u.nonce.len < IKE_NONCE_MIN || p->u.nonce.len > IKE_NONCE_MAX) {
		g_set_error(error, FERRY_ERROR, FERRY_ERROR_PROTOCOL,
		            "the gateway's CREATE_CHILD_SA response has no valid nonce");
		return NULL;
	}
	return p;
}

static void
emit_rekeyed(IkeSa *sa, const char *text, gint64 now_us)
{
	IkeEvent ev = {.type = IKE_EVENT_REKEYED, .text = text};

	g_info("IKE SA %016" G_GINT64_MODIFIER "x: %s", sa->cur.spi_i, text);
	ike_sa_emit(sa, &ev, now_us);
}

static gboolean
handle_child_error(IkeSa *sa, const IkeNotifyPayload *n, gint64 now_us, GError **error)
{
	gboolean retried;

	switch (n->type) {
	case IKE_NOTIFY_INVALID_KE_PAYLOAD:
		if (!retry_ke(sa, n, sa->child_proposals, sa->config.n_child_proposals, &retried,
		              error))
			return FALSE;
		if (retried)
			return send_child_rekey(sa, now_us, error);
		return postpone_rekey(sa, FALSE, n, now_us);
	case IKE_NOTIFY_CHILD_SA_NOT_FOUND:
		g_set_error(error, FERRY_ERROR, FERRY_ERROR_PEER_NOTIFY,
		            "the gateway no longer knows our Child SA (CHILD_SA_NOT_FOUND)");
		return FALSE;
	default:
		/* TEMPORARY_FAILURE (a collision, RFC 7296 §2.25), NO_ADDITIONAL_SAS, ... */
		return postpone_rekey(sa, FALSE, n, now_us);
	}
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
	nonce = find_nonce(m, error);
	if (!nonce)
		return FALSE;
	child.in.spi = sa->rekey.spi_in;
	if (!ike_xchg_child_accept(sa, m, sa->child.tsi, sa->child.n_tsi, sa->child.tsr,
	                           sa->child.n_tsr, TRUE, &chosen, &child, error))
		return FALSE;
	{
		IkeProposalAlgs algs;

		ike_proposal_get_algs(&chosen, &algs);
		if (!compute_shared(sa, m, algs.ke, &shared, error))
			return FALSE;
	}
	/* RFC 7296 §2.17: KEYMAT = prf+(SK_d, g^ir (new) | Ni | Nr) */
	ok = ike_xchg_derive_child(sa, &chosen, shared, sa->rekey.ni, sizeof(sa->rekey.ni),
	                           nonce->u.nonce.data, nonce->u.nonce.len, &child, error);
	ferry_secret_free(shared);
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
	emit_rekeyed(sa, "Child SA rekeyed", now_us);
	ike_sa_set_state(sa, IKE_STATE_EVENT_REKEY_DONE, now_us);
	return TRUE;
}

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
	add_ke(sa, r->ke);
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
	if (!make_ke(r, algs.ke, error))
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
		if (!retry_ke(sa, n, sa->ike_proposals, sa->config.n_ike_proposals, &retried,
		              error))
			return FALSE;
		if (retried)
			return send_ike_rekey(sa, now_us, error);
	}
	return postpone_rekey(sa, TRUE, n, now_us);
}

/* Keys of the new IKE SA (RFC 7296 §2.18) into `gen`. */
static gboolean
derive_rekeyed(IkeSa *sa,
               const IkeProposal *chosen,
               const FerrySecret *shared,
               const IkePayload *nonce,
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
		st = crypto_keymat_ike_rekey(algs.prf, sa->cur.keys.sk_d, shared, sa->rekey.ni,
		                             sizeof(sa->rekey.ni), nonce->u.nonce.data,
		                             nonce->u.nonce.len, gen->spi_i, gen->spi_r,
		                             sizes.integ_key_len, sizes.enc_key_len, &gen->keys);
	if (st != CRYPTO_OK) {
		g_set_error(error, FERRY_ERROR, FERRY_ERROR_PROTOCOL,
		            "cannot derive the rekeyed IKE SA's keys: %s",
		            crypto_status_to_string(st));
		return FALSE;
	}
	return ike_sa_gen_make_xforms(gen, error);
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

	if (n)
		return handle_ike_rekey_error(sa, n, now_us, error);
	sa_p = ike_message_find(m, IKE_PAYLOAD_SA);
	nonce = find_nonce(m, error);
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
	if (!compute_shared(sa, m, algs.ke, &shared, error))
		return FALSE;
	fresh = g_new0(IkeSaGen, 1);
	ike_retransmit_init(&fresh->rt, sa->config.retransmit_tries, sa->config.retransmit_base_ms);
	fresh->spi_i = sa->rekey.spi_i;
	fresh->spi_r = ferry_get_be64(chosen.spi);
	ok = derive_rekeyed(sa, &chosen, shared, nonce, fresh, error);
	ferry_secret_free(shared);
	ike_rekey_ctx_clear(&sa->rekey);
	if (!ok) {
		ike_sa_gen_clear(fresh);
		g_free(fresh);
		return FALSE;
	}
	/* The new SA takes over with message IDs from 0 (RFC 7296 §2.18); the old one only
	 * sends its DELETE.  Children move with it unchanged. */
	if (sa->old) {
		ike_sa_gen_clear(sa->old);
		g_free(sa->old);
	}
	sa->old = g_new0(IkeSaGen, 1);
	*sa->old = sa->cur;
	sa->cur = *fresh;
	g_free(fresh);
	sa->ike_chosen = chosen;
	ike_sa_arm_timers(sa, TRUE, FALSE, now_us);
	emit_rekeyed(sa, "IKE SA rekeyed", now_us);
	ike_sa_set_state(sa, IKE_STATE_EVENT_REKEY_DONE, now_us);
	return ike_xchg_info_build_request(sa, sa->old, IKE_XCHG_DELETE_IKE, now_us, error);
}

/* Which Child SA a REKEY_SA notify names: the gateway gives its inbound SPI, our outbound. */
static uint16_t
answer_child_rekey(IkeSa *sa, const IkeNotifyPayload *rekey)
{
	uint32_t spi = rekey->spi.len == 4 ? ferry_get_be32(rekey->spi.data) : 0;

	if (sa->has_child && spi == sa->child.out.spi) {
		/* While our own rekey runs, that one resolves the collision. */
		if (sa->state == IKE_STATE_ESTABLISHED)
			sa->want_rekey_child = TRUE;
		return IKE_NOTIFY_TEMPORARY_FAILURE;
	}
	/* An SA our rekey replaced, its DELETE under way: nothing more to do. */
	if (sa->old_spi_out && spi == sa->old_spi_out)
		return IKE_NOTIFY_TEMPORARY_FAILURE;
	return IKE_NOTIFY_CHILD_SA_NOT_FOUND; /* RFC 7296 §1.3.3 */
}

/* A CREATE_CHILD_SA the gateway started: we stay the only side that rekeys.  RFC 7296 §2.25
 * lets us refuse with TEMPORARY_FAILURE; we then rekey that SA ourselves at once, which
 * resets the gateway's timer too.  New Child SAs are refused with NO_ADDITIONAL_SAS. */
gboolean
ike_xchg_child_process_request(
	IkeSa *sa, IkeSaGen *gen, uint32_t message_id, gint64 now_us, GError **error)
{
	const IkeMessage *m = sa->msg;
	const IkePayload *sa_p = ike_message_find(m, IKE_PAYLOAD_SA);
	const IkeNotifyPayload *rekey = ike_message_find_notify(m, IKE_NOTIFY_REKEY_SA);
	uint16_t answer = IKE_NOTIFY_NO_ADDITIONAL_SAS;

	if (gen != &sa->cur) {
		answer = IKE_NOTIFY_TEMPORARY_FAILURE; /* the SA is on its way out */
	} else if (sa_p && sa_p->u.sa.n_proposals > 0 &&
	           sa_p->u.sa.proposals[0].protocol == IKE_PROTO_IKE) {
		answer = IKE_NOTIFY_TEMPORARY_FAILURE;
		if (sa->state == IKE_STATE_ESTABLISHED)
			sa->want_rekey_ike = TRUE;
	} else if (rekey) {
		answer = answer_child_rekey(sa, rekey);
	}
	ike_sa_out_reset(sa);
	ike_sa_out_add_notify(sa, answer, IKE_PROTO_NONE, FERRY_SPAN_EMPTY, FERRY_SPAN_EMPTY);
	return ike_sa_send_response(sa, gen, IKE_EXCHANGE_CREATE_CHILD_SA, message_id, now_us,
	                            error);
}
