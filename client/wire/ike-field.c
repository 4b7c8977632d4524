/* SPDX-License-Identifier: GPL-2.0-or-later */
/* ike-field.c - the one decoder and one encoder that interpret IkeStruct descriptor tables
 *
 * All length arithmetic of the codec lives here: a structure's extent comes from its
 * IKE_F_LEN16 field (or its container), every field read is bounds-checked by FerryReader,
 * and a structure must be consumed exactly.
 */
#include <string.h>

#include "ike-field.h"

typedef struct {
	const uint8_t *start; /* first byte of the structure */
	FerryReader r;        /* what is left of it (or of its container) */
	bool declared;        /* the end is a length the peer stated */
	bool bounded;         /* the structure's own length field set that end */
} Cursor;

typedef struct {
	const IkeStruct *body;
	const void *body_obj;
} BodyArg;

static IkeWireStatus
decode_struct(const IkeStruct *s, FerryReader *outer, bool declared, void *obj, uint8_t *more);
static IkeWireStatus
encode_struct(const IkeStruct *s, const void *obj, FerryWriter *w, bool last, const BodyArg *body);

static void *
at(void *obj, uint32_t off)
{
	return (uint8_t *)obj + off;
}

static const void *
cat(const void *obj, uint32_t off)
{
	return (const uint8_t *)obj + off;
}

static uint8_t
get_u8(const void *obj, uint32_t off)
{
	return *(const uint8_t *)cat(obj, off);
}

static uint16_t
get_u16(const void *obj, uint32_t off)
{
	uint16_t v;

	memcpy(&v, cat(obj, off), sizeof(v));
	return v;
}

static IkeWireStatus
overrun(const Cursor *c)
{
	return c->declared ? IKE_WIRE_BAD_LENGTH : IKE_WIRE_TRUNCATED;
}

static int
lookup_len(const IkeFieldLenMap *map, uint8_t type)
{
	for (; map && map->len; map++) {
		if (map->type == type)
			return map->len;
	}
	return -1;
}

static bool
is_all_zero(const void *p, size_t n)
{
	const uint8_t *b = p;

	for (size_t i = 0; i < n; i++) {
		if (b[i])
			return false;
	}
	return true;
}

/* The "Last Substruc" marker of a repeated structure, or 0 when it has none. */
static uint32_t
find_more_marker(const IkeStruct *s)
{
	for (size_t i = 0; i < s->n_fields; i++) {
		if (s->fields[i].kind == IKE_F_MORE)
			return s->fields[i].aux;
	}
	return 0;
}

static IkeWireStatus
decode_int(const IkeField *f, Cursor *c, void *obj)
{
	uint8_t u8;
	uint16_t u16;
	uint32_t u32;
	uint64_t u64;

	if (f->kind == IKE_F_U8) {
		u8 = ferry_reader_u8(&c->r);
		memcpy(at(obj, f->off), &u8, sizeof(u8));
	} else if (f->kind == IKE_F_U16) {
		u16 = ferry_reader_u16(&c->r);
		if (f->aux)
			u16 &= (uint16_t)f->aux;
		memcpy(at(obj, f->off), &u16, sizeof(u16));
	} else if (f->kind == IKE_F_U32) {
		u32 = ferry_reader_u32(&c->r);
		memcpy(at(obj, f->off), &u32, sizeof(u32));
	} else {
		u64 = ferry_reader_u64(&c->r);
		memcpy(at(obj, f->off), &u64, sizeof(u64));
	}
	return c->r.ok ? IKE_WIRE_OK : overrun(c);
}

static IkeWireStatus
decode_len(const IkeField *f, Cursor *c)
{
	uint16_t v = ferry_reader_u16(&c->r);
	size_t used = (size_t)(c->r.p - c->start);
	size_t inner;

	if (!c->r.ok)
		return overrun(c);
	if (f->aux == IKE_LEN_WHOLE) {
		if (v < used)
			return IKE_WIRE_BAD_LENGTH;
		inner = v - used;
	} else {
		inner = v;
	}
	if (inner > c->r.left)
		return overrun(c);
	c->r.left = inner;
	c->declared = true;
	c->bounded = true;
	return IKE_WIRE_OK;
}

static IkeWireStatus
decode_span(const IkeField *f, Cursor *c, void *obj)
{
	size_t n = c->r.left; /* IKE_F_SPAN_REST, IKE_F_BODY */
	FerrySpan span;

	if (f->kind == IKE_F_SPAN_ALL) {
		span = FERRY_SPAN(c->start, (size_t)(c->r.p - c->start) + c->r.left);
		memcpy(at(obj, f->off), &span, sizeof(span));
		return IKE_WIRE_OK;
	}
	if (f->kind == IKE_F_SPAN_SIZED)
		n = get_u8(obj, f->ref);
	else if (f->kind == IKE_F_SPAN_MUL)
		n = (size_t)get_u16(obj, f->ref) * get_u8(obj, f->ref2);
	span = ferry_reader_span(&c->r, n);
	if (!c->r.ok)
		return overrun(c);
	if (n == 0)
		span = FERRY_SPAN_EMPTY;
	memcpy(at(obj, f->off), &span, sizeof(span));
	return IKE_WIRE_OK;
}

static IkeWireStatus
decode_array(const IkeField *f, Cursor *c, void *obj)
{
	int n;
	FerrySpan span;

	if (f->kind == IKE_F_ARRAY_SIZED) {
		n = get_u8(obj, f->ref);
		if ((uint32_t)n > f->aux)
			return IKE_WIRE_INVALID_SYNTAX;
	} else {
		n = lookup_len(f->map, get_u8(obj, f->ref));
		if (n < 0)
			return IKE_WIRE_INVALID_SYNTAX;
	}
	span = ferry_reader_span(&c->r, (size_t)n);
	if (!c->r.ok)
		return overrun(c);
	if (n > 0)
		memcpy(at(obj, f->off), span.data, (size_t)n);
	return IKE_WIRE_OK;
}

/* Repeated substructures: counted (REPEAT_N) or until the structure ends (REPEAT).  Items
 * carrying a "Last Substruc" marker must say "more" on all but the last (RFC 7296 §3.3.1). */
static IkeWireStatus
decode_repeat(const IkeField *f, Cursor *c, void *obj)
{
	uint32_t marker = find_more_marker(f->sub);
	size_t want = f->kind == IKE_F_REPEAT_N ? get_u8(obj, f->ref) : SIZE_MAX;
	size_t n = 0;
	uint8_t more = 0;

	if (f->kind == IKE_F_REPEAT_N && want > f->aux)
		return IKE_WIRE_TOO_MANY;
	while (n < want && (f->kind == IKE_F_REPEAT_N || c->r.left > 0)) {
		IkeWireStatus st;

		if (n == f->aux)
			return IKE_WIRE_TOO_MANY;
		if (n > 0 && marker && more != marker)
			return IKE_WIRE_INVALID_SYNTAX;
		st = decode_struct(f->sub, &c->r, c->declared, at(obj, f->off + n * f->sub->size),
		                   &more);
		if (st != IKE_WIRE_OK)
			return st;
		n++;
	}
	if (n > 0 && marker && more != 0)
		return IKE_WIRE_INVALID_SYNTAX;
	if (f->kind == IKE_F_REPEAT)
		*(uint8_t *)at(obj, f->ref) = (uint8_t)n;
	return IKE_WIRE_OK;
}

static IkeWireStatus
decode_optional(const IkeField *f, Cursor *c, void *obj)
{
	IkeWireStatus st;

	if (c->r.left == 0)
		return IKE_WIRE_OK;
	st = decode_struct(f->sub, &c->r, c->declared, at(obj, f->off), NULL);
	if (st != IKE_WIRE_OK)
		return st;
	/* All zero reads as "absent" to the encoder; such a value is never valid. */
	return is_all_zero(at(obj, f->off), f->sub->size) ? IKE_WIRE_INVALID_SYNTAX : IKE_WIRE_OK;
}

static IkeWireStatus
decode_field(const IkeField *f, Cursor *c, void *obj, uint8_t *more)
{
	uint16_t v;
	uint8_t m;

	switch (f->kind) {
	case IKE_F_U8:
	case IKE_F_U16:
	case IKE_F_U32:
	case IKE_F_U64:
		return decode_int(f, c, obj);
	case IKE_F_ZERO:
		ferry_reader_skip(&c->r, f->aux);
		return c->r.ok ? IKE_WIRE_OK : overrun(c);
	case IKE_F_CONST16:
		v = ferry_reader_u16(&c->r);
		if (!c->r.ok)
			return overrun(c);
		return v == f->aux ? IKE_WIRE_OK : IKE_WIRE_INVALID_SYNTAX;
	case IKE_F_MORE:
		m = ferry_reader_u8(&c->r);
		if (!c->r.ok)
			return overrun(c);
		if (m != 0 && m != f->aux)
			return IKE_WIRE_INVALID_SYNTAX;
		if (more)
			*more = m;
		return IKE_WIRE_OK;
	case IKE_F_LEN16:
		return decode_len(f, c);
	case IKE_F_SPAN_ALL:
	case IKE_F_SPAN_REST:
	case IKE_F_SPAN_SIZED:
	case IKE_F_SPAN_MUL:
	case IKE_F_BODY:
		return decode_span(f, c, obj);
	case IKE_F_ARRAY_SIZED:
	case IKE_F_ARRAY_BY_TYPE:
		return decode_array(f, c, obj);
	case IKE_F_REPEAT:
	case IKE_F_REPEAT_N:
		return decode_repeat(f, c, obj);
	case IKE_F_OPTIONAL:
		return decode_optional(f, c, obj);
	}
	return IKE_WIRE_INVALID_SYNTAX;
}

static IkeWireStatus
decode_struct(const IkeStruct *s, FerryReader *outer, bool declared, void *obj, uint8_t *more)
{
	Cursor c = {.start = outer->p, .r = *outer, .declared = declared};

	memset(obj, 0, s->size);
	for (size_t i = 0; i < s->n_fields; i++) {
		IkeWireStatus st = decode_field(&s->fields[i], &c, obj, more);

		if (st != IKE_WIRE_OK)
			return st;
	}
	/* A stated length must be used up exactly: no trailing bytes inside a structure. */
	if (c.bounded && c.r.left != 0)
		return IKE_WIRE_BAD_LENGTH;
	ferry_reader_skip(outer, (size_t)(c.r.p - c.start));
	if (!outer->ok)
		return IKE_WIRE_BAD_LENGTH;
	return s->check ? s->check(obj) : IKE_WIRE_OK;
}

IkeWireStatus
ike_field_decode(const IkeStruct *s, const uint8_t *buf, size_t len, void *obj)
{
	static const uint8_t no_bytes[1];
	FerryReader r;
	IkeWireStatus st;

	/* empty spans are NULL; the reader gets a real pointer, never NULL + 0 */
	if (!buf) {
		if (len)
			return IKE_WIRE_BAD_LENGTH;
		buf = no_bytes;
	}
	ferry_reader_init(&r, buf, len);
	st = decode_struct(s, &r, true, obj, NULL);
	if (st == IKE_WIRE_OK && r.left != 0)
		return IKE_WIRE_BAD_LENGTH;
	return st;
}

IkeWireStatus
ike_field_decode_next(const IkeStruct *s, FerryReader *r, bool declared, void *obj)
{
	return decode_struct(s, r, declared, obj, NULL);
}

/* ---- encoder ---- */

static void
encode_int(const IkeField *f, const void *obj, FerryWriter *w)
{
	uint16_t u16;
	uint32_t u32;
	uint64_t u64;

	if (f->kind == IKE_F_U8) {
		ferry_writer_u8(w, get_u8(obj, f->off));
	} else if (f->kind == IKE_F_U16) {
		u16 = get_u16(obj, f->off);
		ferry_writer_u16(w, f->aux ? (uint16_t)(u16 & f->aux) : u16);
	} else if (f->kind == IKE_F_U32) {
		memcpy(&u32, cat(obj, f->off), sizeof(u32));
		ferry_writer_u32(w, u32);
	} else {
		memcpy(&u64, cat(obj, f->off), sizeof(u64));
		ferry_writer_u64(w, u64);
	}
}

static IkeWireStatus
encode_span(const IkeField *f, const void *obj, FerryWriter *w)
{
	FerrySpan span;
	size_t want;

	memcpy(&span, cat(obj, f->off), sizeof(span));
	if (span.len && !span.data)
		return IKE_WIRE_INVALID_SYNTAX;
	if (f->kind == IKE_F_SPAN_SIZED) {
		want = get_u8(obj, f->ref);
		if (span.len != want)
			return IKE_WIRE_INVALID_SYNTAX;
	} else if (f->kind == IKE_F_SPAN_MUL) {
		want = (size_t)get_u16(obj, f->ref) * get_u8(obj, f->ref2);
		if (span.len != want)
			return IKE_WIRE_INVALID_SYNTAX;
	}
	if (span.len && w->ok && span.data == w->buf + w->len) {
		/* built in place by the caller (SK, SKF): just claim the bytes */
		(void)ferry_writer_reserve(w, span.len);
		return IKE_WIRE_OK;
	}
	ferry_writer_bytes(w, span.data, span.len);
	return IKE_WIRE_OK;
}

static IkeWireStatus
encode_array(const IkeField *f, const void *obj, FerryWriter *w)
{
	int n;

	if (f->kind == IKE_F_ARRAY_SIZED) {
		n = get_u8(obj, f->ref);
		if ((uint32_t)n > f->aux)
			return IKE_WIRE_INVALID_SYNTAX;
	} else {
		n = lookup_len(f->map, get_u8(obj, f->ref));
		if (n < 0)
			return IKE_WIRE_INVALID_SYNTAX;
	}
	ferry_writer_bytes(w, cat(obj, f->off), (size_t)n);
	return IKE_WIRE_OK;
}

static IkeWireStatus
encode_repeat(const IkeField *f, const void *obj, FerryWriter *w)
{
	size_t n = get_u8(obj, f->ref);

	if (n > f->aux)
		return IKE_WIRE_TOO_MANY;
	for (size_t i = 0; i < n; i++) {
		IkeWireStatus st = encode_struct(f->sub, cat(obj, f->off + i * f->sub->size), w,
		                                 i + 1 == n, NULL);

		if (st != IKE_WIRE_OK)
			return st;
	}
	return IKE_WIRE_OK;
}

static IkeWireStatus
encode_field(const IkeField *f,
             const void *obj,
             FerryWriter *w,
             bool last,
             const BodyArg *body,
             uint8_t **len_at)
{
	switch (f->kind) {
	case IKE_F_U8:
	case IKE_F_U16:
	case IKE_F_U32:
	case IKE_F_U64:
		encode_int(f, obj, w);
		return IKE_WIRE_OK;
	case IKE_F_ZERO:
		ferry_writer_zero(w, f->aux);
		return IKE_WIRE_OK;
	case IKE_F_CONST16:
		ferry_writer_u16(w, (uint16_t)f->aux);
		return IKE_WIRE_OK;
	case IKE_F_MORE:
		ferry_writer_u8(w, last ? 0 : (uint8_t)f->aux);
		return IKE_WIRE_OK;
	case IKE_F_LEN16:
		*len_at = ferry_writer_reserve(w, 2);
		return IKE_WIRE_OK;
	case IKE_F_SPAN_ALL:
		return IKE_WIRE_OK;
	case IKE_F_BODY:
		if (body && body->body)
			return encode_struct(body->body, body->body_obj, w, true, NULL);
		return encode_span(f, obj, w);
	case IKE_F_SPAN_REST:
	case IKE_F_SPAN_SIZED:
	case IKE_F_SPAN_MUL:
		return encode_span(f, obj, w);
	case IKE_F_ARRAY_SIZED:
	case IKE_F_ARRAY_BY_TYPE:
		return encode_array(f, obj, w);
	case IKE_F_REPEAT:
	case IKE_F_REPEAT_N:
		return encode_repeat(f, obj, w);
	case IKE_F_OPTIONAL:
		if (is_all_zero(cat(obj, f->off), f->sub->size))
			return IKE_WIRE_OK;
		return encode_struct(f->sub, cat(obj, f->off), w, true, NULL);
	}
	return IKE_WIRE_INVALID_SYNTAX;
}

static IkeWireStatus
encode_struct(const IkeStruct *s, const void *obj, FerryWriter *w, bool last, const BodyArg *body)
{
	size_t start = w->len;
	size_t len_base = 0;
	uint8_t *len_at = NULL;
	const IkeField *len_field = NULL;

	for (size_t i = 0; i < s->n_fields; i++) {
		const IkeField *f = &s->fields[i];
		IkeWireStatus st = encode_field(f, obj, w, last, body, &len_at);

		if (st != IKE_WIRE_OK)
			return st;
		if (f->kind == IKE_F_LEN16) {
			len_field = f;
			len_base = f->aux == IKE_LEN_WHOLE ? start : w->len;
		}
	}
	if (!w->ok)
		return IKE_WIRE_NO_SPACE;
	if (len_field) {
		size_t n = w->len - len_base;

		if (n > UINT16_MAX)
			return IKE_WIRE_BAD_LENGTH;
		ferry_put_be16(len_at, (uint16_t)n);
	}
	return IKE_WIRE_OK;
}

IkeWireStatus
ike_field_encode(const IkeStruct *s, const void *obj, FerryWriter *w)
{
	return encode_struct(s, obj, w, true, NULL);
}

IkeWireStatus
ike_field_encode_framed(const IkeStruct *frame,
                        const void *frame_obj,
                        const IkeStruct *body,
                        const void *body_obj,
                        FerryWriter *w)
{
	BodyArg arg = {.body = body, .body_obj = body_obj};

	return encode_struct(frame, frame_obj, w, true, &arg);
}
