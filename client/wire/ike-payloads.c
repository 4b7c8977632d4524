/* SPDX-License-Identifier: GPL-2.0-or-later */
/* ike-payloads.c - one descriptor table per IKEv2 payload and substructure, with its checks
 *
 * Each table lists the fields in wire order, under the figure of RFC 7296 §3 (or RFC 7383)
 * it implements.  The *_check() functions beside a table hold the RFC's rules that the
 * layout cannot express; the engine (ike-field.c) runs them after each decode.
 */
#include <stddef.h>
#include <string.h>

#include "ike-payloads.h"

#define N_ELEMENTS(a) (sizeof(a) / sizeof((a)[0]))

/* clang-format off */
#define U8(T, m)          { .kind = IKE_F_U8, .off = offsetof(T, m) }
#define U16(T, m)         { .kind = IKE_F_U16, .off = offsetof(T, m) }
#define U16_MASK(T, m, k) { .kind = IKE_F_U16, .off = offsetof(T, m), .aux = (k) }
#define U32(T, m)         { .kind = IKE_F_U32, .off = offsetof(T, m) }
#define U64(T, m)         { .kind = IKE_F_U64, .off = offsetof(T, m) }
#define ZERO(n)           { .kind = IKE_F_ZERO, .aux = (n) }
#define CONST16(v)        { .kind = IKE_F_CONST16, .aux = (v) }
#define MORE(v)           { .kind = IKE_F_MORE, .aux = (v) }
#define LEN_WHOLE         { .kind = IKE_F_LEN16, .aux = IKE_LEN_WHOLE }
#define LEN_FOLLOWING     { .kind = IKE_F_LEN16, .aux = IKE_LEN_FOLLOWING }
#define SPAN_ALL(T, m)    { .kind = IKE_F_SPAN_ALL, .off = offsetof(T, m) }
#define REST(T, m)        { .kind = IKE_F_SPAN_REST, .off = offsetof(T, m) }
#define BODY(T, m)        { .kind = IKE_F_BODY, .off = offsetof(T, m) }
#define SIZED(T, m, sz)   { .kind = IKE_F_SPAN_SIZED, .off = offsetof(T, m), .ref = offsetof(T, sz) }
#define MUL(T, m, n, sz) \
	{ .kind = IKE_F_SPAN_MUL, .off = offsetof(T, m), .ref = offsetof(T, n), .ref2 = offsetof(T, sz) }
#define ARRAY(T, m, sz, max) \
	{ .kind = IKE_F_ARRAY_SIZED, .off = offsetof(T, m), .ref = offsetof(T, sz), .aux = (max) }
#define ARRAY_BY(T, m, type, lens) \
	{ .kind = IKE_F_ARRAY_BY_TYPE, .off = offsetof(T, m), .ref = offsetof(T, type), .map = (lens) }
#define REPEAT(T, m, n, max, s) \
	{ .kind = IKE_F_REPEAT, .off = offsetof(T, m), .ref = offsetof(T, n), .aux = (max), .sub = &(s) }
#define REPEAT_N(T, m, n, max, s) \
	{ .kind = IKE_F_REPEAT_N, .off = offsetof(T, m), .ref = offsetof(T, n), .aux = (max), .sub = &(s) }
#define OPTIONAL(T, m, s) { .kind = IKE_F_OPTIONAL, .off = offsetof(T, m), .sub = &(s) }
/* clang-format on */

#define STRUCT(name, T, fields, check)                                                             \
	const IkeStruct name = {#T, sizeof(T), fields, N_ELEMENTS(fields), check}

/* Limits of RFC 7296 that are not layout. */
#define NONCE_MIN_LEN        16    /* §3.9 */
#define NONCE_MAX_LEN        256   /* §3.9 */
#define IKE_SPI_LEN          8     /* §3.3.1: an IKE SA's SPI when rekeying */
#define CHILD_SPI_LEN        4     /* §3.3.1: AH and ESP */
#define TS_PORT_OPAQUE_START 65535 /* §3.13.1: start 65535, end 0 means OPAQUE */
#define EAP_HEADER_LEN       4     /* RFC 3748 §4: Code, Identifier, Length */
#define EAP_CODE_REQUEST     1
#define EAP_CODE_RESPONSE    2
#define EAP_CODE_SUCCESS     3
#define EAP_CODE_FAILURE     4

/* RFC 7296 §3.1, Figure 4: IKE header
 *   |                   IKE SA Initiator's SPI (8)                  |
 *   |                   IKE SA Responder's SPI (8)                  |
 *   |  Next Payload | MjVer | MnVer | Exchange Type |     Flags     |
 *   |                          Message ID                           |
 *   |                            Length                             |
 */
static const IkeField header_fields[] = {
	U64(IkeHeader, spi_i),      U64(IkeHeader, spi_r),   U8(IkeHeader, next_payload),
	U8(IkeHeader, version),     U8(IkeHeader, exchange), U8(IkeHeader, flags),
	U32(IkeHeader, message_id), U32(IkeHeader, length),
};
STRUCT(ike_header_struct, IkeHeader, header_fields, NULL);

/* RFC 7296 §3.2, Figure 5: generic payload header
 *   | Next Payload  |C|  RESERVED   |         Payload Length        |
 */
static const IkeField generic_header_fields[] = {
	U8(IkeGenericHeader, next_payload),
	U8(IkeGenericHeader, flags),
	LEN_WHOLE,
	BODY(IkeGenericHeader, body),
};
STRUCT(ike_generic_header_struct, IkeGenericHeader, generic_header_fields, NULL);

/* RFC 7296 §3.3.5, Figure 9: transform attribute, TV form (AF = 1).  IKEv2 defines only
 * Key Length (14), in TV form; any other attribute is rejected (§3.3.6).
 *   |A|       Attribute Type        |    AF=1  Attribute Value      |
 */
static const IkeField key_length_attr_fields[] = {
	CONST16(0x8000 | IKE_ATTR_KEY_LENGTH),
	{.kind = IKE_F_U16, .off = 0},
};
static STRUCT(key_length_attr_struct, uint16_t, key_length_attr_fields, NULL);

/* RFC 7296 §3.3.2, Figure 8: transform substructure
 *   | Last Substruc |   RESERVED    |        Transform Length       |
 *   |Transform Type |   RESERVED    |          Transform ID         |
 *   ~                      Transform Attributes                     ~
 */
static IkeWireStatus
transform_check(const void *obj)
{
	const IkeTransform *t = obj;

	return t->type != 0 ? IKE_WIRE_OK : IKE_WIRE_INVALID_SYNTAX;
}

static const IkeField transform_fields[] = {
	MORE(3),
	ZERO(1),
	LEN_WHOLE,
	U8(IkeTransform, type),
	ZERO(1),
	U16(IkeTransform, id),
	OPTIONAL(IkeTransform, key_bits, key_length_attr_struct),
};
static STRUCT(transform_struct, IkeTransform, transform_fields, transform_check);

/* RFC 7296 §3.3.1, Figure 7: proposal substructure
 *   | Last Substruc |   RESERVED    |         Proposal Length       |
 *   | Proposal Num  |  Protocol ID  |    SPI Size   |Num  Transforms|
 *   ~                        SPI (variable)                         ~
 *   ~                        <Transforms>                           ~
 */
static IkeWireStatus
proposal_check(const IkeProposal *p)
{
	if (p->number == 0 || p->n_transforms == 0)
		return IKE_WIRE_INVALID_SYNTAX;
	switch (p->protocol) {
	case IKE_PROTO_IKE:
		/* empty in IKE_SA_INIT, the new SPI when rekeying the IKE SA (§3.3.1) */
		return p->spi_size == 0 || p->spi_size == IKE_SPI_LEN ? IKE_WIRE_OK
		                                                      : IKE_WIRE_INVALID_SYNTAX;
	case IKE_PROTO_AH:
	case IKE_PROTO_ESP:
		return p->spi_size == CHILD_SPI_LEN ? IKE_WIRE_OK : IKE_WIRE_INVALID_SYNTAX;
	default:
		return IKE_WIRE_INVALID_SYNTAX;
	}
}

static IkeWireStatus
proposal_check_obj(const void *obj)
{
	return proposal_check(obj);
}

static const IkeField proposal_fields[] = {
	MORE(2),
	ZERO(1),
	LEN_WHOLE,
	U8(IkeProposal, number),
	U8(IkeProposal, protocol),
	U8(IkeProposal, spi_size),
	U8(IkeProposal, n_transforms),
	ARRAY(IkeProposal, spi, spi_size, IKE_MAX_SPI_LEN),
	REPEAT_N(IkeProposal, transforms, n_transforms, IKE_MAX_TRANSFORMS, transform_struct),
};
static STRUCT(proposal_struct, IkeProposal, proposal_fields, proposal_check_obj);

/* RFC 7296 §3.3, Figure 6: Security Association payload
 *   ~                          <Proposals>                          ~
 */
static IkeWireStatus
sa_check(const void *obj)
{
	const IkeSaPayload *sa = obj;

	return sa->n_proposals > 0 ? IKE_WIRE_OK : IKE_WIRE_INVALID_SYNTAX;
}

static const IkeField sa_fields[] = {
	REPEAT(IkeSaPayload, proposals, n_proposals, IKE_MAX_PROPOSALS, proposal_struct),
};
static STRUCT(sa_struct, IkeSaPayload, sa_fields, sa_check);

/* RFC 7296 §3.4, Figure 10: Key Exchange payload
 *   |   Diffie-Hellman Group Num    |           RESERVED            |
 *   ~                       Key Exchange Data                       ~
 */
static IkeWireStatus
ke_check(const void *obj)
{
	const IkeKePayload *ke = obj;

	return ke->group != 0 && ke->data.len > 0 ? IKE_WIRE_OK : IKE_WIRE_INVALID_SYNTAX;
}

static const IkeField ke_fields[] = {
	U16(IkeKePayload, group),
	ZERO(2),
	REST(IkeKePayload, data),
};
static STRUCT(ke_struct, IkeKePayload, ke_fields, ke_check);

/* RFC 7296 §3.5, Figure 11: Identification payloads (IDi, IDr)
 *   |   ID Type     |                 RESERVED                      |
 *   ~                   Identification Data                         ~
 * `body` (the whole payload body) is what AUTH signs (§2.15).
 */
static IkeWireStatus
id_check(const void *obj)
{
	const IkeIdPayload *id = obj;

	switch (id->id_type) {
	case IKE_ID_IPV4_ADDR:
		return id->data.len == 4 ? IKE_WIRE_OK : IKE_WIRE_INVALID_SYNTAX;
	case IKE_ID_IPV6_ADDR:
		return id->data.len == 16 ? IKE_WIRE_OK : IKE_WIRE_INVALID_SYNTAX;
	case IKE_ID_FQDN:
	case IKE_ID_RFC822_ADDR:
	case IKE_ID_DER_ASN1_DN:
	case IKE_ID_DER_ASN1_GN:
	case IKE_ID_KEY_ID:
		return id->data.len > 0 ? IKE_WIRE_OK : IKE_WIRE_INVALID_SYNTAX;
	default:
		return IKE_WIRE_INVALID_SYNTAX;
	}
}

static const IkeField id_fields[] = {
	SPAN_ALL(IkeIdPayload, body),
	U8(IkeIdPayload, id_type),
	ZERO(3),
	REST(IkeIdPayload, data),
};
static STRUCT(id_struct, IkeIdPayload, id_fields, id_check);

/* RFC 7296 §3.6, Figure 12: Certificate payload, and §3.7, Figure 13: Certificate Request
 *   | Cert Encoding |                                               |
 *   +-+-+-+-+-+-+-+-+                                               |
 *   ~                       Certificate Data / Certification Authority ~
 * A CERTREQ may name no authority; a CERT must carry data.
 */
static IkeWireStatus
cert_check(const void *obj)
{
	const IkeCertPayload *c = obj;

	return c->encoding != 0 && c->data.len > 0 ? IKE_WIRE_OK : IKE_WIRE_INVALID_SYNTAX;
}

static IkeWireStatus
certreq_check(const void *obj)
{
	const IkeCertPayload *c = obj;

	return c->encoding != 0 ? IKE_WIRE_OK : IKE_WIRE_INVALID_SYNTAX;
}

static const IkeField cert_fields[] = {
	U8(IkeCertPayload, encoding),
	REST(IkeCertPayload, data),
};
static STRUCT(cert_struct, IkeCertPayload, cert_fields, cert_check);
static STRUCT(certreq_struct, IkeCertPayload, cert_fields, certreq_check);

/* RFC 7296 §3.8, Figure 14: Authentication payload
 *   | Auth Method   |                RESERVED                       |
 *   ~                      Authentication Data                      ~
 */
static IkeWireStatus
auth_check(const void *obj)
{
	const IkeAuthPayload *a = obj;

	return a->method != 0 && a->data.len > 0 ? IKE_WIRE_OK : IKE_WIRE_INVALID_SYNTAX;
}

static const IkeField auth_fields[] = {
	U8(IkeAuthPayload, method),
	ZERO(3),
	REST(IkeAuthPayload, data),
};
static STRUCT(auth_struct, IkeAuthPayload, auth_fields, auth_check);

/* Payloads that are one opaque span: Nonce (§3.9, Figure 15), Vendor ID (§3.12, Figure 18),
 * SK (§3.14, Figure 21: IV | encrypted payloads, padding, pad length | ICV), EAP (§3.16,
 * Figure 24: the whole EAP message).
 *   ~                            Nonce Data / Vendor ID / ...       ~
 */
static IkeWireStatus
nonce_check(const void *obj)
{
	const FerrySpan *n = obj;

	/* §3.9: "The size of the Nonce Data MUST be between 16 and 256 octets, inclusive." */
	return n->len >= NONCE_MIN_LEN && n->len <= NONCE_MAX_LEN ? IKE_WIRE_OK
	                                                          : IKE_WIRE_INVALID_SYNTAX;
}

/* RFC 3748 §4: Code | Identifier | Length | Type | Type-Data; Success and Failure carry no
 * Type.  The EAP Length must agree with the payload. */
static IkeWireStatus
eap_check(const void *obj)
{
	const FerrySpan *m = obj;

	if (m->len < EAP_HEADER_LEN || ferry_get_be16(m->data + 2) != m->len)
		return IKE_WIRE_INVALID_SYNTAX;
	switch (m->data[0]) {
	case EAP_CODE_REQUEST:
	case EAP_CODE_RESPONSE:
		return m->len > EAP_HEADER_LEN ? IKE_WIRE_OK : IKE_WIRE_INVALID_SYNTAX;
	case EAP_CODE_SUCCESS:
	case EAP_CODE_FAILURE:
		return m->len == EAP_HEADER_LEN ? IKE_WIRE_OK : IKE_WIRE_INVALID_SYNTAX;
	default:
		return IKE_WIRE_INVALID_SYNTAX;
	}
}

static const IkeField opaque_fields[] = {
	{.kind = IKE_F_SPAN_REST, .off = 0},
};
static STRUCT(nonce_struct, FerrySpan, opaque_fields, nonce_check);
static STRUCT(vendor_struct, FerrySpan, opaque_fields, NULL);
static STRUCT(sk_struct, FerrySpan, opaque_fields, NULL);
static STRUCT(eap_struct, FerrySpan, opaque_fields, eap_check);

/* RFC 7296 §3.10, Figure 16: Notify payload
 *   |  Protocol ID  |   SPI Size    |      Notify Message Type      |
 *   ~                Security Parameter Index (SPI)                 ~
 *   ~                       Notification Data                       ~
 */
static IkeWireStatus
notify_check(const void *obj)
{
	const IkeNotifyPayload *n = obj;

	if (n->type == 0)
		return IKE_WIRE_INVALID_SYNTAX;
	/* §3.10: no SPI -> the protocol is ignored; a Child SA's SPI is 4 octets.  The IKE
	 * SA's SPIs are in the header, but an 8-octet IKE SPI is accepted as RFC 4306 allowed. */
	switch (n->spi_size) {
	case 0:
		return IKE_WIRE_OK;
	case CHILD_SPI_LEN:
		return n->protocol == IKE_PROTO_AH || n->protocol == IKE_PROTO_ESP
		               ? IKE_WIRE_OK
		               : IKE_WIRE_INVALID_SYNTAX;
	case IKE_SPI_LEN:
		return n->protocol == IKE_PROTO_IKE ? IKE_WIRE_OK : IKE_WIRE_INVALID_SYNTAX;
	default:
		return IKE_WIRE_INVALID_SYNTAX;
	}
}

static const IkeField notify_fields[] = {
	U8(IkeNotifyPayload, protocol), U8(IkeNotifyPayload, spi_size),
	U16(IkeNotifyPayload, type),    SIZED(IkeNotifyPayload, spi, spi_size),
	REST(IkeNotifyPayload, data),
};
static STRUCT(notify_struct, IkeNotifyPayload, notify_fields, notify_check);

/* RFC 7296 §3.11, Figure 17: Delete payload
 *   | Protocol ID   |   SPI Size    |          Num of SPIs          |
 *   ~               Security Parameter Index(es) (SPI)              ~
 */
static IkeWireStatus
delete_check(const void *obj)
{
	const IkeDeletePayload *d = obj;

	switch (d->protocol) {
	case IKE_PROTO_IKE:
		/* §3.11: deleting the IKE SA carries no SPI */
		return d->spi_size == 0 && d->n_spi == 0 ? IKE_WIRE_OK : IKE_WIRE_INVALID_SYNTAX;
	case IKE_PROTO_AH:
	case IKE_PROTO_ESP:
		return d->spi_size == CHILD_SPI_LEN && d->n_spi > 0 ? IKE_WIRE_OK
		                                                    : IKE_WIRE_INVALID_SYNTAX;
	default:
		return IKE_WIRE_INVALID_SYNTAX;
	}
}

static const IkeField delete_fields[] = {
	U8(IkeDeletePayload, protocol),
	U8(IkeDeletePayload, spi_size),
	U16(IkeDeletePayload, n_spi),
	MUL(IkeDeletePayload, spis, n_spi, spi_size),
};
static STRUCT(delete_struct, IkeDeletePayload, delete_fields, delete_check);

/* RFC 7296 §3.13.1, Figure 20: traffic selector
 *   |   TS Type     |IP Protocol ID*|       Selector Length         |
 *   |           Start Port*         |           End Port*           |
 *   ~                         Starting Address*                     ~
 *   ~                         Ending Address*                       ~
 * The address length follows from the TS type.
 */
static const IkeFieldLenMap ts_addr_lens[] = {
	{IKE_TS_IPV4_ADDR_RANGE, 4 },
	{IKE_TS_IPV6_ADDR_RANGE, 16},
	{0,		      0 },
};

static size_t
find_ts_addr_len(uint8_t type)
{
	for (const IkeFieldLenMap *m = ts_addr_lens; m->len; m++) {
		if (m->type == type)
			return m->len;
	}
	return 0;
}

static IkeWireStatus
ts_check(const void *obj)
{
	const IkeTs *ts = obj;
	size_t n = find_ts_addr_len(ts->type);
	bool opaque = ts->start_port == TS_PORT_OPAQUE_START && ts->end_port == 0;

	if (n == 0 || memcmp(ts->start, ts->end, n) > 0)
		return IKE_WIRE_INVALID_SYNTAX;
	return ts->start_port <= ts->end_port || opaque ? IKE_WIRE_OK : IKE_WIRE_INVALID_SYNTAX;
}

static const IkeField ts_fields[] = {
	U8(IkeTs, type),
	U8(IkeTs, ip_proto),
	LEN_WHOLE,
	U16(IkeTs, start_port),
	U16(IkeTs, end_port),
	ARRAY_BY(IkeTs, start, type, ts_addr_lens),
	ARRAY_BY(IkeTs, end, type, ts_addr_lens),
};
static STRUCT(ts_struct, IkeTs, ts_fields, ts_check);

/* RFC 7296 §3.13, Figure 19: Traffic Selector payload (TSi, TSr)
 *   | Number of TSs |                 RESERVED                      |
 *   ~                       <Traffic Selectors>                     ~
 */
static IkeWireStatus
ts_payload_check(const void *obj)
{
	const IkeTsPayload *p = obj;

	return p->n_ts > 0 ? IKE_WIRE_OK : IKE_WIRE_INVALID_SYNTAX;
}

static const IkeField ts_payload_fields[] = {
	U8(IkeTsPayload, n_ts),
	ZERO(3),
	REPEAT_N(IkeTsPayload, ts, n_ts, IKE_MAX_TS, ts_struct),
};
static STRUCT(ts_payload_struct, IkeTsPayload, ts_payload_fields, ts_payload_check);

/* RFC 7296 §3.15.1, Figure 23: configuration attribute
 *   |R|         Attribute Type      |            Length             |
 *   ~                             Value                             ~
 * Value lengths from the table in §3.15.1 (a request sends them empty).
 */
static const struct {
	uint16_t type;
	uint8_t len;
} cp_attr_lens[] = {
	{IKE_CP_ATTR_INTERNAL_IP4_ADDRESS, 4 },
        {IKE_CP_ATTR_INTERNAL_IP4_NETMASK, 4 },
	{IKE_CP_ATTR_INTERNAL_IP4_DNS,     4 },
        {IKE_CP_ATTR_INTERNAL_IP4_NBNS,    4 },
	{IKE_CP_ATTR_INTERNAL_IP4_DHCP,    4 },
        {IKE_CP_ATTR_INTERNAL_IP6_ADDRESS, 17},
	{IKE_CP_ATTR_INTERNAL_IP6_DNS,     16},
        {IKE_CP_ATTR_INTERNAL_IP6_DHCP,    16},
	{IKE_CP_ATTR_INTERNAL_IP4_SUBNET,  8 },
        {IKE_CP_ATTR_INTERNAL_IP6_SUBNET,  17},
};

static IkeWireStatus
cp_attr_check(const void *obj)
{
	const IkeCpAttr *a = obj;

	for (size_t i = 0; i < N_ELEMENTS(cp_attr_lens); i++) {
		if (cp_attr_lens[i].type != a->type)
			continue;
		return a->value.len == 0 || a->value.len == cp_attr_lens[i].len
		               ? IKE_WIRE_OK
		               : IKE_WIRE_INVALID_SYNTAX;
	}
	return IKE_WIRE_OK;
}

static const IkeField cp_attr_fields[] = {
	U16_MASK(IkeCpAttr, type, 0x7fff),
	LEN_FOLLOWING,
	REST(IkeCpAttr, value),
};
static STRUCT(cp_attr_struct, IkeCpAttr, cp_attr_fields, cp_attr_check);

/* RFC 7296 §3.15, Figure 22: Configuration payload
 *   |   CFG Type    |                    RESERVED                   |
 *   ~                   Configuration Attributes                    ~
 */
static IkeWireStatus
cp_check(const void *obj)
{
	const IkeCpPayload *cp = obj;

	return ike_cfg_name(cp->cfg_type) ? IKE_WIRE_OK : IKE_WIRE_INVALID_SYNTAX;
}

static const IkeField cp_fields[] = {
	U8(IkeCpPayload, cfg_type),
	ZERO(3),
	REPEAT(IkeCpPayload, attrs, n_attrs, IKE_MAX_CP_ATTRS, cp_attr_struct),
};
static STRUCT(cp_struct, IkeCpPayload, cp_fields, cp_check);

/* RFC 7383 §2.5, Figure 2: Encrypted Fragment payload (after the generic header)
 *   |        Fragment Number        |        Total Fragments        |
 *   |                     Initialization Vector                     |
 *   ~                      Encrypted content                        ~
 *   ~                    Integrity Checksum Data                    ~
 */
static IkeWireStatus
skf_check(const void *obj)
{
	const IkeSkfPayload *f = obj;

	/* §2.5: fragments are numbered from 1 to Total Fragments */
	return f->number >= 1 && f->number <= f->total ? IKE_WIRE_OK : IKE_WIRE_INVALID_SYNTAX;
}

static const IkeField skf_fields[] = {
	U16(IkeSkfPayload, number),
	U16(IkeSkfPayload, total),
	REST(IkeSkfPayload, data),
};
static STRUCT(skf_struct, IkeSkfPayload, skf_fields, skf_check);

static const struct {
	uint8_t type;
	const IkeStruct *s;
} payload_structs[] = {
	{IKE_PAYLOAD_SA,      &sa_struct        },
        {IKE_PAYLOAD_KE,      &ke_struct        },
	{IKE_PAYLOAD_IDI,     &id_struct        },
        {IKE_PAYLOAD_IDR,     &id_struct        },
	{IKE_PAYLOAD_CERT,    &cert_struct      },
        {IKE_PAYLOAD_CERTREQ, &certreq_struct   },
	{IKE_PAYLOAD_AUTH,    &auth_struct      },
        {IKE_PAYLOAD_NONCE,   &nonce_struct     },
	{IKE_PAYLOAD_NOTIFY,  &notify_struct    },
        {IKE_PAYLOAD_DELETE,  &delete_struct    },
	{IKE_PAYLOAD_VENDOR,  &vendor_struct    },
        {IKE_PAYLOAD_TSI,     &ts_payload_struct},
	{IKE_PAYLOAD_TSR,     &ts_payload_struct},
        {IKE_PAYLOAD_SK,      &sk_struct        },
	{IKE_PAYLOAD_CP,      &cp_struct        },
        {IKE_PAYLOAD_EAP,     &eap_struct       },
	{IKE_PAYLOAD_SKF,     &skf_struct       },
};

const IkeStruct *
ike_payload_struct(uint8_t type)
{
	for (size_t i = 0; i < N_ELEMENTS(payload_structs); i++) {
		if (payload_structs[i].type == type)
			return payload_structs[i].s;
	}
	return NULL;
}
