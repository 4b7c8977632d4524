/* ferry-autocleanups.h - g_autoptr() for the GLib-free types of base/, crypto/ and esp/
 *
 * Those layers cannot include GLib, so their cleanup functions are registered here, for the
 * GLib layers above them (STYLE.md §8).
 */
#pragma once

#include <glib.h>

#include "esp-sa.h"
#include "ferry-secret.h"

G_DEFINE_AUTOPTR_CLEANUP_FUNC(FerrySecret, ferry_secret_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(EspSa, esp_sa_free)
