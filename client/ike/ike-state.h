/* ike-state.h - the IKE SA state machine: one transition table, one function that moves it */
#pragma once

#include <glib.h>

#include "ike-sa.h"

G_BEGIN_DECLS

/* What happened to the SA; the table in ike-state.c maps (state, event) to the next state. */
typedef enum {
	IKE_STATE_EVENT_CONNECT,     /* IKE_SA_INIT request sent */
	IKE_STATE_EVENT_INIT_DONE,   /* IKE_SA_INIT answered, IKE_AUTH request sent */
	IKE_STATE_EVENT_AUTH_DONE,   /* IKE_AUTH answered: SA and first Child SA up */
	IKE_STATE_EVENT_REKEY_START, /* CREATE_CHILD_SA request (rekey) sent */
	IKE_STATE_EVENT_REKEY_DONE,  /* rekey answered (or given up without losing the SA) */
	IKE_STATE_EVENT_DELETE,      /* we sent DELETE for the IKE SA */
	IKE_STATE_EVENT_CLOSE,       /* the SA is gone: deleted, failed or timed out */
} IkeStateEvent;

const char *ike_state_event_to_string(IkeStateEvent event);

/* The next state for `event` in `state`; FALSE when the table has no such transition. */
gboolean ike_state_next(IkeState state, IkeStateEvent event, IkeState *next);

/* The only place an IkeSa's state changes: looks the transition up, logs `old -> new` at
 * debug level and emits IKE_EVENT_STATE_CHANGED.  FALSE (and no change) when the table
 * forbids the transition, which is a bug in the engine, reported with g_warning. */
gboolean ike_sa_set_state(IkeSa *sa, IkeStateEvent event, gint64 now_us);

G_END_DECLS
