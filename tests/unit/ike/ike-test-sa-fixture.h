/* ike-test-sa-fixture.h - the engine wired to the scripted responder with the proposals,
 * identities and addresses test-ike-sa and test-ike-rekey start from: delivery both ways,
 * a clock, lost sends, and every event the engine emitted, copied out */
#pragma once

#include <glib.h>

#include "ferry-secret.h"
#include "ike-sa.h"
#include "ike-test-responder.h"

G_BEGIN_DECLS

typedef struct {
	IkeEventType type;
	IkeState state;
	gint64 time_us;
	uint8_t exchange;
	uint32_t message_id;
	gsize n_bytes;
	gboolean retransmit;
	char *payloads;
	char *text;
	uint16_t ke_group;
	gboolean nat_local, nat_remote;
	GError *error;
	IkeSaKind sa_kind;
	gboolean peer_initiated, peer_closed;
	/* CHILD_INSTALL / CHILD_DELETE */
	uint32_t spi_in, spi_out;
	char *enc_in, *enc_out, *integ_in, *integ_out;
	gboolean esn;
	/* CONFIG */
	gboolean has_ip4;
	uint8_t ip4[4];
	guint n_dns;
} IkeTestSaEv;

typedef struct {
	IkeSaConfig cfg;
	IkeProposal ike_props[2];
	IkeProposal child_props[2];
	FerrySecret *psk;
	IkeTestResponderConfig gwcfg;
	IkeSa *sa;
	IkeTestResponder *gw;
	GPtrArray *to_gw;  /* GBytes the engine sent, not yet delivered */
	GPtrArray *sent;   /* every GBytes the engine sent */
	GPtrArray *events; /* IkeTestSaEv */
	gint64 now;
	gboolean lose_to_gw; /* drop what the engine sends */
} IkeTestSaFixture;

extern const IkeSaCallbacks ike_test_sa_callbacks;

/* (transfer full) A secret as lowercase hex, NULL for none. */
char *ike_test_sa_secret_hex(const FerrySecret *s);
void ike_test_sa_set_addr(IkeAddr *a, const uint8_t ip[4], uint16_t port);
void ike_test_sa_setup(IkeTestSaFixture *f, gconstpointer data);
void ike_test_sa_teardown(IkeTestSaFixture *f, gconstpointer data);
/* Deliver datagrams both ways until nobody has anything to send. */
void ike_test_sa_run(IkeTestSaFixture *f);
/* Deliver the gateway's own requests to the engine, then run. */
void ike_test_sa_deliver(IkeTestSaFixture *f, GPtrArray *from_gw);
/* Create the responder and the engine from gwcfg and cfg. */
void ike_test_sa_start(IkeTestSaFixture *f);
/* start, connect, run. */
void ike_test_sa_connect(IkeTestSaFixture *f);
/* Move the clock to `t` and tick, then exchange whatever that produced. */
void ike_test_sa_advance_to(IkeTestSaFixture *f, gint64 t);
/* (transfer none) The nth event of `type`, or NULL. */
IkeTestSaEv *ike_test_sa_find_event(IkeTestSaFixture *f, IkeEventType type, guint nth);
guint ike_test_sa_count_events(IkeTestSaFixture *f, IkeEventType type);
/* The error of the CLOSED event; fails the test unless the engine is CLOSED. */
const GError *ike_test_sa_closed_error(IkeTestSaFixture *f);
/* The Child SA keys the engine installed are the responder's, crosswise (RFC 7296 §2.17). */
void ike_test_sa_assert_child_keys(IkeTestSaFixture *f, IkeTestSaEv *install);

G_END_DECLS
