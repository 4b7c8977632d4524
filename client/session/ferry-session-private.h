/* ferry-session-private.h - FerrySession's instance struct and the helpers its files share
 *
 * ferry-session.c          the GObject, lifecycle, engine callbacks and main-loop sources
 * ferry-session-config.c   profile -> IkeSaConfig (proposals, identities, selectors)
 * ferry-session-events.c   IkeEvent -> FerryEvent details
 * ferry-session-net.c      addresses, routes and DNS for the tunnel, and their removal
 */
#pragma once

#include "ferry-session.h"
#include "ike-sa.h"
#include "io-datapath.h"
#include "io-dns.h"
#include "io-netlink.h"
#include "io-record.h"
#include "io-tun.h"
#include "io-udp.h"

G_BEGIN_DECLS

#define FERRY_SESSION_DISCONNECT_WAIT_MS 2000        /* for the answer to our DELETE */
#define FERRY_SESSION_REPLAY_WINDOW      1024        /* packets (RFC 4303 §3.4.3: 32 at least) */
#define FERRY_SESSION_MAX_PREFIXES       64          /* per traffic selector */
#define FERRY_SESSION_DPD_OFF_S          IKE_DPD_OFF /* no liveness checks of our own */

/* An address prefix: what a route or an address needs. */
typedef struct {
	int family; /* AF_INET or AF_INET6 */
	uint8_t addr[16];
	guint len;
} FerryPrefix;

/* The engine configuration built from a profile, with the storage its pointers use. */
typedef struct {
	IkeSaConfig sa;
	/* owned */
	GArray *ike_proposals;   /* IkeProposal */
	GArray *child_proposals; /* IkeProposal */
	GByteArray *local_id;
	GByteArray *remote_id;
	GArray *ts_remote;            /* IkeTs */
	CryptoTrust *trust;           /* auth cert: the gateway's CAs */
	CryptoCredential *credential; /* auth cert: our certificate and key */
} FerrySessionEngineConfig;

struct _FerrySession {
	GObject parent_instance;

	/* owned: settings */
	FerryProfile *profile;
	FerryProfileSecrets *secrets;
	char *tun_template;
	char *resolv_conf;
	char *run_dir;
	gboolean apply_dns;
	gboolean configure_network;
	guint retransmit_tries;
	guint retransmit_base_ms;

	/* owned: run state */
	CryptoTrust *trust;           /* borrowed by ike (auth cert) */
	CryptoCredential *credential; /* borrowed by ike (auth cert) */
	GMainContext *context;
	GCancellable *cancellable;
	FerrySessionState state;
	GError *error;
	const char *down_reason;
	gint64 t0_us;
	gboolean was_up;
	gboolean user_disconnect;
	gboolean finishing; /* tearing down: engine events can no longer end the session */
	gboolean natt;      /* IKE and ESP on port 4500 */
	gboolean nat_local; /* we are behind a NAT: send keepalives */
	GInetAddress *gateway;
	IoTun *tun;
	IoUdp *udp;
	IoDatapath *dp;
	int esp_fd; /* raw ESP socket when not encapsulating, else -1 */
	IkeSa *ike;
	IkeConfig config;
	gboolean has_config;
	FerrySessionStats final_stats;
	guint8 *rx_buf;

	/* owned: network configuration (ferry-session-net.c) */
	IoRecord *record; /* what we changed, on disk for a cleanup after a crash */
	IoNetlink *nl;
	IoDns *dns;
	GPtrArray *routes; /* "0.0.0.0/0" as the selectors said, for the "up" event */
	gboolean network_up;

	/* owned: sources on `context` */
	GSource *timer;
	GSource *ike_source;
	GSource *dp_source;
	GSource *disconnect_timeout;
	GSource *finish_source;
};

/* ferry-session.c */
void ferry_session_emit(FerrySession *self, FerryEventType type, GVariant *details);

/* ferry-session-config.c */
gboolean ferry_session_engine_config_init(FerrySessionEngineConfig *config,
                                          const FerryProfile *profile,
                                          const FerryProfileSecrets *secrets,
                                          const IoAddr *local,
                                          const IoAddr *remote,
                                          GError **error);
void ferry_session_engine_config_clear(FerrySessionEngineConfig *config);
/* Identity text -> IKE ID type and data (RFC 7296 §3.5), strongSwan's conventions:
 * an IP literal, "@fqdn" or "fqdn" (FQDN), "user@host" (RFC822_ADDR), "@#hex" (KEY_ID). */
gboolean ferry_session_parse_id(
	const char *text, const char *field, uint8_t *type, GByteArray *data, GError **error);
/* "198.51.100.0/24", "2001:db8::/32" or "198.51.100.10-198.51.100.20" -> a selector. */
gboolean ferry_session_parse_ts(const char *text, IkeTs *ts);

/* RFC 3948 §4: the NAT keepalive interval in seconds for the datapath, 0 for none.  Only the
 * side behind a NAT keeps its mapping alive: keepalives go out when UDP encapsulation is on
 * (@natt) and either the NAT_DETECTION_DESTINATION_IP hash showed a NAT in front of us
 * (@nat_local), or the profile forces encapsulation (encap=force, a NAT the detection cannot
 * see) and its nat-keepalive is not 0.  Encapsulation the gateway asked for, or a NAT in
 * front of the gateway, gets none. */
guint
ferry_session_keepalive_interval(const FerryProfile *profile, gboolean natt, gboolean nat_local);

/* RFC 4303 §3.3.3: without ESN the outbound sequence number must not wrap, so a Child SA is
 * rekeyed FERRY_SESSION_SEQ_SOFT_MARGIN packets before 2^32 - 1 (the datapath raises its soft
 * flag there; esp_seal refuses at the end).  With ESN (2^64) no packet limit is needed. */
#define FERRY_SESSION_SEQ_SOFT_MARGIN (UINT64_C(1) << 24)
/* The soft packet lifetime of an ESP/AH SA, 0 for none. */
guint64 ferry_session_soft_packets(gboolean esn);

/* ferry-session-events.c */
/* Translate one engine event into timeline details; NULL for events not shown. */
GVariant *
ferry_session_event_details(FerrySession *self, const IkeEvent *event, FerryEventType *type);
char *ferry_session_child_proposal(const IkeChildSa *child);
GVariant *ferry_session_ts_list(const IkeTs *ts, guint n);

/* ferry-session-net.c */
/* The prefixes that cover exactly the addresses of @ts (at most
 * FERRY_SESSION_MAX_PREFIXES); FALSE for an invalid selector. */
gboolean ferry_session_ts_to_prefixes(const IkeTs *ts, GArray *prefixes);
char *ferry_prefix_to_string(const FerryPrefix *prefix);
/* Addresses, routes (the gateway's exception first) and DNS for the first Child SA. */
gboolean ferry_session_net_up(FerrySession *self, const IkeChildSa *child, GError **error);
void ferry_session_net_down(FerrySession *self);

G_END_DECLS
