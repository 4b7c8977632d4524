/* test-base-span.c - bounds-checked readers/writers and wipe-on-free secrets */
#include <glib.h>

#include "ferry-secret.h"
#include "ferry-span.h"

static void
test_reader_latches(void)
{
	const uint8_t buf[] = { 0x01, 0x02, 0x03, 0x04, 0x05 };
	FerryReader r;

	ferry_reader_init(&r, buf, sizeof(buf));
	g_assert_cmpuint(ferry_reader_u16(&r), ==, 0x0102);
	g_assert_cmpuint(ferry_reader_u16(&r), ==, 0x0304);
	g_assert_true(r.ok);
	/* One byte left: a 32-bit read fails and latches; later reads return zero. */
	g_assert_cmpuint(ferry_reader_u32(&r), ==, 0);
	g_assert_false(r.ok);
	g_assert_cmpuint(ferry_reader_u8(&r), ==, 0);
	g_assert_null(ferry_reader_span(&r, 0).data);
}

static void
test_reader_empty(void)
{
	FerryReader r;
	FerrySpan s;

	/* An empty payload body may be (NULL, 0): zero-length reads succeed and stay in bounds. */
	ferry_reader_init(&r, NULL, 0);
	s = ferry_reader_span(&r, 0);
	g_assert_true(r.ok);
	g_assert_cmpuint(s.len, ==, 0);
	s = ferry_reader_rest(&r);
	g_assert_true(r.ok);
	g_assert_cmpuint(s.len, ==, 0);
	g_assert_cmpuint(ferry_reader_u8(&r), ==, 0);
	g_assert_false(r.ok);
}

static void
test_writer_bounds(void)
{
	uint8_t buf[6];
	FerryWriter w;

	ferry_writer_init(&w, buf, sizeof(buf));
	ferry_writer_u32(&w, 0xdeadbeef);
	g_assert_true(w.ok);
	ferry_writer_u32(&w, 0x01020304);
	g_assert_false(w.ok);
	g_assert_cmpuint(w.len, ==, 4);
	g_assert_cmpuint(ferry_get_be32(buf), ==, 0xdeadbeef);
}

static void
test_be_accessors(void)
{
	uint8_t b[8];

	ferry_put_be64(b, G_GUINT64_CONSTANT(0x0102030405060708));
	g_assert_cmpuint(b[0], ==, 1);
	g_assert_cmpuint(b[7], ==, 8);
	g_assert_cmpuint(ferry_get_be64(b), ==, G_GUINT64_CONSTANT(0x0102030405060708));
	ferry_put_be16(b, 0xabcd);
	g_assert_cmpuint(ferry_get_be16(b), ==, 0xabcd);
}

static void
test_secret(void)
{
	FerrySecret *s = ferry_secret_new_from_string("ferry-canary-secret");
	FerrySecret *d = ferry_secret_dup(s);

	g_assert_cmpuint(s->len, ==, 19);
	g_assert_cmpint(s->data[s->len], ==, 0);
	g_assert_true(ferry_memeq_ct(s->data, d->data, s->len));
	d->data[0] ^= 1;
	g_assert_false(ferry_memeq_ct(s->data, d->data, s->len));
	ferry_secret_free(s);
	ferry_secret_free(d);
	ferry_secret_free(NULL);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/ferry/base/reader/latches", test_reader_latches);
	g_test_add_func("/ferry/base/reader/empty", test_reader_empty);
	g_test_add_func("/ferry/base/writer/bounds", test_writer_bounds);
	g_test_add_func("/ferry/base/be/accessors", test_be_accessors);
	g_test_add_func("/ferry/base/secret/dup-compare-free", test_secret);
	return g_test_run();
}
