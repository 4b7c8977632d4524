/* ike-retransmit.c - retransmission with exponential backoff (RFC 7296 §2.1) and timer deadlines */
#include <string.h>

#include "ike-retransmit.h"

void
ike_retransmit_init(IkeRetransmit *rt, guint tries, guint base_ms)
{
	memset(rt, 0, sizeof(*rt));
	rt->tries = tries ? tries : IKE_RETRANSMIT_DEFAULT_TRIES;
	rt->base_ms = base_ms ? base_ms : IKE_RETRANSMIT_DEFAULT_BASE_MS;
	rt->deadline_us = G_MAXINT64;
}

guint
ike_retransmit_timeout_ms(guint base_ms, guint n)
{
	guint64 ms = base_ms;

	for (guint i = 1; i < n && ms < IKE_RETRANSMIT_MAX_TIMEOUT_MS; i++)
		ms *= 2;
	return (guint)MIN(ms, IKE_RETRANSMIT_MAX_TIMEOUT_MS);
}

void
ike_retransmit_start(IkeRetransmit *rt,
                     const guint8 *data,
                     gsize len,
                     uint8_t exchange,
                     uint32_t message_id,
                     gint64 now_us)
{
	g_free(rt->data);
	rt->data = g_memdup2(data, len);
	rt->len = len;
	rt->exchange = exchange;
	rt->message_id = message_id;
	rt->sends = 1;
	rt->first_us = now_us;
	rt->deadline_us = now_us + (gint64)ike_retransmit_timeout_ms(rt->base_ms, 1) * 1000;
	rt->active = TRUE;
}

void
ike_retransmit_replace(IkeRetransmit *rt, const guint8 *data, gsize len)
{
	g_free(rt->data);
	rt->data = g_memdup2(data, len);
	rt->len = len;
}

void
ike_retransmit_stop(IkeRetransmit *rt)
{
	rt->active = FALSE;
	rt->deadline_us = G_MAXINT64;
}

void
ike_retransmit_clear(IkeRetransmit *rt)
{
	ike_retransmit_stop(rt);
	g_clear_pointer(&rt->data, g_free);
	rt->len = 0;
}

IkeRetransmitAction
ike_retransmit_tick(IkeRetransmit *rt, gint64 now_us)
{
	if (!rt->active || now_us < rt->deadline_us)
		return IKE_RETRANSMIT_NOTHING;
	if (rt->sends >= rt->tries) {
		ike_retransmit_stop(rt);
		return IKE_RETRANSMIT_GIVE_UP;
	}
	rt->sends++;
	rt->deadline_us = now_us + (gint64)ike_retransmit_timeout_ms(rt->base_ms, rt->sends) * 1000;
	return IKE_RETRANSMIT_RESEND;
}

gint64
ike_retransmit_get_deadline(const IkeRetransmit *rt)
{
	return rt->active ? rt->deadline_us : G_MAXINT64;
}

gint64
ike_retransmit_get_waited_us(const IkeRetransmit *rt, gint64 now_us)
{
	return now_us - rt->first_us;
}

gint64
ike_timer_deadline(gint64 from_us, guint seconds)
{
	if (seconds == 0 || seconds == G_MAXUINT) /* G_MAXUINT: IKE_DPD_OFF */
		return G_MAXINT64;
	return from_us + (gint64)seconds * G_USEC_PER_SEC;
}

gint64
ike_timer_rekey_deadline(gint64 from_us, guint seconds, uint32_t random)
{
	gint64 deadline = ike_timer_deadline(from_us, seconds);
	gint64 span_us = (gint64)seconds * G_USEC_PER_SEC / 100 * IKE_REKEY_JITTER_PERCENT;

	if (deadline == G_MAXINT64 || span_us <= 0)
		return deadline;
	return deadline - (gint64)(random % (guint64)(span_us + 1));
}
