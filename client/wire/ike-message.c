/* SPDX-License-Identifier: GPL-2.0-or-later */
/* ike-message.c - IKE header, payload chains and the per-exchange payload rules
 *
 * The chain walker hands each payload body to the descriptor engine (ike-field.c) with
 * the table of its type (ike-payloads.c).  The rule tables below say which payloads a
 * message of each exchange may carry; a message that breaks them is rejected before any
 * exchange logic sees it (STYLE.md §4).
 */
#include <string.h>

#include "ike-message.h"
#include "ike-payloads.h"

/* Unknown non-critical payloads skipped in one message before we give up on it. */
#define IKE_MAX_SKIPPED_PAYLOADS 16
/* "any number": the decoder's own limit applies */
#define ANY IKE_MAX_PAYLOADS
/* How many certificates / CA hints one message may carry. */
#define IKE_MAX_CERTS 8

const char *
ike_wire_status_to_string(IkeWireStatus st)
{
	switch (st) {
	case IKE_WIRE_OK:
		return "ok";
	case IKE_WIRE_TRUNCATED:
		return "truncated";
	case IKE_WIRE_BAD_LENGTH:
		return "bad length";
	case IKE_WIRE_BAD_VERSION:
		return "bad major version";
	case IKE_WIRE_INVALID_SYNTAX:
		return "invalid syntax";
	case IKE_WIRE_UNSUPPORTED_CRITICAL:
		return "unsupported critical payload";
	case IKE_WIRE_TOO_MANY:
		return "too many elements";
	case IKE_WIRE_NO_SPACE:
		return "no space";
	case IKE_WIRE_INTEGRITY:
		return "integrity check failed";
	case IKE_WIRE_CRYPTO:
		return "crypto failure";
	}
	return "unknown";
}

uint16_t
ike_wire_status_to_notify(IkeWireStatus st)
{
	switch (st) {
	case IKE_WIRE_TRUNCATED:
	case IKE_WIRE_BAD_LENGTH:
	case IKE_WIRE_INVALID_SYNTAX:
	case IKE_WIRE_TOO_MANY:
		return IKE_NOTIFY_INVALID_SYNTAX;
	case IKE_WIRE_BAD_VERSION:
		return IKE_NOTIFY_INVALID_MAJOR_VERSION;
	case IKE_WIRE_UNSUPPORTED_CRITICAL:
		return IKE_NOTIFY_UNSUPPORTED_CRITICAL_PAYLOAD;
	case IKE_WIRE_OK:
	case IKE_WIRE_NO_SPACE:
	case IKE_WIRE_INTEGRITY: /* §2.21.2: dropped silently */
	case IKE_WIRE_CRYPTO:
		return 0;
	}
	return 0;
}

IkeWireStatus
ike_header_decode(const uint8_t *buf, size_t len, IkeHeader *hdr)
{
	FerryReader r;
	IkeWireStatus st;

	ferry_reader_init(&r, buf, len);
	st = ike_field_decode_next(&ike_header_struct, &r, false, hdr);
	if (st != IKE_WIRE_OK)
		return st;
	/* §3.1: a major version other than 2 is answered with INVALID_MAJOR_VERSION */
	if ((hdr->version >> 4) != (IKE_VERSION >> 4))
		return IKE_WIRE_BAD_VERSION;
	if (hdr->length < IKE_HEADER_LEN || hdr->length > IKE_MAX_MESSAGE_LEN)
		return IKE_WIRE_BAD_LENGTH;
	return IKE_WIRE_OK;
}

void
ike_header_encode(const IkeHeader *hdr, uint8_t *out)
{
	FerryWriter w;

	ferry_writer_init(&w, out, IKE_HEADER_LEN);
	(void)ike_field_encode(&ike_header_struct, hdr, &w);
}

static bool
is_encrypted(uint8_t type)
{
	return type == IKE_PAYLOAD_SK || type == IKE_PAYLOAD_SKF;
}

/* One payload of a chain: its generic header, then its body through its table.  `end` is
 * where the payload ends in the buffer that starts at `base`. */
static IkeWireStatus
decode_payload(uint8_t type,
               const IkeGenericHeader *gh,
               const uint8_t *base,
               const uint8_t *end,
               bool in_sk,
               IkeMessage *msg)
{
	const IkeStruct *s = ike_payload_struct(type);
	IkePayload *p;
	IkeWireStatus st;

	if (msg->n_payloads == IKE_MAX_PAYLOADS)
		return IKE_WIRE_TOO_MANY;
	p = &msg->payloads[msg->n_payloads];
	memset(p, 0, offsetof(IkePayload, u));
	p->type = type;
	p->critical = (gh->flags & IKE_PAYLOAD_CRITICAL) != 0;
	p->in_sk = in_sk;
	p->body = gh->body;
	p->sk_first = IKE_PAYLOAD_NONE;
	st = ike_field_decode(s, gh->body.data, gh->body.len, &p->u);
	if (st != IKE_WIRE_OK)
		return st;
	if (is_encrypted(type)) {
		/* the encrypted part (IV onwards) is the payload's tail */
		size_t enc_len = type == IKE_PAYLOAD_SK ? p->u.sk.len : p->u.skf.data.len;

		p->sk_first = gh->next_payload;
		msg->sk_first_payload = gh->next_payload;
		msg->sk_header_end = (size_t)(end - base) - enc_len;
	}
	msg->n_payloads++;
	return IKE_WIRE_OK;
}

static IkeWireStatus
decode_chain(uint8_t type,
             const uint8_t *buf,
             size_t len,
             const uint8_t *base,
             bool in_sk,
             IkeMessage *msg)
{
	FerryReader r;
	unsigned skipped = 0;

	ferry_reader_init(&r, buf, len);
	while (type != IKE_PAYLOAD_NONE) {
		IkeGenericHeader gh;
		IkeWireStatus st = ike_field_decode_next(&ike_generic_header_struct, &r, true, &gh);

		if (st != IKE_WIRE_OK)
			return st;
		if (!ike_payload_struct(type)) {
			/* §2.5: skip an unknown payload unless it is marked critical */
			if (gh.flags & IKE_PAYLOAD_CRITICAL) {
				msg->unsupported_type = type;
				return IKE_WIRE_UNSUPPORTED_CRITICAL;
			}
			if (++skipped > IKE_MAX_SKIPPED_PAYLOADS)
				return IKE_WIRE_TOO_MANY;
			type = gh.next_payload;
			continue;
		}
		if (is_encrypted(type)) {
			/* §3.14: SK is the last payload, and never nested (RFC 7383 §2.5 for SKF)
			 */
			if (in_sk || r.left != 0)
				return IKE_WIRE_INVALID_SYNTAX;
			return decode_payload(type, &gh, base, r.p, in_sk, msg);
		}
		st = decode_payload(type, &gh, base, r.p, in_sk, msg);
		if (st != IKE_WIRE_OK)
			return st;
		type = gh.next_payload;
	}
	/* the last payload said "none", so nothing may follow it */
	return r.left == 0 ? IKE_WIRE_OK : IKE_WIRE_BAD_LENGTH;
}

IkeWireStatus
ike_message_decode(const uint8_t *buf, size_t len, IkeMessage *msg)
{
	IkeWireStatus st;

	msg->n_payloads = 0;
	msg->sk_first_payload = IKE_PAYLOAD_NONE;
	msg->sk_header_end = 0;
	msg->unsupported_type = 0;
	if (!buf || len > IKE_MAX_MESSAGE_LEN)
		return IKE_WIRE_BAD_LENGTH;
	st = ike_header_decode(buf, len, &msg->hdr);
	if (st != IKE_WIRE_OK)
		return st;
	if (msg->hdr.length > len)
		return IKE_WIRE_TRUNCATED;
	if (msg->hdr.length < len)
		return IKE_WIRE_BAD_LENGTH;
	return decode_chain(msg->hdr.next_payload, buf + IKE_HEADER_LEN, len - IKE_HEADER_LEN, buf,
	                    false, msg);
}

IkeWireStatus
ike_message_decode_chain(
	uint8_t first_type, const uint8_t *buf, size_t len, bool in_sk, IkeMessage *msg)
{
	static const uint8_t no_bytes[1];

	/* an empty chain may come as NULL; the reader gets a real pointer either way */
	if (!buf) {
		if (len)
			return IKE_WIRE_BAD_LENGTH;
		buf = no_bytes;
	}
	return decode_chain(first_type, buf, len, buf, in_sk, msg);
}

IkeWireStatus
ike_message_encode_chain(const IkePayload *payloads,
                         size_t n,
                         uint8_t *out,
                         size_t cap,
                         size_t *out_len,
                         uint8_t *first_type)
{
	FerryWriter w;

	ferry_writer_init(&w, out, cap);
	for (size_t i = 0; i < n; i++) {
		const IkePayload *p = &payloads[i];
		const IkeStruct *s = ike_payload_struct(p->type);
		IkeGenericHeader gh = {0};
		IkeWireStatus st;

		if (!s)
			return IKE_WIRE_INVALID_SYNTAX;
		/* §3.14: SK's Next Payload names its first inner payload; SK comes last */
		if (is_encrypted(p->type) && i + 1 != n)
			return IKE_WIRE_INVALID_SYNTAX;
		gh.next_payload = is_encrypted(p->type) ? p->sk_first
		                  : i + 1 < n           ? payloads[i + 1].type
		                                        : IKE_PAYLOAD_NONE;
		gh.flags = p->critical ? IKE_PAYLOAD_CRITICAL : 0;
		st = ike_field_encode_framed(&ike_generic_header_struct, &gh, s, &p->u, &w);
		if (st != IKE_WIRE_OK)
			return st;
	}
	*out_len = w.len;
	if (first_type)
		*first_type = n ? payloads[0].type : IKE_PAYLOAD_NONE;
	return IKE_WIRE_OK;
}

IkeWireStatus
ike_message_encode(const IkeHeader *hdr,
                   const IkePayload *payloads,
                   size_t n,
                   uint8_t *out,
                   size_t cap,
                   size_t *out_len)
{
	IkeHeader h = *hdr;
	size_t chain_len = 0;
	IkeWireStatus st;

	if (cap < IKE_HEADER_LEN)
		return IKE_WIRE_NO_SPACE;
	st = ike_message_encode_chain(payloads, n, out + IKE_HEADER_LEN, cap - IKE_HEADER_LEN,
	                              &chain_len, &h.next_payload);
	if (st != IKE_WIRE_OK)
		return st;
	if (IKE_HEADER_LEN + chain_len > IKE_MAX_MESSAGE_LEN)
		return IKE_WIRE_BAD_LENGTH;
	h.length = (uint32_t)(IKE_HEADER_LEN + chain_len);
	ike_header_encode(&h, out);
	*out_len = h.length;
	return IKE_WIRE_OK;
}

/* ---- per-exchange rules ---- */

typedef struct {
	uint8_t type;
	uint8_t min;
	uint8_t max;
	bool in_sk; /* must arrive inside SK (true) or outside it (false) */
} IkeRule;

typedef struct {
	uint8_t exchange;
	bool response;
	const IkeRule *rules;
	size_t n_rules;
} IkeRuleTable;

/* §1.2: HDR, SAr1, KEr, Nr, [CERTREQ] (+ status notifies, vendor IDs), all in the clear */
static const IkeRule sa_init_response[] = {
  /* type                 min max    in SK */
	{IKE_PAYLOAD_SA,      1, 1,             false},
        {IKE_PAYLOAD_KE,      1, 1,             false},
	{IKE_PAYLOAD_NONCE,   1, 1,             false},
        {IKE_PAYLOAD_CERTREQ, 0, IKE_MAX_CERTS, false},
	{IKE_PAYLOAD_NOTIFY,  0, ANY,           false},
        {IKE_PAYLOAD_VENDOR,  0, ANY,           false},
};

/* §1.2, §2.16, §3.16 (EAP), RFC 4739: HDR, SK {IDr, [CERT+,] AUTH, [CP,] SAr2, TSi, TSr}.
 * Which of these a given round carries depends on the authentication method, so the
 * engine checks presence; the codec checks counts and that all are encrypted. */
static const IkeRule auth_response[] = {
	{IKE_PAYLOAD_SK,      1, 1,             false},
	{IKE_PAYLOAD_IDR,     0, 1,             true },
	{IKE_PAYLOAD_CERT,    0, IKE_MAX_CERTS, true },
	{IKE_PAYLOAD_CERTREQ, 0, IKE_MAX_CERTS, true },
	{IKE_PAYLOAD_AUTH,    0, 1,             true },
	{IKE_PAYLOAD_EAP,     0, 1,             true },
	{IKE_PAYLOAD_CP,      0, 1,             true },
	{IKE_PAYLOAD_SA,      0, 1,             true },
	{IKE_PAYLOAD_TSI,     0, 1,             true },
	{IKE_PAYLOAD_TSR,     0, 1,             true },
	{IKE_PAYLOAD_NOTIFY,  0, ANY,           true },
	{IKE_PAYLOAD_VENDOR,  0, ANY,           true },
};

/* §1.3: HDR, SK {SA, Nonce, [KE], [TSi, TSr]} - both as the response to our request and as
 * a request of the gateway's (rekeying). TSi/TSr are absent when the IKE SA is rekeyed. */
static const IkeRule create_child[] = {
	{IKE_PAYLOAD_SK,     1, 1,   false},
        {IKE_PAYLOAD_SA,     1, 1,   true },
	{IKE_PAYLOAD_NONCE,  1, 1,   true },
        {IKE_PAYLOAD_KE,     0, 1,   true },
	{IKE_PAYLOAD_TSI,    0, 1,   true },
        {IKE_PAYLOAD_TSR,    0, 1,   true },
	{IKE_PAYLOAD_NOTIFY, 0, ANY, true },
        {IKE_PAYLOAD_VENDOR, 0, ANY, true },
};

/* §1.4: HDR, SK {[N,] [D,] [CP,] ...}; empty for liveness checks (§2.4) */
static const IkeRule informational[] = {
	{IKE_PAYLOAD_SK,     1, 1,   false},
        {IKE_PAYLOAD_NOTIFY, 0, ANY, true },
	{IKE_PAYLOAD_DELETE, 0, ANY, true },
        {IKE_PAYLOAD_CP,     0, 1,   true },
	{IKE_PAYLOAD_VENDOR, 0, ANY, true },
};

#define RULES(x, resp, r)                                                                          \
	{                                                                                          \
		x, resp, r, sizeof(r) / sizeof((r)[0])                                             \
	}

/* The client initiates IKE_SA_INIT and IKE_AUTH only (STYLE.md §5); the gateway may start
 * CREATE_CHILD_SA and INFORMATIONAL. */
static const IkeRuleTable rule_tables[] = {
	RULES(IKE_EXCHANGE_IKE_SA_INIT, true, sa_init_response),
	RULES(IKE_EXCHANGE_IKE_AUTH, true, auth_response),
	RULES(IKE_EXCHANGE_CREATE_CHILD_SA, true, create_child),
	RULES(IKE_EXCHANGE_CREATE_CHILD_SA, false, create_child),
	RULES(IKE_EXCHANGE_INFORMATIONAL, true, informational),
	RULES(IKE_EXCHANGE_INFORMATIONAL, false, informational),
};

/* Notifies that replace the usual payloads of a response: §2.6 (COOKIE) and RFC 5685 §4.1
 * (REDIRECT); error notifies (§2.21) likewise.  Minimums do not apply to such a message. */
static const uint16_t replacing_notifies[] = {
	IKE_NOTIFY_COOKIE,
	IKE_NOTIFY_REDIRECT,
};

static bool
has_replacing_notify(const IkeMessage *msg)
{
	if (ike_message_find_error_notify(msg))
		return true;
	for (size_t i = 0; i < sizeof(replacing_notifies) / sizeof(replacing_notifies[0]); i++) {
		if (ike_message_find_notify(msg, replacing_notifies[i]))
			return true;
	}
	return false;
}

static const IkeRule *
find_rule(const IkeRuleTable *t, uint8_t type)
{
	/* SKF stands for SK: a reassembled message carries its fragments' SKF */
	if (type == IKE_PAYLOAD_SKF)
		type = IKE_PAYLOAD_SK;
	for (size_t i = 0; i < t->n_rules; i++) {
		if (t->rules[i].type == type)
			return &t->rules[i];
	}
	return NULL;
}

static IkeWireStatus
check_counts(const IkeRuleTable *t, const IkeMessage *msg)
{
	bool waive_min = has_replacing_notify(msg);

	for (size_t i = 0; i < t->n_rules; i++) {
		const IkeRule *rule = &t->rules[i];
		size_t count = 0;

		for (size_t j = 0; j < msg->n_payloads; j++) {
			uint8_t type = msg->payloads[j].type;

			if (type == rule->type ||
			    (type == IKE_PAYLOAD_SKF && rule->type == IKE_PAYLOAD_SK))
				count++;
		}
		if (count > rule->max || (count < rule->min && !waive_min))
			return IKE_WIRE_INVALID_SYNTAX;
	}
	return IKE_WIRE_OK;
}

IkeWireStatus
ike_message_check_rules(const IkeMessage *msg, bool response)
{
	const IkeRuleTable *t = NULL;

	if (((msg->hdr.flags & IKE_FLAG_RESPONSE) != 0) != response)
		return IKE_WIRE_INVALID_SYNTAX;
	for (size_t i = 0; i < sizeof(rule_tables) / sizeof(rule_tables[0]); i++) {
		if (rule_tables[i].exchange == msg->hdr.exchange &&
		    rule_tables[i].response == response)
			t = &rule_tables[i];
	}
	if (!t)
		return IKE_WIRE_INVALID_SYNTAX;
	for (size_t j = 0; j < msg->n_payloads; j++) {
		const IkePayload *p = &msg->payloads[j];
		const IkeRule *rule = find_rule(t, p->type);

		/* a payload the exchange does not carry, or in the clear when it must be
		 * encrypted (§3.14), is refused */
		if (!rule || rule->in_sk != p->in_sk)
			return IKE_WIRE_INVALID_SYNTAX;
	}
	return check_counts(t, msg);
}

const IkePayload *
ike_message_find(const IkeMessage *msg, uint8_t type)
{
	for (size_t i = 0; i < msg->n_payloads; i++) {
		if (msg->payloads[i].type == type)
			return &msg->payloads[i];
	}
	return NULL;
}

const IkeNotifyPayload *
ike_message_find_notify(const IkeMessage *msg, uint16_t notify_type)
{
	for (size_t i = 0; i < msg->n_payloads; i++) {
		const IkePayload *p = &msg->payloads[i];

		if (p->type == IKE_PAYLOAD_NOTIFY && p->u.notify.type == notify_type)
			return &p->u.notify;
	}
	return NULL;
}

const IkeNotifyPayload *
ike_message_find_error_notify(const IkeMessage *msg)
{
	for (size_t i = 0; i < msg->n_payloads; i++) {
		const IkePayload *p = &msg->payloads[i];

		if (p->type == IKE_PAYLOAD_NOTIFY && p->u.notify.type <= IKE_NOTIFY_ERROR_MAX)
			return &p->u.notify;
	}
	return NULL;
}
