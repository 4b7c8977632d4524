/* ferry-application.h - FerryApplication: the ferry-gui process, its NMClient and app actions
 *
 * One instance per session (D-Bus unique, app id org.ferry_vpn.Ferry).  App actions a test or
 * the desktop can trigger (`gapplication action org.ferry_vpn.Ferry import "'/path'"`):
 *   app.import(s)  import a profile file and show the result in the window
 *   app.new        open the editor on a new connection
 *   app.connect(s), app.disconnect(s)   win.connect/win.disconnect of the window (by uuid)
 *   app.about, app.quit
 */
#pragma once

#include <adwaita.h>
#include <NetworkManager.h>

G_BEGIN_DECLS

#define FERRY_TYPE_APPLICATION (ferry_application_get_type())
G_DECLARE_FINAL_TYPE(FerryApplication, ferry_application, FERRY, APPLICATION, AdwApplication)

FerryApplication *ferry_application_new(void);
/* (transfer none) (nullable): NULL until startup, or when NetworkManager cannot be reached */
NMClient *ferry_application_get_client(FerryApplication *self);

G_END_DECLS
