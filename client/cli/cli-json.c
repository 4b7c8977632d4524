/* cli-json.c - timeline events as JSON lines (`ferry connect --json`, CLI-CONTRACT.md) */
#include "config.h"

#include "cli.h"

void
cli_json_append_string(GString *out, const char *text)
{
	g_autofree char *valid = g_utf8_make_valid(text, -1);

	g_string_append_c(out, '"');
	for (const char *p = valid; *p != '\0'; p++) {
		unsigned char c = (unsigned char)*p;

		switch (c) {
		case '"':
			g_string_append(out, "\\\"");
			break;
		case '\\':
			g_string_append(out, "\\\\");
			break;
		case '\n':
			g_string_append(out, "\\n");
			break;
		case '\r':
			g_string_append(out, "\\r");
			break;
		case '\t':
			g_string_append(out, "\\t");
			break;
		default:
			if (c < 0x20)
				g_string_append_printf(out, "\\u%04x", c);
			else
				g_string_append_c(out, (char)c);
		}
	}
	g_string_append_c(out, '"');
}

static void
append_value(GString *out, GVariant *value)
{
	GVariantIter iter;
	const char *s;
	gboolean first = TRUE;

	switch (g_variant_classify(value)) {
	case G_VARIANT_CLASS_BOOLEAN:
		g_string_append(out, g_variant_get_boolean(value) ? "true" : "false");
		return;
	case G_VARIANT_CLASS_UINT32:
		g_string_append_printf(out, "%u", g_variant_get_uint32(value));
		return;
	case G_VARIANT_CLASS_INT32:
		g_string_append_printf(out, "%d", g_variant_get_int32(value));
		return;
	case G_VARIANT_CLASS_UINT64:
		g_string_append_printf(out, "%" G_GUINT64_FORMAT, g_variant_get_uint64(value));
		return;
	case G_VARIANT_CLASS_INT64:
		g_string_append_printf(out, "%" G_GINT64_FORMAT, g_variant_get_int64(value));
		return;
	case G_VARIANT_CLASS_DOUBLE:
		g_string_append_printf(out, "%.6g", g_variant_get_double(value));
		return;
	case G_VARIANT_CLASS_STRING:
		cli_json_append_string(out, g_variant_get_string(value, NULL));
		return;
	case G_VARIANT_CLASS_ARRAY:
		if (g_variant_is_of_type(value, G_VARIANT_TYPE_STRING_ARRAY)) {
			g_string_append_c(out, '[');
			g_variant_iter_init(&iter, value);
			while (g_variant_iter_next(&iter, "&s", &s)) {
				if (!first)
					g_string_append_c(out, ',');
				first = FALSE;
				cli_json_append_string(out, s);
			}
			g_string_append_c(out, ']');
			return;
		}
		break;
	default:
		break;
	}
	/* Nothing else is in the timeline today; never emit invalid JSON. */
	g_string_append(out, "null");
}

char *
cli_json_event(const FerryEvent *event, int exit_code)
{
	GString *out = g_string_new(NULL);
	char time[G_ASCII_DTOSTR_BUF_SIZE];
	GVariantIter iter;
	const char *key;
	GVariant *value;

	g_ascii_formatd(time, sizeof(time), "%.3f", event->time);
	g_string_append_printf(out, "{\"time\":%s,\"event\":", time);
	cli_json_append_string(out, ferry_event_type_to_string(event->type));
	g_variant_iter_init(&iter, event->details);
	while (g_variant_iter_next(&iter, "{&sv}", &key, &value)) {
		g_string_append_c(out, ',');
		cli_json_append_string(out, key);
		g_string_append_c(out, ':');
		append_value(out, value);
		g_variant_unref(value);
	}
	if (event->type == FERRY_EVENT_ERROR)
		g_string_append_printf(out, ",\"exit\":%d", exit_code);
	g_string_append_c(out, '}');
	return g_string_free(out, FALSE);
}
