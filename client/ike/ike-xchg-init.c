/* ike-xchg-init.c - the IKE_SA_INIT exchange (RFC 7296 §1.2, §2.6, §2.7, §2.23) */
#include <string.h>

#include "crypto-prf.h"
#include "crypto-rng.h"
#include "crypto-sig.h"
#include "ferry-error.h"
#include "ike-natd.h"
#include "ike-sa-private.h"

static void
start_sa(IkeSa *sa)
{
	uint8_t b[8];

	do {
		crypto_rng_fill(CRYPTO_RNG_NONCE, b, sizeof(b));
		sa->cur.spi_i = ferry_get_be64(b);
	} while (sa->cur.spi_i == 0);
	crypto_rng_fill(CRYPTO_RNG_NONCE, sa->ni, sizeof(sa->ni));
}

static gboolean
make_ke(IkeSa *sa, uint16_t group, GError **error)
{
	CryptoStatus st;

	g_clear_pointer(&sa->ke, crypto_ke_free);
	st = crypto_ke_new(group, &sa->ke);
	if (st != CRYPTO_OK) {
		g_set_error(error, FERRY_ERROR, FERRY_ERROR_CONFIG,
		            "ike-proposals: key exchange %s failed: %s",
		            ike_ke_name(group) ? ike_ke_name(group) : "?",
		            crypto_status_to_string(st));
		return FALSE;
	}
	return TRUE;
}

gboolean
ike_xchg_init_build_request(IkeSa *sa, gint64 now_us, GError **error)
{
	uint8_t natd_src[IKE_NATD_HASH_LEN];
	uint8_t natd_dst[IKE_NATD_HASH_LEN];
	uint8_t hashes[16];
	size_t hashes_len;
	IkePayload *p;

	if (sa->state == IKE_STATE_IDLE) {
		start_sa(sa);
		if (!make_ke(sa,
		             ike_proposal_first_ke(sa->ike_proposals, sa->config.n_ike_proposals),
		             error))
			return FALSE;
	}
	ike_sa_out_reset(sa);
	/* RFC 7296 §2.6: the cookie goes first, everything else unchanged. */
	if (sa->cookie_len)
		ike_sa_out_add_notify(sa, IKE_NOTIFY_COOKIE, IKE_PROTO_NONE, FERRY_SPAN_EMPTY,
		                      FERRY_SPAN(sa->cookie, sa->cookie_len));
	p = ike_sa_out_add(sa, IKE_PAYLOAD_SA);
	p->u.sa.n_proposals = (uint8_t)sa->config.n_ike_proposals;
	memcpy(p->u.sa.proposals, sa->ike_proposals,
	       sizeof(IkeProposal) * sa->config.n_ike_proposals);
	p = ike_sa_out_add(sa, IKE_PAYLOAD_KE);
	p->u.ke.group = crypto_ke_get_group(sa->ke);
	p->u.ke.data = crypto_ke_get_public(sa->ke);
	p = ike_sa_out_add(sa, IKE_PAYLOAD_NONCE);
	p->u.nonce = FERRY_SPAN(sa->ni, sizeof(sa->ni));

	/* RFC 7296 §2.23: a source hash that cannot match makes the responder see a NAT and
	 * both sides move to UDP encapsulation, as a forced encapsulation wants. */
	if (sa->config.force_encap)
		crypto_rng_fill(CRYPTO_RNG_NONCE, natd_src, sizeof(natd_src));
	else
		ike_natd_hash(sa->cur.spi_i, 0, &sa->config.local_addr, natd_src);
	ike_natd_hash(sa->cur.spi_i, 0, &sa->config.remote_addr, natd_dst);
	ike_sa_out_add_notify(sa, IKE_NOTIFY_NAT_DETECTION_SOURCE_IP, IKE_PROTO_NONE,
	                      FERRY_SPAN_EMPTY, FERRY_SPAN(natd_src, sizeof(natd_src)));
	ike_sa_out_add_notify(sa, IKE_NOTIFY_NAT_DETECTION_DESTINATION_IP, IKE_PROTO_NONE,
	                      FERRY_SPAN_EMPTY, FERRY_SPAN(natd_dst, sizeof(natd_dst)));
	/* RFC 7383 §2.3 */
	ike_sa_out_add_notify(sa, IKE_NOTIFY_IKEV2_FRAGMENTATION_SUPPORTED, IKE_PROTO_NONE,
	                      FERRY_SPAN_EMPTY, FERRY_SPAN_EMPTY);
	/* RFC 7427 §4 */
	/* SHA2-256/384/512 and Identity (RFC 8420 §2, for Ed25519). */
	hashes_len = crypto_sig_hash_algorithms_encode(hashes, sizeof(hashes));
	ike_sa_out_add_notify(sa, IKE_NOTIFY_SIGNATURE_HASH_ALGORITHMS, IKE_PROTO_NONE,
	                      FERRY_SPAN_EMPTY, FERRY_SPAN(hashes, hashes_len));
	/* RFC 4739 §3: only when we want a second authentication round */
	if (sa->config.multi_auth)
		ike_sa_out_add_notify(sa, IKE_NOTIFY_MULTIPLE_AUTH_SUPPORTED, IKE_PROTO_NONE,
		                      FERRY_SPAN_EMPTY, FERRY_SPAN_EMPTY);

	sa->cur.next_id = 0;
	if (!ike_sa_send_request(sa, &sa->cur, IKE_XCHG_INIT, IKE_EXCHANGE_IKE_SA_INIT, now_us,
	                         error))
		return FALSE;
	/* RFC 7296 §2.15: AUTH signs the request as sent in the exchange that succeeded. */
	g_free(sa->init_request);
	sa->init_request = g_memdup2(sa->cur.rt.data, sa->cur.rt.len);
	sa->init_request_len = sa->cur.rt.len;
	if (sa->state == IKE_STATE_IDLE)
		ike_sa_set_state(sa, IKE_STATE_EVENT_CONNECT, now_us);
	return TRUE;
}

static gboolean
handle_cookie(IkeSa *sa, const IkeNotifyPayload *n, gint64 now_us, GError **error)
{
	IkeEvent ev = {.type = IKE_EVENT_COOKIE};

	if (n->data.len == 0 || n->data.len > IKE_MAX_COOKIE_LEN) {
		g_set_error(error, FERRY_ERROR, FERRY_ERROR_PROTOCOL,
		            "the gateway sent a COOKIE of %zu bytes (RFC 7296 §2.6 allows 1-64)",
		            n->data.len);
		return FALSE;
	}
	if (++sa->n_cookies > IKE_MAX_COOKIES) {
		g_set_error(error, FERRY_ERROR, FERRY_ERROR_PROTOCOL,
		            "the gateway asked for a cookie %u times in a row", sa->n_cookies);
		return FALSE;
	}
	memcpy(sa->cookie, n->data.data, n->data.len);
	sa->cookie_len = n->data.len;
	ev.text = "the gateway asked for a cookie (RFC 7296 §2.6); sending IKE_SA_INIT again";
	ike_sa_emit(sa, &ev, now_us);
	return ike_xchg_init_build_request(sa, now_us, error);
}

static gboolean
handle_invalid_ke(IkeSa *sa, const IkeNotifyPayload *n, gint64 now_us, GError **error)
{
	IkeEvent ev = {.type = IKE_EVENT_KE_RETRY};
	uint16_t group;

	if (n->data.len != 2) {
		g_set_error(error, FERRY_ERROR, FERRY_ERROR_PROTOCOL,
		            "the gateway sent INVALID_KE_PAYLOAD without a group");
		return FALSE;
	}
	group = ferry_get_be16(n->data.data);
	/* RFC 7296 §1.2: retry with the group the responder wants, if we offered it. */
	if (!ike_proposal_offers_ke(sa->ike_proposals, sa->config.n_ike_proposals, group) ||
	    group == IKE_KE_NONE) {
		g_autofree char *ours =
			ike_proposal_list_to_string(sa->ike_proposals, sa->config.n_ike_proposals);

		g_set_error(error, FERRY_ERROR, FERRY_ERROR_NO_PROPOSAL,
		            "the gateway wants key exchange %s, which we do not offer (ours: %s)",
		            ike_ke_name(group) ? ike_ke_name(group) : "unknown", ours);
		return FALSE;
	}
	if (group == crypto_ke_get_group(sa->ke) || ++sa->n_ke_retries > IKE_MAX_KE_RETRY) {
		g_set_error(
			error, FERRY_ERROR, FERRY_ERROR_PROTOCOL,
			"the gateway keeps refusing our key exchange (INVALID_KE_PAYLOAD for %s)",
			ike_ke_name(group) ? ike_ke_name(group) : "unknown");
		return FALSE;
	}
	if (!make_ke(sa, group, error))
		return FALSE;
	ev.ke_group = group;
	ev.text = ike_ke_name(group);
	ike_sa_emit(sa, &ev, now_us);
	return ike_xchg_init_build_request(sa, now_us, error);
}

static gboolean
handle_error_notify(IkeSa *sa, const IkeNotifyPayload *n, GError **error)
{
	if (n->type == IKE_NOTIFY_NO_PROPOSAL_CHOSEN) {
		g_autofree char *ours =
			ike_proposal_list_to_string(sa->ike_proposals, sa->config.n_ike_proposals);

		g_set_error(error, FERRY_ERROR, FERRY_ERROR_NO_PROPOSAL,
		            "the gateway accepted none of our IKE proposals (ours: %s)", ours);
		return FALSE;
	}
	g_set_error(error, FERRY_ERROR, FERRY_ERROR_PEER_NOTIFY,
	            "the gateway refused IKE_SA_INIT with %s", ike_sa_notify_name(n->type));
	return FALSE;
}

/* RFC 7296 §2.23: compare the responder's hashes with what we see. */
static void
detect_nat(IkeSa *sa, gint64 now_us)
{
	const IkeMessage *m = sa->msg;
	gboolean any_src = FALSE, src_match = FALSE, dst_seen = FALSE, dst_match = FALSE;
	IkeEvent ev = {.type = IKE_EVENT_NAT_DETECTED};

	for (gsize i = 0; i < m->n_payloads; i++) {
		const IkeNotifyPayload *n = &m->payloads[i].u.notify;

		if (m->payloads[i].type != IKE_PAYLOAD_NOTIFY)
			continue;
		if (n->type == IKE_NOTIFY_NAT_DETECTION_SOURCE_IP) {
			any_src = TRUE;
			src_match |= ike_natd_matches(sa->cur.spi_i, sa->cur.spi_r,
			                              &sa->config.remote_addr, n->data);
		} else if (n->type == IKE_NOTIFY_NAT_DETECTION_DESTINATION_IP) {
			dst_seen = TRUE;
			dst_match |= ike_natd_matches(sa->cur.spi_i, sa->cur.spi_r,
			                              &sa->config.local_addr, n->data);
		}
	}
	if (any_src && dst_seen) {
		sa->nat_remote = !src_match;
		sa->nat_local = !dst_match;
	} else if (!sa->config.force_encap) {
		g_debug("IKE SA %016" G_GINT64_MODIFIER "x: the gateway does no NAT detection",
		        sa->cur.spi_i);
		return;
	}
	if (!sa->nat_local && !sa->nat_remote && !sa->config.force_encap)
		return;
	sa->use_natt = TRUE;
	ev.nat_local = sa->nat_local;
	ev.nat_remote = sa->nat_remote;
	if (sa->nat_local)
		ev.text = sa->nat_remote ? "both sides are behind NAT" : "we are behind NAT";
	else if (sa->nat_remote)
		ev.text = "the gateway is behind NAT";
	else
		ev.text = "no NAT seen; UDP encapsulation forced";
	ike_sa_emit(sa, &ev, now_us);
}

static gboolean
derive_ike_keys(IkeSa *sa, const IkePayload *ke, GError **error)
{
	IkeProposalAlgs algs;
	CryptoXformSizes sizes;
	FerrySecret *shared = NULL;
	CryptoStatus st;

	ike_proposal_get_algs(&sa->ike_chosen, &algs);
	if (algs.ke != crypto_ke_get_group(sa->ke) || ke->u.ke.group != algs.ke) {
		g_set_error(error, FERRY_ERROR, FERRY_ERROR_PROTOCOL,
		            "the gateway chose key exchange %s but sent a KE payload for %s",
		            ike_ke_name(algs.ke) ? ike_ke_name(algs.ke) : "?",
		            ike_ke_name(ke->u.ke.group) ? ike_ke_name(ke->u.ke.group) : "?");
		return FALSE;
	}
	sa->cur.prf_id = algs.prf;
	sa->cur.alg = ike_proposal_algs_xform(&algs);
	st = crypto_xform_sizes(&sa->cur.alg, &sizes);
	if (st == CRYPTO_OK)
		st = crypto_ke_compute(sa->ke, ke->u.ke.data.data, ke->u.ke.data.len, &shared);
	if (st == CRYPTO_OK)
		st = crypto_keymat_ike(algs.prf, shared, sa->ni, sizeof(sa->ni), sa->nr, sa->nr_len,
		                       sa->cur.spi_i, sa->cur.spi_r, sizes.integ_key_len,
		                       sizes.enc_key_len, &sa->cur.keys);
	ferry_secret_free(shared);
	g_clear_pointer(&sa->ke, crypto_ke_free);
	if (st != CRYPTO_OK) {
		g_set_error(error, FERRY_ERROR, FERRY_ERROR_PROTOCOL,
		            "key exchange with the gateway failed: %s",
		            crypto_status_to_string(st));
		return FALSE;
	}
	return ike_sa_gen_make_xforms(&sa->cur, error);
}

gboolean
ike_xchg_init_process_response(
	IkeSa *sa, const guint8 *raw, gsize raw_len, gint64 now_us, GError **error)
{
	const IkeMessage *m = sa->msg;
	const IkeNotifyPayload *n, *hashes_n;
	const IkePayload *sa_p, *ke_p, *nonce_p;
	IkeEvent ev = {.type = IKE_EVENT_IKE_PROPOSAL};
	g_autofree char *text = NULL;

	n = ike_message_find_notify(m, IKE_NOTIFY_COOKIE);
	if (n && !ike_message_find(m, IKE_PAYLOAD_SA))
		return handle_cookie(sa, n, now_us, error);
	n = ike_message_find_notify(m, IKE_NOTIFY_INVALID_KE_PAYLOAD);
	if (n)
		return handle_invalid_ke(sa, n, now_us, error);
	n = ike_message_find_error_notify(m);
	if (n)
		return handle_error_notify(sa, n, error);

	sa_p = ike_message_find(m, IKE_PAYLOAD_SA);
	ke_p = ike_message_find(m, IKE_PAYLOAD_KE);
	nonce_p = ike_message_find(m, IKE_PAYLOAD_NONCE);
	if (!sa_p || !ke_p || !nonce_p || m->hdr.spi_r == 0) {
		g_set_error(error, FERRY_ERROR, FERRY_ERROR_PROTOCOL,
		            "the gateway's IKE_SA_INIT response lacks %s",
		            !sa_p      ? "SA"
		            : !ke_p    ? "KE"
		            : !nonce_p ? "a nonce"
		                       : "a responder SPI");
		return FALSE;
	}
	if (!ike_proposal_verify(sa->ike_proposals, sa->config.n_ike_proposals, &sa_p->u.sa,
	                         IKE_PROTO_IKE, &sa->ike_chosen, error))
		return FALSE;
	if (nonce_p->u.nonce.len < IKE_NONCE_MIN || nonce_p->u.nonce.len > IKE_NONCE_MAX) {
		g_set_error(error, FERRY_ERROR, FERRY_ERROR_PROTOCOL,
		            "the gateway's nonce has %zu bytes (RFC 7296 §3.9: 16-256)",
		            nonce_p->u.nonce.len);
		return FALSE;
	}
	memcpy(sa->nr, nonce_p->u.nonce.data, nonce_p->u.nonce.len);
	sa->nr_len = nonce_p->u.nonce.len;
	sa->cur.spi_r = m->hdr.spi_r;
	if (!derive_ike_keys(sa, ke_p, error))
		return FALSE;
	g_free(sa->init_response);
	sa->init_response = g_memdup2(raw, raw_len);
	sa->init_response_len = raw_len;
	sa->peer_fragmentation =
		ike_message_find_notify(m, IKE_NOTIFY_IKEV2_FRAGMENTATION_SUPPORTED) != NULL;
	sa->peer_multi_auth =
		ike_message_find_notify(m, IKE_NOTIFY_MULTIPLE_AUTH_SUPPORTED) != NULL;
	hashes_n = ike_message_find_notify(m, IKE_NOTIFY_SIGNATURE_HASH_ALGORITHMS);
	sa->peer_hashes = hashes_n ? crypto_sig_hash_algorithms_decode(hashes_n->data.data,
	                                                               hashes_n->data.len)
	                           : 0;

	text = ike_proposal_to_string(&sa->ike_chosen);
	ev.text = text;
	ike_sa_emit(sa, &ev, now_us);
	detect_nat(sa, now_us);
	if (!ike_xchg_auth_build_request(sa, now_us, error))
		return FALSE;
	ike_sa_set_state(sa, IKE_STATE_EVENT_INIT_DONE, now_us);
	return TRUE;
}
