/* ike-xchg-info.c - INFORMATIONAL: DELETE, liveness checks, the gateway's requests (RFC 7296 §1.4)
 */
#include <string.h>

#include "ferry-error.h"
#include "ike-sa-private.h"

static void
emit_dpd(IkeSa *sa, const char *text, gint64 now_us)
{
	IkeEvent ev = {.type = IKE_EVENT_DPD, .text = text};

	ike_sa_emit(sa, &ev, now_us);
}

static void
add_delete(IkeSa *sa, uint8_t protocol, const uint8_t *spi4)
{
	IkePayload *p = ike_sa_out_add(sa, IKE_PAYLOAD_DELETE);

	p->u.del.protocol = protocol;
	if (spi4) {
		p->u.del.spi_size = 4;
		p->u.del.n_spi = 1;
		p->u.del.spis = FERRY_SPAN(spi4, 4);
	}
}

gboolean
ike_xchg_info_build_request(IkeSa *sa, IkeSaGen *gen, IkeXchg xchg, gint64 now_us, GError **error)
{
	uint8_t spi[4];

	ike_sa_out_reset(sa);
	switch (xchg) {
	case IKE_XCHG_DELETE_IKE:
		/* RFC 7296 §1.4.1: deleting the IKE SA deletes its Child SAs. */
		add_delete(sa, IKE_PROTO_IKE, NULL);
		break;
	case IKE_XCHG_DELETE_CHILD:
		ferry_put_be32(spi, sa->old_spi_in);
		add_delete(sa, sa->child.protocol, spi);
		break;
	case IKE_XCHG_DELETE_REDUNDANT:
		ferry_put_be32(spi, sa->redundant_spi_in);
		add_delete(sa, sa->child.protocol, spi);
		break;
	case IKE_XCHG_DPD:
		/* RFC 7296 §1.4: an empty INFORMATIONAL request is a liveness check. */
		break;
	default:
		g_return_val_if_reached(FALSE);
	}
	if (!ike_sa_send_request(sa, gen, xchg, IKE_EXCHANGE_INFORMATIONAL, now_us, error))
		return FALSE;
	if (xchg == IKE_XCHG_DPD)
		emit_dpd(sa, "liveness check sent", now_us);
	return TRUE;
}

void
ike_xchg_info_send_once(IkeSa *sa, gint64 now_us)
{
	g_autoptr(GError) error = NULL;

	if (!sa->cur.x_out || sa->cur.inflight != IKE_XCHG_NONE) {
		ike_sa_out_reset(sa);
		return;
	}
	if (!ike_sa_send_request(sa, &sa->cur, IKE_XCHG_NONE, IKE_EXCHANGE_INFORMATIONAL, now_us,
	                         &error)) {
		g_debug("cannot send INFORMATIONAL: %s", error->message);
		return;
	}
	ike_retransmit_stop(&sa->cur.rt);
	sa->cur.inflight = IKE_XCHG_NONE;
	sa->cur.next_id++;
}

void
ike_xchg_info_send_delete_once(IkeSa *sa, gint64 now_us)
{
	ike_sa_out_reset(sa);
	add_delete(sa, IKE_PROTO_IKE, NULL);
	ike_xchg_info_send_once(sa, now_us);
}

static void
emit_child_delete(IkeSa *sa, uint32_t spi_in, uint32_t spi_out, gint64 now_us)
{
	IkeChildSa old = sa->child;
	IkeEvent ev = {.type = IKE_EVENT_CHILD_DELETE, .child = &old};
	g_autofree char *text = g_strdup_printf("SPIs in %08x out %08x", spi_in, spi_out);

	old.in.spi = spi_in;
	old.out.spi = spi_out;
	ev.text = text;
	ike_sa_emit(sa, &ev, now_us);
}

/* The Child SA a rekey collision made redundant is gone (RFC 7296 §2.8.1). */
static void
forget_redundant_child(IkeSa *sa, gint64 now_us)
{
	if (!sa->redundant_spi_in)
		return;
	if (sa->redundant_installed)
		emit_child_delete(sa, sa->redundant_spi_in, sa->redundant_spi_out, now_us);
	sa->redundant_spi_in = 0;
	sa->redundant_spi_out = 0;
	sa->redundant_installed = FALSE;
	sa->want_redundant_delete = FALSE;
}

gboolean
ike_xchg_info_process_response(
	IkeSa *sa, IkeSaGen *gen, IkeXchg xchg, gint64 now_us, GError **error)
{
	switch (xchg) {
	case IKE_XCHG_DPD:
		emit_dpd(sa, "liveness check answered", now_us);
		return TRUE;
	case IKE_XCHG_DELETE_CHILD:
		/* RFC 7296 §1.4.1: the answer deletes the other direction; retire both. */
		if (sa->old_spi_in) {
			emit_child_delete(sa, sa->old_spi_in, sa->old_spi_out, now_us);
			sa->old_spi_in = 0;
			sa->old_spi_out = 0;
		}
		return TRUE;
	case IKE_XCHG_DELETE_REDUNDANT:
		forget_redundant_child(sa, now_us);
		return TRUE;
	case IKE_XCHG_DELETE_IKE:
		if (gen != &sa->cur) {
			ike_sa_gen_drop(sa, gen);
			return TRUE;
		}
		ike_sa_close(sa, g_steal_pointer(&sa->close_error), now_us);
		return TRUE;
	default:
		return TRUE;
	}
}

typedef struct {
	gboolean ike; /* the IKE SA this request came on */
	gboolean current_child;
	gboolean old_child;
	gboolean redundant_child;
} IkeDeleted;

static void
find_deleted(IkeSa *sa, IkeDeleted *d)
{
	const IkeMessage *m = sa->msg;

	memset(d, 0, sizeof(*d));
	for (gsize i = 0; i < m->n_payloads; i++) {
		const IkeDeletePayload *del = &m->payloads[i].u.del;

		if (m->payloads[i].type != IKE_PAYLOAD_DELETE)
			continue;
		if (del->protocol == IKE_PROTO_IKE) {
			d->ike = TRUE;
			continue;
		}
		if (del->spi_size != 4 || del->spis.len < (gsize)del->n_spi * 4)
			continue;
		for (guint k = 0; k < del->n_spi; k++) {
			/* The gateway names its inbound SPI: our outbound (RFC 7296 §3.11). */
			uint32_t spi = ferry_get_be32(del->spis.data + 4 * k);

			if (sa->has_child && spi == sa->child.out.spi)
				d->current_child = TRUE;
			else if (sa->old_spi_in && spi == sa->old_spi_out)
				d->old_child = TRUE;
			else if (sa->redundant_spi_in && spi == sa->redundant_spi_out)
				d->redundant_child = TRUE;
		}
	}
}

gboolean
ike_xchg_info_process_request(
	IkeSa *sa, IkeSaGen *gen, uint32_t message_id, gint64 now_us, GError **error)
{
	IkeDeleted d;
	uint8_t spi_cur[4], spi_old[4], spi_red[4];
	gboolean liveness = sa->msg->n_payloads <= 1; /* only the SK payload */

	find_deleted(sa, &d);
	ike_sa_out_reset(sa);
	/* RFC 7296 §1.4.1: answer a child DELETE with DELETEs of the paired inbound SAs. */
	if (!d.ike && gen == &sa->cur) {
		if (d.current_child) {
			ferry_put_be32(spi_cur, sa->child.in.spi);
			add_delete(sa, sa->child.protocol, spi_cur);
		}
		if (d.old_child) {
			ferry_put_be32(spi_old, sa->old_spi_in);
			add_delete(sa, sa->child.protocol, spi_old);
		}
		if (d.redundant_child) {
			ferry_put_be32(spi_red, sa->redundant_spi_in);
			add_delete(sa, sa->child.protocol, spi_red);
		}
	}
	if (!ike_sa_send_response(sa, gen, IKE_EXCHANGE_INFORMATIONAL, message_id, now_us, error))
		return FALSE;
	if (d.ike) {
		if (gen != &sa->cur) {
			ike_sa_gen_drop(sa, gen);
			return TRUE;
		}
		if (sa->peer_new) {
			/* RFC 7296 §2.8.2: the gateway finished its rekey without seeing ours;
			 * its new SA takes over and our attempt is forgotten. */
			ike_xchg_ike_rekey_take_peer(sa, TRUE, now_us);
			return TRUE;
		}
		/* A normal close by the gateway (RFC 7296 §1.4.1). */
		g_info("IKE SA %016" G_GINT64_MODIFIER "x: the gateway deleted it", sa->cur.spi_i);
		sa->peer_closed = TRUE;
		ike_sa_close(sa, NULL, now_us);
		return TRUE;
	}
	if (d.redundant_child)
		forget_redundant_child(sa, now_us);
	if (d.old_child) {
		emit_child_delete(sa, sa->old_spi_in, sa->old_spi_out, now_us);
		sa->old_spi_in = 0;
		sa->old_spi_out = 0;
		sa->want_child_delete = FALSE;
	}
	if (d.current_child) {
		/* Our only Child SA is gone, and with it the tunnel: end the IKE SA too. */
		emit_child_delete(sa, sa->child.in.spi, sa->child.out.spi, now_us);
		sa->has_child = FALSE;
		ike_xchg_info_send_delete_once(sa, now_us);
		g_info("IKE SA %016" G_GINT64_MODIFIER "x: the gateway deleted our Child SA",
		       sa->cur.spi_i);
		sa->peer_closed = TRUE;
		ike_sa_close(sa, NULL, now_us);
		return TRUE;
	}
	if (liveness && gen == &sa->cur)
		emit_dpd(sa, "answered the gateway's liveness check", now_us);
	return TRUE;
}
