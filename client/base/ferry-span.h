/* ferry-span.h - bounds-checked byte spans, readers and writers (GLib-free)
 *
 * A reader or writer that runs past its end latches `ok = false`; every later
 * call is a no-op, so a decoder checks once at the end instead of after every
 * field.  Big-endian accessors serve fixed framing (IKE header, ESP header).
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

typedef struct {
	const uint8_t *data;
	size_t len;
} FerrySpan;

#define FERRY_SPAN(p, n) ((FerrySpan){ .data = (const uint8_t *)(p), .len = (n) })
#define FERRY_SPAN_EMPTY ((FerrySpan){ .data = NULL, .len = 0 })

typedef struct {
	const uint8_t *p;
	size_t left;
	bool ok;
} FerryReader;

typedef struct {
	uint8_t *buf;
	size_t cap;
	size_t len;
	bool ok;
} FerryWriter;

static inline uint16_t
ferry_get_be16(const uint8_t *p)
{
	return (uint16_t)((uint16_t)p[0] << 8 | p[1]);
}

static inline uint32_t
ferry_get_be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static inline uint64_t
ferry_get_be64(const uint8_t *p)
{
	return (uint64_t)ferry_get_be32(p) << 32 | ferry_get_be32(p + 4);
}

static inline void
ferry_put_be16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static inline void
ferry_put_be32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

static inline void
ferry_put_be64(uint8_t *p, uint64_t v)
{
	ferry_put_be32(p, (uint32_t)(v >> 32));
	ferry_put_be32(p + 4, (uint32_t)v);
}

static inline bool
ferry_span_equal(FerrySpan a, FerrySpan b)
{
	return a.len == b.len && (a.len == 0 || memcmp(a.data, b.data, a.len) == 0);
}

void ferry_reader_init(FerryReader *r, const uint8_t *data, size_t len);
uint8_t ferry_reader_u8(FerryReader *r);
uint16_t ferry_reader_u16(FerryReader *r);
uint32_t ferry_reader_u32(FerryReader *r);
uint64_t ferry_reader_u64(FerryReader *r);
/* Borrow `n` bytes; an empty span (and ok = false) when fewer are left. */
FerrySpan ferry_reader_span(FerryReader *r, size_t n);
void ferry_reader_skip(FerryReader *r, size_t n);
/* Everything left, consumed. */
FerrySpan ferry_reader_rest(FerryReader *r);

void ferry_writer_init(FerryWriter *w, uint8_t *buf, size_t cap);
void ferry_writer_u8(FerryWriter *w, uint8_t v);
void ferry_writer_u16(FerryWriter *w, uint16_t v);
void ferry_writer_u32(FerryWriter *w, uint32_t v);
void ferry_writer_u64(FerryWriter *w, uint64_t v);
void ferry_writer_bytes(FerryWriter *w, const void *data, size_t len);
void ferry_writer_zero(FerryWriter *w, size_t len);
/* Reserve `n` bytes to fill in later (a length field); NULL when out of room. */
uint8_t *ferry_writer_reserve(FerryWriter *w, size_t n);
