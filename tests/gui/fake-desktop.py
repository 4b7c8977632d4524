#!/usr/bin/python3
# tests/gui/fake-desktop.py: what a desktop offers an app, stand-ins for run-gui.sh: a
# notification server (org.freedesktop.Notifications) and a tray host
# (org.kde.StatusNotifierWatcher).  Logs one line per call to the file named by argv[1]:
#   notify<TAB>summary<TAB>body     close<TAB>id     tray<TAB>service
import sys

import dbus
import dbus.service
from dbus.mainloop.glib import DBusGMainLoop
from gi.repository import GLib


class Notifications(dbus.service.Object):
    def __init__(self, bus, log):
        super().__init__(bus, "/org/freedesktop/Notifications")
        self.log = log
        self.next_id = 0

    def write(self, *fields):
        with open(self.log, "a") as f:
            f.write("\t".join(str(x) for x in fields) + "\n")

    @dbus.service.method("org.freedesktop.Notifications", in_signature="susssasa{sv}i",
                         out_signature="u")
    def Notify(self, app, replaces, icon, summary, body, actions, hints, timeout):
        self.next_id += 1
        self.write("notify", summary, body)
        return self.next_id

    @dbus.service.method("org.freedesktop.Notifications", in_signature="u", out_signature="")
    def CloseNotification(self, nid):
        self.write("close", nid)

    @dbus.service.method("org.freedesktop.Notifications", in_signature="", out_signature="as")
    def GetCapabilities(self):
        return ["body", "actions"]

    @dbus.service.method("org.freedesktop.Notifications", in_signature="",
                         out_signature="ssss")
    def GetServerInformation(self):
        return ("fake-notifications", "ferry", "1", "1.2")


class Watcher(dbus.service.Object):
    def __init__(self, bus, log):
        super().__init__(bus, "/StatusNotifierWatcher")
        self.log = log

    @dbus.service.method("org.kde.StatusNotifierWatcher", in_signature="s", out_signature="",
                         sender_keyword="sender")
    def RegisterStatusNotifierItem(self, service, sender=None):
        with open(self.log, "a") as f:
            f.write("tray\t%s\n" % (service if service.startswith(":") or "." in service
                                       else sender))


DBusGMainLoop(set_as_default=True)
bus = dbus.SessionBus()
name = dbus.service.BusName("org.freedesktop.Notifications", bus)
server = Notifications(bus, sys.argv[1])
watcher_name = dbus.service.BusName("org.kde.StatusNotifierWatcher", bus)
watcher = Watcher(bus, sys.argv[1])
open(sys.argv[1], "a").close()
GLib.MainLoop().run()
