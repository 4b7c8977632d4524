/* ike-retransmit.h - retransmission of the request in flight and the SA's timers, as deadlines
 *
 * The engine owns no GSource: every timer here is a monotonic deadline (microseconds) that
 * ike_sa_get_deadline() reports and ike_sa_tick() checks (DESIGN.md "Sans-I/O engine").
 */
#pragma once

#include <glib.h>
#include <stdint.h>

G_BEGIN_DECLS

/* RFC 7296 §2.1: the initiator retransmits until answered or it gives up. */
#define IKE_RETRANSMIT_DEFAULT_TRIES   5    /* sends of one request, the first included */
#define IKE_RETRANSMIT_DEFAULT_BASE_MS 1000 /* first timeout; doubles after every send */
#define IKE_RETRANSMIT_MAX_TIMEOUT_MS  60000
#define IKE_DPD_DEFAULT_S              30    /* idle time before an empty INFORMATIONAL */
#define IKE_REKEY_IKE_DEFAULT_S        10800 /* 3 h: before strongSwan's 4 h default */
#define IKE_REKEY_CHILD_DEFAULT_S      3000  /* 50 min: before strongSwan's 1 h default */
#define IKE_REKEY_RETRY_S              30    /* after TEMPORARY_FAILURE / a collision */
/* RFC 7296 §2.8.1: rekeys are jittered so that both peers rarely start one at once; ours
 * come up to this share of the lifetime early. */
#define IKE_REKEY_JITTER_PERCENT 10

typedef enum {
	IKE_RETRANSMIT_NOTHING, /* not due yet, or nothing in flight */
	IKE_RETRANSMIT_RESEND,  /* send the stored bytes again now */
	IKE_RETRANSMIT_GIVE_UP, /* all tries spent: the peer is gone */
} IkeRetransmitAction;

typedef struct {
	/* owned */
	guint8 *data; /* the request exactly as first sent (RFC 7296 §2.1: identical bytes) */
	gsize len;
	uint8_t exchange;
	uint32_t message_id;
	guint sends; /* how many times it went out */
	guint tries; /* budget of sends */
	guint base_ms;
	gint64 first_us; /* first send */
	gint64 deadline_us;
	gboolean active;
} IkeRetransmit;

void ike_retransmit_init(IkeRetransmit *rt, guint tries, guint base_ms);
/* Takes a copy of the request; the caller sends it once now. */
void ike_retransmit_start(IkeRetransmit *rt,
                          const guint8 *data,
                          gsize len,
                          uint8_t exchange,
                          uint32_t message_id,
                          gint64 now_us);
/* New bytes for the same request (RFC 7383 §2.5.2: split again), keeping count and timer. */
void ike_retransmit_replace(IkeRetransmit *rt, const guint8 *data, gsize len);
void ike_retransmit_stop(IkeRetransmit *rt);
void ike_retransmit_clear(IkeRetransmit *rt);
/* What to do at `now_us`; after RESEND the caller sends rt->data again. */
IkeRetransmitAction ike_retransmit_tick(IkeRetransmit *rt, gint64 now_us);
/* G_MAXINT64 when nothing is in flight. */
gint64 ike_retransmit_get_deadline(const IkeRetransmit *rt);
/* How long the request has waited since its first send, for the give-up message. */
gint64 ike_retransmit_get_waited_us(const IkeRetransmit *rt, gint64 now_us);
/* The timeout after the n-th send (1-based): base * 2^(n-1), capped. */
guint ike_retransmit_timeout_ms(guint base_ms, guint n);

/* A deadline `seconds` after `from_us`, or G_MAXINT64 for 0 seconds (timer off). */
/* G_MAXINT64 (never) for 0 or G_MAXUINT seconds. */
gint64 ike_timer_deadline(gint64 from_us, guint seconds);
/* The same for a rekey, less a jitter of up to IKE_REKEY_JITTER_PERCENT of `seconds` picked
 * by `random`. */
gint64 ike_timer_rekey_deadline(gint64 from_us, guint seconds, uint32_t random);

G_END_DECLS
