/* ferry-span.c - bounds-checked byte readers and writers */
#include "ferry-span.h"

void
ferry_reader_init(FerryReader *r, const uint8_t *data, size_t len)
{
	r->p = data;
	r->left = data ? len : 0;
	r->ok = true;
}

static const uint8_t *
take(FerryReader *r, size_t n)
{
	const uint8_t *p;

	if (!r->ok || r->left < n) {
		r->ok = false;
		return NULL;
	}
	p = r->p;
	/* A zero-length read of an empty (NULL) buffer must not compute NULL + 0. */
	if (n == 0)
		return p;
	r->p += n;
	r->left -= n;
	return p;
}

uint8_t
ferry_reader_u8(FerryReader *r)
{
	const uint8_t *p = take(r, 1);

	return p ? p[0] : 0;
}

uint16_t
ferry_reader_u16(FerryReader *r)
{
	const uint8_t *p = take(r, 2);

	return p ? ferry_get_be16(p) : 0;
}

uint32_t
ferry_reader_u32(FerryReader *r)
{
	const uint8_t *p = take(r, 4);

	return p ? ferry_get_be32(p) : 0;
}

uint64_t
ferry_reader_u64(FerryReader *r)
{
	const uint8_t *p = take(r, 8);

	return p ? ferry_get_be64(p) : 0;
}

FerrySpan
ferry_reader_span(FerryReader *r, size_t n)
{
	const uint8_t *p = take(r, n);

	return p ? FERRY_SPAN(p, n) : FERRY_SPAN_EMPTY;
}

void
ferry_reader_skip(FerryReader *r, size_t n)
{
	(void)take(r, n);
}

FerrySpan
ferry_reader_rest(FerryReader *r)
{
	return ferry_reader_span(r, r->ok ? r->left : 0);
}

void
ferry_writer_init(FerryWriter *w, uint8_t *buf, size_t cap)
{
	w->buf = buf;
	w->cap = buf ? cap : 0;
	w->len = 0;
	w->ok = true;
}

uint8_t *
ferry_writer_reserve(FerryWriter *w, size_t n)
{
	uint8_t *p;

	if (!w->ok || w->cap - w->len < n) {
		w->ok = false;
		return NULL;
	}
	if (n == 0)
		return w->buf ? w->buf + w->len : NULL;
	p = w->buf + w->len;
	w->len += n;
	return p;
}

void
ferry_writer_u8(FerryWriter *w, uint8_t v)
{
	uint8_t *p = ferry_writer_reserve(w, 1);

	if (p)
		p[0] = v;
}

void
ferry_writer_u16(FerryWriter *w, uint16_t v)
{
	uint8_t *p = ferry_writer_reserve(w, 2);

	if (p)
		ferry_put_be16(p, v);
}

void
ferry_writer_u32(FerryWriter *w, uint32_t v)
{
	uint8_t *p = ferry_writer_reserve(w, 4);

	if (p)
		ferry_put_be32(p, v);
}

void
ferry_writer_u64(FerryWriter *w, uint64_t v)
{
	uint8_t *p = ferry_writer_reserve(w, 8);

	if (p)
		ferry_put_be64(p, v);
}

void
ferry_writer_bytes(FerryWriter *w, const void *data, size_t len)
{
	uint8_t *p = ferry_writer_reserve(w, len);

	if (p && len)
		memcpy(p, data, len);
}

void
ferry_writer_zero(FerryWriter *w, size_t len)
{
	uint8_t *p = ferry_writer_reserve(w, len);

	if (p && len)
		memset(p, 0, len);
}
