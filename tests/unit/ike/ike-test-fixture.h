/* ike-test-fixture.h - an engine wired to the scripted responder, for exchange tests:
 * the proposals, identities and addresses every case starts from, delivery both ways, and
 * the events the engine emitted */
#pragma once

#include <glib.h>

#include "ferry-secret.h"
#include "ike-sa.h"
#include "ike-test-responder.h"

G_BEGIN_DECLS

/* One event, copied out of the callback. */
typedef struct {
	IkeEventType type;
	IkeState state;
	uint8_t exchange;
	uint32_t message_id;
	char *payloads;
	char *text;
	GError *error;
	/* CHILD_INSTALL */
	uint32_t spi_in, spi_out;
	char *enc_in, *enc_out, *integ_in, *integ_out;
} IkeTestEv;

typedef struct {
	IkeSaConfig cfg; /* PSK "ferry-canary-psk", client.example -> gw.example, IPv4 asked */
	IkeProposal ike_props[2];
	IkeProposal child_props[2];
	FerrySecret *psk;
	IkeTestResponderConfig gwcfg;
	IkeSa *sa;
	IkeTestResponder *gw;
	GPtrArray *to_gw;  /* GBytes the engine sent, not yet delivered */
	GPtrArray *sent;   /* every GBytes the engine sent */
	GPtrArray *events; /* IkeTestEv */
	gint64 now;
} IkeTestFixture;

void ike_test_fixture_setup(IkeTestFixture *f, gconstpointer data);
void ike_test_fixture_teardown(IkeTestFixture *f, gconstpointer data);
/* Create the responder and the engine from gwcfg and cfg. */
void ike_test_fixture_start(IkeTestFixture *f);
/* Deliver datagrams both ways until nobody has anything to send. */
void ike_test_fixture_run(IkeTestFixture *f);
/* start, connect, run. */
void ike_test_fixture_connect(IkeTestFixture *f);
/* (transfer none) The nth event of `type`, or NULL. */
IkeTestEv *ike_test_fixture_find_event(IkeTestFixture *f, IkeEventType type, guint nth);
/* The error of the CLOSED event; fails the test unless the engine is CLOSED. */
const GError *ike_test_fixture_closed_error(IkeTestFixture *f);
/* The Child SA keys the engine installed are the responder's, crosswise (RFC 7296 §2.17). */
void ike_test_fixture_assert_child_keys(IkeTestFixture *f, const IkeTestEv *install);

G_END_DECLS
