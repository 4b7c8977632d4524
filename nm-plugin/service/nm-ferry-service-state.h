/* nm-ferry-service-state.h - a session's live state and timeline, exported on the system bus
 *
 * For the GUI's status panel and timeline: the service's bus name
 * (org.freedesktop.NetworkManager.ferry[.Connection_<N>]) carries, at
 * NM_FERRY_STATE_PATH, the interface NM_FERRY_STATE_INTERFACE:
 *
 *   properties (read-only, PropertiesChanged is emitted)
 *     Uuid, Name, Gateway               s   the connection
 *     Phase                             s   idle/connecting/up/disconnecting/down
 *     IkeState                          s   the engine's state ("AUTH_SENT")
 *     IkeProposal, ChildProposal        s   negotiated algorithms ("AES_GCM_16_256/...")
 *     DhGroup                           s   the IKE SA's key exchange method ("CURVE_25519")
 *     Pfs                               b   the CHILD SA ran its own key exchange
 *     AuthMethod, LocalIdentity,
 *     RemoteIdentity                    s
 *     Tunnel, VirtualIp4, VirtualIp6    s   device and internal addresses ("a.b.c.d/32")
 *     Dns, Routes                       as
 *     BytesIn, BytesOut, PacketsIn,
 *     PacketsOut, Dropped               t   inner traffic, refreshed while up
 *     Error                             s   why the session failed, "" otherwise
 *   methods
 *     GetTimeline () -> a(sda{sv})         every event so far: type, seconds since connect,
 *                                          details (keys as in ferry-event.h)
 *   signals
 *     Event (s type, d time, a{sv} details)
 *
 * The D-Bus policy lets every user read it; nothing in it changes the connection.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define NM_FERRY_STATE_INTERFACE "org.freedesktop.NetworkManager.ferry.Session"
#define NM_FERRY_STATE_PATH      "/org/freedesktop/NetworkManager/ferry/Session"
/* Events kept for GetTimeline(); a long-lived tunnel rekeys forever. */
#define NM_FERRY_STATE_MAX_EVENTS 1000

typedef struct _NMFerryServiceState NMFerryServiceState;

/* Exports the object on @connection (borrowed; must outlive the state). */
NMFerryServiceState *nm_ferry_service_state_new(GDBusConnection *connection, GError **error);
void nm_ferry_service_state_free(NMFerryServiceState *state);

/* Identity of the connection. */
void nm_ferry_service_state_set_connection(NMFerryServiceState *state,
                                           const char *uuid,
                                           const char *name,
                                           const char *gateway,
                                           const char *local_identity);
/* "idle", "connecting", "up", "disconnecting", "down". */
void nm_ferry_service_state_set_phase(NMFerryServiceState *state, const char *phase);
/* Records one timeline event (@details a{sv}, floating or not; NULL = empty), updates the
 * properties it tells about, and emits Event. */
void nm_ferry_service_state_add_event(NMFerryServiceState *state,
                                      const char *type,
                                      double time,
                                      GVariant *details);
void nm_ferry_service_state_set_stats(NMFerryServiceState *state,
                                      guint64 bytes_in,
                                      guint64 bytes_out,
                                      guint64 packets_in,
                                      guint64 packets_out,
                                      guint64 dropped);
void nm_ferry_service_state_set_error(NMFerryServiceState *state, const char *message);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(NMFerryServiceState, nm_ferry_service_state_free)

G_END_DECLS
