/* profile-json.h - typed, error-naming accessors over json-glib for the .sswan importer */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Deepest nesting a profile may have; json-glib recurses per level, so deeper input is
 * refused before parsing. */
#define PROFILE_JSON_MAX_DEPTH 16

/* Scans raw JSON text for nesting deeper than @max (outside strings). */
gboolean profile_json_check_depth(const guint8 *data, gsize len, guint max, GError **error);

/* Each getter looks up "a.b.c" below @root.  Absent (or JSON null) -> TRUE with *present =
 * FALSE.  Wrong type -> FALSE, error "a.b.c: expected a string, not a number". */
gboolean profile_json_get_string(
	JsonObject *root, const char *path, const char **out, gboolean *present, GError **error);
gboolean profile_json_get_int(
	JsonObject *root, const char *path, gint64 *out, gboolean *present, GError **error);
gboolean profile_json_get_bool(
	JsonObject *root, const char *path, gboolean *out, gboolean *present, GError **error);
/* An array of strings or one whitespace-separated string; spaces inside array items are
 * removed (as the Android app does).  *out is NULL when absent or empty. */
gboolean profile_json_get_list(
	JsonObject *root, const char *path, char ***out, gboolean *present, GError **error);

G_END_DECLS
