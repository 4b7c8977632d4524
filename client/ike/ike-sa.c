/* ike-sa.c - the IkeSa object: configuration, entry points, message dispatch and output */
#include <string.h>
#include <sys/socket.h>

#include "crypto-rng.h"
#include "ferry-error.h"
#include "ike-sa-private.h"
#include "ike-sk.h"
#include "ike-ts.h"

static void
gen_init(IkeSa *sa, IkeSaGen *gen)
{
	memset(gen, 0, sizeof(*gen));
	ike_retransmit_init(&gen->rt, sa->config.retransmit_tries, sa->config.retransmit_base_ms);
}

void
ike_sa_gen_clear(IkeSaGen *gen)
{
	ike_retransmit_clear(&gen->rt);
	g_clear_pointer(&gen->last_response, g_free);
	g_clear_pointer(&gen->payloads, g_free);
	g_clear_pointer(&gen->frag_chain, ferry_secret_free);
	crypto_ike_keys_clear(&gen->keys);
	g_clear_pointer(&gen->x_out, crypto_xform_free);
	g_clear_pointer(&gen->x_in, crypto_xform_free);
	gen->inflight = IKE_XCHG_NONE;
}

IkeSaGen *
ike_sa_gen_new(IkeSa *sa)
{
	IkeSaGen *gen = g_new0(IkeSaGen, 1);

	gen_init(sa, gen);
	return gen;
}

gboolean
ike_sa_gen_make_xforms(IkeSaGen *gen, GError **error)
{
	const CryptoIkeKeys *k = &gen->keys;
	/* RFC 7296 §2.14: SK_ei/SK_ai protect what the original initiator sends. */
	const FerrySecret *e_out = gen->responder ? k->sk_er : k->sk_ei;
	const FerrySecret *a_out = gen->responder ? k->sk_ar : k->sk_ai;
	const FerrySecret *e_in = gen->responder ? k->sk_ei : k->sk_er;
	const FerrySecret *a_in = gen->responder ? k->sk_ai : k->sk_ar;
	CryptoStatus st;

	g_clear_pointer(&gen->x_out, crypto_xform_free);
	g_clear_pointer(&gen->x_in, crypto_xform_free);
	st = crypto_xform_new(&gen->alg, e_out->data, e_out->len, a_out ? a_out->data : NULL,
	                      a_out ? a_out->len : 0, &gen->x_out);
	if (st == CRYPTO_OK)
		st = crypto_xform_new(&gen->alg, e_in->data, e_in->len, a_in ? a_in->data : NULL,
		                      a_in ? a_in->len : 0, &gen->x_in);
	if (st != CRYPTO_OK) {
		g_set_error(error, FERRY_ERROR, FERRY_ERROR_PROTOCOL,
		            "cannot set up IKE SA encryption: %s", crypto_status_to_string(st));
		return FALSE;
	}
	return TRUE;
}

static gboolean
check_addr(const IkeAddr *a, const char *what, GError **error)
{
	if (a->family == AF_INET || a->family == AF_INET6)
		return TRUE;
	g_set_error(error, FERRY_ERROR, FERRY_ERROR_CONFIG, "%s address has no IPv4/IPv6 family",
	            what);
	return FALSE;
}

static gboolean
check_config(const IkeSaConfig *c, GError **error)
{
	uint8_t child_proto;

	if (c->eap_identity && (!c->trust || !(c->eap_password || c->credential))) {
		g_set_error(error, FERRY_ERROR, FERRY_ERROR_CONFIG,
		            "password: EAP needs a password (or a certificate for EAP-TLS) and "
		            "the gateway's CA");
		return FALSE;
	}
	if (c->multi_auth && (!c->credential || !c->eap_identity || !c->eap_password)) {
		g_set_error(error, FERRY_ERROR, FERRY_ERROR_CONFIG,
		            "auth cert+eap: needs a client certificate, an EAP identity and a "
		            "password");
		return FALSE;
	}
	if ((!(c->credential || c->eap_identity) || !c->trust) && (!c->psk || c->psk->len == 0)) {
		g_set_error(error, FERRY_ERROR, FERRY_ERROR_CONFIG,
		            "psk: the pre-shared key is empty");
		return FALSE;
	}
	if (c->local_id_type == 0 || c->local_id.len == 0) {
		g_set_error(error, FERRY_ERROR, FERRY_ERROR_CONFIG, "local-id: no identity set");
		return FALSE;
	}
	if (c->n_ts_remote > IKE_MAX_TS) {
		g_set_error(error, FERRY_ERROR, FERRY_ERROR_CONFIG,
		            "traffic selectors: at most %d remote selectors", IKE_MAX_TS);
		return FALSE;
	}
	for (guint i = 0; i < c->n_ts_remote; i++) {
		if (!ike_ts_is_valid(&c->ts_remote[i])) {
			g_set_error(error, FERRY_ERROR, FERRY_ERROR_CONFIG,
			            "traffic selectors: remote selector %u is malformed", i + 1);
			return FALSE;
		}
	}
	if (!check_addr(&c->local_addr, "local", error) ||
	    !check_addr(&c->remote_addr, "gateway", error))
		return FALSE;
	if (!ike_proposal_check_offers(c->ike_proposals, c->n_ike_proposals, IKE_PROTO_IKE, error))
		return FALSE;
	child_proto = c->n_child_proposals ? c->child_proposals[0].protocol : IKE_PROTO_ESP;
	if (child_proto != IKE_PROTO_ESP && child_proto != IKE_PROTO_AH) {
		g_set_error(error, FERRY_ERROR, FERRY_ERROR_CONFIG,
		            "esp-proposals: the Child SA protocol must be ESP or AH");
		return FALSE;
	}
	return ike_proposal_check_offers(c->child_proposals, c->n_child_proposals, child_proto,
	                                 error);
}

IkeSa *
ike_sa_new(const IkeSaConfig *config,
           const IkeSaCallbacks *callbacks,
           gpointer user_data,
           GError **error)
{
	IkeSa *sa;

	g_return_val_if_fail(config != NULL, NULL);
	g_return_val_if_fail(callbacks != NULL && callbacks->send && callbacks->event, NULL);
	g_return_val_if_fail(error == NULL || *error == NULL, NULL);

	if (!check_config(config, error))
		return NULL;
	sa = g_new0(IkeSa, 1);
	sa->config = *config;
	sa->cb = *callbacks;
	sa->user_data = user_data;

	/* Proposals are numbered 1.. in order (RFC 7296 §3.3.1). */
	sa->ike_proposals =
		g_memdup2(config->ike_proposals, sizeof(IkeProposal) * config->n_ike_proposals);
	sa->child_proposals =
		g_memdup2(config->child_proposals, sizeof(IkeProposal) * config->n_child_proposals);
	for (guint i = 0; i < config->n_ike_proposals; i++) {
		sa->ike_proposals[i].number = (uint8_t)(i + 1);
		sa->ike_proposals[i].spi_size = 0;
	}
	for (guint i = 0; i < config->n_child_proposals; i++) {
		sa->child_proposals[i].number = (uint8_t)(i + 1);
		sa->child_proposals[i].spi_size = 4;
	}
	sa->config.ike_proposals = sa->ike_proposals;
	sa->config.child_proposals = sa->child_proposals;
	sa->local_id = g_memdup2(config->local_id.data, config->local_id.len);
	sa->config.local_id = FERRY_SPAN(sa->local_id, config->local_id.len);
	if (config->remote_id_type != 0) {
		sa->remote_id = g_memdup2(config->remote_id.data, config->remote_id.len);
		sa->config.remote_id = FERRY_SPAN(sa->remote_id, config->remote_id.len);
	} else {
		sa->config.remote_id = FERRY_SPAN_EMPTY;
	}
	if (config->n_ts_remote > 0) {
		sa->ts_remote = g_memdup2(config->ts_remote, sizeof(IkeTs) * config->n_ts_remote);
		sa->config.ts_remote = sa->ts_remote;
	} else {
		sa->config.ts_remote = NULL;
	}
	sa->remote_id_name = g_strdup(config->remote_id_name);
	sa->config.remote_id_name = sa->remote_id_name;
	sa->psk = config->psk ? ferry_secret_dup(config->psk) : NULL;
	sa->eap_identity = g_strdup(config->eap_identity);
	sa->config.eap_identity = sa->eap_identity;
	sa->eap_password = config->eap_password ? ferry_secret_dup(config->eap_password) : NULL;
	sa->config.eap_password = NULL; /* only sa->eap_password holds it */
	sa->config.psk = NULL;          /* only sa->psk holds it */
	if (!sa->config.ike_rekey_s)
		sa->config.ike_rekey_s = IKE_REKEY_IKE_DEFAULT_S;
	if (!sa->config.child_rekey_s)
		sa->config.child_rekey_s = IKE_REKEY_CHILD_DEFAULT_S;
	if (!sa->config.dpd_s)
		sa->config.dpd_s = IKE_DPD_DEFAULT_S;

	sa->msg = g_new0(IkeMessage, 1);
	sa->out = g_new0(IkePayload, IKE_MAX_OUT);
	sa->obuf = g_malloc(IKE_MAX_MESSAGE_LEN);
	gen_init(sa, &sa->cur);
	sa->state = IKE_STATE_IDLE;
	sa->dpd_deadline = G_MAXINT64;
	sa->child_rekey_deadline = G_MAXINT64;
	sa->ike_rekey_deadline = G_MAXINT64;
	return sa;
}

void
ike_child_sa_clear(IkeChildSa *child)
{
	g_clear_pointer(&child->in.enc_key, ferry_secret_free);
	g_clear_pointer(&child->in.integ_key, ferry_secret_free);
	g_clear_pointer(&child->out.enc_key, ferry_secret_free);
	g_clear_pointer(&child->out.integ_key, ferry_secret_free);
}

void
ike_sa_gen_drop(IkeSa *sa, IkeSaGen *gen)
{
	if (!gen || gen == &sa->cur)
		return;
	if (gen == sa->old)
		sa->old = NULL;
	else if (gen == sa->peer_new)
		sa->peer_new = NULL;
	else if (gen == sa->redundant)
		sa->redundant = NULL;
	ike_sa_gen_clear(gen);
	g_free(gen);
}

static void
free_old_gen(IkeSa *sa)
{
	ike_sa_gen_drop(sa, sa->old);
	ike_sa_gen_drop(sa, sa->peer_new);
	ike_sa_gen_drop(sa, sa->redundant);
}

void
ike_sa_free(IkeSa *sa)
{
	if (!sa)
		return;
	ike_sa_gen_clear(&sa->cur);
	free_old_gen(sa);
	ike_rekey_ctx_clear(&sa->rekey);
	ike_child_sa_clear(&sa->child);
	g_clear_pointer(&sa->ke, crypto_ke_free);
	g_clear_pointer(&sa->psk, ferry_secret_free);
	g_clear_error(&sa->close_error);
	if (sa->frag_storage) {
		ike_frag_buffer_reset(&sa->frag);
		g_free(sa->frag_storage);
	}
	g_free(sa->init_request);
	g_free(sa->init_response);
	g_free(sa->ike_proposals);
	g_free(sa->child_proposals);
	g_free(sa->local_id);
	g_free(sa->remote_id);
	g_free(sa->remote_id_name);
	g_free(sa->eap_identity);
	g_free(sa->idr_body);
	g_free(sa->eap_idi_body);
	g_clear_error(&sa->eap_error);
	g_clear_pointer(&sa->eap_password, ferry_secret_free);
	g_clear_pointer(&sa->eap, crypto_eap_peer_free);
	g_free(sa->ts_remote);
	/* Scratch may hold decrypted payloads. */
	ferry_wipe(sa->msg, sizeof(*sa->msg));
	ferry_wipe(sa->out, sizeof(IkePayload) * IKE_MAX_OUT);
	ferry_wipe(sa->obuf, IKE_MAX_MESSAGE_LEN);
	g_free(sa->msg);
	g_free(sa->out);
	g_free(sa->obuf);
	ferry_wipe(sa->ni, sizeof(sa->ni));
	ferry_wipe(sa->nr, sizeof(sa->nr));
	g_free(sa);
}

IkeState
ike_sa_get_state(const IkeSa *sa)
{
	g_return_val_if_fail(sa != NULL, IKE_STATE_CLOSED);
	return sa->state;
}

gboolean
ike_sa_get_use_natt(const IkeSa *sa)
{
	g_return_val_if_fail(sa != NULL, FALSE);
	return sa->use_natt;
}

const IkeSaCounters *
ike_sa_get_counters(const IkeSa *sa)
{
	g_return_val_if_fail(sa != NULL, NULL);
	return &sa->counters;
}

gint64
ike_sa_get_deadline(const IkeSa *sa)
{
	gint64 d;

	g_return_val_if_fail(sa != NULL, G_MAXINT64);
	if (sa->closed)
		return G_MAXINT64;
	d = ike_retransmit_get_deadline(&sa->cur.rt);
	if (sa->old)
		d = MIN(d, ike_retransmit_get_deadline(&sa->old->rt));
	if (sa->redundant)
		d = MIN(d, ike_retransmit_get_deadline(&sa->redundant->rt));
	if (sa->state == IKE_STATE_ESTABLISHED && sa->cur.inflight == IKE_XCHG_NONE) {
		d = MIN(d, sa->dpd_deadline);
		d = MIN(d, sa->child_rekey_deadline);
		d = MIN(d, sa->ike_rekey_deadline);
	}
	return d;
}

void
ike_sa_emit(IkeSa *sa, IkeEvent *event, gint64 now_us)
{
	event->time_us = now_us;
	event->state = sa->state;
	sa->cb.event(sa->user_data, event);
}

void
ike_sa_send_raw(IkeSa *sa, const guint8 *data, gsize len)
{
	sa->cb.send(sa->user_data, data, len);
}

void
ike_sa_close(IkeSa *sa, GError *error, gint64 now_us)
{
	IkeEvent ev = {.type = IKE_EVENT_CLOSED, .peer_closed = sa->peer_closed};

	if (sa->closed) {
		g_clear_error(&error);
		return;
	}
	if (error)
		g_debug("IKE SA %016" G_GINT64_MODIFIER "x closing: %s", sa->cur.spi_i,
		        error->message);
	sa->closed = TRUE;
	ike_retransmit_stop(&sa->cur.rt);
	sa->cur.inflight = IKE_XCHG_NONE;
	free_old_gen(sa);
	ike_rekey_ctx_clear(&sa->rekey);
	g_clear_pointer(&sa->ke, crypto_ke_free);
	ike_sa_set_state(sa, IKE_STATE_EVENT_CLOSE, now_us);
	if (sa->has_child) {
		IkeEvent del = {.type = IKE_EVENT_CHILD_DELETE, .child = &sa->child};

		sa->has_child = FALSE;
		ike_sa_emit(sa, &del, now_us);
	}
	ev.error = error;
	ike_sa_emit(sa, &ev, now_us);
	g_clear_error(&error);
}

void
ike_sa_arm_timers(IkeSa *sa, gboolean ike, gboolean child, gint64 now_us)
{
	uint8_t b[8];

	crypto_rng_fill(CRYPTO_RNG_NONCE, b, sizeof(b));
	sa->dpd_deadline = ike_timer_deadline(now_us, sa->config.dpd_s);
	if (ike)
		sa->ike_rekey_deadline =
			ike_timer_rekey_deadline(now_us, sa->config.ike_rekey_s, ferry_get_be32(b));
	if (child)
		sa->child_rekey_deadline = ike_timer_rekey_deadline(
			now_us, sa->config.child_rekey_s, ferry_get_be32(b + 4));
}

static char *
format_addr(const IkeAddr *a)
{
	g_autoptr(GInetAddress) ia = g_inet_address_new_from_bytes(
		a->addr, a->family == AF_INET ? G_SOCKET_FAMILY_IPV4 : G_SOCKET_FAMILY_IPV6);
	g_autofree char *s = g_inet_address_to_string(ia);

	if (a->family == AF_INET6)
		return g_strdup_printf("[%s]:%u", s, a->port);
	return g_strdup_printf("%s:%u", s, a->port);
}

static void
fail(IkeSa *sa, GError *error, gint64 now_us)
{
	ike_sa_close(sa, error, now_us);
}

/* ---- entry points ---- */

void
ike_sa_connect(IkeSa *sa, gint64 now_us)
{
	GError *error = NULL;

	g_return_if_fail(sa != NULL);
	if (sa->state != IKE_STATE_IDLE)
		return;
	if (!ike_xchg_init_build_request(sa, now_us, &error))
		fail(sa, error, now_us);
}

static void
abandon_inflight(IkeSa *sa)
{
	if (sa->cur.inflight == IKE_XCHG_NONE)
		return;
	/* The abandoned request used its message ID (RFC 7296 §2.2). */
	ike_retransmit_stop(&sa->cur.rt);
	sa->cur.inflight = IKE_XCHG_NONE;
	sa->cur.next_id++;
	ike_rekey_ctx_clear(&sa->rekey);
}

static void
resend_inflight(IkeSa *sa, IkeSaGen *gen, gint64 now_us)
{
	IkeHeader hdr = {.exchange = gen->rt.exchange, .message_id = gen->rt.message_id};

	sa->counters.retransmits++;
	ike_sa_send_inflight(sa, gen);
	ike_sa_emit_sent(sa, &hdr, gen->rt.len, TRUE, gen->payloads, now_us);
}

/* DELETE for the IKE SA (RFC 7296 §1.4.1); its answer, or giving up on it, closes. */
static void
send_delete(IkeSa *sa, gint64 now_us)
{
	GError *error = NULL;

	sa->want_delete = FALSE;
	if (!ike_xchg_info_build_request(sa, &sa->cur, IKE_XCHG_DELETE_IKE, now_us, &error)) {
		fail(sa, error, now_us);
		return;
	}
	ike_sa_set_state(sa, IKE_STATE_EVENT_DELETE, now_us);
}

void
ike_sa_disconnect(IkeSa *sa, gint64 now_us)
{
	g_return_if_fail(sa != NULL);
	switch (sa->state) {
	case IKE_STATE_IDLE:
	case IKE_STATE_INIT_SENT:
		ike_sa_close(sa, NULL, now_us);
		return;
	case IKE_STATE_AUTH_SENT:
		/* The gateway may already hold the SA if our IKE_AUTH arrived. */
		abandon_inflight(sa);
		ike_xchg_info_send_delete_once(sa, now_us);
		ike_sa_close(sa, NULL, now_us);
		return;
	case IKE_STATE_ESTABLISHED:
	case IKE_STATE_REKEYING:
		if (sa->cur.inflight != IKE_XCHG_NONE) {
			/* RFC 7296 §2.3: one request at a time, and a request we dropped would
			 * leave the gateway waiting for its message ID forever.  The DELETE
			 * follows the answer; sending the request again now speeds that up. */
			sa->want_delete = TRUE;
			resend_inflight(sa, &sa->cur, now_us);
			return;
		}
		send_delete(sa, now_us);
		return;
	case IKE_STATE_DELETING:
	case IKE_STATE_CLOSED:
		return;
	}
}

static void
pump(IkeSa *sa, gint64 now_us)
{
	GError *error = NULL;
	gboolean ok = TRUE;

	if (sa->closed || sa->state != IKE_STATE_ESTABLISHED || sa->cur.inflight != IKE_XCHG_NONE)
		return;
	if (sa->want_delete) {
		send_delete(sa, now_us);
		return;
	}
	if (sa->want_child_delete) {
		sa->want_child_delete = FALSE;
		ok = ike_xchg_info_build_request(sa, &sa->cur, IKE_XCHG_DELETE_CHILD, now_us,
		                                 &error);
	} else if (sa->want_redundant_delete) {
		sa->want_redundant_delete = FALSE;
		ok = ike_xchg_info_build_request(sa, &sa->cur, IKE_XCHG_DELETE_REDUNDANT, now_us,
		                                 &error);
	} else if (sa->want_rekey_ike) {
		sa->want_rekey_ike = FALSE;
		ok = ike_xchg_ike_rekey_build_request(sa, now_us, &error);
	} else if (sa->want_rekey_child && sa->old_spi_in) {
		/* The SA the gateway's rekey replaced still waits for its DELETE: send ours
		 * first, one old SA at a time (RFC 7296 §1.3.3); the rekey follows. */
		ok = ike_xchg_info_build_request(sa, &sa->cur, IKE_XCHG_DELETE_CHILD, now_us,
		                                 &error);
	} else if (sa->want_rekey_child) {
		sa->want_rekey_child = FALSE;
		ok = ike_xchg_child_build_request(sa, now_us, &error);
	} else if (sa->want_dpd) {
		sa->want_dpd = FALSE;
		ok = ike_xchg_info_build_request(sa, &sa->cur, IKE_XCHG_DPD, now_us, &error);
	}
	if (!ok)
		fail(sa, error, now_us);
}

void
ike_sa_rekey_child(IkeSa *sa, gint64 now_us)
{
	g_return_if_fail(sa != NULL);
	if (sa->closed || !sa->has_child)
		return;
	sa->want_rekey_child = TRUE;
	pump(sa, now_us);
}

void
ike_sa_rekey_ike(IkeSa *sa, gint64 now_us)
{
	g_return_if_fail(sa != NULL);
	if (sa->closed || sa->state < IKE_STATE_ESTABLISHED)
		return;
	sa->want_rekey_ike = TRUE;
	pump(sa, now_us);
}

void
ike_sa_check_liveness(IkeSa *sa, gint64 now_us)
{
	g_return_if_fail(sa != NULL);
	if (sa->closed || sa->state != IKE_STATE_ESTABLISHED)
		return;
	sa->want_dpd = TRUE;
	pump(sa, now_us);
}

/* ---- receiving ---- */

static gboolean
gen_matches(const IkeSaGen *gen, const IkeHeader *hdr)
{
	/* Before IKE_SA_INIT is answered we know only our own SPI. */
	return gen && hdr->spi_i == gen->spi_i && (gen->spi_r == 0 || hdr->spi_r == gen->spi_r);
}

static IkeSaGen *
find_gen(IkeSa *sa, const IkeHeader *hdr)
{
	if (hdr->spi_i == sa->cur.spi_i && (!sa->cur.responder || hdr->spi_r == sa->cur.spi_r))
		return &sa->cur;
	if (gen_matches(sa->old, hdr))
		return sa->old;
	if (gen_matches(sa->peer_new, hdr))
		return sa->peer_new;
	if (gen_matches(sa->redundant, hdr))
		return sa->redundant;
	return NULL;
}

/* RFC 7383 §2.6: collect SKF fragments; each is verified before it is kept. */
static IkeWireStatus
add_fragment(IkeSa *sa, IkeSaGen *gen, guint8 *buf, gsize len, gboolean *complete)
{
	bool done = false;
	IkeWireStatus st;

	if (!sa->frag_storage) {
		sa->frag_storage = g_malloc(IKE_MAX_MESSAGE_LEN);
		ike_frag_buffer_init(&sa->frag, sa->frag_storage, IKE_MAX_MESSAGE_LEN);
	}
	st = ike_frag_buffer_add(&sa->frag, gen->x_in, buf, len, sa->msg, &done);
	*complete = done;
	if (st != IKE_WIRE_OK || !done)
		return st;
	return ike_frag_buffer_decode(&sa->frag, sa->msg);
}

typedef enum {
	DECODE_OK,
	DECODE_PENDING, /* a fragment stored, more to come */
	DECODE_DROPPED,
} DecodeResult;

static DecodeResult
decode_message(IkeSa *sa, IkeSaGen *gen, guint8 *buf, gsize len, gboolean response)
{
	gboolean complete = TRUE;
	IkeWireStatus st;

	memset(sa->msg, 0, sizeof(*sa->msg));
	st = ike_message_decode(buf, len, sa->msg);
	if (st == IKE_WIRE_OK && sa->msg->hdr.exchange != IKE_EXCHANGE_IKE_SA_INIT) {
		if (!gen->x_in)
			st = IKE_WIRE_INVALID_SYNTAX;
		else if (ike_message_find(sa->msg, IKE_PAYLOAD_SKF))
			st = add_fragment(sa, gen, buf, len, &complete);
		else if (ike_message_find(sa->msg, IKE_PAYLOAD_SK))
			st = ike_sk_decode(gen->x_in, buf, len, sa->msg);
		else /* RFC 7296 §3.14: everything after IKE_SA_INIT is protected */
			st = IKE_WIRE_INVALID_SYNTAX;
	}
	if (st == IKE_WIRE_OK && !complete)
		return DECODE_PENDING;
	if (st == IKE_WIRE_OK)
		st = ike_message_check_rules(sa->msg, response);
	if (st != IKE_WIRE_OK) {
		sa->counters.dropped_malformed++;
		g_debug("IKE SA %016" G_GINT64_MODIFIER "x: dropping %s %s #%u: %s", gen->spi_i,
		        ike_exchange_name(sa->msg->hdr.exchange)
		                ? ike_exchange_name(sa->msg->hdr.exchange)
		                : "?",
		        response ? "response" : "request", sa->msg->hdr.message_id,
		        ike_wire_status_to_string(st));
		return DECODE_DROPPED;
	}
	return DECODE_OK;
}

static void
emit_received(IkeSa *sa, const IkeHeader *hdr, gsize len, gint64 now_us)
{
	g_autofree char *payloads =
		ike_sa_render_payloads(sa->msg->payloads, sa->msg->n_payloads, TRUE);
	IkeEvent ev = {
		.type = IKE_EVENT_MESSAGE_RECEIVED,
		.exchange = hdr->exchange,
		.message_id = hdr->message_id,
		.n_bytes = len,
		.payloads = payloads,
	};

	g_debug("IKE SA %016" G_GINT64_MODIFIER "x: received %s %s #%u (%zu bytes): %s",
	        sa->cur.spi_i, ike_exchange_name(hdr->exchange),
	        hdr->flags & IKE_FLAG_RESPONSE ? "response" : "request", hdr->message_id, len,
	        payloads);
	sa->last_rx_us = now_us;
	if (sa->state == IKE_STATE_ESTABLISHED || sa->state == IKE_STATE_REKEYING)
		sa->dpd_deadline = ike_timer_deadline(now_us, sa->config.dpd_s);
	ike_sa_emit(sa, &ev, now_us);
}

static gboolean
dispatch_response(IkeSa *sa,
                  IkeSaGen *gen,
                  IkeXchg xchg,
                  const guint8 *buf,
                  gsize len,
                  gint64 now_us,
                  GError **error)
{
	switch (xchg) {
	case IKE_XCHG_INIT:
		return ike_xchg_init_process_response(sa, buf, len, now_us, error);
	case IKE_XCHG_AUTH:
		return ike_xchg_auth_process_response(sa, now_us, error);
	case IKE_XCHG_REKEY_CHILD:
		return ike_xchg_child_process_response(sa, now_us, error);
	case IKE_XCHG_REKEY_IKE:
		return ike_xchg_ike_rekey_process_response(sa, now_us, error);
	case IKE_XCHG_DELETE_CHILD:
	case IKE_XCHG_DELETE_REDUNDANT:
	case IKE_XCHG_DELETE_IKE:
	case IKE_XCHG_DPD:
		return ike_xchg_info_process_response(sa, gen, xchg, now_us, error);
	case IKE_XCHG_NONE:
		break;
	}
	return TRUE;
}

static void
receive_response(
	IkeSa *sa, IkeSaGen *gen, const IkeHeader *hdr, guint8 *buf, gsize len, gint64 now_us)
{
	GError *error = NULL;
	IkeXchg xchg;

	if (gen->inflight == IKE_XCHG_NONE || hdr->message_id != gen->rt.message_id ||
	    hdr->exchange != gen->rt.exchange) {
		/* RFC 7296 §2.1: a repeated response to an answered request is ignored. */
		if (hdr->message_id < gen->next_id)
			sa->counters.ignored_retransmits++;
		else
			sa->counters.dropped_message_id++;
		g_debug("IKE SA %016" G_GINT64_MODIFIER "x: ignoring response #%u (%s)", gen->spi_i,
		        hdr->message_id,
		        hdr->message_id < gen->next_id ? "already answered" : "not in flight");
		return;
	}
	if (gen->inflight != IKE_XCHG_INIT &&
	    (hdr->spi_r != gen->spi_r || hdr->spi_i != gen->spi_i)) {
		sa->counters.dropped_spi++;
		return;
	}
	if (decode_message(sa, gen, buf, len, TRUE) != DECODE_OK)
		return;
	emit_received(sa, hdr, len, now_us);
	xchg = gen->inflight;
	gen->inflight = IKE_XCHG_NONE;
	ike_retransmit_stop(&gen->rt);
	g_clear_pointer(&gen->frag_chain, ferry_secret_free);
	gen->next_id++;
	if (!dispatch_response(sa, gen, xchg, buf, len, now_us, &error))
		fail(sa, error, now_us);
}

static void
receive_request(
	IkeSa *sa, IkeSaGen *gen, const IkeHeader *hdr, guint8 *buf, gsize len, gint64 now_us)
{
	GError *error = NULL;
	gboolean ok;

	if (hdr->spi_r != gen->spi_r || hdr->spi_i != gen->spi_i || gen->spi_r == 0 || !gen->x_in) {
		sa->counters.dropped_spi++;
		return;
	}
	if (gen->last_response && hdr->message_id == gen->last_response_id &&
	    hdr->message_id + 1 == gen->peer_next_id) {
		/* RFC 7296 §2.1: the gateway missed our response; send the same bytes. */
		ike_sa_send_raw(sa, gen->last_response, gen->last_response_len);
		sa->counters.retransmits++;
		return;
	}
	if (hdr->message_id != gen->peer_next_id) {
		sa->counters.dropped_message_id++;
		return;
	}
	if (decode_message(sa, gen, buf, len, FALSE) != DECODE_OK)
		return;
	emit_received(sa, hdr, len, now_us);
	gen->peer_next_id++;
	switch (hdr->exchange) {
	case IKE_EXCHANGE_INFORMATIONAL:
		ok = ike_xchg_info_process_request(sa, gen, hdr->message_id, now_us, &error);
		break;
	case IKE_EXCHANGE_CREATE_CHILD_SA:
		ok = ike_xchg_child_process_request(sa, gen, hdr->message_id, now_us, &error);
		break;
	default:
		sa->counters.dropped_malformed++;
		ok = TRUE;
		break;
	}
	if (!ok)
		fail(sa, error, now_us);
}

void
ike_sa_receive(IkeSa *sa, const uint8_t *data, gsize len, gint64 now_us)
{
	IkeHeader hdr;
	IkeSaGen *gen;
	guint8 *buf;

	g_return_if_fail(sa != NULL);
	if (sa->closed || sa->state == IKE_STATE_IDLE)
		return;
	if (len > IKE_MAX_MESSAGE_LEN || ike_header_decode(data, len, &hdr) != IKE_WIRE_OK) {
		sa->counters.dropped_malformed++;
		return;
	}
	gen = find_gen(sa, &hdr);
	if (!gen) {
		sa->counters.dropped_spi++;
		g_debug("IKE SA %016" G_GINT64_MODIFIER
		        "x: dropping a message for SPI %016" G_GINT64_MODIFIER "x",
		        sa->cur.spi_i, hdr.spi_i);
		return;
	}
	/* RFC 7296 §3.1: I marks the original initiator, we unless the gateway rekeyed. */
	if (!!(hdr.flags & IKE_FLAG_INITIATOR) != gen->responder) {
		sa->counters.dropped_malformed++;
		return;
	}
	buf = g_memdup2(data, len);
	if (hdr.flags & IKE_FLAG_RESPONSE)
		receive_response(sa, gen, &hdr, buf, len, now_us);
	else
		receive_request(sa, gen, &hdr, buf, len, now_us);
	/* A reassembled message has been handled; its plaintext goes. */
	if (sa->frag_storage && sa->frag.active && sa->frag.n_received == sa->frag.total)
		ike_frag_buffer_reset(&sa->frag);
	/* In place decryption left plaintext (the peer's AUTH among it) in buf. */
	ferry_wipe(buf, len);
	g_free(buf);
	if (sa->msg)
		ferry_wipe(sa->msg, sizeof(*sa->msg));
	pump(sa, now_us);
}

/* ---- time ---- */

static gboolean
tick_gen(IkeSa *sa, IkeSaGen *gen, gint64 now_us)
{
	IkeHeader hdr = {.exchange = gen->rt.exchange, .message_id = gen->rt.message_id};
	g_autofree char *where = NULL;
	gint64 waited;

	switch (ike_retransmit_tick(&gen->rt, now_us)) {
	case IKE_RETRANSMIT_NOTHING:
		return TRUE;
	case IKE_RETRANSMIT_RESEND:
		sa->counters.retransmits++;
		if (gen->n_frags && gen->rt.sends > 1 + IKE_REFRAGMENT_AFTER)
			ike_sa_refragment(sa, gen);
		ike_sa_send_inflight(sa, gen);
		ike_sa_emit_sent(sa, &hdr, gen->rt.len, TRUE, gen->payloads, now_us);
		return TRUE;
	case IKE_RETRANSMIT_GIVE_UP:
		break;
	}
	if (gen != &sa->cur) {
		g_debug("IKE SA %016" G_GINT64_MODIFIER "x: no answer to the DELETE of the "
		        "rekeyed SA; dropping it",
		        gen->spi_i);
		ike_sa_gen_drop(sa, gen);
		return TRUE;
	}
	if (gen->inflight == IKE_XCHG_DELETE_IKE || sa->want_delete) {
		gen->inflight = IKE_XCHG_NONE;
		ike_sa_close(sa, g_steal_pointer(&sa->close_error), now_us);
		return FALSE;
	}
	gen->inflight = IKE_XCHG_NONE;
	where = format_addr(&sa->config.remote_addr);
	waited = ike_retransmit_get_waited_us(&gen->rt, now_us);
	fail(sa,
	     g_error_new(FERRY_ERROR, FERRY_ERROR_TIMEOUT,
	                 "the gateway %s did not answer our %s request: gave up after %u sends "
	                 "in %" G_GINT64_FORMAT ".%01" G_GINT64_FORMAT " s",
	                 where, ike_exchange_name(gen->rt.exchange), gen->rt.sends,
	                 waited / G_USEC_PER_SEC, (waited % G_USEC_PER_SEC) / 100000),
	     now_us);
	return FALSE;
}

void
ike_sa_tick(IkeSa *sa, gint64 now_us)
{
	g_return_if_fail(sa != NULL);
	if (sa->closed || sa->state == IKE_STATE_IDLE)
		return;
	if (!tick_gen(sa, &sa->cur, now_us))
		return;
	if (sa->old)
		tick_gen(sa, sa->old, now_us);
	if (sa->redundant)
		tick_gen(sa, sa->redundant, now_us);
	if (sa->state == IKE_STATE_ESTABLISHED && sa->cur.inflight == IKE_XCHG_NONE) {
		if (now_us >= sa->ike_rekey_deadline) {
			sa->want_rekey_ike = TRUE;
			sa->ike_rekey_deadline = G_MAXINT64;
		}
		if (now_us >= sa->child_rekey_deadline && sa->has_child) {
			sa->want_rekey_child = TRUE;
			sa->child_rekey_deadline = G_MAXINT64;
		}
		if (now_us >= sa->dpd_deadline) {
			sa->want_dpd = TRUE;
			sa->dpd_deadline = ike_timer_deadline(now_us, sa->config.dpd_s);
		}
	}
	pump(sa, now_us);
}
