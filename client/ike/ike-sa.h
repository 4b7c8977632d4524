/* ike-sa.h - the sans-I/O IKEv2 initiator: one IKE SA and its Child SAs
 *
 * The engine never touches a socket or a clock (DESIGN.md "Sans-I/O engine").  Inputs:
 * ike_sa_connect()/ike_sa_disconnect()/ike_sa_rekey_child() (commands), ike_sa_receive()
 * (a datagram arrived), ike_sa_tick() (time is now T).  Outputs, through IkeSaCallbacks
 * invoked synchronously from those calls: datagrams to send, events (state, timeline,
 * keys to install, configuration, failure).  ike_sa_get_deadline() tells the caller when
 * to tick next.  Times are monotonic microseconds (g_get_monotonic_time() in production).
 * Callbacks must not free the IkeSa nor call back into it; defer that to the main loop.
 */
#pragma once

#include <gio/gio.h>

#include "crypto-cert.h"
#include "crypto-xform.h"
#include "ferry-secret.h"
#include "ike-message.h"

G_BEGIN_DECLS

typedef struct _IkeSa IkeSa;

typedef enum {
	IKE_STATE_IDLE,
	IKE_STATE_INIT_SENT,
	IKE_STATE_AUTH_SENT,
	IKE_STATE_ESTABLISHED,
	IKE_STATE_REKEYING,
	IKE_STATE_DELETING,
	IKE_STATE_CLOSED,
} IkeState;

const char *ike_state_to_string(IkeState state);

/* An address as the engine sees it: for NAT detection hashes (RFC 7296 §2.23) and TS. */
typedef struct {
	int family; /* AF_INET or AF_INET6 */
	uint8_t addr[16];
	uint16_t port;
} IkeAddr;

/* IkeSaConfig.dpd_s: never send a liveness check (RFC 7296 §1.4 leaves them to the client). */
#define IKE_DPD_OFF G_MAXUINT

typedef struct {
	/* owned by the caller, copied by ike_sa_new() */
	const IkeProposal *ike_proposals; /* protocol IKE */
	guint n_ike_proposals;
	const IkeProposal *child_proposals; /* protocol ESP or AH; a KE transform means PFS */
	guint n_child_proposals;
	uint8_t local_id_type; /* IKE_ID_* */
	FerrySpan local_id;    /* encoded ID data (FQDN text, 4/16 address bytes, ...) */
	uint8_t remote_id_type; /* 0 = do not send IDr and accept any */
	FerrySpan remote_id;
	const FerrySecret *psk; /* secret, copied; unused when both sides use certificates */
	/* Certificates (RFC 7296 §2.15, §3.6, §3.7), both borrowed (they must outlive the SA).
	 * credential: we authenticate with its key (CERT + signature AUTH) instead of the PSK.
	 * trust: the gateway must authenticate with a certificate chaining to it, naming its
	 * IDr and remote_id_name; NULL: the gateway authenticates with the PSK. */
	const CryptoCredential *credential;
	const CryptoTrust *trust;
	const char *remote_id_name; /* copied; identity text the certificate must name, or NULL */
	gboolean rsa_pss;           /* sign with RSASSA-PSS when our key is RSA (RFC 7427) */
	gboolean send_certreq;      /* CERTREQ with the hashes of trust's CAs */
	/* EAP (RFC 7296 §2.16): with eap_identity we authenticate as this user by EAP instead of
	 * an AUTH payload of our own: EAP-TLS (RFC 5216) with `credential` when set, else
	 * EAP-MSCHAPv2 with eap_password; the gateway by certificate (trust).  Both copied. */
	const char *eap_identity;
	const FerrySecret *eap_password; /* secret */
	/* RFC 5998: send EAP_ONLY_AUTHENTICATION and accept a gateway that skips CERT and AUTH in
	 * its first response; it is then authenticated by the EAP method (mutual, key-generating)
	 * and by its AUTH keyed with the MSK.  Without it such a gateway is refused. */
	gboolean eap_only;
	/* RFC 4739 (auth cert+eap): authenticate with `credential` first, then in a second round
	 * as eap_identity by EAP-MSCHAPv2 with eap_password; needs the gateway's
	 * MULTIPLE_AUTH_SUPPORTED. */
	gboolean multi_auth;
	gboolean request_ip4;
	gboolean request_ip6;
	const IkeTs *ts_remote; /* what we want to reach (TSr); NULL/0 = 0.0.0.0/0 and ::/0 */
				/* (each only for a family we ask an address of, or the local
				 * address's family without request_ip4/6) */
	guint n_ts_remote;
	gboolean transport_mode; /* USE_TRANSPORT_MODE (RFC 7296 §1.3.1) */
	gboolean force_encap; /* pretend NAT: go to 4500 at once (RFC 7296 §2.23) */
	IkeAddr local_addr;
	IkeAddr remote_addr;
	/* timers in seconds; 0 = defaults (see ike-retransmit.h) */
	guint ike_rekey_s;
	guint child_rekey_s;
	guint dpd_s; /* IKE_DPD_OFF: no liveness checks of our own */
	guint retransmit_tries;      /* sends of one request before giving up */
	guint retransmit_base_ms;    /* first timeout; doubles per try (RFC 7296 §2.1) */
} IkeSaConfig;

/* Keys and parameters of one direction of a Child SA, for the datapath. */
typedef struct {
	uint32_t spi;
	CryptoXformAlg alg;
	/* secret */
	FerrySecret *enc_key;
	FerrySecret *integ_key; /* NULL with AEAD */
} IkeChildDir;

typedef struct {
	uint8_t protocol; /* IKE_PROTO_ESP or IKE_PROTO_AH */
	gboolean transport_mode;
	gboolean esn;
	IkeChildDir in;  /* responder -> us; spi = the one we chose */
	IkeChildDir out; /* us -> responder; spi = the responder's */
	uint16_t ke_group; /* PFS group of this child, 0 if none */
	guint n_tsi, n_tsr;
	IkeTs tsi[IKE_MAX_TS];
	IkeTs tsr[IKE_MAX_TS];
	guint rekey_s; /* soft lifetime */
} IkeChildSa;

/* Configuration the gateway assigned (RFC 7296 §3.15). */
typedef struct {
	gboolean has_ip4;
	uint8_t ip4[4];
	guint ip4_prefix; /* 32 when no netmask was given */
	gboolean has_ip6;
	uint8_t ip6[16];
	guint ip6_prefix;
	GPtrArray *dns; /* element-type utf8: "198.51.100.53", "2001:db8::53" */
	GPtrArray *domains; /* INTERNAL_DNS_DOMAIN / UNITY domains */
	GPtrArray *subnets; /* INTERNAL_IP4/6_SUBNET as "a.b.c.d/n" */
} IkeConfig;

typedef enum {
	IKE_EVENT_STATE_CHANGED,     /* state */
	IKE_EVENT_MESSAGE_SENT,      /* exchange, message_id, n_bytes, retransmit, payloads */
	IKE_EVENT_MESSAGE_RECEIVED,  /* exchange, message_id, n_bytes, payloads */
	IKE_EVENT_IKE_PROPOSAL,      /* chosen: text "AES_GCM_16_256/PRF_HMAC_SHA2_256/CURVE25519" */
	IKE_EVENT_KE_RETRY,          /* INVALID_KE_PAYLOAD: ke_group = the group asked for */
	IKE_EVENT_COOKIE,            /* responder asked for a cookie */
	IKE_EVENT_NAT_DETECTED,      /* nat_local / nat_remote; caller moves to port 4500 */
	IKE_EVENT_AUTHENTICATED,     /* peer authenticated: text = method and peer id */
	IKE_EVENT_CONFIG,            /* config */
	IKE_EVENT_CHILD_INSTALL,     /* child: install both SAs (inbound first).  The keys are
				      * valid during the callback only: copy them; the engine
				      * wipes its copy right after (DESIGN.md "Keys and secrets") */
	IKE_EVENT_CHILD_DELETE,      /* child: retire SAs with these SPIs */
	IKE_EVENT_REKEYED,           /* sa_kind: which SA; peer_initiated; text */
	IKE_EVENT_DPD,               /* liveness check sent / answered */
	IKE_EVENT_CLOSED,            /* error: NULL on a clean close, ours or (peer_closed) the
				      * gateway's DELETE of the IKE SA or of our only Child SA */
} IkeEventType;

/* Which kind of SA an event is about. */
typedef enum {
	IKE_SA_KIND_NONE,
	IKE_SA_KIND_IKE,
	IKE_SA_KIND_CHILD,
} IkeSaKind;

typedef struct {
	IkeEventType type;
	gint64 time_us;
	IkeState state;
	uint8_t exchange;
	uint32_t message_id;
	gsize n_bytes;
	gboolean retransmit;
	const char *payloads;   /* "SA KE Ni N(NAT_DETECTION_SOURCE_IP) ..." */
	const char *text;
	uint16_t ke_group;
	gboolean nat_local, nat_remote;
	const IkeConfig *config;
	const IkeChildSa *child;
	const GError *error;    /* FERRY_ERROR_* with a message naming who failed and why */
	IkeSaKind sa_kind;       /* REKEYED */
	gboolean peer_initiated; /* REKEYED: the gateway started the exchange */
	gboolean peer_closed;    /* CLOSED: the gateway deleted the IKE SA (RFC 7296 §1.4.1) */
	/* AUTHENTICATED: how the gateway proved itself ("PSK", "certificate", "EAP-only"), its
	 * identity as text, and for certificates the signature scheme ("RSASSA-PSS SHA-384"). */
	const char *auth_method;
	const char *peer_id;
	const char *sig_scheme;
} IkeEvent;

typedef struct {
	/* Send one datagram (no non-ESP marker: the caller adds it on port 4500). */
	void (*send)(gpointer user_data, const uint8_t *data, gsize len);
	void (*event)(gpointer user_data, const IkeEvent *event);
} IkeSaCallbacks;

/* (transfer full) */
IkeSa *ike_sa_new(const IkeSaConfig *config,
		  const IkeSaCallbacks *callbacks,
		  gpointer user_data,
		  GError **error);
void ike_sa_free(IkeSa *sa);

IkeState ike_sa_get_state(const IkeSa *sa);
/* TRUE once NAT was detected or forced: datagrams go to port 4500 with the marker. */
gboolean ike_sa_get_use_natt(const IkeSa *sa);
/* Monotonic time of the next tick wanted, or G_MAXINT64 for none. */
gint64 ike_sa_get_deadline(const IkeSa *sa);

void ike_sa_connect(IkeSa *sa, gint64 now_us);
/* Send DELETE for the IKE SA (children go with it) and close once answered or timed out. */
void ike_sa_disconnect(IkeSa *sa, gint64 now_us);
void ike_sa_rekey_child(IkeSa *sa, gint64 now_us);
void ike_sa_rekey_ike(IkeSa *sa, gint64 now_us);
void ike_sa_receive(IkeSa *sa, const uint8_t *data, gsize len, gint64 now_us);
void ike_sa_tick(IkeSa *sa, gint64 now_us);
/* Send an empty INFORMATIONAL now (RFC 7296 §1.4) instead of waiting for the DPD interval;
 * e.g. after the local network changed.  A no-op unless ESTABLISHED. */
void ike_sa_check_liveness(IkeSa *sa, gint64 now_us);

/* What the engine dropped or repeated, for diagnostics (peer input is counted, not logged). */
typedef struct {
	guint64 dropped_malformed;   /* undecodable, breaking the exchange rules, bad ICV */
	guint64 dropped_spi;         /* IKE SPIs of no SA of ours */
	guint64 dropped_message_id;  /* neither the request in flight nor the next expected */
	guint64 ignored_retransmits; /* a response to a request already answered */
	guint64 retransmits;         /* our requests sent again (RFC 7296 §2.1) */
	guint64 answered_requests;   /* gateway-initiated requests we answered */
} IkeSaCounters;

/* (transfer none) */
const IkeSaCounters *ike_sa_get_counters(const IkeSa *sa);

/* Free the child's secrets and config lists. */
void ike_child_sa_clear(IkeChildSa *child);
void ike_config_clear(IkeConfig *config);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(IkeSa, ike_sa_free)

G_END_DECLS
