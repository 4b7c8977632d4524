/* cli-text.c - timeline events as the human lines `ferry connect` prints */
#include "config.h"

#include "cli.h"

static char *
join(const FerryEvent *event, const char *key, const char *separator)
{
	g_autofree const char **list = ferry_event_get_strv(event, key);

	if (list == NULL || list[0] == NULL)
		return NULL;
	return g_strjoinv(separator, (char **)list);
}

static const char *
or_empty(const char *s)
{
	return s != NULL ? s : "";
}

static char *
describe_message(const FerryEvent *event, const char *verb)
{
	const char *payloads = ferry_event_get_string(event, "payloads");

	return g_strdup_printf(
		"%s %s%s (msg %" G_GUINT64_FORMAT ", %" G_GUINT64_FORMAT " bytes)%s%s",
		or_empty(ferry_event_get_string(event, "exchange")), verb,
		ferry_event_get_boolean(event, "retransmit") ? " again" : "",
		ferry_event_get_uint(event, "message_id"), ferry_event_get_uint(event, "bytes"),
		payloads != NULL && payloads[0] ? ": " : "", or_empty(payloads));
}

static char *
describe_config(const FerryEvent *event)
{
	g_autofree char *dns = join(event, "dns", " ");
	g_autofree char *domains = join(event, "domains", " ");
	const char *ip4 = ferry_event_get_string(event, "ip4");
	const char *ip6 = ferry_event_get_string(event, "ip6");
	GString *text = g_string_new("configuration from the gateway:");

	if (ip4 != NULL)
		g_string_append_printf(text, " %s", ip4);
	if (ip6 != NULL)
		g_string_append_printf(text, " %s", ip6);
	if (ip4 == NULL && ip6 == NULL)
		g_string_append(text, " no virtual address");
	if (dns != NULL)
		g_string_append_printf(text, ", DNS %s", dns);
	if (domains != NULL)
		g_string_append_printf(text, ", domains %s", domains);
	return g_string_free(text, FALSE);
}

static char *
describe_child(const FerryEvent *event)
{
	g_autofree char *local = join(event, "ts_local", " ");
	g_autofree char *remote = join(event, "ts_remote", " ");

	return g_strdup_printf("CHILD_SA installed: %s %s %s, SPIs in %s out %s, %s === %s",
	                       or_empty(ferry_event_get_string(event, "protocol")),
	                       or_empty(ferry_event_get_string(event, "mode")),
	                       or_empty(ferry_event_get_string(event, "proposal")),
	                       or_empty(ferry_event_get_string(event, "spi_in")),
	                       or_empty(ferry_event_get_string(event, "spi_out")), or_empty(local),
	                       or_empty(remote));
}

static char *
describe_up(const FerryEvent *event)
{
	g_autofree char *dns = join(event, "dns", " ");
	g_autofree char *routes = join(event, "routes", " ");
	const char *ip4 = ferry_event_get_string(event, "ip4");
	const char *ip6 = ferry_event_get_string(event, "ip6");
	GString *text = g_string_new("tunnel up: ");

	g_string_append(text, or_empty(ferry_event_get_string(event, "tun")));
	if (ip4 != NULL)
		g_string_append_printf(text, " %s", ip4);
	if (ip6 != NULL)
		g_string_append_printf(text, " %s", ip6);
	if (dns != NULL)
		g_string_append_printf(text, ", DNS %s", dns);
	if (routes != NULL)
		g_string_append_printf(text, ", routes %s", routes);
	return g_string_free(text, FALSE);
}

static char *
describe_down(const FerryEvent *event)
{
	const char *reason = or_empty(ferry_event_get_string(event, "reason"));

	if (g_str_equal(reason, "user"))
		return g_strdup("tunnel down: closed by the user");
	if (g_str_equal(reason, "peer"))
		return g_strdup("tunnel down: the gateway closed it");
	return g_strdup("tunnel down: error");
}

static char *
describe(const FerryEvent *event)
{
	switch (event->type) {
	case FERRY_EVENT_STATE:
		return g_strdup_printf("IKE state %s",
		                       or_empty(ferry_event_get_string(event, "state")));
	case FERRY_EVENT_SENT:
		return describe_message(event, "sent");
	case FERRY_EVENT_RECEIVED:
		return describe_message(event, "received");
	case FERRY_EVENT_IKE_PROPOSAL:
		return g_strdup_printf("IKE proposal chosen: %s",
		                       or_empty(ferry_event_get_string(event, "proposal")));
	case FERRY_EVENT_KE_RETRY:
		return g_strdup_printf("the gateway wants key exchange group %s: trying again",
		                       or_empty(ferry_event_get_string(event, "group")));
	case FERRY_EVENT_COOKIE:
		return g_strdup("the gateway asked for a cookie: trying again");
	case FERRY_EVENT_NAT:
		return g_strdup_printf("%s (NAT here: %s, at the gateway: %s): UDP port 4500 now",
		                       ferry_event_get_boolean(event, "forced")
		                               ? "UDP encapsulation forced"
		                               : "NAT detected",
		                       ferry_event_get_boolean(event, "local") ? "yes" : "no",
		                       ferry_event_get_boolean(event, "remote") ? "yes" : "no");
	case FERRY_EVENT_AUTHENTICATED:
		return g_strdup_printf("gateway authenticated (%s): %s",
		                       or_empty(ferry_event_get_string(event, "method")),
		                       or_empty(ferry_event_get_string(event, "peer")));
	case FERRY_EVENT_CONFIG:
		return describe_config(event);
	case FERRY_EVENT_CHILD_SA:
		return describe_child(event);
	case FERRY_EVENT_UP:
		return describe_up(event);
	case FERRY_EVENT_REKEYED:
		return g_strdup_printf("%s rekeyed",
		                       or_empty(ferry_event_get_string(event, "what")));
	case FERRY_EVENT_DPD:
		return g_strdup_printf("dead peer detection: %s",
		                       or_empty(ferry_event_get_string(event, "text")));
	case FERRY_EVENT_STATS:
		return g_strdup_printf("traffic: %" G_GUINT64_FORMAT " packets (%" G_GUINT64_FORMAT
		                       " bytes) in, %" G_GUINT64_FORMAT
		                       " packets (%" G_GUINT64_FORMAT
		                       " bytes) out, %" G_GUINT64_FORMAT " dropped",
		                       ferry_event_get_uint(event, "packets_in"),
		                       ferry_event_get_uint(event, "bytes_in"),
		                       ferry_event_get_uint(event, "packets_out"),
		                       ferry_event_get_uint(event, "bytes_out"),
		                       ferry_event_get_uint(event, "dropped"));
	case FERRY_EVENT_DOWN:
		return describe_down(event);
	case FERRY_EVENT_ERROR:
		return NULL; /* the error goes to stderr */
	}
	return NULL;
}

char *
cli_text_event(const FerryEvent *event)
{
	g_autofree char *text = describe(event);

	if (text == NULL)
		return NULL;
	return g_strdup_printf("[%.3f] %s", event->time, text);
}
