/* ike-state.c - the IKE SA state machine: transition table and ike_sa_set_state() */
#include "ike-state.h"

#include "ike-sa-private.h"

typedef struct {
	IkeState from;
	IkeStateEvent event;
	IkeState to;
} IkeTransition;

/* Every legal move of an initiator's IKE SA (RFC 7296 §1.2-§1.4).  Anything else is a bug. */
static const IkeTransition transitions[] = {
	{IKE_STATE_IDLE,        IKE_STATE_EVENT_CONNECT,     IKE_STATE_INIT_SENT  },
	{IKE_STATE_IDLE,        IKE_STATE_EVENT_CLOSE,       IKE_STATE_CLOSED     },
	{IKE_STATE_INIT_SENT,   IKE_STATE_EVENT_INIT_DONE,   IKE_STATE_AUTH_SENT  },
	{IKE_STATE_INIT_SENT,   IKE_STATE_EVENT_CLOSE,       IKE_STATE_CLOSED     },
	{IKE_STATE_AUTH_SENT,   IKE_STATE_EVENT_AUTH_DONE,   IKE_STATE_ESTABLISHED},
	{IKE_STATE_AUTH_SENT,   IKE_STATE_EVENT_DELETE,      IKE_STATE_DELETING   },
	{IKE_STATE_AUTH_SENT,   IKE_STATE_EVENT_CLOSE,       IKE_STATE_CLOSED     },
	{IKE_STATE_ESTABLISHED, IKE_STATE_EVENT_REKEY_START, IKE_STATE_REKEYING   },
	{IKE_STATE_ESTABLISHED, IKE_STATE_EVENT_DELETE,      IKE_STATE_DELETING   },
	{IKE_STATE_ESTABLISHED, IKE_STATE_EVENT_CLOSE,       IKE_STATE_CLOSED     },
	{IKE_STATE_REKEYING,    IKE_STATE_EVENT_REKEY_DONE,  IKE_STATE_ESTABLISHED},
	{IKE_STATE_REKEYING,    IKE_STATE_EVENT_DELETE,      IKE_STATE_DELETING   },
	{IKE_STATE_REKEYING,    IKE_STATE_EVENT_CLOSE,       IKE_STATE_CLOSED     },
	{IKE_STATE_DELETING,    IKE_STATE_EVENT_CLOSE,       IKE_STATE_CLOSED     },
};

const char *
ike_state_to_string(IkeState state)
{
	switch (state) {
	case IKE_STATE_IDLE:
		return "IDLE";
	case IKE_STATE_INIT_SENT:
		return "INIT_SENT";
	case IKE_STATE_AUTH_SENT:
		return "AUTH_SENT";
	case IKE_STATE_ESTABLISHED:
		return "ESTABLISHED";
	case IKE_STATE_REKEYING:
		return "REKEYING";
	case IKE_STATE_DELETING:
		return "DELETING";
	case IKE_STATE_CLOSED:
		return "CLOSED";
	}
	return "UNKNOWN";
}

const char *
ike_state_event_to_string(IkeStateEvent event)
{
	switch (event) {
	case IKE_STATE_EVENT_CONNECT:
		return "connect";
	case IKE_STATE_EVENT_INIT_DONE:
		return "init-done";
	case IKE_STATE_EVENT_AUTH_DONE:
		return "auth-done";
	case IKE_STATE_EVENT_REKEY_START:
		return "rekey-start";
	case IKE_STATE_EVENT_REKEY_DONE:
		return "rekey-done";
	case IKE_STATE_EVENT_DELETE:
		return "delete";
	case IKE_STATE_EVENT_CLOSE:
		return "close";
	}
	return "unknown";
}

gboolean
ike_state_next(IkeState state, IkeStateEvent event, IkeState *next)
{
	for (gsize i = 0; i < G_N_ELEMENTS(transitions); i++) {
		if (transitions[i].from == state && transitions[i].event == event) {
			*next = transitions[i].to;
			return TRUE;
		}
	}
	return FALSE;
}

gboolean
ike_sa_set_state(IkeSa *sa, IkeStateEvent event, gint64 now_us)
{
	IkeState old = sa->state;
	IkeState next;
	IkeEvent ev = {
		.type = IKE_EVENT_STATE_CHANGED,
	};

	if (!ike_state_next(old, event, &next)) {
		g_warning("IKE SA: no transition from %s on %s", ike_state_to_string(old),
		          ike_state_event_to_string(event));
		return FALSE;
	}
	sa->state = next;
	g_debug("IKE SA %016" G_GINT64_MODIFIER "x: %s -> %s (%s)", sa->cur.spi_i,
	        ike_state_to_string(old), ike_state_to_string(next),
	        ike_state_event_to_string(event));
	if (old != next)
		ike_sa_emit(sa, &ev, now_us);
	return TRUE;
}
