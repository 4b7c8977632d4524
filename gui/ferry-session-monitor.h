/* ferry-session-monitor.h - follows the Session object nm-ferry-service exports for one connection
 *
 * nm-ferry-service (one process per active connection, bus name
 * org.freedesktop.NetworkManager.ferry or org.freedesktop.NetworkManager.ferry.Connection_<N>)
 * exports NM_FERRY_STATE_INTERFACE at NM_FERRY_STATE_PATH (see
 * nm-plugin/service/nm-ferry-service-state.h).  The monitor finds the instance whose Uuid
 * property is the connection's, fetches its timeline, then follows Event signals and
 * PropertiesChanged.  When the service goes away the last state stays readable; when another
 * instance takes the connection, the monitor moves to it ("reset", then the new timeline).
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define FERRY_SESSION_MONITOR_BUS_PREFIX "org.freedesktop.NetworkManager.ferry"

#define FERRY_TYPE_SESSION_MONITOR (ferry_session_monitor_get_type())
G_DECLARE_FINAL_TYPE(FerrySessionMonitor, ferry_session_monitor, FERRY, SESSION_MONITOR, GObject)

/* @bus: the system bus (tests: a private one); @uuid: the NetworkManager connection's UUID.
 *
 * Signals:
 *   reset ()                          a service instance was found: forget the old timeline
 *   event (s type, d time, GVariant *details a{sv})
 *                                     one timeline event, first those GetTimeline returned,
 *                                     then the live ones
 *   changed (s property)              a Session property changed (also after reset)
 * Property "present" (boolean): a service instance for the connection is on the bus. */
FerrySessionMonitor *ferry_session_monitor_new(GDBusConnection *bus, const char *uuid);

const char *ferry_session_monitor_get_uuid(FerrySessionMonitor *self);
gboolean ferry_session_monitor_get_present(FerrySessionMonitor *self);
/* TRUE while "event" replays GetTimeline's answer (the events happened earlier). */
gboolean ferry_session_monitor_is_replaying(FerrySessionMonitor *self);
/* The unique bus name of the instance followed, NULL when none. */
const char *ferry_session_monitor_get_owner(FerrySessionMonitor *self);

/* The last known value of a Session property; "" / 0 / FALSE / NULL when unknown. */
const char *ferry_session_monitor_get_string(FerrySessionMonitor *self, const char *property);
guint64 ferry_session_monitor_get_uint64(FerrySessionMonitor *self, const char *property);
gboolean ferry_session_monitor_get_boolean(FerrySessionMonitor *self, const char *property);
/* (transfer container) NULL-terminated; NULL when unknown or empty */
const char **ferry_session_monitor_get_strv(FerrySessionMonitor *self, const char *property);

G_END_DECLS
