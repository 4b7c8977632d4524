/* ike-message.h - IKE header, payload chain and decoded payload views (GLib-free)
 *
 * Decoding never copies: every FerrySpan in a decoded IkeMessage borrows from the
 * buffer given to the decoder and must not outlive it (STYLE §8 "Decoded views").
 * Encoding takes the same structs; the encoder writes next-payload types and
 * lengths itself, so no builder touches a neighbour's header.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ferry-span.h"
#include "ike-registry.h"

#define IKE_HEADER_LEN          28
#define IKE_PAYLOAD_HEADER_LEN  4
#define IKE_VERSION             0x20 /* major 2, minor 0 (RFC 7296 §3.1) */
#define IKE_FLAG_INITIATOR      0x08
#define IKE_FLAG_VERSION        0x10
#define IKE_FLAG_RESPONSE       0x20
#define IKE_PAYLOAD_CRITICAL    0x80

/* Limits against hostile input; a message beyond them is rejected, not truncated. */
#define IKE_MAX_MESSAGE_LEN     65535
#define IKE_MAX_PAYLOADS        64
#define IKE_MAX_PROPOSALS       16
#define IKE_MAX_TRANSFORMS      48
#define IKE_MAX_TS              16
#define IKE_MAX_CP_ATTRS        32
#define IKE_MAX_SPI_LEN         8

typedef enum {
	IKE_WIRE_OK = 0,
	IKE_WIRE_TRUNCATED,       /* buffer shorter than a length field says */
	IKE_WIRE_BAD_LENGTH,      /* a length field inconsistent with its container */
	IKE_WIRE_BAD_VERSION,     /* major version not 2 -> INVALID_MAJOR_VERSION */
	IKE_WIRE_INVALID_SYNTAX,  /* malformed field, rule broken -> INVALID_SYNTAX */
	IKE_WIRE_UNSUPPORTED_CRITICAL, /* unknown payload with critical bit (RFC 7296 §2.5) */
	IKE_WIRE_TOO_MANY,        /* more payloads/proposals/transforms/TS than the limits */
	IKE_WIRE_NO_SPACE,        /* encoder: output buffer too small */
	IKE_WIRE_INTEGRITY,       /* SK: ICV / AEAD tag mismatch */
	IKE_WIRE_CRYPTO,          /* SK: crypto backend failed */
} IkeWireStatus;

const char *ike_wire_status_to_string(IkeWireStatus st);
/* The notify a responder would send for this status (0 when none applies). */
uint16_t ike_wire_status_to_notify(IkeWireStatus st);

typedef struct {
	uint64_t spi_i;
	uint64_t spi_r;
	uint8_t next_payload;
	uint8_t version;
	uint8_t exchange; /* IKE_EXCHANGE_* */
	uint8_t flags;    /* IKE_FLAG_* */
	uint32_t message_id;
	uint32_t length;
} IkeHeader;

/* SA payload (RFC 7296 §3.3) */
typedef struct {
	uint8_t type;      /* IKE_TRANSFORM_* */
	uint16_t id;       /* IKE_ENCR_*, IKE_PRF_*, ... */
	uint16_t key_bits; /* KEY_LENGTH attribute; 0 when absent */
} IkeTransform;

typedef struct {
	uint8_t number;
	uint8_t protocol; /* IKE_PROTO_* */
	uint8_t spi_size;
	uint8_t spi[IKE_MAX_SPI_LEN];
	uint8_t n_transforms;
	IkeTransform transforms[IKE_MAX_TRANSFORMS];
} IkeProposal;

typedef struct {
	uint8_t n_proposals;
	IkeProposal proposals[IKE_MAX_PROPOSALS];
} IkeSaPayload;

typedef struct {
	uint16_t group;
	FerrySpan data;
} IkeKePayload;

/* IDi/IDr (§3.5).  `body` is the payload after its generic header (type, reserved, data):
 * exactly what AUTH's prf(SK_p, IDx') covers. */
typedef struct {
	uint8_t id_type; /* IKE_ID_* */
	FerrySpan data;
	FerrySpan body;  /* set by the decoder; the encoder ignores it */
} IkeIdPayload;

/* CERT and CERTREQ (§3.6, §3.7) */
typedef struct {
	uint8_t encoding; /* IKE_CERT_* */
	FerrySpan data;
} IkeCertPayload;

typedef struct {
	uint8_t method; /* IKE_AUTH_* */
	FerrySpan data;
} IkeAuthPayload;

typedef struct {
	uint8_t protocol; /* IKE_PROTO_* */
	uint8_t spi_size;
	uint16_t type;    /* IKE_NOTIFY_* */
	FerrySpan spi;
	FerrySpan data;
} IkeNotifyPayload;

typedef struct {
	uint8_t protocol;
	uint8_t spi_size;
	uint16_t n_spi;
	FerrySpan spis; /* n_spi * spi_size bytes */
} IkeDeletePayload;

/* Traffic selector (§3.13.1); addresses are 4 or 16 bytes by type. */
typedef struct {
	uint8_t type;     /* IKE_TS_IPV4_ADDR_RANGE / IKE_TS_IPV6_ADDR_RANGE */
	uint8_t ip_proto; /* 0 = any */
	uint16_t start_port;
	uint16_t end_port;
	uint8_t start[16];
	uint8_t end[16];
} IkeTs;

typedef struct {
	uint8_t n_ts;
	IkeTs ts[IKE_MAX_TS];
} IkeTsPayload;

typedef struct {
	uint16_t type; /* IKE_CP_ATTR_* (R bit masked off) */
	FerrySpan value;
} IkeCpAttr;

typedef struct {
	uint8_t cfg_type; /* IKE_CFG_* */
	uint8_t n_attrs;
	IkeCpAttr attrs[IKE_MAX_CP_ATTRS];
} IkeCpPayload;

/* SKF (RFC 7383 §2.5) */
typedef struct {
	uint16_t number;
	uint16_t total;
	FerrySpan data; /* IV | ciphertext | ICV */
} IkeSkfPayload;

typedef struct {
	uint8_t type; /* IKE_PAYLOAD_* of the payload itself */
	bool critical;
	bool in_sk;     /* decoded from inside SK/SKF */
	FerrySpan body; /* payload after its generic header, borrowed */
	union {
		IkeSaPayload sa;
		IkeKePayload ke;
		IkeIdPayload id;         /* IDI, IDR */
		IkeCertPayload cert;     /* CERT, CERTREQ */
		IkeAuthPayload auth;
		FerrySpan nonce;
		IkeNotifyPayload notify;
		IkeDeletePayload del;
		FerrySpan vendor;
		IkeTsPayload ts;         /* TSI, TSR */
		FerrySpan sk;            /* SK: IV | ciphertext | ICV */
		IkeCpPayload cp;
		FerrySpan eap;           /* whole EAP message */
		IkeSkfPayload skf;
	} u;
	/* SK, SKF: the generic header's Next Payload, i.e. the first inner payload's type
	 * (RFC 7296 §3.14); set by the decoder, written by the encoder. */
	uint8_t sk_first;
} IkePayload;

typedef struct {
	IkeHeader hdr;
	/* For SK/SKF: the inner chain's first payload type, and where the authenticated part
	 * (header through SK generic header) ends, for AEAD's AAD.  That is the offset of the
	 * IV: for SKF it includes Fragment Number and Total Fragments (RFC 7383 §2.5). */
	uint8_t sk_first_payload;
	size_t sk_header_end;
	size_t n_payloads;
	IkePayload payloads[IKE_MAX_PAYLOADS];
	/* After IKE_WIRE_UNSUPPORTED_CRITICAL: the payload type for the notify's data
	 * (RFC 7296 §3.10.1). */
	uint8_t unsupported_type;
} IkeMessage;

/* The fixed 28-byte header (RFC 7296 §3.1). */
IkeWireStatus ike_header_decode(const uint8_t *buf, size_t len, IkeHeader *hdr);
void ike_header_encode(const IkeHeader *hdr, uint8_t *out);

/* Decode the header and the unencrypted payload chain of a datagram (without the non-ESP
 * marker).  An SK or SKF payload must be last; its body is left encrypted for ike-sk.
 * Unknown non-critical payloads are skipped; unknown critical ones fail (§2.5). */
IkeWireStatus ike_message_decode(const uint8_t *buf, size_t len, IkeMessage *msg);

/* Decode a plaintext inner chain (from SK) starting with `first_type`, appending to msg
 * with in_sk = true. */
IkeWireStatus ike_message_decode_chain(uint8_t first_type,
				       const uint8_t *buf,
				       size_t len,
				       bool in_sk,
				       IkeMessage *msg);

/* Encode a payload chain (no header) into out; *first_type receives the first payload's
 * type for the preceding next-payload field. */
IkeWireStatus ike_message_encode_chain(const IkePayload *payloads,
				       size_t n,
				       uint8_t *out,
				       size_t cap,
				       size_t *out_len,
				       uint8_t *first_type);

/* Encode an unencrypted message (IKE_SA_INIT): header + chain; hdr->length and
 * hdr->next_payload are computed. */
IkeWireStatus ike_message_encode(const IkeHeader *hdr,
				 const IkePayload *payloads,
				 size_t n,
				 uint8_t *out,
				 size_t cap,
				 size_t *out_len);

/* Per-exchange rules (§1.2-1.5, tables in ike-message.c): which payloads a response of
 * this exchange may carry, how many, and whether inside SK.  IKE_WIRE_INVALID_SYNTAX when
 * broken.  `response` selects the response table (the client only checks responses and
 * requests the gateway initiates); it must agree with the header's Response flag.  Call it
 * after ike_sk_decode() / ike_frag_buffer_decode(), so the inner payloads are present.
 * An error notify, COOKIE or REDIRECT lifts the minimum counts (§2.21, §2.6, RFC 5685). */
IkeWireStatus ike_message_check_rules(const IkeMessage *msg, bool response);

/* Lookup helpers over a decoded message. */
const IkePayload *ike_message_find(const IkeMessage *msg, uint8_t type);
const IkeNotifyPayload *ike_message_find_notify(const IkeMessage *msg, uint16_t notify_type);
/* First error notify (type <= IKE_NOTIFY_ERROR_MAX), or NULL. */
const IkeNotifyPayload *ike_message_find_error_notify(const IkeMessage *msg);
