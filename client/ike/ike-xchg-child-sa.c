/* ike-xchg-child-sa.c - a Child SA from a response: accepted against our proposals and traffic
 * selectors, keyed from KEYMAT and installed; shared by IKE_AUTH and CREATE_CHILD_SA
 * (RFC 7296 §1.2, §1.3, §2.9, §2.17) */
#include <string.h>
#include <sys/socket.h>

#include "ferry-error.h"
#include "ike-sa-private.h"
#include "ike-ts.h"

/* Errors about the Child SA (RFC 7296 §1.2: the IKE SA stands, the child failed). */
static gboolean
fail_child_notify(IkeSa *sa, const IkeNotifyPayload *n, GError **error)
{
	g_autofree char *ours = NULL;

	switch (n->type) {
	case IKE_NOTIFY_TS_UNACCEPTABLE:
		g_set_error(error, FERRY_ERROR, FERRY_ERROR_TS_UNACCEPTABLE,
		            "the gateway refused our traffic selectors (TS_UNACCEPTABLE): check "
		            "the remote networks in the profile");
		break;
	case IKE_NOTIFY_INTERNAL_ADDRESS_FAILURE:
		g_set_error(error, FERRY_ERROR, FERRY_ERROR_PEER_NOTIFY,
		            "the gateway could not assign us a virtual IP address "
		            "(INTERNAL_ADDRESS_FAILURE)");
		break;
	case IKE_NOTIFY_FAILED_CP_REQUIRED:
		g_set_error(error, FERRY_ERROR, FERRY_ERROR_PEER_NOTIFY,
		            "the gateway requires us to request a virtual IP address "
		            "(FAILED_CP_REQUIRED)");
		break;
	case IKE_NOTIFY_NO_PROPOSAL_CHOSEN:
		ours = ike_proposal_list_to_string(sa->child_proposals,
		                                   sa->config.n_child_proposals);
		g_set_error(error, FERRY_ERROR, FERRY_ERROR_NO_PROPOSAL,
		            "the gateway accepted none of our ESP proposals (ours: %s)", ours);
		break;
	default:
		g_set_error(error, FERRY_ERROR, FERRY_ERROR_PEER_NOTIFY,
		            "the gateway refused the Child SA with %s",
		            ike_sa_notify_name(n->type));
		break;
	}
	return FALSE;
}

gboolean
ike_xchg_derive_child(IkeSa *sa,
                      const IkeProposal *chosen,
                      const FerrySecret *shared,
                      const uint8_t *ni,
                      gsize ni_len,
                      const uint8_t *nr,
                      gsize nr_len,
                      IkeChildSa *child,
                      GError **error)
{
	IkeProposalAlgs algs;
	CryptoXformSizes sizes;
	CryptoChildKeys keys = {0};
	CryptoStatus st;

	ike_proposal_get_algs(chosen, &algs);
	child->protocol = chosen->protocol;
	child->esn = algs.has_esn && algs.esn == IKE_ESN_YES;
	child->in.alg = ike_proposal_algs_xform(&algs);
	child->out.alg = child->in.alg;
	child->ke_group = algs.ke;
	child->rekey_s = sa->config.child_rekey_s;
	st = crypto_xform_sizes(&child->in.alg, &sizes);
	if (st == CRYPTO_OK)
		st = crypto_keymat_child(sa->cur.prf_id, sa->cur.keys.sk_d, shared, ni, ni_len, nr,
		                         nr_len, sizes.enc_key_len, sizes.integ_key_len, &keys);
	if (st != CRYPTO_OK) {
		g_set_error(error, FERRY_ERROR, FERRY_ERROR_PROTOCOL,
		            "cannot derive the Child SA keys: %s", crypto_status_to_string(st));
		return FALSE;
	}
	/* RFC 7296 §2.17: initiator-to-responder keys first, i.e. our outbound. */
	child->out.enc_key = g_steal_pointer(&keys.enc_i);
	child->out.integ_key = g_steal_pointer(&keys.integ_i);
	child->in.enc_key = g_steal_pointer(&keys.enc_r);
	child->in.integ_key = g_steal_pointer(&keys.integ_r);
	crypto_child_keys_clear(&keys);
	return TRUE;
}

void
ike_xchg_install_child(IkeSa *sa, IkeChildSa *child, gint64 now_us)
{
	IkeEvent ev = {.type = IKE_EVENT_CHILD_INSTALL, .child = child};
	g_autofree char *tsi = ike_ts_list_to_string(child->tsi, child->n_tsi);
	g_autofree char *tsr = ike_ts_list_to_string(child->tsr, child->n_tsr);
	g_autofree char *text = g_strdup_printf("%s SPIs in %08x out %08x, %s === %s",
	                                        child->transport_mode ? "transport" : "tunnel",
	                                        child->in.spi, child->out.spi, tsi, tsr);

	ev.text = text;
	ike_sa_emit(sa, &ev, now_us);
	/* DESIGN.md: ESP keys live only in the datapath; ours go now. */
	ike_child_sa_clear(child);
	sa->child = *child;
	sa->has_child = TRUE;
}

/* Check and take the Child SA part of a response: SA, TSi, TSr (RFC 7296 §2.9). */
gboolean
ike_xchg_child_accept(IkeSa *sa,
                      const IkeMessage *m,
                      const IkeTs *tsi_offer,
                      guint n_tsi_offer,
                      const IkeTs *tsr_offer,
                      guint n_tsr_offer,
                      gboolean with_ke,
                      IkeProposal *chosen,
                      IkeChildSa *child,
                      GError **error)
{
	g_autofree IkeProposal *offers = g_new(IkeProposal, sa->config.n_child_proposals);
	const IkePayload *sa_p = ike_message_find(m, IKE_PAYLOAD_SA);
	const IkePayload *tsi = ike_message_find(m, IKE_PAYLOAD_TSI);
	const IkePayload *tsr = ike_message_find(m, IKE_PAYLOAD_TSR);
	const IkeNotifyPayload *n = ike_message_find_error_notify(m);

	if (n)
		return fail_child_notify(sa, n, error);
	if (!sa_p || !tsi || !tsr) {
		g_set_error(error, FERRY_ERROR, FERRY_ERROR_PROTOCOL,
		            "the gateway's %s response lacks %s",
		            ike_exchange_name(m->hdr.exchange),
		            !sa_p  ? "SA"
		            : !tsi ? "TSi"
		                   : "TSr");
		return FALSE;
	}
	/* Against what we sent: IKE_AUTH's proposals went without KE transforms. */
	memcpy(offers, sa->child_proposals, sizeof(IkeProposal) * sa->config.n_child_proposals);
	for (guint i = 0; i < sa->config.n_child_proposals && !with_ke; i++)
		ike_proposal_strip_ke(&offers[i]);
	if (!ike_proposal_verify(offers, sa->config.n_child_proposals, &sa_p->u.sa,
	                         sa->child_proposals[0].protocol, chosen, error))
		return FALSE;
	if (chosen->spi_size != 4 || ferry_get_be32(chosen->spi) == 0) {
		g_set_error(error, FERRY_ERROR, FERRY_ERROR_PROTOCOL,
		            "the gateway's Child SA proposal has a %u-byte SPI", chosen->spi_size);
		return FALSE;
	}
	if (!ike_ts_check_narrowed(tsi->u.ts.ts, tsi->u.ts.n_ts, tsi_offer, n_tsi_offer) ||
	    !ike_ts_check_narrowed(tsr->u.ts.ts, tsr->u.ts.n_ts, tsr_offer, n_tsr_offer)) {
		g_autofree char *got_i = ike_ts_list_to_string(tsi->u.ts.ts, tsi->u.ts.n_ts);
		g_autofree char *got_r = ike_ts_list_to_string(tsr->u.ts.ts, tsr->u.ts.n_ts);

		g_set_error(error, FERRY_ERROR, FERRY_ERROR_TS_UNACCEPTABLE,
		            "the gateway answered with traffic selectors %s === %s, which are "
		            "not inside what we asked for (RFC 7296 §2.9)",
		            got_i, got_r);
		return FALSE;
	}
	child->out.spi = ferry_get_be32(chosen->spi);
	child->n_tsi = tsi->u.ts.n_ts;
	memcpy(child->tsi, tsi->u.ts.ts, sizeof(IkeTs) * child->n_tsi);
	child->n_tsr = tsr->u.ts.n_ts;
	memcpy(child->tsr, tsr->u.ts.ts, sizeof(IkeTs) * child->n_tsr);
	/* RFC 7296 §1.3.1: transport mode only when the responder echoes the notify. */
	child->transport_mode = sa->config.transport_mode &&
	                        ike_message_find_notify(m, IKE_NOTIFY_USE_TRANSPORT_MODE) != NULL;
	return TRUE;
}
