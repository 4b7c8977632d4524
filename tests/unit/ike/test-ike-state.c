/* test-ike-state.c - the state transition table (ike-state.c) */
#include "ike-state.h"

#define NONE ((IkeState)-1)

typedef struct {
	guint n;
	IkeState from;
	IkeStateEvent event;
	IkeState to; /* NONE: no such transition */
} StateCase;

/* Every (state, event) pair, numbered, so a changed row shows which. */
static const StateCase cases[] = {
	{1,  IKE_STATE_IDLE,        IKE_STATE_EVENT_CONNECT,     IKE_STATE_INIT_SENT  },
	{2,  IKE_STATE_IDLE,        IKE_STATE_EVENT_INIT_DONE,   NONE                 },
	{3,  IKE_STATE_IDLE,        IKE_STATE_EVENT_AUTH_DONE,   NONE                 },
	{4,  IKE_STATE_IDLE,        IKE_STATE_EVENT_REKEY_START, NONE                 },
	{5,  IKE_STATE_IDLE,        IKE_STATE_EVENT_REKEY_DONE,  NONE                 },
	{6,  IKE_STATE_IDLE,        IKE_STATE_EVENT_DELETE,      NONE                 },
	{7,  IKE_STATE_IDLE,        IKE_STATE_EVENT_CLOSE,       IKE_STATE_CLOSED     },
	{8,  IKE_STATE_INIT_SENT,   IKE_STATE_EVENT_CONNECT,     NONE                 },
	{9,  IKE_STATE_INIT_SENT,   IKE_STATE_EVENT_INIT_DONE,   IKE_STATE_AUTH_SENT  },
	{10, IKE_STATE_INIT_SENT,   IKE_STATE_EVENT_AUTH_DONE,   NONE                 },
	{11, IKE_STATE_INIT_SENT,   IKE_STATE_EVENT_REKEY_START, NONE                 },
	{12, IKE_STATE_INIT_SENT,   IKE_STATE_EVENT_REKEY_DONE,  NONE                 },
	{13, IKE_STATE_INIT_SENT,   IKE_STATE_EVENT_DELETE,      NONE                 },
	{14, IKE_STATE_INIT_SENT,   IKE_STATE_EVENT_CLOSE,       IKE_STATE_CLOSED     },
	{15, IKE_STATE_AUTH_SENT,   IKE_STATE_EVENT_CONNECT,     NONE                 },
	{16, IKE_STATE_AUTH_SENT,   IKE_STATE_EVENT_INIT_DONE,   NONE                 },
	{17, IKE_STATE_AUTH_SENT,   IKE_STATE_EVENT_AUTH_DONE,   IKE_STATE_ESTABLISHED},
	{18, IKE_STATE_AUTH_SENT,   IKE_STATE_EVENT_REKEY_START, NONE                 },
	{19, IKE_STATE_AUTH_SENT,   IKE_STATE_EVENT_REKEY_DONE,  NONE                 },
	{20, IKE_STATE_AUTH_SENT,   IKE_STATE_EVENT_DELETE,      IKE_STATE_DELETING   },
	{21, IKE_STATE_AUTH_SENT,   IKE_STATE_EVENT_CLOSE,       IKE_STATE_CLOSED     },
	{22, IKE_STATE_ESTABLISHED, IKE_STATE_EVENT_CONNECT,     NONE                 },
	{23, IKE_STATE_ESTABLISHED, IKE_STATE_EVENT_INIT_DONE,   NONE                 },
	{24, IKE_STATE_ESTABLISHED, IKE_STATE_EVENT_AUTH_DONE,   NONE                 },
	{25, IKE_STATE_ESTABLISHED, IKE_STATE_EVENT_REKEY_START, IKE_STATE_REKEYING   },
	{26, IKE_STATE_ESTABLISHED, IKE_STATE_EVENT_REKEY_DONE,  NONE                 },
	{27, IKE_STATE_ESTABLISHED, IKE_STATE_EVENT_DELETE,      IKE_STATE_DELETING   },
	{28, IKE_STATE_ESTABLISHED, IKE_STATE_EVENT_CLOSE,       IKE_STATE_CLOSED     },
	{29, IKE_STATE_REKEYING,    IKE_STATE_EVENT_CONNECT,     NONE                 },
	{30, IKE_STATE_REKEYING,    IKE_STATE_EVENT_INIT_DONE,   NONE                 },
	{31, IKE_STATE_REKEYING,    IKE_STATE_EVENT_AUTH_DONE,   NONE                 },
	{32, IKE_STATE_REKEYING,    IKE_STATE_EVENT_REKEY_START, NONE                 },
	{33, IKE_STATE_REKEYING,    IKE_STATE_EVENT_REKEY_DONE,  IKE_STATE_ESTABLISHED},
	{34, IKE_STATE_REKEYING,    IKE_STATE_EVENT_DELETE,      IKE_STATE_DELETING   },
	{35, IKE_STATE_REKEYING,    IKE_STATE_EVENT_CLOSE,       IKE_STATE_CLOSED     },
	{36, IKE_STATE_DELETING,    IKE_STATE_EVENT_CONNECT,     NONE                 },
	{37, IKE_STATE_DELETING,    IKE_STATE_EVENT_INIT_DONE,   NONE                 },
	{38, IKE_STATE_DELETING,    IKE_STATE_EVENT_AUTH_DONE,   NONE                 },
	{39, IKE_STATE_DELETING,    IKE_STATE_EVENT_REKEY_START, NONE                 },
	{40, IKE_STATE_DELETING,    IKE_STATE_EVENT_REKEY_DONE,  NONE                 },
	{41, IKE_STATE_DELETING,    IKE_STATE_EVENT_DELETE,      NONE                 },
	{42, IKE_STATE_DELETING,    IKE_STATE_EVENT_CLOSE,       IKE_STATE_CLOSED     },
	{43, IKE_STATE_CLOSED,      IKE_STATE_EVENT_CONNECT,     NONE                 },
	{44, IKE_STATE_CLOSED,      IKE_STATE_EVENT_INIT_DONE,   NONE                 },
	{45, IKE_STATE_CLOSED,      IKE_STATE_EVENT_AUTH_DONE,   NONE                 },
	{46, IKE_STATE_CLOSED,      IKE_STATE_EVENT_REKEY_START, NONE                 },
	{47, IKE_STATE_CLOSED,      IKE_STATE_EVENT_REKEY_DONE,  NONE                 },
	{48, IKE_STATE_CLOSED,      IKE_STATE_EVENT_DELETE,      NONE                 },
	{49, IKE_STATE_CLOSED,      IKE_STATE_EVENT_CLOSE,       NONE                 },
};

static void
test_table(void)
{
	for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
		const StateCase *c = &cases[i];
		IkeState next = NONE;
		gboolean ok = ike_state_next(c->from, c->event, &next);

		g_test_message("row %u: %s on %s", c->n, ike_state_to_string(c->from),
		               ike_state_event_to_string(c->event));
		g_assert_cmpint(ok, ==, c->to != NONE);
		if (ok)
			g_assert_cmpint(next, ==, c->to);
	}
}

static void
test_names(void)
{
	g_assert_cmpstr(ike_state_to_string(IKE_STATE_IDLE), ==, "IDLE");
	g_assert_cmpstr(ike_state_to_string(IKE_STATE_AUTH_SENT), ==, "AUTH_SENT");
	g_assert_cmpstr(ike_state_to_string(IKE_STATE_CLOSED), ==, "CLOSED");
	g_assert_cmpstr(ike_state_to_string((IkeState)99), ==, "UNKNOWN");
	g_assert_cmpstr(ike_state_event_to_string(IKE_STATE_EVENT_REKEY_START), ==, "rekey-start");
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/ferry/ike/state/table", test_table);
	g_test_add_func("/ferry/ike/state/names", test_names);
	return g_test_run();
}
