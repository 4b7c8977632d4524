/* SPDX-License-Identifier: GPL-2.0-or-later */
/* wire-test.h - hex with marked length fields, shared by the wire tests
 *
 * wire_test_hex() reads hex (whitespace ignored).  A '@' marks the next 2 bytes, a '#'
 * the next 4 bytes and a '!' the next byte as a length or count field: their offsets are
 * collected so tests can corrupt every one of them.
 */
#pragma once

#include <glib.h>
#include <stdint.h>

typedef struct {
	gsize offset;
	guint width; /* 1, 2 or 4 */
} WireTestField;

typedef struct {
	GByteArray *bytes;
	GArray *fields; /* WireTestField */
} WireTestBuf;

static inline WireTestBuf *
wire_test_hex(const char *hex)
{
	WireTestBuf *b = g_new0(WireTestBuf, 1);
	int hi = -1;

	b->bytes = g_byte_array_new();
	b->fields = g_array_new(FALSE, FALSE, sizeof(WireTestField));
	for (const char *p = hex; *p; p++) {
		WireTestField f = {.offset = b->bytes->len};
		int v;

		if (g_ascii_isspace(*p) || *p == ':' || *p == '|')
			continue;
		if (*p == '!' || *p == '@' || *p == '#') {
			g_assert_cmpint(hi, ==, -1);
			f.width = *p == '!' ? 1 : *p == '@' ? 2 : 4;
			g_array_append_val(b->fields, f);
			continue;
		}
		v = g_ascii_xdigit_value(*p);
		g_assert_cmpint(v, >=, 0);
		if (hi < 0) {
			hi = v;
		} else {
			guint8 byte = (guint8)(hi << 4 | v);

			g_byte_array_append(b->bytes, &byte, 1);
			hi = -1;
		}
	}
	g_assert_cmpint(hi, ==, -1);
	return b;
}

static inline void
wire_test_buf_free(WireTestBuf *b)
{
	g_byte_array_unref(b->bytes);
	g_array_unref(b->fields);
	g_free(b);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC(WireTestBuf, wire_test_buf_free)

/* Add `delta` to the big-endian field (wrapping). */
static inline void
wire_test_field_add(guint8 *data, const WireTestField *f, int delta)
{
	guint64 v = 0;

	for (guint i = 0; i < f->width; i++)
		v = v << 8 | data[f->offset + i];
	v += (guint64)(gint64)delta;
	for (guint i = f->width; i-- > 0;) {
		data[f->offset + i] = (guint8)v;
		v >>= 8;
	}
}
