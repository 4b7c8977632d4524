/* SPDX-License-Identifier: GPL-2.0-or-later */
/* ike-field.h - the descriptor engine: one decoder and one encoder for every IKE structure
 *
 * A structure (payload body, proposal, transform, selector, ...) is an IkeStruct: an
 * array of IkeField descriptors in wire order, each naming where its value lives in the
 * C struct.  ike-payloads.c holds the tables; this engine is the only code that does
 * length arithmetic (STYLE.md §4).  Decoding borrows: spans point into the input.
 * Reserved fields are written as zero and ignored on receipt.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ferry-span.h"
#include "ike-message.h"

typedef enum {
	IKE_F_U8, /* integers, big-endian; U16 masks with `aux` when nonzero */
	IKE_F_U16,
	IKE_F_U32,
	IKE_F_U64,
	IKE_F_ZERO,        /* `aux` reserved bytes */
	IKE_F_CONST16,     /* the 16-bit constant `aux`; anything else is invalid */
	IKE_F_MORE,        /* "Last Substruc": `aux` when another item follows, 0 on the last */
	IKE_F_LEN16,       /* length of the structure: IKE_LEN_WHOLE or IKE_LEN_FOLLOWING (`aux`) */
	IKE_F_SPAN_ALL,    /* borrowed span over the whole structure; consumes nothing */
	IKE_F_SPAN_REST,   /* borrowed span of the rest of the structure */
	IKE_F_SPAN_SIZED,  /* borrowed span, length = the uint8_t at `ref` */
	IKE_F_SPAN_MUL,    /* borrowed span, length = uint16_t at `ref` * uint8_t at `ref2` */
	IKE_F_ARRAY_SIZED, /* copied into an array, length = the uint8_t at `ref`, at most `aux` */
	IKE_F_ARRAY_BY_TYPE, /* copied into an array, length = `map` lookup of the uint8_t at `ref`
	                      */
	IKE_F_REPEAT,   /* items of `sub` until the structure ends; count -> uint8_t at `ref` */
	IKE_F_REPEAT_N, /* exactly (uint8_t at `ref`) items of `sub`; both at most `aux` */
	IKE_F_OPTIONAL, /* one trailing `sub` if bytes remain; encoded only when not all zero */
	IKE_F_BODY,     /* decode: rest as a span; encode: the body structure given by the caller */
} IkeFieldKind;

#define IKE_LEN_WHOLE     0 /* the length counts the structure from its first byte */
#define IKE_LEN_FOLLOWING 1 /* the length counts the bytes after the length field */

/* A type -> length table for IKE_F_ARRAY_BY_TYPE, ended by { 0, 0 }. */
typedef struct {
	uint8_t type;
	uint8_t len;
} IkeFieldLenMap;

typedef struct IkeStruct IkeStruct;

typedef struct {
	IkeFieldKind kind;
	uint32_t off;  /* where the value lives in the C struct */
	uint32_t aux;  /* byte count, constant, marker, maximum or mask, by kind */
	uint32_t ref;  /* offset of the size / count / type field this one depends on */
	uint32_t ref2; /* second factor of IKE_F_SPAN_MUL */
	const IkeStruct *sub;
	const IkeFieldLenMap *map;
} IkeField;

struct IkeStruct {
	const char *name;
	size_t size; /* sizeof the C struct (stride of repeated items) */
	const IkeField *fields;
	size_t n_fields;
	/* Semantic rules of the RFC beyond the layout; run after each decode. */
	IkeWireStatus (*check)(const void *obj);
};

/* Decode exactly `len` bytes as one `s` (a declared container: running out is BAD_LENGTH). */
IkeWireStatus ike_field_decode(const IkeStruct *s, const uint8_t *buf, size_t len, void *obj);
/* Decode one `s` from the front of `r` and advance past it.  `declared`: the reader's end
 * is a length the peer stated (overrun = BAD_LENGTH) rather than the datagram's (TRUNCATED). */
IkeWireStatus ike_field_decode_next(const IkeStruct *s, FerryReader *r, bool declared, void *obj);

IkeWireStatus ike_field_encode(const IkeStruct *s, const void *obj, FerryWriter *w);
/* Encode `frame` whose IKE_F_BODY field is filled by encoding `body_obj` with `body`, or
 * with body == NULL by the frame's own span.  Any span that already sits at the writer's
 * position (built in place, as SK's ciphertext is) is reserved rather than copied. */
IkeWireStatus ike_field_encode_framed(const IkeStruct *frame,
                                      const void *frame_obj,
                                      const IkeStruct *body,
                                      const void *body_obj,
                                      FerryWriter *w);
