/* ike-test-responder.h - a scripted IKEv2 responder for the engine's exchange tests
 *
 * Built only from wire/ and crypto/ (STYLE.md §11), it plays the gateway: answers
 * IKE_SA_INIT, IKE_AUTH (PSK), CREATE_CHILD_SA and INFORMATIONAL, starts DELETE and liveness
 * checks on demand, derives its own keys so tests can compare both sides, and misbehaves
 * when told to.
 */
#pragma once

#include <glib.h>

#include "crypto-cert.h"
#include "crypto-keymat.h"
#include "ike-message.h"
#include "ike-sk.h"
#include "ike-sa.h"

G_BEGIN_DECLS

typedef struct _IkeTestResponder IkeTestResponder;

typedef struct {
	const char *psk;
	const char *id;       /* our FQDN identity */
	const char *peer_id;  /* expected initiator FQDN; NULL = any */
	IkeAddr self;         /* the gateway's address and port */
	IkeAddr peer_seen;    /* where the initiator's datagrams appear to come from */
	uint16_t want_group;  /* answer INVALID_KE_PAYLOAD unless this group is used */
	gboolean want_cookie; /* answer the first IKE_SA_INIT with a COOKIE */
	gboolean no_proposal; /* NO_PROPOSAL_CHOSEN to IKE_SA_INIT */
	gboolean auth_failed; /* AUTHENTICATION_FAILED to IKE_AUTH */
	gboolean bad_auth;    /* corrupt our AUTH value */
	const char *claim_id; /* send this IDr instead of `id` */
	gboolean ts_unacceptable;
	gboolean address_failure;     /* INTERNAL_ADDRESS_FAILURE */
	gboolean narrow_tsr;          /* narrow TSr to 203.0.113.0/24 */
	gboolean wrong_proposal;      /* pick a transform the initiator did not offer */
	guint drop_requests;          /* do not answer this many requests */
	gboolean duplicate_responses; /* send every response twice */
	guint fragment_size; /* RFC 7383: protected responses in SKF fragments of this size */
	gboolean reverse_fragments; /* ... sent last fragment first */
	gboolean no_fragmentation;  /* no IKEV2_FRAGMENTATION_SUPPORTED in IKE_SA_INIT */
	/* Certificates (RFC 7296 §2.15): with `credential` we sign our AUTH with its key, send
	 * its certificate and, unless no_sig_hashes, SIGNATURE_HASH_ALGORITHMS (RFC 7427 §4);
	 * with `trust` the initiator's CERT must chain to it and its AUTH verify with it.
	 * Both borrowed. */
	const CryptoCredential *credential;
	const CryptoTrust *trust;
	gboolean no_sig_hashes;
	/* EAP (RFC 7296 §2.16): with eap_password, an IKE_AUTH request without AUTH starts
	 * EAP-Identity and EAP-MSCHAPv2 (RFC 2759) for eap_user (NULL: "alice"); both AUTH
	 * payloads after EAP are keyed with the MSK.  Strings borrowed. */
	const char *eap_user;
	const char *eap_password;
	gboolean eap_bad_authenticator; /* a wrong S= authenticator response (RFC 2759 §5) */
	gboolean eap_early_success;     /* EAP-Success right after the peer's MS-CHAPv2 Response */
	gboolean eap_bad_msk;           /* our final AUTH keyed with a wrong MSK */
	guint eap_mangle;               /* IkeTestEapMangle, applied to the MS-CHAPv2 Challenge */
	gboolean eap_only;         /* RFC 5998: IDr without CERT/AUTH when the initiator asks */
	gboolean eap_only_unasked; /* ... and also when it did not */
	gboolean multi_auth;       /* RFC 4739: MULTIPLE_AUTH_SUPPORTED; certificate round first */
	/* IKE SA rekeys: fixed nonces, our Ni all rekey_ni_fill, our Nr all rekey_nr_fill, to
	 * order them against the initiator's in collisions (RFC 7296 §2.8) */
	gboolean rekey_nonce_fixed;
	uint8_t rekey_ni_fill;
	uint8_t rekey_nr_fill;
	guint drop_fragments_over; /* RFC 7383 §2.5.2: SKF datagrams longer than this are lost */
} IkeTestResponderConfig;

typedef enum {
	IKE_TEST_EAP_MANGLE_NONE,
	IKE_TEST_EAP_MANGLE_LENGTH,        /* EAP Length one more than the payload */
	IKE_TEST_EAP_MANGLE_VALUE_SIZE,    /* MS-CHAPv2 Challenge Value-Size 8 */
	IKE_TEST_EAP_MANGLE_OPCODE,        /* MS-CHAPv2 OpCode 9 */
	IKE_TEST_EAP_MANGLE_SUCCESS_FIRST, /* MS-CHAPv2 Success request instead of the Challenge */
} IkeTestEapMangle;

IkeTestResponder *ike_test_responder_new(const IkeTestResponderConfig *config);
void ike_test_responder_free(IkeTestResponder *r);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(IkeTestResponder, ike_test_responder_free)

IkeTestResponderConfig *ike_test_responder_get_config(IkeTestResponder *r);

/* Feed one datagram from the initiator; answers (GBytes) are appended to `out`. */
void ike_test_responder_receive(IkeTestResponder *r, const guint8 *data, gsize len, GPtrArray *out);

/* Requests the gateway starts (RFC 7296 §1.4), appended to `out` as GBytes. */
void ike_test_responder_send_delete_ike(IkeTestResponder *r, GPtrArray *out);
void ike_test_responder_send_delete_child(IkeTestResponder *r, GPtrArray *out);
void ike_test_responder_send_liveness(IkeTestResponder *r, GPtrArray *out);
void ike_test_responder_send_rekey_child(IkeTestResponder *r, GPtrArray *out);
/* The same naming `spi` as the SA to rekey. */
void ike_test_responder_send_rekey_child_spi(IkeTestResponder *r, uint32_t spi, GPtrArray *out);
/* The same with PFS: a KE payload of `group` (0: none); the response is checked and the new
 * child's keys taken into the state. */
void ike_test_responder_send_rekey_child_ke(IkeTestResponder *r,
                                            uint32_t spi_to_rekey,
                                            uint16_t group,
                                            GPtrArray *out);
/* DELETE of our inbound Child SA `spi`. */
void ike_test_responder_send_delete_child_spi(IkeTestResponder *r, uint32_t spi, GPtrArray *out);
/* Our inbound SPI of the child the last rekey replaced. */
uint32_t ike_test_responder_get_prev_child_in(IkeTestResponder *r);
void ike_test_responder_send_rekey_ike(IkeTestResponder *r, GPtrArray *out);
/* A response with message ID `message_id` on the current SA (unsolicited, for drop tests). */
void
ike_test_responder_send_stray_response(IkeTestResponder *r, uint32_t message_id, GPtrArray *out);

/* What the responder saw and holds */
typedef struct {
	guint n_init; /* IKE_SA_INIT requests seen */
	guint n_auth;
	guint n_create_child;
	guint n_informational;
	guint n_dropped;        /* requests not answered on purpose */
	gboolean authenticated; /* the initiator's AUTH verified */
	gboolean deleted;       /* the initiator deleted the IKE SA */
	gboolean nat_seen;      /* the initiator's source hash did not match */
	guint n_child_deleted;  /* DELETEs of Child SAs received */
	uint16_t ke_group;      /* of the current IKE SA */
	uint64_t spi_i, spi_r;
	uint32_t child_spi_in; /* responder's inbound SPI = initiator's outbound */
	uint32_t child_spi_out;
	CryptoChildKeys child;  /* enc_i/integ_i: initiator -> responder */
	GPtrArray *payload_log; /* text of every request received, in order */
	uint32_t last_response_ids[8];
	guint answered_responses; /* responses to our own requests received */
	gboolean got_temporary_failure;
	uint16_t last_notify;      /* first notify of the last response to our request */
	uint8_t peer_auth_method;  /* AUTH method of the initiator's IKE_AUTH */
	guint n_peer_certs;        /* CERT payloads in it */
	gboolean peer_certreq;     /* ... and whether it had a CERTREQ */
	guint n_fragments_in;      /* SKF fragments of the initiator's requests (RFC 7383) */
	uint32_t last_deleted_spi; /* Child SA DELETE in the last response */
	guint n_child_rekeyed;     /* our child rekeys the initiator accepted */
	/* EAP */
	guint n_eap;                   /* EAP payloads received */
	char *eap_identity;            /* the EAP-Response/Identity */
	gboolean eap_password_ok;      /* the MS-CHAPv2 NT-Response verified */
	gboolean eap_failure_acked;    /* the peer acknowledged our MS-CHAPv2 Failure */
	gboolean msk_auth_ok;          /* the initiator's MSK AUTH verified */
	gboolean eap_only_asked;       /* EAP_ONLY_AUTHENTICATION in IKE_AUTH (RFC 5998) */
	gboolean multi_auth_announced; /* MULTIPLE_AUTH_SUPPORTED in IKE_SA_INIT (RFC 4739) */
	gboolean another_auth_follows; /* ANOTHER_AUTH_FOLLOWS in IKE_AUTH */
	gboolean cert_round_ok;        /* the certificate round of RFC 4739 verified */
	guint n_ike_rekeyed;           /* our IKE SA rekeys the initiator accepted */
	guint n_big_fragments_dropped; /* by drop_fragments_over */
} IkeTestResponderState;

const IkeTestResponderState *ike_test_responder_get_state(IkeTestResponder *r);

/* The gateway rekeys the IKE SA itself (RFC 7296 §1.3.2): the initiator's answer makes the
 * new SA current (we are its original initiator), the old one stays until
 * ike_test_responder_send_delete_ike_on(OLD).  When the initiator's own rekey crossed ours
 * (§2.8.2), our new SA waits as EXTRA until settle_collision says which one stays. */
typedef enum {
	IKE_TEST_GEN_CUR,
	IKE_TEST_GEN_OLD,
	IKE_TEST_GEN_EXTRA,
} IkeTestGen;
void ike_test_responder_start_rekey_ike(IkeTestResponder *r, GPtrArray *out);
void ike_test_responder_send_delete_ike_on(IkeTestResponder *r, IkeTestGen which, GPtrArray *out);
/* ours_stays: our new SA (EXTRA) becomes CUR and the initiator's EXTRA; else nothing moves. */
void ike_test_responder_settle_collision(IkeTestResponder *r, gboolean ours_stays);
void ike_test_responder_forget(IkeTestResponder *r, IkeTestGen which);
uint64_t ike_test_responder_get_spi(IkeTestResponder *r, IkeTestGen which, gboolean initiator);

G_END_DECLS
