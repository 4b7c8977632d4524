/* ferry-session-events.c - the IKE engine's events as timeline entries (FerryEvent details) */
#include "config.h"

#include <sys/socket.h>

#include "ferry-session-private.h"
#include "ike-registry.h"
#include "ike-ts.h"

static const char *
name_or_number(const char *name, unsigned value, char *buf, gsize size)
{
	if (name != NULL)
		return name;
	g_snprintf(buf, size, "%u", value);
	return buf;
}

GVariant *
ferry_session_ts_list(const IkeTs *ts, guint n)
{
	GVariantBuilder b;

	g_variant_builder_init(&b, G_VARIANT_TYPE_STRING_ARRAY);
	for (guint i = 0; i < n; i++) {
		g_autofree char *text = ike_ts_to_string(&ts[i]);
		g_variant_builder_add(&b, "s", text);
	}
	return g_variant_builder_end(&b);
}

/* "AES_GCM_16_256/ESN", "AES_CBC_256/HMAC_SHA2_256_128/NO_ESN" */
char *
ferry_session_child_proposal(const IkeChildSa *child)
{
	const CryptoXformAlg *alg = &child->in.alg;
	GString *text = g_string_new(NULL);
	char num[16];

	g_string_append(
		text, name_or_number(ike_encr_name(alg->encr_id), alg->encr_id, num, sizeof(num)));
	if (alg->key_bits != 0)
		g_string_append_printf(text, "_%u", alg->key_bits);
	if (alg->integ_id != IKE_INTEG_NONE)
		g_string_append_printf(text, "/%s",
		                       name_or_number(ike_integ_name(alg->integ_id), alg->integ_id,
		                                      num, sizeof(num)));
	if (child->ke_group != 0)
		g_string_append_printf(text, "/%s",
		                       name_or_number(ike_ke_name(child->ke_group), child->ke_group,
		                                      num, sizeof(num)));
	g_string_append(text, child->esn ? "/ESN" : "/NO_ESN");
	return g_string_free(text, FALSE);
}

static GVariant *
strv_of(GPtrArray *list)
{
	GVariantBuilder b;

	g_variant_builder_init(&b, G_VARIANT_TYPE_STRING_ARRAY);
	for (guint i = 0; list != NULL && i < list->len; i++)
		g_variant_builder_add(&b, "s", (const char *)g_ptr_array_index(list, i));
	return g_variant_builder_end(&b);
}

static char *
address_text(int family, const uint8_t *addr)
{
	g_autoptr(GInetAddress) inet = g_inet_address_new_from_bytes(
		addr, family == AF_INET6 ? G_SOCKET_FAMILY_IPV6 : G_SOCKET_FAMILY_IPV4);
	return g_inet_address_to_string(inet);
}

static void
add_config(GVariantDict *d, const IkeConfig *c)
{
	if (c->has_ip4) {
		g_autofree char *ip4 = address_text(AF_INET, c->ip4);
		g_variant_dict_insert(d, "ip4", "s", ip4);
	}
	if (c->has_ip6) {
		g_autofree char *ip6 = address_text(AF_INET6, c->ip6);
		g_variant_dict_insert(d, "ip6", "s", ip6);
	}
	g_variant_dict_insert_value(d, "dns", strv_of(c->dns));
	g_variant_dict_insert_value(d, "domains", strv_of(c->domains));
}

static void
add_child(GVariantDict *d, const IkeChildSa *child)
{
	g_autofree char *proposal = ferry_session_child_proposal(child);
	g_autofree char *spi_in = g_strdup_printf("%08x", child->in.spi);
	g_autofree char *spi_out = g_strdup_printf("%08x", child->out.spi);

	g_variant_dict_insert(d, "protocol", "s", child->protocol == IKE_PROTO_AH ? "AH" : "ESP");
	g_variant_dict_insert(d, "mode", "s", child->transport_mode ? "transport" : "tunnel");
	g_variant_dict_insert(d, "proposal", "s", proposal);
	g_variant_dict_insert(d, "spi_in", "s", spi_in);
	g_variant_dict_insert(d, "spi_out", "s", spi_out);
	g_variant_dict_insert_value(d, "ts_local", ferry_session_ts_list(child->tsi, child->n_tsi));
	g_variant_dict_insert_value(d, "ts_remote",
	                            ferry_session_ts_list(child->tsr, child->n_tsr));
}

/* The engine's text for AUTHENTICATED names the gateway last ("..., gateway gw.example.net"). */
/* The timeline names the SA type the engine rekeyed. */
static const char *
rekeyed_what(IkeSaKind kind)
{
	return kind == IKE_SA_KIND_IKE ? "IKE_SA" : "CHILD_SA";
}

static void
add_message(GVariantDict *d, const IkeEvent *event)
{
	char num[16];

	g_variant_dict_insert(d, "exchange", "s",
	                      name_or_number(ike_exchange_name(event->exchange), event->exchange,
	                                     num, sizeof(num)));
	g_variant_dict_insert(d, "message_id", "u", event->message_id);
	g_variant_dict_insert(d, "bytes", "t", (guint64)event->n_bytes);
	g_variant_dict_insert(d, "payloads", "s", event->payloads != NULL ? event->payloads : "");
	if (event->type == IKE_EVENT_MESSAGE_SENT)
		g_variant_dict_insert(d, "retransmit", "b", event->retransmit);
}

GVariant *
ferry_session_event_details(FerrySession *self, const IkeEvent *event, FerryEventType *type)
{
	GVariantDict d;
	char num[16];

	g_variant_dict_init(&d, NULL);
	switch (event->type) {
	case IKE_EVENT_STATE_CHANGED:
		*type = FERRY_EVENT_STATE;
		g_variant_dict_insert(&d, "state", "s", ike_state_to_string(event->state));
		break;
	case IKE_EVENT_MESSAGE_SENT:
	case IKE_EVENT_MESSAGE_RECEIVED:
		*type = event->type == IKE_EVENT_MESSAGE_SENT ? FERRY_EVENT_SENT
		                                              : FERRY_EVENT_RECEIVED;
		add_message(&d, event);
		break;
	case IKE_EVENT_IKE_PROPOSAL:
		*type = FERRY_EVENT_IKE_PROPOSAL;
		g_variant_dict_insert(&d, "proposal", "s", event->text != NULL ? event->text : "");
		break;
	case IKE_EVENT_KE_RETRY:
		*type = FERRY_EVENT_KE_RETRY;
		g_variant_dict_insert(&d, "group", "s",
		                      name_or_number(ike_ke_name(event->ke_group), event->ke_group,
		                                     num, sizeof(num)));
		break;
	case IKE_EVENT_COOKIE:
		*type = FERRY_EVENT_COOKIE;
		break;
	case IKE_EVENT_NAT_DETECTED:
		*type = FERRY_EVENT_NAT;
		g_variant_dict_insert(&d, "local", "b", event->nat_local);
		g_variant_dict_insert(&d, "remote", "b", event->nat_remote);
		g_variant_dict_insert(&d, "forced", "b", self->profile->encap == FERRY_ENCAP_FORCE);
		break;
	case IKE_EVENT_AUTHENTICATED:
		*type = FERRY_EVENT_AUTHENTICATED;
		g_variant_dict_insert(&d, "method", "s",
		                      event->auth_method != NULL ? event->auth_method : "");
		g_variant_dict_insert(&d, "peer", "s", event->peer_id != NULL ? event->peer_id : "");
		if (event->sig_scheme != NULL)
			g_variant_dict_insert(&d, "signature", "s", event->sig_scheme);
		break;
	case IKE_EVENT_CONFIG:
		*type = FERRY_EVENT_CONFIG;
		if (event->config != NULL)
			add_config(&d, event->config);
		break;
	case IKE_EVENT_CHILD_INSTALL:
		*type = FERRY_EVENT_CHILD_SA;
		add_child(&d, event->child);
		break;
	case IKE_EVENT_REKEYED:
		*type = FERRY_EVENT_REKEYED;
		g_variant_dict_insert(&d, "what", "s", rekeyed_what(event->sa_kind));
		break;
	case IKE_EVENT_DPD:
		*type = FERRY_EVENT_DPD;
		g_variant_dict_insert(&d, "text", "s", event->text != NULL ? event->text : "");
		break;
	case IKE_EVENT_CHILD_DELETE:
	case IKE_EVENT_CLOSED:
		g_variant_dict_clear(&d);
		return NULL;
	}
	return g_variant_dict_end(&d);
}
