/* profile-plist-get.c - typed, path-naming plist dictionary lookups with consumption tracking */
#include "config.h"

#include <string.h>

#include "ferry-error.h"
#include "profile-plist-get.h"

PlistView *
plist_view_new(const Plist *dict, const char *path)
{
	PlistView *v = g_new0(PlistView, 1);

	v->dict = dict;
	v->path = g_strdup(path);
	v->used = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	return v;
}

void
plist_view_free(PlistView *v)
{
	if (!v)
		return;
	g_free(v->path);
	g_hash_table_unref(v->used);
	g_free(v);
}

char *
plist_view_field(const PlistView *v, const char *key)
{
	return *v->path ? g_strdup_printf("%s.%s", v->path, key) : g_strdup(key);
}

Plist *
plist_view_take(PlistView *v, const char *key)
{
	Plist *p = plist_get(v->dict, key);

	if (p)
		g_hash_table_add(v->used, g_strdup(key));
	return p;
}

static gboolean
type_error(PlistView *v, const char *key, const char *want, const Plist *got, GError **error)
{
	g_autofree char *field = plist_view_field(v, key);

	g_set_error(error, FERRY_ERROR, FERRY_ERROR_CONFIG, "%s: expected %s, not %s", field, want,
	            plist_type_name(got->type));
	return FALSE;
}

gboolean
plist_view_string(PlistView *v, const char *key, const char **out, GError **error)
{
	Plist *p = plist_view_take(v, key);

	if (!p)
		return TRUE;
	if (p->type != PLIST_STRING)
		return type_error(v, key, "a string", p, error);
	*out = p->string;
	return TRUE;
}

gboolean
plist_view_int(PlistView *v, const char *key, gint64 *out, GError **error)
{
	Plist *p = plist_view_take(v, key);

	if (!p)
		return TRUE;
	if (p->type != PLIST_INTEGER)
		return type_error(v, key, "an integer", p, error);
	*out = p->integer;
	return TRUE;
}

gboolean
plist_view_flag(PlistView *v, const char *key, gboolean *out, GError **error)
{
	Plist *p = plist_view_take(v, key);
	g_autofree char *field = NULL;

	if (!p)
		return TRUE;
	if (p->type == PLIST_BOOLEAN) {
		*out = p->boolean;
		return TRUE;
	}
	if (p->type != PLIST_INTEGER)
		return type_error(v, key, "0 or 1", p, error);
	if (p->integer != 0 && p->integer != 1) {
		field = plist_view_field(v, key);
		g_set_error(error, FERRY_ERROR, FERRY_ERROR_CONFIG,
		            "%s: %" G_GINT64_FORMAT " is neither 0 nor 1", field, p->integer);
		return FALSE;
	}
	*out = p->integer == 1;
	return TRUE;
}

gboolean
plist_view_strings(PlistView *v, const char *key, char ***out, GError **error)
{
	Plist *p = plist_view_take(v, key);
	g_autoptr(GPtrArray) items = NULL;

	if (!p)
		return TRUE;
	if (p->type != PLIST_ARRAY)
		return type_error(v, key, "an array of strings", p, error);
	items = g_ptr_array_new_with_free_func(g_free);
	for (guint i = 0; i < p->values->len; i++) {
		const Plist *item = g_ptr_array_index(p->values, i);
		g_autofree char *field = NULL;

		if (item->type != PLIST_STRING) {
			field = plist_view_field(v, key);
			g_set_error(error, FERRY_ERROR, FERRY_ERROR_CONFIG,
			            "%s[%u]: expected a string, not %s", field, i,
			            plist_type_name(item->type));
			return FALSE;
		}
		g_ptr_array_add(items, g_strdup(item->string));
	}
	if (items->len == 0)
		return TRUE;
	g_ptr_array_add(items, NULL);
	g_strfreev(*out);
	*out = (char **)g_ptr_array_free(g_steal_pointer(&items), FALSE);
	return TRUE;
}

gboolean
plist_view_dict(PlistView *v, const char *key, const Plist **out, GError **error)
{
	Plist *p = plist_view_take(v, key);

	if (!p)
		return TRUE;
	if (p->type != PLIST_DICT)
		return type_error(v, key, "a dictionary", p, error);
	*out = p;
	return TRUE;
}

gboolean
plist_view_data(PlistView *v, const char *key, GBytes **out, GError **error)
{
	Plist *p = plist_view_take(v, key);

	if (!p)
		return TRUE;
	if (p->type != PLIST_DATA)
		return type_error(v, key, "data", p, error);
	*out = p->data;
	return TRUE;
}

static gboolean
is_silent(const Plist *value, const char *key, const char *const *silent)
{
	for (guint i = 0; silent && silent[i]; i++) {
		gsize n = strlen(key);

		if (strncmp(silent[i], key, n) != 0)
			continue;
		if (silent[i][n] == '\0')
			return TRUE;
		if (silent[i][n] != '=')
			continue;
		if (value->type == PLIST_INTEGER &&
		    g_ascii_strtoll(silent[i] + n + 1, NULL, 10) == value->integer)
			return TRUE;
		if (value->type == PLIST_BOOLEAN &&
		    strcmp(silent[i] + n + 1, value->boolean ? "1" : "0") == 0)
			return TRUE;
		if (value->type == PLIST_STRING && strcmp(silent[i] + n + 1, value->string) == 0)
			return TRUE;
	}
	return FALSE;
}

void
plist_view_report(PlistView *v, GPtrArray *imports, const char *const *silent)
{
	for (guint i = 0; i < v->dict->keys->len; i++) {
		const char *key = g_ptr_array_index(v->dict->keys, i);
		const Plist *value = g_ptr_array_index(v->dict->values, i);
		g_autofree char *field = NULL;

		if (g_hash_table_contains(v->used, key) || is_silent(value, key, silent))
			continue;
		field = plist_view_field(v, key);
		for (guint j = 0; j < imports->len; j++)
			ferry_import_add_unmapped(g_ptr_array_index(imports, j), field,
			                          "no Ferry setting");
	}
}
