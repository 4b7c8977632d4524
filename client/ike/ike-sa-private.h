/* ike-sa-private.h - the IkeSa instance struct and the functions the exchange files share */
#pragma once

#include "crypto-eap.h"
#include "crypto-ke.h"
#include "crypto-keymat.h"
#include "ike-proposal.h"
#include "ike-retransmit.h"
#include "ike-sk.h"
#include "ike-sa.h"
#include "ike-state.h"

G_BEGIN_DECLS

#define IKE_NONCE_LEN       32 /* ours; RFC 7296 §2.10: at least half the PRF key size */
#define IKE_NONCE_MIN       16 /* RFC 7296 §3.9 */
#define IKE_NONCE_MAX       256
#define IKE_MAX_OUT         24 /* payloads in one message we build */
#define IKE_MAX_COOKIES     3  /* COOKIE round trips before we call it a loop */
#define IKE_MAX_KE_RETRY    2  /* INVALID_KE_PAYLOAD round trips */
#define IKE_MAX_COOKIE_LEN  64 /* RFC 7296 §2.6 */
#define IKE_MAX_CERTREQ_CAS 16 /* CA hashes in our CERTREQ */
#define IKE_MAX_EAP_ROUNDS  16 /* IKE_AUTH exchanges carrying EAP before we give up */
/* RFC 7383 §2.5.1: IKE_AUTH larger than this goes out in fragments of at most this size (the
 * IPv6 minimum MTU 1280 less IPv6, UDP and non-ESP marker headers, so it fits either family) */
#define IKE_FRAGMENT_SIZE   1228
#define IKE_MAX_OUT_FRAGS   16
/* RFC 7383 §2.5.2: a fragmented request retransmitted this many times without an answer goes
 * out again in fragments for the minimum IPv4 path MTU, 576 bytes less IPv4 and UDP headers
 * (and the non-ESP marker on port 4500); the IPv6 size above is the minimum already. */
#define IKE_REFRAGMENT_AFTER       2
#define IKE_FRAGMENT_SIZE_IPV4_MIN (576 - 20 - 8)

/* The request in flight, by purpose (RFC 7296 §2.3: the client keeps a window of one). */
typedef enum {
	IKE_XCHG_NONE,
	IKE_XCHG_INIT,
	IKE_XCHG_AUTH,
	IKE_XCHG_REKEY_CHILD,
	IKE_XCHG_REKEY_IKE,
	IKE_XCHG_DELETE_CHILD,
	IKE_XCHG_DELETE_REDUNDANT, /* a Child SA a rekey collision left over (RFC 7296 §2.8.1) */
	IKE_XCHG_DELETE_IKE,
	IKE_XCHG_DPD,
} IkeXchg;

/* One generation of IKE SA keys and message counters.  A rekey (RFC 7296 §2.18) makes a new
 * one; the old one lives on only to send its DELETE. */
typedef struct {
	uint64_t spi_i; /* of the original initiator of this generation */
	uint64_t spi_r;
	/* The gateway started the rekey that made this SA: it is the original initiator, we
	 * clear I and our SPI is spi_r (RFC 7296 §2.18, §3.1). */
	gboolean responder;
	uint16_t prf_id;
	CryptoXformAlg alg;
	uint32_t next_id;      /* message ID of our request in flight or the next one */
	uint32_t peer_next_id; /* next request ID we expect from the gateway */
	IkeXchg inflight;
	IkeRetransmit rt;
	char *payloads; /* text of the request in flight, for the retransmit events */
	/* RFC 7383: the request in flight as fragments: rt.data holds them back to back */
	gsize frag_lens[IKE_MAX_OUT_FRAGS];
	guint n_frags;           /* 0 = one datagram */
	gboolean refragmented;   /* RFC 7383 §2.5.2: split again at the minimum path MTU */
	FerrySecret *frag_chain; /* the inner payloads of those fragments (AUTH among them) */
	uint8_t frag_first;      /* ... and the type of the first */
	/* owned: our last response, resent when the gateway repeats its request (§2.1) */
	guint8 *last_response;
	gsize last_response_len;
	uint32_t last_response_id;
	/* secret */
	CryptoIkeKeys keys;
	CryptoXform *x_out;
	CryptoXform *x_in;
} IkeSaGen;

/* A CREATE_CHILD_SA we started (rekey of the Child SA or the IKE SA). */
typedef struct {
	uint32_t spi_in; /* child: our new inbound SPI */
	uint64_t spi_i;  /* IKE: our new SPI */
	uint8_t ni[IKE_NONCE_LEN];
	guint ke_retries;
	/* secret */
	CryptoKe *ke; /* PFS or IKE rekey */
} IkeRekeyCtx;

struct _IkeSa {
	/* owned: the configuration, with pointers into the copies below */
	IkeSaConfig config;
	IkeProposal *ike_proposals;
	IkeProposal *child_proposals;
	guint8 *local_id;
	guint8 *remote_id;
	char *remote_id_name;
	char *eap_identity;
	IkeTs *ts_remote;
	IkeSaCallbacks cb;
	/* borrowed */
	gpointer user_data;

	IkeState state;
	gboolean closed;      /* IKE_EVENT_CLOSED was emitted */
	gboolean peer_closed; /* ... after the gateway's DELETE */
	IkeSaCounters counters;
	GError *close_error; /* why we are deleting, reported once the DELETE is done */

	/* IKE_SA_INIT */
	uint8_t ni[IKE_NONCE_LEN];
	uint8_t nr[IKE_NONCE_MAX];
	gsize nr_len;
	guint8 cookie[IKE_MAX_COOKIE_LEN];
	gsize cookie_len;
	guint n_cookies;
	guint n_ke_retries;
	guint8 *init_request; /* RFC 7296 §2.15: signed by our AUTH */
	gsize init_request_len;
	guint8 *init_response; /* signed by theirs */
	gsize init_response_len;
	IkeProposal ike_chosen;
	gboolean use_natt;
	gboolean nat_local;
	gboolean nat_remote;
	gboolean peer_fragmentation;
	uint32_t peer_hashes; /* SIGNATURE_HASH_ALGORITHMS as a hash set (RFC 7427 §4), 0 = none */

	IkeSaGen cur;
	IkeSaGen *old; /* rekeyed away: our DELETE in flight, or waiting for the gateway's */
	/* RFC 7296 §2.8.2: the gateway's rekey of the IKE SA we answered while ours was in
	 * flight, and the lowest nonce of that exchange; then the new SA the lowest nonce made
	 * redundant, until its DELETE (ours answered, or the gateway's received). */
	IkeSaGen *peer_new;
	uint8_t peer_new_low[IKE_NONCE_MAX];
	gsize peer_new_low_len;
	IkeSaGen *redundant;

	/* the Child SA (keys only ever in the CHILD_INSTALL event) */
	gboolean has_child;
	IkeChildSa child;
	uint32_t auth_spi_in; /* our SPI offered in IKE_AUTH */
	uint32_t old_spi_in;  /* rekeyed-away child whose DELETE is pending or in flight */
	uint32_t old_spi_out;
	gboolean want_child_delete;
	/* RFC 7296 §2.8.1: the gateway's rekey of the child answered while ours was in flight
	 * (lowest nonce of its exchange), then the Child SA that lost, until deleted */
	gboolean child_collision;
	uint8_t child_peer_low[IKE_NONCE_MAX];
	gsize child_peer_low_len;
	uint32_t redundant_spi_in;
	uint32_t redundant_spi_out;
	gboolean redundant_installed; /* in the datapath: CHILD_DELETE when it goes */
	gboolean want_redundant_delete;
	gboolean want_rekey_child;
	gboolean want_rekey_ike;
	gboolean want_dpd;
	gboolean want_delete; /* disconnect asked for while a request was in flight */
	IkeRekeyCtx rekey;

	/* timers (monotonic µs; G_MAXINT64 = off) */
	gint64 last_rx_us;
	gint64 dpd_deadline;
	gint64 child_rekey_deadline;
	gint64 ike_rekey_deadline;

	/* EAP rounds of IKE_AUTH (RFC 7296 §2.16) */
	gboolean gateway_verified; /* its first response checked (AUTH, or RFC 5998) */
	gboolean gateway_by_eap;   /* RFC 5998: no AUTH; the EAP method and MSK AUTH vouch */
	gboolean peer_multi_auth;  /* MULTIPLE_AUTH_SUPPORTED in IKE_SA_INIT (RFC 4739 §3) */
	gboolean cert_round_done;  /* RFC 4739: our certificate round was accepted */
	gboolean eap_auth_sent;    /* our MSK AUTH went out: the next response is the last */
	guint eap_rounds;
	GError *eap_error; /* EAP failed: reported once the gateway answered our Failure ack */
	guint8 *idr_body;  /* the gateway's IDr payload body, for its MSK AUTH */
	gsize idr_body_len;
	guint8 *eap_idi_body; /* RFC 4739: the IDi of the EAP round, which our AUTH covers */
	gsize eap_idi_body_len;

	/* secret */
	FerrySecret *psk;
	FerrySecret *eap_password;
	CryptoEapPeer *eap;
	CryptoKe *ke;

	/* owned scratch, allocated once: decoded message, payloads being built, output */
	IkeMessage *msg;
	IkeFragBuffer frag; /* RFC 7383 reassembly into frag_storage */
	guint8 *frag_storage;
	IkePayload *out;
	gsize n_out;
	guint8 *obuf;
};

/* ike-sa.c: output and shared helpers */
void ike_sa_emit(IkeSa *sa, IkeEvent *event, gint64 now_us);
/* Emit IKE_EVENT_CLOSED with `error` (taken; NULL for a clean close) and move to CLOSED. */
void ike_sa_close(IkeSa *sa, GError *error, gint64 now_us);
/* Start building a message: clears the payload list. */
void ike_sa_out_reset(IkeSa *sa);
/* A zeroed payload of `type` appended to the list; NULL when the list is full. */
IkePayload *ike_sa_out_add(IkeSa *sa, uint8_t type);
IkePayload *ike_sa_out_add_notify(
	IkeSa *sa, uint16_t notify_type, uint8_t protocol, FerrySpan spi, FerrySpan data);
/* Encode the payload list as a request of `exchange` on `gen` (IKE_SA_INIT in the clear,
 * the rest in SK), send it, and keep it for retransmission. */
gboolean ike_sa_send_request(
	IkeSa *sa, IkeSaGen *gen, IkeXchg xchg, uint8_t exchange, gint64 now_us, GError **error);
/* Encode the payload list as our response to the gateway's request `message_id`. */
gboolean ike_sa_send_response(IkeSa *sa,
                              IkeSaGen *gen,
                              uint8_t exchange,
                              uint32_t message_id,
                              gint64 now_us,
                              GError **error);
/* IKE_EVENT_MESSAGE_SENT for a message of ours (first send or retransmission). */
void ike_sa_emit_sent(IkeSa *sa,
                      const IkeHeader *hdr,
                      gsize len,
                      gboolean retransmit,
                      const char *payloads,
                      gint64 now_us);
/* Send bytes (first or retransmitted) through the callback. */
void ike_sa_send_raw(IkeSa *sa, const guint8 *data, gsize len);
/* Send the request in flight of `gen` (rt.data): one datagram, or its fragments. */
void ike_sa_send_inflight(IkeSa *sa, IkeSaGen *gen);
/* RFC 7383 §2.5.2: split the fragmented request in flight again into smaller fragments, same
 * message ID; FALSE (nothing changed) when there is no smaller size or it does not fit. */
gboolean ike_sa_refragment(IkeSa *sa, IkeSaGen *gen);
/* "SA KE No N(NAT_DETECTION_SOURCE_IP)" (transfer full) */
char *ike_sa_render_payloads(const IkePayload *p, gsize n, gboolean inner_only);
/* A random SPI for a Child SA: never 0 or the reserved 1-255 (RFC 4303 §2.1). */
uint32_t ike_sa_new_child_spi(void);
/* Create the SK transforms of `gen` from its keys. */
gboolean ike_sa_gen_make_xforms(IkeSaGen *gen, GError **error);
void ike_sa_gen_clear(IkeSaGen *gen);
/* A fresh generation with the configured retransmission (transfer full). */
IkeSaGen *ike_sa_gen_new(IkeSa *sa);
/* Forget one of the generations besides cur (old, peer_new, redundant) and free it. */
void ike_sa_gen_drop(IkeSa *sa, IkeSaGen *gen);
/* Re-arm DPD and rekey deadlines after an SA or Child SA came up. */
void ike_sa_arm_timers(IkeSa *sa, gboolean ike, gboolean child, gint64 now_us);
/* The message of a notify the gateway sent, e.g. "TS_UNACCEPTABLE" or "notify 12345". */
const char *ike_sa_notify_name(uint16_t type);

/* ike-xchg-init.c (RFC 7296 §1.2) */
gboolean ike_xchg_init_build_request(IkeSa *sa, gint64 now_us, GError **error);
gboolean ike_xchg_init_process_response(
	IkeSa *sa, const guint8 *raw, gsize raw_len, gint64 now_us, GError **error);

/* ike-xchg-auth.c (RFC 7296 §1.2, §2.15) */
gboolean ike_xchg_auth_build_request(IkeSa *sa, gint64 now_us, GError **error);
gboolean ike_xchg_auth_process_response(IkeSa *sa, gint64 now_us, GError **error);
/* Derive a Child SA's keys (RFC 7296 §2.17) into `child` from the negotiated proposal. */
gboolean ike_xchg_derive_child(IkeSa *sa,
                               const IkeProposal *chosen,
                               const FerrySecret *shared,
                               const uint8_t *ni,
                               gsize ni_len,
                               const uint8_t *nr,
                               gsize nr_len,
                               IkeChildSa *child,
                               GError **error);
/* Check a response's SA, TSi and TSr against our offer (RFC 7296 §2.7, §2.9) and fill the
 * outbound SPI, selectors and mode of `child`; Child SA error notifies become errors. */
gboolean ike_xchg_child_accept(IkeSa *sa,
                               const IkeMessage *m,
                               const IkeTs *tsi_offer,
                               guint n_tsi_offer,
                               const IkeTs *tsr_offer,
                               guint n_tsr_offer,
                               gboolean with_ke,
                               IkeProposal *chosen,
                               IkeChildSa *child,
                               GError **error);
/* Emit CHILD_INSTALL, then wipe the keys and keep the rest as the current child. */
void ike_xchg_install_child(IkeSa *sa, IkeChildSa *child, gint64 now_us);

/* ike-xchg-child.c (RFC 7296 §1.3, §2.8) */
gboolean ike_xchg_child_build_request(IkeSa *sa, gint64 now_us, GError **error);
gboolean ike_xchg_child_process_response(IkeSa *sa, gint64 now_us, GError **error);
/* A CREATE_CHILD_SA the gateway started. */
gboolean ike_xchg_child_process_request(
	IkeSa *sa, IkeSaGen *gen, uint32_t message_id, gint64 now_us, GError **error);
void ike_rekey_ctx_clear(IkeRekeyCtx *ctx);
/* Shared by both rekeys: a fresh KE of `group` in `ctx`; KE payload of `ke`; the gateway
 * refused for now (retry in IKE_REKEY_RETRY_S); INVALID_KE_PAYLOAD asking for a group of
 * `offers` (`retried`: a new KE is in sa->rekey); g^ir of a response (NULL without KE); its
 * nonce; IKE_EVENT_REKEYED. */
gboolean ike_xchg_rekey_make_ke(IkeRekeyCtx *ctx, uint16_t group, GError **error);
void ike_xchg_rekey_add_ke(IkeSa *sa, CryptoKe *ke);
gboolean ike_xchg_rekey_postpone(IkeSa *sa, gboolean ike, const IkeNotifyPayload *n, gint64 now_us);
gboolean ike_xchg_rekey_retry_ke(IkeSa *sa,
                                 const IkeNotifyPayload *n,
                                 const IkeProposal *offers,
                                 guint n_offers,
                                 gboolean *retried,
                                 GError **error);
gboolean ike_xchg_rekey_compute_shared(
	IkeSa *sa, const IkeMessage *m, uint16_t group, FerrySecret **shared, GError **error);
const IkePayload *ike_xchg_rekey_find_nonce(const IkeMessage *m, GError **error);
void
ike_xchg_emit_rekeyed(IkeSa *sa, IkeSaKind kind, gboolean by_peer, const char *text, gint64 now_us);
/* RFC 7296 §2.8.1: the lower nonce of an exchange into `out` (IKE_NONCE_MAX bytes), its
 * length; whether the exchange with nonces `a` and `b` holds the lowest of a collision's
 * four, `other` being the other exchange's lower one. */
gsize ike_nonce_keep_lower(FerrySpan a, FerrySpan b, uint8_t *out);
gboolean ike_nonce_holds_lowest(FerrySpan a, FerrySpan b, const uint8_t *other, gsize other_len);
/* RFC 7296 §2.7: a proposal of the gateway's `offer` within `ours` (only PRF `prf` unless 0),
 * preferring KE group `kei_group`; 0 or the error notify to answer (INVALID_KE_PAYLOAD
 * with `want_group`). */
uint16_t ike_xchg_select_proposal(const IkeProposal *ours,
                                  guint n_ours,
                                  uint16_t prf,
                                  const IkeSaPayload *offer,
                                  uint16_t kei_group,
                                  IkeProposal *chosen,
                                  uint16_t *want_group);

/* ike-xchg-ike-rekey.c (RFC 7296 §1.3.2, §2.8.2, §2.18) */
gboolean ike_xchg_ike_rekey_build_request(IkeSa *sa, gint64 now_us, GError **error);
gboolean ike_xchg_ike_rekey_process_response(IkeSa *sa, gint64 now_us, GError **error);
/* The gateway's rekey of the IKE SA: answered from here (0; FALSE in `ok` on a local
 * failure), or the error notify to answer instead. */
uint16_t ike_xchg_ike_rekey_process_request(IkeSa *sa,
                                            uint32_t message_id,
                                            gint64 now_us,
                                            uint16_t *want_group,
                                            gboolean *ok,
                                            GError **error);
/* Make the gateway's new IKE SA (sa->peer_new) current; the one it replaced becomes sa->old
 * awaiting the gateway's DELETE, or goes at once when `old_deleted`. */
void ike_xchg_ike_rekey_take_peer(IkeSa *sa, gboolean old_deleted, gint64 now_us);

/* ike-xchg-info.c (RFC 7296 §1.4, §2.4) */
gboolean
ike_xchg_info_build_request(IkeSa *sa, IkeSaGen *gen, IkeXchg xchg, gint64 now_us, GError **error);
gboolean ike_xchg_info_process_response(
	IkeSa *sa, IkeSaGen *gen, IkeXchg xchg, gint64 now_us, GError **error);
gboolean ike_xchg_info_process_request(
	IkeSa *sa, IkeSaGen *gen, uint32_t message_id, gint64 now_us, GError **error);
/* Send the payloads built so far as an INFORMATIONAL request once, not retransmitted and
 * its answer not awaited (we are closing anyway; RFC 7296 §2.21.2). */
void ike_xchg_info_send_once(IkeSa *sa, gint64 now_us);
/* The same with DELETE for the IKE SA. */
void ike_xchg_info_send_delete_once(IkeSa *sa, gint64 now_us);

G_END_DECLS
