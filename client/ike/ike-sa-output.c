/* ike-sa-output.c - building and sending our messages, and the timeline's payload text */
#include <string.h>
#include <sys/socket.h>

#include "crypto-rng.h"
#include "ferry-error.h"
#include "ike-sa-private.h"
#include "ike-sk.h"

void
ike_sa_out_reset(IkeSa *sa)
{
	ferry_wipe(sa->out, sizeof(IkePayload) * sa->n_out);
	sa->n_out = 0;
}

IkePayload *
ike_sa_out_add(IkeSa *sa, uint8_t type)
{
	IkePayload *p;

	if (sa->n_out >= IKE_MAX_OUT)
		return NULL;
	p = &sa->out[sa->n_out++];
	memset(p, 0, sizeof(*p));
	p->type = type;
	return p;
}

IkePayload *
ike_sa_out_add_notify(
	IkeSa *sa, uint16_t notify_type, uint8_t protocol, FerrySpan spi, FerrySpan data)
{
	IkePayload *p = ike_sa_out_add(sa, IKE_PAYLOAD_NOTIFY);

	if (!p)
		return NULL;
	p->u.notify.type = notify_type;
	p->u.notify.protocol = protocol;
	p->u.notify.spi_size = (uint8_t)spi.len;
	p->u.notify.spi = spi;
	p->u.notify.data = data;
	return p;
}

static const char *
payload_short_name(uint8_t type)
{
	switch (type) {
	case IKE_PAYLOAD_IDI:
		return "IDi";
	case IKE_PAYLOAD_IDR:
		return "IDr";
	case IKE_PAYLOAD_NONCE:
		return "No";
	case IKE_PAYLOAD_DELETE:
		return "D";
	case IKE_PAYLOAD_VENDOR:
		return "V";
	case IKE_PAYLOAD_TSI:
		return "TSi";
	case IKE_PAYLOAD_TSR:
		return "TSr";
	default:
		return ike_payload_name(type);
	}
}

const char *
ike_sa_notify_name(uint16_t type)
{
	const char *name = ike_notify_name(type);

	return name ? name : "unknown notify";
}

char *
ike_sa_render_payloads(const IkePayload *p, gsize n, gboolean inner_only)
{
	GString *s = g_string_new(NULL);

	for (gsize i = 0; i < n; i++) {
		const char *name;

		if (p[i].type == IKE_PAYLOAD_SK || p[i].type == IKE_PAYLOAD_SKF) {
			if (inner_only)
				continue;
		}
		if (s->len)
			g_string_append_c(s, ' ');
		if (p[i].type == IKE_PAYLOAD_NOTIFY) {
			name = ike_notify_name(p[i].u.notify.type);
			if (name)
				g_string_append_printf(s, "N(%s)", name);
			else
				g_string_append_printf(s, "N(%u)", p[i].u.notify.type);
			continue;
		}
		if (p[i].type == IKE_PAYLOAD_CP) {
			name = ike_cfg_name(p[i].u.cp.cfg_type);
			g_string_append_printf(s, "CP(%s)", name ? name : "?");
			continue;
		}
		name = payload_short_name(p[i].type);
		if (name)
			g_string_append(s, name);
		else
			g_string_append_printf(s, "P%u", p[i].type);
	}
	return g_string_free(s, FALSE);
}

uint32_t
ike_sa_new_child_spi(void)
{
	uint32_t spi = 0;

	while (spi < 256) {
		uint8_t b[4];

		crypto_rng_fill(CRYPTO_RNG_NONCE, b, sizeof(b));
		spi = ferry_get_be32(b);
	}
	return spi;
}

static gboolean
encode_message(IkeSa *sa, IkeSaGen *gen, const IkeHeader *hdr, gsize *len, GError **error)
{
	IkeWireStatus st;
	size_t n = 0;

	if (hdr->exchange == IKE_EXCHANGE_IKE_SA_INIT)
		st = ike_message_encode(hdr, sa->out, sa->n_out, sa->obuf, IKE_MAX_MESSAGE_LEN, &n);
	else
		st = ike_sk_encode(hdr, sa->out, sa->n_out, gen->x_out, sa->obuf,
		                   IKE_MAX_MESSAGE_LEN, &n);
	if (st != IKE_WIRE_OK) {
		g_set_error(error, FERRY_ERROR, FERRY_ERROR_PROTOCOL,
		            "cannot encode our %s message: %s", ike_exchange_name(hdr->exchange),
		            ike_wire_status_to_string(st));
		return FALSE;
	}
	*len = n;
	return TRUE;
}

void
ike_sa_emit_sent(IkeSa *sa,
                 const IkeHeader *hdr,
                 gsize len,
                 gboolean retransmit,
                 const char *payloads,
                 gint64 now_us)
{
	IkeEvent ev = {
		.type = IKE_EVENT_MESSAGE_SENT,
		.exchange = hdr->exchange,
		.message_id = hdr->message_id,
		.n_bytes = len,
		.retransmit = retransmit,
		.payloads = payloads,
	};

	g_debug("IKE SA %016" G_GINT64_MODIFIER "x: sending %s %s #%u (%zu bytes)%s: %s",
	        sa->cur.spi_i, ike_exchange_name(hdr->exchange),
	        hdr->flags & IKE_FLAG_RESPONSE ? "response" : "request", hdr->message_id, len,
	        retransmit ? " again" : "", payloads);
	ike_sa_emit(sa, &ev, now_us);
}

/* Encrypt `chain` (inner payloads, the first of type `first`) into SKF fragments of at most
 * `size` bytes, back to back in sa->obuf (lengths in gen->frag_lens). */
static gboolean
split_chain(IkeSa *sa,
            IkeSaGen *gen,
            const IkeHeader *hdr,
            const FerrySecret *chain,
            uint8_t first,
            gsize size,
            gsize *len)
{
	guint8 *bufs[IKE_MAX_OUT_FRAGS];
	size_t lens[IKE_MAX_OUT_FRAGS], n = 0, total = 0;

	for (guint i = 0; i < IKE_MAX_OUT_FRAGS; i++)
		bufs[i] = sa->obuf + i * size;
	if (ike_sk_encode_fragments_chain(hdr, first, chain->data, chain->len, gen->x_out, size,
	                                  bufs, size, lens, IKE_MAX_OUT_FRAGS, &n) != IKE_WIRE_OK ||
	    n < 2)
		return FALSE;
	/* close the gaps: fragment i was written at i * size */
	for (size_t i = 0; i < n; i++) {
		memmove(sa->obuf + total, bufs[i], lens[i]);
		gen->frag_lens[i] = lens[i];
		total += lens[i];
	}
	gen->n_frags = (guint)n;
	*len = total;
	return TRUE;
}

/* RFC 7383 §2.5: a protected message too large for the path, in SKF fragments, back to back
 * in sa->obuf (lengths in gen->frag_lens).  FALSE when it need not or cannot be split.  The
 * inner payloads stay in gen->frag_chain for a re-fragmentation (§2.5.2). */
static gboolean
encode_fragments(IkeSa *sa, IkeSaGen *gen, const IkeHeader *hdr, gsize *len)
{
	FerrySecret *chain = ferry_secret_new(IKE_MAX_MESSAGE_LEN);
	size_t chain_len = 0;
	uint8_t first = 0;

	g_clear_pointer(&gen->frag_chain, ferry_secret_free);
	if (ike_message_encode_chain(sa->out, sa->n_out, chain->data, chain->len, &chain_len,
	                             &first) != IKE_WIRE_OK) {
		ferry_secret_free(chain);
		return FALSE;
	}
	gen->frag_chain = ferry_secret_new_from(chain->data, chain_len);
	gen->frag_first = first;
	ferry_secret_free(chain);
	if (!split_chain(sa, gen, hdr, gen->frag_chain, first, IKE_FRAGMENT_SIZE, len)) {
		g_clear_pointer(&gen->frag_chain, ferry_secret_free);
		return FALSE;
	}
	return TRUE;
}

gboolean
ike_sa_refragment(IkeSa *sa, IkeSaGen *gen)
{
	IkeHeader hdr = {
		.spi_i = gen->spi_i,
		.spi_r = gen->spi_r,
		.version = IKE_VERSION,
		.exchange = gen->rt.exchange,
		.flags = gen->responder ? 0 : IKE_FLAG_INITIATOR,
		.message_id = gen->rt.message_id,
	};
	gsize size, len = 0;

	if (gen->n_frags == 0 || gen->refragmented || !gen->frag_chain)
		return FALSE;
	gen->refragmented = TRUE;
	if (sa->config.remote_addr.family != AF_INET)
		return FALSE; /* IKE_FRAGMENT_SIZE is the IPv6 minimum already */
	size = IKE_FRAGMENT_SIZE_IPV4_MIN - (sa->use_natt ? 4 : 0);
	if (!split_chain(sa, gen, &hdr, gen->frag_chain, gen->frag_first, size, &len)) {
		/* more fragments than we keep: the old split stays (frag_lens untouched) */
		g_debug("IKE SA %016" G_GINT64_MODIFIER "x: cannot split request #%u into "
		        "%" G_GSIZE_FORMAT "-byte fragments",
		        sa->cur.spi_i, hdr.message_id, size);
		return FALSE;
	}
	g_debug("IKE SA %016" G_GINT64_MODIFIER "x: request #%u unanswered, now in %u fragments "
	        "of at most %" G_GSIZE_FORMAT " bytes",
	        sa->cur.spi_i, hdr.message_id, gen->n_frags, size);
	ike_retransmit_replace(&gen->rt, sa->obuf, len);
	ferry_wipe(sa->obuf, len);
	return TRUE;
}

void
ike_sa_send_inflight(IkeSa *sa, IkeSaGen *gen)
{
	gsize off = 0;

	if (gen->n_frags == 0) {
		ike_sa_send_raw(sa, gen->rt.data, gen->rt.len);
		return;
	}
	for (guint i = 0; i < gen->n_frags && off + gen->frag_lens[i] <= gen->rt.len; i++) {
		ike_sa_send_raw(sa, gen->rt.data + off, gen->frag_lens[i]);
		off += gen->frag_lens[i];
	}
}

gboolean
ike_sa_send_request(
	IkeSa *sa, IkeSaGen *gen, IkeXchg xchg, uint8_t exchange, gint64 now_us, GError **error)
{
	IkeHeader hdr = {
		.spi_i = gen->spi_i,
		.spi_r = gen->spi_r,
		.version = IKE_VERSION,
		.exchange = exchange,
		/* RFC 7296 §3.1: the original initiator sets I in every message. */
		.flags = gen->responder ? 0 : IKE_FLAG_INITIATOR,
		.message_id = gen->next_id,
	};
	gsize len;

	if (!encode_message(sa, gen, &hdr, &len, error)) {
		ike_sa_out_reset(sa);
		return FALSE;
	}
	/* RFC 7383 §2.5: only IKE_AUTH, only when the gateway announced support. */
	gen->n_frags = 0;
	gen->refragmented = FALSE;
	g_clear_pointer(&gen->frag_chain, ferry_secret_free);
	if (exchange == IKE_EXCHANGE_IKE_AUTH && sa->peer_fragmentation &&
	    len > IKE_FRAGMENT_SIZE && !encode_fragments(sa, gen, &hdr, &len)) {
		/* not splittable: send it whole (encode again: obuf was used) */
		gen->n_frags = 0;
		if (!encode_message(sa, gen, &hdr, &len, error)) {
			ike_sa_out_reset(sa);
			return FALSE;
		}
	}
	gen->inflight = xchg;
	g_free(gen->payloads);
	gen->payloads = ike_sa_render_payloads(sa->out, sa->n_out, TRUE);
	ike_sa_out_reset(sa);
	ike_retransmit_start(&gen->rt, sa->obuf, len, exchange, hdr.message_id, now_us);
	ike_sa_send_inflight(sa, gen);
	ike_sa_emit_sent(sa, &hdr, len, FALSE, gen->payloads, now_us);
	return TRUE;
}

gboolean
ike_sa_send_response(IkeSa *sa,
                     IkeSaGen *gen,
                     uint8_t exchange,
                     uint32_t message_id,
                     gint64 now_us,
                     GError **error)
{
	IkeHeader hdr = {
		.spi_i = gen->spi_i,
		.spi_r = gen->spi_r,
		.version = IKE_VERSION,
		.exchange = exchange,
		.flags = (gen->responder ? 0 : IKE_FLAG_INITIATOR) | IKE_FLAG_RESPONSE,
		.message_id = message_id,
	};
	g_autofree char *payloads = NULL;
	gsize len;

	if (!encode_message(sa, gen, &hdr, &len, error)) {
		ike_sa_out_reset(sa);
		return FALSE;
	}
	payloads = ike_sa_render_payloads(sa->out, sa->n_out, TRUE);
	ike_sa_out_reset(sa);
	/* RFC 7296 §2.1: keep the response to resend it if the request comes again. */
	g_free(gen->last_response);
	gen->last_response = g_memdup2(sa->obuf, len);
	gen->last_response_len = len;
	gen->last_response_id = message_id;
	sa->counters.answered_requests++;
	ike_sa_send_raw(sa, sa->obuf, len);
	ike_sa_emit_sent(sa, &hdr, len, FALSE, payloads, now_us);
	return TRUE;
}
