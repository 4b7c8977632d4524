/* profile-plist-get.h - typed lookups in plist dictionaries for the .mobileconfig importer:
 * errors name the key path, and consumed keys are tracked so the rest can be reported */
#pragma once

#include <glib.h>

#include "profile-import.h"
#include "profile-plist.h"

G_BEGIN_DECLS

typedef struct {
	const Plist *dict;
	char *path; /* "PayloadContent[0].IKEv2" */
	GHashTable *used;
} PlistView;

PlistView *plist_view_new(const Plist *dict, const char *path);
void plist_view_free(PlistView *v);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(PlistView, plist_view_free)

/* "path.key" (transfer full) */
char *plist_view_field(const PlistView *v, const char *key);
/* Marks @key consumed and returns its value (NULL when absent). */
Plist *plist_view_take(PlistView *v, const char *key);

/* Absent -> TRUE with the output unchanged.  Wrong type -> FALSE, "path.key: expected
 * a string, not an integer". */
gboolean plist_view_string(PlistView *v, const char *key, const char **out, GError **error);
gboolean plist_view_int(PlistView *v, const char *key, gint64 *out, GError **error);
/* Integer 0/1 or boolean. */
gboolean plist_view_flag(PlistView *v, const char *key, gboolean *out, GError **error);
/* Array of strings -> NULL-terminated copy (NULL when absent or empty). */
gboolean plist_view_strings(PlistView *v, const char *key, char ***out, GError **error);
gboolean plist_view_dict(PlistView *v, const char *key, const Plist **out, GError **error);
gboolean plist_view_data(PlistView *v, const char *key, GBytes **out, GError **error);

/* Reports every key not consumed as unmapped in each of @imports (FerryImport *), unless its
 * value is listed in @silent as "Key=value" (or just "Key") because it changes nothing. */
void plist_view_report(PlistView *v, GPtrArray *imports, const char *const *silent);

G_END_DECLS
