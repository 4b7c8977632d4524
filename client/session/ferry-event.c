/* ferry-event.c - FerryEvent, the boxed timeline entry */
#include "config.h"

#include "ferry-event.h"

G_DEFINE_BOXED_TYPE(FerryEvent, ferry_event, ferry_event_copy, ferry_event_free)

FerryEvent *
ferry_event_new(FerryEventType type, double time, GVariant *details)
{
	FerryEvent *event = g_new0(FerryEvent, 1);

	event->type = type;
	event->time = time;
	if (details == NULL)
		details = g_variant_new("a{sv}", NULL);
	g_return_val_if_fail(g_variant_is_of_type(details, G_VARIANT_TYPE_VARDICT), event);
	event->details = g_variant_ref_sink(details);
	return event;
}

FerryEvent *
ferry_event_copy(const FerryEvent *event)
{
	return ferry_event_new(event->type, event->time, event->details);
}

void
ferry_event_free(FerryEvent *event)
{
	if (event == NULL)
		return;
	g_clear_pointer(&event->details, g_variant_unref);
	g_free(event);
}

const char *
ferry_event_type_to_string(FerryEventType type)
{
	switch (type) {
	case FERRY_EVENT_STATE:
		return "state";
	case FERRY_EVENT_SENT:
		return "sent";
	case FERRY_EVENT_RECEIVED:
		return "received";
	case FERRY_EVENT_IKE_PROPOSAL:
		return "ike-proposal";
	case FERRY_EVENT_KE_RETRY:
		return "ke-retry";
	case FERRY_EVENT_COOKIE:
		return "cookie";
	case FERRY_EVENT_NAT:
		return "nat";
	case FERRY_EVENT_AUTHENTICATED:
		return "authenticated";
	case FERRY_EVENT_CONFIG:
		return "config";
	case FERRY_EVENT_CHILD_SA:
		return "child-sa";
	case FERRY_EVENT_UP:
		return "up";
	case FERRY_EVENT_REKEYED:
		return "rekeyed";
	case FERRY_EVENT_DPD:
		return "dpd";
	case FERRY_EVENT_STATS:
		return "stats";
	case FERRY_EVENT_DOWN:
		return "down";
	case FERRY_EVENT_ERROR:
		return "error";
	}
	return "unknown";
}

const char *
ferry_event_get_string(const FerryEvent *event, const char *key)
{
	const char *value = NULL;

	if (!g_variant_lookup(event->details, key, "&s", &value))
		return NULL;
	return value;
}

guint64
ferry_event_get_uint(const FerryEvent *event, const char *key)
{
	g_autoptr(GVariant) value = g_variant_lookup_value(event->details, key, NULL);

	if (value == NULL)
		return 0;
	if (g_variant_is_of_type(value, G_VARIANT_TYPE_UINT64))
		return g_variant_get_uint64(value);
	if (g_variant_is_of_type(value, G_VARIANT_TYPE_UINT32))
		return g_variant_get_uint32(value);
	return 0;
}

gboolean
ferry_event_get_boolean(const FerryEvent *event, const char *key)
{
	gboolean value = FALSE;

	if (!g_variant_lookup(event->details, key, "b", &value))
		return FALSE;
	return value;
}

const char **
ferry_event_get_strv(const FerryEvent *event, const char *key)
{
	g_autoptr(GVariant) value =
		g_variant_lookup_value(event->details, key, G_VARIANT_TYPE_STRING_ARRAY);

	if (value == NULL)
		return NULL;
	return g_variant_get_strv(value, NULL);
}
