/* ferry.h - the one public header of libferry: sessions, profiles, events, errors
 *
 * Programs outside client/ (the NetworkManager plugin, the GUI) include only this.
 */
#pragma once

#include "ferry-error.h"
#include "ferry-event.h"
#include "ferry-profile.h"
#include "ferry-session.h"
