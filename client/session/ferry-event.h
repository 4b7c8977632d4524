/* ferry-event.h - FerryEvent: one entry of a session's timeline (a boxed type)
 *
 * Every event has a type, the time since ferry_session_connect() and a dictionary of details
 * (GVariant a{sv}) whose keys are exactly the JSON members `ferry connect --json` prints
 * (CLI-CONTRACT.md), so the CLI, the NetworkManager service and the GUI read the same facts:
 *
 *   state          state (s: IKE state, "INIT_SENT")
 *   sent/received  exchange (s), message_id (u), bytes (t), payloads (s), retransmit (b)
 *   ike-proposal   proposal (s: "AES_GCM_16_256/PRF_HMAC_SHA2_256/CURVE25519")
 *   ke-retry       group (s: "ECP_256")
 *   cookie         -
 *   nat            local (b), remote (b), forced (b)
 *   authenticated  method (s: how the gateway proved itself: "PSK", "certificate",
 *                  "EAP-only"), peer (s: its identity), signature (s: certificates only,
 *                  "RSASSA-PSS SHA-384")
 *   config         ip4 (s), ip6 (s), dns (as), domains (as)  (each only when assigned)
 *   child-sa       protocol (s), mode (s), proposal (s), spi_in (s), spi_out (s),
 *                  ts_local (as), ts_remote (as)
 *   up             tun (s), ip4 (s: "a.b.c.d/32"), ip6 (s), dns (as), routes (as)
 *   rekeyed        what (s: "CHILD_SA" / "IKE_SA")
 *   dpd            text (s)
 *   stats          packets_in, packets_out, bytes_in, bytes_out, dropped, keepalives_out (t)
 *   down           reason (s: "user" / "peer" / "error")
 *   error          code (s), message (s)
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

typedef enum {
	FERRY_EVENT_STATE,
	FERRY_EVENT_SENT,
	FERRY_EVENT_RECEIVED,
	FERRY_EVENT_IKE_PROPOSAL,
	FERRY_EVENT_KE_RETRY,
	FERRY_EVENT_COOKIE,
	FERRY_EVENT_NAT,
	FERRY_EVENT_AUTHENTICATED,
	FERRY_EVENT_CONFIG,
	FERRY_EVENT_CHILD_SA,
	FERRY_EVENT_UP,
	FERRY_EVENT_REKEYED,
	FERRY_EVENT_DPD,
	FERRY_EVENT_STATS,
	FERRY_EVENT_DOWN,
	FERRY_EVENT_ERROR,
} FerryEventType;

typedef struct {
	FerryEventType type;
	double time;       /* seconds since ferry_session_connect() */
	GVariant *details; /* a{sv}, never floating */
} FerryEvent;

GType ferry_event_get_type(void) G_GNUC_CONST;
#define FERRY_TYPE_EVENT (ferry_event_get_type())

/* (transfer full); sinks a floating @details (NULL = empty). */
FerryEvent *ferry_event_new(FerryEventType type, double time, GVariant *details);
FerryEvent *ferry_event_copy(const FerryEvent *event);
void ferry_event_free(FerryEvent *event);

/* The JSON "event" name ("child-sa"). */
const char *ferry_event_type_to_string(FerryEventType type);

/* Convenience lookups in @event's details: (transfer none) / 0 / FALSE when absent. */
const char *ferry_event_get_string(const FerryEvent *event, const char *key);
guint64 ferry_event_get_uint(const FerryEvent *event, const char *key);
gboolean ferry_event_get_boolean(const FerryEvent *event, const char *key);
/* (transfer container) NULL-terminated, NULL when absent. */
const char **ferry_event_get_strv(const FerryEvent *event, const char *key);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(FerryEvent, ferry_event_free)

G_END_DECLS
