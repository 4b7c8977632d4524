/* ferry-session.h - FerrySession: one VPN connection, from a profile to a working tunnel
 *
 * The public facade of libferry (DESIGN.md).  A session binds a FerryProfile and its secrets
 * to the sans-I/O IKE engine, the ESP datapath thread and the operating system (TUN device,
 * addresses, routes, DNS), and drives them from the GMainContext that was the thread default
 * when ferry_session_connect() was called.  Progress is reported as timeline events
 * (FerryEvent, "timeline" signal) and state changes ("state-changed").
 */
#pragma once

#include <gio/gio.h>

#include "ferry-event.h"
#include "ferry-profile.h"

G_BEGIN_DECLS

typedef enum {
	FERRY_SESSION_IDLE,          /* not started */
	FERRY_SESSION_CONNECTING,    /* resolving, negotiating */
	FERRY_SESSION_UP,            /* tunnel carries traffic */
	FERRY_SESSION_DISCONNECTING, /* DELETE sent, tearing down */
	FERRY_SESSION_DOWN,          /* finished: see ferry_session_get_error() */
} FerrySessionState;

typedef struct {
	guint64 packets_in, packets_out;
	guint64 bytes_in, bytes_out; /* inner (plaintext) bytes */
	guint64 dropped;             /* inbound and outbound packets dropped, every reason */
	guint64 keepalives_out;      /* NAT keepalives sent (RFC 3948 §2.3) */
} FerrySessionStats;

#define FERRY_TYPE_SESSION (ferry_session_get_type())
G_DECLARE_FINAL_TYPE(FerrySession, ferry_session, FERRY, SESSION, GObject)

/**
 * ferry_session_new:
 * @profile: validated here; copied
 * @secrets: copied
 * @error: FERRY_ERROR_CONFIG naming the field
 *
 * Returns: (transfer full) (nullable): a session in FERRY_SESSION_IDLE.
 */
FerrySession *
ferry_session_new(const FerryProfile *profile, const FerryProfileSecrets *secrets, GError **error);

/* Options; set them before ferry_session_connect(). */
/* The TUN device name or a "%d" template (default "ferry%d"). */
void ferry_session_set_tun_name(FerrySession *self, const char *name);
/* FALSE: leave DNS alone (default TRUE). */
void ferry_session_set_apply_dns(FerrySession *self, gboolean apply);
/* FALSE: create the TUN device and carry packets, but add no address, route or DNS (for
 * callers, like NetworkManager, that apply the configuration themselves). */
void ferry_session_set_configure_network(FerrySession *self, gboolean configure);
/* Where resolv.conf lives when systemd-resolved is not used (tests). */
void ferry_session_set_resolv_conf(FerrySession *self, const char *path);
/* Where the session keeps its crash record (default "/run/ferry"; tests use their own): see
 * ferry_session_cleanup_leftovers(). */
void ferry_session_set_run_dir(FerrySession *self, const char *dir);
/* IKE retransmission budget: sends of one request and the first timeout in milliseconds,
 * doubling after each send (RFC 7296 §2.1); 0 = the engine's defaults. */
void ferry_session_set_retransmit(FerrySession *self, guint tries, guint base_ms);

/* Start connecting.  FALSE with an error only when nothing could start (a local problem);
 * failures later end the session with FERRY_SESSION_DOWN and ferry_session_get_error(). */
gboolean ferry_session_connect(FerrySession *self, GError **error);
/* Send DELETE, wait briefly for the answer, then remove routes, DNS and the TUN device.
 * Before the tunnel is up this abandons the attempt (FERRY_ERROR_CANCELLED).  Calling it
 * again while disconnecting tears down at once. */
void ferry_session_disconnect(FerrySession *self);

FerrySessionState ferry_session_get_state(FerrySession *self);
/* Why the session ended: NULL while running and after a clean end (user or peer).  Set
 * already while the final "error" and "down" events are emitted. */
const GError *ferry_session_get_error(FerrySession *self);
/* "user", "peer" or "error" once DOWN, else NULL. */
const char *ferry_session_get_down_reason(FerrySession *self);
/* TRUE once the tunnel was up at some point. */
gboolean ferry_session_was_up(FerrySession *self);
/* The TUN device's name once it exists, else NULL. (transfer none) */
const char *ferry_session_get_tun_name(FerrySession *self);
void ferry_session_get_stats(FerrySession *self, FerrySessionStats *stats);

const char *ferry_session_state_to_string(FerrySessionState state);

/**
 * ferry_session_cleanup_leftovers:
 * @run_dir: (nullable): the sessions' record directory; NULL = "/run/ferry"
 * @done: (element-type utf8): gets one line per thing undone, for the user
 * @error: a G_IO_ERROR when @run_dir exists but cannot be trusted or read
 *
 * A session that configures the network (addresses, routes, DNS) keeps a root-only record of
 * what it changed; SIGKILL or a crash leaves that change in place.  This undoes what sessions
 * whose process is gone left in this network namespace: resolv.conf gets its saved bytes back
 * (if it still holds what Ferry wrote), systemd-resolved link settings are reverted, routes
 * that outlive the TUN device and a leftover TUN device are removed.  Call it before
 * connecting (`ferry connect` does) and at service start.
 *
 * Returns: FALSE with @error only when @run_dir cannot be used.
 */
gboolean ferry_session_cleanup_leftovers(const char *run_dir, GPtrArray *done, GError **error);

G_END_DECLS
