/* profile-json.c - typed JSON lookups whose errors name the key path */
#include "config.h"

#include <string.h>

#include "ferry-error.h"
#include "profile-json.h"

gboolean
profile_json_check_depth(const guint8 *data, gsize len, guint max, GError **error)
{
	gboolean in_string = FALSE, escaped = FALSE;
	guint depth = 0;

	for (gsize i = 0; i < len; i++) {
		guint8 c = data[i];

		if (in_string) {
			if (escaped)
				escaped = FALSE;
			else if (c == '\\')
				escaped = TRUE;
			else if (c == '"')
				in_string = FALSE;
			continue;
		}
		if (c == '"') {
			in_string = TRUE;
		} else if (c == '{' || c == '[') {
			if (++depth > max) {
				g_set_error(error, FERRY_ERROR, FERRY_ERROR_CONFIG,
				            "nested deeper than %u levels", max);
				return FALSE;
			}
		} else if ((c == '}' || c == ']') && depth > 0) {
			depth--;
		}
	}
	return TRUE;
}

static const char *
describe_node(JsonNode *node)
{
	switch (json_node_get_node_type(node)) {
	case JSON_NODE_OBJECT:
		return "an object";
	case JSON_NODE_ARRAY:
		return "an array";
	case JSON_NODE_NULL:
		return "null";
	case JSON_NODE_VALUE:
		break;
	}
	switch (json_node_get_value_type(node)) {
	case G_TYPE_STRING:
		return "a string";
	case G_TYPE_BOOLEAN:
		return "a boolean";
	case G_TYPE_INT64:
		return "a whole number";
	case G_TYPE_DOUBLE:
		return "a fractional number";
	default:
		return "a value";
	}
}

/* Finds the node at "a.b.c"; NULL when any step is absent or null.  An intermediate that is
 * not an object is a type error on that prefix. */
static gboolean
find_node(JsonObject *root, const char *path, JsonNode **out, GError **error)
{
	g_auto(GStrv) parts = g_strsplit(path, ".", -1);
	JsonObject *obj = root;
	JsonNode *node = NULL;

	*out = NULL;
	for (guint i = 0; parts[i]; i++) {
		node = json_object_get_member(obj, parts[i]);
		if (!node || JSON_NODE_HOLDS_NULL(node))
			return TRUE;
		if (!parts[i + 1])
			break;
		if (!JSON_NODE_HOLDS_OBJECT(node)) {
			g_autoptr(GString) prefix = g_string_new(parts[0]);

			for (guint j = 1; j <= i; j++)
				g_string_append_printf(prefix, ".%s", parts[j]);
			g_set_error(error, FERRY_ERROR, FERRY_ERROR_CONFIG,
			            "%s: expected an object, not %s", prefix->str,
			            describe_node(node));
			return FALSE;
		}
		obj = json_node_get_object(node);
	}
	*out = node;
	return TRUE;
}

static gboolean
type_error(const char *path, const char *want, JsonNode *node, GError **error)
{
	g_set_error(error, FERRY_ERROR, FERRY_ERROR_CONFIG, "%s: expected %s, not %s", path, want,
	            describe_node(node));
	return FALSE;
}

static gboolean
holds(JsonNode *node, GType type)
{
	return JSON_NODE_HOLDS_VALUE(node) && json_node_get_value_type(node) == type;
}

gboolean
profile_json_get_string(
	JsonObject *root, const char *path, const char **out, gboolean *present, GError **error)
{
	JsonNode *node;

	*present = FALSE;
	if (!find_node(root, path, &node, error))
		return FALSE;
	if (!node)
		return TRUE;
	if (!holds(node, G_TYPE_STRING))
		return type_error(path, "a string", node, error);
	*out = json_node_get_string(node);
	*present = TRUE;
	return TRUE;
}

gboolean
profile_json_get_int(
	JsonObject *root, const char *path, gint64 *out, gboolean *present, GError **error)
{
	JsonNode *node;

	*present = FALSE;
	if (!find_node(root, path, &node, error))
		return FALSE;
	if (!node)
		return TRUE;
	if (!holds(node, G_TYPE_INT64))
		return type_error(path, "a whole number", node, error);
	*out = json_node_get_int(node);
	*present = TRUE;
	return TRUE;
}

gboolean
profile_json_get_bool(
	JsonObject *root, const char *path, gboolean *out, gboolean *present, GError **error)
{
	JsonNode *node;

	*present = FALSE;
	if (!find_node(root, path, &node, error))
		return FALSE;
	if (!node)
		return TRUE;
	if (!holds(node, G_TYPE_BOOLEAN))
		return type_error(path, "true or false", node, error);
	*out = json_node_get_boolean(node);
	*present = TRUE;
	return TRUE;
}

static char *
strip_spaces(const char *s)
{
	GString *out = g_string_new(NULL);

	for (; *s; s++) {
		if (!g_ascii_isspace(*s))
			g_string_append_c(out, *s);
	}
	return g_string_free(out, FALSE);
}

gboolean
profile_json_get_list(
	JsonObject *root, const char *path, char ***out, gboolean *present, GError **error)
{
	g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func(g_free);
	JsonNode *node;

	*present = FALSE;
	*out = NULL;
	if (!find_node(root, path, &node, error))
		return FALSE;
	if (!node)
		return TRUE;
	if (holds(node, G_TYPE_STRING)) {
		g_auto(GStrv) words =
			g_regex_split_simple("\\s+", json_node_get_string(node), 0, 0);

		for (guint i = 0; words[i]; i++) {
			if (*words[i])
				g_ptr_array_add(items, g_strdup(words[i]));
		}
	} else if (JSON_NODE_HOLDS_ARRAY(node)) {
		JsonArray *arr = json_node_get_array(node);

		for (guint i = 0; i < json_array_get_length(arr); i++) {
			JsonNode *el = json_array_get_element(arr, i);
			g_autofree char *item_path = NULL;

			if (!holds(el, G_TYPE_STRING)) {
				item_path = g_strdup_printf("%s[%u]", path, i);
				return type_error(item_path, "a string", el, error);
			}
			g_ptr_array_add(items, strip_spaces(json_node_get_string(el)));
		}
	} else {
		return type_error(path, "an array of strings or a string", node, error);
	}
	*present = TRUE;
	if (items->len == 0)
		return TRUE;
	g_ptr_array_add(items, NULL);
	*out = (char **)g_ptr_array_free(g_steal_pointer(&items), FALSE);
	return TRUE;
}
